//! Cue candidates and their features: the cue lexicon learned from the training data, its
//! reporting frames and seed stems.

use super::*;

/// Words that go before a cue's head inside the cue: auxiliaries, modals, negation and the
/// adverbs of reporting ("has", "did not", "also", "repeatedly").
pub const CUE_LEFT: &[&str] = &[
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "having",
    "do",
    "does",
    "did",
    "will",
    "would",
    "could",
    "can",
    "should",
    "may",
    "might",
    "must",
    "not",
    "n't",
    "n’t",
    "never",
    "also",
    "already",
    "still",
    "then",
    "repeatedly",
    "previously",
    "again",
    "just",
    "even",
    "once",
    "'s",
    "’s",
    "'ve",
    "’ve",
    "'d",
    "’d",
    "'ll",
    "’ll",
    "to",
    "later",
    "recently",
    "publicly",
    "reportedly",
    "often",
    "further",
    "first",
    "immediately",
    "now",
    "only",
    "openly",
    "privately",
    "quickly",
    "flatly",
    "explicitly",
    "strongly",
    "sharply",
];

/// Words that may close a cue after its head ("pointing out", "said:", "according to").
pub const CUE_RIGHT: &[&str] = &[
    "to", "that", "of", "on", "about", "by", "for", "with", "out", "up", "in", "as", "from",
    "against", "into", "over", "at", "down", "off", "back", ":",
];

/// [`CUE_LEFT`] and [`CUE_RIGHT`] for [`word_in`].
pub(crate) const CUE_LEFT_WORDS: WordList = WordList::new(CUE_LEFT);
pub(crate) const CUE_RIGHT_WORDS: WordList = WordList::new(CUE_RIGHT);

/// The stem of a word for matching cue heads: a few English inflection endings removed
/// (`warning`, `warned`, `warns` → `warn`; `argue`, `argued`, `argues` → `argu`).
pub fn cue_stem(w: &str) -> &str {
    for suf in ["ing", "ed", "es", "s", "e"] {
        if let Some(s) = w.strip_suffix(suf) {
            if s.len() >= 3 {
                return s;
            }
        }
    }
    w
}

/// The head of a cue span: its first token that is not an auxiliary or adverb of [`CUE_LEFT`].
pub fn cue_head(doc: &DocView, r: &Range<usize>) -> usize {
    r.clone()
        .find(|&i| !word_in(&CUE_LEFT_WORDS, doc.tokens[i].norm.as_str()))
        .unwrap_or(r.start)
}

/// Cue candidates: occurrences of the learned cue phrases, and spans around every word whose stem
/// is a learned cue head (the head alone, with up to three auxiliaries before it, with a
/// particle after it).
#[derive(Clone, Debug, Default)]
pub struct CueLexicon {
    phrases: Vec<Vec<String>>,
    /// Bit `len * 256 + first byte` (length capped at 31) set for each phrase's first word: a
    /// quick test before the map.
    starts: Vec<u64>,
    by_first: HashMap<String, FirstWord, StrState>,
    heads: HashMap<String, (), StrState>,
    /// Whether words in a reporting frame ([`cue_frame`]) are candidates too, learned head or
    /// not.
    frames: bool,
}

/// The phrases that start with one word: the one-word phrases, and the longer ones by their
/// second word (phrase indices in ascending order).
#[derive(Clone, Debug, Default)]
pub(crate) struct FirstWord {
    alone: Vec<usize>,
    by_second: HashMap<String, Vec<usize>, StrState>,
}

