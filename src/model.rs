//! The project's own linear model: a multinomial logistic regression over a vocabulary of hashed
//! features, with its weights copied out of linfa after training.
//!
//! Inference is a sparse dot product and needs no linfa. Weights are stored row-major with shape
//! `(n_features, n_labels)`: the weight of feature `j` for label `c` is `weights[j * n_labels + c]`.
//! Every model records an xxh3 checksum of its numbers, verified on load.

use crate::error::{Error, Result};
use crate::features::Group;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::hash::Hasher;
use std::path::Path;
use std::sync::OnceLock;

/// The serialized form of a [`LinearModel`].
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LinearModelData {
    /// Label names, in column order.
    pub labels: Vec<String>,
    /// Feature hashes, one per row of `weights`.
    #[serde(with = "packed")]
    pub hashes: Vec<u64>,
    /// Feature group of each feature (see [`Group`]).
    #[serde(with = "packed")]
    pub groups: Vec<u8>,
    /// Inverse document frequency of each feature.
    #[serde(with = "packed")]
    pub idf: Vec<f32>,
    /// Human-readable name of each feature (for explanations), parsed when first asked for.
    pub names: FeatureNames,
    /// Row-major `(n_features, n_labels)` weights.
    #[serde(with = "packed")]
    pub weights: Vec<f32>,
    /// One intercept per label.
    pub intercept: Vec<f32>,
    /// Hex xxh3 checksum of hashes, groups, idf, weights and intercept.
    pub checksum: String,
}

impl LinearModelData {
    /// Computes the checksum of the numbers (not of `names` or `labels`).
    pub fn compute_checksum(&self) -> String {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        update_le(&mut h, &self.hashes, u64::to_le_bytes);
        h.update(&self.groups);
        for v in [&self.idf, &self.weights, &self.intercept] {
            update_le(&mut h, v, f32::to_le_bytes);
        }
        format!("{:016x}", h.digest())
    }
}

/// Hashes the little-endian bytes of `xs` into `h`, put together 4 KiB at a time (one update
/// per number cost about 40 instructions; the digest of a stream does not depend on how it is
/// cut).
fn update_le<T: Copy, const N: usize>(
    h: &mut xxhash_rust::xxh3::Xxh3,
    xs: &[T],
    le: impl Fn(T) -> [u8; N],
) {
    let mut buf = [0u8; 4096];
    for chunk in xs.chunks(buf.len() / N) {
        for (b, &x) in buf.chunks_exact_mut(N).zip(chunk) {
            b.copy_from_slice(&le(x));
        }
        h.update(&buf[..chunk.len() * N]);
    }
}

/// The feature names of a model, which only explanations read: from a file, they are read into
/// one string, end to end, with where each ends (two allocations, not one per name: the default
/// models have about 44,000 names) and turned into a `Vec<String>` only when one is asked for
/// as such ([`std::ops::Deref`]). [`FeatureNames::get`] and [`FeatureNames::iter`] read them
/// as they are; changing them ([`std::ops::DerefMut`]) leaves only the `Vec<String>`. Written
/// back, they are the same JSON array of strings.
#[derive(Clone, Default)]
pub struct FeatureNames {
    /// The names end to end, while they are not changed.
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<u32>,
    /// The names as strings, once asked for (or as given): then `text` and `ends` are
    /// empty.
    strings: OnceLock<Vec<String>>,
}

impl FeatureNames {
    /// Number of names.
    pub fn len(&self) -> usize {
        match self.strings.get() {
            Some(v) => v.len(),
            None => self.ends.len(),
        }
    }

    /// Whether there are no names.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the names were made strings (for tests).
    pub fn are_strings(&self) -> bool {
        self.strings.get().is_some()
    }

    /// Name `j`; panics if there is none.
    pub fn get(&self, j: usize) -> &str {
        match self.strings.get() {
            Some(v) => &v[j],
            None => {
                let start = match j {
                    0 => 0,
                    _ => self.ends[j - 1] as usize,
                };
                &self.text[start..self.ends[j] as usize]
            }
        }
    }

    /// The names in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|j| self.get(j))
    }

    fn strings(&self) -> &Vec<String> {
        self.strings
            .get_or_init(|| self.iter().map(str::to_owned).collect())
    }
}

impl From<Vec<String>> for FeatureNames {
    fn from(v: Vec<String>) -> Self {
        FeatureNames {
            text: String::new(),
            ends: Vec::new(),
            strings: OnceLock::from(v),
        }
    }
}

impl FromIterator<String> for FeatureNames {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        Vec::from_iter(iter).into()
    }
}

impl std::ops::Deref for FeatureNames {
    type Target = Vec<String>;

    fn deref(&self) -> &Vec<String> {
        self.strings()
    }
}

impl std::ops::DerefMut for FeatureNames {
    fn deref_mut(&mut self) -> &mut Vec<String> {
        self.strings();
        self.text = String::new();
        self.ends = Vec::new();
        self.strings.get_mut().expect("made above")
    }
}

impl PartialEq for FeatureNames {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for FeatureNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for FeatureNames {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for FeatureNames {
    /// An array of strings, as `Vec<String>` reads it (the same errors).
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_seq(NamesVisitor)
    }
}

struct NamesVisitor;

impl<'de> serde::de::Visitor<'de> for NamesVisitor {
    type Value = FeatureNames;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<FeatureNames, A::Error> {
        let mut names = FeatureNames::default();
        names
            .ends
            .reserve(seq.size_hint().unwrap_or(0).min(1 << 20));
        while seq.next_element_seed(NameSeed(&mut names))?.is_some() {}
        Ok(names)
    }
}

/// Appends one name, read as a string, to [`FeatureNames`] being read.
struct NameSeed<'a>(&'a mut FeatureNames);

impl<'de> serde::de::DeserializeSeed<'de> for NameSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl serde::de::Visitor<'_> for NameSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<(), E> {
        let names = self.0;
        names.text.push_str(v);
        let end = u32::try_from(names.text.len())
            .map_err(|_| E::custom("the feature names are longer than 4 GiB"))?;
        names.ends.push(end);
        Ok(())
    }
}

