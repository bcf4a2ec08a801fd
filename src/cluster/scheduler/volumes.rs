//! VolumeBinding: the pod's PersistentVolumeClaims (PreFilter: missing, being deleted, unbound
//! with Immediate binding; Filter: bound volumes' node affinity, WaitForFirstConsumer claims
//! needing a matching PV or a provisioner), after v1.35
//! `pkg/scheduler/framework/plugins/volumebinding/volume_binding.go` and `binder.go`.

use serde_json::Value;

use crate::cluster::quantity;
use crate::cluster::selector::labels_of;

use super::{Cycle, NodeInfo, Rejection, Snapshot, node_affinity};

pub const REASON_UNBOUND_IMMEDIATE: &str = "pod has unbound immediate PersistentVolumeClaims";
/// `ErrReasonNodeConflict`.
pub const REASON_NODE_CONFLICT: &str = "node(s) had volume node affinity conflict";
/// `ErrReasonBindConflict`.
pub const REASON_BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
/// `ErrReasonPVNotExist`.
pub const REASON_PV_NOT_EXIST: &str = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

/// The provisioner name of a class that cannot provision (local volumes).
const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// The pod's claims, sorted by how the binder treats them.
#[derive(Default)]
pub struct Claims<'a> {
    /// Bound claims' volume names.
    bound: Vec<String>,
    /// Unbound claims whose class waits for the first consumer.
    delayed: Vec<&'a Value>,
}

fn name_of(v: &Value) -> &str {
    v.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default()
}

fn class_of(pvc: &Value) -> &str {
    pvc.pointer("/spec/storageClassName")
        .and_then(Value::as_str)
        .or_else(|| pvc.pointer("/metadata/annotations/volume.beta.kubernetes.io~1storage-class").and_then(Value::as_str))
        .unwrap_or_default()
}

fn class<'a>(snap: &Snapshot<'a>, name: &str) -> Option<&'a Value> {
    if name.is_empty() {
        return None;
    }
    snap.storage_classes.iter().copied().find(|c| name_of(c) == name)
}

/// PreFilter: the message of an UnschedulableAndUnresolvable status, or the claims to check
/// per node.
pub fn pre_filter<'a>(pod: &Value, snap: &Snapshot<'a>) -> Result<Claims<'a>, String> {
    let ns = pod.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("default");
    let pod_name = name_of(pod);
    let mut claims = Claims::default();
    let mut unbound_immediate = false;
    for vol in pod.pointer("/spec/volumes").and_then(Value::as_array).into_iter().flatten() {
        let (claim, ephemeral) = if let Some(c) = vol.pointer("/persistentVolumeClaim/claimName").and_then(Value::as_str) {
            (c.to_string(), false)
        } else if vol.get("ephemeral").is_some() {
            (format!("{pod_name}-{}", vol.get("name").and_then(Value::as_str).unwrap_or_default()), true)
        } else {
            continue;
        };
        let found =
            snap.pvcs.iter().copied().find(|c| name_of(c) == claim && c.pointer("/metadata/namespace").and_then(Value::as_str) == Some(ns));
        let Some(pvc) = found else {
            if ephemeral {
                return Err(format!("waiting for ephemeral volume controller to create the persistentvolumeclaim \"{claim}\""));
            }
            return Err(format!("persistentvolumeclaim \"{claim}\" not found"));
        };
        if pvc.pointer("/metadata/deletionTimestamp").is_some_and(|v| !v.is_null()) {
            return Err(format!("persistentvolumeclaim \"{claim}\" is being deleted"));
        }
        let volume = pvc.pointer("/spec/volumeName").and_then(Value::as_str).unwrap_or_default();
        if !volume.is_empty() {
            claims.bound.push(volume.to_string());
            continue;
        }
        // A class that does not exist (or no class) binds immediately.
        let delayed =
            class(snap, class_of(pvc)).and_then(|c| c.get("volumeBindingMode")).and_then(Value::as_str) == Some("WaitForFirstConsumer");
        if delayed {
            claims.delayed.push(pvc);
        } else {
            unbound_immediate = true;
        }
    }
    if unbound_immediate {
        return Err(REASON_UNBOUND_IMMEDIATE.to_string());
    }
    Ok(claims)
}

fn pv_fits_node(pv: &Value, n: &NodeInfo<'_>) -> bool {
    match pv.pointer("/spec/nodeAffinity/required/nodeSelectorTerms").and_then(Value::as_array) {
        Some(terms) => terms.iter().any(|t| node_affinity::term_matches(t, n.node, &n.labels)),
        None => true,
    }
}

fn request_of(pvc: &Value) -> f64 {
    pvc.pointer("/spec/resources/requests/storage").and_then(quantity::of).unwrap_or(0.0)
}

