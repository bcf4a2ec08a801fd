//! The add-ons and configuration objects of a fresh cluster: kubeadm's CoreDNS and kube-proxy
//! (`cmd/kubeadm/app/phases/addons`), its config maps and bootstrap token, the `kubernetes` and
//! `kube-dns` Services with their endpoints, and Calico (the manifest install, pool 10.244.0.0/16).

use serde_json::{Value, json};

use super::super::api::Api;
use super::{CALICO_VERSION, COREDNS_IMAGE, NodeSpec, create, running_pod_status, set_status};
use crate::world::clock::format_rfc3339;
use crate::world::scenario::CA_CERT;

const KUBELET_CONFIG: &str = include_str!("../../../assets/kubeadm/kubelet-config.yaml");
const CLUSTER_CONFIGURATION: &str = include_str!("../../../assets/kubeadm/cluster-configuration.yaml");
const COREFILE: &str = include_str!("../../../assets/kubeadm/Corefile");
const KUBE_PROXY_CONFIG: &str = include_str!("../../../assets/kubeadm/kube-proxy-config.conf");

/// The service accounts kube-controller-manager (`--use-service-account-credentials`), kubeadm
/// and Calico create in kube-system.
const KUBE_SYSTEM_SERVICE_ACCOUNTS: &[&str] = &[
    "attachdetach-controller",
    "bootstrap-signer",
    "calico-cni-plugin",
    "calico-kube-controllers",
    "calico-node",
    "certificate-controller",
    "clusterrole-aggregation-controller",
    "coredns",
    "cronjob-controller",
    "daemon-set-controller",
    "deployment-controller",
    "disruption-controller",
    "endpoint-controller",
    "endpointslice-controller",
    "endpointslicemirroring-controller",
    "ephemeral-volume-controller",
    "expand-controller",
    "generic-garbage-collector",
    "horizontal-pod-autoscaler",
    "job-controller",
    "kube-proxy",
    "legacy-service-account-token-cleaner",
    "namespace-controller",
    "node-controller",
    "persistent-volume-binder",
    "pod-garbage-collector",
    "pv-protection-controller",
    "pvc-protection-controller",
    "replicaset-controller",
    "replication-controller",
    "resource-claim-controller",
    "resourcequota-controller",
    "root-ca-cert-publisher",
    "service-account-controller",
    "service-cidrs-controller",
    "statefulset-controller",
    "token-cleaner",
    "ttl-after-finished-controller",
    "ttl-controller",
    "validatingadmissionpolicy-status-controller",
];

/// A kubeconfig that names only the cluster (cluster-info and kube-proxy's in-cluster config).
fn cluster_only_kubeconfig(server: &str, ca_data: &str) -> String {
    format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {ca_data}\n    server: {server}\n  name: \"\"\ncontexts: null\ncurrent-context: \"\"\nkind: Config\nusers: null\n"
    )
}

