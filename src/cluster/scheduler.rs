//! The kube-scheduler's decision for one pending pod, as a pure function of a store snapshot:
//! PreFilter → Filter (per node, first failing plugin wins) → Score (normalized, weighted) →
//! pick, or the FailedScheduling message exactly as v1.35 words it.
//!
//! Followed (kubernetes/kubernetes v1.35): `pkg/scheduler/schedule_one.go` (findNodesThatFitPod,
//! selectHost), `pkg/scheduler/framework/types.go` (`FitError.Error`), `framework/runtime/
//! framework.go` (RunFilterPlugins stops at the first failing plugin, RunPostFilterPlugins joins
//! the reasons of the PostFilter plugins), `framework/preemption/preemption.go` and
//! `plugins/defaultpreemption/default_preemption.go`, `plugins/dynamicresources` (PostFilter) and
//! the default profile `pkg/scheduler/apis/config/v1/default_plugins.go`. Plugins live in the
//! submodules, one per plugin family.
//!
//! How the settle loop drives it, one pod at a time in [`queue_order`], for pods
//! [`is_schedulable_by_default_scheduler`] accepts, with each bind visible in the next snapshot:
//! [`schedule`] → `Bind` (then [`volume_bindings`] for WaitForFirstConsumer claims, event
//! [`scheduled_message`]) or `Unschedulable` (event `FailedScheduling` with the message, and
//! [`preemption_victims`]: evict them with [`disruption_target_message`] /
//! [`preempted_message`], set `status.nominatedNodeName`).

mod fit;
mod node_affinity;
mod pod_affinity;
mod ports;
pub mod requests;
mod taints;
mod topology_spread;
mod volumes;

pub use volumes::VolumeBinding;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::cluster::selector::labels_of;

use requests::{Resources, pod_requests};

/// Everything the scheduler looks at, borrowed from the store.
pub struct Snapshot<'a> {
    pub nodes: Vec<&'a Value>,
    pub pods: Vec<&'a Value>,
    pub pvcs: Vec<&'a Value>,
    pub pvs: Vec<&'a Value>,
    pub storage_classes: Vec<&'a Value>,
    pub priority_classes: Vec<&'a Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Bind { node: String },
    Unschedulable { message: String },
}

/// `framework.MaxNodeScore`.
pub const MAX_NODE_SCORE: i64 = 100;

/// What the DynamicResources PostFilter (first PostFilter plugin while DRA is on, as it is by
/// default since v1.34) says for a pod without resource claims. Its reason is joined with the
/// preemption plugin's by `, `.
const DRA_NO_CLAIMS: &str = "no new claims to deallocate";
/// What the same PostFilter says when a PreFilter failure kept its own PreFilter from writing its
/// cycle state: an Error status, which ends the PostFilter phase before preemption runs. Real
/// v1.34+ clusters print `0/1 nodes are available: pod has unbound immediate
/// PersistentVolumeClaims. not found` (observed in several captures).
const DRA_NO_STATE: &str = "not found";
/// DefaultPreemption's reasons (preemption.go, default_preemption.go).
const PREEMPTION_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
const NO_VICTIMS: &str = "No preemption victims found for incoming pod";
/// `PodEligibleToPreemptOthers` answers; the preemption plugin prefixes them with `preemption: `
/// (captured: `… 1 Insufficient cpu. no new claims to deallocate, preemption: not eligible due to
/// preemptionPolicy=Never.`).
const NOT_ELIGIBLE_NEVER: &str = "not eligible due to preemptionPolicy=Never.";
const NOT_ELIGIBLE_TERMINATING: &str = "not eligible due to a terminating pod on the nominated node.";

/// A filter's failure: framework status code and reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// Preemption might help.
    Unschedulable,
    /// Evicting pods cannot help this node.
    UnschedulableAndUnresolvable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: Code,
    pub reasons: Vec<String>,
}

impl Rejection {
    fn unresolvable(reason: &str) -> Self {
        Rejection { code: Code::UnschedulableAndUnresolvable, reasons: vec![reason.to_string()] }
    }
    fn unschedulable(reason: &str) -> Self {
        Rejection { code: Code::Unschedulable, reasons: vec![reason.to_string()] }
    }
}

