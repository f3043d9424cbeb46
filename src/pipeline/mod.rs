//! One call from article text to labelled sentences: segmentation, attribution, one speaker per
//! sentence with a canonical name, and stance toward each target.
//!
//! The stages after attribution, one file each: `speakers` (one speaker per sentence, and the
//! speaker-confidence features), `canonical` (canonical speakers per document) and `furniture`
//! (page furniture of web captures); this file holds the output types and the pipeline.

use crate::attribution::{
    relative_pronoun, word_in, AttributionModel, DocView, Predicted, WordList, CLAUSE_VERBS,
    NOUN_PHRASE_PREPOSITIONS, RELATIVES,
};
use crate::error::{Error, Result};
use crate::features::{CompiledTarget, JoinedNorms};
use crate::label::Stance;
use crate::model::StrState;
use crate::stance::{with_scratch, StanceModel};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

mod canonical;
mod furniture;
mod speakers;

pub(crate) use canonical::*;
pub use furniture::*;
pub(crate) use speakers::*;

/// A span of the document: character offsets (Unicode code points, end exclusive) and its text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TextSpan {
    /// The text.
    pub text: String,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// Who a sentence is attributed to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Speaker {
    /// The source mention as written.
    pub text: String,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The speaker's canonical name in this document (`Kirby` → `John Kirby`, `he` → the
    /// last person who spoke, `they` → the last group or organisation).
    pub canonical: String,
    /// The probability that this is the sentence's speaker (the annotated source's head word), from
    /// the attribution model's speaker-confidence model: calibrated on PolNeAR dev, it weighs how
    /// the source was found (the source model or a decoding rule), the models' probabilities,
    /// where the source and cue lie and what kind of mention the source is. Models of format
    /// version 4 and older give the source probability times the canonical name's confidence.
    pub confidence: f32,
    /// The features that weighed most for this source (with explanations on).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<Why>,
}

/// Direct quotation, indirect (reported) speech, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// In quotation marks.
    Direct,
    /// Reported speech.
    Indirect,
    /// Reported speech with a quoted part.
    Mixed,
}

/// A character range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CharSpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// The content of the attribution covering a sentence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quote {
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// Content spans.
    pub contents: Vec<CharSpan>,
}

/// One feature's weight in a decision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Why {
    /// The feature, e.g. `russia|w|condemned`.
    pub feature: String,
    /// Its contribution toward the decision.
    pub weight: f32,
}

/// Stance of a sentence toward one target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetStance {
    /// The target's name.
    pub target: String,
    /// The most probable label.
    pub label: Stance,
    /// Probabilities.
    pub probs: Probs,
    /// The features that weighed most (with explanations on).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<Why>,
    /// Whether the sentence ([`StanceScope::Sentence`]) or the document (the other scopes)
    /// mentions the target (its name or an alias). Where it does not, the stance is `none` with
    /// probability 1 and the model is not asked (but with [`StanceScope::All`]); serialized only
    /// when `false`.
    #[serde(skip_serializing_if = "is_true")]
    pub mentioned: bool,
}

fn is_true(b: &bool) -> bool {
    *b
}

/// Which sentences the stance model is asked about a target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StanceScope {
    /// Only sentences that mention the target (its name or one of its aliases). The shipped
    /// model learnt from war tweets and news sentences that name their target (RUW: 98.7% of the
    /// train tweet-target pairs; NewsMTSC: all), so on a sentence that does not it guesses: in
    /// the 840 PolNeAR train articles, 147 of the 215 `against` / `favor` labels toward Russia
    /// that [`StanceScope::Mentioned`] gives fall on sentences that do not name Russia (a closing
    /// blessing, a speaker's aside to the audience).
    #[default]
    Sentence,
    /// Every sentence of the documents that mention the target anywhere. A news article that
    /// never names Russia takes no stance toward it, whatever a model trained on war tweets
    /// makes of its sentences: on PolNeAR dev (US politics, 2016), 231 of the 2,845 sentences in
    /// the 74 articles that never mention Russia came out `against` Russia with
    /// [`StanceScope::All`] ("The survey has a margin of error of four points.").
    Mentioned,
    /// Every sentence of every document: the model's output as it is.
    All,
}

