//! `which [-a] NAME...`: where each program lives (from the program table); silent and status 1
//! for names that are not programs, as Debian's `which` is.

use crate::programs::Ctx;

/// Programs the shell runs itself but that are files on a real host.
const SHELL_RUN: &[(&str, &str)] = &[("bash", "/usr/bin/bash"), ("sh", "/usr/bin/sh"), ("ssh", "/usr/bin/ssh")];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut status = 0;
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if names.is_empty() {
        return 1;
    }
    for name in names {
        let path = SHELL_RUN.iter().find(|(n, _)| n == name).map(|(_, p)| *p).or_else(|| crate::programs::find(name).map(|p| p.path));
        match path {
            Some(p) => ctx.out.out(format!("{p}\n")),
            None => status = 1,
        }
    }
    status
}
