//! Tests of the pipeline: sentence speakers, canonical speakers, page furniture and stance scope, on made-up text.

use super::*;
use crate::Target;
use proptest::prelude::*;

/// Pieces that make furniture decisions flip: starts, " ago", colons and digits, sentence
/// ends, every kind of ASCII whitespace.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => proptest::sample::select(FURNITURE_STARTS.to_vec()).prop_map(str::to_uppercase),
        1 => proptest::sample::select(FURNITURE_STARTS.to_vec()).prop_map(str::to_owned),
        8 => proptest::sample::select(vec![
            " ago", " AGO", "12:30", "1", ":", ".", "!", "?", "\"", "word", "Words", " ",
            "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{1c}", "\u{a0}", "’", "\u{130}",
            "\u{3a3}", "\u{39f}\u{3a3}", "\u{212a}", "\u{2028}", "\u{ff1a}", "Ago",
        ])
        .prop_map(str::to_owned),
    ]
}

fn doc(text: &str) -> DocView<'_> {
    DocView::new(
        text,
        &crate::tokenize::Tokenizer::default(),
        &crate::segment::SentenceSplitter::new(),
    )
}

fn toks(d: &DocView, from: &str, to: &str) -> Range<usize> {
    let at = |w: &str| {
        d.tokens
            .iter()
            .position(|t| &d.text[t.span.clone()] == w)
            .unwrap()
    };
    at(from)..at(to) + 1
}

#[test]
fn names_come_from_the_mention_not_its_appositive() {
    let d = doc("Rendell, a Clinton surrogate, said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "Rendell", "surrogate"), true),
        ["Rendell"]
    );
    let d = doc("Rep. Jim Jordan (R-Ohio) said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "Rep", ")"), true),
        ["Jim", "Jordan"]
    );
    let d = doc("The Russian Foreign Ministry said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "The", "Ministry"), true),
        ["Russian", "Foreign", "Ministry"]
    );
    let d = doc("Congresswoman Ilse Marr and Chair Ivo Marsk said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "Congresswoman", "Marr"), true),
        ["Ilse", "Marr"]
    );
    assert_eq!(
        name_words(&d, &toks(&d, "Chair", "Marsk"), true),
        ["Ivo", "Marsk"]
    );
    let d = doc("Foreign Minister Sergey Lavrov said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "Foreign", "Lavrov"), true),
        ["Sergey", "Lavrov"]
    );
    // Initials keep their dot and hyphenated names their hyphen.
    let d = doc("Edwin G. Monroy said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "Edwin", "Monroy"), true),
        ["Edwin", "G.", "Monroy"]
    );
    let d = doc("AFL-CIO President Doris Crouse-Mays said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "AFL", "Mays"), true),
        ["Doris", "Crouse-Mays"]
    );
    // A common noun before a preposition heads the mention: not the name after it.
    let d = doc("A spokesman for Brenna Tal said so.");
    assert!(speaker_name_words(&d, &toks(&d, "A", "Tal")).is_empty());
    assert_eq!(
        name_words(&d, &toks(&d, "A", "Tal"), true),
        ["Brenna", "Tal"]
    );
    let d = doc("Secretary of State Brenna Tal said so.");
    assert_eq!(
        speaker_name_words(&d, &toks(&d, "Secretary", "Tal")),
        name_words(&d, &toks(&d, "Secretary", "Tal"), true)
    );
}

/// "X of [the] Y" after a title's or an organisation's head is one name, the whole mention (no
/// name words): not its last words ("Treasury", "Affairs", "House"); a person's name after such
/// a title is still the name.
#[test]
fn a_name_with_of_the_is_whole() {
    for (text, from, to) in [
        ("The Department of the Treasury said so.", "The", "Treasury"),
        (
            "The Velnian Ministry of Foreign Affairs said so.",
            "The",
            "Affairs",
        ),
        ("The Speaker of the House said so.", "The", "House"),
        ("The Secretary of the Navy said so.", "The", "Navy"),
    ] {
        let d = doc(text);
        assert!(
            name_words(&d, &toks(&d, from, to), true).is_empty(),
            "{text}: {:?}",
            name_words(&d, &toks(&d, from, to), true)
        );
    }
    let d = doc("Speaker of the House Ilse Marr said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "Speaker", "Marr"), true),
        ["Ilse", "Marr"]
    );
    let d = doc("Velnian Director of Government Affairs Ivo Marsk said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "Velnian", "Marsk"), true),
        ["Ivo", "Marsk"]
    );
    let d = doc("Minister of Foreign Affairs Ivo Marsk said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "Minister", "Marsk"), true),
        ["Ivo", "Marsk"]
    );
    // Not after a word that heads no title or organisation.
    let d = doc("Two of the Republicans said so.");
    assert_eq!(
        name_words(&d, &toks(&d, "Two", "Republicans"), true),
        ["Republicans"]
    );
}

