//! Training: from a recipe and a data directory to a [`StanceModelFile`].
//!
//! 1. Load each corpus's train and dev split; tokenize and featurize every example (in parallel).
//! 2. Select features after hashing: document frequency at least `min_df`, then the top
//!    `max_features` by chi-square against the labels; idf weights as scikit-learn's smooth idf.
//! 3. Fit the multinomial logistic model ([`crate::fit`]: linfa-logistic on the densified
//!    columns, or the same objective on the sparse rows) for each `alpha` of the grid
//!    (strongest penalty first, each fit warm-started from the last).
//! 4. For each fit and each prior correction, score the dev splits; keep the best mean score.
//! 5. Copy the weights into our own [`LinearModelData`]; linfa is not needed after this.

use crate::data::{self, DataSpec, StanceExample};
use crate::error::{Error, Result};
use crate::eval::{Scored, StanceReport};
use crate::features::{FeatureSink, Featurizer, Group, TargetQuery};
use crate::fit::{fit_logistic, FitSettings};
use crate::label::Stance;
use crate::model::{softmax, LinearModel, LinearModelData, SparseVec};
use crate::recipe::{DevMetric, SelectionMethod, SelectionParams, StanceRecipe, TrainParams};
use crate::stance::{
    compile_targets, resolve_target, StanceModelFile, STANCE_FORMAT, STANCE_FORMAT_VERSION,
};
use crate::tokenize::{CharIndex, Tokenizer, TokenizerSpec};
use ndarray::Array2;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

struct Split {
    corpus: usize,
    examples: Vec<StanceExample>,
    feats: Vec<Vec<(u64, Group)>>,
}

