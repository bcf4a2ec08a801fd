//! The API server's typed round trip for built-in kinds: a real kube-apiserver decodes a body
//! into the kind's Go struct and encodes it back (`encoding/json`), so what it stores and answers
//! is normalized. We keep objects as JSON, so [`normalize`] walks an object along its OpenAPI
//! schema (`openapi`) and does what that round trip does and the schema lets us know safely:
//!
//! - every `resource.Quantity` (also as a map value: `resources.limits`, `spec.hard`, `capacity`)
//!   becomes the string `Quantity.MarshalJSON` writes (`quantity::canonical`): `0.5` → `500m`,
//!   `1024Mi` → `1Gi`, the number `1` → `"1"`; one that does not parse is `UnmarshalJSON`'s
//!   decode error;
//! - `null` disappears from fields the type does not require (a nil pointer, slice or map with
//!   `omitempty`), and so do empty maps and arrays (`omitempty` on a map or slice drops it when
//!   empty). kube-openapi marks a field required exactly when its json tag lacks `omitempty`
//!   and it is not `+optional`, so an optional field is `omitempty` except for the few listed in
//!   [`KEPT_EMPTY`];
//! - empty objects of struct types stay (`resources: {}`: `omitempty` never drops a struct), and
//!   so do `false`, `0` and `""` (the swagger cannot tell a pointer field, which keeps them, from
//!   a value field).
//!
//! The schemas are compiled once into [`Types`], indexed by group/version/kind.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::openapi;
use super::quantity::{self, QuantityError};

const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/// `metav1.Time` and `MicroTime`: structs whose zero value encodes as `null`, so a field of these
/// types (`lastProbeTime` of every condition) keeps its `null` (only the rarer `*Time` fields
/// such as `deletionTimestamp` would drop it, and the swagger cannot tell those apart).
const TIMES: &[&str] = &["io.k8s.apimachinery.pkg.apis.meta.v1.Time", "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"];

/// Optional slice fields whose json tag has no `omitempty` (scanned from the `+optional` fields
/// of kubernetes/api's types.go): Go writes them even when empty (`rules: []`, a nil one as
/// `null`), so neither an empty value nor a null is dropped.
const KEPT_EMPTY: &[(&str, &str)] = &[
    ("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus", "currentMetrics"),
    ("io.k8s.api.core.v1.ContainerImage", "names"),
    ("io.k8s.api.core.v1.ProjectedVolumeSource", "sources"),
    ("io.k8s.api.discovery.v1.EndpointSlice", "ports"),
    ("io.k8s.api.flowcontrol.v1.ResourcePolicyRule", "namespaces"),
    ("io.k8s.api.rbac.v1.ClusterRole", "rules"),
    ("io.k8s.api.rbac.v1.Role", "rules"),
    ("io.k8s.api.resource.v1.AllocatedDeviceStatus", "conditions"),
    ("io.k8s.api.resource.v1.DeviceClaim", "requests"),
    ("io.k8s.api.resource.v1beta1.AllocatedDeviceStatus", "conditions"),
    ("io.k8s.api.resource.v1beta1.DeviceClaim", "requests"),
    ("io.k8s.api.resource.v1beta2.AllocatedDeviceStatus", "conditions"),
    ("io.k8s.api.resource.v1beta2.DeviceClaim", "requests"),
    ("io.k8s.api.storage.v1.CSINodeDriver", "topologyKeys"),
];

/// What a value of a schema node is, as far as the round trip cares.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// Strings, numbers, booleans and types that are opaque here (Time, IntOrString,
    /// RawExtension, JSON).
    Scalar,
    /// A `metav1.Time` or `MicroTime` (see [`TIMES`]).
    Time,
    Quantity,
    /// A struct type with properties: an index into [`Types::structs`].
    Struct(usize),
    /// `additionalProperties`: a Go map.
    Map(Box<Shape>),
    /// `items`: a Go slice.
    Array(Box<Shape>),
}

impl Shape {
    /// Whether anything inside a value of this shape can change.
    fn has_inner(&self) -> bool {
        !matches!(self, Shape::Scalar | Shape::Time)
    }
}

