//! The PodSecurity admission plugin (`staging/src/k8s.io/pod-security-admission`): namespaces
//! labelled `pod-security.kubernetes.io/{enforce,warn,audit}=<level>` have pods checked against
//! the baseline or restricted Pod Security Standard. `enforce` rejects pods; `warn` (and, for
//! workload templates, `enforce` too) answers with `would violate PodSecurity` warnings.
//!
//! Checks run in the order of their IDs, as the evaluator reports them; each names the
//! offending containers or volumes with the plugin's own wording.

use serde_json::Value;

/// A Pod Security Standard level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        match s {
            "privileged" => Some(Level::Privileged),
            "baseline" => Some(Level::Baseline),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

/// A namespace's policy for one mode, with the version label (`latest` when unset).
fn policy(ns: &Value, mode: &str) -> Option<(Level, String)> {
    let labels = ns.pointer("/metadata/labels")?;
    let level = Level::parse(labels.get(format!("pod-security.kubernetes.io/{mode}"))?.as_str()?)?;
    let version = labels.get(format!("pod-security.kubernetes.io/{mode}-version")).and_then(Value::as_str).unwrap_or("latest").to_string();
    Some((level, version))
}

/// What admitting a pod spec under a namespace's labels gives: a refusal, warnings, or nothing.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The Forbidden reason (`violates PodSecurity "restricted:latest": …`).
    pub reject: Option<String>,
    pub warnings: Vec<String>,
}

/// Evaluates a pod (`is_pod`) or a workload's pod template against the namespace's policies.
pub fn evaluate(ns: &Value, meta: &Value, spec: &Value, is_pod: bool) -> Outcome {
    let mut out = Outcome::default();
    let enforce = policy(ns, "enforce");
    if let Some((level, version)) = &enforce {
        let v = violations(*level, meta, spec);
        if !v.is_empty() {
            let text = format!("PodSecurity \"{}:{version}\": {}", level.as_str(), v.join(", "));
            if is_pod {
                out.reject = Some(format!("violates {text}"));
            } else {
                out.warnings.push(format!("would violate {text}"));
            }
        }
    }
    if let Some((level, version)) = policy(ns, "warn")
        && enforce.as_ref() != Some(&(level, version.clone()))
    {
        let v = violations(level, meta, spec);
        if !v.is_empty() {
            out.warnings.push(format!("would violate PodSecurity \"{}:{version}\": {}", level.as_str(), v.join(", ")));
        }
    }
    out
}

fn containers(spec: &Value) -> Vec<&Value> {
    ["initContainers", "containers", "ephemeralContainers"]
        .iter()
        .filter_map(|k| spec.get(*k).and_then(Value::as_array))
        .flatten()
        .collect()
}

fn cname(c: &Value) -> String {
    c.get("name").and_then(Value::as_str).unwrap_or_default().to_string()
}

/// `container "a"` or `containers "a", "b"`.
fn who(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    if names.len() == 1 { format!("container {}", quoted[0]) } else { format!("containers {}", quoted.join(", ")) }
}

fn sc<'a>(c: &'a Value, field: &str) -> Option<&'a Value> {
    c.get("securityContext").and_then(|s| s.get(field))
}

