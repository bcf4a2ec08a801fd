//! The RBAC authorizer (`plugin/pkg/auth/authorizer/rbac`): a request is allowed when some rule of
//! a role bound to the user (directly, through a group, or as a service account) covers it.
//! `system:masters` bypasses authorization as the real API server's privileged group does.
//! Aggregated ClusterRoles (`aggregationRule`) are evaluated from the roles they select, so a
//! learner's `aggregate-to-view` role takes effect at once.

pub mod bootstrap;

use serde_json::Value;

use super::api::{Attributes, Decision, RuleSummary, UserInfo};
use super::{Registry, ResourceInfo, Status, Store};

/// One `PolicyRule`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default()
}

fn parse_rules(role: &Value) -> Vec<Rule> {
    role.get("rules")
        .and_then(Value::as_array)
        .map(|rs| {
            rs.iter()
                .map(|r| Rule {
                    verbs: strings(r.get("verbs")),
                    api_groups: strings(r.get("apiGroups")),
                    resources: strings(r.get("resources")),
                    resource_names: strings(r.get("resourceNames")),
                    non_resource_urls: strings(r.get("nonResourceURLs")),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn res(name: &str) -> Option<&'static ResourceInfo> {
    Registry::builtin_resource(name)
}

/// The rules of a ClusterRole, aggregated from the roles its `aggregationRule` selects.
pub fn cluster_role_rules(store: &Store, role: &Value) -> Vec<Rule> {
    let Some(selectors) = role.pointer("/aggregationRule/clusterRoleSelectors").and_then(Value::as_array) else {
        return parse_rules(role);
    };
    let Some(cr) = res("clusterroles") else { return Vec::new() };
    let mut out: Vec<Rule> = Vec::new();
    let self_name = role.pointer("/metadata/name");
    for other in store.list(cr, None) {
        // An aggregated role counts with its own (already aggregated) rules: `view` carries
        // `aggregate-to-edit`, so `edit` holds everything `view` holds.
        if other.pointer("/metadata/name") == self_name {
            continue;
        }
        let labels = other.pointer("/metadata/labels").cloned().unwrap_or(Value::Null);
        if selectors.iter().any(|s| super::kinds::template::selector_matches(s, &labels)) {
            for r in parse_rules(other) {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
    out
}

/// Whether a ClusterRole takes part in aggregation (it aggregates, or carries an
/// `aggregate-to-*` label), so that only such writes re-run the aggregation.
pub fn affects_aggregation(role: &Value) -> bool {
    role.get("aggregationRule").is_some()
        || role
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .is_some_and(|l| l.keys().any(|k| k.starts_with("rbac.authorization.k8s.io/aggregate-to-")))
}

/// Writes the aggregated rules into every aggregating ClusterRole (the clusterrole-aggregation
/// controller's job), so `get clusterrole view -o yaml` shows them.
pub fn aggregate(store: &mut Store) {
    // The controller re-syncs a role whenever a role it selects changes, so aggregation is
    // transitive (view → edit → admin); passes until nothing changes, bounded.
    for _ in 0..8 {
        if !aggregate_pass(store) {
            break;
        }
    }
}

/// One pass over the aggregating roles; whether any of them changed.
fn aggregate_pass(store: &mut Store) -> bool {
    let Some(cr) = res("clusterroles") else { return false };
    let mut any = false;
    let aggregating: Vec<(String, Value)> = store
        .list(cr, None)
        .filter(|r| r.get("aggregationRule").is_some())
        .map(|r| {
            let name = r.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
            let rules: Vec<Value> = cluster_role_rules(store, r).iter().map(rule_json).collect();
            (name, Value::Array(rules))
        })
        .collect();
    for (name, rules) in aggregating {
        let changed = store.get(cr, "", &name).is_some_and(|o| o.get("rules") != Some(&rules));
        if changed && let Some(mut obj) = store.get(cr, "", &name).cloned() {
            obj["rules"] = rules;
            store.put(cr, "", &name, obj);
            any = true;
        }
    }
    any
}

fn rule_json(r: &Rule) -> Value {
    let mut m = serde_json::Map::new();
    if !r.api_groups.is_empty() || r.non_resource_urls.is_empty() {
        m.insert("apiGroups".into(), r.api_groups.clone().into());
    }
    if !r.non_resource_urls.is_empty() {
        m.insert("nonResourceURLs".into(), r.non_resource_urls.clone().into());
    }
    if !r.resource_names.is_empty() {
        m.insert("resourceNames".into(), r.resource_names.clone().into());
    }
    if !r.resources.is_empty() {
        m.insert("resources".into(), r.resources.clone().into());
    }
    m.insert("verbs".into(), r.verbs.clone().into());
    Value::Object(m)
}

fn subject_matches(subject: &Value, user: &UserInfo, binding_ns: &str) -> bool {
    let kind = subject.get("kind").and_then(Value::as_str).unwrap_or_default();
    let name = subject.get("name").and_then(Value::as_str).unwrap_or_default();
    match kind {
        "User" => user.name == name,
        "Group" => user.groups.iter().any(|g| g == name),
        "ServiceAccount" => {
            let ns = subject.get("namespace").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or(binding_ns);
            user.name == format!("system:serviceaccount:{ns}:{name}")
        }
        _ => false,
    }
}

fn binds(binding: &Value, user: &UserInfo) -> bool {
    let ns = binding.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or_default();
    binding.get("subjects").and_then(Value::as_array).is_some_and(|ss| ss.iter().any(|s| subject_matches(s, user, ns)))
}

/// The rules that apply to `user` in `namespace` (cluster-wide bindings included); an empty
/// namespace gives only the cluster-wide ones.
pub fn rules(store: &Store, user: &UserInfo, namespace: &str) -> Vec<Rule> {
    let mut out = Vec::new();
    let (Some(crb), Some(rb), Some(cr), Some(role)) = (res("clusterrolebindings"), res("rolebindings"), res("clusterroles"), res("roles"))
    else {
        return out;
    };
    for b in store.list(crb, None).filter(|b| binds(b, user)) {
        let name = b.pointer("/roleRef/name").and_then(Value::as_str).unwrap_or_default();
        if let Some(r) = store.get(cr, "", name) {
            out.extend(cluster_role_rules(store, r));
        }
    }
    if user.groups.iter().any(|g| g == "system:nodes")
        && let Some(r) = store.get(cr, "", "system:node")
    {
        // The Node authorizer grants kubelets what the system:node role lists.
        out.extend(parse_rules(r));
    }
    if !namespace.is_empty() {
        for b in store.list(rb, Some(namespace)).filter(|b| binds(b, user)) {
            let name = b.pointer("/roleRef/name").and_then(Value::as_str).unwrap_or_default();
            match b.pointer("/roleRef/kind").and_then(Value::as_str) {
                Some("ClusterRole") => {
                    if let Some(r) = store.get(cr, "", name) {
                        out.extend(cluster_role_rules(store, r));
                    }
                }
                _ => {
                    if let Some(r) = store.get(role, namespace, name) {
                        out.extend(parse_rules(r));
                    }
                }
            }
        }
    }
    out
}

fn verb_matches(rule: &Rule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == "*" || v == verb)
}

/// Whether `rule` covers the resource request `attrs`.
pub fn rule_allows(rule: &Rule, attrs: &Attributes) -> bool {
    if let Some(path) = &attrs.path {
        return verb_matches(rule, &attrs.verb)
            && rule.non_resource_urls.iter().any(|u| u == "*" || u == path || u.strip_suffix('*').is_some_and(|p| path.starts_with(p)));
    }
    if !verb_matches(rule, &attrs.verb) || !rule.api_groups.iter().any(|g| g == "*" || *g == attrs.group) {
        return false;
    }
    let combined = if attrs.subresource.is_empty() { attrs.resource.clone() } else { format!("{}/{}", attrs.resource, attrs.subresource) };
    let resource_ok = rule.resources.iter().any(|r| {
        r == "*"
            || *r == combined
            || (!attrs.subresource.is_empty() && *r == format!("*/{}", attrs.subresource))
            || (r.ends_with("/*") && !attrs.subresource.is_empty() && r.trim_end_matches("/*") == attrs.resource)
    });
    resource_ok && (rule.resource_names.is_empty() || (!attrs.name.is_empty() && rule.resource_names.contains(&attrs.name)))
}

pub fn authorize(store: &Store, user: &UserInfo, attrs: &Attributes) -> Decision {
    if user.groups.iter().any(|g| g == "system:masters") {
        return Decision::Allow;
    }
    if rules(store, user, &attrs.namespace).iter().any(|r| rule_allows(r, attrs)) { Decision::Allow } else { Decision::Deny(String::new()) }
}

pub fn summaries(store: &Store, user: &UserInfo, namespace: &str) -> Vec<RuleSummary> {
    if user.groups.iter().any(|g| g == "system:masters") {
        return vec![
            RuleSummary { verbs: vec!["*".into()], api_groups: vec!["*".into()], resources: vec!["*".into()], ..Default::default() },
            RuleSummary { verbs: vec!["*".into()], non_resource_urls: vec!["*".into()], ..Default::default() },
        ];
    }
    rules(store, user, namespace)
        .into_iter()
        .map(|r| RuleSummary {
            verbs: r.verbs,
            api_groups: r.api_groups,
            resources: r.resources,
            resource_names: r.resource_names,
            non_resource_urls: r.non_resource_urls,
        })
        .collect()
}

/// The Forbidden status for a denied request, worded as `responsewriters.forbiddenMessage`.
pub fn forbidden(user: &UserInfo, attrs: &Attributes, reason: &str) -> Status {
    if let Some(path) = &attrs.path {
        let mut msg = format!("forbidden: User \"{}\" cannot {} path \"{path}\"", user.name, attrs.verb);
        if !reason.is_empty() {
            msg.push_str(&format!(": {reason}"));
        }
        return Status::new(super::Reason::Forbidden, msg);
    }
    let resource = if attrs.subresource.is_empty() { attrs.resource.clone() } else { format!("{}/{}", attrs.resource, attrs.subresource) };
    let scope =
        if attrs.namespace.is_empty() { "at the cluster scope".to_string() } else { format!("in the namespace \"{}\"", attrs.namespace) };
    let mut detail =
        format!("User \"{}\" cannot {} resource \"{resource}\" in API group \"{}\" {scope}", user.name, attrs.verb, attrs.group);
    if !reason.is_empty() {
        detail.push_str(&format!(": {reason}"));
    }
    let info = ResourceInfo {
        name: attrs.resource.clone(),
        singular: String::new(),
        namespaced: !attrs.namespace.is_empty(),
        group: attrs.group.clone(),
        version: String::new(),
        kind: String::new(),
        verbs: Vec::new(),
        short_names: Vec::new(),
        categories: Vec::new(),
    };
    Status::forbidden(&info, &attrs.name, &detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(verb: &str, group: &str, resource: &str, sub: &str, ns: &str, name: &str) -> Attributes {
        Attributes {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            subresource: sub.into(),
            namespace: ns.into(),
            name: name.into(),
            path: None,
        }
    }

    #[test]
    fn rule_matching() {
        let r = Rule { verbs: vec!["get".into()], api_groups: vec!["".into()], resources: vec!["pods/log".into()], ..Default::default() };
        assert!(rule_allows(&r, &attrs("get", "", "pods", "log", "default", "web")));
        assert!(!rule_allows(&r, &attrs("get", "", "pods", "", "default", "web")));
        let named = Rule {
            verbs: vec!["*".into()],
            api_groups: vec!["apps".into()],
            resources: vec!["deployments".into()],
            resource_names: vec!["web".into()],
            ..Default::default()
        };
        assert!(rule_allows(&named, &attrs("update", "apps", "deployments", "", "d", "web")));
        assert!(!rule_allows(&named, &attrs("list", "apps", "deployments", "", "d", "")));
        let nr = Rule { verbs: vec!["get".into()], non_resource_urls: vec!["/healthz/*".into()], ..Default::default() };
        let mut a = attrs("get", "", "", "", "", "");
        a.path = Some("/healthz/etcd".into());
        assert!(rule_allows(&nr, &a));
    }

    #[test]
    fn forbidden_texts() {
        // Cases A38-A43 of the error catalogue (responsewriters.forbiddenMessage).
        let jane = UserInfo { name: "jane".into(), groups: vec!["system:authenticated".into()] };
        assert_eq!(
            forbidden(&jane, &attrs("list", "", "pods", "", "default", ""), "").message,
            "pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""
        );
        assert_eq!(
            forbidden(&jane, &attrs("list", "", "nodes", "", "", ""), "").message,
            "nodes is forbidden: User \"jane\" cannot list resource \"nodes\" in API group \"\" at the cluster scope"
        );
        assert_eq!(
            forbidden(&jane, &attrs("get", "", "pods", "log", "default", "web"), "").message,
            "pods \"web\" is forbidden: User \"jane\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"default\""
        );
        assert_eq!(
            forbidden(&jane, &attrs("create", "apps", "deployments", "", "default", ""), "").message,
            "deployments.apps is forbidden: User \"jane\" cannot create resource \"deployments\" in API group \"apps\" in the namespace \"default\""
        );
    }
}
