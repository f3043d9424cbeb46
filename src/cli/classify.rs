//! `whosaid classify`: documents in, one record per sentence (or per document) out, in order.

use super::{ClassifyArgs, OutFormat, ScopeArg};
use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use whosaid::attribution_data::CitronDoc;
use whosaid::pipeline::{ClassifyOptions, Document, Pipeline, QuoteKind, SentenceResult};
use whosaid::report::HtmlReport;
use whosaid::stream::{LineChunk, LineChunks};

/// `,"why":[{"feature": ..., "weight": ...}, ...]`, nothing when there are no explanations.
fn write_why(out: &mut Vec<u8>, why: &[whosaid::pipeline::Why]) {
    if why.is_empty() {
        return;
    }
    out.extend_from_slice(b",\"why\":[");
    for (k, w) in why.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"feature\":");
        json_str(out, &w.feature);
        out.extend_from_slice(b",\"weight\":");
        json_f32(out, w.weight);
        out.push(b'}');
    }
    out.push(b']');
}

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

/// Whether a file is read as JSON Lines documents: with `--jsonl`, or by its name.
fn is_jsonl_file(path: &Path, jsonl: bool) -> bool {
    jsonl
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
}

/// Parses line `no` of JSON Lines input from `source` (`stdin` or a file's path) into a
/// document, or why it could not be: `None` for a blank line (no record).
fn parse_doc_line(source: &str, no: usize, line: &[u8]) -> Option<Input> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let parsed = std::str::from_utf8(line)
        .map_err(|e| {
            format!(
                "{source} line {no}: invalid UTF-8 at byte {}",
                e.valid_up_to()
            )
        })
        .and_then(|l| {
            serde_json::from_str::<serde_json::Value>(l.trim_start_matches('\u{feff}'))
                .map_err(|e| format!("{source} line {no}: invalid JSON: {e}"))
        });
    Some(match parsed {
        Err(e) => Input {
            id: format!("{source}:{no}"),
            text: Err(e),
        },
        Ok(v) => {
            let id = match v.get("id") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(x)) => x.to_string(),
                _ => format!("{source}:{no}"),
            };
            let text = match v.get("text") {
                Some(serde_json::Value::String(t)) => Ok(t.clone()),
                Some(_) => Err(format!("{source} line {no}: field `text` must be a string")),
                None => Err(format!("{source} line {no}: missing field `text`")),
            };
            Input { id, text }
        }
    })
}

/// Input bytes per chunk: a chunk is classified by one worker, and its output written at once.
const CHUNK_BYTES: usize = 32 << 10;
/// Files per chunk, at most.
const CHUNK_FILES: usize = 64;

/// A chunk of the input: documents already read, or JSON Lines to parse, with the name of
/// their source.
enum Chunk {
    Docs(Vec<Input>),
    Lines(LineChunk, Arc<str>),
}

/// A JSON Lines stream being read: standard input or a file, and its name.
struct Stream {
    chunks: LineChunks<Box<dyn std::io::Read + Send>>,
    source: Arc<str>,
    stdin: bool,
}

/// Where the reader is: error records for paths that could not be listed, then standard input
/// (JSON Lines, or one plain-text document), then the files (JSON Lines streams or plain-text
/// documents), in order.
struct Reader {
    early: Vec<Input>,
    stdin: Option<bool>,
    /// `--jsonl`: every file is JSON Lines (otherwise only `.jsonl` and `.ndjson` ones).
    jsonl: bool,
    /// The JSON Lines stream being read.
    lines: Option<Stream>,
    files: std::iter::Peekable<std::vec::IntoIter<PathBuf>>,
}

