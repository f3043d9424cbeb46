//! Canonical speakers per document: mentions of one speaker grouped under its fullest name,
//! pronouns resolved to the most recent compatible speaker, namesakes told apart.

use super::*;

pub(crate) const PERSONAL: WordList = WordList::new(&[
    "he", "she", "him", "her", "his", "i", "we", "they", "who", "it",
]);
pub(crate) const TITLES: WordList = WordList::new(&[
    // "Director of Harbour Affairs Ivo Marsk", "Foreign Affairs Minister …".
    "affairs",
    "chair",
    "chairwoman",
    "chairperson",
    "congressman",
    "congresswoman",
    "councilman",
    "councilwoman",
    "assemblyman",
    "assemblywoman",
    "deputy",
    "vice",
    "commander",
    "lieutenant",
    "sergeant",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "president",
    "minister",
    "secretary",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "coordinator",
    "director",
    "chairman",
    "chief",
    "senator",
    "governor",
    "general",
    "ambassador",
    "adviser",
    "advisor",
    "official",
    "leader",
    "prime",
    "foreign",
    "defense",
    "press",
    "professor",
    "prof",
    "admiral",
    "adm",
    "representative",
    "mayor",
    "judge",
    "sheriff",
    "commissioner",
    "rev",
    "reverend",
    "rabbi",
    "pastor",
    "lt",
    "col",
    "sgt",
    "capt",
    "cmdr",
]);

/// What a speaker can be referred back to as: a person ("he", "she", "I"), a group ("they",
/// "we") or an organisation ("they", "we", "it").
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Referent {
    Person,
    Group,
    Org,
}

/// Pronouns and the speakers they can refer back to (first-person ones only inside a
/// quotation, where they are its speaker's or the speaker's group's).
pub(crate) fn pronoun_refers_to(pronoun: &str, r: Referent) -> bool {
    match pronoun {
        "he" | "she" | "him" | "her" | "his" => r == Referent::Person,
        "they" => matches!(r, Referent::Group | Referent::Org),
        "it" => r == Referent::Org,
        _ => true,
    }
}

/// What is known of a person's gender, for "he" and "she".
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Gender {
    Female,
    Male,
    Unknown,
}

/// The gender a pronoun refers to, for "he", "she" and their other forms.
pub(crate) fn pronoun_gender(pronoun: &str) -> Option<Gender> {
    match pronoun {
        "she" | "her" => Some(Gender::Female),
        "he" | "him" | "his" => Some(Gender::Male),
        _ => None,
    }
}

/// Titles and nouns that name a woman ("Mrs.", "the spokeswoman").
pub(crate) const FEMALE_NOUNS: WordList = WordList::new(&[
    "mrs",
    "ms",
    "miss",
    "madam",
    "woman",
    "spokeswoman",
    "chairwoman",
    "congresswoman",
    "businesswoman",
    "mother",
    "wife",
    "daughter",
    "sister",
    "girl",
    "queen",
    "actress",
    "grandmother",
    "widow",
    "aunt",
    "niece",
    "lady",
    "princess",
    "duchess",
]);

/// Titles and nouns that name a man ("Mr.", "the spokesman").
pub(crate) const MALE_NOUNS: WordList = WordList::new(&[
    "mr",
    "mister",
    "sir",
    "man",
    "spokesman",
    "chairman",
    "congressman",
    "businessman",
    "father",
    "husband",
    "son",
    "brother",
    "boy",
    "king",
    "actor",
    "grandfather",
    "widower",
    "uncle",
    "nephew",
    "prince",
    "duke",
]);

/// Common given names that are nearly always a woman's. A name in neither list says nothing.
pub(crate) const FEMALE_NAMES: WordList = WordList::new(&[
    "mary",
    "patricia",
    "jennifer",
    "linda",
    "elizabeth",
    "barbara",
    "susan",
    "jessica",
    "sarah",
    "karen",
    "nancy",
    "lisa",
    "betty",
    "margaret",
    "sandra",
    "ashley",
    "kimberly",
    "emily",
    "donna",
    "michelle",
    "dorothy",
    "carol",
    "amanda",
    "melissa",
    "deborah",
    "stephanie",
    "rebecca",
    "sharon",
    "laura",
    "cynthia",
    "kathleen",
    "amy",
    "angela",
    "shirley",
    "anna",
    "brenda",
    "pamela",
    "emma",
    "nicole",
    "helen",
    "samantha",
    "katherine",
    "christine",
    "debra",
    "rachel",
    "carolyn",
    "janet",
    "catherine",
    "maria",
    "heather",
    "diane",
    "ruth",
    "julie",
    "olivia",
    "joyce",
    "virginia",
    "victoria",
    "kelly",
    "lauren",
    "christina",
    "joan",
    "evelyn",
    "judith",
    "megan",
    "andrea",
    "cheryl",
    "hannah",
    "jacqueline",
    "martha",
    "gloria",
    "teresa",
    "ann",
    "sara",
    "madison",
    "frances",
    "kathryn",
    "janice",
    "jean",
    "abigail",
    "alice",
    "julia",
    "judy",
    "sophia",
    "grace",
    "denise",
    "amber",
    "doris",
    "marilyn",
    "danielle",
    "beverly",
    "isabella",
    "theresa",
    "diana",
    "natalie",
    "brittany",
    "charlotte",
    "marie",
    "kayla",
    "alexis",
    "lori",
    "hillary",
    "kamala",
    "condoleezza",
    "madeleine",
    "sonia",
    "elena",
    "marine",
    "ursula",
    "nikki",
    "sheryl",
    "valerie",
    "huma",
    "chelsea",
    "melania",
    "ivanka",
    "sheila",
    "rosa",
    "irina",
    "olga",
    "natalia",
    "tatiana",
    "svetlana",
    "yulia",
    "oksana",
    "iryna",
    "anne",
    "claire",
    "kate",
    "jane",
    "susanne",
    "monica",
    "debbie",
    "loretta",
    "kirsten",
    "tammy",
    "mazie",
    "tulsi",
    "carly",
]);

