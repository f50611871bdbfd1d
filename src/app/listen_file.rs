//! `soothe listen --file PATH...`: does soothe hear crying in a recording
//! (a parent's memo of their baby, any test recording)? Each file is
//! decoded packet by packet and given to the engine's [`Watch`] in 20 ms
//! pieces, as `play --listen` gives it the microphone, with nothing
//! playing: what it calls crying would pause a session. One line per
//! file; a file that cannot be read is told on stderr and the others are
//! still heard.

use std::io::Write;
use std::path::{Path, PathBuf};

use symphonia::core::audio::SampleBuffer;
use symphonia::core::errors::Error as SymphoniaError;

use crate::record::import::{
    describe_error, first_track, not_whole, unpanicked, Ending, ImportError, Track,
};
use soothe_core::error::{shown, InvalidInput};
use soothe_core::listen::{poll_samples, Hearing, Sensitivity, Watch};

/// What was heard in a recording: when crying, else fussing, was first
/// said (seconds into it), or neither.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FileHeard {
    Crying(f64),
    Fussing(f64),
    Quiet,
}

impl FileHeard {
    /// What `soothe listen --file` says after the path.
    pub fn words(self) -> String {
        match self {
            FileHeard::Crying(t) => format!("crying from {t:.1} s"),
            FileHeard::Fussing(t) => format!("fussing from {t:.1} s"),
            FileHeard::Quiet => "quiet".into(),
        }
    }
}

/// Why a recording could not be heard; every message starts with it.
#[derive(Debug, thiserror::Error)]
pub enum HearError {
    #[error(transparent)]
    Open(ImportError),
    #[error("{path}: {reason}")]
    Damaged { path: String, reason: String },
}

impl From<ImportError> for HearError {
    fn from(error: ImportError) -> HearError {
        match error {
            // Told without the import's "nothing was saved": listening
            // saves nothing.
            ImportError::Damaged { path, reason } => HearError::Damaged { path, reason },
            other => HearError::Open(other),
        }
    }
}

/// Hears the recording at `path` from its first sample to its last, as
/// readily as `sensitivity` says. A decoder that panics on a damaged file
/// is caught and told as damage, never as a crash.
pub fn hear_file(path: &Path, sensitivity: Sensitivity) -> Result<FileHeard, HearError> {
    unpanicked(|| hear(path, sensitivity)).unwrap_or_else(|| {
        Err(HearError::Damaged {
            path: path.display().to_string(),
            reason: "the recording is damaged".into(),
        })
    })
}

fn hear(path: &Path, sensitivity: Sensitivity) -> Result<FileHeard, HearError> {
    let damaged = |reason: String| HearError::Damaged {
        path: path.display().to_string(),
        reason,
    };
    let Track {
        mut format,
        mut decoder,
        id,
        rate,
        promised,
    } = first_track(path)?;
    let mut listener: Option<Listener> = None;
    let mut buffer: Option<SampleBuffer<f32>> = None;
    let (mut frames, mut good, mut bad) = (0u64, 0u64, 0u64);
    loop {
        let packet = match format.next_packet() {
            Ok(packet) => packet,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                break
            }
            Err(SymphoniaError::ResetRequired) => break,
            Err(e) => return Err(damaged(describe_error(&e))),
        };
        if packet.track_id() != id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(decoded) => decoded,
            // Some decoders need a packet or two to find their feet.
            Err(SymphoniaError::DecodeError(_)) if good == 0 && bad < 8 => {
                bad += 1;
                continue;
            }
            Err(e) => return Err(damaged(describe_error(&e))),
        };
        let spec = *decoded.spec();
        rate_refused(path, spec.rate, listener.as_ref().map(|l| l.rate))?;
        let listener = listener.get_or_insert_with(|| Listener::new(spec.rate, sensitivity));
        good += 1;
        frames += decoded.frames() as u64;
        let samples =
            buffer.get_or_insert_with(|| SampleBuffer::new(decoded.capacity() as u64, spec));
        if samples.capacity() < decoded.capacity() * spec.channels.count() {
            *samples = SampleBuffer::new(decoded.capacity() as u64, spec);
        }
        samples.copy_interleaved_ref(decoded);
        listener.hear(samples.samples(), spec.channels.count().max(1));
    }
    // A recording cut short or damaged is refused, as an import refuses
    // it: what was heard of it would not be what it holds.
    let read = Ending {
        rate: listener.as_ref().map_or(rate, |listener| listener.rate),
        frames,
        promised,
        good,
        bad,
    };
    if let Some(reason) = not_whole(path, decoder.as_mut(), &read) {
        return Err(damaged(reason));
    }
    let listener = listener.ok_or_else(|| damaged("there is no sound in it".into()))?;
    Ok(listener.heard())
}

