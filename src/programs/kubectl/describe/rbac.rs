//! Describers of RBAC objects: Role and ClusterRole (rules broken down per resource and
//! compacted, as kubectl's `rbac.BreakdownRule` / `CompactRules` do) and their bindings.

use serde_json::Value;

use super::Env;
use super::writer::{self as wr, W, arr, s};

fn strings(v: &Value, key: &str) -> Vec<String> {
    arr(v, &format!("/{key}")).iter().filter_map(Value::as_str).map(str::to_string).collect()
}

#[derive(Clone, Debug)]
struct Rule {
    groups: Vec<String>,
    resources: Vec<String>,
    names: Vec<String>,
    urls: Vec<String>,
    verbs: Vec<String>,
}

impl Rule {
    /// `PolicyRule.CompactString`, which kubectl sorts the rules by.
    fn key(&self) -> String {
        let q = |v: &[String]| v.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ");
        let mut parts = Vec::new();
        for (label, v) in [
            ("APIGroups", &self.groups),
            ("Resources", &self.resources),
            ("ResourceNames", &self.names),
            ("NonResourceURLs", &self.urls),
            ("Verbs", &self.verbs),
        ] {
            if !v.is_empty() {
                parts.push(format!("{label}:[{}]", q(v)));
            }
        }
        format!("PolicyRule{{{}}}", parts.join(", "))
    }
}

/// One rule per group × resource (× name), and one per non-resource URL.
fn breakdown(rule: &Value) -> Vec<Rule> {
    let verbs = strings(rule, "verbs");
    let names = strings(rule, "resourceNames");
    let mut out = Vec::new();
    for g in strings(rule, "apiGroups") {
        for r in strings(rule, "resources") {
            if names.is_empty() {
                out.push(Rule {
                    groups: vec![g.clone()],
                    resources: vec![r.clone()],
                    names: Vec::new(),
                    urls: Vec::new(),
                    verbs: verbs.clone(),
                });
            }
            for n in &names {
                out.push(Rule {
                    groups: vec![g.clone()],
                    resources: vec![r.clone()],
                    names: vec![n.clone()],
                    urls: Vec::new(),
                    verbs: verbs.clone(),
                });
            }
        }
    }
    for u in strings(rule, "nonResourceURLs") {
        out.push(Rule { groups: Vec::new(), resources: Vec::new(), names: Vec::new(), urls: vec![u], verbs: verbs.clone() });
    }
    out
}

/// Merges rules on the same group, resource and name, appending their verbs.
fn compact(rules: Vec<Rule>) -> Vec<Rule> {
    let mut out: Vec<Rule> = Vec::new();
    for r in rules {
        if r.urls.is_empty()
            && let Some(existing) =
                out.iter_mut().find(|e| e.urls.is_empty() && e.groups == r.groups && e.resources == r.resources && e.names == r.names)
        {
            existing.verbs.extend(r.verbs);
            continue;
        }
        out.push(r);
    }
    out
}

fn go_slice(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

pub fn role(_env: &Env<'_, '_>, o: &Value) -> String {
    let mut rules: Vec<Rule> = compact(arr(o, "/rules").iter().flat_map(breakdown).collect());
    rules.sort_by_key(Rule::key);
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, "PolicyRule:\n");
    w.w(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    w.w(1, "---------\t-----------------\t--------------\t-----\n");
    for r in rules {
        let resource = match r.resources.first() {
            None => String::new(),
            Some(res) => {
                let (base, sub) = res.split_once('/').map_or((res.as_str(), None), |(a, b)| (a, Some(b)));
                let mut x = base.to_string();
                if let Some(g) = r.groups.first().filter(|g| !g.is_empty()) {
                    x = format!("{x}.{g}");
                }
                if let Some(sub) = sub {
                    x = format!("{x}/{sub}");
                }
                x
            }
        };
        w.w(1, &format!("{resource}\t{}\t{}\t{}\n", go_slice(&r.urls), go_slice(&r.names), go_slice(&r.verbs)));
    }
    w.finish()
}

pub fn binding(_env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, "Role:\n");
    w.w(1, &format!("Kind:\t{}\n", s(o, "/roleRef/kind")));
    w.w(1, &format!("Name:\t{}\n", s(o, "/roleRef/name")));
    w.w(0, "Subjects:\n");
    w.w(1, "Kind\tName\tNamespace\n");
    w.w(1, "----\t----\t---------\n");
    for sub in arr(o, "/subjects") {
        w.w(1, &format!("{}\t{}\t{}\n", s(sub, "/kind"), s(sub, "/name"), s(sub, "/namespace")));
    }
    w.finish()
}
