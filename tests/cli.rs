//! The command line contract: names, fields, exit codes, error records.

use crate::util::*;

const RECORDS: &str = r#"{"id": "a", "text": "Putin's army shelled Kharkiv again, killing civilians.", "target": "Russia"}
{"id": "b", "text": "Slava Ukraini! Heroes of Ukraine defend their homes.", "target": "Ukraine", "target_span": [20, 27]}

{"id": "c", "text": "broken JSON
{"id": "d", "text": "No target here."}
{"id": 5, "text": "short", "target": "NATO", "target_span": [3, 99]}
{"id": "f", "text": "NATO allies met in Brussels.", "target": "NATO"}
"#;

#[test]
fn predict_stance_answers_every_record_in_order() {
    let o = run(&["predict-stance"], RECORDS.as_bytes());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 6, "one output per non-blank input line");
    let ids: Vec<String> = lines.iter().map(|l| l["id"].to_string()).collect();
    assert_eq!(ids, ["\"a\"", "\"b\"", "null", "\"d\"", "5", "\"f\""]);
    for i in [0, 1, 5] {
        assert_stance_record(&lines[i]);
    }
    assert_eq!(lines[0]["target"], "Russia");
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .starts_with("line 4: invalid JSON"));
    assert!(lines[3]["error"]
        .as_str()
        .unwrap()
        .contains("missing field `target`"));
    assert!(lines[4]["error"]
        .as_str()
        .unwrap()
        .contains("target_span [3, 99] is not inside the text (5 characters)"));
    assert!(stderr(&o).contains("line 4: invalid JSON"));
}

#[test]
fn predict_stance_explains_with_feature_names() {
    let input = r#"{"id": "x", "text": "Russia's invasion is a crime and Russian troops must leave.", "target": "Russia"}"#;
    let o = run(&["predict-stance", "--explain", "3", "-"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let l = &json_lines(&o)[0];
    let why = l["why"].as_array().unwrap();
    assert_eq!(why.len(), 3);
    for w in why {
        let f = w["feature"].as_str().unwrap();
        assert!(f.contains('|') && !f.is_empty(), "{f}");
        assert!(w["weight"].as_f64().unwrap().is_finite());
    }
}

#[test]
fn predict_stance_reports_invalid_utf8_per_line() {
    let mut input = br#"{"id": "ok", "text": "Kyiv stands.", "target": "Ukraine"}"#.to_vec();
    input.extend_from_slice(
        b"\n{\"id\": \"bad\", \"text\": \"\xff\xfe\", \"target\": \"Ukraine\"}\n",
    );
    let o = run(&["predict-stance"], &input);
    assert_eq!(o.status.code(), Some(1));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["label"].is_string());
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("line 2: invalid UTF-8"));
}

