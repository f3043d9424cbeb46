//! Attribution scoring: a faithful port of the reference scorer
//! `shared/eval/score_attribution.py` (with `metrics.py`'s `prf`).
//!
//! Given gold articles, the fixed sentence units and predicted attributions per article,
//! [`score`] computes, over the articles named in the sentence-units file (in sorted order):
//!
//! - **span level**, for each role (cue, sources, contents): exact-match P/R/F1 over the *set* of
//!   `(start, end)` segments of that role across all attributions of an article, and overlap
//!   P/R/F1 over characters (predicted characters inside gold spans of the same role / predicted
//!   characters, and the converse for recall), summed over articles;
//! - **sentence level**: a unit is attributed to the attribution whose cue + source + content
//!   characters cover most of its non-space characters (Python `str.isspace`), the first one
//!   on ties, if that covers at least half of them; the unit's speaker is the head word (last
//!   `\w+` word, lowercased) of that attribution's source texts sorted by offset and joined by a
//!   space. Attributed P/R/F1 counts units attributed in both; speaker P/R/F1 also needs equal
//!   heads (two empty heads are equal, as in the scorer).
//!
//! The gold side uses [`Article::scored_attributions`], i.e. the `.ann` file read exactly as
//! the scorer reads it. Predictions missing for an article count as no attributions and are
//! counted in [`AttributionScores::documents_missing`].
//!
//! [`AttributionScores::to_reference_json`] reproduces the scorer's `--json` output exactly,
//! including its rounding (Python `round(x, 1)`: round half to even on the exact binary value),
//! its overlap F1 computed from the *rounded* percentages, and its integer `0` for an overlap
//! precision or recall with no characters to divide by.
//!
//! Where the Python scorer would crash (a unit or gold article missing, a unit beyond the end
//! of its text), [`score`] carries on: a missing gold article counts as an empty text with no
//! attributions and unit characters past the end of the text are ignored.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{json, Value};

use crate::attribution_data::{
    char_slice, in_ranges, normalize_doc_name, py_isspace, Article, Attribution, Span,
};

/// Precision, recall and F1, as fractions in 0..=1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1, the harmonic mean of precision and recall.
    pub f1: f64,
}

/// `metrics.prf`: P = tp / n_pred, R = tp / n_gold (0 when dividing by 0), F1 = 2PR / (P + R)
/// (0 when P + R is 0).
pub fn prf(tp: usize, n_pred: usize, n_gold: usize) -> Prf {
    let p = if n_pred > 0 {
        tp as f64 / n_pred as f64
    } else {
        0.0
    };
    let r = if n_gold > 0 {
        tp as f64 / n_gold as f64
    } else {
        0.0
    };
    Prf {
        precision: p,
        recall: r,
        f1: f1(p, r),
    }
}

/// `2 * p * r / (p + r)`, 0 when `p + r` is 0, evaluated in the scorer's order.
fn f1(p: f64, r: f64) -> f64 {
    if p + r != 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// The counts behind one role's span scores, summed over articles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SpanCounts {
    /// Distinct predicted segments equal to a gold segment.
    pub exact_tp: usize,
    /// Distinct predicted segments.
    pub predicted: usize,
    /// Distinct gold segments.
    pub gold: usize,
    /// Characters both predicted and gold.
    pub overlap_chars: usize,
    /// Characters covered by predicted segments.
    pub predicted_chars: usize,
    /// Characters covered by gold segments.
    pub gold_chars: usize,
}

/// Span-level scores for one role.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct RoleScores {
    /// Exact-match P/R/F1 over distinct segments.
    pub exact: Prf,
    /// Character-overlap P/R/F1 (F1 from the unrounded P and R).
    pub overlap: Prf,
    /// The counts they come from.
    pub counts: SpanCounts,
}

/// The counts behind the sentence-level scores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SentenceCounts {
    /// Units attributed in both gold and prediction.
    pub attributed_tp: usize,
    /// Units attributed in the prediction.
    pub predicted: usize,
    /// Units attributed in the gold.
    pub gold: usize,
    /// Units attributed in both with the same speaker head word.
    pub speaker_tp: usize,
}

/// All scores of [`score`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct AttributionScores {
    /// Cue spans.
    pub cue: RoleScores,
    /// Source spans.
    pub sources: RoleScores,
    /// Content spans.
    pub contents: RoleScores,
    /// Sentence units attributed (to any attribution).
    pub sentence_attributed: Prf,
    /// Sentence units attributed with the right speaker.
    pub sentence_speaker: Prf,
    /// Articles of the sentence-units file without a prediction.
    pub documents_missing: usize,
    /// Sentence units scored (all units of the file).
    pub units: usize,
    /// The counts behind the sentence-level scores.
    pub sentence_counts: SentenceCounts,
}

/// Union of spans as sorted, disjoint, non-adjacent `[start, end)` intervals.
fn merge<'a>(spans: impl IntoIterator<Item = &'a Span>) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = spans
        .into_iter()
        .filter(|s| s.start < s.end)
        .map(|s| (s.start, s.end))
        .collect();
    v.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn total(iv: &[(usize, usize)]) -> usize {
    iv.iter().map(|(s, e)| e - s).sum()
}

