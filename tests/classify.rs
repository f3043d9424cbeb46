//! `whosaid classify` and `whosaid eval attribution` on the real binary.

use crate::util::*;

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

#[test]
fn classify_jsonl_accounts_for_every_sentence_with_true_spans() {
    let Some(d) = data_dir() else { return };
    for entry in std::fs::read_dir(d.join("articles")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let o = run(
            &["classify", "--format", "jsonl", path.to_str().unwrap()],
            b"",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stderr(&o).contains("1 documents"), "{}", stderr(&o));
        let lines = json_lines(&o);
        let cs = chars(&text);
        let mut covered = vec![false; cs.len()];
        for (i, l) in lines.iter().enumerate() {
            assert_eq!(l["doc"], path.to_str().unwrap());
            assert_eq!(l["sentence"], i);
            let (s, e) = (
                l["start"].as_u64().unwrap() as usize,
                l["end"].as_u64().unwrap() as usize,
            );
            let span: String = cs[s..e].iter().collect();
            assert_eq!(span, l["text"].as_str().unwrap());
            covered[s..e].iter_mut().for_each(|c| *c = true);
            for key in ["speaker", "cue"] {
                if let Some(x) = l[key].as_object() {
                    let (a, b) = (
                        x["start"].as_u64().unwrap() as usize,
                        x["end"].as_u64().unwrap() as usize,
                    );
                    assert_eq!(
                        cs[a..b].iter().collect::<String>(),
                        x["text"].as_str().unwrap()
                    );
                }
            }
            if let Some(sp) = l["speaker"].as_object() {
                assert!(!sp["canonical"].as_str().unwrap().is_empty());
                let c = sp["confidence"].as_f64().unwrap();
                assert!((0.0..=1.0).contains(&c));
            }
            if l["furniture"] == false {
                assert_eq!(l["stance"].as_array().unwrap().len(), 2, "{l}");
            }
        }
        for (i, c) in cs.iter().enumerate() {
            assert!(
                c.is_whitespace() || covered[i],
                "char {i} {c:?} of {} not in any sentence",
                path.display()
            );
        }
    }
}

#[test]
fn classify_batch_reports_bad_documents_and_goes_on() {
    let input = "{\"id\": \"a\", \"text\": \"Kirby said the Velnian council does not back the strikes.\"}\nnot json\n{\"id\": \"c\"}\n{\"id\": 7, \"text\": \"Putin said the West wants war. Lavrov agreed.\"}\n";
    let o = run(
        &[
            "classify", "--jsonl", "--format", "citron", "--target", "NATO", "-",
        ],
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 4, "one record per input document");
    assert_eq!(lines[0]["doc"], "a");
    assert!(lines[0]["quotes"].is_array());
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("line 2: invalid JSON"));
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("missing field `text`"));
    assert_eq!(lines[3]["doc"], "7");
    let e = stderr(&o);
    assert!(e.contains("4 documents") && e.contains("2 errors"), "{e}");

    let o = run(
        &["classify", "--format", "jsonl", "/nonexistent/x.txt", "-"],
        b"Lavrov said so.",
    );
    assert_eq!(o.status.code(), Some(1));
    let lines = json_lines(&o);
    assert!(lines[0]["error"]
        .as_str()
        .unwrap()
        .contains("/nonexistent/x.txt"));
    assert_eq!(lines[1]["doc"], "stdin");
}

#[test]
fn jsonl_files_are_read_as_documents_like_jsonl_on_stdin() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = "{\"id\":\"a\",\"text\":\"Lavrov said Russia would respond.\"}\n\
                not json\n\
                \n\
                {\"id\":\"b\",\"text\":\"\\\"We will win,\\\" Zelensky said.\"}\n";
    let jsonl = tmp.path().join("docs.jsonl");
    let txt = tmp.path().join("docs.txt");
    std::fs::write(&jsonl, docs).unwrap();
    std::fs::write(&txt, docs).unwrap();
    let (jsonl, txt) = (jsonl.to_str().unwrap(), txt.to_str().unwrap());
    let from_stdin = run(
        &["classify", "--jsonl", "--format", "jsonl"],
        docs.as_bytes(),
    );
    let want: Vec<serde_json::Value> = json_lines(&from_stdin);
    assert_eq!(want.len(), 3, "{}", stdout(&from_stdin));
    // A `.jsonl` file is JSON Lines by its name; any file is with `--jsonl`. Records, ids and
    // errors are those of the same lines on standard input, the errors naming the file.
    for args in [
        vec!["classify", "--format", "jsonl", jsonl],
        vec!["classify", "--jsonl", "--format", "jsonl", txt],
    ] {
        let o = run(&args, b"");
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let got = json_lines(&o);
        assert_eq!(got.len(), want.len(), "{}", stdout(&o));
        let path = args[args.len() - 1];
        for (g, w) in got.iter().zip(&want) {
            match w["error"].as_str() {
                None => assert_eq!(g, w),
                Some(e) => {
                    assert_eq!(g["doc"], format!("{path}:2"));
                    assert_eq!(
                        g["error"].as_str().unwrap(),
                        e.replace("stdin", path),
                        "{g}"
                    );
                }
            }
        }
        let e = stderr(&o);
        assert!(e.contains("3 documents") && e.contains("1 errors"), "{e}");
    }
    // Without `--jsonl`, a `.txt` file is one plain-text document.
    let o = run(&["classify", "--format", "jsonl", txt], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(json_lines(&o).iter().all(|l| l["doc"] == txt));
    // A missing JSONL file is an error record, and the next input is still read.
    let gone = tmp.path().join("gone.jsonl");
    let o = run(
        &[
            "classify",
            "--jsonl",
            "--format",
            "jsonl",
            txt,
            gone.to_str().unwrap(),
            jsonl,
        ],
        b"",
    );
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 7, "{}", stdout(&o));
    assert_eq!(lines[0]["doc"], gone.to_str().unwrap());
    assert!(lines[0]["error"].as_str().unwrap().contains("gone.jsonl"));
    assert_eq!(lines[6]["doc"], "b");
    // Empty JSON Lines files give no records, and the inputs after them are read.
    let mut args = vec!["classify".to_owned(), "--format".into(), "jsonl".into()];
    for k in 0..50 {
        let empty = tmp.path().join(format!("empty{k}.jsonl"));
        std::fs::write(&empty, "").unwrap();
        args.push(empty.to_str().unwrap().to_owned());
    }
    args.push(jsonl.to_owned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&args, b"");
    assert_eq!(json_lines(&o).len(), 3, "{}", stdout(&o));
    assert!(stderr(&o).contains("3 documents"), "{}", stderr(&o));
}

