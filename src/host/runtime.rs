//! The container runtime (containerd's part of the node): runs one container's process and says
//! what it printed, whether it has exited and with which code, up to a moment of its life.
//!
//! A process is its argv (the pod's command/args over the image's ENTRYPOINT/CMD, as
//! `pkg/kubelet/kuberuntime/kuberuntime_container.go` and the OCI image config combine them).
//! A server program of the image (nginx, redis-server …) runs until stopped and prints the
//! image's startup lines; anything else runs through the shell engine in a sandbox world of its
//! own whose clock starts when the container starts, so `sleep` inside it takes its simulated
//! time. Running the same process to a later moment reproduces the same output (the sandbox is
//! seeded by the container's ID), which is how logs are read at any time without storing them.
//!
//! This is the one place the host layer calls into the shell engine: a container's command is
//! a program like any the learner runs.

use std::collections::BTreeMap;

use super::images::Image;
use crate::host::Host;
use crate::world::World;
use crate::world::clock::civil;

/// How long after its start a process is run to find out whether it exits: one that is still
/// running a day later is taken to run until stopped.
pub const HORIZON: i64 = 86_400;

/// What the runtime is asked to run.
pub struct Process<'a> {
    pub image: &'a Image,
    /// The container's `command` and `args` after `$(VAR)` expansion.
    pub command: &'a [String],
    pub args: &'a [String],
    pub env: &'a BTreeMap<String, String>,
    /// The pod's name (the container's hostname).
    pub hostname: &'a str,
    pub pod_ip: &'a str,
    /// Seeds the sandbox (the container's ID), so reruns reproduce the run.
    pub seed: u64,
    pub started: i64,
}

/// What a process did up to the moment it was run to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// stdout and stderr as the container log holds them, interleaved.
    pub output: String,
    /// The exit code, or `None` while it still runs.
    pub exit: Option<i32>,
    /// Seconds from start to exit (or to the moment it was run to).
    pub elapsed: i64,
    /// The runtime could not start the process (`StartError`, exit code 128), with why.
    pub start_error: Option<String>,
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh"];

fn basename(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// The argv a container runs: the pod's command replaces the image's ENTRYPOINT (and drops its
/// CMD), args alone replace the CMD (`docker-entrypoint.sh` images keep their entrypoint).
pub fn argv(image: &Image, command: &[String], args: &[String]) -> Vec<String> {
    if !command.is_empty() {
        return command.iter().chain(args).cloned().collect();
    }
    if args.is_empty() {
        return image.command.clone();
    }
    match image.command.first() {
        Some(e) if basename(e).ends_with("entrypoint.sh") => std::iter::once(e.clone()).chain(args.iter().cloned()).collect(),
        _ => args.to_vec(),
    }
}

/// Runs the process from its start up to `until` (Unix seconds).
pub fn run(p: &Process<'_>, until: i64) -> Run {
    let mut argv = argv(p.image, p.command, p.args);
    // An entrypoint script hands a command it does not know to `exec "$@"`.
    if argv.len() > 1 && basename(&argv[0]).ends_with("entrypoint.sh") && !p.image.servers.iter().any(|s| *s == argv[1]) {
        argv.remove(0);
    }
    let Some(first) = argv.first().cloned() else {
        return Run { output: String::new(), exit: Some(0), elapsed: 0, start_error: None };
    };
    if p.image.servers.iter().any(|s| *s == first || basename(s) == basename(&first) && first.contains('/')) {
        return serve(p, until);
    }
    let name = basename(&first).to_string();
    let known = crate::shell::builtins::find(&name).is_some() || crate::programs::find(&name).is_some();
    if !known {
        return Run {
            output: String::new(),
            exit: Some(128),
            elapsed: 0,
            start_error: Some(format!(
                "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{first}\": executable file not found in $PATH: unknown"
            )),
        };
    }
    // A shell without a script reads its standard input, which a container without `stdin:
    // true` does not have: it exits at once.
    if SHELLS.contains(&name.as_str()) && argv.len() == 1 {
        return Run { output: String::new(), exit: Some(0), elapsed: 0, start_error: None };
    }
    argv[0] = name;
    let line = argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ");
    sandboxed(p, &line, until)
}

/// Single-quotes a word for the shell unless it is plain.
fn quote(a: &str) -> String {
    if !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c)) {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "'\\''"))
    }
}

