//! A parent's voice as one file, to move it between the command line and
//! the phone (`soothe voices --export` / `--import`, and the web app's
//! own buttons): a plain tar archive, readable with any `tar`, holding
//!
//! - `soothe-voice.txt` first: `soothe voice 1`, then `name: NAME`,
//!   `language: TAG` (the language its takes speak; a file without it is
//!   English) and `takes: N` (so that an archive cut short between two
//!   takes is not taken for a smaller voice);
//! - `takes/<prompt-id>.wav`: each take as soothe saved it, 16-bit mono
//!   with the words it was spoken for inside ([`crate::sound::words`]).
//!
//! Reading checks everything before anything is kept: the marker, plain
//! prompt ids, each take a real WAV of a sensible size, no id twice, no
//! other entries. An archive made elsewhere with anything else in it is
//! refused with the entry named, never half imported.

use std::collections::HashSet;
use std::io::{Cursor, Read, Write};

use crate::sound::wav;

/// The name files of this kind end with.
pub const EXTENSION: &str = "soothe-voice";
/// The first entry, and the line it begins with.
const HEAD: &str = "soothe-voice.txt";
const MARK: &str = "soothe voice 1";
/// Where the takes are.
const TAKES: &str = "takes/";
/// The most takes a voice may hold (a script has a few dozen prompts).
pub const MOST_TAKES: usize = 1_000;
/// The largest take: ten minutes of 48 kHz 16-bit mono is 58 MB.
pub const MOST_TAKE_BYTES: u64 = 64 << 20;
/// The longest name or prompt id.
const LONGEST_NAME: usize = 64;

/// A voice: its name and its takes, each a WAV file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceFile {
    pub name: String,
    /// The language its takes speak (a BCP 47 tag, as `--language`).
    pub language: String,
    /// (prompt id, the take's WAV bytes), in the order written.
    pub takes: Vec<(String, Vec<u8>)>,
}

/// Why a file is not a voice soothe can take.
#[derive(Debug, thiserror::Error)]
pub enum VoiceFileError {
    #[error("it is not a soothe voice (made by `soothe voices --export` or the web app): {0}")]
    NotAVoice(String),
    #[error("{entry}: {reason}")]
    Entry { entry: String, reason: String },
    #[error("it is damaged: {0}")]
    Damaged(String),
}

/// Whether `name` may name a voice or a prompt in the file: lowercase
/// letters, digits, `-` and `_`, not first a `-` (so never a path).
pub fn is_plain(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= LONGEST_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !name.starts_with('-')
}

impl VoiceFile {
    /// Writes the archive. Names must be plain ([`is_plain`]).
    pub fn write<W: Write>(&self, out: W) -> std::io::Result<W> {
        let mut tar = tar::Builder::new(out);
        let head = format!(
            "{MARK}\nname: {}\nlanguage: {}\ntakes: {}\n",
            self.name,
            self.language,
            self.takes.len()
        );
        append(&mut tar, HEAD, head.as_bytes())?;
        for (id, wav) in &self.takes {
            append(&mut tar, &format!("{TAKES}{id}.wav"), wav)?;
        }
        tar.into_inner()
    }

    /// Reads and checks an archive (see the module's notes).
    pub fn read<R: Read>(input: R) -> Result<VoiceFile, VoiceFileError> {
        let damaged = |e: std::io::Error| VoiceFileError::Damaged(crate::error::io_reason(&e));
        let mut archive = tar::Archive::new(input);
        let mut entries = archive.entries().map_err(damaged)?;
        let (name, language, count) = match entries.next() {
            None => return Err(VoiceFileError::NotAVoice("it is empty".into())),
            Some(Err(_)) => return Err(VoiceFileError::NotAVoice("it is no tar archive".into())),
            Some(Ok(entry)) => read_head(entry)?,
        };
        let mut voice = VoiceFile {
            name,
            language,
            takes: Vec::new(),
        };
        let mut seen = HashSet::new();
        for entry in entries {
            let entry = entry.map_err(damaged)?;
            let (id, wav) = read_take(entry)?;
            if !seen.insert(id.clone()) {
                return Err(VoiceFileError::Entry {
                    entry: format!("{TAKES}{id}.wav"),
                    reason: "this prompt's take is in the file twice".into(),
                });
            }
            if voice.takes.len() == MOST_TAKES {
                return Err(VoiceFileError::Damaged(format!(
                    "it holds more than {MOST_TAKES} takes"
                )));
            }
            voice.takes.push((id, wav));
        }
        if voice.takes.len() != count {
            return Err(VoiceFileError::Damaged(format!(
                "it is cut short: it should hold {count} takes and holds {}",
                voice.takes.len()
            )));
        }
        Ok(voice)
    }
}

