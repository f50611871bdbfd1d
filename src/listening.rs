//! `play --listen`: the microphone heard while the session plays, on a
//! thread of its own. When the baby has been crying for about 2 s it holds
//! the session ([`Control::hold`]): the session fades out and says the
//! script's prompt, and waits for the parent. It never goes on by itself.
//!
//! The verdict is the one `soothe listen` gives ([`Watch`]). Nothing heard
//! is kept: the samples go through the listener and are dropped, a few
//! seconds at most later. Nothing is written or sent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::record::capture::{CaptureError, Microphone};
use soothe_core::listen::{Ear, Heard, ListenOptions, Tap, POLL};
use soothe_core::mix::listening::SessionListener;
use soothe_core::mix::Control;
use soothe_core::take::recording::SoundInput;

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
    let listener = SessionListener::new(mic.rate(), tap, options.sensitivity);
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    let thread = std::thread::Builder::new()
        .name("soothe-listen".into())
        .spawn(move || listen(mic, listener, &control, &ear, &stopping))
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

fn listen(
    mut mic: Microphone,
    mut listener: SessionListener,
    control: &Control,
    ear: &Ear,
    stop: &AtomicBool,
) {
    let mut heard = Vec::new();
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
        ear.set(listener.hear(&heard, control).into());
    }
}
