//! Label and field selectors (`-l app=web,tier in (a,b),!canary`, `--field-selector
//! status.phase=Running`), parsed and matched as apimachinery's `labels` and `fields` packages do,
//! with their error texts (the API server returns them verbatim in a BadRequest Status).

use std::collections::BTreeMap;

use serde_json::Value;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct SelectorError(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    In,
    NotIn,
    Equals,
    DoubleEquals,
    NotEquals,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// One requirement of a label selector (`labels.Requirement`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub op: Op,
    /// Sorted and de-duplicated, as apimachinery's string set keeps them.
    pub values: Vec<String>,
}

impl Requirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let got = labels.get(&self.key);
        match self.op {
            Op::In | Op::Equals | Op::DoubleEquals => got.is_some_and(|v| self.values.contains(v)),
            Op::NotIn | Op::NotEquals => got.is_none_or(|v| !self.values.contains(v)),
            Op::Exists => got.is_some(),
            Op::DoesNotExist => got.is_none(),
            Op::GreaterThan | Op::LessThan => {
                let (Some(v), Some(want)) =
                    (got.and_then(|v| v.parse::<i64>().ok()), self.values.first().and_then(|w| w.parse::<i64>().ok()))
                else {
                    return false;
                };
                if self.op == Op::GreaterThan { v > want } else { v < want }
            }
        }
    }
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.op == Op::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let op = match self.op {
            Op::Equals => "=",
            Op::DoubleEquals => "==",
            Op::NotEquals => "!=",
            Op::In => " in ",
            Op::NotIn => " notin ",
            Op::GreaterThan => ">",
            Op::LessThan => "<",
            Op::Exists | Op::DoesNotExist => return Ok(()),
        };
        f.write_str(op)?;
        let set = matches!(self.op, Op::In | Op::NotIn);
        if set {
            f.write_str("(")?;
        }
        f.write_str(&self.values.join(","))?;
        if set {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A parsed label selector: every requirement must match. Empty matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
}

impl LabelSelector {
    /// `labels.Parse`.
    pub fn parse(text: &str) -> Result<Self, SelectorError> {
        let tokens = lex(text);
        let mut p = Parser { tokens, pos: 0 };
        let mut reqs = p.parse()?;
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector { requirements: reqs })
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// Whether an object's `metadata.labels` match.
    pub fn matches_object(&self, obj: &Value) -> bool {
        // The empty selector matches everything: no need to collect the labels.
        self.requirements.is_empty() || self.matches(&labels_of(obj))
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }
}

impl std::fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.requirements.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join(","))
    }
}

/// An object's labels as a sorted map.
pub fn labels_of(obj: &Value) -> BTreeMap<String, String> {
    string_map(obj.pointer("/metadata/labels"))
}

/// A JSON string map (`labels`, `nodeSelector`, `matchLabels`) as a sorted map.
pub fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string))).collect())
        .unwrap_or_default()
}

/// `labels.FormatLabels`: `k=v` sorted by key, comma-joined; `<none>` when empty.
pub fn format_labels(map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return "<none>".into();
    }
    map.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// A `metav1.LabelSelector` object (`matchLabels`, `matchExpressions`) converted to a selector,
/// as `metav1.LabelSelectorAsSelector` does. `None` for a nil selector.
pub fn from_label_selector_object(sel: &Value) -> LabelSelector {
    let mut reqs = Vec::new();
    for (k, v) in string_map(sel.get("matchLabels")) {
        reqs.push(Requirement { key: k, op: Op::Equals, values: vec![v] });
    }
    for expr in sel.get("matchExpressions").and_then(Value::as_array).into_iter().flatten() {
        let key = expr.get("key").and_then(Value::as_str).unwrap_or_default().to_string();
        let mut values: Vec<String> =
            expr.get("values").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect();
        values.sort();
        values.dedup();
        let op = match expr.get("operator").and_then(Value::as_str).unwrap_or_default() {
            "In" => Op::In,
            "NotIn" => Op::NotIn,
            "Exists" => Op::Exists,
            _ => Op::DoesNotExist,
        };
        reqs.push(Requirement { key, op, values });
    }
    reqs.sort_by(|a, b| a.key.cmp(&b.key));
    LabelSelector { requirements: reqs }
}

