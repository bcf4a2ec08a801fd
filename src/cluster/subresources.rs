//! Subresources that are created rather than stored: `pods/binding` (the scheduler's
//! assignment), `pods/eviction` (what `kubectl drain` posts, honouring PodDisruptionBudgets) and
//! `serviceaccounts/token` (`kubectl create token`), as `pkg/registry/core/pod/storage` and
//! `pkg/registry/core/serviceaccount/storage` answer them.

use base64::Engine;
use serde_json::{Value, json};

use super::api::{Api, DeleteOptions, UserInfo};
use super::{Reason, Registry, ResourceInfo, Status};
use crate::world::clock::format_rfc3339;

fn res(name: &str) -> Option<&'static ResourceInfo> {
    Registry::builtin_resource(name)
}

/// Handles a create on a subresource; the name is the parent object's.
pub fn create(api: &mut Api<'_>, sub_res: &ResourceInfo, ns: &str, name: &str, body: &Value) -> Result<Value, Status> {
    match sub_res.name.as_str() {
        "pods/binding" | "bindings" => bind(api, ns, name, body),
        "pods/eviction" => evict(api, ns, name),
        "serviceaccounts/token" => token(api, ns, name, body),
        _ => Err(Status::method_not_allowed()),
    }
}

fn bind(api: &mut Api<'_>, ns: &str, name: &str, body: &Value) -> Result<Value, Status> {
    let Some(pods) = res("pods") else { return Err(Status::method_not_allowed()) };
    let Some(mut pod) = api.cluster.store.get(pods, ns, name).cloned() else {
        return Err(Status::not_found(pods, name));
    };
    let node = body.pointer("/target/name").and_then(Value::as_str).unwrap_or_default().to_string();
    if let Some(current) = pod.pointer("/spec/nodeName").and_then(Value::as_str).filter(|n| !n.is_empty()) {
        return Err(Status::new(
            Reason::Conflict,
            format!("Operation cannot be fulfilled on pods/binding \"{name}\": pod {name} is already assigned to node \"{current}\""),
        ));
    }
    pod["spec"]["nodeName"] = json!(node);
    api.cluster.store.put(pods, ns, name, pod);
    Ok(json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}))
}

/// Pods that count as healthy for a disruption budget: running and ready.
fn healthy(p: &Value) -> bool {
    p.pointer("/status/phase").and_then(Value::as_str) == Some("Running")
        && p.pointer("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|cs| cs.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"))
}

/// An int-or-percent of `total`, rounded up as the disruption controller does.
fn scaled(v: &Value, total: i64) -> i64 {
    match v {
        Value::String(s) if s.ends_with('%') => {
            let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            (pct * total + 99) / 100
        }
        other => other.as_i64().or_else(|| other.as_str().and_then(|s| s.parse().ok())).unwrap_or(0),
    }
}

fn evict(api: &mut Api<'_>, ns: &str, name: &str) -> Result<Value, Status> {
    let (Some(pods), Some(pdbs)) = (res("pods"), res("poddisruptionbudgets")) else { return Err(Status::method_not_allowed()) };
    let Some(pod) = api.cluster.store.get(pods, ns, name).cloned() else {
        return Err(Status::not_found(pods, name));
    };
    let labels = pod.pointer("/metadata/labels").cloned().unwrap_or(json!({}));
    let finished = matches!(pod.pointer("/status/phase").and_then(Value::as_str), Some("Succeeded" | "Failed"));
    if !finished {
        for pdb in api.cluster.store.list(pdbs, Some(ns)) {
            let Some(sel) = pdb.pointer("/spec/selector") else { continue };
            if !super::kinds::template::selector_matches(sel, &labels) {
                continue;
            }
            let covered: Vec<&Value> = api
                .cluster
                .store
                .list(pods, Some(ns))
                .filter(|p| super::kinds::template::selector_matches(sel, p.pointer("/metadata/labels").unwrap_or(&Value::Null)))
                .collect();
            let expected = covered.len() as i64;
            let current = covered.iter().filter(|p| healthy(p)).count() as i64;
            let desired = if let Some(min) = pdb.pointer("/spec/minAvailable") {
                scaled(min, expected)
            } else if let Some(max) = pdb.pointer("/spec/maxUnavailable") {
                expected - scaled(max, expected)
            } else {
                0
            };
            if current - desired <= 0 && healthy(&pod) {
                let mut s = Status::new(Reason::TooManyRequests, "Cannot evict pod as it would violate the pod's disruption budget.");
                s.causes = vec![super::Cause {
                    kind: "DisruptionBudget".into(),
                    message: format!(
                        "The disruption budget {} needs {desired} healthy pods and has {current} currently",
                        pdb.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default()
                    ),
                    field: String::new(),
                }];
                return Err(s);
            }
        }
    }
    api.delete(&UserInfo::system(), pods, Some(ns), name, &DeleteOptions::default())?;
    Ok(json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}))
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn token(api: &mut Api<'_>, ns: &str, name: &str, body: &Value) -> Result<Value, Status> {
    let Some(sas) = res("serviceaccounts") else { return Err(Status::method_not_allowed()) };
    let Some(sa) = api.cluster.store.get(sas, ns, name).cloned() else {
        return Err(Status::not_found(sas, name));
    };
    let expiration = body.pointer("/spec/expirationSeconds").and_then(Value::as_i64).unwrap_or(3600);
    if expiration < 600 {
        // TokenREST.Create: errors.NewInvalid(gvk.GroupKind(), "", errs) — no name.
        return Err(Status::invalid(
            "TokenRequest",
            "authentication.k8s.io",
            "",
            vec![super::validation::invalid(
                "spec.expirationSeconds",
                &json!(expiration),
                "may not specify a duration less than 10 minutes",
            )],
        ));
    }
    let audiences = body
        .pointer("/spec/audiences")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .cloned()
        .unwrap_or_else(|| vec![json!("https://kubernetes.default.svc.cluster.local")]);
    let now = api.clock.now;
    let kid = super::kubeadm::files::service_account_key_id();
    let header = json!({"alg": "RS256", "kid": kid});
    let claims = json!({
        "aud": audiences, "exp": now + expiration, "iat": now, "iss": "https://kubernetes.default.svc.cluster.local", "jti": api.rng.uuid(),
        "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": name, "uid": sa["metadata"]["uid"]}},
        "nbf": now, "sub": format!("system:serviceaccount:{ns}:{name}"),
    });
    let signature: Vec<u8> = (0..256).map(|_| api.rng.below(256) as u8).collect();
    let jwt = format!("{}.{}.{}", b64url(header.to_string().as_bytes()), b64url(claims.to_string().as_bytes()), b64url(&signature));
    Ok(json!({"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"name": name, "namespace": ns, "creationTimestamp": null},
        "spec": {"audiences": audiences, "boundObjectRef": null, "expirationSeconds": expiration},
        "status": {"token": jwt, "expirationTimestamp": format_rfc3339(now + expiration)}}))
}
