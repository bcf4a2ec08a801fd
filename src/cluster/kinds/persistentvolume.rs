//! PersistentVolumes: reclaim policy Retain and volumeMode Filesystem (`SetDefaults_PersistentVolume`),
//! status phase Pending on create (the PV controller makes it Available).

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation::{self as v, NameRule};
use super::{BASE, Ctx, Strategy, default_key, spec_mut};

pub const STRATEGY: Strategy =
    Strategy { name_rule: NameRule::Subdomain, default, before_create, validate, status_subresource: true, ..BASE };

fn default(obj: &mut Value) {
    let Some(spec) = spec_mut(obj) else { return };
    default_key(spec, "persistentVolumeReclaimPolicy", json!("Retain"));
    default_key(spec, "volumeMode", json!("Filesystem"));
    if let Some(Value::Object(hp)) = spec.get_mut("hostPath") {
        default_key(hp, "type", json!(""));
    }
}

fn before_create(obj: &mut Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    if let Some(root) = obj.as_object_mut() {
        root.insert("status".into(), json!({"phase": "Pending"}));
    }
    Ok(())
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if obj.pointer("/spec/capacity").is_none() {
        out.push(v::required("spec.capacity", ""));
    }
    if obj.pointer("/spec/accessModes").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        out.push(v::required("spec.accessModes", ""));
    }
    out.extend(super::persistentvolumeclaim::check_access_modes(obj));
    out
}
