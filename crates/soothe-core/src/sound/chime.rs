//! Stroke chimes, synthesised: a few bell-like partials with a smooth
//! attack and a decaying tail. No samples to ship, no click.

use std::f64::consts::PI;

use crate::session::script::ChimeStyle;

/// One partial: frequency ratio to the fundamental, level, decay time (s).
struct Partial {
    ratio: f64,
    level: f64,
    decay: f64,
}

struct Bell {
    fundamental: f64,
    partials: &'static [Partial],
    /// Peak level in dBFS, always at or below -12.
    peak_db: f64,
    seconds: f64,
}

const SOFT: Bell = Bell {
    // E4: low and round, for bedtime.
    fundamental: 329.63,
    partials: &[
        Partial {
            ratio: 1.0,
            level: 1.0,
            decay: 0.55,
        },
        Partial {
            ratio: 2.0,
            level: 0.22,
            decay: 0.35,
        },
        Partial {
            ratio: 2.76,
            level: 0.08,
            decay: 0.22,
        },
    ],
    peak_db: -18.0,
    seconds: 1.8,
};

const BRIGHT: Bell = Bell {
    // B5 with stronger upper partials: clearer, livelier.
    fundamental: 987.77,
    partials: &[
        Partial {
            ratio: 1.0,
            level: 1.0,
            decay: 0.40,
        },
        Partial {
            ratio: 2.0,
            level: 0.40,
            decay: 0.25,
        },
        Partial {
            ratio: 2.76,
            level: 0.25,
            decay: 0.18,
        },
        Partial {
            ratio: 5.40,
            level: 0.10,
            decay: 0.10,
        },
    ],
    peak_db: -14.0,
    seconds: 1.4,
};

/// Attack: a raised-cosine rise this long, so the onset never clicks.
const ATTACK: f64 = 0.008;
/// Release: the tail is faded to exactly zero over this long.
const RELEASE: f64 = 0.060;
/// The last stroke of a set rings twice: the second strike this much later,
/// a fourth lower, so the parent hears "that was the last one".
const SECOND_STRIKE: f64 = 0.28;
const SECOND_RATIO: f64 = 3.0 / 4.0;

/// The chime for `style` at `rate`; `last` gives the two-note chime that
/// marks the last stroke of a set. Mono samples in -1.0..=1.0.
pub fn synth(style: ChimeStyle, last: bool, rate: u32) -> Vec<f32> {
    let bell = match style {
        ChimeStyle::Soft => &SOFT,
        ChimeStyle::Bright => &BRIGHT,
    };
    let sr = f64::from(rate);
    let seconds = bell.seconds + if last { SECOND_STRIKE } else { 0.0 };
    let len = crate::clock::samples(seconds, rate) as usize;
    let mut out = vec![0.0f64; len];
    strike(&mut out, bell, bell.fundamental, 0, 1.0, sr);
    if last {
        let offset = (SECOND_STRIKE * sr).round() as usize;
        strike(
            &mut out,
            bell,
            bell.fundamental * SECOND_RATIO,
            offset,
            0.9,
            sr,
        );
    }

    let release = (RELEASE * sr).round() as usize;
    for (i, sample) in out.iter_mut().rev().take(release).enumerate() {
        *sample *= 0.5 - 0.5 * (PI * i as f64 / release as f64).cos();
    }
    let peak = out.iter().fold(0.0f64, |m, s| m.max(s.abs()));
    let gain = if peak > 0.0 {
        10f64.powf(bell.peak_db / 20.0) / peak
    } else {
        0.0
    };
    out.iter().map(|s| (s * gain) as f32).collect()
}

fn strike(out: &mut [f64], bell: &Bell, fundamental: f64, offset: usize, level: f64, sr: f64) {
    let attack = ATTACK * sr;
    let tail = out.len().saturating_sub(offset);
    for p in bell.partials {
        // Each partial is a decaying sine, e^(-t/decay) sin(wt): computed as
        // a complex phasor turned and shrunk by the same factor each sample
        // (exact to well below 16-bit resolution over a few seconds).
        let w = 2.0 * PI * fundamental * p.ratio / sr;
        let shrink = (-1.0 / (p.decay * sr)).exp();
        let (step_re, step_im) = (shrink * w.cos(), shrink * w.sin());
        let (mut re, mut im) = (p.level * level, 0.0f64);
        for (n, sample) in out[offset..].iter_mut().take(tail).enumerate() {
            let rise = if (n as f64) < attack {
                0.5 - 0.5 * (PI * n as f64 / attack).cos()
            } else {
                1.0
            };
            *sample += rise * im;
            (re, im) = (re * step_re - im * step_im, re * step_im + im * step_re);
        }
    }
}

