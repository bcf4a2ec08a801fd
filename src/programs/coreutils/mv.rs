//! `mv [-f] [-v] SOURCE... DEST`: renames files and directories, or moves them into a directory.

use super::util;
use crate::host::fs;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(args, "finvu", "", &[("force", false), ("verbose", false)], false) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("mv"));
            return 1;
        }
    };
    let Some(util::CopyTarget { srcs, dest, dest_path, dest_is_dir }) = util::copy_target(ctx, "mv", &p.operands) else {
        return 1;
    };
    let dest = &dest;
    let mut status = 0;
    for src in &srcs {
        let src_path = ctx.resolve(src);
        if !ctx.fs().exists(&src_path) {
            ctx.out.err(format!("mv: cannot stat '{src}': No such file or directory\n"));
            status = 1;
            continue;
        }
        let target = if dest_is_dir { fs::resolve(&dest_path, fs::basename(&src_path)) } else { dest_path.clone() };
        let shown = if dest_is_dir { format!("{}/{}", dest.trim_end_matches('/'), fs::basename(&src_path)) } else { dest.clone() };
        if target == src_path || target.starts_with(&format!("{src_path}/")) {
            ctx.out.err(format!("mv: cannot move '{src}' to a subdirectory of itself, '{shown}'\n"));
            status = 1;
            continue;
        }
        if ctx.fs().is_file(&target) && ctx.fs().is_dir(&src_path) {
            ctx.out.err(format!("mv: cannot overwrite non-directory '{shown}' with directory '{src}'\n"));
            status = 1;
            continue;
        }
        if ctx.fs().is_file(&target) {
            let _ = ctx.fs().remove(&target);
        }
        match ctx.fs().rename(&src_path, &target) {
            Ok(()) => {
                if p.has(&["v", "verbose"]) {
                    ctx.out.out(format!("renamed '{src}' -> '{shown}'\n"));
                }
            }
            Err(e) => {
                ctx.out.err(format!("mv: cannot move '{src}' to '{shown}': {e}\n"));
                status = 1;
            }
        }
    }
    status
}
