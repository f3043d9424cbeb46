//! News sentence segmentation with spans into the original text.
//!
//! [`SentenceSplitter::split`] cuts a document into sentence units and returns, for each one, its
//! byte range and its character (Unicode code point) range in the original text, trimmed of
//! surrounding whitespace, and the index of the paragraph it belongs to. It is a single pass over
//! the text with small, bounded look-behind and look-ahead at candidate boundaries; it does not
//! allocate per character and never panics.
//!
//! ```
//! use whosaid::segment::SentenceSplitter;
//!
//! let text = "Sen. Bernie Sanders (I-Vt.) spoke. \"We will win,\" he said.\n\nSee also";
//! let units: Vec<&str> = SentenceSplitter::new()
//!     .split(text)
//!     .iter()
//!     .map(|s| s.text(text))
//!     .collect();
//! assert_eq!(
//!     units,
//!     ["Sen. Bernie Sanders (I-Vt.) spoke.", "\"We will win,\" he said.", "See also"]
//! );
//! ```
//!
//! # Rules
//!
//! Within a line the rules follow Stanford CoreNLP's tokenizer and sentence splitter, whose units
//! are the sentence units of the PolNeAR attribution corpus:
//!
//! - `.`, `?`, `!` (and runs such as `?!`) end a sentence, together with the closing quotes and
//!   brackets right after them: `He said, "We will win." Then he left.` splits after the closing
//!   quote, and so does `"We will win. We always do," he said.` (after `win.`), as in CoreNLP.
//! - A period inside a token does not end a sentence (`3.5`, `$1.2`, `U.S`, `example.com`), nor
//!   one followed by `,`, `;` or `:`, nor an ellipsis (`...`, `…`, `. . .`).
//! - Abbreviations, from CoreNLP's lists: titles, initials and dotted acronyms (`Sen.`, `Dr.`,
//!   `John F. Kennedy`, `J.K. Rowling`, `U.S.`, `a.m.`) end a sentence only before a word that
//!   usually starts one (`The`, `He`, `But`, ...); months, days and states (`Jan.`, `Calif.`,
//!   `etc.`) before any capitalised word; `No.`, `Vol.`, `Art.` never before a number; `vs.` and
//!   `a.k.a.` never.
//!
//! Where CoreNLP's units are plainly wrong for news we depart from them: company and name
//! suffixes (`Inc.`, `Corp.`, `Jr.`) are treated like titles (`Apple Inc. CEO Tim Cook`), an
//! abbreviation after a hyphen keeps its rule (`Sen. Bernie Sanders (I-Vt.) visited`, which
//! CoreNLP splits after the bracket), a doubled apostrophe `''` before a word opens a
//! quotation (in CoreNLP it always closes one, so it joins the previous sentence), and a
//! question or exclamation with its closing quotes before a lowercase word goes on (`"Why?" he
//! asked.` is one sentence; CoreNLP's split after the quotation cost the attribution model the
//! quotation of `"…?" said David Plouffe, …`; PolNeAR dev against CoreNLP's units: boundary F1
//! 96.3 -> 96.2, exact units 92.0 -> 91.7; attribution speaker F1 75.6 -> 75.7).
//!
//! Across lines (web captures break sentences over lines and bullets):
//!
//! - A blank line (or a form feed or U+2029) always ends a sentence and a paragraph, unless
//!   [`SentenceSplitter::join_across_blank_lines`] is set.
//! - A single line break is joined (the sentence goes on) when the next line, after any bullet
//!   marker (`•`, `-`, `*`, ...) and opening quotes, starts with a lowercase letter, or when the
//!   line ends with continuing punctuation (`,` `;` `:` `-` `(` ...), with a lowercase function
//!   word (`the`, `of`, `and`, `to`, ...), or with a title or initial (`Sen.`, `F.`), or when a
//!   line of at most six words ends with an office (`minister`, `spokesperson`, ...) and the
//!   next opens with a name followed by a comma or a lowercase word ("The Velnian Trade
//!   Minister | Ivo Marsk, said ...").
//! - Otherwise a line break ends the sentence: a headline or a line of page furniture without
//!   final punctuation ("See also ...", "Share", a timestamp) is a unit of its own.
//!
//! Paragraph indices start at 0 and increase at every blank line and at every line break that is
//! not joined.

use std::ops::Range;

/// A sentence (or other unit, such as a headline or a line of page furniture) of a document.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Sentence {
    /// Byte range in the original text (trimmed of surrounding whitespace).
    pub bytes: Range<usize>,
    /// Character (Unicode code point) range in the original text.
    pub chars: Range<usize>,
    /// Index of the paragraph it belongs to: paragraphs are separated by blank lines, and by line
    /// breaks that are not joined into a sentence (see the [module documentation](self)).
    pub paragraph: usize,
}

impl Sentence {
    /// The sentence's text, given the document it was split from (empty if `text` is not that
    /// document and the range does not fit it).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.bytes.clone()).unwrap_or("")
    }
}

/// Splits news text into sentences; see the [module documentation](self) for the rules.
#[derive(Clone, Debug, Default)]
pub struct SentenceSplitter {
    join_across_blank_lines: bool,
}

impl SentenceSplitter {
    /// A splitter with the default rules (a blank line always ends a sentence).
    pub fn new() -> Self {
        Self::default()
    }

    /// With `true`, a blank line inside a sentence is treated like a single line break: it is
    /// joined when the next paragraph starts lowercase or the previous one ends with continuing
    /// punctuation or a function word (some web captures put blank lines between the fragments
    /// of one sentence: "According to President Vladimir Putin\n\nthe process's objective is
    /// ..."). Off by default.
    pub fn join_across_blank_lines(mut self, on: bool) -> Self {
        self.join_across_blank_lines = on;
        self
    }

    /// Splits `text` into sentences in order; never panics on any input; spans are on char
    /// boundaries, non-empty, non-overlapping, increasing, and together cover every
    /// non-whitespace character of the text exactly once.
    pub fn split(&self, text: &str) -> Vec<Sentence> {
        let spans = byte_spans(text, self.join_across_blank_lines);
        let b = text.as_bytes();
        let mut out = Vec::with_capacity(spans.len());
        let (mut byte_pos, mut char_pos) = (0usize, 0usize);
        for (s, e, paragraph) in spans {
            char_pos += count_chars(&b[byte_pos..s]);
            let cs = char_pos;
            char_pos += count_chars(&b[s..e]);
            byte_pos = e;
            out.push(Sentence {
                bytes: s..e,
                chars: cs..char_pos,
                paragraph,
            });
        }
        out
    }
}

/// Number of code points in a UTF-8 byte slice (that starts and ends on char boundaries).
fn count_chars(b: &[u8]) -> usize {
    b.iter().filter(|&&x| (x & 0xC0) != 0x80).count()
}

/// The sentence spans of `text` as (start byte, end byte, paragraph).
fn byte_spans(text: &str, join_blank: bool) -> Vec<(usize, usize, usize)> {
    let mut sc = Scanner {
        text,
        join_blank,
        out: Vec::with_capacity(text.len() / 120 + 1),
        start: None,
        para: 0,
        para_break: false,
    };
    sc.run();
    sc.out
}

/// The state of one pass over a text.
struct Scanner<'a> {
    text: &'a str,
    join_blank: bool,
    /// Sentences found so far: (start byte, end byte, paragraph).
    out: Vec<(usize, usize, usize)>,
    /// Start of the open sentence, if any.
    start: Option<usize>,
    /// Paragraph of the open (or next) sentence.
    para: usize,
    /// Whether a paragraph break was seen since the last sentence ended.
    para_break: bool,
}

