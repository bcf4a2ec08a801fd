//! `-o jsonpath=TEMPLATE`: kubectl's JSONPath template language (`{.items[*].metadata.name}`,
//! `{range}…{end}`, filters, `{"\n"}`).

use serde_json::Value;

pub fn print(_obj: &Value, _template: &str, _as_json: bool) -> Result<String, String> {
    Err("jsonpath output is not available in this simulation yet".into())
}
