//! `seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST`: a sequence of numbers (integers and decimals).

use super::util;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    // Negative numbers are operands, not options.
    let (opts, nums): (Vec<&String>, Vec<&String>) =
        args.iter().partition(|a| a.starts_with('-') && a.len() > 1 && a.parse::<f64>().is_err());
    let opt_args: Vec<String> = opts.into_iter().cloned().collect();
    let p = match util::parse(&opt_args, "w", "sf", &[("separator", true), ("equal-width", false), ("format", true)], false) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("seq"));
            return 1;
        }
    };
    let mut values = Vec::new();
    for n in &nums {
        match n.parse::<f64>() {
            Ok(v) => values.push(v),
            Err(_) => {
                ctx.out.err(format!("seq: invalid floating point argument: ‘{n}’\nTry 'seq --help' for more information.\n"));
                return 1;
            }
        }
    }
    let (first, inc, last) = match values.as_slice() {
        [l] => (1.0, 1.0, *l),
        [f, l] => (*f, 1.0, *l),
        [f, i, l] => (*f, *i, *l),
        [] => {
            ctx.out.err("seq: missing operand\nTry 'seq --help' for more information.\n");
            return 1;
        }
        _ => {
            ctx.out.err(format!("seq: extra operand '{}'\nTry 'seq --help' for more information.\n", nums[3]));
            return 1;
        }
    };
    if inc == 0.0 {
        ctx.out.err(format!("seq: invalid Zero increment value: ‘{}’\nTry 'seq --help' for more information.\n", nums[1]));
        return 1;
    }
    let decimals = nums.iter().map(|n| n.split_once('.').map_or(0, |(_, d)| d.len())).max().unwrap_or(0);
    let sep = p.value(&["s", "separator"]).unwrap_or("\n").to_string();
    let mut items = Vec::new();
    let mut v = first;
    let mut count = 0;
    while (inc > 0.0 && v <= last + 1e-9) || (inc < 0.0 && v >= last - 1e-9) {
        items.push(format!("{v:.decimals$}"));
        count += 1;
        if count > 1_000_000 {
            break;
        }
        v = first + inc * f64::from(count);
    }
    if p.has(&["w", "equal-width"]) {
        let w = items.iter().map(String::len).max().unwrap_or(0);
        items = items
            .into_iter()
            .map(|s| match s.strip_prefix('-') {
                Some(r) => format!("-{:0>width$}", r, width = w - 1),
                None => format!("{s:0>w$}"),
            })
            .collect();
    }
    if !items.is_empty() {
        ctx.out.out(format!("{}\n", items.join(&sep)));
    }
    0
}
