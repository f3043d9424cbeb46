//! Helpers: run the real binary, find the repository and the shared data.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared corpora, if present ($WHOSAID_DATA or ../shared/data).
pub fn data_dir() -> Option<PathBuf> {
    let d = std::env::var_os("WHOSAID_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/data"));
    if d.join("README.md").exists() {
        Some(d)
    } else {
        eprintln!("skipped: no shared data at {}", d.display());
        None
    }
}

/// Starts `whosaid ARGS` in the repository root with stdin and stdout piped and stderr piped
/// (or discarded).
pub fn spawn(args: &[&str], stderr: bool) -> Child {
    Command::new(env!("CARGO_BIN_EXE_whosaid"))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(if stderr {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .spawn()
        .expect("spawn whosaid")
}

/// Runs `whosaid ARGS` with `stdin`, in the repository root.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = spawn(args, true);
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait for whosaid");
    writer.join().unwrap();
    out
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// stdout parsed as JSON lines.
pub fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// Checks a predict-stance result line: a known label and probabilities that sum to 1.
pub fn assert_stance_record(l: &serde_json::Value) {
    assert!(
        ["favor", "against", "none"].contains(&l["label"].as_str().unwrap()),
        "{l}"
    );
    let p = &l["probs"];
    let sum: f64 = ["favor", "against", "none"]
        .iter()
        .map(|k| p[k].as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 1e-4, "{l}");
}
