//! The fixture session of the real-time tests: `tests/fixtures/live-session.ron`
//! with a voice of its own (noise bursts), its plan and its render.

use std::path::{Path, PathBuf};

/// The fixture session's sample rate.
pub const RATE: u32 = 48_000;

/// The fixture session: `tests/fixtures/live-session.ron`, a voice folder
/// of distinct noise bursts, its plan and its render (gain 0 dB).
pub struct Session {
    pub dir: tempfile::TempDir,
    pub script: PathBuf,
    pub voice: PathBuf,
    pub plan: Plan,
    pub render: Vec<f32>,
}

/// What `soothe plan --json` says, as far as the tests need it.
#[derive(Debug, Clone)]
pub struct Plan {
    pub total: u64,
    pub steps: Vec<PlanStep>,
    /// Every event's `[start, end)`, in samples.
    pub events: Vec<(u64, u64)>,
}

#[derive(Debug, Clone)]
pub struct PlanStep {
    pub id: String,
    pub title: String,
    pub start: u64,
    pub end: u64,
}

impl Plan {
    /// Checks a `Stopped at CLOCK in "TITLE"` line: the clock is at least
    /// `earliest` seconds in, and TITLE is the step playing at that clock
    /// (which counts whole seconds). Where the stop lands depends on how
    /// quickly a loaded machine delivers the key, so no exact clock is
    /// asked for.
    pub fn assert_stopped(&self, screen: &str, earliest: u64) {
        let line = screen
            .lines()
            .find_map(|l| l.trim().strip_prefix("Stopped at "))
            .unwrap_or_else(|| panic!("no \"Stopped at\" line:\n{screen}"));
        let (clock, title) = line
            .split_once(" in ")
            .unwrap_or_else(|| panic!("no step in {line:?}"));
        let seconds = clock
            .split(':')
            .fold(0, |total, part| total * 60 + part.parse::<u64>().unwrap());
        assert!(seconds >= earliest, "stopped before {earliest} s: {line:?}");
        let (from, to) = (seconds * u64::from(RATE), (seconds + 1) * u64::from(RATE));
        let playing: Vec<String> = self
            .steps
            .iter()
            .filter(|s| s.start < to && s.end > from)
            .map(|s| format!("\"{}\"", s.title))
            .collect();
        assert!(
            playing.iter().any(|t| t == title),
            "{line:?}: at {clock} the session plays {playing:?}"
        );
    }

    pub fn step(&self, id: &str) -> &PlanStep {
        self.steps
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no step {id}"))
    }
}

/// The prompts of the fixture script and their lengths in seconds.
const PROMPTS: [(&str, f64); 4] = [
    ("first", 1.6),
    ("second", 1.6),
    ("third", 1.6),
    ("close", 1.6),
];

impl Session {
    /// The fixture session, with a voice of white noise: every stretch of
    /// it unique, easy to find in a capture.
    pub fn new() -> Session {
        Session::with_voice(write_noise_burst)
    }

    /// The fixture session, with a voice that is smooth from one sample to
    /// the next ([`write_smooth_burst`]), as speech is: where a click
    /// would stand out.
    pub fn smooth() -> Session {
        Session::with_voice(write_smooth_burst)
    }

    fn with_voice(write: fn(&Path, f64, u64)) -> Session {
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live-session.ron");
        let voice = dir.path().join("voice");
        std::fs::create_dir(&voice).unwrap();
        for (seed, (id, seconds)) in PROMPTS.iter().enumerate() {
            write(&voice.join(format!("{id}.wav")), *seconds, seed as u64 + 1);
        }
        let mut session = Session {
            dir,
            script,
            voice,
            plan: Plan {
                total: 0,
                steps: Vec::new(),
                events: Vec::new(),
            },
            render: Vec::new(),
        };
        session.plan = session.read_plan();
        session.render = session.render_with(&[]);
        assert_eq!(session.render.len() as u64, session.plan.total);
        session
    }

