//! The brat standoff parser on any `.ann` text and article text (the input is split at its first
//! NUL byte: annotation, then article): never panics; every span of every attribution is inside
//! the article; errors name the file. The text and annotation are also loaded from files, as
//! PolNeAR articles are.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let (ann, txt) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let ann_s = whosaid_fuzz::text(ann);
    let text = whosaid::attribution_data::universal_newlines(&whosaid_fuzz::text(txt));
    let path = Path::new("fuzz/a_1.ann");
    match whosaid::attribution_data::parse_ann(&ann_s, &text, path) {
        Ok(parsed) => {
            whosaid_fuzz::check_attributions(&text, &parsed.attributions);
            if let Some(s) = &parsed.scorer_attributions {
                whosaid_fuzz::check_attributions(&text, s);
            }
        }
        Err(e) => whosaid_fuzz::check_error_names(&e, path),
    }
    // From files (UTF-8 checks, newline normalization), as the PolNeAR loader reads them.
    let t = whosaid_fuzz::scratch_file("a.txt", txt);
    let a = whosaid_fuzz::scratch_file("a_1.ann", ann);
    match whosaid::attribution_data::load_article("a", &t, &a) {
        Ok(article) => whosaid_fuzz::check_attributions(&article.text, &article.attributions),
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.contains("a.txt") || msg.contains("a_1.ann"), "{msg}");
        }
    }
});
