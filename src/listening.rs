//! `play --listen`: the microphone heard while the session plays, on a
//! thread of its own. When the baby has been crying for about 2 s it holds
//! the session ([`Control::hold`]): the session fades out and says the
//! script's prompt, and waits for the parent. It never goes on by itself.
//!
//! Nothing heard is kept: the samples go through the [`Listener`] and are
//! dropped, a few seconds at most later. Nothing is written or sent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::record::capture::{CaptureError, Microphone};
use soothe_core::listen::{Ear, Heard, Hearing, ListenOptions, Listener, Tap};
use soothe_core::mix::Control;
use soothe_core::take::recording::SoundInput;

/// How long one read of the microphone waits for sound.
const POLL: Duration = Duration::from_millis(20);
/// The reference is read where the session's clock says; a drift of more
/// than this (a jump, a pause) starts it again from there.
const RESYNC_SECONDS: f64 = 0.2;

/// The listening thread; dropping it stops it.
pub struct Listening {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Opens the microphone and starts listening; or says why it cannot.
pub fn start(
    options: &ListenOptions,
    control: Arc<Control>,
    tap: Arc<Tap>,
    ear: Arc<Ear>,
) -> Result<Listening, CaptureError> {
    let mic = open(options)?;
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    let thread = std::thread::Builder::new()
        .name("soothe-listen".into())
        .spawn(move || listen(mic, &control, &tap, &ear, &stopping))
        .map_err(|e| CaptureError::NoInput {
            reason: soothe_core::error::io_reason(&e),
        })?;
    Ok(Listening {
        stop,
        thread: Some(thread),
    })
}

/// The input to listen with: the one `--input` names, or the default.
fn open(options: &ListenOptions) -> Result<Microphone, CaptureError> {
    crate::record::capture::open(options.input.as_deref())
}

fn listen(mut mic: Microphone, control: &Control, tap: &Tap, ear: &Ear, stop: &AtomicBool) {
    let (mic_rate, tap_rate) = (mic.rate(), tap.rate());
    let mut listener = Listener::new(mic_rate, tap_rate);
    let mut heard = Vec::new();
    let mut reference = Vec::new();
    let mut cursor: Option<u64> = None;
    let mut owed = 0.0f64;
    // After a hold, crying must stop before it can hold again.
    let mut armed = true;
    ear.set(Heard::Listening);
    while !stop.load(Ordering::SeqCst) && !control.is_finished() {
        heard.clear();
        match mic.read(&mut heard, POLL) {
            Ok(0) => continue,
            Ok(_) => {}
            Err(_) => {
                ear.set(Heard::NotListening);
                return;
            }
        }
        // The same stretch of time, in the session's samples.
        owed += heard.len() as f64 * f64::from(tap_rate) / f64::from(mic_rate);
        let n = owed.floor() as usize;
        owed -= n as f64;
        reference.clear();
        reference.resize(n, 0.0);
        if control.is_paused() || control.is_held() {
            // Nothing of the session is heard (the hold's own words are
            // not listened for: it is already waiting for the parent).
            cursor = None;
        } else {
            let now = control.position().saturating_sub(n as u64);
            let from = match cursor {
                Some(c) if (c.abs_diff(now) as f64) < RESYNC_SECONDS * f64::from(tap_rate) => c,
                _ => now,
            };
            tap.read(from, &mut reference);
            cursor = Some(from + n as u64);
        }
        let hearing = listener.push(&heard, &reference);
        ear.set(hearing.into());
        if hearing != Hearing::Crying {
            armed = true;
        } else if armed && !control.is_paused() && !control.is_held() && !control.is_stopped() {
            armed = false;
            control.hold();
        }
    }
}
