//! Feature extraction: sparse hashed features of a text and a target.
//!
//! A [`Featurizer`] turns tokens into features of four groups — word n-grams (with negation
//! scope), character n-grams within words, target context (the words around each mention of the
//! target) and emphasis cues — and, when `conjoin_target` is on, every feature once more conjoined
//! with the target, so that one model learns shared and per-target weights.
//!
//! Features are named (`w|putin`, `c| pu`, `x|L1|condemned`, `q|!`, `russia|w|putin`) and hashed
//! with a seeded 64-bit xxh3; the model keeps a vocabulary of the hashes it selected, so hashing
//! costs no collisions that matter and feature names can be shown to explain a decision.

use crate::error::{Error, Result};
use crate::tokenize::Token;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use xxhash_rust::xxh3::xxh3_64_with_seed;

mod columns;
pub(crate) use columns::BigramWords;
pub use columns::{ColumnScratch, OtherMentions};

/// The groups of features; each group is L2-normalized on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Group {
    /// Word unigrams and bigrams, negated words.
    Word = 0,
    /// Character n-grams inside words.
    Char = 1,
    /// Words near the target's mentions and facts about the mentions.
    Context = 2,
    /// Punctuation and emphasis cues.
    Cue = 3,
    /// The always-present bias feature (conjoined: one bias per target key).
    Bias = 4,
}

impl Group {
    /// Number of groups.
    pub const COUNT: usize = 5;

    /// The group for a stored id.
    pub fn from_u8(v: u8) -> Option<Group> {
        match v {
            0 => Some(Group::Word),
            1 => Some(Group::Char),
            2 => Some(Group::Context),
            3 => Some(Group::Cue),
            4 => Some(Group::Bias),
            _ => None,
        }
    }
}

/// Feature settings; stored in every model and read from the recipe's `[features]` table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeatureConfig {
    /// Longest word n-gram (1 = unigrams only).
    pub word_ngrams: usize,
    /// Shortest character n-gram (0 disables character n-grams).
    pub char_min: usize,
    /// Longest character n-gram.
    pub char_max: usize,
    /// Emit `neg:` copies of words in the scope of a negation.
    pub negation: bool,
    /// Emit punctuation and emphasis cues.
    pub cues: bool,
    /// Words on each side of a target mention that become context features (0 disables).
    pub window: usize,
    /// Also emit every feature conjoined with the target.
    pub conjoin_target: bool,
    /// Emit the plain (not conjoined) features too, shared by all targets.
    pub shared: bool,
    /// Seed of the feature hash.
    pub hash_seed: u64,
    /// Emit one always-present feature (`b|bias`), so that, conjoined, every target key has its
    /// own bias and prior correction.
    pub bias: bool,
    /// Also emit the words within `window` of the mentions of the other named targets
    /// (`x|o|ukraine|L|support` toward Russia).
    pub other_context: bool,
    /// `window` for the named target keys listed (`russia = 2`); the others use `window`. With
    /// conjoined features each key's features are its own, so each can have its own window.
    /// Absent in older models (every key uses `window`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub window_by_key: BTreeMap<String, usize>,
    /// `word_ngrams` for the target keys listed (`"*" = 1`: no word bigrams toward generic
    /// targets); the others use `word_ngrams`. Absent in older models.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub word_ngrams_by_key: BTreeMap<String, usize>,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            word_ngrams: 2,
            char_min: 2,
            char_max: 5,
            negation: true,
            cues: true,
            window: 3,
            conjoin_target: true,
            shared: true,
            hash_seed: 0x5748_4f53_4149_4421,
            bias: false,
            other_context: false,
            window_by_key: BTreeMap::new(),
            word_ngrams_by_key: BTreeMap::new(),
        }
    }
}

impl FeatureConfig {
    /// Checks the settings, naming the first bad one.
    pub fn check(&self) -> Result<()> {
        if !(1..=4).contains(&self.word_ngrams) {
            return Err(Error::InvalidParam {
                name: "features.word_ngrams",
                value: self.word_ngrams.to_string(),
                reason: "must be between 1 and 4",
            });
        }
        if let Some((k, n)) = self
            .word_ngrams_by_key
            .iter()
            .find(|(_, n)| !(1..=4).contains(*n))
        {
            return Err(Error::InvalidParam {
                name: "features.word_ngrams_by_key",
                value: format!("{k} = {n}"),
                reason: "every value must be between 1 and 4",
            });
        }
        if self.char_min > 0 && (self.char_max < self.char_min || self.char_max > 8) {
            return Err(Error::InvalidParam {
                name: "features.char_max",
                value: self.char_max.to_string(),
                reason: "must be at least char_min and at most 8",
            });
        }
        if self.window > 10 {
            return Err(Error::InvalidParam {
                name: "features.window",
                value: self.window.to_string(),
                reason: "must be at most 10",
            });
        }
        if let Some((k, w)) = self.window_by_key.iter().find(|(_, w)| **w > 10) {
            return Err(Error::InvalidParam {
                name: "features.window_by_key",
                value: format!("{k} = {w}"),
                reason: "every window must be at most 10",
            });
        }
        Ok(())
    }

