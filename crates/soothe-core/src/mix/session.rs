//! The session source: it plays a timeline, block by block, and is the
//! one clock of a session: voice, chimes, pause and jumps all happen here,
//! at exact sample positions, and `render` pulls from the very same
//! source that the speakers do. Like a `rodio::Source`, it is an iterator
//! of samples; [`SessionSource::fill`] gives them a block at a time.

use std::sync::Arc;

use super::Control;
use crate::session::timeline::{EventKind, Timeline};
use crate::sound::sounds::Sounds;

/// Samples produced per block. Controls take effect between blocks, so
/// at 48 kHz a pause or a jump lands within about 11 ms.
pub const BLOCK: usize = 512;
/// A prompt or chime cut short fades out over this long instead of clicking.
pub const FADE_SECONDS: f64 = 0.012;
/// A hold ([`Control::hold`]) fades the session out over this long...
pub const HOLD_FADE_SECONDS: f64 = 0.6;
/// ...and says its interjection after this much silence.
pub const HOLD_GAP_SECONDS: f64 = 0.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Voice,
    Chime,
}

/// A sound that is playing.
#[derive(Clone)]
struct Active {
    samples: Arc<[f32]>,
    layer: Layer,
    /// The next sample of `samples` to play.
    offset: usize,
    /// Where it ends (may be before the end of `samples`).
    len: usize,
    /// From here to `len` the sound fades out (`len` when it does not).
    fade_from: usize,
}

impl Active {
    fn cut_short(&mut self, len: usize, fade: usize) {
        if len < self.len {
            self.len = len;
            self.fade_from = len.saturating_sub(fade).max(self.offset.min(len));
        }
    }
}

pub struct SessionSource {
    timeline: Arc<Timeline>,
    sounds: Arc<Sounds>,
    control: Arc<Control>,
    /// The next sample of the timeline.
    position: u64,
    /// The first event not yet started.
    next_event: usize,
    active: Vec<Active>,
    fade_len: usize,
    block: Vec<f32>,
    block_len: usize,
    block_at: usize,
    /// Stopped: fading out what was playing.
    stopping: bool,
    /// How many samples the last [`SessionSource::fill`] moved the clock on.
    advanced: usize,
    /// Whether this source keeps the session's clock in its [`Control`]:
    /// not when it plays through a ring, whose far end does (and pauses,
    /// stops, and fades out what a jump cuts short: see [`crate::feed`]).
    keeps_clock: bool,
    /// The serial number of the last jump made.
    jumped: u64,
    /// Keeps every sample within full scale.
    limiter: crate::sound::limiter::Limiter,
    /// The prompt a hold says, if any.
    interjection: Option<String>,
    /// While held: what is heard instead of the session (its fade-out,
    /// a gap, the interjection), then silence.
    held: Option<Held>,
    /// The holds and releases of the [`Control`] already acted on.
    holds_seen: (u64, u64),
    /// Where the samples played are told, by session position.
    tap: Option<Arc<crate::listen::Tap>>,
}

/// What a hold plays, and how far it has got.
struct Held {
    samples: Vec<f32>,
    at: usize,
}

impl SessionSource {
    pub fn new(
        timeline: Arc<Timeline>,
        sounds: Arc<Sounds>,
        control: Arc<Control>,
    ) -> SessionSource {
        let fade_len = crate::clock::samples(FADE_SECONDS, timeline.sample_rate) as usize;
        let timeline_rate = timeline.sample_rate;
        SessionSource {
            timeline,
            sounds,
            control,
            position: 0,
            next_event: 0,
            active: Vec::new(),
            fade_len: fade_len.max(1),
            block: vec![0.0; BLOCK],
            block_len: 0,
            block_at: 0,
            stopping: false,
            advanced: 0,
            keeps_clock: true,
            jumped: 0,
            limiter: crate::sound::limiter::Limiter::new(timeline_rate),
            interjection: None,
            held: None,
            holds_seen: (0, 0),
            tap: None,
        }
    }

    /// The prompt to say when the session is held ([`Control::hold`]).
    pub fn with_interjection(mut self, prompt: &str) -> SessionSource {
        self.interjection = Some(prompt.to_string());
        self
    }

    /// Tells `tap` every sample that moves the session on, with its
    /// position: what the listener hears soothe play (see
    /// [`crate::listen`]).
    pub fn with_tap(mut self, tap: Arc<crate::listen::Tap>) -> SessionSource {
        self.tap = Some(tap);
        self
    }

    /// For a source that fills a ring ahead of the device: the far end of
    /// the ring keeps the clock (see [`crate::feed`]).
    pub fn behind_a_ring(mut self) -> SessionSource {
        self.keeps_clock = false;
        self
    }

    /// The next sample of the timeline this source will make.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// How many samples the last [`SessionSource::fill`] moved the clock
    /// on: 0 while paused or fading out after a stop.
    pub fn advanced(&self) -> usize {
        self.advanced
    }

