//! The plaintext rendering of `kubectl explain` v1.35: the logic of kubectl's
//! `pkg/explain/v2/templates/plaintext.tmpl` (header, field-path walk, DESCRIPTION, FIELDS, type
//! names, enums, `--recursive` tree) over generic OpenAPI v3 schemas, with Go template truthiness
//! and go-wordwrap line breaking.

use std::collections::BTreeSet;

use serde_json::Value;

use super::schema::{Document, Gvk};

/// What the template's `throw` stops with: kubectl prints the message on stderr after whatever
/// was already written to stdout.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    /// The output written before the error (the header).
    pub partial: String,
    pub message: String,
}

/// Renders the explanation of `gvk` (found by the caller from the document's paths) focused on
/// `fields`.
pub fn render(doc: &Document, gvk: &Gvk, fields: &[String], recursive: bool) -> Result<String, RenderError> {
    let mut out = String::new();
    if !gvk.group.is_empty() {
        out.push_str(&format!("GROUP:      {}\n", gvk.group));
    }
    out.push_str(&format!("KIND:       {}\nVERSION:    {}\n\n", gvk.kind, gvk.version));
    let fail = |out: &String, message: String| Err(RenderError { partial: out.clone(), message });
    let Some(schema) = doc.find(gvk) else {
        return fail(
            &out,
            format!("error: GVK map[group:{} kind:{} version:{}] not found in OpenAPI schema", gvk.group, gvk.kind, gvk.version),
        );
    };
    let r = Renderer { doc, recursive };
    let body = r.output(schema, &BTreeSet::new(), fields);
    if body.is_empty() {
        let last = fields.last().cloned().unwrap_or_default();
        return fail(&out, format!("error: field \"{last}\" does not exist"));
    }
    out.push_str(&body);
    out.push('\n');
    Ok(out)
}

/// Go template truthiness: false, 0, "", nil and empty maps or lists are false.
fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => !m.is_empty(),
    }
}

/// `additionalProperties` when it is a schema the template follows (not a bool, not empty).
fn map_values(schema: &Value) -> Option<&Value> {
    schema.get("additionalProperties").filter(|v| !v.is_boolean() && truthy(Some(v)))
}

fn items(schema: &Value) -> Option<&Value> {
    schema.get("items").filter(|v| truthy(Some(v)))
}

fn ref_of(schema: &Value) -> &str {
    schema.get("$ref").and_then(Value::as_str).unwrap_or("")
}

