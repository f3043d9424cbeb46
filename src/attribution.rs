//! Attribution: who said what. Cues, sources and contents, decoded with constraints, and one
//! speaker per sentence.
//!
//! Three logistic models over hashed features of the shared tokenizer:
//! - **cue**: every occurrence of a cue phrase learned from the training data (`said`,
//!   `according to`, `told`, `has said`, …) is scored as a cue or not;
//! - **source**: for each accepted cue, candidate spans just before or after it (names, titles
//!   with names, pronouns, groups) are ranked; below a threshold the attribution has no source;
//! - **content**: for each cue, candidate contents (the rest of the sentence after the cue, the
//!   part before the source, the quotation beside it) are ranked.
//!
//! Decoding keeps cues from overlapping, pairs quotation marks, keeps a source and its content
//! apart, and extends a quoted content over the quoted sentences that follow it.

use crate::attribution_data::{Attribution, Span};
use crate::error::{Error, Result};
use crate::features::Group;
use crate::model::{ColumnCounts, ColumnSink, LinearModel, LinearModelData, SparseVec, StrState};
use crate::segment::{Sentence, SentenceSplitter};
use crate::tokenize::{CharIndex, Token, Tokenizer, TokenizerSpec};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The `format` tag of an attribution model file.
pub const ATTRIBUTION_FORMAT: &str = "whosaid.attribution";
/// The oldest attribution model format version this build reads: version 2 files hold their number
/// arrays as JSON numbers, later ones as packed base64 strings (see `LinearModelData`).
pub const ATTRIBUTION_OLDEST_FORMAT_VERSION: u32 = 2;
/// The attribution model format version this build writes (and the newest it reads). Version 5
/// adds the speaker-confidence model.
pub const ATTRIBUTION_FORMAT_VERSION: u32 = 5;

/// A list of words for [`word_in`], with the bits ([`crate::segment::key_of`]) of its words'
/// lengths and first bytes: most words asked about are in no list, and one bit tells most of them
/// so with no comparison (the scans of the longer lists cost about 165 M instructions of the 3,110 M
/// of `classify` on the PolNeAR train articles).
#[derive(Debug)]
pub(crate) struct WordList {
    words: &'static [&'static str],
    keys: [u64; 8],
}

impl WordList {
    pub(crate) const fn new(words: &'static [&'static str]) -> Self {
        let mut keys = [0u64; 8];
        let mut i = 0;
        while i < words.len() {
            let w = words[i].as_bytes();
            if !w.is_empty() {
                let k = crate::segment::key_of(w.len(), w[0]);
                keys[k / 64] |= 1 << (k % 64);
            }
            i += 1;
        }
        WordList { words, keys }
    }
}

/// Whether `w` is one of the words of `list`: the bit of its length and first byte first, then
/// the length and first byte of each entry before its bytes (most entries differ there), with no
/// call per entry.
#[inline]
pub(crate) fn word_in(list: &WordList, w: &str) -> bool {
    let w = w.as_bytes();
    if let Some(&first) = w.first() {
        let k = crate::segment::key_of(w.len(), first);
        if list.keys[k / 64] & (1 << (k % 64)) == 0 {
            return false;
        }
    }
    list.words.iter().any(|e| {
        let e = e.as_bytes();
        e.len() == w.len() && e.first() == w.first() && e == w
    })
}

const PRONOUNS: WordList = WordList::new(&[
    "he", "she", "they", "i", "we", "you", "it", "who", "which", "that", "his", "her", "their",
    "him", "them", "us", "me",
]);

/// The serialized attribution model (`attribution.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionModelFile {
    /// Always [`ATTRIBUTION_FORMAT`].
    pub format: String,
    /// [`ATTRIBUTION_FORMAT_VERSION`] when written by this build.
    pub format_version: u32,
    /// The whosaid version that trained it.
    pub whosaid_version: String,
    /// The training settings.
    pub recipe: serde_json::Value,
    /// Dev-split figures from training.
    pub dev: serde_json::Value,
    /// The tokenizer pipeline.
    pub tokenizer: TokenizerSpec,
    /// Seed of the feature hash.
    pub hash_seed: u64,
    /// Cue phrases (normalized token sequences) learned from the training data.
    pub cue_phrases: Vec<Vec<String>>,
    /// Stems of cue heads (the first word of a gold cue after its auxiliaries: `warn` of "is
    /// warning"): every word with such a stem proposes cues of itself with the auxiliaries before
    /// it and a particle after it, so unseen inflections and phrasings are candidates too.
    pub cue_heads: Vec<String>,
    /// Whether words in reporting frames ([`cue_frame`]: "…, he elaborated", "insisted that") are
    /// cue candidates too, learned head or not (format version 4; older files have no such
    /// candidates).
    #[serde(default)]
    pub cue_frames: bool,
    /// Cue model (labels `no`, `yes`).
    pub cue: LinearModelData,
    /// Source ranking model (labels `no`, `yes`).
    pub source: LinearModelData,
    /// Content ranking model (labels `no`, `yes`).
    pub content: LinearModelData,
    /// Minimum cue probability.
    pub cue_threshold: f32,
    /// Minimum source probability (below it: no source).
    pub source_threshold: f32,
    /// Speaker-confidence model (labels `no`, `yes`): the probability that a sentence's speaker
    /// is right, fitted on the dev split's sentences (format version 5; without it the
    /// confidence is the source probability times the canonical name's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<LinearModelData>,
}

impl crate::model::ModelHeader for AttributionModelFile {
    fn header(&self) -> (&str, u32) {
        (&self.format, self.format_version)
    }
}

/// A tokenized, segmented document with the facts the models look at.
#[derive(Debug)]
pub struct DocView<'a> {
    /// The text.
    pub text: &'a str,
    /// Tokens with byte spans.
    pub tokens: Vec<Token>,
    /// Sentences.
    pub sentences: Vec<Sentence>,
    /// Token range of each sentence.
    pub sent_toks: Vec<Range<usize>>,
    /// Sentence of each token.
    pub tok_sent: Vec<usize>,
    /// Whether each token is inside quotation marks (the marks included).
    pub in_quote: Vec<bool>,
    /// `1` for the first and `-1` for the second `'` of a doubled apostrophe `''`, the quotation
    /// mark of some newspapers (NYT); `2` for a curly `’` or `‘` that is an apostrophe (a word
    /// goes on right after it: "FBI’s", "He’s", "‘90s"); `0` for every other token.
    pub qpair: Vec<i8>,
    /// Whether each sentence holds a quotation mark.
    pub sent_quote: Vec<bool>,
    /// Byte/char conversion.
    pub chars: CharIndex,
    /// Each token's shape, an index in [`SHAPES`].
    shapes: Vec<u8>,
}

/// The shapes of [`DocView::shape`], by their index in `DocView::shapes`.
const SHAPES: [&str; 5] = ["XX", "Xx", "x", "9", "p"];

/// The index in [`SHAPES`] of a token as written: all capitals (more than one character),
/// capitalized, lowercase, a number, anything else.
fn shape_index(o: &str) -> u8 {
    let mut cs = o.chars();
    match cs.next() {
        Some(c) if c.is_uppercase() => {
            if o.chars().all(|c| !c.is_lowercase()) && o.chars().count() > 1 {
                0
            } else {
                1
            }
        }
        Some(c) if c.is_lowercase() => 2,
        Some(c) if c.is_numeric() => 3,
        _ => 4,
    }
}

fn is_open_quote(s: &str) -> bool {
    matches!(s, "“" | "‘" | "«")
}
fn is_close_quote(s: &str) -> bool {
    matches!(s, "”" | "’" | "»")
}
fn is_quote(s: &str) -> bool {
    s == "\"" || s == "“" || s == "”" || s == "«" || s == "»"
}
/// Whether marks `open` and `close` are a pair of quotation marks: a double mark closes a double
/// one, a single mark a single one, so that a quotation nested in another (`“The pilots call it
/// ‘the long wait,’ and it is getting longer.”`) does not end it.
fn paired(open: &str, close: &str) -> bool {
    matches!(
        (open, close),
        ("“" | "\"", "”" | "\"") | ("‘", "’") | ("«", "»")
    )
}

impl<'a> DocView<'a> {
    /// Tokenizes and segments `text`.
    pub fn new(text: &'a str, tokenizer: &Tokenizer, splitter: &SentenceSplitter) -> Self {
        let tokens = tokenizer.tokenize(text);
        let sentences = splitter.split(text);
        Self::from_parts(text, tokens, sentences)
    }

    /// Builds the view from tokens and sentences already computed.
    pub fn from_parts(text: &'a str, tokens: Vec<Token>, sentences: Vec<Sentence>) -> Self {
        let mut tok_sent = vec![0usize; tokens.len()];
        let mut sent_toks = Vec::with_capacity(sentences.len());
        let mut t = 0;
        for (si, s) in sentences.iter().enumerate() {
            while t < tokens.len() && tokens[t].span.start < s.bytes.start {
                tok_sent[t] = si.saturating_sub(1);
                t += 1;
            }
            let start = t;
            while t < tokens.len() && tokens[t].span.start < s.bytes.end {
                tok_sent[t] = si;
                t += 1;
            }
            sent_toks.push(start..t);
        }
        while t < tokens.len() {
            tok_sent[t] = sentences.len().saturating_sub(1);
            t += 1;
        }
        // Quotation marks: curly ones open and close; straight ones toggle; a new paragraph
        // resets unless it opens with a quotation mark.
        let mut qpair = vec![0i8; tokens.len()];
        for i in 1..tokens.len() {
            let (a, b) = (&tokens[i - 1], &tokens[i]);
            if qpair[i - 1] == 0 && a.norm == "'" && b.norm == "'" && a.span.end == b.span.start {
                qpair[i - 1] = 1;
                qpair[i] = -1;
            }
        }
        for i in 0..tokens.len().saturating_sub(1) {
            let (a, b) = (&tokens[i], &tokens[i + 1]);
            if (a.norm == "’" || a.norm == "‘")
                && a.span.end == b.span.start
                && b.norm.chars().next().is_some_and(char::is_alphanumeric)
            {
                qpair[i] = 2;
            }
        }
        let mut in_quote = vec![false; tokens.len()];
        let mut open = false;
        let mut para = usize::MAX;
        for (i, tok) in tokens.iter().enumerate() {
            let p = sentences.get(tok_sent[i]).map_or(0, |s| s.paragraph);
            if p != para {
                para = p;
                open = false;
            }
            if qpair[i] == -1 {
                in_quote[i] = in_quote[i - 1];
                continue;
            }
            if qpair[i] == 2 {
                in_quote[i] = open;
                continue;
            }
            let n = if qpair[i] == 1 {
                "\""
            } else {
                tok.norm.as_str()
            };
            if n == "“" || n == "«" {
                open = true;
                in_quote[i] = true;
            } else if n == "”" || n == "»" {
                in_quote[i] = open;
                open = false;
            } else if n == "\"" {
                in_quote[i] = true;
                open = !open;
            } else {
                in_quote[i] = open;
            }
        }
        let mut sent_quote = vec![false; sent_toks.len()];
        for (si, r) in sent_toks.iter().enumerate() {
            sent_quote[si] = r
                .clone()
                .any(|i| qpair[i] == 1 || qpair[i] == -1 || is_quote(tokens[i].norm.as_str()));
        }
        let mut doc = DocView {
            shapes: Vec::new(),
            sent_quote,
            text,
            chars: CharIndex::new(text),
            tokens,
            sentences,
            sent_toks,
            tok_sent,
            in_quote,
            qpair,
        };
        doc.shapes = (0..doc.tokens.len())
            .map(|i| shape_index(doc.orig(i)))
            .collect();
        doc
    }

    /// The token range of the sentence holding `r`, widened to contain `r` (a gold span may
    /// cross a sentence boundary).
    pub fn sent_of(&self, r: &Range<usize>) -> Range<usize> {
        let s = self
            .tok_sent
            .get(r.start)
            .and_then(|&i| self.sent_toks.get(i))
            .cloned()
            .unwrap_or(r.clone());
        s.start.min(r.start)..s.end.max(r.end)
    }

    fn norm(&self, i: isize, sent: &Range<usize>) -> &str {
        if i < sent.start as isize {
            "<s>"
        } else if i >= sent.end as isize {
            "</s>"
        } else {
            &self.tokens[i as usize].norm
        }
    }

    /// The last sentence of the paragraph of sentence `si`.
    fn paragraph_end(&self, si: usize) -> usize {
        let p = self.sentences[si].paragraph;
        let mut end = si;
        while self
            .sentences
            .get(end + 1)
            .is_some_and(|s| s.paragraph == p)
        {
            end += 1;
        }
        end
    }

    /// The token as quotation logic sees it: `"` for either half of a `''`, else its norm.
    pub fn q(&self, i: usize) -> &str {
        match self.qpair[i] {
            0 => &self.tokens[i].norm,
            2 => "'",
            _ => "\"",
        }
    }

    /// The token range `r` grown so that it does not split a `''`.
    fn whole_marks(&self, mut r: Range<usize>) -> Range<usize> {
        if r.start < r.end {
            if self.qpair[r.start] == -1 {
                r.start -= 1;
            }
            if self.qpair[r.end - 1] == 1 {
                r.end += 1;
            }
        }
        r
    }

    /// Whether token `i` opens a quotation: an opening mark, or a straight one the quotation
    /// runs on after.
    fn opens_quote(&self, i: usize) -> bool {
        let q = self.q(i);
        is_open_quote(q) || (q == "\"" && self.in_quote.get(i + 1) == Some(&true))
    }

    /// Whether the tokens before `l` (inside sentence `sent`) close a quotation right after one
    /// of `before` (`,”`, `?”`, `,''`).
    fn closed_after(&self, l: usize, sent: &Range<usize>, before: &[&str]) -> bool {
        if l <= sent.start {
            return false;
        }
        let mark = self.whole_marks(l - 1..l);
        let closing = is_close_quote(self.q(l - 1)) || self.q(l - 1) == "\"";
        closing
            && mark.start > sent.start
            && before.contains(&self.tokens[mark.start - 1].norm.as_str())
    }

    fn orig(&self, i: usize) -> &str {
        &self.text[self.tokens[i].span.clone()]
    }

    pub(crate) fn shape(&self, i: usize) -> &'static str {
        SHAPES[usize::from(self.shapes[i])]
    }

    /// Character span of a token range.
    pub fn char_span(&self, toks: &Range<usize>) -> Span {
        let a = self.tokens[toks.start].span.start;
        let b = self.tokens[toks.end - 1].span.end;
        Span::new(self.chars.char(a), self.chars.char(b))
    }

    /// Token range covering a character span (tokens that overlap it), if any.
    pub fn token_range(&self, span: &Span) -> Option<Range<usize>> {
        let a = self.chars.byte(span.start)?;
        let b = self.chars.byte(span.end)?;
        let first = self.tokens.partition_point(|t| t.span.end <= a);
        let last = self.tokens.partition_point(|t| t.span.start < b);
        (first < last).then_some(first..last)
    }
}

/// Words that go before a cue's head inside the cue: auxiliaries, modals, negation and the
/// adverbs of reporting ("has", "did not", "also", "repeatedly").
pub const CUE_LEFT: &[&str] = &[
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "having",
    "do",
    "does",
    "did",
    "will",
    "would",
    "could",
    "can",
    "should",
    "may",
    "might",
    "must",
    "not",
    "n't",
    "n’t",
    "never",
    "also",
    "already",
    "still",
    "then",
    "repeatedly",
    "previously",
    "again",
    "just",
    "even",
    "once",
    "'s",
    "’s",
    "'ve",
    "’ve",
    "'d",
    "’d",
    "'ll",
    "’ll",
    "to",
    "later",
    "recently",
    "publicly",
    "reportedly",
    "often",
    "further",
    "first",
    "immediately",
    "now",
    "only",
    "openly",
    "privately",
    "quickly",
    "flatly",
    "explicitly",
    "strongly",
    "sharply",
];

/// Words that may close a cue after its head ("pointing out", "said:", "according to").
pub const CUE_RIGHT: &[&str] = &[
    "to", "that", "of", "on", "about", "by", "for", "with", "out", "up", "in", "as", "from",
    "against", "into", "over", "at", "down", "off", "back", ":",
];

/// [`CUE_LEFT`] and [`CUE_RIGHT`] for [`word_in`].
const CUE_LEFT_WORDS: WordList = WordList::new(CUE_LEFT);
const CUE_RIGHT_WORDS: WordList = WordList::new(CUE_RIGHT);

/// The stem of a word for matching cue heads: a few English inflection endings removed
/// (`warning`, `warned`, `warns` → `warn`; `argue`, `argued`, `argues` → `argu`).
pub fn cue_stem(w: &str) -> &str {
    for suf in ["ing", "ed", "es", "s", "e"] {
        if let Some(s) = w.strip_suffix(suf) {
            if s.len() >= 3 {
                return s;
            }
        }
    }
    w
}

/// The head of a cue span: its first token that is not an auxiliary or adverb of [`CUE_LEFT`].
pub fn cue_head(doc: &DocView, r: &Range<usize>) -> usize {
    r.clone()
        .find(|&i| !word_in(&CUE_LEFT_WORDS, doc.tokens[i].norm.as_str()))
        .unwrap_or(r.start)
}

/// Cue candidates: occurrences of the learned cue phrases, and spans around every word whose stem
/// is a learned cue head (the head alone, with up to three auxiliaries before it, with a
/// particle after it).
#[derive(Clone, Debug, Default)]
pub struct CueLexicon {
    phrases: Vec<Vec<String>>,
    /// Bit `len * 256 + first byte` (length capped at 31) set for each phrase's first word: a
    /// quick test before the map.
    starts: Vec<u64>,
    by_first: HashMap<String, FirstWord, StrState>,
    heads: HashMap<String, (), StrState>,
    /// Whether words in a reporting frame ([`cue_frame`]) are candidates too, learned head or
    /// not.
    frames: bool,
}

/// The phrases that start with one word: the one-word phrases, and the longer ones by their
/// second word (phrase indices in ascending order).
#[derive(Clone, Debug, Default)]
struct FirstWord {
    alone: Vec<usize>,
    by_second: HashMap<String, Vec<usize>, StrState>,
}

impl CueLexicon {
    /// Indexes `phrases` and head stems.
    pub fn new(phrases: Vec<Vec<String>>, heads: &[String]) -> Self {
        let mut by_first: HashMap<String, FirstWord, StrState> = HashMap::default();
        for (i, p) in phrases.iter().enumerate() {
            if let Some(f) = p.first() {
                let e = by_first.entry(f.clone()).or_default();
                match p.get(1) {
                    None => e.alone.push(i),
                    Some(w) => e.by_second.entry(w.clone()).or_default().push(i),
                }
            }
        }
        let mut starts = vec![0u64; 32 * 256 / 64];
        for f in by_first.keys() {
            let k = start_key(f);
            starts[k / 64] |= 1 << (k % 64);
        }
        CueLexicon {
            phrases,
            starts,
            by_first,
            heads: heads.iter().map(|h| (h.clone(), ())).collect(),
            frames: false,
        }
    }

    /// The lexicon proposing words in reporting frames too ([`cue_frame`]).
    pub fn with_frames(mut self, frames: bool) -> Self {
        self.frames = frames;
        self
    }

    /// The indexed model's lexicon.
    pub fn of_file(file: &AttributionModelFile) -> Self {
        Self::new(file.cue_phrases.clone(), &file.cue_heads).with_frames(file.cue_frames)
    }

    /// The phrases.
    pub fn phrases(&self) -> &[Vec<String>] {
        &self.phrases
    }

    /// Whether `w`'s stem is a cue head.
    pub fn is_head(&self, w: &str) -> bool {
        !self.heads.is_empty() && self.heads.contains_key(cue_stem(w))
    }

    /// Whether the cue `r` is one the lexicon knows: its head's stem is a learned head, or its
    /// words a learned phrase (not a word proposed by its reporting frame alone).
    pub fn knows(&self, doc: &DocView, r: &Range<usize>) -> bool {
        if self.is_head(&doc.tokens[cue_head(doc, r)].norm) {
            return true;
        }
        let words = &doc.tokens[r.clone()];
        let Some(first) = self.by_first.get(words[0].norm.as_str()) else {
            return false;
        };
        match words.get(1) {
            None => !first.alone.is_empty(),
            Some(t) => first.by_second.get(t.norm.as_str()).is_some_and(|ids| {
                ids.iter().any(|&pid| {
                    let p = &self.phrases[pid];
                    p.len() == words.len() && words.iter().zip(p).all(|(t, w)| t.norm == *w)
                })
            }),
        }
    }

    /// Every cue candidate inside one sentence, as token ranges, sorted and distinct.
    pub fn candidates(&self, doc: &DocView) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = self
            .phrase_occurrences(doc)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        if !self.heads.is_empty() || self.frames {
            for sent in &doc.sent_toks {
                for i in sent.clone() {
                    let proposed = self.is_head(&doc.tokens[i].norm)
                        || (self.frames && cue_frame(doc, sent, i).is_some());
                    if !proposed {
                        continue;
                    }
                    let mut lo = i;
                    while lo > sent.start
                        && i - lo < 3
                        && word_in(&CUE_LEFT_WORDS, doc.tokens[lo - 1].norm.as_str())
                        // "Theresa May said": a capitalised word inside a sentence is a name.
                        && (lo - 1 == sent.start || doc.shape(lo - 1) == "x")
                    {
                        lo -= 1;
                    }
                    let right = i + 1 < sent.end
                        && word_in(&CUE_RIGHT_WORDS, doc.tokens[i + 1].norm.as_str());
                    for a in lo..=i {
                        out.push(a..i + 1);
                        if right {
                            out.push(a..i + 2);
                        }
                    }
                }
            }
        }
        out.sort_by_key(|r| (r.start, r.end));
        out.dedup();
        out
    }

    /// Every occurrence of a phrase inside one sentence: `(token range, phrase index)`.
    pub fn phrase_occurrences(&self, doc: &DocView) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        for sent in &doc.sent_toks {
            for i in sent.clone() {
                let norm = doc.tokens[i].norm.as_str();
                let k = start_key(norm);
                if self
                    .starts
                    .get(k / 64)
                    .is_none_or(|b| b & (1 << (k % 64)) == 0)
                {
                    continue;
                }
                let Some(first) = self.by_first.get(norm) else {
                    continue;
                };
                let n = out.len();
                out.extend(first.alone.iter().map(|&pid| (i..i + 1, pid)));
                let ids = match doc.tokens.get(i + 1) {
                    Some(t) if i + 1 < sent.end => first.by_second.get(t.norm.as_str()),
                    _ => None,
                };
                for &pid in ids.into_iter().flatten() {
                    let p = &self.phrases[pid];
                    // The first two words are the maps' keys; compare the rest, first bytes
                    // first.
                    if i + p.len() <= sent.end
                        && doc.tokens[i + 2..i + p.len()]
                            .iter()
                            .zip(&p[2..])
                            .all(|(t, w)| {
                                let (a, b) = (t.norm.as_bytes(), w.as_bytes());
                                a.len() == b.len() && a.first() == b.first() && a == b
                            })
                    {
                        out.push((i..i + p.len(), pid));
                    }
                }
                // In phrase order, as one list of phrases per first word gave them.
                if out.len() - n > 1 {
                    out[n..].sort_unstable_by_key(|&(_, pid)| pid);
                }
            }
        }
        out
    }
}

/// Words that are never the head of a cue in a reporting frame: function words, and the common
/// words ending like verbs that are not ("this", "always").
const NOT_FRAME_HEADS: WordList = WordList::new(&[
    "the",
    "and",
    "but",
    "for",
    "who",
    "whom",
    "whose",
    "which",
    "what",
    "when",
    "where",
    "while",
    "this",
    "that",
    "these",
    "those",
    "thus",
    "than",
    "then",
    "there",
    "here",
    "with",
    "from",
    "into",
    "onto",
    "upon",
    "about",
    "also",
    "only",
    "just",
    "even",
    "more",
    "most",
    "much",
    "very",
    "such",
    "some",
    "says",
    "always",
    "perhaps",
    "sometimes",
    "besides",
    "towards",
    "afterwards",
    "news",
    "yours",
    "ours",
    "hers",
    "theirs",
    "its",
    "his",
    "does",
    "was",
    "has",
    "is",
    "yes",
    "unless",
    "whether",
    "because",
    "although",
    "though",
    "after",
    "before",
    "since",
    "until",
    "both",
    "each",
    "other",
    "others",
    "it",
    "they",
    "them",
    "their",
    "she",
    "her",
    "him",
    "you",
    "not",
    "now",
    "one",
    "all",
    "any",
    "out",
    "too",
    "so",
    "how",
    "why",
]);

/// The kind of reporting frame word `i` of sentence `sent` stands in, when it is a lowercase
/// word that may be a verb there: followed by "that" (ending like a verb: "insisted that",
/// "stresses that"), by a colon or an opening quotation mark ("foreshadowed:", "wrote “…"), or
/// after a quotation closed by a comma and at most a few words ("…,” Smith recalled; "…,”
/// recalled Smith). Words with no learned head stem become cue candidates there, for the cue
/// model to weigh.
pub fn cue_frame(doc: &DocView, sent: &Range<usize>, i: usize) -> Option<&'static str> {
    // The frame first, the word after: most tokens stand in no frame (this runs on every token).
    if doc.shape(i) != "x" {
        return None;
    }
    let w = doc.tokens[i].norm.as_str();
    // After `,”` and at most four words ("…,” the former senator recalled).
    let mut j = i;
    while j > sent.start && i - j < 5 && (doc.shape(j - 1) != "p" || !doc.tokens[j - 1].is_punct())
    {
        j -= 1;
    }
    let kind = if doc.closed_after(j, sent, &[",", "?", "!"]) {
        "closeq"
    } else {
        let n = doc
            .tokens
            .get(i + 1)
            .filter(|_| i + 1 < sent.end)?
            .norm
            .as_str();
        if n == ":" || doc.opens_quote(i + 1) {
            "open"
        } else if n == "that"
            && (w.ends_with("ed") || w.ends_with('s') || w.ends_with("ing"))
            && !w.ends_with("ss")
            && !w.ends_with("us")
            && !w.ends_with("is")
        {
            "that"
        } else {
            return None;
        }
    };
    let word = w.len() >= 3
        && w.bytes().all(|b| b.is_ascii_lowercase())
        && !word_in(&NOT_FRAME_HEADS, w)
        && !word_in(&CUE_LEFT_WORDS, w);
    word.then_some(kind)
}

/// Stems ([`cue_stem`]) of a seed list of verbs of saying, thinking and reporting: a feature of
/// the cue model (`seed`), never a candidate by itself (the lexicon is learned).
const SEED_CUE_STEMS: WordList = WordList::new(&[
    "say",
    "said",
    "tell",
    "told",
    "report",
    "announc",
    "declar",
    "stat",
    "claim",
    "argu",
    "insist",
    "explain",
    "add",
    "not",
    "warn",
    "suggest",
    "acknowledg",
    "admit",
    "admitt",
    "deni",
    "deny",
    "recall",
    "remark",
    "respond",
    "repli",
    "reply",
    "assert",
    "maintain",
    "contend",
    "predict",
    "promis",
    "vow",
    "pledg",
    "believ",
    "think",
    "thought",
    "fear",
    "hop",
    "doubt",
    "wonder",
    "ask",
    "urg",
    "tweet",
    "wrot",
    "writ",
    "comment",
    "observ",
    "emphasiz",
    "stress",
    "reveal",
    "disclos",
    "confirm",
    "conced",
    "conclud",
    "testifi",
    "testify",
    "accus",
    "criticiz",
    "prais",
    "blam",
    "charg",
    "alleg",
    "complain",
    "propos",
    "recommend",
    "expect",
    "estimat",
    "forecast",
    "foreshadow",
    "elaborat",
    "recount",
    "describ",
    "quipp",
    "quip",
    "jok",
    "shout",
    "exclaim",
    "mention",
    "point",
    "indicat",
    "signal",
    "hint",
    "impli",
    "imply",
    "feel",
    "felt",
    "know",
    "knew",
    "accord",
    "unveil",
    "publish",
    "releas",
    "agre",
    "disagre",
    "object",
    "protest",
    "demand",
    "concern",
    "question",
    "rebutt",
    "counter",
    "retort",
    "continu",
    "affirm",
    "reiterat",
    "underscor",
    "highlight",
    "caution",
    "threaten",
    "boast",
    "brag",
    "lament",
    "decri",
    "condemn",
    "denounc",
    "dismiss",
    "reject",
    "refus",
]);

/// The bit of a word in `CueLexicon::starts`.
fn start_key(w: &str) -> usize {
    w.len().min(31) * 256 + usize::from(w.as_bytes().first().copied().unwrap_or(0))
}

fn clause_break(n: &str) -> bool {
    matches!(
        n,
        "," | ";" | ":" | "(" | ")" | "—" | "–" | "?" | "!" | "[" | "]"
    ) || is_quote(n)
}

/// Where the feature functions put their features: a feature's name is the concatenation of
/// its parts. `Vec<String>` keeps the names (training); [`FeatureHasher`] hashes them with no
/// allocation (inference).
pub trait FeatureOut {
    /// Adds the feature named `parts.concat()`.
    fn add(&mut self, parts: &[&str]);

    /// [`FeatureOut::add`], where `slot` may keep what the feature came to from an earlier call
    /// with the same `parts` (the caller empties the slots whose parts change): the model
    /// column of the feature, for the column hasher (`ColumnHasher`).
    #[inline(always)]
    fn add_kept(&mut self, slot: &mut Kept, parts: &[&str]) {
        let _ = slot;
        self.add(parts);
    }
}

/// What a feature came to, kept by [`FeatureOut::add_kept`]: `None` until it is known, then its
/// model column, if the model has it.
pub type Kept = Option<Option<u32>>;

impl FeatureOut for Vec<String> {
    fn add(&mut self, parts: &[&str]) {
        self.push(parts.concat());
    }
}

/// Where feature names are put together and hashed as the models were trained: xxh3 of the
/// name with the model's seed.
#[derive(Debug)]
struct NameHasher {
    seed: u64,
    /// Where names of up to 128 bytes are put together.
    small: [u8; 128],
    /// Where longer names are.
    buf: Vec<u8>,
}

impl NameHasher {
    fn new(seed: u64) -> Self {
        NameHasher {
            seed,
            small: [0; 128],
            buf: Vec::new(),
        }
    }

    /// The hash of the name `parts.concat()`.
    #[inline(always)]
    fn hash(&mut self, parts: &[&str]) -> u64 {
        // Most names are short: put together in `small`, with no call per part.
        let mut n = 0;
        for p in parts {
            let p = p.as_bytes();
            let Some(d) = self.small.get_mut(n..n + p.len()) else {
                self.buf.clear();
                for p in parts {
                    self.buf.extend_from_slice(p.as_bytes());
                }
                return xxh3_64_with_seed(&self.buf, self.seed);
            };
            copy_short(d, p);
            n += p.len();
        }
        xxh3_64_with_seed(&self.small[..n], self.seed)
    }
}

/// Hashes feature names as the models were trained: xxh3 of the name with the model's seed.
#[derive(Debug)]
pub struct FeatureHasher {
    names: NameHasher,
    /// The hashes, in the order added.
    pub feats: Vec<(u64, Group)>,
}

impl Default for FeatureHasher {
    fn default() -> Self {
        FeatureHasher::new(0)
    }
}

