//! The small Unix tools of an exam terminal: cat, echo, grep, sed, base64 …, one file each.

pub mod cat;
pub mod echo;
pub mod printf;

use super::Program;

/// The coreutils entries of the program table.
pub fn programs() -> Vec<Program> {
    vec![
        Program { name: "cat", path: "/usr/bin/cat", summary: "concatenate files and print them", run: cat::run },
        Program { name: "echo", path: "/usr/bin/echo", summary: "print a line of text", run: echo::run },
        Program { name: "printf", path: "/usr/bin/printf", summary: "format and print data", run: printf::run },
    ]
}
