//! PodDisruptionBudgets (policy/v1): minAvailable and maxUnavailable are exclusive; generation
//! kept.

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy};

pub const STRATEGY: Strategy =
    Strategy { initial_status: Some(initial_status), validate, generation: true, status_subresource: true, ..BASE };

fn validate(obj: &Value) -> Vec<Cause> {
    let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
    if spec.get("minAvailable").is_some() && spec.get("maxUnavailable").is_some() {
        return vec![v::invalid("spec", &spec, "minAvailable and maxUnavailable cannot be both set")];
    }
    Vec::new()
}

/// The empty status as the Go type encodes it.
fn initial_status() -> Value {
    json!({"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0})
}
