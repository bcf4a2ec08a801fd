//! Integer arithmetic for `$((…))` and `((…))`: the usual C operators on 64-bit integers, with
//! variables read by name (unset or non-numeric ones count as 0, as in bash).

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArithError {
    #[error("syntax error: operand expected (error token is \"{0}\")")]
    Operand(String),
    #[error("division by 0 (error token is \"{0}\")")]
    DivZero(String),
    #[error("syntax error in expression (error token is \"{0}\")")]
    Syntax(String),
}

#[derive(Debug, Clone, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] =
    &["**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "+", "-", "*", "/", "%", "(", ")", "<", ">", "!", "~", "&", "|", "^"];

fn lex(s: &str) -> Result<Vec<T>, ArithError> {
    let mut out = Vec::new();
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let st = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let t: String = b[st..i].iter().collect();
            let v = if let Some(h) = t.strip_prefix("0x") {
                i64::from_str_radix(h, 16)
            } else if t.len() > 1 && t.starts_with('0') {
                i64::from_str_radix(&t[1..], 8)
            } else {
                t.parse()
            };
            out.push(T::Num(v.map_err(|_| ArithError::Syntax(t.clone()))?));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let st = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            out.push(T::Name(b[st..i].iter().collect()));
        } else {
            let rest: String = b[i..b.len().min(i + 2)].iter().collect();
            let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
                return Err(ArithError::Syntax(b[i..].iter().collect()));
            };
            out.push(T::Op(op));
            i += op.chars().count();
        }
    }
    Ok(out)
}

struct P<'a> {
    t: Vec<T>,
    i: usize,
    var: &'a mut dyn FnMut(&str) -> Option<String>,
    src: String,
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

impl P<'_> {
    fn rest(&self) -> String {
        let t: Vec<String> = self.t[self.i.min(self.t.len())..]
            .iter()
            .map(|t| match t {
                T::Num(n) => n.to_string(),
                T::Name(n) => n.clone(),
                T::Op(o) => (*o).to_string(),
            })
            .collect();
        t.join(" ")
    }

    fn unary(&mut self, depth: usize) -> Result<i64, ArithError> {
        if depth > 200 {
            return Err(ArithError::Syntax(self.src.clone()));
        }
        match self.t.get(self.i).cloned() {
            Some(T::Num(n)) => {
                self.i += 1;
                Ok(n)
            }
            Some(T::Name(n)) => {
                self.i += 1;
                let v = (self.var)(&n).unwrap_or_default();
                Ok(v.trim().parse().unwrap_or(0))
            }
            Some(T::Op("-")) => {
                self.i += 1;
                Ok(self.unary(depth + 1)?.wrapping_neg())
            }
            Some(T::Op("+")) => {
                self.i += 1;
                self.unary(depth + 1)
            }
            Some(T::Op("!")) => {
                self.i += 1;
                Ok(i64::from(self.unary(depth + 1)? == 0))
            }
            Some(T::Op("~")) => {
                self.i += 1;
                Ok(!self.unary(depth + 1)?)
            }
            Some(T::Op("(")) => {
                self.i += 1;
                let v = self.binary(0, depth + 1)?;
                if self.t.get(self.i) != Some(&T::Op(")")) {
                    return Err(ArithError::Syntax(self.rest()));
                }
                self.i += 1;
                Ok(v)
            }
            _ => Err(ArithError::Operand(self.rest())),
        }
    }

    fn binary(&mut self, min: u8, depth: usize) -> Result<i64, ArithError> {
        let mut lhs = self.unary(depth)?;
        while let Some(T::Op(op)) = self.t.get(self.i).cloned() {
            let Some(p) = prec(op) else { break };
            if p < min {
                break;
            }
            self.i += 1;
            let next = if op == "**" { p } else { p + 1 };
            let rhs = self.binary(next, depth + 1)?;
            lhs = match op {
                "+" => lhs.wrapping_add(rhs),
                "-" => lhs.wrapping_sub(rhs),
                "*" => lhs.wrapping_mul(rhs),
                "/" | "%" if rhs == 0 => return Err(ArithError::DivZero(rhs.to_string())),
                "/" => lhs.wrapping_div(rhs),
                "%" => lhs.wrapping_rem(rhs),
                "**" => lhs.wrapping_pow(u32::try_from(rhs).unwrap_or(0)),
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
            };
        }
        Ok(lhs)
    }
}

/// Evaluates an expression; `var` reads shell variables.
pub fn eval(src: &str, var: &mut dyn FnMut(&str) -> Option<String>) -> Result<i64, ArithError> {
    let t = lex(src)?;
    if t.is_empty() {
        return Ok(0);
    }
    let mut p = P { t, i: 0, var, src: src.to_string() };
    let v = p.binary(0, 0)?;
    if p.i < p.t.len() {
        return Err(ArithError::Syntax(p.rest()));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_variables() {
        let mut vars = |n: &str| (n == "x").then(|| "4".to_string());
        assert_eq!(eval("1 + 2 * 3", &mut vars), Ok(7));
        assert_eq!(eval("(1 + 2) * x", &mut vars), Ok(12));
        assert_eq!(eval("2 ** 3 ** 2", &mut vars), Ok(512));
        assert_eq!(eval("x > 3 && y == 0", &mut vars), Ok(1));
        assert_eq!(eval("7 % 3 - -1", &mut vars), Ok(2));
        assert!(matches!(eval("1 / 0", &mut vars), Err(ArithError::DivZero(_))));
        assert!(eval("1 +", &mut vars).is_err());
    }
}
