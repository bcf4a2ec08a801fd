//! Services: `SetDefaults_Service` (type ClusterIP, sessionAffinity None, port protocol TCP and
//! targetPort = port, internalTrafficPolicy Cluster, externalTrafficPolicy Cluster for node-port
//! types), the service REST's allocations (ClusterIP from 10.96.0.0/12, node ports from
//! 30000-32767, single-stack IPv4), and `ValidateService`.

use serde_json::{Map, Value, json};

use super::super::allocators;
use super::super::validation::{self as v, NameRule};
use super::super::{Cause, Registry};
use super::{BASE, Ctx, Strategy, child, default_key, each_in, spec_mut};

pub const STRATEGY: Strategy = Strategy {
    name_rule: NameRule::Dns1035,
    default,
    before_create,
    prepare_update,
    validate,
    validate_update,
    status_subresource: true,
    ..BASE
};

fn default(obj: &mut Value) {
    let Some(spec) = spec_mut(obj) else { return };
    default_key(spec, "type", json!("ClusterIP"));
    default_key(spec, "sessionAffinity", json!("None"));
    let ty = spec.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
    each_in(spec, "ports", |p| {
        default_key(p, "protocol", json!("TCP"));
        if let Some(port) = p.get("port").cloned() {
            default_key(p, "targetPort", port);
        }
    });
    if ty != "ExternalName" {
        default_key(spec, "internalTrafficPolicy", json!("Cluster"));
    }
    if ty == "NodePort" || ty == "LoadBalancer" {
        default_key(spec, "externalTrafficPolicy", json!("Cluster"));
    }
    if ty == "LoadBalancer" {
        default_key(spec, "allocateLoadBalancerNodePorts", json!(true));
    }
    if spec.get("sessionAffinity").and_then(Value::as_str) == Some("ClientIP") {
        let cfg = child(spec, "sessionAffinityConfig");
        let cip = child(cfg, "clientIP");
        default_key(cip, "timeoutSeconds", json!(10800));
    }
}

/// Every Service in the store (for allocation bookkeeping).
fn all_services<'a>(ctx: &'a Ctx<'_>) -> Vec<&'a Value> {
    match Registry::builtin_resource("services") {
        Some(res) => ctx.store.list(res, None).collect(),
        None => Vec::new(),
    }
}

