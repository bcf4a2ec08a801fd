//! `awk [-F FS] [-v VAR=VALUE]... 'PROGRAM' [FILE]...`: the part of awk exam users pipe into —
//! patterns (`BEGIN`, `END`, `/re/`, expressions, ranges), `print`/`printf`, fields (`$1`, `$NF`),
//! `NR`/`NF`/`FS`/`OFS`, variables, associative arrays with `for (k in a)`, `if`/`while`/`for`,
//! `next`/`exit`, and the string builtins (length, substr, index, split, sub, gsub, toupper …).

use std::collections::HashMap;

use regex::Regex;

use super::{regex_posix, util};
use crate::programs::Ctx;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Re(String),
    Name(String),
    Func(String),
    Op(&'static str),
    Newline,
}

const OPS: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "!=", ">=", "<=", "&&", "||", "++", "--", "!~", ">>", "+", "-", "*", "/", "%", "^", "!", ">",
    "<", "~", "=", "(", ")", "{", "}", "[", "]", ",", ";", "?", ":", "$", "|",
];

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let c: Vec<char> = src.chars().collect();
    let mut out: Vec<Tok> = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch == ' ' || ch == '\t' || ch == '\r' {
            i += 1;
        } else if ch == '\\' && c.get(i + 1) == Some(&'\n') {
            i += 2;
        } else if ch == '\n' {
            out.push(Tok::Newline);
            i += 1;
        } else if ch == '#' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch.is_ascii_digit() || (ch == '.' && c.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let st = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '.') {
                i += 1;
            }
            let t: String = c[st..i].iter().collect();
            out.push(Tok::Num(t.parse().unwrap_or(0.0)));
        } else if ch == '"' {
            i += 1;
            let mut s = String::new();
            loop {
                let Some(&d) = c.get(i) else { return Err("unterminated string".into()) };
                i += 1;
                match d {
                    '"' => break,
                    '\\' => {
                        let e = c.get(i).copied().unwrap_or('\\');
                        i += 1;
                        let mapped = match e {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            '/' => '/',
                            '"' => '"',
                            '\\' => '\\',
                            other => {
                                s.push('\\');
                                other
                            }
                        };
                        s.push(mapped);
                    }
                    _ => s.push(d),
                }
            }
            out.push(Tok::Str(s));
        } else if ch == '/'
            && !matches!(out.last(), Some(Tok::Num(_) | Tok::Str(_) | Tok::Name(_) | Tok::Op(")" | "]" | "$")) | Some(Tok::Re(_)))
        {
            i += 1;
            let mut s = String::new();
            loop {
                let Some(&d) = c.get(i) else { return Err("unterminated regexp".into()) };
                i += 1;
                match d {
                    '/' => break,
                    '\\' if c.get(i) == Some(&'/') => {
                        s.push('/');
                        i += 1;
                    }
                    '\\' => {
                        s.push('\\');
                        if let Some(&e) = c.get(i) {
                            s.push(e);
                            i += 1;
                        }
                    }
                    _ => s.push(d),
                }
            }
            out.push(Tok::Re(s));
        } else if ch.is_ascii_alphabetic() || ch == '_' {
            let st = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let name: String = c[st..i].iter().collect();
            if c.get(i) == Some(&'(') && BUILTINS.contains(&name.as_str()) {
                out.push(Tok::Func(name));
            } else {
                out.push(Tok::Name(name));
            }
        } else {
            let rest: String = c[i..c.len().min(i + 2)].iter().collect();
            let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else { return Err(format!("syntax error at source line 1: {ch}")) };
            out.push(Tok::Op(op));
            i += op.len();
        }
    }
    Ok(out)
}

const BUILTINS: &[&str] =
    &["length", "substr", "index", "split", "sub", "gsub", "toupper", "tolower", "sprintf", "int", "match", "sqrt", "log", "exp"];

