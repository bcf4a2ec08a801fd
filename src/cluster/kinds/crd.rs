//! CustomResourceDefinitions: conversion strategy None, status with accepted names and the
//! Established condition (the CRD controllers' result, applied at create so the resource is
//! served at once), and the `<plural>.<group>` name rule.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Ctx, Strategy, child, default_key, spec_mut};

pub const STRATEGY: Strategy = Strategy { default, before_create, validate, generation: true, status_subresource: true, ..BASE };

fn default(obj: &mut Value) {
    let Some(spec) = spec_mut(obj) else { return };
    let conv = child(spec, "conversion");
    default_key(conv, "strategy", json!("None"));
    if let Some(Value::Object(names)) = spec.get_mut("names") {
        if let Some(kind) = names.get("kind").and_then(Value::as_str) {
            let list = format!("{kind}List");
            default_key(names, "listKind", json!(list));
        }
        if let Some(plural) = names.get("plural").and_then(Value::as_str)
            && names.get("singular").is_none()
        {
            let kind = names.get("kind").and_then(Value::as_str).map(str::to_lowercase).unwrap_or_else(|| plural.to_string());
            names.insert("singular".into(), json!(kind));
        }
    }
}

fn before_create(obj: &mut Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    let names = obj.pointer("/spec/names").cloned().unwrap_or(json!({}));
    let versions: Vec<Value> = obj
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .map(|vs| {
            vs.iter().filter(|v| v.get("storage").and_then(Value::as_bool) == Some(true)).filter_map(|v| v.get("name").cloned()).collect()
        })
        .unwrap_or_default();
    if let Some(root) = obj.as_object_mut() {
        root.insert(
            "status".into(),
            json!({"acceptedNames": names, "conditions": [
                {"message": "no conflicts found", "reason": "NoConflicts", "status": "True", "type": "NamesAccepted"},
                {"message": "the initial names have been accepted", "reason": "InitialNamesAccepted", "status": "True", "type": "Established"}],
                "storedVersions": versions}),
        );
    }
    Ok(())
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    let group = obj.pointer("/spec/group").and_then(Value::as_str).unwrap_or_default();
    let plural = obj.pointer("/spec/names/plural").and_then(Value::as_str).unwrap_or_default();
    let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
    if group.is_empty() {
        out.push(v::required("spec.group", ""));
    }
    if plural.is_empty() {
        out.push(v::required("spec.names.plural", ""));
    }
    if obj.pointer("/spec/names/kind").and_then(Value::as_str).is_none_or(str::is_empty) {
        out.push(v::required("spec.names.kind", ""));
    }
    if !group.is_empty() && !plural.is_empty() && name != format!("{plural}.{group}") {
        out.push(v::invalid("metadata.name", &json!(name), "must be spec.names.plural+\".\"+spec.group"));
    }
    let scope = obj.pointer("/spec/scope").and_then(Value::as_str).unwrap_or_default();
    if !matches!(scope, "Namespaced" | "Cluster") {
        out.push(v::not_supported("spec.scope", &json!(scope), &["Cluster", "Namespaced"]));
    }
    let versions = obj.pointer("/spec/versions").and_then(Value::as_array).cloned().unwrap_or_default();
    if versions.is_empty() {
        out.push(v::invalid("spec.versions", &json!(versions), "must have exactly one version marked as storage version"));
    } else if versions.iter().filter(|v| v.get("storage").and_then(Value::as_bool) == Some(true)).count() != 1 {
        out.push(v::invalid("spec.versions", &Value::Array(versions.clone()), "must have exactly one version marked as storage version"));
    }
    out
}
