//! The audio output device (rodio over cpal). Behind the default `device`
//! feature, so the rest of soothe builds and tests without ALSA.

use std::num::NonZero;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rodio::{DeviceSinkBuilder, MixerDeviceSink};

use crate::source::SessionSource;

/// The device period asked for: 16 ms. ALSA buffers two periods, so a
/// pause or a jump is heard within two periods and one block of the
/// session source (under 43 ms at 48 kHz). Smaller periods dropped out on
/// a busy machine through PulseAudio's ALSA plugin.
pub const PERIOD_SECONDS: f64 = 0.016;

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("no audio output device was found ({reason}); to listen on another device, render the session to a file instead: soothe render -o session.wav")]
    NoOutput { reason: String },
}

/// The default output, opened at the session's rate where it allows.
pub struct Output {
    sink: MixerDeviceSink,
    trouble: Arc<Trouble>,
}

/// What went wrong on the audio thread. Gathered here instead of printed,
/// so nothing writes over the live view.
#[derive(Debug, Default)]
pub struct Trouble {
    dropouts: AtomicU64,
    /// The first error that was not a dropout, and did not end the stream.
    other: Mutex<Option<String>>,
    lost: Mutex<Option<String>>,
}

impl Trouble {
    fn record(&self, err: rodio::cpal::Error) {
        use rodio::cpal::ErrorKind;
        let slot = match err.kind() {
            ErrorKind::Xrun => {
                self.dropouts.fetch_add(1, Ordering::Relaxed);
                return;
            }
            // Rerouted, or not given real-time priority: it plays on.
            ErrorKind::DeviceChanged | ErrorKind::RealtimeDenied => return,
            // The stream cannot go on.
            ErrorKind::DeviceNotAvailable
            | ErrorKind::HostUnavailable
            | ErrorKind::StreamInvalidated
            | ErrorKind::PermissionDenied => &self.lost,
            // cpal carries on after the rest; a glitch at worst.
            _ => {
                self.dropouts.fetch_add(1, Ordering::Relaxed);
                &self.other
            }
        };
        if let Ok(mut slot) = slot.lock() {
            slot.get_or_insert_with(|| err.to_string());
        }
    }

    /// How often the sound may have glitched: the device ran out of
    /// samples, or reported an error it carried on after.
    pub fn dropouts(&self) -> u64 {
        self.dropouts.load(Ordering::Relaxed)
    }

    /// The first error the device carried on after, if any.
    pub fn other(&self) -> Option<String> {
        self.other.lock().ok().and_then(|other| other.clone())
    }

    /// Why the output stopped working, if it did.
    pub fn lost(&self) -> Option<String> {
        self.lost.lock().ok().and_then(|lost| lost.clone())
    }
}

impl Output {
    pub fn open_default(rate: u32) -> Result<Output, DeviceError> {
        let no_output = |err: &dyn std::fmt::Display| DeviceError::NoOutput {
            reason: err.to_string(),
        };
        // A small fixed period keeps pause and jumps prompt: rodio's default
        // aims at 50 ms periods, and ALSA buffers two of them (about 85 ms
        // at 48 kHz). A device that refuses PERIOD_SECONDS falls back to
        // its own configuration (see `open_sink_or_fallback`).
        let period = (PERIOD_SECONDS * f64::from(rate.max(8_000))).round() as u32;
        let trouble = Arc::new(Trouble::default());
        let on_error = {
            let trouble = trouble.clone();
            move |err| trouble.record(err)
        };
        let builder = DeviceSinkBuilder::from_default_device()
            .map_err(|e| no_output(&e))?
            .with_buffer_size(rodio::cpal::BufferSize::Fixed(period))
            .with_error_callback(on_error);
        let builder = match NonZero::new(rate) {
            Some(rate) => builder.with_sample_rate(rate),
            None => builder,
        };
        let mut sink = builder.open_sink_or_fallback().map_err(|e| no_output(&e))?;
        sink.log_on_drop(false);
        Ok(Output { sink, trouble })
    }

    /// What went wrong while playing, so far.
    pub fn trouble(&self) -> Arc<Trouble> {
        self.trouble.clone()
    }

    /// Starts playing `source`; it plays until it ends or is stopped
    /// through its [`crate::source::Control`].
    pub fn start(&self, source: SessionSource) {
        self.sink.mixer().add(source);
    }

    /// Lets the last samples leave the device buffer before closing it.
    pub fn drain(self) {
        std::thread::sleep(Duration::from_millis(300));
    }
}
