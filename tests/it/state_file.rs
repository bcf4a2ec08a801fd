//! `kubetutor sh --state FILE`: load, save atomically, refuse bad files without touching them.

use super::{kubetutor, scratch};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn missing_directory_is_a_one_line_error_with_status_2() {
    let out = kubetutor(&["sh", "--state", "/nonexistent-dir/state.json", "-c", "true"], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("/nonexistent-dir/state.json"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn state_is_created_then_reloaded() {
    let dir = scratch("reload");
    let state = dir.join("w.json");
    let path = state.to_str().unwrap();
    let out = kubetutor(&["sh", "--state", path, "-c", "cat /etc/hostname"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "controlplane\n");
    let saved = std::fs::read_to_string(&state).expect("state written");
    assert!(saved.starts_with('{') && saved.contains("\"format\":\"kubetutor-state\""), "{}", &saved[..80.min(saved.len())]);
    // No temp file is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.file_name() != "w.json").collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let again = kubetutor(&["sh", "--state", path, "-c", "cat /etc/hostname"], b"");
    assert_eq!(again.status.code(), Some(0));
}

/// Each bad file is refused with exit 2 and a message naming it, and left byte-for-byte as it was.
#[test]
fn corrupt_truncated_and_future_files_are_refused_and_kept() {
    let dir = scratch("bad");
    let good = dir.join("good.json");
    let out = kubetutor(&["sh", "--state", good.to_str().unwrap(), "-c", "cat /etc/hostname"], b"");
    assert_eq!(out.status.code(), Some(0));
    let valid = std::fs::read(&good).unwrap();
    let mut future: serde_json::Value = serde_json::from_slice(&valid).unwrap();
    future["version"] = serde_json::json!(999);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("garbage.json", b"\x00\x01not json at all".to_vec(), "not a kubetutor state file"),
        ("truncated.json", valid[..valid.len() / 2].to_vec(), "not a kubetutor state file"),
        ("empty.json", Vec::new(), "not a kubetutor state file"),
        ("other.json", br#"{"hello": "world"}"#.to_vec(), "not a kubetutor state file"),
        ("future.json", serde_json::to_vec(&future).unwrap(), "newer than this kubetutor supports"),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let out = kubetutor(&["sh", "--state", path.to_str().unwrap(), "-c", "true"], b"");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(name) && err.contains(expected), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was modified");
    }
}

#[test]
fn unknown_scenario_is_refused() {
    let out = kubetutor(&["sh", "--scenario", "nope", "-c", "true"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown scenario \"nope\""), "{}", stderr(&out));
}
