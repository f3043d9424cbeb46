//! One speaker per sentence: the attribution that covers it, and the features of the
//! speaker-confidence model.

use super::*;

/// The attribution covering each sentence that is not page furniture, and the canonical
/// speakers.
pub(crate) fn sentence_speakers(
    doc: &DocView,
    predicted: &[Predicted],
    furniture: &[bool],
) -> SentenceSpeakers {
    let canon = canonical_speakers(doc, predicted);
    let meeting = attributions_meeting_sentences(doc, predicted);
    let covering = (0..doc.sent_toks.len())
        .map(|i| {
            if furniture.get(i).copied().unwrap_or(false) {
                None
            } else {
                covering_attribution(doc, predicted, &meeting[i], i)
                    .or_else(|| covering_together(doc, predicted, &canon, &meeting[i], i))
            }
        })
        .collect();
    SentenceSpeakers { covering, canon }
}

/// Features of the speaker-confidence model for sentence `i` spoken by attribution `p`, whose
/// canonical name has confidence `canon_conf` and whose quotation is of `kind` ([`quote_kind`]):
/// how the source was chosen and how sure the models were, where the source and cue lie, what
/// kind of mention the source is. Each goes to `emit` (from one reused buffer: classify scores
/// every sentence's speaker).
pub(crate) fn speaker_features_into(
    doc: &DocView,
    p: &Predicted,
    i: usize,
    canon_conf: f32,
    kind: QuoteKind,
    emit: &mut dyn FnMut(&str),
) {
    const TENTHS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    let mut buf = String::with_capacity(64);
    let mut put = |parts: &[&str]| {
        buf.clear();
        parts.iter().for_each(|s| buf.push_str(s));
        emit(&buf);
    };
    let tenth = |x: f32| TENTHS[((x.clamp(0.0, 1.0) * 10.0) as usize).min(9)];
    let yes_no = |b: bool| if b { "true" } else { "false" };
    let rule = p.source_rule.as_str();
    let sp = tenth(p.source_p);
    put(&["bias"]);
    put(&["rule=", rule]);
    put(&["sp=", sp]);
    put(&["rule|sp=", rule, "|", sp]);
    put(&["cp=", tenth(p.cue_p)]);
    put(&["canon=", tenth(canon_conf)]);
    let kind = match kind {
        QuoteKind::Direct => "Direct",
        QuoteKind::Indirect => "Indirect",
        QuoteKind::Mixed => "Mixed",
    };
    put(&["kind=", kind]);
    let sent = &doc.sent_toks[i];
    let inside = |r: &Range<usize>| r.start < sent.end && sent.start < r.end;
    put(&["cue_in=", yes_no(inside(&p.cue))]);
    if let Some(cue) = doc.tokens.get(p.cue.start) {
        put(&["cue=", &cue.norm]);
    }
    if let Some(src) = p.source.as_ref().filter(|s| s.start < s.end) {
        put(&["src_in=", yes_no(inside(src))]);
        put(&["src_before=", yes_no(src.end <= p.cue.start)]);
        let words = &doc.tokens[src.clone()];
        let n = match words.len() {
            0..=3 => TENTHS[words.len()],
            4..=6 => "4",
            _ => "7",
        };
        put(&["src_len=", n]);
        if words.iter().any(|t| t.norm == ",") {
            put(&["src_comma"]);
        }
        let last = &words[words.len() - 1];
        let mention = if words.len() == 1 && word_in(&PERSONAL, &last.norm) {
            "pronoun"
        } else if words.len() == 1 && word_in(&RELATIVES, &last.norm) {
            "relative"
        } else if doc.text[last.span.clone()].starts_with(char::is_uppercase) {
            "name"
        } else {
            "common"
        };
        put(&["mention=", mention]);
        put(&["mention|rule=", mention, "|", rule]);
    }
}

/// [`speaker_features_into`], collected.
#[cfg(any(feature = "train", test))]
pub(crate) fn speaker_features(
    doc: &DocView,
    p: &Predicted,
    i: usize,
    canon_conf: f32,
) -> Vec<String> {
    let mut out = Vec::with_capacity(16);
    let kind = quote_kind(doc, &p.contents);
    speaker_features_into(doc, p, i, canon_conf, kind, &mut |f| out.push(f.to_owned()));
    out
}

