//! Admission plugins a kubeadm v1.35 API server runs, in the real order for what this simulation
//! models: NamespaceLifecycle, LimitRanger, ServiceAccount, Priority, DefaultTolerationSeconds
//! (mutating), then ResourceQuota (validating). Sources: `staging/src/k8s.io/apiserver/pkg/
//! admission/plugin/namespace/lifecycle`, `plugin/pkg/admission/{limitranger,serviceaccount,
//! priority,defaulttolerationseconds}`, `staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota`.

use serde_json::{Map, Value, json};

use super::kinds::{child, default_key};
use super::{Registry, ResourceInfo, Status, Store, quantity};
use crate::world::Rng;

/// The request being admitted.
pub struct Request<'a> {
    pub res: &'a ResourceInfo,
    pub namespace: &'a str,
    pub store: &'a Store,
    pub rng: &'a mut Rng,
}

/// The name admission errors use: the object's name, or its generateName prefix before a name is
/// generated (`pods "web-54dd898d8b-" is forbidden`).
pub fn display_name(obj: &Value) -> String {
    let meta = obj.get("metadata");
    let name = meta.and_then(|m| m.get("name")).and_then(Value::as_str).unwrap_or_default();
    if name.is_empty() {
        meta.and_then(|m| m.get("generateName")).and_then(Value::as_str).unwrap_or_default().to_string()
    } else {
        name.to_string()
    }
}

fn lookup<'s>(store: &'s Store, resource: &str, ns: &str, name: &str) -> Option<&'s Value> {
    Registry::builtin_resource(resource).and_then(|r| store.get(r, ns, name))
}

/// Runs the mutating plugins on a create.
pub fn admit_create(req: &mut Request<'_>, obj: &mut Value) -> Result<Vec<String>, Status> {
    namespace_lifecycle(req, obj)?;
    storage_object_in_use_protection(req, obj);
    let warnings = pod_security(req, obj)?;
    default_storage_class(req, obj);
    default_ingress_class(req, obj);
    if req.res.group.is_empty() && req.res.name == "pods" {
        limit_ranger(req, obj)?;
        service_account(req, obj)?;
        priority(req, obj)?;
        default_toleration_seconds(obj);
    }
    Ok(warnings)
}

/// PodSecurity: pods are checked against the namespace's enforce level; workload templates
/// (and pods, for the warn level) get `would violate PodSecurity` warnings.
fn pod_security(req: &Request<'_>, obj: &Value) -> Result<Vec<String>, Status> {
    let (template, is_pod) = match (req.res.group.as_str(), req.res.name.as_str()) {
        ("", "pods") => ("/spec", true),
        ("", "replicationcontrollers" | "podtemplates")
        | ("apps", "deployments" | "replicasets" | "daemonsets" | "statefulsets")
        | ("batch", "jobs") => ("/spec/template/spec", false),
        ("batch", "cronjobs") => ("/spec/jobTemplate/spec/template/spec", false),
        _ => return Ok(Vec::new()),
    };
    let Some(ns) = Registry::builtin_resource("namespaces").and_then(|r| req.store.get(r, "", req.namespace)) else {
        return Ok(Vec::new());
    };
    let Some(spec) = obj.pointer(template) else { return Ok(Vec::new()) };
    let meta = obj.get("metadata").cloned().unwrap_or(Value::Null);
    let outcome = super::podsecurity::evaluate(ns, &meta, spec, is_pod);
    if let Some(reason) = outcome.reject {
        return Err(Status::forbidden(req.res, &display_name(obj), &reason));
    }
    Ok(outcome.warnings)
}

/// Creating in a missing namespace is NotFound; in a terminating one Forbidden.
fn namespace_lifecycle(req: &Request<'_>, obj: &Value) -> Result<(), Status> {
    if !req.res.namespaced {
        return Ok(());
    }
    let Some(ns_res) = Registry::builtin_resource("namespaces") else { return Ok(()) };
    match req.store.get(ns_res, "", req.namespace) {
        None => Err(Status::not_found(ns_res, req.namespace)),
        Some(ns) if ns.pointer("/status/phase").and_then(Value::as_str) == Some("Terminating") => Err(Status::forbidden(
            req.res,
            &display_name(obj),
            &format!("unable to create new content in namespace {} because it is being terminated", req.namespace),
        )),
        Some(_) => Ok(()),
    }
}

