//! `env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG]...]`: prints the environment, or runs a
//! command with a changed one.

use crate::programs::{Ctx, SubshellRequest};

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut env = ctx.env.clone();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-i" | "--ignore-environment" | "-" => env.clear(),
            "-u" | "--unset" => {
                i += 1;
                if let Some(n) = args.get(i) {
                    env.remove(n);
                }
            }
            "--" => {
                i += 1;
                break;
            }
            _ if a.starts_with('-') && a.len() > 1 => {
                ctx.out
                    .err(format!("env: invalid option -- '{}'\nTry 'env --help' for more information.\n", a.chars().nth(1).unwrap_or('-')));
                return 125;
            }
            _ => match a.split_once('=') {
                Some((k, v)) if !k.is_empty() => {
                    env.insert(k.to_string(), v.to_string());
                }
                _ => break,
            },
        }
        i += 1;
    }
    if i >= args.len() {
        let text: String = env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        ctx.out.out(text);
        return 0;
    }
    let line = args[i..].iter().map(|a| super::printf::shell_quote(a)).collect::<Vec<_>>().join(" ");
    let host = ctx.host.clone();
    let cwd = ctx.cwd.clone();
    let stdin = ctx.stdin.to_vec();
    let req = SubshellRequest { host: &host, cwd: &cwd, env: &env, line: &line, stdin: &stdin };
    let (out, status) = (ctx.subshell)(ctx.world, &req);
    if status == 127 && out.stderr_string().ends_with("command not found\n") {
        ctx.out.err(format!("env: '{}': No such file or directory\n", args[i]));
        return 127;
    }
    ctx.out.append(out);
    status
}
