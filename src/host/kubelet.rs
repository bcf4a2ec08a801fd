//! The kubelet of every node, as one step of the settle loop: it syncs each pod bound to a Ready
//! node (`pkg/kubelet/kubelet.go` `SyncPod`): admission against the node's pods capacity, the
//! sandbox and its IP, init containers one at a time in order, then the containers, each through
//! its own life ([`containers`]); then the pod status (`pkg/kubelet/kubelet_pods.go`
//! `generateAPIPodStatus`, `getPhase`; `pkg/kubelet/status/generate.go` for the conditions).
//! Events carry the v1.35 kubelet wording and repeat as client-go's correlator counts them.
//!
//! Pods seeded with a running status (the control plane, add-ons) have no record here and are
//! left as they are: they run until something changes them.

pub mod containers;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::cluster::api::{Api, UserInfo, WriteOptions};
use crate::cluster::controllers::{Key, Source, meta_str, record_event, res};
use containers::{Cx, Event, NodeImages, Record, State};

/// The kubelets' memory, kept on the cluster: one record per container (`<pod uid>/<name>`) and
/// the images each node has pulled.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KubeletState {
    pub containers: BTreeMap<String, Record>,
    pub images: NodeImages,
}

fn phase(p: &Value) -> &str {
    p.pointer("/status/phase").and_then(Value::as_str).unwrap_or_default()
}

/// Pods a kubelet syncs: bound to a node, not being deleted, not finished.
fn to_sync(p: &Value) -> bool {
    p.pointer("/spec/nodeName").and_then(Value::as_str).is_some_and(|n| !n.is_empty())
        && p.pointer("/metadata/deletionTimestamp").is_none()
        && !matches!(phase(p), "Succeeded" | "Failed")
}

pub fn keys(api: &Api<'_>) -> Vec<Key> {
    crate::cluster::controllers::keys_where(api, "pods", to_sync)
}

/// The next moment a container changes by itself: a process exits, a back-off ends.
pub fn wake(api: &Api<'_>) -> Option<i64> {
    let now = api.clock.now;
    api.cluster.kubelet.containers.values().filter_map(Record::due).filter(|t| *t > now).min()
}

fn node_ready(node: &Value) -> bool {
    node.pointer("/status/conditions").and_then(Value::as_array).is_some_and(|cs| {
        cs.iter().any(|c| c.get("type").and_then(Value::as_str) == Some("Ready") && c.get("status").and_then(Value::as_str) == Some("True"))
    })
}

