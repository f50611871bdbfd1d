//! Audio as mono f32, why it could not be read, and resampling it with a
//! real resampler. WAV files are read (and written) in [`crate::encode::wav`];
//! the guide voice's Ogg Vorbis files in [`crate::sound::vorbis`].

use rubato::audioadapter_buffers::direct::SequentialSlice;
use rubato::{Fft, FixedSync, Resampler};

/// Mono audio at a sample rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Mono {
    pub rate: u32,
    pub samples: Vec<f32>,
}

/// Why a WAV could not be read: what is wrong with the file (the input),
/// or that the disk would not give it up (an I/O failure).
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// What is wrong with the file.
    #[error("{0}")]
    Bad(String),
    /// The machine failed to read it; the file may be fine. Shown without
    /// Rust's "(os error N)"; the error itself is kept.
    #[error("{}", crate::error::io_reason(.0))]
    Io(std::io::Error),
}

impl DecodeError {
    /// What is wrong with the file itself.
    pub fn bad(reason: impl Into<String>) -> DecodeError {
        DecodeError::Bad(reason.into())
    }

    /// Whether the disk failed, rather than the file being wrong.
    pub fn is_io(&self) -> bool {
        matches!(self, DecodeError::Io(_))
    }
}

impl From<std::io::Error> for DecodeError {
    fn from(io: std::io::Error) -> Self {
        if io.kind() == std::io::ErrorKind::UnexpectedEof {
            DecodeError::bad("it ends too soon, as if cut short")
        } else {
            DecodeError::Io(io)
        }
    }
}

impl From<hound::Error> for DecodeError {
    fn from(err: hound::Error) -> Self {
        match err {
            // hound's words for a file that ends inside a header.
            hound::Error::IoError(io) if io.to_string() == "Failed to read enough bytes." => {
                DecodeError::bad("it ends too soon, as if cut short")
            }
            hound::Error::IoError(io) => io.into(),
            hound::Error::FormatError(what) => {
                DecodeError::bad(format!("not a usable WAV file ({what})"))
            }
            hound::Error::Unsupported => DecodeError::bad("an unsupported kind of WAV file"),
            other => DecodeError::bad(format!("not a usable WAV file ({other})")),
        }
    }
}

/// What a downmix to mono kept of its channels' sound, measured as it
/// goes (an import is decoded packet by packet).
#[derive(Debug, Clone, Copy, Default)]
pub struct Downmix {
    /// Energy of one channel, on average.
    channel: f64,
    mono: f64,
    frames: u64,
}

impl Downmix {
    pub fn add(&mut self, interleaved: &[f32], mono: &[f32], channels: usize) {
        let energy = |s: &[f32]| s.iter().map(|&x| f64::from(x) * f64::from(x)).sum::<f64>();
        self.channel += energy(interleaved) / channels.max(1) as f64;
        self.mono += energy(mono);
        self.frames += mono.len() as u64;
    }

    /// The channels cancelled each other out: opposite in phase, so that
    /// the mono sum lost nearly all (30 dB) of the sound they held.
    pub fn cancelled(&self) -> bool {
        // Only sound well above silence counts (-80 dBFS RMS).
        let audible = self.channel > self.frames as f64 * 1e-8;
        audible && self.mono < self.channel * 1e-3
    }
}

/// What a parent is told about a take whose channels cancel out.
pub const CANCELLED: &str = "its channels cancel each other out when mixed to mono (one is wired back to front), so it would be silent; record it again or save it as mono";

/// Input frames per resampler chunk: one FFT per chunk.
const RESAMPLER_CHUNK: usize = 256;

/// How many samples `frames` at `from` Hz become at `to` Hz.
pub fn resampled_len(frames: u64, from: u32, to: u32) -> u64 {
    if from == 0 {
        return 0;
    }
    frames
        .saturating_mul(u64::from(to))
        .div_ceil(u64::from(from))
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
        RESAMPLER_CHUNK,
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
}
