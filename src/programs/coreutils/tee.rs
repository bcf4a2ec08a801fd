//! `tee [-a] [FILE]...`: copies stdin to stdout and to each file.

use super::util;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(args, "aip", "", &[("append", false), ("ignore-interrupts", false)], false) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("tee"));
            return 1;
        }
    };
    let append = p.has(&["a", "append"]);
    let data = ctx.stdin.to_vec();
    let mut status = 0;
    for f in &p.operands {
        if let Err(e) = util::write_file(ctx, f, &data, append) {
            ctx.out.err(format!("tee: {f}: {e}\n"));
            status = 1;
        }
    }
    ctx.out.out(data);
    status
}
