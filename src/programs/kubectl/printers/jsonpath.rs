//! `-o jsonpath=TEMPLATE` and `-o jsonpath-as-json=TEMPLATE`: kubectl's JSONPath printer over the
//! engine in `cluster::table::jsonpath`, with kubectl's error messages.

use serde_json::Value;

use crate::cluster::table::jsonpath::{Template, go_sharp_v};

/// Checks a template when the printer is built, as kubectl does before any request. The error is
/// kubectl's message without `error: `.
pub fn check(template: &str) -> Result<(), String> {
    Template::parse(template).map(|_| ()).map_err(|e| format!("error parsing jsonpath {template}, {e}"))
}

/// Prints one object (or a `List`) through the template.
pub fn print(obj: &Value, template: &str, as_json: bool) -> Result<String, String> {
    let t = Template::parse(template).map_err(|e| format!("error parsing jsonpath {template}, {e}"))?;
    t.execute(obj, as_json).map_err(|e| {
        let quoted = serde_json::to_string(template).unwrap_or_default();
        format!(
            "error executing jsonpath {quoted}: Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
            go_sharp_v(obj)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_jsonpath_messages() {
        assert_eq!(check("{.foo").unwrap_err(), "error parsing jsonpath {.foo, unclosed action");
        let e = print(&json!({"items": []}), "{.items[0].metadata.name}", false).unwrap_err();
        assert!(e.starts_with("error executing jsonpath \"{.items[0].metadata.name}\": Error executing template: array index out of bounds: index 0, length 0. Printing more information"));
        assert!(e.contains("\t\tmap[string]interface {}{\"items\":[]interface {}{}}\n\n\n"));
        assert_eq!(print(&json!({"metadata": {"name": "x"}}), "{.metadata.name}", false).unwrap(), "x");
    }
}
