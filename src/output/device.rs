//! The audio output device (rodio over cpal). Behind the default `device`
//! feature, so the rest of soothe builds and tests without ALSA.

use std::num::NonZero;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use rodio::{DeviceSinkBuilder, MixerDeviceSink};

use crate::feed::{self, Breaks};
use crate::source::SessionSource;

/// The device period asked for: 100 ms, with two periods of buffer (cpal
/// always asks ALSA for two). That is what holds on a busy machine through
/// PulseAudio's and PipeWire's ALSA plugins, where 16 ms periods lost much
/// of the voice; and a pause or a jump, made where the device takes its
/// samples (see [`crate::feed`]), is still heard within the buffer's 200 ms.
pub const PERIOD_SECONDS: f64 = 0.1;

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("no audio output device was found ({reason}); to listen on another device, render the session to a file instead: soothe render -o session.wav")]
    NoOutput { reason: String },
}

/// The default output, opened at the session's rate where it allows.
pub struct Output {
    sink: MixerDeviceSink,
    rate: u32,
    lost: Arc<OnceLock<String>>,
    breaks: Arc<Breaks>,
}

impl Output {
    pub fn open_default(rate: u32) -> Result<Output, DeviceError> {
        // alsa-lib prints its own complaints ("ALSA lib ...") while a
        // device is looked for and opened; soothe says what matters once.
        let _quiet = alsa_quiet();
        let no_output = |err: &dyn std::fmt::Display| DeviceError::NoOutput {
            reason: err.to_string(),
        };
        let period = crate::clock::samples(PERIOD_SECONDS, rate.max(8_000)) as u32;
        let lost = Arc::new(OnceLock::new());
        let on_error = {
            let lost = lost.clone();
            move |err: rodio::cpal::Error| {
                use rodio::cpal::ErrorKind;
                // Only what ends the stream matters here: whether the sound
                // broke up is measured (see crate::feed), not taken from the
                // driver, whose reports are not to be trusted: PulseAudio's
                // ALSA plugin reports I/O errors while all is well.
                if matches!(
                    err.kind(),
                    ErrorKind::DeviceNotAvailable
                        | ErrorKind::HostUnavailable
                        | ErrorKind::StreamInvalidated
                        | ErrorKind::PermissionDenied
                ) {
                    let _ = lost.set(err.to_string());
                }
            }
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
        Ok(Output {
            sink,
            rate,
            lost,
            breaks: Arc::new(Breaks::default()),
        })
    }

    /// Why the output stopped working, if it did.
    pub fn lost(&self) -> Option<String> {
        self.lost.get().cloned()
    }

    /// How often the sound broke up, so far.
    pub fn breaks(&self) -> Arc<Breaks> {
        self.breaks.clone()
    }

    /// Starts playing `source`; it plays until it ends or is stopped
    /// through its [`crate::source::Control`].
    pub fn start(&self, source: SessionSource) {
        let heard = feed::start(source, self.rate, self.breaks.clone());
        self.sink.mixer().add(heard);
    }

    /// Lets the last samples leave the device buffer before closing it.
    pub fn drain(self) {
        // Two periods of buffer, and the sound server's own.
        std::thread::sleep(Duration::from_secs_f64(2.0 * PERIOD_SECONDS + 0.2));
    }
}

/// Sends alsa-lib's messages on this thread, where the device is opened,
/// to a buffer of their own instead of the terminal.
#[cfg(target_os = "linux")]
fn alsa_quiet() -> Option<impl Sized> {
    alsa::Output::local_error_handler().ok()
}

#[cfg(not(target_os = "linux"))]
fn alsa_quiet() -> Option<()> {
    None
}
