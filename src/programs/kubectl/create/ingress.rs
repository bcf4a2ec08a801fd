//! `kubectl create ingress NAME --rule=host/path=svc:port[,tls[=secret]] [--class]
//! [--default-backend=svc:port] [--annotation=k=v]`.

use regex::Regex;
use serde_json::{Map, Value, json};

use super::common::{self, Failure};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind};

pub const FLAGS: &[FlagDef] = &[
    FlagDef::new("annotation", None, FlagKind::StringArray),
    FlagDef::string("class"),
    FlagDef::string("default-backend"),
    FlagDef::new("rule", None, FlagKind::StringArray),
];

/// The shape every `--rule` must have (a prefix match: kubectl's pattern is not anchored at the end).
const RULE: &str = r"^(?P<host>[0-9A-Za-z_\*\-\.]*)(?P<path>/.*)=(?P<svcname>[0-9A-Za-z_\-]+):(?P<svcport>[0-9A-Za-z_\-]+)(,(?P<istls>tls)=?(?P<secretname>[0-9A-Za-z_\-]+)?)?";

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create ingress", FLAGS, &[], |_, req| {
        let p = req.parsed;
        let rules = p.all("rule");
        let annotations = p.all("annotation");
        let default_backend = p.string("default-backend", "");
        if default_backend.is_empty() && rules.is_empty() {
            return Err(Failure::plain(
                "not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)",
            ));
        }
        let re = Regex::new(RULE).map_err(|e| Failure::plain(e.to_string()))?;
        if let Some(bad) = rules.iter().find(|r| !re.is_match(r)) {
            return Err(Failure::plain(format!("rule {bad} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]")));
        }
        let mut ann = Vec::new();
        for a in &annotations {
            let Some((k, v)) = a.split_once('=') else {
                return Err(Failure::plain(format!("annotation {a} is invalid and should be in format key=[value]")));
            };
            ann.push((k.to_string(), v.to_string()));
        }
        if !default_backend.is_empty() && default_backend.split(':').count() != 2 {
            return Err(Failure::plain("default-backend should be in format servicename:serviceport"));
        }
        let mut meta = Map::new();
        meta.insert("name".into(), json!(req.name));
        if !ann.is_empty() {
            meta.insert("annotations".into(), common::object_of(&ann));
        }
        let mut spec = Map::new();
        let class = p.string("class", "");
        if !class.is_empty() {
            spec.insert("ingressClassName".into(), json!(class));
        }
        if !default_backend.is_empty() {
            spec.insert("defaultBackend".into(), backend(&default_backend));
        }
        let tls = tls_rules(&rules);
        if !tls.is_empty() {
            spec.insert("tls".into(), Value::Array(tls));
        }
        let http = http_rules(&rules);
        if !http.is_empty() {
            spec.insert("rules".into(), Value::Array(http));
        }
        Ok(vec![json!({
            "kind": "Ingress",
            "apiVersion": "networking.k8s.io/v1",
            "metadata": meta,
            "spec": spec,
            "status": {"loadBalancer": {}}
        })])
    })
}

/// `svc:port`: a numbered or named service port.
fn backend(text: &str) -> Value {
    let mut parts = text.split(':');
    let name = parts.next().unwrap_or_default();
    let port = parts.next().unwrap_or_default();
    let port = match port.parse::<i32>() {
        Ok(n) => json!({"number": n}),
        Err(_) => json!({"name": port}),
    };
    json!({"service": {"name": name, "port": port}})
}

/// One TLS entry per secret, each host once.
fn tls_rules(rules: &[String]) -> Vec<Value> {
    let mut seen: Vec<String> = Vec::new();
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    for rule in rules {
        let parts: Vec<&str> = rule.split(',').collect();
        if parts.len() != 2 {
            continue;
        }
        let host = rule.split('/').next().unwrap_or_default().to_string();
        let secret = parts[1].split('=').nth(1).unwrap_or_default().to_string();
        if seen.contains(&host) {
            continue;
        }
        if let Some(entry) = out.iter_mut().find(|(_, s)| *s == secret) {
            entry.0.push(host.clone());
            seen.push(host);
            continue;
        }
        let hosts = if host.is_empty() { vec![] } else { vec![host.clone()] };
        if !secret.is_empty() || !hosts.is_empty() {
            out.push((hosts, secret));
        }
        seen.push(host);
    }
    out.into_iter()
        .map(|(hosts, secret)| {
            let mut m = Map::new();
            if !hosts.is_empty() {
                m.insert("hosts".into(), json!(hosts));
            }
            if !secret.is_empty() {
                m.insert("secretName".into(), json!(secret));
            }
            Value::Object(m)
        })
        .collect()
}

/// Rules grouped by host, paths in the order given; `path*` is a Prefix match.
fn http_rules(rules: &[String]) -> Vec<Value> {
    let mut out: Vec<(String, Vec<Value>)> = Vec::new();
    for rule in rules {
        let without_tls = rule.split(',').next().unwrap_or_default();
        let (host, path_rule) = without_tls.split_once('/').unwrap_or((without_tls, ""));
        let (path, svc) = path_rule.split_once('=').unwrap_or((path_rule, ""));
        let mut path = format!("/{path}");
        let mut path_type = "Exact";
        if path.ends_with('*') {
            path_type = "Prefix";
            path = path.trim_end_matches('*').to_string();
        }
        let entry = json!({"path": path, "pathType": path_type, "backend": backend(svc)});
        match out.iter_mut().find(|(h, _)| h == host) {
            Some((_, paths)) => paths.push(entry),
            None => out.push((host.to_string(), vec![entry])),
        }
    }
    out.into_iter()
        .map(|(host, paths)| {
            let mut m = Map::new();
            if !host.is_empty() {
                m.insert("host".into(), json!(host));
            }
            m.insert("http".into(), json!({"paths": paths}));
            Value::Object(m)
        })
        .collect()
}
