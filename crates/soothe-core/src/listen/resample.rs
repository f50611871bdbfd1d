//! Any input rate down to the detector's 8 kHz: a windowed-sinc low-pass
//! at the input rate, read between samples by linear interpolation. Cheap,
//! streaming, and good enough for a detector (not for listening).

/// The rate the detector works at: the cries it was developed on were
/// recorded at 8 kHz, and a cry's pitch and harmonics lie below 4 kHz.
pub const RATE: u32 = 8_000;
/// The low-pass cut-off, under the 4 kHz Nyquist frequency.
const CUTOFF_HZ: f64 = 3_600.0;

/// Streams samples at `from` Hz into samples at [`RATE`].
#[derive(Debug, Clone)]
pub struct Downsampler {
    /// Input samples per output sample.
    step: f64,
    taps: Vec<f32>,
    /// The input not yet consumed, with `taps.len()` samples of history.
    buffer: Vec<f32>,
    /// Where the next output falls, in samples of `buffer` (after the
    /// history).
    at: f64,
}

impl Downsampler {
    pub fn new(from: u32) -> Downsampler {
        let step = f64::from(from.max(1)) / f64::from(RATE);
        let taps = if step <= 1.0 {
            vec![1.0]
        } else {
            low_pass(CUTOFF_HZ / f64::from(from), 24 * step.ceil() as usize + 1)
        };
        Downsampler {
            step,
            buffer: vec![0.0; taps.len()],
            taps,
            at: 0.0,
        }
    }

    /// The input rate, Hz.
    pub fn rate(&self) -> f64 {
        self.step * f64::from(RATE)
    }

    /// Appends to `out` the 8 kHz samples that `input` completes.
    pub fn push(&mut self, input: &[f32], out: &mut Vec<f32>) {
        let history = self.taps.len();
        self.buffer.extend_from_slice(input);
        loop {
            let i = self.at.floor() as usize;
            // Needs filtered samples at i and i + 1 (of the new input).
            if history + i + 1 >= self.buffer.len() {
                break;
            }
            let frac = (self.at - i as f64) as f32;
            let a = self.filtered(history + i);
            let b = if frac > 0.0 {
                self.filtered(history + i + 1)
            } else {
                a
            };
            out.push(a + (b - a) * frac);
            self.at += self.step;
        }
        // Keep the history the filter needs before the next output.
        let used = (self.at.floor() as usize).min(self.buffer.len() - history);
        self.buffer.drain(..used);
        self.at -= used as f64;
    }

    /// The low-passed sample at `index` of the buffer.
    fn filtered(&self, index: usize) -> f32 {
        let n = self.taps.len();
        let window = &self.buffer[index + 1 - n..=index];
        window
            .iter()
            .rev()
            .zip(&self.taps)
            .map(|(x, h)| x * h)
            .sum()
    }
}

/// A Blackman-windowed sinc with cut-off `fc` (a fraction of the rate).
fn low_pass(fc: f64, len: usize) -> Vec<f32> {
    let mid = (len - 1) as f64 / 2.0;
    let mut taps: Vec<f64> = (0..len)
        .map(|k| {
            let x = k as f64 - mid;
            let sinc = if x == 0.0 {
                2.0 * fc
            } else {
                (2.0 * std::f64::consts::PI * fc * x).sin() / (std::f64::consts::PI * x)
            };
            let w = 2.0 * std::f64::consts::PI * k as f64 / (len - 1) as f64;
            sinc * (0.42 - 0.5 * w.cos() + 0.08 * (2.0 * w).cos())
        })
        .collect();
    let sum: f64 = taps.iter().sum();
    taps.iter_mut().for_each(|t| *t /= sum);
    taps.into_iter().map(|t| t as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f64, rate: u32, seconds: f64) -> Vec<f32> {
        (0..(seconds * f64::from(rate)) as usize)
            .map(|i| (2.0 * std::f64::consts::PI * hz * i as f64 / f64::from(rate)).sin() as f32)
            .collect()
    }

    fn rms(x: &[f32]) -> f32 {
        (x.iter().map(|s| s * s).sum::<f32>() / x.len() as f32).sqrt()
    }

    #[test]
    fn a_tone_in_the_band_keeps_its_level_and_one_above_is_gone() {
        for rate in [48_000, 44_100, 16_000] {
            let mut down = Downsampler::new(rate);
            let mut out = Vec::new();
            // Fed in uneven pieces, as a microphone delivers them.
            let input = tone(500.0, rate, 1.0);
            for piece in input.chunks(777) {
                down.push(piece, &mut out);
            }
            let expected = 8_000.0;
            assert!(
                (out.len() as f64 - expected).abs() < 30.0,
                "{rate}: {}",
                out.len()
            );
            let level = rms(&out[1000..]);
            assert!((level - 0.707).abs() < 0.02, "{rate}: {level}");
            if rate > 16_000 {
                let mut down = Downsampler::new(rate);
                let mut out = Vec::new();
                down.push(&tone(6_000.0, rate, 1.0), &mut out);
                assert!(rms(&out[1000..]) < 0.01, "{rate}: 6 kHz came through");
            }
        }
    }

    #[test]
    fn at_eight_kilohertz_the_samples_pass_unchanged() {
        let mut down = Downsampler::new(8_000);
        let input = tone(440.0, 8_000, 0.1);
        let mut out = Vec::new();
        down.push(&input, &mut out);
        assert_eq!(out[..], input[..out.len()]);
        assert!(out.len() >= input.len() - 1);
    }
}
