//! `sleep NUMBER[SUFFIX]...`: advances the simulated clock instead of waiting.

use crate::programs::Ctx;

/// Seconds in a GNU sleep duration (`5`, `0.5`, `2m`, `1h`, `1d`).
fn seconds(arg: &str) -> Option<f64> {
    let (num, mult) = match arg.chars().last()? {
        's' => (&arg[..arg.len() - 1], 1.0),
        'm' => (&arg[..arg.len() - 1], 60.0),
        'h' => (&arg[..arg.len() - 1], 3600.0),
        'd' => (&arg[..arg.len() - 1], 86_400.0),
        _ => (arg, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    (v >= 0.0 && v.is_finite()).then_some(v * mult)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    if args.is_empty() {
        ctx.out.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
        return 1;
    }
    let mut total = 0.0;
    for a in args {
        match seconds(a) {
            Some(s) => total += s,
            None => {
                ctx.out.err(format!("sleep: invalid time interval ‘{a}’\nTry 'sleep --help' for more information.\n"));
                return 1;
            }
        }
    }
    // The clock counts whole seconds; a partial second still moves it on.
    ctx.world.advance(total.ceil().min(1e12) as i64);
    0
}