#[test]
fn eval_stance_prints_a_table_and_json() {
    let o = run(
        &[
            "eval",
            "stance",
            "--data",
            "generic:training/fixtures/generic.jsonl",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = stdout(&o);
    for want in [
        "precision",
        "macro-F1",
        "F-avg",
        "ECE",
        "confusion",
        "target Russia",
    ] {
        assert!(t.contains(want), "missing {want} in\n{t}");
    }
    let o = run(
        &[
            "eval",
            "stance",
            "--json",
            "--data",
            "generic:training/fixtures/generic.jsonl",
        ],
        b"",
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["overall"]["n"], 12);
    assert!(v["overall"]["macro_f1"].as_f64().unwrap() >= 0.0);
    assert_eq!(v["overall"]["labels"].as_array().unwrap().len(), 3);
}

#[test]
fn eval_on_real_ruw_needs_the_encoding() {
    let Some(d) = data_dir() else { return };
    let spec = format!("ruw:{}", d.join("ruw/val.csv").display());
    let o = run(&["eval", "stance", "--data", &spec], b"");
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("val.csv line") && e.contains("invalid UTF-8 at byte"),
        "{e}"
    );
    assert!(e.contains("--encoding"), "{e}");
}

/// Trains `what` (stance, attribution) with `recipe` on the fixtures into each of `outs`,
/// checking that it succeeds and says each of `says` on stderr; the models' bytes.
fn train_fixture(
    what: &str,
    recipe: &str,
    outs: &[&std::path::Path],
    says: &[&str],
) -> Vec<Vec<u8>> {
    outs.iter()
        .map(|out| {
            let o = run(
                &[
                    "train",
                    what,
                    "--recipe",
                    recipe,
                    "--data",
                    "training/fixtures",
                    "--out",
                    out.to_str().unwrap(),
                ],
                b"",
            );
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            for s in says {
                assert!(stderr(&o).contains(s), "{s}: {}", stderr(&o));
            }
            std::fs::read(out).unwrap()
        })
        .collect()
}

#[test]
fn train_is_deterministic_and_the_model_is_usable() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a/stance.json");
    let b = dir.path().join("b.json");
    let models = train_fixture(
        "stance",
        "training/fixtures/tiny.toml",
        &[&a, &b],
        &["chose alpha"],
    );
    let (ba, bb) = (&models[0], &models[1]);
    assert!(
        ba == bb,
        "same recipe and seed must give a byte-identical model"
    );
    let model: serde_json::Value = serde_json::from_slice(ba).unwrap();
    assert_eq!(model["format"], "whosaid.stance");
    assert_eq!(model["format_version"], 2);
    // The number arrays are packed (base64 of little-endian bytes), the names are JSON strings.
    assert!(model["model"]["weights"].is_string(), "{}", model["model"]);
    assert_eq!(model["recipe"]["name"], "tiny");
    assert!(model["model"]["names"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| !n.as_str().unwrap().is_empty()));
    // no temporary files left beside the model
    assert_eq!(std::fs::read_dir(a.parent().unwrap()).unwrap().count(), 1);

    let o = run(
        &["predict-stance", "--model", a.to_str().unwrap()],
        br#"{"id": 1, "text": "Russia shelled the port.", "target": "Russia"}"#,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json_lines(&o).len(), 1);
}

#[test]
fn the_sparse_solver_trains_the_models_linfa_trains() {
    // The fixture recipes as they are (linfa-logistic) and with `solver = "sparse"` (a top-level
    // key in the attribution recipe, in [train] at the end of the stance recipe).
    let dir = tempfile::tempdir().unwrap();
    let fit = |what: &str, recipe: &str| -> [std::path::PathBuf; 2] {
        let sparse_recipe = dir.path().join(format!("{what}-sparse.toml"));
        let text = std::fs::read_to_string(repo().join(recipe)).unwrap();
        std::fs::write(&sparse_recipe, format!("{text}\nsolver = \"sparse\"\n")).unwrap();
        let outs = [
            dir.path().join(format!("{what}-linfa.json")),
            dir.path().join(format!("{what}-sparse.json")),
        ];
        train_fixture(what, recipe, &[&outs[0]], &[]);
        train_fixture(what, sparse_recipe.to_str().unwrap(), &[&outs[1]], &[]);
        let solver = |p: &std::path::Path| {
            let m: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
            let r = &m["recipe"];
            r.get("solver")
                .or_else(|| r["train"].get("solver"))
                .cloned()
        };
        assert_eq!(solver(&outs[0]), None, "{what}: linfa is the default");
        assert_eq!(solver(&outs[1]), Some("sparse".into()), "{what}");
        outs
    };

    // Stance: the same label and nearly the same probabilities for every fixture sentence.
    let [linfa, sparse] = fit("stance", "training/fixtures/tiny.toml");
    let input: String = std::fs::read_to_string(repo().join("training/fixtures/generic.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!(
                "{}\n",
                serde_json::json!({"text": v["text"], "target": v["target"]})
            )
        })
        .collect();
    let predict = |model: &std::path::Path| {
        let o = run(
            &["predict-stance", "--model", model.to_str().unwrap()],
            input.as_bytes(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        json_lines(&o)
    };
    let (a, b) = (predict(&linfa), predict(&sparse));
    assert_eq!(a.len(), input.lines().count());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x["label"], y["label"], "{x} / {y}");
        for l in ["favor", "against", "none"] {
            let (p, q) = (
                x["probs"][l].as_f64().unwrap(),
                y["probs"][l].as_f64().unwrap(),
            );
            assert!((p - q).abs() < 0.02, "{l}: {x} / {y}");
        }
    }

    // Attribution: the same dev figures.
    let [linfa, sparse] = fit("attribution", "training/fixtures/polnear-tiny.toml");
    let figures = |model: &std::path::Path| {
        let o = run(
            &[
                "eval",
                "attribution",
                "--model",
                model.to_str().unwrap(),
                "--data",
                "polnear:training/fixtures/polnear-tiny/dev",
                "--json",
            ],
            b"",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_str::<serde_json::Value>(&stdout(&o)).unwrap()
    };
    let (a, b) = (figures(&linfa), figures(&sparse));
    assert_eq!(a, b);
    assert_eq!(a["cue"]["exact"][2], 100.0, "{a}");
}

#[test]
fn train_attribution_dumps_the_rows_its_fits_see_without_changing_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, dumped, rows) = (
        dir.path().join("plain.json"),
        dir.path().join("dumped.json"),
        dir.path().join("rows"),
    );
    train_fixture(
        "attribution",
        "training/fixtures/polnear-tiny.toml",
        &[&plain],
        &[],
    );
    let o = run(
        &[
            "train",
            "attribution",
            "--recipe",
            "training/fixtures/polnear-tiny.toml",
            "--data",
            "training/fixtures",
            "--out",
            dumped.to_str().unwrap(),
            "--dump-rows",
            rows.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(&plain).unwrap(),
        std::fs::read(&dumped).unwrap()
    );
    let log = stderr(&o);
    for what in ["cue", "source", "content"] {
        // "cue model fitted: 123 rows x 45 columns, fit 0.01 s (…)" and the dump agree.
        let line = log
            .lines()
            .find(|l| l.contains(&format!("{what} model fitted: ")))
            .unwrap_or_else(|| panic!("{what}: {log}"));
        let shape: Vec<usize> = line
            .split(": ")
            .nth(2)
            .unwrap()
            .split(" columns")
            .next()
            .unwrap()
            .split(" rows x ")
            .map(|n| n.parse().unwrap())
            .collect();
        let text = std::fs::read_to_string(rows.join(format!("{what}.svm"))).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            format!(
                "# whosaid training rows: {} rows x {} columns",
                shape[0], shape[1]
            )
        );
        let mut n = 0;
        for l in lines {
            n += 1;
            let mut parts = l.split(' ');
            assert!(matches!(parts.next(), Some("0" | "1")), "{l}");
            let mut last = None;
            for p in parts {
                let (j, v) = p.split_once(':').unwrap();
                let (j, v): (usize, f32) = (j.parse().unwrap(), v.parse().unwrap());
                assert!(j < shape[1] && last.is_none_or(|l| l < j), "{l}");
                assert!(v.is_finite() && v != 0.0, "{l}");
                last = Some(j);
            }
        }
        assert_eq!(n, shape[0], "{what}");
    }
}