    /// The context window of the target key `key` (`window_by_key`, else `window`).
    #[inline]
    pub fn window_for(&self, key: &str) -> usize {
        if self.window_by_key.is_empty() {
            return self.window;
        }
        self.window_by_key.get(key).copied().unwrap_or(self.window)
    }

    /// The longest word n-gram toward the target key `key` (`word_ngrams_by_key`, else
    /// `word_ngrams`).
    #[inline]
    pub fn word_ngrams_for(&self, key: &str) -> usize {
        if self.word_ngrams_by_key.is_empty() {
            return self.word_ngrams;
        }
        self.word_ngrams_by_key
            .get(key)
            .copied()
            .unwrap_or(self.word_ngrams)
    }

    /// The longest word n-gram toward any key.
    pub fn max_word_ngrams(&self) -> usize {
        self.word_ngrams_by_key
            .values()
            .copied()
            .fold(self.word_ngrams, usize::max)
    }
}

/// A stance target with the words that mention it, e.g. Russia: Russian, Moscow, Kremlin, Putin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// The target's name, e.g. `Russia`.
    pub name: String,
    /// Other words and phrases that mention it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl TargetSpec {
    /// A target known by its name only.
    pub fn new(name: impl Into<String>) -> Self {
        TargetSpec {
            name: name.into(),
            aliases: Vec::new(),
        }
    }

    /// Adds words and phrases that also mention the target.
    #[must_use]
    pub fn with_aliases<S: Into<String>>(mut self, aliases: impl IntoIterator<Item = S>) -> Self {
        self.aliases.extend(aliases.into_iter().map(Into::into));
        self
    }
}

impl From<&str> for TargetSpec {
    fn from(name: &str) -> Self {
        TargetSpec::new(name)
    }
}

/// A text's normalized tokens, each between newlines (no token holds whitespace), for
/// [`CompiledTarget::mentioned_in`]: one substring search per target phrase over a whole
/// document, far cheaper than trying every phrase at every token; built once for all targets.
#[derive(Clone, Debug)]
pub struct JoinedNorms(String);

impl JoinedNorms {
    /// Joins the normalized forms of `tokens`.
    pub fn new(tokens: &[Token]) -> Self {
        let mut joined =
            String::with_capacity(tokens.iter().map(|t| t.norm.len() + 1).sum::<usize>() + 1);
        joined.push('\n');
        for t in tokens {
            joined.push_str(&t.norm);
            joined.push('\n');
        }
        JoinedNorms(joined)
    }
}

/// A target's name and aliases, tokenized for matching.
#[derive(Clone, Debug)]
pub struct CompiledTarget {
    /// The key conjoined features use: the lowercased name of a known target, `*` otherwise.
    pub key: String,
    /// Token sequences (normalized) that mention the target.
    pub phrases: Vec<Vec<String>>,
}

impl CompiledTarget {
    /// Compiles `spec` with `tokenize` (which must be the model's tokenizer).
    pub fn new(key: &str, spec: &TargetSpec, tokenize: impl Fn(&str) -> Vec<Token>) -> Self {
        let phrases = std::iter::once(&spec.name)
            .chain(&spec.aliases)
            .map(|a| tokenize(a).into_iter().map(|t| t.norm).collect::<Vec<_>>())
            .collect();
        Self::from_phrases(key, phrases)
    }

    /// A target from its phrases' normalized tokens: the empty ones dropped, sorted, each once.
    pub fn from_phrases(key: &str, mut phrases: Vec<Vec<String>>) -> Self {
        phrases.retain(|p| !p.is_empty());
        phrases.sort();
        phrases.dedup();
        CompiledTarget {
            key: key.to_owned(),
            phrases,
        }
    }

    /// True if the text of `norms` mentions the target anywhere (as
    /// [`CompiledTarget::find_mentions`] finds mentions).
    pub fn mentioned_in(&self, norms: &JoinedNorms) -> bool {
        // `memmem` (vector instructions) rather than `str::contains`.
        let hay = norms.0.as_bytes();
        let mut needle = String::new();
        self.phrases.iter().any(|p| {
            if p.len() == 1 && p[0].chars().count() >= 4 {
                return memchr::memmem::find(hay, p[0].as_bytes()).is_some();
            }
            needle.clear();
            needle.push('\n');
            for w in p {
                needle.push_str(w);
                needle.push('\n');
            }
            memchr::memmem::find(hay, needle.as_bytes()).is_some()
        })
    }

