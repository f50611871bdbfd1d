//! The parent's own voice in the browser, as `soothe record` makes it:
//! a [`Take`] listens to the microphone until the parent has spoken and
//! fallen silent (the engine's speech detector), and is cleaned up by the
//! engine's own processing (rumble filter, trim, EBU R128 loudness) into
//! the WAV a voice folder holds, the words inside it. A [`Voice`] is the
//! takes the page keeps on the phone, read from and written to the one
//! file `soothe voices --export` and `--import` use.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::Arc;

use soothe_core::sound::audio::Mono;
use soothe_core::sound::guide::Guide;
use soothe_core::sound::voice_file::{is_plain, VoiceFile};
use soothe_core::take::process::process;
use soothe_core::take::speech::{Limits, SpeechDetector, Stop};

/// A parent's voice: takes by prompt id, each a WAV file's bytes.
#[derive(Debug, Clone, Default)]
pub struct Voice {
    pub name: String,
    /// The language its takes speak.
    pub language: String,
    pub takes: HashMap<String, Arc<[u8]>>,
}

impl Voice {
    /// An empty voice named `name` (lowercase letters, digits, - and _),
    /// speaking `language`.
    pub fn new(name: &str, language: &str) -> Result<Voice, String> {
        if !is_plain(name) {
            return Err(format!(
                "\"{name}\" cannot name a voice: use lowercase letters, digits, - and _"
            ));
        }
        Ok(Voice {
            name: name.to_string(),
            language: language.to_string(),
            takes: HashMap::new(),
        })
    }

    /// The voice in a file made by `soothe voices --export` (or this app).
    pub fn from_file(bytes: &[u8]) -> Result<Voice, String> {
        let file = VoiceFile::read(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        Ok(Voice {
            name: file.name,
            language: file.language,
            takes: (file.takes.into_iter())
                .map(|(id, wav)| (id, Arc::from(wav)))
                .collect(),
        })
    }

    /// The file `soothe voices --import` reads, takes in id order.
    pub fn to_file(&self) -> Vec<u8> {
        let mut takes: Vec<(String, Vec<u8>)> = (self.takes.iter())
            .map(|(id, wav)| (id.clone(), wav.to_vec()))
            .collect();
        takes.sort();
        let file = VoiceFile {
            name: self.name.clone(),
            language: self.language.clone(),
            takes,
        };
        // Writing into memory cannot fail.
        file.write(Vec::new()).unwrap_or_default()
    }
}

/// What a take in progress has heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// Nothing but silence or noise yet.
    Waiting,
    /// The parent is speaking.
    Speaking,
    /// Speech, then silence: the take is done.
    Done,
    /// Speech went on for the longest a take may last.
    TooLong,
    /// No speech came: there is nothing to keep.
    Nothing,
}

impl Heard {
    pub fn word(self) -> &'static str {
        match self {
            Heard::Waiting => "waiting",
            Heard::Speaking => "speaking",
            Heard::Done => "done",
            Heard::TooLong => "too-long",
            Heard::Nothing => "nothing",
        }
    }
}

/// One take from the microphone.
pub struct Take {
    rate: u32,
    detector: SpeechDetector,
    samples: Vec<f32>,
    ended: Option<Heard>,
}

impl Take {
    /// A take from a microphone at `rate` Hz.
    pub fn new(rate: u32) -> Take {
        Take {
            rate,
            detector: SpeechDetector::new(rate, Limits::at(rate)),
            samples: Vec::new(),
            ended: None,
        }
    }

    /// Hears the microphone's latest samples.
    pub fn push(&mut self, samples: &[f32]) -> Heard {
        if let Some(ended) = self.ended {
            return ended;
        }
        match self.detector.push(samples) {
            Some((stop, used)) => {
                self.samples.extend_from_slice(&samples[..used]);
                let ended = match stop {
                    Stop::Silence => Heard::Done,
                    Stop::MaxLength => Heard::TooLong,
                    Stop::NoSpeech => Heard::Nothing,
                };
                self.ended = Some(ended);
                ended
            }
            None => {
                self.samples.extend_from_slice(samples);
                if self.detector.heard_speech() {
                    Heard::Speaking
                } else {
                    Heard::Waiting
                }
            }
        }
    }

    /// The parent stopped the take by hand.
    pub fn stop(&mut self) -> Heard {
        *self.ended.get_or_insert(if self.detector.heard_speech() {
            Heard::Done
        } else {
            Heard::Nothing
        })
    }

    /// The take cleaned up and brought to `rate`, as a WAV holding
    /// `words`; or why there is nothing to keep.
    pub fn finish(&self, words: &str, rate: u32) -> Result<Vec<u8>, String> {
        let raw = Mono {
            rate: self.rate,
            samples: self.samples.clone(),
        };
        let processed = process(&raw, rate).map_err(|_| {
            "No speech was heard in that take. Hold the phone closer and try again.".to_string()
        })?;
        soothe_core::encode::wav::take_bytes(&processed.audio, words).map_err(|e| e.to_string())
    }
}