#[test]
fn train_attribution_is_deterministic_and_the_model_is_usable() {
    // Made-up PolNeAR-style articles (brat standoff): the everyday shapes of reported speech, and
    // in dev some sources annotated otherwise, so that the speaker-confidence model has wrong
    // speakers to learn from.
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path().join("models");
    std::fs::create_dir(&models).unwrap();
    let a = models.join("attribution.json");
    let b = dir.path().join("b.json");
    let trained = train_fixture(
        "attribution",
        "training/fixtures/polnear-tiny.toml",
        &[&a, &b],
        &[
            "chose cue >= ",
            "speaker confidence: 29 dev sentences with a speaker",
        ],
    );
    let (ba, bb) = (&trained[0], &trained[1]);
    assert!(
        ba == bb,
        "same recipe and seed must give a byte-identical model"
    );
    let model: serde_json::Value = serde_json::from_slice(ba).unwrap();
    assert_eq!(model["format"], "whosaid.attribution");
    assert_eq!(model["format_version"], 5);
    assert_eq!(model["recipe"]["name"], "polnear-tiny");
    assert!(
        model["speaker"]["weights"].is_string(),
        "{}",
        model["speaker"]
    );

    // It learnt the shapes: every dev cue exactly.
    let o = run(
        &[
            "eval",
            "attribution",
            "--model",
            a.to_str().unwrap(),
            "--data",
            "polnear:training/fixtures/polnear-tiny/dev",
            "--json",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let figures: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(figures["cue"]["exact"][2], 100.0, "{figures}");

    // And classify runs on it, with a calibrated confidence per speaker.
    std::fs::copy(
        repo().join("models/default/stance.json"),
        models.join("stance.json"),
    )
    .unwrap();
    let o = run(
        &[
            "classify",
            "--models",
            models.to_str().unwrap(),
            "--format",
            "jsonl",
        ],
        "Velin said the ferries will run twice a day.\n\nThe town lies on the river Brenn.\n"
            .as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["speaker"]["text"], "Velin");
    let c = lines[0]["speaker"]["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&c), "{c}");
    assert!(lines[1]["speaker"].is_null());
}

/// The shipped model `name` rewritten in the format of earlier versions: number arrays as JSON
/// numbers instead of packed base64 strings, with the given `format_version`.
fn legacy_model(name: &str, version: u64, models: &[&str]) -> Vec<u8> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let text = std::fs::read(repo().join("models/default").join(name)).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&text).unwrap();
    v["format_version"] = version.into();
    for m in models {
        let m = &mut v[*m];
        for (field, size) in [("hashes", 8), ("groups", 1), ("idf", 4), ("weights", 4)] {
            let Some(packed) = m[field].as_str() else {
                continue;
            };
            let bytes = b64.decode(packed).unwrap();
            let numbers: Vec<serde_json::Value> = bytes
                .chunks_exact(size)
                .map(|c| match (field, size) {
                    (_, 8) => u64::from_le_bytes(c.try_into().unwrap()).into(),
                    (_, 1) => c[0].into(),
                    _ => f32::from_le_bytes(c.try_into().unwrap()).into(),
                })
                .collect();
            m[field] = numbers.into();
        }
    }
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn models_of_the_earlier_format_version_still_load_and_predict_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let stance = dir.path().join("stance-v1.json");
    std::fs::write(&stance, legacy_model("stance.json", 1, &["model"])).unwrap();
    let input = br#"{"id": 1, "text": "Kyiv thanked its allies; Moscow denied the strike.", "target": "Russia"}
{"id": 2, "text": "The ceasefire held, officials said.", "target": "Ukraine", "target_span": [4, 13]}
"#;
    let new = run(&["predict-stance"], input);
    let old = run(
        &["predict-stance", "--model", stance.to_str().unwrap()],
        input,
    );
    assert_eq!(old.status.code(), Some(0), "{}", stderr(&old));
    assert_eq!(stdout(&old), stdout(&new));
    assert_eq!(json_lines(&new).len(), 2);

    let attribution = dir.path().join("attribution-v2.json");
    std::fs::write(
        &attribution,
        legacy_model("attribution.json", 2, &["cue", "source", "content"]),
    )
    .unwrap();
    let doc = b"\"We will not stop,\" Kirby told reporters on Monday. Russia denied it.\n";
    let new = run(&["classify", "--format", "jsonl", "-"], doc);
    let models = dir.path().join("models");
    std::fs::create_dir(&models).unwrap();
    std::fs::rename(&attribution, models.join("attribution.json")).unwrap();
    std::fs::rename(&stance, models.join("stance.json")).unwrap();
    let old = run(
        &[
            "classify",
            "--models",
            models.to_str().unwrap(),
            "--format",
            "jsonl",
            "-",
        ],
        doc,
    );
    assert_eq!(old.status.code(), Some(0), "{}", stderr(&old));
    assert!(stdout(&new).contains("Kirby"), "{}", stdout(&new));
    assert_eq!(stdout(&old), stdout(&new));
}

#[test]
fn bad_models_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "garbage.json",
            b"\x00\x01 not json",
            "not a whosaid model file",
        ),
        (
            "other.json",
            br#"{"format": "something.else", "format_version": 1}"#,
            "not a stance model",
        ),
        (
            "future.json",
            br#"{"format": "whosaid.stance", "format_version": 99}"#,
            "model format version 99 is not supported",
        ),
        (
            "truncated.json",
            br#"{"format": "whosaid.stance", "format_version": 1, "recipe": {"#,
            "not a whosaid model file",
        ),
    ];
    for (name, bytes, want) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let o = run(&["predict-stance", "--model", p.to_str().unwrap()], b"");
        assert_eq!(o.status.code(), Some(2), "{name}");
        let e = stderr(&o);
        assert!(
            e.starts_with("whosaid: ") && e.contains(name) && e.contains(want),
            "{name}: {e}"
        );
    }
    let o = run(&["predict-stance", "--model", "/nonexistent/m.json"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/m.json"));
}

#[test]
fn usage_errors_exit_2() {
    let o = run(&["frobnicate"], b"");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["eval", "stance", "--data", "csv:x"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("csv"), "{}", stderr(&o));
    let o = run(&["--help"], b"");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_whosaid"))
        .arg("predict-stance")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let line = b"{\"id\": \"x\", \"text\": \"Putin said so.\", \"target\": \"Russia\"}\n";
        for _ in 0..50_000 {
            if stdin.write_all(line).is_err() {
                break;
            }
        }
    });
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    writer.join().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
}
