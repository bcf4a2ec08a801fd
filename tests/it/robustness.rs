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
        "kubectl",
        "k",
        "get",
        "pods",
        "-n",
        "-o",
        "yaml",
        "cat",
        "echo",
        "|",
        ">",
        "<<EOF",
        "$(",
        "'",
        "\"",
        "&&",
        "--",
        "-f",
        "-",
        "ssh",
        "node01",
        "exit",
        "&",
        "a=(",
        ")",
        "${a[@]}",
        "${#a[@]}",
        "${!a[@]}",
        "a[1]=",
        "((",
        "))",
        "i++",
        "for",
        "[[",
        "=~",
        "]]",
        "set",
        "-e",
        "-u",
        "-x",
        "-o",
        "pipefail",
        "jobs",
        "fg",
        "bg",
        "wait",
        "kill",
        "%1",
        "$!",
        "pushd",
        "popd",
        "dirs",
        "mapfile",
        "read",
        "-a",
        "<<<",
        "${x:?}",
        "${!x}",
        "declare",
        "-A",
        "trap",
        "EXIT",
        "printf",
        "-v",
        "${PIPESTATUS[@]}",
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

/// Runs a script through `kubetutor sh` after writing `files` into /root, and returns
/// (stdout, stderr, status); fails the test on a panic or a signal.
fn sh_with_files(files: &[(&str, String)], script: &str) -> (String, String, i32) {
    let mut input = String::new();
    for (name, content) in files {
        // A quoted heredoc keeps the content byte for byte (no expansion).
        input.push_str(&format!("cat > /root/{name} <<'KUBETUTOR_EOF'\n{content}\nKUBETUTOR_EOF\n"));
    }
    input.push_str(script);
    let out = kubetutor(&["sh"], input.as_bytes());
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert!(!stderr.contains("panicked"), "{stderr}");
    let status = out.status.code().expect("not killed by a signal");
    (stdout, stderr, status)
}

#[test]
fn malformed_yaml_is_kubectls_parse_error() {
    let (_, err, status) = sh_with_files(
        &[("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: [a\n".into())],
        "kubectl apply -f bad.yaml\n",
    );
    assert_eq!(status, 1);
    assert!(err.starts_with("error: error parsing bad.yaml: error converting YAML to JSON: yaml: line "), "{err}");
}

#[test]
fn unknown_field_is_the_api_servers_strict_decoding_error() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: x\n    image: nginx\n    imagee: nginx\n";
    let (_, err, status) = sh_with_files(&[("pod.yaml", pod.into())], "kubectl apply -f pod.yaml\n");
    assert_eq!(status, 1);
    assert!(err.contains("strict decoding error: unknown field \"spec.containers[0].imagee\""), "{err}");
}

#[test]
fn a_ten_megabyte_manifest_loads_or_fails_cleanly() {
    // One ConfigMap whose data is 10 MB: the loader must cope, and the API server refuses a body
    // over its 3 MiB request limit (kube-apiserver's default --max-request-bytes) as it does.
    let big = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: {}\n", "x".repeat(10 * 1024 * 1024));
    let (_, err, status) = sh_with_files(&[("big.yaml", big)], "kubectl create -f big.yaml\n");
    assert_eq!(status, 1, "a 10 MB object must not be accepted");
    assert_eq!(
        err,
        "Error from server (RequestEntityTooLarge): error when creating \"big.yaml\": Request entity too large: limit is 3145728\n"
    );
    // Many small objects adding up to 10 MB are read in full.
    let mut many = String::new();
    while many.len() < 10 * 1024 * 1024 {
        many.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{}\ndata:\n  k: {}\n",
            many.len(),
            "y".repeat(2000)
        ));
    }
    let (out, err, status) = sh_with_files(&[("many.yaml", many)], "kubectl create -f many.yaml --dry-run=client -o name | wc -l\n");
    assert_eq!(status, 0, "{}", &err[..err.len().min(300)]);
    assert!(out.trim().parse::<usize>().unwrap_or(0) > 4000, "{out}");
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let mut bomb =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 9].join(", ")));
    }
    let (_, err, status) = sh_with_files(&[("bomb.yaml", bomb)], "kubectl apply -f bomb.yaml\n");
    assert_eq!(status, 1);
    assert!(err.starts_with("error:"), "{}", &err[..err.len().min(300)]);
}
