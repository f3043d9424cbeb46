//! Tests of the attribution models, their candidates and their decoding rules, on made-up text.

use super::*;
use proptest::prelude::*;

fn view(text: &str) -> DocView<'_> {
    DocView::new(text, &Tokenizer::default(), &SentenceSplitter::new())
}

fn texts(doc: &DocView, rs: &[Range<usize>]) -> Vec<String> {
    rs.iter()
        .map(|r| {
            let a = doc.tokens[r.start].span.start;
            let b = doc.tokens[r.end - 1].span.end;
            doc.text[a..b].to_owned()
        })
        .collect()
}

#[test]
fn trim_range_drops_unpaired_parentheses_only() {
    let d = view("(Velin said the port was not at fault.) Marsk (the harbour master) agreed.");
    let all = 0..d.tokens.len();
    let sent0 = d.sent_toks[0].clone();
    // The sentence's own "(" and ")" pair up: both stay.
    assert_eq!(
        texts(&d, &[trim_range(&d, sent0.clone())]),
        ["(Velin said the port was not at fault.)"]
    );
    // Without its "(", the ")" and the full stop before it go.
    let said = (0..d.tokens.len())
        .find(|&i| d.tokens[i].norm == "said")
        .unwrap();
    assert_eq!(
        texts(&d, &[trim_range(&d, said + 1..sent0.end)]),
        ["the port was not at fault"]
    );
    // Without its ")", the "(" goes; a paired aside inside a range stays.
    let marsk = (0..d.tokens.len())
        .find(|&i| d.tokens[i].norm == "marsk")
        .unwrap();
    assert_eq!(texts(&d, &[trim_range(&d, 0..said)]), ["Velin"]);
    assert_eq!(
        texts(&d, &[trim_range(&d, marsk..all.end)]),
        ["Marsk (the harbour master) agreed"]
    );
}

/// A prediction for the decoding rules' tests: its contents after the cue, no explanation.
fn predicted(
    cue: Range<usize>,
    cue_p: f32,
    source: Option<Range<usize>>,
    source_p: f32,
    contents: Vec<Range<usize>>,
) -> Predicted {
    Predicted {
        cue,
        cue_p,
        source,
        source_p,
        contents,
        source_why: Vec::new(),
        kind: Some(ContentKind::After),
        source_rule: SourceRule::Model,
    }
}

/// [`predicted`] with a content before its cue.
fn predicted_before(
    cue: Range<usize>,
    cue_p: f32,
    source: Option<Range<usize>>,
    source_p: f32,
    contents: Vec<Range<usize>>,
) -> Predicted {
    Predicted {
        kind: Some(ContentKind::Before),
        ..predicted(cue, cue_p, source, source_p, contents)
    }
}

fn find(doc: &DocView, word: &str) -> usize {
    doc.tokens
        .iter()
        .position(|t| &doc.text[t.span.clone()] == word)
        .unwrap_or_else(|| panic!("no token {word:?}"))
}

#[test]
fn stems_join_inflections() {
    for w in ["warn", "warns", "warned", "warning"] {
        assert_eq!(cue_stem(w), "warn", "{w}");
    }
    for w in ["argue", "argued", "argues", "arguing"] {
        assert_eq!(cue_stem(w), "argu", "{w}");
    }
    // Short words stay whole.
    assert_eq!(cue_stem("says"), "say");
    assert_eq!(cue_stem("is"), "is");
    assert_eq!(cue_stem(":"), ":");
}

#[test]
fn doubled_apostrophes_are_quotation_marks() {
    let d = view("''We will not go,'' he said. ''Not today.''");
    let first = 0;
    assert_eq!(d.qpair[first], 1);
    assert_eq!(d.qpair[first + 1], -1);
    assert_eq!(d.q(first), "\"");
    let we = find(&d, "We");
    let he = find(&d, "he");
    assert!(d.in_quote[we]);
    assert!(!d.in_quote[he]);
    // "''We will not go,''" is one content, whole marks included.
    let mut r = we..we + 1;
    r = d.whole_marks(first + 1..r.end);
    assert_eq!(r.start, first);
}

#[test]
fn curly_apostrophes_inside_words_do_not_close_quotations() {
    let d = view("“Pilots will go to any length to delay the guild’s inquiry,” she said.");
    let apo = d.tokens.iter().position(|t| t.norm == "’").unwrap();
    assert_eq!(d.qpair[apo], 2);
    assert_eq!(d.q(apo), "'");
    let mut r = 0..3;
    close_quote(&d, &mut r);
    assert_eq!(
        texts(&d, &[r]),
        ["“Pilots will go to any length to delay the guild’s inquiry,”"]
    );
}

#[test]
fn a_verb_of_saying_after_the_clause_it_reports_takes_the_mention_after_it() {
    let inverted = |text: &str, cue: &str, source: (&str, &str)| {
        let d = view(text);
        let c = find(&d, cue);
        let (a, b) = (find(&d, source.0), find(&d, source.1) + 1);
        inverted_after_clause(
            &d,
            &(c..c + 1),
            &SourceCand {
                toks: a..b,
                before: false,
            },
        )
    };
    let clause = "The harbour will close next spring, said several officials.";
    assert!(inverted(clause, "said", ("several", "officials")));
    let named = "The quay is not safe, says Ivo Marsk, a pilot at the port.";
    assert!(inverted(named, "says", ("Ivo", "Marsk")));
    // No clause before the comma: an appositive or a relative clause of the subject.
    let apposition = "Ivo Marsk, a pilot at the port, said Velin was right.";
    assert!(!inverted(apposition, "said", ("Velin", "Velin")));
    let relative = "Velin, who is 28, said Marsk was wrong about the quay.";
    assert!(!inverted(relative, "said", ("Marsk", "Marsk")));
    // Not a mention after the cue, or no speaker before it.
    let complement = "The harbour will close next spring, said that the quay was unsafe.";
    assert!(!inverted(complement, "said", ("that", "unsafe")));
    let pronoun = "The harbour will close next spring, said he on Monday.";
    assert!(!inverted(pronoun, "said", ("he", "he")));
    let survey = "A survey of pilots that have worked here, shows Velin leaving.";
    assert!(!inverted(survey, "shows", ("Velin", "Velin")));
    // Inside a quotation: another rule's.
    let quoted = "“The harbour will close next spring, said several officials.”";
    assert!(!inverted(quoted, "said", ("several", "officials")));
}

#[test]
fn a_quotation_after_a_short_phrase_after_the_cue_is_the_content() {
    let d = view("The crowd chanted back at him, “Close the port,” and left.");
    let chanted = find(&d, "chanted");
    let at = find(&d, "at");
    let open = d.tokens.iter().position(|t| t.norm == "“").unwrap();
    let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
    let cand = |toks: Range<usize>, kind| Some((0.5, ContentCand { toks, kind }));
    let quote = cand(open..close + 1, ContentKind::Quote);
    let block = 0..at;
    let got = quoted_after(&d, &block, &cand(at..at + 2, ContentKind::AfterCut), &quote);
    assert_eq!(got.map(|(_, c)| c.toks), Some(open..close + 1));
    // Not after a longer phrase or a clause, nor when the model chose the quotation.
    let long = cand(chanted..at + 2, ContentKind::AfterCut);
    assert!(quoted_after(&d, &(0..chanted), &long, &quote).is_none());
    let d = view("The crowd said it was late, “Close the port,” and left.");
    let it = find(&d, "it");
    let open = d.tokens.iter().position(|t| t.norm == "“").unwrap();
    let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
    let quote = cand(open..close + 1, ContentKind::Quote);
    let clause = cand(it..it + 3, ContentKind::AfterCut);
    assert!(quoted_after(&d, &(0..it), &clause, &quote).is_none());
    assert!(quoted_after(&d, &(0..it), &quote, &quote).is_none());
}

#[test]
fn opening_phrases_say_when_or_where() {
    let d = view("In 2010 at the port she said so, and in what she called a rant, it is over.");
    let phrase = |a: &str, n: usize| {
        let i = find(&d, a);
        opening_phrase(&d, &(i..i + n))
    };
    assert!(phrase("In", 2));
    assert!(phrase("In", 5));
    // Too long, or a clause of its own.
    assert!(!phrase("In", 6));
    assert!(!phrase("it", 3));
    let d = view("At the port is where the pilots wait.");
    assert!(!opening_phrase(&d, &(0..4)));
}

#[test]
fn a_quotation_nested_in_another_does_not_end_it() {
    let d = view(
        "“We asked the harbour board. The pilots call it ‘the long wait,’ and it is getting \
         longer. We are told ‘no’ every time.” Velin said so.",
    );
    let open = d.tokens.iter().position(|t| t.norm == "“").unwrap();
    let mut r = open..open + 1;
    close_quote(&d, &mut r);
    let all = "“We asked the harbour board. The pilots call it ‘the long wait,’ and it is \
               getting longer. We are told ‘no’ every time.”";
    assert_eq!(texts(&d, &[r]), [all]);
    // Back from the closing mark, past the nested ones, to the opening one.
    let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
    let mut r = find(&d, "every")..close + 1;
    open_quote(&d, &mut r, &vec![false; d.tokens.len()]);
    assert_eq!(texts(&d, &[r]), [all]);
}

#[test]
fn a_content_closing_a_quotation_starts_at_its_opening_mark() {
    let text = "“The tide is late. It is one of the things that worry the crews,” he said.";
    let d = view(text);
    assert_eq!(d.sent_toks.len(), 2);
    let it = d.sent_toks[1].start;
    let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
    let mut r = it..close + 1;
    open_quote(&d, &mut r, &vec![false; d.tokens.len()]);
    assert_eq!(
        texts(&d, &[r]),
        ["“The tide is late. It is one of the things that worry the crews,”"]
    );
    // A cue inside stops it.
    let mut taken = vec![false; d.tokens.len()];
    taken[find(&d, "tide")] = true;
    let mut r = it..close + 1;
    open_quote(&d, &mut r, &taken);
    assert_eq!(r.start, it);
}