/// Common given names that are nearly always a man's.
pub(crate) const MALE_NAMES: WordList = WordList::new(&[
    "james",
    "robert",
    "john",
    "michael",
    "david",
    "william",
    "richard",
    "joseph",
    "thomas",
    "charles",
    "christopher",
    "daniel",
    "matthew",
    "anthony",
    "mark",
    "donald",
    "steven",
    "paul",
    "andrew",
    "joshua",
    "kenneth",
    "kevin",
    "brian",
    "george",
    "timothy",
    "ronald",
    "edward",
    "jason",
    "jeffrey",
    "ryan",
    "jacob",
    "gary",
    "nicholas",
    "eric",
    "jonathan",
    "stephen",
    "larry",
    "justin",
    "scott",
    "brandon",
    "benjamin",
    "samuel",
    "gregory",
    "alexander",
    "frank",
    "patrick",
    "raymond",
    "jack",
    "dennis",
    "jerry",
    "tyler",
    "aaron",
    "jose",
    "adam",
    "nathan",
    "henry",
    "douglas",
    "zachary",
    "peter",
    "kyle",
    "ethan",
    "walter",
    "noah",
    "jeremy",
    "christian",
    "keith",
    "roger",
    "terry",
    "gerald",
    "harold",
    "sean",
    "austin",
    "carl",
    "arthur",
    "lawrence",
    "dylan",
    "jesse",
    "jordan",
    "bryan",
    "billy",
    "joe",
    "bruce",
    "gabriel",
    "logan",
    "albert",
    "willie",
    "alan",
    "juan",
    "wayne",
    "elijah",
    "randy",
    "roy",
    "vincent",
    "ralph",
    "eugene",
    "russell",
    "bobby",
    "mason",
    "philip",
    "louis",
    "barack",
    "bernie",
    "bill",
    "mitt",
    "ted",
    "marco",
    "jeb",
    "mike",
    "chris",
    "newt",
    "rudy",
    "mitch",
    "chuck",
    "vladimir",
    "sergey",
    "sergei",
    "dmitry",
    "dmitri",
    "volodymyr",
    "oleksii",
    "dmytro",
    "yevgeny",
    "alexei",
    "boris",
    "emmanuel",
    "olaf",
    "rishi",
    "xi",
    "recep",
    "antony",
    "lloyd",
    "jens",
    "jake",
    "ben",
    "tim",
    "tom",
    "bob",
    "jim",
    "dan",
    "pete",
    "rand",
    "lindsey",
]);

/// Last names written after "Mr." or "Mrs."/"Ms." somewhere in the document, with that gender.
pub(crate) fn titled_names(doc: &DocView) -> Vec<(String, Gender)> {
    let mut out = Vec::new();
    for (i, t) in doc.tokens.iter().enumerate() {
        let g = match t.norm.as_str() {
            "mr" => Gender::Male,
            "mrs" | "ms" => Gender::Female,
            _ => continue,
        };
        // The capitalised words after the title (and its dot): the last one is the name's.
        let last = doc.tokens[i + 1..]
            .iter()
            .skip_while(|n| n.norm == ".")
            .take(3)
            .take_while(|n| doc.text[n.span.clone()].starts_with(char::is_uppercase))
            .last();
        if let Some(n) = last {
            out.push((n.norm.clone(), g));
        }
    }
    out
}

