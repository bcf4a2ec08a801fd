//! Command-line flags parsed the way kubectl's cobra/pflag does, with pflag's error messages.
//!
//! Each verb declares its flags as a table of [`FlagDef`]; the global (persistent) flags are added
//! to every verb's table. Parsing is interspersed: flags and positional arguments may be mixed, and
//! `--` ends the flags.

use std::collections::BTreeMap;

use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    Bool,
    String,
    Int,
    Float,
    /// A Go duration (`30s`, `1m`, `0`).
    Duration,
    /// Repeatable; each occurrence is one value (pflag's `StringArray`).
    StringArray,
    /// Repeatable; each occurrence is split on commas (pflag's `StringSlice`).
    StringSlice,
}

#[derive(Debug, Clone, Copy)]
pub struct FlagDef {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
    /// The value used when a non-bool flag is given without one (pflag's `NoOptDefVal`), such as
    /// `--dry-run` meaning `--dry-run=unchanged`.
    pub no_opt_default: Option<&'static str>,
}

impl FlagDef {
    pub const fn new(long: &'static str, short: Option<char>, kind: FlagKind) -> Self {
        FlagDef { long, short, kind, no_opt_default: None }
    }

    pub const fn bool(long: &'static str) -> Self {
        FlagDef::new(long, None, FlagKind::Bool)
    }

    pub const fn string(long: &'static str) -> Self {
        FlagDef::new(long, None, FlagKind::String)
    }

    pub const fn short(mut self, c: char) -> Self {
        self.short = Some(c);
        self
    }

    pub const fn no_opt(mut self, value: &'static str) -> Self {
        self.no_opt_default = Some(value);
        self
    }

