//! `-o custom-columns=HEADER:.path,...`.

use serde_json::Value;

pub fn print(_obj: &Value, _spec: &str) -> Result<String, String> {
    Err("custom-columns output is not available in this simulation yet".into())
}
