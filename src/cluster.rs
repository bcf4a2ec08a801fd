//! One simulated kubeadm cluster: its API server (object store and request pipeline) and the
//! facts kubectl needs to reach it.
//!
//! Everything that talks to a cluster goes through [`Api`], the way real clients go through the
//! REST API: kubectl, controllers and graders alike.
//!
//! A write runs one generic pipeline (`api.rs`): authorize (`rbac`) → decode strictly (`decode`,
//! `crdschema` for custom resources; built-in kinds take the typed round trip of `normalize`,
//! driven by the OpenAPI definitions in `openapi`) → default (`kinds/*`) → admission
//! (`admission`, `podsecurity`) → BeforeCreate/PrepareForUpdate (`kinds/*`, `allocators`) →
//! validate (`validation`, `kinds/*`) → quota → encode (`normalize` again) → persist (`store`)
//! → controller-like effects (`gc`, quota status, aggregated roles). Per-kind knowledge lives in `kinds/<kind>.rs`; `kubeadm` seeds the
//! default world through the same pipeline.

// `Status` is the API's answer by contract (the real metav1.Status carries the same data).
#![allow(clippy::result_large_err, reason = "Status is the API contract; requests are not a hot path")]

pub mod admission;
pub mod allocators;
pub mod api;
pub mod componentstatus;
pub mod controllers;
pub mod crdschema;
pub mod decode;
pub mod gc;
pub mod kinds;
pub mod kubeadm;
pub mod nonresource;
pub mod normalize;
pub mod openapi;
pub mod patch;
pub mod path;
pub mod podsecurity;
pub mod quantity;
pub mod rbac;
pub mod resources;
pub mod scheduler;
pub mod selector;
pub mod status;
pub mod store;
pub mod subresources;
pub mod table;
pub mod validation;

#[cfg(test)]
mod pipeline_tests;

use serde::{Deserialize, Serialize};

pub use api::{Api, Attributes, Decision, DeleteOptions, FieldValidation, ListOptions, PatchType, RuleSummary, UserInfo, WriteOptions};
pub use resources::{Registry, ResourceInfo};
pub use status::{Cause, Reason, Status};
pub use store::Store;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cluster {
    pub name: String,
    /// The Kubernetes version the control plane runs, e.g. `v1.35.2`.
    pub version: String,
    /// The API server's advertise address and port, as in the kubeconfig's `server:` URL.
    pub endpoint: String,
    /// Node (host) names, control plane first.
    pub nodes: Vec<String>,
    /// Whether the API server answers. A broken kube-apiserver manifest turns this off.
    pub api_up: bool,
    pub store: Store,
    /// What the nodes' kubelets and container runtimes know that the API does not: each
    /// container's process and back-off, the images each node holds.
    #[serde(default)]
    pub kubelet: crate::host::kubelet::KubeletState,
    /// Warnings requests produced that no client has printed yet (`Warning:` lines). They live
    /// on the cluster rather than on one request handle, so kubectl prints them after any verb
    /// whichever handles the verb used.
    #[serde(skip)]
    pub warnings: Warnings,
}

/// Pending API warnings. Read-only requests (`get`, `list`) add warnings too, through a shared
/// reference, hence the lock; cloning a cluster copies them.
#[derive(Debug, Default)]
pub struct Warnings(std::sync::Mutex<Vec<String>>);

impl Clone for Warnings {
    fn clone(&self) -> Self {
        Warnings(std::sync::Mutex::new(self.lock().clone()))
    }
}

impl Warnings {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        // A poisoned lock only means a panic elsewhere; the list itself is still usable.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn push(&self, warning: impl Into<String>) {
        self.lock().push(warning.into());
    }

    pub fn extend(&self, warnings: impl IntoIterator<Item = String>) {
        self.lock().extend(warnings);
    }

    /// The pending warnings, emptied.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.lock())
    }
}

impl Cluster {
    pub fn new(name: &str, version: &str, endpoint: &str) -> Self {
        Cluster {
            name: name.to_string(),
            version: version.to_string(),
            endpoint: endpoint.to_string(),
            nodes: Vec::new(),
            api_up: true,
            store: Store::default(),
            kubelet: Default::default(),
            warnings: Warnings::default(),
        }
    }

    /// The URL kubeconfigs use for this cluster (`https://172.30.1.2:6443`).
    pub fn server_url(&self) -> String {
        format!("https://{}", self.endpoint)
    }
}
