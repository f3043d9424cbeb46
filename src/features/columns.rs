//! The inference path of feature extraction: the model columns of a text's features, with no
//! feature name built.
//!
//! [`Featurizer::extract`] (the reference, used in training) hashes every feature from its name.
//! Here the same hashes are computed from the features' parts straight into a buffer, looked up
//! in the model at once, and the work that does not depend on the target is done once per text:
//! words, negation, bigrams and cues are hashed by [`Featurizer::prepare_columns`], then
//! [`Featurizer::target_columns`] conjoins them with each target. A word's columns (its unigram
//! and character n-grams) are cached per model and target, and the mentions of a model's named
//! targets are found once per text with a per-word cache. A model only ever sees the multiset
//! of columns (counts, in column order), which equals that of the reference path (tests compare
//! them on arbitrary text and on the corpora).

use super::{
    is_clause_break, is_emoji, is_quote, CompiledTarget, Featurizer, Group, TargetQuery, DIGITS,
};
use crate::model::StrHasher;
use crate::tokenize::Token;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use xxhash_rust::xxh3::xxh3_64_with_seed;

type StrMap<V> = HashMap<Box<str>, V, BuildHasherDefault<StrHasher>>;

/// Entries a cache holds before it is emptied (bounds memory on endless streams).
const CACHE_LIMIT: usize = 200_000;

/// Target keys whose columns a word cache entry holds.
const KEY_SLOTS: usize = 4;

/// A range of `pool` not computed yet.
const NOT_YET: (u32, u32) = (u32::MAX, 0);

/// Each word's columns (its unigram and character n-grams), per target key: the word's entry
/// holds one range of `pool` per key slot.
#[derive(Debug, Default)]
struct WordCache {
    /// The conjunction seed of each slot's target key (`None`: not conjoined).
    keys: Vec<Option<u64>>,
    map: StrMap<u32>,
    /// `ranges[entry * KEY_SLOTS + slot]`.
    ranges: Vec<(u32, u32)>,
    pool: Vec<u32>,
}

impl WordCache {
    fn clear(&mut self) {
        self.keys.clear();
        self.map.clear();
        self.ranges.clear();
        self.pool.clear();
    }

    /// The entry of `word`, made if new.
    fn entry(&mut self, word: &str) -> u32 {
        if let Some(&e) = self.map.get(word) {
            return e;
        }
        let e = (self.ranges.len() / KEY_SLOTS) as u32;
        self.ranges.extend([NOT_YET; KEY_SLOTS]);
        self.map.insert(word.into(), e);
        e
    }

    /// The slot of a target key, if there is one.
    fn slot(&mut self, conj_seed: Option<u64>) -> Option<usize> {
        match self.keys.iter().position(|&k| k == conj_seed) {
            Some(i) => Some(i),
            None if self.keys.len() < KEY_SLOTS => {
                self.keys.push(conj_seed);
                Some(self.keys.len() - 1)
            }
            None => None,
        }
    }
}

/// For each token text, the phrases of the owner's named targets it starts (bit `k` for the
/// `k`-th phrase, counting through the targets in order).
#[derive(Debug, Default)]
struct MentionCache {
    map: StrMap<u64>,
}

/// Reusable buffers of the column path, and its caches. The caches belong to one model
/// (`owner`); another owner empties them.
#[derive(Debug, Default)]
pub struct ColumnScratch {
    owner: u64,
    buf: Vec<u8>,
    padded: Vec<u8>,
    starts: Vec<usize>,
    words: String,
    word_spans: Vec<(usize, Range<usize>)>,
    negated: Vec<bool>,
    /// Hashes of the prepared text's features that do not depend on the target.
    base: Vec<u64>,
    /// The word cache entry of each word of the prepared text.
    word_ids: Vec<u32>,
    words_cache: WordCache,
    mentions: MentionCache,
    masks: Vec<u64>,
}

impl ColumnScratch {
    fn set_owner(&mut self, owner: u64) {
        if self.owner != owner {
            self.words_cache.clear();
            self.mentions.map.clear();
            self.owner = owner;
        }
    }
}

