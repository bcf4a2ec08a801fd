//! Describers of the smaller kinds: Endpoints, StorageClass, PriorityClass,
//! PodDisruptionBudget and HorizontalPodAutoscaler (autoscaling/v2).

use serde_json::Value;

use super::Env;
use super::writer::{self as wr, W, arr, i, map, s, time_at};
use crate::cluster::selector::{format_label_selector, format_labels};

fn events(env: &Env<'_, '_>, w: &mut W, o: &Value) {
    if env.show_events {
        wr::events(w, &env.events_for(o, false), env.now);
    }
}

fn scalar(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

pub fn endpoints(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, "Subsets:\n");
    for ss in arr(o, "/subsets") {
        let ips = |key: &str| {
            let v: Vec<&str> = arr(ss, key).iter().map(|a| s(a, "/ip")).collect();
            if v.is_empty() { "<none>".to_string() } else { v.join(",") }
        };
        w.w(1, &format!("Addresses:\t{}\n", ips("/addresses")));
        w.w(1, &format!("NotReadyAddresses:\t{}\n", ips("/notReadyAddresses")));
        let ports = arr(ss, "/ports");
        if !ports.is_empty() {
            w.w(1, "Ports:\n");
            w.w(2, "Name\tPort\tProtocol\n");
            w.w(2, "----\t----\t--------\n");
            for p in ports {
                let name = if s(p, "/name").is_empty() { "<unset>" } else { s(p, "/name") };
                let proto = if s(p, "/protocol").is_empty() { "TCP" } else { s(p, "/protocol") };
                w.w(2, &format!("{name}\t{}\t{proto}\n", i(p, "/port")));
            }
        }
        w.w(0, "\n");
    }
    events(env, &mut w, o);
    w.finish()
}

pub fn storage_class(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    let ann = map(o, "/metadata/annotations");
    let default =
        ann.get("storageclass.kubernetes.io/is-default-class").or_else(|| ann.get("storageclass.beta.kubernetes.io/is-default-class"));
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("IsDefaultClass:\t{}\n", if default.is_some_and(|v| v == "true") { "Yes" } else { "No" }));
    w.w(0, &format!("Annotations:\t{}\n", format_labels(&ann)));
    w.w(0, &format!("Provisioner:\t{}\n", s(o, "/provisioner")));
    w.w(0, &format!("Parameters:\t{}\n", format_labels(&map(o, "/parameters"))));
    let expansion = match o.get("allowVolumeExpansion").and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    w.w(0, &format!("AllowVolumeExpansion:\t{expansion}\n"));
    let opts = arr(o, "/mountOptions");
    if opts.is_empty() {
        w.w(0, "MountOptions:\t<none>\n");
    } else {
        w.w(0, "MountOptions:\n");
        for m in opts {
            w.w(1, &format!("{}\n", m.as_str().unwrap_or_default()));
        }
    }
    if !s(o, "/reclaimPolicy").is_empty() {
        w.w(0, &format!("ReclaimPolicy:\t{}\n", s(o, "/reclaimPolicy")));
    }
    if !s(o, "/volumeBindingMode").is_empty() {
        w.w(0, &format!("VolumeBindingMode:\t{}\n", s(o, "/volumeBindingMode")));
    }
    events(env, &mut w, o);
    w.finish()
}

pub fn priority_class(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Value:\t{}\n", i(o, "/value")));
    w.w(0, &format!("GlobalDefault:\t{}\n", o.get("globalDefault").and_then(Value::as_bool).unwrap_or(false)));
    let policy = if s(o, "/preemptionPolicy").is_empty() { "PreemptLowerPriority" } else { s(o, "/preemptionPolicy") };
    w.w(0, &format!("PreemptionPolicy:\t{policy}\n"));
    w.w(0, &format!("Description:\t{}\n", s(o, "/description")));
    w.w(0, &format!("Annotations:\t{}\n", format_labels(&map(o, "/metadata/annotations"))));
    events(env, &mut w, o);
    w.finish()
}

