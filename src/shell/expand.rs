//! Word expansion in bash's order: tilde, parameters, command and arithmetic substitution, then
//! field splitting of unquoted results and pathname expansion (globbing) against the host's files.

use super::exec::Shell;
use super::lexer::{self, ParamOp, Part, Word};
use crate::host::fs;
use crate::programs::Output;

/// One character of a field being built, and whether a glob may treat it as special.
type Ch = (char, bool);

#[derive(Default)]
struct Fields {
    done: Vec<(Vec<Ch>, bool)>,
    cur: Vec<Ch>,
    /// The current field holds quoted text (so it exists even when empty).
    quoted: bool,
}

impl Fields {
    fn push_str(&mut self, s: &str, globbable: bool) {
        self.cur.extend(s.chars().map(|c| (c, globbable)));
    }

    fn end_field(&mut self) {
        if !self.cur.is_empty() || self.quoted {
            self.done.push((std::mem::take(&mut self.cur), self.quoted));
        }
        self.quoted = false;
    }

    /// Adds an unquoted expansion result, splitting it on IFS: runs of IFS whitespace separate
    /// fields, each other IFS character ends one (so `a,,b` with `IFS=,` has an empty middle).
    fn push_split(&mut self, s: &str, ifs: &str) {
        for c in s.chars() {
            if !ifs.contains(c) {
                self.cur.push((c, true));
            } else if c.is_whitespace() {
                self.end_field();
            } else {
                self.done.push((std::mem::take(&mut self.cur), self.quoted));
                self.quoted = false;
            }
        }
    }
}

