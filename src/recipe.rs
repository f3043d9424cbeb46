//! Training recipes: declarative TOML files in `training/` naming the corpora, targets, feature
//! settings, hyperparameter grid and seed. A trained model stores a copy of its recipe.

use crate::data::Format;
use crate::error::{Error, Result};
use crate::features::{FeatureConfig, TargetSpec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How a corpus's dev split is scored when choosing hyperparameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DevMetric {
    /// Macro-F1 over the three labels.
    MacroF1,
    /// F-avg (mean F1 of favor and against), averaged over the recipe's named targets.
    FAvgByTarget,
}

/// One corpus of a recipe; paths are relative to the data directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusSpec {
    /// A short name used in reports, e.g. `ruw`.
    pub name: String,
    /// The file format.
    pub format: Format,
    /// Training split.
    pub train: PathBuf,
    /// Dev split, used to choose hyperparameters.
    pub dev: PathBuf,
    /// Text encoding label (default UTF-8).
    #[serde(default)]
    pub encoding: Option<String>,
    /// The metric its dev split is scored by.
    pub metric: DevMetric,
    /// Two named targets whose stances mirror each other in this corpus (RUW: favor toward
    /// Russia mostly goes with against toward Ukraine). Every training example toward one
    /// (without a span) is also used toward the other with favor and against swapped, so each
    /// target's model learns from both annotations of a text. Dev splits are not mirrored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mirror: Vec<String>,
}

/// How features are ranked for selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectionMethod {
    /// Chi-square of feature presence against the labels.
    Chi2,
    /// Document frequency (the most common features).
    Df,
}

/// Feature selection after hashing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SelectionParams {
    /// Keep features seen in at least this many training examples.
    pub min_df: usize,
    /// Then keep at most this many, the highest ranked.
    pub max_features: usize,
    /// The ranking.
    pub method: SelectionMethod,
    /// Rank within each corpus and take an equal share from each.
    pub per_corpus: bool,
    /// At most this many character n-gram features (0: no cap); the rest go to the other groups.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_char: usize,
}

fn is_zero(v: &usize) -> bool {
    *v == 0
}

impl Default for SelectionParams {
    fn default() -> Self {
        SelectionParams {
            min_df: 2,
            max_features: 8192,
            method: SelectionMethod::Chi2,
            per_corpus: false,
            max_char: 0,
        }
    }
}

/// Which implementation fits the logistic models: both minimise the same objective with the
/// same optimizer (see `whosaid::fit`, built with the `train` feature).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Solver {
    /// linfa-logistic's multinomial regression on a dense `ndarray` matrix (the reference).
    #[default]
    Linfa,
    /// The same objective evaluated on the sparse rows, with argmin's L-BFGS as linfa uses it.
    Sparse,
}

impl Solver {
    /// Whether this is the default, [`Solver::Linfa`] (recipes then leave it out).
    pub fn is_default(&self) -> bool {
        *self == Solver::Linfa
    }
}

/// Optimizer settings and the grid searched on the dev splits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainParams {
    /// L2 penalties tried (linfa's `alpha`; the loss is summed over examples, so alpha ~ 1/C).
    pub alphas: Vec<f32>,
    /// L-BFGS iterations per fit.
    pub max_iterations: u64,
    /// Gradient tolerance of L-BFGS.
    pub gradient_tolerance: f32,
    /// The fit's implementation (`linfa`, the default, or `sparse`).
    #[serde(skip_serializing_if = "Solver::is_default")]
    pub solver: Solver,
    /// Prior corrections tried against class imbalance: the intercept of label `c` is lowered by
    /// `tau * ln(prior_c)` (0 = none, 1 = fully balanced decision rule).
    pub prior_correction: Vec<f32>,
    /// Scale of a feature group's values in the fit (`word`, `char`, `context`, `cue`, `bias`;
    /// default 1). A scale `s` weakens the group's penalty by `s^2`; it is folded into the
    /// stored weights, so inference is unchanged.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub group_scale: BTreeMap<String, f32>,
    /// Scale of the features conjoined with a target key (`russia`, `ukraine`, `*`), as
    /// `group_scale`: a per-target regularization.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub key_scale: BTreeMap<String, f32>,
    /// Fit every target key on its own rows and columns (needs conjoined-only features and a
    /// bias), selecting `max_features` per key and choosing alpha and prior correction per key.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub per_key: bool,
    /// With `per_key`: after the grid, scale each target key's weights by one factor (a
    /// temperature) that minimizes the log loss of that key's dev examples. Decisions do not
    /// change; probabilities get better calibrated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub calibrate: bool,
    /// Per target key (`russia`, `ukraine`, `*`): scale each of the key's columns in the fit by
    /// its naive-Bayes log-count ratio relative to the key's mean, to this power (absent or 0:
    /// off), folded into the stored weights as `group_scale` is: the columns that tell the
    /// labels apart are penalized less (as in NB-SVM).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub nb_scale: BTreeMap<String, f32>,
    /// With `per_key`: fit each key on balanced classes, every row of label `c` repeated
    /// round(largest label count / count of `c`) times.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub balance: bool,
    /// With `per_key`: once each key's alpha, prior correction and temperature are chosen on
    /// the dev splits, fit each key again on its train and dev rows together with those
    /// choices (the dev rows mirrored as the corpus's train rows are). The features, their idf
    /// and scales stay those of the train splits; the dev figures stored in the model are those
    /// of the fit on train alone, since the refit model has seen dev.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub refit_with_dev: bool,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            alphas: vec![1.0, 3.0, 10.0],
            max_iterations: 100,
            gradient_tolerance: 1e-4,
            solver: Solver::Linfa,
            prior_correction: vec![0.0, 0.5, 1.0],
            group_scale: BTreeMap::new(),
            key_scale: BTreeMap::new(),
            per_key: false,
            calibrate: false,
            nb_scale: BTreeMap::new(),
            balance: false,
            refit_with_dev: false,
        }
    }
}

