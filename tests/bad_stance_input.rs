//! Bad input for `predict-stance` and `eval stance` (generic CSV and JSONL): the exact message,
//! the exit status, and which records were still processed. `predict-stance` answers every
//! non-blank input line with one output line, in order (a result or an error record) and exits 1
//! when some failed; `eval stance` refuses a bad file as a whole (exit 2) naming file and line.

use crate::util::*;
use std::process::Output;

fn no_panic(o: &Output) {
    let e = stderr(o);
    assert!(!e.contains("panicked"), "{e}");
}

/// The `error` of each output line (None for a result, which is then checked).
fn errors(o: &Output) -> Vec<Option<String>> {
    json_lines(o)
        .iter()
        .map(|l| match l.get("error") {
            Some(e) => Some(e.as_str().unwrap().to_owned()),
            None => {
                assert_stance_record(l);
                None
            }
        })
        .collect()
}

#[test]
fn predict_stance_bad_records_get_exact_errors_and_the_rest_is_processed() {
    let input: &[u8] = concat!(
        "{\"id\": \"a\", \"text\": \"Russia attacked Kyiv again.\", \"target\": \"Russia\"}\n",
        "{broken\n",
        "{\"id\": \"b\", \"text\": 5, \"target\": \"Russia\"}\n",
        "{\"id\": \"c\", \"target\": \"Russia\"}\n",
        "{\"id\": \"d\", \"text\": \"abc\", \"target\": \"Russia\", \"target_span\": [5, 9]}\n",
        "{\"id\": \"e\", \"text\": \"abc\", \"target\": \"Russia\", \"target_span\": [2, 1]}\n",
        "{\"id\": \"f\", \"text\": \"abc\", \"target\": \"Russia\", \"target_span\": [1.5, 2]}\n",
        "{\"id\": \"g\", \"text\": \"abc\", \"target\": \"Russia\", \"target_span\": [-1, 2]}\n",
        "{\"id\": \"h\", \"text\": \"abc\", \"target\": \"Russia\", \"target_span\": \"0-1\"}\n",
        "{\"id\": \"i\", \"text\": \"\", \"target\": \"Russia\"}\n",
        "\n",
        "{\"id\": \"j\", \"text\": \"h\u{e9}llo w\u{f6}rld\", \"target\": \"Atlantis\", \"target_span\": [6, 11]}\n",
        "{\"id\": \"k\", \"text\": \"h\u{e9}llo w\u{f6}rld\", \"target\": \"Atlantis\", \"target_span\": [6, 12]}\n",
        "{\"id\": \"a\", \"text\": \"A duplicate id is answered too.\", \"target\": \"Russia\"}\n",
        "{\"id\": \"l\", \"text\": \"abc\", \"target\": \" \"}\n",
        "[\"m\", \"An array is not a record.\", \"Russia\"]\n",
        "null\n",
        "{\"id\": {\"n\": 1}, \"text\": \"Ids of any JSON type come back.\", \"target\": \"NATO\"}\n",
        "{\"id\": \"o\", \"text\": \"abc\", \"target\": \"Russia\", \"target_span\": [0, 18446744073709551616]}\n",
        "{\"id\": \"p\", \"text\": \"abc\", \"target\": [\"Russia\"]}\n",
        "{\"id\": \"q\", \"text\": \"Kyiv\", \"target\": \"Ukraine\", \"target_span\": [0, 4]}\r\n",
        "{\"id\": \"r\", \"text\": \"NUL \\u0000 escaped is text\", \"target\": \"Russia\"}\n",
        "{\"id\": \"s\", \"text\": \"raw NUL \0 is not JSON\", \"target\": \"Russia\"}\n",
    )
    .as_bytes();
    let mut input = input.to_vec();
    input.extend_from_slice(
        b"{\"id\": \"t\", \"text\": \"bad \xff byte\", \"target\": \"Russia\"}\n",
    );
    input.extend_from_slice(
        b"{\"id\": \"u\", \"text\": \"last line, no newline\", \"target\": \"Russia\"}",
    );
    let o = run(&["predict-stance"], &input);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines = json_lines(&o);
    let ids: Vec<String> = lines.iter().map(|l| l["id"].to_string()).collect();
    assert_eq!(
        ids,
        [
            "\"a\"",
            "null",
            "\"b\"",
            "\"c\"",
            "\"d\"",
            "\"e\"",
            "\"f\"",
            "\"g\"",
            "\"h\"",
            "\"i\"",
            "\"j\"",
            "\"k\"",
            "\"a\"",
            "\"l\"",
            "null",
            "null",
            "{\"n\":1}",
            "\"o\"",
            "\"p\"",
            "\"q\"",
            "\"r\"",
            "null",
            "null",
            "\"u\""
        ],
        "one output per non-blank input line, in order"
    );
    let span_msg = "must be [from, to], two character offsets (integers from 0), not";
    let want: Vec<Option<String>> = vec![
        None,
        Some("line 2: invalid JSON: key must be a string at line 1 column 2".into()),
        Some("line 3: field `text` must be a string, not a number (5)".into()),
        Some("line 4: missing field `text`".into()),
        Some("line 5: target_span [5, 9] is not inside the text (3 characters); offsets count characters, not bytes".into()),
        Some("line 6: target_span [2, 1] is empty or reversed (it is [from, to] with from < to, in characters)".into()),
        Some(format!("line 7: field `target_span` {span_msg} [1.5,2]")),
        Some(format!("line 8: field `target_span` {span_msg} [-1,2]")),
        Some(format!("line 9: field `target_span` {span_msg} \"0-1\"")),
        None, // empty text: a prediction from the model alone
        None, // an unknown target is a generic one; offsets count characters (é, ö)
        Some("line 13: target_span [6, 12] is not inside the text (11 characters); offsets count characters, not bytes".into()),
        None, // duplicate ids are answered
        Some("line 15: field `target` is empty".into()),
        Some("line 16: a record must be a JSON object {\"id\", \"text\", \"target\", \"target_span\"?}, not an array".into()),
        Some("line 17: a record must be a JSON object {\"id\", \"text\", \"target\", \"target_span\"?}, not null".into()),
        None,
        Some(format!("line 19: field `target_span` {span_msg} [0,1.8446744073709552e+19]")),
        Some("line 20: field `target` must be a string, not an array".into()),
        None, // CRLF
        None, // an escaped NUL is text
        Some("line 23: invalid JSON: control character (\\u0000-\\u001F) found while parsing a string at line 1 column 30".into()),
        Some("line 24: invalid UTF-8 at byte 25 of the line; pass --encoding NAME if the input is in another encoding".into()),
        None,
    ];
    assert_eq!(errors(&o), want);
    assert_eq!(lines[10]["target"], "Atlantis");
    // Every error is also on stderr, naming the input.
    let e = stderr(&o);
    assert_eq!(
        e.lines()
            .filter(|l| l.starts_with("whosaid: stdin: line "))
            .count(),
        16,
        "{e}"
    );
}

