//! `base64 [-d] [-w COLS] [-i] [FILE]`: RFC 4648 encoding, wrapped at 76 columns by default.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::util;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(args, "di", "w", &[("decode", false), ("ignore-garbage", false), ("wrap", true)], false) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("base64"));
            return 1;
        }
    };
    if p.operands.len() > 1 {
        ctx.out.err(format!("base64: extra operand ‘{}’\nTry 'base64 --help' for more information.\n", p.operands[1]));
        return 1;
    }
    let file = p.operands.first().cloned().unwrap_or_else(|| "-".to_string());
    let data = match util::read_input(ctx, &file) {
        Ok(d) => d,
        Err(e) => {
            ctx.out.err(format!("base64: {file}: {e}\n"));
            return 1;
        }
    };
    if p.has(&["d", "decode"]) {
        let ignore = p.has(&["i", "ignore-garbage"]);
        let clean: Vec<u8> = data
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .filter(|b| !ignore || b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
            .collect();
        // Decode as far as the input is valid, as GNU does, then complain.
        let mut good = clean.len() / 4 * 4;
        loop {
            match STANDARD.decode(&clean[..good]) {
                Ok(bytes) if good == clean.len() => {
                    ctx.out.out(bytes);
                    return 0;
                }
                Ok(mut bytes) => {
                    // A final group without its padding still decodes before the complaint.
                    let tail = &clean[good..];
                    if good + 4 > clean.len() && (2..=3).contains(&tail.len()) {
                        let mut padded = tail.to_vec();
                        padded.resize(4, b'=');
                        if let Ok(more) = STANDARD.decode(&padded) {
                            bytes.extend(more);
                        }
                    }
                    ctx.out.out(bytes);
                    ctx.out.err("base64: invalid input\n");
                    return 1;
                }
                Err(_) if good >= 4 => good -= 4,
                Err(_) => {
                    ctx.out.err("base64: invalid input\n");
                    return 1;
                }
            }
        }
    }
    let wrap = match p.value(&["w", "wrap"]) {
        Some(w) => match w.parse::<usize>() {
            Ok(n) => n,
            Err(_) => {
                ctx.out.err(format!("base64: invalid wrap size: ‘{w}’\n"));
                return 1;
            }
        },
        None => 76,
    };
    let enc = STANDARD.encode(&data);
    let mut out = String::new();
    if wrap == 0 {
        out.push_str(&enc);
    } else {
        for (i, ch) in enc.chars().enumerate() {
            if i > 0 && i % wrap == 0 {
                out.push('\n');
            }
            out.push(ch);
        }
    }
    // `-w0` output has no final newline.
    if wrap != 0 && !enc.is_empty() {
        out.push('\n');
    }
    ctx.out.out(out);
    0
}
