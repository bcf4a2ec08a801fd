//! Per-kind knowledge of the API server: defaulting (`pkg/apis/*/v1/defaults.go`), the registry
//! strategy (what create and update reset or carry over) and validation. One file per kind under
//! `kinds/`; the generic pipeline only asks [`strategy`] for the kind's hooks.

pub mod configmap;
pub mod crd;
pub mod cronjob;
pub mod csr;
pub mod daemonset;
pub mod deployment;
pub mod endpoints;
pub mod hpa;
pub mod ingress;
pub mod job;
pub mod limitrange;
pub mod namespace;
pub mod networkpolicy;
pub mod node;
pub mod pdb;
pub mod persistentvolume;
pub mod persistentvolumeclaim;
pub mod pod;
pub mod priorityclass;
pub mod rbac;
pub mod replicaset;
pub mod secret;
pub mod service;
pub mod statefulset;
pub mod storageclass;

use serde_json::{Map, Value};

use super::validation::NameRule;
use super::{Cause, Store};
use crate::world::Rng;

/// What a kind's hooks may use besides the object: the current store (for allocations and
/// lookups), the world's random source and the requesting user.
pub struct Ctx<'a> {
    pub store: &'a Store,
    pub rng: &'a mut Rng,
    /// Who is asking (CSRs record their requester).
    pub user: &'a super::UserInfo,
}

