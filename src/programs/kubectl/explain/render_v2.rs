//! `kubectl explain --output=plaintext-openapiv2`: kubectl's older renderer (`pkg/explain`:
//! field lookup, model printer, regular and recursive field printers, formatter) over the schemas
//! read the way kube-openapi's `pkg/util/proto` models an OpenAPI v2 document (Kind, Map, Array,
//! Primitive, Arbitrary, Reference).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::schema::{Document, Gvk};

/// Definitions the v2 document types as plain strings, where v3 has `oneOf` (see
/// assets/openapi/README.md).
const V2_STRINGS: &[&str] = &["io.k8s.apimachinery.pkg.api.resource.Quantity", "io.k8s.apimachinery.pkg.util.intstr.IntOrString"];

/// One node of the proto model.
enum Model<'a> {
    Kind { description: &'a str, fields: &'a Map<String, Value>, required: Vec<&'a str> },
    Map { description: &'a str, sub: Box<Model<'a>> },
    Array { description: &'a str, sub: Box<Model<'a>> },
    Primitive { description: &'a str, ty: String },
    Arbitrary { description: &'a str },
    Ref { description: &'a str, name: String },
}

impl Model<'_> {
    fn description(&self) -> &str {
        match self {
            Model::Kind { description, .. }
            | Model::Map { description, .. }
            | Model::Array { description, .. }
            | Model::Primitive { description, .. }
            | Model::Arbitrary { description }
            | Model::Ref { description, .. } => description,
        }
    }
}

fn text<'a>(schema: &'a Value, key: &str) -> &'a str {
    schema.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Reads a schema as `proto.Definitions.ParseSchema` does (a v3 `allOf: [{$ref}]` is the v2 `$ref`
/// with its siblings).
fn parse(schema: &Value) -> Model<'_> {
    let description = text(schema, "description");
    let all_of = schema.get("allOf").and_then(Value::as_array);
    let reference = match all_of.map(Vec::as_slice) {
        Some([only]) if schema.get("type").is_none() && schema.get("properties").is_none() => text(only, "$ref"),
        _ => text(schema, "$ref"),
    };
    if !reference.is_empty() {
        let name = reference.rsplit('/').next().unwrap_or(reference).to_string();
        return Model::Ref { description, name };
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    match (schema.get("type").and_then(Value::as_str), properties) {
        (None | Some("object"), Some(fields)) => {
            let required =
                schema.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            Model::Kind { description, fields, required }
        }
        (None, None) => Model::Arbitrary { description },
        (Some("object"), None) => {
            let sub = match schema.get("additionalProperties").filter(|v| v.is_object()) {
                Some(inner) => parse(inner),
                None => Model::Arbitrary { description },
            };
            Model::Map { description, sub: Box::new(sub) }
        }
        (Some("array"), _) => {
            let sub = schema.get("items").map_or(Model::Arbitrary { description: "" }, parse);
            Model::Array { description, sub: Box::new(sub) }
        }
        (Some(ty), _) => Model::Primitive { description, ty: ty.to_string() },
    }
}

struct Models<'a> {
    doc: &'a Document,
}

impl<'a> Models<'a> {
    /// The model a reference names.
    fn target(&self, name: &str) -> Model<'a> {
        let Some(schema) = self.doc.resolve(name) else { return Model::Arbitrary { description: "" } };
        if V2_STRINGS.contains(&name) {
            return Model::Primitive { description: text(schema, "description"), ty: "string".into() };
        }
        parse(schema)
    }

    fn type_name(&self, m: &Model<'a>) -> String {
        match m {
            Model::Array { sub, .. } => format!("[]{}", self.type_name(sub)),
            Model::Map { sub, .. } => format!("map[string]{}", self.type_name(sub)),
            Model::Kind { .. } => "Object".into(),
            Model::Primitive { ty, .. } => ty.clone(),
            Model::Arbitrary { .. } => String::new(),
            Model::Ref { name, .. } => self.type_name(&self.target(name)),
        }
    }
}

/// A line writer with an indent and an 80-column wrap (`pkg/explain/formatter.go`).
struct Formatter<'o> {
    out: &'o mut String,
}

impl Formatter<'_> {
    fn write(&mut self, indent: usize, line: &str) {
        if line.is_empty() {
            self.out.push('\n');
        } else {
            self.out.push_str(&" ".repeat(indent));
            self.out.push_str(line);
            self.out.push('\n');
        }
    }

    fn write_wrapped(&mut self, indent: usize, text: &str) {
        for line in wrap_string(text, 80usize.saturating_sub(indent)) {
            self.write(indent, &line);
        }
    }
}