impl Reader {
    /// The next chunk and its size in bytes, `None` at the end.
    fn next_chunk(&mut self) -> Result<Option<(Chunk, usize)>> {
        if !self.early.is_empty() {
            return Ok(Some((Chunk::Docs(std::mem::take(&mut self.early)), 0)));
        }
        if let Some(jsonl) = self.stdin.take() {
            if jsonl {
                self.lines = Some(Stream {
                    chunks: LineChunks::new(Box::new(std::io::stdin()), CHUNK_BYTES),
                    source: "stdin".into(),
                    stdin: true,
                });
            } else {
                // Plain text on standard input is one document: it is read whole.
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
                    .context("reading stdin")?;
                let text = whosaid::data::decode(&bytes, Path::new("stdin"), encoding_rs::UTF_8)
                    .map_err(|e| e.to_string());
                let n = bytes.len();
                let input = Input {
                    id: "stdin".into(),
                    text,
                };
                return Ok(Some((Chunk::Docs(vec![input]), n)));
            }
        }
        // A loop, not a call of itself per JSON Lines file: any number of empty files in a row.
        loop {
            if let Some(stream) = self.lines.as_mut() {
                match stream.chunks.next_chunk() {
                    Ok(Some(c)) => {
                        let n = c.buf.len();
                        return Ok(Some((Chunk::Lines(c, stream.source.clone()), n)));
                    }
                    Ok(None) => self.lines = None,
                    // Standard input failing ends the run; a file failing is that file's error
                    // record, and the run goes on with the next input.
                    Err(e) if stream.stdin => return Err(e).context("reading stdin"),
                    Err(e) => {
                        let source = &stream.source;
                        let input = Input {
                            id: source.to_string(),
                            text: Err(format!("{source}: {e}")),
                        };
                        self.lines = None;
                        return Ok(Some((Chunk::Docs(vec![input]), 0)));
                    }
                }
            }
            let (mut docs, mut n) = (Vec::new(), 0);
            while let Some(p) = self.files.peek() {
                if is_jsonl_file(p, self.jsonl) {
                    if !docs.is_empty() {
                        // The documents read so far first.
                        break;
                    }
                    let p = p.clone();
                    self.files.next();
                    let source: Arc<str> = p.display().to_string().into();
                    match std::fs::File::open(&p) {
                        Ok(f) => {
                            self.lines = Some(Stream {
                                chunks: LineChunks::new(Box::new(f), CHUNK_BYTES),
                                source,
                                stdin: false,
                            });
                            break;
                        }
                        Err(e) => {
                            docs.push(Input {
                                id: source.to_string(),
                                text: Err(format!("{source}: {e}")),
                            });
                            continue;
                        }
                    }
                }
                let Some(p) = self.files.next() else { break };
                let text =
                    whosaid::data::read_text(&p, encoding_rs::UTF_8).map_err(|e| e.to_string());
                n += text.as_ref().map_or(0, String::len);
                docs.push(Input {
                    id: p.display().to_string(),
                    text,
                });
                if n >= CHUNK_BYTES || docs.len() >= CHUNK_FILES {
                    break;
                }
            }
            if !docs.is_empty() {
                return Ok(Some((Chunk::Docs(docs), n)));
            }
            if self.lines.is_none() {
                return Ok(None);
            }
        }
    }
}

/// One JSONL record of `classify`: `{"doc": id}` followed by the sentence's fields, written
/// straight as JSON text: the same text as serializing the sentence to a `serde_json::Value`
/// first (numbers in `f64` form, strings escaped as `serde_json` does), which `sentence_record`
/// does and a test compares.
struct SentenceRecord<'a> {
    doc: &'a str,
    s: &'a SentenceResult,
}

