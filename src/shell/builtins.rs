//! Commands the shell runs itself because they change or read its own state (`cd`, `export`,
//! `alias`, `source`, `exit`, `ssh` …), with bash's messages. One table, like the program table.

use super::dirstack::{dirs, popd, pushd};
use super::exec::{Shell, child_session};
use super::jobctl::{bg, fg, jobs, kill, wait};
use super::lexer;
use super::session::Frame;
use crate::programs::coreutils::{echo, printf};
use crate::programs::{self, Output};

pub type BuiltinFn = fn(&mut Shell<'_>, &[String], &[(String, String)], &[u8], &mut Output) -> i32;

const TABLE: &[(&str, BuiltinFn)] = &[
    (".", source),
    (":", true_),
    ("[", test_bracket),
    ("alias", alias),
    ("bash", bash),
    ("bind", true_),
    ("break", break_),
    ("builtin", builtin),
    ("cd", cd),
    ("clear", clear),
    ("command", command),
    ("compgen", true_),
    ("continue", continue_),
    ("complete", true_),
    ("compopt", true_),
    ("declare", declare),
    ("echo", echo_),
    ("eval", eval),
    ("exec", exec),
    ("exit", exit),
    ("export", export),
    ("false", false_),
    ("hash", true_),
    ("history", history),
    ("bg", bg),
    ("dirs", dirs),
    ("fg", fg),
    ("jobs", jobs),
    ("kill", kill),
    ("mapfile", mapfile),
    ("popd", popd),
    ("pushd", pushd),
    ("readarray", mapfile),
    ("let", let_),
    ("local", declare),
    ("logout", exit),
    ("printf", printf_),
    ("pwd", pwd),
    ("read", read),
    ("readonly", declare),
    ("return", return_),
    ("set", set),
    ("sh", bash),
    ("shift", shift),
    ("shopt", true_),
    ("source", source),
    ("ssh", ssh),
    ("su", su),
    ("sudo", sudo),
    ("test", test),
    ("time", time),
    ("trap", trap),
    ("true", true_),
    ("type", type_),
    ("typeset", declare),
    ("ulimit", true_),
    ("umask", true_),
    ("unalias", unalias),
    ("unset", unset),
    ("wait", wait),
];

/// Commands that are programs on a real system but need the shell's state here; `type` and
/// `which` report them at their usual paths.
pub const SHELL_PROGRAMS: &[(&str, &str)] =
    &[("bash", "/usr/bin/bash"), ("sh", "/usr/bin/sh"), ("ssh", "/usr/bin/ssh"), ("su", "/usr/bin/su"), ("sudo", "/usr/bin/sudo")];

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "in", "function", "time", "{",
    "}", "!", "[[", "]]", "coproc",
];

pub fn find(name: &str) -> Option<BuiltinFn> {
    TABLE.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

fn is_builtin(name: &str) -> bool {
    find(name).is_some() && !SHELL_PROGRAMS.iter().any(|(n, _)| *n == name)
}

/// Where a program lives, from the program table or the shell-run programs.
pub fn program_path(name: &str) -> Option<&'static str> {
    SHELL_PROGRAMS.iter().find(|(n, _)| *n == name).map(|(_, p)| *p).or_else(|| programs::find(name).map(|p| p.path))
}

fn true_(_: &mut Shell<'_>, _: &[String], _: &[(String, String)], _: &[u8], _: &mut Output) -> i32 {
    0
}

fn false_(_: &mut Shell<'_>, _: &[String], _: &[(String, String)], _: &[u8], _: &mut Output) -> i32 {
    1
}

fn echo_(_: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    out.out(echo::render(&argv[1..]));
    0
}

fn printf_(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    // `printf -v NAME FORMAT …` stores the text in a variable instead of printing it.
    let mut first = 1;
    let mut target = None;
    if argv.get(1).is_some_and(|a| a == "-v") {
        let Some(name) = argv.get(2) else {
            out.err("bash: printf: -v: option requires an argument\nprintf: usage: printf [-v var] format [arguments]\n");
            return 2;
        };
        if !lexer::is_name(name) && !super::parser::is_element(name) {
            out.err(format!("bash: printf: `{name}': not a valid identifier\n"));
            return 2;
        }
        target = Some(name.clone());
        first = 3;
    }
    // `printf -- FORMAT` is how formats starting with `-` are written; `--` ends the options.
    if argv.get(first).is_some_and(|a| a == "--") {
        first += 1;
    }
    let Some(fmt) = argv.get(first) else {
        out.err("printf: usage: printf [-v var] format [arguments]\n");
        return 2;
    };
    let (text, errors) = printf::format(fmt, &argv[first + 1..]);
    // bash writes errors at once and the formatted text when the builtin finishes.
    for e in &errors {
        out.err(format!("bash: printf: {e}\n"));
    }
    match target {
        Some(name) => sh.assign(&name, &String::from_utf8_lossy(&text), out),
        None => out.out(text),
    }
    i32::from(!errors.is_empty())
}

fn clear(_: &mut Shell<'_>, _: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    out.out("\x1b[H\x1b[2J\x1b[3J");
    0
}

fn pwd(sh: &mut Shell<'_>, _: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    out.out(format!("{}\n", sh.session.cwd()));
    0
}