    /// The serial number of the last jump made (0: none yet).
    pub fn jumped(&self) -> u64 {
        self.jumped
    }

    /// Whether a jump has been asked for that this source has not made.
    pub fn jump_waiting(&self) -> bool {
        self.control
            .jump_asked()
            .is_some_and(|(serial, _)| serial > self.jumped)
    }

    pub fn control(&self) -> &Arc<Control> {
        &self.control
    }

    /// Fills `out` with the next samples, never past full scale (see
    /// [`crate::sound::limiter`]). Returns how many it wrote: fewer than
    /// `out.len()` only at the end of the session, 0 after it.
    pub fn fill(&mut self, out: &mut [f32]) -> usize {
        let n = self.mix_next(out);
        self.limiter.process(&mut out[..n]);
        if let Some(tap) = &self.tap {
            if self.advanced > 0 {
                let from = self.position - self.advanced as u64;
                tap.write(from, &out[..self.advanced]);
            }
        }
        n
    }

    /// [`SessionSource::fill`] before the limiter.
    fn mix_next(&mut self, out: &mut [f32]) -> usize {
        self.advanced = 0;
        // Behind a ring, the far end pauses, stops and fades.
        let ring = !self.keeps_clock;
        let paused = !ring && self.control.is_paused();
        if !ring && self.control.is_stopped() {
            // Paused or held, nothing of the session is heard to fade.
            if paused || self.held.take().is_some() {
                self.active.clear();
            }
            return self.fade_out(out);
        }
        if let Some((serial, step)) = self.control.jump_asked() {
            if serial > self.jumped {
                self.jumped = serial;
                // A jump while held (d: "baby's done") ends the hold.
                let cut = self.held.take().is_some();
                self.jump(step, paused || ring || cut);
                if !ring {
                    self.control.set_jumped(serial);
                }
            }
        }
        self.follow_holds();
        if paused {
            self.publish_position();
            out.fill(0.0);
            return out.len();
        }
        let levels = self.control.gains();
        let gains = (levels.voice_gain(), levels.chime_gain());
        if let Some(held) = &mut self.held {
            // Held: the clock stands still while the hold plays.
            let from = held.at.min(held.samples.len());
            let n = (held.samples.len() - from).min(out.len());
            out[..n].copy_from_slice(&held.samples[from..from + n]);
            out[n..].fill(0.0);
            held.at += n;
            self.publish_position();
            return out.len();
        }
        let written = self.mix_forward(out, gains);
        self.advanced = written;
        self.publish_position();
        if written == 0 {
            self.finish();
        }
        written
    }

    /// Mixes the session on from where it is into `out`; returns how many
    /// samples it made (fewer at the end of the session).
    fn mix_forward(&mut self, out: &mut [f32], gains: (f32, f32)) -> usize {
        let total = self.timeline.total_samples;
        let mut written = 0;
        while written < out.len() && self.position < total {
            self.start_events();
            let mut span = (out.len() - written) as u64;
            span = span.min(total - self.position);
            if let Some(next) = self.timeline.events.get(self.next_event) {
                span = span.min(next.start_sample - self.position);
            }
            for a in &self.active {
                span = span.min((a.len - a.offset) as u64);
            }
            let span = span as usize;
            mix_active(&mut self.active, &mut out[written..written + span], gains);
            written += span;
            self.position += span as u64;
        }
        written
    }

    /// Starts or ends a hold as the [`Control`] asks.
    fn follow_holds(&mut self) {
        let (holds, releases) = self.control.holds_and_releases();
        if releases > self.holds_seen.1 {
            self.holds_seen.1 = releases;
            self.held = None;
        }
        if holds > self.holds_seen.0 {
            self.holds_seen.0 = holds;
            if holds > releases && self.held.is_none() && !self.stopping {
                self.start_hold();
            }
        }
    }

    /// What a hold plays: the next [`HOLD_FADE_SECONDS`] of the session
    /// fading out, [`HOLD_GAP_SECONDS`] of silence, then the interjection.
    /// The session itself stays where the fade began.
    fn start_hold(&mut self) {
        let rate = self.timeline.sample_rate;
        let levels = self.control.gains();
        let gains = (levels.voice_gain(), levels.chime_gain());
        let (position, next_event, active) = (self.position, self.next_event, self.active.clone());
        let mut fade = vec![0.0; crate::clock::samples(HOLD_FADE_SECONDS, rate) as usize];
        let n = self.mix_forward(&mut fade, gains);
        fade.truncate(n);
        let len = fade.len().max(1) as f32;
        for (k, sample) in fade.iter_mut().enumerate() {
            // A raised-cosine fade: gentle at both ends.
            let x = k as f32 / len;
            *sample *= 0.5 + 0.5 * (std::f32::consts::PI * x).cos();
        }
        (self.position, self.next_event, self.active) = (position, next_event, active);
        let mut samples = fade;
        samples.resize(
            samples.len() + crate::clock::samples(HOLD_GAP_SECONDS, rate) as usize,
            0.0,
        );
        if let Some(id) = &self.interjection {
            match self.sounds.prompt(id) {
                Ok(prompt) => samples.extend(prompt.iter().map(|s| s * gains.0)),
                Err(err) => self.control.report(err.to_string()),
            }
        }
        self.held = Some(Held { samples, at: 0 });
    }

