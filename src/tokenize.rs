//! Tokenization: a Hugging Face `tokenizers` normalizer and pre-tokenizer, with offsets into the
//! original text.
//!
//! The pipeline (normalizer + pre-tokenizer) is data: it is serialized in the `tokenizers` JSON
//! form inside every model, so a model always rebuilds exactly the tokens it was trained on.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use tokenizers::normalizers::{BertNormalizer, NormalizerWrapper};
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::{Normalizer, OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer};

/// One token: its normalized form and the byte span it covers in the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The normalized text (lowercased, accents stripped with the default pipeline).
    pub norm: String,
    /// Byte range in the original text; `&text[span]` is the token as written.
    pub span: Range<usize>,
}

impl Token {
    /// True if the token is a single punctuation character (emoji and other symbols are words).
    pub fn is_punct(&self) -> bool {
        let mut chars = self.norm.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if is_punctuation(c))
    }
}

/// True for ASCII punctuation and the Unicode punctuation blocks (dashes, quotes, CJK marks).
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3001}'..='\u{3003}'
            | '\u{3008}'..='\u{3011}' | '\u{FF01}'..='\u{FF0F}' | '«' | '»' | '¡' | '¿' | '·' | '§' | '¶')
}

/// The serialized form of a [`Tokenizer`]: `tokenizers` components, tagged by `"type"`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TokenizerSpec {
    /// The normalizer, as in a `tokenizer.json`.
    pub normalizer: NormalizerWrapper,
    /// The pre-tokenizer, as in a `tokenizer.json`.
    pub pre_tokenizer: PreTokenizerWrapper,
}

impl Default for TokenizerSpec {
    /// BERT's normalizer (clean text, split CJK ideographs, strip accents, lowercase) and BERT's
    /// pre-tokenizer (split on whitespace, isolate every punctuation character).
    fn default() -> Self {
        TokenizerSpec {
            normalizer: BertNormalizer::new(true, true, Some(true), true).into(),
            pre_tokenizer: BertPreTokenizer.into(),
        }
    }
}

/// Splits text into normalized tokens with byte offsets into the original text.
#[derive(Clone, Debug)]
pub struct Tokenizer {
    spec: TokenizerSpec,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer::new(TokenizerSpec::default())
    }
}

impl Tokenizer {
    /// Builds a tokenizer from its serialized form.
    pub fn new(spec: TokenizerSpec) -> Self {
        Tokenizer { spec }
    }

    /// The serialized form.
    pub fn spec(&self) -> &TokenizerSpec {
        &self.spec
    }

    /// Tokenizes `text`. Never fails: text the pipeline cannot handle yields no tokens.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.tokenize_into(text, &mut out);
        out
    }

    /// Tokenizes `text`, appending to `out` (which is cleared first).
    pub fn tokenize_into(&self, text: &str, out: &mut Vec<Token>) {
        out.clear();
        let mut pre = PreTokenizedString::from(text);
        let normalizer = &self.spec.normalizer;
        if pre.normalize(|n| normalizer.normalize(n)).is_err()
            || self.spec.pre_tokenizer.pre_tokenize(&mut pre).is_err()
        {
            return;
        }
        for (norm, (start, end), _) in pre.get_splits(OffsetReferential::Original, OffsetType::Byte)
        {
            if norm.is_empty() || start >= end || end > text.len() {
                continue;
            }
            if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            out.push(Token {
                norm: norm.to_owned(),
                span: start..end,
            });
        }
    }
}

/// Converts between byte and character (Unicode code point) offsets of one text.
#[derive(Clone, Debug)]
pub struct CharIndex {
    /// Byte offset of every char, plus the text length at the end.
    starts: Vec<usize>,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        starts.push(text.len());
        CharIndex { starts }
    }

    /// Number of chars in the text.
    pub fn char_len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Byte offset of char offset `c` (`c` may equal the char length). `None` if out of range.
    pub fn byte(&self, c: usize) -> Option<usize> {
        self.starts.get(c).copied()
    }

    /// Char offset of byte offset `b`, rounding down to the char containing it.
    pub fn char(&self, b: usize) -> usize {
        match self.starts.binary_search(&b) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn offsets_point_into_original_text() {
        let text = "Zelensky said: “We won’t give up!” — Kyiv, Ukraine.";
        let toks = Tokenizer::default().tokenize(text);
        let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(
            norms,
            [
                "zelensky", "said", ":", "“", "we", "won", "’", "t", "give", "up", "!", "”", "—",
                "kyiv", ",", "ukraine", "."
            ]
        );
        assert_eq!(&text[toks[0].span.clone()], "Zelensky");
        assert_eq!(&text[toks[3].span.clone()], "“");
        assert_eq!(&text[toks[13].span.clone()], "Kyiv");
        assert!(toks[10].is_punct() && !toks[0].is_punct());
    }

    #[test]
    fn accents_are_stripped_but_spans_keep_the_original() {
        let text = "Café RÉSUMÉ";
        let toks = Tokenizer::default().tokenize(text);
        assert_eq!(toks[0].norm, "cafe");
        assert_eq!(&text[toks[1].span.clone()], "RÉSUMÉ");
    }

    #[test]
    fn spec_round_trips_through_json() {
        let json = serde_json::to_string(&TokenizerSpec::default()).unwrap();
        assert!(json.contains("\"type\":\"BertNormalizer\""), "{json}");
        let back: TokenizerSpec = serde_json::from_str(&json).unwrap();
        let text = "Putin's war, Kremlin's lies.";
        assert_eq!(
            Tokenizer::new(back).tokenize(text),
            Tokenizer::default().tokenize(text)
        );
    }

    #[test]
    fn char_index_converts_both_ways() {
        let text = "aé😀b";
        let ix = CharIndex::new(text);
        assert_eq!(ix.char_len(), 4);
        assert_eq!(ix.byte(2), Some(3));
        assert_eq!(ix.byte(4), Some(text.len()));
        assert_eq!(ix.byte(5), None);
        assert_eq!(ix.char(4), 2);
        assert_eq!(ix.char(5), 2);
    }

    proptest! {
        #[test]
        fn any_text_tokenizes_within_bounds(text in "\\PC{0,200}") {
            let toks = Tokenizer::default().tokenize(&text);
            let mut last = 0;
            for t in &toks {
                prop_assert!(t.span.start < t.span.end && t.span.end <= text.len());
                prop_assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
                prop_assert!(t.span.start >= last);
                last = t.span.end;
            }
        }
    }
}