/// For training the speaker-confidence model: each sentence that has a speaker, with the
/// attribution that speaks it and its [`speaker_features`].
#[cfg(feature = "train")]
pub(crate) fn speaker_rows(
    doc: &DocView,
    predicted: &[Predicted],
) -> Vec<(usize, usize, Vec<String>)> {
    let furniture: Vec<bool> = doc
        .sentences
        .iter()
        .map(|s| is_furniture(s.text(doc.text)))
        .collect();
    let speakers = sentence_speakers(doc, predicted, &furniture);
    speakers
        .covering
        .iter()
        .enumerate()
        .filter_map(|(i, pi)| {
            let pi = (*pi)?;
            predicted[pi].source.as_ref()?;
            Some((
                i,
                pi,
                speaker_features(doc, &predicted[pi], i, speakers.canon[pi].1),
            ))
        })
        .collect()
}

/// For each sentence, the attributions (indices into `predicted`, ascending) with a cue, source
/// or content that has a token in it: what [`covering_attribution`] looks at, found once for the
/// document instead of scanning every attribution for every sentence (quadratic: a 5 MB document
/// took minutes).
pub(crate) fn attributions_meeting_sentences(
    doc: &DocView,
    predicted: &[Predicted],
) -> Vec<Vec<usize>> {
    let mut meeting: Vec<Vec<usize>> = vec![Vec::new(); doc.sent_toks.len()];
    for (pi, p) in predicted.iter().enumerate() {
        let parts = std::iter::once(&p.cue)
            .chain(p.source.as_ref())
            .chain(&p.contents);
        for r in parts.filter(|r| r.start < r.end && r.end <= doc.tok_sent.len()) {
            for s in doc.tok_sent[r.start]..=doc.tok_sent[r.end - 1] {
                if let Some(m) = meeting.get_mut(s) {
                    if m.last() != Some(&pi) {
                        m.push(pi);
                    }
                }
            }
        }
    }
    meeting
}

/// The attribution whose cue, source and content tokens cover the most of sentence `i`, if
/// they cover at least half of its tokens (the reference scorer's rule, on tokens), or else one
/// whose reporting clause follows its content and only trails off ([`inverted_with_tail`]), or
/// one that leaves out only an aside between its source and cue ([`all_but_an_aside`]).
/// `meeting` are the attributions with a part in the sentence, ascending.
pub(crate) fn covering_attribution(
    doc: &DocView,
    predicted: &[Predicted],
    meeting: &[usize],
    i: usize,
) -> Option<usize> {
    covering_half(doc, predicted, meeting, i).or_else(|| {
        meeting.iter().copied().find(|&pi| {
            let sent = &doc.sent_toks[i];
            inverted_with_tail(doc, &predicted[pi], sent)
                || all_but_an_aside(doc, &predicted[pi], sent)
        })
    })
}

/// The attribution covering the most of sentence `i` among those of one speaker that together
/// cover at least half of it, when no single attribution does: "The trade minister Ivo Marsk
/// confirmed that the port would close, warning the board against delay." is Marsk's, though
/// neither of its two attributions covers half of it. One speaker: the same source tokens, or
/// the same canonical name (`canon`, one per attribution).
pub(crate) fn covering_together(
    doc: &DocView,
    predicted: &[Predicted],
    canon: &[(String, f32)],
    meeting: &[usize],
    i: usize,
) -> Option<usize> {
    let sent = &doc.sent_toks[i];
    if meeting.len() < 2 || sent.is_empty() {
        return None;
    }
    let covers = |p: &Predicted, t: usize| {
        p.cue.contains(&t)
            || p.source.as_ref().is_some_and(|r| r.contains(&t))
            || p.contents.iter().any(|r| r.contains(&t))
    };
    let same = |a: usize, b: usize| {
        let (pa, pb) = (&predicted[a], &predicted[b]);
        match (&pa.source, &pb.source) {
            (Some(x), Some(y)) => {
                x == y
                    || canon
                        .get(a)
                        .zip(canon.get(b))
                        .is_some_and(|(x, y)| !x.0.is_empty() && x.0 == y.0)
            }
            _ => false,
        }
    };
    let mut best: Option<(usize, usize)> = None;
    for (k, &a) in meeting.iter().enumerate() {
        let group: Vec<usize> = meeting[k..]
            .iter()
            .copied()
            .filter(|&b| b == a || same(a, b))
            .collect();
        if group.len() < 2 {
            continue;
        }
        let together = sent
            .clone()
            .filter(|&t| group.iter().any(|&b| covers(&predicted[b], t)))
            .count();
        if together * 2 < sent.len() {
            continue;
        }
        for &b in &group {
            let own = sent.clone().filter(|&t| covers(&predicted[b], t)).count();
            if best.is_none_or(|x| own > x.1) {
                best = Some((b, own));
            }
        }
    }
    best.map(|b| b.0)
}

