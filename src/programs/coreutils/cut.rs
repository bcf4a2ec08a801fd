//! `cut -f LIST [-d DELIM] [-s] | -c LIST | -b LIST [--complement] [FILE]...`

use super::util;
use crate::programs::Ctx;

/// A LIST like `1,3-5,7-`: ranges, 1-based and inclusive.
fn parse_list(s: &str) -> Option<Vec<(usize, usize)>> {
    let mut v = Vec::new();
    for part in s.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (if a.is_empty() { 1 } else { a.parse().ok()? }, if b.is_empty() { usize::MAX } else { b.parse().ok()? }),
            None => {
                let n = part.parse().ok()?;
                (n, n)
            }
        };
        if a == 0 || b < a {
            return None;
        }
        v.push((a, b));
    }
    Some(v)
}

fn selected(list: &[(usize, usize)], i: usize, complement: bool) -> bool {
    list.iter().any(|(a, b)| *a <= i && i <= *b) != complement
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "sn",
        "fdcb",
        &[
            ("fields", true),
            ("delimiter", true),
            ("characters", true),
            ("bytes", true),
            ("only-delimited", false),
            ("complement", false),
            ("output-delimiter", true),
        ],
        false,
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("cut"));
            return 1;
        }
    };
    let fields = p.value(&["f", "fields"]).map(str::to_string);
    let chars = p.value(&["c", "characters", "b", "bytes"]).map(str::to_string);
    let delim = p.value(&["d", "delimiter"]).map(str::to_string);
    let complement = p.has(&["complement"]);
    let (list_src, by_field) = match (&fields, &chars) {
        (Some(f), None) => (f.clone(), true),
        (None, Some(c)) => (c.clone(), false),
        (Some(_), Some(_)) => {
            ctx.out.err("cut: only one list may be specified\nTry 'cut --help' for more information.\n");
            return 1;
        }
        (None, None) => {
            ctx.out.err("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n");
            return 1;
        }
    };
    let Some(list) = parse_list(&list_src) else {
        let msg = if list_src.contains('0') && !list_src.contains("10") {
            "fields and positions are numbered from 1"
        } else {
            "invalid field range"
        };
        ctx.out.err(format!("cut: {msg}\nTry 'cut --help' for more information.\n"));
        return 1;
    };
    let d = match &delim {
        Some(d) if d.chars().count() == 1 => d.clone(),
        Some(_) => {
            ctx.out.err("cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n");
            return 1;
        }
        None => "\t".to_string(),
    };
    if delim.is_some() && !by_field {
        ctx.out.err("cut: an input delimiter may be specified only when operating on fields\nTry 'cut --help' for more information.\n");
        return 1;
    }
    let out_delim = p.value(&["output-delimiter"]).map_or_else(|| d.clone(), str::to_string);
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut out = String::new();
    let mut status = 0;
    for f in &files {
        let data = match util::read_input(ctx, f) {
            Ok(d) => d,
            Err(e) => {
                ctx.out.out(std::mem::take(&mut out));
                ctx.out.err(format!("cut: {f}: {e}\n"));
                status = 1;
                continue;
            }
        };
        for line in util::lines(&data) {
            if by_field {
                if !line.contains(d.as_str()) {
                    if !p.has(&["s", "only-delimited"]) {
                        out.push_str(&line);
                        out.push('\n');
                    }
                    continue;
                }
                let parts: Vec<&str> = line.split(d.as_str()).collect();
                let picked: Vec<&str> =
                    parts.iter().enumerate().filter(|(i, _)| selected(&list, i + 1, complement)).map(|(_, s)| *s).collect();
                out.push_str(&picked.join(&out_delim));
            } else {
                let picked: String = line.chars().enumerate().filter(|(i, _)| selected(&list, i + 1, complement)).map(|(_, c)| c).collect();
                out.push_str(&picked);
            }
            out.push('\n');
        }
    }
    ctx.out.out(out);
    status
}
