//! The kubelet of every node, as one step of the settle loop: a pod bound to a Ready node gets
//! its containers started (every image pulls and starts for now; an image catalogue decides
//! later) and the status a kubelet posts once they run, built by the same
//! [`running_pod_status`] the seeded pods use. Events carry the v1.35 kubelet wording
//! (`pkg/kubelet/images/image_manager.go`, `pkg/kubelet/kuberuntime/kuberuntime_container.go`).

use serde_json::Value;

use crate::cluster::api::{Api, UserInfo, WriteOptions};
use crate::cluster::controllers::{Key, Source, meta_str, record_event, res};
use crate::cluster::kubeadm::running_pod_status;

/// Pods a kubelet still has to start: bound to a node, not being deleted, and without the
/// container statuses a started pod has.
fn to_start(p: &Value) -> bool {
    p.pointer("/spec/nodeName").and_then(Value::as_str).is_some_and(|n| !n.is_empty())
        && p.pointer("/metadata/deletionTimestamp").is_none()
        && p.pointer("/status/containerStatuses").is_none()
        && matches!(p.pointer("/status/phase").and_then(Value::as_str), None | Some("Pending"))
}

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    crate::cluster::controllers::keys_where(api, "pods", to_start)
}

fn node_ready(node: &Value) -> bool {
    node.pointer("/status/conditions").and_then(Value::as_array).is_some_and(|cs| {
        cs.iter().any(|c| c.get("type").and_then(Value::as_str) == Some("Ready") && c.get("status").and_then(Value::as_str) == Some("True"))
    })
}

