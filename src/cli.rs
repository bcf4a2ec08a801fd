//! Command-line entry points (clap). Each subcommand hands over to the module that owns it.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::app::state_file;
use crate::programs::Stream;
use crate::shell::{self, Session};
use crate::world::{World, scenario};

#[derive(Parser)]
#[command(name = "kubetutor", version, about = "An offline CKA exam tutor with a simulated kubeadm cluster")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the exam shell without the TUI: commands from stdin (or -c) against the simulated world.
    ///
    /// Example: kubetutor sh --state /tmp/w.json -c 'kubectl get nodes'
    Sh(ShArgs),
}

#[derive(clap::Args)]
struct ShArgs {
    /// Keep the world in FILE: load it if it exists, save it back on exit.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// The world to start from when there is no state file.
    #[arg(long, value_name = "NAME", default_value = "default")]
    scenario: String,
    /// Run this one command line instead of reading stdin.
    #[arg(short = 'c', value_name = "COMMAND_LINE")]
    command: Option<String>,
}

/// Runs the CLI and returns the process exit status.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Sh(args)) => run_sh(&args),
        // Until the TUI lands, the tutor opens the exam shell on the default world.
        None => run_sh(&ShArgs { state: None, scenario: "default".into(), command: None }),
    }
}

fn run_sh(args: &ShArgs) -> i32 {
    let loaded = match &args.state {
        Some(path) => match state_file::load(path) {
            Ok(found) => found,
            Err(e) => {
                eprintln!("kubetutor: {e}");
                return 2;
            }
        },
        None => None,
    };
    let (mut world, mut session) = match loaded {
        Some(state) => state,
        None => match scenario::build(&args.scenario) {
            Ok(world) => (world, Session::new("controlplane")),
            Err(e) => {
                eprintln!("kubetutor: {e}");
                return 2;
            }
        },
    };
    let status = match &args.command {
        Some(line) => run_and_print(&mut world, &mut session, line),
        None if std::io::stdin().is_terminal() => interactive(&mut world, &mut session),
        None => {
            let mut script = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut script) {
                eprintln!("kubetutor: cannot read stdin: {e}");
                return 2;
            }
            run_and_print(&mut world, &mut session, &String::from_utf8_lossy(&script))
        }
    };
    if let Some(path) = &args.state
        && let Err(e) = state_file::save(path, &world, &session)
    {
        eprintln!("kubetutor: {e}");
        return 2;
    }
    status
}

fn run_and_print(world: &mut World, session: &mut Session, script: &str) -> i32 {
    let (out, status) = shell::run_script(world, session, script);
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr().lock());
    for (stream, data) in &out.chunks {
        // Flushing after each chunk keeps stdout and stderr in the order a terminal shows them.
        let _ = match stream {
            Stream::Stdout => stdout.write_all(data).and_then(|()| stdout.flush()),
            Stream::Stderr => stderr.write_all(data).and_then(|()| stderr.flush()),
        };
    }
    status
}

/// A plain line-by-line terminal session with the exam prompt (the TUI replaces it later).
fn interactive(world: &mut World, session: &mut Session) -> i32 {
    let stdin = std::io::stdin();
    let mut status = 0;
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() { shell::prompt(session) } else { "> ".to_string() };
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => return status,
            Ok(_) => {}
        }
        pending.push_str(&line);
        if shell::needs_more_input(&pending) {
            continue;
        }
        status = run_and_print(world, session, &std::mem::take(&mut pending));
        if session.exited {
            return status;
        }
    }
}
