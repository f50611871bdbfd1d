//! The first error of many that threads (audio callbacks, the feeder)
//! may report: kept once, read without a lock.

use std::sync::OnceLock;

/// Holds the first message reported; later ones are dropped, since they
/// are usually consequences of the first.
#[derive(Debug, Default)]
pub struct FirstError(OnceLock<String>);

impl FirstError {
    pub const fn new() -> FirstError {
        FirstError(OnceLock::new())
    }

    /// Keeps `message()` unless an error was reported already (then
    /// `message` is not called).
    pub fn report(&self, message: impl FnOnce() -> String) {
        let _ = self.0.get_or_init(message);
    }

    /// The first error reported, if any.
    pub fn get(&self) -> Option<&str> {
        self.0.get().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::FirstError;

    #[test]
    fn only_the_first_error_is_kept() {
        let first = FirstError::new();
        assert_eq!(first.get(), None);
        first.report(|| "the device went away".into());
        first.report(|| unreachable!("a later error is not even made"));
        assert_eq!(first.get(), Some("the device went away"));
    }
}
