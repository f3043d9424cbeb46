//! Content candidates of a cue and their features.

use super::*;

/// The kinds of content candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentKind {
    /// From after the cue (and a source after it) to the end of the sentence.
    After,
    /// From the start of the sentence to before the source (or cue).
    Before,
    /// The quotation nearest the cue in its sentence.
    Quote,
    /// `After`, cut before a comma that opens another clause (", but", ", arguing", ", who").
    AfterCut,
    /// `After`, starting at a "that" after a comma ("said in Toledo, Ohio, that ...").
    AfterThat,
}

pub(crate) const CUT_WORDS: WordList = WordList::new(&[
    "but",
    "and",
    "arguing",
    "saying",
    "adding",
    "who",
    "which",
    "while",
    "as",
    "although",
    "though",
    "noting",
    "calling",
    "because",
    "since",
    "after",
    "before",
    "when",
    "where",
    "even",
    "according",
    "citing",
    "warning",
    "insisting",
    "suggesting",
    "claiming",
    "including",
    "or",
]);

/// Words before which a content after its cue may end without a comma.
pub(crate) const SOFT_CUTS: WordList = WordList::new(&[
    "in", "on", "at", "during", "after", "before", "because", "while", "although", "though",
    "when", "as", "since", "if", "until", "despite", "amid", "without",
]);

/// A content candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentCand {
    /// Tokens.
    pub toks: Range<usize>,
    /// Kind.
    pub kind: ContentKind,
}

pub(crate) fn trim_range(doc: &DocView, mut r: Range<usize>) -> Range<usize> {
    // Parentheses the range does not pair: "(" opening more than close, ")" closing more than
    // open ("(… he said, not guilty.)").
    let parens = |r: &Range<usize>| {
        doc.tokens[r.clone()]
            .iter()
            .fold((0usize, 0usize), |(o, c), t| match t.norm.as_str() {
                "(" => (o + 1, c),
                ")" => (o, c + 1),
                _ => (o, c),
            })
    };
    // Leading separators and unpaired "(", trailing sentence punctuation, commas (not after a
    // closing quote) and unpaired ")".
    while r.start < r.end {
        let n = doc.tokens[r.start].norm.as_str();
        let strip = match n {
            "," | ":" | "—" | "–" | "-" => true,
            "(" => {
                let (o, c) = parens(&r);
                o > c
            }
            _ => false,
        };
        if !strip {
            break;
        }
        r.start += 1;
    }
    while r.start < r.end {
        let n = doc.tokens[r.end - 1].norm.as_str();
        let strip = match n {
            "." | "," | ";" | ":" | "—" | "–" | "-" => true,
            ")" => {
                let (o, c) = parens(&r);
                c > o
            }
            _ => false,
        };
        if !strip {
            break;
        }
        r.end -= 1;
    }
    r
}

/// Words that open a sentence as a connective: never a content on their own, and not its
/// subject.
pub(crate) const CONNECTIVES: WordList = WordList::new(&[
    "now",
    "but",
    "and",
    "or",
    "yet",
    "so",
    "instead",
    "still",
    "however",
    "meanwhile",
    "also",
    "then",
    "though",
    "otherwise",
    "(",
    ")",
]);

/// Candidate contents for a cue with an optional source.
pub fn content_candidates(
    doc: &DocView,
    cue: &Range<usize>,
    source: Option<&SourceCand>,
) -> Vec<ContentCand> {
    let sent = doc.sent_of(cue);
    let mut out = Vec::new();
    let after_start = match source {
        Some(s) if !s.before => s.toks.end,
        _ => cue.end,
    };
    let after = trim_range(doc, after_start..sent.end);
    if !after.is_empty() {
        // Cut before a clause boundary outside quotation marks: a comma, a dash, or "and" /
        // "but" with no comma before them ("… mishandled the inquiry and the guild …").
        let mut cuts = 0;
        let mut soft = 0;
        for k in after.start + 1..after.end.min(after.start + 400) {
            if cuts == 4 {
                break;
            }
            if doc.in_quote[k] {
                continue;
            }
            let w = doc.tokens[k].norm.as_str();
            let cut = match w {
                "," | "—" | "–" | ";" => true,
                "and" | "but" => k > after.start + 2 && doc.tokens[k - 1].norm != ",",
                _ => false,
            };
            // Before a preposition or subordinator with no comma ("… would stay | in the race",
            // "… was wrong | because …"): the model weighs these by the word.
            let soft_cut = !cut
                && soft < 3
                && k > after.start + 3
                && word_in(&SOFT_CUTS, w)
                && !clause_break(doc.tokens[k - 1].norm.as_str());
            if cut || soft_cut {
                let r = trim_range(doc, after.start..k);
                if !r.is_empty() && !time_only(doc, r.clone()) {
                    out.push(ContentCand {
                        toks: r,
                        kind: ContentKind::AfterCut,
                    });
                    if cut {
                        cuts += 1;
                    } else {
                        soft += 1;
                    }
                }
            }
        }
        // "that" after a comma ("said in Toledo, Ohio, that …") or after an addressee ("told
        // reporters that …").
        let near = after.end.min(after.start + 8);
        if let Some(k) = (after.start + 1..after.end).find(|&k| {
            doc.tokens[k].norm == "that"
                && !doc.in_quote[k]
                && (doc.tokens[k - 1].norm == "," || k < near)
        }) {
            out.push(ContentCand {
                toks: k..after.end,
                kind: ContentKind::AfterThat,
            });
        }
        // Not the time of a reporting clause that ends its sentence ("…, its board announced
        // late Saturday.").
        if !time_only(doc, after.clone()) {
            out.push(ContentCand {
                toks: after,
                kind: ContentKind::After,
            });
        }
    }
    let before_end = match source {
        Some(s) if s.before => s.toks.start,
        _ => cue.start,
    };
    let before = trim_range(doc, sent.start..before_end);
    // Not a sentence's opening connective alone ("But he added, “…”"): PolNeAR train has no
    // content that is one of these words.
    if !before.is_empty()
        && !before
            .clone()
            .all(|i| word_in(&CONNECTIVES, doc.tokens[i].norm.as_str()))
    {
        out.push(ContentCand {
            toks: before,
            kind: ContentKind::Before,
        });
    }
    // Quotations inside the sentence: maximal runs of in-quote tokens.
    // (Within 400 tokens of the cue: a sentence of a million words costs no more per cue.)
    let hi = sent.end.min(cue.end + 400);
    let mut i = sent.start.max(cue.start.saturating_sub(400));
    let mut best: Option<Range<usize>> = None;
    while i < hi {
        if doc.in_quote[i] {
            let s = i;
            while i < hi && doc.in_quote[i] {
                i += 1;
            }
            let r = s..i;
            let dist = |r: &Range<usize>| {
                if r.end <= cue.start {
                    cue.start - r.end
                } else {
                    r.start.saturating_sub(cue.end)
                }
            };
            if r.len() > 2 && best.as_ref().is_none_or(|b| dist(&r) < dist(b)) {
                best = Some(r);
            }
        } else {
            i += 1;
        }
    }
    if let Some(q) = best {
        if !out.iter().any(|c| c.toks == q) && (q.end <= cue.start || q.start >= cue.end) {
            out.push(ContentCand {
                toks: q,
                kind: ContentKind::Quote,
            });
        }
    }
    out
}