#[test]
fn predict_stance_with_and_without_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gb.jsonl");
    // GB18030: the ellipsis is A1 AD; 81 20 is not a GB18030 sequence.
    let mut bytes =
        b"{\"id\": 1, \"text\": \"Russia attacked again\xa1\xad\", \"target\": \"Russia\"}\n"
            .to_vec();
    bytes.extend_from_slice(
        b"{\"id\": 2, \"text\": \"broken \x81\x20 here\", \"target\": \"Russia\"}\n",
    );
    bytes.extend_from_slice(b"{\"id\": 3, \"text\": \"plain ASCII\", \"target\": \"Ukraine\"}\n");
    std::fs::write(&p, &bytes).unwrap();
    let path = p.to_str().unwrap();

    let o = run(&["predict-stance", path], b"");
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        errors(&o),
        [
            Some("line 1: invalid UTF-8 at byte 40 of the line; pass --encoding NAME if the input is in another encoding".into()),
            Some("line 2: invalid UTF-8 at byte 26 of the line; pass --encoding NAME if the input is in another encoding".into()),
            None
        ]
    );
    assert!(stderr(&o).contains(&format!("whosaid: {path}: line 1: invalid UTF-8")));

    // With the encoding, a bad byte fails its own line only.
    let o = run(&["predict-stance", "--encoding", "gb18030", path], b"");
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        errors(&o),
        [
            None,
            Some("line 2: invalid gb18030 at byte 26 of the line; pass --encoding NAME with the input's actual encoding".into()),
            None
        ]
    );
    // The same from standard input.
    let o = run(&["predict-stance", "--encoding", "GB18030", "-"], &bytes);
    assert_eq!(errors(&o).iter().filter(|e| e.is_some()).count(), 1);

    // windows-1252 never fails; UTF-16 is decoded whole.
    let o = run(&["predict-stance", "--encoding", "latin1", path], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json_lines(&o).len(), 3);
    let utf16: Vec<u8> =
        "\u{feff}{\"id\": 1, \"text\": \"Kyiv \u{2026}\", \"target\": \"Ukraine\"}\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
    let o = run(&["predict-stance", "--encoding", "utf-16le", "-"], &utf16);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json_lines(&o)[0]["id"], 1);

    let o = run(&["predict-stance", "--encoding", "klingon", path], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("whosaid: unknown text encoding \"klingon\""));
    assert!(o.stdout.is_empty());
}

