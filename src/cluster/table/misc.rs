//! Table printers of the remaining built-in kinds: RBAC bindings, storage, networking,
//! autoscaling, policy, scheduling, certificates, coordination, discovery, node, admission.

use serde_json::Value;

use super::{Cell, Ctx, Printer, age, arr_at, capped, int_at, name, or, str_at};
use crate::cluster::path::at;
use crate::cluster::selector::format_label_selector;

pub fn printer(group: &str, kind: &str) -> Option<&'static Printer> {
    Some(match (group, kind) {
        ("rbac.authorization.k8s.io", "RoleBinding") => &ROLEBINDING,
        ("rbac.authorization.k8s.io", "ClusterRoleBinding") => &ROLEBINDING,
        ("storage.k8s.io", "StorageClass") => &STORAGECLASS,
        ("storage.k8s.io", "VolumeAttachment") => &VOLUMEATTACHMENT,
        ("storage.k8s.io", "CSIDriver") => &CSIDRIVER,
        ("networking.k8s.io", "Ingress") => &INGRESS,
        ("networking.k8s.io", "IngressClass") => &INGRESSCLASS,
        ("networking.k8s.io", "NetworkPolicy") => &NETWORKPOLICY,
        ("autoscaling", "HorizontalPodAutoscaler") => &HPA,
        ("policy", "PodDisruptionBudget") => &PDB,
        ("scheduling.k8s.io", "PriorityClass") => &PRIORITYCLASS,
        ("certificates.k8s.io", "CertificateSigningRequest") => &CSR,
        ("coordination.k8s.io", "Lease") => &LEASE,
        ("discovery.k8s.io", "EndpointSlice") => &ENDPOINTSLICE,
        ("node.k8s.io", "RuntimeClass") => &RUNTIMECLASS,
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration") => &WEBHOOKS,
        ("events.k8s.io", "Event") => return super::core::printer("", "Event"),
        _ => return None,
    })
}

static ROLEBINDING: Printer = Printer {
    columns: &[("Name", 0), ("Role", 0), ("Age", 0), ("Users", 1), ("Groups", 1), ("ServiceAccounts", 1)],
    row: |o, ctx| {
        let role = format!("{}/{}", str_at(o, "/roleRef/kind").unwrap_or_default(), str_at(o, "/roleRef/name").unwrap_or_default());
        let mut users = Vec::new();
        let mut groups = Vec::new();
        let mut sas = Vec::new();
        for s in arr_at(o, "/subjects") {
            let n = s.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            match s.get("kind").and_then(Value::as_str).unwrap_or_default() {
                "User" => users.push(n),
                "Group" => groups.push(n),
                "ServiceAccount" => sas.push(format!("{}/{n}", s.get("namespace").and_then(Value::as_str).unwrap_or_default())),
                _ => {}
            }
        }
        vec![name(o).into(), role.into(), age(o, ctx.now).into(), users.join(", ").into(), groups.join(", ").into(), sas.join(", ").into()]
    },
};

fn is_default_class(o: &Value) -> bool {
    let ann = |k: &str| at(o, &format!("/metadata/annotations/{}", k.replace('/', "~1"))).and_then(Value::as_str) == Some("true");
    ann("storageclass.kubernetes.io/is-default-class") || ann("storageclass.beta.kubernetes.io/is-default-class")
}

static STORAGECLASS: Printer = Printer {
    columns: &[("Name", 0), ("Provisioner", 0), ("ReclaimPolicy", 0), ("VolumeBindingMode", 0), ("AllowVolumeExpansion", 0), ("Age", 0)],
    row: |o, ctx| {
        let mut n = name(o);
        if is_default_class(o) {
            n.push_str(" (default)");
        }
        vec![
            n.into(),
            str_at(o, "/provisioner").unwrap_or_default().into(),
            or(str_at(o, "/reclaimPolicy"), "Delete").into(),
            or(str_at(o, "/volumeBindingMode"), "Immediate").into(),
            Cell::Bool(o.get("allowVolumeExpansion").and_then(Value::as_bool).unwrap_or(false)),
            age(o, ctx.now).into(),
        ]
    },
};