/// Hashes features as `FeatureSink` does and turns them into model columns.
struct Emitter<'a, F> {
    seed: u64,
    shared: bool,
    conj_seed: Option<u64>,
    column: &'a F,
}

/// The hash `FeatureSink::emit` gives `parts` in `group` under `seed`.
fn hash_parts(seed: u64, buf: &mut Vec<u8>, group: Group, parts: &[&[u8]]) -> u64 {
    buf.clear();
    buf.push(b'0' + group as u8);
    for p in parts {
        buf.push(b'|');
        buf.extend_from_slice(p);
    }
    xxh3_64_with_seed(buf, seed)
}

impl<F: Fn(u64) -> Option<u32>> Emitter<'_, F> {
    /// The columns of the feature with hash `h`: shared and conjoined, those the model knows.
    #[inline]
    fn push(&self, h: u64, out: &mut Vec<u32>) {
        if self.shared {
            if let Some(j) = (self.column)(h) {
                out.push(j);
            }
        }
        if let Some(cs) = self.conj_seed {
            if let Some(j) = (self.column)(xxh3_64_with_seed(&h.to_le_bytes(), cs)) {
                out.push(j);
            }
        }
    }

    fn emit(&self, buf: &mut Vec<u8>, group: Group, parts: &[&[u8]], out: &mut Vec<u32>) {
        self.push(hash_parts(self.seed, buf, group, parts), out);
    }
}

/// Byte substring search (on UTF-8 text, the same as `str::contains`).
fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    match needle.split_first() {
        None => true,
        Some((&first, rest)) => {
            hay.len() >= needle.len()
                && (0..=hay.len() - needle.len())
                    .any(|i| hay[i] == first && &hay[i + 1..i + needle.len()] == rest)
        }
    }
}

/// Equal byte strings, checking the first byte before anything else.
#[inline]
fn eq_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.first() == b.first() && a == b
}

/// Whether a token with normalized text `tok` matches the one-word `phrase` as
/// [`CompiledTarget::find_mentions`] decides: equal, or containing it if it has four letters or
/// more.
#[inline]
fn single_word_hit(tok: &[u8], phrase: &str) -> bool {
    let w = phrase.as_bytes();
    eq_bytes(tok, w)
        || (tok.len() > w.len() && contains_bytes(tok, w) && phrase.chars().count() >= 4)
}

impl CompiledTarget {
    /// [`CompiledTarget::find_mentions`], appending to `out` (which is cleared first) and
    /// comparing bytes directly.
    pub fn find_mentions_into(&self, tokens: &[Token], out: &mut Vec<Range<usize>>) {
        out.clear();
        let mut i = 0;
        while i < tokens.len() {
            let mut best = 0;
            let tok = tokens[i].norm.as_bytes();
            for p in &self.phrases {
                let n = p.len();
                let hit = if n == 1 {
                    single_word_hit(tok, &p[0])
                } else {
                    i + n <= tokens.len()
                        && tokens[i..i + n]
                            .iter()
                            .zip(p)
                            .all(|(t, w)| eq_bytes(t.norm.as_bytes(), w.as_bytes()))
                };
                if hit {
                    best = best.max(n);
                }
            }
            if best > 0 {
                out.push(i..i + best);
                i += best;
            } else {
                i += 1;
            }
        }
    }
}

/// The mentions of a query's `others` in one text, found once for several queries over the same
/// tokens (see [`Featurizer::target_columns`]).
#[derive(Debug, Default)]
pub struct OtherMentions {
    /// Mentions of `others[i]`.
    pub mentions: Vec<Vec<Range<usize>>>,
}

impl OtherMentions {
    /// Finds the mentions of every target of `others` in `tokens`.
    pub fn find(&mut self, others: &[CompiledTarget], tokens: &[Token]) {
        self.mentions.resize_with(others.len(), Vec::new);
        for (t, m) in others.iter().zip(&mut self.mentions) {
            t.find_mentions_into(tokens, m);
        }
    }

