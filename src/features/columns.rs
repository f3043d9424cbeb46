//! The inference path of feature extraction: the model columns of a text's features, with no
//! feature name built.
//!
//! [`Featurizer::extract`] (the reference, used in training) hashes every feature from its name.
//! Here the same hashes are computed from the features' parts straight into a buffer, looked up
//! in the model at once, and the work that does not depend on the target is done once per text:
//! words, negation, bigrams and cues are found by [`Featurizer::prepare_columns`], then
//! [`Featurizer::target_columns`] conjoins them with each target. Each token is looked up once
//! per text in a per-model lexicon whose entry holds what is known of its text: its flags
//! (punctuation, negation, cues), the phrases of the named targets it starts (for
//! `OtherMentions::find_prepared`), its columns (unigram and character n-grams) per target
//! key, and, by pairs of entries, the bigrams' columns. The columns can go straight into a
//! model's counts ([`Featurizer::target_columns_into`]). A model only ever sees the multiset of
//! columns (counts, in column order), which equals that of the reference path (tests compare
//! them on arbitrary text and on the corpora).

use super::{
    is_clause_break, is_emoji, is_quote, CompiledTarget, Featurizer, Group, TargetQuery, DIGITS,
};
use crate::model::ColumnSink;
use crate::tokenize::{is_punctuation, Token};
use std::ops::Range;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The ids of the texts a [`Lexicon`] has seen, in the order they were first seen: an open
/// addressing table (linear probing) over each text's short form.
///
/// A text of at most 16 bytes is known exactly by its length and two words of its bytes (the
/// first and last 8, or 4, bytes; the bytes themselves under 4), which are compared instead of the
/// bytes, and its hash is one folded 128-bit multiplication of them (as wyhash does with short
/// inputs). Longer texts are hashed with xxh3 and their bytes kept and compared.
#[derive(Debug, Default)]
struct TextIds {
    /// Entry + 1 of each slot (0: empty). The length is a power of two, at least twice the
    /// number of entries (or zero).
    slots: Vec<u32>,
    /// Each entry's key, by id.
    keys: Vec<TextKey>,
    /// The bytes of the texts longer than 16 bytes, one after the other.
    long: Vec<u8>,
}

/// A text's key in [`TextIds`]: its hash, length, and two words of its bytes (for a text of more
/// than 16 bytes, `x` is where its bytes start in `TextIds::long`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TextKey {
    hash: u64,
    x: u64,
    y: u64,
    len: usize,
}

/// The longest text [`TextKey`] holds exactly.
const SHORT_TEXT: usize = 16;

impl TextKey {
    /// The key of `b` (a long text's `x` is left 0).
    #[inline(always)]
    fn of(b: &[u8]) -> TextKey {
        let n = b.len();
        let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        let half =
            |i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or([0; 4])));
        let (x, y) = match n {
            0 => (0, 0),
            1..=3 => (
                (u64::from(b[0]) << 16) | (u64::from(b[n / 2]) << 8) | u64::from(b[n - 1]),
                0,
            ),
            4..=7 => (half(0), half(n - 4)),
            8..=SHORT_TEXT => (word(0), word(n - 8)),
            _ => {
                return TextKey {
                    hash: xxh3_64_with_seed(b, 0),
                    x: 0,
                    y: 0,
                    len: n,
                }
            }
        };
        let p = u128::from(x ^ 0xa076_1d64_78bd_642f)
            * u128::from(y ^ 0xe703_7ed1_a0b4_28db ^ n as u64);
        TextKey {
            hash: (p as u64) ^ ((p >> 64) as u64),
            x,
            y,
            len: n,
        }
    }
}

impl TextIds {
    fn clear(&mut self) {
        self.slots.fill(0);
        self.keys.clear();
        self.long.clear();
    }

