//! The small Unix tools of an exam terminal: cat, echo, grep, sed, base64 …, one file each.

pub mod cat;

use super::Program;

/// The coreutils entries of the program table.
pub fn programs() -> Vec<Program> {
    vec![Program { name: "cat", path: "/usr/bin/cat", summary: "concatenate files and print them", run: cat::run }]
}