fn before_create(obj: &mut Value, ctx: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    let existing = all_services(ctx);
    let used_ips: Vec<String> =
        existing.iter().filter_map(|s| s.pointer("/spec/clusterIP").and_then(Value::as_str).map(str::to_string)).collect();
    let used_ports: Vec<i64> = existing
        .iter()
        .flat_map(|s| s.pointer("/spec/ports").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
        .collect();
    let Some(spec) = spec_mut(obj) else { return Ok(()) };
    let ty = spec.get("type").and_then(Value::as_str).unwrap_or("ClusterIP").to_string();
    let mut causes = Vec::new();
    if ty != "ExternalName" {
        let requested = spec
            .get("clusterIP")
            .and_then(Value::as_str)
            .or_else(|| spec.get("clusterIPs").and_then(|a| a.get(0)).and_then(Value::as_str))
            .unwrap_or_default()
            .to_string();
        let ip = if requested == "None" {
            "None".to_string()
        } else if requested.is_empty() {
            allocators::allocate_cluster_ip(ctx.rng, &used_ips)
        } else {
            match allocators::check_cluster_ip(&requested, &used_ips) {
                Ok(()) => requested,
                Err(msg) => {
                    causes.push(v::invalid("spec.clusterIPs", &json!([requested]), &msg));
                    requested
                }
            }
        };
        spec.insert("clusterIP".into(), json!(ip));
        spec.insert("clusterIPs".into(), json!([ip]));
        default_key(spec, "ipFamilies", json!(["IPv4"]));
        default_key(spec, "ipFamilyPolicy", json!("SingleStack"));
    }
    if ty == "NodePort" || ty == "LoadBalancer" {
        let mut taken = used_ports;
        if let Some(Value::Array(ports)) = spec.get_mut("ports") {
            for (i, p) in ports.iter_mut().enumerate() {
                let Some(p) = p.as_object_mut() else { continue };
                match p.get("nodePort").and_then(Value::as_i64) {
                    Some(n) if n != 0 => {
                        if let Err(msg) = allocators::check_node_port(n, &taken) {
                            causes.push(v::invalid(&format!("spec.ports[{i}].nodePort"), &json!(n), msg));
                        }
                        taken.push(n);
                    }
                    _ => {
                        let n = allocators::allocate_node_port(ctx.rng, &taken);
                        p.insert("nodePort".into(), json!(n));
                        taken.push(n);
                    }
                }
            }
        }
    }
    if let Some(root) = obj.as_object_mut() {
        root.insert("status".into(), json!({"loadBalancer": {}}));
    }
    if causes.is_empty() { Ok(()) } else { Err(causes) }
}

/// An update that leaves the allocated ClusterIP or node ports out keeps them; ports that a
/// NodePort or LoadBalancer Service newly needs are allocated, and requested ones checked
/// against the other Services.
fn prepare_update(new: &mut Value, old: &Value, ctx: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    let uid = old.pointer("/metadata/uid").cloned();
    let used_ports: Vec<i64> = all_services(ctx)
        .into_iter()
        .filter(|s| s.pointer("/metadata/uid") != uid.as_ref())
        .flat_map(|s| s.pointer("/spec/ports").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
        .collect();
    let Some(spec) = spec_mut(new) else { return Ok(()) };
    let ty = spec.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
    if ty != "ExternalName" {
        for key in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
            if spec.get(key).is_none_or(|v| v.is_null() || v == "")
                && let Some(o) = old.pointer(&format!("/spec/{key}"))
            {
                spec.insert(key.into(), o.clone());
            }
        }
    }
    let old_ports = old.pointer("/spec/ports").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut causes = Vec::new();
    if ty == "NodePort" || ty == "LoadBalancer" {
        default_key(spec, "externalTrafficPolicy", json!("Cluster"));
        let mut taken = used_ports;
        if let Some(Value::Array(ports)) = spec.get_mut("ports") {
            for (i, p) in ports.iter_mut().enumerate() {
                let Some(p) = p.as_object_mut() else { continue };
                match p.get("nodePort").and_then(Value::as_i64) {
                    Some(n) if n != 0 => {
                        if let Err(msg) = allocators::check_node_port(n, &taken) {
                            causes.push(v::invalid(&format!("spec.ports[{i}].nodePort"), &json!(n), msg));
                        }
                        taken.push(n);
                    }
                    _ => {
                        let kept = old_ports
                            .iter()
                            .find(|op| op.get("port") == p.get("port") && op.get("protocol") == p.get("protocol"))
                            .and_then(|op| op.get("nodePort"))
                            .and_then(Value::as_i64);
                        let n = kept.unwrap_or_else(|| allocators::allocate_node_port(ctx.rng, &taken));
                        p.insert("nodePort".into(), json!(n));
                        taken.push(n);
                    }
                }
            }
        }
    } else {
        // Back to ClusterIP: node ports are released.
        each_in(spec, "ports", |p: &mut Map<String, Value>| {
            p.remove("nodePort");
        });
        spec.remove("externalTrafficPolicy");
    }
    if causes.is_empty() { Ok(()) } else { Err(causes) }
}

fn validate(obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    let Some(spec) = obj.get("spec") else { return vec![v::required("spec.ports", "")] };
    let ty = spec.get("type").and_then(Value::as_str).unwrap_or("ClusterIP");
    if !matches!(ty, "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort") {
        out.push(v::not_supported("spec.type", &json!(ty), &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]));
    }
    let headless = spec.get("clusterIP").and_then(Value::as_str) == Some("None");
    let ports = spec.get("ports").and_then(Value::as_array).cloned().unwrap_or_default();
    if ports.is_empty() && ty != "ExternalName" && !headless {
        out.push(v::required("spec.ports", ""));
    }
    if ty == "ExternalName" && spec.get("externalName").and_then(Value::as_str).is_none_or(str::is_empty) {
        out.push(v::required("spec.externalName", ""));
    }
    let mut names = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let f = format!("spec.ports[{i}]");
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        if ports.len() > 1 && name.is_empty() {
            out.push(v::required(&format!("{f}.name"), ""));
        } else if !name.is_empty() {
            out.extend(v::check_label(&format!("{f}.name"), name));
            if names.contains(&name) {
                out.push(v::duplicate(&format!("{f}.name"), &json!(name)));
            }
            names.push(name);
        }
        match p.get("port") {
            None => out.push(v::required(&format!("{f}.port"), "")),
            port => out.extend(v::check_port(&format!("{f}.port"), port)),
        }
        if let Some(proto) = p.get("protocol")
            && !matches!(proto.as_str(), Some("TCP" | "UDP" | "SCTP"))
        {
            out.push(v::not_supported(&format!("{f}.protocol"), proto, &["SCTP", "TCP", "UDP"]));
        }
        if let Some(tp) = p.get("targetPort")
            && tp.is_number()
        {
            out.extend(v::check_port(&format!("{f}.targetPort"), Some(tp)));
        }
        if ty != "NodePort" && ty != "LoadBalancer" && p.get("nodePort").and_then(Value::as_i64).is_some_and(|n| n != 0) {
            out.push(v::forbidden(&format!("{f}.nodePort"), "may not be used when `type` is 'ClusterIP'"));
        }
    }
    if let Some(sel) = spec.get("selector") {
        out.extend(v::check_labels("spec.selector", Some(sel)));
    }
    if let Some(sa) = spec.get("sessionAffinity")
        && !matches!(sa.as_str(), Some("None" | "ClientIP"))
    {
        out.push(v::not_supported("spec.sessionAffinity", sa, &["ClientIP", "None"]));
    }
    out
}

fn validate_update(new: &Value, old: &Value) -> Vec<Cause> {
    let (n, o) = (new.pointer("/spec/clusterIP"), old.pointer("/spec/clusterIP"));
    let was_set = o.and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    let ty = new.pointer("/spec/type").and_then(Value::as_str).unwrap_or_default();
    if was_set && ty != "ExternalName" && n != o {
        return vec![v::invalid("spec.clusterIPs[0]", n.unwrap_or(&Value::Null), "may not change once set")];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_defaults() {
        let mut s = json!({"spec": {"type": "NodePort", "ports": [{"port": 80}]}});
        default(&mut s);
        assert_eq!(s["spec"]["ports"][0], json!({"port": 80, "protocol": "TCP", "targetPort": 80}));
        assert_eq!(s["spec"]["externalTrafficPolicy"], "Cluster");
        assert_eq!(s["spec"]["internalTrafficPolicy"], "Cluster");
        assert_eq!(s["spec"]["sessionAffinity"], "None");
        let c = validate(&json!({"spec": {"ports": [{"port": 70000}]}}));
        assert_eq!(
            format!("{}: {}", c[0].field, c[0].message),
            "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"
        );
    }
}
