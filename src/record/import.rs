//! Reading a recording made elsewhere (a phone memo or a voice note): wav,
//! mp3, m4a (AAC or ALAC), ogg (Vorbis or Opus), opus or flac, decoded
//! with symphonia to mono at the session's rate, packet by packet: however
//! long the file and high its rate, no more than [`MAX_SECONDS`] of the
//! take at the session's rate is ever held, and a longer recording is
//! refused once decoding passes that length.

use std::fs::File;
use std::path::Path;

use symphonia::core::audio::{AudioBufferRef, SampleBuffer, SignalSpec};
use symphonia::core::codecs::{Decoder, DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use soothe_core::error::io_reason;
use soothe_core::sound::audio::Mono;
use soothe_core::take::process::{self, ProcessError, Processed};

mod ogg;
mod opus;
mod stream;
mod whole;
use stream::{Clipping, Resampling};
pub use whole::{not_whole, Ending};

/// The longest recording taken in: a prompt is a sentence or two, and a
/// take from the microphone lasts at most a minute too.
pub const MAX_SECONDS: u64 = 60;
/// What `--import` reads, for messages.
pub const FORMATS: &str = "wav, mp3, m4a (AAC or ALAC), ogg (Vorbis or Opus), opus or flac";

/// Why a file could not be imported. Every message starts with the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The disk would not give the file up. The error itself is kept,
    /// shown without Rust's "(os error N)".
    #[error("{path}: cannot read it: {}", io_reason(.error))]
    Unreadable { path: String, error: std::io::Error },
    /// A folder, a pipe or a device where a recording should be.
    #[error("{path}: cannot read it: it is {kind}, not a recording")]
    NotAFile { path: String, kind: &'static str },
    #[error("{path}: not a recording soothe can read ({reason}); it reads {FORMATS}")]
    NotAudio { path: String, reason: String },
    /// A recording soothe can read, but not whole: cut short or damaged.
    #[error("{path}: {reason}; nothing was saved")]
    Damaged { path: String, reason: String },
    #[error("{path}: it is longer than {MAX_SECONDS} seconds, the most a prompt's take may last; cut out the prompt's words and import those; nothing was saved")]
    TooLong { path: String },
    #[error("{path}: there is no sound in it")]
    Empty { path: String },
}

/// A recording decoded for a take.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Mono, at the rate asked for.
    pub audio: Mono,
    /// The microphone was driven to full scale somewhere (told at the
    /// recording's own rate: resampling rounds a clipped run off).
    pub clipped: bool,
}

impl Decoded {
    /// Cleaned up as every take is ([`process::process`]), clipping as
    /// the recording had it.
    pub fn process(&self) -> Result<Processed, ProcessError> {
        let mut processed = process::process(&self.audio, self.audio.rate)?;
        processed.clipped = self.clipped;
        Ok(processed)
    }
}

/// Decodes the first audio track of the file at `path`, mixed to mono
/// and resampled to `rate` packet by packet.
///
/// The file comes from anywhere, so a decoder that panics on a damaged
/// one is caught and reported as damaged audio, never as a crash.
pub fn decode_file(path: &Path, rate: u32) -> Result<Decoded, ImportError> {
    unpanicked(|| decode(path, rate)).unwrap_or_else(|| {
        Err(ImportError::Damaged {
            path: path.display().to_string(),
            reason: "the recording is damaged".into(),
        })
    })
}

/// `decode()`'s result, or `None` if a decoder panicked on the way (on a
/// damaged file from anywhere), with the panic's message kept off stderr.
pub fn unpanicked<T>(decode: impl FnOnce() -> T) -> Option<T> {
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode));
    std::panic::set_hook(quiet);
    result.ok()
}

/// The first audio track of the file at `path`, opened as [`decode_file`]
/// opens it (the same refusals), for a reader that takes the packets
/// itself and then asks [`not_whole`] of what it read.
pub fn first_track(path: &Path) -> Result<Track, ImportError> {
    let why = Why {
        shown: path.display().to_string(),
    };
    let file = open(path, &why)?;
    probe(path, file, &why)
}

/// What a decoder's error says, for a message.
pub fn describe_error(err: &SymphoniaError) -> String {
    describe(err)
}