/// `metav1.FormatLabelSelector`: the selector's string, `<none>` for an empty or nil one.
pub fn format_label_selector(sel: Option<&Value>) -> String {
    match sel {
        None | Some(Value::Null) => "<none>".into(),
        Some(s) => {
            let text = from_label_selector_object(s).to_string();
            if text.is_empty() { "<none>".into() } else { text }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Error(String),
    End,
    ClosedPar,
    Comma,
    Not,
    DoubleEquals,
    Equals,
    Greater,
    Ident(String),
    In,
    Less,
    NotEquals,
    NotIn,
    OpenPar,
}

impl Tok {
    fn literal(&self) -> String {
        match self {
            Tok::Error(s) | Tok::Ident(s) => s.clone(),
            Tok::End => String::new(),
            Tok::ClosedPar => ")".into(),
            Tok::Comma => ",".into(),
            Tok::Not => "!".into(),
            Tok::DoubleEquals => "==".into(),
            Tok::Equals => "=".into(),
            Tok::Greater => ">".into(),
            Tok::In => "in".into(),
            Tok::Less => "<".into(),
            Tok::NotEquals => "!=".into(),
            Tok::NotIn => "notin".into(),
            Tok::OpenPar => "(".into(),
        }
    }

    /// In a value context `in` and `notin` are plain identifiers.
    fn as_value(&self) -> Tok {
        match self {
            Tok::In | Tok::NotIn => Tok::Ident(self.literal()),
            t => t.clone(),
        }
    }
}

fn keyword(s: &str) -> Option<Tok> {
    Some(match s {
        ")" => Tok::ClosedPar,
        "," => Tok::Comma,
        "!" => Tok::Not,
        "==" => Tok::DoubleEquals,
        "=" => Tok::Equals,
        ">" => Tok::Greater,
        "in" => Tok::In,
        "<" => Tok::Less,
        "!=" => Tok::NotEquals,
        "notin" => Tok::NotIn,
        "(" => Tok::OpenPar,
        _ => return None,
    })
}

fn is_special(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn lex(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    loop {
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            out.push(Tok::End);
            return out;
        }
        if is_special(b[i]) {
            let mut buf = String::new();
            let mut last: Option<Tok> = None;
            while i < b.len() && is_special(b[i]) {
                buf.push(b[i] as char);
                if let Some(t) = keyword(&buf) {
                    last = Some(t);
                    i += 1;
                } else if last.is_some() {
                    break;
                } else {
                    i += 1;
                }
            }
            match last {
                Some(t) => out.push(t),
                None => out.push(Tok::Error(format!("error expected: keyword found '{buf}'"))),
            }
        } else {
            let start = i;
            while i < b.len() && !is_special(b[i]) && !is_space(b[i]) {
                i += 1;
            }
            let s = String::from_utf8_lossy(&b[start..i]).into_owned();
            out.push(keyword(&s).unwrap_or(Tok::Ident(s)));
        }
    }
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Tok {
        self.tokens.get(self.pos).cloned().unwrap_or(Tok::End).as_value()
    }

    fn peek_raw(&self) -> Tok {
        self.tokens.get(self.pos).cloned().unwrap_or(Tok::End)
    }

    fn next_value(&mut self) -> Tok {
        let t = self.peek();
        self.pos += 1;
        t
    }

    fn next_raw(&mut self) -> Tok {
        let t = self.peek_raw();
        self.pos += 1;
        t
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, SelectorError> {
        let mut reqs = Vec::new();
        loop {
            match self.peek() {
                Tok::Ident(_) | Tok::Not => {
                    let r = self.requirement().map_err(|e| SelectorError(format!("unable to parse requirement: {e}")))?;
                    reqs.push(r);
                    match self.next_value() {
                        Tok::End => return Ok(reqs),
                        Tok::Comma => {
                            let t = self.peek();
                            if !matches!(t, Tok::Ident(_) | Tok::Not) {
                                return Err(SelectorError(format!("found '{}', expected: identifier after ','", t.literal())));
                            }
                        }
                        t => return Err(SelectorError(format!("found '{}', expected: ',' or 'end of string'", t.literal()))),
                    }
                }
                Tok::End => return Ok(reqs),
                t => return Err(SelectorError(format!("found '{}', expected: !, identifier, or 'end of string'", t.literal()))),
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let mut op = None;
        let mut tok = self.next_value();
        if tok == Tok::Not {
            op = Some(Op::DoesNotExist);
            tok = self.next_value();
        }
        let Tok::Ident(key) = tok else {
            return Err(format!("found '{}', expected: identifier", tok.literal()));
        };
        if let Some(e) = validate_key(&key) {
            return Err(format!("<nil>: Invalid value: {}: {e}", go_quote(&key)));
        }
        // `!key` never takes an operator: whatever follows is the caller's problem.
        if op == Some(Op::DoesNotExist) || matches!(self.peek(), Tok::End | Tok::Comma) {
            return new_requirement(key, op.unwrap_or(Op::Exists), Vec::new());
        }
        let op = match self.next_raw() {
            Tok::In => Op::In,
            Tok::Equals => Op::Equals,
            Tok::DoubleEquals => Op::DoubleEquals,
            Tok::Greater => Op::GreaterThan,
            Tok::Less => Op::LessThan,
            Tok::NotIn => Op::NotIn,
            Tok::NotEquals => Op::NotEquals,
            t => return Err(format!("found '{}', expected: in, notin, =, ==, !=, gt, lt", t.literal())),
        };
        let values = match op {
            Op::In | Op::NotIn => self.set_values()?,
            _ => self.exact_value()?,
        };
        new_requirement(key, op, values)
    }

    fn set_values(&mut self) -> Result<Vec<String>, String> {
        let t = self.next_value();
        if t != Tok::OpenPar {
            return Err(format!("found '{}' expected: '('", t.literal()));
        }
        let look = self.peek();
        match look {
            Tok::Ident(_) | Tok::Comma => {
                let set = self.identifiers()?;
                if self.next_value() != Tok::ClosedPar {
                    return Err(format!("found '{}', expected: ')'", look.literal()));
                }
                Ok(set)
            }
            Tok::ClosedPar => {
                self.next_value();
                Ok(vec![String::new()])
            }
            t => Err(format!("found '{}', expected: ',', ')' or identifier", t.literal())),
        }
    }

    fn identifiers(&mut self) -> Result<Vec<String>, String> {
        let mut set: Vec<String> = Vec::new();
        let insert = |set: &mut Vec<String>, s: String| {
            if !set.contains(&s) {
                set.push(s);
            }
        };
        loop {
            match self.next_value() {
                Tok::Ident(s) => {
                    insert(&mut set, s);
                    match self.peek() {
                        Tok::Comma => continue,
                        Tok::ClosedPar => break,
                        t => return Err(format!("found '{}', expected: ',' or ')'", t.literal())),
                    }
                }
                Tok::Comma => {
                    if set.is_empty() {
                        insert(&mut set, String::new());
                    }
                    match self.peek() {
                        Tok::ClosedPar => {
                            insert(&mut set, String::new());
                            break;
                        }
                        Tok::Comma => {
                            self.next_value();
                            insert(&mut set, String::new());
                        }
                        _ => {}
                    }
                }
                t => return Err(format!("found '{}', expected: ',', or identifier", t.literal())),
            }
        }
        set.sort();
        Ok(set)
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        if matches!(self.peek(), Tok::End | Tok::Comma) {
            return Ok(vec![String::new()]);
        }
        match self.next_value() {
            Tok::Ident(s) => Ok(vec![s]),
            t => Err(format!("found '{}', expected: identifier", t.literal())),
        }
    }
}

/// `labels.NewRequirement`'s checks, with field paths as it names them.
fn new_requirement(key: String, op: Op, values: Vec<String>) -> Result<Requirement, String> {
    let mut errs = Vec::new();
    if let Some(e) = validate_key(&key) {
        errs.push(format!("key: Invalid value: {}: {e}", go_quote(&key)));
    }
    if matches!(op, Op::GreaterThan | Op::LessThan) {
        for (i, v) in values.iter().enumerate() {
            if v.parse::<i64>().is_err() {
                errs.push(format!("values[{i}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer", go_quote(v)));
            }
        }
    }
    for (i, v) in values.iter().enumerate() {
        if let Some(e) = validate_label_value(v) {
            errs.push(format!("values[{i}][{key}]: Invalid value: {}: {e}", go_quote(v)));
        }
    }
    match errs.len() {
        0 => Ok(Requirement { key, op, values }),
        1 => Err(errs.remove(0)),
        _ => Err(format!("[{}]", errs.join(", "))),
    }
}

fn go_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let mut s = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            s.push_str(" or ");
        }
        s.push_str(&format!("'{e}', "));
    }
    s.push_str(&format!("regex used for validation is '{fmt}')"));
    s
}

const QNAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QNAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

fn is_qname_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
                && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// `validation.IsQualifiedName`, its messages joined with `; `.
pub fn validate_key(key: &str) -> Option<String> {
    let parts: Vec<&str> = key.split('/').collect();
    let mut errs = Vec::new();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else if prefix.len() > 253 {
                errs.push("prefix part must be no more than 253 characters".to_string());
            } else if !is_dns1123_subdomain(prefix) {
                errs.push(format!(
                    "prefix part {}",
                    regex_error(
                        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                        "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
                        &["example.com"]
                    )
                ));
            }
            *name
        }
        _ => {
            return Some(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QNAME_MSG, QNAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".into());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".into());
    } else if !is_qname_part(name) {
        errs.push(format!("name part {}", regex_error(QNAME_MSG, QNAME_FMT, &["MyName", "my.name", "123-abc"])));
    }
    if errs.is_empty() { None } else { Some(errs.join("; ")) }
}

/// `validation.IsValidLabelValue`.
pub fn validate_label_value(v: &str) -> Option<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !v.is_empty() && !is_qname_part(v) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?",
            &["MyValue", "my_value", "12345"],
        ));
    }
    if errs.is_empty() { None } else { Some(errs.join("; ")) }
}

