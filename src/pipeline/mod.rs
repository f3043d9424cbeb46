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
mod tests {
    use super::*;
    use crate::Target;
    use proptest::prelude::*;

    /// Pieces that make furniture decisions flip: starts, " ago", colons and digits, sentence
    /// ends, every kind of ASCII whitespace.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            1 => proptest::sample::select(FURNITURE_STARTS.to_vec()).prop_map(str::to_uppercase),
            1 => proptest::sample::select(FURNITURE_STARTS.to_vec()).prop_map(str::to_owned),
            8 => proptest::sample::select(vec![
                " ago", " AGO", "12:30", "1", ":", ".", "!", "?", "\"", "word", "Words", " ",
                "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{1c}", "\u{a0}", "’", "\u{130}",
                "\u{3a3}", "\u{39f}\u{3a3}", "\u{212a}", "\u{2028}", "\u{ff1a}", "Ago",
            ])
            .prop_map(str::to_owned),
        ]
    }

    fn doc(text: &str) -> DocView<'_> {
        DocView::new(
            text,
            &crate::tokenize::Tokenizer::default(),
            &crate::segment::SentenceSplitter::new(),
        )
    }

    fn toks(d: &DocView, from: &str, to: &str) -> Range<usize> {
        let at = |w: &str| {
            d.tokens
                .iter()
                .position(|t| &d.text[t.span.clone()] == w)
                .unwrap()
        };
        at(from)..at(to) + 1
    }

    #[test]
    fn names_come_from_the_mention_not_its_appositive() {
        let d = doc("Rendell, a Clinton surrogate, said so.");
        assert_eq!(
            name_words(&d, &toks(&d, "Rendell", "surrogate"), true),
            ["Rendell"]
        );
        let d = doc("Rep. Jim Jordan (R-Ohio) said so.");
        assert_eq!(
            name_words(&d, &toks(&d, "Rep", ")"), true),
            ["Jim", "Jordan"]
        );
        let d = doc("The Russian Foreign Ministry said so.");
        assert_eq!(
            name_words(&d, &toks(&d, "The", "Ministry"), true),
            ["Russian", "Foreign", "Ministry"]
        );
        let d = doc("Foreign Minister Sergey Lavrov said so.");
        assert_eq!(
            name_words(&d, &toks(&d, "Foreign", "Lavrov"), true),
            ["Sergey", "Lavrov"]
        );
        // Initials keep their dot and hyphenated names their hyphen.
        let d = doc("Edwin G. Monroy said so.");
        assert_eq!(
            name_words(&d, &toks(&d, "Edwin", "Monroy"), true),
            ["Edwin", "G.", "Monroy"]
        );
        let d = doc("AFL-CIO President Doris Crouse-Mays said so.");
        assert_eq!(
            name_words(&d, &toks(&d, "AFL", "Mays"), true),
            ["Doris", "Crouse-Mays"]
        );
        // A common noun before a preposition heads the mention: not the name after it.
        let d = doc("A spokesman for Brenna Tal said so.");
        assert!(speaker_name_words(&d, &toks(&d, "A", "Tal")).is_empty());
        assert_eq!(
            name_words(&d, &toks(&d, "A", "Tal"), true),
            ["Brenna", "Tal"]
        );
        let d = doc("Secretary of State Brenna Tal said so.");
        assert_eq!(
            speaker_name_words(&d, &toks(&d, "Secretary", "Tal")),
            name_words(&d, &toks(&d, "Secretary", "Tal"), true)
        );
    }

    /// A prediction with source `src` and cue `cue` (token ranges), for the naming tests.
    fn said_by(src: Range<usize>, cue: Range<usize>) -> Predicted {
        Predicted {
            cue,
            cue_p: 0.9,
            source: Some(src),
            source_p: 0.9,
            contents: Vec::new(),
            source_why: Vec::new(),
            kind: None,
            source_rule: crate::attribution::SourceRule::Model,
        }
    }

    #[test]
    fn namesakes_are_told_apart_by_given_name_and_title() {
        let w = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        let mut n = Namesakes::default();
        n.add(w("Velin"), 0, true);
        // The first full name completes the bare last name; a fuller one of the same person
        // replaces it; another given name is another person.
        n.add(w("Hillary Velin"), 5, false);
        n.add(w("Hillary Rodham Velin"), 9, false);
        n.add(w("Bill Velin"), 3, true);
        assert_eq!(n.people.len(), 2);
        let full = |words: &str, g| n.resolve(&w(words), g).map(|f| f.join(" "));
        assert_eq!(
            full("Hillary Velin", Gender::Unknown).unwrap(),
            "Hillary Rodham Velin"
        );
        assert_eq!(full("Bill Velin", Gender::Unknown).unwrap(), "Bill Velin");
        // A bare last name: the person of its gender ("Mrs. Velin"), else one a source names
        // in full, first in the text.
        assert_eq!(
            full("Velin", Gender::Female).unwrap(),
            "Hillary Rodham Velin"
        );
        assert_eq!(full("Velin", Gender::Male).unwrap(), "Bill Velin");
        assert_eq!(full("Velin", Gender::Unknown).unwrap(), "Bill Velin");
        // Initials do not make two persons one ("George W." and "Jeb W.").
        let mut n = Namesakes::default();
        n.add(w("George W. Marsk"), 0, true);
        n.add(w("Jeb W. Marsk"), 4, true);
        assert_eq!(n.people.len(), 2);
        // An unknown given name: another person, not the fullest name of the last word.
        assert_eq!(n.resolve(&w("Eric Marsk"), Gender::Unknown), None);
    }

    #[test]
    fn a_document_names_each_namesake_apart() {
        let d = doc(
            "Jeb Marsk said the quay was fine. George W. Marsk said it was not. Mary Marsk was \
             there. Mrs. Marsk said nothing. Neither Hillary Dorrow nor anyone else spoke. Dorrow \
             said neither would.",
        );
        let at = |w: &str, n: usize| {
            d.tokens
                .iter()
                .enumerate()
                .filter(|(_, t)| &d.text[t.span.clone()] == w)
                .nth(n)
                .map(|(i, _)| i)
                .unwrap()
        };
        let said = |n| at("said", n)..at("said", n) + 1;
        let predicted = [
            said_by(at("Jeb", 0)..at("Marsk", 0) + 1, said(0)),
            said_by(at("George", 0)..at("Marsk", 1) + 1, said(1)),
            said_by(at("Mrs", 0)..at("Marsk", 3) + 1, said(2)),
            said_by(at("Marsk", 3)..at("Marsk", 3) + 1, said(2)),
            said_by(at("Dorrow", 1)..at("Dorrow", 1) + 1, said(3)),
        ];
        let canon: Vec<String> = canonical_speakers(&d, &predicted)
            .into_iter()
            .map(|c| c.0)
            .collect();
        // "Mrs. Marsk" is the woman of that name; a bare "Marsk", the first a source names in
        // full; "Dorrow", the name the text gives in full without the sentence's first word.
        assert_eq!(
            canon,
            [
                "Jeb Marsk",
                "George W. Marsk",
                "Mary Marsk",
                "Jeb Marsk",
                "Hillary Dorrow"
            ]
        );
        // A sentence's first word that the text writes in lowercase elsewhere is no name's.
        let d = doc("Neither Hillary Dorrow nor the board spoke. Dorrow said neither would.");
        let mut words = vec!["Neither".to_owned(), "Hillary".into(), "Dorrow".into()];
        drop_initial_word(&d, &(0..3), &mut words);
        assert_eq!(words, ["Hillary", "Dorrow"]);
        // Not a known given name, nor down to a bare last name.
        let mut words = vec!["Bill".to_owned(), "Dorrow".into(), "Jr".into()];
        let d2 = doc("Bill Dorrow Jr said the bill would pass.");
        drop_initial_word(&d2, &(0..3), &mut words);
        assert_eq!(words, ["Bill", "Dorrow", "Jr"]);
        let mut words = vec!["Some".to_owned(), "Democrats".into()];
        let d3 = doc("Some Democrats said some things.");
        drop_initial_word(&d3, &(0..2), &mut words);
        assert_eq!(words, ["Some", "Democrats"]);
    }

    #[test]
    fn headlines_and_datelines_do_not_complete_names() {
        let d = doc(
            "Harbour Board Hits Ilse Marr Over Closure\n\nDORROW Ilse Marr spoke.\n\nShe said so.",
        );
        assert!(title_case(&d, 0));
        assert!(!title_case(&d, 2));
        assert!(all_caps("DORROW") && !all_caps("Marr") && !all_caps("US"));
        let d =
            doc("Harbour Board Hits Ilse Marr Over Closure\n\nMarr said the port would reopen.");
        let marr = d.tokens.iter().rposition(|t| t.norm == "marr").unwrap();
        let predicted = [Predicted {
            cue: marr + 1..marr + 2,
            cue_p: 0.9,
            source: Some(marr..marr + 1),
            source_p: 0.9,
            contents: std::iter::once(marr + 2..d.tokens.len() - 1).collect(),
            source_why: Vec::new(),
            kind: None,
            source_rule: crate::attribution::SourceRule::Model,
        }];
        assert_eq!(canonical_speakers(&d, &predicted)[0].0, "Marr");
    }

    #[test]
    fn names_around_of_and_title_case_phrases() {
        // Each source mention (all of the text before " said") and the name it gives.
        for (text, want) in [
            ("Ivo Marsk of Skarn said it.", "Ivo Marsk"),
            ("Sen. Ilse Marr from Dorrow said it.", "Ilse Marr"),
            ("Secretary of State Brenna Tal said it.", "Brenna Tal"),
            ("Chief of Staff Oskar Velin said it.", "Oskar Velin"),
            ("The Bank of Skarn said it.", ""),
            ("the Harbour Society of Civil Engineers said it.", ""),
            ("Skarn Harbour Board of Trade said it.", ""),
            ("Storm Over Budget said it.", ""),
            (
                "Velnian Harbour Council Deputy Coordinator Mira Varga said it.",
                "Mira Varga",
            ),
            ("Republican Ivo Marsk said it.", "Ivo Marsk"),
            ("House Democrat Ilse Marr said it.", "Ilse Marr"),
            (
                "The Democratic National Convention said it.",
                "Democratic National Convention",
            ),
        ] {
            let d = doc(text);
            let said = d.tokens.iter().position(|t| t.norm == "said").unwrap();
            assert_eq!(name_words(&d, &(0..said), true).join(" "), want, "{text}");
        }
        // A window of the text (completing a bare last name) may start after the title.
        let d = doc("The harbour talks of Secretary of State Brenna Tal went on.");
        let tal = d.tokens.iter().position(|t| t.norm == "tal").unwrap();
        assert_eq!(
            name_words(&d, &(tal - 3..tal + 1), false).join(" "),
            "Brenna Tal"
        );
    }

    #[test]
    fn a_relative_pronoun_names_its_antecedent() {
        let antecedent = |text: &str| {
            let d = doc(text);
            let who = d
                .tokens
                .iter()
                .position(|t| matches!(t.norm.as_str(), "who" | "which" | "that"))
                .unwrap();
            relative_antecedent(&d, &(who..who + 1), &[]).map(|r| {
                d.text[d.tokens[r.start].span.start..d.tokens[r.end - 1].span.end].to_owned()
            })
        };
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            antecedent("The plan was attacked by Ivo Marsk, who cites the cost."),
            some("Ivo Marsk")
        );
        assert_eq!(
            antecedent("It went to Rep. Ilse Marr (D-Vel.), who said no."),
            some("Rep. Ilse Marr")
        );
        assert_eq!(
            antecedent("Among 64 percent who say so, most agree."),
            some("64 percent")
        );
        assert_eq!(
            antecedent("The board released a report that says it is safe."),
            some("a report")
        );
        assert_eq!(
            antecedent("The plan went to the harbour board, which said no."),
            some("the harbour board")
        );
        // Nothing to name: a sentence's start, a number, the end of an appositive.
        assert_eq!(antecedent("Who said so?"), None);
        assert_eq!(antecedent("It came in 2014 that said so."), None);
        assert_eq!(antecedent("Alda Velin, 59, of Dorrow, who said so."), None);
    }

    #[test]
    fn speakers_are_persons_groups_or_organisations() {
        let d = doc(
            "The harbour spokesperson and Russian officials and the White House and \
                     the Harbour Ministry and Ivo Marsk and local police said so.",
        );
        let kind = |from: &str, to: &str, named: bool| referent(&d, &toks(&d, from, to), named);
        assert_eq!(kind("The", "spokesperson", false), Referent::Person);
        assert_eq!(kind("Russian", "officials", false), Referent::Group);
        assert_eq!(kind("the", "House", true), Referent::Org);
        assert_eq!(kind("Harbour", "Ministry", true), Referent::Org);
        assert_eq!(kind("Ivo", "Marsk", true), Referent::Person);
        assert_eq!(kind("local", "police", false), Referent::Org);
        let d =
            doc("A spokesman for the Harbour Ministry and a majority of local traders said so.");
        let kind = |from: &str, to: &str| referent(&d, &toks(&d, from, to), false);
        assert_eq!(kind("A", "Ministry"), Referent::Person);
        assert_eq!(kind("a", "traders"), Referent::Group);
        let d = doc("Mrs. Alda Velin, a spokesman and Mary Orsk and Ivo Tamm met Mr. Tamm.");
        let titled = titled_names(&d);
        let g = |from: &str, to: &str, first: &str, last: &str| {
            gender(
                &d,
                &toks(&d, from, to),
                Some(first),
                Some(&last.to_string()),
                &titled,
            )
        };
        assert_eq!(g("Alda", "Velin", "Alda", "Velin"), Gender::Female);
        assert_eq!(g("a", "spokesman", "", ""), Gender::Male);
        assert_eq!(g("Mary", "Orsk", "Mary", "Orsk"), Gender::Female);
        assert_eq!(g("Ivo", "Tamm", "Ivo", "Tamm"), Gender::Male);
        assert_eq!(g("Ivo", "Ivo", "Ivo", "Ivo"), Gender::Unknown);
        assert_eq!(pronoun_gender("her"), Some(Gender::Female));
        assert_eq!(pronoun_gender("they"), None);
        assert!(pronoun_refers_to("she", Referent::Person));
        assert!(!pronoun_refers_to("she", Referent::Org));
        assert!(pronoun_refers_to("they", Referent::Group));
        assert!(!pronoun_refers_to("they", Referent::Person));
        assert!(pronoun_refers_to("it", Referent::Org));
        assert!(!pronoun_refers_to("it", Referent::Group));
    }

    #[test]
    fn furniture_starts_are_whole_words() {
        assert!(is_furniture("Home"));
        assert!(is_furniture("Share this: Facebook Twitter"));
        assert!(is_furniture("Your email address will not be published."));
        assert!(is_furniture("Required fields are marked *"));
        assert!(!is_furniture(
            "Homeland Security officials said the threat was real."
        ));
        assert!(!is_furniture("Shares of Gazprom fell 3 percent on Monday."));
        assert!(!is_furniture("Menus in Moscow restaurants have changed."));
        assert!(!is_furniture("Relatedly, the ministry said nothing."));
    }

    #[test]
    fn stance_is_asked_only_where_the_document_mentions_the_target() {
        let p = Pipeline::embedded().unwrap();
        let us = "The survey has a margin of error of four points. \"We have to bring the ferries \
                  back,\" Halvard said.";
        let war = "Kyiv said the strikes went on. Russian officials denied it.";
        let nato = Target::new("NATO");
        let scope = |stance_scope| ClassifyOptions {
            stance_scope,
            ..ClassifyOptions::default()
        };
        let (all, doc, sentence) = (
            scope(StanceScope::All),
            scope(StanceScope::Mentioned),
            scope(StanceScope::Sentence),
        );
        assert_eq!(
            ClassifyOptions::default().stance_scope,
            sentence.stance_scope
        );
        // No mention of either target: `none` with certainty, and marked.
        for d in [p.classify(us), p.classify_with(us, &doc)] {
            for s in &d.sentences {
                assert_eq!(s.stance.len(), 2);
                for t in &s.stance {
                    assert_eq!(t.label, Stance::None);
                    assert_eq!(
                        (t.probs.favor, t.probs.against, t.probs.none),
                        (0.0, 0.0, 1.0)
                    );
                    assert!(!t.mentioned, "{t:?}");
                }
            }
        }
        // The model's own probabilities with `All`.
        let d = p.classify_with(us, &all);
        assert!(d
            .sentences
            .iter()
            .all(|s| s.stance.iter().all(|t| !t.mentioned && t.probs.none < 1.0)));
        // A document that mentions both gets the same stance with `Mentioned` and `All`,
        // sentences that do not name a target included.
        let (a, b) = (p.classify_with(war, &doc), p.classify_with(war, &all));
        assert_eq!(a, b);
        assert!(a
            .sentences
            .iter()
            .all(|s| s.stance.iter().all(|t| t.mentioned)));
        // With `Sentence` (the default), only the target each sentence names: Ukraine (Kyiv) in
        // the first, Russia in the second, with the probabilities of the other scopes.
        let c = p.classify(war);
        for (i, named) in [(0, 1), (1, 0)] {
            let (s, t) = (&c.sentences[i], &a.sentences[i]);
            assert_eq!(s.stance[named], t.stance[named]);
            let other = &s.stance[1 - named];
            assert!(!other.mentioned && other.probs.none == 1.0, "{other:?}");
            assert_eq!(other.label, Stance::None);
        }
        // Targets are gated one by one.
        let opts = ClassifyOptions {
            targets: vec![Target::new("Russia"), nato.clone()],
            ..doc.clone()
        };
        let d = p.classify_with(war, &opts);
        let all_d = p.classify_with(
            war,
            &ClassifyOptions {
                stance_scope: StanceScope::All,
                ..opts.clone()
            },
        );
        for (s, t) in d.sentences.iter().zip(&all_d.sentences) {
            assert_eq!(s.stance[0], t.stance[0]);
            assert!(!s.stance[1].mentioned && s.stance[1].probs.none == 1.0);
        }
    }

    proptest! {
        #[test]
        fn furniture_ascii_path_matches_unicode_path(
            pieces in proptest::collection::vec(
                (piece(), proptest::sample::select(vec!["", " ", " ", "\t", "\n", "\u{b}"])),
                0..14,
            ),
            any_text in "\\PC{0,40}",
        ) {
            let joined: String = pieces.iter().map(|(p, sep)| format!("{p}{sep}")).collect();
            for text in [joined, any_text] {
                prop_assert_eq!(is_furniture(&text), is_furniture_unicode(text.trim()), "{:?}", text);
            }
        }
    }
}

#[cfg(test)]
mod send_sync {
    #[test]
    fn pipeline_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<super::Pipeline>();
        check::<super::Document>();
    }
}