/// A kind's registry strategy.
pub struct Strategy {
    pub name_rule: NameRule,
    /// Scheme defaulting, run on every decoded body (create and update).
    pub default: fn(&mut Value),
    /// Registry work on create after defaulting and admission: allocations (ClusterIPs, node
    /// ports), generated selectors. Failures are field causes (`provided port is already allocated`).
    pub before_create: fn(&mut Value, &mut Ctx<'_>) -> Result<(), Vec<Cause>>,
    /// Carries over what an update may not change or drop (allocated IPs), and allocates what
    /// the update newly needs (node ports of a Service turned NodePort), before validation.
    pub prepare_update: fn(&mut Value, &Value, &mut Ctx<'_>) -> Result<(), Vec<Cause>>,
    pub validate: fn(&Value) -> Vec<Cause>,
    /// Extra rules comparing the new object with the stored one (immutable fields).
    pub validate_update: fn(&Value, &Value) -> Vec<Cause>,
    /// Whether `metadata.generation` is kept (1 on create, +1 when the spec changes).
    pub generation: bool,
    /// Whether the kind has a `status` subresource: create and update ignore status changes.
    pub status_subresource: bool,
    /// The status a new object starts with: what the Go type encodes when empty (its fields
    /// without `omitempty`, e.g. ReplicaSet's `replicas: 0`); `None` for no status field.
    pub initial_status: Option<fn() -> Value>,
}

/// `status: {}`.
pub fn empty_object() -> Value {
    Value::Object(Map::new())
}

fn no_default(_: &mut Value) {}
fn no_create(_: &mut Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    Ok(())
}
fn no_prepare(_: &mut Value, _: &Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    Ok(())
}
fn no_validate(_: &Value) -> Vec<Cause> {
    Vec::new()
}
fn no_update(_: &Value, _: &Value) -> Vec<Cause> {
    Vec::new()
}

/// Strategy fields for kinds with nothing special.
pub const BASE: Strategy = Strategy {
    name_rule: NameRule::Subdomain,
    default: no_default,
    before_create: no_create,
    prepare_update: no_prepare,
    validate: no_validate,
    validate_update: no_update,
    generation: false,
    status_subresource: false,
    initial_status: None,
};

const STATUS_ONLY: Strategy = Strategy { status_subresource: true, initial_status: Some(empty_object), ..BASE };
const PATH_NAMED: Strategy =
    Strategy { name_rule: NameRule::PathSegment, status_subresource: true, initial_status: Some(empty_object), ..BASE };
const LABEL_NAMED: Strategy = Strategy { name_rule: NameRule::Label, ..BASE };

/// The strategy of `group`/`kind`; kinds not listed get [`BASE`].
pub fn strategy(group: &str, kind: &str) -> &'static Strategy {
    match (group, kind) {
        ("", "Pod") => &pod::STRATEGY,
        ("", "Service") => &service::STRATEGY,
        ("", "Namespace") => &namespace::STRATEGY,
        ("", "Secret") => &secret::STRATEGY,
        ("", "ConfigMap") => &configmap::STRATEGY,
        ("", "PersistentVolume") => &persistentvolume::STRATEGY,
        ("", "PersistentVolumeClaim") => &persistentvolumeclaim::STRATEGY,
        ("", "LimitRange") => &limitrange::STRATEGY,
        ("", "ResourceQuota") => &STATUS_ONLY,
        ("", "Node") => &node::STRATEGY,
        ("", "Endpoints") => &endpoints::STRATEGY,
        ("", "ServiceAccount") | ("", "Event") => &BASE,
        ("apps", "Deployment") => &deployment::STRATEGY,
        ("apps", "ReplicaSet") => &replicaset::STRATEGY,
        ("apps", "DaemonSet") => &daemonset::STRATEGY,
        ("apps", "StatefulSet") => &statefulset::STRATEGY,
        ("batch", "Job") => &job::STRATEGY,
        ("batch", "CronJob") => &cronjob::STRATEGY,
        ("networking.k8s.io", "NetworkPolicy") => &networkpolicy::STRATEGY,
        ("networking.k8s.io", "Ingress") => &ingress::STRATEGY,
        ("policy", "PodDisruptionBudget") => &pdb::STRATEGY,
        ("storage.k8s.io", "StorageClass") => &storageclass::STRATEGY,
        ("autoscaling", "HorizontalPodAutoscaler") => &hpa::STRATEGY,
        ("scheduling.k8s.io", "PriorityClass") => &priorityclass::STRATEGY,
        ("rbac.authorization.k8s.io", "RoleBinding") | ("rbac.authorization.k8s.io", "ClusterRoleBinding") => &rbac::BINDING_STRATEGY,
        ("rbac.authorization.k8s.io", "Role") | ("rbac.authorization.k8s.io", "ClusterRole") => &rbac::ROLE_STRATEGY,
        ("apiextensions.k8s.io", "CustomResourceDefinition") => &crd::STRATEGY,
        ("certificates.k8s.io", "CertificateSigningRequest") => &csr::STRATEGY,
        ("networking.k8s.io", "ServiceCIDR") => &STATUS_ONLY,
        ("node.k8s.io", _) => &LABEL_NAMED,
        // `<version>.<group>`; the core group's is `v1.`.
        ("apiregistration.k8s.io", "APIService") => &PATH_NAMED,
        _ => &BASE,
    }
}

/// Sets `key` to `value` unless it is present and not null (Go's "if nil, default").
pub fn default_key(obj: &mut Map<String, Value>, key: &str, value: Value) {
    match obj.get(key) {
        Some(Value::Null) | None => {
            obj.insert(key.to_string(), value);
        }
        Some(_) => {}
    }
}

/// The object at `key`, created empty when missing or null.
pub fn child<'a>(obj: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    if !matches!(obj.get(key), Some(Value::Object(_))) {
        obj.insert(key.to_string(), Value::Object(Map::new()));
    }
    match obj.get_mut(key) {
        Some(Value::Object(m)) => m,
        _ => unreachable!("just inserted an object"),
    }
}

/// Calls `f` on every object element of the list at `key`.
pub fn each_in(obj: &mut Map<String, Value>, key: &str, mut f: impl FnMut(&mut Map<String, Value>)) {
    if let Some(Value::Array(items)) = obj.get_mut(key) {
        for item in items.iter_mut() {
            if let Value::Object(m) = item {
                f(m);
            }
        }
    }
}

