//! `head [-n N|-N] [-c N] [FILE]...`: the first lines (or bytes); `-n -N` all but the last N.

use super::util;
use crate::host::FsError;
use crate::programs::Ctx;

/// Parses a count with GNU's multiplier suffixes (`1K`, `2M`); a leading `-` means "all but".
pub fn count(s: &str) -> Option<(bool, usize)> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (num, mult) = match digits.chars().last()? {
        'K' | 'k' => (&digits[..digits.len() - 1], 1024),
        'M' => (&digits[..digits.len() - 1], 1024 * 1024),
        'b' => (&digits[..digits.len() - 1], 512),
        _ => (digits, 1),
    };
    num.parse::<usize>().ok().map(|n| (neg, n.saturating_mul(mult)))
}

/// The first `n` lines of data (or all but the last `n`), keeping line endings.
pub fn take_lines(data: &[u8], n: usize, all_but: bool) -> Vec<u8> {
    let ends: Vec<usize> = data.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1).collect();
    let total = ends.len() + usize::from(data.last().is_some_and(|b| *b != b'\n'));
    let keep = if all_but { total.saturating_sub(n) } else { n.min(total) };
    if keep == 0 {
        return Vec::new();
    }
    let end = ends.get(keep - 1).copied().unwrap_or(data.len());
    data[..end].to_vec()
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "qvz",
        "nc",
        &[("lines", true), ("bytes", true), ("quiet", false), ("silent", false), ("verbose", false)],
        true,
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("head"));
            return 1;
        }
    };
    let mut lines = (false, 10usize);
    let mut bytes = None;
    for o in &p.opts {
        let v = o.value.as_deref().unwrap_or("");
        match o.name.as_str() {
            "n" | "lines" => match count(v) {
                Some(c) => lines = c,
                None => {
                    ctx.out.err(format!("head: invalid number of lines: ‘{v}’\n"));
                    return 1;
                }
            },
            "c" | "bytes" => match count(v) {
                Some(c) => bytes = Some(c),
                None => {
                    ctx.out.err(format!("head: invalid number of bytes: ‘{v}’\n"));
                    return 1;
                }
            },
            _ => {}
        }
    }
    print_parts(ctx, "head", &p, |data| match bytes {
        Some((all_but, n)) => {
            let keep = if all_but { data.len().saturating_sub(n) } else { n.min(data.len()) };
            data[..keep].to_vec()
        }
        None => take_lines(data, lines.1, lines.0),
    })
}

/// What head and tail share: read each operand (stdin for none or `-`), print `==> name <==`
/// headers when there are several (unless `-q`, or always with `-v`), and print the part of each
/// input that `part` selects. GNU's messages for unreadable inputs.
pub fn print_parts(ctx: &mut Ctx<'_>, tool: &str, p: &util::Parsed, part: impl Fn(&[u8]) -> Vec<u8>) -> i32 {
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let headers = (files.len() > 1 && !p.has(&["q", "quiet", "silent"])) || p.has(&["v", "verbose"]);
    let mut status = 0;
    let mut first = true;
    for f in &files {
        let data = match util::read_input(ctx, f) {
            Ok(d) => d,
            Err(FsError::IsADirectory) => {
                ctx.out.err(format!("{tool}: error reading '{f}': Is a directory\n"));
                status = 1;
                continue;
            }
            Err(e) => {
                ctx.out.err(format!("{tool}: cannot open '{f}' for reading: {e}\n"));
                status = 1;
                continue;
            }
        };
        if headers {
            let name = if f == "-" { "standard input" } else { f };
            ctx.out.out(format!("{}==> {name} <==\n", if first { "" } else { "\n" }));
        }
        first = false;
        ctx.out.out(part(&data));
    }
    status
}
