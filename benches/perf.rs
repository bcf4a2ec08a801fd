//! `cargo bench`: the figures the README quotes. A small harness of our own (median of repeated
//! runs) keeps the dev-dependency tree light; each figure prints as a Markdown table row.
//!
//! - one `kubetutor sh --state FILE -c 'kubectl get nodes'` process (load + command + save),
//!   side by side with one real `kubectl version --client` process when the reference kubectl is
//!   available (`KUBETUTOR_REFERENCE_KUBECTL`, else `../shared/tools/reference-kubectl`);
//! - building the default world;
//! - `kubectl get pods -A` over 1,000 and 10,000 pods;
//! - `kubectl apply -f` of a 100-object manifest.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use kubetutor::cluster::{Registry, UserInfo, WriteOptions};
use kubetutor::shell::{self, Session};
use kubetutor::world::{World, scenario};
use serde_json::json;

/// Median wall time of `runs` calls of `f` (after one warm-up call).
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The optional filters (`cargo bench -- get world`): only the groups they name run.
fn wanted(key: &str) -> bool {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    filters.is_empty() || filters.iter().any(|f| key.contains(f.as_str()))
}

fn row(what: &str, d: Duration, note: &str) {
    println!("| {what} | {:.3} ms | {note} |", d.as_secs_f64() * 1000.0);
}

fn world_with_pods(n: usize) -> World {
    let mut world = scenario::build("default").expect("default world");
    let res = Registry::builtin().lookup("pods").expect("pods resource").clone();
    let ns_res = Registry::builtin().lookup("namespaces").expect("namespaces resource").clone();
    let mut api = world.api("kubernetes").expect("cluster");
    for ns in ["web", "batch"] {
        let obj = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}});
        api.create(&UserInfo::system(), &ns_res, None, obj, &WriteOptions::default()).expect("namespace created");
    }
    for i in 0..n {
        let ns = ["default", "web", "batch", "kube-system"][i % 4];
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": format!("pod-{i:05}"), "namespace": ns, "labels": {"app": format!("app-{}", i % 10)}},
            "spec": {"nodeName": "node01", "containers": [{"name": "c", "image": "nginx:1.27"}]},
            "status": {"phase": "Running"}});
        api.create(&UserInfo::system(), &res, Some(ns), pod, &WriteOptions::default()).expect("pod created");
    }
    world
}

fn run(world: &mut World, line: &str) -> i32 {
    let mut session = Session::new("controlplane");
    shell::run_script(world, &mut session, line).1
}

fn reference_kubectl() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KUBETUTOR_REFERENCE_KUBECTL") {
        return Some(PathBuf::from(p));
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/reference-kubectl");
    let out = Command::new(script).output().ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    (out.status.success() && path.exists()).then_some(path)
}

/// One `kubetutor sh` process with and without a state file, beside a real kubectl process.
fn processes(dir: &std::path::Path) {
    let state = dir.join("state.json");
    let bin = env!("CARGO_BIN_EXE_kubetutor");
    let sh = median(30, || {
        let out = Command::new(bin).args(["sh", "--state"]).arg(&state).args(["-c", "kubectl get nodes"]).output().expect("kubetutor runs");
        black_box(out);
    });
    row("`kubetutor sh --state F -c 'kubectl get nodes'` (process)", sh, "load + run + save");
    let fresh = median(30, || {
        black_box(Command::new(bin).args(["sh", "-c", "kubectl get nodes"]).output().expect("kubetutor runs"));
    });
    row("`kubetutor sh -c 'kubectl get nodes'` (process, no state file)", fresh, "builds the default world first");
    if let Some(kubectl) = reference_kubectl() {
        let real = median(30, || {
            black_box(Command::new(&kubectl).args(["version", "--client"]).output().expect("kubectl runs"));
        });
        row(
            "real `kubectl version --client` (process)",
            real,
            &format!("kubetutor is {:.1}× faster", real.as_secs_f64() / sh.as_secs_f64()),
        );
    } else {
        println!("| real kubectl | n/a | reference kubectl not available |");
    }
}

/// `kubectl apply -f` of 100 ConfigMaps into a copy of the default world.
fn apply_manifest() {
    let mut manifest = String::new();
    for i in 0..100 {
        manifest.push_str(&format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:03}\ndata:\n  key: value-{i}\n"));
    }
    let mut base = scenario::build("default").expect("default world");
    if let Some(host) = base.hosts.get_mut("controlplane") {
        host.fs.put("/root/objects.yaml", manifest);
    }
    let d = median(15, || {
        let mut world = base.clone();
        black_box(run(&mut world, "kubectl apply -f /root/objects.yaml"));
    });
    row("`kubectl apply -f` of 100 objects", d, "includes copying the world");
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments filter the rows by key.
    println!("| what | median | note |\n|---|---|---|");

    let dir = std::env::temp_dir().join(format!("kubetutor-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    if wanted("process") {
        processes(&dir);
    }
    if wanted("world") {
        row("build the default world from nothing", median(100, || drop(black_box(scenario::build_uncached("default")))), "");
        row("copy the default world", median(200, || drop(black_box(scenario::build("default")))), "what every later fresh world costs");
    }
    if wanted("get") {
        for n in [1_000, 10_000] {
            let mut world = world_with_pods(n);
            let d = median(15, || {
                black_box(run(&mut world, "kubectl get pods -A"));
            });
            row(&format!("`kubectl get pods -A` over {n} pods"), d, &format!("{:.2} µs per pod", d.as_secs_f64() * 1e6 / n as f64));
        }
    }
    if wanted("apply") {
        apply_manifest();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
