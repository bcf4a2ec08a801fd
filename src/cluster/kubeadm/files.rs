//! The files kubeadm leaves on each node: static pod manifests, component kubeconfigs, the PKI
//! directory layout, the kubelet's configuration and flags, and etcd's data directory.
//!
//! Certificates other than the CA and the admin client are placeholders that reuse the CA's PEM
//! (a real PKI can replace them without changing the layout).

use base64::Engine;

use super::{COMPONENTS, NodeSpec, PAUSE_IMAGE, manifest_text};
use crate::world::scenario::{ADMIN_CERT, ADMIN_KEY, CA_CERT, CA_KEY};

const KUBELET_CONFIG: &str = include_str!("../../../assets/kubeadm/kubelet-config.yaml");

/// Directories that exist on every node besides the files' parents.
pub const DIRECTORIES: &[&str] = &[
    "/etc/kubernetes/manifests",
    "/etc/kubernetes/pki",
    "/etc/cni/net.d",
    "/opt/cni/bin",
    "/var/lib/kubelet/pki",
    "/var/lib/kubelet/pods",
    "/var/log/pods",
    "/var/log/containers",
];

fn b64(pem: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(pem)
}

/// A kubeadm component kubeconfig with embedded client credentials.
fn component_kubeconfig(server: &str, user: &str) -> String {
    format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {ca}\n    server: {server}\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: {user}\n  name: {user}@kubernetes\ncurrent-context: {user}@kubernetes\nkind: Config\nusers:\n- name: {user}\n  user:\n    client-certificate-data: {cert}\n    client-key-data: {key}\n",
        ca = b64(CA_CERT),
        cert = b64(ADMIN_CERT),
        key = b64(ADMIN_KEY),
    )
}

/// The kubelet's kubeconfig after TLS bootstrap: credentials rotate in /var/lib/kubelet/pki.
fn kubelet_kubeconfig(server: &str, node: &str) -> String {
    format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {ca}\n    server: {server}\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: system:node:{node}\n  name: system:node:{node}@kubernetes\ncurrent-context: system:node:{node}@kubernetes\nkind: Config\nusers:\n- name: system:node:{node}\n  user:\n    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n",
        ca = b64(CA_CERT),
    )
}

/// Every file of `node` as (path, content), for a cluster whose control plane is `cp`.
pub fn node_files(node: &NodeSpec, cp: &NodeSpec, version: &str) -> Vec<(String, String)> {
    let server = format!("https://{}:6443", cp.ip);
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |p: &str, c: String| out.push((p.to_string(), c));
    add("/etc/kubernetes/pki/ca.crt", CA_CERT.to_string());
    add("/etc/kubernetes/kubelet.conf", kubelet_kubeconfig(&server, &node.name));
    add("/var/lib/kubelet/config.yaml", KUBELET_CONFIG.to_string());
    add(
        "/var/lib/kubelet/kubeadm-flags.env",
        format!(
            "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image={PAUSE_IMAGE}\"\n"
        ),
    );
    let client_pem = format!("{ADMIN_CERT}{ADMIN_KEY}");
    add("/var/lib/kubelet/pki/kubelet-client-current.pem", client_pem);
    add("/var/lib/kubelet/pki/kubelet.crt", CA_CERT.to_string());
    add("/var/lib/kubelet/pki/kubelet.key", CA_KEY.to_string());
    if node.control_plane {
        for c in COMPONENTS {
            add(&format!("/etc/kubernetes/manifests/{c}.yaml"), manifest_text(c, cp, version));
        }
        add("/etc/kubernetes/controller-manager.conf", component_kubeconfig(&server, "system:kube-controller-manager"));
        add("/etc/kubernetes/scheduler.conf", component_kubeconfig(&server, "system:kube-scheduler"));
        add("/etc/kubernetes/super-admin.conf", component_kubeconfig(&server, "kubernetes-super-admin"));
        add("/etc/kubernetes/pki/ca.key", CA_KEY.to_string());
        for pair in [
            "apiserver",
            "apiserver-etcd-client",
            "apiserver-kubelet-client",
            "front-proxy-ca",
            "front-proxy-client",
            "etcd/ca",
            "etcd/healthcheck-client",
            "etcd/peer",
            "etcd/server",
        ] {
            add(&format!("/etc/kubernetes/pki/{pair}.crt"), CA_CERT.to_string());
            add(&format!("/etc/kubernetes/pki/{pair}.key"), CA_KEY.to_string());
        }
        add("/etc/kubernetes/pki/sa.key", CA_KEY.to_string());
        add("/etc/kubernetes/pki/sa.pub", sa_pub());
        add("/var/lib/etcd/member/snap/db", String::new());
        add("/var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal", String::new());
    }
    out
}

/// A public-key PEM shape for sa.pub (placeholder body).
fn sa_pub() -> String {
    let body: String = CA_CERT.lines().filter(|l| !l.starts_with("-----")).take(6).collect::<Vec<_>>().join("\n");
    format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n")
}
