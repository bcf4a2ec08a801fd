//! How kubectl renders errors: API statuses, usage errors, unknown commands. In one place, so
//! every verb prints them the same way.

use crate::cluster::{Reason, Status};

/// `Error from server (NotFound): pods "x" not found` — kubectl's `StandardErrorMessage`.
pub fn from_server(status: &Status) -> String {
    if status.reason == Reason::Invalid {
        // kubectl rebuilds Invalid errors from the status details (catalogue rule R3).
        return status.invalid_report();
    }
    if status.message.is_empty() {
        return format!("{}\n", status.message);
    }
    format!("Error from server ({}): {}\n", status.reason.as_str(), status.message)
}

/// Cobra's unknown-command error with its suggestions (Levenshtein distance ≤ 2 or a prefix).
pub fn unknown_command(name: &str, parent: &str, commands: &[&str]) -> String {
    let mut s = format!("error: unknown command \"{name}\" for \"{parent}\"");
    let mut suggestions: Vec<&str> = commands.iter().copied().filter(|c| levenshtein(name, c) <= 2 || c.starts_with(name)).collect();
    // Cobra lists suggestions in the order the commands were added, not sorted.
    suggestions.dedup();
    if !suggestions.is_empty() {
        s.push_str("\n\nDid you mean this?\n");
        for c in suggestions {
            s.push_str(&format!("\t{c}\n"));
        }
    } else {
        s.push('\n');
    }
    s
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}
