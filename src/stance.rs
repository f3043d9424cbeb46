//! Target-aware stance: favor / against / none toward a target, with probabilities.
//!
//! A [`StanceModel`] bundles the tokenizer, the feature settings, the named targets with their
//! aliases and a [`LinearModel`]; it is stored as one versioned JSON file (`stance.json`).

use crate::error::{Error, Result};
use crate::eval::StanceReport;
use crate::features::{
    BigramWords, ColumnScratch, CompiledTarget, FeatureConfig, FeatureSink, Featurizer,
    OtherMentions, TargetQuery, TargetSpec,
};
use crate::label::Stance;
use crate::model::{ColumnCounts, LinearModel, LinearModelData, SparseVec, StrState};
use crate::recipe::{PairMix, StanceRecipe};
use crate::tokenize::{CharIndex, Token, Tokenizer, TokenizerSpec};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// The `format` tag of a stance model file.
pub const STANCE_FORMAT: &str = "whosaid.stance";
/// The oldest stance model format version this build reads: version 1 files hold their number
/// arrays as JSON numbers, later ones as packed base64 strings (see `LinearModelData`).
pub const STANCE_OLDEST_FORMAT_VERSION: u32 = 1;
/// The stance model format version this build writes (and the newest it reads).
pub const STANCE_FORMAT_VERSION: u32 = 2;
/// The key of targets that are not among a model's named targets.
pub const GENERIC_TARGET_KEY: &str = "*";

/// The serialized stance model (`stance.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StanceModelFile {
    /// Always [`STANCE_FORMAT`].
    pub format: String,
    /// [`STANCE_FORMAT_VERSION`] when written by this build.
    pub format_version: u32,
    /// The whosaid version that trained it.
    pub whosaid_version: String,
    /// The recipe it was trained with.
    pub recipe: StanceRecipe,
    /// xxh3 digest of the training and dev files' bytes.
    pub data_digest: String,
    /// Dev-split reports from training, per corpus.
    pub dev: Vec<StanceReport>,
    /// Chosen hyperparameters (`alpha`, `prior_correction`).
    pub chosen: serde_json::Value,
    /// The tokenizer pipeline.
    pub tokenizer: TokenizerSpec,
    /// Feature settings.
    pub features: FeatureConfig,
    /// Named targets.
    pub targets: Vec<TargetSpec>,
    /// The weights.
    pub model: LinearModelData,
    /// Predictions toward two mirroring named targets mixed with each other's (absent in older
    /// models: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair_mix: Option<PairMix>,
}

impl crate::model::ModelHeader for StanceModelFile {
    fn header(&self) -> (&str, u32) {
        (&self.format, self.format_version)
    }
}

/// A stance decision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StancePrediction {
    /// The most probable label.
    pub label: Stance,
    /// Probabilities in [`Stance::ALL`] order (against, none, favor).
    pub probs: [f32; 3],
    /// The features that weighed most, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<(String, f32)>,
}

/// A loaded stance model.
#[derive(Clone, Debug)]
pub struct StanceModel {
    /// Identifies the model's features in [`Scratch`] caches (clones share it).
    id: u64,
    file: StanceModelFile,
    tokenizer: Tokenizer,
    featurizer: Featurizer,
    targets: Vec<CompiledTarget>,
    linear: LinearModel,
    /// `pair_mix` resolved: the indexes of its two targets in `targets`, and its weight.
    mix: Option<([usize; 2], f32)>,
}

impl StanceModel {
    /// Reads a model file.
    pub fn from_path(path: &Path) -> Result<Self> {
        let bytes = crate::model::read_model_bytes(path)?;
        Self::from_bytes(&bytes, path)
    }

