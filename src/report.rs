//! A self-contained HTML report of classified documents: one file, no scripts, no fonts, no
//! images and no requests (a Content-Security-Policy forbids them).
//!
//! # Brief overview
//!
//! - [`HtmlReport`]: add documents one at a time ([`HtmlReport::add_document`],
//!   [`HtmlReport::add_error`]), then [`HtmlReport::finish`] writes the page. Each document's
//!   section is rendered as it is added and kept as HTML, with a few counts for the corpus
//!   summary; the [`Document`]s themselves are not kept.
//! - [`render_html`]: the whole report of a slice of documents at once.
//!
//! The page shows, for each document, a summary table of its speakers (sentences and stance
//! toward each target, with inline SVG bars) and the article text, one row per sentence:
//! attributed sentences carry their speaker's colour (a palette keyed by the canonical name), the
//! cue is bold and underlined, the source mention bold and the content tinted; the author's own
//! sentences are plain and page furniture is dimmed, struck through and left out of every count
//! but its own. Stance badges give the most probable label and its probability; hovering one shows
//! all three probabilities and, with explanations on, the features that weighed most. With several
//! documents a corpus summary with links to each section comes first.
//!
//! # Example
//!
//! ```
//! use whosaid::pipeline::Pipeline;
//! use whosaid::report::HtmlReport;
//!
//! let pipeline = Pipeline::embedded()?;
//! let targets = vec!["Russia".to_string()];
//! let text = "Kirby said the Velnian council does not back the strikes inside Russia.";
//! let specs: Vec<whosaid::Target> = targets.iter().map(whosaid::Target::new).collect();
//! let doc = pipeline.classify_with_targets(text, &specs);
//! let mut report = HtmlReport::new(&targets);
//! report.add_document("kirby.txt", text, &doc);
//! let mut html = Vec::new();
//! report.finish(&mut html)?;
//! let html = String::from_utf8(html).unwrap();
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! assert!(html.contains(r#"<section class="doc" id="doc-1">"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::label::Stance;
use crate::pipeline::{Document, SentenceResult, TargetStance};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;

/// Speaker colours: (strong, tint). Dark enough for text on white (contrast at least 4.5:1), and
/// no plain green or red, which mean favor and against.
const PALETTE: [(&str, &str); 10] = [
    ("#1d4ed8", "#dbe6fd"), // blue
    ("#7e22ce", "#f0e3fc"), // purple
    ("#c2410c", "#fde5d4"), // orange
    ("#0f766e", "#d2f3ee"), // teal
    ("#be185d", "#fbe3ee"), // pink
    ("#4338ca", "#e2e4fb"), // indigo
    ("#a16207", "#fbf0c9"), // ochre
    ("#0e7490", "#d3f1f8"), // cyan
    ("#5f6b0c", "#ecefc9"), // olive
    ("#6b4423", "#ece4db"), // brown
];

/// The colour of an attribution without a source ("according to reports").
const UNNAMED: (&str, &str) = ("#4b5563", "#e9ebef");

/// The stance labels in display order, with their CSS class and bar colour.
const LABELS: [(Stance, &str, &str); 3] = [
    (Stance::Favor, "favor", "#16a34a"),
    (Stance::Against, "against", "#dc2626"),
    (Stance::None, "none", "#c3c8d0"),
];

/// Whose voice a sentence is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Voice {
    /// A named speaker.
    Named,
    /// An attribution without a source.
    Unnamed,
    /// The author's own voice.
    Author,
}

/// Counts of labels and sums of probabilities toward one target, in [`LABELS`] order.
#[derive(Clone, Debug, Default)]
struct StanceAgg {
    n: [usize; 3],
    p: [f64; 3],
}

impl StanceAgg {
    fn add(&mut self, t: &TargetStance) {
        let i = LABELS.iter().position(|l| l.0 == t.label).unwrap_or(2);
        self.n[i] += 1;
        self.p[0] += f64::from(t.probs.favor);
        self.p[1] += f64::from(t.probs.against);
        self.p[2] += f64::from(t.probs.none);
    }

    fn merge(&mut self, o: &StanceAgg) {
        for i in 0..3 {
            self.n[i] += o.n[i];
            self.p[i] += o.p[i];
        }
    }

    fn total(&self) -> usize {
        self.n.iter().sum()
    }

    fn mean(&self, i: usize) -> f64 {
        let t = self.total();
        if t == 0 {
            0.0
        } else {
            self.p[i] / t as f64
        }
    }
}

/// The aggregate at `i`, growing the vector as needed.
fn agg_at(v: &mut Vec<StanceAgg>, i: usize) -> &mut StanceAgg {
    if v.len() <= i {
        v.resize(i + 1, StanceAgg::default());
    }
    &mut v[i]
}

/// One voice's sentences and stance, in a document or across the corpus.
#[derive(Clone, Debug)]
struct SpeakerAgg {
    voice: Voice,
    name: String,
    /// Palette slot (named speakers).
    slot: usize,
    sentences: usize,
    docs: usize,
    stance: Vec<StanceAgg>,
}

/// What the corpus summary keeps of a document.
#[derive(Debug)]
struct DocEntry {
    id: String,
    anchor: String,
    outcome: Result<DocStats, String>,
}

#[derive(Debug)]
struct DocStats {
    sentences: usize,
    furniture: usize,
    attributed: usize,
    /// Named speakers (name, palette slot), most sentences first.
    speakers: Vec<(String, usize)>,
    stance: Vec<StanceAgg>,
}

/// Builds a self-contained HTML report, one document at a time.
///
/// Memory grows with the rendered HTML and with the number of distinct speakers, not with the
/// documents' analyses.
#[derive(Debug)]
pub struct HtmlReport {
    title: String,
    targets: Vec<String>,
    docs: Vec<DocEntry>,
    sections: Vec<String>,
    speakers: Vec<SpeakerAgg>,
    speaker_index: HashMap<(Voice, String), usize>,
}

impl HtmlReport {
    /// A report on stance toward `targets` (further targets found in documents are added).
    pub fn new(targets: &[String]) -> Self {
        HtmlReport {
            title: "whosaid report".into(),
            targets: targets.to_vec(),
            docs: Vec::new(),
            sections: Vec::new(),
            speakers: Vec::new(),
            speaker_index: HashMap::new(),
        }
    }

    /// Sets the page title (default "whosaid report").
    #[must_use]
    pub fn with_title(mut self, title: &str) -> Self {
        self.title = title.to_owned();
        self
    }

    /// The number of documents added so far, errors included.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    fn target_index(&mut self, name: &str) -> usize {
        match self.targets.iter().position(|t| t == name) {
            Some(i) => i,
            None => {
                self.targets.push(name.to_owned());
                self.targets.len() - 1
            }
        }
    }

    /// Adds a document that could not be read or classified: it is listed with its error.
    pub fn add_error(&mut self, id: &str, error: &str) {
        let anchor = format!("doc-{}", self.docs.len() + 1);
        let mut h = String::new();
        let _ = write!(
            h,
            "<section class=\"doc\" id=\"{anchor}\">\n<div class=\"dochead\"><h2>{}</h2>{}</div>\n\
             <div class=\"card error\"><strong>Error:</strong> {}</div>\n</section>\n",
            esc_id(id),
            TOP_LINK,
            esc(error)
        );
        self.sections.push(h);
        self.docs.push(DocEntry {
            id: id.to_owned(),
            anchor,
            outcome: Err(error.to_owned()),
        });
    }

    /// Adds a classified document; `text` is the text it was classified from (the sentences'
    /// character offsets point into it).
    pub fn add_document(&mut self, id: &str, text: &str, doc: &Document) {
        let n = self.docs.len() + 1;
        let anchor = format!("doc-{n}");
        // Voices, palette slots and this document's aggregates.
        let mut local: Vec<SpeakerAgg> = Vec::new();
        let mut used_slots = [false; PALETTE.len()];
        let mut doc_stance: Vec<StanceAgg> = Vec::new();
        let mut voices: Vec<Option<usize>> = Vec::with_capacity(doc.sentences.len());
        let (mut furniture, mut attributed) = (0, 0);
        for s in &doc.sentences {
            if s.furniture {
                furniture += 1;
                voices.push(None);
                continue;
            }
            let (voice, name) = voice_of(s);
            if voice != Voice::Author {
                attributed += 1;
            }
            let li = match local
                .iter()
                .position(|a| a.voice == voice && a.name == name)
            {
                Some(i) => i,
                None => {
                    let slot = if voice == Voice::Named {
                        let preferred = name_hash(&name) as usize % PALETTE.len();
                        let free = (0..PALETTE.len())
                            .map(|k| (preferred + k) % PALETTE.len())
                            .find(|&k| !used_slots[k])
                            .unwrap_or(preferred);
                        used_slots[free] = true;
                        free
                    } else {
                        0
                    };
                    local.push(SpeakerAgg {
                        voice,
                        name,
                        slot,
                        sentences: 0,
                        docs: 1,
                        stance: Vec::new(),
                    });
                    local.len() - 1
                }
            };
            local[li].sentences += 1;
            for t in &s.stance {
                let ti = self.target_index(&t.target);
                agg_at(&mut local[li].stance, ti).add(t);
                agg_at(&mut doc_stance, ti).add(t);
            }
            voices.push(Some(li));
        }
        let ntargets = self.targets.len();
        for a in local.iter_mut() {
            agg_at(&mut a.stance, ntargets.saturating_sub(1));
        }
        agg_at(&mut doc_stance, ntargets.saturating_sub(1));

        // The section.
        let mut h = String::with_capacity(text.len() * 3 + 4096);
        let named = local.iter().filter(|a| a.voice == Voice::Named).count();
        let _ = write!(
            h,
            "<section class=\"doc\" id=\"{anchor}\">\n<div class=\"dochead\"><h2>{}</h2>{}</div>\n\
             <p class=\"stats\">{} sentences · {} attributed · {} named speaker{} · {} page furniture</p>\n",
            esc_id(id),
            TOP_LINK,
            doc.sentences.len() - furniture,
            attributed,
            named,
            if named == 1 { "" } else { "s" },
            furniture,
        );
        let mut order: Vec<usize> = (0..local.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&local[a], &local[b]);
            x.voice
                .cmp(&y.voice)
                .then(y.sentences.cmp(&x.sentences))
                .then(x.name.cmp(&y.name))
        });
        let rows: Vec<&SpeakerAgg> = order.iter().map(|&i| &local[i]).collect();
        h.push_str("<div class=\"card\">\n<h3>Speakers and stance</h3>\n");
        speaker_table(&mut h, &rows, &self.targets, false);
        h.push_str("</div>\n");
        h.push_str("<div class=\"card article\">\n");
        render_article(&mut h, &anchor, text, doc, &voices, &local);
        h.push_str("</div>\n</section>\n");
        self.sections.push(h);

        // Corpus aggregates.
        for a in &local {
            let key = (a.voice, a.name.clone());
            match self.speaker_index.get(&key) {
                Some(&i) => {
                    let c = &mut self.speakers[i];
                    c.sentences += a.sentences;
                    c.docs += 1;
                    for (ti, s) in a.stance.iter().enumerate() {
                        agg_at(&mut c.stance, ti).merge(s);
                    }
                }
                None => {
                    let mut c = a.clone();
                    c.slot = name_hash(&a.name) as usize % PALETTE.len();
                    self.speaker_index.insert(key, self.speakers.len());
                    self.speakers.push(c);
                }
            }
        }
        let speakers = rows
            .iter()
            .filter(|a| a.voice == Voice::Named)
            .map(|a| (a.name.clone(), a.slot))
            .collect();
        self.docs.push(DocEntry {
            id: id.to_owned(),
            anchor,
            outcome: Ok(DocStats {
                sentences: doc.sentences.len() - furniture,
                furniture,
                attributed,
                speakers,
                stance: doc_stance,
            }),
        });
    }

    /// Writes the page: head and styles, legend, the corpus summary (with more than one
    /// document), then each document's section.
    pub fn finish<W: io::Write + ?Sized>(self, w: &mut W) -> io::Result<()> {
        let mut head = String::new();
        let _ = write!(
            head,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
             <meta name=\"generator\" content=\"whosaid {}\">\n<title>{}</title>\n<style>{}</style>\n</head>\n\
             <body>\n<div class=\"wrap\" id=\"top\">\n<header>\n<h1>{}</h1>\n<p class=\"meta\">{} document{} · stance toward {} · whosaid {}</p>\n</header>\n",
            env!("CARGO_PKG_VERSION"),
            esc(&self.title),
            CSS,
            esc(&self.title),
            self.docs.len(),
            if self.docs.len() == 1 { "" } else { "s" },
            if self.targets.is_empty() {
                "no target".to_string()
            } else {
                self.targets.iter().map(|t| esc(t)).collect::<Vec<_>>().join(", ")
            },
            env!("CARGO_PKG_VERSION"),
        );
        head.push_str(LEGEND);
        if self.docs.len() > 1 {
            self.corpus_summary(&mut head);
        } else if self.docs.is_empty() {
            head.push_str("<div class=\"card\"><p>No documents.</p></div>\n");
        }
        w.write_all(head.as_bytes())?;
        for s in &self.sections {
            w.write_all(s.as_bytes())?;
        }
        w.write_all(
            b"<footer>Made by whosaid: attribution by sentence, stance by logistic regression. \
              Self-contained: no scripts, no external resources.</footer>\n</div>\n</body>\n</html>\n",
        )
    }

    fn corpus_summary(&self, h: &mut String) {
        let ok: Vec<&DocStats> = self
            .docs
            .iter()
            .filter_map(|d| d.outcome.as_ref().ok())
            .collect();
        let errors = self.docs.len() - ok.len();
        let sentences: usize = ok.iter().map(|d| d.sentences).sum();
        let furniture: usize = ok.iter().map(|d| d.furniture).sum();
        let attributed: usize = ok.iter().map(|d| d.attributed).sum();
        let named = self
            .speakers
            .iter()
            .filter(|a| a.voice == Voice::Named)
            .count();
        h.push_str("<section class=\"corpus\" id=\"corpus\">\n<h2>Corpus summary</h2>\n<div class=\"tiles\">\n");
        for (v, label, cls) in [
            (self.docs.len(), "documents", ""),
            (sentences, "sentences", ""),
            (attributed, "attributed", ""),
            (named, "named speakers", ""),
            (furniture, "page furniture", " dim"),
            (errors, "errors", if errors > 0 { " bad" } else { " dim" }),
        ] {
            let _ = writeln!(
                h,
                "<div class=\"tile{cls}\"><b>{v}</b><span>{label}</span></div>"
            );
        }
        h.push_str("</div>\n");

        // Stance per target: all sentences, attributed, author.
        let mut by_voice: [Vec<StanceAgg>; 3] = Default::default();
        for a in &self.speakers {
            let k = match a.voice {
                Voice::Author => 2,
                _ => 1,
            };
            for (ti, s) in a.stance.iter().enumerate() {
                agg_at(&mut by_voice[0], ti).merge(s);
                agg_at(&mut by_voice[k], ti).merge(s);
            }
        }
        h.push_str("<div class=\"card\">\n<h3>Stance per target</h3>\n<div class=\"tw\"><table>\n<thead><tr><th>Target</th><th>All sentences</th><th>Attributed</th><th>Author’s voice</th><th class=\"num\">Mean p(favor)</th><th class=\"num\">Mean p(against)</th></tr></thead>\n<tbody>\n");
        for (ti, t) in self.targets.iter().enumerate() {
            let get = |v: &[StanceAgg]| v.get(ti).cloned().unwrap_or_default();
            let all = get(&by_voice[0]);
            let _ = write!(h, "<tr><td class=\"tgt\">{}</td>", esc(t));
            for v in &by_voice {
                h.push_str("<td>");
                stance_cell(h, &get(v));
                h.push_str("</td>");
            }
            let _ = writeln!(
                h,
                "<td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td></tr>",
                all.mean(0),
                all.mean(1)
            );
        }
        h.push_str("</tbody>\n</table></div>\n</div>\n");

        // Speakers across documents.
        let mut order: Vec<&SpeakerAgg> = self.speakers.iter().collect();
        order.sort_by(|x, y| {
            x.voice
                .cmp(&y.voice)
                .then(y.sentences.cmp(&x.sentences))
                .then(y.docs.cmp(&x.docs))
                .then(x.name.cmp(&y.name))
        });
        const TOP: usize = 25;
        let shown: Vec<&SpeakerAgg> = order
            .iter()
            .filter(|a| a.voice == Voice::Named)
            .take(TOP)
            .chain(order.iter().filter(|a| a.voice != Voice::Named))
            .copied()
            .collect();
        h.push_str("<div class=\"card\">\n<h3>Speakers across documents</h3>\n");
        if named > TOP {
            let _ = writeln!(
                h,
                "<p class=\"note\">The {TOP} named speakers with the most sentences, of {named}.</p>"
            );
        }
        speaker_table(h, &shown, &self.targets, true);
        h.push_str("</div>\n");

        // Documents.
        h.push_str("<div class=\"card\">\n<h3>Documents</h3>\n<div class=\"tw\"><table class=\"docs\">\n<thead><tr><th class=\"num\">#</th><th>Document</th><th class=\"num\">Sentences</th><th>Speakers</th>");
        for t in &self.targets {
            let _ = write!(h, "<th>{}</th>", esc(t));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for (i, d) in self.docs.iter().enumerate() {
            let _ = write!(
                h,
                "<tr><td class=\"num\">{}</td><td class=\"docid\"><a href=\"#{}\">{}</a></td>",
                i + 1,
                d.anchor,
                esc_id(&d.id)
            );
            match &d.outcome {
                Err(e) => {
                    let _ = writeln!(
                        h,
                        "<td colspan=\"{}\" class=\"err\">error: {}</td></tr>",
                        2 + self.targets.len(),
                        esc(e)
                    );
                }
                Ok(s) => {
                    let _ = write!(h, "<td class=\"num\">{}</td><td>", s.sentences);
                    for (k, (name, slot)) in s.speakers.iter().take(3).enumerate() {
                        if k > 0 {
                            h.push_str(", ");
                        }
                        let _ = write!(
                            h,
                            "<span class=\"nowrap\"><span class=\"dot\" style=\"--c:{}\"></span>{}</span>",
                            PALETTE[*slot].0,
                            esc(name)
                        );
                    }
                    if s.speakers.len() > 3 {
                        let _ =
                            write!(h, " <span class=\"muted\">+{}</span>", s.speakers.len() - 3);
                    }
                    if s.speakers.is_empty() {
                        h.push_str("<span class=\"muted\">none named</span>");
                    }
                    h.push_str("</td>");
                    for ti in 0..self.targets.len() {
                        h.push_str("<td>");
                        stance_cell(h, &s.stance.get(ti).cloned().unwrap_or_default());
                        h.push_str("</td>");
                    }
                    h.push_str("</tr>\n");
                }
            }
        }
        h.push_str("</tbody>\n</table></div>\n</div>\n</section>\n");
    }
}

