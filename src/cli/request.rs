//! A `predict-stance` request line read without serde when it is plain.
//!
//! Nearly every line is `{"id": "…", "text": "…", "target": "…", "target_span": [a, b]}` with
//! keys in any order: [`parse_plain`] reads such a line in one pass over its bytes, borrowing the
//! strings that have no escapes. Anything else (another key, a repeated key, a `\u` escape, an
//! id that is not a string without escapes, a number serde would refuse or read otherwise, a
//! line that is not such an object at all) gives `None`, and the caller reads the line with
//! serde as before: a line read here gives what serde gives.

use std::borrow::Cow;

/// The fields of a plain request line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PlainRequest<'a> {
    /// The id's JSON text (a string without escapes, quotes included), if there is one.
    pub id: Option<&'a str>,
    pub text: Cow<'a, str>,
    pub target: Cow<'a, str>,
    pub target_span: Option<(usize, usize)>,
}

/// Reads `line` if it is a plain request (see the module doc), else `None`.
pub(crate) fn parse_plain(line: &str) -> Option<PlainRequest<'_>> {
    // No control character anywhere (serde refuses them in strings; outside, a tab or a
    // carriage return is whitespace that serde's path reads as well): strings end at a quote or
    // a backslash, found by `memchr2`.
    if has_control(line.as_bytes()) {
        return None;
    }
    let mut p = Reader {
        s: line,
        b: line.as_bytes(),
        i: 0,
    };
    p.ws();
    p.eat(b'{')?;
    let (mut id, mut text, mut target) = (None, None, None);
    let (mut span, mut span_seen) = (None, false);
    loop {
        p.ws();
        let key = p.key()?;
        p.ws();
        p.eat(b':')?;
        p.ws();
        match key {
            b"id" if id.is_none() => {
                let s = p.i;
                match p.string()? {
                    Cow::Borrowed(_) => id = Some(&line[s..p.i]),
                    // An id with escapes is written back as serde writes it: serde's path.
                    Cow::Owned(_) => return None,
                }
            }
            b"text" if text.is_none() => text = Some(p.string()?),
            b"target" if target.is_none() => target = Some(p.string()?),
            b"target_span" if !span_seen => {
                span_seen = true;
                span = p.span()?;
            }
            _ => return None,
        }
        p.ws();
        match p.next()? {
            b',' => continue,
            b'}' => break,
            _ => return None,
        }
    }
    p.ws();
    if p.i != p.b.len() {
        return None;
    }
    Some(PlainRequest {
        id,
        text: text?,
        target: target?,
        target_span: span,
    })
}

struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

/// Eight copies of byte `x`.
const fn splat(x: u8) -> u64 {
    0x0101_0101_0101_0101 * x as u64
}

/// True if `b` has a byte below 0x20 (eight bytes a step, with no early exit).
fn has_control(b: &[u8]) -> bool {
    const HI: u64 = splat(0x80);
    let words = b.chunks_exact(8);
    let tail = words.remainder().iter().any(|&c| c < 0x20);
    let flags = words.fold(0, |acc, w| {
        let w = u64::from_le_bytes(w.try_into().unwrap_or([0xff; 8]));
        acc | (w.wrapping_sub(splat(0x20)) & !w & HI)
    });
    tail || flags != 0
}

