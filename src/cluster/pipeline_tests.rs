//! Tests of the request pipeline through [`Api`] against the default world: what a learner's
//! requests get back from a kubeadm v1.35 API server (messages from the error catalogue,
//! `/work/shared/notes/error-catalogue-v1.35.md`, case numbers cited).

use serde_json::{Value, json};

use super::api::{Attributes, Decision, DeleteOptions, FieldValidation, ListOptions, Propagation, UserInfo, WriteOptions};
use super::{Reason, Registry, ResourceInfo};
use crate::world::World;
use crate::world::scenario::default_world;

fn res(name: &str) -> &'static ResourceInfo {
    Registry::builtin_resource(name).expect("built-in resource")
}

fn admin() -> UserInfo {
    UserInfo::admin()
}

fn jane() -> UserInfo {
    UserInfo { name: "jane".into(), groups: vec!["system:authenticated".into()] }
}

fn create(w: &mut World, user: &UserInfo, resource: &str, ns: Option<&str>, obj: Value) -> Result<Value, super::Status> {
    let mut api = w.api("kubernetes").expect("cluster");
    api.create(user, res(resource), ns, obj, &WriteOptions::default())
}

fn pod(name: &str, image: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": {"containers": [{"name": name, "image": image}]}})
}

#[test]
fn default_world_lists_system_pods() {
    let mut w = default_world();
    let api = w.api("kubernetes").expect("cluster");
    let pods = api.list(&admin(), res("pods"), Some("kube-system"), &ListOptions::default()).expect("list");
    let names: Vec<&str> = pods.iter().filter_map(|p| p.pointer("/metadata/name").and_then(Value::as_str)).collect();
    for want in ["etcd-controlplane", "kube-apiserver-controlplane", "kube-controller-manager-controlplane", "kube-scheduler-controlplane"]
    {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert_eq!(names.iter().filter(|n| n.starts_with("coredns-")).count(), 2);
    assert_eq!(names.iter().filter(|n| n.starts_with("kube-proxy-")).count(), 3);
    assert_eq!(names.iter().filter(|n| n.starts_with("calico-node-")).count(), 3);
    assert!(pods.iter().all(|p| p.pointer("/status/phase") == Some(&json!("Running"))));
    let etcd = pods.iter().find(|p| p["metadata"]["name"] == "etcd-controlplane").expect("etcd");
    assert_eq!(etcd["spec"]["priorityClassName"], "system-node-critical");
    assert_eq!(etcd["metadata"]["ownerReferences"][0]["kind"], "Node");
    assert!(etcd["spec"].get("serviceAccountName").is_none(), "mirror pods get no service account");
    let svcs = api.list(&admin(), res("services"), None, &ListOptions::default()).expect("list");
    let ips: Vec<&str> = svcs.iter().filter_map(|s| s.pointer("/spec/clusterIP").and_then(Value::as_str)).collect();
    assert_eq!(ips, ["10.96.0.1", "10.96.0.10"]);
    let ns = api.list(&admin(), res("namespaces"), None, &ListOptions::default()).expect("list");
    assert_eq!(ns.len(), 4);
    assert_eq!(ns[0]["spec"], json!({"finalizers": ["kubernetes"]}));
    let sas = api.list(&admin(), res("serviceaccounts"), Some("default"), &ListOptions::default()).expect("list");
    assert_eq!(sas.len(), 1);
    let core = api.get(&admin(), res("apiservices"), None, "v1.").expect("v1.");
    assert_eq!(core["status"]["conditions"][0]["reason"], "Local");
}

#[test]
fn pod_defaults_match_a_real_server() {
    let mut w = default_world();
    let p = create(&mut w, &admin(), "pods", Some("default"), pod("web", "nginx")).expect("created");
    let spec = &p["spec"];
    assert_eq!(spec["serviceAccountName"], "default");
    assert_eq!(spec["serviceAccount"], "default");
    assert_eq!(spec["priority"], 0);
    assert_eq!(spec["preemptionPolicy"], "PreemptLowerPriority");
    assert_eq!(spec["enableServiceLinks"], true);
    let vol = spec["volumes"][0]["name"].as_str().unwrap_or_default();
    assert!(vol.starts_with("kube-api-access-") && vol.len() == "kube-api-access-".len() + 5, "{vol}");
    assert_eq!(
        spec["containers"][0]["volumeMounts"][0],
        json!({"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": vol, "readOnly": true})
    );
    assert_eq!(
        spec["tolerations"],
        json!([{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}])
    );
    assert_eq!(p["status"], json!({"phase": "Pending", "qosClass": "BestEffort"}));
    assert_eq!(p["metadata"]["namespace"], "default");
    assert!(p["metadata"]["uid"].as_str().is_some_and(|u| u.len() == 36));
}

#[test]
fn strict_decoding_and_warn_mode() {
    // Cases A33 and A35.
    let mut w = default_world();
    let mut body = pod("nginx", "nginx");
    body["spec"]["containers"][0]["imagePullPolicyy"] = json!("Always");
    let err = create(&mut w, &admin(), "pods", None, body.clone()).expect_err("strict");
    assert_eq!(err.reason, Reason::BadRequest);
    assert_eq!(
        err.message,
        "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagePullPolicyy\""
    );
    let mut api = w.api("kubernetes").expect("cluster");
    let opts = WriteOptions { field_validation: FieldValidation::Warn, ..Default::default() };
    let created = api.create(&admin(), res("pods"), None, body, &opts).expect("warn creates");
    assert_eq!(api.take_warnings(), vec!["unknown field \"spec.containers[0].imagePullPolicyy\"".to_string()]);
    assert!(created["spec"]["containers"][0].get("imagePullPolicyy").is_none());
}

#[test]
fn validation_messages() {
    let mut w = default_world();
    // Case A16: two causes, the catalogue's order.
    let err = create(&mut w, &admin(), "pods", None, pod("My_Pod", "nginx")).expect_err("invalid");
    assert_eq!(err.reason, Reason::Invalid);
    assert_eq!(err.causes.len(), 2);
    assert_eq!(err.causes[0].field, "metadata.name");
    assert_eq!(err.causes[1].field, "spec.containers[0].name");
    // Case A15.
    let err = create(&mut w, &admin(), "pods", None, pod("nginx", "")).expect_err("invalid");
    assert_eq!(err.message, "Pod \"nginx\" is invalid: spec.containers[0].image: Required value");
    // Case A18.
    let err =
        create(&mut w, &admin(), "namespaces", None, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "Dev_Team"}}))
            .expect_err("invalid");
    assert!(
        err.message
            .starts_with("Namespace \"Dev_Team\" is invalid: metadata.name: Invalid value: \"Dev_Team\": a lowercase RFC 1123 label"),
        "{}",
        err.message
    );
    // Case A21 through the whole pipeline.
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "frontend"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}});
    let err = create(&mut w, &admin(), "deployments", None, d).expect_err("invalid");
    assert_eq!(err.causes.len(), 1);
    assert_eq!(err.kind, "Deployment");
    assert_eq!(
        err.message,
        "Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"
    );
}

