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

use crate::record::import::{describe_error, first_track, ImportError};
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
    Open(#[from] ImportError),
    #[error("{path}: {reason}")]
    Damaged { path: String, reason: String },
}

/// Hears the recording at `path` from its first sample to its last, as
/// readily as `sensitivity` says.
pub fn hear_file(path: &Path, sensitivity: Sensitivity) -> Result<FileHeard, HearError> {
    let damaged = |reason: String| HearError::Damaged {
        path: path.display().to_string(),
        reason,
    };
    let (mut format, mut decoder, track) = first_track(path)?;
    let mut listening: Option<(Watch, u32)> = None;
    let mut buffer: Option<SampleBuffer<f32>> = None;
    let mut mono = Vec::new();
    let (mut fed, mut crying, mut fussing) = (0u64, None, None);
    let mut refused = 0;
    loop {
        let packet = match format.next_packet() {
            Ok(packet) => packet,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                break
            }
            Err(SymphoniaError::ResetRequired) => break,
            Err(e) => return Err(damaged(describe_error(&e))),
        };
        if packet.track_id() != track {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(decoded) => decoded,
            // Some decoders need a packet or two to find their feet.
            Err(SymphoniaError::DecodeError(_)) if listening.is_none() && refused < 8 => {
                refused += 1;
                continue;
            }
            Err(e) => return Err(damaged(describe_error(&e))),
        };
        let spec = *decoded.spec();
        let (watch, rate) = listening
            .get_or_insert_with(|| (Watch::new(spec.rate, spec.rate, sensitivity), spec.rate));
        if spec.rate != *rate || spec.rate == 0 {
            return Err(damaged(
                "the recording is damaged: its sample rate changes partway through".into(),
            ));
        }
        let samples =
            buffer.get_or_insert_with(|| SampleBuffer::new(decoded.capacity() as u64, spec));
        if samples.capacity() < decoded.capacity() * spec.channels.count() {
            *samples = SampleBuffer::new(decoded.capacity() as u64, spec);
        }
        samples.copy_interleaved_ref(decoded);
        let channels = spec.channels.count().max(1);
        mono.extend(
            samples
                .samples()
                .chunks(channels)
                .map(|frame| frame.iter().sum::<f32>() / channels as f32),
        );
        // In the pieces a microphone gives: one poll's.
        let piece = poll_samples(*rate);
        let whole = mono.len() / piece * piece;
        for chunk in mono[..whole].chunks(piece) {
            let hearing = watch.hear(chunk, |_| {});
            fed += chunk.len() as u64;
            let t = fed as f64 / f64::from(*rate);
            match hearing {
                Hearing::Crying => crying = crying.or(Some(t)),
                Hearing::Fussing => fussing = fussing.or(Some(t)),
                Hearing::Quiet => {}
            }
        }
        mono.drain(..whole);
    }
    if listening.is_none() {
        return Err(damaged("there is no sound in it".into()));
    }
    Ok(match (crying, fussing) {
        (Some(t), _) => FileHeard::Crying(t),
        (None, Some(t)) => FileHeard::Fussing(t),
        (None, None) => FileHeard::Quiet,
    })
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
