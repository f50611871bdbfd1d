//! The audio output device: ALSA's default PCM, which on a desktop is
//! PulseAudio or PipeWire. Behind the default `device` feature, so the
//! rest of soothe builds and tests without ALSA.
//!
//! soothe talks to alsa-lib itself (through the `alsa` crate, the one
//! cpal uses) rather than through cpal's stream, for two things cpal's
//! ALSA backend does not give: a deep buffer in short periods (cpal asks
//! for two periods, so a deep buffer meant long periods and slow
//! controls), and acting on what is queued: holding it for a pause, and
//! throwing it away for a jump or a stop (see [`crate::output::writer`]).

use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;

use crate::output::feed::{self, Breaks};
use crate::output::writer::Writer;
use soothe_core::mix::SessionSource;

/// The device's buffer: what the machine may fall behind by without a
/// sound being lost. As deep as `aplay`'s.
pub const BUFFER_SECONDS: f64 = 0.5;
/// Its periods: how often the device asks for more.
pub const PERIOD_SECONDS: f64 = 0.05;
/// What must be written before the device starts: enough to ride out a
/// slow start, little enough for the first sound to come at once.
const START_SECONDS: f64 = 0.1;

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("no audio output device was found ({reason}); to play the session elsewhere, such as on your phone, render it to an MP3: {render}")]
    NoOutput {
        reason: String,
        /// The command that renders it, as the user can run it.
        render: String,
    },
}

/// The default output, opened at the session's rate.
pub struct Output {
    pcm: Option<alsa_pcm::AlsaPcm>,
    rate: u32,
    lost: Arc<OnceLock<String>>,
    breaks: Arc<Breaks>,
    writer: Option<JoinHandle<()>>,
}

impl Output {
    pub fn open_default(rate: u32) -> Result<Output, DeviceError> {
        let pcm =
            alsa_pcm::AlsaPcm::open_default(rate).map_err(|reason| DeviceError::NoOutput {
                reason,
                render: format!("{} render -o session.mp3", crate::suggest::program()),
            })?;
        Ok(Output {
            pcm: Some(pcm),
            rate,
            lost: Arc::new(OnceLock::new()),
            breaks: Arc::new(Breaks::default()),
            writer: None,
        })
    }

