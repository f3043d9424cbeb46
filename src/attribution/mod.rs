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
//!
//! The parts, one file each: `doc` (the document as the models read it: tokens, sentences,
//! quotation marks), `cue`, `source` and `content` (each model's candidates and features),
//! `hashing` (feature names hashed into model columns), `decode` (the rules between the scores
//! and the attributions); this file holds the model format, the model and its decoding loop.

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

mod content;
mod cue;
mod decode;
mod doc;
mod hashing;
mod source;

pub use content::*;
pub use cue::*;
pub use decode::*;
pub use doc::*;
pub use hashing::*;
pub use source::*;

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

#[cfg(test)]
mod tests;