#[test]
fn namespace_lifecycle_and_conflicts() {
    let mut w = default_world();
    // Case A8.
    let err = create(&mut w, &admin(), "pods", Some("nope"), pod("web", "nginx")).expect_err("no namespace");
    assert_eq!((err.reason, err.message.as_str()), (Reason::NotFound, "namespaces \"nope\" not found"));
    create(&mut w, &admin(), "pods", None, pod("web", "nginx")).expect("created");
    // Case A11.
    let err = create(&mut w, &admin(), "pods", None, pod("web", "nginx")).expect_err("exists");
    assert_eq!(err.message, "pods \"web\" already exists");
    // Namespace mismatch.
    let mut other = pod("x", "nginx");
    other["metadata"]["namespace"] = json!("kube-system");
    let err = create(&mut w, &admin(), "pods", Some("default"), other).expect_err("mismatch");
    assert_eq!(err.message, "the namespace of the provided object does not match the namespace sent on the request");
    // Case A52: stale resourceVersion.
    let mut api = w.api("kubernetes").expect("cluster");
    let mut stale = api.get(&admin(), res("pods"), Some("default"), "web").expect("get");
    stale["metadata"]["resourceVersion"] = json!("1");
    let err = api.update(&admin(), res("pods"), Some("default"), stale, &WriteOptions::default()).expect_err("conflict");
    assert_eq!(
        err.message,
        "Operation cannot be fulfilled on pods \"web\": the object has been modified; please apply your changes to the latest version and try again"
    );
    // Case A23: only the image may change.
    let mut p = api.get(&admin(), res("pods"), Some("default"), "web").expect("get");
    p["spec"]["containers"][0]["image"] = json!("nginx:1.27");
    api.update(&admin(), res("pods"), Some("default"), p.clone(), &WriteOptions::default()).expect("image update");
    let mut p = api.get(&admin(), res("pods"), Some("default"), "web").expect("get");
    p["spec"]["containers"][0]["env"] = json!([{"name": "MODE", "value": "prod"}]);
    let err = api.update(&admin(), res("pods"), Some("default"), p, &WriteOptions::default()).expect_err("forbidden change");
    assert_eq!(err.causes[0].field, "spec");
    assert!(err.causes[0].message.starts_with("Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"));
}

#[test]
fn terminating_namespace_refuses_content_then_goes() {
    let mut w = default_world();
    create(&mut w, &admin(), "namespaces", None, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}))
        .expect("ns");
    create(&mut w, &admin(), "pods", Some("dev"), pod("web", "nginx")).expect("pod in dev");
    let mut api = w.api("kubernetes").expect("cluster");
    let ns = api.delete(&admin(), res("namespaces"), None, "dev", &DeleteOptions::default()).expect("delete");
    assert_eq!(ns["status"]["phase"], "Terminating");
    let err = api.create(&admin(), res("pods"), Some("dev"), pod("x", "nginx"), &WriteOptions::default()).expect_err("terminating");
    // Case A50.
    assert_eq!(err.message, "pods \"x\" is forbidden: unable to create new content in namespace dev because it is being terminated");
    let again = api.delete(&admin(), res("namespaces"), None, "dev", &DeleteOptions::default()).expect_err("already terminating");
    assert_eq!(again.reason, Reason::Conflict);
    assert!(again.message.ends_with("from this namespace.  Upon completion, this namespace will automatically be purged by the system."));
    api.settle();
    assert!(api.get(&admin(), res("namespaces"), None, "dev").is_err());
    assert!(api.list(&admin(), res("pods"), Some("dev"), &ListOptions::default()).expect("list").is_empty());
}

#[test]
fn service_allocation() {
    let mut w = default_world();
    let svc = |name: &str, node_port: Option<i64>| {
        let mut port = json!({"port": 80});
        if let Some(n) = node_port {
            port["nodePort"] = json!(n);
        }
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [port]}})
    };
    let s = create(&mut w, &admin(), "services", None, svc("web", Some(30080))).expect("svc");
    let ip = s["spec"]["clusterIP"].as_str().unwrap_or_default().to_string();
    assert!(ip.starts_with("10.") && ip != "10.96.0.1");
    assert_eq!(s["spec"]["clusterIPs"], json!([ip]));
    {
        let api = w.api("kubernetes").expect("cluster");
        let addr = api.get(&admin(), res("ipaddresses"), None, &ip).expect("IPAddress for the ClusterIP");
        assert_eq!(addr["spec"]["parentRef"], json!({"group": "", "name": "web", "namespace": "default", "resource": "services"}));
        assert!(api.get(&admin(), res("ipaddresses"), None, "10.96.0.10").is_ok());
        assert!(api.get(&admin(), res("servicecidrs"), None, "kubernetes").is_ok());
    }
    assert_eq!(s["spec"]["ipFamilyPolicy"], "SingleStack");
    assert_eq!(s["spec"]["externalTrafficPolicy"], "Cluster");
    // Case A29.
    let err = create(&mut w, &admin(), "services", None, svc("probe", Some(30080))).expect_err("taken");
    assert_eq!(
        err.message,
        "Service \"probe\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"
    );
    // Case A28.
    let err = create(&mut w, &admin(), "services", None, svc("low", Some(80))).expect_err("range");
    assert!(err.message.ends_with("provided port is not in the valid range. The range of valid ports is 30000-32767"));
    let auto = create(&mut w, &admin(), "services", None, svc("auto", None)).expect("auto");
    assert!((30000..=32767).contains(&auto["spec"]["ports"][0]["nodePort"].as_i64().unwrap_or(0)));
}

