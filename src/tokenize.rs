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
///
/// A spec comes from a model file, which is untrusted input: components that can crash on
/// damaged data (the `Precompiled` normalizer panics while it is read, and again on text when
/// its character map is malformed) are refused with an error instead.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "RawTokenizerSpec")]
pub struct TokenizerSpec {
    /// The normalizer, as in a `tokenizer.json`.
    pub normalizer: NormalizerWrapper,
    /// The pre-tokenizer, as in a `tokenizer.json`.
    pub pre_tokenizer: PreTokenizerWrapper,
}

/// A [`TokenizerSpec`] before its components are checked and built.
#[derive(Deserialize)]
struct RawTokenizerSpec {
    normalizer: serde_json::Value,
    pre_tokenizer: serde_json::Value,
}

/// `tokenizers` components that a model may not use: they panic on damaged data.
const REFUSED_COMPONENTS: &[&str] = &["Precompiled"];

/// The first refused component type anywhere in `v` (sequences nest).
fn refused_component(v: &serde_json::Value) -> Option<&str> {
    match v {
        serde_json::Value::Object(m) => match m.get("type").and_then(|t| t.as_str()) {
            Some(t) if REFUSED_COMPONENTS.contains(&t) => Some(t),
            _ if m.contains_key("precompiled_charsmap") => Some("Precompiled"),
            _ => m.values().find_map(refused_component),
        },
        serde_json::Value::Array(a) => a.iter().find_map(refused_component),
        _ => None,
    }
}

impl TryFrom<RawTokenizerSpec> for TokenizerSpec {
    type Error = String;

    fn try_from(raw: RawTokenizerSpec) -> Result<Self, String> {
        for (what, v) in [
            ("normalizer", &raw.normalizer),
            ("pre_tokenizer", &raw.pre_tokenizer),
        ] {
            if let Some(t) = refused_component(v) {
                return Err(format!(
                    "tokenizer {what}: the {t:?} component is not supported in a whosaid model"
                ));
            }
        }
        Ok(TokenizerSpec {
            normalizer: serde_json::from_value(raw.normalizer)
                .map_err(|e| format!("tokenizer normalizer: {e}"))?,
            pre_tokenizer: serde_json::from_value(raw.pre_tokenizer)
                .map_err(|e| format!("tokenizer pre_tokenizer: {e}"))?,
        })
    }
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
///
/// The `tokenizers` normalizer and pre-tokenizer of the spec define the tokens. With the default
/// BERT pipeline, text is cut at ASCII whitespace into chunks first (no token crosses it, and
/// nothing in the pipeline looks across it); a chunk made only of printable ASCII and common
/// typographic punctuation (curly quotes, dashes, ellipsis) is tokenized directly, any other chunk
/// by the `tokenizers` pipeline. Both give the same tokens (see [`Tokenizer::tokenize_reference`]
/// and the property test comparing them).
#[derive(Clone, Debug)]
pub struct Tokenizer {
    spec: TokenizerSpec,
    fast: bool,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer::new(TokenizerSpec::default())
    }
}

/// True when `spec` is the BERT pipeline the fast path reproduces: clean text, split CJK
/// ideographs, strip accents, lowercase; split on whitespace and punctuation.
fn is_bert_lowercase(spec: &TokenizerSpec) -> bool {
    let NormalizerWrapper::BertNormalizer(n) = &spec.normalizer else {
        return false;
    };
    n.clean_text
        && n.handle_chinese_chars
        && n.lowercase
        && n.strip_accents.unwrap_or(n.lowercase)
        && matches!(spec.pre_tokenizer, PreTokenizerWrapper::BertPreTokenizer(_))
}

/// Non-ASCII characters the fast path handles: punctuation (Unicode categories P*) with no
/// decomposition and no case, each one token of its own: curly quotes, guillemets, dashes, the
/// horizontal bar, the bullet and the ellipsis.
fn is_simple_punct(c: char) -> bool {
    matches!(
        c,
        '\u{2018}'
            | '\u{2019}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{AB}'
            | '\u{BB}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2022}'
            | '\u{2026}'
    )
}

