//! Attribution data: PolNeAR gold in brat standoff format, sentence units, and Citron-format
//! quote documents (the prediction and output format).
//!
//! # Offsets
//!
//! Every offset is a **character** (Unicode code point) offset into the article text, end
//! exclusive. Texts and `.ann` files are read the way Python's `open(path, encoding="utf-8")`
//! reads them, since that is how the reference scorer (`shared/eval/score_attribution.py`)
//! reads them: `\r\n` and lone `\r` become `\n` (universal newlines) and a byte order mark is kept
//! as a character.
//!
//! # The brat `.ann` files
//!
//! PolNeAR's `.ann` files hold these lines (all of them handled here):
//!
//! - `T12<TAB>Source 110 112<TAB>we`: a text-bound span of kind `Source`, `Cue`, `Content`,
//!   `Attribution`, `Attribution-no-source`, `Discard` or `Discuss`. A discontinuous span lists
//!   its segments separated by `;` (`Content 120 211;250 260`); its text is the segments' texts
//!   joined by a space. When that text contains line breaks the line continues over the following
//!   lines of the file (three such spans in PolNeAR train).
//! - `E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1`: one attribution, triggered by an
//!   `Attribution` or `Attribution-no-source` span, with role arguments `Cue`, `Source` and
//!   `Content`; a repeated role carries a number (`Content2:T7`), stripped as the scorer does.
//! - `#1<TAB>AnnotatorNotes T66<TAB>...`: annotator notes (three in PolNeAR train), ignored, as
//!   are brat's other line kinds (`A`, `R`, `M`, `N`, `*`), which PolNeAR does not use.
//!
//! Validation: every span segment must satisfy `start <= end <= ` the text's character count,
//! the span text written in the file must equal the text it covers (it does for every span in
//! PolNeAR train and dev), ids must be unique, the span kind, the event type and the role names
//! must be the ones above, and every id an event refers to must be defined somewhere in the file.
//! A role argument may point at a span of another kind (three such arguments in PolNeAR, e.g.
//! `Cue:T12` where `T12` is a `Discuss` span); that is accepted, as the scorer accepts it.
//! Problems are [`Error::Parse`] errors naming the file and the 1-based line.
//!
//! # Forward references: what the reference scorer reads
//!
//! The scorer's `parse_ann` reads the file once, top to bottom, and drops any role argument
//! whose span is defined *below* the event line. PolNeAR has such forward references (78 role
//! arguments in train, 3 in dev, mostly `Content2` segments), so the scorer's gold differs from
//! the annotation. [`Article::attributions`] holds the annotation with every reference
//! resolved; [`Article::scorer_attributions`] holds, when it differs, exactly what the scorer
//! reads, and [`Article::scored_attributions`] returns the one to score against.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::error::{Error, Result};

/// A span of text: character offsets, end exclusive.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (exclusive).
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The number of characters covered (0 when `end <= start`).
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no character.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A span with its text, as written in Citron's annotation format.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The text covered (not used for scoring; empty when absent on input).
    #[serde(default)]
    pub text: String,
}

impl TextSpan {
    /// The span without its text.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// One attribution: who (sources) said (cue) what (contents).
///
/// A discontinuous span contributes one [`Span`] per segment, and a role that occurs more than
/// once (`Content`, `Content2`) contributes all its segments, in the order of the event line, as
/// the reference scorer collects them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attribution {
    /// The cue segments (usually one verb phrase such as `said`).
    pub cue: Vec<Span>,
    /// The source segments (the speaker), empty for an unattributed report.
    pub sources: Vec<Span>,
    /// The content segments (what was said).
    pub contents: Vec<Span>,
    /// The event is an `Attribution-no-source` (for predictions: no source span). One PolNeAR
    /// dev event of this type nevertheless has a `Source` argument.
    pub no_source: bool,
}

/// One PolNeAR article with its gold attributions.
#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    /// The article's name: its text file's name without `.txt`.
    pub name: String,
    /// The article text (newlines normalized as Python's universal newlines do).
    pub text: String,
    /// The attributions, one per `E` line in file order, every reference resolved.
    pub attributions: Vec<Attribution>,
    /// The attributions exactly as the reference scorer reads them, when that differs from
    /// `attributions` (the file has forward references; see the module documentation).
    pub scorer_attributions: Option<Vec<Attribution>>,
    /// The `.ann` file the attributions were read from.
    pub ann_path: PathBuf,
}

impl Article {
    /// The gold attributions the reference scorer uses: [`Article::scorer_attributions`] if
    /// set, else [`Article::attributions`].
    pub fn scored_attributions(&self) -> &[Attribution] {
        self.scorer_attributions
            .as_deref()
            .unwrap_or(&self.attributions)
    }
}

/// The attributions of one parsed `.ann` file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedAnn {
    /// One attribution per `E` line, every reference resolved.
    pub attributions: Vec<Attribution>,
    /// What the reference scorer reads, when it differs from `attributions`.
    pub scorer_attributions: Option<Vec<Attribution>>,
}

/// The span kinds PolNeAR uses.
pub const SPAN_KINDS: [&str; 7] = [
    "Source",
    "Cue",
    "Content",
    "Attribution",
    "Attribution-no-source",
    "Discard",
    "Discuss",
];