impl CueLexicon {
    /// Indexes `phrases` and head stems.
    pub fn new(phrases: Vec<Vec<String>>, heads: &[String]) -> Self {
        let mut by_first: HashMap<String, FirstWord, StrState> = HashMap::default();
        for (i, p) in phrases.iter().enumerate() {
            if let Some(f) = p.first() {
                let e = by_first.entry(f.clone()).or_default();
                match p.get(1) {
                    None => e.alone.push(i),
                    Some(w) => e.by_second.entry(w.clone()).or_default().push(i),
                }
            }
        }
        let mut starts = vec![0u64; 32 * 256 / 64];
        for f in by_first.keys() {
            let k = start_key(f);
            starts[k / 64] |= 1 << (k % 64);
        }
        CueLexicon {
            phrases,
            starts,
            by_first,
            heads: heads.iter().map(|h| (h.clone(), ())).collect(),
            frames: false,
        }
    }

    /// The lexicon proposing words in reporting frames too ([`cue_frame`]).
    pub fn with_frames(mut self, frames: bool) -> Self {
        self.frames = frames;
        self
    }

    /// The indexed model's lexicon.
    pub fn of_file(file: &AttributionModelFile) -> Self {
        Self::new(file.cue_phrases.clone(), &file.cue_heads).with_frames(file.cue_frames)
    }

    /// The phrases.
    pub fn phrases(&self) -> &[Vec<String>] {
        &self.phrases
    }

    /// Whether `w`'s stem is a cue head.
    pub fn is_head(&self, w: &str) -> bool {
        !self.heads.is_empty() && self.heads.contains_key(cue_stem(w))
    }

    /// Whether the cue `r` is one the lexicon knows: its head's stem is a learned head, or its
    /// words a learned phrase (not a word proposed by its reporting frame alone).
    pub fn knows(&self, doc: &DocView, r: &Range<usize>) -> bool {
        if self.is_head(&doc.tokens[cue_head(doc, r)].norm) {
            return true;
        }
        let words = &doc.tokens[r.clone()];
        let Some(first) = self.by_first.get(words[0].norm.as_str()) else {
            return false;
        };
        match words.get(1) {
            None => !first.alone.is_empty(),
            Some(t) => first.by_second.get(t.norm.as_str()).is_some_and(|ids| {
                ids.iter().any(|&pid| {
                    let p = &self.phrases[pid];
                    p.len() == words.len() && words.iter().zip(p).all(|(t, w)| t.norm == *w)
                })
            }),
        }
    }

    /// Every cue candidate inside one sentence, as token ranges, sorted and distinct.
    pub fn candidates(&self, doc: &DocView) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = self
            .phrase_occurrences(doc)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        if !self.heads.is_empty() || self.frames {
            for sent in &doc.sent_toks {
                for i in sent.clone() {
                    let proposed = self.is_head(&doc.tokens[i].norm)
                        || (self.frames && cue_frame(doc, sent, i).is_some());
                    if !proposed {
                        continue;
                    }
                    let mut lo = i;
                    while lo > sent.start
                        && i - lo < 3
                        && word_in(&CUE_LEFT_WORDS, doc.tokens[lo - 1].norm.as_str())
                        // "Theresa May said": a capitalised word inside a sentence is a name.
                        && (lo - 1 == sent.start || doc.shape(lo - 1) == "x")
                    {
                        lo -= 1;
                    }
                    let right = i + 1 < sent.end
                        && word_in(&CUE_RIGHT_WORDS, doc.tokens[i + 1].norm.as_str());
                    for a in lo..=i {
                        out.push(a..i + 1);
                        if right {
                            out.push(a..i + 2);
                        }
                    }
                }
            }
        }
        out.sort_by_key(|r| (r.start, r.end));
        out.dedup();
        out
    }

    /// Every occurrence of a phrase inside one sentence: `(token range, phrase index)`.
    pub fn phrase_occurrences(&self, doc: &DocView) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        for sent in &doc.sent_toks {
            for i in sent.clone() {
                let norm = doc.tokens[i].norm.as_str();
                let k = start_key(norm);
                if self
                    .starts
                    .get(k / 64)
                    .is_none_or(|b| b & (1 << (k % 64)) == 0)
                {
                    continue;
                }
                let Some(first) = self.by_first.get(norm) else {
                    continue;
                };
                let n = out.len();
                out.extend(first.alone.iter().map(|&pid| (i..i + 1, pid)));
                let ids = match doc.tokens.get(i + 1) {
                    Some(t) if i + 1 < sent.end => first.by_second.get(t.norm.as_str()),
                    _ => None,
                };
                for &pid in ids.into_iter().flatten() {
                    let p = &self.phrases[pid];
                    // The first two words are the maps' keys; compare the rest, first bytes
                    // first.
                    if i + p.len() <= sent.end
                        && doc.tokens[i + 2..i + p.len()]
                            .iter()
                            .zip(&p[2..])
                            .all(|(t, w)| {
                                let (a, b) = (t.norm.as_bytes(), w.as_bytes());
                                a.len() == b.len() && a.first() == b.first() && a == b
                            })
                    {
                        out.push((i..i + p.len(), pid));
                    }
                }
                // In phrase order, as one list of phrases per first word gave them.
                if out.len() - n > 1 {
                    out[n..].sort_unstable_by_key(|&(_, pid)| pid);
                }
            }
        }
        out
    }
}

