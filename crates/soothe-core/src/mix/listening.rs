//! A session that listens for the baby: each piece of the microphone is
//! heard beside what the session played over the same stretch of time
//! (read from its [`Tap`] where its clock says), and when crying begins
//! the session holds ([`Control::hold`]): it fades out, says the script's
//! crying prompt and waits for the parent. It never goes on by itself.
//!
//! One path for every screen: `play --listen` feeds it from its
//! microphone thread, the web app from the page's microphone.

use crate::listen::{Hearing, Tap, Watch};
use crate::mix::Control;

/// The reference is read where the session's clock says; a drift of more
/// than this (a jump, a pause) starts it again from there.
const RESYNC_SECONDS: f64 = 0.2;

/// The listener of one session.
pub struct SessionListener {
    watch: Watch,
    tap_rate: u32,
    /// Where the reference was read up to.
    cursor: Option<u64>,
}

impl SessionListener {
    /// Listens to a microphone at `mic_rate` Hz beside a session whose
    /// samples go to `tap`.
    pub fn new(mic_rate: u32, tap: &Tap) -> SessionListener {
        SessionListener {
            watch: Watch::new(mic_rate, tap.rate()),
            tap_rate: tap.rate(),
            cursor: None,
        }
    }

    /// Hears `mic`, the latest piece of the microphone, and holds the
    /// session if crying has just begun (once a cry: after a hold,
    /// crying must stop before another one holds). Returns what is heard.
    pub fn hear(&mut self, mic: &[f32], control: &Control, tap: &Tap) -> Hearing {
        let (tap_rate, cursor) = (self.tap_rate, &mut self.cursor);
        let hearing = self.watch.hear(mic, |reference| {
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