/// Python's `str.isspace` for one character (which, unlike [`char::is_whitespace`], includes
/// U+001C..U+001F).
pub(crate) fn py_isspace(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..='\u{20}'
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// The characters Python's `re` matches with `\d` (Unicode category Nd), as inclusive ranges
/// `[start0, end0, start1, end1, ...]`, generated with Python 3.11 (Unicode 14.0.0).
#[rustfmt::skip]
const PY_DECIMAL_RANGES: [u32; 124] = [
    0x30, 0x39, 0x660, 0x669, 0x6F0, 0x6F9, 0x7C0, 0x7C9, 0x966, 0x96F, 0x9E6, 0x9EF, 0xA66, 0xA6F,
    0xAE6, 0xAEF, 0xB66, 0xB6F, 0xBE6, 0xBEF, 0xC66, 0xC6F, 0xCE6, 0xCEF, 0xD66, 0xD6F, 0xDE6,
    0xDEF, 0xE50, 0xE59, 0xED0, 0xED9, 0xF20, 0xF29, 0x1040, 0x1049, 0x1090, 0x1099, 0x17E0,
    0x17E9, 0x1810, 0x1819, 0x1946, 0x194F, 0x19D0, 0x19D9, 0x1A80, 0x1A89, 0x1A90, 0x1A99,
    0x1B50, 0x1B59, 0x1BB0, 0x1BB9, 0x1C40, 0x1C49, 0x1C50, 0x1C59, 0xA620, 0xA629, 0xA8D0,
    0xA8D9, 0xA900, 0xA909, 0xA9D0, 0xA9D9, 0xA9F0, 0xA9F9, 0xAA50, 0xAA59, 0xABF0, 0xABF9,
    0xFF10, 0xFF19, 0x104A0, 0x104A9, 0x10D30, 0x10D39, 0x11066, 0x1106F, 0x110F0, 0x110F9,
    0x11136, 0x1113F, 0x111D0, 0x111D9, 0x112F0, 0x112F9, 0x11450, 0x11459, 0x114D0, 0x114D9,
    0x11650, 0x11659, 0x116C0, 0x116C9, 0x11730, 0x11739, 0x118E0, 0x118E9, 0x11950, 0x11959,
    0x11C50, 0x11C59, 0x11D50, 0x11D59, 0x11DA0, 0x11DA9, 0x16A60, 0x16A69, 0x16AC0, 0x16AC9,
    0x16B50, 0x16B59, 0x1D7CE, 0x1D7FF, 0x1E140, 0x1E149, 0x1E2F0, 0x1E2F9, 0x1E950, 0x1E959,
    0x1FBF0, 0x1FBF9,
];

/// True if `c` is in the inclusive ranges `table` (`[start0, end0, start1, end1, ...]`, sorted).
pub(crate) fn in_ranges(table: &[u32], c: char) -> bool {
    let c = c as u32;
    // Index of the first boundary greater than c: odd means inside a [start, end] pair.
    let i = table.partition_point(|&b| b <= c);
    i % 2 == 1 || (i > 0 && table[i - 1] == c)
}

/// Python's `re` `\d` (a Unicode decimal digit).
pub(crate) fn py_is_decimal(c: char) -> bool {
    in_ranges(&PY_DECIMAL_RANGES, c)
}

/// Python's universal-newline translation: `\r\n` and lone `\r` become `\n`.
pub fn universal_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_owned()
    }
}

/// Reads a UTF-8 text file as Python's `open(path, encoding="utf-8").read()` does: invalid
/// UTF-8 is an [`Error::Decode`], newlines are normalized, a byte order mark is kept.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok(universal_newlines(&s)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
            Err(Error::Decode {
                path: path.to_path_buf(),
                line,
                offset,
                encoding: "UTF-8".to_string(),
                hint: String::new(),
            })
        }
    }
}

/// Byte offsets of every character of `text`, plus `text.len()` at the end.
fn char_starts(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

/// `text[start..end]` in characters, clamped as Python slicing clamps (empty if `start >= end`).
pub(crate) fn char_slice<'a>(text: &'a str, starts: &[usize], start: usize, end: usize) -> &'a str {
    let n = starts.len() - 1;
    let (a, b) = (start.min(n), end.min(n));
    if a >= b {
        ""
    } else {
        &text[starts[a]..starts[b]]
    }
}

/// Shortens `s` for an error message.
fn preview(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head:?}...")
    }
}

/// Parses one non-negative decimal offset (ASCII digits only).
fn parse_offset(tok: &str) -> Option<usize> {
    if tok.is_empty() || !tok.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    tok.parse().ok()
}

/// A role name with its trailing digits stripped, as `re.sub(r"\d+$", "", role)` does.
fn strip_role_number(role: &str) -> &str {
    role.trim_end_matches(py_is_decimal)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Cue,
    Source,
    Content,
}

struct EventLine {
    line: usize,
    trigger_ref: String,
    args: Vec<(Role, String)>,
    no_source: bool,
}

fn push_role(att: &mut Attribution, role: Role, segs: &[Span]) {
    let v = match role {
        Role::Cue => &mut att.cue,
        Role::Source => &mut att.sources,
        Role::Content => &mut att.contents,
    };
    v.extend_from_slice(segs);
}