/// Words that are never the head of a cue in a reporting frame: function words, and the common
/// words ending like verbs that are not ("this", "always").
pub(crate) const NOT_FRAME_HEADS: WordList = WordList::new(&[
    "the",
    "and",
    "but",
    "for",
    "who",
    "whom",
    "whose",
    "which",
    "what",
    "when",
    "where",
    "while",
    "this",
    "that",
    "these",
    "those",
    "thus",
    "than",
    "then",
    "there",
    "here",
    "with",
    "from",
    "into",
    "onto",
    "upon",
    "about",
    "also",
    "only",
    "just",
    "even",
    "more",
    "most",
    "much",
    "very",
    "such",
    "some",
    "says",
    "always",
    "perhaps",
    "sometimes",
    "besides",
    "towards",
    "afterwards",
    "news",
    "yours",
    "ours",
    "hers",
    "theirs",
    "its",
    "his",
    "does",
    "was",
    "has",
    "is",
    "yes",
    "unless",
    "whether",
    "because",
    "although",
    "though",
    "after",
    "before",
    "since",
    "until",
    "both",
    "each",
    "other",
    "others",
    "it",
    "they",
    "them",
    "their",
    "she",
    "her",
    "him",
    "you",
    "not",
    "now",
    "one",
    "all",
    "any",
    "out",
    "too",
    "so",
    "how",
    "why",
]);

/// The kind of reporting frame word `i` of sentence `sent` stands in, when it is a lowercase
/// word that may be a verb there: followed by "that" (ending like a verb: "insisted that",
/// "stresses that"), by a colon or an opening quotation mark ("foreshadowed:", "wrote “…"), or
/// after a quotation closed by a comma and at most a few words ("…,” Smith recalled; "…,”
/// recalled Smith). Words with no learned head stem become cue candidates there, for the cue
/// model to weigh.
pub fn cue_frame(doc: &DocView, sent: &Range<usize>, i: usize) -> Option<&'static str> {
    // The frame first, the word after: most tokens stand in no frame (this runs on every token).
    if doc.shape(i) != "x" {
        return None;
    }
    let w = doc.tokens[i].norm.as_str();
    // After `,”` and at most four words ("…,” the former senator recalled).
    let mut j = i;
    while j > sent.start && i - j < 5 && (doc.shape(j - 1) != "p" || !doc.tokens[j - 1].is_punct())
    {
        j -= 1;
    }
    let kind = if doc.closed_after(j, sent, &[",", "?", "!"]) {
        "closeq"
    } else {
        let n = doc
            .tokens
            .get(i + 1)
            .filter(|_| i + 1 < sent.end)?
            .norm
            .as_str();
        if n == ":" || doc.opens_quote(i + 1) {
            "open"
        } else if n == "that"
            && (w.ends_with("ed") || w.ends_with('s') || w.ends_with("ing"))
            && !w.ends_with("ss")
            && !w.ends_with("us")
            && !w.ends_with("is")
        {
            "that"
        } else {
            return None;
        }
    };
    let word = w.len() >= 3
        && w.bytes().all(|b| b.is_ascii_lowercase())
        && !word_in(&NOT_FRAME_HEADS, w)
        && !word_in(&CUE_LEFT_WORDS, w);
    word.then_some(kind)
}

