//! Page furniture of web captures: menus, share buttons, comment forms, "See also" links.

/// How page furniture starts (compared in lowercase).
pub(crate) const FURNITURE_STARTS: &[&str] = &[
    "see also",
    "read more",
    "related",
    "share",
    "comments",
    "leave a comment",
    "subscribe",
    "sign up",
    "follow us",
    "advertisement",
    "click here",
    "tags:",
    "posted in",
    "copyright",
    "©",
    "all rights reserved",
    "log in",
    "login",
    "menu",
    "home",
    "watch:",
    "also read",
    "leave a reply",
    "your email address will",
    "required fields are",
    "notify me of",
    "you may also like",
    "filed under",
    "previous post",
    "next post",
    "similar posts",
];

/// Whether lowercase `lower` starts with the furniture start `p` as whole words ("home" starts
/// "Home | News" but not "Homeland Security said …", "share" not "Shares fell"): the
/// reference for `starts_with_words_lowercased`.
#[cfg(test)]
pub(crate) fn starts_with_words(lower: &str, p: &str) -> bool {
    lower.starts_with(p)
        && (!p.ends_with(|c: char| c.is_alphanumeric())
            || !lower[p.len()..].starts_with(|c: char| c.is_alphanumeric()))
}

/// Whether the lowercase of `t` starts with the furniture start `p` (lowercase) as whole words
/// ("home" starts "Home | News" but not "Homeland Security said …", "share" not "Shares
/// fell"), lowercasing only the chars it reads.
pub(crate) fn starts_with_words_lowercased(t: &str, p: &str) -> bool {
    let mut lower = t.chars().flat_map(char::to_lowercase);
    p.chars().all(|c| lower.next() == Some(c))
        && (!p.ends_with(|c: char| c.is_alphanumeric())
            || !lower.next().is_some_and(char::is_alphanumeric))
}

/// Page furniture: short lines without sentence punctuation that read like navigation, link
/// lists, share buttons, timestamps or comment forms.
pub fn is_furniture(s: &str) -> bool {
    let t = s.trim();
    if !t.is_ascii() {
        return is_furniture_any(t);
    }
    // ASCII text: lowercasing is ASCII lowercasing, so compare in place (the same decisions as
    // `is_furniture_unicode`, which a test checks).
    let b = t.as_bytes();
    let starts = |p: &str| {
        b.len() >= p.len()
            && b[..p.len()].eq_ignore_ascii_case(p.as_bytes())
            && (!p.as_bytes()[p.len() - 1].is_ascii_alphanumeric()
                || !b.get(p.len()).is_some_and(u8::is_ascii_alphanumeric))
    };
    // Most sentences start with a letter no furniture start has.
    let first = b.first().map(u8::to_ascii_lowercase);
    if FURNITURE_STARTS
        .iter()
        .any(|p| Some(p.as_bytes()[0]) == first && starts(p))
    {
        return true;
    }
    // `split_whitespace` on ASCII: tab, newline, vertical tab, form feed, return, space. Only
    // "at most 3, 6 or 8 words" matters.
    let words = b
        .split(|c| matches!(c, 0x09..=0x0D | b' '))
        .filter(|w| !w.is_empty())
        .take(9)
        .count();
    let ends_sentence = matches!(b.last(), Some(b'.' | b'!' | b'?' | b'"' | b'\'' | b':'));
    let has_digit_time = (words <= 8 && b.windows(4).any(|w| w.eq_ignore_ascii_case(b" ago")))
        || (words <= 6
            && b.contains(&b':')
            && b.iter().filter(|c| c.is_ascii_digit()).count() >= 3);
    (words <= 3 && !ends_sentence) || has_digit_time
}

/// [`is_furniture`] on trimmed text of any script, lowercasing only the chars the decision
/// reads, one at a time (their lowercase starts the lowercase of the whole, up to the form of a
/// final sigma, which no furniture start has), with no allocation. The same decisions as
/// `is_furniture_unicode`, which a test checks.
pub(crate) fn is_furniture_any(t: &str) -> bool {
    // The starts are ASCII lowercase: a text's lowercase chars, compared as they come.
    let first = t.chars().flat_map(char::to_lowercase).next();
    if FURNITURE_STARTS
        .iter()
        .any(|p| p.chars().next() == first && starts_with_words_lowercased(t, p))
    {
        return true;
    }
    // Only "at most 3, 6 or 8 words" matters.
    let words = t.split_whitespace().take(9).count();
    let ends_sentence = t.ends_with(['.', '!', '?', '"', '\'', '”', '’', ':']);
    // No char lowercases to a colon or from one, and none but ASCII letters lowercases to "a",
    // "g", "o" or a space: " ago" in the lowercase text is " ago" in any ASCII case.
    let ago = || {
        t.as_bytes()
            .windows(4)
            .any(|w| w.eq_ignore_ascii_case(b" ago"))
    };
    let has_digit_time = (words <= 8 && ago())
        || (words <= 6 && t.contains(':') && t.chars().filter(|c| c.is_ascii_digit()).count() >= 3);
    (words <= 3 && !ends_sentence) || has_digit_time
}

/// [`is_furniture`] on trimmed text of any script: the reference.
#[cfg(test)]
pub(crate) fn is_furniture_unicode(t: &str) -> bool {
    let lower = t.to_lowercase();
    if FURNITURE_STARTS
        .iter()
        .any(|p| starts_with_words(&lower, p))
    {
        return true;
    }
    let words = t.split_whitespace().count();
    let ends_sentence = t.ends_with(['.', '!', '?', '"', '\'', '”', '’', ':']);
    let has_digit_time = (lower.contains(" ago") && words <= 8)
        || (lower.contains(':')
            && t.chars().filter(|c| c.is_ascii_digit()).count() >= 3
            && words <= 6);
    (words <= 3 && !ends_sentence) || has_digit_time
}
