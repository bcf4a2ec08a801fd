//! `-o name`: `kind.group/name` per object (`pod/nginx`, `deployment.apps/web`).

use serde_json::Value;

use crate::cluster::Registry;

pub fn print(obj: &Value) -> String {
    let items = obj.get("items").and_then(Value::as_array).map_or_else(|| vec![obj.clone()], Clone::clone);
    let mut s = String::new();
    for item in &items {
        let api_version = item.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
        let kind = item.get("kind").and_then(Value::as_str).unwrap_or_default();
        let name = item.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
        let prefix = Registry::builtin().by_kind(api_version, kind).map_or_else(|| kind.to_lowercase(), |r| r.kind_prefix());
        s.push_str(&format!("{prefix}/{name}\n"));
    }
    s
}
