//! `dirname NAME...`: each name without its last component.

use crate::programs::Ctx;

fn dir(name: &str) -> String {
    let t = name.trim_end_matches('/');
    if t.is_empty() {
        return if name.starts_with('/') { "/".into() } else { ".".into() };
    }
    match t.rfind('/') {
        None => ".".into(),
        Some(i) => {
            let d = t[..i].trim_end_matches('/');
            if d.is_empty() { "/".into() } else { d.to_string() }
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    if args.is_empty() {
        ctx.out.err("dirname: missing operand\nTry 'dirname --help' for more information.\n");
        return 1;
    }
    let out: String = args.iter().filter(|a| a.as_str() != "--").map(|a| format!("{}\n", dir(a))).collect();
    ctx.out.out(out);
    0
}
