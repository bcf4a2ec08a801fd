//! Describers of core/v1 kinds other than Pod and Node: Service, ConfigMap, Secret, Namespace,
//! ServiceAccount, ResourceQuota, LimitRange, PersistentVolume, PersistentVolumeClaim.

use std::collections::BTreeSet;

use base64::Engine;
use serde_json::Value;

use super::Env;
use super::quantity::canonical;
use super::writer::{self as wr, W, arr, i, map, s};

fn name_ns(w: &mut W, o: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
}

fn go_list(o: &Value, ptr: &str) -> String {
    let items: Vec<&str> = arr(o, ptr).iter().filter_map(Value::as_str).collect();
    format!("[{}]", items.join(" "))
}

/// `formatEndpointSlices` for one service port name: ready endpoints as `ip:port`, at most 3.
fn endpoints_for_port(slices: &[Value], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".into();
    }
    let mut list = Vec::new();
    let mut count = 0;
    let mut more = false;
    for sl in slices {
        let ready = |e: &Value| e.pointer("/conditions/ready").and_then(Value::as_bool) != Some(false);
        let ports = arr(sl, "/ports");
        if ports.is_empty() {
            for e in arr(sl, "/endpoints") {
                if list.len() == 3 {
                    more = true;
                }
                if !ready(e) {
                    continue;
                }
                if !more {
                    list.push(s(e, "/addresses/0").to_string());
                }
                count += 1;
            }
            continue;
        }
        for p in ports {
            if s(p, "/name") != port_name {
                continue;
            }
            for e in arr(sl, "/endpoints") {
                if list.len() == 3 {
                    more = true;
                }
                if !ready(e) {
                    continue;
                }
                if !more {
                    list.push(format!("{}:{}", s(e, "/addresses/0"), i(p, "/port")));
                }
                count += 1;
            }
        }
    }
    let joined = list.join(",");
    if more { format!("{joined} + {} more...", count - 3) } else { joined }
}

pub fn service(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    name_ns(&mut w, o);
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("Selector:\t{}\n", crate::cluster::selector::format_labels(&map(o, "/spec/selector"))));
    w.w(0, &format!("Type:\t{}\n", s(o, "/spec/type")));
    if !s(o, "/spec/ipFamilyPolicy").is_empty() {
        w.w(0, &format!("IP Family Policy:\t{}\n", s(o, "/spec/ipFamilyPolicy")));
    }
    let fams: Vec<&str> = arr(o, "/spec/ipFamilies").iter().filter_map(Value::as_str).collect();
    w.w(0, &format!("IP Families:\t{}\n", if fams.is_empty() { "<none>".to_string() } else { fams.join(",") }));
    w.w(0, &format!("IP:\t{}\n", s(o, "/spec/clusterIP")));
    let ips: Vec<&str> = arr(o, "/spec/clusterIPs").iter().filter_map(Value::as_str).collect();
    w.w(0, &format!("IPs:\t{}\n", if ips.is_empty() { "<none>".to_string() } else { ips.join(",") }));
    let ext: Vec<&str> = arr(o, "/spec/externalIPs").iter().filter_map(Value::as_str).collect();
    if !ext.is_empty() {
        w.w(0, &format!("External IPs:\t{}\n", ext.join(",")));
    }
    if !s(o, "/spec/loadBalancerIP").is_empty() {
        w.w(0, &format!("Desired LoadBalancer IP:\t{}\n", s(o, "/spec/loadBalancerIP")));
    }
    if !s(o, "/spec/externalName").is_empty() {
        w.w(0, &format!("External Name:\t{}\n", s(o, "/spec/externalName")));
    }
    let ingress = arr(o, "/status/loadBalancer/ingress");
    if !ingress.is_empty() {
        let list: Vec<String> = ingress
            .iter()
            .map(|x| {
                if s(x, "/ip").is_empty() {
                    s(x, "/hostname").to_string()
                } else if s(x, "/ipMode").is_empty() {
                    s(x, "/ip").to_string()
                } else {
                    format!("{} ({})", s(x, "/ip"), s(x, "/ipMode"))
                }
            })
            .collect();
        w.w(0, &format!("LoadBalancer Ingress:\t{}\n", list.join(", ")));
    }
    let ns = o.pointer("/metadata/namespace").and_then(Value::as_str);
    let slices =
        env.list("endpointslices.discovery.k8s.io", ns, Some(format!("kubernetes.io/service-name={}", s(o, "/metadata/name"))), None);
    for p in arr(o, "/spec/ports") {
        let pname = if s(p, "/name").is_empty() { "<unset>" } else { s(p, "/name") };
        let proto = if s(p, "/protocol").is_empty() { "TCP" } else { s(p, "/protocol") };
        w.w(0, &format!("Port:\t{pname}\t{}/{proto}\n", i(p, "/port")));
        let tp = match p.get("targetPort") {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => i(p, "/port").to_string(),
        };
        w.w(0, &format!("TargetPort:\t{tp}/{proto}\n"));
        if i(p, "/nodePort") != 0 {
            w.w(0, &format!("NodePort:\t{pname}\t{}/{proto}\n", i(p, "/nodePort")));
        }
        w.w(0, &format!("Endpoints:\t{}\n", endpoints_for_port(&slices, s(p, "/name"))));
    }
    w.w(0, &format!("Session Affinity:\t{}\n", s(o, "/spec/sessionAffinity")));
    if !s(o, "/spec/externalTrafficPolicy").is_empty() {
        w.w(0, &format!("External Traffic Policy:\t{}\n", s(o, "/spec/externalTrafficPolicy")));
    }
    if !s(o, "/spec/internalTrafficPolicy").is_empty() {
        w.w(0, &format!("Internal Traffic Policy:\t{}\n", s(o, "/spec/internalTrafficPolicy")));
    }
    if i(o, "/spec/healthCheckNodePort") != 0 {
        w.w(0, &format!("HealthCheck NodePort:\t{}\n", i(o, "/spec/healthCheckNodePort")));
    }
    if !s(o, "/spec/trafficDistribution").is_empty() {
        w.w(0, &format!("Traffic Distribution:\t{}\n", s(o, "/spec/trafficDistribution")));
    }
    if env.show_events {
        wr::events(&mut w, &env.events_for(o, false), env.now);
    }
    w.finish()
}

