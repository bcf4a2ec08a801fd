//! Table printers of core/v1 kinds (printers.go `printPod`, `printNode`, `printService`, ...).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Cell, Ctx, Printer, age, arr_at, int_at, name, or, since, str_at};
use crate::cluster::path::at;
use crate::cluster::selector::{format_labels, string_map};

pub fn printer(group: &str, kind: &str) -> Option<&'static Printer> {
    if !group.is_empty() {
        return None;
    }
    Some(match kind {
        "Pod" => &POD,
        "Node" => &NODE,
        "Namespace" => &NAMESPACE,
        "Service" => &SERVICE,
        "Endpoints" => &ENDPOINTS,
        "ConfigMap" => &CONFIGMAP,
        "Secret" => &SECRET,
        "ServiceAccount" => &SERVICEACCOUNT,
        "PersistentVolume" => &PV,
        "PersistentVolumeClaim" => &PVC,
        "Event" => &EVENT,
        "ReplicationController" => &RC,
        "ResourceQuota" => &QUOTA,
        "ComponentStatus" => &COMPONENTSTATUS,
        _ => return None,
    })
}

static POD: Printer = Printer {
    columns: &[
        ("Name", 0),
        ("Ready", 0),
        ("Status", 0),
        ("Restarts", 0),
        ("Age", 0),
        ("IP", 1),
        ("Node", 1),
        ("Nominated Node", 1),
        ("Readiness Gates", 1),
    ],
    row: pod_row,
};

fn is_sidecar(spec_init: &[Value], name: &str) -> bool {
    spec_init
        .iter()
        .any(|c| c.get("name").and_then(Value::as_str) == Some(name) && c.get("restartPolicy").and_then(Value::as_str) == Some("Always"))
}

/// An object's metadata, spec and status (`null` when missing): rows look fields up below them
/// rather than from the root each time, which matters when printing thousands of objects.
fn parts(o: &Value) -> (&Value, &Value, &Value) {
    let part = |key| o.get(key).unwrap_or(&Value::Null);
    (part("metadata"), part("spec"), part("status"))
}

/// Whether the pod status holds condition `ty` with status True.
fn condition_true(status: &Value, ty: &str) -> bool {
    arr_at(status, "/conditions")
        .iter()
        .any(|c| c.get("type").and_then(Value::as_str) == Some(ty) && c.get("status").and_then(Value::as_str) == Some("True"))
}

fn finished_at(c: &Value) -> Option<i64> {
    at(c, "/lastState/terminated/finishedAt").and_then(Value::as_str).and_then(super::duration::parse_time)
}