fn cd(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let args: Vec<&String> = argv[1..].iter().filter(|a| !matches!(a.as_str(), "-L" | "-P" | "--")).collect();
    if args.len() > 1 {
        out.err("bash: cd: too many arguments\n");
        return 1;
    }
    let mut print = false;
    let target = match args.first().map(|s| s.as_str()) {
        None => match sh.session.var("HOME") {
            Some(h) => h.to_string(),
            None => {
                out.err("bash: cd: HOME not set\n");
                return 1;
            }
        },
        Some("-") => match sh.session.var("OLDPWD") {
            Some(o) => {
                print = true;
                o.to_string()
            }
            None => {
                out.err("bash: cd: OLDPWD not set\n");
                return 1;
            }
        },
        Some(t) => t.to_string(),
    };
    let path = crate::host::fs::resolve(sh.session.cwd(), &target);
    let host = sh.session.host().to_string();
    let kind = sh.world.hosts.get(&host).map(|h| (h.fs.exists(&path), h.fs.is_dir(&path)));
    match kind {
        Some((true, true)) => {
            let old = sh.session.cwd().to_string();
            sh.session.set_var("OLDPWD", &old);
            sh.session.set_cwd(&path);
            if print {
                out.out(format!("{path}\n"));
            }
            0
        }
        Some((true, false)) => {
            out.err(format!("bash: cd: {target}: Not a directory\n"));
            1
        }
        _ => {
            out.err(format!("bash: cd: {target}: No such file or directory\n"));
            1
        }
    }
}

/// Quotes a value the way bash's `alias` and `declare -p` listings do.
fn single_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', "'\\''"))
}

fn alias(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let args: Vec<&String> = argv[1..].iter().filter(|a| a.as_str() != "-p").collect();
    if args.is_empty() {
        for (k, v) in &sh.session.frame().aliases {
            out.out(format!("alias {k}={}\n", single_quote(v)));
        }
        return 0;
    }
    let mut status = 0;
    for a in args {
        match a.split_once('=') {
            Some((name, value)) => {
                sh.session.frame_mut().aliases.insert(name.to_string(), value.to_string());
            }
            None => match sh.session.frame().aliases.get(a.as_str()) {
                Some(v) => out.out(format!("alias {a}={}\n", single_quote(v))),
                None => {
                    out.err(format!("bash: alias: {a}: not found\n"));
                    status = 1;
                }
            },
        }
    }
    status
}

fn unalias(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    if argv.len() == 1 {
        out.err("unalias: usage: unalias [-a] name [name ...]\n");
        return 2;
    }
    let mut status = 0;
    for a in &argv[1..] {
        if a == "-a" {
            sh.session.frame_mut().aliases.clear();
        } else if sh.session.frame_mut().aliases.remove(a.as_str()).is_none() {
            out.err(format!("bash: unalias: {a}: not found\n"));
            status = 1;
        }
    }
    status
}

fn export(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let args: Vec<&String> = argv[1..].iter().filter(|a| !matches!(a.as_str(), "-p" | "--")).collect();
    if args.is_empty() {
        let f = sh.session.frame();
        let mut names: Vec<&String> = f.exported.iter().collect();
        names.sort();
        for n in names {
            match f.vars.get(n) {
                Some(v) => out.out(format!("declare -x {n}=\"{}\"\n", v.replace('\\', "\\\\").replace('"', "\\\"").replace('$', "\\$"))),
                None => out.out(format!("declare -x {n}\n")),
            }
        }
        return 0;
    }
    let mut status = 0;
    for a in args {
        let (name, value) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (a.as_str(), None),
        };
        if !lexer::is_name(name) {
            out.err(format!("bash: export: `{a}': not a valid identifier\n"));
            status = 1;
            continue;
        }
        let value = value.map(str::to_string).or_else(|| sh.session.var(name).map(str::to_string));
        match value {
            Some(v) => sh.session.export(name, &v),
            None => {
                let f = sh.session.frame_mut();
                if !f.exported.iter().any(|e| e == name) {
                    f.exported.push(name.to_string());
                }
            }
        }
    }
    status
}

fn unset(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let mut functions = false;
    let mut status = 0;
    for a in &argv[1..] {
        match a.as_str() {
            "-f" => functions = true,
            "-v" => functions = false,
            name if !functions && super::parser::is_element(name) => {
                let (base, sub) = name.strip_suffix(']').and_then(|n| n.split_once('[')).unwrap_or((name, ""));
                if sub == "@" || sub == "*" {
                    sh.session.unset_var(base);
                    continue;
                }
                let assoc = matches!(sh.session.array(base), Some(super::session::Array::Assoc(_)));
                let key = if assoc { Some(sub.to_string()) } else { sh.arith(sub, out).ok().map(|i| i.to_string()) };
                if let Some(key) = key {
                    match sh.session.frame_mut().arrays.get_mut(base) {
                        Some(a) => a.remove(&key),
                        None if key == "0" => sh.session.unset_var(base),
                        None => {}
                    }
                }
            }
            name if !lexer::is_name(name) => {
                out.err(format!("bash: unset: `{name}': not a valid identifier\n"));
                status = 1;
            }
            name => {
                if functions {
                    sh.session.frame_mut().functions.remove(name);
                } else if sh.session.frame().readonly.iter().any(|r| r == name) {
                    out.err(format!("bash: unset: {name}: cannot unset: readonly variable\n"));
                    status = 1;
                } else {
                    sh.session.unset_var(name);
                }
            }
        }
    }
    status
}