/// DefaultStorageClass: a claim that names no class gets the default one (the newest class
/// annotated `storageclass.kubernetes.io/is-default-class: "true"`); `""` means none on purpose.
fn default_storage_class(req: &Request<'_>, obj: &mut Value) {
    if !(req.res.group.is_empty() && req.res.name == "persistentvolumeclaims") || obj.pointer("/spec/storageClassName").is_some() {
        return;
    }
    let Some(sc_res) = Registry::builtin_resource("storageclasses") else { return };
    let default = req
        .store
        .list(sc_res, None)
        .filter(|sc| {
            sc.pointer("/metadata/annotations/storageclass.kubernetes.io~1is-default-class").and_then(Value::as_str) == Some("true")
        })
        .max_by_key(|sc| sc.pointer("/metadata/creationTimestamp").and_then(Value::as_str).unwrap_or_default().to_string())
        .and_then(|sc| sc.pointer("/metadata/name").cloned());
    if let (Some(name), Some(spec)) = (default, obj.get_mut("spec").and_then(Value::as_object_mut)) {
        spec.insert("storageClassName".into(), name);
    }
}

/// DefaultIngressClass: an Ingress without `ingressClassName` gets the default IngressClass
/// (annotated `ingressclass.kubernetes.io/is-default-class: "true"`).
fn default_ingress_class(req: &Request<'_>, obj: &mut Value) {
    if !(req.res.group == "networking.k8s.io" && req.res.name == "ingresses")
        || obj.pointer("/spec/ingressClassName").is_some()
        || obj.pointer("/metadata/annotations/kubernetes.io~1ingress.class").is_some()
    {
        return;
    }
    let Some(ic_res) = Registry::builtin_resource("ingressclasses") else { return };
    let default = req
        .store
        .list(ic_res, None)
        .filter(|ic| {
            ic.pointer("/metadata/annotations/ingressclass.kubernetes.io~1is-default-class").and_then(Value::as_str) == Some("true")
        })
        .max_by_key(|ic| ic.pointer("/metadata/creationTimestamp").and_then(Value::as_str).unwrap_or_default().to_string())
        .and_then(|ic| ic.pointer("/metadata/name").cloned());
    if let (Some(name), Some(spec)) = (default, obj.get_mut("spec").and_then(Value::as_object_mut)) {
        spec.insert("ingressClassName".into(), name);
    }
}

/// Admission on updates: PersistentVolumeClaimResize (growing a claim needs a class that
/// allows expansion).
pub fn admit_update(req: &Request<'_>, new: &Value, old: &Value) -> Result<(), Status> {
    if req.res.group.is_empty() && req.res.name == "persistentvolumeclaims" {
        let size = |o: &Value| o.pointer("/spec/resources/requests/storage").and_then(quantity::of);
        if let (Some(n), Some(o)) = (size(new), size(old))
            && n > o
        {
            let class = new.pointer("/spec/storageClassName").and_then(Value::as_str).unwrap_or_default();
            let expandable = Registry::builtin_resource("storageclasses")
                .and_then(|r| req.store.get(r, "", class))
                .and_then(|sc| sc.get("allowVolumeExpansion"))
                .and_then(Value::as_bool)
                == Some(true);
            if !expandable {
                return Err(Status::forbidden(
                    req.res,
                    &display_name(new),
                    "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
                ));
            }
        }
    }
    Ok(())
}