pub fn seed_config(api: &mut Api<'_>, cp: &NodeSpec, version: &str) {
    use base64::Engine;
    let ca_b64 = base64::engine::general_purpose::STANDARD.encode(CA_CERT);
    let server = format!("https://{}:6443", cp.ip);
    for sa in KUBE_SYSTEM_SERVICE_ACCOUNTS {
        create(
            api,
            "serviceaccounts",
            Some("kube-system"),
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": sa}}),
        );
    }
    let cm = |name: &str, data: Value| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data});
    create(api, "configmaps", Some("kube-system"), cm("coredns", json!({"Corefile": COREFILE})));
    create(
        api,
        "configmaps",
        Some("kube-system"),
        cm(
            "extension-apiserver-authentication",
            json!({
                "client-ca-file": CA_CERT,
                "requestheader-allowed-names": "[\"front-proxy-client\"]",
                "requestheader-client-ca-file": CA_CERT,
                "requestheader-extra-headers-prefix": "[\"X-Remote-Extra-\"]",
                "requestheader-group-headers": "[\"X-Remote-Group\"]",
                "requestheader-uid-headers": "[]",
                "requestheader-username-headers": "[\"X-Remote-User\"]",
            }),
        ),
    );
    let since = format_rfc3339(api.clock.now);
    create(
        api,
        "configmaps",
        Some("kube-system"),
        cm("kube-apiserver-legacy-service-account-token-tracking", json!({"since": since.split('T').next().unwrap_or_default()})),
    );
    let mut proxy = cm(
        "kube-proxy",
        json!({
            "config.conf": KUBE_PROXY_CONFIG,
            "kubeconfig.conf": "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: ".to_string()
                + &server
                + "\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n",
        }),
    );
    proxy["metadata"]["labels"] = json!({"app": "kube-proxy"});
    create(api, "configmaps", Some("kube-system"), proxy);
    create(
        api,
        "configmaps",
        Some("kube-system"),
        cm("kubeadm-config", json!({"ClusterConfiguration": CLUSTER_CONFIGURATION.replace("{{VERSION}}", version)})),
    );
    let mut kubelet = cm("kubelet-config", json!({"kubelet": KUBELET_CONFIG}));
    kubelet["metadata"]["annotations"] = json!({"kubeadm.kubernetes.io/component-config.hash": format!("sha256:{}", hex(api))});
    create(api, "configmaps", Some("kube-system"), kubelet);
    create(
        api,
        "configmaps",
        Some("kube-system"),
        cm(
            "calico-config",
            json!({
                "calico_backend": "bird",
                "cni_network_config": "{\n  \"name\": \"k8s-pod-network\",\n  \"cniVersion\": \"0.3.1\",\n  \"plugins\": [\n    {\n      \"type\": \"calico\",\n      \"log_level\": \"info\",\n      \"log_file_path\": \"/var/log/calico/cni/cni.log\",\n      \"datastore_type\": \"kubernetes\",\n      \"nodename\": \"__KUBERNETES_NODE_NAME__\",\n      \"mtu\": __CNI_MTU__,\n      \"ipam\": {\n          \"type\": \"calico-ipam\"\n      },\n      \"policy\": {\n          \"type\": \"k8s\"\n      },\n      \"kubernetes\": {\n          \"kubeconfig\": \"__KUBECONFIG_FILEPATH__\"\n      }\n    },\n    {\n      \"type\": \"portmap\",\n      \"snat\": true,\n      \"capabilities\": {\"portMappings\": true}\n    },\n    {\n      \"type\": \"bandwidth\",\n      \"capabilities\": {\"bandwidth\": true}\n    }\n  ]\n}",
                "typha_service_name": "none",
                "veth_mtu": "0",
            }),
        ),
    );
    create(api, "configmaps", Some("kube-public"), cm("cluster-info", json!({"kubeconfig": cluster_only_kubeconfig(&server, &ca_b64)})));
    // kubeadm init's default bootstrap token (valid 24 h).
    let id = api.rng.name_suffix(6).to_lowercase();
    let secret = api.rng.name_suffix(16).to_lowercase();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    create(
        api,
        "secrets",
        Some("kube-system"),
        json!({"apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token", "metadata": {"name": format!("bootstrap-token-{id}")},
        "data": {
            "auth-extra-groups": b64("system:bootstrappers:kubeadm:default-node-token"),
            "expiration": b64(&format_rfc3339(api.clock.now + 86_400)),
            "token-id": b64(&id),
            "token-secret": b64(&secret),
            "usage-bootstrap-authentication": b64("true"),
            "usage-bootstrap-signing": b64("true"),
        }}),
    );
    for (name, id) in [("kube-controller-manager", "kube-controller-manager"), ("kube-scheduler", "kube-scheduler")] {
        let holder = format!("{}_{}", cp.name, api.rng.uuid());
        let _ = id;
        create(
            api,
            "leases",
            Some("kube-system"),
            json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": name},
                "spec": {"acquireTime": micro(api.clock.now), "holderIdentity": holder, "leaseDurationSeconds": 15, "leaseTransitions": 0, "renewTime": micro(api.clock.now + 600)}}),
        );
    }
    let apiserver_id = format!("apiserver-{}", api.rng.name_suffix(26).to_lowercase());
    let holder = format!("{apiserver_id}_{}", api.rng.uuid());
    create(
        api,
        "leases",
        Some("kube-system"),
        json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": apiserver_id, "labels": {"apiserver.kubernetes.io/identity": "kube-apiserver", "kubernetes.io/hostname": cp.name}},
            "spec": {"holderIdentity": holder, "leaseDurationSeconds": 3600, "renewTime": micro(api.clock.now + 600)}}),
    );
}

