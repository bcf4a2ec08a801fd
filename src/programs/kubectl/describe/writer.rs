//! describe's output machinery: kubectl's `PrefixWriter` (two spaces per level) over a tabwriter
//! (minimum width 0, padding 2), and the helpers every describer shares — labels, annotations,
//! taints, tolerations, RFC 1123 times and the Events table (kubectl `pkg/describe/describe.go`).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::cluster::table::{duration::parse_time, human_duration};
use crate::programs::kubectl::printers::table::tabwrite;

/// Accumulates describe text; [`W::finish`] lays it out.
#[derive(Debug, Default)]
pub struct W {
    buf: String,
}

impl W {
    /// Writes `text` indented by `level` (two spaces each), as `PrefixWriter.Write` does.
    pub fn w(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.buf.push_str("  ");
        }
        // WriteEscaped: terminal escapes are made visible.
        self.buf.push_str(&text.replace('\u{1b}', "^["));
    }

    /// `WriteLine`: the text and a newline.
    pub fn line(&mut self, text: &str) {
        self.buf.push_str(text);
        self.buf.push('\n');
    }

    pub fn finish(self) -> String {
        tabwrite(&self.buf, 0, 2)
    }
}

/// `Mon, 02 Jan 2006 15:04:05 -0700` in UTC (`time.RFC1123Z`).
pub fn rfc1123z(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = crate::world::clock::civil(secs);
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let wd = DAYS[secs.div_euclid(86_400).rem_euclid(7) as usize];
    let mon = MONTHS[(mo - 1).clamp(0, 11) as usize];
    format!("{wd}, {d:02} {mon} {y:04} {h:02}:{mi:02}:{s:02} +0000")
}

/// A timestamp field as RFC 1123Z, or the zero time Go prints for an unset one.
pub fn time_at(o: &Value, ptr: &str) -> String {
    match o.pointer(ptr).and_then(Value::as_str).and_then(parse_time) {
        Some(t) => rfc1123z(t),
        None => "Mon, 01 Jan 0001 00:00:00 +0000".into(),
    }
}

pub fn s<'a>(o: &'a Value, ptr: &str) -> &'a str {
    o.pointer(ptr).and_then(Value::as_str).unwrap_or_default()
}

pub fn i(o: &Value, ptr: &str) -> i64 {
    o.pointer(ptr).and_then(Value::as_i64).unwrap_or(0)
}

pub fn arr<'a>(o: &'a Value, ptr: &str) -> &'a [Value] {
    o.pointer(ptr).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

pub fn map(o: &Value, ptr: &str) -> BTreeMap<String, String> {
    crate::cluster::selector::string_map(o.pointer(ptr))
}

/// `stringOrNone`.
pub fn or_none(s: &str) -> String {
    if s.is_empty() { "<none>".into() } else { s.to_string() }
}

/// A JSON scalar as Go's `%v` shows it.
pub fn v(o: &Value, ptr: &str) -> String {
    match o.pointer(ptr) {
        None | Some(Value::Null) => String::new(),
        Some(x) => crate::programs::kubectl::printers::custom_columns::go_sprint(x),
    }
}

/// `printLabelsMultilineWithIndent`.
pub fn labels_with_indent(w: &mut W, initial: &str, title: &str, inner: &str, labels: &BTreeMap<String, String>) {
    w.w(0, &format!("{initial}{title}:{inner}"));
    if labels.is_empty() {
        w.line("<none>");
        return;
    }
    for (n, (k, val)) in labels.iter().enumerate() {
        if n != 0 {
            w.w(0, initial);
            w.w(0, inner);
        }
        w.w(0, &format!("{k}={val}\n"));
    }
}

/// `printLabelsMultiline`: `Title:\tk=v` then `\tk2=v2` lines.
pub fn labels(w: &mut W, title: &str, labels: &BTreeMap<String, String>) {
    labels_with_indent(w, "", title, "\t", labels);
}

const MAX_ANNOTATION_LEN: usize = 140;

/// `printAnnotationsMultiline`: sorted, last-applied-configuration left out, long values cut.
pub fn annotations(w: &mut W, title: &str, ann: &BTreeMap<String, String>) {
    w.w(0, &format!("{title}:\t"));
    let keys: Vec<&String> = ann.keys().filter(|k| *k != "kubectl.kubernetes.io/last-applied-configuration").collect();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    let indent = "\t";
    for (n, k) in keys.iter().enumerate() {
        if n != 0 {
            w.w(0, indent);
        }
        let value = ann[*k].strip_suffix('\n').unwrap_or(&ann[*k]);
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.w(0, &format!("{k}:\n"));
            for line in value.split('\n') {
                let short = if line.len() > MAX_ANNOTATION_LEN - 2 {
                    let mut cut = MAX_ANNOTATION_LEN - 2;
                    while !line.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    format!("{}...", &line[..cut])
                } else {
                    line.to_string()
                };
                w.w(0, &format!("{indent}  {short}\n"));
            }
        } else {
            w.w(0, &format!("{k}: {value}\n"));
        }
    }
}

