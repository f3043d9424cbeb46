//! No training-corpus text in the repository: the corpora stay in the shared data directory.
//!
//! Every tracked file is checked for 40-character stretches (starting at a word, at least 28
//! letters) that also occur in a file of the data directory (PolNeAR, RUW, NewsMTSC and the
//! example articles; not its README). Test sentences and doc examples are made up instead, and
//! tests that need the articles read them from the data directory (the golden files keep
//! offsets, not text).

use crate::util::{data_dir, repo};
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::path::Path;
use std::process::Command;

/// The stretch length, in characters, and how many of them must be letters.
const WINDOW: usize = 40;
const LETTERS: usize = 28;

/// Data text the repository may hold: RUW's CSV header, which the loader and its docs name, and
/// a comment form's stock line, which the page-furniture test names.
const ALLOWED: &[&str] = &[
    "Tweet,Target 1,Stance 1,Target 2,Stance 2",
    "Your email address will not be published.",
];

/// The start of every `WINDOW`-character stretch of `text` that begins a word and has enough
/// letters, with its end (byte offsets).
fn windows(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    for (k, &(start, _)) in chars.iter().enumerate() {
        if k + WINDOW > chars.len() {
            break;
        }
        if k > 0 && chars[k - 1].1.is_alphanumeric() {
            continue;
        }
        let w = &chars[k..k + WINDOW];
        if w.iter().filter(|(_, c)| c.is_alphabetic()).count() < LETTERS {
            continue;
        }
        let end = chars.get(k + WINDOW).map_or(text.len(), |&(i, _)| i);
        out.push((start, end));
    }
    out
}

/// A corpus file's text: UTF-8, or GB18030 (RUW). Of a brat annotation file, only the text of
/// its spans (its other lines are the format's structure, which the loader's docs show).
fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => encoding_rs::GB18030.decode(e.as_bytes()).0.into_owned(),
    };
    if path.extension().is_some_and(|e| e == "ann") {
        let spans = text.lines().filter(|l| l.starts_with('T'));
        return spans
            .filter_map(|l| l.splitn(3, '\t').nth(2))
            .collect::<Vec<_>>()
            .join("\n");
    }
    text
}

fn corpus_files(dir: &Path, top: bool, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if top && name == "README.md" {
            continue;
        }
        if path.is_dir() {
            corpus_files(&path, false, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_windows_start_at_words_and_count_letters() {
    let text = "“Ünïcode” ".to_string() + &"word ".repeat(10);
    let w = windows(&text);
    assert!(!w.is_empty());
    for &(a, b) in &w {
        assert_eq!(text[a..b].chars().count(), WINDOW);
        assert!(a == 0 || !text[..a].ends_with(char::is_alphanumeric));
    }
    // Numbers and punctuation are not letters.
    assert!(windows(&"1234567890 ".repeat(6)).is_empty());
}

#[test]
fn no_tracked_file_holds_corpus_text() {
    let Some(data) = data_dir() else { return };
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(repo())
        .output();
    let listed = match listed {
        Ok(o) if o.status.success() => o.stdout,
        _ => {
            eprintln!(
                "skipped: `git ls-files` did not run in {}",
                repo().display()
            );
            return;
        }
    };

    let hasher = RandomState::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut files = Vec::new();
    corpus_files(&data, true, &mut files);
    assert!(
        !files.is_empty(),
        "no corpus files under {}",
        data.display()
    );
    for f in &files {
        let text = read_text(f);
        for (a, b) in windows(&text) {
            seen.insert(hasher.hash_one(&text[a..b]));
        }
    }

    let mut found = Vec::new();
    for name in listed.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let Ok(text) = std::fs::read_to_string(repo().join(&name)) else {
            continue; // binary or not checked out
        };
        for (n, line) in text.lines().enumerate() {
            let mut line = line.to_string();
            for allowed in ALLOWED {
                line = line.replace(allowed, &" ".repeat(allowed.len()));
            }
            if let Some(&(a, b)) = windows(&line)
                .iter()
                .find(|&&(a, b)| seen.contains(&hasher.hash_one(&line[a..b])))
            {
                found.push(format!("{name}:{}: {:?}", n + 1, &line[a..b]));
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} lines quote the corpora in {} (write made-up examples instead):\n{}",
        found.len(),
        data.display(),
        found.join("\n")
    );
}