/// The formatter's own word wrap: paragraphs, indented (4-space) lines kept as they are, bullets
/// and lines after a colon started afresh; lengths in bytes.
fn wrap_string(text: &str, wrap: usize) -> Vec<String> {
    fn starts_new_line(last_word: &str, line: &str) -> bool {
        if last_word.ends_with(':') || line.starts_with("    ") {
            return true;
        }
        let t = line.trim();
        if t.is_empty() {
            return true;
        }
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let rest = &t[digits..];
        let after = if digits > 0 { rest.strip_prefix('.').unwrap_or(rest) } else { t.strip_prefix(['-', '*']).unwrap_or("x") };
        (digits > 0 || t.starts_with(['-', '*'])) && after.starts_with(char::is_whitespace)
    }
    let mut wrapped: Vec<String> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut last_word = String::new();
    let flush = |words: &mut Vec<&str>, wrapped: &mut Vec<String>, last_word: &mut String| {
        if !words.is_empty() {
            last_word.clear();
            wrapped.push(words.join(" "));
            words.clear();
        }
    };
    for line in text.split('\n') {
        if line.starts_with("    ") {
            flush(&mut words, &mut wrapped, &mut last_word);
            wrapped.push(line.to_string());
            continue;
        }
        if !wrapped.is_empty() && line.trim().is_empty() {
            flush(&mut words, &mut wrapped, &mut last_word);
            wrapped.push(String::new());
            continue;
        }
        if starts_new_line(&last_word, line) {
            flush(&mut words, &mut wrapped, &mut last_word);
        }
        for word in line.split_whitespace() {
            last_word = word.to_string();
            let len: usize = words.iter().map(|w| w.len()).sum::<usize>() + words.len() + word.len();
            if !words.is_empty() && len > wrap {
                flush(&mut words, &mut wrapped, &mut last_word);
                last_word = word.to_string();
            }
            words.push(word);
        }
    }
    flush(&mut words, &mut wrapped, &mut last_word);
    wrapped
}

/// Renders `gvk`'s model focused on `fields`; the error is kubectl's whole message.
pub fn render(doc: &Document, gvk: &Gvk, fields: &[String], recursive: bool) -> Result<String, String> {
    let Some(root) = doc.find(gvk) else {
        let gv = if gvk.group.is_empty() { format!("/{}", gvk.version) } else { format!("{}/{}", gvk.group, gvk.version) };
        return Err(format!("error: couldn't find resource for \"{gv}, Kind={}\"", gvk.kind));
    };
    let models = Models { doc };
    // fieldLookup: follow the path; a primitive or arbitrary value ends it, whatever is left.
    let mut leaf = parse(root);
    let mut path = fields;
    while let Some((first, rest)) = path.split_first() {
        leaf = match leaf {
            Model::Kind { fields: props, .. } => {
                let Some(sub) = props.get(first.as_str()) else {
                    return Err(format!("error: field \"{first}\" does not exist"));
                };
                path = rest;
                parse(sub)
            }
            Model::Array { sub, .. } | Model::Map { sub, .. } => *sub,
            Model::Ref { name, .. } => models.target(&name),
            other => {
                leaf = other;
                break;
            }
        };
    }
    let name = fields.last().map_or("", String::as_str);
    let mut out = String::new();
    print_model(&models, &mut Formatter { out: &mut out }, name, leaf, gvk, recursive);
    Ok(out)
}

