//! JSON patch (RFC 6902) with the behaviour and error texts of the library both kubectl and the
//! API server link for it, evanphx/json-patch v4.12 (read, not copied). Its quirks are what
//! learners see, so they are kept: `replace` and `copy` of a missing object key succeed (a
//! missing key reads as null), negative array indices count from the end, errors are wrapped as
//! `error in <op> for path: '<path>': <cause>: <sentinel>`.

use serde_json::Value;

use super::PatchError;

const MISSING: &str = "missing value";
const INVALID_INDEX: &str = "invalid index referenced";
const TEST_FAILED: &str = "test failed";

/// Applies `ops` (a JSON array of operations) to `target`.
pub fn json_patch(target: &Value, ops: &Value) -> Result<Value, PatchError> {
    let Some(ops) = ops.as_array() else {
        let ty = match ops {
            Value::Object(_) => "object",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            _ => "null",
        };
        return Err(PatchError::Invalid(format!("json: cannot unmarshal {ty} into Go value of type jsonpatch.Patch")));
    };
    let mut doc = target.clone();
    for op in ops {
        apply(&mut doc, op).map_err(PatchError::JsonPatch)?;
    }
    Ok(doc)
}

/// One operation; the error is the library's message.
fn apply(doc: &mut Value, op: &Value) -> Result<(), String> {
    let kind = match op.get("op") {
        Some(Value::String(s)) => s.as_str(),
        _ => "unknown",
    };
    let path = || match op.get("path") {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Null) | None => Err(format!("operation missing path field: {MISSING}")),
        Some(_) => Err("json: cannot unmarshal into Go value of type string".to_string()),
    };
    let from = || match op.get("from") {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Null) | None => Err(format!("operation, missing from field: {MISSING}")),
        Some(_) => Err("json: cannot unmarshal into Go value of type string".to_string()),
    };
    // A missing `value` is a nil node, which serialises as null.
    let value = || op.get("value").cloned().unwrap_or(Value::Null);
    match kind {
        "add" => {
            let path = path().map_err(|_| format!("add operation failed to decode path: {MISSING}"))?;
            let (con, key) =
                find(doc, &path).ok_or_else(|| format!("add operation does not apply: doc is missing path: \"{path}\": {MISSING}"))?;
            add(con, &key, value()).map_err(|e| format!("error in add for path: '{path}': {e}"))
        }
        "remove" => {
            let path = path().map_err(|e| format!("remove operation failed to decode path: {e}"))?;
            let (con, key) =
                find(doc, &path).ok_or_else(|| format!("remove operation does not apply: doc is missing path: \"{path}\": {MISSING}"))?;
            remove(con, &key).map(drop).map_err(|e| format!("error in remove for path: '{path}': {e}"))
        }
        "replace" => {
            let path = path().map_err(|e| format!("replace operation failed to decode path: {e}"))?;
            if path.is_empty() {
                let v = value();
                if !v.is_object() && !v.is_array() {
                    return Err("replace operation value must be object or array".into());
                }
                *doc = v;
                return Ok(());
            }
            let (con, key) =
                find(doc, &path).ok_or_else(|| format!("replace operation does not apply: doc is missing path: {path}: {MISSING}"))?;
            get(con, &key).map_err(|_| format!("replace operation does not apply: doc is missing key: {path}: {MISSING}"))?;
            set(con, &key, value()).map_err(|e| format!("error in remove for path: '{path}': {e}"))
        }
        "move" => {
            let from = from().map_err(|e| format!("move operation failed to decode from: {e}"))?;
            let (con, key) =
                find(doc, &from).ok_or_else(|| format!("move operation does not apply: doc is missing from path: {from}: {MISSING}"))?;
            get(con, &key).map_err(|e| format!("error in move for path: '{key}': {e}"))?;
            let v = remove(con, &key).map_err(|e| format!("error in move for path: '{key}': {e}"))?;
            let path = path().map_err(|e| format!("move operation failed to decode path: {e}"))?;
            let (con, key) = find(doc, &path)
                .ok_or_else(|| format!("move operation does not apply: doc is missing destination path: {path}: {MISSING}"))?;
            add(con, &key, v).map_err(|e| format!("error in move for path: '{path}': {e}"))
        }
        "copy" => {
            let from = from().map_err(|e| format!("copy operation failed to decode from: {e}"))?;
            let (con, key) =
                find(doc, &from).ok_or_else(|| format!("copy operation does not apply: doc is missing from path: {from}: {MISSING}"))?;
            let v = get(con, &key).map_err(|e| format!("error in copy for from: '{from}': {e}"))?.cloned().unwrap_or(Value::Null);
            let path = path().map_err(|_| format!("copy operation failed to decode path: {MISSING}"))?;
            let (con, key) = find(doc, &path)
                .ok_or_else(|| format!("copy operation does not apply: doc is missing destination path: {path}: {MISSING}"))?;
            add(con, &key, v).map_err(|e| format!("error while adding value during copy: {e}"))
        }
        "test" => {
            let path = path().map_err(|e| format!("test operation failed to decode path: {e}"))?;
            let failed = || format!("testing value {path} failed: {TEST_FAILED}");
            if path.is_empty() {
                return if *doc == value() { Ok(()) } else { Err(failed()) };
            }
            let want = op.get("value");
            let (con, key) =
                find(doc, &path).ok_or_else(|| format!("test operation does not apply: is missing path: {path}: {MISSING}"))?;
            let have = get(con, &key).map_err(|e| format!("error in test for path: '{path}': {e}"))?;
            match (have, want) {
                (None, None | Some(Value::Null)) => Ok(()),
                (Some(h), Some(w)) if h == w => Ok(()),
                _ => Err(failed()),
            }
        }
        other => Err(format!("Unexpected kind: {other}")),
    }
}