    /// What was opened, for `--verbose`: the device's format, rate,
    /// channels, buffer and period.
    pub fn describe(&self) -> String {
        self.pcm
            .as_ref()
            .map_or_else(String::new, alsa_pcm::AlsaPcm::describe)
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
    /// through its [`soothe_core::mix::Control`].
    pub fn start(&mut self, source: SessionSource) {
        let Some(mut pcm) = self.pcm.take() else {
            return;
        };
        let control = source.control().clone();
        let writer = Writer::new(feed::start(source), control, self.rate, self.breaks.clone());
        let lost = self.lost.clone();
        self.writer = Some(
            std::thread::Builder::new()
                .name("soothe-writer".into())
                .spawn(move || {
                    let _quiet = alsa_pcm::quiet();
                    if let Err(reason) = writer.run(&mut pcm) {
                        let _ = lost.set(reason);
                    }
                })
                .expect("the writer thread starts"),
        );
    }

    /// Waits until the last samples have been heard (the writer ends then,
    /// or when it was stopped and its fade-out has been heard).
    pub fn drain(mut self) {
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

#[cfg(target_os = "linux")]
mod alsa_pcm {
    use std::time::Duration;

    use alsa::pcm::{Access, Format, HwParams, State, PCM};
    use alsa::{Direction, ValueOr};

    use super::{BUFFER_SECONDS, PERIOD_SECONDS, START_SECONDS};
    use crate::output::writer::Pcm;

    /// Sends alsa-lib's messages on this thread to a buffer of their own
    /// instead of the terminal: soothe says what matters once.
    pub fn quiet() -> Option<impl Sized> {
        alsa::Output::local_error_handler().ok()
    }

    /// How the samples go to the device.
    enum Samples {
        Float(Vec<f32>),
        Pcm16(Vec<i16>),
    }

    pub struct AlsaPcm {
        pcm: PCM,
        channels: usize,
        samples: Samples,
        can_hold: bool,
        rate: u32,
        buffer: i64,
        period: i64,
        /// What [`Pcm::queued`] said last.
        queued: u64,
    }

    impl AlsaPcm {
        pub fn open_default(rate: u32) -> Result<AlsaPcm, String> {
            let _quiet = quiet();
            // Not blocking: a device another program holds says so at
            // once instead of keeping soothe waiting.
            let pcm = PCM::new("default", Direction::Playback, true).map_err(|e| e.to_string())?;
            let (channels, float, can_hold, buffer, period) = {
                let hw = HwParams::any(&pcm).map_err(|e| e.to_string())?;
                hw.set_access(Access::RWInterleaved)
                    .map_err(|e| e.to_string())?;
                let float = hw.set_format(Format::float()).is_ok();
                if !float {
                    hw.set_format(Format::s16())
                        .map_err(|e| format!("it takes neither float nor 16-bit samples ({e})"))?;
                }
                let channels = hw.set_channels_near(2).map_err(|e| e.to_string())?;
                let got = hw
                    .set_rate_near(rate, ValueOr::Nearest)
                    .map_err(|e| e.to_string())?;
                if got != rate {
                    return Err(format!("it cannot play at {rate} Hz"));
                }
                let micros = |seconds: f64| (seconds * 1e6).round() as u32;
                hw.set_buffer_time_near(micros(BUFFER_SECONDS), ValueOr::Nearest)
                    .map_err(|e| e.to_string())?;
                hw.set_period_time_near(micros(PERIOD_SECONDS), ValueOr::Nearest)
                    .map_err(|e| e.to_string())?;
                pcm.hw_params(&hw).map_err(|e| e.to_string())?;
                let hw = pcm.hw_params_current().map_err(|e| e.to_string())?;
                (
                    channels.max(1) as usize,
                    float,
                    hw.can_pause(),
                    hw.get_buffer_size().map_err(|e| e.to_string())?,
                    hw.get_period_size().map_err(|e| e.to_string())?,
                )
            };
            {
                let sw = pcm.sw_params_current().map_err(|e| e.to_string())?;
                let start = soothe_core::clock::samples(START_SECONDS, rate) as i64;
                sw.set_start_threshold(start.clamp(1, buffer))
                    .map_err(|e| e.to_string())?;
                sw.set_avail_min(period).map_err(|e| e.to_string())?;
                pcm.sw_params(&sw).map_err(|e| e.to_string())?;
            }
            let block = soothe_core::mix::BLOCK * channels.max(1);
            Ok(AlsaPcm {
                pcm,
                channels: channels.max(1),
                samples: if float {
                    Samples::Float(Vec::with_capacity(block))
                } else {
                    Samples::Pcm16(Vec::with_capacity(block))
                },
                can_hold,
                rate,
                buffer,
                period,
                queued: 0,
            })
        }

        pub fn describe(&self) -> String {
            let ms = |frames: i64| frames as f64 * 1000.0 / f64::from(self.rate);
            format!(
                "ALSA \"default\": {}, {} Hz, {} channel{}, a buffer of {:.0} ms in periods of {:.0} ms{}",
                match self.samples {
                    Samples::Float(_) => "32-bit float",
                    Samples::Pcm16(_) => "16-bit",
                },
                self.rate,
                self.channels,
                if self.channels == 1 { "" } else { "s" },
                ms(self.buffer),
                ms(self.period),
                if self.can_hold {
                    ""
                } else {
                    " (it cannot pause: soothe takes back what it queued)"
                }
            )
        }

        /// How many frames are queued, as well as the device can say.
        fn queued_now(&mut self) -> Result<u64, String> {
            match self.pcm.state() {
                State::Running | State::Prepared | State::Draining | State::Paused => {
                    // PulseAudio's plugin cannot say its delay until the
                    // server has answered (I/O error): then what is in the
                    // buffer is the best there is.
                    let queued = self.pcm.delay().ok().or_else(|| {
                        let avail = self.pcm.avail_update().ok()?;
                        Some(self.buffer - avail)
                    });
                    Ok(queued.map_or(self.queued, |frames| frames.max(0) as u64))
                }
                // An underrun: nothing is queued any more.
                State::XRun | State::Setup => Ok(0),
                State::Suspended => self
                    .pcm
                    .prepare()
                    .map(|()| 0)
                    .map_err(|e| format!("the device did not wake up: {e}")),
                State::Open | State::Disconnected => {
                    Err("the audio device was disconnected".to_string())
                }
            }
        }

        /// After an underrun or a suspend, ready to play again; any other
        /// error is the parent's to hear about.
        fn recover(&self, err: alsa::Error) -> Result<(), String> {
            self.pcm
                .try_recover(err, true)
                .map_err(|_| format!("the device failed: {err}"))
        }
    }

    impl Pcm for AlsaPcm {
        fn write(&mut self, samples: &[f32]) -> Result<usize, String> {
            let channels = self.channels;
            let written = match &mut self.samples {
                Samples::Float(buf) => {
                    buf.clear();
                    buf.extend(
                        samples
                            .iter()
                            .flat_map(|s| std::iter::repeat_n(*s, channels)),
                    );
                    self.pcm.io_f32().and_then(|io| io.writei(buf))
                }
                Samples::Pcm16(buf) => {
                    buf.clear();
                    buf.extend(samples.iter().flat_map(|s| {
                        std::iter::repeat_n(soothe_core::encode::wav::pcm16(*s), channels)
                    }));
                    self.pcm.io_i16().and_then(|io| io.writei(buf))
                }
            };
            match written {
                Ok(frames) => Ok(frames),
                Err(e) if e.errno().abs() == libc::EAGAIN => Ok(0),
                Err(e) => self.recover(e).map(|()| 0),
            }
        }

        fn wait(&mut self, timeout: Duration) -> Result<(), String> {
            let ms = timeout.as_millis().clamp(1, 1000) as u32;
            match self.pcm.wait(Some(ms)) {
                Ok(_) => Ok(()),
                Err(e) => self.recover(e),
            }
        }

        fn queued(&mut self) -> Result<u64, String> {
            let queued = self.queued_now()?;
            self.queued = queued;
            Ok(queued)
        }

        fn discard(&mut self) -> Result<(), String> {
            self.queued = 0;
            self.pcm
                .drop()
                .and_then(|()| self.pcm.prepare())
                .map_err(|e| format!("the device failed: {e}"))
        }

        fn hold(&mut self, on: bool) -> Result<bool, String> {
            if !self.can_hold {
                return Ok(false);
            }
            match (on, self.pcm.state()) {
                // Not started yet (or run dry): it holds by itself.
                (true, State::Prepared | State::XRun | State::Setup) => Ok(true),
                (true, _) => Ok(self.pcm.pause(true).is_ok()),
                (false, State::Paused) => self
                    .pcm
                    .pause(false)
                    .map(|()| true)
                    .map_err(|e| format!("the device did not go on: {e}")),
                (false, _) => Ok(true),
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod alsa_pcm {
    use crate::output::writer::Pcm;
    use std::time::Duration;

    pub fn quiet() -> Option<()> {
        None
    }

    pub enum AlsaPcm {}

    impl AlsaPcm {
        pub fn open_default(_rate: u32) -> Result<AlsaPcm, String> {
            Err("soothe plays through ALSA, on Linux".to_string())
        }

        pub fn describe(&self) -> String {
            match *self {}
        }
    }

    impl Pcm for AlsaPcm {
        fn write(&mut self, _: &[f32]) -> Result<usize, String> {
            match *self {}
        }
        fn wait(&mut self, _: Duration) -> Result<(), String> {
            match *self {}
        }
        fn queued(&mut self) -> Result<u64, String> {
            match *self {}
        }
        fn discard(&mut self) -> Result<(), String> {
            match *self {}
        }
        fn hold(&mut self, _: bool) -> Result<bool, String> {
            match *self {}
        }
    }
}
