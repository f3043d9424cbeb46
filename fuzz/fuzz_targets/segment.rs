//! The sentence splitter on any text: spans on char boundaries, inside the text, in order,
//! covering every non-whitespace character once (both with and without joining across blank
//! lines).
#![no_main]
use libfuzzer_sys::fuzz_target;
use whosaid::segment::SentenceSplitter;

fuzz_target!(|data: &[u8]| {
    let text = whosaid_fuzz::text(data);
    for join in [false, true] {
        let sents = SentenceSplitter::new()
            .join_across_blank_lines(join)
            .split(&text);
        whosaid_fuzz::check_sentences(&text, &sents);
    }
});