    /// Reads a model from bytes; `path` names it in errors. The format tag and version are
    /// checked before anything else.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self> {
        let file: StanceModelFile = crate::model::parse_model_file(
            bytes,
            path,
            STANCE_FORMAT,
            STANCE_OLDEST_FORMAT_VERSION..=STANCE_FORMAT_VERSION,
            "a stance model",
        )?;
        Self::from_file(file, path)
    }

    /// Builds the runtime model from its serialized form, validating it. The weights move to
    /// the [`LinearModel`] (not copied: [`StanceModel::file`] is the rest).
    pub fn from_file(mut file: StanceModelFile, path: &Path) -> Result<Self> {
        let want: Vec<&str> = Stance::ALL.iter().map(|s| s.as_str()).collect();
        if file.model.labels != want {
            return Err(Error::Model {
                path: path.to_owned(),
                message: format!(
                    "stance model labels are {:?}; expected {:?}",
                    file.model.labels, want
                ),
            });
        }
        file.features.check().map_err(|e| Error::Model {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let linear = LinearModel::from_data(std::mem::take(&mut file.model), path)?;
        let tokenizer = Tokenizer::new(file.tokenizer.clone());
        let targets = compile_targets(&tokenizer, &file.targets);
        let mix = match &file.pair_mix {
            None => None,
            Some(m) => {
                m.check(&file.targets).map_err(|e| Error::Model {
                    path: path.to_owned(),
                    message: e.to_string(),
                })?;
                let index = |name: &String| {
                    file.targets
                        .iter()
                        .position(|t| t.name.eq_ignore_ascii_case(name))
                        .unwrap_or(0)
                };
                Some(([index(&m.targets[0]), index(&m.targets[1])], m.weight))
            }
        };
        // The column path skips the bigrams the model has no column for.
        let data = linear.data();
        let bigram_words =
            BigramWords::of_model(&file.features, &data.names, &data.hashes, &data.groups);
        Ok(StanceModel {
            id: crate::model::new_model_id(),
            featurizer: Featurizer::new(file.features.clone()).with_bigram_words(bigram_words),
            file,
            tokenizer,
            targets,
            linear,
            mix,
        })
    }

    /// Writes the model as JSON, atomically: to a temporary file beside `path`, then renamed.
    pub fn write_file(file: &StanceModelFile, path: &Path) -> Result<()> {
        write_json_atomically(file, path)
    }

    /// The serialized form but for its weights: its `model` is empty, since the weights are the
    /// [`LinearModel`]'s ([`StanceModel::linear`], `data()`). [`StanceModel::to_file`] has
    /// them.
    pub fn file(&self) -> &StanceModelFile {
        &self.file
    }

    /// The whole serialized form, the weights put back (a copy).
    pub fn to_file(&self) -> StanceModelFile {
        StanceModelFile {
            model: self.linear.data().clone(),
            ..self.file.clone()
        }
    }

    /// The tokenizer the model was trained with.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The linear model.
    pub fn linear(&self) -> &LinearModel {
        &self.linear
    }

    /// The named targets' names, e.g. `["Russia", "Ukraine"]`.
    pub fn target_names(&self) -> Vec<String> {
        self.file.targets.iter().map(|t| t.name.clone()).collect()
    }

    /// Compiles a target by name: a named target (matched case-insensitively against names and
    /// aliases) gets its key and aliases; any other name is a generic target mentioned by its own
    /// words.
    pub fn target(&self, name: &str) -> CompiledTarget {
        resolve_target(&self.tokenizer, &self.targets, name)
    }

    /// Compiles a target given with its own aliases: if its name or an alias is one of the
    /// model's named targets, that target (with its learned weights); otherwise a generic target
    /// mentioned by its name and aliases.
    pub fn target_spec(&self, spec: &TargetSpec) -> CompiledTarget {
        for name in std::iter::once(&spec.name).chain(&spec.aliases) {
            let t = self.target(name);
            if t.key != GENERIC_TARGET_KEY {
                return t;
            }
        }
        CompiledTarget::new(GENERIC_TARGET_KEY, spec, |s| self.tokenizer.tokenize(s))
    }

    /// The model's named targets, compiled.
    pub fn named_targets(&self) -> &[CompiledTarget] {
        &self.targets
    }

    /// Predicts the stance of `text` toward `target`. `span` is the target mention's character
    /// range in `text`, if known; `explain` > 0 asks for that many weighing features.
    pub fn predict(
        &self,
        text: &str,
        target: &str,
        span: Option<Range<usize>>,
        explain: usize,
    ) -> Result<StancePrediction> {
        let span = match span {
            None => None,
            Some(r) => Some(byte_span(text, r)?),
        };
        Ok(with_scratch(|scratch| {
            scratch.want_vector = explain > 0;
            let target = scratch.target(self, target);
            let mut all_tokens = std::mem::take(&mut scratch.tokens);
            let mut others = std::mem::take(&mut scratch.others);
            // The same text as the last call's (one record per mention): it is prepared.
            if scratch.prepared != Some(self.id) || scratch.prepared_text != text {
                // The tokens past the text's are kept from longer texts before, buffers and all.
                scratch.n_tokens = self.tokenizer.tokenize_reusing(text, &mut all_tokens);
                let tokens = &all_tokens[..scratch.n_tokens];
                self.featurizer
                    .prepare_columns(text, tokens, self.id, &mut scratch.columns);
                others.find_prepared(&self.targets, tokens, self.id, &mut scratch.columns);
                scratch.prepared = Some(self.id);
                scratch.prepared_text.clear();
                scratch.prepared_text.push_str(text);
            }
            let tokens = &all_tokens[..scratch.n_tokens];
            self.target_vector(tokens, &target, span.as_ref(), Some(&others), scratch);
            let p = self.decide(explain, scratch);
            scratch.tokens = all_tokens;
            scratch.others = others;
            p
        }))
    }

    /// Predicts from already tokenized text; `span` is a byte range. Reuses `scratch` buffers.
    pub fn predict_tokens(
        &self,
        text: &str,
        tokens: &[Token],
        target: &CompiledTarget,
        span: Option<&Range<usize>>,
        explain: usize,
        scratch: &mut Scratch,
    ) -> StancePrediction {
        scratch.prepared = None;
        scratch.want_vector = explain > 0;
        self.featurizer
            .prepare_columns(text, tokens, self.id, &mut scratch.columns);
        self.target_vector(tokens, target, span, None, scratch);
        self.decide(explain, scratch)
    }

    /// Predicts the stance of one tokenized text toward each of `targets`, in order: the same as
    /// [`StanceModel::predict_tokens`] for each, with the named targets' mentions found once.
    pub fn predict_tokens_many(
        &self,
        text: &str,
        tokens: &[Token],
        targets: &[CompiledTarget],
        explain: usize,
        scratch: &mut Scratch,
    ) -> Vec<StancePrediction> {
        let mut others = std::mem::take(&mut scratch.others);
        scratch.prepared = None;
        scratch.want_vector = explain > 0;
        self.featurizer
            .prepare_columns(text, tokens, self.id, &mut scratch.columns);
        others.find_prepared(&self.targets, tokens, self.id, &mut scratch.columns);
        // The `pair_mix` targets' own probabilities, each computed once for all the targets.
        let mut raw = [None; 2];
        let out = targets
            .iter()
            .map(|target| {
                let pair = Pair {
                    raw: &mut raw,
                    need_vector: explain > 0,
                };
                self.mixed_vector(tokens, target, None, Some(&others), Some(pair), scratch);
                self.decide(explain, scratch)
            })
            .collect();
        scratch.others = others;
        out
    }

    /// The decision on the vector and probabilities in `scratch` (left by
    /// [`StanceModel::target_vector`]).
    fn decide(&self, explain: usize, scratch: &mut Scratch) -> StancePrediction {
        let p = &scratch.probs;
        let probs = [p[0], p[1], p[2]];
        let best = (0..3)
            .max_by(|&a, &b| probs[a].total_cmp(&probs[b]))
            .unwrap_or(1);
        let why = if explain > 0 {
            // The bias feature is the target's intercept, not a reason found in the text.
            let mut why = self.linear.explain(&scratch.x, best, explain + 1);
            why.retain(|(name, _)| !is_bias_name(name));
            why.truncate(explain);
            why
        } else {
            Vec::new()
        };
        StancePrediction {
            label: Stance::ALL[best],
            probs,
            why,
        }
    }

    /// The model's feature vector for one (text, target), left in `scratch` (see
    /// [`Scratch::vector`]). Token spans index `text`.
    pub fn vectorize(
        &self,
        text: &str,
        tokens: &[Token],
        target: &CompiledTarget,
        span: Option<&Range<usize>>,
        scratch: &mut Scratch,
    ) {
        scratch.prepared = None;
        scratch.want_vector = true;
        self.featurizer
            .prepare_columns(text, tokens, self.id, &mut scratch.columns);
        self.target_vector(tokens, target, span, None, scratch);
    }

    /// The vector toward `target` of the text prepared in `scratch`, and the probabilities: the
    /// target's own, or, for a target of the model's `pair_mix`, mixed with the other target's
    /// mirrored ones (the vector stays the target's own, so explanations name its features).
    fn target_vector(
        &self,
        tokens: &[Token],
        target: &CompiledTarget,
        span: Option<&Range<usize>>,
        others: Option<&OtherMentions>,
        scratch: &mut Scratch,
    ) {
        self.mixed_vector(tokens, target, span, others, None, scratch);
    }

    /// [`StanceModel::target_vector`], taking the `pair_mix` targets' own probabilities from
    /// `pair` when they were computed for another target of the same text (and keeping them
    /// there); without `pair.need_vector` the vector may be left out when they were.
    fn mixed_vector(
        &self,
        tokens: &[Token],
        target: &CompiledTarget,
        span: Option<&Range<usize>>,
        others: Option<&OtherMentions>,
        pair: Option<Pair>,
        scratch: &mut Scratch,
    ) {
        let partner = self.mix.and_then(|([a, b], w)| {
            if target.key == GENERIC_TARGET_KEY || w == 0.0 {
                None
            } else if target.key == self.targets[a].key {
                Some((0, a, b, w))
            } else if target.key == self.targets[b].key {
                Some((1, b, a, w))
            } else {
                None
            }
        });
        let Some((slot, own, other, w)) = partner else {
            return self.key_vector(tokens, target, span, others, scratch);
        };
        let mut no_pair = [None; 2];
        let (raw, need_vector) = match pair {
            Some(p) => (p.raw, p.need_vector),
            None => (&mut no_pair, true),
        };
        let p = match raw[1 - slot] {
            Some(p) => p,
            None => {
                self.key_vector(tokens, &self.targets[other], None, others, scratch);
                let p = &scratch.probs;
                let p = [p[0], p[1], p[2]];
                raw[1 - slot] = Some(p);
                p
            }
        };
        // The target's own probabilities are the cached ones only for the named target itself
        // (a caller's target with the same key may have other mentions) without a span.
        let named = span.is_none() && target.same_phrases(&self.targets[own]);
        match raw[slot].filter(|_| named && !need_vector) {
            Some(own) => {
                scratch.probs.clear();
                scratch.probs.extend_from_slice(&own);
            }
            None => {
                self.key_vector(tokens, target, span, others, scratch);
                if named {
                    let p = &scratch.probs;
                    raw[slot] = Some([p[0], p[1], p[2]]);
                }
            }
        }
        mix_mirrored(&mut scratch.probs, &p, w);
    }

    /// The vector toward `target` of the text prepared in `scratch`, and its probabilities.
    fn key_vector(
        &self,
        tokens: &[Token],
        target: &CompiledTarget,
        span: Option<&Range<usize>>,
        others: Option<&OtherMentions>,
        scratch: &mut Scratch,
    ) {
        let q = TargetQuery {
            target,
            span,
            others: &self.targets,
        };
        let column = |h| self.linear.column(h);
        scratch.counts.start(&self.linear);
        self.featurizer.target_columns_into(
            tokens,
            &q,
            others,
            &column,
            self.id,
            &mut scratch.columns,
            &mut scratch.counts,
        );
        let x = if scratch.want_vector {
            Some(&mut scratch.x)
        } else {
            scratch.x.clear();
            None
        };
        self.linear
            .probabilities_from_counts(&mut scratch.counts, x, &mut scratch.probs);
    }

    /// [`StanceModel::vectorize`] by the reference path: every feature hashed by
    /// [`Featurizer::extract`] (as in training), then looked up.
    pub fn vectorize_reference(
        &self,
        text: &str,
        tokens: &[Token],
        target: &CompiledTarget,
        span: Option<&Range<usize>>,
        scratch: &mut Scratch,
    ) {
        let q = TargetQuery {
            target,
            span,
            others: &self.targets,
        };
        self.featurizer.extract(text, tokens, &q, &mut scratch.sink);
        self.linear.vectorize(&scratch.sink.feats, &mut scratch.x);
    }
}

/// The own probabilities of a text toward the two `pair_mix` targets (in `pair_mix` order),
/// once computed, shared by the predictions of one text.
struct Pair<'a> {
    raw: &'a mut [Option<[f32; 3]>; 2],
    /// The prediction needs the target's vector (for explanations).
    need_vector: bool,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The byte range in `text` of the char range `r` (a request's `target_span`), or what is
/// wrong with it.
fn byte_span(text: &str, r: Range<usize>) -> Result<Range<usize>> {
    // ASCII up to the span's end (most texts): its char offsets are byte offsets, with no index
    // of the text's multi-byte chars.
    if r.start < r.end && text.as_bytes().get(..r.end).is_some_and(<[u8]>::is_ascii) {
        return Ok(r);
    }
    byte_span_indexed(text, r)
}

/// [`byte_span`] through a [`CharIndex`] of the whole text.
fn byte_span_indexed(text: &str, r: Range<usize>) -> Result<Range<usize>> {
    let ix = CharIndex::new(text);
    match (ix.byte(r.start), ix.byte(r.end)) {
        (Some(a), Some(b)) if r.start < r.end => Ok(a..b),
        _ if r.start >= r.end => Err(Error::Input(format!(
            "target_span [{}, {}] is empty or reversed (it is [from, to] with from < to, in characters)",
            r.start, r.end
        ))),
        _ => Err(Error::Input(format!(
            "target_span [{}, {}] is not inside the text ({} characters); offsets count characters, not bytes",
            r.start,
            r.end,
            ix.char_len()
        ))),
    }
}

/// `pair_mix`: the probabilities `own` toward one target of the pair (favor, against, none)
/// become `(1 - w) own + w mirror(other)`, where `other` are the same text's toward the other
/// target and `mirror` swaps favor and against. Training scores dev with it too.
pub fn mix_mirrored(own: &mut [f32], other: &[f32; 3], w: f32) {
    for (c, p) in own.iter_mut().enumerate().take(3) {
        *p = (1.0 - w) * *p + w * other[2 - c];
    }
}

/// Runs `f` with this thread's reusable [`Scratch`] (a fresh one if it is in use already).
pub fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Writes `value` as JSON to `path` atomically: to a temporary file beside it, synced, then
/// renamed, so an interrupted run never leaves a half-written file.
pub fn write_json_atomically<T: Serialize>(value: &T, path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("model"),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        serde_json::to_writer(&mut f, value)?;
        f.write_all(b"\n")?;
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Compiles a target by name against `named` targets: a name matching (case-insensitively) a
/// named target's name or alias gets that target; any other name is a generic target mentioned by
/// its own words, with key [`GENERIC_TARGET_KEY`].
pub fn resolve_target(
    tokenizer: &Tokenizer,
    named: &[CompiledTarget],
    name: &str,
) -> CompiledTarget {
    let norm: Vec<String> = tokenizer
        .tokenize(name)
        .into_iter()
        .map(|t| t.norm)
        .collect();
    if let Some(t) = named.iter().find(|t| t.phrases.contains(&norm)) {
        return t.clone();
    }
    // What `CompiledTarget::new` makes of the name alone, from its tokens above.
    CompiledTarget::from_phrases(GENERIC_TARGET_KEY, vec![norm])
}

/// Whether a feature name is the bias feature (`b|bias`, conjoined `KEY|b|bias`).
fn is_bias_name(name: &str) -> bool {
    name == "b|bias" || name.ends_with("|b|bias")
}

/// Compiles a recipe's or model's named targets (keys are the lowercased names).
pub fn compile_targets(tokenizer: &Tokenizer, specs: &[TargetSpec]) -> Vec<CompiledTarget> {
    specs
        .iter()
        .map(|t| CompiledTarget::new(&t.name.to_lowercase(), t, |s| tokenizer.tokenize(s)))
        .collect()
}

type TargetCache = HashMap<Box<str>, Arc<CompiledTarget>, StrState>;

/// Reusable buffers for prediction, and a cache of words' feature columns.
#[derive(Debug, Default)]
pub struct Scratch {
    sink: FeatureSink,
    columns: ColumnScratch,
    counts: ColumnCounts,
    others: OtherMentions,
    probs: Vec<f32>,
    /// The tokens of `prepared_text` (the first `n_tokens`), then tokens kept for their
    /// buffers.
    tokens: Vec<Token>,
    n_tokens: usize,
    /// The model whose [`StanceModel::predict`] left `tokens`, `others` and the prepared
    /// columns in `columns` for `prepared_text` (`None`: they are not known to belong to one
    /// text; anything else that prepares columns resets it).
    prepared: Option<u64>,
    prepared_text: String,
    /// Targets compiled by name, for the model with this id.
    targets: (u64, TargetCache),
    x: SparseVec,
    /// The next vectors go to `x` (for [`StanceModel::vectorize`] and explanations); without
    /// it only the probabilities are computed.
    want_vector: bool,
}

impl Scratch {
    /// The feature vector left by the last [`StanceModel::vectorize`] (sorted by column).
    pub fn vector(&self) -> &SparseVec {
        &self.x
    }

    /// `model.target(name)`, remembered per name.
    fn target(&mut self, model: &StanceModel, name: &str) -> Arc<CompiledTarget> {
        let (owner, cache) = &mut self.targets;
        if *owner != model.id || cache.len() >= 10_000 {
            cache.clear();
            *owner = model.id;
        }
        if let Some(t) = cache.get(name) {
            return Arc::clone(t);
        }
        let t = Arc::new(model.target(name));
        cache.insert(name.into(), Arc::clone(&t));
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_loaded_model_gives_back_the_file_it_was_read_from() {
        let bytes =
            std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default/stance.json"))
                .unwrap();
        let file: StanceModelFile = serde_json::from_slice(&bytes).unwrap();
        let m = StanceModel::from_bytes(&bytes, Path::new("stance.json")).unwrap();
        assert_eq!(
            serde_json::to_string(&m.to_file()).unwrap(),
            serde_json::to_string(&file).unwrap()
        );
        assert!(m.file().model.hashes.is_empty());
        assert_eq!(m.linear().data(), &file.model);
    }

    #[test]
    fn a_generic_target_is_compiled_from_its_name_alone() {
        let m = StanceModel::embedded().unwrap();
        let tok = m.tokenizer();
        for name in [
            "Donald Trump",
            "Trump's",
            "  ",
            "?",
            "Le Pen",
            "\u{4e2d}\u{56fd}",
            "x\u{b}y",
        ] {
            let spec = TargetSpec {
                name: name.to_owned(),
                aliases: Vec::new(),
            };
            let want = CompiledTarget::new(GENERIC_TARGET_KEY, &spec, |s| tok.tokenize(s));
            let got = resolve_target(tok, m.named_targets(), name);
            assert_eq!((got.key, got.phrases), (want.key, want.phrases), "{name:?}");
        }
    }

    #[test]
    fn byte_span_of_ascii_and_wider_texts() {
        assert_eq!(byte_span("zorp blix", 5..9).ok(), Some(5..9));
        assert_eq!(byte_span("zörp blix", 5..9).ok(), Some(6..10));
        assert_eq!(byte_span("blix zörp", 0..4).ok(), Some(0..4));
        assert!(byte_span("blix", 2..2).is_err());
        assert!(byte_span("blix", 2..5).is_err());
        assert!(byte_span("blïx", 2..5).is_err());
    }

    #[test]
    fn bigram_words_only_from_names_that_give_their_hashes() {
        let m = StanceModel::embedded().unwrap();
        let (f, d) = (&m.file().features, m.linear().data());
        assert!(BigramWords::of_model(f, &d.names, &d.hashes, &d.groups).is_some());
        // One word-group name that is not its column's feature: nothing is skipped.
        let j = d.groups.iter().position(|&g| g == 0).unwrap();
        let mut names = d.names.clone();
        names[j].push('x');
        assert!(BigramWords::of_model(f, &names, &d.hashes, &d.groups).is_none());
    }

    proptest! {
        /// The ASCII shortcut gives what the char index gives, errors included.
        #[test]
        fn byte_span_agrees_with_the_char_index(
            text in "[a-z é’\u{1F600}]{0,24}",
            start in 0usize..30,
            end in 0usize..30,
        ) {
            let fast = byte_span(&text, start..end).map_err(|e| e.to_string());
            let slow = byte_span_indexed(&text, start..end).map_err(|e| e.to_string());
            prop_assert_eq!(fast, slow);
        }
    }
}