impl FeatureHasher {
    /// An empty hasher with `seed`.
    pub fn new(seed: u64) -> Self {
        FeatureHasher {
            names: NameHasher::new(seed),
            feats: Vec::new(),
        }
    }

    /// Forgets the features added.
    pub fn clear(&mut self) {
        self.feats.clear();
    }
}

impl FeatureOut for FeatureHasher {
    #[inline(always)]
    fn add(&mut self, parts: &[&str]) {
        let h = self.names.hash(parts);
        self.feats.push((h, Group::Word));
    }
}

/// The features' columns in a model, put in `counts` as the features are added (unknown
/// features are dropped): [`FeatureHasher`] and the model's lookup in one step. `S` counts them
/// ([`ColumnCounts`]) or lists them (`Vec<u32>`, for [`CuePhraseCache`]).
struct ColumnHasher<'a, S: ColumnSink = ColumnCounts> {
    names: &'a mut NameHasher,
    model: &'a LinearModel,
    counts: &'a mut S,
}

impl<S: ColumnSink> FeatureOut for ColumnHasher<'_, S> {
    #[inline(always)]
    fn add(&mut self, parts: &[&str]) {
        let h = self.names.hash(parts);
        if let Some(j) = self.model.column(h) {
            self.counts.push(j);
        }
    }

    #[inline(always)]
    fn add_kept(&mut self, slot: &mut Kept, parts: &[&str]) {
        let col = match *slot {
            Some(col) => col,
            None => {
                let col = self.model.column(self.names.hash(parts));
                *slot = Some(col);
                col
            }
        };
        if let Some(j) = col {
            self.counts.push(j);
        }
    }
}

/// The columns of the features of a cue's own words ([`CueWords::phrase_features`]) in one
/// model's cue model (`owner`), by the cue's words: put together and hashed once per phrase on
/// each thread, not once per occurrence.
#[derive(Debug, Default)]
struct CuePhraseCache {
    owner: u64,
    /// The phrase's columns in `pool`: start and length.
    map: HashMap<String, (u32, u32), StrState>,
    pool: Vec<u32>,
}

impl CuePhraseCache {
    /// Phrases kept at most (the learned lexicon proposes a few thousand).
    const LIMIT: usize = 1 << 15;

    /// Makes the cache `owner`'s, emptied if it was another model's or is full.
    fn own(&mut self, owner: u64) {
        if self.owner != owner || self.map.len() >= Self::LIMIT {
            self.map.clear();
            self.pool.clear();
            self.owner = owner;
        }
    }

    /// Counts the columns of `w`'s phrase features in `f`.
    /// `known` tells whether the lexicon knows the phrase, asked on a miss only.
    fn add_phrase(&mut self, w: &mut CueWords, known: impl FnOnce() -> bool, f: &mut ColumnHasher) {
        let (a, n) = match self.map.get(&*w.p) {
            Some(&v) => v,
            None => {
                w.known = known();
                let a = self.pool.len();
                w.phrase_features(&mut ColumnHasher {
                    names: f.names,
                    model: f.model,
                    counts: &mut self.pool,
                });
                let v = (a as u32, (self.pool.len() - a) as u32);
                self.map.insert(w.p.clone().into_owned(), v);
                v
            }
        };
        f.counts
            .extend_from_slice(&self.pool[a as usize..(a + n) as usize]);
    }
}

thread_local! {
    static CUE_PHRASES: std::cell::RefCell<CuePhraseCache> =
        std::cell::RefCell::new(CuePhraseCache::default());
    /// The column counts of [`AttributionModel::predict_with`] between documents.
    static COUNTS: std::cell::Cell<ColumnCounts> = std::cell::Cell::new(ColumnCounts::default());
}

/// `d.copy_from_slice(s)` in a few moves of 8, 4 or 1 bytes (overlapping at the end), without the
/// call to `memcpy` that costs more than the copy for the few bytes of a feature name's part.
#[inline(always)]
fn copy_short(d: &mut [u8], s: &[u8]) {
    let n = s.len();
    if d.len() != n {
        return d.copy_from_slice(s);
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            d[i..i + 8].copy_from_slice(&s[i..i + 8]);
            i += 8;
        }
        d[n - 8..].copy_from_slice(&s[n - 8..]);
    } else if n >= 4 {
        d[..4].copy_from_slice(&s[..4]);
        d[n - 4..].copy_from_slice(&s[n - 4..]);
    } else if n > 0 {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// Features of a cue candidate.
/// `lexicon` is the one that proposed it: whether it knows the cue is a feature.
pub fn cue_features(doc: &DocView, toks: &Range<usize>, lexicon: &CueLexicon) -> Vec<String> {
    let mut f = Vec::new();
    cue_features_into(doc, toks, lexicon, &mut f);
    f
}

/// [`cue_features`] into `f`: the features of the cue's own words, then those of its context.
pub fn cue_features_into(
    doc: &DocView,
    toks: &Range<usize>,
    lexicon: &CueLexicon,
    f: &mut impl FeatureOut,
) {
    let mut w = CueWords::new(doc, toks);
    w.known = lexicon.knows(doc, toks);
    w.phrase_features(f);
    w.context_features(doc, toks, f);
}

/// The context features of [`CueWords::context_features`] that depend on the cue's head alone (and
/// its sentence), on its head and start, or on its head and end, in slots kept from one
/// candidate of a document to the next ([`FeatureOut::add_kept`]): the candidates come sorted,
/// and those of one head ("said", "has said", "said that") are neighbours.
#[derive(Debug, Default)]
struct CueKept {
    /// The head the `head` slots and `frame` are of.
    head_key: Option<usize>,
    head: [Kept; 5],
    /// The head's reporting frame ([`cue_frame`]), or "-".
    frame: Option<&'static str>,
    /// The start and head the `start` slots are of.
    start_key: Option<(usize, usize)>,
    start: [Kept; 12],
    /// The end and head the `end` slots are of.
    end_key: Option<(usize, usize)>,
    end: [Kept; 8],
}

/// The words of a cue candidate that its features read.
struct CueWords<'a> {
    /// The cue's words, with single spaces between them.
    p: std::borrow::Cow<'a, str>,
    /// Its head (its first word after the auxiliaries), and the head's stem.
    head: &'a str,
    /// The head's token.
    hi: usize,
    stem: &'a str,
    /// Its first word when auxiliaries come before the head.
    l1: Option<&'a str>,
    /// Its last word when words come after the head.
    right: Option<&'a str>,
    /// How many words it has, and how many come before the head.
    len: usize,
    left: usize,
    /// Words after the head.
    after: bool,
    /// The head's suffix class.
    sfx: &'static str,
    /// Whether the lexicon knows the cue (see [`CueLexicon::knows`]).
    known: bool,
}

impl<'a> CueWords<'a> {
    fn new(doc: &'a DocView, toks: &Range<usize>) -> Self {
        // Most cues are one word: its text, with nothing put together.
        let p = match &doc.tokens[toks.clone()] {
            [t] => std::borrow::Cow::Borrowed(t.norm.as_str()),
            ts => {
                let mut s = String::with_capacity(ts.iter().map(|t| t.norm.len() + 1).sum());
                for (k, t) in ts.iter().enumerate() {
                    if k > 0 {
                        s.push(' ');
                    }
                    s.push_str(&t.norm);
                }
                std::borrow::Cow::Owned(s)
            }
        };
        let hi = cue_head(doc, toks);
        let head = doc.tokens[hi].norm.as_str();
        let left = hi - toks.start;
        let after = &doc.tokens[hi + 1..toks.end];
        let sfx = if head.len() > 4 && head.ends_with("ing") {
            "ing"
        } else if head.len() > 3 && head.ends_with("ed") {
            "ed"
        } else if head.len() > 3 && head.ends_with('s') {
            "s"
        } else {
            "-"
        };
        CueWords {
            p,
            head,
            hi,
            stem: cue_stem(head),
            l1: (left > 0).then(|| doc.tokens[toks.start].norm.as_str()),
            right: after.last().map(|t| t.norm.as_str()),
            len: toks.len(),
            left,
            after: !after.is_empty(),
            sfx,
            known: true,
        }
    }

    /// The features that depend on the cue's words alone (the same wherever the cue stands),
    /// which [`AttributionModel`] caches by the cue's words.
    fn phrase_features(&self, f: &mut impl FeatureOut) {
        let (p, stem) = (&*self.p, self.stem);
        f.add(&["p=", p]);
        f.add(&["len=", itoa::Buffer::new().format(self.len)]);
        f.add(&["stem=", stem]);
        f.add(&["head=", self.head]);
        f.add(&["left=", DIGITS[self.left.min(3)]]);
        f.add(&["stem|left=", stem, "|", DIGITS[self.left.min(3)]]);
        if let Some(l1) = self.l1 {
            f.add(&["l1=", l1]);
        }
        match self.right {
            Some(r) => {
                f.add(&["right=", r]);
                f.add(&["stem|right=", stem, "|", r]);
            }
            None => f.add(&["right=-"]),
        }
        f.add(&["sfx=", self.sfx]);
        if word_in(&SEED_CUE_STEMS, stem) {
            f.add(&["seed"]);
        }
        if !self.known {
            f.add(&["oov"]);
            f.add(&["oov|sfx=", self.sfx]);
        }
    }

    /// The features of the cue in its sentence.
    fn context_features(&self, doc: &DocView, toks: &Range<usize>, f: &mut impl FeatureOut) {
        self.context_features_kept(doc, toks, &mut CueKept::default(), f);
    }

    /// [`CueWords::context_features`] with the features of `kept`'s slots taken from there when
    /// the cue has the head, or head and start, or head and end, of the last one (in the same
    /// document). The features come in the same order as without slots.
    fn context_features_kept(
        &self,
        doc: &DocView,
        toks: &Range<usize>,
        kept: &mut CueKept,
        f: &mut impl FeatureOut,
    ) {
        let hi = self.hi;
        if kept.head_key != Some(hi) {
            kept.head_key = Some(hi);
            kept.head = [None; 5];
            kept.frame = None;
        }
        if kept.start_key != Some((toks.start, hi)) {
            kept.start_key = Some((toks.start, hi));
            kept.start = [None; 12];
        }
        if kept.end_key != Some((toks.end, hi)) {
            kept.end_key = Some((toks.end, hi));
            kept.end = [None; 8];
        }
        let [k_first_sent, k_sent_has_quote, k_frame, k_frame_sfx, k_seed_frame] = &mut kept.head;
        let [k_pw1, k_pw2, k_pshape, k_inq, k_stem_pw1, k_aux_outside, k_cap, k_sent_start, k_pos, k_stem_pos, k_pw1_pron, k_sfx_pshape] =
            &mut kept.start;
        let [k_nw1, k_nw2, k_nshape, k_stem_nw1, k_part_outside, k_sent_end, k_that_after, k_stem_that_after] =
            &mut kept.end;
        let (p, stem) = (&*self.p, self.stem);
        let sent = &doc.sent_of(toks);
        let a = toks.start as isize;
        let b = toks.end as isize;
        let (pw1, pw2) = (doc.norm(a - 1, sent), doc.norm(a - 2, sent));
        let (nw1, nw2) = (doc.norm(b, sent), doc.norm(b + 1, sent));
        let shape = |i: isize| {
            if i >= sent.start as isize && i < sent.end as isize {
                doc.shape(i as usize)
            } else {
                "-"
            }
        };
        let inq = bool_str(doc.in_quote[toks.start]);
        let (pshape, nshape) = (shape(a - 1), shape(b));
        f.add_kept(k_pw1, &["pw1=", pw1]);
        f.add_kept(k_pw2, &["pw2=", pw2]);
        f.add_kept(k_nw1, &["nw1=", nw1]);
        f.add_kept(k_nw2, &["nw2=", nw2]);
        f.add(&["p|pw1=", p, "|", pw1]);
        f.add(&["p|nw1=", p, "|", nw1]);
        f.add_kept(k_pshape, &["pshape=", pshape]);
        f.add_kept(k_nshape, &["nshape=", nshape]);
        f.add(&["p|pshape=", p, "|", pshape]);
        f.add(&["p|nshape=", p, "|", nshape]);
        f.add_kept(k_inq, &["inq=", inq]);
        f.add(&["p|inq=", p, "|", inq]);
        f.add_kept(k_stem_nw1, &["stem|nw1=", stem, "|", nw1]);
        f.add_kept(k_stem_pw1, &["stem|pw1=", stem, "|", pw1]);
        if self.left == 0 && toks.start > sent.start && word_in(&CUE_LEFT_WORDS, pw1) {
            f.add_kept(k_aux_outside, &["aux_outside"]);
        }
        if toks.end < sent.end && word_in(&CUE_RIGHT_WORDS, nw1) && !self.after {
            f.add_kept(k_part_outside, &["part_outside=", nw1]);
        }
        f.add_kept(k_cap, &["cap=", shape(a)]);
        if a == sent.start as isize {
            f.add_kept(k_sent_start, &["sent_start"]);
        }
        // Where in its sentence: "Pat Caddell: …" headlines, "Marden charges that …".
        let pos = DIGITS[(toks.start - sent.start).min(6)];
        f.add_kept(k_pos, &["pos=", pos]);
        f.add_kept(k_stem_pos, &["stem|pos=", stem, "|", pos]);
        if doc.tok_sent[toks.start] == 0 {
            f.add_kept(k_first_sent, &["first_sent"]);
            f.add(&["p|first_sent=", p]);
        }
        if doc.tokens[toks.end..sent.end].iter().all(|t| t.is_punct()) {
            f.add_kept(k_sent_end, &["sent_end"]);
            f.add(&["p|sent_end=", p]);
        }
        if word_in(&PRONOUNS, pw1) {
            f.add_kept(k_pw1_pron, &["pw1_pron"]);
        }
        // A complement clause or an object after the cue ("said that", "warned of").
        if doc.tokens[toks.end..sent.end.min(toks.end + 3)]
            .iter()
            .any(|t| t.norm == "that")
        {
            f.add_kept(k_that_after, &["that_after"]);
            f.add_kept(k_stem_that_after, &["stem|that_after=", stem]);
        }
        f.add_kept(k_sfx_pshape, &["sfx|pshape=", self.sfx, "|", pshape]);
        if doc.sent_quote[doc.tok_sent[toks.start]] {
            f.add_kept(k_sent_has_quote, &["sent_has_quote"]);
            f.add(&["p|sent_has_quote=", p]);
        }
        // The reporting frame of the head, which weighs words the lexicon never saw.
        let frame = *kept
            .frame
            .get_or_insert_with(|| cue_frame(doc, sent, hi).unwrap_or("-"));
        f.add_kept(k_frame, &["frame=", frame]);
        f.add_kept(k_frame_sfx, &["frame|sfx=", frame, "|", self.sfx]);
        if word_in(&SEED_CUE_STEMS, stem) {
            f.add_kept(k_seed_frame, &["seed|frame=", frame]);
        }
    }
}

/// A source candidate: a token range beside the cue.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceCand {
    /// Tokens of the candidate.
    pub toks: Range<usize>,
    /// Before (`true`) or after the cue.
    pub before: bool,
}

/// Candidate sources for a cue: spans of 1–8 tokens ending right before it or starting right
/// after it, inside its sentence, not crossing clause punctuation.
pub fn source_candidates(doc: &DocView, cue: &Range<usize>) -> Vec<SourceCand> {
    let sent = &doc.sent_toks[doc.tok_sent[cue.start]];
    // Room for the usual number (about 16 on PolNeAR) without growing.
    let mut out = Vec::with_capacity(16);
    // Before the cue, stepping over a parenthesis ("Ron Kind (D-Wis.) said"), and before an
    // appositive set off by commas ("Halvard, the Democratic nominee, said").
    before_with_appositive(doc, sent, cue.start, &mut out);
    // Before a time or a medium between the mention and the cue ("Marden on Tuesday said",
    // "the harbour board this month rejected", "Varga, the top Liberal on the Canal
    // Board, in a statement said").
    if let Some(k) = gap_start(doc, sent, cue.start) {
        before_with_appositive(doc, sent, k, &mut out);
    }
    // After the cue: up to eight words (the dots of "Rep. G.K." and hyphens do not count), stepping over a
    // parenthesis ("said Rep. B.T. Morrow (D-N.C.), head of …").
    let mut k = cue.end;
    let mut words = 0;
    while words < 8 && k < sent.end {
        let n = doc.q(k);
        if n == "(" && words > 0 {
            let hi = sent.end.min(k + 10);
            match (k + 1..hi).find(|&j| doc.tokens[j].norm == ")") {
                Some(j) => k = j + 1,
                None => break,
            }
        } else if clause_break(n) {
            break;
        } else {
            k += 1;
            // Neither the dots of "Rep. G.K." nor the hyphens of "AFL-CIO", "Crouse-Mays" count.
            if n != "." && n != "-" {
                words += 1;
            }
        }
        if !ends_with_title(doc, k - 1) {
            out.push(SourceCand {
                toks: cue.end..k,
                before: false,
            });
        }
    }
    // A longer mention after the cue, to the next clause break or the end of the sentence
    // ("…,” said a longtime harbour pilot who has worked for two of the port's owners."):
    // PolNeAR train has 453 sources of more than eight words right after their cue that run to
    // the end of their sentence.
    if words == 8 && cue.start > sent.start + 1 {
        let hi = sent.end.min(cue.end + 60);
        let stop = (k..hi).find(|&j| clause_break(doc.q(j))).unwrap_or(hi);
        let r = trim_range(doc, cue.end..stop);
        if r.end > k && plausible_source_end(doc, r.end - 1) {
            out.push(SourceCand {
                toks: r,
                before: false,
            });
        }
    }
    // The agent of a passive cue ("has been called a fraud by fellow bakers").
    let near = sent.end.min(cue.end + 8);
    if let Some(by) = (cue.end..near).find(|&j| doc.tokens[j].norm == "by" && !doc.in_quote[j]) {
        let mut j = by + 1;
        let mut words = 0;
        while words < 8 && j < sent.end && !clause_break(doc.q(j)) {
            if doc.tokens[j].norm != "." {
                words += 1;
            }
            j += 1;
            if plausible_source(doc, &(by + 1..j)) {
                out.push(SourceCand {
                    toks: by + 1..j,
                    before: false,
                });
            }
        }
    }
    // After the cue, a mention with an appositive or a relative clause: up to each of the next
    // three commas (without and with the comma), and to the end of the sentence ("said Oren
    // Tass, a longtime political adviser to the Wendle family who oversees …").
    let first = k;
    if words > 0 && first < sent.end && doc.tokens[first].norm == "," && !doc.in_quote[first] {
        let end = trim_range(doc, cue.end..sent.end).end.min(cue.end + 60);
        let mut commas = 0;
        for k in first + 1..end {
            let n = doc.q(k);
            if is_quote(n) || is_open_quote(n) || is_close_quote(n) {
                return out;
            }
            if n == "," {
                out.push(SourceCand {
                    toks: cue.end..k,
                    before: false,
                });
                out.push(SourceCand {
                    toks: cue.end..k + 1,
                    before: false,
                });
                commas += 1;
                if commas == 3 {
                    return out;
                }
            }
        }
        // Not when the cue opens the sentence ("According to Ivo Marsk, the trade minister,
        // the United States …"): the rest is the content.
        if end > first + 1 && cue.start > sent.start + 1 {
            out.push(SourceCand {
                toks: cue.end..end,
                before: false,
            });
        }
    }
    out
}

/// Candidates ending at `end` ([`before_candidates`]), and when a comma is at `end`, those before
/// the appositive it closes, without it and with it.
fn before_with_appositive(
    doc: &DocView,
    sent: &Range<usize>,
    end: usize,
    out: &mut Vec<SourceCand>,
) {
    before_candidates(doc, sent, end, out);
    if end > sent.start + 2 && doc.tokens[end - 1].norm == "," {
        let lo = sent.start.max(end.saturating_sub(24));
        // Up to three commas back: "Teo Brann, of Millbrook, Va., said", "Dara
        // Quill Hensley, 59, of Ostend, Md., said".
        let commas = (lo..end - 1).rev().filter(|&j| doc.tokens[j].norm == ",");
        for j in commas.take(3) {
            let n = out.len();
            before_candidates(doc, sent, j, out);
            // … and the mention with its appositive and the comma that closes it (PolNeAR's
            // sources take the whole noun phrase: "Rendell, a Halvard surrogate,").
            for k in n..out.len() {
                if !out[k].toks.is_empty() {
                    let toks = out[k].toks.start..end;
                    out.push(SourceCand { toks, before: true });
                }
            }
        }
    }
}

/// Words that open a phrase of time or medium between a source and its cue ("on Tuesday", "this
/// month", "in a statement").
const GAP_START: WordList = WordList::new(&[
    "on", "in", "at", "during", "last", "this", "earlier", "late", "early", "just",
]);

/// Words that end such a phrase: the time words a source never ends with, and media.
const GAP_END: WordList = WordList::new(&[
    "statement",
    "interview",
    "tweet",
    "twitter",
    "facebook",
    "email",
    "letter",
    "release",
    "speech",
    "weeks",
    "months",
    "days",
    "occasion",
    "occasions",
]);

/// The first token of a phrase of time or medium that ends right before `cue_start` ("Marden on
/// Tuesday said", "Varga in a statement said"), if there is one: PolNeAR's source is the
/// mention before it.
fn gap_start(doc: &DocView, sent: &Range<usize>, cue_start: usize) -> Option<usize> {
    let last = cue_start.checked_sub(1).filter(|&l| l > sent.start)?;
    // One or two adverbs ("Halvard pointedly rejected", "Marden also publicly said").
    let adverb = |i: usize| {
        let w = doc.tokens[i].norm.as_str();
        doc.shape(i) == "x" && ((w.len() > 4 && w.ends_with("ly")) || word_in(&GAP_ADVERBS, w))
    };
    if adverb(last) {
        let first = if last > sent.start + 1 && adverb(last - 1) {
            last - 1
        } else {
            last
        };
        return (first > sent.start).then_some(first);
    }
    let end = doc.tokens[last].norm.as_str();
    if !(word_in(&GAP_END, end) || word_in(&TIME_WORDS, end)) {
        return None;
    }
    let lo = sent.start.max(cue_start.saturating_sub(6)) + 1;
    let mut start = None;
    for k in (lo..last).rev() {
        let n = doc.q(k);
        if clause_break(n) || doc.in_quote[k] {
            break;
        }
        if word_in(&GAP_START, n) {
            start = Some(k);
        }
    }
    start
}

/// Adverbs between a source and its cue besides those in "-ly" ("Marden also said").
const GAP_ADVERBS: WordList =
    WordList::new(&["also", "even", "still", "never", "again", "once", "often"]);

/// Words a source mention never starts with ("Meanwhile, ...", "As Ukraine ...", "Earlier ...").
const NOT_SOURCE_START: WordList = WordList::new(&[
    "as",
    "meanwhile",
    "earlier",
    "however",
    "moreover",
    "also",
    "then",
    "now",
    "today",
    "yesterday",
    "instead",
    "still",
    "thus",
    "so",
    "but",
    "and",
    "or",
    "while",
    "when",
    "after",
    "before",
    "although",
    "though",
    "if",
    "because",
    "since",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "of",
    "to",
    "into",
    "over",
    "under",
    "about",
    "reportedly",
    "allegedly",
    // Prepositions no source starts with in PolNeAR train ("House Speaker Ryan, despite
    // admitting …": not "despite").
    "despite",
    "unlike",
    "like",
    "amid",
    "without",
    "through",
    "during",
    "against",
    "across",
    "via",
    "per",
    "toward",
    "towards",
    "upon",
    "whether",
    "than",
]);

/// Words a source mention never ends with ("the Seym River further", "Russia while").
const NOT_SOURCE_END: WordList = WordList::new(&[
    "while", "further", "also", "still", "again", "too", "then", "now", "however", "even",
    "already", "just", "only", "not", "never", "later", "and", "or", "but", "as", "the", "a", "an",
    "of", "in", "on", "to", "for", "with", "by", "at", "from", "is", "was", "has", "have", "had",
]);

/// Modal and auxiliary verbs that no source ends with when they are written in lowercase (in
/// PolNeAR train, 3 of 17,212 sources end with one: "… that a campaign normally would").
const AUXILIARY_END: WordList = WordList::new(&[
    "would", "will", "could", "should", "may", "might", "must", "can", "are", "were", "does",
    "did", "do", "be", "been",
]);

/// Time words no source ends with ("the harbour board this month rejected", "Wells Fargo just
/// this month announced").
const TIME_WORDS: WordList = WordList::new(&[
    "month",
    "week",
    "year",
    "weekend",
    "night",
    "morning",
    "afternoon",
    "evening",
    "today",
    "tonight",
    "yesterday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    // "Dorrow has on more than one occasion claimed"
    "occasion",
    "occasions",
]);

/// Whether tokens `r` say only when (or are punctuation): "Monday", "late Thursday", "on
/// Tuesday night", "earlier this week" (time words, and the words that open a gap's phrase).
fn time_only(doc: &DocView, r: Range<usize>) -> bool {
    doc.tokens[r].iter().all(|t| {
        let n = t.norm.as_str();
        !n.chars().any(char::is_alphanumeric) || word_in(&TIME_WORDS, n) || word_in(&GAP_START, n)
    })
}

/// A source candidate must not start or end with a word no speaker's mention starts or ends with.
pub fn plausible_source(doc: &DocView, r: &Range<usize>) -> bool {
    plausible_source_start(doc, r.start) && plausible_source_end(doc, r.end - 1)
}

/// Whether token `i` may start a source mention ([`plausible_source`]).
fn plausible_source_start(doc: &DocView, i: usize) -> bool {
    !word_in(&NOT_SOURCE_START, doc.tokens[i].norm.as_str())
}

/// Whether token `i` may end a source mention ([`plausible_source`]).
fn plausible_source_end(doc: &DocView, i: usize) -> bool {
    let last = doc.tokens[i].norm.as_str();
    // "Halvard privately" is no mention, but "Mark Kelly", "Gerry Connolly" are.
    let adverb = last.len() > 4 && last.ends_with("ly") && doc.shape(i) == "x";
    // "A reader would now ask:" (but "George Will", "Theresa May").
    let auxiliary = doc.shape(i) == "x" && word_in(&AUXILIARY_END, last);
    !(word_in(&NOT_SOURCE_END, last)
        || auxiliary
        || word_in(&TIME_WORDS, last)
        || adverb
        || ends_with_title(doc, i))
}

/// Whether token `i` is a title or an initial ("G." of "Edwin G. Monroy"), or the full stop
/// after one.
fn ends_with_title(doc: &DocView, i: usize) -> bool {
    let t = if doc.tokens[i].norm == "." && i > 0 {
        i - 1
    } else {
        i
    };
    let w = doc.orig(t);
    let initial = w.len() == 1
        && doc.shape(t) == "Xx"
        && doc.tokens.get(t + 1).is_some_and(|n| n.norm == ".");
    // Capitalised, not in capitals: "RT" is a name, "Rt." a title.
    initial || (doc.shape(t) == "Xx" && crate::segment::is_name_title(w.trim_end_matches('.')))
}

fn before_candidates(doc: &DocView, sent: &Range<usize>, end: usize, out: &mut Vec<SourceCand>) {
    // Every candidate ends at `end`: none is plausible when its last token is not.
    if end == 0 || !plausible_source_end(doc, end - 1) {
        return;
    }
    let mut start = end;
    let mut words = 0;
    while words < 8 && start > sent.start {
        let t = doc.q(start - 1);
        if t == ")" {
            let lo = sent.start.max(start.saturating_sub(10));
            match (lo..start - 1).rev().find(|&k| doc.tokens[k].norm == "(") {
                Some(k) if k > sent.start => {
                    start = k;
                    continue;
                }
                _ => break,
            }
        }
        if clause_break(t) {
            break;
        }
        start -= 1;
        if !matches!(doc.tokens[start].norm.as_str(), "." | "-") {
            words += 1;
        }
        if plausible_source_start(doc, start) {
            out.push(SourceCand {
                toks: start..end,
                before: true,
            });
        }
    }
    // A title of capitalised words that runs past eight ("U.S. Northern Harbour Board Deputy
    // Strategic Shipping Coordinator Halvard Marsk said", "Deputy Minister of Ports and
    // Canals for the Northern Region Ivo Marsk said"): the whole run.
    // Not over a headline in capitals ("OLYMPIC TEAM REFUSES TO STAY").
    let shout = |k: usize| doc.shape(k) == "XX" && doc.q(k).chars().count() > 4;
    let title = |k: usize| {
        (capitalised(doc, k) && !shout(k))
            || matches!(doc.q(k), "." | "-" | "of" | "for" | "and" | "the")
    };
    if words == 8 && start > sent.start && (start..end).all(title) {
        let lo = sent.start.max(start.saturating_sub(12));
        let first = (lo..start)
            .rev()
            .take_while(|&k| title(k))
            .filter(|&k| capitalised(doc, k))
            .last();
        if let Some(k) = first.filter(|&k| plausible_source_start(doc, k)) {
            out.push(SourceCand {
                toks: k..end,
                before: true,
            });
        }
    }
}

/// Whether the token at `i` is a capitalised word ("Council", "U.S", "NATO").
fn capitalised(doc: &DocView, i: usize) -> bool {
    doc.shape(i).starts_with('X')
}

/// Features of a source candidate.
pub fn source_features(doc: &DocView, cue: &Range<usize>, c: &SourceCand) -> Vec<String> {
    let mut f = Vec::new();
    source_features_into(doc, cue, c, &mut f);
    f
}

/// [`source_features`] into `f`.
pub fn source_features_into(
    doc: &DocView,
    cue: &Range<usize>,
    c: &SourceCand,
    f: &mut impl FeatureOut,
) {
    source_features_of(doc, &SourceCue::new(doc, cue), c, f);
}

/// What [`source_features`] needs of a cue, whatever the candidate: found once for all the
/// candidates of a cue.
#[derive(Clone, Debug)]
pub struct SourceCue<'a> {
    cue: Range<usize>,
    /// The cue's sentence.
    sent: Range<usize>,
    /// The cue's first word.
    word: &'a str,
    /// The participle of a passive cue ([`passive_head`]).
    passive: Option<&'a str>,
}

impl<'a> SourceCue<'a> {
    /// The cue `cue` of `doc`.
    pub fn new(doc: &'a DocView, cue: &Range<usize>) -> Self {
        SourceCue {
            cue: cue.clone(),
            sent: doc.sent_of(cue),
            word: doc.tokens[cue.start].norm.as_str(),
            passive: passive_head(doc, cue),
        }
    }
}

/// [`source_features_into`] with the cue's part found before ([`SourceCue::new`]).
pub fn source_features_of(doc: &DocView, sc: &SourceCue, c: &SourceCand, f: &mut impl FeatureOut) {
    source_features_kept(doc, sc, c, &mut SourceKept::default(), f);
}

/// The features of [`source_features_of`] that depend on the side of a candidate alone, on its
/// side and where it ends (the same for the candidates before a cue that end at one token), and
/// on its side and where it starts (the same for those after a cue that start at one token), in
/// slots kept from one candidate of a cue to the next ([`FeatureOut::add_kept`]).
#[derive(Debug, Default)]
struct SourceKept {
    /// The side of the candidate the `side` slots are of.
    side_key: Option<bool>,
    side: [Kept; 4],
    /// The side and end of the candidate the `end` slots are of.
    end_key: Option<(bool, usize)>,
    end: [Kept; 5],
    /// The side and start of the candidate the `start` slots are of.
    start_key: Option<(bool, usize)>,
    start: [Kept; 6],
}