fn append<W: Write>(tar: &mut tar::Builder<W>, path: &str, bytes: &[u8]) -> std::io::Result<()> {
    let mut header = tar::Header::new_ustar();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, path, bytes)
}

fn entry_path<R: Read>(entry: &tar::Entry<R>) -> String {
    entry
        .path_bytes()
        .iter()
        .map(|&b| if b.is_ascii() { b as char } else { '?' })
        .collect()
}

/// The voice's name, its language and how many takes follow.
fn read_head<R: Read>(mut entry: tar::Entry<R>) -> Result<(String, String, usize), VoiceFileError> {
    let path = entry_path(&entry);
    if path != HEAD || entry.size() > 4_096 {
        return Err(VoiceFileError::NotAVoice(format!(
            "its first entry is {path:?}, not {HEAD}"
        )));
    }
    let mut text = String::new();
    entry
        .read_to_string(&mut text)
        .map_err(|_| VoiceFileError::NotAVoice(format!("{HEAD} is not text")))?;
    let mut lines = text.lines();
    let field = |key: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(key))
            .map_or("", str::trim)
    };
    if lines.next() != Some(MARK) {
        return Err(VoiceFileError::NotAVoice(format!(
            "{HEAD} does not begin with \"{MARK}\" (a newer soothe may have made it)"
        )));
    }
    let name = field("name: ");
    if !is_plain(name) {
        return Err(VoiceFileError::Entry {
            entry: HEAD.into(),
            reason: format!(
                "the voice's name {name:?} is not a plain name (lowercase letters, digits, - and _)"
            ),
        });
    }
    let count = field("takes: ")
        .parse::<usize>()
        .ok()
        .filter(|n| *n <= MOST_TAKES)
        .ok_or_else(|| VoiceFileError::Entry {
            entry: HEAD.into(),
            reason: format!("it does not say how many takes follow (at most {MOST_TAKES})"),
        })?;
    let language = match field("language: ") {
        "" => "en",
        tag => tag,
    };
    let language = crate::session::language::find(language).map_err(|_| VoiceFileError::Entry {
        entry: HEAD.into(),
        reason: format!(
            "its takes speak {language:?}, a language this soothe does not know ({})",
            crate::session::language::listing()
        ),
    })?;
    Ok((name.to_string(), language.to_string(), count))
}

