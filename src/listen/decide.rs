//! From frames to "quiet", "fussing" or "crying".
//!
//! A frame sounds like a cry when it is loud above the room's noise,
//! clearly pitched (harmonic), and pitched high: an infant's cry sits
//! around 300-600 Hz and above, an adult's speaking voice mostly below
//! 300 Hz. Cry frames in a row, bridging short dips, make a cry unit; a
//! unit counts once it lasts [`MIN_UNIT`] (a high syllable of speech is
//! shorter). A unit whose pitch holds as steady as a sung note (a
//! singer's vibrato, but no cry's wobble and glides) does not count.
//! Cry units of 0.8 s in all within 3 s is crying: after 0.8 s of unbroken
//! crying, and after about 1.5 s of a real cry with its breaths (the
//! bench's median); less is fussing. The thresholds are in [`Tuning`].

use std::collections::VecDeque;

use super::frame::{Features, HOP};
use super::resample::RATE;

/// Frames per second.
const FPS: f32 = RATE as f32 / HOP as f32;

fn frames(seconds: f32) -> usize {
    (seconds * FPS).round() as usize
}

/// What the detector hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hearing {
    #[default]
    Quiet,
    /// Short or intermittent cries: shown, never a pause.
    Fussing,
    /// About two seconds of crying: the session pauses.
    Crying,
}

impl Hearing {
    pub fn word(self) -> &'static str {
        match self {
            Hearing::Quiet => "quiet",
            Hearing::Fussing => "fussing",
            Hearing::Crying => "crying",
        }
    }
}

/// The detector's thresholds. [`Tuning::default`] is what soothe uses;
/// the bench (benches/listen.rs) can try others.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    /// The pitch range of a cry frame, Hz.
    pub f0_min: f32,
    pub f0_max: f32,
    /// The least harmonicity of a cry frame.
    pub harmonicity_min: f32,
    /// A cry frame stands this far above the noise floor, dB...
    pub above_floor_db: f32,
    /// ...is at least this loud, dBFS...
    pub level_min_db: f32,
    /// ...and stands this far above the echo estimate, dB.
    pub above_echo_db: f32,
    /// Dips bridged inside a unit, seconds.
    pub gap: f32,
    /// The shortest cry unit that counts, seconds.
    pub min_unit: f32,
    /// Crying: this many seconds of cry units within `cry_window`.
    pub cry_seconds: f32,
    pub cry_window: f32,
    /// Fussing: a cry unit within this window, seconds.
    pub fuss_window: f32,
    /// A unit whose pitch wanders less than this (the mean absolute
    /// change from frame to frame, semitones) is sung or hummed.
    pub steady_semitones: f32,
    /// A unit more harmonic on average than the maximum is a pure tone (a
    /// hum, a whistle, a sung note); one less than the minimum is speech
    /// whose pitch was misread. Cries lie between.
    pub unit_harmonicity_min: f32,
    pub unit_harmonicity_max: f32,
    /// A unit brighter than this is a clink or a hiss (dishes, water).
    pub unit_brightness_max: f32,
    /// A unit with less of its energy at its fundamental than this (on
    /// average) is a ring or a whistle, its pitch misread.
    pub unit_fundamental_min: f32,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            f0_min: 300.0,
            f0_max: 1_300.0,
            harmonicity_min: 0.45,
            above_floor_db: 12.0,
            level_min_db: -55.0,
            above_echo_db: 6.0,
            gap: 0.2,
            min_unit: 0.3,
            cry_seconds: 0.8,
            cry_window: 3.0,
            fuss_window: 6.0,
            steady_semitones: 0.25,
            unit_harmonicity_min: 0.6,
            unit_harmonicity_max: 0.93,
            unit_brightness_max: 0.55,
            unit_fundamental_min: 0.02,
        }
    }
}

impl Tuning {
    /// Sets a threshold by its field name (for the bench's sweeps).
    pub fn set(&mut self, name: &str, value: f32) -> Result<(), String> {
        let field = match name {
            "f0_min" => &mut self.f0_min,
            "f0_max" => &mut self.f0_max,
            "harmonicity_min" => &mut self.harmonicity_min,
            "above_floor_db" => &mut self.above_floor_db,
            "level_min_db" => &mut self.level_min_db,
            "above_echo_db" => &mut self.above_echo_db,
            "gap" => &mut self.gap,
            "min_unit" => &mut self.min_unit,
            "cry_seconds" => &mut self.cry_seconds,
            "cry_window" => &mut self.cry_window,
            "fuss_window" => &mut self.fuss_window,
            "steady_semitones" => &mut self.steady_semitones,
            "unit_harmonicity_min" => &mut self.unit_harmonicity_min,
            "unit_harmonicity_max" => &mut self.unit_harmonicity_max,
            "unit_brightness_max" => &mut self.unit_brightness_max,
            "unit_fundamental_min" => &mut self.unit_fundamental_min,
            other => return Err(format!("no threshold named {other}")),
        };
        *field = value;
        Ok(())
    }
}