fn declare(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let flags: String = argv[1..].iter().filter(|a| a.starts_with('-') && a.len() > 1).map(|a| &a[1..]).collect();
    let (export, assoc, indexed, print) = (flags.contains('x'), flags.contains('A'), flags.contains('a'), flags.contains('p'));
    let readonly = flags.contains('r') || argv[0] == "readonly";
    if argv[0] == "local" && sh.locals.is_empty() {
        out.err("bash: local: can only be used in a function\n");
        return 1;
    }
    let mut status = 0;
    let names: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-') || a.len() == 1).collect();
    if print {
        for a in &names {
            match declare_line(sh, a) {
                Some(l) => out.out(l),
                None => {
                    out.err(format!("bash: {}: {a}: not found\n", argv[0]));
                    status = 1;
                }
            }
        }
        return status;
    }
    for a in names {
        let (name, value) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (a.as_str(), None),
        };
        let base = name.trim_end_matches('+');
        if !lexer::is_name(base) && !super::parser::is_element(base) {
            out.err(format!("bash: {}: `{a}': not a valid identifier\n", argv[0]));
            status = 1;
            continue;
        }
        // `local` (and `declare` inside a function) gives the function its own variable.
        if (argv[0] == "local" || (argv[0] != "readonly" && !sh.locals.is_empty() && !flags.contains('g'))) && sh.make_local(base) {
            sh.session.unset_var(base);
        }
        if sh.session.frame().readonly.iter().any(|r| r == base) && value.is_some() {
            out.err(format!("bash: {}: {base}: readonly variable\n", argv[0]));
            status = 1;
            continue;
        }
        if assoc || indexed {
            match sh.session.array(base) {
                Some(super::session::Array::Indexed(_)) if assoc => {
                    out.err(format!("bash: {}: {base}: cannot convert indexed to associative array\n", argv[0]));
                    status = 1;
                    continue;
                }
                Some(_) => {}
                None => {
                    sh.session.array_mut(base, assoc);
                }
            }
        }
        match value {
            // `declare a=(x y)`: the parser kept the list's source in the word.
            Some(v) if v.starts_with('(') && v.ends_with(')') => sh.assign_array(name, &v[1..v.len() - 1], out),
            Some(v) => {
                let v = match name.strip_suffix('+') {
                    Some(b) => format!("{}{v}", sh.session.var(b).unwrap_or("")),
                    None => v.to_string(),
                };
                sh.assign(base, &v, out);
            }
            None if sh.session.var(base).is_none() && sh.session.array(base).is_none() && !export => {
                // `declare x` / `local x`: declared, still without a value; bash treats it as unset.
            }
            None => {}
        }
        if export {
            let v = sh.session.var(base).unwrap_or("").to_string();
            sh.session.export(base, &v);
        }
        if readonly && !sh.session.frame().readonly.iter().any(|r| r == base) {
            sh.session.frame_mut().readonly.push(base.to_string());
        }
    }
    status
}

/// `exec CMD …`: runs the command in place of the shell, which then ends with its status.
/// `exec` with redirections only is accepted (the redirection applied to that line only).
fn exec(sh: &mut Shell<'_>, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    let Some(name) = argv.get(1) else { return 0 };
    let status = if programs::find(name).is_some() || name.contains('/') || find(name).is_some() {
        sh.dispatch(&argv[1..], assigns, stdin, out)
    } else {
        out.err(format!("bash: exec: {name}: not found\n"));
        127
    };
    sh.exit = Some(status);
    status
}

/// `declare -p NAME`: how bash prints a variable so that it can be read back.
fn declare_line(sh: &Shell<'_>, name: &str) -> Option<String> {
    let f = sh.session.frame();
    let x = if f.exported.iter().any(|e| e == name) { "x" } else { "" };
    let dq = |v: &str| format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"").replace('$', "\\$").replace('`', "\\`"));
    if let Some(a) = f.arrays.get(name) {
        let (flag, body) = match a {
            super::session::Array::Indexed(m) => ("a", m.iter().map(|(k, v)| format!("[{k}]={}", dq(v))).collect::<Vec<_>>()),
            super::session::Array::Assoc(m) => ("A", m.iter().map(|(k, v)| format!("[{k}]={} ", dq(v))).collect::<Vec<_>>()),
        };
        let joined = if flag == "A" { body.concat() } else { body.join(" ") };
        return Some(format!("declare -{flag}{x} {name}=({joined})\n"));
    }
    let v = f.vars.get(name)?;
    let flags = if x.is_empty() { "-".to_string() } else { format!("-{x}") };
    Some(format!("declare {flags} {name}={}\n", dq(v)))
}

fn let_(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    if argv.len() == 1 {
        out.err("bash: let: expression expected\n");
        return 1;
    }
    let mut last = 0;
    for a in &argv[1..] {
        match sh.arith(a, out) {
            Ok(v) => last = v,
            Err(e) => {
                out.err(format!("bash: let: {e}\n"));
                return 1;
            }
        }
    }
    i32::from(last == 0)
}

/// The options `set -o NAME` knows, with their letters (`None` for long-only ones).
const OPTIONS: &[(&str, Option<char>)] = &[
    ("allexport", Some('a')),
    ("braceexpand", Some('B')),
    ("emacs", None),
    ("errexit", Some('e')),
    ("errtrace", Some('E')),
    ("functrace", Some('T')),
    ("hashall", Some('h')),
    ("histexpand", Some('H')),
    ("history", None),
    ("ignoreeof", None),
    ("interactive-comments", None),
    ("keyword", Some('k')),
    ("monitor", Some('m')),
    ("noclobber", Some('C')),
    ("noexec", Some('n')),
    ("noglob", Some('f')),
    ("nolog", None),
    ("notify", Some('b')),
    ("nounset", Some('u')),
    ("onecmd", Some('t')),
    ("physical", Some('P')),
    ("pipefail", None),
    ("posix", None),
    ("privileged", Some('p')),
    ("verbose", Some('v')),
    ("vi", None),
    ("xtrace", Some('x')),
];

/// Options on by default in bash (shown by `set -o`), which this shell does not track.
const DEFAULT_ON: &[&str] = &["braceexpand", "hashall", "interactive-comments"];

fn set_option(sh: &mut Shell<'_>, name: &str, on: bool) {
    let opts = &mut sh.session.frame_mut().options;
    opts.retain(|o| o != name);
    if on {
        opts.push(name.to_string());
    }
}

