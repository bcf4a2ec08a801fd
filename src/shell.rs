//! The learner's shell: a bash subset good enough for exam habits (quoting, expansions, pipes,
//! redirections, heredocs, `&&`/`||`, aliases, `ssh`), running programs from the program table.
//!
//! Messages follow an interactive bash on the exam terminal (`bash: cd: /nope: …`, no
//! `line N:`), except the end-of-input errors of a script, which only exist for `bash -c` and
//! use its words (`bash: -c: line 1: unexpected EOF while looking for matching `''`).

pub mod arith;
pub mod builtins;
pub mod exec;
pub mod expand;
pub mod lexer;
pub mod parser;
pub mod session;

use crate::programs::{Output, Stream, SubshellRequest};
use crate::world::World;
use exec::Shell;
use lexer::LexError;
use parser::ParseError;
pub use session::Session;

/// Runs a script (one or more command lines) in the session and returns what a terminal would
/// show and the status of the last command. Each complete command is parsed and run in turn, as
/// bash reads a script; `exit` at the top level ends the script and marks the session exited.
pub fn run_script(world: &mut World, session: &mut Session, script: &str) -> (Output, i32) {
    let mut out = Output::default();
    let status = run_lines(world, session, script, b"", true, &mut out);
    (out, status)
}

fn run_lines(world: &mut World, session: &mut Session, script: &str, stdin: &[u8], record: bool, out: &mut Output) -> i32 {
    let mut status = session.frame().last_status;
    let mut chunk = String::new();
    let mut chunk_line = 1;
    let mut line_no = 0;
    let lines: Vec<&str> = script.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        line_no += 1;
        if chunk.is_empty() {
            chunk_line = line_no;
        }
        chunk.push_str(line);
        let last = i + 1 == lines.len();
        if needs_more_input(&chunk) && !last {
            continue;
        }
        let text = std::mem::take(&mut chunk);
        status = run_chunk(world, session, &text, chunk_line, line_no, stdin, record, out);
        if session.exited {
            break;
        }
    }
    status
}

#[allow(clippy::too_many_arguments)] // reason: the chunk runner needs its position for bash's messages
fn run_chunk(
    world: &mut World,
    session: &mut Session,
    text: &str,
    first_line: usize,
    last_line: usize,
    stdin: &[u8],
    record: bool,
    out: &mut Output,
) -> i32 {
    let trimmed = text.trim_end_matches('\n');
    if trimmed.trim().is_empty() {
        return session.frame().last_status;
    }
    if record && !trimmed.starts_with(' ') {
        session.history.push(trimmed.to_string());
    }
    let list = match parser::parse(text) {
        Ok((list, open)) => {
            if let Some((line, delim)) = open {
                out.err(format!(
                    "bash: warning: here-document at line {} delimited by end-of-file (wanted `{delim}')\n",
                    first_line + line - 1
                ));
            }
            list
        }
        Err(e) => {
            let msg = match &e {
                ParseError::Lex(LexError::OpenQuote(q, line)) => {
                    format!("bash: -c: line {}: unexpected EOF while looking for matching `{q}'\n", first_line + line - 1)
                }
                ParseError::Eof | ParseError::Lex(LexError::Continuation) | ParseError::Lex(LexError::OpenHeredoc { .. }) => {
                    format!("bash: -c: line {}: syntax error: unexpected end of file\n", last_line + 1)
                }
                ParseError::Unexpected(_) => format!("bash: {e}\n"),
            };
            out.err(msg);
            session.frame_mut().last_status = 2;
            return 2;
        }
    };
    let mut sh = Shell::new(world, session);
    let status = sh.run_list(&list, stdin, out);
    let exit = sh.exit;
    drop(sh);
    match exit {
        Some(code) if session.frames.len() > 1 => {
            // Leaving an `ssh` login shell: back to the host we came from.
            if let Some(frame) = session.frames.pop() {
                out.push(Stream::Stdout, b"logout\n");
                out.push(Stream::Stderr, format!("Connection to {} closed.\n", frame.host).as_bytes());
            }
            session.frame_mut().last_status = code;
            code
        }
        Some(code) => {
            session.exited = true;
            session.frame_mut().last_status = code;
            code
        }
        None => status,
    }
}

/// Runs a command line in a fresh shell on a host (the implementation behind
/// [`crate::programs::Ctx::run_subshell`]).
pub fn subshell(world: &mut World, req: &SubshellRequest<'_>) -> (Output, i32) {
    let mut session = exec::child_session(req.host, req.cwd, req.env);
    let mut out = Output::default();
    let status = run_lines(world, &mut session, req.line, req.stdin, false, &mut out);
    (out, status)
}

/// The exam terminal's prompt: `root@controlplane:~# `.
pub fn prompt(session: &Session) -> String {
    let cwd = session.cwd();
    let home = session.frame().vars.get("HOME").map_or("/root", String::as_str);
    let shown = if cwd == home {
        "~".to_string()
    } else if let Some(rest) = cwd.strip_prefix(&format!("{home}/")) {
        format!("~/{rest}")
    } else {
        cwd.to_string()
    };
    format!("root@{}:{shown}# ", session.host())
}

/// Whether `text` is an unfinished command (open quote, heredoc without its end marker, trailing
/// `|`, `&&`, `||` or `\`, an open `if`/`{` …), so an interactive terminal should ask for another line.
pub fn needs_more_input(text: &str) -> bool {
    match parser::parse(text) {
        Ok((_, open)) => open.is_some(),
        Err(ParseError::Eof | ParseError::Lex(LexError::OpenQuote(..) | LexError::Continuation)) => true,
        Err(_) => false,
    }
}