/// StorageObjectInUseProtection: claims and volumes get their protection finalizer.
fn storage_object_in_use_protection(req: &Request<'_>, obj: &mut Value) {
    let finalizer = match (req.res.group.as_str(), req.res.name.as_str()) {
        ("", "persistentvolumeclaims") => "kubernetes.io/pvc-protection",
        ("", "persistentvolumes") => "kubernetes.io/pv-protection",
        _ => return,
    };
    let Some(root) = obj.as_object_mut() else { return };
    let meta = child(root, "metadata");
    let list = meta.entry("finalizers").or_insert_with(|| json!([]));
    if let Value::Array(l) = list
        && !l.iter().any(|f| f == finalizer)
    {
        l.push(json!(finalizer));
    }
}

/// `serviceAccountName` defaults to `default`, must exist, and its token is projected into
/// every container as the `kube-api-access-<suffix>` volume.
fn service_account(req: &mut Request<'_>, obj: &mut Value) -> Result<(), Status> {
    let name = display_name(obj);
    // Mirror pods (the kubelet's copies of static pods) are left alone.
    if obj.pointer("/metadata/annotations/kubernetes.io~1config.mirror").is_some() {
        return Ok(());
    }
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else { return Ok(()) };
    let sa = spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .or_else(|| spec.get("serviceAccount").and_then(Value::as_str).filter(|s| !s.is_empty()))
        .unwrap_or("default")
        .to_string();
    spec.insert("serviceAccountName".into(), json!(sa));
    spec.insert("serviceAccount".into(), json!(sa));
    let Some(sa_obj) = lookup(req.store, "serviceaccounts", req.namespace, &sa) else {
        return Err(Status::forbidden(
            req.res,
            &name,
            &format!("error looking up service account {}/{sa}: serviceaccount \"{sa}\" not found", req.namespace),
        ));
    };
    // The service account's image pull secrets apply to pods that name none.
    if spec.get("imagePullSecrets").and_then(Value::as_array).is_none_or(Vec::is_empty)
        && let Some(secrets) = sa_obj.get("imagePullSecrets").and_then(Value::as_array).filter(|a| !a.is_empty())
    {
        spec.insert("imagePullSecrets".into(), Value::Array(secrets.clone()));
    }
    let automount = spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        .or_else(|| sa_obj.get("automountServiceAccountToken").and_then(Value::as_bool))
        .unwrap_or(true);
    if !automount {
        return Ok(());
    }
    const MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
    let volume_name = format!("kube-api-access-{}", req.rng.name_suffix(5));
    let mut mounted = false;
    for key in ["initContainers", "containers"] {
        if let Some(Value::Array(cs)) = spec.get_mut(key) {
            for c in cs.iter_mut().filter_map(Value::as_object_mut) {
                let has = c
                    .get("volumeMounts")
                    .and_then(Value::as_array)
                    .is_some_and(|ms| ms.iter().any(|m| m.get("mountPath").and_then(Value::as_str) == Some(MOUNT)));
                if has {
                    continue;
                }
                let mounts = c.entry("volumeMounts").or_insert_with(|| json!([]));
                if let Value::Array(ms) = mounts {
                    ms.push(json!({"mountPath": MOUNT, "name": volume_name, "readOnly": true}));
                    mounted = true;
                }
            }
        }
    }
    if mounted {
        let vols = spec.entry("volumes").or_insert_with(|| json!([]));
        if let Value::Array(vs) = vols {
            vs.push(json!({"name": volume_name, "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]}}));
        }
    }
    Ok(())
}

/// `priorityClassName` resolves to `priority` and `preemptionPolicy`; no class means the global
/// default class or priority 0.
fn priority(req: &Request<'_>, obj: &mut Value) -> Result<(), Status> {
    let name = display_name(obj);
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else { return Ok(()) };
    let class_name = spec.get("priorityClassName").and_then(Value::as_str).unwrap_or_default().to_string();
    let (value, policy) = if class_name.is_empty() {
        let default_class = Registry::builtin_resource("priorityclasses")
            .and_then(|r| req.store.list(r, None).find(|pc| pc.get("globalDefault").and_then(Value::as_bool) == Some(true)).cloned());
        match default_class {
            Some(pc) => {
                if let Some(n) = pc.pointer("/metadata/name") {
                    spec.insert("priorityClassName".into(), n.clone());
                }
                (pc.get("value").and_then(Value::as_i64).unwrap_or(0), pc.get("preemptionPolicy").cloned())
            }
            None => (0, None),
        }
    } else {
        match lookup(req.store, "priorityclasses", "", &class_name) {
            Some(pc) => (pc.get("value").and_then(Value::as_i64).unwrap_or(0), pc.get("preemptionPolicy").cloned()),
            None => {
                return Err(Status::forbidden(req.res, &name, &format!("no PriorityClass with name {class_name} was found")));
            }
        }
    };
    if let Some(p) = spec.get("priority").and_then(Value::as_i64)
        && p != value
    {
        return Err(Status::forbidden(
            req.res,
            &name,
            &format!(
                "the integer value of priority ({p}) must not be provided in pod spec; priority admission controller computed {value} from the given PriorityClass name"
            ),
        ));
    }
    spec.insert("priority".into(), json!(value));
    default_key(spec, "preemptionPolicy", policy.unwrap_or_else(|| json!("PreemptLowerPriority")));
    Ok(())
}

/// Pods tolerate not-ready and unreachable nodes for 300 s unless they say otherwise.
fn default_toleration_seconds(obj: &mut Value) {
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else { return };
    let tols = spec.entry("tolerations").or_insert_with(|| json!([]));
    let Value::Array(list) = tols else { return };
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let tolerated = list.iter().any(|t| {
            let k = t.get("key").and_then(Value::as_str);
            let effect = t.get("effect").and_then(Value::as_str).unwrap_or_default();
            let op = t.get("operator").and_then(Value::as_str).unwrap_or("Equal");
            (k == Some(key) || (k.is_none_or(str::is_empty) && op == "Exists")) && (effect.is_empty() || effect == "NoExecute")
        });
        if !tolerated {
            list.push(json!({"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}));
        }
    }
}

/// LimitRanger: `Container` defaults fill missing requests and limits (with the
/// `kubernetes.io/limit-ranger` annotation), then min/max are enforced.
fn limit_ranger(req: &Request<'_>, obj: &mut Value) -> Result<(), Status> {
    let Some(lr_res) = Registry::builtin_resource("limitranges") else { return Ok(()) };
    let items: Vec<Value> = req
        .store
        .list(lr_res, Some(req.namespace))
        .flat_map(|lr| lr.pointer("/spec/limits").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter(|i| i.get("type").and_then(Value::as_str) == Some("Container"))
        .collect();
    if items.is_empty() {
        return Ok(());
    }
    let name = display_name(obj);
    let mut set: Vec<String> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for (key, prefix) in [("containers", "container"), ("initContainers", "init container")] {
        let Some(Value::Array(cs)) = obj.pointer_mut(&format!("/spec/{key}")) else { continue };
        for c in cs.iter_mut().filter_map(Value::as_object_mut) {
            let cname = c.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            let res = child(c, "resources");
            let mut requests_set: Vec<String> = Vec::new();
            let mut limits_set: Vec<String> = Vec::new();
            for item in &items {
                for (part, src, record) in [("limits", "default", &mut limits_set), ("requests", "defaultRequest", &mut requests_set)] {
                    if let Some(defaults) = item.get(src).and_then(Value::as_object) {
                        for (rname, q) in defaults {
                            let target = child(res, part);
                            if !target.contains_key(rname) {
                                target.insert(rname.clone(), q.clone());
                                record.push(rname.clone());
                            }
                        }
                    }
                }
            }
            requests_set.sort();
            limits_set.sort();
            if !requests_set.is_empty() {
                set.push(format!("{} request for {prefix} {cname}", requests_set.join(", ")));
            }
            if !limits_set.is_empty() {
                set.push(format!("{} limit for {prefix} {cname}", limits_set.join(", ")));
            }
            for item in &items {
                check_bounds(item, res, &mut errors);
            }
        }
    }
    if !errors.is_empty() {
        let msg = if errors.len() == 1 { errors.remove(0) } else { format!("[{}]", errors.join(", ")) };
        return Err(Status::forbidden(req.res, &name, &msg));
    }
    if !set.is_empty()
        && let Some(root) = obj.as_object_mut()
    {
        let ann = child(child(root, "metadata"), "annotations");
        ann.insert("kubernetes.io/limit-ranger".into(), json!(format!("LimitRanger plugin set: {}", set.join("; "))));
    }
    Ok(())
}

fn check_bounds(item: &Value, res: &Map<String, Value>, errors: &mut Vec<String>) {
    let get = |part: &str, r: &str| res.get(part).and_then(|m| m.get(r)).cloned();
    let show = |v: &Value| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
    if let Some(max) = item.get("max").and_then(Value::as_object) {
        for (r, m) in max {
            match get("limits", r) {
                Some(l) if quantity::of(&l) > quantity::of(m) => {
                    errors.push(format!("maximum {r} usage per Container is {}, but limit is {}", show(m), show(&l)));
                }
                None => errors.push(format!("maximum {r} usage per Container is {}.  No limit is specified", show(m))),
                _ => {}
            }
        }
    }
    if let Some(min) = item.get("min").and_then(Value::as_object) {
        for (r, m) in min {
            match get("requests", r) {
                Some(q) if quantity::of(&q) < quantity::of(m) => {
                    errors.push(format!("minimum {r} usage per Container is {}, but request is {}", show(m), show(&q)));
                }
                None => errors.push(format!("minimum {r} usage per Container is {}.  No request is specified", show(m))),
                _ => {}
            }
        }
    }
}

/// ResourceQuota (validating): object counts and compute requests/limits of pods.
pub fn quota(req: &Request<'_>, obj: &Value) -> Result<(), Status> {
    if !req.res.namespaced {
        return Ok(());
    }
    let Some(rq_res) = Registry::builtin_resource("resourcequotas") else { return Ok(()) };
    let quotas: Vec<&Value> = req.store.list(rq_res, Some(req.namespace)).collect();
    if quotas.is_empty() {
        return Ok(());
    }
    let name = display_name(obj);
    let is_pod = req.res.group.is_empty() && req.res.name == "pods";
    let count_key = if req.res.group.is_empty() { req.res.name.clone() } else { format!("count/{}", req.res.qualified_name()) };
    for q in quotas {
        let qname = q.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
        let Some(hard) = q.pointer("/spec/hard").and_then(Value::as_object) else { continue };
        let mut requested: Vec<(String, f64, String)> = Vec::new();
        let mut missing: Vec<String> = Vec::new();
        for (key, limit) in hard {
            let lim = quantity::of(limit).unwrap_or(0.0);
            let used_now = used(req.store, req.namespace, key);
            let want = if key == &count_key || (key == "pods" && is_pod) || key == &format!("count/{}", req.res.name) {
                Some(1.0)
            } else if is_pod && (key.starts_with("requests.") || key.starts_with("limits.") || key == "cpu" || key == "memory") {
                let (part, r) = match key.split_once('.') {
                    Some((p, r)) => (p.to_string(), r.to_string()),
                    None => ("requests".to_string(), key.clone()),
                };
                let cs = obj.pointer("/spec/containers").and_then(Value::as_array).cloned().unwrap_or_default();
                let mut total = 0.0;
                for c in &cs {
                    match c.pointer(&format!("/resources/{part}/{r}")).and_then(quantity::of) {
                        Some(x) => total += x,
                        None => {
                            let cn = c.get("name").and_then(Value::as_str).unwrap_or_default();
                            missing.push(format!("{key} for: {cn}"));
                        }
                    }
                }
                Some(total)
            } else {
                None
            };
            if let Some(w) = want
                && used_now + w > lim + 1e-9
            {
                requested.push((key.clone(), w, limit.as_str().map(str::to_string).unwrap_or_else(|| limit.to_string())));
                let _ = used_now;
            }
        }
        if !missing.is_empty() {
            missing.sort();
            return Err(Status::forbidden(req.res, &name, &format!("failed quota: {qname}: must specify {}", missing.join("; "))));
        }
        if !requested.is_empty() {
            requested.sort_by(|a, b| a.0.cmp(&b.0));
            let fmt = |f: &dyn Fn(&(String, f64, String)) -> String| requested.iter().map(f).collect::<Vec<_>>().join(",");
            let req_s = fmt(&|(k, w, _)| format!("{k}={}", format_quantity(*w, k)));
            let used_s = fmt(&|(k, _, _)| format!("{k}={}", format_quantity(used(req.store, req.namespace, k), k)));
            let lim_s = fmt(&|(k, _, l)| format!("{k}={l}"));
            return Err(Status::forbidden(
                req.res,
                &name,
                &format!("exceeded quota: {qname}, requested: {req_s}, used: {used_s}, limited: {lim_s}"),
            ));
        }
    }
    Ok(())
}

/// What a namespace already uses of a quota resource.
fn used(store: &Store, namespace: &str, key: &str) -> f64 {
    if key == "pods" || key.starts_with("requests.") || key.starts_with("limits.") || key == "cpu" || key == "memory" {
        let Some(pods) = Registry::builtin_resource("pods") else { return 0.0 };
        let live = store
            .list(pods, Some(namespace))
            .filter(|p| !matches!(p.pointer("/status/phase").and_then(Value::as_str), Some("Succeeded" | "Failed")));
        if key == "pods" {
            return live.count() as f64;
        }
        let (part, r) = match key.split_once('.') {
            Some((p, r)) => (p.to_string(), r.to_string()),
            None => ("requests".to_string(), key.to_string()),
        };
        return live
            .flat_map(|p| p.pointer("/spec/containers").and_then(Value::as_array).cloned().unwrap_or_default())
            .filter_map(|c| c.pointer(&format!("/resources/{part}/{r}")).and_then(quantity::of))
            .sum::<f64>()
            // An empty f64 sum is -0.0, which would print as "-0".
            + 0.0;
    }
    let resource = key.strip_prefix("count/").unwrap_or(key);
    Registry::builtin_resource(resource).map_or(0.0, |r| store.list(r, Some(namespace)).count() as f64)
}

/// The resource quota controller's bookkeeping: `status.hard` and `status.used` of every quota
/// in `namespace`, recomputed after each write there.
pub fn refresh_quotas(store: &mut Store, namespace: &str) {
    let Some(rq_res) = Registry::builtin_resource("resourcequotas") else { return };
    let quotas: Vec<Value> = store.list(rq_res, Some(namespace)).cloned().collect();
    for mut q in quotas {
        let hard = q.pointer("/spec/hard").cloned().unwrap_or(json!({}));
        let mut used_map = Map::new();
        if let Some(h) = hard.as_object() {
            for key in h.keys() {
                used_map.insert(key.clone(), json!(format_quantity(used(store, namespace, key), key)));
            }
        }
        let before = q.clone();
        q["status"] = json!({"hard": hard, "used": used_map});
        // The quota controller writes a typed object: its quantities are canonical.
        let _ = super::normalize::normalize(&rq_res.group, &rq_res.version, &rq_res.kind, &mut q);
        if q != before {
            let name = q.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
            store.put(rq_res, namespace, &name, q);
        }
    }
}

/// A quota amount the way the quota plugin prints it (`2`, `500m`, `1Gi`).
fn format_quantity(v: f64, key: &str) -> String {
    if key.ends_with("memory") || key.ends_with("storage") {
        for (suffix, m) in [("Gi", 1024f64.powi(3)), ("Mi", 1024f64.powi(2)), ("Ki", 1024.0)] {
            if v >= m && (v / m).fract() == 0.0 {
                return format!("{}{suffix}", v / m);
            }
        }
        return format!("{v}");
    }
    if v.fract() == 0.0 { format!("{v}") } else { format!("{}m", (v * 1000.0).round()) }
}
