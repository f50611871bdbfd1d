//! The crying detector (crates/soothe-core/src/listen/), measured.
//!
//!     cargo bench --bench listen -- features        # the frames tools/listen-train learns from
//!     cargo bench --bench listen -- cv              # cross-validated figures, the trade-off curve
//!     cargo bench --bench listen -- heldout         # the held-out recordings, once
//!     cargo bench --bench listen [-- room DIR]      # whole sessions with real sounds; the cost
//!     cargo bench --bench listen -- cv-room         # whole sessions, cross-validated
//!     cargo bench --bench listen -- files FILE...   # any recordings, alone
//!
//! The room: the session's own render (`soothe render`, both variants)
//! reaches the microphone 20-150 ms late at -10 to -25 dB, with a weaker
//! reflection 7 ms after it and a noise floor at -65 dBFS; the microphone
//! runs at 48 kHz, as `play --listen` asks for. The detector is given the
//! render as its reference, as `play --listen` gives it the samples it
//! plays, and must find the delay itself.
//!
//! The default run plays whole sessions with the echo alone and with the
//! recordings of DIR (../shared/data/negatives, the development set, when
//! left out: trained on, so only target/heldout/negatives is evidence)
//! near the microphone, counts the false pauses, and measures the cost:
//! the time the detector takes, as a share of one core in real time.
//! `cv` and `heldout` are described in benches/listen/cv.rs, `features`
//! in benches/listen/features.rs.
//!
//! `files` runs the detector on each recording alone (no reference), as
//! `soothe listen --file` does, and prints when it first heard crying and
//! fussing, and how many of its moments the model took for a cry.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use soothe::app::{Prepared, SessionArgs};
use soothe_core::listen::model::Model;
use soothe_core::listen::{Hearing, Listener, Tuning};

#[path = "listen/cv.rs"]
mod cv;
#[path = "listen/data.rs"]
mod data;
#[path = "listen/features.rs"]
mod features;
#[path = "listen/sessions.rs"]
mod sessions;
use soothe_core::mix::{Control, Levels, SessionSource};
use soothe_core::session::select::Selection;
use soothe_core::sound::voice::VoiceChoice;

const MIC_RATE: u32 = 48_000;
/// Adult voices and song near the microphone (RMS while sounding).
const NEAR_DBFS: f64 = -24.0;
const NOISE_FLOOR_DBFS: f64 = -65.0;
/// The kinds of negative played as voices, at [`NEAR_DBFS`]; the rest
/// (household sounds, animals, music) at their own level.
const VOICES: [&str; 4] = ["speech", "child", "singing", "laughter"];
/// Detection must come within this long of the cry's start.
const WITHIN: f64 = 3.0;
/// The microphone is read in pieces of this length (20 ms).
const PIECE: usize = 960;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("files") => files(&args[1..]),
        Some("features") => features::run(),
        Some("cv") => cv::cv(),
        Some("heldout") => cv::heldout(),
        Some("cv-room") => sessions::cv_room(),
        Some("room") if args.len() > 1 => room(Path::new(&args[1])),
        _ => room(&data::shared("SOOTHE_NEGATIVES", "negatives")),
    }
}

/// A tiny seeded generator (xorshift), so that every run mixes the same.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.next().max(1e-12), self.next());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// A WAV file as mono f32 and its rate.
fn read(path: &Path) -> (Vec<f32>, u32) {
    let mut reader =
        hound::WavReader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().map(|s| s.unwrap_or(0.0)).collect(),
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.unwrap_or(0) as f32 * scale)
                .collect()
        }
    };
    let mono = samples
        .chunks(channels)
        .map(|f| f.iter().sum::<f32>() / channels as f32)
        .collect();
    (mono, spec.sample_rate)
}

