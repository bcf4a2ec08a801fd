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

/// Removes every object of `resources` from the default cluster, for tests that replay a real
/// kubectl rendering of a world holding only their own objects.
pub fn clear(world: &mut World, resources: &[&str]) {
    let cluster = world.clusters.get_mut("kubernetes").expect("cluster");
    for resource in resources {
        let res = Registry::builtin().lookup(resource).cloned().expect("known resource");
        let keys: Vec<(String, String)> = cluster
            .store
            .list(&res, None)
            .map(|o| {
                let meta = |f: &str| o.pointer(&format!("/metadata/{f}")).and_then(Value::as_str).unwrap_or_default().to_string();
                (meta("namespace"), meta("name"))
            })
            .collect();
        for (ns, name) in keys {
            cluster.store.remove(&res, &ns, &name);
        }
    }
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
    assert!(out.contains("3m20s\n\nNAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nservice/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   102d\n"), "{out}");
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

fn event(w: &World, name: &str, obj: (&str, &str), reason: &str, ty: &str, msg: &str, times: Value) -> Value {
    let _ = w;
    let mut e = json!({"metadata": {"name": name}, "involvedObject": {"kind": obj.0, "name": obj.1, "namespace": "default", "apiVersion": "v1"},
        "reason": reason, "type": ty, "message": msg});
    if let Value::Object(m) = times {
        for (k, v) in m {
            e[k] = v;
        }
    }
    e
}

/// The `kubectl events` example of printer-columns-v1.35.md (real kubectl v1.35.2 layout).
#[test]
fn kubectl_events_layout() {
    let mut w = pods_world();
    let t = |s: i64| json!(ago(&w, s));
    let micro = |s: i64| json!(ago(&w, s).replace('Z', ".000000Z"));
    let evs = vec![
        event(
            &w,
            "web.3",
            ("Pod", "web-7d4b9c6f5-abcde"),
            "BackOff",
            "Warning",
            "Back-off restarting failed container web in pod web-7d4b9c6f5-abcde_default(1234)",
            json!({"firstTimestamp": t(600), "lastTimestamp": t(32), "count": 25, "source": {"component": "kubelet", "host": "node02"}}),
        ),
        event(
            &w,
            "nginx.1",
            ("Pod", "nginx"),
            "Scheduled",
            "Normal",
            "Successfully assigned default/nginx to node01",
            json!({"eventTime": micro(300), "reportingComponent": "default-scheduler", "reportingInstance": "default-scheduler-controlplane"}),
        ),
        event(
            &w,
            "nginx.2",
            ("Pod", "nginx"),
            "Pulled",
            "Normal",
            "Container image \"nginx\" already present on machine",
            json!({"firstTimestamp": t(290), "lastTimestamp": t(290), "count": 1, "source": {"component": "kubelet", "host": "node01"}}),
        ),
    ];
    for e in evs {
        put(&mut w, "events", Some("default"), e, 0);
    }
    let (out, err, code) = sh(&mut w, "kubectl events");
    assert_eq!((err.as_str(), code), ("", 0));
    assert_eq!(
        out,
        "LAST SEEN            TYPE      REASON      OBJECT                    MESSAGE\n\
         5m                   Normal    Scheduled   Pod/nginx                 Successfully assigned default/nginx to node01\n\
         4m50s                Normal    Pulled      Pod/nginx                 Container image \"nginx\" already present on machine\n\
         32s (x25 over 10m)   Warning   BackOff     Pod/web-7d4b9c6f5-abcde   Back-off restarting failed container web in pod web-7d4b9c6f5-abcde_default(1234)\n"
    );
    let (out, _, _) = sh(&mut w, "kubectl events --types=warning --no-headers");
    assert!(out.starts_with("32s (x25 over 10m)   Warning   BackOff"), "{out}");
    let (out, _, _) = sh(&mut w, "kubectl events --for pod/nginx -A");
    assert!(
        out.starts_with(
            "NAMESPACE   LAST SEEN   TYPE     REASON      OBJECT      MESSAGE\ndefault     5m          Normal   Scheduled   Pod/nginx   "
        ),
        "{out}"
    );
    // The server-side table of `get events`: storage (name) order, lower-cased kind.
    let (out, _, _) = sh(&mut w, "kubectl get events");
    assert_eq!(
        out,
        "LAST SEEN   TYPE      REASON      OBJECT                    MESSAGE\n\
         5m          Normal    Scheduled   pod/nginx                 Successfully assigned default/nginx to node01\n\
         4m50s       Normal    Pulled      pod/nginx                 Container image \"nginx\" already present on machine\n\
         32s         Warning   BackOff     pod/web-7d4b9c6f5-abcde   Back-off restarting failed container web in pod web-7d4b9c6f5-abcde_default(1234)\n"
    );
    let (out, _, _) = sh(&mut w, "kubectl get events --sort-by=.metadata.name -o custom-columns=N:.metadata.name,SRC:.source.component");
    assert_eq!(out, "N         SRC\nnginx.1   <none>\nnginx.2   kubelet\nweb.3     kubelet\n");
}

/// Tables of workload, storage and autoscaling kinds, with the cells of printers.go.
#[test]
fn more_kinds() {
    let mut w = pods_world();
    put(
        &mut w,
        "daemonsets",
        Some("kube-system"),
        json!({"metadata": {"name": "kube-proxy"}, "spec": {"selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
        "template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux"}, "containers": [{"name": "kube-proxy", "image": "registry.k8s.io/kube-proxy:v1.35.2"}]}}},
        "status": {"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberReady": 2, "updatedNumberScheduled": 2, "numberAvailable": 2}}),
        45 * 86400,
    );
    let (out, _, _) = sh(&mut w, "kubectl get ds -n kube-system");
    assert_eq!(
        out,
        // calico-node is the default world's own CNI DaemonSet, seeded at the epoch.
        "NAME          DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\ncalico-node   3         3         3       3            3           kubernetes.io/os=linux   102d\nkube-proxy    2         2         2       2            2           kubernetes.io/os=linux   45d\n"
    );
    put(
        &mut w,
        "storageclasses",
        None,
        json!({"metadata": {"name": "local-path", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer"}),
        45 * 86400,
    );
    let (out, _, _) = sh(&mut w, "kubectl get sc");
    assert_eq!(
        out,
        "NAME                   PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\nlocal-path (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  45d\n"
    );
    put(
        &mut w,
        "horizontalpodautoscalers",
        Some("default"),
        json!({"metadata": {"name": "web"}, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
        "minReplicas": 1, "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]},
        "status": {"currentReplicas": 1}}),
        120,
    );
    let (out, _, _) = sh(&mut w, "kubectl get hpa");
    assert_eq!(
        out,
        "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\nweb    Deployment/web   cpu: <unknown>/80%   1         5         1          2m\n"
    );
    let start = ago(&w, 100);
    let done = ago(&w, 92);
    put(
        &mut w,
        "jobs",
        Some("default"),
        json!({"metadata": {"name": "pi"}, "spec": {"completions": 1, "parallelism": 1, "template": {"spec": {"containers": [{"name": "pi", "image": "perl"}]}}},
        "status": {"succeeded": 1, "startTime": start, "completionTime": done, "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Complete", "status": "True"}]}}),
        100,
    );
    put(
        &mut w,
        "cronjobs",
        Some("default"),
        json!({"metadata": {"name": "hello"}, "spec": {"schedule": "*/1 * * * *", "suspend": false,
        "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "hello", "image": "busybox"}]}}}}}}),
        30,
    );
    let (out, _, _) = sh(&mut w, "kubectl get jobs,cronjobs");
    assert_eq!(
        out,
        "NAME           STATUS     COMPLETIONS   DURATION   AGE\njob.batch/pi   Complete   1/1           8s         100s\n\n\
         NAME                  SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\ncronjob.batch/hello   */1 * * * *   <none>     False     0        <none>          30s\n"
    );
    put(
        &mut w,
        "persistentvolumes",
        None,
        json!({"metadata": {"name": "pv1"}, "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
        "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "manual", "claimRef": {"namespace": "default", "name": "data"}}, "status": {"phase": "Bound"}}),
        600,
    );
    put(
        &mut w,
        "persistentvolumeclaims",
        Some("default"),
        json!({"metadata": {"name": "data"}, "spec": {"volumeName": "pv1", "storageClassName": "manual", "volumeMode": "Filesystem"},
        "status": {"phase": "Bound", "capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]}}),
        600,
    );
    let (out, _, _) = sh(&mut w, "kubectl get pv");
    assert_eq!(
        out,
        "NAME   CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\npv1    1Gi        RWO            Retain           Bound    default/data   manual         <unset>                          10m\n"
    );
    let (out, _, _) = sh(&mut w, "kubectl get pvc -o wide");
    assert_eq!(
        out,
        "NAME   STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE   VOLUMEMODE\ndata   Bound    pv1      1Gi        RWO            manual         <unset>                 10m   Filesystem\n"
    );
    put(
        &mut w,
        "ingresses",
        Some("default"),
        json!({"metadata": {"name": "web"}, "spec": {"ingressClassName": "nginx", "rules": [{"host": "web.example.com", "http": {"paths": []}}], "tls": [{"hosts": ["web.example.com"]}]}}),
        60,
    );
    let (out, _, _) = sh(&mut w, "kubectl get ing");
    assert_eq!(out, "NAME   CLASS   HOSTS             ADDRESS   PORTS     AGE\nweb    nginx   web.example.com             80, 443   60s\n");
    put(&mut w, "networkpolicies", Some("default"), json!({"metadata": {"name": "deny"}, "spec": {"podSelector": {}}}), 60);
    let (out, _, _) = sh(&mut w, "kubectl get netpol");
    assert_eq!(out, "NAME   POD-SELECTOR   AGE\ndeny   <none>         60s\n");
    put(
        &mut w,
        "secrets",
        Some("default"),
        json!({"metadata": {"name": "tls"}, "type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": ""}}),
        60,
    );
    put(&mut w, "configmaps", Some("default"), json!({"metadata": {"name": "cfg"}, "data": {"a": "1"}, "binaryData": {"b": ""}}), 60);
    let (out, _, _) = sh(&mut w, "kubectl get secret,cm");
    assert_eq!(
        out,
        // kube-root-ca.crt is published into every namespace by the root-CA publisher.
        "NAME         TYPE                DATA   AGE\nsecret/tls   kubernetes.io/tls   2      60s\n\nNAME                         DATA   AGE\nconfigmap/cfg                2      60s\nconfigmap/kube-root-ca.crt   1      102d\n"
    );
    put(
        &mut w,
        "resourcequotas",
        Some("default"),
        json!({"metadata": {"name": "q"}, "status": {"hard": {"pods": "10", "limits.cpu": "2", "requests.cpu": "1"}, "used": {"pods": "2", "requests.cpu": "500m"}}}),
        60,
    );
    let (out, _, _) = sh(&mut w, "kubectl get quota");
    assert_eq!(
        out,
        "NAME   REQUEST                            LIMIT             AGE\nq      pods: 2/10, requests.cpu: 500m/1   limits.cpu: 0/2   60s\n"
    );
}

/// A custom resource: the CRD's additionalPrinterColumns, or NAME and AGE without them.
#[test]
fn custom_resources_use_their_crd_columns() {
    use crate::cluster::ResourceInfo;
    let mut w = pods_world();
    let crd = json!({"metadata": {"name": "widgets.example.com"}, "spec": {"group": "example.com", "names": {"plural": "widgets", "kind": "Widget"}, "scope": "Namespaced",
        "versions": [{"name": "v1", "served": true, "storage": true, "additionalPrinterColumns": [
            {"name": "Size", "type": "integer", "jsonPath": ".spec.size"}, {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]}]}});
    put(&mut w, "customresourcedefinitions", None, crd.clone(), 60);
    let res = ResourceInfo {
        name: "widgets".into(),
        singular: "widget".into(),
        namespaced: true,
        group: "example.com".into(),
        version: "v1".into(),
        kind: "Widget".into(),
        verbs: vec!["get".into(), "list".into()],
        short_names: vec![],
        categories: vec![],
    };
    let objs = vec![std::sync::Arc::new(json!({"metadata": {"name": "w1", "creationTimestamp": ago(&w, 30)}, "spec": {"size": 3}}))];
    let t = crate::cluster::table::convert(&res.group, &res.kind, &objs, &crate::cluster::table::Ctx { now: w.clock.now, crd: Some(&crd) });
    let text = crate::programs::kubectl::printers::table::render(&t, &Default::default());
    assert_eq!(text, "NAME   SIZE   AGE\nw1     3      30s\n");
    let bare = json!({"spec": {"versions": [{"name": "v1", "storage": true}]}});
    let t =
        crate::cluster::table::convert(&res.group, &res.kind, &objs, &crate::cluster::table::Ctx { now: w.clock.now, crd: Some(&bare) });
    assert_eq!(crate::programs::kubectl::printers::table::render(&t, &Default::default()), "NAME   AGE\nw1     30s\n");
}
