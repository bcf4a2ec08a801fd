//! Integer arithmetic for `$((…))`, `((…))`, `let` and `for ((…))`: C operators on 64-bit
//! integers including assignments (`=`, `+=` …), `++`/`--`, `?:` and `,`. Variables are read and
//! written through [`Vars`] (unset or non-numeric ones count as 0, as in bash); `&&`, `||` and
//! `?:` skip the side effects of the branch they do not take.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArithError {
    #[error("syntax error: operand expected (error token is \"{0}\")")]
    Operand(String),
    #[error("division by 0 (error token is \"{0}\")")]
    DivZero(String),
    #[error("syntax error in expression (error token is \"{0}\")")]
    Syntax(String),
    #[error("attempted assignment to non-variable (error token is \"{0}\")")]
    NotVariable(String),
    #[error("expression recursion level exceeded (error token is \"{0}\")")]
    Recursion(String),
}

/// Where arithmetic reads and writes variables. `name` may carry an array subscript (`a[3]`),
/// already evaluated to a number for indexed arrays.
pub trait Vars {
    fn get(&mut self, name: &str) -> Option<String>;
    fn set(&mut self, name: &str, value: i64);
}

/// Read-only variables from a closure (assignments are ignored).
pub struct ReadOnly<'a>(pub &'a mut dyn FnMut(&str) -> Option<String>);

impl Vars for ReadOnly<'_> {
    fn get(&mut self, name: &str) -> Option<String> {
        (self.0)(name)
    }
    fn set(&mut self, _: &str, _: i64) {}
}

#[derive(Debug, Clone, PartialEq)]
enum T {
    Num(i64),
    /// A variable name and, for `a[expr]`, the subscript source.
    Name(String, Option<String>),
    Op(&'static str),
}

// Longest first, so `<<=` is not read as `<<` then `=`.
const OPS: &[&str] = &[
    "<<=", ">>=", "**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "+",
    "-", "*", "/", "%", "(", ")", "<", ">", "!", "~", "&", "|", "^", "=", "?", ":", ",",
];

fn lex(s: &str) -> Result<Vec<T>, ArithError> {
    lex_at(s).map(|(t, _)| t)
}

/// The tokens and where each starts (a char index), for bash's "error token is" text.
fn lex_at(s: &str) -> Result<(Vec<T>, Vec<usize>), ArithError> {
    let mut out = Vec::new();
    let mut starts = Vec::new();
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !c.is_whitespace() {
            starts.push(i);
        }
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let st = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == '#' || b[i] == '_') {
                i += 1;
            }
            let t: String = b[st..i].iter().collect();
            out.push(T::Num(number(&t).ok_or_else(|| ArithError::Syntax(format!("{t}{}", b[i..].iter().collect::<String>())))?));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let st = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            let name: String = b[st..i].iter().collect();
            let mut sub = None;
            if b.get(i) == Some(&'[') {
                let mut depth = 0;
                let mut j = i;
                while j < b.len() {
                    match b[j] {
                        '[' => depth += 1,
                        ']' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if j >= b.len() {
                    return Err(ArithError::Syntax(b[i..].iter().collect()));
                }
                sub = Some(b[i + 1..j].iter().collect());
                i = j + 1;
            }
            out.push(T::Name(name, sub));
        } else {
            let rest: String = b[i..b.len().min(i + 3)].iter().collect();
            let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
                return Err(ArithError::Syntax(b[i..].iter().collect()));
            };
            out.push(T::Op(op));
            i += op.chars().count();
        }
    }
    Ok((out, starts))
}

/// `12`, `0x1f`, `017` (octal), `2#101` (base#digits).
fn number(t: &str) -> Option<i64> {
    if let Some((base, digits)) = t.split_once('#') {
        let base: u32 = base.parse().ok().filter(|b| (2..=36).contains(b))?;
        return i64::from_str_radix(digits, base).ok();
    }
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()
    } else if t.len() > 1 && t.starts_with('0') {
        i64::from_str_radix(&t[1..], 8).ok()
    } else {
        t.parse().ok()
    }
}

struct P<'a> {
    t: Vec<T>,
    i: usize,
    vars: &'a mut dyn Vars,
    /// Inside a branch that is not taken: evaluate for syntax only, change nothing.
    skip: u32,
    depth: usize,
}

