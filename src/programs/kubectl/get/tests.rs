//! `kubectl get` against worlds built in code: objects are created through the API with the
//! statuses a real cluster would report, and the printed tables are checked line by line.
//! Layout follows kubectl v1.35.2 as captured in `printer-columns-v1.35.md` (kubectl-stub runs);
//! cells follow kubernetes `pkg/printers/internalversion/printers.go`.

use serde_json::{Value, json};

use crate::cluster::Registry;
use crate::shell::{self, Session};
use crate::world::{World, scenario};

/// Seconds before "now" as an RFC 3339 timestamp.
pub fn ago(world: &World, secs: i64) -> String {
    crate::world::clock::format_rfc3339(world.clock.now - secs)
}

/// Stores an object straight in the cluster's store (no admission or defaulting, so the test
/// sees exactly the fields it wrote), created `age` seconds ago.
pub fn put(world: &mut World, resource: &str, ns: Option<&str>, mut obj: Value, age: i64) {
    let ts = ago(world, age);
    let res = Registry::builtin().lookup(resource).cloned().expect("known resource");
    let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
    let ns = if res.namespaced { ns.unwrap_or("default") } else { "" };
    if obj.get("apiVersion").is_none() {
        obj["apiVersion"] = json!(res.api_version());
    }
    if obj.get("kind").is_none() {
        obj["kind"] = json!(res.kind);
    }
    if res.namespaced {
        obj["metadata"]["namespace"] = json!(ns);
    }
    if obj.pointer("/metadata/uid").is_none() {
        obj["metadata"]["uid"] = json!(format!("00000000-0000-4000-8000-{:012}", world.clusters["kubernetes"].store.revision + 1));
    }
    obj["metadata"]["creationTimestamp"] = json!(ts);
    let cluster = world.clusters.get_mut("kubernetes").expect("cluster");
    cluster.store.put(&res, ns, &name, obj);
}

/// Runs one command line; returns stdout, stderr and the exit status.
pub fn sh(world: &mut World, line: &str) -> (String, String, i32) {
    let mut session = Session::new("controlplane");
    let (out, code) = shell::run_script(world, &mut session, line);
    (out.stdout_string(), out.stderr_string(), code)
}

pub fn pod(name: &str, labels: Value, status: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], "nodeName": "node01"}, "status": status})
}

fn running(ip: &str) -> Value {
    json!({"phase": "Running", "podIPs": [{"ip": ip}], "conditions": [{"type": "Ready", "status": "True"}],
        "containerStatuses": [{"name": "c", "ready": true, "restartCount": 0, "state": {"running": {"startedAt": "2026-01-15T08:00:00Z"}}}]})
}

pub fn pods_world() -> World {
    let mut w = scenario::default_world();
    w.clock.advance(100 * 86400);
    put(&mut w, "pods", Some("default"), pod("nginx", json!({"run": "nginx"}), running("10.244.1.5")), 300);
    let t = ago(&w, 32);
    put(
        &mut w,
        "pods",
        Some("default"),
        pod(
            "web-7d4b9c6f5-abcde",
            json!({"app": "web", "pod-template-hash": "7d4b9c6f5"}),
            json!({"phase": "Running", "podIPs": [{"ip": "10.244.2.7"}],
                "containerStatuses": [{"name": "c", "ready": false, "restartCount": 5,
                    "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": t}}}]}),
        ),
        200,
    );
    w
}

#[test]
fn pods_table_wide_labels_and_label_columns() {
    let mut w = pods_world();
    let (out, err, code) = sh(&mut w, "kubectl get pods");
    assert_eq!((err.as_str(), code), ("", 0));
    assert_eq!(
        out,
        "NAME                  READY   STATUS             RESTARTS      AGE\n\
         nginx                 1/1     Running            0             5m\n\
         web-7d4b9c6f5-abcde   0/1     CrashLoopBackOff   5 (32s ago)   3m20s\n"
    );
    let (out, _, _) = sh(&mut w, "kubectl get pods -o wide");
    assert_eq!(
        out,
        "NAME                  READY   STATUS             RESTARTS      AGE     IP           NODE     NOMINATED NODE   READINESS GATES\n\
         nginx                 1/1     Running            0             5m      10.244.1.5   node01   <none>           <none>\n\
         web-7d4b9c6f5-abcde   0/1     CrashLoopBackOff   5 (32s ago)   3m20s   10.244.2.7   node01   <none>           <none>\n"
    );
    let (out, _, _) = sh(&mut w, "kubectl get pods --show-labels");
    assert_eq!(
        out,
        "NAME                  READY   STATUS             RESTARTS      AGE     LABELS\n\
         nginx                 1/1     Running            0             5m      run=nginx\n\
         web-7d4b9c6f5-abcde   0/1     CrashLoopBackOff   5 (32s ago)   3m20s   app=web,pod-template-hash=7d4b9c6f5\n"
    );
    let (out, _, _) = sh(&mut w, "kubectl get pods -L app,run");
    assert_eq!(
        out,
        "NAME                  READY   STATUS             RESTARTS      AGE     APP   RUN\n\
         nginx                 1/1     Running            0             5m            nginx\n\
         web-7d4b9c6f5-abcde   0/1     CrashLoopBackOff   5 (32s ago)   3m20s   web   \n"
    );
}

