//! `sed [-n] [-i[SUFFIX]] [-E|-r] [-e SCRIPT]... [SCRIPT] [FILE]...`: the stream editor with the
//! commands exam tasks use: `s///` (g, p, i, N), `d`, `p`, `q`, `a`, `i`, `c`, `y`, `=`, `{…}`,
//! with line-number, `$` and `/regex/` addresses, ranges and `!`.

use regex::Regex;

use super::{regex_posix, util};
use crate::programs::Ctx;

#[derive(Debug, Clone)]
enum Addr {
    Line(usize),
    /// `first~step`
    Step(usize, usize),
    Last,
    Re(Regex),
}

#[derive(Debug, Clone)]
enum Cmd {
    Subst { re: Regex, rep: Vec<RepPart>, global: bool, nth: usize, print: bool },
    Delete,
    Print,
    Quit(i32),
    QuitSilent(i32),
    Append(String),
    Insert(String),
    Change(String),
    Translit(Vec<char>, Vec<char>),
    LineNo,
    Next,
    Block(Vec<Item>),
}

#[derive(Debug, Clone)]
enum RepPart {
    Lit(String),
    Group(usize),
}

#[derive(Debug, Clone)]
struct Item {
    a1: Option<Addr>,
    a2: Option<Addr>,
    negate: bool,
    cmd: Cmd,
}

struct ParseCtx<'a> {
    c: Vec<char>,
    i: usize,
    extended: bool,
    _src: &'a str,
}

fn err(msg: &str, pos: usize) -> String {
    format!("sed: -e expression #1, char {pos}: {msg}\n")
}

