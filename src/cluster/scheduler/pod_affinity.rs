//! InterPodAffinity: required pod affinity / anti-affinity (filter, both the incoming pod's
//! terms and existing pods' anti-affinity towards it) and preferred terms (score), after v1.35
//! `pkg/scheduler/framework/plugins/interpodaffinity/filtering.go` and `scoring.go`.
//!
//! Namespace selectors are evaluated against the one label every namespace carries,
//! `kubernetes.io/metadata.name`, since the snapshot holds no Namespace objects.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::cluster::selector::{LabelSelector, from_label_selector_object, labels_of};

use super::{Cycle, NodeInfo, Rejection};

/// `ErrReasonAffinityRulesNotMatch`.
pub const REASON_AFFINITY: &str = "node(s) didn't match pod affinity rules";
/// `ErrReasonAntiAffinityRulesNotMatch`.
pub const REASON_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
/// `ErrReasonExistingAntiAffinityRulesNotMatch`.
pub const REASON_EXISTING_ANTI_AFFINITY: &str = "node(s) didn't satisfy existing pods anti-affinity rules";

/// `hardPodAffinityWeight` default: existing pods' *required* affinity counts this much in scoring.
const HARD_POD_AFFINITY_WEIGHT: i64 = 1;

struct Term {
    /// `None` for a missing labelSelector, which matches no pod.
    selector: Option<LabelSelector>,
    namespaces: Vec<String>,
    namespace_selector: Option<LabelSelector>,
    topology_key: String,
    weight: i64,
}

impl Term {
    fn parse(t: &Value, owner_ns: &str, weight: i64) -> Self {
        let selector = t.get("labelSelector").filter(|v| !v.is_null()).map(from_label_selector_object);
        let mut namespaces: Vec<String> =
            t.get("namespaces").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect();
        let namespace_selector = t.get("namespaceSelector").filter(|v| !v.is_null()).map(from_label_selector_object);
        if namespaces.is_empty() && namespace_selector.is_none() {
            namespaces.push(owner_ns.to_string());
        }
        let topology_key = t.get("topologyKey").and_then(Value::as_str).unwrap_or_default().to_string();
        Term { selector, namespaces, namespace_selector, topology_key, weight }
    }

    fn matches(&self, pod: &Value) -> bool {
        let ns = namespace_of(pod);
        let ns_ok = self.namespaces.iter().any(|n| n == ns)
            || self
                .namespace_selector
                .as_ref()
                .is_some_and(|s| s.matches(&BTreeMap::from([("kubernetes.io/metadata.name".to_string(), ns.to_string())])));
        ns_ok && self.selector.as_ref().is_some_and(|s| s.matches(&labels_of(pod)))
    }
}

fn namespace_of(pod: &Value) -> &str {
    pod.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("default")
}

fn required(pod: &Value, kind: &str) -> Vec<Term> {
    let ns = namespace_of(pod);
    pod.pointer(&format!("/spec/affinity/{kind}/requiredDuringSchedulingIgnoredDuringExecution"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| Term::parse(t, ns, HARD_POD_AFFINITY_WEIGHT))
        .collect()
}

fn preferred(pod: &Value, kind: &str) -> Vec<Term> {
    let ns = namespace_of(pod);
    pod.pointer(&format!("/spec/affinity/{kind}/preferredDuringSchedulingIgnoredDuringExecution"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|w| Some(Term::parse(w.get("podAffinityTerm")?, ns, w.get("weight").and_then(Value::as_i64).unwrap_or(0))))
        .collect()
}

type Pair = (String, String);

fn pair(n: &NodeInfo<'_>, key: &str) -> Option<Pair> {
    n.labels.get(key).map(|v| (key.to_string(), v.clone()))
}

pub fn filter(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Option<Rejection> {
    let pod = cy.pod.pod;
    let affinity = required(pod, "podAffinity");
    let anti = required(pod, "podAntiAffinity");

    // Affinity: an existing pod counts for every term's domain only when it matches all terms.
    if !affinity.is_empty() {
        let mut counts: BTreeMap<Pair, i64> = BTreeMap::new();
        for other in &cy.nodes {
            for p in &other.pods {
                if affinity.iter().all(|t| t.matches(p)) {
                    for t in &affinity {
                        if let Some(tp) = pair(other, &t.topology_key) {
                            *counts.entry(tp).or_default() += 1;
                        }
                    }
                }
            }
        }
        let mut pods_exist = true;
        for t in &affinity {
            match pair(n, &t.topology_key) {
                // Every topology label must exist on the node.
                None => return Some(Rejection::unresolvable(REASON_AFFINITY)),
                Some(tp) => pods_exist &= counts.get(&tp).copied().unwrap_or(0) > 0,
            }
        }
        // The first pod of a group with affinity to itself may go anywhere its terms allow.
        if !(pods_exist || counts.is_empty() && affinity.iter().all(|t| t.matches(pod))) {
            return Some(Rejection::unresolvable(REASON_AFFINITY));
        }
    }

    // The incoming pod's anti-affinity: no matching pod in the node's domain.
    for t in &anti {
        let Some(tp) = pair(n, &t.topology_key) else { continue };
        let clash = cy.nodes.iter().filter(|o| pair(o, &t.topology_key).as_ref() == Some(&tp)).any(|o| o.pods.iter().any(|p| t.matches(p)));
        if clash {
            return Some(Rejection::unschedulable(REASON_ANTI_AFFINITY));
        }
    }

    // Existing pods' anti-affinity towards the incoming pod.
    for other in &cy.nodes {
        for p in &other.pods {
            for t in required(p, "podAntiAffinity") {
                if !t.matches(pod) {
                    continue;
                }
                if let (Some(theirs), Some(ours)) = (pair(other, &t.topology_key), pair(n, &t.topology_key))
                    && theirs == ours
                {
                    return Some(Rejection::unschedulable(REASON_EXISTING_ANTI_AFFINITY));
                }
            }
        }
    }
    None
}

/// InterPodAffinity score before normalizing: weights of matching preferred terms (both ways)
/// and of existing pods' required affinity, summed per topology domain.
pub fn score_raw(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> i64 {
    let pod = cy.pod.pod;
    let own_aff = preferred(pod, "podAffinity");
    let own_anti = preferred(pod, "podAntiAffinity");
    let mut domain: BTreeMap<Pair, i64> = BTreeMap::new();
    let mut add = |other: &NodeInfo<'_>, t: &Term, sign: i64| {
        if let Some(tp) = pair(other, &t.topology_key) {
            *domain.entry(tp).or_default() += sign * t.weight;
        }
    };
    for other in &cy.nodes {
        for p in &other.pods {
            for t in own_aff.iter().filter(|t| t.matches(p)) {
                add(other, t, 1);
            }
            for t in own_anti.iter().filter(|t| t.matches(p)) {
                add(other, t, -1);
            }
            for t in required(p, "podAffinity").iter().filter(|t| t.matches(pod)) {
                add(other, t, 1);
            }
            for t in preferred(p, "podAffinity").iter().filter(|t| t.matches(pod)) {
                add(other, t, 1);
            }
            for t in preferred(p, "podAntiAffinity").iter().filter(|t| t.matches(pod)) {
                add(other, t, -1);
            }
        }
    }
    domain.iter().filter(|((k, v), _)| n.labels.get(k) == Some(v)).map(|(_, s)| *s).sum()
}
