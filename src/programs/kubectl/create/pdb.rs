//! `kubectl create poddisruptionbudget NAME --selector=… --min-available=N|--max-unavailable=N`.

use serde_json::{Map, Value, json};

use super::common::{self, Failure};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::FlagDef;

pub const FLAGS: &[FlagDef] = &[FlagDef::string("max-unavailable"), FlagDef::string("min-available"), FlagDef::string("selector")];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create poddisruptionbudget", FLAGS, &[], |_, req| {
        let p = req.parsed;
        let selector = p.string("selector", "");
        let min = p.string("min-available", "");
        let max = p.string("max-unavailable", "");
        if selector.is_empty() {
            return Err(Failure::plain("a selector must be specified"));
        }
        if min.is_empty() && max.is_empty() {
            return Err(Failure::plain("one of min-available or max-unavailable must be specified"));
        }
        if !min.is_empty() && !max.is_empty() {
            return Err(Failure::plain("min-available and max-unavailable cannot be both specified"));
        }
        // Only counts and percentages (`10`, `30%`), checked after the other rules.
        let count_or_percent = |v: &str| {
            let digits = v.strip_suffix('%').unwrap_or(v);
            !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
        };
        if !min.is_empty() && !count_or_percent(&min) {
            return Err(Failure::plain("invalid format specified for min-available"));
        }
        if !max.is_empty() && !count_or_percent(&max) {
            return Err(Failure::plain("invalid format specified for max-unavailable"));
        }
        let selector = label_selector(&selector).map_err(Failure::plain)?;
        let mut spec = Map::new();
        if !min.is_empty() {
            spec.insert("minAvailable".into(), int_or_string(&min));
        }
        spec.insert("selector".into(), selector);
        if !max.is_empty() {
            spec.insert("maxUnavailable".into(), int_or_string(&max));
        }
        Ok(vec![json!({
            "kind": "PodDisruptionBudget",
            "apiVersion": "policy/v1",
            "metadata": {"name": req.name},
            "spec": spec,
            "status": {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}
        })])
    })
}

/// `intstr.Parse`: a number if it parses as one, else the string.
pub fn int_or_string(s: &str) -> Value {
    s.parse::<i32>().map_or_else(|_| json!(s), |n| json!(n))
}

/// `metav1.ParseToLabelSelector` for the forms a command line carries: `k=v`, `k==v`,
/// `k`, `!k`, comma-separated.
pub fn label_selector(text: &str) -> Result<Value, String> {
    let mut labels = Vec::new();
    let mut exprs = Vec::new();
    for term in text.split(',').map(str::trim) {
        if term.contains("!=") {
            // A LabelSelector has no inequality operator.
            return Err("\"!=\" is not a valid label selector operator".into());
        } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            labels.push((k.to_string(), v.to_string()));
        } else if let Some(k) = term.strip_prefix('!') {
            exprs.push(json!({"key": k, "operator": "DoesNotExist"}));
        } else if !term.is_empty() {
            exprs.push(json!({"key": term, "operator": "Exists"}));
        } else {
            return Err(format!("couldn't parse the selector string \"{text}\""));
        }
    }
    let mut sel = Map::new();
    if !labels.is_empty() {
        sel.insert("matchLabels".into(), common::object_of(&labels));
    }
    if !exprs.is_empty() {
        sel.insert("matchExpressions".into(), Value::Array(exprs));
    }
    Ok(Value::Object(sel))
}
