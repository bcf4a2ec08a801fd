//! `rm [-r] [-f] [-v] FILE...`

use super::util;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(args, "rRfivd", "", &[("recursive", false), ("force", false), ("verbose", false), ("dir", false)], false) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("rm"));
            return 1;
        }
    };
    let force = p.has(&["f", "force"]);
    let recursive = p.has(&["r", "R", "recursive"]);
    let verbose = p.has(&["v", "verbose"]);
    if p.operands.is_empty() {
        if force {
            return 0;
        }
        ctx.out.err("rm: missing operand\nTry 'rm --help' for more information.\n");
        return 1;
    }
    let mut status = 0;
    for name in &p.operands {
        let path = ctx.resolve(name);
        if !ctx.fs().exists(&path) {
            if !force {
                ctx.out.err(format!("rm: cannot remove '{name}': No such file or directory\n"));
                status = 1;
            }
            continue;
        }
        if path == "/" {
            ctx.out.err("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
            status = 1;
            continue;
        }
        if ctx.fs().is_dir(&path) {
            if !recursive {
                if p.has(&["d", "dir"]) {
                    if let Err(e) = ctx.fs().remove(&path) {
                        ctx.out.err(format!("rm: cannot remove '{name}': {e}\n"));
                        status = 1;
                    }
                    continue;
                }
                ctx.out.err(format!("rm: cannot remove '{name}': Is a directory\n"));
                status = 1;
                continue;
            }
            if verbose {
                let mut paths = ctx.fs().walk(&path);
                paths.reverse();
                for sub in paths {
                    let shown = format!("{name}{}", &sub[path.len()..]);
                    if ctx.fs().is_dir(&sub) {
                        ctx.out.out(format!("removed directory '{shown}'\n"));
                    } else {
                        ctx.out.out(format!("removed '{shown}'\n"));
                    }
                }
            }
            let _ = ctx.fs().remove_all(&path);
        } else {
            let _ = ctx.fs().remove(&path);
            if verbose {
                ctx.out.out(format!("removed '{name}'\n"));
            }
        }
    }
    status
}
