//! What steers a session while it plays, shared between the mixer and
//! whoever controls it (keys, media keys, the listener): pause, stop,
//! jumps, holds and levels, each an atomic, and the clock it reports.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::Thread;

use super::Levels;
use crate::first_error::FirstError;

/// Shared between the source and whoever controls it (keys, media keys).
#[derive(Debug)]
pub struct Control {
    paused: AtomicBool,
    stopped: AtomicBool,
    finished: AtomicBool,
    /// The last jump asked for: its serial number (counted from 1) in the
    /// high 32 bits, the step's index in the low ones; 0 before any.
    jump: AtomicU64,
    /// The serial number of the last jump that is being heard.
    jumped: AtomicU64,
    position: AtomicU64,
    /// How many samples have been heard: the clock's steps forward, not
    /// its jumps (see [`Control::heard`]).
    heard: AtomicU64,
    /// The serial number of the jump being heard at the last step of the
    /// clock.
    heard_jump: AtomicU64,
    /// The levels in dB, as the bits of two f64s.
    voice_db: AtomicU64,
    chime_db: AtomicU64,
    error: FirstError,
    /// Holds asked for (`play --listen` heard crying) and released (the
    /// parent pressed space or d): held while more were asked for.
    holds: AtomicU64,
    releases: AtomicU64,
    /// The thread that plays ahead of the device, woken by every change.
    feeder: OnceLock<Thread>,
}

