//! `kubectl expose (-f FILE | TYPE NAME)`: a Service selecting the pods of a pod, deployment,
//! replica set, replication controller or service, with ports and protocols found by
//! introspection unless given.

use serde_json::{Map, Value, json};

use super::create::common::{self, DryRun, Failure, OUTPUT_FLAGS};
use super::flags::{FlagDef, FlagKind, Parsed};
use super::resource_builder::{SourcedObject, load_files};
use super::{client, errors};
use crate::cluster::Registry;
use crate::programs::Ctx;

pub const FLAGS: &[FlagDef] = &[
    FlagDef::string("cluster-ip"),
    FlagDef::string("external-ip"),
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::string("kustomize").short('k'),
    FlagDef::string("labels").short('l'),
    FlagDef::string("load-balancer-ip"),
    FlagDef::string("name"),
    FlagDef::string("override-type"),
    FlagDef::string("overrides"),
    FlagDef::string("port"),
    FlagDef::string("protocol"),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("selector"),
    FlagDef::string("session-affinity"),
    FlagDef::string("target-port"),
    FlagDef::string("type"),
];

const PATH: &str = "expose";

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut defs: Vec<FlagDef> = FLAGS.to_vec();
    defs.extend(OUTPUT_FLAGS.iter().filter(|d| d.long != "validate").copied());
    let parsed = match super::parse_flags(ctx, PATH, &defs, args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let common = match common::resolve(ctx, &parsed, PATH) {
        Ok(c) => c,
        Err(f) => return f.print(ctx),
    };
    let sources = match targets(ctx, &parsed) {
        Ok(s) => s,
        Err(f) => return f.print(ctx),
    };
    let mut status = 0;
    for source in sources {
        let service = match service_for(&parsed, &source.object) {
            Ok(mut s) => {
                common::set_namespace(&mut s, common.object_namespace());
                s
            }
            Err(f) => {
                status = f.print(ctx);
                continue;
            }
        };
        let shown = if common.dry_run == DryRun::Client {
            service
        } else {
            let conn = match client::connect(ctx, &parsed) {
                Ok(c) => c,
                Err(code) => return code,
            };
            match common::create_one(ctx, &conn, &common, service) {
                Ok(v) => common::as_kubectl_prints(v, parsed.bool("show-managed-fields")),
                Err(e) => {
                    ctx.out.err(e.text());
                    status = 1;
                    continue;
                }
            }
        };
        if let Err(f) = common::print_object(ctx, &shown, &common, "exposed") {
            status = f.print(ctx);
        }
    }
    status
}

/// The objects to expose: from `-f`, or read from the API server by `TYPE NAME…` / `TYPE/NAME`.
fn targets(ctx: &mut Ctx<'_>, p: &Parsed) -> Result<Vec<SourcedObject>, Failure> {
    let files = p.all("filename");
    if !files.is_empty() {
        return load_files(ctx, &files, p.bool("recursive")).map_err(Failure::plain);
    }
    if p.args.is_empty() {
        return Err(Failure(
            "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".into(),
        ));
    }
    let mut wanted: Vec<(String, String)> = Vec::new();
    if p.args[0].contains('/') {
        for a in &p.args {
            let (t, n) = a.split_once('/').unwrap_or((a, ""));
            wanted.push((t.to_string(), n.to_string()));
        }
    } else {
        if p.args.len() == 1 {
            return Err(Failure::plain("resource(s) were provided, but no name was specified"));
        }
        for n in &p.args[1..] {
            wanted.push((p.args[0].clone(), n.clone()));
        }
    }
    let conn = client::connect(ctx, p).map_err(|_| Failure(String::new()))?;
    let mut out = Vec::new();
    for (kind, name) in wanted {
        let Some(res) = Registry::builtin().lookup(&kind).cloned() else {
            return Err(Failure(format!("error: the server doesn't have a resource type \"{kind}\"\n")));
        };
        let Some(api) = conn.api(ctx.world) else {
            return Err(Failure(String::new()));
        };
        let obj = api.get(&conn.user, &res, Some(&conn.namespace), &name).map_err(|s| Failure(errors::from_server(&s)))?;
        out.push(SourcedObject { source: String::new(), object: obj });
    }
    Ok(out)
}

