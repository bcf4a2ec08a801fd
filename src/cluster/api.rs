//! The API server's request interface. Every client (kubectl, controllers, graders) calls these
//! methods with the identity it authenticated as; the request pipeline behind them decodes,
//! defaults, validates, admits, authorises and persists, and answers with objects or a [`Status`].

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::kinds::{self, Ctx};
use super::resources::ApiGroup;
use super::{Cause, Cluster, Reason, Registry, ResourceInfo, Status, admission, decode, gc, patch, quantity, rbac, validation};
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

    /// The identity the API server gives a request impersonating `name` (`kubectl --as=NAME
    /// --as-group=G`): the requested groups plus `system:authenticated`, and for a service
    /// account name also `system:serviceaccounts` and `system:serviceaccounts:<namespace>`.
    pub fn impersonated(name: &str, groups: &[String]) -> Self {
        let mut all: Vec<String> = groups.to_vec();
        if let Some(rest) = name.strip_prefix("system:serviceaccount:")
            && let Some((ns, _)) = rest.split_once(':')
        {
            for g in ["system:serviceaccounts".to_string(), format!("system:serviceaccounts:{ns}")] {
                if !all.contains(&g) {
                    all.push(g);
                }
            }
        }
        if name != "system:anonymous" && !all.iter().any(|g| g == "system:authenticated") {
            all.push("system:authenticated".into());
        }
        UserInfo { name: name.to_string(), groups: all }
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
    /// Set while the scenario seeds known-good objects: release builds then skip the typed
    /// strict-decoding pass (debug builds and tests keep it, so a bad seed still fails there).
    seeding: bool,
}

/// The `/status` and other subresource a request targets, split from `pods/status`.
fn split_resource(res: &ResourceInfo) -> (&str, &str) {
    res.name.split_once('/').unwrap_or((res.name.as_str(), ""))
}

impl<'w> Api<'w> {
    pub fn new(cluster: &'w mut Cluster, clock: &'w Clock, rng: &'w mut Rng) -> Self {
        Api { cluster, clock, rng, seeding: false }
    }

    /// Marks the requests that follow as the scenario's own seeding (see the `seeding` field).
    pub fn set_seeding(&mut self, on: bool) {
        self.seeding = on;
    }

    /// The typed round trip of a built-in kind's object (`normalize`); custom resources keep the
    /// JSON they were given, as the real server's unstructured handling does. Seeded objects are
    /// written in their canonical form: release builds skip the walk for them (it would load the
    /// schemas in every process that builds a world), debug builds check that it changes nothing.
    fn round_trip(&self, res: &ResourceInfo, obj: &mut Value) -> Result<(), quantity::QuantityError> {
        if !Registry::is_builtin_group(&res.group) || (self.seeding && !cfg!(debug_assertions)) {
            return Ok(());
        }
        let before = self.seeding.then(|| obj.clone());
        super::normalize::normalize(&res.group, &res.version, &res.kind, obj)?;
        if let Some(before) = before {
            debug_assert!(before == *obj, "a seeded {} is not in canonical form:\nBEFORE {before}\nAFTER {obj}", res.kind);
        }
        Ok(())
    }

    /// The warnings requests produced since the last call, emptied. kubectl prints each as
    /// `Warning: <text>` on stderr.
    pub fn take_warnings(&self) -> Vec<String> {
        self.cluster.warnings.take()
    }

    /// Adds the deprecation warning the API server sends with every request for a deprecated
    /// resource (v1 Endpoints since v1.33).
    fn warn_deprecated(&self, res: &ResourceInfo) {
        if res.group.is_empty() && res.name.starts_with("endpoints") {
            self.cluster.warnings.push("v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice");
        }
        if res.group.is_empty() && res.name == "componentstatuses" {
            self.cluster.warnings.push("v1 ComponentStatus is deprecated in v1.19+");
        }
    }

    /// What this cluster serves: the built-in resources plus those of its established CRDs.
    pub fn registry(&self) -> Registry {
        let builtin = Registry::builtin();
        let Some(crd_res) = Registry::builtin_resource("customresourcedefinitions") else { return builtin.clone() };
        let mut extra = Vec::new();
        for crd in self.cluster.store.list(crd_res, None) {
            extra.extend(crd_resources(crd));
        }
        if extra.is_empty() { builtin.clone() } else { builtin.with_extra(extra) }
    }

    fn check(&self, user: &UserInfo, verb: &str, res: &ResourceInfo, namespace: &str, name: &str) -> Result<(), Status> {
        let (resource, sub) = split_resource(res);
        let attrs = Attributes {
            verb: verb.into(),
            group: res.group.clone(),
            resource: resource.into(),
            subresource: sub.into(),
            namespace: namespace.into(),
            name: name.into(),
            path: None,
        };
        match self.authorize(user, &attrs) {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => Err(rbac::forbidden(user, &attrs, &reason)),
        }
    }

    /// The structural schema of a custom resource's served version.
    fn crd_schema(&self, res: &ResourceInfo) -> Option<Value> {
        if Registry::is_builtin_group(&res.group) {
            return None;
        }
        let crds = Registry::builtin_resource("customresourcedefinitions")?;
        let crd = self.cluster.store.list(crds, None).find(|c| {
            c.pointer("/spec/group").and_then(Value::as_str) == Some(res.group.as_str())
                && c.pointer("/spec/names/plural").and_then(Value::as_str) == Some(res.name.as_str())
        })?;
        let version = crd
            .pointer("/spec/versions")?
            .as_array()?
            .iter()
            .find(|v| v.get("name").and_then(Value::as_str) == Some(res.version.as_str()))?;
        version.pointer("/schema/openAPIV3Schema").cloned()
    }