/// Trains a stance model as `recipe` says, reading corpora below `data_dir`. Progress messages go
/// to `progress`.
pub fn train_stance(
    recipe: &StanceRecipe,
    data_dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<StanceModelFile> {
    recipe.check()?;
    let start = Instant::now();
    let tokenizer = Tokenizer::new(TokenizerSpec::default());
    let named = compile_targets(&tokenizer, &recipe.target);
    let featurizer = Featurizer::new(recipe.features.clone());

    // 1. Load and featurize.
    let mut digest = xxhash_rust::xxh3::Xxh3::new();
    let mut train: Vec<Split> = Vec::new();
    let mut dev: Vec<Split> = Vec::new();
    for (ci, c) in recipe.corpus.iter().enumerate() {
        let enc = data::encoding_for_label(c.encoding.as_deref().unwrap_or("utf-8"))?;
        for (rel, out) in [(&c.train, &mut train), (&c.dev, &mut dev)] {
            let path = data_dir.join(rel);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            digest.update(&bytes);
            let mut examples = data::load(
                &DataSpec {
                    format: c.format,
                    path: path.clone(),
                },
                enc,
            )?;
            if rel == &c.train && !c.mirror.is_empty() {
                let n = mirror_examples(&mut examples, &c.mirror[0], &c.mirror[1]);
                progress(&format!(
                    "{}: {n} examples mirrored between {} and {}",
                    c.name, c.mirror[0], c.mirror[1]
                ));
            }
            let feats = featurize(&tokenizer, &featurizer, &named, &examples, false)
                .into_iter()
                .map(|(f, _)| f)
                .collect();
            progress(&format!(
                "{}: {} examples from {}",
                c.name,
                examples.len(),
                path.display()
            ));
            out.push(Split {
                corpus: ci,
                examples,
                feats,
            });
        }
    }
    let n_train: usize = train.iter().map(|s| s.examples.len()).sum();
    if n_train == 0 {
        return Err(Error::Train("the training splits hold no examples".into()));
    }
    let labels: Vec<usize> = train
        .iter()
        .flat_map(|s| s.examples.iter().map(|e| e.label.index()))
        .collect();
    let mut class_count = [0usize; 3];
    for &l in &labels {
        class_count[l] += 1;
    }
    if let Some(missing) = (0..3).find(|&c| class_count[c] == 0) {
        return Err(Error::Train(format!(
            "no training example is labelled {}; every label needs examples",
            Stance::ALL[missing]
        )));
    }

    // 2. Feature selection.
    let all_feats: Vec<&Vec<(u64, Group)>> = train.iter().flat_map(|s| &s.feats).collect();
    let corpus_of: Vec<usize> = train
        .iter()
        .flat_map(|s| std::iter::repeat_n(s.corpus, s.examples.len()))
        .collect();
    // The target key of every training row.
    let mut key_names: Vec<String> = Vec::new();
    let row_key: Vec<usize> = train
        .iter()
        .flat_map(|s| &s.examples)
        .map(|ex| {
            let key = resolve_target(&tokenizer, &named, &ex.target).key;
            match key_names.iter().position(|k| *k == key) {
                Some(i) => i,
                None => {
                    key_names.push(key);
                    key_names.len() - 1
                }
            }
        })
        .collect();
    let per_key = recipe.train.per_key;
    if per_key
        && !(recipe.features.bias && recipe.features.conjoin_target && !recipe.features.shared)
    {
        return Err(Error::Train(
            "train.per_key needs features.bias = true, conjoin_target = true and shared = false"
                .into(),
        ));
    }
    if recipe.train.refit_with_dev && !per_key {
        return Err(Error::Train(
            "train.refit_with_dev needs train.per_key = true".into(),
        ));
    }
    let selected = if per_key {
        // Each key's rows are a problem of their own: select max_features for each.
        let mut out = Vec::new();
        for key in 0..key_names.len() {
            let rows: Vec<usize> = (0..n_train).filter(|&i| row_key[i] == key).collect();
            let feats: Vec<&Vec<(u64, Group)>> = rows.iter().map(|&i| all_feats[i]).collect();
            let ys: Vec<usize> = rows.iter().map(|&i| labels[i]).collect();
            let zeros = vec![0; rows.len()];
            out.extend(select_features(&feats, &ys, &zeros, 1, &recipe.selection)?);
        }
        out.sort_by_key(|s| (s.group, s.hash));
        out.dedup_by_key(|s| s.hash);
        out
    } else {
        select_features(
            &all_feats,
            &labels,
            &corpus_of,
            recipe.corpus.len(),
            &recipe.selection,
        )?
    };
    let k = selected.len();
    progress(&format!(
        "{} training examples; {} features selected ({:.1} s)",
        n_train,
        k,
        start.elapsed().as_secs_f64()
    ));
    let mut data = LinearModelData {
        labels: Stance::ALL.iter().map(|s| s.as_str().to_owned()).collect(),
        hashes: selected.iter().map(|f| f.hash).collect(),
        groups: selected.iter().map(|f| f.group as u8).collect(),
        idf: selected
            .iter()
            .map(|f| (((1 + n_train) as f64 / (1 + f.df) as f64).ln() + 1.0) as f32)
            .collect(),
        names: vec![String::new(); k].into(),
        weights: vec![0.0; k * 3],
        intercept: vec![0.0; 3],
        checksum: String::new(),
    };
    data.checksum = data.compute_checksum();
    let vocab = LinearModel::from_data(data.clone(), Path::new("<training>"))?;
    let vectorize = |feats: &Vec<(u64, Group)>| {
        let mut x = SparseVec::new();
        vocab.vectorize(feats, &mut x);
        x
    };
    let train_x: Vec<SparseVec> = all_feats.par_iter().map(|f| vectorize(f)).collect();
    let dev_x: Vec<Vec<SparseVec>> = dev
        .iter()
        .map(|s| s.feats.par_iter().map(vectorize).collect())
        .collect();
    // With `pair_mix`: each dev example toward one of its targets, toward the other as well,
    // so that dev scores mix the two as the model will.
    let mix_weight = recipe.pair_mix.as_ref().map_or(0.0, |m| m.weight);
    let partner_x: Vec<Vec<Option<SparseVec>>> = dev
        .iter()
        .map(|s| match &recipe.pair_mix {
            Some(m) if m.weight > 0.0 => s
                .examples
                .par_iter()
                .map(|ex| {
                    let key = resolve_target(&tokenizer, &named, &ex.target).key;
                    let pair = m.targets.clone().map(|t| t.to_lowercase());
                    let other = if key == pair[0] {
                        &m.targets[1]
                    } else if key == pair[1] {
                        &m.targets[0]
                    } else {
                        return None;
                    };
                    let ex = StanceExample {
                        target: other.clone(),
                        target_span: None,
                        ..ex.clone()
                    };
                    let (feats, _) = featurize_one(&tokenizer, &featurizer, &named, &ex, false);
                    Some(vectorize(&feats))
                })
                .collect(),
            _ => vec![None; s.examples.len()],
        })
        .collect();
    // With `refit_with_dev`: the dev rows (mirrored as their corpus's train rows are) for the
    // last fit of each key.
    let refit_rows: Vec<(SparseVec, usize, String)> = if recipe.train.refit_with_dev {
        let mut rows = Vec::new();
        for (s, xs) in dev.iter().zip(&dev_x) {
            for (ex, x) in s.examples.iter().zip(xs) {
                let key = resolve_target(&tokenizer, &named, &ex.target).key;
                rows.push((x.clone(), ex.label.index(), key));
            }
            let c = &recipe.corpus[s.corpus];
            if !c.mirror.is_empty() {
                let mut mirrored = s.examples.clone();
                let n = s.examples.len();
                mirror_examples(&mut mirrored, &c.mirror[0], &c.mirror[1]);
                let feats = featurize(&tokenizer, &featurizer, &named, &mirrored[n..], false);
                for (ex, (f, _)) in mirrored[n..].iter().zip(feats) {
                    let key = resolve_target(&tokenizer, &named, &ex.target).key;
                    rows.push((vectorize(&f), ex.label.index(), key));
                }
            }
        }
        rows
    } else {
        Vec::new()
    };
    drop(all_feats);
    for s in train.iter_mut().chain(dev.iter_mut()) {
        s.feats = Vec::new();
    }

    // Per column: the target key of the rows it occurs in (if only one), and its scale in the fit.
    const MIXED: usize = usize::MAX;
    const UNSEEN: usize = usize::MAX - 1;
    let mut col_key = vec![UNSEEN; k];
    let mut bias_counts: HashMap<u32, [usize; 3]> = HashMap::new();
    for ((x, &key), &y) in train_x.iter().zip(&row_key).zip(&labels) {
        for &(j, _) in x {
            let ck = &mut col_key[j as usize];
            *ck = match *ck {
                UNSEEN => key,
                c if c == key => c,
                _ => MIXED,
            };
            if data.groups[j as usize] == Group::Bias as u8 {
                bias_counts.entry(j).or_default()[y] += 1;
            }
        }
    }
    let group_names = ["word", "char", "context", "cue", "bias"];
    let nb_gamma: Vec<f32> = key_names
        .iter()
        .map(|key| recipe.train.nb_scale.get(key).copied().unwrap_or(0.0))
        .collect();
    let nb = nb_scale(
        &train_x,
        &labels,
        &row_key,
        &col_key,
        &data.groups,
        &nb_gamma,
    );
    let col_scale: Vec<f32> = (0..k)
        .map(|j| {
            let g = group_names[data.groups[j] as usize % Group::COUNT];
            let gs = recipe.train.group_scale.get(g).copied().unwrap_or(1.0);
            let ks = key_names
                .get(col_key[j])
                .and_then(|key| recipe.train.key_scale.get(key))
                .copied()
                .unwrap_or(1.0);
            gs * ks * nb[j]
        })
        .collect();
    let scaled_x: Vec<SparseVec>;
    let fit_x: &[SparseVec] = if col_scale.iter().all(|&v| v == 1.0) {
        &train_x
    } else {
        scaled_x = train_x
            .iter()
            .map(|x| {
                x.iter()
                    .map(|&(j, v)| (j, v * col_scale[j as usize]))
                    .collect()
            })
            .collect();
        &scaled_x
    };
    // Every training row has a bias column: prior correction per target key, on those columns.
    let per_key_prior = !bias_counts.is_empty()
        && train_x
            .iter()
            .all(|x| x.iter().any(|&(j, _)| bias_counts.contains_key(&j)));
    let bias_prior: Vec<(u32, [f32; 3])> = {
        let mut v: Vec<(u32, [f32; 3])> = bias_counts
            .iter()
            .map(|(&j, c)| {
                let n: usize = c.iter().sum();
                // Add-one smoothing: a key may lack a label.
                let p = |i: usize| (((c[i] + 1) as f64) / ((n + 3) as f64)).ln() as f32;
                (j, [p(0), p(1), p(2)])
            })
            .collect();
        v.sort_unstable_by_key(|e| e.0);
        v
    };

    // 3. The grid (each fit densifies the selected columns).
    let prior: Vec<f32> = class_count
        .iter()
        .map(|&c| (c as f64 / n_train as f64).ln() as f32)
        .collect();
    let target_names: Vec<String> = recipe.target.iter().map(|t| t.name.clone()).collect();

    let mut alphas = recipe.train.alphas.clone();
    alphas.sort_by(|a, b| b.total_cmp(a));
    let mut taus = recipe.train.prior_correction.clone();
    if taus.is_empty() {
        taus.push(0.0);
    }
    let dev_score = |weights: &[f32], intercept: &[f32]| -> (f64, Vec<f64>) {
        let mut per_corpus = Vec::new();
        for ((s, xs), px) in dev.iter().zip(&dev_x).zip(&partner_x) {
            let scored = score_split(weights, intercept, s, xs, px, mix_weight);
            let report = StanceReport::compute("", &scored, &target_names);
            per_corpus.push(match recipe.corpus[s.corpus].metric {
                DevMetric::MacroF1 => report.overall.macro_f1,
                DevMetric::FAvgByTarget => report.mean_target_f_avg.unwrap_or(report.overall.f_avg),
            });
        }
        let score = per_corpus.iter().sum::<f64>() / per_corpus.len().max(1) as f64;
        (score, per_corpus)
    };
    let show = |per_corpus: &[f64]| {
        per_corpus
            .iter()
            .zip(&dev)
            .map(|(v, s)| format!("{} {:.1}", recipe.corpus[s.corpus].name, 100.0 * v))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // 4b. With per_key and calibrate: the temperature of each key's candidate on its dev rows
    // (a key's rows only use its own columns), so that choices made on mixed probabilities
    // (`pair_mix`) see the calibrated ones the model will give.
    let dev_key: Vec<Vec<Option<usize>>> = dev
        .iter()
        .map(|s| {
            s.examples
                .iter()
                .map(|ex| {
                    let key = resolve_target(&tokenizer, &named, &ex.target).key;
                    key_names.iter().position(|k| *k == key)
                })
                .collect()
        })
        .collect();
    let temperature = |key: usize, cw: &[(usize, [f32; 3])]| -> Option<f32> {
        let mut w = vec![0f32; k * 3];
        for (j, v) in cw {
            w[j * 3..j * 3 + 3].copy_from_slice(v);
        }
        // (scores, gold) of the key's dev rows.
        let mut rows: Vec<([f32; 3], usize)> = Vec::new();
        for ((s, xs), keys) in dev.iter().zip(&dev_x).zip(&dev_key) {
            for ((ex, x), &kk) in s.examples.iter().zip(xs).zip(keys) {
                if kk != Some(key) {
                    continue;
                }
                let mut z = [0f32; 3];
                for &(j, v) in x {
                    for c in 0..3 {
                        z[c] += v * w[j as usize * 3 + c];
                    }
                }
                rows.push((z, ex.label.index()));
            }
        }
        (!rows.is_empty()).then(|| fit_temperature(&rows))
    };
    let calibrate: Option<&Calibrate> = (per_key && recipe.train.calibrate).then_some(&temperature);
    let (_score, chosen, weights, intercept, dev_weights) = if per_key {
        let f = fit_per_key(
            &PerKeyProblem {
                train_x: &train_x,
                labels: &labels,
                row_key: &row_key,
                key_names: &key_names,
                col_key: &col_key,
                col_scale: &col_scale,
                groups: &data.groups,
                alphas: &alphas,
                taus: &taus,
                params: &recipe.train,
                refit_rows: &refit_rows,
            },
            &dev_score,
            calibrate,
            &show,
            progress,
        )?;
        (f.score, f.chosen, f.weights, f.intercept, f.dev_weights)
    } else {
        let mut warm: Option<Array2<f32>> = None;
        let mut best: Option<Candidate> = None;
        for &alpha in &alphas {
            let t0 = Instant::now();
            let (mut weights, b) = fit_logistic(
                fit_x,
                &labels,
                k,
                3,
                &fit_settings(&recipe.train, alpha),
                &mut warm,
            )?;
            let fit_secs = t0.elapsed().as_secs_f64();
            for (j, w) in weights.chunks_mut(3).enumerate() {
                for v in w {
                    *v *= col_scale[j];
                }
            }
            for &tau in &taus {
                let mut weights = weights.clone();
                let intercept: Vec<f32> = if per_key_prior {
                    for (j, p) in &bias_prior {
                        for c in 0..3 {
                            weights[*j as usize * 3 + c] -= tau * p[c];
                        }
                    }
                    b.to_vec()
                } else {
                    (0..3).map(|c| b[c] - tau * prior[c]).collect()
                };
                let (score, per_corpus) = dev_score(&weights, &intercept);
                progress(&format!(
                    "alpha {alpha:<6} prior correction {tau:<4} dev {} -> mean {:.1}  (fit {:.1} s)",
                    show(&per_corpus),
                    100.0 * score,
                    fit_secs
                ));
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, alpha, tau, weights, intercept));
                }
            }
        }
        let (score, alpha, tau, weights, intercept) =
            best.ok_or_else(|| Error::Train("the grid is empty".into()))?;
        progress(&format!(
            "chose alpha {alpha}, prior correction {tau} (dev mean {:.1}); {:.1} s so far",
            100.0 * score,
            start.elapsed().as_secs_f64()
        ));
        (
            score,
            serde_json::json!({ "alpha": alpha, "prior_correction": tau, "dev_mean": score }),
            weights,
            intercept,
            None,
        )
    };

    // 5. Names of the selected features, from a second pass that records them.
    let col: HashMap<u64, usize> = data
        .hashes
        .iter()
        .enumerate()
        .map(|(j, &h)| (h, j))
        .collect();
    let mut missing = k;
    'outer: for s in &train {
        let named_feats = featurize(&tokenizer, &featurizer, &named, &s.examples, true);
        for (feats, names) in named_feats {
            for ((h, _), name) in feats.iter().zip(names) {
                if let Some(&j) = col.get(h) {
                    if data.names[j].is_empty() {
                        data.names[j] = name;
                        missing -= 1;
                        if missing == 0 {
                            break 'outer;
                        }
                    }
                }
            }
        }
    }
    data.weights = weights;
    data.intercept = intercept;
    data.checksum = data.compute_checksum();
    let final_model = LinearModel::from_data(data.clone(), Path::new("<training>"))?;

    // The dev figures: of the fit on train alone when the model was refitted with dev.
    let mut reports = Vec::new();
    for ((s, xs), px) in dev.iter().zip(&dev_x).zip(&partner_x) {
        let scored = score_split(
            dev_weights
                .as_deref()
                .unwrap_or(&final_model.data().weights),
            &final_model.data().intercept,
            s,
            xs,
            px,
            mix_weight,
        );
        let c = &recipe.corpus[s.corpus];
        reports.push(StanceReport::compute(
            &format!("{}:{}", c.name, c.dev.display()),
            &scored,
            &target_names,
        ));
    }
    progress(&format!(
        "trained in {:.1} s",
        start.elapsed().as_secs_f64()
    ));
    Ok(StanceModelFile {
        format: STANCE_FORMAT.into(),
        format_version: STANCE_FORMAT_VERSION,
        whosaid_version: env!("CARGO_PKG_VERSION").into(),
        recipe: recipe.clone(),
        data_digest: format!("{:016x}", digest.digest()),
        dev: reports,
        chosen,
        tokenizer: tokenizer.spec().clone(),
        features: recipe.features.clone(),
        targets: recipe.target.clone(),
        model: data,
        pair_mix: recipe.pair_mix.clone(),
    })
}

