//! One call from article text to labelled sentences: segmentation, attribution, one speaker per
//! sentence with a canonical name, and stance toward each target.

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

/// The attribution covering each sentence that is not page furniture, and the canonical
/// speakers.
pub(crate) fn sentence_speakers(
    doc: &DocView,
    predicted: &[Predicted],
    furniture: &[bool],
) -> SentenceSpeakers {
    let canon = canonical_speakers(doc, predicted);
    let meeting = attributions_meeting_sentences(doc, predicted);
    let covering = (0..doc.sent_toks.len())
        .map(|i| {
            if furniture.get(i).copied().unwrap_or(false) {
                None
            } else {
                covering_attribution(doc, predicted, &meeting[i], i)
                    .or_else(|| covering_together(doc, predicted, &canon, &meeting[i], i))
            }
        })
        .collect();
    SentenceSpeakers { covering, canon }
}

/// Features of the speaker-confidence model for sentence `i` spoken by attribution `p`, whose
/// canonical name has confidence `canon_conf` and whose quotation is of `kind` ([`quote_kind`]):
/// how the source was chosen and how sure the models were, where the source and cue lie, what
/// kind of mention the source is. Each goes to `emit` (from one reused buffer: classify scores
/// every sentence's speaker).
pub(crate) fn speaker_features_into(
    doc: &DocView,
    p: &Predicted,
    i: usize,
    canon_conf: f32,
    kind: QuoteKind,
    emit: &mut dyn FnMut(&str),
) {
    const TENTHS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    let mut buf = String::with_capacity(64);
    let mut put = |parts: &[&str]| {
        buf.clear();
        parts.iter().for_each(|s| buf.push_str(s));
        emit(&buf);
    };
    let tenth = |x: f32| TENTHS[((x.clamp(0.0, 1.0) * 10.0) as usize).min(9)];
    let yes_no = |b: bool| if b { "true" } else { "false" };
    let rule = p.source_rule.as_str();
    let sp = tenth(p.source_p);
    put(&["bias"]);
    put(&["rule=", rule]);
    put(&["sp=", sp]);
    put(&["rule|sp=", rule, "|", sp]);
    put(&["cp=", tenth(p.cue_p)]);
    put(&["canon=", tenth(canon_conf)]);
    let kind = match kind {
        QuoteKind::Direct => "Direct",
        QuoteKind::Indirect => "Indirect",
        QuoteKind::Mixed => "Mixed",
    };
    put(&["kind=", kind]);
    let sent = &doc.sent_toks[i];
    let inside = |r: &Range<usize>| r.start < sent.end && sent.start < r.end;
    put(&["cue_in=", yes_no(inside(&p.cue))]);
    if let Some(cue) = doc.tokens.get(p.cue.start) {
        put(&["cue=", &cue.norm]);
    }
    if let Some(src) = p.source.as_ref().filter(|s| s.start < s.end) {
        put(&["src_in=", yes_no(inside(src))]);
        put(&["src_before=", yes_no(src.end <= p.cue.start)]);
        let words = &doc.tokens[src.clone()];
        let n = match words.len() {
            0..=3 => TENTHS[words.len()],
            4..=6 => "4",
            _ => "7",
        };
        put(&["src_len=", n]);
        if words.iter().any(|t| t.norm == ",") {
            put(&["src_comma"]);
        }
        let last = &words[words.len() - 1];
        let mention = if words.len() == 1 && word_in(&PERSONAL, &last.norm) {
            "pronoun"
        } else if words.len() == 1 && word_in(&RELATIVES, &last.norm) {
            "relative"
        } else if doc.text[last.span.clone()].starts_with(char::is_uppercase) {
            "name"
        } else {
            "common"
        };
        put(&["mention=", mention]);
        put(&["mention|rule=", mention, "|", rule]);
    }
}

/// [`speaker_features_into`], collected.
#[cfg(any(feature = "train", test))]
pub(crate) fn speaker_features(
    doc: &DocView,
    p: &Predicted,
    i: usize,
    canon_conf: f32,
) -> Vec<String> {
    let mut out = Vec::with_capacity(16);
    let kind = quote_kind(doc, &p.contents);
    speaker_features_into(doc, p, i, canon_conf, kind, &mut |f| out.push(f.to_owned()));
    out
}

/// For training the speaker-confidence model: each sentence that has a speaker, with the
/// attribution that speaks it and its [`speaker_features`].
#[cfg(feature = "train")]
pub(crate) fn speaker_rows(
    doc: &DocView,
    predicted: &[Predicted],
) -> Vec<(usize, usize, Vec<String>)> {
    let furniture: Vec<bool> = doc
        .sentences
        .iter()
        .map(|s| is_furniture(s.text(doc.text)))
        .collect();
    let speakers = sentence_speakers(doc, predicted, &furniture);
    speakers
        .covering
        .iter()
        .enumerate()
        .filter_map(|(i, pi)| {
            let pi = (*pi)?;
            predicted[pi].source.as_ref()?;
            Some((
                i,
                pi,
                speaker_features(doc, &predicted[pi], i, speakers.canon[pi].1),
            ))
        })
        .collect()
}

/// For each sentence, the attributions (indices into `predicted`, ascending) with a cue, source
/// or content that has a token in it: what [`covering_attribution`] looks at, found once for the
/// document instead of scanning every attribution for every sentence (quadratic: a 5 MB document
/// took minutes).
fn attributions_meeting_sentences(doc: &DocView, predicted: &[Predicted]) -> Vec<Vec<usize>> {
    let mut meeting: Vec<Vec<usize>> = vec![Vec::new(); doc.sent_toks.len()];
    for (pi, p) in predicted.iter().enumerate() {
        let parts = std::iter::once(&p.cue)
            .chain(p.source.as_ref())
            .chain(&p.contents);
        for r in parts.filter(|r| r.start < r.end && r.end <= doc.tok_sent.len()) {
            for s in doc.tok_sent[r.start]..=doc.tok_sent[r.end - 1] {
                if let Some(m) = meeting.get_mut(s) {
                    if m.last() != Some(&pi) {
                        m.push(pi);
                    }
                }
            }
        }
    }
    meeting
}

/// The attribution whose cue, source and content tokens cover the most of sentence `i`, if
/// they cover at least half of its tokens (the reference scorer's rule, on tokens), or else one
/// whose reporting clause follows its content and only trails off ([`inverted_with_tail`]), or
/// one that leaves out only an aside between its source and cue ([`all_but_an_aside`]).
/// `meeting` are the attributions with a part in the sentence, ascending.
fn covering_attribution(
    doc: &DocView,
    predicted: &[Predicted],
    meeting: &[usize],
    i: usize,
) -> Option<usize> {
    covering_half(doc, predicted, meeting, i).or_else(|| {
        meeting.iter().copied().find(|&pi| {
            let sent = &doc.sent_toks[i];
            inverted_with_tail(doc, &predicted[pi], sent)
                || all_but_an_aside(doc, &predicted[pi], sent)
        })
    })
}

/// The attribution covering the most of sentence `i` among those of one speaker that together
/// cover at least half of it, when no single attribution does: "The trade minister Ivo Marsk
/// confirmed that the port would close, warning the board against delay." is Marsk's, though
/// neither of its two attributions covers half of it. One speaker: the same source tokens, or
/// the same canonical name (`canon`, one per attribution).
fn covering_together(
    doc: &DocView,
    predicted: &[Predicted],
    canon: &[(String, f32)],
    meeting: &[usize],
    i: usize,
) -> Option<usize> {
    let sent = &doc.sent_toks[i];
    if meeting.len() < 2 || sent.is_empty() {
        return None;
    }
    let covers = |p: &Predicted, t: usize| {
        p.cue.contains(&t)
            || p.source.as_ref().is_some_and(|r| r.contains(&t))
            || p.contents.iter().any(|r| r.contains(&t))
    };
    let same = |a: usize, b: usize| {
        let (pa, pb) = (&predicted[a], &predicted[b]);
        match (&pa.source, &pb.source) {
            (Some(x), Some(y)) => {
                x == y
                    || canon
                        .get(a)
                        .zip(canon.get(b))
                        .is_some_and(|(x, y)| !x.0.is_empty() && x.0 == y.0)
            }
            _ => false,
        }
    };
    let mut best: Option<(usize, usize)> = None;
    for (k, &a) in meeting.iter().enumerate() {
        let group: Vec<usize> = meeting[k..]
            .iter()
            .copied()
            .filter(|&b| b == a || same(a, b))
            .collect();
        if group.len() < 2 {
            continue;
        }
        let together = sent
            .clone()
            .filter(|&t| group.iter().any(|&b| covers(&predicted[b], t)))
            .count();
        if together * 2 < sent.len() {
            continue;
        }
        for &b in &group {
            let own = sent.clone().filter(|&t| covers(&predicted[b], t)).count();
            if best.is_none_or(|x| own > x.1) {
                best = Some((b, own));
            }
        }
    }
    best.map(|b| b.0)
}

