//! `--sort-by=<jsonpath>`: objects ordered by one field, as kubectl's `RuntimeSort` /
//! `isLess` compare values: numbers numerically, strings byte-wise unless both are quantities
//! (`500Mi` < `1Gi`), objects without the field first.

use std::cmp::Ordering;

use std::borrow::Borrow;

use serde_json::Value;

use crate::cluster::table::jsonpath::Template;

/// Sorts objects by the value `expr` (already in `{.a.b}` form) finds in each (stable, like
/// kubectl's `sort.Stable`).
pub fn sort_objects<T: Borrow<Value>>(objects: &mut Vec<T>, expr: &str) -> Result<(), String> {
    if objects.is_empty() {
        return Ok(());
    }
    let t = Template::parse(expr).map_err(|e| format!("error parsing jsonpath {expr}, {e}"))?;
    let mut keys: Vec<Option<Value>> = Vec::with_capacity(objects.len());
    for o in objects.iter() {
        keys.push(t.find_results(o.borrow()).map_err(|e| e.to_string())?.into_iter().flatten().next());
    }
    if keys.iter().all(Option::is_none) {
        return Err(format!("couldn't find any field with path {expr:?} in the list of objects"));
    }
    let mut keyed: Vec<(Option<Value>, T)> = keys.into_iter().zip(objects.drain(..)).collect();
    keyed.sort_by(|a, b| compare(a.0.as_ref(), b.0.as_ref()));
    objects.extend(keyed.into_iter().map(|(_, o)| o));
    Ok(())
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => {
            if is_quantity(x) && is_quantity(y) {
                let (a, b) =
                    (crate::programs::kubectl::describe::quantity::parse(x), crate::programs::kubectl::describe::quantity::parse(y));
                a.cmp(&b)
            } else {
                x.cmp(y)
            }
        }
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
    }
}

/// Whether `s` parses as a `resource.Quantity` (`^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`
/// with a known suffix).
fn is_quantity(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let split = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
    let (num, suffix) = body.split_at(split);
    if !num.chars().any(|c| c.is_ascii_digit()) || num.matches('.').count() > 1 {
        return false;
    }
    let exponent = |e: &str| {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    };
    matches!(suffix, "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei")
        || suffix.strip_prefix(['e', 'E']).is_some_and(exponent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_numbers_strings_and_quantities() {
        let mut objs = vec![json!({"n": "pod-10", "r": 3}), json!({"n": "pod-9", "r": 1}), json!({"n": "pod-1"})];
        sort_objects(&mut objs, "{.n}").unwrap();
        // Plain strings compare byte-wise.
        assert_eq!(objs.iter().map(|o| o["n"].as_str().unwrap()).collect::<Vec<_>>(), ["pod-1", "pod-10", "pod-9"]);
        sort_objects(&mut objs, "{.r}").unwrap();
        assert_eq!(objs.iter().map(|o| o["n"].as_str().unwrap()).collect::<Vec<_>>(), ["pod-1", "pod-9", "pod-10"]);
        let mut mem = vec![json!({"m": "1Gi"}), json!({"m": "500Mi"}), json!({"m": "2"})];
        sort_objects(&mut mem, "{.m}").unwrap();
        assert_eq!(mem.iter().map(|o| o["m"].as_str().unwrap()).collect::<Vec<_>>(), ["2", "500Mi", "1Gi"]);
        assert!(sort_objects(&mut objs, "{.zz}").is_err());
    }
}
