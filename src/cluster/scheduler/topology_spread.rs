//! PodTopologySpread filter: `whenUnsatisfiable: DoNotSchedule` constraints, after v1.35
//! `pkg/scheduler/framework/plugins/podtopologyspread/filtering.go` and `common.go`. Nodes
//! count towards the domains when they pass the pod's node affinity/selector
//! (`nodeAffinityPolicy: Honor`, the default) and carry every constraint's key; taints are
//! ignored (`nodeTaintsPolicy: Ignore`). `matchLabelKeys` add the pod's own label values to the
//! selector. Scoring (ScheduleAnyway and the system default constraints) is not modelled.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::cluster::selector::{LabelSelector, Op, Requirement, from_label_selector_object, labels_of};

use super::{Cycle, NodeInfo, Rejection, node_affinity};

/// `ErrReasonConstraintsNotMatch`.
pub const REASON: &str = "node(s) didn't match pod topology spread constraints";
/// `ErrReasonNodeLabelNotMatch`.
pub const REASON_MISSING_LABEL: &str = "node(s) didn't match pod topology spread constraints (missing required label)";

struct Constraint {
    max_skew: i64,
    key: String,
    /// `None`: a missing labelSelector matches no pod.
    selector: Option<LabelSelector>,
    min_domains: i64,
}

fn constraints(pod: &Value) -> Vec<Constraint> {
    let labels = labels_of(pod);
    pod.pointer("/spec/topologySpreadConstraints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|c| c.get("whenUnsatisfiable").and_then(Value::as_str).unwrap_or("DoNotSchedule") == "DoNotSchedule")
        .map(|c| {
            let selector = c.get("labelSelector").filter(|v| !v.is_null()).map(|s| {
                let mut sel = from_label_selector_object(s);
                for key in c.get("matchLabelKeys").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                    if let Some(v) = labels.get(key) {
                        sel.requirements.push(Requirement { key: key.to_string(), op: Op::In, values: vec![v.clone()] });
                    }
                }
                sel
            });
            Constraint {
                max_skew: c.get("maxSkew").and_then(Value::as_i64).unwrap_or(1),
                key: c.get("topologyKey").and_then(Value::as_str).unwrap_or_default().to_string(),
                selector,
                min_domains: c.get("minDomains").and_then(Value::as_i64).unwrap_or(1),
            }
        })
        .collect()
}

pub fn filter(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Option<Rejection> {
    let pod = cy.pod.pod;
    let list = constraints(pod);
    if list.is_empty() {
        return None;
    }
    if list.iter().any(|c| !n.labels.contains_key(&c.key)) {
        return Some(Rejection::unresolvable(REASON_MISSING_LABEL));
    }
    let ns = pod.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("default");
    let eligible: Vec<&NodeInfo<'_>> = cy
        .nodes
        .iter()
        .filter(|o| list.iter().all(|c| o.labels.contains_key(&c.key)) && node_affinity::required_matches(pod, o.node, &o.labels))
        .collect();
    let own_labels = labels_of(pod);
    for c in &list {
        let matches = |p: &Value| {
            p.pointer("/metadata/namespace").and_then(Value::as_str) == Some(ns)
                && p.pointer("/metadata/deletionTimestamp").is_none_or(Value::is_null)
                && c.selector.as_ref().is_some_and(|s| s.matches(&labels_of(p)))
        };
        let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
        for o in &eligible {
            let domain = o.labels.get(&c.key).map_or("", String::as_str);
            let here = i64::try_from(o.pods.iter().filter(|p| matches(p)).count()).unwrap_or(i64::MAX);
            *counts.entry(domain).or_default() += here;
        }
        let domains = i64::try_from(counts.len()).unwrap_or(i64::MAX);
        let min = if domains < c.min_domains { 0 } else { counts.values().copied().min().unwrap_or(0) };
        let domain = n.labels.get(&c.key).map_or("", String::as_str);
        let self_match = i64::from(c.selector.as_ref().is_some_and(|s| s.matches(&own_labels)));
        if counts.get(domain).copied().unwrap_or(0) + self_match - min > c.max_skew {
            return Some(Rejection::unschedulable(REASON));
        }
    }
    None
}