/// Whether an available PV can take the claim on this node (`FindMatchingVolume`).
fn pv_matches(pv: &Value, pvc: &Value, n: &NodeInfo<'_>) -> bool {
    let available = match pv.pointer("/spec/claimRef") {
        None | Some(Value::Null) => true,
        Some(r) => r.get("name").and_then(Value::as_str) == Some(name_of(pvc)) && r.get("namespace") == pvc.pointer("/metadata/namespace"),
    };
    let pv_class = pv.pointer("/spec/storageClassName").and_then(Value::as_str).unwrap_or_default();
    let capacity = pv.pointer("/spec/capacity/storage").and_then(quantity::of).unwrap_or(0.0);
    let modes = |v: &Value, p: &str| -> Vec<String> {
        v.pointer(p).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
    };
    let pv_modes = modes(pv, "/spec/accessModes");
    let mode_ok = modes(pvc, "/spec/accessModes").iter().all(|m| pv_modes.contains(m));
    let vm = |v: &Value| v.pointer("/spec/volumeMode").and_then(Value::as_str).unwrap_or("Filesystem").to_string();
    let selector_ok = pvc
        .pointer("/spec/selector")
        .is_none_or(|s| s.is_null() || crate::cluster::selector::from_label_selector_object(s).matches(&labels_of(pv)));
    available
        && pv.pointer("/status/phase").and_then(Value::as_str).is_none_or(|p| p == "Available" || p == "Pending")
        && pv_class == class_of(pvc)
        && capacity >= request_of(pvc)
        && mode_ok
        && vm(pv) == vm(pvc)
        && selector_ok
        && pv_fits_node(pv, n)
}

/// What PreBind does for one WaitForFirstConsumer claim once the pod has a node
/// (`binder.go` `BindPodVolumes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeBinding {
    /// Bind the claim (`namespace`, `name`) to this existing PV.
    Bind { namespace: String, claim: String, volume: String },
    /// Ask the provisioner for a volume: annotate the claim with
    /// `volume.kubernetes.io/selected-node: <node>`.
    Provision { namespace: String, claim: String, node: String },
}

/// The bindings for the pod's delayed claims on the chosen node, PVs matched as the filter
/// matched them.
pub fn bindings(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Vec<VolumeBinding> {
    let Some(claims) = cy.claims.as_ref() else { return Vec::new() };
    let mut taken: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for pvc in &claims.delayed {
        let namespace = pvc.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("default").to_string();
        let claim = name_of(pvc).to_string();
        match cy.snapshot.pvs.iter().find(|pv| !taken.contains(&name_of(pv)) && pv_matches(pv, pvc, n)) {
            Some(pv) => {
                taken.push(name_of(pv));
                out.push(VolumeBinding::Bind { namespace, claim, volume: name_of(pv).to_string() });
            }
            None => out.push(VolumeBinding::Provision { namespace, claim, node: n.name.to_string() }),
        }
    }
    out
}

pub fn filter(cy: &Cycle<'_>, n: &NodeInfo<'_>) -> Option<Rejection> {
    let claims = cy.claims.as_ref()?;
    let snap = cy.snapshot;
    let mut reasons = Vec::new();
    for volume in &claims.bound {
        match snap.pvs.iter().find(|pv| name_of(pv) == volume) {
            None => return Some(Rejection::unresolvable(REASON_PV_NOT_EXIST)),
            Some(pv) if !pv_fits_node(pv, n) => {
                if !reasons.iter().any(|r| r == REASON_NODE_CONFLICT) {
                    reasons.push(REASON_NODE_CONFLICT.to_string());
                }
            }
            Some(_) => {}
        }
    }
    let mut taken: Vec<&str> = Vec::new();
    let mut bind_conflict = false;
    for pvc in &claims.delayed {
        let chosen = snap.pvs.iter().find(|pv| !taken.contains(&name_of(pv)) && pv_matches(pv, pvc, n));
        if let Some(pv) = chosen {
            taken.push(name_of(pv));
            continue;
        }
        // No volume to bind: the class's provisioner must be able to create one here.
        let provisionable = class(snap, class_of(pvc)).is_some_and(|c| {
            let provisioner = c.get("provisioner").and_then(Value::as_str).unwrap_or_default();
            let topology_ok = c.get("allowedTopologies").and_then(Value::as_array).is_none_or(|terms| {
                terms.is_empty()
                    || terms.iter().any(|t| {
                        t.get("matchLabelExpressions").and_then(Value::as_array).into_iter().flatten().all(|e| {
                            let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
                            let values: Vec<&str> =
                                e.get("values").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
                            n.labels.get(key).is_some_and(|v| values.contains(&v.as_str()))
                        })
                    })
            });
            provisioner != NO_PROVISIONER && topology_ok
        });
        bind_conflict |= !provisionable;
    }
    if bind_conflict {
        reasons.push(REASON_BIND_CONFLICT.to_string());
    }
    (!reasons.is_empty()).then_some(Rejection { code: super::Code::UnschedulableAndUnresolvable, reasons })
}
