//! A peak limiter on the session's output, so that no sample ever clips:
//! a voice turned up past its headroom (`--voice-gain 12`), a chime on top
//! of a loud word, or a take louder than full scale.
//!
//! Below the ceiling it does nothing at all (the output is the input, bit
//! for bit). A sample that would pass the ceiling turns the gain down at
//! once, just enough; the gain then eases back over a fraction of a
//! second, so a loud passage is made quieter as a whole rather than having
//! its peaks cut off. It needs no look-ahead, so it adds no delay and the
//! session's clock is unchanged.

/// The highest magnitude a sample leaves with (-0.09 dBFS).
pub const CEILING: f32 = 0.99;
/// How long the gain takes to come most of the way (1/e) back up.
const RELEASE_SECONDS: f32 = 0.15;

/// The limiter's state between blocks.
#[derive(Debug, Clone)]
pub struct Limiter {
    gain: f32,
    /// Per sample, the part of the distance to unity gain that remains.
    release: f32,
    /// Samples it turned down.
    limited: u64,
}

impl Limiter {
    pub fn new(rate: u32) -> Limiter {
        Limiter {
            gain: 1.0,
            release: (-1.0 / (RELEASE_SECONDS * rate.max(1) as f32)).exp(),
            limited: 0,
        }
    }

    /// Limits `samples` in place.
    pub fn process(&mut self, samples: &mut [f32]) {
        for sample in samples {
            if self.gain == 1.0 && sample.abs() <= CEILING {
                continue;
            }
            let mut gain = 1.0 - (1.0 - self.gain) * self.release;
            if 1.0 - gain < 1e-6 {
                gain = 1.0;
            }
            let level = sample.abs();
            if level * gain > CEILING {
                gain = CEILING / level;
                self.limited += 1;
            }
            self.gain = gain;
            // The clamp only catches the last bit of rounding.
            *sample = (*sample * gain).clamp(-CEILING, CEILING);
            if sample.is_nan() {
                *sample = 0.0;
            }
        }
    }

    /// How many samples it has turned down so far.
    #[cfg(test)]
    pub fn limited(&self) -> u64 {
        self.limited
    }
}

/// How far the voice can be turned up before its loudest moments reach
/// full scale: takes are levelled with their peaks at -1 dBFS.
pub const VOICE_HEADROOM_DB: f64 = 1.0;

/// The note a parent gets when the voice is turned up past its headroom.
pub fn note(voice_db: f64) -> Option<String> {
    (voice_db > VOICE_HEADROOM_DB + 1e-6).then(|| {
        format!(
            "At {voice_db:+.0} dB the voice is louder than the speakers can play: its loudest moments are gently turned down rather than distorted."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(amplitude: f32, n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| amplitude * (i as f32 * 2.0 * std::f32::consts::PI * 220.0 / 48_000.0).sin())
            .collect()
    }

    #[test]
    fn the_limiter_is_transparent_below_the_ceiling() {
        let input = sine(CEILING, 48_000);
        let mut output = input.clone();
        let mut limiter = Limiter::new(48_000);
        limiter.process(&mut output);
        assert_eq!(output, input, "bit for bit");
        assert_eq!(limiter.limited(), 0);
    }

    #[test]
    fn a_voice_four_times_too_loud_never_passes_the_ceiling_and_recovers() {
        let mut loud = sine(4.0, 24_000);
        loud.extend(sine(0.5, 96_000));
        let mut limiter = Limiter::new(48_000);
        for block in loud.chunks_mut(1000) {
            limiter.process(block);
        }
        let peak = loud.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!(peak <= CEILING, "peak {peak}");
        assert!(peak > 0.95 * CEILING, "loud, not silenced: {peak}");
        // A second and a half after the loud part, the quiet one is as it was.
        let tail = &loud[24_000 + 72_000..];
        let expected = &sine(0.5, 96_000)[72_000..];
        let worst = tail
            .iter()
            .zip(expected)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 2.5e-4, "recovered: {worst}");
    }

    #[test]
    fn the_note_comes_only_past_the_headroom() {
        assert_eq!(note(0.0), None);
        assert_eq!(note(1.0), None);
        assert_eq!(
            note(12.0).unwrap(),
            "At +12 dB the voice is louder than the speakers can play: its loudest moments are gently turned down rather than distorted."
        );
    }
}
