//! describe against worlds built in code. The pod case replays kubectl-stub's
//! `examples/describe-pod.json`: the same pod and events, and the output the real kubectl v1.35.2
//! printed for them (`fixtures/describe-pod.json`).

use serde_json::{Value, json};

use crate::programs::kubectl::get::tests::{clear, pods_world, put, sh};
use crate::world::scenario;

/// Replaces `{{ago Ns}}` / `{{ago Ns micro}}` placeholders with timestamps before `now`.
fn resolve_ago(v: &Value, now: i64) -> Value {
    match v {
        Value::String(s) if s.starts_with("{{ago ") => {
            let body = s.trim_start_matches("{{ago ").trim_end_matches("}}");
            let (dur, micro) = body.split_once(' ').map_or((body, false), |(d, m)| (d, m == "micro"));
            let secs: i64 = dur.trim_end_matches('s').parse().unwrap_or(0);
            let t = crate::world::clock::format_rfc3339(now - secs);
            Value::String(if micro { t.replace('Z', ".000000Z") } else { t })
        }
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), resolve_ago(x, now))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(|x| resolve_ago(x, now)).collect()),
        other => other.clone(),
    }
}

#[test]
fn describe_pod_matches_real_kubectl() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/describe-pod.json")).expect("fixture");
    let mut w = scenario::default_world();
    // After the fixture pod started, but before the admin certificate (one year from the epoch) expires.
    w.clock.advance(312 * 86400 + 3600);
    let now = w.clock.now;
    let pod = fixture["pod"].clone();
    let created = pod["metadata"]["creationTimestamp"].clone();
    put(&mut w, "pods", Some("default"), pod, 0);
    // Keep the fixture's own creation time.
    if let Some(p) = w
        .clusters
        .get_mut("kubernetes")
        .and_then(|c| c.store.get_mut(crate::cluster::Registry::builtin().lookup("pods").expect("pods"), "default", "web"))
    {
        p["metadata"]["creationTimestamp"] = created;
    }
    for (n, e) in fixture["events"].as_array().expect("events").iter().enumerate() {
        let mut e = resolve_ago(e, now);
        e["metadata"]["name"] = json!(format!("web.{n}"));
        let age = 900 - n as i64;
        put(&mut w, "events", Some("default"), e, age);
    }
    let (out, err, code) = sh(&mut w, "kubectl describe pod web");
    assert_eq!((err.as_str(), code), ("", 0));
    let expected = fixture["expected"].as_str().expect("expected");
    for (a, b) in out.lines().zip(expected.lines()) {
        assert_eq!(a, b);
    }
    assert_eq!(out, expected);
}

#[test]
fn describe_lists_by_prefix_and_reports_missing() {
    let mut w = pods_world();
    let (out, _, code) = sh(&mut w, "kubectl describe pod web");
    assert_eq!(code, 0);
    assert!(out.starts_with("Name:         web-7d4b9c6f5-abcde\nNamespace:    default\nNode:         node01/\n"), "{out}");
    assert!(out.contains("    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1\n"), "{out}");
    assert!(out.ends_with("Node-Selectors:     <none>\nTolerations:        <none>\nEvents:             <none>\n"), "{out}");
    let (out, _, _) = sh(&mut w, "kubectl describe pods");
    assert_eq!(out.matches("\n\n\nName:").count(), 1, "two pods separated by two empty lines: {out}");
    let (_, err, code) = sh(&mut w, "kubectl describe pod zzz");
    assert_eq!((err.as_str(), code), ("Error from server (NotFound): pods \"zzz\" not found\n", 1));
    let (_, err, code) = sh(&mut w, "kubectl describe pods -n empty");
    assert_eq!((err.as_str(), code), ("No resources found in empty namespace.\n", 0));
    let (_, err, _) = sh(&mut w, "kubectl describe");
    assert_eq!(
        err,
        "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n"
    );
}

