//! `printf FORMAT [ARG]...`: the format language shared by bash's builtin and `/usr/bin/printf`
//! (`%s %b %q %d %i %u %x %o %c %f %e %g %%`, flags, width, precision, and reuse of the format
//! while arguments remain).

use crate::programs::Ctx;

/// Interprets backslash escapes. `echo_mode` is `echo -e` / `%b` (`\0NNN` octal, `\c` stops
/// output: the flag in the result).
pub fn unescape(s: &str, echo_mode: bool) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut buf = [0u8; 4];
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\\' || i >= chars.len() {
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let e = chars[i];
        i += 1;
        let simple = match e {
            'n' => Some(b'\n'),
            't' => Some(b'\t'),
            'r' => Some(b'\r'),
            'a' => Some(7),
            'b' => Some(8),
            'f' => Some(12),
            'v' => Some(11),
            'e' | 'E' => Some(27),
            '\\' => Some(b'\\'),
            '"' if !echo_mode => Some(b'"'),
            '\'' if !echo_mode => Some(b'\''),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            continue;
        }
        match e {
            'c' if echo_mode => return (out, true),
            '0'..='7' => {
                // echo/%b: \0NNN (up to 3 digits after the 0); printf format: \NNN.
                let mut v: u32 = 0;
                let mut n = 0;
                let max = 3;
                let mut j = if echo_mode && e == '0' { i } else { i - 1 };
                if !(echo_mode && e != '0') {
                    while n < max && j < chars.len() && chars[j].is_digit(8) {
                        v = v * 8 + chars[j].to_digit(8).unwrap_or(0);
                        j += 1;
                        n += 1;
                    }
                    i = j;
                    out.push((v & 0xff) as u8);
                } else {
                    out.push(b'\\');
                    out.extend_from_slice(e.encode_utf8(&mut buf).as_bytes());
                }
            }
            'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < chars.len() && chars[i].is_ascii_hexdigit() {
                    v = v * 16 + chars[i].to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            other => {
                out.push(b'\\');
                out.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    (out, false)
}

/// bash's `%q`: a form of the string that the shell would read back as the same word.
pub fn shell_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".to_string();
    }
    if s.chars().any(|c| c.is_control()) {
        let mut r = String::from("$'");
        for c in s.chars() {
            match c {
                '\n' => r.push_str("\\n"),
                '\t' => r.push_str("\\t"),
                '\r' => r.push_str("\\r"),
                '\'' => r.push_str("\\'"),
                '\\' => r.push_str("\\\\"),
                c if c.is_control() => r.push_str(&format!("\\{:03o}", c as u32)),
                c => r.push(c),
            }
        }
        r.push('\'');
        return r;
    }
    let mut r = String::new();
    for (i, c) in s.chars().enumerate() {
        if " \t!\"$&'()*,;<>?[\\]^`{|}".contains(c) || (i == 0 && (c == '~' || c == '#')) {
            r.push('\\');
        }
        r.push(c);
    }
    r
}

fn parse_int(s: &str, errors: &mut Vec<String>) -> i64 {
    let t = s.trim_start();
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return c.chars().next().map_or(0, |c| c as i64);
    }
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = if let Some(h) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()
    } else {
        digits.parse::<i64>().ok()
    };
    match v {
        Some(v) => {
            if neg {
                -v
            } else {
                v
            }
        }
        None => {
            errors.push(format!("{s}: invalid number"));
            // bash uses the leading digits it could read.
            let lead: String = digits.chars().take_while(char::is_ascii_digit).collect();
            let v = lead.parse::<i64>().unwrap_or(0);
            if neg { -v } else { v }
        }
    }
}

