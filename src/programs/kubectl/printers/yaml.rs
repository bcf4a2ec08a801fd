//! `-o yaml`: objects through the go-yaml compatible emitter; several objects separated by `---`.

use serde_json::Value;

pub fn print(obj: &Value) -> String {
    crate::yaml::to_string(obj)
}