#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Str(String),
    Re(String),
    Var(String),
    Field(Box<Expr>),
    Index(String, Box<Expr>),
    Assign(Box<Expr>, &'static str, Box<Expr>),
    Incr(Box<Expr>, f64, bool),
    Unary(&'static str, Box<Expr>),
    Bin(Box<Expr>, &'static str, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Match(Box<Expr>, bool, Box<Expr>),
    In(Box<Expr>, String),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    Group(Box<Expr>),
}

#[derive(Debug, Clone)]
enum Stmt {
    Print(Vec<Expr>, Option<(bool, Expr)>),
    Printf(Vec<Expr>, Option<(bool, Expr)>),
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    For(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>, Box<Stmt>),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
    Delete(String, Option<Expr>),
    Break,
    Continue,
}

#[derive(Debug, Clone)]
enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

struct P {
    t: Vec<Tok>,
    i: usize,
    depth: usize,
}

type R<T> = Result<T, String>;

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }
    fn is(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }
    fn eat(&mut self, op: &str) -> bool {
        if self.is(op) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, op: &str) -> R<()> {
        if self.eat(op) { Ok(()) } else { Err(self.error()) }
    }
    fn error(&self) -> String {
        let near = match self.peek() {
            Some(Tok::Op(o)) => (*o).to_string(),
            Some(Tok::Name(n) | Tok::Func(n)) => n.clone(),
            Some(Tok::Num(n)) => n.to_string(),
            Some(Tok::Str(s)) => format!("\"{s}\""),
            Some(Tok::Re(r)) => format!("/{r}/"),
            Some(Tok::Newline) => "newline".into(),
            None => "end of file".into(),
        };
        // mawk's wording (Ubuntu's awk).
        if near == "end of file" {
            "line 2: missing } near end of file".to_string()
        } else {
            format!("line 1: syntax error at or near {near}")
        }
    }
    fn nl(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) || self.is(";") {
            self.i += 1;
        }
    }
    fn only_nl(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.i += 1;
        }
    }

    fn program(&mut self) -> R<Vec<(Pattern, Option<Vec<Stmt>>)>> {
        let mut items = Vec::new();
        loop {
            self.nl();
            if self.peek().is_none() {
                return Ok(items);
            }
            let pat = match self.peek() {
                Some(Tok::Name(n)) if n == "BEGIN" => {
                    self.i += 1;
                    Pattern::Begin
                }
                Some(Tok::Name(n)) if n == "END" => {
                    self.i += 1;
                    Pattern::End
                }
                Some(Tok::Op("{")) => Pattern::All,
                _ => {
                    let e = self.expr()?;
                    if self.eat(",") {
                        self.only_nl();
                        Pattern::Range(e, self.expr()?)
                    } else {
                        Pattern::Expr(e)
                    }
                }
            };
            let action = if self.is("{") { Some(self.block()?) } else { None };
            if action.is_none() && matches!(pat, Pattern::Begin | Pattern::End) {
                return Err(self.error());
            }
            items.push((pat, action));
        }
    }

    fn block(&mut self) -> R<Vec<Stmt>> {
        self.expect("{")?;
        let mut v = Vec::new();
        loop {
            self.nl();
            if self.eat("}") {
                return Ok(v);
            }
            if self.peek().is_none() {
                return Err(self.error());
            }
            v.push(self.stmt()?);
        }
    }

    fn simple_or_block(&mut self) -> R<Stmt> {
        self.only_nl();
        if self.is("{") { Ok(Stmt::Block(self.block()?)) } else { self.stmt() }
    }

    fn end_stmt(&mut self) {
        if self.is(";") || matches!(self.peek(), Some(Tok::Newline)) {
            self.i += 1;
        }
    }

    fn stmt(&mut self) -> R<Stmt> {
        self.depth += 1;
        if self.depth > 100 {
            return Err(self.error());
        }
        let r = self.stmt_inner();
        self.depth -= 1;
        r
    }

    fn stmt_inner(&mut self) -> R<Stmt> {
        if self.is("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let name = match self.peek() {
            Some(Tok::Name(n)) => n.clone(),
            _ => String::new(),
        };
        let s = match name.as_str() {
            "print" | "printf" => {
                self.i += 1;
                let mut args = Vec::new();
                let paren = self.is("(");
                if !self.is(";") && !self.is("}") && !matches!(self.peek(), Some(Tok::Newline) | None) && !self.is(">") && !self.is(">>") {
                    loop {
                        args.push(self.expr_no_gt()?);
                        if !self.eat(",") {
                            break;
                        }
                        self.only_nl();
                    }
                }
                // `print (a, b)` groups the list.
                if paren
                    && args.len() == 1
                    && let Expr::Group(inner) = &args[0]
                {
                    args = vec![(**inner).clone()];
                }
                let redirect = if self.eat(">>") {
                    Some((true, self.primary()?))
                } else if self.eat(">") {
                    Some((false, self.primary()?))
                } else {
                    None
                };
                if name == "print" { Stmt::Print(args, redirect) } else { Stmt::Printf(args, redirect) }
            }
            "if" => {
                self.i += 1;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                let then = self.simple_or_block()?;
                let save = self.i;
                self.nl();
                let otherwise = if matches!(self.peek(), Some(Tok::Name(n)) if n == "else") {
                    self.i += 1;
                    Some(Box::new(self.simple_or_block()?))
                } else {
                    self.i = save;
                    None
                };
                return Ok(Stmt::If(c, Box::new(then), otherwise));
            }
            "while" => {
                self.i += 1;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                return Ok(Stmt::While(c, Box::new(self.simple_or_block()?)));
            }
            "for" => {
                self.i += 1;
                self.expect("(")?;
                if let (Some(Tok::Name(v)), Some(Tok::Name(kw)), Some(Tok::Name(arr))) =
                    (self.t.get(self.i).cloned(), self.t.get(self.i + 1).cloned(), self.t.get(self.i + 2).cloned())
                    && kw == "in"
                    && self.t.get(self.i + 3) == Some(&Tok::Op(")"))
                {
                    self.i += 4;
                    return Ok(Stmt::ForIn(v, arr, Box::new(self.simple_or_block()?)));
                }
                let init = if self.is(";") { None } else { Some(Box::new(Stmt::Expr(self.expr()?))) };
                self.expect(";")?;
                let cond = if self.is(";") { None } else { Some(self.expr()?) };
                self.expect(";")?;
                let step = if self.is(")") { None } else { Some(Box::new(Stmt::Expr(self.expr()?))) };
                self.expect(")")?;
                return Ok(Stmt::For(init, cond, step, Box::new(self.simple_or_block()?)));
            }
            "next" => {
                self.i += 1;
                Stmt::Next
            }
            "break" => {
                self.i += 1;
                Stmt::Break
            }
            "continue" => {
                self.i += 1;
                Stmt::Continue
            }
            "exit" => {
                self.i += 1;
                let e = if self.is(";") || self.is("}") || matches!(self.peek(), Some(Tok::Newline) | None) {
                    None
                } else {
                    Some(self.expr()?)
                };
                Stmt::Exit(e)
            }
            "delete" => {
                self.i += 1;
                let Some(Tok::Name(arr)) = self.peek().cloned() else { return Err(self.error()) };
                self.i += 1;
                let idx = if self.eat("[") {
                    let e = self.expr()?;
                    self.expect("]")?;
                    Some(e)
                } else {
                    None
                };
                Stmt::Delete(arr, idx)
            }
            _ => Stmt::Expr(self.expr()?),
        };
        self.end_stmt();
        Ok(s)
    }

    fn expr(&mut self) -> R<Expr> {
        self.depth += 1;
        if self.depth > 200 {
            return Err(self.error());
        }
        let r = self.ternary(true);
        self.depth -= 1;
        r
    }

    /// An expression in a print list, where `>` is output redirection.
    fn expr_no_gt(&mut self) -> R<Expr> {
        self.ternary(false)
    }

    fn ternary(&mut self, gt: bool) -> R<Expr> {
        let c = self.or(gt)?;
        if self.eat("?") {
            let a = self.ternary(gt)?;
            self.expect(":")?;
            let b = self.ternary(gt)?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        if let Some(Tok::Op(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^="))) = self.peek().cloned()
            && matches!(c, Expr::Var(_) | Expr::Field(_) | Expr::Index(..))
        {
            self.i += 1;
            let v = self.ternary(gt)?;
            return Ok(Expr::Assign(Box::new(c), op, Box::new(v)));
        }
        Ok(c)
    }

    fn or(&mut self, gt: bool) -> R<Expr> {
        let mut l = self.and(gt)?;
        while self.eat("||") {
            self.only_nl();
            l = Expr::Bin(Box::new(l), "||", Box::new(self.and(gt)?));
        }
        Ok(l)
    }

    fn and(&mut self, gt: bool) -> R<Expr> {
        let mut l = self.in_expr(gt)?;
        while self.eat("&&") {
            self.only_nl();
            l = Expr::Bin(Box::new(l), "&&", Box::new(self.in_expr(gt)?));
        }
        Ok(l)
    }

    fn in_expr(&mut self, gt: bool) -> R<Expr> {
        let mut l = self.matching(gt)?;
        while matches!(self.peek(), Some(Tok::Name(n)) if n == "in") {
            self.i += 1;
            let Some(Tok::Name(arr)) = self.peek().cloned() else { return Err(self.error()) };
            self.i += 1;
            l = Expr::In(Box::new(l), arr);
        }
        Ok(l)
    }

    fn matching(&mut self, gt: bool) -> R<Expr> {
        let mut l = self.comparison(gt)?;
        loop {
            let neg = if self.eat("~") {
                false
            } else if self.eat("!~") {
                true
            } else {
                return Ok(l);
            };
            l = Expr::Match(Box::new(l), neg, Box::new(self.comparison(gt)?));
        }
    }

    fn comparison(&mut self, gt: bool) -> R<Expr> {
        let l = self.concat()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if op == ">" && !gt {
                continue;
            }
            if self.is(op) {
                self.i += 1;
                let r = self.concat()?;
                return Ok(Expr::Bin(Box::new(l), op, Box::new(r)));
            }
        }
        Ok(l)
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Some(Tok::Num(_) | Tok::Str(_) | Tok::Re(_) | Tok::Func(_)) => true,
            Some(Tok::Name(n)) => !matches!(n.as_str(), "in" | "else"),
            Some(Tok::Op(o)) => matches!(*o, "$" | "(" | "!" | "-" | "+" | "++" | "--"),
            _ => false,
        }
    }

    fn concat(&mut self) -> R<Expr> {
        let mut l = self.additive()?;
        while self.starts_operand() && !self.is("-") && !self.is("+") {
            let r = self.additive()?;
            l = Expr::Concat(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn additive(&mut self) -> R<Expr> {
        let mut l = self.mult()?;
        loop {
            let op = if self.is("+") {
                "+"
            } else if self.is("-") {
                "-"
            } else {
                return Ok(l);
            };
            self.i += 1;
            l = Expr::Bin(Box::new(l), op, Box::new(self.mult()?));
        }
    }

    fn mult(&mut self) -> R<Expr> {
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op(o @ ("*" | "/" | "%"))) => *o,
                _ => return Ok(l),
            };
            self.i += 1;
            l = Expr::Bin(Box::new(l), op, Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> R<Expr> {
        self.depth += 1;
        if self.depth > 300 {
            return Err(self.error());
        }
        let r = if self.eat("!") {
            self.unary().map(|e| Expr::Unary("!", Box::new(e)))
        } else if self.eat("-") {
            self.unary().map(|e| Expr::Unary("-", Box::new(e)))
        } else if self.eat("+") {
            self.unary().map(|e| Expr::Unary("+", Box::new(e)))
        } else {
            self.power()
        };
        self.depth -= 1;
        r
    }

    fn power(&mut self) -> R<Expr> {
        let base = self.postfix()?;
        if self.eat("^") {
            let exp = self.unary()?;
            return Ok(Expr::Bin(Box::new(base), "^", Box::new(exp)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> R<Expr> {
        if self.eat("++") {
            let e = self.primary()?;
            return Ok(Expr::Incr(Box::new(e), 1.0, true));
        }
        if self.eat("--") {
            let e = self.primary()?;
            return Ok(Expr::Incr(Box::new(e), -1.0, true));
        }
        let e = self.primary()?;
        if matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            if self.eat("++") {
                return Ok(Expr::Incr(Box::new(e), 1.0, false));
            }
            if self.eat("--") {
                return Ok(Expr::Incr(Box::new(e), -1.0, false));
            }
        }
        Ok(e)
    }

    fn primary(&mut self) -> R<Expr> {
        let Some(t) = self.peek().cloned() else { return Err(self.error()) };
        self.i += 1;
        match t {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Re(r) => Ok(Expr::Re(r)),
            Tok::Op("$") => {
                let e = self.primary_for_field()?;
                Ok(Expr::Field(Box::new(e)))
            }
            Tok::Op("(") => {
                let e = self.expr()?;
                // `(a, b) in arr` is not modelled; a grouped list is for `print (a, b)`.
                if self.eat(",") {
                    let mut items = vec![e];
                    loop {
                        items.push(self.expr()?);
                        if !self.eat(",") {
                            break;
                        }
                    }
                    self.expect(")")?;
                    let joined = items
                        .into_iter()
                        .reduce(|a, b| Expr::Concat(Box::new(Expr::Concat(Box::new(a), Box::new(Expr::Var("OFS".into())))), Box::new(b)));
                    return Ok(joined.unwrap_or(Expr::Str(String::new())));
                }
                self.expect(")")?;
                Ok(Expr::Group(Box::new(e)))
            }
            Tok::Func(name) => {
                self.expect("(")?;
                let mut args = Vec::new();
                if !self.is(")") {
                    loop {
                        args.push(self.expr()?);
                        if !self.eat(",") {
                            break;
                        }
                    }
                }
                self.expect(")")?;
                Ok(Expr::Call(name, args))
            }
            Tok::Name(n) if n == "length" => Ok(Expr::Call(n, Vec::new())),
            Tok::Name(n) => {
                if self.eat("[") {
                    let mut idx = self.expr()?;
                    while self.eat(",") {
                        let more = self.expr()?;
                        idx = Expr::Concat(Box::new(Expr::Concat(Box::new(idx), Box::new(Expr::Str("\x1c".into())))), Box::new(more));
                    }
                    self.expect("]")?;
                    return Ok(Expr::Index(n, Box::new(idx)));
                }
                Ok(Expr::Var(n))
            }
            _ => {
                self.i -= 1;
                Err(self.error())
            }
        }
    }

    /// `$` binds tighter than anything but grouping: `$NF-1` is `($NF)-1`.
    fn primary_for_field(&mut self) -> R<Expr> {
        if self.eat("-") {
            return self.primary().map(|e| Expr::Unary("-", Box::new(e)));
        }
        if self.eat("++") {
            let e = self.primary()?;
            return Ok(Expr::Incr(Box::new(e), 1.0, true));
        }
        self.primary()
    }
}

#[derive(Debug, Clone)]
enum Val {
    Num(f64),
    Str(String),
    /// Input data that looks numeric compares as a number.
    StrNum(String),
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        return format!("{}", v as i64);
    }
    fmt_g(v, 6)
}

/// C's `%.Pg`.
fn fmt_g(v: f64, p: usize) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let p = p.max(1);
    let exp = v.abs().log10().floor() as i32;
    if exp < -4 || exp >= p as i32 {
        let s = format!("{:.*e}", p - 1, v);
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.') } else { m };
        let e: i32 = e.parse().unwrap_or(0);
        format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let s = format!("{v:.decimals$}");
        if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
    }
}

fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.parse::<f64>().is_ok() && !t.contains(|c: char| c.is_alphabetic() && c != 'e' && c != 'E')
}

fn str_to_num(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    let b = t.as_bytes();
    let mut seen_dot = false;
    let mut seen_e = false;
    while end < b.len() {
        let c = b[end];
        let ok = c.is_ascii_digit()
            || (end == 0 && (c == b'-' || c == b'+'))
            || (c == b'.' && !seen_dot && !seen_e)
            || ((c == b'e' || c == b'E')
                && end > 0
                && !seen_e
                && b.get(end + 1).is_some_and(|n| n.is_ascii_digit() || *n == b'-' || *n == b'+'))
            || ((c == b'-' || c == b'+') && end > 0 && (b[end - 1] == b'e' || b[end - 1] == b'E'));
        if !ok {
            break;
        }
        seen_dot |= c == b'.';
        seen_e |= c == b'e' || c == b'E';
        end += 1;
    }
    t[..end].parse().unwrap_or(0.0)
}

impl Val {
    fn num(&self) -> f64 {
        match self {
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => str_to_num(s),
        }
    }
    fn str(&self) -> String {
        match self {
            Val::Num(n) => fmt_num(*n),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
        }
    }
    fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) => {
                if looks_numeric(s) {
                    str_to_num(s) != 0.0
                } else {
                    !s.is_empty()
                }
            }
        }
    }
    fn is_numeric(&self) -> bool {
        match self {
            Val::Num(_) => true,
            Val::Str(_) => false,
            Val::StrNum(s) => looks_numeric(s),
        }
    }
}