fn sandboxed(p: &Process<'_>, line: &str, until: i64) -> Run {
    let mut world = World::new(p.seed);
    world.clock.now = p.started;
    world.deadline = Some(until.max(p.started));
    let mut host = Host::new(p.hostname, None, p.pod_ip);
    for dir in ["/root", "/tmp", "/etc", "/bin", "/usr/bin", "/var/log", "/home"] {
        let _ = host.fs.mkdir_all(dir);
    }
    host.fs.put("/etc/hostname", format!("{}\n", p.hostname));
    host.fs.put("/etc/hosts", format!("127.0.0.1\tlocalhost\n{}\t{}\n", p.pod_ip, p.hostname));
    world.hosts.insert(p.hostname.to_string(), host);
    let mut session = crate::shell::Session::new(p.hostname);
    session.set_cwd("/");
    for (k, v) in p.env {
        session.export(k, v);
    }
    let (out, status) = crate::shell::run_script(&mut world, &mut session, line);
    let mut output = String::new();
    for (_, chunk) in &out.chunks {
        output.push_str(&String::from_utf8_lossy(chunk));
    }
    let elapsed = world.clock.now - p.started;
    // A script the deadline stopped still runs at that moment (one that ended just as the
    // deadline came counts as running too: the sandbox cannot tell them apart).
    let exit = if world.past_deadline() { None } else { Some(status) };
    Run { output, exit, elapsed, start_error: None }
}

/// A server: its startup lines, then it runs until stopped, unless it needs a variable the
/// container does not set.
fn serve(p: &Process<'_>, until: i64) -> Run {
    let img = p.image;
    let refuses = !img.needs_env.is_empty() && !img.needs_env.iter().any(|k| p.env.get(k).is_some_and(|v| !v.is_empty()));
    let text = if refuses { &img.refusal } else { &img.logs };
    let output = template(text, p);
    if refuses {
        return Run { output, exit: Some(1), elapsed: 0, start_error: None };
    }
    Run { output, exit: None, elapsed: (until - p.started).max(0), start_error: None }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// Fills the catalogue's placeholders with the start time, pod IP and image version.
fn template(text: &str, p: &Process<'_>) -> String {
    let (y, mo, d, h, mi, s) = civil(p.started);
    let month = MONTHS[((mo - 1).clamp(0, 11)) as usize];
    let day = DAYS[p.started.div_euclid(86_400).rem_euclid(7) as usize];
    text.replace("{date}", &format!("{y:04}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02}"))
        .replace("{redis}", &format!("{d:02} {month} {y} {h:02}:{mi:02}:{s:02}.000"))
        .replace("{apache}", &format!("{day} {month} {d:02} {h:02}:{mi:02}:{s:02}.000000 {y}"))
        .replace("{ip}", p.pod_ip)
        .replace("{version}", &p.image.version)
}

/// Expands `$(VAR)` in a command or argument from the container's environment, as the kubelet
/// does (`third_party/forked/golang/expansion`): `$$` escapes, unknown names stay as written.
pub fn expand(text: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(a) = after.strip_prefix('$') {
            out.push('$');
            rest = a;
        } else if let Some(inner) = after.strip_prefix('(')
            && let Some(end) = inner.find(')')
        {
            let name = &inner[..end];
            match env.get(name) {
                Some(v) => out.push_str(v),
                None => out.push_str(&format!("$({name})")),
            }
            rest = &inner[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::images::lookup;

    fn run_cmd(image: &str, command: &[&str], until: i64) -> Run {
        let img = lookup(image).expect("catalogue image");
        let command: Vec<String> = command.iter().map(|s| s.to_string()).collect();
        let env = BTreeMap::new();
        let p = Process { image: img, command: &command, args: &[], env: &env, hostname: "p", pod_ip: "10.244.1.2", seed: 7, started: 1000 };
        run(&p, until)
    }

    #[test]
    fn a_shell_command_prints_and_sleeps_on_its_own_clock() {
        let r = run_cmd("busybox", &["sh", "-c", "echo hello; sleep 3600; echo bye"], 1000 + HORIZON);
        assert_eq!((r.output.as_str(), r.exit, r.elapsed), ("hello\nbye\n", Some(0), 3600));
        let early = run_cmd("busybox", &["sh", "-c", "echo hello; sleep 3600; echo bye"], 1010);
        assert_eq!((early.output.as_str(), early.exit), ("hello\n", None));
    }

    #[test]
    fn exit_codes_and_missing_executables() {
        assert_eq!(run_cmd("busybox", &["/bin/sh", "-c", "exit 3"], 1000 + HORIZON).exit, Some(3));
        let r = run_cmd("busybox", &["nosuchthing"], 1000 + HORIZON);
        assert_eq!(r.exit, Some(128));
        assert!(r.start_error.is_some());
        assert_eq!(run_cmd("busybox", &[], 1000 + HORIZON).exit, Some(0));
    }

    #[test]
    fn servers_run_until_stopped() {
        let r = run_cmd("nginx", &[], 1100);
        assert_eq!(r.exit, None);
        assert!(r.output.contains("Configuration complete; ready for start up"));
        let r = run_cmd("postgres:16", &[], 1100);
        assert_eq!(r.exit, Some(1));
    }

    #[test]
    fn dollar_paren_expansion() {
        let env: BTreeMap<String, String> = [("A".to_string(), "x".to_string())].into();
        assert_eq!(expand("$(A)-$(B)-$$(A)", &env), "x-$(B)-$(A)");
    }
}