    /// [`OtherMentions::find`] for the named targets `others` of the model `owner` (always the
    /// same targets for one owner): which phrases each token text starts is cached in `scratch`.
    pub(crate) fn find_cached(
        &mut self,
        others: &[CompiledTarget],
        tokens: &[Token],
        owner: u64,
        scratch: &mut ColumnScratch,
    ) {
        let total: usize = others.iter().map(|t| t.phrases.len()).sum();
        if total > 64 {
            return self.find(others, tokens);
        }
        scratch.set_owner(owner);
        let ColumnScratch {
            mentions: cache,
            masks,
            ..
        } = scratch;
        if cache.map.len() >= CACHE_LIMIT {
            cache.map.clear();
        }
        masks.clear();
        for t in tokens {
            let mask = match cache.map.get(t.norm.as_str()) {
                Some(&m) => m,
                None => {
                    let tok = t.norm.as_bytes();
                    let mut m = 0u64;
                    let phrases = others.iter().flat_map(|o| &o.phrases);
                    for (k, p) in phrases.enumerate() {
                        let hit = match p.len() {
                            0 => false,
                            1 => single_word_hit(tok, &p[0]),
                            _ => eq_bytes(tok, p[0].as_bytes()),
                        };
                        if hit {
                            m |= 1 << k;
                        }
                    }
                    cache.map.insert(t.norm.as_str().into(), m);
                    m
                }
            };
            masks.push(mask);
        }
        self.mentions.resize_with(others.len(), Vec::new);
        let mut offset = 0;
        for (t, out) in others.iter().zip(&mut self.mentions) {
            out.clear();
            let n_phrases = t.phrases.len();
            let own = if n_phrases >= 64 {
                u64::MAX
            } else {
                (1u64 << n_phrases) - 1
            };
            let mut i = 0;
            while i < tokens.len() {
                let mut bits = masks[i].checked_shr(offset).unwrap_or(0) & own;
                let mut best = 0;
                while bits != 0 {
                    let p = &t.phrases[bits.trailing_zeros() as usize];
                    bits &= bits - 1;
                    let n = p.len();
                    let hit = n == 1
                        || (i + n <= tokens.len()
                            && tokens[i + 1..i + n]
                                .iter()
                                .zip(&p[1..])
                                .all(|(t, w)| eq_bytes(t.norm.as_bytes(), w.as_bytes())));
                    if hit {
                        best = best.max(n);
                    }
                }
                if best > 0 {
                    out.push(i..i + best);
                    i += best;
                } else {
                    i += 1;
                }
            }
            offset += n_phrases as u32;
        }
    }
}

impl Featurizer {
    /// The inference path of [`Featurizer::extract`]: the model columns of the features `extract`
    /// would emit, repeats included, in some order. `column` gives a feature hash's column, or
    /// `None` for a feature the model does not know (it is dropped); `owner` identifies the model
    /// (it keys the caches in `scratch`). `out` is cleared first.
    ///
    /// The multiset of columns equals that of `extract` followed by looking up each hash.
    #[allow(clippy::too_many_arguments)]
    pub fn extract_columns<F: Fn(u64) -> Option<u32>>(
        &self,
        text: &str,
        tokens: &[Token],
        query: &TargetQuery,
        column: &F,
        owner: u64,
        scratch: &mut ColumnScratch,
        out: &mut Vec<u32>,
    ) {
        self.prepare_columns(text, tokens, owner, scratch);
        self.target_columns(tokens, query, None, column, owner, scratch, out);
    }