/// What kubectl's service generator builds for one exposed object.
fn service_for(p: &Parsed, obj: &Value) -> Result<Value, Failure> {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or_default();
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let pod_spec = match kind {
        "Pod" => obj.get("spec"),
        "Deployment" | "ReplicaSet" | "ReplicationController" => obj.pointer("/spec/template/spec"),
        "Service" => None,
        _ => {
            let shown = if group.is_empty() { kind.to_string() } else { format!("{kind}.{group}") };
            return Err(Failure::plain(format!("cannot expose a {shown}")));
        }
    };
    let selector = match p.get("selector").filter(|s| !s.is_empty()) {
        Some(s) => common::parse_key_values(s).ok_or_else(|| Failure::plain(format!("invalid selector: {s}")))?,
        None => selector_of(kind, obj)?,
    };
    // Ports and their protocols, found by introspection.
    let mut found: Vec<(String, String)> = Vec::new();
    if kind == "Service" {
        for port in obj.pointer("/spec/ports").and_then(Value::as_array).into_iter().flatten() {
            let n = port.get("port").map(Value::to_string).unwrap_or_default();
            let proto = port.get("protocol").and_then(Value::as_str).unwrap_or("TCP").to_string();
            found.push((n, proto));
        }
    } else if let Some(spec) = pod_spec {
        for c in spec.get("containers").and_then(Value::as_array).into_iter().flatten() {
            for port in c.get("ports").and_then(Value::as_array).into_iter().flatten() {
                let n = port.get("containerPort").map(Value::to_string).unwrap_or_default();
                let proto = port.get("protocol").and_then(Value::as_str).unwrap_or("TCP").to_string();
                found.push((n, proto));
            }
        }
    }
    let cluster_ip = p.string("cluster-ip", "");
    let headless = cluster_ip == "None";
    let ports: Vec<String> = match p.get("port").filter(|s| !s.is_empty()) {
        Some(s) => s.split(',').map(str::to_string).collect(),
        None => {
            if found.is_empty() && !headless {
                return Err(Failure::plain("couldn't find port via --port flag or introspection"));
            }
            found.iter().map(|(n, _)| n.clone()).collect()
        }
    };
    let protocol = p.string("protocol", "");
    let mut service_ports = Vec::new();
    for (i, text) in ports.iter().enumerate() {
        let number: i64 = text.parse().map_err(|_| Failure::plain(format!("strconv.Atoi: parsing \"{text}\": invalid syntax")))?;
        let mut port = Map::new();
        if ports.len() > 1 {
            port.insert("name".into(), json!(format!("port-{}", i + 1)));
        }
        let proto = if protocol.is_empty() {
            found.iter().find(|(n, _)| n == text).map_or("TCP".to_string(), |(_, pr)| pr.clone())
        } else {
            protocol.clone()
        };
        port.insert("protocol".into(), json!(proto));
        port.insert("port".into(), json!(number));
        let target = p.string("target-port", "");
        let target = if target.is_empty() { json!(number) } else { target.parse::<i64>().map_or_else(|_| json!(target), |n| json!(n)) };
        port.insert("targetPort".into(), target);
        service_ports.push(Value::Object(port));
    }
    let labels = match p.get("labels").filter(|l| !l.is_empty()) {
        Some(l) => Some(common::object_of(&common::parse_key_values(l).ok_or_else(|| Failure::plain(format!("invalid label spec: {l}")))?)),
        None => obj.pointer("/metadata/labels").filter(|l| l.as_object().is_some_and(|m| !m.is_empty())).cloned(),
    };
    let name = p
        .get("name")
        .filter(|n| !n.is_empty())
        .map_or_else(|| obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string(), str::to_string);
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    if let Some(l) = labels {
        meta.insert("labels".into(), l);
    }
    let mut spec = Map::new();
    if !service_ports.is_empty() {
        spec.insert("ports".into(), Value::Array(service_ports));
    }
    spec.insert("selector".into(), common::object_of(&selector));
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), json!(cluster_ip));
    }
    let service_type = p.string("type", "");
    if !service_type.is_empty() {
        spec.insert("type".into(), json!(service_type));
    }
    let external_ip = p.string("external-ip", "");
    if !external_ip.is_empty() {
        spec.insert("externalIPs".into(), json!([external_ip]));
    }
    match p.string("session-affinity", "").as_str() {
        "" => {}
        a @ ("None" | "ClientIP") => {
            spec.insert("sessionAffinity".into(), json!(a));
        }
        other => return Err(Failure::plain(format!("unknown session affinity: {other}"))),
    }
    let lb_ip = p.string("load-balancer-ip", "");
    if service_type == "LoadBalancer" && !lb_ip.is_empty() {
        spec.insert("loadBalancerIP".into(), json!(lb_ip));
    }
    Ok(json!({"kind": "Service", "apiVersion": "v1", "metadata": meta, "spec": spec, "status": {"loadBalancer": {}}}))
}