impl ParseCtx<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.i += 1;
        }
    }

    /// Reads up to an unescaped delimiter; `\delim` becomes the delimiter itself.
    fn until(&mut self, delim: char, keep_escapes: bool) -> Result<String, String> {
        let mut s = String::new();
        loop {
            let Some(ch) = self.peek() else { return Err(err("unterminated `s' command", self.i)) };
            self.i += 1;
            if ch == delim {
                return Ok(s);
            }
            if ch == '\\' {
                let Some(n) = self.peek() else { return Err(err("unterminated `s' command", self.i)) };
                self.i += 1;
                if n == delim && delim != '&' {
                    // `\/` in a pattern is a literal delimiter.
                    if keep_escapes && "$*.[]^\\+?(){}|".contains(n) {
                        s.push('\\');
                    }
                    s.push(n);
                } else if n == 'n' {
                    s.push('\n');
                } else {
                    s.push('\\');
                    s.push(n);
                }
                continue;
            }
            if ch == '\n' && !keep_escapes {
                s.push(ch);
                continue;
            }
            s.push(ch);
        }
    }

    fn regex(&mut self, pat: &str, icase: bool) -> Result<Regex, String> {
        regex_posix::compile(pat, self.extended, icase).map_err(|_| err("unterminated address regex", self.i))
    }

    fn addr(&mut self) -> Result<Option<Addr>, String> {
        match self.peek() {
            Some(d) if d.is_ascii_digit() => {
                let st = self.i;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.i += 1;
                }
                let n: String = self.c[st..self.i].iter().collect();
                let first = n.parse().unwrap_or(usize::MAX);
                if self.peek() == Some('~') {
                    self.i += 1;
                    let st = self.i;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.i += 1;
                    }
                    let step: String = self.c[st..self.i].iter().collect();
                    return Ok(Some(Addr::Step(first, step.parse().unwrap_or(0))));
                }
                Ok(Some(Addr::Line(first)))
            }
            Some('$') => {
                self.i += 1;
                Ok(Some(Addr::Last))
            }
            Some(d @ ('/' | '\\')) => {
                self.i += 1;
                let delim = if d == '\\' {
                    let Some(x) = self.peek() else { return Err(err("unexpected `,'", self.i)) };
                    self.i += 1;
                    x
                } else {
                    '/'
                };
                let pat = self.until(delim, true).map_err(|_| err("unterminated address regex", self.i))?;
                let icase = self.peek() == Some('I');
                if icase {
                    self.i += 1;
                }
                Ok(Some(Addr::Re(self.regex(&pat, icase)?)))
            }
            _ => Ok(None),
        }
    }

    /// Text of `a`, `i`, `c`: `a\` + newline + text, or GNU's one-line `a text`.
    fn text_arg(&mut self) -> String {
        self.skip_ws();
        if self.peek() == Some('\\') {
            self.i += 1;
            if self.peek() == Some('\n') {
                self.i += 1;
            }
        }
        let mut s = String::new();
        while let Some(ch) = self.peek() {
            if ch == '\n' {
                break;
            }
            self.i += 1;
            if ch == '\\' {
                if let Some(n) = self.peek() {
                    self.i += 1;
                    s.push(if n == 't' { '\t' } else { n });
                }
                continue;
            }
            s.push(ch);
        }
        s
    }

    fn items(&mut self, in_block: bool) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        loop {
            while matches!(self.peek(), Some(' ' | '\t' | '\n' | ';')) {
                self.i += 1;
            }
            let Some(_) = self.peek() else {
                if in_block {
                    return Err(err("unmatched `{'", self.i));
                }
                return Ok(items);
            };
            if self.peek() == Some('}') {
                if in_block {
                    self.i += 1;
                    return Ok(items);
                }
                return Err(err("unexpected `}'", self.i + 1));
            }
            if self.peek() == Some('#') {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.i += 1;
                }
                continue;
            }
            let a1 = self.addr()?;
            let mut a2 = None;
            if a1.is_some() && self.peek() == Some(',') {
                self.i += 1;
                a2 = self.addr()?;
                if a2.is_none() {
                    return Err(err("unexpected `,'", self.i));
                }
            }
            self.skip_ws();
            let mut negate = false;
            while self.peek() == Some('!') {
                negate = true;
                self.i += 1;
                self.skip_ws();
            }
            let Some(ch) = self.peek() else { return Err(err("missing command", self.i)) };
            self.i += 1;
            let cmd = match ch {
                's' => {
                    let Some(delim) = self.peek() else { return Err(err("unterminated `s' command", self.i)) };
                    self.i += 1;
                    let pat = self.until(delim, true)?;
                    let rep_src = self.until(delim, false)?;
                    let (mut global, mut nth, mut print, mut icase) = (false, 1, false, false);
                    while let Some(f) = self.peek() {
                        match f {
                            'g' => global = true,
                            'p' => print = true,
                            'i' | 'I' => icase = true,
                            'm' | 'M' | 'e' => {}
                            d if d.is_ascii_digit() => {
                                let st = self.i;
                                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                                    self.i += 1;
                                }
                                let n: String = self.c[st..self.i].iter().collect();
                                nth = n.parse().unwrap_or(1).max(1);
                                continue;
                            }
                            ';' | '\n' | ' ' | '}' | '\t' => break,
                            _ => return Err(err("unknown option to `s'", self.i + 1)),
                        }
                        self.i += 1;
                    }
                    let re = regex_posix::compile(&pat, self.extended, icase).map_err(|_| err("unterminated `s' command", self.i))?;
                    Cmd::Subst { re, rep: replacement(&rep_src), global, nth, print }
                }
                'd' => Cmd::Delete,
                'p' => Cmd::Print,
                'n' => Cmd::Next,
                '=' => Cmd::LineNo,
                'q' | 'Q' => {
                    self.skip_ws();
                    let st = self.i;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.i += 1;
                    }
                    let n: String = self.c[st..self.i].iter().collect();
                    let code = n.parse().unwrap_or(0);
                    if ch == 'q' { Cmd::Quit(code) } else { Cmd::QuitSilent(code) }
                }
                'a' => Cmd::Append(self.text_arg()),
                'i' => Cmd::Insert(self.text_arg()),
                'c' => Cmd::Change(self.text_arg()),
                'y' => {
                    let Some(delim) = self.peek() else { return Err(err("unterminated `y' command", self.i)) };
                    self.i += 1;
                    let from: Vec<char> = self.until(delim, false)?.chars().collect();
                    let to: Vec<char> = self.until(delim, false)?.chars().collect();
                    if from.len() != to.len() {
                        return Err(err("strings for `y' command are different lengths", self.i));
                    }
                    Cmd::Translit(from, to)
                }
                '{' => Cmd::Block(self.items(true)?),
                other => return Err(err(&format!("unknown command: `{other}'"), self.i)),
            };
            items.push(Item { a1, a2, negate, cmd });
        }
    }
}

