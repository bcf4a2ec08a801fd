//! NodePorts: a pod's `hostPort`s must be free on the node, after v1.35
//! `pkg/scheduler/framework/plugins/nodeports/node_ports.go` and the HostPortInfo conflict rule
//! of `pkg/scheduler/framework/types.go` (same protocol and port, and the same host IP or either
//! side on `0.0.0.0`).

use serde_json::Value;

use super::{Cycle, NodeInfo, Rejection};

/// `ErrReason` (node_ports.go).
pub const REASON: &str = "node(s) didn't have free ports for the requested pod ports";

#[derive(Debug, Clone, PartialEq, Eq)]
struct HostPort {
    ip: String,
    protocol: String,
    port: i64,
}

/// The host ports of a pod's containers (and of its init containers, as `GetHostPorts`
/// collects restartable ones too).
fn host_ports(pod: &Value) -> Vec<HostPort> {
    let mut out = Vec::new();
    for list in ["initContainers", "containers"] {
        for c in pod.pointer(&format!("/spec/{list}")).and_then(Value::as_array).into_iter().flatten() {
            for p in c.get("ports").and_then(Value::as_array).into_iter().flatten() {
                let port = p.get("hostPort").and_then(Value::as_i64).unwrap_or(0);
                if port <= 0 {
                    continue;
                }
                let ip = p.get("hostIP").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("0.0.0.0").to_string();
                let protocol = p.get("protocol").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("TCP").to_string();
                out.push(HostPort { ip, protocol, port });
            }
        }
    }
    out
}

fn conflicts(a: &HostPort, b: &HostPort) -> bool {
    a.port == b.port && a.protocol == b.protocol && (a.ip == b.ip || a.ip == "0.0.0.0" || b.ip == "0.0.0.0")
}

pub fn filter(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Option<Rejection> {
    let wanted = host_ports(cy.pod.pod);
    if wanted.is_empty() {
        return None;
    }
    let used: Vec<HostPort> = n.pods.iter().flat_map(|p| host_ports(p)).collect();
    let clash = wanted.iter().any(|w| used.iter().any(|u| conflicts(w, u)));
    // Evicting the pod holding the port frees it: plain Unschedulable, preemption may help.
    clash.then(|| Rejection::unschedulable(REASON))
}
