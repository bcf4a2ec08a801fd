//! Runs command trees: lists, pipelines (each stage's stdout becomes the next one's stdin),
//! redirections, compound commands, and dispatch to functions, builtins and the program table.

use std::collections::BTreeMap;

use super::builtins;
use super::lexer::{Part, RedirOp, Word};
use super::parser::{self, AndOr, Command, List, Pipeline, Redir, RedirTarget, Simple};
use super::session::Session;
use crate::host::FsError;
use crate::programs::{self, Ctx, Output, Stream};
use crate::world::World;

/// Where one output stream of a command goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// To the enclosing context's stream (the terminal, a pipe or a capture).
    Parent(Stream),
    /// Appended to a file on a host.
    File {
        host: String,
        path: String,
    },
    Null,
}

/// Nesting bound for functions, substitutions and sourced files.
const MAX_DEPTH: usize = 64;

/// The executor: the world, the session it runs in, and per-run state.
pub struct Shell<'w> {
    pub world: &'w mut World,
    pub session: &'w mut Session,
    /// `$1 …` (inside functions and sourced files).
    pub positional: Vec<String>,
    /// Set by `exit`: stops the current run.
    pub exit: Option<i32>,
    /// Set by `return`: stops the current function or sourced file.
    pub returning: bool,
    /// Status of the last command substitution (the status of a command that has only assignments).
    pub sub_status: Option<i32>,
    pub depth: usize,
    /// Paths of process substitutions to remove after the command.
    pub temp_files: Vec<(String, String)>,
    pub next_fd: u32,
    /// Enclosing loops, and pending `break N` / `continue N` levels.
    pub loops: u32,
    pub breaking: u32,
    pub continuing: u32,
    /// `$0` when a script or `bash -c … NAME` set it.
    pub arg0: Option<String>,
    /// How far `read` has consumed each input it was given (keyed by the input's address).
    pub read_offsets: std::collections::HashMap<(usize, usize), usize>,
    /// The learner's terminal shell (job notices, errors that abort only the current line).
    pub interactive: bool,
    /// Set by an expansion error (`${x:?}`, `set -u`): the rest of the line is not run.
    pub aborted: bool,
    /// While above 0, a failing command does not trigger `set -e` (conditions, `&&` lists, `!`).
    pub errexit_off: u32,
    /// Subshell nesting, for the repeated `+` of `set -x` traces.
    pub subshell_level: usize,
    /// Started as `bash -c` (the `c` of `$-`).
    pub dash_c: bool,
    /// For each running function, the variables `local` shadowed and their outer values.
    pub locals: Vec<Vec<(String, Saved)>>,
    /// A program (not a builtin) ran in the current pipeline: bash reports finished jobs after
    /// waiting for a foreground process.
    pub ran_program: bool,
}

/// A variable's value before `local` shadowed it.
#[derive(Debug, Clone)]
pub enum Saved {
    Unset,
    Scalar(String),
    Array(super::session::Array),
}

/// What a subshell takes over from its parent shell.
struct Inherited {
    positional: Vec<String>,
    depth: usize,
    subshell_level: usize,
    errexit_off: u32,
    arg0: Option<String>,
}

/// The process id bash would print for the first background job (then counting up).
const FIRST_PID: u32 = 4243;

/// Shells are at most this deep in loops; programs never block, so an endless loop would hang.
const MAX_LOOP: usize = 10_000;

impl<'w> Shell<'w> {
    pub fn new(world: &'w mut World, session: &'w mut Session) -> Self {
        Shell {
            world,
            session,
            positional: Vec::new(),
            exit: None,
            returning: false,
            sub_status: None,
            depth: 0,
            temp_files: Vec::new(),
            next_fd: 63,
            loops: 0,
            breaking: 0,
            continuing: 0,
            arg0: None,
            read_offsets: Default::default(),
            interactive: false,
            aborted: false,
            errexit_off: 0,
            subshell_level: 0,
            dash_c: false,
            locals: Vec::new(),
            ran_program: false,
        }
    }

    /// A child shell for `( … )`, `$( … )` and pipeline stages: a copy of this one's state.
    fn inherited(&self) -> Inherited {
        Inherited {
            positional: self.positional.clone(),
            depth: self.depth + 1,
            subshell_level: self.subshell_level + 1,
            errexit_off: self.errexit_off,
            arg0: self.arg0.clone(),
        }
    }

    fn child<'c>(world: &'c mut World, session: &'c mut Session, from: Inherited) -> Shell<'c> {
        let mut inner = Shell::new(world, session);
        inner.positional = from.positional;
        inner.depth = from.depth;
        inner.subshell_level = from.subshell_level;
        inner.errexit_off = from.errexit_off;
        inner.arg0 = from.arg0;
        inner
    }

