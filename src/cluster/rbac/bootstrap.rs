//! The RBAC objects a fresh kubeadm v1.35 cluster holds, read once from the compact table in
//! `assets/rbac/bootstrap-policy.txt` (its header documents the format and sources).

use std::sync::OnceLock;

use serde_json::{Map, Value, json};

const POLICY: &str = include_str!("../../../assets/rbac/bootstrap-policy.txt");

/// One bootstrap object: its resource (`clusterroles`, `rolebindings` …), namespace ("" for
/// cluster-scoped) and body.
#[derive(Debug, Clone)]
pub struct Object {
    pub resource: &'static str,
    pub namespace: String,
    pub body: Value,
}

pub fn objects() -> &'static [Object] {
    static OBJECTS: OnceLock<Vec<Object>> = OnceLock::new();
    OBJECTS.get_or_init(|| parse(POLICY))
}

fn list(text: &str) -> Vec<Value> {
    text.split(',').map(|s| s.trim()).map(|s| if s == "\"\"" { json!("") } else { json!(s) }).collect()
}

fn meta(name: &str, namespace: Option<&str>, kubeadm: bool, extra_labels: &[(String, String)]) -> Value {
    let mut m = Map::new();
    if !kubeadm {
        m.insert("annotations".into(), json!({"rbac.authorization.kubernetes.io/autoupdate": "true"}));
    }
    let mut labels = Map::new();
    if !kubeadm {
        labels.insert("kubernetes.io/bootstrapping".into(), json!("rbac-defaults"));
    }
    for (k, v) in extra_labels {
        labels.insert(k.clone(), json!(v));
    }
    if !labels.is_empty() {
        m.insert("labels".into(), Value::Object(labels));
    }
    m.insert("name".into(), json!(name));
    if let Some(ns) = namespace {
        m.insert("namespace".into(), json!(ns));
    }
    Value::Object(m)
}

fn parse(text: &str) -> Vec<Object> {
    let mut out: Vec<Object> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let args: Vec<&str> = rest.split_whitespace().collect();
        let kubeadm = args.contains(&"kubeadm");
        match word {
            "clusterrole" => {
                let mut labels = Vec::new();
                let mut agg = None;
                for a in &args[1..] {
                    if let Some(x) = a.strip_prefix("label=") {
                        labels.push((format!("rbac.authorization.k8s.io/{x}"), "true".to_string()));
                    } else if let Some(x) = a.strip_prefix("agg=") {
                        agg = Some(x.to_string());
                    }
                }
                let mut body = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": meta(args[0], None, kubeadm, &labels)});
                match agg {
                    Some(a) => {
                        body["aggregationRule"] = json!({"clusterRoleSelectors": [{"matchLabels": {format!("rbac.authorization.k8s.io/aggregate-to-{a}"): "true"}}]});
                        body["rules"] = json!([]);
                    }
                    None => body["rules"] = json!([]),
                }
                out.push(Object { resource: "clusterroles", namespace: String::new(), body });
            }
            "role" => {
                let body = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta(args[1], Some(args[0]), kubeadm, &[]), "rules": []});
                out.push(Object { resource: "roles", namespace: args[0].to_string(), body });
            }
            "rule" | "url" => {
                let parts: Vec<&str> = rest.split('|').map(str::trim).collect();
                let rule = if word == "url" {
                    json!({"nonResourceURLs": list(parts[0]), "verbs": list(parts.get(1).copied().unwrap_or(""))})
                } else {
                    let mut r = json!({"apiGroups": list(parts[0]), "resources": list(parts.get(1).copied().unwrap_or("")), "verbs": list(parts.get(2).copied().unwrap_or(""))});
                    if let Some(names) = parts.get(3) {
                        r["resourceNames"] = Value::Array(list(names));
                    }
                    r
                };
                if let Some(Value::Array(rules)) = out.last_mut().and_then(|o| o.body.get_mut("rules")) {
                    rules.push(rule);
                }
            }
            "clusterrolebinding" => {
                let body = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": meta(args[0], None, kubeadm, &[]),
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": args[1]}});
                out.push(Object { resource: "clusterrolebindings", namespace: String::new(), body });
            }
            "rolebinding" => {
                let body = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta(args[1], Some(args[0]), kubeadm, &[]),
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": args[2], "name": args[3]}});
                out.push(Object { resource: "rolebindings", namespace: args[0].to_string(), body });
            }
            "subject" => {
                let s = match args[0] {
                    "ServiceAccount" => {
                        json!({"kind": "ServiceAccount", "name": args[1], "namespace": args.get(2).copied().unwrap_or("default")})
                    }
                    kind => json!({"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": args[1]}),
                };
                if let Some(body) = out.last_mut().map(|o| &mut o.body)
                    && let Some(obj) = body.as_object_mut()
                {
                    let subjects = obj.entry("subjects").or_insert_with(|| json!([]));
                    if let Value::Array(list) = subjects {
                        list.push(s);
                    }
                }
            }
            "controllerbindings" => {
                for c in &args {
                    let name = format!("system:controller:{c}");
                    let body = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": meta(&name, None, false, &[]),
                        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
                        "subjects": [{"kind": "ServiceAccount", "name": c, "namespace": "kube-system"}]});
                    out.push(Object { resource: "clusterrolebindings", namespace: String::new(), body });
                }
            }
            _ => {}
        }
    }
    // Roles without rules are written `rules: null` by the API server only for aggregated roles;
    // the others always list rules.
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_parses() {
        let objs = objects();
        let find = |res: &str, name: &str| objs.iter().find(|o| o.resource == res && o.body["metadata"]["name"] == name);
        let admin = find("clusterroles", "cluster-admin").map(|o| o.body.clone()).unwrap_or_default();
        assert_eq!(admin["rules"][0], json!({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}));
        assert_eq!(admin["rules"][1], json!({"nonResourceURLs": ["*"], "verbs": ["*"]}));
        let b = find("clusterrolebindings", "kubeadm:cluster-admins").map(|o| o.body.clone()).unwrap_or_default();
        assert_eq!(b["subjects"][0]["name"], "kubeadm:cluster-admins");
        assert!(b["metadata"].get("labels").is_none());
        assert!(find("clusterrolebindings", "system:controller:deployment-controller").is_some());
        assert!(find("rolebindings", "kubeadm:kubelet-config").is_some());
    }
}