impl Control {
    pub fn new(levels: Levels) -> Arc<Control> {
        Arc::new(Control {
            paused: AtomicBool::new(false),
            stopped: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            jump: AtomicU64::new(0),
            jumped: AtomicU64::new(0),
            position: AtomicU64::new(0),
            heard: AtomicU64::new(0),
            heard_jump: AtomicU64::new(0),
            voice_db: AtomicU64::new(levels.voice_db.to_bits()),
            chime_db: AtomicU64::new(levels.chime_db.to_bits()),
            error: FirstError::new(),
            holds: AtomicU64::new(0),
            releases: AtomicU64::new(0),
            feeder: OnceLock::new(),
        })
    }

    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::SeqCst);
        self.wake();
    }

    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }

    /// Holds the session where it is: what plays fades out over
    /// [`HOLD_FADE_SECONDS`], the clock stops, and the source's
    /// interjection is said (see [`SessionSource::with_interjection`]).
    /// It never goes on by itself: [`Control::release`] goes on from the
    /// very sample where the fade began. Nothing happens when already held.
    pub fn hold(&self) {
        let released = self.releases.load(Ordering::SeqCst);
        let _ =
            self.holds
                .compare_exchange(released, released + 1, Ordering::SeqCst, Ordering::SeqCst);
        self.wake();
    }

    /// Goes on after a [`Control::hold`] (the interjection, if still
    /// being said, stops).
    pub fn release(&self) {
        self.releases
            .store(self.holds.load(Ordering::SeqCst), Ordering::SeqCst);
        self.wake();
    }

    /// Whether the session is held (asked for, and not yet released).
    pub fn is_held(&self) -> bool {
        self.holds.load(Ordering::SeqCst) > self.releases.load(Ordering::SeqCst)
    }

    pub(super) fn holds_and_releases(&self) -> (u64, u64) {
        (
            self.holds.load(Ordering::SeqCst),
            self.releases.load(Ordering::SeqCst),
        )
    }

    /// Ends the session: what is playing fades out over [`FADE_SECONDS`]
    /// (at once while paused, when nothing is heard anyway). On the sound
    /// card, it stops at once (see `output::writer`).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.wake();
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// Whether the source has played its last sample (or was stopped).
    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::SeqCst)
    }

    /// Continues from the start of step `index`. While paused, the jump is
    /// made at once and the session stays paused.
    pub fn jump_to_step(&self, index: usize) {
        let step = u64::from(u32::try_from(index).unwrap_or(u32::MAX));
        let _ = self
            .jump
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
                Some((((last >> 32) + 1) << 32) | step)
            });
        self.wake();
    }

    /// The last jump asked for, as (serial number, step index).
    pub fn jump_asked(&self) -> Option<(u64, usize)> {
        match self.jump.load(Ordering::SeqCst) {
            0 => None,
            jump => Some((jump >> 32, (jump & u64::from(u32::MAX)) as usize)),
        }
    }

    /// The jump with this serial number is being heard.
    pub fn set_jumped(&self, serial: u64) {
        self.jumped.store(serial, Ordering::SeqCst);
    }

    /// The step of a jump asked for that is not heard yet.
    pub fn pending_jump(&self) -> Option<usize> {
        self.jump_asked()
            .filter(|(serial, _)| *serial > self.jumped.load(Ordering::SeqCst))
            .map(|(_, step)| step)
    }

    /// The next sample the session will play: the one being heard, when it
    /// plays on the sound card (see `output::writer`).
    pub fn position(&self) -> u64 {
        self.position.load(Ordering::SeqCst)
    }

    /// Moves the clock on. Only one side sets it (the source, or the far
    /// end of the ring it fills), after [`Control::set_jumped`] for a jump.
    pub fn set_position(&self, position: u64) {
        let before = self.position.swap(position, Ordering::SeqCst);
        let jumped = self.jumped.load(Ordering::SeqCst);
        let counted = self.heard_jump.swap(jumped, Ordering::SeqCst);
        if jumped == counted && position > before {
            self.heard.fetch_add(position - before, Ordering::SeqCst);
        }
    }

    /// How many samples of the session have been heard so far: what the
    /// clock moved on while playing, without pauses, and without what a
    /// jump skipped or played again.
    pub fn heard(&self) -> u64 {
        self.heard.load(Ordering::SeqCst)
    }

    pub fn set_finished(&self) {
        self.finished.store(true, Ordering::SeqCst);
    }

    pub fn set_gains(&self, levels: Levels) {
        self.voice_db
            .store(levels.voice_db.to_bits(), Ordering::SeqCst);
        self.chime_db
            .store(levels.chime_db.to_bits(), Ordering::SeqCst);
        self.wake();
    }

    pub fn gains(&self) -> Levels {
        Levels {
            voice_db: f64::from_bits(self.voice_db.load(Ordering::SeqCst)),
            chime_db: f64::from_bits(self.chime_db.load(Ordering::SeqCst)),
        }
    }

    /// The first thing that went wrong while playing, if anything did.
    pub fn error(&self) -> Option<String> {
        self.error.get().map(str::to_string)
    }

    pub(super) fn report(&self, message: String) {
        self.error.report(|| message);
    }

    /// The calling thread is the feeder (see [`crate::feed`]): every change
    /// wakes it, so that it makes the new samples at once.
    pub fn set_feeder(&self) {
        let _ = self.feeder.set(std::thread::current());
    }

    /// Wakes the thread that plays ahead (it has room again, or must act).
    pub fn wake(&self) {
        if let Some(feeder) = self.feeder.get() {
            feeder.unpark();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Control, Levels};

    #[test]
    fn what_is_heard_counts_the_clock_going_on_not_its_jumps() {
        let control = Control::new(Levels::UNITY);
        control.set_position(4_800);
        control.set_position(9_600);
        assert_eq!(control.heard(), 9_600);
        // Paused: the clock stands still.
        control.set_position(9_600);
        assert_eq!(control.heard(), 9_600);
        // A jump ahead (next step) is not heard, nor is one back...
        control.set_jumped(1);
        control.set_position(96_000);
        control.set_position(100_800);
        control.set_jumped(2);
        control.set_position(48_000);
        assert_eq!(control.heard(), 9_600 + 4_800);
        // ...but what plays after it is.
        control.set_position(52_800);
        assert_eq!(control.heard(), 9_600 + 4_800 + 4_800);
    }
}
