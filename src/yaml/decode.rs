//! Reading manifests: a YAML or JSON stream into JSON values, with the errors kubectl prints.
//!
//! kubectl splits a stream into documents on `---` lines (apimachinery's `YAMLReader`), or reads it
//! as a stream of JSON values when it starts with `{`, and converts each YAML document to JSON with
//! sigs.k8s.io/yaml, which uses go-yaml v2: YAML 1.1 scalars (`yes`, `on`, `0x1F`, `017`, `1_000`),
//! merge keys, timestamps kept as strings, non-string map keys turned into strings. Errors read
//! `error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context`
//! with go-yaml's line numbers (scanner errors on the line of the problem, parser errors one
//! line above, no line at all on the first line).

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use thiserror::Error;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct DecodeError {
    /// The whole message after `error parsing <file>: `, e.g.
    /// `error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context`.
    pub message: String,
}

impl DecodeError {
    fn yaml(msg: impl std::fmt::Display) -> Self {
        DecodeError { message: format!("error converting YAML to JSON: yaml: {msg}") }
    }
}

/// Splits a YAML (or JSON) stream into its non-empty documents, each converted to JSON.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, DecodeError> {
    let mut out = Vec::new();
    for doc in documents(text) {
        let v = doc?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(out)
}

/// The documents of a stream one by one, so a caller can act on the good ones before an error
/// in a later one (kubectl's builder visits documents lazily).
pub fn documents(text: &str) -> Vec<Result<Value, DecodeError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        let docs = json_stream(text);
        // apimachinery's YAMLOrJSONDecoder: a JSON syntax error (not a truncated document) makes
        // it read the stream again as YAML, which accepts e.g. trailing commas.
        let syntax_error = docs.iter().any(|d| d.as_ref().is_err_and(|e| e.message != "unexpected EOF"));
        if !syntax_error {
            return docs;
        }
    }
    split_yaml(text).into_iter().map(yaml_to_json).collect()
}

/// A stream of concatenated JSON values (what `kubectl get -o json` output piped back gives).
fn json_stream(text: &str) -> Vec<Result<Value, DecodeError>> {
    let mut out = Vec::new();
    for v in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        match v {
            Ok(v) => out.push(Ok(v)),
            Err(e) => {
                out.push(Err(DecodeError { message: go_json_error(&e) }));
                break;
            }
        }
    }
    out
}

/// serde_json's syntax errors in the words Go's encoding/json uses for the common cases.
fn go_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if e.is_eof() {
        return "unexpected EOF".to_string();
    }
    let base = text.split(" at line ").next().unwrap_or(&text);
    match base {
        "key must be a string" => "invalid character looking for beginning of object key string".into(),
        "expected value" => "invalid character looking for beginning of value".into(),
        "trailing comma" => "invalid character looking for beginning of value".into(),
        _ => base.to_string(),
    }
}

/// apimachinery's `YAMLReader`: a document ends at a line that starts with `---` followed only
/// by whitespace or a comment.
fn split_yaml(text: &str) -> Vec<&str> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                docs.push(&text[start..pos]);
                start = pos + line.len();
            }
        }
        pos += line.len();
    }
    docs.push(&text[start..]);
    docs
}

/// Nodes decoded through aliases may not outgrow the document (go-yaml's `allowedAliasRatio`).
fn allowed_alias_ratio(decoded: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    if decoded <= LOW {
        0.99
    } else if decoded >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decoded - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

/// Hard ceiling on the values one document may expand to, whatever the ratio says.
const MAX_DECODED: u64 = 20_000_000;

enum Frame {
    Seq { items: Vec<Value>, anchor: usize, size: u64 },
    Map { map: Map<String, Value>, key: Option<String>, anchor: usize, size: u64, merges: Vec<Value> },
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, u64)>,
    root: Option<Value>,
    decoded: u64,
    aliased: u64,
}