/// A pod-template or controller-revision hash: Kubernetes renders the 32-bit FNV hash in
/// decimal and maps each digit through the name-suffix alphabet (`rand.SafeEncodeString`), which
/// is why such hashes only use `4-9`, `b`, `c`, `d` and `f` (`coredns-668d6bf9bc`).
pub fn template_hash(api: &mut Api<'_>) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let n = api.rng.next_u64() as u32;
    n.to_string().bytes().map(|b| ALPHABET[usize::from(b) % ALPHABET.len()] as char).collect()
}

fn micro(t: i64) -> String {
    format!("{}.000000Z", format_rfc3339(t).trim_end_matches('Z'))
}

fn hex(api: &mut Api<'_>) -> String {
    (0..4).map(|_| format!("{:016x}", api.rng.next_u64())).collect()
}

pub fn seed_services(api: &mut Api<'_>, cp: &NodeSpec) {
    create(
        api,
        "services",
        Some("default"),
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubernetes", "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}], "type": "ClusterIP"}}),
    );
    create(
        api,
        "endpoints",
        Some("default"),
        json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "kubernetes", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": cp.ip}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]}),
    );
    create(
        api,
        "endpointslices",
        Some("default"),
        json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "kubernetes", "labels": {"kubernetes.io/service-name": "kubernetes"}},
            "addressType": "IPv4", "endpoints": [{"addresses": [cp.ip], "conditions": {"ready": true}}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}),
    );
    create(
        api,
        "services",
        Some("kube-system"),
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kube-dns",
                "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
                "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"}},
            "spec": {"clusterIP": "10.96.0.10", "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}],
                "selector": {"k8s-app": "kube-dns"}, "type": "ClusterIP"}}),
    );
}

/// The owner reference a controller puts on what it creates.
fn owner(obj: &Value) -> Value {
    json!({"apiVersion": obj["apiVersion"], "blockOwnerDeletion": true, "controller": true, "kind": obj["kind"], "name": obj["metadata"]["name"], "uid": obj["metadata"]["uid"]})
}

/// Creates a running pod from a workload template on `node`.
#[allow(clippy::too_many_arguments, reason = "a seeding helper: each argument is one field of the pod it builds")]
fn pod_from_template(
    api: &mut Api<'_>,
    template: &Value,
    generate_name: &str,
    extra_labels: Value,
    owner_ref: Value,
    node: &NodeSpec,
    pod_ip: &str,
    started: i64,
    extra_spec: impl Fn(&mut serde_json::Map<String, Value>),
) -> Option<Value> {
    let mut labels = template.pointer("/metadata/labels").cloned().unwrap_or(json!({}));
    if let (Some(l), Some(extra)) = (labels.as_object_mut(), extra_labels.as_object()) {
        for (k, v) in extra {
            l.insert(k.clone(), v.clone());
        }
    }
    let mut spec = template.get("spec").cloned().unwrap_or(json!({}));
    if let Some(s) = spec.as_object_mut() {
        s.insert("nodeName".into(), json!(node.name));
        extra_spec(s);
    }
    let mut meta = json!({"generateName": generate_name, "labels": labels, "ownerReferences": [owner_ref]});
    if let Some(ann) = template.pointer("/metadata/annotations") {
        meta["annotations"] = ann.clone();
    }
    let pod = create(api, "pods", Some("kube-system"), json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}))?;
    let status = running_pod_status(&pod, &node.ip, pod_ip, started, api.rng);
    set_status(api, "pods", &pod, status)
}

fn deployment_status(replicas: i64, rs_name: &str, at: &str) -> Value {
    json!({"availableReplicas": replicas, "conditions": [
        {"lastTransitionTime": at, "lastUpdateTime": at, "message": "Deployment has minimum availability.", "reason": "MinimumReplicasAvailable", "status": "True", "type": "Available"},
        {"lastTransitionTime": at, "lastUpdateTime": at, "message": format!("ReplicaSet \"{rs_name}\" has successfully progressed."), "reason": "NewReplicaSetAvailable", "status": "True", "type": "Progressing"}],
        "observedGeneration": 1, "readyReplicas": replicas, "replicas": replicas, "updatedReplicas": replicas})
}

