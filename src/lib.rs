//! whosaid: who said it, and what stance it takes.
//!
//! # Brief overview
//!
//! - [`tokenize::Tokenizer`]: a Hugging Face `tokenizers` normalizer and pre-tokenizer with byte
//!   offsets into the original text.
//! - [`features::Featurizer`]: sparse hashed features (word and character n-grams, negation
//!   scope, cues, target context), conjoined with the target.
//! - [`model::LinearModel`]: our own multinomial logistic regression format; inference is a
//!   sparse dot product.
//! - [`stance::StanceModel`]: favor / against / none toward a target, with probabilities.
//! - [`segment::SentenceSplitter`]: news sentence segmentation with byte and character spans.
//! - [`attribution::AttributionModel`]: cue, source and content detection (PolNeAR-trained).
//! - [`Pipeline`]: one call from article text to a [`Document`]: per sentence, the speaker
//!   (with a canonical name), cue, quote kind and content, and stance toward each [`Target`].
//! - [`report::HtmlReport`]: a self-contained HTML report of classified documents.
//! - [`data`]: loaders for RUW, NewsMTSC and a generic CSV/JSONL format; [`eval`]: metrics;
//!   [`attribution_data`] and [`attribution_eval`]: PolNeAR and the reference scorer's metrics.
//! - `train` and `train_attribution` (feature `train`): train the models from a [`recipe`];
//!   `fit`: the logistic fit, linfa-logistic's or the same objective on sparse rows.
//!
//! # Example: a whole article
//!
//! ```
//! use whosaid::{Pipeline, Target};
//!
//! // The default models are compiled into the library.
//! let pipeline = Pipeline::embedded()?;
//! let text = "Kremlin spokesman Dmitry Peskov said Russia would respond. \
//!             The talks in Geneva ended on Friday.";
//! let targets = [Target::new("Russia"), Target::new("NATO").with_aliases(["the alliance"])];
//! let doc = pipeline.classify_with_targets(text, &targets);
//! assert_eq!(doc.sentences.len(), 2);
//! let first = &doc.sentences[0];
//! // spans are character offsets into the original text
//! let chars: Vec<char> = text.chars().collect();
//! assert_eq!(chars[first.start..first.end].iter().collect::<String>(), first.text);
//! if let Some(speaker) = &first.speaker {
//!     println!("{} ({}) said it", speaker.canonical, speaker.text);
//! }
//! for s in &first.stance {
//!     println!("{}: {} {:?}", s.target, s.label, s.probs);
//! }
//! // the second sentence is in the author's own voice
//! assert!(doc.sentences[1].speaker.is_none());
//! # Ok::<(), whosaid::Error>(())
//! ```
//!
//! # Example: one sentence's stance
//!
//! ```
//! use whosaid::{Stance, StanceModel};
//!
//! // The default model is compiled into the library.
//! let model = StanceModel::embedded()?;
//! let text = "Critics accused the senator of lying about the budget.";
//! // The target's span (character offsets) is optional; without it, mentions are searched.
//! let p = model.predict(text, "the senator", Some(20..31), 2)?;
//! assert_eq!(p.label, Stance::Against);
//! assert!((p.probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
//! println!("{} {:?} because of {:?}", p.label, p.probs, p.why);
//! # Ok::<(), whosaid::Error>(())
//! ```
#![deny(missing_docs)]

pub mod attribution;
pub mod attribution_data;
pub mod attribution_eval;
pub mod data;
pub mod error;
pub mod eval;
pub mod features;
#[cfg(feature = "train")]
pub mod fit;
pub mod label;
pub mod model;
pub mod pipeline;
pub mod recipe;
pub mod report;
pub mod segment;
pub mod stance;
pub mod stream;
pub mod tokenize;
#[cfg(feature = "train")]
pub mod train;
#[cfg(feature = "train")]
pub mod train_attribution;

pub use error::{Error, Result};
pub use features::TargetSpec as Target;
pub use label::Stance;
pub use pipeline::{Document, Pipeline, StanceScope};
pub use stance::{StanceModel, StancePrediction};

/// The shipped default stance model's bytes (`models/default/stance.json`), embedded at compile
/// time; `None` in a build made before a default model was trained.
#[cfg(whosaid_default_model)]
pub const DEFAULT_STANCE_MODEL: Option<&[u8]> =
    Some(include_bytes!("../models/default/stance.json"));
/// The shipped default stance model's bytes; `None`: this build has no default model.
#[cfg(not(whosaid_default_model))]
pub const DEFAULT_STANCE_MODEL: Option<&[u8]> = None;

/// The shipped default attribution model's bytes (`models/default/attribution.json`).
#[cfg(whosaid_default_attribution)]
pub const DEFAULT_ATTRIBUTION_MODEL: Option<&[u8]> =
    Some(include_bytes!("../models/default/attribution.json"));
/// The shipped default attribution model's bytes; `None`: this build has no default model.
#[cfg(not(whosaid_default_attribution))]
pub const DEFAULT_ATTRIBUTION_MODEL: Option<&[u8]> = None;

impl attribution::AttributionModel {
    /// The default attribution model embedded in this build.
    pub fn embedded() -> Result<Self> {
        let bytes = DEFAULT_ATTRIBUTION_MODEL.ok_or_else(|| {
            Error::Input(
                "this whosaid was built without a default attribution model; pass --model PATH"
                    .into(),
            )
        })?;
        Self::from_bytes(
            bytes,
            std::path::Path::new("<embedded models/default/attribution.json>"),
        )
    }
}

impl StanceModel {
    /// The default stance model embedded in this build.
    pub fn embedded() -> Result<StanceModel> {
        let bytes = DEFAULT_STANCE_MODEL.ok_or_else(|| {
            Error::Input("this whosaid was built without a default model; pass --model PATH".into())
        })?;
        StanceModel::from_bytes(
            bytes,
            std::path::Path::new("<embedded models/default/stance.json>"),
        )
    }
}
