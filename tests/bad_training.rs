//! `train` and `eval attribution` on bad recipes and missing or malformed data directories, and
//! `train` interrupted midway: never a half-written model.

use crate::util::*;
use std::path::Path;
use std::process::{Command, Stdio};

fn train(recipe: &Path, data: &str, out: &Path) -> std::process::Output {
    run(
        &[
            "train",
            "stance",
            "--recipe",
            recipe.to_str().unwrap(),
            "--data",
            data,
            "--out",
            out.to_str().unwrap(),
        ],
        b"",
    )
}

fn tiny_recipe() -> String {
    std::fs::read_to_string(repo().join("training/fixtures/tiny.toml")).unwrap()
}

#[test]
fn malformed_recipes_are_refused_naming_the_recipe_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = tiny_recipe();
    let edit = |from: &str, to: &str| {
        assert!(tiny.contains(from), "{from}");
        tiny.replacen(from, to, 1)
    };
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "unknown_key.toml",
            edit("seed = 1\n", "seed = 1\nseeed = 2\n"),
            "unknown field `seeed`, expected one of `name`, `seed`, `corpus`, `target`, `features`, `selection`, `train`",
        ),
        (
            "unknown_nested_key.toml",
            edit("max_features = 300", "max_features = 300\nmax_feature = 1"),
            "unknown field `max_feature`, expected one of `min_df`, `max_features`, `method`, `per_corpus`",
        ),
        (
            "wrong_type.toml",
            edit("seed = 1", "seed = \"one\""),
            "invalid type: string \"one\", expected u64",
        ),
        (
            "wrong_format.toml",
            edit("format = \"generic\"", "format = \"xml\""),
            "unknown variant `xml`, expected one of `ruw`, `newsmtsc`, `generic`",
        ),
        (
            "not_toml.toml",
            "this is [not toml".into(),
            "TOML parse error at line 1, column 6",
        ),
        (
            "no_alphas.toml",
            edit("alphas = [0.5, 2.0]", "alphas = []"),
            "invalid parameter train.alphas = []: needs at least one value",
        ),
        (
            "bad_alpha.toml",
            edit("alphas = [0.5, 2.0]", "alphas = [-1.0]"),
            "invalid parameter train.alphas = -1: every alpha must be a positive finite number",
        ),
        (
            "huge_ngrams.toml",
            edit("[selection]", "[features]\nword_ngrams = 1099511627776\n\n[selection]"),
            "features.word_ngrams",
        ),
    ];
    let out = dir.path().join("model.json");
    for (name, text, want) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let o = train(&p, "training/fixtures", &out);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {e}");
        assert!(
            e.starts_with(&format!("whosaid: {}: ", p.display())) && e.contains(want),
            "{name}: want {want:?} in {e}"
        );
        assert!(!e.contains("panicked"), "{e}");
        assert!(!out.exists(), "{name} wrote a model");
    }
    // A recipe that is not there, or a directory.
    let o = train(Path::new("/nonexistent/r.toml"), "training/fixtures", &out);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "whosaid: /nonexistent/r.toml: No such file or directory (os error 2)\n"
    );
    let o = train(dir.path(), "training/fixtures", &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Is a directory"), "{}", stderr(&o));
}

