//! The `load_newsmtsc` loader on any bytes (`newsmtsc.jsonl`; the first byte picks UTF-8, GB18030 or
//! windows-1252): never panics; records have unique ids and spans inside their text; errors
//! name the file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (encoding, bytes) = whosaid_fuzz::split_encoding(data);
    let path = whosaid_fuzz::scratch_file("newsmtsc.jsonl", bytes);
    match whosaid::data::load_newsmtsc(&path, encoding) {
        Ok(examples) => whosaid_fuzz::check_examples(&examples),
        Err(e) => whosaid_fuzz::check_error_names(&e, &path),
    }
});