/// Characters in both interval lists (each as returned by [`merge`]).
fn intersection_len(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let lo = a[i].0.max(b[j].0);
        let hi = a[i].1.min(b[j].1);
        if lo < hi {
            n += hi - lo;
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    n
}

fn role_spans(att: &Attribution, role: usize) -> &[Span] {
    match role {
        0 => &att.cue,
        1 => &att.sources,
        _ => &att.contents,
    }
}

/// Python's `re` `\w` for `str` patterns.
fn py_is_word(c: char) -> bool {
    in_ranges(&PY_WORD_RANGES, c)
}

/// The scorer's `head`: the last `\w+` word of the lowercased text, `""` if there is none.
pub fn speaker_head(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut last = "";
    let mut start = None;
    for (i, c) in lower.char_indices() {
        match (py_is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                last = &lower[s..i];
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        last = &lower[s..];
    }
    last.to_string()
}

/// One article's text, prepared for the sentence assignment.
struct Doc<'a> {
    text: &'a str,
    /// Byte offset of each character, plus the text length.
    starts: Vec<usize>,
    /// `nonspace[i]`: non-space characters among the first `i`.
    nonspace: Vec<usize>,
}

impl<'a> Doc<'a> {
    fn new(text: &'a str) -> Doc<'a> {
        let mut starts = Vec::with_capacity(text.len() + 1);
        let mut nonspace = Vec::with_capacity(text.len() + 1);
        nonspace.push(0);
        let mut n = 0;
        for (i, c) in text.char_indices() {
            starts.push(i);
            n += usize::from(!py_isspace(c));
            nonspace.push(n);
        }
        starts.push(text.len());
        Doc {
            text,
            starts,
            nonspace,
        }
    }

    fn n_chars(&self) -> usize {
        self.starts.len() - 1
    }

    /// The scorer's `assign`: the speaker head of the attribution the unit `[a, b)` is
    /// attributed to, `None` if it is not attributed.
    fn assign(
        &self,
        quotes: &[Attribution],
        covers: &[Vec<(usize, usize)>],
        a: usize,
        b: usize,
    ) -> Option<String> {
        let hi = b.min(self.n_chars());
        let lo = a.min(hi);
        let unit_len = self.nonspace[hi] - self.nonspace[lo];
        let (mut best, mut cov) = (None, 0);
        for (qi, cover) in covers.iter().enumerate() {
            let mut c = 0;
            for &(s, e) in cover {
                let (s, e) = (s.max(lo), e.min(hi));
                if s < e {
                    c += self.nonspace[e] - self.nonspace[s];
                }
            }
            if c > cov {
                best = Some(qi);
                cov = c;
            }
        }
        let qi = best?;
        if cov * 2 < unit_len {
            return None;
        }
        let mut sources = quotes[qi].sources.clone();
        sources.sort();
        let joined = sources
            .iter()
            .map(|s| char_slice(self.text, &self.starts, s.start, s.end))
            .collect::<Vec<_>>()
            .join(" ");
        Some(speaker_head(&joined))
    }
}

/// The reference scorer's speaker head for each unit `[a, b)` (characters) of `article`: the
/// source head of the gold attribution that covers at least half of it, `None` when none does
/// (the gold side of the sentence-speaker metric, for units other than the scored ones).
pub fn gold_speaker_heads(article: &Article, units: &[(usize, usize)]) -> Vec<Option<String>> {
    let doc = Doc::new(&article.text);
    let gold = article.scored_attributions();
    let cov = covers(gold);
    units
        .iter()
        .map(|&(a, b)| doc.assign(gold, &cov, a, b))
        .collect()
}

fn covers(quotes: &[Attribution]) -> Vec<Vec<(usize, usize)>> {
    quotes
        .iter()
        .map(|q| merge(q.cue.iter().chain(&q.sources).chain(&q.contents)))
        .collect()
}

/// Scores `predictions` (by article name; names are normalized with [`normalize_doc_name`])
/// against `gold` on the articles of `units` (a sentence-units file, see
/// [`crate::attribution_data::load_sentence_units`]), as `score_attribution.py` does.
pub fn score(
    gold: &[Article],
    units: &BTreeMap<String, Vec<(usize, usize)>>,
    predictions: &BTreeMap<String, Vec<Attribution>>,
) -> AttributionScores {
    let mut by_name: HashMap<&str, &Article> = HashMap::new();
    for a in gold {
        by_name.entry(a.name.as_str()).or_insert(a);
    }
    let preds: HashMap<String, &[Attribution]> = predictions
        .iter()
        .map(|(k, v)| (normalize_doc_name(k), v.as_slice()))
        .collect();

    let mut counts = [SpanCounts::default(); 3];
    let mut sent = SentenceCounts::default();
    let mut missing = 0;
    for (name, sentences) in units {
        let article = by_name.get(name.as_str());
        let doc = Doc::new(article.map_or("", |a| a.text.as_str()));
        let gold_q: &[Attribution] = article.map_or(&[], |a| a.scored_attributions());
        let pred_q: &[Attribution] = match preds.get(name) {
            Some(p) => p,
            None => {
                missing += 1;
                &[]
            }
        };
        for (role, c) in counts.iter_mut().enumerate() {
            let g: BTreeSet<Span> = gold_q
                .iter()
                .flat_map(|q| role_spans(q, role))
                .copied()
                .collect();
            let p: BTreeSet<Span> = pred_q
                .iter()
                .flat_map(|q| role_spans(q, role))
                .copied()
                .collect();
            c.exact_tp += g.intersection(&p).count();
            c.predicted += p.len();
            c.gold += g.len();
            let (gc, pc) = (merge(&g), merge(&p));
            c.overlap_chars += intersection_len(&pc, &gc);
            c.predicted_chars += total(&pc);
            c.gold_chars += total(&gc);
        }
        let (gold_cov, pred_cov) = (covers(gold_q), covers(pred_q));
        for &(a, b) in sentences {
            let g = doc.assign(gold_q, &gold_cov, a, b);
            let p = doc.assign(pred_q, &pred_cov, a, b);
            sent.gold += usize::from(g.is_some());
            sent.predicted += usize::from(p.is_some());
            if let (Some(g), Some(p)) = (g, p) {
                sent.attributed_tp += 1;
                sent.speaker_tp += usize::from(g == p);
            }
        }
    }
    let role = |c: SpanCounts| {
        let ratio = |a: usize, b: usize| if b > 0 { a as f64 / b as f64 } else { 0.0 };
        let (p, r) = (
            ratio(c.overlap_chars, c.predicted_chars),
            ratio(c.overlap_chars, c.gold_chars),
        );
        RoleScores {
            exact: prf(c.exact_tp, c.predicted, c.gold),
            overlap: Prf {
                precision: p,
                recall: r,
                f1: f1(p, r),
            },
            counts: c,
        }
    };
    AttributionScores {
        cue: role(counts[0]),
        sources: role(counts[1]),
        contents: role(counts[2]),
        sentence_attributed: prf(sent.attributed_tp, sent.predicted, sent.gold),
        sentence_speaker: prf(sent.speaker_tp, sent.predicted, sent.gold),
        documents_missing: missing,
        units: units.values().map(Vec::len).sum(),
        sentence_counts: sent,
    }
}

/// Python's `round(x, 1)` for a float: the exact binary value rounded to one decimal, ties to
/// even (Rust's formatting rounds the same way), read back as the nearest float.
pub fn py_round1(x: f64) -> f64 {
    format!("{x:.1}").parse().unwrap_or(x)
}

fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn pct3(p: &Prf) -> Value {
    json!([
        num(py_round1(100.0 * p.precision)),
        num(py_round1(100.0 * p.recall)),
        num(py_round1(100.0 * p.f1)),
    ])
}

impl RoleScores {
    /// `{"exact": [P, R, F1], "overlap": [P, R, F1]}` exactly as the scorer writes it.
    fn reference_json(&self) -> Value {
        let c = &self.counts;
        // `round(100 * (ovp / pc if pc else 0), 1)`: the integer 0 when there is nothing to
        // divide by, a float otherwise.
        let part = |n: usize, d: usize| -> (f64, Value) {
            if d == 0 {
                (0.0, Value::from(0))
            } else {
                let x = py_round1(100.0 * (n as f64 / d as f64));
                (x, num(x))
            }
        };
        let (p, pv) = part(c.overlap_chars, c.predicted_chars);
        let (r, rv) = part(c.overlap_chars, c.gold_chars);
        // The scorer's overlap F1 is computed from the rounded percentages.
        let f = if p + r != 0.0 {
            py_round1(2.0 * p * r / (p + r))
        } else {
            0.0
        };
        json!({"exact": pct3(&self.exact), "overlap": [pv, rv, num(f)]})
    }
}

impl AttributionScores {
    /// The scores in the layout of the scorer's `--json` output, value for value: percentages
    /// rounded to one decimal, `{"cue": {"exact": [P, R, F1], "overlap": [P, R, F1]},
    /// "sources": ..., "contents": ..., "sentence_attributed": [P, R, F1],
    /// "sentence_speaker": [P, R, F1], "documents_missing": n, "units": n}`.
    pub fn to_reference_json(&self) -> Value {
        json!({
            "cue": self.cue.reference_json(),
            "sources": self.sources.reference_json(),
            "contents": self.contents.reference_json(),
            "sentence_attributed": pct3(&self.sentence_attributed),
            "sentence_speaker": pct3(&self.sentence_speaker),
            "documents_missing": self.documents_missing,
            "units": self.units,
        })
    }

    /// A readable table: P/R/F1 in percent with one decimal.
    pub fn to_table(&self) -> String {
        fn row(out: &mut String, label: &str, p: &Prf) {
            let _ = writeln!(
                out,
                "{label:<22}{:>7.1}{:>7.1}{:>7.1}",
                100.0 * p.precision,
                100.0 * p.recall,
                100.0 * p.f1
            );
        }
        let mut out = String::new();
        let _ = writeln!(out, "{:<22}{:>7}{:>7}{:>7}", "(%)", "P", "R", "F1");
        for (name, r) in [
            ("cue", &self.cue),
            ("source", &self.sources),
            ("content", &self.contents),
        ] {
            row(&mut out, &format!("{name} exact"), &r.exact);
            row(&mut out, &format!("{name} overlap"), &r.overlap);
        }
        row(&mut out, "sentence attributed", &self.sentence_attributed);
        row(&mut out, "sentence speaker", &self.sentence_speaker);
        let _ = writeln!(
            out,
            "{} sentence units, {} documents without a prediction",
            self.units, self.documents_missing
        );
        out
    }
}

/// The characters Python's `re` matches with `\w` for `str` patterns (`str.isalnum()` or `_`),
/// as inclusive ranges `[start0, end0, start1, end1, ...]`, generated with Python 3.11
/// (Unicode 14.0.0).
#[rustfmt::skip]
const PY_WORD_RANGES: [u32; 1468] = [
    0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A, 0xAA, 0xAA, 0xB2, 0xB3, 0xB5, 0xB5, 0xB9, 0xBA,
    0xBC, 0xBE, 0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0x2C1, 0x2C6, 0x2D1, 0x2E0, 0x2E4, 0x2EC, 0x2EC,
    0x2EE, 0x2EE, 0x370, 0x374, 0x376, 0x377, 0x37A, 0x37D, 0x37F, 0x37F, 0x386, 0x386, 0x388,
    0x38A, 0x38C, 0x38C, 0x38E, 0x3A1, 0x3A3, 0x3F5, 0x3F7, 0x481, 0x48A, 0x52F, 0x531, 0x556,
    0x559, 0x559, 0x560, 0x588, 0x5D0, 0x5EA, 0x5EF, 0x5F2, 0x620, 0x64A, 0x660, 0x669, 0x66E,
    0x66F, 0x671, 0x6D3, 0x6D5, 0x6D5, 0x6E5, 0x6E6, 0x6EE, 0x6FC, 0x6FF, 0x6FF, 0x710, 0x710,
    0x712, 0x72F, 0x74D, 0x7A5, 0x7B1, 0x7B1, 0x7C0, 0x7EA, 0x7F4, 0x7F5, 0x7FA, 0x7FA, 0x800,
    0x815, 0x81A, 0x81A, 0x824, 0x824, 0x828, 0x828, 0x840, 0x858, 0x860, 0x86A, 0x870, 0x887,
    0x889, 0x88E, 0x8A0, 0x8C9, 0x904, 0x939, 0x93D, 0x93D, 0x950, 0x950, 0x958, 0x961, 0x966,
    0x96F, 0x971, 0x980, 0x985, 0x98C, 0x98F, 0x990, 0x993, 0x9A8, 0x9AA, 0x9B0, 0x9B2, 0x9B2,
    0x9B6, 0x9B9, 0x9BD, 0x9BD, 0x9CE, 0x9CE, 0x9DC, 0x9DD, 0x9DF, 0x9E1, 0x9E6, 0x9F1, 0x9F4,
    0x9F9, 0x9FC, 0x9FC, 0xA05, 0xA0A, 0xA0F, 0xA10, 0xA13, 0xA28, 0xA2A, 0xA30, 0xA32, 0xA33,
    0xA35, 0xA36, 0xA38, 0xA39, 0xA59, 0xA5C, 0xA5E, 0xA5E, 0xA66, 0xA6F, 0xA72, 0xA74, 0xA85,
    0xA8D, 0xA8F, 0xA91, 0xA93, 0xAA8, 0xAAA, 0xAB0, 0xAB2, 0xAB3, 0xAB5, 0xAB9, 0xABD, 0xABD,
    0xAD0, 0xAD0, 0xAE0, 0xAE1, 0xAE6, 0xAEF, 0xAF9, 0xAF9, 0xB05, 0xB0C, 0xB0F, 0xB10, 0xB13,
    0xB28, 0xB2A, 0xB30, 0xB32, 0xB33, 0xB35, 0xB39, 0xB3D, 0xB3D, 0xB5C, 0xB5D, 0xB5F, 0xB61,
    0xB66, 0xB6F, 0xB71, 0xB77, 0xB83, 0xB83, 0xB85, 0xB8A, 0xB8E, 0xB90, 0xB92, 0xB95, 0xB99,
    0xB9A, 0xB9C, 0xB9C, 0xB9E, 0xB9F, 0xBA3, 0xBA4, 0xBA8, 0xBAA, 0xBAE, 0xBB9, 0xBD0, 0xBD0,
    0xBE6, 0xBF2, 0xC05, 0xC0C, 0xC0E, 0xC10, 0xC12, 0xC28, 0xC2A, 0xC39, 0xC3D, 0xC3D, 0xC58,
    0xC5A, 0xC5D, 0xC5D, 0xC60, 0xC61, 0xC66, 0xC6F, 0xC78, 0xC7E, 0xC80, 0xC80, 0xC85, 0xC8C,
    0xC8E, 0xC90, 0xC92, 0xCA8, 0xCAA, 0xCB3, 0xCB5, 0xCB9, 0xCBD, 0xCBD, 0xCDD, 0xCDE, 0xCE0,
    0xCE1, 0xCE6, 0xCEF, 0xCF1, 0xCF2, 0xD04, 0xD0C, 0xD0E, 0xD10, 0xD12, 0xD3A, 0xD3D, 0xD3D,
    0xD4E, 0xD4E, 0xD54, 0xD56, 0xD58, 0xD61, 0xD66, 0xD78, 0xD7A, 0xD7F, 0xD85, 0xD96, 0xD9A,
    0xDB1, 0xDB3, 0xDBB, 0xDBD, 0xDBD, 0xDC0, 0xDC6, 0xDE6, 0xDEF, 0xE01, 0xE30, 0xE32, 0xE33,
    0xE40, 0xE46, 0xE50, 0xE59, 0xE81, 0xE82, 0xE84, 0xE84, 0xE86, 0xE8A, 0xE8C, 0xEA3, 0xEA5,
    0xEA5, 0xEA7, 0xEB0, 0xEB2, 0xEB3, 0xEBD, 0xEBD, 0xEC0, 0xEC4, 0xEC6, 0xEC6, 0xED0, 0xED9,
    0xEDC, 0xEDF, 0xF00, 0xF00, 0xF20, 0xF33, 0xF40, 0xF47, 0xF49, 0xF6C, 0xF88, 0xF8C, 0x1000,
    0x102A, 0x103F, 0x1049, 0x1050, 0x1055, 0x105A, 0x105D, 0x1061, 0x1061, 0x1065, 0x1066, 0x106E,
    0x1070, 0x1075, 0x1081, 0x108E, 0x108E, 0x1090, 0x1099, 0x10A0, 0x10C5, 0x10C7, 0x10C7, 0x10CD,
    0x10CD, 0x10D0, 0x10FA, 0x10FC, 0x1248, 0x124A, 0x124D, 0x1250, 0x1256, 0x1258, 0x1258, 0x125A,
    0x125D, 0x1260, 0x1288, 0x128A, 0x128D, 0x1290, 0x12B0, 0x12B2, 0x12B5, 0x12B8, 0x12BE, 0x12C0,
    0x12C0, 0x12C2, 0x12C5, 0x12C8, 0x12D6, 0x12D8, 0x1310, 0x1312, 0x1315, 0x1318, 0x135A, 0x1369,
    0x137C, 0x1380, 0x138F, 0x13A0, 0x13F5, 0x13F8, 0x13FD, 0x1401, 0x166C, 0x166F, 0x167F, 0x1681,
    0x169A, 0x16A0, 0x16EA, 0x16EE, 0x16F8, 0x1700, 0x1711, 0x171F, 0x1731, 0x1740, 0x1751, 0x1760,
    0x176C, 0x176E, 0x1770, 0x1780, 0x17B3, 0x17D7, 0x17D7, 0x17DC, 0x17DC, 0x17E0, 0x17E9, 0x17F0,
    0x17F9, 0x1810, 0x1819, 0x1820, 0x1878, 0x1880, 0x1884, 0x1887, 0x18A8, 0x18AA, 0x18AA, 0x18B0,
    0x18F5, 0x1900, 0x191E, 0x1946, 0x196D, 0x1970, 0x1974, 0x1980, 0x19AB, 0x19B0, 0x19C9, 0x19D0,
    0x19DA, 0x1A00, 0x1A16, 0x1A20, 0x1A54, 0x1A80, 0x1A89, 0x1A90, 0x1A99, 0x1AA7, 0x1AA7, 0x1B05,
    0x1B33, 0x1B45, 0x1B4C, 0x1B50, 0x1B59, 0x1B83, 0x1BA0, 0x1BAE, 0x1BE5, 0x1C00, 0x1C23, 0x1C40,
    0x1C49, 0x1C4D, 0x1C7D, 0x1C80, 0x1C88, 0x1C90, 0x1CBA, 0x1CBD, 0x1CBF, 0x1CE9, 0x1CEC, 0x1CEE,
    0x1CF3, 0x1CF5, 0x1CF6, 0x1CFA, 0x1CFA, 0x1D00, 0x1DBF, 0x1E00, 0x1F15, 0x1F18, 0x1F1D, 0x1F20,
    0x1F45, 0x1F48, 0x1F4D, 0x1F50, 0x1F57, 0x1F59, 0x1F59, 0x1F5B, 0x1F5B, 0x1F5D, 0x1F5D, 0x1F5F,
    0x1F7D, 0x1F80, 0x1FB4, 0x1FB6, 0x1FBC, 0x1FBE, 0x1FBE, 0x1FC2, 0x1FC4, 0x1FC6, 0x1FCC, 0x1FD0,
    0x1FD3, 0x1FD6, 0x1FDB, 0x1FE0, 0x1FEC, 0x1FF2, 0x1FF4, 0x1FF6, 0x1FFC, 0x2070, 0x2071, 0x2074,
    0x2079, 0x207F, 0x2089, 0x2090, 0x209C, 0x2102, 0x2102, 0x2107, 0x2107, 0x210A, 0x2113, 0x2115,
    0x2115, 0x2119, 0x211D, 0x2124, 0x2124, 0x2126, 0x2126, 0x2128, 0x2128, 0x212A, 0x212D, 0x212F,
    0x2139, 0x213C, 0x213F, 0x2145, 0x2149, 0x214E, 0x214E, 0x2150, 0x2189, 0x2460, 0x249B, 0x24EA,
    0x24FF, 0x2776, 0x2793, 0x2C00, 0x2CE4, 0x2CEB, 0x2CEE, 0x2CF2, 0x2CF3, 0x2CFD, 0x2CFD, 0x2D00,
    0x2D25, 0x2D27, 0x2D27, 0x2D2D, 0x2D2D, 0x2D30, 0x2D67, 0x2D6F, 0x2D6F, 0x2D80, 0x2D96, 0x2DA0,
    0x2DA6, 0x2DA8, 0x2DAE, 0x2DB0, 0x2DB6, 0x2DB8, 0x2DBE, 0x2DC0, 0x2DC6, 0x2DC8, 0x2DCE, 0x2DD0,
    0x2DD6, 0x2DD8, 0x2DDE, 0x2E2F, 0x2E2F, 0x3005, 0x3007, 0x3021, 0x3029, 0x3031, 0x3035, 0x3038,
    0x303C, 0x3041, 0x3096, 0x309D, 0x309F, 0x30A1, 0x30FA, 0x30FC, 0x30FF, 0x3105, 0x312F, 0x3131,
    0x318E, 0x3192, 0x3195, 0x31A0, 0x31BF, 0x31F0, 0x31FF, 0x3220, 0x3229, 0x3248, 0x324F, 0x3251,
    0x325F, 0x3280, 0x3289, 0x32B1, 0x32BF, 0x3400, 0x4DBF, 0x4E00, 0xA48C, 0xA4D0, 0xA4FD, 0xA500,
    0xA60C, 0xA610, 0xA62B, 0xA640, 0xA66E, 0xA67F, 0xA69D, 0xA6A0, 0xA6EF, 0xA717, 0xA71F, 0xA722,
    0xA788, 0xA78B, 0xA7CA, 0xA7D0, 0xA7D1, 0xA7D3, 0xA7D3, 0xA7D5, 0xA7D9, 0xA7F2, 0xA801, 0xA803,
    0xA805, 0xA807, 0xA80A, 0xA80C, 0xA822, 0xA830, 0xA835, 0xA840, 0xA873, 0xA882, 0xA8B3, 0xA8D0,
    0xA8D9, 0xA8F2, 0xA8F7, 0xA8FB, 0xA8FB, 0xA8FD, 0xA8FE, 0xA900, 0xA925, 0xA930, 0xA946, 0xA960,
    0xA97C, 0xA984, 0xA9B2, 0xA9CF, 0xA9D9, 0xA9E0, 0xA9E4, 0xA9E6, 0xA9FE, 0xAA00, 0xAA28, 0xAA40,
    0xAA42, 0xAA44, 0xAA4B, 0xAA50, 0xAA59, 0xAA60, 0xAA76, 0xAA7A, 0xAA7A, 0xAA7E, 0xAAAF, 0xAAB1,
    0xAAB1, 0xAAB5, 0xAAB6, 0xAAB9, 0xAABD, 0xAAC0, 0xAAC0, 0xAAC2, 0xAAC2, 0xAADB, 0xAADD, 0xAAE0,
    0xAAEA, 0xAAF2, 0xAAF4, 0xAB01, 0xAB06, 0xAB09, 0xAB0E, 0xAB11, 0xAB16, 0xAB20, 0xAB26, 0xAB28,
    0xAB2E, 0xAB30, 0xAB5A, 0xAB5C, 0xAB69, 0xAB70, 0xABE2, 0xABF0, 0xABF9, 0xAC00, 0xD7A3, 0xD7B0,
    0xD7C6, 0xD7CB, 0xD7FB, 0xF900, 0xFA6D, 0xFA70, 0xFAD9, 0xFB00, 0xFB06, 0xFB13, 0xFB17, 0xFB1D,
    0xFB1D, 0xFB1F, 0xFB28, 0xFB2A, 0xFB36, 0xFB38, 0xFB3C, 0xFB3E, 0xFB3E, 0xFB40, 0xFB41, 0xFB43,
    0xFB44, 0xFB46, 0xFBB1, 0xFBD3, 0xFD3D, 0xFD50, 0xFD8F, 0xFD92, 0xFDC7, 0xFDF0, 0xFDFB, 0xFE70,
    0xFE74, 0xFE76, 0xFEFC, 0xFF10, 0xFF19, 0xFF21, 0xFF3A, 0xFF41, 0xFF5A, 0xFF66, 0xFFBE, 0xFFC2,
    0xFFC7, 0xFFCA, 0xFFCF, 0xFFD2, 0xFFD7, 0xFFDA, 0xFFDC, 0x10000, 0x1000B, 0x1000D, 0x10026,
    0x10028, 0x1003A, 0x1003C, 0x1003D, 0x1003F, 0x1004D, 0x10050, 0x1005D, 0x10080, 0x100FA,
    0x10107, 0x10133, 0x10140, 0x10178, 0x1018A, 0x1018B, 0x10280, 0x1029C, 0x102A0, 0x102D0,
    0x102E1, 0x102FB, 0x10300, 0x10323, 0x1032D, 0x1034A, 0x10350, 0x10375, 0x10380, 0x1039D,
    0x103A0, 0x103C3, 0x103C8, 0x103CF, 0x103D1, 0x103D5, 0x10400, 0x1049D, 0x104A0, 0x104A9,
    0x104B0, 0x104D3, 0x104D8, 0x104FB, 0x10500, 0x10527, 0x10530, 0x10563, 0x10570, 0x1057A,
    0x1057C, 0x1058A, 0x1058C, 0x10592, 0x10594, 0x10595, 0x10597, 0x105A1, 0x105A3, 0x105B1,
    0x105B3, 0x105B9, 0x105BB, 0x105BC, 0x10600, 0x10736, 0x10740, 0x10755, 0x10760, 0x10767,
    0x10780, 0x10785, 0x10787, 0x107B0, 0x107B2, 0x107BA, 0x10800, 0x10805, 0x10808, 0x10808,
    0x1080A, 0x10835, 0x10837, 0x10838, 0x1083C, 0x1083C, 0x1083F, 0x10855, 0x10858, 0x10876,
    0x10879, 0x1089E, 0x108A7, 0x108AF, 0x108E0, 0x108F2, 0x108F4, 0x108F5, 0x108FB, 0x1091B,
    0x10920, 0x10939, 0x10980, 0x109B7, 0x109BC, 0x109CF, 0x109D2, 0x10A00, 0x10A10, 0x10A13,
    0x10A15, 0x10A17, 0x10A19, 0x10A35, 0x10A40, 0x10A48, 0x10A60, 0x10A7E, 0x10A80, 0x10A9F,
    0x10AC0, 0x10AC7, 0x10AC9, 0x10AE4, 0x10AEB, 0x10AEF, 0x10B00, 0x10B35, 0x10B40, 0x10B55,
    0x10B58, 0x10B72, 0x10B78, 0x10B91, 0x10BA9, 0x10BAF, 0x10C00, 0x10C48, 0x10C80, 0x10CB2,
    0x10CC0, 0x10CF2, 0x10CFA, 0x10D23, 0x10D30, 0x10D39, 0x10E60, 0x10E7E, 0x10E80, 0x10EA9,
    0x10EB0, 0x10EB1, 0x10F00, 0x10F27, 0x10F30, 0x10F45, 0x10F51, 0x10F54, 0x10F70, 0x10F81,
    0x10FB0, 0x10FCB, 0x10FE0, 0x10FF6, 0x11003, 0x11037, 0x11052, 0x1106F, 0x11071, 0x11072,
    0x11075, 0x11075, 0x11083, 0x110AF, 0x110D0, 0x110E8, 0x110F0, 0x110F9, 0x11103, 0x11126,
    0x11136, 0x1113F, 0x11144, 0x11144, 0x11147, 0x11147, 0x11150, 0x11172, 0x11176, 0x11176,
    0x11183, 0x111B2, 0x111C1, 0x111C4, 0x111D0, 0x111DA, 0x111DC, 0x111DC, 0x111E1, 0x111F4,
    0x11200, 0x11211, 0x11213, 0x1122B, 0x11280, 0x11286, 0x11288, 0x11288, 0x1128A, 0x1128D,
    0x1128F, 0x1129D, 0x1129F, 0x112A8, 0x112B0, 0x112DE, 0x112F0, 0x112F9, 0x11305, 0x1130C,
    0x1130F, 0x11310, 0x11313, 0x11328, 0x1132A, 0x11330, 0x11332, 0x11333, 0x11335, 0x11339,
    0x1133D, 0x1133D, 0x11350, 0x11350, 0x1135D, 0x11361, 0x11400, 0x11434, 0x11447, 0x1144A,
    0x11450, 0x11459, 0x1145F, 0x11461, 0x11480, 0x114AF, 0x114C4, 0x114C5, 0x114C7, 0x114C7,
    0x114D0, 0x114D9, 0x11580, 0x115AE, 0x115D8, 0x115DB, 0x11600, 0x1162F, 0x11644, 0x11644,
    0x11650, 0x11659, 0x11680, 0x116AA, 0x116B8, 0x116B8, 0x116C0, 0x116C9, 0x11700, 0x1171A,
    0x11730, 0x1173B, 0x11740, 0x11746, 0x11800, 0x1182B, 0x118A0, 0x118F2, 0x118FF, 0x11906,
    0x11909, 0x11909, 0x1190C, 0x11913, 0x11915, 0x11916, 0x11918, 0x1192F, 0x1193F, 0x1193F,
    0x11941, 0x11941, 0x11950, 0x11959, 0x119A0, 0x119A7, 0x119AA, 0x119D0, 0x119E1, 0x119E1,
    0x119E3, 0x119E3, 0x11A00, 0x11A00, 0x11A0B, 0x11A32, 0x11A3A, 0x11A3A, 0x11A50, 0x11A50,
    0x11A5C, 0x11A89, 0x11A9D, 0x11A9D, 0x11AB0, 0x11AF8, 0x11C00, 0x11C08, 0x11C0A, 0x11C2E,
    0x11C40, 0x11C40, 0x11C50, 0x11C6C, 0x11C72, 0x11C8F, 0x11D00, 0x11D06, 0x11D08, 0x11D09,
    0x11D0B, 0x11D30, 0x11D46, 0x11D46, 0x11D50, 0x11D59, 0x11D60, 0x11D65, 0x11D67, 0x11D68,
    0x11D6A, 0x11D89, 0x11D98, 0x11D98, 0x11DA0, 0x11DA9, 0x11EE0, 0x11EF2, 0x11FB0, 0x11FB0,
    0x11FC0, 0x11FD4, 0x12000, 0x12399, 0x12400, 0x1246E, 0x12480, 0x12543, 0x12F90, 0x12FF0,
    0x13000, 0x1342E, 0x14400, 0x14646, 0x16800, 0x16A38, 0x16A40, 0x16A5E, 0x16A60, 0x16A69,
    0x16A70, 0x16ABE, 0x16AC0, 0x16AC9, 0x16AD0, 0x16AED, 0x16B00, 0x16B2F, 0x16B40, 0x16B43,
    0x16B50, 0x16B59, 0x16B5B, 0x16B61, 0x16B63, 0x16B77, 0x16B7D, 0x16B8F, 0x16E40, 0x16E96,
    0x16F00, 0x16F4A, 0x16F50, 0x16F50, 0x16F93, 0x16F9F, 0x16FE0, 0x16FE1, 0x16FE3, 0x16FE3,
    0x17000, 0x187F7, 0x18800, 0x18CD5, 0x18D00, 0x18D08, 0x1AFF0, 0x1AFF3, 0x1AFF5, 0x1AFFB,
    0x1AFFD, 0x1AFFE, 0x1B000, 0x1B122, 0x1B150, 0x1B152, 0x1B164, 0x1B167, 0x1B170, 0x1B2FB,
    0x1BC00, 0x1BC6A, 0x1BC70, 0x1BC7C, 0x1BC80, 0x1BC88, 0x1BC90, 0x1BC99, 0x1D2E0, 0x1D2F3,
    0x1D360, 0x1D378, 0x1D400, 0x1D454, 0x1D456, 0x1D49C, 0x1D49E, 0x1D49F, 0x1D4A2, 0x1D4A2,
    0x1D4A5, 0x1D4A6, 0x1D4A9, 0x1D4AC, 0x1D4AE, 0x1D4B9, 0x1D4BB, 0x1D4BB, 0x1D4BD, 0x1D4C3,
    0x1D4C5, 0x1D505, 0x1D507, 0x1D50A, 0x1D50D, 0x1D514, 0x1D516, 0x1D51C, 0x1D51E, 0x1D539,
    0x1D53B, 0x1D53E, 0x1D540, 0x1D544, 0x1D546, 0x1D546, 0x1D54A, 0x1D550, 0x1D552, 0x1D6A5,
    0x1D6A8, 0x1D6C0, 0x1D6C2, 0x1D6DA, 0x1D6DC, 0x1D6FA, 0x1D6FC, 0x1D714, 0x1D716, 0x1D734,
    0x1D736, 0x1D74E, 0x1D750, 0x1D76E, 0x1D770, 0x1D788, 0x1D78A, 0x1D7A8, 0x1D7AA, 0x1D7C2,
    0x1D7C4, 0x1D7CB, 0x1D7CE, 0x1D7FF, 0x1DF00, 0x1DF1E, 0x1E100, 0x1E12C, 0x1E137, 0x1E13D,
    0x1E140, 0x1E149, 0x1E14E, 0x1E14E, 0x1E290, 0x1E2AD, 0x1E2C0, 0x1E2EB, 0x1E2F0, 0x1E2F9,
    0x1E7E0, 0x1E7E6, 0x1E7E8, 0x1E7EB, 0x1E7ED, 0x1E7EE, 0x1E7F0, 0x1E7FE, 0x1E800, 0x1E8C4,
    0x1E8C7, 0x1E8CF, 0x1E900, 0x1E943, 0x1E94B, 0x1E94B, 0x1E950, 0x1E959, 0x1EC71, 0x1ECAB,
    0x1ECAD, 0x1ECAF, 0x1ECB1, 0x1ECB4, 0x1ED01, 0x1ED2D, 0x1ED2F, 0x1ED3D, 0x1EE00, 0x1EE03,
    0x1EE05, 0x1EE1F, 0x1EE21, 0x1EE22, 0x1EE24, 0x1EE24, 0x1EE27, 0x1EE27, 0x1EE29, 0x1EE32,
    0x1EE34, 0x1EE37, 0x1EE39, 0x1EE39, 0x1EE3B, 0x1EE3B, 0x1EE42, 0x1EE42, 0x1EE47, 0x1EE47,
    0x1EE49, 0x1EE49, 0x1EE4B, 0x1EE4B, 0x1EE4D, 0x1EE4F, 0x1EE51, 0x1EE52, 0x1EE54, 0x1EE54,
    0x1EE57, 0x1EE57, 0x1EE59, 0x1EE59, 0x1EE5B, 0x1EE5B, 0x1EE5D, 0x1EE5D, 0x1EE5F, 0x1EE5F,
    0x1EE61, 0x1EE62, 0x1EE64, 0x1EE64, 0x1EE67, 0x1EE6A, 0x1EE6C, 0x1EE72, 0x1EE74, 0x1EE77,
    0x1EE79, 0x1EE7C, 0x1EE7E, 0x1EE7E, 0x1EE80, 0x1EE89, 0x1EE8B, 0x1EE9B, 0x1EEA1, 0x1EEA3,
    0x1EEA5, 0x1EEA9, 0x1EEAB, 0x1EEBB, 0x1F100, 0x1F10C, 0x1FBF0, 0x1FBF9, 0x20000, 0x2A6DF,
    0x2A700, 0x2B738, 0x2B740, 0x2B81D, 0x2B820, 0x2CEA1, 0x2CEB0, 0x2EBE0, 0x2F800, 0x2FA1D,
    0x30000, 0x3134A,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution_data::{
        load_polnear_split, load_predictions, load_sentence_units, write_citron_jsonl, CitronDoc,
        CitronQuote, SentenceUnits, TextSpan,
    };
    use proptest::prelude::*;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    fn sp(a: usize, b: usize) -> Span {
        Span::new(a, b)
    }

    fn article(name: &str, text: &str, atts: Vec<Attribution>) -> Article {
        Article {
            name: name.into(),
            text: text.into(),
            attributions: atts,
            scorer_attributions: None,
            ann_path: PathBuf::from(format!("{name}_x.ann")),
        }
    }

    fn att(cue: &[Span], sources: &[Span], contents: &[Span]) -> Attribution {
        Attribution {
            cue: cue.to_vec(),
            sources: sources.to_vec(),
            contents: contents.to_vec(),
            no_source: sources.is_empty(),
        }
    }

    /// "Bob said hi. Ann left." with one gold attribution, and an article "z" without any.
    fn fixture() -> (Vec<Article>, SentenceUnits) {
        let gold = vec![
            article(
                "a",
                "Bob said hi. Ann left.",
                vec![att(&[sp(4, 8)], &[sp(0, 3)], &[sp(9, 11)])],
            ),
            article("z", "Hi.", vec![]),
        ];
        let units = BTreeMap::from([
            ("a".to_string(), vec![(0, 12), (13, 22)]),
            ("z".to_string(), vec![(0, 3)]),
        ]);
        (gold, units)
    }

    #[test]
    fn prf_matches_metrics_py() {
        assert_eq!(prf(0, 0, 0), Prf::default());
        let p = prf(1, 2, 4);
        assert_eq!((p.precision, p.recall), (0.5, 0.25));
        assert!((p.f1 - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn hand_computed_scores() {
        let (gold, units) = fixture();
        let preds = BTreeMap::from([(
            "dir/a.txt".to_string(),
            vec![
                att(&[sp(4, 8)], &[sp(0, 3)], &[sp(9, 12)]),
                att(&[sp(17, 21)], &[sp(13, 16)], &[]),
            ],
        )]);
        let s = score(&gold, &units, &preds);
        assert_eq!(s.documents_missing, 1);
        assert_eq!(s.units, 3);
        assert_eq!(s.cue.counts.exact_tp, 1);
        assert_eq!((s.cue.exact.precision, s.cue.exact.recall), (0.5, 1.0));
        assert_eq!((s.cue.overlap.precision, s.cue.overlap.recall), (0.5, 1.0));
        assert_eq!(s.contents.exact, Prf::default());
        assert_eq!(s.contents.counts.overlap_chars, 2);
        assert_eq!(s.contents.counts.predicted_chars, 3);
        assert_eq!(
            s.sentence_counts,
            SentenceCounts {
                attributed_tp: 1,
                predicted: 2,
                gold: 1,
                speaker_tp: 1
            }
        );
        let want = json!({
            "cue": {"exact": [50.0, 100.0, 66.7], "overlap": [50.0, 100.0, 66.7]},
            "sources": {"exact": [50.0, 100.0, 66.7], "overlap": [50.0, 100.0, 66.7]},
            "contents": {"exact": [0.0, 0.0, 0.0], "overlap": [66.7, 100.0, 80.0]},
            "sentence_attributed": [50.0, 100.0, 66.7],
            "sentence_speaker": [50.0, 100.0, 66.7],
            "documents_missing": 1,
            "units": 3
        });
        assert_eq!(s.to_reference_json(), want);
        let table = s.to_table();
        assert!(
            table.contains("content overlap          66.7  100.0   80.0"),
            "{table}"
        );
        assert!(table.contains("3 sentence units, 1 documents without a prediction"));
    }

    #[test]
    fn no_predictions_gives_integer_zero_like_the_scorer() {
        let (gold, units) = fixture();
        let s = score(&gold, &units, &BTreeMap::new());
        let v = s.to_reference_json();
        assert_eq!(v["documents_missing"], json!(2));
        // `ovp / pc if pc else 0` is the integer 0; the recall divides by a non-zero count.
        assert_eq!(v["cue"]["overlap"], json!([0, 0.0, 0.0]));
        assert!(v["cue"]["overlap"][0].is_u64() && v["cue"]["overlap"][1].is_f64());
        assert_eq!(v["cue"]["exact"], json!([0.0, 0.0, 0.0]));
        let empty = score(&[], &BTreeMap::new(), &BTreeMap::new()).to_reference_json();
        assert_eq!(empty["contents"]["overlap"], json!([0, 0, 0.0]));
        assert_eq!(empty["units"], json!(0));
    }

    #[test]
    fn sentence_assignment_rules() {
        // Ties go to the first attribution; coverage counts non-space characters only.
        let text = "aa bb cc dd";
        let gold = vec![article(
            "t",
            text,
            vec![
                att(&[sp(0, 2)], &[sp(3, 5)], &[]),
                att(&[sp(6, 8)], &[sp(9, 11)], &[]),
            ],
        )];
        let units = BTreeMap::from([("t".to_string(), vec![(0, 11), (0, 5), (2, 9)])]);
        let doc = Doc::new(text);
        let q = gold[0].scored_attributions();
        let c = covers(q);
        assert_eq!(doc.assign(q, &c, 0, 11).as_deref(), Some("bb"));
        assert_eq!(doc.assign(q, &c, 0, 5).as_deref(), Some("bb"));
        assert_eq!(doc.assign(q, &c, 2, 9).as_deref(), Some("bb"));
        assert_eq!(doc.assign(q, &c, 9, 11).as_deref(), Some("dd"));
        assert_eq!(doc.assign(q, &c, 11, 11), None);
        assert_eq!(doc.assign(q, &c, 5, 100).as_deref(), Some("dd"));
        // Coverage below half: not attributed.
        let one = [att(&[sp(0, 1)], &[], &[])];
        assert_eq!(doc.assign(&one, &covers(&one), 0, 5), None);
        let two = [att(&[sp(0, 2)], &[], &[])];
        assert_eq!(doc.assign(&two, &covers(&two), 0, 5).as_deref(), Some(""));
        let s = score(
            &gold,
            &units,
            &BTreeMap::from([("t".to_string(), q.to_vec())]),
        );
        assert_eq!(s.sentence_speaker.f1, 1.0);
    }

    #[test]
    fn gold_speaker_heads_are_the_scorers_assignment() {
        let text = "aa bb cc dd";
        let a = article(
            "t",
            text,
            vec![
                att(&[sp(0, 2)], &[sp(3, 5)], &[]),
                att(&[sp(6, 8)], &[sp(9, 11)], &[]),
            ],
        );
        let units = [(0, 11), (0, 5), (9, 11), (11, 11), (0, 1)];
        let doc = Doc::new(text);
        let q = a.scored_attributions();
        let want: Vec<Option<String>> = units
            .iter()
            .map(|&(x, y)| doc.assign(q, &covers(q), x, y))
            .collect();
        assert_eq!(gold_speaker_heads(&a, &units), want);
        assert_eq!(
            gold_speaker_heads(&a, &units[..3]),
            [
                Some("bb".to_string()),
                Some("bb".to_string()),
                Some("dd".to_string())
            ]
        );
    }

    #[test]
    fn speaker_heads() {
        assert_eq!(speaker_head("President Barack Obama"), "obama");
        assert_eq!(speaker_head("the White House's"), "s");
        assert_eq!(speaker_head("Clinton, campaign_chair"), "campaign_chair");
        assert_eq!(speaker_head("ÉMILE ZOLA!!"), "zola");
        assert_eq!(speaker_head("ΟΔΥΣΣΕΥΣ"), "οδυσσευς");
        assert_eq!(speaker_head("--"), "");
        assert_eq!(speaker_head(""), "");
        assert_eq!(speaker_head("Jose\u{301}"), "jose");
    }

    #[test]
    fn python_rounding() {
        for (x, want) in [
            (0.25, 0.2),
            (0.35, 0.3),
            (12.25, 12.2),
            (12.75, 12.8),
            (0.05, 0.1),
            (99.95, 100.0),
            (66.65, 66.7),
            (100.0 * (2.0 / 3.0), 66.7),
        ] {
            assert_eq!(py_round1(x), want, "{x}");
        }
    }

    proptest! {
        #[test]
        fn score_never_panics(
            text in "\\PC{0,40}",
            spans in prop::collection::vec((0usize..60, 0usize..60), 0..12),
            units in prop::collection::vec((0usize..60, 0usize..60), 0..6),
        ) {
            let mut atts = Vec::new();
            for ch in spans.chunks(3) {
                let s: Vec<Span> = ch.iter().map(|&(a, b)| Span::new(a, b)).collect();
                atts.push(att(&s[..1], &s[1..s.len().min(2)], &s[s.len().min(2)..]));
            }
            let gold = vec![article("d", &text, atts.clone())];
            let units = BTreeMap::from([("d".to_string(), units), ("missing".to_string(), vec![(0, 3)])]);
            let preds = BTreeMap::from([("d".to_string(), atts.into_iter().rev().collect())]);
            let s = score(&gold, &units, &preds);
            let v = s.to_reference_json();
            prop_assert!(v.is_object());
            prop_assert_eq!(s.documents_missing, 1);
            let _ = s.to_table();
        }
    }

    // ---- Agreement with the reference scorer (needs the data and python3) ----

    /// The shared data folder: `$WHOSAID_DATA` or `../shared/data` next to the crate.
    fn data_dir() -> Option<PathBuf> {
        let dir = std::env::var_os("WHOSAID_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
        if !dir.join("polnear/dev").is_dir() {
            eprintln!(
                "skipped: no PolNeAR data at {} (set WHOSAID_DATA)",
                dir.display()
            );
            return None;
        }
        Some(dir)
    }

    fn have_python() -> bool {
        let ok = Command::new("python3")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("skipped: python3 not found");
        }
        ok
    }

    fn python_json(script: &str) -> Value {
        let out = Command::new("python3")
            .arg("-c")
            .arg(script)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// The character tables and `round` against the Python that runs the scorer.
    #[test]
    fn unicode_tables_and_round_match_python() {
        if !have_python() {
            return;
        }
        let v = python_json(
            r#"
import json, re, unicodedata
W, D = re.compile(r"\w"), re.compile(r"\d")
cs = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
xs = [100 * a / b for b in range(1, 400) for a in range(b + 1)]
ps = [i / 10 for i in range(0, 1001, 7)]
xs += [2 * p * r / (p + r) for p in ps for r in ps if p + r]
print(json.dumps({
    "unicode": unicodedata.unidata_version,
    "space": [c for c in cs if chr(c).isspace()],
    "word": [c for c in cs if W.match(chr(c))],
    "digit": [c for c in cs if D.match(chr(c))],
    "round": [[repr(x), round(x, 1)] for x in xs],
    "lower": "".join(chr(c) for c in range(0x20, 0x3000) if chr(c).isupper()).lower(),
    "upper": "".join(chr(c) for c in range(0x20, 0x3000) if chr(c).isupper()),
}))
"#,
        );
        for pair in v["round"].as_array().unwrap() {
            // Python's repr, parsed exactly (serde_json's default float parsing can be off by one
            // unit in the last place for 17-digit numbers; short ones like 66.7 are exact).
            let x: f64 = pair[0].as_str().unwrap().parse().unwrap();
            let r = pair[1].as_f64().unwrap();
            assert_eq!(py_round1(x), r, "round({x}, 1)");
        }
        let set = |k: &str| -> Vec<u32> {
            v[k].as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u32)
                .collect()
        };
        let ours = |f: fn(char) -> bool| -> Vec<u32> {
            (0..0x110000u32)
                .filter_map(char::from_u32)
                .filter(|&c| f(c))
                .map(|c| c as u32)
                .collect()
        };
        assert_eq!(ours(py_isspace), set("space"), "str.isspace");
        if v["unicode"] != "14.0.0" {
            eprintln!(
                "note: python3 has Unicode {}, the tables were made with 14.0.0; \\w and \\d not compared",
                v["unicode"]
            );
            return;
        }
        assert_eq!(ours(py_is_word), set("word"), "\\w");
        assert_eq!(
            ours(crate::attribution_data::py_is_decimal),
            set("digit"),
            "\\d"
        );
        assert_eq!(
            v["upper"].as_str().unwrap().to_lowercase(),
            v["lower"].as_str().unwrap(),
            "str.lower"
        );
    }

    struct Reference {
        data: PathBuf,
        scorer: PathBuf,
        dir: tempfile::TempDir,
    }

    impl Reference {
        fn new() -> Option<Reference> {
            let data = data_dir()?;
            let scorer = data.join("../eval/score_attribution.py");
            if !scorer.is_file() {
                eprintln!("skipped: no reference scorer at {}", scorer.display());
                return None;
            }
            if !have_python() {
                return None;
            }
            Some(Reference {
                data,
                scorer,
                dir: tempfile::tempdir().unwrap(),
            })
        }

        /// Runs the Python scorer on `pred` and returns its `--json` line.
        fn python(&self, gold_dir: &Path, sentences: &Path, pred: &Path) -> Value {
            let out = Command::new("python3")
                .arg(&self.scorer)
                .arg(gold_dir)
                .arg(sentences)
                .arg(pred)
                .arg("--json")
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "scorer failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let line = stdout.lines().find(|l| l.starts_with('{')).unwrap();
            serde_json::from_str(line).unwrap()
        }

        /// Writes `docs` as JSONL, scores them with both scorers and checks they agree.
        #[allow(clippy::too_many_arguments)]
        fn check(
            &self,
            label: &str,
            gold_dir: &Path,
            sentences: &Path,
            gold: &[Article],
            units: &BTreeMap<String, Vec<(usize, usize)>>,
            docs: &[CitronDoc],
            extra_lines: &str,
        ) -> Value {
            let path = self.dir.path().join(format!("{label}.jsonl"));
            write_citron_jsonl(&path, docs).unwrap();
            if !extra_lines.is_empty() {
                let mut s = std::fs::read_to_string(&path).unwrap();
                s.push_str(extra_lines);
                std::fs::write(&path, s).unwrap();
            }
            self.compare(label, gold_dir, sentences, gold, units, &path)
        }

        fn compare(
            &self,
            label: &str,
            gold_dir: &Path,
            sentences: &Path,
            gold: &[Article],
            units: &BTreeMap<String, Vec<(usize, usize)>>,
            pred: &Path,
        ) -> Value {
            let py = self.python(gold_dir, sentences, pred);
            let preds = load_predictions(pred).unwrap();
            let ours = score(gold, units, &preds).to_reference_json();
            eprintln!("{label}\n  python: {py}\n  rust:   {ours}");
            assert_eq!(
                ours, py,
                "{label}: the Rust scores differ from score_attribution.py"
            );
            py
        }
    }

    /// Gold attributions as Citron documents, named in the ways the scorer normalizes.
    fn gold_docs(gold: &[Article], scorer_view: bool) -> Vec<CitronDoc> {
        gold.iter()
            .enumerate()
            .map(|(i, a)| {
                let name = match i % 3 {
                    0 => a.name.clone(),
                    1 => format!("{}.txt", a.name),
                    _ => format!("/some/dir/{}.txt", a.name),
                };
                let atts = if scorer_view {
                    a.scored_attributions()
                } else {
                    &a.attributions
                };
                CitronDoc::from_attributions(Some(name), &a.text, atts)
            })
            .collect()
    }

    /// Drops every 3rd quote, shifts some content ends by 2, drops some sources, writes some
    /// cues as lists of two, and adds a fake quote to every article.
    fn perturbed_docs(gold: &[Article]) -> Vec<CitronDoc> {
        let mut k = 0;
        gold_docs(gold, true)
            .into_iter()
            .map(|mut d| {
                let n = d.text.chars().count();
                let text = d.text.clone();
                let mut quotes = Vec::new();
                for mut q in std::mem::take(&mut d.quotes) {
                    k += 1;
                    if k % 3 == 0 {
                        continue;
                    }
                    if k % 4 == 1 {
                        for c in &mut q.contents {
                            c.end += 2;
                        }
                    }
                    if k % 5 == 0 {
                        q.sources.clear();
                    }
                    if k % 7 == 3 {
                        if let Some(c) = q.cue.first().cloned() {
                            q.cue.push(TextSpan {
                                start: c.start + 1,
                                end: c.end + 1,
                                text: String::new(),
                            });
                        }
                    }
                    quotes.push(q);
                }
                let span = |a: usize, b: usize| Span::new(a.min(n), b.min(n));
                let fake = att(
                    &[span(0, 5)],
                    &[span(n / 2, n / 2 + 3)],
                    &[span(n / 3, n / 3 + 40)],
                );
                quotes.push(CitronQuote::from_attribution(&fake, &text));
                d.quotes = quotes;
                d
            })
            .collect()
    }

    fn run_split(r: &Reference, split: &str, full: bool) -> Vec<Value> {
        let gold_dir = r.data.join("polnear").join(split);
        let sentences = r
            .data
            .join("polnear")
            .join(format!("sentences-{split}.json"));
        let gold = load_polnear_split(&gold_dir).unwrap();
        let units = load_sentence_units(&sentences).unwrap();
        let mut results = Vec::new();
        let check = |label: &str, docs: &[CitronDoc], extra: &str| {
            r.check(
                &format!("{split}-{label}"),
                &gold_dir,
                &sentences,
                &gold,
                &units,
                docs,
                extra,
            )
        };

        // (a) gold as prediction, with an error record and blank lines that must be skipped.
        let a = check(
            "gold",
            &gold_docs(&gold, true),
            "\n{\"doc\": \"nothing.txt\", \"error\": \"timeout\"}\n  \n",
        );
        for role in ["cue", "sources", "contents"] {
            for kind in ["exact", "overlap"] {
                assert_eq!(a[role][kind], json!([100.0, 100.0, 100.0]), "{role} {kind}");
            }
        }
        assert_eq!(a["sentence_attributed"], json!([100.0, 100.0, 100.0]));
        assert_eq!(a["sentence_speaker"], json!([100.0, 100.0, 100.0]));
        assert_eq!(a["documents_missing"], json!(0));
        results.push(a);

        // (b) perturbed, as JSONL and as a folder of NAME.txt.json files.
        let perturbed = perturbed_docs(&gold);
        results.push(check("perturbed", &perturbed, ""));
        if !full {
            return results;
        }
        let folder = r.dir.path().join(format!("{split}-perturbed-dir"));
        std::fs::create_dir_all(&folder).unwrap();
        for (d, a) in perturbed.iter().zip(&gold) {
            let file = folder.join(format!("{}.txt.json", a.name));
            std::fs::write(file, serde_json::to_string(d).unwrap()).unwrap();
        }
        r.compare(
            &format!("{split}-perturbed-folder"),
            &gold_dir,
            &sentences,
            &gold,
            &units,
            &folder,
        );

        // (c) some articles missing, some with no quotes, the rest gold.
        let partial: Vec<CitronDoc> = gold_docs(&gold, true)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 1)
            .map(|(i, mut d)| {
                if i % 3 == 2 {
                    d.quotes.clear();
                }
                d
            })
            .collect();
        results.push(check("partial", &partial, ""));

        // (d) nothing at all: every article missing, integer zeros in the overlap scores.
        results.push(check("empty", &[], ""));

        // (e) the annotation with forward references resolved (what the scorer does not read).
        results.push(check("resolved", &gold_docs(&gold, false), ""));
        results
    }

    #[test]
    fn agrees_with_reference_scorer_on_dev() {
        let Some(r) = Reference::new() else { return };
        let results = run_split(&r, "dev", true);
        assert_eq!(results[3]["documents_missing"], json!(83));
        assert_eq!(results[3]["cue"]["overlap"], json!([0, 0.0, 0.0]));
    }

    /// About 30 s (the Python scorer reads train twice): `cargo test -- --ignored`.
    #[test]
    #[ignore = "slow: scores PolNeAR train twice with the Python scorer"]
    fn agrees_with_reference_scorer_on_train() {
        let Some(r) = Reference::new() else { return };
        run_split(&r, "train", false);
    }

    /// Edge cases on a synthetic gold folder: Unicode, CRLF, ties, empty heads, spans past the
    /// end or reversed, duplicate spans, cue lists and `{}` cues, the U+001C..U+001F "spaces".
    #[test]
    fn agrees_with_reference_scorer_on_edge_cases() {
        let Some(r) = Reference::new() else { return };
        let root = r.dir.path().join("edge");
        std::fs::create_dir_all(root.join("text")).unwrap();
        std::fs::create_dir_all(root.join("attributions")).unwrap();
        let texts = [
            (
                "e1",
                "Σίσυφος said: \u{1c}\u{1d}\u{1e}\u{1f}it is hard.\r\nZOË SAID\tno.",
            ),
            (
                "e2",
                "“We’re fine,” said Jose\u{301}. 🙂 He left. They said nothing.",
            ),
            ("e3", "Short."),
        ];
        for (name, text) in texts {
            std::fs::write(root.join(format!("text/{name}.txt")), text).unwrap();
        }
        // Offsets count characters after CRLF -> LF.
        let anns = [
            (
                "e1",
                "T1\tSource 0 7\tΣίσυφος\nT2\tCue 8 12\tsaid\nT3\tContent 18 29\tit is hard.\n\
                 T4\tAttribution 8 12\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n\
                 T5\tSource 30 33\tZOË\nT6\tCue 34 38\tSAID\nT7\tContent 39 42\tno.\n\
                 T8\tAttribution 34 38\tSAID\nE2\tAttribution:T8 Cue:T6 Content:T7 Source:T5 Content2:T9\n\
                 T9\tContent 30 33\tZOË\n",
            ),
            (
                "e2",
                "T1\tContent 0 13\t“We’re fine,”\nT2\tCue 14 18\tsaid\nT3\tSource 19 24;19 23\tJose\u{301} Jose\n\
                 T4\tAttribution 14 18\tsaid\nE1\tAttribution:T4 Content:T1 Cue:T2 Source:T3\n\
                 T5\tCue 42 46\tsaid\nT6\tContent 47 54\tnothing\n\
                 T7\tAttribution-no-source 42 46\tsaid\nE2\tAttribution-no-source:T7 Cue:T5 Content:T6\n",
            ),
            ("e3", ""),
        ];
        for (name, ann) in anns {
            std::fs::write(root.join(format!("attributions/{name}_zz.ann")), ann).unwrap();
            std::fs::write(root.join(format!("attributions/{name}_zzz.ann")), "junk").unwrap();
        }
        let units: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::from([
            (
                "e1".into(),
                vec![(0, 29), (30, 42), (8, 12), (13, 18), (12, 20)],
            ),
            (
                "e2".into(),
                vec![(0, 25), (0, 14), (26, 36), (37, 55), (40, 40)],
            ),
            ("e3".into(), vec![(0, 6), (3, 1)]),
        ]);
        let sentences = root.join("sentences.json");
        std::fs::write(&sentences, serde_json::to_string(&units).unwrap()).unwrap();
        let gold = load_polnear_split(&root).unwrap();
        assert!(gold[0].scorer_attributions.is_some());
        let ts = |a: usize, b: usize| TextSpan {
            start: a,
            end: b,
            text: String::new(),
        };
        let q = |cue: Vec<TextSpan>, s: Vec<TextSpan>, c: Vec<TextSpan>| CitronQuote {
            cue,
            sources: s,
            contents: c,
        };
        let docs = vec![
            CitronDoc {
                doc: Some("x/e1.txt".into()),
                text: String::new(),
                quotes: vec![
                    q(
                        vec![ts(8, 12), ts(8, 12)],
                        vec![ts(0, 7)],
                        vec![ts(18, 29), ts(35, 20)],
                    ),
                    q(vec![], vec![ts(30, 33)], vec![ts(39, 100)]),
                    q(vec![ts(34, 38)], vec![ts(39, 42)], vec![ts(30, 33)]),
                ],
            },
            CitronDoc {
                doc: Some("e2".into()),
                text: String::new(),
                quotes: vec![
                    q(vec![ts(14, 18)], vec![ts(19, 24)], vec![ts(0, 13)]),
                    q(vec![ts(14, 18)], vec![ts(20, 23)], vec![ts(0, 13)]),
                    q(vec![ts(42, 46)], vec![], vec![ts(47, 54)]),
                    q(vec![ts(26, 28)], vec![ts(29, 31)], vec![ts(32, 37)]),
                ],
            },
            CitronDoc {
                doc: Some("e3.txt".into()),
                text: String::new(),
                quotes: vec![q(vec![ts(0, 3)], vec![ts(200, 300)], vec![ts(3, 6)])],
            },
        ];
        let extra = "{\"doc\": \"e2\", \"quotes\": [{\"cue\": {}, \"sources\": [{\"start\": 19, \"end\": 24}], \"contents\": [{\"start\": 0, \"end\": 13}]}, {\"cue\": [{\"start\": 42, \"end\": 46}], \"sources\": [], \"contents\": [{\"start\": 47, \"end\": 54}]}]}\n";
        let gold_dir = root.clone();
        r.check("edge", &gold_dir, &sentences, &gold, &units, &docs, "");
        r.check(
            "edge-extra",
            &gold_dir,
            &sentences,
            &gold,
            &units,
            &docs,
            extra,
        );
        r.check(
            "edge-gold",
            &gold_dir,
            &sentences,
            &gold,
            &units,
            &gold_docs(&gold, true),
            "",
        );
        r.check(
            "edge-resolved",
            &gold_dir,
            &sentences,
            &gold,
            &units,
            &gold_docs(&gold, false),
            "",
        );
    }
}