/// What a person's mention tells of their gender: a gendered title or noun in it ("Mrs.",
/// "the spokeswoman"), then their given name (`first`, from their fullest mention), then the
/// title their last name has elsewhere in the document ("Mr. Velin").
pub(crate) fn gender(
    doc: &DocView,
    src: &Range<usize>,
    first: Option<&str>,
    last: Option<&String>,
    titled: &[(String, Gender)],
) -> Gender {
    for t in &doc.tokens[mention_core(doc, src)] {
        if word_in(&FEMALE_NOUNS, t.norm.as_str()) {
            return Gender::Female;
        }
        if word_in(&MALE_NOUNS, t.norm.as_str()) {
            return Gender::Male;
        }
    }
    if let Some(f) = first.map(str::to_lowercase) {
        if word_in(&FEMALE_NAMES, &f) {
            return Gender::Female;
        }
        if word_in(&MALE_NAMES, &f) {
            return Gender::Male;
        }
    }
    let last = last.map(|l| l.to_lowercase());
    titled
        .iter()
        .find(|(n, _)| Some(n) == last.as_ref())
        .map_or(Gender::Unknown, |&(_, g)| g)
}

/// Words for a part of a group ("a majority of voters", "most of them").
pub(crate) const QUANTITIES: WordList = WordList::new(&[
    "majority",
    "minority",
    "percent",
    "number",
    "quarter",
    "half",
    "third",
    "most",
    "many",
    "some",
    "all",
    "none",
    "few",
    "several",
    "each",
    "one",
    "two",
    "three",
    "dozens",
    "hundreds",
    "thousands",
    "millions",
    "share",
    "group",
]);

/// Words for groups of people that take no plural "s" ("people", "staff").
pub(crate) const GROUP_NOUNS: WordList = WordList::new(&[
    "people", "staff", "crew", "public", "military", "percent", "those", "many", "some", "all",
    "anyone", "everyone",
]);

/// Whether a source mention is a person, a group or an organisation: an organisation's head
/// ("ministry") or a name after "the" ("the Kremlin", "the White House"); a group a plural
/// description ("Russian officials", "analysts"); a person any other name or description
/// ("Kirby", "the spokesperson").
pub(crate) fn referent(doc: &DocView, src: &Range<usize>, named: bool) -> Referent {
    let mut core = mention_core(doc, src);
    // "a spokesman for the board" is a person, but "a majority of voters" are voters.
    if let Some(k) = common_head_end(doc, &core).filter(|&k| {
        doc.tokens[k].norm != "of" || !word_in(&QUANTITIES, doc.tokens[k - 1].norm.as_str())
    }) {
        core.end = k;
    }
    let (first, last) = match core.clone().next() {
        Some(f) => (
            doc.tokens[f].norm.as_str(),
            doc.tokens[core.end - 1].norm.as_str(),
        ),
        None => return Referent::Person,
    };
    let last_orig = &doc.text[doc.tokens[core.end - 1].span.clone()];
    if word_in(&ORG_HEADS, last) || (named && first == "the") {
        Referent::Org
    } else if !named
        && !last_orig.starts_with(char::is_uppercase)
        && ((last.len() > 3 && last.ends_with('s') && !last.ends_with("ss"))
            || word_in(&GROUP_NOUNS, last))
    {
        Referent::Group
    } else {
        Referent::Person
    }
}

/// The full names of a document's persons that share a last name ("Hillary Clinton", "Bill
/// Clinton").
#[derive(Debug, Default)]
pub(crate) struct Namesakes {
    /// Each person's fullest name (given names, then the last name), whether a source names
    /// them in full, and the token where the text first names them; a bare last name only while
    /// no full name is known.
    pub(crate) people: Vec<(Vec<String>, bool, usize)>,
}

impl Namesakes {
    /// The person named `words` (a full name): one whose given names share a word with these
    /// that is not an initial ("Donald J. Trump" and "Donald Trump", not "Jeb Bush" and "George
    /// W. Bush").
    fn find(&self, words: &[String]) -> Option<usize> {
        let given = &words[..words.len() - 1];
        self.people.iter().position(|(p, ..)| {
            p.len() > 1
                && p[..p.len() - 1].iter().any(|a| {
                    a.chars().count() > 1
                        && !a.ends_with('.')
                        && given.iter().any(|b| a.eq_ignore_ascii_case(b))
                })
        })
    }

    /// Adds a mention's name words, at token `at`, named by a source or not: a fuller name of
    /// a person replaces the shorter one, and the first full name completes a bare last name.
    pub(crate) fn add(&mut self, words: Vec<String>, at: usize, source: bool) {
        if words.len() < 2 {
            if self.people.is_empty() {
                self.people.push((words, false, at));
            }
            return;
        }
        let k = match self.find(&words) {
            Some(k) => k,
            None => match self.people.iter().position(|(p, ..)| p.len() < 2) {
                Some(k) => k,
                None => {
                    self.people.push((Vec::new(), false, at));
                    self.people.len() - 1
                }
            },
        };
        let (full, by_source, first) = &mut self.people[k];
        if words.len() > full.len() {
            *full = words;
        }
        *by_source |= source;
        *first = (*first).min(at);
    }