fn all_of(schema: &Value) -> &[Value] {
    schema.get("allOf").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The template's `indent`: pads the first line and every line after a newline.
fn indent(amount: usize, text: &str) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

/// go-wordwrap v1.0.1 `WrapString` (what kubectl's word-wrap writer uses): breaks at whitespace
/// only, keeps existing newlines, never splits a word, counts runes.
pub fn wrap(text: &str, limit: usize) -> String {
    let mut buf = String::with_capacity(text.len() + 16);
    let (mut current, mut word, mut space) = (0usize, String::new(), String::new());
    let (mut word_len, mut space_len) = (0usize, 0usize);
    for c in text.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + space_len <= limit {
                    buf.push_str(&space);
                }
            } else {
                buf.push_str(&space);
                buf.push_str(&word);
                word.clear();
                word_len = 0;
            }
            space.clear();
            space_len = 0;
            buf.push('\n');
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                buf.push_str(&space);
                buf.push_str(&word);
                space.clear();
                space_len = 0;
                word.clear();
                word_len = 0;
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > limit && word_len < limit {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= limit {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

struct Renderer<'a> {
    doc: &'a Document,
    recursive: bool,
}

impl<'a> Renderer<'a> {
    fn resolved<'s>(&self, schema: &'s Value) -> &'s Value
    where
        'a: 's,
    {
        let r = ref_of(schema);
        if r.is_empty() { schema } else { self.doc.resolve(r).unwrap_or(schema) }
    }

    /// The template's "output": follows the field path, then prints DESCRIPTION and FIELDS; empty
    /// when the path leads nowhere.
    fn output(&self, schema: &Value, history: &BTreeSet<String>, path: &[String]) -> String {
        let reference = ref_of(schema);
        let mut next = history.clone();
        next.insert(reference.to_string());
        let resolved = self.resolved(schema);
        let Some((first, rest)) = path.split_first() else {
            let description = self.description(resolved);
            let description = if description.is_empty() { "<empty>".to_string() } else { description };
            let mut out = format!("DESCRIPTION:\n{}\n", indent(4, &wrap(&description, 76)));
            let fields = self.field_list(resolved, 1, None);
            if !fields.is_empty() {
                out.push_str("FIELDS:\n");
                out.push_str(&fields);
            }
            return out;
        };
        if !reference.is_empty() && history.contains(reference) {
            return String::new();
        }
        if let Some(sub) = resolved.get("properties").and_then(|p| p.get(first.as_str())).filter(|s| truthy(Some(s))) {
            let mut out = String::new();
            if rest.is_empty() {
                out.push_str(&format!("FIELD: {first} <{}>\n", self.type_guess(sub)));
                out.push_str(&enum_text(sub, None));
                out.push_str("\n\n");
            }
            out.push_str(&self.output(sub, &BTreeSet::new(), rest));
            return out;
        }
        if let Some(inner) = items(resolved) {
            return self.output(inner, &next, path);
        }
        if let Some(inner) = map_values(resolved) {
            return self.output(inner, &next, path);
        }
        all_of(resolved).iter().map(|s| self.output(s, &next, path)).find(|o| !o.is_empty()).unwrap_or_default()
    }

    /// The template's "description": the schema's own text, then those of its allOf, items and
    /// map values, one paragraph each.
    fn description(&self, schema: &Value) -> String {
        let s = self.resolved(schema);
        if !truthy(Some(s)) {
            return String::new();
        }
        let mut out = String::new();
        if let Some(d) = s.get("description").filter(|d| truthy(Some(d))) {
            out.push_str(d.as_str().unwrap_or_default());
            out.push('\n');
        }
        for sub in all_of(s) {
            out.push_str(&self.description(sub));
        }
        if let Some(inner) = items(s) {
            out.push_str(&self.description(inner));
        }
        if let Some(inner) = map_values(s) {
            out.push_str(&self.description(inner));
        }
        out
    }

    /// The template's "fieldList": one entry per property in name order, descending into every
    /// field with `--recursive` until a reference repeats on the way down.
    fn field_list(&self, schema: &Value, level: usize, history: Option<&BTreeSet<String>>) -> String {
        let reference = ref_of(schema);
        if !reference.is_empty() && history.is_some_and(|h| h.contains(reference)) {
            return String::new();
        }
        let mut next = history.cloned().unwrap_or_default();
        next.insert(reference.to_string());
        let resolved = self.resolved(schema);
        let mut out = String::new();
        if let Some(props) = resolved.get("properties").and_then(Value::as_object) {
            let mut names: Vec<&String> = props.keys().collect();
            names.sort();
            for name in names {
                out.push_str(&self.field_detail(resolved, name, level));
                if self.recursive {
                    out.push_str(&self.field_list(&props[name.as_str()], level + 1, Some(&next)));
                }
            }
        }
        for sub in all_of(resolved) {
            out.push_str(&self.field_list(sub, level, Some(&next)));
        }
        if let Some(inner) = items(resolved) {
            out.push_str(&self.field_list(inner, level, Some(&next)));
        }
        if let Some(inner) = map_values(resolved) {
            out.push_str(&self.field_list(inner, level, Some(&next)));
        }
        out
    }

    /// The template's "fieldDetail": `name\t<type> -required-`, enum values, and (unless
    /// recursive) the wrapped description.
    fn field_detail(&self, parent: &Value, name: &str, level: usize) -> String {
        let amount = level * 2;
        let field = &parent["properties"][name];
        let mut out = format!("{}\t<{}>", indent(amount, name), self.type_guess(field));
        let required = parent.get("required").and_then(Value::as_array).is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
        if required {
            out.push_str(" -required-");
        }
        out.push_str(&enum_text(field, Some(amount)));
        out.push('\n');
        if !self.recursive {
            let description = field.get("description").filter(|d| truthy(Some(d))).and_then(Value::as_str).unwrap_or("<no description>");
            out.push_str(&indent(amount + 2, &wrap(description, 78usize.saturating_sub(amount))));
            out.push_str("\n\n");
        }
        out
    }

    /// The template's "typeGuess": `[]T`, `map[string]T`, a referenced object's short name, or
    /// the JSON type (`Object` for objects and untyped schemas).
    fn type_guess(&self, schema: &Value) -> String {
        if let Some(inner) = items(schema) {
            return format!("[]{}", self.type_guess(inner));
        }
        if let Some(inner) = map_values(schema) {
            return format!("map[string]{}", self.type_guess(inner));
        }
        let all = all_of(schema);
        if all.len() == 1 && !truthy(schema.get("properties")) {
            return self.type_guess(&all[0]);
        }
        let reference = ref_of(schema);
        if !reference.is_empty() {
            let target = self.doc.resolve(reference);
            let ty = target.and_then(|t| t.get("type")).filter(|t| truthy(Some(t)));
            return match ty.and_then(Value::as_str) {
                Some(t) if t != "object" => t.to_string(),
                _ => {
                    let name = reference.rsplit('/').next().unwrap_or(reference);
                    let short = name.rsplit('.').next().unwrap_or(name);
                    if short.is_empty() { "Object".to_string() } else { short.to_string() }
                }
            };
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("object") | None | Some("") => "Object".to_string(),
            Some(t) => t.to_string(),
        }
    }
}

/// The template's "extractEnum": `ENUM:` with one value per line for the focused field (`indent`
/// None), or `enum: a, b, c, d, ....` (at most four) under a listed field.
fn enum_text(schema: &Value, indent_amount: Option<usize>) -> String {
    let Some(values) = schema.get("enum").and_then(Value::as_array).filter(|v| !v.is_empty()) else {
        return String::new();
    };
    let mut out = match indent_amount {
        Some(amount) => format!("\n{}enum: ", " ".repeat(amount)),
        None => "ENUM:".to_string(),
    };
    for (i, value) in values.iter().enumerate() {
        if indent_amount.is_some() && i >= 4 {
            out.push_str(", ....");
            break;
        }
        if indent_amount.is_some() {
            if i > 0 {
                out.push_str(", ");
            }
        } else {
            out.push_str("\n    ");
        }
        out.push_str(&go_value(value));
    }
    out
}

/// A value as Go's `{{ $element }}` prints it (`""` for the empty string).
fn go_value(value: &Value) -> String {
    match value {
        Value::String(s) if s.is_empty() => "\"\"".to_string(),
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn gvk(group: &str, version: &str, kind: &str) -> Gvk {
        Gvk { group: group.into(), version: version.into(), kind: kind.into() }
    }

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_long_words() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("a https://very-long-url.example/path b", 10), "a\nhttps://very-long-url.example/path\nb");
        assert_eq!(wrap("one\n\ntwo", 76), "one\n\ntwo");
    }

    #[test]
    fn field_of_builtin_kind() {
        let doc = Document::default();
        let out = render(&doc, &gvk("apps", "v1", "Deployment"), &["spec".into(), "replicas".into()], false).expect("render");
        assert!(
            out.starts_with("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\nDESCRIPTION:\n"),
            "{out}"
        );
    }

    #[test]
    fn unknown_field_names_the_last_element() {
        let doc = Document::default();
        let err = render(&doc, &gvk("", "v1", "Pod"), &["foo".into(), "bar".into()], false).expect_err("no such field");
        assert_eq!(err.message, "error: field \"bar\" does not exist");
        assert_eq!(err.partial, "KIND:       Pod\nVERSION:    v1\n\n");
    }

    #[test]
    fn types_enums_and_required() {
        let mut extra = BTreeMap::new();
        extra.insert(
            "t.v1.Thing".to_string(),
            json!({"type": "object", "required": ["mode"], "x-kubernetes-group-version-kind": [{"group": "t", "version": "v1", "kind": "Thing"}],
                   "properties": {
                       "mode": {"type": "string", "enum": ["", "A", "B", "C", "D"]},
                       "sizes": {"type": "object", "additionalProperties": {"$ref": "io.k8s.apimachinery.pkg.api.resource.Quantity"}},
                       "list": {"type": "array", "items": {"type": "integer"}},
                       "any": {"x-kubernetes-preserve-unknown-fields": true}}}),
        );
        let doc = Document::new(extra);
        let out = render(&doc, &gvk("t", "v1", "Thing"), &[], true).expect("render");
        assert!(out.contains("  any\t<Object>\n"), "{out}");
        assert!(out.contains("  list\t<[]integer>\n"), "{out}");
        assert!(out.contains("  mode\t<string> -required-\n  enum: \"\", A, B, C, ....\n"), "{out}");
        assert!(out.contains("  sizes\t<map[string]Quantity>\n"), "{out}");
        let field = render(&doc, &gvk("t", "v1", "Thing"), &["mode".into()], false).expect("render");
        assert!(field.contains("FIELD: mode <string>\nENUM:\n    \"\"\n    A\n"), "{field}");
        assert!(field.contains("DESCRIPTION:\n    <empty>\n"), "{field}");
    }
}