static VOLUMEATTACHMENT: Printer = Printer {
    columns: &[("Name", 0), ("Attacher", 0), ("PV", 0), ("Node", 0), ("Attached", 0), ("Age", 0)],
    row: |o, ctx| {
        vec![
            name(o).into(),
            str_at(o, "/spec/attacher").unwrap_or_default().into(),
            str_at(o, "/spec/source/persistentVolumeName").unwrap_or_default().into(),
            str_at(o, "/spec/nodeName").unwrap_or_default().into(),
            Cell::Bool(at(o, "/status/attached").and_then(Value::as_bool).unwrap_or(false)),
            age(o, ctx.now).into(),
        ]
    },
};

static CSIDRIVER: Printer = Printer {
    columns: &[
        ("Name", 0),
        ("AttachRequired", 0),
        ("PodInfoOnMount", 0),
        ("StorageCapacity", 0),
        ("TokenRequests", 0),
        ("RequiresRepublish", 0),
        ("Modes", 0),
        ("Age", 0),
    ],
    row: |o, ctx| {
        let b = |p: &str, d: bool| Cell::Bool(at(o, p).and_then(Value::as_bool).unwrap_or(d));
        let tokens = match at(o, "/spec/tokenRequests").and_then(Value::as_array) {
            None => "<unset>".to_string(),
            Some(t) => t.iter().filter_map(|r| r.get("audience").and_then(Value::as_str)).collect::<Vec<_>>().join(","),
        };
        let modes: Vec<&str> = arr_at(o, "/spec/volumeLifecycleModes").iter().filter_map(Value::as_str).collect();
        vec![
            name(o).into(),
            b("/spec/attachRequired", true),
            b("/spec/podInfoOnMount", false),
            b("/spec/storageCapacity", false),
            tokens.into(),
            b("/spec/requiresRepublish", false),
            or(Some(modes.join(",")), "<none>").into(),
            age(o, ctx.now).into(),
        ]
    },
};

static INGRESS: Printer =
    Printer { columns: &[("Name", 0), ("Class", 0), ("Hosts", 0), ("Address", 0), ("Ports", 0), ("Age", 0)], row: ingress_row };

fn ingress_row(o: &Value, ctx: &Ctx<'_>) -> Vec<Cell> {
    let rules = arr_at(o, "/spec/rules");
    let hosts: Vec<String> =
        rules.iter().filter_map(|r| r.get("host").and_then(Value::as_str)).filter(|h| !h.is_empty()).map(str::to_string).collect();
    let hosts_cell = if hosts.is_empty() {
        "*".to_string()
    } else {
        let mut s = hosts.iter().take(3).cloned().collect::<Vec<_>>().join(",");
        if rules.len() > 3 {
            s.push_str(&format!(" + {} more...", rules.len() - 3));
        }
        s
    };
    let ports = if arr_at(o, "/spec/tls").is_empty() { "80" } else { "80, 443" };
    vec![
        name(o).into(),
        or(str_at(o, "/spec/ingressClassName"), "<none>").into(),
        hosts_cell.into(),
        super::core::load_balancer_addresses(o).into(),
        ports.into(),
        age(o, ctx.now).into(),
    ]
}

static INGRESSCLASS: Printer = Printer {
    columns: &[("Name", 0), ("Controller", 0), ("Parameters", 0), ("Age", 0)],
    row: |o, ctx| {
        let params = match at(o, "/spec/parameters") {
            Some(p) if p.is_object() => {
                let kind = p.get("kind").and_then(Value::as_str).unwrap_or_default();
                let n = p.get("name").and_then(Value::as_str).unwrap_or_default();
                match p.get("apiGroup").and_then(Value::as_str) {
                    Some(g) => format!("{kind}.{g}/{n}"),
                    None => format!("{kind}/{n}"),
                }
            }
            _ => "<none>".to_string(),
        };
        vec![name(o).into(), str_at(o, "/spec/controller").unwrap_or_default().into(), params.into(), age(o, ctx.now).into()]
    },
};

