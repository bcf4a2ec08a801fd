//! Settle-loop tests over the default world: the loop leaves the seeded state alone, and a
//! Deployment gets a ReplicaSet and running pods owned and labelled as the controllers do.

use serde_json::{Value, json};

use super::{controlled_by, meta_str, res};
use crate::cluster::api::{UserInfo, WriteOptions};
use crate::world::{World, scenario};

fn world() -> World {
    scenario::build("default").expect("default world")
}

fn create_deployment(w: &mut World, name: &str, replicas: i64, image: &str) {
    let mut api = w.api("kubernetes").expect("cluster");
    let body = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": image}]}}}});
    api.create(&UserInfo::admin(), res("deployments").expect("deployments"), Some("default"), body, &WriteOptions::default())
        .expect("created");
}

fn list(w: &World, resource: &str) -> Vec<Value> {
    let store = &w.clusters["kubernetes"].store;
    store.list(res(resource).expect("resource"), Some("default")).cloned().collect()
}

#[test]
fn settling_the_default_world_changes_nothing() {
    let mut w = world();
    let before = w.clusters["kubernetes"].store.revision;
    w.settle();
    assert_eq!(w.clusters["kubernetes"].store.revision, before);
}

#[test]
fn a_deployment_gets_an_owned_replica_set_and_running_pods() {
    let mut w = world();
    create_deployment(&mut w, "web", 3, "nginx");
    w.settle();
    let rss = list(&w, "replicasets");
    assert_eq!(rss.len(), 1);
    let rs = &rss[0];
    let hash = rs.pointer("/metadata/labels/pod-template-hash").and_then(Value::as_str).expect("hash label");
    assert_eq!(meta_str(rs, "name"), format!("web-{hash}"));
    assert_eq!(rs.pointer("/spec/selector/matchLabels/pod-template-hash").and_then(Value::as_str), Some(hash));
    let ann = &rs["metadata"]["annotations"];
    assert_eq!(ann["deployment.kubernetes.io/revision"], "1");
    assert_eq!(ann["deployment.kubernetes.io/desired-replicas"], "3");
    assert_eq!(ann["deployment.kubernetes.io/max-replicas"], "4");
    assert_eq!(
        rs["status"],
        json!({"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3, "availableReplicas": 3, "observedGeneration": 1})
    );
    let pods = list(&w, "pods");
    assert_eq!(pods.len(), 3);
    for p in &pods {
        assert!(controlled_by(p, meta_str(rs, "uid")));
        assert_eq!(p.pointer("/metadata/ownerReferences/0/blockOwnerDeletion"), Some(&json!(true)));
        let suffix = meta_str(p, "name").strip_prefix(&format!("web-{hash}-")).expect("rs prefix");
        assert!(suffix.len() == 5 && suffix.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)));
        assert_eq!(p.pointer("/status/phase").and_then(Value::as_str), Some("Running"));
        assert!(p.pointer("/status/podIP").and_then(Value::as_str).is_some_and(|ip| ip.starts_with("10.244.")));
        // Defaulting and admission ran on the controller's create.
        assert_eq!(p.pointer("/spec/serviceAccountName").and_then(Value::as_str), Some("default"));
    }
    let ips: std::collections::BTreeSet<&str> = pods.iter().filter_map(|p| p.pointer("/status/podIP").and_then(Value::as_str)).collect();
    assert_eq!(ips.len(), 3, "pod IPs are distinct");
    // A second settle has nothing left to do.
    let before = w.clusters["kubernetes"].store.revision;
    w.settle();
    assert_eq!(w.clusters["kubernetes"].store.revision, before);
}

