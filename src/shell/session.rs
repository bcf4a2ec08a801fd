//! The shell's state that outlives one command: where the learner is (host stack for `ssh`),
//! working directory, variables, aliases and history. Saved with the world.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One shell on one host. `ssh node01` pushes a frame; `exit` pops it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Frame {
    pub host: String,
    pub cwd: String,
    pub vars: BTreeMap<String, String>,
    /// Names of variables passed to programs' environments.
    pub exported: Vec<String>,
    pub aliases: BTreeMap<String, String>,
    pub last_status: i32,
    /// Shell functions by name: their `{ … }` source.
    #[serde(default)]
    pub functions: BTreeMap<String, String>,
    /// Whether this shell came from `ssh` (leaving it closes the connection) rather than
    /// `sudo -i` / `su -` on the same host.
    #[serde(default)]
    pub via_ssh: bool,
    /// `$1 …` of the interactive shell (`set -- a b`).
    #[serde(default)]
    pub positional: Vec<String>,
    /// An interactive login shell reads `~/.bashrc` before its first command.
    #[serde(default)]
    pub rc_pending: bool,
}

impl Frame {
    /// A fresh root login shell on `host` in `/root` (what `ssh host` gives).
    pub fn login(host: &str) -> Self {
        let mut vars = BTreeMap::new();
        for (k, v) in [
            ("HOME", "/root"),
            ("USER", "root"),
            ("LOGNAME", "root"),
            ("SHELL", "/bin/bash"),
            ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
            ("PWD", "/root"),
            ("TERM", "xterm"),
            ("HOSTNAME", host),
        ] {
            vars.insert(k.to_string(), v.to_string());
        }
        let exported = vars.keys().filter(|k| *k != "HOSTNAME").cloned().collect();
        Frame {
            host: host.to_string(),
            cwd: "/root".into(),
            vars,
            exported,
            aliases: BTreeMap::new(),
            last_status: 0,
            functions: BTreeMap::new(),
            via_ssh: false,
            positional: Vec::new(),
            rc_pending: true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub frames: Vec<Frame>,
    pub history: Vec<String>,
    /// Set when the top-level shell ran `exit`: the terminal should close.
    #[serde(default)]
    pub exited: bool,
}

impl Session {
    /// A root login shell on `host` in `/root`.
    pub fn new(host: &str) -> Self {
        Session { frames: vec![Frame::login(host)], history: Vec::new(), exited: false }
    }

    pub fn frame(&self) -> &Frame {
        self.frames.last().expect("a session always has a frame")
    }

    pub fn frame_mut(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a session always has a frame")
    }

    pub fn host(&self) -> &str {
        &self.frame().host
    }

    pub fn cwd(&self) -> &str {
        &self.frame().cwd
    }

    pub fn set_cwd(&mut self, cwd: &str) {
        let f = self.frame_mut();
        f.cwd = cwd.to_string();
        f.vars.insert("PWD".into(), cwd.to_string());
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.frame().vars.get(name).map(String::as_str)
    }

    /// Sets a shell variable (exported ones stay exported).
    pub fn set_var(&mut self, name: &str, value: &str) {
        self.frame_mut().vars.insert(name.to_string(), value.to_string());
    }

    pub fn export(&mut self, name: &str, value: &str) {
        let f = self.frame_mut();
        f.vars.insert(name.to_string(), value.to_string());
        if !f.exported.iter().any(|e| e == name) {
            f.exported.push(name.to_string());
        }
    }

    /// The environment programs see: the exported variables.
    pub fn env(&self) -> BTreeMap<String, String> {
        let f = self.frame();
        f.exported.iter().filter_map(|k| f.vars.get(k).map(|v| (k.clone(), v.clone()))).collect()
    }
}