pub fn configmap(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    name_ns(&mut w, o);
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, "\nData\n====\n");
    for (k, v) in map(o, "/data") {
        w.w(0, &format!("{k}:\n----\n"));
        w.w(0, &format!("{v}\n"));
        w.w(0, "\n");
    }
    w.w(0, "\nBinaryData\n====\n");
    if let Some(bd) = o.get("binaryData").and_then(Value::as_object) {
        let mut keys: Vec<&String> = bd.keys().collect();
        keys.sort();
        for k in keys {
            let len = bd[k].as_str().and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok()).map_or(0, |d| d.len());
            w.w(0, &format!("{k}: {len} bytes\n"));
        }
    }
    w.w(0, "\n");
    if env.show_events {
        wr::events(&mut w, &env.events_for(o, false), env.now);
    }
    w.finish()
}

pub fn secret(_env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    name_ns(&mut w, o);
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("\nType:\t{}\n", s(o, "/type")));
    w.w(0, "\nData\n====\n");
    if let Some(d) = o.get("data").and_then(Value::as_object) {
        let mut keys: Vec<&String> = d.keys().collect();
        keys.sort();
        for k in keys {
            let bytes = d[k].as_str().and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok()).unwrap_or_default();
            if k == "token" && s(o, "/type") == "kubernetes.io/service-account-token" {
                w.w(0, &format!("{k}:\t{}\n", String::from_utf8_lossy(&bytes)));
            } else {
                w.w(0, &format!("{k}:\t{} bytes\n", bytes.len()));
            }
        }
    }
    w.finish()
}

fn quota_tables(w: &mut W, quotas: &[Value]) {
    if quotas.is_empty() {
        w.w(0, "No resource quota.\n");
        return;
    }
    let mut qs: Vec<&Value> = quotas.iter().collect();
    qs.sort_by(|a, b| s(a, "/metadata/name").cmp(s(b, "/metadata/name")));
    w.w(0, "Resource Quotas\n");
    for q in qs {
        w.w(1, &format!("Name:\t{}\n", s(q, "/metadata/name")));
        w.w(1, "Resource\tUsed\tHard\n");
        w.w(1, "--------\t---\t---\n");
        let used = map(q, "/status/used");
        for (k, h) in map(q, "/status/hard") {
            w.w(1, &format!("{k}\t{}\t{}\n", canonical(used.get(&k).map_or("0", String::as_str)), canonical(&h)));
        }
    }
}