    /// The bytes of entry `id`'s text, into `out` (cleared first): a short text's key holds
    /// them all (its first and last bytes, or words, overlap to cover it).
    fn text_into(&self, id: u32, out: &mut Vec<u8>) {
        out.clear();
        let Some(k) = self.keys.get(id as usize) else {
            return;
        };
        let n = k.len;
        match n {
            0 => {}
            1..=3 => {
                let (b0, mid, last) = ((k.x >> 16) as u8, (k.x >> 8) as u8, k.x as u8);
                out.push(b0);
                if n == 3 {
                    out.push(mid);
                }
                if n >= 2 {
                    out.push(last);
                }
            }
            4..=7 => {
                out.extend_from_slice(&(k.x as u32).to_le_bytes());
                out.extend_from_slice(&(k.y as u32).to_le_bytes()[8 - n..]);
            }
            8..=SHORT_TEXT => {
                out.extend_from_slice(&k.x.to_le_bytes());
                out.extend_from_slice(&k.y.to_le_bytes()[16 - n..]);
            }
            _ => {
                let a = k.x as usize;
                out.extend_from_slice(self.long.get(a..a + n).unwrap_or_default());
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.keys.len()
    }

    /// The id of `text`, or, if it is new, its slot and key, for [`TextIds::insert`].
    #[inline(always)]
    fn find(&self, text: &[u8]) -> Result<u32, (usize, TextKey)> {
        let key = TextKey::of(text);
        let mask = self.slots.len().wrapping_sub(1);
        if self.slots.is_empty() {
            return Err((usize::MAX, key));
        }
        let mut i = key.hash as usize & mask;
        loop {
            let e = self.slots[i];
            if e == 0 {
                return Err((i, key));
            }
            let k = &self.keys[e as usize - 1];
            if k.hash == key.hash && k.len == key.len {
                let same = if key.len <= SHORT_TEXT {
                    k.x == key.x && k.y == key.y
                } else {
                    let a = k.x as usize;
                    self.long.get(a..a + key.len) == Some(text)
                };
                if same {
                    return Ok(e - 1);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `text` (not in the table; `slot` and `key` from [`TextIds::find`]) with the next id.
    #[cold]
    #[inline(never)]
    fn insert(&mut self, text: &[u8], slot: usize, mut key: TextKey) -> u32 {
        if key.len > SHORT_TEXT {
            key.x = self.long.len() as u64;
            self.long.extend_from_slice(text);
        }
        let id = self.keys.len() as u32;
        self.keys.push(key);
        if 2 * self.keys.len() > self.slots.len() {
            // Twice the slots, every entry placed again.
            let n = (2 * self.slots.len()).max(64);
            // A new zeroed table (the old one's slots would be copied by growing it in place).
            self.slots = vec![0; n];
            for (e, k) in self.keys.iter().enumerate() {
                let mut i = k.hash as usize & (n - 1);
                while self.slots[i] != 0 {
                    i = (i + 1) & (n - 1);
                }
                self.slots[i] = e as u32 + 1;
            }
        } else {
            self.slots[slot] = id + 1;
        }
        id
    }
}

/// A map from `u64` keys (pairs of entry ids, packed) to values: open addressing (linear
/// probing) over the entries' indexes, which are in insertion order.
#[derive(Debug)]
struct U64Map<V> {
    /// Entry + 1 of each slot (0: empty). The length is a power of two, at least twice the
    /// number of entries (or zero).
    slots: Vec<u32>,
    /// `64 - log2(slots.len())`: a key's first slot is the top bits of its product with an odd
    /// constant (Fibonacci hashing).
    shift: u32,
    entries: Vec<(u64, V)>,
}

impl<V> Default for U64Map<V> {
    fn default() -> Self {
        U64Map {
            slots: Vec::new(),
            shift: 64,
            entries: Vec::new(),
        }
    }
}

impl<V: Copy> U64Map<V> {
    fn len(&self) -> usize {
        self.entries.len()
    }

    fn clear(&mut self) {
        self.slots.fill(0);
        self.entries.clear();
    }

    /// The first slot of `key`.
    #[inline(always)]
    fn home(&self, key: u64) -> usize {
        ((key ^ (key >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .checked_shr(self.shift)
            .unwrap_or(0) as usize
    }

    /// The value of `key`, or the slot where it would go.
    #[inline(always)]
    fn find(&self, key: u64) -> Result<V, usize> {
        if self.slots.is_empty() {
            return Err(0);
        }
        let mask = self.slots.len() - 1;
        // With slots, `shift` is below 64: the home slot without `checked_shr`'s test (and
        // masked, which it already is, so that the first probe needs no bounds check).
        let h = (key ^ (key >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut i = (h >> (self.shift & 63)) as usize & mask;
        loop {
            let e = self.slots[i];
            if e == 0 {
                return Err(i);
            }
            let (k, v) = self.entries[e as usize - 1];
            if k == key {
                return Ok(v);
            }
            i = (i + 1) & mask;
        }
    }

    #[cfg(test)]
    fn get(&self, key: u64) -> Option<V> {
        self.find(key).ok()
    }

    /// Adds `key` (not in the map) with value `v`.
    fn insert_new(&mut self, key: u64, slot: usize, v: V) {
        self.entries.push((key, v));
        if 2 * self.entries.len() > self.slots.len() {
            // Twice the slots, every entry placed again.
            let n = (2 * self.slots.len()).max(64);
            // A new zeroed table (the old one's slots would be copied by growing it in place).
            self.slots = vec![0; n];
            self.shift = 64 - n.trailing_zeros();
            for e in 0..self.entries.len() {
                let mut i = self.home(self.entries[e].0);
                while self.slots[i] != 0 {
                    i = (i + 1) & (n - 1);
                }
                self.slots[i] = e as u32 + 1;
            }
        } else {
            self.slots[slot] = self.entries.len() as u32;
        }
    }

    /// Adds `key` with value `v` (`key` must not be in the map).
    #[cfg(test)]
    fn insert(&mut self, key: u64, v: V) {
        match self.find(key) {
            Ok(_) => debug_assert!(false, "key {key} is in the map"),
            Err(slot) => self.insert_new(key, slot, v),
        }
    }

    /// The value of `key`, made by `make` if it is new.
    #[cfg(test)]
    fn get_or_insert_with(&mut self, key: u64, make: impl FnOnce() -> V) -> V {
        match self.find(key) {
            Ok(v) => v,
            Err(slot) => {
                let v = make();
                self.insert_new(key, slot, v);
                v
            }
        }
    }
}

/// Entries a cache holds before it is emptied (bounds memory on endless streams).
const CACHE_LIMIT: usize = 200_000;

/// Target keys whose columns a word cache entry holds.
const KEY_SLOTS: usize = 4;

/// A range of `pool` not computed yet.
const NOT_YET: (u32, u32) = (u32::MAX, 0);

/// No column: the model does not know the feature (columns are below `u32::MAX - 1`).
const NO_COLUMN: u32 = u32::MAX;

/// Columns not computed yet.
const UNSET: (u32, u32) = (u32::MAX - 1, u32::MAX - 1);

/// No lexicon entry.
const NO_ENTRY: u32 = u32::MAX;

/// What a token text is, whatever its context (bits of [`Lexicon::flags`]).
mod flag {
    /// A single punctuation character (as [`crate::tokenize::Token::is_punct`]).
    pub const PUNCT: u16 = 1;
    /// Ends a negation's scope.
    pub const CLAUSE_BREAK: u16 = 1 << 1;
    /// One of the negation words.
    pub const NEGATION: u16 = 1 << 2;
    /// The cue `!`.
    pub const BANG: u16 = 1 << 3;
    /// The cue `?`.
    pub const QUESTION: u16 = 1 << 4;
    /// A quotation mark.
    pub const QUOTE: u16 = 1 << 5;
    /// Three equal letters in a row.
    pub const ELONGATED: u16 = 1 << 6;
    /// A web address.
    pub const URL: u16 = 1 << 7;
    /// Has an emoji.
    pub const EMOJI: u16 = 1 << 8;
    /// The entry's mention mask is computed.
    pub const MASK_KNOWN: u16 = 1 << 9;
    /// The entry's [`BIGRAM_FIRST`] and [`BIGRAM_LAST`] are computed.
    pub const BIGRAM_KNOWN: u16 = 1 << 10;
    /// Some bigram of the model may start with the entry's text.
    pub const BIGRAM_FIRST: u16 = 1 << 11;
    /// Some bigram of the model may end with the entry's text.
    pub const BIGRAM_LAST: u16 = 1 << 12;
    /// The entry's hash as a negated word is in [`super::Lexicon::neg_hashes`].
    pub const NEG_HASH_KNOWN: u16 = 1 << 13;
}

/// The words that begin and end the word bigrams a model has columns for, found from its
/// feature names, each name checked against its column's hash: a bigram whose first word is
/// not among the first words (or last word among the last words) has no column, and
/// [`Featurizer::prepare_columns`] skips it without a lookup.
#[derive(Debug, Default)]
pub(crate) struct BigramWords {
    first: std::collections::HashSet<Box<str>, crate::model::StrState>,
    last: std::collections::HashSet<Box<str>, crate::model::StrState>,
}

impl BigramWords {
    /// The bigram words of a model with these settings and, per column, feature name, hash and
    /// group; `None` (nothing skipped) unless the word n-grams are at most bigrams and the name
    /// of every column of the word group gives its hash.
    pub(crate) fn of_model(
        config: &super::FeatureConfig,
        names: &crate::model::FeatureNames,
        hashes: &[u64],
        groups: &[u8],
    ) -> Option<BigramWords> {
        if config.max_word_ngrams() != 2 || names.len() != hashes.len() {
            return None;
        }
        let seed = config.hash_seed;
        let mut words = BigramWords::default();
        let mut buf = Vec::new();
        // The conjunction seeds of the keys met so far (a model has a few).
        let mut key_seeds: Vec<(&str, u64)> = Vec::new();
        for ((name, &hash), &group) in names.iter().zip(hashes).zip(groups) {
            if group != Group::Word as u8 {
                continue;
            }
            // `w|REST` (shared) or `KEY|w|REST` (conjoined with KEY): the one whose hash is the
            // column's.
            let own = |key: Option<&str>, rest: &str, buf: &mut Vec<u8>| {
                let h = hash_parts(seed, buf, Group::Word, &[rest.as_bytes()]);
                let h = match key {
                    None => h,
                    Some(k) => {
                        let ks = match key_seeds.iter().find(|(known, _)| *known == k) {
                            Some(&(_, ks)) => ks,
                            None => xxh3_64_with_seed(k.as_bytes(), seed),
                        };
                        xxh3_64_with_seed(&h.to_le_bytes(), ks)
                    }
                };
                h == hash
            };
            let shared = name
                .strip_prefix("w|")
                .filter(|rest| own(None, rest, &mut buf));
            let rest = match shared {
                Some(rest) => rest,
                None => {
                    let (key, rest) =
                        word_splits(name).find(|&(key, rest)| own(Some(key), rest, &mut buf))?;
                    if !key_seeds.iter().any(|(known, _)| *known == key) {
                        key_seeds.push((key, xxh3_64_with_seed(key.as_bytes(), seed)));
                    }
                    rest
                }
            };
            // A bigram's text is its two words with a space between: every split at a space
            // (each word kept once: most come in many bigrams).
            for (p, _) in rest.bytes().enumerate().filter(|&(_, b)| b == b' ') {
                let (first, last) = (&rest[..p], &rest[p + 1..]);
                if !words.first.contains(first) {
                    words.first.insert(first.into());
                }
                if !words.last.contains(last) {
                    words.last.insert(last.into());
                }
            }
        }
        Some(words)
    }

    /// The [`flag::BIGRAM_FIRST`] and [`flag::BIGRAM_LAST`] of a text.
    fn flags(&self, text: &str) -> u16 {
        let mut f = 0;
        if self.first.contains(text) {
            f |= flag::BIGRAM_FIRST;
        }
        if self.last.contains(text) {
            f |= flag::BIGRAM_LAST;
        }
        f
    }
}

/// The `(KEY, REST)` of each `|w|` of a feature name `KEY|w|REST`, left to right and not
/// overlapping, as `name.match_indices("|w|")` finds them (without a substring searcher set up
/// for each name).
fn word_splits(name: &str) -> impl Iterator<Item = (&str, &str)> {
    let b = name.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(k) = b[from..].iter().position(|&c| c == b'|') {
            let p = from + k;
            if b[p..].starts_with(b"|w|") {
                from = p + 3;
                return Some((&name[..p], &name[p + 3..]));
            }
            from = p + 1;
        }
        None
    })
}

/// The bigram flags of a word's lexicon entry, worked out the first time (all set without
/// `bigram_words`: no bigram is skipped).
#[inline(always)]
fn bigram_flags(
    lexicon: &mut Lexicon,
    bigram_words: Option<&BigramWords>,
    w: &Word,
    tokens: &[Token],
    glued: &mut String,
) -> u16 {
    let Some(bw) = bigram_words else {
        return flag::BIGRAM_FIRST | flag::BIGRAM_LAST;
    };
    let f = lexicon.flags[w.id as usize];
    if f & flag::BIGRAM_KNOWN != 0 {
        return f;
    }
    new_bigram_flags(lexicon, bw, w, tokens, glued)
}

#[cold]
#[inline(never)]
fn new_bigram_flags(
    lexicon: &mut Lexicon,
    bw: &BigramWords,
    w: &Word,
    tokens: &[Token],
    glued: &mut String,
) -> u16 {
    let f = &mut lexicon.flags[w.id as usize];
    *f |= flag::BIGRAM_KNOWN | bw.flags(w.text(tokens, glued));
    *f
}

/// The flags of a token text.
fn flags_of(n: &str) -> u16 {
    let mut f = 0;
    let mut chars = n.chars();
    if matches!((chars.next(), chars.next()), (Some(c), None) if is_punctuation(c)) {
        f |= flag::PUNCT;
    }
    if is_clause_break(n) {
        f |= flag::CLAUSE_BREAK;
    }
    if is_negation(n) {
        f |= flag::NEGATION;
    }
    f |= match n {
        "!" => flag::BANG,
        "?" => flag::QUESTION,
        _ if is_quote(n) => flag::QUOTE,
        _ => 0,
    };
    if is_elongated(n) {
        f |= flag::ELONGATED;
    }
    if n.starts_with("http") || n == "www" {
        f |= flag::URL;
    }
    if !n.is_ascii() && n.chars().any(is_emoji) {
        f |= flag::EMOJI;
    }
    f
}

/// The texts (token norms and glued words such as `#putin`) a model has seen, each looked up
/// once per occurrence; an entry holds what the column path needs of the text: its flags, the
/// mentions of the model's named targets it starts, its columns (unigram and character n-grams)
/// per target key, and the hashes of the bigrams it starts. The entries belong to one model.
#[derive(Debug, Default)]
struct Lexicon {
    map: TextIds,
    /// The entry of each one-byte text ([`NO_ENTRY`] until it is seen; empty until the first
    /// entry is made): punctuation and one-letter words skip the table.
    byte_ids: Vec<u32>,
    /// The [`flag`]s of each entry.
    flags: Vec<u16>,
    /// For each entry, the phrases of the owner's named targets it starts (bit `k` for the
    /// `k`-th phrase, counting through the targets in order), once [`flag::MASK_KNOWN`].
    masks: Vec<u64>,
    /// For each entry, the hash of its text as a negated word (`neg|WORD`), once
    /// [`flag::NEG_HASH_KNOWN`].
    neg_hashes: Vec<u64>,
    /// The conjunction seed of each slot's target key (`None`: not conjoined).
    keys: Vec<Option<u64>>,
    /// Whether each slot's key is a named target's (not the generic key).
    named_keys: Vec<bool>,
    /// `ranges[entry * KEY_SLOTS + slot]`: the entry's columns in `pool`.
    ranges: Vec<(u32, u32)>,
    pool: Vec<u32>,
    /// `neg_columns[entry * KEY_SLOTS + slot]`: the shared and conjoined columns of the entry's
    /// negated word (`neg|WORD`) toward the slot's key (or [`NO_COLUMN`]), once computed.
    neg_columns: Vec<(u32, u32)>,
    /// The bigram of two entries (first entry in the high half of the key): its index in
    /// `bigram_hashes`.
    bigrams: U64Map<u32>,
    bigram_hashes: Vec<u64>,
    /// `bigram_columns[bigram * KEY_SLOTS + slot]`: the bigram's shared and conjoined columns
    /// toward the slot's key (or [`NO_COLUMN`]), once computed.
    bigram_columns: Vec<(u32, u32)>,
    /// `context_blocks[entry * KEY_SLOTS + slot]`: the entry's block in `context`, once
    /// the entry is beside a mention of the slot's key ([`NO_BLOCK`] before).
    context_blocks: Vec<u32>,
    /// The columns of the context features of words beside a mention: blocks of
    /// [`CONTEXT_KINDS`] (shared, conjoined) pairs, one per feature kind, [`UNSET`] until
    /// computed.
    context: Vec<(u32, u32)>,
    /// The first word of each phrase of the owner's named targets, as [`phrase_mask`] tests
    /// it, once computed.
    phrase_heads: PhraseHeads,
    /// `phrase_heads` are computed (for the owner's named targets), and so is every entry's
    /// mask ([`flag::MASK_KNOWN`]): new entries get theirs as they are made.
    phrase_heads_known: bool,
    /// `consts[slot]`: the columns of the features that are the same for every text
    /// ([`Const`]) toward the slot's key, once computed ([`UNSET`] before).
    consts: Vec<[(u32, u32); Const::COUNT]>,
}

/// Features whose text never changes: their columns are cached per target key.
#[derive(Clone, Copy)]
enum Const {
    NoMention,
    Mentions1,
    Mentions2,
    Mentions3,
    First,
    NegNear,
    Bias,
    /// The cues, in [`CUES`] order.
    Bang,
    Question,
    Quote,
    Caps,
    Elong,
    Url,
    Emoji,
}

impl Const {
    const COUNT: usize = 14;

    /// The cue features, by their index in [`CUES`].
    const CUES: [Const; CUES.len()] = [
        Const::Bang,
        Const::Question,
        Const::Quote,
        Const::Caps,
        Const::Elong,
        Const::Url,
        Const::Emoji,
    ];

    /// The feature's group and parts.
    fn parts(self) -> (Group, &'static [&'static [u8]]) {
        match self {
            Const::NoMention => (Group::Context, &[b"nomention"]),
            Const::Mentions1 => (Group::Context, &[b"mentions", b"1"]),
            Const::Mentions2 => (Group::Context, &[b"mentions", b"2"]),
            Const::Mentions3 => (Group::Context, &[b"mentions", b"3+"]),
            Const::First => (Group::Context, &[b"first"]),
            Const::NegNear => (Group::Context, &[b"negnear"]),
            Const::Bias => (Group::Bias, &[b"bias"]),
            Const::Bang => (Group::Cue, &[CUES[0]]),
            Const::Question => (Group::Cue, &[CUES[1]]),
            Const::Quote => (Group::Cue, &[CUES[2]]),
            Const::Caps => (Group::Cue, &[CUES[3]]),
            Const::Elong => (Group::Cue, &[CUES[4]]),
            Const::Url => (Group::Cue, &[CUES[5]]),
            Const::Emoji => (Group::Cue, &[CUES[6]]),
        }
    }
}

impl Lexicon {
    fn clear(&mut self) {
        self.map.clear();
        self.byte_ids.fill(NO_ENTRY);
        self.flags.clear();
        self.masks.clear();
        self.neg_hashes.clear();
        self.keys.clear();
        self.named_keys.clear();
        self.ranges.clear();
        self.neg_columns.clear();
        self.pool.clear();
        self.bigrams.clear();
        self.bigram_hashes.clear();
        self.bigram_columns.clear();
        self.context_blocks.clear();
        self.context.clear();
        self.consts.clear();
        self.phrase_heads = PhraseHeads::default();
        self.phrase_heads_known = false;
    }

    /// Room in the tables for the entries of the first few thousand texts (a lexicon is
    /// emptied, never shrunk): they fill up without being copied to larger blocks step by step.
    /// Only what is used is touched.
    #[cold]
    fn reserve(&mut self) {
        const ENTRIES: usize = 1 << 14;
        const BIGRAMS: usize = 1 << 15;
        self.byte_ids = vec![NO_ENTRY; 256];
        self.map.keys.reserve(ENTRIES);
        self.flags.reserve(ENTRIES);
        self.masks.reserve(ENTRIES);
        self.neg_hashes.reserve(ENTRIES);
        self.ranges.reserve(ENTRIES * KEY_SLOTS);
        self.neg_columns.reserve(ENTRIES * KEY_SLOTS);
        // Unigram and character n-gram columns: about 16 a word and key.
        self.pool.reserve(ENTRIES * 16);
        self.bigrams.entries.reserve(BIGRAMS);
        self.bigram_hashes.reserve(BIGRAMS);
        self.bigram_columns.reserve(BIGRAMS * KEY_SLOTS);
        self.context_blocks.reserve(ENTRIES * KEY_SLOTS);
        self.context.reserve(ENTRIES * CONTEXT_KINDS);
    }

    fn is_full(&self) -> bool {
        self.flags.len() >= CACHE_LIMIT
            || self.bigrams.len() >= CACHE_LIMIT
            || self.context.len() >= CACHE_LIMIT * CONTEXT_KINDS
    }

    /// The entry of `text`, made if new.
    #[inline(always)]
    fn id(&mut self, text: &str) -> u32 {
        if let &[b] = text.as_bytes() {
            if let Some(&e) = self.byte_ids.get(usize::from(b)) {
                if e != NO_ENTRY {
                    return e;
                }
            }
            return self.byte_id(text, b);
        }
        match self.map.find(text.as_bytes()) {
            Ok(e) => e,
            Err((slot, key)) => self.insert(text, slot, key),
        }
    }

    /// [`Lexicon::id`] of the one-byte `text` (byte `b`) from the table, noted in `byte_ids`.
    #[cold]
    #[inline(never)]
    fn byte_id(&mut self, text: &str, b: u8) -> u32 {
        let e = match self.map.find(text.as_bytes()) {
            Ok(e) => e,
            Err((slot, key)) => self.insert(text, slot, key),
        };
        if let Some(id) = self.byte_ids.get_mut(usize::from(b)) {
            *id = e;
        }
        e
    }

    /// Makes the entry of `text`, which [`TextIds::find`] did not find.
    #[cold]
    #[inline(never)]
    fn insert(&mut self, text: &str, slot: usize, key: TextKey) -> u32 {
        if self.flags.capacity() == 0 {
            self.reserve();
        }
        let e = self.map.insert(text.as_bytes(), slot, key);
        debug_assert_eq!(e as usize, self.flags.len());
        if self.phrase_heads_known {
            self.flags.push(flags_of(text) | flag::MASK_KNOWN);
            self.masks
                .push(phrase_mask(&self.phrase_heads, text.as_bytes()));
        } else {
            self.flags.push(flags_of(text));
            self.masks.push(0);
        }
        self.neg_hashes.push(0);
        self.ranges.extend([NOT_YET; KEY_SLOTS]);
        self.neg_columns.extend([UNSET; KEY_SLOTS]);
        self.context_blocks.extend([NO_BLOCK; KEY_SLOTS]);
        e
    }

    /// Computes the phrase heads of the named targets `others` and the mask of every entry
    /// whose mask is not known (the entries made before: new ones get theirs as they are
    /// made).
    #[cold]
    #[inline(never)]
    fn know_phrase_heads(&mut self, others: &[CompiledTarget]) {
        self.phrase_heads = PhraseHeads::of(others);
        self.phrase_heads_known = true;
        let mut text = Vec::new();
        for e in 0..self.flags.len() {
            if self.flags[e] & flag::MASK_KNOWN == 0 {
                self.map.text_into(e as u32, &mut text);
                self.masks[e] = phrase_mask(&self.phrase_heads, &text);
                self.flags[e] |= flag::MASK_KNOWN;
            }
        }
    }

    /// The slot of a target key (with conjunction seed `conj_seed`; `named`: a named target's
    /// key), if there is one.
    fn slot(&mut self, conj_seed: Option<u64>, named: bool) -> Option<usize> {
        match self.keys.iter().position(|&k| k == conj_seed) {
            Some(i) => Some(i),
            None if self.keys.len() < KEY_SLOTS => {
                self.keys.push(conj_seed);
                self.named_keys.push(named);
                self.consts.push([UNSET; Const::COUNT]);
                Some(self.keys.len() - 1)
            }
            None => None,
        }
    }
}

/// A word of the prepared text: a token that is not punctuation, with the `#` or `@` glued to
/// it, if any.
#[derive(Clone, Copy, Debug)]
struct Word {
    /// Its token.
    tok: u32,
    /// `b'#'` or `b'@'` when glued, else 0.
    glue: u8,
    /// Its entry's [`flag::BIGRAM_FIRST`] and [`flag::BIGRAM_LAST`] (only these).
    bigram: u16,
    /// Its lexicon entry.
    id: u32,
}

impl Word {
    /// Appends the word's text to `buf`.
    #[inline]
    fn push_to(&self, tokens: &[Token], buf: &mut Vec<u8>) {
        if self.glue != 0 {
            buf.push(self.glue);
        }
        buf.extend_from_slice(tokens[self.tok as usize].norm.as_bytes());
    }

    /// The word's text, put together in `glued` if it needs to be.
    fn text<'a>(&self, tokens: &'a [Token], glued: &'a mut String) -> &'a str {
        let norm = tokens[self.tok as usize].norm.as_str();
        if self.glue == 0 {
            return norm;
        }
        glued.clear();
        glued.push(char::from(self.glue));
        glued.push_str(norm);
        glued
    }
}

/// Reusable buffers of the column path, and its caches. The caches belong to one model
/// (`owner`); another owner empties them.
#[derive(Debug, Default)]
pub struct ColumnScratch {
    owner: u64,
    buf: Vec<u8>,
    padded: Vec<u8>,
    starts: Vec<usize>,
    glued: String,
    /// The hashes of a word's unigram and character n-grams.
    word_hashes: Vec<u64>,
    /// The columns of the words of a text, as ranges of the lexicon's `pool`.
    word_ranges: Vec<(u32, u32)>,
    /// The target's mentions.
    mentions: Vec<Range<usize>>,
    /// The lexicon entry of each token of the text last looked up.
    tok_ids: Vec<u32>,
    /// The words of the prepared text.
    words: Vec<Word>,
    /// Hashes of the prepared text's negated words, in order.
    base: Vec<u64>,
    /// The lexicon entries of the negated words (emptied when the lexicon is).
    base_ids: Vec<u32>,
    /// The prepared text's cues (indexes in [`CUES`]), token by token, and the hash seed they
    /// were found under.
    cues: Vec<u8>,
    cue_seed: u64,
    /// Hashes of the prepared text's word n-grams that are not in `bigrams`, with their n: the
    /// longer ones, and the bigrams of a text prepared for another model.
    grams: Vec<(u64, usize)>,
    /// The bigrams of the prepared text, as indexes in the lexicon's bigrams (those the model
    /// may have a column for).
    bigrams: Vec<u32>,
    /// The prepared text's bigrams are counted (its word n-grams go to two words or more).
    pair_grams: bool,
    lexicon: Lexicon,
    masks: Vec<u64>,
    /// The hashes of the cue features ([`CUES`]) under a hash seed.
    cue_hashes: Option<(u64, [u64; CUES.len()])>,
}

/// The cue features, in the order of [`ColumnScratch::cue_hashes`].
const CUES: [&[u8]; 7] = [b"!", b"?", b"quote", b"caps", b"elong", b"url", b"emoji"];

impl ColumnScratch {
    fn set_owner(&mut self, owner: u64) {
        if self.owner != owner {
            self.lexicon.clear();
            self.tok_ids.clear();
            self.owner = owner;
        }
    }

    /// Looks up every token of `tokens` in the lexicon of `owner` (emptied first if it is full,
    /// so the entries of a text looked up before are gone).
    fn lookup_tokens(&mut self, tokens: &[Token], owner: u64) {
        self.set_owner(owner);
        if self.lexicon.is_full() {
            self.lexicon.clear();
        }
        let lexicon = &mut self.lexicon;
        self.tok_ids.clear();
        self.tok_ids
            .extend(tokens.iter().map(|t| lexicon.id(t.norm.as_str())));
    }

    /// The words' entries again, after the lexicon was emptied for another owner.
    fn relookup_words(&mut self, tokens: &[Token]) {
        let ColumnScratch {
            glued,
            words,
            lexicon,
            ..
        } = self;
        for w in words.iter_mut() {
            w.id = lexicon.id(w.text(tokens, glued));
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

/// The longest part [`hash_short`] hashes.
const SHORT_PART: usize = 14;

/// [`hash_parts`] of the one part `bytes[at..at + len]` (`len` at most [`SHORT_PART`], and 16
/// bytes readable from `at`): the feature's text (group digit, `|`, part) is put together in one
/// 16-byte word, with no buffer and no copy call.
#[inline(always)]
fn hash_short(seed: u64, group: Group, bytes: &[u8], at: usize, len: usize) -> u64 {
    debug_assert!(len <= SHORT_PART);
    let w: [u8; 16] = match bytes.get(at..at + 16) {
        Some(w) => w.try_into().unwrap_or([0; 16]),
        None => return hash_parts(seed, &mut Vec::new(), group, &[&bytes[at..at + len]]),
    };
    let part = u128::from_le_bytes(w) & ((1u128 << (8 * len)) - 1);
    let text = (part << 16) | (u128::from(b'|') << 8) | u128::from(b'0' + group as u8);
    xxh3_64_with_seed(&text.to_le_bytes()[..len + 2], seed)
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
    fn push(&self, h: u64, out: &mut impl ColumnSink) {
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

    fn emit(&self, buf: &mut Vec<u8>, group: Group, parts: &[&[u8]], out: &mut impl ColumnSink) {
        self.push(hash_parts(self.seed, buf, group, parts), out);
    }

    /// [`Emitter::emit`] of a [`Const`] feature, through `cache` (the columns toward this
    /// emitter's key) when there is one.
    fn emit_const(
        &self,
        buf: &mut Vec<u8>,
        c: Const,
        cache: Option<&mut [(u32, u32); Const::COUNT]>,
        out: &mut impl ColumnSink,
    ) {
        let (group, parts) = c.parts();
        let Some(cache) = cache else {
            return self.emit(buf, group, parts, out);
        };
        let cols = &mut cache[c as usize];
        if *cols == UNSET {
            *cols = self.columns(hash_parts(self.seed, buf, group, parts));
        }
        for j in [cols.0, cols.1] {
            if j != NO_COLUMN {
                out.push(j);
            }
        }
    }

    /// The shared and conjoined columns [`Emitter::push`] gives `h` ([`NO_COLUMN`] for none).
    fn columns(&self, h: u64) -> (u32, u32) {
        let shared = if self.shared { (self.column)(h) } else { None };
        let conj = self
            .conj_seed
            .and_then(|cs| (self.column)(xxh3_64_with_seed(&h.to_le_bytes(), cs)));
        (shared.unwrap_or(NO_COLUMN), conj.unwrap_or(NO_COLUMN))
    }
}

/// The hashes of the cue features ([`CUES`]) under `seed`, from `cache` (computed once per seed).
fn cue_hashes_for(
    cache: &mut Option<(u64, [u64; CUES.len()])>,
    seed: u64,
    buf: &mut Vec<u8>,
) -> [u64; CUES.len()] {
    match *cache {
        Some((s, h)) if s == seed => h,
        _ => {
            let h = CUES.map(|part| hash_parts(seed, buf, Group::Cue, &[part]));
            *cache = Some((seed, h));
            h
        }
    }
}

/// The bigram of `pair` (the key of its entries' ids, not in the lexicon's bigrams: `slot`
/// from [`U64Map::find`]), added to the lexicon: its index.
#[cold]
#[inline(never)]
fn new_bigram(
    lexicon: &mut Lexicon,
    buf: &mut Vec<u8>,
    tokens: &[Token],
    pair: [&Word; 2],
    seed: u64,
    key: u64,
    slot: usize,
) -> u32 {
    buf.clear();
    buf.extend_from_slice(b"0|");
    pair[0].push_to(tokens, buf);
    buf.push(b' ');
    pair[1].push_to(tokens, buf);
    let h = xxh3_64_with_seed(buf, seed);
    let b = lexicon.bigram_hashes.len() as u32;
    lexicon.bigrams.insert_new(key, slot, b);
    lexicon.bigram_hashes.push(h);
    lexicon.bigram_columns.extend([UNSET; KEY_SLOTS]);
    b
}

/// The hash of a negated word's feature (`neg|WORD`), out of the loop over a text's tokens
/// (few words are negated; xxh3 inlined there would crowd its registers).
#[inline(never)]
fn negated_hash(w: &Word, tokens: &[Token], buf: &mut Vec<u8>, seed: u64) -> u64 {
    buf.clear();
    buf.extend_from_slice(b"0|neg|");
    w.push_to(tokens, buf);
    xxh3_64_with_seed(buf, seed)
}

/// [`negated_hash`] of a word whose entry does not hold it yet, noted in its entry.
#[cold]
#[inline(never)]
fn new_negated_hash(
    lexicon: &mut Lexicon,
    w: &Word,
    tokens: &[Token],
    buf: &mut Vec<u8>,
    seed: u64,
) -> u64 {
    let h = negated_hash(w, tokens, buf, seed);
    lexicon.neg_hashes[w.id as usize] = h;
    lexicon.flags[w.id as usize] |= flag::NEG_HASH_KNOWN;
    h
}

/// Appends the cues (indexes in [`CUES`]) of a token with flags `f` and byte span `span` in
/// `text` to `out`, in the order `extract` emits them.
#[inline(always)]
fn push_cues(f: u16, text: &str, span: &Range<usize>, out: &mut Vec<u8>) {
    const CUE_FLAGS: u16 =
        flag::BANG | flag::QUESTION | flag::QUOTE | flag::ELONGATED | flag::URL | flag::EMOJI;
    let [bang, question, quote, caps, elong, url, emoji] = [0, 1, 2, 3, 4, 5, 6];
    if f & CUE_FLAGS == 0 {
        // No cue but perhaps caps (most tokens): the same as below.
        if is_caps_at(text, span) {
            out.push(caps);
        }
        return;
    }
    if f & flag::BANG != 0 {
        out.push(bang);
    } else if f & flag::QUESTION != 0 {
        out.push(question);
    } else if f & flag::QUOTE != 0 {
        out.push(quote);
    }
    if is_caps_at(text, span) {
        out.push(caps);
    }
    if f & flag::ELONGATED != 0 {
        out.push(elong);
    }
    if f & flag::URL != 0 {
        out.push(url);
    }
    if f & flag::EMOJI != 0 {
        out.push(emoji);
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
    if tok.len() <= w.len() {
        return eq_bytes(tok, w);
    }
    // Four chars take four bytes at least, and sixteen bytes four chars at least.
    w.len() >= 4 && contains_long(tok, w) && (w.len() >= 16 || phrase.chars().count() >= 4)
}

/// Whether `needle` (at least four bytes) is in `hay`: its first four bytes compared as one
/// word at each place.
#[inline]
fn contains_long(hay: &[u8], needle: &[u8]) -> bool {
    let word = |b: &[u8], i: usize| {
        b.get(i..i + 4)
            .map_or(u32::MAX, |w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
    };
    let (first, rest) = (word(needle, 0), needle.get(4..).unwrap_or_default());
    hay.len() >= needle.len()
        && (0..=hay.len() - needle.len())
            .any(|i| word(hay, i) == first && hay.get(i + 4..i + needle.len()) == Some(rest))
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

/// The first word of a named target's phrase, as [`phrase_mask`] tests a token against it.
#[derive(Debug)]
struct PhraseHead {
    /// The word's bytes (none for an empty phrase, which no token starts).
    word: Box<[u8]>,
    /// The phrase has a word.
    some: bool,
    /// Whether a longer token starts the phrase when it contains the word: the phrase is one
    /// word of four chars or more ([`single_word_hit`]).
    inside: bool,
    /// The [`byte_sig`] of the word: a token that lacks one of its bits does not contain it.
    sig: u64,
}

/// The first words of the phrases of a model's named targets, and what [`phrase_mask`] needs
/// to skip most of them for a token.
#[derive(Debug, Default)]
struct PhraseHeads {
    /// In order (bit `k` of a mask is the `k`-th).
    heads: Vec<PhraseHead>,
    /// `by_length[n]`: the heads (bit `k` for the `k`-th) whose words have `n` bytes.
    by_length: Vec<u64>,
    /// `by_first[b]`: the heads whose words start with byte `b`.
    by_first: Vec<u64>,
    /// The [`PhraseHead::inside`] heads: the length and byte set of each one's word, and its
    /// index in `heads`.
    inside: Vec<(usize, u64, usize)>,
}

impl PhraseHeads {
    /// The heads of the phrases of `others`, in order.
    fn of(others: &[CompiledTarget]) -> PhraseHeads {
        let phrases = others.iter().flat_map(|o| &o.phrases);
        let heads: Vec<PhraseHead> = phrases
            .map(|p| match &p[..] {
                [] => PhraseHead {
                    word: Box::default(),
                    some: false,
                    inside: false,
                    sig: 0,
                },
                [w] => PhraseHead {
                    word: w.as_bytes().into(),
                    some: true,
                    inside: w.len() >= 4 && (w.len() >= 16 || w.chars().count() >= 4),
                    sig: byte_sig(w.as_bytes()),
                },
                [w, ..] => PhraseHead {
                    word: w.as_bytes().into(),
                    some: true,
                    inside: false,
                    sig: 0,
                },
            })
            .collect();
        let (mut by_length, mut by_first) = (vec![0u64; 64], vec![0u64; 256]);
        for (k, h) in heads.iter().enumerate().filter(|(_, h)| h.some) {
            if let Some(m) = by_length.get_mut(h.word.len()) {
                *m |= 1 << k;
            }
            if let Some(&b) = h.word.first() {
                by_first[usize::from(b)] |= 1 << k;
            }
        }
        let inside = heads.iter().enumerate().filter(|(_, h)| h.inside);
        let inside = inside.map(|(k, h)| (h.word.len(), h.sig, k)).collect();
        PhraseHeads {
            heads,
            by_length,
            by_first,
            inside,
        }
    }
}

/// The phrases (bit `k` for the `k`-th of `heads`) that a token with normalized text `tok`
/// starts: as [`CompiledTarget::find_mentions`] decides, a one-word phrase when the token
/// equals its word or, if the word has four chars or more, contains it; a longer phrase when
/// the token equals its first word. Only the words of the token's length and first byte are
/// compared with it, and words are searched for only when shorter than the token and with
/// every byte value of theirs (bytes mod 64) in it.
#[inline(never)]
fn phrase_mask(heads: &PhraseHeads, tok: &[u8]) -> u64 {
    let mut m = 0u64;
    let n = tok.len();
    let mut same = match (heads.by_length.get(n), tok.first()) {
        (Some(&l), Some(&b)) => l & heads.by_first.get(usize::from(b)).copied().unwrap_or(0),
        // Long or empty: every word's head is a candidate.
        _ => u64::MAX,
    };
    while same != 0 {
        let k = same.trailing_zeros() as usize;
        same &= same - 1;
        match heads.heads.get(k) {
            Some(h) if h.some && eq_bytes(tok, &h.word) => m |= 1 << k,
            Some(_) => {}
            None => break,
        }
    }
    let tok_sig = byte_sig(tok);
    for &(len, sig, k) in &heads.inside {
        if n > len && sig & !tok_sig == 0 && contains_long(tok, &heads.heads[k].word) {
            m |= 1 << k;
        }
    }
    m
}

/// The byte values (mod 64) of `b`, one bit each.
fn byte_sig(b: &[u8]) -> u64 {
    b.iter().fold(0, |s, &c| s | 1 << (c & 63))
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
    /// The tokens are looked up in `scratch` again, which may empty its caches: a text prepared
    /// by [`Featurizer::prepare_columns`] before must be prepared again (or call
    /// `OtherMentions::find_prepared` after preparing it instead).
    pub(crate) fn find_cached(
        &mut self,
        others: &[CompiledTarget],
        tokens: &[Token],
        owner: u64,
        scratch: &mut ColumnScratch,
    ) {
        if others.iter().map(|t| t.phrases.len()).sum::<usize>() > 64 {
            return self.find(others, tokens);
        }
        scratch.lookup_tokens(tokens, owner);
        self.find_looked_up(others, tokens, scratch);
    }

    /// [`OtherMentions::find_cached`] on the `tokens` last given to
    /// [`Featurizer::prepare_columns`] with `scratch` for the same `owner`, whose lookups it
    /// reuses.
    pub(crate) fn find_prepared(
        &mut self,
        others: &[CompiledTarget],
        tokens: &[Token],
        owner: u64,
        scratch: &mut ColumnScratch,
    ) {
        if scratch.owner != owner || scratch.tok_ids.len() != tokens.len() {
            return self.find_cached(others, tokens, owner, scratch);
        }
        if others.iter().map(|t| t.phrases.len()).sum::<usize>() > 64 {
            return self.find(others, tokens);
        }
        self.find_looked_up(others, tokens, scratch);
    }

    /// The mentions from the lexicon entries of `tokens` (`scratch.tok_ids`); at most 64
    /// phrases in all.
    fn find_looked_up(
        &mut self,
        others: &[CompiledTarget],
        tokens: &[Token],
        scratch: &mut ColumnScratch,
    ) {
        let ColumnScratch {
            lexicon,
            tok_ids,
            masks,
            ..
        } = scratch;
        // Which phrases each token starts, from its entry (worked out the first time the entry
        // is seen); the masks are only written out when some token starts one.
        let n_phrases: usize = others.iter().map(|t| t.phrases.len()).sum();
        if !lexicon.phrase_heads_known || lexicon.phrase_heads.heads.len() != n_phrases {
            lexicon.know_phrase_heads(others);
        }
        // Every entry's mask is known.
        let mut any = 0u64;
        for &e in tok_ids.iter() {
            any |= lexicon.masks[e as usize];
        }
        self.mentions.resize_with(others.len(), Vec::new);
        if any == 0 {
            // No token starts a phrase (most texts): no mentions.
            self.mentions.iter_mut().for_each(Vec::clear);
            return;
        }
        masks.clear();
        masks.extend(tok_ids.iter().map(|&e| lexicon.masks[e as usize]));
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
    /// [`Featurizer::target_columns`] on the same `tokens`. Each token is looked up once in the
    /// model's lexicon (see `OtherMentions::find_prepared`).
    pub fn prepare_columns(
        &self,
        text: &str,
        tokens: &[Token],
        owner: u64,
        scratch: &mut ColumnScratch,
    ) {
        let cfg = &self.config;
        let seed = cfg.hash_seed;
        scratch.lookup_tokens(tokens, owner);
        let ColumnScratch {
            buf,
            glued,
            tok_ids,
            words,
            base,
            base_ids,
            cues,
            grams,
            bigrams,
            pair_grams,
            lexicon,
            cue_seed,
            ..
        } = scratch;
        let bigram_words = self.bigram_words.as_deref();
        // One pass over the tokens: their cues, and the words, exactly as `extract` finds them,
        // with the hashes of the negated words and the words' bigrams as each word comes (the
        // order of each list is that of the separate passes of `extract`).
        words.clear();
        base.clear();
        base_ids.clear();
        cues.clear();
        grams.clear();
        bigrams.clear();
        let max_n = cfg.max_word_ngrams();
        *pair_grams = max_n >= 2;
        *cue_seed = seed;
        let mut glue = 0u8;
        let mut in_neg = false;
        for (i, (t, &e)) in tokens.iter().zip(tok_ids.iter()).enumerate() {
            let f = lexicon.flags[e as usize];
            if cfg.cues {
                push_cues(f, text, &t.span, cues);
            }
            if f & flag::CLAUSE_BREAK != 0 {
                in_neg = false;
            }
            if f & flag::PUNCT != 0 {
                let n = t.norm.as_str();
                glue = match n {
                    "#" => b'#',
                    "@" => b'@',
                    _ => 0,
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
            let neg = in_neg;
            if cfg.negation && f & flag::NEGATION != 0 {
                in_neg = true;
            }
            let mut w = Word {
                tok: i as u32,
                glue: 0,
                bigram: 0,
                id: e,
            };
            if glue != 0 {
                if i > 0 && tokens[i - 1].span.end == t.span.start {
                    w.glue = glue;
                    w.id = lexicon.id(w.text(tokens, glued));
                }
                glue = 0;
            }
            if neg {
                // The word's hash as a negated word, computed once per entry.
                let e = w.id as usize;
                base.push(match lexicon.flags[e] & flag::NEG_HASH_KNOWN {
                    0 => new_negated_hash(lexicon, &w, tokens, buf, seed),
                    _ => lexicon.neg_hashes[e],
                });
                base_ids.push(w.id);
            }
            if max_n >= 2 {
                w.bigram = bigram_flags(lexicon, bigram_words, &w, tokens, glued);
                let prev = words.last().filter(|p| {
                    p.bigram & flag::BIGRAM_FIRST != 0 && w.bigram & flag::BIGRAM_LAST != 0
                });
                if let Some(prev) = prev {
                    let key = (u64::from(prev.id) << 32) | u64::from(w.id);
                    let b = match lexicon.bigrams.find(key) {
                        Ok(b) => b,
                        Err(slot) => new_bigram(lexicon, buf, tokens, [prev, &w], seed, key, slot),
                    };
                    bigrams.push(b);
                }
            }
            words.push(w);
        }
        if max_n >= 3 {
            // Longer word n-grams (no model has them so far): by first word, then n.
            for k in 0..words.len() {
                for n in 3..=max_n {
                    if k + n > words.len() {
                        break;
                    }
                    buf.clear();
                    buf.extend_from_slice(b"0|");
                    for (m, w) in words[k..k + n].iter().enumerate() {
                        if m > 0 {
                            buf.push(b' ');
                        }
                        w.push_to(tokens, buf);
                    }
                    grams.push((xxh3_64_with_seed(buf, seed), n));
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
        self.target_columns_into(tokens, query, others, column, owner, scratch, out);
    }

    /// [`Featurizer::target_columns`] into any [`ColumnSink`] (not cleared), e.g. the counts a
    /// model turns into probabilities.
    #[allow(clippy::too_many_arguments)]
    pub fn target_columns_into<F: Fn(u64) -> Option<u32>>(
        &self,
        tokens: &[Token],
        query: &TargetQuery,
        others: Option<&OtherMentions>,
        column: &F,
        owner: u64,
        scratch: &mut ColumnScratch,
        out: &mut impl ColumnSink,
    ) {
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
            // Prepared for another model: its cache entries go, the words and the hashes stay.
            // The bigrams' hashes (every bigram's: the prepared ones may be only those the other
            // model has) go with the longer n-grams'.
            let ColumnScratch {
                buf,
                grams,
                bigrams,
                pair_grams,
                words,
                cue_seed,
                base_ids,
                ..
            } = &mut *scratch;
            bigrams.clear();
            // The entries go with the lexicon: the negated words by their hashes only.
            base_ids.clear();
            if *pair_grams {
                for pair in words.windows(2) {
                    buf.clear();
                    buf.extend_from_slice(b"0|");
                    pair[0].push_to(tokens, buf);
                    buf.push(b' ');
                    pair[1].push_to(tokens, buf);
                    // Under the seed they were prepared with, as the cues.
                    grams.push((xxh3_64_with_seed(buf, *cue_seed), 2));
                }
                *pair_grams = false;
            }
            scratch.set_owner(owner);
            scratch.relookup_words(tokens);
        }
        let ColumnScratch {
            buf,
            padded,
            starts,
            glued,
            word_hashes: hashes,
            word_ranges,
            mentions,
            tok_ids,
            words,
            base,
            base_ids,
            cues,
            cue_seed,
            cue_hashes,
            grams,
            bigrams,
            lexicon: lex,
            ..
        } = scratch;
        // Unigrams and character n-grams: from the lexicon.
        let named = query.target.key != crate::stance::GENERIC_TARGET_KEY;
        let slot = lex.slot(em.conj_seed, named);
        word_ranges.clear();
        // Nearly always every word's columns toward the key are known: gathered in one pass
        // with nothing else in it (the loop below would push the same ranges).
        let known = slot.filter(|&k| {
            words
                .iter()
                .all(|w| lex.ranges[w.id as usize * KEY_SLOTS + k] != NOT_YET)
        });
        if let Some(k) = known {
            let ranges = &lex.ranges;
            word_ranges.extend(words.iter().map(|w| ranges[w.id as usize * KEY_SLOTS + k]));
        }
        let rest: &[Word] = if known.is_some() { &[] } else { words };
        for w in rest {
            let e = w.id as usize;
            let cached = slot.map(|k| lex.ranges[e * KEY_SLOTS + k]);
            let (a, len) = match cached {
                Some(v) if v != NOT_YET => v,
                _ => {
                    hashes.clear();
                    self.word_hashes(w.text(tokens, glued), buf, padded, starts, hashes);
                    // The columns toward this key and, for a named target's key, toward the
                    // other named keys with a slot (a text is often asked about several named
                    // targets: a pair-mixed target's partner always), so that the hashes are
                    // computed once for them; the generic key's alone (most texts are never
                    // asked about a named target).
                    for (k, &conj_seed) in lex.keys.iter().enumerate() {
                        let r = &mut lex.ranges[e * KEY_SLOTS + k];
                        let with = slot == Some(k) || (named && lex.named_keys[k]);
                        if with && *r == NOT_YET {
                            let em = Emitter {
                                shared: cfg.shared || conj_seed.is_none(),
                                conj_seed,
                                ..em
                            };
                            let a = lex.pool.len();
                            for &h in hashes.iter() {
                                em.push(h, &mut lex.pool);
                            }
                            *r = (a as u32, (lex.pool.len() - a) as u32);
                        }
                    }
                    match slot {
                        Some(k) => lex.ranges[e * KEY_SLOTS + k],
                        None => {
                            let a = lex.pool.len();
                            for &h in hashes.iter() {
                                em.push(h, &mut lex.pool);
                            }
                            (a as u32, (lex.pool.len() - a) as u32)
                        }
                    }
                }
            };
            if slot.is_some() {
                // Counted below, all words at once (`pool` only grows meanwhile).
                word_ranges.push((a, len));
            } else {
                out.extend_from_slice(&lex.pool[a as usize..(a + len) as usize]);
                // No slot for this key: the columns were only needed once.
                lex.pool.truncate(a as usize);
            }
        }
        out.extend_from_ranges(&lex.pool, word_ranges);
        let max_n = cfg.word_ngrams_for(&query.target.key);
        // No bigram columns toward a key without bigrams (`word_ngrams_by_key`).
        if max_n >= 2 {
            for &b in bigrams.iter() {
                let b = b as usize;
                let Some(k) = slot else {
                    em.push(lex.bigram_hashes[b], out);
                    continue;
                };
                let cols = &mut lex.bigram_columns[b * KEY_SLOTS + k];
                if *cols == UNSET {
                    *cols = em.columns(lex.bigram_hashes[b]);
                }
                for j in [cols.0, cols.1] {
                    if j != NO_COLUMN {
                        out.push(j);
                    }
                }
            }
        }
        match slot {
            // The negated words' columns toward the key, cached per entry.
            Some(k) if base_ids.len() == base.len() => {
                for (&h, &e) in base.iter().zip(base_ids.iter()) {
                    let cols = &mut lex.neg_columns[e as usize * KEY_SLOTS + k];
                    if *cols == UNSET {
                        *cols = em.columns(h);
                    }
                    for j in [cols.0, cols.1] {
                        if j != NO_COLUMN {
                            out.push(j);
                        }
                    }
                }
            }
            _ => {
                for &h in base.iter() {
                    em.push(h, out);
                }
            }
        }
        match slot {
            // The cues' columns toward the key, cached (found under this emitter's seed).
            Some(k) if *cue_seed == em.seed => {
                let consts = &mut lex.consts[k];
                for &c in cues.iter() {
                    let c = Const::CUES[usize::from(c)];
                    // Known columns pushed here (nearly always), as `emit_const` would.
                    match consts[c as usize] {
                        UNSET => em.emit_const(buf, c, Some(consts), out),
                        (a, b) => {
                            for j in [a, b] {
                                if j != NO_COLUMN {
                                    out.push(j);
                                }
                            }
                        }
                    }
                }
            }
            _ => {
                let hashes = cue_hashes_for(cue_hashes, *cue_seed, buf);
                for &c in cues.iter() {
                    em.push(hashes[usize::from(c)], out);
                }
            }
        }
        for &(h, n) in grams.iter() {
            if n <= max_n {
                em.push(h, out);
            }
        }
        if cfg.window_for(&query.target.key) > 0 {
            // The tokens' entries are gone when the lexicon was emptied for another owner.
            let cache = match slot {
                Some(slot) if tok_ids.len() == tokens.len() => Some(ContextCache {
                    ids: tok_ids,
                    flags: &lex.flags,
                    slot,
                    blocks: &mut lex.context_blocks,
                    columns: &mut lex.context,
                }),
                _ => None,
            };
            let consts = slot.map(|k| &mut lex.consts[k]);
            self.context_columns(
                tokens, query, others, &em, buf, mentions, cache, consts, out,
            );
        }
        if cfg.bias {
            let consts = slot.map(|k| &mut lex.consts[k]);
            em.emit_const(buf, Const::Bias, consts, out);
        }
    }

    /// The hashes of a word's unigram and character n-grams, appended to `out`.
    fn word_hashes(
        &self,
        word: &str,
        buf: &mut Vec<u8>,
        padded: &mut Vec<u8>,
        starts: &mut Vec<usize>,
        out: &mut Vec<u64>,
    ) {
        let seed = self.config.hash_seed;
        padded.clear();
        padded.push(b' ');
        padded.extend_from_slice(word.as_bytes());
        padded.push(b' ');
        // Room for `hash_short` to read 16 bytes from any char of the word.
        padded.extend_from_slice(&[0; 16]);
        out.push(if word.len() <= SHORT_PART {
            hash_short(seed, Group::Word, padded, 1, word.len())
        } else {
            hash_parts(seed, buf, Group::Word, &[word.as_bytes()])
        });
        if self.config.char_min == 0 {
            return;
        }
        if word.is_ascii() {
            // One byte a char: the n-grams of the padded word at each byte (the same as below).
            let n_chars = word.len() + 2;
            for n in self.config.char_min..=self.config.char_max {
                if n > n_chars {
                    break;
                }
                for k in 0..=n_chars - n {
                    out.push(if n <= SHORT_PART {
                        hash_short(seed, Group::Char, padded, k, n)
                    } else {
                        hash_parts(seed, buf, Group::Char, &[&padded[k..k + n]])
                    });
                }
            }
            return;
        }
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
                let (a, b) = (starts[k], starts[k + n]);
                out.push(if b - a <= SHORT_PART {
                    hash_short(seed, Group::Char, padded, a, b - a)
                } else {
                    hash_parts(seed, buf, Group::Char, &[&padded[a..b]])
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn context_columns<F: Fn(u64) -> Option<u32>>(
        &self,
        tokens: &[Token],
        query: &TargetQuery,
        known: Option<&OtherMentions>,
        em: &Emitter<F>,
        buf: &mut Vec<u8>,
        mentions: &mut Vec<Range<usize>>,
        mut cache: Option<ContextCache>,
        mut consts: Option<&mut [(u32, u32); Const::COUNT]>,
        out: &mut impl ColumnSink,
    ) {
        mentions.clear();
        // The target's mentions, when it is one of the others whose mentions are known.
        let same = |o: &CompiledTarget| o.same_as(query.target);
        let known_own =
            known.and_then(|k| query.others.iter().position(same).map(|i| &k.mentions[i]));
        match query.span {
            Some(span) => mentions.extend(span_tokens(tokens, span)),
            None => match known_own {
                Some(m) => mentions.extend_from_slice(m),
                None => query.target.find_mentions_into(tokens, mentions),
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
            em.emit_const(buf, Const::NoMention, consts, out);
            return;
        }
        let count = match mentions.len() {
            1 => Const::Mentions1,
            2 => Const::Mentions2,
            _ => Const::Mentions3,
        };
        em.emit_const(buf, count, consts.as_deref_mut(), out);
        // The tokens' entries and the entries' flags, when known (for negation words).
        let entry_flags = cache.as_ref().map(|c| (c.ids, c.flags));
        // A word's features beside a mention, from the cache when there is one.
        let mut word =
            |buf: &mut _, kind: u8, i: usize, parts: &[&[u8]], out: &mut _| match &mut cache {
                Some(c) => c.emit(em, buf, kind, i, parts, out),
                None => em.emit(buf, Group::Context, parts, out),
            };
        for m in mentions.iter() {
            if m.start <= 1 {
                em.emit_const(buf, Const::First, consts.as_deref_mut(), out);
            }
            let left = (0..m.start)
                .rev()
                .filter(|&i| !tokens[i].is_punct())
                .take(w);
            for (k, i) in left.enumerate() {
                let n = tokens[i].norm.as_bytes();
                if k < 2 {
                    word(buf, k as u8, i, &[b"L", DIGITS[k].as_bytes(), n], out);
                }
                word(buf, 2, i, &[b"L", n], out);
                // A negation word: its entry's flag when the tokens' entries are known.
                let negation = match entry_flags {
                    Some((ids, flags)) => flags[ids[i] as usize] & flag::NEGATION != 0,
                    None => is_negation(&tokens[i].norm),
                };
                if negation {
                    em.emit_const(buf, Const::NegNear, consts.as_deref_mut(), out);
                }
            }
            let right = (m.end..tokens.len())
                .filter(|&i| !tokens[i].is_punct())
                .take(w);
            for (k, i) in right.enumerate() {
                let n = tokens[i].norm.as_bytes();
                if k < 2 {
                    word(buf, 3 + k as u8, i, &[b"R", DIGITS[k].as_bytes(), n], out);
                }
                word(buf, 5, i, &[b"R", n], out);
            }
            if let Some(t) = tokens.get(m.end).filter(|t| t.is_punct()) {
                word(buf, 6, m.end, &[b"Rp", t.norm.as_bytes()], out);
            }
        }
    }
}

/// The tokens that overlap the byte range `span`, if any. The tokenizer gives tokens in text
/// order (their starts and ends never go back; `DocView::token_range` relies on it too), so
/// they are those from the first that ends after the span's start to the last that starts
/// before its end: two binary searches instead of a scan of the text.
fn span_tokens(tokens: &[Token], span: &Range<usize>) -> Option<Range<usize>> {
    let a = tokens.partition_point(|t| t.span.end <= span.start);
    let b = tokens.partition_point(|t| t.span.start < span.end);
    (a < b).then_some(a..b)
}

/// The kinds of context features of a mention's neighbouring words (L1, L2, L, R1, R2, R, Rp):
/// the columns a lexicon entry's block holds toward one key.
const CONTEXT_KINDS: usize = 7;

/// No block in [`Lexicon::context`] yet.
const NO_BLOCK: u32 = u32::MAX;

/// The lexicon's context feature columns with what they need for one text and target.
struct ContextCache<'a> {
    /// The lexicon entries of the tokens.
    ids: &'a [u32],
    /// The lexicon's [`flag`]s of its entries.
    flags: &'a [u16],
    slot: usize,
    /// [`Lexicon::context_blocks`].
    blocks: &'a mut [u32],
    /// [`Lexicon::context`].
    columns: &'a mut Vec<(u32, u32)>,
}

impl ContextCache<'_> {
    /// Emits the feature of kind `kind` (below [`CONTEXT_KINDS`]) with `parts` of token `i`,
    /// through the cache.
    fn emit<F: Fn(u64) -> Option<u32>>(
        &mut self,
        em: &Emitter<F>,
        buf: &mut Vec<u8>,
        kind: u8,
        i: usize,
        parts: &[&[u8]],
        out: &mut impl ColumnSink,
    ) {
        let block = &mut self.blocks[self.ids[i] as usize * KEY_SLOTS + self.slot];
        if *block == NO_BLOCK {
            *block = (self.columns.len() / CONTEXT_KINDS) as u32;
            self.columns.extend([UNSET; CONTEXT_KINDS]);
        }
        let cols = &mut self.columns[*block as usize * CONTEXT_KINDS + usize::from(kind)];
        if *cols == UNSET {
            *cols = em.columns(hash_parts(em.seed, buf, Group::Context, parts));
        }
        for j in [cols.0, cols.1] {
            if j != NO_COLUMN {
                out.push(j);
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

/// Whether `text[span]` (a token's span) has at least three chars, no lowercase, some uppercase
/// (as `cues` decides "caps"). ASCII text is read once, as bytes, stopping at the first
/// lowercase letter. (Inlined into the loop over a text's tokens: most tokens are short or
/// start with a lowercase letter.)
#[inline(always)]
fn is_caps_at(text: &str, span: &Range<usize>) -> bool {
    // Most tokens start with a lowercase letter: no caps, whatever the rest.
    if text
        .as_bytes()
        .get(span.start)
        .is_none_or(u8::is_ascii_lowercase)
    {
        return false;
    }
    let Some(b) = text.as_bytes().get(span.clone()) else {
        return false;
    };
    if b.len() < 3 {
        return false;
    }
    let mut upper = false;
    for &c in b {
        if c.is_ascii_lowercase() {
            return false;
        }
        if !c.is_ascii() {
            return text.get(span.clone()).is_some_and(super::is_caps);
        }
        upper |= c.is_ascii_uppercase();
    }
    upper
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::Tokenizer;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// Texts that stress [`TextIds`]: every length class (empty, 1-3, 4-7, 8-16 bytes, longer),
    /// texts that differ in one byte only, non-ASCII and emoji.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ab]{0,20}",
            "[a-e'#@é😀’]{0,24}",
            "\\PC{0,40}",
            proptest::sample::select(vec![
                String::new(),
                "a".into(),
                "ab".into(),
                "abc".into(),
                "abcd".into(),
                "abce".into(),
                "bbcd".into(),
                "abcdefgh".into(),
                "abcdefgi".into(),
                "abcdefghijklmnop".into(),
                "abcdefghijklmnoq".into(),
                "abcdefghijklmnopq".into(),
                "bbcdefghijklmnopq".into(),
                "abcdefghijklmnopr".into(),
            ]),
        ]
    }

    /// Ids by a `HashMap`, the reference: in the order texts are first seen.
    fn check_text_ids(texts: &[String]) -> Result<(), TestCaseError> {
        let mut ids = TextIds::default();
        let mut reference: HashMap<&str, u32> = HashMap::new();
        for (round, t) in texts.iter().enumerate() {
            let want = reference.get(t.as_str()).copied();
            let got = match ids.find(t.as_bytes()) {
                Ok(e) => Some(e),
                Err((slot, key)) => {
                    let e = ids.insert(t.as_bytes(), slot, key);
                    prop_assert_eq!(e as usize, reference.len());
                    reference.insert(t, e);
                    None
                }
            };
            prop_assert_eq!(got, want, "text {:?} (round {})", t, round);
            prop_assert_eq!(ids.len(), reference.len());
        }
        // Every text again, once all are in, and each entry's text from its key.
        let mut back = Vec::new();
        for t in texts {
            prop_assert_eq!(
                ids.find(t.as_bytes()).ok(),
                reference.get(t.as_str()).copied()
            );
            ids.text_into(reference[t.as_str()], &mut back);
            prop_assert_eq!(&back[..], t.as_bytes());
        }
        Ok(())
    }

    #[test]
    fn word_splits_are_the_matches_of_the_separator() {
        for name in [
            "w|plain",
            "ukraine|w|in turkey",
            "*|w|a|w|b",
            "k|w|w|x",
            "|w|",
            "a||w||w|",
            "no separator",
            "k|x|w",
            "",
        ] {
            let want: Vec<(&str, &str)> = name
                .match_indices("|w|")
                .map(|(p, _)| (&name[..p], &name[p + 3..]))
                .collect();
            assert_eq!(word_splits(name).collect::<Vec<_>>(), want, "{name}");
        }
    }

    #[test]
    fn text_ids_tell_near_texts_apart() {
        let mut texts = vec![String::new()];
        for len in 1..=40 {
            let base: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            texts.push(String::from_utf8(base.clone()).unwrap());
            for b in 0..len {
                let mut v = base.clone();
                v[b] ^= 1;
                texts.push(String::from_utf8(v).unwrap());
            }
        }
        let n = texts.len();
        texts.extend_from_within(..);
        check_text_ids(&texts).unwrap();
        let mut ids = TextIds::default();
        for t in &texts[..n] {
            let (slot, key) = ids.find(t.as_bytes()).unwrap_err();
            ids.insert(t.as_bytes(), slot, key);
        }
        ids.clear();
        assert!(ids.find(b"a").is_err() && ids.len() == 0);
    }

    proptest! {
        #[test]
        fn u64_map_matches_a_hash_map(
            ops in proptest::collection::vec((0u64..64, 0u64..3, any::<u32>()), 0..600),
        ) {
            // Keys as the lexicon makes them (entry ids, packed), some far apart.
            let mut map = U64Map::default();
            let mut reference: HashMap<u64, u32> = HashMap::new();
            for &(a, b, v) in &ops {
                let key = (a << 32) | (a * 7 + b) | (b << 62);
                prop_assert_eq!(map.get(key), reference.get(&key).copied());
                let got = map.get_or_insert_with(key, || v);
                prop_assert_eq!(got, *reference.entry(key).or_insert(v));
                prop_assert_eq!(map.len(), reference.len());
            }
            for (&k, &v) in &reference {
                prop_assert_eq!(map.get(k), Some(v));
            }
            map.clear();
            prop_assert_eq!(map.len(), 0);
            for &k in reference.keys() {
                prop_assert_eq!(map.get(k), None);
                map.insert(k, 1);
                prop_assert_eq!(map.get(k), Some(1));
            }
        }

        #[test]
        fn single_word_hits_as_find_mentions_decides(
            tok in "[ab\u{e9}\u{4e2d}]{0,12}",
            phrase in "[ab\u{e9}\u{4e2d}]{1,6}",
        ) {
            // Equal, or containing the phrase if it has four chars or more.
            let want = tok == phrase
                || (tok.len() > phrase.len() && tok.contains(&*phrase) && phrase.chars().count() >= 4);
            prop_assert_eq!(single_word_hit(tok.as_bytes(), &phrase), want);
        }

        #[test]
        fn span_tokens_are_the_tokens_that_overlap_the_span(
            text in "[ab .,\u{e9}\u{2019}\u{b}\u{bd}\u{fb01}\u{4e2d}]{0,40}",
            a in 0usize..50,
            len in 1usize..20,
        ) {
            // Against the scan it replaces: the first and the last overlapping token.
            let span = a..a + len;
            for tokens in [Tokenizer::default().tokenize(&text), Tokenizer::default().tokenize_reference(&text)] {
                let mut hit = (0..tokens.len()).filter(|&i| {
                    tokens[i].span.start < span.end && span.start < tokens[i].span.end
                });
                let scan = hit.next().map(|a| a..hit.next_back().unwrap_or(a) + 1);
                prop_assert_eq!(span_tokens(&tokens, &span), scan);
            }
        }

        #[test]
        fn text_ids_match_a_hash_map(
            texts in proptest::collection::vec(text(), 0..300),
            repeat in proptest::collection::vec(any::<proptest::sample::Index>(), 0..100),
        ) {
            let mut all = texts.clone();
            if !texts.is_empty() {
                all.extend(repeat.iter().map(|i| texts[i.index(texts.len())].clone()));
            }
            check_text_ids(&all)?;
        }
    }
}
