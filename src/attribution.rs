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
use crate::model::{LinearModel, LinearModelData, SparseVec, StrHasher};
use crate::segment::{Sentence, SentenceSplitter};
use crate::tokenize::{CharIndex, Token, Tokenizer, TokenizerSpec};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The `format` tag of an attribution model file.
pub const ATTRIBUTION_FORMAT: &str = "whosaid.attribution";
/// The attribution model format version this build reads and writes.
pub const ATTRIBUTION_FORMAT_VERSION: u32 = 1;

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "i", "we", "you", "it", "who", "which", "that", "his", "her", "their",
    "him", "them", "us", "me",
];

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
    /// Byte/char conversion.
    pub chars: CharIndex,
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
        let mut in_quote = vec![false; tokens.len()];
        let mut open = false;
        let mut para = usize::MAX;
        for (i, tok) in tokens.iter().enumerate() {
            let p = sentences.get(tok_sent[i]).map_or(0, |s| s.paragraph);
            if p != para {
                para = p;
                open = false;
            }
            let n = tok.norm.as_str();
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
        DocView {
            text,
            chars: CharIndex::new(text),
            tokens,
            sentences,
            sent_toks,
            tok_sent,
            in_quote,
        }
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

    fn orig(&self, i: usize) -> &str {
        &self.text[self.tokens[i].span.clone()]
    }

    fn shape(&self, i: usize) -> &'static str {
        let o = self.orig(i);
        let mut cs = o.chars();
        match cs.next() {
            Some(c) if c.is_uppercase() => {
                if o.chars().all(|c| !c.is_lowercase()) && o.chars().count() > 1 {
                    "XX"
                } else {
                    "Xx"
                }
            }
            Some(c) if c.is_lowercase() => "x",
            Some(c) if c.is_numeric() => "9",
            _ => "p",
        }
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

/// Cue phrases indexed by their first token.
#[derive(Clone, Debug, Default)]
pub struct CueLexicon {
    phrases: Vec<Vec<String>>,
    /// Bit `len * 256 + first byte` (length capped at 31) set for each phrase's first word: a
    /// quick test before the map.
    starts: Vec<u64>,
    by_first: HashMap<String, Vec<usize>, BuildHasherDefault<StrHasher>>,
}

impl CueLexicon {
    /// Indexes `phrases`.
    pub fn new(phrases: Vec<Vec<String>>) -> Self {
        let mut by_first: HashMap<String, Vec<usize>, BuildHasherDefault<StrHasher>> =
            HashMap::default();
        for (i, p) in phrases.iter().enumerate() {
            if let Some(f) = p.first() {
                by_first.entry(f.clone()).or_default().push(i);
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
        }
    }

    /// The phrases.
    pub fn phrases(&self) -> &[Vec<String>] {
        &self.phrases
    }

    /// Every occurrence of a phrase inside one sentence: `(token range, phrase index)`.
    pub fn candidates(&self, doc: &DocView) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        for sent in &doc.sent_toks {
            for i in sent.clone() {
                let k = start_key(&doc.tokens[i].norm);
                if self
                    .starts
                    .get(k / 64)
                    .is_none_or(|b| b & (1 << (k % 64)) == 0)
                {
                    continue;
                }
                let Some(ids) = doc.tokens.get(i).and_then(|t| self.by_first.get(&t.norm)) else {
                    continue;
                };
                for &pid in ids {
                    let p = &self.phrases[pid];
                    // The first word is the map's key; compare the rest, first bytes first.
                    if i + p.len() <= sent.end
                        && doc.tokens[i + 1..i + p.len()]
                            .iter()
                            .zip(&p[1..])
                            .all(|(t, w)| {
                                let (a, b) = (t.norm.as_bytes(), w.as_bytes());
                                a.len() == b.len() && a.first() == b.first() && a == b
                            })
                    {
                        out.push((i..i + p.len(), pid));
                    }
                }
            }
        }
        out
    }
}

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
}

impl FeatureOut for Vec<String> {
    fn add(&mut self, parts: &[&str]) {
        self.push(parts.concat());
    }
}