fn set(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    if argv.len() == 1 {
        for (k, v) in &sh.session.frame().vars {
            let shown = if v.chars().all(|c| c.is_ascii_alphanumeric() || "/._-:=@%+,".contains(c)) && !v.is_empty() {
                v.clone()
            } else {
                single_quote(v)
            };
            out.out(format!("{k}={shown}\n"));
        }
        return 0;
    }
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a == "--" {
            sh.positional = argv[i + 1..].to_vec();
            return 0;
        }
        let on = a.starts_with('-');
        if !(on || a.starts_with('+')) || a.len() < 2 {
            // The first word that is no option starts the positional parameters.
            sh.positional = argv[i..].to_vec();
            return 0;
        }
        if &a[1..] == "o" {
            match argv.get(i + 1) {
                None => {
                    for (name, _) in OPTIONS {
                        let state = sh.session.option(name) || (DEFAULT_ON.contains(name) || (*name == "emacs" && sh.interactive));
                        let state = if on { if state { "on" } else { "off" }.to_string() } else { String::new() };
                        if on {
                            out.out(format!("{name:<15}\t{state}\n"));
                        } else {
                            let sign = if state.is_empty() && (sh.session.option(name) || DEFAULT_ON.contains(name)) { '-' } else { '+' };
                            out.out(format!("set {sign}o {name}\n"));
                        }
                    }
                    return 0;
                }
                Some(name) if OPTIONS.iter().any(|(n, _)| n == name) => set_option(sh, name, on),
                Some(name) => {
                    out.err(format!("bash: set: {name}: invalid option name\n"));
                    return 1;
                }
            }
            i += 2;
            continue;
        }
        for c in a[1..].chars() {
            match OPTIONS.iter().find(|(_, l)| *l == Some(c)) {
                Some((name, _)) => set_option(sh, name, on),
                None => {
                    out.err(format!(
                        "bash: set: {}{c}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n",
                        &a[..1]
                    ));
                    return 2;
                }
            }
        }
        i += 1;
    }
    0
}

fn shift(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], _: &mut Output) -> i32 {
    let n = argv.get(1).and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
    if n > sh.positional.len() {
        return 1;
    }
    sh.positional.drain(..n);
    0
}

fn history(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    match argv.get(1).map(String::as_str) {
        Some("-c") => {
            sh.session.history.clear();
            return 0;
        }
        Some(n) if n.parse::<usize>().is_err() => {
            out.err(format!("bash: history: {n}: numeric argument required\n"));
            return 1;
        }
        _ => {}
    }
    let total = sh.session.history.len();
    let count = argv.get(1).and_then(|n| n.parse::<usize>().ok()).unwrap_or(total).min(total);
    for (i, line) in sh.session.history.iter().enumerate().skip(total - count) {
        out.out(format!("{:>5}  {line}\n", i + 1));
    }
    0
}

fn exit(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let status = match argv.get(1) {
        None => sh.session.frame().last_status,
        Some(n) => match n.parse::<i64>() {
            Ok(v) => (v & 0xff) as i32,
            Err(_) => {
                out.err(format!("bash: exit: {n}: numeric argument required\n"));
                2
            }
        },
    };
    if argv.len() > 2 && argv[1].parse::<i64>().is_ok() {
        out.err("bash: exit: too many arguments\n");
        return 1;
    }
    sh.exit = Some(status);
    status
}

fn return_(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], _: &mut Output) -> i32 {
    sh.returning = true;
    argv.get(1).and_then(|n| n.parse::<i64>().ok()).map_or(sh.session.frame().last_status, |v| (v & 0xff) as i32)
}

fn loop_levels(sh: &Shell<'_>, argv: &[String], out: &mut Output) -> Option<u32> {
    match argv.get(1).map(|a| a.parse::<u32>()) {
        None => Some(1),
        Some(Ok(n)) if n > 0 => Some(n.min(sh.loops.max(1))),
        Some(_) => {
            out.err(format!("bash: {}: {}: loop count out of range\n", argv[0], argv[1]));
            None
        }
    }
}

fn break_(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    if sh.loops == 0 {
        out.err("bash: break: only meaningful in a `for', `while', or `until' loop\n");
        return 0;
    }
    match loop_levels(sh, argv, out) {
        Some(n) => {
            sh.breaking = n;
            0
        }
        None => 1,
    }
}

fn continue_(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    if sh.loops == 0 {
        out.err("bash: continue: only meaningful in a `for', `while', or `until' loop\n");
        return 0;
    }
    match loop_levels(sh, argv, out) {
        Some(n) => {
            sh.continuing = n;
            0
        }
        None => 1,
    }
}

fn eval(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    let src = argv[1..].join(" ");
    sh.run_source(&src, stdin, out)
}

fn source(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    let Some(file) = argv.get(1) else {
        out.err(format!("bash: {}: filename argument required\n{}: usage: {} filename [arguments]\n", argv[0], argv[0], argv[0]));
        return 2;
    };
    let path = crate::host::fs::resolve(sh.session.cwd(), file);
    let host = sh.session.host().to_string();
    let read = sh.world.hosts.get(&host).map(|h| h.fs.read_string(&path));
    match read {
        Some(Ok(text)) => {
            let saved = (argv.len() > 2).then(|| std::mem::replace(&mut sh.positional, argv[2..].to_vec()));
            let status = sh.run_source(&text, stdin, out);
            sh.returning = false;
            if let Some(p) = saved {
                sh.positional = p;
            }
            status
        }
        Some(Err(e)) => {
            out.err(format!("bash: {file}: {e}\n"));
            1
        }
        None => 1,
    }
}

