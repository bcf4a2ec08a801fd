//! `date [-u] [+FORMAT]`: the simulated clock in UTC, in GNU's default format
//! (`Thu Jan 15 09:00:00 UTC 2026`) or a strftime-like FORMAT.

use crate::programs::Ctx;
use crate::world::clock;

const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// Formats Unix seconds with a GNU date format.
pub fn strftime(fmt: &str, secs: i64) -> String {
    let (y, mo, d, h, mi, s) = clock::civil(secs);
    let days = secs.div_euclid(86_400);
    let wday = (days + 4).rem_euclid(7) as usize;
    let jan1 = clock::parse_rfc3339(&format!("{y:04}-01-01T00:00:00Z")).unwrap_or(secs);
    let yday = (secs - jan1).div_euclid(86_400) + 1;
    let mut out = String::new();
    let mut it = fmt.chars().peekable();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Flags `-` (no padding) and `_` (space padding).
        let mut flag = None;
        if let Some(&f) = it.peek()
            && (f == '-' || f == '_' || f == '0')
        {
            flag = Some(f);
            it.next();
        }
        let Some(conv) = it.next() else {
            out.push('%');
            break;
        };
        let num = |v: i64, w: usize| match flag {
            Some('-') => v.to_string(),
            Some('_') => format!("{v:>w$}"),
            _ => format!("{v:0w$}"),
        };
        let text = match conv {
            'Y' => y.to_string(),
            'C' => num(y / 100, 2),
            'y' => num(y % 100, 2),
            'm' => num(mo, 2),
            'd' => num(d, 2),
            'e' => match flag {
                Some('-') => d.to_string(),
                Some('0') => format!("{d:02}"),
                _ => format!("{d:>2}"),
            },
            'H' => num(h, 2),
            'k' => format!("{h:>2}"),
            'I' => num(if h % 12 == 0 { 12 } else { h % 12 }, 2),
            'l' => format!("{:>2}", if h % 12 == 0 { 12 } else { h % 12 }),
            'M' => num(mi, 2),
            'S' => num(s, 2),
            'N' => "000000000".to_string(),
            's' => secs.to_string(),
            'p' => if h < 12 { "AM" } else { "PM" }.to_string(),
            'P' => if h < 12 { "am" } else { "pm" }.to_string(),
            'a' => DAYS[wday][..3].to_string(),
            'A' => DAYS[wday].to_string(),
            'b' | 'h' => MONTHS[(mo - 1) as usize][..3].to_string(),
            'B' => MONTHS[(mo - 1) as usize].to_string(),
            'j' => num(yday, 3),
            'u' => (if wday == 0 { 7 } else { wday }).to_string(),
            'w' => wday.to_string(),
            'Z' => "UTC".to_string(),
            'z' => "+0000".to_string(),
            'F' => format!("{y:04}-{mo:02}-{d:02}"),
            'T' => format!("{h:02}:{mi:02}:{s:02}"),
            'R' => format!("{h:02}:{mi:02}"),
            'D' => format!("{mo:02}/{d:02}/{:02}", y % 100),
            'c' => strftime("%a %b %e %H:%M:%S %Y", secs),
            'x' => format!("{mo:02}/{d:02}/{:02}", y % 100),
            'X' => format!("{h:02}:{mi:02}:{s:02}"),
            'n' => "\n".to_string(),
            't' => "\t".to_string(),
            '%' => "%".to_string(),
            other => format!("%{other}"),
        };
        out.push_str(&text);
    }
    out
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let now = ctx.world.clock.now;
    let mut format = "%a %b %e %H:%M:%S %Z %Y".to_string();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        match a.as_str() {
            "-u" | "--utc" | "--universal" => {}
            "-R" | "--rfc-email" => format = "%a, %d %b %Y %H:%M:%S %z".to_string(),
            "-I" | "--iso-8601" | "-Idate" | "--iso-8601=date" => format = "%Y-%m-%d".to_string(),
            "-Iseconds" | "--iso-8601=seconds" => format = "%Y-%m-%dT%H:%M:%S+00:00".to_string(),
            s if s.starts_with('+') => format = s[1..].to_string(),
            s if s.starts_with('-') => {
                ctx.out.err(format!(
                    "date: invalid option -- '{}'\nTry 'date --help' for more information.\n",
                    s.chars().nth(1).unwrap_or('-')
                ));
                return 1;
            }
            s => {
                ctx.out.err(format!("date: invalid date ‘{s}’\n"));
                return 1;
            }
        }
    }
    ctx.out.out(format!("{}\n", strftime(&format, now)));
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_format_matches_gnu() {
        assert_eq!(strftime("%a %b %e %H:%M:%S %Z %Y", clock::EPOCH), "Thu Jan 15 09:00:00 UTC 2026");
        assert_eq!(strftime("%F %T %j %s", clock::EPOCH), "2026-01-15 09:00:00 015 1768467600");
        assert_eq!(strftime("%-d/%-m", clock::EPOCH), "15/1");
    }
}