/// A Deployment with its ReplicaSet and running pods, as the controllers leave them.
fn seed_deployment(api: &mut Api<'_>, body: Value, placements: &[(&NodeSpec, String)], started: i64) -> Vec<Value> {
    let Some(dep) = create(api, "deployments", Some("kube-system"), body) else { return Vec::new() };
    let name = dep["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let replicas = dep.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
    let hash = template_hash(api);
    let rs_name = format!("{name}-{hash}");
    let mut template = dep["spec"]["template"].clone();
    template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    let mut selector = dep["spec"]["selector"].clone();
    selector["matchLabels"]["pod-template-hash"] = json!(hash);
    let surge = 1 + replicas / 4;
    let mut rs_labels = dep.pointer("/spec/template/metadata/labels").cloned().unwrap_or(json!({}));
    rs_labels["pod-template-hash"] = json!(hash);
    let rs_body = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": rs_name, "labels": rs_labels,
        "annotations": {"deployment.kubernetes.io/desired-replicas": replicas.to_string(), "deployment.kubernetes.io/max-replicas": (replicas + surge).to_string(), "deployment.kubernetes.io/revision": "1"},
        "ownerReferences": [owner(&dep)]},
        "spec": {"replicas": replicas, "selector": selector, "template": template.clone()}});
    let Some(rs) = create(api, "replicasets", Some("kube-system"), rs_body) else { return Vec::new() };
    let at = format_rfc3339(started + 10);
    set_status(
        api,
        "replicasets",
        &rs,
        json!({"availableReplicas": replicas, "fullyLabeledReplicas": replicas, "observedGeneration": 1, "readyReplicas": replicas, "replicas": replicas}),
    );
    let mut dep_now = dep.clone();
    dep_now["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = json!("1");
    if let Some(r) = super::res("deployments")
        && let Ok(updated) =
            api.update(&super::super::api::UserInfo::system(), r, Some("kube-system"), dep_now, &super::super::api::WriteOptions::default())
    {
        set_status(api, "deployments", &updated, deployment_status(replicas, &rs_name, &at));
    }
    let mut pods = Vec::new();
    for (node, ip) in placements {
        if let Some(p) = pod_from_template(api, &template, &format!("{rs_name}-"), json!({}), owner(&rs), node, ip, started, |_| {}) {
            pods.push(p);
        }
    }
    pods
}

