//! Voices: where each prompt's recording comes from. The guide voice
//! ([`crate::sound::guide`]) has one Ogg Vorbis recording per prompt, a
//! set per language; a parent's voice is a folder with one
//! `<prompt-id>.wav` per prompt, its English takes at the top and each
//! other language's in a folder of its own (`mum/es/feet.wav`), and the
//! guide of the script's language fills in whatever it lacks in that
//! language, never from another.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::session::language::ENGLISH;
use crate::session::script::Script;
use crate::sound::audio;
use crate::sound::guide::{Bytes, Guide};
use crate::sound::vorbis;
use crate::sound::wav;

/// The name of the bundled voice.
pub const GUIDE: &str = "guide";

/// What `--voice` names: the guide, a voice in the data folder, or a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceChoice {
    Guide,
    /// `$XDG_DATA_HOME/soothe/voices/NAME`.
    Named(String),
    /// A value with a `/` in it is a folder path.
    Folder(PathBuf),
}

impl VoiceChoice {
    /// `--voice VALUE`. An empty value is kept as an empty name, which
    /// [`VoiceChoice::folder`] refuses by name.
    pub fn parse(value: &str) -> VoiceChoice {
        if value == GUIDE {
            VoiceChoice::Guide
        } else if value.contains('/') {
            VoiceChoice::Folder(PathBuf::from(value))
        } else {
            VoiceChoice::Named(value.to_string())
        }
    }

    /// What plans and messages call this voice.
    pub fn label(&self) -> String {
        match self {
            VoiceChoice::Guide => GUIDE.into(),
            VoiceChoice::Named(name) => name.clone(),
            VoiceChoice::Folder(path) => path.display().to_string(),
        }
    }

    /// The folder of a parent's takes in `language` (`None` for the
    /// guide): [`VoiceChoice::folder`] for English, a folder named by the
    /// language's tag inside it for any other (`mum/es`).
    pub fn folder_in(
        &self,
        voices: Option<&Path>,
        language: &str,
    ) -> Result<Option<PathBuf>, VoiceError> {
        Ok(self
            .folder(voices)?
            .map(|dir| language_folder(&dir, language)))
    }

    /// The folder of a parent's voice (`None` for the guide): a named
    /// voice is the folder of that name in `voices`, where the program
    /// keeps them (`None`: it has nowhere to keep them).
    pub fn folder(&self, voices: Option<&Path>) -> Result<Option<PathBuf>, VoiceError> {
        match self {
            VoiceChoice::Guide => Ok(None),
            VoiceChoice::Folder(path) => Ok(Some(path.clone())),
            VoiceChoice::Named(name) if name.trim().is_empty() => Err(VoiceError::EmptyName),
            VoiceChoice::Named(name) => Ok(Some(voices.ok_or(VoiceError::NoDataDir)?.join(name))),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("there is no voice \"{name}\" ({dir} does not exist); record one with `soothe record --voice {name}`")]
    NotFound { name: String, dir: String },
    /// The disk would not give the file up. The error itself is kept,
    /// shown without Rust's "(os error N)".
    #[error("{path}: {}", crate::error::io_reason(.error))]
    Unreadable { path: String, error: std::io::Error },
    /// The file is there but is no usable recording.
    #[error("{path}: {reason}")]
    Unusable { path: String, reason: String },
    #[error("--voice needs a name, such as --voice mum (or --voice guide for the built-in voice)")]
    EmptyName,
    #[error("cannot find a place for voices: set XDG_DATA_HOME or HOME")]
    NoDataDir,
    /// A prompt asked for that the voices have no recording of.
    #[error("{id}: no recording of this prompt")]
    NoRecording { id: String },
}

impl VoiceError {
    /// An unknown voice or a broken recording is the user's input; a disk
    /// that fails to read is not.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            VoiceError::NotFound { .. } | VoiceError::Unusable { .. } | VoiceError::EmptyName
        )
    }

    fn from_decode(path: String, err: audio::DecodeError) -> VoiceError {
        match err {
            audio::DecodeError::Io(error) => VoiceError::Unreadable { path, error },
            bad => VoiceError::Unusable {
                path,
                reason: bad.to_string(),
            },
        }
    }
}

