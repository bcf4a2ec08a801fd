//! Golden tests: command lines whose output was captured from the real kubectl v1.35.2, run
//! through `kubetutor sh -c`; stdout, stderr and the exit status must be identical.
//!
//! Each case is one JSON file under `tests/golden/` with `command`, `stdout`, `stderr` and
//! `exit`. `tests/golden/capture.sh` (re)captures them from the reference binary.

mod support;

use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    command: String,
    stdout: String,
    stderr: String,
    exit: i32,
}

fn run_case(case: &Case) -> Result<(), Failed> {
    let out = Command::new(env!("CARGO_BIN_EXE_kubetutor"))
        .args(["sh", "-c", &case.command])
        .output()
        .map_err(|e| Failed::from(format!("cannot start kubetutor: {e}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let status = out.status.code().unwrap_or(-1);
    let mut problems = Vec::new();
    if stdout != case.stdout {
        problems.push(format!("stdout differs:\n{}", support::diff(&case.stdout, &stdout)));
    }
    if stderr != case.stderr {
        problems.push(format!("stderr differs:\n{}", support::diff(&case.stderr, &stderr)));
    }
    if status != case.exit {
        problems.push(format!("exit status: expected {}, got {status}", case.exit));
    }
    if problems.is_empty() { Ok(()) } else { Err(format!("$ {}\n{}", case.command, problems.join("\n")).into()) }
}

fn main() {
    let args = Arguments::from_args();
    let root = support::manifest_dir().join("tests/golden");
    let mut trials = Vec::new();
    for file in support::files_with_ext(&root, "json") {
        let name = file.strip_prefix(&root).unwrap_or(&file).with_extension("").display().to_string();
        let parsed = std::fs::read_to_string(&file)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Case>(&t).map_err(|e| e.to_string()));
        trials.push(match parsed {
            Ok(case) => Trial::test(name, move || run_case(&case)),
            Err(e) => Trial::test(name, move || Err(format!("bad golden file: {e}").into())),
        });
    }
    libtest_mimic::run(&args, trials).exit();
}
