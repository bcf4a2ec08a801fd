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
}

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
        }
    }

    /// A newly opened input starts at its beginning, even if an old buffer had the same address.
    fn fresh_input(&mut self, data: &[u8]) {
        self.read_offsets.remove(&(data.as_ptr() as usize, data.len()));
    }

    fn stopped(&self) -> bool {
        self.exit.is_some() || self.returning || self.breaking > 0 || self.continuing > 0
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
        self.exit.is_some() || self.returning
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
            status = self.run_and_or(item, stdin, out);
        }
        status
    }

    fn run_and_or(&mut self, item: &AndOr, stdin: &[u8], out: &mut Output) -> i32 {
        let mut status = self.run_pipeline(&item.first, stdin, out);
        for (and, p) in &item.rest {
            if self.stopped() {
                break;
            }
            if (*and && status == 0) || (!*and && status != 0) {
                status = self.run_pipeline(p, stdin, out);
            }
        }
        status
    }

    fn run_pipeline(&mut self, p: &Pipeline, stdin: &[u8], out: &mut Output) -> i32 {
        // The first stage reads the caller's input itself (not a copy), so `read` loops advance.
        let mut piped: Option<Vec<u8>> = None;
        let mut status = 0;
        let n = p.cmds.len();
        for (i, cmd) in p.cmds.iter().enumerate() {
            if self.exit.is_some() {
                break;
            }
            let data = piped.take();
            if let Some(d) = &data {
                self.fresh_input(d);
            }
            let data: &[u8] = data.as_deref().unwrap_or(stdin);
            if i + 1 == n {
                status = self.run_command(cmd, data, out);
                if n > 1 {
                    self.exit = None;
                }
            } else {
                let mut cap = Output::default();
                self.run_command(cmd, data, &mut cap);
                piped = Some(cap.bytes(Stream::Stdout));
                for (s, d) in cap.chunks {
                    if s == Stream::Stderr {
                        out.push(s, &d);
                    }
                }
                // Each stage of a pipeline runs in a subshell: `exit` there ends only the stage.
                self.exit = None;
            }
        }
        if p.negated {
            status = i32::from(status == 0);
        }
        self.set_status(status);
        status
    }

    fn run_command(&mut self, cmd: &Command, stdin: &[u8], out: &mut Output) -> i32 {
        let status = match cmd {
            Command::Simple(s) => self.run_simple(s, stdin, out),
            Command::Group(list, redirs) => self.with_redirs(redirs, stdin, out, |sh, stdin, out| sh.run_list(list, stdin, out)),
            Command::Subshell(list, redirs) => self.with_redirs(redirs, stdin, out, |sh, stdin, out| {
                let mut child = sh.session.clone();
                let mut inner = Shell::new(sh.world, &mut child);
                inner.positional = sh.positional.clone();
                inner.depth = sh.depth + 1;
                inner.run_list(list, stdin, out)
            }),
            Command::If { branches, otherwise, redirs } => self.with_redirs(redirs, stdin, out, |sh, stdin, out| {
                for (cond, body) in branches {
                    let c = sh.run_list(cond, stdin, out);
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
                // Loops are bounded: programs never block, so an endless loop would hang the tutor.
                for _ in 0..10_000 {
                    let c = sh.run_list(cond, stdin, out);
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
                for (pats, body) in arms {
                    for p in pats {
                        let pat = sh.expand_string(p, out);
                        if super::expand::glob_str(&pat, &w) {
                            return sh.run_list(body, stdin, out);
                        }
                    }
                }
                0
            }),
            Command::Function { name, body } => {
                self.session.frame_mut().functions.insert(name.clone(), body.clone());
                0
            }
            Command::Cond(words) => {
                let mut args = Vec::new();
                for w in words {
                    // Inside `[[ ]]` words are not split or globbed.
                    args.push(self.expand_string(w, out));
                }
                builtins::test_eval(self, &args, true, out)
            }
            Command::Arith(src) => {
                let text = self.expand_string(&super::lexer::heredoc_word(src), out);
                let session = &*self.session;
                match super::arith::eval(&text, &mut |n| session.var(n).map(str::to_string)) {
                    Ok(v) => i32::from(v == 0),
                    Err(e) => {
                        out.err(format!("bash: ((: {}: {e}\n", text.trim()));
                        1
                    }
                }
            }
        };
        self.set_status(status);
        status
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
                    v = format!("{}{v}", self.session.var(base).unwrap_or(""));
                    base.to_string()
                }
                None => name.clone(),
            };
            assigns.push((name, v));
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
                self.session.set_var(name, v);
            }
            self.sub_status.unwrap_or(0)
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
            cmd = Simple { assigns, words, redirs };
            seen.push(first);
        }
        (cmd, seen)
    }

    /// Runs one command by name: a function, a builtin, or a program from the table.
    pub fn dispatch(&mut self, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
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
                inner.run_source(&script, stdin, out)
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
        let status = self.run_source(body, stdin, out);
        self.depth -= 1;
        self.returning = false;
        self.positional = saved;
        status
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
        let mut inner = Shell::new(self.world, &mut child);
        inner.positional = self.positional.clone();
        inner.depth = self.depth + 1;
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

/// Whether a word is the plain literal `s` (used for keywords and `{`).
pub fn is_plain(w: &Word, s: &str) -> bool {
    matches!(w.parts.as_slice(), [Part::Lit(t)] if t == s)
}