/// Resampled to `to` Hz by windowed-sinc interpolation (for the mix only).
fn resample(x: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to {
        return x.to_vec();
    }
    let ratio = f64::from(from) / f64::from(to);
    let cutoff = 0.45 * (f64::from(from.min(to)) / f64::from(from));
    let half = 16.0 / cutoff.min(0.5) * 0.5;
    let n = (x.len() as f64 / ratio) as usize;
    (0..n)
        .map(|i| {
            let t = i as f64 * ratio;
            let lo = (t - half).ceil().max(0.0) as usize;
            let hi = ((t + half).floor() as usize).min(x.len().saturating_sub(1));
            let mut acc = 0.0;
            for (j, &s) in x.iter().enumerate().take(hi + 1).skip(lo) {
                let d = j as f64 - t;
                let arg = 2.0 * cutoff * d;
                let sinc = if arg == 0.0 {
                    1.0
                } else {
                    (std::f64::consts::PI * arg).sin() / (std::f64::consts::PI * arg)
                };
                let w = 0.5 + 0.5 * (std::f64::consts::PI * d / half).cos();
                acc += f64::from(s) * 2.0 * cutoff * sinc * w;
            }
            acc as f32
        })
        .collect()
}

fn rms(x: &[f32]) -> f64 {
    (x.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / x.len().max(1) as f64).sqrt()
}

/// The RMS of `x` over its sounding 20 ms windows (those within 26 dB of
/// the loudest), dBFS.
fn sounding_db(x: &[f32]) -> f64 {
    let windows: Vec<f64> = x.chunks(960).map(rms).collect();
    let loudest = windows.iter().copied().fold(0.0, f64::max);
    let sounding: Vec<f64> = windows
        .into_iter()
        .filter(|&r| r > loudest * 0.05)
        .collect();
    let r = (sounding.iter().map(|r| r * r).sum::<f64>() / sounding.len().max(1) as f64).sqrt();
    20.0 * r.max(1e-9).log10()
}

/// Scaled so that its RMS over its sounding 20 ms windows is `dbfs`.
fn level(x: &[f32], dbfs: f64) -> Vec<f32> {
    let gain = 10f64.powf((dbfs - sounding_db(x)) / 20.0);
    x.iter().map(|&s| (f64::from(s) * gain) as f32).collect()
}

/// The whole session's render, as `soothe render` makes it.
fn render(variant: &str) -> (Vec<f32>, u32) {
    let session = SessionArgs {
        script: None,
        language: soothe::app::LanguagePick::ENGLISH,
        selection: Selection {
            variant: Some(variant.into()),
            ..Selection::default()
        },
        voice: VoiceChoice::Guide,
        from: None,
        without: Vec::new(),
    };
    let prepared = Prepared::new(&session).expect("the built-in session");
    let rate = prepared.timeline.sample_rate;
    let mut source = SessionSource::new(
        prepared.timeline.clone(),
        std::sync::Arc::new(prepared.sounds),
        Control::new(Levels::UNITY),
    );
    let mut out = Vec::new();
    let mut block = vec![0.0; 4096];
    loop {
        let n = source.fill(&mut block);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&block[..n]);
    }
    (out, rate)
}

/// The room: the render, late and quieter, with a reflection and noise.
struct Room {
    delay: usize,
    gain: f32,
}

impl Room {
    fn random(rng: &mut Rng) -> Room {
        let delay = rng.range(0.020, 0.150);
        let db = rng.range(-25.0, -10.0);
        Room {
            delay: (delay * f64::from(MIC_RATE)) as usize,
            gain: 10f64.powf(db / 20.0) as f32,
        }
    }

    /// What the microphone hears of `played` (48 kHz): samples
    /// `from..from + len` of the session.
    fn echo(&self, played: &[f32], from: usize, len: usize, rng: &mut Rng) -> Vec<f32> {
        let reflection = (0.007 * f64::from(MIC_RATE)) as usize;
        let noise = 10f64.powf(NOISE_FLOOR_DBFS / 20.0);
        let at = |i: isize| -> f32 {
            if i >= 0 && (i as usize) < played.len() {
                played[i as usize]
            } else {
                0.0
            }
        };
        (0..len)
            .map(|k| {
                let i = (from + k) as isize - self.delay as isize;
                self.gain * (at(i) + 0.3 * at(i - reflection as isize))
                    + (noise * rng.normal()) as f32
            })
            .collect()
    }
}

/// Runs the listener over `mic` with `reference` (both 48 kHz), in 20 ms
/// pieces; returns the verdict after each piece, and the time it took.
fn listen(mic: &[f32], reference: &[f32]) -> (Vec<Hearing>, Duration) {
    listen_with(mic, reference, model())
}

