//! The OpenAPI v3 definitions of the built-in API types of Kubernetes v1.35, embedded from
//! `assets/openapi/definitions.json` (see its README) and parsed once, on first use. The API
//! server's typed round trip (`normalize`) and `kubectl explain` both read them.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

static DEFINITIONS: &str = include_str!("../../assets/openapi/definitions.json");

/// The built-in definitions, name -> v3 schema (references are bare definition names).
pub fn definitions() -> &'static Map<String, Value> {
    static PARSED: OnceLock<Map<String, Value>> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(DEFINITIONS).unwrap_or_default())
}

/// The definition a `$ref` points at, from a schema node: a bare `$ref`, or the `allOf: [{$ref}]`
/// wrapping kube-openapi's v3 builder gives a reference that has siblings (a description).
pub fn reference(node: &Value) -> Option<&str> {
    node.get("$ref")
        .or_else(|| node.pointer("/allOf/0/$ref"))
        .and_then(Value::as_str)
        .map(|r| r.strip_prefix("#/components/schemas/").unwrap_or(r))
}

/// The definition name of each group/version/kind listed in an `x-kubernetes-group-version-kind`
/// extension. Types served under many kinds (`DeleteOptions`, `WatchEvent`) list those too; the
/// first definition in name order wins, as for `kubectl explain`.
pub fn by_gvk() -> &'static HashMap<(String, String, String), String> {
    static INDEX: OnceLock<HashMap<(String, String, String), String>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let defs = definitions();
        let mut names: Vec<&String> = defs.keys().collect();
        names.sort();
        let mut index = HashMap::new();
        for name in names {
            let Some(list) = defs[name].get("x-kubernetes-group-version-kind").and_then(Value::as_array) else { continue };
            for entry in list {
                let field = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
                index.entry((field("group"), field("version"), field("kind"))).or_insert_with(|| name.clone());
            }
        }
        index
    })
}

/// The definition name of a built-in group/version/kind.
pub fn definition_of(group: &str, version: &str, kind: &str) -> Option<&'static str> {
    by_gvk().get(&(group.to_string(), version.to_string(), kind.to_string())).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_load_with_v3_references() {
        let defs = definitions();
        assert!(defs.len() > 700, "{}", defs.len());
        let spec = defs["io.k8s.api.core.v1.Pod"].pointer("/properties/spec").expect("Pod.spec");
        // A reference with its own description is wrapped in allOf, as /openapi/v3 serves it.
        assert_eq!(spec.pointer("/allOf/0/$ref").and_then(Value::as_str), Some("io.k8s.api.core.v1.PodSpec"));
        assert_eq!(reference(spec), Some("io.k8s.api.core.v1.PodSpec"));
        assert!(spec.get("description").is_some());
        // Quantity has no type in v3 (oneOf string|number), so explain names it.
        assert!(defs["io.k8s.apimachinery.pkg.api.resource.Quantity"].get("type").is_none());
    }

    #[test]
    fn kinds_are_indexed_by_group_version_kind() {
        assert_eq!(definition_of("", "v1", "Pod"), Some("io.k8s.api.core.v1.Pod"));
        assert_eq!(definition_of("apps", "v1", "Deployment"), Some("io.k8s.api.apps.v1.Deployment"));
        assert_eq!(
            definition_of("autoscaling", "v2", "HorizontalPodAutoscaler"),
            Some("io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler")
        );
        assert_eq!(definition_of("example.com", "v1", "Widget"), None);
    }
}