/// Converts one YAML document to JSON as sigs.k8s.io/yaml does.
pub fn yaml_to_json(doc: &str) -> Result<Value, DecodeError> {
    let mut parser = Parser::new_from_str(doc);
    let mut b = Builder { stack: Vec::new(), anchors: HashMap::new(), root: None, decoded: 0, aliased: 0 };
    let mut docs = 0;
    loop {
        let (ev, mark) = parser.next_token().map_err(|e| scan_error(&e, doc))?;
        match ev {
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::DocumentStart => {
                docs += 1;
                if docs > 1 {
                    // go-yaml's Unmarshal reads the first document only; a stray `...`/`---`
                    // inside a chunk does not add another object.
                    break;
                }
            }
            Event::Alias(id) => {
                let Some((v, size)) = b.anchors.get(&id).cloned() else {
                    return Err(DecodeError::yaml(format!("unknown anchor '{}' referenced", anchor_name(doc, mark))));
                };
                b.decoded += size;
                b.aliased += size;
                if b.decoded > MAX_DECODED
                    || (b.aliased > 100 && b.decoded > 1000 && (b.aliased as f64 / b.decoded as f64) > allowed_alias_ratio(b.decoded))
                {
                    return Err(DecodeError::yaml("document contains excessive aliasing"));
                }
                b.push_value(v, size, 0)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                b.decoded += 1;
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let v = resolve_scalar(&text, style, tag.as_deref())?;
                if let Some(Frame::Map { key: key @ None, .. }) = b.stack.last_mut() {
                    // A key: kept as text (go-yaml keys become strings in JSON).
                    let k = key_string(&v, &text, style);
                    if anchor > 0 {
                        b.anchors.insert(anchor, (v, 1));
                    }
                    *key = Some(k);
                    continue;
                }
                b.push_value(v, 1, anchor)?;
            }
            Event::SequenceStart(anchor, _) => {
                b.decoded += 1;
                b.stack.push(Frame::Seq { items: Vec::new(), anchor, size: 1 });
            }
            Event::MappingStart(anchor, _) => {
                b.decoded += 1;
                b.stack.push(Frame::Map { map: Map::new(), key: None, anchor, size: 1, merges: Vec::new() });
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq { items, anchor, size }) = b.stack.pop() {
                    b.push_value(Value::Array(items), size, anchor)?;
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map { mut map, anchor, size, merges, .. }) = b.stack.pop() {
                    for merged in merges {
                        merge_into(&mut map, merged)?;
                    }
                    b.push_value(Value::Object(map), size, anchor)?;
                }
            }
        }
    }
    Ok(b.root.unwrap_or(Value::Null))
}

impl Builder {
    fn push_value(&mut self, v: Value, size: u64, anchor: usize) -> Result<(), DecodeError> {
        if anchor > 0 {
            self.anchors.insert(anchor, (v.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(v);
                }
            }
            Some(Frame::Seq { items, size: s, .. }) => {
                *s += size;
                items.push(v);
            }
            Some(Frame::Map { map, key, size: s, merges, .. }) => {
                *s += size;
                match key.take() {
                    Some(k) if k == "<<" => match v {
                        Value::Object(_) => merges.push(v),
                        Value::Array(list) => merges.extend(list),
                        _ => return Err(DecodeError::yaml("map merge requires map or sequence of maps as the value")),
                    },
                    Some(k) => {
                        map.insert(k, v);
                    }
                    // A collection used as a key: go-yaml cannot hash it.
                    None => return Err(DecodeError::yaml("invalid map key")),
                }
            }
        }
        Ok(())
    }
}

/// `<<: *base` — keys of the merged maps, unless the mapping sets them itself.
fn merge_into(map: &mut Map<String, Value>, merged: Value) -> Result<(), DecodeError> {
    let Value::Object(m) = merged else {
        return Err(DecodeError::yaml("map merge requires map or sequence of maps as the value"));
    };
    for (k, v) in m {
        map.entry(k).or_insert(v);
    }
    Ok(())
}

fn anchor_name(doc: &str, mark: Marker) -> String {
    let rest: String = doc.chars().skip(mark.index()).collect();
    let rest = rest.trim_start_matches('*');
    rest.chars().take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c)).collect()
}