/// [`source_features_of`] with the features of `kept`'s slots taken from there when the
/// candidate `c` has the side and end, or side and start, of the last one (of the same cue).
/// The features come in the same order as without slots.
fn source_features_kept(
    doc: &DocView,
    sc: &SourceCue,
    c: &SourceCand,
    kept: &mut SourceKept,
    f: &mut impl FeatureOut,
) {
    if kept.side_key != Some(c.before) {
        kept.side_key = Some(c.before);
        kept.side = [None; 4];
    }
    if kept.end_key != Some((c.before, c.toks.end)) {
        kept.end_key = Some((c.before, c.toks.end));
        kept.end = [None; 5];
    }
    if kept.start_key != Some((c.before, c.toks.start)) {
        kept.start_key = Some((c.before, c.toks.start));
        kept.start = [None; 6];
    }
    let [k_side, k_cue_side, k_passive, k_passive_cue] = &mut kept.side;
    let [k_last, k_lshape, k_aft, k_last_ing, k_gap] = &mut kept.end;
    let [k_first, k_fshape, k_bnd, k_inq, k_det, k_at_start] = &mut kept.start;
    let cue = &sc.cue;
    let sent = &sc.sent;
    let side = if c.before { "B" } else { "A" };
    let first = doc.tokens[c.toks.start].norm.as_str();
    let last = doc.tokens[c.toks.end - 1].norm.as_str();
    let len = c.toks.len().min(6);
    let cue_w = sc.word;
    let bnd = doc.norm(c.toks.start as isize - 1, sent);
    let aft = doc.norm(c.toks.end as isize, sent);
    // The first letter of each token's shape, for the first six tokens.
    let mut shapes = [0u8; 6];
    let mut n_shapes = 0;
    for i in c.toks.clone().take(6) {
        shapes[n_shapes] = doc.shape(i).as_bytes()[0];
        n_shapes += 1;
    }
    let shapes = std::str::from_utf8(&shapes[..n_shapes]).unwrap_or("");
    let len_s = DIGITS[len];
    let gap = DIGITS[cue.start.saturating_sub(c.toks.end).min(3)];
    f.add_kept(k_side, &["side=", side]);
    f.add(&["len=", side, len_s]);
    f.add_kept(k_first, &["first=", side, first]);
    f.add_kept(k_last, &["last=", side, last]);
    f.add_kept(k_fshape, &["fshape=", side, doc.shape(c.toks.start)]);
    f.add_kept(k_lshape, &["lshape=", side, doc.shape(c.toks.end - 1)]);
    f.add(&["shapes=", side, shapes]);
    f.add_kept(k_bnd, &["bnd=", side, bnd]);
    f.add_kept(k_aft, &["aft=", side, aft]);
    if last.len() > 4 && last.ends_with("ing") {
        f.add_kept(k_last_ing, &["last_ing=", side]);
    }
    f.add_kept(k_cue_side, &["cue|side=", cue_w, "|", side]);
    f.add(&["cue|len=", cue_w, "|", side, len_s]);
    f.add_kept(k_inq, &["inq=", bool_str(doc.in_quote[c.toks.start])]);
    f.add_kept(k_gap, &["gap=", side, gap]);
    if doc.tokens[c.toks.clone()].iter().any(|t| t.norm == "(") {
        f.add(&["paren=", side]);
    }
    if word_in(&PRONOUNS, last) {
        f.add(&["pron=", side, len_s]);
    }
    if matches!(first, "the" | "a" | "an") {
        f.add_kept(k_det, &["det=", side]);
    }
    if bnd == "<s>" {
        f.add_kept(k_at_start, &["at_sent_start=", side]);
    }
    if let Some(k) = c.toks.clone().find(|&k| doc.tokens[k].norm == ",") {
        // What follows the mention's first comma: an appositive noun phrase ("Rendell, a
        // Halvard surrogate,"), a relative clause, or a participle that is not part of the
        // mention ("Marden, appearing after Halvard at the forum,").
        let w = doc.norm(k as isize + 1, sent);
        let class = if w.len() > 4 && w.ends_with("ing") {
            "ing"
        } else if w.len() > 3 && w.ends_with("ed") {
            "ed"
        } else if matches!(w, "a" | "an" | "the") {
            "det"
        } else if matches!(w, "who" | "which" | "whose" | "that") {
            "rel"
        } else if word_in(&PREPOSITIONS, w) {
            // "Halvard, at a later press gaggle, said": not part of the mention.
            "prep"
        } else {
            doc.shape(k + 1)
        };
        f.add(&["appos_w=", side, w]);
        f.add(&["appos_class=", side, class]);
        f.add(&["cue|appos_class=", cue_w, "|", side, class]);
        if k > c.toks.start {
            f.add(&["mention_end=", side, doc.shape(k - 1)]);
        }
        f.add(&["cue|appos=", cue_w, "|", side]);
        if c.toks.len() > 8 {
            f.add(&["appos_long=", side]);
        }
        if doc.tokens[c.toks.clone()]
            .iter()
            .any(|t| matches!(t.norm.as_str(), "who" | "which" | "whose"))
        {
            f.add(&["appos_rel=", side]);
        }
    }
    if doc.tokens[c.toks.clone()].iter().any(|t| t.norm == "of") {
        f.add(&["has_of=", side]);
    }
    // The mention ends in a prepositional phrase ("Del. Nora Quist of the Amber Islands",
    // "Cal Renner for Evening Ledger", "the Fair Trade Council in 2015"): which
    // preposition, after what.
    if let Some(k) = (c.toks.start + 1..c.toks.end)
        .rev()
        .find(|&k| word_in(&PREPOSITIONS, doc.tokens[k].norm.as_str()))
    {
        let prep = doc.tokens[k].norm.as_str();
        f.add(&["tail_prep=", side, prep, "|", doc.shape(k - 1)]);
        f.add(&["tail_prep_len=", side, DIGITS[(c.toks.end - k - 1).min(6)]]);
    }
    // A passive cue's subject is what was said or done, not who said it ("Mr. Quiros was
    // accused of", "Pence was dubbed the winner", "Marden is supported by fewer papers").
    if let Some(head) = sc.passive {
        f.add_kept(k_passive, &["passive=", side]);
        f.add_kept(k_passive_cue, &["passive|cue=", head, "|", side]);
    }
    if doc.tokens[c.toks.clone()]
        .iter()
        .all(|t| doc.shape_of(t) != "x")
    {
        f.add(&["allcap=", side, len_s]);
    }
}

const DIGITS: [&str; 7] = ["0", "1", "2", "3", "4", "5", "6"];

/// Prepositions that open a phrase after a mention.
const PREPOSITIONS: WordList = WordList::new(&[
    "at", "in", "on", "for", "of", "from", "with", "under", "like", "unlike", "during", "after",
    "before", "despite", "amid", "since", "without", "by",
]);

/// Forms of "be" that make a passive with a participle.
const BE_FORMS: WordList = WordList::new(&["is", "are", "was", "were", "be", "been", "being"]);

/// Irregular participles a passive cue may have.
const IRREGULAR_PARTICIPLES: WordList = WordList::new(&[
    "told", "said", "thought", "held", "made", "seen", "known", "brought", "taught", "sought",
    "heard", "shown", "given", "taken", "written", "spoken", "chosen", "left", "met", "put",
]);

/// The participle of a passive cue ("was accused of", "has been called", "is expected"): the
/// first word of the cue that is not an auxiliary or an adverb, when a form of "be" goes before
/// it inside the cue or just before it.
fn passive_head<'a>(doc: &'a DocView, cue: &Range<usize>) -> Option<&'a str> {
    let h = cue_head(doc, cue);
    let head = doc.tokens[h].norm.as_str();
    let participle = (head.len() > 4 && (head.ends_with("ed") || head.ends_with("en")))
        || word_in(&IRREGULAR_PARTICIPLES, head);
    if !participle {
        return None;
    }
    let mut k = h;
    while k > 0 && k + 4 > h {
        k -= 1;
        let n = doc.tokens[k].norm.as_str();
        if word_in(&BE_FORMS, n) {
            return Some(head);
        }
        let adverb = n.len() > 4 && n.ends_with("ly");
        if !(adverb || word_in(&CUE_LEFT_WORDS, n)) {
            return None;
        }
    }
    None
}

impl DocView<'_> {
    fn shape_of(&self, t: &Token) -> &'static str {
        let o = &self.text[t.span.clone()];
        match o.chars().next() {
            Some(c) if c.is_uppercase() => "Xx",
            Some(c) if c.is_lowercase() => "x",
            _ => "p",
        }
    }
}

/// The kinds of content candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentKind {
    /// From after the cue (and a source after it) to the end of the sentence.
    After,
    /// From the start of the sentence to before the source (or cue).
    Before,
    /// The quotation nearest the cue in its sentence.
    Quote,
    /// `After`, cut before a comma that opens another clause (", but", ", arguing", ", who").
    AfterCut,
    /// `After`, starting at a "that" after a comma ("said in Toledo, Ohio, that ...").
    AfterThat,
}

const CUT_WORDS: WordList = WordList::new(&[
    "but",
    "and",
    "arguing",
    "saying",
    "adding",
    "who",
    "which",
    "while",
    "as",
    "although",
    "though",
    "noting",
    "calling",
    "because",
    "since",
    "after",
    "before",
    "when",
    "where",
    "even",
    "according",
    "citing",
    "warning",
    "insisting",
    "suggesting",
    "claiming",
    "including",
    "or",
]);

/// Words before which a content after its cue may end without a comma.
const SOFT_CUTS: WordList = WordList::new(&[
    "in", "on", "at", "during", "after", "before", "because", "while", "although", "though",
    "when", "as", "since", "if", "until", "despite", "amid", "without",
]);

/// A content candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentCand {
    /// Tokens.
    pub toks: Range<usize>,
    /// Kind.
    pub kind: ContentKind,
}

fn trim_range(doc: &DocView, mut r: Range<usize>) -> Range<usize> {
    // Parentheses the range does not pair: "(" opening more than close, ")" closing more than
    // open ("(… he said, not guilty.)").
    let parens = |r: &Range<usize>| {
        doc.tokens[r.clone()]
            .iter()
            .fold((0usize, 0usize), |(o, c), t| match t.norm.as_str() {
                "(" => (o + 1, c),
                ")" => (o, c + 1),
                _ => (o, c),
            })
    };
    // Leading separators and unpaired "(", trailing sentence punctuation, commas (not after a
    // closing quote) and unpaired ")".
    while r.start < r.end {
        let n = doc.tokens[r.start].norm.as_str();
        let strip = match n {
            "," | ":" | "—" | "–" | "-" => true,
            "(" => {
                let (o, c) = parens(&r);
                o > c
            }
            _ => false,
        };
        if !strip {
            break;
        }
        r.start += 1;
    }
    while r.start < r.end {
        let n = doc.tokens[r.end - 1].norm.as_str();
        let strip = match n {
            "." | "," | ";" | ":" | "—" | "–" | "-" => true,
            ")" => {
                let (o, c) = parens(&r);
                c > o
            }
            _ => false,
        };
        if !strip {
            break;
        }
        r.end -= 1;
    }
    r
}

/// Words that open a sentence as a connective: never a content on their own, and not its
/// subject.
const CONNECTIVES: WordList = WordList::new(&[
    "now",
    "but",
    "and",
    "or",
    "yet",
    "so",
    "instead",
    "still",
    "however",
    "meanwhile",
    "also",
    "then",
    "though",
    "otherwise",
    "(",
    ")",
]);

/// Candidate contents for a cue with an optional source.
pub fn content_candidates(
    doc: &DocView,
    cue: &Range<usize>,
    source: Option<&SourceCand>,
) -> Vec<ContentCand> {
    let sent = doc.sent_of(cue);
    let mut out = Vec::new();
    let after_start = match source {
        Some(s) if !s.before => s.toks.end,
        _ => cue.end,
    };
    let after = trim_range(doc, after_start..sent.end);
    if !after.is_empty() {
        // Cut before a clause boundary outside quotation marks: a comma, a dash, or "and" /
        // "but" with no comma before them ("… mishandled the inquiry and the guild …").
        let mut cuts = 0;
        let mut soft = 0;
        for k in after.start + 1..after.end.min(after.start + 400) {
            if cuts == 4 {
                break;
            }
            if doc.in_quote[k] {
                continue;
            }
            let w = doc.tokens[k].norm.as_str();
            let cut = match w {
                "," | "—" | "–" | ";" => true,
                "and" | "but" => k > after.start + 2 && doc.tokens[k - 1].norm != ",",
                _ => false,
            };
            // Before a preposition or subordinator with no comma ("… would stay | in the race",
            // "… was wrong | because …"): the model weighs these by the word.
            let soft_cut = !cut
                && soft < 3
                && k > after.start + 3
                && word_in(&SOFT_CUTS, w)
                && !clause_break(doc.tokens[k - 1].norm.as_str());
            if cut || soft_cut {
                let r = trim_range(doc, after.start..k);
                if !r.is_empty() && !time_only(doc, r.clone()) {
                    out.push(ContentCand {
                        toks: r,
                        kind: ContentKind::AfterCut,
                    });
                    if cut {
                        cuts += 1;
                    } else {
                        soft += 1;
                    }
                }
            }
        }
        // "that" after a comma ("said in Toledo, Ohio, that …") or after an addressee ("told
        // reporters that …").
        let near = after.end.min(after.start + 8);
        if let Some(k) = (after.start + 1..after.end).find(|&k| {
            doc.tokens[k].norm == "that"
                && !doc.in_quote[k]
                && (doc.tokens[k - 1].norm == "," || k < near)
        }) {
            out.push(ContentCand {
                toks: k..after.end,
                kind: ContentKind::AfterThat,
            });
        }
        // Not the time of a reporting clause that ends its sentence ("…, its board announced
        // late Saturday.").
        if !time_only(doc, after.clone()) {
            out.push(ContentCand {
                toks: after,
                kind: ContentKind::After,
            });
        }
    }
    let before_end = match source {
        Some(s) if s.before => s.toks.start,
        _ => cue.start,
    };
    let before = trim_range(doc, sent.start..before_end);
    // Not a sentence's opening connective alone ("But he added, “…”"): PolNeAR train has no
    // content that is one of these words.
    if !before.is_empty()
        && !before
            .clone()
            .all(|i| word_in(&CONNECTIVES, doc.tokens[i].norm.as_str()))
    {
        out.push(ContentCand {
            toks: before,
            kind: ContentKind::Before,
        });
    }
    // Quotations inside the sentence: maximal runs of in-quote tokens.
    // (Within 400 tokens of the cue: a sentence of a million words costs no more per cue.)
    let hi = sent.end.min(cue.end + 400);
    let mut i = sent.start.max(cue.start.saturating_sub(400));
    let mut best: Option<Range<usize>> = None;
    while i < hi {
        if doc.in_quote[i] {
            let s = i;
            while i < hi && doc.in_quote[i] {
                i += 1;
            }
            let r = s..i;
            let dist = |r: &Range<usize>| {
                if r.end <= cue.start {
                    cue.start - r.end
                } else {
                    r.start.saturating_sub(cue.end)
                }
            };
            if r.len() > 2 && best.as_ref().is_none_or(|b| dist(&r) < dist(b)) {
                best = Some(r);
            }
        } else {
            i += 1;
        }
    }
    if let Some(q) = best {
        if !out.iter().any(|c| c.toks == q) && (q.end <= cue.start || q.start >= cue.end) {
            out.push(ContentCand {
                toks: q,
                kind: ContentKind::Quote,
            });
        }
    }
    out
}

/// Features of a content candidate.
pub fn content_features(
    doc: &DocView,
    cue: &Range<usize>,
    source: Option<&SourceCand>,
    c: &ContentCand,
) -> Vec<String> {
    let mut f = Vec::new();
    content_features_into(doc, cue, source, c, &mut f);
    f
}

/// [`content_features`] into `f`.
pub fn content_features_into(
    doc: &DocView,
    cue: &Range<usize>,
    source: Option<&SourceCand>,
    c: &ContentCand,
    f: &mut impl FeatureOut,
) {
    let sent = &doc.sent_of(cue);
    let k = match c.kind {
        ContentKind::After => "A",
        ContentKind::Before => "B",
        ContentKind::Quote => "Q",
        ContentKind::AfterCut => "C",
        ContentKind::AfterThat => "T",
    };
    let cue_w = &doc.tokens[cue.start..cue.end]
        .iter()
        .map(|t| t.norm.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let src = match source {
        None => "none",
        Some(s) if s.before => "before",
        Some(_) => "after",
    };
    let len = match c.toks.len() {
        0..=2 => "s",
        3..=6 => "m",
        7..=15 => "l",
        _ => "xl",
    };
    let first = doc.tokens[c.toks.start].norm.as_str();
    let nw1 = doc.norm(cue.end as isize, sent);
    let pw1 = doc.norm(cue.start as isize - 1, sent);
    let rest_punct = doc.tokens[cue.end..sent.end].iter().all(|t| t.is_punct())
        || source.is_some_and(|s| {
            !s.before
                && doc.tokens[s.toks.end..sent.end]
                    .iter()
                    .all(|t| t.is_punct())
        });
    f.add(&["kind=", k]);
    f.add(&["kind|cue=", k, "|", cue_w]);
    f.add(&["kind|src=", k, "|", src]);
    f.add(&["kind|len=", k, "|", len]);
    f.add(&["kind|first=", k, "|", first]);
    f.add(&["kind|nw1=", k, "|", nw1]);
    f.add(&["kind|pw1=", k, "|", pw1]);
    f.add(&["kind|cue_at_end=", k, "|", bool_str(rest_punct)]);
    f.add(&[
        "kind|startq=",
        k,
        "|",
        bool_str(is_quote(doc.q(c.toks.start)) || is_open_quote(doc.q(c.toks.start))),
    ]);
    f.add(&["kind|inq=", k, "|", bool_str(doc.in_quote[cue.start])]);
    if c.toks.start == sent.start {
        f.add(&["kind|sent_start=", k]);
    }
    if c.kind == ContentKind::AfterCut {
        let cutp = doc.norm(c.toks.end as isize, sent);
        let cutw = doc.norm(c.toks.end as isize + 1, sent);
        f.add(&["cutp=", cutp]);
        f.add(&["cutw=", cutp, "|", cutw]);
        f.add(&["cutw|cue=", cutw, "|", cue_w]);
        if word_in(&CUT_WORDS, cutw) {
            f.add(&["cutw_clause=", cutp]);
        }
        let rest = sent.end.saturating_sub(c.toks.end);
        f.add(&["cut_rest=", DIGITS[(rest / 4).min(6)]]);
    }
    if c.toks.end >= sent.end.saturating_sub(1) {
        f.add(&["kind|sent_end=", k]);
    }
}

/// Reusable buffers of [`AttributionModel::predict`].
#[derive(Debug)]
struct PScratch {
    names: NameHasher,
    x: SparseVec,
    probs: Vec<f32>,
    counts: ColumnCounts,
}

impl Predicted {
    /// The tokens from the first to the last of its cue, source and contents.
    pub fn extent(&self) -> Range<usize> {
        let mut e = self.cue.clone();
        for r in self.source.iter().chain(&self.contents) {
            e.start = e.start.min(r.start);
            e.end = e.end.max(r.end);
        }
        e
    }
}

/// A loaded attribution model.
#[derive(Clone, Debug)]
pub struct AttributionModel {
    /// Tells this model's cached columns from another's.
    id: u64,
    file: AttributionModelFile,
    tokenizer: Tokenizer,
    splitter: SentenceSplitter,
    lexicon: CueLexicon,
    cue: LinearModel,
    source: LinearModel,
    content: LinearModel,
    speaker: Option<LinearModel>,
}

/// Buffers of [`AttributionModel::speaker_confidence`]: hashed features, vector, probabilities.
type SpeakerScratch = (Vec<(u64, crate::features::Group)>, SparseVec, Vec<f32>);

/// One predicted attribution with token ranges and probabilities.
#[derive(Clone, Debug)]
pub struct Predicted {
    /// Cue tokens.
    pub cue: Range<usize>,
    /// Cue probability.
    pub cue_p: f32,
    /// Source tokens, if any.
    pub source: Option<Range<usize>>,
    /// Source probability (of the chosen candidate, or of the best rejected one).
    pub source_p: f32,
    /// Content segments (token ranges).
    pub contents: Vec<Range<usize>>,
    /// With explanations on: the features that weighed most for the chosen source.
    pub source_why: Vec<(String, f32)>,
    /// The kind of the first content.
    pub kind: Option<ContentKind>,
    /// What chose the source.
    pub source_rule: SourceRule,
}

/// What chose an attribution's source: the source model, or one of the decoding rules that
/// override it. The speaker-confidence model weighs each differently.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SourceRule {
    /// The source model's best candidate, at or above the threshold (or none).
    #[default]
    Model,
    /// The mention after the cue of an inverted clause ("…, said several officials").
    Inverted,
    /// A participle's subject, or the source of the cue before it in the sentence.
    Participle,
    /// The first verb's subject for a verb after "and" / "but" / "or".
    Coordinated,
    /// The mention after "according to" up to its clause break.
    AccordingTo,
    /// A name right after a quotation's cue, or a mention found by the fallback rules.
    Fallback,
    /// A transcript turn's label, a signed quotation's name, or the main clause's source taken
    /// by an opening participle.
    Layout,
}

impl SourceRule {
    /// A short name (a feature of the speaker-confidence model).
    pub fn as_str(self) -> &'static str {
        match self {
            SourceRule::Model => "model",
            SourceRule::Inverted => "inverted",
            SourceRule::Participle => "participle",
            SourceRule::Coordinated => "coordinated",
            SourceRule::AccordingTo => "according_to",
            SourceRule::Fallback => "fallback",
            SourceRule::Layout => "layout",
        }
    }
}

impl AttributionModel {
    /// Reads a model file.
    pub fn from_path(path: &Path) -> Result<Self> {
        let bytes = crate::model::read_model_bytes(path)?;
        Self::from_bytes(&bytes, path)
    }

    /// Reads a model from bytes; `path` names it in errors. Format and version are checked first.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self> {
        let file: AttributionModelFile = crate::model::parse_model_file(
            bytes,
            path,
            ATTRIBUTION_FORMAT,
            ATTRIBUTION_OLDEST_FORMAT_VERSION..=ATTRIBUTION_FORMAT_VERSION,
            "an attribution model",
        )?;
        Self::from_file(file, path)
    }

    /// Builds the runtime model, validating it.
    pub fn from_file(file: AttributionModelFile, path: &Path) -> Result<Self> {
        let cue = LinearModel::from_data(file.cue.clone(), path)?;
        let source = LinearModel::from_data(file.source.clone(), path)?;
        let content = LinearModel::from_data(file.content.clone(), path)?;
        let speaker = file
            .speaker
            .clone()
            .map(|d| LinearModel::from_data(d, path))
            .transpose()?;
        for m in [&cue, &source, &content]
            .into_iter()
            .chain(speaker.as_ref())
        {
            if m.n_labels() != 2 {
                return Err(Error::Model {
                    path: path.to_owned(),
                    message: format!("attribution models need 2 labels, found {}", m.n_labels()),
                });
            }
        }
        Ok(AttributionModel {
            id: crate::model::new_model_id(),
            tokenizer: Tokenizer::new(file.tokenizer.clone()),
            splitter: SentenceSplitter::new(),
            lexicon: CueLexicon::of_file(&file),
            cue,
            source,
            content,
            speaker,
            file,
        })
    }

    /// The speaker-confidence model's probability that a speaker is right, given its features
    /// (`features` passes each to the function it is given; see
    /// `pipeline::speaker_features_into`); `None` for a model without one (format version 4
    /// and older).
    pub fn speaker_confidence(&self, features: impl FnOnce(&mut dyn FnMut(&str))) -> Option<f32> {
        // Buffers reused from one call to the next on each thread (classify asks once for
        // every sentence with a speaker).
        thread_local! {
            static SCRATCH: std::cell::RefCell<SpeakerScratch> =
                const { std::cell::RefCell::new((Vec::new(), Vec::new(), Vec::new())) };
        }
        let m = self.speaker.as_ref()?;
        let seed = self.file.hash_seed;
        SCRATCH.with_borrow_mut(|(hashed, x, probs)| {
            hashed.clear();
            features(&mut |f| {
                hashed.push((
                    xxh3_64_with_seed(f.as_bytes(), seed),
                    crate::features::Group::Word,
                ))
            });
            m.vectorize(hashed, x);
            m.probabilities_into(x, probs);
            Some(probs[1])
        })
    }

    /// Uses `splitter` to segment documents (e.g. one that joins sentences broken across blank
    /// lines in web captures).
    pub fn with_splitter(mut self, splitter: SentenceSplitter) -> Self {
        self.splitter = splitter;
        self
    }

    /// Writes the model as JSON atomically (temporary file, then rename).
    pub fn write_file(file: &AttributionModelFile, path: &Path) -> Result<()> {
        crate::stance::write_json_atomically(file, path)
    }

    /// The serialized form.
    pub fn file(&self) -> &AttributionModelFile {
        &self.file
    }

    /// Tokenizes and segments a document.
    pub fn view<'a>(&self, text: &'a str) -> DocView<'a> {
        DocView::new(text, &self.tokenizer, &self.splitter)
    }

    /// [`AttributionModel::view`], reusing the buffers of `tokens` (whatever they hold).
    pub fn view_reusing<'a>(&self, text: &'a str, mut tokens: Vec<Token>) -> DocView<'a> {
        self.tokenizer.tokenize_into(text, &mut tokens);
        let sentences = self.splitter.split(text);
        DocView::from_parts(text, tokens, sentences)
    }

    /// The probability of `yes` of model `m` for the features `features` adds.
    fn p_yes(
        &self,
        m: &LinearModel,
        s: &mut PScratch,
        features: impl FnOnce(&mut ColumnHasher),
    ) -> f32 {
        // Columns counted as they come and scored in one pass (`LinearModel::vectorize` and
        // `probabilities` give the same probabilities up to float rounding).
        s.counts.start(m);
        features(&mut ColumnHasher {
            names: &mut s.names,
            model: m,
            counts: &mut s.counts,
        });
        m.probabilities_from_counts(&mut s.counts, None, &mut s.probs);
        s.probs[1]
    }

    /// Predicts the attributions of a document.
    pub fn predict(&self, doc: &DocView) -> Vec<Predicted> {
        self.predict_with(doc, 0)
    }

    /// Predicts the attributions of a document; `explain` > 0 also reports that many weighing
    /// features for each chosen source.
    pub fn predict_with(&self, doc: &DocView, explain: usize) -> Vec<Predicted> {
        let mut h = FeatureHasher::new(self.file.hash_seed);
        let mut ps = PScratch {
            names: NameHasher::new(self.file.hash_seed),
            x: SparseVec::new(),
            probs: Vec::new(),
            // Kept from one document to the next on each thread: the counts, as long as the
            // largest model's columns, are zeroed once, not for each document.
            counts: COUNTS.take(),
        };
        let mut kept = CueKept::default();
        let mut cands: Vec<(f32, Range<usize>)> = CUE_PHRASES.with_borrow_mut(|cache| {
            cache.own(self.id);
            self.lexicon
                .candidates(doc)
                .into_iter()
                .map(|r| {
                    // `cue_features_into`, with the phrase's part from the cache.
                    let p = self.p_yes(&self.cue, &mut ps, |f| {
                        let mut w = CueWords::new(doc, &r);
                        // Cached by the phrase: whether it is known depends on its words alone.
                        cache.add_phrase(&mut w, || self.lexicon.knows(doc, &r), f);
                        w.context_features_kept(doc, &r, &mut kept, f);
                    });
                    (p, r)
                })
                .filter(|(p, _)| *p >= self.file.cue_threshold)
                .collect()
        });
        cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.start.cmp(&b.1.start)));
        let mut taken = vec![false; doc.tokens.len()];
        let mut cues: Vec<(f32, Range<usize>)> = Vec::new();
        for (p, r) in cands {
            if r.clone().any(|i| taken[i]) {
                continue;
            }
            for i in r.clone() {
                taken[i] = true;
            }
            cues.push((p, r));
        }
        cues.sort_by_key(|c| c.1.start);
        drop_cues_in_according_to(doc, &mut cues);
        let mut out = Vec::with_capacity(cues.len());
        for (cue_p, cue) in cues {
            let mut best: Option<(f32, SourceCand)> = None;
            // The best candidate right after the cue.
            let mut best_after: Option<(f32, SourceCand)> = None;
            // The best candidate right after the cue that is an inverted source after the clause
            // it reports ([`inverted_after_clause`]).
            let mut best_inverted: Option<(f32, SourceCand)> = None;
            let sc = SourceCue::new(doc, &cue);
            let mut kept = SourceKept::default();
            let subject_first = subject_before(doc, &cue);
            for c in source_candidates(doc, &cue) {
                if c.toks.clone().any(|i| taken[i]) {
                    continue;
                }
                // "A report published Wednesday said Marr used …", "… and said the ships
                // are safe": what follows the verb is what was said, never who said it.
                if !c.before && !by_agent(doc, &c) && (subject_first || has_clause_verb(doc, &c)) {
                    continue;
                }
                let p = self.p_yes(&self.source, &mut ps, |f| {
                    source_features_kept(doc, &sc, &c, &mut kept, f)
                });
                if !c.before
                    && c.toks.start == cue.end
                    && best_after.as_ref().is_none_or(|b| p > b.0)
                {
                    best_after = Some((p, c.clone()));
                }
                if best_inverted.as_ref().is_none_or(|b| p > b.0)
                    && inverted_after_clause(doc, &cue, &c)
                {
                    best_inverted = Some((p, c.clone()));
                }
                if best.as_ref().is_none_or(|b| p > b.0) {
                    best = Some((p, c));
                }
            }
            let source_p = best.as_ref().map_or(0.0, |b| b.0);
            // "The harbour will close in spring, said several officials.": what the model finds
            // right after the cue is its source, whatever else it prefers.
            let after_clause = best_inverted.is_some();
            let inverted = best_after
                .filter(|b| inverted_cue(doc, &cue, &b.1))
                .map(|b| b.1);
            let mut source_rule = if after_clause {
                SourceRule::Inverted
            } else {
                SourceRule::Model
            };
            let mut source = match best_inverted {
                Some(b) => Some(b.1),
                None => best
                    .filter(|b| b.0 >= self.file.source_threshold)
                    .map(|b| b.1),
            };
            // The subject of a passive cue is what it is about, not who says it ("Two of the
            // pilots have been identified as …", "Tamm is accused of …"): PolNeAR train has
            // such a cue without a source 309 times, with its agent after it 101, with its
            // subject 137.
            if passive_head(doc, &cue).is_some_and(|h| !word_in(&ATTITUDES, h))
                && source.as_ref().is_some_and(|s| s.before)
            {
                source = None;
            }
            let cue = match source.as_mut() {
                Some(s) => split_contraction(doc, s, cue),
                None => cue,
            };
            let mut raised = false;
            let participle = is_participle(doc, &cue);
            if participle {
                // Its subject is in its own sentence: the source of the cue before it, or the
                // model's choice, never a source from another sentence.
                source = previous_in_sentence(doc, &cue, &out)
                    .or(source)
                    .or_else(|| sentence_subject(doc, &cue));
                source_rule = SourceRule::Participle;
            } else if let Some(subject) = participle_clause_subject(doc, &cue, source.as_ref()) {
                source = Some(subject);
                source_rule = SourceRule::Participle;
            } else if hearsay_adverb(doc, &cue)
                && doc
                    .tokens
                    .get(cue.end)
                    .is_none_or(|t| !self.lexicon.is_head(&t.norm))
            {
                // Not before a reporting verb ("Kessel reportedly told aides"): its subject
                // is the source.
                source = None;
            } else if raising(doc, &cue) {
                // "Melania seems to have vanished", "Marden is expected to speak": the subject
                // is not a source (PolNeAR train: "seem" 107 times without a source, 32 with;
                // "appear" 87 / 24; "expected" 82 / 9).
                source = None;
                raised = !impersonal(doc, &cue);
            } else if source.is_none() && subject_first && coordinated(doc, &cue) {
                // "Velin toured the quay and said …": the first verb's subject.
                source = previous_in_sentence(doc, &cue, &out)
                    .filter(|s| s.before)
                    .or_else(|| sentence_subject(doc, &cue))
                    .or_else(|| fallback_source(doc, &cue, &out));
                source_rule = SourceRule::Coordinated;
            } else if source.is_none() && is_according_to(doc, &cue) {
                // "According to the pilot on duty at the north quay that night, …": what follows
                // to the clause break, however unsure the model is of a long mention.
                source = according_to_source(doc, &cue);
                source_rule = SourceRule::AccordingTo;
            } else if source.is_none() && passive_head(doc, &cue).is_none() {
                // A passive cue with no agent has no source ("Ronald Reagan was once asked").
                // A name right after the cue that follows a quotation ("…,” said Ivo Marsk,
                // who …") is its source, however unsure the model is of an unseen name.
                source = inverted.or_else(|| fallback_source(doc, &cue, &out));
                source_rule = SourceRule::Fallback;
            }
            if let Some(s) = source.as_mut() {
                according_to_clause(doc, s, &cue);
                whole_noun_phrase(doc, s, &cue, &taken);
                drop_adverbial(doc, s, &cue);
                drop_discourse_tail(doc, s);
                drop_occasion(doc, s);
                drop_gap(doc, s, &cue);
            }
            let source_why = match &source {
                Some(c) if explain > 0 => {
                    source_features_into(doc, &cue, c, &mut h);
                    self.source.vectorize(&h.feats, &mut ps.x);
                    h.clear();
                    self.source.explain(&ps.x, 1, explain)
                }
                _ => Vec::new(),
            };
            let mut content: Option<(f32, ContentCand)> = None;
            // The best content after the cue: a participle's content, a raising cue's complement
            // (not a quotation).
            let mut after: Option<(f32, ContentCand)> = None;
            // The best content after the cue that opens with a quotation mark.
            let mut quote_after: Option<(f32, ContentCand)> = None;
            // The best content that is not the words before the cue.
            let mut not_before: Option<(f32, ContentCand)> = None;
            for c in content_candidates(doc, &cue, source.as_ref()) {
                let p = self.p_yes(&self.content, &mut ps, |f| {
                    content_features_into(doc, &cue, source.as_ref(), &c, f)
                });
                if (participle || (raised && c.kind != ContentKind::Quote))
                    && c.toks.start >= cue.end
                    && after.as_ref().is_none_or(|b| p > b.0)
                {
                    after = Some((p, c.clone()));
                }
                if c.toks.start >= cue.end
                    && doc.opens_quote(c.toks.start)
                    && quote_after.as_ref().is_none_or(|b| p > b.0)
                {
                    quote_after = Some((p, c.clone()));
                }
                if c.kind != ContentKind::Before && not_before.as_ref().is_none_or(|b| p > b.0) {
                    not_before = Some((p, c.clone()));
                }
                if content.as_ref().is_none_or(|b| p > b.0) {
                    content = Some((p, c));
                }
            }
            // The cue with its source, when the source is in its sentence (not one carried over
            // from an earlier attribution).
            let block = match &source {
                Some(s) if doc.tok_sent[s.toks.start] == doc.tok_sent[cue.start] => {
                    s.toks.start.min(cue.start)..s.toks.end.max(cue.end)
                }
                _ => cue.clone(),
            };
            // "…,” she added, underscoring the appeal of …": a participle after a comma says what
            // follows it (PolNeAR train: 648 times of 652).
            // Not an opening phrase that only says when or where ("In 2010 | she said of …").
            if content
                .as_ref()
                .is_some_and(|(_, c)| c.kind == ContentKind::Before && opening_phrase(doc, &c.toks))
                && not_before.is_some()
            {
                content = not_before.clone();
            }
            let participle_after = participle && after.is_some();
            if participle_after {
                content = after.clone();
            } else if let Some(c) = after_clause.then(|| clause_before(doc, &cue)).flatten() {
                content = Some((0.0, c));
            } else if let Some(b) = quoted_before(doc, &block, &content) {
                content = Some(b);
            } else if let Some(q) = quoted_after(doc, &block, &content, &quote_after) {
                content = Some(q);
            }
            if content.is_none() {
                content = neighbour_quote(doc, &cue, &taken).map(|toks| {
                    (
                        0.0,
                        ContentCand {
                            toks,
                            kind: ContentKind::Quote,
                        },
                    )
                });
            }
            let mut contents = Vec::new();
            let mut kind = None;
            if let Some((_, mut c)) = content {
                kind = Some(c.kind);
                let other = if participle_after || after_clause {
                    None
                } else {
                    other_half(doc, &c.toks, &block, &taken)
                };
                close_quote(doc, &mut c.toks);
                open_quote(doc, &mut c.toks, &taken);
                block_after_colon(doc, &cue, &mut c.toks);
                contents.push(c.toks.clone());
                if let Some(o) = other {
                    contents.push(o);
                }
                contents.sort_by_key(|r| r.start);
                let last = contents[contents.len() - 1].clone();
                // Quotations that open the next sentences go on what was said, when it was a
                // quotation or has a source (dev: speaker F1 67.8 -> 67.9 over always).
                if source.is_some() || last.clone().any(|i| is_quote(doc.q(i))) {
                    extend_quote(doc, &last, &cue, &taken, &mut contents);
                }
            }
            if let (true, Some((_, a))) = (raised, after.map(|(p, c)| (p, c.toks))) {
                // What a raising cue says is its subject and its complement ("The new rules |
                // appear | to have calmed the quay"): PolNeAR train gives both halves
                // 200 of the 220 times such a cue has no source and a content.
                if let Some(s) = raised_subject(doc, &cue, &taken) {
                    contents = vec![s, a];
                }
            }
            if page_label(doc, &cue, source.as_ref()) || adverb_label(doc, &cue) {
                continue;
            }
            out.push(Predicted {
                cue,
                cue_p,
                source: source.map(|s| s.toks),
                source_p,
                contents,
                source_why,
                kind,
                source_rule,
            });
        }
        opening_participles(doc, &mut out);
        as_clauses(doc, &mut out);
        transcript_turns(doc, &mut out);
        signed_quotes(doc, &mut out);
        uncross(doc, &mut out);
        stop_at_next_clause(doc, &mut out);
        // Outer attributions before those nested in them (pre-order of their extents), so that
        // where two cover a sentence as much, the reporting one speaks it (a signed quotation
        // before a cue inside it). Dev: speaker 73.8 -> 73.9.
        out.sort_by_key(|p| {
            let e = p.extent();
            (e.start, std::cmp::Reverse(e.end), p.cue.start)
        });
        // Left empty (all counts zero) by every scoring.
        COUNTS.set(ps.counts);
        out
    }

    /// Predicts and converts to character spans.
    pub fn attributions(&self, doc: &DocView) -> Vec<Attribution> {
        self.predict(doc)
            .iter()
            .map(|p| to_attribution(doc, p))
            .collect()
    }
}

