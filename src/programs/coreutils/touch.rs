//! `touch FILE...`: creates missing files (there are no timestamps to update).

use super::util;
use crate::host::FsError;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(args, "acfhm", "dtr", &[("no-create", false), ("date", true), ("reference", true)], false) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("touch"));
            return 1;
        }
    };
    if p.operands.is_empty() {
        ctx.out.err("touch: missing file operand\nTry 'touch --help' for more information.\n");
        return 1;
    }
    let mut status = 0;
    for name in &p.operands {
        let path = ctx.resolve(name);
        if ctx.fs().exists(&path) || p.has(&["c", "no-create"]) {
            continue;
        }
        if let Err(e) = ctx.fs().write(&path, Vec::new()) {
            let e = if e == FsError::IsADirectory { FsError::NotFound } else { e };
            ctx.out.err(format!("touch: cannot touch '{name}': {e}\n"));
            status = 1;
        }
    }
    status
}
