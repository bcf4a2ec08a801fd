//! PersistentVolumeClaims: volumeMode Filesystem (`SetDefaults_PersistentVolumeClaim`), phase
//! Pending on create, required access modes and storage request, immutable spec after creation
//! except the storage request.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Ctx, Strategy, default_key, spec_mut};

pub const STRATEGY: Strategy = Strategy { default, before_create, validate, validate_update, status_subresource: true, ..BASE };

fn default(obj: &mut Value) {
    let Some(spec) = spec_mut(obj) else { return };
    default_key(spec, "volumeMode", json!("Filesystem"));
}

fn before_create(obj: &mut Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    if let Some(root) = obj.as_object_mut() {
        root.insert("status".into(), json!({"phase": "Pending"}));
    }
    Ok(())
}

pub fn check_access_modes(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if let Some(modes) = obj.pointer("/spec/accessModes").and_then(Value::as_array) {
        for m in modes {
            if !matches!(m.as_str(), Some("ReadWriteOnce" | "ReadOnlyMany" | "ReadWriteMany" | "ReadWriteOncePod")) {
                out.push(v::not_supported("spec.accessModes", m, &["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]));
            }
        }
    }
    out
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if obj.pointer("/spec/accessModes").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        out.push(v::required("spec.accessModes", "at least 1 access mode is required"));
    }
    out.extend(check_access_modes(obj));
    if obj.pointer("/spec/resources/requests/storage").is_none() {
        out.push(v::required("spec.resources[storage]", ""));
    }
    out
}

fn validate_update(new: &Value, old: &Value) -> Vec<Cause> {
    let size = |o: &Value| o.pointer("/spec/resources/requests/storage").and_then(super::super::quantity::of);
    if let (Some(n), Some(o)) = (size(new), size(old))
        && n < o
    {
        return vec![v::forbidden("spec.resources.requests.storage", "field can not be less than previous value")];
    }
    let strip = |o: &Value| {
        let mut s = o.get("spec").cloned().unwrap_or(Value::Null);
        if let Some(m) = s.pointer_mut("/resources/requests").and_then(Value::as_object_mut) {
            m.remove("storage");
        }
        if let Some(m) = s.as_object_mut() {
            m.remove("volumeName");
        }
        s
    };
    if strip(new) != strip(old) {
        return vec![v::forbidden(
            "spec",
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
        )];
    }
    Vec::new()
}
