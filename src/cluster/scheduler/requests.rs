//! What a pod asks of a node: its effective resource requests, computed the way
//! `k8s.io/component-helpers/resource/helpers.go` (`PodRequests`) does for v1.35 — regular
//! containers summed, init containers as a running maximum with restartable (sidecar, KEP-753)
//! init containers accumulated, pod-level `spec.resources.requests` taking over cpu/memory when
//! set (PodLevelResources, beta and on in v1.35), plus `spec.overhead`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::cluster::quantity;

/// `DefaultMilliCPURequest` / `DefaultMemoryRequest` (pkg/scheduler/util/pod_resources.go): what a
/// container without a request counts as when *scoring* (never when filtering).
pub const DEFAULT_MILLI_CPU: i64 = 100;
pub const DEFAULT_MEMORY: i64 = 200 * 1024 * 1024;

/// A resource list in the scheduler's integer units: millicores for cpu, bytes for memory and
/// ephemeral storage, plain counts for scalar (extended, hugepages-*) resources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resources {
    pub milli_cpu: i64,
    pub memory: i64,
    pub ephemeral_storage: i64,
    pub scalar: BTreeMap<String, i64>,
}

impl Resources {
    /// A `ResourceList` JSON map. Unknown names that are not scalar resources are ignored (the
    /// scheduler only accounts for cpu, memory, ephemeral-storage and scalar resources).
    pub fn from_list(list: Option<&Value>) -> Self {
        let mut r = Resources::default();
        let Some(map) = list.and_then(Value::as_object) else { return r };
        for (name, q) in map {
            let Some(v) = quantity::of(q) else { continue };
            match name.as_str() {
                "cpu" => r.milli_cpu = round_up(v * 1000.0),
                "memory" => r.memory = round_up(v),
                "ephemeral-storage" => r.ephemeral_storage = round_up(v),
                n if is_scalar(n) => {
                    r.scalar.insert(n.to_string(), round_up(v));
                }
                _ => {}
            }
        }
        r
    }

    pub fn add(&mut self, o: &Resources) {
        self.milli_cpu += o.milli_cpu;
        self.memory += o.memory;
        self.ephemeral_storage += o.ephemeral_storage;
        for (k, v) in &o.scalar {
            *self.scalar.entry(k.clone()).or_default() += v;
        }
    }

    /// Element-wise maximum (`maxResourceList`).
    pub fn max_with(&mut self, o: &Resources) {
        self.milli_cpu = self.milli_cpu.max(o.milli_cpu);
        self.memory = self.memory.max(o.memory);
        self.ephemeral_storage = self.ephemeral_storage.max(o.ephemeral_storage);
        for (k, v) in &o.scalar {
            let e = self.scalar.entry(k.clone()).or_default();
            *e = (*e).max(*v);
        }
    }

    pub fn is_zero(&self) -> bool {
        self.milli_cpu == 0 && self.memory == 0 && self.ephemeral_storage == 0 && self.scalar.values().all(|v| *v == 0)
    }
}

/// Scalar resources as `v1helper.IsScalarResourceName` counts them: extended resources
/// (domain-prefixed, not `kubernetes.io/`), `hugepages-*`, `attachable-volumes-*` and
/// `requests.`-less native names under `kubernetes.io/` are not scalar.
fn is_scalar(name: &str) -> bool {
    if name.starts_with("hugepages-") || name.starts_with("attachable-volumes-") {
        return true;
    }
    match name.split_once('/') {
        Some((domain, _)) => !(domain == "kubernetes.io" || domain.ends_with(".kubernetes.io") || name.starts_with("requests.")),
        None => false,
    }
}

/// `Quantity.MilliValue`/`Value` round up; float noise from the decimal parse (`0.1` → 100.00…01)
/// must not turn into one extra unit.
fn round_up(x: f64) -> i64 {
    let r = x.round();
    #[allow(clippy::cast_possible_truncation, reason = "quantities the API accepts fit in i64")]
    if (x - r).abs() < 1e-6 { r as i64 } else { x.ceil() as i64 }
}

fn is_sidecar(c: &Value) -> bool {
    c.get("restartPolicy").and_then(Value::as_str) == Some("Always")
}

