//! Server-side `Table` conversion (`as=Table;g=meta.k8s.io`): the columns and cells the API
//! server computes for `kubectl get`, one printer per kind in `table/`, following kubernetes
//! `pkg/printers/internalversion/printers.go` and apiserver's default table convertor.
//!
//! The server always renders the wide (priority 1) cells; kubectl drops them without `-o wide`.

pub mod apps;
pub mod batch;
pub mod core;
pub mod duration;
pub mod jsonpath;
pub mod misc;

use std::sync::Arc;

use serde_json::Value;

use crate::cluster::path::at;

pub use duration::{human_duration, short_human_duration};

/// One column definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column's name as the server sends it (`Name`, `Nominated Node`); kubectl upper-cases it.
    pub name: String,
    /// 0 for normal columns, 1 for those only `-o wide` shows.
    pub priority: u8,
}

/// A cell value. kubectl prints strings as they are, integers and booleans with Go's formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Str(String),
    Int(i64),
    Bool(bool),
}

impl Cell {
    /// How kubectl's table printer shows the cell.
    pub fn display(&self) -> String {
        match self {
            Cell::Str(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Str(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Str(s.to_string())
    }
}

impl From<i64> for Cell {
    fn from(i: i64) -> Self {
        Cell::Int(i)
    }
}

impl From<bool> for Cell {
    fn from(b: bool) -> Self {
        Cell::Bool(b)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// The object the row shows. The real server sends its `PartialObjectMetadata` with each row
    /// and kubectl reads only namespace and labels from it; sharing the stored object gives the
    /// same answers without copying metadata for every row of a big list.
    pub object: Arc<Value>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// What a row function may look at besides the object.
pub struct Ctx<'a> {
    /// The simulated clock's now, in Unix seconds.
    pub now: i64,
    /// The CRD serving the objects, for custom resources.
    pub crd: Option<&'a Value>,
}

/// A kind's printer: column names with priorities, and the row function.
pub struct Printer {
    pub columns: &'static [(&'static str, u8)],
    pub row: fn(&Value, &Ctx<'_>) -> Vec<Cell>,
}

/// The printer for a group/kind, if the server has one.
fn printer_for(group: &str, kind: &str) -> Option<&'static Printer> {
    core::printer(group, kind)
        .or_else(|| apps::printer(group, kind))
        .or_else(|| batch::printer(group, kind))
        .or_else(|| misc::printer(group, kind))
}

/// Converts objects of one resource into the Table the API server would answer.
pub fn convert(group: &str, kind: &str, objects: &[Arc<Value>], ctx: &Ctx<'_>) -> Table {
    if let Some(crd) = ctx.crd {
        return custom_resource_table(crd, objects, ctx);
    }
    match printer_for(group, kind) {
        Some(p) => Table {
            columns: p.columns.iter().map(|(n, pr)| Column { name: (*n).to_string(), priority: *pr }).collect(),
            rows: objects.iter().map(|o| Row { cells: (p.row)(o, ctx), object: Arc::clone(o) }).collect(),
        },
        None => default_table(objects),
    }
}

/// apiserver's `defaultTableConvertor`: NAME and CREATED AT (RFC 3339, UTC).
pub fn default_table(objects: &[Arc<Value>]) -> Table {
    Table {
        columns: vec![Column { name: "Name".into(), priority: 0 }, Column { name: "Created At".into(), priority: 0 }],
        rows: objects
            .iter()
            .map(|o| Row {
                cells: vec![name(o).into(), str_at(o, "/metadata/creationTimestamp").unwrap_or_default().into()],
                object: Arc::clone(o),
            })
            .collect(),
    }
}

/// A custom resource's table: NAME, the CRD's `additionalPrinterColumns` of the served version,
/// or NAME and AGE without them.
fn custom_resource_table(crd: &Value, objects: &[Arc<Value>], ctx: &Ctx<'_>) -> Table {
    let version = crd
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .and_then(|vs| vs.iter().find(|v| v.get("storage").and_then(Value::as_bool) == Some(true)).or(vs.first()));
    let extra: Vec<Value> = version.and_then(|v| v.get("additionalPrinterColumns")).and_then(Value::as_array).cloned().unwrap_or_default();
    let mut columns = vec![Column { name: "Name".into(), priority: 0 }];
    if extra.is_empty() {
        columns.push(Column { name: "Age".into(), priority: 0 });
        let rows = objects.iter().map(|o| Row { cells: vec![name(o).into(), age(o, ctx.now).into()], object: Arc::clone(o) }).collect();
        return Table { columns, rows };
    }
    for c in &extra {
        columns.push(Column {
            name: c.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
            priority: u8::try_from(c.get("priority").and_then(Value::as_i64).unwrap_or(0)).unwrap_or(0),
        });
    }
    let rows = objects
        .iter()
        .map(|o| {
            let mut cells = vec![Cell::from(name(o))];
            for c in &extra {
                let path = c.get("jsonPath").and_then(Value::as_str).unwrap_or_default();
                let ty = c.get("type").and_then(Value::as_str).unwrap_or("string");
                let values =
                    jsonpath::Template::parse(&format!("{{{path}}}")).ok().and_then(|t| t.find_results(o).ok()).unwrap_or_default();
                let cell = match values.into_iter().flatten().next() {
                    None => Cell::Str("<none>".into()),
                    Some(v) => match (ty, &v) {
                        ("date", Value::String(s)) => {
                            Cell::Str(duration::parse_time(s).map_or_else(|| s.clone(), |t| human_duration(ctx.now - t)))
                        }
                        ("integer", Value::Number(n)) => n.as_i64().map_or_else(|| Cell::Str(n.to_string()), Cell::Int),
                        ("boolean", Value::Bool(b)) => Cell::Bool(*b),
                        (_, Value::String(s)) => Cell::Str(s.clone()),
                        (_, other) => Cell::Str(other.to_string()),
                    },
                };
                cells.push(cell);
            }
            Row { cells, object: Arc::clone(o) }
        })
        .collect();
    Table { columns, rows }
}

// Small accessors the per-kind printers share.

pub fn name(o: &Value) -> String {
    str_at(o, "/metadata/name").unwrap_or_default()
}

pub fn str_at(o: &Value, ptr: &str) -> Option<String> {
    at(o, ptr).and_then(Value::as_str).map(str::to_string)
}

pub fn int_at(o: &Value, ptr: &str) -> i64 {
    at(o, ptr).and_then(Value::as_i64).unwrap_or(0)
}

pub fn arr_at<'a>(o: &'a Value, ptr: &str) -> &'a [Value] {
    at(o, ptr).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// `translateTimestampSince`: the age of a timestamp field, `<unknown>` when unset.
pub fn since(o: &Value, ptr: &str, now: i64) -> String {
    match at(o, ptr).and_then(Value::as_str).and_then(duration::parse_time) {
        Some(t) => human_duration(now - t),
        None => "<unknown>".into(),
    }
}

/// AGE from `metadata.creationTimestamp`.
pub fn age(o: &Value, now: i64) -> String {
    since(o, "/metadata/creationTimestamp", now)
}

/// The string or `fallback` when empty or missing.
pub fn or(s: Option<String>, fallback: &str) -> String {
    match s {
        Some(s) if !s.is_empty() => s,
        _ => fallback.to_string(),
    }
}

/// Names and images of a pod template's regular containers, comma-joined.
pub fn containers_and_images(pod_spec: Option<&Value>) -> (String, String) {
    let cs = pod_spec.and_then(|s| s.get("containers")).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let names: Vec<&str> = cs.iter().filter_map(|c| c.get("name").and_then(Value::as_str)).collect();
    let images: Vec<&str> = cs.iter().filter_map(|c| c.get("image").and_then(Value::as_str)).collect();
    (names.join(","), images.join(","))
}

/// Up to `max` items comma-joined, then ` + N more...`.
pub fn capped(items: &[String], max: usize, sep: &str) -> String {
    let mut s = items.iter().take(max).cloned().collect::<Vec<_>>().join(sep);
    if items.len() > max {
        s.push_str(&format!(" + {} more...", items.len() - max));
    }
    s
}
