//! The Node describer (kubectl `describeNode`, `describeNodeResource`): conditions, addresses,
//! capacity, system info, the node's non-terminated pods and their summed requests and limits.

use serde_json::Value;

use super::Env;
use super::quantity::{format, is_binary, parse};
use super::writer::{self as wr, W, arr, map, s, time_at};
use crate::cluster::table::core::node_roles;

pub fn describe(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    let name = s(o, "/metadata/name");
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Roles:\t{}\n", node_roles(o)));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("CreationTimestamp:\t{}\n", time_at(o, "/metadata/creationTimestamp")));
    wr::taints(&mut w, "Taints", arr(o, "/spec/taints"));
    w.w(0, &format!("Unschedulable:\t{}\n", o.pointer("/spec/unschedulable").and_then(Value::as_bool).unwrap_or(false)));
    match env.get("leases.coordination.k8s.io", Some("kube-node-lease"), name) {
        Some(lease) => {
            w.w(0, "Lease:\n");
            let or_unset = |x: &str| if x.is_empty() { "<unset>".to_string() } else { x.to_string() };
            w.w(1, &format!("HolderIdentity:\t{}\n", or_unset(s(&lease, "/spec/holderIdentity"))));
            let t = |p: &str| if lease.pointer(p).is_some_and(Value::is_string) { time_at(&lease, p) } else { "<unset>".to_string() };
            w.w(1, &format!("AcquireTime:\t{}\n", t("/spec/acquireTime")));
            w.w(1, &format!("RenewTime:\t{}\n", t("/spec/renewTime")));
        }
        None => w.w(0, &format!("Lease:\tFailed to get lease: leases.coordination.k8s.io \"{name}\" not found\n")),
    }
    let conds = arr(o, "/status/conditions");
    if !conds.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
        w.w(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in conds {
            w.w(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    s(c, "/type"),
                    s(c, "/status"),
                    time_at(c, "/lastHeartbeatTime"),
                    time_at(c, "/lastTransitionTime"),
                    s(c, "/reason"),
                    s(c, "/message")
                ),
            );
        }
    }
    w.w(0, "Addresses:\n");
    for a in arr(o, "/status/addresses") {
        w.w(1, &format!("{}:\t{}\n", s(a, "/type"), s(a, "/address")));
    }
    for (title, ptr) in [("Capacity", "/status/capacity"), ("Allocatable", "/status/allocatable")] {
        let m = map(o, ptr);
        if !m.is_empty() {
            w.w(0, &format!("{title}:\n"));
            for (k, q) in m {
                w.w(0, &format!("  {k}:\t{}\n", super::quantity::canonical(&q)));
            }
        }
    }
    w.w(0, "System Info:\n");
    for (label, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        w.w(0, &format!("  {label}:\t{}\n", s(o, &format!("/status/nodeInfo/{key}"))));
    }
    if !s(o, "/spec/podCIDR").is_empty() {
        w.w(0, &format!("PodCIDR:\t{}\n", s(o, "/spec/podCIDR")));
    }
    let cidrs: Vec<&str> = arr(o, "/spec/podCIDRs").iter().filter_map(Value::as_str).collect();
    if !cidrs.is_empty() {
        w.w(0, &format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    if !s(o, "/spec/providerID").is_empty() {
        w.w(0, &format!("ProviderID:\t{}\n", s(o, "/spec/providerID")));
    }
    let pods: Vec<Value> = env
        .list("pods", None, None, Some(format!("spec.nodeName={name},status.phase!=Failed,status.phase!=Succeeded")))
        .into_iter()
        .collect();
    resources(&mut w, o, &pods, env.now);
    if env.show_events {
        wr::events(&mut w, &env.events_for(o, false), env.now);
    }
    w.finish()
}

/// A pod's requests and limits for one resource: the sum over its regular containers, or an
/// init container's value when larger (`PodRequestsAndLimits`).
fn pod_amount(p: &Value, kind: &str, res: &str) -> (i128, bool) {
    let mut sum = 0;
    let mut binary = false;
    for c in arr(p, "/spec/containers") {
        if let Some(q) = c.pointer(&format!("/resources/{kind}/{res}")).and_then(Value::as_str) {
            sum += parse(q);
            binary |= is_binary(q);
        }
    }
    for c in arr(p, "/spec/initContainers") {
        if let Some(q) = c.pointer(&format!("/resources/{kind}/{res}")).and_then(Value::as_str) {
            sum = sum.max(parse(q));
            binary |= is_binary(q);
        }
    }
    (sum, binary)
}

fn pct(v: i128, total: i128) -> i128 {
    if total == 0 { 0 } else { v * 100 / total }
}

fn resources(w: &mut W, node: &Value, pods: &[Value], now: i64) {
    w.w(0, &format!("Non-terminated Pods:\t({} in total)\n", pods.len()));
    w.w(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    w.w(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    let alloc = if map(node, "/status/allocatable").is_empty() { map(node, "/status/capacity") } else { map(node, "/status/allocatable") };
    let total = |r: &str| alloc.get(r).map_or(0, |q| parse(q));
    let (cpu_total, mem_total) = (total("cpu"), total("memory"));
    let mut sums = [(0i128, false); 6];
    for p in pods {
        let cr = pod_amount(p, "requests", "cpu");
        let cl = pod_amount(p, "limits", "cpu");
        let mr = pod_amount(p, "requests", "memory");
        let ml = pod_amount(p, "limits", "memory");
        let er = pod_amount(p, "requests", "ephemeral-storage");
        let el = pod_amount(p, "limits", "ephemeral-storage");
        for (n, x) in [cr, cl, mr, ml, er, el].iter().enumerate() {
            sums[n].0 += x.0;
            sums[n].1 |= x.1;
        }
        w.w(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                s(p, "/metadata/namespace"),
                s(p, "/metadata/name"),
                format(cr.0, false),
                pct(cr.0, cpu_total),
                format(cl.0, false),
                pct(cl.0, cpu_total),
                format(mr.0, mr.1),
                pct(mr.0, mem_total),
                format(ml.0, ml.1),
                pct(ml.0, mem_total),
                crate::cluster::table::age(p, now)
            ),
        );
    }
    w.w(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
    w.w(1, "Resource\tRequests\tLimits\n");
    w.w(1, "--------\t--------\t------\n");
    let eph_total = total("ephemeral-storage");
    w.w(
        1,
        &format!(
            "cpu\t{} ({}%)\t{} ({}%)\n",
            format(sums[0].0, false),
            pct(sums[0].0, cpu_total),
            format(sums[1].0, false),
            pct(sums[1].0, cpu_total)
        ),
    );
    w.w(
        1,
        &format!(
            "memory\t{} ({}%)\t{} ({}%)\n",
            format(sums[2].0, sums[2].1),
            pct(sums[2].0, mem_total),
            format(sums[3].0, sums[3].1),
            pct(sums[3].0, mem_total)
        ),
    );
    w.w(
        1,
        &format!(
            "ephemeral-storage\t{} ({}%)\t{} ({}%)\n",
            format(sums[4].0, sums[4].1),
            pct(sums[4].0, eph_total),
            format(sums[5].0, sums[5].1),
            pct(sums[5].0, eph_total)
        ),
    );
    for (k, _) in alloc.iter().filter(|(k, _)| k.starts_with("hugepages-")) {
        w.w(1, &format!("{k}\t0 (0%)\t0 (0%)\n"));
    }
}
