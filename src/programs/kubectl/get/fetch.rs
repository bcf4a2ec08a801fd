//! Fetching what the arguments name: lists (with selectors) or named GETs, with kubectl's
//! error wording around the API server's statuses.

use std::sync::Arc;

use serde_json::Value;

use super::args::Target;
use crate::cluster::{Api, ListOptions, Reason, ResourceInfo, Status, UserInfo};

/// The objects of one target, in the order the server gave them.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub res: ResourceInfo,
    /// The stored objects themselves (shared, not copied).
    pub objects: Vec<Arc<Value>>,
    /// Whether this came from a list (an empty list still counts as a fetched resource).
    pub listed: bool,
}

/// Selectors and scope of one `get`/`describe`/`wait` call.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// `None` for all namespaces.
    pub namespace: Option<String>,
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
}

/// The resource as apimachinery's `GroupVersionResource.String()` names it in builder errors.
fn gvr(res: &ResourceInfo) -> String {
    format!("{}/{}, Resource={}", res.group, res.version, res.name)
}

/// Fetches every target; statuses of failed requests are returned in order.
pub fn fetch(api: &Api<'_>, user: &UserInfo, targets: &[Target], scope: &Scope) -> (Vec<Fetched>, Vec<Status>) {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for t in targets {
        let ns = if t.res.namespaced { t.namespace.as_deref().or(scope.namespace.as_deref()) } else { None };
        if t.names.is_empty() {
            let opts = ListOptions { label_selector: scope.label_selector.clone(), field_selector: scope.field_selector.clone() };
            match api.list_shared(user, &t.res, ns, &opts) {
                Ok(objects) => out.push(Fetched { res: t.res.clone(), objects, listed: true }),
                Err(mut st) => {
                    // The builder says which list failed (cli-runtime `resource/selector.go`).
                    if matches!(st.reason, Reason::BadRequest | Reason::NotFound) {
                        st.message = if scope.label_selector.is_none() && scope.field_selector.is_none() {
                            format!("Unable to list {:?}: {}", gvr(&t.res), st.message)
                        } else {
                            format!(
                                "Unable to find {:?} that match label selector {:?}, field selector {:?}: {}",
                                gvr(&t.res),
                                scope.label_selector.clone().unwrap_or_default(),
                                scope.field_selector.clone().unwrap_or_default(),
                                st.message
                            )
                        };
                    }
                    errs.push(st);
                }
            }
            continue;
        }
        let mut objects = Vec::new();
        for name in &t.names {
            match api.get_shared(user, &t.res, ns, name) {
                Ok(o) => objects.push(o),
                Err(st) => errs.push(namespace_or(api, user, ns, st)),
            }
        }
        out.push(Fetched { res: t.res.clone(), objects, listed: false });
    }
    (out, errs)
}

/// kubectl's rule for a named NotFound in another namespace: when the namespace itself is
/// missing, it reports the namespace instead.
pub fn namespace_or(api: &Api<'_>, user: &UserInfo, ns: Option<&str>, st: Status) -> Status {
    let Some(ns) = ns.filter(|n| *n != "default") else { return st };
    if st.reason != Reason::NotFound {
        return st;
    }
    let Some(nsres) = api.registry().lookup("namespaces").cloned() else { return st };
    match api.get(user, &nsres, None, ns) {
        Err(ns_err) if ns_err.reason == Reason::NotFound => ns_err,
        _ => st,
    }
}