    /// A newly opened input starts at its beginning, even if an old buffer had the same address.
    fn fresh_input(&mut self, data: &[u8]) {
        self.read_offsets.remove(&(data.as_ptr() as usize, data.len()));
    }

    fn stopped(&self) -> bool {
        self.exit.is_some() || self.aborted || self.returning || self.breaking > 0 || self.continuing > 0
    }

    /// Runs the `trap … EXIT` action as the shell ends; returns the shell's final status
    /// (`exit` inside the trap changes it).
    pub fn run_exit_trap(&mut self, status: i32, out: &mut Output) -> i32 {
        let Some(action) = self.session.frame_mut().traps.remove("EXIT") else { return status };
        self.exit = None;
        self.aborted = false;
        self.returning = false;
        self.set_status(status);
        self.run_source(&action, b"", out);
        self.exit.take().unwrap_or(status)
    }

    /// An expansion error: an interactive shell abandons the line, any other shell exits.
    pub fn fatal(&mut self, status: i32) {
        if self.interactive {
            self.aborted = true;
        } else {
            self.exit = Some(status);
        }
        self.set_status(status);
    }

    /// After a loop body: whether `break` ends this loop (consuming one level of `break N` /
    /// `continue N`, the rest propagate outwards).
    fn loop_should_end(&mut self) -> bool {
        if self.breaking > 0 {
            self.breaking -= 1;
            return true;
        }
        if self.continuing > 0 {
            self.continuing -= 1;
            return self.continuing > 0;
        }
        self.exit.is_some() || self.aborted || self.returning
    }

    pub fn set_status(&mut self, status: i32) {
        self.session.frame_mut().last_status = status;
    }

    pub fn run_list(&mut self, list: &List, stdin: &[u8], out: &mut Output) -> i32 {
        let mut status = self.session.frame().last_status;
        for item in &list.items {
            if self.stopped() {
                break;
            }
            status = if item.background { self.run_background(item, stdin, out) } else { self.run_and_or(item, stdin, out) };
        }
        status
    }

    fn run_and_or(&mut self, item: &AndOr, stdin: &[u8], out: &mut Output) -> i32 {
        // Only the last pipeline of an `&&`/`||` list can trigger `set -e`.
        let n = item.rest.len();
        let guard = |sh: &mut Self, last: bool| {
            if !last {
                sh.errexit_off += 1;
            }
        };
        guard(self, n == 0);
        let mut status = self.run_pipeline(&item.first, stdin, out);
        if n > 0 {
            self.errexit_off -= 1;
        }
        let mut ran_last = n == 0;
        let mut negated = item.first.negated;
        for (i, (and, p)) in item.rest.iter().enumerate() {
            if self.stopped() {
                break;
            }
            if (*and && status == 0) || (!*and && status != 0) {
                let last = i + 1 == n;
                guard(self, last);
                status = self.run_pipeline(p, stdin, out);
                if !last {
                    self.errexit_off -= 1;
                }
                ran_last = last;
                negated = p.negated;
            }
        }
        if ran_last && !negated && status != 0 && self.errexit_off == 0 && self.session.option("errexit") && !self.stopped() {
            self.exit = Some(status);
        }
        status
    }

    /// `cmd &`: runs the job at once in a subshell (the simulation never blocks), records it in the
    /// job table and, on the terminal, prints `[N] PID` as bash does.
    fn run_background(&mut self, item: &AndOr, stdin: &[u8], out: &mut Output) -> i32 {
        let f = self.session.frame_mut();
        let pid = f.next_pid.max(FIRST_PID);
        f.next_pid = pid + 1;
        let id = f.jobs.iter().map(|j| j.id).max().unwrap_or(0) + 1;
        let started = f.pipelines;
        f.pipelines += 1;
        if self.interactive {
            out.err(format!("[{id}] {pid}\n"));
        }
        let mut child = self.session.clone();
        let from = self.inherited();
        let mut inner = Shell::child(self.world, &mut child, from);
        inner.errexit_off = 0;
        let one = AndOr { background: false, ..item.clone() };
        let status = inner.run_and_or(&one, stdin, out);
        let status = inner.exit.unwrap_or(status);
        let f = self.session.frame_mut();
        f.jobs.push(super::session::Job { id, pid, command: item.src.trim_end_matches('&').trim().to_string(), status, started });
        f.last_bg = Some(pid);
        self.set_status(0);
        0
    }

    /// Prints bash's `[N]+  Done …` lines for jobs that ended before the pipeline numbered
    /// `before` started, and forgets them.
    pub fn notify_jobs(&mut self, before: u64, out: &mut Output) {
        let jobs = &self.session.frame().jobs;
        if !jobs.iter().any(|j| j.started < before) {
            return;
        }
        let lines: Vec<String> = jobs.iter().filter(|j| j.started < before).map(|j| job_line(jobs, j, false)).collect();
        for l in lines {
            out.err(l);
        }
        self.session.frame_mut().jobs.retain(|j| j.started >= before);
    }