    fn publish_position(&self) {
        if self.keeps_clock {
            self.control.set_position(self.position);
        }
    }

    fn finish(&mut self) {
        self.active.clear();
        if self.keeps_clock {
            self.control.set_finished();
        }
    }

    /// After a stop: what was playing fades out, then the session ends.
    fn fade_out(&mut self, out: &mut [f32]) -> usize {
        if !self.stopping {
            self.stopping = true;
            let fade = self.fade_len;
            for a in &mut self.active {
                a.cut_short(a.offset + fade, fade);
            }
        }
        let n = self
            .active
            .iter()
            .map(|a| a.len - a.offset)
            .max()
            .unwrap_or(0)
            .min(out.len());
        if n == 0 {
            self.finish();
            return 0;
        }
        let levels = self.control.gains();
        let gains = (levels.voice_gain(), levels.chime_gain());
        mix_active(&mut self.active, &mut out[..n], gains);
        n
    }

    /// Starts every event whose time has come.
    fn start_events(&mut self) {
        while let Some(event) = self.timeline.events.get(self.next_event) {
            if event.start_sample > self.position {
                break;
            }
            self.next_event += 1;
            let len = event.len() as usize;
            let (samples, layer) = match &event.kind {
                EventKind::Pause => continue,
                EventKind::Chime { stroke, of } => {
                    (self.sounds.chimes.get(stroke == of).clone(), Layer::Chime)
                }
                EventKind::Prompt { prompt, .. } => match self.sounds.prompt(prompt) {
                    Ok(samples) => (samples, Layer::Voice),
                    Err(err) => {
                        self.control.report(err.to_string());
                        continue;
                    }
                },
            };
            let mut active = Active {
                len: samples.len(),
                fade_from: samples.len(),
                samples,
                layer,
                offset: 0,
            };
            // A chime longer than its stroke is faded out as the next begins.
            active.cut_short(len, self.fade_len);
            if active.len > 0 {
                self.active.push(active);
            }
        }
    }

    /// Continues from the start of step `index`; what was playing fades
    /// out (or, with `cut`, is dropped: while paused it is silent anyway).
    fn jump(&mut self, index: usize, cut: bool) {
        let Some(step) = self.timeline.steps.get(index) else {
            return;
        };
        if cut {
            self.active.clear();
        }
        let fade = self.fade_len;
        for a in &mut self.active {
            a.cut_short(a.offset + fade, fade);
        }
        self.position = step.start_sample;
        self.next_event = self
            .timeline
            .events
            .partition_point(|e| e.start_sample < step.start_sample);
    }
}

/// Writes into `out` the sum of the sounds in `active`, each at the gain of
/// its layer (`(voice, chime)`) and for as long as it lasts, and forgets the
/// ones that have ended.
fn mix_active(active: &mut Vec<Active>, out: &mut [f32], (voice, chime): (f32, f32)) {
    out.fill(0.0);
    for a in active.iter_mut() {
        let gain = match a.layer {
            Layer::Voice => voice,
            Layer::Chime => chime,
        };
        let n = (a.len - a.offset).min(out.len());
        mix(&mut out[..n], a, gain);
    }
    active.retain(|a| a.offset < a.len);
}

/// Adds `a` into `out` at `gain`, advancing it by `out.len()` samples.
fn mix(out: &mut [f32], a: &mut Active, gain: f32) {
    let n = out.len();
    let src = &a.samples[a.offset..a.offset + n];
    if a.offset + n <= a.fade_from {
        for (o, s) in out.iter_mut().zip(src) {
            *o += s * gain;
        }
    } else {
        let fade_len = (a.len - a.fade_from).max(1) as f32;
        for (k, (o, s)) in out.iter_mut().zip(src).enumerate() {
            let i = a.offset + k;
            let ramp = if i < a.fade_from {
                1.0
            } else {
                (a.len - i) as f32 / fade_len
            };
            *o += s * gain * ramp;
        }
    }
    a.offset += n;
}

impl Iterator for SessionSource {
    type Item = f32;

    #[inline]
    fn next(&mut self) -> Option<f32> {
        if self.block_at == self.block_len {
            let mut block = std::mem::take(&mut self.block);
            self.block_len = self.fill(&mut block);
            self.block = block;
            self.block_at = 0;
            if self.block_len == 0 {
                return None;
            }
        }
        let sample = self.block[self.block_at];
        self.block_at += 1;
        Some(sample)
    }
}
