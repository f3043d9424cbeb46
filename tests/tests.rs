//! Integration tests: they run the real `whosaid` binary.

mod util;

mod bad_input;
mod bad_models;
mod bad_stance_input;
mod bad_training;
mod classify;
mod cli;
mod corpus_text;
mod fast_paths;
mod golden;
mod huge_input;
mod patterns;
mod report;
mod streaming;
