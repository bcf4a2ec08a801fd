//! Scenarios: named starting worlds. `default` is one kubeadm v1.35 cluster with a control plane
//! and two workers, as the CKA exam's clusters are.

use thiserror::Error;

use super::World;
use crate::cluster::{Cluster, kubeadm};
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
    /// The world, as a copy of one built once per process.
    pub build: fn() -> World,
    /// The world built from nothing (what the first [`Scenario::build`] of a process costs).
    pub build_uncached: fn() -> World,
}

pub const SCENARIOS: &[Scenario] = &[Scenario {
    name: "default",
    summary: "one kubeadm v1.35 cluster: controlplane, node01, node02",
    build: default_world,
    build_uncached: fresh_default_world,
}];

fn find(name: &str) -> Result<&'static Scenario, ScenarioError> {
    SCENARIOS
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| ScenarioError::Unknown(name.to_string(), SCENARIOS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")))
}

pub fn build(name: &str) -> Result<World, ScenarioError> {
    find(name).map(|s| (s.build)())
}

/// [`build`] without the per-process cache, for benchmarks.
pub fn build_uncached(name: &str) -> Result<World, ScenarioError> {
    find(name).map(|s| (s.build_uncached)())
}

/// The nodes of the default cluster: (hostname, InternalIP, is control plane).
pub const DEFAULT_NODES: &[(&str, &str, bool)] =
    &[("controlplane", "172.30.1.2", true), ("node01", "172.30.2.2", false), ("node02", "172.30.2.3", false)];

/// How long after the installation (the clock's epoch) a fresh session starts: 2 days 3 hours.
pub const SESSION_START_AFTER_INSTALL: i64 = 2 * 86_400 + 3 * 3600;

/// The default world. Built once per process through the real API pipeline, then copied, so
/// every fresh world after the first costs only a copy.
pub fn default_world() -> World {
    static BUILT: std::sync::OnceLock<World> = std::sync::OnceLock::new();
    BUILT.get_or_init(fresh_default_world).clone()
}

fn fresh_default_world() -> World {
    let mut world = build_default_world();
    // Seeding requests warn too (Endpoints is deprecated); no learner asked for those.
    let _ = world.take_warnings();
    // The learner arrives a while after kubeadm installed the cluster, as on an exam machine:
    // system objects show a real age, theirs start at 0s.
    world.clock.advance(SESSION_START_AFTER_INSTALL);
    world
}

fn build_default_world() -> World {
    let mut world = World::new(0x6b75_6265);
    let mut cluster = Cluster::new("kubernetes", KUBERNETES_VERSION, "172.30.1.2:6443");
    cluster.nodes = DEFAULT_NODES.iter().map(|(n, _, _)| n.to_string()).collect();
    world.clusters.insert(cluster.name.clone(), cluster);
    let specs = node_specs();
    let cp = specs.iter().find(|n| n.control_plane).cloned();
    for spec in &specs {
        let mut host = Host::new(&spec.name, Some("kubernetes"), &spec.ip);
        lay_out_kubeadm_node(&mut host);
        if let Some(cp) = &cp {
            for (path, content) in kubeadm::files::node_files(spec, cp, KUBERNETES_VERSION) {
                host.fs.put(&path, content);
            }
        }
        world.hosts.insert(spec.name.clone(), host);
    }
    if let Some(cp) = world.hosts.get_mut("controlplane") {
        cp.fs.put("/root/.kube/config", admin_kubeconfig("kubernetes", "https://172.30.1.2:6443"));
        cp.fs.put("/etc/kubernetes/admin.conf", admin_kubeconfig("kubernetes", "https://172.30.1.2:6443"));
        cp.fs.put("/etc/kubernetes/pki/ca.key", CA_KEY);
    }
    if let Some(mut api) = world.api("kubernetes") {
        kubeadm::seed(&mut api, &specs, KUBERNETES_VERSION);
    }
    world
}

/// The default nodes as kubeadm saw them (podCIDR index in join order).
fn node_specs() -> Vec<kubeadm::NodeSpec> {
    DEFAULT_NODES
        .iter()
        .enumerate()
        .map(|(index, (name, ip, control_plane))| kubeadm::NodeSpec {
            name: name.to_string(),
            ip: ip.to_string(),
            control_plane: *control_plane,
            index,
        })
        .collect()
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
    ]
    .iter()
    .chain(kubeadm::files::DIRECTORIES)
    {
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