/// Where a voice keeps its takes in `language`: English's in the voice's
/// folder itself (as they always were), another language's in a folder
/// named by its tag (`mum/es`), so that no language's take is ever taken
/// for another's.
pub fn language_folder(voice: &Path, language: &str) -> PathBuf {
    if language == ENGLISH {
        voice.to_path_buf()
    } else {
        voice.join(language)
    }
}

#[derive(Debug, Clone)]
enum Origin {
    Guide(Bytes),
    File(PathBuf),
    /// A take held in memory (the web app's, from the phone's storage).
    Memory(std::sync::Arc<[u8]>),
}

/// One prompt's recording, known by its header until it is played.
#[derive(Debug, Clone)]
pub struct PromptAudio {
    /// The voice it is spoken in: "guide", a voice name or a folder.
    pub voice: String,
    origin: Origin,
    frames: u64,
    rate: u32,
    /// Recorded for other words than the script's.
    stale: bool,
}

impl PromptAudio {
    /// Its length in samples at `rate`.
    pub fn len_at(&self, rate: u32) -> u64 {
        audio::resampled_len(self.frames, self.rate, rate)
    }

    /// Where it comes from, for messages.
    pub fn describe(&self) -> String {
        match &self.origin {
            Origin::Guide(Bytes::BuiltIn(_)) => format!("{} (built in)", self.voice),
            Origin::Guide(Bytes::Supplied(_)) => format!("{} (loaded)", self.voice),
            Origin::File(path) => path.display().to_string(),
            Origin::Memory(_) => format!("{}'s take", self.voice),
        }
    }

    /// Decodes it at `rate`: exactly [`PromptAudio::len_at`] samples. A
    /// take louder than full scale (a float WAV) is brought down to the
    /// takes' peak ceiling rather than clipped.
    pub fn decode(&self, rate: u32) -> Result<Vec<f32>, VoiceError> {
        let mono = self.decode_native()?;
        let mut samples = audio::resample(&mono, rate).samples;
        samples.resize(self.len_at(rate) as usize, 0.0);
        let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        if peak > 1.0 {
            let gain = TAKE_CEILING / peak;
            samples.iter_mut().for_each(|s| *s *= gain);
        }
        Ok(samples)
    }

    /// Decodes it at the rate it was recorded at.
    pub fn decode_native(&self) -> Result<audio::Mono, VoiceError> {
        match &self.origin {
            Origin::Guide(bytes) => vorbis::read(bytes.clone()),
            Origin::File(path) => open_take(path)
                .map_err(audio::DecodeError::from)
                .and_then(|f| wav::read_wav(std::io::BufReader::new(f))),
            Origin::Memory(bytes) => wav::read_wav(std::io::Cursor::new(&bytes[..])),
        }
        .map_err(|err| VoiceError::from_decode(self.describe(), err))
    }
}

/// Where takes louder than full scale are brought down to: the peak
/// ceiling of processed takes (-1 dBFS).
const TAKE_CEILING: f32 = 0.891_250_9;

/// Opens a take that is known to be an ordinary file (never a FIFO, whose
/// opening would wait for a writer forever).
fn open_take(path: &Path) -> std::io::Result<std::fs::File> {
    let metadata = std::fs::metadata(path)?;
    if let Some(kind) = crate::error::not_a_file(&metadata) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("this is {kind}, not a recording"),
        ));
    }
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "this is not an ordinary file, not a recording",
        ));
    }
    Ok(file)
}

