//! One container's life in the kubelet: pull, create, start, run, exit, restart with back-off,
//! and the container status the kubelet reports at each step.
//!
//! Followed: `pkg/kubelet/images/image_manager.go` (pull policy, `Pulling`/`Pulled`/`Failed`
//! events, ErrImagePull then ImagePullBackOff with the image back-off), `pkg/kubelet/kuberuntime/
//! kuberuntime_container.go` (`Created container: c`, `Started container c`, StartError),
//! `kuberuntime_manager.go` `doBackOff` (CrashLoopBackOff, `Back-off restarting failed container
//! c in pod p_ns(uid)`), `client-go/util/flowcontrol/backoff.go` (10s doubling to 300s, reset
//! after twice the maximum), `pkg/kubelet/kubelet_pods.go` `convertToAPIContainerStatuses`.
//!
//! What the kubelet knows and the API does not (the current process, back-off entries) is kept
//! in a [`Record`] per container; the status is rendered from it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::host::images::{self, Reference};
use crate::host::runtime::{self, HORIZON, Process};
use crate::world::clock::format_rfc3339;

/// The container back-off's start and cap (`kubelet.go`: `backOffPeriod`, `MaxContainerBackOff`).
pub const BACKOFF_INITIAL: i64 = 10;
pub const BACKOFF_MAX: i64 = 300;

/// Where a container is in its life.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    /// Not created yet.
    #[default]
    New,
    /// Its env or volumes cannot be resolved (`CreateContainerConfigError`); retried each sync.
    ConfigError { message: String },
    /// The last pull failed at `at`; `shown` once the status moved on to ImagePullBackOff.
    PullFailed { error: String, at: i64, retry_at: i64, shown: bool },
    /// `imagePullPolicy: Never` and the image is not on the node.
    NeverPull,
    /// A process runs (or exited at `started + elapsed` if `exit` is set).
    Running { id: String, started: i64, exit: Option<i32>, elapsed: i64 },
    /// Exited and not restarted (restartPolicy says so).
    Exited,
    /// Exited, waiting for the crash back-off to end.
    BackOff { restart_at: i64 },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub state: State,
    pub restarts: i64,
    /// The last terminated instance (`lastState.terminated`, or `state.terminated` once Exited).
    pub last: Option<Value>,
    pub pull_failures: u32,
    /// The crash back-off entry: its current period and when it was last updated.
    pub backoff: i64,
    pub backoff_update: i64,
}

impl Record {
    /// When this container next changes by itself.
    pub fn due(&self) -> Option<i64> {
        match &self.state {
            State::PullFailed { at, retry_at, shown, .. } => Some(if *shown { *retry_at } else { at + 1 }),
            State::Running { exit: Some(_), started, elapsed, .. } => Some(started + elapsed),
            State::BackOff { restart_at } => Some(*restart_at),
            _ => None,
        }
    }
}

/// A kubelet event about the pod.
pub struct Event {
    pub ty: &'static str,
    pub reason: &'static str,
    pub message: String,
}

/// What one sync of a container needs to know about its pod and node.
pub struct Cx<'a> {
    pub now: i64,
    pub node: &'a str,
    pub pod_name: &'a str,
    pub pod_ip: &'a str,
    /// `format.Pod`: `name_namespace(uid)`.
    pub pod_ref: String,
    pub restart_policy: &'a str,
    pub init: bool,
}

/// The images a node holds (`node|docker.io/library/nginx:1.27`).
pub type NodeImages = BTreeSet<String>;

/// A deterministic number in `lo..hi` from a string (FNV-1a), for pull sizes and durations.
pub fn spread(text: &str, lo: u64, hi: u64) -> u64 {
    lo + fnv(text) % (hi - lo).max(1)
}

pub fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A duration as Go's `time.Duration.String` prints a millisecond-truncated one.
pub fn go_duration(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = format!("{}.{:03}", ms / 1000, ms % 1000);
    format!("{}s", secs.trim_end_matches('0').trim_end_matches('.'))
}