/// Probabilities of the three stance labels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Probs {
    /// Favor.
    pub favor: f32,
    /// Against.
    pub against: f32,
    /// None.
    pub none: f32,
}

/// One sentence of a classified document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SentenceResult {
    /// Index in the document.
    pub sentence: usize,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Byte range in the document.
    #[serde(skip)]
    pub bytes: Range<usize>,
    /// The sentence text.
    pub text: String,
    /// Page furniture (navigation, link lists, timestamps): kept out of speakers and stance.
    pub furniture: bool,
    /// The speaker, or `None` for the author's own voice.
    pub speaker: Option<Speaker>,
    /// The cue of the attribution covering the sentence.
    pub cue: Option<TextSpan>,
    /// The attribution's content.
    pub quote: Option<Quote>,
    /// Stance toward each target, held by the speaker (or the author).
    pub stance: Vec<TargetStance>,
}

/// A classified document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Document {
    /// Sentences in order; together they cover every non-space character.
    pub sentences: Vec<SentenceResult>,
    /// Every attribution found (cue, sources, contents), in Citron's terms.
    pub attributions: Vec<crate::attribution_data::Attribution>,
}

/// Options of a classification.
#[derive(Clone, Debug, Default)]
pub struct ClassifyOptions {
    /// Targets (default: the stance model's named targets).
    pub targets: Vec<crate::Target>,
    /// Number of weighing features to report per decision (0 = none).
    pub explain: usize,
    /// Which documents get a stance toward a target from the model.
    pub stance_scope: StanceScope,
}

/// The models of a whole run: tokenizer and attribution models, and the stance model.
#[derive(Clone, Debug)]
pub struct Pipeline {
    stance: StanceModel,
    attribution: AttributionModel,
}

impl Pipeline {
    /// The default models embedded in the binary.
    pub fn embedded() -> Result<Self> {
        Ok(Self::from_models(
            StanceModel::embedded()?,
            AttributionModel::embedded()?,
        ))
    }

