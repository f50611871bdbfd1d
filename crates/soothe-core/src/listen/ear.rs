//! What the listener hears, shared with the live view.

use std::sync::atomic::{AtomicU8, Ordering};

use super::Hearing;

/// The listener's state as the view shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// `--listen` was asked for, but no microphone could be opened (or it
    /// stopped working).
    NotListening,
    Listening,
    Fussing,
    Crying,
}

impl Heard {
    /// The words on the screen.
    pub fn word(self) -> &'static str {
        match self {
            Heard::NotListening => "not listening",
            Heard::Listening => "listening",
            Heard::Fussing => "fussing",
            Heard::Crying => "crying",
        }
    }
}

impl From<Hearing> for Heard {
    fn from(hearing: Hearing) -> Heard {
        match hearing {
            Hearing::Quiet => Heard::Listening,
            Hearing::Fussing => Heard::Fussing,
            Hearing::Crying => Heard::Crying,
        }
    }
}

/// Shared between the listening thread and the view.
#[derive(Debug)]
pub struct Ear(AtomicU8);

impl Ear {
    pub fn new(heard: Heard) -> Ear {
        Ear(AtomicU8::new(heard as u8))
    }

    pub fn set(&self, heard: Heard) {
        self.0.store(heard as u8, Ordering::Relaxed);
    }

    pub fn get(&self) -> Heard {
        match self.0.load(Ordering::Relaxed) {
            0 => Heard::NotListening,
            1 => Heard::Listening,
            2 => Heard::Fussing,
            _ => Heard::Crying,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ear_hands_over_what_was_heard() {
        let ear = Ear::new(Heard::NotListening);
        assert_eq!(ear.get(), Heard::NotListening);
        for heard in [Heard::Listening, Heard::Fussing, Heard::Crying] {
            ear.set(heard);
            assert_eq!(ear.get(), heard);
        }
        assert_eq!(Heard::from(Hearing::Quiet).word(), "listening");
    }
}