#[test]
fn a_quotation_after_its_cue_runs_over_the_next_quoted_sentences() {
    let text = "“We are on our fourth secretary,” he said. “There is a reason. None of them agreed.” Then he left.";
    let d = view(text);
    let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
    let mut out = Vec::new();
    extend_quote(
        &d,
        &(0..close + 1),
        &(close + 2..close + 3),
        &vec![false; d.tokens.len()],
        &mut out,
    );
    assert_eq!(
        texts(&d, &out),
        ["“There is a reason. None of them agreed.”"]
    );
    // A cue inside the next quotation does not stop it; one after it in its last sentence
    // does (its words are that cue's: "“B. C.” she added.").
    let text = "“We are ready,” he said. “The board was right when it warned us. We sail.” Then \
                he left.";
    let d = view(text);
    let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
    let warned = find(&d, "warned");
    let mut out = Vec::new();
    let t = taken(&d, &[(warned, warned + 1)]);
    extend_quote(&d, &(0..close + 1), &(close + 2..close + 3), &t, &mut out);
    assert_eq!(
        texts(&d, &out),
        ["“The board was right when it warned us. We sail.”"]
    );
    let d = view("“We are ready,” he said. “The board was right. We sail,” he added.");
    let close = d.tokens.iter().position(|t| t.norm == "”").unwrap();
    let added = find(&d, "added");
    let mut out = Vec::new();
    let t = taken(&d, &[(added, added + 1)]);
    extend_quote(&d, &(0..close + 1), &(close + 2..close + 3), &t, &mut out);
    assert!(out.is_empty(), "{:?}", texts(&d, &out));
}

/// The texts of the source candidates of the one-token cue at `cue`.
fn source_texts(d: &DocView, cue: usize) -> Vec<String> {
    source_candidates(d, &(cue..cue + 1))
        .iter()
        .map(|c| texts(d, std::slice::from_ref(&c.toks)).remove(0))
        .collect()
}

/// `taken` with the tokens of `cues` marked.
fn taken(d: &DocView, cues: &[(usize, usize)]) -> Vec<bool> {
    let mut t = vec![false; d.tokens.len()];
    for &(a, b) in cues {
        t[a..b].iter_mut().for_each(|x| *x = true);
    }
    t
}

#[test]
fn a_source_and_cue_between_commas_split_one_content() {
    let d =
        view("“Every time you say that,” she said, “you give ammunition to them.” Then she left.");
    let said = find(&d, "said");
    let block = said - 1..said + 1;
    let first = 0..find(&d, "she");
    let t = taken(&d, &[(said, said + 1)]);
    let other = other_half(&d, &first, &block, &t).unwrap();
    assert_eq!(texts(&d, &[other]), ["“you give ammunition to them.”"]);

    // A short phrase after the cue, then the second half.
    let d = view("“He will be fair,” Marden said during a rally in Ohio, “but we will see.”");
    let said = find(&d, "said");
    let block = said - 1..said + 1;
    let first = 0..said - 1;
    let t = taken(&d, &[(said, said + 1)]);
    let other = other_half(&d, &first, &block, &t).unwrap();
    assert_eq!(texts(&d, &[other]), ["“but we will see.”"]);

    let d = view("The gallery, Mr. Pell said, would make visitors face hard questions.");
    let said = find(&d, "said");
    let block = find(&d, "Mr")..said + 1;
    let after = said + 2..d.tokens.len() - 1;
    let t = taken(&d, &[(said, said + 1)]);
    let other = other_half(&d, &after, &block, &t).unwrap();
    assert_eq!(texts(&d, &[other]), ["The gallery"]);

    // Not split: a phrase before a source and cue is not the first half of a quotation,
    // and a cue that opens the sentence or has no comma after it splits nothing.
    let d = view("In a briefing, the spokesperson stated, “We deny it.”");
    let stated = find(&d, "stated");
    let t = taken(&d, &[(stated, stated + 1)]);
    let quote = stated + 2..d.tokens.len();
    let block = find(&d, "the")..stated + 1;
    assert_eq!(other_half(&d, &quote, &block, &t), None);
    let d = view("In Toledo, he said that the deal was bad.");
    let said = find(&d, "said");
    let t = taken(&d, &[(said, said + 1)]);
    let after = said + 1..d.tokens.len() - 1;
    assert_eq!(other_half(&d, &after, &(said - 1..said + 1), &t), None);
    // After a quotation, a phrase that is no quotation is not its second half.
    let d = view("“The ships are ready,” he said, smiling at the crowd.");
    let said = find(&d, "said");
    let t = taken(&d, &[(said, said + 1)]);
    let first = 0..said - 1;
    assert_eq!(other_half(&d, &first, &(said - 1..said + 1), &t), None);
}

#[test]
fn a_cue_sentence_without_content_takes_the_neighbouring_quotation() {
    let d = view("“How many more ships must we lose?” Halvard said. “In Dorrow, a pilot. This is too much.”\n\nNext paragraph.");
    let said = find(&d, "said");
    let t = taken(&d, &[(said, said + 1)]);
    let q = neighbour_quote(&d, &(said..said + 1), &t).unwrap();
    assert_eq!(texts(&d, &[q]), ["“How many more ships must we lose?”"]);

    let d = view("Halvard said. “In Dorrow, a pilot. This is too much.” He left.");
    let said = find(&d, "said");
    let t = taken(&d, &[(said, said + 1)]);
    let q = neighbour_quote(&d, &(said..said + 1), &t).unwrap();
    assert_eq!(texts(&d, &[q]), ["“In Dorrow, a pilot. This is too much.”"]);

    // "Limbaugh added:" ends its paragraph: the next paragraph is the content.
    let d = view("Limbaugh added:\n\nAnd this reeks of fear. She knows it.\n\nMook said no.");
    let added = find(&d, "added");
    let said = find(&d, "said");
    let t = taken(&d, &[(added, added + 2), (said, said + 1)]);
    let q = neighbour_quote(&d, &(added..added + 2), &t).unwrap();
    assert_eq!(texts(&d, &[q]), ["And this reeks of fear. She knows it"]);
}

#[test]
fn a_content_opening_a_quotation_after_some_words_runs_to_its_close() {
    let d = view(
        "Limbaugh told his audience, “What has happened is this. They sent orders.” Then he left.",
    );
    let mut r = find(&d, "his")..find(&d, "is") + 2;
    close_quote(&d, &mut r);
    assert_eq!(
        texts(&d, &[r]),
        ["his audience, “What has happened is this. They sent orders.”"]
    );
}

/// Each prediction's source text and content texts.
fn speakers_and_contents(d: &DocView, out: &[Predicted]) -> Vec<(String, Vec<String>)> {
    out.iter()
        .map(|p| {
            let src = texts(d, std::slice::from_ref(p.source.as_ref().unwrap())).remove(0);
            (src, texts(d, &p.contents))
        })
        .collect()
}

#[test]
fn transcript_turns_belong_to_their_labels() {
    let text = "Pence on Fox.\n\nPartial transcript as follows:\n\n\"WALLACE: Will she be there? I ask.\n\n\"PENCE: She will not. It is serious.\n\n\"But the truth is plain.\n\n\"(CROSSTALK.)\n\nThe end.";
    let d = view(text);
    let mut out = Vec::new();
    transcript_turns(&d, &mut out);
    let got = speakers_and_contents(&d, &out);
    assert_eq!(
        got,
        [
            (
                "WALLACE".to_owned(),
                vec!["Will she be there? I ask".to_owned()]
            ),
            (
                "PENCE".to_owned(),
                vec![
                    "She will not. It is serious".to_owned(),
                    "\"But the truth is plain".to_owned()
                ]
            ),
        ]
    );
    // One label is no transcript, and a standfirst in capitals is no speaker.
    let d = view("Title.\n\nBREAKING: Talks resume. Nothing else.\n\nUPDATE: More soon.");
    let mut out = Vec::new();
    transcript_turns(&d, &mut out);
    assert!(out.is_empty());
}

/// Asserts that each of `want` is among `got`.
fn assert_has(got: &[String], want: &[&str]) {
    for w in want {
        assert!(got.iter().any(|g| g == w), "{w:?} not in {got:?}");
    }
}

#[test]
fn a_participle_after_a_clause_takes_the_clause_subject() {
    // The model's source stands for the whole clause before the cue: `start..cue`.
    let subject = |text: &str, from: &str, cue: &str| {
        let d = view(text);
        let (a, c) = (find(&d, from), find(&d, cue));
        let s = SourceCand {
            toks: a..c,
            before: true,
        };
        participle_clause_subject(&d, &(c..c + 1), Some(&s)).map(|s| texts(&d, &[s.toks]).remove(0))
    };
    assert_eq!(
        subject(
            "After the vote, Velin released a new ad calling it a disgrace.",
            "Velin",
            "calling"
        )
        .as_deref(),
        Some("Velin")
    );
    assert_eq!(
        subject(
            "The harbour master was heard on a radio telling crews to stay.",
            "The",
            "telling"
        )
        .as_deref(),
        Some("The harbour master")
    );
    assert_eq!(
        subject(
            "By evening, she posted a note urging the board to act.",
            "she",
            "urging"
        )
        .as_deref(),
        Some("she")
    );
    // A noun phrase with no verb of its own keeps the model's source ("a group seeking"),
    // as does a participle after a comma (another rule's) and a past form after a
    // determiner ("the injured").
    assert_eq!(
        subject("Two of the pilots seeking a raise spoke.", "Two", "seeking"),
        None
    );
    assert_eq!(
        subject(
            "Marsk toured the quay, saying it was safe.",
            "Marsk",
            "saying"
        ),
        None
    );
    assert_eq!(
        subject("The injured crew seeking help waited.", "The", "seeking"),
        None
    );
}

#[test]
fn a_participle_cue_without_a_source_takes_the_sentence_subject() {
    let subject = |text: &str, cue: &str| {
        let d = view(text);
        let c = find(&d, cue);
        sentence_subject(&d, &(c..c + 1)).map(|s| texts(&d, &[s.toks]).remove(0))
    };
    assert_eq!(
        subject(
            "Wren Halvard spoke out Tuesday, arguing that it was wrong.",
            "arguing"
        )
        .as_deref(),
        Some("Wren Halvard")
    );
    assert_eq!(
        subject(
            "Liberal mayoral nominee Wren Halvard chimed in on Twitter, saying so.",
            "saying"
        )
        .as_deref(),
        Some("Liberal mayoral nominee Wren Halvard")
    );
    // A sentence that opens with an adverbial has no subject at its start.
    assert_eq!(
        subject("In Ohio, officials met, saying so.", "saying"),
        None
    );
    // Past opening connectives and an opening phrase up to its comma.
    assert_eq!(
        subject(
            "In an interview on Sunday, Halvard went on, saying so.",
            "saying"
        )
        .as_deref(),
        Some("Halvard")
    );
    assert_eq!(
        subject("And then Halvard went on the attack, saying so.", "saying").as_deref(),
        Some("Halvard")
    );
    assert_eq!(
        subject("In the end the vote failed, saying so.", "saying"),
        None
    );
    assert_eq!(
        subject("Initially a Liberal, he ran again, saying so.", "saying").as_deref(),
        Some("he")
    );
    // A pronoun, and past a dateline.
    assert_eq!(
        subject("And he went on the attack, saying so.", "saying").as_deref(),
        Some("he")
    );
    assert_eq!(
        subject(
            "DORROW (AP) — Wren Halvard went on the attack, saying so.",
            "saying"
        )
        .as_deref(),
        Some("Wren Halvard")
    );
    // A dateline in title case with a news agency, and an en dash.
    assert_eq!(
        subject(
            "Dorrow (AFP) – Wren Halvard went on the attack, saying so.",
            "saying"
        )
        .as_deref(),
        Some("Wren Halvard")
    );
}