    fn run_pipeline(&mut self, p: &Pipeline, stdin: &[u8], out: &mut Output) -> i32 {
        let number = {
            let f = self.session.frame_mut();
            f.pipelines += 1;
            f.pipelines - 1
        };
        if p.negated {
            self.errexit_off += 1;
        }
        let ran_before = std::mem::replace(&mut self.ran_program, false);
        // The first stage reads the caller's input itself (not a copy), so `read` loops advance.
        let mut piped: Option<Vec<u8>> = None;
        let mut statuses = Vec::new();
        let n = p.cmds.len();
        for (i, cmd) in p.cmds.iter().enumerate() {
            if self.exit.is_some() || self.aborted {
                break;
            }
            let data = piped.take();
            if let Some(d) = &data {
                self.fresh_input(d);
            }
            let data: &[u8] = data.as_deref().unwrap_or(stdin);
            if i + 1 == n {
                statuses.push(self.run_command(cmd, data, out));
                if n > 1 {
                    self.exit = None;
                }
            } else {
                let mut cap = Output::default();
                statuses.push(self.run_command(cmd, data, &mut cap));
                piped = Some(cap.bytes(Stream::Stdout));
                for (s, d) in cap.chunks {
                    if s == Stream::Stderr {
                        out.push(s, &d);
                    }
                }
                // Each stage of a pipeline runs in a subshell: `exit` there ends only the stage.
                self.exit = None;
                self.aborted = false;
            }
        }
        let mut status = *statuses.last().unwrap_or(&self.session.frame().last_status);
        if self.session.option("pipefail") {
            status = statuses.iter().rev().find(|s| **s != 0).copied().unwrap_or(0);
        }
        if p.negated {
            self.errexit_off -= 1;
            status = i32::from(status == 0);
        }
        if !statuses.is_empty() {
            let mut m = std::collections::BTreeMap::new();
            for (i, s) in statuses.iter().enumerate() {
                m.insert(i as i64, s.to_string());
            }
            self.session.set_array("PIPESTATUS", super::session::Array::Indexed(m));
        }
        self.set_status(status);
        if self.interactive && self.ran_program {
            self.notify_jobs(number, out);
        }
        self.ran_program |= ran_before;
        status
    }

