//! `basename NAME [SUFFIX]` and `basename -a NAME...`: the last path component.

use super::util;
use crate::programs::Ctx;

fn base(name: &str, suffix: Option<&str>) -> String {
    let b = crate::host::fs::basename(name).to_string();
    match suffix {
        Some(s) if b != s && b.ends_with(s) => b[..b.len() - s.len()].to_string(),
        _ => b,
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(args, "az", "s", &[("multiple", false), ("suffix", true), ("zero", false)], false) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("basename"));
            return 1;
        }
    };
    if p.operands.is_empty() {
        ctx.out.err("basename: missing operand\nTry 'basename --help' for more information.\n");
        return 1;
    }
    let suffix = p.value(&["s", "suffix"]).map(str::to_string);
    let multiple = p.has(&["a", "multiple"]) || suffix.is_some();
    if !multiple && p.operands.len() > 2 {
        ctx.out.err(format!("basename: extra operand '{}'\nTry 'basename --help' for more information.\n", p.operands[2]));
        return 1;
    }
    let mut out = String::new();
    if multiple {
        for n in &p.operands {
            out.push_str(&base(n, suffix.as_deref()));
            out.push('\n');
        }
    } else {
        out.push_str(&base(&p.operands[0], p.operands.get(1).map(String::as_str)));
        out.push('\n');
    }
    ctx.out.out(out);
    0
}
