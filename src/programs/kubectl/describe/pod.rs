//! The Pod describer and the pieces the workload describers share: containers, volumes and the
//! pod template (kubectl `describePod`, `describeContainers`, `describeVolumes`,
//! `DescribePodTemplate`).

use serde_json::Value;

use super::Env;
use super::writer::{self as wr, W, arr, i, map, or_none, s, time_at};

pub fn describe(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    if let Some(p) = o.pointer("/spec/priority").and_then(Value::as_i64) {
        w.w(0, &format!("Priority:\t{p}\n"));
    }
    if !s(o, "/spec/priorityClassName").is_empty() {
        w.w(0, &format!("Priority Class Name:\t{}\n", s(o, "/spec/priorityClassName")));
    }
    if !s(o, "/spec/runtimeClassName").is_empty() {
        w.w(0, &format!("Runtime Class Name:\t{}\n", s(o, "/spec/runtimeClassName")));
    }
    if !s(o, "/spec/serviceAccountName").is_empty() {
        w.w(0, &format!("Service Account:\t{}\n", s(o, "/spec/serviceAccountName")));
    }
    if s(o, "/spec/nodeName").is_empty() {
        w.w(0, "Node:\t<none>\n");
    } else {
        w.w(0, &format!("Node:\t{}/{}\n", s(o, "/spec/nodeName"), s(o, "/status/hostIP")));
    }
    if o.pointer("/status/startTime").is_some_and(Value::is_string) {
        w.w(0, &format!("Start Time:\t{}\n", time_at(o, "/status/startTime")));
    }
    wr::meta_labels_annotations(&mut w, o);
    let phase = s(o, "/status/phase");
    if o.pointer("/metadata/deletionTimestamp").is_some_and(Value::is_string) && phase != "Failed" && phase != "Succeeded" {
        w.w(0, &format!("Status:\tTerminating (lasts {})\n", crate::cluster::table::since(o, "/metadata/deletionTimestamp", env.now)));
        w.w(0, &format!("Termination Grace Period:\t{}s\n", i(o, "/metadata/deletionGracePeriodSeconds")));
    } else {
        w.w(0, &format!("Status:\t{phase}\n"));
    }
    if !s(o, "/status/reason").is_empty() {
        w.w(0, &format!("Reason:\t{}\n", s(o, "/status/reason")));
    }
    if !s(o, "/status/message").is_empty() {
        w.w(0, &format!("Message:\t{}\n", s(o, "/status/message")));
    }
    if let Some(sp) = o.pointer("/spec/securityContext/seccompProfile") {
        w.w(0, &format!("SeccompProfile:\t{}\n", s(sp, "/type")));
        if s(sp, "/type") == "Localhost" {
            w.w(0, &format!("LocalhostProfile:\t{}\n", s(sp, "/localhostProfile")));
        }
    }
    w.w(0, &format!("IP:\t{}\n", s(o, "/status/podIP")));
    let ips = arr(o, "/status/podIPs");
    if ips.is_empty() {
        w.w(0, "IPs:\t<none>\n");
    } else {
        w.w(0, "IPs:\n");
        for ip in ips {
            w.w(1, &format!("IP:\t{}\n", s(ip, "/ip")));
        }
    }
    if let Some(c) = controller(o) {
        w.w(0, &format!("Controlled By:\t{c}\n"));
    }
    if !s(o, "/status/nominatedNodeName").is_empty() {
        w.w(0, &format!("NominatedNodeName:\t{}\n", s(o, "/status/nominatedNodeName")));
    }
    if let Some(r) = o.pointer("/spec/resources") {
        w.w(0, "Resources:\n");
        resources(&mut w, r, 1);
    }
    let init = arr(o, "/spec/initContainers");
    if !init.is_empty() {
        containers(&mut w, "Init Containers", init, Some(arr(o, "/status/initContainerStatuses")), "", Some(o));
    }
    containers(&mut w, "Containers", arr(o, "/spec/containers"), Some(arr(o, "/status/containerStatuses")), "", Some(o));
    let gates = arr(o, "/spec/readinessGates");
    if !gates.is_empty() {
        w.w(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let ty = s(g, "/conditionType");
            let status = arr(o, "/status/conditions")
                .iter()
                .find(|c| s(c, "/type") == ty)
                .map_or_else(|| "<none>".to_string(), |c| s(c, "/status").to_string());
            w.w(1, &format!("{ty} \t{status} \n"));
        }
    }
    let conds = arr(o, "/status/conditions");
    if !conds.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in conds {
            w.w(1, &format!("{} \t{} \n", s(c, "/type"), s(c, "/status")));
        }
    }
    volumes(&mut w, arr(o, "/spec/volumes"), "");
    w.w(0, &format!("QoS Class:\t{}\n", qos_class(o)));
    wr::labels(&mut w, "Node-Selectors", &map(o, "/spec/nodeSelector"));
    wr::tolerations(&mut w, "", "Tolerations", arr(o, "/spec/tolerations"));
    topology_spread(&mut w, arr(o, "/spec/topologySpreadConstraints"), "");
    if env.show_events {
        wr::events(&mut w, &env.events_for(o, true), env.now);
    }
    w.finish()
}

