//! `kubectl auth can-i` and `kubectl auth whoami`: questions to the cluster's authorizer
//! (`Api::authorize`, `Api::rules_for`) and authenticator, worded and laid out as kubectl
//! v1.35.2 prints the SelfSubjectAccessReview / SelfSubjectRulesReview / SelfSubjectReview
//! answers (captured against the stub).

use serde_json::{Map, Value, json};

use super::client::{self, identity};
use super::flags::{FlagDef, Parsed};
use crate::cluster::{Attributes, Decision, RuleSummary};
use crate::programs::Ctx;

const CAN_I_FLAGS: &[FlagDef] = &[
    FlagDef::bool("all-namespaces").short('A'),
    FlagDef::bool("list"),
    FlagDef::bool("no-headers"),
    FlagDef::bool("quiet").short('q'),
    FlagDef::string("subresource"),
];

const WHOAMI_FLAGS: &[FlagDef] = &[FlagDef::string("output").short('o')];

/// The verbs kubectl knows for resources and for non-resource URLs; others get a warning.
const RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];
const NON_RESOURCE_VERBS: &[&str] = &["get", "put", "post", "head", "options", "delete", "patch", "*"];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Some(pos) = super::verb_position(args) else {
        ctx.out.err(
            "Look into authorization: whether an action is allowed (can-i) and who you are (whoami).\n\n\
             Available Commands:\n  can-i         Check whether an action is allowed\n  reconcile     Reconcile RBAC roles and bindings from a file\n  whoami        Show the attributes of the current user\n\n\
             Usage:\n  kubectl auth [flags] [options]\n\nUse \"kubectl auth <command> --help\" for more information about a given command.\n",
        );
        return 1;
    };
    let rest: Vec<String> = args[..pos].iter().chain(&args[pos + 1..]).cloned().collect();
    match args[pos].as_str() {
        "can-i" => can_i(ctx, &rest),
        "whoami" => whoami(ctx, &rest),
        "reconcile" => {
            ctx.out.err("error: kubectl auth reconcile is not available in this simulation\n");
            1
        }
        other => {
            ctx.out.err(format!("error: unknown command \"{other}\"\nSee 'kubectl auth -h' for help and examples\n"));
            1
        }
    }
}

fn can_i(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let flags = match super::config::parse_or_help(
        ctx,
        "auth can-i",
        CAN_I_FLAGS,
        args,
        "Ask whether you may do VERB on TYPE, TYPE/NAME or a non-resource URL; prints yes (exit 0) or no (exit 1).\n\nUsage:\n  kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]",
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if flags.bool("list") {
        if !flags.args.is_empty() {
            ctx.out.err("error: list option must be specified with no arguments\n");
            return 1;
        }
        return can_i_list(ctx, &flags);
    }
    if flags.args.len() != 2 {
        ctx.out.err("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n");
        return 1;
    }
    let verb = flags.args[0].clone();
    let target = flags.args[1].clone();
    let non_resource = target.starts_with('/');
    let known = if non_resource { NON_RESOURCE_VERBS } else { RESOURCE_VERBS };
    let verb_warning =
        if known.contains(&verb.as_str()) { String::new() } else { format!("Warning: verb '{verb}' is not a known verb\n\n") };
    let (type_text, name) = match target.split_once('/') {
        Some((t, n)) if !non_resource => (t.to_string(), n.to_string()),
        _ => (target.clone(), String::new()),
    };
    let resolved = match client::resolve_direct(ctx, &flags) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let conn = match client::try_connect(ctx, &resolved) {
        Ok(c) => c,
        Err(failure) => {
            // Discovery fails first (two attempts), so the type is unknown, then the review fails.
            let (noise, message) = client::failure_parts(ctx, &resolved.endpoint, &failure, 2);
            ctx.out.err(noise);
            if !non_resource && !client::has_discovery_cache(ctx, &resolved.endpoint) {
                ctx.out.err(unknown_type_warning(&type_text));
            }
            ctx.out.err(verb_warning);
            ctx.out.err(message);
            return 1;
        }
    };
    let all = flags.bool("all-namespaces");
    let namespace = if all { String::new() } else { conn.namespace.clone() };
    let Some(api) = conn.api(ctx.world) else { return 1 };
    let mut attrs = Attributes { verb: verb.clone(), namespace: namespace.clone(), ..Attributes::default() };
    let mut warnings = String::new();
    if non_resource {
        attrs.path = Some(target.clone());
        attrs.namespace = String::new();
    } else {
        let registry = api.registry();
        match registry.lookup(&type_text) {
            Some(res) => {
                attrs.resource = res.name.clone();
                attrs.group = res.group.clone();
                if !res.namespaced && !all {
                    warnings.push_str(&format!("Warning: resource '{}' is not namespace scoped\n\n", res.name));
                }
            }
            None => {
                warnings.push_str(&unknown_type_warning(&type_text));
                let (res, group) = type_text.split_once('.').unwrap_or((&type_text, ""));
                attrs.resource = res.to_string();
                attrs.group = group.to_string();
            }
        }
        attrs.name = name;
        attrs.subresource = flags.string("subresource", "");
    }
    let decision = api.authorize(&conn.user, &attrs);
    ctx.out.err(warnings);
    ctx.out.err(verb_warning);
    let quiet = flags.bool("quiet");
    match decision {
        Decision::Allow => {
            if !quiet {
                ctx.out.out("yes\n");
            }
            0
        }
        Decision::Deny(reason) => {
            if !quiet {
                ctx.out.out(if reason.is_empty() { "no\n".to_string() } else { format!("no - {reason}\n") });
            }
            1
        }
    }
}

fn unknown_type_warning(type_text: &str) -> String {
    match type_text.split_once('.') {
        Some((res, group)) => format!("Warning: the server doesn't have a resource type '{res}' in group '{group}'\n\n"),
        None => format!("Warning: the server doesn't have a resource type '{type_text}'\n\n"),
    }
}

/// One row of the `--list` table after kubectl's breakdown and compaction of the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    verbs: Vec<String>,
    group: Option<String>,
    resource: Option<String>,
    resource_name: Option<String>,
    url: Option<String>,
}

