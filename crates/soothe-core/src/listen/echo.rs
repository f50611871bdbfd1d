//! Taking soothe's own sound out of what the microphone hears.
//!
//! soothe knows every sample it plays (the reference), but not when the
//! microphone hears it: the sound card's buffers, the sound server and the
//! room add a delay of tens to hundreds of milliseconds. So the canceller
//! first finds that delay, by cross-correlating the microphone with the
//! reference (GCC-PHAT, over the last two seconds, twice a second), then
//! models the room around it with a short NLMS adaptive filter, and
//! subtracts its estimate of the echo. It also hands back that estimate,
//! so that the detector can discount what may still be echo.

use std::sync::Arc;

use realfft::num_complex::Complex32;
use realfft::{RealFftPlanner, RealToComplex};

use super::resample::RATE;

/// The longest delay searched: the sound card, the sound server, the
/// microphone's own buffer and the room, 1 s in all.
pub const MAX_DELAY: usize = RATE as usize;
/// The length of the cross-correlation window, 2 s.
const WINDOW: usize = 2 * RATE as usize;
/// How often the delay is searched for, 0.5 s.
const SEARCH_EVERY: usize = RATE as usize / 2;
/// The adaptive filter: 32 ms of the room's response, starting 4 ms
/// before the delay found (the direct sound may smear either side).
const TAPS: usize = 256;
const LEAD: usize = 32;
/// The NLMS step size and its regularisation (the power of a reference
/// at about -60 dBFS, so that silence does not adapt the filter).
const MU: f32 = 0.15;
const DELTA: f32 = 1e-6 * TAPS as f32;
/// After a delay is found, the filter adapts freely over this much
/// playing reference (1.5 s)...
const SETTLE: usize = RATE as usize * 3 / 2;
/// ...and then only over blocks of 16 ms in which the residual was under
/// half the microphone's energy (the echo dominated).
const GUARD_BLOCK: usize = 128;
const GUARD_RATIO: f32 = 0.5;
/// The guard decides a block late, so the first block of someone else's
/// sound still adapts: each step's error is clipped to this many times
/// the residual's RMS in the blocks the echo dominated (a robust NLMS).
const CLIP: f32 = 3.0;
/// A block whose residual is this much under the microphone (-10 dB)
/// shows the filter working; its weights are kept. A block whose residual
/// is over [`DIVERGED`] times the microphone's energy shows the filter
/// adding sound rather than taking it out: the kept weights come back.
const GOOD_RATIO: f32 = 0.1;
const DIVERGED: f32 = 2.0;
/// A block quieter than this (mean power) says nothing of the filter.
const BLOCK_FLOOR: f32 = 1e-8;
/// A correlation peak this many times the mean absolute correlation is a
/// delay found; lower, and the search is inconclusive.
const PEAK_RATIO: f32 = 8.0;
/// Reference quieter than this (mean power) says nothing about the delay.
const REF_FLOOR: f32 = 1e-7;

/// The echo canceller at 8 kHz.
pub struct Canceller {
    /// The reference, newest last: `MAX_DELAY + TAPS + WINDOW` samples.
    reference: Vec<f32>,
    /// The microphone's last `WINDOW` samples.
    mic: Vec<f32>,
    weights: Vec<f32>,
    /// The delay in use, samples (`None` until one is found).
    delay: Option<usize>,
    /// A new delay seen once, waiting to be seen again before use.
    candidate: Option<usize>,
    since_search: usize,
    /// Samples of playing reference to adapt on freely after a delay is
    /// found, before the double-talk guard takes over.
    settling: usize,
    /// Energies of the microphone and the residual over the current and
    /// the last block: the filter adapts only while it takes most of what
    /// the microphone hears out (echo alone), not while someone else,
    /// such as a crying baby, is heard too.
    block: (f32, f32, usize),
    adapt: bool,
    /// The residual's mean power over the blocks the echo dominated.
    residual_power: Option<f32>,
    /// The weights of the last block in which the filter worked well.
    good: Vec<f32>,
    /// Whether it ever worked well.
    converged: bool,
    fft: Arc<dyn RealToComplex<f32>>,
    ifft: Arc<dyn realfft::ComplexToReal<f32>>,
}