#[test]
fn a_paragraph_after_a_colon_is_one_content() {
    let d = view(
        "Limbaugh added:\n\nAnd this reeks of fear. She can’t win? I mean it.\n\nMook said no.",
    );
    let added = find(&d, "added");
    let and = find(&d, "And");
    let mut r = and..find(&d, "fear") + 1;
    block_after_colon(&d, &(added..added + 2), &mut r);
    assert_eq!(
        texts(&d, &[r]),
        ["And this reeks of fear. She can’t win? I mean it"]
    );
    // Without a line break after the colon the content stays as it is.
    let d = view("Limbaugh added: And this reeks of fear. She can’t win.");
    let added = find(&d, "added");
    let mut r = find(&d, "And")..find(&d, "fear") + 1;
    let before = r.clone();
    block_after_colon(&d, &(added..added + 2), &mut r);
    assert_eq!(r, before);
}

#[test]
fn signed_quotations_belong_to_the_name_after_the_dash() {
    let text = "Readers wrote in.\n\n“He scares me. He is clueless.” ― Krystal Correa\n“Not fit.”― Edwin G. Monroy.\n\nA “quote” — and then a long clause follows here.";
    let d = view(text);
    let mut out = Vec::new();
    signed_quotes(&d, &mut out);
    let got = speakers_and_contents(&d, &out);
    assert_eq!(
        got,
        [
            (
                "Krystal Correa".to_owned(),
                vec!["“He scares me. He is clueless.”".to_owned()]
            ),
            ("Edwin G. Monroy".to_owned(), vec!["“Not fit.”".to_owned()]),
        ]
    );
}

#[test]
fn a_quotation_closed_by_a_comma_before_its_cue_is_its_content() {
    let d = view("“It is a mismatch,” Brisk, a surrogate, said Thursday morning on Dale Radio.");
    let said = find(&d, "said");
    let src = SourceCand {
        toks: find(&d, "Brisk")..find(&d, "surrogate") + 2,
        before: true,
    };
    let after = Some((
        0.9,
        ContentCand {
            toks: said + 1..find(&d, "Radio") + 1,
            kind: ContentKind::After,
        },
    ));
    let block = src.toks.start..said + 1;
    let (_, c) = quoted_before(&d, &block, &after).unwrap();
    assert_eq!(texts(&d, &[c.toks]), ["“It is a mismatch,”"]);
    // A quotation after the cue is the other half, which the model's choice keeps.
    let d = view("“It is,” he said, “a mismatch.”");
    let said = find(&d, "said");
    let he = find(&d, "he");
    let src = SourceCand {
        toks: he..he + 1,
        before: true,
    };
    assert!(quoted_before(&d, &(src.toks.start..said + 1), &after).is_none());
}

#[test]
fn heads_propose_auxiliaries_and_particles() {
    let d = view("Marden has repeatedly warned that the deal is bad.");
    let lex = CueLexicon::new(Vec::new(), &["warn".to_owned()]);
    let got = texts(&d, &lex.candidates(&d));
    for want in [
        "warned",
        "repeatedly warned",
        "has repeatedly warned",
        "warned that",
        "has repeatedly warned that",
    ] {
        assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
    }
    assert!(!got.iter().any(|g| g.starts_with("Marden")), "{got:?}");
}

#[test]
fn frames_propose_words_the_lexicon_never_saw() {
    let frame = |text: &str, word: &str| {
        let d = view(text);
        let i = find(&d, word);
        cue_frame(&d, &d.sent_toks[d.tok_sent[i]], i)
    };
    assert_eq!(
        frame("Zorvan quibbered that the bridge was late.", "quibbered"),
        Some("that")
    );
    assert_eq!(
        frame("“The bridge is late,” Mira Zorvan quibbered.", "quibbered"),
        Some("closeq")
    );
    assert_eq!(
        frame("“The bridge is late,” quibbered Zorvan.", "quibbered"),
        Some("closeq")
    );
    assert_eq!(
        frame("Zorvan quibbered: the bridge is late.", "quibbered"),
        Some("open")
    );
    assert_eq!(
        frame("Zorvan quibbered “the bridge is late.”", "quibbered"),
        Some("open")
    );
    // Not a verb-like word before "that", a function word, a word in no frame, a name.
    assert_eq!(frame("It was the bridge that fell.", "bridge"), None);
    assert_eq!(frame("It was this that we feared.", "this"), None);
    assert_eq!(
        frame("Zorvan quibbered about the bridge.", "quibbered"),
        None
    );
    assert_eq!(frame("“It is late,” Zorvan said.", "Zorvan"), None);
    // A lexicon with frames proposes the word, with its auxiliaries and particle; without
    // them, not.
    let d = view("Zorvan has quibbered that the bridge was late.");
    let lex = CueLexicon::new(Vec::new(), &["warn".to_owned()]);
    assert!(lex.candidates(&d).is_empty());
    let got = texts(&d, &lex.with_frames(true).candidates(&d));
    for want in ["quibbered", "has quibbered", "quibbered that"] {
        assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
    }
    assert!(!got.iter().any(|g| g.contains("bridge")), "{got:?}");
    // What the lexicon knows: a learned head (with its auxiliaries), a learned phrase; not a
    // word proposed by its frame alone, nor a phrase's first words alone.
    let lex = CueLexicon::new(
        vec![vec!["according".to_owned(), "to".to_owned()]],
        &["warn".to_owned()],
    );
    let d = view("Zorvan has warned that, according to Mira, it quibbered.");
    let at = |w: &str, n: usize| find(&d, w)..find(&d, w) + n;
    assert!(lex.knows(&d, &(find(&d, "has")..find(&d, "warned") + 1)));
    assert!(lex.knows(&d, &at("according", 2)));
    assert!(!lex.knows(&d, &at("according", 1)));
    assert!(!lex.knows(&d, &at("quibbered", 1)));
}

#[test]
fn format_3_models_propose_no_frame_words() {
    let shipped = AttributionModel::embedded().unwrap();
    assert_eq!(shipped.file().format_version, ATTRIBUTION_FORMAT_VERSION);
    // The shipped recipe has no frames (training/attribution.toml): a copy with them.
    let mut file = shipped.file().clone();
    file.cue_frames = true;
    let model = AttributionModel::from_file(file, Path::new("frames.json")).unwrap();
    let text = "Zorvan quibbered that the bridge was late.";
    let proposes = |m: &AttributionModel| {
        let d = m.view(text);
        let q = find(&d, "quibbered");
        m.lexicon.candidates(&d).contains(&(q..q + 1))
    };
    assert!(proposes(&model));
    let mut v = serde_json::to_value(model.file()).unwrap();
    v["format_version"] = 3.into();
    v.as_object_mut().unwrap().remove("cue_frames");
    let old = AttributionModel::from_bytes(
        serde_json::to_string(&v).unwrap().as_bytes(),
        Path::new("old.json"),
    )
    .unwrap();
    assert!(!old.file().cue_frames);
    assert!(!proposes(&old));
}

#[test]
fn sources_take_appositives_and_their_commas() {
    let d = view("Rendell, a Halvard surrogate, said the race was close.");
    let cue = find(&d, "said");
    let got = source_texts(&d, cue);
    assert!(
        got.iter().any(|g| g == "Rendell, a Halvard surrogate,"),
        "{got:?}"
    );
    assert!(got.iter().any(|g| g == "Rendell"), "{got:?}");

    let d = view("“It is over,” said Brian Baker, a longtime adviser who runs the group.");
    let cue = find(&d, "said");
    let got = source_texts(&d, cue);
    assert!(
        got.iter()
            .any(|g| g == "Brian Baker, a longtime adviser who runs the group"),
        "{got:?}"
    );
    assert!(got.iter().any(|g| g == "Brian Baker"), "{got:?}");

    // Dots of abbreviations do not count as words; a parenthesis is stepped over.
    let d = view("“It is a dismal day,” said Rep. B.T. Morrow (D-N.C.), head of the Canal Caucus.");
    let cue = find(&d, "said");
    let got = source_texts(&d, cue);
    assert_has(
        &got,
        &[
            "Rep. B.T. Morrow",
            "Rep. B.T. Morrow (D-N.C.)",
            "Rep. B.T. Morrow (D-N.C.), head of the Canal Caucus",
        ],
    );

    // The agent of a passive cue.
    let d = view("Brell has been called a fraud by fellow bakers for his loaves.");
    let cue = find(&d, "called");
    let got = source_texts(&d, cue);
    assert!(got.iter().any(|g| g == "fellow bakers"), "{got:?}");
}

#[test]
fn a_saying_verb_after_a_word_has_its_source_before_it() {
    let cue_at = |d: &DocView, w: &str| {
        let i = find(d, w);
        i..i + 1
    };
    for text in [
        "A report published Wednesday said Marr used a private account.",
        "Rep. Ilse Marr (D-Vel.) said Tamm was wrong.",
        "Velin toured the quay and said the ships were safe.",
    ] {
        let d = view(text);
        assert!(subject_before(&d, &cue_at(&d, "said")), "{text}");
    }
    // Inverted after a quotation or a comma, or by "so"; not a verb of saying.
    for (text, cue) in [
        ("“The ships are safe,” said Velin.", "said"),
        ("The ships are safe, said Velin.", "said"),
        ("So says the harbour master.", "says"),
        ("Velin toured the quay according to Tamm.", "according"),
    ] {
        let d = view(text);
        assert!(!subject_before(&d, &cue_at(&d, cue)), "{text}");
    }
    let d = view("Velin toured the quay and said it was safe.");
    assert!(coordinated(&d, &cue_at(&d, "said")));
    // After the cue, a clause's verb makes a candidate what was said.
    let after = |d: &DocView, from: &str| SourceCand {
        toks: find(d, from)..d.sent_toks[0].end - 1,
        before: false,
    };
    for (text, from, verb) in [
        (
            "Velin, who runs it, said Marsk's plan didn't help.",
            "Marsk",
            true,
        ),
        ("Velin, who runs it, said the plan was late.", "the", true),
        (
            "“It is late,” said Will Tamm, who has run the quay.",
            "Will",
            false,
        ),
        ("“It is late,” said Sophie in 't Veld.", "Sophie", false),
    ] {
        let d = view(text);
        assert_eq!(has_clause_verb(&d, &after(&d, from)), verb, "{text}");
    }
    // The agent after "by" of a passive stays a candidate.
    let d = view("The closure was first reported by the Harbour Gazette.");
    let by = find(&d, "by");
    let agent = SourceCand {
        toks: by + 1..by + 4,
        before: false,
    };
    assert!(by_agent(&d, &agent));
}

