//! The image catalogue (`assets/images.yaml`): which repositories and tags the simulated
//! registries hold and how a container of each image behaves by default. The kubelet pulls
//! against it and the container runtime runs what it says.
//!
//! Image references are normalised as containerd does (`nginx` → `docker.io/library/nginx:latest`,
//! `pkg/kubelet/container` `ParseImageName` / distribution's `reference.ParseNormalizedNamed`), and
//! pull errors carry containerd's wording as the kubelet relays it.

use std::sync::OnceLock;

use serde::Deserialize;

/// One repository of the catalogue.
#[derive(Debug, Deserialize)]
pub struct Image {
    pub repository: String,
    pub tags: Vec<String>,
    pub size: u64,
    pub version: String,
    #[serde(default)]
    pub command: Vec<String>,
    /// Programs of the image that serve until stopped.
    #[serde(default)]
    pub servers: Vec<String>,
    #[serde(default)]
    pub listens: Option<u16>,
    #[serde(default)]
    pub logs: String,
    /// A server refuses to start unless one of these variables is set.
    #[serde(default)]
    pub needs_env: Vec<String>,
    #[serde(default)]
    pub refusal: String,
}

#[derive(Debug, Deserialize)]
struct Catalogue {
    images: Vec<Image>,
}

fn catalogue() -> &'static [Image] {
    static CATALOGUE: OnceLock<Vec<Image>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        // The asset is part of the binary and checked by the tests below; an unreadable one
        // leaves an empty catalogue (every pull fails) rather than a panic.
        serde_yaml::from_str::<Catalogue>(include_str!("../../assets/images.yaml")).map(|c| c.images).unwrap_or_default()
    })
}

/// An image reference split as containerd reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `docker.io/library/nginx`.
    pub name: String,
    /// `1.27`, or `latest` when the reference names none (and no digest).
    pub tag: String,
    pub digest: Option<String>,
}

impl Reference {
    pub fn parse(image: &str) -> Reference {
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (image, None),
        };
        let (name, tag) = match rest.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => (n.to_string(), t.to_string()),
            _ => (rest.to_string(), if digest.is_some() { String::new() } else { "latest".to_string() }),
        };
        let first = name.split('/').next().unwrap_or_default();
        let full = if !name.contains('/') {
            format!("docker.io/library/{name}")
        } else if first.contains('.') || first.contains(':') || first == "localhost" {
            name.clone()
        } else {
            format!("docker.io/{name}")
        };
        Reference { name: full, tag, digest }
    }

    /// `docker.io/library/nginx:1.27`, what containerd reports as the container's image.
    pub fn full(&self) -> String {
        match (&self.digest, self.tag.as_str()) {
            (Some(d), "") => format!("{}@{d}", self.name),
            _ => format!("{}:{}", self.name, self.tag),
        }
    }

    /// Whether the reference names the tag `latest` (explicitly or not), which makes the
    /// default pull policy Always.
    pub fn is_latest(&self) -> bool {
        self.digest.is_none() && self.tag == "latest"
    }
}

/// Why a pull failed, in containerd's words (the `rpc error: …` the kubelet relays).
pub fn pull_error(image: &str) -> Option<String> {
    let r = Reference::parse(image);
    let full = r.full();
    match find_repository(&r.name) {
        Some(img) if r.digest.is_some() || img.tags.contains(&r.tag) => None,
        Some(_) => Some(format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
        )),
        None if r.name.starts_with("docker.io/") => Some(format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        )),
        None => {
            let host = r.name.split('/').next().unwrap_or_default();
            Some(format!(
                "rpc error: code = Unknown desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": failed to do request: Head \"https://{host}/v2/{}/manifests/{}\": dial tcp: lookup {host}: no such host",
                r.name.split_once('/').map(|(_, p)| p).unwrap_or_default(),
                r.tag
            ))
        }
    }
}

fn find_repository(name: &str) -> Option<&'static Image> {
    catalogue().iter().find(|i| Reference::parse(&i.repository).name == name)
}

/// The catalogue entry of a pullable image (`None` for one the registries do not hold).
pub fn lookup(image: &str) -> Option<&'static Image> {
    if pull_error(image).is_some() {
        return None;
    }
    find_repository(&Reference::parse(image).name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_parses_and_holds_the_cluster_images() {
        assert!(catalogue().len() > 20);
        for image in [
            "registry.k8s.io/etcd:3.6.6-0",
            "registry.k8s.io/kube-apiserver:v1.35.2",
            "registry.k8s.io/kube-proxy:v1.35.2",
            crate::cluster::kubeadm::COREDNS_IMAGE,
            crate::cluster::kubeadm::PAUSE_IMAGE,
            "docker.io/calico/node:v3.30.3",
            "docker.io/calico/cni:v3.30.3",
            "docker.io/calico/kube-controllers:v3.30.3",
            "nginx",
            "busybox:1.36",
        ] {
            assert!(lookup(image).is_some(), "{image}");
        }
    }

    #[test]
    fn references_normalise_like_containerd() {
        assert_eq!(Reference::parse("nginx").full(), "docker.io/library/nginx:latest");
        assert_eq!(Reference::parse("bitnami/redis:7").full(), "docker.io/bitnami/redis:7");
        assert_eq!(Reference::parse("localhost:5000/app").full(), "localhost:5000/app:latest");
        assert!(!Reference::parse("nginx:1.27").is_latest());
    }

    #[test]
    fn unknown_tags_and_repositories_fail_with_containerds_words() {
        let e = pull_error("nginx:nope").unwrap_or_default();
        assert!(e.ends_with("docker.io/library/nginx:nope: not found"), "{e}");
        let e = pull_error("nginxx").unwrap_or_default();
        assert!(e.contains("pull access denied"), "{e}");
        assert_eq!(pull_error("nginx:1.27"), None);
    }
}
