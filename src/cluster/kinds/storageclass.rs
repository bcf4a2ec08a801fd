//! StorageClasses: reclaimPolicy Delete and volumeBindingMode Immediate (`pkg/apis/storage/v1/
//! defaults.go`); provisioner required; parameters, provisioner and reclaim policy immutable.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy, default_key};

pub const STRATEGY: Strategy = Strategy { default, validate, validate_update, ..BASE };

fn default(obj: &mut Value) {
    let Some(root) = obj.as_object_mut() else { return };
    default_key(root, "reclaimPolicy", json!("Delete"));
    default_key(root, "volumeBindingMode", json!("Immediate"));
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if obj.get("provisioner").and_then(Value::as_str).is_none_or(str::is_empty) {
        out.push(v::required("provisioner", ""));
    }
    if let Some(rp) = obj.get("reclaimPolicy")
        && !matches!(rp.as_str(), Some("Delete" | "Retain"))
    {
        out.push(v::not_supported("reclaimPolicy", rp, &["Delete", "Retain"]));
    }
    if let Some(m) = obj.get("volumeBindingMode")
        && !matches!(m.as_str(), Some("Immediate" | "WaitForFirstConsumer"))
    {
        out.push(v::not_supported("volumeBindingMode", m, &["Immediate", "WaitForFirstConsumer"]));
    }
    out
}

fn validate_update(new: &Value, old: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if new.get("parameters") != old.get("parameters") {
        out.push(v::forbidden("parameters", "updates to parameters are forbidden."));
    }
    if new.get("provisioner") != old.get("provisioner") {
        out.push(v::forbidden("provisioner", "updates to provisioner are forbidden."));
    }
    if new.get("reclaimPolicy") != old.get("reclaimPolicy") {
        out.push(v::forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
    }
    if new.get("volumeBindingMode") != old.get("volumeBindingMode") {
        out.push(v::immutable("volumeBindingMode", new.get("volumeBindingMode").unwrap_or(&Value::Null)));
    }
    out
}
