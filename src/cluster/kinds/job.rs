//! Jobs (batch/v1): `SetDefaults_Job` (completions and parallelism 1, backoffLimit 6,
//! completionMode NonIndexed, suspend false, podReplacementPolicy TerminatingOrFailed,
//! manualSelector false), the generated selector and labels the job strategy adds
//! (`batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name` and their legacy forms),
//! and the restart policy rule.

use serde_json::{Map, Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Ctx, Strategy, child, default_key, spec_mut, template};

pub const STRATEGY: Strategy = Strategy {
    initial_status: Some(super::empty_object),
    default,
    before_create,
    validate,
    validate_update,
    generation: true,
    status_subresource: true,
    ..BASE
};

fn default(obj: &mut Value) {
    let Some(spec) = spec_mut(obj) else { return };
    default_job_spec(spec);
    default_key(spec, "manualSelector", json!(false));
    labels_from_template(obj);
}

/// `SetDefaults_Job`: a Job without labels takes its template's. Defaults also run when the
/// object is read back from storage, so the labels the strategy adds to the template (the
/// controller uid and job name) show on the Job too.
fn labels_from_template(obj: &mut Value) {
    let template = obj.pointer("/spec/template/metadata/labels").filter(|l| l.as_object().is_some_and(|m| !m.is_empty())).cloned();
    let Some(labels) = template else { return };
    let Some(root) = obj.as_object_mut() else { return };
    let meta = child(root, "metadata");
    if meta.get("labels").and_then(Value::as_object).is_none_or(Map::is_empty) {
        meta.insert("labels".into(), labels);
    }
}

pub fn default_job_spec(spec: &mut Map<String, Value>) {
    // Neither given: one pod to completion; parallelism alone makes a work queue.
    if spec.get("completions").is_none_or(Value::is_null) && spec.get("parallelism").is_none_or(Value::is_null) {
        spec.insert("completions".into(), json!(1));
    }
    default_key(spec, "parallelism", json!(1));
    if spec.get("backoffLimitPerIndex").is_some_and(|v| !v.is_null()) {
        default_key(spec, "backoffLimit", json!(i32::MAX));
    } else {
        default_key(spec, "backoffLimit", json!(6));
    }
    default_key(spec, "completionMode", json!("NonIndexed"));
    default_key(spec, "suspend", json!(false));
    let replacement = if spec.get("podFailurePolicy").is_some_and(|v| !v.is_null()) { "Failed" } else { "TerminatingOrFailed" };
    default_key(spec, "podReplacementPolicy", json!(replacement));
    template::default(spec);
}

/// The job strategy's generated selector: the uid is known only at create.
fn before_create(obj: &mut Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    let uid = obj.pointer("/metadata/uid").and_then(Value::as_str).unwrap_or_default().to_string();
    let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
    let Some(root) = obj.as_object_mut() else { return Ok(()) };
    let spec = child(root, "spec");
    if spec.get("manualSelector").and_then(Value::as_bool) == Some(true) {
        return Ok(());
    }
    spec.insert("selector".into(), json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}));
    let meta = child(child(spec, "template"), "metadata");
    let labels = child(meta, "labels");
    labels.insert("batch.kubernetes.io/controller-uid".into(), json!(uid));
    labels.insert("batch.kubernetes.io/job-name".into(), json!(name));
    labels.insert("controller-uid".into(), json!(uid));
    labels.insert("job-name".into(), json!(name));
    labels_from_template(obj);
    Ok(())
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    out.extend(restart_policy(obj.pointer("/spec/template/spec/restartPolicy"), "spec.template.spec.restartPolicy"));
    out.extend(template::validate(obj));
    out
}

/// Jobs' pods must not restart themselves.
pub fn restart_policy(rp: Option<&Value>, field: &str) -> Vec<Cause> {
    match rp.and_then(Value::as_str) {
        Some("OnFailure" | "Never") => Vec::new(),
        None => vec![v::required(field, "valid values: \"OnFailure\", \"Never\"")],
        Some(_) => vec![v::not_supported(field, rp.unwrap_or(&Value::Null), &["OnFailure", "Never"])],
    }
}

fn validate_update(new: &Value, old: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if new.pointer("/spec/selector") != old.pointer("/spec/selector") {
        out.push(v::immutable("spec.selector", new.pointer("/spec/selector").unwrap_or(&Value::Null)));
    }
    if new.pointer("/spec/template") != old.pointer("/spec/template") {
        out.push(v::immutable("spec.template", new.pointer("/spec/template").unwrap_or(&Value::Null)));
    }
    out
}
