//! The sound card as the [`crate::output::writer::Writer`] sees it: what it
//! takes, what it holds, and what it needs to play.

use std::time::Duration;

/// What the writer needs of a sound card: ALSA in [`crate::output::device`], a
/// fake one in the tests. Samples are mono; the device makes them as many
/// channels as it has. Errors are for the parent: the device is gone.
pub trait Pcm {
    /// Writes what fits of `samples` now, without waiting; returns how
    /// many it took (0 while the buffer is full). Recovers from an
    /// underrun by itself.
    fn write(&mut self, samples: &[f32]) -> Result<usize, String>;
    /// Waits until there is room to write, `timeout` at most.
    fn wait(&mut self, timeout: Duration) -> Result<(), String>;
    /// How many of the samples written have not been heard yet.
    fn queued(&mut self) -> Result<u64, String>;
    /// Whether the device has started again since this was last asked,
    /// after it ran dry: a sound server may skip the first milliseconds of
    /// a stream it starts again (as if it had been playing all along).
    fn restarted(&mut self) -> bool {
        false
    }
    /// How many more samples the device must be given before it is sure
    /// to play, whatever [`Pcm::queued`] says: a sound server that ran dry
    /// plays again only once its own buffer holds a start's worth
    /// (PulseAudio's prebuf), and its word for what is queued (its
    /// latency, an estimate, which runs on while the server is held back
    /// and then lags) may say that a stream holds a fifth of a second when
    /// it holds next to nothing.
    fn short(&mut self) -> u64 {
        0
    }
    /// Throws away what is queued: silence at once, and ready for more.
    fn discard(&mut self) -> Result<(), String>;
    /// Lets `time` go by, while the device plays.
    fn nap(&mut self, time: Duration) {
        std::thread::sleep(time);
    }
}
