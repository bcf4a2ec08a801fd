//! `grep [-i -v -c -n -l -L -o -q -w -x -r -h -H -E -F] [-e PAT] [-A N -B N -C N] PATTERN [FILE]...`
//! Status 0 when a line matched, 1 when none did, 2 on an error.

use regex::Regex;

use super::{regex_posix, util};
use crate::host::FsError;
use crate::programs::Ctx;

struct Opts {
    invert: bool,
    count: bool,
    number: bool,
    files_with: bool,
    files_without: bool,
    only: bool,
    quiet: bool,
    names: bool,
    after: usize,
    before: usize,
    max: Option<usize>,
}

fn matches(res: &[Regex], line: &str) -> bool {
    res.iter().any(|r| r.is_match(line))
}

/// Runs over one input; returns whether a line was selected.
fn grep_one(ctx: &mut Ctx<'_>, res: &[Regex], o: &Opts, name: &str, data: &[u8], out: &mut String) -> bool {
    let lines = util::lines(data);
    let prefix = |n: usize, sep: char| {
        let mut p = String::new();
        if o.names {
            p.push_str(name);
            p.push(sep);
        }
        if o.number {
            p.push_str(&format!("{n}{sep}"));
        }
        p
    };
    let mut selected = 0usize;
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0usize;
    let mut printed_any = false;
    for (i, line) in lines.iter().enumerate() {
        if o.max.is_some_and(|m| selected >= m) {
            // GNU still prints trailing context after the last allowed match.
            if after_left > 0 && !o.count && !o.quiet && !o.files_with && !o.files_without {
                out.push_str(&format!("{}{line}\n", prefix(i + 1, '-')));
                after_left -= 1;
                continue;
            }
            break;
        }
        let hit = matches(res, line) != o.invert;
        if hit {
            selected += 1;
            if o.quiet || o.files_with || o.files_without {
                if o.quiet || o.files_with {
                    break;
                }
                continue;
            }
            if o.count {
                continue;
            }
            // Context before, with `--` between separated groups.
            let from = i.saturating_sub(o.before);
            let from = last_printed.map_or(from, |l| from.max(l + 1));
            if printed_any && (o.before > 0 || o.after > 0) && last_printed.is_some_and(|l| from > l + 1) {
                out.push_str("--\n");
            }
            for (j, l) in lines.iter().enumerate().take(i).skip(from) {
                out.push_str(&format!("{}{l}\n", prefix(j + 1, '-')));
            }
            if o.only && !o.invert {
                for r in res {
                    for m in r.find_iter(line) {
                        if !m.as_str().is_empty() {
                            out.push_str(&format!("{}{}\n", prefix(i + 1, ':'), m.as_str()));
                        }
                    }
                }
            } else {
                out.push_str(&format!("{}{line}\n", prefix(i + 1, ':')));
            }
            last_printed = Some(i);
            printed_any = true;
            after_left = o.after;
        } else if after_left > 0 && !o.count && !o.quiet && !o.files_with && !o.files_without {
            out.push_str(&format!("{}{line}\n", prefix(i + 1, '-')));
            last_printed = Some(i);
            after_left -= 1;
        }
    }
    let _ = ctx;
    if o.count {
        if o.names {
            out.push_str(&format!("{name}:{selected}\n"));
        } else {
            out.push_str(&format!("{selected}\n"));
        }
    }
    if o.files_with && selected > 0 {
        out.push_str(&format!("{name}\n"));
    }
    if o.files_without && selected == 0 {
        out.push_str(&format!("{name}\n"));
    }
    selected > 0
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "ivcnlLoqswxrRhHEFGIaUz",
        "eABCmf",
        &[
            ("ignore-case", false),
            ("invert-match", false),
            ("count", false),
            ("line-number", false),
            ("files-with-matches", false),
            ("files-without-match", false),
            ("only-matching", false),
            ("quiet", false),
            ("silent", false),
            ("word-regexp", false),
            ("line-regexp", false),
            ("recursive", false),
            ("no-filename", false),
            ("with-filename", false),
            ("extended-regexp", false),
            ("fixed-strings", false),
            ("regexp", true),
            ("after-context", true),
            ("before-context", true),
            ("context", true),
            ("max-count", true),
            ("color", false),
            ("colour", false),
            ("include", true),
            ("exclude", true),
        ],
        false,
    ) {
        Ok(p) => p,
        Err(e) => {
            let msg = e.message("grep").replace("Try 'grep --help'", "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help'");
            ctx.out.err(msg);
            return 2;
        }
    };
    let mut operands = p.operands.clone();
    let mut patterns = p.values(&["e", "regexp"]);
    if patterns.is_empty() {
        if operands.is_empty() {
            ctx.out.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
            return 2;
        }
        patterns.push(operands.remove(0));
    }
    // A pattern with newlines is several patterns.
    let patterns: Vec<String> = patterns.iter().flat_map(|p| p.split('\n').map(str::to_string).collect::<Vec<_>>()).collect();
    let extended = p.has(&["E", "extended-regexp"]);
    let fixed = p.has(&["F", "fixed-strings"]);
    let icase = p.has(&["i", "ignore-case"]);
    let word = p.has(&["w", "word-regexp"]);
    let whole = p.has(&["x", "line-regexp"]);
    let mut res = Vec::new();
    for pat in &patterns {
        let mut rx = if fixed { regex::escape(pat) } else { regex_posix::translate(pat, extended) };
        if word {
            rx = format!(r"\b(?:{})\b", if fixed { regex::escape(pat) } else { regex_posix::translate(pat, extended) });
        }
        if whole {
            rx = format!("^(?:{rx})$");
        }
        match regex::RegexBuilder::new(&rx).case_insensitive(icase).size_limit(1 << 22).build() {
            Ok(r) => res.push(r),
            Err(_) => {
                let msg = if pat.contains('[') && !pat.contains(']') {
                    "Unmatched [, [^, [:, [., or [="
                } else if pat.contains('(') && extended || pat.contains("\\(") && !extended {
                    "Unmatched ( or \\("
                } else {
                    "Invalid regular expression"
                };
                ctx.out.err(format!("grep: {msg}\n"));
                return 2;
            }
        }
    }
    let num = |names: &[&str]| p.value(names).and_then(|v| v.parse::<usize>().ok());
    let context = num(&["C", "context"]).unwrap_or(0);
    let recursive = p.has(&["r", "R", "recursive"]);
    if operands.is_empty() {
        operands.push(if recursive { ".".to_string() } else { "-".to_string() });
    }
    let mut inputs: Vec<String> = Vec::new();
    let mut status_err = false;
    let mut out = String::new();
    for f in &operands {
        let path = ctx.resolve(f);
        if recursive && f != "-" && ctx.fs().is_dir(&path) {
            for sub in ctx.fs().walk(&path) {
                if ctx.fs().is_file(&sub) {
                    let rel = &sub[path.len()..];
                    let shown = if f == "." && p.operands.is_empty() {
                        rel.trim_start_matches('/').to_string()
                    } else {
                        format!("{}{rel}", f.trim_end_matches('/'))
                    };
                    inputs.push(shown);
                }
            }
        } else {
            inputs.push(f.clone());
        }
    }
    let names = if p.has(&["h", "no-filename"]) { false } else { p.has(&["H", "with-filename"]) || inputs.len() > 1 || recursive };
    let o = Opts {
        invert: p.has(&["v", "invert-match"]),
        count: p.has(&["c", "count"]),
        number: p.has(&["n", "line-number"]),
        files_with: p.has(&["l", "files-with-matches"]),
        files_without: p.has(&["L", "files-without-match"]),
        only: p.has(&["o", "only-matching"]),
        quiet: p.has(&["q", "quiet", "silent"]),
        names,
        after: num(&["A", "after-context"]).unwrap_or(context),
        before: num(&["B", "before-context"]).unwrap_or(context),
        max: num(&["m", "max-count"]),
    };
    let silent_errors = p.has(&["s"]);
    let mut any = false;
    for f in &inputs {
        let data = if recursive && f != "-" && !operands.contains(f) {
            let path = if p.operands.is_empty() { ctx.resolve(&format!("./{f}")) } else { ctx.resolve(f) };
            ctx.fs().read(&path).map(<[u8]>::to_vec)
        } else {
            util::read_input(ctx, f)
        };
        let data = match data {
            Ok(d) => d,
            Err(e) => {
                if !silent_errors {
                    let e = if e == FsError::IsADirectory { "Is a directory".to_string() } else { e.to_string() };
                    ctx.out.out(std::mem::take(&mut out));
                    ctx.out.err(format!("grep: {f}: {e}\n"));
                }
                status_err = true;
                continue;
            }
        };
        let shown = if f == "-" { "(standard input)" } else { f };
        if grep_one(ctx, &res, &o, shown, &data, &mut out) {
            any = true;
            if o.quiet {
                break;
            }
        }
    }
    ctx.out.out(out);
    if o.quiet && any {
        return 0;
    }
    if status_err {
        2
    } else if any {
        0
    } else {
        1
    }
}
