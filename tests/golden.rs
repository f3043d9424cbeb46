//! Golden outputs of the shipped default model on fixed inputs. When a model changes on purpose,
//! regenerate with `WHOSAID_UPDATE_GOLDEN=1 cargo test --release golden` and review the diff.

use crate::util::*;

fn check_golden(name: &str, args: &[&str], input: &[u8]) {
    check_golden_with(name, args, input, |line| line.to_owned());
}

/// [`check_golden`] on the output lines as `keep` rewrites them (both stored and compared).
fn check_golden_with(name: &str, args: &[&str], input: &[u8], keep: impl Fn(&str) -> String) {
    let o = run(args, input);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = repo().join("tests/golden").join(name);
    let actual: String = stdout(&o).lines().map(|l| keep(l) + "\n").collect();
    if std::env::var_os("WHOSAID_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; regenerate with WHOSAID_UPDATE_GOLDEN=1",
            path.display()
        )
    });
    let (exp, act): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    assert_eq!(
        exp.len(),
        act.len(),
        "line count differs\nexpected:\n{expected}\nactual:\n{actual}"
    );
    for (i, (e, a)) in exp.iter().zip(&act).enumerate() {
        let (ev, av): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(e).unwrap(),
            serde_json::from_str(a).unwrap(),
        );
        assert!(
            json_close(&ev, &av),
            "{name} line {}:\nexpected: {e}\nactual:   {a}",
            i + 1
        );
    }
}

/// Equal, with numbers within 1e-5.
fn json_close(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() < 1e-5,
        (Array(x), Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_close(a, b))
        }
        (Object(x), Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_close(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn golden_predict_stance_default_model() {
    let input = std::fs::read(repo().join("tests/golden/stance_inputs.jsonl")).unwrap();
    check_golden(
        "predict_stance.jsonl",
        &["predict-stance", "--explain", "2"],
        &input,
    );
}

#[test]
fn golden_classify_example_articles() {
    let Some(d) = data_dir() else { return };
    let mut names: Vec<_> = std::fs::read_dir(d.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    for p in names {
        let stem = p.file_stem().unwrap().to_str().unwrap().to_owned();
        let text = std::fs::read_to_string(&p).unwrap();
        let input = serde_json::json!({ "id": stem, "text": text }).to_string();
        let chars: Vec<char> = text.chars().collect();
        // The articles stay in the data directory: the text of a sentence, its speaker and its
        // cue is checked against the article at their offsets here, and the golden file keeps
        // the offsets only.
        // A speaker's canonical name that is its own text is kept as "=text".
        let take_text = |r: &mut serde_json::Map<String, serde_json::Value>| {
            let (a, b) = (r["start"].as_u64().unwrap(), r["end"].as_u64().unwrap());
            let span: String = chars[a as usize..b as usize].iter().collect();
            assert_eq!(r.remove("text").unwrap(), span.as_str(), "{stem} {a}..{b}");
            if r.get("canonical").is_some_and(|c| *c == span.as_str()) {
                r.insert("canonical".into(), "=text".into());
            }
        };
        let keep = |line: &str| {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            let r = v.as_object_mut().unwrap();
            take_text(r);
            for part in ["speaker", "cue"] {
                if let Some(p) = r.get_mut(part).and_then(|p| p.as_object_mut()) {
                    take_text(p);
                }
            }
            v.to_string()
        };
        check_golden_with(
            &format!("classify_{stem}.jsonl"),
            &["classify", "--jsonl", "--format", "jsonl", "-"],
            input.as_bytes(),
            keep,
        );
    }
}
