//! `-o go-template=TEMPLATE`: the basics of Go's text/template over the object.

use serde_json::Value;

pub fn print(_obj: &Value, _template: &str) -> Result<String, String> {
    Err("go-template output is not available in this simulation yet".into())
}
