//! `cat [FILE]...`: prints files (or stdin when none is given, or for `-`).

use crate::host::FsError;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    if args.is_empty() {
        let input = ctx.stdin.to_vec();
        ctx.out.out(input);
        return 0;
    }
    let mut status = 0;
    for arg in args {
        if arg == "-" {
            let input = ctx.stdin.to_vec();
            ctx.out.out(input);
            continue;
        }
        let path = ctx.resolve(arg);
        match ctx.fs().read(&path).map(<[u8]>::to_vec) {
            Ok(data) => ctx.out.out(data),
            Err(e @ (FsError::NotFound | FsError::IsADirectory | FsError::NotADirectory | FsError::Exists | FsError::NotEmpty)) => {
                ctx.out.err(format!("cat: {arg}: {e}\n"));
                status = 1;
            }
        }
    }
    status
}