/// The chimes of one session, made once.
#[derive(Debug, Clone)]
pub struct Chimes {
    pub stroke: std::sync::Arc<[f32]>,
    pub last: std::sync::Arc<[f32]>,
}

impl Chimes {
    pub fn new(style: ChimeStyle, rate: u32) -> Chimes {
        Chimes {
            stroke: synth(style, false, rate).into(),
            last: synth(style, true, rate).into(),
        }
    }

    pub fn get(&self, last: bool) -> &std::sync::Arc<[f32]> {
        if last {
            &self.last
        } else {
            &self.stroke
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peak_db(samples: &[f32]) -> f64 {
        let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        20.0 * f64::from(peak).log10()
    }

    /// Strongest frequency by a coarse DFT scan over the first 100 ms.
    fn dominant_hz(samples: &[f32], rate: u32) -> f64 {
        let n = (rate / 10) as usize;
        let window = &samples[..n];
        (100..3000)
            .step_by(5)
            .map(|hz| {
                let (mut re, mut im) = (0.0, 0.0);
                for (i, s) in window.iter().enumerate() {
                    let phase = 2.0 * PI * f64::from(hz) * i as f64 / f64::from(rate);
                    re += f64::from(*s) * phase.cos();
                    im += f64::from(*s) * phase.sin();
                }
                (hz, re * re + im * im)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(hz, _)| f64::from(hz))
            .unwrap()
    }

    #[test]
    fn every_chime_peaks_at_or_below_minus_12_dbfs() {
        for style in [ChimeStyle::Soft, ChimeStyle::Bright] {
            for last in [false, true] {
                let chime = synth(style, last, 48_000);
                assert!(peak_db(&chime) <= -12.0, "{style:?} last={last}");
            }
        }
    }

    #[test]
    fn soft_chimes_are_quieter_and_lower_than_bright_ones() {
        let soft = synth(ChimeStyle::Soft, false, 48_000);
        let bright = synth(ChimeStyle::Bright, false, 48_000);
        assert!(peak_db(&soft) < peak_db(&bright) - 2.0);
        let (soft_hz, bright_hz) = (dominant_hz(&soft, 48_000), dominant_hz(&bright, 48_000));
        assert!((soft_hz - 330.0).abs() < 10.0, "soft at {soft_hz} Hz");
        assert!((bright_hz - 988.0).abs() < 10.0, "bright at {bright_hz} Hz");
    }

    #[test]
    fn chimes_start_and_end_without_a_click() {
        for style in [ChimeStyle::Soft, ChimeStyle::Bright] {
            for last in [false, true] {
                let chime = synth(style, last, 48_000);
                assert_eq!(chime[0], 0.0);
                assert_eq!(*chime.last().unwrap(), 0.0);
                // No jump between neighbouring samples is larger than the
                // steepest slope of the bell itself (a click would be).
                let first_ms = &chime[..48];
                let biggest_step = first_ms
                    .windows(2)
                    .map(|w| (w[1] - w[0]).abs())
                    .fold(0.0f32, f32::max);
                assert!(biggest_step < 0.02, "{style:?}: step {biggest_step}");
            }
        }
    }

    #[test]
    fn the_last_stroke_chime_rings_a_second_lower_note() {
        let rate = 48_000;
        let normal = synth(ChimeStyle::Soft, false, rate);
        let last = synth(ChimeStyle::Soft, true, rate);
        assert!(last.len() > normal.len());
        // The normal chime only decays; the last-stroke chime swells again
        // at its second strike, a fourth lower.
        let at = (SECOND_STRIKE * f64::from(rate)) as usize + 200;
        let energy = |s: &[f32]| s.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>();
        let before = at - 200 - 4800..at - 200;
        assert!(energy(&last[at..at + 4800]) > 1.5 * energy(&last[before.clone()]));
        assert!(energy(&normal[at..at + 4800]) < energy(&normal[before]));
        let second_hz = dominant_hz(&last[at..], rate);
        assert!(
            (second_hz - 247.0).abs() < 10.0,
            "second strike at {second_hz} Hz"
        );
    }
}
