//! The guide voice: soothe's own recording of the built-in prompts, one
//! set per language (`audio/guide/` for English, `audio/guide-<tag>/` for
//! the others). With the `all-guides` feature (the command line's) every
//! language's is built into the program (see `build.rs`); without it
//! (the web app's) none is, and the one a session speaks is supplied at
//! run time ([`Guide::from_files`]: the web app fetches only the language
//! it plays, English too). A recording is spoken only for the words it
//! was made of (its line in the set's `manifest.tsv`).

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
    /// none (always, without the `all-guides` feature).
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
    /// English first; none without the `all-guides` feature.
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
pub(crate) mod folders {
    //! The guide folders themselves, as `build.rs` builds them in and
    //! tools/build-web packs them for the web app: the tests' guides,
    //! whether or not this build has any built in.

    use std::path::{Path, PathBuf};

    use super::Guide;
    use crate::session::language::ENGLISH;

    /// Every guide folder in `audio/`, as (language, folder): English's
    /// (`guide/`) first, then each `guide-<tag>/` in tag order.
    pub(crate) fn all() -> Vec<(String, PathBuf)> {
        let audio = Path::new(env!("CARGO_MANIFEST_DIR")).join("audio");
        let mut others: Vec<(String, PathBuf)> = std::fs::read_dir(&audio)
            .unwrap()
            .map(|e| e.unwrap())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                Some((name.strip_prefix("guide-")?.to_string(), e.path()))
            })
            .collect();
        others.sort();
        let mut all = vec![(ENGLISH.to_string(), audio.join("guide"))];
        all.extend(others);
        all
    }

    /// A folder's `manifest.tsv` and its recordings by prompt id, in id
    /// order.
    pub(crate) fn files(dir: &Path) -> (String, Vec<(String, Vec<u8>)>) {
        let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
        let mut takes: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ogg"))
            .map(|p| {
                let id = p.file_stem().unwrap().to_string_lossy().into_owned();
                (id, std::fs::read(&p).unwrap())
            })
            .collect();
        takes.sort();
        (manifest, takes)
    }

    /// The guide in `language`'s folder, supplied as the web app supplies
    /// it.
    pub(crate) fn guide(language: &str) -> Guide {
        let (_, dir) = (all().into_iter())
            .find(|(tag, _)| tag == language)
            .unwrap_or_else(|| panic!("no guide folder for {language}"));
        let (manifest, takes) = files(&dir);
        Guide::from_files(language, &manifest, takes)
    }

    /// English's guide, from `audio/guide/`.
    pub(crate) fn english() -> Guide {
        guide(ENGLISH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guide_recording_decodes_to_the_length_its_header_promises() {
        for (tag, dir) in folders::all() {
            let (manifest, files) = folders::files(&dir);
            let words = manifest_words(&manifest);
            assert_eq!(files.len(), words.len(), "{tag}");
            for (id, bytes) in files {
                assert!(
                    words.contains_key(&id),
                    "{tag}: {id} is not in the manifest"
                );
                let (frames, rate) = vorbis::header(bytes.clone()).unwrap();
                let mono = vorbis::read(bytes).unwrap();
                assert_eq!((mono.rate, rate), (24_000, 24_000), "{tag}: {id}");
                assert_eq!(mono.samples.len() as u64, frames, "{tag}: {id}");
                let peak = mono.samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
                assert!(peak > 0.3 && peak < 0.9, "{tag}: {id}: peak {peak}");
            }
        }
    }

    /// A language's guide is whole and current, built in or fetched: a
    /// recording of every prompt of the built-in session in that language,
    /// made of the words it has now.
    #[test]
    fn every_guide_speaks_every_prompt_of_its_language_as_it_is_now() {
        for (tag, _) in folders::all() {
            let guide = folders::guide(&tag);
            let script = crate::session::script::Script::builtin_in(&tag);
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

    /// Every language's folder of guide recordings, English's first, is
    /// built in whole with the `all-guides` feature (the command line's),
    /// and none without it (the web app's, which fetches the one it
    /// plays). The feature was once used by build.rs but never declared:
    /// only English's was ever built in; later English's was built in
    /// without it too.
    #[test]
    fn every_guide_folder_there_is_built_in_with_all_guides_and_none_without() {
        let there: Vec<String> = folders::all().into_iter().map(|(tag, _)| tag).collect();
        assert_eq!(there.first().map(String::as_str), Some(ENGLISH));
        if cfg!(feature = "all-guides") {
            assert_eq!(Guide::built_in_languages(), there);
            for (tag, dir) in folders::all() {
                let (manifest, files) = folders::files(&dir);
                let built_in = Guide::built_in(&tag);
                assert_eq!(built_in.words, manifest_words(&manifest), "{tag}");
                assert_eq!(built_in.takes.len(), files.len(), "{tag}");
                for (id, bytes) in files {
                    assert!(built_in.takes[&id].as_ref() == bytes, "{tag}: {id}");
                }
            }
        } else {
            assert_eq!(Guide::built_in_languages(), Vec::<&str>::new());
            for tag in there {
                assert!(Guide::built_in(&tag).is_empty(), "{tag}");
            }
        }
    }

    #[test]
    fn a_guide_prompt_whose_text_changed_is_not_spoken_by_the_guide() {
        let guide = folders::english();
        let text = guide.words("feet").unwrap().to_string();
        assert!(guide.take("feet", &format!("  {text} ")).is_some());
        assert!(guide.take("feet", &format!("{text} Then rest.")).is_none());
    }

    #[test]
    fn a_guide_supplied_at_run_time_speaks_what_its_manifest_says() {
        let english = folders::english();
        let (bytes, frames, rate) = english
            .take("feet", english.words("feet").unwrap())
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