/// Stems ([`cue_stem`]) of a seed list of verbs of saying, thinking and reporting: a feature of
/// the cue model (`seed`), never a candidate by itself (the lexicon is learned).
pub(crate) const SEED_CUE_STEMS: WordList = WordList::new(&[
    "say",
    "said",
    "tell",
    "told",
    "report",
    "announc",
    "declar",
    "stat",
    "claim",
    "argu",
    "insist",
    "explain",
    "add",
    "not",
    "warn",
    "suggest",
    "acknowledg",
    "admit",
    "admitt",
    "deni",
    "deny",
    "recall",
    "remark",
    "respond",
    "repli",
    "reply",
    "assert",
    "maintain",
    "contend",
    "predict",
    "promis",
    "vow",
    "pledg",
    "believ",
    "think",
    "thought",
    "fear",
    "hop",
    "doubt",
    "wonder",
    "ask",
    "urg",
    "tweet",
    "wrot",
    "writ",
    "comment",
    "observ",
    "emphasiz",
    "stress",
    "reveal",
    "disclos",
    "confirm",
    "conced",
    "conclud",
    "testifi",
    "testify",
    "accus",
    "criticiz",
    "prais",
    "blam",
    "charg",
    "alleg",
    "complain",
    "propos",
    "recommend",
    "expect",
    "estimat",
    "forecast",
    "foreshadow",
    "elaborat",
    "recount",
    "describ",
    "quipp",
    "quip",
    "jok",
    "shout",
    "exclaim",
    "mention",
    "point",
    "indicat",
    "signal",
    "hint",
    "impli",
    "imply",
    "feel",
    "felt",
    "know",
    "knew",
    "accord",
    "unveil",
    "publish",
    "releas",
    "agre",
    "disagre",
    "object",
    "protest",
    "demand",
    "concern",
    "question",
    "rebutt",
    "counter",
    "retort",
    "continu",
    "affirm",
    "reiterat",
    "underscor",
    "highlight",
    "caution",
    "threaten",
    "boast",
    "brag",
    "lament",
    "decri",
    "condemn",
    "denounc",
    "dismiss",
    "reject",
    "refus",
]);

/// The bit of a word in `CueLexicon::starts`.
pub(crate) fn start_key(w: &str) -> usize {
    w.len().min(31) * 256 + usize::from(w.as_bytes().first().copied().unwrap_or(0))
}

/// Features of a cue candidate.
/// `lexicon` is the one that proposed it: whether it knows the cue is a feature.
pub fn cue_features(doc: &DocView, toks: &Range<usize>, lexicon: &CueLexicon) -> Vec<String> {
    let mut f = Vec::new();
    cue_features_into(doc, toks, lexicon, &mut f);
    f
}

/// [`cue_features`] into `f`: the features of the cue's own words, then those of its context.
pub fn cue_features_into(
    doc: &DocView,
    toks: &Range<usize>,
    lexicon: &CueLexicon,
    f: &mut impl FeatureOut,
) {
    let mut w = CueWords::new(doc, toks);
    w.known = lexicon.knows(doc, toks);
    w.phrase_features(f);
    w.context_features(doc, toks, f);
}