impl Shell<'_> {
    /// Expands a word into fields (splitting and globbing as bash does for command arguments).
    pub fn expand_fields(&mut self, w: &Word, out: &mut Output) -> Vec<String> {
        // A lone "$@" (or "${a[@]}") with no elements is no word at all.
        if let [Part::Quoted(q), Part::Param { name, op: ParamOp::Plain | ParamOp::Keys, quoted: true }] = w.parts.as_slice()
            && q.is_empty()
            && (name == "@" || name.ends_with("[@]"))
            && self.list_values(name, out).is_some_and(|v| v.is_empty())
        {
            return Vec::new();
        }
        let mut f = Fields::default();
        for part in &w.parts {
            match part {
                Part::Lit(s) => f.push_str(s, true),
                Part::Quoted(s) => {
                    f.quoted = true;
                    f.push_str(s, false);
                }
                Part::Tilde(user) => {
                    let t = self.tilde(user);
                    f.push_str(&t, false);
                }
                Part::Param { name, op: op @ (ParamOp::Plain | ParamOp::Keys | ParamOp::Substr { .. }), quoted: true }
                    if name == "@" || (name.ends_with("[@]") && self.is_array_name(name)) =>
                {
                    // "$@", "${a[@]}": one field per element, joined to the text around it.
                    let values = match op {
                        ParamOp::Keys => self.array_keys(name),
                        ParamOp::Substr { offset, length } => self.slice(name, offset, length.as_deref(), out),
                        _ => self.list_values(name, out).unwrap_or_default(),
                    };
                    for (i, p) in values.iter().enumerate() {
                        if i > 0 {
                            f.quoted = true;
                            f.end_field();
                        }
                        f.quoted = true;
                        f.push_str(p, false);
                    }
                }
                Part::Param { quoted, .. } | Part::CmdSub { quoted, .. } | Part::Arith { quoted, .. } => {
                    let v = self.expand_part(part, out);
                    if *quoted {
                        f.quoted = true;
                        f.push_str(&v, false);
                    } else {
                        let ifs = self.session.var("IFS").unwrap_or(" \t\n").to_string();
                        f.push_split(&v, &ifs);
                    }
                }
                Part::ProcSub(src) => {
                    let p = self.proc_sub(src, out);
                    f.push_str(&p, false);
                }
            }
        }
        f.end_field();
        let mut result = Vec::new();
        let fields: Vec<Vec<Ch>> = f.done.into_iter().flat_map(|(chars, _)| brace_expand(chars, 0)).collect();
        for chars in fields {
            if chars.iter().any(|(c, g)| *g && matches!(c, '*' | '?' | '[')) {
                let matches = self.glob(&chars);
                if !matches.is_empty() {
                    result.extend(matches);
                    continue;
                }
            }
            result.push(chars.into_iter().map(|(c, _)| c).collect());
        }
        result
    }

    /// Expands a word into one string with no splitting or globbing (assignments, redirection
    /// targets, here-documents, `case` words).
    pub fn expand_string(&mut self, w: &Word, out: &mut Output) -> String {
        let mut s = String::new();
        for part in &w.parts {
            match part {
                Part::Lit(t) | Part::Quoted(t) => s.push_str(t),
                Part::Tilde(user) => s.push_str(&self.tilde(user)),
                Part::ProcSub(src) => s.push_str(&self.proc_sub(src, out)),
                _ => s.push_str(&self.expand_part(part, out)),
            }
        }
        s
    }

    /// The regex of `[[ x =~ re ]]`: quoted parts match literally, as in bash.
    pub fn expand_regex(&mut self, w: &Word, out: &mut Output) -> String {
        let mut s = String::new();
        for part in &w.parts {
            match part {
                Part::Lit(t) => s.push_str(t),
                Part::Quoted(t) => s.push_str(&regex::escape(t)),
                Part::Param { quoted: true, .. } | Part::CmdSub { quoted: true, .. } => {
                    s.push_str(&regex::escape(&self.expand_part(part, out)))
                }
                Part::Tilde(user) => s.push_str(&self.tilde(user)),
                Part::ProcSub(src) => s.push_str(&self.proc_sub(src, out)),
                _ => s.push_str(&self.expand_part(part, out)),
            }
        }
        s
    }

    fn tilde(&self, user: &str) -> String {
        match user {
            "" => self.session.var("HOME").unwrap_or("/root").to_string(),
            "root" => "/root".to_string(),
            "+" => self.session.cwd().to_string(),
            other => format!("~{other}"),
        }
    }

    fn expand_part(&mut self, part: &Part, out: &mut Output) -> String {
        match part {
            Part::Param { name, op, .. } => self.param(name, op, out),
            Part::CmdSub { src, .. } => {
                let (captured, status) = self.capture(src, b"", out);
                self.sub_status = Some(status);
                let mut s = String::from_utf8_lossy(&captured).into_owned();
                while s.ends_with('\n') {
                    s.pop();
                }
                s
            }
            Part::Arith { src, .. } => match self.arith(src, out) {
                Ok(v) => v.to_string(),
                Err(e) => {
                    out.err(format!("bash: {e}\n"));
                    // An arithmetic error abandons the command, as bash does.
                    self.fatal(1);
                    String::new()
                }
            },
            _ => String::new(),
        }
    }

    /// Evaluates arithmetic source (after expanding `$x` and `$(…)` in it), assigning variables.
    /// The error is bash's message without the `bash: ` prefix.
    pub fn arith(&mut self, src: &str, out: &mut Output) -> Result<i64, String> {
        let text = self.expand_string(&lexer::heredoc_word(src), out);
        let r = super::arith::eval_with(&text, &mut ShellVars { sh: self });
        r.map_err(|e| format!("{}: {e}", text.trim_start()))
    }

    /// Assigns `name` or `name[sub]` from a command's assignment words.
    pub fn assign(&mut self, name: &str, value: &str, out: &mut Output) {
        let base = name.split('[').next().unwrap_or(name);
        if self.session.frame().readonly.iter().any(|r| r == base) {
            // An assignment error abandons the line (a script ends), as in bash.
            out.err(format!("bash: {base}: readonly variable\n"));
            self.fatal(1);
            return;
        }
        match name.strip_suffix(']').and_then(|n| n.split_once('[')) {
            Some((base, sub)) => {
                let assoc = matches!(self.session.array(base), Some(super::session::Array::Assoc(_)));
                let Some(key) = self.subscript(base, sub, assoc, out) else { return };
                self.session.array_mut(base, false).set(&key, value);
            }
            None => self.session.set_var(name, value),
        }
    }

    /// `a=(x y)`, `a+=(z)`, `m=([k]=v …)`: the list's words are expanded (split and globbed) into
    /// elements; `[key]=value` words set one element.
    pub fn assign_array(&mut self, name: &str, src: &str, out: &mut Output) {
        let (base, append) = match name.strip_suffix('+') {
            Some(b) => (b, true),
            None => (name, false),
        };
        if self.session.frame().readonly.iter().any(|r| r == base) {
            out.err(format!("bash: {base}: readonly variable\n"));
            self.fatal(1);
            return;
        }
        let assoc = matches!(self.session.array(base), Some(super::session::Array::Assoc(_)));
        let mut array = match (append, self.session.array(base)) {
            (true, Some(a)) => a.clone(),
            _ if assoc => super::session::Array::Assoc(Default::default()),
            _ => super::session::Array::Indexed(Default::default()),
        };
        if append
            && self.session.array(base).is_none()
            && let Some(v) = self.session.var(base).map(str::to_string)
        {
            array.set("0", &v);
        }
        let Ok((toks, _)) = lexer::tokenize(src) else { return };
        for t in toks {
            let lexer::Tok::Word(w) = t.tok else { continue };
            if let Some(lexer::Part::Lit(first)) = w.parts.first()
                && first.starts_with('[')
                && let Some(close) = first.find("]=")
            {
                let sub = first[1..close].to_string();
                let rest = Word { parts: w.parts.clone(), raw: w.raw.clone() };
                let mut rest = rest;
                if let Some(lexer::Part::Lit(f)) = rest.parts.first_mut() {
                    *f = f[close + 2..].to_string();
                }
                let value = self.expand_string(&rest, out);
                let is_assoc = matches!(array, super::session::Array::Assoc(_));
                if let Some(key) = self.subscript(base, &sub, is_assoc, out) {
                    array.set(&key, &value);
                }
                continue;
            }
            for v in self.expand_fields(&w, out) {
                let i = array.next_index();
                array.set(&i.to_string(), &v);
            }
        }
        self.session.set_array(base, array);
    }

    /// The key a subscript names: expanded text for associative arrays, an evaluated index
    /// otherwise (negative indices count back from the end). `None` after an error.
    fn subscript(&mut self, base: &str, sub: &str, assoc: bool, out: &mut Output) -> Option<String> {
        if assoc {
            return Some(self.expand_string(&lexer::heredoc_word(sub), out));
        }
        match self.arith(sub, out) {
            Ok(i) if i < 0 => {
                let next = self.session.array(base).map_or(1, |a| a.next_index());
                if next + i < 0 {
                    out.err(format!("bash: {base}[{i}]: bad array subscript\n"));
                    return None;
                }
                Some((next + i).to_string())
            }
            Ok(i) => Some(i.to_string()),
            Err(e) => {
                out.err(format!("bash: {e}\n"));
                None
            }
        }
    }

    fn is_array_name(&self, name: &str) -> bool {
        name.split_once('[').is_some_and(|(b, _)| b == "BASH_REMATCH" || self.session.array(b).is_some() || self.session.var(b).is_some())
    }

    /// The elements `name[@]` / `name[*]` (or `@`) stands for; `None` when it is not such a name.
    fn list_values(&mut self, name: &str, _out: &mut Output) -> Option<Vec<String>> {
        if name == "@" || name == "*" {
            return Some(self.positional.clone());
        }
        let base = name.strip_suffix("[@]").or_else(|| name.strip_suffix("[*]"))?;
        Some(match self.session.array(base) {
            Some(a) => a.values(),
            None => self.session.var(base).map(|v| vec![v.to_string()]).unwrap_or_default(),
        })
    }

    /// `${a[@]:off:len}`, `${@:off:len}`: a slice of the elements (`$@` counts `$0` as 0).
    fn slice(&mut self, name: &str, offset: &str, length: Option<&str>, out: &mut Output) -> Vec<String> {
        let mut values = self.list_values(name, out).unwrap_or_default();
        if name == "@" || name == "*" {
            values.insert(0, self.lookup("0").unwrap_or_default());
        }
        let n = values.len() as i64;
        let off = self.arith(offset, out).unwrap_or(0);
        let start = if off < 0 { (n + off).max(0) } else { off.min(n) };
        let end = match length {
            None => n,
            Some(l) => {
                let len = self.arith(l, out).unwrap_or(0);
                if len < 0 { (n + len).max(start) } else { (start + len).min(n) }
            }
        };
        values[start as usize..end.max(start) as usize].to_vec()
    }

    fn array_keys(&self, name: &str) -> Vec<String> {
        let base = name.strip_suffix("[@]").or_else(|| name.strip_suffix("[*]")).unwrap_or(name);
        match self.session.array(base) {
            Some(a) => a.keys(),
            None if self.session.var(base).is_some() => vec!["0".to_string()],
            None => Vec::new(),
        }
    }

    /// The value of `name[sub]`.
    pub fn element(&mut self, name: &str, out: &mut Output) -> Option<String> {
        let (base, sub) = name.strip_suffix(']').and_then(|n| n.split_once('['))?;
        if sub == "@" || sub == "*" {
            let sep = if sub == "*" { self.ifs_first() } else { " ".to_string() };
            return self.list_values(name, out).map(|v| v.join(&sep)).filter(|_| self.is_array_name(name));
        }
        let assoc = matches!(self.session.array(base), Some(super::session::Array::Assoc(_)));
        let key = self.subscript(base, sub, assoc, out)?;
        match self.session.array(base) {
            Some(a) => a.get(&key).map(str::to_string),
            None if key == "0" => self.session.var(base).map(str::to_string),
            None => None,
        }
    }

    fn ifs_first(&self) -> String {
        self.session.var("IFS").map_or(" ".to_string(), |v| v.chars().next().map(String::from).unwrap_or_default())
    }

    /// Prints a `set -x` trace line: `+ cmd args` (one `+` per subshell level).
    pub fn xtrace(&mut self, text: &str, out: &mut Output) {
        if self.session.option("xtrace") {
            out.err(format!("{} {text}\n", "+".repeat(self.subshell_level + 1)));
        }
    }

    /// `$-`: the single-letter options in bash's order (`himBHs` on the terminal, `hBc` for `bash -c`).
    fn flags(&self) -> String {
        let opt = |n: &str| self.session.option(n);
        let i = self.interactive;
        [
            ('e', opt("errexit")),
            ('f', opt("noglob")),
            ('h', true),
            ('i', i),
            ('m', i),
            ('n', opt("noexec")),
            ('u', opt("nounset")),
            ('v', opt("verbose")),
            ('x', opt("xtrace")),
            ('B', true),
            ('C', opt("noclobber")),
            ('H', i),
            ('s', i),
            ('c', self.dash_c),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(c, _)| *c)
        .collect()
    }

    /// The value of a parameter, `None` when unset.
    pub fn lookup(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.session.frame().last_status.to_string()),
            "#" => Some(self.positional.len().to_string()),
            "@" | "*" => Some(self.positional.join(" ")),
            "0" => Some(self.arg0.clone().unwrap_or_else(|| "bash".to_string())),
            "$" => Some("4242".to_string()),
            "!" => self.session.frame().last_bg.map(|p| p.to_string()),
            "-" => Some(self.flags()),
            n if n.chars().all(|c| c.is_ascii_digit()) => n.parse::<usize>().ok().and_then(|i| self.positional.get(i - 1).cloned()),
            n => self.session.var(n).map(str::to_string),
        }
    }

    fn param(&mut self, name: &str, op: &ParamOp, out: &mut Output) -> String {
        let value = if name.contains('[') { self.element(name, out) } else { self.lookup(name) };
        let shown = name.split('[').next().unwrap_or(name);
        if value.is_none()
            && self.session.option("nounset")
            && !matches!(op, ParamOp::Default { .. } | ParamOp::Assign { .. } | ParamOp::Alternative { .. } | ParamOp::Error { .. })
            && !matches!(name, "@" | "*")
            && !name.ends_with("[@]")
            && !name.ends_with("[*]")
            && !matches!(op, ParamOp::Keys)
        {
            out.err(format!("bash: {name}: unbound variable\n"));
            self.fatal(1);
            return String::new();
        }
        let set_and = |colon: bool, v: &Option<String>| match v {
            None => false,
            Some(s) => !(colon && s.is_empty()),
        };
        match op {
            ParamOp::Plain => value.unwrap_or_default(),
            ParamOp::Length if name.ends_with("[@]") || name.ends_with("[*]") => {
                self.list_values(name, out).map_or(0, |v| v.len()).to_string()
            }
            ParamOp::Length => value.map_or(0, |v| v.chars().count()).to_string(),
            ParamOp::Keys => self.array_keys(name).join(" "),
            ParamOp::Indirect => {
                let target = value.unwrap_or_default();
                if target.is_empty() {
                    return String::new();
                }
                if target.contains('[') { self.element(&target, out) } else { self.lookup(&target) }.unwrap_or_default()
            }
            ParamOp::Error { colon, word } => {
                if set_and(*colon, &value) {
                    value.unwrap_or_default()
                } else {
                    let msg = self.expand_string(&lexer::heredoc_word(word), out);
                    let msg = if msg.is_empty() { "parameter null or not set".to_string() } else { msg };
                    out.err(format!("bash: {shown}: {msg}\n"));
                    self.fatal(1);
                    String::new()
                }
            }
            ParamOp::Default { colon, word } => {
                if set_and(*colon, &value) {
                    value.unwrap_or_default()
                } else {
                    self.expand_string(&lexer::heredoc_word(word), out)
                }
            }
            ParamOp::Assign { colon, word } => {
                if set_and(*colon, &value) {
                    value.unwrap_or_default()
                } else {
                    let v = self.expand_string(&lexer::heredoc_word(word), out);
                    self.assign(name, &v, out);
                    v
                }
            }
            ParamOp::Alternative { colon, word } => {
                if set_and(*colon, &value) {
                    self.expand_string(&lexer::heredoc_word(word), out)
                } else {
                    String::new()
                }
            }
            ParamOp::Trim { suffix, longest, pattern } => {
                let v = value.unwrap_or_default();
                let pat: Vec<Ch> = self.expand_string(&lexer::heredoc_word(pattern), out).chars().map(|c| (c, true)).collect();
                let chars: Vec<char> = v.chars().collect();
                let n = chars.len();
                let cuts: Vec<usize> = if *longest { (0..=n).rev().collect() } else { (0..=n).collect() };
                for k in cuts {
                    let (keep, cut) = if *suffix { (&chars[..n - k], &chars[n - k..]) } else { (&chars[k..], &chars[..k]) };
                    if glob_match(&pat, cut) {
                        return keep.iter().collect();
                    }
                }
                v
            }
            ParamOp::Substr { offset, length } if name == "@" || name.ends_with("[@]") || name.ends_with("[*]") => {
                self.slice(name, offset, length.as_deref(), out).join(" ")
            }
            ParamOp::Substr { offset, length } => {
                let v: Vec<char> = value.unwrap_or_default().chars().collect();
                let session = &*self.session;
                let mut get = |n: &str| session.var(n).map(str::to_string);
                let n = v.len() as i64;
                let off = super::arith::eval(offset, &mut get).unwrap_or(0);
                let start = if off < 0 { (n + off).max(0) } else { off.min(n) };
                let end = match length {
                    None => n,
                    Some(l) => {
                        let len = super::arith::eval(l, &mut get).unwrap_or(0);
                        if len < 0 { (n + len).max(start) } else { (start + len).min(n) }
                    }
                };
                v[start as usize..end.max(start) as usize].iter().collect()
            }
            ParamOp::Case { upper, all } => {
                let v = value.unwrap_or_default();
                let conv = |c: char| if *upper { c.to_uppercase().collect::<String>() } else { c.to_lowercase().collect() };
                if *all {
                    v.chars().map(conv).collect()
                } else {
                    let mut it = v.chars();
                    it.next().map(|c| conv(c) + it.as_str()).unwrap_or_default()
                }
            }
            ParamOp::Replace { all, pattern, with } => {
                let v = value.unwrap_or_default();
                let pat: Vec<Ch> = self.expand_string(&lexer::heredoc_word(pattern), out).chars().map(|c| (c, true)).collect();
                let with = self.expand_string(&lexer::heredoc_word(with), out);
                let chars: Vec<char> = v.chars().collect();
                // `${v/#pat/rep}` and `${v/%pat/rep}` only match at the start or the end.
                if let Some(((c, true), rest)) = pat.split_first()
                    && (*c == '#' || *c == '%')
                    && !*all
                {
                    let n = chars.len();
                    if *c == '#' {
                        if let Some(len) = (0..=n).rev().find(|&l| glob_match(rest, &chars[..l])) {
                            return format!("{with}{}", chars[len..].iter().collect::<String>());
                        }
                    } else if let Some(st) = (0..=n).find(|&st| glob_match(rest, &chars[st..])) {
                        return format!("{}{with}", chars[..st].iter().collect::<String>());
                    }
                    return v;
                }
                if pat.is_empty() {
                    return v;
                }
                let mut res = String::new();
                let mut i = 0;
                let mut replaced = false;
                while i < chars.len() {
                    if !replaced || *all {
                        // The longest match starting here.
                        if let Some(len) = (1..=chars.len() - i).rev().find(|&l| glob_match(&pat, &chars[i..i + l])) {
                            res.push_str(&with);
                            i += len;
                            replaced = true;
                            continue;
                        }
                    }
                    res.push(chars[i]);
                    i += 1;
                }
                res
            }
        }
    }

    /// Pathname expansion: the sorted paths matching a pattern, or none.
    fn glob(&mut self, pattern: &[Ch]) -> Vec<String> {
        let absolute = pattern.first().is_some_and(|(c, _)| *c == '/');
        let segments: Vec<&[Ch]> = pattern.split(|(c, _)| *c == '/').filter(|s| !s.is_empty()).collect();
        let cwd = self.session.cwd().to_string();
        let host = self.session.host().to_string();
        let Some(h) = self.world.hosts.get(&host) else { return Vec::new() };
        // Candidates as (display path, absolute path).
        let mut cands: Vec<(String, String)> = vec![if absolute { (String::new(), "/".to_string()) } else { (String::new(), cwd) }];
        for (i, seg) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            let has_glob = seg.iter().any(|(c, g)| *g && matches!(c, '*' | '?' | '['));
            let mut next = Vec::new();
            for (shown, abs) in &cands {
                let join = |name: &str| {
                    let shown = if shown.is_empty() && !absolute { name.to_string() } else { format!("{shown}/{name}") };
                    (shown, fs::resolve(abs, name))
                };
                if has_glob {
                    let Ok(names) = h.fs.list(abs) else { continue };
                    for name in names {
                        let chars: Vec<char> = name.chars().collect();
                        if name.starts_with('.') && seg.first().is_none_or(|(c, _)| *c != '.') {
                            continue;
                        }
                        if glob_match(seg, &chars) {
                            let (s, a) = join(&name);
                            if last || h.fs.is_dir(&a) {
                                next.push((s, a));
                            }
                        }
                    }
                } else {
                    let name: String = seg.iter().map(|(c, _)| *c).collect();
                    let (s, a) = join(&name);
                    if h.fs.exists(&a) {
                        next.push((s, a));
                    }
                }
            }
            cands = next;
        }
        let trailing_slash = pattern.last().is_some_and(|(c, _)| *c == '/');
        let mut res: Vec<String> = cands.into_iter().map(|(s, _)| if trailing_slash { format!("{s}/") } else { s }).collect();
        res.sort();
        res
    }
}

