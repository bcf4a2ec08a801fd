//! `wc [-l] [-w] [-c] [-m] [FILE]...`: counts, padded to a common width as GNU wc does.

use super::util;
use crate::host::FsError;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "lwcmL",
        "",
        &[("lines", false), ("words", false), ("bytes", false), ("chars", false), ("max-line-length", false)],
        false,
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("wc"));
            return 1;
        }
    };
    let mut which =
        [p.has(&["l", "lines"]), p.has(&["w", "words"]), p.has(&["m", "chars"]), p.has(&["c", "bytes"]), p.has(&["L", "max-line-length"])];
    if !which.iter().any(|b| *b) {
        which = [true, true, false, true, false];
    }
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut rows: Vec<([usize; 5], Option<String>)> = Vec::new();
    let mut status = 0;
    let mut errors = Vec::new();
    let mut total_size = 0usize;
    // Inputs that are not regular files (stdin, directories) make GNU wc use width 7.
    let mut has_stdin = false;
    for f in &files {
        let data = match util::read_input(ctx, f) {
            Ok(d) => d,
            Err(FsError::IsADirectory) => {
                has_stdin = true;
                errors.push((rows.len(), format!("wc: {f}: Is a directory\n")));
                rows.push(([0; 5], Some(f.clone())));
                status = 1;
                continue;
            }
            Err(e) => {
                errors.push((rows.len(), format!("wc: {f}: {e}\n")));
                status = 1;
                continue;
            }
        };
        if f == "-" {
            has_stdin = true;
        } else {
            total_size += data.len();
        }
        let text = String::from_utf8_lossy(&data);
        let counts = [
            data.iter().filter(|b| **b == b'\n').count(),
            text.split_whitespace().count(),
            text.chars().count(),
            data.len(),
            text.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        ];
        rows.push((counts, if f == "-" && p.operands.is_empty() { None } else { Some(f.clone()) }));
    }
    let nfields = which.iter().filter(|b| **b).count();
    let mut total = [0usize; 5];
    for (c, _) in &rows {
        for i in 0..5 {
            total[i] = if i == 4 { total[i].max(c[i]) } else { total[i] + c[i] };
        }
    }
    // GNU sizes the columns from the total size of the regular files; stdin forces 7.
    let width = if nfields == 1 && rows.len() == 1 {
        1
    } else if has_stdin {
        7
    } else {
        total_size.to_string().len().max(total.iter().map(|v| v.to_string().len()).max().unwrap_or(1))
    };
    let fmt = |c: &[usize; 5], name: &Option<String>| {
        let mut parts: Vec<String> = (0..5).filter(|i| which[*i]).map(|i| format!("{:>width$}", c[i])).collect();
        if let Some(n) = name {
            parts.push(n.clone());
        }
        format!("{}\n", parts.join(" "))
    };
    let mut err_iter = errors.into_iter().peekable();
    for (i, (c, name)) in rows.iter().enumerate() {
        while let Some((_, msg)) = err_iter.next_if(|(at, _)| *at <= i) {
            ctx.out.err(msg);
        }
        ctx.out.out(fmt(c, name));
    }
    for (_, msg) in err_iter {
        ctx.out.err(msg);
    }
    if files.len() > 1 {
        ctx.out.out(fmt(&total, &Some("total".to_string())));
    }
    status
}
