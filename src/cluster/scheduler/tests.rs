//! Whole-cycle tests on the default world's three nodes (seeded as `kubeadm::seed_node` does:
//! controlplane tainted `node-role.kubernetes.io/control-plane:NoSchedule`, 2 cpu, 3908276Ki
//! memory, 110 pods each). Expected messages are the v1.35 texts recorded in
//! shared/notes/error-catalogue-v1.35.md (C1–C7) and the plugin sources named in each module.

use serde_json::{Value, json};

use super::*;

fn node(name: &str) -> Value {
    let mut labels = json!({"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"});
    let mut spec = json!({});
    if name == "controlplane" {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
        spec["taints"] = json!([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]);
    }
    json!({"metadata": {"name": name, "labels": labels}, "spec": spec, "status": {
        "allocatable": {"cpu": "2", "ephemeral-storage": "18556039957", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "3908276Ki", "pods": "110"},
        "conditions": [{"type": "Ready", "status": "True"}]}})
}

fn world() -> Vec<Value> {
    vec![node("controlplane"), node("node01"), node("node02")]
}

fn pod(name: &str, spec: Value) -> Value {
    let mut spec = spec;
    if spec.get("containers").is_none() {
        spec["containers"] = json!([{"name": "c", "image": "nginx"}]);
    }
    json!({"metadata": {"name": name, "namespace": "default", "labels": {"run": name}}, "spec": spec, "status": {"phase": "Pending"}})
}

fn cpu_pod(name: &str, cpu: &str) -> Value {
    pod(name, json!({"containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": cpu}}}]}))
}

fn on(mut p: Value, node: &str) -> Value {
    p["spec"]["nodeName"] = json!(node);
    p["status"]["phase"] = json!("Running");
    p
}

#[derive(Default)]
struct World {
    nodes: Vec<Value>,
    pods: Vec<Value>,
    pvcs: Vec<Value>,
    pvs: Vec<Value>,
    classes: Vec<Value>,
    priority: Vec<Value>,
}

impl World {
    fn new(nodes: Vec<Value>) -> Self {
        World { nodes, ..World::default() }
    }
    fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            nodes: self.nodes.iter().collect(),
            pods: self.pods.iter().collect(),
            pvcs: self.pvcs.iter().collect(),
            pvs: self.pvs.iter().collect(),
            storage_classes: self.classes.iter().collect(),
            priority_classes: self.priority.iter().collect(),
        }
    }
    fn schedule(&self, p: &Value) -> Decision {
        schedule(p, &self.snapshot())
    }
    fn message(&self, p: &Value) -> String {
        match self.schedule(p) {
            Decision::Unschedulable { message } => message,
            Decision::Bind { node } => panic!("expected a failure, bound to {node}"),
        }
    }
    fn bound(&self, p: &Value) -> String {
        match self.schedule(p) {
            Decision::Bind { node } => node,
            Decision::Unschedulable { message } => panic!("expected a bind: {message}"),
        }
    }
}

#[test]
fn plain_pod_goes_to_the_first_worker_on_a_tie() {
    let w = World::new(world());
    assert_eq!(w.bound(&pod("web", json!({}))), "node01", "node01 and node02 score the same: name order breaks the tie");
}

#[test]
fn the_less_loaded_worker_wins() {
    let mut w = World::new(world());
    w.pods.push(on(cpu_pod("busy", "1"), "node01"));
    assert_eq!(w.bound(&cpu_pod("web", "100m")), "node02");
}