    /// The tokens (indices into the tokens `norms` joins) where a mention of the target starts
    /// or, for a single word of four letters or more, that hold it ([`CompiledTarget::mentioned_in`]'s
    /// matches), ascending.
    pub fn mention_tokens(&self, norms: &JoinedNorms) -> Vec<usize> {
        let hay = norms.0.as_bytes();
        // Newline `k` opens token `k`'s norm (the last one closes the text).
        let newlines: Vec<usize> = memchr::memchr_iter(b'\n', hay).collect();
        let token_at = |at: usize| newlines.partition_point(|&n| n < at).saturating_sub(1);
        let mut out = Vec::new();
        let mut needle = String::new();
        for p in &self.phrases {
            if p.len() == 1 && p[0].chars().count() >= 4 {
                out.extend(memchr::memmem::find_iter(hay, p[0].as_bytes()).map(token_at));
                continue;
            }
            needle.clear();
            needle.push('\n');
            for w in p {
                needle.push_str(w);
                needle.push('\n');
            }
            // The match starts at the newline before the phrase's first token; one mention's
            // closing newline opens the next ("\nputin\nputin\n"), so the search goes on from
            // the character after each match's start.
            let finder = memchr::memmem::Finder::new(needle.as_bytes());
            let mut from = 0;
            while let Some(at) = finder.find(&hay[from..]) {
                out.push(token_at(from + at + 1));
                from += at + 1;
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether `other` has the same phrases (at once when it is this very target).
    #[inline]
    pub fn same_phrases(&self, other: &CompiledTarget) -> bool {
        std::ptr::eq(self, other) || self.phrases == other.phrases
    }

    /// Whether `other` has the same key and phrases.
    #[inline]
    pub fn same_as(&self, other: &CompiledTarget) -> bool {
        std::ptr::eq(self, other) || (self.key == other.key && self.phrases == other.phrases)
    }

    /// Token ranges in `tokens` that mention the target. A single-word alias of at least four
    /// letters also matches inside a longer token (`#standwithukraine`, `russians`).
    pub fn find_mentions(&self, tokens: &[Token]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let n = self.mention_at(tokens, i);
            if n > 0 {
                out.push(i..i + n);
                i += n;
            } else {
                i += 1;
            }
        }
        out
    }

    /// The length in tokens of the longest mention that starts at `tokens[i]` (0: none).
    fn mention_at(&self, tokens: &[Token], i: usize) -> usize {
        let mut best = 0;
        for p in &self.phrases {
            let n = p.len();
            let hit = if n == 1 {
                let tok = tokens[i].norm.as_str();
                tok == p[0] || (p[0].chars().count() >= 4 && tok.contains(p[0].as_str()))
            } else {
                i + n <= tokens.len() && tokens[i..i + n].iter().zip(p).all(|(t, w)| t.norm == *w)
            };
            if hit {
                best = best.max(n);
            }
        }
        best
    }
}

/// Collects hashed features (and, on request, their names).
#[derive(Debug, Default)]
pub struct FeatureSink {
    /// `(hash, group)` of every emitted feature, repeats included (they count).
    pub feats: Vec<(u64, Group)>,
    /// Names parallel to `feats`, when recording names.
    pub names: Option<Vec<String>>,
    seed: u64,
    shared: bool,
    conj_seed: Option<u64>,
    conj_key: String,
    buf: Vec<u8>,
}

impl FeatureSink {
    /// A sink; with `record_names` it keeps every feature's name (for explanations and training).
    pub fn new(record_names: bool) -> Self {
        FeatureSink {
            names: record_names.then(Vec::new),
            ..FeatureSink::default()
        }
    }

    fn reset(&mut self, seed: u64, conj_key: Option<&str>, shared: bool) {
        self.shared = shared || conj_key.is_none();
        self.feats.clear();
        if let Some(n) = &mut self.names {
            n.clear();
        }
        self.seed = seed;
        self.conj_seed = conj_key.map(|k| xxh3_64_with_seed(k.as_bytes(), seed));
        self.conj_key.clear();
        self.conj_key.push_str(conj_key.unwrap_or(""));
    }

    fn emit(&mut self, group: Group, parts: &[&str]) {
        self.buf.clear();
        self.buf.push(b'0' + group as u8);
        for p in parts {
            self.buf.push(b'|');
            self.buf.extend_from_slice(p.as_bytes());
        }
        let h = xxh3_64_with_seed(&self.buf, self.seed);
        if self.shared {
            self.feats.push((h, group));
            if let Some(names) = &mut self.names {
                names.push(feature_name(group, parts));
            }
        }
        if let Some(cs) = self.conj_seed {
            self.feats
                .push((xxh3_64_with_seed(&h.to_le_bytes(), cs), group));
            if let Some(names) = &mut self.names {
                names.push(format!("{}|{}", self.conj_key, feature_name(group, parts)));
            }
        }
    }
}

fn feature_name(group: Group, parts: &[&str]) -> String {
    let tag = match group {
        Group::Word => "w",
        Group::Char => "c",
        Group::Context => "x",
        Group::Cue => "q",
        Group::Bias => "b",
    };
    let mut s = String::from(tag);
    for p in parts {
        s.push('|');
        s.push_str(p);
    }
    s
}

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nothing", "nobody", "none", "nor", "neither", "cannot", "without",
    "hardly", "nowhere", "cant", "dont", "wont", "isnt", "didnt", "doesnt",
];

fn is_clause_break(norm: &str) -> bool {
    matches!(
        norm,
        "." | "," | ";" | ":" | "!" | "?" | "(" | ")" | "—" | "–"
    )
}

fn is_quote(norm: &str) -> bool {
    matches!(norm, "\"" | "“" | "”" | "‘" | "’" | "«" | "»" | "'")
}

/// A target as asked about: its compiled mentions, and optionally the byte span of the one
/// mention a record is about.
#[derive(Clone, Copy, Debug)]
pub struct TargetQuery<'a> {
    /// The target.
    pub target: &'a CompiledTarget,
    /// Byte span of the mention in the text, if known.
    pub span: Option<&'a Range<usize>>,
    /// Other known targets, whose mentions become `x|other|KEY` features.
    pub others: &'a [CompiledTarget],
}