    /// The part of [`Featurizer::extract_columns`] that does not depend on the target: words,
    /// negation scope, and the hashes of negated words, bigrams and cues, kept in `scratch` for
    /// [`Featurizer::target_columns`] on the same `tokens`.
    pub fn prepare_columns(
        &self,
        text: &str,
        tokens: &[Token],
        owner: u64,
        scratch: &mut ColumnScratch,
    ) {
        let cfg = &self.config;
        let seed = cfg.hash_seed;
        scratch.set_owner(owner);
        if scratch.words_cache.map.len() >= CACHE_LIMIT {
            scratch.words_cache.clear();
        }
        let ColumnScratch {
            buf,
            words,
            word_spans,
            negated,
            base,
            word_ids,
            words_cache,
            ..
        } = scratch;
        // Words, exactly as `extract` finds them.
        words.clear();
        word_spans.clear();
        negated.clear();
        negated.resize(tokens.len(), false);
        base.clear();
        let mut glue: Option<&str> = None;
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
            if cfg.negation && is_negation(n) {
                in_neg = true;
            }
            let start = words.len();
            if let Some(g) = glue.take() {
                if i > 0 && tokens[i - 1].span.end == t.span.start {
                    words.push_str(g);
                }
            }
            words.push_str(n);
            word_spans.push((i, start..words.len()));
        }
        word_ids.clear();
        word_ids.extend(
            word_spans
                .iter()
                .map(|(_, r)| words_cache.entry(&words[r.clone()])),
        );

        for (k, (i, r)) in word_spans.iter().enumerate() {
            if negated[*i] {
                let w = words[r.clone()].as_bytes();
                base.push(hash_parts(seed, buf, Group::Word, &[b"neg", w]));
            }
            for n in 2..=cfg.word_ngrams {
                if k + n <= word_spans.len() {
                    buf.clear();
                    buf.extend_from_slice(b"0|");
                    for (m, (_, r)) in word_spans[k..k + n].iter().enumerate() {
                        if m > 0 {
                            buf.push(b' ');
                        }
                        buf.extend_from_slice(words[r.clone()].as_bytes());
                    }
                    base.push(xxh3_64_with_seed(buf, seed));
                }
            }
        }

