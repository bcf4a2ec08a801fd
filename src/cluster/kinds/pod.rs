//! Pods: scheme defaults (`pkg/apis/core/v1/defaults.go`: `SetDefaults_Pod` — requests from
//! limits, resize policies, enableServiceLinks, host-network ports, for Pods only —
//! `SetDefaults_PodSpec`, `SetDefaults_Container`, probes, ports, volumes), the pod strategy (status reset to Pending with
//! its QoS class, generation 1) and validation (`pkg/apis/core/validation/validation.go`:
//! `ValidatePodSpec`, `ValidatePodUpdate`).

use serde_json::{Map, Value, json};

use super::super::validation::{self as v, NameRule};
use super::super::{Cause, quantity};
use super::{BASE, Ctx, Strategy, child, default_key, each_in};

pub const STRATEGY: Strategy = Strategy {
    name_rule: NameRule::Subdomain,
    default: default_pod,
    before_create,
    validate,
    validate_update,
    generation: true,
    status_subresource: true,
    ..BASE
};

fn default_pod(obj: &mut Value) {
    let Some(root) = obj.as_object_mut() else { return };
    let spec = child(root, "spec");
    default_pod_spec(spec);
    // What `SetDefaults_Pod` adds only to Pods, never to pod templates.
    for key in ["containers", "initContainers"] {
        let main = key == "containers";
        each_in(spec, key, |c| {
            // Limits without requests: requests default to the limits.
            if let Some(Value::Object(res)) = c.get_mut("resources")
                && let Some(Value::Object(limits)) = res.get("limits").cloned()
            {
                let requests = child(res, "requests");
                for (k, val) in limits {
                    requests.entry(k).or_insert(val);
                }
            }
            // In-place resize: containers with cpu/memory requests get a NotRequired policy.
            if main {
                let requested: Vec<&str> = ["cpu", "memory"]
                    .into_iter()
                    .filter(|r| c.get("resources").and_then(|x| x.get("requests")).and_then(|x| x.get(*r)).is_some())
                    .collect();
                for r in requested {
                    let policies = c.entry("resizePolicy").or_insert_with(|| json!([]));
                    if let Value::Array(list) = policies
                        && !list.iter().any(|p| p.get("resourceName").and_then(Value::as_str) == Some(r))
                    {
                        list.push(json!({"resourceName": r, "restartPolicy": "NotRequired"}));
                    }
                }
            }
        });
    }
    default_key(spec, "enableServiceLinks", json!(true));
    if spec.get("hostNetwork").and_then(Value::as_bool) == Some(true) {
        // Host-network pods publish their container ports as host ports.
        for key in ["containers", "initContainers"] {
            each_in(spec, key, |c| {
                each_in(c, "ports", |p| {
                    if p.get("hostPort").and_then(Value::as_i64).unwrap_or(0) == 0
                        && let Some(cp) = p.get("containerPort").cloned()
                    {
                        p.insert("hostPort".into(), cp);
                    }
                })
            });
        }
    }
}

/// `SetDefaults_PodSpec` and everything nested in it (also used for workload templates).
pub fn default_pod_spec(spec: &mut Map<String, Value>) {
    default_key(spec, "dnsPolicy", json!("ClusterFirst"));
    default_key(spec, "restartPolicy", json!("Always"));
    default_key(spec, "schedulerName", json!("default-scheduler"));
    default_key(spec, "securityContext", json!({}));
    default_key(spec, "terminationGracePeriodSeconds", json!(30));
    for key in ["containers", "initContainers", "ephemeralContainers"] {
        each_in(spec, key, default_container);
    }
    each_in(spec, "volumes", default_volume);
}

fn default_container(c: &mut Map<String, Value>) {
    let image = c.get("image").and_then(Value::as_str).unwrap_or_default().to_string();
    default_key(c, "imagePullPolicy", json!(pull_policy_for(&image)));
    default_key(c, "terminationMessagePath", json!("/dev/termination-log"));
    default_key(c, "terminationMessagePolicy", json!("File"));
    default_key(c, "resources", json!({}));
    each_in(c, "ports", |p| default_key(p, "protocol", json!("TCP")));
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(Value::Object(p)) = c.get_mut(probe) {
            default_probe(p);
        }
    }
    if let Some(Value::Object(lc)) = c.get_mut("lifecycle") {
        for hook in ["postStart", "preStop"] {
            if let Some(Value::Object(h)) = lc.get_mut(hook) {
                default_handler(h);
            }
        }
    }
    each_in(c, "env", |e| {
        if let Some(Value::Object(vf)) = e.get_mut("valueFrom")
            && let Some(Value::Object(fr)) = vf.get_mut("fieldRef")
        {
            default_key(fr, "apiVersion", json!("v1"));
        }
    });
}

