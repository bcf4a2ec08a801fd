//! Non-resource endpoints of the API server (`kubectl get --raw`, `kubectl version`): the health
//! checks `/healthz`, `/livez`, `/readyz` (with `?verbose`) and `/version`.

use serde_json::{Value, json};

/// The checks `/readyz?verbose` lists for a healthy v1.35 kube-apiserver, in its order.
const READY_CHECKS: &[&str] = &[
    "ping",
    "log",
    "etcd",
    "etcd-readiness",
    "api-priority-and-fairness",
    "informer-sync",
    "poststarthook/start-apiserver-admission-initializer",
    "poststarthook/generic-apiserver-start-informers",
    "poststarthook/priority-and-fairness-config-consumer",
    "poststarthook/priority-and-fairness-filter",
    "poststarthook/storage-object-count-tracker-hook",
    "poststarthook/start-apiextensions-informers",
    "poststarthook/start-apiextensions-controllers",
    "poststarthook/crd-informer-synced",
    "poststarthook/start-system-namespaces-controller",
    "poststarthook/start-cluster-authentication-info-controller",
    "poststarthook/start-kube-apiserver-identity-lease-controller",
    "poststarthook/start-kube-apiserver-identity-lease-garbage-collector",
    "poststarthook/start-legacy-token-tracking-controller",
    "poststarthook/start-service-ip-repair-controllers",
    "poststarthook/rbac/bootstrap-roles",
    "poststarthook/scheduling/bootstrap-system-priority-classes",
    "poststarthook/priority-and-fairness-config-producer",
    "poststarthook/bootstrap-controller",
    "poststarthook/start-kubernetes-service-cidr-controller",
    "poststarthook/aggregator-reload-proxy-client-cert",
    "poststarthook/start-kube-aggregator-informers",
    "poststarthook/apiservice-status-local-available-controller",
    "poststarthook/apiservice-status-remote-available-controller",
    "poststarthook/apiservice-registration-controller",
    "poststarthook/apiservice-discovery-controller",
    "poststarthook/kube-apiserver-autoregistration",
    "autoregister-completion",
    "poststarthook/apiservice-openapi-controller",
    "poststarthook/apiservice-openapiv3-controller",
    "shutdown",
];

/// The body of a GET on a non-resource `path` (query included), or `None` for a path the
/// server does not serve (404).
pub fn get(path: &str, version: &str) -> Option<String> {
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let verbose = query.split('&').any(|q| q == "verbose" || q == "verbose=true" || q == "verbose=1");
    match route {
        "/healthz" | "/livez" | "/readyz" if !verbose => Some("ok".to_string()),
        "/healthz" | "/livez" | "/readyz" => {
            let name = route.trim_start_matches('/');
            let checks: Vec<&str> = match route {
                // liveness leaves out the readiness-only checks
                "/livez" => {
                    READY_CHECKS.iter().copied().filter(|c| !matches!(*c, "etcd-readiness" | "informer-sync" | "shutdown")).collect()
                }
                "/healthz" => {
                    READY_CHECKS.iter().copied().filter(|c| !matches!(*c, "etcd-readiness" | "informer-sync" | "shutdown")).collect()
                }
                _ => READY_CHECKS.to_vec(),
            };
            let mut out: String = checks.iter().map(|c| format!("[+]{c} ok\n")).collect();
            out.push_str(&format!("{name} check passed\n"));
            Some(out)
        }
        "/version" => Some(serde_json::to_string_pretty(&version_info(version)).unwrap_or_default() + "\n"),
        _ => None,
    }
}

/// `version.Info` of the kube-apiserver.
pub fn version_info(version: &str) -> Value {
    let minor = version.trim_start_matches('v').split('.').nth(1).unwrap_or("35").to_string();
    let prev_minor = minor.parse::<u32>().map(|m| m.saturating_sub(1).to_string()).unwrap_or_default();
    json!({
        "major": "1",
        "minor": minor,
        "emulationMajor": "1",
        "emulationMinor": minor,
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": prev_minor,
        "gitVersion": version,
        "gitCommit": "2d5d8bc0a1c3f1b3a5e8a3f6f1b0d7c9e4a2b6c8",
        "gitTreeState": "clean",
        "buildDate": "2026-01-13T12:00:00Z",
        "goVersion": "go1.25.5",
        "compiler": "gc",
        "platform": "linux/amd64",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_endpoints() {
        assert_eq!(get("/healthz", "v1.35.2").as_deref(), Some("ok"));
        let verbose = get("/readyz?verbose", "v1.35.2").unwrap_or_default();
        assert!(verbose.starts_with("[+]ping ok\n[+]log ok\n[+]etcd ok\n"));
        assert!(verbose.ends_with("readyz check passed\n"));
        assert!(get("/nope", "v1.35.2").is_none());
        assert_eq!(version_info("v1.35.2")["minor"], "35");
    }
}
