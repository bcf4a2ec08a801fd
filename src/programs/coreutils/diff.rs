//! `diff [-u|-U N] [-q] FILE1 FILE2`: GNU diff's normal and unified formats from a longest
//! common subsequence of lines. Status 0 same, 1 different, 2 trouble.

use super::util;
use crate::programs::Ctx;
use crate::world::clock;

/// One run of the edit script: old lines `a..a_end` replaced by new lines `b..b_end` (0-based).
#[derive(Debug, Clone, Copy)]
struct Hunk {
    a: usize,
    a_end: usize,
    b: usize,
    b_end: usize,
}

fn hunks(old: &[String], new: &[String]) -> Vec<Hunk> {
    let (n, m) = (old.len(), new.len());
    // Trim the common prefix and suffix so the quadratic table stays small.
    let mut pre = 0;
    while pre < n && pre < m && old[pre] == new[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < n - pre && suf < m - pre && old[n - 1 - suf] == new[m - 1 - suf] {
        suf += 1;
    }
    let (o, w) = (&old[pre..n - suf], &new[pre..m - suf]);
    let (on, wm) = (o.len(), w.len());
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    if on * wm <= 25_000_000 {
        let mut t = vec![0u32; (on + 1) * (wm + 1)];
        let idx = |i: usize, j: usize| i * (wm + 1) + j;
        for i in (0..on).rev() {
            for j in (0..wm).rev() {
                t[idx(i, j)] = if o[i] == w[j] { t[idx(i + 1, j + 1)] + 1 } else { t[idx(i + 1, j)].max(t[idx(i, j + 1)]) };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < on && j < wm {
            if o[i] == w[j] {
                pairs.push((i + pre, j + pre));
                i += 1;
                j += 1;
            } else if t[idx(i + 1, j)] >= t[idx(i, j + 1)] {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    let mut all: Vec<(usize, usize)> = (0..pre).map(|k| (k, k)).collect();
    all.extend(pairs);
    all.extend((0..suf).map(|k| (n - suf + k, m - suf + k)));
    all.push((n, m));
    let mut out = Vec::new();
    let (mut ai, mut bi) = (0, 0);
    for (a, b) in all {
        if a > ai || b > bi {
            out.push(Hunk { a: ai, a_end: a, b: bi, b_end: b });
        }
        ai = a + 1;
        bi = b + 1;
    }
    out
}

fn range(start: usize, end: usize) -> String {
    // 1-based inclusive; an empty range names the line before it.
    if end <= start + 1 { if end == start { start.to_string() } else { end.to_string() } } else { format!("{},{}", start + 1, end) }
}

fn normal(old: &[String], new: &[String], hs: &[Hunk]) -> String {
    let mut out = String::new();
    for h in hs {
        let (dels, adds) = (h.a_end > h.a, h.b_end > h.b);
        let op = match (dels, adds) {
            (true, true) => 'c',
            (true, false) => 'd',
            _ => 'a',
        };
        out.push_str(&format!("{}{op}{}\n", range(h.a, h.a_end), range(h.b, h.b_end)));
        for l in &old[h.a..h.a_end] {
            out.push_str(&format!("< {l}\n"));
        }
        if dels && adds {
            out.push_str("---\n");
        }
        for l in &new[h.b..h.b_end] {
            out.push_str(&format!("> {l}\n"));
        }
    }
    out
}

fn unified(old: &[String], new: &[String], hs: &[Hunk], ctx_lines: usize) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < hs.len() {
        // Merge hunks whose context would overlap.
        let mut j = i;
        while j + 1 < hs.len() && hs[j + 1].a - hs[j].a_end <= 2 * ctx_lines {
            j += 1;
        }
        let a0 = hs[i].a.saturating_sub(ctx_lines);
        let b0 = hs[i].b.saturating_sub(ctx_lines);
        let a1 = (hs[j].a_end + ctx_lines).min(old.len());
        let b1 = (hs[j].b_end + ctx_lines).min(new.len());
        let fmt = |start: usize, len: usize| match len {
            1 => format!("{}", start + 1),
            0 => format!("{start},0"),
            _ => format!("{},{len}", start + 1),
        };
        out.push_str(&format!("@@ -{} +{} @@\n", fmt(a0, a1 - a0), fmt(b0, b1 - b0)));
        let mut a = a0;
        for h in &hs[i..=j] {
            for l in &old[a..h.a] {
                out.push_str(&format!(" {l}\n"));
            }
            for l in &old[h.a..h.a_end] {
                out.push_str(&format!("-{l}\n"));
            }
            for l in &new[h.b..h.b_end] {
                out.push_str(&format!("+{l}\n"));
            }
            a = h.a_end;
        }
        for l in &old[a..a1] {
            out.push_str(&format!(" {l}\n"));
        }
        i = j + 1;
    }
    out
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "uqswBbNria",
        "U",
        &[("unified", false), ("brief", false), ("ignore-all-space", false), ("report-identical-files", false)],
        false,
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("diff").replace("Try 'diff --help'", "diff: Try 'diff --help'").replacen("diff: diff: ", "diff: ", 1));
            return 2;
        }
    };
    if p.operands.len() < 2 {
        let msg = match p.operands.first() {
            Some(a) => format!("diff: missing operand after '{a}'\n"),
            None => "diff: missing operand after 'diff'\n".to_string(),
        };
        ctx.out.err(format!("{msg}diff: Try 'diff --help' for more information.\n"));
        return 2;
    }
    if p.operands.len() > 2 {
        ctx.out.err(format!("diff: extra operand '{}'\ndiff: Try 'diff --help' for more information.\n", p.operands[2]));
        return 2;
    }
    let (f1, f2) = (&p.operands[0], &p.operands[1]);
    let mut read = |f: &str| -> Option<Vec<u8>> {
        match util::read_input(ctx, f) {
            Ok(d) => Some(d),
            Err(e) => {
                ctx.out.err(format!("diff: {f}: {e}\n"));
                None
            }
        }
    };
    let (d1, d2) = (read(f1), read(f2));
    let (Some(d1), Some(d2)) = (d1, d2) else { return 2 };
    let ws = p.has(&["w", "ignore-all-space"]);
    let norm = |d: &[u8]| -> Vec<String> {
        util::lines(d).into_iter().map(|l| if ws { l.split_whitespace().collect::<String>() } else { l }).collect()
    };
    let (o, n) = (util::lines(&d1), util::lines(&d2));
    let hs = hunks(&norm(&d1), &norm(&d2));
    if hs.is_empty() {
        if p.has(&["s", "report-identical-files"]) {
            ctx.out.out(format!("Files {f1} and {f2} are identical\n"));
        }
        return 0;
    }
    if p.has(&["q", "brief"]) {
        ctx.out.out(format!("Files {f1} and {f2} differ\n"));
        return 1;
    }
    let context = p.value(&["U"]).and_then(|v| v.parse().ok());
    let text = if p.has(&["u", "unified"]) || context.is_some() {
        let stamp = format!("{}.000000000 +0000", clock::format_rfc3339(ctx.world.clock.now).replace('T', " ").trim_end_matches('Z'));
        let name = |f: &str| if f == "-" { "-".to_string() } else { f.to_string() };
        format!("--- {}\t{stamp}\n+++ {}\t{stamp}\n{}", name(f1), name(f2), unified(&o, &n, &hs, context.unwrap_or(3)))
    } else {
        normal(&o, &n, &hs)
    };
    ctx.out.out(text);
    1
}
