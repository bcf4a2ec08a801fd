//! Deployments (apps/v1): `SetDefaults_Deployment` (replicas 1, RollingUpdate 25%/25%,
//! revisionHistoryLimit 10, progressDeadlineSeconds 600, template as a pod spec) and
//! `ValidateDeployment` / `ValidateDeploymentUpdate` (`pkg/apis/apps/validation/validation.go`).

use serde_json::{Value, json};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy, child, default_key, spec_mut, template};

pub const STRATEGY: Strategy = Strategy {
    initial_status: Some(super::empty_object),
    default,
    validate,
    validate_update,
    generation: true,
    status_subresource: true,
    ..BASE
};

fn default(obj: &mut Value) {
    let Some(spec) = spec_mut(obj) else { return };
    default_key(spec, "replicas", json!(1));
    let strategy = child(spec, "strategy");
    default_key(strategy, "type", json!("RollingUpdate"));
    if strategy.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
        let ru = child(strategy, "rollingUpdate");
        default_key(ru, "maxUnavailable", json!("25%"));
        default_key(ru, "maxSurge", json!("25%"));
    }
    default_key(spec, "revisionHistoryLimit", json!(10));
    default_key(spec, "progressDeadlineSeconds", json!(600));
    template::default(spec);
}

pub fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = template::validate_selector(obj, "spec.");
    out.extend(replicas(obj));
    if let Some(t) = obj.pointer("/spec/strategy/type")
        && !matches!(t.as_str(), Some("Recreate" | "RollingUpdate"))
    {
        out.push(v::not_supported("spec.strategy.type", t, &["Recreate", "RollingUpdate"]));
    }
    out.extend(template::validate(obj));
    out
}

/// `spec.replicas` must not be negative.
pub fn replicas(obj: &Value) -> Vec<Cause> {
    match obj.pointer("/spec/replicas").and_then(Value::as_i64) {
        Some(n) if n < 0 => vec![v::invalid("spec.replicas", &json!(n), "must be greater than or equal to 0")],
        _ => Vec::new(),
    }
}

/// The selector of apps/v1 workloads cannot change.
pub fn validate_update(new: &Value, old: &Value) -> Vec<Cause> {
    let (n, o) = (new.pointer("/spec/selector"), old.pointer("/spec/selector"));
    if n != o {
        return vec![v::immutable("spec.selector", n.unwrap_or(&Value::Null))];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_selector_messages() {
        let mut d = json!({"spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}});
        default(&mut d);
        assert_eq!(d["spec"]["strategy"], json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}));
        assert_eq!(d["spec"]["replicas"], 1);
        assert_eq!(d["spec"]["template"]["spec"]["restartPolicy"], "Always");
        assert!(validate(&d).is_empty());
        d["spec"]["selector"]["matchLabels"]["app"] = json!("frontend");
        // Case A21 of the error catalogue.
        let c = validate(&d);
        assert_eq!(
            format!("{}: {}", c[0].field, c[0].message),
            "spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"
        );
        let old = json!({"spec": {"selector": {"matchLabels": {"app": "web"}}}});
        let new = json!({"spec": {"selector": {"matchLabels": {"app": "web2"}}}});
        assert_eq!(validate_update(&new, &old)[0].message, "Invalid value: {\"matchLabels\":{\"app\":\"web2\"}}: field is immutable");
    }
}