/// The recordings a session will use, one per prompt it can speak.
#[derive(Debug, Clone)]
pub struct VoiceSet {
    /// The voice asked for.
    pub choice: VoiceChoice,
    /// What messages call it ([`VoiceChoice::label`]).
    pub name: String,
    prompts: HashMap<String, PromptAudio>,
    /// Prompts the chosen voice lacks and the guide speaks instead.
    pub fallbacks: Vec<String>,
    /// Prompts that no voice has.
    pub missing: Vec<String>,
    /// Prompts whose take was recorded for other words than the script's.
    pub stale: Vec<String>,
}

impl VoiceSet {
    /// Finds a recording for every prompt of `script`, a named voice in
    /// the folder `voices` (see [`VoiceChoice::folder`]), the guide
    /// built in for the script's language filling in.
    pub fn open(
        choice: &VoiceChoice,
        script: &Script,
        voices: Option<&Path>,
    ) -> Result<VoiceSet, VoiceError> {
        VoiceSet::open_with_guide(choice, script, voices, &Guide::built_in(script.language()))
    }

    /// [`VoiceSet::open`] with `guide` filling in: a guide supplied at run
    /// time ([`Guide::from_files`]). A guide in another language than the
    /// script's fills in nothing.
    pub fn open_with_guide(
        choice: &VoiceChoice,
        script: &Script,
        voices: Option<&Path>,
        guide: &Guide,
    ) -> Result<VoiceSet, VoiceError> {
        let language = script.language();
        let folder = choice.folder(voices)?;
        if let Some(dir) = &folder {
            if !dir.is_dir() {
                return Err(VoiceError::NotFound {
                    name: choice.label(),
                    dir: dir.display().to_string(),
                });
            }
        }
        // A voice with no takes in this language yet has an empty folder
        // for it: the guide speaks everything.
        let folder = folder
            .map(|dir| language_folder(&dir, language))
            .filter(|dir| language == ENGLISH || dir.is_dir());
        let name = choice.label();
        let own = |id: &str, text: &str| -> Result<Option<PromptAudio>, VoiceError> {
            let Some(dir) = &folder else {
                return Ok(None);
            };
            Ok(own_take(dir, id, text)?.map(|(info, stale)| PromptAudio {
                voice: name.clone(),
                origin: Origin::File(take_path(dir, id)),
                frames: info.frames,
                rate: info.rate,
                stale,
            }))
        };
        let parents = !matches!(choice, VoiceChoice::Guide);
        VoiceSet::gather(choice, script, parents, own, guide)
    }

    /// A parent's voice whose takes are in memory, as WAV files' bytes by
    /// prompt id (the web app keeps them on the phone); `guide` fills in
    /// what it lacks (the web app's, supplied at run time,
    /// [`Guide::from_files`]; in another language than the script's, it
    /// fills in nothing). The takes must be in the script's language. A
    /// take that is no usable WAV is an error naming its prompt, as a file
    /// in a voice folder would be.
    pub fn in_memory_with_guide(
        name: &str,
        script: &Script,
        takes: &HashMap<String, std::sync::Arc<[u8]>>,
        guide: &Guide,
    ) -> Result<VoiceSet, VoiceError> {
        let own = |id: &str, text: &str| -> Result<Option<PromptAudio>, VoiceError> {
            let Some(bytes) = takes.get(id) else {
                return Ok(None);
            };
            let shown = format!("{name}'s take of {id}");
            let (info, stale) = take_info(std::io::Cursor::new(&bytes[..]), &shown, text)?;
            Ok(Some(PromptAudio {
                voice: name.to_string(),
                origin: Origin::Memory(bytes.clone()),
                frames: info.frames,
                rate: info.rate,
                stale,
            }))
        };
        let choice = VoiceChoice::Named(name.to_string());
        VoiceSet::gather(&choice, script, true, own, guide)
    }

