//! Evaluation metrics and reports.
//!
//! Stance: per-label precision / recall / F1, macro-F1, F-avg (mean F1 of favor and against, the
//! SemEval-2016 metric), accuracy, the confusion matrix and the expected calibration error of the
//! predicted probabilities — overall and per target.

use crate::label::Stance;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Precision, recall and F1 of one label.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LabelScores {
    /// The label.
    pub label: Stance,
    /// Precision in [0, 1].
    pub precision: f64,
    /// Recall in [0, 1].
    pub recall: f64,
    /// F1 in [0, 1].
    pub f1: f64,
    /// Gold examples with this label.
    pub support: usize,
}

/// Scores of stance predictions against gold labels.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StanceScores {
    /// Number of examples.
    pub n: usize,
    /// Per label, in [`Stance::ALL`] order.
    pub labels: Vec<LabelScores>,
    /// Mean F1 over the three labels.
    pub macro_f1: f64,
    /// Mean F1 of favor and against (SemEval-2016 F-avg).
    pub f_avg: f64,
    /// Fraction of correct predictions.
    pub accuracy: f64,
    /// Confusion matrix: `confusion[gold][predicted]`, in [`Stance::ALL`] order.
    pub confusion: [[usize; 3]; 3],
    /// Expected calibration error of the top probability (10 equal-width bins).
    pub ece: f64,
}

/// One scored prediction.
#[derive(Clone, Copy, Debug)]
pub struct Scored<'a> {
    /// The target (used to group per-target scores).
    pub target: &'a str,
    /// The gold label.
    pub gold: Stance,
    /// The predicted label.
    pub pred: Stance,
    /// Predicted probabilities in [`Stance::ALL`] order.
    pub probs: [f32; 3],
}

impl StanceScores {
    /// Scores `items`.
    pub fn compute(items: &[Scored]) -> Self {
        let mut confusion = [[0usize; 3]; 3];
        for it in items {
            confusion[it.gold.index()][it.pred.index()] += 1;
        }
        let labels: Vec<LabelScores> = Stance::ALL
            .iter()
            .map(|&l| {
                let i = l.index();
                let tp = confusion[i][i] as f64;
                let pred: usize = (0..3).map(|g| confusion[g][i]).sum();
                let gold: usize = confusion[i].iter().sum();
                let precision = if pred > 0 { tp / pred as f64 } else { 0.0 };
                let recall = if gold > 0 { tp / gold as f64 } else { 0.0 };
                let f1 = if precision + recall > 0.0 {
                    2.0 * precision * recall / (precision + recall)
                } else {
                    0.0
                };
                LabelScores {
                    label: l,
                    precision,
                    recall,
                    f1,
                    support: gold,
                }
            })
            .collect();
        let n = items.len();
        let correct: usize = (0..3).map(|i| confusion[i][i]).sum();
        let f = |l: Stance| labels[l.index()].f1;
        StanceScores {
            n,
            macro_f1: labels.iter().map(|l| l.f1).sum::<f64>() / 3.0,
            f_avg: (f(Stance::Favor) + f(Stance::Against)) / 2.0,
            accuracy: if n > 0 {
                correct as f64 / n as f64
            } else {
                0.0
            },
            ece: expected_calibration_error(items, 10),
            labels,
            confusion,
        }
    }
}

/// Expected calibration error of the top-probability predictions over `bins` equal-width bins.
pub fn expected_calibration_error(items: &[Scored], bins: usize) -> f64 {
    if items.is_empty() || bins == 0 {
        return 0.0;
    }
    let mut conf = vec![0f64; bins];
    let mut acc = vec![0f64; bins];
    let mut count = vec![0usize; bins];
    for it in items {
        let p = it.probs[it.pred.index()].clamp(0.0, 1.0) as f64;
        let b = ((p * bins as f64) as usize).min(bins - 1);
        conf[b] += p;
        acc[b] += f64::from(u8::from(it.pred == it.gold));
        count[b] += 1;
    }
    let n = items.len() as f64;
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| (count[b] as f64 / n) * ((acc[b] - conf[b]) / count[b] as f64).abs())
        .sum()
}

/// A stance evaluation: overall scores, and per target for the targets asked for.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StanceReport {
    /// What was evaluated (e.g. `ruw:../shared/data/ruw/val.csv`).
    pub data: String,
    /// Scores over all examples.
    pub overall: StanceScores,
    /// Scores per target.
    pub by_target: BTreeMap<String, StanceScores>,
    /// Mean over `by_target` of F-avg (the RUW metric), if there are per-target scores.
    pub mean_target_f_avg: Option<f64>,
    /// Mean over `by_target` of macro-F1.
    pub mean_target_macro_f1: Option<f64>,
}