fn prec(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | ">" | "<=" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        "**" => 11,
        _ => return None,
    })
}

const MAX_DEPTH: usize = 200;

impl P<'_> {
    fn rest(&self) -> String {
        let t: Vec<String> = self.t[self.i.min(self.t.len())..]
            .iter()
            .map(|t| match t {
                T::Num(n) => n.to_string(),
                T::Name(n, None) => n.clone(),
                T::Name(n, Some(s)) => format!("{n}[{s}]"),
                T::Op(o) => (*o).to_string(),
            })
            .collect();
        t.join(" ")
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.t.get(self.i) {
            Some(T::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn enter(&mut self) -> Result<(), ArithError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err(ArithError::Recursion(self.rest())) } else { Ok(()) }
    }

    /// The variable a name token stands for (`a[expr]` with its subscript evaluated).
    fn lvalue(&mut self, name: &str, sub: &Option<String>) -> Result<String, ArithError> {
        match sub {
            None => Ok(name.to_string()),
            Some(s) => {
                let t = lex(s)?;
                let saved = (std::mem::replace(&mut self.t, t), std::mem::replace(&mut self.i, 0));
                let r = if self.t.is_empty() { Ok(0) } else { self.comma() };
                let (t, i) = saved;
                self.t = t;
                self.i = i;
                Ok(format!("{name}[{}]", r?))
            }
        }
    }

    fn read(&mut self, var: &str) -> Result<i64, ArithError> {
        let v = self.vars.get(var).unwrap_or_default();
        let v = v.trim();
        if v.is_empty() {
            return Ok(0);
        }
        if let Some(n) = number(v) {
            return Ok(n);
        }
        // A variable holding an expression (or another name) is evaluated in turn, as bash does.
        if self.skip > 0 {
            return Ok(0);
        }
        self.enter()?;
        let t = lex(v)?;
        let saved = (std::mem::replace(&mut self.t, t), std::mem::replace(&mut self.i, 0));
        let r = self.comma();
        let done = self.i >= self.t.len();
        let (t, i) = saved;
        self.t = t;
        self.i = i;
        self.depth -= 1;
        let r = r?;
        if !done {
            return Err(ArithError::Syntax(v.to_string()));
        }
        Ok(r)
    }

    fn write(&mut self, var: &str, v: i64) {
        if self.skip == 0 {
            self.vars.set(var, v);
        }
    }

    fn comma(&mut self) -> Result<i64, ArithError> {
        let mut v = self.assign()?;
        while self.peek_op() == Some(",") {
            self.i += 1;
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> Result<i64, ArithError> {
        self.enter()?;
        let r = self.assign_inner();
        self.depth -= 1;
        r
    }

    fn assign_inner(&mut self) -> Result<i64, ArithError> {
        if let Some(T::Name(name, sub)) = self.t.get(self.i).cloned()
            && let Some(T::Op(op)) = self.t.get(self.i + 1).cloned()
            && matches!(op, "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "|=" | "^=")
        {
            self.i += 2;
            let var = self.lvalue(&name, &sub)?;
            let rhs = self.assign()?;
            let v = if op == "=" {
                rhs
            } else {
                let cur = self.read(&var)?;
                apply(&op[..op.len() - 1], cur, rhs)?
            };
            self.write(&var, v);
            return Ok(v);
        }
        let start = self.i;
        let v = self.ternary()?;
        if let Some(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=")) = self.peek_op() {
            let _ = start;
            return Err(ArithError::NotVariable(format!("{op} {}", self.rest_after())));
        }
        Ok(v)
    }

    fn rest_after(&self) -> String {
        let mut p = P { t: self.t.clone(), i: self.i + 1, vars: &mut Nothing, skip: 0, depth: 0 };
        p.i = p.i.min(p.t.len());
        p.rest()
    }

    fn ternary(&mut self) -> Result<i64, ArithError> {
        let c = self.binary(0)?;
        if self.peek_op() != Some("?") {
            return Ok(c);
        }
        self.i += 1;
        if c == 0 {
            self.skip += 1;
        }
        let a = self.comma();
        if c == 0 {
            self.skip -= 1;
        }
        let a = a?;
        if self.peek_op() != Some(":") {
            return Err(ArithError::Syntax(self.rest()));
        }
        self.i += 1;
        if c != 0 {
            self.skip += 1;
        }
        let b = self.ternary();
        if c != 0 {
            self.skip -= 1;
        }
        let b = b?;
        Ok(if c != 0 { a } else { b })
    }

    fn binary(&mut self, min: u8) -> Result<i64, ArithError> {
        self.enter()?;
        let r = self.binary_inner(min);
        self.depth -= 1;
        r
    }

    fn binary_inner(&mut self, min: u8) -> Result<i64, ArithError> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.peek_op() {
            let Some(p) = prec(op) else { break };
            if p < min {
                break;
            }
            self.i += 1;
            let next = if op == "**" { p } else { p + 1 };
            // `a && b`, `a || b`: the right side runs only when it decides the result.
            let short = (op == "&&" && lhs == 0) || (op == "||" && lhs != 0);
            if short {
                self.skip += 1;
            }
            let rhs = self.binary(next);
            if short {
                self.skip -= 1;
            }
            let rhs = rhs?;
            lhs = if self.skip > 0 && matches!(op, "/" | "%") && rhs == 0 { 0 } else { apply(op, lhs, rhs)? };
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, ArithError> {
        self.enter()?;
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<i64, ArithError> {
        match self.t.get(self.i).cloned() {
            Some(T::Num(n)) => {
                self.i += 1;
                Ok(n)
            }
            Some(T::Name(n, sub)) => {
                self.i += 1;
                let var = self.lvalue(&n, &sub)?;
                let v = self.read(&var)?;
                match self.peek_op() {
                    Some(op @ ("++" | "--")) => {
                        self.i += 1;
                        self.write(&var, if op == "++" { v.wrapping_add(1) } else { v.wrapping_sub(1) });
                        Ok(v)
                    }
                    _ => Ok(v),
                }
            }
            Some(T::Op(op @ ("++" | "--"))) => {
                self.i += 1;
                let Some(T::Name(n, sub)) = self.t.get(self.i).cloned() else {
                    // `--5` is two minus signs and `++5` two plus signs: both leave the value.
                    return self.unary();
                };
                self.i += 1;
                let var = self.lvalue(&n, &sub)?;
                let v = self.read(&var)?;
                let nv = if op == "++" { v.wrapping_add(1) } else { v.wrapping_sub(1) };
                self.write(&var, nv);
                Ok(nv)
            }
            Some(T::Op("-")) => {
                self.i += 1;
                Ok(self.unary()?.wrapping_neg())
            }
            Some(T::Op("+")) => {
                self.i += 1;
                self.unary()
            }
            Some(T::Op("!")) => {
                self.i += 1;
                Ok(i64::from(self.unary()? == 0))
            }
            Some(T::Op("~")) => {
                self.i += 1;
                Ok(!self.unary()?)
            }
            Some(T::Op("(")) => {
                self.i += 1;
                let v = self.comma()?;
                if self.peek_op() != Some(")") {
                    return Err(ArithError::Syntax(self.rest()));
                }
                self.i += 1;
                Ok(v)
            }
            _ => Err(ArithError::Operand(self.rest())),
        }
    }
}

struct Nothing;

impl Vars for Nothing {
    fn get(&mut self, _: &str) -> Option<String> {
        None
    }
    fn set(&mut self, _: &str, _: i64) {}
}

fn apply(op: &str, lhs: i64, rhs: i64) -> Result<i64, ArithError> {
    Ok(match op {
        "+" => lhs.wrapping_add(rhs),
        "-" => lhs.wrapping_sub(rhs),
        "*" => lhs.wrapping_mul(rhs),
        "/" | "%" if rhs == 0 => return Err(ArithError::DivZero(rhs.to_string())),
        "/" => lhs.wrapping_div(rhs),
        "%" => lhs.wrapping_rem(rhs),
        "**" if rhs < 0 => return Err(ArithError::Syntax("exponent less than 0".into())),
        "**" => lhs.wrapping_pow(u32::try_from(rhs).unwrap_or(u32::MAX)),
        "<<" => lhs.wrapping_shl(rhs as u32),
        ">>" => lhs.wrapping_shr(rhs as u32),
        "<" => i64::from(lhs < rhs),
        ">" => i64::from(lhs > rhs),
        "<=" => i64::from(lhs <= rhs),
        ">=" => i64::from(lhs >= rhs),
        "==" => i64::from(lhs == rhs),
        "!=" => i64::from(lhs != rhs),
        "&&" => i64::from(lhs != 0 && rhs != 0),
        "||" => i64::from(lhs != 0 || rhs != 0),
        "&" => lhs & rhs,
        "|" => lhs | rhs,
        _ => lhs ^ rhs,
    })
}

/// Evaluates an expression, reading and assigning variables through `vars`.
pub fn eval_with(src: &str, vars: &mut dyn Vars) -> Result<i64, ArithError> {
    let (t, starts) = lex_at(src)?;
    if t.is_empty() {
        return Ok(0);
    }
    let n = t.len();
    let mut p = P { t, i: 0, vars, skip: 0, depth: 0 };
    let r = p.comma();
    let at = p.i;
    // bash names the source from the last token it read: the failing one, or the one before
    // the end of the input.
    let chars: Vec<char> = src.chars().collect();
    let from = |k: usize| starts.get(k).map_or(String::new(), |&s| chars[s..].iter().collect());
    let token = if at < n { from(at) } else { from(n - 1) };
    match r {
        Ok(_) if at < n => Err(ArithError::Syntax(from(at))),
        Ok(v) => Ok(v),
        Err(ArithError::Operand(_)) => Err(ArithError::Operand(token)),
        Err(ArithError::Syntax(_)) if p.t.len() == n => Err(ArithError::Syntax(token)),
        Err(ArithError::DivZero(_)) => Err(ArithError::DivZero(from(at.saturating_sub(1)))),
        Err(e) => Err(e),
    }
}

/// Evaluates an expression that only reads variables.
pub fn eval(src: &str, var: &mut dyn FnMut(&str) -> Option<String>) -> Result<i64, ArithError> {
    eval_with(src, &mut ReadOnly(var))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn precedence_and_variables() {
        let mut vars = |n: &str| (n == "x").then(|| "4".to_string());
        assert_eq!(eval("1 + 2 * 3", &mut vars), Ok(7));
        assert_eq!(eval("(1 + 2) * x", &mut vars), Ok(12));
        assert_eq!(eval("2 ** 3 ** 2", &mut vars), Ok(512));
        assert_eq!(eval("x > 3 && y == 0", &mut vars), Ok(1));
        assert_eq!(eval("7 % 3 - -1", &mut vars), Ok(2));
        assert_eq!(eval("x > 3 ? 10 : 20", &mut vars), Ok(10));
        assert_eq!(eval("2#101 + 0x10 + 010", &mut vars), Ok(29));
        assert!(matches!(eval("1 / 0", &mut vars), Err(ArithError::DivZero(_))));
        assert!(eval("1 +", &mut vars).is_err());
    }

    struct Map(BTreeMap<String, String>);
    impl Vars for Map {
        fn get(&mut self, n: &str) -> Option<String> {
            self.0.get(n).cloned()
        }
        fn set(&mut self, n: &str, v: i64) {
            self.0.insert(n.to_string(), v.to_string());
        }
    }

    #[test]
    fn assignments_and_increments() {
        let mut m = Map(BTreeMap::new());
        assert_eq!(eval_with("i++", &mut m), Ok(0));
        assert_eq!(eval_with("++i", &mut m), Ok(2));
        assert_eq!(eval_with("i += 5, i *= 2", &mut m), Ok(14));
        assert_eq!(eval_with("a[i-13] = 7", &mut m), Ok(7));
        assert_eq!(m.0.get("a[1]").map(String::as_str), Some("7"));
        // The branch not taken has no side effects.
        assert_eq!(eval_with("0 && (j = 1)", &mut m), Ok(0));
        assert_eq!(eval_with("1 ? k = 2 : (k = 3)", &mut m), Ok(2));
        assert!(!m.0.contains_key("j"));
        assert_eq!(m.0.get("k").map(String::as_str), Some("2"));
        assert!(matches!(eval_with("3 = 4", &mut m), Err(ArithError::NotVariable(_))));
        m.0.insert("r".into(), "r".into());
        assert!(matches!(eval_with("r + 1", &mut m), Err(ArithError::Recursion(_))));
    }
}
