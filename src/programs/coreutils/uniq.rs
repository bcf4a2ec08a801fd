//! `uniq [-c] [-d] [-u] [-i] [INPUT [OUTPUT]]`: collapses adjacent repeated lines.

use super::util;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "cdui",
        "fsw",
        &[("count", false), ("repeated", false), ("unique", false), ("ignore-case", false)],
        false,
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("uniq"));
            return 1;
        }
    };
    let input = p.operands.first().cloned().unwrap_or_else(|| "-".to_string());
    let data = match util::read_input(ctx, &input) {
        Ok(d) => d,
        Err(e) => {
            ctx.out.err(format!("uniq: {input}: {e}\n"));
            return 1;
        }
    };
    let icase = p.has(&["i", "ignore-case"]);
    let same = |a: &str, b: &str| if icase { a.eq_ignore_ascii_case(b) } else { a == b };
    let mut groups: Vec<(String, usize)> = Vec::new();
    for line in util::lines(&data) {
        match groups.last_mut() {
            Some((l, n)) if same(l, &line) => *n += 1,
            _ => groups.push((line, 1)),
        }
    }
    let (count, dup, uniq) = (p.has(&["c", "count"]), p.has(&["d", "repeated"]), p.has(&["u", "unique"]));
    let mut out = String::new();
    for (line, n) in groups {
        if (dup && n < 2) || (uniq && n > 1) {
            continue;
        }
        if count {
            out.push_str(&format!("{n:>7} {line}\n"));
        } else {
            out.push_str(&format!("{line}\n"));
        }
    }
    match p.operands.get(1) {
        Some(f) => {
            let f = f.clone();
            if let Err(e) = util::write_file(ctx, &f, out.as_bytes(), false) {
                ctx.out.err(format!("uniq: {f}: {e}\n"));
                return 1;
            }
        }
        None => ctx.out.out(out),
    }
    0
}