#[test]
fn rbac_decisions() {
    let mut w = default_world();
    let api = w.api("kubernetes").expect("cluster");
    // Case A39/A40.
    let err = api.list(&jane(), res("pods"), Some("default"), &ListOptions::default()).expect_err("forbidden");
    assert_eq!(
        err.message,
        "pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""
    );
    let err = api.list(&jane(), res("nodes"), None, &ListOptions::default()).expect_err("forbidden");
    assert_eq!(err.message, "nodes is forbidden: User \"jane\" cannot list resource \"nodes\" in API group \"\" at the cluster scope");
    assert!(api.list(&admin(), res("nodes"), None, &ListOptions::default()).is_ok(), "kubeadm:cluster-admins is bound to cluster-admin");
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"},
        "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]});
    create(&mut w, &admin(), "roles", None, role).expect("role");
    let rb = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "reader"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"}, "subjects": [{"kind": "User", "name": "jane"}]});
    let stored = create(&mut w, &admin(), "rolebindings", None, rb).expect("binding");
    assert_eq!(stored["subjects"][0]["apiGroup"], "rbac.authorization.k8s.io");
    let api = w.api("kubernetes").expect("cluster");
    assert!(api.list(&jane(), res("pods"), Some("default"), &ListOptions::default()).is_ok());
    let attrs =
        |verb: &str, ns: &str| Attributes { verb: verb.into(), resource: "pods".into(), namespace: ns.into(), ..Default::default() };
    assert_eq!(api.authorize(&jane(), &attrs("get", "default")), Decision::Allow);
    assert!(matches!(api.authorize(&jane(), &attrs("delete", "default")), Decision::Deny(_)));
    assert!(matches!(api.authorize(&jane(), &attrs("get", "kube-system")), Decision::Deny(_)));
    // A service account bound to view through a ClusterRole aggregates the view rules.
    let sa = UserInfo {
        name: "system:serviceaccount:default:app".into(),
        groups: vec!["system:serviceaccounts".into(), "system:serviceaccounts:default".into(), "system:authenticated".into()],
    };
    assert!(matches!(api.authorize(&sa, &attrs("list", "default")), Decision::Deny(_)));
    let rb = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "app-view"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "ServiceAccount", "name": "app"}]});
    create(&mut w, &admin(), "rolebindings", None, rb).expect("binding");
    let api = w.api("kubernetes").expect("cluster");
    assert_eq!(api.authorize(&sa, &attrs("list", "default")), Decision::Allow);
    let view = api.get(&admin(), res("clusterroles"), None, "view").expect("view");
    assert!(view["rules"].as_array().is_some_and(|r| !r.is_empty()), "aggregated rules are written into view");
    assert!(api.rules_for(&jane(), "default").iter().any(|r| r.resources == ["pods"]));
    // Regression: edit (and admin) lacked view's rules, so an editor could not read configmaps.
    let cm_get = Attributes { verb: "get".into(), resource: "configmaps".into(), namespace: "default".into(), ..Default::default() };
    for role in ["edit", "admin"] {
        let rb = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": format!("bob-{role}")},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role}, "subjects": [{"kind": "User", "name": format!("bob-{role}")}]});
        create(&mut w, &admin(), "rolebindings", None, rb).expect("binding");
        let bob = UserInfo { name: format!("bob-{role}"), groups: vec!["system:authenticated".into()] };
        let api = w.api("kubernetes").expect("cluster");
        assert_eq!(api.authorize(&bob, &cm_get), Decision::Allow, "{role} includes view");
    }
}

#[test]
fn garbage_collection() {
    let mut w = default_world();
    let mut api = w.api("kubernetes").expect("cluster");
    let rs = api.list(&admin(), res("replicasets"), Some("kube-system"), &ListOptions::default()).expect("list");
    let coredns_rs = rs.iter().find(|r| r["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("coredns-"))).expect("rs").clone();
    let rs_name = coredns_rs["metadata"]["name"].as_str().unwrap_or_default().to_string();
    // Orphan: pods stay, without their owner reference.
    api.delete(
        &admin(),
        res("replicasets"),
        Some("kube-system"),
        &rs_name,
        &DeleteOptions { propagation: Propagation::Orphan, ..Default::default() },
    )
    .expect("delete");
    let pods = api.list(&admin(), res("pods"), Some("kube-system"), &ListOptions::default()).expect("list");
    let dns: Vec<&Value> = pods.iter().filter(|p| p["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("coredns-"))).collect();
    assert_eq!(dns.len(), 2);
    assert!(dns.iter().all(|p| p["metadata"].get("ownerReferences").is_none()));
    // Background: deleting the DaemonSet takes its pods.
    api.delete(&admin(), res("daemonsets"), Some("kube-system"), "kube-proxy", &DeleteOptions::default()).expect("delete");
    let pods = api.list(&admin(), res("pods"), Some("kube-system"), &ListOptions::default()).expect("list");
    assert!(!pods.iter().any(|p| p["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("kube-proxy-"))));
}

#[test]
fn custom_resources_are_served() {
    let mut w = default_world();
    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "crontabs.stable.example.com"},
        "spec": {"group": "stable.example.com", "scope": "Namespaced", "names": {"plural": "crontabs", "singular": "crontab", "kind": "CronTab", "shortNames": ["ct"]},
            "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]}});
    create(&mut w, &admin(), "customresourcedefinitions", None, crd).expect("crd");
    let mut api = w.api("kubernetes").expect("cluster");
    let reg = api.registry();
    let ct = reg.lookup("ct").expect("served").clone();
    assert_eq!(ct.api_version(), "stable.example.com/v1");
    let obj =
        json!({"apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": {"name": "c1"}, "spec": {"cronSpec": "* * * * */5"}});
    api.create(&admin(), &ct, Some("default"), obj, &WriteOptions::default()).expect("custom object");
    assert_eq!(api.list(&admin(), &ct, Some("default"), &ListOptions::default()).expect("list").len(), 1);
    // A CRD with a schema: unknown fields are refused under strict validation, types checked.
    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "backups.ops.example.com"},
        "spec": {"group": "ops.example.com", "scope": "Namespaced", "names": {"plural": "backups", "kind": "Backup"},
            "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object",
                "properties": {"schedule": {"type": "string"}, "keep": {"type": "integer"}}}}}}}]}});
    create(&mut w, &admin(), "customresourcedefinitions", None, crd).expect("crd");
    let mut api = w.api("kubernetes").expect("cluster");
    let backup = api.registry().lookup("backups").expect("served").clone();
    let bad = json!({"apiVersion": "ops.example.com/v1", "kind": "Backup", "metadata": {"name": "b"}, "spec": {"schedul": "x"}});
    let err = api.create(&admin(), &backup, Some("default"), bad, &WriteOptions::default()).expect_err("unknown field");
    assert_eq!(
        err.message,
        "Backup in version \"v1\" cannot be handled as a Backup: strict decoding error: unknown field \"spec.schedul\""
    );
    let bad = json!({"apiVersion": "ops.example.com/v1", "kind": "Backup", "metadata": {"name": "b"}, "spec": {"keep": "3"}});
    let err = api.create(&admin(), &backup, Some("default"), bad, &WriteOptions::default()).expect_err("type");
    assert_eq!(
        err.message,
        "Backup.ops.example.com \"b\" is invalid: spec.keep: Invalid value: \"string\": spec.keep in body must be of type integer: \"string\""
    );
}

