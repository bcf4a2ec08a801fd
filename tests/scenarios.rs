//! Scenario tests: transcripts of exam-terminal sessions run through the shell in process.
//!
//! Each `tests/scenarios/**/*.txt` file holds sections. A section starts with `### title` (and
//! optionally `[scenario=NAME]`); each step is a command line starting with `$ ` (continuation lines
//! of heredocs start with `> `), followed by the output a terminal shows (stdout and stderr as
//! interleaved by the program), and `[exit N]` when the status is not 0. Every section starts
//! from a fresh world. Lines starting with `#` before the first section are comments.
//!
//! `BLESS=1` prints the actual transcript of failing sections, for writing new ones; check every
//! line of it against real kubectl behaviour before committing it.

mod support;

use kubetutor::shell::{self, Session};
use kubetutor::world::scenario;
use libtest_mimic::{Arguments, Failed, Trial};

struct Step {
    command: String,
    expected: String,
    status: i32,
}

struct Section {
    title: String,
    scenario: String,
    steps: Vec<Step>,
}

fn parse(text: &str) -> Result<Vec<Section>, String> {
    let mut sections: Vec<Section> = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("### ") {
            let (title, scenario) = match rest.rsplit_once("[scenario=") {
                Some((t, s)) => (t.trim().to_string(), s.trim_end_matches(']').to_string()),
                None => (rest.trim().to_string(), "default".to_string()),
            };
            sections.push(Section { title, scenario, steps: Vec::new() });
        } else if let Some(cmd) = line.strip_prefix("$ ") {
            let section = sections.last_mut().ok_or("a command before the first ### section")?;
            let mut command = cmd.to_string();
            while let Some(cont) = lines.peek().and_then(|l| l.strip_prefix("> ").or_else(|| (*l == ">").then_some(""))) {
                command.push('\n');
                command.push_str(cont);
                lines.next();
            }
            let mut expected = Vec::new();
            let mut status = 0;
            while let Some(next) = lines.peek() {
                if next.starts_with("$ ") || next.starts_with("### ") {
                    break;
                }
                let next = lines.next().unwrap_or_default();
                if let Some(code) = next.strip_prefix("[exit ").and_then(|r| r.strip_suffix(']')) {
                    status = code.parse().map_err(|_| format!("bad exit line: {next}"))?;
                } else {
                    expected.push(next.strip_prefix('\\').unwrap_or(next));
                }
            }
            while expected.last().is_some_and(|l| l.is_empty()) {
                expected.pop();
            }
            let expected = if expected.is_empty() { String::new() } else { format!("{}\n", expected.join("\n")) };
            section.steps.push(Step { command, expected, status });
        } else if !sections.is_empty() && !line.is_empty() {
            return Err(format!("unexpected line outside a step: {line}"));
        }
    }
    Ok(sections)
}

fn run_section(section: &Section) -> Result<(), Failed> {
    let mut world = scenario::build(&section.scenario).map_err(|e| Failed::from(e.to_string()))?;
    let mut session = Session::new("controlplane");
    let mut transcript = String::new();
    let mut failures = Vec::new();
    for step in &section.steps {
        let (out, status) = shell::run_script(&mut world, &mut session, &step.command);
        let mut actual = String::new();
        for (_, data) in &out.chunks {
            actual.push_str(&String::from_utf8_lossy(data));
        }
        let trimmed = actual.trim_end_matches('\n');
        let actual_cmp = if trimmed.is_empty() { String::new() } else { format!("{trimmed}\n") };
        transcript.push_str(&format!("$ {}\n{actual_cmp}", step.command.replace('\n', "\n> ")));
        if status != 0 {
            transcript.push_str(&format!("[exit {status}]\n"));
        }
        if actual_cmp != step.expected || status != step.status {
            failures.push(format!(
                "$ {}\nstatus: expected {}, got {status}\n{}",
                step.command,
                step.status,
                support::diff(&step.expected, &actual_cmp)
            ));
        }
    }
    if failures.is_empty() {
        return Ok(());
    }
    if std::env::var_os("BLESS").is_some() {
        eprintln!("--- actual transcript of {}:\n{transcript}", section.title);
    }
    Err(failures.join("\n").into())
}

/// The references of `COVERAGE.md` (code spans naming `area/file::section title`, or a `tests/...`
/// path) that name no section or file: the checklist must not point at tests that are gone.
fn dangling_references(coverage: &str, names: &[String]) -> Vec<String> {
    let root = support::manifest_dir();
    let mut missing = Vec::new();
    for (i, span) in coverage.split('`').enumerate() {
        if i % 2 == 0 {
            continue;
        }
        // A `|` inside a table cell is written `\|`.
        let span = span.replace("\\|", "|");
        let is_ref = span
            .split_once("::")
            .is_some_and(|(file, _)| file.split_once('/').is_some_and(|(a, f)| !a.is_empty() && !f.is_empty() && !file.contains(' ')));
        if is_ref && !names.contains(&span) {
            missing.push(format!("no section {span}"));
        } else if span.starts_with("tests/") && !root.join(&span).exists() {
            missing.push(format!("no file {span}"));
        }
    }
    missing
}

fn main() {
    let args = Arguments::from_args();
    let root = support::manifest_dir().join("tests/scenarios");
    let mut trials = Vec::new();
    let mut names = Vec::new();
    for file in support::files_with_ext(&root, "txt") {
        let rel = file.strip_prefix(&root).unwrap_or(&file).with_extension("").display().to_string();
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        match parse(&text) {
            Ok(sections) => {
                for s in sections {
                    let name = format!("{rel}::{}", s.title);
                    names.push(name.clone());
                    trials.push(Trial::test(name, move || run_section(&s)));
                }
            }
            Err(e) => trials.push(Trial::test(format!("{rel}::parse"), move || Err(e.clone().into()))),
        }
    }
    let coverage = std::fs::read_to_string(root.join("COVERAGE.md")).unwrap_or_default();
    trials.push(Trial::test("COVERAGE.md references existing sections", move || {
        if coverage.is_empty() {
            return Err("tests/scenarios/COVERAGE.md is missing".into());
        }
        let missing = dangling_references(&coverage, &names);
        if missing.is_empty() { Ok(()) } else { Err(missing.join("\n").into()) }
    }));
    libtest_mimic::run(&args, trials).exit();
}