/// The per-key training problem: rows, their labels and target keys, columns with their keys.
struct PerKeyProblem<'a> {
    train_x: &'a [SparseVec],
    labels: &'a [usize],
    row_key: &'a [usize],
    key_names: &'a [String],
    /// The key of the rows each column occurs in (an index into `key_names`, or another value
    /// when none or several).
    col_key: &'a [usize],
    col_scale: &'a [f32],
    groups: &'a [u8],
    alphas: &'a [f32],
    taus: &'a [f32],
    params: &'a crate::recipe::TrainParams,
    /// Rows (vector, label, target key name) added to each key's own for a last fit with the
    /// chosen settings; none: no refit.
    refit_rows: &'a [(SparseVec, usize, String)],
}

/// A training row restricted to one key's columns, renumbered by `local` (`u32::MAX`: another
/// key's column) and scaled by `col_scale` for the fit.
fn key_row(x: &SparseVec, local: &[u32], col_scale: &[f32]) -> SparseVec {
    x.iter()
        .filter(|&&(j, _)| local[j as usize] != u32::MAX)
        .map(|&(j, v)| (local[j as usize], v * col_scale[j as usize]))
        .collect()
}

/// The count of each label in `ys` and its log prior, add-one smoothed (a key may lack a label).
fn label_log_prior(ys: &[usize]) -> ([usize; 3], Vec<f32>) {
    let mut count = [0usize; 3];
    for &y in ys {
        count[y] += 1;
    }
    let n: usize = count.iter().sum();
    let log_prior = count
        .iter()
        .map(|&c| (((c + 1) as f64) / ((n + 3) as f64)).ln() as f32)
        .collect();
    (count, log_prior)
}