/// Refuses a sample rate no recording has (as the import refuses it), or
/// one that changes partway through.
fn rate_refused(path: &Path, rate: u32, was: Option<u32>) -> Result<(), HearError> {
    let shown = path.display().to_string();
    if !soothe_core::sound::wav::RATES.contains(&rate) {
        return Err(HearError::Open(ImportError::NotAudio {
            path: shown,
            reason: format!("it says its sample rate is {rate} Hz, which no recording has"),
        }));
    }
    match was {
        Some(was) if was != rate => Err(HearError::Damaged {
            path: shown,
            reason: "the recording is damaged: its sample rate changes partway through".into(),
        }),
        _ => Ok(()),
    }
}

/// A recording's sound on its way to the engine's [`Watch`], in the
/// pieces a microphone gives, and when it first heard crying or fussing.
struct Listener {
    watch: Watch,
    rate: u32,
    /// Mixed to mono, not yet a whole piece.
    mono: Vec<f32>,
    fed: u64,
    crying: Option<f64>,
    fussing: Option<f64>,
}

impl Listener {
    fn new(rate: u32, sensitivity: Sensitivity) -> Listener {
        Listener {
            watch: Watch::new(rate, rate, sensitivity),
            rate,
            mono: Vec::new(),
            fed: 0,
            crying: None,
            fussing: None,
        }
    }

    /// Hears interleaved samples of `channels` channels.
    fn hear(&mut self, interleaved: &[f32], channels: usize) {
        self.mono.extend(
            interleaved
                .chunks(channels)
                .map(|frame| frame.iter().sum::<f32>() / channels as f32),
        );
        // In the pieces a microphone gives: one poll's.
        let piece = poll_samples(self.rate);
        let whole = self.mono.len() / piece * piece;
        for chunk in self.mono[..whole].chunks(piece) {
            let hearing = self.watch.hear(chunk, |_| {});
            self.fed += chunk.len() as u64;
            let t = self.fed as f64 / f64::from(self.rate);
            match hearing {
                Hearing::Crying => self.crying = self.crying.or(Some(t)),
                Hearing::Fussing => self.fussing = self.fussing.or(Some(t)),
                Hearing::Quiet => {}
            }
        }
        self.mono.drain(..whole);
    }

    fn heard(&self) -> FileHeard {
        match (self.crying, self.fussing) {
            (Some(t), _) => FileHeard::Crying(t),
            (None, Some(t)) => FileHeard::Fussing(t),
            (None, None) => FileHeard::Quiet,
        }
    }
}

/// Hears each file in turn: `PATH: crying from 1.6 s`, `PATH: fussing
/// from 2.2 s` or `PATH: quiet`; those that could not be heard make the
/// command fail once the others have been.
pub fn run(paths: &[PathBuf], sensitivity: Sensitivity) -> anyhow::Result<()> {
    let mut out = crate::stdout::lock();
    let mut bad = 0;
    for path in paths {
        match hear_file(path, sensitivity) {
            Ok(heard) => writeln!(
                out,
                "{}: {}",
                shown(&path.display().to_string()),
                heard.words()
            )?,
            Err(e) => {
                out.flush()?;
                bad += 1;
                eprintln!("soothe: {}", shown(&e.to_string()));
            }
        }
    }
    if bad > 0 {
        return Err(InvalidInput(format!(
            "{bad} of {} recordings could not be heard",
            paths.len()
        ))
        .into());
    }
    Ok(())
}