/// The source after "according to" runs to the next clause break ("According to Dorrow
/// harbour reports, …", not "Dorrow"): so it does in PolNeAR train 384 times of 402.
fn according_to_clause(doc: &DocView, s: &mut SourceCand, cue: &Range<usize>) {
    if !is_according_to(doc, cue) || s.before || s.toks.start != cue.end {
        return;
    }
    let sent = doc.sent_of(cue);
    let hi = sent.end.min(s.toks.start + 16);
    let stop = (s.toks.end..hi).find(|&k| clause_break(doc.q(k)));
    let Some(stop) = stop.or((sent.end <= hi).then_some(sent.end)) else {
        return;
    };
    let r = trim_range(doc, s.toks.start..stop);
    let quoted = r.clone().any(|k| is_quote(doc.q(k)) || doc.in_quote[k]);
    if r.end > s.toks.end && !quoted {
        s.toks = r;
    }
}

/// The mention after "according to" to its clause break ([`according_to_clause`]), when no
/// candidate is sure enough: a single word only if it may be a source.
fn according_to_source(doc: &DocView, cue: &Range<usize>) -> Option<SourceCand> {
    let sent = doc.sent_of(cue);
    if cue.end >= sent.end || doc.in_quote[cue.end] || clause_break(doc.q(cue.end)) {
        return None;
    }
    let mut s = SourceCand {
        toks: cue.end..cue.end + 1,
        before: false,
    };
    according_to_clause(doc, &mut s, cue);
    (s.toks.len() > 1 || plausible_source(doc, &s.toks)).then_some(s)
}

/// Prepositions that continue a noun phrase ("the report of …", "a bridge over the Brenn",
/// "figures compiled by the port board").
pub(crate) const NOUN_PHRASE_PREPOSITIONS: WordList = WordList::new(&[
    "of", "over", "for", "from", "with", "by", "in", "on", "at", "near", "under",
]);

/// Verbs that end a noun phrase: a clause's own verb ("Even the port board has been slow in its
/// review of").
pub(crate) const CLAUSE_VERBS: WordList = WordList::new(&[
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did",
    "will", "would", "can", "could", "should", "may", "might", "must", "said", "says", "say",
    "told", "tells",
]);

/// Whether token `k` reads as a verb in the past: a word written in lowercase that ends in
/// "-ed" (five letters or more) or is an irregular participle ("huddled", "met").
fn past_form(doc: &DocView, k: usize) -> bool {
    let n = doc.q(k);
    !doc.text[doc.tokens[k].span.clone()].starts_with(char::is_uppercase)
        && ((n.len() > 4 && n.ends_with("ed")) || word_in(&IRREGULAR_PARTICIPLES, n))
}

/// A source right before its cue that follows a preposition is the object of that preposition,
/// and the subject is the whole noun phrase: "the report of the closure of a bridge over the
/// Brenn | further shows …", not "the Brenn"; "Figures compiled by the port board | show …". The
/// phrase runs back to its clause's start (the sentence's, or a comma's or other clause break's)
/// over at most 20 tokens, with no verb of a clause of its own. A capitalised word before a past
/// verb is taken for a name ("Velin met with …"), so a sentence's first word is too ("Figures
/// compiled by …" stays short). In PolNeAR train half B (half-A model), 39 of the 93 such
/// sources whose cue gold has start earlier in gold and 2 later; the rule extends 16 (source
/// exact F1 66.3 -> 66.4; dev unchanged).
fn whole_noun_phrase(doc: &DocView, s: &mut SourceCand, cue: &Range<usize>, taken: &[bool]) {
    if !s.before || s.toks.end != cue.start || s.toks.start == 0 {
        return;
    }
    // Over an article the mention left out ("the statement from the | US highlights").
    let article = matches!(doc.q(s.toks.start - 1), "the" | "a" | "an");
    let prep = s.toks.start - 1 - usize::from(article && s.toks.start > 1);
    let sent = doc.sent_of(cue);
    if prep <= sent.start || !word_in(&NOUN_PHRASE_PREPOSITIONS, doc.q(prep)) {
        return;
    }
    let lo = sent.start.max(s.toks.end.saturating_sub(20));
    let mut start = prep;
    while start > lo && !clause_break(doc.q(start - 1)) {
        start -= 1;
    }
    if start == lo && lo > sent.start && !clause_break(doc.q(lo - 1)) {
        // Longer than 20 tokens.
        return;
    }
    let opens = doc.q(start);
    let capital = |k: usize| doc.text[doc.tokens[k].span.clone()].starts_with(char::is_uppercase);
    // A verb in the past ("huddled", "met"), after a name or opening the phrase ("followed by
    // a clip of"), or in "-ing" anywhere ("careening from …"), makes it a clause.
    let past = |k: usize| past_form(doc, k);
    let gerund = |k: usize| {
        let n = doc.q(k);
        !capital(k) && n.len() > 4 && n.ends_with("ing")
    };
    if start == prep
        || word_in(&NOT_SOURCE_START, opens)
        || word_in(&CONNECTIVES, opens)
        || opens == "along"
        || past(start)
        || (start..prep).any(|k| {
            taken[k]
                || doc.in_quote[k] != doc.in_quote[prep]
                || word_in(&CLAUSE_VERBS, doc.q(k))
                || !doc.q(k).chars().any(char::is_alphanumeric)
                || gerund(k)
                || (k > start && capital(k - 1) && past(k))
        })
    {
        return;
    }
    s.toks = start..s.toks.end;
}

/// Whether tokens `r` are the cue "according to".
fn is_according_to(doc: &DocView, r: &Range<usize>) -> bool {
    r.len() == 2 && doc.tokens[r.start].norm == "according" && doc.tokens[r.start + 1].norm == "to"
}

/// No cue that ends the mention after "according to" (`According to Dorrow reports, …`:
/// "reports" is the source's noun, not a verb); a verb inside it stays ("according to a
/// filing made by the port's lawyers").
fn drop_cues_in_according_to(doc: &DocView, cues: &mut Vec<(f32, Range<usize>)>) {
    let ends: Vec<usize> = cues
        .iter()
        .map(|c| &c.1)
        .filter(|r| is_according_to(doc, r))
        .map(|r| r.end)
        .collect();
    if ends.is_empty() {
        return;
    }
    cues.retain(|(_, r)| {
        !ends.iter().any(|&e| {
            let sent = doc.sent_of(r);
            e <= r.start
                && r.start - e <= 4
                && doc.tok_sent[e] == doc.tok_sent[r.start]
                && !(e..r.start).any(|k| clause_break(doc.q(k)))
                && (r.end >= sent.end || doc.q(r.end) == "." || clause_break(doc.q(r.end)))
        })
    });
}

/// A content after its cue stops at a comma that opens another attribution's clause: before its
/// source ("Lee pledged to work with both groups, | Ortiz insisted that …") or, with its
/// source elsewhere, before its cue ("Graham, who says allies should send troops, | tweeted
/// …", "… released an ad, | questioning …"). A gold content in PolNeAR train never goes on
/// (it stops there 1,781 and 624 times); ours went on 269 times (second kind) on train.
fn stop_at_next_clause(doc: &DocView, out: &mut [Predicted]) {
    // Where each attribution's clause may open: its source before its cue (true), its cue.
    let mut opens: Vec<(usize, usize, bool)> = Vec::with_capacity(2 * out.len());
    for (i, p) in out.iter().enumerate() {
        opens.push((p.cue.start, i, false));
        if let Some(s) = p.source.as_ref().filter(|s| s.end <= p.cue.start) {
            opens.push((s.start, i, true));
        }
    }
    opens.sort_unstable();
    let comma = |k: usize| !doc.in_quote[k] && matches!(doc.tokens[k].norm.as_str(), "," | ";");
    for a in 0..out.len() {
        let acue = out[a].cue.clone();
        let sent = doc.sent_toks[doc.tok_sent[acue.start]].clone();
        for ci in 0..out[a].contents.len() {
            let c = out[a].contents[ci].clone();
            // In the cue's sentence, after the cue.
            if c.start < acue.end || c.start >= sent.end {
                continue;
            }
            let end = c.end.min(sent.end);
            let from = opens.partition_point(|&(k, _, _)| k <= c.start + 1);
            let cut = opens[from..]
                .iter()
                .take_while(|&&(k, _, _)| k < end)
                .filter(|&&(_, b, _)| b != a && out[b].cue.end <= end)
                .find_map(|&(k, b, source)| {
                    if source {
                        if comma(k - 1) {
                            Some(k - 1)
                        } else if matches!(doc.tokens[k - 1].norm.as_str(), "and" | "but")
                            && comma(k - 2)
                        {
                            Some(k - 2)
                        } else {
                            None
                        }
                    } else {
                        // Its source, if any, is not in the content (else the source decides).
                        let inside = out[b]
                            .source
                            .as_ref()
                            .is_some_and(|s| s.start > c.start && s.start < k);
                        (!inside && comma(k - 1)).then_some(k - 1)
                    }
                });
            if let Some(k) = cut {
                out[a].contents[ci] = trim_range(doc, c.start..k);
            }
        }
        out[a].contents.retain(|c| !c.is_empty());
    }
}

/// Two attributions whose contents hold each other's cues cross ("Halvard plans to visit
/// Dorrow on Sunday, according to a tour aide": "plans" took "to visit …, according to a
/// tour aide" and "according to" took "Halvard plans …"). The one whose content goes before
/// its cue reports the other, whose content then stops before that one's source and cue.
fn uncross(doc: &DocView, out: &mut [Predicted]) {
    for b in 0..out.len() {
        let bcue = out[b].cue.clone();
        // Only a reporting clause that ends its sentence ("…, according to a tour aide.").
        let sent = &doc.sent_toks[doc.tok_sent[bcue.start]];
        let bend = out[b]
            .source
            .as_ref()
            .map_or(bcue.end, |s| s.end.max(bcue.end));
        let at_end = time_only(doc, bend..sent.end);
        if !at_end || !out[b].contents.iter().any(|c| c.end <= bcue.start) {
            continue;
        }
        let block = out[b]
            .source
            .as_ref()
            .map_or(bcue.start, |s| s.start.min(bcue.start));
        for a in 0..out.len() {
            let acue = out[a].cue.start;
            let crossed = a != b
                && out[a].cue_p < out[b].cue_p
                && out[a].contents.iter().any(|c| c.contains(&bcue.start))
                && out[b].contents.iter().any(|c| c.contains(&acue));
            if !crossed {
                continue;
            }
            for c in out[a]
                .contents
                .iter_mut()
                .filter(|c| c.contains(&bcue.start))
            {
                c.end = block.max(c.start);
                while c.end > c.start && matches!(doc.tokens[c.end - 1].norm.as_str(), "," | "-") {
                    c.end -= 1;
                }
            }
            out[a].contents.retain(|c| !c.is_empty());
        }
    }
}

/// A reporting clause with "as" that opens its sentence ("As Mr. Tarr observed, in the early
/// days …", "But, as Mr. Dunn said, ''At a certain point …''"): what was said is the rest of
/// the sentence after its comma. Sentence attributed / speaker F1: PolNeAR dev 85.3 / 76.1 ->
/// 85.3 / 76.1 (+1 right speaker, +1 wrong), train 85.7 / 74.1 -> 85.7 / 74.2 (+14), train half B
/// with a model fitted on half A only 82.5 / 71.0 -> 82.5 / 71.0 (+6, +1 false positive).
fn as_clauses(doc: &DocView, out: &mut [Predicted]) {
    for p in out.iter_mut() {
        let cue = p.cue.clone();
        let sent = doc.sent_toks[doc.tok_sent[cue.start]].clone();
        let Some(src) = p.source.clone() else {
            continue;
        };
        if src.end != cue.start
            || src.start == 0
            || src.start < sent.start + 1
            || src.start > sent.start + 3
            || doc.tokens[src.start - 1].norm != "as"
            || cue.end >= sent.end
            || doc.tokens[cue.end].norm != ","
        {
            continue;
        }
        let rest = trim_range(doc, cue.end + 1..sent.end);
        if !rest.is_empty() && p.contents.iter().all(|c| c.end <= rest.end) {
            p.contents = vec![rest];
        }
    }
}

/// A participle clause that opens its sentence before a reported clause ("Pointing to a new
/// crane on the quay, Velin noted that …", "Speaking on radio show …, Marsk said …"): what it
/// says stops at the comma that closes it, and its speaker is the source of the cue after that
/// comma, so that the sentence goes to the main clause's cue. Also "Asked about …, Feinstein
/// said". Sentence speaker F1: PolNeAR dev 76.0 -> 76.1, train 73.8 -> 73.9 (+11 sentences),
/// train half B with a model fitted on half A only 70.6 -> 70.7; the other figures no lower.
fn opening_participles(doc: &DocView, out: &mut [Predicted]) {
    for a in 0..out.len() {
        let cue = out[a].cue.clone();
        let sent = &doc.sent_toks[doc.tok_sent[cue.start]];
        let head = doc.tokens[cue.start].norm.as_str();
        let opening =
            (head.len() > 4 && head.ends_with("ing") && head != "according") || head == "asked";
        if cue.start != sent.start || !opening {
            continue;
        }
        // The comma that closes it, also inside the quotation it ends with ("Citing
        // “obligations at home,” the spokeswoman said"): the content ends at `comma`.
        let Some(comma) = (cue.end..sent.end).find_map(|k| {
            if doc.tokens[k].norm != "," {
                None
            } else if !doc.in_quote[k] {
                Some(k)
            } else {
                (k + 1 < sent.end && (is_quote(doc.q(k + 1)) || is_close_quote(doc.q(k + 1))))
                    .then_some(if doc.qpair[k + 1] == 1 { k + 3 } else { k + 2 })
            }
        }) else {
            continue;
        };
        // The cue of the main clause, with a source in the sentence.
        let Some(main) = (0..out.len()).find(|&b| {
            out[b].cue.start >= comma
                && out[b].cue.start < sent.end
                && out[b]
                    .source
                    .as_ref()
                    .is_some_and(|s| s.start >= comma && s.end <= sent.end)
        }) else {
            continue;
        };
        // "Asked about …, X said": PolNeAR gives a sentence-opening "Asked" no source (train:
        // 39 times of 45).
        out[a].source = if head == "asked" {
            None
        } else {
            out[main].source.clone()
        };
        out[a].source_rule = SourceRule::Layout;
        for c in out[a].contents.iter_mut() {
            if c.start < comma {
                c.end = c.end.min(comma);
            }
        }
        out[a].contents.retain(|c| c.end <= comma && !c.is_empty());
    }
}

/// Whether mention `c`, right after cue `cue` that follows a closing quotation mark and a comma,
/// is its source, however unsure the model is of an unseen name or a long description: a
/// capitalised name (`“…,” said Ivo Marsk`), or any mention when the quotation opens the
/// sentence (`“…?” asked a longtime pilot who …`; not `The response, calling it a “major
/// provocation,” signals an escalation`).
fn inverted_cue(doc: &DocView, cue: &Range<usize>, c: &SourceCand) -> bool {
    if c.before || c.toks.start != cue.end || cue.start < 2 {
        return false;
    }
    // The mark's first token: a `''` is two (NYT's `''…,'' said Ivo Marsk`).
    let mark = if doc.qpair[cue.start - 1] == -1 {
        cue.start - 2
    } else {
        cue.start - 1
    };
    if mark == 0 || !is_quote(doc.q(mark)) || !matches!(doc.q(mark - 1), "," | "?" | "!") {
        return false;
    }
    let sent = doc.sent_of(cue);
    capitalised(doc, c.toks.start)
        || (sent.start..cue.start - 1).all(|i| doc.in_quote[i] || doc.opens_quote(i))
}

/// Whether mention `c`, right after cue `cue`, is an inverted source after the clause it
/// reports ("The harbour will close in spring, said several officials.", "…, says Ivo Marsk,
/// a pilot at the port."): the cue is a verb of saying ([`SPEECH_VERBS`]) right after a comma,
/// outside quotation marks, and takes no addressee (not "told"); at least four words come
/// before the comma, with an auxiliary or modal in lowercase before the sentence's first comma
/// (a clause, not "Ivo Marsk, who is 28, said …"); the mention opens with a capital or a
/// determiner (not "he", "that …", "on Saturday") and ends the sentence or is followed by a
/// comma or a relative pronoun. (The model, which seldom saw such a clause end with an unseen
/// name or a long description, may prefer a word before the comma.)
fn inverted_after_clause(doc: &DocView, cue: &Range<usize>, c: &SourceCand) -> bool {
    if c.before || c.toks.start != cue.end || cue.len() != 1 || cue.start == 0 {
        return false;
    }
    let sent = doc.sent_of(cue);
    let comma = cue.start - 1;
    if doc.tokens[comma].norm != ","
        || doc.in_quote[comma]
        || doc.in_quote[cue.start]
        || !word_in(&SPEECH_VERBS, doc.tokens[cue.start].norm.as_str())
        || matches!(
            doc.tokens[cue.start].norm.as_str(),
            "told" | "tells" | "tell"
        )
        || (sent.start..comma)
            .filter(|&i| !doc.tokens[i].is_punct())
            .count()
            < 4
        || doc.opens_quote(sent.start)
        || !plausible_source(doc, &c.toks)
        || word_in(&PRONOUNS, doc.tokens[c.toks.start].norm.as_str())
        || word_in(&TIME_WORDS, doc.tokens[c.toks.start].norm.as_str())
        || !(capitalised(doc, c.toks.start)
            || word_in(&DETERMINERS, doc.tokens[c.toks.start].norm.as_str()))
    {
        return false;
    }
    let first_comma = (sent.start..comma)
        .find(|&i| doc.tokens[i].norm == "," && !doc.in_quote[i])
        .unwrap_or(comma);
    let clause = (sent.start..first_comma).any(|i| {
        word_in(&CLAUSE_VERBS, doc.tokens[i].norm.as_str())
            && doc.text[doc.tokens[i].span.clone()].starts_with(char::is_lowercase)
    });
    if !clause {
        return false;
    }
    match doc.tokens[c.toks.end..sent.end]
        .iter()
        .find(|t| !t.is_punct() || t.norm == ",")
    {
        None => true,
        Some(t) => matches!(t.norm.as_str(), "," | "who" | "which" | "whose"),
    }
}

/// Words that open a mention of people ("several officials", "a pilot", "some Democrats").
const DETERMINERS: WordList = WordList::new(&[
    "a", "an", "the", "several", "some", "many", "most", "other", "others", "one", "two", "three",
    "both", "few", "all", "senior", "top", "former",
]);

/// Whether tokens `r` are a short phrase that opens a sentence with a preposition and holds
/// no verb of a clause ("In 2010", "At the port on Monday").
fn opening_phrase(doc: &DocView, r: &Range<usize>) -> bool {
    r.len() <= 5
        && word_in(&OPENING_PREPOSITIONS, doc.tokens[r.start].norm.as_str())
        && !r
            .clone()
            .any(|i| word_in(&CLAUSE_VERBS, doc.tokens[i].norm.as_str()) || doc.in_quote[i])
}

/// The clause before an inverted cue's comma ([`inverted_after_clause`]).
fn clause_before(doc: &DocView, cue: &Range<usize>) -> Option<ContentCand> {
    let sent = doc.sent_of(cue);
    let toks = trim_range(doc, sent.start..cue.start - 1);
    (!toks.is_empty()).then_some(ContentCand {
        toks,
        kind: ContentKind::Before,
    })
}

/// Participles whose subject holds the attitude or says the words ("Velin is worried that …",
/// "Velin was quoted as saying …"): a passive cue's subject that is its source. PolNeAR train:
/// "said" 25 times, "worried" 5, "concerned" and "divided" 4, "convinced", "outraged",
/// "impressed" and "shocked" 3 each.
const ATTITUDES: WordList = WordList::new(&[
    "said",
    "told",
    "quoted",
    "worried",
    "concerned",
    "convinced",
    "outraged",
    "impressed",
    "shocked",
    "divided",
    "assured",
    "startled",
    "surprised",
    "scared",
    "inclined",
    "tired",
    "focused",
    "aligned",
    "engaged",
    "devoted",
    "poised",
    "determined",
    "committed",
    "opposed",
    "pleased",
    "disappointed",
    "frustrated",
    "upset",
    "interested",
    "persuaded",
    "satisfied",
    "alarmed",
    "troubled",
    "encouraged",
    "dismayed",
    "angered",
    "offended",
    "puzzled",
    "baffled",
    "confused",
    "delighted",
    "thrilled",
    "excited",
    "prepared",
    "agreed",
    "heard",
    "recorded",
]);

/// Verbs of saying whose subject comes before them unless the clause is inverted ("…,” said
/// Velin"; "So says the harbour master"); with [`FINDING_VERBS`], the verbs of
/// [`subject_before`].
const SPEECH_VERBS: WordList = WordList::new(&[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "tell",
    "added",
    "adds",
    "asked",
    "asks",
    "wrote",
    "writes",
    "argued",
    "argues",
    "noted",
    "notes",
    "explained",
    "explains",
    "stated",
    "insisted",
    "insists",
    "claimed",
    "claims",
    "warned",
    "warns",
    "declared",
    "declares",
    "announced",
    "announces",
    "acknowledged",
    "acknowledges",
]);

/// Verbs of reporting a finding, whose subject is often no person ("the survey shows").
const FINDING_VERBS: WordList = WordList::new(&[
    "reported",
    "showed",
    "shows",
    "found",
    "finds",
    "suggested",
    "suggests",
    "concluded",
    "concludes",
    "predicted",
    "predicts",
    "estimated",
    "estimates",
]);

/// Whether a cue is a verb of saying right after a word or a closing parenthesis ("A report
/// published Wednesday said", "Rep. Ilse Marr (D-Vel.) said", "… and said"): its source is
/// before it, or is the agent after "by" of a passive ("was first reported by the Gazette").
/// PolNeAR train has such a verb with its source after it 24 times in 5,126, all but one after
/// "by"; after "and", "but" or "or", 0 times in 134.
fn subject_before(doc: &DocView, cue: &Range<usize>) -> bool {
    let w = doc.tokens[cue.end - 1].norm.as_str();
    if cue.start == 0 || !(word_in(&SPEECH_VERBS, w) || word_in(&FINDING_VERBS, w)) {
        return false;
    }
    let prev = &doc.text[doc.tokens[cue.start - 1].span.clone()];
    (prev == ")" || prev.starts_with(char::is_alphanumeric))
        && !matches!(doc.tokens[cue.start - 1].norm.as_str(), "so" | "thus")
}

/// Whether a candidate after its cue holds a clause's verb before any relative pronoun
/// ("…, said Ivo Marsk's statement didn't help": what was said, not who said it; but "said
/// Velin, who has …").
fn has_clause_verb(doc: &DocView, c: &SourceCand) -> bool {
    for i in c.toks.clone() {
        let n = doc.tokens[i].norm.as_str();
        if matches!(n, "who" | "which" | "that" | "whose") {
            return false;
        }
        // "didn't" is "didn", an apostrophe and "t".
        let negated = matches!(
            n,
            "didn"
                | "doesn"
                | "don"
                | "isn"
                | "wasn"
                | "aren"
                | "weren"
                | "hasn"
                | "haven"
                | "hadn"
                | "won"
                | "wouldn"
                | "couldn"
                | "shouldn"
                | "can"
        ) && doc.tokens.get(i + 2).is_some_and(|t| t.norm == "t")
            && matches!(doc.tokens[i + 1].norm.as_str(), "'" | "’");
        // In lowercase: "Will Doyle" is a name.
        let lower = doc.text[doc.tokens[i].span.clone()].starts_with(char::is_lowercase);
        if lower && (word_in(&CLAUSE_VERBS, n) || negated) {
            return true;
        }
    }
    false
}

