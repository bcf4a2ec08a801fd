//! CronJobs (batch/v1): `SetDefaults_CronJob` (concurrencyPolicy Allow, suspend false, history
//! limits 3 and 1; the job template's pod spec defaulted) and schedule/restart-policy validation.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy, child, default_key, job, pod, spec_mut};

pub const STRATEGY: Strategy =
    Strategy { initial_status: Some(super::empty_object), default, validate, generation: true, status_subresource: true, ..BASE };

fn default(obj: &mut Value) {
    let Some(spec) = spec_mut(obj) else { return };
    default_key(spec, "concurrencyPolicy", json!("Allow"));
    default_key(spec, "suspend", json!(false));
    default_key(spec, "successfulJobsHistoryLimit", json!(3));
    default_key(spec, "failedJobsHistoryLimit", json!(1));
    let jt = child(spec, "jobTemplate");
    let js = child(jt, "spec");
    let t = child(js, "template");
    pod::default_pod_spec(child(t, "spec"));
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    match obj.pointer("/spec/schedule").and_then(Value::as_str) {
        None | Some("") => out.push(v::required("spec.schedule", "")),
        Some(s) => {
            let fields = s.split_whitespace().count();
            if !s.starts_with('@') && fields != 5 {
                out.push(v::invalid("spec.schedule", &json!(s), &format!("expected exactly 5 fields, found {fields}: {s}")));
            }
        }
    }
    if let Some(cp) = obj.pointer("/spec/concurrencyPolicy")
        && !matches!(cp.as_str(), Some("Allow" | "Forbid" | "Replace"))
    {
        out.push(v::not_supported("spec.concurrencyPolicy", cp, &["Allow", "Forbid", "Replace"]));
    }
    out.extend(job::restart_policy(
        obj.pointer("/spec/jobTemplate/spec/template/spec/restartPolicy"),
        "spec.jobTemplate.spec.template.spec.restartPolicy",
    ));
    if let Some(ps) = obj.pointer("/spec/jobTemplate/spec/template/spec") {
        out.extend(pod::validate_pod_spec(ps, "spec.jobTemplate.spec.template.spec"));
    }
    out
}