/// The whole report of `docs` (id, text, classification or error) at once.
pub fn render_html(
    docs: &[(String, String, Result<Document, String>)],
    targets: &[String],
) -> String {
    let mut r = HtmlReport::new(targets);
    for (id, text, d) in docs {
        match d {
            Ok(d) => r.add_document(id, text, d),
            Err(e) => r.add_error(id, e),
        }
    }
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = r.finish(&mut out);
    String::from_utf8(out).unwrap_or_default()
}

const TOP_LINK: &str = "<a class=\"up\" href=\"#top\">↑ top</a>";

/// A sentence's voice and the speaker's name (empty for the author and unnamed sources).
fn voice_of(s: &SentenceResult) -> (Voice, String) {
    match &s.speaker {
        Some(sp) => {
            let name = if sp.canonical.trim().is_empty() {
                sp.text.trim()
            } else {
                sp.canonical.trim()
            };
            if name.is_empty() {
                (Voice::Unnamed, String::new())
            } else {
                (Voice::Named, name.to_owned())
            }
        }
        None if s.cue.is_some() || s.quote.is_some() => (Voice::Unnamed, String::new()),
        None => (Voice::Author, String::new()),
    }
}

/// FNV-1a: a stable hash of a speaker's name, the same in every run and build.
fn name_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn colours(a: &SpeakerAgg) -> (&'static str, &'static str) {
    match a.voice {
        Voice::Named => PALETTE[a.slot % PALETTE.len()],
        _ => UNNAMED,
    }
}

