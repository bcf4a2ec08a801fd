//! What the endpoints and EndpointSlice controllers share: which pods back a Service, which
//! port of a pod a service port reaches, the canonical port order and the trigger time, after
//! `pkg/controller/endpoint/endpoints_controller.go`, `staging/src/k8s.io/endpointslice/utils.go`
//! and `util/controller_utils.go` (`ShouldPodBeInEndpoints`, `ShouldSetHostname`, `FindPort`),
//! `pkg/api/v1/endpoints/util.go` (`SortSubsets`) and `util/trigger_time_tracker.go`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Api, meta_str, pod_ready, res};
use crate::cluster::selector::{labels_of, string_map};
use crate::world::clock::{format_rfc3339, parse_rfc3339};

/// `v1.EndpointsLastChangeTriggerTime`.
pub const TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";
/// `v1.IsHeadlessService`.
pub const HEADLESS: &str = "service.kubernetes.io/headless";

/// The pods a Service selects, in store order, or `None` when the controllers give it no
/// endpoints at all: ExternalName services and services without a selector (their Endpoints
/// are written by hand). An empty selector `{}` selects every pod of the namespace, as
/// `labels.Set{}.AsSelectorPreValidated()` does.
pub fn selected_pods(api: &Api<'_>, svc: &Value) -> Option<Vec<Value>> {
    if svc.pointer("/spec/type").and_then(Value::as_str) == Some("ExternalName") {
        return None;
    }
    let selector = svc.pointer("/spec/selector").filter(|s| s.is_object())?;
    let wanted = string_map(Some(selector));
    let pods = res("pods")?;
    let ns = meta_str(svc, "namespace");
    Some(
        api.cluster
            .store
            .list(pods, Some(ns))
            .filter(|p| {
                let labels = labels_of(p);
                wanted.iter().all(|(k, v)| labels.get(k) == Some(v))
            })
            .cloned()
            .collect(),
    )
}

/// `ShouldPodBeInEndpoints`: not finished, has an IP, and (unless terminating pods are
/// included) not being deleted.
pub fn should_be_in_endpoints(pod: &Value, include_terminating: bool) -> bool {
    if matches!(pod.pointer("/status/phase").and_then(Value::as_str), Some("Succeeded" | "Failed")) {
        return false;
    }
    if pod_ip(pod).is_none() {
        return false;
    }
    include_terminating || pod.pointer("/metadata/deletionTimestamp").is_none_or(Value::is_null)
}

/// The pod's IPv4 address (the clusters here are single-stack IPv4).
pub fn pod_ip(pod: &Value) -> Option<&str> {
    pod.pointer("/status/podIP")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .or_else(|| pod.pointer("/status/podIPs/0/ip").and_then(Value::as_str).filter(|s| !s.is_empty()))
}

/// Whether the Service has no cluster IP (`clusterIP: None`).
pub fn is_headless(svc: &Value) -> bool {
    matches!(svc.pointer("/spec/clusterIP").and_then(Value::as_str), None | Some("" | "None"))
}

/// `ShouldSetHostname`: the pod names this service as its subdomain and has a hostname.
pub fn hostname(pod: &Value, svc: &Value) -> Option<String> {
    let host = pod.pointer("/spec/hostname").and_then(Value::as_str).filter(|h| !h.is_empty())?;
    let same = pod.pointer("/spec/subdomain").and_then(Value::as_str) == Some(meta_str(svc, "name"))
        && meta_str(pod, "namespace") == meta_str(svc, "namespace");
    same.then(|| host.to_string())
}

/// The reference endpoints keep to their pod.
pub fn target_ref(pod: &Value) -> Value {
    json!({"kind": "Pod", "name": meta_str(pod, "name"), "namespace": meta_str(pod, "namespace"), "uid": meta_str(pod, "uid")})
}

/// `FindPort`: a numeric targetPort is used as it is; a named one is looked up among the
/// containers' (and restartable init containers') ports with the service port's protocol.
pub fn find_port(pod: &Value, svc_port: &Value) -> Option<i64> {
    let protocol = svc_port.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
    match svc_port.get("targetPort") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(name)) => {
            let sidecars = pod
                .pointer("/spec/initContainers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|c| c.get("restartPolicy").and_then(Value::as_str) == Some("Always"));
            let containers = pod.pointer("/spec/containers").and_then(Value::as_array).into_iter().flatten();
            containers
                .chain(sidecars)
                .flat_map(|c| c.get("ports").and_then(Value::as_array).into_iter().flatten())
                .find(|p| {
                    p.get("name").and_then(Value::as_str) == Some(name.as_str())
                        && p.get("protocol").and_then(Value::as_str).unwrap_or("TCP") == protocol
                })
                .and_then(|p| p.get("containerPort").and_then(Value::as_i64))
        }
        // The API server defaults targetPort to the port.
        _ => svc_port.get("port").and_then(Value::as_i64),
    }
}

