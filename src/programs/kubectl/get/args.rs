//! Resource arguments as kubectl's resource builder reads them: `TYPE[,TYPE…] [NAME…]`,
//! `TYPE/NAME…`, the `all` category, short names (with the `ev` ambiguity warning) and the
//! builder's usage errors.

use crate::cluster::{Registry, ResourceInfo};

/// One thing to fetch: a resource and the names asked for (empty: list them all).
#[derive(Debug, Clone)]
pub struct Target {
    pub res: ResourceInfo,
    pub names: Vec<String>,
    /// The namespace to use instead of the command's (objects read from `-f` files name their own).
    pub namespace: Option<String>,
}

/// What resolving the arguments gives.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub targets: Vec<Target>,
    /// Warnings kubectl prints to stderr while resolving (`Warning: short name "ev" …`).
    pub warnings: Vec<String>,
    /// Exactly one named object was asked for (`get pod x`, `get pod/x`): print it alone, not as a List.
    pub single_item: bool,
}

/// The resources `all` stands for, in the order kubectl lists them.
pub const ALL: &[&str] = &[
    "pods",
    "replicationcontrollers",
    "services",
    "daemonsets.apps",
    "deployments.apps",
    "replicasets.apps",
    "statefulsets.apps",
    "horizontalpodautoscalers.autoscaling",
    "cronjobs.batch",
    "jobs.batch",
];

/// Resolves one resource word (`po`, `deploy.apps`, `all`) to resources; the error is kubectl's
/// whole message without `error: `.
pub fn resolve_type(reg: &Registry, word: &str, warnings: &mut Vec<String>) -> Result<Vec<ResourceInfo>, String> {
    if word == "all" {
        return Ok(ALL.iter().filter_map(|w| reg.lookup(w).cloned()).collect());
    }
    let Some(res) = reg.lookup(word) else {
        return Err(format!("the server doesn't have a resource type \"{word}\""));
    };
    let lower = word.to_lowercase();
    if res.short_names.contains(&lower) {
        // Other groups that also use this short name (their preferred versions only).
        let mut others: Vec<String> = Vec::new();
        for r in &reg.resources {
            let preferred = reg.groups.iter().any(|g| g.name == r.group && g.preferred == r.version);
            if r.group != res.group && preferred && !r.is_subresource() && r.short_names.contains(&lower) {
                let q = r.qualified_name();
                if !others.contains(&q) {
                    others.push(q);
                }
            }
        }
        for q in others {
            warnings.push(format!("Warning: short name \"{lower}\" could also match lower priority resource {q}\n"));
        }
    }
    Ok(vec![res.clone()])
}

/// Resolves positional arguments.
pub fn resolve(reg: &Registry, args: &[String]) -> Result<Resolved, String> {
    let mut out = Resolved::default();
    if args.iter().any(|a| a.contains('/')) {
        for a in args {
            let Some((ty, name)) = a.split_once('/') else {
                return Err("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            if name.is_empty() {
                return Err("arguments in resource/name form must have a single resource and name".into());
            }
            for res in resolve_type(reg, ty, &mut out.warnings)? {
                match out.targets.last_mut() {
                    Some(t) if t.res == res => t.names.push(name.to_string()),
                    _ => out.targets.push(Target { res, names: vec![name.to_string()], namespace: None }),
                }
            }
        }
        out.single_item = args.len() == 1;
        return Ok(out);
    }
    let Some((types, names)) = args.split_first() else { return Ok(out) };
    for word in types.split(',').filter(|w| !w.is_empty()) {
        for res in resolve_type(reg, word, &mut out.warnings)? {
            out.targets.push(Target { res, names: names.to_vec(), namespace: None });
        }
    }
    out.single_item = names.len() == 1 && out.targets.len() == 1;
    Ok(out)
}