/// Whitespace that is also a control character, which BERT's normalizer deletes.
fn is_control_space(c: char) -> bool {
    matches!(c, '\u{b}' | '\u{c}' | '\u{85}')
}

const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl Tokenizer {
    /// Builds a tokenizer from its serialized form.
    pub fn new(spec: TokenizerSpec) -> Self {
        let fast = is_bert_lowercase(&spec);
        Tokenizer { spec, fast }
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

    /// Tokenizes `text` with the `tokenizers` pipeline only, never the fast path: the reference
    /// that [`Tokenizer::tokenize`] must agree with.
    pub fn tokenize_reference(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut refill = Refill::new(&mut out);
        self.reference_into(text, 0, &mut refill);
        refill.finish();
        out
    }

    /// Tokenizes `text` into `out`, replacing its tokens (their buffers are reused).
    pub fn tokenize_into(&self, text: &str, out: &mut Vec<Token>) {
        let mut out = Refill::new(out);
        self.tokenize_refill(text, &mut out);
        out.finish();
    }

    /// Tokenizes `text` into the first tokens of `out` and returns their number: the tokens
    /// after them are left as they were (their buffers are reused by the next call), and `out`
    /// only grows. The tokens are those of [`Tokenizer::tokenize`].
    pub fn tokenize_reusing(&self, text: &str, out: &mut Vec<Token>) -> usize {
        let mut out = Refill {
            out,
            n: 0,
            spare: Vec::new(),
        };
        self.tokenize_refill(text, &mut out);
        out.n
    }

    fn tokenize_refill(&self, text: &str, out: &mut Refill) {
        if !self.fast {
            self.reference_into(text, 0, out);
            return;
        }
        // One pass: text is cut at ASCII whitespace into chunks; a chunk of printable ASCII and
        // `is_simple_punct` characters is tokenized on the way (runs of letters and digits,
        // lowercased, and every other character on its own). At the first other character of a
        // chunk, the chunk's tokens are taken back and the whole chunk goes to `tokenizers`.
        let bytes = text.as_bytes();
        let n = bytes.len();
        let (mut chunk_start, mut chunk_tokens) = (0, out.n);
        let mut i = 0;
        while i < n {
            let b = bytes[i];
            match BYTE_CLASS[usize::from(b)] {
                SPACE => {
                    i += 1;
                    chunk_start = i;
                    chunk_tokens = out.n;
                }
                UPPER | ALNUM => i = out.push_word(bytes, i),
                PUNCT => {
                    // One ASCII char: pushed as it is (no slice, no copy call).
                    out.next(i..i + 1).push(char::from(b));
                    i += 1;
                }
                _ => {
                    if b >= 0x80 {
                        // A multi-byte char: `i` is on a char boundary (only whole chars and
                        // ASCII were stepped over).
                        let c = text[i..].chars().next().unwrap_or('\0');
                        if c == '\u{a0}' {
                            // A no-break space separates tokens as a space does: the normalizer
                            // makes it one and the pre-tokenizer splits there.
                            i += 2;
                            chunk_start = i;
                            chunk_tokens = out.n;
                            continue;
                        }
                        if is_simple_punct(c) {
                            let len = c.len_utf8();
                            out.push(&text[i..i + len], i..i + len);
                            i += len;
                            continue;
                        }
                    }
                    out.n = chunk_tokens;
                    let end = bytes[i..]
                        .iter()
                        .position(|&b| is_ascii_space(b))
                        .map_or(n, |k| i + k);
                    self.reference_into(&text[chunk_start..end], chunk_start, out);
                    i = end;
                }
            }
        }
    }

    /// The `tokenizers` pipeline on `text`, appending tokens with spans shifted by `base`.
    ///
    /// The text is cut first at the whitespace that is also a control character (vertical tab,
    /// form feed, U+0085 next line): BERT's normalizer deletes those instead of splitting at
    /// them, which would glue `Putin\u{b}said` into one token.
    fn reference_into(&self, text: &str, base: usize, out: &mut Refill) {
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if is_control_space(c) {
                self.pipeline_into(&text[start..i], base + start, out);
                start = i + c.len_utf8();
            }
        }
        self.pipeline_into(&text[start..], base + start, out);
    }

    /// The `tokenizers` pipeline on `text` as it is.
    fn pipeline_into(&self, text: &str, base: usize, out: &mut Refill) {
        if text.is_empty() {
            return;
        }
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
            out.push(norm, base + start..base + end);
        }
    }
}