    /// Decodes a write's body: kind/apiVersion filled from the resource, strict field checking
    /// per `fieldValidation`, quantities parsed, request namespace agreed.
    fn decode(&mut self, res: &ResourceInfo, ns: &str, obj: &mut Value, opts: &WriteOptions) -> Result<(), Status> {
        let Some(root) = obj.as_object_mut() else {
            return Err(Status::bad_request("Object 'Kind' is missing in '".to_string() + &obj.to_string() + "'"));
        };
        root.entry("apiVersion").or_insert_with(|| json!(res.api_version()));
        root.entry("kind").or_insert_with(|| json!(res.kind));
        if root.get("apiVersion").and_then(Value::as_str) != Some(res.api_version().as_str())
            || root.get("kind").and_then(Value::as_str) != Some(res.kind.as_str())
        {
            let got = root.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string();
            let kind = root.get("kind").and_then(Value::as_str).unwrap_or_default().to_string();
            if kind != res.kind {
                return Err(Status::bad_request(format!(
                    "the kind of the object ({kind}) does not match the kind of the resource ({})",
                    res.kind
                )));
            }
            return Err(Status::bad_request(format!(
                "the API version in the data ({got}) does not match the expected API version ({})",
                res.api_version()
            )));
        }
        if res.group.is_empty()
            && res.kind == "Secret"
            && let Some(err) = kinds::secret::bad_base64(obj)
        {
            return Err(Status::bad_request(decode::cannot_handle(&res.kind, &res.version, &err)));
        }
        // The typed decode: quantities parse (or fail as UnmarshalJSON does) and the body is what
        // the Go struct holds from here on, so defaulting and validation see canonical values.
        // Quantity.UnmarshalJSON takes any JSON value (a number, `true`) and its error ends the
        // decoding at once, so it wins over type errors found elsewhere in the body.
        if let Err(err) = self.round_trip(res, obj) {
            return Err(Status::bad_request(decode::cannot_handle(&res.kind, &res.version, &err.to_string())));
        }
        let findings = if self.seeding && !cfg!(debug_assertions) {
            decode::Findings::default()
        } else if let Some(schema) = self.crd_schema(res) {
            decode::Findings { unknown: super::crdschema::unknown_fields(&schema, obj), type_error: None }
        } else {
            decode::check(&res.group, &res.kind, obj)
        };
        if let Some(err) = findings.type_error {
            return Err(Status::bad_request(decode::cannot_handle(&res.kind, &res.version, &err)));
        }
        if !findings.unknown.is_empty() {
            match opts.field_validation {
                FieldValidation::Strict => {
                    return Err(Status::bad_request(decode::cannot_handle(
                        &res.kind,
                        &res.version,
                        &decode::strict_error(&findings.unknown),
                    )));
                }
                FieldValidation::Warn => {
                    self.cluster.warnings.extend(findings.unknown.iter().map(|u| format!("unknown field \"{u}\"")));
                    decode::drop_fields(obj, &findings.unknown);
                }
                FieldValidation::Ignore => decode::drop_fields(obj, &findings.unknown),
            }
        }
        let meta = obj.as_object_mut().map(|o| kinds::child(o, "metadata"));
        let Some(meta) = meta else { return Ok(()) };
        if res.namespaced {
            match meta.get("namespace").and_then(Value::as_str) {
                Some(n) if !n.is_empty() && n != ns => {
                    return Err(Status::bad_request(
                        "the namespace of the provided object does not match the namespace sent on the request",
                    ));
                }
                _ => {
                    meta.insert("namespace".into(), json!(ns));
                }
            }
        } else {
            meta.remove("namespace");
        }
        Ok(())
    }