/// Arithmetic's view of the shell's variables, arrays included (`a[2]` has a numeric subscript).
struct ShellVars<'a, 'w> {
    sh: &'a mut Shell<'w>,
}

impl super::arith::Vars for ShellVars<'_, '_> {
    fn get(&mut self, name: &str) -> Option<String> {
        match name.strip_suffix(']').and_then(|n| n.split_once('[')) {
            Some((base, key)) => match self.sh.session.array(base) {
                Some(a) => a.get(key).map(str::to_string),
                None if key == "0" => self.sh.session.var(base).map(str::to_string),
                None => None,
            },
            None => self.sh.lookup(name),
        }
    }

    fn set(&mut self, name: &str, value: i64) {
        match name.strip_suffix(']').and_then(|n| n.split_once('[')) {
            Some((base, key)) => self.sh.session.array_mut(base, false).set(key, &value.to_string()),
            None => self.sh.session.set_var(name, &value.to_string()),
        }
    }
}

/// Brace expansion on unquoted text: `{a,b}` alternatives and `{1..3}` / `{a..c}` sequences.
fn brace_expand(chars: Vec<Ch>, depth: usize) -> Vec<Vec<Ch>> {
    if depth > 16 {
        return vec![chars];
    }
    // The first unquoted `{` with a matching `}` and a top-level `,` or a `..` sequence.
    for open in 0..chars.len() {
        if chars[open] != ('{', true) {
            continue;
        }
        let mut level = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (i, &(c, special)) in chars.iter().enumerate().skip(open + 1) {
            if !special {
                continue;
            }
            match c {
                '{' => level += 1,
                '}' if level == 0 => {
                    close = Some(i);
                    break;
                }
                '}' => level -= 1,
                ',' if level == 0 => commas.push(i),
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        let (pre, post) = (&chars[..open], &chars[close + 1..]);
        let mut alts: Vec<Vec<Ch>> = Vec::new();
        if commas.is_empty() {
            let inner: String = chars[open + 1..close].iter().map(|(c, _)| *c).collect();
            let Some((a, b)) = inner.split_once("..") else { continue };
            // `{1..10..2}`: an optional step (its sign is ignored, as in bash).
            let (b, step) = match b.split_once("..") {
                Some((b, st)) => match st.parse::<i64>() {
                    Ok(st) => (b, st.unsigned_abs().max(1) as usize),
                    Err(_) => continue,
                },
                None => (b, 1),
            };
            let seq: Vec<String> = if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
                if (x - y).abs() > 100_000 {
                    continue;
                }
                // `{01..10}`: a leading zero pads every number to the widest endpoint.
                let padded = |s: &str| s.trim_start_matches('-').len() > 1 && s.trim_start_matches('-').starts_with('0');
                let width = if padded(a) || padded(b) { a.len().max(b.len()) } else { 0 };
                let fmt = |n: i64| if n < 0 { format!("-{:0w$}", -n, w = width.saturating_sub(1)) } else { format!("{n:0width$}") };
                if x <= y { (x..=y).step_by(step).map(fmt).collect() } else { (y..=x).rev().step_by(step).map(fmt).collect() }
            } else if let ([x], [y]) = (a.as_bytes(), b.as_bytes()) {
                if x <= y {
                    (*x..=*y).step_by(step).map(|c| (c as char).to_string()).collect()
                } else {
                    (*y..=*x).rev().step_by(step).map(|c| (c as char).to_string()).collect()
                }
            } else {
                continue;
            };
            alts = seq.into_iter().map(|s| s.chars().map(|c| (c, false)).collect()).collect();
        } else {
            let mut start = open + 1;
            for &c in commas.iter().chain(std::iter::once(&close)) {
                alts.push(chars[start..c].to_vec());
                start = c + 1;
            }
        }
        let mut out = Vec::new();
        for alt in alts {
            let mut v = pre.to_vec();
            v.extend(alt);
            v.extend_from_slice(post);
            out.extend(brace_expand(v, depth + 1));
        }
        return out;
    }
    vec![chars]
}

/// Matches glob characters (`*`, `?`, `[…]`) that are marked special against text.
pub fn glob_match(pat: &[Ch], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pat.len() {
            let (c, special) = pat[p];
            if special && c == '*' {
                star = Some((p, t));
                p += 1;
                continue;
            }
            if special && c == '?' {
                p += 1;
                t += 1;
                continue;
            }
            if special
                && c == '['
                && let Some((matched, len)) = bracket(&pat[p..], text[t])
            {
                if matched {
                    p += len;
                    t += 1;
                    continue;
                }
            } else if c == text[t] {
                p += 1;
                t += 1;
                continue;
            }
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    pat[p..].iter().all(|(c, g)| *g && *c == '*')
}

/// Matches one `[…]` class at the start of `pat`: (whether `c` matched, pattern length), or
/// `None` when the bracket is not closed (then it is a literal `[`).
fn bracket(pat: &[Ch], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pat.get(i), Some(('!' | '^', _)));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < pat.len() {
        let (pc, _) = pat[i];
        if pc == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if pc == '[' && pat.get(i + 1).map(|x| x.0) == Some(':') {
            let rest: String = pat[i + 2..].iter().map(|x| x.0).collect();
            if let Some(end) = rest.find(":]") {
                let class = &rest[..end];
                matched |= match class {
                    "alpha" => c.is_alphabetic(),
                    "digit" => c.is_ascii_digit(),
                    "alnum" => c.is_alphanumeric(),
                    "upper" => c.is_uppercase(),
                    "lower" => c.is_lowercase(),
                    "space" => c.is_whitespace(),
                    _ => false,
                };
                i += 2 + end + 2;
                continue;
            }
        }
        if pat.get(i + 1).map(|x| x.0) == Some('-') && pat.get(i + 2).is_some_and(|x| x.0 != ']') {
            let hi = pat[i + 2].0;
            matched |= pc <= c && c <= hi;
            i += 3;
            continue;
        }
        matched |= pc == c;
        i += 1;
    }
    None
}

/// Matches a whole string against a glob (all glob characters special), as `case` and `[[ == ]]` do.
pub fn glob_str(pattern: &str, text: &str) -> bool {
    let pat: Vec<Ch> = pattern.chars().map(|c| (c, true)).collect();
    let text: Vec<char> = text.chars().collect();
    glob_match(&pat, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_bash() {
        assert!(glob_str("*.yaml", "pod.yaml"));
        assert!(!glob_str("*.yaml", "pod.yml"));
        assert!(glob_str("p?d*", "pod.yaml"));
        assert!(glob_str("[a-c]x", "bx"));
        assert!(!glob_str("[!a-c]x", "bx"));
        assert!(glob_str("[[:digit:]]*", "1abc"));
        assert!(glob_str("a[", "a["));
        assert!(glob_str("*", ""));
    }
}