fn decode(path: &Path, rate: u32) -> Result<Decoded, ImportError> {
    let why = Why {
        shown: path.display().to_string(),
    };
    let file = open(path, &why)?;
    let track = probe(path, file, &why)?;
    let read = read(track, rate, &why)?;
    whole(path, read, &why)
}

/// The errors of one file, each naming it.
struct Why {
    shown: String,
}

impl Why {
    fn not_audio(&self, reason: String) -> ImportError {
        ImportError::NotAudio {
            path: self.shown.clone(),
            reason,
        }
    }

    fn damaged(&self, reason: String) -> ImportError {
        ImportError::Damaged {
            path: self.shown.clone(),
            reason,
        }
    }

    fn unreadable(&self, error: std::io::Error) -> ImportError {
        ImportError::Unreadable {
            path: self.shown.clone(),
            error,
        }
    }

    fn too_long(&self) -> ImportError {
        ImportError::TooLong {
            path: self.shown.clone(),
        }
    }

    /// Once the format is known, a decoder's error means a damaged file.
    fn damaged_by(&self, err: &SymphoniaError) -> ImportError {
        match err {
            SymphoniaError::Unsupported(_) => self.not_audio(describe(err)),
            _ => self.damaged(describe(err)),
        }
    }
}

/// Opens the file, refusing what is not an ordinary file or is empty.
fn open(path: &Path, why: &Why) -> Result<File, ImportError> {
    let metadata = std::fs::metadata(path).map_err(|e| why.unreadable(e))?;
    if let Some(kind) = soothe_core::error::not_a_file(&metadata) {
        return Err(ImportError::NotAFile {
            path: why.shown.clone(),
            kind,
        });
    }
    if metadata.len() == 0 {
        return Err(ImportError::Empty {
            path: why.shown.clone(),
        });
    }
    File::open(path).map_err(|e| why.unreadable(e))
}

/// The first audio track of a file, ready to decode.
pub struct Track {
    pub format: Box<dyn FormatReader>,
    pub decoder: Box<dyn Decoder>,
    pub id: u32,
    /// As the container says (0: it does not).
    pub rate: u32,
    /// The frames the container promises, to tell a whole file from a
    /// cut one.
    pub promised: Option<u64>,
}

/// Finds the file's format, its first audio track and a decoder for it.
fn probe(path: &Path, file: File, why: &Why) -> Result<Track, ImportError> {
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(&ext.to_ascii_lowercase());
    }
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            stream,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|e| match &e {
            SymphoniaError::IoError(io) if io.kind() != std::io::ErrorKind::UnexpectedEof => {
                why.not_audio(describe(&e))
            }
            _ => why.damaged_by(&e),
        })?;
    let format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL && t.codec_params.sample_rate.is_some())
        .ok_or_else(|| why.not_audio("no audio track in it".into()))?;
    let track_id = track.id;
    let decoder = opus::codecs()
        .make(&track.codec_params, &DecoderOptions { verify: true })
        .map_err(|e| why.not_audio(describe(&e)))?;
    let rate = track.codec_params.sample_rate.unwrap_or(0);
    // An Ogg file damaged partway is read to the damage, its length
    // unsaid: its last page says it (read only then).
    let frames = track
        .codec_params
        .n_frames
        .or_else(|| match ogg::tail(path) {
            ogg::Tail::Whole { granule } => Some(granule),
            _ => None,
        });
    let promised = opus::promised(&track.codec_params, frames);
    Ok(Track {
        format,
        decoder,
        id: track_id,
        rate,
        promised,
    })
}

/// What [`read`] decoded, before the checks that it is whole.
struct Read {
    decoder: Box<dyn Decoder>,
    mixed: Mixer,
    /// The frames the container promises.
    promised: Option<u64>,
    /// Packets decoded, and those refused before the first good one.
    good: u64,
    bad: u64,
}

