//! `paste [-s] [-d LIST] [FILE]...`: joins corresponding lines of files (or, with `-s`, all
//! lines of each file) with tabs or the delimiters of LIST, used in turn.

use super::util;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(args, "sz", "d", &[("serial", false), ("delimiters", true)], false) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("paste"));
            return 1;
        }
    };
    let delims: Vec<char> = {
        let (b, _) = super::printf::unescape(p.value(&["d", "delimiters"]).unwrap_or("\t"), false);
        let d: Vec<char> = String::from_utf8_lossy(&b).chars().collect();
        if d.is_empty() { vec!['\0'] } else { d }
    };
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut inputs = Vec::new();
    for f in &files {
        match util::read_input(ctx, f) {
            Ok(d) => inputs.push(util::lines(&d)),
            Err(e) => {
                ctx.out.err(format!("paste: {f}: {e}\n"));
                return 1;
            }
        }
    }
    let join = |items: &[String]| {
        let mut s = String::new();
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                let d = delims[(i - 1) % delims.len()];
                if d != '\0' {
                    s.push(d);
                }
            }
            s.push_str(it);
        }
        s
    };
    let mut out = String::new();
    if p.has(&["s", "serial"]) {
        for lines in &inputs {
            out.push_str(&join(lines));
            out.push('\n');
        }
    } else {
        let rows = inputs.iter().map(Vec::len).max().unwrap_or(0);
        for r in 0..rows {
            let row: Vec<String> = inputs.iter().map(|l| l.get(r).cloned().unwrap_or_default()).collect();
            out.push_str(&join(&row));
            out.push('\n');
        }
    }
    ctx.out.out(out);
    0
}
