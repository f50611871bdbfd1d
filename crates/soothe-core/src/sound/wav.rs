//! Reading WAV: any WAV a recorder makes, as mono f32, its header checked
//! against the file first ([`wav_header`], [`read_wav`]), so that a lying
//! header never asks for gigabytes.

use std::io::{Read, Seek, SeekFrom};

use super::audio::{DecodeError, Downmix, Mono, CANCELLED};

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

    #[test]
    fn reading_a_stereo_16_bit_wav_mixes_it_to_mono() {
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 22_050,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut bytes = std::io::Cursor::new(Vec::new());
        let mut writer = hound::WavWriter::new(&mut bytes, spec).unwrap();
        for (l, r) in [(16_384i16, 0i16), (-32_768, -32_768)] {
            writer.write_sample(l).unwrap();
            writer.write_sample(r).unwrap();
        }
        writer.finalize().unwrap();
        let mono = read_wav(std::io::Cursor::new(bytes.into_inner())).unwrap();
        assert_eq!(mono.rate, 22_050);
        assert_eq!(mono.samples, vec![0.25, -1.0]);
    }

    #[test]
    fn a_file_that_is_not_a_wav_is_refused_with_a_reason() {
        let err = read_wav(std::io::Cursor::new(&b"ID3 this is an mp3"[..])).unwrap_err();
        assert!(
            err.to_string().starts_with("not a usable WAV file"),
            "{err}"
        );
    }
}
