//! Black-box and robustness tests of kubetutor as a whole (one binary keeps link time down).

mod robustness;
mod state_file;

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the kubetutor binary with `args` and `stdin`.
pub fn kubetutor(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubetutor"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubetutor binary starts");
    if let Some(mut input) = child.stdin.take() {
        // The child may stop reading early (e.g. on `exit`); a broken pipe is not a failure here.
        let _ = input.write_all(stdin);
    }
    child.wait_with_output().expect("kubetutor finishes")
}

/// A fresh scratch directory under the system temp dir, unique per test.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kubetutor-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
