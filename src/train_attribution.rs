//! Training the attribution models on PolNeAR (brat standoff) with linfa-logistic.
//!
//! 1. Learn the cue phrase lexicon from the gold cues (count and precision floors).
//! 2. Build training rows: every cue phrase occurrence (cue model), the source candidates of
//!    every gold cue (source model) and the content candidates of every gold cue with its gold
//!    source (content model); features are hashed strings, the vocabulary the most frequent.
//! 3. Fit each model; choose the cue and source thresholds on the dev split with the library's
//!    port of the reference scorer.
//! 4. Fit the speaker-confidence model on the dev split's sentences: for each sentence the
//!    pipeline gives a speaker, whether that speaker's head word is the gold one (the
//!    sentence-speaker metric's test), from how the source was chosen and how sure the models were.

use crate::attribution::{
    content_candidates, content_features, cue_features, cue_head, cue_stem, source_candidates,
    source_features, to_attribution, AttributionModel, AttributionModelFile, CueLexicon, DocView,
    SourceCand, ATTRIBUTION_FORMAT, ATTRIBUTION_FORMAT_VERSION,
};
use crate::attribution_data::{load_polnear_split, load_sentence_units, Article, Attribution};
use crate::attribution_eval::{gold_speaker_heads, score, speaker_head};
use crate::error::{Error, Result};
use crate::features::Group;
use crate::fit::{fit_logistic, FitSettings};
use crate::model::{LinearModel, LinearModelData, SparseVec};
use crate::recipe::Solver;
use crate::segment::SentenceSplitter;
use crate::tokenize::{Tokenizer, TokenizerSpec};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The attribution recipe (`training/attribution.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionRecipe {
    /// The model's name.
    pub name: String,
    /// Seed of the feature hash.
    pub seed: u64,
    /// PolNeAR train split directory (relative to the data directory).
    pub train: PathBuf,
    /// PolNeAR dev split directory.
    pub dev: PathBuf,
    /// Sentence units of the dev split (for the sentence-level metric).
    pub dev_sentences: PathBuf,
    /// A cue phrase must be a gold cue at least this often.
    pub min_cue_count: usize,
    /// … and a gold cue in at least this fraction of its occurrences.
    pub min_cue_precision: f64,
    /// A cue head stem must head a gold cue at least this often …
    pub min_head_count: usize,
    /// … and in at least this fraction of the words with that stem.
    pub min_head_precision: f64,
    /// Whether words in reporting frames are cue candidates too, learned head or not.
    #[serde(default)]
    pub cue_frames: bool,
    /// When at least 2: the cue rows of each of this many folds of the training articles are
    /// the candidates of a lexicon learned from the other folds (the model's lexicon is learned
    /// from all).
    #[serde(default)]
    pub cue_lexicon_folds: usize,
    /// Longest cue phrase, in tokens.
    pub max_cue_tokens: usize,
    /// Feature columns of the cue, source and content models.
    pub max_features: [usize; 3],
    /// A feature must occur in this many training rows.
    pub min_df: usize,
    /// L2 penalty.
    pub alpha: f32,
    /// L-BFGS iterations.
    pub max_iterations: u64,
    /// The fits' implementation (`linfa`, the default, or `sparse`).
    #[serde(default, skip_serializing_if = "Solver::is_default")]
    pub solver: Solver,
    /// Cue thresholds tried on dev.
    pub cue_thresholds: Vec<f32>,
    /// Source thresholds tried on dev.
    pub source_thresholds: Vec<f32>,
}

impl AttributionRecipe {
    /// Reads and checks a recipe file.
    pub fn from_path(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let r: AttributionRecipe = toml::from_str(&text).map_err(|e| Error::Recipe {
            path: path.to_owned(),
            message: e.to_string().trim_end().replace('\n', " "),
        })?;
        let bad = |message: &str| Error::Recipe {
            path: path.to_owned(),
            message: message.to_owned(),
        };
        if r.cue_thresholds.is_empty() || r.source_thresholds.is_empty() {
            return Err(bad(
                "cue_thresholds and source_thresholds need at least one value",
            ));
        }
        if !(r.alpha.is_finite() && r.alpha > 0.0) {
            return Err(bad("alpha must be a positive number"));
        }
        if r.max_features.contains(&0) || r.max_cue_tokens == 0 || r.max_iterations == 0 {
            return Err(bad(
                "max_features, max_cue_tokens and max_iterations must be at least 1",
            ));
        }
        Ok(r)
    }
}

struct Rows {
    feats: Vec<Vec<(u64, Group)>>,
    y: Vec<usize>,
    names: HashMap<u64, String>,
    /// The feature names of each row, where they are kept (the speaker rows, scored again after
    /// the fit).
    names_of_rows: Vec<Vec<String>>,
}

impl Rows {
    fn new() -> Self {
        Rows {
            feats: Vec::new(),
            y: Vec::new(),
            names: HashMap::new(),
            names_of_rows: Vec::new(),
        }
    }

    fn push(&mut self, names: Vec<String>, yes: bool, seed: u64) {
        let mut f = Vec::with_capacity(names.len());
        for n in names {
            let h = xxh3_64_with_seed(n.as_bytes(), seed);
            f.push((h, Group::Word));
            self.names.entry(h).or_insert(n);
        }
        self.feats.push(f);
        self.y.push(usize::from(yes));
    }

    fn extend(&mut self, other: Rows) {
        self.feats.extend(other.feats);
        self.y.extend(other.y);
        self.names_of_rows.extend(other.names_of_rows);
        for (h, n) in other.names {
            self.names.entry(h).or_insert(n);
        }
    }

    /// Vocabulary (most frequent features), then a fit. With `dump`, the rows as the fit sees
    /// them are also written to `dump/{what}.svm` ([`write_svmlight`]). Returns the model and
    /// the seconds of the fit alone.
    fn fit(
        &self,
        what: &str,
        recipe: &AttributionRecipe,
        k_max: usize,
        dump: Option<&Path>,
    ) -> Result<(LinearModelData, f64)> {
        let mut df: HashMap<u64, usize> = HashMap::new();
        for row in &self.feats {
            let mut seen: Vec<u64> = row.iter().map(|f| f.0).collect();
            seen.sort_unstable();
            seen.dedup();
            for h in seen {
                *df.entry(h).or_default() += 1;
            }
        }
        let mut vocab: Vec<(usize, u64)> = df
            .into_iter()
            .filter(|&(_, d)| d >= recipe.min_df.max(1))
            .map(|(h, d)| (d, h))
            .collect();
        vocab.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        vocab.truncate(k_max);
        vocab.sort_by_key(|v| v.1);
        let n = self.feats.len();
        let k = vocab.len();
        if k == 0 || n == 0 {
            return Err(Error::Train(format!(
                "the {what} model has no training rows or features"
            )));
        }
        let mut data = LinearModelData {
            labels: vec!["no".into(), "yes".into()],
            hashes: vocab.iter().map(|v| v.1).collect(),
            groups: vec![Group::Word as u8; k],
            idf: vocab
                .iter()
                .map(|&(d, _)| (((1 + n) as f64 / (1 + d) as f64).ln() + 1.0) as f32)
                .collect(),
            names: vocab.iter().map(|v| self.names[&v.1].clone()).collect(),
            weights: vec![0.0; k * 2],
            intercept: vec![0.0; 2],
            checksum: String::new(),
        };
        data.checksum = data.compute_checksum();
        let vocab_model = LinearModel::from_data(data.clone(), Path::new("<training>"))?;
        let rows: Vec<SparseVec> = self
            .feats
            .par_iter()
            .map(|f| {
                let mut x = SparseVec::new();
                vocab_model.vectorize(f, &mut x);
                x
            })
            .collect();
        if let Some(dir) = dump {
            write_svmlight(&dir.join(format!("{what}.svm")), &rows, &self.y, k)?;
        }
        let t0 = Instant::now();
        let (w, b) = fit_logistic(
            &rows,
            &self.y,
            k,
            2,
            &FitSettings {
                solver: recipe.solver,
                alpha: recipe.alpha,
                max_iterations: recipe.max_iterations,
                gradient_tolerance: FIT_TOLERANCE,
            },
            &mut None,
        )
        .map_err(|e| Error::Train(format!("the {what} model: {e}")))?;
        let secs = t0.elapsed().as_secs_f64();
        data.weights = w;
        data.intercept = b;
        data.checksum = data.compute_checksum();
        Ok((data, secs))
    }
}

/// The gradient tolerance of every attribution model's fit.
pub const FIT_TOLERANCE: f32 = 1e-4;

/// Writes training rows in the svmlight / libsvm format that scikit-learn's
/// `load_svmlight_file(path, n_features=k, zero_based=True)` reads: one line per row, the label
/// (0 or 1) and the row's `column:value` pairs, columns counted from 0. The first line is a
/// comment with the row and column counts.
fn write_svmlight(path: &Path, rows: &[SparseVec], y: &[usize], k: usize) -> Result<()> {
    use std::io::Write;
    let f = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = std::io::BufWriter::new(f);
    let mut put = || -> std::io::Result<()> {
        writeln!(
            w,
            "# whosaid training rows: {} rows x {k} columns",
            rows.len()
        )?;
        // `LinearModel::vectorize` gives each row's columns sorted, as the format wants.
        for (x, &label) in rows.iter().zip(y) {
            write!(w, "{label}")?;
            for &(j, v) in x {
                write!(w, " {j}:{v}")?;
            }
            writeln!(w)?;
        }
        w.flush()
    };
    put().map_err(|e| Error::io(path, e))
}

/// Token ranges of the first cue, source and content segment of a gold attribution.
type GoldRanges = (
    Option<Range<usize>>,
    Option<Range<usize>>,
    Option<Range<usize>>,
);

fn gold_ranges(doc: &DocView, a: &Attribution) -> GoldRanges {
    let first = |spans: &[crate::attribution_data::Span]| {
        spans
            .iter()
            .min_by_key(|s| s.start)
            .and_then(|s| doc.token_range(s))
    };
    (first(&a.cue), first(&a.sources), first(&a.contents))
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> f64 {
    let i = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    let u = a.end.max(b.end) - a.start.min(b.start);
    if u == 0 {
        0.0
    } else {
        i as f64 / u as f64
    }
}

/// Trains the attribution models as `recipe` says, reading PolNeAR below `data_dir`.
pub fn train_attribution(
    recipe: &AttributionRecipe,
    data_dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<AttributionModelFile> {
    train_attribution_dumping(recipe, data_dir, None, progress)
}

/// [`train_attribution`]; with `dump_rows`, the cue, source and content models' training rows
/// are also written to `dump_rows/{cue,source,content}.svm` as their fits see them (features
/// selected, idf-weighted and normalized), so that another tool can fit the same problems
/// (`bench/sklearn_attribution.py`).
pub fn train_attribution_dumping(
    recipe: &AttributionRecipe,
    data_dir: &Path,
    dump_rows: Option<&Path>,
    progress: &mut dyn FnMut(&str),
) -> Result<AttributionModelFile> {
    let start = Instant::now();
    let seed = recipe.seed;
    let tokenizer = Tokenizer::new(TokenizerSpec::default());
    let splitter = SentenceSplitter::new();
    let train = load_polnear_split(&data_dir.join(&recipe.train))?;
    let dev = load_polnear_split(&data_dir.join(&recipe.dev))?;
    let units = load_sentence_units(&data_dir.join(&recipe.dev_sentences))?;
    progress(&format!(
        "polnear: {} train and {} dev articles ({:.1} s)",
        train.len(),
        dev.len(),
        start.elapsed().as_secs_f64()
    ));
    let views: Vec<DocView> = train
        .par_iter()
        .map(|a| DocView::new(&a.text, &tokenizer, &splitter))
        .collect();

    // 1. Cue lexicon: from every training article for the model, and for the cue rows of each
    // fold of them from the other folds (so that the rows hold cues the lexicon does not know,
    // as unseen text does).
    let docs: Vec<(&Article, &DocView)> = train.iter().zip(&views).collect();
    let (phrases, heads) = learn_lexicon(recipe, &docs);
    let lexicon = CueLexicon::new(phrases.clone(), &heads).with_frames(recipe.cue_frames);
    let folds = recipe.cue_lexicon_folds;
    let fold_lexicons: Vec<CueLexicon> = (0..if folds >= 2 { folds } else { 0 })
        .map(|k| {
            let rest: Vec<(&Article, &DocView)> = docs
                .iter()
                .enumerate()
                .filter(|(i, _)| i % folds != k)
                .map(|(_, d)| *d)
                .collect();
            let (p, h) = learn_lexicon(recipe, &rest);
            CueLexicon::new(p, &h).with_frames(recipe.cue_frames)
        })
        .collect();
    progress(&format!(
        "cue lexicon: {} phrases, {} head stems",
        phrases.len(),
        heads.len()
    ));

    // 2. Rows.
    let per_doc: Vec<(Rows, Rows, Rows)> = train
        .par_iter()
        .zip(&views)
        .enumerate()
        .map(|(i, (a, v))| {
            let row_lexicon = fold_lexicons.get(i % folds.max(1)).unwrap_or(&lexicon);
            let (mut cue_rows, mut src_rows, mut con_rows) =
                (Rows::new(), Rows::new(), Rows::new());
            let gold: Vec<_> = a
                .attributions
                .iter()
                .map(|att| gold_ranges(v, att))
                .collect();
            let gold_cues: HashSet<Range<usize>> =
                gold.iter().filter_map(|g| g.0.clone()).collect();
            for r in row_lexicon.candidates(v) {
                let yes = gold_cues.contains(&r);
                cue_rows.push(cue_features(v, &r, row_lexicon), yes, seed);
            }
            for (cue, src, con) in &gold {
                let Some(cue) = cue else { continue };
                let cands = source_candidates(v, cue);
                let mut gold_src: Option<SourceCand> = None;
                for c in &cands {
                    let yes = src.as_ref() == Some(&c.toks);
                    if yes {
                        gold_src = Some(c.clone());
                    }
                    src_rows.push(source_features(v, cue, c), yes, seed);
                }
                let Some(con) = con else { continue };
                let ccands = content_candidates(v, cue, gold_src.as_ref());
                let best = ccands
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (i, overlap(&c.toks, con)))
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .filter(|b| b.1 >= 0.5)
                    .map(|b| b.0);
                for (i, c) in ccands.iter().enumerate() {
                    con_rows.push(
                        content_features(v, cue, gold_src.as_ref(), c),
                        Some(i) == best,
                        seed,
                    );
                }
            }
            (cue_rows, src_rows, con_rows)
        })
        .collect();
    let (mut cue_rows, mut src_rows, mut con_rows) = (Rows::new(), Rows::new(), Rows::new());
    for (c, s, t) in per_doc {
        cue_rows.extend(c);
        src_rows.extend(s);
        con_rows.extend(t);
    }
    progress(&format!(
        "rows: cue {}, source {}, content {} ({:.1} s)",
        cue_rows.y.len(),
        src_rows.y.len(),
        con_rows.y.len(),
        start.elapsed().as_secs_f64()
    ));

    // 3. Fits.
    if let Some(dir) = dump_rows {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut fit = |rows: &Rows, what: &str, k: usize| -> Result<LinearModelData> {
        let (m, secs) = rows.fit(what, recipe, k, dump_rows)?;
        progress(&format!(
            "{what} model fitted: {} rows x {} columns, fit {secs:.2} s ({:.1} s so far)",
            rows.y.len(),
            m.hashes.len(),
            start.elapsed().as_secs_f64()
        ));
        Ok(m)
    };
    let cue = fit(&cue_rows, "cue", recipe.max_features[0])?;
    let source = fit(&src_rows, "source", recipe.max_features[1])?;
    let content = fit(&con_rows, "content", recipe.max_features[2])?;

    let mut file = AttributionModelFile {
        format: ATTRIBUTION_FORMAT.into(),
        format_version: ATTRIBUTION_FORMAT_VERSION,
        whosaid_version: env!("CARGO_PKG_VERSION").into(),
        recipe: serde_json::to_value(recipe).map_err(|e| Error::Train(e.to_string()))?,
        dev: serde_json::Value::Null,
        tokenizer: tokenizer.spec().clone(),
        hash_seed: seed,
        cue_phrases: phrases,
        cue_heads: heads,
        cue_frames: recipe.cue_frames,
        cue,
        source,
        content,
        cue_threshold: recipe.cue_thresholds[0],
        source_threshold: recipe.source_thresholds[0],
        speaker: None,
    };

    // 4. Thresholds on dev.
    let mut best: Option<(f64, f32, f32, serde_json::Value)> = None;
    for &ct in &recipe.cue_thresholds {
        for &st in &recipe.source_thresholds {
            file.cue_threshold = ct;
            file.source_threshold = st;
            let model = AttributionModel::from_file(file.clone(), Path::new("<training>"))?;
            let preds = predict_split(&model, &dev);
            let s = score(&dev, &units, &preds);
            let objective = (s.cue.exact.f1
                + s.sources.exact.f1
                + s.contents.exact.f1
                + s.contents.overlap.f1
                + s.sentence_attributed.f1
                + s.sentence_speaker.f1)
                / 6.0;
            progress(&format!(
                "cue >= {ct} source >= {st}: cue {:.1} source {:.1} content {:.1}/{:.1} attributed {:.1} speaker {:.1} -> {:.1}",
                100.0 * s.cue.exact.f1,
                100.0 * s.sources.exact.f1,
                100.0 * s.contents.exact.f1,
                100.0 * s.contents.overlap.f1,
                100.0 * s.sentence_attributed.f1,
                100.0 * s.sentence_speaker.f1,
                100.0 * objective
            ));
            if best.as_ref().is_none_or(|b| objective > b.0) {
                best = Some((objective, ct, st, s.to_reference_json()));
            }
        }
    }
    let (_, ct, st, report) = best.ok_or_else(|| Error::Train("empty threshold grid".into()))?;
    file.cue_threshold = ct;
    file.source_threshold = st;
    file.dev = report;
    progress(&format!("chose cue >= {ct}, source >= {st}"));

    // 5. Speaker confidence on dev, on the sentences classify reads.
    let model = AttributionModel::from_file(file.clone(), Path::new("<training>"))?
        .with_splitter(crate::pipeline::classify_splitter());
    let rows = speaker_confidence_rows(&model, &dev, seed);
    let n = rows.y.len();
    let right = rows.y.iter().filter(|&&y| y == 1).count();
    if right == 0 || right == n {
        // Nothing to learn from (a tiny dev split): the confidence stays the source
        // probability times the canonical name's.
        progress(&format!(
            "speaker confidence: not fitted ({n} dev sentences with a speaker, {right} right); trained in {:.1} s",
            start.elapsed().as_secs_f64()
        ));
        return Ok(file);
    }
    let (speaker, _) = rows.fit("speaker", recipe, SPEAKER_FEATURES, None)?;
    file.speaker = Some(speaker);
    let fitted = AttributionModel::from_file(file.clone(), Path::new("<training>"))?;
    let probs: Vec<f32> = rows
        .names_of_rows
        .iter()
        .map(|f| {
            fitted
                .speaker_confidence(|emit| f.iter().for_each(|x| emit(x)))
                .unwrap_or(0.0)
        })
        .collect();
    progress(&format!(
        "speaker confidence: {n} dev sentences with a speaker, {:.1}% right; expected calibration error {:.3} (on the rows it was fitted on); trained in {:.1} s",
        100.0 * right as f64 / n.max(1) as f64,
        expected_calibration_error(&probs, &rows.y),
        start.elapsed().as_secs_f64()
    ));
    Ok(file)
}

/// Columns of the speaker-confidence model (it has a few dozen distinct features).
const SPEAKER_FEATURES: usize = 512;

/// The speaker-confidence model's rows: each sentence of `articles` to which `model` and the
/// pipeline give a speaker, labelled by whether its head word is the gold speaker's.
fn speaker_confidence_rows(model: &AttributionModel, articles: &[Article], seed: u64) -> Rows {
    let per_doc: Vec<Rows> = articles
        .par_iter()
        .map(|a| {
            let v = model.view(&a.text);
            let predicted = model.predict(&v);
            let rows = crate::pipeline::speaker_rows(&v, &predicted);
            let units: Vec<(usize, usize)> = rows
                .iter()
                .map(|(i, _, _)| {
                    let c = &v.sentences[*i].chars;
                    (c.start, c.end)
                })
                .collect();
            let gold = gold_speaker_heads(a, &units);
            let mut out = Rows::new();
            for ((_, pi, feats), gold) in rows.into_iter().zip(gold) {
                let Some(src) = predicted[pi].source.as_ref().filter(|s| s.start < s.end) else {
                    continue;
                };
                let bytes = v.tokens[src.start].span.start..v.tokens[src.end - 1].span.end;
                let ours = speaker_head(&a.text[bytes]);
                out.names_of_rows.push(feats.clone());
                out.push(feats, gold.as_deref() == Some(ours.as_str()), seed);
            }
            out
        })
        .collect();
    let mut rows = Rows::new();
    for r in per_doc {
        rows.extend(r);
    }
    rows
}

/// Expected calibration error of `probs` (of label 1) against `y`, over ten equal-width bins.
fn expected_calibration_error(probs: &[f32], y: &[usize]) -> f64 {
    let mut bins = [(0usize, 0f64, 0usize); 10];
    for (&p, &y) in probs.iter().zip(y) {
        let b = &mut bins[((p.clamp(0.0, 1.0) * 10.0) as usize).min(9)];
        b.0 += 1;
        b.1 += f64::from(p);
        b.2 += usize::from(y == 1);
    }
    let n = probs.len().max(1) as f64;
    bins.iter()
        .filter(|b| b.0 > 0)
        .map(|&(k, sum, right)| (k as f64 / n) * (sum / k as f64 - right as f64 / k as f64).abs())
        .sum()
}

/// The cue phrases and head stems learned from `docs` as `recipe` says.
fn learn_lexicon(
    recipe: &AttributionRecipe,
    docs: &[(&Article, &DocView)],
) -> (Vec<Vec<String>>, Vec<String>) {
    let mut cue_count: HashMap<Vec<String>, usize> = HashMap::new();
    for (a, v) in docs {
        for att in &a.attributions {
            if let (Some(c), _, _) = gold_ranges(v, att) {
                if c.len() <= recipe.max_cue_tokens {
                    let p: Vec<String> = v.tokens[c].iter().map(|t| t.norm.clone()).collect();
                    *cue_count.entry(p).or_default() += 1;
                }
            }
        }
    }
    let all: Vec<Vec<String>> = {
        let mut v: Vec<Vec<String>> = cue_count
            .iter()
            .filter(|(_, &c)| c >= recipe.min_cue_count)
            .map(|(p, _)| p.clone())
            .collect();
        v.sort();
        v
    };
    let lex_all = CueLexicon::new(all.clone(), &[]);
    let mut occ = vec![0usize; all.len()];
    for (_, v) in docs {
        for (_, pid) in lex_all.phrase_occurrences(v) {
            occ[pid] += 1;
        }
    }
    let phrases: Vec<Vec<String>> = all
        .iter()
        .zip(&occ)
        .filter(|(p, &o)| cue_count[*p] as f64 >= recipe.min_cue_precision * o as f64)
        .map(|(p, _)| p.clone())
        .collect();
    // Head stems: the first word after the auxiliaries of every gold cue, kept when it heads a
    // cue often enough among the words with its stem.
    let mut head_count: HashMap<String, usize> = HashMap::new();
    for (a, v) in docs {
        for att in &a.attributions {
            if let (Some(c), _, _) = gold_ranges(v, att) {
                let h = cue_stem(&v.tokens[cue_head(v, &c)].norm).to_owned();
                *head_count.entry(h).or_default() += 1;
            }
        }
    }
    let mut head_occ: HashMap<&str, usize> = HashMap::new();
    for (_, v) in docs {
        for t in &v.tokens {
            let s = cue_stem(&t.norm);
            if head_count.contains_key(s) {
                *head_occ.entry(s).or_default() += 1;
            }
        }
    }
    let mut heads: Vec<String> = head_count
        .iter()
        .filter(|(h, &c)| {
            c >= recipe.min_head_count
                && c as f64 >= recipe.min_head_precision * head_occ[h.as_str()] as f64
        })
        .map(|(h, _)| h.clone())
        .collect();
    heads.sort();
    (phrases, heads)
}

/// Predicts every article of a split (in parallel); keys are article names.
pub fn predict_split(
    model: &AttributionModel,
    articles: &[Article],
) -> BTreeMap<String, Vec<Attribution>> {
    articles
        .par_iter()
        .map(|a| {
            let v = model.view(&a.text);
            let atts = model
                .predict(&v)
                .iter()
                .map(|p| to_attribution(&v, p))
                .collect();
            (a.name.clone(), atts)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_error_by_hand() {
        // Perfectly calibrated bins: no error.
        let y = [1, 1, 1, 0, 0, 0, 0, 0];
        let p = [0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1];
        assert!(expected_calibration_error(&p, &y) < 0.11);
        // All at 0.5 with 3 of 8 right: |0.5 - 0.375|.
        assert!((expected_calibration_error(&[0.5; 8], &y) - 0.125).abs() < 1e-6);
        // Two bins: 0.95 with 1 of 2 right (error 0.45), 0.05 with 0 of 2 (0.05).
        let e = expected_calibration_error(&[0.95, 0.95, 0.05, 0.05], &[1, 0, 0, 0]);
        assert!((e - 0.25).abs() < 1e-6, "{e}");
        assert_eq!(expected_calibration_error(&[], &[]), 0.0);
    }
}