#[derive(Debug)]
struct Field {
    shape: Shape,
    /// `required` in the schema, or listed in [`KEPT_EMPTY`]: never dropped when null or empty.
    kept: bool,
}

#[derive(Debug)]
struct Struct {
    fields: HashMap<String, Field>,
}

/// The compiled schemas of the built-in types.
#[derive(Debug, Default)]
pub struct Types {
    structs: Vec<Struct>,
    /// group, version, kind -> index into `structs`.
    kinds: HashMap<(String, String, String), usize>,
}

/// The parts of a definition the round trip reads. Deserializing into these (skipping the
/// descriptions) instead of into `Value`s keeps the first write of a process cheap.
#[derive(Deserialize)]
struct RawDef {
    #[serde(default)]
    properties: HashMap<String, RawNode>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default, rename = "x-kubernetes-group-version-kind")]
    gvk: Vec<RawGvk>,
}

#[derive(Deserialize, Default)]
struct RawNode {
    #[serde(rename = "$ref")]
    reference: Option<String>,
    #[serde(default, rename = "allOf")]
    all_of: Vec<RawNode>,
    #[serde(rename = "type")]
    kind: Option<String>,
    items: Option<Box<RawNode>>,
    #[serde(rename = "additionalProperties")]
    additional: Option<Box<RawNode>>,
}

#[derive(Deserialize)]
struct RawGvk {
    #[serde(default)]
    group: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    kind: String,
}

impl Types {
    /// The built-in types, compiled on first use.
    pub fn builtin() -> &'static Types {
        static TYPES: OnceLock<Types> = OnceLock::new();
        TYPES.get_or_init(|| Types::compile(openapi::DEFINITIONS).unwrap_or_default())
    }

    /// Compiles definitions (a JSON map of name -> v3 schema) into shapes.
    fn compile(text: &str) -> Result<Types, serde_json::Error> {
        let defs: HashMap<String, RawDef> = serde_json::from_str(text)?;
        // Every struct type gets its index first, so that fields can refer to any of them.
        let mut names: Vec<&String> = defs.iter().filter(|(_, d)| !d.properties.is_empty()).map(|(n, _)| n).collect();
        names.sort();
        let by_name: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
        let mut types = Types::default();
        for name in &names {
            let def = &defs[name.as_str()];
            let fields = def
                .properties
                .iter()
                .map(|(field, node)| {
                    let kept = def.required.contains(field) || KEPT_EMPTY.contains(&(name.as_str(), field.as_str()));
                    (field.clone(), Field { shape: shape_of(node, &by_name), kept })
                })
                .collect();
            let index = types.structs.len();
            types.structs.push(Struct { fields });
            // Types served under many kinds (`DeleteOptions`) list those too: the first in name
            // order wins, as for `kubectl explain`.
            for g in &def.gvk {
                types.kinds.entry((g.group.clone(), g.version.clone(), g.kind.clone())).or_insert(index);
            }
        }
        Ok(types)
    }

    /// The struct a built-in kind decodes into, `None` for kinds without a definition (custom
    /// resources).
    fn kind(&self, group: &str, version: &str, kind: &str) -> Option<&Struct> {
        self.kinds.get(&(group.to_string(), version.to_string(), kind.to_string())).map(|&i| &self.structs[i])
    }
}

/// The shape of a schema node: a `$ref` (bare, or wrapped in `allOf` as kube-openapi's v3
/// builder does when the reference has a description), an array, a map, or a scalar.
fn shape_of(node: &RawNode, by_name: &HashMap<&str, usize>) -> Shape {
    if let Some(name) = node.reference.as_deref().or_else(|| node.all_of.first().and_then(|n| n.reference.as_deref())) {
        let name = name.strip_prefix("#/components/schemas/").unwrap_or(name);
        return match by_name.get(name) {
            _ if name == QUANTITY => Shape::Quantity,
            _ if TIMES.contains(&name) => Shape::Time,
            Some(&i) => Shape::Struct(i),
            None => Shape::Scalar,
        };
    }
    match node.kind.as_deref() {
        Some("array") => Shape::Array(Box::new(node.items.as_deref().map_or(Shape::Scalar, |n| shape_of(n, by_name)))),
        Some("object") => node.additional.as_deref().map_or(Shape::Scalar, |n| Shape::Map(Box::new(shape_of(n, by_name)))),
        _ => Shape::Scalar,
    }
}

