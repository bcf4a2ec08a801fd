//! The generic describer (kubectl `genericDescriber`) for kinds without their own: name,
//! namespace, labels, annotations, then every other field of the object with "smart" labels
//! (`apiVersion` → `API Version`), and the events.

use serde_json::{Map, Value};

use super::Env;
use super::writer::{self as wr, W, map, s};

const SKIP: &[&str] = &[".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"];

pub fn describe(env: &Env<'_, '_>, o: &Value) -> String {
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", s(o, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}\n", s(o, "/metadata/namespace")));
    wr::labels(&mut w, "Labels", &map(o, "/metadata/labels"));
    wr::annotations(&mut w, "Annotations", &map(o, "/metadata/annotations"));
    if let Some(m) = o.as_object() {
        content(&mut w, 0, m, "");
    }
    if env.show_events {
        wr::events(&mut w, &env.events_for(o, false), env.now);
    }
    w.finish()
}

fn content(w: &mut W, level: usize, m: &Map<String, Value>, prefix: &str) {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    for k in keys {
        let path = format!("{prefix}.{k}");
        if SKIP.contains(&path.as_str()) {
            continue;
        }
        match &m[k] {
            Value::Object(child) => {
                w.w(level, &format!("{}:\n", smart_label(k)));
                content(w, level + 1, child, &path);
            }
            Value::Array(items) => {
                w.w(level, &format!("{}:\n", smart_label(k)));
                for item in items {
                    match item {
                        Value::Object(child) => content(w, level + 1, child, &path),
                        other => w.w(level + 1, &format!("{}\n", crate::programs::kubectl::printers::custom_columns::go_sprint(other))),
                    }
                }
            }
            other => {
                w.w(level, &format!("{}:\t{}\n", smart_label(k), crate::programs::kubectl::printers::custom_columns::go_sprint(other)))
            }
        }
    }
}

/// `smartLabelFor`: camelCase split into title-cased words, common acronyms upper-cased; fields
/// with characters other than letters and `-` are left as they are.
pub fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    let chars: Vec<char> = field.chars().collect();
    let mut cur = String::new();
    for (n, &c) in chars.iter().enumerate() {
        let boundary = n > 0
            && ((c.is_uppercase() && chars[n - 1].is_lowercase())
                || (c.is_uppercase() && chars.get(n + 1).is_some_and(|x| x.is_lowercase()) && chars[n - 1].is_uppercase())
                || (c == '-') != (chars[n - 1] == '-'));
        if boundary && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
        .into_iter()
        .map(|p| {
            let up = p.to_uppercase();
            if ["API", "URL", "UID", "OSB", "GUID"].contains(&up.as_str()) {
                up
            } else {
                let mut cs = p.chars();
                cs.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + &cs.as_str().to_lowercase())
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_labels() {
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("creationTimestamp"), "Creation Timestamp");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(smart_label("spec"), "Spec");
        assert_eq!(smart_label("foo.bar"), "foo.bar");
    }
}
