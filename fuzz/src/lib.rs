//! Invariants shared by the fuzz targets. Each check panics (a fuzzer crash) with the input's
//! details when an invariant does not hold.

use std::path::{Path, PathBuf};
use whosaid::attribution_data::{Attribution, Span};
use whosaid::data::StanceExample;
use whosaid::pipeline::Document;
use whosaid::segment::Sentence;
use whosaid::tokenize::Token;

/// Text from fuzzer bytes: the bytes themselves when they are UTF-8, else a lossy decoding (so
/// that no input is wasted).
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Sentences are non-empty, on char boundaries, in order and non-overlapping, trimmed, with
/// char ranges that match their byte ranges, paragraphs that start at 0 and go up by at most 1,
/// and everything between them is whitespace: together they cover every other character once.
pub fn check_sentences(text: &str, sents: &[Sentence]) {
    let mut prev_end = 0usize;
    let mut prev_para = 0usize;
    let mut chars_before = 0usize;
    for (k, s) in sents.iter().enumerate() {
        assert!(
            s.bytes.start < s.bytes.end,
            "empty sentence {s:?} in {text:?}"
        );
        assert!(
            s.bytes.start >= prev_end,
            "overlap or disorder at {s:?} in {text:?}"
        );
        assert!(
            s.bytes.end <= text.len(),
            "sentence past the end {s:?} in {text:?}"
        );
        assert!(
            text.is_char_boundary(s.bytes.start) && text.is_char_boundary(s.bytes.end),
            "sentence not on char boundaries {s:?} in {text:?}"
        );
        let gap = &text[prev_end..s.bytes.start];
        assert!(
            gap.chars().all(char::is_whitespace),
            "uncovered {gap:?} before {s:?} in {text:?}"
        );
        chars_before += gap.chars().count();
        let unit = &text[s.bytes.clone()];
        assert_eq!(
            s.chars.start, chars_before,
            "char start of {s:?} in {text:?}"
        );
        assert_eq!(
            s.chars.len(),
            unit.chars().count(),
            "char length of {s:?} in {text:?}"
        );
        assert!(
            !unit.starts_with(char::is_whitespace) && !unit.ends_with(char::is_whitespace),
            "untrimmed {unit:?}"
        );
        if k == 0 {
            assert_eq!(s.paragraph, 0, "first paragraph of {text:?}");
        } else {
            assert!(
                s.paragraph == prev_para || s.paragraph == prev_para + 1,
                "paragraph jump at {s:?} in {text:?}"
            );
        }
        assert_eq!(s.text(text), unit);
        chars_before += s.chars.len();
        prev_para = s.paragraph;
        prev_end = s.bytes.end;
    }
    let tail = &text[prev_end..];
    assert!(
        tail.chars().all(char::is_whitespace),
        "uncovered tail {tail:?} of {text:?}"
    );
}

/// Tokens are non-empty, on char boundaries, inside the text, in order and non-overlapping,
/// never contain whitespace, and have a normalized form.
pub fn check_tokens(text: &str, tokens: &[Token]) {
    let mut last = 0usize;
    for t in tokens {
        assert!(
            t.span.start < t.span.end && t.span.end <= text.len(),
            "token {t:?} outside {text:?}"
        );
        assert!(
            text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end),
            "token {t:?} not on char boundaries of {text:?}"
        );
        assert!(t.span.start >= last, "token {t:?} out of order in {text:?}");
        assert!(
            !text[t.span.clone()].chars().any(char::is_whitespace),
            "token {t:?} contains whitespace in {text:?}"
        );
        last = t.span.end;
    }
}

/// A character span of a text with `n_chars` characters is inside it.
pub fn check_char_span(what: &str, s: &Span, n_chars: usize, text: &str) {
    assert!(
        s.start <= s.end && s.end <= n_chars,
        "{what} span {s:?} outside the text ({n_chars} chars): {text:?}"
    );
}

/// Every span of the attributions is inside the text.
pub fn check_attributions(text: &str, atts: &[Attribution]) {
    let n = text.chars().count();
    for a in atts {
        for s in &a.cue {
            check_char_span("cue", s, n, text);
        }
        for s in &a.sources {
            check_char_span("source", s, n, text);
        }
        for s in &a.contents {
            check_char_span("content", s, n, text);
        }
    }
}