/// Extracts features from tokens according to a [`FeatureConfig`].
#[derive(Clone, Debug)]
pub struct Featurizer {
    config: FeatureConfig,
    /// The words that begin and end the bigrams of the model the column path serves, if known
    /// (see [`Featurizer::with_bigram_words`]).
    bigram_words: Option<std::sync::Arc<BigramWords>>,
}

impl Featurizer {
    /// A featurizer; call [`FeatureConfig::check`] first.
    pub fn new(config: FeatureConfig) -> Self {
        Featurizer {
            config,
            bigram_words: None,
        }
    }

    /// This featurizer, whose column path ([`Featurizer::prepare_columns`]) skips the bigrams
    /// that `words` (found from the model's feature names and hashes) say the model has no
    /// column for. The featurizer must then only be used with that model's columns.
    pub(crate) fn with_bigram_words(mut self, words: Option<BigramWords>) -> Self {
        self.bigram_words = words.map(std::sync::Arc::new);
        self
    }

    /// The settings.
    pub fn config(&self) -> &FeatureConfig {
        &self.config
    }

    /// Emits the features of `text` (already tokenized into `tokens`) toward `query` into `sink`,
    /// which is cleared first.
    pub fn extract(
        &self,
        text: &str,
        tokens: &[Token],
        query: &TargetQuery,
        sink: &mut FeatureSink,
    ) {
        let cfg = &self.config;
        let key = cfg.conjoin_target.then_some(query.target.key.as_str());
        sink.reset(cfg.hash_seed, key, cfg.shared);

        // Words: non-punctuation tokens; `#` and `@` are glued to the following token.
        let mut words: Vec<(usize, String)> = Vec::with_capacity(tokens.len());
        let mut glue: Option<&str> = None;
        let mut negated = vec![false; tokens.len()];
        let mut in_neg = false;
        for (i, t) in tokens.iter().enumerate() {
            let n = t.norm.as_str();
            if is_clause_break(n) {
                in_neg = false;
            }
            if t.is_punct() {
                glue = match n {
                    "#" | "@" => Some(if n == "#" { "#" } else { "@" }),
                    _ => None,
                };
                // "n't": the tokens n / ' / t
                if n == "'" || n == "’" {
                    if let (Some(prev), Some(next)) = (i.checked_sub(1), tokens.get(i + 1)) {
                        if next.norm == "t" && tokens[prev].norm.ends_with('n') {
                            in_neg = cfg.negation;
                        }
                    }
                }
                continue;
            }
            negated[i] = in_neg;
            if cfg.negation && NEGATIONS.contains(&n) {
                in_neg = true;
            }
            let w = match glue.take() {
                Some(g) if i > 0 && tokens[i - 1].span.end == t.span.start => format!("{g}{n}"),
                _ => n.to_owned(),
            };
            words.push((i, w));
        }

        for (k, (i, w)) in words.iter().enumerate() {
            sink.emit(Group::Word, &[w]);
            if negated[*i] {
                sink.emit(Group::Word, &["neg", w]);
            }
            for n in 2..=cfg.word_ngrams_for(&query.target.key) {
                if k + n <= words.len() {
                    let gram: Vec<&str> = words[k..k + n].iter().map(|(_, w)| w.as_str()).collect();
                    sink.emit(Group::Word, &[&gram.join(" ")]);
                }
            }
            if cfg.char_min > 0 {
                self.char_ngrams(w, sink);
            }
        }

        if cfg.window_for(&query.target.key) > 0 {
            self.context(tokens, query, sink);
        }
        if cfg.cues {
            cues(text, tokens, sink);
        }
        if cfg.bias {
            sink.emit(Group::Bias, &["bias"]);
        }
    }

    fn char_ngrams(&self, word: &str, sink: &mut FeatureSink) {
        let padded: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        let mut s = String::new();
        for n in self.config.char_min..=self.config.char_max {
            if n > padded.len() {
                break;
            }
            for win in padded.windows(n) {
                s.clear();
                s.extend(win);
                sink.emit(Group::Char, &[&s]);
            }
        }
    }