/// A scanner or parser error in go-yaml's words and with its line numbering.
fn scan_error(e: &ScanError, doc: &str) -> DecodeError {
    let info = e.info();
    let problem = info.rsplit_once(", ").filter(|(ctx, _)| ctx.starts_with("while ")).map_or(info, |(_, p)| p);
    let (problem, parser_error) = match problem {
        "did not find expected key"
        | "did not find expected node content"
        | "did not find expected '-' indicator"
        | "did not find expected ',' or '}'"
        | "did not find expected <document start>"
        | "did not find expected <stream-start>"
        | "found unknown anchor" => (problem.to_string(), true),
        "expected ',' or ']'" => ("did not find expected ',' or ']'".to_string(), true),
        "simple key expect ':'" | "simple key expected" => ("could not find expected ':'".to_string(), false),
        "tab cannot be used as indentation"
        | "tabs disallowed in this context"
        | "tabs disallowed within this context (block indentation)"
        | "found a tab" => ("found character that cannot start any token".to_string(), false),
        "recursion limit exceeded" => ("exceeded max depth of 10000".to_string(), false),
        p if p.starts_with("unexpected character") => ("found character that cannot start any token".to_string(), false),
        "found unexpected end of stream" | "unexpected eof" => ("found unexpected end of stream".to_string(), false),
        "invalid indentation" | "invalid indentation in flow construct" => ("did not find expected key".to_string(), true),
        p => (p.to_string(), false),
    };
    // yaml-rust2 counts lines from 1; go-yaml reports scanner problems on that line and parser
    // problems on the line before, and leaves the line out when it would be 0.
    if problem == "found unknown anchor" {
        return DecodeError::yaml(format!("unknown anchor '{}' referenced", anchor_name(doc, *e.marker())));
    }
    // An unterminated scalar is reported where the input ends.
    let line0 = if problem == "found unexpected end of stream" { doc.matches('\n').count() } else { e.marker().line().saturating_sub(1) };
    if line0 == 0 {
        return DecodeError::yaml(problem);
    }
    let shown = if parser_error { line0 } else { line0 + 1 };
    DecodeError::yaml(format!("line {shown}: {problem}"))
}

/// A key as sigs.k8s.io/yaml writes it into JSON.
fn key_string(v: &Value, text: &str, style: TScalarStyle) -> String {
    if style != TScalarStyle::Plain {
        return text.to_string();
    }
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        _ => text.to_string(),
    }
}

/// Resolves a scalar the way go-yaml v2 does for `interface{}` targets.
fn resolve_scalar(text: &str, style: TScalarStyle, tag: Option<&str>) -> Result<Value, DecodeError> {
    match tag {
        Some("!!str" | "tag:yaml.org,2002:str") => return Ok(Value::String(text.to_string())),
        Some("!!binary" | "tag:yaml.org,2002:binary") => return Ok(Value::String(text.to_string())),
        Some(
            t @ ("!!int"
            | "!!float"
            | "!!bool"
            | "!!null"
            | "tag:yaml.org,2002:int"
            | "tag:yaml.org,2002:float"
            | "tag:yaml.org,2002:bool"
            | "tag:yaml.org,2002:null"),
        ) => {
            let v = resolve_plain(text)?;
            let want = t.rsplit([':', '!']).next().unwrap_or_default();
            let ok = match (want, &v) {
                ("int", Value::Number(n)) => !n.is_f64(),
                ("float", Value::Number(_)) | ("bool", Value::Bool(_)) | ("null", Value::Null) => true,
                _ => false,
            };
            if !ok {
                return Err(DecodeError::yaml(format!("cannot decode !!str `{text}` as a !!{want}")));
            }
            return Ok(v);
        }
        _ => {}
    }
    if style != TScalarStyle::Plain {
        return Ok(Value::String(text.to_string()));
    }
    resolve_plain(text)
}

