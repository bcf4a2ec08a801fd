//! kubectl's printer chain: `-o yaml|json|name|wide|jsonpath|custom-columns|go-template` and the
//! human-readable tables. Verbs resolve `-o` once with [`OutputFormat::parse`] and print every
//! object through [`print`]; tables go through [`table`].

pub mod custom_columns;
pub mod go_template;
pub mod json;
pub mod jsonpath;
pub mod name;
pub mod table;
pub mod yaml;

use serde_json::Value;

use crate::programs::Output;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFormat {
    /// No `-o`: the verb's own human output (a table for `get`, a message for `create`).
    Default,
    Wide,
    Yaml,
    Json,
    Name,
    JsonPath(String),
    JsonPathAsJson(String),
    CustomColumns(String),
    GoTemplate(String),
}

pub use crate::gojson::KeyOrder;

impl OutputFormat {
    /// Parses the value of `-o`. The error is kubectl's whole message line without `error: `.
    pub fn parse(value: &str) -> Result<Self, String> {
        match value {
            "" => Ok(OutputFormat::Default),
            "wide" => Ok(OutputFormat::Wide),
            "yaml" => Ok(OutputFormat::Yaml),
            "json" => Ok(OutputFormat::Json),
            "name" => Ok(OutputFormat::Name),
            _ => {
                let (kind, arg) = value.split_once('=').unwrap_or((value, ""));
                match kind {
                    "jsonpath" => Ok(OutputFormat::JsonPath(arg.to_string())),
                    "jsonpath-as-json" => Ok(OutputFormat::JsonPathAsJson(arg.to_string())),
                    "custom-columns" => Ok(OutputFormat::CustomColumns(arg.to_string())),
                    "go-template" | "template" => Ok(OutputFormat::GoTemplate(arg.to_string())),
                    _ => Err(format!(
                        "unable to match a printer suitable for the output format \"{value}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml"
                    )),
                }
            }
        }
    }
}

/// Prints one object (or a `List`) in a non-table format.
pub fn print(out: &mut Output, obj: &Value, format: &OutputFormat, order: KeyOrder) -> Result<(), String> {
    match format {
        OutputFormat::Yaml => out.out(yaml::print(obj)),
        OutputFormat::Json => out.out(json::print(obj, order)),
        OutputFormat::Name => out.out(name::print(obj)),
        OutputFormat::JsonPath(t) => out.out(jsonpath::print(obj, t, false)?),
        OutputFormat::JsonPathAsJson(t) => out.out(jsonpath::print(obj, t, true)?),
        OutputFormat::CustomColumns(spec) => out.out(custom_columns::print(obj, spec)?),
        OutputFormat::GoTemplate(t) => out.out(go_template::print(obj, t)?),
        OutputFormat::Default | OutputFormat::Wide => return Err("a table format was passed to the object printer".into()),
    }
    Ok(())
}
