//! `sort [-n] [-r] [-u] [-f] [-h] [-V] [-k POS1[,POS2]] [-t SEP] [FILE]...` in byte order (the C
//! collation), stable with GNU's last-resort whole-line comparison.

use std::cmp::Ordering;

use super::util;
use crate::programs::Ctx;

#[derive(Clone, Copy)]
struct Key {
    start: usize,
    end: Option<usize>,
    numeric: bool,
    reverse: bool,
}

fn field<'a>(line: &'a str, k: &Key, sep: Option<char>) -> &'a str {
    // Field boundaries: with -t, split on the separator; otherwise blank-to-nonblank transitions
    // (leading blanks belong to the field).
    let mut bounds = Vec::new();
    match sep {
        Some(s) => {
            let mut st = 0;
            for (i, c) in line.char_indices() {
                if c == s {
                    bounds.push((st, i));
                    st = i + c.len_utf8();
                }
            }
            bounds.push((st, line.len()));
        }
        None => {
            let b = line.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let st = i;
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
                while i < b.len() && b[i] != b' ' && b[i] != b'\t' {
                    i += 1;
                }
                bounds.push((st, i));
            }
        }
    }
    let Some(&(s, _)) = bounds.get(k.start - 1) else { return "" };
    let e = match k.end {
        Some(e) => bounds.get(e - 1).map_or(line.len(), |b| b.1),
        None => line.len(),
    };
    line.get(s..e.max(s)).unwrap_or("")
}

fn num_prefix(s: &str) -> f64 {
    let t = s.trim_start();
    let end = t
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-'))
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    t[..end].parse().unwrap_or(0.0)
}

fn human_value(s: &str) -> f64 {
    let t = s.trim();
    let v = num_prefix(t);
    let suffix = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-').chars().next();
    let mult = match suffix {
        Some('K' | 'k') => 1e3,
        Some('M') => 1e6,
        Some('G') => 1e9,
        Some('T') => 1e12,
        _ => 1.0,
    };
    v * mult
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "nrufhVbsMcC",
        "ktoS",
        &[
            ("numeric-sort", false),
            ("reverse", false),
            ("unique", false),
            ("ignore-case", false),
            ("human-numeric-sort", false),
            ("version-sort", false),
            ("key", true),
            ("field-separator", true),
            ("output", true),
        ],
        false,
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("sort"));
            return 2;
        }
    };
    let numeric = p.has(&["n", "numeric-sort"]);
    let human = p.has(&["h", "human-numeric-sort"]);
    let reverse = p.has(&["r", "reverse"]);
    let unique = p.has(&["u", "unique"]);
    let fold = p.has(&["f", "ignore-case"]);
    let version = p.has(&["V", "version-sort"]);
    let sep = match p.value(&["t", "field-separator"]) {
        Some(s) if s.chars().count() == 1 => s.chars().next(),
        Some(s) => {
            ctx.out.err(format!("sort: multi-character tab ‘{s}’\n"));
            return 2;
        }
        None => None,
    };
    let mut keys = Vec::new();
    for k in p.values(&["k", "key"]) {
        let (a, b) = k.split_once(',').map_or((k.as_str(), None), |(a, b)| (a, Some(b)));
        let parse_pos = |s: &str| -> Option<(usize, String)> {
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            let rest: String = s.chars().skip_while(|c| c.is_ascii_digit() || *c == '.').collect();
            digits.parse::<usize>().ok().filter(|n| *n > 0).map(|n| (n, rest))
        };
        let Some((start, f1)) = parse_pos(a) else {
            ctx.out.err(format!("sort: invalid number at field start: invalid count at start of ‘{k}’\n"));
            return 2;
        };
        let (end, f2) = match b.map(parse_pos) {
            Some(Some((e, f))) => (Some(e), f),
            Some(None) => {
                ctx.out.err(format!("sort: invalid number after ‘,’: invalid count at start of ‘{}’\n", b.unwrap_or("")));
                return 2;
            }
            None => (None, String::new()),
        };
        let flags = format!("{f1}{f2}");
        keys.push(Key { start, end, numeric: flags.contains('n'), reverse: flags.contains('r') });
    }
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut lines = Vec::new();
    for f in &files {
        match util::read_input(ctx, f) {
            Ok(d) => lines.extend(util::lines(&d)),
            Err(e) => {
                ctx.out.err(format!("sort: cannot read: {f}: {e}\n"));
                return 2;
            }
        }
    }
    let cmp_text = |a: &str, b: &str, num: bool| -> Ordering {
        if num {
            num_prefix(a).partial_cmp(&num_prefix(b)).unwrap_or(Ordering::Equal)
        } else if human {
            human_value(a).partial_cmp(&human_value(b)).unwrap_or(Ordering::Equal)
        } else if version {
            version_cmp(a, b)
        } else if fold {
            a.to_uppercase().cmp(&b.to_uppercase())
        } else {
            a.cmp(b)
        }
    };
    let compare = |a: &String, b: &String| -> Ordering {
        for k in &keys {
            let o = cmp_text(field(a, k, sep), field(b, k, sep), k.numeric || numeric);
            let o = if k.reverse { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        if keys.is_empty() {
            let o = cmp_text(a, b, numeric);
            if o != Ordering::Equal {
                return o;
            }
        }
        if unique {
            return Ordering::Equal;
        }
        // Last resort: the whole line, bytewise.
        a.cmp(b)
    };
    lines.sort_by(|a, b| {
        let o = compare(a, b);
        if reverse { o.reverse() } else { o }
    });
    if unique {
        lines.dedup_by(|a, b| compare(a, b) == Ordering::Equal);
    }
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    match p.value(&["o", "output"]) {
        Some(f) => {
            let f = f.to_string();
            if let Err(e) = util::write_file(ctx, &f, text.as_bytes(), false) {
                ctx.out.err(format!("sort: open failed: {f}: {e}\n"));
                return 2;
            }
        }
        None => ctx.out.out(text),
    }
    0
}

fn version_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let mut n1 = String::new();
                while let Some(c) = x.next_if(char::is_ascii_digit) {
                    n1.push(c);
                }
                let mut n2 = String::new();
                while let Some(c) = y.next_if(char::is_ascii_digit) {
                    n2.push(c);
                }
                let o = n1.parse::<u128>().unwrap_or(0).cmp(&n2.parse::<u128>().unwrap_or(0));
                if o != Ordering::Equal {
                    return o;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}