fn resolve_plain(text: &str) -> Result<Value, DecodeError> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        ".nan" | ".NaN" | ".NAN" => return Err(DecodeError { message: "json: unsupported value: NaN".into() }),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Err(DecodeError { message: "json: unsupported value: +Inf".into() });
        }
        "-.inf" | "-.Inf" | "-.INF" => return Err(DecodeError { message: "json: unsupported value: -Inf".into() }),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if first.is_ascii_digit() || first == b'+' || first == b'-' {
        if looks_like_timestamp(text) {
            return Ok(Value::String(text.to_string()));
        }
        let plain: String = text.chars().filter(|&c| c != '_').collect();
        if let Some(i) = go_parse_int(&plain) {
            return Ok(Value::Number(Number::from(i)));
        }
        if let Some(u) = go_parse_uint(&plain) {
            return Ok(Value::Number(Number::from(u)));
        }
        if is_yaml_float(&plain)
            && let Ok(f) = plain.parse::<f64>()
        {
            return Ok(float_value(f));
        }
        if let Some(bits) = plain.strip_prefix("0b")
            && let Ok(i) = i64::from_str_radix(bits, 2)
        {
            return Ok(Value::Number(Number::from(i)));
        }
        if let Some(bits) = plain.strip_prefix("-0b")
            && let Ok(i) = i64::from_str_radix(bits, 2)
        {
            return Ok(Value::Number(Number::from(-i)));
        }
    } else if first == b'.'
        && is_yaml_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return Ok(float_value(f));
    }
    Ok(Value::String(text.to_string()))
}

/// JSON has one number type: Go marshals an integral float64 without a fraction, and kubectl's
/// unstructured decoder reads it back as an integer.
fn float_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e21 && f.abs() <= i64::MAX as f64 {
        return Value::Number(Number::from(f as i64));
    }
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// go-yaml's float syntax, shared with the emitter (which quotes strings that would read as one).
fn is_yaml_float(s: &str) -> bool {
    super::emit::is_yaml_style_float(s)
}

/// Go's `strconv.ParseInt(s, 0, 64)`: sign, then `0x`, `0o`, `0b` or a leading `0` for octal.
fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_unsigned_base0(body)?;
    if neg { if u <= i64::MAX as u64 + 1 { Some((u as i128).wrapping_neg() as i64) } else { None } } else { i64::try_from(u).ok() }
}

fn go_parse_uint(s: &str) -> Option<u64> {
    parse_unsigned_base0(s.strip_prefix('+').unwrap_or(s))
}

fn parse_unsigned_base0(body: &str) -> Option<u64> {
    if body.is_empty() {
        return None;
    }
    let (radix, digits) = if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (8, r)
    } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (2, r)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// go-yaml's timestamp layouts (`2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00`, ...): such