/// Whether `p` covers its sentence but for an aside set off by commas, dashes or parentheses
/// between its source and its cue: "The Velin campaign, which has been shadowed for months by
/// the row over its funding, said that the letters had no bearing on the vote." The reference
/// scorer's half rule leaves such a sentence unattributed when the aside is longer than what
/// was said; a reader sees the campaign's words. Source, cue and content lie inside the
/// sentence, and everything else in it is the aside and punctuation.
pub(crate) fn all_but_an_aside(doc: &DocView, p: &Predicted, sent: &Range<usize>) -> bool {
    let Some(src) = &p.source else {
        return false;
    };
    let inside = |r: &Range<usize>| sent.start <= r.start && r.end <= sent.end && r.start < r.end;
    if !inside(&p.cue) || !inside(src) || src.end >= p.cue.start || p.contents.is_empty() {
        return false;
    }
    if !p.contents.iter().all(|c| inside(c) && c.start >= p.cue.end) {
        return false;
    }
    let covered = |t: usize| {
        p.cue.contains(&t) || src.contains(&t) || p.contents.iter().any(|c| c.contains(&t))
    };
    let word = |t: usize| doc.tokens[t].norm.chars().any(char::is_alphanumeric);
    // Every word left out lies in one run between the source and the cue, that a mark opens
    // right after the source and its partner closes right before the cue.
    let (a, b) = (src.end, p.cue.start);
    let marks = b > a + 2
        && matches!(
            (doc.q(a), doc.q(b - 1)),
            (",", ",") | ("—", "—") | ("–", "–") | ("--", "--") | ("(", ")")
        );
    marks
        && (a + 1..b - 1).any(word)
        && sent
            .clone()
            .filter(|&t| t < a || t >= b)
            .all(|t| covered(t) || !word(t))
}

/// Whether `p` is a sentence's content followed by its reporting clause, with only what the
/// clause trails off into after them: "“We are ready,” Velin told the Gazette on Monday at the
/// port." The reference scorer's half rule leaves such a sentence unattributed when the
/// addressee, time and place outweigh the quotation, where a reader sees Velin's words. The
/// content opens the sentence (or runs into it from the one before), the cue and source follow
/// it with nothing but punctuation between, and both lie inside the sentence.
pub(crate) fn inverted_with_tail(doc: &DocView, p: &Predicted, sent: &Range<usize>) -> bool {
    let Some(src) = &p.source else {
        return false;
    };
    let inside = |r: &Range<usize>| sent.start <= r.start && r.end <= sent.end && r.start < r.end;
    if !inside(&p.cue) || !inside(src) {
        return false;
    }
    let clause = p.cue.start.min(src.start);
    // The content part that meets the sentence must open it: at most an opening quotation
    // mark before it.
    let Some(c) = p
        .contents
        .iter()
        .find(|c| c.start < sent.end && sent.start < c.end)
    else {
        return false;
    };
    let punct = |t: usize| !doc.tokens[t].norm.chars().any(char::is_alphanumeric);
    // A comma or a closing quotation mark sets the clause off: "…,” Velin said", not
    // "… claims Amendment".
    let sets_off = |t: usize| matches!(doc.q(t), "," | "\"" | "”" | "''" | "»" | "’");
    c.start <= sent.start + usize::from(punct(sent.start))
        && c.end <= clause
        && c.start < clause
        && (c.end..clause).all(punct)
        && sets_off(clause - 1)
        && p.contents.iter().all(|o| o.end <= clause)
}

