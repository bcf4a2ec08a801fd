//! StatefulSets (apps/v1): `SetDefaults_StatefulSet` (OrderedReady, RollingUpdate partition 0,
//! revisionHistoryLimit 10, PVC retention Retain/Retain, claim templates as PVCs) and the apps
//! selector rules.

use serde_json::{Value, json};

use super::super::Cause;
use super::{BASE, Strategy, child, default_key, deployment, each_in, spec_mut, template};

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
    default_key(spec, "podManagementPolicy", json!("OrderedReady"));
    let us = child(spec, "updateStrategy");
    // A rollingUpdate block (partition 0) is added only when the strategy type was left out.
    if us.get("type").is_none_or(Value::is_null) {
        us.insert("type".into(), json!("RollingUpdate"));
        child(us, "rollingUpdate");
    }
    if us.get("type").and_then(Value::as_str) == Some("RollingUpdate")
        && let Some(Value::Object(ru)) = us.get_mut("rollingUpdate")
    {
        default_key(ru, "partition", json!(0));
    }
    default_key(spec, "revisionHistoryLimit", json!(10));
    let retention = child(spec, "persistentVolumeClaimRetentionPolicy");
    default_key(retention, "whenDeleted", json!("Retain"));
    default_key(retention, "whenScaled", json!("Retain"));
    each_in(spec, "volumeClaimTemplates", |pvc| {
        default_key(pvc, "apiVersion", json!("v1"));
        default_key(pvc, "kind", json!("PersistentVolumeClaim"));
        let s = child(pvc, "spec");
        default_key(s, "volumeMode", json!("Filesystem"));
        default_key(pvc, "status", json!({"phase": "Pending"}));
    });
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
    json!({"availableReplicas": 0, "replicas": 0})
}
