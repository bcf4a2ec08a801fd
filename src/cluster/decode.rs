//! Strict decoding of request bodies, as the API server's serializer does with
//! `fieldValidation=Strict`: the body is decoded into the kind's typed struct (from `k8s-openapi`)
//! only to find unknown fields and wrong types; the stored object stays the JSON the client sent.
//!
//! Messages follow apimachinery's strict decoder (`strict decoding error: unknown field "a.b[0].c"`)
//! and Go's `encoding/json` type errors (`json: cannot unmarshal string into Go struct field
//! DeploymentSpec.spec.replicas of type int32`), wrapped as the handlers do:
//! `<Kind> in version "<v>" cannot be handled as a <Kind>: <err>`.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// What decoding found wrong with a body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Findings {
    /// Unknown field paths in Kubernetes' notation (`spec.containers[0].imagee`), in body order.
    pub unknown: Vec<String>,
    /// A type error (already in Go's `encoding/json` words), which always fails the request.
    pub type_error: Option<String>,
}

/// Decodes `obj` as the typed struct of `group`/`kind`. Kinds without a typed struct (custom
/// resources) are accepted as they are.
pub fn check(group: &str, kind: &str, obj: &Value) -> Findings {
    match typed_checker(group, kind) {
        Some(f) => f(obj, kind),
        None => Findings::default(),
    }
}

type Checker = fn(&Value, &str) -> Findings;

fn run<T: DeserializeOwned>(obj: &Value, kind: &str) -> Findings {
    let mut unknown = Vec::new();
    let mut record = |path: serde_ignored::Path<'_>| unknown.push(k8s_path(&path));
    // kubectl sends the JSON of a Go map, whose keys are sorted at every level; the strict
    // decoder reports unknown fields in the order it meets them in that body.
    let body = with_sorted_keys(obj);
    let de = serde_ignored::Deserializer::new(&body, &mut record);
    let result: Result<T, _> = serde_path_to_error::deserialize(de);
    let type_error = result.err().map(|e| go_type_error(kind, &e.path().to_string(), &e.inner().to_string()));
    Findings { unknown, type_error }
}

/// A copy of `v` with every object's keys in byte order.
fn with_sorted_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k.clone(), with_sorted_keys(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(with_sorted_keys).collect()),
        other => other.clone(),
    }
}

macro_rules! checkers {
    ($group:expr, $kind:expr; $($g:literal, $k:literal => $t:ty),* $(,)?) => {
        match ($group, $kind) {
            $(($g, $k) => Some(run::<$t> as Checker),)*
            _ => None,
        }
    };
}

fn typed_checker(group: &str, kind: &str) -> Option<Checker> {
    use k8s_openapi::api::{
        admissionregistration, apps, autoscaling, batch, certificates, coordination, core, discovery, events, networking, node, policy,
        rbac, scheduling, storage,
    };
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions;
    checkers!(group, kind;
        "", "Pod" => core::v1::Pod,
        "", "Service" => core::v1::Service,
        "", "ConfigMap" => core::v1::ConfigMap,
        "", "Secret" => core::v1::Secret,
        "", "Namespace" => core::v1::Namespace,
        "", "Node" => core::v1::Node,
        "", "ServiceAccount" => core::v1::ServiceAccount,
        "", "PersistentVolume" => core::v1::PersistentVolume,
        "", "PersistentVolumeClaim" => core::v1::PersistentVolumeClaim,
        "", "Endpoints" => core::v1::Endpoints,
        "", "Event" => core::v1::Event,
        "", "LimitRange" => core::v1::LimitRange,
        "", "ResourceQuota" => core::v1::ResourceQuota,
        "", "ReplicationController" => core::v1::ReplicationController,
        "", "PodTemplate" => core::v1::PodTemplate,
        "apps", "Deployment" => apps::v1::Deployment,
        "apps", "ReplicaSet" => apps::v1::ReplicaSet,
        "apps", "DaemonSet" => apps::v1::DaemonSet,
        "apps", "StatefulSet" => apps::v1::StatefulSet,
        "apps", "ControllerRevision" => apps::v1::ControllerRevision,
        "batch", "Job" => batch::v1::Job,
        "batch", "CronJob" => batch::v1::CronJob,
        "networking.k8s.io", "Ingress" => networking::v1::Ingress,
        "networking.k8s.io", "IngressClass" => networking::v1::IngressClass,
        "networking.k8s.io", "NetworkPolicy" => networking::v1::NetworkPolicy,
        "rbac.authorization.k8s.io", "Role" => rbac::v1::Role,
        "rbac.authorization.k8s.io", "ClusterRole" => rbac::v1::ClusterRole,
        "rbac.authorization.k8s.io", "RoleBinding" => rbac::v1::RoleBinding,
        "rbac.authorization.k8s.io", "ClusterRoleBinding" => rbac::v1::ClusterRoleBinding,
        "policy", "PodDisruptionBudget" => policy::v1::PodDisruptionBudget,
        "scheduling.k8s.io", "PriorityClass" => scheduling::v1::PriorityClass,
        "storage.k8s.io", "StorageClass" => storage::v1::StorageClass,
        "storage.k8s.io", "CSIDriver" => storage::v1::CSIDriver,
        "storage.k8s.io", "VolumeAttachment" => storage::v1::VolumeAttachment,
        "coordination.k8s.io", "Lease" => coordination::v1::Lease,
        "certificates.k8s.io", "CertificateSigningRequest" => certificates::v1::CertificateSigningRequest,
        "autoscaling", "HorizontalPodAutoscaler" => autoscaling::v2::HorizontalPodAutoscaler,
        "discovery.k8s.io", "EndpointSlice" => discovery::v1::EndpointSlice,
        "events.k8s.io", "Event" => events::v1::Event,
        "node.k8s.io", "RuntimeClass" => node::v1::RuntimeClass,
        "admissionregistration.k8s.io", "ValidatingWebhookConfiguration" => admissionregistration::v1::ValidatingWebhookConfiguration,
        "admissionregistration.k8s.io", "MutatingWebhookConfiguration" => admissionregistration::v1::MutatingWebhookConfiguration,
        "apiextensions.k8s.io", "CustomResourceDefinition" => apiextensions::v1::CustomResourceDefinition,
    )
}

