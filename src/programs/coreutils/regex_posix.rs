//! POSIX basic and extended regular expressions (as grep and sed read them) translated to the
//! `regex` crate's syntax: BRE's `\( \) \{ \} \| \+ \?`, literal `* { + ?` where POSIX says so,
//! bracket expressions with literal backslashes, and `\< \>` word boundaries.

use regex::{Regex, RegexBuilder};

pub fn translate(pat: &str, extended: bool) -> String {
    let c: Vec<char> = pat.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // Whether a `*` here would have nothing to repeat (then it is literal).
    let mut at_start = true;
    while i < c.len() {
        let ch = c[i];
        match ch {
            '\\' if i + 1 < c.len() => {
                let n = c[i + 1];
                i += 2;
                let mapped: String = match (n, extended) {
                    ('(' | ')' | '{' | '}' | '|' | '+' | '?', false) => n.to_string(),
                    ('<' | '>', _) => "\\b".to_string(),
                    ('w' | 'W' | 's' | 'S' | 'b' | 'B', _) => format!("\\{n}"),
                    ('n', _) => "\\n".to_string(),
                    ('t', _) => "\\t".to_string(),
                    (d, _) if d.is_ascii_digit() => String::new(),
                    (other, _) => regex::escape(&other.to_string()),
                };
                at_start = !extended && (n == '(' || n == '|');
                out.push_str(&mapped);
                continue;
            }
            '\\' => {
                out.push_str("\\\\");
                i += 1;
                continue;
            }
            '[' => {
                let mut j = i + 1;
                let mut class = String::from("[");
                if c.get(j) == Some(&'^') {
                    class.push('^');
                    j += 1;
                }
                if c.get(j) == Some(&']') {
                    class.push_str("\\]");
                    j += 1;
                }
                let mut closed = false;
                while j < c.len() {
                    let d = c[j];
                    if d == ']' {
                        closed = true;
                        j += 1;
                        break;
                    }
                    if d == '[' && matches!(c.get(j + 1), Some(':' | '=' | '.')) {
                        let delim = c[j + 1];
                        let rest: String = c[j + 2..].iter().collect();
                        if let Some(end) = rest.find(&format!("{delim}]")) {
                            let name: String = rest[..end].to_string();
                            if delim == ':' {
                                class.push_str(&format!("[:{name}:]"));
                            } else {
                                class.push_str(&regex::escape(&name));
                            }
                            j += 2 + end + 2;
                            continue;
                        }
                    }
                    match d {
                        '\\' | '[' | '&' | '~' => {
                            class.push('\\');
                            class.push(d);
                        }
                        '-' if j + 1 < c.len() && c[j + 1] != ']' && class.len() > 1 => class.push('-'),
                        '-' => class.push_str("\\-"),
                        _ => class.push(d),
                    }
                    j += 1;
                }
                if closed {
                    class.push(']');
                    out.push_str(&class);
                    i = j;
                } else {
                    out.push_str("\\[");
                    i += 1;
                }
                at_start = false;
                continue;
            }
            '*' if at_start => out.push_str("\\*"),
            '(' | ')' | '|' | '+' | '?' if !extended => {
                out.push('\\');
                out.push(ch);
            }
            '{' if !extended || !c.get(i + 1).is_some_and(char::is_ascii_digit) => out.push_str("\\{"),
            '}' if !extended => out.push_str("\\}"),
            '^' if !extended && !at_start => out.push_str("\\^"),
            '$' if !extended && i + 1 < c.len() && !(c[i + 1] == '\\' && matches!(c.get(i + 2), Some(')' | '|'))) => out.push_str("\\$"),
            _ => out.push(ch),
        }
        at_start = (ch == '^' && at_start) || (extended && matches!(ch, '(' | '|'));
        i += 1;
    }
    out
}

/// Compiles a POSIX pattern, or returns the regex error text.
pub fn compile(pat: &str, extended: bool, icase: bool) -> Result<Regex, String> {
    RegexBuilder::new(&translate(pat, extended)).case_insensitive(icase).size_limit(1 << 22).build().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_and_extended_translate() {
        assert_eq!(translate(r"a\(b\)\{2\}c+", false), r"a(b){2}c\+");
        assert_eq!(translate("a(b){2}|c+", true), "a(b){2}|c+");
        assert_eq!(translate("*a", false), r"\*a");
        assert_eq!(translate(r"[a\]x", false), r"[a\\]x");
        assert_eq!(translate(r"\<ab\>", false), r"\bab\b");
        assert_eq!(translate("[[:digit:]]", true), "[[:digit:]]");
        assert!(compile("[", false, false).is_ok());
    }
}
