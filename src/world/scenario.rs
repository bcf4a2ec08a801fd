//! Scenarios: named starting worlds. `default` is one kubeadm v1.35 cluster with a control plane
//! and two workers, as the CKA exam's clusters are.

use serde_json::{Value, json};
use thiserror::Error;

use super::World;
use crate::cluster::{Api, Cluster, Registry, UserInfo, WriteOptions};
use crate::host::Host;

#[derive(Debug, Error)]
pub enum ScenarioError {
    #[error("unknown scenario \"{0}\" (available: {1})")]
    Unknown(String, String),
}

/// The Kubernetes version every scenario's cluster runs (the CKA exam's).
pub const KUBERNETES_VERSION: &str = "v1.35.2";

/// A scenario by name.
pub struct Scenario {
    pub name: &'static str,
    pub summary: &'static str,
    pub build: fn() -> World,
}

pub const SCENARIOS: &[Scenario] =
    &[Scenario { name: "default", summary: "one kubeadm v1.35 cluster: controlplane, node01, node02", build: default_world }];

pub fn build(name: &str) -> Result<World, ScenarioError> {
    SCENARIOS
        .iter()
        .find(|s| s.name == name)
        .map(|s| (s.build)())
        .ok_or_else(|| ScenarioError::Unknown(name.to_string(), SCENARIOS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")))
}

/// The nodes of the default cluster: (hostname, InternalIP, is control plane).
pub const DEFAULT_NODES: &[(&str, &str, bool)] =
    &[("controlplane", "172.30.1.2", true), ("node01", "172.30.2.2", false), ("node02", "172.30.2.3", false)];

pub fn default_world() -> World {
    let mut world = World::new(0x6b75_6265);
    let mut cluster = Cluster::new("kubernetes", KUBERNETES_VERSION, "172.30.1.2:6443");
    cluster.nodes = DEFAULT_NODES.iter().map(|(n, _, _)| n.to_string()).collect();
    world.clusters.insert(cluster.name.clone(), cluster);
    for (name, ip, _) in DEFAULT_NODES {
        let mut host = Host::new(name, Some("kubernetes"), ip);
        lay_out_kubeadm_node(&mut host);
        world.hosts.insert(name.to_string(), host);
    }
    if let Some(cp) = world.hosts.get_mut("controlplane") {
        cp.fs.put("/root/.kube/config", admin_kubeconfig("kubernetes", "https://172.30.1.2:6443"));
        cp.fs.put("/etc/kubernetes/admin.conf", admin_kubeconfig("kubernetes", "https://172.30.1.2:6443"));
        cp.fs.put("/etc/kubernetes/pki/ca.key", CA_KEY);
    }
    seed_objects(&mut world);
    world
}

/// The directories kubeadm and the packages leave on every node.
fn lay_out_kubeadm_node(host: &mut Host) {
    host.fs.put("/etc/kubernetes/pki/ca.crt", CA_CERT);
    for dir in [
        "/etc/kubernetes/manifests",
        "/etc/kubernetes/pki",
        "/var/lib/kubelet",
        "/var/lib/etcd",
        "/opt",
        "/root",
        "/tmp",
        "/usr/bin",
        "/var/log",
    ] {
        let _ = host.fs.mkdir_all(dir);
    }
    host.fs.put("/etc/hostname", format!("{}\n", host.name));
}

/// The cluster CA and the admin client certificate: real X.509 material generated once for the
/// simulation (CA `CN=kubernetes`; admin `O=kubeadm:cluster-admins, CN=kubernetes-admin`, valid
/// from the scenario epoch for one year, as kubeadm issues them), so that real tools accept them.
pub const CA_CERT: &str = include_str!("../../assets/pki/ca.crt");
pub const CA_KEY: &str = include_str!("../../assets/pki/ca.key");
pub const ADMIN_CERT: &str = include_str!("../../assets/pki/admin.crt");
pub const ADMIN_KEY: &str = include_str!("../../assets/pki/admin.key");

/// A kubeadm-style admin kubeconfig for `cluster` at `server`.
pub fn admin_kubeconfig(cluster: &str, server: &str) -> String {
    use base64::Engine;
    let b64 = |pem: &str| base64::engine::general_purpose::STANDARD.encode(pem);
    format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {ca}\n    server: {server}\n  name: {cluster}\ncontexts:\n- context:\n    cluster: {cluster}\n    user: kubernetes-admin\n  name: kubernetes-admin@{cluster}\ncurrent-context: kubernetes-admin@{cluster}\nkind: Config\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: {cert}\n    client-key-data: {key}\n",
        ca = b64(CA_CERT),
        cert = b64(ADMIN_CERT),
        key = b64(ADMIN_KEY),
    )
}

/// The objects a freshly installed kubeadm cluster holds.
fn seed_objects(world: &mut World) {
    let Some(mut api) = world.api("kubernetes") else { return };
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        create(
            &mut api,
            "namespaces",
            None,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "labels": {"kubernetes.io/metadata.name": ns}}}),
        );
    }
    for (name, ip, control_plane) in DEFAULT_NODES {
        let mut labels = json!({"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux"});
        let mut spec = json!({});
        if *control_plane {
            labels["node-role.kubernetes.io/control-plane"] = json!("");
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = json!("");
            spec = json!({"taints": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]});
        }
        create(
            &mut api,
            "nodes",
            None,
            json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels}, "spec": spec,
                "status": {"addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
                    "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
                    "nodeInfo": {"kubeletVersion": KUBERNETES_VERSION, "osImage": "Ubuntu 24.04.3 LTS", "kernelVersion": "6.8.0-85-generic", "containerRuntimeVersion": "containerd://2.1.4", "architecture": "amd64", "operatingSystem": "linux"}}}),
        );
    }
    create(
        &mut api,
        "services",
        Some("default"),
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubernetes", "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"], "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}], "type": "ClusterIP", "sessionAffinity": "None"}}),
    );
}

fn create(api: &mut Api<'_>, resource: &str, namespace: Option<&str>, obj: Value) {
    if let Some(res) = Registry::builtin().lookup(resource) {
        let _ = api.create(&UserInfo::system(), res, namespace, obj, &WriteOptions::default());
    }
}
