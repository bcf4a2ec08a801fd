//! What `kubeadm init` (plus `kubeadm join` of the workers and a Calico install) leaves in a
//! cluster: the API objects (nodes, control-plane mirror pods, CoreDNS, kube-proxy, Calico, the
//! bootstrap RBAC policy, service accounts, config maps, leases) and the files on each node
//! (static pod manifests, kubeconfigs, PKI, kubelet configuration).
//!
//! The static pod manifests in `assets/kubeadm/manifests/` are the one source for both the files
//! under `/etc/kubernetes/manifests` and the mirror pods the API shows. Objects go through the
//! API server's own pipeline, so they carry the same defaults a real server adds.

pub mod addons;
pub mod files;

use serde_json::{Map, Value, json};

use super::api::{Api, UserInfo, WriteOptions};
use super::{Registry, ResourceInfo};
use crate::world::clock::format_rfc3339;

/// The image tag kubeadm v1.35 pins for etcd.
pub const ETCD_VERSION: &str = "3.6.6-0";
/// The CoreDNS image kubeadm v1.35 deploys.
pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.13.1";
pub const PAUSE_IMAGE: &str = "registry.k8s.io/pause:3.10.1";
pub const CALICO_VERSION: &str = "v3.30.3";

/// One node of the cluster as kubeadm set it up.
#[derive(Debug, Clone)]
pub struct NodeSpec {
    pub name: String,
    pub ip: String,
    pub control_plane: bool,
    /// The node's index: its podCIDR is `10.244.<index>.0/24`.
    pub index: usize,
}

impl NodeSpec {
    pub fn pod_cidr(&self) -> String {
        format!("10.244.{}.0/24", self.index)
    }
}

/// The static pod components, in the order kubeadm writes them.
pub const COMPONENTS: &[&str] = &["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];

/// A component's static pod manifest, as kubeadm writes it to `/etc/kubernetes/manifests`.
pub fn manifest_text(component: &str, cp: &NodeSpec, version: &str) -> String {
    let raw = match component {
        "etcd" => include_str!("../../assets/kubeadm/manifests/etcd.yaml"),
        "kube-apiserver" => include_str!("../../assets/kubeadm/manifests/kube-apiserver.yaml"),
        "kube-controller-manager" => include_str!("../../assets/kubeadm/manifests/kube-controller-manager.yaml"),
        _ => include_str!("../../assets/kubeadm/manifests/kube-scheduler.yaml"),
    };
    raw.replace("{{IP}}", &cp.ip).replace("{{NODE}}", &cp.name).replace("{{VERSION}}", version).replace("{{ETCD_VERSION}}", ETCD_VERSION)
}

/// A running pod's status as the kubelet reports it (conditions, IPs, container statuses).
pub fn running_pod_status(pod: &Value, host_ip: &str, pod_ip: &str, started: i64, rng: &mut crate::world::Rng) -> Value {
    let at = format_rfc3339(started);
    let ready_at = format_rfc3339(started + 5);
    let cond = |t: &str, when: &str| json!({"lastProbeTime": null, "lastTransitionTime": when, "observedGeneration": 1, "status": "True", "type": t});
    let mut status = Map::new();
    status.insert(
        "conditions".into(),
        json!([
            cond("PodReadyToStartContainers", &ready_at),
            cond("Initialized", &at),
            cond("Ready", &ready_at),
            cond("ContainersReady", &ready_at),
            cond("PodScheduled", &at)
        ]),
    );
    let spec = pod.get("spec").cloned().unwrap_or(Value::Null);
    let mut statuses = |key: &str, init: bool| -> Vec<Value> {
        let mut out = Vec::new();
        for c in spec.get(key).and_then(Value::as_array).cloned().unwrap_or_default() {
            let image = c.get("image").and_then(Value::as_str).unwrap_or_default();
            let (shown, id) = image_names(image, rng);
            let mut s = Map::new();
            if let Some(req) = c.pointer("/resources/requests")
                && req.as_object().is_some_and(|m| !m.is_empty())
            {
                s.insert("allocatedResources".into(), req.clone());
            }
            s.insert("containerID".into(), json!(format!("containerd://{}", hex64(rng))));
            s.insert("image".into(), json!(shown));
            s.insert("imageID".into(), json!(id));
            s.insert("lastState".into(), json!({}));
            s.insert("name".into(), c.get("name").cloned().unwrap_or(Value::Null));
            s.insert("ready".into(), json!(!init));
            if c.get("resources").and_then(Value::as_object).is_some_and(|m| !m.is_empty()) {
                s.insert("resources".into(), c["resources"].clone());
            }
            s.insert("restartCount".into(), json!(0));
            if init {
                s.insert("started".into(), json!(false));
                s.insert(
                    "state".into(),
                    json!({"terminated": {"containerID": s["containerID"].clone(), "exitCode": 0, "finishedAt": at, "reason": "Completed", "startedAt": at}}),
                );
            } else {
                s.insert("started".into(), json!(true));
                s.insert("state".into(), json!({"running": {"startedAt": format_rfc3339(started + 2)}}));
            }
            s.insert("user".into(), json!({"linux": {"gid": 0, "supplementalGroups": [0], "uid": 0}}));
            if let Some(mounts) = c.get("volumeMounts").and_then(Value::as_array) {
                let shown: Vec<Value> = mounts
                    .iter()
                    .map(|m| {
                        let mut x = json!({"mountPath": m["mountPath"], "name": m["name"]});
                        if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                            x["readOnly"] = json!(true);
                            x["recursiveReadOnly"] = json!("Disabled");
                        }
                        x
                    })
                    .collect();
                s.insert("volumeMounts".into(), Value::Array(shown));
            }
            out.push(Value::Object(s));
        }
        out
    };
    let init = statuses("initContainers", true);
    let main = statuses("containers", false);
    status.insert("containerStatuses".into(), Value::Array(main));
    status.insert("hostIP".into(), json!(host_ip));
    status.insert("hostIPs".into(), json!([{"ip": host_ip}]));
    if !init.is_empty() {
        status.insert("initContainerStatuses".into(), Value::Array(init));
    }
    status.insert("observedGeneration".into(), json!(1));
    status.insert("phase".into(), json!("Running"));
    status.insert("podIP".into(), json!(pod_ip));
    status.insert("podIPs".into(), json!([{"ip": pod_ip}]));
    status.insert("qosClass".into(), json!(super::kinds::pod::qos_class(&spec)));
    status.insert("startTime".into(), json!(at));
    Value::Object(status)
}