/// A DaemonSet with its ControllerRevision and one running pod per node.
fn seed_daemonset(api: &mut Api<'_>, body: Value, nodes: &[NodeSpec], pod_ip: impl Fn(&NodeSpec) -> String, started: i64) {
    let Some(ds) = create(api, "daemonsets", Some("kube-system"), body) else { return };
    let name = ds["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let mut ds_now = ds.clone();
    ds_now["metadata"]["annotations"]["deprecated.daemonset.template.generation"] = json!("1");
    let ds = super::res("daemonsets")
        .and_then(|r| {
            api.update(&super::super::api::UserInfo::system(), r, Some("kube-system"), ds_now, &super::super::api::WriteOptions::default())
                .ok()
        })
        .unwrap_or(ds);
    let hash = template_hash(api);
    let mut cr_labels = ds.pointer("/spec/template/metadata/labels").cloned().unwrap_or(json!({}));
    cr_labels["controller-revision-hash"] = json!(hash);
    let mut patch_template = ds["spec"]["template"].clone();
    patch_template["$patch"] = json!("replace");
    create(
        api,
        "controllerrevisions",
        Some("kube-system"),
        json!({"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": {"name": format!("{name}-{hash}"), "labels": cr_labels,
            "annotations": {"deprecated.daemonset.template.generation": "1"}, "ownerReferences": [owner(&ds)]},
            "data": {"spec": {"template": patch_template}}, "revision": 1}),
    );
    let n = nodes.len() as i64;
    set_status(
        api,
        "daemonsets",
        &ds,
        json!({"currentNumberScheduled": n, "desiredNumberScheduled": n, "numberAvailable": n, "numberMisscheduled": 0, "numberReady": n, "observedGeneration": 1, "updatedNumberScheduled": n}),
    );
    let template = ds["spec"]["template"].clone();
    let host_network = template.pointer("/spec/hostNetwork").and_then(Value::as_bool) == Some(true);
    for node in nodes {
        let node_name = node.name.clone();
        pod_from_template(
            api,
            &template,
            &format!("{name}-"),
            json!({"controller-revision-hash": hash, "pod-template-generation": "1"}),
            owner(&ds),
            node,
            &pod_ip(node),
            started,
            |s| {
                s.insert("affinity".into(), json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}]}}}));
                // The DaemonSet controller's tolerations (`util.AddOrUpdateDaemonPodTolerations`).
                let tols = s.entry("tolerations").or_insert_with(|| json!([]));
                if let Value::Array(list) = tols {
                    let mut add = vec![
                        json!({"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists"}),
                        json!({"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists"}),
                        json!({"effect": "NoSchedule", "key": "node.kubernetes.io/disk-pressure", "operator": "Exists"}),
                        json!({"effect": "NoSchedule", "key": "node.kubernetes.io/memory-pressure", "operator": "Exists"}),
                        json!({"effect": "NoSchedule", "key": "node.kubernetes.io/pid-pressure", "operator": "Exists"}),
                        json!({"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "operator": "Exists"}),
                    ];
                    if host_network {
                        add.push(json!({"effect": "NoSchedule", "key": "node.kubernetes.io/network-unavailable", "operator": "Exists"}));
                    }
                    for t in add {
                        if !list.contains(&t) {
                            list.push(t);
                        }
                    }
                }
            },
        );
    }
}

