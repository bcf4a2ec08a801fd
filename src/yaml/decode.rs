//! Reading manifests: a YAML or JSON stream into JSON values, with the errors kubectl prints.

use serde_json::Value;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct DecodeError {
    pub message: String,
}

/// Splits a YAML (or JSON) stream into its non-empty documents, each converted to JSON.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, DecodeError> {
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let v: Value = serde::Deserialize::deserialize(doc).map_err(|e| DecodeError { message: e.to_string() })?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(out)
}
