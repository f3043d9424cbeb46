//! `whosaid classify`: documents in, one record per sentence (or per document) out, in order.

use super::{ClassifyArgs, OutFormat};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use whosaid::attribution_data::CitronDoc;
use whosaid::pipeline::{ClassifyOptions, Document, Pipeline};
use whosaid::report::HtmlReport;

/// An input document: its id and its text, or why it could not be read.
struct Input {
    id: String,
    text: Result<String, String>,
}

fn collect_paths(path: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<Input>) {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => {
            errors.push(Input {
                id: path.display().to_string(),
                text: Err(format!("{}: {e}", path.display())),
            });
            return;
        }
    };
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                errors.push(Input {
                    id: path.display().to_string(),
                    text: Err(format!("{}: {e}", path.display())),
                });
                return;
            }
        };
        entries.sort();
        for p in entries {
            // Symlinked directories are not followed (no loops); symlinked files are read.
            let is_dir = std::fs::symlink_metadata(&p)
                .map(|m| m.is_dir())
                .unwrap_or(false);
            if is_dir {
                collect_paths(&p, out, errors);
            } else if p.extension().is_some_and(|e| e == "txt") {
                out.push(p);
            }
        }
    } else {
        out.push(path.to_owned());
    }
}

fn read_stdin(jsonl: bool) -> Result<Vec<Input>> {
    let stdin = std::io::stdin();
    if !jsonl {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stdin.lock(), &mut bytes).context("reading stdin")?;
        let text = whosaid::data::decode(&bytes, Path::new("stdin"), encoding_rs::UTF_8)
            .map_err(|e| e.to_string());
        return Ok(vec![Input {
            id: "stdin".into(),
            text,
        }]);
    }
    let mut out = Vec::new();
    for (n, line) in stdin.lock().split(b'\n').enumerate() {
        let line = line.context("reading stdin")?;
        let line = line.strip_suffix(b"\r").unwrap_or(&line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let no = n + 1;
        let parsed = std::str::from_utf8(line)
            .map_err(|e| format!("stdin line {no}: invalid UTF-8 at byte {}", e.valid_up_to()))
            .and_then(|l| {
                serde_json::from_str::<serde_json::Value>(l.trim_start_matches('\u{feff}'))
                    .map_err(|e| format!("stdin line {no}: invalid JSON: {e}"))
            });
        let input = match parsed {
            Err(e) => Input {
                id: format!("stdin:{no}"),
                text: Err(e),
            },
            Ok(v) => {
                let id = match v.get("id") {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Number(x)) => x.to_string(),
                    _ => format!("stdin:{no}"),
                };
                let text = match v.get("text") {
                    Some(serde_json::Value::String(t)) => Ok(t.clone()),
                    Some(_) => Err(format!("stdin line {no}: field `text` must be a string")),
                    None => Err(format!("stdin line {no}: missing field `text`")),
                };
                Input { id, text }
            }
        };
        out.push(input);
    }
    Ok(out)
}

fn sentence_record(id: &str, d: &Document, i: usize) -> serde_json::Value {
    let s = &d.sentences[i];
    let mut v = serde_json::json!({ "doc": id });
    if let (Some(obj), Ok(serde_json::Value::Object(rest))) =
        (v.as_object_mut(), serde_json::to_value(s))
    {
        obj.extend(rest);
    }
    v
}

fn write_table(out: &mut dyn Write, id: &str, d: &Document, color: bool) -> std::io::Result<()> {
    let (bold, dim, red, green, reset) = if color {
        ("\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[0m")
    } else {
        ("", "", "", "", "")
    };
    writeln!(out, "{bold}== {id}{reset}")?;
    for s in &d.sentences {
        let text: String = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let short: String = if text.chars().count() > 90 {
            text.chars().take(87).collect::<String>() + "..."
        } else {
            text
        };
        if s.furniture {
            writeln!(
                out,
                "{dim}{:>4}  [page furniture] {short}{reset}",
                s.sentence
            )?;
            continue;
        }
        let speaker = s
            .speaker
            .as_ref()
            .map(|sp| sp.canonical.clone())
            .unwrap_or_else(|| "(author)".into());
        let stance: Vec<String> = s
            .stance
            .iter()
            .filter(|t| t.label != whosaid::Stance::None)
            .map(|t| {
                let (c, p) = match t.label {
                    whosaid::Stance::Favor => (green, t.probs.favor),
                    _ => (red, t.probs.against),
                };
                format!("{c}{} {} {:.2}{reset}", t.target, t.label, p)
            })
            .collect();
        writeln!(
            out,
            "{:>4}  {bold}{:<24}{reset} {:<30} {short}",
            s.sentence,
            speaker.chars().take(24).collect::<String>(),
            stance.join(", "),
        )?;
    }
    Ok(())
}

