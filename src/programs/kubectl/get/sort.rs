//! `--sort-by=<jsonpath>`: objects ordered by one field, as kubectl's `RuntimeSort` compares
//! values (numbers numerically, strings in natural order, missing values first).

use std::cmp::Ordering;

use serde_json::Value;

use crate::cluster::table::jsonpath::Template;

/// Sorts objects by the value `expr` (already in `{.a.b}` form) finds in each.
pub fn sort_objects(objects: &mut [Value], expr: &str) -> Result<(), String> {
    if objects.is_empty() {
        return Ok(());
    }
    let t = Template::parse(expr).map_err(|e| format!("error parsing jsonpath {expr}, {e}"))?;
    let mut keyed: Vec<(Option<Value>, Value)> = Vec::new();
    for o in objects.iter() {
        let v = t.find_results(o).map_err(|e| e.to_string())?.into_iter().flatten().next();
        keyed.push((v, o.clone()));
    }
    if keyed.iter().all(|(k, _)| k.is_none()) {
        return Err(format!("couldn't find any field with path {expr:?} in the list of objects"));
    }
    keyed.sort_by(|a, b| compare(a.0.as_ref(), b.0.as_ref()));
    for (slot, (_, o)) in objects.iter_mut().zip(keyed) {
        *slot = o;
    }
    Ok(())
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => natural(x, y),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(x), Some(y)) => natural(&x.to_string(), &y.to_string()),
    }
}

/// Natural order: digit runs compare as numbers, everything else byte by byte.
pub fn natural(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < ab.len() && j < bb.len() {
        if ab[i].is_ascii_digit() && bb[j].is_ascii_digit() {
            let si = i;
            while i < ab.len() && ab[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < bb.len() && bb[j].is_ascii_digit() {
                j += 1;
            }
            let na = a[si..i].trim_start_matches('0');
            let nb = b[sj..j].trim_start_matches('0');
            let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if ord != Ordering::Equal {
                return ord;
            }
        } else {
            if ab[i] != bb[j] {
                return ab[i].cmp(&bb[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (ab.len() - i).cmp(&(bb.len() - j))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_numbers_and_natural_strings() {
        let mut objs = vec![json!({"n": "pod-10", "r": 3}), json!({"n": "pod-9", "r": 1}), json!({"n": "pod-1"})];
        sort_objects(&mut objs, "{.n}").unwrap();
        assert_eq!(objs.iter().map(|o| o["n"].as_str().unwrap()).collect::<Vec<_>>(), ["pod-1", "pod-9", "pod-10"]);
        sort_objects(&mut objs, "{.r}").unwrap();
        assert_eq!(objs.iter().map(|o| o["n"].as_str().unwrap()).collect::<Vec<_>>(), ["pod-1", "pod-9", "pod-10"]);
        assert!(sort_objects(&mut objs, "{.zz}").is_err());
    }
}