#[test]
fn ten_thousand_pods_list_quickly() {
    let mut w = default_world();
    let mut api = w.api("kubernetes").expect("cluster");
    let base = pod("p", "nginx");
    for i in 0..10_000 {
        let mut p = base.clone();
        p["metadata"]["name"] = json!(format!("p{i}"));
        api.create(&UserInfo::system(), res("pods"), Some("default"), p, &WriteOptions::default()).expect("pod");
    }
    let start = std::time::Instant::now();
    let all = api.list(&admin(), res("pods"), None, &ListOptions::default()).expect("list");
    assert!(all.len() > 10_000);
    // Generous for debug builds on shared cores.
    assert!(start.elapsed().as_secs_f64() < 5.0, "list took {:?}", start.elapsed());
}

#[test]
fn default_world_builds_fast() {
    let _first = default_world();
    // The fastest of several copies: other tests load the shared cores meanwhile.
    let mut took = std::time::Duration::MAX;
    let mut w = default_world();
    for _ in 0..5 {
        let start = std::time::Instant::now();
        w = default_world();
        took = took.min(start.elapsed());
    }
    eprintln!("default world: {took:?}, {} objects", w.clusters["kubernetes"].store.len());
    // Later worlds are copies of the first; debug builds are ~10x slower than release, whose
    // budget is 5 ms.
    assert!(took.as_millis() < 50, "{took:?}");
}

#[test]
#[ignore]
fn profile_pieces() {
    let p = pod("web", "nginx");
    let t = std::time::Instant::now();
    for _ in 0..100 {
        let _ = super::decode::check("", "Pod", &p);
    }
    eprintln!("decode x100: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    for _ in 0..100 {
        let _ = Registry::builtin_resource("pods");
    }
    eprintln!("lookup x100: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let _ = super::rbac::bootstrap::objects();
    eprintln!("bootstrap parse: {:?}", t.elapsed());
    let mut w = World::new(1);
    w.clusters.insert("kubernetes".into(), super::Cluster::new("kubernetes", "v1.35.2", "x:6443"));
    let mut api = w.api("kubernetes").expect("c");
    let t = std::time::Instant::now();
    for o in super::rbac::bootstrap::objects() {
        let ns = if o.namespace.is_empty() { None } else { Some(o.namespace.as_str()) };
        let _ = api.create(&UserInfo::system(), res(o.resource), ns, o.body.clone(), &WriteOptions::default());
    }
    eprintln!("rbac creates: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let _ = default_world();
    eprintln!("world: {:?}", t.elapsed());
}

#[test]
#[ignore]
fn dump_objects() {
    let mut w = default_world();
    let api = w.api("kubernetes").expect("c");
    for (r, ns, name) in [("pods", "kube-system", "etcd-controlplane"), ("nodes", "", "node01")] {
        let o = api.get(&admin(), res(r), Some(ns), name).expect("get");
        eprintln!("{}", serde_yaml::to_string(&o).unwrap_or_default());
    }
    let pods = api.list(&admin(), res("pods"), Some("kube-system"), &ListOptions::default()).expect("list");
    for p in pods
        .iter()
        .filter(|p| p["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("coredns") || n.starts_with("kube-proxy")))
        .take(2)
    {
        eprintln!("{}", serde_yaml::to_string(p).unwrap_or_default());
    }
}

#[test]
fn kubectl_renders_invalid_statuses_from_their_details() {
    // Rule R3 and cases A16/A22 of the error catalogue.
    let mut w = default_world();
    let err = create(&mut w, &admin(), "pods", None, pod("My_Pod", "nginx")).expect_err("invalid");
    let report = crate::programs::kubectl::errors::from_server(&err);
    assert!(
        report.starts_with("The Pod \"My_Pod\" is invalid: \n* metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain"),
        "{report}"
    );
    assert!(report.contains("\n* spec.containers[0].name: Invalid value: \"My_Pod\": a lowercase RFC 1123 label"));
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}});
    let err = create(&mut w, &admin(), "deployments", None, d).expect_err("invalid");
    assert_eq!(
        crate::programs::kubectl::errors::from_server(&err),
        "The Deployment \"web\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`\n"
    );
    assert_eq!(
        err.message,
        "Deployment.apps \"web\" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`]"
    );
}

#[test]
fn resource_quota_admission_and_status() {
    // Cases A46 and A47 (quota plugin messages).
    let mut w = default_world();
    let quota = json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "compute-quota"}, "spec": {"hard": {"limits.cpu": "2", "pods": "2"}}});
    create(&mut w, &admin(), "resourcequotas", None, quota).expect("quota");
    // Regression: nothing used yet read "-0" (an empty f64 sum is negative zero).
    let api = w.api("kubernetes").expect("cluster");
    let q = api.get(&admin(), res("resourcequotas"), Some("default"), "compute-quota").expect("get");
    assert_eq!(q["status"]["used"], json!({"limits.cpu": "0", "pods": "0"}));
    let err = create(&mut w, &admin(), "pods", None, pod("nginx", "nginx")).expect_err("no limits");
    assert_eq!(err.message, "pods \"nginx\" is forbidden: failed quota: compute-quota: must specify limits.cpu for: nginx");
    let with = |name: &str, cpu: &str| {
        let mut p = pod(name, "nginx");
        p["spec"]["containers"][0]["resources"] = json!({"limits": {"cpu": cpu}});
        p
    };
    create(&mut w, &admin(), "pods", None, with("a", "1")).expect("fits");
    let err = create(&mut w, &admin(), "pods", None, with("b", "2")).expect_err("exceeds");
    assert_eq!(err.reason, Reason::Forbidden);
    assert_eq!(
        err.message,
        "pods \"b\" is forbidden: exceeded quota: compute-quota, requested: limits.cpu=2, used: limits.cpu=1, limited: limits.cpu=2"
    );
    let api = w.api("kubernetes").expect("cluster");
    let q = api.get(&admin(), res("resourcequotas"), Some("default"), "compute-quota").expect("get");
    assert_eq!(q["status"], json!({"hard": {"limits.cpu": "2", "pods": "2"}, "used": {"limits.cpu": "1", "pods": "1"}}));
}

