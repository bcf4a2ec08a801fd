//! Secrets: type defaults to `Opaque` (`SetDefaults_Secret`); type is immutable; keys must be
//! valid config keys.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::configmap::check_keys;
use super::{BASE, Strategy, default_key};

pub const STRATEGY: Strategy = Strategy { default, validate, validate_update, ..BASE };

fn default(obj: &mut Value) {
    if let Some(root) = obj.as_object_mut() {
        default_key(root, "type", json!("Opaque"));
    }
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
