//! Writing WAV: 16-bit PCM, with its tags in a `LIST`/`INFO` chunk and a
//! cue point per step, labelled with the step's title in a `LIST`/`adtl`
//! chunk. (Reading any WAV a recorder makes is `crate::sound::wav`.)
//!
//! A session's length is known before its first sample is made, so the
//! whole header (sizes included) is written first and the samples stream
//! after it: a WAV goes to a pipe as well as to a file. A parent's take is
//! written here too ([`write_mono`]), as plain mono 16-bit PCM.

use super::meta::Meta;
use super::{EncodeError, Encoder, Patch};

/// A float sample as 16-bit PCM, converted exactly as ALSA's `plug`
/// converter turns cpal's float output into 16-bit (to 32-bit first,
/// truncated, then the top 16 bits), so that a render equals what the sound card was given,
/// sample for sample (checked by the device-path test).
#[inline]
pub fn pcm16(sample: f32) -> i16 {
    // `as` truncates toward zero and saturates, as alsa-lib's lfloat does.
    let wide = (f64::from(sample) * 2_147_483_648.0) as i32;
    (wide >> 16) as i16
}

/// `audio` as a mono 16-bit PCM WAV (a parent's take); returns the
/// samples written.
pub fn write_mono<W: std::io::Write + std::io::Seek>(
    writer: W,
    audio: &crate::sound::audio::Mono,
) -> Result<u64, hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: audio.rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = hound::WavWriter::new(writer, spec)?;
    let mut pcm = wav.get_i16_writer(audio.samples.len() as u32);
    for &sample in &audio.samples {
        pcm.write_sample(pcm16(sample));
    }
    pcm.flush()?;
    wav.finalize()?;
    Ok(audio.samples.len() as u64)
}

/// A parent's take as the bytes of the WAV file a voice keeps:
/// [`write_mono`], then the words it was spoken for
/// ([`crate::sound::words::append`]). The web app keeps these; a voice
/// file carries them.
pub fn take_bytes(audio: &crate::sound::audio::Mono, words: &str) -> std::io::Result<Vec<u8>> {
    let mut file = std::io::Cursor::new(Vec::new());
    write_mono(&mut file, audio).map_err(std::io::Error::other)?;
    crate::sound::words::append(&mut file, words)?;
    Ok(file.into_inner())
}

/// The most a RIFF file can hold: its size field has 32 bits.
pub const MAX_BYTES: u64 = u32::MAX as u64;

/// A session too long for one WAV file.
#[derive(Debug, thiserror::Error)]
#[error("a WAV file holds at most 4 GiB (about {limit} at {rate} Hz mono 16-bit) and this session lasts {length}; render it to .flac or .mp3 instead")]
pub struct TooLong {
    pub limit: String,
    pub rate: u32,
    pub length: String,
}

/// Whether `meta` fits in one WAV file.
pub fn fits(meta: &Meta) -> Result<(), TooLong> {
    let header = header(meta, 0).len() as u64;
    if header + meta.total_samples * 2 - 8 <= MAX_BYTES {
        return Ok(());
    }
    let rate = meta.sample_rate;
    Err(TooLong {
        limit: crate::clock::clock((MAX_BYTES - header) / 2, rate),
        rate,
        length: crate::clock::clock(meta.total_samples, rate),
    })
}

/// Writes a session as 16-bit PCM WAV.
pub struct WavEncoder {
    bytes: Vec<u8>,
}

impl WavEncoder {
    /// Writes the header of `meta`'s file to `out`.
    pub fn start(meta: &Meta, out: &mut dyn std::io::Write) -> Result<WavEncoder, EncodeError> {
        fits(meta).map_err(|e| EncodeError::Encoder(e.to_string()))?;
        out.write_all(&header(meta, meta.total_samples))?;
        Ok(WavEncoder { bytes: Vec::new() })
    }
}

impl Encoder for WavEncoder {
    fn samples(&mut self, pcm: &[i16], out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.bytes.clear();
        self.bytes.extend(pcm.iter().flat_map(|s| s.to_le_bytes()));
        out.write_all(&self.bytes)
    }

    fn finish(self: Box<Self>, _out: &mut dyn std::io::Write) -> std::io::Result<Vec<Patch>> {
        Ok(Vec::new())
    }
}