/// The pod's STATUS, READY and RESTARTS cells, as `printPod` computes them.
pub fn pod_status(o: &Value, now: i64) -> (String, String, String) {
    let (meta, spec, status) = parts(o);
    let spec_init = arr_at(spec, "/initContainers");
    let mut total = arr_at(spec, "/containers").len();
    let mut ready = 0;
    let mut restarts = 0;
    let mut sidecar_restarts = 0;
    let mut last_restart: Option<i64> = None;
    let mut last_sidecar_restart: Option<i64> = None;
    let phase = str_at(status, "/phase").unwrap_or_default();
    let status_reason = str_at(status, "/reason").unwrap_or_default();
    let mut reason = if status_reason.is_empty() { phase.clone() } else { status_reason.clone() };
    for c in arr_at(status, "/conditions") {
        if c.get("type").and_then(Value::as_str) == Some("PodScheduled")
            && c.get("reason").and_then(Value::as_str) == Some("SchedulingGated")
        {
            reason = "SchedulingGated".into();
        }
    }
    total += spec_init.iter().filter(|c| c.get("restartPolicy").and_then(Value::as_str) == Some("Always")).count();
    let mut initializing = false;
    for (i, c) in arr_at(status, "/initContainerStatuses").iter().enumerate() {
        let cname = c.get("name").and_then(Value::as_str).unwrap_or_default();
        let rc = c.get("restartCount").and_then(Value::as_i64).unwrap_or(0);
        restarts += rc;
        if let Some(t) = finished_at(c) {
            last_restart = last_restart.max(Some(t));
        }
        let sidecar = is_sidecar(spec_init, cname);
        if sidecar {
            sidecar_restarts += rc;
            if let Some(t) = finished_at(c) {
                last_sidecar_restart = last_sidecar_restart.max(Some(t));
            }
        }
        let term = at(c, "/state/terminated");
        let waiting_reason = at(c, "/state/waiting/reason").and_then(Value::as_str).unwrap_or_default();
        if term.is_some_and(|t| t.get("exitCode").and_then(Value::as_i64).unwrap_or(0) == 0) {
            continue;
        }
        if sidecar && c.get("started").and_then(Value::as_bool) == Some(true) {
            if c.get("ready").and_then(Value::as_bool) == Some(true) {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = term {
            reason = terminated_reason(t, "Init:");
        } else if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" {
            reason = format!("Init:{waiting_reason}");
        } else {
            reason = format!("Init:{i}/{}", spec_init.len());
        }
        initializing = true;
        break;
    }
    if !initializing || condition_true(status, "Initialized") {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for c in arr_at(status, "/containerStatuses").iter().rev() {
            restarts += c.get("restartCount").and_then(Value::as_i64).unwrap_or(0);
            if let Some(t) = finished_at(c) {
                last_restart = last_restart.max(Some(t));
            }
            let waiting_reason = at(c, "/state/waiting/reason").and_then(Value::as_str).unwrap_or_default();
            let term = at(c, "/state/terminated");
            if !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(t) = term {
                reason = terminated_reason(t, "");
            } else if c.get("ready").and_then(Value::as_bool) == Some(true) && at(c, "/state/running").is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_true(status, "Ready") { "Running".into() } else { "NotReady".into() };
        }
    }
    let deleting = at(meta, "/deletionTimestamp").is_some_and(|v| !v.is_null());
    if deleting && status_reason == "NodeLost" {
        reason = "Unknown".into();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".into();
    }
    let restarts_cell = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", super::human_duration(now - t)),
        _ => restarts.to_string(),
    };
    (reason, format!("{ready}/{total}"), restarts_cell)
}

fn terminated_reason(t: &Value, prefix: &str) -> String {
    match t.get("reason").and_then(Value::as_str).filter(|r| !r.is_empty()) {
        Some(r) => format!("{prefix}{r}"),
        None => {
            let signal = t.get("signal").and_then(Value::as_i64).unwrap_or(0);
            if signal != 0 {
                format!("{prefix}Signal:{signal}")
            } else {
                format!("{prefix}ExitCode:{}", t.get("exitCode").and_then(Value::as_i64).unwrap_or(0))
            }
        }
    }
}

fn pod_row(o: &Value, ctx: &Ctx<'_>) -> Vec<Cell> {
    let (state, ready, restarts) = pod_status(o, ctx.now);
    let (_, spec, status) = parts(o);
    let ip = or(str_at(status, "/podIPs/0/ip"), "<none>");
    let gates = arr_at(spec, "/readinessGates");
    let gates_cell = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let ok = gates
            .iter()
            .filter(|g| {
                let ty = g.get("conditionType").and_then(Value::as_str).unwrap_or_default();
                arr_at(status, "/conditions")
                    .iter()
                    .find(|c| c.get("type").and_then(Value::as_str) == Some(ty))
                    .is_some_and(|c| c.get("status").and_then(Value::as_str) == Some("True"))
            })
            .count();
        format!("{ok}/{}", gates.len())
    };
    vec![
        name(o).into(),
        ready.into(),
        state.into(),
        restarts.into(),
        age(o, ctx.now).into(),
        ip.into(),
        or(str_at(spec, "/nodeName"), "<none>").into(),
        or(str_at(status, "/nominatedNodeName"), "<none>").into(),
        gates_cell.into(),
    ]
}

static NODE: Printer = Printer {
    columns: &[
        ("Name", 0),
        ("Status", 0),
        ("Roles", 0),
        ("Age", 0),
        ("Version", 0),
        ("Internal-IP", 1),
        ("External-IP", 1),
        ("OS-Image", 1),
        ("Kernel-Version", 1),
        ("Container-Runtime", 1),
    ],
    row: node_row,
};

