//! Feature names hashed as the models were trained, straight into model columns at inference.

use super::*;

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
pub(crate) struct NameHasher {
    seed: u64,
    /// Where names of up to 128 bytes are put together.
    small: [u8; 128],
    /// Where longer names are.
    buf: Vec<u8>,
}

impl NameHasher {
    pub(crate) fn new(seed: u64) -> Self {
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
pub(crate) struct ColumnHasher<'a, S: ColumnSink = ColumnCounts> {
    pub(crate) names: &'a mut NameHasher,
    pub(crate) model: &'a LinearModel,
    pub(crate) counts: &'a mut S,
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

thread_local! {
    /// The column counts of [`AttributionModel::predict_with`] between documents.
    pub(crate) static COUNTS: std::cell::Cell<ColumnCounts> = std::cell::Cell::new(ColumnCounts::default());
}

/// `d.copy_from_slice(s)` in a few moves of 8, 4 or 1 bytes (overlapping at the end), without the
/// call to `memcpy` that costs more than the copy for the few bytes of a feature name's part.
#[inline(always)]
pub(crate) fn copy_short(d: &mut [u8], s: &[u8]) {
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

pub(crate) fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}