/// RFC 6901 token decoding.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The container that holds the last token of `path`, and that token: the library's
/// `findObject`. Only objects and arrays are containers; a path without a leading token has none.
fn find<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() < 2 {
        return None;
    }
    let key = unescape(parts.pop().unwrap_or_default());
    let mut cur = doc;
    for part in &parts[1..] {
        let part = unescape(part);
        cur = match cur {
            Value::Object(m) => m.get_mut(&part)?,
            Value::Array(a) => {
                let i = index(&part, a.len()).ok()?;
                a.get_mut(i)?
            }
            _ => return None,
        };
        if !cur.is_object() && !cur.is_array() {
            return None;
        }
    }
    Some((cur, key))
}

/// An array index as Go's `strconv.Atoi` reads it, negative ones counted from the end of an
/// array of `len` elements.
fn index(key: &str, len: usize) -> Result<usize, String> {
    let i: i64 = atoi(key)?;
    let len = len as i64;
    let i = if i < 0 {
        if i < -len {
            return Err(format!("Unable to access invalid index: {i}: {INVALID_INDEX}"));
        }
        i + len
    } else {
        i
    };
    if i >= len {
        return Err(format!("Unable to access invalid index: {i}: {INVALID_INDEX}"));
    }
    Ok(i as usize)
}

fn atoi(key: &str) -> Result<i64, String> {
    let digits = key.strip_prefix(['+', '-']).unwrap_or(key);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing \"{key}\": invalid syntax"));
    }
    key.parse().map_err(|_| format!("strconv.Atoi: parsing \"{key}\": value out of range"))
}

fn get<'a>(con: &'a Value, key: &str) -> Result<Option<&'a Value>, String> {
    match con {
        Value::Object(m) => Ok(m.get(key)),
        Value::Array(a) => Ok(a.get(index(key, a.len())?)),
        _ => Err(MISSING.into()),
    }
}

fn set(con: &mut Value, key: &str, v: Value) -> Result<(), String> {
    match con {
        Value::Object(m) => {
            m.insert(key.to_string(), v);
            Ok(())
        }
        Value::Array(a) => {
            let i = index(key, a.len())?;
            a[i] = v;
            Ok(())
        }
        _ => Err(MISSING.into()),
    }
}

fn add(con: &mut Value, key: &str, v: Value) -> Result<(), String> {
    match con {
        Value::Object(m) => {
            m.insert(key.to_string(), v);
            Ok(())
        }
        Value::Array(a) => {
            if key == "-" {
                a.push(v);
                return Ok(());
            }
            let i = atoi(key).map_err(|e| format!("value was not a proper array index: '{key}': {e}"))?;
            // The array grows by one, so its length is a valid position (an append).
            let i = index(&i.to_string(), a.len() + 1)?;
            a.insert(i, v);
            Ok(())
        }
        _ => Err(MISSING.into()),
    }
}

