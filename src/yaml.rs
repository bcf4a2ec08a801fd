//! YAML as kubectl prints it (go-yaml's emitter over JSON values) and as kubectl reads it
//! (sigs.k8s.io/yaml: YAML 1.1 scalars, converted to JSON, multi-document streams).

pub mod decode;
pub mod emit;
pub mod go_sort;

pub use decode::{DecodeError, parse_documents};
pub use emit::to_string;