/// Node STATUS: the Ready condition, plus `,SchedulingDisabled` when cordoned.
pub fn node_status(o: &Value) -> String {
    let ready = arr_at(o, "/status/conditions").iter().find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"));
    let mut s = match ready.and_then(|c| c.get("status")).and_then(Value::as_str) {
        Some("True") => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    };
    if at(o, "/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
        s.push_str(",SchedulingDisabled");
    }
    s
}

/// Node ROLES from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels.
pub fn node_roles(o: &Value) -> String {
    let mut roles = BTreeSet::new();
    for (k, v) in string_map(at(o, "/metadata/labels")) {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.insert(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.insert(v);
        }
    }
    if roles.is_empty() { "<none>".into() } else { roles.into_iter().collect::<Vec<_>>().join(",") }
}

fn node_address(o: &Value, ty: &str) -> String {
    arr_at(o, "/status/addresses")
        .iter()
        .find(|a| a.get("type").and_then(Value::as_str) == Some(ty))
        .and_then(|a| a.get("address").and_then(Value::as_str))
        .map_or_else(|| "<none>".to_string(), str::to_string)
}

fn node_row(o: &Value, ctx: &Ctx<'_>) -> Vec<Cell> {
    vec![
        name(o).into(),
        node_status(o).into(),
        node_roles(o).into(),
        age(o, ctx.now).into(),
        str_at(o, "/status/nodeInfo/kubeletVersion").unwrap_or_default().into(),
        node_address(o, "InternalIP").into(),
        node_address(o, "ExternalIP").into(),
        or(str_at(o, "/status/nodeInfo/osImage"), "<unknown>").into(),
        or(str_at(o, "/status/nodeInfo/kernelVersion"), "<unknown>").into(),
        or(str_at(o, "/status/nodeInfo/containerRuntimeVersion"), "<unknown>").into(),
    ]
}

static NAMESPACE: Printer = Printer {
    columns: &[("Name", 0), ("Status", 0), ("Age", 0)],
    row: |o, ctx| vec![name(o).into(), str_at(o, "/status/phase").unwrap_or_default().into(), age(o, ctx.now).into()],
};

static SERVICE: Printer = Printer {
    columns: &[("Name", 0), ("Type", 0), ("Cluster-IP", 0), ("External-IP", 0), ("Port(s)", 0), ("Age", 0), ("Selector", 1)],
    row: service_row,
};

/// Load-balancer ingress IPs (or hostnames) de-duplicated and sorted, comma-joined.
pub fn load_balancer_addresses(o: &Value) -> String {
    let mut set = BTreeSet::new();
    for i in arr_at(o, "/status/loadBalancer/ingress") {
        if let Some(ip) = i.get("ip").and_then(Value::as_str).filter(|s| !s.is_empty()) {
            set.insert(ip.to_string());
        } else if let Some(h) = i.get("hostname").and_then(Value::as_str).filter(|s| !s.is_empty()) {
            set.insert(h.to_string());
        }
    }
    set.into_iter().collect::<Vec<_>>().join(",")
}

