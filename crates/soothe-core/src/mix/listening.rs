//! A session that listens for the baby: each piece of the microphone is
//! heard beside what the session played over the same stretch of time
//! (read from its [`Tap`] where its clock says), and when crying begins
//! the session holds ([`Control::hold`]): it fades out, says the script's
//! crying prompt and waits for the parent. It never goes on by itself.
//!
//! One path for every screen: `play --listen` feeds it from its
//! microphone thread, the web app from the page's microphone. The web app
//! listens without the session's reference ([`SessionListener::alone`]):
//! the browser cancels the echo itself, and a reference that is not in
//! the microphone at all (the session's sound heard by no one, or gone
//! already through the browser's canceller) makes a cry harder to hear.

use std::sync::Arc;

use crate::listen::{Hearing, Sensitivity, Tap, Watch};
use crate::mix::Control;

/// The reference is read where the session's clock says; a drift of more
/// than this (a jump, a pause) starts it again from there.
const RESYNC_SECONDS: f64 = 0.2;

/// The listener of one session.
pub struct SessionListener {
    watch: Watch,
    /// What the session played, if it is heard beside the microphone.
    tap: Option<Arc<Tap>>,
    tap_rate: u32,
    /// Where the reference was read up to.
    cursor: Option<u64>,
}

impl SessionListener {
    /// Listens to a microphone at `mic_rate` Hz beside a session whose
    /// samples go to `tap`, taking its echo out of what is heard.
    pub fn new(mic_rate: u32, tap: Arc<Tap>, sensitivity: Sensitivity) -> SessionListener {
        SessionListener {
            watch: Watch::new(mic_rate, tap.rate(), sensitivity),
            tap_rate: tap.rate(),
            tap: Some(tap),
            cursor: None,
        }
    }

    /// Listens to a microphone whose echo of the session is taken out
    /// before it comes here (a browser's echo cancellation).
    pub fn alone(mic_rate: u32, sensitivity: Sensitivity) -> SessionListener {
        SessionListener {
            watch: Watch::new(mic_rate, mic_rate, sensitivity),
            tap: None,
            tap_rate: mic_rate,
            cursor: None,
        }
    }

    /// Hears `mic`, the latest piece of the microphone, and holds the
    /// session if crying has just begun (once a cry: after a hold,
    /// crying must stop before another one holds). Returns what is heard.
    pub fn hear(&mut self, mic: &[f32], control: &Control) -> Hearing {
        let (tap_rate, cursor, tap) = (self.tap_rate, &mut self.cursor, &self.tap);
        let hearing = self.watch.hear(mic, |reference| {
            let Some(tap) = tap else {
                return;
            };
            if control.is_paused() || control.is_held() {
                // Nothing of the session is heard (the hold's own words
                // are not listened for: it is already waiting for the
                // parent).
                *cursor = None;
                return;
            }
            let n = reference.len() as u64;
            let now = control.position().saturating_sub(n);
            let from = match *cursor {
                Some(c) if (c.abs_diff(now) as f64) < RESYNC_SECONDS * f64::from(tap_rate) => c,
                _ => now,
            };
            tap.read(from, reference);
            *cursor = Some(from + n);
        });
        if !control.is_paused()
            && !control.is_held()
            && !control.is_stopped()
            && self.watch.take_cry()
        {
            control.hold();
        }
        hearing
    }
}