#[test]
fn endpoints_are_deprecated() {
    let mut w = default_world();
    let api = w.api("kubernetes").expect("cluster");
    api.list(&admin(), res("endpoints"), Some("default"), &ListOptions::default()).expect("list");
    assert_eq!(api.take_warnings(), vec!["v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice".to_string()]);
    assert!(api.take_warnings().is_empty());
}

#[test]
fn secrets_convert_string_data_and_check_base64() {
    let mut w = default_world();
    let s = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "stringData": {"password": "s3cr3t"}});
    let stored = create(&mut w, &admin(), "secrets", None, s).expect("secret");
    assert_eq!(stored["data"], json!({"password": "czNjcjN0"}));
    assert_eq!(stored["type"], "Opaque");
    assert!(stored.get("stringData").is_none());
    let bad = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "bad"}, "data": {"password": "s3cr3t!"}});
    let err = create(&mut w, &admin(), "secrets", None, bad).expect_err("bad base64");
    assert_eq!(err.message, "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 6");
}

#[test]
fn service_type_change_allocates_and_releases_node_ports() {
    let mut w = default_world();
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}});
    let s = create(&mut w, &admin(), "services", None, svc).expect("svc");
    let ip = s["spec"]["clusterIP"].clone();
    let mut api = w.api("kubernetes").expect("cluster");
    let mut next = s.clone();
    next["spec"]["type"] = json!("NodePort");
    let np = api.update(&admin(), res("services"), Some("default"), next, &WriteOptions::default()).expect("to NodePort");
    assert_eq!(np["spec"]["clusterIP"], ip, "the ClusterIP is kept");
    assert!((30000..=32767).contains(&np["spec"]["ports"][0]["nodePort"].as_i64().unwrap_or(0)));
    assert_eq!(np["spec"]["externalTrafficPolicy"], "Cluster");
    let mut back = np.clone();
    back["spec"]["type"] = json!("ClusterIP");
    let cip = api.update(&admin(), res("services"), Some("default"), back, &WriteOptions::default()).expect("to ClusterIP");
    assert!(cip["spec"]["ports"][0].get("nodePort").is_none());
    let mut moved = cip.clone();
    moved["spec"]["clusterIP"] = json!("10.96.5.5");
    moved["spec"]["clusterIPs"] = json!(["10.96.5.5"]);
    let err = api.update(&admin(), res("services"), Some("default"), moved, &WriteOptions::default()).expect_err("immutable");
    assert_eq!(err.causes[0].field, "spec.clusterIPs[0]");
}

#[test]
fn finalizers_hold_deletion() {
    let mut w = default_world();
    let pvc = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}});
    let stored = create(&mut w, &admin(), "persistentvolumeclaims", None, pvc).expect("pvc");
    assert_eq!(stored["metadata"]["finalizers"], json!(["kubernetes.io/pvc-protection"]));
    assert_eq!(stored["spec"]["volumeMode"], "Filesystem");
    assert_eq!(stored["status"], json!({"phase": "Pending"}));
    let mut p = pod("app", "nginx");
    p["spec"]["volumes"] = json!([{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]);
    create(&mut w, &admin(), "pods", None, p).expect("pod");
    let mut api = w.api("kubernetes").expect("cluster");
    let deleted = api.delete(&admin(), res("persistentvolumeclaims"), Some("default"), "data", &DeleteOptions::default()).expect("delete");
    assert!(deleted["metadata"]["deletionTimestamp"].is_string(), "in use: Terminating");
    api.settle();
    assert!(api.get(&admin(), res("persistentvolumeclaims"), Some("default"), "data").is_ok());
    api.delete(&admin(), res("pods"), Some("default"), "app", &DeleteOptions::default()).expect("delete pod");
    api.settle();
    assert!(api.get(&admin(), res("persistentvolumeclaims"), Some("default"), "data").is_err(), "released once unused");
    // A custom finalizer keeps a ConfigMap until it is removed.
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "held", "finalizers": ["example.com/hold"]}});
    create(&mut w, &admin(), "configmaps", None, cm).expect("cm");
    let mut api = w.api("kubernetes").expect("cluster");
    let held = api.delete(&admin(), res("configmaps"), Some("default"), "held", &DeleteOptions::default()).expect("delete");
    let mut released = held.clone();
    released["metadata"]["finalizers"] = json!([]);
    api.update(&admin(), res("configmaps"), Some("default"), released, &WriteOptions::default()).expect("update");
    assert!(api.get(&admin(), res("configmaps"), Some("default"), "held").is_err());
}

