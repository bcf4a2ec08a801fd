//! `-o go-template=TEMPLATE`: the parts of Go's text/template that kubectl users write —
//! `{{.a.b}}`, `{{range .items}}…{{end}}`, `{{if}}/{{else}}`, `{{with}}`, variables,
//! pipelines, `index`, `len`, `printf`, comparisons, and kubectl's `base64decode` / `exists`.

use base64::Engine;
use serde_json::Value;

use super::custom_columns::go_sprint;

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Action(Pipeline),
    If(Pipeline, Vec<Node>, Vec<Node>),
    Range(Pipeline, Vec<String>, Vec<Node>, Vec<Node>),
    With(Pipeline, Vec<Node>, Vec<Node>),
}

#[derive(Debug, Clone, PartialEq)]
struct Pipeline {
    decl: Vec<String>,
    cmds: Vec<Vec<Arg>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Dot(Vec<String>),
    Var(String, Vec<String>),
    Str(String),
    Num(Value),
    Bool(bool),
    Nil,
    Func(String),
    Sub(Pipeline),
}

/// Parses and executes `template` on `obj`.
pub fn print(obj: &Value, template: &str) -> Result<String, String> {
    let tokens = split(template)?;
    let mut pos = 0;
    let (nodes, stop) = parse_nodes(&tokens, &mut pos)?;
    if let Some(s) = stop {
        return Err(format!("template: output:1: unexpected {{{{{s}}}}}"));
    }
    let mut out = String::new();
    let mut vars = vec![("$".to_string(), obj.clone())];
    exec(&nodes, obj, &mut vars, &mut out)?;
    Ok(out)
}

enum Tok {
    Text(String),
    Action(String),
}

fn split(t: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut rest = t;
    while let Some(i) = rest.find("{{") {
        let mut text = rest[..i].to_string();
        let after = &rest[i + 2..];
        let (trim_left, after) = match after.strip_prefix("- ") {
            Some(a) => (true, a),
            None => (false, after),
        };
        if trim_left {
            text = text.trim_end().to_string();
        }
        toks.push(Tok::Text(text));
        let Some(j) = after.find("}}") else { return Err("template: output:1: unclosed action".into()) };
        let mut body = &after[..j];
        let mut next = &after[j + 2..];
        if let Some(b) = body.strip_suffix(" -") {
            body = b;
            next = next.trim_start();
        }
        toks.push(Tok::Action(body.trim().to_string()));
        rest = next;
    }
    toks.push(Tok::Text(rest.to_string()));
    Ok(toks)
}

fn parse_nodes(toks: &[Tok], pos: &mut usize) -> Result<(Vec<Node>, Option<String>), String> {
    let mut nodes = Vec::new();
    while *pos < toks.len() {
        let t = &toks[*pos];
        *pos += 1;
        match t {
            Tok::Text(s) => {
                if !s.is_empty() {
                    nodes.push(Node::Text(s.clone()));
                }
            }
            Tok::Action(a) => {
                // The keyword is the leading identifier (`{{range.items}}` is `range .items`).
                let word_len = a.find(|c: char| !c.is_alphanumeric()).unwrap_or(a.len());
                let word = &a[..word_len];
                match word {
                    "end" | "else" => return Ok((nodes, Some(a.clone()))),
                    "if" | "with" | "range" => {
                        let mut pipe = parse_pipeline(a[word.len()..].trim())?;
                        let (body, stop) = parse_nodes(toks, pos)?;
                        let (alt, stop) = match stop.as_deref() {
                            Some("else") => parse_nodes(toks, pos)?,
                            Some(s) if s.starts_with("else if ") => {
                                // `{{else if x}}` is an `if` nested in the else branch.
                                let mut p2 = parse_pipeline(s.trim_start_matches("else if "))?;
                                let (b2, st2) = parse_nodes(toks, pos)?;
                                let (a2, st3) = if st2.as_deref() == Some("else") { parse_nodes(toks, pos)? } else { (Vec::new(), st2) };
                                p2.decl.clear();
                                (vec![Node::If(p2, b2, a2)], st3)
                            }
                            _ => (Vec::new(), stop),
                        };
                        if stop.as_deref() != Some("end") {
                            return Err("template: output:1: unexpected EOF".into());
                        }
                        nodes.push(match word {
                            "if" => Node::If(pipe, body, alt),
                            "with" => Node::With(pipe, body, alt),
                            _ => {
                                let decl = std::mem::take(&mut pipe.decl);
                                Node::Range(pipe, decl, body, alt)
                            }
                        });
                    }
                    _ if a.starts_with("/*") => {}
                    _ => nodes.push(Node::Action(parse_pipeline(a)?)),
                }
            }
        }
    }
    Ok((nodes, None))
}

