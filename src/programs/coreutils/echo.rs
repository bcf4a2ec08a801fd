//! `echo [-neE] [ARG]...`: bash's builtin echo (the shell runs it; `/usr/bin/echo` behaves the same
//! for the options exam users type).

use crate::programs::Ctx;

/// What `echo ARGS` prints.
pub fn render(args: &[String]) -> Vec<u8> {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let text = args[i..].join(" ");
    let mut out = if escapes {
        let (bytes, stop) = super::printf::unescape(&text, true);
        if stop {
            return bytes;
        }
        bytes
    } else {
        text.into_bytes()
    };
    if newline {
        out.push(b'\n');
    }
    out
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let text = render(args);
    ctx.out.out(text);
    0
}