    fn run_command(&mut self, cmd: &Command, stdin: &[u8], out: &mut Output) -> i32 {
        let status = match cmd {
            Command::Simple(s) => self.run_simple(s, stdin, out),
            Command::Group(list, redirs) => self.with_redirs(redirs, stdin, out, |sh, stdin, out| sh.run_list(list, stdin, out)),
            Command::Subshell(list, redirs) => self.with_redirs(redirs, stdin, out, |sh, stdin, out| {
                let mut child = sh.session.clone();
                let from = sh.inherited();
                let mut inner = Shell::child(sh.world, &mut child, from);
                let status = inner.run_list(list, stdin, out);
                let status = inner.exit.unwrap_or(status);
                inner.run_exit_trap(status, out)
            }),
            Command::If { branches, otherwise, redirs } => self.with_redirs(redirs, stdin, out, |sh, stdin, out| {
                for (cond, body) in branches {
                    sh.errexit_off += 1;
                    let c = sh.run_list(cond, stdin, out);
                    sh.errexit_off -= 1;
                    if sh.stopped() {
                        return c;
                    }
                    if c == 0 {
                        return sh.run_list(body, stdin, out);
                    }
                }
                match otherwise {
                    Some(body) => sh.run_list(body, stdin, out),
                    None => 0,
                }
            }),
            Command::For { var, words, body, redirs } => self.with_redirs(redirs, stdin, out, |sh, stdin, out| {
                let items = match words {
                    Some(ws) => ws.iter().flat_map(|w| sh.expand_fields(w, out)).collect(),
                    None => sh.positional.clone(),
                };
                let mut status = 0;
                sh.loops += 1;
                for item in items {
                    sh.session.set_var(var, &item);
                    status = sh.run_list(body, stdin, out);
                    if sh.loop_should_end() {
                        break;
                    }
                }
                sh.loops -= 1;
                status
            }),
            Command::While { until, cond, body, redirs } => self.with_redirs(redirs, stdin, out, |sh, stdin, out| {
                let mut status = 0;
                sh.loops += 1;
                for _ in 0..MAX_LOOP {
                    sh.errexit_off += 1;
                    let c = sh.run_list(cond, stdin, out);
                    sh.errexit_off -= 1;
                    if sh.loop_should_end() || ((c == 0) == *until) {
                        break;
                    }
                    status = sh.run_list(body, stdin, out);
                    if sh.loop_should_end() {
                        break;
                    }
                }
                sh.loops -= 1;
                status
            }),
            Command::Case { word, arms, redirs } => self.with_redirs(redirs, stdin, out, |sh, stdin, out| {
                let w = sh.expand_string(word, out);
                let mut status = 0;
                let mut fall = false;
                for (pats, body, end) in arms {
                    let hit = fall
                        || pats.iter().any(|p| {
                            let pat = sh.expand_string(p, out);
                            super::expand::glob_str(&pat, &w)
                        });
                    if !hit {
                        continue;
                    }
                    status = sh.run_list(body, stdin, out);
                    match *end {
                        ";&" => fall = true,
                        ";;&" => fall = false,
                        _ => return status,
                    }
                    if sh.stopped() {
                        break;
                    }
                }
                status
            }),
            Command::Function { name, body } => {
                self.session.frame_mut().functions.insert(name.clone(), body.clone());
                0
            }
            Command::Cond(words) => {
                let mut args = Vec::new();
                if self.session.option("xtrace") {
                    let raw: Vec<&str> = words.iter().map(|w| w.raw.as_str()).collect();
                    self.xtrace(&format!("[[ {} ]]", raw.join(" ")), out);
                }
                if let [l, op, r] = words.as_slice()
                    && is_plain(op, "=~")
                {
                    let l = self.expand_string(l, out);
                    let r = self.expand_regex(r, out);
                    return self.regex_match(&l, &r);
                }
                for w in words {
                    // Inside `[[ ]]` words are not split or globbed.
                    args.push(self.expand_string(w, out));
                }
                builtins::test_eval(self, &args, true, out)
            }
            Command::Arith(src) => {
                self.xtrace(&format!("(( {} ))", src.trim()), out);
                match self.arith(src, out) {
                    Ok(v) => i32::from(v == 0),
                    Err(e) => {
                        out.err(format!("bash: ((: {e}\n"));
                        1
                    }
                }
            }
            Command::ArithFor { init, cond, step, body, redirs } => self.with_redirs(redirs, stdin, out, |sh, stdin, out| {
                let report = |e: String, out: &mut Output| out.err(format!("bash: ((: {e}\n"));
                if let Err(e) = sh.arith(init, out) {
                    report(e, out);
                    return 1;
                }
                let mut status = 0;
                sh.loops += 1;
                for _ in 0..MAX_LOOP {
                    // An empty condition is true, as in C.
                    match if cond.trim().is_empty() { Ok(1) } else { sh.arith(cond, out) } {
                        Ok(0) => break,
                        Ok(_) => {}
                        Err(e) => {
                            report(e, out);
                            status = 1;
                            break;
                        }
                    }
                    status = sh.run_list(body, stdin, out);
                    if sh.loop_should_end() {
                        break;
                    }
                    if let Err(e) = sh.arith(step, out) {
                        report(e, out);
                        status = 1;
                        break;
                    }
                }
                sh.loops -= 1;
                status
            }),
        };
        self.set_status(status);
        status
    }

    /// `[[ text =~ regex ]]`: 0 on a match (filling `BASH_REMATCH`), 1 on none, 2 for a bad regex.
    fn regex_match(&mut self, text: &str, re: &str) -> i32 {
        let Ok(re) = regex::Regex::new(re) else { return 2 };
        match re.captures(text) {
            Some(c) => {
                let mut m = BTreeMap::new();
                for i in 0..c.len() {
                    m.insert(i as i64, c.get(i).map_or("", |g| g.as_str()).to_string());
                }
                self.session.set_array("BASH_REMATCH", super::session::Array::Indexed(m));
                0
            }
            None => {
                self.session.set_array("BASH_REMATCH", super::session::Array::Indexed(BTreeMap::new()));
                1
            }
        }
    }

    /// Runs `f` with a compound command's redirections applied.
    fn with_redirs(
        &mut self,
        redirs: &[Redir],
        stdin: &[u8],
        out: &mut Output,
        f: impl FnOnce(&mut Self, &[u8], &mut Output) -> i32,
    ) -> i32 {
        if redirs.is_empty() {
            return f(self, stdin, out);
        }
        let Some((fds, input)) = self.setup_redirs(redirs, out) else { return 1 };
        // Borrow rather than copy the input: `read` keeps its position per input buffer.
        let owned;
        let stdin: &[u8] = match input {
            Some(v) => {
                owned = v;
                self.fresh_input(&owned);
                &owned
            }
            None => stdin,
        };
        let mut tmp = Output::default();
        let status = f(self, stdin, &mut tmp);
        self.route(tmp, &fds, out);
        status
    }