#[test]
fn describe_deployment_configmap_secret_and_bindings() {
    let mut w = pods_world();
    put(
        &mut w,
        "deployments",
        Some("default"),
        json!({"metadata": {"name": "web", "uid": "d-1", "labels": {"app": "web"}, "annotations": {"deployment.kubernetes.io/revision": "1"}},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}},
            "status": {"replicas": 2, "updatedReplicas": 2, "availableReplicas": 2, "readyReplicas": 2,
                "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}, {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}}),
        600,
    );
    put(
        &mut w,
        "replicasets",
        Some("default"),
        json!({"metadata": {"name": "web-7d4b9c6f5", "labels": {"app": "web", "pod-template-hash": "7d4b9c6f5"},
                "annotations": {"deployment.kubernetes.io/revision": "1"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "d-1", "controller": true}]},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web", "pod-template-hash": "7d4b9c6f5"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}},
            "status": {"replicas": 2}}),
        600,
    );
    let (out, _, _) = sh(&mut w, "kubectl describe deploy web");
    let expected_head = "Name:                   web\nNamespace:              default\n";
    assert!(out.starts_with(expected_head), "{out}");
    assert!(out.contains("Selector:               app=web\nReplicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable\nStrategyType:           RollingUpdate\nMinReadySeconds:        0\nRollingUpdateStrategy:  25% max unavailable, 25% max surge\nPod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:         nginx:1.27\n    Port:          80/TCP\n    Host Port:     0/TCP\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nConditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      True    MinimumReplicasAvailable\n  Progressing    True    NewReplicaSetAvailable\nOldReplicaSets:  <none>\nNewReplicaSet:   web-7d4b9c6f5 (2/2 replicas created)\nEvents:          <none>\n"), "{out}");

    put(&mut w, "configmaps", Some("default"), json!({"metadata": {"name": "cfg"}, "data": {"a": "1", "b": "two\nlines"}}), 60);
    let (out, _, _) = sh(&mut w, "kubectl describe cm cfg");
    assert_eq!(
        out,
        "Name:         cfg\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\na:\n----\n1\n\nb:\n----\ntwo\nlines\n\n\nBinaryData\n====\n\nEvents:  <none>\n"
    );

    put(&mut w, "secrets", Some("default"), json!({"metadata": {"name": "db"}, "type": "Opaque", "data": {"password": "czNjcmV0"}}), 60);
    let (out, _, _) = sh(&mut w, "kubectl describe secret db");
    assert_eq!(
        out,
        "Name:         db\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\npassword:  6 bytes\n"
    );

    put(
        &mut w,
        "roles",
        Some("default"),
        json!({"metadata": {"name": "pod-reader"}, "rules": [{"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list"]}, {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get"]}]}),
        60,
    );
    let (out, _, _) = sh(&mut w, "kubectl describe role pod-reader");
    assert_eq!(
        out,
        "Name:         pod-reader\nLabels:       <none>\nAnnotations:  <none>\nPolicyRule:\n  Resources         Non-Resource URLs  Resource Names  Verbs\n  ---------         -----------------  --------------  -----\n  pods              []                 []              [get list]\n  pods/log          []                 []              [get list]\n  deployments.apps  []                 []              [get]\n"
    );

    put(
        &mut w,
        "rolebindings",
        Some("default"),
        json!({"metadata": {"name": "read-pods"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
            "subjects": [{"kind": "User", "name": "jane", "apiGroup": "rbac.authorization.k8s.io"}, {"kind": "ServiceAccount", "name": "app", "namespace": "default"}]}),
        60,
    );
    let (out, _, _) = sh(&mut w, "kubectl describe rolebinding read-pods");
    assert_eq!(
        out,
        "Name:         read-pods\nLabels:       <none>\nAnnotations:  <none>\nRole:\n  Kind:  Role\n  Name:  pod-reader\nSubjects:\n  Kind            Name  Namespace\n  ----            ----  ---------\n  User            jane  \n  ServiceAccount  app   default\n"
    );
    let (out, _, _) = sh(&mut w, "kubectl get rolebinding -o wide");
    assert_eq!(
        out,
        "NAME        ROLE              AGE   USERS   GROUPS   SERVICEACCOUNTS\nread-pods   Role/pod-reader   60s   jane             default/app\n"
    );
    let (out, _, _) = sh(&mut w, "kubectl get roles");
    assert!(out.starts_with("NAME         CREATED AT\npod-reader   "), "{out}");
}

#[test]
fn describe_node_lists_its_pods_with_requests() {
    let mut w = pods_world();
    // Only the test's pods: the default world's kube-proxy and calico-node run on node01 too.
    clear(&mut w, &["pods"]);
    // Capacity on node01 and a pod with requests there.
    if let Some(n) = w
        .clusters
        .get_mut("kubernetes")
        .and_then(|c| c.store.get_mut(crate::cluster::Registry::builtin().lookup("nodes").expect("nodes"), "", "node01"))
    {
        n["status"]["capacity"] = json!({"cpu": "2", "memory": "4Gi", "pods": "110"});
        n["status"]["allocatable"] = json!({"cpu": "2", "memory": "4Gi", "pods": "110"});
    }
    put(
        &mut w,
        "pods",
        Some("default"),
        json!({"metadata": {"name": "big"}, "spec": {"nodeName": "node01", "containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "2Gi"}}}]}, "status": {"phase": "Running"}}),
        120,
    );
    let (out, _, _) = sh(&mut w, "kubectl describe node node01");
    assert!(out.contains("Capacity:\n  cpu:     2\n  memory:  4Gi\n  pods:    110\nAllocatable:\n"), "{out}");
    assert!(out.contains("Non-terminated Pods:          (1 in total)\n"), "{out}");
    assert!(out.contains("  default                     big     500m (25%)    1 (50%)     1Gi (25%)        2Gi (50%)      2m\n"), "{out}");
    assert!(out.contains("  cpu                500m (25%)  1 (50%)\n  memory             1Gi (25%)   2Gi (50%)\n"), "{out}");
}

#[test]
fn describe_job_network_policy_and_quota() {
    let mut w = pods_world();
    let start = crate::programs::kubectl::get::tests::ago(&w, 100);
    let done = crate::programs::kubectl::get::tests::ago(&w, 92);
    put(
        &mut w,
        "jobs",
        Some("default"),
        json!({"metadata": {"name": "pi"}, "spec": {"parallelism": 1, "completions": 1, "backoffLimit": 6, "completionMode": "NonIndexed", "suspend": false,
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u1"}},
            "template": {"metadata": {"labels": {"job-name": "pi"}}, "spec": {"containers": [{"name": "pi", "image": "perl", "command": ["perl", "-e", "print 1"]}]}}},
            "status": {"startTime": start, "completionTime": done, "succeeded": 1, "ready": 0}}),
        100,
    );
    let (out, _, _) = sh(&mut w, "kubectl describe job pi");
    assert!(out.contains("Parallelism:      1\nCompletions:      1\nCompletion Mode:  NonIndexed\nSuspend:          false\nBackoff Limit:    6\nStart Time:       "), "{out}");
    assert!(out.contains("Duration:         8s\nPods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\nPod Template:\n  Labels:  job-name=pi\n  Containers:\n   pi:\n    Image:      perl\n    Port:       <none>\n    Host Port:  <none>\n    Command:\n      perl\n      -e\n      print 1\n"), "{out}");

    put(
        &mut w,
        "networkpolicies",
        Some("default"),
        json!({"metadata": {"name": "db"}, "spec": {"podSelector": {"matchLabels": {"app": "db"}}, "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}], "ports": [{"port": 5432, "protocol": "TCP"}]}]}}),
        60,
    );
    let (out, _, _) = sh(&mut w, "kubectl describe netpol db");
    assert!(out.ends_with("Spec:\n  PodSelector:     app=db\n  Allowing ingress traffic:\n    To Port: 5432/TCP\n    From:\n      PodSelector: app=web\n  Not affecting egress traffic\n  Policy Types: Ingress\n"), "{out}");

    put(
        &mut w,
        "resourcequotas",
        Some("default"),
        json!({"metadata": {"name": "q"}, "spec": {"hard": {"pods": "10"}}, "status": {"hard": {"pods": "10", "requests.memory": "1Gi"}, "used": {"pods": "2"}}}),
        60,
    );
    let (out, _, _) = sh(&mut w, "kubectl describe quota q");
    assert_eq!(
        out,
        "Name:            q\nNamespace:       default\nResource         Used  Hard\n--------         ----  ----\npods             2     10\nrequests.memory  0     1Gi\n"
    );
    let (out, _, _) = sh(&mut w, "kubectl describe ns default");
    assert!(out.contains("\nResource Quotas\n  Name:            q\n  Resource         Used  Hard\n  --------         ---   ---\n  pods             2     10\n"), "{out}");
}

/// A deployment with env, a field ref, a volume and requests, checked against the real kubectl
/// v1.35.2 rendering of the same objects through kubectl-stub (`fixtures/describe-deployment.json`).
#[test]
fn describe_deployment_matches_real_kubectl() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/describe-deployment.json")).expect("fixture");
    let mut w = scenario::default_world();
    put(&mut w, "deployments", Some("default"), fixture["dep"].clone(), 0);
    put(&mut w, "replicasets", Some("default"), fixture["rs"].clone(), 0);
    let reg = crate::cluster::Registry::builtin();
    if let Some(d) =
        w.clusters.get_mut("kubernetes").and_then(|c| c.store.get_mut(reg.lookup("deployments").expect("deploy"), "default", "web"))
    {
        d["metadata"]["creationTimestamp"] = json!("2026-01-15T09:00:00Z");
    }
    let (out, err, code) = sh(&mut w, "kubectl describe deploy web");
    assert_eq!((err.as_str(), code), ("", 0));
    let expected = fixture["expected"].as_str().expect("expected");
    for (a, b) in out.lines().zip(expected.lines()) {
        assert_eq!(a, b);
    }
    assert_eq!(out, expected);
}

/// A cordoned node with capacity, a lease and one pod, against the real kubectl rendering
/// (`fixtures/describe-node.json`).
#[test]
fn describe_node_matches_real_kubectl() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/describe-node.json")).expect("fixture");
    let mut w = scenario::default_world();
    // The fixture's node runs only the fixture's pod.
    clear(&mut w, &["pods"]);
    let reg = crate::cluster::Registry::builtin();
    let node_res = reg.lookup("nodes").expect("nodes").clone();
    w.clusters.get_mut("kubernetes").expect("cluster").store.remove(&node_res, "", "node01");
    put(&mut w, "nodes", None, fixture["node"].clone(), 0);
    if let Some(n) = w.clusters.get_mut("kubernetes").and_then(|c| c.store.get_mut(&node_res, "", "node01")) {
        n["metadata"]["creationTimestamp"] = json!("2026-01-15T09:00:00Z");
    }
    let mut pod = fixture["pod"].clone();
    pod["metadata"].as_object_mut().expect("meta").remove("creationTimestamp");
    put(&mut w, "pods", Some("default"), pod, 120);
    put(&mut w, "leases", Some("kube-node-lease"), fixture["lease"].clone(), 0);
    let (out, err, code) = sh(&mut w, "kubectl describe node node01");
    assert_eq!((err.as_str(), code), ("", 0));
    let expected = fixture["expected"].as_str().expect("expected");
    for (a, b) in out.lines().zip(expected.lines()) {
        assert_eq!(a, b);
    }
    assert_eq!(out, expected);
}

/// A NodePort service with an EndpointSlice (one endpoint not ready), against the real kubectl
/// rendering (`fixtures/describe-service.json`).
#[test]
fn describe_service_matches_real_kubectl() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/describe-service.json")).expect("fixture");
    let mut w = scenario::default_world();
    put(&mut w, "services", Some("default"), fixture["svc"].clone(), 0);
    put(&mut w, "endpointslices", Some("default"), fixture["eps"].clone(), 0);
    let (out, err, code) = sh(&mut w, "kubectl describe svc web");
    assert_eq!((err.as_str(), code), ("", 0));
    assert_eq!(out, fixture["expected"].as_str().expect("expected"));
    let (out, _, _) = sh(&mut w, "kubectl get svc web -o wide");
    assert_eq!(
        out,
        "NAME   TYPE       CLUSTER-IP    EXTERNAL-IP   PORT(S)        AGE   SELECTOR\nweb    NodePort   10.96.12.34   <none>        80:30080/TCP   0s    app=web\n"
    );
    let (out, _, _) = sh(&mut w, "kubectl get endpointslices");
    assert_eq!(
        out,
        // The `kubernetes` service's slice is in every cluster's default namespace; the
        // endpointslice controller ignores the hand-made slice (no managed-by label) and, the
        // selector matching no pod, keeps its own placeholder.
        "NAME         ADDRESSTYPE   PORTS     ENDPOINTS                          AGE\nkubernetes   IPv4          6443      172.30.1.2                         2d3h\nweb-2m4ll    IPv4          <unset>   <unset>                            0s\nweb-abcde    IPv4          8080      10.244.1.5,10.244.2.7,10.244.2.9   0s\n"
    );
}

/// HPA and StorageClass against the real kubectl rendering (`fixtures/describe-misc.json`).
#[test]
fn describe_hpa_and_storage_class_match_real_kubectl() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/describe-misc.json")).expect("fixture");
    let mut w = scenario::default_world();
    put(&mut w, "horizontalpodautoscalers", Some("default"), fixture["hpa"].clone(), 0);
    put(&mut w, "storageclasses", None, fixture["sc"].clone(), 0);
    let reg = crate::cluster::Registry::builtin();
    if let Some(h) = w.clusters.get_mut("kubernetes").and_then(|c| c.store.get_mut(reg.lookup("hpa").expect("hpa"), "default", "web")) {
        h["metadata"]["creationTimestamp"] = json!("2026-01-15T09:00:00Z");
    }
    let (out, _, _) = sh(&mut w, "kubectl describe hpa web");
    assert_eq!(out, fixture["hpa_expected"].as_str().expect("hpa"));
    let (out, _, _) = sh(&mut w, "kubectl describe sc local-path");
    assert_eq!(out, fixture["sc_expected"].as_str().expect("sc"));
}