    /// Creates an object. `namespace` is the request's namespace (the URL's); the object's own
    /// `metadata.namespace` must agree with it when set.
    pub fn create(
        &mut self,
        user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        mut obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, Status> {
        self.warn_deprecated(res);
        check_request_size(&obj)?;
        if !res.supports("create") {
            return Err(Status::method_not_allowed());
        }
        if res.is_subresource() || res.name == "bindings" {
            let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
            return self.create_subresource(user, res, namespace, &name, obj, opts);
        }
        let ns = if res.namespaced { namespace.unwrap_or("default").to_string() } else { String::new() };
        self.check(user, "create", res, &ns, "")?;
        self.decode(res, &ns, &mut obj, opts)?;
        let strategy = kinds::strategy(&res.group, &res.kind);
        (strategy.default)(&mut obj);
        {
            let mut req = admission::Request { res, namespace: &ns, store: &self.cluster.store, rng: self.rng };
            let warnings = admission::admit_create(&mut req, &mut obj)?;
            self.cluster.warnings.extend(warnings);
        }
        // BeforeCreate: system fields, generated name, the strategy's PrepareForCreate.
        let meta = kinds::child(obj.as_object_mut().ok_or_else(|| Status::bad_request("Object 'metadata' is missing"))?, "metadata");
        let mut name = meta.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        if name.is_empty()
            && let Some(prefix) = meta.get("generateName").and_then(Value::as_str).filter(|p| !p.is_empty())
        {
            name = format!("{prefix}{}", self.rng.name_suffix(5));
            meta.insert("name".into(), json!(name));
        }
        meta.insert("uid".into(), json!(self.rng.uuid()));
        meta.insert("creationTimestamp".into(), json!(self.clock.rfc3339()));
        // etcd's create refuses a body that still carries a resourceVersion (checked at storage).
        let rv_set = meta.remove("resourceVersion").is_some_and(|rv| rv.as_str().is_some_and(|s| !s.is_empty() && s != "0"));
        meta.remove("deletionTimestamp");
        meta.remove("managedFields");
        if strategy.generation {
            meta.insert("generation".into(), json!(1));
        } else {
            meta.remove("generation");
        }
        if strategy.status_subresource
            && let Some(root) = obj.as_object_mut()
        {
            root.remove("status");
            if let Some(initial) = strategy.initial_status {
                root.insert("status".into(), initial());
            }
        }
        let mut causes = Vec::new();
        {
            let mut ctx = Ctx { store: &self.cluster.store, rng: self.rng, user };
            if let Err(c) = (strategy.before_create)(&mut obj, &mut ctx) {
                causes.extend(c);
            }
        }
        let mut all = validate_meta(res, &obj, strategy.name_rule);
        all.extend(causes);
        all.extend((strategy.validate)(&obj));
        all.extend(validate_custom(res, &obj));
        if let Some(schema) = self.crd_schema(res) {
            all.extend(super::crdschema::validate(&schema, &obj));
        }
        if !all.is_empty() {
            return Err(Status::invalid(&res.kind, &res.group, &name, all));
        }
        {
            let req = admission::Request { res, namespace: &ns, store: &self.cluster.store, rng: self.rng };
            admission::quota(&req, &obj)?;
        }
        // Encoding the typed object for storage (and for a dry-run answer) drops what defaulting
        // and admission left empty.
        let _ = self.round_trip(res, &mut obj);
        if rv_set && !opts.dry_run {
            return Err(Status::bad_request("resourceVersion should not be set on objects to be created"));
        }
        if self.cluster.store.get(res, &ns, &name).is_some() {
            return Err(Status::already_exists(res, &name));
        }
        if opts.dry_run {
            return Ok(obj);
        }
        let stored = self.cluster.store.put(res, &ns, &name, obj);
        self.after_create(res, &stored);
        if res.namespaced {
            admission::refresh_quotas(&mut self.cluster.store, &ns);
        }
        Ok(self.cluster.store.get(res, &ns, &name).cloned().unwrap_or(stored))
    }

    /// A create on a subresource of the object `name`: `pods/binding`, `pods/eviction`,
    /// `serviceaccounts/token` (answered with a TokenRequest holding a signed-looking JWT).
    pub fn create_subresource(
        &mut self,
        user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, Status> {
        if !res.supports("create") {
            return Err(Status::method_not_allowed());
        }
        let ns = if res.namespaced { namespace.unwrap_or("default").to_string() } else { String::new() };
        self.check(user, "create", res, &ns, name)?;
        if opts.dry_run {
            return Ok(obj);
        }
        super::subresources::create(self, res, &ns, name, &obj)
    }

    /// Effects controllers would have within a second of a create, applied at once so that a
    /// namespace is usable right away: its `default` ServiceAccount and `kube-root-ca.crt`
    /// ConfigMap (serviceaccount and root-ca-cert-publisher controllers).
    fn after_create(&mut self, res: &ResourceInfo, obj: &Value) {
        if res.group.is_empty() && res.name == "namespaces" {
            let ns = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
            let system = UserInfo::system();
            if let Some(sa) = Registry::builtin_resource("serviceaccounts") {
                let _ = self.create(
                    &system,
                    sa,
                    Some(&ns),
                    json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}}),
                    &WriteOptions::default(),
                );
            }
            if let Some(cm) = Registry::builtin_resource("configmaps") {
                let body = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-root-ca.crt",
                    "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}},
                    "data": {"ca.crt": crate::world::scenario::CA_CERT}});
                let _ = self.create(&system, cm, Some(&ns), body, &WriteOptions::default());
            }
        }
        if res.group.is_empty() && res.name == "services" {
            self.track_service_ips(obj, true);
        }
        if res.group == "rbac.authorization.k8s.io" && res.name == "clusterroles" && rbac::affects_aggregation(obj) {
            rbac::aggregate(&mut self.cluster.store);
        }
    }

    pub fn get(&self, user: &UserInfo, res: &ResourceInfo, namespace: Option<&str>, name: &str) -> Result<Value, Status> {
        self.get_shared(user, res, namespace, name).map(Arc::unwrap_or_clone)
    }

    /// [`Api::get`] answering the stored object itself (see [`Api::list_shared`]).
    pub fn get_shared(&self, user: &UserInfo, res: &ResourceInfo, namespace: Option<&str>, name: &str) -> Result<Arc<Value>, Status> {
        let ns = if res.namespaced { namespace.unwrap_or("default") } else { "" };
        self.warn_deprecated(res);
        self.check(user, "get", res, ns, name)?;
        if res.group.is_empty() && res.name == "componentstatuses" {
            return super::componentstatus::list(&self.cluster.store)
                .into_iter()
                .find(|c| c.pointer("/metadata/name").and_then(Value::as_str) == Some(name))
                .map(Arc::new)
                .ok_or_else(|| Status::not_found(res, name));
        }
        if let Some((parent, sub)) = res.name.split_once('/') {
            // `status` answers the whole object, `scale` its autoscaling/v1 Scale view.
            let reg = self.registry();
            let Some(parent_res) = reg.resources.iter().find(|r| r.name == parent && r.group == res.group && r.version == res.version)
            else {
                return Err(Status::method_not_allowed());
            };
            let obj = self.cluster.store.get(parent_res, ns, name).cloned().ok_or_else(|| Status::not_found(parent_res, name))?;
            return match sub {
                "scale" => Ok(Arc::new(scale_of(&obj, parent_res))),
                "status" => Ok(Arc::new(obj)),
                _ => Err(Status::method_not_allowed()),
            };
        }
        self.cluster.store.get_shared(res, ns, name).cloned().ok_or_else(|| Status::not_found(res, name))
    }

    /// Lists objects of one namespace, or of all namespaces when `namespace` is `None`.
    pub fn list(&self, user: &UserInfo, res: &ResourceInfo, namespace: Option<&str>, opts: &ListOptions) -> Result<Vec<Value>, Status> {
        Ok(self.list_shared(user, res, namespace, opts)?.into_iter().map(Arc::unwrap_or_clone).collect())
    }

    /// [`Api::list`] answering the stored objects themselves: read-only callers (`get`,
    /// `describe`) list thousands of objects without copying them.
    pub fn list_shared(
        &self,
        user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Vec<Arc<Value>>, Status> {
        self.warn_deprecated(res);
        self.check(user, "list", res, if res.namespaced { namespace.unwrap_or("") } else { "" }, "")?;
        let filter = super::selector::ListFilter::from_options(res, opts).map_err(Status::bad_request)?;
        if res.group.is_empty() && res.name == "componentstatuses" {
            return Ok(super::componentstatus::list(&self.cluster.store).into_iter().filter(|o| filter.matches(o)).map(Arc::new).collect());
        }
        Ok(self.cluster.store.list_shared(res, namespace).filter(|o| filter.matches(o)).cloned().collect())
    }

    /// Replaces an object (PUT).
    pub fn update(
        &mut self,
        user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, Status> {
        check_request_size(&obj)?;
        if let Some((parent, sub)) = res.name.split_once('/') {
            // Subresources: `status` and `approval` replace the status, `scale` the replicas.
            let reg = self.registry();
            let Some(parent_res) =
                reg.resources.iter().find(|r| r.name == parent && r.group == res.group && r.version == res.version).cloned()
            else {
                return Err(Status::method_not_allowed());
            };
            if !res.supports("update") {
                return Err(Status::method_not_allowed());
            }
            let ns = if parent_res.namespaced { namespace.unwrap_or("default").to_string() } else { String::new() };
            let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
            self.check(user, "update", res, &ns, &name)?;
            let system = UserInfo::system();
            return match sub {
                "status" | "approval" => self.write_existing(&system, "update", &parent_res, namespace, obj, opts, Target::Status),
                "finalize" => {
                    // The namespace's `spec.finalizers` as the body lists them.
                    let Some(mut current) = self.cluster.store.get(&parent_res, &ns, &name).cloned() else {
                        return Err(Status::not_found(&parent_res, &name));
                    };
                    current["spec"]["finalizers"] = obj.pointer("/spec/finalizers").cloned().unwrap_or(json!([]));
                    let _ = self.round_trip(&parent_res, &mut current);
                    if opts.dry_run {
                        return Ok(current);
                    }
                    Ok(self.cluster.store.put(&parent_res, &ns, &name, current))
                }
                "scale" => {
                    let Some(mut current) = self.cluster.store.get(&parent_res, &ns, &name).cloned() else {
                        return Err(Status::not_found(&parent_res, &name));
                    };
                    current["spec"]["replicas"] = obj.pointer("/spec/replicas").cloned().unwrap_or(json!(0));
                    let stored = self.write_existing(&system, "update", &parent_res, namespace, current, opts, Target::Main)?;
                    Ok(scale_of(&stored, &parent_res))
                }
                _ => Err(Status::method_not_allowed()),
            };
        }
        self.write_existing(user, "update", res, namespace, obj, opts, Target::Main)
    }

    /// Replaces an object's status (PUT on `/status`): only `status` changes.
    pub fn update_status(
        &mut self,
        user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, Status> {
        self.write_existing(user, "update", res, namespace, obj, opts, Target::Status)
    }

    /// Patches an object (PATCH): `Json` (RFC 6902), `Merge` (RFC 7386) or `Strategic` (merge
    /// keys of the built-in types). `Apply` (server-side apply) is modelled as a strategic merge
    /// that creates the object when it is missing. `res` may be the `status` subresource (only
    /// the status changes) or `scale` (the answer is the `autoscaling/v1` Scale).
    #[allow(clippy::too_many_arguments, reason = "the REST call's parameters: identity, resource, namespace, name, type, body, options")]
    pub fn patch(
        &mut self,
        user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        opts: &WriteOptions,
    ) -> Result<Value, Status> {
        let (parent_name, sub) = split_resource(res);
        let parent = if sub.is_empty() { res.clone() } else { ResourceInfo { name: parent_name.to_string(), ..res.clone() } };
        let parent_res =
            match self.registry().resources.iter().find(|r| r.name == parent.name && r.group == res.group && r.version == res.version) {
                Some(r) => r.clone(),
                None => parent,
            };
        let ns = if parent_res.namespaced { namespace.unwrap_or("default").to_string() } else { String::new() };
        if !res.supports("patch") {
            return Err(Status::method_not_allowed());
        }
        self.check(user, "patch", res, &ns, name)?;
        let Some(current) = self.cluster.store.get(&parent_res, &ns, name).cloned() else {
            if patch_type == PatchType::Apply && sub.is_empty() {
                return self.create(user, &parent_res, namespace, patch.clone(), opts);
            }
            return Err(Status::not_found(&parent_res, name));
        };
        if patch_type == PatchType::Strategic && !Registry::is_builtin_group(&parent_res.group) {
            // Custom resources have no patch strategies to merge by.
            return Err(Status::new(
                Reason::UnsupportedMediaType,
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
            ));
        }
        let system = UserInfo::system();
        if sub == "scale" {
            let mut scale = scale_of(&current, &parent_res);
            apply_patch(&mut scale, patch_type, patch)?;
            let Some(replicas) = scale.pointer("/spec/replicas").cloned() else {
                return Err(Status::bad_request("spec.replicas is required"));
            };
            let mut next = current.clone();
            next["spec"]["replicas"] = replicas;
            let stored = self.write_existing(&system, "update", &parent_res, namespace, next, opts, Target::Main)?;
            return Ok(scale_of(&stored, &parent_res));
        }
        let mut next = current.clone();
        apply_patch(&mut next, patch_type, patch)?;
        let target = if sub == "status" { Target::Status } else { Target::Main };
        self.write_existing(&system, "patch", &parent_res, namespace, next, opts, target)
    }

    #[allow(clippy::too_many_arguments, reason = "update, update_status and patch share this path")]
    fn write_existing(
        &mut self,
        user: &UserInfo,
        verb: &str,
        res: &ResourceInfo,
        namespace: Option<&str>,
        mut obj: Value,
        opts: &WriteOptions,
        target: Target,
    ) -> Result<Value, Status> {
        self.warn_deprecated(res);
        if !res.supports(verb) {
            return Err(Status::method_not_allowed());
        }
        let ns = if res.namespaced { namespace.unwrap_or("default").to_string() } else { String::new() };
        let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
        let status_res;
        let authz_res = match target {
            Target::Main => res,
            Target::Status => {
                status_res = ResourceInfo { name: format!("{}/status", res.name), ..res.clone() };
                &status_res
            }
        };
        self.check(user, verb, authz_res, &ns, &name)?;
        self.decode(res, &ns, &mut obj, opts)?;
        if name.is_empty() {
            return Err(Status::invalid(
                &res.kind,
                &res.group,
                "",
                vec![validation::required("metadata.name", "name or generateName is required")],
            ));
        }
        let Some(old) = self.cluster.store.get(res, &ns, &name).cloned() else {
            return Err(Status::not_found(res, &name));
        };
        let rv = obj.pointer("/metadata/resourceVersion").and_then(Value::as_str).unwrap_or_default();
        if !rv.is_empty() && Some(rv) != old.pointer("/metadata/resourceVersion").and_then(Value::as_str) {
            return Err(Status::conflict(res, &name));
        }
        let strategy = kinds::strategy(&res.group, &res.kind);
        if target == Target::Status {
            let mut next = old.clone();
            next["status"] = obj.get("status").cloned().unwrap_or(json!({}));
            obj = next;
        } else {
            (strategy.default)(&mut obj);
            // PrepareForUpdate: system fields and (for kinds with a status subresource) status
            // come from the stored object.
            for key in ["uid", "creationTimestamp", "deletionTimestamp", "generation", "ownerReferences"] {
                let old_v = old.pointer(&format!("/metadata/{key}")).cloned();
                if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                    match (key, old_v) {
                        ("ownerReferences", _) => {}
                        (_, Some(v)) => {
                            meta.insert(key.into(), v);
                        }
                        (_, None) => {
                            meta.remove(key);
                        }
                    }
                }
            }
            if strategy.status_subresource
                && let Some(root) = obj.as_object_mut()
            {
                match old.get("status") {
                    Some(s) => root.insert("status".into(), s.clone()),
                    None => root.remove("status"),
                };
            }
            let mut prepare_causes = Vec::new();
            {
                let mut ctx = Ctx { store: &self.cluster.store, rng: self.rng, user };
                if let Err(c) = (strategy.prepare_update)(&mut obj, &old, &mut ctx) {
                    prepare_causes = c;
                }
            }
            if strategy.generation && obj.get("spec") != old.get("spec") {
                let g = old.pointer("/metadata/generation").and_then(Value::as_i64).unwrap_or(0) + 1;
                obj["metadata"]["generation"] = json!(g);
            }
            let mut all = validate_meta(res, &obj, strategy.name_rule);
            all.extend(prepare_causes);
            all.extend((strategy.validate)(&obj));
            all.extend((strategy.validate_update)(&obj, &old));
            all.extend(validate_custom(res, &obj));
            if let Some(schema) = self.crd_schema(res) {
                all.extend(super::crdschema::validate(&schema, &obj));
            }
            if !all.is_empty() {
                return Err(Status::invalid(&res.kind, &res.group, &name, all));
            }
            let req = admission::Request { res, namespace: &ns, store: &self.cluster.store, rng: self.rng };
            admission::admit_update(&req, &obj, &old)?;
        }
        let _ = self.round_trip(res, &mut obj);
        if opts.dry_run {
            return Ok(obj);
        }
        let finalizers_left = obj.pointer("/metadata/finalizers").and_then(Value::as_array).is_some_and(|f| !f.is_empty());
        if target == Target::Main
            && old.pointer("/metadata/deletionTimestamp").is_some()
            && !finalizers_left
            && !(res.group.is_empty() && res.name == "namespaces")
        {
            // The last finalizer went: the deletion completes.
            self.cluster.store.remove(res, &ns, &name);
            let uid = old.pointer("/metadata/uid").and_then(Value::as_str).unwrap_or_default().to_string();
            gc::collect(&mut self.cluster.store, &uid, Propagation::Background);
            return Ok(obj);
        }
        // etcd3's GuaranteedUpdate writes nothing when the encoded object is what is stored:
        // the resourceVersion stays and the answer is the stored object.
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            match old.pointer("/metadata/resourceVersion") {
                Some(rv) => meta.insert("resourceVersion".into(), rv.clone()),
                None => meta.remove("resourceVersion"),
            };
        }
        if obj == old {
            return Ok(old);
        }
        let stored = self.cluster.store.put(res, &ns, &name, obj);
        if res.group == "rbac.authorization.k8s.io" && res.name == "clusterroles" {
            rbac::aggregate(&mut self.cluster.store);
        }
        if res.namespaced && !(res.name == "resourcequotas" && target == Target::Status) {
            admission::refresh_quotas(&mut self.cluster.store, &ns);
        }
        let stored = self.cluster.store.get(res, &ns, &name).cloned().unwrap_or(stored);
        Ok(stored)
    }

    /// Deletes an object and answers with it, as the API server does for most kinds. Dependents
    /// are collected per `opts.propagation`; a namespace turns `Terminating` and is emptied and
    /// removed by the namespace controller when the world settles.
    pub fn delete(
        &mut self,
        user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, Status> {
        if !res.supports("delete") {
            return Err(Status::method_not_allowed());
        }
        let ns = if res.namespaced { namespace.unwrap_or("default") } else { "" };
        self.warn_deprecated(res);
        self.check(user, "delete", res, ns, name)?;
        let Some(mut obj) = self.cluster.store.get(res, ns, name).cloned() else {
            return Err(Status::not_found(res, name));
        };
        if opts.dry_run {
            return Ok(obj);
        }
        if res.group.is_empty() && res.name == "namespaces" {
            if matches!(name, "default" | "kube-system" | "kube-public") {
                return Err(Status::forbidden(res, name, "this namespace may not be deleted"));
            }
            if obj.pointer("/status/phase").and_then(Value::as_str) == Some("Terminating") {
                // The namespace registry's answer while the namespace controller is at work.
                let mut status = Status::conflict(res, name);
                status.message = format!(
                    "Operation cannot be fulfilled on namespaces \"{name}\": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system."
                );
                return Err(status);
            }
            obj["metadata"]["deletionTimestamp"] = json!(self.clock.rfc3339());
            obj["metadata"]["deletionGracePeriodSeconds"] = json!(0);
            obj["status"] = json!({"phase": "Terminating"});
            return Ok(self.cluster.store.put(res, ns, name, obj));
        }
        if self.keeps_for_finalizers(res, ns, &obj) {
            // Deletion waits for the finalizers: the object shows its deletionTimestamp.
            if obj.pointer("/metadata/deletionTimestamp").is_none() {
                obj["metadata"]["deletionTimestamp"] = json!(self.clock.rfc3339());
                obj["metadata"]["deletionGracePeriodSeconds"] = json!(0);
                obj = self.cluster.store.put(res, ns, name, obj);
            }
            return Ok(obj);
        }
        self.cluster.store.remove(res, ns, name);
        if res.group.is_empty() && res.name == "services" {
            self.track_service_ips(&obj, false);
        }
        let uid = obj.pointer("/metadata/uid").and_then(Value::as_str).unwrap_or_default().to_string();
        gc::collect(&mut self.cluster.store, &uid, opts.propagation);
        if res.namespaced {
            admission::refresh_quotas(&mut self.cluster.store, ns);
        }
        if res.group == "rbac.authorization.k8s.io" && res.name == "clusterroles" {
            rbac::aggregate(&mut self.cluster.store);
        }
        Ok(obj)
    }

    /// Deletes every object of a resource in a namespace (or cluster-wide), answering with them.
    pub fn delete_collection(
        &mut self,
        user: &UserInfo,
        res: &ResourceInfo,
        namespace: Option<&str>,
        opts: &DeleteOptions,
    ) -> Result<Vec<Value>, Status> {
        let ns = if res.namespaced { namespace.unwrap_or("default") } else { "" };
        self.check(user, "deletecollection", res, ns, "")?;
        let names: Vec<String> = self
            .cluster
            .store
            .list(res, if res.namespaced { Some(ns) } else { None })
            .filter_map(|o| o.pointer("/metadata/name").and_then(Value::as_str).map(str::to_string))
            .collect();
        let mut out = Vec::new();
        for n in names {
            out.push(self.delete(&UserInfo::system(), res, Some(ns), &n, opts)?);
        }
        Ok(out)
    }

    /// The IPAddress objects the ClusterIP allocator keeps (networking.k8s.io/v1, one per
    /// allocated address, named after it and pointing at its Service).
    fn track_service_ips(&mut self, svc: &Value, allocate: bool) {
        let Some(ip_res) = Registry::builtin_resource("ipaddresses") else { return };
        let ips: Vec<String> = svc
            .pointer("/spec/clusterIPs")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).filter(|ip| *ip != "None" && !ip.is_empty()).map(str::to_string).collect())
            .unwrap_or_default();
        for ip in ips {
            if !allocate {
                self.cluster.store.remove(ip_res, "", &ip);
                continue;
            }
            let obj = json!({"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
                "metadata": {"name": ip, "labels": {"ipaddress.kubernetes.io/ip-family": "IPv4", "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"},
                    "uid": self.rng.uuid(), "creationTimestamp": self.clock.rfc3339()},
                "spec": {"parentRef": {"group": "", "name": svc["metadata"]["name"], "namespace": svc["metadata"]["namespace"], "resource": "services"}}});
            self.cluster.store.put(ip_res, "", &ip, obj);
        }
    }

    /// A GET on a non-resource path (`kubectl get --raw /readyz?verbose`, `/version`), after
    /// authorizing the path; NotFound for paths the server does not serve.
    pub fn raw_get(&self, user: &UserInfo, path: &str) -> Result<String, Status> {
        let route = path.split_once('?').map_or(path, |(r, _)| r);
        let attrs = Attributes { verb: "get".into(), path: Some(route.to_string()), ..Default::default() };
        if let Decision::Deny(reason) = self.authorize(user, &attrs) {
            return Err(rbac::forbidden(user, &attrs, &reason));
        }
        super::nonresource::get(path, &self.cluster.version)
            .ok_or_else(|| Status::new(Reason::NotFound, "the server could not find the requested resource"))
    }

    /// Whether a delete must wait: finalizers other than the protection ones whose controllers
    /// release them at once (a PVC no pod uses, a PV no claim is bound to).
    pub(crate) fn keeps_for_finalizers(&self, res: &ResourceInfo, ns: &str, obj: &Value) -> bool {
        let finalizers: Vec<&str> = obj
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        finalizers.iter().any(|f| match *f {
            "kubernetes.io/pvc-protection" => {
                self.claim_in_use(ns, obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default())
            }
            "kubernetes.io/pv-protection" => obj.pointer("/status/phase").and_then(Value::as_str) == Some("Bound"),
            "foregroundDeletion" | "orphan" => false,
            _ => !(res.group.is_empty() && res.name == "namespaces"),
        })
    }

    /// Whether a pod that has not finished mounts the claim `name` in `ns`.
    fn claim_in_use(&self, ns: &str, name: &str) -> bool {
        let Some(pods) = Registry::builtin_resource("pods") else { return false };
        self.cluster.store.list(pods, Some(ns)).any(|p| {
            !matches!(p.pointer("/status/phase").and_then(Value::as_str), Some("Succeeded" | "Failed"))
                && p.pointer("/spec/volumes").and_then(Value::as_array).is_some_and(|vs| {
                    vs.iter().any(|v| v.pointer("/persistentVolumeClaim/claimName").and_then(Value::as_str) == Some(name))
                })
        })
    }

    /// Lets the controllers, the scheduler and the kubelets catch up (see
    /// [`super::controllers::settle`]). Call after every command.
    pub fn settle(&mut self) {
        super::controllers::settle(self);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Main,
    Status,
}