    /// Applies redirections left to right. Returns the stdout/stderr sinks and new stdin, or
    /// `None` after printing bash's error (the command does not run).
    pub fn setup_redirs(&mut self, redirs: &[Redir], out: &mut Output) -> Option<([Sink; 2], Option<Vec<u8>>)> {
        let mut fds = [Sink::Parent(Stream::Stdout), Sink::Parent(Stream::Stderr)];
        let mut input = None;
        let host = self.session.host().to_string();
        let cwd = self.session.cwd().to_string();
        for r in redirs {
            let fail = |sh: &mut Self, fds: &[Sink; 2], out: &mut Output, msg: String| {
                let mut e = Output::default();
                e.err(msg);
                sh.route(e, fds, out);
            };
            let target = match &r.target {
                RedirTarget::Heredoc(h) => {
                    let body = match &h.body {
                        Some(w) => self.expand_string(w, out),
                        None => String::new(),
                    };
                    if r.fd.unwrap_or(0) == 0 {
                        input = Some(body.into_bytes());
                    }
                    continue;
                }
                RedirTarget::Word(w) => {
                    let fields = self.expand_fields(w, out);
                    if fields.len() != 1 {
                        fail(self, &fds, out, format!("bash: {}: ambiguous redirect\n", w.raw));
                        return None;
                    }
                    fields.into_iter().next().unwrap_or_default()
                }
            };
            let path = crate::host::fs::resolve(&cwd, &target);
            let file_sink = |path: &str| match path {
                "/dev/null" => Sink::Null,
                _ => Sink::File { host: host.clone(), path: path.to_string() },
            };
            match r.op {
                RedirOp::In | RedirOp::ReadWrite => {
                    if r.fd.unwrap_or(0) != 0 {
                        continue;
                    }
                    if path == "/dev/null" {
                        input = Some(Vec::new());
                        continue;
                    }
                    match self.world.hosts.get(&host).map(|h| h.fs.read(&path).map(<[u8]>::to_vec)) {
                        Some(Ok(data)) => input = Some(data),
                        Some(Err(e)) => {
                            fail(self, &fds, out, format!("bash: {target}: {e}\n"));
                            return None;
                        }
                        None => return None,
                    }
                }
                RedirOp::HereString => {
                    input = Some(format!("{target}\n").into_bytes());
                }
                RedirOp::DupIn => {}
                RedirOp::DupOut => {
                    let fd = r.fd.unwrap_or(1);
                    let sink = match target.as_str() {
                        "1" => fds[0].clone(),
                        "2" => fds[1].clone(),
                        "-" => Sink::Null,
                        t if t.chars().all(|c| c.is_ascii_digit()) => continue,
                        _ if fd == 1 => {
                            // `>&file` is `&>file`.
                            if let Err(e) = self.open_out(&path, false) {
                                fail(self, &fds, out, format!("bash: {target}: {e}\n"));
                                return None;
                            }
                            let s = file_sink(&path);
                            fds = [s.clone(), s];
                            continue;
                        }
                        _ => {
                            fail(self, &fds, out, format!("bash: {target}: ambiguous redirect\n"));
                            return None;
                        }
                    };
                    match fd {
                        1 => fds[0] = sink,
                        2 => fds[1] = sink,
                        _ => {}
                    }
                }
                RedirOp::Out | RedirOp::Append | RedirOp::OutErr | RedirOp::AppendOutErr => {
                    let append = matches!(r.op, RedirOp::Append | RedirOp::AppendOutErr);
                    let sink = match path.as_str() {
                        "/dev/stdout" => fds[0].clone(),
                        "/dev/stderr" => fds[1].clone(),
                        _ => {
                            if let Err(e) = self.open_out(&path, append) {
                                fail(self, &fds, out, format!("bash: {target}: {e}\n"));
                                return None;
                            }
                            file_sink(&path)
                        }
                    };
                    match (r.op, r.fd.unwrap_or(1)) {
                        (RedirOp::OutErr | RedirOp::AppendOutErr, _) => fds = [sink.clone(), sink],
                        (_, 1) => fds[0] = sink,
                        (_, 2) => fds[1] = sink,
                        _ => {}
                    }
                }
            }
        }
        Some((fds, input))
    }

    fn open_out(&mut self, path: &str, append: bool) -> Result<(), FsError> {
        if path == "/dev/null" {
            return Ok(());
        }
        let host = self.session.host().to_string();
        let Some(h) = self.world.hosts.get_mut(&host) else { return Ok(()) };
        if h.fs.is_dir(path) {
            return Err(FsError::IsADirectory);
        }
        if append { h.fs.append(path, b"") } else { h.fs.write(path, Vec::new()) }
    }