    /// Loads `stance.json` and `attribution.json` from a bundle directory.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        Ok(Self::from_models(
            StanceModel::from_path(&dir.join("stance.json"))?,
            AttributionModel::from_path(&dir.join("attribution.json"))?,
        ))
    }

    /// The stance model.
    pub fn stance(&self) -> &StanceModel {
        &self.stance
    }

    /// Classifies a document toward the model's default targets.
    pub fn classify(&self, text: &str) -> Document {
        self.classify_with(text, &ClassifyOptions::default())
    }

    /// Classifies a document toward `targets`.
    pub fn classify_with_targets(&self, text: &str, targets: &[crate::Target]) -> Document {
        self.classify_with(
            text,
            &ClassifyOptions {
                targets: targets.to_vec(),
                ..ClassifyOptions::default()
            },
        )
    }

    /// Classifies many documents in parallel; results are in input order.
    pub fn classify_batch(&self, texts: &[&str], opts: &ClassifyOptions) -> Vec<Document> {
        texts
            .par_iter()
            .map(|t| self.classify_with(t, opts))
            .collect()
    }

    /// Classifies a document.
    pub fn classify_with(&self, text: &str, opts: &ClassifyOptions) -> Document {
        // Token buffers are reused from one document to the next on each thread.
        thread_local! {
            static TOKENS: std::cell::Cell<Vec<crate::tokenize::Token>> =
                const { std::cell::Cell::new(Vec::new()) };
        }
        let doc = self.attribution.view_reusing(text, TOKENS.take());
        let predicted = self.attribution.predict_with(&doc, opts.explain);
        let furniture: Vec<bool> = doc
            .sentences
            .iter()
            .map(|s| is_furniture(s.text(text)))
            .collect();
        let specs: Vec<crate::Target> = if opts.targets.is_empty() {
            self.stance.file().targets.clone()
        } else {
            opts.targets.clone()
        };
        let targets: Vec<String> = specs.iter().map(|t| t.name.clone()).collect();
        let compiled: Vec<CompiledTarget> =
            specs.iter().map(|t| self.stance.target_spec(t)).collect();
        // Which targets the document mentions anywhere, and the ones the model is asked about.
        let norms = JoinedNorms::new(&doc.tokens);
        let mentioned: Vec<bool> = compiled.iter().map(|t| t.mentioned_in(&norms)).collect();
        let asks = |k: usize| mentioned[k] || opts.stance_scope == StanceScope::All;
        let asked: Vec<usize> = (0..compiled.len()).filter(|&k| asks(k)).collect();
        // The model's own targets when these are they (the default): the stance model's
        // comparisons of a target with its named ones then end at the address.
        let named = self.stance.named_targets();
        let all_named =
            compiled.len() == named.len() && compiled.iter().zip(named).all(|(c, n)| c.same_as(n));
        let subset: Vec<CompiledTarget>;
        let asked_targets: &[CompiledTarget] = if asked.len() < compiled.len() {
            subset = asked.iter().map(|&k| compiled[k].clone()).collect();
            &subset
        } else if all_named {
            named
        } else {
            &compiled
        };
        // With the sentence scope, where each asked target is named (tokens, ascending).
        let mention_tokens: Option<Vec<Vec<usize>>> =
            (opts.stance_scope == StanceScope::Sentence && !asked.is_empty()).then(|| {
                compiled
                    .iter()
                    .enumerate()
                    .map(|(k, t)| {
                        if asks(k) {
                            t.mention_tokens(&norms)
                        } else {
                            Vec::new()
                        }
                    })
                    .collect()
            });
        let speakers = sentence_speakers(&doc, &predicted, &furniture);
        let sentences = with_scratch(|scratch| {
            let mut sentences = Vec::with_capacity(doc.sentences.len());
            for (i, s) in doc.sentences.iter().enumerate() {
                let stext = s.text(text);
                let mut r = SentenceResult {
                    sentence: i,
                    start: s.chars.start,
                    end: s.chars.end,
                    bytes: s.bytes.clone(),
                    text: stext.to_owned(),
                    furniture: furniture[i],
                    speaker: None,
                    cue: None,
                    quote: None,
                    stance: Vec::new(),
                };
                if !r.furniture {
                    if let Some(pi) = speakers.covering[i] {
                        let p = &predicted[pi];
                        let kind = quote_kind(&doc, &p.contents);
                        r.cue = Some(text_span(&doc, &p.cue));
                        if let Some(src) = &p.source {
                            let t = text_span(&doc, src);
                            let (canonical, conf) = speakers.canon[pi].clone();
                            let confidence = self
                                .attribution
                                .speaker_confidence(|emit| {
                                    speaker_features_into(&doc, p, i, conf, kind, emit)
                                })
                                .unwrap_or(p.source_p * conf);
                            r.speaker = Some(Speaker {
                                text: t.text,
                                start: t.start,
                                end: t.end,
                                canonical,
                                confidence: confidence.clamp(0.0, 1.0),
                                why: p
                                    .source_why
                                    .iter()
                                    .map(|(feature, weight)| Why {
                                        feature: feature.clone(),
                                        weight: *weight,
                                    })
                                    .collect(),
                            });
                        }
                        r.quote = Some(Quote {
                            kind,
                            contents: p
                                .contents
                                .iter()
                                .filter(|c| !c.is_empty())
                                .map(|c| {
                                    let sp = doc.char_span(c);
                                    CharSpan {
                                        start: sp.start,
                                        end: sp.end,
                                    }
                                })
                                .collect(),
                        });
                    }
                    // The sentence's tokens, with spans into the whole text.
                    let toks = &doc.tokens[doc.sent_toks[i].clone()];
                    // With the sentence scope, which of the asked targets the sentence names;
                    // the model is asked only when it names one.
                    let in_sentence: Option<Vec<bool>> = mention_tokens.as_ref().map(|m| {
                        let sent = &doc.sent_toks[i];
                        m.iter()
                            .map(|at| {
                                let k = at.partition_point(|&t| t < sent.start);
                                at.get(k).is_some_and(|&t| t < sent.end)
                            })
                            .collect()
                    });
                    let names_none = in_sentence.as_ref().is_some_and(|m| !m.contains(&true));
                    let mut preds = if asked.is_empty() || names_none {
                        Vec::new()
                    } else {
                        self.stance.predict_tokens_many(
                            text,
                            toks,
                            asked_targets,
                            opts.explain,
                            scratch,
                        )
                    }
                    .into_iter();
                    for (k, name) in targets.iter().enumerate() {
                        // (Every asked target's prediction is taken, to keep them in step.)
                        let pred = asks(k).then(|| preds.next()).flatten();
                        let mentioned = in_sentence.as_ref().map_or(mentioned[k], |m| m[k]);
                        let said = in_sentence.is_none() || mentioned;
                        let stance = match pred.filter(|_| said) {
                            Some(p) => TargetStance {
                                target: name.clone(),
                                label: p.label,
                                probs: Probs {
                                    favor: p.probs[Stance::Favor.index()],
                                    against: p.probs[Stance::Against.index()],
                                    none: p.probs[Stance::None.index()],
                                },
                                why: p
                                    .why
                                    .into_iter()
                                    .map(|(feature, weight)| Why { feature, weight })
                                    .collect(),
                                mentioned,
                            },
                            None => TargetStance {
                                target: name.clone(),
                                label: Stance::None,
                                probs: Probs {
                                    favor: 0.0,
                                    against: 0.0,
                                    none: 1.0,
                                },
                                why: Vec::new(),
                                mentioned: false,
                            },
                        };
                        r.stance.push(stance);
                    }
                }
                sentences.push(r);
            }
            sentences
        });
        let attributions = predicted
            .iter()
            .map(|p| crate::attribution::to_attribution(&doc, p))
            .collect();
        TOKENS.set(doc.tokens);
        Document {
            sentences,
            attributions,
        }
    }
}

