//! The document as the attribution models read it: tokens, sentences, quotation marks.

use super::*;

/// A tokenized, segmented document with the facts the models look at.
#[derive(Debug)]
pub struct DocView<'a> {
    /// The text.
    pub text: &'a str,
    /// Tokens with byte spans.
    pub tokens: Vec<Token>,
    /// Sentences.
    pub sentences: Vec<Sentence>,
    /// Token range of each sentence.
    pub sent_toks: Vec<Range<usize>>,
    /// Sentence of each token.
    pub tok_sent: Vec<usize>,
    /// Whether each token is inside quotation marks (the marks included).
    pub in_quote: Vec<bool>,
    /// `1` for the first and `-1` for the second `'` of a doubled apostrophe `''`, the quotation
    /// mark of some newspapers (NYT); `2` for a curly `’` or `‘` that is an apostrophe (a word
    /// goes on right after it: "FBI’s", "He’s", "‘90s"); `0` for every other token.
    pub qpair: Vec<i8>,
    /// Whether each sentence holds a quotation mark.
    pub sent_quote: Vec<bool>,
    /// Byte/char conversion.
    pub chars: CharIndex,
    /// Each token's shape, an index in [`SHAPES`].
    shapes: Vec<u8>,
}

/// The shapes of [`DocView::shape`], by their index in `DocView::shapes`.
pub(crate) const SHAPES: [&str; 5] = ["XX", "Xx", "x", "9", "p"];

/// The index in [`SHAPES`] of a token as written: all capitals (more than one character),
/// capitalized, lowercase, a number, anything else.
pub(crate) fn shape_index(o: &str) -> u8 {
    let mut cs = o.chars();
    match cs.next() {
        Some(c) if c.is_uppercase() => {
            if o.chars().all(|c| !c.is_lowercase()) && o.chars().count() > 1 {
                0
            } else {
                1
            }
        }
        Some(c) if c.is_lowercase() => 2,
        Some(c) if c.is_numeric() => 3,
        _ => 4,
    }
}

pub(crate) fn is_open_quote(s: &str) -> bool {
    matches!(s, "“" | "‘" | "«")
}
pub(crate) fn is_close_quote(s: &str) -> bool {
    matches!(s, "”" | "’" | "»")
}
pub(crate) fn is_quote(s: &str) -> bool {
    s == "\"" || s == "“" || s == "”" || s == "«" || s == "»"
}
/// Whether marks `open` and `close` are a pair of quotation marks: a double mark closes a double
/// one, a single mark a single one, so that a quotation nested in another (`“The pilots call it
/// ‘the long wait,’ and it is getting longer.”`) does not end it.
pub(crate) fn paired(open: &str, close: &str) -> bool {
    matches!(
        (open, close),
        ("“" | "\"", "”" | "\"") | ("‘", "’") | ("«", "»")
    )
}

impl<'a> DocView<'a> {
    /// Tokenizes and segments `text`.
    pub fn new(text: &'a str, tokenizer: &Tokenizer, splitter: &SentenceSplitter) -> Self {
        let tokens = tokenizer.tokenize(text);
        let sentences = splitter.split(text);
        Self::from_parts(text, tokens, sentences)
    }

    /// Builds the view from tokens and sentences already computed.
    pub fn from_parts(text: &'a str, tokens: Vec<Token>, sentences: Vec<Sentence>) -> Self {
        let mut tok_sent = vec![0usize; tokens.len()];
        let mut sent_toks = Vec::with_capacity(sentences.len());
        let mut t = 0;
        for (si, s) in sentences.iter().enumerate() {
            while t < tokens.len() && tokens[t].span.start < s.bytes.start {
                tok_sent[t] = si.saturating_sub(1);
                t += 1;
            }
            let start = t;
            while t < tokens.len() && tokens[t].span.start < s.bytes.end {
                tok_sent[t] = si;
                t += 1;
            }
            sent_toks.push(start..t);
        }
        while t < tokens.len() {
            tok_sent[t] = sentences.len().saturating_sub(1);
            t += 1;
        }
        // Quotation marks: curly ones open and close; straight ones toggle; a new paragraph
        // resets unless it opens with a quotation mark.
        let mut qpair = vec![0i8; tokens.len()];
        for i in 1..tokens.len() {
            let (a, b) = (&tokens[i - 1], &tokens[i]);
            if qpair[i - 1] == 0 && a.norm == "'" && b.norm == "'" && a.span.end == b.span.start {
                qpair[i - 1] = 1;
                qpair[i] = -1;
            }
        }
        for i in 0..tokens.len().saturating_sub(1) {
            let (a, b) = (&tokens[i], &tokens[i + 1]);
            if (a.norm == "’" || a.norm == "‘")
                && a.span.end == b.span.start
                && b.norm.chars().next().is_some_and(char::is_alphanumeric)
            {
                qpair[i] = 2;
            }
        }
        let mut in_quote = vec![false; tokens.len()];
        let mut open = false;
        let mut para = usize::MAX;
        for (i, tok) in tokens.iter().enumerate() {
            let p = sentences.get(tok_sent[i]).map_or(0, |s| s.paragraph);
            if p != para {
                para = p;
                open = false;
            }
            if qpair[i] == -1 {
                in_quote[i] = in_quote[i - 1];
                continue;
            }
            if qpair[i] == 2 {
                in_quote[i] = open;
                continue;
            }
            let n = if qpair[i] == 1 {
                "\""
            } else {
                tok.norm.as_str()
            };
            if n == "“" || n == "«" {
                open = true;
                in_quote[i] = true;
            } else if n == "”" || n == "»" {
                in_quote[i] = open;
                open = false;
            } else if n == "\"" {
                in_quote[i] = true;
                open = !open;
            } else {
                in_quote[i] = open;
            }
        }
        let mut sent_quote = vec![false; sent_toks.len()];
        for (si, r) in sent_toks.iter().enumerate() {
            sent_quote[si] = r
                .clone()
                .any(|i| qpair[i] == 1 || qpair[i] == -1 || is_quote(tokens[i].norm.as_str()));
        }
        let mut doc = DocView {
            shapes: Vec::new(),
            sent_quote,
            text,
            chars: CharIndex::new(text),
            tokens,
            sentences,
            sent_toks,
            tok_sent,
            in_quote,
            qpair,
        };
        doc.shapes = (0..doc.tokens.len())
            .map(|i| shape_index(doc.orig(i)))
            .collect();
        doc
    }