/// The map-based pod selector of an exposable object.
fn selector_of(kind: &str, obj: &Value) -> Result<Vec<(String, String)>, Failure> {
    let map = match kind {
        "Pod" => obj.pointer("/metadata/labels"),
        "Service" | "ReplicationController" => obj.pointer("/spec/selector"),
        _ => {
            if let Some(exprs) = obj.pointer("/spec/selector/matchExpressions").and_then(Value::as_array)
                && !exprs.is_empty()
            {
                return Err(Failure::plain("couldn't convert expressions to map-based selector format"));
            }
            obj.pointer("/spec/selector/matchLabels")
        }
    };
    let pairs: Vec<(String, String)> = map
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
        .unwrap_or_default();
    if pairs.is_empty() && kind == "Pod" {
        return Err(Failure::usage(
            PATH,
            "couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed",
        ));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    //! Client-side `expose -f`, compared with kubectl v1.35.2 on the same objects
    //! (`tests/golden/expose/caseNN.*`: `kubectl expose -f FILE ARGS --dry-run=client`).

    use std::collections::BTreeMap;

    use super::*;
    use crate::programs::{Output, Stream};

    fn expose_dry_run(obj: &Value, args: &[String]) -> (String, String, i32) {
        let mut world = crate::world::scenario::default_world();
        let env = BTreeMap::new();
        let mut out = Output::default();
        let host = world.hosts.keys().next().cloned().unwrap_or_default();
        let mut ctx =
            Ctx { world: &mut world, host, cwd: "/root".into(), env: &env, stdin: &[], out: &mut out, subshell: crate::shell::subshell };
        let mut defs: Vec<FlagDef> = FLAGS.to_vec();
        defs.extend(OUTPUT_FLAGS.iter().copied());
        defs.extend_from_slice(crate::programs::kubectl::GLOBAL_FLAGS);
        let mut all = args.to_vec();
        all.push("--dry-run=client".into());
        let parsed = crate::programs::kubectl::flags::parse(&defs, &all).expect("flags");
        let code = match common::resolve(&mut ctx, &parsed, PATH).and_then(|c| service_for(&parsed, obj).map(|s| (c, s))) {
            Ok((c, mut s)) => {
                common::set_namespace(&mut s, c.object_namespace());
                match common::print_object(&mut ctx, &s, &c, "exposed") {
                    Ok(()) => 0,
                    Err(f) => f.print(&mut ctx),
                }
            }
            Err(f) => f.print(&mut ctx),
        };
        (
            String::from_utf8_lossy(&out.bytes(Stream::Stdout)).into_owned(),
            String::from_utf8_lossy(&out.bytes(Stream::Stderr)).into_owned(),
            code,
        )
    }

    #[test]
    fn expose_matches_kubectl() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/expose");
        let mut n = 0;
        for i in 1..100 {
            let base = dir.join(format!("case{i:02}"));
            let Ok(spec) = std::fs::read_to_string(base.with_extension("args")) else { break };
            let (file, args) = spec.trim_end().split_once('|').expect("file|args");
            let obj: Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{file}.input"))).expect("input")).expect("JSON");
            let args: Vec<String> = args.split_whitespace().map(str::to_string).collect();
            let (stdout, stderr, code) = expose_dry_run(&obj, &args);
            let read = |ext: &str| std::fs::read_to_string(base.with_extension(ext)).expect("fixture");
            assert_eq!(stdout, read("out"), "stdout of case{i:02} ({spec})");
            assert_eq!(stderr, read("err"), "stderr of case{i:02} ({spec})");
            assert_eq!(code.to_string(), read("exit").trim(), "exit of case{i:02} ({spec})");
            n += 1;
        }
        assert!(n >= 20, "only {n} expose cases found");
    }
}
