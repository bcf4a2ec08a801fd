//! `kubectl api-resources`.

use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    ctx.out.err("error: kubectl api-resources is not available in this simulation yet\n");
    1
}

/// `kubectl api-versions`.
pub fn run_versions(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    ctx.out.err("error: kubectl api-versions is not available in this simulation yet\n");
    1
}
