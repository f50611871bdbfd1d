//! The audio output device (rodio over cpal). Behind the default `device`
//! feature, so the rest of soothe builds and tests without ALSA.

use std::num::NonZero;
use std::time::Duration;

use rodio::{DeviceSinkBuilder, MixerDeviceSink};

use crate::source::SessionSource;

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("no audio output device was found ({reason}); to listen on another device, render the session to a file instead: soothe render -o session.wav")]
    NoOutput { reason: String },
}

/// The default output, opened at the session's rate where it allows.
pub struct Output {
    sink: MixerDeviceSink,
}

impl Output {
    pub fn open_default(rate: u32) -> Result<Output, DeviceError> {
        let no_output = |err: &dyn std::fmt::Display| DeviceError::NoOutput {
            reason: err.to_string(),
        };
        let builder = DeviceSinkBuilder::from_default_device().map_err(|e| no_output(&e))?;
        let builder = match NonZero::new(rate) {
            Some(rate) => builder.with_sample_rate(rate),
            None => builder,
        };
        let mut sink = builder
            .open_sink_or_fallback()
            .map_err(|e| no_output(&e))?;
        sink.log_on_drop(false);
        Ok(Output { sink })
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