const BASELINE_CAPS: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// The violated checks of `level`, in check-ID order.
pub fn violations(level: Level, meta: &Value, spec: &Value) -> Vec<String> {
    if level == Level::Privileged {
        return Vec::new();
    }
    let restricted = level == Level::Restricted;
    let cs = containers(spec);
    let mut out = Vec::new();
    // allowPrivilegeEscalation (restricted)
    if restricted {
        let bad: Vec<String> =
            cs.iter().filter(|c| sc(c, "allowPrivilegeEscalation").and_then(Value::as_bool) != Some(false)).map(|c| cname(c)).collect();
        if !bad.is_empty() {
            out.push(format!("allowPrivilegeEscalation != false ({} must set securityContext.allowPrivilegeEscalation=false)", who(&bad)));
        }
    }
    // appArmorProfile (baseline)
    let unconfined_apparmor = |p: Option<&Value>| p.and_then(|p| p.get("type")).and_then(Value::as_str) == Some("Unconfined");
    if unconfined_apparmor(spec.pointer("/securityContext/appArmorProfile")) {
        out.push("forbidden AppArmor profile (pod must not set securityContext.appArmorProfile.type to \"Unconfined\")".into());
    }
    let bad: Vec<String> = cs.iter().filter(|c| unconfined_apparmor(sc(c, "appArmorProfile"))).map(|c| cname(c)).collect();
    if !bad.is_empty() {
        out.push(format!("forbidden AppArmor profile ({} must not set securityContext.appArmorProfile.type to \"Unconfined\")", who(&bad)));
    }
    // capabilities_baseline
    let added = |c: &Value| -> Vec<String> {
        sc(c, "capabilities")
            .and_then(|x| x.get("add"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let mut non_default: Vec<(String, Vec<String>)> = Vec::new();
    for c in &cs {
        let extra: Vec<String> = added(c).into_iter().filter(|cap| !BASELINE_CAPS.contains(&cap.as_str())).collect();
        if !extra.is_empty() {
            non_default.push((cname(c), extra));
        }
    }
    if !non_default.is_empty() {
        out.push(format!("non-default capabilities ({})", cap_detail(&non_default)));
    }
    // capabilities_restricted
    if restricted {
        let mut parts = Vec::new();
        let no_drop: Vec<String> = cs
            .iter()
            .filter(|c| {
                !sc(c, "capabilities").and_then(|x| x.get("drop")).and_then(Value::as_array).is_some_and(|d| d.iter().any(|x| x == "ALL"))
            })
            .map(|c| cname(c))
            .collect();
        if !no_drop.is_empty() {
            parts.push(format!("{} must set securityContext.capabilities.drop=[\"ALL\"]", who(&no_drop)));
        }
        let mut adds: Vec<(String, Vec<String>)> = Vec::new();
        for c in &cs {
            let extra: Vec<String> = added(c).into_iter().filter(|cap| cap != "NET_BIND_SERVICE").collect();
            if !extra.is_empty() {
                adds.push((cname(c), extra));
            }
        }
        if !adds.is_empty() {
            parts.push(cap_detail(&adds));
        }
        if !parts.is_empty() {
            out.push(format!("unrestricted capabilities ({})", parts.join("; ")));
        }
    }
    // hostNamespaces
    let host: Vec<String> = ["hostNetwork", "hostPID", "hostIPC"]
        .iter()
        .filter(|k| spec.get(**k).and_then(Value::as_bool) == Some(true))
        .map(|k| format!("{k}=true"))
        .collect();
    if !host.is_empty() {
        out.push(format!("host namespaces ({})", host.join(", ")));
    }
    // hostPathVolumes
    let volumes = spec.get("volumes").and_then(Value::as_array).cloned().unwrap_or_default();
    let host_paths: Vec<String> = volumes
        .iter()
        .filter(|v| v.get("hostPath").is_some())
        .map(|v| v.get("name").and_then(Value::as_str).unwrap_or_default().to_string())
        .collect();
    if !host_paths.is_empty() {
        let quoted: Vec<String> = host_paths.iter().map(|n| format!("\"{n}\"")).collect();
        let noun = if host_paths.len() == 1 { "volume" } else { "volumes" };
        out.push(format!("hostPath volumes ({noun} {})", quoted.join(", ")));
    }
    // hostPorts
    let mut port_parts = Vec::new();
    for c in &cs {
        let ports: Vec<String> = c
            .get("ports")
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter().filter_map(|p| p.get("hostPort").and_then(Value::as_i64)).filter(|p| *p != 0).map(|p| p.to_string()).collect()
            })
            .unwrap_or_default();
        if !ports.is_empty() {
            let noun = if ports.len() == 1 { "hostPort" } else { "hostPorts" };
            port_parts.push(format!("container \"{}\" uses {noun} {}", cname(c), ports.join(", ")));
        }
    }
    if !port_parts.is_empty() {
        out.push(format!("hostPort ({})", port_parts.join(", ")));
    }
    // privileged
    let privileged: Vec<String> =
        cs.iter().filter(|c| sc(c, "privileged").and_then(Value::as_bool) == Some(true)).map(|c| cname(c)).collect();
    if !privileged.is_empty() {
        out.push(format!("privileged ({} must not set securityContext.privileged=true)", who(&privileged)));
    }
    // procMount
    let proc_mount: Vec<String> =
        cs.iter().filter(|c| sc(c, "procMount").and_then(Value::as_str).is_some_and(|p| p != "Default")).map(|c| cname(c)).collect();
    if !proc_mount.is_empty() {
        out.push(format!("procMount ({} must not set securityContext.procMount to \"Unmasked\")", who(&proc_mount)));
    }
    // restrictedVolumes
    if restricted {
        const ALLOWED: &[&str] =
            &["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret", "image"];
        let mut bad: Vec<(String, String)> = Vec::new();
        for v in &volumes {
            if let Some(obj) = v.as_object()
                && let Some(kind) = obj.keys().find(|k| k.as_str() != "name" && !ALLOWED.contains(&k.as_str()))
            {
                bad.push((obj.get("name").and_then(Value::as_str).unwrap_or_default().to_string(), kind.clone()));
            }
        }
        if !bad.is_empty() {
            let detail: Vec<String> = bad.iter().map(|(n, k)| format!("volume \"{n}\" uses restricted volume type \"{k}\"")).collect();
            out.push(format!("restricted volume types ({})", detail.join(", ")));
        }
    }
    // runAsNonRoot
    if restricted {
        let pod_level = spec.pointer("/securityContext/runAsNonRoot").and_then(Value::as_bool);
        let explicit_false: Vec<String> =
            cs.iter().filter(|c| sc(c, "runAsNonRoot").and_then(Value::as_bool) == Some(false)).map(|c| cname(c)).collect();
        let unset: Vec<String> = cs.iter().filter(|c| sc(c, "runAsNonRoot").is_none()).map(|c| cname(c)).collect();
        if pod_level == Some(false) {
            out.push("runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)".into());
        } else if !explicit_false.is_empty() {
            out.push(format!("runAsNonRoot != true ({} must not set securityContext.runAsNonRoot=false)", who(&explicit_false)));
        } else if pod_level != Some(true) && !unset.is_empty() {
            let quoted: Vec<String> = unset.iter().map(|n| format!("\"{n}\"")).collect();
            let noun = if unset.len() == 1 { "container" } else { "containers" };
            out.push(format!("runAsNonRoot != true (pod or {noun} {} must set securityContext.runAsNonRoot=true)", quoted.join(", ")));
        }
    }
    // runAsUser
    if restricted {
        if spec.pointer("/securityContext/runAsUser").and_then(Value::as_i64) == Some(0) {
            out.push("runAsUser=0 (pod must not set runAsUser=0)".into());
        }
        let root: Vec<String> = cs.iter().filter(|c| sc(c, "runAsUser").and_then(Value::as_i64) == Some(0)).map(|c| cname(c)).collect();
        if !root.is_empty() {
            out.push(format!("runAsUser=0 ({} must not set runAsUser=0)", who(&root)));
        }
    }
    // seccompProfile_baseline / seccompProfile_restricted
    let pod_seccomp = spec.pointer("/securityContext/seccompProfile/type").and_then(Value::as_str);
    let c_seccomp = |c: &Value| sc(c, "seccompProfile").and_then(|p| p.get("type")).and_then(Value::as_str).map(str::to_string);
    if !restricted {
        let mut parts = Vec::new();
        if pod_seccomp == Some("Unconfined") {
            parts.push("pod must not set securityContext.seccompProfile.type to \"Unconfined\"".to_string());
        }
        let bad: Vec<String> = cs.iter().filter(|c| c_seccomp(c).as_deref() == Some("Unconfined")).map(|c| cname(c)).collect();
        if !bad.is_empty() {
            parts.push(format!("{} must not set securityContext.seccompProfile.type to \"Unconfined\"", who(&bad)));
        }
        if !parts.is_empty() {
            out.push(format!("seccompProfile ({})", parts.join("; ")));
        }
    } else {
        let ok = |t: Option<&str>| matches!(t, Some("RuntimeDefault" | "Localhost"));
        let mut parts = Vec::new();
        if pod_seccomp.is_some() && !ok(pod_seccomp) {
            parts.push(format!("pod must not set securityContext.seccompProfile.type to \"{}\"", pod_seccomp.unwrap_or_default()));
        }
        let bad_set: Vec<String> = cs.iter().filter(|c| c_seccomp(c).is_some_and(|t| !ok(Some(&t)))).map(|c| cname(c)).collect();
        if !bad_set.is_empty() {
            parts.push(format!("{} must not set securityContext.seccompProfile.type to \"Unconfined\"", who(&bad_set)));
        }
        if !ok(pod_seccomp) {
            let unset: Vec<String> = cs.iter().filter(|c| c_seccomp(c).is_none()).map(|c| cname(c)).collect();
            if !unset.is_empty() {
                let quoted: Vec<String> = unset.iter().map(|n| format!("\"{n}\"")).collect();
                let noun = if unset.len() == 1 { "container" } else { "containers" };
                parts.push(format!(
                    "pod or {noun} {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                    quoted.join(", ")
                ));
            }
        }
        if !parts.is_empty() {
            out.push(format!("seccompProfile ({})", parts.join("; ")));
        }
    }
    let _ = meta;
    out
}

/// `container "a" must not include "NET_ADMIN" in securityContext.capabilities.add`.
fn cap_detail(items: &[(String, Vec<String>)]) -> String {
    items
        .iter()
        .map(|(n, caps)| {
            let quoted: Vec<String> = caps.iter().map(|c| format!("\"{c}\"")).collect();
            format!("container \"{n}\" must not include {} in securityContext.capabilities.add", quoted.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn restricted_message_for_a_plain_pod() {
        // The example on kubernetes.io (Enforce Pod Security Standards with namespace labels).
        let spec = json!({"containers": [{"name": "nginx", "image": "nginx"}]});
        assert_eq!(
            violations(Level::Restricted, &json!({}), &spec).join(", "),
            "allowPrivilegeEscalation != false (container \"nginx\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"nginx\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"nginx\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \"nginx\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")"
        );
        assert!(violations(Level::Baseline, &json!({}), &spec).is_empty());
        let host = json!({"hostNetwork": true, "volumes": [{"name": "host", "hostPath": {"path": "/"}}], "containers": [{"name": "nginx", "image": "nginx", "securityContext": {"privileged": true}}]});
        assert_eq!(
            violations(Level::Baseline, &json!({}), &host).join(", "),
            "host namespaces (hostNetwork=true), hostPath volumes (volume \"host\"), privileged (container \"nginx\" must not set securityContext.privileged=true)"
        );
    }
}
