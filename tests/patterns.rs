//! The shipped model on the everyday shapes of reported speech in news, one made-up sentence
//! each (a behavioural check list): who speaks, with which cue, direct or indirect. A change to
//! the decoding or a retrained model that loses one of these shapes fails here, whatever it does
//! to the corpus figures.

use crate::util::*;

/// (sentence, speaker, cue, kind): each sentence is a paragraph of its own. `None`: the author.
const PATTERNS: &[(&str, Option<&str>, &str, &str)] = &[
    (
        "Marta Velin said the harbour would reopen next week.",
        Some("Marta Velin"),
        "said",
        "indirect",
    ),
    (
        "“The harbour will reopen next week,” Velin said.",
        Some("Velin"),
        "said",
        "direct",
    ),
    // A noun phrase with prepositions before the cue is the source as a whole.
    (
        "Moreover, the report of the closure of a bridge over the Brenn further shows the reach of the army.",
        Some("the report of the closure of a bridge over the Brenn"),
        "further shows",
        "indirect",
    ),
    // The reporting clause trails off into more words than the quotation has.
    (
        "“We are ready,” Velin told the Harbour Gazette on Monday at the port of Skarn.",
        Some("Velin"),
        "told",
        "direct",
    ),
    (
        "The ships are safe, Velin told the Harbour Gazette at the port of Skarn on Monday.",
        Some("Velin"),
        "told",
        "indirect",
    ),
    (
        "“The harbour will reopen next week,” said Marta Velin.",
        Some("Marta Velin"),
        "said",
        "direct",
    ),
    (
        "“The harbour will reopen next week,” said Marta Velin, the head of the port authority.",
        Some("Marta Velin, the head of the port authority"),
        "said",
        "direct",
    ),
    (
        "Marta Velin, the head of the port authority, said the harbour would reopen next week.",
        Some("Marta Velin, the head of the port authority,"),
        "said",
        "indirect",
    ),
    (
        "According to Marta Velin, the harbour will reopen next week.",
        Some("Marta Velin"),
        "According to",
        "indirect",
    ),
    (
        "The harbour will reopen next week, according to the port authority.",
        Some("the port authority"),
        "according to",
        "indirect",
    ),
    (
        "According to Dorrow harbour reports, the bridge was closed overnight.",
        Some("Dorrow harbour reports"),
        "According to",
        "indirect",
    ),
    (
        "Velin told reporters that the harbour would reopen next week.",
        Some("Velin"),
        "told",
        "indirect",
    ),
    (
        "Velin said in a statement that the harbour would reopen next week.",
        Some("Velin"),
        "said in a statement",
        "indirect",
    ),
    (
        "Velin added: “The ships are ready.”",
        Some("Velin"),
        "added:",
        "direct",
    ),
    (
        "But Velin added, “The ships are ready.”",
        Some("Velin"),
        "added",
        "direct",
    ),
    (
        "Velin argued that the ships were not ready.",
        Some("Velin"),
        "argued",
        "indirect",
    ),
    (
        "The port authority denied that the ships were damaged.",
        Some("The port authority"),
        "denied",
        "indirect",
    ),
    (
        "Velin warned that the harbour could stay closed for months.",
        Some("Velin"),
        "warned",
        "indirect",
    ),
    (
        "In a statement, the port authority said the harbour would reopen next week.",
        Some("the port authority"),
        "said",
        "indirect",
    ),
    (
        "The harbour will reopen next week, officials said.",
        Some("officials"),
        "said",
        "indirect",
    ),
    // An opening phrase that says when is not what was said.
    (
        "In 2010 she said of the dockworkers: \"Nobody is stopping them from striking.\"",
        Some("she"),
        "said",
        "mixed",
    ),
    // A long aside between the source and its cue.
    (
        "The Velin campaign, which has been shadowed for months by the row over its funding, said that the letters had no bearing on the vote.",
        Some("The Velin campaign"),
        "said",
        "indirect",
    ),
    // The verb before its source, after the clause it reports.
    (
        "The harbour will close next spring, said several officials.",
        Some("several officials"),
        "said",
        "indirect",
    ),
    (
        "The new bridge may never open, said an engineer who was briefed on the plans.",
        Some("an engineer who was briefed on the plans"),
        "said",
        "indirect",
    ),
    (
        "The quay is not safe, says Ivo Marsk, a pilot at the port.",
        Some("Ivo Marsk, a pilot at the port"),
        "says",
        "indirect",
    ),
    (
        "Velin said on Tuesday that the harbour would reopen next week.",
        Some("Velin"),
        "said",
        "indirect",
    ),
    (
        "The report found that the harbour had been badly managed.",
        Some("The report"),
        "found",
        "indirect",
    ),
    (
        "Velin believes the harbour will reopen next week.",
        Some("Velin"),
        "believes",
        "indirect",
    ),
    ("“We are ready,” she said.", Some("she"), "said", "direct"),
    (
        "The minister insisted the ships were safe.",
        Some("The minister"),
        "insisted",
        "indirect",
    ),
    (
        "The harbour reopened on Monday after a week of repairs.",
        None,
        "",
        "",
    ),
    (
        "The port raised four million dollars last year, its board announced late Saturday.",
        Some("its board"),
        "announced",
        "indirect",
    ),
    (
        "She had a fine line for it when she said, “A harbour is a promise, not a place.”",
        Some("she"),
        "said",
        "direct",
    ),
    (
        "“We sail at dawn,” said a longtime harbour pilot who has worked for two of the port’s owners.",
        Some("a longtime harbour pilot who has worked for two of the port’s owners"),
        "said",
        "direct",
    ),
    (
        "Northern Harbour Board Deputy Strategic Shipping Coordinator Marta Velin said the harbour would reopen next week.",
        Some("Northern Harbour Board Deputy Strategic Shipping Coordinator Marta Velin"),
        "said",
        "indirect",
    ),
    (
        "Citing “duties at home,” the spokeswoman told reporters that Velin would stay in Dorrow for the rest of the year.",
        Some("the spokeswoman"),
        "told",
        "indirect",
    ),
    (
        "Harbour economist Alda Velin, who studies shipping at the Dorrow Institute, said Ivo Marsk's plan didn't help the port.",
        Some("Harbour economist Alda Velin, who studies shipping at the Dorrow Institute,"),
        "said",
        "indirect",
    ),
    (
        "The minister is accused of hiding the harbour report from the board.",
        None,
        "is accused of",
        "indirect",
    ),
    (
        "Velin is worried that the quay will close before the winter storms.",
        Some("Velin"),
        "is worried",
        "indirect",
    ),
    (
        "Marta Velin toured the quay on Monday and said the ships were safe.",
        Some("Marta Velin"),
        "said",
        "indirect",
    ),
];