fn replacement(src: &str) -> Vec<RepPart> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let c: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '&' => {
                if !lit.is_empty() {
                    parts.push(RepPart::Lit(std::mem::take(&mut lit)));
                }
                parts.push(RepPart::Group(0));
            }
            '\\' if i + 1 < c.len() => {
                i += 1;
                match c[i] {
                    d if d.is_ascii_digit() => {
                        if !lit.is_empty() {
                            parts.push(RepPart::Lit(std::mem::take(&mut lit)));
                        }
                        parts.push(RepPart::Group(d.to_digit(10).unwrap_or(0) as usize));
                    }
                    'n' => lit.push('\n'),
                    't' => lit.push('\t'),
                    other => lit.push(other),
                }
            }
            ch => lit.push(ch),
        }
        i += 1;
    }
    if !lit.is_empty() {
        parts.push(RepPart::Lit(lit));
    }
    parts
}

fn substitute(re: &Regex, rep: &[RepPart], global: bool, nth: usize, line: &str) -> Option<String> {
    let mut out = String::new();
    let mut last = 0;
    let mut count = 0;
    let mut done = false;
    for caps in re.captures_iter(line) {
        let Some(m) = caps.get(0) else { continue };
        count += 1;
        if count < nth {
            continue;
        }
        out.push_str(&line[last..m.start()]);
        for p in rep {
            match p {
                RepPart::Lit(s) => out.push_str(s),
                RepPart::Group(g) => out.push_str(caps.get(*g).map_or("", |m| m.as_str())),
            }
        }
        last = m.end();
        done = true;
        if !global {
            break;
        }
    }
    if !done {
        return None;
    }
    out.push_str(&line[last..]);
    Some(out)
}

struct State {
    /// Active ranges by item path.
    ranges: std::collections::HashMap<usize, bool>,
    quit: Option<i32>,
}

struct Line<'a> {
    text: String,
    n: usize,
    last: bool,
    deleted: bool,
    append: Vec<String>,
    out: &'a mut String,
    quiet: bool,
}

fn addr_match(a: &Addr, l: &Line<'_>) -> bool {
    match a {
        Addr::Line(n) => l.n == *n,
        Addr::Step(first, step) => {
            if *step == 0 {
                l.n == *first
            } else {
                l.n >= *first && (l.n - first).is_multiple_of(*step)
            }
        }
        Addr::Last => l.last,
        Addr::Re(r) => r.is_match(&l.text),
    }
}

fn selected(item: &Item, id: usize, l: &Line<'_>, st: &mut State) -> bool {
    let m = match (&item.a1, &item.a2) {
        (None, _) => true,
        (Some(a), None) => addr_match(a, l),
        (Some(a1), Some(a2)) => {
            let active = st.ranges.get(&id).copied().unwrap_or(false);
            if active {
                let end = match a2 {
                    Addr::Line(n) => l.n >= *n,
                    other => addr_match(other, l),
                };
                if end {
                    st.ranges.insert(id, false);
                }
                true
            } else if addr_match(a1, l) {
                let ends_now = matches!(a2, Addr::Line(n) if *n <= l.n);
                st.ranges.insert(id, !ends_now);
                true
            } else {
                false
            }
        }
    };
    m != item.negate
}