/// The kube-apiserver reads at most 3 MiB of a request body (`--max-request-bytes`' default,
/// `DefaultMaxRequestSizeBytes`); a larger one is refused before decoding.
const MAX_REQUEST_BYTES: usize = 3 * 1024 * 1024;

fn check_request_size(body: &Value) -> Result<(), Status> {
    /// Counts the bytes of the JSON body kubectl would send, without building it.
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    let _ = serde_json::to_writer(&mut counter, body);
    if counter.0 > MAX_REQUEST_BYTES {
        return Err(Status::new(Reason::RequestEntityTooLarge, format!("Request entity too large: limit is {MAX_REQUEST_BYTES}")));
    }
    Ok(())
}

/// Applies a patch body of `patch_type` to `target` (custom resources never get here with a
/// strategic patch: those are refused with 415 before).
fn apply_patch(target: &mut Value, patch_type: PatchType, body: &Value) -> Result<(), Status> {
    let result = match patch_type {
        PatchType::Json => patch::json_patch(target, body),
        PatchType::Merge => {
            if !body.is_object() {
                return Err(Status::bad_request(
                    "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}",
                ));
            }
            Ok(patch::merge_patch(target, body))
        }
        PatchType::Strategic | PatchType::Apply => patch::strategic_merge(target, body, patch::Schema::Builtin),
    };
    match result {
        Ok(patched) => {
            *target = patched;
            Ok(())
        }
        // A JSON patch operation that does not apply is the server's 422; a malformed body is 400.
        Err(patch::PatchError::JsonPatch(m)) => Err(Status::new(Reason::Invalid, m)),
        Err(patch::PatchError::Invalid(m)) => Err(Status::bad_request(m)),
    }
}