/// Whether a cue follows "and", "but" or "or" (a second verb of its subject's).
fn coordinated(doc: &DocView, cue: &Range<usize>) -> bool {
    cue.start > 0
        && matches!(
            doc.tokens[cue.start - 1].norm.as_str(),
            "and" | "but" | "or"
        )
}

/// Whether a candidate is the agent after "by" ([`source_candidates`]).
fn by_agent(doc: &DocView, c: &SourceCand) -> bool {
    c.toks.start > 0 && doc.tokens[c.toks.start - 1].norm == "by"
}

/// When no candidate beside the cue is a source: the source of an attribution in the previous
/// two sentences (a quotation or report that goes on). Measured on PolNeAR dev: sentence speaker
/// F1 52.1 -> 52.6, source exact F1 unchanged; taking the nearest name before the cue instead
/// gave speaker 53.9 but source exact 60.7 -> 58.0.
/// A relative pronoun as a source ("Ilse Marr, who said …") stands for its antecedent beside it
/// and is never another cue's fallback.
fn fallback_source(
    doc: &DocView,
    cue: &Range<usize>,
    previous: &[Predicted],
) -> Option<SourceCand> {
    let si = doc.tok_sent[cue.start];
    previous
        .iter()
        .rev()
        .filter(|p| doc.tok_sent[p.cue.start] + 2 >= si)
        .find_map(|p| p.source.clone().filter(|s| !relative_pronoun(doc, s)))
        .map(|toks| SourceCand { toks, before: true })
}

/// Relative pronouns that can be a source ("Ilse Marr, who said …").
pub(crate) const RELATIVES: WordList = WordList::new(&["who", "which", "that", "whom"]);

/// Whether source tokens `s` are a lone relative pronoun ([`RELATIVES`]).
pub(crate) fn relative_pronoun(doc: &DocView, s: &Range<usize>) -> bool {
    s.len() == 1 && word_in(&RELATIVES, doc.tokens[s.start].norm.as_str())
}

/// Whether the token at `i` is a word in capitals ("PENCE", "O'NEILL", "WALLACE").
fn all_caps_word(doc: &DocView, i: usize) -> bool {
    let t = &doc.text[doc.tokens[i].span.clone()];
    t.chars().filter(|c| c.is_uppercase()).count() >= 2
        && t.chars()
            .all(|c| c.is_uppercase() || matches!(c, '\'' | '’' | '-'))
}

/// The first token of sentence `si` after its opening quotation marks (transcripts in
/// Breitbart's style open every paragraph with one).
fn after_marks(doc: &DocView, si: usize) -> usize {
    let r = &doc.sent_toks[si];
    (r.start..r.end)
        .find(|&k| !is_quote(doc.q(k)))
        .unwrap_or(r.end)
}

/// The speaker label that opens paragraph sentence `si` of a transcript (`"PENCE: Well, …`,
/// `CHRIS WALLACE: …`): the label's tokens and the colon's index.
fn speaker_label(doc: &DocView, si: usize) -> Option<(Range<usize>, usize)> {
    let r = doc.sent_toks[si].clone();
    let start = after_marks(doc, si);
    let mut k = start;
    while k < r.end && k < start + 4 && all_caps_word(doc, k) {
        k += 1;
    }
    let standfirst = (start..k).any(|i| word_in(&NOT_SPEAKER_LABELS, doc.tokens[i].norm.as_str()));
    (k > start && k + 1 < r.end && doc.tokens[k].norm == ":" && !standfirst)
        .then_some((start..k, k))
}

/// Words in capitals before a colon that are no speaker ("BREAKING:", "EDITOR'S NOTE:").
const NOT_SPEAKER_LABELS: WordList = WordList::new(&[
    "breaking",
    "update",
    "updated",
    "updates",
    "watch",
    "exclusive",
    "note",
    "photo",
    "photos",
    "video",
    "videos",
    "live",
    "read",
    "more",
    "related",
    "correction",
    "analysis",
    "opinion",
    "source",
    "sources",
    "warning",
    "alert",
    "transcript",
    "new",
    "editor's",
    "editor’s",
    "see",
    "also",
    "listen",
    "audio",
    "update",
    "developing",
    "just",
    "in",
    "graphic",
    "map",
    "poll",
    "report",
    "fact",
    "check",
    "q",
    "a",
    "tl;dr",
    "ps",
    "p.s",
    "disclaimer",
    "disclosure",
]);

/// Interview transcripts: a paragraph that opens with a speaker label in capitals and a colon is
/// that speaker's turn, with the paragraphs after it that open with no label, up to a
/// parenthesised stage note ("(CROSSTALK.)") or the next label. A turn replaces the model's
/// prediction for the colon, if any; attributions inside the turn stay (nested ones).
fn transcript_turns(doc: &DocView, out: &mut Vec<Predicted>) {
    let n = doc.sentences.len();
    let starts_para =
        |si: usize| si == 0 || doc.sentences[si - 1].paragraph != doc.sentences[si].paragraph;
    // A transcript has turns: at least two labelled paragraphs, none the headline.
    let labelled = (1..n)
        .filter(|&si| starts_para(si) && speaker_label(doc, si).is_some())
        .take(2)
        .count();
    if labelled < 2 {
        return;
    }
    let mut si = 1;
    let mut added = false;
    while si < n {
        let Some((label, colon)) = starts_para(si).then(|| speaker_label(doc, si)).flatten() else {
            si += 1;
            continue;
        };
        let mut contents = Vec::new();
        let mut end = doc.paragraph_end(si);
        let first = trim_range(doc, colon + 1..doc.sent_toks[end].end);
        if !first.is_empty() {
            contents.push(first);
        }
        let mut paras = 0;
        while end + 1 < n && paras < 6 {
            let next = end + 1;
            let r = &doc.sent_toks[next];
            let k = after_marks(doc, next);
            if k >= r.end || doc.tokens[k].norm == "(" || speaker_label(doc, next).is_some() {
                break;
            }
            end = doc.paragraph_end(next);
            let c = trim_range(doc, r.start..doc.sent_toks[end].end);
            if !c.is_empty() {
                contents.push(c);
            }
            paras += 1;
        }
        if !contents.is_empty() {
            out.retain(|p| p.cue != (colon..colon + 1));
            // Another cue's content does not run over a turn's label ("Partial transcript as
            // follows:" is not the speaker of the turns).
            for p in out.iter_mut() {
                p.contents
                    .retain(|c| !(c.start <= label.start && colon < c.end));
            }
            out.push(Predicted {
                cue: colon..colon + 1,
                cue_p: 1.0,
                source: Some(label),
                source_p: 1.0,
                contents,
                source_why: Vec::new(),
                kind: Some(ContentKind::After),
                source_rule: SourceRule::Layout,
            });
            added = true;
        }
        si = end + 1;
    }
    if added {
        out.sort_by_key(|p| p.cue.start);
    }
}

/// Signed quotations: a paragraph that ends with a quotation, a dash and a name (`“… He
/// is our town's worst cook.” ― Ilsa Brandt`: readers' or interviewees' words in a
/// collection, an epigraph) is that person's, the dash its cue. The quotation runs from the
/// paragraph start; attributions inside it stay (nested ones).
fn signed_quotes(doc: &DocView, out: &mut Vec<Predicted>) {
    let para = |i: usize| doc.sentences[doc.tok_sent[i]].paragraph;
    let mut added = false;
    for d in 1..doc.tokens.len() {
        if !matches!(doc.tokens[d].norm.as_str(), "―" | "—" | "–" | "--") {
            continue;
        }
        let mark = doc.q(d - 1);
        if !(is_close_quote(mark) || mark == "\"") || para(d - 1) != para(d) {
            continue;
        }
        // The name: one to five capitalised words or initials up to the paragraph end, and
        // perhaps a full stop.
        let p = para(d);
        let mut end = d + 1;
        while end < doc.tokens.len() && para(end) == p && end - d <= 6 {
            end += 1;
        }
        if end < doc.tokens.len() && para(end) == p {
            continue;
        }
        let mut name = d + 1..end;
        if name.end > name.start && doc.tokens[name.end - 1].norm == "." {
            name.end -= 1;
        }
        if name.is_empty()
            || name.len() > 6
            || !name.clone().all(|i| {
                let o = doc.orig(i);
                (o.chars().next().is_some_and(char::is_uppercase) && !is_quote(doc.q(i)))
                    || (o == "." && i > name.start && doc.orig(i - 1).len() == 1)
            })
        {
            continue;
        }
        let mut si = doc.tok_sent[d];
        while si > 0 && doc.sentences[si - 1].paragraph == p {
            si -= 1;
        }
        let content = trim_range(doc, doc.sent_toks[si].start..d);
        if content.is_empty() || out.iter().any(|o| o.cue.start == d) {
            continue;
        }
        out.push(Predicted {
            cue: d..d + 1,
            cue_p: 1.0,
            source: Some(name),
            source_p: 1.0,
            contents: vec![content],
            source_why: Vec::new(),
            kind: Some(ContentKind::Quote),
            source_rule: SourceRule::Layout,
        });
        added = true;
    }
    if added {
        out.sort_by_key(|p| p.cue.start);
    }
}

/// Words that open an adverbial phrase set off by commas between a source and its cue, which
/// PolNeAR leaves out of the source ("Wren Halvard, at a later press gaggle, said" has the
/// source "Wren Halvard"). In PolNeAR train, such phrases stand between a source and its cue
/// 59 times and end a source 13 times, mostly "at" of an affiliation ("Rovani, at the Royal
/// United Services Institute,") and "like" of examples, which are not listed ("at" only
/// before lowercase words).
const ADVERBIAL_OPEN: WordList = WordList::new(&[
    "in", "on", "for", "with", "as", "during", "after", "before", "despite", "amid", "under",
]);

/// A source after its cue that ends with a phrase of time or medium ("said Harbour Board Whip
/// Ana Ruiz (L-Dor.) in an interview", "a board report on Wednesday"): PolNeAR's
/// source is the mention before that phrase. Not after a comma (the phrase may belong to a
/// relative clause: "Oren Tass, …, who attended a rally on Monday"), and not for "according
/// to" (whose source is often a poll or a report with its date).
fn drop_gap(doc: &DocView, source: &mut SourceCand, cue: &Range<usize>) {
    let t = source.toks.clone();
    let end = doc.tokens[t.end - 1].norm.as_str();
    if source.before
        || doc.tokens[cue.start].norm == "according"
        || !(word_in(&GAP_END, end) || word_in(&TIME_WORDS, end))
        || doc.tokens[t.clone()].iter().any(|x| x.norm == ",")
    {
        return;
    }
    let gap = (t.start + 1..t.end - 1)
        .find(|&k| word_in(&GAP_START, doc.tokens[k].norm.as_str()) && t.end - k <= 5);
    if let Some(k) = gap {
        if plausible_source(doc, &(t.start..k)) {
            source.toks = t.start..k;
        }
    }
}

/// Sentence adverbials set off by commas between a mention and its cue ("officials, however,
/// said", "Will Rogers, for example, said").
const DISCOURSE_TAILS: &[&[&str]] = &[
    &["however"],
    &["meanwhile"],
    &["though"],
    &["too"],
    &["moreover"],
    &["instead"],
    &["nonetheless"],
    &["nevertheless"],
    &["for", "example"],
    &["for", "instance"],
    &["in", "turn"],
    &["in", "fact"],
    &["in", "particular"],
    &["for", "his", "part"],
    &["for", "her", "part"],
    &["for", "their", "part"],
    &["for", "its", "part"],
    &["of", "course"],
];

/// Participles that open a phrase about the occasion after a source ("Velin, speaking on Harbour
/// Radio, said"): PolNeAR train leaves such a phrase out of the source 17 times, keeps it twice.
const OCCASION_PARTICIPLES: WordList =
    WordList::new(&["speaking", "writing", "appearing", "talking"]);

/// A source that runs on into an occasion's participle phrase after a comma, or ends with "at
/// the time", stops before it ("Velin, speaking on Harbour Radio,", "Rep. Ilse Marr (D-Vel.)
/// at the time").
fn drop_occasion(doc: &DocView, source: &mut SourceCand) {
    let t = source.toks.clone();
    if let Some(k) = (t.start + 1..t.end.saturating_sub(1)).find(|&k| {
        doc.tokens[k].norm == "," && word_in(&OCCASION_PARTICIPLES, doc.tokens[k + 1].norm.as_str())
    }) {
        source.toks = t.start..k;
        return;
    }
    let words = ["at", "the", "time"];
    if t.len() > words.len()
        && (t.end - words.len()..t.end)
            .zip(words)
            .all(|(k, w)| doc.tokens[k].norm == w)
    {
        source.toks = trim_range(doc, t.start..t.end - words.len());
    }
}

/// A source before its cue that ends with a sentence adverbial after a comma ("U.S. officials,
/// however,") stops before that comma: the head word is the mention's.
fn drop_discourse_tail(doc: &DocView, source: &mut SourceCand) {
    if !source.before {
        return;
    }
    let t = source.toks.clone();
    let mut end = t.end;
    if end > t.start && doc.tokens[end - 1].norm == "," {
        end -= 1;
    }
    for tail in DISCOURSE_TAILS {
        let n = tail.len();
        if end < t.start + n + 2 {
            continue;
        }
        let words = end - n..end;
        if doc.tokens[words.start - 1].norm == ","
            && words
                .clone()
                .zip(tail.iter())
                .all(|(k, w)| doc.tokens[k].norm == *w)
        {
            source.toks = t.start..words.start - 1;
            return;
        }
    }
}

/// A source that ends with an adverbial phrase set off by commas ([`ADVERBIAL_OPEN`]) loses it.
fn drop_adverbial(doc: &DocView, source: &mut SourceCand, cue: &Range<usize>) {
    let t = source.toks.clone();
    if !source.before {
        // After the cue: "said Rep. Mira Varga, the top Liberal on the Canal
        // Board, in a statement." keeps the appositive and its comma.
        if let Some(k) = (t.start + 1..t.end)
            .rev()
            .find(|&k| doc.tokens[k].norm == ",")
        {
            let w = doc.tokens.get(k + 1).map_or("", |x| x.norm.as_str());
            if k + 1 < t.end && word_in(&ADVERBIAL_OPEN, w) {
                source.toks = t.start..k + 1;
            }
        }
        return;
    }
    if t.end != cue.start || doc.tokens[t.end - 1].norm != "," {
        return;
    }
    let Some(k) = (t.start + 1..t.end - 1).find(|&k| doc.tokens[k].norm == ",") else {
        return;
    };
    // "at" with no name after it: "at a later press gaggle", not "at the Royal United Services
    // Institute" (an affiliation).
    let opens = word_in(&ADVERBIAL_OPEN, doc.tokens[k + 1].norm.as_str())
        || (doc.tokens[k + 1].norm == "at" && (k + 2..t.end - 1).all(|i| doc.shape(i) != "Xx"));
    let inner_comma = doc.tokens[k + 1..t.end - 1].iter().any(|x| x.norm == ",");
    if opens && !inner_comma && plausible_source(doc, &(t.start..k)) {
        source.toks = t.start..k;
    }
}

/// Sentence adverbs that mark what follows as hearsay ("The raid reportedly hit a depot"): the
/// sentence's subject is what is reported on, not who reports it. In PolNeAR train such a cue
/// never has a source ("reportedly" 14 times, "allegedly" and "apparently" once each, counted
/// over every annotator's file).
const HEARSAY_ADVERBS: WordList = WordList::new(&[
    "reportedly",
    "allegedly",
    "apparently",
    "purportedly",
    "supposedly",
    "reputedly",
]);

/// Whether a cue is one hearsay adverb ([`HEARSAY_ADVERBS`]).
fn hearsay_adverb(doc: &DocView, cue: &Range<usize>) -> bool {
    cue.len() == 1 && word_in(&HEARSAY_ADVERBS, doc.tokens[cue.start].norm.as_str())
}

/// Whether a cue is a raising verb whose subject holds no view: "seem", "appear", or a passive
/// "expected".
fn raising(doc: &DocView, cue: &Range<usize>) -> bool {
    let head = doc.tokens[cue_head(doc, cue)].norm.as_str();
    head.starts_with("seem")
        || head.starts_with("appear")
        || (head == "expected" && passive_head(doc, cue).is_some())
        || impersonal(doc, cue)
}

/// The subject of a raising cue: the words before it back to a clause break ("Indeed, | a
/// wider share of harbour workers | appears …"), over a relative clause or an empty
/// segment between commas ("Both plans, which at first seemed …": "Both plans").
fn raised_subject(doc: &DocView, cue: &Range<usize>, taken: &[bool]) -> Option<Range<usize>> {
    let sent = doc.sent_of(cue);
    let norm = |i: usize| doc.tokens[i].norm.as_str();
    let is_break = |i: usize| {
        taken[i] || (!doc.in_quote[i] && matches!(norm(i), "," | ";" | ":" | "—" | "–" | "--"))
    };
    let seg_start = |end: usize| {
        let mut k = end;
        while k > sent.start && !is_break(k - 1) {
            k -= 1;
        }
        k
    };
    let mut end = cue.start;
    let mut start = seg_start(end);
    for _ in 0..2 {
        let clause =
            start == end || (end - start > 1 && matches!(norm(start), "who" | "which" | "whose"));
        if !clause || start <= sent.start || norm(start - 1) != "," {
            break;
        }
        end = start - 1;
        start = seg_start(end);
    }
    while start < end && matches!(norm(start), "and" | "but" | "yet" | "so" | "or") {
        start += 1;
    }
    let r = trim_range(doc, start..end);
    (!r.is_empty() && !r.clone().any(|i| taken[i])).then_some(r)
}

/// Whether a cue is an impersonal "it" with a form of "be" ("It's unclear", "Nor is it clear",
/// "it is obvious"): in PolNeAR train such a cue has no source 21 times out of 22.
fn impersonal(doc: &DocView, cue: &Range<usize>) -> bool {
    const BE: &[&str] = &["is", "was", "s", "remains", "isn", "wasn"];
    let norm = |i: usize| doc.tokens.get(i).map_or("", |t| t.norm.as_str());
    let be = |i: usize| BE.contains(&norm(i).trim_start_matches(['\'', '’']));
    let it_be = |i: usize| {
        norm(i) == "it"
            && (be(i + 1)
                || (matches!(norm(i + 1), "'" | "’") && be(i + 2))
                || (i > 0 && be(i - 1)))
    };
    // The "it" inside the cue, or right before a cue that opens with "be" ("It was clear"; not
    // a progressive, "It’s denouncing", where "it" is somebody).
    let progressive = cue.clone().any(|i| doc.tokens[i].norm.ends_with("ing"));
    cue.clone().any(it_be) || (cue.start > 0 && it_be(cue.start - 1) && !progressive)
}

/// Labels of a web page that a colon follows ("The Latest:", "Correction:", "Video:"); never a
/// source in PolNeAR train, where they open 14 lines. With them, the topic and format labels of
/// news sites ("Ukraine War:", "Explainer:", "Live:"), never sources in PolNeAR either ("Poll:"
/// and "Report:" are, 10 times).
const PAGE_LABELS: WordList = WordList::new(&[
    "war",
    "crisis",
    "conflict",
    "live",
    "explainer",
    "analysis",
    "opinion",
    "breaking",
    "exclusive",
    "factbox",
    "timeline",
    "recap",
    "preview",
    "briefing",
    "roundup",
    "updates",
    "podcast",
    "highlights",
    "takeaways",
    "latest",
    "correction",
    "corrections",
    "update",
    "updated",
    "video",
    "photo",
    "photos",
    "watch",
    "related",
    "note",
    "advertisement",
    "listen",
]);

/// Whether a colon cue's source is a page label ([`PAGE_LABELS`]): page furniture, not an
/// attribution; or the addressee of a letter that opens its sentence ("To the harbour board:
/// …").
fn page_label(doc: &DocView, cue: &Range<usize>, source: Option<&SourceCand>) -> bool {
    let colon = cue.len() == 1 && doc.tokens[cue.start].norm == ":";
    colon
        && source.is_some_and(|s| {
            let label = s.toks.len() <= 2
                && word_in(&PAGE_LABELS, doc.tokens[s.toks.end - 1].norm.as_str());
            let sent = doc.sent_of(&s.toks);
            let first = (sent.start..s.toks.start).find(|&i| !doc.tokens[i].is_punct());
            let addressee = s.before
                && s.toks.start > sent.start
                && doc.tokens[s.toks.start - 1].norm == "to"
                && first == Some(s.toks.start - 1);
            label || addressee
        })
}

/// Words that end an adverbial opening ("In conclusion:", "In short:").
const ADVERBIAL_LABEL_ENDS: WordList = WordList::new(&[
    "conclusion",
    "addition",
    "short",
    "summary",
    "particular",
    "sum",
    "update",
    "previously",
    "fact",
    "brief",
]);

/// A colon after nothing but an adverbial ("Earlier:", "Instead:", "In conclusion:") is no
/// cue: nobody is named before it, and the source would only be carried over from an earlier
/// attribution. PolNeAR train has three such colons at a line's start, none a cue.
fn adverb_label(doc: &DocView, cue: &Range<usize>) -> bool {
    let colon = cue.len() == 1 && doc.tokens[cue.start].norm == ":";
    let sent = doc.sent_of(cue);
    let mut words = (sent.start..cue.start)
        .filter(|&i| !doc.tokens[i].is_punct())
        .map(|i| doc.tokens[i].norm.as_str())
        .peekable();
    colon
        && words.peek().is_some()
        && words.all(|w| word_in(&NOT_SOURCE_START, w) || word_in(&ADVERBIAL_LABEL_ENDS, w))
}

/// "He’s claiming", "It's denouncing", "I’ve said", "They're saying": the "’s" ("’ve", "’re",
/// "’ll", "’d", "’m") of a pronoun before its cue is the cue's auxiliary, not part of the
/// mention; the source becomes the pronoun and the cue takes the contraction (PolNeAR train:
/// the pronoun alone is the source 71 times of 77 before "’re", "’ve", "’ll", "’d" or "’m").
fn split_contraction(doc: &DocView, source: &mut SourceCand, cue: Range<usize>) -> Range<usize> {
    let t = source.toks.clone();
    let contraction = t.len() == 3
        && t.end == cue.start
        && matches!(doc.tokens[t.start + 1].norm.as_str(), "’" | "'")
        && matches!(
            doc.tokens[t.start + 2].norm.as_str(),
            "s" | "ve" | "re" | "ll" | "d" | "m"
        )
        && word_in(&PRONOUNS, doc.tokens[t.start].norm.as_str());
    if contraction {
        source.toks = t.start..t.start + 1;
        t.start + 1..cue.end
    } else {
        cue
    }
}

/// A participle cue after a comma ("Sanders said, suggesting …", "…, arguing that …").
fn is_participle(doc: &DocView, cue: &Range<usize>) -> bool {
    let head = doc.tokens[cue.start].norm.as_str();
    cue.start > 0
        && doc.tokens[cue.start - 1].norm == ","
        && head.len() > 4
        && head.ends_with("ing")
        && head != "according"
}

/// A participle cue with no comma before it, after a source the model read as a whole clause
/// ("Velin released a new ad | calling it …", "Marsk was heard on a radio | telling …", "she
/// posted a note | urging …"): the clause's subject, up to its verb. The verb is
/// one of [`CLAUSE_VERBS`], or a lowercase past form not after a determiner or possessive ("the
/// injured", "its proposed"). On PolNeAR train half B (half-A model) it changes 22 sources, nearly
/// all to the gold head; source exact F1 67.1 -> 67.2, speaker 73.3 -> 73.4.
fn participle_clause_subject(
    doc: &DocView,
    cue: &Range<usize>,
    source: Option<&SourceCand>,
) -> Option<SourceCand> {
    let head = doc.tokens[cue.start].norm.as_str();
    if cue.start == 0
        || head.len() <= 4
        || !head.ends_with("ing")
        || head == "according"
        || doc.tokens[cue.start - 1].is_punct()
    {
        return None;
    }
    let s = source.filter(|s| s.before && s.toks.end == cue.start)?;
    let verb = |k: usize| {
        word_in(&CLAUSE_VERBS, doc.q(k))
            || (past_form(doc, k)
                && !word_in(&DETERMINERS, doc.q(k - 1))
                && !matches!(
                    doc.q(k - 1),
                    "his" | "her" | "its" | "their" | "our" | "my" | "your" | "this" | "that"
                ))
    };
    let v = (s.toks.start + 1..s.toks.end).find(|&k| verb(k))?;
    let toks = trim_range(doc, s.toks.start..v);
    (!toks.is_empty() && plausible_source(doc, &toks)).then_some(SourceCand { toks, before: true })
}

/// The source of the attribution just before `cue` in its sentence (a participle cue's).
fn previous_in_sentence(
    doc: &DocView,
    cue: &Range<usize>,
    previous: &[Predicted],
) -> Option<SourceCand> {
    let si = doc.tok_sent[cue.start];
    let p = previous
        .last()
        .filter(|p| doc.tok_sent[p.cue.start] == si)?;
    p.source.clone().map(|toks| SourceCand {
        before: toks.start < cue.start,
        toks,
    })
}

/// Prepositions that open a sentence's introductory phrase, which ends at a comma.
const OPENING_PREPOSITIONS: WordList = WordList::new(&[
    "in", "at", "on", "during", "after", "before", "while", "with", "since", "despite", "from",
    "speaking", "asked", "later", "earlier",
]);

/// The name a sentence opens with, for a participle cue that has no source of its own
/// ("Wren Halvard spoke out Tuesday about …, arguing that …"): capitalised words from the
/// sentence start up to the first lowercase word, or over the lowercase words of a title
/// ("Liberal mayoral nominee Wren Halvard").
fn sentence_subject(doc: &DocView, cue: &Range<usize>) -> Option<SourceCand> {
    let sent = doc.sent_of(cue);
    let mut start = sent.start;
    // Over opening connectives ("And then Wren Halvard went on, saying …", "Still, …") and an
    // opening phrase up to its comma ("In an interview on Sunday, Halvard …").
    while start < cue.start
        && matches!(doc.tokens[start].norm.as_str(), w if w == "," || word_in(&CONNECTIVES, w))
    {
        start += 1;
    }
    // Over a dateline ("DORROW (AP) — ", "DORROW, Velnia — ", "Dorrow (AFP) – ").
    if let Some(dash) =
        (start..cue.start.min(start + 8)).find(|&i| matches!(doc.q(i), "—" | "--" | "–"))
    {
        // A news agency in parentheses ("(AP)", "(AFP)", "(Reuters)").
        let agency = (start + 1..dash.saturating_sub(2)).any(|i| {
            doc.q(i) == "("
                && doc.q(i + 2) == ")"
                && (doc.shape(i + 1) == "XX" || doc.q(i + 1) == "reuters")
                && doc.tokens[i + 1].norm.len() >= 2
        });
        if (start..dash)
            .all(|i| matches!(doc.shape(i), "XX" | "Xx" | "X") || doc.tokens[i].is_punct())
            && (doc.shape(start) == "XX" || agency)
        {
            start = dash + 1;
        }
    }
    // An opening adverb's phrase too ("Initially a Liberal, he ran …").
    let adverb = |n: &str| n.len() > 4 && n.ends_with("ly");
    if start < cue.start
        && (word_in(&OPENING_PREPOSITIONS, doc.tokens[start].norm.as_str())
            || adverb(doc.tokens[start].norm.as_str()))
    {
        match (start + 1..cue.start.min(start + 12)).find(|&i| doc.tokens[i].norm == ",") {
            Some(comma) => start = comma + 1,
            None => return None,
        }
    }
    // A pronoun subject ("And he went on, saying …").
    if start + 1 < cue.start
        && matches!(
            doc.tokens[start].norm.as_str(),
            "he" | "she" | "they" | "we" | "i"
        )
    {
        return Some(SourceCand {
            toks: start..start + 1,
            before: true,
        });
    }
    if start >= cue.start || doc.shape(start) != "Xx" || !plausible_source_start(doc, start) {
        return None;
    }
    let capital = |i: usize| i < cue.start && matches!(doc.shape(i), "Xx" | "XX");
    let mut end = start + 1;
    while end < cue.start && end - start < 8 {
        if capital(end) || matches!(doc.tokens[end].norm.as_str(), "." | "-") {
            end += 1;
        } else if end == start + 1 && doc.shape(end) == "x" {
            // Lowercase words of a title between an adjective and a name of two words or more
            // ("Liberal mayoral nominee Wren Halvard").
            match (end + 1..(end + 3).min(cue.start)).find(|&i| capital(i)) {
                Some(next) if capital(next + 1) => end = next,
                _ => break,
            }
        } else {
            break;
        }
    }
    let toks = trim_range(doc, start..end);
    (!toks.is_empty() && plausible_source(doc, &toks)).then_some(SourceCand { toks, before: true })
}

/// Converts a prediction to character spans.
pub fn to_attribution(doc: &DocView, p: &Predicted) -> Attribution {
    Attribution {
        cue: vec![doc.char_span(&p.cue)],
        sources: p.source.iter().map(|s| doc.char_span(s)).collect(),
        contents: p
            .contents
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| doc.char_span(c))
            .collect(),
        no_source: p.source.is_none(),
    }
}

/// A content that opens a quotation which does not close inside it runs on to the closing mark
/// (a quotation split into several sentences: "Wait, is it 18.7%? Interesting.").
fn close_quote(doc: &DocView, r: &mut Range<usize>) {
    if r.start >= r.end {
        return;
    }
    *r = doc.whole_marks(r.clone());
    let mut first = doc.q(r.start);
    if !(is_open_quote(first) || first == "\"") {
        // A content that opens a quotation after some words ("his radio audience, “What has
        // happened is this.") runs on to its closing mark too.
        let last_mark = (r.start..r.end)
            .rev()
            .find(|&i| doc.qpair[i] != -1 && is_quote(doc.q(i)));
        let Some(m) = last_mark else { return };
        if !doc.opens_quote(m) || m + 1 >= r.end {
            return;
        }
        first = doc.q(m);
    } else {
        let last = doc.q(r.end - 1);
        let mark_len = if doc.qpair[r.start] == 1 { 2 } else { 1 };
        if r.len() > mark_len && (is_close_quote(last) || last == "\"") {
            return;
        }
    }
    let limit = (r.end + 150).min(doc.tokens.len());
    let para = doc
        .sentences
        .get(doc.tok_sent[r.start])
        .map(|s| s.paragraph);
    for j in r.end..limit {
        if !doc.in_quote[j] || doc.sentences.get(doc.tok_sent[j]).map(|s| s.paragraph) != para {
            return;
        }
        if doc.qpair[j] == -1 {
            continue;
        }
        let n = doc.q(j);
        if paired(first, n) {
            r.end = doc.whole_marks(j..j + 1).end;
            return;
        }
    }
}