/// The incoming pod with what the plugins derive from it once.
pub struct PodInfo<'a> {
    pub pod: &'a Value,
    pub requests: Resources,
    pub non_zero: Resources,
    pub priority: i64,
}

/// One node as the scheduler cache holds it: the node, the pods assigned to it, their summed
/// requests.
#[derive(Clone)]
pub struct NodeInfo<'a> {
    pub node: &'a Value,
    pub name: &'a str,
    pub labels: BTreeMap<String, String>,
    taints: Vec<taints::Taint>,
    pub pods: Vec<&'a Value>,
    pub requested: Resources,
    pub non_zero: Resources,
    pub allocatable: Resources,
    pub allowed_pods: i64,
}

impl<'a> NodeInfo<'a> {
    fn new(node: &'a Value, all_pods: &[&'a Value], incoming: &Value) -> Self {
        let name = node.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
        let key = pod_key(incoming);
        // Terminal pods leave the scheduler's cache (its informer skips Succeeded and Failed).
        let pods: Vec<&Value> = all_pods
            .iter()
            .copied()
            .filter(|p| p.pointer("/spec/nodeName").and_then(Value::as_str) == Some(name))
            .filter(|p| !matches!(p.pointer("/status/phase").and_then(Value::as_str), Some("Succeeded" | "Failed")))
            .filter(|p| pod_key(p) != key)
            .collect();
        let allocatable = Resources::from_list(node.pointer("/status/allocatable"));
        let allowed_pods = node.pointer("/status/allocatable/pods").and_then(crate::cluster::quantity::of).map_or(0, |v| {
            #[allow(clippy::cast_possible_truncation, reason = "a pod count")]
            let n = v as i64;
            n
        });
        let mut info = NodeInfo {
            node,
            name,
            labels: labels_of(node),
            taints: taints::node_taints(node),
            pods: Vec::new(),
            requested: Resources::default(),
            non_zero: Resources::default(),
            allocatable,
            allowed_pods,
        };
        for p in pods {
            info.add_pod(p);
        }
        info
    }

    fn add_pod(&mut self, p: &'a Value) {
        self.requested.add(&pod_requests(p, false));
        self.non_zero.add(&pod_requests(p, true));
        self.pods.push(p);
    }

    fn without(&self, victims: &[&Value]) -> Self {
        let mut n = NodeInfo { pods: Vec::new(), requested: Resources::default(), non_zero: Resources::default(), ..self.clone() };
        for p in &self.pods {
            if !victims.iter().any(|v| std::ptr::eq(*v, *p)) {
                n.add_pod(p);
            }
        }
        n
    }
}

fn pod_key(p: &Value) -> (String, String) {
    let s = |k: &str| p.pointer(k).and_then(Value::as_str).unwrap_or_default().to_string();
    (s("/metadata/namespace"), s("/metadata/name"))
}

/// One scheduling cycle's state: the pod, every node's info (cluster-wide plugins such as
/// InterPodAffinity look at all of them) and what PreFilter found.
pub struct Cycle<'a> {
    pub pod: PodInfo<'a>,
    pub nodes: Vec<NodeInfo<'a>>,
    pub snapshot: &'a Snapshot<'a>,
    claims: Option<volumes::Claims<'a>>,
}

type Filter = fn(&Cycle<'_>, &NodeInfo<'_>) -> Option<Rejection>;

/// The default profile's Filter plugins in their order (default_plugins.go). Volume limits,
/// VolumeRestrictions, VolumeZone and DynamicResources are not modelled: they never reject in
/// the simulated world (no CSI drivers, zones or resource claims).
const FILTERS: &[(&str, Filter)] = &[
    ("NodeUnschedulable", taints::filter_unschedulable),
    ("NodeName", node_affinity::filter_node_name),
    ("TaintToleration", taints::filter_taints),
    ("NodeAffinity", node_affinity::filter),
    ("NodePorts", ports::filter),
    ("NodeResourcesFit", fit::filter),
    ("VolumeBinding", volumes::filter),
    ("PodTopologySpread", topology_spread::filter),
    ("InterPodAffinity", pod_affinity::filter),
];