impl Scanner<'_> {
    fn run(&mut self) {
        let text = self.text;
        let b = text.as_bytes();
        let n = b.len();
        let mut i = 0usize;
        while i < n {
            let c = b[i];
            let Some(s) = self.start else {
                i = self.between(i);
                continue;
            };
            match c {
                b'.' | b'?' | b'!' => {
                    let (end, boundary) = terminal(text, i);
                    // Punctuation that starts a unit does not end it.
                    if boundary && i > s {
                        self.close(s, end);
                    }
                    i = end.max(i + 1);
                }
                b'\n' | b'\r' | 0x0B | 0x0C => i = self.line_break(s, i),
                // U+0085 next line
                0xC2 if b.get(i + 1) == Some(&0x85) => i = self.line_break(s, i),
                // U+2028 line separator, U+2029 paragraph separator
                0xE2 if b.get(i + 1) == Some(&0x80)
                    && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) =>
                {
                    i = self.line_break(s, i)
                }
                // Ideographic full stop, fullwidth exclamation and question marks.
                0xE3 | 0xEF if is_cjk_terminal(b, i) => {
                    let end = attach_followers(text, i + 3);
                    self.close(s, end);
                    i = end;
                }
                _ => i += 1,
            }
        }
        if let Some(s) = self.start {
            self.close(s, n);
        }
    }

    /// Between sentences at `i`: skips whitespace (noting paragraph breaks) or opens a sentence
    /// at the first other character. Returns the next position.
    fn between(&mut self, i: usize) -> usize {
        let c = self.text.as_bytes()[i];
        let ch = if c < 0x80 {
            c as char
        } else {
            match char_at(self.text, i) {
                Some(ch) => ch,
                None => return i + 1, // not reached: `i` is always on a char boundary
            }
        };
        if ch.is_whitespace() {
            if is_line_break(ch) {
                let (j, blank) = line_break_run(self.text, i);
                if blank || !next_line_continues(self.text, j) {
                    self.para_break = true;
                }
                return j;
            }
            return i + ch.len_utf8();
        }
        if self.para_break && !self.out.is_empty() {
            self.para += 1;
        }
        self.para_break = false;
        self.start = Some(i);
        i
    }

    /// Ends the open sentence that started at `s` at `end` (trimmed of trailing whitespace).
    fn close(&mut self, s: usize, end: usize) {
        let e = trim_end(self.text, s, end);
        if e > s {
            self.out.push((s, e, self.para));
        }
        self.start = None;
    }

    /// Handles a line break at `i` inside the sentence that started at `s`: joins the next line
    /// or ends the sentence. Returns the next position.
    fn line_break(&mut self, s: usize, i: usize) -> usize {
        let (j, blank) = line_break_run(self.text, i);
        if j < self.text.len() && (!blank || self.join_blank) && join_lines(self.text, s, i, j) {
            return j;
        }
        self.close(s, i);
        self.para_break = true;
        j
    }
}

fn is_cjk_terminal(b: &[u8], i: usize) -> bool {
    matches!(
        (b[i], b.get(i + 1), b.get(i + 2)),
        (0xE3, Some(0x80), Some(0x82)) | (0xEF, Some(0xBC), Some(0x81 | 0x9F))
    )
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Scans the whitespace run starting at the line break at `i`; returns its end and whether it
/// holds a blank line (two or more line breaks, a form feed or a paragraph separator).
fn line_break_run(text: &str, i: usize) -> (usize, bool) {
    let b = text.as_bytes();
    let mut j = i;
    let mut breaks = 0u32;
    while j < b.len() {
        let c = b[j];
        if c < 0x80 {
            match c {
                b'\n' | 0x0B => breaks += 1,
                b'\r' => {
                    if b.get(j + 1) != Some(&b'\n') {
                        breaks += 1;
                    }
                }
                0x0C => breaks += 2,
                b' ' | b'\t' => {}
                _ => break,
            }
            j += 1;
        } else {
            match char_at(text, j) {
                Some(ch) if ch.is_whitespace() => {
                    match ch {
                        '\u{85}' | '\u{2028}' => breaks += 1,
                        '\u{2029}' => breaks += 2,
                        _ => {}
                    }
                    j += ch.len_utf8();
                }
                _ => break,
            }
        }
    }
    (j, breaks >= 2)
}

/// Whether the line starting at `j` continues the previous one whatever it ended with: its first
/// letter (after bullets and opening quotes) is lowercase.
fn next_line_continues(text: &str, j: usize) -> bool {
    matches!(first_significant(text, j), Some(c) if c.is_lowercase())
}

/// The first character of the line at `j` after whitespace, bullet markers and opening quotes or
/// brackets.
fn first_significant(text: &str, j: usize) -> Option<char> {
    let rest = text.get(j..)?;
    let mut it = rest.chars().peekable();
    let mut steps = 0;
    while let Some(&c) = it.peek() {
        steps += 1;
        if steps > 16 {
            return Some(c);
        }
        if c.is_whitespace() && !is_line_break(c) {
            it.next();
            continue;
        }
        if is_bullet(c) || is_opening(c) || c == '"' || c == '\'' {
            it.next();
            continue;
        }
        if matches!(c, '-' | '*' | '+' | '>' | '–' | '—') {
            it.next();
            match it.peek() {
                Some(&d) if d.is_whitespace() => continue,
                _ => return Some(c),
            }
        }
        return Some(c);
    }
    None
}

fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '◦'
            | '▪'
            | '▫'
            | '‣'
            | '⁃'
            | '·'
            | '●'
            | '○'
            | '■'
            | '□'
            | '►'
            | '▶'
            | '➢'
            | '✓'
            | '✔'
            | '→'
            | '◆'
            | '♦'
    )
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '“'
            | '‘'
            | '«'
            | '‹'
            | '„'
            | '‚'
            | '「'
            | '『'
            | '（'
            | '［'
            | '¿'
            | '¡'
    )
}

/// Whether `c` closes a quotation or bracket (it attaches to the sentence before it).
fn is_closing(c: char) -> bool {
    matches!(
        c,
        ')' | ']'
            | '}'
            | '>'
            | '”'
            | '’'
            | '»'
            | '›'
            | '」'
            | '』'
            | '〉'
            | '》'
            | '）'
            | '］'
            | '｝'
            | '＞'
    )
}

/// Decides whether the single line break at `i` (the next line starting at `j`) continues the
/// sentence that started at `s`.
fn join_lines(text: &str, s: usize, i: usize, j: usize) -> bool {
    let next = first_significant(text, j);
    if matches!(next, Some(c) if c.is_lowercase()) {
        return true;
    }
    let e = trim_end(text, s, i);
    let Some(last) = char_before(text, e) else {
        return false;
    };
    match last {
        ',' | ';' | ':' | '-' | '–' | '—' | '(' | '[' | '/' | '&' | '+' | '=' | '“' | '‘' => {
            true
        }
        '.' => {
            // The period did not end the sentence: an abbreviation, initial or number.
            let Some(w) = word_before(text, s, e - 1) else {
                return false;
            };
            let lw = Lower::new(w);
            if is_abbrev4(&lw) || is_title(w, &lw) || is_single_letter(w) {
                return true;
            }
            let digit_next = matches!(next, Some(c) if c.is_ascii_digit());
            digit_next && (is_abbrev3(&lw) || is_abbrev1(w, &lw))
        }
        c if c.is_alphabetic() => word_before(text, s, e).is_some_and(|w| {
            is_function_word(w) || (is_office(w) && title_before_name(text, s, e, j))
        }),
        _ => false,
    }
}

/// Offices a short line can end with when the name of its holder opens the next one ("The
/// Velnian Foreign Minister | Ivo Marsk, said …").
#[rustfmt::skip]
const OFFICES: &[&str] = &[
    "minister", "president", "secretary", "spokesman", "spokeswoman", "spokesperson", "chairman",
    "chairwoman", "chair", "director", "governor", "senator", "ambassador", "adviser", "advisor",
    "chancellor", "premier", "mayor", "commander", "chief", "envoy", "representative",
];