#[test]
fn a_source_stops_before_its_occasion() {
    for (text, from, to, want) in [
        (
            "Velin, speaking on Harbour Radio, said so.",
            "Velin",
            "Radio",
            "Velin",
        ),
        (
            "Rep. Ilse Marr (D-Vel.) at the time said so.",
            "Rep",
            "time",
            "Rep. Ilse Marr (D-Vel.)",
        ),
        // Not a participle of the occasion.
        (
            "Velin, leading the board, said so.",
            "Velin",
            "board",
            "Velin, leading the board",
        ),
    ] {
        let d = view(text);
        let mut s = SourceCand {
            toks: find(&d, from)..find(&d, to) + 1,
            before: true,
        };
        drop_occasion(&d, &mut s);
        assert_eq!(texts(&d, &[s.toks]), [want], "{text}");
    }
}

#[test]
fn a_sourceless_according_to_takes_its_clause() {
    let d = view("According to the pilot on duty at the north quay that night, the ship was late.");
    let cue = find(&d, "According")..find(&d, "to") + 1;
    let s = according_to_source(&d, &cue).expect("a source");
    assert_eq!(
        texts(&d, &[s.toks]),
        ["the pilot on duty at the north quay that night"]
    );
    // Nothing after it to take.
    let d = view("That is according to “the pilot”.");
    let cue = find(&d, "according")..find(&d, "to") + 1;
    assert!(according_to_source(&d, &cue).is_none());
}

#[test]
fn a_name_is_not_cut_between_its_capitalised_words() {
    // A web capture: the content starts on the next line, with no comma and no clause break.
    let text = "According to Velnian Trade Minister Ivo Marsk\nthe port's only purpose is to \
                carry grain to the coast and keep the river open for barges all year round.";
    let d = view(text);
    let cue = find(&d, "According")..find(&d, "to") + 1;
    assert!(
        d.sent_of(&cue).end > find(&d, "grain"),
        "one sentence over the line break"
    );
    let s = according_to_source(&d, &cue).expect("a source");
    assert_eq!(texts(&d, &[s.toks]), ["Velnian Trade Minister Ivo Marsk"]);
    // No candidate after a cue stops inside the name; across the line break, or before a
    // time word, it may.
    let cands: Vec<String> = source_candidates(&d, &cue)
        .into_iter()
        .map(|c| texts(&d, &[c.toks]).remove(0))
        .collect();
    assert!(
        cands.contains(&"Velnian Trade Minister Ivo Marsk".to_string()),
        "{cands:?}"
    );
    for cut in ["Velnian", "Velnian Trade Minister Ivo"] {
        assert!(!cands.contains(&cut.to_string()), "{cut}: {cands:?}");
    }
    let d = view("The port will close, said Marsk Monday in a statement.");
    let cue = find(&d, "said")..find(&d, "said") + 1;
    let cands: Vec<String> = source_candidates(&d, &cue)
        .into_iter()
        .map(|c| texts(&d, &[c.toks]).remove(0))
        .collect();
    assert!(cands.contains(&"Marsk".to_string()), "{cands:?}");
}

#[test]
fn a_time_or_medium_between_source_and_cue_is_stepped_over() {
    let d = view("Marden on Tuesday said the race was close.");
    let got = source_texts(&d, find(&d, "said"));
    assert!(got.iter().any(|g| g == "Marden"), "{got:?}");
    assert!(!got.iter().any(|g| g.ends_with("Tuesday")), "{got:?}");

    let d = view("Rep. Mira Varga, the top Democrat, in a statement said it was wrong.");
    let got = source_texts(&d, find(&d, "said"));
    assert_has(
        &got,
        &["Rep. Mira Varga", "Rep. Mira Varga, the top Democrat,"],
    );
    // Not any phrase: a name after "on" is not a time.
    let d = view("Dorrow has on more than one occasion claimed that it will go on.");
    let claimed = find(&d, "claimed");
    assert_eq!(
        gap_start(&d, &d.sent_toks[0], claimed),
        Some(find(&d, "on"))
    );
    let d = view("Kessel on Wren said it was wrong.");
    assert_eq!(gap_start(&d, &d.sent_toks[0], find(&d, "said")), None);
    // One or two adverbs.
    for (text, first, cue) in [
        (
            "Mr. Halvard pointedly rejected the notion.",
            "pointedly",
            "rejected",
        ),
        ("Marden also publicly said it was wrong.", "also", "said"),
        ("The mayor never said so.", "never", "said"),
    ] {
        let d = view(text);
        let got = gap_start(&d, &d.sent_toks[0], find(&d, cue));
        assert_eq!(got, Some(find(&d, first)), "{text}");
    }
    let d = view("Mr. Halvard pointedly rejected the notion.");
    let got = source_texts(&d, find(&d, "rejected"));
    assert!(got.iter().any(|g| g == "Mr. Halvard"), "{got:?}");
    // Not an adverb that opens the sentence.
    let d = view("Reportedly said to be ill, he stayed home.");
    assert_eq!(gap_start(&d, &d.sent_toks[0], find(&d, "said")), None);
}

#[test]
fn hometowns_and_ages_are_stepped_over() {
    let d = view("Teo Brann, of Millbrook, Va., said he had fought.");
    let got = source_texts(&d, find(&d, "said"));
    assert_has(&got, &["Teo Brann", "Teo Brann, of Millbrook, Va.,"]);
}

#[test]
fn no_source_starts_with_a_preposition() {
    let d = view("House Speaker Halvard, despite admitting doubts, said it was fine.");
    assert!(!plausible_source_start(&d, find(&d, "despite")));
    assert!(plausible_source_start(&d, find(&d, "House")));
    let got = source_texts(&d, find(&d, "admitting"));
    assert!(!got.iter().any(|g| g.starts_with("despite")), "{got:?}");
}

#[test]
fn no_source_ends_with_a_lowercase_auxiliary() {
    let d = view("A reader would now ask: George Will may know.");
    assert!(!plausible_source_end(&d, find(&d, "would")));
    assert!(!plausible_source_end(&d, find(&d, "may")));
    assert!(plausible_source_end(&d, find(&d, "Will")));
    assert!(plausible_source_end(&d, find(&d, "reader")));
    let d = view("Velna has on more than one occasion said so.");
    assert!(!plausible_source_end(&d, find(&d, "occasion")));
}

#[test]
fn names_ending_in_ly_are_sources_but_adverbs_are_not() {
    let d = view("\"Elections matter,\" Kelly said. Halvard privately said so.");
    assert!(plausible_source_end(&d, find(&d, "Kelly")));
    assert!(!plausible_source_end(&d, find(&d, "privately")));
    let got = source_texts(&d, find(&d, "said"));
    assert!(got.iter().any(|g| g == "Kelly"), "{got:?}");
}

#[test]
fn sentence_adverbials_and_times_leave_the_source() {
    let d = view("U.S. officials, however, said Russia did it.");
    for text in ["U.S. officials, however,", "U.S. officials, however"] {
        let mut s = cand(&d, text, true);
        drop_discourse_tail(&d, &mut s);
        assert_eq!(texts(&d, &[s.toks]), ["U.S. officials"]);
    }
    let d = view("Will Rogers, for example, said it was over.");
    let mut s = cand(&d, "Will Rogers, for example,", true);
    drop_discourse_tail(&d, &mut s);
    assert_eq!(texts(&d, &[s.toks]), ["Will Rogers"]);
    // An appositive is no adverbial.
    let d = view("Will Rogers, the chairman, said it was over.");
    let mut s = cand(&d, "Will Rogers, the chairman,", true);
    drop_discourse_tail(&d, &mut s);
    assert_eq!(texts(&d, &[s.toks]), ["Will Rogers, the chairman,"]);

    let said = |d: &DocView| find(d, "said")..find(d, "said") + 1;
    let d = view("“It is wrong,” said Council Speaker Ana Ruiz in a statement.");
    let mut s = cand(&d, "Council Speaker Ana Ruiz in a statement", false);
    drop_gap(&d, &mut s, &said(&d));
    assert_eq!(texts(&d, &[s.toks]), ["Council Speaker Ana Ruiz"]);
    let d = view("“It is wrong,” said Sen. Ivo Marsk (L-Dor.) in an interview.");
    let mut s = cand(&d, "Sen. Ivo Marsk (L-Dor.) in an interview", false);
    drop_gap(&d, &mut s, &said(&d));
    assert_eq!(texts(&d, &[s.toks]), ["Sen. Ivo Marsk (L-Dor.)"]);
    // Not inside a relative clause after a comma, and not the date of a poll.
    let d = view("“It is wrong,” said Oren Tass, who attended a rally on Monday.");
    let mut s = cand(&d, "Oren Tass, who attended a rally on Monday", false);
    drop_gap(&d, &mut s, &said(&d));
    assert_eq!(
        texts(&d, &[s.toks]),
        ["Oren Tass, who attended a rally on Monday"]
    );
    let d = view("Marden leads, according to a Gallup poll taken on Monday.");
    let mut s = cand(&d, "a Gallup poll taken on Monday", false);
    let according = find(&d, "according")..find(&d, "to") + 1;
    drop_gap(&d, &mut s, &according);
    assert_eq!(texts(&d, &[s.toks]), ["a Gallup poll taken on Monday"]);
}

#[test]
fn raising_cues_have_no_source() {
    let is_raising = |text: &str, from: &str, to: &str| {
        let d = view(text);
        raising(&d, &(find(&d, from)..find(&d, to) + 1))
    };
    assert!(is_raising(
        "Melania seems to have vanished.",
        "seems",
        "seems"
    ));
    assert!(is_raising(
        "It appeared that Marden was unable.",
        "appeared",
        "appeared"
    ));
    assert!(is_raising("Marden is expected to speak.", "is", "expected"));
    assert!(!is_raising(
        "Marden expected a win.",
        "expected",
        "expected"
    ));
    assert!(!is_raising("Marden said it was over.", "said", "said"));
    // Impersonal "it" with "be".
    assert!(is_raising(
        "It's unclear whether a vote is near.",
        "It",
        "unclear"
    ));
    assert!(is_raising(
        "It’s unclear whether a vote is near.",
        "It",
        "unclear"
    ));
    assert!(is_raising("Nor is it clear that it works.", "Nor", "clear"));
    assert!(is_raising("It is obvious that they lost.", "It", "obvious"));
    assert!(!is_raising(
        "As Smith put it, the plan is dead.",
        "put",
        "it"
    ));
    assert!(is_raising(
        "It was clear Halvard is reaching out.",
        "was",
        "clear"
    ));
    assert!(!is_raising("It showed that they can.", "showed", "showed"));
    assert!(!is_raising(
        "It’s denouncing the attack.",
        "’",
        "denouncing"
    ));
}