/// The context features of [`CueWords::context_features`] that depend on the cue's head alone (and
/// its sentence), on its head and start, or on its head and end, in slots kept from one
/// candidate of a document to the next ([`FeatureOut::add_kept`]): the candidates come sorted,
/// and those of one head ("said", "has said", "said that") are neighbours.
#[derive(Debug, Default)]
pub(crate) struct CueKept {
    /// The head the `head` slots and `frame` are of.
    head_key: Option<usize>,
    head: [Kept; 5],
    /// The head's reporting frame ([`cue_frame`]), or "-".
    frame: Option<&'static str>,
    /// The start and head the `start` slots are of.
    start_key: Option<(usize, usize)>,
    start: [Kept; 12],
    /// The end and head the `end` slots are of.
    end_key: Option<(usize, usize)>,
    end: [Kept; 8],
}

/// The words of a cue candidate that its features read.
pub(crate) struct CueWords<'a> {
    /// The cue's words, with single spaces between them.
    p: std::borrow::Cow<'a, str>,
    /// Its head (its first word after the auxiliaries), and the head's stem.
    head: &'a str,
    /// The head's token.
    hi: usize,
    stem: &'a str,
    /// Its first word when auxiliaries come before the head.
    l1: Option<&'a str>,
    /// Its last word when words come after the head.
    right: Option<&'a str>,
    /// How many words it has, and how many come before the head.
    len: usize,
    left: usize,
    /// Words after the head.
    after: bool,
    /// The head's suffix class.
    sfx: &'static str,
    /// Whether the lexicon knows the cue (see [`CueLexicon::knows`]).
    known: bool,
}

impl<'a> CueWords<'a> {
    pub(crate) fn new(doc: &'a DocView, toks: &Range<usize>) -> Self {
        // Most cues are one word: its text, with nothing put together.
        let p = match &doc.tokens[toks.clone()] {
            [t] => std::borrow::Cow::Borrowed(t.norm.as_str()),
            ts => {
                let mut s = String::with_capacity(ts.iter().map(|t| t.norm.len() + 1).sum());
                for (k, t) in ts.iter().enumerate() {
                    if k > 0 {
                        s.push(' ');
                    }
                    s.push_str(&t.norm);
                }
                std::borrow::Cow::Owned(s)
            }
        };
        let hi = cue_head(doc, toks);
        let head = doc.tokens[hi].norm.as_str();
        let left = hi - toks.start;
        let after = &doc.tokens[hi + 1..toks.end];
        let sfx = if head.len() > 4 && head.ends_with("ing") {
            "ing"
        } else if head.len() > 3 && head.ends_with("ed") {
            "ed"
        } else if head.len() > 3 && head.ends_with('s') {
            "s"
        } else {
            "-"
        };
        CueWords {
            p,
            head,
            hi,
            stem: cue_stem(head),
            l1: (left > 0).then(|| doc.tokens[toks.start].norm.as_str()),
            right: after.last().map(|t| t.norm.as_str()),
            len: toks.len(),
            left,
            after: !after.is_empty(),
            sfx,
            known: true,
        }
    }

    /// The features that depend on the cue's words alone (the same wherever the cue stands),
    /// which [`AttributionModel`] caches by the cue's words.
    pub(crate) fn phrase_features(&self, f: &mut impl FeatureOut) {
        let (p, stem) = (&*self.p, self.stem);
        f.add(&["p=", p]);
        f.add(&["len=", itoa::Buffer::new().format(self.len)]);
        f.add(&["stem=", stem]);
        f.add(&["head=", self.head]);
        f.add(&["left=", DIGITS[self.left.min(3)]]);
        f.add(&["stem|left=", stem, "|", DIGITS[self.left.min(3)]]);
        if let Some(l1) = self.l1 {
            f.add(&["l1=", l1]);
        }
        match self.right {
            Some(r) => {
                f.add(&["right=", r]);
                f.add(&["stem|right=", stem, "|", r]);
            }
            None => f.add(&["right=-"]),
        }
        f.add(&["sfx=", self.sfx]);
        if word_in(&SEED_CUE_STEMS, stem) {
            f.add(&["seed"]);
        }
        if !self.known {
            f.add(&["oov"]);
            f.add(&["oov|sfx=", self.sfx]);
        }
    }

