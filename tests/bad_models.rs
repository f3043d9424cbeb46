//! Models are untrusted input: damaged, edited, wrong-version or oversized model files given with
//! `--model PATH` or `--models DIR` are refused with a clear message naming the file (exit 2),
//! before anything they declare is allocated, and never with a panic.

use crate::util::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn shipped(name: &str) -> String {
    std::fs::read_to_string(repo().join("models/default").join(name)).unwrap()
}

/// `text` with the first `from` replaced by `to` (which must be there).
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from} not in the model");
    text.replacen(from, to, 1)
}

/// `text` with the last `from` replaced by `to`: the model's own `features` come after the copy
/// of the recipe's.
fn edit_last(text: &str, from: &str, to: &str) -> String {
    let i = text
        .rfind(from)
        .unwrap_or_else(|| panic!("{from} not in the model"));
    format!("{}{to}{}", &text[..i], &text[i + from.len()..])
}

/// Runs `args` + the model path and checks the refusal: exit 2, nothing on stdout, one line on
/// stderr naming the file and containing `want`, quickly.
fn refused(args: &[&str], model: &Path, want: &str) {
    let mut all: Vec<&str> = args.to_vec();
    all.push(model.to_str().unwrap());
    let t0 = Instant::now();
    let o = run(
        &all,
        b"{\"id\": 1, \"text\": \"Russia attacked.\", \"target\": \"Russia\"}\n",
    );
    let took = t0.elapsed();
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{}: {e}", model.display());
    assert!(!e.contains("panicked"), "{e}");
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert!(
        e.starts_with(&format!("whosaid: {}: ", model.display())) && e.contains(want),
        "{}: want {want:?} in {e}",
        model.display()
    );
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(took < Duration::from_secs(20), "{took:?}");
}

/// `"weights":"` and the first four base64 characters of the model's packed weights (the first
/// three bytes of the first weight), e.g. `"weights":"3fy/`.
fn first_weight(text: &str) -> String {
    let i = text
        .find("\"weights\":\"")
        .expect("no packed weights in the model");
    text[i..i + "\"weights\":\"".len() + 4].to_owned()
}

/// The same with the first character changed: another first weight, still valid base64.
fn nudged(w: &str) -> String {
    let (head, rest) = w.split_at("\"weights\":\"".len());
    let other = if rest.starts_with('A') { 'B' } else { 'A' };
    format!("{head}{other}{}", &rest[1..])
}