fn read(sh: &mut Shell<'_>, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    let mut names = Vec::new();
    let mut raw = false;
    let mut array: Option<String> = None;
    let mut delim = b'\n';
    let mut max: Option<usize> = None;
    // `-ra NAME`, `-rp PROMPT`: combined letters, the last one may take the next word.
    let mut split = Vec::new();
    for a in &argv[1..] {
        match a.strip_prefix('-') {
            Some(flags) if flags.len() > 1 && !names_started(&split) => {
                for (i, c) in flags.char_indices() {
                    if "adnNptui".contains(c) && i + 1 < flags.len() {
                        split.push(format!("-{c}"));
                        split.push(flags[i + 1..].to_string());
                        break;
                    }
                    split.push(format!("-{c}"));
                }
            }
            _ => split.push(a.clone()),
        }
    }
    let mut it = split.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-r" => raw = true,
            "-a" => array = it.next().cloned(),
            "-d" => delim = it.next().and_then(|d| d.bytes().next()).unwrap_or(0),
            "-n" | "-N" => max = it.next().and_then(|n| n.parse().ok()),
            // The prompt goes to a terminal only; input here always comes from a pipe or file.
            "-p" | "-t" | "-u" => {
                it.next();
            }
            "-s" | "-e" => {}
            s if s.starts_with('-') && s.len() > 1 => {
                out.err(format!("bash: read: {s}: invalid option\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n"));
                return 2;
            }
            s => names.push(s.to_string()),
        }
    }
    for n in names.iter().chain(array.iter()) {
        if !lexer::is_name(n) {
            out.err(format!("bash: read: `{n}': not a valid identifier\n"));
            return 1;
        }
    }
    // Successive `read`s on the same input (a `while read` loop) consume it line by line.
    let key = (stdin.as_ptr() as usize, stdin.len());
    let offset = sh.read_offsets.get(&key).copied().unwrap_or(0);
    if offset >= stdin.len() {
        // At end of input the variables are still set, to empty.
        for n in &names {
            sh.session.set_var(n, "");
        }
        return 1;
    }
    let rest = &stdin[offset..];
    let (line, used, complete) = match rest.iter().position(|b| *b == delim) {
        Some(i) if max.is_none_or(|m| i <= m) => (&rest[..i], i + 1, true),
        _ => match max {
            Some(m) if m < rest.len() => (&rest[..m], m, true),
            _ => (rest, rest.len(), false),
        },
    };
    sh.read_offsets.insert(key, offset + used);
    let mut line = String::from_utf8_lossy(line).into_owned();
    if !raw {
        line = line.replace("\\\n", "").replace('\\', "");
    }
    // IFS whitespace runs count as one separator, other IFS characters each separate.
    let ifs: Vec<char> = assigns
        .iter()
        .rev()
        .find(|(k, _)| k == "IFS")
        .map(|(_, v)| v.clone())
        .or_else(|| sh.session.var("IFS").map(str::to_string))
        .unwrap_or_else(|| " \t\n".to_string())
        .chars()
        .collect();
    let is_ws = |c: char| ifs.contains(&c) && c.is_whitespace();
    let mut rest = line.trim_matches(is_ws);
    let next_field = |rest: &mut &str| {
        let end = rest.find(|c| ifs.contains(&c)).unwrap_or(rest.len());
        let (field, after) = rest.split_at(end);
        let mut after = after.trim_start_matches(is_ws);
        if let Some(c) = after.chars().next()
            && ifs.contains(&c)
            && !c.is_whitespace()
        {
            after = after[c.len_utf8()..].trim_start_matches(is_ws);
        }
        *rest = after;
        field.to_string()
    };
    if let Some(name) = array {
        let mut m = std::collections::BTreeMap::new();
        let mut i = 0;
        while !rest.is_empty() {
            m.insert(i, next_field(&mut rest));
            i += 1;
        }
        sh.session.set_array(&name, super::session::Array::Indexed(m));
        return i32::from(!complete);
    }
    if names.is_empty() {
        // `read` alone keeps the line as it was, only the newline removed.
        sh.session.set_var("REPLY", &line);
        return i32::from(!complete);
    }
    // Each name takes one field; the last takes the rest of the line as it was written.
    for (i, name) in names.iter().enumerate() {
        let value = if i + 1 == names.len() { rest.to_string() } else { next_field(&mut rest) };
        sh.session.set_var(name, &value);
    }
    i32::from(!complete)
}

/// Whether option parsing of `read` already reached the variable names (not tracked: options
/// always come first in practice).
fn names_started(_: &[String]) -> bool {
    false
}

/// `trap 'cmd' EXIT` (also `0`), `trap - EXIT`, `trap -p`; other signals are accepted and never fire.
fn trap(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let args = &argv[1..];
    if args.is_empty() || args[0] == "-p" {
        for (sig, cmd) in &sh.session.frame().traps {
            out.out(format!("trap -- {} {sig}\n", single_quote(cmd)));
        }
        return 0;
    }
    if args[0] == "-l" {
        out.out(" 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n");
        return 0;
    }
    let (action, sigs) = if args.len() == 1 { ("-", args) } else { (args[0].as_str(), &args[1..]) };
    let mut status = 0;
    for sig in sigs {
        let name = match sig.to_ascii_uppercase().trim_start_matches("SIG") {
            "0" | "EXIT" => "EXIT".to_string(),
            s @ ("HUP" | "INT" | "QUIT" | "KILL" | "TERM" | "USR1" | "USR2" | "ERR" | "DEBUG" | "RETURN" | "CHLD" | "PIPE" | "ALRM") => {
                format!("SIG{s}").replace("SIGERR", "ERR").replace("SIGDEBUG", "DEBUG").replace("SIGRETURN", "RETURN")
            }
            "1" => "SIGHUP".into(),
            "2" => "SIGINT".into(),
            "15" => "SIGTERM".into(),
            _ => {
                out.err(format!("bash: trap: {sig}: invalid signal specification\n"));
                status = 1;
                continue;
            }
        };
        let traps = &mut sh.session.frame_mut().traps;
        if action == "-" {
            traps.remove(&name);
        } else {
            traps.insert(name, action.to_string());
        }
    }
    status
}