fn read_take<R: Read>(mut entry: tar::Entry<R>) -> Result<(String, Vec<u8>), VoiceFileError> {
    let path = entry_path(&entry);
    let refuse = |reason: String| VoiceFileError::Entry {
        entry: path.clone(),
        reason,
    };
    let id = path
        .strip_prefix(TAKES)
        .and_then(|rest| rest.strip_suffix(".wav"))
        .filter(|id| is_plain(id))
        .ok_or_else(|| {
            refuse("a voice holds only takes/<prompt>.wav, named after a prompt".into())
        })?
        .to_string();
    if entry.header().entry_type() != tar::EntryType::Regular {
        return Err(refuse("it is not a plain file".into()));
    }
    if entry.size() > MOST_TAKE_BYTES {
        return Err(refuse(format!(
            "it is {} MB; a take is at most {} MB",
            entry.size() >> 20,
            MOST_TAKE_BYTES >> 20
        )));
    }
    let mut bytes = Vec::with_capacity(entry.size() as usize);
    entry
        .read_to_end(&mut bytes)
        .map_err(|e| VoiceFileError::Damaged(crate::error::io_reason(&e)))?;
    if bytes.len() as u64 != entry.size() {
        return Err(VoiceFileError::Damaged(format!(
            "it is cut short inside {path}"
        )));
    }
    wav::wav_header(Cursor::new(&bytes)).map_err(|e| refuse(e.to_string()))?;
    Ok((id, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sound::audio::Mono;

    fn take(words: &str, value: f32) -> Vec<u8> {
        let audio = Mono {
            rate: 48_000,
            samples: vec![value; 4_800],
        };
        crate::encode::wav::take_bytes(&audio, words).unwrap()
    }

    fn voice() -> VoiceFile {
        VoiceFile {
            name: "mum".into(),
            language: "en".into(),
            takes: vec![
                ("welcome".into(), take("Hello, little one.", 0.25)),
                ("feet".into(), take("Now the feet.", -0.5)),
            ],
        }
    }

    fn archive(voice: &VoiceFile) -> Vec<u8> {
        voice.write(Vec::new()).unwrap()
    }

    #[test]
    fn a_voice_reads_back_as_written_take_for_take() {
        let written = voice();
        let read = VoiceFile::read(Cursor::new(archive(&written))).unwrap();
        assert_eq!(read, written);
        let (_, wav) = &read.takes[1];
        let mut reader = Cursor::new(wav);
        assert_eq!(
            crate::sound::words::recorded(&mut reader).as_deref(),
            Some("Now the feet.")
        );
    }

    /// An archive with `entries` (path, bytes) in order, the paths as
    /// given (another tar may write what tar::Builder refuses to).
    fn raw(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut tar = tar::Builder::new(Vec::new());
        for (path, bytes) in entries {
            let mut header = tar::Header::new_ustar();
            header.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            header.set_cksum();
            tar.append(&header, *bytes).unwrap();
        }
        tar.into_inner().unwrap()
    }

    fn refused(bytes: Vec<u8>) -> String {
        match VoiceFile::read(Cursor::new(bytes)) {
            Ok(voice) => panic!("read {} takes of {:?}", voice.takes.len(), voice.name),
            Err(err) => err.to_string(),
        }
    }

    const HEAD_ONE: &[u8] = b"soothe voice 1\nname: mum\ntakes: 1\n";

    #[test]
    fn an_archive_without_the_head_is_not_a_voice() {
        let wav = take("Hi.", 0.1);
        assert_eq!(
            refused(raw(&[("takes/feet.wav", &wav)])),
            "it is not a soothe voice (made by `soothe voices --export` or the web app): its first entry is \"takes/feet.wav\", not soothe-voice.txt"
        );
    }

    #[test]
    fn an_empty_file_is_not_a_voice() {
        assert_eq!(
            refused(Vec::new()),
            "it is not a soothe voice (made by `soothe voices --export` or the web app): it is empty"
        );
    }

    #[test]
    fn a_take_outside_takes_or_climbing_out_is_refused_by_name() {
        let head = HEAD_ONE;
        let wav = take("Hi.", 0.1);
        for path in [
            "../evil.wav",
            "takes/../../x.wav",
            "other.txt",
            "takes/Feet.wav",
        ] {
            assert_eq!(
                refused(raw(&[(HEAD, head), (path, &wav)])),
                format!("{path}: a voice holds only takes/<prompt>.wav, named after a prompt")
            );
        }
    }

    #[test]
    fn a_take_that_is_no_wav_is_refused_by_name() {
        let head = HEAD_ONE;
        let message = refused(raw(&[
            (HEAD, head),
            ("takes/feet.wav", b"RIFF????WAVEjunk"),
        ]));
        assert!(message.starts_with("takes/feet.wav: "), "{message}");
    }

    #[test]
    fn the_same_prompt_twice_is_refused() {
        let head = b"soothe voice 1\nname: mum\ntakes: 2\n".as_slice();
        let wav = take("Hi.", 0.1);
        assert_eq!(
            refused(raw(&[
                (HEAD, head),
                ("takes/feet.wav", &wav),
                ("takes/feet.wav", &wav)
            ])),
            "takes/feet.wav: this prompt's take is in the file twice"
        );
    }

    #[test]
    fn a_name_that_is_a_path_is_refused() {
        let head = b"soothe voice 1\nname: ../../etc\ntakes: 0\n".as_slice();
        assert_eq!(
            refused(raw(&[(HEAD, head)])),
            "soothe-voice.txt: the voice's name \"../../etc\" is not a plain name (lowercase letters, digits, - and _)"
        );
    }

    #[test]
    fn a_file_without_a_language_speaks_english_and_one_in_spanish_says_so() {
        let head = b"soothe voice 1\nname: mum\ntakes: 0\n".as_slice();
        let read = VoiceFile::read(Cursor::new(raw(&[(HEAD, head)]))).unwrap();
        assert_eq!(read.language, "en");
        let mut spanish = voice();
        spanish.language = "es".into();
        let read = VoiceFile::read(Cursor::new(archive(&spanish))).unwrap();
        assert_eq!(read.language, "es");
    }

    #[test]
    fn a_file_from_a_newer_soothe_says_so() {
        assert_eq!(
            refused(raw(&[(HEAD, b"soothe voice 2\nname: mum\n")])),
            "it is not a soothe voice (made by `soothe voices --export` or the web app): soothe-voice.txt does not begin with \"soothe voice 1\" (a newer soothe may have made it)"
        );
    }

    #[test]
    fn an_archive_cut_short_between_two_takes_is_damaged_not_a_smaller_voice() {
        let bytes = archive(&voice());
        let one = archive(&VoiceFile {
            name: "mum".into(),
            language: "en".into(),
            takes: voice().takes[..1].to_vec(),
        });
        // The head, then the first take: where the second would begin.
        let cut = one.len() - 1_024;
        assert_eq!(
            refused(bytes[..cut].to_vec()),
            "it is damaged: it is cut short: it should hold 2 takes and holds 1"
        );
    }

    #[test]
    fn an_archive_cut_short_inside_a_take_is_damaged() {
        let mut bytes = archive(&voice());
        bytes.truncate(bytes.len() - 3_000);
        assert_eq!(
            refused(bytes),
            "it is damaged: it is cut short inside takes/feet.wav"
        );
    }
}
