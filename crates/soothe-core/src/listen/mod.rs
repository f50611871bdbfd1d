//! Listening for the baby: does the microphone hear crying, even while
//! soothe's own voice and chimes play in the same room?
//!
//! Pure and offline: [`Listener`] takes the microphone's samples and the
//! samples soothe played at the same moment (the reference), and says
//! [`Hearing::Quiet`], [`Hearing::Fussing`] or [`Hearing::Crying`]. The
//! pipeline: both streams down to 8 kHz ([`resample`]) and their DC
//! offset taken out ([`dc`]); soothe's echo
//! found and taken out of the microphone ([`echo`]); each 16 ms frame
//! measured ([`frame`]); the last second of frames ([`context`]) weighed
//! by a small trained network ([`model`]), and its answers into a verdict
//! ([`decide`]). `play --listen` (soothe's `src/listening.rs`) and
//! `soothe listen` both reach their verdict through one [`Watch`];
//! `play --listen` holds the session when it hears crying. Nothing heard is kept beyond the few
//! seconds the analysis needs, and nothing leaves this module but the
//! verdict.

pub mod context;
pub mod dc;
pub mod decide;
pub mod ear;
pub mod echo;
pub mod frame;
pub mod model;
pub mod resample;
mod sensitivity;
pub mod tap;
mod watch;

pub use decide::{Hearing, Moment, Tuning, Verdict};
pub use ear::{Ear, Heard};
pub use sensitivity::Sensitivity;
pub use tap::Tap;
pub use watch::{poll_samples, Watch, POLL};

use dc::DcBlocker;
use decide::{Decider, Observed};
use echo::Canceller;
use frame::{Meter, FRAME, HOP, SPAN};
use model::Model;
use resample::Downsampler;

/// `play --listen`: what to listen with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListenOptions {
    /// The input device's name (`--input`); the default input when `None`.
    pub input: Option<String>,
    /// How readily a sound is taken for crying (`--sensitivity`).
    pub sensitivity: Sensitivity,
}

/// Hears the microphone, knowing what soothe plays.
pub struct Listener {
    mic_down: Downsampler,
    reference_down: Downsampler,
    /// Each stream's DC offset taken out, the same way, so that the echo
    /// path between them stays what the room makes it.
    mic_dc: DcBlocker,
    reference_dc: DcBlocker,
    /// 8 kHz samples not yet paired with the other stream's.
    mic: Vec<f32>,
    reference: Vec<f32>,
    canceller: Canceller,
    /// The echo-cancelled microphone and the echo estimate, for framing.
    residual: Vec<f32>,
    echo: Vec<f32>,
    meter: Meter,
    decider: Decider,
    /// The level of the last frame, dBFS (before echo cancelling).
    level_db: f32,
    mic_frame: Vec<f32>,
    /// 8 kHz samples heard so far.
    heard: u64,
    /// Frames with the reference playing and no echo found (since the
    /// last echo found).
    unlocked_frames: usize,
    /// How many times crying has begun, frame by frame.
    crying_onsets: u64,
}

/// Frames of playing with no echo found after which the reference is
/// taken as unheard (5 s).
const UNHEARD_FRAMES: usize = 5 * resample::RATE as usize / HOP;

impl Listener {
    /// A listener for a microphone at `mic_rate` Hz and a reference (what
    /// soothe plays) at `reference_rate` Hz.
    pub fn new(mic_rate: u32, reference_rate: u32) -> Listener {
        Listener::with_tuning(mic_rate, reference_rate, Tuning::default())
    }

    /// A listener with other thresholds (for the bench).
    pub fn with_tuning(mic_rate: u32, reference_rate: u32, tuning: Tuning) -> Listener {
        Listener::with_model(mic_rate, reference_rate, tuning, Model::trained())
    }

    /// A listener with other thresholds and another model (for the
    /// bench, and for training one).
    pub fn with_model(
        mic_rate: u32,
        reference_rate: u32,
        tuning: Tuning,
        model: Model,
    ) -> Listener {
        Listener {
            mic_down: Downsampler::new(mic_rate),
            reference_down: Downsampler::new(reference_rate),
            mic_dc: DcBlocker::new(),
            reference_dc: DcBlocker::new(),
            mic: Vec::new(),
            reference: Vec::new(),
            canceller: Canceller::new(),
            residual: Vec::with_capacity(2 * SPAN),
            echo: Vec::with_capacity(2 * SPAN),
            meter: Meter::new(),
            decider: Decider::with_model(tuning, model),
            level_db: -120.0,
            mic_frame: Vec::with_capacity(2 * SPAN),
            heard: 0,
            unlocked_frames: 0,
            crying_onsets: 0,
        }
    }