#[test]
fn passive_cues_are_recognised() {
    let head = |text: &str, from: &str, to: &str| {
        let d = view(text);
        let cue = find(&d, from)..find(&d, to) + 1;
        passive_head(&d, &cue).map(str::to_string)
    };
    let passive = "Mr. Quiros was accused of fraud.";
    assert_eq!(head(passive, "accused", "of").as_deref(), Some("accused"));
    let passive = "Pence was also dubbed the winner.";
    assert_eq!(head(passive, "dubbed", "dubbed").as_deref(), Some("dubbed"));
    let passive = "Brell has been called a fraud.";
    assert_eq!(head(passive, "been", "called").as_deref(), Some("called"));
    // Active voice, and "be" too far before the participle.
    assert_eq!(head("Marden accused Halvard.", "accused", "accused"), None);
    let active = "It was what Marden repeatedly and angrily claimed.";
    assert_eq!(head(active, "claimed", "claimed"), None);
}

/// The source candidate of the tokens spelling `text` (its first occurrence).
fn cand(d: &DocView, text: &str, before: bool) -> SourceCand {
    let b = d.text.find(text).unwrap();
    let start = d.tokens.iter().position(|t| t.span.start == b).unwrap();
    let end = d.tokens.iter().position(|t| t.span.end == b + text.len());
    SourceCand {
        toks: start..end.unwrap() + 1,
        before,
    }
}

#[test]
fn a_hearsay_adverb_has_no_source() {
    let d = view("The raid reportedly hit a depot near Velna, and Kessel allegedly fled.");
    for w in ["reportedly", "allegedly"] {
        let c = find(&d, w);
        assert!(hearsay_adverb(&d, &(c..c + 1)), "{w}");
    }
    let hit = find(&d, "hit");
    assert!(!hearsay_adverb(&d, &(hit..hit + 1)));
    // Every candidate a cue (the shipped model's scores do not matter here).
    let mut file = AttributionModel::embedded().unwrap().file().clone();
    file.cue_threshold = 0.0;
    let model = AttributionModel::from_file(file, Path::new("all-cues.json")).unwrap();
    let d = model.view("The attack reportedly targeted a fuel depot in Velna.");
    let p = model.predict(&d);
    let adverb = p
        .iter()
        .find(|p| texts(&d, std::slice::from_ref(&p.cue)) == ["reportedly"])
        .expect("a cue for reportedly");
    assert!(adverb.source.is_none(), "{adverb:?}");
    let model = AttributionModel::embedded().unwrap();
    // Before a reporting verb, and the reporting verb, keep their source.
    let d = model.view("Kessel reportedly told aides that the plan was dead.");
    let p = model.predict(&d);
    assert_eq!(texts(&d, &[p[0].source.clone().unwrap()]), ["Kessel"]);
    let d =
        model.view("The raid on the depot reportedly killed four guards, Velnian officials said.");
    let preds = model.predict(&d);
    let said = preds
        .iter()
        .find(|p| texts(&d, std::slice::from_ref(&p.cue)) == ["said"])
        .expect("a cue for said");
    assert_eq!(
        texts(&d, &[said.source.clone().unwrap()]),
        ["Velnian officials"]
    );
}

#[test]
fn an_opening_connective_alone_is_no_content() {
    // The texts of the Before candidates of "added" with the source "he".
    let befores = |text: &str| {
        let d = view(text);
        let cue = find(&d, "added");
        let he = find(&d, "he");
        let source = SourceCand {
            toks: he..he + 1,
            before: true,
        };
        content_candidates(&d, &(cue..cue + 1), Some(&source))
            .iter()
            .filter(|c| c.kind == ContentKind::Before)
            .map(|c| texts(&d, std::slice::from_ref(&c.toks)))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        befores("But he added, “The crews are trained and the ships are ready.”"),
        Vec::<Vec<String>>::new()
    );
    // What stands before a source is a content when it is more than a connective.
    assert_eq!(
        befores("Still, the ships are late, he added."),
        [["Still, the ships are late"]]
    );
    // And the shipped model gives the quotation.
    let model = AttributionModel::embedded().unwrap();
    let d = model.view("But he added, “The crews are trained and the ships are ready.”");
    let p = model.predict(&d);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        texts(&d, &p[0].contents),
        ["“The crews are trained and the ships are ready.”"]
    );
}

#[test]
fn a_relative_pronoun_is_no_fallback_source() {
    let d = view("Ivo Marsk, who runs the port, closed it. Later the harbour reopened, he said.");
    let who = find(&d, "who");
    let marsk = find(&d, "Ivo");
    let said = find(&d, "said");
    let runs = find(&d, "runs");
    let closed = find(&d, "closed");
    let by_who = predicted(runs..runs + 1, 0.9, Some(who..who + 1), 0.9, Vec::new());
    let by_marsk = predicted(
        closed..closed + 1,
        0.9,
        Some(marsk..marsk + 2),
        0.9,
        Vec::new(),
    );
    let cue = said..said + 1;
    // The latest source before the cue, unless it is a relative pronoun.
    let f = fallback_source(&d, &cue, &[by_marsk.clone(), by_who.clone()]).unwrap();
    assert_eq!(texts(&d, &[f.toks]), ["Ivo Marsk"]);
    assert_eq!(fallback_source(&d, &cue, &[by_who]), None);
    let f = fallback_source(&d, &cue, &[by_marsk]).unwrap();
    assert_eq!(texts(&d, &[f.toks]), ["Ivo Marsk"]);
}

#[test]
fn a_name_after_a_quotation_and_its_cue_is_the_source() {
    // Whether the `words` words after `cue` are its inverted source in `text`.
    let inverted = |text: &str, cue: &str, words: usize| {
        let d = view(text);
        let cue = find(&d, cue);
        let c = SourceCand {
            toks: cue + 1..cue + 1 + words,
            before: false,
        };
        inverted_cue(&d, &(cue..cue + 1), &c)
    };
    let pilot = "“We sail at dawn,” said Ivo Marsk, who runs the port.";
    assert!(inverted(pilot, "said", 2));
    assert!(inverted(
        "“Do we sail?” said the harbour master.",
        "said",
        3
    ));
    // Not without the quotation before the cue.
    assert!(!inverted("The port is closed, said Ivo Marsk.", "said", 2));
    // Nor a lowercase mention after a quotation inside the sentence.
    let reply = "The board’s reply, calling it a “grave risk,” signals a change.";
    assert!(!inverted(reply, "signals", 2));
    let reply = "The board’s reply, calling it a “grave risk,” said Ivo Marsk.";
    assert!(inverted(reply, "said", 2));
    // A `''` mark is two tokens (NYT's quotations).
    let nyt = "''We sail at dawn,'' said Ivo Marsk, who runs the port.";
    assert!(inverted(nyt, "said", 2));
    assert!(!inverted("''We sail at dawn'' said Ivo Marsk.", "said", 2));
    // With the model unsure of every source, the name still is the source, not the
    // speaker of an earlier sentence.
    let mut file = AttributionModel::embedded().unwrap().file().clone();
    file.source_threshold = 1.1;
    let model = AttributionModel::from_file(file, Path::new("unsure.json")).unwrap();
    let d = model.view(
        "Lena Holt said the port would close.\n\n“We sail at dawn,” said Ivo Marsk, who runs the port.",
    );
    let p = model.predict(&d);
    let said = p
        .iter()
        .rfind(|p| texts(&d, std::slice::from_ref(&p.cue)) == ["said"])
        .expect("a cue for said");
    // (The model's best candidate after the cue, which here takes the relative clause.)
    let source = texts(&d, &[said.source.clone().unwrap()]);
    assert!(source[0].starts_with("Ivo Marsk"), "{source:?}");
    // And so is a description in lowercase.
    let d = model.view(
        "Lena Holt said the port would close.\n\n“We sail at dawn,” said a longtime harbour pilot.",
    );
    let p = model.predict(&d);
    let said = p.last().expect("a cue for said");
    assert_eq!(
        texts(&d, &[said.source.clone().unwrap()]),
        ["a longtime harbour pilot"]
    );
}

#[test]
fn a_participle_after_a_comma_says_what_follows_it() {
    let model = AttributionModel::embedded().unwrap();
    let text = "“People want a message of hope,” she added, stressing the pull of his \
                jobs plan. “This is not a close race,” he said, citing the mayor’s record \
                and the rival’s weak polls.";
    let d = model.view(text);
    let mut seen = 0;
    for p in model.predict(&d) {
        if is_participle(&d, &p.cue) {
            seen += 1;
            assert!(!p.contents.is_empty());
            assert!(p.contents.iter().all(|c| c.start >= p.cue.end), "{p:?}");
        }
    }
    assert!(seen > 0);
}

#[test]
fn a_raising_cue_has_its_subject_as_content() {
    let subject = |text: &str, cue: &str| {
        let d = view(text);
        let c = find(&d, cue);
        let mut taken = vec![false; d.tokens.len()];
        taken[c] = true;
        raised_subject(&d, &(c..c + 1), &taken).map(|r| texts(&d, &[r]).remove(0))
    };
    let s = |x: &str| Some(x.to_owned());
    assert_eq!(
        subject("The new rules appear to have calmed the quay.", "appear"),
        s("The new rules")
    );
    // After a clause break, and over a relative clause between commas.
    assert_eq!(
        subject(
            "Indeed, a wider share of workers appears to be moving.",
            "appears"
        ),
        s("a wider share of workers")
    );
    assert_eq!(
        subject(
            "Fans like a winner, and teams appear more popular.",
            "appear"
        ),
        s("teams")
    );
    assert_eq!(
        subject(
            "Both plans, which at first seemed weak, had won support.",
            "seemed"
        ),
        s("Both plans")
    );
    assert_eq!(
        subject(
            "Even Oliver, who hosts a show, appeared to lose his temper.",
            "appeared"
        ),
        s("Even Oliver")
    );
    // A relative pronoun alone is the subject.
    assert_eq!(
        subject(
            "They sail to Dorrow, which is expected to draw a crowd.",
            "is"
        ),
        s("which")
    );
    // Nothing before the cue.
    assert_eq!(subject("Seems fine to me.", "Seems"), None);
}