/// The `spec` object of a body.
pub fn spec_mut(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    let root = obj.as_object_mut()?;
    Some(child(root, "spec"))
}

/// Shared defaulting and validation of workload templates (`spec.template`).
pub mod template {
    use serde_json::{Map, Value};

    use super::super::Cause;
    use super::super::validation as v;
    use super::{child, pod};

    /// Defaults `spec.template` (pod template) inside a workload spec.
    pub fn default(spec: &mut Map<String, Value>) {
        let template = child(spec, "template");
        let pod_spec = child(template, "spec");
        pod::default_pod_spec(pod_spec);
    }

    /// Selector required and matching the template labels (apps validation).
    pub fn validate_selector(obj: &Value, path: &str) -> Vec<Cause> {
        let mut out = Vec::new();
        let selector = obj.pointer("/spec/selector").filter(|s| !s.is_null());
        let labels = obj.pointer("/spec/template/metadata/labels").cloned().unwrap_or(Value::Object(Map::new()));
        match selector {
            None => {
                out.push(v::required(&format!("{path}selector"), ""));
                out.push(v::invalid(&format!("{path}template.metadata.labels"), &labels, "`selector` does not match template `labels`"));
            }
            Some(sel) => {
                let empty = sel.get("matchLabels").and_then(Value::as_object).is_none_or(Map::is_empty)
                    && sel.get("matchExpressions").and_then(Value::as_array).is_none_or(Vec::is_empty);
                if empty {
                    out.push(v::invalid(&format!("{path}selector"), sel, "empty selector is invalid for deployment"));
                }
                if !selector_matches(sel, &labels) {
                    out.push(v::invalid(
                        &format!("{path}template.metadata.labels"),
                        &labels,
                        "`selector` does not match template `labels`",
                    ));
                }
            }
        }
        out
    }

    /// Whether a `LabelSelector` matches a label map (matchLabels and matchExpressions).
    pub fn selector_matches(sel: &Value, labels: &Value) -> bool {
        let get = |k: &str| labels.get(k).and_then(Value::as_str);
        if let Some(ml) = sel.get("matchLabels").and_then(Value::as_object) {
            for (k, val) in ml {
                if get(k) != val.as_str() {
                    return false;
                }
            }
        }
        if let Some(exprs) = sel.get("matchExpressions").and_then(Value::as_array) {
            for e in exprs {
                let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
                let values: Vec<&str> =
                    e.get("values").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                let ok = match e.get("operator").and_then(Value::as_str).unwrap_or_default() {
                    "In" => get(key).is_some_and(|v| values.contains(&v)),
                    "NotIn" => get(key).is_none_or(|v| !values.contains(&v)),
                    "Exists" => get(key).is_some(),
                    "DoesNotExist" => get(key).is_none(),
                    _ => false,
                };
                if !ok {
                    return false;
                }
            }
        }
        true
    }

    /// Validation of the pod template of a workload at `spec.template`.
    pub fn validate(obj: &Value) -> Vec<Cause> {
        let mut out = v::check_labels("spec.template.metadata.labels", obj.pointer("/spec/template/metadata/labels"));
        // Deployments, ReplicaSets, StatefulSets and DaemonSets restart their pods' containers.
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or_default();
        if matches!(kind, "Deployment" | "ReplicaSet" | "StatefulSet")
            && let Some(rp) = obj.pointer("/spec/template/spec/restartPolicy")
            && rp.as_str() != Some("Always")
        {
            out.push(v::not_supported("spec.template.spec.restartPolicy", rp, &["Always"]));
        }
        if let Some(ps) = obj.pointer("/spec/template/spec") {
            out.extend(pod::validate_pod_spec(ps, "spec.template.spec"));
        } else {
            out.push(v::required("spec.template.spec.containers", ""));
        }
        out
    }
}
