//! The microphone: cpal's default input device (or the one `--input NAME`
//! chooses, see [`open`]), asked for mono 48 kHz f32
//! where it offers that, feeding a large lock-free ring buffer.
//!
//! rodio's own microphone keeps about 100 ms, drops what does not fit
//! without a word, and waits forever for sound. Here the ring holds 75 s,
//! every sample that does not fit is counted (a take that lost sound is
//! not saved), device errors are reported, and opening the device is given
//! at most [`OPEN_TIMEOUT`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use rodio::cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use rodio::cpal::{
    self, FromSample, SampleFormat, SizedSample, StreamConfig, SupportedStreamConfigRange,
};

use soothe_core::first_error::FirstError;
use soothe_core::take::recording::{InputError, SoundInput};

/// How long opening the microphone may take before we say there is none.
pub const OPEN_TIMEOUT: Duration = Duration::from_millis(1500);
/// The rate asked for: the session rate of the built-in script.
const PREFERRED_RATE: u32 = 48_000;
/// Seconds of sound the ring buffer holds: more than the longest take, so
/// that a reader that falls behind (a busy computer, or an input that is
/// not paced in real time, as in the tests) loses nothing.
const RING_SECONDS: u32 = 75;

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("no microphone could be opened ({reason}). Check that one is plugged in and not in use by another program (`soothe devices` lists them); or record on a phone and bring the memo in with: soothe record --voice NAME --prompt ID --import FILE")]
    NoInput { reason: String },
    /// `--input NAME` names no microphone: the user's to fix.
    #[error(transparent)]
    Unknown(#[from] super::devices::FindError),
}

impl CaptureError {
    /// Whether the user asked for something that is not there (exit 2).
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, CaptureError::Unknown(_))
    }
}

/// Opens the microphone `input` names (as `soothe devices` lists it: its
/// ALSA name, its description, or a part of either), or the default one
/// when `None`; or explains why not, in at most [`OPEN_TIMEOUT`] once the
/// device is found.
pub fn open(input: Option<&str>) -> Result<Microphone, CaptureError> {
    match input {
        None => Microphone::open_id(None),
        Some(wanted) => {
            let devices = super::devices::list_unprobed();
            let found = super::devices::find(&devices.inputs, wanted)?;
            Microphone::open_id(Some(found.id.clone()))
        }
    }
}

/// An open microphone; sound flows into the ring until it is dropped.
pub struct Microphone {
    consumer: rtrb::Consumer<f32>,
    rate: u32,
    lost: Arc<AtomicU64>,
    failure: Arc<FirstError>,
    /// Dropping it ends the thread that owns the stream.
    _stop: mpsc::Sender<()>,
    /// What the device is, for messages.
    pub description: String,
}

struct Opened {
    consumer: rtrb::Consumer<f32>,
    rate: u32,
    description: String,
}

impl Microphone {
    /// Opens the input device ALSA calls `id` (the default when `None`).
    fn open_id(id: Option<String>) -> Result<Microphone, CaptureError> {
        let lost = Arc::new(AtomicU64::new(0));
        let failure = Arc::new(FirstError::new());
        let (stop, stopped) = mpsc::channel::<()>();
        let (opened_tx, opened_rx) = mpsc::channel::<Result<Opened, String>>();
        let thread_lost = lost.clone();
        let thread_failure = failure.clone();
        // The stream lives on its own thread: a device that hangs while
        // opening cannot hang soothe, and the stream need not be Send.
        std::thread::Builder::new()
            .name("soothe-microphone".into())
            .spawn(
                move || match open_stream(id.as_deref(), thread_lost, thread_failure) {
                    Ok((stream, opened)) => {
                        if opened_tx.send(Ok(opened)).is_ok() {
                            // Keep the stream until the Microphone is dropped.
                            let _ = stopped.recv();
                        }
                        drop(stream);
                    }
                    Err(reason) => {
                        let _ = opened_tx.send(Err(reason));
                    }
                },
            )
            .map_err(|e| CaptureError::NoInput {
                reason: soothe_core::error::io_reason(&e),
            })?;
        match opened_rx.recv_timeout(OPEN_TIMEOUT) {
            Ok(Ok(opened)) => Ok(Microphone {
                consumer: opened.consumer,
                rate: opened.rate,
                lost,
                failure,
                _stop: stop,
                description: opened.description,
            }),
            Ok(Err(reason)) => Err(CaptureError::NoInput {
                reason: reason.trim_end_matches('.').to_string(),
            }),
            Err(_) => Err(CaptureError::NoInput {
                reason: format!(
                    "the input device did not open within {:.1} s",
                    OPEN_TIMEOUT.as_secs_f64()
                ),
            }),
        }
    }
}

impl SoundInput for Microphone {
    fn rate(&self) -> u32 {
        self.rate
    }

