//! kubectl's JSONPath template language (client-go `util/jsonpath`), used by `-o jsonpath`,
//! `-o custom-columns`, `--sort-by`, CRD printer columns and `kubectl wait --for=jsonpath`.
//! Not RFC 9535: text and `{actions}` interleave, `{range}…{end}` loops, `[?(@.a=="b")]` filters.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Field(String),
    Wildcard,
    Recursive,
    Array([Param; 3]),
    Union(Vec<Vec<Node>>),
    Filter { left: Vec<Node>, op: String, right: Vec<Node> },
    Ident(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Top {
    Text(String),
    List(Vec<Node>),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    tops: Vec<Top>,
    /// `allowMissingKeys`: missing fields give no value instead of `x is not found`.
    pub allow_missing: bool,
}

impl Template {
    /// Parses a template; the error is the parser's message (`unclosed action`).
    pub fn parse(text: &str) -> Result<Template, String> {
        let chars: Vec<char> = text.chars().collect();
        let mut tops = Vec::new();
        let mut i = 0;
        let mut start = 0;
        while i < chars.len() {
            if chars[i] == '{' {
                if i > start {
                    tops.push(Top::Text(chars[start..i].iter().collect()));
                }
                let mut p = ActionParser { c: &chars, pos: i + 1 };
                let list = p.inside()?;
                tops.push(Top::List(list));
                i = p.pos;
                start = i;
            } else {
                i += 1;
            }
        }
        if chars.len() > start {
            tops.push(Top::Text(chars[start..].iter().collect()));
        }
        Ok(Template { tops, allow_missing: true })
    }

    /// Every expression's results, in template order (`FindResults`).
    pub fn find_results(&self, data: &Value) -> Result<Vec<Vec<Value>>, String> {
        let mut out = Vec::new();
        run(&self.tops, data, 0, self.allow_missing, &mut out)?;
        Ok(out)
    }

    /// Executes the template as kubectl prints it: strings raw, numbers and booleans as Go
    /// prints them, maps and lists as compact JSON, values of one expression space-separated;
    /// `as_json` prints each expression's values as an indented JSON array instead.
    pub fn execute(&self, data: &Value, as_json: bool) -> Result<String, String> {
        let mut s = String::new();
        for results in self.find_results(data)? {
            if as_json {
                s.push_str(&go_json(&Value::Array(results), true));
                s.push('\n');
                continue;
            }
            let n = results.len();
            for (i, r) in results.iter().enumerate() {
                s.push_str(&to_text(r));
                if i + 1 != n {
                    s.push(' ');
                }
            }
        }
        Ok(s)
    }
}

/// One value as `PrintResults` writes it.
pub fn to_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(_) | Value::Array(_) => go_json(v, false),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n),
    }
}

/// A JSON number as Go's `fmt` prints an int64 or float64 (`%v`).
pub fn go_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    go_float(f)
}

fn go_float(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    // Shortest %v switches to exponent form from 1e+06 on (and below 1e-04).
    if !(-4..6).contains(&exp) {
        return format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    format!("{f}")
}

/// Go's `json.Marshal` / `MarshalIndent(v, "", "    ")` with sorted keys (unstructured values).
pub fn go_json(v: &Value, indent: bool) -> String {
    use crate::gojson::{KeyOrder, compact, print};
    if indent {
        let mut s = print(v, KeyOrder::Sorted);
        s.pop();
        s
    } else {
        compact(v, KeyOrder::Sorted)
    }
}

/// Go's `%#v` of an unstructured object (`map[string]interface {}{"a":1}`), which kubectl puts
/// in its "error executing jsonpath" message.
pub fn go_sharp_v(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys.iter().map(|k| format!("{}:{}", go_quote(k), go_sharp_v(&m[*k]))).collect();
            format!("map[string]interface {{}}{{{}}}", parts.join(", "))
        }
        Value::Array(a) => format!("[]interface {{}}{{{}}}", a.iter().map(go_sharp_v).collect::<Vec<_>>().join(", ")),
        Value::String(s) => go_quote(s),
        Value::Null => "interface {}(nil)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n),
    }
}

fn go_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// kubectl's `RelaxedJSONPathExpression`: `.a.b`, `a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`.
pub fn relaxed(expr: &str) -> Result<String, String> {
    if expr.is_empty() {
        return Ok(String::new());
    }
    let inner = if let Some(body) = expr.strip_prefix('{').and_then(|e| e.strip_suffix('}')) { body } else { expr };
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    if inner.is_empty() || inner.contains(['{', '}']) {
        return Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".into());
    }
    Ok(format!("{{.{inner}}}"))
}

