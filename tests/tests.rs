//! Integration tests: they run the real `whosaid` binary.

mod util;

mod bad_input;
mod classify;
mod cli;
mod fast_paths;
mod golden;
mod report;
mod streaming;
