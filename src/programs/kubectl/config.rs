//! `kubectl config`.

use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    ctx.out.err("error: kubectl config is not available in this simulation yet\n");
    1
}