struct ActionParser<'a> {
    c: &'a [char],
    pos: usize,
}

fn is_terminator(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c == ' ' || c == '\t' || c == '\r' || c == '\n' || matches!(c, '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'),
    }
}

impl ActionParser<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.pos).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        let v: Vec<char> = s.chars().collect();
        self.c.len() >= self.pos + v.len() && self.c[self.pos..self.pos + v.len()] == v[..]
    }

    /// Parses the inside of one `{…}` up to and including the `}`.
    fn inside(&mut self) -> Result<Vec<Node>, String> {
        let mut list = Vec::new();
        loop {
            if self.starts_with("}") {
                self.pos += 1;
                return Ok(list);
            }
            if self.starts_with("[?(") {
                self.pos += 3;
                list.push(self.filter()?);
                continue;
            }
            if self.starts_with("..") {
                self.pos += 2;
                list.push(Node::Recursive);
                if self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    list.push(self.field());
                }
                continue;
            }
            let Some(c) = self.peek() else { return Err("unclosed action".into()) };
            self.pos += 1;
            match c {
                '\n' | '\r' => return Err("unclosed action".into()),
                ' ' | '@' | '$' => {}
                '[' => list.push(self.array()?),
                '"' | '\'' => list.push(self.quote(c)?),
                '.' => list.push(self.field()),
                '+' | '-' | '0'..='9' => {
                    self.pos -= 1;
                    list.push(self.number()?);
                }
                c if c.is_alphanumeric() || c == '_' => {
                    self.pos -= 1;
                    let start = self.pos;
                    while !is_terminator(self.peek()) {
                        self.pos += 1;
                    }
                    let word: String = self.c[start..self.pos].iter().collect();
                    list.push(match word.as_str() {
                        "true" => Node::Bool(true),
                        "false" => Node::Bool(false),
                        _ => Node::Ident(word),
                    });
                }
                c => return Err(format!("unrecognized character in action: U+{:04X} '{c}'", c as u32)),
            }
        }
    }

    fn field(&mut self) -> Node {
        let start = self.pos;
        while !is_terminator(self.peek()) {
            if self.peek() == Some('\\') {
                self.pos += 1;
            }
            self.pos += 1;
        }
        let end = self.pos.min(self.c.len());
        let raw: String = self.c[start..end].iter().collect();
        if raw == "*" { Node::Wildcard } else { Node::Field(raw.replace('\\', "")) }
    }

    fn number(&mut self) -> Result<Node, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E')) {
            self.pos += 1;
        }
        let text: String = self.c[start..self.pos].iter().collect();
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Node::Int(i));
        }
        text.parse::<f64>().map(Node::Float).map_err(|_| format!("cannot parse number {text}"))
    }

    fn quote(&mut self, end: char) -> Result<Node, String> {
        let start = self.pos - 1;
        loop {
            match self.peek() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some('\\') => self.pos += 2,
                Some(c) if c == end => {
                    self.pos += 1;
                    break;
                }
                Some(_) => self.pos += 1,
            }
        }
        let raw: String = self.c[start..self.pos.min(self.c.len())].iter().collect();
        unquote(&raw).map(Node::Text).ok_or_else(|| format!("unquote string {raw} error invalid syntax"))
    }

    fn array(&mut self) -> Result<Node, String> {
        let start = self.pos;
        loop {
            match self.peek() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                _ => self.pos += 1,
            }
        }
        let mut text: String = self.c[start..self.pos].iter().collect();
        self.pos += 1;
        if text == "*" {
            text = ":".into();
        }
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for p in parts {
                let t = Template::parse(&format!("{{{}}}", p.trim()))?;
                for top in t.tops {
                    if let Top::List(l) = top {
                        union.push(l);
                    }
                }
            }
            return Ok(Node::Union(union));
        }
        if text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'') && !text[1..text.len() - 1].contains('\'') {
            let t = Template::parse(&format!("{{.{}}}", &text[1..text.len() - 1]))?;
            let nodes: Vec<Node> = t.tops.into_iter().flat_map(|t| if let Top::List(l) = t { l } else { Vec::new() }).collect();
            return Ok(Node::Union(vec![nodes]));
        }
        let pieces: Vec<&str> = text.splitn(3, ':').collect();
        let valid = |s: &str| {
            let s = s.strip_prefix('-').unwrap_or(s);
            s.chars().all(|c| c.is_ascii_digit())
        };
        if pieces.iter().any(|p| !valid(p)) {
            return Err(format!("invalid array index {text}"));
        }
        let mut params = [Param::default(); 3];
        for i in 0..3 {
            match pieces.get(i) {
                Some(p) if !p.is_empty() => {
                    let v = p.parse::<i64>().map_err(|_| format!("array index {p} is not a number"))?;
                    params[i] = Param { value: v, known: true, derived: false };
                }
                Some(_) if i > 0 => params[i] = Param { value: 0, known: false, derived: false },
                None if i == 1 => params[1] = Param { value: params[0].value + 1, known: true, derived: true },
                _ => {}
            }
        }
        Ok(Node::Array(params))
    }

    fn filter(&mut self) -> Result<Node, String> {
        let start = self.pos;
        let mut begin = false;
        let mut end = false;
        let mut pair = '"';
        loop {
            let Some(c) = self.peek() else { return Err("unterminated filter".into()) };
            self.pos += 1;
            match c {
                '\n' => return Err("unterminated filter".into()),
                '"' | '\'' => {
                    if !begin {
                        begin = true;
                        pair = c;
                    } else if c == pair && self.c.get(self.pos - 2) != Some(&'\\') {
                        end = true;
                    }
                }
                ')' if begin == end => break,
                _ => {}
            }
        }
        if self.peek() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        self.pos += 1;
        let text: String = self.c[start..self.pos - 2].iter().collect();
        let op_start = text.find(['!', '<', '>', '=']);
        let parse_side = |s: &str| -> Result<Vec<Node>, String> {
            let t = Template::parse(&format!("{{{s}}}"))?;
            Ok(t.tops.into_iter().flat_map(|t| if let Top::List(l) = t { l } else { Vec::new() }).collect())
        };
        match op_start {
            Some(i) if i > 0 => {
                let rest = &text[i..];
                let op_len = rest.find(|c: char| !matches!(c, '!' | '<' | '>' | '=')).unwrap_or(rest.len());
                let (op, right) = rest.split_at(op_len);
                if right.is_empty() {
                    return Ok(Node::Filter { left: parse_side(&text)?, op: "exists".into(), right: Vec::new() });
                }
                Ok(Node::Filter { left: parse_side(&text[..i])?, op: op.to_string(), right: parse_side(right)? })
            }
            _ => Ok(Node::Filter { left: parse_side(&text)?, op: "exists".into(), right: Vec::new() }),
        }
    }
}

