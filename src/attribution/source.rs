//! Source candidates beside a cue and their features.

use super::*;

/// A source candidate: a token range beside the cue.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceCand {
    /// Tokens of the candidate.
    pub toks: Range<usize>,
    /// Before (`true`) or after the cue.
    pub before: bool,
}

/// Candidate sources for a cue: spans of 1–8 tokens ending right before it or starting right
/// after it, inside its sentence, not crossing clause punctuation.
pub fn source_candidates(doc: &DocView, cue: &Range<usize>) -> Vec<SourceCand> {
    let sent = &doc.sent_toks[doc.tok_sent[cue.start]];
    // Room for the usual number (about 16 on PolNeAR) without growing.
    let mut out = Vec::with_capacity(16);
    // Before the cue, stepping over a parenthesis ("Ron Kind (D-Wis.) said"), and before an
    // appositive set off by commas ("Halvard, the Democratic nominee, said").
    before_with_appositive(doc, sent, cue.start, &mut out);
    // Before a time or a medium between the mention and the cue ("Marden on Tuesday said",
    // "the harbour board this month rejected", "Varga, the top Liberal on the Canal
    // Board, in a statement said").
    if let Some(k) = gap_start(doc, sent, cue.start) {
        before_with_appositive(doc, sent, k, &mut out);
    }
    // After the cue: up to eight words (the dots of "Rep. G.K." and hyphens do not count), stepping over a
    // parenthesis ("said Rep. B.T. Morrow (D-N.C.), head of …").
    let mut k = cue.end;
    let mut words = 0;
    while words < 8 && k < sent.end {
        let n = doc.q(k);
        if n == "(" && words > 0 {
            let hi = sent.end.min(k + 10);
            match (k + 1..hi).find(|&j| doc.tokens[j].norm == ")") {
                Some(j) => k = j + 1,
                None => break,
            }
        } else if clause_break(n) {
            break;
        } else {
            k += 1;
            // Neither the dots of "Rep. G.K." nor the hyphens of "AFL-CIO", "Crouse-Mays" count.
            if n != "." && n != "-" {
                words += 1;
            }
        }
        if !ends_with_title(doc, k - 1) && !inside_name(doc, k, sent) {
            out.push(SourceCand {
                toks: cue.end..k,
                before: false,
            });
        }
    }
    // A longer mention after the cue, to the next clause break or the end of the sentence
    // ("…,” said a longtime harbour pilot who has worked for two of the port's owners."):
    // PolNeAR train has 453 sources of more than eight words right after their cue that run to
    // the end of their sentence.
    if words == 8 && cue.start > sent.start + 1 {
        let hi = sent.end.min(cue.end + 60);
        let stop = (k..hi).find(|&j| clause_break(doc.q(j))).unwrap_or(hi);
        let r = trim_range(doc, cue.end..stop);
        if r.end > k && plausible_source_end(doc, r.end - 1) {
            out.push(SourceCand {
                toks: r,
                before: false,
            });
        }
    }
    // The agent of a passive cue ("has been called a fraud by fellow bakers").
    let near = sent.end.min(cue.end + 8);
    if let Some(by) = (cue.end..near).find(|&j| doc.tokens[j].norm == "by" && !doc.in_quote[j]) {
        let mut j = by + 1;
        let mut words = 0;
        while words < 8 && j < sent.end && !clause_break(doc.q(j)) {
            if doc.tokens[j].norm != "." {
                words += 1;
            }
            j += 1;
            if plausible_source(doc, &(by + 1..j)) {
                out.push(SourceCand {
                    toks: by + 1..j,
                    before: false,
                });
            }
        }
    }
    // After the cue, a mention with an appositive or a relative clause: up to each of the next
    // three commas (without and with the comma), and to the end of the sentence ("said Oren
    // Tass, a longtime political adviser to the Wendle family who oversees …").
    let first = k;
    if words > 0 && first < sent.end && doc.tokens[first].norm == "," && !doc.in_quote[first] {
        let end = trim_range(doc, cue.end..sent.end).end.min(cue.end + 60);
        let mut commas = 0;
        for k in first + 1..end {
            let n = doc.q(k);
            if is_quote(n) || is_open_quote(n) || is_close_quote(n) {
                return out;
            }
            if n == "," {
                out.push(SourceCand {
                    toks: cue.end..k,
                    before: false,
                });
                out.push(SourceCand {
                    toks: cue.end..k + 1,
                    before: false,
                });
                commas += 1;
                if commas == 3 {
                    return out;
                }
            }
        }
        // Not when the cue opens the sentence ("According to Ivo Marsk, the trade minister,
        // the United States …"): the rest is the content.
        if end > first + 1 && cue.start > sent.start + 1 {
            out.push(SourceCand {
                toks: cue.end..end,
                before: false,
            });
        }
    }
    out
}