/// The label and field selectors of a list request, checked against the resource.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl ListFilter {
    /// Parses `ListOptions` selectors; the error is the message of the API server's BadRequest.
    pub fn from_options(res: &crate::cluster::ResourceInfo, opts: &crate::cluster::ListOptions) -> Result<Self, String> {
        let labels = LabelSelector::parse(opts.label_selector.as_deref().unwrap_or_default()).map_err(|e| e.0)?;
        let fields = FieldSelector::parse(opts.field_selector.as_deref().unwrap_or_default()).map_err(|e| e.0)?;
        fields.check_supported(&res.group, &res.name).map_err(|e| e.0)?;
        Ok(ListFilter { labels, fields })
    }

    pub fn matches(&self, obj: &Value) -> bool {
        self.labels.matches_object(obj) && self.fields.matches(obj)
    }
}

/// One term of a field selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTerm {
    pub field: String,
    pub negate: bool,
    pub value: String,
}

/// A parsed field selector (`fields.ParseSelector`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector {
    pub terms: Vec<FieldTerm>,
}

impl FieldSelector {
    pub fn parse(text: &str) -> Result<Self, SelectorError> {
        let mut terms = Vec::new();
        for term in split_terms(text) {
            if term.is_empty() {
                continue;
            }
            let Some((lhs, op, rhs)) = split_term(&term) else {
                return Err(SelectorError(format!("invalid selector: '{text}'; can't understand '{term}'")));
            };
            let value = unescape(rhs).map_err(SelectorError)?;
            terms.push(FieldTerm { field: lhs.to_string(), negate: op == "!=", value });
        }
        Ok(FieldSelector { terms })
    }