/// A language's guide voice as the page loads it: one tar file,
/// guides/<tag>.tar (made by tools/build-web from the engine's
/// `audio/guide-<tag>/`, English's from `audio/guide/`), of its
/// `manifest.tsv` and an Ogg Vorbis recording per prompt.
pub fn guide_from_tar(language: &str, bytes: &[u8]) -> Result<Guide, String> {
    let bad = |why: String| format!("the guide voice for {language} is damaged: {why}");
    let mut archive = tar::Archive::new(Cursor::new(bytes));
    let mut manifest = String::new();
    let mut takes = Vec::new();
    for entry in archive.entries().map_err(|e| bad(e.to_string()))? {
        let mut entry = entry.map_err(|e| bad(e.to_string()))?;
        let path = entry.path().map_err(|e| bad(e.to_string()))?;
        let name = path.to_string_lossy().into_owned();
        if name == "manifest.tsv" {
            entry
                .read_to_string(&mut manifest)
                .map_err(|e| bad(e.to_string()))?;
        } else if let Some(id) = name.strip_suffix(".ogg").filter(|id| is_plain(id)) {
            let mut ogg = Vec::new();
            entry
                .read_to_end(&mut ogg)
                .map_err(|e| bad(e.to_string()))?;
            takes.push((id.to_string(), ogg));
        }
    }
    if manifest.is_empty() {
        return Err(bad("it has no manifest.tsv".into()));
    }
    Ok(Guide::from_files(language, &manifest, takes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use soothe_core::take::testsignal::Signal;

    #[test]
    fn a_spoken_take_ends_on_silence_and_is_kept_as_a_take_at_the_sessions_rate() {
        let rate = 44_100;
        let mut signal = Signal::seeded(rate, 3);
        signal.noise(0.5, -60.0);
        signal.speech(1.5, -24.0, -60.0);
        signal.noise(2.5, -60.0);
        let mut take = Take::new(rate);
        let mut last = Heard::Waiting;
        let mut saw_speaking = false;
        for piece in signal.samples.chunks(128) {
            last = take.push(piece);
            saw_speaking |= last == Heard::Speaking;
        }
        assert!(saw_speaking);
        assert_eq!(last, Heard::Done);
        let wav = take.finish("Now the feet.", 48_000).unwrap();
        let mut reader = Cursor::new(&wav);
        let info = soothe_core::sound::wav::wav_header(&mut reader).unwrap();
        assert_eq!((info.rate, info.channels), (48_000, 1));
        // The speech and its margins (0.15 s before, 0.25 s after).
        let seconds = info.frames as f64 / 48_000.0;
        assert!((seconds - 1.9).abs() < 0.1, "{seconds} s");
        let mut reader = Cursor::new(&wav);
        assert_eq!(
            soothe_core::sound::words::recorded(&mut reader).as_deref(),
            Some("Now the feet.")
        );
    }

    #[test]
    fn a_silent_take_stopped_by_hand_keeps_nothing() {
        let mut take = Take::new(16_000);
        take.push(&vec![0.0; 16_000]);
        assert_eq!(take.stop(), Heard::Nothing);
        assert_eq!(
            take.finish("Hello.", 48_000).unwrap_err(),
            "No speech was heard in that take. Hold the phone closer and try again."
        );
    }

    #[test]
    fn a_voice_goes_to_a_file_and_back_as_the_command_line_reads_it() {
        let mut voice = Voice::new("mum", "en").unwrap();
        voice
            .takes
            .insert("feet".into(), Arc::from(wav_of("Now the feet.")));
        voice
            .takes
            .insert("close".into(), Arc::from(wav_of("All done.")));
        let bytes = voice.to_file();
        let back = Voice::from_file(&bytes).unwrap();
        assert_eq!(back.name, "mum");
        assert_eq!(back.takes, voice.takes);
        let file = VoiceFile::read(Cursor::new(&bytes)).unwrap();
        let ids: Vec<&str> = file.takes.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["close", "feet"]);
    }

    #[test]
    fn a_name_with_a_slash_cannot_name_a_voice() {
        assert_eq!(
            Voice::new("../mum", "en").unwrap_err(),
            "\"../mum\" cannot name a voice: use lowercase letters, digits, - and _"
        );
    }

    fn wav_of(words: &str) -> Vec<u8> {
        let audio = Mono {
            rate: 48_000,
            samples: vec![0.1; 4_800],
        };
        soothe_core::encode::wav::take_bytes(&audio, words).unwrap()
    }
}