/// Decodes every packet of the track, mixed to mono and resampled to
/// `to` Hz as it goes; refuses it once it is longer than [`MAX_SECONDS`].
fn read(track: Track, to: u32, why: &Why) -> Result<Read, ImportError> {
    let Track {
        mut format,
        mut decoder,
        id: track_id,
        rate,
        promised,
    } = track;
    // Refused at once when the file says how long it is; else (or if it
    // says less than it holds) once decoding passes the limit.
    if promised.is_some_and(|frames| past_the_limit(frames, rate)) {
        return Err(why.too_long());
    }
    let mut mixed = Mixer::new(rate, to);
    let (mut good, mut bad) = (0u64, 0u64);
    loop {
        let packet = match format.next_packet() {
            Ok(packet) => packet,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                break
            }
            Err(SymphoniaError::ResetRequired) => break,
            Err(SymphoniaError::IoError(e)) => return Err(why.unreadable(e)),
            // Damage anywhere, even near the end, is refused: a shorter
            // take than the parent spoke would be a wrong one.
            Err(e) => return Err(why.damaged_by(&e)),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(decoded) => decoded,
            Err(SymphoniaError::DecodeError(_)) if good == 0 && bad < 8 => {
                // Some decoders need a packet or two to find their feet.
                bad += 1;
                continue;
            }
            Err(e) => return Err(why.damaged_by(&e)),
        };
        good += 1;
        mixed.add(decoded, why)?;
        if past_the_limit(mixed.frames, mixed.rate) {
            return Err(why.too_long());
        }
    }
    Ok(Read {
        decoder,
        mixed,
        promised,
        good,
        bad,
    })
}

/// Whether `frames` at `rate` last longer than [`MAX_SECONDS`].
fn past_the_limit(frames: u64, rate: u32) -> bool {
    rate > 0 && frames > MAX_SECONDS * u64::from(rate)
}

/// Decoded packets mixed to mono and resampled as they come, with what is
/// told of them on the way.
struct Mixer {
    /// The recording's own rate (as the container says, until a packet
    /// says otherwise), and the rate asked for.
    rate: u32,
    to: u32,
    /// Frames decoded.
    frames: u64,
    resampled: Option<Resampling>,
    downmix: soothe_core::sound::audio::Downmix,
    clipping: Clipping,
    /// One packet's samples, interleaved and then mixed.
    buffer: Option<(SampleBuffer<f32>, SignalSpec)>,
    mono: Vec<f32>,
}

impl Mixer {
    fn new(rate: u32, to: u32) -> Mixer {
        Mixer {
            rate,
            to,
            frames: 0,
            resampled: None,
            downmix: soothe_core::sound::audio::Downmix::default(),
            clipping: Clipping::default(),
            buffer: None,
            mono: Vec::new(),
        }
    }

    fn add(&mut self, decoded: AudioBufferRef<'_>, why: &Why) -> Result<(), ImportError> {
        let spec = *decoded.spec();
        let resampled = match &mut self.resampled {
            Some(resampled) if resampled.from() == spec.rate => resampled,
            Some(_) => {
                return Err(why.damaged(
                    "the recording is damaged: its sample rate changes partway through".into(),
                ))
            }
            None if soothe_core::sound::wav::RATES.contains(&spec.rate) => {
                self.rate = spec.rate;
                self.resampled.insert(Resampling::new(spec.rate, self.to))
            }
            None => {
                return Err(why.not_audio(format!(
                    "it says its sample rate is {} Hz, which no recording has",
                    spec.rate
                )))
            }
        };
        let channels = spec.channels.count().max(1);
        let needed = decoded.capacity() as u64 * channels as u64;
        let fits = matches!(&self.buffer, Some((buf, had)) if *had == spec && buf.capacity() as u64 >= needed);
        if !fits {
            self.buffer = None;
        }
        let (buf, _) = self
            .buffer
            .get_or_insert_with(|| (SampleBuffer::new(decoded.capacity() as u64, spec), spec));
        buf.copy_interleaved_ref(decoded);
        let interleaved = buf.samples();
        self.mono.clear();
        self.mono.extend(
            interleaved
                .chunks_exact(channels)
                .map(|frame| frame.iter().sum::<f32>() / channels as f32),
        );
        if channels > 1 {
            self.downmix.add(interleaved, &self.mono, channels);
        }
        self.clipping.add(&self.mono);
        resampled.push(&self.mono);
        self.frames += self.mono.len() as u64;
        Ok(())
    }
}

