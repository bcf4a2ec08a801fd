//! `xargs [-n N] [-I R] [-0] [-d D] [-r] [-t] [COMMAND [ARG]...]`: runs the command (default
//! `echo`) with words read from stdin appended, through a subshell.

use crate::programs::Ctx;
use crate::programs::coreutils::printf::shell_quote;

/// Splits input as xargs does: blanks separate items; quotes and backslashes group them.
fn words(input: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut it = input.chars();
    while let Some(c) = it.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if has {
                    out.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            '\'' | '"' => {
                has = true;
                loop {
                    match it.next() {
                        Some(q) if q == c => break,
                        Some('\n') | None => {
                            let kind = if c == '\'' { "single" } else { "double" };
                            return Err(format!(
                                "xargs: unmatched {kind} quote; by default quotes are special to xargs unless you use the -0 option\n"
                            ));
                        }
                        Some(x) => cur.push(x),
                    }
                }
            }
            '\\' => {
                has = true;
                if let Some(n) = it.next() {
                    cur.push(n);
                }
            }
            _ => {
                has = true;
                cur.push(c);
            }
        }
    }
    if has {
        out.push(cur);
    }
    Ok(out)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut max_args: Option<usize> = None;
    let mut replace: Option<String> = None;
    let mut delim: Option<char> = None;
    let mut no_empty = false;
    let mut trace = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let take = |i: &mut usize| -> Option<String> {
            *i += 1;
            args.get(*i).cloned()
        };
        match a {
            "-n" | "--max-args" => max_args = take(&mut i).and_then(|v| v.parse().ok()),
            "-I" => replace = take(&mut i),
            "-i" => replace = Some("{}".to_string()),
            "-0" | "--null" => delim = Some('\0'),
            "-d" => delim = take(&mut i).and_then(|v| v.chars().next()),
            "-r" | "--no-run-if-empty" => no_empty = true,
            "-t" | "--verbose" => trace = true,
            "-L" | "-P" | "-s" => {
                take(&mut i);
            }
            s if s.starts_with("-n") && s.len() > 2 => max_args = s[2..].parse().ok(),
            s if s.starts_with("-I") && s.len() > 2 => replace = Some(s[2..].to_string()),
            s if s.starts_with('-') && s.len() > 1 => {
                ctx.out.err(format!(
                    "xargs: invalid option -- '{}'\nTry 'xargs --help' for more information.\n",
                    s.chars().nth(1).unwrap_or('-')
                ));
                return 1;
            }
            _ => break,
        }
        i += 1;
    }
    let mut cmd: Vec<String> = args[i.min(args.len())..].to_vec();
    if cmd.is_empty() {
        cmd.push("echo".to_string());
    }
    let input = String::from_utf8_lossy(ctx.stdin).into_owned();
    let items: Vec<String> = if replace.is_some() {
        input.lines().map(|l| l.trim_start().to_string()).filter(|l| !l.is_empty()).collect()
    } else if let Some(d) = delim {
        input.split(d).filter(|s| !s.is_empty()).map(|s| s.strip_suffix('\n').unwrap_or(s).to_string()).collect()
    } else {
        match words(&input) {
            Ok(w) => w,
            Err(e) => {
                ctx.out.err(e);
                return 1;
            }
        }
    };
    let mut lines: Vec<Vec<String>> = Vec::new();
    if let Some(r) = &replace {
        for item in &items {
            lines.push(cmd.iter().map(|w| w.replace(r.as_str(), item)).collect());
        }
    } else if items.is_empty() {
        if !no_empty {
            lines.push(cmd.clone());
        }
    } else {
        let n = max_args.unwrap_or(usize::MAX).max(1);
        for chunk in items.chunks(n.min(items.len())) {
            let mut l = cmd.clone();
            l.extend(chunk.iter().cloned());
            lines.push(l);
        }
    }
    let mut status = 0;
    for l in lines {
        if trace {
            ctx.out.err(format!("{}\n", l.join(" ")));
        }
        let line = l.iter().map(|w| shell_quote(w)).collect::<Vec<_>>().join(" ");
        let (out, st) = ctx.run_subshell(&line, b"");
        if st == 127 {
            ctx.out.err(format!("xargs: {}: No such file or directory\n", l[0]));
            return 127;
        }
        ctx.out.append(out);
        if st != 0 {
            status = 123;
        }
    }
    status
}
