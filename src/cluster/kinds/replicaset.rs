//! ReplicaSets (apps/v1): replicas default 1, template defaults, the apps selector rules.

use serde_json::{Value, json};

use super::super::Cause;
use super::{BASE, Strategy, default_key, deployment, spec_mut, template};

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
    default_key(spec, "replicas", json!(1));
    template::default(spec);
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = template::validate_selector(obj, "spec.");
    out.extend(deployment::replicas(obj));
    out.extend(template::validate(obj));
    out
}

/// The empty status as the Go type encodes it.
fn initial_status() -> Value {
    json!({"replicas": 0})
}
