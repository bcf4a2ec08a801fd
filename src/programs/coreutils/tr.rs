//! `tr [-d] [-s] [-c] SET1 [SET2]`: translates, deletes or squeezes characters. Sets take
//! ranges (`a-z`), classes (`[:upper:]`), repeats (`[x*]`) and backslash escapes.

use crate::programs::Ctx;

fn class(name: &str) -> Option<Vec<char>> {
    let all = (0u8..=127).map(char::from);
    Some(match name {
        "upper" => ('A'..='Z').collect(),
        "lower" => ('a'..='z').collect(),
        "digit" => ('0'..='9').collect(),
        "alpha" => all.filter(char::is_ascii_alphabetic).collect(),
        "alnum" => all.filter(char::is_ascii_alphanumeric).collect(),
        "space" => vec![' ', '\t', '\n', '\r', '\x0b', '\x0c'],
        "blank" => vec![' ', '\t'],
        "punct" => all.filter(char::is_ascii_punctuation).collect(),
        "cntrl" => all.filter(char::is_ascii_control).collect(),
        "xdigit" => all.filter(char::is_ascii_hexdigit).collect(),
        "print" => all.filter(|c| !c.is_ascii_control()).collect(),
        "graph" => all.filter(|c| c.is_ascii_graphic()).collect(),
        _ => return None,
    })
}

/// Expands a SET; `Err` carries tr's message.
fn expand(set: &str, fill_to: Option<usize>) -> Result<Vec<char>, String> {
    let c: Vec<char> = set.chars().collect();
    let mut raw: Vec<char> = Vec::new();
    let mut out: Vec<char> = Vec::new();
    let mut i = 0;
    let esc = |c: char| match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '\\' => '\\',
        'a' => '\x07',
        'b' => '\x08',
        'f' => '\x0c',
        'v' => '\x0b',
        o => o,
    };
    let mut repeat_at: Option<(usize, char)> = None;
    while i < c.len() {
        if c[i] == '[' && c.get(i + 1) == Some(&':') {
            let rest: String = c[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let name = &rest[..end];
                match class(name) {
                    Some(v) => out.extend(v),
                    None => return Err(format!("tr: invalid character class ‘{name}’\n")),
                }
                i += 2 + end + 2;
                continue;
            }
        }
        if c[i] == '[' && c.get(i + 2) == Some(&'*') {
            let ch = c[i + 1];
            let rest: String = c[i + 3..].iter().collect();
            if let Some(end) = rest.find(']') {
                let n: usize = rest[..end].parse().unwrap_or(0);
                if n == 0 {
                    repeat_at = Some((out.len(), ch));
                } else {
                    out.extend(std::iter::repeat_n(ch, n));
                }
                i += 3 + end + 1;
                continue;
            }
        }
        let ch = if c[i] == '\\' && i + 1 < c.len() {
            i += 1;
            if c[i].is_digit(8) {
                let mut v = 0u32;
                let mut n = 0;
                while n < 3 && i < c.len() && c[i].is_digit(8) {
                    v = v * 8 + c[i].to_digit(8).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                i -= 1;
                char::from_u32(v).unwrap_or('\0')
            } else {
                esc(c[i])
            }
        } else {
            c[i]
        };
        i += 1;
        if c.get(i) == Some(&'-') && i + 1 < c.len() {
            let hi = if c[i + 1] == '\\' && i + 2 < c.len() { esc(c[i + 2]) } else { c[i + 1] };
            let skip = if c[i + 1] == '\\' { 3 } else { 2 };
            if hi < ch {
                return Err(format!("tr: range-endpoints of '{ch}-{hi}' are in reverse collating sequence order\n"));
            }
            out.extend(ch..=hi);
            i += skip;
            continue;
        }
        raw.push(ch);
        out.push(ch);
    }
    if let (Some((at, ch)), Some(n)) = (repeat_at, fill_to)
        && n > out.len()
    {
        let fill: Vec<char> = std::iter::repeat_n(ch, n - out.len()).collect();
        out.splice(at..at, fill);
    }
    Ok(out)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut delete = false;
    let mut squeeze = false;
    let mut complement = false;
    let mut sets = Vec::new();
    for a in args {
        if a.starts_with('-') && a.len() > 1 && sets.is_empty() && a.chars().skip(1).all(|c| "dscCt".contains(c)) {
            delete |= a.contains('d');
            squeeze |= a.contains('s');
            complement |= a.contains('c') || a.contains('C');
        } else {
            sets.push(a.clone());
        }
    }
    let need = if delete != squeeze { 1 } else { 2 };
    if sets.is_empty() {
        ctx.out.err("tr: missing operand\nTry 'tr --help' for more information.\n");
        return 1;
    }
    if sets.len() < need {
        let msg = if delete && squeeze {
            format!("tr: missing operand after ‘{}’\nTwo strings must be given when both deleting and squeezing repeats.\n", sets[0])
        } else {
            format!("tr: missing operand after ‘{}’\nTwo strings must be given when translating.\n", sets[0])
        };
        ctx.out.err(format!("{msg}Try 'tr --help' for more information.\n"));
        return 1;
    }
    if delete && !squeeze && sets.len() > 1 {
        ctx.out.err(format!("tr: extra operand ‘{}’\nOnly one string may be given when deleting without squeezing repeats.\nTry 'tr --help' for more information.\n", sets[1]));
        return 1;
    }
    let set1 = match expand(&sets[0], None) {
        Ok(s) => s,
        Err(e) => {
            ctx.out.err(e);
            return 1;
        }
    };
    let set2 = match sets.get(1).map(|s| expand(s, Some(set1.len()))) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            ctx.out.err(e);
            return 1;
        }
        None => None,
    };
    let input = String::from_utf8_lossy(ctx.stdin).into_owned();
    let in1 = |c: char| set1.contains(&c) != complement;
    let mut out = String::new();
    let mut last: Option<char> = None;
    let squeeze_set: Vec<char> = if delete || set2.is_none() { set1.clone() } else { set2.clone().unwrap_or_default() };
    for ch in input.chars() {
        if delete && in1(ch) {
            continue;
        }
        let mapped = match (&set2, delete) {
            (Some(s2), false) if !s2.is_empty() && in1(ch) => {
                if complement {
                    *s2.last().unwrap_or(&ch)
                } else {
                    let i = set1.iter().rposition(|c| *c == ch).unwrap_or(0);
                    *s2.get(i).or(s2.last()).unwrap_or(&ch)
                }
            }
            _ => ch,
        };
        if squeeze {
            let in_sq = if delete || set2.is_none() { in1(mapped) } else { squeeze_set.contains(&mapped) };
            if in_sq && last == Some(mapped) {
                continue;
            }
        }
        last = Some(mapped);
        out.push(mapped);
    }
    ctx.out.out(out);
    0
}
