//! The logistic fit behind every trained model: L2-regularized multinomial logistic regression,
//! minimised with L-BFGS.
//!
//! Two solvers minimise the same objective,
//! `-Σ_i log softmax(x_i·W + b)[y_i] + α/2 ‖W‖²` (the intercepts `b` are not penalized), with the
//! same optimizer, argmin's L-BFGS (memory 10, More-Thuente line search) from the same start:
//!
//! - [`Solver::Linfa`]: linfa-logistic's `MultiLogisticRegression`, on the rows densified into an
//!   `ndarray` f32 matrix. Every cost and gradient is a dense product: rows × columns, whatever
//!   the sparsity.
//! - [`Solver::Sparse`]: the objective evaluated straight on the sparse rows, in f64, by
//!   [`SparseProblem`]: each cost and gradient costs the rows' non-zero entries, and both are
//!   computed in one pass and kept for the optimizer's next call at the same point. Rows are
//!   summed in fixed chunks in a fixed order, so the fit is the same on any number of threads.
//!
//! On the attribution models' rows (79k cue rows × 4,096 columns in session 19, 0.6-2.3%
//! non-zero) the dense fit spent nearly all its time multiplying zeros: 51 s against 0.2 s for
//! the same fit here; see `bench/RESULTS.md`.

use crate::error::{Error, Result};
use crate::model::SparseVec;
pub use crate::recipe::Solver;
use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use rayon::prelude::*;
use std::ops::Range;
use std::sync::Mutex;

/// The settings of one fit.
#[derive(Debug, Clone, Copy)]
pub struct FitSettings {
    /// The implementation.
    pub solver: Solver,
    /// The L2 penalty α.
    pub alpha: f32,
    /// L-BFGS iterations at most.
    pub max_iterations: u64,
    /// L-BFGS stops when the gradient's norm falls below this.
    pub gradient_tolerance: f32,
}

/// Fits the multinomial model on sparse rows of `k` columns with labels `0..n_classes` and
/// returns row-major `(k, n_classes)` weights and the intercepts. `init` warm-starts the fit
/// (shape `(k + 1, n_classes)`, intercepts in the last row) and is replaced by the result.
/// Every class must have a row.
pub fn fit_logistic(
    rows: &[SparseVec],
    y: &[usize],
    k: usize,
    n_classes: usize,
    settings: &FitSettings,
    init: &mut Option<Array2<f32>>,
) -> Result<(Vec<f32>, Vec<f32>)> {
    check_rows(rows, y, k, n_classes)?;
    let alpha = settings.alpha;
    if !(alpha.is_finite() && alpha >= 0.0) {
        return Err(Error::Train(format!(
            "alpha {alpha}: expected a finite number >= 0"
        )));
    }
    if let Some(w) = init.as_ref() {
        if w.dim() != (k + 1, n_classes) {
            return Err(Error::Train(format!(
                "warm start of shape {:?}; expected ({}, {n_classes})",
                w.dim(),
                k + 1
            )));
        }
    }
    let warm = match settings.solver {
        Solver::Linfa => fit_linfa(rows, y, k, n_classes, settings, init.take())?,
        Solver::Sparse => fit_sparse(rows, y, k, n_classes, settings, init.take())?,
    };
    let w = warm.rows().into_iter().take(k).flatten().copied().collect();
    let b = warm.row(k).to_vec();
    *init = Some(warm);
    Ok((w, b))
}