fn classify(text: &str) -> Vec<serde_json::Value> {
    let o = run(&["classify", "--format", "jsonl"], text.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    json_lines(&o)
}

#[test]
fn everyday_shapes_of_reported_speech() {
    let text = PATTERNS
        .iter()
        .map(|p| p.0)
        .collect::<Vec<_>>()
        .join("\n\n");
    let lines = classify(&text);
    assert_eq!(lines.len(), PATTERNS.len(), "one sentence each");
    let mut wrong = Vec::new();
    for (l, &(sentence, speaker, cue, kind)) in lines.iter().zip(PATTERNS) {
        assert_eq!(l["text"], sentence);
        let got = (
            l["speaker"]["text"].as_str(),
            l["cue"]["text"].as_str().unwrap_or(""),
            l["quote"]["kind"].as_str().unwrap_or(""),
        );
        if got != (speaker, cue, kind) {
            wrong.push(format!(
                "{sentence}\n  want {:?}\n  got  {got:?}",
                (speaker, cue, kind)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_quotation_over_several_sentences_keeps_its_speaker() {
    for text in [
        "Velin said: “The ships are ready. The crews are trained. We sail at dawn.”",
        "“The ships are ready. The crews are trained. We sail at dawn,” Velin said.",
        "“The ships are ready,” Velin said. “The crews are trained. We sail at dawn.”",
        // A quotation nested in it does not end it.
        "“The ships are ready,” Velin said. “The crews call it ‘the long wait,’ and it ends. \
         We sail at dawn.”",
    ] {
        let lines = classify(text);
        assert_eq!(lines.len(), 3, "{text}");
        for l in &lines {
            assert_eq!(l["speaker"]["text"], "Velin", "{text}: {l}");
            assert_eq!(l["quote"]["kind"], "direct", "{text}: {l}");
        }
    }
}

/// A sentence's speaker mention and canonical name ("" where it has none).
fn speaker_of(line: &serde_json::Value) -> (&str, &str) {
    let s = &line["speaker"];
    (
        s["text"].as_str().unwrap_or(""),
        s["canonical"].as_str().unwrap_or(""),
    )
}

#[test]
fn a_pronoun_speaker_resolves_to_the_last_speaker_it_can_refer_to() {
    let lines = classify(
        "Marta Velin said the port would reopen.\n\nHarbour officials said the cranes were \
         ready.\n\n“We are ready,” she said.\n\nThey added that the quay was clear.",
    );
    let speaker = |i: usize| speaker_of(&lines[i]);
    assert_eq!(speaker(2), ("she", "Marta Velin"));
    assert_eq!(speaker(3), ("They", "Harbour officials"));
    // "We" outside quotation marks is the author's: it stays itself.
    let lines = classify("Marta Velin said the port would reopen.\n\nWe believe she is right.");
    assert_eq!(lines[1]["speaker"]["canonical"], "We");
}

#[test]
fn a_relative_pronoun_speaker_is_named_by_its_antecedent() {
    let lines = classify(
        "Marta Velin said the port would reopen.\n\nThe plan drew fire from Ivo Marsk, who said \
         the cranes on the north quay were broken and unsafe.\n\n“We are ready,” he said.",
    );
    let speaker = |i: usize| speaker_of(&lines[i]);
    assert_eq!(speaker(1), ("who", "Ivo Marsk"));
    // And "he" after it refers to him.
    assert_eq!(speaker(2), ("he", "Ivo Marsk"));
}

#[test]
fn a_pronoun_speaker_resolves_to_the_named_one() {
    let lines = classify("Marta Velin said the port would reopen.\n\n“We are ready,” she said.");
    let she = &lines[1];
    assert_eq!(she["speaker"]["text"], "she");
    assert_eq!(she["speaker"]["canonical"], "Marta Velin");
}

#[test]
fn he_and_she_pass_over_a_speaker_of_the_other_gender() {
    let lines = classify(
        "Mary Velin said the port would reopen.\n\nJohn Marsk said the cranes were broken.\
         \n\n“We are ready,” she said.\n\n“We are not,” he said.",
    );
    let canonical = |i: usize| lines[i]["speaker"]["canonical"].as_str().unwrap_or("");
    assert_eq!(canonical(2), "Mary Velin");
    assert_eq!(canonical(3), "John Marsk");
    // "Ms." and "Mr." elsewhere in the text tell the gender of names the lists do not know.
    let lines = classify(
        "Ms. Velin runs the port.\n\nMr. Tamm runs the cranes.\n\nAlda Velin said the port \
         would reopen.\n\nOrsk Tamm said it would not.\n\n“We are ready,” she said.",
    );
    assert_eq!(lines[4]["speaker"]["canonical"], "Alda Velin");
    // With only a man before it, "she" stays unresolved.
    let lines = classify("John Marsk said the cranes were broken.\n\n“We are ready,” she said.");
    assert_eq!(lines[1]["speaker"]["canonical"], "she");
}