    /// Every prompt of `script` from `own` (the chosen voice) or else
    /// `guide`, when it speaks the script's language (a fallback if the
    /// chosen voice is a parent's).
    fn gather(
        choice: &VoiceChoice,
        script: &Script,
        parents: bool,
        own: impl Fn(&str, &str) -> Result<Option<PromptAudio>, VoiceError>,
        guide: &Guide,
    ) -> Result<VoiceSet, VoiceError> {
        let guide = (guide.language() == script.language()).then_some(guide);
        let mut set = VoiceSet {
            choice: choice.clone(),
            name: choice.label(),
            prompts: HashMap::new(),
            fallbacks: Vec::new(),
            missing: Vec::new(),
            stale: Vec::new(),
        };
        for id in script.prompts_in_order() {
            let text = script.prompts.get(id).map(String::as_str).unwrap_or("");
            let found = match own(id, text)? {
                Some(audio) => {
                    if audio.stale {
                        set.stale.push(id.to_string());
                    }
                    Some(audio)
                }
                None => {
                    let guide = guide.and_then(|g| guide_take(g, id, text));
                    if guide.is_some() && parents {
                        set.fallbacks.push(id.to_string());
                    }
                    guide
                }
            };
            match found {
                Some(audio) => {
                    set.prompts.insert(id.to_string(), audio);
                }
                None => set.missing.push(id.to_string()),
            }
        }
        Ok(set)
    }

    pub fn get(&self, id: &str) -> Option<&PromptAudio> {
        self.prompts.get(id)
    }
}

// The names in a voice folder, all here: `<id>.wav` is a prompt's take,
// `<id>.prev.wav` the take it replaced, and hidden `.<id>.<random>.wav.part`
// files are takes being written (never taken for a take).

/// The path of a prompt's take in a voice folder.
pub fn take_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.wav"))
}

/// Where the take before the current one is kept.
pub fn prev_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.prev.wav"))
}

/// How the temporary files of a take being written end.
pub const PART_SUFFIX: &str = ".wav.part";

/// How the temporary files of prompt `id`'s takes begin.
pub fn part_prefix(id: &str) -> String {
    format!(".{id}.")
}

/// Whether a file name is a take being written (or left by one that was
/// interrupted).
pub fn is_part(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(PART_SUFFIX)
}

/// The take of prompt `id` in `dir`, checked: `None` when there is none,
/// otherwise what its header says and whether it was recorded for other
/// words than `text`. A take that is there but cannot be used (a broken
/// link, a pipe, a damaged or empty file) is an error naming it, never a
/// silent fall back to the guide.
pub fn own_take(
    dir: &Path,
    id: &str,
    text: &str,
) -> Result<Option<(wav::WavInfo, bool)>, VoiceError> {
    let path = take_path(dir, id);
    let shown = path.display().to_string();
    let unusable = |reason: String| VoiceError::Unusable {
        path: shown.clone(),
        reason,
    };
    match std::fs::symlink_metadata(&path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Ok(link) if link.file_type().is_symlink() && std::fs::metadata(&path).is_err() => {
            let target = std::fs::read_link(&path)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Err(unusable(format!(
                "it is a link to {target}, which is not there; restore that file or remove the link"
            )));
        }
        _ => {}
    }
    let file = open_take(&path).map_err(|err| match err.kind() {
        std::io::ErrorKind::InvalidInput => unusable(err.to_string()),
        _ => VoiceError::Unreadable {
            path: shown.clone(),
            error: err,
        },
    })?;
    take_info(std::io::BufReader::new(file), &shown, text).map(Some)
}

/// What a take's header says, checked, and whether it was recorded for
/// other words than `text`; `shown` names it in messages.
fn take_info<R: std::io::Read + std::io::Seek>(
    mut reader: R,
    shown: &str,
    text: &str,
) -> Result<(wav::WavInfo, bool), VoiceError> {
    let info = wav::wav_header(&mut reader)
        .map_err(|err| VoiceError::from_decode(shown.to_string(), err))?;
    if info.channels > 1 || info.float {
        // Channels that cancel out, and floats that are not numbers, are
        // only found in the samples (soothe's own takes are mono 16-bit).
        reader
            .rewind()
            .map_err(|e| VoiceError::from_decode(shown.to_string(), e.into()))?;
        wav::read_wav(&mut reader)
            .map_err(|err| VoiceError::from_decode(shown.to_string(), err))?;
    }
    let stale = crate::sound::words::recorded(&mut reader)
        .is_some_and(|recorded| !crate::sound::words::same_words(&recorded, text));
    Ok((info, stale))
}