/// Hashes feature names as the models were trained: xxh3 of the name with the model's seed.
#[derive(Debug, Default)]
pub struct FeatureHasher {
    seed: u64,
    buf: Vec<u8>,
    /// The hashes, in the order added.
    pub feats: Vec<(u64, Group)>,
}

impl FeatureHasher {
    /// An empty hasher with `seed`.
    pub fn new(seed: u64) -> Self {
        FeatureHasher {
            seed,
            ..FeatureHasher::default()
        }
    }

    /// Forgets the features added.
    pub fn clear(&mut self) {
        self.feats.clear();
    }
}

impl FeatureOut for FeatureHasher {
    fn add(&mut self, parts: &[&str]) {
        self.buf.clear();
        for p in parts {
            self.buf.extend_from_slice(p.as_bytes());
        }
        self.feats
            .push((xxh3_64_with_seed(&self.buf, self.seed), Group::Word));
    }
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// Decimal digits of `n` in `buf`.
fn num_str(n: usize, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

/// Features of a cue candidate.
pub fn cue_features(doc: &DocView, toks: &Range<usize>, phrase: &[String]) -> Vec<String> {
    let mut f = Vec::new();
    cue_features_into(doc, toks, phrase, &mut f);
    f
}

/// [`cue_features`] into `f`.
pub fn cue_features_into(
    doc: &DocView,
    toks: &Range<usize>,
    phrase: &[String],
    f: &mut impl FeatureOut,
) {
    let sent = &doc.sent_of(toks);
    let a = toks.start as isize;
    let b = toks.end as isize;
    let p = &phrase.join(" ");
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
    let mut nbuf = [0u8; 20];
    f.add(&["p=", p]);
    f.add(&["pw1=", pw1]);
    f.add(&["pw2=", pw2]);
    f.add(&["nw1=", nw1]);
    f.add(&["nw2=", nw2]);
    f.add(&["p|pw1=", p, "|", pw1]);
    f.add(&["p|nw1=", p, "|", nw1]);
    f.add(&["pshape=", pshape]);
    f.add(&["nshape=", nshape]);
    f.add(&["p|pshape=", p, "|", pshape]);
    f.add(&["p|nshape=", p, "|", nshape]);
    f.add(&["inq=", inq]);
    f.add(&["p|inq=", p, "|", inq]);
    f.add(&["len=", num_str(phrase.len(), &mut nbuf)]);
    f.add(&["cap=", shape(a)]);
    if a == sent.start as isize {
        f.add(&["sent_start"]);
    }
    if doc.tokens[toks.end..sent.end].iter().all(|t| t.is_punct()) {
        f.add(&["sent_end"]);
        f.add(&["p|sent_end=", p]);
    }
    if PRONOUNS.contains(&pw1) {
        f.add(&["pw1_pron"]);
    }
    if doc.tokens[sent.clone()].iter().any(|t| is_quote(&t.norm)) {
        f.add(&["sent_has_quote"]);
        f.add(&["p|sent_has_quote=", p]);
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
    let mut out = Vec::new();
    // Before the cue, stepping over a parenthesis ("Ron Kind (D-Wis.) said").
    before_candidates(doc, sent, cue.start, &mut out);
    // Before an appositive set off by commas ("Clinton, the Democratic nominee, said").
    if cue.start > sent.start + 2 && doc.tokens[cue.start - 1].norm == "," {
        let lo = sent.start.max(cue.start.saturating_sub(16));
        if let Some(j) = (lo..cue.start - 1)
            .rev()
            .find(|&j| doc.tokens[j].norm == ",")
        {
            before_candidates(doc, sent, j, &mut out);
        }
    }
    for len in 1..=8usize {
        let r = cue.end..cue.end + len;
        if r.end > sent.end || clause_break(&doc.tokens[r.end - 1].norm) {
            break;
        }
        out.push(SourceCand {
            toks: r,
            before: false,
        });
    }
    out
}

/// Words a source mention never starts with ("Meanwhile, ...", "As Ukraine ...", "Earlier ...").
const NOT_SOURCE_START: &[&str] = &[
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
];

/// Words a source mention never ends with ("the Seym River further", "Russia while").
const NOT_SOURCE_END: &[&str] = &[
    "while", "further", "also", "still", "again", "too", "then", "now", "however", "even",
    "already", "just", "only", "not", "never", "later", "and", "or", "but", "as", "the", "a", "an",
    "of", "in", "on", "to", "for", "with", "by", "at", "from", "is", "was", "has", "have", "had",
];

/// A source candidate must not start or end with a word no speaker's mention starts or ends with.
pub fn plausible_source(doc: &DocView, r: &Range<usize>) -> bool {
    let first = doc.tokens[r.start].norm.as_str();
    let last = doc.tokens[r.end - 1].norm.as_str();
    let adverb = last.len() > 4 && last.ends_with("ly");
    !(NOT_SOURCE_START.contains(&first) || NOT_SOURCE_END.contains(&last) || adverb)
}

fn before_candidates(doc: &DocView, sent: &Range<usize>, end: usize, out: &mut Vec<SourceCand>) {
    let mut start = end;
    let mut words = 0;
    while words < 8 && start > sent.start {
        let t = doc.tokens[start - 1].norm.as_str();
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
        words += 1;
        if plausible_source(doc, &(start..end)) {
            out.push(SourceCand {
                toks: start..end,
                before: true,
            });
        }
    }
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
    let sent = &doc.sent_of(cue);
    let side = if c.before { "B" } else { "A" };
    let first = doc.tokens[c.toks.start].norm.as_str();
    let last = doc.tokens[c.toks.end - 1].norm.as_str();
    let len = c.toks.len().min(6);
    let cue_w = doc.tokens[cue.start].norm.as_str();
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
    f.add(&["side=", side]);
    f.add(&["len=", side, len_s]);
    f.add(&["first=", side, first]);
    f.add(&["last=", side, last]);
    f.add(&["fshape=", side, doc.shape(c.toks.start)]);
    f.add(&["lshape=", side, doc.shape(c.toks.end - 1)]);
    f.add(&["shapes=", side, shapes]);
    f.add(&["bnd=", side, bnd]);
    f.add(&["aft=", side, aft]);
    f.add(&["cue|side=", cue_w, "|", side]);
    f.add(&["cue|len=", cue_w, "|", side, len_s]);
    f.add(&["inq=", bool_str(doc.in_quote[c.toks.start])]);
    f.add(&["gap=", side, gap]);
    if doc.tokens[c.toks.clone()].iter().any(|t| t.norm == "(") {
        f.add(&["paren=", side]);
    }
    if PRONOUNS.contains(&last) {
        f.add(&["pron=", side, len_s]);
    }
    if matches!(first, "the" | "a" | "an") {
        f.add(&["det=", side]);
    }
    if bnd == "<s>" {
        f.add(&["at_sent_start=", side]);
    }
    if doc.tokens[c.toks.clone()].iter().any(|t| t.norm == "of") {
        f.add(&["has_of=", side]);
    }
    if doc.tokens[c.toks.clone()]
        .iter()
        .all(|t| doc.shape_of(t) != "x")
    {
        f.add(&["allcap=", side, len_s]);
    }
}

const DIGITS: [&str; 7] = ["0", "1", "2", "3", "4", "5", "6"];

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

const CUT_WORDS: &[&str] = &[
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
];

/// A content candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentCand {
    /// Tokens.
    pub toks: Range<usize>,
    /// Kind.
    pub kind: ContentKind,
}

fn trim_range(doc: &DocView, mut r: Range<usize>) -> Range<usize> {
    // Leading separators, trailing sentence punctuation and commas (not after a closing quote).
    while r.start < r.end
        && matches!(
            doc.tokens[r.start].norm.as_str(),
            "," | ":" | "—" | "–" | "-"
        )
    {
        r.start += 1;
    }
    while r.start < r.end {
        let n = doc.tokens[r.end - 1].norm.as_str();
        if matches!(n, "." | "," | ";" | ":" | "—" | "–" | "-") {
            r.end -= 1;
        } else {
            break;
        }
    }
    r
}

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
        let mut cuts = 0;
        for k in after.start + 1..after.end {
            if cuts == 2 {
                break;
            }
            if doc.tokens[k].norm == "," && !doc.in_quote[k] {
                if let Some(n) = doc.tokens.get(k + 1) {
                    if CUT_WORDS.contains(&n.norm.as_str()) {
                        out.push(ContentCand {
                            toks: after.start..k,
                            kind: ContentKind::AfterCut,
                        });
                        cuts += 1;
                    }
                }
            }
        }
        if let Some(k) = (after.start + 1..after.end)
            .find(|&k| doc.tokens[k].norm == "that" && doc.tokens[k - 1].norm == ",")
        {
            out.push(ContentCand {
                toks: k..after.end,
                kind: ContentKind::AfterThat,
            });
        }
        out.push(ContentCand {
            toks: after,
            kind: ContentKind::After,
        });
    }
    let before_end = match source {
        Some(s) if s.before => s.toks.start,
        _ => cue.start,
    };
    let before = trim_range(doc, sent.start..before_end);
    if !before.is_empty() {
        out.push(ContentCand {
            toks: before,
            kind: ContentKind::Before,
        });
    }
    // Quotations inside the sentence: maximal runs of in-quote tokens.
    let mut i = sent.start;
    let mut best: Option<Range<usize>> = None;
    while i < sent.end {
        if doc.in_quote[i] {
            let s = i;
            while i < sent.end && doc.in_quote[i] {
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
        bool_str(is_quote(first) || is_open_quote(first)),
    ]);
    f.add(&["kind|inq=", k, "|", bool_str(doc.in_quote[cue.start])]);
    if c.toks.start == sent.start {
        f.add(&["kind|sent_start=", k]);
    }
    if c.kind == ContentKind::AfterCut {
        let cutw = doc.norm(c.toks.end as isize + 1, sent);
        f.add(&["cutw=", cutw]);
        f.add(&["cutw|cue=", cutw, "|", cue_w]);
    }
    if c.toks.end >= sent.end.saturating_sub(1) {
        f.add(&["kind|sent_end=", k]);
    }
}

/// Reusable buffers of [`AttributionModel::predict`].
#[derive(Debug, Default)]
struct PScratch {
    x: SparseVec,
    probs: Vec<f32>,
}

/// A loaded attribution model.
#[derive(Clone, Debug)]
pub struct AttributionModel {
    file: AttributionModelFile,
    tokenizer: Tokenizer,
    splitter: SentenceSplitter,
    lexicon: CueLexicon,
    cue: LinearModel,
    source: LinearModel,
    content: LinearModel,
}

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
            ATTRIBUTION_FORMAT_VERSION,
            "an attribution model",
        )?;
        Self::from_file(file, path)
    }

    /// Builds the runtime model, validating it.
    pub fn from_file(file: AttributionModelFile, path: &Path) -> Result<Self> {
        let cue = LinearModel::from_data(file.cue.clone(), path)?;
        let source = LinearModel::from_data(file.source.clone(), path)?;
        let content = LinearModel::from_data(file.content.clone(), path)?;
        for m in [&cue, &source, &content] {
            if m.n_labels() != 2 {
                return Err(Error::Model {
                    path: path.to_owned(),
                    message: format!("attribution models need 2 labels, found {}", m.n_labels()),
                });
            }
        }
        Ok(AttributionModel {
            tokenizer: Tokenizer::new(file.tokenizer.clone()),
            splitter: SentenceSplitter::new(),
            lexicon: CueLexicon::new(file.cue_phrases.clone()),
            cue,
            source,
            content,
            file,
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

    /// The probability of `yes` for the features in `h` (which is cleared after).
    fn p_yes(&self, m: &LinearModel, h: &mut FeatureHasher, s: &mut PScratch) -> f32 {
        m.vectorize(&h.feats, &mut s.x);
        h.clear();
        m.probabilities_into(&s.x, &mut s.probs);
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
        let mut ps = PScratch::default();
        let mut cands: Vec<(f32, Range<usize>)> = self
            .lexicon
            .candidates(doc)
            .into_iter()
            .map(|(r, pid)| {
                cue_features_into(doc, &r, &self.lexicon.phrases()[pid], &mut h);
                (self.p_yes(&self.cue, &mut h, &mut ps), r)
            })
            .filter(|(p, _)| *p >= self.file.cue_threshold)
            .collect();
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
        let mut out = Vec::with_capacity(cues.len());
        for (cue_p, cue) in cues {
            let mut best: Option<(f32, SourceCand)> = None;
            for c in source_candidates(doc, &cue) {
                if c.toks.clone().any(|i| taken[i]) {
                    continue;
                }
                source_features_into(doc, &cue, &c, &mut h);
                let p = self.p_yes(&self.source, &mut h, &mut ps);
                if best.as_ref().is_none_or(|b| p > b.0) {
                    best = Some((p, c));
                }
            }
            let source_p = best.as_ref().map_or(0.0, |b| b.0);
            let mut source = best
                .filter(|b| b.0 >= self.file.source_threshold)
                .map(|b| b.1);
            if source.is_none() {
                source = fallback_source(doc, &cue, &out);
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
            for c in content_candidates(doc, &cue, source.as_ref()) {
                content_features_into(doc, &cue, source.as_ref(), &c, &mut h);
                let p = self.p_yes(&self.content, &mut h, &mut ps);
                if content.as_ref().is_none_or(|b| p > b.0) {
                    content = Some((p, c));
                }
            }
            let mut contents = Vec::new();
            let mut kind = None;
            if let Some((_, mut c)) = content {
                kind = Some(c.kind);
                close_quote(doc, &mut c.toks);
                contents.push(c.toks.clone());
                extend_quote(doc, &c.toks, &taken, &mut contents);
            }
            out.push(Predicted {
                cue,
                cue_p,
                source: source.map(|s| s.toks),
                source_p,
                contents,
                source_why,
                kind,
            });
        }
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

/// When no candidate beside the cue is a source: the source of an attribution in the previous
/// two sentences (a quotation or report that goes on). Measured on PolNeAR dev: sentence speaker
/// F1 52.1 -> 52.6, source exact F1 unchanged; taking the nearest name before the cue instead
/// gave speaker 53.9 but source exact 60.7 -> 58.0.
fn fallback_source(
    doc: &DocView,
    cue: &Range<usize>,
    previous: &[Predicted],
) -> Option<SourceCand> {
    let si = doc.tok_sent[cue.start];
    previous
        .iter()
        .rev()
        .find(|p| p.source.is_some() && doc.tok_sent[p.cue.start] + 2 >= si)
        .and_then(|p| p.source.clone())
        .map(|toks| SourceCand { toks, before: true })
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
    let first = doc.tokens[r.start].norm.as_str();
    if !(is_open_quote(first) || first == "\"") {
        return;
    }
    if let Some(last) = doc.tokens.get(r.end - 1) {
        if r.len() > 1 && (is_close_quote(&last.norm) || last.norm == "\"") {
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
        let n = doc.tokens[j].norm.as_str();
        if is_close_quote(n) || n == "\"" {
            r.end = j + 1;
            return;
        }
    }
}

/// A quoted content that ends its sentence with a closing quotation mark continues over the next
/// sentences that open with a quotation mark and hold no cue.
fn extend_quote(doc: &DocView, first: &Range<usize>, taken: &[bool], out: &mut Vec<Range<usize>>) {
    let Some(&last) = first.end.checked_sub(1).as_ref() else {
        return;
    };
    let opens =
        is_quote(&doc.tokens[first.start].norm) || is_open_quote(&doc.tokens[first.start].norm);
    let closes = is_quote(&doc.tokens[last].norm) || is_close_quote(&doc.tokens[last].norm);
    if !(opens && closes) {
        return;
    }
    let mut si = doc.tok_sent[last] + 1;
    let para = doc.sentences[doc.tok_sent[last]].paragraph;
    while let Some(r) = doc.sent_toks.get(si) {
        if r.is_empty() || doc.sentences[si].paragraph > para + 1 {
            break;
        }
        let f = &doc.tokens[r.start].norm;
        if !(is_quote(f) || is_open_quote(f)) || r.clone().any(|i| taken[i]) {
            break;
        }
        out.push(r.clone());
        if !doc.tokens[r.clone()]
            .iter()
            .any(|t| is_close_quote(&t.norm) || t.norm == "\"")
        {
            break;
        }
        si += 1;
        // a quotation that does not close in its sentence goes on; one that closes ends here
        // unless the next sentence opens a new one
    }
}