/// Parses the content of one brat `.ann` file for the article `text` (already newline
/// normalized). `path` is only used in error messages. Never panics.
pub fn parse_ann(ann: &str, text: &str, path: &Path) -> Result<ParsedAnn> {
    let ann = universal_newlines(ann);
    let starts = char_starts(text);
    let n_chars = starts.len() - 1;
    let lines: Vec<&str> = ann.split('\n').collect();
    let err = |line: usize, msg: String| Error::parse(path, line, msg);

    // id -> segments; the scorer's view only sees ids defined above the current line.
    let mut spans: HashMap<String, Vec<Span>> = HashMap::new();
    let mut events: Vec<EventLine> = Vec::new();
    let mut scorer_view: Vec<Attribution> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let lineno = i + 1;
        i += 1;
        if line.chars().all(py_isspace) {
            continue;
        }
        let parts: Vec<&str> = line.split('\t').collect();
        match line.chars().next() {
            Some('T') if parts.len() >= 2 => {
                let id = parts[0];
                let Some((kind, offs)) = parts[1].split_once(' ') else {
                    return Err(err(
                        lineno,
                        format!(
                            "span {id}: expected `KIND START END`, found {}",
                            preview(parts[1])
                        ),
                    ));
                };
                if !SPAN_KINDS.contains(&kind) {
                    return Err(err(
                        lineno,
                        format!(
                            "span {id}: unknown kind {kind:?} (expected one of {})",
                            SPAN_KINDS.join(", ")
                        ),
                    ));
                }
                let mut segs = Vec::new();
                for seg in offs.split(';') {
                    let toks: Vec<&str> = seg.split(py_isspace).filter(|t| !t.is_empty()).collect();
                    let (a, b) = match toks[..] {
                        [a, b] => match (parse_offset(a), parse_offset(b)) {
                            (Some(a), Some(b)) => (a, b),
                            _ => {
                                return Err(err(
                                    lineno,
                                    format!("span {id}: bad offsets {}", preview(seg)),
                                ))
                            }
                        },
                        _ => {
                            return Err(err(
                                lineno,
                                format!("span {id}: segment {} is not `START END`", preview(seg)),
                            ))
                        }
                    };
                    if a > b || b > n_chars {
                        return Err(err(
                            lineno,
                            format!(
                                "span {id}: segment {a} {b} is out of range (the text has {n_chars} characters)"
                            ),
                        ));
                    }
                    segs.push(Span::new(a, b));
                }
                if parts.len() < 3 {
                    return Err(err(lineno, format!("span {id}: missing the text column")));
                }
                let expected = segs
                    .iter()
                    .map(|s| char_slice(text, &starts, s.start, s.end))
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut got = parts[2..].join("\t");
                // A span text with line breaks continues on the following lines.
                while got != expected && i < lines.len() {
                    let with_newline = format!("{got}\n");
                    if !expected.starts_with(&with_newline) {
                        break;
                    }
                    let cont = lines[i];
                    if cont.starts_with(['T', 'E']) && cont.contains('\t') {
                        return Err(err(
                            i + 1,
                            format!(
                                "continuation of span {id}'s text looks like an annotation line; the reference scorer would misread it"
                            ),
                        ));
                    }
                    got = with_newline + cont;
                    i += 1;
                }
                if got != expected {
                    return Err(err(
                        lineno,
                        format!(
                            "span {id}: text {} does not match the article text {} at {}",
                            preview(&got),
                            preview(&expected),
                            offs
                        ),
                    ));
                }
                if spans.insert(id.to_string(), segs).is_some() {
                    return Err(err(lineno, format!("duplicate id {id}")));
                }
            }
            Some('E') if parts.len() >= 2 => {
                let id = parts[0];
                if parts[2..].iter().any(|p| !p.chars().all(py_isspace)) {
                    return Err(err(
                        lineno,
                        format!("event {id}: unexpected field after the arguments"),
                    ));
                }
                let mut items = parts[1].split(py_isspace).filter(|t| !t.is_empty());
                let Some(trigger) = items.next() else {
                    return Err(err(lineno, format!("event {id}: no trigger")));
                };
                let (etype, tref) = match trigger.split_once(':') {
                    Some((t, r)) if !r.contains(':') => (t, r),
                    _ => {
                        return Err(err(
                            lineno,
                            format!("event {id}: bad trigger {}", preview(trigger)),
                        ))
                    }
                };
                let no_source = match etype {
                    "Attribution" => false,
                    "Attribution-no-source" => true,
                    _ => {
                        return Err(err(
                            lineno,
                            format!(
                                "event {id}: unknown type {etype:?} (expected Attribution or Attribution-no-source)"
                            ),
                        ))
                    }
                };
                let mut args = Vec::new();
                let mut seen_now = Attribution {
                    no_source,
                    ..Attribution::default()
                };
                for item in items {
                    let mut it = item.split(':');
                    let (Some(role), Some(r), None) = (it.next(), it.next(), it.next()) else {
                        return Err(err(
                            lineno,
                            format!(
                                "event {id}: bad argument {} (expected ROLE:ID)",
                                preview(item)
                            ),
                        ));
                    };
                    let role = match strip_role_number(role) {
                        "Cue" => Role::Cue,
                        "Source" => Role::Source,
                        "Content" => Role::Content,
                        other => {
                            return Err(err(
                                lineno,
                                format!(
                                    "event {id}: unknown role {other:?} (expected Cue, Source or Content, optionally numbered)"
                                ),
                            ))
                        }
                    };
                    // The scorer resolves a reference only against spans defined above.
                    if let Some(segs) = spans.get(r) {
                        push_role(&mut seen_now, role, segs);
                    }
                    args.push((role, r.to_string()));
                }
                scorer_view.push(seen_now);
                events.push(EventLine {
                    line: lineno,
                    trigger_ref: tref.to_string(),
                    args,
                    no_source,
                });
            }
            // Annotator notes, attributes, relations, normalizations, equivalences.
            Some('#' | 'A' | 'R' | 'M' | 'N' | '*') => {}
            _ => {
                return Err(err(
                    lineno,
                    format!("not a brat annotation line: {}", preview(line)),
                ))
            }
        }
    }

    let mut attributions = Vec::with_capacity(events.len());
    for ev in &events {
        if !spans.contains_key(&ev.trigger_ref) {
            return Err(err(
                ev.line,
                format!("trigger {} is not defined in the file", ev.trigger_ref),
            ));
        }
        let mut att = Attribution {
            no_source: ev.no_source,
            ..Attribution::default()
        };
        for (role, r) in &ev.args {
            let Some(segs) = spans.get(r) else {
                return Err(err(
                    ev.line,
                    format!("argument {r} is not a span defined in the file"),
                ));
            };
            push_role(&mut att, *role, segs);
        }
        attributions.push(att);
    }
    let scorer_attributions = (scorer_view != attributions).then_some(scorer_view);
    Ok(ParsedAnn {
        attributions,
        scorer_attributions,
    })
}

/// Loads one article from its text file and its `.ann` file.
pub fn load_article(name: &str, text_path: &Path, ann_path: &Path) -> Result<Article> {
    let text = read_text(text_path)?;
    let ann = read_text(ann_path)?;
    let parsed = parse_ann(&ann, &text, ann_path)?;
    Ok(Article {
        name: name.to_string(),
        text,
        attributions: parsed.attributions,
        scorer_attributions: parsed.scorer_attributions,
        ann_path: ann_path.to_path_buf(),
    })
}