/// A person's name before "of [the]" and an organisation or place is the name, initials and
/// name particles included; an organisation "X of the Y" is whole.
#[test]
fn a_person_of_an_organisation_is_the_person() {
    for (text, from, to, name) in [
        (
            "Ivo Marsk of the Velnian Harbour Board said so.",
            "Ivo",
            "Board",
            "Ivo Marsk",
        ),
        ("Mr. Marsk of Skarn said so.", "Mr", "Skarn", "Marsk"),
        (
            "Representative Ivo T. Marsk of Skarn said so.",
            "Representative",
            "Skarn",
            "Ivo T. Marsk",
        ),
        (
            "Pierre de Marsk, a professor, said so.",
            "Pierre",
            "professor",
            "Pierre de Marsk",
        ),
    ] {
        let d = doc(text);
        assert_eq!(
            name_words(&d, &toks(&d, from, to), true).join(" "),
            name,
            "{text}"
        );
    }
    for (text, from, to) in [
        ("The Bank of the West said so.", "The", "West"),
        ("Friends of the Earth said so.", "Friends", "Earth"),
    ] {
        let d = doc(text);
        assert!(
            name_words(&d, &toks(&d, from, to), true).is_empty(),
            "{text}"
        );
    }
}

/// A prediction with source `src` and cue `cue` (token ranges), for the naming tests.
fn said_by(src: Range<usize>, cue: Range<usize>) -> Predicted {
    Predicted {
        cue,
        cue_p: 0.9,
        source: Some(src),
        source_p: 0.9,
        contents: Vec::new(),
        source_why: Vec::new(),
        kind: None,
        source_rule: crate::attribution::SourceRule::Model,
    }
}

#[test]
fn namesakes_are_told_apart_by_given_name_and_title() {
    let w = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
    let mut n = Namesakes::default();
    n.add(w("Velin"), 0, true);
    // The first full name completes the bare last name; a fuller one of the same person
    // replaces it; another given name is another person.
    n.add(w("Hillary Velin"), 5, false);
    n.add(w("Hillary Rodham Velin"), 9, false);
    n.add(w("Bill Velin"), 3, true);
    assert_eq!(n.people.len(), 2);
    let full = |words: &str, g| n.resolve(&w(words), g).map(|f| f.join(" "));
    assert_eq!(
        full("Hillary Velin", Gender::Unknown).unwrap(),
        "Hillary Rodham Velin"
    );
    assert_eq!(full("Bill Velin", Gender::Unknown).unwrap(), "Bill Velin");
    // A bare last name: the person of its gender ("Mrs. Velin"), else one a source names
    // in full, first in the text.
    assert_eq!(
        full("Velin", Gender::Female).unwrap(),
        "Hillary Rodham Velin"
    );
    assert_eq!(full("Velin", Gender::Male).unwrap(), "Bill Velin");
    assert_eq!(full("Velin", Gender::Unknown).unwrap(), "Bill Velin");
    // Initials do not make two persons one ("George W." and "Jeb W.").
    let mut n = Namesakes::default();
    n.add(w("George W. Marsk"), 0, true);
    n.add(w("Jeb W. Marsk"), 4, true);
    assert_eq!(n.people.len(), 2);
    // An unknown given name: another person, not the fullest name of the last word.
    assert_eq!(n.resolve(&w("Eric Marsk"), Gender::Unknown), None);
}