    /// The script and the voice, for `play`, `render` and `plan`.
    pub fn args(&self) -> Vec<String> {
        vec![
            self.script.display().to_string(),
            "--voice".into(),
            self.voice.display().to_string(),
        ]
    }

    fn read_plan(&self) -> Plan {
        let args = self.args();
        let json = super::cli::plan(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let number = |v: &serde_json::Value| v.as_u64().unwrap();
        Plan {
            total: number(&json["total_samples"]),
            steps: json["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| PlanStep {
                    id: s["id"].as_str().unwrap().to_string(),
                    title: s["title"].as_str().unwrap().to_string(),
                    start: number(&s["start_sample"]),
                    end: number(&s["end_sample"]),
                })
                .collect(),
            events: json["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| (number(&e["start_sample"]), number(&e["end_sample"])))
                .collect(),
        }
    }

    /// The render with extra arguments (such as gains), as f32.
    pub fn render_with(&self, extra: &[&str]) -> Vec<f32> {
        let path = self.dir.path().join("render.wav");
        render_to(&path, &self.args(), extra);
        read_wav_mono(&path)
    }
}

/// `soothe render` of `args` and `extra` into `path`, which must succeed.
pub fn render_to(path: &Path, args: &[String], extra: &[&str]) {
    let path = path.display().to_string();
    let mut all = vec!["render"];
    all.extend(args.iter().map(String::as_str));
    all.extend_from_slice(extra);
    all.extend(["-o", &path]);
    super::cli::ok(&all);
}

/// A 16-bit WAV as f32 (first channel).
pub fn read_wav_mono(path: &Path) -> Vec<f32> {
    let mut reader = hound::WavReader::open(path).unwrap();
    let channels = usize::from(reader.spec().channels);
    reader
        .samples::<i16>()
        .step_by(channels)
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect()
}

/// White noise with 5 ms fades, as a 32-bit float WAV at 48 kHz: unlike
/// speech, every stretch of it is unique and never quiet for long.
pub fn write_noise_burst(path: &Path, seconds: f64, seed: u64) {
    write_burst(path, seconds, seed, false);
}

/// Noise low-passed twice (at about 400 Hz), with 5 ms fades, as a 32-bit
/// float WAV at 48 kHz: still unique, and no longer than 0.02 from one
/// sample to the next, where a cut from 0.3 to nothing is 0.3.
pub fn write_smooth_burst(path: &Path, seconds: f64, seed: u64) {
    write_burst(path, seconds, seed, true);
}

fn write_burst(path: &Path, seconds: f64, seed: u64, smooth: bool) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    let n = (seconds * f64::from(RATE)) as usize;
    let fade = RATE as usize / 200;
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut noise: Vec<f64> = (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        })
        .collect();
    if smooth {
        for _ in 0..2 {
            let mut low = 0.0;
            for x in &mut noise {
                low += 0.05 * (*x - low);
                *x = low;
            }
        }
        let peak = noise.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        noise.iter_mut().for_each(|x| *x /= peak);
    }
    for (i, x) in noise.iter().enumerate() {
        let envelope = (i.min(n - 1 - i) as f64 / fade as f64).min(1.0);
        writer.write_sample((0.3 * x * envelope) as f32).unwrap();
    }
    writer.finalize().unwrap();
}

/// An ALSA configuration whose default device writes 16-bit stereo WAV at
/// 48 kHz to `played`: alsa-lib's `file` plugin in front of a `null`
/// device, so no sound card is needed and nothing waits for real time.
/// For `ALSA_CONFIG_PATH`.
pub fn alsa_to_file(dir: &Path, played: &Path) -> PathBuf {
    let conf = dir.join("asound-file.conf");
    std::fs::write(
        &conf,
        format!(
            "pcm.!default {{\n type plug\n slave {{\n  pcm {{ type file slave.pcm {{ type null }} file \"{}\" format \"wav\" }}\n  format S16_LE rate 48000 channels 2\n }}\n}}\n",
            played.display()
        ),
    )
    .unwrap();
    conf
}
