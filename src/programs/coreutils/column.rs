//! `column -t [-s SEP] [-o OUTSEP] [FILE]...`: aligns whitespace-separated fields into a table
//! (util-linux column: two spaces between columns by default); without `-t` prints the input.

use super::util;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(args, "tnxe", "soc", &[("table", false), ("separator", true), ("output-separator", true)], false) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("column"));
            return 1;
        }
    };
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut lines = Vec::new();
    for f in &files {
        match util::read_input(ctx, f) {
            Ok(d) => lines.extend(util::lines(&d)),
            Err(e) => {
                ctx.out.err(format!("column: cannot open {f}: {e}\n"));
                return 1;
            }
        }
    }
    if !p.has(&["t", "table"]) {
        let text: String = lines.iter().filter(|l| !l.trim().is_empty()).map(|l| format!("{l}\n")).collect();
        ctx.out.out(text);
        return 0;
    }
    let sep = p.value(&["s", "separator"]).map(str::to_string);
    let out_sep = p.value(&["o", "output-separator"]).unwrap_or("  ").to_string();
    let rows: Vec<Vec<String>> = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match &sep {
            Some(s) => l.split(|c| s.contains(c)).filter(|x| !x.is_empty()).map(str::to_string).collect(),
            None => l.split_whitespace().map(str::to_string).collect(),
        })
        .collect();
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..ncols).map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| c.chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}{out_sep}", w = widths[i]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    ctx.out.out(out);
    0
}
