//! WAV, the one module that reads and writes it. Writing: 16-bit PCM, with
//! its tags in a `LIST`/`INFO` chunk and a cue point per step, labelled
//! with the step's title in a `LIST`/`adtl` chunk. Reading: any WAV a
//! recorder makes, as mono f32, its header checked against the file first
//! ([`wav_header`], [`read_wav`]).
//!
//! A session's length is known before its first sample is made, so the
//! whole header (sizes included) is written first and the samples stream
//! after it: a WAV goes to a pipe as well as to a file. A parent's take is
//! written here too ([`write_mono`]), as plain mono 16-bit PCM.

use std::io::{Read, Seek, SeekFrom};

use super::{EncodeError, Encoder, Meta, Patch};
use crate::audio::{DecodeError, Downmix, Mono, CANCELLED};

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
    audio: &crate::audio::Mono,
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

// Reading.

/// Sample rates a recording may have: anything else is a broken header
/// (and a 1 Hz one would turn a small file into gigabytes).
pub const RATES: std::ops::RangeInclusive<u32> = 8_000..=384_000;
/// The longest recording of one prompt: a prompt is a few sentences.
pub const LONGEST_SECONDS: u64 = 10 * 60;
/// The most channels a recording may have.
const MOST_CHANNELS: u16 = 8;

/// What a WAV's header says, checked against the file it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavInfo {
    pub frames: u64,
    pub rate: u32,
    pub channels: u16,
    /// 32-bit float samples (which, unlike integers, can hold values no
    /// sound has).
    pub float: bool,
}

/// Reads a WAV's header and checks it against reality before anything is
/// allocated: a sample rate within [`RATES`], some sound but no more than
/// [`LONGEST_SECONDS`], and a length the file really holds.
pub fn wav_header<R: Read + Seek>(mut reader: R) -> Result<WavInfo, DecodeError> {
    let size = reader.seek(SeekFrom::End(0))?;
    reader.seek(SeekFrom::Start(0))?;
    let wav = hound::WavReader::new(reader)?;
    let spec = wav.spec();
    let samples = u64::from(wav.len());
    let frames = u64::from(wav.duration());
    if !RATES.contains(&spec.sample_rate) {
        return Err(DecodeError::bad(format!(
            "its header gives a sample rate of {} Hz, which no recording has (8 to 384 kHz); the file is damaged",
            spec.sample_rate
        )));
    }
    if spec.channels == 0 || spec.channels > MOST_CHANNELS {
        return Err(DecodeError::bad(format!(
            "its header says it has {} channels; the file is damaged",
            spec.channels
        )));
    }
    let mut reader = wav.into_inner();
    let data_start = reader.stream_position()?;
    let held = size.saturating_sub(data_start);
    let claimed = samples * u64::from(spec.bits_per_sample.div_ceil(8));
    if claimed > held {
        return Err(DecodeError::bad(format!(
            "it is cut short or damaged: its header promises {} of sound, the file holds {}",
            seconds(frames, spec.sample_rate),
            seconds(
                held / u64::from(spec.bits_per_sample.div_ceil(8)).max(1)
                    / u64::from(spec.channels),
                spec.sample_rate
            )
        )));
    }
    if frames == 0 {
        return Err(DecodeError::bad(
            "there is no sound in it (the recording is empty)",
        ));
    }
    if frames > LONGEST_SECONDS * u64::from(spec.sample_rate) {
        return Err(DecodeError::bad(format!(
            "it is longer than {} minutes, far more than a prompt; is this the right file?",
            LONGEST_SECONDS / 60
        )));
    }
    Ok(WavInfo {
        frames,
        rate: spec.sample_rate,
        channels: spec.channels,
        float: spec.sample_format == hound::SampleFormat::Float,
    })
}

fn seconds(frames: u64, rate: u32) -> String {
    format!("{:.1} s", frames as f64 / f64::from(rate.max(1)))
}

/// Reads a whole WAV, mixing its channels down to mono. The header is
/// checked first ([`wav_header`]), so a lying one costs nothing.
pub fn read_wav<R: Read + Seek>(mut reader: R) -> Result<Mono, DecodeError> {
    wav_header(&mut reader)?;
    reader.seek(SeekFrom::Start(0))?;
    let mut wav = hound::WavReader::new(reader)?;
    let spec = wav.spec();
    let channels = usize::from(spec.channels.max(1));
    let interleaved: Vec<f32> = match spec.sample_format {
        // The common case (the guide voice, takes, most recorders) read in
        // one go: hound's per-sample iterator is several times slower.
        hound::SampleFormat::Int if spec.bits_per_sample == 16 => {
            let len = wav.len() as usize;
            let mut bytes = vec![0u8; len * 2];
            wav.into_inner().read_exact(&mut bytes)?;
            bytes
                .chunks_exact(2)
                .map(|pair| f32::from(i16::from_le_bytes([pair[0], pair[1]])) / 32768.0)
                .collect()
        }
        hound::SampleFormat::Float => {
            let samples: Vec<f32> = wav.samples::<f32>().collect::<Result<_, _>>()?;
            // A float file can hold values no sound has (NaN, infinity):
            // a resampler given one would fail.
            if samples.iter().any(|s| !s.is_finite() || s.abs() > 1e6) {
                return Err(DecodeError::bad(
                    "it holds values that are not sound (not numbers, or infinitely loud); the file is damaged",
                ));
            }
            samples
        }
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            wav.samples::<i32>()
                .map(|s| s.map(|s| s as f32 * scale))
                .collect::<Result<_, _>>()?
        }
    };
    let samples = if channels == 1 {
        interleaved
    } else {
        let mono: Vec<f32> = interleaved
            .chunks_exact(channels)
            .map(|frame| frame.iter().sum::<f32>() / channels as f32)
            .collect();
        if cancels_out(&interleaved, &mono, channels) {
            return Err(DecodeError::bad(CANCELLED));
        }
        mono
    };
    Ok(Mono {
        rate: spec.sample_rate,
        samples,
    })
}

/// Whether a downmix lost nearly all the sound its channels had: the
/// channels are opposite in phase.
fn cancels_out(interleaved: &[f32], mono: &[f32], channels: usize) -> bool {
    let mut downmix = Downmix::default();
    downmix.add(interleaved, mono, channels);
    downmix.cancelled()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::meta::Chapter;

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
