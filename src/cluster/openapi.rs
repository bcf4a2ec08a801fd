//! The OpenAPI v3 definitions of the built-in API types of Kubernetes v1.35, embedded from
//! `assets/openapi/definitions.json` (see its README) and parsed once, on first use. The API
//! server's typed round trip (`normalize`, which reads only the few parts it needs straight from
//! the text) and `kubectl explain` both read them.

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// The embedded JSON text (name -> schema).
pub static DEFINITIONS: &str = include_str!("../../assets/openapi/definitions.json");

/// The built-in definitions, name -> v3 schema (references are bare definition names).
pub fn definitions() -> &'static Map<String, Value> {
    static PARSED: OnceLock<Map<String, Value>> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(DEFINITIONS).unwrap_or_default())
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
        assert!(spec.get("description").is_some());
        // Quantity has no type in v3 (oneOf string|number), so explain names it.
        assert!(defs["io.k8s.apimachinery.pkg.api.resource.Quantity"].get("type").is_none());
    }
}