/// The non-hidden file names in `dir` ending with `suffix`, sorted.
fn list_files(dir: &Path, suffix: &str) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let file_name = entry.file_name();
        let Some(name) = file_name.to_str() else {
            return Err(Error::Input(format!(
                "{}: file name {:?} is not valid UTF-8",
                dir.display(),
                file_name
            )));
        };
        if name.ends_with(suffix) && !name.starts_with('.') {
            names.push(name.to_string());
        }
    }
    names.sort();
    Ok(names)
}

/// Loads one PolNeAR split, `dir` being e.g. `.../polnear/train` or `.../polnear/dev`: every
/// `text/NAME.txt` with the first `attributions/NAME_*.ann` in sorted order (the file the
/// reference scorer uses; 16 train articles have several annotators). Articles are returned
/// sorted by name. An article without any `.ann` file is an error; `.ann` files without a text
/// are not read.
pub fn load_polnear_split(dir: &Path) -> Result<Vec<Article>> {
    let text_dir = dir.join("text");
    let ann_dir = dir.join("attributions");
    let texts = list_files(&text_dir, ".txt")?;
    let anns = list_files(&ann_dir, ".ann")?;
    let mut articles = Vec::with_capacity(texts.len());
    for file in &texts {
        let name = &file[..file.len() - ".txt".len()];
        let prefix = format!("{name}_");
        // glob NAME_*.ann, sorted: the first file with that prefix in sorted order.
        let first = anns.iter().find(|a| {
            a.len() >= prefix.len() + ".ann".len() && a.starts_with(&prefix) && a.ends_with(".ann")
        });
        let Some(ann) = first else {
            return Err(Error::Input(format!(
                "{}: article {name} has no annotation file {name}_*.ann",
                ann_dir.display()
            )));
        };
        articles.push(load_article(
            name,
            &text_dir.join(file),
            &ann_dir.join(ann),
        )?);
    }
    Ok(articles)
}

/// The position of a `serde_json` error as a 1-based line (at least 1).
fn json_line(e: &serde_json::Error) -> usize {
    e.line().max(1)
}

/// Sentence units by article name: character offsets `(start, end)`, end exclusive.
pub type SentenceUnits = BTreeMap<String, Vec<(usize, usize)>>;

/// Loads a `sentences-*.json` file: `{"NAME": [[start, end], ...]}`, the fixed sentence units of
/// the sentence-level metric (character offsets, end exclusive).
pub fn load_sentence_units(path: &Path) -> Result<BTreeMap<String, Vec<(usize, usize)>>> {
    let s = read_text(path)?;
    serde_json::from_str(&s).map_err(|e| {
        Error::parse(
            path,
            json_line(&e),
            format!("expected {{\"NAME\": [[start, end], ...]}}: {e}"),
        )
    })
}

/// One document in Citron's annotation format: the prediction and output format.
///
/// On input, `text` and `quotes` may be absent (no quotes), unknown fields are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitronDoc {
    /// The document's name or path (`NAME`, `NAME.txt`, `dir/NAME.txt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The document text.
    #[serde(default)]
    pub text: String,
    /// The quotes found.
    #[serde(default)]
    pub quotes: Vec<CitronQuote>,
}

/// One quote in Citron's annotation format.
///
/// `cue` is a list because the reference scorer accepts a list of cue spans; on input it may be
/// a single object, a list of objects, or absent/`null`/`{}` (no cue). On output it is written
/// as a single object when there is exactly one cue span (the usual case), `null` when there is
/// none and a list when there are several.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitronQuote {
    /// The cue span(s).
    #[serde(default, deserialize_with = "de_cue", serialize_with = "ser_cue")]
    pub cue: Vec<TextSpan>,
    /// The source spans.
    #[serde(default)]
    pub sources: Vec<TextSpan>,
    /// The content spans.
    #[serde(default)]
    pub contents: Vec<TextSpan>,
}

/// Python truthiness of a JSON value.
fn json_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn de_cue<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<TextSpan>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Array(items) => items
            .into_iter()
            .map(|x| serde_json::from_value::<TextSpan>(x).map_err(D::Error::custom))
            .collect(),
        v if !json_truthy(&v) => Ok(Vec::new()),
        v => serde_json::from_value::<TextSpan>(v)
            .map(|s| vec![s])
            .map_err(D::Error::custom),
    }
}

fn ser_cue<S: Serializer>(cue: &[TextSpan], s: S) -> std::result::Result<S::Ok, S::Error> {
    match cue {
        [] => s.serialize_none(),
        [one] => one.serialize(s),
        many => many.serialize(s),
    }
}

impl From<&CitronQuote> for Attribution {
    fn from(q: &CitronQuote) -> Attribution {
        Attribution {
            cue: q.cue.iter().map(TextSpan::span).collect(),
            sources: q.sources.iter().map(TextSpan::span).collect(),
            contents: q.contents.iter().map(TextSpan::span).collect(),
            no_source: q.sources.is_empty(),
        }
    }
}

impl CitronQuote {
    /// The quote for `att`, with the span texts taken from `text` (offsets past the end are
    /// clamped, as Python slicing clamps).
    pub fn from_attribution(att: &Attribution, text: &str) -> CitronQuote {
        let starts = char_starts(text);
        let conv = |spans: &[Span]| -> Vec<TextSpan> {
            spans
                .iter()
                .map(|s| TextSpan {
                    start: s.start,
                    end: s.end,
                    text: char_slice(text, &starts, s.start, s.end).to_string(),
                })
                .collect()
        };
        CitronQuote {
            cue: conv(&att.cue),
            sources: conv(&att.sources),
            contents: conv(&att.contents),
        }
    }
}

impl CitronDoc {
    /// A document named `doc` for `text` and its attributions.
    pub fn from_attributions(doc: Option<String>, text: &str, atts: &[Attribution]) -> CitronDoc {
        CitronDoc {
            doc,
            text: text.to_string(),
            quotes: atts
                .iter()
                .map(|a| CitronQuote::from_attribution(a, text))
                .collect(),
        }
    }