fn words(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < c.len() {
        if c[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c[i] == '"' || c[i] == '`' {
            let q = c[i];
            i += 1;
            while i < c.len() && c[i] != q {
                if c[i] == '\\' && q == '"' {
                    i += 1;
                }
                i += 1;
            }
            if i >= c.len() {
                return Err("template: output:1: unterminated quoted string".into());
            }
            i += 1;
        } else if c[i] == '(' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '(' {
                    depth += 1;
                } else if c[i] == ')' {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                i += 1;
            }
        } else if c[i] == '|' {
            i += 1;
        } else {
            while i < c.len() && !c[i].is_whitespace() && c[i] != '|' && c[i] != '(' {
                i += 1;
            }
        }
        out.push(c[start..i].iter().collect());
    }
    Ok(out)
}

fn parse_pipeline(s: &str) -> Result<Pipeline, String> {
    let mut ws = words(s)?;
    let mut decl = Vec::new();
    if let Some(p) = ws.iter().position(|w| w == ":=" || w == "=") {
        decl = ws[..p].iter().map(|w| w.trim_end_matches(',').to_string()).collect();
        ws.drain(..=p);
    }
    let mut cmds = vec![Vec::new()];
    for w in ws {
        if w == "|" {
            cmds.push(Vec::new());
            continue;
        }
        let arg = parse_arg(&w)?;
        if let Some(last) = cmds.last_mut() {
            last.push(arg);
        }
    }
    if cmds.iter().any(Vec::is_empty) {
        return Err("template: output:1: missing value for command".into());
    }
    Ok(Pipeline { decl, cmds })
}

fn fields(s: &str) -> Vec<String> {
    s.split('.').filter(|p| !p.is_empty()).map(str::to_string).collect()
}

fn parse_arg(w: &str) -> Result<Arg, String> {
    Ok(if w.starts_with('"') {
        Arg::Str(serde_json::from_str::<String>(w).map_err(|_| format!("template: output:1: bad string {w}"))?)
    } else if let Some(raw) = w.strip_prefix('`').and_then(|x| x.strip_suffix('`')) {
        Arg::Str(raw.to_string())
    } else if let Some(inner) = w.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        Arg::Sub(parse_pipeline(inner)?)
    } else if w.starts_with('.') {
        Arg::Dot(fields(w))
    } else if w.starts_with('$') {
        let (var, rest) = w.split_once('.').map_or((w, ""), |(a, b)| (a, b));
        Arg::Var(var.to_string(), fields(rest))
    } else if w == "true" || w == "false" {
        Arg::Bool(w == "true")
    } else if w == "nil" {
        Arg::Nil
    } else if w.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        Arg::Num(serde_json::from_str(w).map_err(|_| format!("template: output:1: bad number syntax: \"{w}\""))?)
    } else {
        Arg::Func(w.to_string())
    })
}

type Vars = Vec<(String, Value)>;

/// `<no value>` is what text/template prints for a missing map key.
const NO_VALUE: &str = "<no value>";

fn lookup(v: &Value, path: &[String]) -> Option<Value> {
    let mut cur = v.clone();
    for p in path {
        cur = cur.as_object()?.get(p)?.clone();
    }
    Some(cur)
}

fn truthy(v: &Option<Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => !m.is_empty(),
    }
}

fn eval_arg(a: &Arg, dot: &Value, vars: &mut Vars) -> Result<Option<Value>, String> {
    Ok(match a {
        Arg::Dot(p) => lookup(dot, p),
        Arg::Var(n, p) => {
            let v = vars
                .iter()
                .rev()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| format!("template: output:1: undefined variable: {n}"))?;
            lookup(&v, p)
        }
        Arg::Str(s) => Some(Value::String(s.clone())),
        Arg::Num(n) => Some(n.clone()),
        Arg::Bool(b) => Some(Value::Bool(*b)),
        Arg::Nil => Some(Value::Null),
        Arg::Sub(p) => eval_pipeline(p, dot, vars)?,
        Arg::Func(f) => call(f, &[], dot, vars)?,
    })
}

