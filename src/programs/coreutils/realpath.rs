//! `realpath [-e|-m] FILE...`: absolute, normalised paths (there are no symlinks to follow here).

use super::util;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p =
        match util::parse(args, "emsqz", "", &[("canonicalize-existing", false), ("canonicalize-missing", false), ("quiet", false)], false)
        {
            Ok(p) => p,
            Err(e) => {
                ctx.out.err(e.message("realpath"));
                return 1;
            }
        };
    if p.operands.is_empty() {
        ctx.out.err("realpath: missing operand\nTry 'realpath --help' for more information.\n");
        return 1;
    }
    let existing = p.has(&["e", "canonicalize-existing"]);
    let missing = p.has(&["m", "canonicalize-missing"]);
    let mut status = 0;
    for name in &p.operands {
        let path = ctx.resolve(name);
        let parent_ok = ctx.fs().is_dir(crate::host::fs::parent(&path));
        let ok = ctx.fs().exists(&path) || (!existing && (missing || parent_ok));
        if ok {
            ctx.out.out(format!("{path}\n"));
        } else {
            ctx.out.err(format!("realpath: {name}: No such file or directory\n"));
            status = 1;
        }
    }
    status
}
