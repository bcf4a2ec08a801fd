//! Secrets: type defaults to `Opaque` (`SetDefaults_Secret`); type is immutable; keys must be
//! valid config keys.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::configmap::check_keys;
use super::{BASE, Strategy, default_key};

pub const STRATEGY: Strategy = Strategy { default, validate, validate_update, ..BASE };

fn default(obj: &mut Value) {
    use base64::Engine;
    let Some(root) = obj.as_object_mut() else { return };
    default_key(root, "type", json!("Opaque"));
    // `stringData` is write-only: conversion merges it into `data`, base64-encoded, overriding
    // keys of the same name.
    if let Some(Value::Object(strings)) = root.remove("stringData") {
        let data = super::child(root, "data");
        for (k, v) in strings {
            let text = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
            data.insert(k, json!(base64::engine::general_purpose::STANDARD.encode(text)));
        }
    }
}

/// Go's `illegal base64 data at input byte N` for the first value of `data` that is not base64.
pub fn bad_base64(obj: &Value) -> Option<String> {
    let data = obj.get("data")?.as_object()?;
    for v in data.values() {
        let s = v.as_str()?;
        let alphabet = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/';
        let trimmed = s.trim_end_matches('=');
        if let Some(pos) = trimmed.find(|c: char| !alphabet(c)) {
            return Some(format!("illegal base64 data at input byte {pos}"));
        }
        if s.len() % 4 != 0 {
            // Decoding stops at the last complete quantum.
            return Some(format!("illegal base64 data at input byte {}", s.len() - s.len() % 4));
        }
        if s.len() - trimmed.len() > 2 {
            return Some(format!("illegal base64 data at input byte {}", trimmed.len()));
        }
    }
    None
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = check_keys(obj, "data");
    if obj.get("type").and_then(Value::as_str) == Some("kubernetes.io/tls") {
        for key in ["tls.crt", "tls.key"] {
            if obj.pointer(&format!("/data/{key}")).is_none() {
                out.push(v::required(&format!("data[{key}]"), ""));
            }
        }
    }
    out
}

fn validate_update(new: &Value, old: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if new.get("type") != old.get("type") {
        out.push(v::immutable("type", new.get("type").unwrap_or(&Value::Null)));
    }
    if old.get("immutable").and_then(Value::as_bool) == Some(true) && new.get("data") != old.get("data") {
        out.push(v::forbidden("data", "field is immutable when `immutable` is set"));
    }
    out
}