    /// Takes what the microphone heard and what soothe played over the
    /// same stretch of time (the reference may lead the microphone by up
    /// to [`echo::MAX_DELAY`]; silence when nothing played). Returns what
    /// is heard now.
    pub fn push(&mut self, mic: &[f32], reference: &[f32]) -> Hearing {
        let (mic_from, reference_from) = (self.mic.len(), self.reference.len());
        self.mic_down.push(mic, &mut self.mic);
        self.reference_down.push(reference, &mut self.reference);
        self.mic_dc.process(&mut self.mic[mic_from..]);
        self.reference_dc
            .process(&mut self.reference[reference_from..]);
        // The two streams come in pairs; the one ahead waits (a sample or
        // two of rounding, or a reference that comes late).
        let n = self.mic.len().min(self.reference.len());
        for i in 0..n {
            let out = self.canceller.process(self.mic[i], self.reference[i]);
            self.residual.push(out.residual);
            self.echo.push(out.echo);
            self.mic_frame.push(self.mic[i]);
            if self.residual.len() >= SPAN {
                self.frame();
            }
        }
        self.mic.drain(..n);
        self.reference.drain(..n);
        // A reference that stopped coming must not hold the microphone up.
        if self.mic.len() > echo::MAX_DELAY {
            let extra = self.mic.len() - echo::MAX_DELAY;
            let silence = vec![0.0; extra];
            self.reference.extend_from_slice(&silence);
        }
        self.heard += n as u64;
        self.decider.state()
    }

    /// Takes what the microphone heard while soothe played nothing.
    pub fn push_alone(&mut self, mic: &[f32]) -> Hearing {
        let quiet = vec![0.0; mic.len()];
        let (mic_rate, ref_rate) = (self.mic_down_rate(), self.reference_down_rate());
        if mic_rate == ref_rate {
            self.push(mic, &quiet)
        } else {
            let len = (mic.len() as f64 * ref_rate / mic_rate).round() as usize;
            self.push(mic, &vec![0.0; len])
        }
    }

    fn mic_down_rate(&self) -> f64 {
        self.mic_down.rate()
    }

    fn reference_down_rate(&self) -> f64 {
        self.reference_down.rate()
    }

    /// What is heard now.
    pub fn hearing(&self) -> Hearing {
        self.decider.state()
    }

    /// The microphone's level over the last frame, dBFS.
    pub fn level_db(&self) -> f32 {
        self.level_db
    }

    /// Seconds of microphone sound analysed so far.
    pub fn seconds(&self) -> f64 {
        self.heard as f64 / f64::from(resample::RATE)
    }

    /// How many times crying has begun so far, counted frame by frame:
    /// a cry that began and ended within one piece of the microphone
    /// (a late read on a busy machine) is counted too, where the hearing
    /// [`Listener::push`] returns is only what is heard at its end.
    pub fn crying_onsets(&self) -> u64 {
        self.crying_onsets
    }

    /// The echo delay found, in seconds, once found.
    pub fn echo_delay(&self) -> Option<f64> {
        self.canceller
            .delay()
            .map(|d| d as f64 / f64::from(resample::RATE))
    }

    /// Keeps the model's inputs for every sounding moment from now on
    /// (for training: `cargo bench --bench listen -- train`).
    pub fn keep_moments(&mut self) {
        self.decider.keep_moments();
    }

    /// The moments kept since the last call.
    pub fn take_moments(&mut self) -> Vec<Moment> {
        self.decider.take_moments()
    }

    fn frame(&mut self) {
        let features = self.meter.measure(&self.residual);
        let echo_energy: f32 = self.echo[..FRAME].iter().map(|s| s * s).sum();
        let echo_db = 10.0 * (echo_energy / FRAME as f32 + 1e-12).log10();
        let mic_energy: f32 = self.mic_frame[..FRAME].iter().map(|s| s * s).sum();
        self.level_db = 10.0 * (mic_energy / FRAME as f32 + 1e-12).log10();
        // Until the echo's delay is found, what plays may be what is
        // heard; but a reference that plays on without any echo found is
        // not heard (the loudspeaker is far, or quiet, or off).
        let unlocked = self.canceller.delay().is_none() && self.canceller.reference_active();
        if self.canceller.delay().is_some() {
            self.unlocked_frames = 0;
        } else if unlocked {
            self.unlocked_frames += 1;
        }
        // Nor can it be told apart while the filter first learns the room.
        let learning = self.canceller.learning() && self.canceller.reference_active();
        let masked = (unlocked && self.unlocked_frames < UNHEARD_FRAMES) || learning;
        let before = self.decider.state();
        let now = self.decider.push(&Observed {
            features,
            echo_db,
            masked,
        });
        if now == Hearing::Crying && before != Hearing::Crying {
            self.crying_onsets += 1;
        }
        self.residual.drain(..HOP);
        self.echo.drain(..HOP);
        self.mic_frame.drain(..HOP);
    }
}
