//! Stance labels.

use serde::{Deserialize, Serialize};

/// The stance a text takes toward a target.
///
/// The numeric value is the label's column in every model and confusion matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    /// Against the target (NewsMTSC: negative).
    Against = 0,
    /// No stance, or neutral (NewsMTSC: neutral).
    None = 1,
    /// In favour of the target (NewsMTSC: positive).
    Favor = 2,
}

impl Stance {
    /// All labels in column order.
    pub const ALL: [Stance; 3] = [Stance::Against, Stance::None, Stance::Favor];

    /// The stance toward a target's opposite: favor and against swapped, none kept.
    pub fn mirrored(self) -> Stance {
        match self {
            Stance::Against => Stance::Favor,
            Stance::None => Stance::None,
            Stance::Favor => Stance::Against,
        }
    }

    /// The label's column index.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The label for a column index.
    pub fn from_index(i: usize) -> Option<Stance> {
        Stance::ALL.get(i).copied()
    }

    /// The lowercase name used in every output: `favor`, `against` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Against => "against",
            Stance::None => "none",
            Stance::Favor => "favor",
        }
    }

    /// Parses a label, case-insensitively: `favor`/`favour`/`pro`/`positive`, `against`/`con`/`negative`,
    /// `none`/`neutral`. Returns `None` for anything else.
    pub fn parse(s: &str) -> Option<Stance> {
        match s.trim().to_ascii_lowercase().as_str() {
            "favor" | "favour" | "pro" | "positive" => Some(Stance::Favor),
            "against" | "con" | "negative" => Some(Stance::Against),
            "none" | "neutral" => Some(Stance::None),
            _ => None,
        }
    }
}

impl std::fmt::Display for Stance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_and_rejects_unknown() {
        for s in Stance::ALL {
            assert_eq!(Stance::parse(s.as_str()), Some(s));
            assert_eq!(Stance::from_index(s.index()), Some(s));
        }
        assert_eq!(Stance::parse(" FAVOR "), Some(Stance::Favor));
        assert_eq!(Stance::parse("Neutral"), Some(Stance::None));
        assert_eq!(Stance::parse("maybe"), None);
        assert_eq!(Stance::from_index(3), None);
    }
}