/// The image as containerd reports it (`docker.io/library/nginx:latest`) and a digest reference.
fn image_names(image: &str, rng: &mut crate::world::Rng) -> (String, String) {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), t.to_string()),
        _ => (image.to_string(), "latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or_default();
    let full = if !name.contains('/') {
        format!("docker.io/library/{name}")
    } else if first.contains('.') || first.contains(':') || first == "localhost" {
        name.clone()
    } else {
        format!("docker.io/{name}")
    };
    (format!("{full}:{tag}"), format!("{full}@sha256:{}", hex64(rng)))
}

fn hex64(rng: &mut crate::world::Rng) -> String {
    (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect()
}

fn res(name: &str) -> Option<&'static ResourceInfo> {
    Registry::builtin_resource(name)
}

/// Creates an object through the pipeline as the system identity; the seeded world is built
/// from known-good objects, so a refusal is a bug in this file, reported in debug builds.
pub fn create(api: &mut Api<'_>, resource: &str, namespace: Option<&str>, obj: Value) -> Option<Value> {
    let r = res(resource)?;
    match api.create(&UserInfo::system(), r, namespace, obj, &WriteOptions::default()) {
        Ok(v) => Some(v),
        Err(e) => {
            debug_assert!(false, "seeding {resource}: {}", e.message);
            None
        }
    }
}

/// Replaces the status of a seeded object (what controllers and kubelets report).
pub fn set_status(api: &mut Api<'_>, resource: &str, obj: &Value, status: Value) -> Option<Value> {
    let r = res(resource)?;
    let mut next = obj.clone();
    next["status"] = status;
    let ns = obj.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_string);
    api.update_status(&UserInfo::system(), r, ns.as_deref(), next, &WriteOptions::default()).ok()
}

/// Seeds every API object of a fresh kubeadm cluster.
pub fn seed(api: &mut Api<'_>, nodes: &[NodeSpec], version: &str) {
    api.set_seeding(true);
    seed_all(api, nodes, version);
    api.set_seeding(false);
}