/// `spec.containers[0].imagee` from serde_ignored's path.
fn k8s_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", k8s_path(parent)),
        Path::Map { parent, key } => {
            let p = k8s_path(parent);
            if p.is_empty() { key.clone() } else { format!("{p}.{key}") }
        }
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => k8s_path(parent),
    }
}

/// Rewrites serde's `invalid type: string "3", expected i32` at `spec.replicas` into Go's
/// `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`.
fn go_type_error(kind: &str, path: &str, serde_msg: &str) -> String {
    // Go's paths carry no list indexes.
    let mut segments: Vec<&str> =
        path.split('.').map(|s| s.split('[').next().unwrap_or(s)).filter(|s| !s.is_empty() && *s != "?").collect();
    // A value inside a map is reported at the map's field (`ObjectMeta.metadata.labels`).
    if segments.len() >= 2 && MAP_FIELDS.contains(&segments[segments.len() - 2]) {
        segments.pop();
    }
    let Some(rest) = serde_msg.strip_prefix("invalid type: ") else {
        return serde_msg.to_string();
    };
    let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
    let found = match found.split_whitespace().next().unwrap_or("") {
        "string" => "string",
        "integer" | "floating" => "number",
        "map" => "object",
        "sequence" => "array",
        "boolean" => "bool",
        other => other,
    };
    let Some((field, parents)) = segments.split_last() else {
        return format!("json: cannot unmarshal {found} into Go value of type v1.{kind}");
    };
    let go_type = go_type_name(field, expected);
    let owner = go_struct_name(kind, parents);
    format!("json: cannot unmarshal {found} into Go struct field {owner}.{} of type {go_type}", segments.join("."))
}

/// Fields whose Go type is a map: serde's path names the key, Go's names the field.
const MAP_FIELDS: &[&str] = &[
    "labels",
    "annotations",
    "nodeSelector",
    "data",
    "stringData",
    "binaryData",
    "matchLabels",
    "limits",
    "requests",
    "capacity",
    "allocatable",
    "hard",
    "selector",
];

/// The Go type behind serde's expectation for `field`.
fn go_type_name(field: &str, expected: &str) -> String {
    let element = |f: &str| match f {
        "containers" | "initContainers" => "v1.Container",
        "env" => "v1.EnvVar",
        "envFrom" => "v1.EnvFromSource",
        "ports" => "v1.ContainerPort",
        "volumes" => "v1.Volume",
        "volumeMounts" => "v1.VolumeMount",
        "tolerations" => "v1.Toleration",
        "rules" => "v1.PolicyRule",
        "subjects" => "v1.Subject",
        _ => "string",
    };
    match expected {
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "a string" | "string" => "string".into(),
        "a boolean" => "bool".into(),
        e if e.starts_with("a sequence") => format!("[]{}", element(field)),
        e if e.starts_with("a map") || e.starts_with("struct") => match field {
            "labels" | "annotations" | "selector" | "nodeSelector" | "data" | "stringData" | "matchLabels" => "map[string]string".into(),
            "limits" | "requests" | "capacity" | "allocatable" | "hard" => "v1.ResourceList".into(),
            _ => format!("v1.{}", upper_first(field)),
        },
        other => other.to_string(),
    }
}