    fn context(&self, tokens: &[Token], query: &TargetQuery, sink: &mut FeatureSink) {
        let mentions: Vec<Range<usize>> = match query.span {
            Some(span) => {
                let hit: Vec<usize> = (0..tokens.len())
                    .filter(|&i| tokens[i].span.start < span.end && span.start < tokens[i].span.end)
                    .collect();
                match (hit.first(), hit.last()) {
                    (Some(&a), Some(&b)) => std::iter::once(a..b + 1).collect(),
                    _ => Vec::new(),
                }
            }
            None => query.target.find_mentions(tokens),
        };
        let w = self.config.window_for(&query.target.key);
        for other in query.others {
            if other.key == query.target.key {
                continue;
            }
            let found = other.find_mentions(tokens);
            if !found.is_empty() {
                sink.emit(Group::Context, &["other", &other.key]);
            }
            if self.config.other_context {
                for m in &found {
                    let left = tokens[..m.start].iter().rev().filter(|t| !t.is_punct());
                    for t in left.take(w) {
                        sink.emit(Group::Context, &["o", &other.key, "L", &t.norm]);
                    }
                    let right = tokens[m.end..].iter().filter(|t| !t.is_punct());
                    for t in right.take(w) {
                        sink.emit(Group::Context, &["o", &other.key, "R", &t.norm]);
                    }
                }
            }
        }
        if mentions.is_empty() {
            sink.emit(Group::Context, &["nomention"]);
            return;
        }
        let count = match mentions.len() {
            1 => "1",
            2 => "2",
            _ => "3+",
        };
        sink.emit(Group::Context, &["mentions", count]);
        for m in &mentions {
            if m.start <= 1 {
                sink.emit(Group::Context, &["first"]);
            }
            let left = tokens[..m.start]
                .iter()
                .rev()
                .filter(|t| !t.is_punct())
                .take(w);
            for (k, t) in left.enumerate() {
                if k < 2 {
                    sink.emit(Group::Context, &["L", DIGITS[k], &t.norm]);
                }
                sink.emit(Group::Context, &["L", &t.norm]);
                if NEGATIONS.contains(&t.norm.as_str()) {
                    sink.emit(Group::Context, &["negnear"]);
                }
            }
            let right = tokens[m.end..].iter().filter(|t| !t.is_punct()).take(w);
            for (k, t) in right.enumerate() {
                if k < 2 {
                    sink.emit(Group::Context, &["R", DIGITS[k], &t.norm]);
                }
                sink.emit(Group::Context, &["R", &t.norm]);
            }
            // The punctuation right after the mention ("Russia!", "Ukraine?", "Putin's").
            if let Some(t) = tokens.get(m.end).filter(|t| t.is_punct()) {
                sink.emit(Group::Context, &["Rp", &t.norm]);
            }
        }
    }
}

const DIGITS: [&str; 2] = ["1", "2"];

/// Whether a token's text is in capitals: at least three chars, no lowercase, some uppercase
/// (the "caps" cue; the column path reads ASCII tokens itself, `columns::is_caps_at`).
fn is_caps(orig: &str) -> bool {
    orig.chars().count() >= 3
        && orig.chars().all(|c| !c.is_lowercase())
        && orig.chars().any(|c| c.is_uppercase())
}