/// Fills a token vector from the start, reusing the tokens (and their strings) already there.
struct Refill<'a> {
    out: &'a mut Vec<Token>,
    n: usize,
    /// Tokens left over from longer texts on this thread, reused before new ones are made.
    spare: Vec<Token>,
}

thread_local! {
    static SPARE_TOKENS: std::cell::Cell<Vec<Token>> = const { std::cell::Cell::new(Vec::new()) };
}

/// At most this many spare tokens are kept per thread (a few MB after a huge document).
const MAX_SPARE_TOKENS: usize = 1 << 16;

impl<'a> Refill<'a> {
    /// Refills `out` from its start.
    fn new(out: &'a mut Vec<Token>) -> Self {
        Refill {
            out,
            n: 0,
            spare: SPARE_TOKENS.take(),
        }
    }
    /// The next token to fill, with an empty `norm`.
    #[inline]
    fn next(&mut self, span: Range<usize>) -> &mut String {
        if self.n == self.out.len() {
            self.grow();
        }
        let t = &mut self.out[self.n];
        self.n += 1;
        t.norm.clear();
        t.span = span;
        &mut t.norm
    }

    /// Adds the token of the run of ASCII letters and digits at `bytes[s]` (one at least),
    /// lowercased, in one pass over its bytes; returns where the run ends.
    #[inline]
    fn push_word(&mut self, bytes: &[u8], s: usize) -> usize {
        if self.n == self.out.len() {
            self.grow();
        }
        let t = &mut self.out[self.n];
        self.n += 1;
        t.norm.clear();
        let mut i = s;
        while let Some(&b) = bytes.get(i) {
            let l = WORD_LOWER[usize::from(b)];
            if l == 0 {
                break;
            }
            t.norm.push(char::from(l));
            i += 1;
        }
        t.span = s..i;
        i
    }

    /// One more token in `out`: a spare one, or a new one.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        // 24 bytes: what the allocator's smallest block holds anyway, and room for nearly
        // every word, so a token reused for a longer word seldom grows.
        let t = self.spare.pop().unwrap_or_else(|| Token {
            norm: String::with_capacity(24),
            span: 0..0,
        });
        self.out.push(t);
    }

    /// Adds a token with text `norm`.
    fn push(&mut self, norm: &str, span: Range<usize>) {
        self.next(span).push_str(norm);
    }

    /// Takes the tokens left over from before out of `out`, keeping them for the next texts.
    fn finish(mut self) {
        let room = MAX_SPARE_TOKENS.saturating_sub(self.spare.len());
        let keep = self.out.len().min(self.n + room);
        self.spare.extend(self.out.drain(self.n..keep));
        self.out.truncate(self.n);
        SPARE_TOKENS.set(self.spare);
    }
}