fn limit_rows(w: &mut W, lr: &Value, prefix: &str) {
    for item in arr(lr, "/spec/limits") {
        let mut keys = BTreeSet::new();
        for f in ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] {
            keys.extend(map(item, &format!("/{f}")).into_keys());
        }
        for k in keys {
            let get = |f: &str| map(item, &format!("/{f}")).get(&k).map_or_else(|| "-".to_string(), |q| canonical(q));
            w.w(
                0,
                &format!(
                    "{prefix}{}\t{k}\t{}\t{}\t{}\t{}\t{}\n",
                    s(item, "/type"),
                    get("min"),
                    get("max"),
                    get("defaultRequest"),
                    get("default"),
                    get("maxLimitRequestRatio")
                ),
            );
        }
    }
}

pub fn namespace(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    let name = s(o, "/metadata/name");
    w.w(0, &format!("Name:\t{name}\n"));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("Status:\t{}\n", s(o, "/status/phase")));
    let conds = arr(o, "/status/conditions");
    if !conds.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.w(1, "----\t------\t------------------\t------\t-------\n");
        for c in conds {
            w.w(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    s(c, "/type"),
                    s(c, "/status"),
                    wr::time_at(c, "/lastTransitionTime"),
                    s(c, "/reason"),
                    s(c, "/message")
                ),
            );
        }
    }
    w.w(0, "\n");
    quota_tables(&mut w, &env.list("resourcequotas", Some(name), None, None));
    w.w(0, "\n");
    let limits = env.list("limitranges", Some(name), None, None);
    if limits.is_empty() {
        w.w(0, "No LimitRange resource.\n");
    } else {
        w.w(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
        w.w(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
        for lr in &limits {
            limit_rows(&mut w, lr, " ");
        }
    }
    w.finish()
}

pub fn service_account(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    name_ns(&mut w, o);
    wr::meta_labels_annotations(&mut w, o);
    let pulls: Vec<&str> = arr(o, "/imagePullSecrets").iter().map(|x| s(x, "/name")).collect();
    if pulls.is_empty() {
        w.w(0, "Image pull secrets:\t<none>\n");
    } else {
        let mut header = "Image pull secrets:";
        for p in pulls {
            w.w(0, &format!("{header}\t{p}\n"));
            header = "                   ";
        }
    }
    if env.show_events {
        wr::events(&mut w, &env.events_for(o, false), env.now);
    }
    w.finish()
}

pub fn resource_quota(_env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    name_ns(&mut w, o);
    let scopes: Vec<&str> = arr(o, "/spec/scopes").iter().filter_map(Value::as_str).collect();
    if !scopes.is_empty() {
        let mut sorted = scopes.clone();
        sorted.sort_unstable();
        w.w(0, &format!("Scopes:\t{}\n", sorted.join(", ")));
    }
    w.w(0, "Resource\tUsed\tHard\n");
    w.w(0, "--------\t----\t----\n");
    let used = map(o, "/status/used");
    for (k, h) in map(o, "/status/hard") {
        w.w(0, &format!("{k}\t{}\t{}\n", canonical(used.get(&k).map_or("0", String::as_str)), canonical(&h)));
    }
    w.finish()
}

pub fn limit_range(_env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    name_ns(&mut w, o);
    w.w(0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
    w.w(0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
    limit_rows(&mut w, o, "");
    w.finish()
}

fn storage_class(o: &Value) -> String {
    o.pointer("/metadata/annotations/volume.beta.kubernetes.io~1storage-class")
        .and_then(Value::as_str)
        .map_or_else(|| s(o, "/spec/storageClassName").to_string(), str::to_string)
}

pub fn persistent_volume(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("Finalizers:\t{}\n", go_list(o, "/metadata/finalizers")));
    w.w(0, &format!("StorageClass:\t{}\n", storage_class(o)));
    if o.pointer("/metadata/deletionTimestamp").is_some_and(Value::is_string) {
        w.w(0, &format!("Status:\tTerminating (lasts {})\n", crate::cluster::table::since(o, "/metadata/deletionTimestamp", env.now)));
    } else {
        w.w(0, &format!("Status:\t{}\n", s(o, "/status/phase")));
    }
    if o.pointer("/spec/claimRef").is_some_and(Value::is_object) {
        w.w(0, &format!("Claim:\t{}/{}\n", s(o, "/spec/claimRef/namespace"), s(o, "/spec/claimRef/name")));
    } else {
        w.w(0, "Claim:\t\n");
    }
    w.w(0, &format!("Reclaim Policy:\t{}\n", s(o, "/spec/persistentVolumeReclaimPolicy")));
    w.w(0, &format!("Access Modes:\t{}\n", crate::cluster::table::core::access_modes(arr(o, "/spec/accessModes"))));
    if !s(o, "/spec/volumeMode").is_empty() {
        w.w(0, &format!("VolumeMode:\t{}\n", s(o, "/spec/volumeMode")));
    }
    w.w(
        0,
        &format!(
            "Capacity:\t{}\n",
            canonical(if s(o, "/spec/capacity/storage").is_empty() { "0" } else { s(o, "/spec/capacity/storage") })
        ),
    );
    w.w(0, "Node Affinity:\t");
    match o.pointer("/spec/nodeAffinity/required") {
        None => w.line("<none>"),
        Some(req) => {
            w.line("");
            w.w(1, "Required Terms:\t");
            let terms = arr(req, "/nodeSelectorTerms");
            if terms.is_empty() {
                w.line("<none>");
            } else {
                w.line("");
                for (n, t) in terms.iter().enumerate() {
                    w.w(2, &format!("Term {n}:\t"));
                    let exprs = arr(t, "/matchExpressions");
                    if exprs.is_empty() {
                        w.line("<none>");
                    }
                    for (k, e) in exprs.iter().enumerate() {
                        if k != 0 {
                            w.w(2, "\t");
                        }
                        let mut x = format!("{} {}", s(e, "/key"), s(e, "/operator").to_lowercase());
                        let vals: Vec<&str> = arr(e, "/values").iter().filter_map(Value::as_str).collect();
                        if !vals.is_empty() {
                            x = format!("{x} [{}]", vals.join(", "));
                        }
                        w.w(0, &format!("{x}\n"));
                    }
                }
            }
        }
    }
    w.w(0, &format!("Message:\t{}\n", s(o, "/status/message")));
    w.w(0, "Source:\n");
    if let Some(h) = o.pointer("/spec/hostPath") {
        let ty = if s(h, "/type").is_empty() { "<none>" } else { s(h, "/type") };
        w.w(2, &format!("Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{ty}\n", s(h, "/path")));
    } else if let Some(n) = o.pointer("/spec/nfs") {
        let ro = n.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
        w.w(
            2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{ro}\n",
                s(n, "/server"),
                s(n, "/path")
            ),
        );
    } else if let Some(l) = o.pointer("/spec/local") {
        w.w(2, &format!("Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n", s(l, "/path")));
    } else if let Some(c) = o.pointer("/spec/csi") {
        let ro = c.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
        w.w(2, &format!("Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{ro}\n", s(c, "/driver"), s(c, "/fsType"), s(c, "/volumeHandle")));
    } else {
        w.w(1, "<unknown>\n");
    }
    if env.show_events {
        wr::events(&mut w, &env.events_for(o, false), env.now);
    }
    w.finish()
}

pub fn persistent_volume_claim(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    name_ns(&mut w, o);
    w.w(0, &format!("StorageClass:\t{}\n", storage_class(o)));
    if o.pointer("/metadata/deletionTimestamp").is_some_and(Value::is_string) {
        w.w(0, &format!("Status:\tTerminating (lasts {})\n", crate::cluster::table::since(o, "/metadata/deletionTimestamp", env.now)));
    } else {
        w.w(0, &format!("Status:\t{}\n", s(o, "/status/phase")));
    }
    let volume = s(o, "/spec/volumeName");
    w.w(0, &format!("Volume:\t{volume}\n"));
    wr::meta_labels_annotations(&mut w, o);
    w.w(0, &format!("Finalizers:\t{}\n", go_list(o, "/metadata/finalizers")));
    let (cap, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (canonical(s(o, "/status/capacity/storage")), crate::cluster::table::core::access_modes(arr(o, "/status/accessModes")))
    };
    w.w(0, &format!("Capacity:\t{cap}\n"));
    w.w(0, &format!("Access Modes:\t{modes}\n"));
    if !s(o, "/spec/volumeMode").is_empty() {
        w.w(0, &format!("VolumeMode:\t{}\n", s(o, "/spec/volumeMode")));
    }
    let ns = o.pointer("/metadata/namespace").and_then(Value::as_str);
    let claim = s(o, "/metadata/name");
    let mut users: Vec<String> = env
        .list("pods", ns, None, None)
        .into_iter()
        .filter(|p| arr(p, "/spec/volumes").iter().any(|v| s(v, "/persistentVolumeClaim/claimName") == claim))
        .map(|p| s(&p, "/metadata/name").to_string())
        .collect();
    users.sort();
    w.w(0, "Used By:\t");
    if users.is_empty() {
        w.line("<none>");
    }
    for (n, u) in users.iter().enumerate() {
        if n != 0 {
            w.w(0, "\t");
        }
        w.w(0, &format!("{u}\n"));
    }
    if env.show_events {
        wr::events(&mut w, &env.events_for(o, false), env.now);
    }
    w.finish()
}
