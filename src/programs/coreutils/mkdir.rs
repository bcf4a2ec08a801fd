//! `mkdir [-p] [-v] DIR...`

use super::util;
use crate::host::FsError;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(args, "pv", "m", &[("parents", false), ("verbose", false), ("mode", true)], false) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("mkdir"));
            return 1;
        }
    };
    if p.operands.is_empty() {
        ctx.out.err("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
        return 1;
    }
    let parents = p.has(&["p", "parents"]);
    let verbose = p.has(&["v", "verbose"]);
    let mut status = 0;
    for name in &p.operands {
        let path = ctx.resolve(name);
        let result = if parents {
            // Report each directory created, as `mkdir -pv` does.
            let mut created = Vec::new();
            let mut cur = String::new();
            let mut r = Ok(());
            for part in path.split('/').filter(|s| !s.is_empty()) {
                cur = format!("{cur}/{part}");
                if !ctx.fs().exists(&cur) {
                    created.push(cur.clone());
                }
                if ctx.fs().is_file(&cur) {
                    r = Err(FsError::NotADirectory);
                    break;
                }
            }
            if r.is_ok() {
                r = ctx.fs().mkdir_all(&path);
            }
            if r.is_ok() && verbose {
                for c in created {
                    ctx.out.out(format!("mkdir: created directory '{c}'\n"));
                }
            }
            r
        } else {
            let r = ctx.fs().mkdir(&path);
            if r.is_ok() && verbose {
                ctx.out.out(format!("mkdir: created directory '{name}'\n"));
            }
            r
        };
        if let Err(e) = result {
            ctx.out.err(format!("mkdir: cannot create directory ‘{name}’: {e}\n"));
            status = 1;
        }
    }
    status
}
