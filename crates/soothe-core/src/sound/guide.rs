//! The guide voice: soothe's own recording of the built-in prompts, one
//! set per language. Each language's is built into the program
//! (`audio/guide/` for English, `audio/guide-<tag>/` for the others, see
//! `build.rs`), or supplied at run time ([`Guide::from_files`]: the web
//! app fetches only the language it plays). A recording is spoken only
//! for the words it was made of (its line in the set's `manifest.tsv`).

use std::collections::HashMap;
use std::sync::Arc;

use crate::session::language::ENGLISH;
use crate::sound::vorbis;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/guide.rs"));
}

/// A recording's bytes: built in, or supplied at run time.
#[derive(Debug, Clone)]
pub(crate) enum Bytes {
    BuiltIn(&'static [u8]),
    Supplied(Arc<[u8]>),
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            Bytes::BuiltIn(bytes) => bytes,
            Bytes::Supplied(bytes) => bytes,
        }
    }
}

/// One language's guide voice: its recordings, and the words of each.
#[derive(Debug, Clone)]
pub struct Guide {
    language: String,
    /// Prompt id -> the words its recording speaks.
    words: HashMap<String, String>,
    /// Prompt id -> its Ogg Vorbis recording.
    takes: HashMap<String, Bytes>,
}

impl Guide {
    /// The guide voice built into this program for `language` (a BCP 47
    /// tag as soothe writes it); one with no recordings when there is
    /// none.
    pub fn built_in(language: &str) -> Guide {
        let Some((_, files, manifest)) =
            embedded::GUIDES.iter().find(|(tag, _, _)| *tag == language)
        else {
            return Guide::empty(language);
        };
        Guide {
            language: language.to_string(),
            words: manifest_words(manifest),
            takes: files
                .iter()
                .map(|(id, bytes)| (id.to_string(), Bytes::BuiltIn(bytes)))
                .collect(),
        }
    }

    /// A guide voice supplied at run time: its `manifest.tsv` (an
    /// `id<TAB>words` line per prompt) and each prompt's Ogg Vorbis
    /// recording, by prompt id. Nothing is decoded until it is played.
    pub fn from_files(
        language: &str,
        manifest: &str,
        takes: impl IntoIterator<Item = (String, Vec<u8>)>,
    ) -> Guide {
        Guide {
            language: language.to_string(),
            words: manifest_words(manifest),
            takes: takes
                .into_iter()
                .map(|(id, bytes)| (id, Bytes::Supplied(bytes.into())))
                .collect(),
        }
    }

    /// A guide with no recordings: every prompt is the parent's to record.
    pub fn empty(language: &str) -> Guide {
        Guide {
            language: language.to_string(),
            words: HashMap::new(),
            takes: HashMap::new(),
        }
    }

    /// The languages whose guide voice is built into this program,
    /// English first.
    pub fn built_in_languages() -> Vec<&'static str> {
        let mut tags: Vec<&str> = embedded::GUIDES.iter().map(|(tag, _, _)| *tag).collect();
        tags.sort_by_key(|tag| *tag != ENGLISH);
        tags
    }

    /// The language it speaks.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// How many prompts it has a recording of.
    pub fn len(&self) -> usize {
        self.takes
            .keys()
            .filter(|id| self.words.contains_key(*id))
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The words it speaks prompt `id` with, if it has a recording of it.
    pub fn words(&self, id: &str) -> Option<&str> {
        self.takes.get(id)?;
        self.words.get(id).map(String::as_str)
    }

    /// Its recording of `id` if it speaks exactly `text` (spacing
    /// aside), with the recording's length in frames and its rate.
    pub(crate) fn take(&self, id: &str, text: &str) -> Option<(Bytes, u64, u32)> {
        let spoken = self.words.get(id)?;
        if !crate::sound::words::same_words(spoken, text) {
            return None;
        }
        let bytes = self.takes.get(id)?.clone();
        let (frames, rate) = vorbis::header(bytes.clone()).ok()?;
        Some((bytes, frames, rate))
    }
}