fn seed_all(api: &mut Api<'_>, nodes: &[NodeSpec], version: &str) {
    let installed = api.clock.now;
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        create(api, "namespaces", None, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}));
    }
    for pc in [
        (
            "system-cluster-critical",
            2_000_000_000,
            "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
        ),
        ("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node."),
    ] {
        create(
            api,
            "priorityclasses",
            None,
            json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": pc.0}, "value": pc.1, "description": pc.2}),
        );
    }
    for o in super::rbac::bootstrap::objects() {
        let ns = if o.namespace.is_empty() { None } else { Some(o.namespace.as_str()) };
        create(api, o.resource, ns, o.body.clone());
    }
    super::rbac::aggregate(&mut api.cluster.store);
    seed_apiservices(api);
    // The default ServiceCIDR the API server creates from --service-cluster-ip-range.
    if let Some(cidr) = create(
        api,
        "servicecidrs",
        None,
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR", "metadata": {"name": "kubernetes", "finalizers": ["networking.k8s.io/service-cidr-finalizer"]},
            "spec": {"cidrs": ["10.96.0.0/12"]}}),
    ) {
        let at = format_rfc3339(installed);
        set_status(
            api,
            "servicecidrs",
            &cidr,
            json!({"conditions": [{"lastTransitionTime": at, "message": "Kubernetes Service CIDR is ready", "reason": "", "status": "True", "type": "Ready"}]}),
        );
    }
    let Some(cp) = nodes.iter().find(|n| n.control_plane).cloned() else { return };
    for n in nodes {
        seed_node(api, n, version, installed);
    }
    addons::seed_config(api, &cp, version);
    addons::seed_services(api, &cp);
    for component in COMPONENTS {
        seed_mirror_pod(api, component, &cp, version, installed);
    }
    addons::seed_workloads(api, nodes, version, installed);
}

/// The kube-aggregator's local APIServices, one per built-in group version, with the priorities
/// of its `apiVersionPriorities` table (discovery lists groups in this order).
fn seed_apiservices(api: &mut Api<'_>) {
    let priority = |group: &str, version: &str| -> (i64, i64) {
        match (group, version) {
            ("", _) => (18000, 1),
            ("apiregistration.k8s.io", _) => (17900, 15),
            ("apps", _) => (17800, 15),
            ("events.k8s.io", _) => (17750, 15),
            ("authentication.k8s.io", _) => (17700, 15),
            ("authorization.k8s.io", _) => (17600, 15),
            ("autoscaling", "v2") => (17500, 30),
            ("autoscaling", _) => (17500, 15),
            ("batch", _) => (17400, 15),
            ("certificates.k8s.io", _) => (17300, 15),
            ("networking.k8s.io", _) => (17200, 15),
            ("policy", _) => (17100, 15),
            ("rbac.authorization.k8s.io", _) => (17000, 15),
            ("storage.k8s.io", _) => (16800, 15),
            ("admissionregistration.k8s.io", _) => (16700, 15),
            ("apiextensions.k8s.io", _) => (16700, 15),
            ("scheduling.k8s.io", _) => (16600, 15),
            ("coordination.k8s.io", _) => (16500, 15),
            ("node.k8s.io", _) => (16300, 15),
            ("discovery.k8s.io", _) => (16200, 15),
            ("resource.k8s.io", _) => (16200, 15),
            ("flowcontrol.apiserver.k8s.io", _) => (16100, 21),
            _ => (1000, 15),
        }
    };
    let at = format_rfc3339(api.clock.now);
    for g in &Registry::builtin().groups {
        for v in &g.versions {
            let (gp, vp) = priority(&g.name, v);
            let name = format!("{v}.{}", g.name);
            let mut spec = json!({"groupPriorityMinimum": gp, "version": v, "versionPriority": vp});
            if !g.name.is_empty() {
                spec["group"] = json!(g.name);
            }
            let body = json!({"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
                "metadata": {"name": name, "labels": {"kube-aggregator.kubernetes.io/automanaged": "onstart"}}, "spec": spec});
            if let Some(created) = create(api, "apiservices", None, body) {
                let status = json!({"conditions": [{"lastTransitionTime": at, "message": "Local APIServices are always available", "reason": "Local", "status": "True", "type": "Available"}]});
                set_status(api, "apiservices", &created, status);
            }
        }
    }
}

