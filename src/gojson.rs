//! JSON as Go's `encoding/json` writes it: `json.MarshalIndent(obj, "", "    ")` (kubectl's
//! `-o json`), compact `json.Marshal` (annotations, jsonpath results), Go's HTML-safe string
//! escaping and Go's number formatting. Below both kubectl and the API server, which print JSON
//! the same way.

use serde_json::Value;

/// Field order in JSON output. kubectl prints typed objects (what generators build) in Go struct
/// order and unstructured objects (what it read from files or the server) with sorted keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOrder {
    AsBuilt,
    Sorted,
}

pub fn print(obj: &Value, order: KeyOrder) -> String {
    let mut s = String::new();
    write_value(&mut s, obj, order, 0);
    s.push('\n');
    s
}

/// One value, compact (`json.Marshal`), as kubectl uses inside annotations and docker configs.
pub fn compact(obj: &Value, order: KeyOrder) -> String {
    let mut s = String::new();
    write_compact(&mut s, obj, order);
    s
}

fn write_value(s: &mut String, v: &Value, order: KeyOrder, depth: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            s.push_str("{\n");
            let entries = entries(m, order);
            let n = entries.len();
            for (i, (k, val)) in entries.into_iter().enumerate() {
                indent(s, depth + 1);
                write_string(s, k);
                s.push_str(": ");
                write_value(s, val, order, depth + 1);
                if i + 1 < n {
                    s.push(',');
                }
                s.push('\n');
            }
            indent(s, depth);
            s.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            s.push_str("[\n");
            for (i, val) in a.iter().enumerate() {
                indent(s, depth + 1);
                write_value(s, val, order, depth + 1);
                if i + 1 < a.len() {
                    s.push(',');
                }
                s.push('\n');
            }
            indent(s, depth);
            s.push(']');
        }
        other => write_compact(s, other, order),
    }
}

fn write_compact(s: &mut String, v: &Value, order: KeyOrder) {
    match v {
        Value::Null => s.push_str("null"),
        Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => s.push_str(&number(n)),
        Value::String(t) => write_string(s, t),
        Value::Object(m) => {
            s.push('{');
            for (i, (k, val)) in entries(m, order).into_iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                write_string(s, k);
                s.push(':');
                write_compact(s, val, order);
            }
            s.push('}');
        }
        Value::Array(a) => {
            s.push('[');
            for (i, val) in a.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                write_compact(s, val, order);
            }
            s.push(']');
        }
    }
}

fn entries(m: &serde_json::Map<String, Value>, order: KeyOrder) -> Vec<(&String, &Value)> {
    let mut e: Vec<(&String, &Value)> = m.iter().collect();
    if order == KeyOrder::Sorted {
        e.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    }
    e
}

fn number(n: &serde_json::Number) -> String {
    if n.is_i64() {
        return n.to_string();
    }
    crate::yaml::emit::go_json_float(n.as_f64().unwrap_or(0.0))
}

fn indent(s: &mut String, depth: usize) {
    for _ in 0..depth {
        s.push_str("    ");
    }
}

/// Go's `encoding/json` string escaping with `SetEscapeHTML(true)` (the default).
pub fn write_string(s: &mut String, t: &str) {
    s.push('"');
    for c in t.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            '\u{08}' => s.push_str("\\b"),
            '\u{0C}' => s.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => s.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_match_kubectl_json() {
        for (input, expected) in [
            (include_str!("../tests/golden/yaml/tricky.input"), include_str!("../tests/golden/yaml/tricky.json.out")),
            (include_str!("../tests/golden/yaml/tricky2.input"), include_str!("../tests/golden/yaml/tricky2.json.out")),
        ] {
            let mut v: Value = serde_json::from_str(input).expect("JSON");
            v["metadata"]["namespace"] = Value::String("default".into());
            // `kubectl create` rewrites an existing last-applied annotation; take its value from the capture.
            if let Some(ann) = v.pointer_mut("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration") {
                let exp: Value = serde_json::from_str(expected).expect("JSON");
                *ann = exp["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"].clone();
            }
            // Big integers are float64 after Kubernetes' unstructured decoding.
            if let Some(big) = v.pointer_mut("/extra/big") {
                *big = serde_json::json!(12_345_678_901_234_567_890_f64);
            }
            let got = print(&v, KeyOrder::Sorted);
            for (g, e) in got.lines().zip(expected.lines()) {
                assert_eq!(g, e);
            }
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn as_built_keeps_insertion_order() {
        let v = serde_json::json!({"kind": "Pod", "apiVersion": "v1", "spec": {}, "list": []});
        assert_eq!(
            print(&v, KeyOrder::AsBuilt),
            "{\n    \"kind\": \"Pod\",\n    \"apiVersion\": \"v1\",\n    \"spec\": {},\n    \"list\": []\n}\n"
        );
    }
}