#[test]
fn a_template_change_rolls_over_and_keeps_the_old_replica_set_at_zero() {
    let mut w = world();
    create_deployment(&mut w, "web", 3, "nginx");
    w.settle();
    {
        let mut api = w.api("kubernetes").expect("cluster");
        let patch = json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}});
        api.patch(
            &UserInfo::admin(),
            res("deployments").expect("d"),
            Some("default"),
            "web",
            crate::cluster::PatchType::Strategic,
            &patch,
            &WriteOptions::default(),
        )
        .expect("patched");
    }
    w.settle();
    let rss = list(&w, "replicasets");
    assert_eq!(rss.len(), 2);
    let replicas: Vec<(String, i64)> = rss
        .iter()
        .map(|r| {
            (
                r["metadata"]["annotations"]["deployment.kubernetes.io/revision"].as_str().unwrap_or("").to_string(),
                r["spec"]["replicas"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert!(replicas.contains(&("1".into(), 0)) && replicas.contains(&("2".into(), 3)), "{replicas:?}");
    let pods = list(&w, "pods");
    assert_eq!(pods.len(), 3);
    assert!(pods.iter().all(|p| p["spec"]["containers"][0]["image"] == "nginx:1.27"));
    let d = &list(&w, "deployments")[0];
    assert_eq!(d.pointer("/status/conditions/1/reason").and_then(Value::as_str), Some("NewReplicaSetAvailable"));
}

#[test]
fn scale_down_deletes_unscheduled_then_pending_then_newer_pods() {
    let pod = |name: &str, node: &str, phase: &str, created: &str| json!({"metadata": {"name": name, "creationTimestamp": created}, "spec": {"nodeName": node}, "status": {"phase": phase}});
    let running = pod("running-old", "node01", "Running", "2026-01-01T00:00:00Z");
    let running_new = pod("running-new", "node01", "Running", "2026-01-02T00:00:00Z");
    let pending = pod("pending", "node01", "Pending", "2026-01-01T00:00:00Z");
    let unscheduled = pod("unscheduled", "", "Pending", "2026-01-01T00:00:00Z");
    let all = [running.clone(), running_new.clone(), pending, unscheduled];
    let names: Vec<String> = super::replicaset::pods_to_delete(&all, 3).iter().map(|p| meta_str(p, "name").to_string()).collect();
    assert_eq!(names, ["unscheduled", "pending", "running-new"]);
}

#[test]
fn a_pod_no_node_tolerates_stays_pending_with_the_reason() {
    let mut w = world();
    {
        let mut api = w.api("kubernetes").expect("cluster");
        let body = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"nodeSelector": {"missing": "label"}, "containers": [{"name": "c", "image": "nginx"}]}});
        api.create(&UserInfo::admin(), res("pods").expect("pods"), Some("default"), body, &WriteOptions::default()).expect("created");
        // Taint every node so the placeholder scheduler refuses too.
        for n in ["controlplane", "node01", "node02"] {
            let patch = json!({"spec": {"taints": [{"key": "k", "effect": "NoSchedule"}]}});
            let _ = api.patch(
                &UserInfo::system(),
                res("nodes").expect("nodes"),
                None,
                n,
                crate::cluster::PatchType::Merge,
                &patch,
                &WriteOptions::default(),
            );
        }
    }
    w.settle();
    let p = &list(&w, "pods")[0];
    assert_eq!(p.pointer("/status/phase").and_then(Value::as_str), Some("Pending"));
    assert_eq!(p.pointer("/status/conditions/0/reason").and_then(Value::as_str), Some("Unschedulable"));
    assert!(p.pointer("/spec/nodeName").is_none());
    let before = w.clusters["kubernetes"].store.revision;
    w.settle();
    assert_eq!(w.clusters["kubernetes"].store.revision, before, "an unschedulable pod does not keep the loop writing");
}

#[test]
fn a_one_by_one_rollout_of_many_replicas_completes_within_the_bound() {
    let mut w = world();
    create_deployment(&mut w, "big", 30, "nginx");
    w.settle();
    {
        let mut api = w.api("kubernetes").expect("cluster");
        let patch = json!({"spec": {"strategy": {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {"spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}});
        api.patch(
            &UserInfo::admin(),
            res("deployments").expect("d"),
            Some("default"),
            "big",
            crate::cluster::PatchType::Strategic,
            &patch,
            &WriteOptions::default(),
        )
        .expect("patched");
    }
    let rounds = w.api("kubernetes").map(|mut api| super::settle(&mut api)).unwrap_or(0);
    assert!(rounds < super::MAX_ROUNDS, "rollout took {rounds} rounds");
    let pods = list(&w, "pods");
    assert_eq!(pods.len(), 30);
    assert!(pods.iter().all(|p| p["spec"]["containers"][0]["image"] == "nginx:1.27" && p["status"]["phase"] == "Running"));
}