/// `text` with the model's first packed weight (the first of the `"weights"` string) set to `w`.
fn with_first_weight(text: &str, w: f32) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let i = text.find("\"weights\":\"").unwrap() + "\"weights\":\"".len();
    // Eight base64 characters are six bytes: the first weight and two bytes of the second.
    let mut bytes = b64.decode(&text[i..i + 8]).unwrap();
    bytes[..4].copy_from_slice(&w.to_le_bytes());
    format!("{}{}{}", &text[..i], b64.encode(&bytes), &text[i + 8..])
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn damaged_and_edited_stance_models_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = shipped("stance.json");
    let w0 = first_weight(&good);
    let v: serde_json::Value = serde_json::from_str(&good).unwrap();
    let k = v["model"]["names"].as_array().unwrap().len();
    let n_labels = v["model"]["labels"].as_array().unwrap().len();
    let version = v["format_version"].as_u64().unwrap();
    let predict = ["predict-stance", "--model"];
    let half = &good.as_bytes()[..good.len() / 2];
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "truncated.json",
            half.to_vec(),
            format!(
                "not a whosaid model file, or a truncated one: the JSON ends early at line 1 column {}",
                half.len()
            ),
        ),
        (
            "empty.json",
            Vec::new(),
            "not a whosaid model file, or a truncated one: the JSON ends early at line 1 column 0"
                .into(),
        ),
        (
            "flipped.json",
            edit(&good, &w0, &nudged(&w0)).into(),
            "model checksum mismatch: file says ".into(),
        ),
        (
            "flipped_idf.json",
            // Three more floats (twelve bytes, sixteen base64 characters) before the first.
            edit(&good, "\"idf\":\"", "\"idf\":\"AAAAAAAAAAAAAAAA").into(),
            format!("model has {k} feature hashes but {} idf; the file is damaged", k + 3),
        ),
        (
            "binary.json",
            {
                let mut b = good.clone().into_bytes();
                b[good.len() / 3] = 0xff;
                b
            },
            "not a whosaid model file (invalid JSON: ".into(),
        ),
        (
            "version.json",
            edit(
                &good,
                &format!("\"format_version\":{version},"),
                &format!("\"format_version\":{},", version + 1),
            )
            .into(),
            format!(
                "model format version {} is not supported; this whosaid reads versions 1 to {version}",
                version + 1
            ),
        ),
        (
            "version_type.json",
            edit(
                &good,
                &format!("\"format_version\":{version},"),
                &format!("\"format_version\":\"{version}\","),
            )
            .into(),
            format!("invalid model: invalid type: string \"{version}\", expected u32"),
        ),
        (
            "attribution.json",
            shipped("attribution.json").into(),
            "this is a \"whosaid.attribution\" file, not a stance model (\"whosaid.stance\")"
                .into(),
        ),
        (
            "nan.json",
            edit(&good, &w0, "\"weights\":[NaN").into(),
            "not a whosaid model file (invalid JSON: expected value at line 1 column ".into(),
        ),
        (
            "infinite.json",
            with_first_weight(&good, f32::NEG_INFINITY).into(),
            "model has a non-finite number (NaN or infinity) at position 0 of its weights".into(),
        ),
        (
            // The first three weights (twelve bytes, sixteen base64 characters) cut out.
            "dims.json",
            {
                let i = good.find("\"weights\":\"").unwrap() + "\"weights\":\"".len();
                format!("{}{}", &good[..i], &good[i + 16..]).into()
            },
            format!(
                "model weights have {} values; expected {k} features x {n_labels} labels = {}",
                k * n_labels - 3,
                k * n_labels
            ),
        ),
        (
            "labels.json",
            edit(&good, "\"labels\":[\"against\",\"none\",\"favor\"]", "\"labels\":[\"against\",\"none\",\"favor\",\"other\"]").into(),
            "stance model labels are [\"against\", \"none\", \"favor\", \"other\"]; expected [\"against\", \"none\", \"favor\"]".into(),
        ),
        (
            "n_features.json",
            edit(
                &good,
                &format!("\"format_version\":{version},"),
                &format!("\"format_version\":{version},\"n_features\":1e12,"),
            )
            .into(),
            "invalid model: unknown field `n_features`".into(),
        ),
        (
            "char_max.json",
            edit_last(&good, "\"char_max\":5,", "\"char_max\":1099511627776,").into(),
            "invalid parameter features.char_max = 1099511627776: must be at least char_min and at most 8".into(),
        ),
        (
            "window.json",
            edit_last(&good, "\"window\":3,", "\"window\":1099511627776,").into(),
            "invalid parameter features.window = 1099511627776: must be at most 10".into(),
        ),
        (
            "ngrams.json",
            edit_last(&good, "\"word_ngrams\":2,", "\"word_ngrams\":1099511627776,").into(),
            "invalid parameter features.word_ngrams = 1099511627776: must be between 1 and 4".into(),
        ),
        (
            "ngrams_type.json",
            edit_last(&good, "\"word_ngrams\":2,", "\"word_ngrams\":1e12,").into(),
            "invalid model: invalid type: floating point `1000000000000.0`, expected usize".into(),
        ),
        (
            "precompiled.json",
            edit(
                &good,
                "\"normalizer\":{",
                "\"normalizer\":{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"CAAAAAECAwQFBgcICQk=\"},\"unused\":{",
            )
            .into(),
            "invalid model: tokenizer normalizer: the \"Precompiled\" component is not supported in a whosaid model".into(),
        ),
        (
            "deep.json",
            format!(
                "{{\"format\":\"whosaid.stance\",\"format_version\":1,\"chosen\":{}{}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            )
            .into(),
            "recursion limit exceeded".into(),
        ),
    ];
    for (name, bytes, want) in cases {
        refused(&predict, &write(d, name, bytes), &want);
    }
    // The same checks for eval and classify.
    let flipped = d.join("flipped.json");
    let o = run(
        &[
            "eval",
            "stance",
            "--data",
            "generic:training/fixtures/generic.csv",
            "--model",
            flipped.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("model checksum mismatch"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn model_paths_that_are_not_model_files_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let predict = ["predict-stance", "--model"];
    refused(&predict, dir.path(), "is a directory, not a model file");
    #[cfg(unix)]
    refused(
        &predict,
        Path::new("/dev/zero"),
        "not a regular file (a model is a JSON file)",
    );
    // A sparse file declaring 600 MiB: refused from its size, nothing read or allocated.
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(600 << 20)
        .unwrap();
    refused(
        &predict,
        &big,
        "model file is 629145600 bytes, more than the 512 MiB a model may have",
    );
    let o = run(&["predict-stance", "--model", "/nonexistent/m.json"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "whosaid: /nonexistent/m.json: No such file or directory (os error 2)\n"
    );
}

#[test]
fn damaged_attribution_models_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = shipped("attribution.json");
    let w0 = first_weight(&good);
    let version = serde_json::from_str::<serde_json::Value>(&good).unwrap()["format_version"]
        .as_u64()
        .unwrap();
    let eval = [
        "eval",
        "attribution",
        "--data",
        "polnear:/nonexistent/dev",
        "--model",
    ];
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "truncated.json",
            good[..good.len() - 10].to_owned(),
            "not a whosaid model file, or a truncated one",
        ),
        (
            "stance.json",
            shipped("stance.json"),
            "this is a \"whosaid.stance\" file, not an attribution model (\"whosaid.attribution\")",
        ),
        (
            "flipped.json",
            edit(&good, "\"intercept\":[", "\"intercept\":[1.0,"),
            "model has 3 intercepts for 2 labels",
        ),
        (
            "checksum.json",
            edit(&good, &w0, &nudged(&w0)),
            "model checksum mismatch",
        ),
        (
            "version.json",
            edit(
                &good,
                &format!("\"format_version\":{version},"),
                "\"format_version\":7,",
            ),
            "model format version 7 is not supported",
        ),
        (
            "precompiled.json",
            edit(
                &good,
                "\"normalizer\":{",
                "\"normalizer\":{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"\"}]},\"unused\":{",
            ),
            "the \"Precompiled\" component is not supported in a whosaid model",
        ),
    ];
    for (name, text, want) in cases {
        refused(&eval, &write(d, name, text), want);
    }
}

#[test]
fn a_bundle_directory_with_a_damaged_model_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let stance = shipped("stance.json");
    write(d, "attribution.json", shipped("attribution.json"));
    write(d, "stance.json", &stance[..stance.len() / 2]);
    let o = run(
        &[
            "classify",
            "--format",
            "jsonl",
            "--models",
            d.to_str().unwrap(),
            "-",
        ],
        b"Kirby said so.",
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.starts_with(&format!(
            "whosaid: {}: not a whosaid model file, or a truncated one",
            d.join("stance.json").display()
        )),
        "{e}"
    );
    assert!(o.stdout.is_empty());
    std::fs::remove_file(d.join("attribution.json")).unwrap();
    write(d, "stance.json", stance);
    let o = run(
        &["classify", "--models", d.to_str().unwrap(), "-"],
        b"Kirby said so.",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!(
            "{}: No such file or directory",
            d.join("attribution.json").display()
        )),
        "{}",
        stderr(&o)
    );
}