fn is_office(w: &str) -> bool {
    w.len() <= 12 && OFFICES.contains(&w.to_ascii_lowercase().as_str())
}

/// Whether the line `text[s..e]`, which ends with an office, is the start of a sentence whose
/// subject runs on to the next line (starting at `j`): the line has at most six words and opens
/// with an article or a capitalised word, and the next line opens with a name of two or more
/// capitalised words that a comma or a lowercase word follows ("Ivo Marsk, said", "Ivo Marsk
/// said"), not a headline in capitals or a new sentence's single capitalised word.
fn title_before_name(text: &str, s: usize, e: usize, j: usize) -> bool {
    let line = &text[s..e];
    if line.split_whitespace().count() > 6 || !line.starts_with(char::is_uppercase) {
        return false;
    }
    let next = text[j..].trim_start();
    let mut words = next.split_whitespace();
    let mut names = 0;
    for w in words.by_ref().take(4) {
        let (name, comma) = match w.strip_suffix(',') {
            Some(n) => (n, true),
            None => (w, false),
        };
        let capitalised = name.starts_with(char::is_uppercase)
            && name.chars().skip(1).any(char::is_lowercase)
            && name
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
        if !capitalised {
            return names >= 2 && w.starts_with(char::is_lowercase);
        }
        names += 1;
        if comma {
            return names >= 2;
        }
    }
    false
}

/// Lowercase function words that do not end a sentence: a line ending with one continues.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "into", "onto",
    "over", "under", "about", "after", "before", "between", "through", "during", "without",
    "within", "against", "among", "across", "along", "around", "behind", "beyond", "despite",
    "toward", "towards", "upon", "via", "per", "as", "than", "and", "or", "but", "nor", "if",
    "that", "which", "who", "whom", "whose", "where", "when", "while", "because", "since",
    "although", "though", "unless", "until", "whether", "is", "are", "was", "were", "be", "been",
    "being", "am", "has", "have", "had", "do", "does", "did", "will", "would", "shall", "should",
    "can", "could", "may", "might", "must", "not", "its", "his", "her", "their", "our", "my",
    "your", "this", "these", "those", "such", "said", "says", "say", "told", "also", "very", "more",
    "most", "all", "any", "each", "every", "some", "both", "either", "neither", "including", "like",
];

fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.contains(&w)
}