/// A content that ends a quotation which opened in an earlier sentence starts at the opening
/// mark (`“The tide is late. It is one of the things that worry the crews,” he said.`).
fn open_quote(doc: &DocView, r: &mut Range<usize>, taken: &[bool]) {
    if r.start >= r.end || !doc.in_quote[r.start] {
        return;
    }
    *r = doc.whole_marks(r.clone());
    let first = doc.q(r.start);
    if is_open_quote(first) || first == "\"" {
        return;
    }
    let last = doc.q(r.end - 1);
    if !(is_close_quote(last) || last == "\"") {
        return;
    }
    let para = doc
        .sentences
        .get(doc.tok_sent[r.start])
        .map(|s| s.paragraph);
    let limit = r.start.saturating_sub(150);
    for j in (limit..r.start).rev() {
        if !doc.in_quote[j]
            || taken[j]
            || doc.sentences.get(doc.tok_sent[j]).map(|s| s.paragraph) != para
        {
            return;
        }
        let n = doc.q(j);
        if paired(n, last) {
            r.start = doc.whole_marks(j..j + 1).start;
            return;
        }
    }
}

/// A quotation closed by a comma (or a question or exclamation mark) right before the source and
/// cue is what they report (`“…,” Brisk, a top Marden surrogate, said Thursday morning on Dale
/// Radio.`), unless a quotation opens after them (the split `“A,” he said, “B.”`, which
/// [`other_half`] joins): the words after the cue are then its circumstances, not its content.
/// Returns the `Before` candidate when the model chose another.
fn quoted_before(
    doc: &DocView,
    block: &Range<usize>,
    chosen: &Option<(f32, ContentCand)>,
) -> Option<(f32, ContentCand)> {
    let (p, c) = chosen.as_ref()?;
    if c.kind == ContentKind::Before {
        return None;
    }
    let sent = doc.sent_of(block);
    let l = block.start;
    if l < sent.start + 3 || !doc.closed_after(l, &sent, &[",", "?", "!"]) {
        return None;
    }
    // A quotation after the block (or a "that" clause) is the content, or the other half.
    if (block.end..sent.end).any(|i| doc.opens_quote(i) || doc.tokens[i].norm == "that") {
        return None;
    }
    let toks = trim_range(doc, sent.start..l);
    if toks.is_empty() {
        return None;
    }
    Some((
        *p,
        ContentCand {
            toks,
            kind: ContentKind::Before,
        },
    ))
}

/// `she said, “…”`, `Halvard told reporters: “…”`: a quotation that opens right after the cue
/// and its source (past a comma or a colon) is what they said, not the words before them
/// (`She had a great line when | she said, “…”`); so is one that opens after a short phrase after
/// them and a comma or colon (`chanted back at him, “…”`: at most three words, no verb of a
/// clause), not that phrase. Returns that quotation when the model chose the words before the
/// block or the phrase.
fn quoted_after(
    doc: &DocView,
    block: &Range<usize>,
    chosen: &Option<(f32, ContentCand)>,
    quote: &Option<(f32, ContentCand)>,
) -> Option<(f32, ContentCand)> {
    let (_, c) = chosen.as_ref()?;
    let (_, q) = quote.as_ref()?;
    let r = &c.toks;
    // Where the quotation would open: past the block, or past the phrase.
    let mut k = if r.end <= block.start {
        block.end
    } else if r.start == block.end
        && r.len() <= 3
        && !r
            .clone()
            .any(|i| doc.in_quote[i] || word_in(&CLAUSE_VERBS, doc.tokens[i].norm.as_str()))
        && r.end < doc.tokens.len()
        && matches!(doc.q(r.end), "," | ":")
    {
        r.end
    } else {
        return None;
    };
    if k < doc.tokens.len() && matches!(doc.q(k), "," | ":") {
        k += 1;
    }
    (q.toks.start == k).then(|| quote.clone()).flatten()
}

/// "Limbaugh added:" and a paragraph break, then the words he said: the content is the whole
/// paragraph after the colon, not only its first sentence (the sentence splitter joins a line
/// that ends with a colon to the next one, so the content candidates end with that sentence).
/// Cues inside the paragraph are nested in it ("this reeks of the greatest fear that …").
fn block_after_colon(doc: &DocView, cue: &Range<usize>, r: &mut Range<usize>) {
    if r.start == 0 || r.start < cue.end || r.end >= doc.tokens.len() {
        return;
    }
    let colon = r.start - 1;
    if doc.tokens[colon].norm != ":" {
        return;
    }
    let gap = &doc.text[doc.tokens[colon].span.end..doc.tokens[r.start].span.start];
    if !gap.contains('\n') {
        return;
    }
    let from = doc.tokens[r.end - 1].span.end;
    let limit = doc.text[from..]
        .find('\n')
        .map_or(doc.text.len(), |k| from + k);
    let mut end = r.end;
    while end < doc.tokens.len() && end < r.end + 400 && doc.tokens[end].span.start < limit {
        end += 1;
    }
    *r = trim_range(doc, r.start..end);
}

/// For a cue whose sentence offers no content ("Halvard said." between two quoted sentences):
/// the quotation that ends the previous sentence of the paragraph, else the one that opens the
/// next sentence, with no other cue in either.
fn neighbour_quote(doc: &DocView, cue: &Range<usize>, taken: &[bool]) -> Option<Range<usize>> {
    let si = doc.tok_sent[cue.start];
    let para = doc.sentences[si].paragraph;
    let free = |r: &Range<usize>| !r.is_empty() && !r.clone().any(|i| taken[i]);
    // "Limbaugh added:" ending its paragraph: the next paragraph is what he said.
    let own = &doc.sent_toks[si];
    if own.end > own.start && doc.tokens[own.end - 1].norm == ":" {
        let next = si + 1;
        if let Some(first) = doc.sent_toks.get(next) {
            let p = doc.sentences[next].paragraph;
            let end = doc.paragraph_end(next);
            let r = trim_range(doc, first.start..doc.sent_toks[end].end);
            let stop = r.clone().find(|&i| taken[i]).unwrap_or(r.end);
            let r = trim_range(doc, r.start..stop);
            if p == para + 1 && r.len() > 2 {
                return Some(r);
            }
        }
    }
    if let Some(prev) = si.checked_sub(1).map(|p| doc.sent_toks[p].clone()) {
        let prev = trim_range(doc, prev);
        if free(&prev)
            && doc.sentences[si - 1].paragraph == para
            && prev.clone().all(|i| doc.in_quote[i])
        {
            let last = doc.q(prev.end - 1);
            if is_close_quote(last) || last == "\"" {
                let mut r = prev;
                open_quote(doc, &mut r, taken);
                return Some(r);
            }
        }
    }
    let next = doc.sent_toks.get(si + 1)?.clone();
    let first = doc.q(next.start);
    if free(&next)
        && doc.sentences[si + 1].paragraph == para
        && (is_open_quote(first) || first == "\"")
    {
        let mut r = doc.whole_marks(next.start..next.start + 1);
        close_quote(doc, &mut r);
        if r.len() > 2 {
            return Some(trim_range(doc, r));
        }
    }
    None
}

/// The other half of a content that its source and cue split in two, when they stand between
/// commas or quotation marks: `“A,” he said, “B.”`, `The gallery, Mr. Pell said, would make …`.
/// `content` is the chosen half, next to `block` (the cue with its source); the other half runs
/// from the sentence start, or to the sentence end (or the next cue), over whole quotations.
fn other_half(
    doc: &DocView,
    content: &Range<usize>,
    block: &Range<usize>,
    taken: &[bool],
) -> Option<Range<usize>> {
    let sent = doc.sent_of(block);
    let (l, r) = (block.start, block.end);
    if l <= sent.start + 1 || r + 1 >= sent.end {
        return None;
    }
    // Left of the block: a comma, or a closing mark right after a comma (`,”` / `,''`).
    let left_comma = doc.tokens[l - 1].norm == "," || doc.closed_after(l, &sent, &[","]);
    // Right of the block: a comma or an opening mark, or a short phrase and a comma before an
    // opening mark ("“…,” Marden said during a rally in Osterby, N.C., “but …”").
    let mut r = r;
    if !(doc.tokens[r].norm == "," || doc.opens_quote(r)) {
        let hi = sent.end.min(r + 12);
        if let Some(k) = (r + 1..hi)
            .take_while(|&k| !taken[k] && !doc.in_quote[k - 1])
            .find(|&k| doc.opens_quote(k) && doc.tokens[k - 1].norm == ",")
        {
            r = k - 1;
        }
    }
    let right_open = doc.tokens[r].norm == "," || doc.opens_quote(r);
    if !(left_comma && right_open) {
        return None;
    }
    let quoted =
        |i: usize| is_quote(doc.q(i)) || is_open_quote(doc.q(i)) || is_close_quote(doc.q(i));
    if content.end + 1 >= l && content.end <= l {
        // The other half is on the right, up to the next cue.
        let mut start = r;
        while start < sent.end && doc.tokens[start].norm == "," {
            start += 1;
        }
        let end = (start..sent.end).find(|&i| taken[i]).unwrap_or(sent.end);
        let mut half = trim_range(doc, start..end);
        // After a quotation, only a quotation is its second half (“…,” he said, smiling: not
        // "smiling").
        if half.is_empty()
            || (content.end.checked_sub(1).is_some_and(quoted) && !quoted(half.start))
        {
            return None;
        }
        close_quote(doc, &mut half);
        Some(half)
    } else if content.start >= r && content.start <= r + 1 {
        // The other half is on the left, from the sentence start (or its opening mark).
        if (sent.start..l).any(|i| taken[i]) {
            return None;
        }
        let mut half = trim_range(doc, sent.start..l);
        // Before a quotation, only a quotation is its first half ("IN A PRESS BRIEFING, the
        // spokesperson stated, “…”" is not).
        if half.is_empty() || (quoted(content.start) && !quoted(half.end - 1)) {
            return None;
        }
        open_quote(doc, &mut half, taken);
        Some(half)
    } else {
        None
    }
}