/// Candidates ending at `end` ([`before_candidates`]), and when a comma is at `end`, those before
/// the appositive it closes, without it and with it.
pub(crate) fn before_with_appositive(
    doc: &DocView,
    sent: &Range<usize>,
    end: usize,
    out: &mut Vec<SourceCand>,
) {
    before_candidates(doc, sent, end, out);
    if end > sent.start + 2 && doc.tokens[end - 1].norm == "," {
        let lo = sent.start.max(end.saturating_sub(24));
        // Up to three commas back: "Teo Brann, of Millbrook, Va., said", "Dara
        // Quill Hensley, 59, of Ostend, Md., said".
        let commas = (lo..end - 1).rev().filter(|&j| doc.tokens[j].norm == ",");
        for j in commas.take(3) {
            let n = out.len();
            before_candidates(doc, sent, j, out);
            // … and the mention with its appositive and the comma that closes it (PolNeAR's
            // sources take the whole noun phrase: "Rendell, a Halvard surrogate,").
            for k in n..out.len() {
                if !out[k].toks.is_empty() {
                    let toks = out[k].toks.start..end;
                    out.push(SourceCand { toks, before: true });
                }
            }
        }
    }
}

/// Words that open a phrase of time or medium between a source and its cue ("on Tuesday", "this
/// month", "in a statement").
pub(crate) const GAP_START: WordList = WordList::new(&[
    "on", "in", "at", "during", "last", "this", "earlier", "late", "early", "just",
]);

/// Words that end such a phrase: the time words a source never ends with, and media.
pub(crate) const GAP_END: WordList = WordList::new(&[
    "statement",
    "interview",
    "tweet",
    "twitter",
    "facebook",
    "email",
    "letter",
    "release",
    "speech",
    "weeks",
    "months",
    "days",
    "occasion",
    "occasions",
]);

/// The first token of a phrase of time or medium that ends right before `cue_start` ("Marden on
/// Tuesday said", "Varga in a statement said"), if there is one: PolNeAR's source is the
/// mention before it.
pub(crate) fn gap_start(doc: &DocView, sent: &Range<usize>, cue_start: usize) -> Option<usize> {
    let last = cue_start.checked_sub(1).filter(|&l| l > sent.start)?;
    // One or two adverbs ("Halvard pointedly rejected", "Marden also publicly said").
    let adverb = |i: usize| {
        let w = doc.tokens[i].norm.as_str();
        doc.shape(i) == "x" && ((w.len() > 4 && w.ends_with("ly")) || word_in(&GAP_ADVERBS, w))
    };
    if adverb(last) {
        let first = if last > sent.start + 1 && adverb(last - 1) {
            last - 1
        } else {
            last
        };
        return (first > sent.start).then_some(first);
    }
    let end = doc.tokens[last].norm.as_str();
    if !(word_in(&GAP_END, end) || word_in(&TIME_WORDS, end)) {
        return None;
    }
    let lo = sent.start.max(cue_start.saturating_sub(6)) + 1;
    let mut start = None;
    for k in (lo..last).rev() {
        let n = doc.q(k);
        if clause_break(n) || doc.in_quote[k] {
            break;
        }
        if word_in(&GAP_START, n) {
            start = Some(k);
        }
    }
    start
}