/// A classified document: sentences in order inside the text, each one's text what its
/// offsets say, every span inside the text, probabilities that are finite and sum to 1.
pub fn check_document(text: &str, doc: &Document) {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let slice = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
    let mut prev_end = 0usize;
    for (k, s) in doc.sentences.iter().enumerate() {
        assert_eq!(s.sentence, k);
        assert!(
            s.start < s.end && s.end <= n,
            "sentence {k} {}..{} outside {n} chars",
            s.start,
            s.end
        );
        assert!(s.start >= prev_end, "sentence {k} out of order");
        assert_eq!(slice(s.start, s.end), s.text, "sentence {k} text");
        assert_eq!(
            text.get(s.bytes.clone()),
            Some(s.text.as_str()),
            "sentence {k} bytes"
        );
        prev_end = s.end;
        if let Some(sp) = &s.speaker {
            assert!(
                sp.start < sp.end && sp.end <= n,
                "speaker {sp:?} outside the text"
            );
            assert_eq!(slice(sp.start, sp.end), sp.text, "speaker text");
            assert!(
                (0.0..=1.0).contains(&sp.confidence),
                "speaker confidence {sp:?}"
            );
        }
        if let Some(c) = &s.cue {
            assert!(c.start < c.end && c.end <= n, "cue {c:?} outside the text");
            assert_eq!(slice(c.start, c.end), c.text, "cue text");
        }
        if let Some(q) = &s.quote {
            for c in &q.contents {
                assert!(
                    c.start <= c.end && c.end <= n,
                    "content {c:?} outside the text"
                );
            }
        }
        for st in &s.stance {
            let p = [st.probs.favor, st.probs.against, st.probs.none];
            assert!(p.iter().all(|v| v.is_finite() && *v >= 0.0), "probs {p:?}");
            assert!(
                (p.iter().sum::<f32>() - 1.0).abs() < 1e-3,
                "probs {p:?} do not sum to 1"
            );
        }
    }
    // Every non-whitespace character is in a sentence.
    let mut covered = vec![false; n];
    for s in &doc.sentences {
        covered[s.start..s.end].iter_mut().for_each(|c| *c = true);
    }
    for (i, c) in chars.iter().enumerate() {
        assert!(
            covered[i] || c.is_whitespace(),
            "char {i} {c:?} in no sentence"
        );
    }
    check_attributions(text, &doc.attributions);
}

/// Loaded stance examples: ids unique and non-empty, spans inside the text and non-empty.
pub fn check_examples(examples: &[StanceExample]) {
    let mut ids = std::collections::HashSet::new();
    for ex in examples {
        assert!(!ex.id.is_empty(), "empty id in {ex:?}");
        assert!(ids.insert(ex.id.as_str()), "duplicate id {:?}", ex.id);
        if let Some((s, e)) = ex.target_span {
            let n = ex.text.chars().count();
            assert!(
                s < e && e <= n,
                "target span ({s}, {e}) outside {n} chars in {ex:?}"
            );
        }
        assert!(ex.origin.line >= 1, "line 0 in {ex:?}");
    }
}

/// An error message names the file it is about.
pub fn check_error_names(err: &whosaid::Error, path: &Path) {
    let msg = err.to_string();
    let name = path.file_name().unwrap().to_string_lossy();
    assert!(msg.contains(&*name), "error does not name {name}: {msg}");
}

/// A per-process scratch file named `name` holding `data` (loaders read files).
pub fn scratch_file(name: &str, data: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("whosaid-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

/// The encoding chosen by the first byte (then dropped): mostly UTF-8, sometimes GB18030 or
/// windows-1252, so that the decoding paths are fuzzed too.
pub fn split_encoding(data: &[u8]) -> (&'static encoding_rs::Encoding, &[u8]) {
    match data.split_first() {
        Some((b, rest)) => (
            match b % 8 {
                0 => encoding_rs::GB18030,
                1 => encoding_rs::WINDOWS_1252,
                _ => encoding_rs::UTF_8,
            },
            rest,
        ),
        None => (encoding_rs::UTF_8, data),
    }
}
