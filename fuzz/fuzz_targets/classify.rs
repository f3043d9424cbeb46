//! The whole pipeline (embedded models) on any text: never panics; sentences in order and inside
//! the text, each one's text what its offsets say, every non-space character in a sentence,
//! speaker, cue and content spans inside the text, probabilities finite and summing to 1; and
//! the batch API gives the same documents.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use whosaid::pipeline::ClassifyOptions;
use whosaid::{Pipeline, Target};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::embedded().expect("embedded models"))
}

fuzz_target!(|data: &[u8]| {
    let text = whosaid_fuzz::text(data);
    let p = pipeline();
    let doc = p.classify(&text);
    whosaid_fuzz::check_document(&text, &doc);
    let targets = [
        Target::new("NATO").with_aliases(["the alliance"]),
        Target::new(""),
    ];
    let with = p.classify_with_targets(&text, &targets);
    whosaid_fuzz::check_document(&text, &with);
    assert_eq!(doc.sentences.len(), with.sentences.len());
    let opts = ClassifyOptions {
        targets: Vec::new(),
        explain: 2,
        ..ClassifyOptions::default()
    };
    let batch = p.classify_batch(&[&text, ""], &opts);
    assert_eq!(batch.len(), 2);
    whosaid_fuzz::check_document(&text, &batch[0]);
    assert!(batch[1].sentences.is_empty());
});
