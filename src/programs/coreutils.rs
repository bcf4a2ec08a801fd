//! The small Unix tools of an exam terminal: cat, echo, grep, sed, base64 …, one file each, with
//! GNU coreutils' behaviour and messages (C.UTF-8 locale, as on the exam hosts).

pub mod awk;
pub mod base64;
pub mod basename;
pub mod cat;
pub mod chmod;
pub mod column;
pub mod cp;
pub mod cut;
pub mod date;
pub mod diff;
pub mod dirname;
pub mod echo;
pub mod env;
pub mod find;
pub mod grep;
pub mod head;
pub mod hostname;
pub mod id;
pub mod less;
pub mod ls;
pub mod mkdir;
pub mod mv;
pub mod paste;
pub mod printf;
pub mod realpath;
pub mod regex_posix;
pub mod rev;
pub mod rm;
pub mod sed;
pub mod seq;
pub mod sleep;
pub mod sort;
pub mod tail;
pub mod tee;
pub mod touch;
pub mod tr;
pub mod uniq;
pub mod util;
pub mod wc;
pub mod which;
pub mod whoami;
pub mod xargs;

use super::Program;

macro_rules! program {
    ($name:literal, $module:ident, $summary:literal) => {
        Program { name: $name, path: concat!("/usr/bin/", $name), summary: $summary, run: $module::run }
    };
}

/// The coreutils entries of the program table.
pub fn programs() -> Vec<Program> {
    vec![
        program!("awk", awk, "pattern scanning and text processing language"),
        program!("base64", base64, "base64 encode or decode data"),
        program!("basename", basename, "strip directory and suffix from file names"),
        program!("cat", cat, "concatenate files and print them"),
        program!("chmod", chmod, "change file mode bits"),
        program!("column", column, "columnate lists"),
        program!("cp", cp, "copy files and directories"),
        program!("cut", cut, "remove sections from each line of files"),
        program!("date", date, "print the system date and time"),
        program!("diff", diff, "compare files line by line"),
        program!("dirname", dirname, "strip the last component from file names"),
        program!("echo", echo, "print a line of text"),
        program!("env", env, "print the environment or run a program in a changed one"),
        program!("find", find, "search for files in a directory hierarchy"),
        program!("grep", grep, "print lines that match patterns"),
        program!("head", head, "output the first part of files"),
        program!("hostname", hostname, "show the system's host name"),
        program!("id", id, "print real and effective user and group IDs"),
        program!("less", less, "view a file (printed whole: there is no terminal to page on)"),
        program!("ls", ls, "list directory contents"),
        Program { name: "more", path: "/usr/bin/more", summary: "view a file (printed whole)", run: less::run_more },
        program!("mkdir", mkdir, "make directories"),
        program!("mv", mv, "move (rename) files"),
        program!("paste", paste, "merge lines of files"),
        program!("printf", printf, "format and print data"),
        program!("realpath", realpath, "print the resolved path"),
        program!("rev", rev, "reverse lines characterwise"),
        program!("rm", rm, "remove files or directories"),
        program!("sed", sed, "stream editor for filtering and transforming text"),
        program!("seq", seq, "print a sequence of numbers"),
        program!("sleep", sleep, "delay for a specified amount of time"),
        program!("sort", sort, "sort lines of text files"),
        program!("tail", tail, "output the last part of files"),
        program!("tee", tee, "read from standard input and write to standard output and files"),
        program!("touch", touch, "change file timestamps (create empty files)"),
        program!("tr", tr, "translate or delete characters"),
        program!("uniq", uniq, "report or omit repeated lines"),
        program!("wc", wc, "print newline, word, and byte counts"),
        program!("which", which, "locate a command"),
        program!("whoami", whoami, "print the effective user name"),
        program!("xargs", xargs, "build and execute command lines from standard input"),
    ]
}
