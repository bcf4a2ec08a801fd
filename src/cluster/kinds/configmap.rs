//! ConfigMaps: keys must be valid config keys (`IsConfigMapKey`); immutable ConfigMaps keep
//! their data.

use serde_json::Value;

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy};

pub const STRATEGY: Strategy = Strategy { validate, validate_update, ..BASE };

const KEY_MSG: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/// Checks the keys of `obj[field]` (`data`, `binaryData`).
pub fn check_keys(obj: &Value, field: &str) -> Vec<Cause> {
    let mut out = Vec::new();
    if let Some(map) = obj.get(field).and_then(Value::as_object) {
        for k in map.keys() {
            let ok = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !ok {
                out.push(v::invalid(&format!("{field}[{k}]"), &Value::String(k.clone()), KEY_MSG));
            }
        }
    }
    out
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = check_keys(obj, "data");
    out.extend(check_keys(obj, "binaryData"));
    out
}

fn validate_update(new: &Value, old: &Value) -> Vec<Cause> {
    if old.get("immutable").and_then(Value::as_bool) == Some(true) && new.get("data") != old.get("data") {
        return vec![v::forbidden("data", "field is immutable when `immutable` is set")];
    }
    Vec::new()
}