/// The model printer: descriptions gathered through references, arrays and maps, then the kind,
/// field or arbitrary value reached.
fn print_model(models: &Models<'_>, f: &mut Formatter<'_>, name: &str, leaf: Model<'_>, gvk: &Gvk, recursive: bool) {
    let mut descriptions: Vec<String> = Vec::new();
    let mut ty = String::new();
    let mut current = leaf;
    loop {
        current = match current {
            Model::Array { .. } | Model::Map { .. } => {
                if ty.is_empty() {
                    ty = models.type_name(&current);
                }
                let (Model::Array { description, sub } | Model::Map { description, sub }) = current else { break };
                descriptions.push(description.to_string());
                *sub
            }
            Model::Ref { description, name: target } => {
                descriptions.push(description.to_string());
                models.target(&target)
            }
            other => {
                current = other;
                break;
            }
        };
    }
    let gv = if gvk.group.is_empty() { gvk.version.clone() } else { format!("{}/{}", gvk.group, gvk.version) };
    f.write(0, &format!("KIND:     {}", gvk.kind));
    f.write(0, &format!("VERSION:  {gv}\n"));
    match &current {
        Model::Kind { .. } => {
            if ty.is_empty() {
                ty = "Object".into();
            }
            if !name.is_empty() {
                f.write(0, &format!("RESOURCE: {name} <{ty}>\n"));
            }
            print_description(f, &descriptions, current.description());
            f.write(0, "\nFIELDS:");
            if recursive {
                recursive_fields(models, f, &current, 3, &mut BTreeSet::new());
            } else {
                regular_fields(models, f, &current, 3);
            }
        }
        Model::Primitive { ty: own, .. } => {
            if ty.is_empty() {
                ty = own.clone();
            }
            f.write(0, &format!("FIELD:    {name} <{ty}>\n"));
            print_description(f, &descriptions, current.description());
        }
        _ => print_description(f, &descriptions, current.description()),
    }
}

fn print_description(f: &mut Formatter<'_>, gathered: &[String], own: &str) {
    f.write(0, "DESCRIPTION:");
    let mut empty = true;
    for (i, d) in gathered.iter().map(String::as_str).chain([own]).enumerate() {
        if d.is_empty() {
            continue;
        }
        empty = false;
        if i != 0 {
            f.write(0, "");
        }
        f.write_wrapped(5, d);
    }
    if empty {
        f.write_wrapped(5, "<empty>");
    }
}

fn regular_fields(models: &Models<'_>, f: &mut Formatter<'_>, m: &Model<'_>, indent: usize) {
    match m {
        Model::Kind { fields, required, .. } => {
            let mut names: Vec<&String> = fields.keys().collect();
            names.sort();
            for key in names {
                let field = parse(&fields[key.as_str()]);
                let req = if required.contains(&key.as_str()) { " -required-" } else { "" };
                f.write(indent, &format!("{key}\t<{}>{req}", models.type_name(&field)));
                f.write_wrapped(indent + 2, field.description());
                f.write(0, "");
            }
        }
        Model::Array { sub, .. } | Model::Map { sub, .. } => regular_fields(models, f, sub, indent),
        Model::Ref { name, .. } => regular_fields(models, f, &models.target(name), indent),
        _ => {}
    }
}

/// Every field below, three columns deeper per level; a reference already being expanded on the
/// way down is not expanded again.
fn recursive_fields(models: &Models<'_>, f: &mut Formatter<'_>, m: &Model<'_>, indent: usize, visiting: &mut BTreeSet<String>) {
    match m {
        Model::Kind { fields, .. } => {
            let mut names: Vec<&String> = fields.keys().collect();
            names.sort();
            for key in names {
                let field = parse(&fields[key.as_str()]);
                f.write(indent, &format!("{key}\t<{}>", models.type_name(&field)));
                recursive_fields(models, f, &field, indent + 3, visiting);
            }
        }
        Model::Array { sub, .. } | Model::Map { sub, .. } => recursive_fields(models, f, sub, indent, visiting),
        Model::Ref { name, .. } if visiting.insert(name.clone()) => {
            recursive_fields(models, f, &models.target(name), indent, visiting);
            visiting.remove(name);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatter_wrap_keeps_paragraphs_and_indented_lines() {
        assert_eq!(wrap_string("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        // A blank line only counts once some line has been flushed (kubectl's own quirk).
        assert_eq!(wrap_string("one\n\ntwo", 75), ["one", "two"]);
        assert_eq!(wrap_string("aaa bbb\n\nccc", 3), ["aaa", "bbb", "", "ccc"]);
        assert_eq!(wrap_string("Values:\n    code block\n- item one", 75), ["Values:", "    code block", "- item one"]);
        assert!(wrap_string("", 75).is_empty());
    }

    #[test]
    fn v2_field_of_pod() {
        let doc = Document::default();
        let gvk = Gvk { group: String::new(), version: "v1".into(), kind: "Pod".into() };
        let out = render(&doc, &gvk, &["spec".into(), "restartPolicy".into()], false).expect("render");
        assert!(
            out.starts_with("KIND:     Pod\nVERSION:  v1\n\nFIELD:    restartPolicy <string>\n\nDESCRIPTION:\n     Restart policy"),
            "{out}"
        );
        let err = render(&doc, &gvk, &["nope".into()], false).expect_err("unknown");
        assert_eq!(err, "error: field \"nope\" does not exist");
    }
}