/// Adverbs between a source and its cue besides those in "-ly" ("Marden also said").
pub(crate) const GAP_ADVERBS: WordList =
    WordList::new(&["also", "even", "still", "never", "again", "once", "often"]);

/// Words a source mention never starts with ("Meanwhile, ...", "As Ukraine ...", "Earlier ...").
pub(crate) const NOT_SOURCE_START: WordList = WordList::new(&[
    "as",
    "meanwhile",
    // sentence adverbs ("Additionally, it is vital that …, seeking to …": not "Additionally")
    "additionally",
    "furthermore",
    "similarly",
    "consequently",
    "ultimately",
    "earlier",
    "however",
    "moreover",
    "also",
    "then",
    "now",
    "today",
    "yesterday",
    "instead",
    "still",
    "thus",
    "so",
    "but",
    "and",
    "or",
    "while",
    "when",
    "after",
    "before",
    "although",
    "though",
    "if",
    "because",
    "since",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "of",
    "to",
    "into",
    "over",
    "under",
    "about",
    "reportedly",
    "allegedly",
    // Prepositions no source starts with in PolNeAR train ("House Speaker Ryan, despite
    // admitting …": not "despite").
    "despite",
    "unlike",
    "like",
    "amid",
    "without",
    "through",
    "during",
    "against",
    "across",
    "via",
    "per",
    "toward",
    "towards",
    "upon",
    "whether",
    "than",
]);

/// Words a source mention never ends with ("the Seym River further", "Russia while"), and the
/// sentence adverbs of [`NOT_SOURCE_START`] ("Additionally", …).
pub(crate) const NOT_SOURCE_END: WordList = WordList::new(&[
    "while",
    "further",
    "also",
    "still",
    "again",
    "too",
    "then",
    "now",
    "however",
    "even",
    "moreover",
    "meanwhile",
    "additionally",
    "furthermore",
    "similarly",
    "consequently",
    "ultimately",
    "already",
    "just",
    "only",
    "not",
    "never",
    "later",
    "and",
    "or",
    "but",
    "as",
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "to",
    "for",
    "with",
    "by",
    "at",
    "from",
    "is",
    "was",
    "has",
    "have",
    "had",
]);

/// Modal and auxiliary verbs that no source ends with when they are written in lowercase (in
/// PolNeAR train, 3 of 17,212 sources end with one: "… that a campaign normally would").
pub(crate) const AUXILIARY_END: WordList = WordList::new(&[
    "would", "will", "could", "should", "may", "might", "must", "can", "are", "were", "does",
    "did", "do", "be", "been",
]);

/// Time words no source ends with ("the harbour board this month rejected", "Wells Fargo just
/// this month announced").
pub(crate) const TIME_WORDS: WordList = WordList::new(&[
    "month",
    "week",
    "year",
    "weekend",
    "night",
    "morning",
    "afternoon",
    "evening",
    "today",
    "tonight",
    "yesterday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    // "Dorrow has on more than one occasion claimed"
    "occasion",
    "occasions",
]);

/// Whether tokens `r` say only when (or are punctuation): "Monday", "late Thursday", "on
/// Tuesday night", "earlier this week" (time words, and the words that open a gap's phrase).
pub(crate) fn time_only(doc: &DocView, r: Range<usize>) -> bool {
    doc.tokens[r].iter().all(|t| {
        let n = t.norm.as_str();
        !n.chars().any(char::is_alphanumeric) || word_in(&TIME_WORDS, n) || word_in(&GAP_START, n)
    })
}

/// A source candidate must not start or end with a word no speaker's mention starts or ends with.
pub fn plausible_source(doc: &DocView, r: &Range<usize>) -> bool {
    plausible_source_start(doc, r.start) && plausible_source_end(doc, r.end - 1)
}

