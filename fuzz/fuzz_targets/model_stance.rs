//! Stance model files are untrusted input. Any bytes: never a panic, an error names the file.
//! Bytes that parse as a model file get their checksum recomputed and are built again, so that
//! the checks behind the checksum (shapes, NaN, groups, feature settings, the tokenizer spec) are
//! fuzzed too; a model that loads must predict finite probabilities that sum to 1, on fixed texts
//! and on the text after the input's first NUL byte (as target too).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use whosaid::stance::{StanceModel, StanceModelFile};

const TEXTS: [(&str, &str, Option<std::ops::Range<usize>>); 3] = [
    (
        "Russia must pull its troops back, the minister said.",
        "Russia",
        Some(0..6),
    ),
    ("Kyiv thanked its partners — “again”.", "Ukraine", None),
    ("", "the senator", None),
];

fn exercise(m: &StanceModel, extra: &str) {
    let extra = [(extra, "Russia", None), (extra, extra, None)];
    for (text, target, span) in TEXTS.into_iter().chain(extra) {
        let p = m.predict(text, target, span, 2).expect("a valid request");
        assert!(p.probs.iter().all(|v| v.is_finite() && *v >= 0.0), "{p:?}");
        assert!((p.probs.iter().sum::<f32>() - 1.0).abs() < 1e-3, "{p:?}");
        assert!(p.why.len() <= 2);
    }
}

fuzz_target!(|data: &[u8]| {
    // Model bytes, then (after a NUL byte, if any) a text to predict on.
    let (data, extra) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], whosaid_fuzz::text(&data[i + 1..])),
        None => (data, "".into()),
    };
    let path = Path::new("fuzz-stance.json");
    match StanceModel::from_bytes(data, path) {
        Ok(m) => exercise(&m, &extra),
        Err(e) => whosaid_fuzz::check_error_names(&e, path),
    }
    if let Ok(mut file) = serde_json::from_slice::<StanceModelFile>(data) {
        file.model.checksum = file.model.compute_checksum();
        match StanceModel::from_file(file, path) {
            Ok(m) => exercise(&m, &extra),
            Err(e) => whosaid_fuzz::check_error_names(&e, path),
        }
    }
});