fn default_probe(p: &mut Map<String, Value>) {
    default_key(p, "timeoutSeconds", json!(1));
    default_key(p, "periodSeconds", json!(10));
    default_key(p, "successThreshold", json!(1));
    default_key(p, "failureThreshold", json!(3));
    default_handler(p);
}

fn default_handler(h: &mut Map<String, Value>) {
    if let Some(Value::Object(get)) = h.get_mut("httpGet") {
        default_key(get, "path", json!("/"));
        default_key(get, "scheme", json!("HTTP"));
    }
}

fn default_volume(vol: &mut Map<String, Value>) {
    if vol.len() == 1 && vol.contains_key("name") {
        // A volume with no source is an emptyDir (SetDefaults_Volume).
        vol.insert("emptyDir".into(), json!({}));
    }
    for (source, mode_key) in
        [("configMap", "defaultMode"), ("secret", "defaultMode"), ("downwardAPI", "defaultMode"), ("projected", "defaultMode")]
    {
        if let Some(Value::Object(s)) = vol.get_mut(source) {
            default_key(s, mode_key, json!(420));
        }
    }
    if let Some(Value::Object(hp)) = vol.get_mut("hostPath") {
        default_key(hp, "type", json!(""));
    }
    if let Some(Value::Object(proj)) = vol.get_mut("projected") {
        each_in(proj, "sources", |src| {
            if let Some(Value::Object(tok)) = src.get_mut("serviceAccountToken") {
                default_key(tok, "expirationSeconds", json!(3600));
            }
        });
    }
    if let Some(Value::Object(dapi)) = vol.get_mut("downwardAPI") {
        each_in(dapi, "items", |item| {
            if let Some(Value::Object(fr)) = item.get_mut("fieldRef") {
                default_key(fr, "apiVersion", json!("v1"));
            }
        });
    }
}