fn cues(text: &str, tokens: &[Token], sink: &mut FeatureSink) {
    for t in tokens {
        let n = t.norm.as_str();
        match n {
            "!" => sink.emit(Group::Cue, &["!"]),
            "?" => sink.emit(Group::Cue, &["?"]),
            _ if is_quote(n) => sink.emit(Group::Cue, &["quote"]),
            _ => {}
        }
        if is_caps(&text[t.span.clone()]) {
            sink.emit(Group::Cue, &["caps"]);
        }
        let chars: Vec<char> = n.chars().collect();
        if chars
            .windows(3)
            .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_alphabetic())
        {
            sink.emit(Group::Cue, &["elong"]);
        }
        if n.starts_with("http") || n == "www" {
            sink.emit(Group::Cue, &["url"]);
        }
        if chars.iter().any(|&c| is_emoji(c)) {
            sink.emit(Group::Cue, &["emoji"]);
        }
    }
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F1E6..=0x1F1FF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::Tokenizer;

    fn names(text: &str, target: &str, span: Option<Range<usize>>) -> Vec<String> {
        let tok = Tokenizer::default();
        let spec = TargetSpec {
            name: target.into(),
            aliases: vec!["Kremlin".into(), "Putin".into()],
        };
        let ct = CompiledTarget::new("russia", &spec, |s| tok.tokenize(s));
        let tokens = tok.tokenize(text);
        let mut sink = FeatureSink::new(true);
        let q = TargetQuery {
            target: &ct,
            span: span.as_ref(),
            others: &[],
        };
        Featurizer::new(FeatureConfig::default()).extract(text, &tokens, &q, &mut sink);
        assert_eq!(sink.feats.len(), sink.names.as_ref().unwrap().len());
        sink.names.unwrap()
    }

    #[test]
    fn words_bigrams_negation_and_conjunction() {
        let n = names(
            "The Kremlin did not win, and that's GREAT!!!",
            "Russia",
            None,
        );
        for want in [
            "w|kremlin",
            "w|did not",
            "w|neg|win",
            "russia|w|neg|win",
            "x|mentions|1",
            "x|L|1|the",
            "x|R|1|did",
            "q|!",
            "q|caps",
            "c| kr",
        ] {
            assert!(n.iter().any(|x| x == want), "missing {want} in {n:?}");
        }
        // negation scope ends at the comma
        assert!(!n.iter().any(|x| x == "w|neg|and"));
    }

    #[test]
    fn contractions_negate_and_hashtags_glue() {
        let n = names("We don't trust #Putin", "Russia", None);
        assert!(n.iter().any(|x| x == "w|neg|trust"), "{n:?}");
        assert!(n.iter().any(|x| x == "w|#putin"), "{n:?}");
        assert!(n.iter().any(|x| x == "x|mentions|1"), "{n:?}");
    }

    #[test]
    fn a_given_span_picks_the_mention() {
        let text = "Biden praised Merkel but attacked Putin.";
        let n = names(text, "Merkel", Some(14..20));
        assert!(n.iter().any(|x| x == "x|L|1|praised"), "{n:?}");
        assert!(!n.iter().any(|x| x == "x|L|1|attacked"), "{n:?}");
    }

    #[test]
    fn alias_matches_inside_hashtags() {
        let tok = Tokenizer::default();
        let spec = TargetSpec {
            name: "Ukraine".into(),
            aliases: vec!["Kyiv".into(), "Volodymyr Zelensky".into()],
        };
        let ct = CompiledTarget::new("ukraine", &spec, |s| tok.tokenize(s));
        let toks = tok.tokenize("#StandWithUkraine says Volodymyr Zelensky in Kyiv");
        assert_eq!(ct.find_mentions(&toks), vec![1..2, 3..5, 6..7]);
    }

    proptest::proptest! {
        #[test]
        fn any_text_and_span_featurizes(text in "\\PC{0,120}", a in 0usize..200, b in 0usize..200) {
            let tok = Tokenizer::default();
            let spec = TargetSpec { name: "Russia".into(), aliases: vec!["Putin".into()] };
            let ct = CompiledTarget::new("russia", &spec, |s| tok.tokenize(s));
            let tokens = tok.tokenize(&text);
            let span = (a.min(b)..a.max(b)).clone();
            let mut sink = FeatureSink::new(true);
            let q = TargetQuery { target: &ct, span: Some(&span), others: std::slice::from_ref(&ct) };
            Featurizer::new(FeatureConfig::default()).extract(&text, &tokens, &q, &mut sink);
            proptest::prop_assert_eq!(sink.feats.len(), sink.names.unwrap().len());
        }

        #[test]
        fn mentioned_in_agrees_with_find_mentions(
            text in "([A-Za-z#]{1,10}|Vladimir Putin|putinism|Kremlin|[ ,.'!]){0,20}",
        ) {
            let (tok, ct) = russia_putin_rf();
            let tokens = tok.tokenize(&text);
            proptest::prop_assert_eq!(
                ct.mentioned_in(&JoinedNorms::new(&tokens)),
                !ct.find_mentions(&tokens).is_empty()
            );
        }
    }

    /// Russia with the aliases Putin, Vladimir Putin and RF, and the tokenizer it was compiled with.
    fn russia_putin_rf() -> (Tokenizer, CompiledTarget) {
        let tok = Tokenizer::default();
        let spec = TargetSpec {
            name: "Russia".into(),
            aliases: vec!["Putin".into(), "Vladimir Putin".into(), "RF".into()],
        };
        let ct = CompiledTarget::new("russia", &spec, |s| tok.tokenize(s));
        (tok, ct)
    }

    /// [`CompiledTarget::mention_tokens`] on `text`, checked against [`CompiledTarget::mentioned_in`]
    /// on the slice of tokens `a..b` (clamped) and against every token where a mention starts.
    fn check_mention_tokens(text: &str, a: usize, b: usize) -> Result<(), String> {
        let (tok, ct) = russia_putin_rf();
        let tokens = tok.tokenize(text);
        let at = ct.mention_tokens(&JoinedNorms::new(&tokens));
        if !at.windows(2).all(|w| w[0] < w[1]) || !at.iter().all(|&t| t < tokens.len()) {
            return Err(format!("not ascending token indices: {at:?}"));
        }
        // A slice names the target when a mention starts in it (a multi-word one ending in it),
        // or a token in it holds a single long alias.
        let (lo, hi) = (a.min(b).min(tokens.len()), a.max(b).min(tokens.len()));
        let starts_in = at.iter().any(|&t| {
            (lo..hi).contains(&t)
                && ct.phrases.iter().any(|p| {
                    if p.len() == 1 && p[0].chars().count() >= 4 {
                        tokens[t].norm.contains(p[0].as_str())
                    } else {
                        t + p.len() <= hi
                            && tokens[t..t + p.len()].iter().map(|x| &x.norm).eq(p.iter())
                    }
                })
        });
        if ct.mentioned_in(&JoinedNorms::new(&tokens[lo..hi])) != starts_in {
            return Err(format!("slice {lo}..{hi}: mentioned_in disagrees ({at:?})"));
        }
        // Every token where a mention starts is found, adjacent ones included.
        for t in 0..tokens.len() {
            let starts = ct.phrases.iter().any(|p| {
                t + p.len() <= tokens.len()
                    && tokens[t..t + p.len()].iter().map(|x| &x.norm).eq(p.iter())
            });
            if starts && !at.contains(&t) {
                return Err(format!("{t} not in {at:?}"));
            }
        }
        Ok(())
    }

    #[test]
    fn mention_tokens_cases() {
        // A slice that holds the first word of "Vladimir Putin" but not the second, beside a
        // token that holds "putin" inside it (proptest found it).
        check_mention_tokens(
            "A#Vladimir PutinVladimir Putin##A#a#a#Vladimir Putin",
            5,
            14,
        )
        .unwrap();
        check_mention_tokens("Putin Putin RF RF Vladimir Putin Vladimir Putin", 0, 99).unwrap();
        check_mention_tokens("", 0, 3).unwrap();
    }

    proptest::proptest! {
        #[test]
        fn mention_tokens_answer_mentioned_in_for_every_slice(
            text in "([A-Za-z#]{1,10}|Vladimir Putin|putinism|Kremlin|RF|[ ,.'!]){0,24}",
            a in 0usize..40,
            b in 0usize..40,
        ) {
            let checked = check_mention_tokens(&text, a, b);
            proptest::prop_assert!(checked.is_ok(), "{:?}", checked);
        }
    }

    /// Columns of `extract`'s hashes under `column`, sorted: the reference multiset.
    fn reference_columns(
        f: &Featurizer,
        text: &str,
        tokens: &[Token],
        q: &TargetQuery,
        column: &impl Fn(u64) -> Option<u32>,
    ) -> Vec<u32> {
        let mut sink = FeatureSink::new(false);
        f.extract(text, tokens, q, &mut sink);
        let mut cols: Vec<u32> = sink.feats.iter().filter_map(|(h, _)| column(*h)).collect();
        cols.sort_unstable();
        cols
    }

    /// Checks `extract_columns` (with and without known mentions, twice to use the word cache)
    /// against `extract` for every config in `configs`.
    fn check_columns(text: &str, span: Option<Range<usize>>, configs: &[FeatureConfig]) {
        let tok = Tokenizer::default();
        let russia = CompiledTarget::new(
            "russia",
            &TargetSpec {
                name: "Russia".into(),
                aliases: vec!["Putin".into(), "Vladimir Putin".into(), "RF".into()],
            },
            |s| tok.tokenize(s),
        );
        let ukraine = CompiledTarget::new(
            "ukraine",
            &TargetSpec {
                name: "Ukraine".into(),
                aliases: vec!["Kyiv".into(), "Zelensky".into()],
            },
            |s| tok.tokenize(s),
        );
        let generic = CompiledTarget::new(
            "*",
            &TargetSpec {
                name: "the senator".into(),
                aliases: vec![],
            },
            |s| tok.tokenize(s),
        );
        let named = [russia.clone(), ukraine];
        let tokens = tok.tokenize(text);
        // Some hashes unknown (dropped), the others mapped to a column.
        let column = |h: u64| (!h.is_multiple_of(5)).then_some((h >> 40) as u32);
        let mut known = OtherMentions::default();
        known.find(&named, &tokens);
        let mut cached = OtherMentions::default();
        let mut mention_scratch = ColumnScratch::default();
        for _ in 0..2 {
            cached.find_cached(&named, &tokens, 7, &mut mention_scratch);
            assert_eq!(cached.mentions, known.mentions, "{text:?}");
        }
        let mut prepared = OtherMentions::default();
        for cfg in [FeatureConfig::default(), FeatureConfig::default()] {
            Featurizer::new(cfg).prepare_columns(text, &tokens, 7, &mut mention_scratch);
            prepared.find_prepared(&named, &tokens, 7, &mut mention_scratch);
            assert_eq!(prepared.mentions, known.mentions, "{text:?}");
        }
        let (r, u) = (&named[0], &named[1]);
        assert_eq!(
            known.mentions,
            [r.find_mentions(&tokens), u.find_mentions(&tokens)]
        );
        for (ci, cfg) in configs.iter().enumerate() {
            let f = Featurizer::new(cfg.clone());
            let mut scratch = ColumnScratch::default();
            for target in [&russia, &generic] {
                let q = TargetQuery {
                    target,
                    span: span.as_ref(),
                    others: &named,
                };
                let want = reference_columns(&f, text, &tokens, &q, &column);
                for round in 0..2 {
                    let mut got = Vec::new();
                    f.extract_columns(
                        text,
                        &tokens,
                        &q,
                        &column,
                        ci as u64 + 1,
                        &mut scratch,
                        &mut got,
                    );
                    got.sort_unstable();
                    assert_eq!(got, want, "config {ci}, round {round}, {text:?}");
                    for k in [&known, &cached] {
                        f.target_columns(
                            &tokens,
                            &q,
                            Some(k),
                            &column,
                            ci as u64 + 1,
                            &mut scratch,
                            &mut got,
                        );
                        got.sort_unstable();
                        assert_eq!(got, want, "config {ci}, round {round}, {text:?}");
                    }
                }
            }
        }
    }

    fn test_configs() -> Vec<FeatureConfig> {
        let d = FeatureConfig::default();
        vec![
            d.clone(),
            FeatureConfig {
                shared: false,
                bias: true,
                other_context: true,
                window_by_key: [("russia".to_owned(), 1)].into(),
                ..d.clone()
            },
            FeatureConfig {
                conjoin_target: false,
                word_ngrams: 3,
                char_min: 1,
                char_max: 3,
                ..d.clone()
            },
            FeatureConfig {
                shared: false,
                bias: true,
                word_ngrams_by_key: [("*".to_owned(), 1), ("ukraine".to_owned(), 3)].into(),
                ..d.clone()
            },
            FeatureConfig {
                negation: false,
                cues: false,
                window: 0,
                char_min: 0,
                window_by_key: [("russia".to_owned(), 2), ("ukraine".to_owned(), 4)].into(),
                ..d
            },
        ]
    }

    #[test]
    fn column_path_matches_extract() {
        let configs = test_configs();
        for (text, span) in [
            (
                "The Kremlin did not win, and that's GREAT!!! Putin's war",
                None,
            ),
            ("We don't trust #Putin or @Zelensky in Kyiv, RF said.", None),
            ("Biden praised Merkel but attacked Putin.", Some(14..20)),
            (
                "Sooo coool 😀 http://x.y www the senator!? “Vladimir Putin”",
                None,
            ),
            ("", None),
            ("!!!", Some(0..1)),
        ] {
            check_columns(text, span, &configs);
        }
    }

    proptest::proptest! {
        #[test]
        fn column_path_matches_extract_on_any_text(
            text in "\\PC{0,120}|[ a-zA-Z#@'!?.,]{0,80}",
            a in 0usize..200,
            b in 0usize..200,
            with_span: bool,
        ) {
            let span = with_span.then(|| a.min(b)..a.max(b));
            check_columns(&text, span, &test_configs());
        }
    }

    #[test]
    fn a_key_can_have_its_own_window() {
        let text = "Yesterday the big bad Kremlin did not win the war";
        let spec = TargetSpec::new("Russia").with_aliases(["Kremlin"]);
        let with = |cfg: FeatureConfig| feature_names(&cfg, text, &spec, "russia");
        let d = FeatureConfig::default();
        let narrow = FeatureConfig {
            window_by_key: [("russia".to_owned(), 1), ("*".to_owned(), 5)].into(),
            ..d.clone()
        };
        assert_eq!(
            (narrow.window_for("russia"), narrow.window_for("ukraine")),
            (1, 3)
        );
        let (wide, one) = (with(d.clone()), with(narrow));
        for n in [&wide, &one] {
            assert!(n.iter().any(|x| x == "russia|x|L|bad"), "{n:?}");
        }
        assert!(wide.iter().any(|x| x == "russia|x|L|big"), "{wide:?}");
        assert!(!one.iter().any(|x| x == "russia|x|L|big"), "{one:?}");
        // Unset, it is not written (older models read the same).
        let json = serde_json::to_string(&d).unwrap();
        assert!(!json.contains("window_by_key"), "{json}");
        let bad = FeatureConfig {
            window_by_key: [("russia".to_owned(), 11)].into(),
            ..d
        };
        let e = bad.check().unwrap_err().to_string();
        assert!(e.contains("features.window_by_key = russia = 11"), "{e}");
    }

    /// The names of the features `extract` gives `text` toward `spec` under the key `key`.
    fn feature_names(cfg: &FeatureConfig, text: &str, spec: &TargetSpec, key: &str) -> Vec<String> {
        let tok = Tokenizer::default();
        let ct = CompiledTarget::new(key, spec, |s| tok.tokenize(s));
        let tokens = tok.tokenize(text);
        let mut sink = FeatureSink::new(true);
        let q = TargetQuery {
            target: &ct,
            span: None,
            others: &[],
        };
        Featurizer::new(cfg.clone()).extract(text, &tokens, &q, &mut sink);
        sink.names.unwrap()
    }

    #[test]
    fn a_key_can_have_its_own_word_ngrams() {
        let text = "the big bad wolf did not win";
        let with = |cfg: &FeatureConfig, name: &str, key: &str| {
            feature_names(cfg, text, &TargetSpec::new(name), key)
        };
        let cfg = FeatureConfig {
            word_ngrams_by_key: [("*".to_owned(), 1), ("ukraine".to_owned(), 3)].into(),
            ..FeatureConfig::default()
        };
        assert_eq!(
            (
                cfg.word_ngrams_for("*"),
                cfg.word_ngrams_for("russia"),
                cfg.word_ngrams_for("ukraine"),
                cfg.max_word_ngrams()
            ),
            (1, 2, 3, 3)
        );
        let generic = with(&cfg, "Wolves", "*");
        let russia = with(&cfg, "Russia", "russia");
        let ukraine = with(&cfg, "Ukraine", "ukraine");
        assert!(generic.iter().any(|x| x == "*|w|bad"), "{generic:?}");
        assert!(
            !generic.iter().any(|x| x.contains("big bad")),
            "{generic:?}"
        );
        assert!(russia.iter().any(|x| x == "russia|w|big bad"), "{russia:?}");
        assert!(
            !russia.iter().any(|x| x.contains("big bad wolf")),
            "{russia:?}"
        );
        assert!(
            ukraine.iter().any(|x| x == "ukraine|w|big bad wolf"),
            "{ukraine:?}"
        );
        // Unset, it is not written (older models read the same); a bad value is named.
        let json = serde_json::to_string(&FeatureConfig::default()).unwrap();
        assert!(!json.contains("word_ngrams_by_key"), "{json}");
        let bad = FeatureConfig {
            word_ngrams_by_key: [("*".to_owned(), 0)].into(),
            ..FeatureConfig::default()
        };
        let e = bad.check().unwrap_err().to_string();
        assert!(e.contains("features.word_ngrams_by_key = * = 0"), "{e}");
    }

    #[test]
    fn config_check_names_the_bad_value() {
        let cfg = FeatureConfig {
            word_ngrams: 9,
            ..FeatureConfig::default()
        };
        let e = cfg.check().unwrap_err().to_string();
        assert!(e.contains("features.word_ngrams = 9"), "{e}");
    }
}