/// Whether token `i` may start a source mention ([`plausible_source`]).
pub(crate) fn plausible_source_start(doc: &DocView, i: usize) -> bool {
    !word_in(&NOT_SOURCE_START, doc.tokens[i].norm.as_str())
}

/// Whether token `i` may end a source mention ([`plausible_source`]).
pub(crate) fn plausible_source_end(doc: &DocView, i: usize) -> bool {
    let last = doc.tokens[i].norm.as_str();
    // "Halvard privately" is no mention, but "Mark Kelly", "Gerry Connolly" are.
    let adverb = last.len() > 4 && last.ends_with("ly") && doc.shape(i) == "x";
    // "A reader would now ask:" (but "George Will", "Theresa May").
    let auxiliary = doc.shape(i) == "x" && word_in(&AUXILIARY_END, last);
    !(word_in(&NOT_SOURCE_END, last)
        || auxiliary
        || word_in(&TIME_WORDS, last)
        || adverb
        || ends_with_title(doc, i))
}

/// Whether token `i` is a title or an initial ("G." of "Edwin G. Monroy"), or the full stop
/// after one.
pub(crate) fn ends_with_title(doc: &DocView, i: usize) -> bool {
    let t = if doc.tokens[i].norm == "." && i > 0 {
        i - 1
    } else {
        i
    };
    let w = doc.orig(t);
    let initial = w.len() == 1
        && doc.shape(t) == "Xx"
        && doc.tokens.get(t + 1).is_some_and(|n| n.norm == ".");
    // Capitalised, not in capitals: "RT" is a name, "Rt." a title.
    initial || (doc.shape(t) == "Xx" && crate::segment::is_name_title(w.trim_end_matches('.')))
}

pub(crate) fn before_candidates(
    doc: &DocView,
    sent: &Range<usize>,
    end: usize,
    out: &mut Vec<SourceCand>,
) {
    // Every candidate ends at `end`: none is plausible when its last token is not.
    if end == 0 || !plausible_source_end(doc, end - 1) {
        return;
    }
    let mut start = end;
    let mut words = 0;
    while words < 8 && start > sent.start {
        let t = doc.q(start - 1);
        if t == ")" {
            let lo = sent.start.max(start.saturating_sub(10));
            match (lo..start - 1).rev().find(|&k| doc.tokens[k].norm == "(") {
                Some(k) if k > sent.start => {
                    start = k;
                    continue;
                }
                _ => break,
            }
        }
        if clause_break(t) {
            break;
        }
        start -= 1;
        if !matches!(doc.tokens[start].norm.as_str(), "." | "-") {
            words += 1;
        }
        if plausible_source_start(doc, start) {
            out.push(SourceCand {
                toks: start..end,
                before: true,
            });
        }
    }
    // A title of capitalised words that runs past eight ("U.S. Northern Harbour Board Deputy
    // Strategic Shipping Coordinator Halvard Marsk said", "Deputy Minister of Ports and
    // Canals for the Northern Region Ivo Marsk said"): the whole run.
    // Not over a headline in capitals ("OLYMPIC TEAM REFUSES TO STAY").
    let shout = |k: usize| doc.shape(k) == "XX" && doc.q(k).chars().count() > 4;
    let title = |k: usize| {
        (capitalised(doc, k) && !shout(k))
            || matches!(doc.q(k), "." | "-" | "of" | "for" | "and" | "the")
    };
    if words == 8 && start > sent.start && (start..end).all(title) {
        let lo = sent.start.max(start.saturating_sub(12));
        let first = (lo..start)
            .rev()
            .take_while(|&k| title(k))
            .filter(|&k| capitalised(doc, k))
            .last();
        if let Some(k) = first.filter(|&k| plausible_source_start(doc, k)) {
            out.push(SourceCand {
                toks: k..end,
                before: true,
            });
        }
    }
}