/// The pod's effective requests. `non_zero` gives each container without a cpu or memory request
/// the scoring defaults instead (`schedutil.GetNonzeroRequests`), as NodeInfo.NonZeroRequested does.
pub fn pod_requests(pod: &Value, non_zero: bool) -> Resources {
    let container = |c: &Value| {
        let mut r = Resources::from_list(c.pointer("/resources/requests"));
        if non_zero {
            let req = c.pointer("/resources/requests");
            if req.and_then(|m| m.get("cpu")).is_none() {
                r.milli_cpu = DEFAULT_MILLI_CPU;
            }
            if req.and_then(|m| m.get("memory")).is_none() {
                r.memory = DEFAULT_MEMORY;
            }
        }
        r
    };
    let spec = pod.get("spec").unwrap_or(&Value::Null);
    let mut reqs = Resources::default();
    for c in spec.get("containers").and_then(Value::as_array).into_iter().flatten() {
        reqs.add(&container(c));
    }
    let mut sidecars = Resources::default();
    let mut init_max = Resources::default();
    for c in spec.get("initContainers").and_then(Value::as_array).into_iter().flatten() {
        let own = container(c);
        let effective = if is_sidecar(c) {
            // A sidecar keeps running: it adds to the pod's steady state and to every later
            // init container's peak.
            reqs.add(&own);
            sidecars.add(&own);
            sidecars.clone()
        } else {
            let mut t = own;
            t.add(&sidecars);
            t
        };
        init_max.max_with(&effective);
    }
    reqs.max_with(&init_max);
    // Pod-level requests replace the container aggregate for the resources they name.
    if let Some(pod_level) = spec.pointer("/resources/requests").and_then(Value::as_object) {
        let pl = Resources::from_list(spec.pointer("/resources/requests"));
        if pod_level.contains_key("cpu") {
            reqs.milli_cpu = pl.milli_cpu;
        }
        if pod_level.contains_key("memory") {
            reqs.memory = pl.memory;
        }
    }
    reqs.add(&Resources::from_list(spec.get("overhead")));
    reqs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(spec: Value) -> Value {
        json!({"metadata": {"name": "p", "namespace": "default"}, "spec": spec})
    }

    #[test]
    fn containers_sum_and_init_containers_take_the_max() {
        let p = pod(json!({
            "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "1500m", "memory": "64Mi"}}}],
            "containers": [
                {"name": "a", "resources": {"requests": {"cpu": "500m", "memory": "128Mi"}}},
                {"name": "b", "resources": {"requests": {"cpu": "0.25", "memory": "1Gi"}}}
            ]
        }));
        let r = pod_requests(&p, false);
        assert_eq!(r.milli_cpu, 1500, "the init container's 1500m beats the 750m sum");
        assert_eq!(r.memory, 128 * 1024 * 1024 + 1024 * 1024 * 1024);
    }

    #[test]
    fn sidecars_add_to_the_steady_state_and_to_later_init_peaks() {
        let p = pod(json!({
            "initContainers": [
                {"name": "side", "restartPolicy": "Always", "resources": {"requests": {"cpu": "200m"}}},
                {"name": "migrate", "resources": {"requests": {"cpu": "1"}}}
            ],
            "containers": [{"name": "app", "resources": {"requests": {"cpu": "300m"}}}]
        }));
        // steady state 300m + 200m = 500m; init peak 1000m + 200m sidecar = 1200m.
        assert_eq!(pod_requests(&p, false).milli_cpu, 1200);
    }

    #[test]
    fn overhead_is_added_and_pod_level_requests_win() {
        let p = pod(json!({
            "overhead": {"cpu": "100m"},
            "resources": {"requests": {"cpu": "2"}},
            "containers": [{"name": "app", "resources": {"requests": {"cpu": "300m", "memory": "1Mi"}}}]
        }));
        let r = pod_requests(&p, false);
        assert_eq!(r.milli_cpu, 2100);
        assert_eq!(r.memory, 1024 * 1024);
    }

    #[test]
    fn no_requests_is_zero_but_scores_as_the_defaults() {
        let p = pod(json!({"containers": [{"name": "app"}, {"name": "b"}]}));
        assert!(pod_requests(&p, false).is_zero());
        let nz = pod_requests(&p, true);
        assert_eq!((nz.milli_cpu, nz.memory), (200, 2 * DEFAULT_MEMORY));
    }

    #[test]
    fn extended_and_hugepages_are_scalar_others_ignored() {
        let r = Resources::from_list(Some(&json!({"nvidia.com/gpu": "1", "hugepages-2Mi": "4Mi", "pods": "3", "cpu": "0.1"})));
        assert_eq!(r.scalar.get("nvidia.com/gpu"), Some(&1));
        assert_eq!(r.scalar.get("hugepages-2Mi"), Some(&(4 * 1024 * 1024)));
        assert!(!r.scalar.contains_key("pods"));
        assert_eq!(r.milli_cpu, 100, "0.1 is exactly 100m, no float rounding up");
    }
}
