//! What a press does to a session: keys, media keys, signals and the web
//! app's buttons all become an [`Action`], and [`Remote::apply`] is the
//! one place where an action turns into calls on the session's
//! [`Control`], so that the command line and the browser cannot differ.

use std::sync::Arc;
use std::time::Duration;

use super::{Control, Levels};
use crate::session::timeline::Timeline;

/// Two presses of "back" within this long go to the previous step.
pub const DOUBLE_PRESS: Duration = Duration::from_millis(1500);
/// One press of + or - changes the volume by this much.
pub const VOLUME_STEP_DB: f64 = 3.0;
/// How far + and - go from the levels the session started with.
pub const VOLUME_OFFSET_DB: std::ops::RangeInclusive<f64> = -36.0..=12.0;
/// No layer is ever made louder than this (the top of `--voice-gain`).
pub const MAX_GAIN_DB: f64 = 12.0;

/// Something the parent asked for with a single press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    TogglePause,
    Pause,
    Resume,
    /// The next step (after the last one: the end).
    Next,
    /// Restart the step; pressed again within [`DOUBLE_PRESS`], the
    /// previous step.
    Back,
    VolumeUp,
    VolumeDown,
    /// "Baby's done": straight to the script's calm closing step.
    BabysDone,
    Quit,
    /// Show every key, or hide them again (the view's alone: the session
    /// goes on as it was).
    ToggleKeys,
}

/// What an action did, for the screen and the media-key service.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// "Baby's done" during (or after) the closing step: nothing to do.
    AlreadyClosing,
    Paused,
    /// Held after crying was heard (`play --listen`), not by a key.
    Held,
    Resumed,
    /// The session continues from the start of this step.
    Jumped {
        to: usize,
        why: Jump,
    },
    /// The volume is now this far (dB) from where it started; `limit` when
    /// it cannot go further that way.
    Volume {
        offset_db: f64,
        limit: bool,
    },
    /// The session ends: after the last step, or "baby's done" in a
    /// script without a closing step.
    Ending,
    /// The parent asked to stop.
    Quit,
    /// The list of keys is to be shown, or hidden again.
    KeysToggled,
}

/// Why a jump was made, for the message the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jump {
    Next,
    Restart,
    Previous,
    Closing,
}

/// Turns actions into calls on a session's [`Control`].
pub struct Remote {
    control: Arc<Control>,
    timeline: Arc<Timeline>,
    /// The levels the session started with.
    base: Levels,
    offset_db: f64,
    /// The last press of "back": when, and the step it went to.
    last_back: Option<(Duration, usize)>,
}

impl Remote {
    pub fn new(control: Arc<Control>, timeline: Arc<Timeline>, levels: Levels) -> Remote {
        Remote {
            control,
            timeline,
            base: levels,
            offset_db: 0.0,
            last_back: None,
        }
    }

    pub fn control(&self) -> &Arc<Control> {
        &self.control
    }

    /// The step playing, or the one a jump just asked for.
    pub fn current_step(&self) -> usize {
        self.control
            .pending_jump()
            .or_else(|| self.timeline.step_at(self.control.position()))
            .unwrap_or(0)
    }

    /// How far + and - have moved the volume, in dB.
    pub fn volume_offset_db(&self) -> f64 {
        self.offset_db
    }

    /// Does what `action` asks; `now` (the time since any fixed moment,
    /// the same for every press) tells a double press of "back".
    pub fn apply(&mut self, action: Action, now: Duration) -> Effect {
        if action != Action::Back {
            self.last_back = None;
        }
        let steps = self.timeline.steps.len();
        match action {
            // Held after crying was heard: space (or play) goes on from
            // where it was; d goes to the close (a jump ends the hold).
            Action::TogglePause | Action::Resume if self.control.is_held() => {
                self.control.release();
                Effect::Resumed
            }
            Action::TogglePause if self.control.is_paused() => self.apply(Action::Resume, now),
            Action::TogglePause => self.apply(Action::Pause, now),
            Action::Pause => {
                self.control.set_paused(true);
                Effect::Paused
            }
            Action::Resume => {
                self.control.set_paused(false);
                Effect::Resumed
            }
            Action::Next => {
                let to = self.current_step() + 1;
                if to < steps {
                    self.jump(to, Jump::Next)
                } else {
                    self.end()
                }
            }
            Action::Back => {
                let (to, why) = match self.last_back {
                    Some((at, step)) if now.saturating_sub(at) <= DOUBLE_PRESS => {
                        (step.saturating_sub(1), Jump::Previous)
                    }
                    _ => (self.current_step(), Jump::Restart),
                };
                self.last_back = Some((now, to));
                self.jump(to, why)
            }
            Action::BabysDone => match self.timeline.closing {
                Some(closing) if self.current_step() >= closing => {
                    self.control.release();
                    Effect::AlreadyClosing
                }
                Some(closing) => self.jump(closing, Jump::Closing),
                None => self.end(),
            },
            Action::VolumeUp => self.volume(VOLUME_STEP_DB),
            Action::VolumeDown => self.volume(-VOLUME_STEP_DB),
            Action::Quit => {
                self.control.stop();
                Effect::Quit
            }
            Action::ToggleKeys => Effect::KeysToggled,
        }
    }

    fn jump(&mut self, to: usize, why: Jump) -> Effect {
        self.control.jump_to_step(to);
        self.control.release();
        Effect::Jumped { to, why }
    }

    fn end(&mut self) -> Effect {
        self.control.stop();
        Effect::Ending
    }

    fn volume(&mut self, step_db: f64) -> Effect {
        let loudest = MAX_GAIN_DB - self.base.voice_db.max(self.base.chime_db);
        let top = VOLUME_OFFSET_DB.end().min(loudest.max(0.0));
        let wanted = self.offset_db + step_db;
        let offset = wanted.clamp(*VOLUME_OFFSET_DB.start(), top);
        let limit = offset != wanted;
        self.offset_db = offset;
        let db = |base: f64| (base + offset).min(MAX_GAIN_DB);
        self.control.set_gains(Levels::from_db(
            db(self.base.voice_db),
            db(self.base.chime_db),
        ));
        Effect::Volume {
            offset_db: offset,
            limit,
        }
    }
}