    /// The features of the cue in its sentence.
    pub(crate) fn context_features(
        &self,
        doc: &DocView,
        toks: &Range<usize>,
        f: &mut impl FeatureOut,
    ) {
        self.context_features_kept(doc, toks, &mut CueKept::default(), f);
    }

    /// [`CueWords::context_features`] with the features of `kept`'s slots taken from there when
    /// the cue has the head, or head and start, or head and end, of the last one (in the same
    /// document). The features come in the same order as without slots.
    pub(crate) fn context_features_kept(
        &self,
        doc: &DocView,
        toks: &Range<usize>,
        kept: &mut CueKept,
        f: &mut impl FeatureOut,
    ) {
        let hi = self.hi;
        if kept.head_key != Some(hi) {
            kept.head_key = Some(hi);
            kept.head = [None; 5];
            kept.frame = None;
        }
        if kept.start_key != Some((toks.start, hi)) {
            kept.start_key = Some((toks.start, hi));
            kept.start = [None; 12];
        }
        if kept.end_key != Some((toks.end, hi)) {
            kept.end_key = Some((toks.end, hi));
            kept.end = [None; 8];
        }
        let [k_first_sent, k_sent_has_quote, k_frame, k_frame_sfx, k_seed_frame] = &mut kept.head;
        let [k_pw1, k_pw2, k_pshape, k_inq, k_stem_pw1, k_aux_outside, k_cap, k_sent_start, k_pos, k_stem_pos, k_pw1_pron, k_sfx_pshape] =
            &mut kept.start;
        let [k_nw1, k_nw2, k_nshape, k_stem_nw1, k_part_outside, k_sent_end, k_that_after, k_stem_that_after] =
            &mut kept.end;
        let (p, stem) = (&*self.p, self.stem);
        let sent = &doc.sent_of(toks);
        let a = toks.start as isize;
        let b = toks.end as isize;
        let (pw1, pw2) = (doc.norm(a - 1, sent), doc.norm(a - 2, sent));
        let (nw1, nw2) = (doc.norm(b, sent), doc.norm(b + 1, sent));
        let shape = |i: isize| {
            if i >= sent.start as isize && i < sent.end as isize {
                doc.shape(i as usize)
            } else {
                "-"
            }
        };
        let inq = bool_str(doc.in_quote[toks.start]);
        let (pshape, nshape) = (shape(a - 1), shape(b));
        f.add_kept(k_pw1, &["pw1=", pw1]);
        f.add_kept(k_pw2, &["pw2=", pw2]);
        f.add_kept(k_nw1, &["nw1=", nw1]);
        f.add_kept(k_nw2, &["nw2=", nw2]);
        f.add(&["p|pw1=", p, "|", pw1]);
        f.add(&["p|nw1=", p, "|", nw1]);
        f.add_kept(k_pshape, &["pshape=", pshape]);
        f.add_kept(k_nshape, &["nshape=", nshape]);
        f.add(&["p|pshape=", p, "|", pshape]);
        f.add(&["p|nshape=", p, "|", nshape]);
        f.add_kept(k_inq, &["inq=", inq]);
        f.add(&["p|inq=", p, "|", inq]);
        f.add_kept(k_stem_nw1, &["stem|nw1=", stem, "|", nw1]);
        f.add_kept(k_stem_pw1, &["stem|pw1=", stem, "|", pw1]);
        if self.left == 0 && toks.start > sent.start && word_in(&CUE_LEFT_WORDS, pw1) {
            f.add_kept(k_aux_outside, &["aux_outside"]);
        }
        if toks.end < sent.end && word_in(&CUE_RIGHT_WORDS, nw1) && !self.after {
            f.add_kept(k_part_outside, &["part_outside=", nw1]);
        }
        f.add_kept(k_cap, &["cap=", shape(a)]);
        if a == sent.start as isize {
            f.add_kept(k_sent_start, &["sent_start"]);
        }
        // Where in its sentence: "Pat Caddell: …" headlines, "Marden charges that …".
        let pos = DIGITS[(toks.start - sent.start).min(6)];
        f.add_kept(k_pos, &["pos=", pos]);
        f.add_kept(k_stem_pos, &["stem|pos=", stem, "|", pos]);
        if doc.tok_sent[toks.start] == 0 {
            f.add_kept(k_first_sent, &["first_sent"]);
            f.add(&["p|first_sent=", p]);
        }
        if doc.tokens[toks.end..sent.end].iter().all(|t| t.is_punct()) {
            f.add_kept(k_sent_end, &["sent_end"]);
            f.add(&["p|sent_end=", p]);
        }
        if word_in(&PRONOUNS, pw1) {
            f.add_kept(k_pw1_pron, &["pw1_pron"]);
        }
        // A complement clause or an object after the cue ("said that", "warned of").
        if doc.tokens[toks.end..sent.end.min(toks.end + 3)]
            .iter()
            .any(|t| t.norm == "that")
        {
            f.add_kept(k_that_after, &["that_after"]);
            f.add_kept(k_stem_that_after, &["stem|that_after=", stem]);
        }
        f.add_kept(k_sfx_pshape, &["sfx|pshape=", self.sfx, "|", pshape]);
        if doc.sent_quote[doc.tok_sent[toks.start]] {
            f.add_kept(k_sent_has_quote, &["sent_has_quote"]);
            f.add(&["p|sent_has_quote=", p]);
        }
        // The reporting frame of the head, which weighs words the lexicon never saw.
        let frame = *kept
            .frame
            .get_or_insert_with(|| cue_frame(doc, sent, hi).unwrap_or("-"));
        f.add_kept(k_frame, &["frame=", frame]);
        f.add_kept(k_frame_sfx, &["frame|sfx=", frame, "|", self.sfx]);
        if word_in(&SEED_CUE_STEMS, stem) {
            f.add_kept(k_seed_frame, &["seed|frame=", frame]);
        }
    }
}

