//! Reading WAV audio as mono f32, and resampling it with a real resampler.
//! (The guide voice's Ogg Vorbis files are read in [`crate::vorbis`].)

use std::io::Read;

use rubato::audioadapter_buffers::direct::SequentialSlice;
use rubato::{Fft, FixedSync, Resampler};

/// Mono audio at a sample rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Mono {
    pub rate: u32,
    pub samples: Vec<f32>,
}

/// Why a WAV could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(String);

impl DecodeError {
    pub fn new(reason: String) -> DecodeError {
        DecodeError(reason)
    }
}

impl From<hound::Error> for DecodeError {
    fn from(err: hound::Error) -> Self {
        DecodeError(match err {
            hound::Error::IoError(io) => crate::error::io_reason(&io),
            hound::Error::FormatError(what) => format!("not a usable WAV file ({what})"),
            hound::Error::Unsupported => "an unsupported kind of WAV file".into(),
            other => other.to_string(),
        })
    }
}

/// The number of frames and the sample rate in a WAV header.
pub fn wav_header<R: Read>(reader: R) -> Result<(u64, u32), DecodeError> {
    let wav = hound::WavReader::new(reader)?;
    Ok((u64::from(wav.duration()), wav.spec().sample_rate))
}

/// Reads a whole WAV, mixing its channels down to mono.
pub fn read_wav<R: Read>(reader: R) -> Result<Mono, DecodeError> {
    let mut wav = hound::WavReader::new(reader)?;
    let spec = wav.spec();
    let channels = usize::from(spec.channels.max(1));
    let interleaved: Vec<f32> = match spec.sample_format {
        // The common case (the guide voice, takes, most recorders) read in
        // one go: hound's per-sample iterator is several times slower.
        hound::SampleFormat::Int if spec.bits_per_sample == 16 => {
            let len = wav.len() as usize;
            let mut bytes = vec![0u8; len * 2];
            wav.into_inner()
                .read_exact(&mut bytes)
                .map_err(|e| DecodeError::from(hound::Error::IoError(e)))?;
            bytes
                .chunks_exact(2)
                .map(|pair| f32::from(i16::from_le_bytes([pair[0], pair[1]])) / 32768.0)
                .collect()
        }
        hound::SampleFormat::Float => wav.samples::<f32>().collect::<Result<_, _>>()?,
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
        interleaved
            .chunks_exact(channels)
            .map(|frame| frame.iter().sum::<f32>() / channels as f32)
            .collect()
    };
    Ok(Mono {
        rate: spec.sample_rate,
        samples,
    })
}

/// Input frames per resampler chunk: one FFT per chunk.
const CHUNK: usize = 256;

/// How many samples `frames` at `from` Hz become at `to` Hz.
pub fn resampled_len(frames: u64, from: u32, to: u32) -> u64 {
    (frames * u64::from(to)).div_ceil(u64::from(from))
}

/// Resamples to `to` Hz with rubato's FFT resampler. The result has
/// exactly [`resampled_len`] samples, lined up with the input (the
/// resampler's delay is removed).
pub fn resample(audio: &Mono, to: u32) -> Mono {
    let want = resampled_len(audio.samples.len() as u64, audio.rate, to) as usize;
    if audio.rate == to || audio.samples.is_empty() {
        let mut samples = audio.samples.clone();
        samples.resize(want, 0.0);
        return Mono { rate: to, samples };
    }
    let len = audio.samples.len();
    let mut resampler = Fft::<f32>::new_custom(
        audio.rate as usize,
        to as usize,
        CHUNK,
        1,
        1,
        rubato::WindowFunction::BlackmanHarris2,
        FixedSync::Input,
    )
    .expect("sample rates are positive");
    let mut out = vec![0.0f32; resampler.process_all_needed_output_len(len)];
    let input = SequentialSlice::new(&audio.samples[..], 1, len).expect("one channel");
    let out_len = out.len();
    let mut output = SequentialSlice::new_mut(&mut out[..], 1, out_len).expect("one channel");
    let (_, produced) = resampler
        .process_all_into_buffer(&input, &mut output, len, None)
        .expect("buffers are sized by the resampler");
    out.truncate(produced);
    out.resize(want, 0.0);
    Mono {
        rate: to,
        samples: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(hz: f64, rate: u32, seconds: f64) -> Mono {
        let n = (seconds * f64::from(rate)) as usize;
        Mono {
            rate,
            samples: (0..n)
                .map(|i| {
                    (0.5 * (2.0 * std::f64::consts::PI * hz * i as f64 / f64::from(rate)).sin())
                        as f32
                })
                .collect(),
        }
    }

    #[test]
    fn resampling_keeps_the_pitch_the_level_and_the_promised_length() {
        let input = sine(440.0, 16_000, 1.0);
        let output = resample(&input, 48_000);
        assert_eq!(output.samples.len(), 48_000);
        assert_eq!(
            output.samples.len() as u64,
            resampled_len(16_000, 16_000, 48_000)
        );
        // Compare the middle with an ideal 440 Hz sine at 48 kHz.
        let ideal = sine(440.0, 48_000, 1.0);
        let worst = output.samples[4_800..43_200]
            .iter()
            .zip(&ideal.samples[4_800..43_200])
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 0.01, "largest error {worst}");
    }

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
        let err = read_wav(&b"ID3 this is an mp3"[..]).unwrap_err();
        assert!(
            err.to_string().starts_with("not a usable WAV file"),
            "{err}"
        );
    }
}
