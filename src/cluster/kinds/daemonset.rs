//! DaemonSets (apps/v1): `SetDefaults_DaemonSet` (RollingUpdate with maxUnavailable 1 and
//! maxSurge 0, revisionHistoryLimit 10) and the apps selector rules.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy, child, default_key, deployment, spec_mut, template};

pub const STRATEGY: Strategy = Strategy {
    initial_status: Some(initial_status),
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