/// `printController`: `Kind/name` of the controlling owner.
pub fn controller(o: &Value) -> Option<String> {
    arr(o, "/metadata/ownerReferences")
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .map(|r| format!("{}/{}", s(r, "/kind"), s(r, "/name")))
}

/// `qos.GetPodQOS`: the recorded class, else computed from the containers' resources.
pub fn qos_class(o: &Value) -> String {
    let recorded = s(o, "/status/qosClass");
    if !recorded.is_empty() {
        return recorded.to_string();
    }
    let all: Vec<&Value> = arr(o, "/spec/containers").iter().chain(arr(o, "/spec/initContainers")).collect();
    let mut any = false;
    let mut guaranteed = true;
    for c in &all {
        let req = map(c, "/resources/requests");
        let lim = map(c, "/resources/limits");
        if !req.is_empty() || !lim.is_empty() {
            any = true;
        }
        for r in ["cpu", "memory"] {
            match lim.get(r) {
                None => guaranteed = false,
                Some(l) => {
                    if req.get(r).is_some_and(|q| super::quantity::parse(q) != super::quantity::parse(l)) {
                        guaranteed = false;
                    }
                }
            }
        }
    }
    if !any {
        "BestEffort".into()
    } else if guaranteed {
        "Guaranteed".into()
    } else {
        "Burstable".into()
    }
}

/// `describeResources`: Limits then Requests, resource names sorted.
pub fn resources(w: &mut W, r: &Value, level: usize) {
    for (title, key) in [("Limits", "/limits"), ("Requests", "/requests")] {
        let m = map(r, key);
        if !m.is_empty() {
            w.w(level, &format!("{title}:\n"));
        }
        for (k, q) in m {
            w.w(level + 1, &format!("{k}:\t{}\n", super::quantity::canonical(&q)));
        }
    }
}

