//! `-o custom-columns=HEADER:.path,...` (kubectl `get/customcolumn.go`): one column per spec,
//! values of each path comma-joined, `<none>` when a path finds nothing.

use serde_json::Value;

use super::table::tabwrite;
use crate::cluster::table::jsonpath::{Template, go_number, relaxed};

/// One parsed column.
#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    pub template: Template,
}

/// Parses the spec; the error is kubectl's message without `error: `.
pub fn parse_spec(spec: &str) -> Result<Vec<Column>, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".into());
    }
    let mut cols = Vec::new();
    for part in spec.split(',') {
        let Some((header, path)) = part.split_once(':') else {
            return Err(format!("unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"));
        };
        let expr = relaxed(path)?;
        let template = Template::parse(&expr).map_err(|e| format!("error parsing jsonpath {expr}, {e}"))?;
        cols.push(Column { header: header.to_string(), template });
    }
    Ok(cols)
}

/// Go's `fmt.Sprint` of an unstructured value (`map[a:b]`, `[x y]`).
pub fn go_sprint(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n),
        Value::Array(a) => format!("[{}]", a.iter().map(go_sprint).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            format!("map[{}]", keys.iter().map(|k| format!("{k}:{}", go_sprint(&m[*k]))).collect::<Vec<_>>().join(" "))
        }
    }
}

/// Prints an object or a `List` (one row per item) with a header unless `no_headers`.
pub fn print_with(obj: &Value, cols: &[Column], no_headers: bool) -> Result<String, String> {
    let mut text = String::new();
    if !no_headers {
        text.push_str(&cols.iter().map(|c| c.header.clone()).collect::<Vec<_>>().join("\t"));
        text.push('\n');
    }
    let items: Vec<&Value> = match obj.get("items").and_then(Value::as_array) {
        Some(items) if obj.get("kind").and_then(Value::as_str).is_some_and(|k| k.ends_with("List")) => items.iter().collect(),
        _ => vec![obj],
    };
    for item in items {
        let mut cells = Vec::new();
        for c in cols {
            let results = c.template.find_results(item)?;
            let values: Vec<String> = results.iter().flatten().map(|v| go_sprint(v).replace('\u{1b}', "^[")).collect();
            let none = results.first().is_none_or(Vec::is_empty);
            let mut all = if none { vec!["<none>".to_string()] } else { Vec::new() };
            all.extend(values);
            cells.push(all.join(","));
        }
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    Ok(tabwrite(&text, 6, 3))
}

pub fn print(obj: &Value, spec: &str) -> Result<String, String> {
    print_with(obj, &parse_spec(spec)?, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_from_paths() {
        let list = json!({"kind": "List", "items": [
            {"metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {"containers": [{"image": "nginx"}, {"image": "redis"}]}},
            {"metadata": {"name": "db"}, "spec": {"containers": [{"image": "postgres"}]}}]});
        let out = print(&list, "NAME:.metadata.name,IMAGE:.spec.containers[*].image,APP:.metadata.labels.app").unwrap();
        assert_eq!(out, "NAME   IMAGE         APP\nweb    nginx,redis   web\ndb     postgres      <none>\n");
        assert_eq!(print_with(&list, &parse_spec("L:{.metadata.labels}").unwrap(), true).unwrap(), "map[app:web]\n<none>\n");
    }

    #[test]
    fn spec_errors() {
        assert_eq!(parse_spec("NAME").unwrap_err(), "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>");
        assert_eq!(parse_spec("").unwrap_err(), "custom-columns format specified but no custom columns given");
    }
}
