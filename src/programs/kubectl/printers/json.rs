//! `-o json`: Go's `json.MarshalIndent(obj, "", "    ")` plus a newline (see [`crate::gojson`]).

pub use crate::gojson::{compact, print, write_string};