    /// The full name a mention's words stand for: its own person's for a full name; for a bare
    /// last name, among the persons of `gender` if any, one a source names in full if any, the
    /// one the text names first.
    pub(crate) fn resolve(&self, words: &[String], gender: Gender) -> Option<&[String]> {
        if words.len() > 1 {
            return self.find(words).map(|k| self.people[k].0.as_slice());
        }
        let of_gender = |p: &[String]| {
            gender == Gender::Unknown || given_gender(p.first().map(String::as_str)) == gender
        };
        let any_of_gender = self.people.iter().any(|(p, ..)| of_gender(p));
        self.people
            .iter()
            .filter(|(p, ..)| !any_of_gender || of_gender(p))
            .min_by_key(|&&(_, source, first)| (!source, first))
            .map(|(p, ..)| p.as_slice())
    }
}

/// Whether the document writes word `norm` in lowercase somewhere.
pub(crate) fn written_in_lowercase(doc: &DocView, norm: &str) -> bool {
    doc.tokens
        .iter()
        .any(|t| t.norm == norm && doc.text[t.span.clone()].starts_with(char::is_lowercase))
}

/// Drops the first of a name's `words` (read from tokens `r`) when it is capitalised only for
/// opening its sentence ("Telling Jeb Bush …", "Neither Hillary Clinton nor …"): a word the
/// document writes in lowercase elsewhere, no known given name, and two name words after it
/// (not "Some Democrats", "White America").
pub(crate) fn drop_initial_word(doc: &DocView, r: &Range<usize>, words: &mut Vec<String>) {
    if words.len() < 3 || given_gender(Some(&words[0])) != Gender::Unknown {
        return;
    }
    let Some(k) = r
        .clone()
        .find(|&k| doc.text[doc.tokens[k].span.clone()] == words[0])
    else {
        return;
    };
    let sent = &doc.sent_toks[doc.tok_sent[k]];
    let opens = (sent.start..k).all(|j| doc.tokens[j].is_punct());
    if opens && written_in_lowercase(doc, doc.tokens[k].norm.as_str()) {
        words.remove(0);
    }
}

/// The gender a given name is known to be of ([`FEMALE_NAMES`], [`MALE_NAMES`]).
pub(crate) fn given_gender(first: Option<&str>) -> Gender {
    match first.map(str::to_lowercase) {
        Some(f) if word_in(&FEMALE_NAMES, &f) => Gender::Female,
        Some(f) if word_in(&MALE_NAMES, &f) => Gender::Male,
        _ => Gender::Unknown,
    }
}