/// Whether a mention ending before token `k` would cut a run of capitalised words on one line
/// ("according to Russian | President Vladimir Putin"); a time word may follow a name ("said
/// Velin Monday").
pub(crate) fn inside_name(doc: &DocView, k: usize, sent: &Range<usize>) -> bool {
    k > sent.start
        && k < sent.end
        && capitalised(doc, k - 1)
        && capitalised(doc, k)
        && !word_in(&TIME_WORDS, doc.tokens[k].norm.as_str())
        && !doc
            .text
            .get(doc.tokens[k - 1].span.end..doc.tokens[k].span.start)
            .is_some_and(|gap| gap.contains('\n'))
}

/// Whether the token at `i` is a capitalised word ("Council", "U.S", "NATO").
pub(crate) fn capitalised(doc: &DocView, i: usize) -> bool {
    doc.shape(i).starts_with('X')
}

/// Features of a source candidate.
pub fn source_features(doc: &DocView, cue: &Range<usize>, c: &SourceCand) -> Vec<String> {
    let mut f = Vec::new();
    source_features_into(doc, cue, c, &mut f);
    f
}

/// [`source_features`] into `f`.
pub fn source_features_into(
    doc: &DocView,
    cue: &Range<usize>,
    c: &SourceCand,
    f: &mut impl FeatureOut,
) {
    source_features_of(doc, &SourceCue::new(doc, cue), c, f);
}

/// What [`source_features`] needs of a cue, whatever the candidate: found once for all the
/// candidates of a cue.
#[derive(Clone, Debug)]
pub struct SourceCue<'a> {
    cue: Range<usize>,
    /// The cue's sentence.
    sent: Range<usize>,
    /// The cue's first word.
    word: &'a str,
    /// The participle of a passive cue ([`passive_head`]).
    passive: Option<&'a str>,
}

impl<'a> SourceCue<'a> {
    /// The cue `cue` of `doc`.
    pub fn new(doc: &'a DocView, cue: &Range<usize>) -> Self {
        SourceCue {
            cue: cue.clone(),
            sent: doc.sent_of(cue),
            word: doc.tokens[cue.start].norm.as_str(),
            passive: passive_head(doc, cue),
        }
    }
}

/// [`source_features_into`] with the cue's part found before ([`SourceCue::new`]).
pub fn source_features_of(doc: &DocView, sc: &SourceCue, c: &SourceCand, f: &mut impl FeatureOut) {
    source_features_kept(doc, sc, c, &mut SourceKept::default(), f);
}

/// The features of [`source_features_of`] that depend on the side of a candidate alone, on its
/// side and where it ends (the same for the candidates before a cue that end at one token), and
/// on its side and where it starts (the same for those after a cue that start at one token), in
/// slots kept from one candidate of a cue to the next ([`FeatureOut::add_kept`]).
#[derive(Debug, Default)]
pub(crate) struct SourceKept {
    /// The side of the candidate the `side` slots are of.
    side_key: Option<bool>,
    side: [Kept; 4],
    /// The side and end of the candidate the `end` slots are of.
    end_key: Option<(bool, usize)>,
    end: [Kept; 5],
    /// The side and start of the candidate the `start` slots are of.
    start_key: Option<(bool, usize)>,
    start: [Kept; 6],
}

