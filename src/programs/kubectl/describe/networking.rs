//! Describers of networking.k8s.io objects: Ingress (rules with their backends' endpoints) and
//! NetworkPolicy (the spec spelled out).

use serde_json::Value;

use super::Env;
use super::writer::{self as wr, W, arr, map, s};
use crate::cluster::selector::format_label_selector;

fn port_text(p: Option<&Value>) -> String {
    match p {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn backend(env: &Env<'_, '_>, ns: Option<&str>, b: &Value) -> String {
    if let Some(svc) = b.get("service") {
        let name = s(svc, "/name");
        let port = svc.pointer("/port/number").map_or_else(|| s(svc, "/port/name").to_string(), |n| n.to_string());
        let head = format!("{name}:{port}");
        let Some(service) = env.get("services", ns, name) else {
            return format!("{head} (<error: services \"{name}\" not found>)");
        };
        let slices = env.list("endpointslices.discovery.k8s.io", ns, Some(format!("kubernetes.io/service-name={name}")), None);
        let number = svc.pointer("/port/number").and_then(Value::as_i64).unwrap_or(0);
        let pname = s(svc, "/port/name");
        let mut sp_name = String::new();
        for sp in arr(&service, "/spec/ports") {
            if (number != 0 && sp.get("port").and_then(Value::as_i64) == Some(number)) || (!pname.is_empty() && s(sp, "/name") == pname) {
                sp_name = s(sp, "/name").to_string();
            }
        }
        let mut list = Vec::new();
        let mut count = 0;
        for sl in &slices {
            for p in arr(sl, "/ports").iter().filter(|p| s(p, "/name") == sp_name) {
                for e in arr(sl, "/endpoints") {
                    if e.pointer("/conditions/ready").and_then(Value::as_bool) == Some(false) {
                        continue;
                    }
                    if list.len() < 3 {
                        list.push(format!("{}:{}", s(e, "/addresses/0"), port_text(p.get("port"))));
                    }
                    count += 1;
                }
            }
        }
        let eps = if slices.is_empty() {
            "<none>".to_string()
        } else if count > 3 {
            format!("{} + {} more...", list.join(","), count - 3)
        } else {
            list.join(",")
        };
        return format!("{head} ({eps})");
    }
    if let Some(r) = b.get("resource") {
        let group = if s(r, "/apiGroup").is_empty() { "<none>" } else { s(r, "/apiGroup") };
        return format!("APIGroup: {group}, Kind: {}, Name: {}", s(r, "/kind"), s(r, "/name"));
    }
    String::new()
}

pub fn ingress(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    let ns = o.pointer("/metadata/namespace").and_then(Value::as_str);
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    wr::labels(&mut w, "Labels", &map(o, "/metadata/labels"));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    w.w(0, &format!("Address:\t{}\n", crate::cluster::table::core::load_balancer_addresses(o)));
    let class = if s(o, "/spec/ingressClassName").is_empty() { "<none>" } else { s(o, "/spec/ingressClassName") };
    w.w(0, &format!("Ingress Class:\t{class}\n"));
    let default =
        o.pointer("/spec/defaultBackend").filter(|d| d.is_object()).map_or_else(|| "<default>".to_string(), |d| backend(env, ns, d));
    w.w(0, &format!("Default backend:\t{default}\n"));
    let tls = arr(o, "/spec/tls");
    if !tls.is_empty() {
        w.w(0, "TLS:\n");
        for t in tls {
            let hosts: Vec<&str> = arr(t, "/hosts").iter().filter_map(Value::as_str).collect();
            if s(t, "/secretName").is_empty() {
                w.w(1, &format!("SNI routes {}\n", hosts.join(",")));
            } else {
                w.w(1, &format!("{} terminates {}\n", s(t, "/secretName"), hosts.join(",")));
            }
        }
    }
    w.w(0, "Rules:\n  Host\tPath\tBackends\n");
    w.w(1, "----\t----\t--------\n");
    let mut count = 0;
    for r in arr(o, "/spec/rules") {
        let Some(http) = r.get("http") else { continue };
        count += 1;
        let host = if s(r, "/host").is_empty() { "*" } else { s(r, "/host") };
        w.w(1, &format!("{host}\t\n"));
        for p in arr(http, "/paths") {
            w.w(2, &format!("\t{} \t{}\n", s(p, "/path"), backend(env, ns, p.get("backend").unwrap_or(&Value::Null))));
        }
    }
    if count == 0 {
        w.w(1, &format!("*\t*\t{default}\n"));
    }
    wr::annotations(&mut w, "Annotations", &map(o, "/metadata/annotations"));
    if env.show_events {
        wr::events(&mut w, &env.events_for(o, false), env.now);
    }
    w.finish()
}

fn peers(w: &mut W, rules: &[Value], key: &str, word: &str, isolated: &str, unrestricted: &str) {
    let ind = "    ";
    if rules.is_empty() {
        w.w(0, &format!("{ind}{isolated}\n"));
        return;
    }
    for (n, r) in rules.iter().enumerate() {
        let ports = arr(r, "/ports");
        if ports.is_empty() {
            w.w(0, &format!("{ind}To Port: <any> (traffic allowed to all ports)\n"));
        }
        for p in ports {
            let proto = if s(p, "/protocol").is_empty() { "TCP" } else { s(p, "/protocol") };
            match p.get("endPort").and_then(Value::as_i64) {
                None => w.w(0, &format!("{ind}To Port: {}/{proto}\n", port_text(p.get("port")))),
                Some(end) => w.w(0, &format!("{ind}To Port Range: {}-{end}/{proto}\n", port_text(p.get("port")))),
            }
        }
        let list = arr(r, &format!("/{key}"));
        if list.is_empty() {
            w.w(0, &format!("{ind}{unrestricted}\n"));
        }
        for peer in list {
            w.w(0, &format!("{ind}{word}:\n"));
            let pod = peer.get("podSelector");
            let ns = peer.get("namespaceSelector");
            if let (Some(p), Some(nsel)) = (pod, ns) {
                w.w(1, &format!("{ind}NamespaceSelector: {}\n", format_label_selector(Some(nsel))));
                w.w(1, &format!("{ind}PodSelector: {}\n", format_label_selector(Some(p))));
            } else if let Some(p) = pod {
                w.w(1, &format!("{ind}PodSelector: {}\n", format_label_selector(Some(p))));
            } else if let Some(nsel) = ns {
                w.w(1, &format!("{ind}NamespaceSelector: {}\n", format_label_selector(Some(nsel))));
            } else if let Some(b) = peer.get("ipBlock") {
                w.w(1, &format!("{ind}IPBlock:\n"));
                w.w(2, &format!("{ind}CIDR: {}\n", s(b, "/cidr")));
                let except: Vec<&str> = arr(b, "/except").iter().filter_map(Value::as_str).collect();
                w.w(2, &format!("{ind}Except: {}\n", except.join(", ")));
            }
        }
        if n + 1 != rules.len() {
            w.w(0, &format!("{ind}----------\n"));
        }
    }
}

/// `metav1.Time` as Go's `time.Time.String()` prints it (`2026-01-15 09:00:00 +0000 UTC`).
fn go_time(o: &Value, ptr: &str) -> String {
    match o.pointer(ptr).and_then(Value::as_str).and_then(crate::cluster::table::duration::parse_time) {
        Some(t) => {
            let (y, mo, d, h, mi, sec) = crate::world::clock::civil(t);
            format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{sec:02} +0000 UTC")
        }
        None => "0001-01-01 00:00:00 +0000 UTC".into(),
    }
}

pub fn network_policy(_env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    w.w(0, &format!("Created on:\t{}\n", go_time(o, "/metadata/creationTimestamp")));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, "Spec:\n");
    w.w(1, "PodSelector: ");
    let sel = o.pointer("/spec/podSelector");
    if format_label_selector(sel) == "<none>" {
        w.w(2, "<none> (Allowing the specific traffic to all pods in this namespace)\n");
    } else {
        w.w(2, &format!("{}\n", format_label_selector(sel)));
    }
    let types: Vec<&str> = arr(o, "/spec/policyTypes").iter().filter_map(Value::as_str).collect();
    if types.contains(&"Ingress") {
        w.w(1, "Allowing ingress traffic:\n");
        peers(
            &mut w,
            arr(o, "/spec/ingress"),
            "from",
            "From",
            "<none> (Selected pods are isolated for ingress connectivity)",
            "From: <any> (traffic not restricted by source)",
        );
    } else {
        w.w(1, "Not affecting ingress traffic\n");
    }
    if types.contains(&"Egress") {
        w.w(1, "Allowing egress traffic:\n");
        peers(
            &mut w,
            arr(o, "/spec/egress"),
            "to",
            "To",
            "<none> (Selected pods are isolated for egress connectivity)",
            "To: <any> (traffic not restricted by destination)",
        );
    } else {
        w.w(1, "Not affecting egress traffic\n");
    }
    w.w(1, &format!("Policy Types: {}\n", types.join(", ")));
    w.finish()
}
