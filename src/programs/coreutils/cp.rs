//! `cp [-r] [-f] [-v] SOURCE... DEST`: copies files, and directory trees with `-r`.

use super::util;
use crate::host::fs::{self, Node};
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "rRfivpaun",
        "",
        &[("recursive", false), ("force", false), ("verbose", false), ("archive", false)],
        false,
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("cp"));
            return 1;
        }
    };
    let recursive = p.has(&["r", "R", "recursive", "a", "archive"]);
    let verbose = p.has(&["v", "verbose"]);
    let Some(util::CopyTarget { srcs, dest, dest_path, dest_is_dir }) = util::copy_target(ctx, "cp", &p.operands) else {
        return 1;
    };
    let dest = &dest;
    let mut status = 0;
    for src in &srcs {
        let src_path = ctx.resolve(src);
        let Some(node) = ctx.fs().get(&src_path).cloned() else {
            ctx.out.err(format!("cp: cannot stat '{src}': No such file or directory\n"));
            status = 1;
            continue;
        };
        let target = if dest_is_dir { fs::resolve(&dest_path, fs::basename(&src_path)) } else { dest_path.clone() };
        let shown_target = if dest_is_dir { format!("{}/{}", dest.trim_end_matches('/'), fs::basename(&src_path)) } else { dest.clone() };
        if target == src_path {
            ctx.out.err(format!("cp: '{src}' and '{shown_target}' are the same file\n"));
            status = 1;
            continue;
        }
        match node {
            Node::File { mode, data } => {
                if ctx.fs().is_dir(&target) {
                    ctx.out.err(format!("cp: cannot overwrite directory '{shown_target}' with non-directory\n"));
                    status = 1;
                    continue;
                }
                if let Err(e) = ctx.fs().write(&target, data) {
                    ctx.out.err(format!("cp: cannot create regular file '{shown_target}': {e}\n"));
                    status = 1;
                    continue;
                }
                let _ = ctx.fs().set_mode(&target, mode);
                if verbose {
                    ctx.out.out(format!("'{src}' -> '{shown_target}'\n"));
                }
            }
            Node::Dir { .. } => {
                if !recursive {
                    ctx.out.err(format!("cp: -r not specified; omitting directory '{src}'\n"));
                    status = 1;
                    continue;
                }
                if target.starts_with(&format!("{src_path}/")) {
                    ctx.out.err(format!("cp: cannot copy a directory, '{src}', into itself, '{shown_target}'\n"));
                    status = 1;
                    continue;
                }
                for sub in ctx.fs().walk(&src_path) {
                    let rel = &sub[src_path.len()..];
                    let to = format!("{target}{rel}");
                    let node = ctx.fs().get(&sub).cloned();
                    let r = match node {
                        Some(Node::Dir { .. }) => ctx.fs().mkdir_all(&to),
                        Some(Node::File { mode, data }) => ctx.fs().write(&to, data).and_then(|()| ctx.fs().set_mode(&to, mode)),
                        None => Ok(()),
                    };
                    if let Err(e) = r {
                        ctx.out.err(format!("cp: cannot create directory '{shown_target}': {e}\n"));
                        status = 1;
                        break;
                    }
                    if verbose {
                        ctx.out.out(format!("'{src}{rel}' -> '{shown_target}{rel}'\n"));
                    }
                }
            }
        }
    }
    status
}