    /// The token range of the sentence holding `r`, widened to contain `r` (a gold span may
    /// cross a sentence boundary).
    pub fn sent_of(&self, r: &Range<usize>) -> Range<usize> {
        let s = self
            .tok_sent
            .get(r.start)
            .and_then(|&i| self.sent_toks.get(i))
            .cloned()
            .unwrap_or(r.clone());
        s.start.min(r.start)..s.end.max(r.end)
    }

    pub(crate) fn norm(&self, i: isize, sent: &Range<usize>) -> &str {
        if i < sent.start as isize {
            "<s>"
        } else if i >= sent.end as isize {
            "</s>"
        } else {
            &self.tokens[i as usize].norm
        }
    }

    /// The last sentence of the paragraph of sentence `si`.
    pub(crate) fn paragraph_end(&self, si: usize) -> usize {
        let p = self.sentences[si].paragraph;
        let mut end = si;
        while self
            .sentences
            .get(end + 1)
            .is_some_and(|s| s.paragraph == p)
        {
            end += 1;
        }
        end
    }

    /// The token as quotation logic sees it: `"` for either half of a `''`, else its norm.
    pub fn q(&self, i: usize) -> &str {
        match self.qpair[i] {
            0 => &self.tokens[i].norm,
            2 => "'",
            _ => "\"",
        }
    }

    /// The token range `r` grown so that it does not split a `''`.
    pub(crate) fn whole_marks(&self, mut r: Range<usize>) -> Range<usize> {
        if r.start < r.end {
            if self.qpair[r.start] == -1 {
                r.start -= 1;
            }
            if self.qpair[r.end - 1] == 1 {
                r.end += 1;
            }
        }
        r
    }

    /// Whether token `i` opens a quotation: an opening mark, or a straight one the quotation
    /// runs on after.
    pub(crate) fn opens_quote(&self, i: usize) -> bool {
        let q = self.q(i);
        is_open_quote(q) || (q == "\"" && self.in_quote.get(i + 1) == Some(&true))
    }

    /// Whether the tokens before `l` (inside sentence `sent`) close a quotation right after one
    /// of `before` (`,”`, `?”`, `,''`).
    pub(crate) fn closed_after(&self, l: usize, sent: &Range<usize>, before: &[&str]) -> bool {
        if l <= sent.start {
            return false;
        }
        let mark = self.whole_marks(l - 1..l);
        let closing = is_close_quote(self.q(l - 1)) || self.q(l - 1) == "\"";
        closing
            && mark.start > sent.start
            && before.contains(&self.tokens[mark.start - 1].norm.as_str())
    }

    pub(crate) fn orig(&self, i: usize) -> &str {
        &self.text[self.tokens[i].span.clone()]
    }

    pub(crate) fn shape(&self, i: usize) -> &'static str {
        SHAPES[usize::from(self.shapes[i])]
    }

    /// Character span of a token range.
    pub fn char_span(&self, toks: &Range<usize>) -> Span {
        let a = self.tokens[toks.start].span.start;
        let b = self.tokens[toks.end - 1].span.end;
        Span::new(self.chars.char(a), self.chars.char(b))
    }

    /// Token range covering a character span (tokens that overlap it), if any.
    pub fn token_range(&self, span: &Span) -> Option<Range<usize>> {
        let a = self.chars.byte(span.start)?;
        let b = self.chars.byte(span.end)?;
        let first = self.tokens.partition_point(|t| t.span.end <= a);
        let last = self.tokens.partition_point(|t| t.span.start < b);
        (first < last).then_some(first..last)
    }
}

pub(crate) fn clause_break(n: &str) -> bool {
    matches!(
        n,
        "," | ";" | ":" | "(" | ")" | "—" | "–" | "?" | "!" | "[" | "]"
    ) || is_quote(n)
}

impl DocView<'_> {
    pub(crate) fn shape_of(&self, t: &Token) -> &'static str {
        let o = &self.text[t.span.clone()];
        match o.chars().next() {
            Some(c) if c.is_uppercase() => "Xx",
            Some(c) if c.is_lowercase() => "x",
            _ => "p",
        }
    }
}