/// [`listen`] with this model.
fn listen_with(mic: &[f32], reference: &[f32], model: Model) -> (Vec<Hearing>, Duration) {
    let mut listener = Listener::with_model(MIC_RATE, MIC_RATE, tuning(), model);
    let mut out = Vec::with_capacity(mic.len() / PIECE + 1);
    let started = Instant::now();
    for (m, r) in mic.chunks(PIECE).zip(reference.chunks(PIECE)) {
        out.push(listener.push(m, r));
    }
    (out, started.elapsed())
}

/// The thresholds: soothe's, or others from `LISTEN_TUNING=name=value,...`
/// (to try them; the figures in BENCHMARKS.md are soothe's own).
fn tuning() -> Tuning {
    let mut tuning = Tuning::default();
    if let Ok(spec) = std::env::var("LISTEN_TUNING") {
        for pair in spec.split(',').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').expect("name=value");
            tuning
                .set(name, value.parse().expect("a number"))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    tuning
}

/// The model in `$LISTEN_MODEL` if set (another one tools/listen-train
/// wrote, such as target/listen-cv/fold-0.txt), else soothe's.
fn model() -> Model {
    match std::env::var_os("LISTEN_MODEL") {
        Some(path) => {
            let text = std::fs::read_to_string(&path).expect("LISTEN_MODEL: a readable file");
            Model::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.to_string_lossy()))
        }
        None => Model::trained(),
    }
}

/// A listener at `rate` with [`tuning`] and [`model`].
fn listener(rate: u32) -> Listener {
    Listener::with_model(rate, rate, tuning(), model())
}

fn family(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // The app instance id: the name up to the timestamp (ids hold dashes).
    let fields: Vec<&str> = name.split('-').collect();
    let cut = fields
        .iter()
        .position(|f| f.len() >= 10 && f.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or(1);
    fields[..cut].join("-").to_lowercase()
}

fn wavs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "wav"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Whole sessions, both variants, in the room: with the echo alone, and
/// with the recordings of `dir` near the microphone one after another
/// (voices at -24 dBFS while sounding, louder than the echo; household
/// sounds, animals and music at their own level), with pauses of 1 to 8 s.
/// A false pause is the detector saying "crying" at all. And what the
/// detector costs.
fn room(dir: &Path) {
    let mut rng = Rng(0x5eed_0013);
    let mut busy = Duration::ZERO;
    let mut heard_seconds = 0.0;
    let all = wavs(dir);
    println!("{} recordings from {}", all.len(), dir.display());
    let is_voice = |p: &PathBuf| {
        let kind = data::kind_of(&p.file_name().unwrap().to_string_lossy());
        VOICES.contains(&kind.as_str())
    };
    let voices: Vec<PathBuf> = all.iter().filter(|p| is_voice(p)).cloned().collect();
    let others: Vec<PathBuf> = all.iter().filter(|p| !is_voice(p)).cloned().collect();
    for variant in ["relaxing", "invigorating"] {
        let (played, rate) = render(variant);
        assert_eq!(rate, MIC_RATE, "the built-in session plays at 48 kHz");
        let room = Room::random(&mut rng);
        let echo = room.echo(&played, 0, played.len(), &mut rng);
        for (what, files, dbfs) in [
            ("echo alone", &Vec::new(), None),
            (
                "echo + speech, children, singing, laughter",
                &voices,
                Some(NEAR_DBFS),
            ),
            ("echo + household, animals, music", &others, None),
        ] {
            let mut mic = echo.clone();
            let placed = place(&mut mic, files, dbfs, &mut rng);
            let (verdicts, took) = listen(&mic, &played);
            busy += took;
            heard_seconds += mic.len() as f64 / f64::from(MIC_RATE);
            let piece = PIECE as f64 / f64::from(MIC_RATE);
            let pauses = false_pauses(&verdicts, &placed);
            let fussing =
                verdicts.iter().filter(|h| **h == Hearing::Fussing).count() as f64 * piece;
            println!(
                "{variant:<13} {what:<44} {:>5.0} s, {} recordings: {} false pauses, {fussing:.0} s shown as fussing",
                mic.len() as f64 / f64::from(MIC_RATE),
                placed.len(),
                pauses.len()
            );
            for pause in pauses {
                println!("  false pause at {pause}");
            }
        }
    }
    println!(
        "cost: {:.2}% of one core ({:.1} s of listening for {:.0} s of sound)",
        100.0 * busy.as_secs_f64() / heard_seconds,
        busy.as_secs_f64(),
        heard_seconds
    );
}

/// The recordings `files` laid into `mic` one after another, each run in its
/// own order (the same every time), 1 to 8 s apart, at `dbfs` while
/// sounding or at their own level, as long as they fit: where each lies.
fn place(
    mic: &mut [f32],
    files: &[PathBuf],
    dbfs: Option<f64>,
    rng: &mut Rng,
) -> Vec<(usize, usize, String)> {
    let mut order: Vec<usize> = (0..files.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, (rng.next() * (i + 1) as f64) as usize);
    }
    let mut at = 0usize;
    let mut placed = Vec::new();
    for &k in &order {
        let (x, from) = read(&files[k]);
        let x = resample(&x, from, MIC_RATE);
        let x = match dbfs {
            Some(dbfs) => level(&x, dbfs),
            None => x,
        };
        if at + x.len() > mic.len() {
            break;
        }
        for (m, s) in mic[at..].iter_mut().zip(&x) {
            *m += s;
        }
        let name = files[k].file_name().unwrap().to_string_lossy().to_string();
        placed.push((at, at + x.len(), name));
        at += x.len() + (rng.range(1.0, 8.0) * f64::from(MIC_RATE)) as usize;
    }
    placed
}

