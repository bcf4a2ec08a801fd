//! DaemonSets (apps/v1): `SetDefaults_DaemonSet` (RollingUpdate with maxUnavailable 1 and
//! maxSurge 0, revisionHistoryLimit 10) and the apps selector rules.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Ctx, Strategy, child, default_key, deployment, spec_mut, template};

/// Where apps/v1 keeps the internal `spec.templateGeneration`.
pub const TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

pub const STRATEGY: Strategy = Strategy {
    initial_status: Some(initial_status),
    before_create,
    prepare_update,
    default,
    validate,
    validate_update: deployment::validate_update,
    generation: true,
    status_subresource: true,
    ..BASE
};

fn default(obj: &mut Value) {
    let Some(spec) = spec_mut(obj) else { return };
    let us = child(spec, "updateStrategy");
    default_key(us, "type", json!("RollingUpdate"));
    if us.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
        let ru = child(us, "rollingUpdate");
        default_key(ru, "maxUnavailable", json!(1));
        default_key(ru, "maxSurge", json!(0));
    }
    default_key(spec, "revisionHistoryLimit", json!(10));
    template::default(spec);
}

/// `daemonSetStrategy.PrepareForCreate`: templateGeneration starts at 1.
fn before_create(obj: &mut Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    set_template_generation(obj, 1);
    Ok(())
}

/// `PrepareForUpdate`: a changed pod template takes the next templateGeneration; otherwise the
/// stored one is kept whatever the client sent.
fn prepare_update(new: &mut Value, old: &Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    let old_gen = template_generation(old).unwrap_or(1);
    let next = if new.pointer("/spec/template") != old.pointer("/spec/template") { old_gen + 1 } else { old_gen };
    set_template_generation(new, next);
    Ok(())
}

/// The templateGeneration of a stored DaemonSet.
pub fn template_generation(obj: &Value) -> Option<i64> {
    obj.pointer("/metadata/annotations").and_then(|a| a.get(TEMPLATE_GENERATION)).and_then(Value::as_str).and_then(|s| s.parse().ok())
}

fn set_template_generation(obj: &mut Value, generation: i64) {
    let Some(o) = obj.as_object_mut() else { return };
    let meta = child(o, "metadata");
    child(meta, "annotations").insert(TEMPLATE_GENERATION.into(), json!(generation.to_string()));
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = template::validate_selector(obj, "spec.");
    if let Some(rp) = obj.pointer("/spec/template/spec/restartPolicy")
        && rp.as_str() != Some("Always")
    {
        out.push(v::not_supported("spec.template.spec.restartPolicy", rp, &["Always"]));
    }
    out.extend(template::validate(obj));
    out
}

/// The empty status as the Go type encodes it.
fn initial_status() -> Value {
    json!({"currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0, "numberReady": 0})
}