/// Once crying, it stays crying while half the evidence remains.
const CRY_HOLD: f32 = 0.5;
/// The noise floor before anything is heard, dBFS (it falls at once to
/// whatever is quieter).
const FIRST_FLOOR_DB: f32 = -60.0;

/// One frame as the detector sees it.
#[derive(Debug, Clone, Copy)]
pub struct Observed {
    pub features: Features,
    /// The level of the echo estimate in this frame, dBFS.
    pub echo_db: f32,
    /// soothe's sound may be in this frame and cannot be told apart yet.
    pub masked: bool,
}

/// A finished cry unit, for the evaluation and for tuning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    pub seconds: f32,
    pub median_f0: f32,
    pub mean_harmonicity: f32,
    /// Mean absolute change of pitch from frame to frame, semitones.
    pub wobble: f32,
    pub mean_high: f32,
    pub mean_fundamental: f32,
    pub counted: bool,
}

#[derive(Debug)]
pub struct Decider {
    tuning: Tuning,
    floor_db: Option<f32>,
    /// Evidence per frame over the last FUSS_WINDOW (true: in a counted unit).
    evidence: VecDeque<bool>,
    /// The unit being heard: its cry frames and the frames since the last.
    unit: Vec<Features>,
    unit_frames: usize,
    gap: usize,
    /// Its frames already marked as evidence.
    marked: usize,
    state: Hearing,
    units: Vec<Unit>,
}

impl Decider {
    pub fn new(tuning: Tuning) -> Decider {
        Decider {
            tuning,
            floor_db: None,
            evidence: VecDeque::with_capacity(frames(tuning.fuss_window) + 1),
            unit: Vec::new(),
            unit_frames: 0,
            gap: 0,
            marked: 0,
            state: Hearing::Quiet,
            units: Vec::new(),
        }
    }

    pub fn state(&self) -> Hearing {
        self.state
    }

    /// Units heard so far (kept for the evaluation; cleared by `take_units`).
    pub fn take_units(&mut self) -> Vec<Unit> {
        std::mem::take(&mut self.units)
    }

    /// Whether a frame sounds like a cry, and tracks the noise floor.
    fn cry_like(&mut self, frame: &Observed) -> bool {
        let f = &frame.features;
        let floor = self.floor_db.get_or_insert(FIRST_FLOOR_DB);
        // The floor falls at once and rises slowly (about 1 dB/s), so a
        // long cry does not become the floor.
        *floor = if f.db < *floor {
            f.db
        } else {
            *floor + 1.0 / FPS
        };
        let floor = *floor;
        let t = &self.tuning;
        !frame.masked
            && f.db >= t.level_min_db
            && f.db >= floor + t.above_floor_db
            && f.db >= frame.echo_db + t.above_echo_db
            && f.harmonicity >= t.harmonicity_min
            && (t.f0_min..=t.f0_max).contains(&f.f0)
    }

    /// Takes one frame; returns what is heard now.
    pub fn push(&mut self, frame: &Observed) -> Hearing {
        let cry = self.cry_like(frame);
        self.evidence.push_back(false);
        let t = self.tuning;
        if self.evidence.len() > frames(t.fuss_window) {
            self.evidence.pop_front();
        }
        if cry {
            self.unit.push(frame.features);
            self.unit_frames += self.gap + 1;
            self.gap = 0;
        } else if !self.unit.is_empty() {
            self.gap += 1;
            if self.gap > frames(t.gap) {
                self.end_unit();
            }
        }
        if !self.unit.is_empty() && self.unit_frames >= frames(t.min_unit) && self.unit_ok() {
            // Mark the unit's frames (those still in the window) as evidence.
            let len = self.evidence.len();
            let new = self.unit_frames + self.gap - self.marked;
            for e in self.evidence.iter_mut().skip(len.saturating_sub(new)) {
                *e = true;
            }
            self.marked = self.unit_frames + self.gap;
        }
        let recent = frames(t.cry_window);
        let cry_frames = self
            .evidence
            .iter()
            .rev()
            .take(recent)
            .filter(|e| **e)
            .count();
        let any = self.evidence.iter().any(|e| *e);
        let needed = frames(t.cry_seconds);
        self.state = if cry_frames >= needed
            || (self.state == Hearing::Crying && cry_frames as f32 >= needed as f32 * CRY_HOLD)
        {
            Hearing::Crying
        } else if any {
            Hearing::Fussing
        } else {
            Hearing::Quiet
        };
        self.state
    }

    /// Whether the unit so far sounds cried rather than sung.
    fn unit_ok(&self) -> bool {
        let n = self.unit.len().max(1) as f32;
        let harmonicity = self.unit.iter().map(|f| f.harmonicity).sum::<f32>() / n;
        let brightness = self.unit.iter().map(|f| f.high).sum::<f32>() / n;
        let fundamental = self.unit.iter().map(|f| f.fundamental).sum::<f32>() / n;
        let t = &self.tuning;
        wobble(&self.unit) >= t.steady_semitones
            && (t.unit_harmonicity_min..t.unit_harmonicity_max).contains(&harmonicity)
            && brightness <= t.unit_brightness_max
            && fundamental >= t.unit_fundamental_min
    }