/// Runs the script on one line; returns false when the cycle should stop (delete / quit).
fn exec(items: &[Item], base: usize, l: &mut Line<'_>, st: &mut State, next_line: &mut dyn FnMut() -> Option<(String, bool)>) -> bool {
    for (k, item) in items.iter().enumerate() {
        let id = base * 64 + k + 1;
        if !selected(item, id, l, st) {
            continue;
        }
        match &item.cmd {
            Cmd::Subst { re, rep, global, nth, print } => {
                if let Some(new) = substitute(re, rep, *global, *nth, &l.text) {
                    l.text = new;
                    if *print {
                        l.out.push_str(&l.text);
                        l.out.push('\n');
                    }
                }
            }
            Cmd::Delete => {
                l.deleted = true;
                return false;
            }
            Cmd::Print => {
                l.out.push_str(&l.text);
                l.out.push('\n');
            }
            Cmd::Quit(c) => {
                st.quit = Some(*c);
                return false;
            }
            Cmd::QuitSilent(c) => {
                st.quit = Some(*c);
                l.deleted = true;
                return false;
            }
            Cmd::Append(t) => l.append.push(t.clone()),
            Cmd::Insert(t) => {
                l.out.push_str(t);
                l.out.push('\n');
            }
            Cmd::Change(t) => {
                // In a range, the text replaces the whole range (printed at its end).
                let in_range = item.a2.is_some() && st.ranges.get(&id).copied().unwrap_or(false) && !item.negate;
                if !in_range {
                    l.out.push_str(t);
                    l.out.push('\n');
                }
                l.deleted = true;
                return false;
            }
            Cmd::Translit(from, to) => {
                l.text = l.text.chars().map(|c| from.iter().position(|f| *f == c).map_or(c, |i| to[i])).collect();
            }
            Cmd::LineNo => l.out.push_str(&format!("{}\n", l.n)),
            Cmd::Next => {
                if !l.quiet {
                    l.out.push_str(&l.text);
                    l.out.push('\n');
                }
                for a in std::mem::take(&mut l.append) {
                    l.out.push_str(&a);
                    l.out.push('\n');
                }
                match next_line() {
                    Some((t, last)) => {
                        l.text = t;
                        l.n += 1;
                        l.last = last;
                    }
                    None => {
                        l.deleted = true;
                        return false;
                    }
                }
            }
            Cmd::Block(inner) => {
                if !exec(inner, id, l, st, next_line) {
                    return false;
                }
            }
        }
    }
    true
}

