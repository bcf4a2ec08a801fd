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
        let prefix = Registry::builtin().by_kind(api_version, kind).map_or_else(|| prefix_of(api_version, kind), |r| r.kind_prefix());
        s.push_str(&format!("{prefix}/{name}\n"));
    }
    s
}

/// `kind.group` from the object itself, for kinds discovery does not know (custom resources).
fn prefix_of(api_version: &str, kind: &str) -> String {
    let kind = kind.to_lowercase();
    match api_version.rsplit_once('/') {
        Some((group, _)) if !group.is_empty() => format!("{kind}.{group}"),
        _ => kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_carry_the_group() {
        assert_eq!(print(&json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"}})), "deployment.apps/w\n");
        assert_eq!(print(&json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}})), "pod/p\n");
        assert_eq!(print(&json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "x"}})), "widget.example.com/x\n");
    }
}
