//! The stance recipe parser (TOML) on any text: never panics; an error names the file; an
//! accepted recipe passes its own checks.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = whosaid_fuzz::text(data);
    let path = Path::new("fuzz-recipe.toml");
    match whosaid::recipe::StanceRecipe::from_toml(&text, path) {
        Ok(r) => r.check().expect("an accepted recipe passes check()"),
        Err(e) => whosaid_fuzz::check_error_names(&e, path),
    }
});