/// The position just past the last non-whitespace character of `text[s..e]` (at least `s`).
fn trim_end(text: &str, s: usize, mut e: usize) -> usize {
    while e > s {
        match char_before(text, e) {
            Some(c) if c.is_whitespace() => e -= c.len_utf8(),
            _ => break,
        }
    }
    e
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

/// The word that ends at `e` (looking back no further than `s`), for abbreviation checks: the
/// whitespace-delimited token before `e` without leading quotes, brackets and dashes, or, for a
/// hyphenated token, its part after the last hyphen (`D-Calif` gives `Calif`). `None` when the
/// token is not a plain word: it is empty, does not end with a letter or digit, or holds an
/// apostrophe or a symbol such as `&`, `/` or `@` (`AT&T`, `Clinton's`).
fn word_before(text: &str, s: usize, e: usize) -> Option<&str> {
    let head = text.get(s..e)?;
    let mut start = head.len();
    for (count, (k, c)) in head.char_indices().rev().enumerate() {
        if c.is_whitespace() || count >= 48 {
            break;
        }
        start = k;
    }
    let tok = head[start..].trim_start_matches(|c: char| {
        is_opening(c)
            || matches!(
                c,
                '"' | '\'' | '’' | '`' | '—' | '–' | '―' | '-' | '.' | '…' | '*'
            )
    });
    let w = tok
        .rsplit(['-', '\u{2010}', '\u{2011}'])
        .next()
        .unwrap_or(tok);
    let last = w.chars().next_back()?;
    if !last.is_alphanumeric() || !w.chars().all(|c| c.is_alphanumeric() || c == '.') {
        // Dotted acronyms may hold an ampersand ("S.&P").
        if !(w.contains(".&") && is_acronym(w)) {
            return None;
        }
    }
    Some(w)
}

/// A lowercased ASCII copy of a short word, on the stack.
struct Lower {
    buf: [u8; 16],
    len: usize,
}

impl Lower {
    fn new(w: &str) -> Self {
        let mut buf = [0u8; 16];
        if w.len() > 16 || !w.is_ascii() {
            return Lower { buf, len: 0 };
        }
        for (d, s) in buf.iter_mut().zip(w.bytes()) {
            *d = s.to_ascii_lowercase();
        }
        Lower { buf, len: w.len() }
    }
    fn get(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// `[A-Za-z](\.&?[A-Za-z])*`: a single letter or dotted acronym (`F`, `U.S`, `a.m`, `S.&P`).
fn is_acronym(w: &str) -> bool {
    let mut parts = w.split('.');
    let single = |p: &str| {
        let p = p.strip_prefix('&').unwrap_or(p);
        p.len() == 1 && p.as_bytes()[0].is_ascii_alphabetic()
    };
    match parts.next() {
        Some(first) if first.len() == 1 && single(first) => parts.all(single),
        _ => false,
    }
}

/// Dotted acronyms of places and times, which often end a sentence.
const PLACES_AND_TIMES: &[&[u8]] = &[
    b"u.s", b"u.k", b"d.c", b"n.y", b"n.j", b"n.h", b"n.c", b"s.c", b"n.d", b"s.d", b"n.m", b"r.i",
    b"a.m", b"p.m",
];
const PLACES_AND_TIMES_KEYS: [u64; 8] = keys_of(PLACES_AND_TIMES);

/// `list.contains(&w)` for the lists below, with `keys` the list's [`keys_of`]: a word whose
/// length and first byte no entry has is rejected at once, and an entry is rejected on its first
/// byte and length before comparing the rest (most words are in no list).
#[inline]
fn listed(list: &[&[u8]], keys: &[u64; 8], w: &[u8]) -> bool {
    match w.split_first() {
        None => list.contains(&w),
        Some((&first, rest)) => {
            let k = key_of(w.len(), first);
            keys[k / 64] & (1 << (k % 64)) != 0
                && list
                    .iter()
                    .any(|t| t.len() == w.len() && t.first() == Some(&first) && &t[1..] == rest)
        }
    }
}

/// The bit of a word of length `len` and first byte `first` in [`keys_of`] (words that share it
/// are told apart by comparing them).
pub(crate) const fn key_of(len: usize, first: u8) -> usize {
    (len & 15) * 32 + (first & 31) as usize
}

/// The bits ([`key_of`]) of the lengths and first bytes of the words of `list`.
const fn keys_of(list: &[&[u8]]) -> [u64; 8] {
    let mut keys = [0u64; 8];
    let mut i = 0;
    while i < list.len() {
        let w = list[i];
        if !w.is_empty() {
            let k = key_of(w.len(), w[0]);
            keys[k / 64] |= 1 << (k % 64);
        }
        i += 1;
    }
    keys
}

fn is_place_or_time(lw: &Lower) -> bool {
    listed(PLACES_AND_TIMES, &PLACES_AND_TIMES_KEYS, lw.get())
}

fn is_single_letter(w: &str) -> bool {
    w.len() == 1 && w.as_bytes()[0].is_ascii_alphabetic()
}

// The abbreviation lists below follow CoreNLP's PTBLexer (lowercased: they match any case, except
// the few listed with their exact case, which are also common words or names in lowercase).

/// The length of the longest undotted abbreviation in the lists below.
const MAX_ABBREV_LEN: usize = 7;

/// Person titles and the like (ABTITLE): never sentence-final before a name.
const TITLES: &[&[u8]] = &[
    b"mr", b"mrs", b"ms", b"mx", b"dr", b"drs", b"prof", b"profs", b"sen", b"sens", b"rep",
    b"reps", b"atty", b"attys", b"lt", b"col", b"gen", b"messrs", b"gov", b"govs", b"adm", b"rev",
    b"fr", b"rt", b"maj", b"sgt", b"cpl", b"pvt", b"capt", b"st", b"sta", b"ste", b"ave", b"pres",
    b"lieut", b"hon", b"brig", b"cmdr", b"comdr", b"pfc", b"spc", b"supt", b"supts", b"det", b"mt",
    b"ft", b"adj", b"adv", b"asst", b"assoc", b"ens", b"insp", b"mlle", b"mme", b"msgr", b"sfc",
    b"amb", b"ven", b"br", b"eng",
];
const TITLES_KEYS: [u64; 8] = keys_of(TITLES);
const TITLES_EXACT: &[&str] = &["Miss", "Smt"];

/// Other abbreviations usually followed by a capitalised word (ABCOMP2).
const ABBREV2_OTHER: &[&[u8]] = &[
    b"invt", b"elec", b"natl", b"mfg", b"mtg", b"dept", b"blvd", b"rd", b"viz", b"exh", b"exhs",
    b"govt", b"wm", b"jos", b"cie", b"cf", b"treas", b"syn", b"def", b"mk", b"soc",
];
const ABBREV2_OTHER_KEYS: [u64; 8] = keys_of(ABBREV2_OTHER);
const ABBREV2_EXACT: &[&str] = &["Pl", "Ph", "Sc", "v"];

/// Months, days, states and others usually followed by a lowercase word (ABBREV1).
const ABBREV1: &[&[u8]] = &[
    b"jan", b"feb", b"mar", b"apr", b"jun", b"jul", b"aug", b"sep", b"sept", b"oct", b"nov",
    b"dec", b"mon", b"tue", b"tues", b"wed", b"thu", b"thurs", b"fri", b"ala", b"ariz", b"calif",
    b"colo", b"conn", b"ct", b"dak", b"fla", b"ga", b"ind", b"kan", b"kans", b"ky", b"md", b"mich",
    b"minn", b"mo", b"mont", b"neb", b"nev", b"okla", b"penn", b"tenn", b"va", b"vt", b"wis",
    b"wisc", b"wyo", b"inc", b"co", b"cos", b"corp", b"pty", b"ptys", b"pte", b"ptes", b"ltd",
    b"plc", b"bancorp", b"bhd", b"assn", b"univ", b"intl", b"sys", b"tel", b"est", b"ext", b"sq",
    b"jr", b"sr", b"bros", b"ed.d", b"ph.d", b"b.sc", b"d.sc", b"m.sc", b"ll.b", b"ll.d", b"ll.m",
    b"esq", b"sci", b"sp", b"spp", b"ssp", b"sspp", b"subsp", b"aff", b"var", b"etc", b"ect",
    b"al", b"seq", b"bldg", b"pls", b"wrt", b"orig", b"incl", b"kr", b"eg", b"avg", b"pl", b"cir",
    b"lb", b"cit",
];
const ABBREV1_KEYS: [u64; 8] = keys_of(ABBREV1);
const ABBREV1_EXACT: &[&str] = &[
    "Az", "Ark", "Del", "Ill", "La", "Mass", "Miss", "Ore", "Pa", "Tex", "Wash", "fl", "min",
    "max", "tsp", "tbsp",
];

/// Company and name suffixes, often followed by a capitalised word that does not start a
/// sentence ("Apple Inc. CEO Tim Cook"); CoreNLP treats them as ABBREV1.
const SUFFIXES: &[&[u8]] = &[
    b"inc", b"corp", b"co", b"cos", b"ltd", b"plc", b"jr", b"sr", b"bros", b"llc",
];
const SUFFIXES_KEYS: [u64; 8] = keys_of(SUFFIXES);

/// Abbreviations only before a number: `No. 2`, `Vol. 3` (ABBREV3).
const ABBREV3: &[&[u8]] = &[
    b"ca", b"ch", b"chs", b"fig", b"figs", b"prop", b"no", b"nos", b"nr", b"nrs", b"vol", b"vols",
    b"sec", b"secs", b"sect", b"sects", b"art", b"arts", b"para", b"paras", b"bldg", b"pp", b"op",
    b"approx", b"rs", b"apt", b"rt", b"res", b"pt",
];
const ABBREV3_KEYS: [u64; 8] = keys_of(ABBREV3);

/// Words after which a title or acronym such as `U.S.` is taken to end its sentence (CoreNLP's
/// list, with a capital first letter).
#[rustfmt::skip]
const SENTENCE_STARTS: &[&[u8]] = &[
    b"a", b"about", b"according", b"additionally", b"after", b"all", b"also", b"although", b"an",
    b"another", b"as", b"at", b"before", b"both", b"but", b"by", b"did", b"during", b"each",
    b"earlier", b"following", b"for", b"from", b"he", b"her", b"here", b"his", b"how", b"however",
    b"if", b"in", b"it", b"its", b"last", b"later", b"many", b"more", b"most", b"now", b"on",
    b"once", b"one", b"other", b"our", b"she", b"since", b"so", b"some", b"such", b"that", b"the",
    b"their", b"then", b"there", b"these", b"they", b"this", b"two", b"under", b"upon", b"we",
    b"when", b"while", b"what", b"who", b"why", b"yet", b"you",
];
const SENTENCE_STARTS_KEYS: [u64; 8] = keys_of(SENTENCE_STARTS);

fn is_title(w: &str, lw: &Lower) -> bool {
    listed(TITLES, &TITLES_KEYS, lw.get()) || TITLES_EXACT.contains(&w)
}

/// Whether the word `w` (as written, without its dot) is a title that stands before a name
/// ("Rep", "Gen", "Mrs", and "Del" for a delegate, which the splitter lists as Delaware): a
/// speaker's mention does not end with one.
pub(crate) fn is_name_title(w: &str) -> bool {
    w == "Del" || is_title(w, &Lower::new(w))
}

/// ABBREV2: titles, acronyms and some others, usually followed by a capitalised word.
fn is_abbrev2(w: &str, lw: &Lower) -> bool {
    is_title(w, lw)
        || is_acronym(w)
        || listed(ABBREV2_OTHER, &ABBREV2_OTHER_KEYS, lw.get())
        || ABBREV2_EXACT.contains(&w)
}

/// ABBREV1: before a capitalised word they end the sentence.
fn is_abbrev1(w: &str, lw: &Lower) -> bool {
    listed(ABBREV1, &ABBREV1_KEYS, lw.get()) || ABBREV1_EXACT.contains(&w)
}

fn is_suffix(lw: &Lower) -> bool {
    listed(SUFFIXES, &SUFFIXES_KEYS, lw.get())
}

fn is_abbrev3(lw: &Lower) -> bool {
    listed(ABBREV3, &ABBREV3_KEYS, lw.get())
}

/// Whether `w` is in one of the abbreviation lists.
fn is_known(w: &str) -> bool {
    let lw = Lower::new(w);
    is_abbrev1(w, &lw) || is_abbrev2(w, &lw) || is_abbrev3(&lw) || is_abbrev4(&lw)
}

/// ABBREV4: never sentence-final.
fn is_abbrev4(lw: &Lower) -> bool {
    matches!(lw.get(), b"vs" | b"a.k.a")
}

fn starts_sentence(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_uppercase())
        && listed(
            SENTENCE_STARTS,
            &SENTENCE_STARTS_KEYS,
            Lower::new(word).get(),
        )
}

/// Whether the text after the period at `p` (exclusive) starts, after whitespace, with a word
/// that typically begins a sentence, followed by whitespace, `?` or `!`.
fn followed_by_sentence_start(text: &str, p: usize) -> bool {
    let Some(rest) = text.get(p..) else {
        return false;
    };
    let t = rest.trim_start();
    if t.len() == rest.len() {
        return false; // no whitespace
    }
    if t.starts_with('<') {
        return true;
    }
    let wlen = t
        .bytes()
        .take(14)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if wlen == 0 {
        return false;
    }
    let word = &t[..wlen];
    let after = t[wlen..].chars().next();
    if matches!(word, "Mr" | "Mrs" | "Ms") {
        return t[wlen..].starts_with('.')
            && matches!(t[wlen + 1..].chars().next(), Some(c) if ends_word(c));
    }
    starts_sentence(word) && matches!(after, Some(c) if ends_word(c))
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || c == '?' || c == '!'
}

/// Whether the text after `p` is whitespace, then an opening quote and a capital letter.
fn followed_by_quotation(text: &str, p: usize) -> bool {
    let Some(rest) = text.get(p..) else {
        return false;
    };
    let t = rest.trim_start();
    if t.len() == rest.len() {
        return false;
    }
    let mut cs = t.chars();
    matches!(cs.next(), Some('"' | '“' | '‘')) && matches!(cs.next(), Some(c) if c.is_uppercase())
}

/// Decides the terminal punctuation at `i` (`.`, `?` or `!`). Returns the position where the
/// sentence ends (past the punctuation and any closing quotes and brackets) and whether it ends
/// there; when not, the position is past the punctuation run.
fn terminal(text: &str, i: usize) -> (usize, bool) {
    let b = text.as_bytes();
    let n = b.len();
    if b[i] == b'.' {
        let mut r = i;
        while r < n && b[r] == b'.' {
            r += 1;
        }
        if r - i >= 3 {
            return (r, false); // ellipsis
        }
        // Spaced ellipsis ". . ."
        if r - i == 1 && b.get(i + 1..i + 5) == Some(b" . .") {
            return (i + 5, false);
        }
        let next = char_at(text, r);
        match next {
            Some(c) if c.is_ascii_digit() => return (r, false),
            Some(c) if c.is_alphanumeric() => {
                if matches!(char_before(text, i), Some(p) if p.is_alphanumeric()) {
                    return (r, false);
                }
            }
            Some(',' | ';' | ':') => return (r, false),
            Some('-' | '\u{2010}' | '\u{2011}') => {
                if matches!(char_at(text, r + 1), Some(c) if c.is_alphanumeric()) {
                    return (r, false);
                }
            }
            _ => {}
        }
        if r - i == 1 && !period_ends(text, i) {
            return (r, false);
        }
        // "personnel.. on the territory": a doubled period before a lowercase word.
        if r - i == 2 && followed_by_lowercase(text, r) {
            return (r, false);
        }
        let end = attach_followers(text, r);
        // "Rep. Ilse Marr (D-Vel.), who …": no sentence starts with a comma or a semicolon.
        if end > r && followed_by_continuation(text, end) {
            return (end, false);
        }
        (end, true)
    } else {
        let mut r = i;
        while r < n && matches!(b[r], b'?' | b'!') {
            r += 1;
        }
        if matches!(char_at(text, r), Some(c) if c.is_alphanumeric()) {
            return (r, false);
        }
        // "“Who do you trust?” said David Plouffe": a quotation's question or exclamation
        // before a lowercase word goes on (CoreNLP splits there).
        let end = attach_followers(text, r);
        if end > r && followed_by_lowercase(text, end) {
            return (end, false);
        }
        if r - i == 1 && b[i] == b'!' {
            let w = word_before(text, i.saturating_sub(16), i).unwrap_or("");
            if w.eq_ignore_ascii_case("yahoo")
                || w.eq_ignore_ascii_case("jeopardy")
                || w.eq_ignore_ascii_case("e")
            {
                return (r, false);
            }
        }
        (end, true)
    }
}

/// Whether the first character after `p` and any spaces or tabs is a comma or a semicolon.
fn followed_by_continuation(text: &str, p: usize) -> bool {
    let t = text.get(p..).unwrap_or("").trim_start_matches([' ', '\t']);
    matches!(t.chars().next(), Some(',' | ';'))
}

/// Whether the first character after `p` and any spaces or tabs is a lowercase letter.
fn followed_by_lowercase(text: &str, p: usize) -> bool {
    let t = text.get(p..).unwrap_or("").trim_start_matches([' ', '\t']);
    matches!(t.chars().next(), Some(c) if c.is_lowercase())
}

/// Whether the single period at `i` (followed by whitespace, punctuation or the end) ends a
/// sentence, given the word before it.
fn period_ends(text: &str, i: usize) -> bool {
    let lo = i.saturating_sub(64);
    let lo = (lo..=i).find(|&k| text.is_char_boundary(k)).unwrap_or(i);
    let Some(mut w) = word_before(text, lo, i) else {
        return true;
    };
    if w.as_bytes()[w.len() - 1].is_ascii_digit() {
        return true;
    }
    let dotted = w.contains('.');
    if !dotted && w.len() > MAX_ABBREV_LEN {
        return true; // a plain word longer than any abbreviation
    }
    if is_abbrev4(&Lower::new(w)) {
        return false;
    }
    // "W.Va": a dotted word that is neither an acronym nor known is judged by its last part.
    if dotted && !is_acronym(w) && !is_known(w) {
        if let Some(d) = w.rfind('.') {
            w = &w[d + 1..];
        }
    }
    let lw = Lower::new(w);
    if lw.len == 0 {
        return true;
    }
    let p = i + 1;
    let abbrev2 = is_abbrev2(w, &lw);
    if abbrev2 {
        if followed_by_sentence_start(text, p) {
            return true;
        }
        // "..., R-S.C. \"I get that": a place or time acronym before a quotation.
        if is_place_or_time(&lw) && followed_by_quotation(text, p) {
            return true;
        }
    }
    let rest = text.get(p..).unwrap_or("");
    if is_abbrev3(&lw) {
        let mut cs = rest.chars();
        let c1 = cs.next();
        let digit = match c1 {
            Some(c) if c.is_ascii_digit() => true,
            Some(c) if c.is_whitespace() => matches!(cs.next(), Some(d) if d.is_ascii_digit()),
            _ => false,
        };
        if digit {
            return false;
        }
    }
    if matches!(lw.get(), b"so" | b"no") {
        let t = rest.trim_start();
        if t.len() < rest.len()
            && (t.starts_with("Africa") || t.starts_with("Korea") || t.starts_with("Cal"))
        {
            return false;
        }
    }
    if matches!(lw.get(), b"pty" | b"pte" | b"pvt" | b"co") {
        let t = rest.strip_prefix(' ').unwrap_or("");
        let tl = Lower::new(t.get(..3).unwrap_or(""));
        if matches!(tl.get(), b"ltd" | b"lim" | b"llc") {
            return false;
        }
    }
    if is_suffix(&lw) {
        // "Apple Inc. CEO Tim Cook", "Martin Luther King Jr. Day": CoreNLP would end the
        // sentence before any capital; we do only before a word that starts sentences.
        return followed_by_sentence_start(text, p) || rest.trim().is_empty();
    }
    if w == "Del" {
        // "said Del. Stacey Plaskett": after a verb of saying, "Del." is a delegate's title, not
        // Delaware ending a sentence (CoreNLP splits here; the speaker would be lost).
        let before = text.get(..i - w.len()).unwrap_or("").trim_end();
        let verb = word_before(text, lo, lo.max(before.len())).unwrap_or("");
        if matches!(
            verb,
            "said" | "says" | "added" | "adds" | "told" | "asked" | "wrote" | "to" | "by"
        ) {
            return false;
        }
    }
    if is_abbrev1(w, &lw) {
        let mut cs = rest.chars();
        return match cs.next() {
            None => true,
            Some(c) if c.is_whitespace() => match cs.next() {
                None => true,
                Some(d) => d.is_whitespace() || d.is_uppercase() || d == '<',
            },
            Some(_) => false,
        };
    }
    !abbrev2
}

/// Extends a sentence end at `p` over closing quotes and brackets (possibly after spaces on the
/// same line) and over further terminal punctuation right after them.
fn attach_followers(text: &str, mut p: usize) -> usize {
    let b = text.as_bytes();
    let n = b.len();
    loop {
        let mut q = p;
        while q < n {
            match b[q] {
                b' ' | b'\t' => q += 1,
                0xC2 if b.get(q + 1) == Some(&0xA0) => q += 2,
                _ => break,
            }
        }
        let Some(c) = char_at(text, q) else {
            return p;
        };
        if is_closing(c) {
            p = q + c.len_utf8();
            continue;
        }
        if c == '"' || c == '\'' {
            let mut r = q + 1;
            if c == '\'' && b.get(r) == Some(&b'\'') {
                r += 1;
            }
            match char_at(text, r) {
                Some(d) if d.is_alphanumeric() || d == '$' => return p,
                _ => {
                    p = r;
                    continue;
                }
            }
        }
        if q == p && matches!(c, '.' | '?' | '!') {
            // `"Why?".`: punctuation right after a closing quote belongs to the same sentence,
            // unless it starts an ellipsis.
            let mut r = q;
            while r < n && matches!(b[r], b'.' | b'?' | b'!') {
                r += 1;
            }
            let spaced = b.get(r) == Some(&b' ') && b.get(r + 1) == Some(&b'.');
            if b[q..r].starts_with(b"...") || (c == '.' && spaced) {
                return p;
            }
            p = r;
            continue;
        }
        return p;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, HashSet};
    use std::path::PathBuf;

    fn texts(text: &str) -> Vec<&str> {
        SentenceSplitter::new()
            .split(text)
            .iter()
            .map(|s| s.text(text))
            .collect()
    }

    #[test]
    fn quotations_follow_corenlp() {
        assert_eq!(
            texts("He said, \"We will win.\" Then he left."),
            ["He said, \"We will win.\"", "Then he left."]
        );
        assert_eq!(
            texts("He said, “We will win.” Then he left."),
            ["He said, “We will win.”", "Then he left."]
        );
        assert_eq!(
            texts("\"We will win,\" he said."),
            ["\"We will win,\" he said."]
        );
        assert_eq!(
            texts("‘We will win,’ he said."),
            ["‘We will win,’ he said."]
        );
        // CoreNLP (and so PolNeAR's units) split a quotation at its sentence ends.
        assert_eq!(
            texts("\"We will win. We always do,\" he said."),
            ["\"We will win.", "We always do,\" he said."]
        );
        // Not after a quotation's question or exclamation before a lowercase word, where
        // CoreNLP splits ("“Are you coming?” | she asked.").
        assert_eq!(
            texts("“Are you coming?” she asked. “No!” he shouted. “Why?” He left."),
            [
                "“Are you coming?” she asked.",
                "“No!” he shouted.",
                "“Why?”",
                "He left."
            ]
        );
        assert_eq!(
            texts("She called it 'a disgrace.' Then she left."),
            ["She called it 'a disgrace.'", "Then she left."]
        );
        // An opening quote after the period starts the next sentence.
        assert_eq!(
            texts("He left. \"Why?\" she asked."),
            ["He left.", "\"Why?\" she asked."]
        );
        // Punctuation right after a closing quote stays with its sentence.
        assert_eq!(
            texts("He asked \"why?\". Nobody knew."),
            ["He asked \"why?\".", "Nobody knew."]
        );
    }

    #[test]
    fn abbreviations_and_titles() {
        let t = "Sen. Elizabeth Warren, Rep. Nancy Pelosi, Gov. Jerry Brown, Gen. Mark Milley, \
                 Dr. Jill Stein, Mr. and Mrs. Smith, Ms. Jones, Martin Luther King Jr. and \
                 Sr. Mary met in St. Louis at 9 a.m. on Jan. 5 and at 3 p.m. on Sept. 12 to \
                 discuss Apple Inc. and Acme Corp. and Smith & Co. and Foo Ltd. and the No. 2 \
                 job, Roe vs. Wade, the U.S. and U.K. economies, etc. and more.";
        assert_eq!(texts(t), [t]);
        assert_eq!(
            texts("He moved to the U.S. The move was hard. The U.S. Army is large."),
            [
                "He moved to the U.S.",
                "The move was hard.",
                "The U.S. Army is large."
            ]
        );
        assert_eq!(
            texts("It was shot in San Bernardino, Calif. The state reacted. Mass. and Fla. too."),
            [
                "It was shot in San Bernardino, Calif.",
                "The state reacted.",
                "Mass. and Fla. too."
            ]
        );
        assert_eq!(
            texts("Results came at 11 p.m. He conceded. Polls close at 7 p.m. Eastern time."),
            [
                "Results came at 11 p.m.",
                "He conceded.",
                "Polls close at 7 p.m. Eastern time."
            ]
        );
        assert_eq!(
            texts("Apple Inc. CEO Tim Cook spoke. He works at Apple Inc. The firm grew."),
            [
                "Apple Inc. CEO Tim Cook spoke.",
                "He works at Apple Inc.",
                "The firm grew."
            ]
        );
        assert_eq!(
            texts("Sen. Bernie Sanders (I-Vt.) spoke. So did Rep. Jim Clyburn (D-S.C.), twice."),
            [
                "Sen. Bernie Sanders (I-Vt.) spoke.",
                "So did Rep. Jim Clyburn (D-S.C.), twice."
            ]
        );
        // A period after an unknown word ends the sentence, even in a hyphenated token.
        assert_eq!(
            texts("They use AT&T. And Verizon."),
            ["They use AT&T.", "And Verizon."]
        );
    }

    #[test]
    fn every_listed_word_passes_its_keys() {
        let lists = [
            (PLACES_AND_TIMES, &PLACES_AND_TIMES_KEYS),
            (TITLES, &TITLES_KEYS),
            (ABBREV2_OTHER, &ABBREV2_OTHER_KEYS),
            (ABBREV1, &ABBREV1_KEYS),
            (SUFFIXES, &SUFFIXES_KEYS),
            (ABBREV3, &ABBREV3_KEYS),
            (SENTENCE_STARTS, &SENTENCE_STARTS_KEYS),
        ];
        for (list, keys) in lists {
            for w in list {
                assert!(listed(list, keys, w), "{}", String::from_utf8_lossy(w));
                let mut longer = w.to_vec();
                longer.push(b'x');
                assert!(!listed(list, keys, &longer) || list.contains(&&longer[..]));
            }
        }
        assert!(!listed(TITLES, &TITLES_KEYS, b"trump") && !listed(TITLES, &TITLES_KEYS, b""));
    }

    #[test]
    fn max_abbrev_len() {
        let lists = [TITLES, ABBREV2_OTHER, ABBREV1, SUFFIXES, ABBREV3];
        let longest = lists
            .iter()
            .flat_map(|l| l.iter())
            .filter(|w| !w.contains(&b'.'));
        assert_eq!(longest.map(|w| w.len()).max(), Some(MAX_ABBREV_LEN));
        let exact = [TITLES_EXACT, ABBREV2_EXACT, ABBREV1_EXACT];
        assert!(exact
            .iter()
            .flat_map(|l| l.iter())
            .all(|w| w.len() <= MAX_ABBREV_LEN));
    }

    #[test]
    fn initials_numbers_ellipses() {
        assert_eq!(
            texts("John F. Kennedy was president. J.K. Rowling wrote it. George W. Bush won."),
            [
                "John F. Kennedy was president.",
                "J.K. Rowling wrote it.",
                "George W. Bush won."
            ]
        );
        assert_eq!(
            texts("It rose 3.5 percent to $1.2 billion. Analysts expected .5 percent."),
            [
                "It rose 3.5 percent to $1.2 billion.",
                "Analysts expected .5 percent."
            ]
        );
        assert_eq!(
            texts("It ended in 2016. Then came 2017."),
            ["It ended in 2016.", "Then came 2017."]
        );
        // As in CoreNLP, an ellipsis does not end a sentence.
        assert_eq!(
            texts("He paused... then spoke. She waited … And left. Well. . . maybe."),
            [
                "He paused... then spoke.",
                "She waited … And left.",
                "Well. . . maybe."
            ]
        );
        assert_eq!(
            texts("Visit example.com/a.html today. Or not."),
            ["Visit example.com/a.html today.", "Or not."]
        );
    }

    #[test]
    fn brackets_questions_exclamations() {
        assert_eq!(
            texts("He left (for good.) She stayed. (He said so.) Really?! Yes! Why? Because."),
            [
                "He left (for good.)",
                "She stayed.",
                "(He said so.)",
                "Really?!",
                "Yes!",
                "Why?",
                "Because."
            ]
        );
        assert_eq!(texts("[Reuters.] More here."), ["[Reuters.]", "More here."]);
        assert_eq!(
            texts("He watched Jeopardy! every night."),
            ["He watched Jeopardy! every night."]
        );
    }

    #[test]
    fn headlines_and_broken_lines() {
        let t = "Trump Wins Debate\nThe Republican nominee spoke for the\nentire hour. He said\n\
                 that he won.\n  • The mayor said the city was trying to build\n  • a park in \
                 town.\n  • Second point\n  • Third point\nShare\n\nSee also  Other story\n\
                 12:30 PM\nWe call on the\nUnited States to act.";
        let got = SentenceSplitter::new().split(t);
        let units: Vec<(&str, usize)> = got.iter().map(|s| (s.text(t), s.paragraph)).collect();
        assert_eq!(
            units,
            [
                ("Trump Wins Debate", 0),
                ("The Republican nominee spoke for the\nentire hour.", 1),
                ("He said\nthat he won.", 1),
                (
                    "• The mayor said the city was trying to build\n  • a park in town.",
                    2
                ),
                ("• Second point", 3),
                ("• Third point", 4),
                ("Share", 5),
                ("See also  Other story", 6),
                ("12:30 PM", 7),
                ("We call on the\nUnited States to act.", 8),
            ]
        );
    }

    #[test]
    fn blank_lines() {
        let t = "According to President Putin\n\nthe objective is to liberate\r\n\r\nthe region.";
        assert_eq!(
            texts(t),
            [
                "According to President Putin",
                "the objective is to liberate",
                "the region."
            ]
        );
        let joined = SentenceSplitter::new()
            .join_across_blank_lines(true)
            .split(t);
        assert_eq!(joined.len(), 1);
        assert_eq!(joined[0].text(t), t);
        assert_eq!(joined[0].paragraph, 0);
        // A blank line still ends a sentence that ends with a capitalised word (but for an
        // office before its holder's name, `a_line_ending_with_an_office_joins_…`).
        let t = "The Foreign Minister\n\nToday the port closed.";
        let got = SentenceSplitter::new()
            .join_across_blank_lines(true)
            .split(t);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn spans_and_paragraphs() {
        let t = "  Café au lait. Ça va?\n\n\u{a0}Très bien… merci.  ";
        let got = SentenceSplitter::new().split(t);
        assert_eq!(
            got,
            [
                Sentence {
                    bytes: 2..16,
                    chars: 2..15,
                    paragraph: 0
                },
                Sentence {
                    bytes: 17..24,
                    chars: 16..22,
                    paragraph: 0
                },
                Sentence {
                    bytes: 28..48,
                    chars: 25..42,
                    paragraph: 1
                },
            ]
        );
        assert_eq!(got[2].text(t), "Très bien… merci.");
        let json = serde_json::to_string(&got[0]).unwrap();
        assert_eq!(
            json,
            r#"{"bytes":{"start":2,"end":16},"chars":{"start":2,"end":15},"paragraph":0}"#
        );
        assert!(texts("").is_empty());
        assert!(texts(" \n\n\t\u{3000} ").is_empty());
        assert_eq!(
            texts("日本語の文です。次の文！最後？"),
            ["日本語の文です。", "次の文！", "最後？"]
        );
    }

    /// The data directory: `WHOSAID_DATA`, else `../shared/data` beside the crate.
    fn data_dir() -> PathBuf {
        match std::env::var_os("WHOSAID_DATA") {
            Some(d) => PathBuf::from(d),
            None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        }
    }

    #[test]
    fn a_line_ending_with_an_office_joins_the_name_that_opens_the_next() {
        let joining = SentenceSplitter::new().join_across_blank_lines(true);
        let texts = |t: &str, sp: &SentenceSplitter| {
            sp.split(t)
                .iter()
                .map(|s| s.text(t).to_owned())
                .collect::<Vec<_>>()
        };
        let t = "The Velnian Trade Minister\n\nIvo Marsk, confirmed that the port would close.";
        assert_eq!(texts(t, &joining), [t]);
        let t = "Port Director\nAda Velin said the quay was safe.";
        assert_eq!(texts(t, &SentenceSplitter::new()), [t]);
        // Not a new sentence's single capitalised word, a headline in capitals, a long line,
        // or a line that does not end with an office.
        for t in [
            "The Trade Minister\n\nToday, the port closed.",
            "The Trade Minister\n\nIVO MARSK SPEAKS",
            "Talks resumed at length on Monday with the Trade Minister\n\nIvo Marsk said so.",
            "Meet the Harbour Board\n\nIvo Marsk, its head, said so.",
        ] {
            assert_eq!(texts(t, &joining).len(), 2, "{t:?}");
        }
    }

    #[test]
    fn web_capture_article() {
        let path = data_dir().join("articles/001_80335de1c180b059.txt");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped: {} is absent", path.display());
            return;
        };
        // The first 15 units as byte ranges into the article (its text stays in the data
        // directory): two menu labels, the headline, the headline's label and title on their
        // own lines, a sentence, a colon-ended lead-in, a quotation broken across two lines
        // (two units), a sentence, a sentence broken over three lines (three units), "Earlier :"
        // and a bulleted sentence whose bullets repeat on its second line (one unit).
        let got: Vec<std::ops::Range<usize>> = SentenceSplitter::new()
            .split(&text)
            .into_iter()
            .take(15)
            .map(|s| s.bytes)
            .collect();
        let expected = [
            0..8,
            10..15,
            17..79,
            88..100,
            102..151,
            154..367,
            370..431,
            433..495,
            497..664,
            668..841,
            844..889,
            891..938,
            940..1007,
            1009..1018,
            1022..1145,
        ];
        assert_eq!(got, expected);
        let last = &text[1022..1145];
        assert!(
            last.starts_with('•') && last.matches('•').count() == 2,
            "{last}"
        );
        assert!(text[154..367].ends_with('.') && text[370..431].ends_with(':'));
    }

    /// Boundary and exact-unit counts of predicted against gold sentences.
    #[derive(Default)]
    struct Counts {
        pred: usize,
        gold: usize,
        end_hits: usize,
        unit_hits: usize,
    }

    impl Counts {
        fn f1(hits: usize, pred: usize, gold: usize) -> (f64, f64, f64) {
            let p = hits as f64 / pred.max(1) as f64;
            let r = hits as f64 / gold.max(1) as f64;
            let f = if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            };
            (p, r, f)
        }
        fn boundary(&self) -> (f64, f64, f64) {
            Self::f1(self.end_hits, self.pred, self.gold)
        }
        fn exact(&self) -> (f64, f64, f64) {
            Self::f1(self.unit_hits, self.pred, self.gold)
        }
    }

    /// Scores the splitter against PolNeAR's CoreNLP sentence units of one split; `None` when
    /// the data is absent.
    fn polnear(split: &str) -> Option<Counts> {
        let dir = data_dir().join("polnear");
        let json = std::fs::read_to_string(dir.join(format!("sentences-{split}.json"))).ok()?;
        let gold: BTreeMap<String, Vec<(usize, usize)>> =
            serde_json::from_str(&json).expect("sentences json");
        let splitter = SentenceSplitter::new();
        let mut c = Counts::default();
        for (name, units) in &gold {
            let path = dir.join(format!("{split}/text/{name}.txt"));
            let text = std::fs::read_to_string(&path).expect("PolNeAR text");
            let ends: HashSet<usize> = units.iter().map(|u| u.1).collect();
            let exact: HashSet<(usize, usize)> = units.iter().copied().collect();
            let pred = splitter.split(&text);
            c.pred += pred.len();
            c.gold += units.len();
            for s in &pred {
                c.end_hits += usize::from(ends.contains(&s.chars.end));
                c.unit_hits += usize::from(exact.contains(&(s.chars.start, s.chars.end)));
            }
        }
        Some(c)
    }

    #[test]
    fn polnear_corenlp_units() {
        let Some(dev) = polnear("dev") else {
            eprintln!("skipped: PolNeAR is absent from {}", data_dir().display());
            return;
        };
        for (split, c) in [("dev", Some(dev)), ("train", polnear("train"))] {
            let Some(c) = c else { continue };
            let (bp, br, bf) = c.boundary();
            let (ep, er, ef) = c.exact();
            eprintln!(
                "PolNeAR {split}: {} predicted, {} gold units; boundary P {bp:.4} R {br:.4} \
                 F1 {bf:.4}; exact units P {ep:.4} R {er:.4} F1 {ef:.4}",
                c.pred, c.gold
            );
            if split == "dev" {
                assert!(bf >= 0.95, "dev boundary F1 {bf:.4} < 0.95");
                assert!(ef >= 0.90, "dev exact-unit F1 {ef:.4} < 0.90");
            }
        }
    }

    #[test]
    fn throughput() {
        let dir = data_dir().join("polnear/dev/text");
        let mut sample = String::new();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
            paths.sort();
            for p in paths {
                sample.push_str(&std::fs::read_to_string(p).unwrap_or_default());
                sample.push_str("\n\n");
            }
        }
        if sample.is_empty() {
            sample = "Sen. Elizabeth Warren (D-Mass.) said on Jan. 5 that the U.S. economy grew \
                      3.5 percent. \"We will win,\" she said. “Will we?” he asked.\n\n"
                .repeat(100);
        }
        let text = sample.repeat((8 << 20) / sample.len() + 1);
        let splitter = SentenceSplitter::new();
        let mut best = f64::INFINITY;
        let mut n = 0;
        for _ in 0..3 {
            let t0 = std::time::Instant::now();
            n = splitter.split(&text).len();
            best = best.min(t0.elapsed().as_secs_f64());
        }
        let mb = text.len() as f64 / 1e6;
        eprintln!(
            "split {mb:.1} MB into {n} sentences in {best:.3} s (best of 3): {:.0} MB/s",
            mb / best
        );
    }

    /// Checks the span invariants of `split` on `text`.
    fn check_spans(text: &str, sents: &[Sentence]) -> Result<(), TestCaseError> {
        let mut prev_end = 0usize;
        let mut prev_para = 0usize;
        for (k, s) in sents.iter().enumerate() {
            prop_assert!(s.bytes.start < s.bytes.end, "empty span {:?}", s);
            prop_assert!(s.bytes.start >= prev_end, "overlap or disorder at {:?}", s);
            prop_assert!(
                text.is_char_boundary(s.bytes.start) && text.is_char_boundary(s.bytes.end)
            );
            let unit = &text[s.bytes.clone()];
            prop_assert_eq!(unit.chars().count(), s.chars.len());
            prop_assert_eq!(text[..s.bytes.start].chars().count(), s.chars.start);
            prop_assert!(
                !unit.starts_with(char::is_whitespace),
                "untrimmed start {:?}",
                unit
            );
            prop_assert!(
                !unit.ends_with(char::is_whitespace),
                "untrimmed end {:?}",
                unit
            );
            // Everything between sentences is whitespace.
            let gap = &text[prev_end..s.bytes.start];
            prop_assert!(gap.chars().all(char::is_whitespace), "uncovered {:?}", gap);
            if k == 0 {
                prop_assert_eq!(s.paragraph, 0);
            } else {
                prop_assert!(s.paragraph == prev_para || s.paragraph == prev_para + 1);
            }
            prev_para = s.paragraph;
            prev_end = s.bytes.end;
        }
        let tail = &text[prev_end..];
        prop_assert!(
            tail.chars().all(char::is_whitespace),
            "uncovered tail {:?}",
            tail
        );
        Ok(())
    }

    /// Pieces that exercise the rules: punctuation, quotes, line breaks, abbreviations, CJK,
    /// emoji, combining characters and odd whitespace.
    fn piece() -> impl Strategy<Value = String> {
        let fixed = prop::sample::select(vec![
            ".",
            ". ",
            "...",
            "..",
            ". . .",
            "…",
            "?",
            "!",
            "?!",
            "\"",
            "'",
            "''",
            "“",
            "”",
            "‘",
            "’",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "«",
            "»",
            " ",
            "  ",
            "\t",
            "\n",
            "\n\n",
            "\r\n",
            "\r",
            "\u{0B}",
            "\u{0C}",
            "\u{1C}",
            "\u{85}",
            "\u{2028}",
            "\u{2029}",
            "\u{a0}",
            "\u{3000}",
            "\u{200B}",
            "。",
            "！",
            "？",
            "」",
            "Mr",
            "Mrs.",
            "U.S",
            "U.S.",
            "a.m.",
            "Inc",
            "Calif",
            "No",
            "vs",
            "Jan",
            "F",
            "J.K",
            "the",
            "of",
            "and",
            "Hello",
            "world",
            "He",
            "The",
            "said",
            "Minister",
            "Ivo Marsk,",
            "İstanbul",
            "3.5",
            "$1.2",
            "2016",
            "日本語",
            "😀",
            "👩‍👩‍👧",
            "e\u{301}",
            "\u{301}",
            "-",
            "–",
            "—",
            "•",
            "* ",
            "- ",
            ",",
            ":",
            ";",
            "&",
            "/",
            "<",
            ">",
            "x",
            "A",
            "é",
        ]);
        prop_oneof![
            8 => fixed.prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
            1 => "\\PC{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn spans_cover_text(pieces in prop::collection::vec(piece(), 0..80)) {
            let text: String = pieces.concat();
            let joining = SentenceSplitter::new().join_across_blank_lines(true);
            for splitter in [SentenceSplitter::new(), joining] {
                let sents = splitter.split(&text);
                check_spans(&text, &sents)?;
            }
        }

        #[test]
        fn arbitrary_strings(text in any::<String>()) {
            let sents = SentenceSplitter::new().split(&text);
            check_spans(&text, &sents)?;
        }
    }
}
