//! The OpenAPI v3 schemas a CustomResourceDefinition publishes, as apiextensions-apiserver's
//! `pkg/controller/openapi/builder` builds them: each served version's
//! `schema.openAPIV3Schema`, with `metadata` as a reference to ObjectMeta, `apiVersion` and
//! `kind` from TypeMeta, the same for `x-kubernetes-embedded-resource` objects, and the GVK
//! extension; references with siblings wrapped in `allOf` (kube-openapi `WrapRefs`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::schema;

const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
/// `swaggerPartialObjectMetadataDescriptions["metadata"]` of the builder.
const METADATA_DESCRIPTION: &str =
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const EMBEDDED_API_VERSION: &str = "apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const EMBEDDED_KIND: &str = "kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

/// The definition name kube-openapi gives `group/version.Kind`: the group's DNS labels
/// reversed, then version and kind (`com.example.v1.Widget`).
fn definition_name(group: &str, version: &str, kind: &str) -> String {
    let reversed: Vec<&str> = group.split('.').rev().collect();
    format!("{}.{version}.{kind}", reversed.join("."))
}

/// TypeMeta's `apiVersion` or `kind` property (the same text every built-in kind carries).
fn type_meta(field: &str) -> Value {
    schema::builtin()
        .get("io.k8s.api.core.v1.Pod")
        .and_then(|p| p.pointer(&format!("/properties/{field}")))
        .cloned()
        .unwrap_or_else(|| json!({"type": "string"}))
}

fn metadata_ref() -> Value {
    json!({"allOf": [{"$ref": OBJECT_META}], "description": METADATA_DESCRIPTION})
}

/// Adds apiVersion/kind/metadata to every `x-kubernetes-embedded-resource` object below `s`.
fn add_embedded(s: &mut Value) {
    let Some(obj) = s.as_object_mut() else { return };
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for v in props.values_mut() {
            add_embedded(v);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(v) = obj.get_mut(key) {
            add_embedded(v);
        }
    }
    if obj.get("x-kubernetes-embedded-resource").and_then(Value::as_bool) == Some(true) {
        let props = obj.entry("properties").or_insert_with(|| Value::Object(Map::new()));
        if let Some(props) = props.as_object_mut() {
            let mut api_version = type_meta("apiVersion");
            api_version["description"] = json!(EMBEDDED_API_VERSION);
            let mut kind = type_meta("kind");
            kind["description"] = json!(EMBEDDED_KIND);
            props.insert("apiVersion".into(), api_version);
            props.insert("kind".into(), kind);
            props.insert("metadata".into(), metadata_ref());
        }
        let required = obj.entry("required").or_insert_with(|| json!([]));
        if let Some(list) = required.as_array_mut() {
            for name in ["kind", "apiVersion"] {
                if !list.iter().any(|v| v.as_str() == Some(name)) {
                    list.push(json!(name));
                }
            }
        }
    }
}

/// The schema one served version of `crd` publishes, by definition name.
pub fn schemas(crd: &Value) -> BTreeMap<String, Value> {
    let s = |p: &str| crd.pointer(p).and_then(Value::as_str).unwrap_or_default().to_string();
    let (group, kind) = (s("/spec/group"), s("/spec/names/kind"));
    let mut out = BTreeMap::new();
    for version in crd.pointer("/spec/versions").and_then(Value::as_array).into_iter().flatten() {
        if version.get("served").and_then(Value::as_bool) == Some(false) {
            continue;
        }
        let name = version.get("name").and_then(Value::as_str).unwrap_or_default();
        let mut root = version.pointer("/schema/openAPIV3Schema").cloned().unwrap_or_else(|| json!({"type": "object"}));
        if !root.is_object() {
            root = json!({"type": "object"});
        }
        add_embedded(&mut root);
        if let Some(obj) = root.as_object_mut() {
            let props = obj.entry("properties").or_insert_with(|| Value::Object(Map::new()));
            if let Some(props) = props.as_object_mut() {
                props.insert("metadata".into(), metadata_ref());
                props.insert("apiVersion".into(), type_meta("apiVersion"));
                props.insert("kind".into(), type_meta("kind"));
            }
            obj.insert("x-kubernetes-group-version-kind".into(), json!([{"group": group, "version": name, "kind": kind}]));
        }
        out.insert(definition_name(&group, name, &kind), root);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crd_version_gets_kube_native_fields() {
        let crd = json!({"spec": {"group": "stable.example.com", "names": {"kind": "CronTab"}, "versions": [
            {"name": "v1", "served": true, "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                "spec": {"type": "object", "properties": {"tpl": {"type": "object", "x-kubernetes-embedded-resource": true}}}}}}},
            {"name": "v0", "served": false, "schema": {"openAPIV3Schema": {"type": "object"}}}]}});
        let out = schemas(&crd);
        assert_eq!(out.keys().collect::<Vec<_>>(), ["com.example.stable.v1.CronTab"]);
        let root = &out["com.example.stable.v1.CronTab"];
        assert_eq!(root.pointer("/properties/metadata/allOf/0/$ref").and_then(Value::as_str), Some(OBJECT_META));
        assert_eq!(root.pointer("/properties/kind/type").and_then(Value::as_str), Some("string"));
        assert_eq!(root.pointer("/x-kubernetes-group-version-kind/0/kind").and_then(Value::as_str), Some("CronTab"));
        let tpl = root.pointer("/properties/spec/properties/tpl").expect("tpl");
        assert_eq!(tpl.pointer("/properties/kind/description").and_then(Value::as_str), Some(EMBEDDED_KIND));
        assert_eq!(tpl.get("required"), Some(&json!(["kind", "apiVersion"])));
    }
}