#[test]
fn a_document_names_each_namesake_apart() {
    let d = doc(
        "Jeb Marsk said the quay was fine. George W. Marsk said it was not. Mary Marsk was \
         there. Mrs. Marsk said nothing. Neither Hillary Dorrow nor anyone else spoke. Dorrow \
         said neither would.",
    );
    let at = |w: &str, n: usize| {
        d.tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| &d.text[t.span.clone()] == w)
            .nth(n)
            .map(|(i, _)| i)
            .unwrap()
    };
    let said = |n| at("said", n)..at("said", n) + 1;
    let predicted = [
        said_by(at("Jeb", 0)..at("Marsk", 0) + 1, said(0)),
        said_by(at("George", 0)..at("Marsk", 1) + 1, said(1)),
        said_by(at("Mrs", 0)..at("Marsk", 3) + 1, said(2)),
        said_by(at("Marsk", 3)..at("Marsk", 3) + 1, said(2)),
        said_by(at("Dorrow", 1)..at("Dorrow", 1) + 1, said(3)),
    ];
    let canon: Vec<String> = canonical_speakers(&d, &predicted)
        .into_iter()
        .map(|c| c.0)
        .collect();
    // "Mrs. Marsk" is the woman of that name; a bare "Marsk", the first a source names in
    // full; "Dorrow", the name the text gives in full without the sentence's first word.
    assert_eq!(
        canon,
        [
            "Jeb Marsk",
            "George W. Marsk",
            "Mary Marsk",
            "Jeb Marsk",
            "Hillary Dorrow"
        ]
    );
    // A sentence's first word that the text writes in lowercase elsewhere is no name's.
    let d = doc("Neither Hillary Dorrow nor the board spoke. Dorrow said neither would.");
    let mut words = vec!["Neither".to_owned(), "Hillary".into(), "Dorrow".into()];
    drop_initial_word(&d, &(0..3), &mut words);
    assert_eq!(words, ["Hillary", "Dorrow"]);
    // Not a known given name, nor down to a bare last name.
    let mut words = vec!["Bill".to_owned(), "Dorrow".into(), "Jr".into()];
    let d2 = doc("Bill Dorrow Jr said the bill would pass.");
    drop_initial_word(&d2, &(0..3), &mut words);
    assert_eq!(words, ["Bill", "Dorrow", "Jr"]);
    let mut words = vec!["Some".to_owned(), "Democrats".into()];
    let d3 = doc("Some Democrats said some things.");
    drop_initial_word(&d3, &(0..2), &mut words);
    assert_eq!(words, ["Some", "Democrats"]);
}

#[test]
fn headlines_and_datelines_do_not_complete_names() {
    let d =
        doc("Harbour Board Hits Ilse Marr Over Closure\n\nDORROW Ilse Marr spoke.\n\nShe said so.");
    assert!(title_case(&d, 0));
    assert!(!title_case(&d, 2));
    assert!(all_caps("DORROW") && !all_caps("Marr") && !all_caps("US"));
    let d = doc("Harbour Board Hits Ilse Marr Over Closure\n\nMarr said the port would reopen.");
    let marr = d.tokens.iter().rposition(|t| t.norm == "marr").unwrap();
    let predicted = [Predicted {
        cue: marr + 1..marr + 2,
        cue_p: 0.9,
        source: Some(marr..marr + 1),
        source_p: 0.9,
        contents: std::iter::once(marr + 2..d.tokens.len() - 1).collect(),
        source_why: Vec::new(),
        kind: None,
        source_rule: crate::attribution::SourceRule::Model,
    }];
    assert_eq!(canonical_speakers(&d, &predicted)[0].0, "Marr");
}

#[test]
fn names_around_of_and_title_case_phrases() {
    // Each source mention (all of the text before " said") and the name it gives.
    for (text, want) in [
        ("Ivo Marsk of Skarn said it.", "Ivo Marsk"),
        ("Sen. Ilse Marr from Dorrow said it.", "Ilse Marr"),
        ("Secretary of State Brenna Tal said it.", "Brenna Tal"),
        ("Chief of Staff Oskar Velin said it.", "Oskar Velin"),
        ("The Bank of Skarn said it.", ""),
        ("the Harbour Society of Civil Engineers said it.", ""),
        ("Skarn Harbour Board of Trade said it.", ""),
        ("Storm Over Budget said it.", ""),
        (
            "Velnian Harbour Council Deputy Coordinator Mira Varga said it.",
            "Mira Varga",
        ),
        ("Republican Ivo Marsk said it.", "Ivo Marsk"),
        ("House Democrat Ilse Marr said it.", "Ilse Marr"),
        (
            "The Democratic National Convention said it.",
            "Democratic National Convention",
        ),
    ] {
        let d = doc(text);
        let said = d.tokens.iter().position(|t| t.norm == "said").unwrap();
        assert_eq!(name_words(&d, &(0..said), true).join(" "), want, "{text}");
    }
    // A window of the text (completing a bare last name) may start after the title.
    let d = doc("The harbour talks of Secretary of State Brenna Tal went on.");
    let tal = d.tokens.iter().position(|t| t.norm == "tal").unwrap();
    assert_eq!(
        name_words(&d, &(tal - 3..tal + 1), false).join(" "),
        "Brenna Tal"
    );
}

