//! The files kubeadm leaves on each node: static pod manifests, component kubeconfigs, the PKI
//! directory layout, the kubelet's configuration and flags, and etcd's data directory.
//!
//! The PKI is real (assets/pki, written once by its generate.sh the way kubeadm v1.35 would have
//! at the world's install time), so `openssl x509 -text` and expiry checks tell the truth.

use base64::Engine;

use super::{COMPONENTS, NodeSpec, PAUSE_IMAGE, manifest_text};
use crate::world::scenario::{CA_CERT, CA_KEY};

static PKI: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/assets/pki");

/// One file of the committed PKI, by its path under assets/pki. The list of names is fixed in
/// this module and covered by a test, so a missing file is a build-time mistake, not user input.
fn pki(name: &str) -> &'static str {
    PKI.get_file(name).and_then(|f| f.contents_utf8()).unwrap_or_default()
}

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

/// A kubeadm component kubeconfig with embedded client credentials (`cert` names the
/// certificate/key pair under assets/pki).
fn component_kubeconfig(server: &str, user: &str, cert: &str) -> String {
    format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {ca}\n    server: {server}\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: {user}\n  name: {user}@kubernetes\ncurrent-context: {user}@kubernetes\nkind: Config\nusers:\n- name: {user}\n  user:\n    client-certificate-data: {cert}\n    client-key-data: {key}\n",
        ca = b64(CA_CERT),
        cert = b64(pki(&format!("{cert}.crt"))),
        key = b64(pki(&format!("{cert}.key"))),
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
    let n = &node.name;
    let client_pem = format!("{}{}", pki(&format!("kubelet/{n}-client.crt")), pki(&format!("kubelet/{n}-client.key")));
    add("/var/lib/kubelet/pki/kubelet-client-current.pem", client_pem);
    add("/var/lib/kubelet/pki/kubelet.crt", pki(&format!("kubelet/{n}.crt")).to_string());
    add("/var/lib/kubelet/pki/kubelet.key", pki(&format!("kubelet/{n}.key")).to_string());
    if node.control_plane {
        for c in COMPONENTS {
            add(&format!("/etc/kubernetes/manifests/{c}.yaml"), manifest_text(c, cp, version));
        }
        add(
            "/etc/kubernetes/controller-manager.conf",
            component_kubeconfig(&server, "system:kube-controller-manager", "controller-manager"),
        );
        add("/etc/kubernetes/scheduler.conf", component_kubeconfig(&server, "system:kube-scheduler", "scheduler"));
        add("/etc/kubernetes/super-admin.conf", component_kubeconfig(&server, "kubernetes-super-admin", "super-admin"));
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
            add(&format!("/etc/kubernetes/pki/{pair}.crt"), pki(&format!("{pair}.crt")).to_string());
            add(&format!("/etc/kubernetes/pki/{pair}.key"), pki(&format!("{pair}.key")).to_string());
        }
        add("/etc/kubernetes/pki/sa.key", pki("sa.key").to_string());
        add("/etc/kubernetes/pki/sa.pub", pki("sa.pub").to_string());
        add("/var/lib/etcd/member/snap/db", String::new());
        add("/var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal", String::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programs::kubectl::client::x509;

    fn spec(name: &str, ip: &str, index: usize) -> NodeSpec {
        NodeSpec { name: name.into(), ip: ip.into(), control_plane: index == 0, index }
    }

    fn files_of(name: &str) -> Vec<(String, String)> {
        let cp = spec("controlplane", "172.30.1.2", 0);
        let index = ["controlplane", "node01", "node02"].iter().position(|n| *n == name).expect("a default node");
        node_files(&spec(name, "172.30.2.2", index), &cp, "v1.35.2")
    }

    #[test]
    fn every_certificate_is_real_and_named_as_kubeadm_names_it() {
        let files = files_of("controlplane");
        let cert = |path: &str| {
            let (_, pem) = files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("{path} missing"));
            x509::parse(pem.as_bytes()).unwrap_or_else(|e| panic!("{path}: {e:?}"))
        };
        for (path, cn, issuer) in [
            ("/etc/kubernetes/pki/apiserver.crt", "kube-apiserver", "kubernetes"),
            ("/etc/kubernetes/pki/apiserver-kubelet-client.crt", "kube-apiserver-kubelet-client", "kubernetes"),
            ("/etc/kubernetes/pki/apiserver-etcd-client.crt", "kube-apiserver-etcd-client", "etcd-ca"),
            ("/etc/kubernetes/pki/front-proxy-client.crt", "front-proxy-client", "front-proxy-ca"),
            ("/etc/kubernetes/pki/etcd/server.crt", "controlplane", "etcd-ca"),
            ("/etc/kubernetes/pki/etcd/healthcheck-client.crt", "kube-etcd-healthcheck-client", "etcd-ca"),
            ("/var/lib/kubelet/pki/kubelet.crt", "controlplane@1768467600", "controlplane-ca@1768467600"),
        ] {
            let info = cert(path);
            assert_eq!((info.subject_cn.as_str(), info.issuer_cn.as_str()), (cn, issuer), "{path}");
        }
        // Leaf certificates last one year from the install; CAs ten.
        let year = cert("/etc/kubernetes/pki/apiserver.crt");
        assert_eq!(year.not_after - year.not_before, 365 * 86400 + 300);
        let ca = cert("/etc/kubernetes/pki/etcd/ca.crt");
        assert_eq!(ca.not_after - ca.not_before, 3650 * 86400 + 300);
        assert!(files.iter().all(|(p, c)| !p.ends_with(".key") || c.starts_with("-----BEGIN PRIVATE KEY-----")));
        assert!(files.iter().any(|(p, c)| p.ends_with("sa.pub") && c.starts_with("-----BEGIN PUBLIC KEY-----")));
    }

    #[test]
    fn each_kubelet_has_its_own_client_identity() {
        for node in ["controlplane", "node01", "node02"] {
            let files = files_of(node);
            let (_, pem) = files.iter().find(|(p, _)| p.ends_with("kubelet-client-current.pem")).expect("client pem");
            let info = x509::parse(pem.as_bytes()).expect("a certificate");
            assert_eq!(info.subject_cn, format!("system:node:{node}"));
            assert_eq!(info.subject_o, vec!["system:nodes".to_string()]);
            assert!(pem.contains("-----BEGIN PRIVATE KEY-----"));
        }
    }
}