/// Labels and annotations of an object's metadata, the lines almost every describer starts with.
pub fn meta_labels_annotations(w: &mut W, o: &Value) {
    labels(w, "Labels", &map(o, "/metadata/labels"));
    annotations(w, "Annotations", &map(o, "/metadata/annotations"));
}

/// `printNodeTaintsMultiline`: `key=value:Effect`, sorted by effect then key.
pub fn taints(w: &mut W, title: &str, taints: &[Value]) {
    w.w(0, &format!("{title}:\t"));
    if taints.is_empty() {
        w.line("<none>");
        return;
    }
    let mut t: Vec<&Value> = taints.iter().collect();
    t.sort_by_key(|x| format!("{},{}", s(x, "/effect"), s(x, "/key")));
    for (n, x) in t.iter().enumerate() {
        if n != 0 {
            w.w(0, "\t");
        }
        let val = s(x, "/value");
        let kv = if val.is_empty() { s(x, "/key").to_string() } else { format!("{}={val}", s(x, "/key")) };
        w.w(0, &format!("{kv}:{}\n", s(x, "/effect")));
    }
}

/// `printTolerationsMultilineWithIndent`.
pub fn tolerations(w: &mut W, initial: &str, title: &str, tols: &[Value]) {
    w.w(0, &format!("{initial}{title}:\t"));
    if tols.is_empty() {
        w.line("<none>");
        return;
    }
    let mut t: Vec<&Value> = tols.iter().collect();
    t.sort_by(|a, b| s(a, "/key").cmp(s(b, "/key")));
    for (n, x) in t.iter().enumerate() {
        if n != 0 {
            w.w(0, initial);
            w.w(0, "\t");
        }
        let mut line = s(x, "/key").to_string();
        if !s(x, "/value").is_empty() {
            line.push_str(&format!("={}", s(x, "/value")));
        }
        if !s(x, "/effect").is_empty() {
            line.push_str(&format!(":{}", s(x, "/effect")));
        }
        if s(x, "/operator") == "Exists" && s(x, "/value").is_empty() {
            if !s(x, "/key").is_empty() || !s(x, "/effect").is_empty() {
                line.push_str(" op=Exists");
            } else {
                line.push_str("op=Exists");
            }
        }
        if let Some(secs) = x.get("tolerationSeconds").and_then(Value::as_i64) {
            line.push_str(&format!(" for {secs}s"));
        }
        w.w(0, &format!("{line}\n"));
    }
}

fn ts(o: &Value, ptr: &str) -> Option<i64> {
    o.pointer(ptr).and_then(Value::as_str).filter(|t| !t.starts_with("0001-")).and_then(parse_time)
}

/// `DescribeEvents`: `Events:  <none>` or the table, oldest first.
pub fn events(w: &mut W, events: &[Value], now: i64) {
    if events.is_empty() {
        w.w(0, "Events:\t<none>\n");
        return;
    }
    let mut evs: Vec<&Value> = events.iter().collect();
    // SortableEvents orders by lastTimestamp (events without one count as the zero time).
    evs.sort_by_key(|e| ts(e, "/lastTimestamp").unwrap_or(i64::MIN));
    w.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.w(1, "----\t------\t----\t----\t-------\n");
    let since = |t: Option<i64>| t.map_or_else(|| "<unknown>".to_string(), |t| human_duration(now - t));
    for e in evs {
        let first = if ts(e, "/eventTime").is_some() { since(ts(e, "/eventTime")) } else { since(ts(e, "/firstTimestamp")) };
        let count = i(e, "/count");
        let interval = if e.get("series").is_some_and(|x| x.is_object()) {
            format!("{} (x{} over {first})", since(ts(e, "/series/lastObservedTime")), i(e, "/series/count"))
        } else if count > 1 {
            format!("{} (x{count} over {first})", since(ts(e, "/lastTimestamp")))
        } else {
            first
        };
        let mut source = s(e, "/source/component").to_string();
        if source.is_empty() {
            source = s(e, "/reportingComponent").to_string();
        }
        let mut message = s(e, "/message").trim().to_string();
        let fp = s(e, "/involvedObject/fieldPath");
        if !fp.is_empty() {
            message = format!("{fp}: {message}");
        }
        w.w(1, &format!("{}\t{}\t{interval}\t{source}\t{message}\n", s(e, "/type"), s(e, "/reason")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1123z_has_weekday_and_zone() {
        assert_eq!(rfc1123z(crate::world::clock::EPOCH), "Thu, 15 Jan 2026 09:00:00 +0000");
        assert_eq!(rfc1123z(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    }

    #[test]
    fn labels_align_under_the_first() {
        let mut w = W::default();
        w.w(0, "Name:\tweb\n");
        let m: BTreeMap<String, String> = [("b".to_string(), "2".to_string()), ("a".to_string(), "1".to_string())].into();
        labels(&mut w, "Labels", &m);
        annotations(&mut w, "Annotations", &BTreeMap::new());
        assert_eq!(w.finish(), "Name:         web\nLabels:       a=1\n              b=2\nAnnotations:  <none>\n");
    }
}
