//! The library's error type.
//!
//! Every variant names where the problem is (file, line, byte offset or field) and the value that
//! was wrong, so that a message read on its own is enough to fix the input.

use std::path::PathBuf;

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in whosaid.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Bytes that are not valid in the expected text encoding.
    #[error("{} line {line}: invalid {encoding} at byte {offset}{hint}", path.display())]
    Decode {
        /// The file (or `-` for standard input).
        path: PathBuf,
        /// 1-based line number of the bad bytes.
        line: usize,
        /// 0-based byte offset of the first bad byte in the file.
        offset: usize,
        /// The encoding that was expected, e.g. `UTF-8`.
        encoding: String,
        /// An extra hint, e.g. `; pass --encoding gb18030 if the file is GB18030`.
        hint: String,
    },
    /// An encoding label that `encoding_rs` does not know.
    #[error("unknown text encoding {0:?} (use a WHATWG label such as utf-8, gb18030, windows-1252, latin1)")]
    UnknownEncoding(String),
    /// A record that could not be parsed or has a bad value.
    #[error("{} line {line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line (or record) number.
        line: usize,
        /// What was wrong, naming the field and the value.
        message: String,
    },
    /// A model file that is not a valid model.
    #[error("{}: {message}", path.display())]
    Model {
        /// The model file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// A model written by an incompatible version of the format.
    #[error("{}: model format version {found} is not supported; this whosaid reads {}", path.display(), versions_read(*oldest, *expected))]
    ModelVersion {
        /// The model file.
        path: PathBuf,
        /// The version found in the file.
        found: u32,
        /// The oldest version this build reads.
        oldest: u32,
        /// The version this build writes (the newest it reads).
        expected: u32,
    },
    /// A training or feature parameter out of range.
    #[error("invalid parameter {name} = {value}: {reason}")]
    InvalidParam {
        /// The parameter's name as written in the recipe.
        name: &'static str,
        /// The value given.
        value: String,
        /// Why it is invalid.
        reason: &'static str,
    },
    /// A recipe that cannot be used.
    #[error("{}: {message}", path.display())]
    Recipe {
        /// The recipe file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// Training failed.
    #[error("training failed: {0}")]
    Train(String),
    /// A bad input value (a record, an argument) with no file position.
    #[error("{0}")]
    Input(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A parse error at `path` line `line`.
    pub fn parse(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Error::Parse {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

/// "version 2" or "versions 1 to 2", for [`Error::ModelVersion`].
fn versions_read(oldest: u32, newest: u32) -> String {
    if oldest == newest {
        format!("version {newest}")
    } else {
        format!("versions {oldest} to {newest}")
    }
}
