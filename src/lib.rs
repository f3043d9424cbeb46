//! whosaid: who said it, and what stance it takes.
#![deny(missing_docs)]

pub mod error;
pub mod label;

pub use error::{Error, Result};
pub use label::Stance;