/// Labels in range, every class present, columns in range, finite values.
fn check_rows(rows: &[SparseVec], y: &[usize], k: usize, n_classes: usize) -> Result<()> {
    if rows.len() != y.len() {
        return Err(Error::Train(format!(
            "{} training rows but {} labels",
            rows.len(),
            y.len()
        )));
    }
    let mut seen = vec![false; n_classes];
    for (i, (row, &label)) in rows.iter().zip(y).enumerate() {
        match seen.get_mut(label) {
            Some(s) => *s = true,
            None => {
                return Err(Error::Train(format!(
                    "training row {i} has label {label}; expected 0..{n_classes}"
                )))
            }
        }
        for &(j, v) in row {
            if j as usize >= k || !v.is_finite() {
                return Err(Error::Train(format!(
                    "training row {i} has value {v} in column {j}; expected a finite value in \
                     a column below {k}"
                )));
            }
        }
    }
    let covered: Vec<usize> = (0..n_classes).filter(|&c| seen[c]).collect();
    if covered.len() != n_classes {
        return Err(Error::Train(format!(
            "the training rows cover classes {covered:?}; expected {:?}",
            (0..n_classes).collect::<Vec<_>>()
        )));
    }
    Ok(())
}

/// linfa-logistic on the densified rows; returns the `(k + 1, n_classes)` parameters.
fn fit_linfa(
    rows: &[SparseVec],
    y: &[usize],
    k: usize,
    n_classes: usize,
    settings: &FitSettings,
    init: Option<Array2<f32>>,
) -> Result<Array2<f32>> {
    let alpha = settings.alpha;
    let mut x = Array2::<f32>::zeros((rows.len(), k));
    for (i, row) in rows.iter().enumerate() {
        for &(j, v) in row {
            x[[i, j as usize]] = v;
        }
    }
    let dataset = Dataset::new(x, Array1::from(y.to_vec()));
    let mut params = MultiLogisticRegression::default()
        .alpha(alpha)
        .max_iterations(settings.max_iterations)
        .gradient_tolerance(settings.gradient_tolerance);
    if let Some(w) = init {
        params = params.initial_params(w);
    }
    let fit = params
        .fit(&dataset)
        .map_err(|e| Error::Train(format!("linfa-logistic (alpha {alpha}): {e}")))?;
    let want: Vec<usize> = (0..n_classes).collect();
    if fit.classes() != want.as_slice() {
        return Err(Error::Train(format!(
            "the training rows cover classes {:?}; expected {:?}",
            fit.classes(),
            want
        )));
    }
    let mut out = Array2::<f32>::zeros((k + 1, n_classes));
    out.slice_mut(ndarray::s![..k, ..]).assign(fit.params());
    out.row_mut(k).assign(fit.intercept());
    Ok(out)
}

/// The sparse solver; returns the `(k + 1, n_classes)` parameters.
fn fit_sparse(
    rows: &[SparseVec],
    y: &[usize],
    k: usize,
    n_classes: usize,
    settings: &FitSettings,
    init: Option<Array2<f32>>,
) -> Result<Array2<f32>> {
    let alpha = settings.alpha;
    let start: Array1<f64> = match init {
        Some(w) => w.iter().map(|&v| f64::from(v)).collect(),
        None => Array1::zeros((k + 1) * n_classes),
    };
    let problem = SparseProblem::new(rows, y, k, n_classes, f64::from(alpha));
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(f64::from(settings.gradient_tolerance))
        .map_err(|e| Error::Train(format!("L-BFGS: {e}")))?;
    let result = Executor::new(problem, solver)
        .configure(|state| {
            state
                .param(start.clone())
                .max_iters(settings.max_iterations)
        })
        .run()
        .map_err(|e| Error::Train(format!("sparse logistic fit (alpha {alpha}): {e}")))?;
    let best = result.state().get_best_param().cloned().unwrap_or(start);
    let out: Vec<f32> = best.iter().map(|&v| v as f32).collect();
    Array2::from_shape_vec((k + 1, n_classes), out)
        .map_err(|e| Error::Train(format!("sparse logistic fit: {e}")))
}

/// Rows per chunk of the sparse sums. Fixed, so that the sums (and the fit) do not depend on the
/// number of threads.
const CHUNK_ROWS: usize = 4096;