impl SentenceRecord<'_> {
    /// Appends the record and a newline to `out`.
    fn write_to(&self, out: &mut Vec<u8>) {
        let s = self.s;
        out.extend_from_slice(b"{\"doc\":");
        json_str(out, self.doc);
        out.extend_from_slice(b",\"sentence\":");
        json_usize(out, s.sentence);
        out.extend_from_slice(b",\"start\":");
        json_usize(out, s.start);
        out.extend_from_slice(b",\"end\":");
        json_usize(out, s.end);
        out.extend_from_slice(b",\"text\":");
        json_str(out, &s.text);
        out.extend_from_slice(if s.furniture {
            b",\"furniture\":true,\"speaker\":"
        } else {
            b",\"furniture\":false,\"speaker\":"
        });
        match &s.speaker {
            None => out.extend_from_slice(b"null"),
            Some(sp) => {
                json_span(out, &sp.text, sp.start, sp.end);
                out.extend_from_slice(b",\"canonical\":");
                json_str(out, &sp.canonical);
                out.extend_from_slice(b",\"confidence\":");
                json_f32(out, sp.confidence);
                write_why(out, &sp.why);
                out.push(b'}');
            }
        }
        out.extend_from_slice(b",\"cue\":");
        match &s.cue {
            None => out.extend_from_slice(b"null"),
            Some(c) => {
                json_span(out, &c.text, c.start, c.end);
                out.push(b'}');
            }
        }
        out.extend_from_slice(b",\"quote\":");
        match &s.quote {
            None => out.extend_from_slice(b"null"),
            Some(q) => {
                out.extend_from_slice(match q.kind {
                    QuoteKind::Direct => b"{\"kind\":\"direct\",\"contents\":[",
                    QuoteKind::Indirect => b"{\"kind\":\"indirect\",\"contents\":[",
                    QuoteKind::Mixed => b"{\"kind\":\"mixed\",\"contents\":[",
                });
                for (i, c) in q.contents.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(b"{\"start\":");
                    json_usize(out, c.start);
                    out.extend_from_slice(b",\"end\":");
                    json_usize(out, c.end);
                    out.push(b'}');
                }
                out.extend_from_slice(b"]}");
            }
        }
        out.extend_from_slice(b",\"stance\":[");
        for (i, t) in s.stance.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"target\":");
            json_str(out, &t.target);
            out.extend_from_slice(b",\"label\":\"");
            out.extend_from_slice(t.label.as_str().as_bytes());
            out.extend_from_slice(b"\",\"probs\":{\"favor\":");
            json_f32(out, t.probs.favor);
            out.extend_from_slice(b",\"against\":");
            json_f32(out, t.probs.against);
            out.extend_from_slice(b",\"none\":");
            json_f32(out, t.probs.none);
            out.push(b'}');
            write_why(out, &t.why);
            if !t.mentioned {
                out.extend_from_slice(b",\"mentioned\":false");
            }
            out.push(b'}');
        }
        out.extend_from_slice(b"]}\n");
    }
}

/// A JSON string as `serde_json` writes it: `"` and `\\` escaped, control characters as `\\b`,
/// `\\t`, `\\n`, `\\f`, `\\r` or `\\u00xx`, everything else as is.
pub(crate) fn json_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none of them needs escaping.
        if let Some(w) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            if !may_need_escape(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if b >= 0x20 && b != b'"' && b != b'\\' {
            i += 1;
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ]),
        }
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// False only if none of the eight bytes of `w` is a control character, `"` or `\\` (a true
/// answer is checked byte by byte).
fn may_need_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below `n` (n <= 128) sets its high bit in `(w - n) & !w`; a byte equal to `c` is a
    // zero byte of `w ^ c`, below 1.
    let below = |w: u64, n: u64| w.wrapping_sub(ONES * n) & !w & HIGH;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    (below(w, 0x20) | below(quote, 1) | below(backslash, 1)) != 0
}

/// `{"text":…,"start":…,"end":…` (the object left open for more fields).
fn json_span(out: &mut Vec<u8>, text: &str, start: usize, end: usize) {
    out.extend_from_slice(b"{\"text\":");
    json_str(out, text);
    out.extend_from_slice(b",\"start\":");
    json_usize(out, start);
    out.extend_from_slice(b",\"end\":");
    json_usize(out, end);
}

