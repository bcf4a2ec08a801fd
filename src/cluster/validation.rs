//! Field-level validation helpers shared by every kind: the name and label validators of
//! apimachinery (`pkg/util/validation`, messages verbatim as of v1.34+) and constructors for
//! `field.Error`s, rendered as the API server renders them (`Invalid value: "x": detail`,
//! `Required value`, `Unsupported value: "a": supported values: "b", "c"`).

use serde_json::Value;

use super::Cause;

pub const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
pub const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
pub const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
pub const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
pub const QUALIFIED_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/// How a kind's `metadata.name` is validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    Subdomain,
    Label,
    Dns1035,
    /// RBAC names and a few others: only `/`, `%` and `.`/`..` are refused (path segment names).
    PathSegment,
}

/// Go's `%v`-like rendering of a field value since v1.34 (PR #132314): strings quoted, numbers and
/// bools bare, objects and lists as JSON.
pub fn render_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}").replace("\\'", "'"),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

pub fn required(field: &str, detail: &str) -> Cause {
    let message = if detail.is_empty() { "Required value".to_string() } else { format!("Required value: {detail}") };
    Cause { kind: "FieldValueRequired".into(), message, field: field.into() }
}

pub fn invalid(field: &str, value: &Value, detail: &str) -> Cause {
    let message = if detail.is_empty() {
        format!("Invalid value: {}", render_value(value))
    } else {
        format!("Invalid value: {}: {detail}", render_value(value))
    };
    Cause { kind: "FieldValueInvalid".into(), message, field: field.into() }
}

pub fn not_supported(field: &str, value: &Value, supported: &[&str]) -> Cause {
    let list: Vec<String> = supported.iter().map(|s| format!("\"{s}\"")).collect();
    Cause {
        kind: "FieldValueNotSupported".into(),
        message: format!("Unsupported value: {}: supported values: {}", render_value(value), list.join(", ")),
        field: field.into(),
    }
}

pub fn duplicate(field: &str, value: &Value) -> Cause {
    Cause { kind: "FieldValueDuplicate".into(), message: format!("Duplicate value: {}", render_value(value)), field: field.into() }
}

pub fn not_found(field: &str, value: &Value) -> Cause {
    Cause { kind: "FieldValueNotFound".into(), message: format!("Not found: {}", render_value(value)), field: field.into() }
}

pub fn forbidden(field: &str, detail: &str) -> Cause {
    Cause { kind: "FieldValueForbidden".into(), message: format!("Forbidden: {detail}"), field: field.into() }
}

pub fn immutable(field: &str, value: &Value) -> Cause {
    invalid(field, value, "field is immutable")
}

fn is_alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

pub fn is_dns1123_label(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| is_alnum_lower(c) || c == '-') && s.starts_with(is_alnum_lower) && s.ends_with(is_alnum_lower)
}

pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(is_dns1123_label)
}

pub fn is_dns1035_label(s: &str) -> bool {
    is_dns1123_label(s) && s.starts_with(|c: char| c.is_ascii_lowercase())
}

/// The causes of a bad DNS-1123 label at `field` (length and shape).
pub fn check_label(field: &str, s: &str) -> Vec<Cause> {
    let mut out = Vec::new();
    let v = Value::String(s.to_string());
    if s.len() > 63 {
        out.push(invalid(field, &v, "must be no more than 63 characters"));
    }
    if !is_dns1123_label(s) {
        out.push(invalid(field, &v, DNS1123_LABEL_MSG));
    }
    out
}

pub fn check_subdomain(field: &str, s: &str) -> Vec<Cause> {
    let mut out = Vec::new();
    let v = Value::String(s.to_string());
    if s.len() > 253 {
        out.push(invalid(field, &v, "must be no more than 253 characters"));
    }
    if !is_dns1123_subdomain(s) {
        out.push(invalid(field, &v, DNS1123_SUBDOMAIN_MSG));
    }
    out
}

pub fn check_dns1035(field: &str, s: &str) -> Vec<Cause> {
    let mut out = Vec::new();
    let v = Value::String(s.to_string());
    if s.len() > 63 {
        out.push(invalid(field, &v, "must be no more than 63 characters"));
    }
    if !is_dns1035_label(s) {
        out.push(invalid(field, &v, DNS1035_LABEL_MSG));
    }
    out
}