impl Row {
    /// The key kubectl sorts by: the generated `String()` of an rbac/v1 PolicyRule.
    fn sort_key(&self) -> String {
        let list = |v: Option<&String>| format!("[{}]", v.map_or("", String::as_str));
        format!(
            "&PolicyRule{{Verbs:[{}],APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            self.verbs.join(" "),
            list(self.group.as_ref()),
            list(self.resource.as_ref()),
            list(self.resource_name.as_ref()),
            list(self.url.as_ref())
        )
    }
}

/// Splits rules into one row per group/resource/name or URL, then merges the verbs of simple
/// resource rows (one group, one resource, no names) for the same resource (rbac's
/// `BreakdownRule` and `CompactRules`). Other rows stay as they are, duplicates included, which
/// is why real `--list` output can show `[/healthz]` twice.
fn compact(rules: &[RuleSummary]) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut push = |row: Row| {
        let simple = row.url.is_none() && row.resource_name.is_none();
        if let Some(existing) = rows
            .iter_mut()
            .find(|r| simple && r.url.is_none() && r.resource_name.is_none() && r.group == row.group && r.resource == row.resource)
        {
            for v in row.verbs {
                if !existing.verbs.contains(&v) {
                    existing.verbs.push(v);
                }
            }
        } else {
            rows.push(row);
        }
    };
    for rule in rules {
        for url in &rule.non_resource_urls {
            push(Row { verbs: rule.verbs.clone(), group: None, resource: None, resource_name: None, url: Some(url.clone()) });
        }
        for group in &rule.api_groups {
            for res in &rule.resources {
                if rule.resource_names.is_empty() {
                    push(Row {
                        verbs: rule.verbs.clone(),
                        group: Some(group.clone()),
                        resource: Some(res.clone()),
                        resource_name: None,
                        url: None,
                    });
                }
                for name in &rule.resource_names {
                    push(Row {
                        verbs: rule.verbs.clone(),
                        group: Some(group.clone()),
                        resource: Some(res.clone()),
                        resource_name: Some(name.clone()),
                        url: None,
                    });
                }
            }
        }
    }
    rows.sort_by_key(Row::sort_key);
    rows
}

fn can_i_list(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    let conn = match client::connect_direct(ctx, flags, 0) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let namespace = if flags.bool("all-namespaces") { String::new() } else { conn.namespace.clone() };
    let Some(api) = conn.api(ctx.world) else { return 1 };
    let rules = api.rules_for(&conn.user, &namespace);
    let mut table: Vec<Vec<String>> = Vec::new();
    if !flags.bool("no-headers") {
        table.push(["Resources", "Non-Resource URLs", "Resource Names", "Verbs"].map(str::to_string).to_vec());
    }
    let bracket = |v: &Option<String>| format!("[{}]", v.as_deref().unwrap_or(""));
    for row in compact(&rules) {
        let resource = match (&row.resource, &row.group) {
            (Some(r), Some(g)) if g.is_empty() => r.clone(),
            (Some(r), Some(g)) => format!("{r}.{g}"),
            _ => String::new(),
        };
        table.push(vec![resource, bracket(&row.url), bracket(&row.resource_name), format!("[{}]", row.verbs.join(" "))]);
    }
    ctx.out.out(super::api_resources::tabwrite(&table));
    0
}