/// An unsigned integer in decimal.
fn json_usize(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// An `f32` as a `serde_json::Value` holds it: as `f64` (`null` if not finite).
pub(crate) fn json_f32(out: &mut Vec<u8>, x: f32) {
    if serde_json::to_writer(&mut *out, &f64::from(x)).is_err() {
        out.extend_from_slice(b"null");
    }
}

/// The reference form of a record, through `serde_json::Value`.
#[cfg(test)]
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
    // Each sentence's stance labels, and their width without colour codes: the stance column is
    // as wide as the document's widest (at least 30), so the sentences line up.
    let stances: Vec<(String, usize)> = d
        .sentences
        .iter()
        .map(|s| {
            let mut shown = String::new();
            let mut width = 0;
            for t in s.stance.iter().filter(|t| t.label != whosaid::Stance::None) {
                let (c, p) = match t.label {
                    whosaid::Stance::Favor => (green, t.probs.favor),
                    _ => (red, t.probs.against),
                };
                let label = format!("{} {} {:.2}", t.target, t.label, p);
                if width > 0 {
                    shown.push_str(", ");
                    width += 2;
                }
                width += label.chars().count();
                shown.push_str(&format!("{c}{label}{reset}"));
            }
            (shown, width)
        })
        .collect();
    let column = stances.iter().map(|s| s.1).max().unwrap_or(0).max(30);
    writeln!(out, "{bold}== {id}{reset}")?;
    for (s, (stance, width)) in d.sentences.iter().zip(&stances) {
        let text: String = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let short = clip(&text, 90);
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
            .map(|sp| sp.canonical.as_str())
            .unwrap_or("(author)");
        let pad = " ".repeat(column - width);
        writeln!(
            out,
            "{:>4}  {bold}{:<24}{reset} {stance}{pad} {short}",
            s.sentence,
            clip(speaker, 24),
        )?;
    }
    Ok(())
}

/// `text` cut to at most `width` characters, the last one "…" when it is cut.
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The error of a document with no text (empty, or only whitespace).
const EMPTY_DOCUMENT: &str = "no text to classify: the document is empty or only whitespace";

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

/// What the writer needs of one document besides its rendered output.
struct DocDone {
    id: String,
    /// What was classified, or the error.
    result: Result<Classified, String>,
}

/// A classified document's counts, with its text and analysis for the HTML report.
struct Classified {
    sentences: usize,
    bytes: usize,
    html: Option<(String, Document)>,
}

/// A classified chunk: its output, rendered by the worker, and its documents.
struct ChunkDone {
    out: Vec<u8>,
    docs: Vec<DocDone>,
}

/// Everything a worker needs to classify and render.
struct Work<'a> {
    pipeline: &'a Pipeline,
    opts: &'a ClassifyOptions,
    format: OutFormat,
    color: bool,
    targets: &'a [String],
}

impl Work<'_> {
    fn chunk(&self, chunk: Chunk) -> Result<ChunkDone, csv::Error> {
        // JSON Lines records take about five and a half times their documents' text (sentence
        // text, spans, speaker and stance toward two targets): room for them at once, rather than
        // copies of the buffer as it doubles.
        let room = match (&chunk, self.format) {
            (Chunk::Docs(docs), OutFormat::Jsonl) => docs
                .iter()
                .map(|d| d.text.as_ref().map_or(0, String::len))
                .sum::<usize>(),
            (Chunk::Lines(lines, _), OutFormat::Jsonl) => lines.buf.len(),
            _ => 0,
        };
        let mut done = ChunkDone {
            out: Vec::with_capacity(room.saturating_mul(6)),
            docs: Vec::new(),
        };
        let mut csv_out =
            (self.format == OutFormat::Csv).then(|| csv::Writer::from_writer(Vec::new()));
        match chunk {
            Chunk::Docs(docs) => {
                for inp in docs {
                    self.doc(inp, &mut done, csv_out.as_mut())?;
                }
            }
            Chunk::Lines(lines, source) => {
                for (no, line) in lines.iter() {
                    if let Some(inp) = parse_doc_line(&source, no, line) {
                        self.doc(inp, &mut done, csv_out.as_mut())?;
                    }
                }
            }
        }
        if let Some(w) = csv_out {
            done.out = w.into_inner().map_err(|e| e.into_error())?;
        }
        Ok(done)
    }

    /// Classifies one document and renders it into `done.out` (or `csv_out`).
    fn doc(
        &self,
        inp: Input,
        done: &mut ChunkDone,
        csv_out: Option<&mut csv::Writer<Vec<u8>>>,
    ) -> Result<(), csv::Error> {
        let out = &mut done.out;
        // A document with no text would give no sentence record: it gets an error record
        // instead, so that every input has a line (a Citron record, one per document, stays).
        let text = match inp.text {
            Ok(t) if t.trim().is_empty() && self.format != OutFormat::Citron => {
                Err(EMPTY_DOCUMENT.to_string())
            }
            other => other,
        };
        let text = match text {
            Err(e) => {
                match self.format {
                    OutFormat::Table => {
                        let _ = writeln!(out, "== {}\nerror: {e}", inp.id);
                    }
                    OutFormat::Html => {}
                    OutFormat::Csv => {
                        if let Some(w) = csv_out {
                            let mut row = vec![String::new(); csv_header(self.targets).len()];
                            row[0] = inp.id.clone();
                            *row.last_mut().unwrap_or(&mut String::new()) = e.clone();
                            w.write_record(&row)?;
                        }
                    }
                    _ => {
                        let _ = serde_json::to_writer(
                            &mut *out,
                            &serde_json::json!({"doc": inp.id, "error": e}),
                        );
                        out.push(b'\n');
                    }
                }
                done.docs.push(DocDone {
                    id: inp.id,
                    result: Err(e),
                });
                return Ok(());
            }
            Ok(t) => t,
        };
        let d = self.pipeline.classify_with(&text, self.opts);
        match self.format {
            OutFormat::Jsonl => {
                for s in &d.sentences {
                    SentenceRecord { doc: &inp.id, s }.write_to(out);
                }
            }
            OutFormat::Citron => {
                let doc =
                    CitronDoc::from_attributions(Some(inp.id.clone()), &text, &d.attributions);
                let _ = serde_json::to_writer(&mut *out, &doc);
                out.push(b'\n');
            }
            OutFormat::Table => {
                let _ = write_table(out, &inp.id, &d, self.color);
            }
            OutFormat::Html => {}
            OutFormat::Csv => {
                if let Some(w) = csv_out {
                    write_csv_rows(w, &inp.id, &d, self.targets)?;
                }
            }
        }
        let (sentences, bytes) = (d.sentences.len(), text.len());
        let html = (self.format == OutFormat::Html).then_some((text, d));
        done.docs.push(DocDone {
            id: inp.id,
            result: Ok(Classified {
                sentences,
                bytes,
                html,
            }),
        });
        Ok(())
    }
}