    /// The quotes as attributions.
    pub fn attributions(&self) -> Vec<Attribution> {
        self.quotes.iter().map(Attribution::from).collect()
    }
}

/// Reads a JSONL file of Citron documents, one per line. Blank lines and error records (an
/// object with an `error` field and no `quotes`, e.g. `{"doc": "x", "error": "timeout"}`) are
/// skipped, as the reference scorer skips them; any other line that is not a Citron document is
/// an [`Error::Parse`] naming the line.
pub fn read_citron_jsonl(path: &Path) -> Result<Vec<CitronDoc>> {
    let content = read_text(path)?;
    let mut docs = Vec::new();
    for (i, line) in content.split('\n').enumerate() {
        if line.chars().all(py_isspace) {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| Error::parse(path, i + 1, format!("invalid JSON: {e}")))?;
        let Value::Object(obj) = &v else {
            return Err(Error::parse(path, i + 1, "expected a JSON object"));
        };
        if obj.contains_key("error") && !obj.contains_key("quotes") {
            continue;
        }
        let doc: CitronDoc = serde_json::from_value(v)
            .map_err(|e| Error::parse(path, i + 1, format!("not a Citron document: {e}")))?;
        docs.push(doc);
    }
    Ok(docs)
}

/// Writes Citron documents as JSONL, one per line.
pub fn write_citron_jsonl(path: &Path, docs: &[CitronDoc]) -> Result<()> {
    let mut out = String::new();
    for d in docs {
        let line = serde_json::to_string(d).map_err(|e| Error::Input(e.to_string()))?;
        let _ = writeln!(out, "{line}");
    }
    std::fs::write(path, out).map_err(|e| Error::io(path, e))
}

/// The article name the reference scorer derives from a prediction's `doc`: the part after the
/// last `/`, without a final `.txt` (Python `re.sub(r"\.txt$", "", os.path.basename(doc))`,
/// whose `$` also matches before a final newline).
pub fn normalize_doc_name(doc: &str) -> String {
    let base = doc.rsplit('/').next().unwrap_or(doc);
    if let Some(s) = base.strip_suffix(".txt") {
        s.to_string()
    } else if let Some(s) = base.strip_suffix(".txt\n") {
        format!("{s}\n")
    } else {
        base.to_string()
    }
}

/// Predictions by article name from Citron documents, as the reference scorer keys them:
/// [`normalize_doc_name`] of `doc` (`""` when absent); a later document with the same name
/// replaces an earlier one.
pub fn predictions_from_docs(docs: &[CitronDoc]) -> BTreeMap<String, Vec<Attribution>> {
    docs.iter()
        .map(|d| {
            (
                normalize_doc_name(d.doc.as_deref().unwrap_or("")),
                d.attributions(),
            )
        })
        .collect()
}