/// Normalizes `obj`, an object of the built-in kind `group`/`version`/`kind`, as its typed round
/// trip would (see the module docs); objects of other kinds are left alone. The first quantity
/// that does not parse is `UnmarshalJSON`'s error (the object is then partly normalized).
pub fn normalize(group: &str, version: &str, kind: &str, obj: &mut Value) -> Result<(), QuantityError> {
    let types = Types::builtin();
    match (types.kind(group, version, kind), obj) {
        (Some(s), Value::Object(m)) => walk_struct(types, s, m),
        _ => Ok(()),
    }
}

fn walk_struct(types: &Types, s: &Struct, obj: &mut Map<String, Value>) -> Result<(), QuantityError> {
    let mut result = Ok(());
    obj.retain(|key, value| {
        // Unknown fields are the strict decoding check's business (reported, or dropped after).
        let Some(field) = s.fields.get(key) else { return true };
        if field.kept {
            if result.is_ok() {
                result = walk(types, &field.shape, value);
            }
            return true;
        }
        if value.is_null() {
            return field.shape == Shape::Time;
        }
        if result.is_ok() {
            result = walk(types, &field.shape, value);
        }
        match (&field.shape, &*value) {
            (Shape::Map(_), Value::Object(m)) => !m.is_empty(),
            (Shape::Array(_), Value::Array(a)) => !a.is_empty(),
            _ => true,
        }
    });
    result
}

