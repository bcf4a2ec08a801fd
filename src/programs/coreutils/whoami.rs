//! `whoami`: the learner is always root on the exam hosts.

use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    if let Some(a) = args.first() {
        ctx.out.err(format!("whoami: extra operand '{a}'\nTry 'whoami --help' for more information.\n"));
        return 1;
    }
    ctx.out.out("root\n");
    0
}