fn run_filters(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Option<Rejection> {
    FILTERS.iter().find_map(|(_, f)| f(cy, n))
}

/// `RunFilterPluginsWithNominatedPods`: pending pods nominated to a node (after preempting
/// there) with at least the incoming pod's priority hold their place: the filters run once with
/// them added to the node and once without, and both must pass.
fn filter_node(cy: &Cycle<'_>, index: usize) -> Option<Rejection> {
    let n = &cy.nodes[index];
    let key = pod_key(cy.pod.pod);
    let nominated: Vec<&Value> = cy
        .snapshot
        .pods
        .iter()
        .copied()
        .filter(|p| p.pointer("/spec/nodeName").and_then(Value::as_str).unwrap_or_default().is_empty())
        .filter(|p| p.pointer("/status/nominatedNodeName").and_then(Value::as_str) == Some(n.name))
        .filter(|p| pod_key(p) != key && priority_of(p, cy.snapshot) >= cy.pod.priority)
        .collect();
    if !nominated.is_empty() {
        let mut with = n.clone();
        for p in nominated {
            with.add_pod(p);
        }
        let mut nodes = cy.nodes.clone();
        nodes[index] = with;
        let pod =
            PodInfo { pod: cy.pod.pod, requests: cy.pod.requests.clone(), non_zero: cy.pod.non_zero.clone(), priority: cy.pod.priority };
        let trial = Cycle { pod, nodes, snapshot: cy.snapshot, claims: volumes::pre_filter(cy.pod.pod, cy.snapshot).ok() };
        if let Some(r) = run_filters(&trial, &trial.nodes[index]) {
            return Some(r);
        }
    }
    run_filters(cy, n)
}

/// PrioritySort, the queue order: higher priority first, then the pod that has waited longer
/// (its creation time here), then name for determinism.
pub fn queue_order(a: &Value, b: &Value, snapshot: &Snapshot<'_>) -> std::cmp::Ordering {
    let created = |p: &Value| p.pointer("/metadata/creationTimestamp").and_then(Value::as_str).unwrap_or_default().to_string();
    priority_of(b, snapshot)
        .cmp(&priority_of(a, snapshot))
        .then_with(|| created(a).cmp(&created(b)))
        .then_with(|| pod_key(a).cmp(&pod_key(b)))
}

/// The pod's priority: `spec.priority` as admission resolved it, else its class's value, else
/// the global default class's, else 0.
pub fn priority_of(pod: &Value, snapshot: &Snapshot<'_>) -> i64 {
    if let Some(p) = pod.pointer("/spec/priority").and_then(Value::as_i64) {
        return p;
    }
    let class_name = pod.pointer("/spec/priorityClassName").and_then(Value::as_str).unwrap_or_default();
    let value = |c: &&Value| c.get("value").and_then(Value::as_i64);
    if !class_name.is_empty()
        && let Some(v) = snapshot
            .priority_classes
            .iter()
            .find(|c| c.pointer("/metadata/name").and_then(Value::as_str) == Some(class_name))
            .and_then(value)
    {
        return v;
    }
    snapshot.priority_classes.iter().find(|c| c.get("globalDefault").and_then(Value::as_bool) == Some(true)).and_then(value).unwrap_or(0)
}

fn cycle<'a>(pod: &'a Value, snapshot: &'a Snapshot<'a>) -> Cycle<'a> {
    let mut nodes: Vec<NodeInfo<'a>> = snapshot.nodes.iter().map(|n| NodeInfo::new(n, &snapshot.pods, pod)).collect();
    nodes.sort_by(|a, b| a.name.cmp(b.name));
    let info = PodInfo { pod, requests: pod_requests(pod, false), non_zero: pod_requests(pod, true), priority: priority_of(pod, snapshot) };
    Cycle { pod: info, nodes, snapshot, claims: None }
}

/// The DaemonSet controller's `predicates` (pkg/controller/daemon `NodeShouldRunDaemonPod`):
/// whether the pod's nodeSelector and required node affinity match the node.
pub fn node_affinity_matches(pod: &Value, node: &Value) -> bool {
    let labels = super::selector::string_map(node.pointer("/metadata/labels"));
    node_affinity::required_matches(pod, node, &labels)
}