#[test]
fn impersonation_groups() {
    let sa = UserInfo::impersonated("system:serviceaccount:dev:bot", &[]);
    assert_eq!(sa.groups, ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"]);
    assert_eq!(UserInfo::impersonated("jane", &["devs".into()]).groups, ["devs", "system:authenticated"]);
}

#[test]
fn storage_ingress_and_rbac_rules() {
    let mut w = default_world();
    let sc = json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "local"}, "provisioner": "kubernetes.io/no-provisioner"});
    let stored = create(&mut w, &admin(), "storageclasses", None, sc).expect("sc");
    assert_eq!((stored["reclaimPolicy"].as_str(), stored["volumeBindingMode"].as_str()), (Some("Delete"), Some("Immediate")));
    let ing = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"},
        "spec": {"rules": [{"http": {"paths": [{"path": "/", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}});
    let err = create(&mut w, &admin(), "ingresses", None, ing).expect_err("pathType");
    assert_eq!(
        err.message,
        "Ingress.networking.k8s.io \"web\" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"
    );
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r"}, "rules": [{"resources": ["pods"], "verbs": ["get"]}]});
    let err = create(&mut w, &admin(), "roles", None, role).expect_err("apiGroups");
    assert_eq!(err.causes[0].message, "Required value: resource rules must supply at least one api group");
}

#[test]
fn patches_through_the_pipeline() {
    use super::api::PatchType;
    let mut w = default_world();
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}});
    create(&mut w, &admin(), "deployments", None, d).expect("deploy");
    let mut api = w.api("kubernetes").expect("cluster");
    let reg = api.registry();
    let deploy = reg.lookup("deployments").expect("res").clone();
    let p = json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}});
    let out = api.patch(&admin(), &deploy, Some("default"), "web", PatchType::Strategic, &p, &WriteOptions::default()).expect("set image");
    assert_eq!(out["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.27");
    assert_eq!(out["spec"]["template"]["spec"]["containers"][0]["terminationMessagePath"], "/dev/termination-log");
    assert_eq!(out["metadata"]["generation"], 2);
    let scale = reg.resources.iter().find(|r| r.name == "deployments/scale").expect("scale").clone();
    let s = api
        .patch(&admin(), &scale, Some("default"), "web", PatchType::Merge, &json!({"spec": {"replicas": 3}}), &WriteOptions::default())
        .expect("scale");
    assert_eq!(s["kind"], "Scale");
    assert_eq!(s["spec"]["replicas"], 3);
    let err =
        api.patch(&admin(), &deploy, Some("default"), "nope", PatchType::Merge, &json!({}), &WriteOptions::default()).expect_err("missing");
    assert_eq!(err.message, "deployments.apps \"nope\" not found");
    let err =
        api.patch(&jane(), &deploy, Some("default"), "web", PatchType::Merge, &json!({}), &WriteOptions::default()).expect_err("forbidden");
    assert_eq!(
        err.message,
        "deployments.apps \"web\" is forbidden: User \"jane\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"default\""
    );
    // A merge patch that breaks the selector match is refused with the update's validation.
    let err = api
        .patch(
            &admin(),
            &deploy,
            Some("default"),
            "web",
            PatchType::Merge,
            &json!({"spec": {"selector": {"matchLabels": {"app": "other"}}}}),
            &WriteOptions::default(),
        )
        .expect_err("immutable");
    assert_eq!(err.reason, Reason::Invalid);
}

#[test]
fn eviction_binding_and_tokens() {
    let mut w = default_world();
    let mut api = w.api("kubernetes").expect("cluster");
    let reg = api.registry();
    let sub = |n: &str| reg.resources.iter().find(|r| r.name == n).expect("subresource").clone();
    // Token for the default service account; a missing one is NotFound (case A10).
    let t = api
        .create_subresource(&admin(), &sub("serviceaccounts/token"), Some("default"), "default", json!({}), &WriteOptions::default())
        .expect("token");
    assert_eq!(t["status"]["token"].as_str().map(|s| s.split('.').count()), Some(3));
    let err = api
        .create_subresource(&admin(), &sub("serviceaccounts/token"), Some("default"), "robot", json!({}), &WriteOptions::default())
        .expect_err("missing");
    assert_eq!(err.message, "serviceaccounts \"robot\" not found");
    // A PDB that allows no disruption blocks the eviction of a CoreDNS pod.
    let pdb = json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "dns"}, "spec": {"minAvailable": 2, "selector": {"matchLabels": {"k8s-app": "kube-dns"}}}});
    create(&mut w, &admin(), "poddisruptionbudgets", Some("kube-system"), pdb).expect("pdb");
    let mut api = w.api("kubernetes").expect("cluster");
    let pods = api.list(&admin(), res("pods"), Some("kube-system"), &ListOptions::default()).expect("list");
    let dns =
        pods.iter().find(|p| p["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("coredns-"))).expect("dns")["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    let eviction = json!({"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": dns, "namespace": "kube-system"}});
    let err =
        api.create(&admin(), &sub("pods/eviction"), Some("kube-system"), eviction.clone(), &WriteOptions::default()).expect_err("pdb");
    assert_eq!(
        (err.reason, err.message.as_str()),
        (Reason::TooManyRequests, "Cannot evict pod as it would violate the pod's disruption budget.")
    );
    let proxy = pods.iter().find(|p| p["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("kube-proxy-"))).expect("proxy")["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let ev = json!({"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": proxy}});
    api.create(&admin(), &sub("pods/eviction"), Some("kube-system"), ev, &WriteOptions::default()).expect("evicted");
    assert!(api.get(&admin(), res("pods"), Some("kube-system"), &proxy).is_err());
    // Binding assigns a node once.
    create(&mut w, &admin(), "pods", None, pod("web", "nginx")).expect("pod");
    let mut api = w.api("kubernetes").expect("cluster");
    let b = json!({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "web"}, "target": {"apiVersion": "v1", "kind": "Node", "name": "node01"}});
    api.create(&UserInfo::system(), &sub("pods/binding"), Some("default"), b.clone(), &WriteOptions::default()).expect("bound");
    assert_eq!(api.get(&admin(), res("pods"), Some("default"), "web").expect("get")["spec"]["nodeName"], "node01");
    assert!(api.create(&UserInfo::system(), &sub("pods/binding"), Some("default"), b, &WriteOptions::default()).is_err());
}