/// The columns of the features of a cue's own words ([`CueWords::phrase_features`]) in one
/// model's cue model (`owner`), by the cue's words: put together and hashed once per phrase on
/// each thread, not once per occurrence.
#[derive(Debug, Default)]
pub(crate) struct CuePhraseCache {
    owner: u64,
    /// The phrase's columns in `pool`: start and length.
    pub(crate) map: HashMap<String, (u32, u32), StrState>,
    pub(crate) pool: Vec<u32>,
}

impl CuePhraseCache {
    /// Phrases kept at most (the learned lexicon proposes a few thousand).
    const LIMIT: usize = 1 << 15;

    /// Makes the cache `owner`'s, emptied if it was another model's or is full.
    pub(crate) fn own(&mut self, owner: u64) {
        if self.owner != owner || self.map.len() >= Self::LIMIT {
            self.map.clear();
            self.pool.clear();
            self.owner = owner;
        }
    }

    /// Counts the columns of `w`'s phrase features in `f`.
    /// `known` tells whether the lexicon knows the phrase, asked on a miss only.
    pub(crate) fn add_phrase(
        &mut self,
        w: &mut CueWords,
        known: impl FnOnce() -> bool,
        f: &mut ColumnHasher,
    ) {
        let (a, n) = match self.map.get(&*w.p) {
            Some(&v) => v,
            None => {
                w.known = known();
                let a = self.pool.len();
                w.phrase_features(&mut ColumnHasher {
                    names: f.names,
                    model: f.model,
                    counts: &mut self.pool,
                });
                let v = (a as u32, (self.pool.len() - a) as u32);
                self.map.insert(w.p.clone().into_owned(), v);
                v
            }
        };
        f.counts
            .extend_from_slice(&self.pool[a as usize..(a + n) as usize]);
    }
}

thread_local! {
    pub(crate) static CUE_PHRASES: std::cell::RefCell<CuePhraseCache> =
        std::cell::RefCell::new(CuePhraseCache::default());
}