impl StanceReport {
    /// Scores `items`; per-target scores for each target in `targets` (case-insensitive) that has
    /// examples.
    pub fn compute(data: &str, items: &[Scored], targets: &[String]) -> Self {
        let mut by_target = BTreeMap::new();
        for t in targets {
            let sub: Vec<Scored> = items
                .iter()
                .filter(|it| it.target.eq_ignore_ascii_case(t))
                .copied()
                .collect();
            if !sub.is_empty() {
                by_target.insert(t.clone(), StanceScores::compute(&sub));
            }
        }
        let mean = |f: fn(&StanceScores) -> f64| {
            (!by_target.is_empty())
                .then(|| by_target.values().map(f).sum::<f64>() / by_target.len() as f64)
        };
        StanceReport {
            data: data.to_owned(),
            overall: StanceScores::compute(items),
            mean_target_f_avg: mean(|s| s.f_avg),
            mean_target_macro_f1: mean(|s| s.macro_f1),
            by_target,
        }
    }

    /// A readable table.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "stance evaluation: {} ({} examples)",
            self.data, self.overall.n
        );
        write_scores(&mut s, "all targets", &self.overall);
        for (t, sc) in &self.by_target {
            write_scores(&mut s, &format!("target {t}"), sc);
        }
        if let (Some(fa), Some(mf)) = (self.mean_target_f_avg, self.mean_target_macro_f1) {
            let _ = writeln!(
                s,
                "mean over targets: F-avg {:.1}  macro-F1 {:.1}",
                100.0 * fa,
                100.0 * mf
            );
        }
        s
    }
}

fn write_scores(s: &mut String, title: &str, sc: &StanceScores) {
    let _ = writeln!(s, "\n{title} (n = {})", sc.n);
    let _ = writeln!(
        s,
        "  {:<8} {:>9} {:>7} {:>6} {:>8}",
        "label", "precision", "recall", "F1", "support"
    );
    for l in &sc.labels {
        let _ = writeln!(
            s,
            "  {:<8} {:>9.1} {:>7.1} {:>6.1} {:>8}",
            l.label.as_str(),
            100.0 * l.precision,
            100.0 * l.recall,
            100.0 * l.f1,
            l.support
        );
    }
    let _ = writeln!(
        s,
        "  macro-F1 {:.1}  F-avg {:.1}  accuracy {:.1}  ECE {:.3}",
        100.0 * sc.macro_f1,
        100.0 * sc.f_avg,
        100.0 * sc.accuracy,
        sc.ece
    );
    let _ = writeln!(
        s,
        "  confusion (rows gold, columns predicted): against / none / favor"
    );
    for (g, row) in sc.confusion.iter().enumerate() {
        let _ = writeln!(
            s,
            "  {:<8} {:>7} {:>7} {:>7}",
            Stance::ALL[g].as_str(),
            row[0],
            row[1],
            row[2]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn it(t: &'static str, gold: Stance, pred: Stance, p: f32) -> Scored<'static> {
        let mut probs = [(1.0 - p) / 2.0; 3];
        probs[pred.index()] = p;
        Scored {
            target: t,
            gold,
            pred,
            probs,
        }
    }

    #[test]
    fn scores_match_hand_computation() {
        use Stance::*;
        let items = [
            it("A", Favor, Favor, 0.9),
            it("A", Favor, Against, 0.6),
            it("A", Against, Against, 0.8),
            it("B", None, Favor, 0.7),
            it("B", None, None, 0.5),
        ];
        let s = StanceScores::compute(&items);
        // favor: tp 1, predicted 2, gold 2 -> P .5 R .5 F1 .5
        assert!((s.labels[Favor.index()].f1 - 0.5).abs() < 1e-12);
        // against: tp 1, predicted 2, gold 1 -> P .5 R 1 F1 2/3
        assert!((s.labels[Against.index()].f1 - 2.0 / 3.0).abs() < 1e-12);
        // none: tp 1, predicted 1, gold 2 -> P 1 R .5 F1 2/3
        assert!((s.labels[None.index()].f1 - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.f_avg - (0.5 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        assert!((s.accuracy - 0.6).abs() < 1e-12);
        assert_eq!(s.confusion[Favor.index()][Against.index()], 1);

        let r = StanceReport::compute("x", &items, &["A".into(), "b".into(), "C".into()]);
        assert_eq!(r.by_target.len(), 2);
        assert!(r.to_table().contains("target A (n = 3)"));
    }

    #[test]
    fn calibration_error_is_zero_when_confidence_matches_accuracy() {
        use Stance::*;
        let items = [it("A", Favor, Favor, 1.0), it("A", None, None, 1.0)];
        assert!(expected_calibration_error(&items, 10).abs() < 1e-9);
        let items = [it("A", Favor, Against, 1.0)];
        assert!((expected_calibration_error(&items, 10) - 1.0).abs() < 1e-9);
    }
}
