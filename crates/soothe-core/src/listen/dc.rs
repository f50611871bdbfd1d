//! The microphone's DC offset taken out before anything is measured. A
//! cheap microphone, or one stuck at a rail, adds a constant to every
//! sample: inaudible, but to the frame's level it is sound, and to its
//! pitch a perfect period. A one-pole high-pass removes it.

/// The pole: a corner at about 6 Hz at 8 kHz, and a time constant of
/// 200 samples (25 ms): a step of offset is down 22 dB two frames (64 ms)
/// on. At 100 Hz, where the lowest band starts, it takes 0.02 dB away.
const POLE: f32 = 0.995;
/// Smaller than this is nothing.
const TINY: f32 = 1e-20;

/// `y[n] = x[n] - x[n-1] + POLE * y[n-1]`, in place, across calls.
#[derive(Debug, Clone, Default)]
pub struct DcBlocker {
    /// The last input; `None` before the first, which is taken as having
    /// always been there (no step at the start).
    last_in: Option<f32>,
    last_out: f32,
}

impl DcBlocker {
    pub fn new() -> DcBlocker {
        DcBlocker::default()
    }

    /// Takes the DC out of `x`, which follows what it was given before.
    pub fn process(&mut self, x: &mut [f32]) {
        for s in x {
            let previous = *self.last_in.get_or_insert(*s);
            let out = *s - previous + POLE * self.last_out;
            // The tail of a sound into digital silence would shrink into
            // subnormal numbers and stay there (the smallest one times
            // the pole rounds back to itself), and everything after this
            // filter slows several times over on them: far below
            // anything heard (-400 dBFS), it is silence.
            let out = if out.abs() < TINY { 0.0 } else { out };
            self.last_in = Some(*s);
            self.last_out = out;
            *s = out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rms(x: &[f32]) -> f32 {
        (x.iter().map(|s| s * s).sum::<f32>() / x.len() as f32).sqrt()
    }

    fn tone(hz: f32, n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| 0.1 * (2.0 * std::f32::consts::PI * hz * i as f32 / 8_000.0).sin())
            .collect()
    }

    #[test]
    fn an_offset_from_the_start_is_gone_at_once() {
        let mut x = vec![0.25; 8_000];
        DcBlocker::new().process(&mut x);
        assert!(x.iter().all(|s| *s == 0.0), "{:?}", &x[..4]);
    }

    #[test]
    fn a_step_of_offset_is_gone_within_two_frames() {
        let mut x = vec![0.0; 1_000];
        x.extend(vec![0.5; 7_000]);
        let mut blocker = DcBlocker::new();
        // In pieces, as the microphone comes: the same as at once.
        let (a, b) = x.split_at_mut(1_234);
        blocker.process(a);
        blocker.process(b);
        assert!((x[1_000] - 0.5).abs() < 1e-6);
        // 512 samples (two frames) on, less than a tenth of it is left.
        assert!(x[1_512].abs() < 0.1 * 0.5, "{}", x[1_512]);
        assert!(x[2_500..].iter().all(|s| s.abs() < 1e-3));
    }

    #[test]
    fn digital_silence_after_a_sound_comes_out_as_zero_not_subnormal_numbers() {
        let mut x = tone(440.0, 800);
        x.extend(vec![0.0; 40_000]);
        DcBlocker::new().process(&mut x);
        assert!(x.iter().all(|s| !s.is_subnormal()));
        assert!(x[20_000..].iter().all(|s| *s == 0.0));
    }

    #[test]
    fn sound_at_100_hz_and_above_passes_within_a_tenth_of_a_db() {
        for hz in [100.0, 250.0, 450.0, 1_000.0, 3_000.0] {
            let mut x = tone(hz, 16_000);
            let before = rms(&x[8_000..]);
            DcBlocker::new().process(&mut x);
            let db = 20.0 * (rms(&x[8_000..]) / before).log10();
            assert!(db.abs() < 0.1, "{hz} Hz: {db:.3} dB");
        }
    }
}
