//! Writes the model seeds of the `model_stance` and `model_attribution` targets: the shipped
//! default models cut down to a few features each (checksums recomputed), plus variants with
//! other `tokenizers` pipelines, so that the fuzzer starts from valid, small files.
//!
//!     cargo run --release --example make_model_seeds   (from fuzz/; run.sh does it)
use std::path::Path;
use whosaid::attribution::AttributionModelFile;
use whosaid::model::LinearModelData;
use whosaid::stance::StanceModelFile;

fn shrink(m: &mut LinearModelData, keep: usize) {
    let c = m.labels.len();
    let keep = keep.min(m.hashes.len());
    m.hashes.truncate(keep);
    m.groups.truncate(keep);
    m.idf.truncate(keep);
    m.names.truncate(keep);
    m.weights.truncate(keep * c);
    m.checksum = m.compute_checksum();
}

fn write(path: &Path, value: &impl serde::Serialize) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_vec(value).unwrap()).unwrap();
    eprintln!(
        "wrote {} ({} bytes)",
        path.display(),
        std::fs::metadata(path).unwrap().len()
    );
}

fn tokenizer_variants() -> Vec<serde_json::Value> {
    vec![
        serde_json::json!({
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "NFKC"}, {"type": "Lowercase"},
                {"type": "Replace", "pattern": {"String": "’"}, "content": "'"}]},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "Isolated"},
                {"type": "Digits", "individual_digits": true}]}
        }),
        serde_json::json!({
            "normalizer": {"type": "Strip", "strip_left": true, "strip_right": true},
            "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "\\s+|[.,!?]"},
                              "behavior": "Removed", "invert": false}
        }),
    ]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let models = root.join("../models/default");
    let out = root.join(std::env::args().nth(1).unwrap_or_else(|| "corpus".into()));

    let mut s: StanceModelFile =
        serde_json::from_slice(&std::fs::read(models.join("stance.json")).unwrap()).unwrap();
    s.dev.clear();
    shrink(&mut s.model, 24);
    write(&out.join("model_stance/small.json"), &s);
    for (k, t) in tokenizer_variants().into_iter().enumerate() {
        s.tokenizer = serde_json::from_value(t).unwrap();
        write(&out.join(format!("model_stance/tokenizer{k}.json")), &s);
    }

    let mut a: AttributionModelFile =
        serde_json::from_slice(&std::fs::read(models.join("attribution.json")).unwrap()).unwrap();
    a.dev = serde_json::Value::Null;
    a.recipe = serde_json::json!({});
    a.cue_phrases.truncate(12);
    for m in [&mut a.cue, &mut a.source, &mut a.content] {
        shrink(m, 16);
    }
    write(&out.join("model_attribution/small.json"), &a);
    for (k, t) in tokenizer_variants().into_iter().enumerate() {
        a.tokenizer = serde_json::from_value(t).unwrap();
        write(
            &out.join(format!("model_attribution/tokenizer{k}.json")),
            &a,
        );
    }
}
