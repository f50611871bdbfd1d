//! Hearing when the parent has spoken and then fallen silent.
//!
//! Everything here counts samples, never wall-clock time: "1.5 s of
//! silence" is 72,000 samples at 48 kHz whether they arrive in real time
//! from a microphone or all at once from a file or a test.
//!
//! The level of each 10 ms frame (after the rumble filter) is compared with
//! a noise floor that follows the quietest frames down at once and creeps
//! up slowly (3 dB a second). Speech rises well above that floor and keeps
//! changing; steady noise, however loud, stays near it, so noise alone is
//! never taken for speech.

use super::filter::{HighPass, RUMBLE_CUTOFF_HZ};

/// The length of the frames levels are measured over.
pub const FRAME_SECONDS: f64 = 0.010;
/// How far above the noise floor a frame must be to count as speech.
const ONSET_DB: f64 = 15.0;
/// Once speech has been heard, a frame this far above the floor still
/// counts as the parent speaking (a soft word end, a breath before more).
const SUSTAIN_DB: f64 = 10.0;
/// Nothing quieter than this counts as speech, whatever the floor.
const MIN_SPEECH_DB: f64 = -65.0;
/// Frames quieter than this are digital silence (a device starting up):
/// they tell nothing about the room's noise.
const DIGITAL_SILENCE_DB: f64 = -100.0;
/// How fast the noise floor may rise, per second.
const FLOOR_RISE_DB_PER_SECOND: f64 = 3.0;
/// Frames at the start during which the floor is learnt but nothing counts
/// as speech (filters settling, a device's first samples).
const WARMUP_FRAMES: u64 = 5;
/// Speech has been heard once this many loud frames come...
const ONSET_FRAMES: u32 = 10;
/// ...with no gap between them longer than this many frames.
const ONSET_MAX_GAP_FRAMES: u32 = 30;

/// When a take ends, in samples at the take's rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Silence after speech that ends the take.
    pub silence_after: u64,
    /// The longest a take may be.
    pub max_len: u64,
    /// With no speech by then, give up: "no speech heard".
    pub give_up: u64,
}

impl Limits {
    /// 1.5 s of silence ends a take, which lasts at most 60 s; with no
    /// speech in the first 20 s there is none to wait for.
    pub fn at(rate: u32) -> Limits {
        let seconds = |s: f64| crate::clock::samples(s, rate);
        Limits {
            silence_after: seconds(1.5),
            max_len: seconds(60.0),
            give_up: seconds(20.0),
        }
    }
}

/// Why listening stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Speech, then [`Limits::silence_after`] of silence.
    Silence,
    /// Speech went on to [`Limits::max_len`].
    MaxLength,
    /// Nothing but silence or noise until [`Limits::give_up`] (or until
    /// the take was cut short by other means).
    NoSpeech,
}

/// A streaming speech detector for one take.
#[derive(Debug, Clone)]
pub struct SpeechDetector {
    limits: Limits,
    frame_len: usize,
    filter: HighPass,
    energy: f64,
    in_frame: usize,
    frames: u64,
    floor: Option<f64>,
    rise_per_frame: f64,
    onset_loud: u32,
    onset_gap: u32,
    heard: bool,
    silent: u64,
    total: u64,
}

impl SpeechDetector {
    pub fn new(rate: u32, limits: Limits) -> SpeechDetector {
        let frame_len = (crate::clock::samples(FRAME_SECONDS, rate) as usize).max(1);
        SpeechDetector {
            limits,
            frame_len,
            filter: HighPass::new(rate, RUMBLE_CUTOFF_HZ),
            energy: 0.0,
            in_frame: 0,
            frames: 0,
            floor: None,
            rise_per_frame: FLOOR_RISE_DB_PER_SECOND * frame_len as f64 / f64::from(rate.max(1)),
            onset_loud: 0,
            onset_gap: 0,
            heard: false,
            silent: 0,
            total: 0,
        }
    }

    /// Whether speech has been heard so far.
    pub fn heard_speech(&self) -> bool {
        self.heard
    }

    /// Listens to the next samples. Once the take is over, says why and how
    /// many of `samples` belong to it (the rest belong to whatever comes
    /// next).
    pub fn push(&mut self, samples: &[f32]) -> Option<(Stop, usize)> {
        for (i, &sample) in samples.iter().enumerate() {
            let filtered = f64::from(self.filter.process(sample));
            self.energy += filtered * filtered;
            self.in_frame += 1;
            self.total += 1;
            if self.in_frame == self.frame_len {
                self.end_frame();
            }
            if let Some(stop) = self.verdict() {
                return Some((stop, i + 1));
            }
        }
        None
    }

    fn verdict(&self) -> Option<Stop> {
        if self.heard {
            if self.silent >= self.limits.silence_after {
                Some(Stop::Silence)
            } else if self.total >= self.limits.max_len {
                Some(Stop::MaxLength)
            } else {
                None
            }
        } else if self.total >= self.limits.give_up.min(self.limits.max_len) {
            Some(Stop::NoSpeech)
        } else {
            None
        }
    }