/// The long number arrays of a model file (hashes, groups, idf, weights), written as one base64
/// string of their little-endian bytes: the same numbers bit for bit, read 10-20 times faster
/// than JSON numbers (a model loads in a few milliseconds) and about half the size. Reading also
/// takes a JSON array of numbers, as files of earlier format versions have.
mod packed {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
    use serde::Serializer;
    use std::fmt;
    use std::marker::PhantomData;

    /// A number with a fixed little-endian encoding.
    pub trait Le: Copy + for<'de> Deserialize<'de> {
        /// Bytes a number takes.
        const SIZE: usize;
        /// What the numbers are, for errors.
        const WHAT: &'static str;
        fn put(self, out: &mut Vec<u8>);
        /// `b` has exactly `SIZE` bytes.
        fn get(b: &[u8]) -> Self;
    }

    macro_rules! le {
        ($t:ty, $what:expr) => {
            impl Le for $t {
                const SIZE: usize = std::mem::size_of::<$t>();
                const WHAT: &'static str = $what;
                fn put(self, out: &mut Vec<u8>) {
                    out.extend_from_slice(&self.to_le_bytes());
                }
                fn get(b: &[u8]) -> Self {
                    let mut a = [0u8; std::mem::size_of::<$t>()];
                    a.copy_from_slice(b);
                    <$t>::from_le_bytes(a)
                }
            }
        };
    }
    le!(u8, "bytes");
    le!(u64, "64-bit integers");
    le!(f32, "32-bit floats");

    pub fn serialize<T: Le, S: Serializer>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(v.len() * T::SIZE);
        for &x in v {
            x.put(&mut bytes);
        }
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, T: Le, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(PackedVisitor(PhantomData))
    }

    struct PackedVisitor<T>(PhantomData<T>);

    impl<'de, T: Le> Visitor<'de> for PackedVisitor<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(
                f,
                "a base64 string of little-endian {} or an array of numbers",
                T::WHAT
            )
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            let bytes = STANDARD
                .decode(v)
                .map_err(|e| E::custom(format!("invalid base64 in a packed array: {e}")))?;
            if bytes.len() % T::SIZE != 0 {
                return Err(E::custom(format!(
                    "a packed array of {} has {} bytes, not a multiple of {}",
                    T::WHAT,
                    bytes.len(),
                    T::SIZE
                )));
            }
            Ok(bytes.chunks_exact(T::SIZE).map(T::get).collect())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
            while let Some(x) = seq.next_element()? {
                out.push(x);
            }
            Ok(out)
        }
    }
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    format_version: Option<u32>,
}

/// A model file's format tag and version, as read.
pub trait ModelHeader {
    /// The `format` and `format_version` fields.
    fn header(&self) -> (&str, u32);
}

/// Parses a model file of kind `format` (e.g. `whosaid.stance`, described as `what` in errors)
/// of a format version in `versions` (the oldest this build reads to the one it writes): the
/// format tag and version are checked first, and the error names the file and the versions.
///
/// A file that parses and carries the expected tag and version is read once; any other is read
/// again, header first, for the same error as checking the header before anything else.
pub fn parse_model_file<T: serde::de::DeserializeOwned + ModelHeader>(
    bytes: &[u8],
    path: &Path,
    format: &str,
    versions: std::ops::RangeInclusive<u32>,
    what: &str,
) -> Result<T> {
    // JSON is UTF-8: checked once for the whole file, its strings are not checked again one
    // by one as `from_slice` does (the packed number arrays are most of a model's bytes).
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str::<T>(text),
        Err(_) => serde_json::from_slice::<T>(bytes),
    };
    if let Ok(file) = parsed {
        let (f, v) = file.header();
        if f == format && versions.contains(&v) {
            return Ok(file);
        }
    }
    let bad = |message: String| Error::Model {
        path: path.to_owned(),
        message,
    };
    let header: Header = serde_json::from_slice(bytes).map_err(|e| bad(json_error(&e)))?;
    match header.format.as_deref() {
        Some(f) if f == format => {}
        Some(other) => {
            return Err(bad(format!(
                "this is a {other:?} file, not {what} ({format:?})"
            )))
        }
        None => return Err(bad("not a whosaid model file (no \"format\" field)".into())),
    }
    match header.format_version {
        Some(v) if versions.contains(&v) => {}
        Some(found) => {
            return Err(Error::ModelVersion {
                path: path.to_owned(),
                found,
                oldest: *versions.start(),
                expected: *versions.end(),
            })
        }
        None => return Err(bad("model has no \"format_version\"".into())),
    }
    serde_json::from_slice(bytes).map_err(|e| bad(json_error(&e)))
}

/// What a JSON error in a model file means: a truncated file, bytes that are not JSON, or a
/// model with a bad field.
fn json_error(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => format!(
            "not a whosaid model file, or a truncated one: the JSON ends early at line {} column {}",
            e.line(),
            e.column()
        ),
        serde_json::error::Category::Syntax => {
            format!("not a whosaid model file (invalid JSON: {e})")
        }
        _ => format!("invalid model: {e}"),
    }
}

/// The largest model file whosaid reads (512 MiB; the default models are about 1 MB each): a
/// larger file is refused before anything is read or allocated for it.
pub const MAX_MODEL_BYTES: u64 = 512 << 20;