/// Everything before the samples: `RIFF`, `fmt `, the tags, the cue
/// points and their labels, and the `data` chunk's header, for a file of
/// `samples` samples.
fn header(meta: &Meta, samples: u64) -> Vec<u8> {
    let mut body = b"WAVE".to_vec();
    let rate = meta.sample_rate;
    let mut fmt = Vec::new();
    fmt.extend(1u16.to_le_bytes()); // PCM
    fmt.extend(1u16.to_le_bytes()); // mono
    fmt.extend(rate.to_le_bytes());
    fmt.extend((rate * 2).to_le_bytes()); // bytes per second
    fmt.extend(2u16.to_le_bytes()); // bytes per frame
    fmt.extend(16u16.to_le_bytes());
    chunk(&mut body, b"fmt ", &fmt);

    let mut info = b"INFO".to_vec();
    chunk(&mut info, b"INAM", &text(&meta.title));
    chunk(&mut info, b"IART", &text(super::meta::ARTIST));
    chunk(&mut info, b"IPRD", &text(&meta.album));
    if let Some((number, _)) = meta.track {
        chunk(&mut info, b"ITRK", &text(&number.to_string()));
    }
    chunk(&mut body, b"LIST", &info);

    if !meta.chapters.is_empty() {
        let mut cue = Vec::new();
        cue.extend((meta.chapters.len() as u32).to_le_bytes());
        let mut labels = b"adtl".to_vec();
        for (index, chapter) in meta.chapters.iter().enumerate() {
            let id = index as u32 + 1;
            let at = u32::try_from(chapter.start).unwrap_or(u32::MAX);
            cue.extend(id.to_le_bytes());
            cue.extend(at.to_le_bytes()); // position in play order
            cue.extend(b"data");
            cue.extend(0u32.to_le_bytes()); // chunk start
            cue.extend(0u32.to_le_bytes()); // block start
            cue.extend(at.to_le_bytes()); // sample offset
            let mut label = id.to_le_bytes().to_vec();
            label.extend(text(&chapter.title));
            chunk(&mut labels, b"labl", &label);
        }
        chunk(&mut body, b"cue ", &cue);
        chunk(&mut body, b"LIST", &labels);
    }

    let data = samples * 2;
    body.extend(b"data");
    body.extend((data.min(MAX_BYTES) as u32).to_le_bytes());
    let riff = (body.len() as u64 + data).min(MAX_BYTES) as u32;
    let mut file = b"RIFF".to_vec();
    file.extend(riff.to_le_bytes());
    file.extend(body);
    file
}

/// A zero-terminated string.
fn text(value: &str) -> Vec<u8> {
    let mut bytes = value.as_bytes().to_vec();
    bytes.push(0);
    bytes
}

/// Appends a RIFF chunk (padded to an even length) to `to`.
fn chunk(to: &mut Vec<u8>, id: &[u8; 4], data: &[u8]) {
    to.extend(id);
    to.extend((data.len() as u32).to_le_bytes());
    to.extend(data);
    if data.len() % 2 == 1 {
        to.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::meta::Chapter;

    fn meta(total_samples: u64) -> Meta {
        Meta {
            title: "Baby massage (relaxing)".into(),
            album: "Baby massage".into(),
            track: None,
            sample_rate: 48_000,
            total_samples,
            chapters: vec![
                Chapter {
                    title: "Welcome".into(),
                    start: 0,
                    end: 3,
                },
                Chapter {
                    title: "Feet".into(),
                    start: 3,
                    end: total_samples,
                },
            ],
        }
    }

    #[test]
    fn samples_read_back_through_hound_with_the_cue_points_in_place() {
        let input = [0.0f32, 0.5, -0.5, 1.0, -1.0, 1.5, 0.25];
        let meta = meta(input.len() as u64);
        let mut bytes = Vec::new();
        let mut wav = Box::new(WavEncoder::start(&meta, &mut bytes).unwrap());
        let pcm: Vec<i16> = input.iter().map(|s| pcm16(*s)).collect();
        wav.samples(&pcm, &mut bytes).unwrap();
        assert!(wav.finish(&mut bytes).unwrap().is_empty());
        let mut reader = hound::WavReader::new(std::io::Cursor::new(&bytes)).unwrap();
        let spec = reader.spec();
        assert_eq!(
            (spec.channels, spec.sample_rate, spec.bits_per_sample),
            (1, 48_000, 16)
        );
        let back: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
        assert_eq!(back, vec![0, 16384, -16384, 32767, -32768, 32767, 8192]);
        let riff = u32::from_le_bytes(bytes[4..8].try_into().unwrap());
        assert_eq!(riff as usize, bytes.len() - 8);
        let cue = bytes.windows(4).position(|w| w == b"cue ").unwrap();
        let second_offset = &bytes[cue + 12 + 24 + 20..cue + 12 + 24 + 24];
        assert_eq!(u32::from_le_bytes(second_offset.try_into().unwrap()), 3);
        assert_eq!(
            pcm16(-1.0 / 65536.0),
            -1,
            "the top 16 bits of the 32-bit value"
        );
        assert_eq!(
            pcm16(-1e-10),
            0,
            "values within 2^-31 of zero truncate to zero first"
        );
    }

    #[test]
    fn a_wav_over_4_gib_is_refused_with_the_limit() {
        // 12 h 25 min at 48 kHz fits; 12 h 26 min does not.
        assert!(fits(&meta(48_000 * (12 * 3600 + 25 * 60))).is_ok());
        let err = fits(&meta(48_000 * (12 * 3600 + 26 * 60))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a WAV file holds at most 4 GiB (about 12:25:39 at 48000 Hz mono 16-bit) and this session lasts 12:26:00; render it to .flac or .mp3 instead"
        );
    }
}