#[test]
fn new_objects_start_with_the_empty_status_their_type_encodes() {
    let mut w = default_world();
    let template = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}});
    let body = |kind: &str| json!({"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template}});
    let d = create(&mut w, &admin(), "deployments", None, body("Deployment")).expect("deploy");
    assert_eq!(d["status"], json!({}));
    let rs = create(&mut w, &admin(), "replicasets", None, body("ReplicaSet")).expect("rs");
    assert_eq!(rs["status"], json!({"replicas": 0}));
    let ds = create(&mut w, &admin(), "daemonsets", None, body("DaemonSet")).expect("ds");
    assert_eq!(ds["status"]["numberReady"], 0);
    // Templates carry SetDefaults_PodSpec only (no enableServiceLinks, which is Pod-only).
    assert!(d["spec"]["template"]["spec"].get("enableServiceLinks").is_none());
    assert_eq!(d["spec"]["template"]["spec"]["securityContext"], json!({}));
}

#[test]
fn csr_approval_goes_through_the_subresource() {
    let mut w = default_world();
    let csr = json!({"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": {"name": "jane"},
        "spec": {"request": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K", "signerName": "kubernetes.io/kube-apiserver-client", "usages": ["client auth"]}});
    let stored = create(&mut w, &admin(), "certificatesigningrequests", None, csr).expect("csr");
    assert_eq!(stored["status"], json!({}));
    // Regression: the requester was not recorded (an empty REQUESTOR column).
    assert_eq!(stored["spec"]["username"], "kubernetes-admin");
    assert_eq!(stored["spec"]["groups"], json!(["kubeadm:cluster-admins", "system:authenticated"]));
    let mut api = w.api("kubernetes").expect("cluster");
    let reg = api.registry();
    let approval = reg.resources.iter().find(|r| r.name == "certificatesigningrequests/approval").expect("approval").clone();
    let mut next = stored.clone();
    next["status"] = json!({"conditions": [{"type": "Approved", "status": "True", "reason": "KubectlApprove", "message": "This CSR was approved by kubectl certificate approve."}]});
    let out = api.update(&admin(), &approval, None, next, &WriteOptions::default()).expect("approve");
    assert_eq!(out["status"]["conditions"][0]["type"], "Approved");
}

#[test]
fn limit_ranger_defaults_and_bounds() {
    // plugin/pkg/admission/limitranger: defaults, the annotation, and case A49.
    let mut w = default_world();
    let lr = json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "limits"},
        "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m", "memory": "256Mi"}, "defaultRequest": {"cpu": "100m", "memory": "128Mi"}, "max": {"cpu": "800m"}}]}});
    create(&mut w, &admin(), "limitranges", None, lr).expect("lr");
    let p = create(&mut w, &admin(), "pods", None, pod("web", "nginx")).expect("pod");
    assert_eq!(
        p["spec"]["containers"][0]["resources"],
        json!({"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}})
    );
    assert_eq!(
        p["metadata"]["annotations"]["kubernetes.io/limit-ranger"],
        "LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web"
    );
    assert_eq!(p["status"]["qosClass"], "Burstable");
    let mut big = pod("big", "nginx");
    big["spec"]["containers"][0]["resources"] = json!({"limits": {"cpu": "1500m"}});
    let err = create(&mut w, &admin(), "pods", None, big).expect_err("too big");
    assert_eq!(err.message, "pods \"big\" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m");
}

#[test]
fn pod_security_admission() {
    let mut w = default_world();
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "secure", "labels": {"pod-security.kubernetes.io/enforce": "restricted"}}});
    create(&mut w, &admin(), "namespaces", None, ns).expect("ns");
    let err = create(&mut w, &admin(), "pods", Some("secure"), pod("nginx", "nginx")).expect_err("restricted");
    assert_eq!(err.reason, Reason::Forbidden);
    assert!(err.message.starts_with("pods \"nginx\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"nginx\""), "{}", err.message);
    let mut ok = pod("ok", "nginx");
    ok["spec"]["securityContext"] = json!({"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}});
    ok["spec"]["containers"][0]["securityContext"] = json!({"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}});
    create(&mut w, &admin(), "pods", Some("secure"), ok).expect("compliant pod");
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}});
    let mut api = w.api("kubernetes").expect("cluster");
    let _ = api.take_warnings();
    api.create(&admin(), res("deployments"), Some("secure"), d, &WriteOptions::default()).expect("workloads are admitted");
    let warnings = api.take_warnings();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].starts_with("would violate PodSecurity \"restricted:latest\": "));
}

#[test]
fn component_statuses_follow_the_static_pods() {
    let mut w = default_world();
    let mut api = w.api("kubernetes").expect("cluster");
    let cs = api.list(&admin(), res("componentstatuses"), None, &ListOptions::default()).expect("cs");
    let names: Vec<&str> = cs.iter().filter_map(|c| c.pointer("/metadata/name").and_then(Value::as_str)).collect();
    assert_eq!(names, ["controller-manager", "scheduler", "etcd-0"]);
    assert!(cs.iter().all(|c| c["conditions"][0]["status"] == "True"));
    assert_eq!(api.take_warnings(), vec!["v1 ComponentStatus is deprecated in v1.19+".to_string()]);
    api.delete(&admin(), res("pods"), Some("kube-system"), "kube-scheduler-controlplane", &DeleteOptions::default()).expect("delete");
    let s = api.get(&admin(), res("componentstatuses"), None, "scheduler").expect("get");
    assert_eq!(
        s["conditions"][0]["error"],
        "Get \"https://127.0.0.1:10259/healthz\": dial tcp 127.0.0.1:10259: connect: connection refused"
    );
}

#[test]
fn namespace_finalizers_keep_it_terminating() {
    let mut w = default_world();
    create(&mut w, &admin(), "namespaces", None, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "stuck"}}))
        .expect("ns");
    let mut api = w.api("kubernetes").expect("cluster");
    let reg = api.registry();
    let finalize = reg.resources.iter().find(|r| r.name == "namespaces/finalize").expect("finalize").clone();
    let mut ns = api.get(&admin(), res("namespaces"), None, "stuck").expect("get");
    ns["spec"]["finalizers"] = json!(["kubernetes", "example.com/hold"]);
    api.update(&admin(), &finalize, None, ns, &WriteOptions::default()).expect("finalize");
    api.delete(&admin(), res("namespaces"), None, "stuck", &DeleteOptions::default()).expect("delete");
    api.settle();
    let ns = api.get(&admin(), res("namespaces"), None, "stuck").expect("still there");
    assert_eq!(ns["status"]["phase"], "Terminating");
    assert_eq!(ns["spec"]["finalizers"], json!(["example.com/hold"]));
    let mut cleared = ns.clone();
    cleared["spec"]["finalizers"] = json!([]);
    api.update(&admin(), &finalize, None, cleared, &WriteOptions::default()).expect("finalize");
    api.settle();
    assert!(api.get(&admin(), res("namespaces"), None, "stuck").is_err());
    // A plain update cannot drop spec.finalizers.
    create(&mut w, &admin(), "namespaces", None, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "plain"}}))
        .expect("ns");
    let mut api = w.api("kubernetes").expect("cluster");
    let mut ns = api.get(&admin(), res("namespaces"), None, "plain").expect("get");
    ns.as_object_mut().map(|o| o.remove("spec"));
    let out = api.update(&admin(), res("namespaces"), None, ns, &WriteOptions::default()).expect("update");
    assert_eq!(out["spec"]["finalizers"], json!(["kubernetes"]));
}

#[test]
fn storage_class_defaulting_and_resize() {
    let mut w = default_world();
    let sc = json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path"});
    create(&mut w, &admin(), "storageclasses", None, sc).expect("sc");
    let pvc = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}});
    let stored = create(&mut w, &admin(), "persistentvolumeclaims", None, pvc).expect("pvc");
    assert_eq!(stored["spec"]["storageClassName"], "standard");
    let mut api = w.api("kubernetes").expect("cluster");
    let mut bigger = stored.clone();
    bigger["spec"]["resources"]["requests"]["storage"] = json!("2Gi");
    let err =
        api.update(&admin(), res("persistentvolumeclaims"), Some("default"), bigger, &WriteOptions::default()).expect_err("no expansion");
    assert_eq!(
        err.message,
        "persistentvolumeclaims \"data\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize"
    );
}