fn internal_ip(node: &Value) -> String {
    node.pointer("/status/addresses")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|x| x.get("type").and_then(Value::as_str) == Some("InternalIP")))
        .and_then(|x| x.get("address"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The lowest free address of the node's podCIDR (a /24 here), from `.2` up as the seeded pods
/// were given theirs: what the CNI's IPAM hands out, deterministically.
fn allocate_pod_ip(api: &Api<'_>, node: &Value) -> Option<String> {
    let cidr = node.pointer("/spec/podCIDR").and_then(Value::as_str)?;
    let (base, _) = cidr.split_once('/')?;
    let prefix = base.rsplit_once('.')?.0;
    let pods = res("pods")?;
    let used: std::collections::HashSet<&str> =
        api.cluster.store.list(pods, None).filter_map(|p| p.pointer("/status/podIP").and_then(Value::as_str)).collect();
    (2..255).map(|i| format!("{prefix}.{i}")).find(|ip| !used.contains(ip.as_str()))
}

/// The kubelet's admission of a pod against the node's `pods` capacity (`allocatable.pods`, 110
/// on a kubeadm node): the pods it already runs count; a pod over the limit is rejected
/// (`pkg/kubelet/lifecycle/predicate.go`, InsufficientResourceError) rather than started.
fn out_of_pods(api: &Api<'_>, node: &Value, node_name: &str, key: &Key) -> Option<String> {
    let capacity: usize = node.pointer("/status/allocatable/pods").and_then(Value::as_str).and_then(|p| p.parse().ok())?;
    let pods = res("pods")?;
    let used = api
        .cluster
        .store
        .list(pods, None)
        .filter(|p| p.pointer("/spec/nodeName").and_then(Value::as_str) == Some(node_name))
        .filter(|p| p.pointer("/status/containerStatuses").is_some())
        .filter(|p| !matches!(p.pointer("/status/phase").and_then(Value::as_str), Some("Succeeded" | "Failed")))
        .filter(|p| meta_str(p, "name") != key.name || meta_str(p, "namespace") != key.namespace)
        .count();
    (used >= capacity).then(|| format!("Node didn't have enough resource: pods, requested: 1, used: {used}, capacity: {capacity}"))
}

/// A deterministic number in `lo..hi` from a string (FNV-1a), for pull sizes and durations.
fn spread(text: &str, lo: u64, hi: u64) -> u64 {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    lo + h % (hi - lo).max(1)
}

/// A duration as Go's `time.Duration.String` prints a millisecond-truncated one.
fn go_duration(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = format!("{}.{:03}", ms / 1000, ms % 1000);
    format!("{}s", secs.trim_end_matches('0').trim_end_matches('.'))
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    let (Some(pods), Some(nodes)) = (res("pods"), res("nodes")) else { return };
    let Some(pod) = api.cluster.store.get(pods, &key.namespace, &key.name).cloned() else { return };
    if !to_start(&pod) {
        return;
    }
    let node_name = pod.pointer("/spec/nodeName").and_then(Value::as_str).unwrap_or_default().to_string();
    let Some(node) = api.cluster.store.get(nodes, "", &node_name).cloned() else { return };
    if !node_ready(&node) {
        return;
    }
    if let Some(message) = out_of_pods(api, &node, &node_name, key) {
        // `rejectPod`: a warning event and a Failed status naming the reason.
        let source = Source { component: "kubelet", host: Some(&node_name) };
        record_event(api, &pod, "Warning", "OutOfpods", &message, &source, false);
        let mut next = pod.clone();
        next["status"]["phase"] = Value::from("Failed");
        next["status"]["reason"] = Value::from("OutOfpods");
        next["status"]["message"] = Value::from(format!("Pod was rejected: {message}"));
        let _ = api.update_status(&UserInfo::system(), pods, Some(&key.namespace), next, &WriteOptions::default());
        return;
    }
    let host_ip = internal_ip(&node);
    let pod_ip = if pod.pointer("/spec/hostNetwork").and_then(Value::as_bool) == Some(true) {
        host_ip.clone()
    } else {
        match allocate_pod_ip(api, &node) {
            Some(ip) => ip,
            None => return,
        }
    };
    let source = Source { component: "kubelet", host: Some(&node_name) };
    let containers: Vec<Value> = ["initContainers", "containers"]
        .iter()
        .flat_map(|k| pod.pointer(&format!("/spec/{k}")).and_then(Value::as_array).cloned().unwrap_or_default())
        .collect();
    for c in &containers {
        let image = c.get("image").and_then(Value::as_str).unwrap_or_default();
        let name = c.get("name").and_then(Value::as_str).unwrap_or_default();
        let ms = spread(image, 800, 6000);
        let size = spread(&format!("{image}#size"), 20_000_000, 200_000_000);
        record_event(api, &pod, "Normal", "Pulling", &format!("Pulling image \"{image}\""), &source, false);
        let pulled =
            format!("Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {size} bytes.", d = go_duration(ms));
        record_event(api, &pod, "Normal", "Pulled", &pulled, &source, false);
        record_event(api, &pod, "Normal", "Created", &format!("Created container: {name}"), &source, false);
        record_event(api, &pod, "Normal", "Started", &format!("Started container {name}"), &source, false);
    }
    let mut next = pod.clone();
    let mut status = running_pod_status(&pod, &host_ip, &pod_ip, api.clock.now, api.rng);
    // The kubelet keeps what the API server and scheduler already put in the status.
    if let (Some(s), Some(old)) = (status.as_object_mut(), pod.get("status").and_then(Value::as_object)) {
        for (k, v) in old {
            if k != "conditions" && k != "phase" {
                s.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    next["status"] = status;
    // The Node authorizer (not RBAC) admits a kubelet's status writes, which this simulation
    // does not model; the write goes as the system identity.
    let _ = api.update_status(&UserInfo::system(), pods, Some(&key.namespace), next, &WriteOptions::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_like_go() {
        assert_eq!(go_duration(812), "812ms");
        assert_eq!(go_duration(1200), "1.2s");
        assert_eq!(go_duration(2000), "2s");
        assert_eq!(go_duration(3456), "3.456s");
    }
}
