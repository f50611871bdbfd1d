//! Media keys and headset buttons (MPRIS, with the `mpris` feature), or,
//! without them, a stand-in that never has any.

#[cfg(not(feature = "mpris"))]
use super::actions::Action;

/// Media keys, or the one line that says why there are none.
#[cfg(feature = "mpris")]
pub fn start_media() -> (Option<MediaKeys>, Option<String>) {
    match MediaKeys::start() {
        Ok(media) => (Some(media), None),
        Err(reason) => (
            None,
            Some(format!(
                "Media keys and headset buttons are off: no D-Bus session bus ({reason})"
            )),
        ),
    }
}

#[cfg(feature = "mpris")]
pub use super::mpris::MediaKeys;

/// Built without the `mpris` feature: no media keys, and nothing to say.
#[cfg(not(feature = "mpris"))]
pub fn start_media() -> (Option<MediaKeys>, Option<String>) {
    (None, None)
}

/// Built without the `mpris` feature, there are no media keys at all.
#[cfg(not(feature = "mpris"))]
pub enum MediaKeys {}

#[cfg(not(feature = "mpris"))]
impl MediaKeys {
    pub fn actions(&self) -> Vec<Action> {
        match *self {}
    }

    pub fn show(&mut self, _step: usize, _title: &str, _album: &str, _paused: bool) {
        match *self {}
    }

    pub fn close(self) {
        match self {}
    }
}