/// Whether one of the node's own `spec.taints` with one of `effects` is not tolerated by the
/// pod (`FindMatchingUntoleratedTaint`; the DaemonSet controller reads the taints as written).
pub fn has_untolerated_taint(pod: &Value, node: &Value, effects: &[&str]) -> bool {
    let tolerations = pod.pointer("/spec/tolerations").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    node.pointer("/spec/taints").and_then(Value::as_array).into_iter().flatten().any(|t| {
        let taint = taints::Taint {
            key: t.get("key").and_then(Value::as_str).unwrap_or_default().to_string(),
            value: t.get("value").and_then(Value::as_str).unwrap_or_default().to_string(),
            effect: t.get("effect").and_then(Value::as_str).unwrap_or_default().to_string(),
        };
        effects.contains(&taint.effect.as_str()) && !tolerations.iter().any(|tol| taints::tolerates(tol, &taint))
    })
}

/// Whether the default scheduler takes this pod at all: not yet bound, not being deleted, not
/// finished, `schedulerName` empty or `default-scheduler` (pods for another scheduler stay
/// Pending without events), and no `schedulingGates` (those show `SchedulingGated` and get no
/// FailedScheduling event: the SchedulingGates PreEnqueue plugin keeps them out of the queue).
pub fn is_schedulable_by_default_scheduler(pod: &Value) -> bool {
    let s = |p: &str| pod.pointer(p).and_then(Value::as_str).unwrap_or_default();
    s("/spec/nodeName").is_empty()
        && pod.pointer("/metadata/deletionTimestamp").is_none_or(Value::is_null)
        && !matches!(s("/status/phase"), "Succeeded" | "Failed")
        && matches!(s("/spec/schedulerName"), "" | "default-scheduler")
        && pod.pointer("/spec/schedulingGates").and_then(Value::as_array).is_none_or(Vec::is_empty)
}

/// After [`schedule`] chose `node`: what PreBind must do for the pod's WaitForFirstConsumer
/// claims (bind to a matching PV, or hand the claim to the provisioner with the selected node).
pub fn volume_bindings(pod: &Value, snapshot: &Snapshot<'_>, node: &str) -> Vec<VolumeBinding> {
    let snap: &Snapshot<'_> = snapshot;
    bindings_in(pod, snap, node)
}

fn bindings_in<'a>(pod: &'a Value, snapshot: &'a Snapshot<'a>, node: &str) -> Vec<VolumeBinding> {
    let mut cy = cycle(pod, snapshot);
    cy.claims = volumes::pre_filter(pod, snapshot).ok();
    cy.nodes.iter().find(|n| n.name == node).map(|n| volumes::bindings(&cy, n)).unwrap_or_default()
}

/// Schedule one pod: the node to bind it to, or the FailedScheduling message.
pub fn schedule(pod: &Value, snapshot: &Snapshot<'_>) -> Decision {
    // Reborrow the snapshot for one lifetime: the cycle borrows both.
    let snap: &Snapshot<'_> = snapshot;
    schedule_in(pod, snap)
}

fn schedule_in<'a>(pod: &'a Value, snapshot: &'a Snapshot<'a>) -> Decision {
    let mut cy = cycle(pod, snapshot);
    let total = cy.nodes.len();
    if total == 0 {
        // `ErrNoNodesAvailable`, checked before any plugin runs, is not a FitError:
        // schedule_one.go reports it as it is.
        return Decision::Unschedulable { message: "no nodes available to schedule pods".to_string() };
    }
    match volumes::pre_filter(pod, snapshot) {
        Ok(claims) => cy.claims = Some(claims),
        Err(msg) => {
            // PreFilter rejections carry no per-node counts; the DRA PostFilter then fails on
            // the state its skipped PreFilter never wrote.
            return Decision::Unschedulable { message: format!("0/{total} nodes are available: {msg}. {DRA_NO_STATE}") };
        }
    }
    let statuses: Vec<Option<Rejection>> = (0..cy.nodes.len()).map(|i| filter_node(&cy, i)).collect();
    let feasible: Vec<usize> = (0..total).filter(|i| statuses[*i].is_none()).collect();
    if feasible.is_empty() {
        let rejected: Vec<(usize, Rejection)> = statuses.into_iter().enumerate().filter_map(|(i, s)| s.map(|s| (i, s))).collect();
        let mut message = fit_error(total, rejected.iter().map(|(_, r)| r));
        // PostFilter: a successful preemption leaves no PostFilter message.
        if let Some(post) = preemption_message(&cy, &rejected) {
            message.push(' ');
            message.push_str(DRA_NO_CLAIMS);
            message.push_str(", ");
            message.push_str(&post);
        }
        return Decision::Unschedulable { message };
    }
    Decision::Bind { node: cy.nodes[pick(&cy, &feasible)].name.to_string() }
}

