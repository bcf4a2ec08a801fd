//! The programs a learner can run, each one module with one entry point: arguments, stdin and the
//! world in; stdout, stderr and an exit status out. Programs reach clusters only through the API
//! server interface, as real clients do over REST.

pub mod coreutils;
pub mod kubectl;

use std::collections::BTreeMap;

use crate::host::{Fs, fs};
use crate::world::World;

/// Which stream a chunk of output was written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What a program wrote, in the order it wrote it, so a terminal shows stdout and stderr
/// interleaved exactly as a real one would.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<(Stream, Vec<u8>)>,
}

impl Output {
    pub fn out(&mut self, data: impl AsRef<[u8]>) {
        self.push(Stream::Stdout, data.as_ref());
    }

    pub fn err(&mut self, data: impl AsRef<[u8]>) {
        self.push(Stream::Stderr, data.as_ref());
    }

    pub fn push(&mut self, stream: Stream, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((s, buf)) if *s == stream => buf.extend_from_slice(data),
            _ => self.chunks.push((stream, data.to_vec())),
        }
    }

    /// Everything written to one stream.
    pub fn bytes(&self, stream: Stream) -> Vec<u8> {
        self.chunks.iter().filter(|(s, _)| *s == stream).flat_map(|(_, d)| d.iter().copied()).collect()
    }

    pub fn stdout_string(&self) -> String {
        String::from_utf8_lossy(&self.bytes(Stream::Stdout)).into_owned()
    }

    pub fn stderr_string(&self) -> String {
        String::from_utf8_lossy(&self.bytes(Stream::Stderr)).into_owned()
    }

    pub fn append(&mut self, other: Output) {
        for (s, d) in other.chunks {
            self.push(s, &d);
        }
    }
}

/// A request to run a command line in a fresh subshell (for `ssh host cmd`, `xargs`, `watch`,
/// editors named by `$EDITOR` …). The shell module provides the implementation.
pub struct SubshellRequest<'r> {
    pub host: &'r str,
    pub cwd: &'r str,
    pub env: &'r BTreeMap<String, String>,
    pub line: &'r str,
    pub stdin: &'r [u8],
}

pub type SubshellFn = fn(&mut World, &SubshellRequest<'_>) -> (Output, i32);

/// Everything a program may touch while it runs.
pub struct Ctx<'a> {
    pub world: &'a mut World,
    /// The host the program runs on.
    pub host: String,
    pub cwd: String,
    /// The program's environment (exported variables plus `VAR=x` prefixes).
    pub env: &'a BTreeMap<String, String>,
    pub stdin: &'a [u8],
    pub out: &'a mut Output,
    pub subshell: SubshellFn,
}

impl Ctx<'_> {
    /// The filesystem of the host the program runs on.
    pub fn fs(&mut self) -> &mut Fs {
        let host = self.host.clone();
        &mut self.world.hosts.get_mut(&host).expect("a program always runs on an existing host").fs
    }

    /// An absolute path for `path` relative to the working directory (`~` is expanded by the shell).
    pub fn resolve(&self, path: &str) -> String {
        fs::resolve(&self.cwd, path)
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.env.get(name).map(String::as_str)
    }

    /// Runs a command line in a subshell on the same host and directory, with this environment.
    pub fn run_subshell(&mut self, line: &str, stdin: &[u8]) -> (Output, i32) {
        let host = self.host.clone();
        let cwd = self.cwd.clone();
        let req = SubshellRequest { host: &host, cwd: &cwd, env: self.env, line, stdin };
        (self.subshell)(self.world, &req)
    }
}

pub type RunFn = fn(&mut Ctx<'_>, &[String]) -> i32;

/// One entry of the program table: help, completion and `which` come from here.
pub struct Program {
    pub name: &'static str,
    /// Where `which` says it lives.
    pub path: &'static str,
    pub summary: &'static str,
    pub run: RunFn,
}

/// Every program on the simulated hosts' PATH, sorted by name.
pub fn table() -> &'static [Program] {
    static TABLE: std::sync::OnceLock<Vec<Program>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t =
            vec![Program { name: "kubectl", path: "/usr/bin/kubectl", summary: "the Kubernetes command-line client", run: kubectl::run }];
        t.extend(coreutils::programs());
        t.sort_by_key(|p| p.name);
        t
    })
}

pub fn find(name: &str) -> Option<&'static Program> {
    table().iter().find(|p| p.name == name)
}