enum Flow {
    Normal,
    Next,
    Exit,
    Break,
    Continue,
}

struct Interp {
    vars: HashMap<String, Val>,
    arrays: HashMap<String, HashMap<String, Val>>,
    fields: Vec<String>,
    record: String,
    out: String,
    files: Vec<(String, bool, String)>,
    exit_code: i32,
    regex_cache: HashMap<String, Option<Regex>>,
    steps: u64,
}

impl Interp {
    fn var(&self, n: &str) -> Val {
        self.vars.get(n).cloned().unwrap_or(Val::Str(String::new()))
    }

    fn re(&mut self, pat: &str) -> Option<Regex> {
        if let Some(r) = self.regex_cache.get(pat) {
            return r.clone();
        }
        let r = regex_posix::compile(pat, true, false).ok();
        self.regex_cache.insert(pat.to_string(), r.clone());
        r
    }

    fn set_record(&mut self, rec: &str) {
        self.record = rec.to_string();
        let fs = self.var("FS").str();
        self.fields = if fs == " " {
            rec.split_whitespace().map(str::to_string).collect()
        } else if rec.is_empty() {
            Vec::new()
        } else if fs.chars().count() == 1 && fs != "\\" {
            rec.split(fs.as_str()).map(str::to_string).collect()
        } else {
            match self.re(&fs) {
                Some(r) => r.split(rec).map(str::to_string).collect(),
                None => vec![rec.to_string()],
            }
        };
        self.vars.insert("NF".into(), Val::Num(self.fields.len() as f64));
    }