pub fn check_name(rule: NameRule, s: &str) -> Vec<Cause> {
    let field = "metadata.name";
    match rule {
        NameRule::Subdomain => check_subdomain(field, s),
        NameRule::Label => check_label(field, s),
        NameRule::Dns1035 => check_dns1035(field, s),
        NameRule::PathSegment => {
            let v = Value::String(s.to_string());
            if s == "." || s == ".." {
                vec![invalid(field, &v, &format!("may not be '{s}'"))]
            } else if let Some(bad) = ["/", "%"].iter().find(|b| s.contains(**b)) {
                vec![invalid(field, &v, &format!("may not contain '{bad}'"))]
            } else {
                Vec::new()
            }
        }
    }
}

fn is_qualified_name_part(s: &str) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| alnum(c) || c == '-' || c == '_' || c == '.')
        && s.starts_with(alnum)
        && s.ends_with(alnum)
}

/// Label keys and values (`metadata.labels`, selectors), as `ValidateLabels` reports them.
pub fn check_labels(field: &str, labels: Option<&Value>) -> Vec<Cause> {
    let mut out = Vec::new();
    let Some(map) = labels.and_then(Value::as_object) else { return out };
    for (k, v) in map {
        let key = Value::String(k.clone());
        let (prefix, name) = match k.rsplit_once('/') {
            Some((p, n)) => (Some(p), n),
            None => (None, k.as_str()),
        };
        if let Some(p) = prefix
            && !is_dns1123_subdomain(p)
        {
            out.push(invalid(field, &key, &format!("prefix part {DNS1123_SUBDOMAIN_MSG}")));
        }
        if name.is_empty() {
            out.push(invalid(field, &key, "name part must be non-empty"));
        } else if name.len() > 63 {
            out.push(invalid(field, &key, "name part must be no more than 63 characters"));
        } else if !is_qualified_name_part(name) {
            out.push(invalid(field, &key, QUALIFIED_NAME_MSG));
        }
        let val = v.as_str().unwrap_or_default();
        let vv = Value::String(val.to_string());
        if val.len() > 63 {
            out.push(invalid(field, &vv, "must be no more than 63 characters"));
        }
        if !val.is_empty() && !is_qualified_name_part(val) {
            out.push(invalid(field, &vv, LABEL_VALUE_MSG));
        }
    }
    out
}

/// `must be between 1 and 65535, inclusive` for ports.
pub fn check_port(field: &str, v: Option<&Value>) -> Vec<Cause> {
    match v {
        Some(Value::Number(n)) => {
            let p = n.as_i64().unwrap_or(0);
            if (1..=65535).contains(&p) {
                Vec::new()
            } else {
                vec![invalid(field, &Value::Number(n.clone()), "must be between 1 and 65535, inclusive")]
            }
        }
        _ => Vec::new(),
    }
}

pub fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn name_messages_are_verbatim() {
        // Cases A16/A18/A19 of the error catalogue.
        let c = check_name(NameRule::Subdomain, "My_Pod");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].message, format!("Invalid value: \"My_Pod\": {DNS1123_SUBDOMAIN_MSG}"));
        assert!(check_name(NameRule::Label, "dev").is_empty());
        assert!(check_name(NameRule::Subdomain, "a.b-c").is_empty());
        assert_eq!(check_name(NameRule::Dns1035, "1web")[0].message, format!("Invalid value: \"1web\": {DNS1035_LABEL_MSG}"));
    }

    #[test]
    fn label_values_and_render() {
        let c = check_labels("metadata.labels", Some(&json!({"app": "my app"})));
        assert_eq!(c[0].message, format!("Invalid value: \"my app\": {LABEL_VALUE_MSG}"));
        assert_eq!(render_value(&json!({"app": "web"})), "{\"app\":\"web\"}");
        assert_eq!(render_value(&json!(80)), "80");
        assert_eq!(
            not_supported("spec.restartPolicy", &json!("Sometimes"), &["Always", "OnFailure", "Never"]).message,
            "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""
        );
    }
}