/// `id<TAB>words` lines, as a map.
fn manifest_words(manifest: &str) -> HashMap<String, String> {
    manifest
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(id, words)| (id.to_string(), words.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_guide_recording_decodes_to_the_length_its_header_promises() {
        for (tag, files, manifest) in embedded::GUIDES {
            let words = manifest_words(manifest);
            assert_eq!(files.len(), words.len(), "{tag}");
            for (id, bytes) in *files {
                assert!(
                    words.contains_key(*id),
                    "{tag}: {id} is not in the manifest"
                );
                let (frames, rate) = vorbis::header(*bytes).unwrap();
                let mono = vorbis::read(*bytes).unwrap();
                assert_eq!((mono.rate, rate), (24_000, 24_000), "{tag}: {id}");
                assert_eq!(mono.samples.len() as u64, frames, "{tag}: {id}");
                let peak = mono.samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
                assert!(peak > 0.3 && peak < 0.9, "{tag}: {id}: peak {peak}");
            }
        }
        assert_eq!(Guide::built_in_languages().first(), Some(&ENGLISH));
    }

    /// A language's guide is built in only whole and current: a
    /// recording of every prompt of the built-in session in that language,
    /// made of the words it has now.
    #[test]
    fn every_built_in_guide_speaks_every_prompt_of_its_language_as_it_is_now() {
        for tag in Guide::built_in_languages() {
            let guide = Guide::built_in(tag);
            let script = crate::session::script::Script::builtin_in(tag);
            assert_eq!(script.language(), tag);
            for (id, text) in script.prompts.iter() {
                assert!(
                    guide.take(id, text).is_some(),
                    "{tag}: the guide has no recording of {id} as \"{text}\" (it has \"{}\")",
                    guide.words(id).unwrap_or("")
                );
            }
            assert_eq!(guide.len(), script.prompts.len(), "{tag}");
        }
    }

    /// Every language's folder of guide recordings is built in with the
    /// `all-guides` feature (the command line's), and none but English's
    /// without it (the web app's). The feature was once used by build.rs
    /// but never declared: only English's was ever built in.
    #[test]
    fn every_guide_folder_there_is_built_in_with_all_guides_and_only_english_without() {
        let audio = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("audio");
        let mut there: Vec<String> = std::fs::read_dir(&audio)
            .unwrap()
            .filter_map(|e| e.unwrap().file_name().into_string().ok())
            .filter_map(|name| name.strip_prefix("guide-").map(str::to_string))
            .collect();
        there.sort();
        let mut built: Vec<&str> = Guide::built_in_languages();
        assert_eq!(built.remove(0), ENGLISH);
        built.sort_unstable();
        if cfg!(feature = "all-guides") {
            assert_eq!(built, there);
        } else {
            assert!(built.is_empty(), "{built:?}");
        }
    }

    #[test]
    fn a_guide_prompt_whose_text_changed_is_not_spoken_by_the_guide() {
        let guide = Guide::built_in(ENGLISH);
        let text = guide.words("feet").unwrap().to_string();
        assert!(guide.take("feet", &format!("  {text} ")).is_some());
        assert!(guide.take("feet", &format!("{text} Then rest.")).is_none());
    }

    #[test]
    fn a_guide_supplied_at_run_time_speaks_what_its_manifest_says() {
        let built_in = Guide::built_in(ENGLISH);
        let (bytes, frames, rate) = built_in
            .take("feet", built_in.words("feet").unwrap())
            .unwrap();
        let supplied = Guide::from_files(
            "es",
            "feet\tDeditos y pies.\nlegs\tPiernas.\n",
            [("feet".to_string(), bytes.as_ref().to_vec())],
        );
        assert_eq!(supplied.language(), "es");
        assert_eq!(supplied.len(), 1);
        let (_, f, r) = supplied.take("feet", "Deditos  y pies.").unwrap();
        assert_eq!((f, r), (frames, rate));
        assert!(supplied.take("feet", "Toes and feet.").is_none());
        // A manifest line without a recording speaks nothing.
        assert!(supplied.take("legs", "Piernas.").is_none());
        assert_eq!(supplied.words("legs"), None);
    }
}