    /// Sends a command's output chunks to its sinks, in order.
    pub fn route(&mut self, tmp: Output, fds: &[Sink; 2], out: &mut Output) {
        for (stream, data) in tmp.chunks {
            let sink = if stream == Stream::Stdout { &fds[0] } else { &fds[1] };
            match sink {
                Sink::Parent(s) => out.push(*s, &data),
                Sink::Null => {}
                Sink::File { host, path } => {
                    if let Some(h) = self.world.hosts.get_mut(host) {
                        let _ = h.fs.append(path, &data);
                    }
                }
            }
        }
    }

    fn run_simple(&mut self, cmd: &Simple, stdin: &[u8], out: &mut Output) -> i32 {
        let (cmd, expanded) = self.expand_aliases(cmd);
        // An alias holding a whole list (`alias x='cd /tmp; ls'`) is run as source text with the
        // rest of the words after it.
        if let Some(first) = cmd.words.first().and_then(Word::plain)
            && !expanded.iter().any(|a| a == first)
            && cmd.redirs.is_empty()
            && cmd.assigns.is_empty()
            && let Some(value) = self.session.frame().aliases.get(first).cloned()
            && self.depth < MAX_DEPTH
        {
            let rest: Vec<&str> = cmd.words[1..].iter().map(|w| w.raw.as_str()).collect();
            let src = if rest.is_empty() { value } else { format!("{value} {}", rest.join(" ")) };
            // Aliases are not expanded again inside their own text.
            let saved = self.session.frame_mut().aliases.remove(first);
            let status = self.run_source(&src, stdin, out);
            if let Some(v) = saved {
                self.session.frame_mut().aliases.insert(first.to_string(), v);
            }
            return status;
        }
        self.sub_status = None;
        let mut argv = Vec::new();
        for w in &cmd.words {
            argv.extend(self.expand_fields(w, out));
        }
        let mut assigns = Vec::new();
        for (name, value) in &cmd.assigns {
            let mut v = self.expand_string(value, out);
            let name = match name.strip_suffix('+') {
                Some(base) => {
                    let old = if super::parser::is_element(base) { self.element(base, out) } else { self.lookup(base) };
                    v = format!("{}{v}", old.unwrap_or_default());
                    base.to_string()
                }
                None => name.clone(),
            };
            assigns.push((name, v));
        }
        if self.aborted || self.exit.is_some() {
            self.cleanup_temp();
            return self.session.frame().last_status;
        }
        if self.session.option("xtrace") {
            let mut words: Vec<String> = assigns.iter().map(|(k, v)| format!("{k}={}", trace_quote(v))).collect();
            for (name, src) in &cmd.arrays {
                words.push(format!("{name}=({})", src.trim()));
            }
            words.extend(argv.iter().map(|a| trace_quote(a)));
            if !words.is_empty() {
                self.xtrace(&words.join(" "), out);
            }
        }
        let Some((fds, input)) = self.setup_redirs(&cmd.redirs, out) else {
            self.cleanup_temp();
            return 1;
        };
        let owned;
        let stdin: &[u8] = match input {
            Some(v) => {
                owned = v;
                self.fresh_input(&owned);
                &owned
            }
            None => stdin,
        };
        let mut tmp = Output::default();
        let status = if argv.is_empty() {
            for (name, v) in &assigns {
                self.assign(name, v, out);
            }
            for (name, src) in &cmd.arrays {
                self.assign_array(name, src, out);
            }
            if self.aborted || self.exit.is_some() {
                // A failed assignment keeps the status it set.
                self.session.frame().last_status
            } else {
                self.sub_status.unwrap_or(0)
            }
        } else {
            self.dispatch(&argv, &assigns, stdin, &mut tmp)
        };
        self.route(tmp, &fds, out);
        self.cleanup_temp();
        status
    }

    fn cleanup_temp(&mut self) {
        for (host, path) in std::mem::take(&mut self.temp_files) {
            if let Some(h) = self.world.hosts.get_mut(&host) {
                let _ = h.fs.remove(&path);
            }
        }
        self.next_fd = 63;
    }

    /// Replaces a leading alias (recursively, each alias once) as bash does before parsing the rest.
    fn expand_aliases(&self, cmd: &Simple) -> (Simple, Vec<String>) {
        let mut cmd = cmd.clone();
        let mut seen: Vec<String> = Vec::new();
        while let Some(first) = cmd.words.first().and_then(Word::plain).map(str::to_string) {
            if seen.contains(&first) {
                break;
            }
            let Some(value) = self.session.frame().aliases.get(&first).cloned() else { break };
            let Ok((list, _)) = parser::parse(&value) else { break };
            let [item] = list.items.as_slice() else { break };
            let [Command::Simple(a)] = item.first.cmds.as_slice() else { break };
            if !item.rest.is_empty() {
                break;
            }
            let mut words = a.words.clone();
            words.extend(cmd.words.drain(1..));
            let mut assigns = cmd.assigns.clone();
            assigns.extend(a.assigns.iter().cloned());
            let mut redirs = a.redirs.clone();
            redirs.extend(cmd.redirs.iter().cloned());
            cmd = Simple { assigns, arrays: cmd.arrays.clone(), words, redirs };
            seen.push(first);
        }
        (cmd, seen)
    }