/// Go's `strconv.Unquote`, extended to single-quoted strings as client-go does.
fn unquote(raw: &str) -> Option<String> {
    let q = raw.chars().next()?;
    let body = raw.strip_prefix(q)?.strip_suffix(q)?;
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0'..='7' => return None,
            'x' => {
                let h: String = chars.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&h, 16).ok()?));
            }
            'u' => {
                let h: String = chars.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Runs top-level nodes from `tops` on `data`; returns the index just past a closing `{end}`
/// when one ends this range body.
fn run(tops: &[Top], data: &Value, depth: usize, allow_missing: bool, out: &mut Vec<Vec<Value>>) -> Result<Option<usize>, String> {
    let mut i = 0;
    while i < tops.len() {
        match &tops[i] {
            Top::Text(t) => out.push(vec![Value::String(t.clone())]),
            Top::List(list) => {
                if matches!(list.first(), Some(Node::Ident(w)) if w == "end") {
                    if depth == 0 {
                        return Err("not in range, nothing to end".into());
                    }
                    return Ok(Some(i + 1));
                }
                if matches!(list.first(), Some(Node::Ident(w)) if w == "range") {
                    let items = eval_list(vec![data.clone()], &list[1..], allow_missing)?;
                    let body = &tops[i + 1..];
                    let mut end_at = None;
                    if items.is_empty() {
                        // Still walk the body (on nothing) to find where the range ends.
                        end_at = run(body, &Value::Null, depth + 1, allow_missing, &mut Vec::new())?;
                    }
                    for item in &items {
                        end_at = run(body, item, depth + 1, allow_missing, out)?;
                    }
                    match end_at {
                        Some(n) => i += 1 + n,
                        None => return Ok(None),
                    }
                    continue;
                }
                out.push(eval_list(vec![data.clone()], list, allow_missing)?);
            }
        }
        i += 1;
    }
    Ok(None)
}

fn eval_list(mut cur: Vec<Value>, nodes: &[Node], allow_missing: bool) -> Result<Vec<Value>, String> {
    for n in nodes {
        cur = eval(cur, n, allow_missing)?;
    }
    Ok(cur)
}

fn eval(input: Vec<Value>, node: &Node, allow_missing: bool) -> Result<Vec<Value>, String> {
    match node {
        Node::Text(t) => Ok(vec![Value::String(t.clone())]),
        Node::Int(i) => Ok(vec![Value::from(*i)]),
        Node::Float(f) => Ok(vec![serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)]),
        Node::Bool(b) => Ok(vec![Value::Bool(*b)]),
        Node::Ident(w) => match w.as_str() {
            "range" | "end" => Ok(input),
            _ => Err(format!("unrecognized identifier {w}")),
        },
        Node::Field(name) => {
            if input.is_empty() {
                return Ok(Vec::new());
            }
            let out: Vec<Value> = input.iter().filter_map(|v| v.as_object().and_then(|m| m.get(name)).cloned()).collect();
            if out.is_empty() && !allow_missing {
                return Err(format!("{name} is not found"));
            }
            Ok(out)
        }
        Node::Wildcard => {
            let mut out = Vec::new();
            for v in &input {
                match v {
                    Value::Object(m) => {
                        let mut keys: Vec<&String> = m.keys().collect();
                        keys.sort();
                        out.extend(keys.into_iter().map(|k| m[k].clone()));
                    }
                    Value::Array(a) => out.extend(a.iter().cloned()),
                    _ => {}
                }
            }
            Ok(out)
        }
        Node::Recursive => {
            let mut out = Vec::new();
            for v in &input {
                descend(v, &mut out);
            }
            Ok(out)
        }
        Node::Array(params) => {
            let mut out = Vec::new();
            for v in &input {
                if v.is_null() {
                    continue;
                }
                let Some(a) = v.as_array() else {
                    return Err(format!("{} is not array or slice", go_type(v)));
                };
                let len = a.len() as i64;
                let mut p = *params;
                if !p[0].known {
                    p[0].value = 0;
                }
                if p[0].value < 0 {
                    p[0].value += len;
                }
                if !p[1].known {
                    p[1].value = len;
                }
                if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
                    p[1].value += len;
                }
                if p[1].value == p[0].value {
                    return Ok(out);
                }
                if p[0].value >= len || p[0].value < 0 {
                    return Err(format!("array index out of bounds: index {}, length {len}", p[0].value));
                }
                if p[1].value > len || p[1].value < 0 {
                    return Err(format!("array index out of bounds: index {}, length {len}", p[1].value - 1));
                }
                if p[0].value > p[1].value {
                    return Err(format!("starting index {} is greater than ending index {}", p[0].value, p[1].value));
                }
                let step = if p[2].known {
                    if p[2].value <= 0 {
                        return Err("step must be > 0".into());
                    }
                    p[2].value as usize
                } else {
                    1
                };
                out.extend(a[p[0].value as usize..p[1].value as usize].iter().step_by(step).cloned());
            }
            Ok(out)
        }
        Node::Union(lists) => {
            let mut out = Vec::new();
            for l in lists {
                out.extend(eval_list(input.clone(), l, allow_missing)?);
            }
            Ok(out)
        }
        Node::Filter { left, op, right } => {
            let mut out = Vec::new();
            for v in &input {
                let Some(a) = v.as_array() else {
                    return Err(format!("{} is not array or slice and cannot be filtered", to_text(v)));
                };
                for item in a {
                    let lefts = eval_list(vec![item.clone()], left, allow_missing);
                    if op == "exists" {
                        if lefts.is_ok_and(|l| !l.is_empty()) {
                            out.push(item.clone());
                        }
                        continue;
                    }
                    let lefts = lefts?;
                    let l = match lefts.len() {
                        0 => continue,
                        1 => &lefts[0],
                        _ => return Err("can only compare one element at a time".into()),
                    };
                    let rights = eval_list(vec![item.clone()], right, allow_missing)?;
                    let r = match rights.len() {
                        0 => continue,
                        1 => &rights[0],
                        _ => return Err("can only compare one element at a time".into()),
                    };
                    if compare(l, r, op)? {
                        out.push(item.clone());
                    }
                }
            }
            Ok(out)
        }
    }
}

