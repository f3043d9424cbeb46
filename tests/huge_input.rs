//! One huge line (no line break anywhere) for `classify`, as a plain-text file and as one
//! `--jsonl` record: no panic, every character covered, in time linear in the size.
//!
//! The suite uses 4 MB (`WHOSAID_HUGE_LINE_MB` sets another size): measured on the 2-core
//! machine, a 100 MB line takes 64 s and 5.9 GB RSS as plain text, 48 s as JSONL (one document,
//! so one thread), which is too long for the suite. Before `attributions_meeting_sentences` a
//! 5 MB line took 3 min 7 s (every attribution scanned for every sentence), so 4 MB in under a
//! minute also guards against that coming back.

use crate::util::*;
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

fn size() -> usize {
    std::env::var("WHOSAID_HUGE_LINE_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4)
        << 20
}

/// Sentences with quotes, cues and sources, repeated without a line break to `n` bytes.
fn huge_text(n: usize) -> String {
    let s = "Kremlin spokesman Dmitry Peskov said Russia would respond to the strikes. \
             \u{201c}We will not wait,\u{201d} he told reporters in Moscow, according to officials. \
             Kyiv said nothing. ";
    let mut t = s.repeat(n / s.len() + 1);
    let mut cut = n;
    while !t.is_char_boundary(cut) {
        cut -= 1;
    }
    t.truncate(cut);
    t
}

/// Runs classify with `args` and `stdin`, streaming stdout: (exit code, stderr, number of
/// lines, first line, last line, characters covered by sentences).
fn classify_streaming(
    args: &[&str],
    stdin: Vec<u8>,
) -> (Option<i32>, String, usize, String, String, usize) {
    let mut child = spawn(args, true);
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let mut err = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let (mut n, mut first, mut last, mut covered) = (0, String::new(), String::new(), 0);
    let mut prev_end = 0;
    for line in out.lines() {
        let line = line.unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let (s, e) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        assert!(s >= prev_end && e > s, "{line}");
        prev_end = e;
        covered += v["text"].as_str().unwrap().chars().count();
        assert!(covered <= e);
        if n == 0 {
            first = line.clone();
        }
        n += 1;
        last = line;
    }
    let status = child.wait().unwrap();
    writer.join().unwrap();
    (
        status.code(),
        err_reader.join().unwrap(),
        n,
        first,
        last,
        covered,
    )
}

fn check(args: &[&str], stdin: Vec<u8>, text: &str) {
    let t0 = Instant::now();
    let (code, err, n, first, last, covered) = classify_streaming(args, stdin);
    let took = t0.elapsed();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("1 documents, ") && err.contains(" 0 errors"),
        "{err}"
    );
    assert!(n > 1000, "{n} sentences");
    let nonspace = text.chars().filter(|c| !c.is_whitespace()).count();
    assert!(
        covered >= nonspace,
        "{covered} < {nonspace}: characters lost"
    );
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(first["start"], 0);
    assert!(
        first["speaker"]["text"]
            .as_str()
            .unwrap()
            .contains("Peskov"),
        "{first}"
    );
    let last: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_eq!(
        last["end"].as_u64().unwrap() as usize,
        text.trim_end().chars().count()
    );
    assert!(
        took < Duration::from_secs(60),
        "{} MB took {took:?}: not linear any more?",
        text.len() >> 20
    );
}

#[test]
fn classify_a_single_huge_line_as_plain_text() {
    let text = huge_text(size());
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.txt");
    std::fs::write(&p, &text).unwrap();
    check(
        &["classify", "--format", "jsonl", p.to_str().unwrap()],
        Vec::new(),
        &text,
    );
}

#[test]
fn classify_a_single_huge_jsonl_record() {
    let text = huge_text(size());
    let mut line = serde_json::json!({"id": "huge", "text": text})
        .to_string()
        .into_bytes();
    line.push(b'\n');
    check(
        &["classify", "--jsonl", "--format", "jsonl", "-"],
        line,
        &text,
    );
}

#[test]
fn classify_a_huge_line_without_punctuation() {
    // One sentence of 2 MB: no sentence end to split at.
    let text = "no sentence punctuation at all just words ".repeat(50_000);
    let t0 = Instant::now();
    let o = run(&["classify", "--format", "jsonl", "-"], text.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["text"].as_str().unwrap(), text.trim_end());
    assert!(t0.elapsed() < Duration::from_secs(30), "{:?}", t0.elapsed());
}
