//! The tokenizer on any text: token spans on char boundaries, inside the text, in order, free of
//! whitespace; the fast path gives the same tokens as the `tokenizers` pipeline; the char index
//! converts both ways.
#![no_main]
use libfuzzer_sys::fuzz_target;
use whosaid::tokenize::{CharIndex, Tokenizer};

fuzz_target!(|data: &[u8]| {
    let text = whosaid_fuzz::text(data);
    let tok = Tokenizer::default();
    let tokens = tok.tokenize(&text);
    whosaid_fuzz::check_tokens(&text, &tokens);
    assert_eq!(
        tokens,
        tok.tokenize_reference(&text),
        "fast path differs on {text:?}"
    );
    let mut reused = vec![whosaid::tokenize::Token {
        norm: "x".into(),
        span: 0..1,
    }];
    tok.tokenize_into(&text, &mut reused);
    assert_eq!(tokens, reused, "tokenize_into differs on {text:?}");
    let ix = CharIndex::new(&text);
    assert_eq!(ix.char_len(), text.chars().count());
    for t in &tokens {
        let (a, b) = (ix.char(t.span.start), ix.char(t.span.end));
        assert_eq!(ix.byte(a), Some(t.span.start));
        assert_eq!(ix.byte(b), Some(t.span.end));
    }
    assert_eq!(ix.byte(ix.char_len()), Some(text.len()));
    assert_eq!(ix.byte(ix.char_len() + 1), None);
});
