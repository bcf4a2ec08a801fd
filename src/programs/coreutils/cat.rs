//! `cat [-n] [-b] [-s] [-E] [-T] [-A] [-v] [FILE]...`: prints files (or stdin when none is
//! given, or for `-`), optionally numbering lines and showing line ends and tabs.

use super::util;
use crate::host::FsError;
use crate::programs::Ctx;

#[derive(Default)]
struct Show {
    number: bool,
    nonblank: bool,
    squeeze: bool,
    ends: bool,
    tabs: bool,
    nonprinting: bool,
}

impl Show {
    fn any(&self) -> bool {
        self.number || self.nonblank || self.squeeze || self.ends || self.tabs || self.nonprinting
    }
}

/// Applies the display options; `line_no` and `blank_run` carry across files as in GNU cat.
fn render(data: &[u8], s: &Show, line_no: &mut usize, blank_run: &mut bool) -> Vec<u8> {
    let mut out = Vec::new();
    for line in data.split_inclusive(|b| *b == b'\n') {
        let (body, nl) = match line.strip_suffix(b"\n") {
            Some(b) => (b, true),
            None => (line, false),
        };
        let blank = body.is_empty() && nl;
        if s.squeeze && blank && *blank_run {
            continue;
        }
        *blank_run = blank;
        if (s.number && !s.nonblank) || (s.nonblank && !blank) {
            *line_no += 1;
            out.extend(format!("{:>6}\t", line_no).into_bytes());
        }
        for &b in body {
            match b {
                b'\t' if s.tabs => out.extend(b"^I"),
                b'\t' => out.push(b),
                0..=31 if s.nonprinting => {
                    out.push(b'^');
                    out.push(b + 64);
                }
                127 if s.nonprinting => out.extend(b"^?"),
                128..=255 if s.nonprinting => {
                    out.extend(b"M-");
                    let c = b - 128;
                    if c < 32 {
                        out.push(b'^');
                        out.push(c + 64);
                    } else if c == 127 {
                        out.extend(b"^?");
                    } else {
                        out.push(c);
                    }
                }
                _ => out.push(b),
            }
        }
        if nl {
            if s.ends {
                out.push(b'$');
            }
            out.push(b'\n');
        }
    }
    out
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let p = match util::parse(
        args,
        "nbsETAvetu",
        "",
        &[
            ("number", false),
            ("number-nonblank", false),
            ("squeeze-blank", false),
            ("show-ends", false),
            ("show-tabs", false),
            ("show-all", false),
            ("show-nonprinting", false),
        ],
        false,
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(e.message("cat"));
            return 1;
        }
    };
    let all = p.has(&["A", "show-all"]);
    let show = Show {
        number: p.has(&["n", "number"]),
        nonblank: p.has(&["b", "number-nonblank"]),
        squeeze: p.has(&["s", "squeeze-blank"]),
        ends: all || p.has(&["E", "e", "show-ends"]),
        tabs: all || p.has(&["T", "t", "show-tabs"]),
        nonprinting: all || p.has(&["v", "e", "t", "show-nonprinting"]),
    };
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut status = 0;
    let (mut line_no, mut blank_run) = (0, false);
    for f in &files {
        match util::read_input(ctx, f) {
            Ok(data) => {
                let data = if show.any() { render(&data, &show, &mut line_no, &mut blank_run) } else { data };
                ctx.out.out(data);
            }
            Err(e @ (FsError::NotFound | FsError::IsADirectory | FsError::NotADirectory | FsError::Exists | FsError::NotEmpty)) => {
                ctx.out.err(format!("cat: {f}: {e}\n"));
                status = 1;
            }
        }
    }
    status
}
