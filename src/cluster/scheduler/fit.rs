//! NodeResourcesFit (filter and LeastAllocated score) and NodeResourcesBalancedAllocation, after
//! v1.35 `pkg/scheduler/framework/plugins/noderesources/fit.go` (`fitsRequest`),
//! `least_allocated.go`, `balanced_allocation.go` and `resource_allocation.go`.

use super::requests::Resources;
use super::{Code, Cycle, NodeInfo, Rejection};

pub const REASON_TOO_MANY_PODS: &str = "Too many pods";

/// `fitsRequest`: every resource short on the node adds its own reason, so one node can count
/// under several (`Insufficient cpu` and `Insufficient memory`). A request larger than the
/// node's whole allocatable cannot be helped by preemption (UnschedulableAndUnresolvable);
/// "Too many pods" and the rest can.
pub fn check(req: &Resources, n: &NodeInfo<'_>) -> Option<Rejection> {
    let mut reasons = Vec::new();
    let mut code = Code::Unschedulable;
    let pod_count = i64::try_from(n.pods.len()).unwrap_or(i64::MAX);
    if pod_count + 1 > n.allowed_pods {
        reasons.push(REASON_TOO_MANY_PODS.to_string());
    }
    if !req.is_zero() {
        let mut short = |name: &str, want: i64, alloc: i64, used: i64| {
            if want > 0 && want > alloc - used {
                reasons.push(format!("Insufficient {name}"));
                if want > alloc {
                    code = Code::UnschedulableAndUnresolvable;
                }
            }
        };
        short("cpu", req.milli_cpu, n.allocatable.milli_cpu, n.requested.milli_cpu);
        short("memory", req.memory, n.allocatable.memory, n.requested.memory);
        short("ephemeral-storage", req.ephemeral_storage, n.allocatable.ephemeral_storage, n.requested.ephemeral_storage);
        for (name, want) in &req.scalar {
            let alloc = n.allocatable.scalar.get(name).copied().unwrap_or(0);
            let used = n.requested.scalar.get(name).copied().unwrap_or(0);
            short(name, *want, alloc, used);
        }
    }
    (!reasons.is_empty()).then_some(Rejection { code, reasons })
}

pub fn filter(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Option<Rejection> {
    check(&cy.pod.requests, n)
}

/// `leastRequestedScore`: the free share left after placing the pod, 0..=100.
fn least_requested(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    (capacity - requested) * super::MAX_NODE_SCORE / capacity
}

/// LeastAllocated over cpu and memory (weight 1 each, the default `scoringStrategy`), counting
/// requests as their non-zero defaults.
pub fn least_allocated_score(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> i64 {
    let pairs = [
        (n.non_zero.milli_cpu + cy.pod.non_zero.milli_cpu, n.allocatable.milli_cpu),
        (n.non_zero.memory + cy.pod.non_zero.memory, n.allocatable.memory),
    ];
    let (mut sum, mut weights) = (0, 0);
    for (requested, alloc) in pairs {
        if alloc == 0 {
            continue;
        }
        sum += least_requested(requested, alloc);
        weights += 1;
    }
    if weights == 0 { 0 } else { sum / weights }
}

/// BalancedAllocation: 100 × (1 − standard deviation of the cpu and memory fractions), with
/// actual (not defaulted) requests. Best-effort pods skip it (every node 0), so that they do
/// not pile onto one node (kubernetes issue #129138).
pub fn balanced_allocation_score(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> i64 {
    if cy.pod.requests.milli_cpu == 0 && cy.pod.requests.memory == 0 {
        return 0;
    }
    let pairs = [
        (n.requested.milli_cpu + cy.pod.requests.milli_cpu, n.allocatable.milli_cpu),
        (n.requested.memory + cy.pod.requests.memory, n.allocatable.memory),
    ];
    #[allow(clippy::cast_precision_loss, reason = "fractions of node capacity, as the Go code computes them in float64")]
    let fractions: Vec<f64> = pairs.iter().filter(|(_, a)| *a != 0).map(|(r, a)| (*r as f64 / *a as f64).min(1.0)).collect();
    let std = match fractions.as_slice() {
        [a, b] => ((a - b) / 2.0).abs(),
        _ => 0.0,
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss, reason = "int64((1 - std) * MaxNodeScore) in the Go code")]
    let score = ((1.0 - std) * super::MAX_NODE_SCORE as f64) as i64;
    score
}
