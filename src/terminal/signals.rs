//! SIGINT, SIGTERM and SIGHUP, caught rather than obeyed while soothe owns
//! the terminal, so that it can end gently and restore it.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// SIGINT, SIGTERM and SIGHUP, caught so that the session ends gently and
/// the terminal is restored (`soothe record` uses them too).
pub struct Signals {
    caught: Arc<AtomicBool>,
    ids: Vec<signal_hook::SigId>,
}

impl Signals {
    pub fn register() -> io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let caught = Arc::new(AtomicBool::new(false));
        let mut ids = Vec::new();
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            ids.push(signal_hook::flag::register(signal, caught.clone())?);
        }
        Ok(Signals { caught, ids })
    }

    pub fn caught(&self) -> bool {
        self.caught.swap(false, Ordering::SeqCst)
    }

    /// Gives the signals back their usual meaning.
    pub fn unregister(self) {
        for id in self.ids {
            signal_hook::low_level::unregister(id);
        }
    }
}
