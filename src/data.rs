//! Loading labelled stance data: the RUW and NewsMTSC corpora and a generic CSV/JSONL format.
//!
//! Every loader reads the whole file, decodes it with the given text encoding (see [`decode`]),
//! and returns one [`StanceExample`] per (text, target) pair. Nothing is skipped silently: a
//! record that cannot be used is an [`Error::Parse`] naming the file, the line and the field;
//! the only records passed over are blank lines in JSONL files (and blank lines between CSV
//! records, which CSV does not count as records).
//!
//! Offsets (`target_span`, NewsMTSC `from`/`to`, generic `target_start`/`target_end`) are
//! **character** (Unicode code point) offsets into the text, end exclusive.
//!
//! When a span is given, the text it covers must match the target (NewsMTSC `mention`). The
//! comparison is lenient about case and whitespace: both sides are trimmed, runs of whitespace
//! count as one space, and case is ignored. This catches byte offsets given as character offsets
//! and off-by-one spans without rejecting e.g. `"the Senator"` for target `"the senator"`.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use encoding_rs::{DecoderResult, Encoding};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::label::Stance;

/// Where a record came from, kept for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The file the record was read from (`-` for standard input).
    pub path: Arc<Path>,
    /// 1-based line of the record's start.
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}", self.path.display(), self.line)
    }
}

/// One labelled (text, target) pair.
#[derive(Clone, Debug, PartialEq)]
pub struct StanceExample {
    /// An identifier, unique within its file.
    pub id: String,
    /// The text (tweet, sentence) that takes a stance.
    pub text: String,
    /// The target the stance is toward, e.g. `Russia`.
    pub target: String,
    /// Character (Unicode code point) offsets into `text`, end exclusive
    pub target_span: Option<(usize, usize)>,
    /// The stance `text` takes toward `target`.
    pub label: Stance,
    /// Where the record came from.
    pub origin: Origin,
}

/// Corpus formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// RUW tweets (CSV, two targets per row; GB18030-encoded as distributed).
    Ruw,
    /// NewsMTSC sentences (JSONL, one or more targets per line).
    Newsmtsc,
    /// The generic CSV or JSONL format with `text`, `target`, `stance` fields.
    Generic,
}

impl Format {
    /// Every format, in the order they are listed in messages.
    pub const ALL: [Format; 3] = [Format::Ruw, Format::Newsmtsc, Format::Generic];

    /// The name used in `FORMAT:PATH` specs: `ruw`, `newsmtsc` or `generic`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Ruw => "ruw",
            Format::Newsmtsc => "newsmtsc",
            Format::Generic => "generic",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = Error;

    /// Parses a format name, case-insensitively.
    fn from_str(s: &str) -> Result<Format> {
        let lower = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.name() == lower)
            .ok_or_else(|| {
                Error::Input(format!(
                    "unknown data format {s:?}; known formats: {}",
                    known_formats()
                ))
            })
    }
}

fn known_formats() -> String {
    Format::ALL.map(Format::name).join(", ")
}

/// `FORMAT:PATH` as typed on the command line, e.g. `ruw:../shared/data/ruw/val.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSpec {
    /// How the file is laid out.
    pub format: Format,
    /// The file (`-` for standard input).
    pub path: PathBuf,
}

impl fmt::Display for DataSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.format, self.path.display())
    }
}

impl FromStr for DataSpec {
    type Err = Error;

    /// Parses `FORMAT:PATH`; the format name is case-insensitive and the path is everything
    /// after the first `:`.
    fn from_str(s: &str) -> Result<DataSpec> {
        let Some((format, path)) = s.split_once(':') else {
            return Err(Error::Input(format!(
                "data spec {s:?} is not FORMAT:PATH (e.g. ruw:data/ruw/val.csv); known formats: {}",
                known_formats()
            )));
        };
        let format = format.parse::<Format>().map_err(|_| {
            Error::Input(format!(
                "unknown data format {format:?} in {s:?}; known formats: {}",
                known_formats()
            ))
        })?;
        if path.is_empty() {
            return Err(Error::Input(format!(
                "data spec {s:?} has no path after {:?}",
                format!("{format}:")
            )));
        }
        Ok(DataSpec {
            format,
            path: PathBuf::from(path),
        })
    }
}

/// The encoding for a WHATWG label such as `utf-8`, `gb18030`, `latin1` or `windows-1252`
/// (case-insensitive). Labels that map to the "replacement" encoding are refused.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label_no_replacement(label.trim().as_bytes())
        .ok_or_else(|| Error::UnknownEncoding(label.to_string()))
}

const UTF8_HINT: &str =
    "; pass --encoding NAME if the file is in another encoding (e.g. --encoding gb18030)";
const OTHER_HINT: &str = "; pass --encoding NAME with the file's actual encoding";

/// Decode bytes; default UTF-8. Strips a leading BOM (UTF-8 BOM for utf-8).
///
/// For UTF-8 a leading `EF BB BF` is dropped; for any other encoding a leading U+FEFF in the
/// decoded text (that encoding's own byte order mark) is dropped. No BOM sniffing is done: the
/// bytes are decoded with `encoding` only.
///
/// Invalid input is an [`Error::Decode`] with the 1-based line (counting line feeds before the
/// bad byte), the 0-based byte offset of the first bad byte in `bytes`, the encoding's name
/// (`UTF-8`, `gb18030`, ...) and a hint to pass `--encoding`.
pub fn decode(bytes: &[u8], path: &Path, encoding: &'static Encoding) -> Result<String> {
    if encoding == encoding_rs::UTF_8 {
        let (body, skipped) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (rest, 3),
            None => (bytes, 0),
        };
        return match std::str::from_utf8(body) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => {
                let offset = skipped + e.valid_up_to();
                let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
                Err(Error::Decode {
                    path: path.to_path_buf(),
                    line,
                    offset,
                    encoding: "UTF-8".to_string(),
                    hint: UTF8_HINT.to_string(),
                })
            }
        };
    }

    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len());
    let mut out = String::with_capacity(capacity);
    let mut read_total = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[read_total..], &mut out, true);
        read_total += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(bytes.len() - read_total)
                    .unwrap_or(bytes.len() - read_total);
                out.reserve(more.max(16));
            }
            DecoderResult::Malformed(bad, after) => {
                let offset = read_total.saturating_sub(usize::from(bad) + usize::from(after));
                // `out` holds exactly the text decoded before the malformed sequence.
                let line = 1 + out.matches('\n').count();
                return Err(Error::Decode {
                    path: path.to_path_buf(),
                    line,
                    offset,
                    encoding: encoding.name().to_string(),
                    hint: OTHER_HINT.to_string(),
                });
            }
        }
    }
    match out.strip_prefix('\u{FEFF}') {
        Some(rest) => Ok(rest.to_owned()),
        None => Ok(out),
    }
}

/// Read a file (path "-" = stdin) and decode it with [`decode`].
pub fn read_text(path: &Path, encoding: &'static Encoding) -> Result<String> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| Error::io(path, e))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| Error::io(path, e))?
    };
    decode(&bytes, path, encoding)
}