fn pad(s: String, width: Option<usize>, left: bool, zero: bool) -> String {
    let Some(w) = width else { return s };
    let len = s.chars().count();
    if len >= w {
        return s;
    }
    let fill = w - len;
    if left {
        format!("{s}{}", " ".repeat(fill))
    } else if zero {
        let (sign, rest) = if s.starts_with('-') || s.starts_with('+') { s.split_at(1) } else { ("", s.as_str()) };
        format!("{sign}{}{rest}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

/// Formats like printf; returns the bytes and the error messages (without the `printf: ` prefix).
pub fn format(fmt: &str, args: &[String]) -> (Vec<u8>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut next = 0usize;
    loop {
        let start_next = next;
        let mut i = 0;
        let mut lit = String::new();
        let flush = |lit: &mut String, out: &mut Vec<u8>| {
            out.extend(unescape(lit, false).0);
            lit.clear();
        };
        while i < chars.len() {
            let c = chars[i];
            if c != '%' {
                lit.push(c);
                if c == '\\' && i + 1 < chars.len() {
                    lit.push(chars[i + 1]);
                    i += 1;
                }
                i += 1;
                continue;
            }
            flush(&mut lit, &mut out);
            i += 1;
            if chars.get(i) == Some(&'%') {
                out.push(b'%');
                i += 1;
                continue;
            }
            let (mut left, mut zero, mut plus, mut space) = (false, false, false, false);
            while let Some(&f) = chars.get(i) {
                match f {
                    '-' => left = true,
                    '0' => zero = true,
                    '+' => plus = true,
                    ' ' => space = true,
                    '#' => {}
                    _ => break,
                }
                i += 1;
            }
            let mut width = None;
            if chars.get(i) == Some(&'*') {
                let w = args.get(next).map_or(0, |a| parse_int(a, &mut errors));
                next += 1;
                if w < 0 {
                    left = true;
                }
                width = Some(w.unsigned_abs() as usize);
                i += 1;
            } else {
                let mut w = String::new();
                while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
                    w.push(*d);
                    i += 1;
                }
                width = w.parse().ok().or(width);
            }
            let mut precision = None;
            if chars.get(i) == Some(&'.') {
                i += 1;
                let mut p = String::new();
                if chars.get(i) == Some(&'*') {
                    precision = Some(args.get(next).map_or(0, |a| parse_int(a, &mut errors)).max(0) as usize);
                    next += 1;
                    i += 1;
                } else {
                    while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
                        p.push(*d);
                        i += 1;
                    }
                    precision = Some(p.parse().unwrap_or(0));
                }
            }
            // Length modifiers are accepted and ignored.
            while matches!(chars.get(i), Some('l' | 'h' | 'L' | 'j' | 'z' | 't')) {
                i += 1;
            }
            let Some(&conv) = chars.get(i) else {
                errors.push("`%': missing format character".to_string());
                return (out, errors);
            };
            i += 1;
            let arg = args.get(next).cloned();
            if !matches!(conv, '%') {
                next += 1;
            }
            let arg_s = arg.clone().unwrap_or_default();
            let text = match conv {
                's' => {
                    let s = match precision {
                        Some(p) => arg_s.chars().take(p).collect(),
                        None => arg_s,
                    };
                    pad(s, width, left, false)
                }
                'b' => {
                    let (b, stop) = unescape(&arg_s, true);
                    let s = String::from_utf8_lossy(&b).into_owned();
                    out.extend(pad(s, width, left, false).into_bytes());
                    if stop {
                        return (out, errors);
                    }
                    continue;
                }
                'q' => pad(shell_quote(&arg_s), width, left, false),
                'c' => pad(arg_s.chars().next().map(String::from).unwrap_or_default(), width, left, false),
                'd' | 'i' | 'u' => {
                    let v = if arg.is_some() { parse_int(&arg_s, &mut errors) } else { 0 };
                    let mut s = v.abs().to_string();
                    if let Some(p) = precision {
                        while s.len() < p {
                            s.insert(0, '0');
                        }
                    }
                    let sign = if v < 0 {
                        "-"
                    } else if plus {
                        "+"
                    } else if space {
                        " "
                    } else {
                        ""
                    };
                    pad(format!("{sign}{s}"), width, left, zero && precision.is_none())
                }
                'x' | 'X' | 'o' => {
                    let v = if arg.is_some() { parse_int(&arg_s, &mut errors) } else { 0 };
                    let s = match conv {
                        'x' => format!("{v:x}"),
                        'X' => format!("{v:X}"),
                        _ => format!("{v:o}"),
                    };
                    pad(s, width, left, zero)
                }
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                    let v: f64 = if arg.is_some() {
                        arg_s.trim().parse().unwrap_or_else(|_| {
                            errors.push(format!("{arg_s}: invalid number"));
                            0.0
                        })
                    } else {
                        0.0
                    };
                    let p = precision.unwrap_or(6);
                    let s = match conv {
                        'f' | 'F' => format!("{v:.p$}"),
                        'e' | 'E' => {
                            let s = format!("{v:.p$e}");
                            // Rust prints `1e2`; C prints `1e+02`.
                            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                            let ev: i32 = e.parse().unwrap_or(0);
                            let s = format!("{m}e{}{:02}", if ev < 0 { '-' } else { '+' }, ev.abs());
                            if conv == 'E' { s.to_uppercase() } else { s }
                        }
                        _ => {
                            let s = format!("{v}");
                            if conv == 'G' { s.to_uppercase() } else { s }
                        }
                    };
                    pad(s, width, left, zero)
                }
                other => {
                    errors.push(format!("%{other}: invalid format character"));
                    return (out, errors);
                }
            };
            out.extend(text.into_bytes());
        }
        flush(&mut lit, &mut out);
        // The format is reused while arguments remain, if it consumed any.
        if next >= args.len() || next == start_next {
            break;
        }
    }
    (out, errors)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    // `printf -- FORMAT`: `--` ends the options, as in the bash builtin.
    let args = if args.first().is_some_and(|a| a == "--") { &args[1..] } else { args };
    let Some(fmt) = args.first() else {
        ctx.out.err("printf: missing operand\nTry 'printf --help' for more information.\n");
        return 1;
    };
    let (text, errors) = format(fmt, &args[1..]);
    // Errors reach the terminal before the buffered output.
    for e in &errors {
        ctx.out.err(format!("printf: {e}\n"));
    }
    ctx.out.out(text);
    i32::from(!errors.is_empty())
}
