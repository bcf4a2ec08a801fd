//! `rev [FILE]...`: reverses the characters of each line.

use super::util;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let files = if args.is_empty() { vec!["-".to_string()] } else { args.to_vec() };
    let mut status = 0;
    for f in &files {
        match util::read_input(ctx, f) {
            Ok(d) => {
                let text: String = util::lines(&d).iter().map(|l| format!("{}\n", l.chars().rev().collect::<String>())).collect();
                ctx.out.out(text);
            }
            Err(e) => {
                ctx.out.err(format!("rev: cannot open {f}: {e}\n"));
                status = 1;
            }
        }
    }
    status
}