/// The Go struct that holds the last field of `parents`.
fn go_struct_name(kind: &str, parents: &[&str]) -> String {
    let n = parents.len();
    let last = parents.last().copied().unwrap_or("");
    let before = if n >= 2 { parents[n - 2] } else { "" };
    match (before, last) {
        ("", "") => kind.to_string(),
        (_, "metadata") => "ObjectMeta".into(),
        ("", "spec") => format!("{kind}Spec"),
        ("", "status") => format!("{kind}Status"),
        ("jobTemplate", "spec") => "JobSpec".into(),
        ("template", "spec") => "PodSpec".into(),
        (_, "jobTemplate") => "JobTemplateSpec".into(),
        (_, "template") => "PodTemplateSpec".into(),
        (_, "containers" | "initContainers") => "Container".into(),
        (_, "env") => "EnvVar".into(),
        ("", "ports") | ("spec", "ports") if kind == "Service" => "ServicePort".into(),
        (_, "ports") => "ContainerPort".into(),
        (_, "resources") => "ResourceRequirements".into(),
        (_, "volumeMounts") => "VolumeMount".into(),
        (_, "volumes") => "Volume".into(),
        (_, "selector") => "LabelSelector".into(),
        (_, "strategy") => "DeploymentStrategy".into(),
        (_, "rollingUpdate") => "RollingUpdateDeployment".into(),
        ("spec", "securityContext") => "PodSecurityContext".into(),
        (_, "securityContext") => "SecurityContext".into(),
        (_, "livenessProbe" | "readinessProbe" | "startupProbe") => "Probe".into(),
        (_, "httpGet") => "HTTPGetAction".into(),
        (_, "tolerations") => "Toleration".into(),
        (_, "valueFrom") => "EnvVarSource".into(),
        (_, "configMapKeyRef") => "ConfigMapKeySelector".into(),
        (_, "secretKeyRef") => "SecretKeySelector".into(),
        (_, "rules") => "PolicyRule".into(),
        (_, other) => upper_first(other),
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The handlers' wrapper around a decode error.
pub fn cannot_handle(kind: &str, version: &str, err: &str) -> String {
    format!("{kind} in version \"{version}\" cannot be handled as a {kind}: {err}")
}

/// `strict decoding error: unknown field "a", unknown field "b"`.
pub fn strict_error(unknown: &[String]) -> String {
    let list: Vec<String> = unknown.iter().map(|u| format!("unknown field \"{u}\"")).collect();
    format!("strict decoding error: {}", list.join(", "))
}

/// Removes the unknown fields from `obj` (what `Warn` and `Ignore` store: the typed decoder drops
/// them).
pub fn drop_fields(obj: &mut Value, unknown: &[String]) {
    for path in unknown {
        let mut parts = split_path(path);
        let Some(last) = parts.pop() else { continue };
        let mut pointer = String::new();
        for p in parts {
            match p {
                Seg::Key(k) => pointer.push_str(&format!("/{}", k.replace('~', "~0").replace('/', "~1"))),
                Seg::Index(i) => pointer.push_str(&format!("/{i}")),
            }
        }
        if let (Seg::Key(k), Some(map)) = (last, obj.pointer_mut(&pointer).and_then(Value::as_object_mut)) {
            map.remove(k);
        }
    }
}

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn split_path(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next()
            && !key.is_empty()
        {
            out.push(Seg::Key(key));
        }
        for idx in pieces {
            if let Ok(i) = idx.trim_end_matches(']').parse() {
                out.push(Seg::Index(i));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_container_field_is_reported_with_index() {
        // Case A33/A34 of the error catalogue (apimachinery strict decoder paths).
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
            // Regression: the file's key order (restartpolicy first) used to decide the order.
            "spec": {"restartpolicy": "Never", "containers": [{"name": "a", "imagee": "nginx"}]}});
        let f = check("", "Pod", &pod);
        assert_eq!(f.unknown, vec!["spec.containers[0].imagee".to_string(), "spec.restartpolicy".to_string()]);
        assert_eq!(
            cannot_handle("Pod", "v1", &strict_error(&f.unknown)),
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagee\", unknown field \"spec.restartpolicy\""
        );
    }

    #[test]
    fn wrong_types_use_go_words() {
        // Case A36 of the error catalogue.
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}, "spec": {"replicas": "3"}});
        assert_eq!(
            check("apps", "Deployment", &d).type_error.as_deref(),
            Some("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")
        );
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
            "spec": {"selector": {}, "template": {"spec": {"containers": {"name": "a"}}}}});
        assert_eq!(
            check("apps", "Deployment", &d).type_error.as_deref(),
            Some("json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container")
        );
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
            "spec": {"selector": {}, "template": {"spec": {"containers": [{"name": "a", "env": [{"name": "P", "value": 8080}]}]}}}});
        assert_eq!(
            check("apps", "Deployment", &d).type_error.as_deref(),
            Some("json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string")
        );
    }

    #[test]
    fn map_values_are_reported_at_the_map() {
        let p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "labels": {"tier": 1}}, "spec": {"containers": [{"name": "a", "image": "b", "command": "sleep 3600"}]}});
        assert_eq!(
            check("", "Pod", &p).type_error.as_deref(),
            Some("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string")
        );
        let p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {"containers": [{"name": "a", "image": "b", "command": "sleep 3600"}]}});
        assert_eq!(
            check("", "Pod", &p).type_error.as_deref(),
            Some("json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string")
        );
    }

    #[test]
    fn drop_fields_removes_unknown_paths() {
        let mut pod = json!({"spec": {"containers": [{"name": "a", "imagee": "nginx"}]}});
        drop_fields(&mut pod, &["spec.containers[0].imagee".to_string()]);
        assert_eq!(pod, json!({"spec": {"containers": [{"name": "a"}]}}));
    }
}
