//! `whosaid classify --format html`: one self-contained page, checked for structure on the real
//! binary (no browser needed).

use crate::util::*;

/// Text of an HTML fragment: tags dropped, the entities we write decoded.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#10;", "\n")
        .replace("&amp;", "&")
}

/// The text shown for sentence `i` of document `doc` (1-based), checking that its row is there
/// exactly once.
fn sentence_text(html: &str, doc: usize, i: usize) -> String {
    let id = format!("id=\"doc-{doc}-s{i}\"");
    assert_eq!(html.matches(&id).count(), 1, "row {id}");
    let row = &html[html.find(&id).unwrap()..];
    let row = &row[..row.find("</div></div>\n").unwrap()];
    assert_eq!(row.matches("<p class=\"tx\">").count(), 1, "{row}");
    let a = row.find("<p class=\"tx\">").unwrap() + "<p class=\"tx\">".len();
    let b = row.find("</p>").unwrap();
    text_of(&row[a..b])
}

/// The page is one file that loads nothing and its main elements are balanced.
fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for bad in [
        "<script", "<link", "<img", "<iframe", " src=", "url(", "@import",
    ] {
        assert!(!html.contains(bad), "the page contains {bad:?}");
    }
    for (i, _) in html.match_indices("href=\"") {
        let target = &html[i + 6..];
        assert!(target.starts_with('#'), "external link: {}", &target[..40]);
    }
    for tag in ["section", "table", "div", "svg", "p", "ul"] {
        let open =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let close = html.matches(&format!("</{tag}>")).count();
        assert_eq!(open, close, "<{tag}> opened {open} times, closed {close}");
    }
}

#[test]
fn html_report_of_one_article_shows_every_sentence_once() {
    // A web capture as scraped, read from the shared example articles.
    let Some(data) = data_dir() else { return };
    let path = data.join("articles/000_09ce0620e875013f.txt");
    let path = path.to_str().expect("UTF-8 path");
    let o = run(&["classify", "--format", "html", "--explain", path], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = stdout(&o);
    assert_self_contained(&html);
    assert_eq!(html.matches("<section class=\"doc\"").count(), 1);
    assert!(html.contains("<section class=\"doc\" id=\"doc-1\">"));
    assert!(
        !html.contains("class=\"corpus\""),
        "no corpus summary for one document"
    );
    assert!(
        html.contains("<wbr>000_09ce0620e875013f.txt</h2>"),
        "the article's path heads it"
    );
    assert!(html.contains("<table class=\"speakers\">"));
    assert!(html.contains("<h3>How to read this report</h3>"));

    let sentences = json_lines(&run(&["classify", "--format", "jsonl", path], b""));
    assert!(!sentences.is_empty());
    assert_eq!(
        html.matches("<p class=\"tx\">").count(),
        sentences.len(),
        "one text per sentence"
    );
    let mut furniture = 0;
    for s in &sentences {
        let i = s["sentence"].as_u64().unwrap() as usize;
        assert_eq!(sentence_text(&html, 1, i), s["text"].as_str().unwrap());
        if s["furniture"] == true {
            furniture += 1;
        }
        if let Some(sp) = s["speaker"].as_object() {
            let row = &html[html.find(&format!("id=\"doc-1-s{i}\"")).unwrap()..];
            let name = sp["canonical"].as_str().unwrap();
            assert!(row.starts_with(&format!("id=\"doc-1-s{i}\" style=\"--c:#")));
            assert!(
                row.contains("class=\"who\""),
                "speaker chip of sentence {i}"
            );
            assert!(text_of(&row[..row.find("</p>").unwrap()]).contains(name));
        }
    }
    assert!(furniture > 0, "the example has page furniture");
    assert_eq!(html.matches(" fur\" id=\"doc-1-s").count(), furniture);
    assert!(html.contains(&format!("{furniture} page furniture</p>")));
    // Stance badges: two targets per non-furniture sentence, with the "why" on hover.
    assert_eq!(
        html.matches("<span class=\"b ").count(),
        2 * (sentences.len() - furniture) + 3, // + the legend's three
    );
    assert!(html.contains("Why (features that weighed most"));
}

#[test]
fn html_report_of_several_documents_has_a_corpus_summary_and_errors() {
    let input = concat!(
        "{\"id\": \"a<&>'\\\"\", \"text\": \"John Kirby said the Velnian council does not back the strikes. Russia condemned <b>the attack</b> 🇺🇦 🙂.\"}\n",
        "not json\n",
        "{\"id\": \"c\", \"text\": \"Zelensky said Ukraine will win. \\\"We are strong,\\\" he added.\"}\n",
    );
    let o = run(
        &["classify", "--jsonl", "--format", "html", "-"],
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let html = stdout(&o);
    assert_self_contained(&html);
    assert!(html.contains("<section class=\"corpus\" id=\"corpus\">"));
    assert!(
        html.find("class=\"corpus\"").unwrap() < html.find("class=\"doc\"").unwrap(),
        "the corpus summary comes first"
    );
    assert_eq!(html.matches("<section class=\"doc\"").count(), 3);
    for n in 1..=3 {
        assert!(html.contains(&format!("<section class=\"doc\" id=\"doc-{n}\">")));
        assert!(html.contains(&format!("<a href=\"#doc-{n}\">")));
    }
    assert!(html.contains("<b>3</b><span>documents</span>"));
    assert!(html.contains("<b>1</b><span>errors</span>"));
    assert!(html.contains("error: stdin line 2: invalid JSON"));
    assert!(html.contains("<h2>a&lt;&amp;&gt;&#39;&quot;</h2>"));
    assert!(!html.contains("<b>the attack</b>"));
    assert!(html.contains("&lt;b&gt;the attack&lt;/b&gt;"));
    assert!(html.contains("<h3>Speakers across documents</h3>"));
    assert!(html.contains("<h3>Stance per target</h3>"));
    let sentences = json_lines(&run(
        &["classify", "--jsonl", "--format", "jsonl", "-"],
        input.as_bytes(),
    ));
    let mut n = 0;
    for s in sentences.iter().filter(|s| s.get("text").is_some()) {
        let doc = if s["doc"] == "c" { 3 } else { 1 };
        let i = s["sentence"].as_u64().unwrap() as usize;
        assert_eq!(sentence_text(&html, doc, i), s["text"].as_str().unwrap());
        n += 1;
    }
    assert_eq!(html.matches("<p class=\"tx\">").count(), n);
    assert!(html.contains(">Volodymyr Zelensky<") || html.contains(">Zelensky<"));
}

#[test]
fn html_report_of_the_example_articles() {
    let Some(d) = data_dir() else { return };
    let dir = d.join("articles");
    let o = run(
        &["classify", "--format", "html", dir.to_str().unwrap()],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = stdout(&o);
    assert_self_contained(&html);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(html.matches("<section class=\"doc\"").count(), files.len());
    assert!(html.contains("class=\"corpus\""));
    for (k, path) in files.iter().enumerate() {
        let sentences = json_lines(&run(
            &["classify", "--format", "jsonl", path.to_str().unwrap()],
            b"",
        ));
        for s in &sentences {
            let i = s["sentence"].as_u64().unwrap() as usize;
            assert_eq!(sentence_text(&html, k + 1, i), s["text"].as_str().unwrap());
        }
    }
}