/// [`source_features_of`] with the features of `kept`'s slots taken from there when the
/// candidate `c` has the side and end, or side and start, of the last one (of the same cue).
/// The features come in the same order as without slots.
pub(crate) fn source_features_kept(
    doc: &DocView,
    sc: &SourceCue,
    c: &SourceCand,
    kept: &mut SourceKept,
    f: &mut impl FeatureOut,
) {
    if kept.side_key != Some(c.before) {
        kept.side_key = Some(c.before);
        kept.side = [None; 4];
    }
    if kept.end_key != Some((c.before, c.toks.end)) {
        kept.end_key = Some((c.before, c.toks.end));
        kept.end = [None; 5];
    }
    if kept.start_key != Some((c.before, c.toks.start)) {
        kept.start_key = Some((c.before, c.toks.start));
        kept.start = [None; 6];
    }
    let [k_side, k_cue_side, k_passive, k_passive_cue] = &mut kept.side;
    let [k_last, k_lshape, k_aft, k_last_ing, k_gap] = &mut kept.end;
    let [k_first, k_fshape, k_bnd, k_inq, k_det, k_at_start] = &mut kept.start;
    let cue = &sc.cue;
    let sent = &sc.sent;
    let side = if c.before { "B" } else { "A" };
    let first = doc.tokens[c.toks.start].norm.as_str();
    let last = doc.tokens[c.toks.end - 1].norm.as_str();
    let len = c.toks.len().min(6);
    let cue_w = sc.word;
    let bnd = doc.norm(c.toks.start as isize - 1, sent);
    let aft = doc.norm(c.toks.end as isize, sent);
    // The first letter of each token's shape, for the first six tokens.
    let mut shapes = [0u8; 6];
    let mut n_shapes = 0;
    for i in c.toks.clone().take(6) {
        shapes[n_shapes] = doc.shape(i).as_bytes()[0];
        n_shapes += 1;
    }
    let shapes = std::str::from_utf8(&shapes[..n_shapes]).unwrap_or("");
    let len_s = DIGITS[len];
    let gap = DIGITS[cue.start.saturating_sub(c.toks.end).min(3)];
    f.add_kept(k_side, &["side=", side]);
    f.add(&["len=", side, len_s]);
    f.add_kept(k_first, &["first=", side, first]);
    f.add_kept(k_last, &["last=", side, last]);
    f.add_kept(k_fshape, &["fshape=", side, doc.shape(c.toks.start)]);
    f.add_kept(k_lshape, &["lshape=", side, doc.shape(c.toks.end - 1)]);
    f.add(&["shapes=", side, shapes]);
    f.add_kept(k_bnd, &["bnd=", side, bnd]);
    f.add_kept(k_aft, &["aft=", side, aft]);
    if last.len() > 4 && last.ends_with("ing") {
        f.add_kept(k_last_ing, &["last_ing=", side]);
    }
    f.add_kept(k_cue_side, &["cue|side=", cue_w, "|", side]);
    f.add(&["cue|len=", cue_w, "|", side, len_s]);
    f.add_kept(k_inq, &["inq=", bool_str(doc.in_quote[c.toks.start])]);
    f.add_kept(k_gap, &["gap=", side, gap]);
    if doc.tokens[c.toks.clone()].iter().any(|t| t.norm == "(") {
        f.add(&["paren=", side]);
    }
    if word_in(&PRONOUNS, last) {
        f.add(&["pron=", side, len_s]);
    }
    if matches!(first, "the" | "a" | "an") {
        f.add_kept(k_det, &["det=", side]);
    }
    if bnd == "<s>" {
        f.add_kept(k_at_start, &["at_sent_start=", side]);
    }
    if let Some(k) = c.toks.clone().find(|&k| doc.tokens[k].norm == ",") {
        // What follows the mention's first comma: an appositive noun phrase ("Rendell, a
        // Halvard surrogate,"), a relative clause, or a participle that is not part of the
        // mention ("Marden, appearing after Halvard at the forum,").
        let w = doc.norm(k as isize + 1, sent);
        let class = if w.len() > 4 && w.ends_with("ing") {
            "ing"
        } else if w.len() > 3 && w.ends_with("ed") {
            "ed"
        } else if matches!(w, "a" | "an" | "the") {
            "det"
        } else if matches!(w, "who" | "which" | "whose" | "that") {
            "rel"
        } else if word_in(&PREPOSITIONS, w) {
            // "Halvard, at a later press gaggle, said": not part of the mention.
            "prep"
        } else {
            doc.shape(k + 1)
        };
        f.add(&["appos_w=", side, w]);
        f.add(&["appos_class=", side, class]);
        f.add(&["cue|appos_class=", cue_w, "|", side, class]);
        if k > c.toks.start {
            f.add(&["mention_end=", side, doc.shape(k - 1)]);
        }
        f.add(&["cue|appos=", cue_w, "|", side]);
        if c.toks.len() > 8 {
            f.add(&["appos_long=", side]);
        }
        if doc.tokens[c.toks.clone()]
            .iter()
            .any(|t| matches!(t.norm.as_str(), "who" | "which" | "whose"))
        {
            f.add(&["appos_rel=", side]);
        }
    }
    if doc.tokens[c.toks.clone()].iter().any(|t| t.norm == "of") {
        f.add(&["has_of=", side]);
    }
    // The mention ends in a prepositional phrase ("Del. Nora Quist of the Amber Islands",
    // "Cal Renner for Evening Ledger", "the Fair Trade Council in 2015"): which
    // preposition, after what.
    if let Some(k) = (c.toks.start + 1..c.toks.end)
        .rev()
        .find(|&k| word_in(&PREPOSITIONS, doc.tokens[k].norm.as_str()))
    {
        let prep = doc.tokens[k].norm.as_str();
        f.add(&["tail_prep=", side, prep, "|", doc.shape(k - 1)]);
        f.add(&["tail_prep_len=", side, DIGITS[(c.toks.end - k - 1).min(6)]]);
    }
    // A passive cue's subject is what was said or done, not who said it ("Mr. Quiros was
    // accused of", "Pence was dubbed the winner", "Marden is supported by fewer papers").
    if let Some(head) = sc.passive {
        f.add_kept(k_passive, &["passive=", side]);
        f.add_kept(k_passive_cue, &["passive|cue=", head, "|", side]);
    }
    if doc.tokens[c.toks.clone()]
        .iter()
        .all(|t| doc.shape_of(t) != "x")
    {
        f.add(&["allcap=", side, len_s]);
    }
}