/// One sample through the canceller.
#[derive(Debug, Clone, Copy)]
pub struct Cancelled {
    /// The microphone with the echo estimate taken out.
    pub residual: f32,
    /// The echo estimate itself (0 until a delay is found).
    pub echo: f32,
}

const HISTORY: usize = MAX_DELAY + TAPS + WINDOW;
const FFT_LEN: usize = 32_768;

impl Default for Canceller {
    fn default() -> Self {
        Canceller::new()
    }
}

impl Canceller {
    pub fn new() -> Canceller {
        let mut planner = RealFftPlanner::<f32>::new();
        Canceller {
            reference: vec![0.0; HISTORY],
            mic: vec![0.0; WINDOW],
            weights: vec![0.0; TAPS],
            delay: None,
            candidate: None,
            since_search: 0,
            settling: 0,
            block: (0.0, 0.0, 0),
            adapt: true,
            residual_power: None,
            good: vec![0.0; TAPS],
            converged: false,
            fft: planner.plan_fft_forward(FFT_LEN),
            ifft: planner.plan_fft_inverse(FFT_LEN),
        }
    }

    /// The delay in use, in samples at 8 kHz, once one has been found.
    pub fn delay(&self) -> Option<usize> {
        self.delay
    }

    /// Whether the filter is learning the room for the first time, after
    /// the first delay was found: until it has taken the echo out once,
    /// what it leaves may be echo. (A later delay starts the filter
    /// again, but soon has its echo taken out.)
    pub fn learning(&self) -> bool {
        self.delay.is_some() && !self.converged
    }

    /// Whether the reference had sound within the delays searched: before
    /// a delay is found, what the microphone hears then may be echo.
    pub fn reference_active(&self) -> bool {
        let recent = &self.reference[self.reference.len() - MAX_DELAY - LEAD..];
        recent.chunks(64).any(|c| power(c) > REF_FLOOR * 10.0)
    }

    /// Takes one microphone sample and the reference sample of the same
    /// moment.
    pub fn process(&mut self, mic: f32, reference: f32) -> Cancelled {
        // Sliding buffers: shift in blocks, not every sample.
        push_sliding(&mut self.reference, reference, HISTORY);
        push_sliding(&mut self.mic, mic, WINDOW);
        self.since_search += 1;
        if self.since_search >= SEARCH_EVERY {
            self.since_search = 0;
            self.search();
        }
        let Some(delay) = self.delay else {
            return Cancelled {
                residual: mic,
                echo: 0.0,
            };
        };
        // x[k] = reference at (delay - LEAD + k) samples ago.
        let len = self.reference.len();
        let newest = len - 1 - (delay - LEAD.min(delay));
        let x = &self.reference[newest + 1 - TAPS..=newest];
        // x is oldest-first; weight k applies to x[TAPS - 1 - k].
        let echo: f32 = self
            .weights
            .iter()
            .zip(x.iter().rev())
            .map(|(w, r)| w * r)
            .sum();
        let residual = mic - echo;
        let norm: f32 = x.iter().map(|r| r * r).sum::<f32>() + DELTA;
        if self.settling > 0 && norm > DELTA * 2.0 {
            self.settling -= 1;
        }
        if self.adapt || self.settling > 0 {
            let error = match self.residual_power {
                Some(p) if self.settling == 0 => {
                    let limit = CLIP * p.sqrt() + 1e-6;
                    residual.clamp(-limit, limit)
                }
                _ => residual,
            };
            let step = MU * error / norm;
            for (w, r) in self.weights.iter_mut().zip(x.iter().rev()) {
                *w += step * r;
            }
        }
        // The double-talk guard, decided a block at a time.
        self.block.0 += mic * mic;
        self.block.1 += residual * residual;
        self.block.2 += 1;
        if self.block.2 == GUARD_BLOCK {
            let (m, e, n) = self.block;
            self.adapt = e < GUARD_RATIO * m;
            let heard = m / n as f32 > BLOCK_FLOOR;
            if self.adapt && heard {
                let p = e / n as f32;
                let average = self.residual_power.get_or_insert(p);
                *average += 0.1 * (p - *average);
            }
            if heard && e < GOOD_RATIO * m {
                self.good.copy_from_slice(&self.weights);
                self.converged = true;
            } else if heard && e > DIVERGED * m && self.settling == 0 {
                self.weights.copy_from_slice(&self.good);
            }
            self.block = (0.0, 0.0, 0);
        }
        Cancelled { residual, echo }
    }