/// Features of a content candidate.
pub fn content_features(
    doc: &DocView,
    cue: &Range<usize>,
    source: Option<&SourceCand>,
    c: &ContentCand,
) -> Vec<String> {
    let mut f = Vec::new();
    content_features_into(doc, cue, source, c, &mut f);
    f
}

/// [`content_features`] into `f`.
pub fn content_features_into(
    doc: &DocView,
    cue: &Range<usize>,
    source: Option<&SourceCand>,
    c: &ContentCand,
    f: &mut impl FeatureOut,
) {
    let sent = &doc.sent_of(cue);
    let k = match c.kind {
        ContentKind::After => "A",
        ContentKind::Before => "B",
        ContentKind::Quote => "Q",
        ContentKind::AfterCut => "C",
        ContentKind::AfterThat => "T",
    };
    let cue_w = &doc.tokens[cue.start..cue.end]
        .iter()
        .map(|t| t.norm.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let src = match source {
        None => "none",
        Some(s) if s.before => "before",
        Some(_) => "after",
    };
    let len = match c.toks.len() {
        0..=2 => "s",
        3..=6 => "m",
        7..=15 => "l",
        _ => "xl",
    };
    let first = doc.tokens[c.toks.start].norm.as_str();
    let nw1 = doc.norm(cue.end as isize, sent);
    let pw1 = doc.norm(cue.start as isize - 1, sent);
    let rest_punct = doc.tokens[cue.end..sent.end].iter().all(|t| t.is_punct())
        || source.is_some_and(|s| {
            !s.before
                && doc.tokens[s.toks.end..sent.end]
                    .iter()
                    .all(|t| t.is_punct())
        });
    f.add(&["kind=", k]);
    f.add(&["kind|cue=", k, "|", cue_w]);
    f.add(&["kind|src=", k, "|", src]);
    f.add(&["kind|len=", k, "|", len]);
    f.add(&["kind|first=", k, "|", first]);
    f.add(&["kind|nw1=", k, "|", nw1]);
    f.add(&["kind|pw1=", k, "|", pw1]);
    f.add(&["kind|cue_at_end=", k, "|", bool_str(rest_punct)]);
    f.add(&[
        "kind|startq=",
        k,
        "|",
        bool_str(is_quote(doc.q(c.toks.start)) || is_open_quote(doc.q(c.toks.start))),
    ]);
    f.add(&["kind|inq=", k, "|", bool_str(doc.in_quote[cue.start])]);
    if c.toks.start == sent.start {
        f.add(&["kind|sent_start=", k]);
    }
    if c.kind == ContentKind::AfterCut {
        let cutp = doc.norm(c.toks.end as isize, sent);
        let cutw = doc.norm(c.toks.end as isize + 1, sent);
        f.add(&["cutp=", cutp]);
        f.add(&["cutw=", cutp, "|", cutw]);
        f.add(&["cutw|cue=", cutw, "|", cue_w]);
        if word_in(&CUT_WORDS, cutw) {
            f.add(&["cutw_clause=", cutp]);
        }
        let rest = sent.end.saturating_sub(c.toks.end);
        f.add(&["cut_rest=", DIGITS[(rest / 4).min(6)]]);
    }
    if c.toks.end >= sent.end.saturating_sub(1) {
        f.add(&["kind|sent_end=", k]);
    }
}