impl TrainParams {
    /// Checks every value, naming the first bad one.
    pub fn check(&self) -> Result<()> {
        if self.alphas.is_empty() {
            return Err(Error::InvalidParam {
                name: "train.alphas",
                value: "[]".into(),
                reason: "needs at least one value",
            });
        }
        if let Some(a) = self.alphas.iter().find(|a| !a.is_finite() || **a <= 0.0) {
            return Err(Error::InvalidParam {
                name: "train.alphas",
                value: a.to_string(),
                reason: "every alpha must be a positive finite number",
            });
        }
        if self.max_iterations == 0 {
            return Err(Error::InvalidParam {
                name: "train.max_iterations",
                value: "0".into(),
                reason: "must be at least 1",
            });
        }
        if !(self.gradient_tolerance.is_finite() && self.gradient_tolerance > 0.0) {
            return Err(Error::InvalidParam {
                name: "train.gradient_tolerance",
                value: self.gradient_tolerance.to_string(),
                reason: "must be a positive finite number",
            });
        }
        if let Some(t) = self
            .prior_correction
            .iter()
            .find(|t| !t.is_finite() || !(0.0..=2.0).contains(*t))
        {
            return Err(Error::InvalidParam {
                name: "train.prior_correction",
                value: t.to_string(),
                reason: "every value must be between 0 and 2",
            });
        }
        if let Some((k, v)) = self
            .nb_scale
            .iter()
            .find(|(_, v)| !(v.is_finite() && (0.0..=4.0).contains(*v)))
        {
            return Err(Error::InvalidParam {
                name: "train.nb_scale",
                value: format!("{k} = {v}"),
                reason: "every power must be between 0 and 4",
            });
        }
        for (name, map) in [
            ("train.group_scale", &self.group_scale),
            ("train.key_scale", &self.key_scale),
        ] {
            if let Some((k, v)) = map.iter().find(|(_, v)| !(v.is_finite() && **v > 0.0)) {
                return Err(Error::InvalidParam {
                    name,
                    value: format!("{k} = {v}"),
                    reason: "every scale must be a positive finite number",
                });
            }
        }
        if let Some(k) = self
            .group_scale
            .keys()
            .find(|k| !["word", "char", "context", "cue", "bias"].contains(&k.as_str()))
        {
            return Err(Error::InvalidParam {
                name: "train.group_scale",
                value: k.clone(),
                reason: "groups are word, char, context, cue and bias",
            });
        }
        Ok(())
    }
}

/// Two named targets whose stances mirror each other (RUW: favor toward Russia mostly goes with
/// against toward Ukraine), and how much of the other target's mirrored probabilities a
/// prediction toward one of them takes: `p = (1 - weight) p_own + weight mirror(p_other)`, where
/// `p_other` is the other target's model on the same text and `mirror` swaps favor and against.
/// At weight 0.5 the two targets' predictions always mirror each other. Stored in the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairMix {
    /// The two named targets, e.g. `["Russia", "Ukraine"]`.
    pub targets: [String; 2],
    /// Weight of the other target's mirrored probabilities, between 0 (off) and 0.5.
    pub weight: f32,
}

impl PairMix {
    /// Checks the weight and that the targets are two different ones of `named`.
    pub fn check(&self, named: &[TargetSpec]) -> Result<()> {
        let known = |n: &String| named.iter().any(|t| t.name.eq_ignore_ascii_case(n));
        if !self.targets.iter().all(known) || self.targets[0].eq_ignore_ascii_case(&self.targets[1])
        {
            return Err(Error::InvalidParam {
                name: "pair_mix.targets",
                value: format!("{:?}", self.targets),
                reason: "must name two different [[target]] names",
            });
        }
        if !(self.weight.is_finite() && (0.0..=0.5).contains(&self.weight)) {
            return Err(Error::InvalidParam {
                name: "pair_mix.weight",
                value: self.weight.to_string(),
                reason: "must be between 0 and 0.5",
            });
        }
        Ok(())
    }
}