fn internal_ip(node: &Value) -> String {
    node.pointer("/status/addresses")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|x| x.get("type").and_then(Value::as_str) == Some("InternalIP")))
        .and_then(|x| x.get("address"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The lowest free address of the node's podCIDR (a /24 here), from `.2` up as the seeded pods
/// were given theirs: what the CNI's IPAM hands out, deterministically.
fn allocate_pod_ip(api: &Api<'_>, node: &Value) -> Option<String> {
    let cidr = node.pointer("/spec/podCIDR").and_then(Value::as_str)?;
    let (base, _) = cidr.split_once('/')?;
    let prefix = base.rsplit_once('.')?.0;
    let pods = res("pods")?;
    let used: std::collections::HashSet<&str> =
        api.cluster.store.list(pods, None).filter_map(|p| p.pointer("/status/podIP").and_then(Value::as_str)).collect();
    (2..255).map(|i| format!("{prefix}.{i}")).find(|ip| !used.contains(ip.as_str()))
}

/// The kubelet's admission of a pod against the node's `pods` capacity (`allocatable.pods`, 110
/// on a kubeadm node): the pods it already runs count; a pod over the limit is rejected
/// (`pkg/kubelet/lifecycle/predicate.go`, InsufficientResourceError) rather than started.
fn out_of_pods(api: &Api<'_>, node: &Value, node_name: &str, key: &Key) -> Option<String> {
    let capacity: usize = node.pointer("/status/allocatable/pods").and_then(Value::as_str).and_then(|p| p.parse().ok())?;
    let pods = res("pods")?;
    let used = api
        .cluster
        .store
        .list(pods, None)
        .filter(|p| p.pointer("/spec/nodeName").and_then(Value::as_str) == Some(node_name))
        .filter(|p| p.pointer("/status/containerStatuses").is_some())
        .filter(|p| !matches!(p.pointer("/status/phase").and_then(Value::as_str), Some("Succeeded" | "Failed")))
        .filter(|p| meta_str(p, "name") != key.name || meta_str(p, "namespace") != key.namespace)
        .count();
    (used >= capacity).then(|| format!("Node didn't have enough resource: pods, requested: 1, used: {used}, capacity: {capacity}"))
}

fn record_key(uid: &str, name: &str) -> String {
    format!("{uid}/{name}")
}

/// Records a kubelet event; one identical to an earlier event of the pod (same reason, message
/// and source) bumps that one's count and lastTimestamp instead, as client-go's EventCorrelator
/// aggregates them (describe then shows `(x3 over 40s)`).
fn emit(api: &mut Api<'_>, pod: &Value, node: &str, e: &Event) {
    let Some(events) = res("events") else { return };
    let ns = meta_str(pod, "namespace").to_string();
    let uid = meta_str(pod, "uid").to_string();
    let same = api
        .cluster
        .store
        .list(events, Some(&ns))
        .find(|x| {
            x.pointer("/involvedObject/uid").and_then(Value::as_str) == Some(uid.as_str())
                && x.get("reason").and_then(Value::as_str) == Some(e.reason)
                && x.get("message").and_then(Value::as_str) == Some(e.message.as_str())
                && x.pointer("/source/host").and_then(Value::as_str) == Some(node)
        })
        .cloned();
    if let Some(mut x) = same {
        let count = x.get("count").and_then(Value::as_i64).unwrap_or(1);
        x["count"] = json!(count + 1);
        x["lastTimestamp"] = json!(api.clock.rfc3339());
        let _ = api.update(&UserInfo::system(), events, Some(&ns), x, &WriteOptions::default());
        return;
    }
    let source = Source { component: "kubelet", host: Some(node) };
    record_event(api, pod, e.ty, e.reason, &e.message, &source, false);
}

/// A container's environment as the kubelet builds it (`makeEnvironmentVariables`): the
/// service link of the `kubernetes` service, envFrom, then env with `$(VAR)` expanded; a missing
/// config map, secret or key that is not optional is the CreateContainerConfigError message.
fn environment(api: &Api<'_>, pod: &Value, c: &Value) -> containers::Env {
    let ns = meta_str(pod, "namespace");
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    env.insert("PATH".into(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into());
    env.insert("HOSTNAME".into(), meta_str(pod, "name").to_string());
    env.insert("HOME".into(), "/root".into());
    for (k, v) in [
        ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
        ("KUBERNETES_SERVICE_PORT", "443"),
        ("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
        ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
        ("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
        ("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
        ("KUBERNETES_PORT_443_TCP_PORT", "443"),
        ("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"),
    ] {
        env.insert(k.into(), v.into());
    }
    let data = |kind: &str, name: &str| -> Option<BTreeMap<String, String>> {
        let r = res(kind)?;
        let obj = api.cluster.store.get(r, ns, name)?;
        let mut out = BTreeMap::new();
        for (k, v) in obj.get("data").and_then(Value::as_object).into_iter().flatten() {
            let text = v.as_str().unwrap_or_default();
            let value = if kind == "secrets" {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD.decode(text).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
            } else {
                text.to_string()
            };
            out.insert(k.clone(), value);
        }
        Some(out)
    };
    let kind_word = |kind: &str| if kind == "secrets" { ("secret", "Secret") } else { ("configmap", "ConfigMap") };
    for from in c.get("envFrom").and_then(Value::as_array).into_iter().flatten() {
        let prefix = from.get("prefix").and_then(Value::as_str).unwrap_or_default();
        for (field, kind) in [("configMapRef", "configmaps"), ("secretRef", "secrets")] {
            let Some(r) = from.get(field) else { continue };
            let name = r.get("name").and_then(Value::as_str).unwrap_or_default();
            match data(kind, name) {
                Some(d) => env.extend(d.into_iter().map(|(k, v)| (format!("{prefix}{k}"), v))),
                None if r.get("optional").and_then(Value::as_bool) == Some(true) => {}
                None => return Err(format!("{} \"{name}\" not found", kind_word(kind).0)),
            }
        }
    }
    for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
        let name = e.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        if let Some(v) = e.get("value").and_then(Value::as_str) {
            let v = containers_expand(v, &env);
            env.insert(name, v);
            continue;
        }
        let Some(from) = e.get("valueFrom") else {
            env.insert(name, String::new());
            continue;
        };
        if let Some(f) = from.pointer("/fieldRef/fieldPath").and_then(Value::as_str) {
            let v = field_value(pod, f);
            env.insert(name, v);
            continue;
        }
        for (field, kind) in [("configMapKeyRef", "configmaps"), ("secretKeyRef", "secrets")] {
            let Some(r) = from.get(field) else { continue };
            let obj = r.get("name").and_then(Value::as_str).unwrap_or_default();
            let key = r.get("key").and_then(Value::as_str).unwrap_or_default();
            let optional = r.get("optional").and_then(Value::as_bool) == Some(true);
            match data(kind, obj) {
                Some(d) => match d.get(key) {
                    Some(v) => {
                        env.insert(name.clone(), v.clone());
                    }
                    None if optional => {}
                    None => return Err(format!("couldn't find key {key} in {} {ns}/{obj}", kind_word(kind).1)),
                },
                None if optional => {}
                None => return Err(format!("{} \"{obj}\" not found", kind_word(kind).0)),
            }
        }
    }
    Ok(env)
}

fn containers_expand(v: &str, env: &BTreeMap<String, String>) -> String {
    crate::host::runtime::expand(v, env)
}

/// The downward API's `fieldRef` values.
fn field_value(pod: &Value, path: &str) -> String {
    let s = |p: &str| pod.pointer(p).and_then(Value::as_str).unwrap_or_default().to_string();
    match path {
        "metadata.name" => s("/metadata/name"),
        "metadata.namespace" => s("/metadata/namespace"),
        "metadata.uid" => s("/metadata/uid"),
        "spec.nodeName" => s("/spec/nodeName"),
        "spec.serviceAccountName" => s("/spec/serviceAccountName"),
        "status.podIP" => s("/status/podIP"),
        "status.hostIP" => s("/status/hostIP"),
        p => {
            let label = |prefix: &str, field: &str| {
                p.strip_prefix(prefix)
                    .and_then(|r| r.strip_prefix("['"))
                    .and_then(|r| r.strip_suffix("']"))
                    .and_then(|k| pod.pointer(&format!("/metadata/{field}")).and_then(|m| m.get(k)).and_then(Value::as_str))
                    .map(str::to_string)
            };
            label("metadata.labels", "labels").or_else(|| label("metadata.annotations", "annotations")).unwrap_or_default()
        }
    }
}

fn list<'v>(pod: &'v Value, field: &str) -> Vec<&'v Value> {
    pod.pointer(&format!("/spec/{field}")).and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default()
}

fn name_of(c: &Value) -> &str {
    c.get("name").and_then(Value::as_str).unwrap_or_default()
}

/// Whether an init container has finished successfully.
fn init_done(rec: &Record) -> bool {
    rec.state == State::Exited && rec.last.as_ref().and_then(|l| l.get("exitCode")).and_then(Value::as_i64) == Some(0)
}

pub fn reconcile(api: &mut Api<'_>, key: &Key) {
    let (Some(pods), Some(nodes)) = (res("pods"), res("nodes")) else { return };
    let Some(pod) = api.cluster.store.get(pods, &key.namespace, &key.name).cloned() else { return };
    if !to_sync(&pod) {
        return;
    }
    let uid = meta_str(&pod, "uid").to_string();
    let all: Vec<Value> = list(&pod, "initContainers").into_iter().chain(list(&pod, "containers")).cloned().collect();
    let known = all.iter().any(|c| api.cluster.kubelet.containers.contains_key(&record_key(&uid, name_of(c))));
    if !known && pod.pointer("/status/containerStatuses").is_some() {
        // Started before this kubelet kept records (a seeded pod): it runs as it is.
        return;
    }
    let node_name = pod.pointer("/spec/nodeName").and_then(Value::as_str).unwrap_or_default().to_string();
    let Some(node) = api.cluster.store.get(nodes, "", &node_name).cloned() else { return };
    if !node_ready(&node) {
        return;
    }
    let source = Source { component: "kubelet", host: Some(&node_name) };
    if !known && let Some(message) = out_of_pods(api, &node, &node_name, key) {
        // `rejectPod`: a warning event and a Failed status naming the reason.
        record_event(api, &pod, "Warning", "OutOfpods", &message, &source, false);
        let mut next = pod.clone();
        next["status"]["phase"] = Value::from("Failed");
        next["status"]["reason"] = Value::from("OutOfpods");
        next["status"]["message"] = Value::from(format!("Pod was rejected: {message}"));
        let _ = api.update_status(&UserInfo::system(), pods, Some(&key.namespace), next, &WriteOptions::default());
        return;
    }
    let host_ip = internal_ip(&node);
    let pod_ip = match pod.pointer("/status/podIP").and_then(Value::as_str) {
        Some(ip) if !ip.is_empty() => ip.to_string(),
        _ if pod.pointer("/spec/hostNetwork").and_then(Value::as_bool) == Some(true) => host_ip.clone(),
        _ => match allocate_pod_ip(api, &node) {
            Some(ip) => ip,
            None => return,
        },
    };
    let now = api.clock.now;
    let restart_policy = pod.pointer("/spec/restartPolicy").and_then(Value::as_str).unwrap_or("Always").to_string();
    let pod_ref = format!("{}_{}({uid})", key.name, key.namespace);
    let mut events = Vec::new();
    let mut records: Vec<(String, Record)> =
        all.iter().map(|c| (name_of(c).to_string(), api.cluster.kubelet.containers.get(&record_key(&uid, name_of(c))).cloned().unwrap_or_default())).collect();
    let envs: Vec<containers::Env> = all.iter().map(|c| environment(api, &pod, c)).collect();
    let inits = list(&pod, "initContainers").len();
    let mut images = std::mem::take(&mut api.cluster.kubelet.images);
    let mut initialized = true;
    for (i, c) in all.iter().enumerate() {
        let init = i < inits;
        if !init && !initialized {
            break;
        }
        let cx = Cx { now, node: &node_name, pod_name: &key.name, pod_ip: &pod_ip, pod_ref: pod_ref.clone(), restart_policy: &restart_policy, init };
        let rec = &mut records[i].1;
        if init && init_done(rec) {
            continue;
        }
        containers::sync(&cx, c, &envs[i], rec, &mut images, api.rng, &mut events);
        if init && !init_done(rec) {
            // Init containers run one at a time, in order; the rest wait for this one.
            initialized = false;
        }
    }
    api.cluster.kubelet.images = images;
    for (name, rec) in &records {
        api.cluster.kubelet.containers.insert(record_key(&uid, name), rec.clone());
    }
    for e in &events {
        emit(api, &pod, &node_name, e);
    }
    // Re-read: the events did not change the pod, but its resourceVersion is what we update.
    let Some(current) = api.cluster.store.get(pods, &key.namespace, &key.name).cloned() else { return };
    let status = pod_status(&current, &records, inits, initialized, &restart_policy, &pod_ref, &host_ip, &pod_ip, now);
    if current.get("status") == Some(&status) {
        return;
    }
    let mut next = current;
    next["status"] = status;
    // The Node authorizer (not RBAC) admits a kubelet's status writes, which this simulation
    // does not model; the write goes as the system identity.
    let _ = api.update_status(&UserInfo::system(), pods, Some(&key.namespace), next, &WriteOptions::default());
}

/// `getPhase`.
fn get_phase(init: &[Value], main: &[Value], restart_policy: &str) -> &'static str {
    let term = |s: &Value, p: &str| s.pointer(p).is_some();
    let code = |s: &Value, p: &str| s.pointer(p).and_then(Value::as_i64).unwrap_or(0);
    let mut pending_init = 0;
    let mut failed_init = 0;
    for s in init {
        if term(s, "/state/terminated") {
            if code(s, "/state/terminated/exitCode") != 0 {
                failed_init += 1;
            }
        } else if term(s, "/state/waiting") && term(s, "/lastState/terminated") {
            if code(s, "/lastState/terminated/exitCode") != 0 {
                failed_init += 1;
            }
        } else {
            pending_init += 1;
        }
    }
    let (mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0);
    for s in main {
        if term(s, "/state/running") {
            running += 1;
        } else if term(s, "/state/terminated") {
            stopped += 1;
            if code(s, "/state/terminated/exitCode") == 0 {
                succeeded += 1;
            }
        } else if term(s, "/lastState/terminated") {
            stopped += 1;
        } else {
            waiting += 1;
        }
    }
    if failed_init > 0 && restart_policy == "Never" {
        return "Failed";
    }
    if pending_init > 0 || waiting > 0 {
        return "Pending";
    }
    if running > 0 {
        return "Running";
    }
    if stopped > 0 {
        return match restart_policy {
            "Always" => "Running",
            _ if stopped == succeeded => "Succeeded",
            "Never" => "Failed",
            _ => "Running",
        };
    }
    "Pending"
}

#[allow(clippy::too_many_arguments)] // reason: the pod status joins the sync's results with the pod's addresses
fn pod_status(
    pod: &Value,
    records: &[(String, Record)],
    inits: usize,
    initialized: bool,
    restart_policy: &str,
    pod_ref: &str,
    host_ip: &str,
    pod_ip: &str,
    now: i64,
) -> Value {
    let specs: Vec<&Value> = list(pod, "initContainers").into_iter().chain(list(pod, "containers")).collect();
    let mut init_st = Vec::new();
    let mut main_st = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let init = i < inits;
        let cx = Cx { now, node: "", pod_name: "", pod_ip, pod_ref: pod_ref.to_string(), restart_policy, init };
        let pending = if init || !initialized { "PodInitializing" } else { "ContainerCreating" };
        let st = containers::status(&cx, spec, &records[i].1, pending);
        if init { init_st.push(st) } else { main_st.push(st) }
    }
    let phase = get_phase(&init_st, &main_st, restart_policy);
    let old = |ty: &str| -> Option<Value> {
        pod.pointer("/status/conditions").and_then(Value::as_array)?.iter().find(|c| c.get("type").and_then(Value::as_str) == Some(ty)).cloned()
    };
    let generation = pod.pointer("/metadata/generation").and_then(Value::as_i64).unwrap_or(1);
    let cond = |ty: &str, ok: bool, reason: &str, message: &str| {
        let status = if ok { "True" } else { "False" };
        let since = match old(ty) {
            Some(o) if o.get("status").and_then(Value::as_str) == Some(status) => o.get("lastTransitionTime").cloned().unwrap_or(Value::Null),
            _ => json!(crate::world::clock::format_rfc3339(now)),
        };
        let mut c = json!({"lastProbeTime": null, "lastTransitionTime": since, "observedGeneration": generation});
        if !message.is_empty() {
            c["message"] = json!(message);
        }
        if !reason.is_empty() {
            c["reason"] = json!(reason);
        }
        c["status"] = json!(status);
        c["type"] = json!(ty);
        c
    };
    let incomplete: Vec<&str> = specs[..inits].iter().zip(records).filter(|(_, (_, r))| !init_done(r)).map(|(s, _)| name_of(s)).collect();
    let unready: Vec<&str> =
        main_st.iter().filter(|s| s.get("ready").and_then(Value::as_bool) != Some(true)).filter_map(|s| s.get("name").and_then(Value::as_str)).collect();
    let terminal = match phase {
        "Succeeded" => "PodCompleted",
        "Failed" => "PodFailed",
        _ => "",
    };
    let initialized_cond = if phase == "Succeeded" {
        cond("Initialized", true, "PodCompleted", "")
    } else if incomplete.is_empty() {
        cond("Initialized", true, "", "")
    } else {
        cond("Initialized", false, "ContainersNotInitialized", &format!("containers with incomplete status: [{}]", incomplete.join(" ")))
    };
    let ready = |ty: &str| {
        if !terminal.is_empty() {
            cond(ty, false, terminal, "")
        } else if unready.is_empty() {
            cond(ty, true, "", "")
        } else {
            cond(ty, false, "ContainersNotReady", &format!("containers with unready status: [{}]", unready.join(" ")))
        }
    };
    let scheduled = old("PodScheduled").unwrap_or_else(|| cond("PodScheduled", true, "", ""));
    let sandbox = cond("PodReadyToStartContainers", true, "", "");
    let mut status = serde_json::Map::new();
    status.insert(
        "conditions".into(),
        json!([sandbox, initialized_cond, ready("Ready"), ready("ContainersReady"), scheduled]),
    );
    status.insert("containerStatuses".into(), Value::Array(main_st));
    status.insert("hostIP".into(), json!(host_ip));
    status.insert("hostIPs".into(), json!([{"ip": host_ip}]));
    if !init_st.is_empty() {
        status.insert("initContainerStatuses".into(), Value::Array(init_st));
    }
    status.insert("observedGeneration".into(), json!(generation));
    status.insert("phase".into(), json!(phase));
    status.insert("podIP".into(), json!(pod_ip));
    status.insert("podIPs".into(), json!([{"ip": pod_ip}]));
    let spec = pod.get("spec").cloned().unwrap_or(Value::Null);
    status.insert("qosClass".into(), json!(crate::cluster::kinds::pod::qos_class(&spec)));
    // What the API server and scheduler put there (nominatedNodeName …) stays.
    for (k, v) in pod.get("status").and_then(Value::as_object).into_iter().flatten() {
        if !matches!(k.as_str(), "conditions" | "phase" | "reason" | "message") {
            status.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    let start = pod.pointer("/status/startTime").cloned().unwrap_or_else(|| json!(crate::world::clock::format_rfc3339(now)));
    status.insert("startTime".into(), start);
    Value::Object(status)
}