/// `mapfile [-t] [-n N] [-s N] [ARRAY]` (also `readarray`): the input's lines into an array.
fn mapfile(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    let mut trim = false;
    let mut count: Option<usize> = None;
    let mut skip = 0;
    let mut delim = b'\n';
    let mut name = "MAPFILE".to_string();
    let mut it = argv[1..].iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-t" => trim = true,
            "-n" => count = it.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0),
            "-s" => skip = it.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            "-d" => delim = it.next().and_then(|d| d.bytes().next()).unwrap_or(0),
            "-u" | "-C" | "-c" | "-O" => {
                it.next();
            }
            s if s.starts_with('-') && s.len() > 1 => {
                out.err(format!("bash: {}: {s}: invalid option\n", argv[0]));
                return 2;
            }
            s if lexer::is_name(s) => name = s.to_string(),
            s => {
                out.err(format!("bash: {}: `{s}': not a valid identifier\n", argv[0]));
                return 1;
            }
        }
    }
    let key = (stdin.as_ptr() as usize, stdin.len());
    let offset = sh.read_offsets.get(&key).copied().unwrap_or(0).min(stdin.len());
    sh.read_offsets.insert(key, stdin.len());
    let mut m = std::collections::BTreeMap::new();
    let data = &stdin[offset..];
    let mut lines: Vec<&[u8]> = data.split_inclusive(|b| *b == delim).collect();
    lines.retain(|l| !l.is_empty());
    for (i, l) in lines.into_iter().skip(skip).take(count.unwrap_or(usize::MAX)).enumerate() {
        let l = if trim { l.strip_suffix(&[delim]).unwrap_or(l) } else { l };
        m.insert(i as i64, String::from_utf8_lossy(l).into_owned());
    }
    sh.session.set_array(&name, super::session::Array::Indexed(m));
    0
}

fn type_(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let mut terse = false;
    let mut path_only = false;
    let mut status = 0;
    for a in &argv[1..] {
        match a.as_str() {
            "-t" => {
                terse = true;
                continue;
            }
            "-p" | "-P" => {
                path_only = true;
                continue;
            }
            "-a" => continue,
            _ => {}
        }
        let f = sh.session.frame();
        let found: Option<(&str, String)> = if path_only {
            program_path(a).map(|p| ("file", p.to_string()))
        } else if let Some(v) = f.aliases.get(a.as_str()) {
            Some(("alias", format!("{a} is aliased to `{v}'")))
        } else if KEYWORDS.contains(&a.as_str()) {
            Some(("keyword", format!("{a} is a shell keyword")))
        } else if let Some(body) = f.functions.get(a.as_str()) {
            Some(("function", format!("{a} is a function\n{a} () \n{body}")))
        } else if is_builtin(a) {
            Some(("builtin", format!("{a} is a shell builtin")))
        } else {
            program_path(a).map(|p| ("file", format!("{a} is {p}")))
        };
        match found {
            Some((kind, text)) => {
                if terse {
                    out.out(format!("{kind}\n"));
                } else {
                    out.out(format!("{text}\n"));
                }
            }
            None => {
                if !terse && !path_only {
                    out.err(format!("bash: type: {a}: not found\n"));
                }
                status = 1;
            }
        }
    }
    status
}

fn command(sh: &mut Shell<'_>, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    match argv.get(1).map(String::as_str) {
        Some("-v" | "-V") => {
            let mut status = 1;
            for a in &argv[2..] {
                // The status is 0 when any of the names is found.
                if let Some(v) = sh.session.frame().aliases.get(a.as_str()) {
                    out.out(format!("alias {a}={}\n", single_quote(v)));
                    status = 0;
                } else if is_builtin(a) || sh.session.frame().functions.contains_key(a.as_str()) || KEYWORDS.contains(&a.as_str()) {
                    out.out(format!("{a}\n"));
                    status = 0;
                } else if let Some(p) = program_path(a) {
                    out.out(format!("{p}\n"));
                    status = 0;
                }
            }
            status
        }
        Some(_) => {
            let rest = &argv[1..];
            match find(&rest[0]) {
                Some(b) => b(sh, rest, assigns, stdin, out),
                None => sh.run_program(rest, assigns, stdin, out),
            }
        }
        None => 0,
    }
}

fn builtin(sh: &mut Shell<'_>, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    let Some(name) = argv.get(1) else { return 0 };
    match find(name) {
        Some(b) if is_builtin(name) => b(sh, &argv[1..], assigns, stdin, out),
        _ => {
            out.err(format!("bash: builtin: {name}: not a shell builtin\n"));
            1
        }
    }
}