/// A stance training recipe (`training/stance.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StanceRecipe {
    /// The model's name.
    pub name: String,
    /// Seed: sets the feature hash seed, so that a retrained model is byte-identical.
    pub seed: u64,
    /// Corpora to train on.
    pub corpus: Vec<CorpusSpec>,
    /// Named targets with their aliases.
    pub target: Vec<TargetSpec>,
    /// Feature settings.
    #[serde(default)]
    pub features: FeatureConfig,
    /// Feature selection.
    #[serde(default)]
    pub selection: SelectionParams,
    /// Optimizer and grid.
    #[serde(default)]
    pub train: TrainParams,
    /// Predictions toward two mirroring targets mixed with each other's (see [`PairMix`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair_mix: Option<PairMix>,
}

impl StanceRecipe {
    /// Reads and checks a recipe file.
    pub fn from_path(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_toml(&text, path)
    }

    /// Parses and checks recipe text; `path` names it in errors.
    pub fn from_toml(text: &str, path: &Path) -> Result<Self> {
        let mut r: StanceRecipe = toml::from_str(text).map_err(|e| Error::Recipe {
            path: path.to_owned(),
            message: e.to_string().trim_end().replace('\n', " "),
        })?;
        r.features.hash_seed = r.seed;
        r.check().map_err(|e| Error::Recipe {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        Ok(r)
    }

    /// Checks the recipe's values.
    pub fn check(&self) -> Result<()> {
        if self.corpus.is_empty() {
            return Err(Error::Input("the recipe lists no [[corpus]]".into()));
        }
        for t in &self.target {
            if t.name.trim().is_empty() {
                return Err(Error::Input("a [[target]] has an empty name".into()));
            }
        }
        for c in &self.corpus {
            if c.mirror.is_empty() {
                continue;
            }
            let named = |n: &String| self.target.iter().any(|t| t.name.eq_ignore_ascii_case(n));
            if c.mirror.len() != 2
                || !c.mirror.iter().all(named)
                || c.mirror[0].eq_ignore_ascii_case(&c.mirror[1])
            {
                return Err(Error::InvalidParam {
                    name: "corpus.mirror",
                    value: format!("{:?} (corpus {})", c.mirror, c.name),
                    reason: "must name two different [[target]] names",
                });
            }
        }
        if self.selection.max_features == 0 {
            return Err(Error::InvalidParam {
                name: "selection.max_features",
                value: "0".into(),
                reason: "must be at least 1",
            });
        }
        if let Some(m) = &self.pair_mix {
            m.check(&self.target)?;
        }
        self.features.check()?;
        self.train.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECIPE: &str = r#"
name = "t"
seed = 7
[[corpus]]
name = "g"
format = "generic"
train = "a.csv"
dev = "b.csv"
metric = "macro_f1"
[[target]]
name = "Russia"
aliases = ["Moscow"]
[train]
alphas = [1.0]
"#;

    #[test]
    fn parses_and_fills_defaults() {
        let r = StanceRecipe::from_toml(RECIPE, Path::new("r.toml")).unwrap();
        assert_eq!(r.features.hash_seed, 7);
        assert_eq!(r.train.max_iterations, 100);
        assert_eq!(r.corpus[0].format, Format::Generic);
    }

    #[test]
    fn bad_values_name_the_file_and_value() {
        let bad = RECIPE.replace("alphas = [1.0]", "alphas = [-1.0]");
        let e = StanceRecipe::from_toml(&bad, Path::new("r.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("r.toml: invalid parameter train.alphas = -1"),
            "{e}"
        );
        let bad = RECIPE.replace(
            "metric = \"macro_f1\"",
            "metric = \"macro_f1\"\nmirror = [\"Russia\", \"Mars\"]",
        );
        let e = StanceRecipe::from_toml(&bad, Path::new("r.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("corpus.mirror") && e.contains("Mars") && e.contains("two different"),
            "{e}"
        );
        let bad = RECIPE.replace(
            "alphas = [1.0]",
            "alphas = [1.0]\nnb_scale = { \"*\" = -1.0 }",
        );
        let e = StanceRecipe::from_toml(&bad, Path::new("r.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("train.nb_scale = * = -1"), "{e}");
        let bad = format!("{RECIPE}[pair_mix]\ntargets = [\"Russia\", \"russia\"]\nweight = 0.5\n");
        let e = StanceRecipe::from_toml(&bad, Path::new("r.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("pair_mix.targets") && e.contains("two different"),
            "{e}"
        );
        let bad = RECIPE.replace(
            "name = \"Russia\"",
            "name = \"Russia\"\n[[target]]\nname = \"Ukraine\"",
        ) + "[pair_mix]\ntargets = [\"Russia\", \"Ukraine\"]\nweight = 0.7\n";
        let e = StanceRecipe::from_toml(&bad, Path::new("r.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("pair_mix.weight = 0.7"), "{e}");
        let good = bad.replace("weight = 0.7", "weight = 0.5");
        let r = StanceRecipe::from_toml(&good, Path::new("r.toml")).unwrap();
        assert_eq!(r.pair_mix.unwrap().weight, 0.5);
        let bad = RECIPE.replace("metric = \"macro_f1\"", "metric = \"bleu\"");
        let e = StanceRecipe::from_toml(&bad, Path::new("r.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("r.toml") && e.contains("bleu"), "{e}");
    }
}