#[test]
fn untolerated_taints_share_one_reason() {
    // C1: controlplane plus node01 tainted spray=mortein:NoSchedule.
    let mut n1 = node("node01");
    n1["spec"]["taints"] = json!([{"key": "spray", "value": "mortein", "effect": "NoSchedule"}]);
    let w = World::new(vec![node("controlplane"), n1]);
    assert_eq!(
        w.message(&pod("mosquito", json!({}))),
        "0/2 nodes are available: 2 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    );
    let bee = pod("bee", json!({"tolerations": [{"key": "spray", "value": "mortein", "effect": "NoSchedule"}]}));
    assert_eq!(w.bound(&bee), "node01");
}

#[test]
fn no_execute_filters_and_prefer_no_schedule_only_scores() {
    let mut n1 = node("node01");
    n1["spec"]["taints"] = json!([{"key": "a", "effect": "NoExecute"}]);
    let mut n2 = node("node02");
    n2["spec"]["taints"] = json!([{"key": "b", "effect": "PreferNoSchedule"}]);
    let w = World::new(vec![node("controlplane"), n1.clone(), n2]);
    assert_eq!(w.bound(&pod("p", json!({}))), "node02", "PreferNoSchedule does not filter");

    let mut n2 = node("node02");
    n2["spec"]["taints"] = json!([{"key": "b", "effect": "PreferNoSchedule"}]);
    let w = World::new(vec![node("node01"), n2]);
    assert_eq!(w.bound(&pod("p", json!({}))), "node01", "the untainted node scores higher");
    let w = World::new(vec![n1, node("node02")]);
    assert_eq!(w.bound(&pod("p", json!({"tolerations": [{"operator": "Exists"}]}))), "node01", "tolerate-everything passes NoExecute");
}

#[test]
fn insufficient_cpu_with_no_victims() {
    // C2.
    let mut w = World::new(world());
    w.pods.push(on(cpu_pod("a", "1"), "node01"));
    w.pods.push(on(cpu_pod("b", "1"), "node02"));
    assert_eq!(
        w.message(&cpu_pod("web", "1500m")),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    );
}

#[test]
fn a_request_larger_than_the_node_is_not_helped_by_preemption() {
    let w = World::new(world());
    assert_eq!(
        w.message(&cpu_pod("huge", "64")),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
}

#[test]
fn a_node_short_of_two_resources_counts_under_both() {
    let mut w = World::new(vec![node("node01"), node("node02")]);
    w.pods.push(on(pod("a", json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": "1", "memory": "3Gi"}}}]})), "node01"));
    w.pods.push(on(cpu_pod("b", "1"), "node02"));
    let p = pod("p", json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": "1500m", "memory": "1Gi"}}}]}));
    assert_eq!(
        w.message(&p),
        "0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu. no new claims to deallocate, preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
    );
}

#[test]
fn extended_resources_ephemeral_storage_and_too_many_pods() {
    let mut n1 = node("node01");
    n1["status"]["allocatable"]["pods"] = json!("1");
    let mut w = World::new(vec![n1]);
    w.pods.push(on(pod("a", json!({})), "node01"));
    let p = pod(
        "p",
        json!({"containers": [{"name": "c", "resources": {"requests": {"nvidia.com/gpu": "1", "ephemeral-storage": "100Gi"}, "limits": {"nvidia.com/gpu": "1"}}}]}),
    );
    assert_eq!(
        w.message(&p),
        "0/1 nodes are available: 1 Insufficient ephemeral-storage, 1 Insufficient nvidia.com/gpu, 1 Too many pods. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    );
}

#[test]
fn pods_without_requests_still_take_a_pod_slot() {
    let mut n1 = node("node01");
    n1["status"]["allocatable"]["pods"] = json!("2");
    let mut w = World::new(vec![n1]);
    w.pods.push(on(pod("a", json!({})), "node01"));
    w.pods.push(on(pod("b", json!({})), "node01"));
    let mut done = on(pod("done", json!({})), "node01");
    done["status"]["phase"] = json!("Succeeded");
    w.pods.push(done);
    assert_eq!(
        w.message(&pod("p", json!({}))),
        "0/1 nodes are available: 1 Too many pods. no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
    );
}

#[test]
fn node_selector_and_affinity() {
    // C3.
    let w = World::new(world());
    let expected = "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    assert_eq!(w.message(&pod("p", json!({"nodeSelector": {"disktype": "ssd"}}))), expected);
    let affinity = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "disktype", "operator": "In", "values": ["ssd"]}]}]}}});
    assert_eq!(w.message(&pod("p", json!({"affinity": affinity}))), expected);
    let to_node02 = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node02"]}]}]}}});
    assert_eq!(w.bound(&pod("p", json!({"affinity": to_node02}))), "node02");
}

#[test]
fn preferred_node_affinity_steers() {
    let w = World::new(world());
    let affinity = json!({"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 1, "preference": {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": ["node02"]}]}}]}});
    assert_eq!(w.bound(&pod("p", json!({"affinity": affinity}))), "node02");
}