/// `bash -c LINE`, `bash FILE`, `bash < script`: a child shell with the exported environment.
fn bash(sh: &mut Shell<'_>, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    let mut i = 1;
    let mut script: Option<String> = None;
    let mut positional = Vec::new();
    let mut arg0: Option<String> = None;
    while i < argv.len() {
        let a = &argv[i];
        if a == "-c" {
            let Some(line) = argv.get(i + 1) else {
                out.err(format!("{}: -c: option requires an argument\n", argv[0]));
                return 2;
            };
            script = Some(line.clone());
            arg0 = argv.get(i + 2).cloned();
            positional = argv.get(i + 3..).map(<[String]>::to_vec).unwrap_or_default();
            break;
        } else if a.starts_with('-') && a.len() > 1 {
            i += 1;
        } else {
            let path = crate::host::fs::resolve(sh.session.cwd(), a);
            let host = sh.session.host().to_string();
            match sh.world.hosts.get(&host).map(|h| h.fs.read_string(&path)) {
                Some(Ok(t)) => script = Some(t),
                _ => {
                    out.err(format!("{}: {a}: No such file or directory\n", argv[0]));
                    return 127;
                }
            }
            positional = argv[i + 1..].to_vec();
            arg0 = Some(a.clone());
            break;
        }
    }
    let (script, stdin) = match script {
        Some(s) => (s, stdin),
        None => (String::from_utf8_lossy(stdin).into_owned(), &[][..]),
    };
    if let Err(e) = super::parser::parse(&script) {
        // A non-interactive bash names where it read the text (`-c` or the file) and the line.
        let origin = if arg0.is_some() && !argv.iter().any(|a| a == "-c") { arg0.clone().unwrap_or_default() } else { "-c".to_string() };
        let lines = script.lines().count().max(1);
        let msg = match &e {
            super::parser::ParseError::Unexpected(_) => {
                let line = script.lines().next().unwrap_or("");
                format!("{}: {origin}: line 1: {e}\n{}: {origin}: line 1: `{line}'\n", argv[0], argv[0])
            }
            super::parser::ParseError::Lex(lexer::LexError::OpenQuote(q, l)) => {
                format!("{}: {origin}: line {l}: unexpected EOF while looking for matching `{q}'\n", argv[0])
            }
            _ => format!("{}: {origin}: line {}: syntax error: unexpected end of file\n", argv[0], lines + 1),
        };
        out.err(msg);
        return 2;
    }
    let mut env = sh.session.env();
    for (k, v) in assigns {
        env.insert(k.clone(), v.clone());
    }
    let host = sh.session.host().to_string();
    let mut child = child_session(&host, sh.session.cwd(), &env);
    let mut inner = Shell::new(sh.world, &mut child);
    inner.positional = positional;
    inner.dash_c = argv.iter().any(|a| a == "-c");
    inner.arg0 = arg0;
    inner.depth = sh.depth + 1;
    let status = inner.run_source(&script, stdin, out);
    let status = inner.exit.unwrap_or(status);
    inner.run_exit_trap(status, out)
}

/// `ssh [user@]HOST [COMMAND…]`: a login shell on another host, or one command run there.
fn ssh(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    let mut i = 1;
    while i < argv.len() && argv[i].starts_with('-') {
        // Options that take a value.
        if matches!(argv[i].as_str(), "-o" | "-i" | "-p" | "-l" | "-F" | "-J" | "-E" | "-b" | "-c" | "-L" | "-R" | "-D" | "-W" | "-S") {
            i += 1;
        }
        i += 1;
    }
    let Some(target) = argv.get(i) else {
        out.err(
            "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file] [-e escape_char]\n           [-F configfile] [-I pkcs11] [-i identity_file] [-J destination] [-L address]\n           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-P tag] [-p port]\n           [-R address] [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n           destination [command [argument ...]]\n",
        );
        return 255;
    };
    let name = target.rsplit_once('@').map_or(target.as_str(), |(_, h)| h);
    let host = if sh.world.hosts.contains_key(name) {
        Some(name.to_string())
    } else {
        sh.world.hosts.values().find(|h| h.ip == name).map(|h| h.name.clone())
    };
    let Some(host) = host else {
        out.err(format!("ssh: Could not resolve hostname {name}: Name or service not known\n"));
        return 255;
    };
    let command = argv[i + 1..].join(" ");
    if command.is_empty() {
        let mut frame = Frame::login(&host);
        frame.via_ssh = true;
        sh.session.frames.push(frame);
        sh.read_rc(out);
        return 0;
    }
    let mut child = super::Session::new(&host);
    let mut inner = Shell::new(sh.world, &mut child);
    inner.depth = sh.depth + 1;
    let status = inner.run_source(&command, stdin, out);
    inner.exit.unwrap_or(status)
}

/// A root login shell on the same host (the learner is already root): `exit` comes back.
fn push_login_shell(sh: &mut Shell<'_>, out: &mut Output) -> i32 {
    let host = sh.session.host().to_string();
    sh.session.frames.push(Frame::login(&host));
    sh.read_rc(out);
    0
}

/// `su [-] [root]`, `su -c CMD`.
fn su(sh: &mut Shell<'_>, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    if let Some(i) = args.iter().position(|a| *a == "-c") {
        let Some(cmd) = args.get(i + 1) else {
            out.err("su: option requires an argument -- 'c'\nTry 'su --help' for more information.\n");
            return 1;
        };
        let line = vec!["bash".to_string(), "-c".to_string(), (*cmd).to_string()];
        return bash(sh, &line, assigns, stdin, out);
    }
    match args.iter().find(|a| !a.starts_with('-')) {
        None | Some(&"root") => push_login_shell(sh, out),
        Some(user) => {
            out.err(format!("su: user {user} does not exist or the user entry does not contain all the required fields\n"));
            1
        }
    }
}

/// `sudo -i`, `sudo -s`, `sudo su -`, `sudo bash`: a root shell; `sudo CMD …`: runs it.
fn sudo(sh: &mut Shell<'_>, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    let mut i = 1;
    let mut login = false;
    while let Some(a) = argv.get(i) {
        match a.as_str() {
            "-i" | "-s" | "--login" | "--shell" => login = true,
            "-u" | "-g" => i += 1,
            "-E" | "-H" | "-n" | "-k" | "--preserve-env" => {}
            "--" => {
                i += 1;
                break;
            }
            s if s.starts_with('-') => {
                out.err(format!("sudo: invalid option -- '{}'\nusage: sudo -h | -K | -k | -V\n", s.chars().nth(1).unwrap_or('-')));
                return 1;
            }
            _ => break,
        }
        i += 1;
    }
    let rest = argv.get(i..).unwrap_or(&[]);
    if rest.is_empty() {
        if login {
            return push_login_shell(sh, out);
        }
        out.err("usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\nusage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user]\n            [-u user] [command [arg ...]]\nusage: sudo [-ABbEHkNnPS] [-r role] [-t type] [-C num] [-D directory]\n            [-g group] [-h host] [-p prompt] [-R directory] [-T timeout]\n            [-u user] [VAR=value] [-i | -s] [command [arg ...]]\nusage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory]\n            [-g group] [-h host] [-p prompt] [-R directory] [-T timeout]\n            [-u user] file ...\n");
        return 1;
    }
    if matches!(rest[0].as_str(), "bash" | "sh") && rest.len() == 1 {
        return push_login_shell(sh, out);
    }
    // Builtins and programs alike (sudo finds programs on PATH; a builtin name is not one).
    if find(&rest[0]).is_some() && program_path(&rest[0]).is_none() {
        out.err(format!("sudo: {}: command not found\n", rest[0]));
        return 1;
    }
    sh.dispatch(rest, assigns, stdin, out)
}