/// A canonical name and a confidence for each attribution's source: names are grouped by their
/// last word and given names and named by the fullest mention (titles dropped), a bare last
/// name by the person of that name whom a source names in full, else the one the text names
/// first (of the mention's gender, when its title or noun tells it: "Mrs. Clinton"); a pronoun
/// takes the most recent speaker it can refer to ("he" a person, "they" a group or an
/// organisation, "it" an organisation), or stays itself.
pub(crate) fn canonical_speakers(doc: &DocView, predicted: &[Predicted]) -> Vec<(String, f32)> {
    // The persons of each last word.
    let mut names: Vec<Namesakes> = Vec::new();
    let mut out = Vec::with_capacity(predicted.len());
    // The most recent speaker of each kind (person, group, organisation), with its position.
    let mut recent: [Option<(usize, String)>; 3] = [None, None, None];
    // The persons who spoke, most recent last, with what is known of their gender and whether
    // they are named, for "he" and "she" to pass over one they cannot refer to.
    let mut persons: Vec<(usize, String, Gender, bool)> = Vec::new();
    // Read from the text only when a person speaks.
    let mut titled: Option<Vec<(String, Gender)>> = None;
    // The index of each last word in `names`.
    let mut index: HashMap<String, usize, StrState> = HashMap::default();
    // Each source as named: a relative pronoun's antecedent ("Ilse Marr, who said …").
    let sources: Vec<Option<Range<usize>>> = predicted
        .iter()
        .map(|p| {
            p.source
                .as_ref()
                .map(|s| relative_antecedent(doc, s, predicted).unwrap_or_else(|| s.clone()))
        })
        .collect();
    // Each source's name words, read once for the first pass and the last.
    let mut source_words: Vec<Option<Vec<String>>> = sources
        .iter()
        .map(|s| {
            s.as_ref().map(|s| {
                let mut w = speaker_name_words(doc, s);
                drop_initial_word(doc, s, &mut w);
                w
            })
        })
        .collect();
    // First pass: the persons of each last word the sources name.
    for (words, src) in source_words.iter().zip(&sources) {
        let (Some(words), Some(src)) = (words, src) else {
            continue;
        };
        if let Some(last) = words.last() {
            let key = last.to_lowercase();
            let k = *index.entry(key).or_insert_with(|| {
                names.push(Namesakes::default());
                names.len() - 1
            });
            names[k].add(words.clone(), src.start, true);
        }
    }
    // Names written out anywhere in the text ("John Kirby") complete a bare last name, make a
    // person's name fuller, or are another person of that last name. All names in one pass over
    // the tokens.
    if !names.is_empty() {
        for (i, t) in doc.tokens.iter().enumerate() {
            // A name's last word is capitalised (name words are): the look-up only for those.
            if !doc.text[t.span.clone()].starts_with(char::is_uppercase) {
                continue;
            }
            let Some(&k) = index.get(t.norm.as_str()) else {
                continue;
            };
            let sent_start = doc.sent_toks[doc.tok_sent[i]].start.min(i);
            let span = i.saturating_sub(3).max(sent_start)..i + 1;
            // Only capitalised tokens become name words: with none before this one, it is a
            // bare last name.
            if !doc.tokens[span.start..i]
                .iter()
                .any(|t| doc.text[t.span.clone()].starts_with(char::is_uppercase))
            {
                continue;
            }
            let mut words = name_words(doc, &span, false);
            drop_initial_word(doc, &span, &mut words);
            if words.len() > 1
                && words.last().is_some_and(|w| w.to_lowercase() == t.norm)
                && !words.iter().any(|w| all_caps(w))
                && !title_case(doc, doc.tok_sent[i])
            {
                names[k].add(words, i, false);
            }
        }
    }
    for ((p, src), words) in predicted.iter().zip(&sources).zip(&mut source_words) {
        let Some(src) = src else {
            out.push((String::new(), 0.0));
            continue;
        };
        let raw = doc.tokens[src.clone()]
            .iter()
            .map(|t| t.norm.as_str())
            .collect::<Vec<_>>();
        if raw.len() == 1 && word_in(&PERSONAL, raw[0]) {
            // "I" and "we" outside quotation marks are the author's.
            let author = matches!(raw[0], "i" | "we") && !doc.in_quote[src.start];
            let antecedent = match pronoun_gender(raw[0]) {
                // The most recent person, unless known to be of the other gender; then one of
                // the three before that of this gender, or a named one of no known gender
                // (else the pronoun stays unresolved).
                Some(g) => persons
                    .iter()
                    .rev()
                    .take(4)
                    .enumerate()
                    .find(|(j, (_, _, pg, named))| {
                        *pg == g || (*pg == Gender::Unknown && (*j == 0 || *named))
                    })
                    .map(|(_, (_, n, _, _))| n),
                None => [Referent::Person, Referent::Group, Referent::Org]
                    .into_iter()
                    .filter(|&r| !author && pronoun_refers_to(raw[0], r))
                    .filter_map(|r| recent[r as usize].as_ref())
                    .max_by_key(|(at, _)| *at)
                    .map(|(_, n)| n),
            };
            match antecedent {
                Some(n) => out.push((n.clone(), 0.6)),
                None => out.push((text_span(doc, src).text, 0.3)),
            }
            continue;
        }
        let words = words.take().unwrap_or_else(|| speaker_name_words(doc, src));
        let full = words.last().and_then(|last| {
            index.get(&last.to_lowercase()).and_then(|&k| {
                // The mention's own gender ("Mrs.", "the spokeswoman") chooses among namesakes.
                let own = if words.len() == 1 && names[k].people.len() > 1 {
                    gender(doc, src, None, None, &[])
                } else {
                    Gender::Unknown
                };
                names[k].resolve(&words, own)
            })
        });
        let name = match words.last() {
            Some(_) => (full.unwrap_or(&words).join(" "), 0.9),
            None => {
                let core = mention_core(doc, src);
                let core = if core.is_empty() { src.clone() } else { core };
                (text_span(doc, &core).text, 0.7)
            }
        };
        // What "which" and "that" refer to is no person ("the port board, which said …").
        let relative = p.source.as_ref().filter(|o| *o != src);
        let kind = match relative.map(|o| doc.tokens[o.start].norm.as_str()) {
            Some("which" | "that") => Referent::Org,
            _ => referent(doc, src, !words.is_empty()),
        };
        if kind == Referent::Person {
            let first = full.map_or(words.first(), |f| f.first());
            let titled = titled.get_or_insert_with(|| titled_names(doc));
            let g = gender(doc, src, first.map(String::as_str), words.last(), titled);
            persons.push((out.len(), name.0.clone(), g, !words.is_empty()));
        }
        recent[kind as usize] = Some((out.len(), name.0.clone()));
        out.push(name);
    }
    out
}

/// Whether a word is in capitals, three letters or more ("DORROW" of a dateline).
pub(crate) fn all_caps(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !w.chars().any(char::is_lowercase)
}