    /// Looks for the delay over the last [`WINDOW`] (GCC-PHAT).
    fn search(&mut self) {
        let len = self.reference.len();
        // The reference from WINDOW + MAX_DELAY ago up to now.
        let reference = &self.reference[len - WINDOW - MAX_DELAY..];
        let mic = &self.mic[self.mic.len() - WINDOW..];
        if power(reference) < REF_FLOOR || power(mic) < REF_FLOOR * 0.01 {
            return;
        }
        let mut a = vec![0.0f32; FFT_LEN];
        let mut b = vec![0.0f32; FFT_LEN];
        a[..WINDOW].copy_from_slice(mic);
        b[..reference.len()].copy_from_slice(reference);
        let mut fa = self.fft.make_output_vec();
        let mut fb = self.fft.make_output_vec();
        if self.fft.process(&mut a, &mut fa).is_err() || self.fft.process(&mut b, &mut fb).is_err()
        {
            return;
        }
        // Cross-spectrum, whitened: every frequency counts the same.
        let cross: Vec<Complex32> = fa
            .iter()
            .zip(&fb)
            .map(|(m, r)| {
                let c = m * r.conj();
                c / (c.norm() + 1e-9)
            })
            .collect();
        let mut cross = cross;
        let mut corr = self.ifft.make_output_vec();
        if self.ifft.process(&mut cross, &mut corr).is_err() {
            return;
        }
        // mic[n] = ref[n + MAX_DELAY - d] (in window indices): the
        // correlation of mic against ref peaks at lag -(MAX_DELAY - d),
        // that is at FFT_LEN - MAX_DELAY + d.
        let at = |d: usize| corr[(FFT_LEN - MAX_DELAY + d) % FFT_LEN];
        let (mut best, mut best_d) = (0.0f32, 0usize);
        let mut sum = 0.0f32;
        for d in 0..MAX_DELAY {
            let v = at(d).abs();
            sum += v;
            if v > best {
                best = v;
                best_d = d;
            }
        }
        let mean = sum / MAX_DELAY as f32;
        if best < PEAK_RATIO * mean {
            return;
        }
        match self.delay {
            Some(d) if d.abs_diff(best_d) <= 2 => self.candidate = None,
            None => self.use_delay(best_d),
            Some(_) => {
                if self.candidate.is_some_and(|c| c.abs_diff(best_d) <= 2) {
                    self.use_delay(best_d);
                } else {
                    self.candidate = Some(best_d);
                }
            }
        }
    }

    fn use_delay(&mut self, delay: usize) {
        self.delay = Some(delay.max(LEAD));
        self.candidate = None;
        self.weights.fill(0.0);
        self.good.fill(0.0);
        self.residual_power = None;
        self.settling = SETTLE;
    }
}

/// Appends `value`, keeping the last `keep` samples (shifting a block at a
/// time: the vector has room for `keep` more before it shifts).
fn push_sliding(buffer: &mut Vec<f32>, value: f32, keep: usize) {
    if buffer.len() >= 2 * keep {
        buffer.drain(..buffer.len() - keep);
    }
    buffer.push(value);
}