fn walk(types: &Types, shape: &Shape, value: &mut Value) -> Result<(), QuantityError> {
    match (shape, value) {
        (Shape::Quantity, v) => {
            if let Some(q) = canonical_quantity(v)? {
                *v = Value::String(q);
            }
            Ok(())
        }
        (Shape::Struct(i), Value::Object(m)) => walk_struct(types, &types.structs[*i], m),
        (Shape::Map(inner), Value::Object(m)) if inner.has_inner() => {
            for v in m.values_mut() {
                null_quantity(inner, v);
                walk(types, inner, v)?;
            }
            Ok(())
        }
        (Shape::Array(inner), Value::Array(a)) if inner.has_inner() => {
            for v in a {
                null_quantity(inner, v);
                walk(types, inner, v)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A null map value or list item of type Quantity (a value, not a pointer) decodes through
/// `UnmarshalJSON` as the zero quantity, which encodes as `"0"`.
fn null_quantity(shape: &Shape, v: &mut Value) {
    if *shape == Shape::Quantity && v.is_null() {
        *v = Value::String("0".into());
    }
}

/// `Quantity.UnmarshalJSON` then `MarshalJSON`: a string (spaces trimmed) or any other JSON text
/// (a number as written) parsed by `ParseQuantity`; `None` when nothing changes.
fn canonical_quantity(v: &Value) -> Result<Option<String>, QuantityError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => {
            let q = quantity::canonical(s.trim())?;
            Ok((q != *s).then_some(q))
        }
        other => quantity::canonical(&other.to_string()).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pod(spec: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
    }

    fn run(group: &str, kind: &str, mut obj: Value) -> Value {
        let version = if group.is_empty() { "v1" } else { obj["apiVersion"].as_str().and_then(|a| a.split('/').nth(1)).unwrap_or("v1") };
        let version = version.to_string();
        normalize(group, &version, kind, &mut obj).expect("normalizes");
        obj
    }

    #[test]
    fn every_definition_compiles_and_kinds_are_indexed() {
        let types = Types::compile(openapi::DEFINITIONS).expect("definitions parse");
        assert!(types.structs.len() > 500, "{}", types.structs.len());
        for (g, v, k) in
            [("", "v1", "Pod"), ("apps", "v1", "Deployment"), ("autoscaling", "v2", "HorizontalPodAutoscaler"), ("", "v1", "Node")]
        {
            assert!(types.kind(g, v, k).is_some_and(|s| s.fields.contains_key("metadata")), "{g}/{v} {k}");
        }
        assert!(types.kind("example.com", "v1", "Widget").is_none());
        let pod = types.kind("", "v1", "Pod").expect("Pod");
        let Shape::Struct(spec) = pod.fields["spec"].shape else { panic!("Pod.spec is a struct") };
        let Shape::Array(containers) = &types.structs[spec].fields["containers"].shape else { panic!("containers is a list") };
        assert!(types.structs[spec].fields["containers"].kept, "containers is required");
        let Shape::Struct(container) = **containers else { panic!("of structs") };
        let Shape::Struct(resources) = types.structs[container].fields["resources"].shape else { panic!("resources is a struct") };
        assert_eq!(types.structs[resources].fields["limits"].shape, Shape::Map(Box::new(Shape::Quantity)));
    }

    #[test]
    fn quantities_in_nested_arrays_of_structs_and_maps() {
        let obj = run(
            "",
            "Pod",
            pod(json!({
                "containers": [
                    {"name": "a", "image": "nginx", "resources": {"limits": {"cpu": 0.5, "memory": "1024Mi"}, "requests": {"cpu": "1000m", "memory": 1}}},
                    {"name": "b", "image": "nginx", "resources": {"limits": {"cpu": "0.1", "ephemeral-storage": "1e3"}}},
                ],
                "initContainers": [{"name": "i", "image": "busybox", "resources": {"requests": {"cpu": " 2 "}}}],
                "volumes": [{"name": "v", "emptyDir": {"sizeLimit": "1.5Gi"}}],
                "overhead": {"cpu": "250m"},
            })),
        );
        assert_eq!(
            obj.pointer("/spec/containers/0/resources"),
            Some(&json!({"limits": {"cpu": "500m", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1"}}))
        );
        // `1e3` is already canonical: ParseQuantity keeps the string it parsed.
        assert_eq!(obj.pointer("/spec/containers/1/resources/limits"), Some(&json!({"cpu": "100m", "ephemeral-storage": "1e3"})));
        assert_eq!(obj.pointer("/spec/initContainers/0/resources/requests/cpu"), Some(&json!("2")));
        assert_eq!(obj.pointer("/spec/volumes/0/emptyDir/sizeLimit"), Some(&json!("1536Mi")));
        assert_eq!(obj.pointer("/spec/overhead/cpu"), Some(&json!("250m")));
    }

    #[test]
    fn quantities_of_other_kinds() {
        let quota = run(
            "",
            "ResourceQuota",
            json!({"kind": "ResourceQuota", "spec": {"hard": {"cpu": "1000m", "pods": 10, "requests.storage": "2048Mi"}}, "status": {"used": {"cpu": "-0"}}}),
        );
        assert_eq!(quota["spec"]["hard"], json!({"cpu": "1", "pods": "10", "requests.storage": "2Gi"}));
        assert_eq!(quota["status"]["used"], json!({"cpu": "0"}));
        let limits = run(
            "",
            "LimitRange",
            json!({"spec": {"limits": [{"type": "Container", "default": {"memory": "512Mi"}, "max": {"cpu": 2.0}}]}}),
        );
        assert_eq!(limits.pointer("/spec/limits/0/max/cpu"), Some(&json!("2")));
        let pv = run("", "PersistentVolume", json!({"spec": {"capacity": {"storage": "1024Mi"}, "hostPath": {"path": "/d"}}}));
        assert_eq!(pv.pointer("/spec/capacity/storage"), Some(&json!("1Gi")));
        let pvc = run("", "PersistentVolumeClaim", json!({"spec": {"resources": {"requests": {"storage": "0.5Gi"}}}}));
        assert_eq!(pvc.pointer("/spec/resources/requests/storage"), Some(&json!("512Mi")));
        let node = run("", "Node", json!({"status": {"capacity": {"cpu": "2", "memory": "4030000Ki"}, "allocatable": {"memory": 4096}}}));
        assert_eq!(node.pointer("/status/capacity/memory"), Some(&json!("4030000Ki")));
        assert_eq!(node.pointer("/status/allocatable/memory"), Some(&json!("4096")));
        let dep = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": "1.0"}}}]}}}});
        let dep = run("apps", "Deployment", dep);
        assert_eq!(dep.pointer("/spec/template/spec/containers/0/resources/limits/cpu"), Some(&json!("1")));
    }

    #[test]
    fn a_null_quantity_map_value_is_zero() {
        let obj = run("", "Pod", pod(json!({"containers": [{"name": "c", "resources": {"limits": {"cpu": null}}}]})));
        assert_eq!(obj.pointer("/spec/containers/0/resources/limits/cpu"), Some(&json!("0")));
    }

    #[test]
    fn bad_quantities_are_unmarshal_errors() {
        for (bad, err) in [
            (json!("1x"), QuantityError::Format),
            (json!(""), QuantityError::Format),
            (json!(true), QuantityError::Format),
            (json!({"a": 1}), QuantityError::Format),
        ] {
            let mut obj = pod(json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": bad}}}]}));
            assert_eq!(normalize("", "v1", "Pod", &mut obj), Err(err));
        }
        let mut quota = json!({"spec": {"hard": {"pods": "1.5.5"}}});
        assert!(normalize("", "v1", "ResourceQuota", &mut quota).is_err());
    }

    #[test]
    fn nulls_and_empty_collections_of_optional_fields_go() {
        let obj = run(
            "",
            "Pod",
            json!({"metadata": {"name": "p", "labels": {}, "annotations": {}, "finalizers": [], "ownerReferences": null},
                "spec": {"nodeSelector": null, "tolerations": [], "containers": [{"name": "c", "image": "nginx", "env": [], "args": null, "resources": {"limits": {}}}]}}),
        );
        assert_eq!(obj["metadata"], json!({"name": "p"}));
        // `resources` is a struct: Go writes an empty one as {}; its empty `limits` map goes.
        assert_eq!(obj["spec"], json!({"containers": [{"name": "c", "image": "nginx", "resources": {}}]}));
    }

    #[test]
    fn structs_scalars_and_required_fields_stay() {
        let obj = run(
            "",
            "Pod",
            json!({"metadata": {"name": ""},
                "spec": {"containers": [], "securityContext": {}, "hostNetwork": false, "priority": 0, "schedulerName": ""},
                "status": {}}),
        );
        // `containers` and `name` are required: kept even when empty.
        assert_eq!(obj["spec"], json!({"containers": [], "securityContext": {}, "hostNetwork": false, "priority": 0, "schedulerName": ""}));
        assert_eq!(obj["metadata"], json!({"name": ""}));
        assert_eq!(obj["status"], json!({}));
        let obj = run("", "Pod", pod(json!({"containers": [{"name": null, "image": "x"}]})));
        assert_eq!(obj.pointer("/spec/containers/0/name"), Some(&Value::Null));
    }

    #[test]
    fn optional_fields_without_omitempty_stay_empty() {
        let role =
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r", "labels": {}}, "rules": []});
        let role = run("rbac.authorization.k8s.io", "Role", role);
        assert_eq!(role, json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r"}, "rules": []}));
    }

    #[test]
    fn custom_resources_and_unknown_fields_are_left_alone() {
        let mut cr = json!({"spec": {"labels": {}, "x": null}});
        let before = cr.clone();
        normalize("example.com", "v1", "Widget", &mut cr).expect("no schema");
        assert_eq!(cr, before);
        let obj = run("", "ConfigMap", json!({"metadata": {"name": "c"}, "data": {}, "extra": {}, "other": null}));
        assert_eq!(obj, json!({"metadata": {"name": "c"}, "extra": {}, "other": null}));
    }

    #[test]
    fn field_order_is_kept() {
        let obj = run("", "ConfigMap", json!({"metadata": {"name": "c", "labels": {}, "namespace": "n"}, "data": {"b": "1", "a": "2"}}));
        let keys: Vec<&String> = obj["metadata"].as_object().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(keys, ["name", "namespace"]);
        assert_eq!(serde_json::to_string(&obj["data"]).ok().as_deref(), Some(r#"{"b":"1","a":"2"}"#));
    }
}