#[test]
fn adverbials_and_contractions_leave_the_source() {
    let d = view("Wren Halvard, at a later press gaggle, said she was briefed.");
    let mut s = cand(&d, "Wren Halvard, at a later press gaggle,", true);
    drop_adverbial(&d, &mut s, &(find(&d, "said")..find(&d, "said") + 1));
    assert_eq!(texts(&d, &[s.toks]), ["Wren Halvard"]);
    // An affiliation after "at" stays.
    let d = view("Tom Miller, at the Royal Institute, said it was over.");
    let mut s = cand(&d, "Tom Miller, at the Royal Institute,", true);
    drop_adverbial(&d, &mut s, &(find(&d, "said")..find(&d, "said") + 1));
    assert_eq!(
        texts(&d, &[s.toks]),
        ["Tom Miller, at the Royal Institute,"]
    );
    // After the cue, the appositive and its comma stay.
    let d = view("“It is wrong,” said Rep. Varga, the top Democrat, in a statement.");
    let mut s = cand(&d, "Rep. Varga, the top Democrat, in a statement", false);
    drop_adverbial(&d, &mut s, &(find(&d, "said")..find(&d, "said") + 1));
    assert_eq!(texts(&d, &[s.toks]), ["Rep. Varga, the top Democrat,"]);

    let d = view("He’s claiming that fraud is a problem.");
    let mut s = cand(&d, "He’s", true);
    let c = find(&d, "claiming");
    let cue = split_contraction(&d, &mut s, c..c + 1);
    assert_eq!(texts(&d, &[s.toks, cue]), ["He", "’s claiming"]);
    for (text, source, pronoun, cue_text) in [
        ("I’ve said it many times.", "I’ve", "I", "’ve said"),
        (
            "They're saying the port is shut.",
            "They're",
            "They",
            "'re saying",
        ),
        ("We’ll argue that it is open.", "We’ll", "We", "’ll argue"),
        ("She’d insisted it was open.", "She’d", "She", "’d insisted"),
    ] {
        let d = view(text);
        let mut s = cand(&d, source, true);
        let word = cue_text.split(' ').nth(1).unwrap();
        let c = find(&d, word);
        let cue = split_contraction(&d, &mut s, c..c + 1);
        assert_eq!(texts(&d, &[s.toks, cue]), [pronoun, cue_text], "{text}");
    }
    // A possessive stays: "Marden's claim".
    let d = view("Politifact seized on Marden's claim that it was so.");
    let mut s = cand(&d, "Marden's", true);
    let c = find(&d, "claim");
    let cue = split_contraction(&d, &mut s, c..c + 1);
    assert_eq!(texts(&d, &[s.toks, cue]), ["Marden's", "claim"]);
}

#[test]
fn a_reporting_clause_followed_only_by_its_time_gives_the_words_before_it() {
    let d = view("Marden raised four million dollars, his campaign announced late Saturday.");
    let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
    assert!(time_only(&d, range("late", "Saturday")));
    assert!(time_only(&d, range("late", ".")));
    assert!(!time_only(&d, range("four", "dollars")));
    // "late Saturday" is no content candidate of "announced".
    let source = SourceCand {
        toks: range("his", "campaign"),
        before: true,
    };
    let cands = content_candidates(&d, &range("announced", "announced"), Some(&source));
    let cands: Vec<_> = cands
        .iter()
        .map(|c| texts(&d, std::slice::from_ref(&c.toks)))
        .collect();
    assert_eq!(cands, [["Marden raised four million dollars"]]);
    // A reporting clause that ends its sentence but for its time still reports the cue
    // whose content crosses it.
    let raised = predicted(
        range("raised", "raised"),
        0.4,
        Some(range("Marden", "Marden")),
        0.9,
        vec![range("four", "Saturday")],
    );
    let announced = predicted_before(
        range("announced", "announced"),
        0.9,
        Some(range("his", "campaign")),
        0.9,
        vec![range("Marden", "dollars")],
    );
    let mut out = vec![raised, announced];
    uncross(&d, &mut out);
    assert_eq!(texts(&d, &out[0].contents), ["four million dollars"]);
}

#[test]
fn a_quotation_right_after_the_cue_is_its_content() {
    let d = view("He had a fine line when she said, “Flying is an activity, not a feat.”");
    let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
    let block = range("she", "said");
    let before = Some((
        0.7,
        ContentCand {
            toks: range("He", "when"),
            kind: ContentKind::Before,
        },
    ));
    let quote = Some((
        0.4,
        ContentCand {
            toks: find(&d, "“")..d.tokens.len(),
            kind: ContentKind::After,
        },
    ));
    let chosen = quoted_after(&d, &block, &before, &quote).expect("the quotation");
    assert_eq!(chosen.1.toks, quote.as_ref().unwrap().1.toks);
    // Not when the model chose something after the block, nor without a quotation there.
    assert!(quoted_after(&d, &block, &quote, &quote).is_none());
    assert!(quoted_after(&d, &block, &before, &None).is_none());
    // Not when words stand between the cue and the quotation.
    let d = view("He had a fine line when she said on air, “Flying is an activity.”");
    let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
    let quote = Some((
        0.4,
        ContentCand {
            toks: find(&d, "“")..d.tokens.len(),
            kind: ContentKind::Quote,
        },
    ));
    assert!(quoted_after(&d, &range("she", "said"), &before, &quote).is_none());
}

#[test]
fn a_colon_after_an_adverbial_is_no_cue() {
    let label = |text: &str| {
        let d = view(text);
        let c = find(&d, ":");
        adverb_label(&d, &(c..c + 1))
    };
    assert!(label("Earlier:\n\nVelin said the port was shut."));
    assert!(label("In conclusion: we urge the board to act."));
    assert!(label("• Instead : we urge the board to act."));
    assert!(!label("Velin: we urge the board to act."));
    assert!(!label("Earlier, Velin wrote: the port is shut."));
    assert!(!label(": the port is shut."));
}

#[test]
fn a_source_after_a_preposition_is_the_whole_noun_phrase() {
    // The source the model chose is `last`, the last words before the cue `cue`.
    let run = |text: &str, last: &str, cue: &str| {
        let d = view(text);
        let c = find(&d, cue);
        let s0 = find(&d, last);
        let mut s = SourceCand {
            toks: s0..c,
            before: true,
        };
        let taken = vec![false; d.tokens.len()];
        whole_noun_phrase(&d, &mut s, &(c..c + 1), &taken);
        texts(&d, &[s.toks])[0].clone()
    };
    let t = "Moreover, the report of the closure of a bridge over the Brenn further shows it.";
    assert_eq!(
        run(t, "the", "further").as_str(),
        "the report of the closure of a bridge over the Brenn"
    );
    let t = "The figures compiled by the port board show a loss.";
    assert_eq!(
        run(t, "the", "show"),
        "The figures compiled by the port board"
    );
    let t = "The statement from the Velnian board highlights a gap.";
    assert_eq!(
        run(t, "Velnian", "highlights"),
        "The statement from the Velnian board"
    );
    let t = "Nearly a third of them said no.";
    assert_eq!(run(t, "them", "said"), "Nearly a third of them");
    // Not over a clause's verb, a past verb after a name, an "-ing" word or a phrase that
    // opens with a participle or "along".
    for (t, last, cue) in [
        (
            "Even the board has been slow in its review of ships.",
            "its",
            "review",
        ),
        (
            "Velin met with port officials said to be there.",
            "port",
            "said",
        ),
        (
            "Velin huddled briefly with port officials said to be there.",
            "port",
            "said",
        ),
        (
            "Ships careening from port to port said nothing.",
            "port",
            "said",
        ),
        (
            "Ships sailed, followed by a clip of Velin said to be new.",
            "Velin",
            "said",
        ),
        (
            "It ran, along with graphics said to be new.",
            "graphics",
            "said",
        ),
    ] {
        let d = view(t);
        let chosen = d.text
            [d.tokens[find(&d, last)].span.start..d.tokens[find(&d, cue) - 1].span.end]
            .to_owned();
        assert_eq!(run(t, last, cue), chosen, "{t}");
    }
    // Nor with nothing before the preposition in its clause, nor over 20 tokens.
    let t = "It rose, with officials said to agree.";
    assert_eq!(run(t, "officials", "said"), "officials");
    let t = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen \
             fifteen sixteen seventeen eighteen nineteen twenty of the board said so.";
    assert_eq!(run(t, "the", "said"), "the board");
}

#[test]
fn the_source_after_according_to_runs_to_its_clause_break() {
    let run = |text: &str, first: &str| {
        let d = view(text);
        let cue = find(&d, "according");
        let s0 = find(&d, first);
        let mut s = SourceCand {
            toks: s0..s0 + 1,
            before: false,
        };
        according_to_clause(&d, &mut s, &(cue..cue + 2));
        texts(&d, &[s.toks])[0].clone()
    };
    let t = "according to Dorrow harbour reports, the bridge was closed.";
    assert_eq!(run(t, "Dorrow"), "Dorrow harbour reports");
    let t = "The bridge was closed, according to a filing made by the port's lawyers.";
    assert_eq!(run(t, "a"), "a filing made by the port's lawyers");
    // Not into a quotation.
    let t = "according to Dorrow “harbour reports,” the bridge was closed.";
    assert_eq!(run(t, "Dorrow"), "Dorrow");
    // A noun that ends the mention is no cue; a verb inside it is.
    let d = view("according to Dorrow reports, a filing made by Velin.");
    let at = |w: &str| find(&d, w);
    let mut cues = vec![
        (0.9, at("according")..at("according") + 2),
        (0.6, at("reports")..at("reports") + 1),
        (0.6, at("made")..at("made") + 1),
    ];
    drop_cues_in_according_to(&d, &mut cues);
    assert_eq!(cues.len(), 2);
    let d = view("according to a filing made by Velin.");
    let mut cues = vec![(0.9, 0..2), (0.6, find(&d, "made")..find(&d, "made") + 1)];
    drop_cues_in_according_to(&d, &mut cues);
    assert_eq!(cues.len(), 2);
}

#[test]
fn a_title_of_capitalised_words_past_eight_is_one_source_candidate() {
    let before = |text: &str| {
        let d = view(text);
        let cue = find(&d, "said");
        source_candidates(&d, &(cue..cue + 1))
            .iter()
            .filter(|c| c.before)
            .map(|c| texts(&d, std::slice::from_ref(&c.toks))[0].clone())
            .collect::<Vec<_>>()
    };
    let title = "U.S. Northern Harbour Board Deputy Strategic Shipping Coordinator Ivo Marsk";
    let cands = before(&format!("{title} said the port would reopen."));
    assert!(cands.contains(&title.to_string()), "{cands:?}");
    let title = "Deputy Minister of Ports and Canals for the Northern Region Ivo Marsk";
    let cands = before(&format!("The {title} said the port would reopen."));
    assert!(cands.contains(&format!("The {title}")), "{cands:?}");
    // Not over lowercase words, nor over a headline in capitals.
    let cands = before(
        "Ports reopened when the Northern Harbour Board Deputy Strategic Shipping \
         Coordinator Ivo Marsk said so.",
    );
    assert!(cands.iter().all(|c| !c.starts_with("when")), "{cands:?}");
    let cands = before(
        "HARBOUR REOPENS AFTER STORM The Northern Harbour Board Deputy Strategic Shipping \
         Coordinator Ivo Marsk said so.",
    );
    assert!(cands.iter().all(|c| !c.contains("STORM")), "{cands:?}");
    assert!(
        cands.iter().any(|c| c.starts_with("The Northern")),
        "{cands:?}"
    );
}

