//! `less FILE…` / `more FILE…`: with no terminal to page on, they print the files (as both do
//! when their output is not a terminal), with their own error messages.

use super::util;
use crate::programs::Ctx;

fn page(ctx: &mut Ctx<'_>, args: &[String], missing: fn(&str, &str) -> String) -> i32 {
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-') && !a.starts_with('+')).collect();
    if files.is_empty() {
        let data = ctx.stdin.to_vec();
        ctx.out.out(data);
        return 0;
    }
    // Both report a missing file and still exit 0 (checked with less 590 and util-linux more).
    for f in files {
        match util::read_input(ctx, f) {
            Ok(d) => ctx.out.out(d),
            Err(e) => ctx.out.err(missing(f, &e.to_string())),
        }
    }
    0
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    page(ctx, args, |f, e| format!("{f}: {e}\n"))
}

pub fn run_more(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    page(ctx, args, |f, e| format!("more: cannot open {f}: {e}\n"))
}
