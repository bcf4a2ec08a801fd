//! `kubectl create role NAME --verb=… --resource=… [--resource-name=…]`: one rule per API
//! group, resources resolved (short names, kinds) against the server's discovery.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::common::{self, Failure};
use crate::cluster::Registry;
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind, Parsed};

pub const FLAGS: &[FlagDef] = &[
    FlagDef::new("resource", None, FlagKind::StringSlice),
    FlagDef::new("resource-name", None, FlagKind::StringArray),
    FlagDef::new("verb", None, FlagKind::StringSlice),
];

const RESOURCE_VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create role", FLAGS, &[], |ctx, req| {
        let spec = RuleSpec::from_flags(req.parsed);
        if spec.verbs.is_empty() {
            return Err(Failure::plain("at least one verb must be specified"));
        }
        spec.warn_verbs(ctx);
        if spec.resources.is_empty() {
            return Err(Failure::plain("at least one resource must be specified"));
        }
        spec.validate_resources()?;
        Ok(vec![json!({
            "kind": "Role",
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "metadata": {"name": req.name},
            "rules": spec.rules(),
        })])
    })
}

/// One `--resource` value: `resource[.group][/subresource]`.
#[derive(Debug, Clone)]
pub struct ResourceSpec {
    pub resource: String,
    pub group: String,
    pub subresource: String,
}

/// The verbs, resources, names and URLs a role's rules are built from.
#[derive(Debug, Clone, Default)]
pub struct RuleSpec {
    pub verbs: Vec<String>,
    pub resources: Vec<ResourceSpec>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

impl RuleSpec {
    pub fn from_flags(p: &Parsed) -> Self {
        let mut resources = Vec::new();
        for r in p.all("resource") {
            let (main, sub) = r.split_once('/').map_or((r.as_str(), ""), |(a, b)| (a, b));
            let (resource, group) = main.split_once('.').map_or((main, ""), |(a, b)| (a, b));
            let spec = ResourceSpec { resource: resource.to_string(), group: group.to_string(), subresource: sub.to_string() };
            if resource == "*" && group.is_empty() && sub.is_empty() && !r.contains('.') {
                resources = vec![spec];
                break;
            }
            resources.push(spec);
        }
        RuleSpec { verbs: p.all("verb"), resources, resource_names: p.all("resource-name"), non_resource_urls: p.all("non-resource-url") }
    }

    /// kubectl v1.35 accepts unknown verbs with a warning.
    pub fn warn_verbs(&self, ctx: &mut Ctx<'_>) {
        for v in &self.verbs {
            if !RESOURCE_VERBS.contains(&v.as_str()) {
                ctx.out.err(format!("Warning: '{v}' is not a standard resource verb\n"));
            }
        }
    }

    pub fn validate_resources(&self) -> Result<(), Failure> {
        for r in &self.resources {
            if r.resource.is_empty() {
                return Err(Failure::plain("resource must be specified if apiGroup/subresource specified"));
            }
            if r.resource == "*" {
                return Ok(());
            }
            let resolved = resolve(r);
            for v in &self.verbs {
                if let Some(allowed) = special_verb(v) {
                    let (name, group) = resolved.clone().unwrap_or_else(|| (r.resource.clone(), r.group.clone()));
                    if !allowed.iter().any(|(res, g)| *res == name && *g == group) {
                        return Err(Failure::plain(format!("can not perform '{v}' on '{name}' in group '{group}'")));
                    }
                }
            }
            if resolved.is_none() && special_verb_any(&self.verbs).is_none() {
                // kubectl's CheckErr renders the REST mapper's NoResourceMatchError without the
                // `error: ` prefix (checked against the real kubectl with kubectl-stub).
                let msg = if r.group.is_empty() {
                    format!("the server doesn't have a resource type \"{}\"\n", r.resource)
                } else {
                    format!("the server doesn't have a resource type \"{}\" in group \"{}\"\n", r.resource, r.group)
                };
                return Err(Failure(msg));
            }
        }
        Ok(())
    }

    /// One rule per API group (sorted), then one for the non-resource URLs.
    pub fn rules(&self) -> Value {
        let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &self.resources {
            let (mut name, group) = resolve(r).unwrap_or_else(|| (r.resource.clone(), r.group.clone()));
            if !r.subresource.is_empty() {
                name = format!("{name}/{}", r.subresource);
            }
            let list = by_group.entry(group).or_default();
            if !list.contains(&name) {
                list.push(name);
            }
        }
        let mut rules = Vec::new();
        for (group, resources) in by_group {
            let mut rule = Map::new();
            rule.insert("verbs".into(), json!(self.verbs));
            rule.insert("apiGroups".into(), json!([group]));
            rule.insert("resources".into(), json!(resources));
            if !self.resource_names.is_empty() {
                rule.insert("resourceNames".into(), json!(self.resource_names));
            }
            rules.push(Value::Object(rule));
        }
        if !self.non_resource_urls.is_empty() {
            rules.push(json!({"verbs": self.verbs, "nonResourceURLs": self.non_resource_urls}));
        }
        Value::Array(rules)
    }
}

/// The plural name and group discovery gives for a resource (`deploy` → `deployments`, `apps`).
fn resolve(r: &ResourceSpec) -> Option<(String, String)> {
    let text = if r.group.is_empty() { r.resource.clone() } else { format!("{}.{}", r.resource, r.group) };
    Registry::builtin().lookup(&text).map(|info| (info.name.clone(), info.group.clone()))
}

/// Verbs that only make sense on particular resources.
fn special_verb(verb: &str) -> Option<&'static [(&'static str, &'static str)]> {
    match verb {
        "use" => Some(&[("podsecuritypolicies", "policy"), ("podsecuritypolicies", "extensions")]),
        "bind" | "escalate" => Some(&[("roles", "rbac.authorization.k8s.io"), ("clusterroles", "rbac.authorization.k8s.io")]),
        "impersonate" => Some(&[
            ("users", ""),
            ("serviceaccounts", ""),
            ("groups", ""),
            ("userextras", "authentication.k8s.io"),
            ("uids", "authentication.k8s.io"),
        ]),
        _ => None,
    }
}

fn special_verb_any(verbs: &[String]) -> Option<&'static [(&'static str, &'static str)]> {
    verbs.iter().find_map(|v| special_verb(v))
}