/// scalars stay strings when decoded into `interface{}`.
fn looks_like_timestamp(s: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]| +)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?(Z|[-+][0-9]{1,2}(:[0-9]{2})?)?)?$",
        )
        .expect("static regex")
    });
    re.is_match(s)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn err(text: &str) -> String {
        parse_documents(text).unwrap_err().message
    }

    #[test]
    fn yaml_1_1_scalars() {
        let v = parse_documents(
            "a: yes\nb: on\nc: 'yes'\nd: 0x1F\ne: 017\nf: 1_000\ng: 1.0\nh: 1.5\ni: ~\nj: 2024-01-01\nk: 08\nl: .5\nm: -3\nnn: 12:30\n",
        )
        .unwrap();
        assert_eq!(
            v[0],
            json!({"a": true, "b": true, "c": "yes", "d": 31, "e": 15, "f": 1000, "g": 1, "h": 1.5, "i": null, "j": "2024-01-01", "k": 8, "l": 0.5, "m": -3, "nn": "12:30"})
        );
    }

    #[test]
    fn keys_become_strings_and_merge_keys_work() {
        let v = parse_documents("base: &b {x: 1, z: 2}\nm:\n  <<: *b\n  z: 3\n1: one\ntrue: t\n").unwrap();
        assert_eq!(v[0], json!({"base": {"x": 1, "z": 2}, "m": {"z": 3, "x": 1}, "1": "one", "true": "t"}));
    }

    #[test]
    fn multi_document_streams_skip_empty_documents() {
        let v = parse_documents("---\na: 1\n---\n\n--- # comment\nb: 2\n...\n").unwrap();
        assert_eq!(v, vec![json!({"a": 1}), json!({"b": 2})]);
    }

    #[test]
    fn json_with_a_syntax_error_is_read_as_yaml() {
        // kubectl v1.35.2 creates configmap/x from this file.
        let v = parse_documents("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x\",}}").unwrap();
        assert_eq!(v[0]["metadata"]["name"], "x");
        assert_eq!(parse_documents("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"\n").unwrap_err().message, "unexpected EOF");
    }

    #[test]
    fn json_streams() {
        let v = parse_documents("{\"a\": 1}\n{\"b\": [1, 2]}").unwrap();
        assert_eq!(v, vec![json!({"a": 1}), json!({"b": [1, 2]})]);
    }

    // Expected texts captured from kubectl v1.35.2 (`create -f FILE --validate=false`).
    #[test]
    fn errors_read_like_go_yaml() {
        assert_eq!(
            err("apiVersion: v1\nkind: Pod\nmetadata: name: x\n"),
            "error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context"
        );
        assert_eq!(
            err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n spec: 1\n"),
            "error converting YAML to JSON: yaml: line 4: did not find expected key"
        );
        assert_eq!(
            err("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n"),
            "error converting YAML to JSON: yaml: line 4: found character that cannot start any token"
        );
        assert_eq!(
            err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"x\n"),
            "error converting YAML to JSON: yaml: line 5: found unexpected end of stream"
        );
        assert_eq!(
            err("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: b\n   ports: 1\n"),
            "error converting YAML to JSON: yaml: line 6: did not find expected key"
        );
        assert_eq!(
            err("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n  image: b\n  - name: c\n"),
            "error converting YAML to JSON: yaml: line 6: did not find expected key"
        );
        assert_eq!(err("a: b: c\n"), "error converting YAML to JSON: yaml: mapping values are not allowed in this context");
        assert_eq!(err("a: [1, 2\n"), "error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'");
        assert_eq!(err("a: {x: 1\nb: 2\n"), "error converting YAML to JSON: yaml: line 1: did not find expected ',' or '}'");
        assert_eq!(
            err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    app: web\n   tier: x\n"),
            "error converting YAML to JSON: yaml: line 6: did not find expected key"
        );
        assert_eq!(err("x: &a [1,2]\ny: *b\n"), "error converting YAML to JSON: yaml: unknown anchor 'b' referenced");
        assert_eq!(
            err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n    labels: 1\n"),
            "error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context"
        );
        assert_eq!(
            err("key: value\n  other: x\n"),
            "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
        );
        assert_eq!(err("- a\nb: c\n"), "error converting YAML to JSON: yaml: line 1: did not find expected '-' indicator");
        assert_eq!(err("data:\n  a: \"\\q\"\n"), "error converting YAML to JSON: yaml: line 2: found unknown escape character");
        // line numbers count from the start of each `---` document
        assert_eq!(
            err("a: 1\n---\nb: 2\nc: d: e\n"),
            "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            doc.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let start = std::time::Instant::now();
        assert_eq!(err(&doc), "error converting YAML to JSON: yaml: document contains excessive aliasing");
        assert!(start.elapsed().as_secs() < 5);
        // a few legitimate aliases are fine
        assert!(parse_documents("a: &x {k: v}\nb: *x\nc: *x\n").is_ok());
    }

    #[test]
    fn large_manifests_load() {
        let mut doc = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
        let mut i = 0;
        while doc.len() < 10 * 1024 * 1024 {
            doc.push_str(&format!("  key{i}: \"{}\"\n", "x".repeat(200)));
            i += 1;
        }
        let v = parse_documents(&doc).unwrap();
        assert_eq!(v[0]["data"].as_object().map(Map::len), Some(i));
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("a: {}{}", "[".repeat(200_000), "]".repeat(200_000));
        assert!(parse_documents(&deep).is_err());
        let deep_block: String = (0..5000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        let _ = parse_documents(&deep_block);
        let json_deep = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
        assert!(parse_documents(&json_deep).is_err());
    }
}

#[cfg(test)]
mod fuzzish {
    #[test]
    fn random_inputs_never_panic() {
        let alphabet: Vec<char> = "ab:- \n\t[]{},&*!|>'\"#%@`?.0123\\".chars().collect();
        let mut state: u64 = 0x1234_5678;
        for _ in 0..20_000 {
            let len = (state % 40) as usize;
            let mut s = String::new();
            for _ in 0..len {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                s.push(alphabet[(state >> 33) as usize % alphabet.len()]);
            }
            state = state.wrapping_add(7);
            let _ = super::parse_documents(&s);
        }
    }
}