/// Refuses a recording that is damaged, cut short or silent.
fn whole(path: &Path, read: Read, why: &Why) -> Result<Decoded, ImportError> {
    let Read {
        mut decoder,
        mixed,
        promised,
        good,
        bad,
    } = read;
    let Mixer {
        rate,
        frames,
        resampled,
        downmix,
        clipping,
        ..
    } = mixed;
    let read = Ending {
        rate,
        frames,
        promised,
        good,
        bad,
    };
    if let Some(reason) = not_whole(path, decoder.as_mut(), &read) {
        return Err(why.damaged(reason));
    }
    if downmix.cancelled() {
        return Err(why.damaged(soothe_core::sound::audio::CANCELLED.into()));
    }
    match resampled {
        Some(resampled) if frames > 0 => Ok(Decoded {
            audio: resampled.finish(),
            clipped: clipping.clipped(),
        }),
        _ => Err(ImportError::Empty {
            path: why.shown.clone(),
        }),
    }
}

fn describe(err: &SymphoniaError) -> String {
    match err {
        SymphoniaError::Unsupported(what) => format!("unsupported: {what}"),
        SymphoniaError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the recording ends too soon, as if cut short".into()
        }
        SymphoniaError::IoError(e) => io_reason(e),
        SymphoniaError::DecodeError(what) => format!("the recording is damaged ({what})"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `main` prints: the error and every source under it.
    fn printed(err: ImportError) -> String {
        format!("{:#}", anyhow::Error::from(err))
    }

    #[test]
    fn a_file_that_cannot_be_read_keeps_its_io_error_and_its_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("memo.wav");
        let err = decode(&path, 48_000).unwrap_err();
        let words = format!(
            "{}: cannot read it: No such file or directory",
            path.display()
        );
        assert_eq!(err.to_string(), words);
        match &err {
            ImportError::Unreadable { error, .. } => {
                assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("not Unreadable: {other:?}"),
        }
        assert_eq!(printed(err), words);
    }

    /// A quiet 8 kHz WAV of `frames` frames.
    fn wav(dir: &Path, frames: u64) -> std::path::PathBuf {
        let path = dir.join(format!("{frames}.wav"));
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 8_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer = hound::WavWriter::create(&path, spec).unwrap();
        for i in 0..frames {
            writer.write_sample((i % 64) as i16 - 32).unwrap();
        }
        writer.finalize().unwrap();
        path
    }

    #[test]
    fn a_memo_of_exactly_60_seconds_is_taken_and_one_frame_more_is_refused_by_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let limit = MAX_SECONDS * 8_000;
        let decoded = decode(&wav(dir.path(), limit), 16_000).unwrap();
        assert_eq!(decoded.audio.rate, 16_000);
        assert_eq!(decoded.audio.samples.len() as u64, 2 * limit);
        let longer = wav(dir.path(), limit + 1);
        let err = decode(&longer, 16_000).unwrap_err();
        assert_eq!(
            printed(err),
            format!("{}: it is longer than 60 seconds, the most a prompt's take may last; cut out the prompt's words and import those; nothing was saved", longer.display())
        );
    }

    #[test]
    fn a_61_second_memo_that_does_not_say_its_length_is_refused_once_decoding_passes_60() {
        let dir = tempfile::tempdir().unwrap();
        let path = wav(dir.path(), 61 * 8_000);
        let why = Why {
            shown: "memo.wav".into(),
        };
        let mut track = probe(&path, open(&path, &why).unwrap(), &why).unwrap();
        assert_eq!(track.promised, Some(61 * 8_000));
        track.promised = None;
        match read(track, 48_000, &why) {
            Err(ImportError::TooLong { path }) => assert_eq!(path, "memo.wav"),
            Err(other) => panic!("{other}"),
            Ok(_) => panic!("a 61-second memo was taken"),
        }
    }

    #[test]
    fn a_folder_is_not_a_recording() {
        let dir = tempfile::tempdir().unwrap();
        let err = decode(dir.path(), 48_000).unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::NotAFile {
                    kind: "a folder",
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            printed(err),
            format!(
                "{}: cannot read it: it is a folder, not a recording",
                dir.path().display()
            )
        );
    }
}
