//! What one short frame of sound is like: its level, its pitch and how
//! clearly it has one (harmonicity), and where its energy lies.

use std::sync::Arc;

use realfft::num_complex::Complex32;
use realfft::{RealFftPlanner, RealToComplex};

use super::resample::RATE;

/// Samples per frame at 8 kHz: 32 ms.
pub const FRAME: usize = 256;
/// Samples from one frame to the next: 16 ms.
pub const HOP: usize = 128;
/// The pitch range searched: 70 Hz (a low adult voice) to 1,333 Hz (a
/// cry's highest squeals), as lags in samples at 8 kHz.
const MIN_LAG: usize = 6;
const MAX_LAG: usize = 114;
/// Samples a frame's analysis needs: the frame and the longest lag.
pub const SPAN: usize = FRAME + MAX_LAG + 2;

/// The spectrum's bands: mel-spaced from [`LOWEST_HZ`] to [`HIGHEST_HZ`],
/// the telephone band. Above it, what a recording holds says more about
/// the recorder (the cries of the donateacry corpus were recorded at
/// 8 kHz) than about the sound.
pub const BANDS: usize = 16;
const LOWEST_HZ: f32 = 100.0;
const HIGHEST_HZ: f32 = 3_300.0;

/// The measurements of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Features {
    /// Level, dB relative to full scale (RMS).
    pub db: f32,
    /// The fundamental frequency, Hz (0 when there is no clear period).
    pub f0: f32,
    /// The normalised autocorrelation at the period (or at two periods,
    /// if lower): 1 for a perfectly periodic sound, near 0 for noise.
    pub harmonicity: f32,
    /// Brightness, from the slope of the spectrum: near 0 for a low hum,
    /// 0.5 for white noise, towards 1 for hiss (the energy of the first
    /// difference over four times the energy).
    pub high: f32,
    /// The share of the frame's energy at the fundamental itself (0 to
    /// 1): a voice has its fundamental; a bright ring or a whistle read
    /// as an octave or two lower does not.
    pub fundamental: f32,
    /// The spectrum's shape: each band's share of the frame's energy, in
    /// dB (0 for a band holding it all, -60 at the least).
    pub bands: [f32; BANDS],
}

/// Measures frames: the FFT's plan and buffers, made once.
pub struct Meter {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    input: Vec<f32>,
    spectrum: Vec<Complex32>,
    scratch: Vec<Complex32>,
    /// Each band's first and last FFT bin (inclusive).
    edges: [(usize, usize); BANDS],
}

impl Default for Meter {
    fn default() -> Meter {
        Meter::new()
    }
}

impl Meter {
    pub fn new() -> Meter {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(FRAME);
        let window = (0..FRAME)
            .map(|i| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / FRAME as f32).cos())
            .collect();
        let mel = |hz: f32| 2595.0 * (1.0 + hz / 700.0).log10();
        let hz = |mel: f32| 700.0 * (10f32.powf(mel / 2595.0) - 1.0);
        let (lo, hi) = (mel(LOWEST_HZ), mel(HIGHEST_HZ));
        let bin_hz = RATE as f32 / FRAME as f32;
        let bin = |k: usize| {
            let f = hz(lo + (hi - lo) * k as f32 / BANDS as f32);
            ((f / bin_hz).round() as usize).min(FRAME / 2)
        };
        let mut edges = [(0, 0); BANDS];
        for (k, edge) in edges.iter_mut().enumerate() {
            let first = bin(k);
            *edge = (first, bin(k + 1).max(first + 1) - 1);
        }
        Meter {
            input: fft.make_input_vec(),
            spectrum: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            fft,
            window,
            edges,
        }
    }

    /// Measures the frame at the start of `x` (at least [`SPAN`] samples).
    pub fn measure(&mut self, x: &[f32]) -> Features {
        let mut features = measure(x);
        for ((i, &s), w) in self.input.iter_mut().zip(&x[..FRAME]).zip(&self.window) {
            *i = s * w;
        }
        if self
            .fft
            .process_with_scratch(&mut self.input, &mut self.spectrum, &mut self.scratch)
            .is_ok()
        {
            let power = |a: usize, b: usize| -> f32 {
                self.spectrum[a..=b].iter().map(|c| c.norm_sqr()).sum()
            };
            let total = power(self.edges[0].0, self.edges[BANDS - 1].1) + 1e-12;
            for (band, &(a, b)) in features.bands.iter_mut().zip(&self.edges) {
                *band = (10.0 * (power(a, b) / total + 1e-6).log10()).max(-60.0);
            }
        }
        features
    }
}

/// Measures the frame at the start of `x` (at least [`SPAN`] samples),
/// all but its bands.
pub fn measure(x: &[f32]) -> Features {
    debug_assert!(x.len() >= SPAN);
    let frame = &x[..FRAME];
    let energy: f32 = frame.iter().map(|s| s * s).sum();
    let db = 10.0 * (energy / FRAME as f32 + 1e-12).log10();
    // The first difference's gain at frequency f is 2 sin(pi f / rate).
    let diff: f32 = frame.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum();
    let high = (diff / (energy + 1e-12) / 4.0).clamp(0.0, 1.0);
    let (f0, harmonicity) = pitch(x);
    let fundamental = if f0 > 0.0 {
        share_at(frame, f0, energy)
    } else {
        0.0
    };
    Features {
        db,
        f0,
        harmonicity,
        high,
        fundamental,
        bands: [-60.0; BANDS],
    }
}