/// Loads predictions as the reference scorer does: `path` is either a JSONL file (see
/// [`read_citron_jsonl`], [`predictions_from_docs`]) or a folder of `NAME.json` /
/// `NAME.txt.json` files, each one Citron document named by its file name.
pub fn load_predictions(path: &Path) -> Result<BTreeMap<String, Vec<Attribution>>> {
    if !path.is_dir() {
        return Ok(predictions_from_docs(&read_citron_jsonl(path)?));
    }
    let mut out = BTreeMap::new();
    for file in list_files(path, ".json")? {
        let stem = &file[..file.len() - ".json".len()];
        let name = stem.strip_suffix(".txt").unwrap_or(stem).to_string();
        let full = path.join(&file);
        let s = read_text(&full)?;
        let v: Value = serde_json::from_str(&s)
            .map_err(|e| Error::parse(&full, json_line(&e), format!("invalid JSON: {e}")))?;
        if !v.is_object() {
            return Err(Error::parse(&full, 1, "expected a JSON object"));
        }
        let doc: CitronDoc = serde_json::from_value(v)
            .map_err(|e| Error::parse(&full, 1, format!("not a Citron document: {e}")))?;
        out.insert(name, doc.attributions());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TEXT: &str = "We said it, Smith said: \"taxes\nwill rise\" and later more.";
    //                  0123456789012345678901234 5678901 234567890 1234567890123456
    // "We" 0..2, "said" 3..7, "it" 8..10, "Smith" 12..17, "said" 18..22,
    // "taxes\nwill rise" 25..40, "later" 46..51

    fn parse(ann: &str) -> Result<ParsedAnn> {
        parse_ann(ann, TEXT, Path::new("fixture.ann"))
    }

    fn parse_err_line(ann: &str) -> (usize, String) {
        match parse(ann) {
            Err(Error::Parse {
                line,
                message,
                path,
            }) => {
                assert_eq!(path, Path::new("fixture.ann"));
                (line, message)
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn fixture_offsets() {
        let s = char_starts(TEXT);
        assert_eq!(char_slice(TEXT, &s, 0, 2), "We");
        assert_eq!(char_slice(TEXT, &s, 12, 17), "Smith");
        assert_eq!(char_slice(TEXT, &s, 25, 40), "taxes\nwill rise");
        assert_eq!(char_slice(TEXT, &s, 46, 51), "later");
        assert_eq!(char_slice(TEXT, &s, 50, 1000), "r more.");
        assert_eq!(char_slice(TEXT, &s, 9, 3), "");
    }

    #[test]
    fn parses_a_good_file() {
        let ann = "T1\tSource 0 2\tWe\n\
                   T2\tCue 3 7\tsaid\n\
                   T3\tContent 8 10\tit\n\
                   T4\tAttribution 3 7\tsaid\n\
                   E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n\
                   T5\tSource 12 17\tSmith\n\
                   T6\tCue 18 22\tsaid\n\
                   T7\tContent 25 40\ttaxes\nwill rise\n\
                   T8\tContent 46 51;8 10\tlater it\n\
                   T9\tAttribution 18 22\tsaid\n\
                   E2\tAttribution:T9 Content:T7 Cue:T6 Source:T5 Content2:T8\n\
                   T10\tAttribution-no-source 3 7\tsaid\n\
                   E3\tAttribution-no-source:T10 Cue:T2 Content:T3\n\
                   T11\tDiscard 46 51\tlater\n\
                   T12\tDiscuss 0 0\t\n\
                   #1\tAnnotatorNotes T5\tis this right?\n\
                   A1\tNegated E1\n\
                   R1\tCoref Arg1:T1 Arg2:T5\n\n";
        let p = parse(ann).unwrap();
        assert_eq!(p.scorer_attributions, None);
        let sp = Span::new;
        assert_eq!(
            p.attributions,
            vec![
                Attribution {
                    cue: vec![sp(3, 7)],
                    sources: vec![sp(0, 2)],
                    contents: vec![sp(8, 10)],
                    no_source: false
                },
                Attribution {
                    cue: vec![sp(18, 22)],
                    sources: vec![sp(12, 17)],
                    contents: vec![sp(25, 40), sp(46, 51), sp(8, 10)],
                    no_source: false
                },
                Attribution {
                    cue: vec![sp(3, 7)],
                    sources: vec![],
                    contents: vec![sp(8, 10)],
                    no_source: true
                },
            ]
        );
    }

    #[test]
    fn crlf_and_forward_references() {
        // E1 refers to T3 (defined below it): the scorer drops that argument.
        let ann = "T1\tSource 0 2\tWe\r\nT2\tCue 3 7\tsaid\r\nT4\tAttribution 3 7\tsaid\r\n\
                   E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\r\nT3\tContent 8 10\tit\r\n";
        let p = parse(ann).unwrap();
        assert_eq!(p.attributions[0].contents, vec![Span::new(8, 10)]);
        let scorer = p.scorer_attributions.unwrap();
        assert_eq!(scorer[0].contents, vec![]);
        assert_eq!(scorer[0].sources, vec![Span::new(0, 2)]);
    }

    #[test]
    fn bad_lines_name_the_line() {
        let head = "T1\tSource 0 2\tWe\n";
        let cases: &[(&str, usize, &str)] = &[
            ("T2\tCue 3 70\tsaid\n", 2, "out of range"),
            ("T2\tCue 7 3\tsaid\n", 2, "out of range"),
            ("T2\tCue 3 7\tsays\n", 2, "does not match"),
            ("T2\tCue 3 x7\tsaid\n", 2, "bad offsets"),
            ("T2\tCue 3 -7\tsaid\n", 2, "bad offsets"),
            ("T2\tCue 3\tsaid\n", 2, "not `START END`"),
            ("T2\tCue 3 7 9\tsaid\n", 2, "not `START END`"),
            ("T2\tCue 3 7;\tsaid\n", 2, "not `START END`"),
            ("T2\tCue\tsaid\n", 2, "expected `KIND START END`"),
            ("T2\tSpeaker 3 7\tsaid\n", 2, "unknown kind"),
            ("T2\tCue 3 7\n", 2, "missing the text column"),
            ("T1\tCue 3 7\tsaid\n", 2, "duplicate id"),
            ("E1\tAttribution:T1 Source:T9\n", 2, "not a span defined"),
            ("E1\tAttribution:T7 Source:T1\n", 2, "trigger T7"),
            ("E1\tQuote:T1 Source:T1\n", 2, "unknown type"),
            ("E1\tAttribution:T1 Speaker:T1\n", 2, "unknown role"),
            ("E1\tAttribution:T1 Source\n", 2, "bad argument"),
            ("E1\tAttribution:T1 Source:T1:T1\n", 2, "bad argument"),
            ("E1\tAttribution\n", 2, "bad trigger"),
            ("E1\t \n", 2, "no trigger"),
            ("E1\tAttribution:T1\textra\n", 2, "unexpected field"),
            ("hello\n", 2, "not a brat annotation line"),
            ("T2 Cue 3 7 said\n", 2, "not a brat annotation line"),
        ];
        for (line, want_line, want) in cases {
            let (l, msg) = parse_err_line(&format!("{head}{line}"));
            assert_eq!(l, *want_line, "{line:?}: {msg}");
            assert!(msg.contains(want), "{line:?}: {msg}");
        }
        // A continuation line that the scorer would read as an annotation.
        let (l, msg) = parse_err_line("T1\tContent 25 40\ttaxes\nT\twill rise\n");
        assert_eq!(l, 2);
        assert!(msg.contains("continuation"), "{msg}");
        // Numbered roles are accepted, with Unicode digits too (Python's `\d`).
        assert!(parse(&format!(
            "{head}E1\tAttribution:T1 Source12:T1 Source٣:T1\n"
        ))
        .is_ok());
    }

    #[test]
    fn error_message_names_file_and_line() {
        let e = parse("T1\tSource 0 2\tWe\nT2\tCue 7 3\tsaid\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("fixture.ann line 2: span T2"), "{msg}");
    }

    fn ann_line() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("T1".to_string()),
            Just("T2".to_string()),
            Just("E1".to_string()),
            Just("\t".to_string()),
            Just(" ".to_string()),
            Just(";".to_string()),
            Just(":".to_string()),
            Just("\n".to_string()),
            Just("\r".to_string()),
            Just("Source".to_string()),
            Just("Cue".to_string()),
            Just("Content2".to_string()),
            Just("Attribution".to_string()),
            Just("Attribution-no-source".to_string()),
            Just("#".to_string()),
            (0usize..80).prop_map(|n| n.to_string()),
            Just("99999999999999999999999".to_string()),
            "\\PC{0,6}",
            "[a-z ]{0,8}",
        ];
        prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn arbitrary_ann_never_panics(
            lines in prop::collection::vec(ann_line(), 0..12),
            text in "\\PC{0,60}",
        ) {
            let _ = parse_ann(&lines.join("\n"), &text, Path::new("p.ann"));
        }

        #[test]
        fn arbitrary_bytes_never_panic(ann in "(?s).{0,200}", text in "(?s).{0,80}") {
            let _ = parse_ann(&ann, &text, Path::new("p.ann"));
        }

        #[test]
        fn arbitrary_citron_never_panics(line in "(?s).{0,120}") {
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("x.jsonl");
            std::fs::write(&p, &line).unwrap();
            let _ = read_citron_jsonl(&p);
        }

        #[test]
        fn written_spans_parse_back(segs in prop::collection::vec((0usize..57, 0usize..57), 1..4)) {
            let segs: Vec<Span> = segs.into_iter().map(|(a, b)| Span::new(a.min(b), a.max(b))).collect();
            let s = char_starts(TEXT);
            let offs = segs.iter().map(|x| format!("{} {}", x.start, x.end)).collect::<Vec<_>>().join(";");
            let txt = segs.iter().map(|x| char_slice(TEXT, &s, x.start, x.end)).collect::<Vec<_>>().join(" ");
            let ann = format!("T1\tContent {offs}\t{txt}\nT2\tAttribution 0 0\t\nE1\tAttribution:T2 Content:T1\n");
            let p = parse(&ann).unwrap();
            prop_assert_eq!(&p.attributions[0].contents, &segs);
        }
    }

    #[test]
    fn python_isspace_and_decimal() {
        for c in [
            '\u{1c}', '\u{1f}', ' ', '\t', '\u{85}', '\u{3000}', '\u{2028}',
        ] {
            assert!(py_isspace(c), "{c:?}");
        }
        for c in ['a', '\u{200b}', '\u{feff}', '\u{180e}'] {
            assert!(!py_isspace(c), "{c:?}");
        }
        assert!(py_is_decimal('0') && py_is_decimal('9') && py_is_decimal('٣'));
        assert!(!py_is_decimal('²') && !py_is_decimal('a') && !py_is_decimal('/'));
        assert_eq!(strip_role_number("Content2"), "Content");
        assert_eq!(strip_role_number("Con2tent"), "Con2tent");
    }

    #[test]
    fn citron_cue_forms() {
        let line = |cue: &str| {
            format!(
                r#"{{"doc":"a","text":"t","quotes":[{{{cue}"sources":[],"contents":[{{"start":1,"end":2}}]}}]}}"#
            )
        };
        let cue_of = |s: &str| -> Vec<TextSpan> {
            let d: CitronDoc = serde_json::from_str(s).unwrap();
            d.quotes[0].cue.clone()
        };
        let one = TextSpan {
            start: 3,
            end: 5,
            text: "id".into(),
        };
        assert_eq!(
            cue_of(&line(r#""cue":{"start":3,"end":5,"text":"id"},"#)),
            vec![one.clone()]
        );
        assert_eq!(
            cue_of(&line(
                r#""cue":[{"start":3,"end":5,"text":"id"},{"start":7,"end":9}],"#
            ))
            .len(),
            2
        );
        assert_eq!(cue_of(&line(r#""cue":null,"#)), vec![]);
        assert_eq!(cue_of(&line(r#""cue":{},"#)), vec![]);
        assert_eq!(cue_of(&line(r#""cue":[],"#)), vec![]);
        assert_eq!(cue_of(&line("")), vec![]);
        assert!(serde_json::from_str::<CitronDoc>(&line(r#""cue":{"start":3},"#)).is_err());
        assert!(serde_json::from_str::<CitronDoc>(&line(r#""cue":"said","#)).is_err());
        // Output: a single object, null, or a list.
        let q = |cue: Vec<TextSpan>| CitronQuote {
            cue,
            sources: vec![],
            contents: vec![],
        };
        let v = serde_json::to_value(q(vec![one.clone()])).unwrap();
        assert_eq!(
            v["cue"],
            serde_json::json!({"start": 3, "end": 5, "text": "id"})
        );
        assert_eq!(serde_json::to_value(q(vec![])).unwrap()["cue"], Value::Null);
        assert!(serde_json::to_value(q(vec![one.clone(), one])).unwrap()["cue"].is_array());
        // No doc: the field is left out.
        let d = CitronDoc::default();
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"text":"","quotes":[]}"#
        );
    }

    #[test]
    fn citron_jsonl_reading_and_conversion() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pred.jsonl");
        std::fs::write(
            &p,
            "{\"doc\": \"x/a.txt\", \"text\": \"We said it\", \"quotes\": [{\"cue\": {\"start\": 3, \"end\": 7, \"text\": \"said\"}, \"sources\": [{\"start\": 0, \"end\": 2, \"text\": \"We\"}], \"contents\": [{\"start\": 8, \"end\": 10, \"text\": \"it\"}]}]}\r\n\
             \n   \n\
             {\"doc\": \"b\", \"error\": \"timeout\"}\n\
             {\"doc\": \"c\", \"error\": \"partial\", \"quotes\": []}\n\
             {\"doc\": \"d.txt\"}\n",
        )
        .unwrap();
        let docs = read_citron_jsonl(&p).unwrap();
        assert_eq!(docs.len(), 3);
        let preds = predictions_from_docs(&docs);
        assert_eq!(preds.keys().collect::<Vec<_>>(), ["a", "c", "d"]);
        assert_eq!(
            preds["a"],
            vec![Attribution {
                cue: vec![Span::new(3, 7)],
                sources: vec![Span::new(0, 2)],
                contents: vec![Span::new(8, 10)],
                no_source: false
            }]
        );
        // Round trip through the writer.
        let q = p.with_extension("out.jsonl");
        write_citron_jsonl(&q, &docs).unwrap();
        assert_eq!(read_citron_jsonl(&q).unwrap(), docs);
        // Bad lines are errors naming the line.
        std::fs::write(&p, "{\"doc\": \"a\"}\n[1, 2]\n").unwrap();
        match read_citron_jsonl(&p) {
            Err(Error::Parse { line: 2, .. }) => {}
            other => panic!("{other:?}"),
        }
        std::fs::write(
            &p,
            "{\"doc\": \"a\"}\n\n{\"quotes\": [{\"sources\": null}]}\n",
        )
        .unwrap();
        match read_citron_jsonl(&p) {
            Err(Error::Parse { line: 3, .. }) => {}
            other => panic!("{other:?}"),
        }
        std::fs::write(&p, "{\"doc\": \"a\"\n").unwrap();
        assert!(matches!(
            read_citron_jsonl(&p),
            Err(Error::Parse { line: 1, .. })
        ));
    }

    #[test]
    fn prediction_folder() {
        let dir = tempfile::tempdir().unwrap();
        let d = |quotes: &str| format!("{{\"text\": \"\", \"quotes\": {quotes}}}");
        let q = r#"[{"cue": {"start": 1, "end": 2}, "sources": [], "contents": []}]"#;
        std::fs::write(dir.path().join("a.txt.json"), d(q)).unwrap();
        std::fs::write(dir.path().join("b.json"), d("[]")).unwrap();
        std::fs::write(dir.path().join("c.jsonl"), "{}").unwrap();
        let preds = load_predictions(dir.path()).unwrap();
        assert_eq!(preds.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert!(preds["a"][0].no_source);
        std::fs::write(dir.path().join("e.json"), "[]").unwrap();
        assert!(load_predictions(dir.path()).is_err());
    }

    #[test]
    fn doc_names() {
        assert_eq!(normalize_doc_name("a.txt"), "a");
        assert_eq!(normalize_doc_name("dir/sub/a.txt"), "a");
        assert_eq!(normalize_doc_name("a"), "a");
        assert_eq!(normalize_doc_name("a.txt.txt"), "a.txt");
        assert_eq!(normalize_doc_name("a.txt\n"), "a\n");
        assert_eq!(normalize_doc_name("dir/"), "");
        assert_eq!(normalize_doc_name(""), "");
    }

    #[test]
    fn split_loader_picks_the_first_annotator() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("text")).unwrap();
        std::fs::create_dir_all(root.join("attributions")).unwrap();
        std::fs::write(root.join("text/art.txt"), "We said it").unwrap();
        std::fs::write(root.join("text/art_two.txt"), "It rains").unwrap();
        let good = "T1\tSource 0 2\tWe\nT2\tAttribution 3 7\tsaid\nE1\tAttribution:T2 Source:T1\n";
        std::fs::write(root.join("attributions/art_bbbb.ann"), "garbage\n").unwrap();
        std::fs::write(root.join("attributions/art_aaaa.ann"), good).unwrap();
        std::fs::write(root.join("attributions/art_two_cccc.ann"), "").unwrap();
        let arts = load_polnear_split(root).unwrap();
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].name, "art");
        assert!(arts[0].ann_path.ends_with("art_aaaa.ann"));
        assert_eq!(arts[0].attributions.len(), 1);
        assert_eq!(arts[0].scored_attributions().len(), 1);
        assert_eq!(arts[1].name, "art_two");
        assert!(arts[1].attributions.is_empty());
        // The first .ann in sorted order is validated, the others are not read.
        std::fs::write(
            root.join("attributions/art_0000.ann"),
            "T1\tSource 0 99\tWe\n",
        )
        .unwrap();
        let e = load_polnear_split(root).unwrap_err().to_string();
        assert!(e.contains("art_0000.ann line 1"), "{e}");
        std::fs::remove_file(root.join("attributions/art_0000.ann")).unwrap();
        std::fs::write(root.join("text/lonely.txt"), "x").unwrap();
        let e = load_polnear_split(root).unwrap_err().to_string();
        assert!(e.contains("lonely has no annotation file"), "{e}");
        // Invalid UTF-8 names the line and byte.
        std::fs::remove_file(root.join("text/lonely.txt")).unwrap();
        std::fs::write(root.join("text/art.txt"), b"We\nsaid \xff").unwrap();
        match load_polnear_split(root) {
            Err(Error::Decode {
                line: 2, offset: 8, ..
            }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sentence_units() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.json");
        std::fs::write(&p, r#"{"b": [[0, 5], [6, 9]], "a": []}"#).unwrap();
        let u = load_sentence_units(&p).unwrap();
        assert_eq!(u.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(u["b"], vec![(0, 5), (6, 9)]);
        std::fs::write(&p, "{\"a\": [[0, 5],\n [6]]}").unwrap();
        assert!(matches!(
            load_sentence_units(&p),
            Err(Error::Parse { line: 2, .. })
        ));
    }

    /// The PolNeAR data folder: `$WHOSAID_DATA` or `../shared/data` next to the crate.
    pub(crate) fn data_dir() -> Option<PathBuf> {
        let dir = std::env::var_os("WHOSAID_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
        if dir.join("polnear/dev").is_dir() {
            Some(dir)
        } else {
            eprintln!(
                "skipped: no PolNeAR data at {} (set WHOSAID_DATA)",
                dir.display()
            );
            None
        }
    }

    #[test]
    fn real_polnear_files_load() {
        let Some(data) = data_dir() else { return };
        for (split, articles, units_file) in [("train", 840, 837), ("dev", 84, 83)] {
            let arts = load_polnear_split(&data.join("polnear").join(split)).unwrap();
            assert_eq!(arts.len(), articles);
            let n: usize = arts.iter().map(|a| a.attributions.len()).sum();
            let no_source = arts
                .iter()
                .flat_map(|a| &a.attributions)
                .filter(|a| a.no_source)
                .count();
            let dropped: usize = arts
                .iter()
                .map(|a| {
                    let segs = |v: &[Attribution]| {
                        v.iter()
                            .map(|x| x.cue.len() + x.sources.len() + x.contents.len())
                            .sum::<usize>()
                    };
                    segs(&a.attributions) - segs(a.scored_attributions())
                })
                .sum();
            let forward = arts
                .iter()
                .filter(|a| a.scorer_attributions.is_some())
                .count();
            eprintln!(
                "{split}: {} articles, {n} attributions ({no_source} without source), \
                 {forward} files with forward references, {dropped} segments the scorer drops",
                arts.len()
            );
            let units =
                load_sentence_units(&data.join("polnear").join(format!("sentences-{split}.json")))
                    .unwrap();
            assert_eq!(units.len(), units_file);
        }
    }
}