    fn rebuild(&mut self) {
        let ofs = self.var("OFS").str();
        self.record = self.fields.join(&ofs);
    }

    fn get_field(&self, i: usize) -> Val {
        if i == 0 {
            return Val::StrNum(self.record.clone());
        }
        Val::StrNum(self.fields.get(i - 1).cloned().unwrap_or_default())
    }

    fn set_field(&mut self, i: usize, v: String) {
        if i == 0 {
            self.set_record(&v);
            return;
        }
        if i > 100_000 {
            return;
        }
        while self.fields.len() < i {
            self.fields.push(String::new());
        }
        self.fields[i - 1] = v;
        self.vars.insert("NF".into(), Val::Num(self.fields.len() as f64));
        self.rebuild();
    }

    fn assign(&mut self, target: &Expr, v: Val) -> R<()> {
        match target {
            Expr::Var(n) => {
                if n == "NF" {
                    let nf = v.num().max(0.0) as usize;
                    self.fields.resize(nf.min(100_000), String::new());
                    self.rebuild();
                }
                self.vars.insert(n.clone(), v);
            }
            Expr::Field(e) => {
                let i = self.eval(e)?.num().max(0.0) as usize;
                self.set_field(i, v.str());
            }
            Expr::Index(a, k) => {
                let key = self.eval(k)?.str();
                self.arrays.entry(a.clone()).or_default().insert(key, v);
            }
            _ => {}
        }
        Ok(())
    }

