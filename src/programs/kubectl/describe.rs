//! `kubectl describe`: resolve the arguments like `get`, then one describer per kind
//! (`describe/`), following kubectl `pkg/cmd/describe/describe.go` and `pkg/describe/describe.go`:
//! objects separated by an empty line, name prefixes matched when a name is not found, and
//! `No resources found` when nothing matched.

pub mod apps;
pub mod core;
pub mod generic;
pub mod misc;
pub mod networking;
pub mod node;
pub mod pod;
pub mod quantity;
pub mod rbac;
pub mod writer;

#[cfg(test)]
mod tests;

use serde_json::Value;

use super::flags::{FlagDef, FlagKind, Parsed};
use super::get::args;
use super::get::fetch::{self, Scope};
use super::{client, errors, parse_flags};
use crate::cluster::{Api, ListOptions, Reason, Registry, ResourceInfo, Status, UserInfo};
use crate::programs::Ctx;

pub const DEFS: &[FlagDef] = &[
    FlagDef::bool("all-namespaces").short('A'),
    FlagDef::new("chunk-size", None, FlagKind::Int),
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::string("kustomize").short('k'),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("selector").short('l'),
    FlagDef::bool("show-events"),
];

/// What a describer may read besides its object: the API (for events, pods, replica sets), the
/// identity, and the clock.
pub struct Env<'a, 'w> {
    pub api: &'a Api<'w>,
    pub user: &'a UserInfo,
    pub now: i64,
    pub show_events: bool,
}

impl Env<'_, '_> {
    /// Lists a resource (by any kubectl name) with optional selectors; errors give nothing.
    pub fn list(&self, resource: &str, ns: Option<&str>, labels: Option<String>, fields: Option<String>) -> Vec<Value> {
        let Some(res) = self.api.registry().lookup(resource).cloned() else { return Vec::new() };
        self.api.list(self.user, &res, ns, &ListOptions { label_selector: labels, field_selector: fields }).unwrap_or_default()
    }

    pub fn get(&self, resource: &str, ns: Option<&str>, name: &str) -> Option<Value> {
        let res = self.api.registry().lookup(resource).cloned()?;
        self.api.get(self.user, &res, ns, name).ok()
    }

    /// The events about an object (`searchEvents`: same namespace, name, kind unless `any_kind`,
    /// and uid when the event records one).
    pub fn events_for(&self, o: &Value, any_kind: bool) -> Vec<Value> {
        let name = o.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
        let ns = o.pointer("/metadata/namespace").and_then(Value::as_str).filter(|n| !n.is_empty());
        let uid = o.pointer("/metadata/uid").and_then(Value::as_str).unwrap_or_default();
        let kind = o.get("kind").and_then(Value::as_str).unwrap_or_default();
        let mut fs = format!("involvedObject.name={name}");
        if let Some(ns) = ns {
            fs.push_str(&format!(",involvedObject.namespace={ns}"));
        }
        if !any_kind {
            fs.push_str(&format!(",involvedObject.kind={kind}"));
        }
        self.list("events", ns, None, Some(fs))
            .into_iter()
            .filter(|e| {
                let euid = e.pointer("/involvedObject/uid").and_then(Value::as_str).unwrap_or_default();
                // The kubelet records node events with the node's name as uid.
                euid.is_empty() || uid.is_empty() || euid == uid || euid == name
            })
            .collect()
    }
}

type Describer = fn(&Env<'_, '_>, &Value) -> String;