fn write_csv_rows(
    w: &mut csv::Writer<Vec<u8>>,
    id: &str,
    d: &Document,
    targets: &[String],
) -> Result<(), csv::Error> {
    for s in &d.sentences {
        let mut row = vec![
            id.to_owned(),
            s.sentence.to_string(),
            s.start.to_string(),
            s.end.to_string(),
            s.furniture.to_string(),
            s.speaker.as_ref().map_or(String::new(), |x| x.text.clone()),
            s.speaker
                .as_ref()
                .map_or(String::new(), |x| x.canonical.clone()),
            s.speaker
                .as_ref()
                .map_or(String::new(), |x| format!("{:.3}", x.confidence)),
            s.cue.as_ref().map_or(String::new(), |x| x.text.clone()),
            s.quote.as_ref().map_or(String::new(), |q| {
                serde_json::to_value(q.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            }),
        ];
        for t in targets {
            match s.stance.iter().find(|x| &x.target == t) {
                Some(x) => row.extend([
                    x.label.as_str().to_owned(),
                    format!("{:.4}", x.probs.favor),
                    format!("{:.4}", x.probs.against),
                    format!("{:.4}", x.probs.none),
                ]),
                None => row.extend(std::iter::repeat_n(String::new(), 4)),
            }
        }
        row.push(s.text.clone());
        row.push(String::new());
        w.write_record(&row)?;
    }
    Ok(())
}

pub(crate) fn run(a: ClassifyArgs) -> Result<ExitCode> {
    if let Some(j) = a.jobs {
        anyhow::ensure!(j > 0, "--jobs must be at least 1");
    }
    let jobs = a.jobs.unwrap_or_else(whosaid::stream::default_jobs);
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
        stance_scope: match a.stance_scope {
            ScopeArg::Sentence => whosaid::StanceScope::Sentence,
            ScopeArg::Mentioned => whosaid::StanceScope::Mentioned,
            ScopeArg::All => whosaid::StanceScope::All,
        },
    };

    // Inputs, in order: paths that could not be listed, standard input, then the files. They
    // are read as they are needed, in chunks, so that memory stays bounded whatever the
    // input's size (a document is only bounded by its own size, and plain text on standard
    // input is one document).
    let mut files = Vec::new();
    let mut early_errors = Vec::new();
    let use_stdin = a.paths.is_empty() || a.paths.iter().any(|p| p.as_os_str() == "-");
    for p in a.paths.iter().filter(|p| p.as_os_str() != "-") {
        collect_paths(p, &mut files, &mut early_errors);
    }
    // The number of documents, when it is known before reading.
    let streams = (use_stdin && a.jsonl) || files.iter().any(|p| is_jsonl_file(p, a.jsonl));
    let total = (!streams).then(|| early_errors.len() + files.len() + usize::from(use_stdin));
    let mut reader = Reader {
        early: early_errors,
        stdin: use_stdin.then_some(a.jsonl),
        jsonl: a.jsonl,
        lines: None,
        files: files.into_iter().peekable(),
    };
    let stdout = std::io::stdout();
    let format = a.format.unwrap_or(if stdout.is_terminal() {
        OutFormat::Table
    } else {
        OutFormat::Jsonl
    });
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = std::io::BufWriter::with_capacity(64 << 10, stdout.lock());
    if format == OutFormat::Csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(csv_header(&targets))?;
        out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
    }
    // The HTML report keeps each document's rendered section and writes the page at the end.
    let mut report = (format == OutFormat::Html).then(|| HtmlReport::new(&targets));
    let bar = (std::io::stderr().is_terminal() && total.is_none_or(|n| n > 1)).then(|| {
        let (b, template) = match total {
            Some(n) => (
                indicatif::ProgressBar::new(n as u64),
                "{bar:40} {pos}/{len} documents {per_sec} {eta}",
            ),
            None => (
                indicatif::ProgressBar::no_length(),
                "{spinner} {pos} documents {per_sec}",
            ),
        };
        b.set_style(
            indicatif::ProgressStyle::with_template(template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let start = Instant::now();
    let (mut n_docs, mut n_sents, mut n_err, mut n_bytes) = (0usize, 0usize, 0usize, 0usize);
    let work = Work {
        pipeline: &pipeline,
        opts: &opts,
        format,
        color,
        targets: &targets,
    };
    // Chunks are read on one thread, classified and rendered on `jobs` workers, and written here
    // in input order; only a few chunks are in flight at a time.
    let limits = whosaid::stream::Limits {
        bytes: 16 << 20,
        ..whosaid::stream::Limits::for_jobs(jobs)
    };
    whosaid::stream::ordered(
        &limits,
        || reader.next_chunk(),
        |chunk| work.chunk(chunk),
        |done: Result<ChunkDone, csv::Error>| -> Result<()> {
            let done = done?;
            for d in done.docs {
                n_docs += 1;
                match d.result {
                    Err(e) => {
                        n_err += 1;
                        eprintln!("whosaid: {}: {e}", d.id);
                        if let Some(r) = report.as_mut() {
                            r.add_error(&d.id, &e);
                        }
                    }
                    Ok(c) => {
                        n_sents += c.sentences;
                        n_bytes += c.bytes;
                        if let (Some(r), Some((text, doc))) = (report.as_mut(), c.html) {
                            r.add_document(&d.id, &text, &doc);
                        }
                    }
                }
                if let Some(b) = &bar {
                    b.inc(1);
                }
            }
            out.write_all(&done.out)?;
            out.flush()?;
            Ok(())
        },
    )?;
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
    // The process ends here: freeing the models' tables one by one would only cost time.
    std::mem::forget(pipeline);
    Ok(if n_err > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_marks_a_cut_with_an_ellipsis() {
        assert_eq!(clip("Kirby", 24), "Kirby");
        assert_eq!(clip("abcdef", 6), "abcdef");
        assert_eq!(clip("abcdefg", 6), "abcde…");
        assert_eq!(clip("Ünïcödé text", 4), "Ünï…");
        assert_eq!(clip("abc", 0), "…");
    }

    /// With and without colour, the table's columns line up the same: the colour codes take
    /// no width, and a long speaker is cut with an ellipsis.
    #[test]
    fn the_table_aligns_with_and_without_colour() {
        let pipeline = Pipeline::embedded().unwrap();
        let text = "The Velnian Ministry of Foreign Affairs and Maritime Trade of the Republic \
                    said Russia must withdraw its troops from Ukraine at once.\n\nIt rained.";
        let d = pipeline.classify_with(text, &ClassifyOptions::default());
        let render = |color: bool| {
            let mut out = Vec::new();
            write_table(&mut out, "doc", &d, color).unwrap();
            String::from_utf8(out).unwrap()
        };
        let plain = render(false);
        let strip = |s: &str| {
            let mut o = String::new();
            let mut esc = false;
            for c in s.chars() {
                match (esc, c) {
                    (false, '\x1b') => esc = true,
                    (true, 'm') => esc = false,
                    (true, _) => {}
                    (false, c) => o.push(c),
                }
            }
            o
        };
        assert_eq!(strip(&render(true)), plain);
        let lines: Vec<&str> = plain.lines().collect();
        assert_eq!(lines.len(), 3, "{plain}");
        assert!(lines[1].contains('…'), "{plain}");
        assert!(lines[1].contains("Russia against"), "{plain}");
        // The sentence text starts in the same column on every row.
        let text_col = |l: &str, t: &str| l[..l.rfind(t).unwrap()].chars().count();
        assert_eq!(
            text_col(lines[1], "The Velnian"),
            text_col(lines[2], "It rained"),
            "{plain}"
        );
    }

    /// Direct records are byte for byte the `Value` ones: on the shared example articles (when
    /// present) and a tricky text, with default and custom targets, with and without explanations.
    #[test]
    fn records_match_the_value_path() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        let data = std::env::var_os("WHOSAID_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/data"));
        if let Ok(rd) = std::fs::read_dir(data.join("articles")) {
            for e in rd {
                texts.push(std::fs::read_to_string(e.unwrap().path()).unwrap());
            }
        }
        texts.push("Tricky \"quotes\" \u{1}\u{7f} and \u{2028} “here”, said NaN.".into());
        let pipeline = Pipeline::embedded().unwrap();
        let mut n = 0;
        for text in &texts {
            for opts in [
                ClassifyOptions::default(),
                ClassifyOptions {
                    targets: vec!["Russia".into(), "the president".into()],
                    explain: 5,
                    stance_scope: whosaid::StanceScope::All,
                },
            ] {
                let d = pipeline.classify_with(text, &opts);
                for i in 0..d.sentences.len() {
                    let id = "doc \"1\"";
                    let want = serde_json::to_string(&sentence_record(id, &d, i)).unwrap();
                    let mut got = Vec::new();
                    SentenceRecord {
                        doc: id,
                        s: &d.sentences[i],
                    }
                    .write_to(&mut got);
                    assert_eq!(String::from_utf8(got).unwrap(), want + "\n");
                    n += 1;
                }
            }
        }
        assert!(n > 20, "only {n} records");
    }

    /// The word test finds every byte that needs escaping, wherever it is in the word and
    /// whatever the other bytes are.
    #[test]
    fn no_byte_that_needs_escaping_is_missed() {
        for fill in [b'a', b' ', b'~', 0x80, 0xC3, 0xFF, 0x21, 0x5D] {
            for b in 0..=255u8 {
                for pos in 0..8 {
                    let mut w = [fill; 8];
                    w[pos] = b;
                    let needs = b < 0x20 || b == b'"' || b == b'\\';
                    if needs {
                        assert!(may_need_escape(u64::from_le_bytes(w)), "{w:?}");
                    }
                }
            }
            assert!(!may_need_escape(u64::from_le_bytes([fill; 8])), "{fill}");
        }
    }

    proptest::proptest! {
        #[test]
        fn strings_and_numbers_are_written_as_serde_json_does(
            s in "\\PC{0,60}|[\\x00-\\x7f]{0,60}",
            n: usize,
            x: f32,
        ) {
            let mut out = Vec::new();
            json_str(&mut out, &s);
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
            let mut out = Vec::new();
            json_usize(&mut out, n);
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
            let mut out = Vec::new();
            json_f32(&mut out, x);
            let v = serde_json::to_value(x).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), v.to_string());
        }
    }
}
