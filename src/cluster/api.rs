//! The API server's request interface. Every client (kubectl, controllers, graders) calls these
//! methods with the identity it authenticated as; the request pipeline behind them decodes,
//! defaults, validates, admits, authorises and persists, and answers with objects or a [`Status`].

use serde_json::{Map, Value, json};

use super::{Cluster, Registry, ResourceInfo, Status};
use crate::world::{Clock, Rng};

/// Who is making a request (`user.Info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub name: String,
    pub groups: Vec<String>,
}

impl UserInfo {
    /// The identity in kubeadm's admin.conf.
    pub fn admin() -> Self {
        UserInfo { name: "kubernetes-admin".into(), groups: vec!["kubeadm:cluster-admins".into(), "system:authenticated".into()] }
    }

    /// The identity controllers and the simulation itself use; never subject to RBAC.
    pub fn system() -> Self {
        UserInfo { name: "system:kube-controller-manager".into(), groups: vec!["system:masters".into(), "system:authenticated".into()] }
    }
}

/// `fieldValidation` query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldValidation {
    #[default]
    Strict,
    Warn,
    Ignore,
}

#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// `dryRun=All`: run the whole pipeline but persist nothing.
    pub dry_run: bool,
    pub field_validation: FieldValidation,
    pub field_manager: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    pub dry_run: bool,
    pub grace_period: Option<i64>,
    pub propagation: Propagation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    Strategic,
    Merge,
    Json,
    Apply,
}

/// A request handle on one cluster, with the world's clock and random source.
pub struct Api<'w> {
    pub cluster: &'w mut Cluster,
    pub clock: &'w Clock,
    pub rng: &'w mut Rng,
}

impl<'w> Api<'w> {
    pub fn new(cluster: &'w mut Cluster, clock: &'w Clock, rng: &'w mut Rng) -> Self {
        Api { cluster, clock, rng }
    }

    /// What this cluster serves: the built-in resources plus those of its CRDs.
    pub fn registry(&self) -> Registry {
        Registry::builtin().clone()
    }

    /// Creates an object. `namespace` is the request's namespace (the URL's); the object's own
    /// `metadata.namespace` must agree with it when set.
    pub fn create(
        &mut self,
        _user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        mut obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, Status> {
        let ns = if res.namespaced { namespace.unwrap_or("default").to_string() } else { String::new() };
        let meta = obj.as_object_mut().and_then(|o| o.get_mut("metadata")).and_then(Value::as_object_mut);
        let Some(meta) = meta else {
            return Err(Status::bad_request("Object 'metadata' is missing"));
        };
        let mut name = meta.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        if name.is_empty()
            && let Some(prefix) = meta.get("generateName").and_then(Value::as_str)
        {
            name = format!("{prefix}{}", self.rng.name_suffix(5));
            meta.insert("name".into(), json!(name));
        }
        if name.is_empty() {
            return Err(Status::invalid(
                &res.kind,
                &res.group,
                "",
                vec![super::Cause {
                    kind: "FieldValueRequired".into(),
                    message: "name or generateName is required".into(),
                    field: "metadata.name".into(),
                }],
            ));
        }
        if res.namespaced {
            meta.insert("namespace".into(), json!(ns));
        }
        if self.cluster.store.get(res, &ns, &name).is_some() {
            return Err(Status::already_exists(res, &name));
        }
        meta.insert("uid".into(), json!(self.rng.uuid()));
        meta.insert("creationTimestamp".into(), json!(self.clock.rfc3339()));
        if opts.dry_run {
            return Ok(obj);
        }
        Ok(self.cluster.store.put(res, &ns, &name, obj))
    }

    pub fn get(&self, _user: &UserInfo, res: &ResourceInfo, namespace: Option<&str>, name: &str) -> Result<Value, Status> {
        let ns = if res.namespaced { namespace.unwrap_or("default") } else { "" };
        self.cluster.store.get(res, ns, name).cloned().ok_or_else(|| Status::not_found(res, name))
    }

    /// Lists objects of one namespace, or of all namespaces when `namespace` is `None`.
    pub fn list(&self, _user: &UserInfo, res: &ResourceInfo, namespace: Option<&str>, opts: &ListOptions) -> Result<Vec<Value>, Status> {
        let filter = super::selector::ListFilter::from_options(res, opts).map_err(Status::bad_request)?;
        Ok(self.cluster.store.list(res, namespace).filter(|o| filter.matches(o)).cloned().collect())
    }

    /// Replaces an object (PUT).
    pub fn update(
        &mut self,
        _user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, Status> {
        let ns = if res.namespaced { namespace.unwrap_or("default").to_string() } else { String::new() };
        let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
        if self.cluster.store.get(res, &ns, &name).is_none() {
            return Err(Status::not_found(res, &name));
        }
        if opts.dry_run {
            return Ok(obj);
        }
        Ok(self.cluster.store.put(res, &ns, &name, obj))
    }

    /// Deletes an object and answers with it, as the API server does for most kinds.
    pub fn delete(
        &mut self,
        _user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, Status> {
        let ns = if res.namespaced { namespace.unwrap_or("default") } else { "" };
        let Some(obj) = self.cluster.store.get(res, ns, name).cloned() else {
            return Err(Status::not_found(res, name));
        };
        if !opts.dry_run {
            self.cluster.store.remove(res, ns, name);
        }
        Ok(obj)
    }
}

/// What a request wants to do, for authorization (`authorizer.Attributes`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    pub verb: String,
    pub group: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
    pub name: String,
    /// Set instead of the resource fields for non-resource URLs such as `/healthz`.
    pub path: Option<String>,
}

/// An authorizer's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Denied, with the reason the authorizer gives (may be empty).
    Deny(String),
}

/// One RBAC rule as `kubectl auth can-i --list` shows it (`SelfSubjectRulesReview`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSummary {
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    /// Non-resource URLs (`/healthz`); set instead of the resource fields.
    pub non_resource_urls: Vec<String>,
}

impl Api<'_> {
    /// The rules that apply to `user` in `namespace` (cluster-wide ones included).
    pub fn rules_for(&self, _user: &UserInfo, _namespace: &str) -> Vec<RuleSummary> {
        Vec::new()
    }

    /// Asks the cluster's authorizer (Node, RBAC) whether `user` may do `attrs`.
    pub fn authorize(&self, _user: &UserInfo, _attrs: &Attributes) -> Decision {
        Decision::Allow
    }
}

/// An empty object of a kind, for building objects in code.
pub fn new_object(api_version: &str, kind: &str, namespace: Option<&str>, name: &str) -> Value {
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    if let Some(ns) = namespace {
        meta.insert("namespace".into(), json!(ns));
    }
    json!({"apiVersion": api_version, "kind": kind, "metadata": Value::Object(meta)})
}