pub fn pod_disruption_budget(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    if let Some(m) = o.pointer("/spec/minAvailable") {
        w.w(0, &format!("Min available:\t{}\n", scalar(Some(m))));
    } else if let Some(m) = o.pointer("/spec/maxUnavailable") {
        w.w(0, &format!("Max unavailable:\t{}\n", scalar(Some(m))));
    }
    match o.pointer("/spec/selector") {
        Some(sel) if sel.is_object() => w.w(0, &format!("Selector:\t{}\n", format_label_selector(Some(sel)))),
        _ => w.w(0, "Selector:\t<unset>\n"),
    }
    w.w(0, "Status:\n");
    w.w(2, &format!("Allowed disruptions:\t{}\n", i(o, "/status/disruptionsAllowed")));
    w.w(2, &format!("Current:\t{}\n", i(o, "/status/currentHealthy")));
    w.w(2, &format!("Desired:\t{}\n", i(o, "/status/desiredHealthy")));
    w.w(2, &format!("Total:\t{}\n", i(o, "/status/expectedPods")));
    events(env, &mut w, o);
    w.finish()
}

pub fn horizontal_pod_autoscaler(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("CreationTimestamp:\t{}\n", time_at(o, "/metadata/creationTimestamp")));
    w.w(0, &format!("Reference:\t{}/{}\n", s(o, "/spec/scaleTargetRef/kind"), s(o, "/spec/scaleTargetRef/name")));
    w.w(0, "Metrics:\t( current / target )\n");
    let statuses = arr(o, "/status/currentMetrics");
    for (n, m) in arr(o, "/spec/metrics").iter().enumerate() {
        let st = statuses.get(n);
        match s(m, "/type") {
            "Resource" | "ContainerResource" => {
                let key = if s(m, "/type") == "Resource" { "resource" } else { "containerResource" };
                let name = s(m, &format!("/{key}/name"));
                if key == "resource" {
                    w.w(1, &format!("resource {name} on pods"));
                } else {
                    w.w(1, &format!("resource {name} of container \"{}\" on pods", s(m, "/containerResource/container")));
                }
                if let Some(avg) = m.pointer(&format!("/{key}/target/averageValue")) {
                    let cur = st
                        .and_then(|x| x.pointer(&format!("/{key}/current/averageValue")))
                        .map_or_else(|| "<unknown>".to_string(), |v| scalar(Some(v)));
                    w.w(0, &format!(":\t{cur} / {}\n", scalar(Some(avg))));
                } else {
                    let cur = match st.and_then(|x| x.pointer(&format!("/{key}/current/averageUtilization"))).and_then(Value::as_i64) {
                        Some(u) => format!("{u}% ({})", scalar(st.and_then(|x| x.pointer(&format!("/{key}/current/averageValue"))))),
                        None => "<unknown>".to_string(),
                    };
                    let target = m
                        .pointer(&format!("/{key}/target/averageUtilization"))
                        .and_then(Value::as_i64)
                        .map_or_else(|| "<auto>".to_string(), |u| format!("{u}%"));
                    w.w(1, &format!("(as a percentage of request):\t{cur} / {target}\n"));
                }
            }
            "Pods" => {
                let cur =
                    st.and_then(|x| x.pointer("/pods/current/averageValue")).map_or_else(|| "<unknown>".to_string(), |v| scalar(Some(v)));
                w.w(1, &format!("{:?} on pods:\t{cur} / {}\n", s(m, "/pods/metric/name"), scalar(m.pointer("/pods/target/averageValue"))));
            }
            other => w.w(1, &format!("<unknown metric type {other:?}>\n")),
        }
    }
    let min = o.pointer("/spec/minReplicas").and_then(Value::as_i64).map_or_else(|| "<unset>".to_string(), |m| m.to_string());
    w.w(0, &format!("Min replicas:\t{min}\n"));
    w.w(0, &format!("Max replicas:\t{}\n", i(o, "/spec/maxReplicas")));
    w.w(0, &format!("{} pods:\t", s(o, "/spec/scaleTargetRef/kind")));
    w.w(0, &format!("{} current / {} desired\n", i(o, "/status/currentReplicas"), i(o, "/status/desiredReplicas")));
    let conds = arr(o, "/status/conditions");
    if !conds.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tReason\tMessage\n");
        w.w(1, "----\t------\t------\t-------\n");
        for c in conds {
            w.w(1, &format!("{}\t{}\t{}\t{}\n", s(c, "/type"), s(c, "/status"), s(c, "/reason"), s(c, "/message")));
        }
    }
    events(env, &mut w, o);
    w.finish()
}
