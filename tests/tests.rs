//! Integration tests: they run the real `whosaid` binary.

mod util;

mod classify;
mod cli;
mod fast_paths;
mod golden;