/// The `autoscaling/v1` Scale view of a scalable object.
fn scale_of(obj: &Value, res: &ResourceInfo) -> Value {
    let meta = obj.get("metadata").cloned().unwrap_or(Value::Null);
    let selector = obj
        .pointer("/spec/selector/matchLabels")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect::<Vec<_>>().join(","))
        .unwrap_or_default();
    let _ = res;
    json!({"apiVersion": "autoscaling/v1", "kind": "Scale",
        "metadata": {"name": meta["name"], "namespace": meta["namespace"], "uid": meta["uid"], "resourceVersion": meta["resourceVersion"], "creationTimestamp": meta["creationTimestamp"]},
        "spec": {"replicas": obj.pointer("/spec/replicas").cloned().unwrap_or(json!(0))},
        "status": {"replicas": obj.pointer("/status/replicas").cloned().unwrap_or(json!(0)), "selector": selector}})
}

/// `ValidateObjectMeta`: the name (or generateName) by the kind's rule, labels.
fn validate_meta(res: &ResourceInfo, obj: &Value, rule: validation::NameRule) -> Vec<Cause> {
    let mut out = Vec::new();
    let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
    if name.is_empty() {
        out.push(validation::required("metadata.name", "name or generateName is required"));
    } else {
        out.extend(validation::check_name(rule, name));
    }
    if res.namespaced && obj.pointer("/metadata/namespace").and_then(Value::as_str).is_none_or(str::is_empty) {
        out.push(validation::required("metadata.namespace", ""));
    }
    out.extend(validation::check_labels("metadata.labels", obj.pointer("/metadata/labels")));
    out
}

