//! Roles and ClusterRoles: `ValidatePolicyRule` (verbs required, resource rules need API groups,
//! namespaced rules cannot name non-resource URLs).
//! RoleBindings and ClusterRoleBindings: subjects' `apiGroup` defaults (`rbac.authorization.k8s.io`
//! for User and Group), roleRef required and immutable (`cannot change roleRef`).

use serde_json::{Map, Value, json};

use super::super::Cause;
use super::super::validation::{self as v, NameRule};
use super::{BASE, Strategy, each_in};

pub const BINDING_STRATEGY: Strategy = Strategy { name_rule: NameRule::PathSegment, default, validate, validate_update, ..BASE };

pub const ROLE_STRATEGY: Strategy = Strategy { name_rule: NameRule::PathSegment, validate: validate_role, ..BASE };

fn validate_role(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    let namespaced = obj.get("kind").and_then(Value::as_str) == Some("Role");
    let Some(rules) = obj.get("rules").and_then(Value::as_array) else { return out };
    for (i, r) in rules.iter().enumerate() {
        let f = format!("rules[{i}]");
        let len = |k: &str| r.get(k).and_then(Value::as_array).map_or(0, Vec::len);
        if len("verbs") == 0 {
            out.push(v::required(&format!("{f}.verbs"), "verbs must contain at least one value"));
        }
        if len("nonResourceURLs") > 0 {
            if namespaced {
                out.push(v::invalid(
                    &format!("{f}.nonResourceURLs"),
                    r.get("nonResourceURLs").unwrap_or(&Value::Null),
                    "namespaced rules cannot apply to non-resource URLs",
                ));
            }
            if len("apiGroups") > 0 || len("resources") > 0 || len("resourceNames") > 0 {
                out.push(v::invalid(
                    &format!("{f}.nonResourceURLs"),
                    r.get("nonResourceURLs").unwrap_or(&Value::Null),
                    "rules cannot apply to both regular resources and non-resource URLs",
                ));
            }
            continue;
        }
        if len("apiGroups") == 0 {
            out.push(v::required(&format!("{f}.apiGroups"), "resource rules must supply at least one api group"));
        }
        if len("resources") == 0 {
            out.push(v::required(&format!("{f}.resources"), "resource rules must supply at least one resource"));
        }
    }
    out
}

fn default(obj: &mut Value) {
    let Some(root) = obj.as_object_mut() else { return };
    each_in(root, "subjects", |s: &mut Map<String, Value>| {
        let kind = s.get("kind").and_then(Value::as_str).unwrap_or_default();
        if (kind == "User" || kind == "Group") && s.get("apiGroup").is_none() {
            s.insert("apiGroup".into(), json!("rbac.authorization.k8s.io"));
        }
    });
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    let kind = obj.pointer("/roleRef/kind").and_then(Value::as_str).unwrap_or_default();
    let cluster = obj.get("kind").and_then(Value::as_str) == Some("ClusterRoleBinding");
    if obj.pointer("/roleRef/name").and_then(Value::as_str).is_none_or(str::is_empty) {
        out.push(v::required("roleRef.name", ""));
    }
    let allowed: &[&str] = if cluster { &["ClusterRole"] } else { &["Role", "ClusterRole"] };
    if !allowed.contains(&kind) {
        out.push(v::not_supported("roleRef.kind", &json!(kind), allowed));
    }
    if let Some(subjects) = obj.get("subjects").and_then(Value::as_array) {
        for (i, s) in subjects.iter().enumerate() {
            let k = s.get("kind").and_then(Value::as_str).unwrap_or_default();
            if !matches!(k, "ServiceAccount" | "User" | "Group") {
                out.push(v::not_supported(&format!("subjects[{i}].kind"), &json!(k), &["ServiceAccount", "User", "Group"]));
            }
            if s.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
                out.push(v::required(&format!("subjects[{i}].name"), ""));
            }
            if k == "ServiceAccount" && cluster && s.get("namespace").and_then(Value::as_str).is_none_or(str::is_empty) {
                out.push(v::required(&format!("subjects[{i}].namespace"), ""));
            }
        }
    }
    out
}

fn validate_update(new: &Value, old: &Value) -> Vec<Cause> {
    if new.get("roleRef") != old.get("roleRef") {
        return vec![v::invalid("roleRef", new.get("roleRef").unwrap_or(&Value::Null), "cannot change roleRef")];
    }
    Vec::new()
}