#[test]
fn classify_csv_and_table_formats() {
    let o = run(
        &["classify", "--format", "csv", "--target", "Russia"],
        b"Putin said Russia will win. It rained.",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let header = rdr.headers().unwrap().clone();
    assert!(header.iter().any(|h| h == "Russia_label"));
    assert_eq!(rdr.records().count(), 2);
    let o = run(
        &["classify", "--format", "table"],
        b"Putin said Russia will win.",
    );
    assert!(stdout(&o).contains("Putin"), "{}", stdout(&o));
}

#[test]
fn stance_scope_gates_targets_the_document_never_mentions() {
    let text = b"Senators said the bill would pass. \"It is a good day,\" Schumer said.";
    let o = run(&["classify", "--format", "jsonl"], text);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 2);
    for l in &lines {
        for t in l["stance"].as_array().unwrap() {
            assert_eq!(t["label"], "none", "{t}");
            assert_eq!(t["probs"]["none"], 1.0, "{t}");
            assert_eq!(t["mentioned"], false, "{t}");
        }
    }
    let o = run(
        &["classify", "--format", "jsonl", "--stance-scope", "all"],
        text,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for l in &json_lines(&o) {
        for t in l["stance"].as_array().unwrap() {
            assert!(t["probs"]["none"].as_f64().unwrap() < 1.0, "{t}");
            assert_eq!(t["mentioned"], false, "{t}");
        }
    }
    // A document that names the target: with `mentioned`, no "mentioned" field, and the same
    // record as with `all`.
    let war = b"Russia said the talks failed. Kyiv disagreed.";
    let a = stdout(&run(
        &[
            "classify",
            "--format",
            "jsonl",
            "--stance-scope",
            "mentioned",
        ],
        war,
    ));
    let b = stdout(&run(
        &["classify", "--format", "jsonl", "--stance-scope", "all"],
        war,
    ));
    assert_eq!(a, b);
    assert!(!a.contains("mentioned"), "{a}");
    // By default (`sentence`), each sentence gets a stance toward the targets it names only:
    // Russia in the first, Ukraine (Kyiv) in the second.
    let o = run(&["classify", "--format", "jsonl"], war);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (lines, whole) = (
        json_lines(&o),
        json_lines(&run(
            &["classify", "--format", "jsonl", "--stance-scope", "all"],
            war,
        )),
    );
    for (i, named) in [(0, 0), (1, 1)] {
        let stance = lines[i]["stance"].as_array().unwrap();
        assert_eq!(stance[named], whole[i]["stance"][named], "{}", lines[i]);
        let other = &stance[1 - named];
        assert_eq!(other["label"], "none", "{other}");
        assert_eq!(other["probs"]["none"], 1.0, "{other}");
        assert_eq!(other["mentioned"], false, "{other}");
    }
    let o = run(&["classify", "--stance-scope", "some"], war);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn eval_attribution_agrees_with_the_reference_scorer() {
    let Some(d) = data_dir() else { return };
    let scorer = d.join("../eval/score_attribution.py");
    if !scorer.exists()
        || std::process::Command::new("python3")
            .arg("--version")
            .output()
            .is_err()
    {
        eprintln!("skipped: no reference scorer or python3");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let pred = tmp.path().join("pred.jsonl");
    let dev = d.join("polnear/dev");
    let o = run(
        &[
            "eval",
            "attribution",
            "--json",
            "--data",
            &format!("polnear:{}", dev.display()),
            "--predictions",
            pred.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ours: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let py = std::process::Command::new("python3")
        .arg(&scorer)
        .arg(&dev)
        .arg(d.join("polnear/sentences-dev.json"))
        .arg(&pred)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let first = String::from_utf8(py.stdout).unwrap();
    let theirs: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert_eq!(ours, theirs);
}

#[test]
fn classify_output_does_not_depend_on_jobs() {
    let Some(d) = data_dir() else { return };
    let dir = d.join("articles");
    let one = run(
        &[
            "classify",
            "--format",
            "jsonl",
            "--jobs",
            "1",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    let two = run(
        &[
            "classify",
            "--format",
            "jsonl",
            "--jobs",
            "2",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(one.status.code(), Some(0));
    assert!(!one.stdout.is_empty());
    assert!(one.stdout == two.stdout, "--jobs 1 and --jobs 2 differ");
}