#[test]
fn static_pod_files_and_mirror_pods_agree() {
    let mut w = default_world();
    for component in ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] {
        let file = w.hosts["controlplane"].fs.read_string(&format!("/etc/kubernetes/manifests/{component}.yaml")).expect("manifest");
        let manifest: Value = serde_yaml::from_str(&file).expect("yaml");
        let api = w.api("kubernetes").expect("cluster");
        let mirror = api.get(&admin(), res("pods"), Some("kube-system"), &format!("{component}-controlplane")).expect("mirror pod");
        assert_eq!(mirror["spec"]["containers"][0]["command"], manifest["spec"]["containers"][0]["command"], "{component}");
        assert_eq!(mirror["spec"]["containers"][0]["image"], manifest["spec"]["containers"][0]["image"]);
    }
    let etcd = w.hosts["controlplane"].fs.read_string("/etc/kubernetes/manifests/etcd.yaml").expect("etcd");
    assert!(etcd.contains("    - --listen-client-urls=https://127.0.0.1:2379,https://172.30.1.2:2379\n"));
    assert!(w.hosts["node01"].fs.is_file("/etc/kubernetes/kubelet.conf"));
    assert!(!w.hosts["node01"].fs.exists("/etc/kubernetes/manifests/etcd.yaml"));
    assert!(w.hosts["controlplane"].fs.is_file("/etc/kubernetes/pki/etcd/server.crt"));
}

#[test]
fn created_bodies_must_not_carry_a_resource_version() {
    let mut w = default_world();
    let mut p = pod("web", "nginx");
    p["metadata"]["resourceVersion"] = json!("1234");
    let err = create(&mut w, &admin(), "pods", None, p).expect_err("rv");
    assert_eq!((err.reason, err.message.as_str()), (Reason::BadRequest, "resourceVersion should not be set on objects to be created"));
}

#[test]
fn raw_paths_are_authorized() {
    let mut w = default_world();
    let api = w.api("kubernetes").expect("cluster");
    assert_eq!(api.raw_get(&admin(), "/livez").as_deref(), Ok("ok"));
    // system:public-info-viewer lets every authenticated user read the health endpoints.
    assert_eq!(api.raw_get(&jane(), "/healthz").as_deref(), Ok("ok"));
    let err = api.raw_get(&jane(), "/metrics").expect_err("forbidden");
    assert_eq!(err.message, "forbidden: User \"jane\" cannot get path \"/metrics\"");
}

#[test]
fn job_selector_and_labels() {
    let mut w = default_world();
    let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
        "spec": {"template": {"spec": {"containers": [{"name": "pi", "image": "perl"}], "restartPolicy": "Never"}}}});
    let j = create(&mut w, &admin(), "jobs", None, job).expect("job");
    let uid = j["metadata"]["uid"].clone();
    assert_eq!(j["spec"]["selector"], json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}));
    assert_eq!(j["metadata"]["labels"]["job-name"], "pi");
    assert_eq!(j["spec"]["template"]["metadata"]["labels"]["batch.kubernetes.io/job-name"], "pi");
    assert_eq!(
        (j["spec"]["completions"].clone(), j["spec"]["parallelism"].clone(), j["spec"]["backoffLimit"].clone()),
        (json!(1), json!(1), json!(6))
    );
    assert_eq!(j["spec"]["manualSelector"], false);
    let bad = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "bad"},
        "spec": {"template": {"spec": {"containers": [{"name": "pi", "image": "perl"}]}}}});
    let err = create(&mut w, &admin(), "jobs", None, bad).expect_err("restartPolicy Always");
    assert_eq!(err.causes[0].message, "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
}

#[test]
fn network_policy_defaults() {
    // pkg/apis/networking/v1/defaults.go.
    let mut w = default_world();
    let np = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "np"},
        "spec": {"podSelector": {}, "ingress": [{"ports": [{"port": 80}]}], "egress": []}});
    let stored = create(&mut w, &admin(), "networkpolicies", None, np).expect("np");
    assert_eq!(stored["spec"]["policyTypes"], json!(["Ingress"]));
    assert_eq!(stored["spec"]["ingress"][0]["ports"][0], json!({"port": 80, "protocol": "TCP"}));
    assert_eq!(stored["metadata"]["generation"], 1);
}

#[test]
fn writes_store_and_answer_the_typed_round_trip() {
    let mut w = default_world();
    let mut body = pod("q", "nginx");
    body["metadata"]["labels"] = json!({});
    body["spec"]["containers"][0]["resources"] = json!({"limits": {"cpu": 0.5, "memory": "1024Mi"}});
    let created = create(&mut w, &admin(), "pods", Some("default"), body).expect("created");
    assert_eq!(created.pointer("/spec/containers/0/resources/limits"), Some(&json!({"cpu": "500m", "memory": "1Gi"})));
    // Defaulting copied the limits after decoding, so the requests are canonical too.
    assert_eq!(created.pointer("/spec/containers/0/resources/requests"), Some(&json!({"cpu": "500m", "memory": "1Gi"})));
    assert!(created.pointer("/metadata/labels").is_none());
    let mut api = w.api("kubernetes").expect("cluster");
    let rv = created.pointer("/metadata/resourceVersion").cloned();
    // A patch that only adds what encoding drops writes nothing: the resourceVersion stays.
    let patched = api
        .patch(
            &admin(),
            res("pods"),
            Some("default"),
            "q",
            super::PatchType::Merge,
            &json!({"metadata": {"annotations": {}}}),
            &WriteOptions::default(),
        )
        .expect("patched");
    assert_eq!(patched.pointer("/metadata/resourceVersion").cloned(), rv);
    assert!(patched.pointer("/metadata/annotations").is_none());
    let dry = WriteOptions { dry_run: true, ..Default::default() };
    let quota =
        json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "rq"}, "spec": {"hard": {"cpu": "1000m", "pods": 10}}});
    let answer = api.create(&admin(), res("resourcequotas"), Some("default"), quota, &dry).expect("dry run");
    assert_eq!(answer.pointer("/spec/hard"), Some(&json!({"cpu": "1", "pods": "10"})));
}