    /// Runs one command by name: a function, a builtin, or a program from the table.
    pub fn dispatch(&mut self, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
        // A container sandbox run up to a moment of its life stops there, loops included.
        if self.world.past_deadline() {
            self.exit = Some(self.session.frame().last_status);
            return self.session.frame().last_status;
        }
        let name = argv[0].as_str();
        if let Some(body) = self.session.frame().functions.get(name).cloned() {
            return self.call_function(&body, &argv[1..], stdin, out);
        }
        if let Some(b) = builtins::find(name) {
            return b(self, argv, assigns, stdin, out);
        }
        self.run_program(argv, assigns, stdin, out)
    }

    pub fn run_program(&mut self, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
        self.ran_program = true;
        let name = argv[0].as_str();
        let program = if name.contains('/') { programs::table().iter().find(|p| p.path == name) } else { programs::find(name) };
        let Some(p) = program else {
            if name.contains('/') {
                return self.run_file_script(name, argv, stdin, out);
            }
            out.err(format!("bash: {name}: command not found\n"));
            return 127;
        };
        let mut env = self.session.env();
        for (k, v) in assigns {
            env.insert(k.clone(), v.clone());
        }
        let host = self.session.host().to_string();
        let cwd = self.session.cwd().to_string();
        let mut ctx = Ctx { world: self.world, host, cwd, env: &env, stdin, out, subshell: super::subshell };
        (p.run)(&mut ctx, &argv[1..])
    }

    /// `./script.sh`: runs a file of the host as a bash script in a child shell.
    fn run_file_script(&mut self, name: &str, argv: &[String], stdin: &[u8], out: &mut Output) -> i32 {
        let path = crate::host::fs::resolve(self.session.cwd(), name);
        let host = self.session.host().to_string();
        let Some(h) = self.world.hosts.get(&host) else { return 127 };
        match h.fs.get(&path) {
            None => {
                out.err(format!("bash: {name}: No such file or directory\n"));
                127
            }
            Some(crate::host::fs::Node::Dir { .. }) => {
                out.err(format!("bash: {name}: Is a directory\n"));
                126
            }
            Some(crate::host::fs::Node::File { mode, data }) => {
                if mode & 0o111 == 0 {
                    out.err(format!("bash: {name}: Permission denied\n"));
                    return 126;
                }
                let script = String::from_utf8_lossy(data).into_owned();
                let env = self.session.env();
                let mut child = child_session(&host, self.session.cwd(), &env);
                let mut inner = Shell::new(self.world, &mut child);
                inner.positional = argv[1..].to_vec();
                inner.depth = self.depth + 1;
                let status = inner.run_source(&script, stdin, out);
                let status = inner.exit.unwrap_or(status);
                inner.run_exit_trap(status, out)
            }
        }
    }

    pub fn call_function(&mut self, body: &str, args: &[String], stdin: &[u8], out: &mut Output) -> i32 {
        if self.depth >= MAX_DEPTH {
            out.err("bash: maximum function nesting level exceeded (64)\n");
            return 1;
        }
        let saved = std::mem::replace(&mut self.positional, args.to_vec());
        self.depth += 1;
        self.locals.push(Vec::new());
        let status = self.run_source(body, stdin, out);
        // Variables made local come back to their values outside the function.
        for (name, old) in self.locals.pop().unwrap_or_default().into_iter().rev() {
            let f = self.session.frame_mut();
            f.vars.remove(&name);
            f.arrays.remove(&name);
            match old {
                Saved::Unset => {}
                Saved::Scalar(v) => {
                    f.vars.insert(name, v);
                }
                Saved::Array(a) => {
                    f.arrays.insert(name, a);
                }
            }
        }
        self.depth -= 1;
        self.returning = false;
        self.positional = saved;
        status
    }

    /// `local NAME`: remembers the outer value so the function's return restores it. Returns
    /// false outside a function.
    pub fn make_local(&mut self, name: &str) -> bool {
        let f = self.session.frame();
        let old = match (f.vars.get(name), f.arrays.get(name)) {
            (_, Some(a)) => Saved::Array(a.clone()),
            (Some(v), None) => Saved::Scalar(v.clone()),
            (None, None) => Saved::Unset,
        };
        let Some(scope) = self.locals.last_mut() else { return false };
        if !scope.iter().any(|(n, _)| n == name) {
            scope.push((name.to_string(), old));
        }
        true
    }