/// Whether `p` covers its sentence but for an aside set off by commas, dashes or parentheses
/// between its source and its cue: "The Velin campaign, which has been shadowed for months by
/// the row over its funding, said that the letters had no bearing on the vote." The reference
/// scorer's half rule leaves such a sentence unattributed when the aside is longer than what
/// was said; a reader sees the campaign's words. Source, cue and content lie inside the
/// sentence, and everything else in it is the aside and punctuation.
fn all_but_an_aside(doc: &DocView, p: &Predicted, sent: &Range<usize>) -> bool {
    let Some(src) = &p.source else {
        return false;
    };
    let inside = |r: &Range<usize>| sent.start <= r.start && r.end <= sent.end && r.start < r.end;
    if !inside(&p.cue) || !inside(src) || src.end >= p.cue.start || p.contents.is_empty() {
        return false;
    }
    if !p.contents.iter().all(|c| inside(c) && c.start >= p.cue.end) {
        return false;
    }
    let covered = |t: usize| {
        p.cue.contains(&t) || src.contains(&t) || p.contents.iter().any(|c| c.contains(&t))
    };
    let word = |t: usize| doc.tokens[t].norm.chars().any(char::is_alphanumeric);
    // Every word left out lies in one run between the source and the cue, that a mark opens
    // right after the source and its partner closes right before the cue.
    let (a, b) = (src.end, p.cue.start);
    let marks = b > a + 2
        && matches!(
            (doc.q(a), doc.q(b - 1)),
            (",", ",") | ("—", "—") | ("–", "–") | ("--", "--") | ("(", ")")
        );
    marks
        && (a + 1..b - 1).any(word)
        && sent
            .clone()
            .filter(|&t| t < a || t >= b)
            .all(|t| covered(t) || !word(t))
}

/// Whether `p` is a sentence's content followed by its reporting clause, with only what the
/// clause trails off into after them: "“We are ready,” Velin told the Gazette on Monday at the
/// port." The reference scorer's half rule leaves such a sentence unattributed when the
/// addressee, time and place outweigh the quotation, where a reader sees Velin's words. The
/// content opens the sentence (or runs into it from the one before), the cue and source follow
/// it with nothing but punctuation between, and both lie inside the sentence.
fn inverted_with_tail(doc: &DocView, p: &Predicted, sent: &Range<usize>) -> bool {
    let Some(src) = &p.source else {
        return false;
    };
    let inside = |r: &Range<usize>| sent.start <= r.start && r.end <= sent.end && r.start < r.end;
    if !inside(&p.cue) || !inside(src) {
        return false;
    }
    let clause = p.cue.start.min(src.start);
    // The content part that meets the sentence must open it: at most an opening quotation
    // mark before it.
    let Some(c) = p
        .contents
        .iter()
        .find(|c| c.start < sent.end && sent.start < c.end)
    else {
        return false;
    };
    let punct = |t: usize| !doc.tokens[t].norm.chars().any(char::is_alphanumeric);
    // A comma or a closing quotation mark sets the clause off: "…,” Velin said", not
    // "… claims Amendment".
    let sets_off = |t: usize| matches!(doc.q(t), "," | "\"" | "”" | "''" | "»" | "’");
    c.start <= sent.start + usize::from(punct(sent.start))
        && c.end <= clause
        && c.start < clause
        && (c.end..clause).all(punct)
        && sets_off(clause - 1)
        && p.contents.iter().all(|o| o.end <= clause)
}