/// The multinomial objective on sparse rows, for argmin. Parameters are the flattened
/// `(k + 1, n_classes)` matrix, row-major, intercepts in the last row (linfa-logistic's layout).
pub struct SparseProblem<'a> {
    /// Where each row's entries start in `entries`, and the end.
    starts: Vec<usize>,
    /// Every row's `(column, value)` entries, one after the other.
    entries: Vec<(u32, f32)>,
    y: &'a [usize],
    k: usize,
    n_classes: usize,
    alpha: f64,
    /// The last point evaluated, with its cost and gradient: argmin asks for the cost and then
    /// the gradient at the same point.
    last: Mutex<Option<Evaluated>>,
}

type Evaluated = (Array1<f64>, f64, Array1<f64>);

impl<'a> SparseProblem<'a> {
    /// The objective for rows of `k` columns, labels `0..n_classes` and penalty `alpha`. The
    /// rows' columns must be below `k` and their labels below `n_classes` ([`fit_logistic`]
    /// checks both).
    pub fn new(rows: &[SparseVec], y: &'a [usize], k: usize, n_classes: usize, alpha: f64) -> Self {
        let mut starts = Vec::with_capacity(rows.len() + 1);
        let mut entries = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        for row in rows {
            starts.push(entries.len());
            entries.extend_from_slice(row);
        }
        starts.push(entries.len());
        SparseProblem {
            starts,
            entries,
            y,
            k,
            n_classes,
            alpha,
            last: Mutex::new(None),
        }
    }

    /// The cost and its gradient at `w`, in one pass over the rows.
    pub fn cost_and_gradient(&self, w: &Array1<f64>) -> (f64, Array1<f64>) {
        let (k, c) = (self.k, self.n_classes);
        let w = w.as_slice().expect("a contiguous parameter vector");
        let n = self.y.len();
        let parts: Vec<(f64, Vec<f64>)> = (0..n.div_ceil(CHUNK_ROWS))
            .into_par_iter()
            .map(|chunk| {
                let rows = chunk * CHUNK_ROWS..n.min((chunk + 1) * CHUNK_ROWS);
                match c {
                    2 => self.chunk::<2>(w, rows),
                    3 => self.chunk::<3>(w, rows),
                    _ => self.chunk_any(w, rows),
                }
            })
            .collect();
        let mut loss = 0.0;
        let mut grad = vec![0.0; (k + 1) * c];
        for (l, g) in parts {
            loss += l;
            for (a, b) in grad.iter_mut().zip(g) {
                *a += b;
            }
        }
        let mut penalty = 0.0;
        for (g, wv) in grad[..k * c].iter_mut().zip(&w[..k * c]) {
            penalty += wv * wv;
            *g += self.alpha * wv;
        }
        (loss + 0.5 * self.alpha * penalty, Array1::from(grad))
    }

    /// The loss and gradient of some rows, for `C` classes.
    fn chunk<const C: usize>(&self, w: &[f64], rows: Range<usize>) -> (f64, Vec<f64>) {
        let k = self.k;
        let mut loss = 0.0;
        let mut grad = vec![0.0; (k + 1) * C];
        let bias: [f64; C] = w[k * C..].try_into().expect("C intercepts");
        let (weights, _) = w.as_chunks::<C>();
        for i in rows {
            let row = &self.entries[self.starts[i]..self.starts[i + 1]];
            let label = self.y[i];
            let mut h = bias;
            for &(j, v) in row {
                let v = f64::from(v);
                let wj = &weights[j as usize];
                for c in 0..C {
                    h[c] += v * wj[c];
                }
            }
            let max = h.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut e = [0.0; C];
            let mut sum = 0.0;
            for c in 0..C {
                e[c] = (h[c] - max).exp();
                sum += e[c];
            }
            loss -= h[label] - max - sum.ln();
            let mut d = [0.0; C];
            for c in 0..C {
                d[c] = e[c] / sum - f64::from(u8::from(c == label));
            }
            let (g, g_bias) = grad.split_at_mut(k * C);
            let (g, _) = g.as_chunks_mut::<C>();
            for &(j, v) in row {
                let v = f64::from(v);
                let gj = &mut g[j as usize];
                for c in 0..C {
                    gj[c] += v * d[c];
                }
            }
            for c in 0..C {
                g_bias[c] += d[c];
            }
        }
        (loss, grad)
    }