/// Loads the file a [`DataSpec`] names, with the loader for its format.
pub fn load(spec: &DataSpec, encoding: &'static Encoding) -> Result<Vec<StanceExample>> {
    match spec.format {
        Format::Ruw => load_ruw(&spec.path, encoding),
        Format::Newsmtsc => load_newsmtsc(&spec.path, encoding),
        Format::Generic => load_generic(&spec.path, encoding),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

/// The file name without its extension, for default ids.
fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Checks that ids are unique within a file.
#[derive(Default)]
struct IdCheck {
    seen: HashMap<String, usize>,
}

impl IdCheck {
    fn check(&mut self, path: &Path, id: &str, line: usize) -> Result<()> {
        if let Some(first) = self.seen.get(id) {
            return Err(Error::parse(
                path,
                line,
                format!("duplicate id {id:?} (first used at line {first}; ids must be unique)"),
            ));
        }
        self.seen.insert(id.to_string(), line);
        Ok(())
    }
}

/// Trimmed, whitespace-collapsed, lowercased: the form in which a span's text and its target
/// are compared.
fn normalize_mention(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Checks a character span against `text` and `target`; the error message names the fields
/// `start_name` and `end_name`.
fn check_span(
    text: &str,
    target: &str,
    (start, end): (usize, usize),
    start_name: &str,
    end_name: &str,
    target_name: &str,
) -> std::result::Result<(), String> {
    if start >= end {
        return Err(format!(
            "{start_name} {start} is not before {end_name} {end} (offsets are end exclusive)"
        ));
    }
    let len = text.chars().count();
    if end > len {
        return Err(format!(
            "{end_name} {end} is past the end of the text ({len} characters; offsets count \
             characters, not bytes)"
        ));
    }
    let covered: String = text.chars().skip(start).take(end - start).collect();
    if normalize_mention(&covered) != normalize_mention(target) {
        return Err(format!(
            "the text at {start_name}..{end_name} ({start}..{end}) is {covered:?}, not the \
             {target_name} {target:?} (offsets are character offsets, end exclusive)"
        ));
    }
    Ok(())
}

/// Finds the line where an unterminated quoted field starts, following the `csv` crate's
/// parser (RFC 4180 quoting with `""` as an escaped quote). The `csv` crate itself ends such a
/// field silently at the end of the input, swallowing every later record into it.
fn unterminated_quote(text: &str) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum State {
        StartField,
        InField,
        InQuoted(usize),
        QuoteInQuoted(usize),
    }
    let mut state = State::StartField;
    let mut line = 1;
    for b in text.bytes() {
        state = match (state, b) {
            (State::StartField, b'"') => State::InQuoted(line),
            (
                State::StartField | State::InField | State::QuoteInQuoted(_),
                b',' | b'\r' | b'\n',
            ) => State::StartField,
            (State::StartField | State::InField, _) => State::InField,
            (State::InQuoted(l), b'"') => State::QuoteInQuoted(l),
            (State::InQuoted(l), _) => State::InQuoted(l),
            (State::QuoteInQuoted(l), b'"') => State::InQuoted(l),
            (State::QuoteInQuoted(_), _) => State::InField,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    match state {
        State::InQuoted(l) => Some(l),
        _ => None,
    }
}

/// Line numbers of CSV records. The `csv` crate's own `Position::line` is where the parser
/// stood before it skipped the previous record's terminator, so after a CRLF or a blank line it
/// is one short; this counts from the record's first byte instead.
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The line of the first byte at or after `byte` that is not a line break; `byte` must not
    /// be before the previous call's.
    fn line_at(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.byte {
            self.line += self.text[self.byte..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.byte = start;
        }
        self.line
    }
}

/// A CSV file split into its header and records, each record with its starting line.
struct CsvTable {
    header: csv::StringRecord,
    header_line: usize,
    records: Vec<(usize, csv::StringRecord)>,
}

impl CsvTable {
    fn parse(text: &str, path: &Path) -> Result<CsvTable> {
        if let Some(line) = unterminated_quote(text) {
            return Err(Error::parse(
                path,
                line,
                "unterminated quoted field: the '\"' that opens it is never closed",
            ));
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut header: Option<(usize, csv::StringRecord)> = None;
        let mut records = Vec::new();
        let mut lines = LineCounter::new(text);
        for result in reader.records() {
            let record = result.map_err(|e| {
                let line = match e.position() {
                    Some(p) => lines.line_at(p.byte()),
                    None => lines.line,
                };
                Error::parse(path, line, format!("invalid CSV: {e}"))
            })?;
            let line = match record.position() {
                Some(p) => lines.line_at(p.byte()),
                None => lines.line,
            };
            match &header {
                None => header = Some((line, record)),
                Some((_, h)) => {
                    if record.len() != h.len() {
                        return Err(Error::parse(
                            path,
                            line,
                            format!(
                                "record has {} fields but the header has {} (an unquoted comma, \
                                 or a missing or extra field?)",
                                record.len(),
                                h.len()
                            ),
                        ));
                    }
                    records.push((line, record));
                }
            }
        }
        let (header_line, header) = header.unwrap_or((1, csv::StringRecord::new()));
        Ok(CsvTable {
            header,
            header_line,
            records,
        })
    }

    /// The index of the column named `name` (trimmed, case-insensitive), if there is one; two
    /// columns with that name are an error.
    fn column(&self, path: &Path, name: &str) -> Result<Option<usize>> {
        let mut found = None;
        for (i, h) in self.header.iter().enumerate() {
            if h.trim().eq_ignore_ascii_case(name) {
                if found.is_some() {
                    return Err(Error::parse(
                        path,
                        self.header_line,
                        format!("column {name:?} appears twice in the header"),
                    ));
                }
                found = Some(i);
            }
        }
        Ok(found)
    }

    fn required_column(&self, path: &Path, name: &str) -> Result<usize> {
        self.column(path, name)?.ok_or_else(|| {
            let found = if self.header.is_empty() {
                "(none: the file is empty)".to_string()
            } else {
                self.header.iter().collect::<Vec<_>>().join(",")
            };
            Error::parse(
                path,
                self.header_line,
                format!("missing column {name:?}; header found: {found}"),
            )
        })
    }
}

// ---------------------------------------------------------------------------------------------
// RUW

/// Loads an RUW CSV file (`Tweet,Target 1,Stance 1,Target 2,Stance 2,...`).
///
/// One example per (tweet, target) pair, so two per row; a pair whose target cell is empty is
/// left out (its stance cell must then be empty too), and a row must have at least one target.
/// Labels are FAVOR/AGAINST/NONE (case-insensitive). Ids are `{file stem}:{row}:{target}` with
/// rows counted from 1 over data rows. Columns are found by name (trimmed, case-insensitive).
/// The distributed files are GB18030: pass `encoding_rs::GB18030`.
pub fn load_ruw(path: &Path, encoding: &'static Encoding) -> Result<Vec<StanceExample>> {
    let text = read_text(path, encoding)?;
    let table = CsvTable::parse(&text, path)?;
    let tweet_col = table.required_column(path, "Tweet")?;
    let pairs = [
        (
            "Target 1",
            table.required_column(path, "Target 1")?,
            "Stance 1",
            table.required_column(path, "Stance 1")?,
        ),
        (
            "Target 2",
            table.required_column(path, "Target 2")?,
            "Stance 2",
            table.required_column(path, "Stance 2")?,
        ),
    ];
    let origin_path: Arc<Path> = Arc::from(path);
    let stem = file_stem(path);
    let mut ids = IdCheck::default();
    let mut out = Vec::with_capacity(table.records.len() * 2);
    for (row, (line, record)) in table.records.iter().enumerate() {
        let line = *line;
        let row = row + 1;
        let cell = |i: usize| record.get(i).unwrap_or("");
        let tweet = cell(tweet_col);
        if tweet.trim().is_empty() {
            return Err(Error::parse(path, line, "column \"Tweet\" is empty"));
        }
        let before = out.len();
        for (target_name, target_col, stance_name, stance_col) in pairs {
            let target = cell(target_col).trim();
            let stance = cell(stance_col).trim();
            if target.is_empty() {
                if !stance.is_empty() {
                    return Err(Error::parse(
                        path,
                        line,
                        format!(
                            "column {stance_name:?} is {stance:?} but {target_name:?} is empty"
                        ),
                    ));
                }
                continue;
            }
            let label = Stance::parse(stance).ok_or_else(|| {
                Error::parse(
                    path,
                    line,
                    format!(
                        "column {stance_name:?}: unknown stance label {stance:?} (expected FAVOR, \
                         AGAINST or NONE)"
                    ),
                )
            })?;
            let id = format!("{stem}:{row}:{target}");
            ids.check(path, &id, line)?;
            out.push(StanceExample {
                id,
                text: tweet.to_string(),
                target: target.to_string(),
                target_span: None,
                label,
                origin: Origin {
                    path: origin_path.clone(),
                    line,
                },
            });
        }
        if out.len() == before {
            return Err(Error::parse(
                path,
                line,
                "row has no target: \"Target 1\" and \"Target 2\" are both empty",
            ));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// JSON helpers

/// The non-blank lines of a JSONL text, each with its 1-based line number and parsed as a JSON
/// object.
fn jsonl_objects<'a>(
    text: &'a str,
    path: &'a Path,
) -> impl Iterator<Item = Result<(usize, Map<String, Value>)>> + 'a {
    text.split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(move |(i, l)| {
            let line = i + 1;
            let l = l.trim();
            match serde_json::from_str::<Value>(l) {
                Ok(Value::Object(map)) => Ok((line, map)),
                Ok(other) => Err(Error::parse(
                    path,
                    line,
                    format!(
                        "expected a JSON object on each line (JSONL), found {}",
                        json_type(&other)
                    ),
                )),
                Err(e) => {
                    let hint = if l.starts_with('[') {
                        " (expected one JSON object per line (JSONL), not a JSON array)"
                    } else {
                        ""
                    };
                    Err(Error::parse(path, line, format!("invalid JSON: {e}{hint}")))
                }
            }
        })
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Field access with errors that name the field (as `prefix` + `name`) and the line.
struct Fields<'a> {
    map: &'a Map<String, Value>,
    path: &'a Path,
    line: usize,
    prefix: String,
}

impl<'a> Fields<'a> {
    fn err(&self, name: &str, what: impl fmt::Display) -> Error {
        Error::parse(
            self.path,
            self.line,
            format!("field \"{}{name}\" {what}", self.prefix),
        )
    }

    /// A field that is present and not null.
    fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    fn required(&self, name: &str) -> Result<&'a Value> {
        self.get(name).ok_or_else(|| self.err(name, "is missing"))
    }

    fn wrong_type(&self, name: &str, expected: &str, v: &Value) -> Error {
        let mut shown = v.to_string();
        if shown.len() > 60 {
            let cut = (0..=60)
                .rev()
                .find(|&i| shown.is_char_boundary(i))
                .unwrap_or(0);
            shown.truncate(cut);
            shown.push_str("...");
        }
        self.err(
            name,
            format_args!("must be {expected}, found {} {shown}", json_type(v)),
        )
    }

    fn str(&self, name: &str) -> Result<&'a str> {
        let v = self.required(name)?;
        v.as_str()
            .ok_or_else(|| self.wrong_type(name, "a string", v))
    }

    fn opt_str(&self, name: &str) -> Result<Option<&'a str>> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| self.wrong_type(name, "a string", v)),
        }
    }

    fn offset(&self, name: &str) -> Result<usize> {
        let v = self.required(name)?;
        self.as_offset(name, v)
    }

    fn opt_offset(&self, name: &str) -> Result<Option<usize>> {
        self.get(name).map(|v| self.as_offset(name, v)).transpose()
    }

    fn as_offset(&self, name: &str, v: &Value) -> Result<usize> {
        v.as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| self.wrong_type(name, "a non-negative integer", v))
    }
}

// ---------------------------------------------------------------------------------------------
// NewsMTSC

/// Loads a NewsMTSC JSONL file: one line per sentence,
/// `{"primary_gid", "sentence_normalized", "targets": [{"Input.gid", "from", "to", "mention",
/// "polarity"}]}`.
///
/// One example per target: the text is `sentence_normalized`, the target `mention` (trimmed),
/// the span `(from, to)` in characters, which must cover the mention (compared ignoring case and
/// whitespace differences). Polarity 2.0 is against, 4.0 none, 6.0 favor. The id is `Input.gid`,
/// or `{primary_gid}#{k}` (k counted from 1 within the line) when a target has none. Blank lines
/// are skipped; other fields (`further_mentions`, ...) are ignored.
pub fn load_newsmtsc(path: &Path, encoding: &'static Encoding) -> Result<Vec<StanceExample>> {
    let text = read_text(path, encoding)?;
    let origin_path: Arc<Path> = Arc::from(path);
    let mut ids = IdCheck::default();
    let mut out = Vec::new();
    for item in jsonl_objects(&text, path) {
        let (line, map) = item?;
        let fields = Fields {
            map: &map,
            path,
            line,
            prefix: String::new(),
        };
        let sentence = fields.str("sentence_normalized")?;
        let primary_gid = fields.opt_str("primary_gid")?;
        let targets_value = fields.required("targets")?;
        let targets = targets_value
            .as_array()
            .ok_or_else(|| fields.wrong_type("targets", "an array", targets_value))?;
        if targets.is_empty() {
            return Err(fields.err("targets", "is empty (each sentence needs a target)"));
        }
        for (k, target_value) in targets.iter().enumerate() {
            let prefix = format!("targets[{k}].");
            let tmap = target_value.as_object().ok_or_else(|| {
                fields.wrong_type(&format!("targets[{k}]"), "an object", target_value)
            })?;
            let t = Fields {
                map: tmap,
                path,
                line,
                prefix,
            };
            let mention = t.str("mention")?.trim();
            if mention.is_empty() {
                return Err(t.err("mention", "is empty"));
            }
            let from = t.offset("from")?;
            let to = t.offset("to")?;
            check_span(sentence, mention, (from, to), "from", "to", "mention")
                .map_err(|m| Error::parse(path, line, format!("targets[{k}]: {m}")))?;
            let polarity_value = t.required("polarity")?;
            let polarity = polarity_value
                .as_f64()
                .ok_or_else(|| t.wrong_type("polarity", "a number", polarity_value))?;
            let label = [
                (2.0, Stance::Against),
                (4.0, Stance::None),
                (6.0, Stance::Favor),
            ]
            .into_iter()
            .find(|&(p, _)| p == polarity)
            .map(|(_, label)| label)
            .ok_or_else(|| {
                t.err(
                    "polarity",
                    format_args!(
                        "has unknown value {polarity_value} (expected 2.0 negative, 4.0 neutral \
                         or 6.0 positive)"
                    ),
                )
            })?;
            let id = match t.opt_str("Input.gid")? {
                Some(gid) => gid.to_string(),
                None => match primary_gid {
                    Some(p) => format!("{p}#{}", k + 1),
                    None => {
                        return Err(t.err(
                            "Input.gid",
                            "is missing and so is \"primary_gid\" (one is needed for the id)",
                        ))
                    }
                },
            };
            ids.check(path, &id, line)?;
            out.push(StanceExample {
                id,
                text: sentence.to_string(),
                target: mention.to_string(),
                target_span: Some((from, to)),
                label,
                origin: Origin {
                    path: origin_path.clone(),
                    line,
                },
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Generic

/// One generic record's fields, before validation.
struct GenericRecord<'a> {
    line: usize,
    number: usize,
    id: Option<String>,
    text: &'a str,
    target: &'a str,
    stance: &'a str,
    start: Option<usize>,
    end: Option<usize>,
}

impl GenericRecord<'_> {
    fn into_example(
        self,
        path: &Path,
        origin_path: &Arc<Path>,
        stem: &str,
        ids: &mut IdCheck,
    ) -> Result<StanceExample> {
        let line = self.line;
        let err = |m: String| Error::parse(path, line, m);
        if self.text.trim().is_empty() {
            return Err(err("field \"text\" is empty".into()));
        }
        let target = self.target.trim();
        if target.is_empty() {
            return Err(err("field \"target\" is empty".into()));
        }
        let label = Stance::parse(self.stance).ok_or_else(|| {
            err(format!(
                "field \"stance\": unknown label {:?} (expected favor, against or none)",
                self.stance
            ))
        })?;
        let target_span = match (self.start, self.end) {
            (None, None) => None,
            (Some(start), Some(end)) => {
                check_span(
                    self.text,
                    target,
                    (start, end),
                    "target_start",
                    "target_end",
                    "target",
                )
                .map_err(err)?;
                Some((start, end))
            }
            (Some(_), None) => {
                return Err(err(
                    "field \"target_start\" is given but \"target_end\" is not (give both or \
                     neither)"
                        .into(),
                ))
            }
            (None, Some(_)) => {
                return Err(err(
                    "field \"target_end\" is given but \"target_start\" is not (give both or \
                     neither)"
                        .into(),
                ))
            }
        };
        let id = self.id.unwrap_or_else(|| format!("{stem}:{}", self.number));
        ids.check(path, &id, line)?;
        Ok(StanceExample {
            id,
            text: self.text.to_string(),
            target: target.to_string(),
            target_span,
            label,
            origin: Origin {
                path: origin_path.clone(),
                line,
            },
        })
    }
}

/// Whether a generic file is JSONL, from its extension or else its first non-blank character.
fn generic_is_jsonl(path: &Path, text: &str) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") => false,
        Some("jsonl" | "json" | "ndjson") => true,
        _ => text.trim_start().starts_with('{'),
    }
}

/// Loads the generic format, CSV or JSONL.
///
/// The format is chosen by extension (`.csv`; `.jsonl`, `.json`, `.ndjson`), or for any other
/// extension (and standard input) by the first non-blank character: `{` means JSONL.
///
/// Fields: `text`, `target`, `stance` (required; the stance is favor/against/none, see
/// [`Stance::parse`]), `target_start`, `target_end` (optional character offsets into `text`,
/// end exclusive, both or neither; the span must cover the target, ignoring case and
/// whitespace differences) and `id` (optional, default `{file stem}:{record number}` with
/// records counted from 1; ids must be unique).
///
/// CSV: a header row names the columns (trimmed, case-insensitive; other columns are ignored);
/// empty `id`, `target_start` and `target_end` cells count as absent. JSONL: one object per
/// line, blank lines skipped; `null` counts as absent; `id` may be a string or an integer.
pub fn load_generic(path: &Path, encoding: &'static Encoding) -> Result<Vec<StanceExample>> {
    let text = read_text(path, encoding)?;
    let origin_path: Arc<Path> = Arc::from(path);
    let stem = file_stem(path);
    let mut ids = IdCheck::default();
    let mut out = Vec::new();
    if generic_is_jsonl(path, &text) {
        for (number, item) in jsonl_objects(&text, path).enumerate() {
            let (line, map) = item?;
            let f = Fields {
                map: &map,
                path,
                line,
                prefix: String::new(),
            };
            let id = match f.get("id") {
                None => None,
                Some(Value::String(s)) if s.trim().is_empty() => {
                    return Err(f.err("id", "is empty"))
                }
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Some(n.to_string()),
                Some(v) => return Err(f.wrong_type("id", "a string or an integer", v)),
            };
            let record = GenericRecord {
                line,
                number: number + 1,
                id,
                text: f.str("text")?,
                target: f.str("target")?,
                stance: f.str("stance")?,
                start: f.opt_offset("target_start")?,
                end: f.opt_offset("target_end")?,
            };
            out.push(record.into_example(path, &origin_path, &stem, &mut ids)?);
        }
    } else {
        let table = CsvTable::parse(&text, path)?;
        let text_col = table.required_column(path, "text")?;
        let target_col = table.required_column(path, "target")?;
        let stance_col = table.required_column(path, "stance")?;
        let start_col = table.column(path, "target_start")?;
        let end_col = table.column(path, "target_end")?;
        let id_col = table.column(path, "id")?;
        for (number, (line, record)) in table.records.iter().enumerate() {
            let line = *line;
            let cell = |i: usize| record.get(i).unwrap_or("");
            let opt_cell =
                |col: Option<usize>| col.map(|i| cell(i).trim()).filter(|s: &&str| !s.is_empty());
            let offset = |col: Option<usize>, name: &str| -> Result<Option<usize>> {
                opt_cell(col)
                    .map(|s| {
                        s.parse::<usize>().map_err(|_| {
                            Error::parse(
                                path,
                                line,
                                format!(
                                    "column {name:?} must be a non-negative integer (a character \
                                     offset), found {s:?}"
                                ),
                            )
                        })
                    })
                    .transpose()
            };
            let record = GenericRecord {
                line,
                number: number + 1,
                id: opt_cell(id_col).map(str::to_string),
                text: cell(text_col),
                target: cell(target_col),
                stance: cell(stance_col),
                start: offset(start_col, "target_start")?,
                end: offset(end_col, "target_end")?,
            };
            out.push(record.into_example(path, &origin_path, &stem, &mut ids)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{GB18030, UTF_8};
    use proptest::prelude::*;

    fn write(dir: &tempfile::TempDir, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Runs `f` on a file `name` holding `bytes` in a fresh temporary directory.
    fn with_file<T>(name: &str, bytes: impl AsRef<[u8]>, f: impl FnOnce(&Path) -> T) -> T {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, name, bytes);
        f(&p)
    }

    /// The error message, asserting that it is a parse error at `line`.
    fn parse_err(r: Result<Vec<StanceExample>>, line: usize) -> String {
        match r {
            Err(e @ Error::Parse { line: l, .. }) => {
                assert_eq!(l, line, "wrong line in {e}");
                e.to_string()
            }
            Err(e) => panic!("expected a parse error, got {e:?}"),
            Ok(v) => panic!("expected a parse error, got {} examples", v.len()),
        }
    }

    fn assert_contains(haystack: &str, needles: &[&str]) {
        for n in needles {
            assert!(haystack.contains(n), "{haystack:?} does not contain {n:?}");
        }
    }

    // ---- encodings and decoding ------------------------------------------------------------

    #[test]
    fn encoding_labels() {
        assert_eq!(encoding_for_label("utf8").unwrap(), UTF_8);
        assert_eq!(encoding_for_label(" GB18030 ").unwrap(), GB18030);
        assert_eq!(
            encoding_for_label("latin1").unwrap(),
            encoding_rs::WINDOWS_1252
        );
        for bad in ["klingon", "", "iso-2022-kr"] {
            match encoding_for_label(bad) {
                Err(e @ Error::UnknownEncoding(_)) => assert_contains(
                    &e.to_string(),
                    &[&format!("unknown text encoding {bad:?}"), "gb18030"],
                ),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn decode_utf8_and_bom() {
        let p = Path::new("x.txt");
        assert_eq!(decode(b"abc\n", p, UTF_8).unwrap(), "abc\n");
        assert_eq!(decode(b"\xEF\xBB\xBFabc", p, UTF_8).unwrap(), "abc");
        assert_eq!(decode(b"", p, UTF_8).unwrap(), "");
        assert_eq!(decode("é…".as_bytes(), p, UTF_8).unwrap(), "é…");
    }

    #[test]
    fn decode_invalid_utf8_message() {
        let bytes = b"\xEF\xBB\xBFline one\r\nline two\r\nbad \xA1\xAD here\n";
        let e = decode(bytes, Path::new("dir/f.csv"), UTF_8).unwrap_err();
        match &e {
            Error::Decode {
                line,
                offset,
                encoding,
                ..
            } => {
                assert_eq!((*line, *offset, encoding.as_str()), (3, 27, "UTF-8"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            e.to_string(),
            "dir/f.csv line 3: invalid UTF-8 at byte 27; pass --encoding NAME if the file is in \
             another encoding (e.g. --encoding gb18030)"
        );
        // A bad first byte, and a sequence cut off at the end.
        let e = decode(b"\xFF", Path::new("a"), UTF_8).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Decode {
                    line: 1,
                    offset: 0,
                    ..
                }
            ),
            "{e:?}"
        );
        let e = decode(b"ok\n\xE2\x80", Path::new("a"), UTF_8).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Decode {
                    line: 2,
                    offset: 3,
                    ..
                }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn decode_gb18030() {
        let (bytes, _, unmappable) = GB18030.encode("Russia… 俄罗斯\nUkraine");
        assert!(!unmappable);
        assert_eq!(&bytes[6..8], b"\xA1\xAD");
        let p = Path::new("g.csv");
        assert_eq!(
            decode(&bytes, p, GB18030).unwrap(),
            "Russia… 俄罗斯\nUkraine"
        );
        // Its own BOM (U+FEFF encoded) is stripped.
        let (with_bom, _, _) = GB18030.encode("\u{FEFF}abc");
        assert_eq!(decode(&with_bom, p, GB18030).unwrap(), "abc");
        // 0xFF is never valid in GB18030.
        let e = decode(b"ab\ncd\xFFef", p, GB18030).unwrap_err();
        match &e {
            Error::Decode {
                line,
                offset,
                encoding,
                hint,
                ..
            } => {
                assert_eq!((*line, *offset, encoding.as_str()), (2, 5, "gb18030"));
                assert!(hint.contains("--encoding"));
            }
            other => panic!("{other:?}"),
        }
        // A truncated two-byte sequence at the end of the input.
        let e = decode(b"abc\xA1", p, GB18030).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Decode {
                    line: 1,
                    offset: 3,
                    ..
                }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn decode_utf16_strips_bom() {
        let bytes = b"\xFF\xFEh\0i\0";
        assert_eq!(
            decode(bytes, Path::new("u"), encoding_rs::UTF_16LE).unwrap(),
            "hi"
        );
        // An unpaired surrogate.
        let e = decode(b"h\0\n\0\x00\xD8", Path::new("u"), encoding_rs::UTF_16LE).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Decode {
                    line: 2,
                    offset: 4,
                    ..
                }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn read_text_missing_file_is_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope.csv");
        match read_text(&p, UTF_8) {
            Err(e @ Error::Io { .. }) => assert!(e.to_string().contains("nope.csv")),
            other => panic!("{other:?}"),
        }
    }

    // ---- DataSpec ----------------------------------------------------------------------------

    #[test]
    fn data_spec_parses() {
        let s: DataSpec = "ruw:../shared/data/ruw/val.csv".parse().unwrap();
        assert_eq!(s.format, Format::Ruw);
        assert_eq!(s.path, PathBuf::from("../shared/data/ruw/val.csv"));
        assert_eq!(s.to_string(), "ruw:../shared/data/ruw/val.csv");
        let s: DataSpec = "NewsMTSC:-".parse().unwrap();
        assert_eq!((s.format, s.path), (Format::Newsmtsc, PathBuf::from("-")));
        let s: DataSpec = "generic:C:/data/x.csv".parse().unwrap();
        assert_eq!(s.path, PathBuf::from("C:/data/x.csv"));
        assert_eq!(
            serde_json::to_string(&Format::Newsmtsc).unwrap(),
            "\"newsmtsc\""
        );
    }

    #[test]
    fn data_spec_errors() {
        let e = "semeval:x.csv".parse::<DataSpec>().unwrap_err().to_string();
        assert_contains(&e, &["\"semeval\"", "ruw, newsmtsc, generic"]);
        let e = "x.csv".parse::<DataSpec>().unwrap_err().to_string();
        assert_contains(&e, &["\"x.csv\"", "FORMAT:PATH", "ruw, newsmtsc, generic"]);
        let e = "ruw:".parse::<DataSpec>().unwrap_err().to_string();
        assert_contains(&e, &["no path"]);
        let e = ":a.csv".parse::<DataSpec>().unwrap_err().to_string();
        assert_contains(&e, &["unknown data format \"\"", "ruw, newsmtsc, generic"]);
    }

    // ---- RUW ---------------------------------------------------------------------------------

    const RUW_HEADER: &str = "Tweet,Target 1,Stance 1,Target 2,Stance 2,Test/Train/Dev\n";

    #[test]
    fn ruw_loads_pairs_multiline_and_crlf() {
        let body = "Tweet,Target 1,Stance 1,Target 2,Stance 2,Test/Train/Dev\r\n\
                    \"Kyiv stands, \"\"firmly\"\".\r\nSecond line\",Russia,AGAINST,Ukraine,FAVOR,Train\r\n\
                    Plain tweet,Russia,none,,,Train\r\n";
        let ex = with_file("train.csv", body, |p| load_ruw(p, UTF_8)).unwrap();
        assert_eq!(ex.len(), 3);
        assert_eq!(ex[0].id, "train:1:Russia");
        assert_eq!(ex[0].text, "Kyiv stands, \"firmly\".\r\nSecond line");
        assert_eq!(ex[0].label, Stance::Against);
        assert_eq!(ex[0].origin.line, 2);
        assert_eq!(ex[1].id, "train:1:Ukraine");
        assert_eq!(ex[1].label, Stance::Favor);
        assert_eq!(ex[1].target_span, None);
        assert_eq!(ex[2].id, "train:2:Russia");
        assert_eq!(ex[2].label, Stance::None);
        assert_eq!(ex[2].origin.line, 4);
        assert!(ex[2].origin.path.ends_with("train.csv"));
    }

    #[test]
    fn ruw_columns_by_name_any_order_and_case() {
        let body = " stance 2 ,TWEET,target 2,Target 1,Stance 1\nNONE,hello,Ukraine,Russia,FAVOR\n";
        let ex = with_file("v.csv", body, |p| load_ruw(p, UTF_8)).unwrap();
        assert_eq!(ex.len(), 2);
        assert_eq!(
            (ex[0].target.as_str(), ex[0].label),
            ("Russia", Stance::Favor)
        );
        assert_eq!(
            (ex[1].target.as_str(), ex[1].label),
            ("Ukraine", Stance::None)
        );
    }

    #[test]
    fn ruw_gb18030() {
        let text = format!(
            "{RUW_HEADER}ok,Russia,NONE,Ukraine,NONE,Train\nWait… 等待,Russia,FAVOR,Ukraine,AGAINST,Train\n"
        );
        let (bytes, _, _) = GB18030.encode(&text);
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "val.csv", &bytes);
        let ex = load_ruw(&p, GB18030).unwrap();
        assert_eq!(ex.len(), 4);
        assert_eq!(ex[2].text, "Wait… 等待");
        let e = load_ruw(&p, UTF_8).unwrap_err().to_string();
        let offset = RUW_HEADER.len() + "ok,Russia,NONE,Ukraine,NONE,Train\nWait".len();
        assert_eq!(
            e,
            format!(
                "{} line 3: invalid UTF-8 at byte {offset}; pass --encoding NAME if the file is \
                 in another encoding (e.g. --encoding gb18030)",
                p.display()
            )
        );
    }

    #[test]
    fn ruw_bad_records() {
        let cases: &[(&str, usize, &[&str])] = &[
            (
                "a,Russia,NONE,Ukraine,NONE,Train\nb,Russia,NONE,Ukraine\n",
                3,
                &["4 fields", "header has 6"],
            ),
            (
                "a,Russia,NONE,Ukraine,NONE,Train\n\"b, never closed,Russia,NONE\nc,d\n",
                3,
                &["unterminated quoted field"],
            ),
            (
                "a,Russia,MAYBE,Ukraine,NONE,Train\n",
                2,
                &["\"Stance 1\"", "\"MAYBE\"", "FAVOR"],
            ),
            ("a,,,,,Train\n", 2, &["no target"]),
            (
                "a,Russia,NONE,,FAVOR,Train\n",
                2,
                &["\"Stance 2\"", "\"Target 2\" is empty"],
            ),
            (
                " ,Russia,NONE,Ukraine,NONE,Train\n",
                2,
                &["\"Tweet\" is empty"],
            ),
            (
                "a,Russia,NONE,Russia,FAVOR,Train\n",
                2,
                &["duplicate id \"f:1:Russia\"", "line 2"],
            ),
        ];
        for (body, line, needles) in cases {
            let r = with_file("f.csv", format!("{RUW_HEADER}{body}"), |p| {
                load_ruw(p, UTF_8)
            });
            let msg = parse_err(r, *line);
            assert_contains(&msg, needles);
            assert!(msg.contains("f.csv"), "{msg}");
        }
    }

    #[test]
    fn ruw_missing_column() {
        let body = "Tweet,Target 1,Stance 1,Target 2\na,Russia,NONE,Ukraine\n";
        let msg = parse_err(with_file("f.csv", body, |p| load_ruw(p, UTF_8)), 1);
        assert_contains(
            &msg,
            &[
                "missing column \"Stance 2\"",
                "header found: Tweet,Target 1,Stance 1,Target 2",
            ],
        );
        let msg = parse_err(with_file("f.csv", "", |p| load_ruw(p, UTF_8)), 1);
        assert_contains(&msg, &["missing column \"Tweet\"", "empty"]);
    }

    #[test]
    fn ruw_header_only_is_empty() {
        let ex = with_file("f.csv", RUW_HEADER, |p| load_ruw(p, UTF_8)).unwrap();
        assert!(ex.is_empty());
    }

    // ---- NewsMTSC ----------------------------------------------------------------------------

    fn newsmtsc_line(sentence: &str, targets: &str) -> String {
        format!(
            r#"{{"primary_gid": "p1", "sentence_normalized": {}, "targets": [{targets}]}}"#,
            serde_json::to_string(sentence).unwrap()
        )
    }

    #[test]
    fn newsmtsc_loads() {
        let l1 = newsmtsc_line(
            "“He said the senator lied.”",
            r#"{"Input.gid": "g1", "from": 1, "to": 3, "mention": "He", "polarity": 2.0}, {"from": 13, "to": 20, "mention": "senator", "polarity": 6, "further_mentions": []}"#,
        );
        let l2 = r#"{"primary_gid": "p2", "sentence_normalized": "Kyiv  wins.", "targets": [{"Input.gid": "g2", "from": 0, "to": 4, "mention": "kyiv", "polarity": 4.0}]}"#;
        let body = format!("{l1}\r\n\r\n   \n{l2}\r\n");
        let ex = with_file("dev.jsonl", body, |p| load_newsmtsc(p, UTF_8)).unwrap();
        assert_eq!(ex.len(), 3);
        assert_eq!(ex[0].id, "g1");
        assert_eq!(ex[0].target_span, Some((1, 3)));
        assert_eq!(ex[0].label, Stance::Against);
        assert_eq!(ex[1].id, "p1#2");
        assert_eq!(ex[1].target, "senator");
        assert_eq!(ex[1].label, Stance::Favor);
        assert_eq!(ex[1].origin.line, 1);
        assert_eq!(ex[2].label, Stance::None);
        assert_eq!(ex[2].origin.line, 4);
        // Mention compared ignoring case.
        assert_eq!(ex[2].target, "kyiv");
    }

    #[test]
    fn newsmtsc_bad_records() {
        let good = r#"{"Input.gid": "g", "from": 0, "to": 4, "mention": "Kyiv", "polarity": 2.0}"#;
        let s = "Kyiv wins.";
        let cases: Vec<(String, &[&str])> = vec![
            (
                newsmtsc_line(s, &good.replace("2.0", "5.0")),
                &["targets[0].polarity", "5.0"],
            ),
            (
                newsmtsc_line(s, &good.replace("2.0", "\"neg\"")),
                &["targets[0].polarity", "must be a number", "\"neg\""],
            ),
            (
                newsmtsc_line(s, &good.replace("\"to\": 4", "\"to\": \"4\"")),
                &["\"targets[0].to\"", "non-negative integer", "a string"],
            ),
            (
                newsmtsc_line(s, &good.replace("\"to\": 4", "\"to\": 40")),
                &["to 40", "past the end", "10 characters"],
            ),
            (
                newsmtsc_line(s, &good.replace("\"from\": 0", "\"from\": 4")),
                &["from 4 is not before to 4"],
            ),
            (
                newsmtsc_line(s, &good.replace("\"from\": 0", "\"from\": 1")),
                &["\"yiv\"", "\"Kyiv\"", "character offsets"],
            ),
            (
                newsmtsc_line(s, &good.replace("\"mention\": \"Kyiv\", ", "")),
                &["\"targets[0].mention\" is missing"],
            ),
            (newsmtsc_line(s, ""), &["\"targets\" is empty"]),
            (newsmtsc_line(s, "3"), &["\"targets[0]\" must be an object"]),
            (
                format!(r#"{{"sentence_normalized": 5, "targets": [{good}]}}"#),
                &["\"sentence_normalized\" must be a string"],
            ),
            (
                format!(r#"{{"sentence_normalized": "{s}", "targets": {good}}}"#),
                &["\"targets\" must be an array"],
            ),
            (
                format!(
                    r#"{{"sentence_normalized": "{s}", "targets": [{}]}}"#,
                    good.replace("\"Input.gid\": \"g\", ", "")
                ),
                &["\"primary_gid\""],
            ),
            (
                r#"{"sentence_normalized": "a", "#.to_string(),
                &["invalid JSON"],
            ),
            ("[1, 2]".to_string(), &["JSON object", "an array"]),
        ];
        for (bad, needles) in cases {
            let body = format!(
                "{}\n\n{bad}\n",
                newsmtsc_line(s, good).replace("\"g\"", "\"g0\"")
            );
            let msg = parse_err(with_file("n.jsonl", body, |p| load_newsmtsc(p, UTF_8)), 3);
            assert_contains(&msg, needles);
        }
        // Duplicate Input.gid across lines.
        let body = format!("{}\n{}\n", newsmtsc_line(s, good), newsmtsc_line(s, good));
        let msg = parse_err(with_file("n.jsonl", body, |p| load_newsmtsc(p, UTF_8)), 2);
        assert_contains(&msg, &["duplicate id \"g\"", "line 1"]);
    }

    // ---- Generic -----------------------------------------------------------------------------

    #[test]
    fn generic_csv_loads() {
        let body = "\u{FEFF}ID,Text,Target,Stance,target_start,target_end,notes\r\n\
                    a1,Russia shelled Kharkiv.,Russia,against,0,6,x\r\n\
                    ,\"The senator, again, praised Ukraine.\",Ukraine,FAVOUR,28,35,\r\n\
                    ,Nothing to see.,the senator,None,,,\r\n";
        let ex = with_file("mine.csv", body, |p| load_generic(p, UTF_8)).unwrap();
        assert_eq!(ex.len(), 3);
        assert_eq!(ex[0].id, "a1");
        assert_eq!(ex[0].target_span, Some((0, 6)));
        assert_eq!(ex[0].label, Stance::Against);
        assert_eq!(ex[1].id, "mine:2");
        assert_eq!(ex[1].text, "The senator, again, praised Ukraine.");
        assert_eq!(ex[1].target_span, Some((28, 35)));
        assert_eq!(ex[1].label, Stance::Favor);
        assert_eq!(ex[2].id, "mine:3");
        assert_eq!(ex[2].target_span, None);
        assert_eq!(ex[2].origin.line, 4);
    }

    #[test]
    fn generic_jsonl_loads_and_sniffs() {
        let body = "\n{\"text\": \"Ça va, Україна?\", \"target\": \"Україна\", \"stance\": \"pro\", \"target_start\": 7, \"target_end\": 14}\n\
                    {\"id\": 17, \"text\": \"x y\", \"target\": \"y\", \"stance\": \"con\", \"target_start\": null, \"extra\": [1]}\n";
        for name in ["d.jsonl", "d.json", "d.ndjson", "d.txt", "d"] {
            let ex = with_file(name, body, |p| load_generic(p, UTF_8)).unwrap();
            assert_eq!(ex.len(), 2, "{name}");
            assert_eq!(ex[0].id, "d:1");
            assert_eq!(ex[0].target_span, Some((7, 14)));
            assert_eq!(ex[0].label, Stance::Favor);
            assert_eq!(ex[0].origin.line, 2);
            assert_eq!(ex[1].id, "17");
            assert_eq!(ex[1].target_span, None);
            assert_eq!(ex[1].label, Stance::Against);
        }
        // Sniffing picks CSV when the first character is not `{`.
        let ex = with_file("d.txt", "\n text,target,stance\nhi,hi,none\n", |p| {
            load_generic(p, UTF_8)
        })
        .unwrap();
        assert_eq!(ex[0].origin.line, 3);
        // ... but the extension wins.
        let msg = parse_err(with_file("d.csv", body, |p| load_generic(p, UTF_8)), 2);
        assert_contains(&msg, &["missing column \"text\""]);
    }

    #[test]
    fn generic_csv_bad_records() {
        let header = "id,text,target,stance,target_start,target_end\n";
        let good = "a,Kyiv holds.,Kyiv,favor,0,4\n";
        let cases: &[(&str, &[&str])] = &[
            (
                "b,Kyiv holds.,Kyiv,maybe,,\n",
                &["\"maybe\"", "favor, against or none"],
            ),
            (
                "b,Kyiv holds.,Kyiv,favor,0,\n",
                &["\"target_start\" is given", "both"],
            ),
            (
                "b,Kyiv holds.,Kyiv,favor,,4\n",
                &["\"target_end\" is given"],
            ),
            (
                "b,Kyiv holds.,Kyiv,favor,0,40\n",
                &["target_end 40", "past the end"],
            ),
            (
                "b,Kyiv holds.,Kyiv,favor,-1,4\n",
                &["\"target_start\"", "\"-1\""],
            ),
            (
                "b,Kyiv holds.,Kyiv,favor,2,1\n",
                &["target_start 2 is not before target_end 1"],
            ),
            ("b,Kyiv holds.,Kyiv,favor,1,5\n", &["\"yiv \"", "\"Kyiv\""]),
            (
                "a,Kyiv holds.,Kyiv,favor,,\n",
                &["duplicate id \"a\"", "first used at line 2"],
            ),
            ("b,Kyiv holds.,Kyiv,favor\n", &["4 fields", "header has 6"]),
            ("b,\"Kyiv holds.,Kyiv,favor,,\n", &["unterminated"]),
            ("b,,Kyiv,favor,,\n", &["\"text\" is empty"]),
            ("b,Kyiv holds., ,favor,,\n", &["\"target\" is empty"]),
        ];
        for (bad, needles) in cases {
            let body = format!("{header}{good}{bad}");
            let msg = parse_err(with_file("g.csv", body, |p| load_generic(p, UTF_8)), 3);
            assert_contains(&msg, needles);
        }
        // A default id that collides with an explicit one.
        let body = "id,text,target,stance\ng:2,a,b,none\n,c,d,none\n";
        let msg = parse_err(with_file("g.csv", body, |p| load_generic(p, UTF_8)), 3);
        assert_contains(&msg, &["duplicate id \"g:2\"", "line 2"]);
        // Missing and doubled columns.
        let msg = parse_err(
            with_file("g.csv", "text,target\na,b\n", |p| load_generic(p, UTF_8)),
            1,
        );
        assert_contains(
            &msg,
            &["missing column \"stance\"", "header found: text,target"],
        );
        let msg = parse_err(
            with_file("g.csv", "text,target,stance,Text\na,b,none,c\n", |p| {
                load_generic(p, UTF_8)
            }),
            1,
        );
        assert_contains(&msg, &["\"text\" appears twice"]);
    }

    #[test]
    fn generic_jsonl_bad_records() {
        let good = r#"{"id": "a", "text": "Kyiv holds.", "target": "Kyiv", "stance": "favor"}"#;
        let cases: &[(&str, &[&str])] = &[
            (
                r#"{"text": "t", "target": "t", "stance": 1}"#,
                &["\"stance\" must be a string"],
            ),
            (
                r#"{"text": "t", "target": "t"}"#,
                &["\"stance\" is missing"],
            ),
            (
                r#"{"text": "t", "target": "t", "stance": "none", "target_start": 0.5, "target_end": 1}"#,
                &["\"target_start\" must be a non-negative integer", "0.5"],
            ),
            (
                r#"{"text": "t", "target": "t", "stance": "none", "target_start": 0, "target_end": 2}"#,
                &["target_end 2 is past the end"],
            ),
            (
                r#"{"id": [1], "text": "t", "target": "t", "stance": "none"}"#,
                &["\"id\" must be"],
            ),
            (
                r#"{"id": "a", "text": "t", "target": "t", "stance": "none"}"#,
                &["duplicate id \"a\""],
            ),
            (
                r#"{"text": "t", "target": "t", "stance": "none""#,
                &["invalid JSON"],
            ),
            (r#"[{"text": "t"}]"#, &["JSON object", "found an array"]),
            (r#"[{"text": "t"},"#, &["invalid JSON", "not a JSON array"]),
        ];
        for (bad, needles) in cases {
            let body = format!("{good}\n\n{bad}\n");
            let msg = parse_err(with_file("g.jsonl", body, |p| load_generic(p, UTF_8)), 3);
            assert_contains(&msg, needles);
        }
    }

    #[test]
    fn load_dispatches_on_format() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "x.csv", "text,target,stance\na,b,none\n");
        let spec = DataSpec {
            format: Format::Generic,
            path: p.clone(),
        };
        assert_eq!(load(&spec, UTF_8).unwrap().len(), 1);
        let spec = DataSpec {
            format: Format::Ruw,
            path: p,
        };
        let msg = parse_err(load(&spec, UTF_8), 1);
        assert_contains(&msg, &["missing column \"Tweet\""]);
    }

    // ---- the real corpora --------------------------------------------------------------------

    /// `$WHOSAID_DATA`, else `../shared/data` beside the crate; `None` (test skipped) if absent.
    fn corpus_dir() -> Option<PathBuf> {
        let dir = match std::env::var_os("WHOSAID_DATA") {
            Some(d) => PathBuf::from(d),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        };
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!("skipping: corpus directory {} not found", dir.display());
            None
        }
    }

    fn check_corpus(examples: &[StanceExample]) {
        let mut ids = std::collections::HashSet::new();
        for ex in examples {
            assert!(ids.insert(ex.id.as_str()), "duplicate id {}", ex.id);
            if let Some((s, e)) = ex.target_span {
                assert!(s < e && e <= ex.text.chars().count(), "{}", ex.id);
            }
        }
    }

    #[test]
    fn real_ruw() {
        let Some(dir) = corpus_dir() else { return };
        for (name, rows) in [("train.csv", 4200), ("val.csv", 600)] {
            let p = dir.join("ruw").join(name);
            let ex = load_ruw(&p, GB18030).unwrap();
            assert_eq!(ex.len(), 2 * rows, "{name}");
            check_corpus(&ex);
            assert!(ex
                .iter()
                .all(|e| e.target == "Russia" || e.target == "Ukraine"));
            assert!(Stance::ALL.iter().all(|s| ex.iter().any(|e| e.label == *s)));
            assert!(
                ex.iter().any(|e| e.text.contains('…')),
                "{name}: ellipsis decoded"
            );
            // No tweet spans lines, so data row k starts on line k + 1 (CRLF line ends).
            assert_eq!(
                (ex[0].origin.line, ex[2 * rows - 1].origin.line),
                (2, rows + 1)
            );
        }
        let p = dir.join("ruw/train.csv");
        let spec: DataSpec = format!("ruw:{}", p.display()).parse().unwrap();
        let e = load(&spec, UTF_8).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Decode {
                    line: 41,
                    offset: 9484,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            format!(
                "{} line 41: invalid UTF-8 at byte 9484; pass --encoding NAME if the file is in \
                 another encoding (e.g. --encoding gb18030)",
                p.display()
            )
        );
    }

    #[test]
    fn real_newsmtsc() {
        let Some(dir) = corpus_dir() else { return };
        for (name, n) in [("train.jsonl", 8739), ("dev.jsonl", 343)] {
            let ex = load_newsmtsc(&dir.join("newsmtsc").join(name), UTF_8).unwrap();
            assert_eq!(ex.len(), n, "{name}");
            check_corpus(&ex);
            for e in &ex {
                let (s, t) = e.target_span.unwrap();
                let covered: String = e.text.chars().skip(s).take(t - s).collect();
                assert_eq!(covered, e.target, "{}", e.id);
            }
        }
        let train = load_newsmtsc(&dir.join("newsmtsc/train.jsonl"), UTF_8).unwrap();
        assert_eq!(train.last().unwrap().origin.line, 7758);
    }

    /// The hand-made fixtures in `training/fixtures` (used by integration tests) must load.
    #[test]
    fn fixtures_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("training/fixtures");
        if !dir.is_dir() {
            eprintln!("skipping: {} not found", dir.display());
            return;
        }
        for name in ["generic.csv", "generic.jsonl"] {
            let spec: DataSpec = format!("generic:{}", dir.join(name).display())
                .parse()
                .unwrap();
            let ex = load(&spec, UTF_8).unwrap();
            assert!(ex.len() >= 10, "{name}");
            check_corpus(&ex);
            assert!(Stance::ALL.iter().all(|s| ex.iter().any(|e| e.label == *s)));
            assert!(ex.iter().any(|e| e.target_span.is_some()));
            assert!(ex.iter().any(|e| e.target_span.is_none()));
        }
    }

    // ---- never panic -------------------------------------------------------------------------

    fn check_loaded(r: Result<Vec<StanceExample>>) {
        if let Ok(examples) = r {
            for ex in examples {
                if let Some((s, e)) = ex.target_span {
                    assert!(s < e && e <= ex.text.chars().count());
                }
            }
        }
    }

    fn run_all_loaders(bytes: &[u8]) {
        let dir = tempfile::tempdir().unwrap();
        for name in ["f.csv", "f.jsonl", "f.dat"] {
            let p = write(&dir, name, bytes);
            for enc in [UTF_8, GB18030] {
                check_loaded(load_ruw(&p, enc));
                check_loaded(load_newsmtsc(&p, enc));
                check_loaded(load_generic(&p, enc));
            }
        }
    }

    /// Text made of the characters that matter to the parsers, so that records often parse.
    fn csvish() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a-c0-9é俄 ,\"\r\n{}\\[\\]:-]{0,80}").unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            for enc in [UTF_8, GB18030, encoding_rs::UTF_16LE, encoding_rs::SHIFT_JIS] {
                match decode(&bytes, Path::new("p"), enc) {
                    Ok(_) => {}
                    Err(Error::Decode { offset, line, .. }) => {
                        prop_assert!(offset < bytes.len());
                        prop_assert!(line >= 1);
                    }
                    Err(e) => prop_assert!(false, "unexpected error {e:?}"),
                }
            }
        }

        #[test]
        fn loaders_never_panic_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            run_all_loaders(&bytes);
        }

        #[test]
        fn loaders_never_panic_on_csvish(
            body in csvish(),
            start in 0usize..12,
            len in 0usize..6,
        ) {
            let generic = format!("text,target,stance,target_start,target_end\n{body}");
            run_all_loaders(generic.as_bytes());
            run_all_loaders(format!("{RUW_HEADER}{body}").as_bytes());
            let line = format!(
                "{{\"text\": {t}, \"target\": {t}, \"stance\": \"none\", \"target_start\": {start}, \"target_end\": {}}}\n",
                start + len,
                t = serde_json::to_string(&body).unwrap(),
            );
            run_all_loaders(line.as_bytes());
            let news = format!(
                "{{\"primary_gid\": \"p\", \"sentence_normalized\": {t}, \"targets\": [{{\"from\": {start}, \"to\": {}, \"mention\": {t}, \"polarity\": 4.0}}]}}\n",
                start + len,
                t = serde_json::to_string(&body).unwrap(),
            );
            run_all_loaders(news.as_bytes());
        }
    }
}
