//! What a language's words must mean, declared beside them: the phrases
//! that say each caution and each direction, and those that would turn
//! them around. The built-in session's tests (`tests/builtin_advice.rs`)
//! hold every language, English included (`scripts/meaning-en.ron`), to
//! its declaration, with the same checks.

use serde::Deserialize;

use crate::session::script::OrderedMap;

/// How phrases are found in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Matching {
    /// As whole words, case ignored; anything but a letter or digit
    /// (apostrophes too: `l'huile` is `l huile`) parts words.
    Words,
    /// Anywhere, case and white space ignored: for languages written
    /// without spaces between words (Japanese, Chinese).
    Characters,
}

/// What a text must and must not say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Says {
    /// Each inner list is a set of alternatives, one of which must be said.
    #[serde(default)]
    pub all_of: Vec<Vec<String>>,
    /// Phrases that would turn the advice around.
    #[serde(default)]
    pub never: Vec<String>,
}

/// What the words that introduce strokes going each way must say.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directions {
    pub away_from_heart: Says,
    pub towards_heart: Says,
    pub down: Says,
    pub outwards: Says,
    pub circles: Says,
    pub press: Says,
}

/// A language's declaration of what its words mean.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meaning {
    pub matching: Matching,
    /// Caution name -> how each prompt that says it says it.
    pub cautions: OrderedMap<Says>,
    pub directions: Directions,
    /// How the hand that cups a limb is named: the stroke's start must be
    /// named after it, before its end.
    pub cupped_hand: Vec<String>,
    /// Two strokes a chime: one of these is said.
    pub pair: Vec<String>,
    /// No pressure (the back): one of these is said.
    pub no_press: Vec<String>,
    /// Very light pressure (the head): one of these is said in the step.
    pub very_light: Vec<String>,
    /// Never said in the invigorating session...
    pub calm: Vec<String>,
    /// ... unless inside one of these ("slowly and carefully").
    pub calm_except: Vec<String>,
    /// Never said in the relaxing session.
    pub lively: Vec<String>,
    /// Never said without oil.
    pub oil: Vec<String>,
    /// Health claims of the article, said only with one of `hedges`.
    pub claims: Vec<String>,
    pub hedges: Vec<String>,
    /// The turn before the back strokes, and the turn after them.
    pub onto_tummy: Says,
    pub onto_back: Says,
    /// Prompt id -> what that prompt must and must not say.
    pub prompts: OrderedMap<Says>,
    /// Option name -> what its `about` must and must not say.
    pub options: OrderedMap<Says>,
}

impl Matching {
    /// `text` as the units phrases are matched in: lowercase words, or
    /// lowercase characters without white space.
    pub fn units(self, text: &str) -> Vec<String> {
        let lower = text.to_lowercase();
        match self {
            Matching::Words => lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
            Matching::Characters => lower
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(String::from)
                .collect(),
        }
    }

    /// Where `phrase` starts in `text`, in units, each time it is said.
    pub fn positions(self, text: &str, phrase: &str) -> Vec<usize> {
        let text = self.units(text);
        let phrase = self.units(phrase);
        if phrase.is_empty() || phrase.len() > text.len() {
            return Vec::new();
        }
        (0..=text.len() - phrase.len())
            .filter(|&at| text[at..at + phrase.len()] == phrase[..])
            .collect()
    }

    /// Whether `text` says `phrase`.
    pub fn says(self, text: &str, phrase: &str) -> bool {
        !self.positions(text, phrase).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_whole_and_apostrophes_part_them() {
        let words = Matching::Words;
        assert!(words.says("Prenez l'huile, jusqu'au pied.", "huile"));
        assert!(words.says("Prenez l'huile, jusqu'au pied.", "au pied"));
        assert!(!words.says("Les pieds.", "pied"));
        assert!(words.says("No MUSIC, please", "no music"));
        assert_eq!(words.positions("up, down and up", "up"), vec![0, 3]);
    }

    #[test]
    fn characters_are_found_anywhere_white_space_ignored() {
        let characters = Matching::Characters;
        assert!(characters.says("頭のところで n キーを押して", "nキーを押"));
        assert!(characters.says("向下滑到脚", "向下"));
        assert!(!characters.says("向下滑到脚", "向上"));
        assert_eq!(characters.positions("脚踝，大腿，脚", "脚"), vec![0, 6]);
    }
}