/// `PORT(S)`: `80/TCP`, `80:30080/TCP`, comma-joined; `<none>` without ports.
pub fn service_ports(o: &Value) -> String {
    let ports = arr_at(o, "/spec/ports");
    if ports.is_empty() {
        return "<none>".into();
    }
    ports
        .iter()
        .map(|p| {
            let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
            let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            match p.get("nodePort").and_then(Value::as_i64).filter(|n| *n != 0) {
                Some(np) => format!("{port}:{np}/{proto}"),
                None => format!("{port}/{proto}"),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn service_row(o: &Value, ctx: &Ctx<'_>) -> Vec<Cell> {
    let ty = str_at(o, "/spec/type").unwrap_or_else(|| "ClusterIP".into());
    let cluster_ip = str_at(o, "/spec/clusterIPs/0").or_else(|| str_at(o, "/spec/clusterIP"));
    let cluster_ip = or(cluster_ip, "<none>");
    let external_ips: Vec<String> = arr_at(o, "/spec/externalIPs").iter().filter_map(Value::as_str).map(str::to_string).collect();
    let external = match ty.as_str() {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let mut lb = load_balancer_addresses(o);
            // The server always renders wide, so no truncation of long addresses here.
            if !external_ips.is_empty() {
                if !lb.is_empty() {
                    lb.push(',');
                }
                lb.push_str(&external_ips.join(","));
            }
            if lb.is_empty() { "<pending>".to_string() } else { lb }
        }
        "ExternalName" => str_at(o, "/spec/externalName").unwrap_or_default(),
        _ => "<unknown>".to_string(),
    };
    vec![
        name(o).into(),
        ty.into(),
        cluster_ip.into(),
        external.into(),
        service_ports(o).into(),
        age(o, ctx.now).into(),
        format_labels(&string_map(at(o, "/spec/selector"))).into(),
    ]
}

static ENDPOINTS: Printer = Printer { columns: &[("Name", 0), ("Endpoints", 0), ("Age", 0)], row: endpoints_row };

fn endpoints_row(o: &Value, ctx: &Ctx<'_>) -> Vec<Cell> {
    let subsets = arr_at(o, "/subsets");
    let cell = if subsets.is_empty() {
        "<none>".to_string()
    } else {
        let mut list = Vec::new();
        let mut count = 0usize;
        for ss in subsets {
            let addrs = ss.get("addresses").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
            let ports = ss.get("ports").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
            if ports.is_empty() {
                for a in addrs {
                    count += 1;
                    if list.len() < 3 {
                        list.push(a.get("ip").and_then(Value::as_str).unwrap_or_default().to_string());
                    }
                }
            } else {
                for p in ports {
                    for a in addrs {
                        count += 1;
                        if list.len() < 3 {
                            let ip = a.get("ip").and_then(Value::as_str).unwrap_or_default();
                            list.push(format!("{ip}:{}", p.get("port").and_then(Value::as_i64).unwrap_or(0)));
                        }
                    }
                }
            }
        }
        let mut s = list.join(",");
        if count > list.len() {
            s.push_str(&format!(" + {} more...", count - list.len()));
        }
        s
    };
    vec![name(o).into(), cell.into(), age(o, ctx.now).into()]
}

static CONFIGMAP: Printer = Printer {
    columns: &[("Name", 0), ("Data", 0), ("Age", 0)],
    row: |o, ctx| {
        let n = o.get("data").and_then(Value::as_object).map_or(0, serde_json::Map::len)
            + o.get("binaryData").and_then(Value::as_object).map_or(0, serde_json::Map::len);
        vec![name(o).into(), Cell::Int(n as i64), age(o, ctx.now).into()]
    },
};

static SECRET: Printer = Printer {
    columns: &[("Name", 0), ("Type", 0), ("Data", 0), ("Age", 0)],
    row: |o, ctx| {
        let n = o.get("data").and_then(Value::as_object).map_or(0, serde_json::Map::len);
        vec![name(o).into(), or(str_at(o, "/type"), "Opaque").into(), Cell::Int(n as i64), age(o, ctx.now).into()]
    },
};

static SERVICEACCOUNT: Printer = Printer {
    columns: &[("Name", 0), ("Secrets", 0), ("Age", 0)],
    row: |o, ctx| vec![name(o).into(), Cell::Int(arr_at(o, "/secrets").len() as i64), age(o, ctx.now).into()],
};

/// Access modes abbreviated in the fixed order RWO, ROX, RWX, RWOP.
pub fn access_modes(modes: &[Value]) -> String {
    let has = |m: &str| modes.iter().any(|v| v.as_str() == Some(m));
    let mut out = Vec::new();
    for (full, short) in [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")] {
        if has(full) {
            out.push(short);
        }
    }
    out.join(",")
}

fn storage_class_of(o: &Value) -> String {
    at(o, "/metadata/annotations/volume.beta.kubernetes.io~1storage-class")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| str_at(o, "/spec/storageClassName"))
        .unwrap_or_default()
}

fn deleting(o: &Value) -> bool {
    at(o, "/metadata/deletionTimestamp").is_some_and(|v| !v.is_null())
}

static PV: Printer = Printer {
    columns: &[
        ("Name", 0),
        ("Capacity", 0),
        ("Access Modes", 0),
        ("Reclaim Policy", 0),
        ("Status", 0),
        ("Claim", 0),
        ("StorageClass", 0),
        ("VolumeAttributesClass", 0),
        ("Reason", 0),
        ("Age", 0),
        ("VolumeMode", 1),
    ],
    row: |o, ctx| {
        let claim = match (str_at(o, "/spec/claimRef/namespace"), str_at(o, "/spec/claimRef/name")) {
            (Some(ns), Some(n)) => format!("{ns}/{n}"),
            (None, Some(n)) => format!("/{n}"),
            _ => String::new(),
        };
        let status = if deleting(o) { "Terminating".to_string() } else { str_at(o, "/status/phase").unwrap_or_default() };
        vec![
            name(o).into(),
            or(str_at(o, "/spec/capacity/storage"), "0").into(),
            access_modes(arr_at(o, "/spec/accessModes")).into(),
            str_at(o, "/spec/persistentVolumeReclaimPolicy").unwrap_or_default().into(),
            status.into(),
            claim.into(),
            storage_class_of(o).into(),
            or(str_at(o, "/spec/volumeAttributesClassName"), "<unset>").into(),
            str_at(o, "/status/reason").unwrap_or_default().into(),
            age(o, ctx.now).into(),
            or(str_at(o, "/spec/volumeMode"), "<unset>").into(),
        ]
    },
};

static PVC: Printer = Printer {
    columns: &[
        ("Name", 0),
        ("Status", 0),
        ("Volume", 0),
        ("Capacity", 0),
        ("Access Modes", 0),
        ("StorageClass", 0),
        ("VolumeAttributesClass", 0),
        ("Age", 0),
        ("VolumeMode", 1),
    ],
    row: |o, ctx| {
        let volume = str_at(o, "/spec/volumeName").unwrap_or_default();
        let (cap, modes) = if volume.is_empty() {
            (String::new(), String::new())
        } else {
            (str_at(o, "/status/capacity/storage").unwrap_or_default(), access_modes(arr_at(o, "/status/accessModes")))
        };
        let status = if deleting(o) { "Terminating".to_string() } else { str_at(o, "/status/phase").unwrap_or_default() };
        vec![
            name(o).into(),
            status.into(),
            volume.into(),
            cap.into(),
            modes.into(),
            storage_class_of(o).into(),
            or(str_at(o, "/spec/volumeAttributesClassName"), "<unset>").into(),
            age(o, ctx.now).into(),
            or(str_at(o, "/spec/volumeMode"), "<unset>").into(),
        ]
    },
};

static EVENT: Printer = Printer {
    columns: &[
        ("Last Seen", 0),
        ("Type", 0),
        ("Reason", 0),
        ("Object", 0),
        ("Subobject", 1),
        ("Source", 1),
        ("Message", 0),
        ("First Seen", 1),
        ("Count", 1),
        ("Name", 1),
    ],
    row: event_row,
};

fn nonempty_time(o: &Value, ptr: &str) -> Option<String> {
    str_at(o, ptr).filter(|s| !s.is_empty() && !s.starts_with("0001-01-01"))
}

fn event_row(o: &Value, ctx: &Ctx<'_>) -> Vec<Cell> {
    let first =
        if nonempty_time(o, "/firstTimestamp").is_some() { since(o, "/firstTimestamp", ctx.now) } else { since(o, "/eventTime", ctx.now) };
    let last = if nonempty_time(o, "/series/lastObservedTime").is_some() {
        since(o, "/series/lastObservedTime", ctx.now)
    } else if nonempty_time(o, "/lastTimestamp").is_some() {
        since(o, "/lastTimestamp", ctx.now)
    } else {
        first.clone()
    };
    let kind = str_at(o, "/involvedObject/kind").unwrap_or_default().to_lowercase();
    let obj_name = str_at(o, "/involvedObject/name").unwrap_or_default();
    let object = if obj_name.is_empty() { kind } else { format!("{kind}/{obj_name}") };
    let component = or(str_at(o, "/source/component"), &str_at(o, "/reportingComponent").unwrap_or_default());
    let host = or(str_at(o, "/source/host"), &str_at(o, "/reportingInstance").unwrap_or_default());
    let source = if host.is_empty() { component } else { format!("{component}, {host}") };
    let count = o
        .pointer("/series/count")
        .and_then(Value::as_i64)
        .or_else(|| o.get("count").and_then(Value::as_i64).filter(|c| *c != 0))
        .unwrap_or(1);
    vec![
        last.into(),
        str_at(o, "/type").unwrap_or_default().into(),
        str_at(o, "/reason").unwrap_or_default().into(),
        object.into(),
        str_at(o, "/involvedObject/fieldPath").unwrap_or_default().into(),
        source.into(),
        str_at(o, "/message").unwrap_or_default().trim().to_string().into(),
        first.into(),
        Cell::Int(count),
        name(o).into(),
    ]
}

static RC: Printer = Printer {
    columns: &[("Name", 0), ("Desired", 0), ("Current", 0), ("Ready", 0), ("Age", 0), ("Containers", 1), ("Images", 1), ("Selector", 1)],
    row: |o, ctx| {
        let (c, i) = super::containers_and_images(at(o, "/spec/template/spec"));
        vec![
            name(o).into(),
            Cell::Int(at(o, "/spec/replicas").and_then(Value::as_i64).unwrap_or(1)),
            Cell::Int(int_at(o, "/status/replicas")),
            Cell::Int(int_at(o, "/status/readyReplicas")),
            age(o, ctx.now).into(),
            c.into(),
            i.into(),
            format_labels(&string_map(at(o, "/spec/selector"))).into(),
        ]
    },
};

static QUOTA: Printer = Printer {
    columns: &[("Name", 0), ("Request", 0), ("Limit", 0), ("Age", 0)],
    row: |o, ctx| {
        let hard = string_map(at(o, "/status/hard"));
        let used = string_map(at(o, "/status/used"));
        let mut req = Vec::new();
        let mut lim = Vec::new();
        for (k, h) in &hard {
            let u = used.get(k).cloned().unwrap_or_else(|| "0".into());
            let entry = format!("{k}: {u}/{h}");
            if k.starts_with("limits.") { lim.push(entry) } else { req.push(entry) }
        }
        vec![name(o).into(), req.join(", ").into(), lim.join(", ").into(), age(o, ctx.now).into()]
    },
};

static COMPONENTSTATUS: Printer = Printer {
    columns: &[("Name", 0), ("Status", 0), ("Message", 0), ("Error", 0)],
    row: |o, _| {
        let cond = arr_at(o, "/conditions").iter().find(|c| c.get("type").and_then(Value::as_str) == Some("Healthy"));
        let status = match cond.and_then(|c| c.get("status")).and_then(Value::as_str) {
            Some("True") => "Healthy",
            Some(_) => "Unhealthy",
            None => "Unknown",
        };
        let get = |k: &str| cond.and_then(|c| c.get(k)).and_then(Value::as_str).unwrap_or_default().to_string();
        vec![name(o).into(), status.into(), get("message").into(), get("error").into()]
    },
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn status(spec: Value, st: Value) -> (String, String, String) {
        pod_status(&json!({"metadata": {"name": "p"}, "spec": spec, "status": st}), 1000)
    }

    fn one() -> Value {
        json!({"containers": [{"name": "c"}]})
    }

    #[test]
    fn pod_status_follows_print_pod() {
        assert_eq!(status(one(), json!({"phase": "Pending"})).0, "Pending");
        assert_eq!(
            status(
                one(),
                json!({"phase": "Pending", "containerStatuses": [{"name": "c", "state": {"waiting": {"reason": "ContainerCreating"}}}]})
            )
            .0,
            "ContainerCreating"
        );
        assert_eq!(
            status(
                one(),
                json!({"phase": "Pending", "containerStatuses": [{"name": "c", "state": {"waiting": {"reason": "ImagePullBackOff"}}}]})
            )
            .0,
            "ImagePullBackOff"
        );
        assert_eq!(
            status(one(), json!({"phase": "Succeeded", "containerStatuses": [{"name": "c", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]})).0,
            "Completed"
        );
        assert_eq!(status(one(), json!({"phase": "Failed", "containerStatuses": [{"name": "c", "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}]})).0, "Error");
        assert_eq!(
            status(one(), json!({"phase": "Failed", "containerStatuses": [{"name": "c", "state": {"terminated": {"exitCode": 137}}}]})).0,
            "ExitCode:137"
        );
        assert_eq!(
            status(
                one(),
                json!({"phase": "Failed", "containerStatuses": [{"name": "c", "state": {"terminated": {"exitCode": 0, "signal": 9}}}]})
            )
            .0,
            "Signal:9"
        );
        assert_eq!(status(one(), json!({"phase": "Failed", "reason": "Evicted"})).0, "Evicted");
        assert_eq!(
            status(
                one(),
                json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]})
            )
            .0,
            "SchedulingGated"
        );
        let init = json!({"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "c"}]});
        assert_eq!(status(init.clone(), json!({"phase": "Pending", "initContainerStatuses": [{"name": "i1", "state": {"running": {}}}, {"name": "i2", "state": {"waiting": {"reason": "PodInitializing"}}}]})).0, "Init:0/2");
        assert_eq!(
            status(init.clone(), json!({"phase": "Pending", "initContainerStatuses": [{"name": "i1", "state": {"terminated": {"exitCode": 0}}}, {"name": "i2", "state": {"running": {}}}]})).0,
            "Init:1/2"
        );
        assert_eq!(
            status(
                init.clone(),
                json!({"phase": "Pending", "initContainerStatuses": [{"name": "i1", "restartCount": 3, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]})
            ),
            ("Init:CrashLoopBackOff".to_string(), "0/1".to_string(), "3".to_string())
        );
        assert_eq!(status(init, json!({"phase": "Pending", "initContainerStatuses": [{"name": "i1", "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}]})).0, "Init:Error");
        // Deleting: Terminating unless already finished; NodeLost shows Unknown.
        let deleting =
            json!({"metadata": {"name": "p", "deletionTimestamp": "2026-01-01T00:00:00Z"}, "spec": one(), "status": {"phase": "Running"}});
        assert_eq!(pod_status(&deleting, 0).0, "Terminating");
        let lost = json!({"metadata": {"name": "p", "deletionTimestamp": "2026-01-01T00:00:00Z"}, "spec": one(), "status": {"phase": "Running", "reason": "NodeLost"}});
        assert_eq!(pod_status(&lost, 0).0, "Unknown");
    }

    #[test]
    fn ready_counts_sidecars_and_completed_with_running_becomes_not_ready() {
        let spec = json!({"initContainers": [{"name": "side", "restartPolicy": "Always"}], "containers": [{"name": "a"}, {"name": "b"}]});
        let st = json!({"phase": "Running", "conditions": [{"type": "Initialized", "status": "True"}],
            "initContainerStatuses": [{"name": "side", "started": true, "ready": true, "restartCount": 1, "state": {"running": {}}}],
            "containerStatuses": [
                {"name": "a", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                {"name": "b", "ready": true, "restartCount": 2, "state": {"running": {}}}]});
        assert_eq!(status(spec, st), ("NotReady".to_string(), "2/3".to_string(), "3".to_string()));
    }

    #[test]
    fn restarts_show_the_last_termination_age() {
        let st = json!({"phase": "Running", "containerStatuses": [{"name": "c", "ready": true, "restartCount": 1, "state": {"running": {}},
            "lastState": {"terminated": {"exitCode": 1, "finishedAt": crate::world::clock::format_rfc3339(1000 - 28 * 3600)}}}]});
        assert_eq!(status(one(), st).2, "1 (28h ago)");
    }

    #[test]
    fn node_service_and_pv_cells() {
        let node = json!({"metadata": {"labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "worker"}}, "spec": {"unschedulable": true},
            "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}});
        assert_eq!(node_status(&node), "NotReady,SchedulingDisabled");
        assert_eq!(node_roles(&node), "control-plane,worker");
        assert_eq!(node_status(&json!({})), "Unknown");
        let svc = json!({"spec": {"ports": [{"port": 80, "protocol": "TCP", "nodePort": 30080}, {"port": 53, "protocol": "UDP"}]}});
        assert_eq!(service_ports(&svc), "80:30080/TCP,53/UDP");
        assert_eq!(service_ports(&json!({})), "<none>");
        let lb =
            json!({"metadata": {"name": "lb"}, "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.0.5"], "ports": [{"port": 80}]}});
        let cells = service_row(&lb, &Ctx { now: 0, crd: None });
        assert_eq!(cells[3], Cell::Str("<pending>".into()));
        assert_eq!(access_modes(&[json!("ReadWriteMany"), json!("ReadWriteOnce"), json!("ReadWriteOnce")]), "RWO,RWX");
    }
}