        if cfg.cues {
            let mut cue = |buf: &mut Vec<u8>, part: &[u8]| {
                base.push(hash_parts(seed, buf, Group::Cue, &[part]));
            };
            for t in tokens {
                let n = t.norm.as_str();
                match n {
                    "!" => cue(buf, b"!"),
                    "?" => cue(buf, b"?"),
                    _ if is_quote(n) => cue(buf, b"quote"),
                    _ => {}
                }
                if is_caps(&text[t.span.clone()]) {
                    cue(buf, b"caps");
                }
                if is_elongated(n) {
                    cue(buf, b"elong");
                }
                if n.starts_with("http") || n == "www" {
                    cue(buf, b"url");
                }
                if !n.is_ascii() && n.chars().any(is_emoji) {
                    cue(buf, b"emoji");
                }
            }
        }
    }

    /// The columns of the features of the text last given to [`Featurizer::prepare_columns`]
    /// (with these `tokens`) toward `query`: [`Featurizer::extract_columns`] in two steps, so
    /// that several targets share the first. `others`, when given, holds the mentions of
    /// `query.others` in `tokens`. `out` is cleared first.
    #[allow(clippy::too_many_arguments)]
    pub fn target_columns<F: Fn(u64) -> Option<u32>>(
        &self,
        tokens: &[Token],
        query: &TargetQuery,
        others: Option<&OtherMentions>,
        column: &F,
        owner: u64,
        scratch: &mut ColumnScratch,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        let others = others.filter(|o| o.mentions.len() == query.others.len());
        let cfg = &self.config;
        let key = cfg.conjoin_target.then_some(query.target.key.as_str());
        let em = Emitter {
            seed: cfg.hash_seed,
            shared: cfg.shared || key.is_none(),
            conj_seed: key.map(|k| xxh3_64_with_seed(k.as_bytes(), cfg.hash_seed)),
            column,
        };
        if scratch.owner != owner {
            // Prepared for another model: its cache entries go, the words stay.
            scratch.set_owner(owner);
            let ColumnScratch {
                words,
                word_spans,
                word_ids,
                words_cache,
                ..
            } = &mut *scratch;
            word_ids.clear();
            word_ids.extend(
                word_spans
                    .iter()
                    .map(|(_, r)| words_cache.entry(&words[r.clone()])),
            );
        }
        let ColumnScratch {
            buf,
            padded,
            starts,
            words,
            word_spans,
            base,
            word_ids,
            words_cache: cache,
            ..
        } = scratch;
        // Unigrams and character n-grams: from the cache.
        let slot = cache.slot(em.conj_seed);
        for ((_, r), &e) in word_spans.iter().zip(word_ids.iter()) {
            let cached = slot.map(|k| cache.ranges[e as usize * KEY_SLOTS + k]);
            let (a, len) = match cached {
                Some(v) if v != NOT_YET => v,
                _ => {
                    let w = &words[r.clone()];
                    let a = cache.pool.len();
                    em.emit(buf, Group::Word, &[w.as_bytes()], &mut cache.pool);
                    if cfg.char_min > 0 {
                        self.char_ngram_columns(w, &em, buf, padded, starts, &mut cache.pool);
                    }
                    let v = (a as u32, (cache.pool.len() - a) as u32);
                    if let Some(k) = slot {
                        cache.ranges[e as usize * KEY_SLOTS + k] = v;
                    }
                    v
                }
            };
            out.extend_from_slice(&cache.pool[a as usize..(a + len) as usize]);
            if slot.is_none() {
                // No slot for this key: the columns were only needed once.
                cache.pool.truncate(a as usize);
            }
        }
        for &h in base.iter() {
            em.push(h, out);
        }
        if cfg.window_for(&query.target.key) > 0 {
            self.context_columns(tokens, query, others, &em, buf, out);
        }
        if cfg.bias {
            em.emit(buf, Group::Bias, &[b"bias"], out);
        }
    }

    fn char_ngram_columns<F: Fn(u64) -> Option<u32>>(
        &self,
        word: &str,
        em: &Emitter<F>,
        buf: &mut Vec<u8>,
        padded: &mut Vec<u8>,
        starts: &mut Vec<usize>,
        out: &mut Vec<u32>,
    ) {
        padded.clear();
        padded.push(b' ');
        padded.extend_from_slice(word.as_bytes());
        padded.push(b' ');
        // Byte offset of every char of the padded word, and its end.
        starts.clear();
        starts.push(0);
        starts.extend(word.char_indices().map(|(b, _)| b + 1));
        starts.push(word.len() + 1);
        starts.push(word.len() + 2);
        let n_chars = starts.len() - 1;
        for n in self.config.char_min..=self.config.char_max {
            if n > n_chars {
                break;
            }
            for k in 0..=n_chars - n {
                em.emit(buf, Group::Char, &[&padded[starts[k]..starts[k + n]]], out);
            }
        }
    }

    fn context_columns<F: Fn(u64) -> Option<u32>>(
        &self,
        tokens: &[Token],
        query: &TargetQuery,
        known: Option<&OtherMentions>,
        em: &Emitter<F>,
        buf: &mut Vec<u8>,
        out: &mut Vec<u32>,
    ) {
        let mut mentions: Vec<Range<usize>> = Vec::new();
        // The target's mentions, when it is one of the others whose mentions are known.
        let same =
            |o: &CompiledTarget| o.key == query.target.key && o.phrases == query.target.phrases;
        let known_own =
            known.and_then(|k| query.others.iter().position(same).map(|i| &k.mentions[i]));
        match query.span {
            Some(span) => {
                let mut hit = (0..tokens.len()).filter(|&i| {
                    tokens[i].span.start < span.end && span.start < tokens[i].span.end
                });
                if let Some(a) = hit.next() {
                    let b = hit.next_back().unwrap_or(a);
                    mentions.push(a..b + 1);
                }
            }
            None => match known_own {
                Some(m) => mentions.extend_from_slice(m),
                None => query.target.find_mentions_into(tokens, &mut mentions),
            },
        }
        let mut other_buf = Vec::new();
        let w = self.config.window_for(&query.target.key);
        for (i, other) in query.others.iter().enumerate() {
            if other.key == query.target.key {
                continue;
            }
            let found: &[Range<usize>] = match known {
                Some(k) => &k.mentions[i],
                None => {
                    other.find_mentions_into(tokens, &mut other_buf);
                    &other_buf
                }
            };
            if !found.is_empty() {
                em.emit(buf, Group::Context, &[b"other", other.key.as_bytes()], out);
            }
            if self.config.other_context {
                let key = other.key.as_bytes();
                for m in found {
                    let left = tokens[..m.start].iter().rev().filter(|t| !t.is_punct());
                    for t in left.take(w) {
                        em.emit(
                            buf,
                            Group::Context,
                            &[b"o", key, b"L", t.norm.as_bytes()],
                            out,
                        );
                    }
                    let right = tokens[m.end..].iter().filter(|t| !t.is_punct());
                    for t in right.take(w) {
                        em.emit(
                            buf,
                            Group::Context,
                            &[b"o", key, b"R", t.norm.as_bytes()],
                            out,
                        );
                    }
                }
            }
        }
        if mentions.is_empty() {
            em.emit(buf, Group::Context, &[b"nomention"], out);
            return;
        }
        let count: &[u8] = match mentions.len() {
            1 => b"1",
            2 => b"2",
            _ => b"3+",
        };
        em.emit(buf, Group::Context, &[b"mentions", count], out);
        for m in &mentions {
            if m.start <= 1 {
                em.emit(buf, Group::Context, &[b"first"], out);
            }
            let left = tokens[..m.start]
                .iter()
                .rev()
                .filter(|t| !t.is_punct())
                .take(w);
            for (k, t) in left.enumerate() {
                let n = t.norm.as_bytes();
                if k < 2 {
                    em.emit(buf, Group::Context, &[b"L", DIGITS[k].as_bytes(), n], out);
                }
                em.emit(buf, Group::Context, &[b"L", n], out);
                if is_negation(&t.norm) {
                    em.emit(buf, Group::Context, &[b"negnear"], out);
                }
            }
            let right = tokens[m.end..].iter().filter(|t| !t.is_punct()).take(w);
            for (k, t) in right.enumerate() {
                let n = t.norm.as_bytes();
                if k < 2 {
                    em.emit(buf, Group::Context, &[b"R", DIGITS[k].as_bytes(), n], out);
                }
                em.emit(buf, Group::Context, &[b"R", n], out);
            }
            if let Some(t) = tokens.get(m.end).filter(|t| t.is_punct()) {
                em.emit(buf, Group::Context, &[b"Rp", t.norm.as_bytes()], out);
            }
        }
    }
}