#[test]
fn predict_stance_files_that_cannot_be_read() {
    let o = run(&["predict-stance", "/nonexistent/in.jsonl"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "whosaid: /nonexistent/in.jsonl: No such file or directory (os error 2)\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["predict-stance", dir.path().to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Is a directory"), "{}", stderr(&o));
    // Empty and blank-only inputs: no records, success.
    for input in [&b""[..], b"\n\n  \r\n\t\n", b"\xEF\xBB\xBF\n"] {
        let o = run(&["predict-stance"], input);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn predict_stance_keeps_count_and_order_on_a_large_mixed_batch() {
    // More records than one internal batch (2048), every seventh one broken.
    let mut input = String::new();
    for i in 0..5000 {
        if i % 7 == 3 {
            input.push_str(&format!("{{\"id\": {i}, \"text\": \"broken\n"));
        } else {
            input.push_str(&format!(
                "{{\"id\": {i}, \"text\": \"Record {i}: Russia and Ukraine met.\", \"target\": \"{}\"}}\n",
                if i % 2 == 0 { "Russia" } else { "Ukraine" }
            ));
        }
    }
    let o = run(&["predict-stance"], input.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 5000);
    for (i, l) in lines.iter().enumerate() {
        if i % 7 == 3 {
            assert_eq!(l["id"], serde_json::Value::Null);
            assert!(l["error"]
                .as_str()
                .unwrap()
                .starts_with(&format!("line {}: invalid JSON", i + 1)));
        } else {
            assert_eq!(l["id"], i, "order");
        }
    }
}

#[test]
fn predict_stance_on_a_huge_line() {
    // 20 MB of text in one record: answered, not a panic, in reasonable time.
    let text = "Russia said the talks in Geneva would go on. ".repeat(20 << 20 >> 6);
    let input = format!(
        "{{\"id\": \"big\", \"text\": \"{text}\", \"target\": \"Russia\"}}\n{{\"id\": \"small\", \"text\": \"Kyiv\", \"target\": \"Ukraine\"}}\n"
    );
    let t0 = std::time::Instant::now();
    let o = run(&["predict-stance"], input.as_bytes());
    no_panic(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(
        (lines[0]["id"].as_str(), lines[1]["id"].as_str()),
        (Some("big"), Some("small"))
    );
    assert!(t0.elapsed().as_secs() < 60, "{:?}", t0.elapsed());
}

/// Runs `eval stance --data generic:FILE` on `bytes` written to `name`.
fn eval_generic(name: &str, bytes: &[u8], extra: &[&str]) -> (Output, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    let spec = format!("generic:{}", p.display());
    let mut args = vec!["eval", "stance", "--data", &spec];
    args.extend_from_slice(extra);
    let o = run(&args, b"");
    no_panic(&o);
    let e = stderr(&o);
    (o, e.replace(&format!("{}", p.display()), name))
}

#[test]
fn eval_stance_refuses_bad_generic_files_naming_file_and_line() {
    let header = "text,target,stance\n";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "ragged.csv",
            format!("{header}\"Russia attacked.\",Russia,against\nok,Russia\n").into_bytes(),
            "ragged.csv line 3: record has 2 fields but the header has 3 (an unquoted comma, or a missing or extra field?)",
        ),
        (
            "long.csv",
            format!("{header}\"Russia attacked.\",Russia,against,extra\n").into_bytes(),
            "long.csv line 2: record has 4 fields but the header has 3 (an unquoted comma, or a missing or extra field?)",
        ),
        (
            "unterminated.csv",
            format!("{header}\"Russia attacked.,Russia,against\nnext,Russia,none\n").into_bytes(),
            "unterminated.csv line 2: unterminated quoted field: the '\"' that opens it is never closed",
        ),
        (
            "label.csv",
            format!("{header}\"Russia attacked.\",Russia,hostile\n").into_bytes(),
            "label.csv line 2: field \"stance\": unknown label \"hostile\" (expected favor, against or none)",
        ),
        (
            "label.jsonl",
            b"{\"text\": \"x\", \"target\": \"Russia\", \"stance\": \"meh\"}\n".to_vec(),
            "label.jsonl line 1: field \"stance\": unknown label \"meh\" (expected favor, against or none)",
        ),
        (
            "column.csv",
            b"text,stance\n\"Russia attacked.\",against\n".to_vec(),
            "column.csv line 1: missing column \"target\"; header found: text,stance",
        ),
        (
            "field.jsonl",
            b"{\"text\": \"Russia attacked.\", \"target\": \"Russia\", \"stance\": \"against\"}\n{\"text\": \"x\", \"target\": \"Russia\"}\n".to_vec(),
            "field.jsonl line 2: field \"stance\" is missing",
        ),
        (
            "broken.jsonl",
            b"{\"text\": \"Russia attacked.\", \"target\": \"Russia\", \"stance\": \"against\"}\n{broken\n".to_vec(),
            "broken.jsonl line 2: invalid JSON: key must be a string at line 1 column 2",
        ),
        (
            "span.jsonl",
            b"{\"text\": \"Russia attacked.\", \"target\": \"Russia\", \"stance\": \"against\", \"target_start\": 0, \"target_end\": 99}\n".to_vec(),
            "span.jsonl line 1: target_end 99 is past the end of the text (16 characters; offsets count characters, not bytes)",
        ),
        (
            "empty.csv",
            Vec::new(),
            "empty.csv line 1: missing column \"text\"; header found: (none: the file is empty)",
        ),
        (
            "dup.csv",
            b"id,text,target,stance\nx,Russia attacked.,Russia,against\nx,Kyiv held.,Ukraine,favor\n".to_vec(),
            "dup.csv line 3: duplicate id \"x\" (first used at line 2; ids must be unique)",
        ),
        ("empty.jsonl", Vec::new(), "empty.jsonl: no records to evaluate (the file has none)"),
        ("blank.jsonl", b"\n \n\r\n".to_vec(), "blank.jsonl: no records to evaluate (the file has none)"),
        ("header.csv", header.as_bytes().to_vec(), "header.csv: no records to evaluate (the file has none)"),
        (
            "latin1.csv",
            [header.as_bytes(), b"\"Russia caf\xe9\",Russia,against\n"].concat(),
            "latin1.csv line 2: invalid UTF-8 at byte 30; pass --encoding NAME if the file is in another encoding (e.g. --encoding gb18030)",
        ),
    ];
    for (name, bytes, want) in cases {
        let (o, e) = eval_generic(name, &bytes, &[]);
        assert_eq!(o.status.code(), Some(2), "{name}: {e}");
        assert_eq!(e, format!("whosaid: {want}\n"), "{name}");
        assert!(o.stdout.is_empty(), "{name}");
    }
}

#[test]
fn eval_stance_reads_bom_crlf_and_other_encodings() {
    let ok = |o: &Output, n: u64| {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
        assert!(stdout(o).contains(&format!("(n = {n})")), "{}", stdout(o));
    };
    let (o, _) = eval_generic(
        "bom.csv",
        b"\xEF\xBB\xBFtext,target,stance\r\n\"Russia attacked.\",Russia,against\r\n",
        &[],
    );
    ok(&o, 1);
    let (o, _) = eval_generic(
        "bom.jsonl",
        b"\xEF\xBB\xBF{\"text\": \"Russia attacked.\", \"target\": \"Russia\", \"stance\": \"AGAINST\"}\r\n",
        &[],
    );
    ok(&o, 1);
    // An unknown target is a generic one.
    let (o, _) = eval_generic(
        "atlantis.jsonl",
        b"{\"text\": \"Atlantis was praised.\", \"target\": \"Atlantis\", \"stance\": \"favor\"}\n",
        &[],
    );
    ok(&o, 1);
    let latin1 = b"text,target,stance\n\"Russia caf\xe9\",Russia,against\n";
    let (o, _) = eval_generic("latin1.csv", latin1, &["--encoding", "latin1"]);
    ok(&o, 1);
    let (o, e) = eval_generic("latin1.csv", latin1, &["--encoding", "gb18030"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        e,
        "whosaid: latin1.csv line 2: invalid gb18030 at byte 30; pass --encoding NAME with the file's actual encoding\n"
    );
    let (o, e) = eval_generic("x.csv", latin1, &["--encoding", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        e.starts_with("whosaid: unknown text encoding \"nope\""),
        "{e}"
    );
}

#[test]
fn eval_stance_data_that_is_not_there() {
    for (spec, want) in [
        (
            "generic:/nonexistent/x.csv",
            "whosaid: /nonexistent/x.csv: No such file or directory (os error 2)\n",
        ),
        (
            "ruw:/nonexistent/x.csv",
            "whosaid: /nonexistent/x.csv: No such file or directory (os error 2)\n",
        ),
        ("generic:/", "whosaid: /: Is a directory (os error 21)\n"),
    ] {
        let o = run(&["eval", "stance", "--data", spec], b"");
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(stderr(&o), want);
    }
    let o = run(&["eval", "stance", "--data", "xml:/x"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "unknown data format \"xml\" in \"xml:/x\"; known formats: ruw, newsmtsc, generic"
        ),
        "{}",
        stderr(&o)
    );
}
