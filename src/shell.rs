//! The learner's shell: a bash subset good enough for exam habits (quoting, expansions, pipes,
//! redirections, heredocs, `&&`/`||`, aliases, `ssh`), running programs from the program table.
//!
//! Messages follow an interactive bash on the exam terminal (`bash: cd: /nope: …`, no
//! `line N:`), except the end-of-input errors of a script, which only exist for `bash -c` and
//! use its words (`bash: -c: line 1: unexpected EOF while looking for matching `''`).

pub mod arith;
pub mod builtins;
pub mod dirstack;
pub mod exec;
pub mod expand;
pub mod jobctl;
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
    // A session saved after `exit` starts again as a new terminal would.
    session.exited = false;
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
    // While a here-document body is being read, only its end marker can complete the command,
    // so long bodies are not parsed again line by line.
    let mut waiting_for: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        line_no += 1;
        if chunk.is_empty() {
            chunk_line = line_no;
        }
        chunk.push_str(line);
        let last = i + 1 == lines.len();
        if let Some(delim) = &waiting_for {
            let bare = line.trim_end_matches('\n');
            if !last && bare != delim && bare.trim_start_matches('\t') != delim {
                continue;
            }
        }
        waiting_for = None;
        if !last && needs_more_input(&chunk) {
            waiting_for = match parser::parse(&chunk) {
                Ok((_, Some((_, delim)))) => Some(delim),
                _ => None,
            };
            continue;
        }
        let text = std::mem::take(&mut chunk);
        status = run_chunk(world, session, &text, chunk_line, line_no, stdin, record, out);
        world.settle();
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
    let frames = session.frames.len();
    let mut sh = Shell::new(world, session);
    sh.interactive = true;
    let line_start = sh.session.frame().pipelines;
    sh.read_rc(out);
    sh.positional = sh.session.frame().positional.clone();
    let mut status = sh.run_list(&list, stdin, out);
    if sh.aborted {
        // An expansion error abandoned the rest of the line; the terminal shell carries on.
        status = sh.session.frame().last_status;
    }
    // Before the next prompt: jobs started on earlier lines (a job of this line is taken to be
    // still running until the next line).
    sh.notify_jobs(line_start, out);
    if let Some(code) = sh.exit {
        // The terminal shell is ending (`exit`, `set -e`): its EXIT trap runs first.
        let code = sh.run_exit_trap(code, out);
        sh.exit = Some(code);
    }
    let exit = sh.exit;
    let positional = std::mem::take(&mut sh.positional);
    drop(sh);
    if session.frames.len() == frames {
        session.frame_mut().positional = positional;
    }
    match exit {
        Some(code) if session.frames.len() > 1 => {
            // Leaving an `ssh` login shell: back to the host we came from.
            if let Some(frame) = session.frames.pop() {
                out.push(Stream::Stdout, b"logout\n");
                if frame.via_ssh {
                    out.push(Stream::Stderr, format!("Connection to {} closed.\n", frame.host).as_bytes());
                }
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

/// A backslash before the final newline (or at the very end) continues the line.
fn ends_in_continuation(text: &str) -> bool {
    let body = text.strip_suffix('\n').unwrap_or(text);
    body.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1
}

/// Whether `text` is an unfinished command (open quote, heredoc without its end marker, trailing
/// `|`, `&&`, `||` or `\`, an open `if`/`{` …), so an interactive terminal should ask for another line.
pub fn needs_more_input(text: &str) -> bool {
    // A terminal asks again after every line of a pasted here-document: remember the last text
    // that was waiting for an end marker, so the body is not parsed again for each new line.
    thread_local! {
        static WAITING: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
    }
    let still_waiting = WAITING.with(|w| {
        w.borrow().as_ref().is_some_and(|(prefix, delim)| {
            text.len() > prefix.len()
                && text.starts_with(prefix.as_str())
                && text[prefix.len()..].lines().all(|l| l != delim && l.trim_start_matches('\t') != delim)
        })
    });
    if still_waiting || ends_in_continuation(text) {
        return true;
    }
    let (more, open) = match parser::parse(text) {
        Ok((_, open)) => (open.is_some(), open),
        Err(ParseError::Eof | ParseError::Lex(LexError::OpenQuote(..) | LexError::Continuation)) => (true, None),
        Err(_) => (false, None),
    };
    WAITING.with(|w| *w.borrow_mut() = open.map(|(_, delim)| (text.to_string(), delim)));
    more
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::Host;

    fn world() -> World {
        let mut w = World::new(1);
        for name in ["controlplane", "node01"] {
            let mut h = Host::new(name, None, "10.0.0.1");
            let _ = h.fs.mkdir_all("/root");
            let _ = h.fs.mkdir_all("/tmp");
            w.hosts.insert(name.to_string(), h);
        }
        w
    }

    fn run(script: &str) -> (String, i32) {
        let mut w = world();
        let mut s = Session::new("controlplane");
        let (out, status) = run_script(&mut w, &mut s, script);
        let text: String = out.chunks.iter().map(|(_, d)| String::from_utf8_lossy(d).into_owned()).collect();
        (text, status)
    }

    #[test]
    fn unquoted_expansions_split_into_arguments() {
        let (out, _) = run("export do=\"--dry-run=client -o yaml\"\nprintf '<%s>' $do \"$do\"");
        assert_eq!(out, "<--dry-run=client><-o><yaml><--dry-run=client -o yaml>");
    }

    #[test]
    fn alias_then_arguments() {
        let (out, _) = run("alias k='echo K'\nk get po");
        assert_eq!(out, "K get po\n");
    }

    #[test]
    fn exit_marks_the_session_and_stops_the_script() {
        let mut w = world();
        let mut s = Session::new("controlplane");
        let (out, status) = run_script(&mut w, &mut s, "echo a\nexit 3\necho b\n");
        assert_eq!(out.stdout_string(), "a\n");
        assert_eq!(status, 3);
        assert!(s.exited);
    }

    #[test]
    fn ssh_frames_push_and_pop() {
        let mut w = world();
        let mut s = Session::new("controlplane");
        run_script(&mut w, &mut s, "ssh node01");
        assert_eq!(prompt(&s), "root@node01:~# ");
        let (out, _) = run_script(&mut w, &mut s, "cd /tmp; exit");
        assert_eq!(out.stdout_string(), "logout\n");
        assert_eq!(out.stderr_string(), "Connection to node01 closed.\n");
        assert_eq!(prompt(&s), "root@controlplane:~# ");
        assert!(!s.exited);
    }

    #[test]
    fn more_input_is_needed_for_open_constructs() {
        for open in ["echo 'a", "echo \"a", "cat <<EOF\nx", "a |", "a &&", "a ||", "echo \\", "if true; then", "f() {", "echo $(ls"] {
            assert!(needs_more_input(open), "{open:?}");
        }
        for done in ["echo a", "cat <<EOF\nx\nEOF", "ls | | x", "echo 'a'"] {
            assert!(!needs_more_input(done), "{done:?}");
        }
    }

    #[test]
    fn prompt_shows_home_as_tilde() {
        let mut s = Session::new("controlplane");
        assert_eq!(prompt(&s), "root@controlplane:~# ");
        s.set_cwd("/root/x");
        assert_eq!(prompt(&s), "root@controlplane:~/x# ");
        s.set_cwd("/etc");
        assert_eq!(prompt(&s), "root@controlplane:/etc# ");
    }

    #[test]
    fn session_round_trips_through_json() {
        let mut w = world();
        let mut s = Session::new("controlplane");
        run_script(&mut w, &mut s, "alias k=kubectl; f() { echo hi; }; export A=1; ssh node01");
        let json = serde_json::to_string(&s).unwrap_or_default();
        let back: Session = serde_json::from_str(&json).unwrap_or_else(|_| Session::new("x"));
        assert_eq!(back.frames.len(), 2);
        assert_eq!(back.frames[0].aliases.get("k").map(String::as_str), Some("kubectl"));
        assert!(back.frames[0].functions.contains_key("f"));
    }

    #[test]
    fn random_scripts_never_panic() {
        let alphabet: Vec<&str> = vec![
            "echo",
            " ",
            "$",
            "'",
            "\"",
            "\\",
            "`",
            "(",
            ")",
            "{",
            "}",
            "|",
            "&",
            ";",
            "<",
            ">",
            "\n",
            "x",
            "=",
            "~",
            "*",
            "?",
            "[",
            "]",
            "!",
            "<<EOF\n",
            "EOF",
            "$(",
            "${",
            "#",
            "2>&1",
            "cat",
            "ls",
            "cd",
            "-",
            "1",
            "if",
            "then",
            "fi",
            "for",
            "do",
            "done",
            "alias",
            "k",
            "a=(",
            "${a[",
            "@]}",
            "((",
            "))",
            "i++",
            "+=",
            "?",
            ":",
            ",",
            "[[",
            "=~",
            "]]",
            "set -e",
            "set -u",
            "set -x",
            "jobs",
            "fg",
            "wait",
            "kill %1",
            "pushd",
            "popd",
            "mapfile",
            "read -a",
            "<<<",
            "declare -A",
            "trap",
            "EXIT",
            "printf -v",
            "${!",
            "PIPESTATUS",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut w = world();
        for _ in 0..3000 {
            let mut script = String::new();
            for _ in 0..(seed % 30) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                script.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let mut s = Session::new("controlplane");
            let _ = run_script(&mut w, &mut s, &script);
            let _ = needs_more_input(&script);
        }
        let _ = run("x".repeat(100_000).as_str());
        let _ = run(&"$(".repeat(5_000));
        let _ = run(&"(".repeat(5_000));
        let _ = run(&"{ ".repeat(5_000));
        let _ = run(&format!("echo $(({}1{}))", "(".repeat(5_000), ")".repeat(5_000)));
        let _ = run(&format!("a[{}0{}]=1", "a[".repeat(2_000), "]".repeat(2_000)));
        let _ = run("r=r; echo $((r)); for ((;;)); do :; done; set -e; false & wait");
    }

    #[test]
    fn job_notices_wait_for_the_next_program_or_prompt() {
        let mut w = world();
        let mut s = Session::new("controlplane");
        let (out, _) = run_script(&mut w, &mut s, "echo a &");
        assert_eq!(out.stdout_string(), "a\n");
        assert_eq!(out.stderr_string(), "[1] 4243\n");
        let (out, _) = run_script(&mut w, &mut s, "true");
        assert_eq!(out.stderr_string(), "[1]+  Done                    echo a\n");
        assert!(s.frame().jobs.is_empty());
    }
}
