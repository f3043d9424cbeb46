//! The fast inference paths agree with their reference paths on the shared corpora.

use crate::util::data_dir;
use std::path::Path;
use whosaid::tokenize::Tokenizer;

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