fn env_field(name: &str, path: &str) -> Value {
    json!({"name": name, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": path}}})
}

fn env_cm(name: &str, key: &str) -> Value {
    json!({"name": name, "valueFrom": {"configMapKeyRef": {"key": key, "name": "calico-config"}}})
}

fn host_path(name: &str, path: &str, ty: Option<&str>) -> Value {
    match ty {
        Some(t) => json!({"hostPath": {"path": path, "type": t}, "name": name}),
        None => json!({"hostPath": {"path": path}, "name": name}),
    }
}

pub fn seed_workloads(api: &mut Api<'_>, nodes: &[NodeSpec], version: &str, installed: i64) {
    let Some(cp) = nodes.iter().find(|n| n.control_plane).cloned() else { return };
    let started = installed + 30;
    // Calico first: it makes the nodes' networking ready.
    let calico_image = |c: &str| format!("docker.io/calico/{c}:{CALICO_VERSION}");
    let calico_node = json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "calico-node", "labels": {"k8s-app": "calico-node"}},
        "spec": {"selector": {"matchLabels": {"k8s-app": "calico-node"}},
            "template": {"metadata": {"labels": {"k8s-app": "calico-node"}}, "spec": {
                "containers": [{"env": [
                        {"name": "DATASTORE_TYPE", "value": "kubernetes"},
                        {"name": "WAIT_FOR_DATASTORE", "value": "true"},
                        env_field("NODENAME", "spec.nodeName"),
                        env_cm("CALICO_NETWORKING_BACKEND", "calico_backend"),
                        {"name": "CLUSTER_TYPE", "value": "k8s,bgp"},
                        {"name": "IP", "value": "autodetect"},
                        {"name": "CALICO_IPV4POOL_IPIP", "value": "Always"},
                        {"name": "CALICO_IPV4POOL_VXLAN", "value": "Never"},
                        {"name": "CALICO_IPV6POOL_VXLAN", "value": "Never"},
                        env_cm("FELIX_IPINIPMTU", "veth_mtu"),
                        env_cm("FELIX_VXLANMTU", "veth_mtu"),
                        env_cm("FELIX_WIREGUARDMTU", "veth_mtu"),
                        {"name": "CALICO_IPV4POOL_CIDR", "value": "10.244.0.0/16"},
                        {"name": "CALICO_DISABLE_FILE_LOGGING", "value": "true"},
                        {"name": "FELIX_DEFAULTENDPOINTTOHOSTACTION", "value": "ACCEPT"},
                        {"name": "FELIX_IPV6SUPPORT", "value": "false"},
                        {"name": "FELIX_HEALTHENABLED", "value": "true"}],
                    "envFrom": [{"configMapRef": {"name": "kubernetes-services-endpoint", "optional": true}}],
                    "image": calico_image("node"),
                    "imagePullPolicy": "IfNotPresent",
                    "lifecycle": {"preStop": {"exec": {"command": ["/bin/calico-node", "-shutdown"]}}},
                    "livenessProbe": {"exec": {"command": ["/bin/calico-node", "-felix-live", "-bird-live"]}, "failureThreshold": 6, "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 10},
                    "name": "calico-node",
                    "readinessProbe": {"exec": {"command": ["/bin/calico-node", "-felix-ready", "-bird-ready"]}, "periodSeconds": 10, "timeoutSeconds": 10},
                    "resources": {"requests": {"cpu": "250m"}},
                    "securityContext": {"privileged": true},
                    "volumeMounts": [
                        {"mountPath": "/host/etc/cni/net.d", "name": "cni-net-dir"},
                        {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": true},
                        {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                        {"mountPath": "/var/run/calico", "name": "var-run-calico"},
                        {"mountPath": "/var/lib/calico", "name": "var-lib-calico"},
                        {"mountPath": "/var/run/nodeagent", "name": "policysync"},
                        {"mountPath": "/sys/fs/bpf", "name": "bpffs"},
                        {"mountPath": "/var/log/calico/cni", "name": "cni-log-dir", "readOnly": true}]}],
                "hostNetwork": true,
                "initContainers": [
                    {"command": ["/opt/cni/bin/calico-ipam", "-upgrade"], "env": [env_field("KUBERNETES_NODE_NAME", "spec.nodeName"), env_cm("CALICO_NETWORKING_BACKEND", "calico_backend")],
                        "envFrom": [{"configMapRef": {"name": "kubernetes-services-endpoint", "optional": true}}],
                        "image": calico_image("cni"), "imagePullPolicy": "IfNotPresent", "name": "upgrade-ipam", "securityContext": {"privileged": true},
                        "volumeMounts": [{"mountPath": "/var/lib/cni/networks", "name": "host-local-net-dir"}, {"mountPath": "/host/opt/cni/bin", "name": "cni-bin-dir"}]},
                    {"command": ["/opt/cni/bin/install"], "env": [{"name": "CNI_CONF_NAME", "value": "10-calico.conflist"}, env_cm("CNI_NETWORK_CONFIG", "cni_network_config"),
                            env_field("KUBERNETES_NODE_NAME", "spec.nodeName"), env_cm("CNI_MTU", "veth_mtu"), {"name": "SLEEP", "value": "false"}],
                        "envFrom": [{"configMapRef": {"name": "kubernetes-services-endpoint", "optional": true}}],
                        "image": calico_image("cni"), "imagePullPolicy": "IfNotPresent", "name": "install-cni", "securityContext": {"privileged": true},
                        "volumeMounts": [{"mountPath": "/host/opt/cni/bin", "name": "cni-bin-dir"}, {"mountPath": "/host/etc/cni/net.d", "name": "cni-net-dir"}]},
                    {"command": ["calico-node", "-init", "-best-effort"], "image": calico_image("node"), "imagePullPolicy": "IfNotPresent", "name": "mount-bpffs",
                        "securityContext": {"privileged": true},
                        "volumeMounts": [{"mountPath": "/sys/fs", "mountPropagation": "Bidirectional", "name": "sys-fs"}, {"mountPath": "/var/run/calico", "mountPropagation": "Bidirectional", "name": "var-run-calico"}, {"mountPath": "/nodeproc", "name": "nodeproc", "readOnly": true}]}],
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "priorityClassName": "system-node-critical",
                "serviceAccountName": "calico-node",
                "terminationGracePeriodSeconds": 0,
                "tolerations": [{"effect": "NoSchedule", "operator": "Exists"}, {"key": "CriticalAddonsOnly", "operator": "Exists"}, {"effect": "NoExecute", "operator": "Exists"}],
                "volumes": [
                    host_path("lib-modules", "/lib/modules", None),
                    host_path("var-run-calico", "/var/run/calico", Some("DirectoryOrCreate")),
                    host_path("var-lib-calico", "/var/lib/calico", Some("DirectoryOrCreate")),
                    host_path("xtables-lock", "/run/xtables.lock", Some("FileOrCreate")),
                    host_path("sys-fs", "/sys/fs/", Some("DirectoryOrCreate")),
                    host_path("bpffs", "/sys/fs/bpf", Some("Directory")),
                    host_path("nodeproc", "/proc", None),
                    host_path("cni-bin-dir", "/opt/cni/bin", Some("DirectoryOrCreate")),
                    host_path("cni-net-dir", "/etc/cni/net.d", None),
                    host_path("cni-log-dir", "/var/log/calico/cni", None),
                    host_path("host-local-net-dir", "/var/lib/cni/networks", None),
                    host_path("policysync", "/var/run/nodeagent", Some("DirectoryOrCreate"))]}},
            "updateStrategy": {"rollingUpdate": {"maxUnavailable": 1}, "type": "RollingUpdate"}}});
    seed_daemonset(api, calico_node, nodes, |n| n.ip.clone(), started);
    let proxy = json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "kube-proxy", "labels": {"k8s-app": "kube-proxy"}},
        "spec": {"selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
            "template": {"metadata": {"labels": {"k8s-app": "kube-proxy"}}, "spec": {
                "containers": [{"command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"],
                    "env": [env_field("NODE_NAME", "spec.nodeName")],
                    "image": format!("registry.k8s.io/kube-proxy:{version}"),
                    "imagePullPolicy": "IfNotPresent",
                    "name": "kube-proxy",
                    "securityContext": {"privileged": true},
                    "volumeMounts": [{"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"}, {"mountPath": "/run/xtables.lock", "name": "xtables-lock"}, {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": true}]}],
                "hostNetwork": true,
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "priorityClassName": "system-node-critical",
                "serviceAccountName": "kube-proxy",
                "tolerations": [{"operator": "Exists"}],
                "volumes": [{"configMap": {"name": "kube-proxy"}, "name": "kube-proxy"}, host_path("xtables-lock", "/run/xtables.lock", Some("FileOrCreate")), host_path("lib-modules", "/lib/modules", None)]}},
            "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"}}});
    seed_daemonset(api, proxy, nodes, |n| n.ip.clone(), started);
    let controllers = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "calico-kube-controllers", "labels": {"k8s-app": "calico-kube-controllers"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"k8s-app": "calico-kube-controllers"}}, "strategy": {"type": "Recreate"},
            "template": {"metadata": {"labels": {"k8s-app": "calico-kube-controllers"}, "name": "calico-kube-controllers", "namespace": "kube-system"}, "spec": {
                "containers": [{"env": [{"name": "ENABLED_CONTROLLERS", "value": "node,loadbalancer"}, {"name": "DATASTORE_TYPE", "value": "kubernetes"}],
                    "image": calico_image("kube-controllers"), "imagePullPolicy": "IfNotPresent",
                    "livenessProbe": {"exec": {"command": ["/usr/bin/check-status", "-l"]}, "failureThreshold": 6, "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 10},
                    "name": "calico-kube-controllers",
                    "readinessProbe": {"exec": {"command": ["/usr/bin/check-status", "-r"]}, "periodSeconds": 10},
                    "securityContext": {"runAsNonRoot": true}}],
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "priorityClassName": "system-cluster-critical",
                "serviceAccountName": "calico-kube-controllers",
                "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"}, {"effect": "NoSchedule", "key": "node-role.kubernetes.io/master"}, {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]}}}});
    let cp_pod_ip = |i: u8| format!("10.244.{}.{}", cp.index, i);
    let calico_pods = seed_deployment(api, controllers, &[(&cp, cp_pod_ip(2))], started + 10);
    let coredns = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "coredns", "labels": {"k8s-app": "kube-dns"}},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"k8s-app": "kube-dns"}}, "strategy": {"rollingUpdate": {"maxUnavailable": 1}, "type": "RollingUpdate"},
            "template": {"metadata": {"labels": {"k8s-app": "kube-dns"}}, "spec": {
                "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"podAffinityTerm": {"labelSelector": {"matchExpressions": [{"key": "k8s-app", "operator": "In", "values": ["kube-dns"]}]}, "topologyKey": "kubernetes.io/hostname"}, "weight": 100}]}},
                "containers": [{"args": ["-conf", "/etc/coredns/Corefile"], "image": COREDNS_IMAGE, "imagePullPolicy": "IfNotPresent",
                    "livenessProbe": {"failureThreshold": 5, "httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"}, "initialDelaySeconds": 60, "successThreshold": 1, "timeoutSeconds": 5},
                    "name": "coredns",
                    "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"}, {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"}, {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"}},
                    "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                    "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]}, "readOnlyRootFilesystem": true},
                    "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": true}]}],
                "dnsPolicy": "Default",
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "priorityClassName": "system-cluster-critical",
                "serviceAccountName": "coredns",
                "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"}, {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
                "volumes": [{"configMap": {"items": [{"key": "Corefile", "path": "Corefile"}], "name": "coredns"}, "name": "config-volume"}]}}}});
    let dns_pods = seed_deployment(api, coredns, &[(&cp, cp_pod_ip(3)), (&cp, cp_pod_ip(4))], started + 10);
    let _ = calico_pods;
    seed_dns_endpoints(api, &cp, &dns_pods, started + 20);
}