#[test]
fn a_long_mention_after_a_quotation_and_its_cue_is_a_source_candidate() {
    let text = "“We sail at dawn,” said a longtime harbour pilot who has worked for two of the \
                port's owners.";
    let d = view(text);
    let cue = find(&d, "said");
    let cands: Vec<_> = source_candidates(&d, &(cue..cue + 1))
        .iter()
        .filter(|c| !c.before)
        .map(|c| texts(&d, std::slice::from_ref(&c.toks))[0].clone())
        .collect();
    assert!(
        cands.contains(
            &"a longtime harbour pilot who has worked for two of the port's owners".to_string()
        ),
        "{cands:?}"
    );
    // Up to the next clause break only.
    let d = view("“We sail,” said a longtime harbour pilot who has worked for years — and more.");
    let cue = find(&d, "said");
    let longest = source_candidates(&d, &(cue..cue + 1))
        .iter()
        .filter(|c| !c.before)
        .map(|c| c.toks.end)
        .max();
    assert_eq!(longest, Some(find(&d, "—")));
}

#[test]
fn crossing_contents_give_way_to_a_final_reporting_clause() {
    let d = view("Halvard plans to visit Dorrow on Sunday, according to a tour aide.");
    let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
    let plans = predicted(
        range("plans", "plans"),
        0.4,
        Some(range("Halvard", "Halvard")),
        0.9,
        std::iter::once(find(&d, "to")..find(&d, "aide") + 1).collect(),
    );
    let according = predicted_before(
        range("according", "to"),
        0.9,
        Some(range("a", "aide")),
        0.9,
        vec![range("Halvard", "Sunday")],
    );
    let mut out = vec![plans, according];
    uncross(&d, &mut out);
    assert_eq!(texts(&d, &out[0].contents), ["to visit Dorrow on Sunday"]);
    assert_eq!(
        texts(&d, &out[1].contents),
        ["Halvard plans to visit Dorrow on Sunday"]
    );
}

#[test]
fn an_opening_as_clause_says_the_rest_of_its_sentence() {
    // The contents after `as_clauses`, for a "said" whose source is "Mr. Dunn" and whose
    // content is first `content`.
    let run = |text: &str, content: (&str, &str)| {
        let d = view(text);
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        let mut out = vec![predicted_before(
            range("said", "said"),
            0.9,
            Some(range("Mr", "Dunn")),
            0.9,
            vec![range(content.0, content.1)],
        )];
        as_clauses(&d, &mut out);
        texts(&d, &out[0].contents)
    };
    let text = "But, as Mr. Dunn said, the outlet has lost its credibility.";
    assert_eq!(
        run(text, ("But", "But")),
        ["the outlet has lost its credibility"]
    );
    let text = "As Mr. Dunn said, the outlet has lost its credibility.";
    assert_eq!(
        run(text, ("the", "outlet")),
        ["the outlet has lost its credibility"]
    );
    // Without "as" before the source, or with no comma after the cue, nothing changes.
    let text = "But then Mr. Dunn said, the outlet has lost its credibility.";
    assert_eq!(run(text, ("But", "But")), ["But"]);
    let text = "As Mr. Dunn said the outlet has lost its credibility.";
    assert_eq!(run(text, ("the", "outlet")), ["the outlet"]);
}

#[test]
fn a_content_stops_before_the_next_clause_with_its_own_source_and_cue() {
    let run = |text: &str, b_source: (&str, &str), b_cue: &str| {
        let d = view(text);
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        let a = predicted(
            range("pledged", "pledged"),
            0.9,
            Some(range("Lee", "Lee")),
            0.9,
            vec![range("to", "plan")],
        );
        let b = predicted(
            range(b_cue, b_cue),
            0.9,
            Some(range(b_source.0, b_source.1)),
            0.9,
            vec![range("that", "plan")],
        );
        let mut out = vec![a, b];
        stop_at_next_clause(&d, &mut out);
        (
            texts(&d, &out[0].contents).remove(0),
            texts(&d, &out[1].contents).remove(0),
        )
    };
    let (a, b) = run(
        "Lee pledged to work with both groups, Ortiz insisted that change needs a new plan.",
        ("Ortiz", "Ortiz"),
        "insisted",
    );
    assert_eq!(a, "to work with both groups");
    assert_eq!(b, "that change needs a new plan");
    let (a, _) = run(
        "Lee pledged to work with both groups, and other leaders insisted that it needs a new plan.",
        ("other", "leaders"),
        "insisted",
    );
    assert_eq!(a, "to work with both groups");
    // Without a comma before the other source, the report is nested and stays.
    let (a, _) = run(
        "Lee pledged to work with both groups that Ortiz insisted needs a new plan.",
        ("Ortiz", "Ortiz"),
        "insisted",
    );
    assert_eq!(
        a,
        "to work with both groups that Ortiz insisted needs a new plan"
    );
    // A cue whose source is elsewhere, after a comma.
    let d = view("Graham, who says allies should send troops, tweeted that it will fail.");
    let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
    let says = predicted(
        range("says", "says"),
        0.9,
        Some(range("who", "who")),
        0.9,
        vec![range("allies", "fail")],
    );
    let tweeted = predicted(
        range("tweeted", "tweeted"),
        0.9,
        Some(range("Graham", "Graham")),
        0.9,
        vec![range("that", "fail")],
    );
    let mut out = vec![says, tweeted];
    stop_at_next_clause(&d, &mut out);
    assert_eq!(texts(&d, &out[0].contents), ["allies should send troops"]);
    assert_eq!(texts(&d, &out[1].contents), ["that it will fail"]);
}

#[test]
fn an_opening_asked_clause_has_no_source() {
    let d = view("Asked about the polls, Rubio said he was not worried.");
    let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
    let mut out = vec![
        predicted(
            range("Asked", "Asked"),
            0.5,
            Some(range("Rubio", "Rubio")),
            0.2,
            vec![range("about", "worried")],
        ),
        predicted(
            range("said", "said"),
            0.9,
            Some(range("Rubio", "Rubio")),
            0.9,
            vec![range("he", "worried")],
        ),
    ];
    opening_participles(&d, &mut out);
    assert_eq!(out[0].source, None);
    assert_eq!(texts(&d, &out[0].contents), ["about the polls"]);
    assert_eq!(texts(&d, out[1].source.as_slice()), ["Rubio"]);
}

#[test]
fn an_opening_participle_clause_gives_its_sentence_to_the_main_cue() {
    let d = view("Pointing to one big change, Walsh noted that Ohio had one staffer.");
    let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
    let pointing = |source| {
        predicted(
            range("Pointing", "to"),
            0.5,
            source,
            0.2,
            vec![range("one", "staffer")],
        )
    };
    let noted = predicted(
        range("noted", "noted"),
        0.9,
        Some(range("Walsh", "Walsh")),
        0.9,
        vec![range("that", "staffer")],
    );
    // A source carried over from elsewhere, or none, becomes the main clause's subject, and
    // what it says stops at the comma.
    for source in [None, Some(range("Ohio", "Ohio"))] {
        let mut out = vec![pointing(source), noted.clone()];
        opening_participles(&d, &mut out);
        assert_eq!(texts(&d, &out[0].contents), ["one big change"]);
        assert_eq!(texts(&d, out[0].source.as_slice()), ["Walsh"]);
        assert_eq!(texts(&d, &out[1].contents), ["that Ohio had one staffer"]);
    }
    // The comma that closes the clause may stand inside the quotation that ends it, whose
    // closing mark may be a `''` of two tokens.
    for (text, open, quoted) in [
        (
            "Citing “duties at home,” the spokeswoman said that Lund would stay.",
            "“",
            "“duties at home,”",
        ),
        (
            "Citing ''duties at home,'' the spokeswoman said that Lund would stay.",
            "'",
            "''duties at home,''",
        ),
    ] {
        let d = view(text);
        let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
        let mut out = vec![
            predicted(
                range("Citing", "Citing"),
                0.5,
                None,
                0.0,
                vec![range(open, "stay")],
            ),
            predicted(
                range("said", "said"),
                0.9,
                Some(range("the", "spokeswoman")),
                0.9,
                vec![range("that", "stay")],
            ),
        ];
        opening_participles(&d, &mut out);
        assert_eq!(texts(&d, &out[0].contents), [quoted]);
        assert_eq!(texts(&d, out[0].source.as_slice()), ["the spokeswoman"]);
    }
    // Without a main cue with a source after the comma, nothing changes.
    let mut out = vec![pointing(None)];
    opening_participles(&d, &mut out);
    assert_eq!(out[0].source, None);
    assert_eq!(
        texts(&d, &out[0].contents),
        ["one big change, Walsh noted that Ohio had one staffer"]
    );
    // "According to" opens no participle clause: "According to police, officers said …".
    let d = view("According to police, officers said he ran.");
    let range = |a: &str, b: &str| find(&d, a)..find(&d, b) + 1;
    let mut out = vec![
        predicted(
            range("According", "to"),
            0.9,
            Some(range("police", "police")),
            0.9,
            vec![range("officers", "ran")],
        ),
        predicted(
            range("said", "said"),
            0.9,
            Some(range("officers", "officers")),
            0.9,
            vec![range("he", "ran")],
        ),
    ];
    opening_participles(&d, &mut out);
    assert_eq!(texts(&d, out[0].source.as_slice()), ["police"]);
    assert_eq!(texts(&d, &out[0].contents), ["officers said he ran"]);
}

#[test]
fn page_labels_are_not_sources() {
    let d = view("The Latest: Marden urges supporters to vote.");
    let colon = find(&d, ":");
    let src = |toks| SourceCand { toks, before: true };
    assert!(page_label(&d, &(colon..colon + 1), Some(&src(0..2))));
    let d = view("Halvard: I will win.");
    assert!(!page_label(&d, &(1..2), Some(&src(0..1))));
}

#[test]
fn contents_are_cut_at_clause_boundaries() {
    let d = view("The board said that it is cutting its fees, and the cut is lifting the harbour.");
    let cue = find(&d, "said");
    let got: Vec<String> = content_candidates(&d, &(cue..cue + 1), None)
        .iter()
        .map(|c| texts(&d, std::slice::from_ref(&c.toks)).remove(0))
        .collect();
    assert!(
        got.iter().any(|g| g == "that it is cutting its fees"),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|g| g == "that it is cutting its fees, and the cut is lifting the harbour"),
        "{got:?}"
    );
}