/// The share of `energy` at `hz` in `frame` (Goertzel, Hann window).
fn share_at(frame: &[f32], hz: f32, energy: f32) -> f32 {
    let w = 2.0 * std::f32::consts::PI * hz / RATE as f32;
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0f32, 0f32);
    let n = frame.len() as f32;
    for (i, &x) in frame.iter().enumerate() {
        let hann = 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / n).cos();
        let s0 = x * hann + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    // A sinusoid of amplitude a gives power (a n / 4)^2 through the Hann
    // window, and energy a^2 n / 2.
    let amplitude2 = power * 16.0 / (n * n);
    (amplitude2 * n / 2.0 / energy.max(1e-12)).clamp(0.0, 1.0)
}

/// The period with the best normalised autocorrelation, preferring the
/// shortest lag that comes close to the best one (so that a period is
/// not taken for two of them).
fn pitch(x: &[f32]) -> (f32, f32) {
    let a = &x[..FRAME];
    let ea: f32 = a.iter().map(|s| s * s).sum();
    if ea <= 1e-9 {
        return (0.0, 0.0);
    }
    let mut r = [0f32; MAX_LAG + 2];
    for (lag, r) in r.iter_mut().enumerate().skip(MIN_LAG) {
        let b = &x[lag..lag + FRAME];
        let (dot, eb) = a
            .iter()
            .zip(b)
            .fold((0f32, 0f32), |(d, e), (p, q)| (d + p * q, e + q * q));
        *r = (dot / (ea * eb).sqrt().max(1e-12)).clamp(-1.0, 1.0);
    }
    // Only local peaks are periods; a sound with none (noise, whose
    // correlation only falls away) has no pitch.
    let peak = |lag: usize| r[lag] > 0.0 && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1];
    let best = (MIN_LAG + 1..=MAX_LAG)
        .filter(|&lag| peak(lag))
        .map(|lag| r[lag])
        .fold(0.0, f32::max);
    if best <= 0.0 {
        return (0.0, 0.0);
    }
    let Some(lag) = (MIN_LAG + 1..=MAX_LAG).find(|&lag| peak(lag) && r[lag] >= 0.85 * best) else {
        return (0.0, 0.0);
    };
    // Between samples: a parabola through the peak and its neighbours.
    let (l, c, h) = (r[lag - 1], r[lag], r[lag + 1]);
    let bend = l - 2.0 * c + h;
    let shift = if bend < 0.0 {
        (0.5 * (l - h) / bend).clamp(-0.5, 0.5)
    } else {
        0.0
    };
    // A true period repeats: the sound also matches itself two periods
    // on. A peak from a formant of a lower voice does not.
    // (Beyond the lags searched, for pitches too low to matter, it is
    // not checked.)
    let twice = (2.0 * (lag as f32 + shift)).round() as usize;
    let again = if twice <= MAX_LAG {
        r[twice - 1].max(r[twice]).max(r[twice + 1])
    } else {
        c
    };
    (RATE as f32 / (lag as f32 + shift), c.min(again.max(0.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voice(f0: f32, harmonics: usize, noise: f32, seed: u32) -> Vec<f32> {
        let mut state = seed;
        (0..SPAN)
            .map(|i| {
                let t = i as f32 / RATE as f32;
                let mut s: f32 = (1..=harmonics)
                    .map(|k| (2.0 * std::f32::consts::PI * f0 * k as f32 * t).sin() / k as f32)
                    .sum();
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                s += noise * ((state >> 8) as f32 / (1u32 << 24) as f32 - 0.5);
                0.1 * s
            })
            .collect()
    }

    #[test]
    fn the_pitch_of_a_voice_is_found_from_a_man_to_a_cry() {
        for f0 in [110.0, 220.0, 350.0, 450.0, 600.0, 900.0] {
            let f = measure(&voice(f0, 8, 0.0, 1));
            assert!(
                (f.f0 - f0).abs() / f0 < 0.03,
                "{f0} Hz heard as {} Hz",
                f.f0
            );
            assert!(
                f.harmonicity > 0.9,
                "{f0} Hz: harmonicity {}",
                f.harmonicity
            );
        }
    }

    #[test]
    fn noise_has_no_clear_pitch_and_its_energy_lies_high() {
        let f = measure(&voice(300.0, 0, 4.0, 7));
        assert!(f.harmonicity < 0.4, "{f:?}");
        assert!(f.high > 0.4, "{f:?}");
        let low = measure(&voice(200.0, 1, 0.0, 7));
        assert!(low.high < 0.1, "{low:?}");
    }

    #[test]
    fn a_voice_at_450_hz_has_its_energy_in_the_band_that_holds_450_hz() {
        let f = Meter::new().measure(&voice(450.0, 1, 0.0, 3));
        let loudest = (0..BANDS).max_by(|&a, &b| f.bands[a].total_cmp(&f.bands[b]));
        // Mel bands from 100 Hz: the fourth (index 3) spans about 380-500 Hz.
        assert_eq!(loudest, Some(3), "{:?}", f.bands);
        assert!(
            f.bands[3] > -1.5 && f.bands[BANDS - 1] < -40.0,
            "{:?}",
            f.bands
        );
    }

    #[test]
    fn silence_is_quiet_and_has_no_pitch() {
        let f = measure(&[0.0; SPAN]);
        assert_eq!((f.f0, f.harmonicity), (0.0, 0.0));
        assert!(f.db < -100.0);
    }
}