/// The `sha256:` digest a repository's image has, stable per image.
pub fn image_id(full: &str) -> String {
    let r = Reference::parse(full);
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(full.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    format!("{}@sha256:{hex}", r.name)
}

fn pull_policy(spec: &Value) -> String {
    let image = spec.get("image").and_then(Value::as_str).unwrap_or_default();
    match spec.get("imagePullPolicy").and_then(Value::as_str) {
        Some(p) if !p.is_empty() => p.to_string(),
        _ if Reference::parse(image).is_latest() => "Always".into(),
        _ => "IfNotPresent".into(),
    }
}

fn should_restart(policy: &str, code: i32, init: bool) -> bool {
    match policy {
        "Never" => false,
        // Init containers that succeed are done whatever the policy.
        "OnFailure" => code != 0,
        _ => !(init && code == 0),
    }
}

/// The env the container gets, already resolved by the pod sync (or why it cannot be).
pub type Env = Result<BTreeMap<String, String>, String>;

/// Advances one container as far as `cx.now` allows, collecting the events it records.
pub fn sync(cx: &Cx<'_>, spec: &Value, env: &Env, rec: &mut Record, images: &mut NodeImages, rng: &mut crate::world::Rng, events: &mut Vec<Event>) {
    let name = spec.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    let image = spec.get("image").and_then(Value::as_str).unwrap_or_default().to_string();
    // Each pass moves one step; a bound keeps a bug from spinning.
    for _ in 0..64 {
        let now = cx.now;
        match rec.state.clone() {
            State::New | State::ConfigError { .. } => start(cx, spec, env, rec, images, rng, events),
            State::PullFailed { retry_at, .. } if now >= retry_at => start(cx, spec, env, rec, images, rng, events),
            State::PullFailed { error, at, retry_at, shown: false } if now > at => {
                events.push(Event { ty: "Normal", reason: "BackOff", message: format!("Back-off pulling image \"{image}\"") });
                events.push(Event { ty: "Warning", reason: "Failed", message: "Error: ImagePullBackOff".into() });
                rec.state = State::PullFailed { error, at, retry_at, shown: true };
            }
            State::Running { id, started, exit: Some(code), elapsed } if now >= started + elapsed => {
                let finished = started + elapsed;
                let reason = if code == 0 { "Completed" } else { "Error" };
                rec.last = Some(json!({"containerID": id, "exitCode": code, "finishedAt": format_rfc3339(finished),
                    "reason": reason, "startedAt": format_rfc3339(started)}));
                exited(cx, &name, code, finished, rec, events);
            }
            State::BackOff { restart_at } if now >= restart_at => {
                // `Backoff.Next`: the period doubles, or starts over once it has been quiet for
                // twice the maximum.
                rec.backoff = if rec.backoff == 0 || now - rec.backoff_update > 2 * BACKOFF_MAX {
                    BACKOFF_INITIAL
                } else {
                    (rec.backoff * 2).min(BACKOFF_MAX)
                };
                rec.backoff_update = now;
                start(cx, spec, env, rec, images, rng, events);
            }
            _ => return,
        }
        // These wait for something other than time (a config map, a pod change).
        if matches!(rec.state, State::ConfigError { .. } | State::NeverPull | State::Exited) {
            return;
        }
    }
}

/// What happens when an instance exits at `finished`: restart at once, back off, or stay
/// terminated (`doBackOff`, `IsInBackOffSince`).
fn exited(cx: &Cx<'_>, name: &str, code: i32, finished: i64, rec: &mut Record, events: &mut Vec<Event>) {
    if !should_restart(cx.restart_policy, code, cx.init) {
        rec.state = State::Exited;
        return;
    }
    let entry = rec.backoff > 0 && finished - rec.backoff_update <= 2 * BACKOFF_MAX;
    if entry && cx.now - finished < rec.backoff {
        events.push(Event {
            ty: "Warning",
            reason: "BackOff",
            message: format!("Back-off restarting failed container {name} in pod {}", cx.pod_ref),
        });
        rec.state = State::BackOff { restart_at: finished + rec.backoff };
        return;
    }
    // Not in back-off: the container starts again now (`Next` runs as it does).
    if !entry {
        rec.backoff = 0;
    }
    rec.state = State::BackOff { restart_at: cx.now };
}

/// Pulls (as the policy says), creates and starts a new instance.
fn start(cx: &Cx<'_>, spec: &Value, env: &Env, rec: &mut Record, images: &mut NodeImages, rng: &mut crate::world::Rng, events: &mut Vec<Event>) {
    let now = cx.now;
    let name = spec.get("name").and_then(Value::as_str).unwrap_or_default();
    let image = spec.get("image").and_then(Value::as_str).unwrap_or_default();
    let full = Reference::parse(image).full();
    let key = format!("{}|{full}", cx.node);
    let policy = pull_policy(spec);
    let present = images.contains(&key);
    let env = match env {
        Ok(e) => e,
        Err(message) => {
            if rec.state != (State::ConfigError { message: message.clone() }) {
                events.push(Event { ty: "Warning", reason: "Failed", message: format!("Error: {message}") });
            }
            rec.state = State::ConfigError { message: message.clone() };
            return;
        }
    };
    if policy == "Never" && !present {
        if rec.state != State::NeverPull {
            events.push(Event {
                ty: "Warning",
                reason: "ErrImageNeverPull",
                message: format!("Container image \"{image}\" is not present with pull policy of Never"),
            });
            events.push(Event { ty: "Warning", reason: "Failed", message: "Error: ErrImageNeverPull".into() });
        }
        rec.state = State::NeverPull;
        return;
    }
    if policy == "Always" || !present {
        events.push(Event { ty: "Normal", reason: "Pulling", message: format!("Pulling image \"{image}\"") });
        if let Some(error) = images::pull_error(image) {
            rec.pull_failures += 1;
            let backoff = (BACKOFF_INITIAL << (rec.pull_failures - 1).min(6)).min(BACKOFF_MAX);
            events.push(Event { ty: "Warning", reason: "Failed", message: format!("Failed to pull image \"{image}\": {error}") });
            events.push(Event { ty: "Warning", reason: "Failed", message: "Error: ErrImagePull".into() });
            rec.state = State::PullFailed { error, at: now, retry_at: now + backoff, shown: false };
            return;
        }
        let size = images::lookup(image).map_or(0, |i| i.size);
        // A pull of an image the node already holds only checks the manifest.
        let ms = if present { spread(&format!("{image}#{}", rec.restarts), 180, 900) } else { spread(image, 800, 6000) };
        let d = go_duration(ms);
        events.push(Event {
            ty: "Normal",
            reason: "Pulled",
            message: format!("Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {size} bytes."),
        });
        images.insert(key);
    } else {
        events.push(Event { ty: "Normal", reason: "Pulled", message: format!("Container image \"{image}\" already present on machine") });
    }
    rec.pull_failures = 0;
    let Some(img) = images::lookup(image) else { return };
    let restarted = rec.last.is_some();
    if restarted {
        rec.restarts += 1;
    }
    let id = format!("containerd://{}", (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect::<String>());
    events.push(Event { ty: "Normal", reason: "Created", message: format!("Created container: {name}") });
    let command = strings(spec, "command", env);
    let args = strings(spec, "args", env);
    let p = Process { image: img, command: &command, args: &args, env, hostname: cx.pod_name, pod_ip: cx.pod_ip, seed: fnv(&id), started: now };
    let run = runtime::run(&p, now + HORIZON);
    if let Some(error) = run.start_error {
        events.push(Event { ty: "Warning", reason: "Failed", message: format!("Error: {error}") });
        rec.last = Some(json!({"containerID": id, "exitCode": 128, "finishedAt": format_rfc3339(now), "message": error,
            "reason": "StartError", "startedAt": "1970-01-01T00:00:00Z"}));
        exited(cx, name, 128, now, rec, events);
        return;
    }
    events.push(Event { ty: "Normal", reason: "Started", message: format!("Started container {name}") });
    rec.state = State::Running { id, started: now, exit: run.exit, elapsed: run.elapsed };
}

/// `command` or `args` of a container with `$(VAR)` expanded.
pub fn strings(spec: &Value, field: &str, env: &BTreeMap<String, String>) -> Vec<String> {
    spec.get(field)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(|s| runtime::expand(s, env)).collect())
        .unwrap_or_default()
}

/// The container status the kubelet reports for a record (`convertToAPIContainerStatuses`).
/// `pending` is the waiting reason of a container not created yet (ContainerCreating, or
/// PodInitializing while init containers run).
pub fn status(cx: &Cx<'_>, spec: &Value, rec: &Record, pending: &str) -> Value {
    let image = spec.get("image").and_then(Value::as_str).unwrap_or_default();
    let full = Reference::parse(image).full();
    let mut s = Map::new();
    if let Some(req) = spec.pointer("/resources/requests")
        && req.as_object().is_some_and(|m| !m.is_empty())
    {
        s.insert("allocatedResources".into(), req.clone());
    }
    let last_id = rec.last.as_ref().and_then(|l| l.get("containerID")).cloned();
    let (id, state, ready, started) = match &rec.state {
        State::New => (None, json!({"waiting": {"reason": pending}}), false, false),
        State::ConfigError { message } => (None, json!({"waiting": {"message": message, "reason": "CreateContainerConfigError"}}), false, false),
        State::PullFailed { error, shown: false, .. } => (None, json!({"waiting": {"message": error, "reason": "ErrImagePull"}}), false, false),
        State::PullFailed { error, shown: true, .. } => (
            None,
            json!({"waiting": {"message": format!("Back-off pulling image \"{image}\": ErrImagePull: {error}"), "reason": "ImagePullBackOff"}}),
            false,
            false,
        ),
        State::NeverPull => (
            None,
            json!({"waiting": {"message": format!("Container image \"{image}\" is not present with pull policy of Never"), "reason": "ErrImageNeverPull"}}),
            false,
            false,
        ),
        State::Running { id, started, .. } => {
            (Some(json!(id)), json!({"running": {"startedAt": format_rfc3339(*started)}}), !cx.init, true)
        }
        State::Exited => (last_id.clone(), json!({"terminated": rec.last.clone().unwrap_or(Value::Null)}), false, false),
        State::BackOff { .. } => (
            last_id.clone(),
            json!({"waiting": {"message": format!("back-off {} restarting failed container={} pod={}", go_backoff(rec.backoff), spec.get("name").and_then(Value::as_str).unwrap_or_default(), cx.pod_ref), "reason": "CrashLoopBackOff"}}),
            false,
            false,
        ),
    };
    let created = id.is_some();
    if let Some(id) = id {
        s.insert("containerID".into(), id);
    }
    s.insert("image".into(), json!(if created { full.clone() } else { image.to_string() }));
    s.insert("imageID".into(), json!(if created { image_id(&full) } else { String::new() }));
    let last_state = match (&rec.state, &rec.last) {
        (State::Exited, _) | (_, None) => json!({}),
        (_, Some(l)) => json!({"terminated": l}),
    };
    s.insert("lastState".into(), last_state);
    s.insert("name".into(), spec.get("name").cloned().unwrap_or(Value::Null));
    s.insert("ready".into(), json!(ready));
    if spec.get("resources").and_then(Value::as_object).is_some_and(|m| !m.is_empty()) {
        s.insert("resources".into(), spec["resources"].clone());
    }
    s.insert("restartCount".into(), json!(rec.restarts));
    s.insert("started".into(), json!(started));
    s.insert("state".into(), state);
    if created {
        s.insert("user".into(), json!({"linux": {"gid": 0, "supplementalGroups": [0], "uid": 0}}));
    }
    if let Some(mounts) = spec.get("volumeMounts").and_then(Value::as_array) {
        let shown: Vec<Value> = mounts
            .iter()
            .map(|m| {
                let mut x = json!({"mountPath": m["mountPath"], "name": m["name"]});
                if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                    x["readOnly"] = json!(true);
                    x["recursiveReadOnly"] = json!("Disabled");
                }
                x
            })
            .collect();
        s.insert("volumeMounts".into(), Value::Array(shown));
    }
    Value::Object(s)
}

