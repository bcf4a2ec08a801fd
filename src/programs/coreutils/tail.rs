//! `tail [-n N|-N|-n +N] [-c N] [-f] [FILE]...`: the last lines (or bytes). `-f` prints what
//! there is and returns: nothing more will be written while the command runs.

use super::{head, util};
use crate::programs::Ctx;

fn last_lines(data: &[u8], n: usize, from_start: bool) -> Vec<u8> {
    let mut starts: Vec<usize> = vec![0];
    for (i, b) in data.iter().enumerate() {
        if *b == b'\n' && i + 1 < data.len() {
            starts.push(i + 1);
        }
    }
    if data.is_empty() {
        return Vec::new();
    }
    let total = starts.len();
    let first = if from_start { n.saturating_sub(1).min(total) } else { total.saturating_sub(n) };
    match starts.get(first) {
        Some(&s) => data[s..].to_vec(),
        None => Vec::new(),
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "fFqvzr",
        "ncs",
        &[
            ("lines", true),
            ("bytes", true),
            ("follow", false),
            ("quiet", false),
            ("silent", false),
            ("verbose", false),
            ("retry", false),
            ("sleep-interval", true),
        ],
        true,
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("tail"));
            return 1;
        }
    };
    let mut lines = (false, 10usize);
    let mut bytes: Option<(bool, usize)> = None;
    for o in &p.opts {
        let v = o.value.as_deref().unwrap_or("");
        let from_start = v.starts_with('+');
        match o.name.as_str() {
            "n" | "lines" => match head::count(v.trim_start_matches('-')) {
                Some((_, n)) => lines = (from_start, n),
                None => {
                    ctx.out.err(format!("tail: invalid number of lines: ‘{v}’\n"));
                    return 1;
                }
            },
            "c" | "bytes" => match head::count(v.trim_start_matches('-')) {
                Some((_, n)) => bytes = Some((from_start, n)),
                None => {
                    ctx.out.err(format!("tail: invalid number of bytes: ‘{v}’\n"));
                    return 1;
                }
            },
            _ => {}
        }
    }
    head::print_parts(ctx, "tail", &p, |data| match bytes {
        Some((true, n)) => data[n.saturating_sub(1).min(data.len())..].to_vec(),
        Some((false, n)) => data[data.len().saturating_sub(n)..].to_vec(),
        None => last_lines(data, lines.1, lines.0),
    })
}