fn seed_node(api: &mut Api<'_>, n: &NodeSpec, version: &str, installed: i64) {
    let mut labels = json!({"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": n.name, "kubernetes.io/os": "linux"});
    let mut spec = json!({"podCIDR": n.pod_cidr(), "podCIDRs": [n.pod_cidr()]});
    if n.control_plane {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = json!("");
        spec["taints"] = json!([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]);
    }
    let annotations = json!({
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        "projectcalico.org/IPv4Address": format!("{}/24", n.ip),
        "projectcalico.org/IPv4IPIPTunnelAddr": format!("10.244.{}.1", n.index),
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
    });
    let body = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": n.name, "labels": labels, "annotations": annotations}, "spec": spec});
    let Some(node) = create(api, "nodes", None, body) else { return };
    let joined = installed + if n.control_plane { 0 } else { 60 + 20 * n.index as i64 };
    let at = format_rfc3339(joined);
    let beat = format_rfc3339(installed + 600);
    let cond = |t: &str, s: &str, reason: &str, msg: &str| json!({"lastHeartbeatTime": beat, "lastTransitionTime": at, "message": msg, "reason": reason, "status": s, "type": t});
    let capacity = json!({"cpu": "2", "ephemeral-storage": "20134592Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "4010676Ki", "pods": "110"});
    let allocatable = json!({"cpu": "2", "ephemeral-storage": "18556039957", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "3908276Ki", "pods": "110"});
    let mut network = cond("NetworkUnavailable", "False", "CalicoIsUp", "Calico is running on this node");
    network["lastHeartbeatTime"] = json!(format_rfc3339(joined + 30));
    network["lastTransitionTime"] = json!(format_rfc3339(joined + 30));
    let status = json!({
        "addresses": [{"address": n.ip, "type": "InternalIP"}, {"address": n.name, "type": "Hostname"}],
        "allocatable": allocatable,
        "capacity": capacity,
        "conditions": [
            network,
            cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "features": {"supplementalGroupsPolicy": true},
        "nodeInfo": {
            "architecture": "amd64",
            "bootID": api.rng.uuid(),
            "containerRuntimeVersion": "containerd://2.1.4",
            "kernelVersion": "6.8.0-85-generic",
            "kubeProxyVersion": "",
            "kubeletVersion": version,
            "machineID": hex32(api),
            "operatingSystem": "linux",
            "osImage": "Ubuntu 24.04.3 LTS",
            "systemUUID": api.rng.uuid(),
        },
        "runtimeHandlers": [
            {"features": {"recursiveReadOnlyMounts": true, "userNamespaces": true}, "name": "runc"},
            {"features": {"recursiveReadOnlyMounts": true, "userNamespaces": true}, "name": ""},
        ],
    });
    set_status(api, "nodes", &node, status);
    // The kubelet registers the node's CSINode (no CSI drivers on a fresh kubeadm node).
    create(
        api,
        "csinodes",
        None,
        json!({"apiVersion": "storage.k8s.io/v1", "kind": "CSINode", "metadata": {"name": n.name,
            "annotations": {"storage.alpha.kubernetes.io/migrated-plugins": "kubernetes.io/aws-ebs,kubernetes.io/azure-disk,kubernetes.io/azure-file,kubernetes.io/cinder,kubernetes.io/gce-pd,kubernetes.io/portworx-volume,kubernetes.io/vsphere-volume"},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": n.name, "uid": node["metadata"]["uid"]}]},
            "spec": {"drivers": null}}),
    );
    create(
        api,
        "leases",
        Some("kube-node-lease"),
        json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": n.name,
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": n.name, "uid": node["metadata"]["uid"]}]},
            "spec": {"holderIdentity": n.name, "leaseDurationSeconds": 40, "renewTime": format!("{}.000000Z", format_rfc3339(installed + 600).trim_end_matches('Z'))}}),
    );
}

fn hex32(api: &mut Api<'_>) -> String {
    format!("{:016x}{:016x}", api.rng.next_u64(), api.rng.next_u64())
}

/// The kubelet's mirror of a static pod: the manifest plus the config annotations, the node as
/// owner, and the running status.
fn seed_mirror_pod(api: &mut Api<'_>, component: &str, cp: &NodeSpec, version: &str, installed: i64) {
    let Ok(mut pod) = serde_yaml::from_str::<Value>(&manifest_text(component, cp, version)) else { return };
    let node_uid = res("nodes").and_then(|r| api.cluster.store.get(r, "", &cp.name)).and_then(|n| n.pointer("/metadata/uid").cloned());
    let hash = format!("{:016x}{:016x}", api.rng.next_u64(), api.rng.next_u64());
    let name = format!("{component}-{}", cp.name);
    if let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("name".into(), json!(name));
        let ann = super::kinds::child(meta, "annotations");
        ann.insert("kubernetes.io/config.hash".into(), json!(hash));
        ann.insert("kubernetes.io/config.mirror".into(), json!(hash));
        ann.insert("kubernetes.io/config.seen".into(), json!(format!("{}.123456789Z", format_rfc3339(installed).trim_end_matches('Z'))));
        ann.insert("kubernetes.io/config.source".into(), json!("file"));
        meta.insert(
            "ownerReferences".into(),
            json!([{"apiVersion": "v1", "controller": true, "kind": "Node", "name": cp.name, "uid": node_uid.unwrap_or(Value::Null)}]),
        );
    }
    if let Some(root) = pod.as_object_mut() {
        root.remove("status");
        let spec = super::kinds::child(root, "spec");
        spec.insert("nodeName".into(), json!(cp.name));
        spec.insert("tolerations".into(), json!([{"effect": "NoExecute", "operator": "Exists"}]));
    }
    let Some(stored) = create(api, "pods", Some("kube-system"), pod) else { return };
    let status = running_pod_status(&stored, &cp.ip, &cp.ip, installed, api.rng);
    set_status(api, "pods", &stored, status);
}