/// One of `NEGATIONS` (a test checks the two agree).
fn is_negation(w: &str) -> bool {
    matches!(
        w,
        "not"
            | "no"
            | "never"
            | "nothing"
            | "nobody"
            | "none"
            | "nor"
            | "neither"
            | "cannot"
            | "without"
            | "hardly"
            | "nowhere"
            | "cant"
            | "dont"
            | "wont"
            | "isnt"
            | "didnt"
            | "doesnt"
    )
}

#[cfg(test)]
#[test]
fn negations_agree() {
    for w in super::NEGATIONS {
        assert!(is_negation(w), "{w}");
    }
    for w in ["", "n", "noo", "nota", "know", "not "] {
        assert!(!is_negation(w) && !super::NEGATIONS.contains(&w), "{w}");
    }
}

/// At least three chars, no lowercase, some uppercase (as `cues` decides "caps").
fn is_caps(orig: &str) -> bool {
    if orig.is_ascii() {
        let b = orig.as_bytes();
        b.len() >= 3
            && !b.iter().any(u8::is_ascii_lowercase)
            && b.iter().any(u8::is_ascii_uppercase)
    } else {
        orig.chars().count() >= 3
            && orig.chars().all(|c| !c.is_lowercase())
            && orig.chars().any(|c| c.is_uppercase())
    }
}

/// Three equal alphabetic chars in a row (as `cues` decides "elong").
fn is_elongated(n: &str) -> bool {
    if n.is_ascii() {
        n.as_bytes()
            .windows(3)
            .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_ascii_alphabetic())
    } else {
        let chars: Vec<char> = n.chars().collect();
        chars
            .windows(3)
            .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_alphabetic())
    }
}
