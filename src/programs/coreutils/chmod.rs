//! `chmod MODE FILE...`: octal modes and symbolic `[ugoa][+-=][rwx]` changes.

use crate::host::fs::Node;
use crate::programs::Ctx;

fn apply(mode: u32, spec: &str, is_dir: bool) -> Option<u32> {
    if spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).ok();
    }
    let mut m = mode;
    for clause in spec.split(',') {
        let who_end = clause.find(['+', '-', '=']).unwrap_or(clause.len());
        let (who, rest) = clause.split_at(who_end);
        let mut op = rest.chars().next()?;
        let perms = &rest[1..];
        let mask = if who.is_empty() || who.contains('a') {
            0o777
        } else {
            let mut k = 0;
            if who.contains('u') {
                k |= 0o700;
            }
            if who.contains('g') {
                k |= 0o070;
            }
            if who.contains('o') {
                k |= 0o007;
            }
            k
        };
        let mut bits = 0;
        for c in perms.chars() {
            bits |= match c {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                'X' if is_dir || mode & 0o111 != 0 => 0o111,
                'X' => 0,
                '+' | '-' | '=' => {
                    op = c;
                    0
                }
                _ => return None,
            };
        }
        let bits = bits & mask;
        m = match op {
            '+' => m | bits,
            '-' => m & !bits,
            _ => (m & !mask) | bits,
        };
    }
    Some(m)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let args: Vec<&String> = args.iter().filter(|a| !matches!(a.as_str(), "-R" | "-v" | "-f" | "--")).collect();
    let Some((spec, files)) = args.split_first() else {
        ctx.out.err("chmod: missing operand\nTry 'chmod --help' for more information.\n");
        return 1;
    };
    if files.is_empty() {
        ctx.out.err(format!("chmod: missing operand after ‘{spec}’\nTry 'chmod --help' for more information.\n"));
        return 1;
    }
    let mut status = 0;
    for name in files {
        let path = ctx.resolve(name);
        let current = match ctx.fs().get(&path) {
            Some(Node::File { mode, .. }) => (*mode, false),
            Some(Node::Dir { mode }) => (*mode, true),
            None => {
                ctx.out.err(format!("chmod: cannot access '{name}': No such file or directory\n"));
                status = 1;
                continue;
            }
        };
        match apply(current.0, spec, current.1) {
            Some(m) => {
                let _ = ctx.fs().set_mode(&path, m);
            }
            None => {
                ctx.out.err(format!("chmod: invalid mode: ‘{spec}’\nTry 'chmod --help' for more information.\n"));
                return 1;
            }
        }
    }
    status
}