fn power(x: &[f32]) -> f32 {
    x.iter().map(|s| s * s).sum::<f32>() / x.len().max(1) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A voice-like reference: noise bursts through a resonance, so that
    /// the correlation has something to find.
    fn reference(n: usize, seed: u32) -> Vec<f32> {
        let mut state = seed;
        let mut y1 = 0.0f32;
        (0..n)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let noise = (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
                let on = if (i / 3000) % 3 == 2 { 0.0 } else { 1.0 };
                y1 = 0.9 * y1 + noise;
                0.1 * y1 * on
            })
            .collect()
    }

    #[test]
    fn a_delayed_quieter_echo_is_found_and_cancelled() {
        let n = 8 * RATE as usize;
        let r = reference(n, 3);
        for delay in [160usize, 1_200, 4_000] {
            let mut c = Canceller::new();
            let mut before = 0.0;
            let mut after = 0.0;
            for i in 0..n {
                // -15 dB, with a small reflection 5 ms later.
                let echo = if i >= delay { 0.18 * r[i - delay] } else { 0.0 }
                    + if i >= delay + 40 {
                        0.05 * r[i - delay - 40]
                    } else {
                        0.0
                    };
                let out = c.process(echo, r[i]);
                if i > n / 2 {
                    before += echo * echo;
                    after += out.residual * out.residual;
                }
            }
            assert_eq!(
                c.delay().map(|d| d.abs_diff(delay) <= 2),
                Some(true),
                "{delay}: {:?}",
                c.delay()
            );
            let erle = 10.0 * (before / after).log10();
            assert!(erle > 20.0, "delay {delay}: only {erle:.1} dB taken out");
        }
    }

    #[test]
    fn a_loud_voice_over_the_echo_neither_throws_the_filter_off_nor_is_taken_for_echo() {
        let n = 10 * RATE as usize;
        // The reference fades to -50 dB between its bursts, as speech does
        // between words, and the voice begins in such a gap.
        let r: Vec<f32> = reference(n, 5)
            .iter()
            .zip(reference(n, 6))
            .map(|(a, b)| a + 0.003 * b)
            .collect();
        let other = reference(n, 77);
        let delay = 640;
        let voice = 33_000..49_000;
        let mut c = Canceller::new();
        let (mut echo_true, mut echo_estimate, mut left_after) = (0.0, 0.0, 0.0);
        for i in 0..n {
            let echo = if i >= delay { 0.18 * r[i - delay] } else { 0.0 };
            // Someone else, 14 dB above the echo, for 2 s.
            let near = if voice.contains(&i) {
                0.9 * other[i]
            } else {
                0.0
            };
            let out = c.process(echo + near, r[i]);
            if voice.contains(&i) {
                echo_true += echo * echo;
                echo_estimate += out.echo * out.echo;
            }
            if i > voice.end + RATE as usize / 2 {
                left_after += out.residual * out.residual;
            }
            if i == voice.end + RATE as usize / 2 {
                echo_true = 10.0 * (echo_estimate / echo_true).log10();
            }
        }
        assert!(
            echo_true.abs() < 3.0,
            "the echo estimate was {echo_true:.1} dB off the echo during the voice"
        );
        let echo_after: f32 = (voice.end + RATE as usize / 2 + 1..n)
            .map(|i| (0.18 * r[i - delay]).powi(2))
            .sum();
        let erle = 10.0 * (echo_after / left_after).log10();
        assert!(erle > 15.0, "only {erle:.1} dB taken out after the voice");
    }

    #[test]
    fn without_a_reference_the_microphone_passes_unchanged() {
        let mut c = Canceller::new();
        let mic = reference(RATE as usize * 3, 9);
        for &m in &mic {
            let out = c.process(m, 0.0);
            assert_eq!(out.residual, m);
            assert_eq!(out.echo, 0.0);
        }
        assert_eq!(c.delay(), None);
    }
}