    fn end_frame(&mut self) {
        let db = 10.0 * (self.energy / self.frame_len as f64 + 1e-20).log10();
        self.energy = 0.0;
        self.in_frame = 0;
        self.frames += 1;
        if db > DIGITAL_SILENCE_DB {
            self.floor = Some(match self.floor {
                Some(floor) if db >= floor => (floor + self.rise_per_frame).min(db),
                _ => db,
            });
        }
        let floor = self.floor.unwrap_or(db);
        let loud = self.frames > WARMUP_FRAMES && db > floor + ONSET_DB && db > MIN_SPEECH_DB;
        let active = db > floor + SUSTAIN_DB && db > MIN_SPEECH_DB;
        if !self.heard {
            if loud {
                self.onset_loud += 1;
                self.onset_gap = 0;
                if self.onset_loud >= ONSET_FRAMES {
                    self.heard = true;
                    self.silent = 0;
                }
            } else {
                self.onset_gap += 1;
                if self.onset_gap > ONSET_MAX_GAP_FRAMES {
                    self.onset_loud = 0;
                }
            }
        } else if active {
            self.silent = 0;
        } else {
            self.silent += self.frame_len as u64;
        }
    }
}

/// Whether a whole recording holds speech, judged as a take would be.
pub fn contains_speech(samples: &[f32], rate: u32) -> bool {
    let limits = Limits {
        silence_after: u64::MAX,
        max_len: u64::MAX,
        give_up: u64::MAX,
    };
    let mut detector = SpeechDetector::new(rate, limits);
    detector.push(samples);
    detector.heard_speech()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::take::testsignal::{noise, Signal};

    const RATE: u32 = 48_000;

    fn secs(s: f64) -> usize {
        (s * f64::from(RATE)) as usize
    }

    #[test]
    fn speech_then_one_and_a_half_seconds_of_silence_ends_the_take_to_the_frame() {
        let mut signal = Signal::new(RATE);
        signal.noise(0.5, -70.0);
        let speech_end = signal.speech(2.4, -20.0, -70.0);
        signal.noise(4.0, -70.0);
        let mut detector = SpeechDetector::new(RATE, Limits::at(RATE));
        // Fed in odd-sized pieces, as a device would.
        let mut fed = 0;
        let mut stop = None;
        for chunk in signal.samples.chunks(997) {
            if let Some((why, used)) = detector.push(chunk) {
                stop = Some((why, fed + used));
                break;
            }
            fed += chunk.len();
        }
        let (why, at) = stop.expect("the take ends");
        assert_eq!(why, Stop::Silence);
        let expected = speech_end + secs(1.5);
        let frame = secs(FRAME_SECONDS);
        assert!(
            at.abs_diff(expected) <= 2 * frame,
            "stopped at {at}, speech ended at {speech_end}"
        );
    }

    #[test]
    fn pauses_between_sentences_do_not_end_the_take() {
        let mut signal = Signal::new(RATE);
        signal.noise(0.3, -65.0);
        signal.speech(1.5, -22.0, -65.0);
        signal.noise(1.0, -65.0);
        let end = signal.speech(1.5, -22.0, -65.0);
        signal.noise(3.0, -65.0);
        let mut detector = SpeechDetector::new(RATE, Limits::at(RATE));
        let (why, at) = detector.push(&signal.samples).unwrap();
        assert_eq!(why, Stop::Silence);
        assert!(
            at.abs_diff(end + secs(1.5)) <= secs(0.02),
            "stopped at {at}; the second sentence ended at {end}"
        );
    }

    #[test]
    fn steady_noise_alone_is_not_speech_however_loud() {
        for level in [-70.0, -45.0, -25.0, -12.0] {
            let samples = noise(RATE, secs(25.0), level, 7);
            let mut detector = SpeechDetector::new(RATE, Limits::at(RATE));
            let (why, at) = detector.push(&samples).unwrap();
            assert_eq!(why, Stop::NoSpeech, "noise at {level} dBFS");
            assert_eq!(at, secs(20.0), "gives up after 20 s of samples");
        }
    }

    #[test]
    fn digital_silence_then_noise_is_not_speech() {
        let mut samples = vec![0.0f32; secs(0.5)];
        samples.extend(noise(RATE, secs(5.0), -40.0, 3));
        assert!(!contains_speech(&samples, RATE));
        assert!(!contains_speech(&vec![0.0; secs(5.0)], RATE));
    }

    #[test]
    fn speech_in_steady_noise_is_heard_at_any_level() {
        for (speech_db, noise_db) in [(-45.0, -75.0), (-20.0, -50.0), (-8.0, -35.0)] {
            let mut signal = Signal::new(RATE);
            signal.noise(1.0, noise_db);
            signal.speech(2.0, speech_db, noise_db);
            signal.noise(1.0, noise_db);
            assert!(
                contains_speech(&signal.samples, RATE),
                "speech at {speech_db} in noise at {noise_db}"
            );
        }
    }

    #[test]
    fn speech_that_never_pauses_stops_at_the_maximum_length() {
        let limits = Limits {
            silence_after: secs(1.5) as u64,
            max_len: secs(3.0) as u64 + 17,
            give_up: secs(2.0) as u64,
        };
        let mut signal = Signal::new(RATE);
        signal.speech(5.0, -20.0, -70.0);
        let mut detector = SpeechDetector::new(RATE, limits);
        let (why, at) = detector.push(&signal.samples).unwrap();
        assert_eq!(why, Stop::MaxLength);
        assert_eq!(at as u64, limits.max_len, "sample-exact");
    }
}