fn remove(con: &mut Value, key: &str) -> Result<Value, String> {
    match con {
        Value::Object(m) => m.shift_remove(key).ok_or_else(|| format!("Unable to remove nonexistent key: {key}: {MISSING}")),
        Value::Array(a) => {
            let i = index(key, a.len())?;
            Ok(a.remove(i))
        }
        _ => Err(MISSING.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(doc: Value, ops: Value) -> String {
        json_patch(&doc, &ops).expect_err("the patch fails").to_string()
    }

    #[test]
    fn the_rfc_operations() {
        let t = json!({"spec": {"replicas": 1, "list": [1, 2]}});
        let ops = json!([
            {"op": "replace", "path": "/spec/replicas", "value": 3},
            {"op": "add", "path": "/spec/list/-", "value": 9},
            {"op": "remove", "path": "/spec/list/0"},
            {"op": "add", "path": "/metadata", "value": {"a~b": 1}},
            {"op": "test", "path": "/metadata/a~0b", "value": 1},
            {"op": "copy", "from": "/spec/replicas", "path": "/spec/copied"},
            {"op": "move", "from": "/spec/copied", "path": "/spec/moved"}
        ]);
        assert_eq!(json_patch(&t, &ops).unwrap(), json!({"spec": {"replicas": 3, "list": [2, 9], "moved": 3}, "metadata": {"a~b": 1}}));
    }

    #[test]
    fn the_library_quirks_learners_meet() {
        // Replacing or copying a missing object key reads it as null instead of failing.
        assert_eq!(json_patch(&json!({"a": {}}), &json!([{"op": "replace", "path": "/a/b", "value": 1}])).unwrap(), json!({"a": {"b": 1}}));
        assert_eq!(
            json_patch(&json!({"a": {}}), &json!([{"op": "copy", "from": "/a/x", "path": "/a/y"}])).unwrap(),
            json!({"a": {"y": null}})
        );
        // Negative indices count from the end; in an add, -1 appends.
        assert_eq!(
            json_patch(&json!({"l": [1, 2]}), &json!([{"op": "add", "path": "/l/-1", "value": 3}])).unwrap(),
            json!({"l": [1, 2, 3]})
        );
        assert_eq!(json_patch(&json!({"l": [1, 2]}), &json!([{"op": "remove", "path": "/l/-2"}])).unwrap(), json!({"l": [2]}));
    }

    #[test]
    fn error_texts_are_the_libraries() {
        // Captured from kubectl v1.35.2 (`kubectl run --override-type=json`, the same library).
        let pod = json!({"spec": {"containers": [{"name": "web"}]}});
        assert_eq!(
            err(pod.clone(), json!([{"op": "remove", "path": "/spec/foo"}])),
            "error in remove for path: '/spec/foo': Unable to remove nonexistent key: foo: missing value"
        );
        assert_eq!(
            err(pod.clone(), json!([{"op": "remove", "path": "/spec/foo/bar"}])),
            "remove operation does not apply: doc is missing path: \"/spec/foo/bar\": missing value"
        );
        assert_eq!(
            err(pod.clone(), json!([{"op": "replace", "path": "/spec/foo/bar", "value": 1}])),
            "replace operation does not apply: doc is missing path: /spec/foo/bar: missing value"
        );
        assert_eq!(
            err(pod.clone(), json!([{"op": "remove", "path": "/spec/containers/5"}])),
            "error in remove for path: '/spec/containers/5': Unable to access invalid index: 5: invalid index referenced"
        );
        assert_eq!(
            err(pod.clone(), json!([{"op": "add", "path": "/spec/containers/5", "value": {}}])),
            "error in add for path: '/spec/containers/5': Unable to access invalid index: 5: invalid index referenced"
        );
        assert_eq!(
            err(pod.clone(), json!([{"op": "move", "from": "/spec/x", "path": "/spec/y"}])),
            "error in move for path: 'x': Unable to remove nonexistent key: x: missing value"
        );
        assert_eq!(err(pod.clone(), json!([{"op": "test", "path": "/spec/x", "value": "y"}])), "testing value /spec/x failed: test failed");
        assert_eq!(err(pod.clone(), json!([{"op": "bogus", "path": "/spec"}])), "Unexpected kind: bogus");
        assert_eq!(err(pod, json!({"a": 1})), "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    }
}
