//! Ingresses (networking.k8s.io/v1): paths need a pathType and an absolute path, backends a
//! service or resource (`pkg/apis/networking/validation/validation.go`); generation kept.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy};

pub const STRATEGY: Strategy =
    Strategy { initial_status: Some(initial_status), validate, generation: true, status_subresource: true, ..BASE };

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    let rules = obj.pointer("/spec/rules").and_then(Value::as_array).cloned().unwrap_or_default();
    if rules.is_empty() && obj.pointer("/spec/defaultBackend").is_none() {
        out.push(v::invalid("spec.rules", &json!([]), "either `defaultBackend` or `rules` must be specified"));
    }
    for (i, rule) in rules.iter().enumerate() {
        let paths = rule.pointer("/http/paths").and_then(Value::as_array).cloned().unwrap_or_default();
        for (j, p) in paths.iter().enumerate() {
            let f = format!("spec.rules[{i}].http.paths[{j}]");
            match p.get("pathType") {
                None => out.push(v::required(&format!("{f}.pathType"), "pathType must be specified")),
                Some(t) if !matches!(t.as_str(), Some("Exact" | "ImplementationSpecific" | "Prefix")) => {
                    out.push(v::not_supported(&format!("{f}.pathType"), t, &["Exact", "ImplementationSpecific", "Prefix"]));
                }
                _ => {}
            }
            if let Some(path) = p.get("path").and_then(Value::as_str)
                && !path.starts_with('/')
            {
                out.push(v::invalid(&format!("{f}.path"), &json!(path), "must be an absolute path"));
            }
            let backend = p.get("backend");
            let service = backend.and_then(|b| b.get("service"));
            if backend.and_then(|b| b.get("resource")).is_none() && service.is_none() {
                out.push(v::invalid(&format!("{f}.backend"), backend.unwrap_or(&Value::Null), "resource or service backend is required"));
            }
            if let Some(svc) = service {
                if svc.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
                    out.push(v::required(&format!("{f}.backend.service.name"), ""));
                }
                match svc.get("port") {
                    None => out.push(v::required(&format!("{f}.backend.service.port"), "")),
                    Some(port) => {
                        if port.get("name").is_some() && port.get("number").is_some() {
                            out.push(v::invalid(&format!("{f}.backend.service.port"), port, "cannot set both port name & port number"));
                        } else if port.get("name").is_none() && port.get("number").is_none() {
                            out.push(v::invalid(&format!("{f}.backend.service.port"), port, "port name or number is required"));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The empty status as the Go type encodes it.
fn initial_status() -> Value {
    json!({"loadBalancer": {}})
}
