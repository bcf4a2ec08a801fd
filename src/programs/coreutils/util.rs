//! Helpers the tools share: GNU-style option parsing (clustered short flags, `--long[=value]`,
//! `--`), reading operands or stdin, and the error texts GNU tools print.

use crate::host::FsError;
use crate::programs::Ctx;

/// One parsed option: its name (`"n"` for `-n`, `"lines"` for `--lines`) and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub name: String,
    pub value: Option<String>,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub opts: Vec<Opt>,
    pub operands: Vec<String>,
}

impl Parsed {
    pub fn has(&self, names: &[&str]) -> bool {
        self.opts.iter().any(|o| names.contains(&o.name.as_str()))
    }

    /// The last value given for any of the names.
    pub fn value(&self, names: &[&str]) -> Option<&str> {
        self.opts.iter().rev().find(|o| names.contains(&o.name.as_str())).and_then(|o| o.value.as_deref())
    }

    pub fn values(&self, names: &[&str]) -> Vec<String> {
        self.opts.iter().filter(|o| names.contains(&o.name.as_str())).filter_map(|o| o.value.clone()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptError {
    /// `invalid option -- 'z'`
    Invalid(char),
    /// `unrecognized option '--zz'`
    Unrecognized(String),
    /// `option requires an argument -- 'n'`
    Missing(String),
}

impl OptError {
    /// The message in GNU getopt's words, followed by the `--help` hint.
    pub fn message(&self, tool: &str) -> String {
        let first = match self {
            OptError::Invalid(c) => format!("{tool}: invalid option -- '{c}'"),
            OptError::Unrecognized(s) => format!("{tool}: unrecognized option '{s}'"),
            OptError::Missing(n) if n.len() == 1 => format!("{tool}: option requires an argument -- '{n}'"),
            OptError::Missing(n) => format!("{tool}: option '--{n}' requires an argument"),
        };
        format!("{first}\nTry '{tool} --help' for more information.\n")
    }
}

/// Parses GNU-style options. `short_flags` are single letters without values, `short_values`
/// take a value; `long` lists `(name, takes_value)`. Options may follow operands (GNU permutes).
/// `numeric` lets `-5` mean `-n 5` (head, tail).
pub fn parse(args: &[String], short_flags: &str, short_values: &str, long: &[(&str, bool)], numeric: bool) -> Result<Parsed, OptError> {
    let mut p = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            p.operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(rest) = a.strip_prefix("--") {
            let (name, inline) = match rest.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (rest, None),
            };
            // Unambiguous prefixes are accepted, as getopt_long does.
            let exact = long.iter().find(|(n, _)| *n == name);
            let cands: Vec<&(&str, bool)> = long.iter().filter(|(n, _)| n.starts_with(name)).collect();
            let Some((lname, takes)) = exact.or(if cands.len() == 1 { Some(cands[0]) } else { None }) else {
                return Err(OptError::Unrecognized(a.clone()));
            };
            let value = if *takes {
                match inline {
                    Some(v) => Some(v),
                    None => {
                        let Some(v) = args.get(i) else { return Err(OptError::Missing((*lname).to_string())) };
                        i += 1;
                        Some(v.clone())
                    }
                }
            } else {
                None
            };
            p.opts.push(Opt { name: (*lname).to_string(), value });
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            if numeric && chars.iter().all(char::is_ascii_digit) {
                p.opts.push(Opt { name: "n".into(), value: Some(a[1..].to_string()) });
                continue;
            }
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                if short_values.contains(c) {
                    let rest: String = chars[j..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest
                    } else {
                        let Some(v) = args.get(i) else { return Err(OptError::Missing(c.to_string())) };
                        i += 1;
                        v.clone()
                    };
                    p.opts.push(Opt { name: c.to_string(), value: Some(value) });
                    break;
                } else if short_flags.contains(c) {
                    p.opts.push(Opt { name: c.to_string(), value: None });
                } else {
                    return Err(OptError::Invalid(c));
                }
            }
            continue;
        }
        p.operands.push(a.clone());
    }
    Ok(p)
}

/// Reads an operand (`-` is stdin).
pub fn read_input(ctx: &mut Ctx<'_>, name: &str) -> Result<Vec<u8>, FsError> {
    if name == "-" {
        return Ok(ctx.stdin.to_vec());
    }
    let path = ctx.resolve(name);
    if path == "/dev/null" {
        return Ok(Vec::new());
    }
    ctx.fs().read(&path).map(<[u8]>::to_vec)
}

/// Splits text into lines without their newlines (a missing final newline still ends a line).
pub fn lines(data: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(data);
    let mut v: Vec<String> = text.split('\n').map(str::to_string).collect();
    if v.last().is_some_and(String::is_empty) {
        v.pop();
    }
    v
}

/// Writes `data` to a file the tool names on its command line, creating or truncating it.
pub fn write_file(ctx: &mut Ctx<'_>, name: &str, data: &[u8], append: bool) -> Result<(), FsError> {
    let path = ctx.resolve(name);
    if path == "/dev/null" {
        return Ok(());
    }
    if append { ctx.fs().append(&path, data) } else { ctx.fs().write(&path, data.to_vec()) }
}

/// The operands of `cp`/`mv`: sources and the destination, checked as GNU checks them.
pub struct CopyTarget {
    pub srcs: Vec<String>,
    pub dest: String,
    /// The destination resolved against the working directory.
    pub dest_path: String,
    pub dest_is_dir: bool,
}

/// Splits `SOURCE... DEST`, printing GNU's messages for missing operands and for several sources
/// into something that is not a directory.
pub fn copy_target(ctx: &mut Ctx<'_>, tool: &str, ops: &[String]) -> Option<CopyTarget> {
    match ops {
        [] => {
            ctx.out.err(format!("{tool}: missing file operand\nTry '{tool} --help' for more information.\n"));
            return None;
        }
        [one] => {
            ctx.out.err(format!("{tool}: missing destination file operand after '{one}'\nTry '{tool} --help' for more information.\n"));
            return None;
        }
        _ => {}
    }
    let (srcs, dest) = ops.split_at(ops.len() - 1);
    let dest = dest[0].clone();
    let dest_path = ctx.resolve(&dest);
    let dest_is_dir = ctx.fs().is_dir(&dest_path);
    if srcs.len() > 1 && !dest_is_dir {
        let reason = if ctx.fs().exists(&dest_path) { "Not a directory" } else { "No such file or directory" };
        ctx.out.err(format!("{tool}: target '{dest}': {reason}\n"));
        return None;
    }
    Some(CopyTarget { srcs: srcs.to_vec(), dest, dest_path, dest_is_dir })
}