    /// Checks every field against what the resource supports, as the API server's field label
    /// conversion does, and returns the error it answers with.
    pub fn check_supported(&self, group: &str, resource: &str) -> Result<(), SelectorError> {
        for t in &self.terms {
            match supported_fields(group, resource) {
                Some(fields) => {
                    if !fields.contains(&t.field.as_str()) {
                        return Err(SelectorError(format!("field label not supported: {}", t.field)));
                    }
                }
                None => {
                    if t.field != "metadata.name" && t.field != "metadata.namespace" {
                        return Err(SelectorError(format!(
                            "\"{}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
                            t.field
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn matches(&self, obj: &Value) -> bool {
        self.terms.iter().all(|t| {
            let got = field_value(obj, &t.field);
            (got == t.value) != t.negate
        })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// The fields a resource can be selected by (its `GetAttrs` / field label conversion), or `None`
/// for resources with only the default `metadata.name` / `metadata.namespace`.
fn supported_fields(group: &str, resource: &str) -> Option<&'static [&'static str]> {
    Some(match (group, resource) {
        ("", "pods") => &[
            "metadata.name",
            "metadata.namespace",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        ("", "events") => &[
            "metadata.name",
            "metadata.namespace",
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        ("", "namespaces") => &["metadata.name", "status.phase"],
        ("", "nodes") => &["metadata.name", "spec.unschedulable"],
        ("", "secrets") => &["metadata.name", "metadata.namespace", "type"],
        ("", "services") => &["metadata.name", "metadata.namespace", "spec.clusterIP", "spec.type"],
        ("", "replicationcontrollers") => &["metadata.name", "metadata.namespace", "status.replicas"],
        ("", "persistentvolumeclaims") => &["metadata.name", "metadata.namespace"],
        ("apps", "replicasets") => &["metadata.name", "metadata.namespace", "status.replicas"],
        ("batch", "jobs") => &["metadata.name", "metadata.namespace", "status.successful"],
        ("certificates.k8s.io", "certificatesigningrequests") => &["metadata.name", "spec.signerName"],
        _ => return None,
    })
}

/// The string a field selector compares for `field` of `obj`.
fn field_value(obj: &Value, field: &str) -> String {
    let v = match field {
        "status.podIPs" => obj.pointer("/status/podIPs/0/ip").cloned(),
        "source" => obj.pointer("/source/component").cloned(),
        _ => {
            let ptr = format!("/{}", field.replace('.', "/"));
            obj.pointer(&ptr).cloned()
        }
    };
    match v {
        Some(Value::String(s)) => s,
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => match field {
            "spec.hostNetwork" | "spec.unschedulable" => "false".into(),
            "status.replicas" | "status.successful" => "0".into(),
            _ => String::new(),
        },
    }
}

/// Splits on commas not escaped with a backslash.
fn split_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            cur.push(c);
            escaped = true;
        } else if c == ',' {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

fn split_term(term: &str) -> Option<(&str, &'static str, &str)> {
    let mut escaped = false;
    for (i, c) in term.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        for op in ["!=", "==", "="] {
            if term[i..].starts_with(op) {
                return Some((&term[..i], op, &term[i + op.len()..]));
            }
        }
    }
    None
}

fn unescape(v: &str) -> Result<String, String> {
    if !v.contains(['\\', '=', ',']) {
        return Ok(v.to_string());
    }
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('\\' | ',' | '=')) => out.push(e),
                _ => return Err(format!("invalid field selector: invalid escape sequence: {v}")),
            },
            ',' | '=' => return Err(format!("invalid field selector: unescaped {c}: {v}")),
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn parses_and_matches_set_based_selectors() {
        let s = LabelSelector::parse("tier in (b,a), app=web,!canary,env").unwrap();
        assert_eq!(s.to_string(), "app=web,!canary,env,tier in (a,b)");
        assert!(s.matches(&labels(&[("app", "web"), ("tier", "a"), ("env", "x")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("tier", "a"), ("env", "x"), ("canary", "")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("tier", "c"), ("env", "x")])));
        let n = LabelSelector::parse("app!=web,tier notin (a)").unwrap();
        assert!(n.matches(&labels(&[])));
        assert!(!n.matches(&labels(&[("app", "web")])));
        assert!(LabelSelector::parse("app==web").unwrap().matches(&labels(&[("app", "web")])));
        assert!(LabelSelector::parse("a=").unwrap().matches(&labels(&[("a", "")])));
        assert!(LabelSelector::parse("").unwrap().is_empty());
    }

    #[test]
    fn apimachinery_parse_errors() {
        let e = |s: &str| LabelSelector::parse(s).unwrap_err().to_string();
        assert_eq!(e("a b"), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
        assert_eq!(e("!a=b"), "found '=', expected: ',' or 'end of string'");
        assert_eq!(e("=b"), "found '=', expected: !, identifier, or 'end of string'");
        assert_eq!(e("a in b"), "unable to parse requirement: found 'b' expected: '('");
        assert_eq!(e("a,"), "found '', expected: identifier after ','");
        assert_eq!(
            e("a+b=c"),
            "unable to parse requirement: <nil>: Invalid value: \"a+b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        );
        assert!(e("a=b c").starts_with("found 'c'"));
        assert!(e("a=-x").contains("values[0][a]: Invalid value: \"-x\": a valid label must be an empty string"));
    }

    #[test]
    fn field_selectors() {
        let pod = serde_json::json!({"metadata": {"name": "x", "namespace": "default"}, "spec": {"nodeName": "node01"}, "status": {"phase": "Running"}});
        let s = FieldSelector::parse("status.phase=Running,spec.nodeName!=node02").unwrap();
        assert!(s.matches(&pod));
        assert!(s.check_supported("", "pods").is_ok());
        assert!(!FieldSelector::parse("metadata.name==y").unwrap().matches(&pod));
        assert_eq!(FieldSelector::parse("a").unwrap_err().to_string(), "invalid selector: 'a'; can't understand 'a'");
        assert_eq!(FieldSelector::parse("métadata.name=é").unwrap().terms[0].value, "é");
        assert_eq!(
            FieldSelector::parse("spec.foo=1").unwrap().check_supported("", "pods").unwrap_err().to_string(),
            "field label not supported: spec.foo"
        );
        assert_eq!(
            FieldSelector::parse("spec.replicas=1").unwrap().check_supported("apps", "deployments").unwrap_err().to_string(),
            "\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
    }

    #[test]
    fn formats_selector_objects() {
        let sel = serde_json::json!({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}]});
        assert_eq!(format_label_selector(Some(&sel)), "app=web,tier in (a,b)");
        assert_eq!(format_label_selector(Some(&serde_json::json!({}))), "<none>");
    }
}