    fn read(&mut self, out: &mut Vec<f32>, wait: Duration) -> Result<usize, InputError> {
        let started = Instant::now();
        loop {
            let available = self.consumer.slots();
            if available > 0 {
                if let Ok(chunk) = self.consumer.read_chunk(available) {
                    let (a, b) = chunk.as_slices();
                    out.extend_from_slice(a);
                    out.extend_from_slice(b);
                    chunk.commit_all();
                }
                return Ok(available);
            }
            if let Some(reason) = self.failure.get() {
                return Err(InputError::Failed(reason.to_string()));
            }
            if started.elapsed() >= wait {
                return Ok(0);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn lost(&self) -> u64 {
        self.lost.load(Ordering::Relaxed)
    }

    fn discard(&mut self) {
        let available = self.consumer.slots();
        if let Ok(chunk) = self.consumer.read_chunk(available) {
            chunk.commit_all();
        }
    }
}

/// Builds and starts the input stream; runs on the microphone thread.
fn open_stream(
    id: Option<&str>,
    lost: Arc<AtomicU64>,
    failure: Arc<FirstError>,
) -> Result<(cpal::Stream, Opened), String> {
    // alsa-lib's own lines stay off the terminal; the error says it all.
    let _quiet = super::devices::alsa_quiet();
    let device = match id {
        None => cpal::default_host()
            .default_input_device()
            .ok_or_else(|| "there is no default input device".to_string())?,
        Some(id) => super::devices::input_device(id)
            .ok_or_else(|| format!("the input device {id} has gone"))?,
    };
    let description = device
        .description()
        .map(|d| d.name().to_string())
        .unwrap_or_else(|_| "the default input device".into());
    let (config, format) = choose_config(&device)?;
    let (stream, consumer, config) = match start(&device, config, format, &lost, &failure) {
        Ok(started) => started,
        // Some devices offer what they cannot do: try their own default.
        Err(first) => match device.default_input_config() {
            Ok(default) if default.config() != config || default.sample_format() != format => {
                start(
                    &device,
                    default.config(),
                    default.sample_format(),
                    &lost,
                    &failure,
                )
                .map_err(|_| first)?
            }
            _ => return Err(first),
        },
    };
    Ok((
        stream,
        Opened {
            consumer,
            rate: config.sample_rate,
            description,
        },
    ))
}

/// Builds and plays a stream that fills a new ring with mono f32.
fn start(
    device: &cpal::Device,
    config: StreamConfig,
    format: SampleFormat,
    lost: &Arc<AtomicU64>,
    failure: &Arc<FirstError>,
) -> Result<(cpal::Stream, rtrb::Consumer<f32>, StreamConfig), String> {
    let channels = usize::from(config.channels.max(1));
    let (producer, consumer) =
        rtrb::RingBuffer::<f32>::new((config.sample_rate * RING_SECONDS) as usize);
    let (lost, failure) = (lost.clone(), failure.clone());
    let on_error = move |err: cpal::Error| {
        failure.report(|| err.to_string());
    };
    macro_rules! build {
        ($($format:ident => $type:ty),+ $(,)?) => {
            match format {
                $(SampleFormat::$format => build_typed::<$type>(device, &config, channels, producer, lost, on_error),)+
                other => return Err(format!("its sample format {other} is not supported")),
            }
        };
    }
    let stream = build!(
        F32 => f32,
        I16 => i16,
        I32 => i32,
        F64 => f64,
        I8 => i8,
        U8 => u8,
        U16 => u16,
        U32 => u32,
    )
    .map_err(|e| e.to_string())?;
    stream.play().map_err(|e| e.to_string())?;
    Ok((stream, consumer, config))
}

fn build_typed<T>(
    device: &cpal::Device,
    config: &StreamConfig,
    channels: usize,
    mut producer: rtrb::Producer<f32>,
    lost: Arc<AtomicU64>,
    on_error: impl FnMut(cpal::Error) + Send + 'static,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + Send + 'static,
    f32: FromSample<T>,
{
    device.build_input_stream::<T, _, _>(
        *config,
        move |data: &[T], _| {
            let mut dropped = 0u64;
            for frame in data.chunks_exact(channels) {
                let sum: f32 = frame.iter().map(|&s| f32::from_sample_(s)).sum();
                if producer.push(sum / channels as f32).is_err() {
                    dropped += 1;
                }
            }
            if dropped > 0 {
                lost.fetch_add(dropped, Ordering::Relaxed);
            }
        },
        on_error,
        Some(OPEN_TIMEOUT),
    )
}

/// Mono, f32 and 48 kHz where offered; otherwise the nearest.
fn choose_config(device: &cpal::Device) -> Result<(StreamConfig, SampleFormat), String> {
    let ranges: Vec<SupportedStreamConfigRange> = match device.supported_input_configs() {
        Ok(ranges) => ranges.collect(),
        Err(err) => return Err(err.to_string()),
    };
    let format_rank = |format: SampleFormat| match format {
        SampleFormat::F32 => 0,
        SampleFormat::I32 => 1,
        SampleFormat::I16 => 2,
        SampleFormat::F64 => 3,
        SampleFormat::U16 | SampleFormat::U32 => 4,
        SampleFormat::I8 | SampleFormat::U8 => 5,
        _ => 9,
    };
    let best = ranges
        .iter()
        .filter(|r| format_rank(r.sample_format()) < 9 && r.channels() > 0)
        .min_by_key(|r| {
            let rate = PREFERRED_RATE.clamp(r.min_sample_rate(), r.max_sample_rate());
            (
                r.channels() != 1,
                rate.abs_diff(PREFERRED_RATE),
                format_rank(r.sample_format()),
                r.channels(),
            )
        });
    match best {
        Some(range) => {
            let rate = PREFERRED_RATE.clamp(range.min_sample_rate(), range.max_sample_rate());
            let config = StreamConfig {
                channels: range.channels(),
                sample_rate: rate,
                buffer_size: cpal::BufferSize::Default,
            };
            Ok((config, range.sample_format()))
        }
        None => {
            let default = device.default_input_config().map_err(|e| e.to_string())?;
            Ok((default.config(), default.sample_format()))
        }
    }
}