/// `guide`'s recording of `id`, if it speaks exactly `text`.
fn guide_take(guide: &Guide, id: &str, text: &str) -> Option<PromptAudio> {
    let (bytes, frames, rate) = guide.take(id, text)?;
    Some(PromptAudio {
        voice: GUIDE.into(),
        origin: Origin::Guide(bytes),
        frames,
        rate,
        stale: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WAV take of `samples` at 16 kHz, spoken for `words`.
    fn take_bytes(samples: &[f32], words: &str) -> std::sync::Arc<[u8]> {
        let audio = audio::Mono {
            rate: 16_000,
            samples: samples.to_vec(),
        };
        crate::encode::wav::take_bytes(&audio, words)
            .unwrap()
            .into()
    }

    #[test]
    fn takes_in_memory_speak_their_prompts_and_the_guide_the_rest() {
        let script = Script::builtin();
        let ids = script.prompts_in_order();
        let (feet, welcome) = (ids[1], ids[0]);
        let samples: Vec<f32> = (0..8_000)
            .map(|k| ((k % 40) as f32 - 20.0) / 80.0)
            .collect();
        let takes = HashMap::from([
            (
                feet.to_string(),
                take_bytes(&samples, script.prompts.get(feet).unwrap()),
            ),
            (welcome.to_string(), take_bytes(&samples, "Other words.")),
        ]);
        let guide = crate::sound::guide::folders::english();
        let set = VoiceSet::in_memory_with_guide("mum", &script, &takes, &guide).unwrap();
        let own = set.get(feet).unwrap();
        assert_eq!(own.voice, "mum");
        assert_eq!(own.len_at(16_000), 8_000);
        let heard = own.decode(16_000).unwrap();
        let error = heard
            .iter()
            .zip(&samples)
            .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
        assert!(error < 1e-4, "the take as played is off by {error}");
        assert_eq!(set.stale, [welcome]);
        assert_eq!(set.fallbacks.len(), ids.len() - 2);
        assert_eq!(set.get(ids[2]).unwrap().voice, GUIDE);
    }

    #[test]
    fn a_take_in_memory_that_is_no_wav_names_its_prompt() {
        let script = Script::builtin();
        let takes = HashMap::from([("feet".to_string(), std::sync::Arc::from(&b"RIFF"[..]))]);
        let guide = crate::sound::guide::folders::english();
        let err = VoiceSet::in_memory_with_guide("mum", &script, &takes, &guide).unwrap_err();
        assert!(err.to_string().starts_with("mum's take of feet: "), "{err}");
    }

    /// What `main` prints: the error and every source under it.
    fn printed(err: VoiceError) -> String {
        format!("{:#}", anyhow::Error::from(err))
    }

    #[test]
    fn a_take_the_disk_will_not_give_up_keeps_its_io_error_and_its_words() {
        let denied = std::io::Error::from_raw_os_error(13);
        let err = VoiceError::from_decode("mum/feet.wav".into(), denied.into());
        assert!(!err.is_invalid_input());
        match &err {
            VoiceError::Unreadable { error, .. } => {
                assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
            }
            other => panic!("not Unreadable: {other:?}"),
        }
        assert_eq!(printed(err), "mum/feet.wav: Permission denied");
    }

    #[test]
    fn a_take_under_a_file_rather_than_a_folder_is_unreadable_not_missing() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("mum");
        std::fs::write(&dir, b"not a folder").unwrap();
        let err = own_take(&dir, "feet", "Feet.").unwrap_err();
        match &err {
            VoiceError::Unreadable { error, .. } => {
                assert_eq!(error.kind(), std::io::ErrorKind::NotADirectory);
            }
            other => panic!("not Unreadable: {other:?}"),
        }
        let words = format!("{}: Not a directory", dir.join("feet.wav").display());
        assert_eq!(err.to_string(), words);
        assert_eq!(printed(err), words);
    }

    #[test]
    fn a_damaged_take_is_unusable_with_its_reason() {
        let err = VoiceError::from_decode(
            "mum/feet.wav".into(),
            audio::DecodeError::bad("it ends too soon, as if cut short"),
        );
        assert!(err.is_invalid_input());
        assert_eq!(
            printed(err),
            "mum/feet.wav: it ends too soon, as if cut short"
        );
    }

    /// A take of one second in `dir`, named for prompt `id`.
    fn take(dir: &Path, id: &str) {
        std::fs::create_dir_all(dir).unwrap();
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 48_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut wav = hound::WavWriter::create(take_path(dir, id), spec).unwrap();
        for i in 0..48_000 {
            wav.write_sample(((i as f32 * 0.05).sin() * 8000.0) as i16)
                .unwrap();
        }
        wav.finalize().unwrap();
    }

    #[test]
    fn a_voice_folder_in_one_language_never_fills_another_languages_prompts() {
        let root = tempfile::tempdir().unwrap();
        let mum = root.path().join("mum");
        // English takes at the top, as they always were; Spanish in es/.
        take(&mum, "feet");
        take(&mum, "legs-other");
        take(&mum.join("es"), "feet");
        let choice = VoiceChoice::Folder(mum.clone());
        let spanish = Script::builtin_in("es");
        let es = Guide::from_files("es", "", []);
        let set = VoiceSet::open_with_guide(&choice, &spanish, None, &es).unwrap();
        let feet = set.get("feet").unwrap();
        assert_eq!(
            feet.describe(),
            mum.join("es/feet.wav").display().to_string()
        );
        // The English take of legs-other is not a Spanish one: no voice
        // has it in Spanish.
        assert!(set.get("legs-other").is_none());
        assert!(set.missing.iter().any(|id| id == "legs-other"));
        // Nor does the English guide fill the Spanish prompts, whatever
        // guide is offered.
        let english_guide = crate::sound::guide::folders::english();
        let set = VoiceSet::open_with_guide(&choice, &spanish, None, &english_guide).unwrap();
        assert!(set.fallbacks.is_empty());
        assert_eq!(set.missing.len(), spanish.prompts.len() - 1);
        // English never takes a Spanish take, and the guide fills the rest.
        let english = Script::builtin();
        let set = VoiceSet::open_with_guide(&choice, &english, None, &english_guide).unwrap();
        assert_eq!(
            set.get("feet").unwrap().describe(),
            mum.join("feet.wav").display().to_string()
        );
        assert!(set.fallbacks.iter().any(|id| id == "welcome"));
        assert!(set.missing.is_empty());
    }

    #[test]
    fn a_voice_with_no_takes_in_a_language_yet_leaves_it_all_to_the_guide() {
        let root = tempfile::tempdir().unwrap();
        let mum = root.path().join("mum");
        take(&mum, "feet");
        let spanish = Script::builtin_in("es");
        let guide = Guide::from_files("es", "", []);
        let set =
            VoiceSet::open_with_guide(&VoiceChoice::Folder(mum), &spanish, None, &guide).unwrap();
        assert_eq!(set.missing.len(), spanish.prompts.len());
        // A voice that is not there at all is still refused.
        let gone = VoiceChoice::Folder(root.path().join("nobody"));
        assert!(matches!(
            VoiceSet::open_with_guide(&gone, &spanish, None, &guide),
            Err(VoiceError::NotFound { .. })
        ));
    }
}
