//! Reading fields of JSON objects by JSON Pointer (`/status/podIPs/0/ip`) without allocating:
//! `serde_json::Value::pointer` unescapes every token into a new `String`, which dominates the
//! cost of printing tables of thousands of objects. Paths here are written in code, so `~`
//! escapes are rare; a path holding one falls back to the general implementation.

use serde_json::Value;

/// The value at `pointer` (RFC 6901), like [`Value::pointer`].
pub fn at<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.contains('~') {
        return value.pointer(pointer);
    }
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(value, |v, token| match v {
        Value::Object(map) => map.get(token),
        Value::Array(items) => index(token).and_then(|i| items.get(i)),
        _ => None,
    })
}

/// An array index token: digits without a leading zero (RFC 6901 section 4).
fn index(token: &str) -> Option<usize> {
    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) || !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::at;

    #[test]
    fn agrees_with_serde_json_pointer() {
        let v = json!({"a": {"b": [10, {"c": "x"}], "": 1, "d/e": 2, "f~g": 3}, "n": null});
        for p in
            ["", "/a", "/a/b", "/a/b/0", "/a/b/1/c", "/a/b/01", "/a/b/2", "/a/b/-", "/a/", "/a/d~1e", "/a/f~0g", "/n", "/n/x", "x", "/zz"]
        {
            assert_eq!(at(&v, p), v.pointer(p), "pointer {p:?}");
        }
    }
}
