//! `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME`.

use serde_json::{Map, Value, json};

use super::common::{self, Failure};
use super::{Sub, dispatch};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind};

const SUBS: &[Sub] = &[
    Sub { name: "clusterip", aliases: &[], run: clusterip },
    Sub { name: "externalname", aliases: &[], run: externalname },
    Sub { name: "loadbalancer", aliases: &[], run: loadbalancer },
    Sub { name: "nodeport", aliases: &[], run: nodeport },
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut defs = common::with_output_flags(&[]);
    defs.extend_from_slice(crate::programs::kubectl::GLOBAL_FLAGS);
    dispatch(ctx, args, &defs, SUBS, |ctx, args| {
        super::group_without_subcommand(ctx, "create service", &["clusterip", "externalname", "loadbalancer", "nodeport"], args)
    })
}

const TCP: FlagDef = FlagDef::new("tcp", None, FlagKind::StringSlice);

fn clusterip(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    generate(ctx, args, "clusterip", &[TCP, FlagDef::string("clusterip")], &[], "ClusterIP")
}

fn nodeport(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    generate(ctx, args, "nodeport", &[TCP, FlagDef::new("node-port", None, FlagKind::Int)], &[], "NodePort")
}

fn loadbalancer(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    generate(ctx, args, "loadbalancer", &[TCP], &[], "LoadBalancer")
}

fn externalname(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    generate(ctx, args, "externalname", &[TCP, FlagDef::string("external-name")], &["external-name"], "ExternalName")
}

fn generate(ctx: &mut Ctx<'_>, args: &[String], sub: &str, flags: &[FlagDef], required: &[&str], kind: &str) -> i32 {
    let path = format!("create service {sub}");
    common::generate(ctx, args, &path, flags, required, |_, req| {
        let p = req.parsed;
        let opts = Options {
            name: req.name.clone(),
            service_type: kind.to_string(),
            tcp: p.all("tcp"),
            cluster_ip: p.string("clusterip", ""),
            node_port: p.int("node-port", 0),
            external_name: p.string("external-name", ""),
        };
        opts.validate()?;
        Ok(vec![opts.build()?])
    })
}

/// Parsed `create service` options.
pub struct Options {
    pub name: String,
    pub service_type: String,
    pub tcp: Vec<String>,
    pub cluster_ip: String,
    pub node_port: i64,
    pub external_name: String,
}

impl Options {
    pub fn validate(&self) -> Result<(), Failure> {
        if self.cluster_ip == "None" && self.service_type != "ClusterIP" {
            return Err(Failure::plain("ClusterIP=None can only be used with ClusterIP service type"));
        }
        if self.cluster_ip != "None" && self.tcp.is_empty() && self.service_type != "ExternalName" {
            return Err(Failure::plain("at least one tcp port specifier must be provided"));
        }
        if self.service_type == "ExternalName" && !is_dns1123_subdomain(&self.external_name) {
            return Err(Failure::plain(format!("invalid service external name {}", self.external_name)));
        }
        Ok(())
    }

    /// The Service, in Go struct field order.
    pub fn build(&self) -> Result<Value, Failure> {
        let mut ports = Vec::new();
        for spec in &self.tcp {
            let (port, target) = parse_ports(spec)?;
            let mut p = Map::new();
            p.insert("name".into(), json!(spec.replace(':', "-")));
            p.insert("protocol".into(), json!("TCP"));
            p.insert("port".into(), json!(port));
            p.insert("targetPort".into(), target);
            if self.node_port != 0 {
                p.insert("nodePort".into(), json!(self.node_port));
            }
            ports.push(Value::Object(p));
        }
        let mut spec = Map::new();
        if !ports.is_empty() {
            spec.insert("ports".into(), Value::Array(ports));
        }
        spec.insert("selector".into(), json!({"app": self.name}));
        if !self.cluster_ip.is_empty() {
            spec.insert("clusterIP".into(), json!(self.cluster_ip));
        }
        spec.insert("type".into(), json!(self.service_type));
        if !self.external_name.is_empty() {
            spec.insert("externalName".into(), json!(self.external_name));
        }
        Ok(json!({
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": {"name": self.name, "labels": {"app": self.name}},
            "spec": spec,
            "status": {"loadBalancer": {}}
        }))
    }
}

/// `port[:targetPort]`: the port must be a 16-bit number, the target a number or a name.
fn parse_ports(spec: &str) -> Result<(u64, Value), Failure> {
    let mut parts = spec.split(':');
    let first = parts.next().unwrap_or_default();
    let port = parse_uint16(first)?;
    match parts.next() {
        None => Ok((port, json!(port))),
        Some(t) => Ok((port, t.parse::<i32>().map_or_else(|_| json!(t), |n| json!(n)))),
    }
}

/// `strconv.ParseUint(s, 10, 16)` with its error text.
pub fn parse_uint16(s: &str) -> Result<u64, Failure> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(Failure::plain(format!("strconv.ParseUint: parsing \"{s}\": invalid syntax")));
    }
    match s.parse::<u64>() {
        Ok(v) if v <= 65535 => Ok(v),
        _ => Err(Failure::plain(format!("strconv.ParseUint: parsing \"{s}\": value out of range"))),
    }
}

/// `IsDNS1123Subdomain`.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}
