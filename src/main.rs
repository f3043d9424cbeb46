//! The `whosaid` command line: a thin layer over the library.
//!
//! Exit status: 0 when everything succeeded, 1 when some records failed (each got an error
//! record), 2 on a usage or fatal error. A closed stdout (broken pipe) ends the run quietly.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;
use serde::Deserialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use whosaid::data::{self, DataSpec};
use whosaid::eval::{Scored, StanceReport};
use whosaid::recipe::StanceRecipe;
#[path = "cli/classify.rs"]
mod classify;
#[path = "cli/request.rs"]
mod request;

/// The binary's allocator: mimalloc, which costs a third of glibc's malloc and free on the
/// many small vectors of a document's pipeline (the library leaves the choice to its users).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use whosaid::attribution::AttributionModel;
use whosaid::attribution_data::CitronDoc;
use whosaid::train_attribution::AttributionRecipe;
use whosaid::StanceModel;

#[derive(Parser)]
#[command(
    name = "whosaid",
    version,
    about = "Who said it, and what stance it takes."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a model from a recipe.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Predict stance for JSONL records {"id", "text", "target", "target_span"?}.
    PredictStance(PredictStanceArgs),
    /// Evaluate a model on labelled data.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Classify articles: speaker, cue, quote and stance for every sentence.
    Classify(ClassifyArgs),
}

/// Which sentences get a stance toward a target (`--stance-scope`).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ScopeArg {
    /// Only sentences that mention the target (name or alias); elsewhere `none`, probability 1,
    /// `"mentioned": false`.
    Sentence,
    /// Every sentence of the documents that mention the target anywhere; elsewhere `none`,
    /// probability 1, `"mentioned": false`.
    Mentioned,
    /// Every sentence of every document, as the model sees it.
    All,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutFormat {
    /// Sentence, speaker and stance per target (coloured on a terminal).
    Table,
    /// One JSON object per sentence.
    Jsonl,
    /// One CSV row per sentence.
    Csv,
    /// One line per document in BBC Citron's annotation format (text and quotes).
    Citron,
    /// A self-contained HTML report.
    Html,
}

