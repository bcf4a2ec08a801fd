//! `id [-u|-g|-n]`: the learner is root.

use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let flags: String = args.iter().filter(|a| a.starts_with('-')).map(|a| a.trim_start_matches('-')).collect();
    let name = flags.contains('n');
    let line = if flags.contains('u') || flags.contains('g') || flags.contains('G') {
        if name { "root".to_string() } else { "0".to_string() }
    } else if let Some(user) = args.iter().find(|a| !a.starts_with('-')).filter(|u| *u != "root") {
        ctx.out.err(format!("id: ‘{user}’: no such user\n"));
        return 1;
    } else {
        "uid=0(root) gid=0(root) groups=0(root)".to_string()
    };
    ctx.out.out(format!("{line}\n"));
    0
}