#[test]
fn a_relative_pronoun_names_its_antecedent() {
    let antecedent = |text: &str| {
        let d = doc(text);
        let who = d
            .tokens
            .iter()
            .position(|t| matches!(t.norm.as_str(), "who" | "which" | "that"))
            .unwrap();
        relative_antecedent(&d, &(who..who + 1), &[])
            .map(|r| d.text[d.tokens[r.start].span.start..d.tokens[r.end - 1].span.end].to_owned())
    };
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        antecedent("The plan was attacked by Ivo Marsk, who cites the cost."),
        some("Ivo Marsk")
    );
    assert_eq!(
        antecedent("It went to Rep. Ilse Marr (D-Vel.), who said no."),
        some("Rep. Ilse Marr")
    );
    assert_eq!(
        antecedent("Among 64 percent who say so, most agree."),
        some("64 percent")
    );
    assert_eq!(
        antecedent("The board released a report that says it is safe."),
        some("a report")
    );
    assert_eq!(
        antecedent("The plan went to the harbour board, which said no."),
        some("the harbour board")
    );
    // Nothing to name: a sentence's start, a number, the end of an appositive.
    assert_eq!(antecedent("Who said so?"), None);
    assert_eq!(antecedent("It came in 2014 that said so."), None);
    assert_eq!(antecedent("Alda Velin, 59, of Dorrow, who said so."), None);
}

#[test]
fn speakers_are_persons_groups_or_organisations() {
    let d = doc(
        "The harbour spokesperson and Russian officials and the White House and \
                 the Harbour Ministry and Ivo Marsk and local police said so.",
    );
    let kind = |from: &str, to: &str, named: bool| referent(&d, &toks(&d, from, to), named);
    assert_eq!(kind("The", "spokesperson", false), Referent::Person);
    assert_eq!(kind("Russian", "officials", false), Referent::Group);
    assert_eq!(kind("the", "House", true), Referent::Org);
    assert_eq!(kind("Harbour", "Ministry", true), Referent::Org);
    assert_eq!(kind("Ivo", "Marsk", true), Referent::Person);
    assert_eq!(kind("local", "police", false), Referent::Org);
    let d = doc("A spokesman for the Harbour Ministry and a majority of local traders said so.");
    let kind = |from: &str, to: &str| referent(&d, &toks(&d, from, to), false);
    assert_eq!(kind("A", "Ministry"), Referent::Person);
    assert_eq!(kind("a", "traders"), Referent::Group);
    let d = doc("Mrs. Alda Velin, a spokesman and Mary Orsk and Ivo Tamm met Mr. Tamm.");
    let titled = titled_names(&d);
    let g = |from: &str, to: &str, first: &str, last: &str| {
        gender(
            &d,
            &toks(&d, from, to),
            Some(first),
            Some(&last.to_string()),
            &titled,
        )
    };
    assert_eq!(g("Alda", "Velin", "Alda", "Velin"), Gender::Female);
    assert_eq!(g("a", "spokesman", "", ""), Gender::Male);
    assert_eq!(g("Mary", "Orsk", "Mary", "Orsk"), Gender::Female);
    assert_eq!(g("Ivo", "Tamm", "Ivo", "Tamm"), Gender::Male);
    assert_eq!(g("Ivo", "Ivo", "Ivo", "Ivo"), Gender::Unknown);
    assert_eq!(pronoun_gender("her"), Some(Gender::Female));
    assert_eq!(pronoun_gender("they"), None);
    assert!(pronoun_refers_to("she", Referent::Person));
    assert!(!pronoun_refers_to("she", Referent::Org));
    assert!(pronoun_refers_to("they", Referent::Group));
    assert!(!pronoun_refers_to("they", Referent::Person));
    assert!(pronoun_refers_to("it", Referent::Org));
    assert!(!pronoun_refers_to("it", Referent::Group));
}

