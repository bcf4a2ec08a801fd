//! `ls [-l] [-a|-A] [-1] [-R] [-d] [-h] [-r] [-t] [-S] [FILE]...`: one name per line (as when
//! output is not a terminal), long listings with owner `root root` and the simulated clock as
//! every file's time.

use super::util;
use crate::host::fs::{self, Node};
use crate::programs::Ctx;
use crate::world::clock;

struct Opts {
    long: bool,
    all: bool,
    almost: bool,
    recursive: bool,
    dir_only: bool,
    human: bool,
    reverse: bool,
    by_size: bool,
    classify: bool,
}

fn mode_string(node: &Node) -> String {
    let (kind, mode) = match node {
        Node::Dir { mode } => ('d', *mode),
        Node::File { mode, .. } => ('-', *mode),
    };
    let mut s = String::from(kind);
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

fn size_of(node: &Node) -> u64 {
    match node {
        Node::Dir { .. } => 4096,
        Node::File { data, .. } => data.len() as u64,
    }
}

/// Disk usage in 1K blocks as `total` counts it (4K filesystem blocks).
fn blocks(node: &Node) -> u64 {
    size_of(node).div_ceil(4096) * 4
}

fn human(n: u64) -> String {
    if n < 1024 {
        return n.to_string();
    }
    let mut v = n as f64;
    let mut unit = 0;
    let units = ['K', 'M', 'G', 'T'];
    while v >= 1024.0 && unit < units.len() {
        v /= 1024.0;
        unit += 1;
    }
    let u = units[unit - 1];
    // GNU rounds up, with one decimal below 10.
    if v < 10.0 { format!("{:.1}{u}", (v * 10.0).ceil() / 10.0) } else { format!("{}{u}", v.ceil() as u64) }
}

fn date_string(now: i64) -> String {
    let (_, mo, d, h, mi, _) = clock::civil(now);
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!("{} {d:>2} {h:02}:{mi:02}", MONTHS[(mo - 1) as usize])
}

/// Number of links: directories count `.`, their entry in the parent and each subdirectory's `..`.
fn links(ctx: &mut Ctx<'_>, path: &str, node: &Node) -> usize {
    match node {
        Node::File { .. } => 1,
        Node::Dir { .. } => {
            let children = ctx.fs().list(path).unwrap_or_default();
            2 + children.iter().filter(|c| ctx.fs().is_dir(&fs::resolve(path, c))).count()
        }
    }
}

/// Entries as (shown name, absolute path, node).
fn long_lines(ctx: &mut Ctx<'_>, entries: &[(String, String, Node)], o: &Opts) -> Vec<String> {
    let now = ctx.world.clock.now;
    let rows: Vec<(String, usize, String, String)> = entries
        .iter()
        .map(|(name, path, node)| {
            let size = if o.human { human(size_of(node)) } else { size_of(node).to_string() };
            let shown = if o.classify && matches!(node, Node::Dir { .. }) { format!("{name}/") } else { name.clone() };
            (mode_string(node), links(ctx, path, node), size, shown)
        })
        .collect();
    let lw = rows.iter().map(|r| r.1.to_string().len()).max().unwrap_or(1);
    let sw = rows.iter().map(|r| r.2.len()).max().unwrap_or(1);
    let date = date_string(now);
    rows.into_iter().map(|(m, l, s, n)| format!("{m} {l:>lw$} root root {s:>sw$} {date} {n}\n")).collect()
}

fn sort_entries(entries: &mut [(String, String, Node)], o: &Opts) {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    if o.by_size {
        entries.sort_by_key(|e| std::cmp::Reverse(size_of(&e.2)));
    }
    if o.reverse {
        entries.reverse();
    }
}

fn list_dir(ctx: &mut Ctx<'_>, shown: &str, path: &str, o: &Opts, out: &mut String, header: bool, first: &mut bool) {
    let names = ctx.fs().list(path).unwrap_or_default();
    let mut entries: Vec<(String, String, Node)> = Vec::new();
    if o.all {
        for dot in [".", ".."] {
            let p = fs::resolve(path, dot);
            if let Some(n) = ctx.fs().get(&p).cloned() {
                entries.push((dot.to_string(), p, n));
            }
        }
    }
    for name in names {
        if name.starts_with('.') && !o.all && !o.almost {
            continue;
        }
        let p = fs::resolve(path, &name);
        if let Some(n) = ctx.fs().get(&p).cloned() {
            entries.push((name, p, n));
        }
    }
    sort_entries(&mut entries, o);
    if header {
        if !*first {
            out.push('\n');
        }
        out.push_str(&format!("{shown}:\n"));
    }
    *first = false;
    if o.long {
        let total: u64 = entries.iter().map(|e| blocks(&e.2)).sum();
        out.push_str(&format!("total {}\n", if o.human { human(total * 1024) } else { total.to_string() }));
        for l in long_lines(ctx, &entries, o) {
            out.push_str(&l);
        }
    } else {
        for (name, _, node) in &entries {
            let suffix = if o.classify && matches!(node, Node::Dir { .. }) { "/" } else { "" };
            out.push_str(&format!("{name}{suffix}\n"));
        }
    }
    if o.recursive {
        for (name, p, node) in &entries {
            if matches!(node, Node::Dir { .. }) && name != "." && name != ".." {
                let sub = if shown.ends_with('/') { format!("{shown}{name}") } else { format!("{shown}/{name}") };
                list_dir(ctx, &sub, p, o, out, true, first);
            }
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "laA1RdhrtSFpcCuxUvG",
        "IwT",
        &[
            ("all", false),
            ("almost-all", false),
            ("recursive", false),
            ("directory", false),
            ("human-readable", false),
            ("reverse", false),
            ("color", false),
            ("classify", false),
            ("sort", true),
        ],
        false,
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("ls"));
            return 2;
        }
    };
    let o = Opts {
        long: p.has(&["l"]),
        all: p.has(&["a", "all"]),
        almost: p.has(&["A", "almost-all"]),
        recursive: p.has(&["R", "recursive"]),
        dir_only: p.has(&["d", "directory"]),
        human: p.has(&["h", "human-readable"]),
        reverse: p.has(&["r", "reverse"]),
        by_size: p.has(&["S"]),
        classify: p.has(&["F", "p", "classify"]),
    };
    let operands = if p.operands.is_empty() { vec![".".to_string()] } else { p.operands.clone() };
    let mut status = 0;
    let mut files: Vec<(String, String, Node)> = Vec::new();
    let mut dirs: Vec<(String, String)> = Vec::new();
    for name in &operands {
        let path = ctx.resolve(name);
        match ctx.fs().get(&path).cloned() {
            None => {
                ctx.out.err(format!("ls: cannot access '{name}': No such file or directory\n"));
                status = 2;
            }
            Some(Node::Dir { .. }) if !o.dir_only => dirs.push((name.clone(), path)),
            Some(n) => files.push((name.clone(), path, n)),
        }
    }
    sort_entries(&mut files, &o);
    dirs.sort();
    if o.reverse {
        dirs.reverse();
    }
    let mut out = String::new();
    if o.long {
        for l in long_lines(ctx, &files, &o) {
            out.push_str(&l);
        }
    } else {
        for (name, _, _) in &files {
            out.push_str(&format!("{name}\n"));
        }
    }
    let header = o.recursive || operands.len() > 1;
    let mut first = files.is_empty();
    for (name, path) in &dirs {
        list_dir(ctx, name, path, &o, &mut out, header, &mut first);
    }
    ctx.out.out(out);
    status
}
