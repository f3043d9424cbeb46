//! Streaming: `classify --jsonl` and `predict-stance` answer records while their input is still
//! open, and their memory does not grow with the input's size.

use crate::util::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Kills the child if the test has not finished in time, so that a whosaid that waits for the
/// end of its input makes the test fail instead of hang. Not a timing test: the limit is far
/// above what a streaming whosaid needs on a loaded machine.
fn watchdog(pid: u32) -> Arc<AtomicBool> {
    let done = Arc::new(AtomicBool::new(false));
    let d = done.clone();
    std::thread::spawn(move || {
        for _ in 0..600 {
            std::thread::sleep(Duration::from_millis(200));
            if d.load(Ordering::SeqCst) {
                return;
            }
        }
        let _ = Command::new("kill").arg(pid.to_string()).status();
    });
    done
}

/// Writes each line and reads its answer before writing the next, with the input still open.
fn answers_line_by_line(args: &[&str], lines: &[&str], check: impl Fn(&serde_json::Value)) {
    let mut child = spawn(args, false);
    let done = watchdog(child.id());
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    for line in lines {
        writeln!(input, "{line}").unwrap();
        input.flush().unwrap();
        let mut answer = String::new();
        output.read_line(&mut answer).unwrap();
        assert!(
            !answer.is_empty(),
            "no answer to {line:?} while the input was open: whosaid waited for the end of its input"
        );
        check(&serde_json::from_str(&answer).unwrap());
    }
    drop(input);
    let mut rest = String::new();
    output.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "");
    assert!(child.wait().unwrap().success());
    done.store(true, Ordering::SeqCst);
}

#[test]
fn predict_stance_answers_while_its_input_is_still_open() {
    answers_line_by_line(
        &["predict-stance", "--jobs", "2"],
        &[
            r#"{"id": "a", "text": "Russian forces shelled Kharkiv.", "target": "Russia"}"#,
            r#"{"id": "b", "text": "Kyiv thanked its allies.", "target": "Ukraine"}"#,
            r#"{"id": "c", "text": "The talks ended.", "target": "NATO"}"#,
        ],
        |v| assert!(v["label"].is_string(), "{v}"),
    );
}

#[test]
fn classify_jsonl_answers_while_its_input_is_still_open() {
    answers_line_by_line(
        &[
            "classify", "--jsonl", "--format", "citron", "--jobs", "2", "-",
        ],
        &[
            r#"{"id": "a", "text": "Kirby said the Velnian council does not back the strikes."}"#,
            r#"{"id": "b", "text": "Putin said the West wants war."}"#,
        ],
        |v| assert!(v["quotes"].is_array(), "{v}"),
    );
}

/// Peak resident memory of a running process, in kB (Linux).
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Feeds `mb` megabytes of `line` to whosaid while draining its output; returns the peak RSS
/// seen before the input is closed and the number of output lines.
fn feed(args: &[&str], line: &str, mb: usize) -> (u64, usize) {
    let mut child = spawn(args, false);
    let done = watchdog(child.id());
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || BufReader::new(stdout).lines().count());
    let mut input = std::io::BufWriter::new(child.stdin.take().unwrap());
    let n = mb * 1_000_000 / (line.len() + 1);
    for _ in 0..n {
        writeln!(input, "{line}").unwrap();
    }
    input.flush().unwrap();
    // Everything is written (most of it already processed): the peak so far is the run's.
    let peak = peak_rss_kb(child.id()).unwrap_or(0);
    drop(input);
    let lines = reader.join().unwrap();
    assert!(child.wait().unwrap().success());
    done.store(true, Ordering::SeqCst);
    assert_eq!(lines, n, "one output record per input line");
    (peak, lines)
}

/// 128 MB of input through each command: peak memory stays far below the input's size. The
/// documents are 1,000 spaces each, quick to classify but kept whole by a whosaid that holds its
/// input (before streaming, `classify --jsonl` peaked at 148 MB here).
#[test]
fn memory_does_not_grow_with_the_input() {
    if peak_rss_kb(std::process::id()).is_none() {
        eprintln!("skipped: no /proc/PID/status here");
        return;
    }
    let spaces = " ".repeat(1000);
    let (peak, _) = feed(
        &["predict-stance", "--jobs", "2"],
        &format!(r#"{{"id": "n", "text": "{spaces}", "target": "Russia"}}"#),
        128,
    );
    assert!(
        peak < 80_000,
        "predict-stance peak RSS {peak} kB for 128 MB of input"
    );
    let (peak, _) = feed(
        &[
            "classify", "--jsonl", "--format", "citron", "--jobs", "2", "-",
        ],
        &format!(r#"{{"id": "n", "text": "{spaces}"}}"#),
        128,
    );
    assert!(
        peak < 80_000,
        "classify peak RSS {peak} kB for 128 MB of input"
    );
}