#[test]
fn furniture_starts_are_whole_words() {
    assert!(is_furniture("Home"));
    assert!(is_furniture("Share this: Facebook Twitter"));
    assert!(is_furniture("Your email address will not be published."));
    assert!(is_furniture("Required fields are marked *"));
    assert!(!is_furniture(
        "Homeland Security officials said the threat was real."
    ));
    assert!(!is_furniture("Shares of Gazprom fell 3 percent on Monday."));
    assert!(!is_furniture("Menus in Moscow restaurants have changed."));
    assert!(!is_furniture("Relatedly, the ministry said nothing."));
}

#[test]
fn stance_is_asked_only_where_the_document_mentions_the_target() {
    let p = Pipeline::embedded().unwrap();
    let us = "The survey has a margin of error of four points. \"We have to bring the ferries \
              back,\" Halvard said.";
    let war = "Kyiv said the strikes went on. Russian officials denied it.";
    let nato = Target::new("NATO");
    let scope = |stance_scope| ClassifyOptions {
        stance_scope,
        ..ClassifyOptions::default()
    };
    let (all, doc, sentence) = (
        scope(StanceScope::All),
        scope(StanceScope::Mentioned),
        scope(StanceScope::Sentence),
    );
    assert_eq!(
        ClassifyOptions::default().stance_scope,
        sentence.stance_scope
    );
    // No mention of either target: `none` with certainty, and marked.
    for d in [p.classify(us), p.classify_with(us, &doc)] {
        for s in &d.sentences {
            assert_eq!(s.stance.len(), 2);
            for t in &s.stance {
                assert_eq!(t.label, Stance::None);
                assert_eq!(
                    (t.probs.favor, t.probs.against, t.probs.none),
                    (0.0, 0.0, 1.0)
                );
                assert!(!t.mentioned, "{t:?}");
            }
        }
    }
    // The model's own probabilities with `All`.
    let d = p.classify_with(us, &all);
    assert!(d
        .sentences
        .iter()
        .all(|s| s.stance.iter().all(|t| !t.mentioned && t.probs.none < 1.0)));
    // A document that mentions both gets the same stance with `Mentioned` and `All`,
    // sentences that do not name a target included.
    let (a, b) = (p.classify_with(war, &doc), p.classify_with(war, &all));
    assert_eq!(a, b);
    assert!(a
        .sentences
        .iter()
        .all(|s| s.stance.iter().all(|t| t.mentioned)));
    // With `Sentence` (the default), only the target each sentence names: Ukraine (Kyiv) in
    // the first, Russia in the second, with the probabilities of the other scopes.
    let c = p.classify(war);
    for (i, named) in [(0, 1), (1, 0)] {
        let (s, t) = (&c.sentences[i], &a.sentences[i]);
        assert_eq!(s.stance[named], t.stance[named]);
        let other = &s.stance[1 - named];
        assert!(!other.mentioned && other.probs.none == 1.0, "{other:?}");
        assert_eq!(other.label, Stance::None);
    }
    // Targets are gated one by one.
    let opts = ClassifyOptions {
        targets: vec![Target::new("Russia"), nato.clone()],
        ..doc.clone()
    };
    let d = p.classify_with(war, &opts);
    let all_d = p.classify_with(
        war,
        &ClassifyOptions {
            stance_scope: StanceScope::All,
            ..opts.clone()
        },
    );
    for (s, t) in d.sentences.iter().zip(&all_d.sentences) {
        assert_eq!(s.stance[0], t.stance[0]);
        assert!(!s.stance[1].mentioned && s.stance[1].probs.none == 1.0);
    }
}

proptest! {
    #[test]
    fn furniture_ascii_path_matches_unicode_path(
        pieces in proptest::collection::vec(
            (piece(), proptest::sample::select(vec!["", " ", " ", "\t", "\n", "\u{b}"])),
            0..14,
        ),
        any_text in "\\PC{0,40}",
    ) {
        let joined: String = pieces.iter().map(|(p, sep)| format!("{p}{sep}")).collect();
        for text in [joined, any_text] {
            prop_assert_eq!(is_furniture(&text), is_furniture_unicode(text.trim()), "{:?}", text);
        }
    }
}
