//! Speech-like test signals: syllables of a gliding harmonic voice with
//! pauses between words, over white noise. Deterministic.
//!
//! Used by the unit tests here and, through `#[path]`, by the integration
//! tests (so it depends on nothing but std).

#![allow(dead_code)]

/// A signal built piece by piece.
#[derive(Debug, Clone)]
pub struct Signal {
    pub rate: u32,
    pub samples: Vec<f32>,
    random: Random,
    phase: f64,
}

impl Signal {
    pub fn new(rate: u32) -> Signal {
        Signal::seeded(rate, 0x5eed)
    }

    pub fn seeded(rate: u32, seed: u64) -> Signal {
        Signal {
            rate,
            samples: Vec::new(),
            random: Random::new(seed),
            phase: 0.0,
        }
    }

    fn count(&self, seconds: f64) -> usize {
        crate::clock::samples(seconds, self.rate) as usize
    }

    /// White noise with an RMS level of `db` dBFS; returns the end index.
    pub fn noise(&mut self, seconds: f64, db: f64) -> usize {
        let n = self.count(seconds);
        let amp = db_to_amp(db) * 3f64.sqrt();
        for _ in 0..n {
            let s = self.random.uniform() * amp;
            self.samples.push(s as f32);
        }
        self.samples.len()
    }

    /// Digital silence; returns the end index.
    pub fn silence(&mut self, seconds: f64) -> usize {
        let n = self.count(seconds);
        self.samples.resize(self.samples.len() + n, 0.0);
        self.samples.len()
    }

    /// About `seconds` of speech-like syllables whose voiced parts have an
    /// RMS of about `db` dBFS, over noise at `noise_db`, starting with a
    /// syllable. Returns the index just after the last syllable (a short
    /// pause may follow it, within the `seconds`).
    pub fn speech(&mut self, seconds: f64, db: f64, noise_db: f64) -> usize {
        let end = self.samples.len() + self.count(seconds);
        let noise_amp = db_to_amp(noise_db) * 3f64.sqrt();
        // Harmonics 1..=8 at 1/k: RMS of the sum is sqrt(sum 1/(2k^2)).
        let norm: f64 = (1..=8).map(|k| 0.5 / f64::from(k * k)).sum::<f64>().sqrt();
        let amp = db_to_amp(db) / norm;
        let mut first = true;
        let mut voiced_end = self.samples.len();
        while self.samples.len() < end {
            if !first {
                // A pause between syllables, longer between words.
                let word_end = self.random.unit() < 0.3;
                let pause = if word_end {
                    0.15 + 0.1 * self.random.unit()
                } else {
                    0.03 + 0.06 * self.random.unit()
                };
                let n = self.count(pause).min(end - self.samples.len());
                for _ in 0..n {
                    let s = self.random.uniform() * noise_amp;
                    self.samples.push(s as f32);
                }
                if self.samples.len() >= end {
                    break;
                }
            }
            let first_syllable = first;
            first = false;
            let seconds = 0.12 + 0.16 * self.random.unit();
            let length = self.count(seconds).min(end - self.samples.len());
            if length < self.count(0.08) && !first_syllable {
                // No room for a whole syllable: end on a pause.
                while self.samples.len() < end {
                    let s = self.random.uniform() * noise_amp;
                    self.samples.push(s as f32);
                }
                break;
            }
            let f0_start = 120.0 + 110.0 * self.random.unit();
            let f0_end = f0_start * (0.85 + 0.3 * self.random.unit());
            for i in 0..length {
                let t = i as f64 / length as f64;
                let f0 = f0_start + (f0_end - f0_start) * t;
                self.phase += 2.0 * std::f64::consts::PI * f0 / f64::from(self.rate);
                let voice: f64 = (1..=8)
                    .map(|k| (f64::from(k) * self.phase).sin() / f64::from(k))
                    .sum();
                let envelope = (std::f64::consts::PI * t).sin().powi(2);
                let s = amp * envelope * voice + self.random.uniform() * noise_amp;
                self.samples.push(s as f32);
            }
            voiced_end = self.samples.len();
        }
        voiced_end
    }

    /// Scales everything by `db`.
    pub fn gain(&mut self, db: f64) {
        let g = db_to_amp(db) as f32;
        self.samples.iter_mut().for_each(|s| *s *= g);
    }

    /// Adds a constant offset and a low hum at `hz`.
    pub fn add_dc_and_rumble(&mut self, dc: f32, hz: f64, amp: f64) {
        let rate = f64::from(self.rate);
        for (i, s) in self.samples.iter_mut().enumerate() {
            *s += dc + (amp * (2.0 * std::f64::consts::PI * hz * i as f64 / rate).sin()) as f32;
        }
    }
}

/// `n` samples of white noise at `db` dBFS RMS.
pub fn noise(rate: u32, n: usize, db: f64, seed: u64) -> Vec<f32> {
    let mut signal = Signal::seeded(rate, seed);
    signal.noise(n as f64 / f64::from(rate), db);
    signal.samples.truncate(n);
    signal.samples
}

pub fn db_to_amp(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// The RMS level of `samples` in dBFS.
pub fn rms_db(samples: &[f32]) -> f64 {
    let power = samples
        .iter()
        .map(|&s| f64::from(s) * f64::from(s))
        .sum::<f64>()
        / samples.len().max(1) as f64;
    10.0 * (power + 1e-20).log10()
}

/// The peak level of `samples` in dBFS.
pub fn peak_db(samples: &[f32]) -> f64 {
    let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    20.0 * (f64::from(peak) + 1e-20).log10()
}

/// xorshift64*: small, fast and the same everywhere.
#[derive(Debug, Clone)]
struct Random(u64);

impl Random {
    fn new(seed: u64) -> Random {
        Random(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// In [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// In [-1, 1).
    fn uniform(&mut self) -> f64 {
        2.0 * self.unit() - 1.0
    }
}