/// A back-off period as Go prints a `time.Duration` of whole seconds (`10s`, `2m40s`, `5m0s`).
pub fn go_backoff(secs: i64) -> String {
    if secs < 60 { format!("{secs}s") } else { format!("{}m{}s", secs / 60, secs % 60) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(now: i64, policy: &'static str) -> Cx<'static> {
        Cx { now, node: "node01", pod_name: "p", pod_ip: "10.244.1.2", pod_ref: "p_default(u)".into(), restart_policy: policy, init: false }
    }

    fn drive(spec: &Value, policy: &'static str, times: &[i64]) -> (Record, Vec<String>) {
        let mut rec = Record::default();
        let mut images = NodeImages::new();
        let mut rng = crate::world::Rng::new(1);
        let mut reasons = Vec::new();
        for t in times {
            let mut ev = Vec::new();
            sync(&cx(*t, policy), spec, &Ok(BTreeMap::new()), &mut rec, &mut images, &mut rng, &mut ev);
            reasons.extend(ev.into_iter().map(|e| e.reason.to_string()));
        }
        (rec, reasons)
    }

    #[test]
    fn a_crashing_container_backs_off_doubling() {
        let spec = json!({"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]});
        let (rec, _) = drive(&spec, "Always", &[0]);
        assert_eq!((rec.restarts, rec.state.clone()), (1, State::BackOff { restart_at: 10 }));
        let (rec, _) = drive(&spec, "Always", &[0, 10, 30, 70]);
        assert_eq!((rec.restarts, rec.state.clone(), rec.backoff), (4, State::BackOff { restart_at: 150 }, 80));
        let st = status(&cx(70, "Always"), &spec, &rec, "ContainerCreating");
        assert_eq!(st.pointer("/state/waiting/reason"), Some(&json!("CrashLoopBackOff")));
        assert_eq!(st.pointer("/lastState/terminated/exitCode"), Some(&json!(1)));
    }

    #[test]
    fn never_and_on_failure_keep_the_exit() {
        let ok = json!({"name": "c", "image": "busybox", "command": ["echo", "done"]});
        let (rec, _) = drive(&ok, "OnFailure", &[0]);
        assert_eq!(rec.state, State::Exited);
        let st = status(&cx(0, "OnFailure"), &ok, &rec, "ContainerCreating");
        assert_eq!(st.pointer("/state/terminated/reason"), Some(&json!("Completed")));
        let sleeper = json!({"name": "c", "image": "busybox", "command": ["sleep", "30"]});
        let (rec, _) = drive(&sleeper, "Never", &[0, 29]);
        assert!(matches!(rec.state, State::Running { .. }));
        let (rec, _) = drive(&sleeper, "Never", &[0, 30]);
        assert_eq!(rec.state, State::Exited);
    }

    #[test]
    fn a_missing_image_goes_from_err_image_pull_to_back_off() {
        let spec = json!({"name": "c", "image": "nginx:nope"});
        let (rec, reasons) = drive(&spec, "Always", &[0]);
        assert_eq!(reasons, ["Pulling", "Failed", "Failed"]);
        assert!(matches!(rec.state, State::PullFailed { shown: false, .. }));
        let (rec, reasons) = drive(&spec, "Always", &[0, 1]);
        assert_eq!(reasons.last().map(String::as_str), Some("Failed"));
        assert!(matches!(rec.state, State::PullFailed { shown: true, retry_at: 10, .. }));
    }

    #[test]
    fn backoff_periods_print_like_go() {
        assert_eq!(go_backoff(10), "10s");
        assert_eq!(go_backoff(160), "2m40s");
        assert_eq!(go_backoff(300), "5m0s");
        assert_eq!(go_duration(1200), "1.2s");
    }
}