fn whoami(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let flags = match super::config::parse_or_help(
        ctx,
        "auth whoami",
        WHOAMI_FLAGS,
        args,
        "Show the user name, groups and extra attributes the API server sees for you.\n\nUsage:\n  kubectl auth whoami [options]",
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let output = flags.string("output", "");
    let format = match super::printers::OutputFormat::parse(&output) {
        Ok(super::printers::OutputFormat::Wide | super::printers::OutputFormat::CustomColumns(_)) => {
            ctx.out.err(format!("error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml\n"));
            return 1;
        }
        Ok(f) => f,
        Err(e) => {
            ctx.out.err(format!("error: {e}\n"));
            return 1;
        }
    };
    let resolved = match client::resolve_direct(ctx, &flags) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let who = client::reach(ctx, &resolved).and_then(|cluster| {
        let id = identity::authenticate_identity(ctx, &resolved, &cluster)?;
        Ok(id)
    });
    let id = match who {
        Ok(id) => id,
        Err(failure) => {
            client::print_failure(ctx, &resolved.endpoint, &failure, 0);
            return 1;
        }
    };
    if format == super::printers::OutputFormat::Default {
        let mut rows = vec![vec!["ATTRIBUTE".to_string(), "VALUE".to_string()], vec!["Username".to_string(), id.user.name.clone()]];
        if !id.uid.is_empty() {
            rows.push(vec!["UID".to_string(), id.uid.clone()]);
        }
        if !id.user.groups.is_empty() {
            rows.push(vec!["Groups".to_string(), format!("[{}]", id.user.groups.join(" "))]);
        }
        for (k, v) in &id.extra {
            rows.push(vec![format!("Extra: {k}"), format!("[{}]", v.join(" "))]);
        }
        ctx.out.out(super::api_resources::tabwrite(&rows));
        return 0;
    }
    let mut info = Map::new();
    info.insert("username".into(), json!(id.user.name));
    if !id.uid.is_empty() {
        info.insert("uid".into(), json!(id.uid));
    }
    if !id.user.groups.is_empty() {
        info.insert("groups".into(), json!(id.user.groups));
    }
    if !id.extra.is_empty() {
        info.insert("extra".into(), json!(id.extra));
    }
    let review = json!({"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1", "metadata": {}, "status": {"userInfo": Value::Object(info)}});
    if format == super::printers::OutputFormat::Yaml {
        ctx.out.out(super::kubeconfig::render_yaml(&review));
        return 0;
    }
    match super::printers::print(ctx.out, &review, &format, super::printers::KeyOrder::AsBuilt) {
        Ok(()) => 0,
        Err(e) => {
            ctx.out.err(format!("error: {e}\n"));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(verbs: &[&str], groups: &[&str], resources: &[&str], names: &[&str], urls: &[&str]) -> RuleSummary {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
        RuleSummary {
            verbs: v(verbs),
            api_groups: v(groups),
            resources: v(resources),
            resource_names: v(names),
            non_resource_urls: v(urls),
        }
    }

    /// The order the real kubectl v1.35.2 printed for these rules (captured against the stub).
    #[test]
    fn list_rows_sort_like_kubectl() {
        let rules = vec![
            rule(&["create"], &["authorization.k8s.io"], &["selfsubjectaccessreviews", "selfsubjectrulesreviews"], &[], &[]),
            rule(&["get", "list", "watch"], &[""], &["pods", "pods/log"], &[], &[]),
            rule(&["get"], &["apps"], &["deployments"], &["web", "api"], &[]),
            rule(&["*"], &["*"], &["*"], &[], &[]),
            rule(&["create"], &["authentication.k8s.io"], &["selfsubjectreviews"], &[], &[]),
            rule(&["get"], &[], &[], &[], &["/healthz", "/livez"]),
            rule(&["*"], &[], &[], &[], &["*"]),
            rule(&["get"], &[], &[], &[], &["/api", "/api/*"]),
            rule(&["get"], &[], &[], &[], &["/healthz"]),
            rule(&["watch"], &[""], &["pods"], &[], &[]),
        ];
        let order: Vec<String> = compact(&rules)
            .iter()
            .map(|r| {
                format!(
                    "{}{}{}",
                    r.resource.clone().unwrap_or_default(),
                    r.url.clone().unwrap_or_default(),
                    r.resource_name.clone().unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(
            order,
            [
                "*",
                "*",
                "selfsubjectreviews",
                "selfsubjectaccessreviews",
                "selfsubjectrulesreviews",
                "pods/log",
                "pods",
                "/api/*",
                "/api",
                "/healthz",
                "/healthz",
                "/livez",
                "deploymentsapi",
                "deploymentsweb"
            ]
        );
    }
}