#[test]
fn train_with_a_missing_or_malformed_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let recipe = repo().join("training/fixtures/tiny.toml");
    let out = dir.path().join("model.json");
    // No data directory: the first corpus file named, once.
    let o = train(&recipe, "/nonexistent/data", &out);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "whosaid: training {} on /nonexistent/data: /nonexistent/data/generic.csv: No such file or directory (os error 2)\n",
            recipe.display()
        )
    );
    // A recipe naming a corpus file that is not there.
    let bad_path = dir.path().join("bad_path.toml");
    std::fs::write(
        &bad_path,
        tiny_recipe().replace("train = \"generic.csv\"", "train = \"nope/missing.csv\""),
    )
    .unwrap();
    let o = train(&bad_path, "training/fixtures", &out);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "whosaid: training {} on training/fixtures: training/fixtures/nope/missing.csv: No such file or directory (os error 2)\n",
            bad_path.display()
        )
    );
    // A corpus file that is not what the recipe says.
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("generic.csv"), "text,target\nx,Russia\n").unwrap();
    let o = train(&recipe, data.to_str().unwrap(), &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!(
            "{}: {} line 1: missing column \"stance\"; header found: text,target",
            data.display(),
            data.join("generic.csv").display()
        )),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    // --out is a directory: refused before training.
    let o = train(&recipe, "training/fixtures", dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "whosaid: --out {}: is a directory; give the model file's path (e.g. {})\n",
            dir.path().display(),
            dir.path().join("model.json").display()
        )
    );
    // train attribution: the same for its data directory.
    let o = run(
        &[
            "train",
            "attribution",
            "--recipe",
            "training/attribution.toml",
            "--data",
            "/nonexistent/data",
            "--out",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).ends_with(
            "on /nonexistent/data: /nonexistent/data/polnear/train/text: No such file or directory (os error 2)\n"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn eval_attribution_with_missing_or_malformed_data() {
    let dir = tempfile::tempdir().unwrap();
    let split = dir.path().join("dev");
    let s = split.to_str().unwrap();
    let spec = format!("polnear:{s}");
    let eval = |extra: &[&str]| {
        let mut args = vec!["eval", "attribution", "--data", &spec];
        args.extend_from_slice(extra);
        let o = run(&args, b"");
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        o
    };
    let expect = |o: std::process::Output, want: String| {
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert_eq!(stderr(&o), format!("whosaid: {want}\n"));
        assert!(o.stdout.is_empty());
    };
    expect(
        eval(&[]),
        format!("{s}/text: No such file or directory (os error 2)"),
    );
    let o = run(&["eval", "attribution", "--data", s], b"");
    expect(
        o,
        format!(
            "--data {s:?}: expected polnear:DIR (a PolNeAR split with text/ and attributions/)"
        ),
    );
    std::fs::create_dir_all(split.join("text")).unwrap();
    std::fs::create_dir_all(split.join("attributions")).unwrap();
    expect(
        eval(&[]),
        format!("{s}: no articles to evaluate (no .txt files in {s}/text)"),
    );
    std::fs::write(split.join("text/a.txt"), "We said it.").unwrap();
    expect(
        eval(&[]),
        format!("{s}/attributions: article a has no annotation file a_*.ann"),
    );
    let ann = split.join("attributions/a_x.ann");
    std::fs::write(&ann, "T1\tCue 3 99\tsaid\n").unwrap();
    expect(
        eval(&[]),
        format!(
            "{} line 1: span T1: segment 3 99 is out of range (the text has 11 characters)",
            ann.display()
        ),
    );
    std::fs::write(&ann, "T1\tCue 3 7\tsaid\nE1\tAttribution:T9\n").unwrap();
    expect(
        eval(&[]),
        format!(
            "{} line 2: trigger T9 is not defined in the file",
            ann.display()
        ),
    );
    std::fs::write(&ann, "T1\tCue 3 7\tsaid\n").unwrap();
    expect(
        eval(&[]),
        format!(
            "{}/sentences-dev.json: No such file or directory (os error 2)",
            dir.path().join("dev/..").display()
        ),
    );
    let sentences = dir.path().join("sentences-dev.json");
    std::fs::write(&sentences, "{\"a\": [[0, 11]]").unwrap();
    let o = eval(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).ends_with(
            "sentences-dev.json line 1: expected {\"NAME\": [[start, end], ...]}: EOF while parsing an object at line 1 column 15\n"
        ),
        "{}",
        stderr(&o)
    );
    std::fs::write(&sentences, "{\"a\": [[0, 11]]}").unwrap();
    std::fs::write(split.join("text/b.txt"), b"bad \xff byte").unwrap();
    std::fs::write(split.join("attributions/b_x.ann"), "").unwrap();
    let o = eval(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("b.txt"), "{}", stderr(&o));
    std::fs::remove_file(split.join("text/b.txt")).unwrap();
    let o = eval(&["--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Sends `signal` to `pid` with kill(1).
fn signal(pid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status();
}

#[test]
fn interrupting_train_never_leaves_a_half_written_model() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stance.json");
    // The tiny recipe with a longer grid, so that there is a "midway" to interrupt.
    let recipe = dir.path().join("slow.toml");
    let slow = tiny_recipe()
        .replace(
            "alphas = [0.5, 2.0]",
            "alphas = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]",
        )
        .replace("max_iterations = 30", "max_iterations = 400")
        .replace("max_features = 300", "max_features = 2000");
    std::fs::write(&recipe, slow).unwrap();
    // A complete run first: the model every later run writes (training is deterministic), and
    // how long a run takes.
    let t0 = std::time::Instant::now();
    let o = train(&recipe, "training/fixtures", &out);
    let full = t0.elapsed();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let model = std::fs::read(&out).unwrap();
    let rounds = 30u32;
    let (mut killed, mut finished) = (0, 0);
    for round in 0..rounds {
        // Some rounds start from no model, the others from the old one.
        if round % 3 == 1 {
            let _ = std::fs::remove_file(&out);
        }
        let had_old = out.exists();
        let mut child = Command::new(env!("CARGO_BIN_EXE_whosaid"))
            .args(["train", "stance", "--recipe"])
            .arg(&recipe)
            .args(["--data", "training/fixtures", "--out"])
            .arg(&out)
            .current_dir(repo())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill times spread evenly over a whole run (and a little past it).
        std::thread::sleep(full.mul_f64(1.2 * f64::from(round) / f64::from(rounds)));
        match round % 3 {
            0 => {
                let _ = child.kill();
            }
            1 => signal(child.id(), "-INT"),
            _ => signal(child.id(), "-TERM"),
        }
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
        } else {
            killed += 1;
        }
        match std::fs::read(&out) {
            Ok(bytes) => assert!(
                bytes == model,
                "round {round}: the model file is not whole ({} bytes, want {})",
                bytes.len(),
                model.len()
            ),
            Err(_) => assert!(!had_old, "round {round}: the old model is gone"),
        }
        // Nothing else that could pass for a model: only hidden temporaries, never *.json.
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                name == "stance.json"
                    || name == "slow.toml"
                    || (name.starts_with(".stance.json.tmp") && !name.ends_with(".json")),
                "round {round}: stray file {name}"
            );
        }
    }
    assert!(
        killed >= 5,
        "too few runs were interrupted ({killed}, {finished} finished)"
    );
    eprintln!("a run takes {full:?}; interrupted {killed} runs, {finished} finished first");
}
