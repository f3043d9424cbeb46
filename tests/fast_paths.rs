//! The fast inference paths agree with their reference paths on the shared corpora.

use crate::util::data_dir;
use std::path::Path;
use whosaid::attribution::{
    content_candidates, content_features, content_features_into, cue_features, cue_features_into,
    source_candidates, source_features, source_features_into, AttributionModel, CueLexicon,
    FeatureHasher,
};
use whosaid::features::{CompiledTarget, Group};
use whosaid::stance::{Scratch, StanceModel};
use whosaid::tokenize::Tokenizer;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Every text of the shared corpora: PolNeAR articles, NewsMTSC sentences, RUW tweets (whole
/// lines, header included).
fn corpus_texts(d: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for split in ["train", "dev"] {
        let dir = d.join("polnear").join(split).join("text");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = rd.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            out.push(std::fs::read_to_string(&p).unwrap());
        }
    }
    for f in ["train.jsonl", "dev.jsonl"] {
        let Ok(t) = std::fs::read_to_string(d.join("newsmtsc").join(f)) else {
            continue;
        };
        for line in t.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            out.push(v["sentence_normalized"].as_str().unwrap().to_owned());
        }
    }
    for f in ["train.csv", "val.csv"] {
        let Ok(bytes) = std::fs::read(d.join("ruw").join(f)) else {
            continue;
        };
        let (text, _, _) = encoding_rs::GB18030.decode(&bytes);
        out.extend(text.lines().map(str::to_owned));
    }
    out
}

#[test]
fn tokenizer_fast_path_matches_reference_on_corpora() {
    let Some(d) = data_dir() else { return };
    let tok = Tokenizer::default();
    let texts = corpus_texts(&d);
    assert!(texts.len() > 1000, "only {} texts", texts.len());
    for (i, t) in texts.iter().enumerate() {
        assert_eq!(tok.tokenize(t), tok.tokenize_reference(t), "text {i}");
    }
}

#[test]
fn stance_fast_vectors_match_reference_on_corpora() {
    let Some(d) = data_dir() else { return };
    let model = StanceModel::embedded().unwrap();
    let tok = model.tokenizer();
    let mut targets: Vec<CompiledTarget> = model.named_targets().to_vec();
    targets.push(model.target("the president"));
    targets.push(model.target("Trump"));
    let (mut fast, mut reference) = (Scratch::default(), Scratch::default());
    let texts = corpus_texts(&d);
    for (i, text) in texts.iter().enumerate() {
        let tokens = tok.tokenize(text);
        for t in &targets {
            model.vectorize(text, &tokens, t, None, &mut fast);
            model.vectorize_reference(text, &tokens, t, None, &mut reference);
            assert!(
                fast.vector() == reference.vector(),
                "text {i}, target {}",
                t.key
            );
        }
        let many = model.predict_tokens_many(text, &tokens, &targets, 2, &mut fast);
        for (t, p) in targets.iter().zip(many) {
            let one = model.predict_tokens(text, &tokens, t, None, 2, &mut reference);
            assert_eq!(p, one, "text {i}, target {}", t.key);
        }
    }
}

#[test]
fn attribution_hashed_features_match_names_on_polnear() {
    let Some(d) = data_dir() else { return };
    let model = AttributionModel::embedded().unwrap();
    let seed = model.file().hash_seed;
    let lexicon = CueLexicon::of_file(model.file());
    let hashed = |names: Vec<String>| -> Vec<(u64, Group)> {
        names
            .iter()
            .map(|n| (xxh3_64_with_seed(n.as_bytes(), seed), Group::Word))
            .collect()
    };
    let mut h = FeatureHasher::new(seed);
    let mut n_cands = 0;
    let dir = d.join("polnear/dev/text");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let doc = model.view(&text);
        for r in lexicon.candidates(&doc) {
            cue_features_into(&doc, &r, &lexicon, &mut h);
            assert_eq!(h.feats, hashed(cue_features(&doc, &r, &lexicon)));
            h.clear();
            let sources = source_candidates(&doc, &r);
            for c in &sources {
                source_features_into(&doc, &r, c, &mut h);
                assert_eq!(h.feats, hashed(source_features(&doc, &r, c)));
                h.clear();
            }
            for src in std::iter::once(None).chain(sources.iter().map(Some)) {
                for c in content_candidates(&doc, &r, src) {
                    content_features_into(&doc, &r, src, &c, &mut h);
                    assert_eq!(h.feats, hashed(content_features(&doc, &r, src, &c)));
                    h.clear();
                    n_cands += 1;
                }
            }
        }
    }
    assert!(n_cands > 1000, "only {n_cands} content candidates");
}
