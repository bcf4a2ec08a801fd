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
    /// Array variables (`a=(x y)`, `declare -A m`); a name is either here or in `vars`.
    #[serde(default)]
    pub arrays: BTreeMap<String, Array>,
    /// Shell options set with `set -e`, `set -o pipefail` …, by their long names.
    #[serde(default)]
    pub options: Vec<String>,
    /// Background jobs started with `&` whose end has not been reported yet.
    #[serde(default)]
    pub jobs: Vec<Job>,
    /// The `pushd` stack below the working directory, most recent first.
    #[serde(default)]
    pub dir_stack: Vec<String>,
    /// Names made read-only with `readonly` / `declare -r`.
    #[serde(default)]
    pub readonly: Vec<String>,
    /// `trap` actions by signal name (`EXIT`, `SIGINT` …).
    #[serde(default)]
    pub traps: BTreeMap<String, String>,
    /// `$!`: the process id of the last background job.
    #[serde(default)]
    pub last_bg: Option<u32>,
    /// The process id the next background job gets (deterministic, counting up).
    #[serde(default)]
    pub next_pid: u32,
    /// Pipelines run so far: a job is reported after the first pipeline that started after it.
    #[serde(default)]
    pub pipelines: u64,
}

/// An array variable. Indexed arrays may have holes (`unset 'a[1]'`); associative ones are
/// listed in key order (bash's own order follows its hash table, which a learner cannot rely on).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum Array {
    Indexed(BTreeMap<i64, String>),
    Assoc(BTreeMap<String, String>),
}

impl Array {
    pub fn values(&self) -> Vec<String> {
        match self {
            Array::Indexed(m) => m.values().cloned().collect(),
            Array::Assoc(m) => m.values().cloned().collect(),
        }
    }

    pub fn keys(&self) -> Vec<String> {
        match self {
            Array::Indexed(m) => m.keys().map(i64::to_string).collect(),
            Array::Assoc(m) => m.keys().cloned().collect(),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Array::Indexed(m) => m.len(),
            Array::Assoc(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The element under a key (for indexed arrays the key is a decimal index).
    pub fn get(&self, key: &str) -> Option<&str> {
        match self {
            Array::Indexed(m) => key.parse::<i64>().ok().and_then(|i| m.get(&i)).map(String::as_str),
            Array::Assoc(m) => m.get(key).map(String::as_str),
        }
    }

    pub fn set(&mut self, key: &str, value: &str) {
        match self {
            Array::Indexed(m) => {
                if let Ok(i) = key.parse::<i64>() {
                    m.insert(i, value.to_string());
                }
            }
            Array::Assoc(m) => {
                m.insert(key.to_string(), value.to_string());
            }
        }
    }

    pub fn remove(&mut self, key: &str) {
        match self {
            Array::Indexed(m) => {
                if let Ok(i) = key.parse::<i64>() {
                    m.remove(&i);
                }
            }
            Array::Assoc(m) => {
                m.remove(key);
            }
        }
    }

    /// The index after the last element (where `a+=(x)` appends).
    pub fn next_index(&self) -> i64 {
        match self {
            Array::Indexed(m) => m.keys().next_back().map_or(0, |k| k + 1),
            Array::Assoc(_) => 0,
        }
    }
}

/// A background job: it ran to completion when started (the simulation never blocks), and is
/// reported as done at the next prompt, by `jobs`, or collected by `wait`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Job {
    pub id: usize,
    pub pid: u32,
    pub command: String,
    pub status: i32,
    /// The value of [`Frame::pipelines`] when the job started.
    pub started: u64,
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
            arrays: BTreeMap::new(),
            options: Vec::new(),
            jobs: Vec::new(),
            dir_stack: Vec::new(),
            traps: BTreeMap::new(),
            readonly: Vec::new(),
            last_bg: None,
            next_pid: 0,
            pipelines: 0,
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

    /// A variable's value; for an array, its element 0 (as `$a` is `${a[0]}`).
    pub fn var(&self, name: &str) -> Option<&str> {
        let f = self.frame();
        match f.arrays.get(name) {
            Some(a) => a.get("0"),
            None => f.vars.get(name).map(String::as_str),
        }
    }

    /// Sets a shell variable (exported ones stay exported); on an array, its element 0.
    pub fn set_var(&mut self, name: &str, value: &str) {
        let f = self.frame_mut();
        match f.arrays.get_mut(name) {
            Some(a) => a.set("0", value),
            None => {
                f.vars.insert(name.to_string(), value.to_string());
            }
        }
    }

    pub fn array(&self, name: &str) -> Option<&Array> {
        self.frame().arrays.get(name)
    }

    /// Makes `name` an array (a scalar becomes element 0, as in bash) and returns it.
    pub fn array_mut(&mut self, name: &str, assoc: bool) -> &mut Array {
        let f = self.frame_mut();
        if !f.arrays.contains_key(name) {
            let mut a = if assoc { Array::Assoc(BTreeMap::new()) } else { Array::Indexed(BTreeMap::new()) };
            if let Some(v) = f.vars.remove(name) {
                a.set("0", &v);
            }
            f.arrays.insert(name.to_string(), a);
        }
        f.arrays.entry(name.to_string()).or_insert_with(|| Array::Indexed(BTreeMap::new()))
    }

    /// Replaces a whole array (`a=(x y)`, `read -a`, `mapfile`).
    pub fn set_array(&mut self, name: &str, array: Array) {
        let f = self.frame_mut();
        f.vars.remove(name);
        f.arrays.insert(name.to_string(), array);
    }

    /// Removes a variable or array.
    pub fn unset_var(&mut self, name: &str) {
        let f = self.frame_mut();
        f.vars.remove(name);
        f.arrays.remove(name);
        f.exported.retain(|e| e != name);
    }

    pub fn option(&self, name: &str) -> bool {
        self.frame().options.iter().any(|o| o == name)
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
