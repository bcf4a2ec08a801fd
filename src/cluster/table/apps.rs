//! Table printers of apps/v1 kinds: Deployment, ReplicaSet, DaemonSet, StatefulSet,
//! ControllerRevision.

use serde_json::Value;

use super::{Cell, Printer, age, containers_and_images, int_at, name};
use crate::cluster::path::at;
use crate::cluster::selector::{format_label_selector, format_labels, string_map};

pub fn printer(group: &str, kind: &str) -> Option<&'static Printer> {
    if group != "apps" {
        return None;
    }
    Some(match kind {
        "Deployment" => &DEPLOYMENT,
        "ReplicaSet" => &REPLICASET,
        "DaemonSet" => &DAEMONSET,
        "StatefulSet" => &STATEFULSET,
        "ControllerRevision" => &CONTROLLERREVISION,
        _ => return None,
    })
}

fn replicas(o: &Value) -> i64 {
    at(o, "/spec/replicas").and_then(Value::as_i64).unwrap_or(1)
}

fn template(o: &Value) -> (String, String) {
    containers_and_images(at(o, "/spec/template/spec"))
}

static DEPLOYMENT: Printer = Printer {
    columns: &[
        ("Name", 0),
        ("Ready", 0),
        ("Up-to-date", 0),
        ("Available", 0),
        ("Age", 0),
        ("Containers", 1),
        ("Images", 1),
        ("Selector", 1),
    ],
    row: |o, ctx| {
        let (c, i) = template(o);
        // An empty selector prints an empty cell here (LabelSelectorAsSelector's String).
        let sel = crate::cluster::selector::from_label_selector_object(at(o, "/spec/selector").unwrap_or(&Value::Null)).to_string();
        vec![
            name(o).into(),
            format!("{}/{}", int_at(o, "/status/readyReplicas"), replicas(o)).into(),
            Cell::Int(int_at(o, "/status/updatedReplicas")),
            Cell::Int(int_at(o, "/status/availableReplicas")),
            age(o, ctx.now).into(),
            c.into(),
            i.into(),
            sel.into(),
        ]
    },
};

static REPLICASET: Printer = Printer {
    columns: &[("Name", 0), ("Desired", 0), ("Current", 0), ("Ready", 0), ("Age", 0), ("Containers", 1), ("Images", 1), ("Selector", 1)],
    row: |o, ctx| {
        let (c, i) = template(o);
        let sel = crate::cluster::selector::from_label_selector_object(at(o, "/spec/selector").unwrap_or(&Value::Null)).to_string();
        vec![
            name(o).into(),
            Cell::Int(replicas(o)),
            Cell::Int(int_at(o, "/status/replicas")),
            Cell::Int(int_at(o, "/status/readyReplicas")),
            age(o, ctx.now).into(),
            c.into(),
            i.into(),
            sel.into(),
        ]
    },
};

static DAEMONSET: Printer = Printer {
    columns: &[
        ("Name", 0),
        ("Desired", 0),
        ("Current", 0),
        ("Ready", 0),
        ("Up-to-date", 0),
        ("Available", 0),
        ("Node Selector", 0),
        ("Age", 0),
        ("Containers", 1),
        ("Images", 1),
        ("Selector", 1),
    ],
    row: |o, ctx| {
        let (c, i) = template(o);
        vec![
            name(o).into(),
            Cell::Int(int_at(o, "/status/desiredNumberScheduled")),
            Cell::Int(int_at(o, "/status/currentNumberScheduled")),
            Cell::Int(int_at(o, "/status/numberReady")),
            Cell::Int(int_at(o, "/status/updatedNumberScheduled")),
            Cell::Int(int_at(o, "/status/numberAvailable")),
            format_labels(&string_map(at(o, "/spec/template/spec/nodeSelector"))).into(),
            age(o, ctx.now).into(),
            c.into(),
            i.into(),
            format_label_selector(at(o, "/spec/selector")).into(),
        ]
    },
};

static STATEFULSET: Printer = Printer {
    columns: &[("Name", 0), ("Ready", 0), ("Age", 0), ("Containers", 1), ("Images", 1)],
    row: |o, ctx| {
        let (c, i) = template(o);
        vec![
            name(o).into(),
            format!("{}/{}", int_at(o, "/status/readyReplicas"), replicas(o)).into(),
            age(o, ctx.now).into(),
            c.into(),
            i.into(),
        ]
    },
};

static CONTROLLERREVISION: Printer = Printer {
    columns: &[("Name", 0), ("Controller", 0), ("Revision", 0), ("Age", 0)],
    row: |o, ctx| {
        let owner = o
            .pointer("/metadata/ownerReferences")
            .and_then(Value::as_array)
            .and_then(|refs| refs.iter().find(|r| r.get("controller").and_then(Value::as_bool) == Some(true)));
        let controller = match owner {
            Some(r) => {
                let kind = r.get("kind").and_then(Value::as_str).unwrap_or_default().to_lowercase();
                let group = r.get("apiVersion").and_then(Value::as_str).and_then(|a| a.split_once('/')).map(|(g, _)| g.to_string());
                let n = r.get("name").and_then(Value::as_str).unwrap_or_default();
                match group {
                    Some(g) => format!("{kind}.{g}/{n}"),
                    None => format!("{kind}/{n}"),
                }
            }
            None => "<none>".to_string(),
        };
        vec![name(o).into(), controller.into(), Cell::Int(int_at(o, "/revision")), age(o, ctx.now).into()]
    },
};