impl Default for Pipeline {
    /// The embedded default models. They are validated by the test suite, so this cannot fail in
    /// a released build.
    fn default() -> Self {
        Pipeline::embedded().expect("the embedded default models are valid")
    }
}

fn text_span(doc: &DocView, r: &Range<usize>) -> TextSpan {
    let sp = doc.char_span(r);
    let a = doc.tokens[r.start].span.start;
    let b = doc.tokens[r.end - 1].span.end;
    TextSpan {
        text: doc.text[a..b].to_owned(),
        start: sp.start,
        end: sp.end,
    }
}

fn quote_kind(doc: &DocView, contents: &[Range<usize>]) -> QuoteKind {
    let q = |i: usize| matches!(doc.q(i), "\"" | "“" | "”" | "«" | "»");
    let mut toks = contents.iter().flat_map(|c| c.clone());
    let first = toks.clone().next().is_some_and(q);
    match (first, first || toks.any(q)) {
        (true, _) => QuoteKind::Direct,
        (false, true) => QuoteKind::Mixed,
        _ => QuoteKind::Indirect,
    }
}

/// Which attribution speaks each sentence, and each attribution's canonical speaker.
pub(crate) struct SentenceSpeakers {
    /// For each sentence, the attribution covering it ([`covering_attribution`]); `None` for page
    /// furniture.
    pub covering: Vec<Option<usize>>,
    /// For each attribution, its source's canonical name and that name's confidence
    /// ([`canonical_speakers`]).
    pub canon: Vec<(String, f32)>,
}

impl Pipeline {
    /// Builds a pipeline from models already loaded. Articles are segmented for web captures:
    /// a sentence broken across a blank line is joined when it plainly continues.
    pub fn from_models(stance: StanceModel, attribution: AttributionModel) -> Self {
        Pipeline {
            stance,
            attribution: attribution.with_splitter(classify_splitter()),
        }
    }
}

/// The segmentation `classify` reads documents with: sentences join across the blank lines of
/// web captures. The speaker-confidence model is fitted on the sentences it gives.
pub(crate) fn classify_splitter() -> crate::segment::SentenceSplitter {
    crate::segment::SentenceSplitter::new().join_across_blank_lines(true)
}

/// Checks that a bundle directory exists before loading it, naming it in the error.
pub fn check_bundle_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(Error::Input(format!(
            "{}: not a model bundle directory (expected stance.json and attribution.json in it)",
            dir.display()
        )))
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod send_sync {
    #[test]
    fn pipeline_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<super::Pipeline>();
        check::<super::Document>();
    }
}