/// The describer of a group/kind; the generic one for anything else.
fn describer_for(group: &str, kind: &str) -> Describer {
    match (group, kind) {
        ("", "Pod") => pod::describe,
        ("", "Node") => node::describe,
        ("", "Service") => core::service,
        ("", "ConfigMap") => core::configmap,
        ("", "Secret") => core::secret,
        ("", "Namespace") => core::namespace,
        ("", "ServiceAccount") => core::service_account,
        ("", "ResourceQuota") => core::resource_quota,
        ("", "LimitRange") => core::limit_range,
        ("", "PersistentVolume") => core::persistent_volume,
        ("", "PersistentVolumeClaim") => core::persistent_volume_claim,
        ("", "ReplicationController") => apps::replication_controller,
        ("", "Endpoints") => misc::endpoints,
        ("storage.k8s.io", "StorageClass") => misc::storage_class,
        ("scheduling.k8s.io", "PriorityClass") => misc::priority_class,
        ("policy", "PodDisruptionBudget") => misc::pod_disruption_budget,
        ("autoscaling", "HorizontalPodAutoscaler") => misc::horizontal_pod_autoscaler,
        ("apps", "Deployment") => apps::deployment,
        ("apps", "ReplicaSet") => apps::replica_set,
        ("apps", "DaemonSet") => apps::daemon_set,
        ("apps", "StatefulSet") => apps::stateful_set,
        ("batch", "Job") => apps::job,
        ("batch", "CronJob") => apps::cron_job,
        ("rbac.authorization.k8s.io", "Role" | "ClusterRole") => rbac::role,
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => rbac::binding,
        ("networking.k8s.io", "NetworkPolicy") => networking::network_policy,
        ("networking.k8s.io", "Ingress") => networking::ingress,
        _ => generic::describe,
    }
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let Ok(parsed) = parse_flags(ctx, "describe", DEFS, argv) else { return 1 };
    match run_parsed(ctx, &parsed) {
        Ok(code) => code,
        Err(msg) => {
            ctx.out.err(format!("error: {msg}\n"));
            1
        }
    }
}

fn run_parsed(ctx: &mut Ctx<'_>, parsed: &Parsed) -> Result<i32, String> {
    if parsed.args.is_empty() && parsed.all("filename").is_empty() {
        return Err(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources."
                .into(),
        );
    }
    let all_namespaces = parsed.bool("all-namespaces");
    let label_selector = parsed.get("selector").map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let Ok(conn) = client::connect(ctx, parsed) else { return Ok(1) };
    let now = ctx.world.clock.now;
    let Some(api) = conn.api(ctx.world) else {
        ctx.out.err("The connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
        return Ok(1);
    };
    let registry: Registry = api.registry();
    let resolved = args::resolve(&registry, &parsed.args)?;
    for w in &resolved.warnings {
        ctx.out.err(w);
    }
    let named = resolved.targets.iter().any(|t| !t.names.is_empty());
    if named && label_selector.is_some() {
        return Err("name cannot be provided when a selector is specified".into());
    }
    let scope = Scope { namespace: (!all_namespaces).then(|| conn.namespace.clone()), label_selector, field_selector: None };
    let (fetched, mut errs) = fetch::fetch(&api, &conn.user, &resolved.targets, &scope);
    let mut objects: Vec<(ResourceInfo, Value)> =
        fetched.iter().flat_map(|f| f.objects.iter().map(move |o| (f.res.clone(), Value::clone(o)))).collect();
    // `describe TYPE prefix`: a single missing name falls back to every object whose name starts with it.
    if parsed.args.len() == 2 && !parsed.args[0].contains('/') && errs.len() == 1 && errs[0].reason == Reason::NotFound {
        let prefix = parsed.args[1].clone();
        let listed: Vec<args::Target> =
            resolved.targets.iter().map(|t| args::Target { res: t.res.clone(), names: Vec::new(), namespace: None }).collect();
        let (all, _) = fetch::fetch(&api, &conn.user, &listed, &Scope { label_selector: None, ..scope.clone() });
        let matching: Vec<(ResourceInfo, Value)> = all
            .iter()
            .flat_map(|f| f.objects.iter().map(move |o| (f.res.clone(), Value::clone(o))))
            .filter(|(_, o)| o.pointer("/metadata/name").and_then(Value::as_str).is_some_and(|n| n.starts_with(&prefix)))
            .collect();
        if !matching.is_empty() {
            errs.clear();
            objects = matching;
        }
    }
    let env = Env { api: &api, user: &conn.user, now, show_events: parsed.get("show-events").is_none_or(|v| v != "false") };
    let mut first = true;
    for (res, o) in &objects {
        if !first {
            ctx.out.out("\n\n");
        }
        first = false;
        let mut obj = o.clone();
        if obj.get("kind").is_none() {
            obj["kind"] = Value::String(res.kind.clone());
        }
        ctx.out.out(describer_for(&res.group, &res.kind)(&env, &obj));
    }
    if objects.is_empty() && errs.is_empty() {
        if all_namespaces {
            ctx.out.err("No resources found\n");
        } else {
            ctx.out.err(format!("No resources found in {} namespace.\n", conn.namespace));
        }
    }
    let code = i32::from(!errs.is_empty());
    print_errors(ctx, &errs);
    Ok(code)
}

fn print_errors(ctx: &mut Ctx<'_>, errs: &[Status]) {
    for e in errs {
        ctx.out.err(errors::from_server(e));
    }
}