/// Reads a model file: a regular file of at most [`MAX_MODEL_BYTES`] (not a directory, a device
/// such as `/dev/zero` or a pipe), checked before it is read.
pub fn read_model_bytes(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let bad = |message: String| Error::Model {
        path: path.to_owned(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(bad("is a directory, not a model file".into()));
    }
    if !meta.is_file() {
        return Err(bad("not a regular file (a model is a JSON file)".into()));
    }
    if meta.len() > MAX_MODEL_BYTES {
        return Err(bad(format!(
            "model file is {} bytes, more than the {} MiB a model may have",
            meta.len(),
            MAX_MODEL_BYTES >> 20
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    // The length was checked above; `take` also bounds a file that grows meanwhile.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_MODEL_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_MODEL_BYTES {
        return Err(bad(format!(
            "model file is larger than the {} MiB a model may have",
            MAX_MODEL_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// A hasher for keys that already are good 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Feature hash -> column: open addressing with linear probing over a power-of-two table at
/// most half full. Most lookups are of features the model does not have, and a miss probes
/// until an empty slot, so the probed array holds the hashes alone (8 bytes a slot, 8 slots a
/// cache line; 0 marks an empty slot) and the columns sit in a parallel array read on a hit.
/// The hash 0 itself, which no slot can hold, is kept aside.
#[derive(Clone, Debug)]
struct ColumnIndex {
    mask: usize,
    hashes: Vec<u64>,
    cols: Vec<u32>,
    /// The column of the hash 0, if the model has it.
    zero: Option<u32>,
}

impl ColumnIndex {
    /// The largest number of columns (a column is a `u32`).
    const MAX_COLUMNS: usize = u32::MAX as usize;

    fn with_capacity(n: usize) -> Self {
        let size = (n.max(1) * 2).next_power_of_two();
        ColumnIndex {
            mask: size - 1,
            hashes: vec![0; size],
            cols: vec![0; size],
            zero: None,
        }
    }

    /// The first slot to probe: the hash's bits mixed (feature hashes are xxh3 values, but a
    /// damaged model may hold any numbers).
    #[inline]
    fn start(&self, h: u64) -> usize {
        ((h ^ (h >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & self.mask
    }

    /// Inserts `h -> col`; false if `h` was there already. At most `n` (of
    /// [`Self::with_capacity`]) hashes fit.
    fn insert(&mut self, h: u64, col: u32) -> bool {
        if h == 0 {
            return self.zero.replace(col).is_none();
        }
        let mut i = self.start(h);
        loop {
            let k = self.hashes[i];
            if k == 0 {
                self.hashes[i] = h;
                self.cols[i] = col;
                return true;
            }
            if k == h {
                return false;
            }
            i = (i + 1) & self.mask;
        }
    }

    #[inline]
    fn get(&self, h: u64) -> Option<u32> {
        if h == 0 {
            return self.zero;
        }
        let mut i = self.start(h);
        loop {
            // `i` is masked by the table's size - 1.
            let k = self.hashes[i];
            if k == h {
                return Some(self.cols[i]);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// A number no other model loaded by this process has: what tells one model's cached columns
/// (in per-thread scratch space) from another's.
pub(crate) fn new_model_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The hash state of the maps keyed by words and other short strings: foldhash's fast hasher
/// (made for short keys), with a fixed seed so that every run builds the same maps.
pub type StrState = foldhash::fast::FixedState;

/// A sparse feature vector: `(column, value)` pairs, sorted by column.
pub type SparseVec = Vec<(u32, f32)>;

/// Where the column path of feature extraction puts the model columns of a text's features
/// (repeats count, any order).
pub trait ColumnSink {
    /// Adds one column.
    fn push(&mut self, j: u32);

    /// Adds every column of `js`.
    #[inline]
    fn extend_from_slice(&mut self, js: &[u32]) {
        for &j in js {
            self.push(j);
        }
    }

    /// Adds the columns of `pool[a..a + len]` for each `(a, len)` of `ranges`, in order.
    #[inline]
    fn extend_from_ranges(&mut self, pool: &[u32], ranges: &[(u32, u32)]) {
        for &(a, len) in ranges {
            self.extend_from_slice(&pool[a as usize..(a + len) as usize]);
        }
    }
}

impl ColumnSink for Vec<u32> {
    #[inline]
    fn push(&mut self, j: u32) {
        Vec::push(self, j);
    }

    #[inline]
    fn extend_from_slice(&mut self, js: &[u32]) {
        Vec::extend_from_slice(self, js);
    }
}

/// Columns counted as they come, for [`LinearModel::probabilities_from_counts`]: a count per
/// column and the columns seen, in the order first seen. [`ColumnCounts::start`] sizes it for a
/// model; taking the columns out leaves it empty (all counts zero).
#[derive(Debug, Default, Clone)]
pub struct ColumnCounts {
    counts: Vec<u32>,
    seen: Vec<u32>,
}

impl ColumnCounts {
    /// Makes room for the columns of `model` (the counts must be empty, as they are after
    /// [`LinearModel::probabilities_from_counts`] or [`LinearModel::vectorize_counts`]).
    #[inline]
    pub fn start(&mut self, model: &LinearModel) {
        let n = model.n_features();
        if self.counts.len() < n {
            self.counts.resize(n, 0);
        }
    }

    /// Whether no column is counted, as scoring leaves it.
    #[cfg(test)]
    pub(crate) fn is_clear(&self) -> bool {
        self.seen.is_empty() && self.counts.iter().all(|&c| c == 0)
    }

    /// Counts column `j`, noting it in `seen` the first time.
    #[inline]
    fn count(counts: &mut [u32], seen: &mut Vec<u32>, j: u32) {
        let c = &mut counts[j as usize];
        if *c == 0 {
            seen.push(j);
        }
        *c += 1;
    }
}

impl ColumnSink for ColumnCounts {
    /// Counts column `j`, which must be below the size given to [`ColumnCounts::start`].
    #[inline]
    fn push(&mut self, j: u32) {
        Self::count(&mut self.counts, &mut self.seen, j);
    }

    /// The columns of `js` counted with the buffers held in registers (not inlined: in the
    /// feature extractor's large loops the buffers' addresses would be spilled to the stack and
    /// reloaded for every column).
    #[inline(never)]
    fn extend_from_slice(&mut self, js: &[u32]) {
        let (counts, seen) = (&mut self.counts[..], &mut self.seen);
        seen.reserve(js.len());
        for &j in js {
            Self::count(counts, seen, j);
        }
    }

    /// [`ColumnSink::extend_from_ranges`] in one call (one per range cost about 18
    /// instructions of call and register saving).
    /// The new columns are written into room made in `seen` for all of them at once, at an
    /// index held in a register (a push would check the capacity and store the length each
    /// time).
    #[inline(never)]
    fn extend_from_ranges(&mut self, pool: &[u32], ranges: &[(u32, u32)]) {
        let total: usize = ranges.iter().map(|&(_, len)| len as usize).sum();
        let (counts, seen) = (&mut self.counts[..], &mut self.seen);
        let mut k = seen.len();
        seen.resize(k + total, 0);
        let room = &mut seen[..];
        for &(a, len) in ranges {
            let a = a as usize;
            for &j in &pool[a..a + len as usize] {
                // The count read once and written back (not read again after `room` is).
                let c = counts[j as usize];
                counts[j as usize] = c + 1;
                if c == 0 {
                    room[k] = j;
                    k += 1;
                }
            }
        }
        seen.truncate(k);
    }
}

/// A multinomial logistic regression over hashed features, ready for inference.
#[derive(Clone, Debug)]
pub struct LinearModel {
    data: LinearModelData,
    index: ColumnIndex,
    /// `(idf, group)` of each column, side by side for the column path.
    meta: Vec<(f32, u8)>,
    /// For two or three labels, each column's weights (then zeros) and idf: the row the fused
    /// dot product reads in one aligned load. Empty for other models.
    rows: Vec<Row>,
    /// The group of each column of `rows`, beside them.
    row_groups: Vec<u8>,
    /// `tf[c]` = [`sublinear_tf`]`(c)` for counts below [`TF_TABLE`].
    tf: [f32; TF_TABLE],
}

/// What the fused dot product of [`LinearModel::probabilities_from_counts`] reads of a column
/// (its group is in `row_groups`).
#[derive(Clone, Copy, Debug)]
#[repr(C, align(16))]
struct Row {
    /// The weights of two or three labels, then zeros, and last the idf: for a column counted
    /// once (its value is its idf) the four factors of the pass's four sums as they are.
    w: [f32; 4],
}

/// A counted column beyond the model's rows: counts started for another model.
#[cold]
#[inline(never)]
fn column_out_of_range() -> ! {
    panic!("a counted column is beyond the model's columns (counts started for another model)")
}

/// Size of [`LinearModel`]'s table of sublinear term frequencies.
const TF_TABLE: usize = 64;

impl LinearModel {
    /// Validates `data` (shapes, finite numbers, checksum, unique hashes) and indexes it.
    /// `path` names the file in errors.
    pub fn from_data(data: LinearModelData, path: &Path) -> Result<Self> {
        let bad = |message: String| Error::Model {
            path: path.to_owned(),
            message,
        };
        let n = data.hashes.len();
        let c = data.labels.len();
        if c < 2 {
            return Err(bad(format!("model has {c} labels; at least 2 are needed")));
        }
        for (what, len) in [
            ("groups", data.groups.len()),
            ("idf", data.idf.len()),
            ("names", data.names.len()),
        ] {
            if len != n {
                return Err(bad(format!(
                    "model has {n} feature hashes but {len} {what}; the file is damaged"
                )));
            }
        }
        if Some(data.weights.len()) != n.checked_mul(c) {
            return Err(bad(format!(
                "model weights have {} values; expected {n} features x {c} labels = {}",
                data.weights.len(),
                n.saturating_mul(c)
            )));
        }
        if data.intercept.len() != c {
            return Err(bad(format!(
                "model has {} intercepts for {c} labels",
                data.intercept.len()
            )));
        }
        if let Some(i) = data
            .weights
            .iter()
            .chain(&data.idf)
            .chain(&data.intercept)
            .position(|v| !v.is_finite())
        {
            return Err(bad(format!(
                "model has a non-finite number (NaN or infinity) at position {i} of its weights"
            )));
        }
        if let Some(g) = data.groups.iter().find(|&&g| Group::from_u8(g).is_none()) {
            return Err(bad(format!("model has unknown feature group {g}")));
        }
        let sum = data.compute_checksum();
        if sum != data.checksum {
            return Err(bad(format!(
                "model checksum mismatch: file says {}, weights hash to {sum}; the file was damaged or edited",
                data.checksum
            )));
        }
        if n >= ColumnIndex::MAX_COLUMNS {
            return Err(bad(format!(
                "model has {n} features; at most {} are supported",
                u32::MAX - 1
            )));
        }
        let mut index = ColumnIndex::with_capacity(n);
        for (j, &h) in data.hashes.iter().enumerate() {
            if !index.insert(h, j as u32) {
                return Err(bad(format!("model lists feature hash {h:016x} twice")));
            }
        }
        let tf = std::array::from_fn(|c| sublinear_tf(c as u32));
        let meta: Vec<(f32, u8)> = data
            .idf
            .iter()
            .copied()
            .zip(data.groups.iter().copied())
            .collect();
        let rows = match c {
            2 | 3 => data
                .weights
                .chunks_exact(c)
                .zip(&meta)
                .map(|(w, &(idf, _))| {
                    let mut row = Row {
                        w: [0.0, 0.0, 0.0, idf],
                    };
                    row.w[..c].copy_from_slice(w);
                    row
                })
                .collect(),
            _ => Vec::new(),
        };
        let row_groups = match rows.len() {
            0 => Vec::new(),
            _ => data.groups.clone(),
        };
        Ok(LinearModel {
            data,
            index,
            meta,
            rows,
            row_groups,
            tf,
        })
    }

    /// The serialized form.
    pub fn data(&self) -> &LinearModelData {
        &self.data
    }

    /// Number of labels.
    pub fn n_labels(&self) -> usize {
        self.data.labels.len()
    }

    /// Number of features.
    pub fn n_features(&self) -> usize {
        self.data.hashes.len()
    }

    /// The name of feature column `j`.
    pub fn feature_name(&self, j: u32) -> &str {
        self.data.names.get(j as usize)
    }

    /// Turns raw emitted features into the model's vector: counts per known feature, sublinear
    /// term frequency (`1 + ln tf`) times idf, then L2 normalization within each feature group.
    /// Unknown features are dropped. `out` is cleared first and ends sorted by column.
    pub fn vectorize(&self, feats: &[(u64, Group)], out: &mut SparseVec) {
        out.clear();
        out.extend(
            feats
                .iter()
                .filter_map(|(h, _)| self.index.get(*h).map(|j| (j, 1.0f32))),
        );
        out.sort_unstable_by_key(|&(j, _)| j);
        out.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 += b.1;
                true
            } else {
                false
            }
        });
        self.weigh_and_normalize(out);
    }

    /// Sublinear tf times idf, then L2 normalization within each group, in column order.
    fn weigh_and_normalize(&self, out: &mut SparseVec) {
        let mut norms = [0f32; Group::COUNT];
        for (j, v) in out.iter_mut() {
            *v = (1.0 + v.ln()) * self.data.idf[*j as usize];
            norms[self.data.groups[*j as usize] as usize] += *v * *v;
        }
        self.normalize(out, norms);
    }

    /// Divides each value by the L2 norm of its group (`norms` are the squared norms).
    fn normalize(&self, out: &mut SparseVec, norms: [f32; Group::COUNT]) {
        // Dividing by 1 leaves a value as it is: groups with no weight are not scaled.
        let scale = norms.map(|n| if n > 0.0 { n.sqrt() } else { 1.0 });
        let groups = &self.data.groups;
        for (j, v) in out.iter_mut() {
            *v /= scale[groups[*j as usize] as usize % Group::COUNT];
        }
    }

    /// The column of the feature with hash `h`, if the model knows it.
    #[inline]
    pub fn column(&self, h: u64) -> Option<u32> {
        self.index.get(h)
    }

    /// [`LinearModel::vectorize`] from the columns of the known features (repeats count; any
    /// order): the same vector, computed the same way. `counts` holds reusable buffers.
    pub fn vectorize_columns(&self, cols: &[u32], counts: &mut ColumnCounts, out: &mut SparseVec) {
        counts.start(self);
        counts.extend_from_slice(cols);
        self.vectorize_counts(counts, out);
    }

    /// [`LinearModel::vectorize`] from the columns counted in `counts` (left empty).
    pub fn vectorize_counts(&self, counts: &mut ColumnCounts, out: &mut SparseVec) {
        let norms = self.collect_counts(counts, out);
        let scale = norms.map(|n| if n > 0.0 { n.sqrt() } else { 1.0 });
        for (j, v) in out.iter_mut() {
            *v /= scale[usize::from(self.meta[*j as usize].1) & 7];
        }
    }

    /// The label probabilities of the columns counted in `counts` (left empty), and, if `x` is
    /// given, their vector as [`LinearModel::vectorize_counts`] makes it.
    ///
    /// For two or three labels the counts are weighed, normalized and multiplied by the weights
    /// in one pass over the columns, in the order first seen, reading one row a column: each
    /// group's dot product and squared norm are summed, and the score is the intercept plus
    /// each group's dot product divided by its norm. That is [`LinearModel::probabilities`]
    /// computed in another order, so the two can differ by float rounding (about 1e-7; the
    /// path used in training adds normalized values in column order). Without `x` no column
    /// is sorted or written.
    pub fn probabilities_from_counts(
        &self,
        counts: &mut ColumnCounts,
        x: Option<&mut SparseVec>,
        probs: &mut Vec<f32>,
    ) {
        let intercept = &self.data.intercept[..];
        if !matches!(intercept.len(), 2 | 3) {
            let mut own = SparseVec::new();
            let x = x.unwrap_or(&mut own);
            self.vectorize_counts(counts, x);
            return self.probabilities_into(x, probs);
        }
        let (dots, norms) = match x {
            Some(x) => {
                x.clear();
                let r = self.weigh_and_dot::<true>(counts, x);
                // The vector exactly as `vectorize_counts` makes it: norms summed in column
                // order (the probabilities keep the pass's own, so that they do not depend on
                // whether the vector is asked for).
                x.sort_unstable_by_key(|&(j, _)| j);
                let mut norms = [0f32; 8];
                for &(j, v) in x.iter() {
                    norms[usize::from(self.meta[j as usize].1) & 7] += v * v;
                }
                let scale = norms.map(|n| if n > 0.0 { n.sqrt() } else { 1.0 });
                for (j, v) in x.iter_mut() {
                    *v /= scale[usize::from(self.meta[*j as usize].1) & 7];
                }
                r
            }
            None => self.weigh_and_dot::<false>(counts, &mut Vec::new()),
        };
        probs.clear();
        probs.extend_from_slice(intercept);
        for (d, n) in dots.iter().zip(norms) {
            // A group with no column (most of the eight) adds nothing: dot products of 0 divided
            // by any norm are 0 (adding them could only turn an intercept of -0 into +0: the
            // same probabilities).
            if *d == [0.0; 3] {
                continue;
            }
            let s = if n > 0.0 { n.sqrt() } else { 1.0 };
            for (p, d) in probs.iter_mut().zip(d) {
                *p += d / s;
            }
        }
        softmax_in_place(probs);
    }

    /// The pass of [`LinearModel::probabilities_from_counts`] over the counted columns (left
    /// empty): each group's dot products with the (unnormalized) values and squared norm, and,
    /// with `VECTOR`, the values in `x`, in the order seen.
    #[inline(always)]
    fn weigh_and_dot<const VECTOR: bool>(
        &self,
        counts: &mut ColumnCounts,
        x: &mut SparseVec,
    ) -> ([[f32; 3]; 8], [f32; 8]) {
        let ColumnCounts { counts, seen } = counts;
        let rows = &self.rows[..];
        // As long as the rows: one check of a column against the rows covers all three.
        let counts = &mut counts[..rows.len()];
        let groups = &self.row_groups[..rows.len()];
        // Per group: the three dot products and the squared norm, as four lanes added to in
        // one step (each lane is summed in column order, as four separate sums would be).
        let mut acc = [[0f32; 4]; 8];
        for &j in seen.iter() {
            let j = j as usize;
            if j >= rows.len() {
                column_out_of_range();
            }
            let c = std::mem::take(&mut counts[j]);
            let row = rows[j].w;
            // Groups are checked on load to be below `Group::COUNT` (<= 8).
            let g = usize::from(groups[j]) & 7;
            // The value and the factors [w0, w1, w2, value] (the last lane sums the squares):
            // for a column counted once, the row as it is (one vector, not put together).
            let v = match c {
                1 => {
                    let v = row[3];
                    for (a, w) in acc[g].iter_mut().zip(row) {
                        *a += v * w;
                    }
                    v
                }
                _ => {
                    let v = self.weigh(c, row[3]);
                    for (a, w) in acc[g].iter_mut().zip([row[0], row[1], row[2], v]) {
                        *a += v * w;
                    }
                    v
                }
            };
            if VECTOR {
                x.push((j as u32, v));
            }
        }
        seen.clear();
        (acc.map(|a| [a[0], a[1], a[2]]), acc.map(|a| a[3]))
    }

    /// A column's value: sublinear tf of its count `c` (at least 1) times its `idf`.
    #[inline]
    fn weigh(&self, c: u32, idf: f32) -> f32 {
        // Most columns come once: tf is then 1 and `1 * idf` is `idf`.
        match c {
            1 => idf,
            _ => {
                let tf = match self.tf.get(c as usize) {
                    Some(&t) => t,
                    None => sublinear_tf(c),
                };
                tf * idf
            }
        }
    }

    /// The counting part of [`LinearModel::vectorize_counts`]: `out` (cleared first) gets the
    /// weighed values (sublinear tf times idf) in column order, `counts` is left empty, and the
    /// squared norm of each group (indexed by group & 7) is returned.
    fn collect_counts(&self, counts: &mut ColumnCounts, out: &mut SparseVec) -> [f32; 8] {
        out.clear();
        let ColumnCounts { counts, seen } = counts;
        seen.sort_unstable();
        let mut norms = [0f32; 8];
        for &j in seen.iter() {
            let c = std::mem::take(&mut counts[j as usize]);
            let (idf, group) = self.meta[j as usize];
            let v = self.weigh(c, idf);
            norms[usize::from(group) & 7] += v * v;
            out.push((j, v));
        }
        seen.clear();
        norms
    }

    /// Unnormalized label scores `x · W + b`.
    pub fn scores(&self, x: &[(u32, f32)]) -> Vec<f32> {
        let c = self.n_labels();
        let mut s = self.data.intercept.clone();
        for &(j, v) in x {
            let row = &self.data.weights[j as usize * c..(j as usize + 1) * c];
            for (acc, w) in s.iter_mut().zip(row) {
                *acc += v * w;
            }
        }
        s
    }

    /// Label probabilities (softmax of the scores).
    pub fn probabilities(&self, x: &[(u32, f32)]) -> Vec<f32> {
        softmax(self.scores(x))
    }

    /// [`LinearModel::probabilities`] into `out` (cleared first), computed the same way.
    pub fn probabilities_into(&self, x: &[(u32, f32)], out: &mut Vec<f32>) {
        let c = self.n_labels();
        out.clear();
        out.extend_from_slice(&self.data.intercept);
        if let ([s0, s1, s2], 3) = (out.as_mut_slice(), c) {
            // Three labels (stance): the same sums, unrolled.
            for &(j, v) in x {
                let k = j as usize * 3;
                let row = &self.data.weights[k..k + 3];
                *s0 += v * row[0];
                *s1 += v * row[1];
                *s2 += v * row[2];
            }
        } else {
            for &(j, v) in x {
                let row = &self.data.weights[j as usize * c..(j as usize + 1) * c];
                for (acc, w) in out.iter_mut().zip(row) {
                    *acc += v * w;
                }
            }
        }
        softmax_in_place(out);
    }

    /// The `k` features that pushed most toward `label` against the other labels: contribution
    /// `x_j * (w_j,label - mean_c w_j,c)`, largest absolute first.
    pub fn explain(&self, x: &[(u32, f32)], label: usize, k: usize) -> Vec<(String, f32)> {
        let c = self.n_labels();
        let mut contrib: Vec<(u32, f32)> = x
            .iter()
            .map(|&(j, v)| {
                let row = &self.data.weights[j as usize * c..(j as usize + 1) * c];
                let mean = row.iter().sum::<f32>() / c as f32;
                (j, v * (row[label] - mean))
            })
            .collect();
        contrib.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        contrib
            .into_iter()
            .take(k)
            .map(|(j, w)| (self.feature_name(j).to_owned(), w))
            .collect()
    }
}

/// `1 + ln c` for a count `c`, as `vectorize` computes it on the count as `f32` (small counts
/// from a table of the same numbers).
#[inline]
fn sublinear_tf(c: u32) -> f32 {
    static TABLE: std::sync::OnceLock<[f32; 64]> = std::sync::OnceLock::new();
    match c {
        1 => 1.0 + 1f32.ln(),
        2..64 => TABLE.get_or_init(|| std::array::from_fn(|c| 1.0 + (c as f32).ln()))[c as usize],
        _ => 1.0 + (c as f32).ln(),
    }
}

/// Softmax, stable for large scores.
pub fn softmax(mut s: Vec<f32>) -> Vec<f32> {
    softmax_in_place(&mut s);
    s
}

/// [`softmax`] in place.
pub fn softmax_in_place(s: &mut [f32]) {
    let max = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in s.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in s.iter_mut() {
        *v /= sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn tiny() -> LinearModelData {
        let mut d = LinearModelData {
            labels: vec!["a".into(), "b".into()],
            hashes: vec![10, 20, 30],
            groups: vec![0, 0, 1],
            idf: vec![1.0, 2.0, 1.0],
            names: vec!["w|x".to_owned(), "w|y".into(), "c|z".into()].into(),
            weights: vec![1.0, -1.0, 0.0, 2.0, 0.5, 0.5],
            intercept: vec![0.0, 0.1],
            checksum: String::new(),
        };
        d.checksum = d.compute_checksum();
        d
    }

    #[test]
    fn number_arrays_are_packed_and_read_back_bit_for_bit() {
        let mut d = tiny();
        d.hashes = vec![0, 1, u64::MAX];
        d.idf = vec![f32::MIN_POSITIVE, -0.0, 1.0 / 3.0];
        d.weights = vec![1e-45, -1.5, 3.4e38, 0.1, 2.0, -7.25];
        d.checksum = d.compute_checksum();
        let json = serde_json::to_value(&d).unwrap();
        // Little-endian bytes in base64: 0, 1 and u64::MAX.
        assert_eq!(json["hashes"], "AAAAAAAAAAABAAAAAAAAAP//////////", "{json}");
        assert_eq!(json["groups"], "AAAB");
        assert!(json["intercept"].is_array(), "{json}");
        let back: LinearModelData = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, d);
        assert!(back
            .idf
            .iter()
            .chain(&back.weights)
            .zip(d.idf.iter().chain(&d.weights))
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        // Files of earlier format versions hold JSON arrays of numbers: read the same.
        let mut old = json;
        old["hashes"] = serde_json::json!([0u64, 1u64, u64::MAX]);
        old["groups"] = serde_json::json!([0, 0, 1]);
        old["idf"] = serde_json::json!([f32::MIN_POSITIVE, -0.0, 1.0f32 / 3.0]);
        old["weights"] =
            serde_json::json!([1e-45f32, -1.5f32, 3.4e38f32, 0.1f32, 2.0f32, -7.25f32]);
        let back: LinearModelData = serde_json::from_value(old).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn bad_packed_arrays_are_refused_clearly() {
        let json = serde_json::to_value(tiny()).unwrap();
        for (field, value, want) in [
            ("weights", "not base64!", "invalid base64 in a packed array"),
            (
                "idf",
                "AAAAAAA=",
                "a packed array of 32-bit floats has 5 bytes, not a multiple of 4",
            ),
            (
                "hashes",
                "AAAAAAAAAAAB",
                "a packed array of 64-bit integers has 9 bytes, not a multiple of 8",
            ),
        ] {
            let mut bad = json.clone();
            bad[field] = value.into();
            let e = serde_json::from_value::<LinearModelData>(bad).unwrap_err();
            assert!(e.to_string().contains(want), "{field}: {e}");
        }
        let mut bad = json;
        bad["groups"] = serde_json::json!({"a": 1});
        let e = serde_json::from_value::<LinearModelData>(bad).unwrap_err();
        assert!(
            e.to_string()
                .contains("a base64 string of little-endian bytes or an array of numbers"),
            "{e}"
        );
    }

    #[test]
    fn vectorize_counts_weights_and_normalizes_per_group() {
        let m = LinearModel::from_data(tiny(), Path::new("m.json")).unwrap();
        let mut x = Vec::new();
        m.vectorize(
            &[
                (20, Group::Word),
                (10, Group::Word),
                (99, Group::Word),
                (10, Group::Word),
                (30, Group::Char),
            ],
            &mut x,
        );
        assert_eq!(x.len(), 3);
        let a = 1.0 + 2f32.ln();
        let b = 2.0;
        let n = (a * a + b * b).sqrt();
        assert!((x[0].1 - a / n).abs() < 1e-6 && (x[1].1 - b / n).abs() < 1e-6);
        assert!((x[2].1 - 1.0).abs() < 1e-6);
        let p = m.probabilities(&x);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        let why = m.explain(&x, 1, 1);
        assert_eq!(why[0].0, "w|y");
    }

    #[test]
    fn damaged_models_are_refused_with_a_reason() {
        let mut d = tiny();
        d.weights[0] = 5.0;
        let e = LinearModel::from_data(d, Path::new("m.json"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("m.json: model checksum mismatch"), "{e}");

        let mut d = tiny();
        d.weights[1] = f32::NAN;
        d.checksum = d.compute_checksum();
        let e = LinearModel::from_data(d, Path::new("m.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("non-finite"), "{e}");

        let mut d = tiny();
        d.weights.pop();
        let e = LinearModel::from_data(d, Path::new("m.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected 3 features x 2 labels = 6"), "{e}");
    }

    #[test]
    fn column_index_finds_every_hash_and_only_those() {
        // Hashes that collide in the low bits, and 0 (a hash like any other).
        let hashes: Vec<u64> = (1..1000u64).map(|i| i << 40).chain([0, u64::MAX]).collect();
        let mut ix = ColumnIndex::with_capacity(hashes.len());
        for (j, &h) in hashes.iter().enumerate() {
            assert!(ix.insert(h, j as u32));
        }
        assert!(!ix.insert(hashes[5], 99), "a repeated hash is refused");
        for (j, &h) in hashes.iter().enumerate() {
            assert_eq!(ix.get(h), Some(j as u32));
        }
        for h in [1u64, 7 << 40 | 1, 5000 << 40, u64::MAX - 1] {
            assert_eq!(ix.get(h), None);
        }
        assert!(!ix.insert(0, 99), "so is a repeated 0");
        // at most half full
        assert!(ix.hashes.len() >= hashes.len() * 2);
        let mut without_zero = ColumnIndex::with_capacity(1);
        assert!(without_zero.insert(u64::MAX, 0));
        assert_eq!(without_zero.get(0), None);
        assert_eq!(without_zero.get(u64::MAX), Some(0));
    }

    #[test]
    fn fused_probabilities_match_the_two_steps() {
        let mut d = tiny();
        d.labels.push("c".into());
        d.weights = vec![1.0, -1.0, 0.5, 0.0, 2.0, -0.5, 0.5, 0.5, 0.25];
        d.intercept = vec![0.0, 0.1, -0.2];
        d.checksum = d.compute_checksum();
        fused_equals_two_steps(d);
        // Two labels (attribution).
        let mut d = tiny();
        d.intercept = vec![0.3, -0.1];
        d.checksum = d.compute_checksum();
        fused_equals_two_steps(d);
    }

    fn fused_equals_two_steps(d: LinearModelData) {
        let m = LinearModel::from_data(d, Path::new("m.json")).unwrap();
        let mut counts = ColumnCounts::default();
        let groups = [Group::Word, Group::Word, Group::Char];
        for cols in [
            vec![2u32, 0, 0, 1, 2, 0],
            (0..40).map(|i| i % 3).collect::<Vec<u32>>(),
            (0..70_000).map(|i| i % 2).collect::<Vec<u32>>(),
            vec![],
        ] {
            // The reference: `vectorize` on the features' hashes.
            let feats: Vec<(u64, Group)> = cols
                .iter()
                .map(|&j| (m.data().hashes[j as usize], groups[j as usize]))
                .collect();
            let (mut x0, mut p0) = (Vec::new(), Vec::new());
            m.vectorize(&feats, &mut x0);
            m.probabilities_into(&x0, &mut p0);
            let (mut x1, mut x2, mut p1, mut p2) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            m.vectorize_columns(&cols, &mut counts, &mut x1);
            m.probabilities_into(&x1, &mut p1);
            counts.start(&m);
            counts.extend_from_slice(&cols);
            m.probabilities_from_counts(&mut counts, Some(&mut x2), &mut p2);
            assert_eq!((&x0, &p0), (&x1, &p1), "{}", cols.len());
            // The same vector; the same probabilities up to float rounding.
            assert_eq!(x1, x2, "{}", cols.len());
            assert_eq!(p1.len(), p2.len());
            for (a, b) in p1.iter().zip(&p2) {
                assert!((a - b).abs() < 1e-6, "{}: {p1:?} {p2:?}", cols.len());
            }
            // Without the vector: the same probabilities, bit for bit, and the counts emptied.
            let mut p3 = Vec::new();
            counts.start(&m);
            counts.extend_from_slice(&cols);
            m.probabilities_from_counts(&mut counts, None, &mut p3);
            assert_eq!(p2, p3);
            assert!(counts.counts.iter().all(|&c| c == 0) && counts.seen.is_empty());
        }
    }

    /// The `names` arrays of the shipped models' files, read eagerly as strings.
    fn shipped_names() -> Vec<(serde_json::Value, Vec<String>)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default");
        let stance: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("stance.json")).unwrap()).unwrap();
        let attribution: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("attribution.json")).unwrap()).unwrap();
        let arrays = [
            &stance["model"],
            &attribution["cue"],
            &attribution["source"],
            &attribution["content"],
        ];
        arrays
            .into_iter()
            .map(|m| {
                let names = serde_json::from_value(m["names"].clone()).unwrap();
                (m.clone(), names)
            })
            .collect()
    }

    #[test]
    fn packed_names_are_the_names_strings_give() {
        for (model, eager) in shipped_names() {
            let text = serde_json::to_string(&model).unwrap();
            let data: LinearModelData = serde_json::from_str(&text).unwrap();
            assert!(!data.names.are_strings());
            assert_eq!(data.names.len(), eager.len());
            // Read as they are, then as strings: the same names.
            assert_eq!(data.names.iter().collect::<Vec<_>>(), eager);
            assert!((0..eager.len()).all(|j| data.names.get(j) == eager[j]));
            assert!(!data.names.are_strings());
            let copy = data.names.clone();
            assert_eq!(*data.names, eager);
            assert!(data.names.are_strings());
            assert_eq!(data.names.iter().collect::<Vec<_>>(), eager);
            assert_eq!(copy, data.names);
            // Written back: the same JSON as the strings give.
            assert_eq!(
                serde_json::to_string(&data.names).unwrap(),
                serde_json::to_string(&eager).unwrap()
            );
            // Read from a `Value` too (as tests that edit model files do).
            let again: LinearModelData = serde_json::from_value(model).unwrap();
            assert_eq!(again.names.len(), eager.len());
            assert_eq!(again, data);
        }
    }

    #[test]
    fn packed_names_decode_escapes_and_blanks() {
        let text = r#" [ "w|a\"b" ,"c|\u00e9\\" ,
            "plain", "tab\there", "", "ü|x" ] "#;
        let eager: Vec<String> = serde_json::from_str(text).unwrap();
        let names: FeatureNames = serde_json::from_str(text).unwrap();
        assert_eq!(names.len(), 6);
        assert_eq!(names.iter().collect::<Vec<_>>(), eager);
        assert_eq!(*names, eager);
        let empty: FeatureNames = serde_json::from_str("[]").unwrap();
        assert!(empty.is_empty() && empty.iter().next().is_none());
    }

    #[test]
    fn names_refuse_what_is_not_an_array_of_strings_as_strings_do() {
        for bad in [
            "5",
            r#""w|x""#,
            r#"{"a": "b"}"#,
            r#"["a", 5]"#,
            r#"["a", null]"#,
            r#"[["a"]]"#,
            r#"["\ud800"]"#,
        ] {
            let e = serde_json::from_str::<FeatureNames>(bad).map(|_| ());
            let want = serde_json::from_str::<Vec<String>>(bad).map(|_| ());
            assert!(e.is_err(), "{bad} was taken");
            assert_eq!(format!("{e:?}"), format!("{want:?}"));
        }
    }

    #[test]
    fn changed_names_are_written_as_changed() {
        let mut names: FeatureNames = serde_json::from_str(r#"["a", "b"]"#).unwrap();
        let copy = names.clone();
        names[1].push('x');
        names.push("c".into());
        assert_eq!(names.len(), 3);
        assert_eq!(serde_json::to_string(&names).unwrap(), r#"["a","bx","c"]"#);
        assert_eq!(names.iter().collect::<Vec<_>>(), ["a", "bx", "c"]);
        assert_eq!(*copy, ["a", "b"]);
        let made: FeatureNames = vec!["x".to_owned()].into_iter().collect();
        assert_eq!((made.len(), made.are_strings()), (1, true));
    }

    #[test]
    fn checksum_is_the_xxh3_of_the_numbers_bytes_end_to_end() {
        let mut d = tiny();
        // More numbers than one buffer holds, of each kind.
        d.hashes = (0..1500u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        d.groups = (0..1500).map(|i| (i % 5) as u8).collect();
        d.idf = (0..1500).map(|i| i as f32 * 0.5).collect();
        d.weights = (0..3000).map(|i| i as f32 - 1000.25).collect();
        let mut bytes = Vec::new();
        bytes.extend(d.hashes.iter().flat_map(|x| x.to_le_bytes()));
        bytes.extend_from_slice(&d.groups);
        for v in d.idf.iter().chain(&d.weights).chain(&d.intercept) {
            bytes.extend(v.to_le_bytes());
        }
        let want = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        assert_eq!(d.compute_checksum(), want);
    }

    #[test]
    fn softmax_is_stable() {
        let p = softmax(vec![1000.0, 0.0, -1000.0]);
        assert!((p[0] - 1.0).abs() < 1e-6 && p.iter().all(|v| v.is_finite()));
    }
}