fn csv_header(targets: &[String]) -> Vec<String> {
    let mut h: Vec<String> = [
        "doc",
        "sentence",
        "start",
        "end",
        "furniture",
        "speaker",
        "canonical",
        "confidence",
        "cue",
        "quote_kind",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for t in targets {
        for k in ["label", "favor", "against", "none"] {
            h.push(format!("{t}_{k}"));
        }
    }
    h.push("text".into());
    h.push("error".into());
    h
}

pub(crate) fn run(a: ClassifyArgs) -> Result<ExitCode> {
    if let Some(j) = a.jobs {
        anyhow::ensure!(j > 0, "--jobs must be at least 1");
        rayon::ThreadPoolBuilder::new()
            .num_threads(j)
            .build_global()
            .context("setting up worker threads")?;
    }
    let t_load = Instant::now();
    let pipeline = match &a.models {
        Some(dir) => {
            whosaid::pipeline::check_bundle_dir(dir)?;
            Pipeline::from_dir(dir)?
        }
        None => Pipeline::embedded()?,
    };
    let load_secs = t_load.elapsed().as_secs_f64();
    let targets = if a.targets.is_empty() {
        pipeline.stance().target_names()
    } else {
        a.targets.clone()
    };
    let opts = ClassifyOptions {
        targets: targets.iter().map(whosaid::Target::new).collect(),
        explain: if a.explain { 5 } else { 0 },
    };

    // Inputs, in order: files are read lazily in batches; stdin is read first.
    let mut files = Vec::new();
    let mut early_errors = Vec::new();
    let use_stdin = a.paths.is_empty() || a.paths.iter().any(|p| p.as_os_str() == "-");
    for p in a.paths.iter().filter(|p| p.as_os_str() != "-") {
        collect_paths(p, &mut files, &mut early_errors);
    }
    let mut inputs: Vec<Input> = early_errors;
    if use_stdin {
        inputs.extend(read_stdin(a.jsonl)?);
    }
    let stdout = std::io::stdout();
    let format = a.format.unwrap_or(if stdout.is_terminal() {
        OutFormat::Table
    } else {
        OutFormat::Jsonl
    });
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if format == OutFormat::Csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(csv_header(&targets))?;
        out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
    }
    // The HTML report keeps each document's rendered section and writes the page at the end.
    let mut report = (format == OutFormat::Html).then(|| HtmlReport::new(&targets));
    let total = inputs.len() + files.len();
    let bar = (total > 1 && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(total as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} documents {per_sec} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let start = Instant::now();
    let (mut n_docs, mut n_sents, mut n_err, mut n_bytes) = (0usize, 0usize, 0usize, 0usize);
    let mut pending = inputs.into_iter();
    let mut file_iter = files.into_iter();
    loop {
        let mut batch: Vec<Input> = pending.by_ref().take(64).collect();
        if batch.is_empty() {
            batch = file_iter
                .by_ref()
                .take(64)
                .map(|p| Input {
                    id: p.display().to_string(),
                    text: whosaid::data::read_text(&p, encoding_rs::UTF_8)
                        .map_err(|e| e.to_string()),
                })
                .collect();
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<Result<Document, String>> = batch
            .par_iter()
            .map(|inp| match &inp.text {
                Ok(t) => Ok(pipeline.classify_with(t, &opts)),
                Err(e) => Err(e.clone()),
            })
            .collect();
        let mut csv_out = (format == OutFormat::Csv).then(|| csv::Writer::from_writer(Vec::new()));
        for (inp, res) in batch.iter().zip(results) {
            n_docs += 1;
            match res {
                Err(e) => {
                    n_err += 1;
                    eprintln!("whosaid: {}: {e}", inp.id);
                    match format {
                        OutFormat::Table => writeln!(out, "== {}\nerror: {e}", inp.id)?,
                        OutFormat::Html => {
                            if let Some(r) = report.as_mut() {
                                r.add_error(&inp.id, &e);
                            }
                        }
                        OutFormat::Csv => {
                            if let Some(w) = csv_out.as_mut() {
                                let mut row = vec![String::new(); csv_header(&targets).len()];
                                row[0] = inp.id.clone();
                                *row.last_mut().unwrap_or(&mut String::new()) = e.clone();
                                w.write_record(&row)?;
                            }
                        }
                        _ => {
                            serde_json::to_writer(
                                &mut out,
                                &serde_json::json!({"doc": inp.id, "error": e}),
                            )?;
                            writeln!(out)?;
                        }
                    }
                }
                Ok(d) => {
                    n_sents += d.sentences.len();
                    n_bytes += inp.text.as_ref().map_or(0, |t| t.len());
                    match format {
                        OutFormat::Jsonl => {
                            for i in 0..d.sentences.len() {
                                serde_json::to_writer(&mut out, &sentence_record(&inp.id, &d, i))?;
                                writeln!(out)?;
                            }
                        }
                        OutFormat::Citron => {
                            let text = inp.text.as_deref().unwrap_or("");
                            let doc = CitronDoc::from_attributions(
                                Some(inp.id.clone()),
                                text,
                                &d.attributions,
                            );
                            serde_json::to_writer(&mut out, &doc)?;
                            writeln!(out)?;
                        }
                        OutFormat::Table => write_table(&mut out, &inp.id, &d, color)?,
                        OutFormat::Html => {
                            if let Some(r) = report.as_mut() {
                                r.add_document(&inp.id, inp.text.as_deref().unwrap_or(""), &d);
                            }
                        }
                        OutFormat::Csv => {
                            if let Some(w) = csv_out.as_mut() {
                                for s in &d.sentences {
                                    let mut row = vec![
                                        inp.id.clone(),
                                        s.sentence.to_string(),
                                        s.start.to_string(),
                                        s.end.to_string(),
                                        s.furniture.to_string(),
                                        s.speaker
                                            .as_ref()
                                            .map_or(String::new(), |x| x.text.clone()),
                                        s.speaker
                                            .as_ref()
                                            .map_or(String::new(), |x| x.canonical.clone()),
                                        s.speaker.as_ref().map_or(String::new(), |x| {
                                            format!("{:.3}", x.confidence)
                                        }),
                                        s.cue.as_ref().map_or(String::new(), |x| x.text.clone()),
                                        s.quote.as_ref().map_or(String::new(), |q| {
                                            serde_json::to_value(q.kind)
                                                .ok()
                                                .and_then(|v| v.as_str().map(str::to_owned))
                                                .unwrap_or_default()
                                        }),
                                    ];
                                    for t in &targets {
                                        match s.stance.iter().find(|x| &x.target == t) {
                                            Some(x) => row.extend([
                                                x.label.as_str().to_owned(),
                                                format!("{:.4}", x.probs.favor),
                                                format!("{:.4}", x.probs.against),
                                                format!("{:.4}", x.probs.none),
                                            ]),
                                            None => {
                                                row.extend(std::iter::repeat_n(String::new(), 4))
                                            }
                                        }
                                    }
                                    row.push(s.text.clone());
                                    row.push(String::new());
                                    w.write_record(&row)?;
                                }
                            }
                        }
                    }
                }
            }
            if let Some(b) = &bar {
                b.inc(1);
            }
        }
        if let Some(w) = csv_out {
            out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
        }
        out.flush()?;
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(r) = report {
        r.finish(&mut out)?;
        out.flush()?;
    }
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    eprintln!(
        "whosaid: {n_docs} documents, {n_sents} sentences, {n_err} errors in {secs:.2} s ({:.0} sentences/s, {:.2} MB/s; models loaded in {:.0} ms)",
        n_sents as f64 / secs,
        n_bytes as f64 / 1e6 / secs,
        load_secs * 1000.0
    );
    Ok(if n_err > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