/// Runs the script over the lines of `data`; returns the output and the quit status if any.
fn process(items: &[Item], data: &[u8], quiet: bool, start_line: usize, st: &mut State, final_chunk: bool) -> (String, usize) {
    let text = String::from_utf8_lossy(data).into_owned();
    let no_final_newline = !text.is_empty() && !text.ends_with('\n');
    let lines = util::lines(data);
    let mut out = String::new();
    let mut idx = 0;
    let mut n = start_line;
    let total = lines.len();
    while idx < total && st.quit.is_none() {
        let text = lines[idx].clone();
        idx += 1;
        n += 1;
        let mut line = Line { text, n, last: final_chunk && idx == total, deleted: false, append: Vec::new(), out: &mut out, quiet };
        let mut cursor = idx;
        let mut next = || {
            if cursor < total {
                cursor += 1;
                Some((lines[cursor - 1].clone(), final_chunk && cursor == total))
            } else {
                None
            }
        };
        exec(items, 0, &mut line, st, &mut next);
        let consumed = cursor - idx;
        let Line { text, deleted, append, n: ln, .. } = line;
        idx += consumed;
        n = ln;
        if !deleted && !quiet {
            out.push_str(&text);
            if !(no_final_newline && idx == total) {
                out.push('\n');
            }
        }
        for a in append {
            out.push_str(&a);
            out.push('\n');
        }
    }
    (out, n)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut scripts: Vec<String> = Vec::new();
    let mut files = Vec::new();
    let mut quiet = false;
    let mut in_place: Option<String> = None;
    let mut extended = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        match a.as_str() {
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-s" | "--separate" | "-u" | "-z" => {}
            "-e" | "--expression" => match args.get(i) {
                Some(s) => {
                    scripts.push(s.clone());
                    i += 1;
                }
                None => {
                    ctx.out.err("sed: option requires an argument -- 'e'\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n");
                    return 1;
                }
            },
            "-f" => {
                if let Some(f) = args.get(i) {
                    i += 1;
                    match util::read_input(ctx, f) {
                        Ok(d) => scripts.push(String::from_utf8_lossy(&d).into_owned()),
                        Err(e) => {
                            ctx.out.err(format!("sed: couldn't open file {f}: {e}\n"));
                            return 1;
                        }
                    }
                }
            }
            s if s.starts_with("-i") || s.starts_with("--in-place") => {
                in_place = Some(s.strip_prefix("--in-place=").or_else(|| s.strip_prefix("-i")).unwrap_or("").to_string());
            }
            s if s.starts_with("-e") && s.len() > 2 => scripts.push(s[2..].to_string()),
            s if s.starts_with('-') && s.len() > 1 && !s.starts_with("--") => {
                // Clustered flags such as `-ne`, `-Ei`.
                let flags: Vec<char> = s[1..].chars().collect();
                for (k, f) in flags.iter().enumerate() {
                    match f {
                        'n' => quiet = true,
                        'E' | 'r' => extended = true,
                        's' | 'u' | 'z' => {}
                        'i' => {
                            in_place = Some(flags[k + 1..].iter().collect());
                            break;
                        }
                        'e' => {
                            if let Some(sc) = args.get(i) {
                                scripts.push(sc.clone());
                                i += 1;
                            }
                        }
                        other => {
                            ctx.out.err(format!("sed: invalid option -- '{other}'\nUsage: sed [OPTION]... {{script-only-if-no-other-script}} [input-file]...\n\n"));
                            return 1;
                        }
                    }
                }
            }
            _ => {
                if scripts.is_empty() && files.is_empty() && !args[..i - 1].iter().any(|x| x == "-e" || x == "-f") {
                    scripts.push(a.clone());
                } else {
                    files.push(a.clone());
                }
            }
        }
    }
    if scripts.is_empty() {
        ctx.out.err("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n");
        return 1;
    }
    let script = scripts.join("\n");
    let mut pc = ParseCtx { c: script.chars().collect(), i: 0, extended, _src: &script };
    let items = match pc.items(false) {
        Ok(items) => items,
        Err(e) => {
            ctx.out.err(e);
            return 1;
        }
    };
    let mut st = State { ranges: Default::default(), quit: None };
    let mut status = 0;
    if let Some(suffix) = in_place {
        if files.is_empty() {
            ctx.out.err("sed: no input files\n");
            return 1;
        }
        for f in &files {
            let data = match util::read_input(ctx, f) {
                Ok(d) => d,
                Err(e) => {
                    let e = if e == crate::host::FsError::IsADirectory { "Not a regular file".to_string() } else { e.to_string() };
                    ctx.out.err(format!("sed: can't read {f}: {e}\n"));
                    status = 2;
                    continue;
                }
            };
            st.ranges.clear();
            let (out, _) = process(&items, &data, quiet, 0, &mut st, true);
            if !suffix.is_empty() {
                let backup = if suffix.contains('*') { suffix.replace('*', f) } else { format!("{f}{suffix}") };
                let _ = util::write_file(ctx, &backup, &data, false);
            }
            let _ = util::write_file(ctx, f, out.as_bytes(), false);
            if st.quit.is_some() {
                break;
            }
        }
        return st.quit.unwrap_or(status);
    }
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut datas = Vec::new();
    for f in &inputs {
        match util::read_input(ctx, f) {
            Ok(d) => datas.push(d),
            Err(e) => {
                let e = if e == crate::host::FsError::IsADirectory { "read error on ".to_string() } else { e.to_string() };
                if e.starts_with("read error") {
                    ctx.out.err(format!("sed: couldn't edit {f}: not a regular file\n"));
                } else {
                    ctx.out.err(format!("sed: can't read {f}: {e}\n"));
                }
                status = 2;
            }
        }
    }
    // Lines of all inputs form one stream: numbers continue and `$` is the very last line.
    let mut all = Vec::new();
    for d in datas {
        if !all.is_empty() && !all.ends_with(b"\n") {
            all.push(b'\n');
        }
        all.extend(d);
    }
    let (out, _) = process(&items, &all, quiet, 0, &mut st, true);
    ctx.out.out(out);
    st.quit.unwrap_or(status)
}