fn descend(v: &Value, out: &mut Vec<Value>) {
    let children: Vec<Value> = match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            keys.into_iter().map(|k| m[k].clone()).collect()
        }
        Value::Array(a) => a.clone(),
        _ => Vec::new(),
    };
    if children.is_empty() {
        return;
    }
    out.push(v.clone());
    for c in &children {
        descend(c, out);
    }
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Null => "interface {}",
    }
}

/// text/template's comparison functions on two basic values.
fn compare(l: &Value, r: &Value, op: &str) -> Result<bool, String> {
    use std::cmp::Ordering;
    let ord = match (l, r) {
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (Value::Number(a), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => a.as_f64().unwrap_or(0.0).partial_cmp(&b.as_f64().unwrap_or(0.0)).unwrap_or(Ordering::Equal),
        },
        (Value::Bool(a), Value::Bool(b)) if op == "==" || op == "!=" => a.cmp(b),
        _ => return Err("incompatible types for comparison".into()),
    };
    Ok(match op {
        "==" => ord == Ordering::Equal,
        "!=" => ord != Ordering::Equal,
        "<" => ord == Ordering::Less,
        ">" => ord == Ordering::Greater,
        "<=" => ord != Ordering::Greater,
        ">=" => ord != Ordering::Less,
        _ => return Err(format!("unrecognized filter operator {op}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn exec(t: &str, v: &Value) -> String {
        Template::parse(t).unwrap().execute(v, false).unwrap()
    }

    fn list() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "web"}}, "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}, "spec": {"containers": [{"name": "c1", "image": "nginx"}, {"name": "c2", "image": "busybox"}], "replicas": 3}},
            {"metadata": {"name": "b"}, "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}]}, "spec": {"containers": [{"name": "c3", "image": "redis"}], "replicas": 1}}
        ]})
    }

    #[test]
    fn fields_wildcards_and_indexes() {
        let l = list();
        assert_eq!(exec("{.items[*].metadata.name}", &l), "a b");
        assert_eq!(exec("{.items[0].metadata.name}", &l), "a");
        assert_eq!(exec("{.items[-1].metadata.name}", &l), "b");
        assert_eq!(exec("{.items[0:1].metadata.name}", &l), "a");
        assert_eq!(exec("{.items[*].spec.replicas}", &l), "3 1");
        assert_eq!(exec("{.items[0].spec.containers[*].image}", &l), "nginx busybox");
        assert_eq!(exec("{.items[0].metadata.labels.app\\.kubernetes\\.io/name}", &l), "web");
        assert_eq!(exec("{.items[0].metadata.labels}", &l), "{\"app.kubernetes.io/name\":\"web\"}");
        assert_eq!(exec("{.kind}{\"\\n\"}", &l), "List\n");
        assert_eq!(exec("name: {.items[1].metadata.name}!", &l), "name: b!");
        assert_eq!(exec("{.items[*]['metadata.name']}", &l), "a b");
        assert_eq!(exec("{.missing}", &l), "");
    }

    #[test]
    fn ranges_filters_and_recursion() {
        let l = list();
        assert_eq!(exec("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}", &l), "a\tRunning\nb\tPending\n");
        assert_eq!(exec("{.items[?(@.status.phase==\"Running\")].metadata.name}", &l), "a");
        assert_eq!(exec("{.items[?(@.spec.replicas>1)].metadata.name}", &l), "a");
        assert_eq!(exec("{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=='Ready')].status} {end}", &l), "a=True b=False ");
        assert_eq!(exec("{..image}", &l), "nginx busybox redis");
        assert_eq!(exec("{range .items[*]}[{.metadata.name}]{end}tail", &l), "[a][b]tail");
    }

    #[test]
    fn errors_as_client_go_words_them() {
        assert_eq!(Template::parse("{.foo").unwrap_err(), "unclosed action");
        assert_eq!(Template::parse("{.a[0}").unwrap_err(), "unterminated array");
        assert_eq!(Template::parse("{.a[x]}").unwrap_err(), "invalid array index x");
        let t = Template::parse("{.items[5]}").unwrap();
        assert_eq!(t.execute(&list(), false).unwrap_err(), "array index out of bounds: index 5, length 2");
        assert_eq!(Template::parse("{end}").unwrap().execute(&list(), false).unwrap_err(), "not in range, nothing to end");
    }

    #[test]
    fn as_json_and_go_formats() {
        let t = Template::parse("{.items[*].metadata.name}").unwrap();
        assert_eq!(t.execute(&list(), true).unwrap(), "[\n    \"a\",\n    \"b\"\n]\n");
        assert_eq!(go_float(0.5), "0.5");
        assert_eq!(go_float(1.5e21), "1.5e+21");
        assert_eq!(
            go_sharp_v(&json!({"b": [1, "x"], "a": null})),
            "map[string]interface {}{\"a\":interface {}(nil), \"b\":[]interface {}{1, \"x\"}}"
        );
        assert_eq!(relaxed(".metadata.name").unwrap(), "{.metadata.name}");
        assert_eq!(relaxed("{metadata.name}").unwrap(), "{.metadata.name}");
    }
}