fn voice_label(h: &mut String, a: &SpeakerAgg) {
    match a.voice {
        Voice::Named => {
            let _ = write!(
                h,
                "<span class=\"dot\" style=\"--c:{}\"></span>{}",
                colours(a).0,
                esc(&a.name)
            );
        }
        Voice::Unnamed => {
            let _ = write!(
                h,
                "<span class=\"dot ring\" style=\"--c:{}\"></span><i>unnamed source</i>",
                UNNAMED.0
            );
        }
        Voice::Author => h.push_str("<span class=\"dot hollow\"></span><i>author’s voice</i>"),
    }
}

/// The table of voices: sentences (with a bar) and stance toward each target.
fn speaker_table(h: &mut String, rows: &[&SpeakerAgg], targets: &[String], corpus: bool) {
    if rows.is_empty() {
        h.push_str("<p class=\"note\">No sentences besides page furniture.</p>\n");
        return;
    }
    let max = rows.iter().map(|a| a.sentences).max().unwrap_or(1).max(1);
    h.push_str("<div class=\"tw\"><table class=\"speakers\">\n<thead><tr><th>Speaker</th>");
    if corpus {
        h.push_str("<th class=\"num\">Documents</th>");
    }
    h.push_str("<th>Sentences</th>");
    for t in targets {
        let _ = write!(h, "<th>{}</th>", esc(t));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for a in rows {
        let cls = match a.voice {
            Voice::Named => "",
            _ => " class=\"other\"",
        };
        let _ = write!(h, "<tr{cls}><td class=\"who-cell\">");
        voice_label(h, a);
        h.push_str("</td>");
        if corpus {
            let _ = write!(h, "<td class=\"num\">{}</td>", a.docs);
        }
        let w = ((a.sentences as f64 / max as f64) * 80.0).round().max(2.0) as u32;
        let _ = write!(
            h,
            "<td class=\"nowrap\"><svg class=\"bar\" width=\"80\" height=\"10\" viewBox=\"0 0 80 10\" aria-hidden=\"true\"><rect width=\"{w}\" height=\"10\" rx=\"2\" fill=\"{}\"/></svg> <span class=\"n\">{}</span></td>",
            if a.voice == Voice::Author { "#9aa1ab" } else { colours(a).0 },
            a.sentences
        );
        for ti in 0..targets.len() {
            h.push_str("<td>");
            stance_cell(h, &a.stance.get(ti).cloned().unwrap_or_default());
            h.push_str("</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n");
}

/// A stacked favor / against / none bar with the counts, and the mean probabilities on hover.
fn stance_cell(h: &mut String, a: &StanceAgg) {
    const W: usize = 90;
    let total = a.total();
    let label = format!(
        "favor {}, against {}, none {} (mean p: favor {:.2}, against {:.2}, none {:.2})",
        a.n[0],
        a.n[1],
        a.n[2],
        a.mean(0),
        a.mean(1),
        a.mean(2)
    );
    let _ = write!(
        h,
        "<span class=\"stc\" title=\"{}\"><svg class=\"bar\" width=\"{W}\" height=\"10\" viewBox=\"0 0 {W} 10\" role=\"img\" aria-label=\"{}\">",
        esc(&label),
        esc(&label)
    );
    // Segment ends are rounded cumulative shares, so the segments always fill the bar.
    let (mut x, mut cum) = (0usize, 0usize);
    for (i, (_, _, colour)) in LABELS.iter().enumerate() {
        cum += a.n[i];
        let Some(end) = (cum * W + total / 2).checked_div(total) else {
            break;
        };
        if end > x {
            let _ = write!(
                h,
                "<rect x=\"{x}\" width=\"{}\" height=\"10\" fill=\"{colour}\"/>",
                end - x
            );
        }
        x = end;
    }
    if total == 0 {
        let _ = write!(
            h,
            "<rect x=\"0.5\" y=\"0.5\" width=\"{}\" height=\"9\" rx=\"2\" fill=\"none\" stroke=\"#d5d9df\"/>",
            W - 1
        );
    }
    let _ = write!(
        h,
        "</svg> <span class=\"cnt\"><span class=\"favor\">{}</span> <span class=\"against\">{}</span> <span class=\"none\">{}</span></span></span>",
        a.n[0], a.n[1], a.n[2]
    );
}

/// Character offsets → byte offsets of `text` (one entry per character, plus the end).
fn char_to_byte(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// The article, one row per sentence.
fn render_article(
    h: &mut String,
    anchor: &str,
    text: &str,
    doc: &Document,
    voices: &[Option<usize>],
    local: &[SpeakerAgg],
) {
    let idx = char_to_byte(text);
    let nchars = idx.len() - 1;
    let mut prev_end = 0usize;
    for (k, s) in doc.sentences.iter().enumerate() {
        let valid = s.start <= s.end && s.end <= nchars && s.start >= prev_end;
        // Text between sentences is whitespace; a line break there starts a paragraph. Anything
        // else (sentences never leave out non-space text) is shown, plainly.
        let mut par = k > 0;
        if valid {
            let gap = &text[idx[prev_end]..idx[s.start]];
            par = k > 0 && gap.contains('\n');
            if !gap.trim().is_empty() {
                let _ = writeln!(
                    h,
                    "<div class=\"s gaptext\"><span class=\"no\"></span><div class=\"body\">{}</div><div></div></div>",
                    esc(gap.trim())
                );
            }
            prev_end = s.end;
        }
        let voice = voices.get(k).copied().flatten().and_then(|i| local.get(i));
        let mut cls = String::from("s");
        if par {
            cls.push_str(" par");
        }
        let mut style = String::new();
        match voice {
            _ if s.furniture => cls.push_str(" fur"),
            Some(a) if a.voice != Voice::Author => {
                let (c, t) = colours(a);
                cls.push_str(" att");
                if a.voice == Voice::Unnamed {
                    cls.push_str(" unnamed");
                }
                let _ = write!(style, " style=\"--c:{c};--t:{t}\"");
            }
            _ => cls.push_str(" author"),
        }
        let _ = write!(
            h,
            "<div class=\"{cls}\" id=\"{anchor}-s{}\"{style}><a class=\"no\" href=\"#{anchor}-s{}\">{}</a><div class=\"body\">",
            s.sentence, s.sentence, s.sentence
        );
        if let Some(a) = voice.filter(|a| a.voice != Voice::Author && !s.furniture) {
            let mut tip = String::new();
            if let Some(sp) = &s.speaker {
                let _ = write!(
                    tip,
                    "Speaker: {} (mention “{}”, confidence {:.2})",
                    sp.canonical, sp.text, sp.confidence
                );
            } else {
                tip.push_str("Attributed, source not named");
            }
            if let Some(c) = &s.cue {
                let _ = write!(tip, "\nCue: “{}”", c.text);
            }
            if let Some(q) = &s.quote {
                let kind = match q.kind {
                    crate::pipeline::QuoteKind::Direct => "direct quotation",
                    crate::pipeline::QuoteKind::Indirect => "reported speech",
                    crate::pipeline::QuoteKind::Mixed => "reported speech with a quoted part",
                };
                let _ = write!(tip, "\nContent: {kind}");
            }
            let kind = s.quote.as_ref().map(|q| match q.kind {
                crate::pipeline::QuoteKind::Direct => "quote",
                crate::pipeline::QuoteKind::Indirect => "reported",
                crate::pipeline::QuoteKind::Mixed => "mixed",
            });
            let _ = write!(h, "<span class=\"who\" title=\"{}\">", attr(&tip));
            match a.voice {
                Voice::Named => h.push_str(&esc(&a.name)),
                _ => h.push_str("unnamed source"),
            }
            if let Some(kind) = kind {
                let _ = write!(h, "<small>{kind}</small>");
            }
            h.push_str("</span> ");
        }
        h.push_str("<p class=\"tx\">");
        if valid {
            render_marked(h, text, &idx, s);
        } else {
            h.push_str(&esc(&s.text));
        }
        h.push_str("</p></div><div class=\"bs\">");
        if s.furniture {
            h.push_str("<span class=\"tag\">page furniture</span>");
        } else {
            for t in &s.stance {
                badge(h, t);
            }
        }
        h.push_str("</div></div>\n");
    }
    if prev_end < nchars {
        let tail = &text[idx[prev_end]..];
        if !tail.trim().is_empty() {
            let _ = writeln!(
                h,
                "<div class=\"s gaptext\"><span class=\"no\"></span><div class=\"body\">{}</div><div></div></div>",
                esc(tail.trim())
            );
        }
    }
}

/// A sentence's text with the source mention, the cue and the content spans marked (each clipped
/// to the sentence).
fn render_marked(h: &mut String, text: &str, idx: &[usize], s: &SentenceResult) {
    const SRC: u8 = 1;
    const CUE: u8 = 2;
    const Q: u8 = 4;
    let mut marks: Vec<(usize, usize, u8)> = Vec::new();
    if !s.furniture {
        if let Some(sp) = &s.speaker {
            marks.push((sp.start, sp.end, SRC));
        }
        if let Some(c) = &s.cue {
            marks.push((c.start, c.end, CUE));
        }
        if let Some(q) = &s.quote {
            marks.extend(q.contents.iter().map(|c| (c.start, c.end, Q)));
        }
    }
    let mut cuts: Vec<usize> = vec![s.start, s.end];
    for &(a, b, _) in &marks {
        for x in [a, b] {
            if x > s.start && x < s.end {
                cuts.push(x);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let flags = marks
            .iter()
            .filter(|m| m.0 <= a && b <= m.1)
            .fold(0u8, |f, m| f | m.2);
        let seg = esc(&text[idx[a]..idx[b]]);
        if flags == 0 {
            h.push_str(&seg);
            continue;
        }
        let mut cls = Vec::new();
        if flags & SRC != 0 {
            cls.push("src");
        }
        if flags & CUE != 0 {
            cls.push("cue");
        }
        if flags & Q != 0 {
            cls.push("q");
        }
        let _ = write!(h, "<span class=\"{}\">{seg}</span>", cls.join(" "));
    }
}

/// A stance badge: target, label and its probability; all probabilities and the "why" on hover.
fn badge(h: &mut String, t: &TargetStance) {
    let (i, cls) = match t.label {
        Stance::Favor => (0, "favor"),
        Stance::Against => (1, "against"),
        Stance::None => (2, "none"),
    };
    let p = [t.probs.favor, t.probs.against, t.probs.none][i];
    let mut tip = format!(
        "{}: {} ({:.2})\nfavor {:.2} · against {:.2} · none {:.2}",
        t.target, cls, p, t.probs.favor, t.probs.against, t.probs.none
    );
    if !t.why.is_empty() {
        let _ = write!(
            tip,
            "\nWhy (features that weighed most; + pushes toward {cls}):"
        );
        for w in &t.why {
            let _ = write!(tip, "\n  {:+.2}  {}", w.weight, w.feature);
        }
    }
    let _ = write!(
        h,
        "<span class=\"b {cls}{}\" title=\"{}\"><span class=\"bt\">{}</span> {} <b>{:.2}</b></span>",
        if t.why.is_empty() { "" } else { " why" },
        attr(&tip),
        esc(&t.target),
        cls,
        p
    );
}

/// Escapes text for HTML content and attribute values: `&`, `<`, `>`, `"` and `'`.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a document id for display, with a line-break opportunity after each `/`.
fn esc_id(s: &str) -> String {
    esc(s).replace('/', "/<wbr>")
}

/// Escapes an attribute value, keeping line breaks (for tooltips).
fn attr(s: &str) -> String {
    esc(s).replace('\n', "&#10;")
}

const LEGEND: &str = r##"<aside class="card legend">
<h3>How to read this report</h3>
<ul>
<li><span class="k"><span class="sw" style="--c:#1d4ed8"></span><span class="who" style="--c:#1d4ed8;--t:#dbe6fd">Speaker<small>quote</small></span></span><span>A sentence <b>attributed</b> to a speaker: a bar in the speaker’s colour (one colour per speaker) and the speaker’s name, with the kind of content: a direct quote, reported speech or mixed. Dashed and grey: the source is not named.</span></li>
<li><span class="k"><span class="demo" style="--c:#1d4ed8;--t:#dbe6fd"><span class="src">Source</span> <span class="cue">cue</span> <span class="q">content</span></span></span><span>The source mention is bold, the cue (“said”, “according to”) bold and underlined, the content (what was said) tinted.</span></li>
<li><span class="k"><span class="demo">Plain text</span></span><span>The author’s own voice.</span></li>
<li><span class="k"><span class="demo furn">Page furniture</span></span><span>Navigation, link lists, forms: dimmed, struck through and left out of every count.</span></li>
<li><span class="k"><span class="b favor"><span class="bt">T</span> favor <b>0.71</b></span><span class="b against"><span class="bt">T</span> against <b>0.64</b></span><span class="b none"><span class="bt">T</span> none <b>0.80</b></span></span><span>The sentence’s stance toward target T, with the probability of that label. Hover a badge for all three probabilities and, when run with <code>--explain</code> (dotted underline), the features that weighed most.</span></li>
<li><span class="k"><svg class="bar" width="90" height="10" viewBox="0 0 90 10" aria-hidden="true"><rect width="30" height="10" fill="#16a34a"/><rect x="30" width="20" height="10" fill="#dc2626"/><rect x="50" width="40" height="10" fill="#c3c8d0"/></svg> <span class="cnt"><span class="favor">3</span> <span class="against">2</span> <span class="none">4</span></span></span><span>Summary bars: sentences in favor, against and with no stance toward a target; the counts follow in the same colours. Hover for the mean probabilities.</span></li>
</ul>
</aside>
"##;

const CSS: &str = r##"
:root{--fg:#1c2026;--muted:#5d6571;--line:#e2e5e9;--bg:#f5f6f8;--card:#fff;--fav:#166534;--fav-bg:#dcfce7;--fav-bd:#86efac;--ag:#991b1b;--ag-bg:#fee2e2;--ag-bd:#fca5a5;--no:#4b5563;--no-bg:#f1f3f5;--no-bd:#d5d9df;color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
.wrap{max-width:66rem;margin:0 auto;padding:1.75rem 1.25rem 3rem}
header h1{font-size:1.65rem;margin:0;letter-spacing:-.01em}
.meta{color:var(--muted);margin:.2rem 0 1rem}
h2{font-size:1.25rem;margin:0;overflow-wrap:break-word;min-width:0;letter-spacing:-.01em}
h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 0 .6rem}
a{color:#1d4ed8}
code{font:.85em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f0f1f4;padding:0 .25em;border-radius:3px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1rem 1.25rem;margin:0 0 1rem;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.legend ul{list-style:none;margin:0;padding:0;display:grid;gap:.5rem;font-size:.87rem;color:#333a44}
.legend li{display:grid;grid-template-columns:19.5rem minmax(0,1fr);gap:1rem;align-items:center}
.legend .k{display:flex;align-items:center;gap:.3rem;flex-wrap:wrap}
.sw{display:inline-block;width:4px;height:1.3em;background:var(--c);border-radius:2px;margin-right:.2rem}
.demo{padding:0 .3rem;border-radius:4px;border:1px solid var(--line)}
.demo.furn{opacity:.55;text-decoration:line-through;font-size:.85em}
section.corpus,section.doc{margin:2.25rem 0 0}
section.corpus>h2{margin-bottom:.75rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.75rem;margin:0 0 1rem}
.tile{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:.7rem 1rem}
.tile b{display:block;font-size:1.6rem;line-height:1.2;font-variant-numeric:tabular-nums}
.tile span{color:var(--muted);font-size:.82rem}
.tile.dim b{color:#8a929d}
.tile.bad b{color:#b91c1c}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{text-align:left;padding:.4rem .55rem;border-bottom:1px solid var(--line);vertical-align:middle}
th{font-weight:600;color:var(--muted);font-size:.75rem;text-transform:uppercase;letter-spacing:.04em}
tbody tr:last-child td{border-bottom:0}
tr.other td{color:var(--muted)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.nowrap{white-space:nowrap}
.muted,.note{color:var(--muted)}
.note{font-size:.85rem;margin:.25rem 0 .5rem}
.docid{overflow-wrap:break-word;min-width:12rem}
.err{color:#991b1b}
.tgt{font-weight:600}
.dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;background:var(--c);margin-right:.45em;vertical-align:-.05em}
.dot.ring{background:transparent;border:2px solid var(--c)}
.dot.hollow{background:transparent;border:1.5px dashed #9aa1ab}
svg.bar{vertical-align:middle;border-radius:2px}
.n{font-variant-numeric:tabular-nums}
.stc{white-space:nowrap}
.cnt{font-size:.8rem;font-variant-numeric:tabular-nums;margin-left:.2rem;color:#9aa1ab}
.cnt .favor{color:var(--fav);font-weight:600}
.cnt .against{color:var(--ag);font-weight:600}
.cnt .none{color:var(--no)}
.dochead{display:flex;align-items:baseline;justify-content:space-between;gap:1rem}
.up{font-size:.8rem;text-decoration:none;white-space:nowrap}
.stats{color:var(--muted);margin:.15rem 0 .9rem;font-size:.9rem}
.error{border-color:#fca5a5;background:#fef2f2;color:#7f1d1d}
.article{padding:.6rem 0}
.s{display:grid;grid-template-columns:2.6rem minmax(0,1fr) 12.5rem;gap:.25rem .9rem;padding:.28rem 1.1rem .28rem 0;border-left:4px solid transparent}
.s.par{margin-top:.55rem}
.s .no{color:#a3a9b2;font-size:.72rem;text-align:right;padding-top:.28rem;text-decoration:none;font-variant-numeric:tabular-nums}
.s .no:hover{color:var(--fg)}
.s .tx{display:inline;margin:0}
.s.att{border-left-color:var(--c)}
.s.att.unnamed{border-left-style:dashed}
.who{display:inline-block;font-size:.74rem;font-weight:650;line-height:1.45;color:var(--c);background:var(--t);border-radius:999px;padding:0 .55rem;margin-right:.2rem;vertical-align:.08em;cursor:help}
.who small{font-weight:500;opacity:.8;margin-left:.35rem;font-size:1em}
.src{font-weight:650;color:var(--c)}
.cue{font-weight:700;text-decoration:underline;text-decoration-color:var(--c);text-decoration-thickness:2px;text-underline-offset:3px}
.q{background:var(--t);border-radius:2px;padding:.05em 0;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.demo .q{padding:0 .15em}
.s.fur{opacity:.6;font-size:.8rem}
.s.fur .tx{text-decoration:line-through;text-decoration-color:#9aa1ab;color:var(--muted)}
.s.gaptext .body{color:var(--muted);font-style:italic}
.tag{font-size:.66rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);border:1px dashed #b9bfc8;border-radius:4px;padding:0 .35rem;white-space:nowrap}
.bs{display:flex;flex-wrap:wrap;gap:.25rem;align-content:flex-start;justify-content:flex-end;padding-top:.12rem}
.b{font-size:.72rem;line-height:1.5;padding:0 .5rem;border-radius:999px;white-space:nowrap;border:1px solid;font-variant-numeric:tabular-nums}
.b .bt{font-weight:600}
.b b{font-weight:600}
.b.favor{color:var(--fav);background:var(--fav-bg);border-color:var(--fav-bd)}
.b.against{color:var(--ag);background:var(--ag-bg);border-color:var(--ag-bd)}
.b.none{color:var(--no);background:var(--no-bg);border-color:var(--no-bd)}
.b.why{cursor:help;text-decoration:underline dotted;text-underline-offset:2px}
.b[title]{cursor:help}
footer{color:var(--muted);font-size:.8rem;margin-top:2.5rem;text-align:center}
@media (max-width:720px){.s{grid-template-columns:2rem minmax(0,1fr);padding-right:.6rem}.bs{grid-column:2;justify-content:flex-start}.wrap{padding:1rem .6rem}.legend li{grid-template-columns:minmax(0,1fr);gap:.2rem}.card{padding:.8rem .7rem}}
.tw{overflow-x:auto}
@media print{body{background:#fff}.card{box-shadow:none}.up{display:none}}
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{CharSpan, Probs, Quote, QuoteKind, Speaker, TextSpan, Why};

    fn count(h: &str, pat: &str) -> usize {
        h.matches(pat).count()
    }

    /// A sentence of `text` from char `a` to `b`.
    fn sent(text: &str, i: usize, a: usize, b: usize) -> SentenceResult {
        let idx = char_to_byte(text);
        SentenceResult {
            sentence: i,
            start: a,
            end: b,
            bytes: idx[a]..idx[b],
            text: text[idx[a]..idx[b]].to_owned(),
            furniture: false,
            speaker: None,
            cue: None,
            quote: None,
            stance: Vec::new(),
        }
    }

    fn stance(target: &str, label: Stance, p: f32) -> TargetStance {
        let rest = (1.0 - p) / 2.0;
        let probs = match label {
            Stance::Favor => Probs {
                favor: p,
                against: rest,
                none: rest,
            },
            Stance::Against => Probs {
                favor: rest,
                against: p,
                none: rest,
            },
            Stance::None => Probs {
                favor: rest,
                against: rest,
                none: p,
            },
        };
        TargetStance {
            target: target.into(),
            label,
            probs,
            why: Vec::new(),
            mentioned: true,
        }
    }

    fn chars_of(text: &str, a: usize, b: usize) -> String {
        text.chars().skip(a).take(b - a).collect()
    }

    fn speaker(text: &str, a: usize, b: usize, canonical: &str) -> Speaker {
        Speaker {
            text: chars_of(text, a, b),
            start: a,
            end: b,
            canonical: canonical.into(),
            confidence: 0.8,
            why: Vec::new(),
        }
    }

    fn doc(sentences: Vec<SentenceResult>) -> Document {
        Document {
            sentences,
            attributions: Vec::new(),
        }
    }

    fn targets() -> Vec<String> {
        vec!["Russia".into(), "Ukraine".into()]
    }

    #[test]
    fn escapes_markup_in_text_ids_targets_and_errors() {
        let text = "<b>Tom & \"Jerry\"</b> said 'hi'.";
        let n = text.chars().count();
        let mut s = sent(text, 0, 0, n);
        s.speaker = Some(speaker(text, 0, 20, "<Tom & 'Jerry'>"));
        s.stance.push(stance("<T&'\">", Stance::Favor, 0.9));
        let html = render_html(
            &[
                ("<id&'\">".into(), text.into(), Ok(doc(vec![s]))),
                (
                    "bad<doc>".into(),
                    String::new(),
                    Err("<oops & 'no'>".into()),
                ),
            ],
            &[],
        );
        assert!(!html.contains("<b>Tom"), "{html}");
        assert!(!html.contains("<Tom"));
        assert!(!html.contains("<id&"));
        assert!(!html.contains("<T&"));
        assert!(!html.contains("<oops"));
        assert!(!html.contains("bad<doc>"));
        assert!(html.contains("&lt;id&amp;&#39;&quot;&gt;"));
        assert!(html.contains("&lt;oops &amp; &#39;no&#39;&gt;"));
        assert!(html.contains("&lt;Tom &amp; &#39;Jerry&#39;&gt;"));
        assert!(html.contains("&lt;T&amp;&#39;&quot;&gt;"));
        assert!(html.contains("&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;"));
        assert!(html.contains("&#39;hi&#39;."));
        // Anchors are generated, never taken from ids.
        assert!(html.contains("id=\"doc-1\"") && html.contains("id=\"doc-2\""));
        assert!(html.contains("href=\"#doc-2\""));
        assert_eq!(esc("<>&\"'"), "&lt;&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn marks_use_character_offsets_on_non_ascii_text_and_emoji() {
        // Flags, skin tones and emoji are several code points and several bytes each.
        let text = "Héllo 👋🏽 wörld.\n\nZelenskyy 🇺🇦 sagte: «Wir gewinnen» 💪.";
        let nchars = text.chars().count();
        let first_end = text.chars().position(|c| c == '.').unwrap() + 1;
        let second_start = first_end + 2;
        let s0 = sent(text, 0, 0, first_end);
        let mut s1 = sent(text, 1, second_start, nchars);
        let z = second_start;
        let cue_a = text[..text.find("sagte").unwrap()].chars().count();
        let q_a = cue_a + "sagte: ".chars().count();
        let q_b = nchars - 1;
        s1.speaker = Some(speaker(text, z, z + 9, "Wolodymyr Selenskyj"));
        s1.cue = Some(TextSpan {
            text: "sagte".into(),
            start: cue_a,
            end: cue_a + 5,
        });
        s1.quote = Some(Quote {
            kind: QuoteKind::Direct,
            contents: vec![CharSpan {
                start: q_a,
                end: q_b,
            }],
        });
        let html = render_html(
            &[("ü.txt".into(), text.into(), Ok(doc(vec![s0, s1])))],
            &targets(),
        );
        assert!(
            html.contains("<p class=\"tx\">Héllo 👋🏽 wörld.</p>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"src\">Zelenskyy</span> 🇺🇦 "),
            "{html}"
        );
        assert!(html.contains("<span class=\"cue\">sagte</span>"));
        assert!(html.contains("<span class=\"q\">«Wir gewinnen» 💪</span>."));
        // The blank line starts a paragraph.
        assert!(html.contains("class=\"s par att\""));
        assert!(html.contains("Wolodymyr Selenskyj"));
    }

    #[test]
    fn spans_outside_the_sentence_are_clipped_and_bad_offsets_do_not_panic() {
        let text = "He said: \"One. Two.\" Done.";
        let mut s0 = sent(text, 0, 0, 14);
        let mut s1 = sent(text, 1, 15, 20);
        let s2 = sent(text, 2, 21, 26);
        let q = Quote {
            kind: QuoteKind::Direct,
            contents: vec![CharSpan { start: 9, end: 20 }],
        };
        s0.quote = Some(q.clone());
        s1.quote = Some(q);
        s1.speaker = Some(speaker(text, 0, 2, "Someone"));
        s0.speaker = Some(speaker(text, 0, 2, "Someone"));
        let mut bad = sent(text, 3, 0, 5);
        bad.start = 100;
        bad.end = 200;
        bad.text = "out of range".into();
        let html = render_html(
            &[("x".into(), text.into(), Ok(doc(vec![s0, s1, s2, bad])))],
            &[],
        );
        assert!(
            html.contains("<span class=\"q\">&quot;One.</span></p>"),
            "{html}"
        );
        assert!(html.contains("<p class=\"tx\"><span class=\"q\">Two.&quot;</span></p>"));
        assert!(html.contains("<p class=\"tx\">Done.</p>"));
        assert!(html.contains("<p class=\"tx\">out of range</p>"));
    }

    #[test]
    fn error_documents_are_listed_with_their_message() {
        let text = "Kirby said it was fine.";
        let mut s = sent(text, 0, 0, text.len());
        s.speaker = Some(speaker(text, 0, 5, "John Kirby"));
        s.stance.push(stance("Russia", Stance::None, 0.7));
        let html = render_html(
            &[
                ("good.txt".into(), text.into(), Ok(doc(vec![s]))),
                (
                    "missing.txt".into(),
                    String::new(),
                    Err("missing.txt: No such file".into()),
                ),
            ],
            &["Russia".into()],
        );
        assert_eq!(count(&html, "<section class=\"doc\""), 2);
        assert!(html.contains("<section class=\"corpus\""));
        assert!(html.contains("error: missing.txt: No such file"));
        assert!(html.contains("<strong>Error:</strong> missing.txt: No such file"));
        assert!(html.contains("<b>1</b><span>errors</span>"));
        assert_eq!(count(&html, "<section"), count(&html, "</section>"));
        // A lone error document.
        let html = render_html(&[("e".into(), String::new(), Err("bad".into()))], &[]);
        assert!(html.contains("<strong>Error:</strong> bad"));
        assert!(!html.contains("class=\"corpus\""));
    }

    #[test]
    fn furniture_is_shown_but_kept_out_of_summaries() {
        let text = "Share this Putin article. Putin said war is good.";
        let mut f = sent(text, 0, 0, 25);
        f.furniture = true;
        // Even if a furniture sentence somehow carried a speaker and stance, it is not counted.
        f.speaker = Some(speaker(text, 11, 16, "Furniture Man"));
        f.stance.push(stance("Russia", Stance::Favor, 0.99));
        let mut s = sent(text, 1, 26, text.len());
        s.speaker = Some(speaker(text, 26, 31, "Vladimir Putin"));
        s.stance.push(stance("Russia", Stance::Against, 0.6));
        let d = doc(vec![f, s]);
        let html = render_html(
            &[
                ("a".into(), text.into(), Ok(d.clone())),
                ("b".into(), text.into(), Ok(d)),
            ],
            &["Russia".into()],
        );
        assert!(html.contains("class=\"s fur\""));
        assert!(html.contains("<span class=\"tag\">page furniture</span>"));
        assert!(html.contains("Share this Putin article."));
        assert!(!html.contains("Furniture Man"), "{html}");
        assert!(
            !html.contains("favor 1,"),
            "furniture stance counted: {html}"
        );
        assert!(html.contains("favor 0, against 1, none 0"));
        assert!(html.contains("favor 0, against 2, none 0"));
        assert!(html.contains("1 sentences · 1 attributed · 1 named speaker · 1 page furniture"));
        // Furniture text is not marked as a source.
        assert!(!html.contains("<span class=\"src\">Putin</span> article"));
        assert!(html.contains("<b>2</b><span>page furniture</span>"));
    }

    #[test]
    fn speakers_in_a_document_get_distinct_stable_colours() {
        let names: Vec<String> = (0..12).map(|i| format!("Speaker {i}")).collect();
        let text: String = names.iter().map(|n| format!("{n} said yes. ")).collect();
        let mut sentences = Vec::new();
        let mut at = 0;
        for (i, n) in names.iter().enumerate() {
            let len = n.chars().count() + " said yes.".len();
            let mut s = sent(&text, i, at, at + len);
            s.speaker = Some(speaker(&text, at, at + n.len(), n));
            sentences.push(s);
            at += len + 1;
        }
        let mut r = HtmlReport::new(&[]);
        r.add_document("d", &text, &doc(sentences.clone()));
        let slots: Vec<usize> = r.speakers.iter().map(|a| a.slot).collect();
        // Corpus colours are the hash slots, the same in every report.
        for (a, n) in r.speakers.iter().zip(&names) {
            assert_eq!(a.slot, name_hash(n) as usize % PALETTE.len());
        }
        let mut r2 = HtmlReport::new(&[]);
        r2.add_document("d", &text, &doc(sentences));
        assert_eq!(
            slots,
            r2.speakers.iter().map(|a| a.slot).collect::<Vec<_>>()
        );
        // Within the document the first ten speakers have ten different colours.
        let section = &r.sections[0];
        let mut seen: Vec<&str> = Vec::new();
        for n in names.iter().take(PALETTE.len()) {
            let i = section.find(&format!("{n}</span>")).unwrap();
            let row = &section[..i];
            let style = &row[row.rfind("style=\"--c:").unwrap() + 11..][..7];
            assert!(!seen.contains(&style), "{n} shares colour {style}");
            seen.push(style);
        }
    }

    #[test]
    fn explanations_show_on_hover() {
        let text = "Russia attacked.";
        let mut s = sent(text, 0, 0, text.len());
        let mut t = stance("Russia", Stance::Against, 0.8);
        t.why = vec![Why {
            feature: "russia|w|attacked<&>".into(),
            weight: 0.5,
        }];
        s.stance.push(t);
        let html = render_html(&[("a".into(), text.into(), Ok(doc(vec![s])))], &[]);
        assert!(html.contains("class=\"b against why\""));
        assert!(
            html.contains("+0.50  russia|w|attacked&lt;&amp;&gt;"),
            "{html}"
        );
        assert!(html.contains("Russia: against (0.80)&#10;favor 0.10"));
    }

    #[test]
    fn the_page_is_self_contained() {
        let pipeline = crate::pipeline::Pipeline::embedded().unwrap();
        let text = "John Kirby said the Velnian council does not back the strikes. \
                    \"We never did,\" he added. Russia condemned the attack.";
        let specs: Vec<crate::Target> = targets().iter().map(crate::Target::new).collect();
        let d = pipeline.classify_with_targets(text, &specs);
        let html = render_html(&[("k".into(), text.into(), Ok(d.clone()))], &targets());
        for bad in [
            "<script", "<link", " src=", "url(", "@import", "http://", "https://",
        ] {
            assert!(!html.contains(bad), "found {bad}");
        }
        assert_eq!(count(&html, "class=\"tx\""), d.sentences.len());
        assert_eq!(count(&html, "<section"), count(&html, "</section>"));
        assert_eq!(count(&html, "<div"), count(&html, "</div>"));
        assert_eq!(count(&html, "<span"), count(&html, "</span>"));
        assert_eq!(count(&html, "<table"), count(&html, "</table>"));
        assert!(html.contains(">John Kirby<small>"), "{html}");
        assert!(html.ends_with("</html>\n"));
    }
}