/// The reference scorer's rule alone: the attribution covering the most of sentence `i`, if it
/// covers at least half of its tokens.
fn covering_half(
    doc: &DocView,
    predicted: &[Predicted],
    meeting: &[usize],
    i: usize,
) -> Option<usize> {
    let sent = &doc.sent_toks[i];
    if sent.is_empty() {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    let meets = |r: &Range<usize>| r.start < sent.end && sent.start < r.end;
    for (pi, p) in meeting.iter().map(|&pi| (pi, &predicted[pi])) {
        // An attribution none of whose parts meets the sentence covers none of it.
        if !(meets(&p.cue) || p.source.as_ref().is_some_and(meets) || p.contents.iter().any(meets))
        {
            continue;
        }
        let mut cov = 0;
        for t in sent.clone() {
            let inside = |r: &Range<usize>| r.contains(&t);
            if inside(&p.cue)
                || p.source.as_ref().is_some_and(inside)
                || p.contents.iter().any(inside)
            {
                cov += 1;
            }
        }
        if cov > 0 && best.is_none_or(|b| cov > b.1) {
            best = Some((pi, cov));
        }
    }
    best.filter(|b| b.1 * 2 >= sent.len()).map(|b| b.0)
}

const PERSONAL: WordList = WordList::new(&[
    "he", "she", "him", "her", "his", "i", "we", "they", "who", "it",
]);
const TITLES: WordList = WordList::new(&[
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "president",
    "minister",
    "secretary",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "coordinator",
    "director",
    "chairman",
    "chief",
    "senator",
    "governor",
    "general",
    "ambassador",
    "adviser",
    "advisor",
    "official",
    "leader",
    "prime",
    "foreign",
    "defense",
    "press",
    "professor",
    "prof",
    "admiral",
    "adm",
    "representative",
    "mayor",
    "judge",
    "sheriff",
    "commissioner",
    "rev",
    "reverend",
    "rabbi",
    "pastor",
    "lt",
    "col",
    "sgt",
    "capt",
    "cmdr",
]);

/// What a speaker can be referred back to as: a person ("he", "she", "I"), a group ("they",
/// "we") or an organisation ("they", "we", "it").
#[derive(Clone, Copy, Debug, PartialEq)]
enum Referent {
    Person,
    Group,
    Org,
}

/// Pronouns and the speakers they can refer back to (first-person ones only inside a
/// quotation, where they are its speaker's or the speaker's group's).
fn pronoun_refers_to(pronoun: &str, r: Referent) -> bool {
    match pronoun {
        "he" | "she" | "him" | "her" | "his" => r == Referent::Person,
        "they" => matches!(r, Referent::Group | Referent::Org),
        "it" => r == Referent::Org,
        _ => true,
    }
}

/// What is known of a person's gender, for "he" and "she".
#[derive(Clone, Copy, Debug, PartialEq)]
enum Gender {
    Female,
    Male,
    Unknown,
}

/// The gender a pronoun refers to, for "he", "she" and their other forms.
fn pronoun_gender(pronoun: &str) -> Option<Gender> {
    match pronoun {
        "she" | "her" => Some(Gender::Female),
        "he" | "him" | "his" => Some(Gender::Male),
        _ => None,
    }
}

/// Titles and nouns that name a woman ("Mrs.", "the spokeswoman").
const FEMALE_NOUNS: WordList = WordList::new(&[
    "mrs",
    "ms",
    "miss",
    "madam",
    "woman",
    "spokeswoman",
    "chairwoman",
    "congresswoman",
    "businesswoman",
    "mother",
    "wife",
    "daughter",
    "sister",
    "girl",
    "queen",
    "actress",
    "grandmother",
    "widow",
    "aunt",
    "niece",
    "lady",
    "princess",
    "duchess",
]);

/// Titles and nouns that name a man ("Mr.", "the spokesman").
const MALE_NOUNS: WordList = WordList::new(&[
    "mr",
    "mister",
    "sir",
    "man",
    "spokesman",
    "chairman",
    "congressman",
    "businessman",
    "father",
    "husband",
    "son",
    "brother",
    "boy",
    "king",
    "actor",
    "grandfather",
    "widower",
    "uncle",
    "nephew",
    "prince",
    "duke",
]);

/// Common given names that are nearly always a woman's. A name in neither list says nothing.
const FEMALE_NAMES: WordList = WordList::new(&[
    "mary",
    "patricia",
    "jennifer",
    "linda",
    "elizabeth",
    "barbara",
    "susan",
    "jessica",
    "sarah",
    "karen",
    "nancy",
    "lisa",
    "betty",
    "margaret",
    "sandra",
    "ashley",
    "kimberly",
    "emily",
    "donna",
    "michelle",
    "dorothy",
    "carol",
    "amanda",
    "melissa",
    "deborah",
    "stephanie",
    "rebecca",
    "sharon",
    "laura",
    "cynthia",
    "kathleen",
    "amy",
    "angela",
    "shirley",
    "anna",
    "brenda",
    "pamela",
    "emma",
    "nicole",
    "helen",
    "samantha",
    "katherine",
    "christine",
    "debra",
    "rachel",
    "carolyn",
    "janet",
    "catherine",
    "maria",
    "heather",
    "diane",
    "ruth",
    "julie",
    "olivia",
    "joyce",
    "virginia",
    "victoria",
    "kelly",
    "lauren",
    "christina",
    "joan",
    "evelyn",
    "judith",
    "megan",
    "andrea",
    "cheryl",
    "hannah",
    "jacqueline",
    "martha",
    "gloria",
    "teresa",
    "ann",
    "sara",
    "madison",
    "frances",
    "kathryn",
    "janice",
    "jean",
    "abigail",
    "alice",
    "julia",
    "judy",
    "sophia",
    "grace",
    "denise",
    "amber",
    "doris",
    "marilyn",
    "danielle",
    "beverly",
    "isabella",
    "theresa",
    "diana",
    "natalie",
    "brittany",
    "charlotte",
    "marie",
    "kayla",
    "alexis",
    "lori",
    "hillary",
    "kamala",
    "condoleezza",
    "madeleine",
    "sonia",
    "elena",
    "marine",
    "ursula",
    "nikki",
    "sheryl",
    "valerie",
    "huma",
    "chelsea",
    "melania",
    "ivanka",
    "sheila",
    "rosa",
    "irina",
    "olga",
    "natalia",
    "tatiana",
    "svetlana",
    "yulia",
    "oksana",
    "iryna",
    "anne",
    "claire",
    "kate",
    "jane",
    "susanne",
    "monica",
    "debbie",
    "loretta",
    "kirsten",
    "tammy",
    "mazie",
    "tulsi",
    "carly",
]);

/// Common given names that are nearly always a man's.
const MALE_NAMES: WordList = WordList::new(&[
    "james",
    "robert",
    "john",
    "michael",
    "david",
    "william",
    "richard",
    "joseph",
    "thomas",
    "charles",
    "christopher",
    "daniel",
    "matthew",
    "anthony",
    "mark",
    "donald",
    "steven",
    "paul",
    "andrew",
    "joshua",
    "kenneth",
    "kevin",
    "brian",
    "george",
    "timothy",
    "ronald",
    "edward",
    "jason",
    "jeffrey",
    "ryan",
    "jacob",
    "gary",
    "nicholas",
    "eric",
    "jonathan",
    "stephen",
    "larry",
    "justin",
    "scott",
    "brandon",
    "benjamin",
    "samuel",
    "gregory",
    "alexander",
    "frank",
    "patrick",
    "raymond",
    "jack",
    "dennis",
    "jerry",
    "tyler",
    "aaron",
    "jose",
    "adam",
    "nathan",
    "henry",
    "douglas",
    "zachary",
    "peter",
    "kyle",
    "ethan",
    "walter",
    "noah",
    "jeremy",
    "christian",
    "keith",
    "roger",
    "terry",
    "gerald",
    "harold",
    "sean",
    "austin",
    "carl",
    "arthur",
    "lawrence",
    "dylan",
    "jesse",
    "jordan",
    "bryan",
    "billy",
    "joe",
    "bruce",
    "gabriel",
    "logan",
    "albert",
    "willie",
    "alan",
    "juan",
    "wayne",
    "elijah",
    "randy",
    "roy",
    "vincent",
    "ralph",
    "eugene",
    "russell",
    "bobby",
    "mason",
    "philip",
    "louis",
    "barack",
    "bernie",
    "bill",
    "mitt",
    "ted",
    "marco",
    "jeb",
    "mike",
    "chris",
    "newt",
    "rudy",
    "mitch",
    "chuck",
    "vladimir",
    "sergey",
    "sergei",
    "dmitry",
    "dmitri",
    "volodymyr",
    "oleksii",
    "dmytro",
    "yevgeny",
    "alexei",
    "boris",
    "emmanuel",
    "olaf",
    "rishi",
    "xi",
    "recep",
    "antony",
    "lloyd",
    "jens",
    "jake",
    "ben",
    "tim",
    "tom",
    "bob",
    "jim",
    "dan",
    "pete",
    "rand",
    "lindsey",
]);

/// Last names written after "Mr." or "Mrs."/"Ms." somewhere in the document, with that gender.
fn titled_names(doc: &DocView) -> Vec<(String, Gender)> {
    let mut out = Vec::new();
    for (i, t) in doc.tokens.iter().enumerate() {
        let g = match t.norm.as_str() {
            "mr" => Gender::Male,
            "mrs" | "ms" => Gender::Female,
            _ => continue,
        };
        // The capitalised words after the title (and its dot): the last one is the name's.
        let last = doc.tokens[i + 1..]
            .iter()
            .skip_while(|n| n.norm == ".")
            .take(3)
            .take_while(|n| doc.text[n.span.clone()].starts_with(char::is_uppercase))
            .last();
        if let Some(n) = last {
            out.push((n.norm.clone(), g));
        }
    }
    out
}

/// What a person's mention tells of their gender: a gendered title or noun in it ("Mrs.",
/// "the spokeswoman"), then their given name (`first`, from their fullest mention), then the
/// title their last name has elsewhere in the document ("Mr. Velin").
fn gender(
    doc: &DocView,
    src: &Range<usize>,
    first: Option<&str>,
    last: Option<&String>,
    titled: &[(String, Gender)],
) -> Gender {
    for t in &doc.tokens[mention_core(doc, src)] {
        if word_in(&FEMALE_NOUNS, t.norm.as_str()) {
            return Gender::Female;
        }
        if word_in(&MALE_NOUNS, t.norm.as_str()) {
            return Gender::Male;
        }
    }
    if let Some(f) = first.map(str::to_lowercase) {
        if word_in(&FEMALE_NAMES, &f) {
            return Gender::Female;
        }
        if word_in(&MALE_NAMES, &f) {
            return Gender::Male;
        }
    }
    let last = last.map(|l| l.to_lowercase());
    titled
        .iter()
        .find(|(n, _)| Some(n) == last.as_ref())
        .map_or(Gender::Unknown, |&(_, g)| g)
}

/// Words for a part of a group ("a majority of voters", "most of them").
const QUANTITIES: WordList = WordList::new(&[
    "majority",
    "minority",
    "percent",
    "number",
    "quarter",
    "half",
    "third",
    "most",
    "many",
    "some",
    "all",
    "none",
    "few",
    "several",
    "each",
    "one",
    "two",
    "three",
    "dozens",
    "hundreds",
    "thousands",
    "millions",
    "share",
    "group",
]);

/// Words for groups of people that take no plural "s" ("people", "staff").
const GROUP_NOUNS: WordList = WordList::new(&[
    "people", "staff", "crew", "public", "military", "percent", "those", "many", "some", "all",
    "anyone", "everyone",
]);

/// Whether a source mention is a person, a group or an organisation: an organisation's head
/// ("ministry") or a name after "the" ("the Kremlin", "the White House"); a group a plural
/// description ("Russian officials", "analysts"); a person any other name or description
/// ("Kirby", "the spokesperson").
fn referent(doc: &DocView, src: &Range<usize>, named: bool) -> Referent {
    let mut core = mention_core(doc, src);
    // "a spokesman for the board" is a person, but "a majority of voters" are voters.
    if let Some(k) = common_head_end(doc, &core).filter(|&k| {
        doc.tokens[k].norm != "of" || !word_in(&QUANTITIES, doc.tokens[k - 1].norm.as_str())
    }) {
        core.end = k;
    }
    let (first, last) = match core.clone().next() {
        Some(f) => (
            doc.tokens[f].norm.as_str(),
            doc.tokens[core.end - 1].norm.as_str(),
        ),
        None => return Referent::Person,
    };
    let last_orig = &doc.text[doc.tokens[core.end - 1].span.clone()];
    if word_in(&ORG_HEADS, last) || (named && first == "the") {
        Referent::Org
    } else if !named
        && !last_orig.starts_with(char::is_uppercase)
        && ((last.len() > 3 && last.ends_with('s') && !last.ends_with("ss"))
            || word_in(&GROUP_NOUNS, last))
    {
        Referent::Group
    } else {
        Referent::Person
    }
}

/// The full names of a document's persons that share a last name ("Hillary Clinton", "Bill
/// Clinton").
#[derive(Debug, Default)]
struct Namesakes {
    /// Each person's fullest name (given names, then the last name), whether a source names
    /// them in full, and the token where the text first names them; a bare last name only while
    /// no full name is known.
    people: Vec<(Vec<String>, bool, usize)>,
}

impl Namesakes {
    /// The person named `words` (a full name): one whose given names share a word with these
    /// that is not an initial ("Donald J. Trump" and "Donald Trump", not "Jeb Bush" and "George
    /// W. Bush").
    fn find(&self, words: &[String]) -> Option<usize> {
        let given = &words[..words.len() - 1];
        self.people.iter().position(|(p, ..)| {
            p.len() > 1
                && p[..p.len() - 1].iter().any(|a| {
                    a.chars().count() > 1
                        && !a.ends_with('.')
                        && given.iter().any(|b| a.eq_ignore_ascii_case(b))
                })
        })
    }

    /// Adds a mention's name words, at token `at`, named by a source or not: a fuller name of
    /// a person replaces the shorter one, and the first full name completes a bare last name.
    fn add(&mut self, words: Vec<String>, at: usize, source: bool) {
        if words.len() < 2 {
            if self.people.is_empty() {
                self.people.push((words, false, at));
            }
            return;
        }
        let k = match self.find(&words) {
            Some(k) => k,
            None => match self.people.iter().position(|(p, ..)| p.len() < 2) {
                Some(k) => k,
                None => {
                    self.people.push((Vec::new(), false, at));
                    self.people.len() - 1
                }
            },
        };
        let (full, by_source, first) = &mut self.people[k];
        if words.len() > full.len() {
            *full = words;
        }
        *by_source |= source;
        *first = (*first).min(at);
    }

    /// The full name a mention's words stand for: its own person's for a full name; for a bare
    /// last name, among the persons of `gender` if any, one a source names in full if any, the
    /// one the text names first.
    fn resolve(&self, words: &[String], gender: Gender) -> Option<&[String]> {
        if words.len() > 1 {
            return self.find(words).map(|k| self.people[k].0.as_slice());
        }
        let of_gender = |p: &[String]| {
            gender == Gender::Unknown || given_gender(p.first().map(String::as_str)) == gender
        };
        let any_of_gender = self.people.iter().any(|(p, ..)| of_gender(p));
        self.people
            .iter()
            .filter(|(p, ..)| !any_of_gender || of_gender(p))
            .min_by_key(|&&(_, source, first)| (!source, first))
            .map(|(p, ..)| p.as_slice())
    }
}

/// Whether the document writes word `norm` in lowercase somewhere.
fn written_in_lowercase(doc: &DocView, norm: &str) -> bool {
    doc.tokens
        .iter()
        .any(|t| t.norm == norm && doc.text[t.span.clone()].starts_with(char::is_lowercase))
}

/// Drops the first of a name's `words` (read from tokens `r`) when it is capitalised only for
/// opening its sentence ("Telling Jeb Bush …", "Neither Hillary Clinton nor …"): a word the
/// document writes in lowercase elsewhere, no known given name, and two name words after it
/// (not "Some Democrats", "White America").
fn drop_initial_word(doc: &DocView, r: &Range<usize>, words: &mut Vec<String>) {
    if words.len() < 3 || given_gender(Some(&words[0])) != Gender::Unknown {
        return;
    }
    let Some(k) = r
        .clone()
        .find(|&k| doc.text[doc.tokens[k].span.clone()] == words[0])
    else {
        return;
    };
    let sent = &doc.sent_toks[doc.tok_sent[k]];
    let opens = (sent.start..k).all(|j| doc.tokens[j].is_punct());
    if opens && written_in_lowercase(doc, doc.tokens[k].norm.as_str()) {
        words.remove(0);
    }
}

/// The gender a given name is known to be of ([`FEMALE_NAMES`], [`MALE_NAMES`]).
fn given_gender(first: Option<&str>) -> Gender {
    match first.map(str::to_lowercase) {
        Some(f) if word_in(&FEMALE_NAMES, &f) => Gender::Female,
        Some(f) if word_in(&MALE_NAMES, &f) => Gender::Male,
        _ => Gender::Unknown,
    }
}

/// A canonical name and a confidence for each attribution's source: names are grouped by their
/// last word and given names and named by the fullest mention (titles dropped), a bare last
/// name by the person of that name whom a source names in full, else the one the text names
/// first (of the mention's gender, when its title or noun tells it: "Mrs. Clinton"); a pronoun
/// takes the most recent speaker it can refer to ("he" a person, "they" a group or an
/// organisation, "it" an organisation), or stays itself.
fn canonical_speakers(doc: &DocView, predicted: &[Predicted]) -> Vec<(String, f32)> {
    // The persons of each last word.
    let mut names: Vec<Namesakes> = Vec::new();
    let mut out = Vec::with_capacity(predicted.len());
    // The most recent speaker of each kind (person, group, organisation), with its position.
    let mut recent: [Option<(usize, String)>; 3] = [None, None, None];
    // The persons who spoke, most recent last, with what is known of their gender and whether
    // they are named, for "he" and "she" to pass over one they cannot refer to.
    let mut persons: Vec<(usize, String, Gender, bool)> = Vec::new();
    // Read from the text only when a person speaks.
    let mut titled: Option<Vec<(String, Gender)>> = None;
    // The index of each last word in `names`.
    let mut index: HashMap<String, usize, StrState> = HashMap::default();
    // Each source as named: a relative pronoun's antecedent ("Ilse Marr, who said …").
    let sources: Vec<Option<Range<usize>>> = predicted
        .iter()
        .map(|p| {
            p.source
                .as_ref()
                .map(|s| relative_antecedent(doc, s, predicted).unwrap_or_else(|| s.clone()))
        })
        .collect();
    // Each source's name words, read once for the first pass and the last.
    let mut source_words: Vec<Option<Vec<String>>> = sources
        .iter()
        .map(|s| {
            s.as_ref().map(|s| {
                let mut w = speaker_name_words(doc, s);
                drop_initial_word(doc, s, &mut w);
                w
            })
        })
        .collect();
    // First pass: the persons of each last word the sources name.
    for (words, src) in source_words.iter().zip(&sources) {
        let (Some(words), Some(src)) = (words, src) else {
            continue;
        };
        if let Some(last) = words.last() {
            let key = last.to_lowercase();
            let k = *index.entry(key).or_insert_with(|| {
                names.push(Namesakes::default());
                names.len() - 1
            });
            names[k].add(words.clone(), src.start, true);
        }
    }
    // Names written out anywhere in the text ("John Kirby") complete a bare last name, make a
    // person's name fuller, or are another person of that last name. All names in one pass over
    // the tokens.
    if !names.is_empty() {
        for (i, t) in doc.tokens.iter().enumerate() {
            // A name's last word is capitalised (name words are): the look-up only for those.
            if !doc.text[t.span.clone()].starts_with(char::is_uppercase) {
                continue;
            }
            let Some(&k) = index.get(t.norm.as_str()) else {
                continue;
            };
            let sent_start = doc.sent_toks[doc.tok_sent[i]].start.min(i);
            let span = i.saturating_sub(3).max(sent_start)..i + 1;
            // Only capitalised tokens become name words: with none before this one, it is a
            // bare last name.
            if !doc.tokens[span.start..i]
                .iter()
                .any(|t| doc.text[t.span.clone()].starts_with(char::is_uppercase))
            {
                continue;
            }
            let mut words = name_words(doc, &span, false);
            drop_initial_word(doc, &span, &mut words);
            if words.len() > 1
                && words.last().is_some_and(|w| w.to_lowercase() == t.norm)
                && !words.iter().any(|w| all_caps(w))
                && !title_case(doc, doc.tok_sent[i])
            {
                names[k].add(words, i, false);
            }
        }
    }
    for ((p, src), words) in predicted.iter().zip(&sources).zip(&mut source_words) {
        let Some(src) = src else {
            out.push((String::new(), 0.0));
            continue;
        };
        let raw = doc.tokens[src.clone()]
            .iter()
            .map(|t| t.norm.as_str())
            .collect::<Vec<_>>();
        if raw.len() == 1 && word_in(&PERSONAL, raw[0]) {
            // "I" and "we" outside quotation marks are the author's.
            let author = matches!(raw[0], "i" | "we") && !doc.in_quote[src.start];
            let antecedent = match pronoun_gender(raw[0]) {
                // The most recent person, unless known to be of the other gender; then one of
                // the three before that of this gender, or a named one of no known gender
                // (else the pronoun stays unresolved).
                Some(g) => persons
                    .iter()
                    .rev()
                    .take(4)
                    .enumerate()
                    .find(|(j, (_, _, pg, named))| {
                        *pg == g || (*pg == Gender::Unknown && (*j == 0 || *named))
                    })
                    .map(|(_, (_, n, _, _))| n),
                None => [Referent::Person, Referent::Group, Referent::Org]
                    .into_iter()
                    .filter(|&r| !author && pronoun_refers_to(raw[0], r))
                    .filter_map(|r| recent[r as usize].as_ref())
                    .max_by_key(|(at, _)| *at)
                    .map(|(_, n)| n),
            };
            match antecedent {
                Some(n) => out.push((n.clone(), 0.6)),
                None => out.push((text_span(doc, src).text, 0.3)),
            }
            continue;
        }
        let words = words.take().unwrap_or_else(|| speaker_name_words(doc, src));
        let full = words.last().and_then(|last| {
            index.get(&last.to_lowercase()).and_then(|&k| {
                // The mention's own gender ("Mrs.", "the spokeswoman") chooses among namesakes.
                let own = if words.len() == 1 && names[k].people.len() > 1 {
                    gender(doc, src, None, None, &[])
                } else {
                    Gender::Unknown
                };
                names[k].resolve(&words, own)
            })
        });
        let name = match words.last() {
            Some(_) => (full.unwrap_or(&words).join(" "), 0.9),
            None => {
                let core = mention_core(doc, src);
                let core = if core.is_empty() { src.clone() } else { core };
                (text_span(doc, &core).text, 0.7)
            }
        };
        // What "which" and "that" refer to is no person ("the port board, which said …").
        let relative = p.source.as_ref().filter(|o| *o != src);
        let kind = match relative.map(|o| doc.tokens[o.start].norm.as_str()) {
            Some("which" | "that") => Referent::Org,
            _ => referent(doc, src, !words.is_empty()),
        };
        if kind == Referent::Person {
            let first = full.map_or(words.first(), |f| f.first());
            let titled = titled.get_or_insert_with(|| titled_names(doc));
            let g = gender(doc, src, first.map(String::as_str), words.last(), titled);
            persons.push((out.len(), name.0.clone(), g, !words.is_empty()));
        }
        recent[kind as usize] = Some((out.len(), name.0.clone()));
        out.push(name);
    }
    out
}

/// Whether a word is in capitals, three letters or more ("DORROW" of a dateline).
fn all_caps(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !w.chars().any(char::is_lowercase)
}

/// Whether a sentence is a headline in title case: four words or more of four letters or more,
/// none in lowercase ("Internal Harbour Board Records Show …"). Its capitalised words are not
/// all names.
fn title_case(doc: &DocView, si: usize) -> bool {
    let mut long = 0;
    for t in &doc.tokens[doc.sent_toks[si].clone()] {
        let w = &doc.text[t.span.clone()];
        if w.chars().count() >= 4 && w.chars().all(char::is_alphabetic) {
            if w.starts_with(char::is_lowercase) {
                return false;
            }
            long += 1;
        }
    }
    long >= 4
}

/// Words that end an antecedent read backwards, besides the noun phrase's prepositions and a
/// clause's verbs: other prepositions, conjunctions and relative pronouns.
const ANTECEDENT_STOPS: WordList = WordList::new(&[
    "among", "to", "and", "or", "but", "than", "like", "as", "that", "which", "who",
]);

/// The noun phrase a relative-pronoun source refers to: the words before it (and its comma) up
/// to a preposition, a conjunction, a clause verb, a cue, a comma or the sentence start, at most
/// six, stepping over a parenthesis ("by Rep. Ilse Marr (D-Vel.), who" → Rep. Ilse Marr; "64
/// percent who say" → 64 percent). `None` for any other source, or when no word is there
/// ("That is what …").
fn relative_antecedent(
    doc: &DocView,
    src: &Range<usize>,
    predicted: &[Predicted],
) -> Option<Range<usize>> {
    if !relative_pronoun(doc, src) {
        return None;
    }
    let sent = doc.sent_of(src);
    let mut end = src.start;
    if end > sent.start && doc.tokens[end - 1].norm == "," {
        end -= 1;
    }
    if end > sent.start && doc.tokens[end - 1].norm == ")" {
        let open = (sent.start.max(end.saturating_sub(12))..end - 1)
            .rev()
            .find(|&k| doc.tokens[k].norm == "(")?;
        end = open;
    }
    let mut start = end;
    while start > sent.start && end - start < 6 {
        let t = &doc.tokens[start - 1];
        let n = t.norm.as_str();
        let word = doc.text[t.span.clone()].starts_with(char::is_alphanumeric);
        // A past verb in lowercase ends it too ("Velin released | a report that said …").
        let past = n.len() > 4
            && n.ends_with("ed")
            && doc.text[t.span.clone()].starts_with(char::is_lowercase);
        if !(word || matches!(n, "." | "-" | "'s" | "’s"))
            || word_in(&ANTECEDENT_STOPS, n)
            || word_in(&NOUN_PHRASE_PREPOSITIONS, n)
            || word_in(&CLAUSE_VERBS, n)
            || past
            || predicted.iter().any(|p| p.cue.contains(&(start - 1)))
        {
            break;
        }
        start -= 1;
    }
    // Not from a dot or a hyphen left at its start.
    while start < end
        && !doc.text[doc.tokens[start].span.clone()].starts_with(char::is_alphanumeric)
    {
        start += 1;
    }
    // Not a number alone ("an email in 2014 that …"), nor the end of a list or an appositive
    // ("Velin, 59, of Dorrow, Vel., who …", "Velin, 59, of Dorrow, who …").
    let number = (start..end).all(|k| doc.tokens[k].norm.bytes().all(|b| b.is_ascii_digit()));
    let after_comma = start > sent.start
        && (doc.tokens[start - 1].norm == ","
            || (start > sent.start + 1
                && doc.tokens[start - 1].norm == "of"
                && doc.tokens[start - 2].norm == ","));
    // Nor a word's piece after an apostrophe ("Marsk’s who", "It’s a rare pilot who").
    let piece =
        start > sent.start && matches!(&doc.text[doc.tokens[start - 1].span.clone()], "'" | "’");
    (start < end && !number && !after_comma && !piece).then_some(start..end)
}

/// Last words of organisations' names, which keep the words before them ("the Russian Foreign
/// Ministry" is not "Ministry").
const ORG_HEADS: WordList = WordList::new(&[
    "ministry",
    "department",
    "council",
    "committee",
    "office",
    "agency",
    "government",
    "court",
    "party",
    "commission",
    "service",
    "administration",
    "campaign",
    "bureau",
    "institute",
    "foundation",
    "association",
    "union",
    "center",
    "centre",
    "board",
    "army",
    "forces",
    "command",
    "police",
    "embassy",
    "press",
    // Bodies and documents that speak as "it" ("A UN panel, which said …").
    "panel",
    "group",
    "company",
    "firm",
    "network",
    "newspaper",
    "poll",
    "survey",
    "report",
    "study",
]);

/// The mention itself within a source span: before an appositive or relative clause set off by a
/// comma ("Rendell, a Clinton surrogate," → Rendell) and without a closing parenthetical ("Rep.
/// Jim Jordan (R-Ohio)" → Rep. Jim Jordan).
fn mention_core(doc: &DocView, src: &Range<usize>) -> Range<usize> {
    let mut end = src.end;
    let mut depth = 0usize;
    for i in src.clone() {
        match doc.tokens[i].norm.as_str() {
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            "," if depth == 0 && i > src.start => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    if end > src.start + 1 && doc.tokens[end - 1].norm == ")" {
        if let Some(open) = (src.start + 1..end - 1)
            .rev()
            .find(|&k| doc.tokens[k].norm == "(")
        {
            end = open;
        }
    }
    src.start..end
}

/// Where a mention's head, a common noun, ends before a preposition that continues it: "a
/// spokesman | for Brenna Tal", "the report | of the closure of a bridge over the Brenn",
/// "officials | with the port board". The name after it is not the speaker's.
fn common_head_end(doc: &DocView, core: &Range<usize>) -> Option<usize> {
    (core.start + 1..core.end).find(|&k| {
        let before = &doc.text[doc.tokens[k - 1].span.clone()];
        word_in(&NOUN_PHRASE_PREPOSITIONS, doc.tokens[k].norm.as_str())
            && before.starts_with(char::is_lowercase)
    })
}

/// A source mention's name words ([`name_words`]), none when its head is a common noun before a
/// preposition: "a spokesman for Brenna Tal" is not Brenna Tal.
fn speaker_name_words(doc: &DocView, src: &Range<usize>) -> Vec<String> {
    if common_head_end(doc, &mention_core(doc, src)).is_some() {
        return Vec::new();
    }
    name_words(doc, src, true)
}

/// The capitalized name at the end of a source mention, without leading titles:
/// "Velnian Harbour Council Deputy Communications Coordinator Mira Varga" → Mira Varga;
/// an organisation keeps its whole name ("The Russian Foreign Ministry" → Russian Foreign
/// Ministry).
fn name_words(doc: &DocView, src: &Range<usize>, mention: bool) -> Vec<String> {
    let src = &mention_core(doc, src);
    let org = src.end > src.start && word_in(&ORG_HEADS, doc.tokens[src.end - 1].norm.as_str());
    let max = if org { 5 } else { 3 };
    let mut words: Vec<String> = Vec::new();
    // The dot or hyphen right after the word being read, and where it starts: written with the
    // word when it touches it ("Edwin G. Monroy"), a hyphen only between two words
    // ("Doris Crouse-Mays").
    let mut glue: Option<(&str, usize)> = None;
    // Where the words read start (the last token read).
    let mut first = src.end;
    let capital = |i: usize| doc.text[doc.tokens[i].span.clone()].starts_with(char::is_uppercase);
    let mut i = src.end;
    while i > src.start {
        i -= 1;
        let t = &doc.tokens[i];
        let orig = &doc.text[t.span.clone()];
        if t.is_punct() {
            let joins_next = || {
                !words.is_empty()
                    && doc
                        .tokens
                        .get(i + 1)
                        .is_some_and(|n| n.span.start == t.span.end)
            };
            glue = match orig {
                "." => Some((orig, t.span.start)),
                "-" if joins_next() => Some((orig, t.span.start)),
                "-" => None,
                _ => break,
            };
            continue;
        }
        // A preposition in capitals inside the mention: a phrase in title case ("Storm Over
        // Budget", a headline's), not a name, so no name words (the canonical name is the whole
        // mention).
        if mention
            && !words.is_empty()
            && capital(i)
            && (word_in(&NOUN_PHRASE_PREPOSITIONS, t.norm.as_str()) || t.norm == "and")
        {
            return Vec::new();
        }
        // "Skarn Harbour Board of Trade": an organisation's name, whole.
        if mention
            && !words.is_empty()
            && t.norm == "of"
            && i > src.start
            && capital(i - 1)
            && word_in(&ORG_HEADS, doc.tokens[i - 1].norm.as_str())
        {
            return Vec::new();
        }
        // "Ivo Marsk of Skarn", "Sen. Ilse Marr from Dorrow": a person's name before the place
        // (two or three capitalised words, after the mention's start, a title or a lowercase
        // word that is not an article: not "the Harbour Society of Engineers").
        if mention && !words.is_empty() && matches!(t.norm.as_str(), "of" | "from") {
            let name_word = |k: usize| {
                capital(k)
                    && !doc.tokens[k].is_punct()
                    && !word_in(&TITLES, doc.tokens[k].norm.as_str())
                    && crate::attribution::plausible_source(doc, &(k..k + 1))
            };
            let mut k = i;
            let mut n = 0;
            while k > src.start && (name_word(k - 1) || doc.tokens[k - 1].norm == ".") {
                k -= 1;
                n += usize::from(!doc.tokens[k].is_punct());
            }
            let opens = k == src.start
                || word_in(&TITLES, doc.tokens[k - 1].norm.as_str())
                || (!capital(k - 1)
                    && !doc.tokens[k - 1].is_punct()
                    && !matches!(doc.tokens[k - 1].norm.as_str(), "the" | "a" | "an"));
            if (2..=3).contains(&n) && opens {
                words.clear();
                glue = None;
                first = i;
                continue;
            }
        }
        if !capital(i)
            || (!org && word_in(&TITLES, t.norm.as_str()))
            || !(orig.chars().count() == 1
                || crate::attribution::plausible_source(doc, &(i..i + 1)))
        {
            break;
        }
        first = i;
        match glue.take().filter(|&(_, at)| at == t.span.end) {
            Some(("-", _)) => {
                if let Some(w) = words.last_mut() {
                    *w = format!("{orig}-{w}");
                }
                continue;
            }
            Some((".", _)) if orig.chars().count() == 1 => words.push(format!("{orig}.")),
            _ => words.push(orig.to_owned()),
        }
        if words.len() == max {
            break;
        }
    }
    words.reverse();
    // A party before a person's name: "Republican Donald Trump", "Democrat Ilse Marr" (two name
    // words after it, none of an institution's: not "Democratic National Convention").
    if !org
        && words.len() == 3
        && matches!(
            words[0].to_lowercase().as_str(),
            "republican" | "democrat" | "democratic" | "gop"
        )
        && !words[1..].iter().any(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "national"
                    | "convention"
                    | "congress"
                    | "caucus"
                    | "leadership"
                    | "conference"
                    | "senate"
                    | "house"
                    | "establishment"
                    | "primary"
                    | "debate"
            )
        })
    {
        words.remove(0);
    }
    // After "of", the words are a title's or an organisation's: "Secretary of State | John
    // Kerry" (the name is what follows the title's last word), "Bank of | Skarn" (no name
    // alone: the whole mention).
    // (Read past the start of a window of the text, which may cut the title.)
    let low = if mention { src.start } else { 0 };
    if !org
        && first > low + 1
        && doc.tokens[first - 1].norm == "of"
        && !capital(first - 1)
        && capital(first - 2)
    {
        if words.len() >= 3 {
            words.remove(0);
        } else {
            words.clear();
        }
    }
    words
}

/// How page furniture starts (compared in lowercase).
const FURNITURE_STARTS: &[&str] = &[
    "see also",
    "read more",
    "related",
    "share",
    "comments",
    "leave a comment",
    "subscribe",
    "sign up",
    "follow us",
    "advertisement",
    "click here",
    "tags:",
    "posted in",
    "copyright",
    "©",
    "all rights reserved",
    "log in",
    "login",
    "menu",
    "home",
    "watch:",
    "also read",
    "leave a reply",
    "your email address will",
    "required fields are",
    "notify me of",
    "you may also like",
    "filed under",
    "previous post",
    "next post",
    "similar posts",
];

/// Whether lowercase `lower` starts with the furniture start `p` as whole words ("home" starts
/// "Home | News" but not "Homeland Security said …", "share" not "Shares fell"): the
/// reference for `starts_with_words_lowercased`.
#[cfg(test)]
fn starts_with_words(lower: &str, p: &str) -> bool {
    lower.starts_with(p)
        && (!p.ends_with(|c: char| c.is_alphanumeric())
            || !lower[p.len()..].starts_with(|c: char| c.is_alphanumeric()))
}

/// Whether the lowercase of `t` starts with the furniture start `p` (lowercase) as whole words
/// ("home" starts "Home | News" but not "Homeland Security said …", "share" not "Shares
/// fell"), lowercasing only the chars it reads.
fn starts_with_words_lowercased(t: &str, p: &str) -> bool {
    let mut lower = t.chars().flat_map(char::to_lowercase);
    p.chars().all(|c| lower.next() == Some(c))
        && (!p.ends_with(|c: char| c.is_alphanumeric())
            || !lower.next().is_some_and(char::is_alphanumeric))
}

/// Page furniture: short lines without sentence punctuation that read like navigation, link
/// lists, share buttons, timestamps or comment forms.
pub fn is_furniture(s: &str) -> bool {
    let t = s.trim();
    if !t.is_ascii() {
        return is_furniture_any(t);
    }
    // ASCII text: lowercasing is ASCII lowercasing, so compare in place (the same decisions as
    // `is_furniture_unicode`, which a test checks).
    let b = t.as_bytes();
    let starts = |p: &str| {
        b.len() >= p.len()
            && b[..p.len()].eq_ignore_ascii_case(p.as_bytes())
            && (!p.as_bytes()[p.len() - 1].is_ascii_alphanumeric()
                || !b.get(p.len()).is_some_and(u8::is_ascii_alphanumeric))
    };
    // Most sentences start with a letter no furniture start has.
    let first = b.first().map(u8::to_ascii_lowercase);
    if FURNITURE_STARTS
        .iter()
        .any(|p| Some(p.as_bytes()[0]) == first && starts(p))
    {
        return true;
    }
    // `split_whitespace` on ASCII: tab, newline, vertical tab, form feed, return, space. Only
    // "at most 3, 6 or 8 words" matters.
    let words = b
        .split(|c| matches!(c, 0x09..=0x0D | b' '))
        .filter(|w| !w.is_empty())
        .take(9)
        .count();
    let ends_sentence = matches!(b.last(), Some(b'.' | b'!' | b'?' | b'"' | b'\'' | b':'));
    let has_digit_time = (words <= 8 && b.windows(4).any(|w| w.eq_ignore_ascii_case(b" ago")))
        || (words <= 6
            && b.contains(&b':')
            && b.iter().filter(|c| c.is_ascii_digit()).count() >= 3);
    (words <= 3 && !ends_sentence) || has_digit_time
}

/// [`is_furniture`] on trimmed text of any script, lowercasing only the chars the decision
/// reads, one at a time (their lowercase starts the lowercase of the whole, up to the form of a
/// final sigma, which no furniture start has), with no allocation. The same decisions as
/// `is_furniture_unicode`, which a test checks.
fn is_furniture_any(t: &str) -> bool {
    // The starts are ASCII lowercase: a text's lowercase chars, compared as they come.
    let first = t.chars().flat_map(char::to_lowercase).next();
    if FURNITURE_STARTS
        .iter()
        .any(|p| p.chars().next() == first && starts_with_words_lowercased(t, p))
    {
        return true;
    }
    // Only "at most 3, 6 or 8 words" matters.
    let words = t.split_whitespace().take(9).count();
    let ends_sentence = t.ends_with(['.', '!', '?', '"', '\'', '”', '’', ':']);
    // No char lowercases to a colon or from one, and none but ASCII letters lowercases to "a",
    // "g", "o" or a space: " ago" in the lowercase text is " ago" in any ASCII case.
    let ago = || {
        t.as_bytes()
            .windows(4)
            .any(|w| w.eq_ignore_ascii_case(b" ago"))
    };
    let has_digit_time = (words <= 8 && ago())
        || (words <= 6 && t.contains(':') && t.chars().filter(|c| c.is_ascii_digit()).count() >= 3);
    (words <= 3 && !ends_sentence) || has_digit_time
}

/// [`is_furniture`] on trimmed text of any script: the reference.
#[cfg(test)]
fn is_furniture_unicode(t: &str) -> bool {
    let lower = t.to_lowercase();
    if FURNITURE_STARTS
        .iter()
        .any(|p| starts_with_words(&lower, p))
    {
        return true;
    }
    let words = t.split_whitespace().count();
    let ends_sentence = t.ends_with(['.', '!', '?', '"', '\'', '”', '’', ':']);
    let has_digit_time = (lower.contains(" ago") && words <= 8)
        || (lower.contains(':')
            && t.chars().filter(|c| c.is_ascii_digit()).count() >= 3
            && words <= 6);
    (words <= 3 && !ends_sentence) || has_digit_time
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
mod covering {
    use super::*;

    /// `covering_attribution` as it was: every attribution scanned for every sentence.
    fn full_scan(doc: &DocView, predicted: &[Predicted], i: usize) -> Option<usize> {
        let all: Vec<usize> = (0..predicted.len()).collect();
        covering_attribution(doc, predicted, &all, i)
    }

    fn hand_made(
        cue: Range<usize>,
        source: Range<usize>,
        contents: Vec<Range<usize>>,
    ) -> Predicted {
        Predicted {
            cue,
            cue_p: 0.9,
            source: Some(source),
            source_p: 0.9,
            contents,
            source_why: Vec::new(),
            kind: None,
            source_rule: crate::attribution::SourceRule::Model,
        }
    }

    #[test]
    fn format_4_models_keep_the_old_speaker_confidence() {
        let p = Pipeline::embedded().unwrap();
        let text = "\u{201c}The quay will close,\u{201d} said Ivo Marsk. Velin said it would not.";
        let new = p.classify(text);
        let mut v = serde_json::to_value(p.attribution.file()).unwrap();
        v["format_version"] = 4.into();
        v.as_object_mut().unwrap().remove("speaker");
        let old_model = AttributionModel::from_bytes(
            serde_json::to_string(&v).unwrap().as_bytes(),
            Path::new("old.json"),
        )
        .unwrap();
        assert!(old_model.speaker_confidence(|_| {}).is_none());
        let old = Pipeline::from_models(p.stance.clone(), old_model);
        let old = old.classify(text);
        // The same speakers; the old confidence is the source probability times the canonical
        // name's, the new one the speaker-confidence model's.
        let doc = p.attribution.view(text);
        let predicted = p.attribution.predict(&doc);
        let canon = canonical_speakers(&doc, &predicted);
        let mut checked = 0;
        for (a, b) in old.sentences.iter().zip(&new.sentences) {
            let (Some(x), Some(y)) = (&a.speaker, &b.speaker) else {
                assert_eq!(a.speaker, b.speaker);
                continue;
            };
            assert_eq!((&x.text, &x.canonical), (&y.text, &y.canonical));
            let pi = predicted
                .iter()
                .position(|q| q.source.as_ref().map(|s| doc.char_span(s).start) == Some(x.start))
                .unwrap();
            assert_eq!(
                x.confidence,
                (predicted[pi].source_p * canon[pi].1).clamp(0.0, 1.0)
            );
            assert_ne!(x.confidence, y.confidence);
            checked += 1;
        }
        assert_eq!(checked, 2);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one content segment each
    fn speaker_features_say_how_the_source_was_found() {
        let p = Pipeline::embedded().unwrap();
        // 0 She 1 said 2 the 3 quay 4 was 5 closed 6 . 7 Ivo 8 Marsk 9 , 10 the 11 harbour
        // 12 master 13 , 14 agreed 15 .
        let text = "She said the quay was closed. Ivo Marsk, the harbour master, agreed.";
        let doc = p.attribution.view(text);
        assert_eq!(doc.sent_toks.len(), 2);
        let she = hand_made(1..2, 0..1, vec![2..6]);
        let has_all = |f: Vec<String>, want: &[&str]| {
            for w in want {
                assert!(f.iter().any(|x| x == w), "{w} not in {f:?}");
            }
        };
        has_all(
            speaker_features(&doc, &she, 0, 0.6),
            &[
                "rule=model",
                "sp=9",
                "canon=6",
                "cue=said",
                "cue_in=true",
                "src_in=true",
                "src_before=true",
                "src_len=1",
                "mention=pronoun",
                "kind=Indirect",
            ],
        );
        // The same attribution speaking the next sentence, its source found by a rule.
        let carried = Predicted {
            source_rule: crate::attribution::SourceRule::Fallback,
            source_p: 0.04,
            ..she.clone()
        };
        has_all(
            speaker_features(&doc, &carried, 1, 0.3),
            &[
                "rule=fallback",
                "sp=0",
                "rule|sp=fallback|0",
                "cue_in=false",
                "src_in=false",
            ],
        );
        let marsk = hand_made(14..15, 7..13, vec![]);
        has_all(
            speaker_features(&doc, &marsk, 1, 0.9),
            &["src_len=4", "src_comma", "mention=common"],
        );
        // The shipped model scores them: a probability each, the carried one lower.
        let conf = |a: &Predicted, i, c| {
            p.attribution
                .speaker_confidence(|emit| {
                    speaker_features_into(&doc, a, i, c, quote_kind(&doc, &a.contents), emit)
                })
                .expect("the shipped model has a speaker-confidence model")
        };
        let (a, b) = (conf(&she, 0, 0.6), conf(&carried, 1, 0.3));
        assert!((0.0..=1.0).contains(&a) && (0.0..=1.0).contains(&b));
        assert!(a > b, "{a} <= {b}");
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one content segment each
    fn two_attributions_of_one_speaker_cover_a_sentence_together() {
        let p = Pipeline::embedded().unwrap();
        // 0 The 1 trade 2 minister 3 Ivo 4 Marsk 5 confirmed 6 that 7 the 8 port 9 would
        // 10 close 11 , 12 warning 13 the 14 board 15 against 16 delay 17 .
        let text = "The trade minister Ivo Marsk confirmed that the port would close, warning the \
                    board against delay.";
        let doc = p.attribution.view(text);
        assert_eq!(doc.sent_toks.len(), 1);
        assert_eq!(doc.q(12), "warning");
        // Each covers less than half of the 18 tokens: 1 + 5 and 1 + 4.
        let confirmed = hand_made(5..6, 4..5, vec![6..11]);
        let warning = hand_made(12..13, 4..5, vec![13..17]);
        let both = [confirmed, warning];
        assert_eq!(covering_half(&doc, &both, &[0, 1], 0), None);
        let canon = vec![("Ivo Marsk".to_owned(), 0.9); 2];
        assert_eq!(covering_together(&doc, &both, &canon, &[0, 1], 0), Some(0));
        // The same canonical name from other source tokens counts as one speaker; other names,
        // or a single attribution, do not.
        let [confirmed, mut warning] = both;
        warning.source = Some(3..5);
        let both = [confirmed, warning];
        assert_eq!(covering_together(&doc, &both, &canon, &[0, 1], 0), Some(0));
        let two = vec![("Ivo Marsk".to_owned(), 0.9), ("Ada Velin".to_owned(), 0.9)];
        assert_eq!(covering_together(&doc, &both, &two, &[0, 1], 0), None);
        assert_eq!(covering_together(&doc, &both, &canon, &[0], 0), None);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one content segment each
    fn a_trailing_reporting_clause_keeps_its_speaker() {
        let p = Pipeline::embedded().unwrap();
        // 0 “ 1 We 2 are 3 ready 4 , 5 ” 6 Velin 7 told 8 the 9 Harbour 10 Gazette 11 on
        // 12 Monday 13 at 14 the 15 port 16 .
        let text =
            "\u{201c}We are ready,\u{201d} Velin told the Harbour Gazette on Monday at the port.";
        let doc = p.attribution.view(text);
        assert_eq!(doc.sent_toks.len(), 1);
        let sent = doc.sent_toks[0].clone();
        assert_eq!(doc.q(6), "velin");
        let quote = hand_made(7..8, 6..7, vec![0..6]);
        // Six of seventeen tokens: short of the half rule, kept by the tail rule.
        assert_eq!(
            covering_half(&doc, std::slice::from_ref(&quote), &[0], 0),
            None
        );
        assert!(inverted_with_tail(&doc, &quote, &sent));
        assert_eq!(
            covering_attribution(&doc, std::slice::from_ref(&quote), &[0], 0),
            Some(0)
        );
        // Not when the content is inside the sentence, after its opening ...
        let late = hand_made(7..8, 6..7, vec![2..6]);
        assert!(!inverted_with_tail(&doc, &late, &sent));
        // ... nor without a comma or quotation mark before the clause ...
        let bare = hand_made(7..8, 6..7, vec![0..4]);
        let no_mark = hand_made(4..5, 3..4, vec![1..3]);
        assert!(inverted_with_tail(&doc, &bare, &sent));
        assert!(!inverted_with_tail(&doc, &no_mark, &sent));
        // ... nor with a content part after the clause, nor without a source.
        let after = hand_made(7..8, 6..7, vec![0..6, 8..11]);
        assert!(!inverted_with_tail(&doc, &after, &sent));
        let mut no_source = quote;
        no_source.source = None;
        assert!(!inverted_with_tail(&doc, &no_source, &sent));
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one content segment each
    fn a_reporting_clause_around_an_aside_keeps_its_speaker() {
        let p = Pipeline::embedded().unwrap();
        // 0 The 1 board 2 , 3 which 4 has 5 been 6 shadowed 7 for 8 months 9 by 10 a 11 row
        // 12 over 13 its 14 funds 15 , 16 said 17 that 18 the 19 ships 20 were 21 safe 22 .
        let text = "The board, which has been shadowed for months by a row over its funds, said \
                    that the ships were safe.";
        let doc = p.attribution.view(text);
        assert_eq!(doc.sent_toks.len(), 1);
        let sent = doc.sent_toks[0].clone();
        assert_eq!(doc.q(16), "said");
        let said = hand_made(16..17, 0..2, vec![17..22]);
        // Eight of twenty-three tokens: short of the half rule, kept by the aside rule.
        assert_eq!(
            covering_half(&doc, std::slice::from_ref(&said), &[0], 0),
            None
        );
        assert!(all_but_an_aside(&doc, &said, &sent));
        assert_eq!(
            covering_attribution(&doc, std::slice::from_ref(&said), &[0], 0),
            Some(0)
        );
        // Not when words outside the aside are left out ...
        let short = hand_made(16..17, 0..2, vec![17..20]);
        assert!(!all_but_an_aside(&doc, &short, &sent));
        // ... nor when the aside is not set off from the source ...
        let inside = hand_made(16..17, 0..1, vec![17..22]);
        assert!(!all_but_an_aside(&doc, &inside, &sent));
        // ... nor without a source ...
        let mut no_source = said;
        no_source.source = None;
        assert!(!all_but_an_aside(&doc, &no_source, &sent));
        // ... nor when the marks around the words left out are no pair.
        let text = "Velin (AFP) \u{2013} the board has met, said that the ships were safe.";
        let doc = p.attribution.view(text);
        let sent = doc.sent_toks[0].clone();
        assert_eq!((doc.q(1), doc.q(9), doc.q(10)), ("(", ",", "said"));
        let unpaired = hand_made(10..11, 0..1, vec![11..16]);
        assert!(!all_but_an_aside(&doc, &unpaired, &sent));
    }

    #[test]
    fn the_sentence_index_finds_what_the_full_scan_finds() {
        let p = Pipeline::embedded().unwrap();
        let texts = [
            "Kremlin spokesman Dmitry Peskov said Russia would respond. \"We will not wait,\" he \
             added. \"Nor will we stop.\n\nIt is over,\" he said. Kyiv, officials said, was calm.",
            "According to officials, the talks ended \u{2014} \u{201c}for now\u{201d}, Kirby told \
             reporters. He said: \u{201c}We are done. Really done. Truly.\u{201d} No comment.",
            "",
            "said said said. \" \" \" he said \"",
        ];
        let mut checked = 0;
        for text in texts {
            let doc = p.attribution.view(text);
            let predicted = p.attribution.predict(&doc);
            let meeting = attributions_meeting_sentences(&doc, &predicted);
            assert_eq!(meeting.len(), doc.sentences.len());
            for (i, m) in meeting.iter().enumerate() {
                let got = covering_attribution(&doc, &predicted, m, i);
                assert_eq!(got, full_scan(&doc, &predicted, i), "{text:?} sentence {i}");
                checked += usize::from(got.is_some());
            }
        }
        assert!(checked > 3, "{checked}");
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