    /// [`Self::chunk`] for any number of classes.
    fn chunk_any(&self, w: &[f64], rows: Range<usize>) -> (f64, Vec<f64>) {
        let (k, c) = (self.k, self.n_classes);
        let mut loss = 0.0;
        let mut grad = vec![0.0; (k + 1) * c];
        let mut h = vec![0.0; c];
        for i in rows {
            let row = &self.entries[self.starts[i]..self.starts[i + 1]];
            let label = self.y[i];
            h.copy_from_slice(&w[k * c..]);
            for &(j, v) in row {
                let v = f64::from(v);
                for (hc, wc) in h.iter_mut().zip(&w[j as usize * c..][..c]) {
                    *hc += v * wc;
                }
            }
            let max = h.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = h.iter().map(|&z| (z - max).exp()).sum();
            let lse = max + sum.ln();
            loss -= h[label] - lse;
            for (cl, hc) in h.iter_mut().enumerate() {
                *hc = (*hc - lse).exp() - f64::from(u8::from(cl == label));
            }
            for &(j, v) in row {
                let v = f64::from(v);
                for (g, d) in grad[j as usize * c..][..c].iter_mut().zip(&h) {
                    *g += v * d;
                }
            }
            for (g, d) in grad[k * c..].iter_mut().zip(&h) {
                *g += d;
            }
        }
        (loss, grad)
    }

    fn evaluate(&self, w: &Array1<f64>) -> (f64, Array1<f64>) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, cost, grad)) = last.as_ref() {
            if at == w {
                return (*cost, grad.clone());
            }
        }
        let (cost, grad) = self.cost_and_gradient(w);
        *last = Some((w.clone(), cost, grad.clone()));
        (cost, grad)
    }
}

impl CostFunction for SparseProblem<'_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, w: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.evaluate(w).0)
    }
}