/// The kube-dns Endpoints and EndpointSlice (endpoint and endpointslice controllers).
fn seed_dns_endpoints(api: &mut Api<'_>, cp: &NodeSpec, pods: &[Value], at: i64) {
    let Some(svc) = super::res("services").and_then(|r| api.cluster.store.get(r, "kube-system", "kube-dns")).cloned() else { return };
    let target = |p: &Value| json!({"kind": "Pod", "name": p["metadata"]["name"], "namespace": "kube-system", "uid": p["metadata"]["uid"]});
    let mut ordered: Vec<&Value> = pods.iter().collect();
    ordered.sort_by_key(|p| p.pointer("/status/podIP").and_then(Value::as_str).unwrap_or_default().to_string());
    let addresses: Vec<Value> =
        ordered.iter().map(|p| json!({"ip": p["status"]["podIP"], "nodeName": cp.name, "targetRef": target(p)})).collect();
    let stamp = format_rfc3339(at);
    create(
        api,
        "endpoints",
        Some("kube-system"),
        json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "kube-dns", "labels": svc["metadata"]["labels"],
                "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": stamp}},
            "subsets": [{"addresses": addresses, "ports": [{"name": "dns-tcp", "port": 53, "protocol": "TCP"}, {"name": "dns", "port": 53, "protocol": "UDP"}, {"name": "metrics", "port": 9153, "protocol": "TCP"}]}]}),
    );
    let mut labels = svc["metadata"]["labels"].clone();
    labels["endpointslice.kubernetes.io/managed-by"] = json!("endpointslice-controller.k8s.io");
    labels["kubernetes.io/service-name"] = json!("kube-dns");
    let endpoints: Vec<Value> = ordered
        .iter()
        .map(|p| json!({"addresses": [p["status"]["podIP"]], "conditions": {"ready": true, "serving": true, "terminating": false}, "nodeName": cp.name, "targetRef": target(p)}))
        .collect();
    create(
        api,
        "endpointslices",
        Some("kube-system"),
        json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"generateName": "kube-dns-", "labels": labels,
                "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": stamp},
                "ownerReferences": [{"apiVersion": "v1", "blockOwnerDeletion": true, "controller": true, "kind": "Service", "name": "kube-dns", "uid": svc["metadata"]["uid"]}]},
            "addressType": "IPv4", "endpoints": endpoints,
            "ports": [{"name": "dns-tcp", "port": 53, "protocol": "TCP"}, {"name": "dns", "port": 53, "protocol": "UDP"}, {"name": "metrics", "port": 9153, "protocol": "TCP"}]}),
    );
}