pub(crate) const DIGITS: [&str; 7] = ["0", "1", "2", "3", "4", "5", "6"];

/// Prepositions that open a phrase after a mention.
pub(crate) const PREPOSITIONS: WordList = WordList::new(&[
    "at", "in", "on", "for", "of", "from", "with", "under", "like", "unlike", "during", "after",
    "before", "despite", "amid", "since", "without", "by",
]);

/// Forms of "be" that make a passive with a participle.
pub(crate) const BE_FORMS: WordList =
    WordList::new(&["is", "are", "was", "were", "be", "been", "being"]);

/// Irregular participles a passive cue may have.
pub(crate) const IRREGULAR_PARTICIPLES: WordList = WordList::new(&[
    "told", "said", "thought", "held", "made", "seen", "known", "brought", "taught", "sought",
    "heard", "shown", "given", "taken", "written", "spoken", "chosen", "left", "met", "put",
]);

/// The participle of a passive cue ("was accused of", "has been called", "is expected"): the
/// first word of the cue that is not an auxiliary or an adverb, when a form of "be" goes before
/// it inside the cue or just before it.
pub(crate) fn passive_head<'a>(doc: &'a DocView, cue: &Range<usize>) -> Option<&'a str> {
    let h = cue_head(doc, cue);
    let head = doc.tokens[h].norm.as_str();
    let participle = (head.len() > 4 && (head.ends_with("ed") || head.ends_with("en")))
        || word_in(&IRREGULAR_PARTICIPLES, head);
    if !participle {
        return None;
    }
    let mut k = h;
    while k > 0 && k + 4 > h {
        k -= 1;
        let n = doc.tokens[k].norm.as_str();
        if word_in(&BE_FORMS, n) {
            return Some(head);
        }
        let adverb = n.len() > 4 && n.ends_with("ly");
        if !(adverb || word_in(&CUE_LEFT_WORDS, n)) {
            return None;
        }
    }
    None
}
