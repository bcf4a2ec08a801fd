//! The learner's shell: a bash subset good enough for exam habits (quoting, expansions, pipes,
//! redirections, heredocs, `&&`/`||`, aliases, `ssh`), running programs from the program table.

pub mod session;

use crate::programs::{self, Ctx, Output, SubshellRequest};
use crate::world::World;
pub use session::Session;

/// Runs a script (one or more command lines) in the session and returns what a terminal would
/// show and the status of the last command.
pub fn run_script(world: &mut World, session: &mut Session, script: &str) -> (Output, i32) {
    let mut out = Output::default();
    let mut status = 0;
    for line in script.lines() {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        let Some((name, args)) = words.split_first() else { continue };
        status = match programs::find(name) {
            Some(p) => {
                let env = session.env();
                let mut ctx = Ctx {
                    world,
                    host: session.host().to_string(),
                    cwd: session.cwd().to_string(),
                    env: &env,
                    stdin: &[],
                    out: &mut out,
                    subshell,
                };
                (p.run)(&mut ctx, args)
            }
            None => {
                out.err(format!("bash: {name}: command not found\n"));
                127
            }
        };
    }
    (out, status)
}

/// Runs a command line in a fresh shell on a host (the implementation behind
/// [`Ctx::run_subshell`]).
pub fn subshell(world: &mut World, req: &SubshellRequest<'_>) -> (Output, i32) {
    let mut session = Session::new(req.host);
    session.set_cwd(req.cwd);
    for (k, v) in req.env {
        session.export(k, v);
    }
    run_script(world, &mut session, req.line)
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
/// `|`, `&&` or `\`), so an interactive terminal should ask for another line.
pub fn needs_more_input(text: &str) -> bool {
    text.trim_end().ends_with('\\')
}