/// `FitError.Error()`: `0/N nodes are available: ` then `<count> <reason>` per distinct reason
/// (a node counts once under each of its reasons), sorted as strings, `, `-joined, with a period.
fn fit_error<'r>(total: usize, rejections: impl Iterator<Item = &'r Rejection>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rejections {
        for reason in &r.reasons {
            *counts.entry(reason.as_str()).or_default() += 1;
        }
    }
    let mut items: Vec<String> = counts.iter().map(|(r, c)| format!("{c} {r}")).collect();
    // sort.Strings on the whole "<count> <reason>" strings: "10 …" sorts before "2 …".
    items.sort();
    let mut msg = format!("0/{total} nodes are available:");
    if !items.is_empty() {
        msg.push(' ');
        msg.push_str(&items.join(", "));
        msg.push('.');
    }
    msg
}

/// DefaultPreemption's PostFilter message, or `None` when preemption found a node (the
/// scheduler then nominates the node and evicts victims: see [`preemption_victims`]).
fn preemption_message(cy: &Cycle<'_>, rejected: &[(usize, Rejection)]) -> Option<String> {
    if let Some(why) = not_eligible(cy, rejected) {
        return Some(format!("preemption: {why}"));
    }
    let mut outcome: Vec<Rejection> = Vec::new();
    for (i, r) in rejected {
        match r.code {
            Code::UnschedulableAndUnresolvable => outcome.push(Rejection::unresolvable(PREEMPTION_NOT_HELPFUL)),
            Code::Unschedulable => match dry_run(cy, *i) {
                Ok(_) => return None,
                Err(r) => outcome.push(r),
            },
        }
    }
    Some(format!("preemption: {}", fit_error(cy.nodes.len(), outcome.iter())))
}

