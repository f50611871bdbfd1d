//! The audio output device: ALSA's default PCM, which on a desktop is
//! PulseAudio or PipeWire. Behind the default `device` feature, so the
//! rest of soothe builds and tests without ALSA.
//!
//! soothe talks to alsa-lib itself (through the `alsa` crate, the one
//! cpal uses) rather than through cpal's stream, for two things cpal's
//! ALSA backend does not give: a buffer with room to spare in short
//! periods (cpal asks for two periods, so a deep buffer meant long periods
//! and slow controls), of which soothe fills only what it needs (see
//! [`crate::output::writer`]); and throwing away what is queued, for a stop.

use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;

use crate::output::feed::{self, Breaks};
use crate::output::writer::Writer;
use soothe_core::mix::SessionSource;

/// The device's buffer, as deep as `aplay`'s: the most the writer may
/// keep queued on a busy machine (it keeps less, see
/// [`crate::output::writer::QUEUE_SECONDS`]).
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
    /// or at once when it was stopped).
    pub fn drain(mut self) {
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

#[cfg(target_os = "linux")]
mod alsa_pcm {
    use std::time::{Duration, Instant};

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
        rate: u32,
        buffer: i64,
        period: i64,
        stream: Stream,
        /// Whether it has started again (after running dry, or a suspend)
        /// since [`Pcm::restarted`] was last asked.
        restarted: bool,
    }

    /// What the device has been given since it was last made ready, and
    /// how much of it it can at most have played: the least it holds.
    #[derive(Debug, Default)]
    struct Stream {
        /// Frames written.
        written: u64,
        /// Once it plays: a time, and the most it can have played then.
        played: Option<(Instant, u64)>,
    }

    impl Stream {
        /// The most it can have played by now...
        fn played(&self, rate: u32) -> u64 {
            self.played.map_or(0, |(then, played)| {
                played + (then.elapsed().as_secs_f64() * f64::from(rate)) as u64
            })
        }

        /// ...and the least it holds.
        fn least_held(&self, rate: u32) -> u64 {
            self.written.saturating_sub(self.played(rate))
        }

        /// It says it holds `queued`: it has played that much less.
        fn holds(&mut self, queued: u64, rate: u32) {
            if queued < self.least_held(rate) {
                self.played = Some((Instant::now(), self.written - queued));
            }
        }

        /// It has been given `frames` more, and plays (from now on, if it
        /// was not playing: it can have played nothing yet).
        fn wrote(&mut self, frames: u64, playing: bool) {
            self.written += frames;
            if playing && self.played.is_none() {
                self.played = Some((Instant::now(), 0));
            }
        }
    }

    impl AlsaPcm {
        pub fn open_default(rate: u32) -> Result<AlsaPcm, String> {
            let _quiet = quiet();
            // Not blocking: a device another program holds says so at
            // once instead of keeping soothe waiting.
            let pcm = PCM::new("default", Direction::Playback, true).map_err(|e| e.to_string())?;
            let (channels, float, buffer, period) = {
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
                rate,
                buffer,
                period,
                stream: Stream::default(),
                restarted: false,
            })
        }

        pub fn describe(&self) -> String {
            let ms = |frames: i64| frames as f64 * 1000.0 / f64::from(self.rate);
            format!(
                "ALSA \"default\": {}, {} Hz, {} channel{}, a buffer of {:.0} ms in periods of {:.0} ms",
                match self.samples {
                    Samples::Float(_) => "32-bit float",
                    Samples::Pcm16(_) => "16-bit",
                },
                self.rate,
                self.channels,
                if self.channels == 1 { "" } else { "s" },
                ms(self.buffer),
                ms(self.period),
            )
        }

        /// How many frames are queued, as well as the device can say.
        fn queued_now(&mut self) -> Result<u64, String> {
            match self.pcm.state() {
                State::Running | State::Prepared | State::Draining | State::Paused => {
                    // What the device says is yet to be heard: its buffer,
                    // and whatever comes after it (a sound server's own).
                    // But PulseAudio's plugin says 0 until the server has
                    // told it how far it got, and in a stream it started
                    // again (after a stop or an underrun) it goes on saying
                    // 0 however much is queued. Taken for empty, the device
                    // would be filled far beyond the queue (a second and
                    // more was seen). So a delay of 0 (or none) is taken
                    // for the least the device can hold: what it was given,
                    // less what it can have played since it started (a
                    // delay over 0 says how much that is).
                    let queued = match self.pcm.delay() {
                        Ok(frames) if frames > 0 => {
                            self.stream.holds(frames as u64, self.rate);
                            frames as u64
                        }
                        // (Never more than its buffer holds: a device that
                        // plays faster than real time, as alsa-lib's file
                        // plugin does, holds nothing.)
                        _ => {
                            let least = self.stream.least_held(self.rate);
                            let held = self.pcm.avail_update().map(|avail| self.buffer - avail);
                            held.map_or(least, |held| least.min(held.max(0) as u64))
                        }
                    };
                    Ok(queued)
                }
                // An underrun: nothing is queued any more.
                State::XRun | State::Setup => Ok(0),
                State::Suspended => {
                    self.stream = Stream::default();
                    self.restarted = true;
                    self.pcm
                        .prepare()
                        .map(|()| 0)
                        .map_err(|e| format!("the device did not wake up: {e}"))
                }
                State::Open | State::Disconnected => {
                    Err("the audio device was disconnected".to_string())
                }
            }
        }

        /// After an underrun or a suspend, ready to play again; any other
        /// error is the parent's to hear about.
        fn recover(&mut self, err: alsa::Error) -> Result<(), String> {
            self.stream = Stream::default();
            self.restarted = true;
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
                Ok(frames) => {
                    let playing = self.pcm.state() == State::Running;
                    self.stream.wrote(frames as u64, playing);
                    Ok(frames)
                }
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
            self.queued_now()
        }

        fn restarted(&mut self) -> bool {
            std::mem::take(&mut self.restarted)
        }

        fn discard(&mut self) -> Result<(), String> {
            self.stream = Stream::default();
            self.pcm
                .drop()
                .and_then(|()| self.pcm.prepare())
                .map_err(|e| format!("the device failed: {e}"))
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
    }
}