fn ports(c: &Value, host: bool) -> String {
    arr(c, "/ports")
        .iter()
        .map(|p| {
            let n = if host { i(p, "/hostPort") } else { i(p, "/containerPort") };
            let proto = if s(p, "/protocol").is_empty() { "TCP" } else { s(p, "/protocol") };
            let mut x = format!("{n}/{proto}");
            if !s(p, "/name").is_empty() {
                x = format!("{x} ({})", s(p, "/name"));
            }
            x
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `DescribeProbe`.
fn probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        i(p, "/initialDelaySeconds"),
        p.get("timeoutSeconds").and_then(Value::as_i64).unwrap_or(1),
        p.get("periodSeconds").and_then(Value::as_i64).unwrap_or(10),
        p.get("successThreshold").and_then(Value::as_i64).unwrap_or(1),
        p.get("failureThreshold").and_then(Value::as_i64).unwrap_or(3)
    );
    let port = |x: Option<&Value>| x.map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).unwrap_or_default();
    if let Some(e) = p.get("exec") {
        let cmd: Vec<String> = arr(e, "/command").iter().filter_map(Value::as_str).map(str::to_string).collect();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = p.get("httpGet") {
        let scheme = if s(h, "/scheme").is_empty() { "http".to_string() } else { s(h, "/scheme").to_lowercase() };
        let pt = port(h.get("port"));
        let host = if pt.is_empty() { s(h, "/host").to_string() } else { format!("{}:{pt}", s(h, "/host")) };
        return format!("http-get {scheme}://{host}{} {attrs}", s(h, "/path"));
    }
    if let Some(t) = p.get("tcpSocket") {
        return format!("tcp-socket {}:{} {attrs}", s(t, "/host"), port(t.get("port")));
    }
    if let Some(g) = p.get("grpc") {
        return format!("grpc <pod>:{} {} {attrs}", i(g, "/port"), s(g, "/service"));
    }
    format!("unknown {attrs}")
}

fn state(w: &mut W, name: &str, st: &Value) {
    if let Some(r) = st.get("running") {
        w.w(2, &format!("{name}:\tRunning\n"));
        w.w(3, &format!("Started:\t{}\n", time_at(r, "/startedAt")));
    } else if let Some(wt) = st.get("waiting") {
        w.w(2, &format!("{name}:\tWaiting\n"));
        if !s(wt, "/reason").is_empty() {
            w.w(3, &format!("Reason:\t{}\n", s(wt, "/reason")));
        }
    } else if let Some(t) = st.get("terminated") {
        w.w(2, &format!("{name}:\tTerminated\n"));
        if !s(t, "/reason").is_empty() {
            w.w(3, &format!("Reason:\t{}\n", s(t, "/reason")));
        }
        if !s(t, "/message").is_empty() {
            w.w(3, &format!("Message:\t{}\n", s(t, "/message")));
        }
        w.w(3, &format!("Exit Code:\t{}\n", i(t, "/exitCode")));
        if i(t, "/signal") > 0 {
            w.w(3, &format!("Signal:\t{}\n", i(t, "/signal")));
        }
        w.w(3, &format!("Started:\t{}\n", time_at(t, "/startedAt")));
        w.w(3, &format!("Finished:\t{}\n", time_at(t, "/finishedAt")));
    } else {
        w.w(2, &format!("{name}:\tWaiting\n"));
    }
}

/// `describeContainers`; `statuses` is `None` for pod templates; `pod` resolves field refs.
pub fn containers(w: &mut W, label: &str, cs: &[Value], statuses: Option<&[Value]>, space: &str, pod: Option<&Value>) {
    let none = if cs.is_empty() { " <none>" } else { "" };
    w.w(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in cs {
        let name = s(c, "/name");
        let st = statuses.and_then(|ss| ss.iter().find(|x| s(x, "/name") == name));
        w.w(1, &format!("{name_indent}{name}:\n"));
        if let Some(st) = st {
            w.w(2, &format!("Container ID:\t{}\n", s(st, "/containerID")));
        }
        w.w(2, &format!("Image:\t{}\n", s(c, "/image")));
        if let Some(st) = st {
            w.w(2, &format!("Image ID:\t{}\n", s(st, "/imageID")));
        }
        let p = ports(c, false);
        if p.contains(',') {
            w.w(2, &format!("Ports:\t{p}\n"));
        } else {
            w.w(2, &format!("Port:\t{}\n", or_none(&p)));
        }
        let hp = ports(c, true);
        if hp.contains(',') {
            w.w(2, &format!("Host Ports:\t{hp}\n"));
        } else {
            w.w(2, &format!("Host Port:\t{}\n", or_none(&hp)));
        }
        if let Some(sp) = c.pointer("/securityContext/seccompProfile") {
            w.w(2, &format!("SeccompProfile:\t{}\n", s(sp, "/type")));
        }
        for (title, key) in [("Command", "/command"), ("Args", "/args")] {
            let items = arr(c, key);
            if !items.is_empty() {
                w.w(2, &format!("{title}:\n"));
                for x in items {
                    for line in x.as_str().unwrap_or_default().split('\n') {
                        w.w(3, &format!("{line}\n"));
                    }
                }
            }
        }
        if let Some(st) = st {
            state(w, "State", st.get("state").unwrap_or(&Value::Null));
            if st.pointer("/lastState/terminated").is_some() {
                state(w, "Last State", st.get("lastState").unwrap_or(&Value::Null));
            }
            let ready = st.get("ready").and_then(Value::as_bool) == Some(true);
            w.w(2, &format!("Ready:\t{}\n", if ready { "True" } else { "False" }));
            w.w(2, &format!("Restart Count:\t{}\n", i(st, "/restartCount")));
        }
        if let Some(r) = c.get("resources") {
            resources(w, r, 2);
        }
        for (title, key) in [("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")] {
            if let Some(p) = c.get(key) {
                w.w(2, &format!("{title}:\t{}\n", probe(p)));
            }
        }
        let env_from = arr(c, "/envFrom");
        if !env_from.is_empty() {
            w.w(2, "Environment Variables from:\n");
            for e in env_from {
                let (from, r) = if let Some(r) = e.get("configMapRef") {
                    ("ConfigMap", r)
                } else {
                    ("Secret", e.get("secretRef").unwrap_or(&Value::Null))
                };
                let optional = r.get("optional").and_then(Value::as_bool) == Some(true);
                let prefix = s(e, "/prefix");
                if prefix.is_empty() {
                    w.w(3, &format!("{}\t{from}\tOptional: {optional}\n", s(r, "/name")));
                } else {
                    w.w(3, &format!("{}\t{from} with prefix '{prefix}'\tOptional: {optional}\n", s(r, "/name")));
                }
            }
        }
        env(w, c, pod);
        let mounts = arr(c, "/volumeMounts");
        w.w(2, &format!("Mounts:{}\n", if mounts.is_empty() { "\t<none>" } else { "" }));
        let mut ms: Vec<&Value> = mounts.iter().collect();
        ms.sort_by(|a, b| s(a, "/mountPath").cmp(s(b, "/mountPath")));
        for m in ms {
            let mut flags =
                vec![if m.get("readOnly").and_then(Value::as_bool) == Some(true) { "ro".to_string() } else { "rw".to_string() }];
            if !s(m, "/subPath").is_empty() {
                flags.push(format!("path={:?}", s(m, "/subPath")));
            }
            w.w(3, &format!("{} from {} ({})\n", s(m, "/mountPath"), s(m, "/name"), flags.join(",")));
        }
    }
}

fn env(w: &mut W, c: &Value, pod: Option<&Value>) {
    let envs = arr(c, "/env");
    w.w(2, &format!("Environment:{}\n", if envs.is_empty() { "\t<none>" } else { "" }));
    for e in envs {
        let name = s(e, "/name");
        let Some(from) = e.get("valueFrom") else {
            for (n, line) in s(e, "/value").split('\n').enumerate() {
                if n == 0 {
                    w.w(3, &format!("{name}:\t{line}\n"));
                } else {
                    w.w(3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        if let Some(f) = from.get("fieldRef") {
            let path = s(f, "/fieldPath");
            let value = pod.map(|p| field_path_value(p, path)).unwrap_or_default();
            let api = if s(f, "/apiVersion").is_empty() { "v1" } else { s(f, "/apiVersion") };
            w.w(3, &format!("{name}:\t{value} ({api}:{path})\n"));
        } else if let Some(r) = from.get("resourceFieldRef") {
            let resource = s(r, "/resource");
            w.w(3, &format!("{name}:\t{} ({resource})\n", resource_field_value(c, r)));
        } else if let Some(k) = from.get("secretKeyRef") {
            let optional = k.get("optional").and_then(Value::as_bool) == Some(true);
            w.w(3, &format!("{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {optional}\n", s(k, "/key"), s(k, "/name")));
        } else if let Some(k) = from.get("configMapKeyRef") {
            let optional = k.get("optional").and_then(Value::as_bool) == Some(true);
            w.w(3, &format!("{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {optional}\n", s(k, "/key"), s(k, "/name")));
        }
    }
}

/// The value a `resourceFieldRef` resolves to (`ExtractContainerResourceValue`): the container's
/// request or limit divided by the divisor (CPU rounded up); an unset CPU or memory limit reads
/// `node allocatable`.
fn resource_field_value(c: &Value, r: &Value) -> String {
    use super::quantity::parse;
    let resource = s(r, "/resource");
    let Some((kind, res)) = resource.split_once('.') else { return String::new() };
    let key = if kind == "limits" { "limits" } else { "requests" };
    let Some(q) = c.pointer(&format!("/resources/{key}/{res}")).and_then(Value::as_str) else {
        return if kind == "limits" && (res == "cpu" || res == "memory") { "node allocatable".into() } else { "0".into() };
    };
    let divisor = match r.get("divisor").and_then(Value::as_str) {
        Some(d) if parse(d) > 0 => parse(d),
        _ => 1000,
    };
    let v = parse(q);
    if res == "cpu" { ((v + divisor - 1) / divisor).to_string() } else { (v / divisor).to_string() }
}

/// The downward API value of a pod field (`metadata.name`, `status.podIP`, `spec.nodeName` …).
fn field_path_value(pod: &Value, path: &str) -> String {
    if let Some(key) = path.strip_prefix("metadata.labels['").and_then(|k| k.strip_suffix("']")) {
        return map(pod, "/metadata/labels").get(key).cloned().unwrap_or_default();
    }
    if let Some(key) = path.strip_prefix("metadata.annotations['").and_then(|k| k.strip_suffix("']")) {
        return map(pod, "/metadata/annotations").get(key).cloned().unwrap_or_default();
    }
    let ptr = match path {
        "spec.serviceAccountName" => "/spec/serviceAccountName".to_string(),
        p => format!("/{}", p.replace('.', "/")),
    };
    s(pod, &ptr).to_string()
}

/// `describeVolumes`.
pub fn volumes(w: &mut W, vols: &[Value], space: &str) {
    if vols.is_empty() {
        w.w(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.w(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in vols {
        w.w(1, &format!("{name_indent}{}:\n", s(v, "/name")));
        let b = |p: &str| v.pointer(p).and_then(Value::as_bool).unwrap_or(false);
        if let Some(h) = v.get("hostPath") {
            let ty = if s(h, "/type").is_empty() { "<none>" } else { s(h, "/type") };
            w.w(2, &format!("Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{ty}\n", s(h, "/path")));
        } else if let Some(e) = v.get("emptyDir") {
            let limit = if s(e, "/sizeLimit").is_empty() { "<unset>".to_string() } else { s(e, "/sizeLimit").to_string() };
            w.w(
                2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{limit}\n",
                    s(e, "/medium")
                ),
            );
        } else if let Some(sec) = v.get("secret") {
            w.w(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    s(sec, "/secretName"),
                    b("/secret/optional")
                ),
            );
        } else if let Some(cm) = v.get("configMap") {
            w.w(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    s(cm, "/name"),
                    b("/configMap/optional")
                ),
            );
        } else if let Some(c) = v.get("persistentVolumeClaim") {
            w.w(
                2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    s(c, "/claimName"),
                    b("/persistentVolumeClaim/readOnly")
                ),
            );
        } else if let Some(n) = v.get("nfs") {
            w.w(
                2,
                &format!(
                    "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                    s(n, "/server"),
                    s(n, "/path"),
                    b("/nfs/readOnly")
                ),
            );
        } else if let Some(p) = v.get("projected") {
            w.w(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
            for src in arr(p, "/sources") {
                if let Some(sec) = src.get("secret") {
                    let opt = sec.get("optional").and_then(Value::as_bool) == Some(true);
                    w.w(2, &format!("SecretName:\t{}\n    Optional:\t{opt}\n", s(sec, "/name")));
                } else if src.get("downwardAPI").is_some() {
                    w.w(2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = src.get("configMap") {
                    let opt = cm.get("optional").and_then(Value::as_bool) == Some(true);
                    w.w(2, &format!("ConfigMapName:\t{}\n    Optional:\t{opt}\n", s(cm, "/name")));
                } else if let Some(t) = src.get("serviceAccountToken") {
                    w.w(2, &format!("TokenExpirationSeconds:\t{}\n", t.get("expirationSeconds").and_then(Value::as_i64).unwrap_or(3600)));
                } else if let Some(ctb) = src.get("clusterTrustBundle") {
                    w.w(2, &format!("ClusterTrustBundle:\t{}\n", s(ctb, "/name")));
                }
            }
        } else if v.get("downwardAPI").is_some() {
            w.w(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
            for it in arr(v, "/downwardAPI/items") {
                if let Some(f) = it.get("fieldRef") {
                    w.w(3, &format!("{} -> {}\n", s(f, "/fieldPath"), s(it, "/path")));
                }
                if let Some(r) = it.get("resourceFieldRef") {
                    w.w(3, &format!("{} -> {}\n", s(r, "/resource"), s(it, "/path")));
                }
            }
        } else if let Some(c) = v.get("csi") {
            w.w(
                2,
                &format!(
                    "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                    s(c, "/driver"),
                    s(c, "/fsType"),
                    b("/csi/readOnly")
                ),
            );
        } else {
            w.w(1, "<unknown>\n");
        }
    }
}

fn topology_spread(w: &mut W, tscs: &[Value], space: &str) {
    if tscs.is_empty() {
        return;
    }
    let mut t: Vec<&Value> = tscs.iter().collect();
    t.sort_by(|a, b| s(a, "/topologyKey").cmp(s(b, "/topologyKey")));
    w.w(0, &format!("{space}Topology Spread Constraints:\t"));
    for (n, c) in t.iter().enumerate() {
        if n != 0 {
            w.w(0, &format!("{space}\t"));
        }
        let mut line = format!("{}:{} when max skew {} is exceeded", s(c, "/topologyKey"), s(c, "/whenUnsatisfiable"), i(c, "/maxSkew"));
        if let Some(sel) = c.get("labelSelector") {
            line.push_str(&format!(" for selector {}", crate::cluster::selector::format_label_selector(Some(sel))));
        }
        w.w(0, &format!("{line}\n"));
    }
}

/// `DescribePodTemplate`.
pub fn pod_template(w: &mut W, t: Option<&Value>) {
    w.w(0, "Pod Template:\n");
    let Some(t) = t else {
        w.w(1, "<unset>");
        return;
    };
    wr::labels(w, "  Labels", &map(t, "/metadata/labels"));
    let ann = map(t, "/metadata/annotations");
    if !ann.is_empty() {
        wr::annotations(w, "  Annotations", &ann);
    }
    if !s(t, "/spec/serviceAccountName").is_empty() {
        w.w(1, &format!("Service Account:\t{}\n", s(t, "/spec/serviceAccountName")));
    }
    let init = arr(t, "/spec/initContainers");
    if !init.is_empty() {
        containers(w, "Init Containers", init, None, "  ", None);
    }
    containers(w, "Containers", arr(t, "/spec/containers"), None, "  ", None);
    volumes(w, arr(t, "/spec/volumes"), "  ");
    topology_spread(w, arr(t, "/spec/topologySpreadConstraints"), "  ");
    if !s(t, "/spec/priorityClassName").is_empty() {
        w.w(1, &format!("Priority Class Name:\t{}\n", s(t, "/spec/priorityClassName")));
    }
    wr::labels(w, "  Node-Selectors", &map(t, "/spec/nodeSelector"));
    wr::tolerations(w, "", "  Tolerations", arr(t, "/spec/tolerations"));
}