fn eval_pipeline(p: &Pipeline, dot: &Value, vars: &mut Vars) -> Result<Option<Value>, String> {
    let mut prev: Option<Option<Value>> = None;
    for cmd in &p.cmds {
        let result = match &cmd[0] {
            Arg::Func(f) => {
                let mut args = Vec::new();
                for a in &cmd[1..] {
                    args.push(eval_arg(a, dot, vars)?);
                }
                if let Some(pv) = prev.take() {
                    args.push(pv);
                }
                call(f, &args, dot, vars)?
            }
            a => eval_arg(a, dot, vars)?,
        };
        prev = Some(result);
    }
    let v = prev.unwrap_or(None);
    for d in &p.decl {
        vars.push((d.clone(), v.clone().unwrap_or(Value::Null)));
    }
    Ok(v)
}

fn text(v: &Option<Value>) -> String {
    match v {
        None => NO_VALUE.into(),
        Some(v) => go_sprint(v),
    }
}

fn call(f: &str, args: &[Option<Value>], _dot: &Value, _vars: &mut Vars) -> Result<Option<Value>, String> {
    let arg = |i: usize| args.get(i).cloned().flatten();
    Ok(match f {
        "index" => {
            let mut cur = arg(0);
            for k in &args[1.min(args.len())..] {
                cur = match (cur, k) {
                    (Some(Value::Object(m)), Some(Value::String(s))) => m.get(s).cloned(),
                    (Some(Value::Array(a)), Some(Value::Number(n))) => {
                        let i = n.as_u64().unwrap_or(u64::MAX) as usize;
                        Some(a.get(i).cloned().ok_or_else(|| format!("template: output:1: error calling index: index out of range: {i}"))?)
                    }
                    (None | Some(Value::Null), _) => None,
                    _ => return Err("template: output:1: error calling index: cannot index".into()),
                };
            }
            cur
        }
        "base64decode" => {
            let s = arg(0).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .map_err(|e| format!("template: output:1: error calling base64decode: {e}"))?;
            Some(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        }
        "len" => Some(Value::from(match arg(0) {
            Some(Value::Array(a)) => a.len(),
            Some(Value::Object(m)) => m.len(),
            Some(Value::String(s)) => s.len(),
            _ => return Err("template: output:1: error calling len: len of nil pointer".into()),
        })),
        "print" | "println" => {
            let mut s: String = args.iter().map(text).collect::<Vec<_>>().join(if f == "println" { " " } else { "" });
            if f == "println" {
                s.push('\n');
            }
            Some(Value::String(s))
        }
        "printf" => {
            let fmt = arg(0).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let mut rest = args.iter().skip(1);
            let mut s = String::new();
            let mut chars = fmt.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '%' {
                    s.push(c);
                    continue;
                }
                match chars.next() {
                    Some('%') => s.push('%'),
                    Some('q') => s.push_str(&serde_json::to_string(&text(rest.next().unwrap_or(&None))).unwrap_or_default()),
                    Some(_) => s.push_str(&text(rest.next().unwrap_or(&None))),
                    None => s.push_str("%!(NOVERB)"),
                }
            }
            Some(Value::String(s))
        }
        "not" => Some(Value::Bool(!truthy(&arg(0).map(Some).unwrap_or(None)))),
        "and" => args.iter().find(|a| !truthy(a)).or(args.last()).cloned().flatten(),
        "or" => args.iter().find(|a| truthy(a)).or(args.last()).cloned().flatten(),
        "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
            let (a, b) = (arg(0).unwrap_or(Value::Null), arg(1).unwrap_or(Value::Null));
            let ord = match (&a, &b) {
                (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()),
                (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
                (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
                _ if f == "eq" || f == "ne" => Some(if a == b { std::cmp::Ordering::Equal } else { std::cmp::Ordering::Less }),
                _ => return Err(format!("template: output:1: error calling {f}: incompatible types for comparison")),
            };
            let ord = ord.unwrap_or(std::cmp::Ordering::Equal);
            use std::cmp::Ordering::*;
            Some(Value::Bool(match f {
                "eq" => ord == Equal,
                "ne" => ord != Equal,
                "lt" => ord == Less,
                "le" => ord != Greater,
                "gt" => ord == Greater,
                _ => ord != Less,
            }))
        }
        "exists" => {
            let mut cur = arg(0);
            for k in &args[1.min(args.len())..] {
                cur = match (cur, k) {
                    (Some(Value::Object(m)), Some(Value::String(s))) => m.get(s).cloned(),
                    _ => None,
                };
            }
            Some(Value::Bool(cur.is_some()))
        }
        _ => return Err(format!("template: output:1: function \"{f}\" not defined")),
    })
}

fn exec(nodes: &[Node], dot: &Value, vars: &mut Vars, out: &mut String) -> Result<(), String> {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Action(p) => {
                let v = eval_pipeline(p, dot, vars)?;
                if p.decl.is_empty() {
                    out.push_str(&text(&v));
                }
            }
            Node::If(p, body, alt) => {
                let mark = vars.len();
                let v = eval_pipeline(p, dot, vars)?;
                exec(if truthy(&v) { body } else { alt }, dot, vars, out)?;
                vars.truncate(mark);
            }
            Node::With(p, body, alt) => {
                let mark = vars.len();
                let v = eval_pipeline(p, dot, vars)?;
                if truthy(&v) {
                    exec(body, &v.unwrap_or(Value::Null), vars, out)?;
                } else {
                    exec(alt, dot, vars, out)?;
                }
                vars.truncate(mark);
            }
            Node::Range(p, decl, body, alt) => {
                let mark = vars.len();
                let v = eval_pipeline(p, dot, vars)?;
                let items: Vec<(Value, Value)> = match &v {
                    Some(Value::Array(a)) => a.iter().enumerate().map(|(i, x)| (Value::from(i), x.clone())).collect(),
                    Some(Value::Object(m)) => {
                        let mut keys: Vec<&String> = m.keys().collect();
                        keys.sort();
                        keys.into_iter().map(|k| (Value::String(k.clone()), m[k].clone())).collect()
                    }
                    None | Some(Value::Null) => Vec::new(),
                    Some(other) => return Err(format!("template: output:1: range can't iterate over {}", go_sprint(other))),
                };
                if items.is_empty() {
                    exec(alt, dot, vars, out)?;
                }
                for (k, item) in items {
                    let inner = vars.len();
                    match decl.as_slice() {
                        [e] => vars.push((e.clone(), item.clone())),
                        [i, e] => {
                            vars.push((i.clone(), k));
                            vars.push((e.clone(), item.clone()));
                        }
                        _ => {}
                    }
                    exec(body, &item, vars, out)?;
                    vars.truncate(inner);
                }
                vars.truncate(mark);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_kubectl_users_write() {
        assert!(print(&json!({}), "{{if .a}}x{{else if}}y{{end}}").is_err());
        assert_eq!(print(&json!({"b": 1}), "{{if .a}}x{{else if .b}}y{{else}}z{{end}}").unwrap(), "y");
        let list = json!({"items": [{"metadata": {"name": "a"}, "data": {"pw": "aGVsbG8="}}, {"metadata": {"name": "b"}}]});
        assert_eq!(print(&list, "{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}").unwrap(), "a\nb\n");
        assert_eq!(print(&list["items"][0], "{{index .data \"pw\" | base64decode}}").unwrap(), "hello");
        assert_eq!(print(&list["items"][0], "{{.data.pw | base64decode}}").unwrap(), "hello");
        assert_eq!(print(&list["items"][1], "{{.data}}").unwrap(), "<no value>");
        assert_eq!(print(&list, "{{range $i, $p := .items}}{{$i}}={{$p.metadata.name}} {{end}}").unwrap(), "0=a 1=b ");
        assert_eq!(print(&list, "{{range .items}}{{if .data}}{{.metadata.name}}{{else}}-{{end}}{{end}}").unwrap(), "a-");
        assert_eq!(print(&list, "{{len .items}}").unwrap(), "2");
        assert_eq!(print(&list["items"][0], "{{.metadata}}").unwrap(), "map[name:a]");
        assert_eq!(print(&list, "{{range .items}}{{if eq .metadata.name \"b\"}}{{.metadata.name}}{{end}}{{end}}").unwrap(), "b");
    }
}