    fn eval(&mut self, e: &Expr) -> R<Val> {
        Ok(match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Re(r) => {
                let rec = self.record.clone();
                Val::Num(if self.re(r).is_some_and(|re| re.is_match(&rec)) { 1.0 } else { 0.0 })
            }
            Expr::Group(e) => self.eval(e)?,
            Expr::Var(n) => self.var(n),
            Expr::Field(i) => {
                let i = self.eval(i)?.num();
                if i < 0.0 {
                    return Err(format!("trying to access out of range field {}", i as i64));
                }
                self.get_field(i as usize)
            }
            Expr::Index(a, k) => {
                let key = self.eval(k)?.str();
                self.arrays.entry(a.clone()).or_default().entry(key).or_insert(Val::Str(String::new())).clone()
            }
            Expr::Assign(t, op, v) => {
                let rhs = self.eval(v)?;
                let val = if *op == "=" {
                    rhs
                } else {
                    let cur = self.eval(t)?.num();
                    let r = rhs.num();
                    Val::Num(match *op {
                        "+=" => cur + r,
                        "-=" => cur - r,
                        "*=" => cur * r,
                        "/=" => {
                            if r == 0.0 {
                                return Err("division by zero in /=".into());
                            }
                            cur / r
                        }
                        "%=" => cur % r,
                        _ => cur.powf(r),
                    })
                };
                self.assign(t, val.clone())?;
                val
            }
            Expr::Incr(t, d, pre) => {
                let cur = self.eval(t)?.num();
                self.assign(t, Val::Num(cur + d))?;
                Val::Num(if *pre { cur + d } else { cur })
            }
            Expr::Unary(op, e) => {
                let v = self.eval(e)?;
                match *op {
                    "!" => Val::Num(if v.truthy() { 0.0 } else { 1.0 }),
                    "-" => Val::Num(-v.num()),
                    _ => Val::Num(v.num()),
                }
            }
            Expr::Concat(a, b) => {
                let a = self.eval(a)?.str();
                let b = self.eval(b)?.str();
                Val::Str(a + &b)
            }
            Expr::Match(a, neg, r) => {
                let s = self.eval(a)?.str();
                let pat = match &**r {
                    Expr::Re(p) => p.clone(),
                    other => self.eval(other)?.str(),
                };
                let m = self.re(&pat).is_some_and(|re| re.is_match(&s));
                Val::Num(if m != *neg { 1.0 } else { 0.0 })
            }
            Expr::In(k, arr) => {
                let key = self.eval(k)?.str();
                Val::Num(if self.arrays.get(arr).is_some_and(|a| a.contains_key(&key)) { 1.0 } else { 0.0 })
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::Bin(a, op, b) => {
                if *op == "&&" {
                    let l = self.eval(a)?.truthy();
                    return Ok(Val::Num(if l && self.eval(b)?.truthy() { 1.0 } else { 0.0 }));
                }
                if *op == "||" {
                    let l = self.eval(a)?.truthy();
                    return Ok(Val::Num(if l || self.eval(b)?.truthy() { 1.0 } else { 0.0 }));
                }
                let l = self.eval(a)?;
                let r = self.eval(b)?;
                match *op {
                    "==" | "!=" | "<" | ">" | "<=" | ">=" => {
                        let ord = if l.is_numeric() && r.is_numeric() {
                            l.num().partial_cmp(&r.num()).unwrap_or(std::cmp::Ordering::Equal)
                        } else {
                            l.str().cmp(&r.str())
                        };
                        use std::cmp::Ordering::*;
                        let t = match *op {
                            "==" => ord == Equal,
                            "!=" => ord != Equal,
                            "<" => ord == Less,
                            ">" => ord == Greater,
                            "<=" => ord != Greater,
                            _ => ord != Less,
                        };
                        Val::Num(if t { 1.0 } else { 0.0 })
                    }
                    _ => {
                        let (x, y) = (l.num(), r.num());
                        Val::Num(match *op {
                            "+" => x + y,
                            "-" => x - y,
                            "*" => x * y,
                            "/" => {
                                if y == 0.0 {
                                    return Err("division by zero".into());
                                }
                                x / y
                            }
                            "%" => {
                                if y == 0.0 {
                                    return Err("division by zero in %".into());
                                }
                                x % y
                            }
                            _ => x.powf(y),
                        })
                    }
                }
            }
            Expr::Call(name, args) => self.call(name, args)?,
        })
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> R<Val> {
        let mut vals = Vec::new();
        // sub/gsub/split take lvalues; evaluate the others.
        if !matches!(name, "sub" | "gsub" | "split") {
            for a in args {
                vals.push(self.eval(a)?);
            }
        }
        let s = |i: usize| vals.get(i).map(Val::str).unwrap_or_default();
        let n = |i: usize| vals.get(i).map_or(0.0, Val::num);
        Ok(match name {
            "length" => {
                if args.is_empty() {
                    Val::Num(self.record.chars().count() as f64)
                } else if let Expr::Var(a) = &args[0]
                    && let Some(arr) = self.arrays.get(a)
                {
                    Val::Num(arr.len() as f64)
                } else {
                    Val::Num(s(0).chars().count() as f64)
                }
            }
            "substr" => {
                let chars: Vec<char> = s(0).chars().collect();
                let start = n(1).round() as i64;
                let len = if vals.len() > 2 { n(2).round() as i64 } else { i64::MAX / 2 };
                let from = start.max(1);
                let to = start.saturating_add(len).min(chars.len() as i64 + 1);
                if to <= from { Val::Str(String::new()) } else { Val::Str(chars[(from - 1) as usize..(to - 1) as usize].iter().collect()) }
            }
            "index" => Val::Num(s(0).find(&s(1)).map_or(0.0, |i| (s(0)[..i].chars().count() + 1) as f64)),
            "toupper" => Val::Str(s(0).to_uppercase()),
            "tolower" => Val::Str(s(0).to_lowercase()),
            "int" => Val::Num(n(0).trunc()),
            "sqrt" => Val::Num(n(0).sqrt()),
            "log" => Val::Num(n(0).ln()),
            "exp" => Val::Num(n(0).exp()),
            "sprintf" => {
                let rest: Vec<Val> = vals.iter().skip(1).cloned().collect();
                Val::Str(sprintf(&s(0), &rest))
            }
            "match" => {
                let text = s(0);
                let pat = match args.get(1) {
                    Some(Expr::Re(p)) => p.clone(),
                    _ => s(1),
                };
                let (start, len) = match self.re(&pat).and_then(|r| r.find(&text).map(|m| (m.start(), m.end()))) {
                    Some((a, b)) => (text[..a].chars().count() as f64 + 1.0, text[a..b].chars().count() as f64),
                    None => (0.0, -1.0),
                };
                self.vars.insert("RSTART".into(), Val::Num(start));
                self.vars.insert("RLENGTH".into(), Val::Num(len));
                Val::Num(start)
            }
            "split" => {
                let text = match args.first() {
                    Some(a) => self.eval(a)?.str(),
                    None => String::new(),
                };
                let Some(Expr::Var(arr)) = args.get(1) else { return Err("split: second argument must be an array".into()) };
                let sep = match args.get(2) {
                    Some(Expr::Re(p)) => p.clone(),
                    Some(e) => self.eval(e)?.str(),
                    None => self.var("FS").str(),
                };
                let parts: Vec<String> = if sep == " " {
                    text.split_whitespace().map(str::to_string).collect()
                } else if text.is_empty() {
                    Vec::new()
                } else if sep.chars().count() == 1 {
                    text.split(sep.as_str()).map(str::to_string).collect()
                } else {
                    match self.re(&sep) {
                        Some(r) => r.split(&text).map(str::to_string).collect(),
                        None => vec![text.clone()],
                    }
                };
                let map: HashMap<String, Val> =
                    parts.iter().enumerate().map(|(i, p)| ((i + 1).to_string(), Val::StrNum(p.clone()))).collect();
                let count = map.len();
                self.arrays.insert(arr.clone(), map);
                Val::Num(count as f64)
            }
            "sub" | "gsub" => {
                let pat = match args.first() {
                    Some(Expr::Re(p)) => p.clone(),
                    Some(e) => self.eval(e)?.str(),
                    None => String::new(),
                };
                let rep = match args.get(1) {
                    Some(e) => self.eval(e)?.str(),
                    None => String::new(),
                };
                let target = args.get(2).cloned().unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let text = self.eval(&target)?.str();
                let Some(re) = self.re(&pat) else { return Ok(Val::Num(0.0)) };
                let mut count = 0;
                let mut out = String::new();
                let mut last = 0;
                for m in re.find_iter(&text) {
                    if name == "sub" && count == 1 {
                        break;
                    }
                    out.push_str(&text[last..m.start()]);
                    let mut chars = rep.chars().peekable();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' if chars.peek() == Some(&'&') => {
                                out.push('&');
                                chars.next();
                            }
                            '&' => out.push_str(m.as_str()),
                            _ => out.push(c),
                        }
                    }
                    last = m.end();
                    count += 1;
                }
                if count > 0 {
                    out.push_str(&text[last..]);
                    self.assign(&target, Val::Str(out))?;
                }
                Val::Num(f64::from(count))
            }
            _ => Val::Str(String::new()),
        })
    }

    fn emit(&mut self, text: &str, redirect: &Option<(bool, Expr)>) -> R<()> {
        match redirect {
            None => self.out.push_str(text),
            Some((append, e)) => {
                let name = self.eval(e)?.str();
                match self.files.iter_mut().find(|f| f.0 == name) {
                    Some(f) => f.2.push_str(text),
                    None => self.files.push((name, *append, text.to_string())),
                }
            }
        }
        Ok(())
    }

    fn exec(&mut self, s: &Stmt) -> R<Flow> {
        self.steps += 1;
        if self.steps > 5_000_000 {
            return Err("program ran too long".into());
        }
        match s {
            Stmt::Print(args, redirect) => {
                let text = if args.is_empty() {
                    self.record.clone()
                } else {
                    let mut parts = Vec::new();
                    for a in args {
                        let v = self.eval(a)?;
                        parts.push(match v {
                            Val::Num(n) if n.fract() != 0.0 => fmt_g(n, 6),
                            other => other.str(),
                        });
                    }
                    parts.join(&self.var("OFS").str())
                };
                let ors = self.var("ORS").str();
                self.emit(&format!("{text}{ors}"), redirect)?;
            }
            Stmt::Printf(args, redirect) => {
                let Some(f) = args.first() else { return Err("printf: no format".into()) };
                let fmt = self.eval(f)?.str();
                let mut vals = Vec::new();
                for a in &args[1..] {
                    vals.push(self.eval(a)?);
                }
                let text = sprintf(&fmt, &vals);
                self.emit(&text, redirect)?;
            }
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::If(c, a, b) => {
                if self.eval(c)?.truthy() {
                    return self.exec(a);
                } else if let Some(b) = b {
                    return self.exec(b);
                }
            }
            Stmt::While(c, body) => {
                while self.eval(c)?.truthy() {
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Next => return Ok(Flow::Next),
                        Flow::Exit => return Ok(Flow::Exit),
                        _ => {}
                    }
                }
            }
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.exec(i)?;
                }
                loop {
                    if let Some(c) = cond
                        && !self.eval(c)?.truthy()
                    {
                        break;
                    }
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Next => return Ok(Flow::Next),
                        Flow::Exit => return Ok(Flow::Exit),
                        _ => {}
                    }
                    if let Some(s) = step {
                        self.exec(s)?;
                    }
                }
            }
            Stmt::ForIn(v, arr, body) => {
                let mut keys: Vec<String> = self.arrays.get(arr).map(|a| a.keys().cloned().collect()).unwrap_or_default();
                // awk's order is unspecified; numeric keys in order, then the rest sorted, keeps output stable.
                keys.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
                    (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
                    _ => a.cmp(b),
                });
                for k in keys {
                    self.vars.insert(v.clone(), Val::StrNum(k));
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Next => return Ok(Flow::Next),
                        Flow::Exit => return Ok(Flow::Exit),
                        _ => {}
                    }
                }
            }
            Stmt::Block(stmts) => {
                for s in stmts {
                    match self.exec(s)? {
                        Flow::Normal => {}
                        other => return Ok(other),
                    }
                }
            }
            Stmt::Next => return Ok(Flow::Next),
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Exit(e) => {
                if let Some(e) = e {
                    self.exit_code = self.eval(e)?.num() as i32;
                }
                return Ok(Flow::Exit);
            }
            Stmt::Delete(arr, idx) => match idx {
                Some(i) => {
                    let k = self.eval(i)?.str();
                    if let Some(a) = self.arrays.get_mut(arr) {
                        a.remove(&k);
                    }
                }
                None => {
                    self.arrays.remove(arr);
                }
            },
        }
        Ok(Flow::Normal)
    }
}

