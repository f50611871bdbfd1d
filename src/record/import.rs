//! Reading a recording made elsewhere (a phone memo): wav, mp3, m4a
//! (AAC or ALAC), ogg vorbis or flac, decoded with symphonia to mono.

use std::fs::File;
use std::path::Path;

use symphonia::core::audio::{SampleBuffer, SignalSpec};
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::audio::Mono;

/// The longest recording taken in: a prompt is a few sentences.
pub const MAX_SECONDS: u64 = 5 * 60;
/// What `--import` reads, for messages.
pub const FORMATS: &str = "wav, mp3, m4a (AAC or ALAC), ogg (Vorbis) or flac";

/// Why a file could not be imported. Every message starts with the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read it: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}: not a recording soothe can read ({reason}); it reads {FORMATS}")]
    NotAudio { path: String, reason: String },
    #[error("{path}: it is longer than {} minutes; cut out the prompt's words first", MAX_SECONDS / 60)]
    TooLong { path: String },
    #[error("{path}: there is no sound in it")]
    Empty { path: String },
}

/// Decodes the first audio track of the file at `path`, mixed to mono.
///
/// The file comes from anywhere, so a decoder that panics on a damaged
/// one is caught and reported as damaged audio, never as a crash.
pub fn decode_file(path: &Path) -> Result<Mono, ImportError> {
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| decode(path));
    std::panic::set_hook(quiet);
    result.unwrap_or_else(|_| {
        Err(ImportError::NotAudio {
            path: path.display().to_string(),
            reason: "its audio is damaged".into(),
        })
    })
}

fn decode(path: &Path) -> Result<Mono, ImportError> {
    let shown = path.display().to_string();
    let not_audio = |reason: String| ImportError::NotAudio {
        path: shown.clone(),
        reason,
    };
    let metadata = std::fs::metadata(path).map_err(|e| ImportError::Unreadable {
        path: shown.clone(),
        reason: crate::error::io_reason(&e),
    })?;
    if metadata.is_dir() {
        return Err(ImportError::Unreadable {
            path: shown,
            reason: "it is a folder".into(),
        });
    }
    if metadata.len() == 0 {
        return Err(ImportError::Empty { path: shown });
    }
    let file = File::open(path).map_err(|e| ImportError::Unreadable {
        path: shown.clone(),
        reason: crate::error::io_reason(&e),
    })?;
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
        .map_err(|e| not_audio(describe(&e)))?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL && t.codec_params.sample_rate.is_some())
        .ok_or_else(|| not_audio("no audio track in it".into()))?;
    let track_id = track.id;
    let mut decoder = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .map_err(|e| not_audio(describe(&e)))?;
    let mut rate = track.codec_params.sample_rate.unwrap_or(0);

    let mut samples: Vec<f32> = Vec::new();
    let mut buffer: Option<(SampleBuffer<f32>, SignalSpec)> = None;
    let (mut good, mut bad) = (0u64, 0u64);
    loop {
        let packet = match format.next_packet() {
            Ok(packet) => packet,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                break
            }
            Err(SymphoniaError::ResetRequired) => break,
            Err(SymphoniaError::IoError(e)) => {
                return Err(ImportError::Unreadable {
                    path: shown,
                    reason: crate::error::io_reason(&e),
                })
            }
            Err(e) if good == 0 => return Err(not_audio(describe(&e))),
            // A damaged end of an otherwise good file: keep what came before.
            Err(_) => break,
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(decoded) => decoded,
            Err(SymphoniaError::DecodeError(_)) => {
                bad += 1;
                continue;
            }
            Err(e) => return Err(not_audio(describe(&e))),
        };
        good += 1;
        let spec = *decoded.spec();
        rate = spec.rate;
        let channels = spec.channels.count().max(1);
        let needed = decoded.capacity() as u64 * channels as u64;
        let fits =
            matches!(&buffer, Some((buf, had)) if *had == spec && buf.capacity() as u64 >= needed);
        if !fits {
            buffer = None;
        }
        let (buf, _) = buffer
            .get_or_insert_with(|| (SampleBuffer::new(decoded.capacity() as u64, spec), spec));
        buf.copy_interleaved_ref(decoded);
        let interleaved = buf.samples();
        if channels == 1 {
            samples.extend_from_slice(interleaved);
        } else {
            samples.extend(
                interleaved
                    .chunks_exact(channels)
                    .map(|frame| frame.iter().sum::<f32>() / channels as f32),
            );
        }
        if rate > 0 && samples.len() as u64 > MAX_SECONDS * u64::from(rate) {
            return Err(ImportError::TooLong { path: shown });
        }
    }
    if good == 0 && bad > 0 {
        return Err(not_audio("none of it could be decoded".into()));
    }
    if samples.is_empty() || rate == 0 {
        return Err(ImportError::Empty { path: shown });
    }
    Ok(Mono { rate, samples })
}

fn describe(err: &SymphoniaError) -> String {
    match err {
        SymphoniaError::Unsupported(what) => format!("unsupported: {what}"),
        SymphoniaError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "it ends too soon, as if cut short".into()
        }
        SymphoniaError::IoError(e) => crate::error::io_reason(e),
        SymphoniaError::DecodeError(what) => format!("damaged: {what}"),
        other => other.to_string(),
    }
}