/// Each time the verdicts turn to crying: when, and during which recording
/// (or within a second after it).
fn false_pauses(verdicts: &[Hearing], placed: &[(usize, usize, String)]) -> Vec<String> {
    let mut pauses = Vec::new();
    for (i, w) in verdicts.windows(2).enumerate() {
        if w[1] == Hearing::Crying && w[0] != Hearing::Crying {
            let sample = (i + 1) * PIECE;
            let during = placed
                .iter()
                .find(|(a, b, _)| (*a..*b + MIC_RATE as usize).contains(&sample))
                .map_or("the session alone", |(_, _, n)| n.as_str());
            pauses.push(format!("{:.1} s, during {during}", sample as f64 / 48e3));
        }
    }
    pauses
}

fn files(paths: &[String]) {
    if paths.is_empty() {
        eprintln!("usage: cargo bench --bench listen -- files FILE.wav...");
        std::process::exit(2);
    }
    let (mut crying, mut fussing, mut soon) = (0, 0, 0);
    for path in paths {
        let (x, rate) = read(Path::new(path));
        let mut listener = listener(rate);
        listener.keep_moments();
        let piece = (rate / 50).max(1) as usize;
        let (mut first_cry, mut first_fuss) = (None, None);
        for (k, chunk) in x.chunks(piece).enumerate() {
            let t = (k + 1) as f64 * piece as f64 / f64::from(rate);
            match listener.push_alone(chunk) {
                Hearing::Crying => {
                    first_cry.get_or_insert(t);
                }
                Hearing::Fussing => {
                    first_fuss.get_or_insert(t);
                }
                Hearing::Quiet => {}
            }
        }
        let says = match (first_cry, first_fuss) {
            (Some(t), _) => {
                crying += 1;
                soon += usize::from(t <= WITHIN);
                format!("crying from {t:.1} s")
            }
            (None, Some(t)) => {
                fussing += 1;
                format!("fussing from {t:.1} s")
            }
            (None, None) => "quiet".to_string(),
        };
        let moments = listener.take_moments();
        let weighed: Vec<f32> = moments.iter().filter_map(|m| m.probability).collect();
        let likely = weighed.iter().filter(|p| **p >= 0.5).count();
        let detail = format!(
            "{} of {} sounding moments like a cry",
            likely,
            weighed.len()
        );
        println!("{path}: {says}  [{detail}]");
    }
    let n = paths.len();
    println!(
        "{n} recordings: {crying} heard as crying ({:.1}%; {soon} within {WITHIN} s of the start, {:.1}%), {fussing} more as fussing only, {} quiet",
        100.0 * crying as f64 / n as f64,
        100.0 * soon as f64 / n as f64,
        n - crying - fussing
    );
}
