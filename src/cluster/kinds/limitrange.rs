//! LimitRanges: for `Container` items, `default` falls back to `max` and `defaultRequest` to
//! `default` then `min` (`SetDefaults_LimitRangeItem`).

use serde_json::{Map, Value};

use super::super::Cause;
use super::super::validation as v;
use super::{BASE, Strategy, child, each_in, spec_mut};

pub const STRATEGY: Strategy = Strategy { default, validate, ..BASE };

fn default(obj: &mut Value) {
    let Some(spec) = spec_mut(obj) else { return };
    each_in(spec, "limits", |item: &mut Map<String, Value>| {
        if item.get("type").and_then(Value::as_str) != Some("Container") {
            return;
        }
        let max = item.get("max").and_then(Value::as_object).cloned().unwrap_or_default();
        let min = item.get("min").and_then(Value::as_object).cloned().unwrap_or_default();
        if !max.is_empty() {
            let def = child(item, "default");
            for (k, q) in &max {
                def.entry(k.clone()).or_insert(q.clone());
            }
        }
        let def = item.get("default").and_then(Value::as_object).cloned().unwrap_or_default();
        if !def.is_empty() || !min.is_empty() {
            let dr = child(item, "defaultRequest");
            for (k, q) in def.iter().chain(min.iter()) {
                dr.entry(k.clone()).or_insert(q.clone());
            }
        }
    });
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    if let Some(items) = obj.pointer("/spec/limits").and_then(Value::as_array) {
        for (i, item) in items.iter().enumerate() {
            if let Some(t) = item.get("type")
                && !matches!(t.as_str(), Some("Container" | "Pod" | "PersistentVolumeClaim"))
            {
                out.push(v::not_supported(&format!("spec.limits[{i}].type"), t, &["Container", "PersistentVolumeClaim", "Pod"]));
            }
        }
    }
    out
}
