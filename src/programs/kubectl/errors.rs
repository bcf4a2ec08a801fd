//! How kubectl renders errors: API statuses, usage errors, unknown commands. In one place, so
//! every verb prints them the same way.

use crate::cluster::{Reason, Status};

/// `Error from server (NotFound): pods "x" not found` — kubectl's `StandardErrorMessage`.
pub fn from_server(status: &Status) -> String {
    if status.reason == Reason::Invalid {
        return invalid(status);
    }
    if status.message.is_empty() {
        return "\n".into();
    }
    format!("Error from server ({}): {}\n", status.reason.as_str(), status.message)
}

/// Every available top-level command of kubectl v1.35, in the order kubectl adds them to cobra
/// (the help groups, then the ungrouped ones); cobra suggests in this order.
pub const KUBECTL_COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "alpha",
    "config",
    "plugin",
    "version",
    "api-versions",
    "api-resources",
    "options",
];

/// kubectl rebuilds an `Invalid` status from its details rather than printing the server's
/// message: `The Pod "x" is invalid: field: message`, or one `* field: message` line per cause
/// (duplicates dropped) when there are several. There is no `error: ` prefix.
fn invalid(status: &Status) -> String {
    let mut head = "The request is invalid".to_string();
    if status.kind.is_empty() && status.name.is_empty() && status.causes.is_empty() {
        if !status.message.is_empty() {
            head.push_str(": ");
            head.push_str(&status.message);
        }
        return format!("{head}\n");
    }
    if !status.kind.is_empty() || !status.name.is_empty() {
        head = format!("The {} \"{}\" is invalid", status.kind, status.name);
    } else if let Some(field) = status.causes.first().map(|c| c.field.as_str()).filter(|f| !f.is_empty()) {
        head = format!("The request is invalid: {field}");
    }
    let mut lines: Vec<String> = Vec::new();
    for c in &status.causes {
        let line = format!("{}: {}", c.field, c.message);
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    match lines.len() {
        0 => format!("{head}\n"),
        1 => format!("{head}: {}\n", lines[0]),
        _ => {
            let mut s = format!("{head}: \n");
            for l in lines {
                s.push_str(&format!("* {l}\n"));
            }
            s
        }
    }
}

/// Cobra's unknown-command error with its suggestions (Levenshtein distance ≤ 2 or a prefix).
/// For `kubectl` itself the suggestions come from the full command list, whatever subset the
/// simulation implements.
pub fn unknown_command(name: &str, parent: &str, commands: &[&str]) -> String {
    let commands = if parent == "kubectl" { KUBECTL_COMMANDS } else { commands };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_statuses_are_rebuilt_from_their_details() {
        let cause = |f: &str, m: &str| crate::cluster::Cause { kind: "FieldValueRequired".into(), message: m.into(), field: f.into() };
        let one = Status::invalid("Deployment", "apps", "web", vec![cause("spec.template.spec.containers[0].image", "Required value")]);
        assert_eq!(from_server(&one), "The Deployment \"web\" is invalid: spec.template.spec.containers[0].image: Required value\n");
        let two =
            Status::invalid("Pod", "", "p", vec![cause("a", "Required value"), cause("b", "Invalid value"), cause("a", "Required value")]);
        assert_eq!(from_server(&two), "The Pod \"p\" is invalid: \n* a: Required value\n* b: Invalid value\n");
    }

    #[test]
    fn suggestions_follow_cobra_order_over_all_commands() {
        // Captured from kubectl v1.35.2: `kubectl gett` suggests set before get.
        assert_eq!(
            unknown_command("gett", "kubectl", &[]),
            "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n"
        );
        assert!(unknown_command("foo", "kubectl", &["get"]).contains("\ttop\n"));
    }
}
