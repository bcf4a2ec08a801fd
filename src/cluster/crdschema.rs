//! Custom resources against their CRD's structural schema (`openAPIV3Schema`): fields the
//! schema does not know are pruned (or reported as unknown under strict field validation), and
//! types, required fields and enums are validated with the messages of apiextensions' validator
//! (`spec.replicas in body must be of type integer: "string"`).

use serde_json::{Value, json};

use super::Cause;
use super::validation as v;

fn preserves(schema: &Value) -> bool {
    schema.get("x-kubernetes-preserve-unknown-fields").and_then(Value::as_bool) == Some(true)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// The paths of fields the schema does not declare (metadata, apiVersion and kind excepted).
pub fn unknown_fields(schema: &Value, obj: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk_unknown(schema, obj, "", true, &mut out);
    out
}

fn walk_unknown(schema: &Value, obj: &Value, path: &str, root: bool, out: &mut Vec<String>) {
    if preserves(schema) {
        return;
    }
    match obj {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties").filter(|a| a.is_object());
            for (k, val) in map {
                if root && matches!(k.as_str(), "apiVersion" | "kind" | "metadata") {
                    continue;
                }
                match (props.and_then(|p| p.get(k)), additional) {
                    (Some(s), _) => walk_unknown(s, val, &join(path, k), false, out),
                    (None, Some(s)) => walk_unknown(s, val, &join(path, k), false, out),
                    (None, None) if props.is_some() || schema.get("type").and_then(Value::as_str) == Some("object") => {
                        out.push(join(path, k))
                    }
                    _ => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    walk_unknown(s, item, &format!("{path}[{i}]"), false, out);
                }
            }
        }
        _ => {}
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Type, required and enum causes of `obj` against `schema`.
pub fn validate(schema: &Value, obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    check(schema, obj, "", true, &mut out);
    out
}

fn check(schema: &Value, obj: &Value, path: &str, root: bool, out: &mut Vec<Cause>) {
    if let Some(want) = schema.get("type").and_then(Value::as_str) {
        let got = type_name(obj);
        let ok = got == want
            || (want == "number" && got == "integer")
            || (obj.is_null() && schema.get("nullable").and_then(Value::as_bool) == Some(true));
        if !(ok || root && want == "object") {
            out.push(v::invalid(path, &json!(got), &format!("{path} in body must be of type {want}: \"{got}\"")));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(obj)
    {
        let names: Vec<String> = options.iter().map(|o| o.as_str().map(str::to_string).unwrap_or_else(|| o.to_string())).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        out.push(v::not_supported(path, obj, &refs));
    }
    match obj {
        Value::Object(map) => {
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for r in required.iter().filter_map(Value::as_str) {
                    if !map.contains_key(r) {
                        out.push(v::required(&join(path, r), ""));
                    }
                }
            }
            let props = schema.get("properties").and_then(Value::as_object);
            for (k, val) in map {
                if root && matches!(k.as_str(), "apiVersion" | "kind" | "metadata") {
                    continue;
                }
                if let Some(s) = props.and_then(|p| p.get(k)).or_else(|| schema.get("additionalProperties").filter(|a| a.is_object())) {
                    check(s, val, &join(path, k), false, out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(s, item, &format!("{path}[{i}]"), false, out);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_checks() {
        let schema = json!({"type": "object", "properties": {"spec": {"type": "object", "required": ["cronSpec"],
            "properties": {"cronSpec": {"type": "string"}, "replicas": {"type": "integer"}, "mode": {"type": "string", "enum": ["a", "b"]}}}}});
        let obj =
            json!({"apiVersion": "x/v1", "kind": "CronTab", "metadata": {"name": "c"}, "spec": {"replicas": "3", "mode": "c", "extra": 1}});
        assert_eq!(unknown_fields(&schema, &obj), vec!["spec.extra".to_string()]);
        let causes = validate(&schema, &obj);
        let text: Vec<String> = causes.iter().map(|c| format!("{}: {}", c.field, c.message)).collect();
        assert_eq!(
            text,
            [
                "spec.cronSpec: Required value",
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
                "spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"",
            ]
        );
    }
}