/// The endpoint port a service port becomes on this pod (`endpointPortFromServicePort`), if
/// the pod has it. Names and protocols are always set; appProtocol only when the service has it.
pub fn endpoint_port(pod: &Value, svc_port: &Value) -> Option<Value> {
    let port = find_port(pod, svc_port)?;
    let mut out = json!({"name": svc_port.get("name").and_then(Value::as_str).unwrap_or_default(), "port": port,
        "protocol": svc_port.get("protocol").and_then(Value::as_str).unwrap_or("TCP")});
    if let Some(app) = svc_port.get("appProtocol").and_then(Value::as_str) {
        out["appProtocol"] = json!(app);
    }
    Some(out)
}

/// The spew dump `hashutil.DeepHashObject` writes for an `EndpointPort` (the `%#v` form with
/// types and field names); its MD5 orders the ports.
fn port_dump(p: &Value) -> String {
    let app = match p.get("appProtocol").and_then(Value::as_str) {
        Some(a) => a.to_string(),
        None => "<nil>".to_string(),
    };
    format!(
        "(v1.EndpointPort){{Name:(string){} Port:(int32){} Protocol:(v1.Protocol){} AppProtocol:(*string){app}}}",
        p.get("name").and_then(Value::as_str).unwrap_or_default(),
        p.get("port").and_then(Value::as_i64).unwrap_or(0),
        p.get("protocol").and_then(Value::as_str).unwrap_or("TCP"),
    )
}

/// Sorts ports as `SortSubsets` (`portsByHash`) does, so kube-dns lists dns-tcp, dns, metrics.
pub fn sort_ports(ports: &mut [Value]) {
    ports.sort_by_cached_key(|p| super::md5::digest(port_dump(p).as_bytes()));
}

/// The `last-change-trigger-time` for a sync: the latest change among the service's creation
/// and its pods' readiness (their Ready condition's transition, or their creation), as the
/// trigger time tracker reports for the change that woke the controller.
pub fn trigger_time(svc: &Value, pods: &[Value]) -> String {
    let created = |o: &Value| parse_rfc3339(meta_str(o, "creationTimestamp"));
    let pod_time = |p: &Value| {
        super::condition(p, "Ready")
            .and_then(|c| c.get("lastTransitionTime"))
            .and_then(Value::as_str)
            .and_then(parse_rfc3339)
            .or_else(|| created(p))
    };
    let latest = pods.iter().filter_map(pod_time).chain(created(svc)).max().unwrap_or(0);
    format_rfc3339(latest)
}

/// Whether the pod counts as ready for a service (`publishNotReadyAddresses` makes every pod
/// ready).
pub fn ready_for(pod: &Value, svc: &Value) -> bool {
    svc.pointer("/spec/publishNotReadyAddresses").and_then(Value::as_bool) == Some(true) || pod_ready(pod)
}

/// The service's labels without the headless one, as both controllers compare them.
pub fn service_labels(svc: &Value) -> BTreeMap<String, String> {
    string_map(svc.pointer("/metadata/labels"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_dns_ports_sort_as_a_real_cluster_lists_them() {
        let mut ports = vec![
            json!({"name": "dns", "port": 53, "protocol": "UDP"}),
            json!({"name": "dns-tcp", "port": 53, "protocol": "TCP"}),
            json!({"name": "metrics", "port": 9153, "protocol": "TCP"}),
        ];
        sort_ports(&mut ports);
        let names: Vec<&str> = ports.iter().filter_map(|p| p["name"].as_str()).collect();
        assert_eq!(names, ["dns-tcp", "dns", "metrics"]);
    }

    #[test]
    fn named_target_ports_need_the_protocol_too() {
        let pod = json!({"spec": {"containers": [{"ports": [{"name": "web", "containerPort": 8080}, {"name": "dns", "containerPort": 53, "protocol": "UDP"}]}]}});
        assert_eq!(find_port(&pod, &json!({"port": 80, "targetPort": "web", "protocol": "TCP"})), Some(8080));
        assert_eq!(find_port(&pod, &json!({"port": 53, "targetPort": "dns", "protocol": "TCP"})), None);
        assert_eq!(find_port(&pod, &json!({"port": 53, "targetPort": "dns", "protocol": "UDP"})), Some(53));
        assert_eq!(find_port(&pod, &json!({"port": 80, "targetPort": 9090})), Some(9090));
    }

    #[test]
    fn finished_and_ip_less_pods_have_no_endpoint() {
        assert!(!should_be_in_endpoints(&json!({"status": {"phase": "Pending"}}), true));
        assert!(!should_be_in_endpoints(&json!({"status": {"phase": "Succeeded", "podIP": "10.0.0.1"}}), true));
        let deleting =
            json!({"metadata": {"deletionTimestamp": "2026-01-01T00:00:00Z"}, "status": {"phase": "Running", "podIP": "10.0.0.1"}});
        assert!(!should_be_in_endpoints(&deleting, false));
        assert!(should_be_in_endpoints(&deleting, true));
    }
}
