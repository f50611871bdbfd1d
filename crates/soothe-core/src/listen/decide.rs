//! From frames to "quiet", "fussing" or "crying".
//!
//! A frame counts when it sounds (it stands out of the room's noise and
//! of soothe's echo) and the moment it ends, the last second, is like an
//! infant's cry ([`Model`]). Counted frames of 0.75 s in all within 2 s
//! is crying; 0.75 s within 6 s is fussing. The thresholds are in
//! [`Tuning`], chosen on the cross-validated trade-off (BENCHMARKS.md).

use std::collections::VecDeque;

use super::context::{frame_vector, Context, PER_FRAME};
use super::frame::{Features, FRAME, HOP};
use super::model::Model;
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
    /// A sounding frame stands this far above the noise floor, dB...
    pub above_floor_db: f32,
    /// ...is at least this loud, dBFS...
    pub level_min_db: f32,
    /// ...and stands this far above the echo estimate, dB.
    pub above_echo_db: f32,
    /// A sounding frame counts when the model gives its moment at least
    /// this probability of being a cry.
    pub probability: f32,
    /// Crying: this many seconds of counted frames within `cry_window`.
    pub cry_seconds: f32,
    pub cry_window: f32,
    /// Fussing: this many seconds of counted frames within `fuss_window`.
    pub fuss_seconds: f32,
    pub fuss_window: f32,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            above_floor_db: 10.0,
            level_min_db: -60.0,
            above_echo_db: 3.0,
            // Dense evidence (0.75 s of 2 s) at a higher probability: as
            // many cries in time as 1 s of 3 s at 0.8, with fewer sounds
            // taken for crying (BENCHMARKS.md, "A denser crying rule").
            probability: 0.9,
            cry_seconds: 0.75,
            cry_window: 2.0,
            fuss_seconds: 0.75,
            fuss_window: 6.0,
        }
    }
}