#[test]
fn contents_may_end_before_a_preposition_or_subordinator() {
    let cands = |text: &str| {
        let d = view(text);
        let cue = find(&d, "said");
        content_candidates(&d, &(cue..cue + 1), None)
            .iter()
            .map(|c| texts(&d, std::slice::from_ref(&c.toks)).remove(0))
            .collect::<Vec<String>>()
    };
    let got = cands("Velin said the port would stay open in the spring because of the vote.");
    assert_has(
        &got,
        &[
            "the port would stay open",
            "the port would stay open in the spring",
            "the port would stay open in the spring because of the vote",
        ],
    );
    // Not within its first four words, nor after a comma (a cut of its own), nor inside a
    // quotation.
    let got = cands("Velin said it is in the spring, in May.");
    assert_eq!(
        got,
        [
            "it is in the spring",
            "it is in the spring, in May",
            "Velin"
        ]
    );
    let got = cands("Velin said “the port would stay open in the spring.”");
    assert!(got.iter().all(|g| !g.ends_with("open")), "{got:?}");
}

#[test]
fn cached_cue_phrase_columns_give_the_same_probabilities() {
    let model = AttributionModel::embedded().unwrap();
    let d = model.view(
        "He said it was \"fine\". She has been warning that they would not be told, Pat \
         added. According to officials, it is said to be over. \"No,\" said Kirby.",
    );
    let lex = CueLexicon::of_file(model.file());
    let mut ps = PScratch {
        names: NameHasher::new(model.file.hash_seed),
        x: SparseVec::new(),
        probs: Vec::new(),
        counts: ColumnCounts::default(),
    };
    let mut cache = CuePhraseCache::default();
    cache.own(model.id);
    let cands = lex.candidates(&d);
    assert!(cands.len() > 5, "{cands:?}");
    // Twice: the phrases are put in the cache the first time and read from it the second.
    for round in 0..2 {
        for r in &cands {
            let want = model.p_yes(&model.cue, &mut ps, |f| cue_features_into(&d, r, &lex, f));
            let got = model.p_yes(&model.cue, &mut ps, |f| {
                let mut w = CueWords::new(&d, r);
                cache.add_phrase(&mut w, || lex.knows(&d, r), f);
                w.context_features(&d, r, f);
            });
            assert_eq!(want.to_bits(), got.to_bits(), "round {round}, cue {r:?}");
        }
    }
    assert!(cache.map.contains_key("said") && cache.map.contains_key("according to"));
    // Another model's cache is emptied.
    cache.own(model.id + 1);
    assert!(cache.map.is_empty() && cache.pool.is_empty());
}

#[test]
fn predictions_leave_the_kept_counts_clear() {
    let model = AttributionModel::embedded().unwrap();
    let d = view(
        "“The bridge will close in May,” the mayor said on Tuesday. Officials, who asked not \
         to be named, told reporters that the ferry would run instead. Nell Aster warned: \
         “We were never asked.”",
    );
    let predict = |d: &DocView| format!("{:?}", model.predict(d));
    let first = predict(&d);
    assert!(first.contains("cue"));
    // The counts kept on this thread are as scoring left them, and the next document sees the
    // same predictions as a fresh thread would.
    let counts = COUNTS.take();
    assert!(counts.is_clear());
    COUNTS.set(counts);
    assert_eq!(predict(&d), first);
    let fresh = std::thread::scope(|s| s.spawn(|| predict(&d)).join().unwrap());
    assert_eq!(fresh, first);
}

/// Every word list of this module, for the test of [`word_in`].
const WORD_LISTS: &[&WordList] = &[
    &PRONOUNS,
    &CUE_LEFT_WORDS,
    &CUE_RIGHT_WORDS,
    &NOT_FRAME_HEADS,
    &SEED_CUE_STEMS,
    &GAP_START,
    &GAP_END,
    &GAP_ADVERBS,
    &NOT_SOURCE_START,
    &NOT_SOURCE_END,
    &AUXILIARY_END,
    &TIME_WORDS,
    &PREPOSITIONS,
    &BE_FORMS,
    &IRREGULAR_PARTICIPLES,
    &CUT_WORDS,
    &CONNECTIVES,
    &NOT_SPEAKER_LABELS,
    &ADVERBIAL_OPEN,
    &HEARSAY_ADVERBS,
    &PAGE_LABELS,
    &OPENING_PREPOSITIONS,
];

#[test]
fn word_lists_hold_their_own_words() {
    for list in WORD_LISTS {
        for w in list.words {
            assert!(word_in(list, w), "{w}");
            // A word one byte longer than a listed one.
            let longer = format!("{w}s");
            assert_eq!(
                word_in(list, &longer),
                list.words.contains(&longer.as_str())
            );
        }
        assert_eq!(word_in(list, ""), list.words.contains(&""));
    }
}

/// The columns that `features` writes for `m`, in order.
fn columns_of(
    names: &mut NameHasher,
    m: &LinearModel,
    features: impl FnOnce(&mut ColumnHasher<Vec<u32>>),
) -> Vec<u32> {
    let mut counts = Vec::new();
    features(&mut ColumnHasher {
        names,
        model: m,
        counts: &mut counts,
    });
    counts
}

/// The columns of a cue's source candidates, in order, with [`SourceKept`] slots kept from
/// one candidate to the next (as `predict_with` keeps them) and without.
fn kept_and_fresh_source_columns(model: &AttributionModel, d: &DocView) -> usize {
    let mut names = NameHasher::new(model.file.hash_seed);
    let mut n = 0;
    for cue in CueLexicon::of_file(model.file()).candidates(d) {
        let sc = SourceCue::new(d, &cue);
        let mut kept = SourceKept::default();
        for c in source_candidates(d, &cue) {
            let with_kept = columns_of(&mut names, &model.source, |f| {
                source_features_kept(d, &sc, &c, &mut kept, f)
            });
            let fresh = columns_of(&mut names, &model.source, |f| {
                source_features_of(d, &sc, &c, f)
            });
            assert_eq!(with_kept, fresh, "cue {cue:?}, candidate {c:?}");
            n += 1;
        }
    }
    n
}

/// The context columns of a document's cue candidates, in order, with [`CueKept`] slots kept
/// from one candidate to the next (as `predict_with` keeps them) and without.
fn kept_and_fresh_cue_columns(model: &AttributionModel, d: &DocView) -> usize {
    let mut names = NameHasher::new(model.file.hash_seed);
    let mut kept = CueKept::default();
    let mut n = 0;
    for r in CueLexicon::of_file(model.file()).candidates(d) {
        let w = CueWords::new(d, &r);
        let with_kept = columns_of(&mut names, &model.cue, |f| {
            w.context_features_kept(d, &r, &mut kept, f)
        });
        let fresh = columns_of(&mut names, &model.cue, |f| w.context_features(d, &r, f));
        assert_eq!(with_kept, fresh, "cue {r:?}");
        n += 1;
    }
    n
}

#[test]
fn kept_cue_columns_are_the_fresh_ones() {
    let model = AttributionModel::embedded().unwrap();
    let d = model.view(
        "Officials have said that the ferry will run, and Reed has also warned: \"Not yet.\" \
         \"It is over,\" she told reporters. According to the board, it was never asked.",
    );
    assert!(kept_and_fresh_cue_columns(&model, &d) > 8);
}

#[test]
fn kept_source_columns_are_the_fresh_ones() {
    let model = AttributionModel::embedded().unwrap();
    let d = model.view(
        "Mayor Ilsa Varga, a former ferry pilot, said on Monday that the bridge would close. \
         \"It is over,\" said the harbour board's chairman, Tomas Reed, who was asked twice. \
         The Ledger reported that she has been warned, according to two officials.",
    );
    assert!(kept_and_fresh_source_columns(&model, &d) > 20);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]
    /// Whatever the text, the kept source and cue columns are those computed afresh.
    #[test]
    fn kept_columns_are_the_fresh_ones_anywhere(
        text in "([A-Za-z]{1,8}|[ ,.:;\"“”()-]|\n\n|said|told|the|a|of|in|who|on Monday|according to|Ms\\.|Reed|Varga|was|asked|reported|that){0,50}"
    ) {
        let model = AttributionModel::embedded().unwrap();
        let d = model.view(&text);
        kept_and_fresh_source_columns(&model, &d);
        kept_and_fresh_cue_columns(&model, &d);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    /// The bits of lengths and first bytes never hide a listed word: `word_in` is `contains`.
    #[test]
    fn word_in_is_contains(
        w in "([a-z]{0,3}|[a-zA-Z’'.,-]{1,12}|that|said|with|after|also|former|Mr|—|“|\u{e9}t\u{e9}){1,2}",
        k in 0..22usize,
    ) {
        let list = WORD_LISTS[k % WORD_LISTS.len()];
        prop_assert_eq!(word_in(list, &w), list.words.contains(&w.as_str()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// On any text, candidates stay inside their sentence and predictions inside the text.
    #[test]
    fn candidates_and_predictions_stay_in_bounds(
        text in "([A-Za-z]{1,8}|[ ,.:;!?\"'“”‘’«»—―–()-]|\n|\n\n|said|told|added:|''|’ve|'re|’d|despite|In|And|But|pointedly|also|smiling|according to|Citing|announced|late|Saturday|by|longtime|reports|To|War|Council|Deputy|NATO|for the){0,60}"
    ) {
        let model = AttributionModel::embedded().unwrap();
        let d = model.view(&text);
        let lex = CueLexicon::of_file(model.file());
        for r in lex.candidates(&d) {
            let s = &d.sent_toks[d.tok_sent[r.start]];
            prop_assert!(r.start < r.end && s.start <= r.start && r.end <= s.end);
            for c in source_candidates(&d, &r) {
                prop_assert!(!c.toks.is_empty() && c.toks.end <= d.tokens.len());
            }
        }
        for p in model.predict(&d) {
            for r in p.contents.iter().chain(p.source.iter()).chain(std::iter::once(&p.cue)) {
                prop_assert!(r.start <= r.end && r.end <= d.tokens.len());
                prop_assert!(d.qpair.get(r.start) != Some(&-1) || r.is_empty());
            }
        }
    }
}

#[test]
fn a_sentence_adverb_is_no_source() {
    let d = view("Additionally, it is vital that the board acts, seeking to keep the port open.");
    let adverb = find(&d, "Additionally");
    assert!(!plausible_source(&d, &(adverb..adverb + 1)));
    let board = find(&d, "board");
    assert!(plausible_source(&d, &(board - 1..board + 1)));
}