/// A key's fit `(w, b)` (row-major, 3 labels; over its `cols` in order) as `(column, weights)`:
/// its columns' weights scaled back by `col_scale`, and its bias column's, which is the
/// intercept less `tau` times the log prior (the bias feature's value is 1, alone in its group
/// after normalization).
fn key_weights(
    cols: &[usize],
    bias_col: usize,
    col_scale: &[f32],
    (w, b): (&[f32], &[f32]),
    tau: f32,
    log_prior: &[f32],
) -> Vec<(usize, [f32; 3])> {
    let mut cw: Vec<(usize, [f32; 3])> = cols
        .iter()
        .enumerate()
        .map(|(i, &j)| {
            let s = col_scale[j];
            (j, [w[i * 3] * s, w[i * 3 + 1] * s, w[i * 3 + 2] * s])
        })
        .collect();
    cw.push((bias_col, [0, 1, 2].map(|c| b[c] - tau * log_prior[c])));
    cw
}

/// Divides every weight by the temperature `t`.
fn divide(cw: &mut [(usize, [f32; 3])], t: f32) {
    for (_, v) in cw {
        for v in v {
            *v /= t;
        }
    }
}

/// What [`fit_per_key`] chose and fitted.
struct PerKeyFit {
    /// The dev score of the choices (fitted on train alone).
    score: f64,
    /// The choices, as stored in the model.
    chosen: serde_json::Value,
    weights: Vec<f32>,
    intercept: Vec<f32>,
    /// With a refit on train + dev: the weights fitted on train alone, which the dev figures
    /// are computed with.
    dev_weights: Option<Vec<f32>>,
}

/// Scores weights and an intercept on the dev splits: the mean and each corpus's score.
type DevScore<'a> = dyn Fn(&[f32], &[f32]) -> (f64, Vec<f64>) + 'a;

/// The temperature of a key's weights `(column, weights)` on the key's dev rows (none without
/// dev rows).
type Calibrate<'a> = dyn Fn(usize, &[(usize, [f32; 3])]) -> Option<f32> + 'a;

/// One key's bias column, its other columns, their local indices (`u32::MAX` for another key's
/// column) and its last fit (to warm-start a refit).
type KeyLayout = (usize, Vec<usize>, Vec<u32>, Option<Array2<f32>>);

/// One key's fitted grid point: alpha, prior correction, `(column, weights)` of its columns,
/// its bias column included, and the temperature they were divided by (if calibrated).
type KeyCandidate = (f32, f32, Vec<(usize, [f32; 3])>, Option<f32>);