/// A quoted content goes on over the quotations that open the next sentences (past the content's
/// and the cue's) and hold no cue of their own (`“A,” he said. “B. C.”`): each is one more
/// content, from its opening to its closing mark.
fn extend_quote(
    doc: &DocView,
    first: &Range<usize>,
    cue: &Range<usize>,
    taken: &[bool],
    out: &mut Vec<Range<usize>>,
) {
    let Some(&last) = first.end.checked_sub(1).as_ref() else {
        return;
    };
    let from = last.max(cue.end.saturating_sub(1));
    let mut si = doc.tok_sent[from] + 1;
    let mut para = doc.sentences[doc.tok_sent[from]].paragraph;
    while let Some(r) = doc.sent_toks.get(si) {
        if r.is_empty()
            || doc.sentences[si].paragraph > para + 1
            || r.clone().any(|i| taken[i] && !doc.in_quote[i])
        {
            break;
        }
        let f = doc.q(r.start);
        if !(is_quote(f) || is_open_quote(f)) {
            break;
        }
        let mut q = doc.whole_marks(r.start..r.start + 1);
        let mark = q.len();
        close_quote(doc, &mut q);
        if q.len() == mark {
            // No closing mark in the paragraph: the quotation runs to its end (and may go on in
            // the next paragraph, which opens with a quotation mark again).
            q = r.start..doc.sent_toks[doc.paragraph_end(si)].end;
        }
        let q = trim_range(doc, q);
        // A quotation whose last sentence holds a cue is that cue's (`“B. C.” she added.`).
        if q.is_empty()
            || doc.sent_toks[doc.tok_sent[q.end - 1]]
                .clone()
                .any(|i| taken[i] && !doc.in_quote[i])
        {
            break;
        }
        si = doc.tok_sent[q.end - 1] + 1;
        para = doc.sentences[doc.tok_sent[q.end - 1]].paragraph;
        out.push(q);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn view(text: &str) -> DocView<'_> {
        DocView::new(text, &Tokenizer::default(), &SentenceSplitter::new())
    }

    fn texts(doc: &DocView, rs: &[Range<usize>]) -> Vec<String> {
        rs.iter()
            .map(|r| {
                let a = doc.tokens[r.start].span.start;
                let b = doc.tokens[r.end - 1].span.end;
                doc.text[a..b].to_owned()
            })
            .collect()
    }

    #[test]
    fn trim_range_drops_unpaired_parentheses_only() {
        let d = view("(Velin said the port was not at fault.) Marsk (the harbour master) agreed.");
        let all = 0..d.tokens.len();
        let sent0 = d.sent_toks[0].clone();
        // The sentence's own "(" and ")" pair up: both stay.
        assert_eq!(
            texts(&d, &[trim_range(&d, sent0.clone())]),
            ["(Velin said the port was not at fault.)"]
        );
        // Without its "(", the ")" and the full stop before it go.
        let said = (0..d.tokens.len())
            .find(|&i| d.tokens[i].norm == "said")
            .unwrap();
        assert_eq!(
            texts(&d, &[trim_range(&d, said + 1..sent0.end)]),
            ["the port was not at fault"]
        );
        // Without its ")", the "(" goes; a paired aside inside a range stays.
        let marsk = (0..d.tokens.len())
            .find(|&i| d.tokens[i].norm == "marsk")
            .unwrap();
        assert_eq!(texts(&d, &[trim_range(&d, 0..said)]), ["Velin"]);
        assert_eq!(
            texts(&d, &[trim_range(&d, marsk..all.end)]),
            ["Marsk (the harbour master) agreed"]
        );
    }

    /// A prediction for the decoding rules' tests: its contents after the cue, no explanation.
    fn predicted(
        cue: Range<usize>,
        cue_p: f32,
        source: Option<Range<usize>>,
        source_p: f32,
        contents: Vec<Range<usize>>,
    ) -> Predicted {
        Predicted {
            cue,
            cue_p,
            source,
            source_p,
            contents,
            source_why: Vec::new(),
            kind: Some(ContentKind::After),
            source_rule: SourceRule::Model,
        }
    }

    /// [`predicted`] with a content before its cue.
    fn predicted_before(
        cue: Range<usize>,
        cue_p: f32,
        source: Option<Range<usize>>,
        source_p: f32,
        contents: Vec<Range<usize>>,
    ) -> Predicted {
        Predicted {
            kind: Some(ContentKind::Before),
            ..predicted(cue, cue_p, source, source_p, contents)
        }
    }

    fn find(doc: &DocView, word: &str) -> usize {
        doc.tokens
            .iter()
            .position(|t| &doc.text[t.span.clone()] == word)
            .unwrap_or_else(|| panic!("no token {word:?}"))
    }

    #[test]
    fn stems_join_inflections() {
        for w in ["warn", "warns", "warned", "warning"] {
            assert_eq!(cue_stem(w), "warn", "{w}");
        }
        for w in ["argue", "argued", "argues", "arguing"] {
            assert_eq!(cue_stem(w), "argu", "{w}");
        }
        // Short words stay whole.
        assert_eq!(cue_stem("says"), "say");
        assert_eq!(cue_stem("is"), "is");
        assert_eq!(cue_stem(":"), ":");
    }

    #[test]
    fn doubled_apostrophes_are_quotation_marks() {
        let d = view("''We will not go,'' he said. ''Not today.''");
        let first = 0;
        assert_eq!(d.qpair[first], 1);
        assert_eq!(d.qpair[first + 1], -1);
        assert_eq!(d.q(first), "\"");
        let we = find(&d, "We");
        let he = find(&d, "he");
        assert!(d.in_quote[we]);
        assert!(!d.in_quote[he]);
        // "''We will not go,''" is one content, whole marks included.
        let mut r = we..we + 1;
        r = d.whole_marks(first + 1..r.end);
        assert_eq!(r.start, first);
    }

    #[test]
    fn curly_apostrophes_inside_words_do_not_close_quotations() {
        let d = view("“Pilots will go to any length to delay the guild’s inquiry,” she said.");
        let apo = d.tokens.iter().position(|t| t.norm == "’").unwrap();
        assert_eq!(d.qpair[apo], 2);
        assert_eq!(d.q(apo), "'");
        let mut r = 0..3;
        close_quote(&d, &mut r);
        assert_eq!(
            texts(&d, &[r]),
            ["“Pilots will go to any length to delay the guild’s inquiry,”"]
        );
    }

    #[test]
    fn a_verb_of_saying_after_the_clause_it_reports_takes_the_mention_after_it() {
        let inverted = |text: &str, cue: &str, source: (&str, &str)| {
            let d = view(text);
            let c = find(&d, cue);
            let (a, b) = (find(&d, source.0), find(&d, source.1) + 1);
            inverted_after_clause(
                &d,
                &(c..c + 1),
                &SourceCand {
                    toks: a..b,
                    before: false,
                },
            )
        };
        let clause = "The harbour will close next spring, said several officials.";
        assert!(inverted(clause, "said", ("several", "officials")));
        let named = "The quay is not safe, says Ivo Marsk, a pilot at the port.";
        assert!(inverted(named, "says", ("Ivo", "Marsk")));
        // No clause before the comma: an appositive or a relative clause of the subject.
        let apposition = "Ivo Marsk, a pilot at the port, said Velin was right.";
        assert!(!inverted(apposition, "said", ("Velin", "Velin")));
        let relative = "Velin, who is 28, said Marsk was wrong about the quay.";
        assert!(!inverted(relative, "said", ("Marsk", "Marsk")));
        // Not a mention after the cue, or no speaker before it.
        let complement = "The harbour will close next spring, said that the quay was unsafe.";
        assert!(!inverted(complement, "said", ("that", "unsafe")));
        let pronoun = "The harbour will close next spring, said he on Monday.";
        assert!(!inverted(pronoun, "said", ("he", "he")));
        let survey = "A survey of pilots that have worked here, shows Velin leaving.";
        assert!(!inverted(survey, "shows", ("Velin", "Velin")));
        // Inside a quotation: another rule's.
        let quoted = "“The harbour will close next spring, said several officials.”";
        assert!(!inverted(quoted, "said", ("several", "officials")));
    }

    #[test]
    fn a_quotation_after_a_short_phrase_after_the_cue_is_the_content() {
        let d = view("The crowd chanted back at him, “Close the port,” and left.");
        let chanted = find(&d, "chanted");
        let at = find(&d, "at");
        let open = d.tokens.iter().position(|t| t.norm == "“").unwrap();
        let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
        let cand = |toks: Range<usize>, kind| Some((0.5, ContentCand { toks, kind }));
        let quote = cand(open..close + 1, ContentKind::Quote);
        let block = 0..at;
        let got = quoted_after(&d, &block, &cand(at..at + 2, ContentKind::AfterCut), &quote);
        assert_eq!(got.map(|(_, c)| c.toks), Some(open..close + 1));
        // Not after a longer phrase or a clause, nor when the model chose the quotation.
        let long = cand(chanted..at + 2, ContentKind::AfterCut);
        assert!(quoted_after(&d, &(0..chanted), &long, &quote).is_none());
        let d = view("The crowd said it was late, “Close the port,” and left.");
        let it = find(&d, "it");
        let open = d.tokens.iter().position(|t| t.norm == "“").unwrap();
        let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
        let quote = cand(open..close + 1, ContentKind::Quote);
        let clause = cand(it..it + 3, ContentKind::AfterCut);
        assert!(quoted_after(&d, &(0..it), &clause, &quote).is_none());
        assert!(quoted_after(&d, &(0..it), &quote, &quote).is_none());
    }

    #[test]
    fn opening_phrases_say_when_or_where() {
        let d = view("In 2010 at the port she said so, and in what she called a rant, it is over.");
        let phrase = |a: &str, n: usize| {
            let i = find(&d, a);
            opening_phrase(&d, &(i..i + n))
        };
        assert!(phrase("In", 2));
        assert!(phrase("In", 5));
        // Too long, or a clause of its own.
        assert!(!phrase("In", 6));
        assert!(!phrase("it", 3));
        let d = view("At the port is where the pilots wait.");
        assert!(!opening_phrase(&d, &(0..4)));
    }

    #[test]
    fn a_quotation_nested_in_another_does_not_end_it() {
        let d = view(
            "“We asked the harbour board. The pilots call it ‘the long wait,’ and it is getting \
             longer. We are told ‘no’ every time.” Velin said so.",
        );
        let open = d.tokens.iter().position(|t| t.norm == "“").unwrap();
        let mut r = open..open + 1;
        close_quote(&d, &mut r);
        let all = "“We asked the harbour board. The pilots call it ‘the long wait,’ and it is \
                   getting longer. We are told ‘no’ every time.”";
        assert_eq!(texts(&d, &[r]), [all]);
        // Back from the closing mark, past the nested ones, to the opening one.
        let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
        let mut r = find(&d, "every")..close + 1;
        open_quote(&d, &mut r, &vec![false; d.tokens.len()]);
        assert_eq!(texts(&d, &[r]), [all]);
    }

    #[test]
    fn a_content_closing_a_quotation_starts_at_its_opening_mark() {
        let text = "“The tide is late. It is one of the things that worry the crews,” he said.";
        let d = view(text);
        assert_eq!(d.sent_toks.len(), 2);
        let it = d.sent_toks[1].start;
        let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
        let mut r = it..close + 1;
        open_quote(&d, &mut r, &vec![false; d.tokens.len()]);
        assert_eq!(
            texts(&d, &[r]),
            ["“The tide is late. It is one of the things that worry the crews,”"]
        );
        // A cue inside stops it.
        let mut taken = vec![false; d.tokens.len()];
        taken[find(&d, "tide")] = true;
        let mut r = it..close + 1;
        open_quote(&d, &mut r, &taken);
        assert_eq!(r.start, it);
    }

    #[test]
    fn a_quotation_after_its_cue_runs_over_the_next_quoted_sentences() {
        let text = "“We are on our fourth secretary,” he said. “There is a reason. None of them agreed.” Then he left.";
        let d = view(text);
        let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
        let mut out = Vec::new();
        extend_quote(
            &d,
            &(0..close + 1),
            &(close + 2..close + 3),
            &vec![false; d.tokens.len()],
            &mut out,
        );
        assert_eq!(
            texts(&d, &out),
            ["“There is a reason. None of them agreed.”"]
        );
        // A cue inside the next quotation does not stop it; one after it in its last sentence
        // does (its words are that cue's: "“B. C.” she added.").
        let text =
            "“We are ready,” he said. “The board was right when it warned us. We sail.” Then \
                    he left.";
        let d = view(text);
        let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
        let warned = find(&d, "warned");
        let mut out = Vec::new();
        let t = taken(&d, &[(warned, warned + 1)]);
        extend_quote(&d, &(0..close + 1), &(close + 2..close + 3), &t, &mut out);
        assert_eq!(
            texts(&d, &out),
            ["“The board was right when it warned us. We sail.”"]
        );
        let d = view("“We are ready,” he said. “The board was right. We sail,” he added.");
        let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
        let added = find(&d, "added");
        let mut out = Vec::new();
        let t = taken(&d, &[(added, added + 1)]);
        extend_quote(&d, &(0..close + 1), &(close + 2..close + 3), &t, &mut out);
        assert!(out.is_empty(), "{:?}", texts(&d, &out));
    }

    /// The texts of the source candidates of the one-token cue at `cue`.
    fn source_texts(d: &DocView, cue: usize) -> Vec<String> {
        source_candidates(d, &(cue..cue + 1))
            .iter()
            .map(|c| texts(d, std::slice::from_ref(&c.toks)).remove(0))
            .collect()
    }

    /// `taken` with the tokens of `cues` marked.
    fn taken(d: &DocView, cues: &[(usize, usize)]) -> Vec<bool> {
        let mut t = vec![false; d.tokens.len()];
        for &(a, b) in cues {
            t[a..b].iter_mut().for_each(|x| *x = true);
        }
        t
    }

    #[test]
    fn a_source_and_cue_between_commas_split_one_content() {
        let d = view(
            "“Every time you say that,” she said, “you give ammunition to them.” Then she left.",
        );
        let said = find(&d, "said");
        let block = said - 1..said + 1;
        let first = 0..find(&d, "she");
        let t = taken(&d, &[(said, said + 1)]);
        let other = other_half(&d, &first, &block, &t).unwrap();
        assert_eq!(texts(&d, &[other]), ["“you give ammunition to them.”"]);

        // A short phrase after the cue, then the second half.
        let d = view("“He will be fair,” Marden said during a rally in Ohio, “but we will see.”");
        let said = find(&d, "said");
        let block = said - 1..said + 1;
        let first = 0..said - 1;
        let t = taken(&d, &[(said, said + 1)]);
        let other = other_half(&d, &first, &block, &t).unwrap();
        assert_eq!(texts(&d, &[other]), ["“but we will see.”"]);

        let d = view("The gallery, Mr. Pell said, would make visitors face hard questions.");
        let said = find(&d, "said");
        let block = find(&d, "Mr")..said + 1;
        let after = said + 2..d.tokens.len() - 1;
        let t = taken(&d, &[(said, said + 1)]);
        let other = other_half(&d, &after, &block, &t).unwrap();
        assert_eq!(texts(&d, &[other]), ["The gallery"]);

        // Not split: a phrase before a source and cue is not the first half of a quotation,
        // and a cue that opens the sentence or has no comma after it splits nothing.
        let d = view("In a briefing, the spokesperson stated, “We deny it.”");
        let stated = find(&d, "stated");
        let t = taken(&d, &[(stated, stated + 1)]);
        let quote = stated + 2..d.tokens.len();
        let block = find(&d, "the")..stated + 1;
        assert_eq!(other_half(&d, &quote, &block, &t), None);
        let d = view("In Toledo, he said that the deal was bad.");
        let said = find(&d, "said");
        let t = taken(&d, &[(said, said + 1)]);
        let after = said + 1..d.tokens.len() - 1;
        assert_eq!(other_half(&d, &after, &(said - 1..said + 1), &t), None);
        // After a quotation, a phrase that is no quotation is not its second half.
        let d = view("“The ships are ready,” he said, smiling at the crowd.");
        let said = find(&d, "said");
        let t = taken(&d, &[(said, said + 1)]);
        let first = 0..said - 1;
        assert_eq!(other_half(&d, &first, &(said - 1..said + 1), &t), None);
    }

    #[test]
    fn a_cue_sentence_without_content_takes_the_neighbouring_quotation() {
        let d = view("“How many more ships must we lose?” Halvard said. “In Dorrow, a pilot. This is too much.”\n\nNext paragraph.");
        let said = find(&d, "said");
        let t = taken(&d, &[(said, said + 1)]);
        let q = neighbour_quote(&d, &(said..said + 1), &t).unwrap();
        assert_eq!(texts(&d, &[q]), ["“How many more ships must we lose?”"]);

        let d = view("Halvard said. “In Dorrow, a pilot. This is too much.” He left.");
        let said = find(&d, "said");
        let t = taken(&d, &[(said, said + 1)]);
        let q = neighbour_quote(&d, &(said..said + 1), &t).unwrap();
        assert_eq!(texts(&d, &[q]), ["“In Dorrow, a pilot. This is too much.”"]);

        // "Limbaugh added:" ends its paragraph: the next paragraph is the content.
        let d = view("Limbaugh added:\n\nAnd this reeks of fear. She knows it.\n\nMook said no.");
        let added = find(&d, "added");
        let said = find(&d, "said");
        let t = taken(&d, &[(added, added + 2), (said, said + 1)]);
        let q = neighbour_quote(&d, &(added..added + 2), &t).unwrap();
        assert_eq!(texts(&d, &[q]), ["And this reeks of fear. She knows it"]);
    }

    #[test]
    fn a_content_opening_a_quotation_after_some_words_runs_to_its_close() {
        let d = view("Limbaugh told his audience, “What has happened is this. They sent orders.” Then he left.");
        let mut r = find(&d, "his")..find(&d, "is") + 2;
        close_quote(&d, &mut r);
        assert_eq!(
            texts(&d, &[r]),
            ["his audience, “What has happened is this. They sent orders.”"]
        );
    }

    /// Each prediction's source text and content texts.
    fn speakers_and_contents(d: &DocView, out: &[Predicted]) -> Vec<(String, Vec<String>)> {
        out.iter()
            .map(|p| {
                let src = texts(d, std::slice::from_ref(p.source.as_ref().unwrap())).remove(0);
                (src, texts(d, &p.contents))
            })
            .collect()
    }

    #[test]
    fn transcript_turns_belong_to_their_labels() {
        let text = "Pence on Fox.\n\nPartial transcript as follows:\n\n\"WALLACE: Will she be there? I ask.\n\n\"PENCE: She will not. It is serious.\n\n\"But the truth is plain.\n\n\"(CROSSTALK.)\n\nThe end.";
        let d = view(text);
        let mut out = Vec::new();
        transcript_turns(&d, &mut out);
        let got = speakers_and_contents(&d, &out);
        assert_eq!(
            got,
            [
                (
                    "WALLACE".to_owned(),
                    vec!["Will she be there? I ask".to_owned()]
                ),
                (
                    "PENCE".to_owned(),
                    vec![
                        "She will not. It is serious".to_owned(),
                        "\"But the truth is plain".to_owned()
                    ]
                ),
            ]
        );
        // One label is no transcript, and a standfirst in capitals is no speaker.
        let d = view("Title.\n\nBREAKING: Talks resume. Nothing else.\n\nUPDATE: More soon.");
        let mut out = Vec::new();
        transcript_turns(&d, &mut out);
        assert!(out.is_empty());
    }

    /// Asserts that each of `want` is among `got`.
    fn assert_has(got: &[String], want: &[&str]) {
        for w in want {
            assert!(got.iter().any(|g| g == w), "{w:?} not in {got:?}");
        }
    }

    #[test]
    fn a_participle_after_a_clause_takes_the_clause_subject() {
        // The model's source stands for the whole clause before the cue: `start..cue`.
        let subject = |text: &str, from: &str, cue: &str| {
            let d = view(text);
            let (a, c) = (find(&d, from), find(&d, cue));
            let s = SourceCand {
                toks: a..c,
                before: true,
            };
            participle_clause_subject(&d, &(c..c + 1), Some(&s))
                .map(|s| texts(&d, &[s.toks]).remove(0))
        };
        assert_eq!(
            subject(
                "After the vote, Velin released a new ad calling it a disgrace.",
                "Velin",
                "calling"
            )
            .as_deref(),
            Some("Velin")
        );
        assert_eq!(
            subject(
                "The harbour master was heard on a radio telling crews to stay.",
                "The",
                "telling"
            )
            .as_deref(),
            Some("The harbour master")
        );
        assert_eq!(
            subject(
                "By evening, she posted a note urging the board to act.",
                "she",
                "urging"
            )
            .as_deref(),
            Some("she")
        );
        // A noun phrase with no verb of its own keeps the model's source ("a group seeking"),
        // as does a participle after a comma (another rule's) and a past form after a
        // determiner ("the injured").
        assert_eq!(
            subject("Two of the pilots seeking a raise spoke.", "Two", "seeking"),
            None
        );
        assert_eq!(
            subject(
                "Marsk toured the quay, saying it was safe.",
                "Marsk",
                "saying"
            ),
            None
        );
        assert_eq!(
            subject("The injured crew seeking help waited.", "The", "seeking"),
            None
        );
    }

    #[test]
    fn a_participle_cue_without_a_source_takes_the_sentence_subject() {
        let subject = |text: &str, cue: &str| {
            let d = view(text);
            let c = find(&d, cue);
            sentence_subject(&d, &(c..c + 1)).map(|s| texts(&d, &[s.toks]).remove(0))
        };
        assert_eq!(
            subject(
                "Wren Halvard spoke out Tuesday, arguing that it was wrong.",
                "arguing"
            )
            .as_deref(),
            Some("Wren Halvard")
        );
        assert_eq!(
            subject(
                "Liberal mayoral nominee Wren Halvard chimed in on Twitter, saying so.",
                "saying"
            )
            .as_deref(),
            Some("Liberal mayoral nominee Wren Halvard")
        );
        // A sentence that opens with an adverbial has no subject at its start.
        assert_eq!(
            subject("In Ohio, officials met, saying so.", "saying"),
            None
        );
        // Past opening connectives and an opening phrase up to its comma.
        assert_eq!(
            subject(
                "In an interview on Sunday, Halvard went on, saying so.",
                "saying"
            )
            .as_deref(),
            Some("Halvard")
        );
        assert_eq!(
            subject("And then Halvard went on the attack, saying so.", "saying").as_deref(),
            Some("Halvard")
        );
        assert_eq!(
            subject("In the end the vote failed, saying so.", "saying"),
            None
        );
        assert_eq!(
            subject("Initially a Liberal, he ran again, saying so.", "saying").as_deref(),
            Some("he")
        );
        // A pronoun, and past a dateline.
        assert_eq!(
            subject("And he went on the attack, saying so.", "saying").as_deref(),
            Some("he")
        );
        assert_eq!(
            subject(
                "DORROW (AP) — Wren Halvard went on the attack, saying so.",
                "saying"
            )
            .as_deref(),
            Some("Wren Halvard")
        );
        // A dateline in title case with a news agency, and an en dash.
        assert_eq!(
            subject(
                "Dorrow (AFP) – Wren Halvard went on the attack, saying so.",
                "saying"
            )
            .as_deref(),
            Some("Wren Halvard")
        );
    }

    #[test]
    fn a_paragraph_after_a_colon_is_one_content() {
        let d = view(
            "Limbaugh added:\n\nAnd this reeks of fear. She can’t win? I mean it.\n\nMook said no.",
        );
        let added = find(&d, "added");
        let and = find(&d, "And");
        let mut r = and..find(&d, "fear") + 1;
        block_after_colon(&d, &(added..added + 2), &mut r);
        assert_eq!(
            texts(&d, &[r]),
            ["And this reeks of fear. She can’t win? I mean it"]
        );
        // Without a line break after the colon the content stays as it is.
        let d = view("Limbaugh added: And this reeks of fear. She can’t win.");
        let added = find(&d, "added");
        let mut r = find(&d, "And")..find(&d, "fear") + 1;
        let before = r.clone();
        block_after_colon(&d, &(added..added + 2), &mut r);
        assert_eq!(r, before);
    }

    #[test]
    fn signed_quotations_belong_to_the_name_after_the_dash() {
        let text = "Readers wrote in.\n\n“He scares me. He is clueless.” ― Krystal Correa\n“Not fit.”― Edwin G. Monroy.\n\nA “quote” — and then a long clause follows here.";
        let d = view(text);
        let mut out = Vec::new();
        signed_quotes(&d, &mut out);
        let got = speakers_and_contents(&d, &out);
        assert_eq!(
            got,
            [
                (
                    "Krystal Correa".to_owned(),
                    vec!["“He scares me. He is clueless.”".to_owned()]
                ),
                ("Edwin G. Monroy".to_owned(), vec!["“Not fit.”".to_owned()]),
            ]
        );
    }

    #[test]
    fn a_quotation_closed_by_a_comma_before_its_cue_is_its_content() {
        let d =
            view("“It is a mismatch,” Brisk, a surrogate, said Thursday morning on Dale Radio.");
        let said = find(&d, "said");
        let src = SourceCand {
            toks: find(&d, "Brisk")..find(&d, "surrogate") + 2,
            before: true,
        };
        let after = Some((
            0.9,
            ContentCand {
                toks: said + 1..find(&d, "Radio") + 1,
                kind: ContentKind::After,
            },
        ));
        let block = src.toks.start..said + 1;
        let (_, c) = quoted_before(&d, &block, &after).unwrap();
        assert_eq!(texts(&d, &[c.toks]), ["“It is a mismatch,”"]);
        // A quotation after the cue is the other half, which the model's choice keeps.
        let d = view("“It is,” he said, “a mismatch.”");
        let said = find(&d, "said");
        let he = find(&d, "he");
        let src = SourceCand {
            toks: he..he + 1,
            before: true,
        };
        assert!(quoted_before(&d, &(src.toks.start..said + 1), &after).is_none());
    }

    #[test]
    fn heads_propose_auxiliaries_and_particles() {
        let d = view("Marden has repeatedly warned that the deal is bad.");
        let lex = CueLexicon::new(Vec::new(), &["warn".to_owned()]);
        let got = texts(&d, &lex.candidates(&d));
        for want in [
            "warned",
            "repeatedly warned",
            "has repeatedly warned",
            "warned that",
            "has repeatedly warned that",
        ] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
        assert!(!got.iter().any(|g| g.starts_with("Marden")), "{got:?}");
    }

    #[test]
    fn frames_propose_words_the_lexicon_never_saw() {
        let frame = |text: &str, word: &str| {
            let d = view(text);
            let i = find(&d, word);
            cue_frame(&d, &d.sent_toks[d.tok_sent[i]], i)
        };
        assert_eq!(
            frame("Zorvan quibbered that the bridge was late.", "quibbered"),
            Some("that")
        );
        assert_eq!(
            frame("“The bridge is late,” Mira Zorvan quibbered.", "quibbered"),
            Some("closeq")
        );
        assert_eq!(
            frame("“The bridge is late,” quibbered Zorvan.", "quibbered"),
            Some("closeq")
        );
        assert_eq!(
            frame("Zorvan quibbered: the bridge is late.", "quibbered"),
            Some("open")
        );
        assert_eq!(
            frame("Zorvan quibbered “the bridge is late.”", "quibbered"),
            Some("open")
        );
        // Not a verb-like word before "that", a function word, a word in no frame, a name.
        assert_eq!(frame("It was the bridge that fell.", "bridge"), None);
        assert_eq!(frame("It was this that we feared.", "this"), None);
        assert_eq!(
            frame("Zorvan quibbered about the bridge.", "quibbered"),
            None
        );
        assert_eq!(frame("“It is late,” Zorvan said.", "Zorvan"), None);
        // A lexicon with frames proposes the word, with its auxiliaries and particle; without
        // them, not.
        let d = view("Zorvan has quibbered that the bridge was late.");
        let lex = CueLexicon::new(Vec::new(), &["warn".to_owned()]);
        assert!(lex.candidates(&d).is_empty());
        let got = texts(&d, &lex.with_frames(true).candidates(&d));
        for want in ["quibbered", "has quibbered", "quibbered that"] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
        assert!(!got.iter().any(|g| g.contains("bridge")), "{got:?}");
        // What the lexicon knows: a learned head (with its auxiliaries), a learned phrase; not a
        // word proposed by its frame alone, nor a phrase's first words alone.
        let lex = CueLexicon::new(
            vec![vec!["according".to_owned(), "to".to_owned()]],
            &["warn".to_owned()],
        );
        let d = view("Zorvan has warned that, according to Mira, it quibbered.");
        let at = |w: &str, n: usize| find(&d, w)..find(&d, w) + n;
        assert!(lex.knows(&d, &(find(&d, "has")..find(&d, "warned") + 1)));
        assert!(lex.knows(&d, &at("according", 2)));
        assert!(!lex.knows(&d, &at("according", 1)));
        assert!(!lex.knows(&d, &at("quibbered", 1)));
    }

    #[test]
    fn format_3_models_propose_no_frame_words() {
        let shipped = AttributionModel::embedded().unwrap();
        assert_eq!(shipped.file().format_version, ATTRIBUTION_FORMAT_VERSION);
        // The shipped recipe has no frames (training/attribution.toml): a copy with them.
        let mut file = shipped.file().clone();
        file.cue_frames = true;
        let model = AttributionModel::from_file(file, Path::new("frames.json")).unwrap();
        let text = "Zorvan quibbered that the bridge was late.";
        let proposes = |m: &AttributionModel| {
            let d = m.view(text);
            let q = find(&d, "quibbered");
            m.lexicon.candidates(&d).contains(&(q..q + 1))
        };
        assert!(proposes(&model));
        let mut v = serde_json::to_value(model.file()).unwrap();
        v["format_version"] = 3.into();
        v.as_object_mut().unwrap().remove("cue_frames");
        let old = AttributionModel::from_bytes(
            serde_json::to_string(&v).unwrap().as_bytes(),
            Path::new("old.json"),
        )
        .unwrap();
        assert!(!old.file().cue_frames);
        assert!(!proposes(&old));
    }

    #[test]
    fn sources_take_appositives_and_their_commas() {
        let d = view("Rendell, a Halvard surrogate, said the race was close.");
        let cue = find(&d, "said");
        let got = source_texts(&d, cue);
        assert!(
            got.iter().any(|g| g == "Rendell, a Halvard surrogate,"),
            "{got:?}"
        );
        assert!(got.iter().any(|g| g == "Rendell"), "{got:?}");

        let d = view("“It is over,” said Brian Baker, a longtime adviser who runs the group.");
        let cue = find(&d, "said");
        let got = source_texts(&d, cue);
        assert!(
            got.iter()
                .any(|g| g == "Brian Baker, a longtime adviser who runs the group"),
            "{got:?}"
        );
        assert!(got.iter().any(|g| g == "Brian Baker"), "{got:?}");

        // Dots of abbreviations do not count as words; a parenthesis is stepped over.
        let d =
            view("“It is a dismal day,” said Rep. B.T. Morrow (D-N.C.), head of the Canal Caucus.");
        let cue = find(&d, "said");
        let got = source_texts(&d, cue);
        assert_has(
            &got,
            &[
                "Rep. B.T. Morrow",
                "Rep. B.T. Morrow (D-N.C.)",
                "Rep. B.T. Morrow (D-N.C.), head of the Canal Caucus",
            ],
        );

        // The agent of a passive cue.
        let d = view("Brell has been called a fraud by fellow bakers for his loaves.");
        let cue = find(&d, "called");
        let got = source_texts(&d, cue);
        assert!(got.iter().any(|g| g == "fellow bakers"), "{got:?}");
    }

    #[test]
    fn a_saying_verb_after_a_word_has_its_source_before_it() {
        let cue_at = |d: &DocView, w: &str| {
            let i = find(d, w);
            i..i + 1
        };
        for text in [
            "A report published Wednesday said Marr used a private account.",
            "Rep. Ilse Marr (D-Vel.) said Tamm was wrong.",
            "Velin toured the quay and said the ships were safe.",
        ] {
            let d = view(text);
            assert!(subject_before(&d, &cue_at(&d, "said")), "{text}");
        }
        // Inverted after a quotation or a comma, or by "so"; not a verb of saying.
        for (text, cue) in [
            ("“The ships are safe,” said Velin.", "said"),
            ("The ships are safe, said Velin.", "said"),
            ("So says the harbour master.", "says"),
            ("Velin toured the quay according to Tamm.", "according"),
        ] {
            let d = view(text);
            assert!(!subject_before(&d, &cue_at(&d, cue)), "{text}");
        }
        let d = view("Velin toured the quay and said it was safe.");
        assert!(coordinated(&d, &cue_at(&d, "said")));
        // After the cue, a clause's verb makes a candidate what was said.
        let after = |d: &DocView, from: &str| SourceCand {
            toks: find(d, from)..d.sent_toks[0].end - 1,
            before: false,
        };
        for (text, from, verb) in [
            (
                "Velin, who runs it, said Marsk's plan didn't help.",
                "Marsk",
                true,
            ),
            ("Velin, who runs it, said the plan was late.", "the", true),
            (
                "“It is late,” said Will Tamm, who has run the quay.",
                "Will",
                false,
            ),
            ("“It is late,” said Sophie in 't Veld.", "Sophie", false),
        ] {
            let d = view(text);
            assert_eq!(has_clause_verb(&d, &after(&d, from)), verb, "{text}");
        }
        // The agent after "by" of a passive stays a candidate.
        let d = view("The closure was first reported by the Harbour Gazette.");
        let by = find(&d, "by");
        let agent = SourceCand {
            toks: by + 1..by + 4,
            before: false,
        };
        assert!(by_agent(&d, &agent));
    }

    #[test]
    fn a_source_stops_before_its_occasion() {
        for (text, from, to, want) in [
            (
                "Velin, speaking on Harbour Radio, said so.",
                "Velin",
                "Radio",
                "Velin",
            ),
            (
                "Rep. Ilse Marr (D-Vel.) at the time said so.",
                "Rep",
                "time",
                "Rep. Ilse Marr (D-Vel.)",
            ),
            // Not a participle of the occasion.
            (
                "Velin, leading the board, said so.",
                "Velin",
                "board",
                "Velin, leading the board",
            ),
        ] {
            let d = view(text);
            let mut s = SourceCand {
                toks: find(&d, from)..find(&d, to) + 1,
                before: true,
            };
            drop_occasion(&d, &mut s);
            assert_eq!(texts(&d, &[s.toks]), [want], "{text}");
        }
    }

    #[test]
    fn a_sourceless_according_to_takes_its_clause() {
        let d =
            view("According to the pilot on duty at the north quay that night, the ship was late.");
        let cue = find(&d, "According")..find(&d, "to") + 1;
        let s = according_to_source(&d, &cue).expect("a source");
        assert_eq!(
            texts(&d, &[s.toks]),
            ["the pilot on duty at the north quay that night"]
        );
        // Nothing after it to take.
        let d = view("That is according to “the pilot”.");
        let cue = find(&d, "according")..find(&d, "to") + 1;
        assert!(according_to_source(&d, &cue).is_none());
    }

    #[test]
    fn a_time_or_medium_between_source_and_cue_is_stepped_over() {
        let d = view("Marden on Tuesday said the race was close.");
        let got = source_texts(&d, find(&d, "said"));
        assert!(got.iter().any(|g| g == "Marden"), "{got:?}");
        assert!(!got.iter().any(|g| g.ends_with("Tuesday")), "{got:?}");

        let d = view("Rep. Mira Varga, the top Democrat, in a statement said it was wrong.");
        let got = source_texts(&d, find(&d, "said"));
        assert_has(
            &got,
            &["Rep. Mira Varga", "Rep. Mira Varga, the top Democrat,"],
        );
        // Not any phrase: a name after "on" is not a time.
        let d = view("Dorrow has on more than one occasion claimed that it will go on.");
        let claimed = find(&d, "claimed");
        assert_eq!(
            gap_start(&d, &d.sent_toks[0], claimed),
            Some(find(&d, "on"))
        );
        let d = view("Kessel on Wren said it was wrong.");
        assert_eq!(gap_start(&d, &d.sent_toks[0], find(&d, "said")), None);
        // One or two adverbs.
        for (text, first, cue) in [
            (
                "Mr. Halvard pointedly rejected the notion.",
                "pointedly",
                "rejected",
            ),
            ("Marden also publicly said it was wrong.", "also", "said"),
            ("The mayor never said so.", "never", "said"),
        ] {
            let d = view(text);
            let got = gap_start(&d, &d.sent_toks[0], find(&d, cue));
            assert_eq!(got, Some(find(&d, first)), "{text}");
        }
        let d = view("Mr. Halvard pointedly rejected the notion.");
        let got = source_texts(&d, find(&d, "rejected"));
        assert!(got.iter().any(|g| g == "Mr. Halvard"), "{got:?}");
        // Not an adverb that opens the sentence.
        let d = view("Reportedly said to be ill, he stayed home.");
        assert_eq!(gap_start(&d, &d.sent_toks[0], find(&d, "said")), None);
    }

    #[test]
    fn hometowns_and_ages_are_stepped_over() {
        let d = view("Teo Brann, of Millbrook, Va., said he had fought.");
        let got = source_texts(&d, find(&d, "said"));
        assert_has(&got, &["Teo Brann", "Teo Brann, of Millbrook, Va.,"]);
    }

    #[test]
    fn no_source_starts_with_a_preposition() {
        let d = view("House Speaker Halvard, despite admitting doubts, said it was fine.");
        assert!(!plausible_source_start(&d, find(&d, "despite")));
        assert!(plausible_source_start(&d, find(&d, "House")));
        let got = source_texts(&d, find(&d, "admitting"));
        assert!(!got.iter().any(|g| g.starts_with("despite")), "{got:?}");
    }

    #[test]
    fn no_source_ends_with_a_lowercase_auxiliary() {
        let d = view("A reader would now ask: George Will may know.");
        assert!(!plausible_source_end(&d, find(&d, "would")));
        assert!(!plausible_source_end(&d, find(&d, "may")));
        assert!(plausible_source_end(&d, find(&d, "Will")));
        assert!(plausible_source_end(&d, find(&d, "reader")));
        let d = view("Velna has on more than one occasion said so.");
        assert!(!plausible_source_end(&d, find(&d, "occasion")));
    }

    #[test]
    fn names_ending_in_ly_are_sources_but_adverbs_are_not() {
        let d = view("\"Elections matter,\" Kelly said. Halvard privately said so.");
        assert!(plausible_source_end(&d, find(&d, "Kelly")));
        assert!(!plausible_source_end(&d, find(&d, "privately")));
        let got = source_texts(&d, find(&d, "said"));
        assert!(got.iter().any(|g| g == "Kelly"), "{got:?}");
    }

    #[test]
    fn sentence_adverbials_and_times_leave_the_source() {
        let d = view("U.S. officials, however, said Russia did it.");
        for text in ["U.S. officials, however,", "U.S. officials, however"] {
            let mut s = cand(&d, text, true);
            drop_discourse_tail(&d, &mut s);
            assert_eq!(texts(&d, &[s.toks]), ["U.S. officials"]);
        }
        let d = view("Will Rogers, for example, said it was over.");
        let mut s = cand(&d, "Will Rogers, for example,", true);
        drop_discourse_tail(&d, &mut s);
        assert_eq!(texts(&d, &[s.toks]), ["Will Rogers"]);
        // An appositive is no adverbial.
        let d = view("Will Rogers, the chairman, said it was over.");
        let mut s = cand(&d, "Will Rogers, the chairman,", true);
        drop_discourse_tail(&d, &mut s);
        assert_eq!(texts(&d, &[s.toks]), ["Will Rogers, the chairman,"]);

        let said = |d: &DocView| find(d, "said")..find(d, "said") + 1;
        let d = view("“It is wrong,” said Council Speaker Ana Ruiz in a statement.");
        let mut s = cand(&d, "Council Speaker Ana Ruiz in a statement", false);
        drop_gap(&d, &mut s, &said(&d));
        assert_eq!(texts(&d, &[s.toks]), ["Council Speaker Ana Ruiz"]);
        let d = view("“It is wrong,” said Sen. Ivo Marsk (L-Dor.) in an interview.");
        let mut s = cand(&d, "Sen. Ivo Marsk (L-Dor.) in an interview", false);
        drop_gap(&d, &mut s, &said(&d));
        assert_eq!(texts(&d, &[s.toks]), ["Sen. Ivo Marsk (L-Dor.)"]);
        // Not inside a relative clause after a comma, and not the date of a poll.
        let d = view("“It is wrong,” said Oren Tass, who attended a rally on Monday.");
        let mut s = cand(&d, "Oren Tass, who attended a rally on Monday", false);
        drop_gap(&d, &mut s, &said(&d));
        assert_eq!(
            texts(&d, &[s.toks]),
            ["Oren Tass, who attended a rally on Monday"]
        );
        let d = view("Marden leads, according to a Gallup poll taken on Monday.");
        let mut s = cand(&d, "a Gallup poll taken on Monday", false);
        let according = find(&d, "according")..find(&d, "to") + 1;
        drop_gap(&d, &mut s, &according);
        assert_eq!(texts(&d, &[s.toks]), ["a Gallup poll taken on Monday"]);
    }

    #[test]
    fn raising_cues_have_no_source() {
        let is_raising = |text: &str, from: &str, to: &str| {
            let d = view(text);
            raising(&d, &(find(&d, from)..find(&d, to) + 1))
        };
        assert!(is_raising(
            "Melania seems to have vanished.",
            "seems",
            "seems"
        ));
        assert!(is_raising(
            "It appeared that Marden was unable.",
            "appeared",
            "appeared"
        ));
        assert!(is_raising("Marden is expected to speak.", "is", "expected"));
        assert!(!is_raising(
            "Marden expected a win.",
            "expected",
            "expected"
        ));
        assert!(!is_raising("Marden said it was over.", "said", "said"));
        // Impersonal "it" with "be".
        assert!(is_raising(
            "It's unclear whether a vote is near.",
            "It",
            "unclear"
        ));
        assert!(is_raising(
            "It’s unclear whether a vote is near.",
            "It",
            "unclear"
        ));
        assert!(is_raising("Nor is it clear that it works.", "Nor", "clear"));
        assert!(is_raising("It is obvious that they lost.", "It", "obvious"));
        assert!(!is_raising(
            "As Smith put it, the plan is dead.",
            "put",
            "it"
        ));
        assert!(is_raising(
            "It was clear Halvard is reaching out.",
            "was",
            "clear"
        ));
        assert!(!is_raising("It showed that they can.", "showed", "showed"));
        assert!(!is_raising(
            "It’s denouncing the attack.",
            "’",
            "denouncing"
        ));
    }

    #[test]
    fn passive_cues_are_recognised() {
        let head = |text: &str, from: &str, to: &str| {
            let d = view(text);
            let cue = find(&d, from)..find(&d, to) + 1;
            passive_head(&d, &cue).map(str::to_string)
        };
        let passive = "Mr. Quiros was accused of fraud.";
        assert_eq!(head(passive, "accused", "of").as_deref(), Some("accused"));
        let passive = "Pence was also dubbed the winner.";
        assert_eq!(head(passive, "dubbed", "dubbed").as_deref(), Some("dubbed"));
        let passive = "Brell has been called a fraud.";
        assert_eq!(head(passive, "been", "called").as_deref(), Some("called"));
        // Active voice, and "be" too far before the participle.
        assert_eq!(head("Marden accused Halvard.", "accused", "accused"), None);
        let active = "It was what Marden repeatedly and angrily claimed.";
        assert_eq!(head(active, "claimed", "claimed"), None);
    }

    /// The source candidate of the tokens spelling `text` (its first occurrence).
    fn cand(d: &DocView, text: &str, before: bool) -> SourceCand {
        let b = d.text.find(text).unwrap();
        let start = d.tokens.iter().position(|t| t.span.start == b).unwrap();
        let end = d.tokens.iter().position(|t| t.span.end == b + text.len());
        SourceCand {
            toks: start..end.unwrap() + 1,
            before,
        }
    }

    #[test]
    fn a_hearsay_adverb_has_no_source() {
        let d = view("The raid reportedly hit a depot near Velna, and Kessel allegedly fled.");
        for w in ["reportedly", "allegedly"] {
            let c = find(&d, w);
            assert!(hearsay_adverb(&d, &(c..c + 1)), "{w}");
        }
        let hit = find(&d, "hit");
        assert!(!hearsay_adverb(&d, &(hit..hit + 1)));
        // Every candidate a cue (the shipped model's scores do not matter here).
        let mut file = AttributionModel::embedded().unwrap().file().clone();
        file.cue_threshold = 0.0;
        let model = AttributionModel::from_file(file, Path::new("all-cues.json")).unwrap();
        let d = model.view("The attack reportedly targeted a fuel depot in Velna.");
        let p = model.predict(&d);
        let adverb = p
            .iter()
            .find(|p| texts(&d, std::slice::from_ref(&p.cue)) == ["reportedly"])
            .expect("a cue for reportedly");
        assert!(adverb.source.is_none(), "{adverb:?}");
        let model = AttributionModel::embedded().unwrap();
        // Before a reporting verb, and the reporting verb, keep their source.
        let d = model.view("Kessel reportedly told aides that the plan was dead.");
        let p = model.predict(&d);
        assert_eq!(texts(&d, &[p[0].source.clone().unwrap()]), ["Kessel"]);
        let d = model
            .view("The raid on the depot reportedly killed four guards, Velnian officials said.");
        let preds = model.predict(&d);
        let said = preds
            .iter()
            .find(|p| texts(&d, std::slice::from_ref(&p.cue)) == ["said"])
            .expect("a cue for said");
        assert_eq!(
            texts(&d, &[said.source.clone().unwrap()]),
            ["Velnian officials"]
        );
    }

    #[test]
    fn an_opening_connective_alone_is_no_content() {
        // The texts of the Before candidates of "added" with the source "he".
        let befores = |text: &str| {
            let d = view(text);
            let cue = find(&d, "added");
            let he = find(&d, "he");
            let source = SourceCand {
                toks: he..he + 1,
                before: true,
            };
            content_candidates(&d, &(cue..cue + 1), Some(&source))
                .iter()
                .filter(|c| c.kind == ContentKind::Before)
                .map(|c| texts(&d, std::slice::from_ref(&c.toks)))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            befores("But he added, “The crews are trained and the ships are ready.”"),
            Vec::<Vec<String>>::new()
        );
        // What stands before a source is a content when it is more than a connective.
        assert_eq!(
            befores("Still, the ships are late, he added."),
            [["Still, the ships are late"]]
        );
        // And the shipped model gives the quotation.
        let model = AttributionModel::embedded().unwrap();
        let d = model.view("But he added, “The crews are trained and the ships are ready.”");
        let p = model.predict(&d);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            texts(&d, &p[0].contents),
            ["“The crews are trained and the ships are ready.”"]
        );
    }

    #[test]
    fn a_relative_pronoun_is_no_fallback_source() {
        let d =
            view("Ivo Marsk, who runs the port, closed it. Later the harbour reopened, he said.");
        let who = find(&d, "who");
        let marsk = find(&d, "Ivo");
        let said = find(&d, "said");
        let runs = find(&d, "runs");
        let closed = find(&d, "closed");
        let by_who = predicted(runs..runs + 1, 0.9, Some(who..who + 1), 0.9, Vec::new());
        let by_marsk = predicted(
            closed..closed + 1,
            0.9,
            Some(marsk..marsk + 2),
            0.9,
            Vec::new(),
        );
        let cue = said..said + 1;
        // The latest source before the cue, unless it is a relative pronoun.
        let f = fallback_source(&d, &cue, &[by_marsk.clone(), by_who.clone()]).unwrap();
        assert_eq!(texts(&d, &[f.toks]), ["Ivo Marsk"]);
        assert_eq!(fallback_source(&d, &cue, &[by_who]), None);
        let f = fallback_source(&d, &cue, &[by_marsk]).unwrap();
        assert_eq!(texts(&d, &[f.toks]), ["Ivo Marsk"]);
    }

    #[test]
    fn a_name_after_a_quotation_and_its_cue_is_the_source() {
        // Whether the `words` words after `cue` are its inverted source in `text`.
        let inverted = |text: &str, cue: &str, words: usize| {
            let d = view(text);
            let cue = find(&d, cue);
            let c = SourceCand {
                toks: cue + 1..cue + 1 + words,
                before: false,
            };
            inverted_cue(&d, &(cue..cue + 1), &c)
        };
        let pilot = "“We sail at dawn,” said Ivo Marsk, who runs the port.";
        assert!(inverted(pilot, "said", 2));
        assert!(inverted(
            "“Do we sail?” said the harbour master.",
            "said",
            3
        ));
        // Not without the quotation before the cue.
        assert!(!inverted("The port is closed, said Ivo Marsk.", "said", 2));
        // Nor a lowercase mention after a quotation inside the sentence.
        let reply = "The board’s reply, calling it a “grave risk,” signals a change.";
        assert!(!inverted(reply, "signals", 2));
        let reply = "The board’s reply, calling it a “grave risk,” said Ivo Marsk.";
        assert!(inverted(reply, "said", 2));
        // A `''` mark is two tokens (NYT's quotations).
        let nyt = "''We sail at dawn,'' said Ivo Marsk, who runs the port.";
        assert!(inverted(nyt, "said", 2));
        assert!(!inverted("''We sail at dawn'' said Ivo Marsk.", "said", 2));
        // With the model unsure of every source, the name still is the source, not the
        // speaker of an earlier sentence.
        let mut file = AttributionModel::embedded().unwrap().file().clone();
        file.source_threshold = 1.1;
        let model = AttributionModel::from_file(file, Path::new("unsure.json")).unwrap();
        let d = model.view(
            "Lena Holt said the port would close.\n\n“We sail at dawn,” said Ivo Marsk, who runs the port.",
        );
        let p = model.predict(&d);
        let said = p
            .iter()
            .rfind(|p| texts(&d, std::slice::from_ref(&p.cue)) == ["said"])
            .expect("a cue for said");
        // (The model's best candidate after the cue, which here takes the relative clause.)
        let source = texts(&d, &[said.source.clone().unwrap()]);
        assert!(source[0].starts_with("Ivo Marsk"), "{source:?}");
        // And so is a description in lowercase.
        let d = model.view(
            "Lena Holt said the port would close.\n\n“We sail at dawn,” said a longtime harbour pilot.",
        );
        let p = model.predict(&d);
        let said = p.last().expect("a cue for said");
        assert_eq!(
            texts(&d, &[said.source.clone().unwrap()]),
            ["a longtime harbour pilot"]
        );
    }

    #[test]
    fn a_participle_after_a_comma_says_what_follows_it() {
        let model = AttributionModel::embedded().unwrap();
        let text = "“People want a message of hope,” she added, stressing the pull of his \
                    jobs plan. “This is not a close race,” he said, citing the mayor’s record \
                    and the rival’s weak polls.";
        let d = model.view(text);
        let mut seen = 0;
        for p in model.predict(&d) {
            if is_participle(&d, &p.cue) {
                seen += 1;
                assert!(!p.contents.is_empty());
                assert!(p.contents.iter().all(|c| c.start >= p.cue.end), "{p:?}");
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn a_raising_cue_has_its_subject_as_content() {
        let subject = |text: &str, cue: &str| {
            let d = view(text);
            let c = find(&d, cue);
            let mut taken = vec![false; d.tokens.len()];
            taken[c] = true;
            raised_subject(&d, &(c..c + 1), &taken).map(|r| texts(&d, &[r]).remove(0))
        };
        let s = |x: &str| Some(x.to_owned());
        assert_eq!(
            subject("The new rules appear to have calmed the quay.", "appear"),
            s("The new rules")
        );
        // After a clause break, and over a relative clause between commas.
        assert_eq!(
            subject(
                "Indeed, a wider share of workers appears to be moving.",
                "appears"
            ),
            s("a wider share of workers")
        );
        assert_eq!(
            subject(
                "Fans like a winner, and teams appear more popular.",
                "appear"
            ),
            s("teams")
        );
        assert_eq!(
            subject(
                "Both plans, which at first seemed weak, had won support.",
                "seemed"
            ),
            s("Both plans")
        );
        assert_eq!(
            subject(
                "Even Oliver, who hosts a show, appeared to lose his temper.",
                "appeared"
            ),
            s("Even Oliver")
        );
        // A relative pronoun alone is the subject.
        assert_eq!(
            subject(
                "They sail to Dorrow, which is expected to draw a crowd.",
                "is"
            ),
            s("which")
        );
        // Nothing before the cue.
        assert_eq!(subject("Seems fine to me.", "Seems"), None);
    }

    #[test]
    fn adverbials_and_contractions_leave_the_source() {
        let d = view("Wren Halvard, at a later press gaggle, said she was briefed.");
        let mut s = cand(&d, "Wren Halvard, at a later press gaggle,", true);
        drop_adverbial(&d, &mut s, &(find(&d, "said")..find(&d, "said") + 1));
        assert_eq!(texts(&d, &[s.toks]), ["Wren Halvard"]);
        // An affiliation after "at" stays.
        let d = view("Tom Miller, at the Royal Institute, said it was over.");
        let mut s = cand(&d, "Tom Miller, at the Royal Institute,", true);
        drop_adverbial(&d, &mut s, &(find(&d, "said")..find(&d, "said") + 1));
        assert_eq!(
            texts(&d, &[s.toks]),
            ["Tom Miller, at the Royal Institute,"]
        );
        // After the cue, the appositive and its comma stay.
        let d = view("“It is wrong,” said Rep. Varga, the top Democrat, in a statement.");
        let mut s = cand(&d, "Rep. Varga, the top Democrat, in a statement", false);
        drop_adverbial(&d, &mut s, &(find(&d, "said")..find(&d, "said") + 1));
        assert_eq!(texts(&d, &[s.toks]), ["Rep. Varga, the top Democrat,"]);

        let d = view("He’s claiming that fraud is a problem.");
        let mut s = cand(&d, "He’s", true);
        let c = find(&d, "claiming");
        let cue = split_contraction(&d, &mut s, c..c + 1);
        assert_eq!(texts(&d, &[s.toks, cue]), ["He", "’s claiming"]);
        for (text, source, pronoun, cue_text) in [
            ("I’ve said it many times.", "I’ve", "I", "’ve said"),
            (
                "They're saying the port is shut.",
                "They're",
                "They",
                "'re saying",
            ),
            ("We’ll argue that it is open.", "We’ll", "We", "’ll argue"),
            ("She’d insisted it was open.", "She’d", "She", "’d insisted"),
        ] {
            let d = view(text);
            let mut s = cand(&d, source, true);
            let word = cue_text.split(' ').nth(1).unwrap();
            let c = find(&d, word);
            let cue = split_contraction(&d, &mut s, c..c + 1);
            assert_eq!(texts(&d, &[s.toks, cue]), [pronoun, cue_text], "{text}");
        }
        // A possessive stays: "Marden's claim".
        let d = view("Politifact seized on Marden's claim that it was so.");
        let mut s = cand(&d, "Marden's", true);
        let c = find(&d, "claim");
        let cue = split_contraction(&d, &mut s, c..c + 1);
        assert_eq!(texts(&d, &[s.toks, cue]), ["Marden's", "claim"]);
    }

    #[test]
    fn a_reporting_clause_followed_only_by_its_time_gives_the_words_before_it() {
        let d = view("Marden raised four million dollars, his campaign announced late Saturday.");
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        assert!(time_only(&d, range("late", "Saturday")));
        assert!(time_only(&d, range("late", ".")));
        assert!(!time_only(&d, range("four", "dollars")));
        // "late Saturday" is no content candidate of "announced".
        let source = SourceCand {
            toks: range("his", "campaign"),
            before: true,
        };
        let cands = content_candidates(&d, &range("announced", "announced"), Some(&source));
        let cands: Vec<_> = cands
            .iter()
            .map(|c| texts(&d, std::slice::from_ref(&c.toks)))
            .collect();
        assert_eq!(cands, [["Marden raised four million dollars"]]);
        // A reporting clause that ends its sentence but for its time still reports the cue
        // whose content crosses it.
        let raised = predicted(
            range("raised", "raised"),
            0.4,
            Some(range("Marden", "Marden")),
            0.9,
            vec![range("four", "Saturday")],
        );
        let announced = predicted_before(
            range("announced", "announced"),
            0.9,
            Some(range("his", "campaign")),
            0.9,
            vec![range("Marden", "dollars")],
        );
        let mut out = vec![raised, announced];
        uncross(&d, &mut out);
        assert_eq!(texts(&d, &out[0].contents), ["four million dollars"]);
    }

    #[test]
    fn a_quotation_right_after_the_cue_is_its_content() {
        let d = view("He had a fine line when she said, “Flying is an activity, not a feat.”");
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        let block = range("she", "said");
        let before = Some((
            0.7,
            ContentCand {
                toks: range("He", "when"),
                kind: ContentKind::Before,
            },
        ));
        let quote = Some((
            0.4,
            ContentCand {
                toks: find(&d, "“")..d.tokens.len(),
                kind: ContentKind::After,
            },
        ));
        let chosen = quoted_after(&d, &block, &before, &quote).expect("the quotation");
        assert_eq!(chosen.1.toks, quote.as_ref().unwrap().1.toks);
        // Not when the model chose something after the block, nor without a quotation there.
        assert!(quoted_after(&d, &block, &quote, &quote).is_none());
        assert!(quoted_after(&d, &block, &before, &None).is_none());
        // Not when words stand between the cue and the quotation.
        let d = view("He had a fine line when she said on air, “Flying is an activity.”");
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        let quote = Some((
            0.4,
            ContentCand {
                toks: find(&d, "“")..d.tokens.len(),
                kind: ContentKind::Quote,
            },
        ));
        assert!(quoted_after(&d, &range("she", "said"), &before, &quote).is_none());
    }

    #[test]
    fn a_colon_after_an_adverbial_is_no_cue() {
        let label = |text: &str| {
            let d = view(text);
            let c = find(&d, ":");
            adverb_label(&d, &(c..c + 1))
        };
        assert!(label("Earlier:\n\nVelin said the port was shut."));
        assert!(label("In conclusion: we urge the board to act."));
        assert!(label("• Instead : we urge the board to act."));
        assert!(!label("Velin: we urge the board to act."));
        assert!(!label("Earlier, Velin wrote: the port is shut."));
        assert!(!label(": the port is shut."));
    }

    #[test]
    fn a_source_after_a_preposition_is_the_whole_noun_phrase() {
        // The source the model chose is `last`, the last words before the cue `cue`.
        let run = |text: &str, last: &str, cue: &str| {
            let d = view(text);
            let c = find(&d, cue);
            let s0 = find(&d, last);
            let mut s = SourceCand {
                toks: s0..c,
                before: true,
            };
            let taken = vec![false; d.tokens.len()];
            whole_noun_phrase(&d, &mut s, &(c..c + 1), &taken);
            texts(&d, &[s.toks])[0].clone()
        };
        let t = "Moreover, the report of the closure of a bridge over the Brenn further shows it.";
        assert_eq!(
            run(t, "the", "further").as_str(),
            "the report of the closure of a bridge over the Brenn"
        );
        let t = "The figures compiled by the port board show a loss.";
        assert_eq!(
            run(t, "the", "show"),
            "The figures compiled by the port board"
        );
        let t = "The statement from the Velnian board highlights a gap.";
        assert_eq!(
            run(t, "Velnian", "highlights"),
            "The statement from the Velnian board"
        );
        let t = "Nearly a third of them said no.";
        assert_eq!(run(t, "them", "said"), "Nearly a third of them");
        // Not over a clause's verb, a past verb after a name, an "-ing" word or a phrase that
        // opens with a participle or "along".
        for (t, last, cue) in [
            (
                "Even the board has been slow in its review of ships.",
                "its",
                "review",
            ),
            (
                "Velin met with port officials said to be there.",
                "port",
                "said",
            ),
            (
                "Velin huddled briefly with port officials said to be there.",
                "port",
                "said",
            ),
            (
                "Ships careening from port to port said nothing.",
                "port",
                "said",
            ),
            (
                "Ships sailed, followed by a clip of Velin said to be new.",
                "Velin",
                "said",
            ),
            (
                "It ran, along with graphics said to be new.",
                "graphics",
                "said",
            ),
        ] {
            let d = view(t);
            let chosen = d.text
                [d.tokens[find(&d, last)].span.start..d.tokens[find(&d, cue) - 1].span.end]
                .to_owned();
            assert_eq!(run(t, last, cue), chosen, "{t}");
        }
        // Nor with nothing before the preposition in its clause, nor over 20 tokens.
        let t = "It rose, with officials said to agree.";
        assert_eq!(run(t, "officials", "said"), "officials");
        let t = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen \
                 fifteen sixteen seventeen eighteen nineteen twenty of the board said so.";
        assert_eq!(run(t, "the", "said"), "the board");
    }

    #[test]
    fn the_source_after_according_to_runs_to_its_clause_break() {
        let run = |text: &str, first: &str| {
            let d = view(text);
            let cue = find(&d, "according");
            let s0 = find(&d, first);
            let mut s = SourceCand {
                toks: s0..s0 + 1,
                before: false,
            };
            according_to_clause(&d, &mut s, &(cue..cue + 2));
            texts(&d, &[s.toks])[0].clone()
        };
        let t = "according to Dorrow harbour reports, the bridge was closed.";
        assert_eq!(run(t, "Dorrow"), "Dorrow harbour reports");
        let t = "The bridge was closed, according to a filing made by the port's lawyers.";
        assert_eq!(run(t, "a"), "a filing made by the port's lawyers");
        // Not into a quotation.
        let t = "according to Dorrow “harbour reports,” the bridge was closed.";
        assert_eq!(run(t, "Dorrow"), "Dorrow");
        // A noun that ends the mention is no cue; a verb inside it is.
        let d = view("according to Dorrow reports, a filing made by Velin.");
        let at = |w: &str| find(&d, w);
        let mut cues = vec![
            (0.9, at("according")..at("according") + 2),
            (0.6, at("reports")..at("reports") + 1),
            (0.6, at("made")..at("made") + 1),
        ];
        drop_cues_in_according_to(&d, &mut cues);
        assert_eq!(cues.len(), 2);
        let d = view("according to a filing made by Velin.");
        let mut cues = vec![(0.9, 0..2), (0.6, find(&d, "made")..find(&d, "made") + 1)];
        drop_cues_in_according_to(&d, &mut cues);
        assert_eq!(cues.len(), 2);
    }

    #[test]
    fn a_title_of_capitalised_words_past_eight_is_one_source_candidate() {
        let before = |text: &str| {
            let d = view(text);
            let cue = find(&d, "said");
            source_candidates(&d, &(cue..cue + 1))
                .iter()
                .filter(|c| c.before)
                .map(|c| texts(&d, std::slice::from_ref(&c.toks))[0].clone())
                .collect::<Vec<_>>()
        };
        let title = "U.S. Northern Harbour Board Deputy Strategic Shipping Coordinator Ivo Marsk";
        let cands = before(&format!("{title} said the port would reopen."));
        assert!(cands.contains(&title.to_string()), "{cands:?}");
        let title = "Deputy Minister of Ports and Canals for the Northern Region Ivo Marsk";
        let cands = before(&format!("The {title} said the port would reopen."));
        assert!(cands.contains(&format!("The {title}")), "{cands:?}");
        // Not over lowercase words, nor over a headline in capitals.
        let cands = before(
            "Ports reopened when the Northern Harbour Board Deputy Strategic Shipping \
             Coordinator Ivo Marsk said so.",
        );
        assert!(cands.iter().all(|c| !c.starts_with("when")), "{cands:?}");
        let cands = before(
            "HARBOUR REOPENS AFTER STORM The Northern Harbour Board Deputy Strategic Shipping \
             Coordinator Ivo Marsk said so.",
        );
        assert!(cands.iter().all(|c| !c.contains("STORM")), "{cands:?}");
        assert!(
            cands.iter().any(|c| c.starts_with("The Northern")),
            "{cands:?}"
        );
    }

    #[test]
    fn a_long_mention_after_a_quotation_and_its_cue_is_a_source_candidate() {
        let text =
            "“We sail at dawn,” said a longtime harbour pilot who has worked for two of the \
                    port's owners.";
        let d = view(text);
        let cue = find(&d, "said");
        let cands: Vec<_> = source_candidates(&d, &(cue..cue + 1))
            .iter()
            .filter(|c| !c.before)
            .map(|c| texts(&d, std::slice::from_ref(&c.toks))[0].clone())
            .collect();
        assert!(
            cands.contains(
                &"a longtime harbour pilot who has worked for two of the port's owners".to_string()
            ),
            "{cands:?}"
        );
        // Up to the next clause break only.
        let d =
            view("“We sail,” said a longtime harbour pilot who has worked for years — and more.");
        let cue = find(&d, "said");
        let longest = source_candidates(&d, &(cue..cue + 1))
            .iter()
            .filter(|c| !c.before)
            .map(|c| c.toks.end)
            .max();
        assert_eq!(longest, Some(find(&d, "—")));
    }

    #[test]
    fn crossing_contents_give_way_to_a_final_reporting_clause() {
        let d = view("Halvard plans to visit Dorrow on Sunday, according to a tour aide.");
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        let plans = predicted(
            range("plans", "plans"),
            0.4,
            Some(range("Halvard", "Halvard")),
            0.9,
            std::iter::once(find(&d, "to")..find(&d, "aide") + 1).collect(),
        );
        let according = predicted_before(
            range("according", "to"),
            0.9,
            Some(range("a", "aide")),
            0.9,
            vec![range("Halvard", "Sunday")],
        );
        let mut out = vec![plans, according];
        uncross(&d, &mut out);
        assert_eq!(texts(&d, &out[0].contents), ["to visit Dorrow on Sunday"]);
        assert_eq!(
            texts(&d, &out[1].contents),
            ["Halvard plans to visit Dorrow on Sunday"]
        );
    }

    #[test]
    fn an_opening_as_clause_says_the_rest_of_its_sentence() {
        // The contents after `as_clauses`, for a "said" whose source is "Mr. Dunn" and whose
        // content is first `content`.
        let run = |text: &str, content: (&str, &str)| {
            let d = view(text);
            let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
            let mut out = vec![predicted_before(
                range("said", "said"),
                0.9,
                Some(range("Mr", "Dunn")),
                0.9,
                vec![range(content.0, content.1)],
            )];
            as_clauses(&d, &mut out);
            texts(&d, &out[0].contents)
        };
        let text = "But, as Mr. Dunn said, the outlet has lost its credibility.";
        assert_eq!(
            run(text, ("But", "But")),
            ["the outlet has lost its credibility"]
        );
        let text = "As Mr. Dunn said, the outlet has lost its credibility.";
        assert_eq!(
            run(text, ("the", "outlet")),
            ["the outlet has lost its credibility"]
        );
        // Without "as" before the source, or with no comma after the cue, nothing changes.
        let text = "But then Mr. Dunn said, the outlet has lost its credibility.";
        assert_eq!(run(text, ("But", "But")), ["But"]);
        let text = "As Mr. Dunn said the outlet has lost its credibility.";
        assert_eq!(run(text, ("the", "outlet")), ["the outlet"]);
    }

    #[test]
    fn a_content_stops_before_the_next_clause_with_its_own_source_and_cue() {
        let run = |text: &str, b_source: (&str, &str), b_cue: &str| {
            let d = view(text);
            let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
            let a = predicted(
                range("pledged", "pledged"),
                0.9,
                Some(range("Lee", "Lee")),
                0.9,
                vec![range("to", "plan")],
            );
            let b = predicted(
                range(b_cue, b_cue),
                0.9,
                Some(range(b_source.0, b_source.1)),
                0.9,
                vec![range("that", "plan")],
            );
            let mut out = vec![a, b];
            stop_at_next_clause(&d, &mut out);
            (
                texts(&d, &out[0].contents).remove(0),
                texts(&d, &out[1].contents).remove(0),
            )
        };
        let (a, b) = run(
            "Lee pledged to work with both groups, Ortiz insisted that change needs a new plan.",
            ("Ortiz", "Ortiz"),
            "insisted",
        );
        assert_eq!(a, "to work with both groups");
        assert_eq!(b, "that change needs a new plan");
        let (a, _) = run(
            "Lee pledged to work with both groups, and other leaders insisted that it needs a new plan.",
            ("other", "leaders"),
            "insisted",
        );
        assert_eq!(a, "to work with both groups");
        // Without a comma before the other source, the report is nested and stays.
        let (a, _) = run(
            "Lee pledged to work with both groups that Ortiz insisted needs a new plan.",
            ("Ortiz", "Ortiz"),
            "insisted",
        );
        assert_eq!(
            a,
            "to work with both groups that Ortiz insisted needs a new plan"
        );
        // A cue whose source is elsewhere, after a comma.
        let d = view("Graham, who says allies should send troops, tweeted that it will fail.");
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        let says = predicted(
            range("says", "says"),
            0.9,
            Some(range("who", "who")),
            0.9,
            vec![range("allies", "fail")],
        );
        let tweeted = predicted(
            range("tweeted", "tweeted"),
            0.9,
            Some(range("Graham", "Graham")),
            0.9,
            vec![range("that", "fail")],
        );
        let mut out = vec![says, tweeted];
        stop_at_next_clause(&d, &mut out);
        assert_eq!(texts(&d, &out[0].contents), ["allies should send troops"]);
        assert_eq!(texts(&d, &out[1].contents), ["that it will fail"]);
    }

    #[test]
    fn an_opening_asked_clause_has_no_source() {
        let d = view("Asked about the polls, Rubio said he was not worried.");
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        let mut out = vec![
            predicted(
                range("Asked", "Asked"),
                0.5,
                Some(range("Rubio", "Rubio")),
                0.2,
                vec![range("about", "worried")],
            ),
            predicted(
                range("said", "said"),
                0.9,
                Some(range("Rubio", "Rubio")),
                0.9,
                vec![range("he", "worried")],
            ),
        ];
        opening_participles(&d, &mut out);
        assert_eq!(out[0].source, None);
        assert_eq!(texts(&d, &out[0].contents), ["about the polls"]);
        assert_eq!(texts(&d, out[1].source.as_slice()), ["Rubio"]);
    }

    #[test]
    fn an_opening_participle_clause_gives_its_sentence_to_the_main_cue() {
        let d = view("Pointing to one big change, Walsh noted that Ohio had one staffer.");
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        let pointing = |source| {
            predicted(
                range("Pointing", "to"),
                0.5,
                source,
                0.2,
                vec![range("one", "staffer")],
            )
        };
        let noted = predicted(
            range("noted", "noted"),
            0.9,
            Some(range("Walsh", "Walsh")),
            0.9,
            vec![range("that", "staffer")],
        );
        // A source carried over from elsewhere, or none, becomes the main clause's subject, and
        // what it says stops at the comma.
        for source in [None, Some(range("Ohio", "Ohio"))] {
            let mut out = vec![pointing(source), noted.clone()];
            opening_participles(&d, &mut out);
            assert_eq!(texts(&d, &out[0].contents), ["one big change"]);
            assert_eq!(texts(&d, out[0].source.as_slice()), ["Walsh"]);
            assert_eq!(texts(&d, &out[1].contents), ["that Ohio had one staffer"]);
        }
        // The comma that closes the clause may stand inside the quotation that ends it, whose
        // closing mark may be a `''` of two tokens.
        for (text, open, quoted) in [
            (
                "Citing “duties at home,” the spokeswoman said that Lund would stay.",
                "“",
                "“duties at home,”",
            ),
            (
                "Citing ''duties at home,'' the spokeswoman said that Lund would stay.",
                "'",
                "''duties at home,''",
            ),
        ] {
            let d = view(text);
            let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
            let mut out = vec![
                predicted(
                    range("Citing", "Citing"),
                    0.5,
                    None,
                    0.0,
                    vec![range(open, "stay")],
                ),
                predicted(
                    range("said", "said"),
                    0.9,
                    Some(range("the", "spokeswoman")),
                    0.9,
                    vec![range("that", "stay")],
                ),
            ];
            opening_participles(&d, &mut out);
            assert_eq!(texts(&d, &out[0].contents), [quoted]);
            assert_eq!(texts(&d, out[0].source.as_slice()), ["the spokeswoman"]);
        }
        // Without a main cue with a source after the comma, nothing changes.
        let mut out = vec![pointing(None)];
        opening_participles(&d, &mut out);
        assert_eq!(out[0].source, None);
        assert_eq!(
            texts(&d, &out[0].contents),
            ["one big change, Walsh noted that Ohio had one staffer"]
        );
        // "According to" opens no participle clause: "According to police, officers said …".
        let d = view("According to police, officers said he ran.");
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        let mut out = vec![
            predicted(
                range("According", "to"),
                0.9,
                Some(range("police", "police")),
                0.9,
                vec![range("officers", "ran")],
            ),
            predicted(
                range("said", "said"),
                0.9,
                Some(range("officers", "officers")),
                0.9,
                vec![range("he", "ran")],
            ),
        ];
        opening_participles(&d, &mut out);
        assert_eq!(texts(&d, out[0].source.as_slice()), ["police"]);
        assert_eq!(texts(&d, &out[0].contents), ["officers said he ran"]);
    }

    #[test]
    fn page_labels_are_not_sources() {
        let d = view("The Latest: Marden urges supporters to vote.");
        let colon = find(&d, ":");
        let src = |toks| SourceCand { toks, before: true };
        assert!(page_label(&d, &(colon..colon + 1), Some(&src(0..2))));
        let d = view("Halvard: I will win.");
        assert!(!page_label(&d, &(1..2), Some(&src(0..1))));
    }

    #[test]
    fn contents_are_cut_at_clause_boundaries() {
        let d =
            view("The board said that it is cutting its fees, and the cut is lifting the harbour.");
        let cue = find(&d, "said");
        let got: Vec<String> = content_candidates(&d, &(cue..cue + 1), None)
            .iter()
            .map(|c| texts(&d, std::slice::from_ref(&c.toks)).remove(0))
            .collect();
        assert!(
            got.iter().any(|g| g == "that it is cutting its fees"),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|g| g == "that it is cutting its fees, and the cut is lifting the harbour"),
            "{got:?}"
        );
    }

    #[test]
    fn contents_may_end_before_a_preposition_or_subordinator() {
        let cands = |text: &str| {
            let d = view(text);
            let cue = find(&d, "said");
            content_candidates(&d, &(cue..cue + 1), None)
                .iter()
                .map(|c| texts(&d, std::slice::from_ref(&c.toks)).remove(0))
                .collect::<Vec<String>>()
        };
        let got = cands("Velin said the port would stay open in the spring because of the vote.");
        assert_has(
            &got,
            &[
                "the port would stay open",
                "the port would stay open in the spring",
                "the port would stay open in the spring because of the vote",
            ],
        );
        // Not within its first four words, nor after a comma (a cut of its own), nor inside a
        // quotation.
        let got = cands("Velin said it is in the spring, in May.");
        assert_eq!(
            got,
            [
                "it is in the spring",
                "it is in the spring, in May",
                "Velin"
            ]
        );
        let got = cands("Velin said “the port would stay open in the spring.”");
        assert!(got.iter().all(|g| !g.ends_with("open")), "{got:?}");
    }

    #[test]
    fn cached_cue_phrase_columns_give_the_same_probabilities() {
        let model = AttributionModel::embedded().unwrap();
        let d = model.view(
            "He said it was \"fine\". She has been warning that they would not be told, Pat \
             added. According to officials, it is said to be over. \"No,\" said Kirby.",
        );
        let lex = CueLexicon::of_file(model.file());
        let mut ps = PScratch {
            names: NameHasher::new(model.file.hash_seed),
            x: SparseVec::new(),
            probs: Vec::new(),
            counts: ColumnCounts::default(),
        };
        let mut cache = CuePhraseCache::default();
        cache.own(model.id);
        let cands = lex.candidates(&d);
        assert!(cands.len() > 5, "{cands:?}");
        // Twice: the phrases are put in the cache the first time and read from it the second.
        for round in 0..2 {
            for r in &cands {
                let want = model.p_yes(&model.cue, &mut ps, |f| cue_features_into(&d, r, &lex, f));
                let got = model.p_yes(&model.cue, &mut ps, |f| {
                    let mut w = CueWords::new(&d, r);
                    cache.add_phrase(&mut w, || lex.knows(&d, r), f);
                    w.context_features(&d, r, f);
                });
                assert_eq!(want.to_bits(), got.to_bits(), "round {round}, cue {r:?}");
            }
        }
        assert!(cache.map.contains_key("said") && cache.map.contains_key("according to"));
        // Another model's cache is emptied.
        cache.own(model.id + 1);
        assert!(cache.map.is_empty() && cache.pool.is_empty());
    }

    #[test]
    fn predictions_leave_the_kept_counts_clear() {
        let model = AttributionModel::embedded().unwrap();
        let d = view(
            "“The bridge will close in May,” the mayor said on Tuesday. Officials, who asked not \
             to be named, told reporters that the ferry would run instead. Nell Aster warned: \
             “We were never asked.”",
        );
        let predict = |d: &DocView| format!("{:?}", model.predict(d));
        let first = predict(&d);
        assert!(first.contains("cue"));
        // The counts kept on this thread are as scoring left them, and the next document sees the
        // same predictions as a fresh thread would.
        let counts = COUNTS.take();
        assert!(counts.is_clear());
        COUNTS.set(counts);
        assert_eq!(predict(&d), first);
        let fresh = std::thread::scope(|s| s.spawn(|| predict(&d)).join().unwrap());
        assert_eq!(fresh, first);
    }

    /// Every word list of this module, for the test of [`word_in`].
    const WORD_LISTS: &[&WordList] = &[
        &PRONOUNS,
        &CUE_LEFT_WORDS,
        &CUE_RIGHT_WORDS,
        &NOT_FRAME_HEADS,
        &SEED_CUE_STEMS,
        &GAP_START,
        &GAP_END,
        &GAP_ADVERBS,
        &NOT_SOURCE_START,
        &NOT_SOURCE_END,
        &AUXILIARY_END,
        &TIME_WORDS,
        &PREPOSITIONS,
        &BE_FORMS,
        &IRREGULAR_PARTICIPLES,
        &CUT_WORDS,
        &CONNECTIVES,
        &NOT_SPEAKER_LABELS,
        &ADVERBIAL_OPEN,
        &HEARSAY_ADVERBS,
        &PAGE_LABELS,
        &OPENING_PREPOSITIONS,
    ];

    #[test]
    fn word_lists_hold_their_own_words() {
        for list in WORD_LISTS {
            for w in list.words {
                assert!(word_in(list, w), "{w}");
                // A word one byte longer than a listed one.
                let longer = format!("{w}s");
                assert_eq!(
                    word_in(list, &longer),
                    list.words.contains(&longer.as_str())
                );
            }
            assert_eq!(word_in(list, ""), list.words.contains(&""));
        }
    }

    /// The columns that `features` writes for `m`, in order.
    fn columns_of(
        names: &mut NameHasher,
        m: &LinearModel,
        features: impl FnOnce(&mut ColumnHasher<Vec<u32>>),
    ) -> Vec<u32> {
        let mut counts = Vec::new();
        features(&mut ColumnHasher {
            names,
            model: m,
            counts: &mut counts,
        });
        counts
    }

    /// The columns of a cue's source candidates, in order, with [`SourceKept`] slots kept from
    /// one candidate to the next (as `predict_with` keeps them) and without.
    fn kept_and_fresh_source_columns(model: &AttributionModel, d: &DocView) -> usize {
        let mut names = NameHasher::new(model.file.hash_seed);
        let mut n = 0;
        for cue in CueLexicon::of_file(model.file()).candidates(d) {
            let sc = SourceCue::new(d, &cue);
            let mut kept = SourceKept::default();
            for c in source_candidates(d, &cue) {
                let with_kept = columns_of(&mut names, &model.source, |f| {
                    source_features_kept(d, &sc, &c, &mut kept, f)
                });
                let fresh = columns_of(&mut names, &model.source, |f| {
                    source_features_of(d, &sc, &c, f)
                });
                assert_eq!(with_kept, fresh, "cue {cue:?}, candidate {c:?}");
                n += 1;
            }
        }
        n
    }

    /// The context columns of a document's cue candidates, in order, with [`CueKept`] slots kept
    /// from one candidate to the next (as `predict_with` keeps them) and without.
    fn kept_and_fresh_cue_columns(model: &AttributionModel, d: &DocView) -> usize {
        let mut names = NameHasher::new(model.file.hash_seed);
        let mut kept = CueKept::default();
        let mut n = 0;
        for r in CueLexicon::of_file(model.file()).candidates(d) {
            let w = CueWords::new(d, &r);
            let with_kept = columns_of(&mut names, &model.cue, |f| {
                w.context_features_kept(d, &r, &mut kept, f)
            });
            let fresh = columns_of(&mut names, &model.cue, |f| w.context_features(d, &r, f));
            assert_eq!(with_kept, fresh, "cue {r:?}");
            n += 1;
        }
        n
    }

    #[test]
    fn kept_cue_columns_are_the_fresh_ones() {
        let model = AttributionModel::embedded().unwrap();
        let d = model.view(
            "Officials have said that the ferry will run, and Reed has also warned: \"Not yet.\" \
             \"It is over,\" she told reporters. According to the board, it was never asked.",
        );
        assert!(kept_and_fresh_cue_columns(&model, &d) > 8);
    }

    #[test]
    fn kept_source_columns_are_the_fresh_ones() {
        let model = AttributionModel::embedded().unwrap();
        let d = model.view(
            "Mayor Ilsa Varga, a former ferry pilot, said on Monday that the bridge would close. \
             \"It is over,\" said the harbour board's chairman, Tomas Reed, who was asked twice. \
             The Ledger reported that she has been warned, according to two officials.",
        );
        assert!(kept_and_fresh_source_columns(&model, &d) > 20);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]
        /// Whatever the text, the kept source and cue columns are those computed afresh.
        #[test]
        fn kept_columns_are_the_fresh_ones_anywhere(
            text in "([A-Za-z]{1,8}|[ ,.:;\"“”()-]|\n\n|said|told|the|a|of|in|who|on Monday|according to|Ms\\.|Reed|Varga|was|asked|reported|that){0,50}"
        ) {
            let model = AttributionModel::embedded().unwrap();
            let d = model.view(&text);
            kept_and_fresh_source_columns(&model, &d);
            kept_and_fresh_cue_columns(&model, &d);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// The bits of lengths and first bytes never hide a listed word: `word_in` is `contains`.
        #[test]
        fn word_in_is_contains(
            w in "([a-z]{0,3}|[a-zA-Z’'.,-]{1,12}|that|said|with|after|also|former|Mr|—|“|\u{e9}t\u{e9}){1,2}",
            k in 0..22usize,
        ) {
            let list = WORD_LISTS[k % WORD_LISTS.len()];
            prop_assert_eq!(word_in(list, &w), list.words.contains(&w.as_str()));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// On any text, candidates stay inside their sentence and predictions inside the text.
        #[test]
        fn candidates_and_predictions_stay_in_bounds(
            text in "([A-Za-z]{1,8}|[ ,.:;!?\"'“”‘’«»—―–()-]|\n|\n\n|said|told|added:|''|’ve|'re|’d|despite|In|And|But|pointedly|also|smiling|according to|Citing|announced|late|Saturday|by|longtime|reports|To|War|Council|Deputy|NATO|for the){0,60}"
        ) {
            let model = AttributionModel::embedded().unwrap();
            let d = model.view(&text);
            let lex = CueLexicon::of_file(model.file());
            for r in lex.candidates(&d) {
                let s = &d.sent_toks[d.tok_sent[r.start]];
                prop_assert!(r.start < r.end && s.start <= r.start && r.end <= s.end);
                for c in source_candidates(&d, &r) {
                    prop_assert!(!c.toks.is_empty() && c.toks.end <= d.tokens.len());
                }
            }
            for p in model.predict(&d) {
                for r in p.contents.iter().chain(p.source.iter()).chain(std::iter::once(&p.cue)) {
                    prop_assert!(r.start <= r.end && r.end <= d.tokens.len());
                    prop_assert!(d.qpair.get(r.start) != Some(&-1) || r.is_empty());
                }
            }
        }
    }
}