impl Gradient for SparseProblem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, w: &Self::Param) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        Ok(self.evaluate(w).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of `n_classes` classes, each told apart by its own column (with every seventh row
    /// given the next class's column, so that the data are not separable) and a noise column 3.
    fn toy(n_classes: usize, n_rows: u32) -> (Vec<SparseVec>, Vec<usize>) {
        let mut rows = Vec::new();
        let mut y = Vec::new();
        for i in 0..n_rows {
            let label = (i as usize) % n_classes;
            let mut row: SparseVec = vec![(label as u32, 1.0)];
            if i % 4 == 0 {
                row.push((3, 0.5));
            }
            if i % 7 == 0 {
                row[0].0 = ((label + 1) % n_classes) as u32;
            }
            row.sort_by_key(|e| e.0);
            rows.push(row);
            y.push(label);
        }
        (rows, y)
    }

    fn settings(solver: Solver) -> FitSettings {
        FitSettings {
            solver,
            alpha: 1.0,
            max_iterations: 100,
            gradient_tolerance: 1e-6,
        }
    }

    #[test]
    fn the_sparse_gradient_is_the_cost_s_derivative() {
        // 2 and 3 classes take the unrolled paths, 4 the general one
        for n_classes in [2, 3, 4] {
            let (rows, y) = toy(n_classes, 90);
            let p = SparseProblem::new(&rows, &y, 4, n_classes, 0.7);
            let w: Array1<f64> = (0..5 * n_classes)
                .map(|i| (i as f64 * 0.37).sin())
                .collect();
            let (cost, grad) = p.cost_and_gradient(&w);
            assert!(cost.is_finite() && cost > 0.0);
            for i in 0..w.len() {
                let eps = 1e-6;
                let mut up = w.clone();
                up[i] += eps;
                let mut down = w.clone();
                down[i] -= eps;
                let numeric =
                    (p.cost_and_gradient(&up).0 - p.cost_and_gradient(&down).0) / (2.0 * eps);
                assert!(
                    (numeric - grad[i]).abs() < 1e-4 * (1.0 + numeric.abs()),
                    "{n_classes} classes, parameter {i}: numeric {numeric}, analytic {}",
                    grad[i]
                );
            }
        }
    }

    #[test]
    fn the_sparse_cost_at_zero_is_n_log_classes() {
        let (rows, y) = toy(3, 90);
        let p = SparseProblem::new(&rows, &y, 4, 3, 1.0);
        let (cost, _) = p.cost_and_gradient(&Array1::zeros(15));
        assert!((cost - 90.0 * 3f64.ln()).abs() < 1e-9, "{cost}");
    }

    #[test]
    fn sparse_and_linfa_fits_agree() {
        for n_classes in [2, 3] {
            let (rows, y) = toy(n_classes, 90);
            let (wl, bl) =
                fit_logistic(&rows, &y, 4, n_classes, &settings(Solver::Linfa), &mut None).unwrap();
            let (ws, bs) = fit_logistic(
                &rows,
                &y,
                4,
                n_classes,
                &settings(Solver::Sparse),
                &mut None,
            )
            .unwrap();
            for (a, b) in wl.iter().chain(&bl).zip(ws.iter().chain(&bs)) {
                assert!(
                    (a - b).abs() < 2e-3,
                    "{n_classes} classes: linfa {a}, sparse {b}"
                );
            }
            // and the fit learned the classes' columns
            for c in 0..n_classes {
                let own = ws[c * n_classes + c];
                assert!(own > 0.5, "{n_classes} classes: column {c} weight {own}");
            }
        }
    }

    #[test]
    fn the_sparse_fit_warm_starts_and_is_the_same_on_any_number_of_threads() {
        let (rows, y) = toy(3, 3 * CHUNK_ROWS as u32 + 5);
        let mut warm = None;
        let first = fit_logistic(&rows, &y, 4, 3, &settings(Solver::Sparse), &mut warm).unwrap();
        assert_eq!(warm.as_ref().map(|w| w.dim()), Some((5, 3)));
        let again = fit_logistic(&rows, &y, 4, 3, &settings(Solver::Sparse), &mut warm).unwrap();
        for (a, b) in first.0.iter().zip(&again.0) {
            assert!((a - b).abs() < 1e-3);
        }
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let other = pool
                .install(|| fit_logistic(&rows, &y, 4, 3, &settings(Solver::Sparse), &mut None))
                .unwrap();
            assert_eq!(other, first, "{threads} threads");
        }
    }

    #[test]
    fn bad_rows_are_errors_not_panics() {
        let (rows, mut y) = toy(2, 90);
        let s = settings(Solver::Sparse);
        let err = fit_logistic(&rows, &y, 1, 2, &s, &mut None).unwrap_err();
        assert!(err.to_string().contains("column"), "{err}");
        y.iter_mut().for_each(|l| *l = 0);
        let err = fit_logistic(&rows, &y, 4, 2, &s, &mut None).unwrap_err();
        assert!(err.to_string().contains("cover classes [0]"), "{err}");
        let err = fit_logistic(&rows[..3], &y, 4, 2, &s, &mut None).unwrap_err();
        assert!(err.to_string().contains("labels"), "{err}");
        let mut bad = rows.clone();
        bad[0][0].1 = f32::NAN;
        y[1] = 1;
        let err = fit_logistic(&bad, &y, 4, 2, &s, &mut None).unwrap_err();
        assert!(err.to_string().contains("finite"), "{err}");
        let mut warm = Some(Array2::zeros((2, 2)));
        let err = fit_logistic(&rows, &y, 4, 2, &s, &mut warm).unwrap_err();
        assert!(err.to_string().contains("warm start"), "{err}");
    }
}
