//! The guide voice's Ogg Vorbis recordings, read with symphonia: the
//! length from the stream's last page, the samples decoded to mono with
//! the encoder's padding trimmed (gapless), so that a recording decodes to
//! exactly the number of frames its header promises.

use std::io::Cursor;

use symphonia::core::audio::{SampleBuffer, SignalSpec};
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_VORBIS};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::sound::audio::{DecodeError, Mono};

/// Bytes a recording can be read from: built in (`&'static [u8]`) or
/// supplied at run time (`Arc<[u8]>`).
pub trait Bytes: AsRef<[u8]> + Send + Sync + 'static {}

impl<B: AsRef<[u8]> + Send + Sync + 'static> Bytes for B {}

fn open(bytes: impl Bytes) -> Result<Box<dyn FormatReader>, DecodeError> {
    let stream = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let mut hint = Hint::new();
    hint.with_extension("ogg");
    let options = FormatOptions {
        enable_gapless: true,
        ..Default::default()
    };
    let probed = symphonia::default::get_probe()
        .format(&hint, stream, &options, &MetadataOptions::default())
        .map_err(|e| DecodeError::bad(format!("not a usable Ogg Vorbis file ({e})")))?;
    Ok(probed.format)
}

fn vorbis_track(
    format: &dyn FormatReader,
) -> Result<&symphonia::core::formats::Track, DecodeError> {
    format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec == CODEC_TYPE_VORBIS)
        .ok_or_else(|| DecodeError::bad("no Vorbis audio in it"))
}

/// The number of frames and the sample rate of an Ogg Vorbis recording.
pub fn header(bytes: impl Bytes) -> Result<(u64, u32), DecodeError> {
    let format = open(bytes)?;
    let params = &vorbis_track(format.as_ref())?.codec_params;
    match (params.n_frames, params.sample_rate) {
        (Some(frames), Some(rate)) if rate > 0 => Ok((frames, rate)),
        _ => Err(DecodeError::bad("its length is not known")),
    }
}

/// Decodes a whole Ogg Vorbis recording, mixing its channels down to mono.
pub fn read(bytes: impl Bytes) -> Result<Mono, DecodeError> {
    let mut format = open(bytes)?;
    let track = vorbis_track(format.as_ref())?;
    let track_id = track.id;
    let mut rate = track.codec_params.sample_rate.unwrap_or(0);
    let mut decoder = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .map_err(|e| DecodeError::bad(e.to_string()))?;
    let mut samples = Vec::with_capacity(track.codec_params.n_frames.unwrap_or(0) as usize);
    let mut buffer: Option<(SampleBuffer<f32>, SignalSpec)> = None;
    loop {
        let packet = match format.next_packet() {
            Ok(packet) => packet,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                break
            }
            Err(e) => return Err(DecodeError::bad(e.to_string())),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = decoder
            .decode(&packet)
            .map_err(|e| DecodeError::bad(e.to_string()))?;
        let spec = *decoded.spec();
        rate = spec.rate;
        let channels = spec.channels.count().max(1);
        if !matches!(&buffer, Some((buf, had)) if *had == spec && buf.capacity() >= decoded.capacity() * channels)
        {
            buffer = Some((SampleBuffer::new(decoded.capacity() as u64, spec), spec));
        }
        let (buf, _) = buffer.as_mut().expect("made above");
        buf.copy_interleaved_ref(decoded);
        if channels == 1 {
            samples.extend_from_slice(buf.samples());
        } else {
            samples.extend(
                buf.samples()
                    .chunks_exact(channels)
                    .map(|frame| frame.iter().sum::<f32>() / channels as f32),
            );
        }
    }
    Ok(Mono { rate, samples })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_ogg_vorbis_is_refused_with_a_reason() {
        let err = header(b"RIFF....WAVEfmt ").unwrap_err();
        assert!(
            err.to_string().starts_with("not a usable Ogg Vorbis file"),
            "{err}"
        );
        assert!(read(b"fLaC").is_err());
    }
}
