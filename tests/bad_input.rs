//! Bad input of every kind a user will feed `classify`: a clear message, the right exit status,
//! no panic, and one record per input document.

use crate::util::*;

fn classify_file(bytes: &[u8], extra: &[&str]) -> (std::process::Output, Vec<serde_json::Value>) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("doc.txt");
    std::fs::write(&p, bytes).unwrap();
    let mut args = vec!["classify", "--format", "jsonl"];
    args.extend_from_slice(extra);
    args.push(p.to_str().unwrap());
    let o = run(&args, b"");
    let lines = json_lines(&o);
    (o, lines)
}

fn no_panic(o: &std::process::Output) {
    let e = stderr(o);
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn empty_and_whitespace_documents_get_an_error_record_not_silence() {
    // Every input gets a record: a document with no text would otherwise leave no line at all.
    for bytes in [&b""[..], b"   \n\n\t  \r\n", b"\xef\xbb\xbf\n"] {
        let (o, lines) = classify_file(bytes, &[]);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert_eq!(lines.len(), 1, "{}", stdout(&o));
        assert!(lines[0]["doc"].as_str().unwrap().ends_with("doc.txt"));
        assert_eq!(
            lines[0]["error"],
            "no text to classify: the document is empty or only whitespace"
        );
        assert!(
            stderr(&o).contains("1 documents, 0 sentences, 1 errors"),
            "{}",
            stderr(&o)
        );
    }
    // In a batch the empty one is reported and the others are classified; Citron output keeps
    // its one record per document (no quotes).
    let input = b"{\"id\":\"a\",\"text\":\"\"}\n{\"id\":\"b\",\"text\":\"Ivo Marsk said the port was shut.\"}\n";
    let o = run(&["classify", "--jsonl", "--format", "jsonl", "-"], input);
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 2, "{}", stdout(&o));
    assert_eq!(lines[0]["doc"], "a");
    assert!(lines[0]["error"].is_string());
    assert_eq!(lines[1]["doc"], "b");
    assert_eq!(lines[1]["speaker"]["text"], "Ivo Marsk");
    let o = run(&["classify", "--jsonl", "--format", "citron", "-"], input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines[0]["doc"], "a");
    assert_eq!(lines[0]["quotes"].as_array().map(Vec::len), Some(0));
}

#[test]
fn invalid_utf8_is_an_error_record_naming_line_and_byte() {
    let (o, lines) = classify_file(b"Putin said so.\nKyiv \xff\xfe replied.\n", &[]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(lines.len(), 1);
    let e = lines[0]["error"].as_str().unwrap();
    assert!(
        e.contains("line 2") && e.contains("invalid UTF-8 at byte 20"),
        "{e}"
    );
}

#[test]
fn bom_crlf_lone_cr_and_nul_bytes_are_handled() {
    let (o, lines) = classify_file(
        b"\xEF\xBB\xBFKirby said the strikes were wrong.\r\nLavrov said\rthat NATO\x00 is at war.",
        &[],
    );
    no_panic(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!lines.is_empty());
    assert!(!lines[0]["text"].as_str().unwrap().starts_with('\u{feff}'));
}

#[test]
fn binary_garbage_is_reported_not_a_panic() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let (o, lines) = classify_file(&garbage, &[]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(lines[0]["error"]
        .as_str()
        .unwrap()
        .contains("invalid UTF-8"));
}

#[test]
fn odd_texts_never_panic_and_spans_stay_on_the_text() {
    let cases: Vec<String> = vec![
        "no sentence punctuation at all just words and words and more words".into(),
        "\"".repeat(10_000),
        "“".repeat(5_000) + "said Putin" + &"”".repeat(3_000),
        "He said \"unbalanced quote. And more. “Another ‘nested’ one.".into(),
        "قال بوتين إن روسيا ستنتصر. 普京说俄罗斯会赢。 Путин сказал, что Россия победит.".into(),
        "😀Kirby said 👍🏽 e\u{301}xtra combining.\u{301} 🇺🇦".into(),
        "a".repeat(200_000),
    ];
    for text in cases {
        let input = serde_json::json!({"id": "x", "text": text}).to_string();
        let o = run(
            &["classify", "--jsonl", "--format", "jsonl", "-"],
            input.as_bytes(),
        );
        no_panic(&o);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let chars: Vec<char> = text.chars().collect();
        for l in json_lines(&o) {
            let (s, e) = (
                l["start"].as_u64().unwrap() as usize,
                l["end"].as_u64().unwrap() as usize,
            );
            assert!(s < e && e <= chars.len());
            assert_eq!(
                chars[s..e].iter().collect::<String>(),
                l["text"].as_str().unwrap()
            );
        }
    }
}

#[test]
fn jsonl_input_with_broken_and_wrong_typed_lines_keeps_every_record() {
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"Kirby said no.\"}\n",
        "{\"id\": \"b\", \"text\": 42}\n",
        "{broken\n",
        "[1, 2]\n",
        "{\"id\": \"a\", \"text\": \"A duplicate id is processed too.\"}\n",
        "{\"text\": \"No id at all.\"}\n",
    );
    let o = run(
        &["classify", "--jsonl", "--format", "citron", "-"],
        input.as_bytes(),
    );
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 6);
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("`text` must be a string"));
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("line 3: invalid JSON"));
    assert!(lines[3]["error"]
        .as_str()
        .unwrap()
        .contains("missing field `text`"));
    assert_eq!(lines[4]["doc"], "a");
    assert_eq!(lines[5]["doc"], "stdin:6");
}

#[test]
fn directories_with_unreadable_files_and_symlink_loops() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Kirby said the US did not encourage it.",
    )
    .unwrap();
    std::fs::write(dir.path().join("b.txt"), b"\xff bad bytes").unwrap();
    std::fs::write(dir.path().join("ignored.md"), "not a .txt file").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join("sub/c.txt"),
        "Lavrov said the West is at war.",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    let o = run(
        &[
            "classify",
            "--format",
            "citron",
            dir.path().to_str().unwrap(),
        ],
        b"",
    );
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 3, "a.txt, b.txt (error), sub/c.txt");
    assert!(lines[0]["doc"].as_str().unwrap().ends_with("a.txt"));
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("b.txt line 1: invalid UTF-8 at byte 0"));
    assert!(lines[2]["doc"].as_str().unwrap().ends_with("c.txt"));
}

#[test]
fn unknown_targets_are_generic_and_bad_options_exit_2() {
    let o = run(
        &["classify", "--format", "jsonl", "--target", "Atlantis", "-"],
        b"Atlantis was praised by the mayor.",
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json_lines(&o)[0]["stance"][0]["target"], "Atlantis");
    let o = run(&["classify", "--format", "pdf"], b"");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["classify", "--jobs", "0"], b"x");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["classify", "--models", "/nonexistent"], b"x");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent"));
}