#[test]
fn cordoned_node_is_reported_before_its_taint() {
    // C4: NodeUnschedulable runs before TaintToleration.
    let mut n1 = node("node01");
    n1["spec"]["unschedulable"] = json!(true);
    n1["spec"]["taints"] = json!([{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]);
    let w = World::new(vec![node("controlplane"), n1]);
    assert_eq!(
        w.message(&pod("p", json!({}))),
        "0/2 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    );
    let ds = pod("ds", json!({"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]}));
    assert_eq!(w.bound(&ds), "node01", "DaemonSet pods tolerate the cordon");
}

#[test]
fn not_ready_node_counts_as_tainted() {
    let mut n1 = node("node01");
    n1["status"]["conditions"] = json!([{"type": "Ready", "status": "False"}]);
    let w = World::new(vec![node("controlplane"), n1]);
    assert_eq!(
        w.message(&pod("p", json!({}))),
        "0/2 nodes are available: 2 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    );
}

#[test]
fn node_name_mismatch() {
    let w = World::new(vec![node("node01")]);
    assert!(
        w.message(&pod("p", json!({"nodeName": "node09"})))
            .starts_with("0/1 nodes are available: 1 node(s) didn't match the requested node name.")
    );
}

#[test]
fn host_ports_conflict() {
    let hp = |name: &str| pod(name, json!({"containers": [{"name": "c", "ports": [{"containerPort": 80, "hostPort": 8080}]}]}));
    let mut w = World::new(vec![node("node01"), node("node02")]);
    w.pods.push(on(hp("a"), "node01"));
    assert_eq!(w.bound(&hp("b")), "node02");
    w.pods.push(on(hp("c"), "node02"));
    assert_eq!(
        w.message(&hp("d")),
        "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. no new claims to deallocate, preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
    );
    let udp = pod("u", json!({"containers": [{"name": "c", "ports": [{"containerPort": 80, "hostPort": 8080, "protocol": "UDP"}]}]}));
    assert_eq!(w.bound(&udp), "node01", "another protocol does not clash");
}

fn labelled(name: &str, app: &str, spec: Value) -> Value {
    let mut p = pod(name, spec);
    p["metadata"]["labels"] = json!({"app": app});
    p
}

#[test]
fn pod_affinity_and_anti_affinity() {
    let term = |app: &str| json!([{"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": "kubernetes.io/hostname"}]);
    let mut w = World::new(world());
    w.pods.push(on(labelled("db", "db", json!({})), "node02"));

    let with_db =
        labelled("web", "web", json!({"affinity": {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": term("db")}}}));
    assert_eq!(w.bound(&with_db), "node02");
    let away =
        labelled("web", "web", json!({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": term("db")}}}));
    assert_eq!(w.bound(&away), "node01");

    let nothing =
        labelled("web", "web", json!({"affinity": {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": term("cache")}}}));
    assert_eq!(
        w.message(&nothing),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match pod affinity rules. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
    let self_affine =
        labelled("cache", "cache", json!({"affinity": {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": term("cache")}}}));
    assert_eq!(w.bound(&self_affine), "node01", "the first pod of a self-affine group may go anywhere");

    w.pods.push(on(labelled("db2", "db", json!({})), "node01"));
    assert_eq!(
        w.message(&away),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match pod anti-affinity rules. no new claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    );
}

#[test]
fn existing_pods_anti_affinity() {
    let term = json!([{"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]);
    let mut w = World::new(vec![node("node01"), node("node02")]);
    w.pods.push(on(
        labelled("loner", "loner", json!({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": term}}})),
        "node01",
    ));
    assert_eq!(w.bound(&labelled("web", "web", json!({}))), "node02");
    let mut n2 = node("node02");
    n2["spec"]["unschedulable"] = json!(true);
    w.nodes[1] = n2;
    assert_eq!(
        w.message(&labelled("web", "web", json!({}))),
        "0/2 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules, 1 node(s) were unschedulable. no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
    );
}

#[test]
fn preferred_pod_affinity_scores() {
    let mut w = World::new(world());
    w.pods.push(on(labelled("db", "db", json!({})), "node02"));
    let near = labelled(
        "web",
        "web",
        json!({"affinity": {"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 50, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "kubernetes.io/hostname"}}]}}}),
    );
    assert_eq!(w.bound(&near), "node02");
}

fn claim_pod(claim: &str) -> Value {
    pod("app", json!({"volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}]}))
}

fn pvc(name: &str, class: &str, volume: &str) -> Value {
    json!({"metadata": {"name": name, "namespace": "default"}, "spec": {"storageClassName": class, "volumeName": volume, "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}})
}

#[test]
fn volume_binding_prefilter_messages() {
    // C7/C8: PreFilter failures carry no per-node counts.
    let mut w = World::new(world());
    assert_eq!(w.message(&claim_pod("data")), "0/3 nodes are available: persistentvolumeclaim \"data\" not found. not found");
    w.pvcs.push(pvc("data", "fast-ssd", ""));
    assert_eq!(w.message(&claim_pod("data")), "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. not found");
}

#[test]
fn wait_for_first_consumer_and_local_volumes() {
    let mut w = World::new(world());
    w.classes.push(
        json!({"metadata": {"name": "local"}, "provisioner": "kubernetes.io/no-provisioner", "volumeBindingMode": "WaitForFirstConsumer"}),
    );
    w.pvcs.push(pvc("data", "local", ""));
    assert_eq!(
        w.message(&claim_pod("data")),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't find available persistent volumes to bind. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
    let local_pv = |name: &str, node: &str| {
        json!({"metadata": {"name": name}, "spec": {"storageClassName": "local", "capacity": {"storage": "2Gi"}, "accessModes": ["ReadWriteOnce"],
            "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}}},
            "status": {"phase": "Available"}})
    };
    w.pvs.push(local_pv("pv-2", "node02"));
    assert_eq!(w.bound(&claim_pod("data")), "node02");
    assert_eq!(
        volume_bindings(&claim_pod("data"), &w.snapshot(), "node02"),
        vec![VolumeBinding::Bind { namespace: "default".into(), claim: "data".into(), volume: "pv-2".into() }]
    );
    // Bound to the PV on node02: node01 now conflicts.
    w.pvcs[0] = pvc("data", "local", "pv-2");
    let mut n2 = node("node02");
    n2["spec"]["unschedulable"] = json!(true);
    w.nodes[2] = n2;
    assert_eq!(
        w.message(&claim_pod("data")),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) had volume node affinity conflict, 1 node(s) were unschedulable. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
}

#[test]
fn dynamic_provisioning_classes_pass() {
    let mut w = World::new(world());
    w.classes.push(
        json!({"metadata": {"name": "standard"}, "provisioner": "rancher.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"}),
    );
    w.pvcs.push(pvc("data", "standard", ""));
    assert_eq!(w.bound(&claim_pod("data")), "node01");
    assert_eq!(
        volume_bindings(&claim_pod("data"), &w.snapshot(), "node01"),
        vec![VolumeBinding::Provision { namespace: "default".into(), claim: "data".into(), node: "node01".into() }]
    );
}

#[test]
fn which_pods_the_default_scheduler_takes() {
    assert!(is_schedulable_by_default_scheduler(&pod("p", json!({}))));
    assert!(is_schedulable_by_default_scheduler(&pod("p", json!({"schedulerName": "default-scheduler"}))));
    assert!(!is_schedulable_by_default_scheduler(&pod("p", json!({"schedulerName": "my-scheduler"}))));
    assert!(!is_schedulable_by_default_scheduler(&pod("p", json!({"schedulingGates": [{"name": "wait"}]}))));
    assert!(!is_schedulable_by_default_scheduler(&on(pod("p", json!({})), "node01")));
}

#[test]
fn reasons_sort_as_strings() {
    let r = |s: &str| Rejection::unschedulable(s);
    let mut rs: Vec<Rejection> = (0..10).map(|_| r("node(s) were unschedulable")).collect();
    rs.extend((0..2).map(|_| r("Insufficient cpu")));
    rs.push(r("Insufficient memory"));
    assert_eq!(
        fit_error(13, rs.iter()),
        "0/13 nodes are available: 1 Insufficient memory, 10 node(s) were unschedulable, 2 Insufficient cpu.",
        "sort.Strings on `<count> <reason>`: `10 …` before `2 …`"
    );
}

#[test]
fn no_nodes_at_all() {
    let w = World::new(vec![]);
    assert_eq!(w.message(&pod("p", json!({}))), "no nodes available to schedule pods");
    assert_eq!(w.message(&claim_pod("missing")), "no nodes available to schedule pods", "checked before PreFilter");
}

fn priority_class(name: &str, value: i64) -> Value {
    json!({"metadata": {"name": name}, "value": value})
}

#[test]
fn preemption_of_lower_priority_pods() {
    let mut w = World::new(world());
    w.priority.push(priority_class("high", 1000));
    let mut low_a = on(cpu_pod("low-a", "1500m"), "node01");
    low_a["metadata"]["creationTimestamp"] = json!("2026-01-01T00:00:00Z");
    let mut low_b = on(cpu_pod("low-b", "1500m"), "node02");
    low_b["spec"]["priority"] = json!(10);
    w.pods.push(low_a);
    w.pods.push(low_b);
    let mut urgent = cpu_pod("urgent", "1");
    urgent["spec"]["priorityClassName"] = json!("high");
    // Preemption succeeds: PostFilter returns success, so the message has no PostFilter part.
    assert_eq!(w.message(&urgent), "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.");
    let p = preemption_victims(&urgent, &w.snapshot()).expect("a node frees up");
    assert_eq!(
        p,
        Preemption { node: "node01".into(), victims: vec![("default".into(), "low-a".into())] },
        "priority 0 victim beats priority 10"
    );

    urgent["spec"]["preemptionPolicy"] = json!("Never");
    assert_eq!(
        w.message(&urgent),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: not eligible due to preemptionPolicy=Never."
    );
    assert_eq!(preemption_victims(&urgent, &w.snapshot()), None);
}

#[test]
fn a_nominated_pod_waits_for_its_victims() {
    let mut w = World::new(vec![node("node01")]);
    let mut victim = on(cpu_pod("low", "1500m"), "node01");
    victim["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
    victim["status"]["conditions"] = json!([{"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
        "message": "default-scheduler: preempting to accommodate a higher priority pod"}]);
    w.pods.push(victim);
    let mut urgent = cpu_pod("urgent", "1");
    urgent["spec"]["priority"] = json!(100);
    urgent["status"]["nominatedNodeName"] = json!("node01");
    assert_eq!(
        w.message(&urgent),
        "0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: not eligible due to a terminating pod on the nominated node."
    );
    assert_eq!(preemption_victims(&urgent, &w.snapshot()), None, "no second round of evictions");
}

#[test]
fn preemption_keeps_victims_it_does_not_need() {
    let mut n1 = node("node01");
    n1["status"]["allocatable"]["cpu"] = json!("3");
    let mut w = World::new(vec![n1]);
    w.pods.push(on(cpu_pod("small", "500m"), "node01"));
    w.pods.push(on(cpu_pod("big", "2"), "node01"));
    let mut urgent = cpu_pod("urgent", "1");
    urgent["spec"]["priority"] = json!(100);
    let p = preemption_victims(&urgent, &w.snapshot()).expect("preemptable");
    assert_eq!(p.victims, vec![("default".to_string(), "big".to_string())], "evicting `small` alone frees only 500m");
}

#[test]
fn victims_that_do_not_free_enough() {
    let mut w = World::new(vec![node("node01")]);
    let mut high = on(cpu_pod("high", "1500m"), "node01");
    high["spec"]["priority"] = json!(2000);
    w.pods.push(high);
    w.pods.push(on(cpu_pod("low", "100m"), "node01"));
    let mut urgent = cpu_pod("urgent", "1");
    urgent["spec"]["priority"] = json!(100);
    assert_eq!(
        w.message(&urgent),
        "0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Insufficient cpu."
    );
    assert_eq!(preemption_victims(&urgent, &w.snapshot()), None);
}

#[test]
fn global_default_priority_class_applies() {
    let mut w = World::new(vec![]);
    w.priority.push(json!({"metadata": {"name": "default-prio"}, "value": 7, "globalDefault": true}));
    assert_eq!(priority_of(&pod("p", json!({})), &w.snapshot()), 7);
    assert_eq!(priority_of(&pod("p", json!({"priority": 3})), &w.snapshot()), 3);
}

#[test]
fn normalizers() {
    let mut raw = vec![0, 1, 2];
    normalize_default(&mut raw, true);
    assert_eq!(raw, vec![100, 50, 0]);
    let mut raw = vec![0, 0];
    normalize_default(&mut raw, true);
    assert_eq!(raw, vec![100, 100]);
    let mut raw = vec![-5, 0, 5];
    normalize_min_max(&mut raw);
    assert_eq!(raw, vec![0, 50, 100]);
}

#[test]
fn topology_spread_do_not_schedule() {
    let spread = |name: &str| {
        labelled(
            name,
            "web",
            json!({"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": {"app": "web"}}}]}),
        )
    };
    let mut w = World::new(world());
    w.pods.push(on(spread("web-1"), "node01"));
    // The tainted controlplane still counts as a domain (taints are ignored), with 0 pods: skew
    // on node01 would be 2, on node02 1.
    assert_eq!(w.bound(&spread("web-2")), "node02");
    w.pods.push(on(spread("web-2"), "node02"));
    assert_eq!(
        w.message(&spread("web-3")),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match pod topology spread constraints. no new claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    );
    let zoned = labelled(
        "z",
        "web",
        json!({"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
        "labelSelector": {"matchLabels": {"app": "web"}}}]}),
    );
    assert!(w.message(&zoned).starts_with("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match pod topology spread constraints (missing required label)."));
}

#[test]
fn best_effort_pods_skip_balanced_allocation() {
    let mut w = World::new(vec![node("node01")]);
    w.pods.push(on(cpu_pod("a", "1"), "node01"));
    let snap = w.snapshot();
    let be = pod("be", json!({}));
    let cy = cycle(&be, &snap);
    assert_eq!(fit::balanced_allocation_score(&cy, &cy.nodes[0]), 0, "best-effort: skipped");
    let req = cpu_pod("req", "100m");
    let cy = cycle(&req, &snap);
    // cpu 1100m/2000m = 0.55, memory 0: std 0.275 → 72.
    assert_eq!(fit::balanced_allocation_score(&cy, &cy.nodes[0]), 72);
    // LeastAllocated with the defaults: cpu (2000-1100)*100/2000 = 45; memory: both pods count
    // 200Mi, (3908276Ki-409600Ki)*100/3908276Ki = 89; mean 67.
    assert_eq!(fit::least_allocated_score(&cy, &cy.nodes[0]), 67);
}

#[test]
fn event_texts() {
    assert_eq!(scheduled_message(&pod("web", json!({})), "node01"), "Successfully assigned default/web to node01");
    assert_eq!(preempted_message("uid-1", "node02"), "Preempted by pod uid-1 on node node02");
    assert_eq!(
        disruption_target_message(&pod("p", json!({"schedulerName": "default-scheduler"}))),
        "default-scheduler: preempting to accommodate a higher priority pod"
    );
}

#[test]
fn nominated_pods_hold_their_place() {
    let mut w = World::new(vec![node("node01")]);
    let mut nominated = cpu_pod("urgent", "1500m");
    nominated["spec"]["priority"] = json!(100);
    nominated["status"]["nominatedNodeName"] = json!("node01");
    w.pods.push(nominated);
    assert_eq!(
        w.message(&cpu_pod("late", "1")),
        "0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
    );
    let mut higher = cpu_pod("higher", "1");
    higher["spec"]["priority"] = json!(1000);
    assert_eq!(w.bound(&higher), "node01", "a lower-priority nomination does not block");
}

#[test]
fn queue_sorts_by_priority_then_age() {
    let w = World::new(vec![]);
    let mut a = pod("a", json!({"priority": 5}));
    a["metadata"]["creationTimestamp"] = json!("2026-01-01T00:00:02Z");
    let mut b = pod("b", json!({"priority": 5}));
    b["metadata"]["creationTimestamp"] = json!("2026-01-01T00:00:01Z");
    let c = pod("c", json!({"priority": 9}));
    let snap = w.snapshot();
    let mut q = [&a, &b, &c];
    q.sort_by(|x, y| queue_order(x, y, &snap));
    let names: Vec<&str> = q.iter().map(|p| p["metadata"]["name"].as_str().unwrap_or_default()).collect();
    assert_eq!(names, vec!["c", "b", "a"]);
}