#[derive(Args)]
struct ClassifyArgs {
    /// A model bundle directory holding stance.json and attribution.json [default: the embedded models].
    #[arg(long)]
    models: Option<PathBuf>,
    /// A stance target (repeatable) [default: the model's targets, Russia and Ukraine].
    #[arg(long = "target", value_name = "NAME")]
    targets: Vec<String>,
    /// Output format [default: table on a terminal, jsonl otherwise].
    #[arg(long, value_enum)]
    format: Option<OutFormat>,
    /// Read standard input and every named file as JSONL documents {"id", "text"}, one per line,
    /// instead of one plain-text document each (files ending in .jsonl or .ndjson always are).
    #[arg(long)]
    jsonl: bool,
    /// Add the features that weighed most to each stance decision ("why").
    #[arg(long)]
    explain: bool,
    /// Which sentences get a stance toward a target from the model.
    #[arg(long, value_enum, default_value = "sentence")]
    stance_scope: ScopeArg,
    /// Worker threads [default: all cores].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Files or directories (all .txt files in them); - or nothing reads standard input.
    paths: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum TrainCommand {
    /// Train the stance model.
    Stance(TrainArgs),
    /// Train the attribution models (cue, source, content) on PolNeAR.
    Attribution(TrainAttributionArgs),
}

#[derive(Args)]
struct TrainArgs {
    /// The recipe (TOML), e.g. training/stance.toml or training/attribution.toml.
    #[arg(long)]
    recipe: PathBuf,
    /// The data directory the recipe's paths are relative to [default: $WHOSAID_DATA, else ../shared/data].
    #[arg(long)]
    data: Option<PathBuf>,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
struct TrainAttributionArgs {
    #[command(flatten)]
    common: TrainArgs,
    /// Also write the cue, source and content models' training rows, as their fits see them,
    /// to DIR/{cue,source,content}.svm (svmlight format; for bench/sklearn_attribution.py).
    #[arg(long, value_name = "DIR")]
    dump_rows: Option<PathBuf>,
}

#[derive(Args)]
struct PredictStanceArgs {
    /// Stance model file [default: the embedded default model].
    #[arg(long)]
    model: Option<PathBuf>,
    /// Text encoding of the input (an encoding_rs label such as gb18030).
    #[arg(long, default_value = "utf-8")]
    encoding: String,
    /// Add the N features that weighed most for each decision ("why").
    #[arg(long, value_name = "N", default_value_t = 0)]
    explain: usize,
    /// Worker threads [default: $RAYON_NUM_THREADS if set, else all cores].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Input JSONL file, or - for standard input.
    #[arg(default_value = "-")]
    input: PathBuf,
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Evaluate a stance model.
    Stance(EvalStanceArgs),
    /// Evaluate an attribution model on PolNeAR (span and sentence level, as the reference scorer).
    Attribution(EvalAttributionArgs),
}

#[derive(Args)]
struct EvalAttributionArgs {
    /// Attribution model file [default: the embedded default model].
    #[arg(long)]
    model: Option<PathBuf>,
    /// PolNeAR split as polnear:DIR (e.g. polnear:../shared/data/polnear/dev).
    #[arg(long)]
    data: String,
    /// Sentence units [default: DIR/../sentences-NAME.json for the split DIR/NAME].
    #[arg(long)]
    sentences: Option<PathBuf>,
    /// Also write the predictions in Citron's format (JSONL, one document per line) here.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Print JSON (the reference scorer's layout) instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct EvalStanceArgs {
    /// Stance model file [default: the embedded default model].
    #[arg(long)]
    model: Option<PathBuf>,
    /// Labelled data as FORMAT:PATH (formats: ruw, newsmtsc, generic).
    #[arg(long)]
    data: DataSpec,
    /// Text encoding of the data (e.g. gb18030 for RUW).
    #[arg(long, default_value = "utf-8")]
    encoding: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Train(TrainCommand::Stance(a)) => train_stance(a),
        Command::PredictStance(a) => predict_stance(a),
        Command::Eval(EvalCommand::Stance(a)) => eval_stance(a),
        Command::Train(TrainCommand::Attribution(a)) => train_attribution(a),
        Command::Classify(a) => classify::run(a),
        Command::Eval(EvalCommand::Attribution(a)) => eval_attribution(a),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("whosaid: {}", error_chain(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, as `{:#}` gives them, without a cause whose text the message
/// before it already ends with (library errors name their file and repeat their I/O cause).
fn error_chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.ends_with(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

fn load_model(path: Option<&Path>) -> Result<StanceModel> {
    Ok(match path {
        Some(p) => StanceModel::from_path(p)?,
        None => StanceModel::embedded()?,
    })
}

fn data_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.or_else(|| std::env::var_os("WHOSAID_DATA").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("../shared/data"))
}

/// Refuses an `--out` that is a directory before training (which can take minutes).
fn check_out(out: &Path) -> Result<()> {
    if out.is_dir() {
        anyhow::bail!(
            "--out {}: is a directory; give the model file's path (e.g. {})",
            out.display(),
            out.join("model.json").display()
        );
    }
    Ok(())
}

fn train_stance(a: TrainArgs) -> Result<ExitCode> {
    let recipe = StanceRecipe::from_path(&a.recipe)?;
    check_out(&a.out)?;
    let dir = data_dir(a.data);
    let file = whosaid::train::train_stance(&recipe, &dir, &mut |msg| eprintln!("whosaid: {msg}"))
        .with_context(|| format!("training {} on {}", a.recipe.display(), dir.display()))?;
    StanceModel::write_file(&file, &a.out)?;
    for r in &file.dev {
        eprintln!("{}", r.to_table());
    }
    eprintln!("whosaid: wrote {}", a.out.display());
    Ok(ExitCode::SUCCESS)
}

#[derive(Deserialize)]
struct StanceRequest {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    target: String,
    #[serde(default)]
    target_span: Option<(usize, usize)>,
}

/// A request as most lines give it: strings borrowed from the line where they need no
/// unescaping, and the id kept as JSON text.
#[derive(Deserialize)]
struct BorrowedRequest<'a> {
    #[serde(borrow, default)]
    id: Option<&'a serde_json::value::RawValue>,
    #[serde(borrow)]
    text: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    target: std::borrow::Cow<'a, str>,
    #[serde(default)]
    target_span: Option<(usize, usize)>,
}

/// A request's id, to be written back as `serde_json` writes the value.
enum Id<'a> {
    /// JSON text that `serde_json` writes back unchanged: a string without escapes, or a small
    /// unsigned integer.
    Verbatim(&'a str),
    /// Any other value.
    Value(serde_json::Value),
}

impl<'a> Id<'a> {
    fn from_raw(raw: Option<&'a serde_json::value::RawValue>) -> Id<'a> {
        let Some(raw) = raw else {
            return Id::Verbatim("null");
        };
        let t = raw.get();
        let b = t.as_bytes();
        // A JSON string without a backslash holds no escapes (nor, being valid, a quote or a
        // control character): `serde_json` writes it back as it is. So are unsigned integers
        // short enough to be exact.
        let plain_string = b.len() >= 2 && b[0] == b'"' && !b.contains(&b'\\');
        let small_uint = !b.is_empty()
            && b.len() <= 18
            && b.iter().all(u8::is_ascii_digit)
            && (b[0] != b'0' || b.len() == 1);
        if plain_string || small_uint || t == "null" {
            Id::Verbatim(t)
        } else {
            Id::Value(serde_json::from_str(t).unwrap_or(serde_json::Value::Null))
        }
    }

    fn value(&self) -> serde_json::Value {
        match self {
            Id::Verbatim(t) => serde_json::from_str(t).unwrap_or(serde_json::Value::Null),
            Id::Value(v) => v.clone(),
        }
    }
}

/// Predicts one `predict-stance` line (`Err`: it is not UTF-8) and appends its record to `out`;
/// returns the error message for stderr of a line that failed.
fn predict_one(
    model: &StanceModel,
    line_no: usize,
    line: Result<&str, String>,
    explain: usize,
    out: &mut Vec<u8>,
) -> Option<String> {
    let line = match line {
        Ok(l) => l,
        Err(e) => {
            return Some(error_record(
                out,
                &serde_json::Value::Null,
                format!("line {line_no}: {e}"),
            ))
        }
    };
    // Straight into the request; anything unusual (a bad line, a repeated key) goes through
    // `serde_json::Value` as before, for the same result and the same error messages.
    // (serde would also read a JSON array as the fields in order: only objects take it.)
    // Plainer still (nearly every line): read without serde, for the same fields.
    let plain = request::parse_plain(line);
    let direct = match plain.is_none() && line.trim_start().starts_with('{') {
        true => serde_json::from_str::<BorrowedRequest>(line).ok(),
        false => None,
    };
    let owned;
    let (id, text, target, span) = match (plain, direct) {
        (Some(r), _) => (
            Id::Verbatim(r.id.unwrap_or("null")),
            r.text,
            r.target,
            r.target_span,
        ),
        (None, Some(r)) => (Id::from_raw(r.id), r.text, r.target, r.target_span),
        (None, None) => match parse_request(line_no, line) {
            Ok(r) => {
                owned = r;
                (
                    Id::Value(owned.id.clone().unwrap_or(serde_json::Value::Null)),
                    std::borrow::Cow::Borrowed(owned.text.as_str()),
                    std::borrow::Cow::Borrowed(owned.target.as_str()),
                    owned.target_span,
                )
            }
            Err(r) => return Some(write_error_record(out, r)),
        },
    };
    if target.trim().is_empty() {
        return Some(error_record(
            out,
            &id.value(),
            format!("line {line_no}: field `target` is empty"),
        ));
    }
    match model.predict(&text, &target, span.map(|(a, b)| a..b), explain) {
        Ok(p) => {
            write_stance_record(out, &id, &target, &p, explain > 0);
            None
        }
        Err(e) => Some(error_record(
            out,
            &id.value(),
            format!("line {line_no}: {e}"),
        )),
    }
}

/// Appends the error record `{"id": id, "error": error}` to `out`; returns the error.
fn error_record(out: &mut Vec<u8>, id: &serde_json::Value, error: String) -> String {
    let r = serde_json::json!({ "id": id, "error": error });
    if serde_json::to_writer(&mut *out, &r).is_ok() {
        out.push(b'\n');
    }
    error
}

/// Appends an error record made by `parse_request` to `out`; returns its message.
fn write_error_record(out: &mut Vec<u8>, r: serde_json::Value) -> String {
    let msg = r["error"].as_str().unwrap_or("").to_owned();
    if serde_json::to_writer(&mut *out, &r).is_ok() {
        out.push(b'\n');
    }
    msg
}

/// A request through `serde_json::Value`, or the error record for the line, which names the
/// field that is missing or wrong and what it holds.
fn parse_request(line_no: usize, line: &str) -> Result<StanceRequest, serde_json::Value> {
    use serde_json::Value;
    let fail = |id: &Value, msg: String| serde_json::json!({ "id": id, "error": format!("line {line_no}: {msg}") });
    let raw: Value =
        serde_json::from_str(line).map_err(|e| fail(&Value::Null, format!("invalid JSON: {e}")))?;
    let Value::Object(map) = raw else {
        return Err(fail(
            &Value::Null,
            format!(
                "a record must be a JSON object {{\"id\", \"text\", \"target\", \"target_span\"?}}, not {}",
                json_kind(&raw)
            ),
        ));
    };
    let id = map.get("id").cloned().unwrap_or(Value::Null);
    let string = |name: &str| match map.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(v) => Err(fail(
            &id,
            format!("field `{name}` must be a string, not {}", json_kind(v)),
        )),
        None => Err(fail(&id, format!("missing field `{name}`"))),
    };
    let text = string("text")?;
    let target = string("target")?;
    let offset = |v: &Value| v.as_u64().and_then(|n| usize::try_from(n).ok());
    let target_span = match map.get("target_span") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) if a.len() == 2 && offset(&a[0]).is_some() && offset(&a[1]).is_some() => {
            offset(&a[0]).zip(offset(&a[1]))
        }
        Some(v) => {
            return Err(fail(
                &id,
                format!(
                    "field `target_span` must be [from, to], two character offsets (integers from 0), not {v}"
                ),
            ))
        }
    };
    Ok(StanceRequest {
        id: (!id.is_null()).then_some(id),
        text,
        target,
        target_span,
    })
}

/// What kind of JSON value `v` is, with the value when it is short.
fn json_kind(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => format!("a string ({s:?})"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// One `predict-stance` record as JSON text and a newline: the same text as `stance_record_value`
/// gives (a test compares them).
fn write_stance_record(
    out: &mut Vec<u8>,
    id: &Id,
    target: &str,
    p: &whosaid::StancePrediction,
    why: bool,
) {
    out.extend_from_slice(b"{\"id\":");
    match id {
        Id::Verbatim(t) => out.extend_from_slice(t.as_bytes()),
        Id::Value(v) => {
            if serde_json::to_writer(&mut *out, v).is_err() {
                out.extend_from_slice(b"null");
            }
        }
    }
    out.extend_from_slice(b",\"target\":");
    classify::json_str(out, target);
    out.extend_from_slice(b",\"label\":\"");
    out.extend_from_slice(p.label.as_str().as_bytes());
    out.extend_from_slice(b"\",\"probs\":{\"favor\":");
    classify::json_f32(out, p.probs[2]);
    out.extend_from_slice(b",\"against\":");
    classify::json_f32(out, p.probs[0]);
    out.extend_from_slice(b",\"none\":");
    classify::json_f32(out, p.probs[1]);
    out.push(b'}');
    if why {
        out.extend_from_slice(b",\"why\":[");
        for (k, (f, w)) in p.why.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"feature\":");
            classify::json_str(out, f);
            out.extend_from_slice(b",\"weight\":");
            classify::json_f32(out, *w);
            out.push(b'}');
        }
        out.push(b']');
    }
    out.extend_from_slice(b"}\n");
}

/// The reference form of a record, through `serde_json::Value`.
#[cfg(test)]
fn stance_record_value(
    id: Option<&serde_json::Value>,
    target: &str,
    p: &whosaid::StancePrediction,
    why: bool,
) -> serde_json::Value {
    let mut out = serde_json::json!({
        "id": id,
        "target": target,
        "label": p.label.as_str(),
        "probs": { "favor": p.probs[2], "against": p.probs[0], "none": p.probs[1] },
    });
    if why {
        out["why"] = p
            .why
            .iter()
            .map(|(f, w)| serde_json::json!({ "feature": f, "weight": w }))
            .collect();
    }
    out
}

/// Input lines per chunk of `predict-stance`, in bytes: a chunk is predicted by one worker and
/// its records written at once.
const STANCE_CHUNK_BYTES: usize = 32 << 10;

/// Predicts a chunk of `predict-stance` lines: their records, and the messages of the lines
/// that failed.
fn predict_chunk(
    model: &StanceModel,
    chunk: &whosaid::stream::LineChunk,
    explain: usize,
    per_line: Option<&'static encoding_rs::Encoding>,
) -> (Vec<u8>, Vec<String>) {
    // Records without explanations take about 200 bytes: room for them all, not regrown.
    let mut out = Vec::with_capacity(chunk.lines.len() * 256);
    let mut errors = Vec::new();
    for (line_no, bytes) in chunk.iter() {
        let bytes = if line_no == 1 {
            bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
        } else {
            bytes
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let decoded;
        let line = match per_line {
            Some(enc) => match decode_line(bytes, enc) {
                Ok(t) => {
                    decoded = t;
                    Ok(decoded.as_str())
                }
                Err(e) => Err(e),
            },
            None => std::str::from_utf8(bytes).map_err(|e| {
                format!(
                    "invalid UTF-8 at byte {} of the line; pass --encoding NAME if the input is in another encoding",
                    e.valid_up_to()
                )
            }),
        };
        if let Some(e) = predict_one(model, line_no, line, explain, &mut out) {
            errors.push(e);
        }
    }
    (out, errors)
}

fn predict_stance(a: PredictStanceArgs) -> Result<ExitCode> {
    let enc = data::encoding_for_label(&a.encoding)?;
    if let Some(j) = a.jobs {
        anyhow::ensure!(j > 0, "--jobs must be at least 1");
    }
    let jobs = a.jobs.unwrap_or_else(whosaid::stream::default_jobs);
    let model = load_model(a.model.as_deref())?;
    let stdin = a.input.as_os_str() == "-";
    // UTF-8 input and input in an encoding that keeps ASCII bytes as they are (gb18030, latin1,
    // ...) are read in chunks as needed and decoded line by line, so that a bad byte fails its
    // line only; others (UTF-16) are decoded whole first.
    let per_line = enc != encoding_rs::UTF_8 && enc.is_ascii_compatible();
    let reader: Box<dyn std::io::Read + Send> = if enc != encoding_rs::UTF_8 && !per_line {
        let text = data::read_text(&a.input, enc)?;
        Box::new(std::io::Cursor::new(text.into_bytes()))
    } else if stdin {
        Box::new(std::io::stdin())
    } else {
        let f = std::fs::File::open(&a.input).with_context(|| format!("{}", a.input.display()))?;
        Box::new(f)
    };
    let name = if stdin {
        "stdin".to_owned()
    } else {
        a.input.display().to_string()
    };
    let mut chunks = whosaid::stream::LineChunks::new(reader, STANCE_CHUNK_BYTES);
    // Each chunk's records are written whole and flushed at once: no buffer of our own (it
    // would only copy them once more).
    let mut out = std::io::stdout().lock();
    let mut failed = 0usize;
    // Chunks of lines are read on one thread, predicted on `jobs` workers and written here in
    // input order; only a few chunks are in flight at a time.
    whosaid::stream::ordered(
        &whosaid::stream::Limits::for_jobs(jobs),
        || -> Result<_> {
            Ok(chunks
                .next_chunk()
                .with_context(|| format!("reading {name}"))?
                .map(|c| {
                    let n = c.buf.len();
                    (c, n)
                }))
        },
        |chunk| predict_chunk(&model, &chunk, a.explain, per_line.then_some(enc)),
        |(records, errors)| -> Result<()> {
            for e in &errors {
                eprintln!("whosaid: {name}: {e}");
            }
            failed += errors.len();
            out.write_all(&records)?;
            out.flush()?;
            Ok(())
        },
    )?;
    out.flush()?;
    std::mem::forget(model);
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One line in `enc` (an ASCII-compatible encoding other than UTF-8), or what is wrong with it.
fn decode_line(bytes: &[u8], enc: &'static encoding_rs::Encoding) -> Result<String, String> {
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => Err(match data::decode(bytes, Path::new("-"), enc) {
            Err(whosaid::Error::Decode { offset, .. }) => format!(
                "invalid {} at byte {offset} of the line; pass --encoding NAME with the input's actual encoding",
                enc.name()
            ),
            _ => format!("invalid {} in the line", enc.name()),
        }),
    }
}

fn eval_stance(a: EvalStanceArgs) -> Result<ExitCode> {
    let enc = data::encoding_for_label(&a.encoding)?;
    let examples = data::load(&a.data, enc)?;
    if examples.is_empty() {
        anyhow::bail!(
            "{}: no records to evaluate (the file has none)",
            a.data.path.display()
        );
    }
    let model = load_model(a.model.as_deref())?;
    let preds: Vec<whosaid::StancePrediction> = examples
        .par_iter()
        .map(|ex| model.predict(&ex.text, &ex.target, ex.target_span.map(|(s, e)| s..e), 0))
        .collect::<Result<_, _>>()?;
    let scored: Vec<Scored> = examples
        .iter()
        .zip(&preds)
        .map(|(ex, p)| Scored {
            target: &ex.target,
            gold: ex.label,
            pred: p.label,
            probs: p.probs,
        })
        .collect();
    let spec = format!("{:?}:{}", a.data.format, a.data.path.display()).to_lowercase();
    let report = StanceReport::compute(&spec, &scored, &model.target_names());
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report.to_table())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn load_attribution_model(path: Option<&Path>) -> Result<AttributionModel> {
    Ok(match path {
        Some(p) => AttributionModel::from_path(p)?,
        None => AttributionModel::embedded()?,
    })
}

fn train_attribution(args: TrainAttributionArgs) -> Result<ExitCode> {
    let a = args.common;
    let recipe = AttributionRecipe::from_path(&a.recipe)?;
    check_out(&a.out)?;
    let dir = data_dir(a.data);
    let file = whosaid::train_attribution::train_attribution_dumping(
        &recipe,
        &dir,
        args.dump_rows.as_deref(),
        &mut |msg| eprintln!("whosaid: {msg}"),
    )
    .with_context(|| format!("training {} on {}", a.recipe.display(), dir.display()))?;
    AttributionModel::write_file(&file, &a.out)?;
    eprintln!(
        "whosaid: dev figures (reference scorer layout): {}",
        file.dev
    );
    eprintln!("whosaid: wrote {}", a.out.display());
    Ok(ExitCode::SUCCESS)
}

fn eval_attribution(a: EvalAttributionArgs) -> Result<ExitCode> {
    let dir = match a.data.split_once(':') {
        Some(("polnear", d)) => PathBuf::from(d),
        _ => anyhow::bail!(
            "--data {:?}: expected polnear:DIR (a PolNeAR split with text/ and attributions/)",
            a.data
        ),
    };
    let sentences = match a.sentences {
        Some(s) => s,
        None => {
            let name = dir
                .file_name()
                .and_then(|n| n.to_str())
                .context("--data polnear:DIR needs a split directory such as .../polnear/dev")?;
            dir.join("..").join(format!("sentences-{name}.json"))
        }
    };
    let model = load_attribution_model(a.model.as_deref())?;
    let gold = whosaid::attribution_data::load_polnear_split(&dir)?;
    if gold.is_empty() {
        anyhow::bail!(
            "{}: no articles to evaluate (no .txt files in {})",
            dir.display(),
            dir.join("text").display()
        );
    }
    let units = whosaid::attribution_data::load_sentence_units(&sentences)?;
    let t0 = std::time::Instant::now();
    let preds = whosaid::train_attribution::predict_split(&model, &gold);
    let secs = t0.elapsed().as_secs_f64();
    if let Some(p) = &a.predictions {
        let docs: Vec<CitronDoc> = gold
            .iter()
            .map(|g| CitronDoc::from_attributions(Some(g.name.clone()), &g.text, &preds[&g.name]))
            .collect();
        whosaid::attribution_data::write_citron_jsonl(p, &docs)?;
    }
    let scores = whosaid::attribution_eval::score(&gold, &units, &preds);
    let mut out = std::io::stdout().lock();
    if a.json {
        writeln!(out, "{}", scores.to_reference_json())?;
    } else {
        write!(out, "{}", scores.to_table())?;
        let chars: usize = gold.iter().map(|g| g.text.len()).sum();
        writeln!(
            out,
            "{} articles in {:.2} s ({:.1} MB/s of text)",
            gold.len(),
            secs,
            chars as f64 / 1e6 / secs.max(1e-9)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record of one line as `predict-stance` wrote it before the borrowed fast path: the
    /// request through `StanceRequest` (else `serde_json::Value`), the record through
    /// `serde_json::Value`.
    fn reference_line(model: &StanceModel, line_no: usize, line: &str, explain: usize) -> String {
        let direct = match line.trim_start().starts_with('{') {
            true => serde_json::from_str::<StanceRequest>(line).ok(),
            false => None,
        };
        let req: StanceRequest = match direct {
            Some(r) => r,
            None => match parse_request(line_no, line) {
                Ok(r) => r,
                Err(r) => return format!("{r}\n"),
            },
        };
        if req.target.trim().is_empty() {
            return format!(
                "{}\n",
                serde_json::json!({ "id": req.id, "error": format!("line {line_no}: field `target` is empty") })
            );
        }
        match model.predict(
            &req.text,
            &req.target,
            req.target_span.map(|(a, b)| a..b),
            explain,
        ) {
            Ok(p) => format!(
                "{}\n",
                stance_record_value(req.id.as_ref(), &req.target, &p, explain > 0)
            ),
            Err(e) => format!(
                "{}\n",
                serde_json::json!({ "id": req.id, "error": format!("line {line_no}: {e}") })
            ),
        }
    }

    #[test]
    fn records_match_the_value_path() {
        let model = StanceModel::embedded().unwrap();
        let ids = [
            None,
            Some("null"),
            Some(r#""a \"b\"""#),
            Some(r#""plain id""#),
            Some(r#""caf\u00e9 \/ \n""#),
            Some("\"é😀\""),
            Some("7"),
            Some("0"),
            Some("-3"),
            Some("123456789012345678"),
            Some("12345678901234567890123"),
            Some("1.5"),
            Some("1e2"),
            Some("-0"),
            Some("1.0"),
            Some("true"),
            Some(r#"{"k": [1, null], "a": 2}"#),
            Some("[ 1 , 2 ]"),
        ];
        // Texts and targets as JSON string contents.
        let texts = [
            (
                "Russian forces shelled Kharkiv overnight, killing three civilians.",
                "Russia",
                None,
            ),
            (
                "Critics accused the senator of lying about the budget.",
                "the senator",
                Some("[20, 31]"),
            ),
            (
                r#"Slava Ukraini! \ud83c\uddfa\ud83c\udde6 We stand with \"Kyiv\""#,
                "Ukraine",
                None,
            ),
            ("", r#"\u0001odd \"target\""#, None),
            ("short", "Russia", Some("[3, 99]")),
        ];
        let mut n = 0;
        for id in &ids {
            for (text, target, span) in texts {
                for explain in [0, 3] {
                    let mut line = String::from("{");
                    if let Some(id) = id {
                        line += &format!("\"id\": {id}, ");
                    }
                    line += &format!("\"text\": \"{text}\", \"target\": \"{target}\"");
                    if let Some(sp) = span {
                        line += &format!(", \"target_span\": {sp}");
                    }
                    line += "}";
                    let mut got = Vec::new();
                    predict_one(&model, 4, Ok(&line), explain, &mut got);
                    let want = reference_line(&model, 4, &line, explain);
                    assert_eq!(String::from_utf8(got).unwrap(), want, "{line}");
                    n += 1;
                }
            }
        }
        // Lines the fast path refuses: the same records and errors as before.
        for line in [
            r#"{"id": "a", "id": "b", "text": "t", "target": "x"}"#,
            r#"{"id": 3, "text": 5, "target": "x"}"#,
            r#"{"id": 3, "target": "x"}"#,
            r#"{"text": "t", "target": "x", "target_span": [1]}"#,
            r#"not json"#,
            r#"{"text": "t", "target": "x"} trailing"#,
            r#"[1, 2]"#,
        ] {
            let mut got = Vec::new();
            predict_one(&model, 9, Ok(line), 0, &mut got);
            assert_eq!(
                String::from_utf8(got).unwrap(),
                reference_line(&model, 9, line, 0)
            );
        }
        assert!(n > 100);
    }

    #[test]
    fn direct_and_value_parses_agree() {
        for line in [
            r#"{"id": 3, "text": "t", "target": "Russia", "target_span": [0, 1]}"#,
            r#"{"text": "t", "target": "x", "extra": {"a": 1}, "id": null}"#,
            r#"{"id": "a", "id": "b", "text": "t", "target": "x"}"#,
        ] {
            let v = parse_request(1, line).ok().unwrap();
            if let Ok(d) = serde_json::from_str::<StanceRequest>(line) {
                assert_eq!(
                    (d.id, d.text, d.target, d.target_span),
                    (v.id, v.text, v.target, v.target_span)
                );
            }
        }
    }
}