    /// How pflag names the flag in "invalid argument" errors: `-r, --replicas` or `--port`.
    pub fn display(&self) -> String {
        match self.short {
            Some(c) => format!("-{c}, --{}", self.long),
            None => format!("--{}", self.long),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FlagError {
    #[error("unknown flag: --{0}")]
    UnknownFlag(String),
    #[error("unknown shorthand flag: '{0}' in {1}")]
    UnknownShorthand(char, String),
    #[error("flag needs an argument: --{0}")]
    NeedsArgument(String),
    #[error("flag needs an argument: '{0}' in -{1}")]
    NeedsShortArgument(char, String),
    #[error("invalid argument \"{value}\" for \"{flag}\" flag: {reason}")]
    InvalidArgument { value: String, flag: String, reason: String },
}

/// The result of parsing: flag values by long name, positional arguments, and where `--` was.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    values: BTreeMap<String, Vec<String>>,
    pub args: Vec<String>,
    /// How many positional arguments came before `--` (cobra's `ArgsLenAtDash`), if `--` was given.
    pub args_len_at_dash: Option<usize>,
    /// Global flags the verb defines a local flag of the same name for (`create rolebinding
    /// --user`): cobra lets the local flag shadow the persistent one, so the value is the verb's.
    shadowed: Vec<String>,
}

impl Parsed {
    /// Whether the flag was given on the command line (pflag's `Changed`).
    pub fn changed(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// The last value of a global (persistent) flag, unless the verb shadows it with a local flag
    /// of the same name.
    pub fn global(&self, long: &str) -> Option<&str> {
        if self.shadowed.iter().any(|s| s == long) {
            return None;
        }
        self.get(long)
    }

    /// Marks global flags as shadowed by the verb's own flags of the same names.
    pub fn shadow(&mut self, names: impl IntoIterator<Item = String>) {
        self.shadowed.extend(names);
    }

    /// The last value given, if any.
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values.get(long).and_then(|v| v.last()).map(String::as_str)
    }

    pub fn string(&self, long: &str, default: &str) -> String {
        self.get(long).unwrap_or(default).to_string()
    }

    /// Every value of a repeatable flag, in order.
    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }

    pub fn bool(&self, long: &str) -> bool {
        self.get(long).is_some_and(|v| parse_bool(v) == Some(true))
    }

    pub fn int(&self, long: &str, default: i64) -> i64 {
        self.get(long).and_then(parse_int).unwrap_or(default)
    }

    /// Positional arguments after `--`.
    pub fn dash_args(&self) -> &[String] {
        self.args_len_at_dash.map_or(&[], |n| &self.args[n..])
    }

    /// Sets a value as if it had been given (used to apply defaults that depend on other flags).
    pub fn set(&mut self, long: &str, value: &str) {
        self.values.insert(long.to_string(), vec![value.to_string()]);
    }
}

/// Parses `args` against `defs`. Values are checked for their kind (ints, bools, durations), with
/// pflag's messages.
pub fn parse(defs: &[FlagDef], args: &[String]) -> Result<Parsed, FlagError> {
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            parsed.args_len_at_dash = Some(parsed.args.len());
            parsed.args.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let def = defs.iter().find(|d| d.long == name).ok_or_else(|| FlagError::UnknownFlag(name.to_string()))?;
            let value = match inline {
                Some(v) => v,
                None if def.kind == FlagKind::Bool => "true".to_string(),
                None if def.no_opt_default.is_some() => def.no_opt_default.unwrap_or_default().to_string(),
                None if i < args.len() => {
                    i += 1;
                    args[i - 1].clone()
                }
                None => return Err(FlagError::NeedsArgument(name.to_string())),
            };
            store(&mut parsed, def, value)?;
        } else if arg.len() > 1 && arg.starts_with('-') {
            let shorts: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                let def = defs.iter().find(|d| d.short == Some(c)).ok_or_else(|| FlagError::UnknownShorthand(c, arg.clone()))?;
                let rest: String = shorts[j + 1..].iter().collect();
                let value = if let Some(v) = rest.strip_prefix('=') {
                    j = shorts.len();
                    v.to_string()
                } else if def.kind == FlagKind::Bool || def.no_opt_default.is_some() {
                    j += 1;
                    if def.kind == FlagKind::Bool { "true".to_string() } else { def.no_opt_default.unwrap_or_default().to_string() }
                } else if !rest.is_empty() {
                    j = shorts.len();
                    rest
                } else if i < args.len() {
                    j = shorts.len();
                    i += 1;
                    args[i - 1].clone()
                } else {
                    return Err(FlagError::NeedsShortArgument(c, shorts.iter().collect()));
                };
                store(&mut parsed, def, value)?;
            }
        } else {
            parsed.args.push(arg.clone());
        }
    }
    Ok(parsed)
}

fn store(parsed: &mut Parsed, def: &FlagDef, value: String) -> Result<(), FlagError> {
    let invalid = |reason: String| FlagError::InvalidArgument { value: value.clone(), flag: def.display(), reason };
    match def.kind {
        FlagKind::Bool if parse_bool(&value).is_none() => {
            return Err(invalid(format!("strconv.ParseBool: parsing \"{value}\": invalid syntax")));
        }
        FlagKind::Int => check_int(&value).map_err(invalid)?,
        FlagKind::Float if value.parse::<f64>().is_err() => {
            return Err(invalid(format!("strconv.ParseFloat: parsing \"{value}\": invalid syntax")));
        }
        FlagKind::Duration if parse_duration(&value).is_none() => return Err(invalid(format!("time: invalid duration \"{value}\""))),
        _ => {}
    }
    let slot = parsed.values.entry(def.long.to_string()).or_default();
    match def.kind {
        FlagKind::StringArray => slot.push(value),
        FlagKind::StringSlice => slot.extend(split_csv(&value)),
        _ => *slot = vec![value],
    }
    Ok(())
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: decimal, `0x` hex, `0o`/leading-0 octal, `0b` binary, `_`.
pub fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower.clone())
    };
    let digits = if radix == 10 { digits } else { digits.replace('_', "") };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let v = i64::from_str_radix(&digits, radix).ok()?;
    Some(if neg { -v } else { v })
}

