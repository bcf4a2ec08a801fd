//! The OpenAPI v3 schemas `kubectl explain` renders: the built-in definitions of a v1.35 API
//! server (`cluster::openapi`, embedded from `assets/openapi/definitions.json`) plus the
//! schemas a cluster's CRDs publish.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The built-in definitions, name -> v3 schema (shared with the API server's typed round trip).
pub fn builtin() -> &'static Map<String, Value> {
    crate::cluster::openapi::definitions()
}

/// One group/version/kind, as the `x-kubernetes-group-version-kind` extension spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    fn matches(&self, entry: &Value) -> bool {
        // The template compares whole maps, so an entry with other keys does not match.
        entry.as_object().is_some_and(|m| {
            m.len() == 3
                && m.get("group").and_then(Value::as_str) == Some(self.group.as_str())
                && m.get("version").and_then(Value::as_str) == Some(self.version.as_str())
                && m.get("kind").and_then(Value::as_str) == Some(self.kind.as_str())
        })
    }
}

/// The schemas of one group/version document: the built-ins plus extra (CRD) ones.
#[derive(Debug, Default)]
pub struct Document {
    extra: BTreeMap<String, Value>,
}

impl Document {
    pub fn new(extra: BTreeMap<String, Value>) -> Self {
        Document { extra }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.extra.get(name).or_else(|| builtin().get(name))
    }

    /// The schema a `$ref` points at: `#/components/schemas/NAME` or a bare `NAME`.
    pub fn resolve(&self, reference: &str) -> Option<&Value> {
        let name = reference.strip_prefix("#/components/schemas/").unwrap_or(reference);
        self.get(name).filter(|v| v.is_object())
    }

    /// The first schema, in name order (Go templates range over maps sorted by key), whose
    /// `x-kubernetes-group-version-kind` list holds `gvk`.
    pub fn find(&self, gvk: &Gvk) -> Option<&Value> {
        let mut names: Vec<&String> = builtin().keys().chain(self.extra.keys()).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter_map(|n| self.get(n))
            .find(|s| s.get("x-kubernetes-group-version-kind").and_then(Value::as_array).is_some_and(|l| l.iter().any(|e| gvk.matches(e))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_by_gvk_and_resolve() {
        let doc = Document::default();
        let gvk = Gvk { group: "apps".into(), version: "v1".into(), kind: "Deployment".into() };
        let dep = doc.find(&gvk).expect("Deployment");
        assert!(dep.pointer("/properties/spec").is_some());
        assert!(doc.resolve("#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec").is_some());
        assert!(doc.resolve("io.k8s.nope").is_none());
        let none = Gvk { group: "apps".into(), version: "v9".into(), kind: "Deployment".into() };
        assert!(doc.find(&none).is_none());
    }

    #[test]
    fn extra_schemas_take_part() {
        let mut extra = BTreeMap::new();
        extra.insert(
            "com.example.v1.Widget".to_string(),
            serde_json::json!({"type": "object", "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Widget"}]}),
        );
        let doc = Document::new(extra);
        let gvk = Gvk { group: "example.com".into(), version: "v1".into(), kind: "Widget".into() };
        assert!(doc.find(&gvk).is_some());
    }
}