/// `time CMD …`: runs the command and reports bash's timing lines (simulated commands take no time).
fn time(sh: &mut Shell<'_>, argv: &[String], assigns: &[(String, String)], stdin: &[u8], out: &mut Output) -> i32 {
    // `time -p` prints the POSIX format.
    let (posix, first) = if argv.get(1).is_some_and(|a| a == "-p") { (true, 2) } else { (false, 1) };
    let status = if argv.len() > first { sh.dispatch(&argv[first..], assigns, stdin, out) } else { 0 };
    if posix {
        out.err("real 0.00\nuser 0.00\nsys 0.00\n");
    } else {
        out.err("\nreal\t0m0.000s\nuser\t0m0.000s\nsys\t0m0.000s\n");
    }
    status
}

fn test(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    test_eval(sh, &argv[1..], false, out)
}

fn test_bracket(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    if argv.last().map(String::as_str) != Some("]") {
        out.err("bash: [: missing `]'\n");
        return 2;
    }
    test_eval(sh, &argv[1..argv.len() - 1], false, out)
}

/// `test` / `[` / `[[`: 0 true, 1 false, 2 error. `double` enables `[[`'s `==` globbing, `&&`, `||`.
pub fn test_eval(sh: &Shell<'_>, args: &[String], double: bool, out: &mut Output) -> i32 {
    let name = if double { "[[" } else { "test" };
    match test_expr(sh, args, double) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(e) if e.is_empty() => 2,
        Err(e) => {
            if name == "test" {
                out.err(format!("bash: test: {e}\n"));
            } else {
                out.err(format!("bash: {e}\n"));
            }
            2
        }
    }
}

fn test_expr(sh: &Shell<'_>, args: &[String], double: bool) -> Result<bool, String> {
    // `||` / `-o` bind loosest, then `&&` / `-a`.
    for (i, a) in args.iter().enumerate() {
        if (double && a == "||") || (!double && a == "-o" && i > 0 && i + 1 < args.len()) {
            return Ok(test_expr(sh, &args[..i], double)? || test_expr(sh, &args[i + 1..], double)?);
        }
    }
    for (i, a) in args.iter().enumerate() {
        if (double && a == "&&") || (!double && a == "-a" && i > 0 && i + 1 < args.len()) {
            return Ok(test_expr(sh, &args[..i], double)? && test_expr(sh, &args[i + 1..], double)?);
        }
    }
    let fs_check = |path: &str, f: &dyn Fn(&crate::host::fs::Node) -> bool| {
        let p = crate::host::fs::resolve(sh.session.cwd(), path);
        sh.world.hosts.get(sh.session.host()).and_then(|h| h.fs.get(&p)).is_some_and(f)
    };
    let int = |s: &str| s.trim().parse::<i64>().map_err(|_| format!("{s}: integer expression expected"));
    match args {
        [] => Ok(false),
        [a] => Ok(!a.is_empty()),
        [bang, rest @ ..] if bang == "!" => Ok(!test_expr(sh, rest, double)?),
        [open, inner @ .., close] if open == "(" && close == ")" => test_expr(sh, inner, double),
        [op, v] => match op.as_str() {
            "-z" => Ok(v.is_empty()),
            "-n" => Ok(!v.is_empty()),
            "-e" | "-a" => Ok(fs_check(v, &|_| true)),
            "-f" => Ok(fs_check(v, &|n| matches!(n, crate::host::fs::Node::File { .. }))),
            "-d" => Ok(fs_check(v, &|n| matches!(n, crate::host::fs::Node::Dir { .. }))),
            "-s" => Ok(fs_check(v, &|n| matches!(n, crate::host::fs::Node::File { data, .. } if !data.is_empty()))),
            "-r" | "-w" => Ok(fs_check(v, &|_| true)),
            "-x" => Ok(fs_check(v, &|n| match n {
                crate::host::fs::Node::File { mode, .. } | crate::host::fs::Node::Dir { mode } => mode & 0o111 != 0,
            })),
            "-L" | "-h" | "-p" | "-S" | "-b" | "-c" => Ok(false),
            "-v" => Ok(sh.session.var(v).is_some()),
            _ => Err(format!("{op}: unary operator expected")),
        },
        [l, op, r] => match op.as_str() {
            "=" | "==" => Ok(if double { super::expand::glob_str(r, l) } else { l == r }),
            "!=" => Ok(if double { !super::expand::glob_str(r, l) } else { l != r }),
            "=~" if double => match regex::Regex::new(r) {
                Ok(re) => Ok(re.is_match(l)),
                Err(_) => Err(String::new()),
            },
            "<" => Ok(l < r),
            ">" => Ok(l > r),
            "-eq" => Ok(int(l)? == int(r)?),
            "-ne" => Ok(int(l)? != int(r)?),
            "-lt" => Ok(int(l)? < int(r)?),
            "-le" => Ok(int(l)? <= int(r)?),
            "-gt" => Ok(int(l)? > int(r)?),
            "-ge" => Ok(int(l)? >= int(r)?),
            _ => Err(format!("{op}: binary operator expected")),
        },
        _ => Err("too many arguments".to_string()),
    }
}