/// Custom resources must say the apiVersion and kind their CRD serves.
fn validate_custom(res: &ResourceInfo, obj: &Value) -> Vec<Cause> {
    if Registry::is_builtin_group(&res.group) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if obj.get("kind").and_then(Value::as_str) != Some(res.kind.as_str()) {
        out.push(validation::invalid("kind", obj.get("kind").unwrap_or(&Value::Null), &format!("must be {}", res.kind)));
    }
    if obj.get("apiVersion").and_then(Value::as_str) != Some(res.api_version().as_str()) {
        out.push(validation::invalid(
            "apiVersion",
            obj.get("apiVersion").unwrap_or(&Value::Null),
            &format!("must be {}", res.api_version()),
        ));
    }
    out
}

/// The resources an established CRD serves, one per served version.
fn crd_resources(crd: &Value) -> Vec<(ApiGroup, ResourceInfo)> {
    let s = |p: &str| crd.pointer(p).and_then(Value::as_str).unwrap_or_default().to_string();
    let strings = |p: &str| {
        crd.pointer(p)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let group = s("/spec/group");
    let versions: Vec<(String, bool)> = crd
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .map(|vs| {
            vs.iter()
                .filter(|v| v.get("served").and_then(Value::as_bool) != Some(false))
                .map(|v| {
                    let name = v.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                    let status = v.pointer("/subresources/status").is_some();
                    (name, status)
                })
                .collect()
        })
        .unwrap_or_default();
    let Some((preferred, _)) = versions.first().cloned() else { return Vec::new() };
    let api_group = ApiGroup { name: group.clone(), versions: versions.iter().map(|(v, _)| v.clone()).collect(), preferred };
    let mut out = Vec::new();
    let plural = s("/spec/names/plural");
    let verbs: Vec<String> =
        ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"].iter().map(|v| v.to_string()).collect();
    for (version, status) in versions {
        let info = ResourceInfo {
            name: plural.clone(),
            singular: s("/spec/names/singular"),
            namespaced: s("/spec/scope") == "Namespaced",
            group: group.clone(),
            version: version.clone(),
            kind: s("/spec/names/kind"),
            verbs: verbs.clone(),
            short_names: strings("/spec/names/shortNames"),
            categories: strings("/spec/names/categories"),
        };
        if status {
            out.push((
                api_group.clone(),
                ResourceInfo {
                    name: format!("{plural}/status"),
                    verbs: vec!["get".into(), "patch".into(), "update".into()],
                    ..info.clone()
                },
            ));
        }
        out.push((api_group.clone(), info));
    }
    // Subresources after their resource, as discovery lists them.
    out.sort_by_key(|(_, r)| (r.version.clone(), r.name.contains('/')));
    out
}

fn _unused(_: Map<String, Value>, _: Reason) {}
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
    /// The rules that apply to `user` in `namespace` (cluster-wide ones included), as a
    /// `SelfSubjectRulesReview` lists them; `system:masters` gets the two wildcard rules.
    pub fn rules_for(&self, user: &UserInfo, namespace: &str) -> Vec<RuleSummary> {
        rbac::summaries(&self.cluster.store, user, namespace)
    }

    /// Asks the cluster's authorizer (RBAC, with `system:masters` as the privileged group)
    /// whether `user` may do `attrs`.
    pub fn authorize(&self, user: &UserInfo, attrs: &Attributes) -> Decision {
        rbac::authorize(&self.cluster.store, user, attrs)
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