fn check_int(s: &str) -> Result<(), String> {
    if parse_int(s).is_some() {
        return Ok(());
    }
    let digits = s.trim_start_matches(['-', '+']);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("strconv.ParseInt: parsing \"{s}\": value out of range"));
    }
    Err(format!("strconv.ParseInt: parsing \"{s}\": invalid syntax"))
}

/// Go's `time.ParseDuration`, in seconds (fractions kept).
pub fn parse_duration(s: &str) -> Option<f64> {
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let num: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += num * scale;
    }
    Some(if neg { -total } else { total })
}

/// pflag's StringSlice splits each occurrence as one CSV record.
fn split_csv(s: &str) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' if cur.is_empty() || quoted => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `create rolebinding --user=jane` was also taken as the kubeconfig user.
    #[test]
    fn a_shadowed_global_is_not_read_as_global() {
        let mut p = parse(&[FlagDef::string("user"), FlagDef::string("cluster")], &["--user=jane".into(), "--cluster=c".into()])
            .unwrap_or_default();
        p.shadow(["user".to_string()]);
        assert_eq!(p.get("user"), Some("jane"));
        assert_eq!(p.global("user"), None);
        assert_eq!(p.global("cluster"), Some("c"));
    }

    const DEFS: &[FlagDef] = &[
        FlagDef::string("image"),
        FlagDef::new("replicas", Some('r'), FlagKind::Int),
        FlagDef::string("namespace").short('n'),
        FlagDef::bool("stdin").short('i'),
        FlagDef::bool("tty").short('t'),
        FlagDef::string("dry-run").no_opt("unchanged"),
        FlagDef::new("env", None, FlagKind::StringArray),
        FlagDef::new("verb", None, FlagKind::StringSlice),
    ];

    fn p(args: &[&str]) -> Result<Parsed, FlagError> {
        parse(DEFS, &args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn interspersed_flags_and_dash() {
        let r = p(&["x", "--image", "nginx", "-it", "-nkube-system", "--", "sh", "-c", "ls"]).unwrap();
        assert_eq!(r.args, ["x", "sh", "-c", "ls"]);
        assert_eq!(r.dash_args(), ["sh", "-c", "ls"]);
        assert_eq!(r.get("image"), Some("nginx"));
        assert_eq!(r.get("namespace"), Some("kube-system"));
        assert!(r.bool("stdin") && r.bool("tty"));
    }

    #[test]
    fn values_of_each_kind() {
        let r = p(&["-r=3", "--dry-run", "--env=A=1", "--env", "B=2", "--verb=get,list", "--verb", "watch"]).unwrap();
        assert_eq!(r.int("replicas", 1), 3);
        assert_eq!(r.get("dry-run"), Some("unchanged"));
        assert_eq!(r.all("env"), ["A=1", "B=2"]);
        assert_eq!(r.all("verb"), ["get", "list", "watch"]);
    }

    #[test]
    fn pflag_error_messages() {
        assert_eq!(p(&["--foo"]).unwrap_err().to_string(), "unknown flag: --foo");
        assert_eq!(p(&["-z"]).unwrap_err().to_string(), "unknown shorthand flag: 'z' in -z");
        assert_eq!(p(&["--image"]).unwrap_err().to_string(), "flag needs an argument: --image");
        assert_eq!(p(&["-n"]).unwrap_err().to_string(), "flag needs an argument: 'n' in -n");
        assert_eq!(
            p(&["--replicas=abc"]).unwrap_err().to_string(),
            "invalid argument \"abc\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            p(&["--stdin=maybe"]).unwrap_err().to_string(),
            "invalid argument \"maybe\" for \"-i, --stdin\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"
        );
    }

    #[test]
    fn go_number_and_duration_syntax() {
        assert_eq!(parse_int("0x10"), Some(16));
        assert_eq!(parse_int("010"), Some(8));
        assert_eq!(parse_int("-5"), Some(-5));
        assert_eq!(parse_int("1.5"), None);
        assert_eq!(parse_duration("1m30s"), Some(90.0));
        assert_eq!(parse_duration("0"), Some(0.0));
        assert_eq!(parse_duration("10"), None);
    }
}