/// Byte classes of the fast path: ASCII whitespace, ASCII lowercase letters and digits, ASCII
/// uppercase letters, other printable ASCII (punctuation and symbols), anything else (control
/// characters and the bytes of multi-byte chars).
const SPACE: u8 = 0;
const ALNUM: u8 = 1;
const UPPER: u8 = 2;
const PUNCT: u8 = 3;
const OTHER: u8 = 4;
static BYTE_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if is_ascii_space(c) {
            SPACE
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_alphanumeric() {
            ALNUM
        } else if c.is_ascii_graphic() {
            PUNCT
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// For each byte: an ASCII letter or digit, lowercased; 0 for any other byte (the bytes of
/// [`ALNUM`] and [`UPPER`]).
static WORD_LOWER: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// Converts between byte and character (Unicode code point) offsets of one text.
///
/// Only the multi-byte chars are recorded: between them, bytes and chars advance together, so
/// ASCII text needs no table at all.
#[derive(Clone, Debug)]
pub struct CharIndex {
    /// The text's length in bytes.
    len: usize,
    /// For each multi-byte char, in order: its byte offset, and the extra bytes (beyond one per
    /// char) of the multi-byte chars before it.
    wide: Vec<(usize, usize)>,
    /// The extra bytes of all multi-byte chars.
    extra: usize,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut wide = Vec::new();
        let mut extra = 0;
        let mut i = 0;
        while i < bytes.len() {
            // Skip ASCII eight bytes at a time (no byte with its high bit set).
            if let Some(w) = bytes
                .get(i..i + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
            {
                if u64::from_le_bytes(w) & 0x8080_8080_8080_8080 == 0 {
                    i += 8;
                    continue;
                }
            }
            let b = bytes[i];
            if b < 0x80 {
                i += 1;
                continue;
            }
            // A leading byte: the char's width follows from it.
            let width = if b >= 0xF0 {
                4
            } else if b >= 0xE0 {
                3
            } else {
                2
            };
            wide.push((i, extra));
            extra += width - 1;
            i += width;
        }
        CharIndex {
            len: text.len(),
            wide,
            extra,
        }
    }

    /// Number of chars in the text.
    pub fn char_len(&self) -> usize {
        self.len - self.extra
    }

    /// The extra bytes of the multi-byte chars before entry `k` of `wide`.
    fn extra_before(&self, k: usize) -> usize {
        self.wide.get(k).map_or(self.extra, |w| w.1)
    }

    /// Byte offset of char offset `c` (`c` may equal the char length). `None` if out of range.
    pub fn byte(&self, c: usize) -> Option<usize> {
        if c > self.char_len() {
            return None;
        }
        // The multi-byte chars before char `c`.
        let k = self.wide.partition_point(|&(b, x)| b - x < c);
        Some(c + self.extra_before(k))
    }

    /// Char offset of byte offset `b`, rounding down to the char containing it.
    pub fn char(&self, b: usize) -> usize {
        if b >= self.len {
            return self.char_len();
        }
        // The multi-byte chars starting at or before byte `b`.
        let k = self.wide.partition_point(|&(start, _)| start <= b);
        if k > 0 {
            let (start, x) = self.wide[k - 1];
            let width = self.extra_before(k) - x + 1;
            if b < start + width {
                return start - x;
            }
        }
        b - self.extra_before(k)
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

    /// The char index as a table of every char's byte offset: the reference.
    fn char_index_reference(text: &str) -> Vec<usize> {
        let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        starts.push(text.len());
        starts
    }

    fn check_char_index(text: &str) {
        let starts = char_index_reference(text);
        let ix = CharIndex::new(text);
        assert_eq!(ix.char_len(), starts.len() - 1, "{text:?}");
        for c in 0..starts.len() + 3 {
            assert_eq!(ix.byte(c), starts.get(c).copied(), "{text:?} char {c}");
        }
        for b in 0..text.len() + 3 {
            let want = match starts.binary_search(&b) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            };
            assert_eq!(ix.char(b), want, "{text:?} byte {b}");
        }
    }

    #[test]
    fn char_index_matches_the_table_on_examples() {
        for text in [
            "",
            "a",
            "plain ASCII text, longer than eight bytes",
            "é",
            "aé😀b",
            "😀",
            "“quoted” — and ‘single’ … done",
            "中文字符和ASCII混合",
            "12345678é12345678😀",
        ] {
            check_char_index(text);
        }
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

    /// Characters that stress the fast path's boundaries: ASCII (printable, whitespace, control),
    /// the typographic punctuation it handles, and what it must leave to `tokenizers` (accents,
    /// combining marks, other whitespace, format and control characters, CJK, case oddities).
    fn tricky_char() -> impl Strategy<Value = char> {
        prop_oneof![
            6 => proptest::char::range(' ', '~'),
            2 => proptest::sample::select(vec![' ', '\t', '\n', '\r', '\u{b}', '\u{c}', '\0', '\u{7f}', '\u{1f}']),
            2 => proptest::sample::select(vec!['\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2013}', '\u{2014}', '\u{2026}', '\u{ab}', '\u{bb}', '\u{2015}', '\u{2022}', '\u{a0}']),
            1 => proptest::char::range('\u{80}', '\u{17f}'),
            1 => proptest::char::range('\u{300}', '\u{36f}'),
            1 => proptest::sample::select(vec![
                '\u{a0}', '\u{200b}', '\u{feff}', '\u{fffd}', '\u{2028}', '\u{3000}', '\u{85}',
                '\u{130}', '\u{df}', '\u{3a3}', '\u{4e2d}', '\u{ac00}', '\u{1f600}', '\u{2010}',
                '\u{ff01}', '\u{e000}', '\u{1e9e}', '\u{fb01}', '\u{2160}',
            ]),
            1 => any::<char>(),
        ]
    }

    #[test]
    fn fast_path_matches_the_reference_on_examples() {
        let tok = Tokenizer::default();
        for text in [
            "Zelensky said: \u{201c}We won\u{2019}t give up!\u{201d} \u{2014} Kyiv, Ukraine.",
            "Caf\u{e9} R\u{c9}SUM\u{c9} na\u{ef}ve co\u{f6}perate",
            "a\u{200b}b \u{feff}start x\u{a0}y \u{0}nul\u{b}vt",
            "  \t\r\n ",
            "e\u{301}\u{301} \u{301}x \u{130}stanbul \u{4e2d}\u{6587}abc",
            "U.S. $5,000 (approx.) -- 'quoted' \"double\" @user #tag ... \u{2026}",
            "no\u{a0}break\u{a0}\u{a0}spaces \u{a0}x\u{a0} \u{a0}\u{301}e\u{a0}\u{300}\u{a0}caf\u{e9}\u{a0}end",
            "\u{ab}guillemets\u{bb} \u{2015}bar\u{2015} \u{2022} bullet\u{2022}x \u{a0}\u{2022}\u{a0}",
        ] {
            assert_eq!(tok.tokenize(text), tok.tokenize_reference(text), "{text:?}");
        }
    }

    /// A model's tokenizer is untrusted: a `Precompiled` normalizer (which panics on a damaged
    /// character map, while it is read or later on text) is refused with an error.
    #[test]
    fn precompiled_normalizers_are_refused_not_a_panic() {
        let bert = r#"{"type": "BertPreTokenizer"}"#;
        for normalizer in [
            r#"{"type": "Precompiled", "precompiled_charsmap": ""}"#,
            r#"{"type": "Precompiled", "precompiled_charsmap": "/////w=="}"#,
            r#"{"type": "Precompiled", "precompiled_charsmap": "CAAAAAECAwQFBgcICQk="}"#,
            r#"{"type": "Sequence", "normalizers": [{"type": "NFC"},
                {"type": "Precompiled", "precompiled_charsmap": "CAAAAAECAwQFBgcICQk="}]}"#,
        ] {
            let json = format!(r#"{{"normalizer": {normalizer}, "pre_tokenizer": {bert}}}"#);
            let e = serde_json::from_str::<TokenizerSpec>(&json)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("\"Precompiled\" component is not supported"),
                "{e}"
            );
        }
        let ok = format!(r#"{{"normalizer": {{"type": "NFKC"}}, "pre_tokenizer": {bert}}}"#);
        let spec: TokenizerSpec = serde_json::from_str(&ok).unwrap();
        assert_eq!(Tokenizer::new(spec).tokenize("Ａb c").len(), 2);
        let bad = r#"{"normalizer": {"type": "NoSuch"}, "pre_tokenizer": {"type": "Whitespace"}}"#;
        let e = serde_json::from_str::<TokenizerSpec>(bad)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("tokenizer normalizer:"), "{e}");
    }

    /// Found by fuzzing (fuzz/ target `tokenize`): vertical tab, form feed and U+0085 are
    /// whitespace, but BERT's normalizer deletes them as control characters, which glued the
    /// words on either side into one token.
    #[test]
    fn control_whitespace_separates_tokens() {
        let tok = Tokenizer::default();
        for sep in ["\u{b}", "\u{c}", "\u{85}", " \u{b} ", "\u{b}\u{c}"] {
            for (a, b) in [("Putin", "said"), ("Путин", "сказал"), ("a.", "“b”")] {
                let text = format!("{a}{sep}{b}");
                let toks = tok.tokenize(&text);
                assert_eq!(toks, tok.tokenize_reference(&text), "{text:?}");
                for t in &toks {
                    assert!(
                        !text[t.span.clone()].contains(char::is_whitespace),
                        "{text:?}: {t:?}"
                    );
                }
                assert!(toks.len() >= 2, "{text:?}: {toks:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn spans_are_in_text_order(chars in proptest::collection::vec(tricky_char(), 0..80)) {
            // Starts and ends never go back (`span_tokens` and `DocView::token_range` search
            // tokens by their spans); every span is a non-empty range of the text.
            let text: String = chars.into_iter().collect();
            let tok = Tokenizer::default();
            for tokens in [tok.tokenize(&text), tok.tokenize_reference(&text)] {
                for t in &tokens {
                    prop_assert!(t.span.start < t.span.end && t.span.end <= text.len());
                }
                for w in tokens.windows(2) {
                    prop_assert!(w[0].span.start <= w[1].span.start, "{:?}", w);
                    prop_assert!(w[0].span.end <= w[1].span.end, "{:?}", w);
                }
            }
        }

        #[test]
        fn fast_path_matches_the_reference(text in "\\PC{0,200}") {
            let tok = Tokenizer::default();
            prop_assert_eq!(tok.tokenize(&text), tok.tokenize_reference(&text));
        }

        #[test]
        fn tokenizing_into_a_used_vector_keeps_its_tail(
            a in proptest::collection::vec(tricky_char(), 0..80),
            b in proptest::collection::vec(tricky_char(), 0..80),
        ) {
            let (a, b): (String, String) = (a.into_iter().collect(), b.into_iter().collect());
            let tok = Tokenizer::default();
            let mut v = Vec::new();
            let na = tok.tokenize_reusing(&a, &mut v);
            prop_assert_eq!(&v[..na], &tok.tokenize_reference(&a)[..]);
            prop_assert!(v.len() >= na);
            let nb = tok.tokenize_reusing(&b, &mut v);
            prop_assert_eq!(&v[..nb], &tok.tokenize_reference(&b)[..]);
            prop_assert!(v.len() >= na.max(nb));
        }

        #[test]
        fn refilling_a_used_token_vector_gives_the_same_tokens(
            a in proptest::collection::vec(tricky_char(), 0..80),
            b in proptest::collection::vec(tricky_char(), 0..80),
        ) {
            let (a, b): (String, String) = (a.into_iter().collect(), b.into_iter().collect());
            let tok = Tokenizer::default();
            let mut v = Vec::new();
            tok.tokenize_into(&a, &mut v);
            tok.tokenize_into(&b, &mut v);
            prop_assert_eq!(v, tok.tokenize_reference(&b));
        }

        #[test]
        fn char_index_matches_the_table(chars in proptest::collection::vec(tricky_char(), 0..60)) {
            let text: String = chars.into_iter().collect();
            check_char_index(&text);
        }

        #[test]
        fn fast_path_matches_the_reference_on_tricky_text(
            chars in proptest::collection::vec(tricky_char(), 0..120)
        ) {
            let text: String = chars.into_iter().collect();
            let tok = Tokenizer::default();
            prop_assert_eq!(tok.tokenize(&text), tok.tokenize_reference(&text));
        }

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