    fn end_unit(&mut self) {
        let unit = std::mem::take(&mut self.unit);
        let seconds = self.unit_frames as f32 / FPS;
        let counted = self.marked > 0;
        let mut f0s: Vec<f32> = unit.iter().map(|f| f.f0).collect();
        f0s.sort_by(f32::total_cmp);
        let n = unit.len().max(1) as f32;
        self.units.push(Unit {
            seconds,
            median_f0: f0s.get(f0s.len() / 2).copied().unwrap_or(0.0),
            mean_harmonicity: unit.iter().map(|f| f.harmonicity).sum::<f32>() / n,
            wobble: wobble(&unit),
            mean_high: unit.iter().map(|f| f.high).sum::<f32>() / n,
            mean_fundamental: unit.iter().map(|f| f.fundamental).sum::<f32>() / n,
            counted,
        });
        if self.units.len() > 10_000 {
            self.units.drain(..5_000);
        }
        self.unit_frames = 0;
        self.gap = 0;
        self.marked = 0;
    }
}

/// Mean absolute pitch change between neighbouring frames, semitones.
fn wobble(unit: &[Features]) -> f32 {
    if unit.len() < 2 {
        return 0.0;
    }
    let sum: f32 = unit
        .windows(2)
        .map(|w| (12.0 * (w[1].f0 / w[0].f0).log2()).abs().min(12.0))
        .sum();
    sum / (unit.len() - 1) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of a cry-like sound: loud, harmonic, high, wavering.
    fn cry_frame(k: usize) -> Observed {
        Observed {
            features: Features {
                db: -20.0,
                f0: 450.0 * (1.0 + 0.08 * ((k as f32) * 0.7).sin()),
                harmonicity: 0.8,
                high: 0.2,
                fundamental: 0.3,
            },
            echo_db: -120.0,
            masked: false,
        }
    }

    fn quiet_frame() -> Observed {
        Observed {
            features: Features {
                db: -70.0,
                ..Features::default()
            },
            echo_db: -120.0,
            masked: false,
        }
    }

    /// Pushes `seconds` of frames made by `frame`; the states seen.
    fn run(d: &mut Decider, seconds: f32, frame: impl Fn(usize) -> Observed) -> Vec<Hearing> {
        (0..frames(seconds)).map(|k| d.push(&frame(k))).collect()
    }

    #[test]
    fn unbroken_crying_is_crying_after_its_first_0_8_s() {
        let mut d = Decider::new(Tuning::default());
        run(&mut d, 2.0, |_| quiet_frame());
        let heard = run(&mut d, 3.0, cry_frame);
        let first = heard.iter().position(|h| *h == Hearing::Crying).unwrap();
        let seconds = first as f32 / FPS;
        assert!((0.75..=0.85).contains(&seconds), "crying after {seconds} s");
    }

    #[test]
    fn a_short_cry_is_fussing_and_then_it_is_quiet_again() {
        let mut d = Decider::new(Tuning::default());
        run(&mut d, 2.0, |_| quiet_frame());
        let heard = run(&mut d, 0.5, cry_frame);
        assert!(!heard.contains(&Hearing::Crying));
        assert_eq!(d.state(), Hearing::Fussing);
        run(&mut d, 7.0, |_| quiet_frame());
        assert_eq!(d.state(), Hearing::Quiet);
    }

    #[test]
    fn a_steady_sung_note_or_masked_sound_is_never_crying() {
        let mut d = Decider::new(Tuning::default());
        let sung = |_| Observed {
            features: Features {
                f0: 440.0,
                harmonicity: 0.99,
                ..cry_frame(0).features
            },
            ..cry_frame(0)
        };
        assert!(!run(&mut d, 5.0, sung).contains(&Hearing::Crying));
        let mut d = Decider::new(Tuning::default());
        let masked = |k| Observed {
            masked: true,
            ..cry_frame(k)
        };
        assert!(!run(&mut d, 5.0, masked).contains(&Hearing::Crying));
        let mut d = Decider::new(Tuning::default());
        let under_the_echo = |k| Observed {
            echo_db: -22.0,
            ..cry_frame(k)
        };
        assert!(!run(&mut d, 5.0, under_the_echo).contains(&Hearing::Crying));
    }

    #[test]
    fn a_threshold_is_set_by_name_and_an_unknown_name_is_refused() {
        let mut t = Tuning::default();
        t.set("cry_seconds", 1.5).unwrap();
        assert_eq!(t.cry_seconds, 1.5);
        assert_eq!(
            t.set("cry_secs", 1.0),
            Err("no threshold named cry_secs".to_string())
        );
    }
}