/// `PodEligibleToPreemptOthers`: a pod that may not preempt, or that already preempted and
/// waits for its victims on the nominated node to terminate.
fn not_eligible(cy: &Cycle<'_>, rejected: &[(usize, Rejection)]) -> Option<&'static str> {
    let pod = cy.pod.pod;
    if pod.pointer("/spec/preemptionPolicy").and_then(Value::as_str) == Some("Never") {
        return Some(NOT_ELIGIBLE_NEVER);
    }
    let nominated = pod.pointer("/status/nominatedNodeName").and_then(Value::as_str).unwrap_or_default();
    let index = cy.nodes.iter().position(|n| !nominated.is_empty() && n.name == nominated)?;
    // A nominated node that can no longer take the pod at all is given up: preempt again.
    if rejected.iter().any(|(i, r)| *i == index && r.code == Code::UnschedulableAndUnresolvable) {
        return None;
    }
    let waiting = cy.nodes[index].pods.iter().any(|p| priority_of(p, cy.snapshot) < cy.pod.priority && terminating_by_preemption(p));
    waiting.then_some(NOT_ELIGIBLE_TERMINATING)
}

/// Being deleted, with the DisruptionTarget condition the scheduler sets on its victims.
fn terminating_by_preemption(p: &Value) -> bool {
    p.pointer("/metadata/deletionTimestamp").is_some_and(|v| !v.is_null())
        && p.pointer("/status/conditions").and_then(Value::as_array).into_iter().flatten().any(|c| {
            c.get("type").and_then(Value::as_str) == Some("DisruptionTarget")
                && c.get("reason").and_then(Value::as_str) == Some("PreemptionByScheduler")
        })
}

/// `SelectVictimsOnNode`: remove every lower-priority pod; if the pod then fits, add them back
/// highest priority first while it still fits. The victims, or the node's failure.
fn dry_run<'a>(cy: &Cycle<'a>, index: usize) -> Result<Vec<&'a Value>, Rejection> {
    let node = &cy.nodes[index];
    let mut lower: Vec<&'a Value> = node.pods.iter().copied().filter(|p| priority_of(p, cy.snapshot) < cy.pod.priority).collect();
    if lower.is_empty() {
        return Err(Rejection::unresolvable(NO_VICTIMS));
    }
    let fits = |victims: &[&'a Value]| {
        let reduced = node.without(victims);
        let mut nodes = cy.nodes.clone();
        nodes[index] = reduced;
        // The victims gone, every filter runs again on this node (the pod's PreFilter state
        // is recomputed from the same snapshot).
        let pod =
            PodInfo { pod: cy.pod.pod, requests: cy.pod.requests.clone(), non_zero: cy.pod.non_zero.clone(), priority: cy.pod.priority };
        let trial = Cycle { pod, nodes, snapshot: cy.snapshot, claims: volumes::pre_filter(cy.pod.pod, cy.snapshot).ok() };
        run_filters(&trial, &trial.nodes[index])
    };
    if let Some(r) = fits(&lower) {
        return Err(r);
    }
    // Reprieve: most important first (higher priority, then earlier start).
    lower.sort_by(|a, b| priority_of(b, cy.snapshot).cmp(&priority_of(a, cy.snapshot)).then_with(|| start_time(a).cmp(start_time(b))));
    let mut victims = lower.clone();
    for p in &lower {
        let trial: Vec<&Value> = victims.iter().copied().filter(|v| !std::ptr::eq(*v, *p)).collect();
        if fits(&trial).is_none() {
            victims = trial;
        }
    }
    Ok(victims)
}

fn start_time(p: &Value) -> &str {
    p.pointer("/status/startTime").or_else(|| p.pointer("/metadata/creationTimestamp")).and_then(Value::as_str).unwrap_or_default()
}

/// The `Normal Scheduled` event's message (schedule_one.go, after binding).
pub fn scheduled_message(pod: &Value, node: &str) -> String {
    let (ns, name) = pod_key(pod);
    format!("Successfully assigned {ns}/{name} to {node}")
}

/// The `Normal Preempted` event on each victim (preemption.go `prepareCandidate`; it names the
/// preemptor by UID: captured `Preempted by pod 64d6df7b-… on node lab-g2-vm2`).
pub fn preempted_message(preemptor_uid: &str, node: &str) -> String {
    format!("Preempted by pod {preemptor_uid} on node {node}")
}

/// The victim's `DisruptionTarget` condition message (reason `PreemptionByScheduler`).
pub fn disruption_target_message(preemptor: &Value) -> String {
    let scheduler =
        preemptor.pointer("/spec/schedulerName").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("default-scheduler");
    format!("{scheduler}: preempting to accommodate a higher priority pod")
}

/// The outcome of a successful preemption: the node the pod is nominated to and the pods to
/// evict from it (`namespace`, `name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preemption {
    pub node: String,
    pub victims: Vec<(String, String)>,
}

/// When [`schedule`] finds no node, whether evicting lower-priority pods makes one. The node is
/// chosen as `pickOneNodeForPreemption` does: lowest highest-victim priority, then lowest sum
/// of victim priorities, then fewest victims, then node name (our deterministic last tie-break).
pub fn preemption_victims(pod: &Value, snapshot: &Snapshot<'_>) -> Option<Preemption> {
    let snap: &Snapshot<'_> = snapshot;
    victims_in(pod, snap)
}