/// Fits each target key's rows on its own columns (with conjoined-only features and a bias per
/// key the problem splits into one block per key), every alpha for every key, then chooses each
/// key's alpha and prior correction on the dev splits by coordinate ascent. Returns the dev
/// score, the choices, the weights and a zero intercept (each key's intercept is its bias weight).
fn fit_per_key(
    p: &PerKeyProblem,
    dev_score: &DevScore,
    calibrate: Option<&Calibrate>,
    show: &dyn Fn(&[f64]) -> String,
    progress: &mut dyn FnMut(&str),
) -> Result<PerKeyFit> {
    let k = p.col_scale.len();
    let mut cands: Vec<Vec<KeyCandidate>> = Vec::new();
    let mut layout: Vec<KeyLayout> = Vec::new();
    for (key, key_name) in p.key_names.iter().enumerate() {
        let bias_col = (0..k)
            .find(|&j| p.col_key[j] == key && p.groups[j] == Group::Bias as u8)
            .ok_or_else(|| Error::Train(format!("target key {key_name:?} has no bias feature")))?;
        let cols: Vec<usize> = (0..k)
            .filter(|&j| p.col_key[j] == key && j != bias_col)
            .collect();
        let mut local = vec![u32::MAX; k];
        for (i, &j) in cols.iter().enumerate() {
            local[j] = i as u32;
        }
        layout.push((bias_col, cols.clone(), local.clone(), None));
        let rows: Vec<usize> = (0..p.train_x.len())
            .filter(|&i| p.row_key[i] == key)
            .collect();
        let xs: Vec<SparseVec> = rows
            .iter()
            .map(|&i| key_row(&p.train_x[i], &local, p.col_scale))
            .collect();
        let ys: Vec<usize> = rows.iter().map(|&i| p.labels[i]).collect();
        let (count, log_prior) = label_log_prior(&ys);
        let mut key_cands = Vec::new();
        if count.contains(&0) {
            // linfa needs every label: a key without one gets its (smoothed) prior only.
            progress(&format!(
                "key {key_name:<8} {} rows lack a label (counts {count:?}): prior only",
                rows.len()
            ));
            let bias = [log_prior[0], log_prior[1], log_prior[2]];
            let mut cw = vec![(bias_col, bias)];
            let t = calibrate.and_then(|f| f(key, &cw));
            if let Some(t) = t {
                cw[0].1 = bias.map(|v| v / t);
            }
            key_cands.push((0.0, 0.0, cw, t));
            cands.push(key_cands);
            continue;
        }
        // Balanced classes: each row of label `c` fitted round(largest count / count_c) times
        // (the log prior stays that of the data, so prior correction means the same).
        let (fit_xs, fit_ys): (Vec<SparseVec>, Vec<usize>) = if p.params.balance {
            let most = count.iter().copied().max().unwrap_or(0) as f64;
            let reps = count.map(|c| ((most / c.max(1) as f64).round() as usize).max(1));
            xs.iter()
                .zip(&ys)
                .flat_map(|(x, &y)| std::iter::repeat_n((x.clone(), y), reps[y]))
                .unzip()
        } else {
            (Vec::new(), Vec::new())
        };
        let (xs, ys) = if p.params.balance {
            (&fit_xs, &fit_ys)
        } else {
            (&xs, &ys)
        };
        let mut warm: Option<Array2<f32>> = None;
        for &alpha in p.alphas {
            let t0 = Instant::now();
            let (w, b) = fit_logistic(
                xs,
                ys,
                cols.len(),
                3,
                &fit_settings(p.params, alpha),
                &mut warm,
            )
            .map_err(|e| Error::Train(format!("target key {key_name:?}: {e}")))?;
            progress(&format!(
                "key {key_name:<8} {} rows x {} columns, alpha {alpha:<6} (fit {:.1} s)",
                ys.len(),
                cols.len(),
                t0.elapsed().as_secs_f64()
            ));
            for &tau in p.taus {
                let mut cw = key_weights(&cols, bias_col, p.col_scale, (&w, &b), tau, &log_prior);
                let t = calibrate.and_then(|f| f(key, &cw));
                if let Some(t) = t {
                    divide(&mut cw, t);
                }
                key_cands.push((alpha, tau, cw, t));
            }
        }
        layout[key].3 = warm;
        cands.push(key_cands);
    }
    let intercept = vec![0f32; 3];
    let assemble = |cands: &[Vec<KeyCandidate>], choice: &[usize]| {
        let mut w = vec![0f32; k * 3];
        for (key, &c) in choice.iter().enumerate() {
            for (j, v) in &cands[key][c].2 {
                w[j * 3..j * 3 + 3].copy_from_slice(v);
            }
        }
        w
    };
    // Coordinate ascent over the keys' grid points; ties keep the earlier point.
    let mut choice = vec![0usize; cands.len()];
    let mut best = dev_score(&assemble(&cands, &choice), &intercept).0;
    for _round in 0..2 {
        let mut changed = false;
        for key in 0..cands.len() {
            for c in 0..cands[key].len() {
                let mut trial = choice.clone();
                trial[key] = c;
                let (score, _) = dev_score(&assemble(&cands, &trial), &intercept);
                if score > best {
                    best = score;
                    choice = trial;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let (score, per_corpus) = dev_score(&assemble(&cands, &choice), &intercept);
    let dev_weights = (!p.refit_rows.is_empty()).then(|| assemble(&cands, &choice));
    if !p.refit_rows.is_empty() {
        for (key, key_name) in p.key_names.iter().enumerate() {
            let (alpha, tau, _, t) = cands[key][choice[key]].clone();
            if alpha == 0.0 {
                // A key fitted to its prior alone (it lacks a label) stays so.
                continue;
            }
            let (bias_col, cols, local, warm) = &mut layout[key];
            let mut xs = Vec::new();
            let mut ys = Vec::new();
            let own = (0..p.train_x.len())
                .filter(|&i| p.row_key[i] == key)
                .map(|i| (&p.train_x[i], p.labels[i]));
            let extra = p
                .refit_rows
                .iter()
                .filter(|r| r.2 == *key_name)
                .map(|r| (&r.0, r.1));
            for (x, y) in own.chain(extra) {
                xs.push(key_row(x, local, p.col_scale));
                ys.push(y);
            }
            let (count, log_prior) = label_log_prior(&ys);
            if count.contains(&0) {
                continue;
            }
            let t0 = Instant::now();
            let (w, b) = fit_logistic(
                &xs,
                &ys,
                cols.len(),
                3,
                &fit_settings(p.params, alpha),
                warm,
            )
            .map_err(|e| Error::Train(format!("target key {key_name:?}: {e}")))?;
            progress(&format!(
                "key {key_name:<8} refit on train + dev: {} rows, alpha {alpha} (fit {:.1} s)",
                ys.len(),
                t0.elapsed().as_secs_f64()
            ));
            let mut cw = key_weights(cols, *bias_col, p.col_scale, (&w, &b), tau, &log_prior);
            if let Some(t) = t {
                divide(&mut cw, t);
            }
            cands[key][choice[key]].2 = cw;
        }
    }
    let weights = assemble(&cands, &choice);
    let mut chosen = serde_json::Map::new();
    let mut temps = serde_json::Map::new();
    for (key, &c) in choice.iter().enumerate() {
        let (alpha, tau, _, t) = &cands[key][c];
        if let Some(t) = t {
            progress(&format!(
                "key {:<8} temperature {t:.3} on its dev rows",
                p.key_names[key]
            ));
            temps.insert(p.key_names[key].clone(), serde_json::json!(t));
        }
        progress(&format!(
            "key {:<8} chose alpha {alpha}, prior correction {tau}",
            p.key_names[key]
        ));
        chosen.insert(
            p.key_names[key].clone(),
            serde_json::json!({ "alpha": alpha, "prior_correction": tau }),
        );
    }
    progress(&format!(
        "dev {} -> mean {:.1}",
        show(&per_corpus),
        100.0 * score
    ));
    let mut chosen = serde_json::json!({ "per_key": chosen, "dev_mean": score });
    if calibrate.is_some() {
        chosen["temperature"] = serde_json::Value::Object(temps);
    }
    if dev_weights.is_some() {
        chosen["refit_with_dev"] = serde_json::json!(true);
    }
    Ok(PerKeyFit {
        score,
        chosen,
        weights,
        intercept,
        dev_weights,
    })
}

/// A fitted grid point: dev score, alpha, prior correction, weights, intercept.
type Candidate = (f64, f32, f32, Vec<f32>, Vec<f32>);

/// The settings of a fit with penalty `alpha`.
fn fit_settings(params: &TrainParams, alpha: f32) -> FitSettings {
    FitSettings {
        solver: params.solver,
        alpha,
        max_iterations: params.max_iterations,
        gradient_tolerance: params.gradient_tolerance,
    }
}

/// Per column, `(r_j / mean r)^gamma` where `r_j` is the column's largest naive-Bayes log-count
/// ratio `|ln(p(j | c) / p(j | not c))|` over the labels `c`, counted on the rows of its target key
/// (add-one smoothed; the mean is over the key's columns) and `gamma` that of its key: a scale in
/// the fit that penalizes discriminative columns less (as NB-SVM does). 1 where `gamma` is 0,
/// and for bias columns and columns of no single key.
fn nb_scale(
    rows: &[SparseVec],
    labels: &[usize],
    row_key: &[usize],
    col_key: &[usize],
    groups: &[u8],
    gamma: &[f32],
) -> Vec<f32> {
    let k = col_key.len();
    let n_keys = gamma.len();
    if gamma.iter().all(|&g| g == 0.0) {
        return vec![1.0; k];
    }
    let mut counts = vec![[0f64; 3]; k];
    let mut class_n = vec![[0f64; 3]; n_keys];
    for ((x, &y), &key) in rows.iter().zip(labels).zip(row_key) {
        class_n[key][y] += 1.0;
        for &(j, _) in x {
            counts[j as usize][y] += 1.0;
        }
    }
    let r: Vec<f64> = (0..k)
        .map(|j| {
            let Some(n) = class_n.get(col_key[j]) else {
                return 0.0;
            };
            let c = &counts[j];
            let (tot_c, tot_n): (f64, f64) = (c.iter().sum(), n.iter().sum());
            (0..3)
                .map(|y| {
                    let p = (c[y] + 1.0) / (n[y] + 2.0);
                    let q = (tot_c - c[y] + 1.0) / (tot_n - n[y] + 2.0);
                    (p / q).ln().abs()
                })
                .fold(0.0, f64::max)
        })
        .collect();
    let mut mean = vec![(0f64, 0usize); n_keys];
    for j in 0..k {
        if let Some(m) = mean.get_mut(col_key[j]) {
            if groups[j] != Group::Bias as u8 {
                m.0 += r[j];
                m.1 += 1;
            }
        }
    }
    (0..k)
        .map(|j| match mean.get(col_key[j]) {
            Some(&(sum, n)) if n > 0 && sum > 0.0 && groups[j] != Group::Bias as u8 => {
                let g = f64::from(gamma[col_key[j]]);
                ((r[j] / (sum / n as f64)).max(1e-3).powf(g)) as f32
            }
            _ => 1.0,
        })
        .collect()
}

/// The temperature `t` (scores divided by `t`) with the least mean log loss on `rows` of
/// `(scores, gold label)`: golden-section search on `ln t` in [ln 0.2, ln 5].
fn fit_temperature(rows: &[([f32; 3], usize)]) -> f32 {
    let nll = |lt: f64| -> f64 {
        let t = lt.exp();
        rows.iter()
            .map(|(z, y)| {
                let z = z.map(|v| f64::from(v) / t);
                let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let lse = m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
                lse - z[*y]
            })
            .sum::<f64>()
    };
    let (mut a, mut b) = (0.2f64.ln(), 5f64.ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut c, mut d) = (b - g * (b - a), a + g * (b - a));
    let (mut fc, mut fd) = (nll(c), nll(d));
    for _ in 0..60 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = nll(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = nll(d);
        }
    }
    (((a + b) / 2.0).exp()) as f32
}

/// Appends, for every example toward target `a` or `b` (case-insensitive) without a span, the
/// same text toward the other target with favor and against swapped. Returns how many.
fn mirror_examples(examples: &mut Vec<StanceExample>, a: &str, b: &str) -> usize {
    let extra: Vec<StanceExample> = examples
        .iter()
        .filter(|ex| ex.target_span.is_none())
        .filter_map(|ex| {
            let other = if ex.target.eq_ignore_ascii_case(a) {
                b
            } else if ex.target.eq_ignore_ascii_case(b) {
                a
            } else {
                return None;
            };
            Some(StanceExample {
                id: format!("{}~{other}", ex.id),
                text: ex.text.clone(),
                target: other.to_owned(),
                target_span: None,
                label: ex.label.mirrored(),
                origin: ex.origin.clone(),
            })
        })
        .collect();
    let n = extra.len();
    examples.extend(extra);
    n
}

type Named = (Vec<(u64, Group)>, Vec<String>);

fn featurize_one(
    tokenizer: &Tokenizer,
    featurizer: &Featurizer,
    named: &[crate::features::CompiledTarget],
    ex: &StanceExample,
    names: bool,
) -> Named {
    let tokens = tokenizer.tokenize(&ex.text);
    let target = resolve_target(tokenizer, named, &ex.target);
    let span = ex.target_span.and_then(|(a, b)| {
        let ix = CharIndex::new(&ex.text);
        Some(ix.byte(a)?..ix.byte(b)?)
    });
    let mut sink = FeatureSink::new(names);
    let q = TargetQuery {
        target: &target,
        span: span.as_ref(),
        others: named,
    };
    featurizer.extract(&ex.text, &tokens, &q, &mut sink);
    (sink.feats, sink.names.unwrap_or_default())
}

fn featurize(
    tokenizer: &Tokenizer,
    featurizer: &Featurizer,
    named: &[crate::features::CompiledTarget],
    examples: &[StanceExample],
    names: bool,
) -> Vec<Named> {
    examples
        .par_iter()
        .map(|ex| featurize_one(tokenizer, featurizer, named, ex, names))
        .collect()
}

/// The probabilities of one row.
fn row_probs(weights: &[f32], intercept: &[f32], x: &SparseVec) -> [f32; 3] {
    let mut s = intercept.to_vec();
    for &(j, v) in x {
        for c in 0..3 {
            s[c] += v * weights[j as usize * 3 + c];
        }
    }
    let p = softmax(s);
    [p[0], p[1], p[2]]
}

/// Scores a split's rows; a row with a partner (the same text toward the other target of
/// `pair_mix`) takes `mix` of the partner's mirrored probabilities, as the model does.
fn score_split<'a>(
    weights: &[f32],
    intercept: &[f32],
    split: &'a Split,
    xs: &[SparseVec],
    partners: &[Option<SparseVec>],
    mix: f32,
) -> Vec<Scored<'a>> {
    split
        .examples
        .iter()
        .zip(xs)
        .zip(partners)
        .map(|((ex, x), partner)| {
            let mut probs = row_probs(weights, intercept, x);
            if let Some(px) = partner.as_ref().filter(|_| mix > 0.0) {
                let q = row_probs(weights, intercept, px);
                crate::stance::mix_mirrored(&mut probs, &q, mix);
            }
            let best = (0..3)
                .max_by(|&a, &b| probs[a].total_cmp(&probs[b]))
                .unwrap_or(1);
            Scored {
                target: &ex.target,
                gold: ex.label,
                pred: Stance::ALL[best],
                probs,
            }
        })
        .collect()
}

struct Selected {
    hash: u64,
    group: Group,
    df: usize,
}

/// Chi-square of feature presence (`counts` per class) against labels with `class_n` per class.
fn chi2(counts: &[u32; 3], class_n: &[f64; 3]) -> f64 {
    let n: f64 = class_n.iter().sum();
    let df: f64 = counts.iter().map(|&c| c as f64).sum();
    (0..3)
        .map(|c| {
            let e = df * class_n[c] / n;
            let o = counts[c] as f64;
            if e > 0.0 {
                (o - e) * (o - e) / e
            } else {
                0.0
            }
        })
        .sum()
}

/// Selects features: document frequency at least `min_df`, then the top `max_features` by the
/// recipe's ranking, overall or in equal shares per corpus. Deterministic: ties break by hash.
fn select_features(
    rows: &[&Vec<(u64, Group)>],
    labels: &[usize],
    corpus_of: &[usize],
    n_corpora: usize,
    sel: &SelectionParams,
) -> Result<Vec<Selected>> {
    let scopes = if sel.per_corpus { n_corpora } else { 1 };
    let scope_of = |i: usize| if sel.per_corpus { corpus_of[i] } else { 0 };
    let mut stats: HashMap<u64, (Group, Vec<[u32; 3]>)> = HashMap::new();
    let mut class_n = vec![[0f64; 3]; scopes];
    let mut seen: Vec<(u64, Group)> = Vec::new();
    for (i, (row, &y)) in rows.iter().zip(labels).enumerate() {
        let sc = scope_of(i);
        class_n[sc][y] += 1.0;
        seen.clear();
        seen.extend(row.iter().copied());
        seen.sort_unstable_by_key(|f| f.0);
        seen.dedup_by_key(|f| f.0);
        for &(h, g) in &seen {
            stats
                .entry(h)
                .or_insert_with(|| (g, vec![[0; 3]; scopes]))
                .1[sc][y] += 1;
        }
    }
    let min_df = sel.min_df.max(1);
    let df_of = |counts: &Vec<[u32; 3]>| -> usize {
        counts
            .iter()
            .flat_map(|c| c.iter())
            .map(|&c| c as usize)
            .sum()
    };
    // One ranking per scope: (score, hash), best first.
    let mut rankings: Vec<Vec<(f64, u64)>> = vec![Vec::new(); scopes];
    for (&h, (_, counts)) in &stats {
        if df_of(counts) < min_df {
            continue;
        }
        for (sc, c) in counts.iter().enumerate() {
            if c.iter().all(|&v| v == 0) {
                continue;
            }
            let score = match sel.method {
                SelectionMethod::Chi2 => chi2(c, &class_n[sc]),
                SelectionMethod::Df => c.iter().map(|&v| v as f64).sum(),
            };
            rankings[sc].push((score, h));
        }
    }
    for r in &mut rankings {
        r.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    let mut chosen: Vec<u64> = Vec::with_capacity(sel.max_features);
    let mut taken = std::collections::HashSet::new();
    // Bias features are always kept (one per target key).
    let mut bias: Vec<u64> = stats
        .iter()
        .filter(|(_, (g, _))| *g == Group::Bias)
        .map(|(&h, _)| h)
        .collect();
    bias.sort_unstable();
    for h in bias {
        if chosen.len() < sel.max_features && taken.insert(h) {
            chosen.push(h);
        }
    }
    let char_cap = if sel.max_char == 0 {
        usize::MAX
    } else {
        sel.max_char
    };
    let mut n_char = 0usize;
    let mut pos = vec![0usize; scopes];
    while chosen.len() < sel.max_features {
        let mut progressed = false;
        for sc in 0..scopes {
            while let Some(&(_, h)) = rankings[sc].get(pos[sc]) {
                pos[sc] += 1;
                if stats[&h].0 == Group::Char {
                    if n_char >= char_cap {
                        continue;
                    }
                    if !taken.contains(&h) {
                        n_char += 1;
                    }
                }
                if taken.insert(h) {
                    chosen.push(h);
                    progressed = true;
                    break;
                }
            }
            if chosen.len() == sel.max_features {
                break;
            }
        }
        if !progressed {
            break;
        }
    }
    if chosen.is_empty() {
        return Err(Error::Train(format!(
            "no feature occurs in at least min_df = {min_df} training examples"
        )));
    }
    let mut out: Vec<Selected> = chosen
        .into_iter()
        .map(|h| {
            let (group, counts) = &stats[&h];
            Selected {
                hash: h,
                group: *group,
                df: df_of(counts),
            }
        })
        .collect();
    out.sort_by_key(|s| (s.group, s.hash));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixtures() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("training/fixtures")
    }

    /// The fixtures' tiny recipe with one fit per target key (and the features that needs).
    fn per_key_recipe(dir: &Path) -> StanceRecipe {
        let mut recipe = StanceRecipe::from_path(&dir.join("tiny.toml")).unwrap();
        recipe.features.bias = true;
        recipe.features.shared = false;
        recipe.train.per_key = true;
        recipe
    }

    #[test]
    fn per_key_training_is_deterministic_and_keys_lacking_a_label_fall_back_to_their_prior() {
        let dir = fixtures();
        let mut recipe = per_key_recipe(&dir);
        recipe.features.other_context = true;
        let mut log = Vec::new();
        let a = train_stance(&recipe, &dir, &mut |m| log.push(m.to_owned())).unwrap();
        let b = train_stance(&recipe, &dir, &mut |_| {}).unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        assert!(log.iter().any(|m| m.contains("chose alpha")), "{log:?}");
        assert_eq!(a.model.intercept, vec![0.0; 3]);
        let n_bias = a
            .model
            .groups
            .iter()
            .filter(|&&g| g == Group::Bias as u8)
            .count();
        assert!(n_bias >= 2, "one bias per key: {n_bias}");
        assert!(a.chosen["per_key"].is_object(), "{}", a.chosen);
        // Usable: the model loads and predicts.
        let m = crate::stance::StanceModel::from_file(a, Path::new("<test>")).unwrap();
        let p = m
            .predict("Russia shelled the port.", "Russia", None, 0)
            .unwrap();
        assert!((p.probs.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    }

    #[test]
    fn refit_with_dev_fits_train_and_dev_but_reports_the_train_only_dev_figures() {
        let dir = fixtures();
        let mut recipe = per_key_recipe(&dir);
        recipe.train.calibrate = true;
        let plain = train_stance(&recipe, &dir, &mut |_| {}).unwrap();
        recipe.train.refit_with_dev = true;
        let mut log = Vec::new();
        let refit = train_stance(&recipe, &dir, &mut |m| log.push(m.to_owned())).unwrap();
        assert!(
            log.iter().any(|m| m.contains("refit on train + dev")),
            "{log:?}"
        );
        assert_eq!(refit.chosen["refit_with_dev"], true, "{}", refit.chosen);
        assert_eq!(refit.chosen["per_key"], plain.chosen["per_key"]);
        // The dev figures are those of the fit on train alone: the same as without the refit.
        assert_eq!(
            serde_json::to_string(&refit.dev).unwrap(),
            serde_json::to_string(&plain.dev).unwrap()
        );
        assert_ne!(refit.model.weights, plain.model.weights);
        recipe.train.per_key = false;
        let e = train_stance(&recipe, &dir, &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("refit_with_dev needs"), "{e}");
        recipe.train.per_key = true;
        // The refitted model has learnt the dev examples: their gold labels are likelier.
        let dev = data::load(
            &DataSpec {
                format: recipe.corpus[0].format,
                path: dir.join(&recipe.corpus[0].dev),
            },
            encoding_rs::UTF_8,
        )
        .unwrap();
        let log_likelihood = |file: StanceModelFile| {
            let m = crate::stance::StanceModel::from_file(file, Path::new("<test>")).unwrap();
            dev.iter()
                .map(|ex| {
                    let span = ex.target_span.map(|(a, b)| a..b);
                    let p = m.predict(&ex.text, &ex.target, span, 0).unwrap();
                    f64::from(p.probs[ex.label.index()]).ln()
                })
                .sum::<f64>()
        };
        let (before, after) = (log_likelihood(plain), log_likelihood(refit));
        assert!(after > before, "{after} <= {before}");
    }

    #[test]
    fn pair_mix_mixes_each_target_with_the_others_mirrored_probabilities() {
        let dir = fixtures();
        let mut recipe = per_key_recipe(&dir);
        recipe.train.calibrate = true;
        recipe.pair_mix = Some(crate::recipe::PairMix {
            targets: ["Russia".into(), "Ukraine".into()],
            weight: 0.25,
        });
        let file = train_stance(&recipe, &dir, &mut |_| {}).unwrap();
        assert_eq!(file.pair_mix, recipe.pair_mix);
        let load = |f: &StanceModelFile| {
            crate::stance::StanceModel::from_file(f.clone(), Path::new("<test>")).unwrap()
        };
        let mixed = load(&file);
        let plain = load(&StanceModelFile {
            pair_mix: None,
            ..file.clone()
        });
        let half = load(&StanceModelFile {
            pair_mix: Some(crate::recipe::PairMix {
                targets: ["ukraine".into(), "RUSSIA".into()],
                weight: 0.5,
            }),
            ..file.clone()
        });
        for text in [
            "Russia shelled the port and Kyiv answered.",
            "Glory to Ukraine!",
            "The senator met Putin.",
            "",
        ] {
            let p = |m: &crate::stance::StanceModel, t: &str, span| {
                m.predict(text, t, span, 0).unwrap().probs
            };
            for (own, other) in [("Russia", "Ukraine"), ("Ukraine", "Russia")] {
                let (a, b, got) = (
                    p(&plain, own, None),
                    p(&plain, other, None),
                    p(&mixed, own, None),
                );
                for c in 0..3 {
                    let want = 0.75 * a[c] + 0.25 * b[2 - c];
                    assert!(
                        (got[c] - want).abs() < 1e-6,
                        "{text:?} {own}: {got:?} {want}"
                    );
                }
                // At 0.5 the two targets always mirror each other.
                let (x, y) = (p(&half, own, None), p(&half, other, None));
                for c in 0..3 {
                    assert!((x[c] - y[2 - c]).abs() < 1e-6, "{text:?}: {x:?} {y:?}");
                }
            }
            // Other targets are not mixed, and a span still picks the target's own mention.
            assert_eq!(
                p(&mixed, "the senator", None),
                p(&plain, "the senator", None)
            );
            if !text.is_empty() {
                let (a, b) = (p(&plain, "Russia", Some(0..6)), p(&plain, "Ukraine", None));
                let got = p(&mixed, "Russia", Some(0..6));
                for c in 0..3 {
                    assert!((got[c] - (0.75 * a[c] + 0.25 * b[2 - c])).abs() < 1e-6);
                }
            }
        }
        // The many-targets path mixes as the one-target path does.
        let tokens = mixed.tokenizer().tokenize("Moscow lost, Kyiv won.");
        let targets = [
            mixed.target("Russia"),
            mixed.target("Ukraine"),
            mixed.target("Biden"),
        ];
        let mut scratch = crate::stance::Scratch::default();
        let many =
            mixed.predict_tokens_many("Moscow lost, Kyiv won.", &tokens, &targets, 0, &mut scratch);
        for (t, m) in targets.iter().zip(many) {
            let one =
                mixed.predict_tokens("Moscow lost, Kyiv won.", &tokens, t, None, 0, &mut scratch);
            assert_eq!(m, one, "{}", t.key);
        }
        // A mix naming a target the model lacks is refused.
        let bad = StanceModelFile {
            pair_mix: Some(crate::recipe::PairMix {
                targets: ["Russia".into(), "Mars".into()],
                weight: 0.5,
            }),
            ..file
        };
        let e = crate::stance::StanceModel::from_file(bad, Path::new("m.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("m.json") && e.contains("pair_mix.targets"),
            "{e}"
        );
    }

    #[test]
    fn mirrored_examples_swap_favor_and_against_toward_the_other_target() {
        let ex = |id: &str, target: &str, label, span| StanceExample {
            id: id.into(),
            text: "Kyiv holds".into(),
            target: target.into(),
            target_span: span,
            label,
            origin: crate::data::Origin {
                path: Path::new("t.csv").into(),
                line: 1,
            },
        };
        let mut v = vec![
            ex("a", "russia", Stance::Favor, None),
            ex("b", "Ukraine", Stance::None, None),
            ex("c", "Ukraine", Stance::Against, Some((0, 4))),
            ex("d", "Biden", Stance::Favor, None),
        ];
        assert_eq!(mirror_examples(&mut v, "Russia", "Ukraine"), 2);
        let got: Vec<(&str, &str, Stance)> = v[4..]
            .iter()
            .map(|e| (e.id.as_str(), e.target.as_str(), e.label))
            .collect();
        assert_eq!(
            got,
            [
                ("a~Ukraine", "Ukraine", Stance::Against),
                ("b~Russia", "Russia", Stance::None)
            ]
        );
    }

    #[test]
    fn temperature_sharpens_underconfident_scores_and_softens_overconfident_ones() {
        // Right 90% of the time with scores that say 58%: t < 1.
        let rows: Vec<([f32; 3], usize)> = (0..100)
            .map(|i| ([1.0, 0.0, 0.0], if i % 10 == 0 { 1 } else { 0 }))
            .collect();
        assert!(fit_temperature(&rows) < 0.6, "{}", fit_temperature(&rows));
        // Right half of the time with scores that say 99.99%: t > 1.
        let rows: Vec<([f32; 3], usize)> = (0..100).map(|i| ([10.0, 0.0, 0.0], i % 2)).collect();
        assert!(fit_temperature(&rows) > 2.0, "{}", fit_temperature(&rows));
    }

    #[test]
    fn per_key_needs_a_bias_and_conjoined_only_features() {
        let dir = fixtures();
        let mut recipe = StanceRecipe::from_path(&dir.join("tiny.toml")).unwrap();
        recipe.train.per_key = true;
        let e = train_stance(&recipe, &dir, &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(e.contains("per_key needs features.bias"), "{e}");
    }
}