/// `Always` for `:latest` or an untagged image, else `IfNotPresent` (digests count as tags).
pub fn pull_policy_for(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

/// The pod strategy's `PrepareForCreate`: status starts as Pending with the computed QoS class.
fn before_create(obj: &mut Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    let qos = qos_class(obj.get("spec").unwrap_or(&Value::Null));
    if let Some(root) = obj.as_object_mut() {
        root.insert("status".into(), json!({"phase": "Pending", "qosClass": qos}));
    }
    Ok(())
}

/// `Guaranteed`, `Burstable` or `BestEffort` (`pkg/apis/core/helper/qos`).
pub fn qos_class(spec: &Value) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    let containers =
        ["containers", "initContainers"].iter().filter_map(|k| spec.get(*k).and_then(Value::as_array)).flatten().collect::<Vec<_>>();
    for c in &containers {
        let req = c.pointer("/resources/requests").and_then(Value::as_object);
        let lim = c.pointer("/resources/limits").and_then(Value::as_object);
        let nonzero = |m: Option<&Map<String, Value>>| {
            m.is_some_and(|m| m.iter().any(|(k, q)| (k == "cpu" || k == "memory") && quantity::of(q).is_some_and(|x| x != 0.0)))
        };
        if nonzero(req) || nonzero(lim) {
            any = true;
        }
        for r in ["cpu", "memory"] {
            let l = lim.and_then(|m| m.get(r)).and_then(quantity::of);
            let q = req.and_then(|m| m.get(r)).and_then(quantity::of);
            match (l, q) {
                (Some(l), Some(q)) if (l - q).abs() < f64::EPSILON && l != 0.0 => {}
                _ => guaranteed = false,
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed && !containers.is_empty() {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

fn validate(obj: &Value) -> Vec<Cause> {
    match obj.get("spec") {
        Some(spec) => validate_pod_spec(spec, "spec"),
        None => vec![v::required("spec.containers", "")],
    }
}

/// `ValidatePodSpec` for what learners get wrong, with the real field paths and texts.
pub fn validate_pod_spec(spec: &Value, path: &str) -> Vec<Cause> {
    let mut out = Vec::new();
    let mut volume_names = Vec::new();
    if let Some(vols) = spec.get("volumes").and_then(Value::as_array) {
        for (i, vol) in vols.iter().enumerate() {
            let f = format!("{path}.volumes[{i}].name");
            match vol.get("name").and_then(Value::as_str) {
                None | Some("") => out.push(v::required(&f, "")),
                Some(n) => {
                    out.extend(v::check_label(&f, n));
                    if volume_names.contains(&n) {
                        out.push(v::duplicate(&f, &json!(n)));
                    }
                    volume_names.push(n);
                }
            }
        }
    }
    let mut names: Vec<String> = Vec::new();
    match spec.get("containers").and_then(Value::as_array) {
        None => out.push(v::required(&format!("{path}.containers"), "")),
        Some(cs) if cs.is_empty() => out.push(v::required(&format!("{path}.containers"), "")),
        Some(cs) => {
            for (i, c) in cs.iter().enumerate() {
                out.extend(validate_container(c, &format!("{path}.containers[{i}]"), &mut names, &volume_names));
            }
        }
    }
    if let Some(cs) = spec.get("initContainers").and_then(Value::as_array) {
        for (i, c) in cs.iter().enumerate() {
            out.extend(validate_container(c, &format!("{path}.initContainers[{i}]"), &mut names, &volume_names));
        }
    }
    if let Some(rp) = spec.get("restartPolicy")
        && !matches!(rp.as_str(), Some("Always" | "OnFailure" | "Never"))
    {
        out.push(v::not_supported(&format!("{path}.restartPolicy"), rp, &["Always", "OnFailure", "Never"]));
    }
    if let Some(dp) = spec.get("dnsPolicy")
        && !matches!(dp.as_str(), Some("ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None"))
    {
        out.push(v::not_supported(&format!("{path}.dnsPolicy"), dp, &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]));
    }
    if let Some(ns) = spec.get("nodeSelector") {
        out.extend(v::check_labels(&format!("{path}.nodeSelector"), Some(ns)));
    }
    if let Some(sa) = spec.get("serviceAccountName").and_then(Value::as_str)
        && !sa.is_empty()
    {
        out.extend(v::check_subdomain(&format!("{path}.serviceAccountName"), sa));
    }
    if let Some(tols) = spec.get("tolerations").and_then(Value::as_array) {
        for (i, t) in tols.iter().enumerate() {
            let f = format!("{path}.tolerations[{i}]");
            let op = t.get("operator").and_then(Value::as_str).unwrap_or("Equal");
            if !matches!(op, "Equal" | "Exists") {
                out.push(v::not_supported(&format!("{f}.operator"), &json!(op), &["Equal", "Exists"]));
            }
            if op == "Exists" && t.get("value").and_then(Value::as_str).is_some_and(|s| !s.is_empty()) {
                out.push(v::invalid(&format!("{f}.operator"), &json!(op), "value must be empty when `operator` is 'Exists'"));
            }
            if let Some(e) = t.get("effect")
                && !matches!(e.as_str(), Some("NoSchedule" | "PreferNoSchedule" | "NoExecute" | ""))
            {
                out.push(v::not_supported(&format!("{f}.effect"), e, &["NoExecute", "NoSchedule", "PreferNoSchedule"]));
            }
        }
    }
    out
}

fn validate_container(c: &Value, f: &str, names: &mut Vec<String>, volumes: &[&str]) -> Vec<Cause> {
    let mut out = Vec::new();
    match c.get("name").and_then(Value::as_str) {
        None | Some("") => out.push(v::required(&format!("{f}.name"), "")),
        Some(n) => {
            out.extend(v::check_label(&format!("{f}.name"), n));
            if names.iter().any(|x| x == n) {
                out.push(v::duplicate(&format!("{f}.name"), &json!(n)));
            }
            names.push(n.to_string());
        }
    }
    if c.get("image").and_then(Value::as_str).is_none_or(str::is_empty) {
        out.push(v::required(&format!("{f}.image"), ""));
    }
    if let Some(ports) = c.get("ports").and_then(Value::as_array) {
        for (i, p) in ports.iter().enumerate() {
            let pf = format!("{f}.ports[{i}]");
            match p.get("containerPort") {
                None => out.push(v::required(&format!("{pf}.containerPort"), "")),
                cp => out.extend(v::check_port(&format!("{pf}.containerPort"), cp)),
            }
            if let Some(proto) = p.get("protocol")
                && !matches!(proto.as_str(), Some("TCP" | "UDP" | "SCTP"))
            {
                out.push(v::not_supported(&format!("{pf}.protocol"), proto, &["SCTP", "TCP", "UDP"]));
            }
        }
    }
    if let Some(env) = c.get("env").and_then(Value::as_array) {
        for (i, e) in env.iter().enumerate() {
            if e.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
                out.push(v::required(&format!("{f}.env[{i}].name"), ""));
            }
        }
    }
    if let Some(mounts) = c.get("volumeMounts").and_then(Value::as_array) {
        for (i, m) in mounts.iter().enumerate() {
            let mf = format!("{f}.volumeMounts[{i}]");
            let name = m.get("name").and_then(Value::as_str).unwrap_or_default();
            if name.is_empty() {
                out.push(v::required(&format!("{mf}.name"), ""));
            } else if !volumes.contains(&name) {
                out.push(v::not_found(&format!("{mf}.name"), &json!(name)));
            }
            if m.get("mountPath").and_then(Value::as_str).is_none_or(str::is_empty) {
                out.push(v::required(&format!("{mf}.mountPath"), ""));
            }
        }
    }
    if let Some(pp) = c.get("imagePullPolicy")
        && !matches!(pp.as_str(), Some("Always" | "IfNotPresent" | "Never"))
    {
        out.push(v::not_supported(&format!("{f}.imagePullPolicy"), pp, &["Always", "IfNotPresent", "Never"]));
    }
    out.extend(validate_resources(c.get("resources"), &format!("{f}.resources")));
    out
}

fn validate_resources(res: Option<&Value>, f: &str) -> Vec<Cause> {
    let mut out = Vec::new();
    let Some(res) = res else { return out };
    let req = res.get("requests").and_then(Value::as_object);
    let lim = res.get("limits").and_then(Value::as_object);
    if let (Some(req), Some(lim)) = (req, lim) {
        for (name, rq) in req {
            if let Some(lq) = lim.get(name)
                && let (Some(a), Some(b)) = (quantity::of(rq), quantity::of(lq))
                && a > b
            {
                let shown = rq.as_str().map(str::to_string).unwrap_or_else(|| rq.to_string());
                let limit = lq.as_str().map(str::to_string).unwrap_or_else(|| lq.to_string());
                out.push(v::invalid(
                    &format!("{f}.requests"),
                    &json!(shown),
                    &format!("must be less than or equal to {name} limit of {limit}"),
                ));
            }
        }
    }
    out
}

/// The pod-spec fields an update may change (`ValidatePodUpdate`, v1.35).
pub const UPDATE_FORBIDDEN: &str = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

fn validate_update(new: &Value, old: &Value) -> Vec<Cause> {
    let (Some(ns), Some(os)) = (new.get("spec"), old.get("spec")) else { return Vec::new() };
    let count = |s: &Value, k: &str| s.get(k).and_then(Value::as_array).map_or(0, Vec::len);
    if count(ns, "containers") != count(os, "containers") {
        return vec![v::forbidden("spec.containers", "pod updates may not add or remove containers")];
    }
    if count(ns, "initContainers") != count(os, "initContainers") {
        return vec![v::forbidden("spec.initContainers", "pod updates may not add or remove containers")];
    }
    // Blank out what may change, then compare the rest.
    let mut a = ns.clone();
    let mut b = os.clone();
    for s in [&mut a, &mut b] {
        if let Some(m) = s.as_object_mut() {
            m.remove("activeDeadlineSeconds");
            m.remove("terminationGracePeriodSeconds");
            m.remove("tolerations");
            for key in ["containers", "initContainers"] {
                each_in(m, key, |c| {
                    c.remove("image");
                });
            }
        }
    }
    if a != b {
        let mut diff = String::new();
        if let (Some(am), Some(bm)) = (a.as_object(), b.as_object()) {
            let mut keys: Vec<&String> = am.keys().chain(bm.keys()).collect();
            keys.sort();
            keys.dedup();
            diff.push_str("  core.PodSpec{\n");
            for k in keys {
                let (x, y) = (bm.get(k), am.get(k));
                if x != y {
                    let show = |v: Option<&Value>| v.map_or("nil".to_string(), Value::to_string);
                    diff.push_str(&format!("- \t{}: {},\n", upper_first(k), show(x)));
                    diff.push_str(&format!("+ \t{}: {},\n", upper_first(k), show(y)));
                }
            }
            diff.push_str("  }\n");
        }
        return vec![v::forbidden("spec", &format!("{UPDATE_FORBIDDEN}\n{diff}"))];
    }
    // Tolerations may only be added.
    let old_tols = os.get("tolerations").and_then(Value::as_array).cloned().unwrap_or_default();
    let new_tols = ns.get("tolerations").and_then(Value::as_array).cloned().unwrap_or_default();
    if old_tols.iter().any(|t| !new_tols.contains(t)) {
        return vec![v::forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")];
    }
    Vec::new()
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_defaults_follow_defaults_go() {
        let mut pod = json!({"spec": {"containers": [{"name": "a", "image": "nginx", "ports": [{"containerPort": 80}],
            "livenessProbe": {"httpGet": {"port": 80}}}]}});
        default_pod(&mut pod);
        let c = &pod["spec"]["containers"][0];
        assert_eq!(c["imagePullPolicy"], "Always");
        assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(c["terminationMessagePolicy"], "File");
        assert_eq!(c["resources"], json!({}));
        assert_eq!(c["ports"][0]["protocol"], "TCP");
        assert_eq!(
            c["livenessProbe"],
            json!({"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})
        );
        let s = &pod["spec"];
        assert_eq!(s["dnsPolicy"], "ClusterFirst");
        assert_eq!(s["restartPolicy"], "Always");
        assert_eq!(s["schedulerName"], "default-scheduler");
        assert_eq!(s["terminationGracePeriodSeconds"], 30);
        assert_eq!(s["enableServiceLinks"], true);
        assert_eq!(pull_policy_for("nginx:1.27"), "IfNotPresent");
        assert_eq!(pull_policy_for("registry:5000/nginx"), "Always");
    }

    #[test]
    fn qos_classes() {
        assert_eq!(qos_class(&json!({"containers": [{"name": "a"}]})), "BestEffort");
        assert_eq!(qos_class(&json!({"containers": [{"resources": {"requests": {"cpu": "100m"}}}]})), "Burstable");
        assert_eq!(
            qos_class(
                &json!({"containers": [{"resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}}]})
            ),
            "Guaranteed"
        );
    }

    #[test]
    fn validation_messages() {
        let c = validate(&json!({"spec": {"containers": [{"name": "a"}], "restartPolicy": "Sometimes"}}));
        assert_eq!(c[0].field, "spec.containers[0].image");
        assert_eq!(c[0].message, "Required value");
        assert_eq!(c[1].message, "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"");
        let c = validate(&json!({"spec": {"containers": [{"name": "nginx", "image": "x"}, {"name": "nginx", "image": "y"}]}}));
        assert_eq!((c[0].field.as_str(), c[0].message.as_str()), ("spec.containers[1].name", "Duplicate value: \"nginx\""));
        let c = validate(
            &json!({"spec": {"containers": [{"name": "a", "image": "x", "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}]}}),
        );
        assert_eq!(c[0].message, "Invalid value: \"2\": must be less than or equal to cpu limit of 1");
    }

    #[test]
    fn update_rules() {
        let old = json!({"spec": {"containers": [{"name": "a", "image": "x"}]}});
        let img = json!({"spec": {"containers": [{"name": "a", "image": "y"}]}});
        assert!(validate_update(&img, &old).is_empty());
        let env = json!({"spec": {"containers": [{"name": "a", "image": "x", "env": [{"name": "A", "value": "b"}]}]}});
        assert!(validate_update(&env, &old)[0].message.starts_with(&format!("Forbidden: {UPDATE_FORBIDDEN}\n")));
        let two = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "x"}]}});
        assert_eq!(validate_update(&two, &old)[0].message, "Forbidden: pod updates may not add or remove containers");
    }
}

#[cfg(test)]
mod pod_only_tests {
    use super::*;

    #[test]
    fn pod_only_defaults_stay_out_of_templates() {
        // pkg/apis/core/v1/defaults.go: SetDefaults_Pod versus SetDefaults_PodSpec.
        let mut spec = json!({"containers": [{"name": "a", "image": "nginx:1.27", "resources": {"limits": {"cpu": "1"}}}]});
        if let Some(m) = spec.as_object_mut() {
            default_pod_spec(m);
        }
        assert!(spec.get("enableServiceLinks").is_none());
        assert!(spec["containers"][0]["resources"].get("requests").is_none());
        let mut pod = json!({"spec": {"hostNetwork": true, "containers": [{"name": "a", "image": "nginx:1.27", "ports": [{"containerPort": 80}], "resources": {"limits": {"cpu": "1"}}}]}});
        default_pod(&mut pod);
        let c = &pod["spec"]["containers"][0];
        assert_eq!(c["resources"]["requests"], json!({"cpu": "1"}));
        assert_eq!(c["resizePolicy"], json!([{"resourceName": "cpu", "restartPolicy": "NotRequired"}]));
        assert_eq!(c["ports"][0]["hostPort"], 80);
        assert_eq!(pod["spec"]["enableServiceLinks"], true);
    }
}
