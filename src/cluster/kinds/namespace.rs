//! Namespaces: the `kubernetes.io/metadata.name` label (`SetDefaults_Namespace`), the
//! `kubernetes` finalizer and `Active` phase (namespace strategy), RFC 1123 label names.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation::{self as v, NameRule};
use super::{BASE, Ctx, Strategy, child};

pub const STRATEGY: Strategy =
    Strategy { name_rule: NameRule::Label, default, before_create, prepare_update, validate, status_subresource: true, ..BASE };

/// `spec.finalizers` changes only through the `finalize` subresource.
fn prepare_update(new: &mut Value, old: &Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    if let Some(root) = new.as_object_mut() {
        match old.get("spec") {
            Some(spec) => root.insert("spec".into(), spec.clone()),
            None => root.remove("spec"),
        };
    }
    Ok(())
}

fn default(obj: &mut Value) {
    let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
    let Some(root) = obj.as_object_mut() else { return };
    let meta = child(root, "metadata");
    if !name.is_empty() {
        child(meta, "labels").insert("kubernetes.io/metadata.name".into(), json!(name));
    }
}

fn before_create(obj: &mut Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    // generateName is resolved before this hook, so the label can name the final name.
    default(obj);
    if let Some(root) = obj.as_object_mut() {
        root.insert("spec".into(), json!({"finalizers": ["kubernetes"]}));
        root.insert("status".into(), json!({"phase": "Active"}));
    }
    Ok(())
}

fn validate(obj: &Value) -> Vec<Cause> {
    let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
    let label = obj.pointer("/metadata/labels/kubernetes.io~1metadata.name").and_then(Value::as_str);
    if !name.is_empty() && label.is_some_and(|l| l != name) {
        return vec![v::invalid("metadata.labels", &json!(label), &format!("must be {name}"))];
    }
    Vec::new()
}
