//! Attribution model files are untrusted input. Any bytes: never a panic, an error names the
//! file. Bytes that parse as a model file get their three checksums recomputed and are built
//! again (to reach the checks behind the checksums); a model that loads runs the whole pipeline
//! (with the embedded stance model) on a few texts, whose output must stay inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;
use whosaid::attribution::{AttributionModel, AttributionModelFile};
use whosaid::{Pipeline, StanceModel};

const TEXTS: [&str; 3] = [
    "Kremlin spokesman Dmitry Peskov said Russia would respond. \"We will not wait,\" he added.",
    "According to officials, the talks ended — “for now”, Kirby told reporters.\n\nNo comment.",
    "",
];

fn stance() -> &'static StanceModel {
    static S: OnceLock<StanceModel> = OnceLock::new();
    S.get_or_init(|| StanceModel::embedded().expect("embedded stance model"))
}

fn exercise(m: AttributionModel) {
    let pipeline = Pipeline::from_models(stance().clone(), m);
    for text in TEXTS {
        let doc = pipeline.classify(text);
        whosaid_fuzz::check_document(text, &doc);
    }
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz-attribution.json");
    match AttributionModel::from_bytes(data, path) {
        Ok(m) => exercise(m),
        Err(e) => whosaid_fuzz::check_error_names(&e, path),
    }
    if let Ok(mut file) = serde_json::from_slice::<AttributionModelFile>(data) {
        for m in [&mut file.cue, &mut file.source, &mut file.content] {
            m.checksum = m.compute_checksum();
        }
        match AttributionModel::from_file(file, path) {
            Ok(m) => exercise(m),
            Err(e) => whosaid_fuzz::check_error_names(&e, path),
        }
    }
});
