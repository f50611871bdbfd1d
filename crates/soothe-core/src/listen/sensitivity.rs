//! How readily a sound is taken for crying: the parent's trade between a
//! pause for something that is not crying and a cry heard late.
//!
//! Each level is a row of the cross-validated trade-off in BENCHMARKS.md
//! ("Listening for the baby on real sounds"): the probability at which the
//! model's answer counts a frame. Normal is soothe's default ([`Tuning`]);
//! low is the first row to take at most 3% of real sounds that are not
//! crying for crying, for a busy room; high hears the most cries in time
//! before one sound in eight that is not crying is taken for one, for a
//! quiet room.

use std::fmt;

use super::Tuning;

/// How readily a sound is taken for crying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sensitivity {
    /// A busy room (a TV, children, pets): fewer false pauses, more cries
    /// heard late.
    Low,
    #[default]
    Normal,
    /// A quiet room: cries heard sooner, more false pauses.
    High,
}

impl Sensitivity {
    pub const ALL: [Sensitivity; 3] = [Sensitivity::Low, Sensitivity::Normal, Sensitivity::High];

    pub fn word(self) -> &'static str {
        match self {
            Sensitivity::Low => "low",
            Sensitivity::Normal => "normal",
            Sensitivity::High => "high",
        }
    }

    /// The level a word names, in any case.
    pub fn parse(word: &str) -> Result<Sensitivity, String> {
        Sensitivity::ALL
            .into_iter()
            .find(|s| s.word().eq_ignore_ascii_case(word.trim()))
            .ok_or_else(|| format!("unknown sensitivity \"{word}\"; it is low, normal or high"))
    }

    /// The detector's thresholds at this level.
    pub fn tuning(self) -> Tuning {
        let probability = match self {
            Sensitivity::Low => 0.98,
            Sensitivity::Normal => Tuning::default().probability,
            Sensitivity::High => 0.75,
        };
        Tuning {
            probability,
            ..Tuning::default()
        }
    }
}

impl fmt::Display for Sensitivity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_is_soothes_default_and_the_others_move_only_the_probability() {
        assert_eq!(Sensitivity::default(), Sensitivity::Normal);
        assert_eq!(Sensitivity::Normal.tuning(), Tuning::default());
        for s in [Sensitivity::Low, Sensitivity::High] {
            let t = s.tuning();
            assert_eq!(
                Tuning {
                    probability: Tuning::default().probability,
                    ..t
                },
                Tuning::default(),
                "{s}"
            );
        }
        let p = |s: Sensitivity| s.tuning().probability;
        assert!(p(Sensitivity::Low) > p(Sensitivity::Normal));
        assert!(p(Sensitivity::Normal) > p(Sensitivity::High));
    }

    #[test]
    fn every_level_reads_back_from_its_word_and_others_are_named() {
        for s in Sensitivity::ALL {
            assert_eq!(Sensitivity::parse(s.word()), Ok(s));
        }
        assert_eq!(Sensitivity::parse(" LOW"), Ok(Sensitivity::Low));
        assert_eq!(
            Sensitivity::parse("medium"),
            Err("unknown sensitivity \"medium\"; it is low, normal or high".to_string())
        );
    }
}