    /// Parses and runs source text in this shell (functions, `source`, `eval`), reporting syntax
    /// errors as bash does.
    pub fn run_source(&mut self, src: &str, stdin: &[u8], out: &mut Output) -> i32 {
        if self.depth >= MAX_DEPTH {
            out.err("bash: maximum nesting level exceeded\n");
            return 1;
        }
        match parser::parse(src) {
            Ok((list, _)) => {
                self.depth += 1;
                let status = self.run_list(&list, stdin, out);
                self.depth -= 1;
                status
            }
            Err(e) => {
                out.err(format!("bash: {e}\n"));
                2
            }
        }
    }

    /// Reads `~/.bashrc` if the current frame is a login shell that has not read it yet.
    pub fn read_rc(&mut self, out: &mut Output) {
        if !self.session.frame().rc_pending {
            return;
        }
        self.session.frame_mut().rc_pending = false;
        let home = self.session.var("HOME").unwrap_or("/root").to_string();
        let path = crate::host::fs::resolve(&home, ".bashrc");
        let host = self.session.host().to_string();
        let Some(Ok(text)) = self.world.hosts.get(&host).map(|h| h.fs.read_string(&path)) else { return };
        let saved = self.session.frame().last_status;
        self.run_source(&text, b"", out);
        self.returning = false;
        self.session.frame_mut().last_status = saved;
    }

    /// Runs source in a subshell (a copy of this session) and returns its stdout; stderr passes through.
    pub fn capture(&mut self, src: &str, stdin: &[u8], out: &mut Output) -> (Vec<u8>, i32) {
        if self.depth >= MAX_DEPTH {
            out.err("bash: maximum nesting level exceeded\n");
            return (Vec::new(), 1);
        }
        let mut child = self.session.clone();
        child.exited = false;
        let from = self.inherited();
        let mut inner = Shell::child(self.world, &mut child, from);
        let mut cap = Output::default();
        let status = inner.run_source(src, stdin, &mut cap);
        let status = inner.exit.unwrap_or(status);
        for (s, d) in &cap.chunks {
            if *s == Stream::Stderr {
                out.push(*s, d);
            }
        }
        (cap.bytes(Stream::Stdout), status)
    }

    /// `<(cmd)`: runs the command and exposes its output as `/dev/fd/N` on this host.
    pub fn proc_sub(&mut self, src: &str, out: &mut Output) -> String {
        let (data, _) = self.capture(src, b"", out);
        let path = format!("/dev/fd/{}", self.next_fd);
        self.next_fd = self.next_fd.saturating_sub(1).max(3);
        let host = self.session.host().to_string();
        if let Some(h) = self.world.hosts.get_mut(&host) {
            let _ = h.fs.mkdir_all("/dev/fd");
            let _ = h.fs.write(&path, data);
            self.temp_files.push((host, path.clone()));
        }
        path
    }
}

/// A fresh non-interactive child shell (`bash -c`, `ssh host cmd`, scripts): exported variables
/// only, no aliases.
pub fn child_session(host: &str, cwd: &str, env: &BTreeMap<String, String>) -> Session {
    let mut session = Session::new(host);
    session.frame_mut().rc_pending = false;
    session.frame_mut().vars.clear();
    session.frame_mut().exported.clear();
    for (k, v) in env {
        session.export(k, v);
    }
    session.set_cwd(cwd);
    session
}

/// A word as `set -x` shows it: quoted when it holds blanks or shell characters.
fn trace_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// One line of `jobs` or a job notice: `[1]+  Done                    sleep 5`.
pub fn job_line(jobs: &[super::session::Job], job: &super::session::Job, running: bool) -> String {
    let newest = jobs.iter().map(|j| j.id).max();
    let previous = jobs.iter().map(|j| j.id).filter(|i| Some(*i) != newest).max();
    let mark = if Some(job.id) == newest {
        '+'
    } else if Some(job.id) == previous {
        '-'
    } else {
        ' '
    };
    let state = match (running, job.status) {
        (true, _) => "Running".to_string(),
        (false, 0) => "Done".to_string(),
        (false, n) if n > 128 => signal_name(n - 128),
        (false, n) => format!("Exit {n}"),
    };
    format!("[{}]{mark}  {state:<24}{}{}\n", job.id, job.command, if running { " &" } else { "" })
}

fn signal_name(sig: i32) -> String {
    match sig {
        1 => "Hangup",
        2 => "Interrupt",
        9 => "Killed",
        15 => "Terminated",
        _ => return format!("Signal {sig}"),
    }
    .to_string()
}

/// Whether a word is the plain literal `s` (used for keywords and `{`).
pub fn is_plain(w: &Word, s: &str) -> bool {
    matches!(w.parts.as_slice(), [Part::Lit(t)] if t == s)
}