static NETWORKPOLICY: Printer = Printer {
    columns: &[("Name", 0), ("Pod-Selector", 0), ("Age", 0)],
    row: |o, ctx| vec![name(o).into(), format_label_selector(at(o, "/spec/podSelector")).into(), age(o, ctx.now).into()],
};

static HPA: Printer = Printer {
    columns: &[("Name", 0), ("Reference", 0), ("Targets", 0), ("MinPods", 0), ("MaxPods", 0), ("Replicas", 0), ("Age", 0)],
    row: |o, ctx| {
        let reference = format!(
            "{}/{}",
            str_at(o, "/spec/scaleTargetRef/kind").unwrap_or_default(),
            str_at(o, "/spec/scaleTargetRef/name").unwrap_or_default()
        );
        let min = at(o, "/spec/minReplicas").and_then(Value::as_i64).map_or_else(|| "<unset>".to_string(), |m| m.to_string());
        vec![
            name(o).into(),
            reference.into(),
            hpa_targets(o).into(),
            min.into(),
            Cell::Int(int_at(o, "/spec/maxReplicas")),
            Cell::Int(int_at(o, "/status/currentReplicas")),
            age(o, ctx.now).into(),
        ]
    },
};

/// HPA TARGETS (`formatHPAMetrics`): the first two metrics, `current/target` each.
fn hpa_targets(o: &Value) -> String {
    let specs = arr_at(o, "/spec/metrics");
    if specs.is_empty() {
        return "<none>".into();
    }
    let statuses = arr_at(o, "/status/currentMetrics");
    let q = |v: Option<&Value>| v.map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string));
    let mut out = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let status = statuses.get(i);
        let ty = spec.get("type").and_then(Value::as_str).unwrap_or_default();
        let entry = match ty {
            "Resource" | "ContainerResource" => {
                let key = if ty == "Resource" { "resource" } else { "containerResource" };
                let rname = at(spec, &format!("/{key}/name")).and_then(Value::as_str).unwrap_or_default();
                if let Some(util) = at(spec, &format!("/{key}/target/averageUtilization")).and_then(Value::as_i64) {
                    let cur = status
                        .and_then(|s| at(s, &format!("/{key}/current/averageUtilization")))
                        .and_then(Value::as_i64)
                        .map_or_else(|| "<unknown>".to_string(), |c| format!("{c}%"));
                    format!("{rname}: {cur}/{util}%")
                } else {
                    let target = q(at(spec, &format!("/{key}/target/averageValue"))).unwrap_or_default();
                    let cur = q(status.and_then(|s| at(s, &format!("/{key}/current/averageValue")))).unwrap_or_else(|| "<unknown>".into());
                    format!("{rname}: {cur}/{target}")
                }
            }
            "Pods" => {
                let target = q(at(spec, "/pods/target/averageValue")).unwrap_or_default();
                let cur = q(status.and_then(|s| at(s, "/pods/current/averageValue"))).unwrap_or_else(|| "<unknown>".into());
                format!("{cur}/{target}")
            }
            "Object" | "External" => {
                let key = if ty == "Object" { "object" } else { "external" };
                if let Some(avg) = q(at(spec, &format!("/{key}/target/averageValue"))) {
                    let cur = q(status.and_then(|s| at(s, &format!("/{key}/current/averageValue")))).unwrap_or_else(|| "<unknown>".into());
                    format!("{cur}/{avg} (avg)")
                } else {
                    let target = q(at(spec, &format!("/{key}/target/value"))).unwrap_or_default();
                    let cur = q(status.and_then(|s| at(s, &format!("/{key}/current/value")))).unwrap_or_else(|| "<unknown>".into());
                    format!("{cur}/{target}")
                }
            }
            _ => "<unknown type>".to_string(),
        };
        out.push(entry);
    }
    capped(&out, 2, ", ")
}