/// awk's printf: C conversions applied to awk values.
fn sprintf(fmt: &str, vals: &[Val]) -> String {
    let c: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut next = 0;
    while i < c.len() {
        if c[i] != '%' {
            out.push(c[i]);
            i += 1;
            continue;
        }
        i += 1;
        if c.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = c.get(i).filter(|f| "-+ 0#".contains(**f)) {
            flags.push(f);
            i += 1;
        }
        let mut width = String::new();
        while let Some(&d) = c.get(i).filter(|d| d.is_ascii_digit() || **d == '*') {
            if d == '*' {
                width = vals.get(next).map_or(0.0, Val::num).to_string();
                next += 1;
            } else {
                width.push(d);
            }
            i += 1;
        }
        let mut prec: Option<usize> = None;
        if c.get(i) == Some(&'.') {
            i += 1;
            let mut p = String::new();
            while let Some(&d) = c.get(i).filter(|d| d.is_ascii_digit()) {
                p.push(d);
                i += 1;
            }
            prec = Some(p.parse().unwrap_or(0));
        }
        let Some(&conv) = c.get(i) else { break };
        i += 1;
        let v = vals.get(next).cloned().unwrap_or(Val::Str(String::new()));
        next += 1;
        let w: usize = width.parse::<f64>().map_or(0, |x| x.abs() as usize);
        let left = flags.contains('-');
        let body = match conv {
            'd' | 'i' => {
                let n = v.num().trunc() as i64;
                let mut s = n.abs().to_string();
                if let Some(p) = prec {
                    while s.len() < p {
                        s.insert(0, '0');
                    }
                }
                let sign = if n < 0 {
                    "-"
                } else if flags.contains('+') {
                    "+"
                } else if flags.contains(' ') {
                    " "
                } else {
                    ""
                };
                format!("{sign}{s}")
            }
            'o' => format!("{:o}", v.num() as i64),
            'x' => format!("{:x}", v.num() as i64),
            'X' => format!("{:X}", v.num() as i64),
            'c' => match v {
                Val::Num(n) => char::from_u32(n as u32).map(String::from).unwrap_or_default(),
                other => other.str().chars().next().map(String::from).unwrap_or_default(),
            },
            'f' | 'F' => format!("{:.*}", prec.unwrap_or(6), v.num()),
            'e' | 'E' => {
                let s = format!("{:.*e}", prec.unwrap_or(6), v.num());
                let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                let e: i32 = e.parse().unwrap_or(0);
                let s = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                if conv == 'E' { s.to_uppercase() } else { s }
            }
            'g' | 'G' => fmt_g(v.num(), prec.unwrap_or(6)),
            's' => {
                let s = v.str();
                match prec {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            other => format!("%{other}"),
        };
        let len = body.chars().count();
        if len >= w {
            out.push_str(&body);
        } else if left {
            out.push_str(&body);
            out.push_str(&" ".repeat(w - len));
        } else if flags.contains('0') && !matches!(conv, 's' | 'c') {
            let (sign, rest) = if body.starts_with('-') || body.starts_with('+') { body.split_at(1) } else { ("", body.as_str()) };
            out.push_str(sign);
            out.push_str(&"0".repeat(w - len));
            out.push_str(rest);
        } else {
            out.push_str(&" ".repeat(w - len));
            out.push_str(&body);
        }
    }
    out
}

fn unescape_assign(v: &str) -> String {
    String::from_utf8_lossy(&super::printf::unescape(v, false).0).into_owned()
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut fs: Option<String> = None;
    let mut assigns: Vec<(String, String)> = Vec::new();
    let mut program: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if program.is_none() {
            if a == "-F" {
                fs = args.get(i).cloned();
                i += 1;
                continue;
            }
            if let Some(f) = a.strip_prefix("-F") {
                fs = Some(f.to_string());
                continue;
            }
            if a == "-v" {
                if let Some((k, v)) = args.get(i).and_then(|x| x.split_once('=')) {
                    assigns.push((k.to_string(), unescape_assign(v)));
                }
                i += 1;
                continue;
            }
            if a == "-f" {
                if let Some(f) = args.get(i) {
                    match util::read_input(ctx, f) {
                        Ok(d) => program = Some(String::from_utf8_lossy(&d).into_owned()),
                        Err(e) => {
                            ctx.out.err(format!("awk: fatal: can't open source file `{f}' for reading: {e}\n"));
                            return 2;
                        }
                    }
                }
                i += 1;
                continue;
            }
            if a == "--" {
                continue;
            }
            program = Some(a.clone());
            continue;
        }
        files.push(a.clone());
    }
    let Some(program) = program else {
        ctx.out.err("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]\n");
        return 2;
    };
    let items = match lex(&program).and_then(|t| P { t, i: 0, depth: 0 }.program()) {
        Ok(items) => items,
        Err(e) => {
            ctx.out.err(format!("awk: {e}\n"));
            return 2;
        }
    };
    let mut it = Interp {
        vars: HashMap::new(),
        arrays: HashMap::new(),
        fields: Vec::new(),
        record: String::new(),
        out: String::new(),
        files: Vec::new(),
        exit_code: 0,
        regex_cache: HashMap::new(),
        steps: 0,
    };
    let fs_value = match fs.as_deref() {
        None => " ".to_string(),
        Some("t") => "\t".to_string(),
        Some(f) => unescape_assign(f),
    };
    for (k, v) in [("FS", fs_value.as_str()), ("OFS", " "), ("ORS", "\n"), ("SUBSEP", "\x1c")] {
        it.vars.insert(k.into(), Val::Str(v.to_string()));
    }
    it.vars.insert("NR".into(), Val::Num(0.0));
    for (k, v) in assigns {
        it.vars.insert(k, Val::StrNum(v));
    }
    let mut status = 0;
    let mut exited = false;
    let fail = |ctx: &mut Ctx<'_>, it: &mut Interp, e: String| {
        ctx.out.out(std::mem::take(&mut it.out));
        ctx.out.err(format!("awk: cmd. line:1: fatal: {e}\n"));
        2
    };
    for (pat, action) in &items {
        if matches!(pat, Pattern::Begin) {
            let body = Stmt::Block(action.clone().unwrap_or_default());
            match it.exec(&body) {
                Ok(Flow::Exit) => {
                    exited = true;
                    break;
                }
                Ok(_) => {}
                Err(e) => return fail(ctx, &mut it, e),
            }
        }
    }
    let has_main = items.iter().any(|(p, _)| !matches!(p, Pattern::Begin | Pattern::End));
    let has_end = items.iter().any(|(p, _)| matches!(p, Pattern::End));
    if !exited && (has_main || has_end) {
        let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
        let mut in_range = vec![false; items.len()];
        'files: for f in &inputs {
            if let Some((k, v)) = f.split_once('=')
                && crate::shell::lexer::is_name(k)
            {
                it.vars.insert(k.to_string(), Val::StrNum(v.to_string()));
                continue;
            }
            let data = match util::read_input(ctx, f) {
                Ok(d) => d,
                Err(e) => {
                    ctx.out.out(std::mem::take(&mut it.out));
                    ctx.out.err(format!("awk: cannot open {f} ({e})\n"));
                    status = 2;
                    continue;
                }
            };
            it.vars.insert("FILENAME".into(), Val::Str(if f == "-" { String::new() } else { f.clone() }));
            let mut fnr = 0.0;
            for line in util::lines(&data) {
                let nr = it.var("NR").num() + 1.0;
                it.vars.insert("NR".into(), Val::Num(nr));
                fnr += 1.0;
                it.vars.insert("FNR".into(), Val::Num(fnr));
                it.set_record(&line);
                for (k, (pat, action)) in items.iter().enumerate() {
                    let hit = match pat {
                        Pattern::Begin | Pattern::End => continue,
                        Pattern::All => true,
                        Pattern::Expr(e) => match it.eval(e) {
                            Ok(v) => v.truthy(),
                            Err(e) => return fail(ctx, &mut it, e),
                        },
                        Pattern::Range(a, b) => {
                            if in_range[k] {
                                if it.eval(b).map(|v| v.truthy()).unwrap_or(false) {
                                    in_range[k] = false;
                                }
                                true
                            } else if it.eval(a).map(|v| v.truthy()).unwrap_or(false) {
                                in_range[k] = !it.eval(b).map(|v| v.truthy()).unwrap_or(false);
                                true
                            } else {
                                false
                            }
                        }
                    };
                    if !hit {
                        continue;
                    }
                    let flow = match action {
                        Some(stmts) => it.exec(&Stmt::Block(stmts.clone())),
                        None => it.exec(&Stmt::Print(Vec::new(), None)),
                    };
                    match flow {
                        Ok(Flow::Next) => break,
                        Ok(Flow::Exit) => {
                            exited = true;
                            break 'files;
                        }
                        Ok(_) => {}
                        Err(e) => return fail(ctx, &mut it, e),
                    }
                }
            }
        }
    }
    // END runs after `exit` in a main rule, as in awk.
    for (pat, action) in &items {
        if matches!(pat, Pattern::End) {
            let body = Stmt::Block(action.clone().unwrap_or_default());
            match it.exec(&body) {
                Ok(Flow::Exit) => break,
                Ok(_) => {}
                Err(e) => return fail(ctx, &mut it, e),
            }
        }
    }
    let _ = exited;
    ctx.out.out(std::mem::take(&mut it.out));
    for (name, append, text) in std::mem::take(&mut it.files) {
        let r = if name == "/dev/stderr" {
            ctx.out.err(text);
            Ok(())
        } else if name == "/dev/stdout" {
            ctx.out.out(text);
            Ok(())
        } else {
            util::write_file(ctx, &name, text.as_bytes(), append)
        };
        if let Err(e) = r {
            ctx.out.err(format!("awk: cmd. line:1: fatal: can't redirect to `{name}' ({e})\n"));
            status = 2;
        }
    }
    if it.exit_code != 0 { it.exit_code } else { status }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_awk() {
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(0.1 + 0.2), "0.3");
        assert_eq!(fmt_g(1234567.0, 6), "1.23457e+06");
        assert_eq!(sprintf("%5.1f|%-3d|%s", &[Val::Num(2.46), Val::Num(7.0), Val::Str("x".into())]), "  2.5|7  |x");
    }

    #[test]
    fn programs_parse() {
        for src in [
            "{print $1}",
            "NR==2",
            "/re/ {n++} END {print n}",
            "{a[$1]+=$2} END {for (k in a) print k, a[k]}",
            "BEGIN{FS=\":\"} $3>0{print $1; next}",
        ] {
            let t = lex(src).unwrap();
            assert!(P { t, i: 0, depth: 0 }.program().is_ok(), "{src}");
        }
    }
}