/// Whether a sentence is a headline in title case: four words or more of four letters or more,
/// none in lowercase ("Internal Harbour Board Records Show …"). Its capitalised words are not
/// all names.
pub(crate) fn title_case(doc: &DocView, si: usize) -> bool {
    let mut long = 0;
    for t in &doc.tokens[doc.sent_toks[si].clone()] {
        let w = &doc.text[t.span.clone()];
        if w.chars().count() >= 4 && w.chars().all(char::is_alphabetic) {
            if w.starts_with(char::is_lowercase) {
                return false;
            }
            long += 1;
        }
    }
    long >= 4
}

/// Words that end an antecedent read backwards, besides the noun phrase's prepositions and a
/// clause's verbs: other prepositions, conjunctions and relative pronouns.
pub(crate) const ANTECEDENT_STOPS: WordList = WordList::new(&[
    "among", "to", "and", "or", "but", "than", "like", "as", "that", "which", "who",
]);

/// The noun phrase a relative-pronoun source refers to: the words before it (and its comma) up
/// to a preposition, a conjunction, a clause verb, a cue, a comma or the sentence start, at most
/// six, stepping over a parenthesis ("by Rep. Ilse Marr (D-Vel.), who" → Rep. Ilse Marr; "64
/// percent who say" → 64 percent). `None` for any other source, or when no word is there
/// ("That is what …").
pub(crate) fn relative_antecedent(
    doc: &DocView,
    src: &Range<usize>,
    predicted: &[Predicted],
) -> Option<Range<usize>> {
    if !relative_pronoun(doc, src) {
        return None;
    }
    let sent = doc.sent_of(src);
    let mut end = src.start;
    if end > sent.start && doc.tokens[end - 1].norm == "," {
        end -= 1;
    }
    if end > sent.start && doc.tokens[end - 1].norm == ")" {
        let open = (sent.start.max(end.saturating_sub(12))..end - 1)
            .rev()
            .find(|&k| doc.tokens[k].norm == "(")?;
        end = open;
    }
    let mut start = end;
    while start > sent.start && end - start < 6 {
        let t = &doc.tokens[start - 1];
        let n = t.norm.as_str();
        let word = doc.text[t.span.clone()].starts_with(char::is_alphanumeric);
        // A past verb in lowercase ends it too ("Velin released | a report that said …").
        let past = n.len() > 4
            && n.ends_with("ed")
            && doc.text[t.span.clone()].starts_with(char::is_lowercase);
        if !(word || matches!(n, "." | "-" | "'s" | "’s"))
            || word_in(&ANTECEDENT_STOPS, n)
            || word_in(&NOUN_PHRASE_PREPOSITIONS, n)
            || word_in(&CLAUSE_VERBS, n)
            || past
            || predicted.iter().any(|p| p.cue.contains(&(start - 1)))
        {
            break;
        }
        start -= 1;
    }
    // Not from a dot or a hyphen left at its start.
    while start < end
        && !doc.text[doc.tokens[start].span.clone()].starts_with(char::is_alphanumeric)
    {
        start += 1;
    }
    // Not a number alone ("an email in 2014 that …"), nor the end of a list or an appositive
    // ("Velin, 59, of Dorrow, Vel., who …", "Velin, 59, of Dorrow, who …").
    let number = (start..end).all(|k| doc.tokens[k].norm.bytes().all(|b| b.is_ascii_digit()));
    let after_comma = start > sent.start
        && (doc.tokens[start - 1].norm == ","
            || (start > sent.start + 1
                && doc.tokens[start - 1].norm == "of"
                && doc.tokens[start - 2].norm == ","));
    // Nor a word's piece after an apostrophe ("Marsk’s who", "It’s a rare pilot who").
    let piece =
        start > sent.start && matches!(&doc.text[doc.tokens[start - 1].span.clone()], "'" | "’");
    (start < end && !number && !after_comma && !piece).then_some(start..end)
}

/// Last words of organisations' names, which keep the words before them ("the Russian Foreign
/// Ministry" is not "Ministry").
pub(crate) const ORG_HEADS: WordList = WordList::new(&[
    "ministry",
    "department",
    "council",
    "committee",
    "office",
    "agency",
    "government",
    "court",
    "party",
    "commission",
    "service",
    "administration",
    "campaign",
    "bureau",
    "institute",
    "foundation",
    "association",
    "union",
    "center",
    "centre",
    "board",
    "army",
    "forces",
    "command",
    "police",
    "embassy",
    "press",
    // Bodies and documents that speak as "it" ("A UN panel, which said …").
    "panel",
    "group",
    "company",
    "firm",
    "network",
    "newspaper",
    "poll",
    "survey",
    "report",
    "study",
]);

/// Heads of names of the form "X of the Y" besides titles and [`ORG_HEADS`] ("The Bank of the
/// West", "The Speaker of the House").
const OF_THE_HEADS: WordList = WordList::new(&[
    "academy",
    "bank",
    "chamber",
    "church",
    "college",
    "federation",
    "friends",
    "league",
    "museum",
    "school",
    "society",
    "speaker",
    "university",
]);