#[test]
fn several_kinds_get_prefixes_and_blank_lines() {
    let mut w = pods_world();
    let (out, _, _) = sh(&mut w, "kubectl get pods,svc");
    assert!(out.starts_with("NAME                      READY   STATUS             RESTARTS      AGE\npod/nginx "), "{out}");
    assert!(out.contains("3m20s\n\nNAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nservice/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   100d\n"), "{out}");
    let (out, _, _) = sh(&mut w, "kubectl get pods,svc --no-headers");
    assert!(!out.contains("\n\n"), "{out}");
    let (out, _, _) = sh(&mut w, "kubectl get pod nginx --show-kind");
    assert!(out.contains("\npod/nginx "), "{out}");
}

#[test]
fn selectors_filter_lists() {
    let mut w = pods_world();
    let (out, _, _) = sh(&mut w, "kubectl get pods -l app=web -o name");
    assert_eq!(out, "pod/web-7d4b9c6f5-abcde\n");
    let (out, _, _) = sh(&mut w, "kubectl get pods -l !app -o name");
    assert_eq!(out, "pod/nginx\n");
    let (out, _, _) = sh(&mut w, "kubectl get pods -l run -o name");
    assert_eq!(out, "pod/nginx\n");
    let (out, _, _) = sh(&mut w, "kubectl get pods -l app!=web -o name");
    assert_eq!(out, "pod/nginx\n");
    let (out, _, _) = sh(&mut w, "kubectl get pods --field-selector=status.phase=Running,metadata.name!=nginx -o name");
    assert_eq!(out, "pod/web-7d4b9c6f5-abcde\n");
    let (out, err, code) = sh(&mut w, "kubectl get pods -l app=nope");
    assert_eq!((out.as_str(), err.as_str(), code), ("", "No resources found in default namespace.\n", 0));
    let (_, err, code) = sh(&mut w, "kubectl get pods nginx -l app=web");
    assert_eq!((err.as_str(), code), ("error: name cannot be provided when a selector is specified\n", 1));
}

#[test]
fn sort_by_and_single_object_output() {
    let mut w = pods_world();
    let (out, _, _) = sh(&mut w, "kubectl get pods --sort-by=.metadata.creationTimestamp -o name");
    assert_eq!(out, "pod/nginx\npod/web-7d4b9c6f5-abcde\n");
    let (out, _, _) = sh(
        &mut w,
        "kubectl get pods --sort-by={.status.containerStatuses[0].restartCount} --no-headers -o custom-columns=N:.metadata.name",
    );
    assert_eq!(out, "nginx\nweb-7d4b9c6f5-abcde\n");
    let (_, err, code) = sh(&mut w, "kubectl get pods --sort-by=.spec.nope");
    assert_eq!((err.as_str(), code), ("error: couldn't find any field with path \"{.spec.nope}\" in the list of objects\n", 1));
    let (out, _, _) = sh(&mut w, "kubectl get pod nginx -o jsonpath={.status.podIPs[0].ip}");
    assert_eq!(out, "10.244.1.5");
    let (out, _, _) = sh(&mut w, "kubectl get pods -o jsonpath={.kind}");
    assert_eq!(out, "List");
    let (out, err, code) = sh(&mut w, "kubectl get pod nginx nope -o name");
    assert_eq!((out.as_str(), err.as_str(), code), ("pod/nginx\n", "Error from server (NotFound): pods \"nope\" not found\n", 1));
    let (out, err, code) = sh(&mut w, "kubectl get pod nope --ignore-not-found");
    assert_eq!((out.as_str(), err.as_str(), code), ("", "", 0));
}

#[test]
fn list_wrapper_for_several_objects() {
    let mut w = pods_world();
    let (out, _, _) = sh(&mut w, "kubectl get pods -o json");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["kind"], "List");
    assert_eq!(v["apiVersion"], "v1");
    assert_eq!(v["metadata"], json!({"resourceVersion": ""}));
    assert_eq!(v["items"].as_array().map(Vec::len), Some(2));
    let (out, _, _) = sh(&mut w, "kubectl get pod nginx -o json");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["kind"], "Pod");
}

#[test]
fn usage_errors() {
    let mut w = pods_world();
    let (_, err, code) = sh(&mut w, "kubectl get pods -o foo");
    assert_eq!(code, 1);
    assert!(err.starts_with("error: unable to match a printer suitable for the output format \"foo\", allowed formats are: custom-columns,custom-columns-file,"), "{err}");
    let (_, err, _) = sh(&mut w, "kubectl get pods -o jsonpath={.a");
    assert_eq!(err, "error: error parsing jsonpath {.a, unclosed action\n");
    let (_, err, _) = sh(&mut w, "kubectl get pods -o custom-columns=NAME");
    assert_eq!(err, "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n");
    let (_, err, _) = sh(&mut w, "kubectl get pod/nginx svc");
    assert!(err.starts_with("error: there is no need to specify a resource type as a separate argument"), "{err}");
    let (_, err, _) = sh(&mut w, "kubectl get pods nginx -A");
    assert_eq!(err, "error: a resource cannot be retrieved by name across all namespaces\n");
    let (_, err, _) = sh(&mut w, "kubectl get pods,svc -w");
    assert_eq!(err, "error: watch is only supported on individual resources and resource collections, but 2 resources were found\n");
}