impl<'a> Reader<'a> {
    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let c = *self.b.get(self.i)?;
        self.i += 1;
        Some(c)
    }

    #[inline]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    /// Moves to the first quote or backslash from here, if there is one.
    #[inline]
    fn skip_plain(&mut self) -> Option<u8> {
        self.i += memchr::memchr2(b'"', b'\\', self.b.get(self.i..)?)?;
        Some(self.b[self.i])
    }

    /// A key: a string without escapes (one of the request's four keys compared whole, any
    /// other looked through a byte at a time: keys are short).
    fn key(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        // The four keys of a request, with their closing quote, compared whole.
        let rest = self.b.get(self.i..)?;
        for k in [&b"text\""[..], b"target\"", b"id\"", b"target_span\""] {
            if rest.starts_with(k) {
                self.i += k.len();
                return Some(&k[..k.len() - 1]);
            }
        }
        let s = self.i;
        loop {
            match self.next()? {
                b'"' => return Some(&self.b[s..self.i - 1]),
                b'\\' => return None,
                _ => {}
            }
        }
    }

    /// A string, borrowed when it has no escapes; `None` for a `\u` escape (serde's path) and
    /// for what is not a valid string.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let s = self.i;
        let mut owned: Option<String> = None;
        loop {
            let run = self.i;
            let c = self.skip_plain()?;
            // Quotes and backslashes are ASCII: the runs between them are whole chars.
            if let Some(o) = owned.as_mut() {
                o.push_str(self.s.get(run..self.i)?);
            }
            self.i += 1;
            if c == b'"' {
                break;
            }
            let o = match owned.as_mut() {
                Some(o) => o,
                None => {
                    // Room for the rest of the line: the string is no longer.
                    let mut o = String::with_capacity(self.b.len() - s);
                    o.push_str(self.s.get(s..self.i - 1)?);
                    owned.insert(o)
                }
            };
            o.push(match self.next()? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                _ => return None,
            });
        }
        Some(match owned {
            None => Cow::Borrowed(self.s.get(s..self.i - 1)?),
            Some(o) => Cow::Owned(o),
        })
    }

    /// `null` or `[a, b]` of two unsigned integers serde reads exactly.
    fn span(&mut self) -> Option<Option<(usize, usize)>> {
        if self.b.get(self.i..self.i + 4) == Some(b"null") {
            self.i += 4;
            return Some(None);
        }
        self.eat(b'[')?;
        self.ws();
        let a = self.uint()?;
        self.ws();
        self.eat(b',')?;
        self.ws();
        let b = self.uint()?;
        self.ws();
        self.eat(b']')?;
        Some(Some((a, b)))
    }

    /// An unsigned integer of at most 18 digits, without a leading zero, not followed by a
    /// fraction or an exponent (what follows is checked by the caller).
    fn uint(&mut self) -> Option<usize> {
        let s = self.i;
        let mut v: u64 = 0;
        while let Some(&c) = self.b.get(self.i) {
            if !c.is_ascii_digit() {
                break;
            }
            v = v * 10 + u64::from(c - b'0');
            self.i += 1;
            if self.i - s > 18 {
                return None;
            }
        }
        let n = self.i - s;
        if n == 0 || (n > 1 && self.b[s] == b'0') {
            return None;
        }
        usize::try_from(v).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What serde makes of `line` through `BorrowedRequest`, in `PlainRequest`'s terms (the id
    /// as JSON text; `None` where serde fails).
    fn serde_view(line: &str) -> Option<PlainRequest<'_>> {
        let r = serde_json::from_str::<crate::BorrowedRequest>(line).ok()?;
        Some(PlainRequest {
            id: r.id.map(|v| v.get()),
            text: r.text,
            target: r.target,
            target_span: r.target_span,
        })
    }

    #[test]
    fn reads_plain_lines() {
        let line = r#"{"id": "zorp:1#0", "text": "Blix \"quoth\" the\nvarn\\x/", "target": "Blix", "target_span": [0, 4]}"#;
        let r = parse_plain(line).expect("a plain line");
        assert_eq!(r.id, Some("\"zorp:1#0\""));
        assert_eq!(r.text, "Blix \"quoth\" the\nvarn\\x/");
        assert!(matches!(r.target, Cow::Borrowed("Blix")));
        assert_eq!(r.target_span, Some((0, 4)));
        assert_eq!(Some(r), serde_view(line));
        let r = parse_plain("{\"target\":\"a\",\"text\":\"\"}  ").expect("a plain line");
        assert_eq!((r.id, r.target_span), (None, None));
        let r = parse_plain(r#" { "text" : "q" , "target_span" : null , "target" : "\/" } "#);
        assert_eq!(r.map(|r| r.target), Some(Cow::Owned("/".to_owned())));
    }

    #[test]
    fn leaves_unusual_lines_to_serde() {
        for line in [
            r#"{"id": "a", "text": "b", "target": "c", "id": "d"}"#,
            r#"{"text": "b", "target": "c", "other": 1}"#,
            r#"{"text": "b\u00e9", "target": "c"}"#,
            r#"{"id": "a\"b", "text": "b", "target": "c"}"#,
            r#"{"id": 7, "text": "b", "target": "c"}"#,
            r#"{"text": "b", "target": "c", "target_span": [01, 2]}"#,
            r#"{"text": "b", "target": "c", "target_span": [1.0, 2]}"#,
            r#"{"text": "b", "target": "c", "target_span": [1, 2, 3]}"#,
            r#"{"text": "b", "target": "c", "target_span": [-1, 2]}"#,
            r#"{"text": "b", "target": "c", "target_span": [1, 1234567890123456789]}"#,
            r#"{"text": "b", "target": "c"} x"#,
            r#"{"text": "b", "target": "c",}"#,
            r#"{"text": "b"}"#,
            "{\"text\": \"b\tc\", \"target\": \"c\"}",
            r#"["b", "c"]"#,
            "",
        ] {
            assert_eq!(parse_plain(line), None, "{line}");
        }
    }

    /// A JSON string's content: plain text, escapes, quotes, control characters, non-ASCII.
    fn content() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-z ]{0,12}",
            1 => Just("\\\"".to_owned()),
            1 => Just("\\\\".to_owned()),
            1 => Just("\\n".to_owned()),
            1 => Just("\\/".to_owned()),
            1 => Just("\\u00e9".to_owned()),
            1 => Just("\\q".to_owned()),
            1 => Just("\"".to_owned()),
            1 => Just("\t".to_owned()),
            1 => Just("é’—".to_owned()),
        ];
        proptest::collection::vec(piece, 0..6).prop_map(|v| v.concat())
    }

    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => (0u64..100_000).prop_map(|n| n.to_string()),
            1 => Just("01".to_owned()),
            1 => Just("-3".to_owned()),
            1 => Just("2.5".to_owned()),
            1 => Just("1e2".to_owned()),
            1 => Just("123456789012345678".to_owned()),
            1 => Just("1234567890123456789".to_owned()),
            1 => Just("99999999999999999999".to_owned()),
        ]
    }

    fn ws() -> impl Strategy<Value = String> {
        prop_oneof![4 => Just(String::new()), 1 => "[ \t\r\n]{1,3}"]
    }

    /// A field: a known key (or another) and a value of the kind it wants, or not.
    fn field() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            3 => Just("id"),
            3 => Just("text"),
            3 => Just("target"),
            3 => Just("target_span"),
            1 => Just("other"),
            1 => Just("te\\u0078t"),
        ];
        let value = prop_oneof![
            6 => content().prop_map(|s| format!("\"{s}\"")),
            3 => (number(), ws(), number()).prop_map(|(a, w, b)| format!("[{a},{w}{b}]")),
            1 => Just("null".to_owned()),
            1 => number(),
            1 => Just("[1, 2, 3]".to_owned()),
        ];
        (key, ws(), ws(), value).prop_map(|(k, a, b, v)| format!("\"{k}\"{a}:{b}{v}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn has_control_finds_control_characters(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(has_control(&bytes), bytes.iter().any(|&c| c < 0x20));
        }

        /// A line read here reads the same through serde.
        #[test]
        fn agrees_with_serde(
            fields in proptest::collection::vec(field(), 0..6),
            lead in ws(),
            tail in prop_oneof![4 => ws(), 1 => Just(",".to_owned()), 1 => Just("}".to_owned())],
        ) {
            let line = format!("{lead}{{{}}}{tail}", fields.join(","));
            if let Some(r) = parse_plain(&line) {
                prop_assert_eq!(Some(r), serde_view(&line), "{}", line);
            }
        }

        /// A well-formed record with escapes but no `\u` is read here, as serde reads it.
        #[test]
        fn reads_well_formed_records(
            id in "[a-z:#0-9]{0,12}",
            text in "([a-z é’]|\\\\\"|\\\\n|\\\\\\\\){0,40}",
            target in "[a-z]{1,8}",
            span in proptest::option::of((0usize..1000, 0usize..1000)),
            order in Just((0usize..4).collect::<Vec<_>>()).prop_shuffle(),
        ) {
            let mut fields = vec![
                format!("\"id\": \"{id}\""),
                format!("\"text\": \"{text}\""),
                format!("\"target\": \"{target}\""),
            ];
            if let Some((a, b)) = span {
                fields.push(format!("\"target_span\": [{a}, {b}]"));
            }
            let fields: Vec<&str> =
                order.iter().filter_map(|&k| fields.get(k).map(String::as_str)).collect();
            let line = format!("{{{}}}", fields.join(", "));
            let r = parse_plain(&line);
            prop_assert!(r.is_some(), "{}", line);
            prop_assert_eq!(r, serde_view(&line), "{}", line);
        }
    }
}