/// Lowercase words inside a person's name ("Pierre de Vos").
const NAME_PARTICLES: WordList = WordList::new(&[
    "al", "bin", "da", "das", "de", "del", "della", "der", "di", "dos", "du", "la", "le", "van",
    "von",
]);

/// The mention itself within a source span: before an appositive or relative clause set off by a
/// comma ("Rendell, a Clinton surrogate," → Rendell) and without a closing parenthetical ("Rep.
/// Jim Jordan (R-Ohio)" → Rep. Jim Jordan).
pub(crate) fn mention_core(doc: &DocView, src: &Range<usize>) -> Range<usize> {
    let mut end = src.end;
    let mut depth = 0usize;
    for i in src.clone() {
        match doc.tokens[i].norm.as_str() {
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            "," if depth == 0 && i > src.start => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    if end > src.start + 1 && doc.tokens[end - 1].norm == ")" {
        if let Some(open) = (src.start + 1..end - 1)
            .rev()
            .find(|&k| doc.tokens[k].norm == "(")
        {
            end = open;
        }
    }
    src.start..end
}

/// Where a mention's head, a common noun, ends before a preposition that continues it: "a
/// spokesman | for Brenna Tal", "the report | of the closure of a bridge over the Brenn",
/// "officials | with the port board". The name after it is not the speaker's.
pub(crate) fn common_head_end(doc: &DocView, core: &Range<usize>) -> Option<usize> {
    (core.start + 1..core.end).find(|&k| {
        let before = &doc.text[doc.tokens[k - 1].span.clone()];
        word_in(&NOUN_PHRASE_PREPOSITIONS, doc.tokens[k].norm.as_str())
            && before.starts_with(char::is_lowercase)
    })
}

/// A source mention's name words ([`name_words`]), none when its head is a common noun before a
/// preposition: "a spokesman for Brenna Tal" is not Brenna Tal.
pub(crate) fn speaker_name_words(doc: &DocView, src: &Range<usize>) -> Vec<String> {
    if common_head_end(doc, &mention_core(doc, src)).is_some() {
        return Vec::new();
    }
    name_words(doc, src, true)
}

/// The capitalized name at the end of a source mention, without leading titles:
/// "Velnian Harbour Council Deputy Communications Coordinator Mira Varga" → Mira Varga;
/// an organisation keeps its whole name ("The Russian Foreign Ministry" → Russian Foreign
/// Ministry).
pub(crate) fn name_words(doc: &DocView, src: &Range<usize>, mention: bool) -> Vec<String> {
    let src = &mention_core(doc, src);
    let org = src.end > src.start && word_in(&ORG_HEADS, doc.tokens[src.end - 1].norm.as_str());
    let max = if org { 5 } else { 3 };
    let mut words: Vec<String> = Vec::new();
    // The dot or hyphen right after the word being read, and where it starts: written with the
    // word when it touches it ("Edwin G. Monroy"), a hyphen only between two words
    // ("Doris Crouse-Mays").
    let mut glue: Option<(&str, usize)> = None;
    // Where the words read start (the last token read).
    let mut first = src.end;
    let capital = |i: usize| doc.text[doc.tokens[i].span.clone()].starts_with(char::is_uppercase);
    let mut i = src.end;
    while i > src.start {
        i -= 1;
        let t = &doc.tokens[i];
        let orig = &doc.text[t.span.clone()];
        if t.is_punct() {
            let joins_next = || {
                !words.is_empty()
                    && doc
                        .tokens
                        .get(i + 1)
                        .is_some_and(|n| n.span.start == t.span.end)
            };
            glue = match orig {
                "." => Some((orig, t.span.start)),
                "-" if joins_next() => Some((orig, t.span.start)),
                "-" => None,
                _ => break,
            };
            continue;
        }
        // A preposition in capitals inside the mention: a phrase in title case ("Storm Over
        // Budget", a headline's), not a name, so no name words (the canonical name is the whole
        // mention).
        if mention
            && !words.is_empty()
            && capital(i)
            && (word_in(&NOUN_PHRASE_PREPOSITIONS, t.norm.as_str()) || t.norm == "and")
        {
            return Vec::new();
        }
        // "Skarn Harbour Board of Trade": an organisation's name, whole.
        if mention
            && !words.is_empty()
            && t.norm == "of"
            && i > src.start
            && capital(i - 1)
            && word_in(&ORG_HEADS, doc.tokens[i - 1].norm.as_str())
        {
            return Vec::new();
        }
        // "Ivo Marsk of Skarn", "Sen. Ilse Marr from Dorrow", "Ivo T. Marsk of the Harbour
        // Board", "Mr. Marsk of the Gazette": a person's name before the place or organisation
        // (two or three capitalised words, or one after a title, after the mention's start, a
        // title or a lowercase word that is not an article: not "the Harbour Society of
        // Engineers").
        let of_at = match t.norm.as_str() {
            "of" | "from" => Some(i),
            "the" if !capital(i) && i > src.start => {
                matches!(doc.tokens[i - 1].norm.as_str(), "of" | "from").then(|| i - 1)
            }
            _ => None,
        };
        if let (true, false, Some(of)) = (mention, words.is_empty(), of_at) {
            // An initial ("T" of "Ivo T. Marsk") is a name word though it ends no source.
            let initial = |k: usize| {
                let w = &doc.text[doc.tokens[k].span.clone()];
                w.chars().count() == 1
                    && w.starts_with(|c: char| c.is_uppercase())
                    && doc.tokens.get(k + 1).is_some_and(|n| n.norm == ".")
            };
            let name_word = |k: usize| {
                capital(k)
                    && !doc.tokens[k].is_punct()
                    && !word_in(&TITLES, doc.tokens[k].norm.as_str())
                    && (initial(k) || crate::attribution::plausible_source(doc, &(k..k + 1)))
            };
            let mut k = of;
            let mut n = 0;
            while k > src.start && (name_word(k - 1) || doc.tokens[k - 1].norm == ".") {
                k -= 1;
                n += usize::from(!doc.tokens[k].is_punct());
            }
            let titled = k > src.start && word_in(&TITLES, doc.tokens[k - 1].norm.as_str());
            let opens = k == src.start
                || titled
                || (!capital(k - 1)
                    && !doc.tokens[k - 1].is_punct()
                    && !matches!(doc.tokens[k - 1].norm.as_str(), "the" | "a" | "an"));
            if ((2..=3).contains(&n) || (n == 1 && titled)) && opens {
                words.clear();
                glue = None;
                first = of;
                i = of;
                continue;
            }
        }
        // A particle inside a name ("Pierre de Vos", "Ludwig van Dorrow").
        if mention
            && !words.is_empty()
            && i > src.start
            && capital(i - 1)
            && word_in(&NAME_PARTICLES, t.norm.as_str())
            && !capital(i)
        {
            first = i;
            words.push(orig.to_owned());
            continue;
        }
        if !capital(i)
            || (!org && word_in(&TITLES, t.norm.as_str()))
            || !(orig.chars().count() == 1
                || crate::attribution::plausible_source(doc, &(i..i + 1)))
        {
            break;
        }
        first = i;
        match glue.take().filter(|&(_, at)| at == t.span.end) {
            Some(("-", _)) => {
                if let Some(w) = words.last_mut() {
                    *w = format!("{orig}-{w}");
                }
                continue;
            }
            Some((".", _)) if orig.chars().count() == 1 => words.push(format!("{orig}.")),
            _ => words.push(orig.to_owned()),
        }
        if words.len() == max {
            break;
        }
    }
    words.reverse();
    // A party before a person's name: "Republican Donald Trump", "Democrat Ilse Marr" (two name
    // words after it, none of an institution's: not "Democratic National Convention").
    if !org
        && words.len() == 3
        && matches!(
            words[0].to_lowercase().as_str(),
            "republican" | "democrat" | "democratic" | "gop"
        )
        && !words[1..].iter().any(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "national"
                    | "convention"
                    | "congress"
                    | "caucus"
                    | "leadership"
                    | "conference"
                    | "senate"
                    | "house"
                    | "establishment"
                    | "primary"
                    | "debate"
            )
        })
    {
        words.remove(0);
    }
    // After "of", the words are a title's or an organisation's: "Secretary of State | John
    // Kerry" (the name is what follows the title's last word), "Bank of | Skarn", "Department
    // of the | Treasury", "Ministry of Foreign | Affairs" (no name alone: the whole mention).
    // (Read past the start of a window of the text, which may cut the title.)
    let low = if mention { src.start } else { 0 };
    // Before the words: capitalised title words ("Foreign"), then "the", after a title's or an
    // organisation's head ("Two of the Republicans", "Ivo Marsk of the Harbour Board" are not
    // such names).
    let mut k = first;
    while k > low + 1 && capital(k - 1) && word_in(&TITLES, doc.tokens[k - 1].norm.as_str()) {
        k -= 1;
    }
    // A name of two words or more after title words is a person's ("Minister of Foreign
    // Affairs | Ivo Marsk").
    if k != first && words.len() >= 2 {
        k = first;
    }
    if k > low + 2 && doc.tokens[k - 1].norm == "the" && !capital(k - 1) {
        k -= 1;
    }
    if k != first && k > low + 1 {
        let head = doc.tokens[k - 2].norm.as_str();
        if !(word_in(&TITLES, head) || word_in(&ORG_HEADS, head) || word_in(&OF_THE_HEADS, head)) {
            k = first;
        }
    }
    if !org && k > low + 1 && doc.tokens[k - 1].norm == "of" && !capital(k - 1) && capital(k - 2) {
        if words.len() >= 3 {
            words.remove(0);
        } else {
            words.clear();
        }
    }
    words
}