fn victims_in<'a>(pod: &'a Value, snapshot: &'a Snapshot<'a>) -> Option<Preemption> {
    let mut cy = cycle(pod, snapshot);
    cy.claims = Some(volumes::pre_filter(pod, snapshot).ok()?);
    let statuses: Vec<Option<Rejection>> = (0..cy.nodes.len()).map(|i| filter_node(&cy, i)).collect();
    if statuses.iter().any(Option::is_none) {
        return None;
    }
    let rejected: Vec<(usize, Rejection)> = statuses.iter().enumerate().filter_map(|(i, s)| s.clone().map(|s| (i, s))).collect();
    if not_eligible(&cy, &rejected).is_some() {
        return None;
    }
    // (highest victim priority, sum of victim priorities, victim count): lower is better.
    type Rank = (i64, i64, usize);
    let mut best: Option<(Rank, usize, Vec<&Value>)> = None;
    for (i, s) in statuses.iter().enumerate() {
        if s.as_ref().is_some_and(|r| r.code == Code::Unschedulable)
            && let Ok(victims) = dry_run(&cy, i)
        {
            let prios: Vec<i64> = victims.iter().map(|v| priority_of(v, snapshot)).collect();
            let key = (prios.iter().copied().max().unwrap_or(i64::MIN), prios.iter().sum(), victims.len());
            if best.as_ref().is_none_or(|(k, _, _)| key < *k) {
                best = Some((key, i, victims));
            }
        }
    }
    let (_, i, victims) = best?;
    Some(Preemption { node: cy.nodes[i].name.to_string(), victims: victims.iter().map(|v| pod_key(v)).collect() })
}

/// `DefaultNormalizeScore`: scale to 0..=100 by the highest raw score; `reverse` flips it (for
/// counts where fewer is better). All zero stays zero, or becomes 100 when reversed.
fn normalize_default(raw: &mut [i64], reverse: bool) {
    let max = raw.iter().copied().max().unwrap_or(0);
    for s in raw.iter_mut() {
        if max == 0 {
            if reverse {
                *s = MAX_NODE_SCORE;
            }
            continue;
        }
        *s = MAX_NODE_SCORE * *s / max;
        if reverse {
            *s = MAX_NODE_SCORE - *s;
        }
    }
}

/// InterPodAffinity's NormalizeScore: min–max scaling to 0..=100.
fn normalize_min_max(raw: &mut [i64]) {
    let (min, max) = (raw.iter().copied().min().unwrap_or(0), raw.iter().copied().max().unwrap_or(0));
    for s in raw.iter_mut() {
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            reason = "int64(float64(MaxNodeScore) * fraction) in the Go code"
        )]
        let v = if max > min { (MAX_NODE_SCORE as f64 * ((*s - min) as f64 / (max - min) as f64)) as i64 } else { 0 };
        *s = v;
    }
}

/// Weighted scores per feasible node (default_plugins.go weights: TaintToleration 3,
/// NodeAffinity 2, InterPodAffinity 2, NodeResourcesFit 1, NodeResourcesBalancedAllocation 1;
/// PodTopologySpread and ImageLocality scores are not modelled).
fn scores(cy: &Cycle<'_>, feasible: &[usize]) -> Vec<i64> {
    let each = |f: fn(&Cycle<'_>, &NodeInfo<'_>) -> i64| -> Vec<i64> { feasible.iter().map(|i| f(cy, &cy.nodes[*i])).collect() };
    let mut taint = each(taints::score_raw);
    normalize_default(&mut taint, true);
    let mut affinity = each(node_affinity::score_raw);
    normalize_default(&mut affinity, false);
    let mut inter = each(pod_affinity::score_raw);
    normalize_min_max(&mut inter);
    let fit = each(fit::least_allocated_score);
    let balanced = each(fit::balanced_allocation_score);
    (0..feasible.len()).map(|k| 3 * taint[k] + 2 * affinity[k] + 2 * inter[k] + fit[k] + balanced[k]).collect()
}

/// `selectHost`: the highest total. The real scheduler picks uniformly at random among equal
/// scores (reservoir sampling); the simulation must be deterministic, so the first tied node in
/// name order wins.
fn pick(cy: &Cycle<'_>, feasible: &[usize]) -> usize {
    let s = scores(cy, feasible);
    let mut best = 0;
    for k in 1..feasible.len() {
        if s[k] > s[best] {
            best = k;
        }
    }
    feasible[best]
}
