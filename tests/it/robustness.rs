//! Hostile input never panics: random bytes on stdin, random command lines, random manifests.

use kubetutor::shell::{self, Session};
use kubetutor::world::{Rng, scenario};

use super::kubetutor;

/// Random bytes biased towards the shell's special characters, so the lexer's corners are hit.
fn noise(rng: &mut Rng, len: usize) -> Vec<u8> {
    const SPECIAL: &[u8] = b"'\"\\$`(){}[]|&;<>*?~#!=\n\t -_:/.@%^+,";
    (0..len)
        .map(|_| match rng.below(4) {
            0 => SPECIAL[rng.below(SPECIAL.len() as u64) as usize],
            1 => b'a' + rng.below(26) as u8,
            _ => rng.below(256) as u8,
        })
        .collect()
}

#[test]
fn random_bytes_on_stdin_do_not_panic() {
    let mut rng = Rng::new(42);
    for round in 0..8 {
        let input = noise(&mut rng, 2000);
        let out = kubetutor(&["sh"], &input);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "round {round}: {err}");
        assert_ne!(out.status.code(), Some(101), "round {round} panicked");
        assert!(out.status.code().is_some(), "round {round} was killed by a signal");
    }
}

#[test]
fn random_command_lines_in_process_do_not_panic() {
    let mut rng = Rng::new(7);
    let mut world = scenario::build("default").expect("default world");
    let mut session = Session::new("controlplane");
    let words = [
        "kubectl", "k", "get", "pods", "-n", "-o", "yaml", "cat", "echo", "|", ">", "<<EOF", "$(", "'", "\"", "&&", "--", "-f", "-", "ssh",
        "node01", "exit",
    ];
    for _ in 0..400 {
        let n = 1 + rng.below(8) as usize;
        let line: Vec<String> = (0..n)
            .map(|_| {
                if rng.below(3) == 0 {
                    String::from_utf8_lossy(&noise(&mut rng, 6)).into_owned()
                } else {
                    words[rng.below(words.len() as u64) as usize].to_string()
                }
            })
            .collect();
        let _ = shell::run_script(&mut world, &mut session, &line.join(" "));
        if session.frames.is_empty() {
            session = Session::new("controlplane");
        }
    }
}

#[test]
fn random_manifests_are_errors_not_panics() {
    let mut rng = Rng::new(99);
    for _ in 0..300 {
        let text = String::from_utf8_lossy(&noise(&mut rng, 300)).into_owned();
        let _ = kubetutor::yaml::parse_documents(&text);
    }
}