/// The reference scorer's rule alone: the attribution covering the most of sentence `i`, if it
/// covers at least half of its tokens.
pub(crate) fn covering_half(
    doc: &DocView,
    predicted: &[Predicted],
    meeting: &[usize],
    i: usize,
) -> Option<usize> {
    let sent = &doc.sent_toks[i];
    if sent.is_empty() {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    let meets = |r: &Range<usize>| r.start < sent.end && sent.start < r.end;
    for (pi, p) in meeting.iter().map(|&pi| (pi, &predicted[pi])) {
        // An attribution none of whose parts meets the sentence covers none of it.
        if !(meets(&p.cue) || p.source.as_ref().is_some_and(meets) || p.contents.iter().any(meets))
        {
            continue;
        }
        let mut cov = 0;
        for t in sent.clone() {
            let inside = |r: &Range<usize>| r.contains(&t);
            if inside(&p.cue)
                || p.source.as_ref().is_some_and(inside)
                || p.contents.iter().any(inside)
            {
                cov += 1;
            }
        }
        if cov > 0 && best.is_none_or(|b| cov > b.1) {
            best = Some((pi, cov));
        }
    }
    best.filter(|b| b.1 * 2 >= sent.len()).map(|b| b.0)
}

#[cfg(test)]
mod covering {
    use super::*;

    /// `covering_attribution` as it was: every attribution scanned for every sentence.
    fn full_scan(doc: &DocView, predicted: &[Predicted], i: usize) -> Option<usize> {
        let all: Vec<usize> = (0..predicted.len()).collect();
        covering_attribution(doc, predicted, &all, i)
    }

    fn hand_made(
        cue: Range<usize>,
        source: Range<usize>,
        contents: Vec<Range<usize>>,
    ) -> Predicted {
        Predicted {
            cue,
            cue_p: 0.9,
            source: Some(source),
            source_p: 0.9,
            contents,
            source_why: Vec::new(),
            kind: None,
            source_rule: crate::attribution::SourceRule::Model,
        }
    }

    #[test]
    fn format_4_models_keep_the_old_speaker_confidence() {
        let p = Pipeline::embedded().unwrap();
        let text = "\u{201c}The quay will close,\u{201d} said Ivo Marsk. Velin said it would not.";
        let new = p.classify(text);
        let mut v = serde_json::to_value(p.attribution.file()).unwrap();
        v["format_version"] = 4.into();
        v.as_object_mut().unwrap().remove("speaker");
        let old_model = AttributionModel::from_bytes(
            serde_json::to_string(&v).unwrap().as_bytes(),
            Path::new("old.json"),
        )
        .unwrap();
        assert!(old_model.speaker_confidence(|_| {}).is_none());
        let old = Pipeline::from_models(p.stance.clone(), old_model);
        let old = old.classify(text);
        // The same speakers; the old confidence is the source probability times the canonical
        // name's, the new one the speaker-confidence model's.
        let doc = p.attribution.view(text);
        let predicted = p.attribution.predict(&doc);
        let canon = canonical_speakers(&doc, &predicted);
        let mut checked = 0;
        for (a, b) in old.sentences.iter().zip(&new.sentences) {
            let (Some(x), Some(y)) = (&a.speaker, &b.speaker) else {
                assert_eq!(a.speaker, b.speaker);
                continue;
            };
            assert_eq!((&x.text, &x.canonical), (&y.text, &y.canonical));
            let pi = predicted
                .iter()
                .position(|q| q.source.as_ref().map(|s| doc.char_span(s).start) == Some(x.start))
                .unwrap();
            assert_eq!(
                x.confidence,
                (predicted[pi].source_p * canon[pi].1).clamp(0.0, 1.0)
            );
            assert_ne!(x.confidence, y.confidence);
            checked += 1;
        }
        assert_eq!(checked, 2);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one content segment each
    fn speaker_features_say_how_the_source_was_found() {
        let p = Pipeline::embedded().unwrap();
        // 0 She 1 said 2 the 3 quay 4 was 5 closed 6 . 7 Ivo 8 Marsk 9 , 10 the 11 harbour
        // 12 master 13 , 14 agreed 15 .
        let text = "She said the quay was closed. Ivo Marsk, the harbour master, agreed.";
        let doc = p.attribution.view(text);
        assert_eq!(doc.sent_toks.len(), 2);
        let she = hand_made(1..2, 0..1, vec![2..6]);
        let has_all = |f: Vec<String>, want: &[&str]| {
            for w in want {
                assert!(f.iter().any(|x| x == w), "{w} not in {f:?}");
            }
        };
        has_all(
            speaker_features(&doc, &she, 0, 0.6),
            &[
                "rule=model",
                "sp=9",
                "canon=6",
                "cue=said",
                "cue_in=true",
                "src_in=true",
                "src_before=true",
                "src_len=1",
                "mention=pronoun",
                "kind=Indirect",
            ],
        );
        // The same attribution speaking the next sentence, its source found by a rule.
        let carried = Predicted {
            source_rule: crate::attribution::SourceRule::Fallback,
            source_p: 0.04,
            ..she.clone()
        };
        has_all(
            speaker_features(&doc, &carried, 1, 0.3),
            &[
                "rule=fallback",
                "sp=0",
                "rule|sp=fallback|0",
                "cue_in=false",
                "src_in=false",
            ],
        );
        let marsk = hand_made(14..15, 7..13, vec![]);
        has_all(
            speaker_features(&doc, &marsk, 1, 0.9),
            &["src_len=4", "src_comma", "mention=common"],
        );
        // The shipped model scores them: a probability each, the carried one lower.
        let conf = |a: &Predicted, i, c| {
            p.attribution
                .speaker_confidence(|emit| {
                    speaker_features_into(&doc, a, i, c, quote_kind(&doc, &a.contents), emit)
                })
                .expect("the shipped model has a speaker-confidence model")
        };
        let (a, b) = (conf(&she, 0, 0.6), conf(&carried, 1, 0.3));
        assert!((0.0..=1.0).contains(&a) && (0.0..=1.0).contains(&b));
        assert!(a > b, "{a} <= {b}");
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one content segment each
    fn two_attributions_of_one_speaker_cover_a_sentence_together() {
        let p = Pipeline::embedded().unwrap();
        // 0 The 1 trade 2 minister 3 Ivo 4 Marsk 5 confirmed 6 that 7 the 8 port 9 would
        // 10 close 11 , 12 warning 13 the 14 board 15 against 16 delay 17 .
        let text = "The trade minister Ivo Marsk confirmed that the port would close, warning the \
                    board against delay.";
        let doc = p.attribution.view(text);
        assert_eq!(doc.sent_toks.len(), 1);
        assert_eq!(doc.q(12), "warning");
        // Each covers less than half of the 18 tokens: 1 + 5 and 1 + 4.
        let confirmed = hand_made(5..6, 4..5, vec![6..11]);
        let warning = hand_made(12..13, 4..5, vec![13..17]);
        let both = [confirmed, warning];
        assert_eq!(covering_half(&doc, &both, &[0, 1], 0), None);
        let canon = vec![("Ivo Marsk".to_owned(), 0.9); 2];
        assert_eq!(covering_together(&doc, &both, &canon, &[0, 1], 0), Some(0));
        // The same canonical name from other source tokens counts as one speaker; other names,
        // or a single attribution, do not.
        let [confirmed, mut warning] = both;
        warning.source = Some(3..5);
        let both = [confirmed, warning];
        assert_eq!(covering_together(&doc, &both, &canon, &[0, 1], 0), Some(0));
        let two = vec![("Ivo Marsk".to_owned(), 0.9), ("Ada Velin".to_owned(), 0.9)];
        assert_eq!(covering_together(&doc, &both, &two, &[0, 1], 0), None);
        assert_eq!(covering_together(&doc, &both, &canon, &[0], 0), None);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one content segment each
    fn a_trailing_reporting_clause_keeps_its_speaker() {
        let p = Pipeline::embedded().unwrap();
        // 0 “ 1 We 2 are 3 ready 4 , 5 ” 6 Velin 7 told 8 the 9 Harbour 10 Gazette 11 on
        // 12 Monday 13 at 14 the 15 port 16 .
        let text =
            "\u{201c}We are ready,\u{201d} Velin told the Harbour Gazette on Monday at the port.";
        let doc = p.attribution.view(text);
        assert_eq!(doc.sent_toks.len(), 1);
        let sent = doc.sent_toks[0].clone();
        assert_eq!(doc.q(6), "velin");
        let quote = hand_made(7..8, 6..7, vec![0..6]);
        // Six of seventeen tokens: short of the half rule, kept by the tail rule.
        assert_eq!(
            covering_half(&doc, std::slice::from_ref(&quote), &[0], 0),
            None
        );
        assert!(inverted_with_tail(&doc, &quote, &sent));
        assert_eq!(
            covering_attribution(&doc, std::slice::from_ref(&quote), &[0], 0),
            Some(0)
        );
        // Not when the content is inside the sentence, after its opening ...
        let late = hand_made(7..8, 6..7, vec![2..6]);
        assert!(!inverted_with_tail(&doc, &late, &sent));
        // ... nor without a comma or quotation mark before the clause ...
        let bare = hand_made(7..8, 6..7, vec![0..4]);
        let no_mark = hand_made(4..5, 3..4, vec![1..3]);
        assert!(inverted_with_tail(&doc, &bare, &sent));
        assert!(!inverted_with_tail(&doc, &no_mark, &sent));
        // ... nor with a content part after the clause, nor without a source.
        let after = hand_made(7..8, 6..7, vec![0..6, 8..11]);
        assert!(!inverted_with_tail(&doc, &after, &sent));
        let mut no_source = quote;
        no_source.source = None;
        assert!(!inverted_with_tail(&doc, &no_source, &sent));
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one content segment each
    fn a_reporting_clause_around_an_aside_keeps_its_speaker() {
        let p = Pipeline::embedded().unwrap();
        // 0 The 1 board 2 , 3 which 4 has 5 been 6 shadowed 7 for 8 months 9 by 10 a 11 row
        // 12 over 13 its 14 funds 15 , 16 said 17 that 18 the 19 ships 20 were 21 safe 22 .
        let text = "The board, which has been shadowed for months by a row over its funds, said \
                    that the ships were safe.";
        let doc = p.attribution.view(text);
        assert_eq!(doc.sent_toks.len(), 1);
        let sent = doc.sent_toks[0].clone();
        assert_eq!(doc.q(16), "said");
        let said = hand_made(16..17, 0..2, vec![17..22]);
        // Eight of twenty-three tokens: short of the half rule, kept by the aside rule.
        assert_eq!(
            covering_half(&doc, std::slice::from_ref(&said), &[0], 0),
            None
        );
        assert!(all_but_an_aside(&doc, &said, &sent));
        assert_eq!(
            covering_attribution(&doc, std::slice::from_ref(&said), &[0], 0),
            Some(0)
        );
        // Not when words outside the aside are left out ...
        let short = hand_made(16..17, 0..2, vec![17..20]);
        assert!(!all_but_an_aside(&doc, &short, &sent));
        // ... nor when the aside is not set off from the source ...
        let inside = hand_made(16..17, 0..1, vec![17..22]);
        assert!(!all_but_an_aside(&doc, &inside, &sent));
        // ... nor without a source ...
        let mut no_source = said;
        no_source.source = None;
        assert!(!all_but_an_aside(&doc, &no_source, &sent));
        // ... nor when the marks around the words left out are no pair.
        let text = "Velin (AFP) \u{2013} the board has met, said that the ships were safe.";
        let doc = p.attribution.view(text);
        let sent = doc.sent_toks[0].clone();
        assert_eq!((doc.q(1), doc.q(9), doc.q(10)), ("(", ",", "said"));
        let unpaired = hand_made(10..11, 0..1, vec![11..16]);
        assert!(!all_but_an_aside(&doc, &unpaired, &sent));
    }

    #[test]
    fn the_sentence_index_finds_what_the_full_scan_finds() {
        let p = Pipeline::embedded().unwrap();
        let texts = [
            "Kremlin spokesman Dmitry Peskov said Russia would respond. \"We will not wait,\" he \
             added. \"Nor will we stop.\n\nIt is over,\" he said. Kyiv, officials said, was calm.",
            "According to officials, the talks ended \u{2014} \u{201c}for now\u{201d}, Kirby told \
             reporters. He said: \u{201c}We are done. Really done. Truly.\u{201d} No comment.",
            "",
            "said said said. \" \" \" he said \"",
        ];
        let mut checked = 0;
        for text in texts {
            let doc = p.attribution.view(text);
            let predicted = p.attribution.predict(&doc);
            let meeting = attributions_meeting_sentences(&doc, &predicted);
            assert_eq!(meeting.len(), doc.sentences.len());
            for (i, m) in meeting.iter().enumerate() {
                let got = covering_attribution(&doc, &predicted, m, i);
                assert_eq!(got, full_scan(&doc, &predicted, i), "{text:?} sentence {i}");
                checked += usize::from(got.is_some());
            }
        }
        assert!(checked > 3, "{checked}");
    }
}
