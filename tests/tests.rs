//! Integration tests: they run the real `whosaid` binary.

mod util;

mod cli;
mod golden;
