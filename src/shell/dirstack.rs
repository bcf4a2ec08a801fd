//! `pushd`, `popd` and `dirs`: the directory stack, whose top is always the working directory.

use super::exec::Shell;
use crate::programs::Output;

/// The stack as `dirs` lists it: the working directory first, `$HOME` shown as `~`.
fn listing(sh: &Shell<'_>, tilde: bool) -> Vec<String> {
    let home = sh.session.var("HOME").unwrap_or("/root").to_string();
    let show = |d: &str| {
        if !tilde {
            return d.to_string();
        }
        if d == home {
            "~".to_string()
        } else if let Some(rest) = d.strip_prefix(&format!("{home}/")) {
            format!("~/{rest}")
        } else {
            d.to_string()
        }
    };
    std::iter::once(sh.session.cwd().to_string()).chain(sh.session.frame().dir_stack.iter().cloned()).map(|d| show(&d)).collect()
}

fn print_stack(sh: &Shell<'_>, out: &mut Output) {
    out.out(format!("{}\n", listing(sh, true).join(" ")));
}

/// Changes directory as `cd` does (setting `OLDPWD`), or prints bash's error.
fn change_to(sh: &mut Shell<'_>, name: &str, dir: &str, out: &mut Output) -> bool {
    let path = crate::host::fs::resolve(sh.session.cwd(), dir);
    let host = sh.session.host().to_string();
    match sh.world.hosts.get(&host).map(|h| (h.fs.exists(&path), h.fs.is_dir(&path))) {
        Some((true, true)) => {
            let old = sh.session.cwd().to_string();
            sh.session.set_var("OLDPWD", &old);
            sh.session.set_cwd(&path);
            true
        }
        Some((true, false)) => {
            out.err(format!("bash: {name}: {dir}: Not a directory\n"));
            false
        }
        _ => {
            out.err(format!("bash: {name}: {dir}: No such file or directory\n"));
            false
        }
    }
}

pub fn pushd(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let quiet = argv[1..].iter().any(|a| a == "-n");
    let args: Vec<&String> = argv[1..].iter().filter(|a| a.as_str() != "-n").collect();
    match args.first() {
        None => {
            // `pushd` alone swaps the two top directories.
            let Some(next) = sh.session.frame().dir_stack.first().cloned() else {
                out.err("bash: pushd: no other directory\n");
                return 1;
            };
            let cur = sh.session.cwd().to_string();
            if !change_to(sh, "pushd", &next, out) {
                return 1;
            }
            sh.session.frame_mut().dir_stack[0] = cur;
        }
        Some(dir) => {
            let cur = sh.session.cwd().to_string();
            if !change_to(sh, "pushd", dir, out) {
                return 1;
            }
            sh.session.frame_mut().dir_stack.insert(0, cur);
        }
    }
    if !quiet {
        print_stack(sh, out);
    }
    0
}

pub fn popd(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let quiet = argv[1..].iter().any(|a| a == "-n");
    let Some(next) = sh.session.frame().dir_stack.first().cloned() else {
        out.err("bash: popd: directory stack empty\n");
        return 1;
    };
    if !change_to(sh, "popd", &next, out) {
        return 1;
    }
    sh.session.frame_mut().dir_stack.remove(0);
    if !quiet {
        print_stack(sh, out);
    }
    0
}

pub fn dirs(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let flags: String = argv[1..].iter().filter(|a| a.starts_with('-')).map(|a| &a[1..]).collect();
    if flags.contains('c') {
        sh.session.frame_mut().dir_stack.clear();
        return 0;
    }
    let list = listing(sh, !flags.contains('l'));
    if flags.contains('v') {
        for (i, d) in list.iter().enumerate() {
            out.out(format!("{i:>2}  {d}\n"));
        }
    } else if flags.contains('p') {
        for d in &list {
            out.out(format!("{d}\n"));
        }
    } else {
        out.out(format!("{}\n", list.join(" ")));
    }
    0
}