static PDB: Printer = Printer {
    columns: &[("Name", 0), ("Min Available", 0), ("Max Unavailable", 0), ("Allowed Disruptions", 0), ("Age", 0)],
    row: |o, ctx| {
        let ios = |p: &str| at(o, p).map_or_else(|| "N/A".to_string(), |v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
        vec![
            name(o).into(),
            ios("/spec/minAvailable").into(),
            ios("/spec/maxUnavailable").into(),
            Cell::Int(int_at(o, "/status/disruptionsAllowed")),
            age(o, ctx.now).into(),
        ]
    },
};

static PRIORITYCLASS: Printer = Printer {
    columns: &[("Name", 0), ("Value", 0), ("Global-Default", 0), ("Age", 0), ("PreemptionPolicy", 0)],
    row: |o, ctx| {
        vec![
            name(o).into(),
            Cell::Int(int_at(o, "/value")),
            Cell::Bool(o.get("globalDefault").and_then(Value::as_bool).unwrap_or(false)),
            age(o, ctx.now).into(),
            or(str_at(o, "/preemptionPolicy"), "PreemptLowerPriority").into(),
        ]
    },
};

static CSR: Printer = Printer {
    columns: &[("Name", 0), ("Age", 0), ("SignerName", 0), ("Requestor", 0), ("RequestedDuration", 0), ("Condition", 0)],
    row: |o, ctx| {
        let conds = arr_at(o, "/status/conditions");
        let has = |t: &str| conds.iter().any(|c| c.get("type").and_then(Value::as_str) == Some(t));
        let mut cond = if has("Denied") {
            "Denied".to_string()
        } else if has("Approved") {
            "Approved".to_string()
        } else {
            "Pending".to_string()
        };
        if has("Failed") {
            cond.push_str(",Failed");
        }
        if at(o, "/status/certificate").and_then(Value::as_str).is_some_and(|c| !c.is_empty()) {
            cond.push_str(",Issued");
        }
        let dur = at(o, "/spec/expirationSeconds").and_then(Value::as_i64).map_or_else(|| "<none>".to_string(), super::human_duration);
        vec![
            name(o).into(),
            age(o, ctx.now).into(),
            or(str_at(o, "/spec/signerName"), "<none>").into(),
            str_at(o, "/spec/username").unwrap_or_default().into(),
            dur.into(),
            cond.into(),
        ]
    },
};

static LEASE: Printer = Printer {
    columns: &[("Name", 0), ("Holder", 0), ("Age", 0)],
    row: |o, ctx| vec![name(o).into(), str_at(o, "/spec/holderIdentity").unwrap_or_default().into(), age(o, ctx.now).into()],
};

static ENDPOINTSLICE: Printer = Printer {
    columns: &[("Name", 0), ("AddressType", 0), ("Ports", 0), ("Endpoints", 0), ("Age", 0)],
    row: |o, ctx| {
        let ports: Vec<String> = arr_at(o, "/ports")
            .iter()
            .map(|p| match p.get("port").and_then(Value::as_i64) {
                Some(n) => n.to_string(),
                None => p.get("name").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("*").to_string(),
            })
            .collect();
        let addrs: Vec<String> = arr_at(o, "/endpoints")
            .iter()
            .flat_map(|e| e.get("addresses").and_then(Value::as_array).cloned().unwrap_or_default())
            .filter_map(|a| a.as_str().map(str::to_string))
            .collect();
        let unset = |v: &[String]| if v.is_empty() { "<unset>".to_string() } else { capped(v, 3, ",") };
        vec![
            name(o).into(),
            str_at(o, "/addressType").unwrap_or_default().into(),
            unset(&ports).into(),
            unset(&addrs).into(),
            age(o, ctx.now).into(),
        ]
    },
};

static RUNTIMECLASS: Printer = Printer {
    columns: &[("Name", 0), ("Handler", 0), ("Age", 0)],
    row: |o, ctx| vec![name(o).into(), str_at(o, "/handler").unwrap_or_default().into(), age(o, ctx.now).into()],
};

static WEBHOOKS: Printer = Printer {
    columns: &[("Name", 0), ("Webhooks", 0), ("Age", 0)],
    row: |o, ctx| vec![name(o).into(), Cell::Int(arr_at(o, "/webhooks").len() as i64), age(o, ctx.now).into()],
};