impl Tuning {
    /// Sets a threshold by its field name (for the bench's sweeps).
    pub fn set(&mut self, name: &str, value: f32) -> Result<(), String> {
        let field = match name {
            "above_floor_db" => &mut self.above_floor_db,
            "level_min_db" => &mut self.level_min_db,
            "above_echo_db" => &mut self.above_echo_db,
            "probability" => &mut self.probability,
            "cry_seconds" => &mut self.cry_seconds,
            "cry_window" => &mut self.cry_window,
            "fuss_seconds" => &mut self.fuss_seconds,
            "fuss_window" => &mut self.fuss_window,
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
/// A sound that never falls quieter than itself for this long (a hum, a
/// fan, running water) is the room's noise, not a cry: a cry breathes,
/// every second or so. Until this long has been heard, the room is not
/// known: nothing is said to be heard, and what was counted is weighed
/// again once it is (see [`Decider::room_known`]).
const STEADY_SECONDS: f32 = 3.0;

/// One frame as the detector sees it.
#[derive(Debug, Clone, Copy)]
pub struct Observed {
    pub features: Features,
    /// The level of the echo estimate in this frame, dBFS.
    pub echo_db: f32,
    /// soothe's sound may be in this frame and cannot be told apart yet.
    pub masked: bool,
}

/// One frame as the model saw it, kept for training and for the bench.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    /// The frame's number, from the first frame heard.
    pub frame: u64,
    /// Its level, dBFS.
    pub db: f32,
    /// Its numbers ([`frame_vector`]), if it sounds.
    pub numbers: Option<[f32; PER_FRAME]>,
    /// What the model made of the moment ending with it, if weighed (it
    /// sounds, and so does a quarter of the moment).
    pub probability: Option<f32>,
}

impl Moment {
    /// When its frame ends, in seconds from the first sample heard.
    pub fn end_seconds(&self) -> f64 {
        (self.frame as f64 * HOP as f64 + FRAME as f64) / f64::from(RATE)
    }
}

#[derive(Debug)]
pub struct Decider {
    tuning: Tuning,
    model: Model,
    floor_db: Option<f32>,
    /// The levels of the last [`STEADY_SECONDS`] of frames, dBFS.
    recent_db: VecDeque<f32>,
    context: Context,
    verdict: Verdict,
    frame: u64,
    /// The moments heard, when kept (for training).
    moments: Option<Vec<Moment>>,
}

impl Decider {
    pub fn with_model(tuning: Tuning, model: Model) -> Decider {
        Decider {
            tuning,
            model,
            floor_db: None,
            recent_db: VecDeque::with_capacity(frames(STEADY_SECONDS) + 1),
            context: Context::default(),
            verdict: Verdict::new(tuning),
            frame: 0,
            moments: None,
        }
    }

    pub fn state(&self) -> Hearing {
        self.verdict.state
    }

    /// Keeps every frame as the model saw it from now on (for training).
    pub fn keep_moments(&mut self) {
        self.moments.get_or_insert_with(Vec::new);
    }

    /// The moments kept so far.
    pub fn take_moments(&mut self) -> Vec<Moment> {
        self.moments
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The frame's numbers when it sounds; tracks the noise floor: the
    /// quietest the room has been (rising slowly), or the quietest of
    /// the last few seconds if that is louder (a steady noise).
    fn sounding(&mut self, frame: &Observed) -> Option<[f32; PER_FRAME]> {
        let f = &frame.features;
        let floor = self.floor_db.get_or_insert(FIRST_FLOOR_DB);
        // The floor falls at once and rises slowly (about 1 dB/s), so a
        // long cry does not become the floor.
        *floor = if f.db < *floor {
            f.db
        } else {
            *floor + 1.0 / FPS
        };
        // But a steady sound is the floor once it has gone on for a while.
        let steady = steady_db(&mut self.recent_db, f.db);
        let floor = floor.max(steady);
        let t = &self.tuning;
        let sounds = !frame.masked
            && f.db >= t.level_min_db
            && f.db >= floor + t.above_floor_db
            && f.db >= frame.echo_db + t.above_echo_db;
        sounds.then(|| frame_vector(f))
    }

    /// Takes one frame; returns what is heard now.
    pub fn push(&mut self, frame: &Observed) -> Hearing {
        let numbers = self.sounding(frame);
        let db = frame.features.db;
        self.context.push(numbers.map(|numbers| (numbers, db)));
        let probability = (numbers.is_some() && self.context.weighed())
            .then(|| self.model.probability(&self.context));
        if let Some(moments) = &mut self.moments {
            moments.push(Moment {
                frame: self.frame,
                db,
                numbers,
                probability,
            });
        }
        self.frame += 1;
        let cry = probability.is_some_and(|p| p >= self.tuning.probability);
        self.verdict.push(cry, db)
    }
}

/// Keeps the last [`STEADY_SECONDS`] of levels, `db` the newest; their
/// quietest once that long has been heard (a sound that never fell
/// quieter than that is steady), minus infinity before.
fn steady_db(recent_db: &mut VecDeque<f32>, db: f32) -> f32 {
    recent_db.push_back(db);
    if recent_db.len() > frames(STEADY_SECONDS) {
        recent_db.pop_front();
    }
    if recent_db.len() >= frames(STEADY_SECONDS) {
        recent_db.iter().copied().fold(f32::INFINITY, f32::min)
    } else {
        f32::NEG_INFINITY
    }
}

/// From frames counted as a cry (or not) to the verdict: how much of the
/// last seconds counted, once the room is known. Apart from the model,
/// so that the bench can weigh one model's answers at many thresholds.
#[derive(Debug, Clone)]
pub struct Verdict {
    tuning: Tuning,
    /// The levels of the last [`STEADY_SECONDS`] of frames, dBFS.
    recent_db: VecDeque<f32>,
    /// Per frame over the last `fuss_window`: counted as a cry.
    evidence: VecDeque<bool>,
    state: Hearing,
    /// [`STEADY_SECONDS`] have been heard: the room's steady noise is known.
    room_known: bool,
}

impl Verdict {
    pub fn new(tuning: Tuning) -> Verdict {
        Verdict {
            tuning,
            recent_db: VecDeque::with_capacity(frames(STEADY_SECONDS) + 1),
            evidence: VecDeque::with_capacity(frames(tuning.fuss_window) + 1),
            state: Hearing::Quiet,
            room_known: false,
        }
    }

    /// Takes the next frame: whether it counts as a cry, and its level
    /// (dBFS). Returns what is heard now.
    pub fn push(&mut self, cry: bool, db: f32) -> Hearing {
        steady_db(&mut self.recent_db, db);
        let t = self.tuning;
        self.evidence.push_back(cry);
        if self.evidence.len() > frames(t.fuss_window) {
            self.evidence.pop_front();
        }
        if !self.room_known {
            if self.recent_db.len() < frames(STEADY_SECONDS) {
                self.state = Hearing::Quiet;
                return self.state;
            }
            self.room_known();
        }
        let recent = self
            .evidence
            .iter()
            .rev()
            .take(frames(t.cry_window))
            .filter(|e| **e)
            .count();
        let all = self.evidence.iter().filter(|e| **e).count();
        let needed = frames(t.cry_seconds);
        self.state = if recent >= needed
            || (self.state == Hearing::Crying && recent as f32 >= needed as f32 * CRY_HOLD)
        {
            Hearing::Crying
        } else if all >= frames(t.fuss_seconds) {
            Hearing::Fussing
        } else {
            Hearing::Quiet
        };
        self.state
    }

    /// The first [`STEADY_SECONDS`] have been heard: what was counted in
    /// them and never stood out of their quietest moment (a hum, a tone,
    /// an offset already there when listening began) was the room, not a
    /// cry, and no longer counts. A cry already going on still does: it
    /// breathes.
    fn room_known(&mut self) {
        self.room_known = true;
        let steady = self.recent_db.iter().copied().fold(f32::INFINITY, f32::min);
        let counted = self.evidence.iter_mut().rev();
        for (cry, db) in counted.zip(self.recent_db.iter().rev()) {
            *cry &= *db >= steady + self.tuning.above_floor_db;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::context::CONTEXT;
    use super::super::model::pitch_network;
    use super::*;

    /// A model that hears a cry wherever a frame of the moment is clearly
    /// pitched (a steep logistic of its harmonicity).
    fn pitch_model() -> Model {
        Model::parse(&pitch_network(CONTEXT, 40.0, -20.0)).unwrap()
    }

    fn decider() -> Decider {
        Decider::with_model(Tuning::default(), pitch_model())
    }

    /// A frame of a cry-like sound: loud, harmonic, high.
    fn cry_frame() -> Observed {
        Observed {
            features: Features {
                db: -20.0,
                f0: 450.0,
                harmonicity: 0.8,
                high: 0.2,
                fundamental: 0.3,
                ..Features::default()
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

    /// Pushes `seconds` of `frame`; the states seen.
    fn run(d: &mut Decider, seconds: f32, frame: Observed) -> Vec<Hearing> {
        (0..frames(seconds)).map(|_| d.push(&frame)).collect()
    }

    #[test]
    fn unbroken_crying_is_crying_once_its_moment_fills_and_0_75_s_more_counts() {
        let mut d = decider();
        run(&mut d, 2.0, quiet_frame());
        let heard = run(&mut d, 3.0, cry_frame());
        let first = heard.iter().position(|h| *h == Hearing::Crying).unwrap();
        let seconds = first as f32 / FPS;
        // A quarter of the 1 s moment must sound before the model is
        // asked (0.26 s), then 0.75 s of counted frames.
        assert!((0.95..=1.05).contains(&seconds), "crying after {seconds} s");
    }

    #[test]
    fn short_cries_apart_are_fussing_and_then_it_is_quiet_again() {
        let mut d = decider();
        // Once the room is known (3 s).
        run(&mut d, 3.0, quiet_frame());
        // Each cry: 0.26 s before the model is asked, then 0.45 s counted,
        // 2.5 s apart: 0.9 s within 6 s is over fussing's 0.75 s, and never
        // crying's 0.75 s within 2 s.
        let mut heard = run(&mut d, 0.71, cry_frame());
        heard.extend(run(&mut d, 2.5, quiet_frame()));
        heard.extend(run(&mut d, 0.71, cry_frame()));
        assert!(!heard.contains(&Hearing::Crying));
        assert_eq!(d.state(), Hearing::Fussing);
        run(&mut d, 7.0, quiet_frame());
        assert_eq!(d.state(), Hearing::Quiet);
    }

    #[test]
    fn a_sound_that_never_falls_quiet_for_3_s_is_the_rooms_noise() {
        let mut d = decider();
        run(&mut d, 2.0, quiet_frame());
        // As steady as a hum, and pitched as a cry: a cry breathes.
        run(&mut d, 3.5, cry_frame());
        d.keep_moments();
        run(&mut d, 6.0, cry_frame());
        let moments = d.take_moments();
        assert_eq!(moments.len(), frames(6.0));
        assert!(moments.iter().all(|m| m.numbers.is_none()));
        assert_eq!(d.state(), Hearing::Quiet);
    }

    #[test]
    fn a_steady_sound_there_from_the_start_is_the_rooms_noise_not_a_cry() {
        // Pitched as a cry, and loud, but already there when listening
        // began: nothing stands out of it, before 3 s or after.
        let mut d = decider();
        let heard = run(&mut d, 6.0, cry_frame());
        assert!(heard.iter().all(|h| *h == Hearing::Quiet), "{heard:?}");
        // What stands out of it later still counts.
        let louder = Observed {
            features: Features {
                db: 0.0,
                ..cry_frame().features
            },
            ..cry_frame()
        };
        assert!(run(&mut d, 2.0, louder).contains(&Hearing::Crying));
    }

    #[test]
    fn a_cry_already_going_on_when_listening_begins_is_crying_once_the_room_is_known() {
        // Bursts of 0.8 s with breaths of 0.3 s, from the first frame.
        let mut d = decider();
        let mut heard = Vec::new();
        for _ in 0..5 {
            heard.extend(run(&mut d, 0.8, cry_frame()));
            heard.extend(run(&mut d, 0.3, quiet_frame()));
        }
        let first = heard.iter().position(|h| *h == Hearing::Crying).unwrap();
        // Nothing is said for the first 3 s; then the bursts counted.
        assert_eq!(first, frames(STEADY_SECONDS) - 1, "crying at frame {first}");
        assert!(heard[..first].iter().all(|h| *h == Hearing::Quiet));
    }

    #[test]
    fn a_cry_masked_or_under_the_echo_is_never_crying() {
        let mut d = decider();
        let masked = Observed {
            masked: true,
            ..cry_frame()
        };
        assert!(!run(&mut d, 5.0, masked).contains(&Hearing::Crying));
        let mut d = decider();
        let under_the_echo = Observed {
            echo_db: -21.0,
            ..cry_frame()
        };
        assert!(!run(&mut d, 5.0, under_the_echo).contains(&Hearing::Crying));
    }

    #[test]
    fn moments_are_kept_only_when_asked_with_what_the_model_made_of_them() {
        let mut d = decider();
        run(&mut d, 1.0, cry_frame());
        assert_eq!(d.take_moments(), vec![]);
        d.keep_moments();
        run(&mut d, 0.5, cry_frame());
        let moments = d.take_moments();
        assert_eq!(moments.len(), frames(0.5));
        assert_eq!(moments[0].frame, frames(1.0) as u64);
        assert!(moments
            .iter()
            .all(|m| m.numbers.is_some() && m.probability.is_some_and(|p| p > 0.99)));
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
