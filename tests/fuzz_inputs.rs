//! Fuzzing in the suite: thousands of random mutations of the built-in
//! script and of a few WAV takes, each taken through the library's
//! check/plan/render path, with a fixed seed so that a failure is the same
//! on every machine. Every case must end in a session or in a located
//! message (`PATH:LINE:COL: ...` for a script, `PATH: ...` for a take),
//! never in a panic, and within a bounded amount of memory, which a
//! counting allocator measures (no wall-clock assertion).
//!
//! Longer runs: `cargo fuzz run script` / `cargo fuzz run take` (see
//! CONTRIBUTING.md).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;

use soothe_core::mix::{Control, Levels, SessionSource};
use soothe_core::session::script::{parse_bytes, FileError, Script, BUILTIN_SOURCE};
use soothe_core::session::select::Selection;
use soothe_core::session::timeline::Timeline;
use soothe_core::sound::sounds::Sounds;
use soothe_core::sound::voice::{VoiceChoice, VoiceSet};

/// Counts the bytes each thread has allocated and not yet freed, and the
/// most it has held at once, so that a case that allocates without bound
/// is caught (a lying header used to ask for gigabytes).
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn account(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        account(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        account(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        account(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `case` and returns the most memory it held at once, in bytes.
pub(crate) fn peak_of(case: impl FnOnce()) -> isize {
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    case();
    PEAK.with(Cell::get) - base
}

/// How many cases each test runs, and the seed: 2,000 and a fixed one,
/// unless `SOOTHE_FUZZ_CASES` and `SOOTHE_FUZZ_SEED` say otherwise (for a
/// longer run by hand; see CONTRIBUTING.md).
fn settings(seed: u64) -> (usize, Rng) {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let cases = var("SOOTHE_FUZZ_CASES").unwrap_or(2_000) as usize;
    let seed = var("SOOTHE_FUZZ_SEED").map_or(seed, |s| s ^ seed) | 1;
    (cases, Rng(seed))
}

/// xorshift64*: tiny, dependency-free and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Fragments that tend to find trouble in a RON script.
const TOKENS: &[&str] = &[
    "\u{feff}",
    "\r",
    "\r\n",
    "\u{1b}[2J",
    "\0",
    "\"",
    "\\",
    "\\u{1b}",
    "\\u{e9}",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "Some(",
    "None",
    "r#\"",
    "\"#",
    "/*",
    "*/",
    "//",
    "#![enable(implicit_some)]",
    "0",
    "-1",
    "4294967296",
    "1e308",
    "-0.0",
    "NaN",
    "inf",
    "0.000001",
    "600.0001",
    "200",
    "201",
    "Step(id: \"x\", title: \"X\")",
    "\"hello\": \"Hi.\",",
    "é",
    "👶",
    "\u{202e}",
];

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let edits = 1 + rng.below(4);
    for _ in 0..edits {
        let len = bytes.len().max(1);
        let at = rng.below(len).min(bytes.len());
        match rng.below(7) {
            0 => {
                if let Some(b) = bytes.get_mut(at) {
                    *b = rng.next() as u8;
                }
            }
            1 => {
                let end = (at + 1 + rng.below(24)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 | 3 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            4 => {
                // Copy a piece of the script elsewhere.
                let from = rng.below(len).min(bytes.len());
                let end = (from + 1 + rng.below(400)).min(bytes.len());
                let piece: Vec<u8> = bytes[from..end].to_vec();
                bytes.splice(at..at, piece);
            }
            5 => {
                // A number turned into another.
                if let Some(digit) = bytes[at..].iter().position(u8::is_ascii_digit) {
                    let start = at + digit;
                    let end = start
                        + bytes[start..]
                            .iter()
                            .take_while(|b| b.is_ascii_digit())
                            .count();
                    let number = match rng.below(4) {
                        0 => "0".to_string(),
                        1 => u64::MAX.to_string(),
                        2 => rng.below(1000).to_string(),
                        _ => format!("{}", rng.next() as u32),
                    };
                    bytes.splice(start..end, number.bytes());
                }
            }
            _ => {
                // A very long name, now and then.
                if rng.chance(8) {
                    let quote = bytes[at..].iter().position(|&b| b == b'"');
                    if let Some(q) = quote {
                        let long = vec![b'a'; 65_536 + rng.below(10)];
                        bytes.splice(at + q + 1..at + q + 1, long);
                    }
                }
            }
        }
    }
}

/// The most memory one case may hold at once: a session of the built-in
/// script plans in a few megabytes.
const MOST_BYTES: isize = 64 << 20;

/// Checks that a script error is located inside the file it names.
fn assert_located(err: &FileError, source: &[u8], case: usize) {
    match err {
        FileError::At(at) => {
            let lines = source.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
            assert_eq!(at.path, "fuzz.ron", "case {case}");
            assert!(
                at.line >= 1 && at.line <= lines && at.col >= 1,
                "case {case}: {err} is outside the file ({lines} lines)"
            );
            assert!(!at.message.trim().is_empty(), "case {case}: no message");
            assert!(
                err.to_string()
                    .starts_with(&format!("fuzz.ron:{}:{}: ", at.line, at.col)),
                "case {case}: {err}"
            );
        }
        other => panic!("case {case}: a script in memory failed with {other}"),
    }
}

/// Plans every variant of `script` in the guide voice; now and then
/// renders the start of one.
fn plan(script: &Script, render: bool) {
    let voices = VoiceSet::open(&VoiceChoice::Guide, script, None).expect("the guide voice opens");
    for variant in &script.variants {
        let selection = Selection {
            variant: Some(variant.name.clone()),
            ..Selection::default()
        };
        let Ok(session) = selection.apply(script) else {
            continue;
        };
        let sounds = Sounds::new(voices.clone(), session.chime, session.sample_rate);
        let Ok(timeline) = Timeline::build(&session, &sounds) else {
            continue;
        };
        if render {
            let control = Control::new(Levels::UNITY);
            let mut source =
                SessionSource::new(Arc::new(timeline), Arc::new(sounds), control.clone());
            let mut block = vec![0.0f32; 4096];
            let mut pulled = 0;
            while pulled < 48_000 * 4 {
                let n = source.fill(&mut block);
                if n == 0 {
                    break;
                }
                assert!(
                    block[..n].iter().all(|s| s.abs() <= 1.0),
                    "a sample clipped"
                );
                pulled += n;
            }
            if let Some(err) = control.error() {
                panic!("the guide voice failed: {err}");
            }
        }
        break;
    }
}

#[test]
fn thousands_of_mutated_builtin_scripts_plan_or_fail_with_a_location() {
    let (cases, mut rng) = settings(0x50_07_4E_5E_ED_00_00_01);
    let original = BUILTIN_SOURCE.as_bytes();
    let (mut parsed, mut refused) = (0, 0);
    for case in 0..cases {
        let mut bytes = original.to_vec();
        mutate(&mut rng, &mut bytes);
        let render = case % 100 == 0;
        let peak = peak_of(|| match parse_bytes(&bytes, "fuzz.ron") {
            Ok(script) => {
                parsed += 1;
                plan(&script, render);
            }
            Err(err) => {
                refused += 1;
                assert_located(&err, &bytes, case);
            }
        });
        assert!(peak < MOST_BYTES, "case {case} held {peak} bytes");
    }
    // The mutations reach both sides: scripts that still work, and not.
    assert!(
        parsed > cases / 20 && refused > cases / 4,
        "{parsed} parsed, {refused} refused"
    );
}

/// A few takes to start from: the shapes recorders write.
fn seed_takes() -> Vec<Vec<u8>> {
    let tone = |rate: u32, n: usize| -> Vec<f32> {
        (0..n)
            .map(|i| 0.4 * (i as f32 * 2.0 * std::f32::consts::PI * 220.0 / rate as f32).sin())
            .collect()
    };
    let mut takes = Vec::new();
    for (rate, channels, bits, float) in [
        (16_000u32, 1u16, 16u16, false),
        (44_100, 2, 16, false),
        (48_000, 1, 24, false),
        (22_050, 2, 32, true),
    ] {
        let spec = hound::WavSpec {
            channels,
            sample_rate: rate,
            bits_per_sample: bits,
            sample_format: if float {
                hound::SampleFormat::Float
            } else {
                hound::SampleFormat::Int
            },
        };
        let mut bytes = std::io::Cursor::new(Vec::new());
        let mut writer = hound::WavWriter::new(&mut bytes, spec).unwrap();
        for s in tone(rate, rate as usize / 4) {
            for _ in 0..channels {
                if float {
                    writer.write_sample(s).unwrap();
                } else {
                    let max = (1i64 << (bits - 1)) as f32;
                    writer.write_sample((s * max) as i32).unwrap();
                }
            }
        }
        writer.finalize().unwrap();
        takes.push(bytes.into_inner());
    }
    takes
}

fn mutate_take(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let edits = 1 + rng.below(3);
    for _ in 0..edits {
        match rng.below(6) {
            // The header is where the lies are.
            0..=2 => {
                let at = rng.below(48.min(bytes.len()));
                if let Some(b) = bytes.get_mut(at) {
                    *b = match rng.below(3) {
                        0 => 0,
                        1 => 0xff,
                        _ => rng.next() as u8,
                    };
                }
            }
            3 => {
                let keep = rng.below(bytes.len() + 1);
                bytes.truncate(keep);
            }
            4 => {
                let at = rng.below(bytes.len().max(1)).min(bytes.len());
                let garbage: Vec<u8> = (0..1 + rng.below(64)).map(|_| rng.next() as u8).collect();
                bytes.splice(at..at, garbage);
            }
            _ => {
                let at = rng.below(bytes.len().max(1));
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
        }
    }
}

const TINY: &str = r#"Session(
    title: "Tiny",
    variants: [Variant(name: "calm")],
    prompts: { "hello": "Hello there." },
    steps: [Step(id: "hello", title: "Hello", say: ["hello"], strokes: Some(Strokes(count: 2, seconds: 0.5)))],
)"#;

#[test]
fn thousands_of_mutated_takes_play_or_fail_naming_the_file() {
    let script = Script::parse(TINY, "tiny.ron").unwrap();
    let session = Selection::default().apply(&script).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let voice = dir.path().join("mum");
    std::fs::create_dir(&voice).unwrap();
    let take = voice.join("hello.wav");
    let shown = take.display().to_string();
    let choice = VoiceChoice::Folder(voice.clone());
    let seeds = seed_takes();
    let (cases, mut rng) = settings(0x7A4E_5EED_0000_0002);
    let (mut played, mut refused) = (0, 0);
    for case in 0..cases {
        let mut bytes = seeds[case % seeds.len()].clone();
        mutate_take(&mut rng, &mut bytes);
        std::fs::write(&take, &bytes).unwrap();
        let peak = peak_of(|| match VoiceSet::open(&choice, &script, None) {
            Err(err) => {
                refused += 1;
                assert!(
                    err.to_string().starts_with(&format!("{shown}: ")),
                    "case {case}: {err}"
                );
            }
            Ok(voices) => {
                let sounds = Sounds::new(voices, session.chime, session.sample_rate);
                let timeline = Timeline::build(&session, &sounds).expect("the take is there");
                let control = Control::new(Levels::UNITY);
                let mut source =
                    SessionSource::new(Arc::new(timeline), Arc::new(sounds), control.clone());
                let mut block = vec![0.0f32; 4096];
                loop {
                    let n = source.fill(&mut block);
                    if n == 0 {
                        break;
                    }
                    assert!(
                        block[..n].iter().all(|s| s.abs() <= 1.0),
                        "case {case}: a sample clipped"
                    );
                }
                match control.error() {
                    Some(err) => {
                        refused += 1;
                        assert!(err.starts_with(&format!("{shown}: ")), "case {case}: {err}");
                    }
                    None => played += 1,
                }
            }
        });
        assert!(peak < MOST_BYTES, "case {case} held {peak} bytes");
    }
    assert!(
        played > cases / 10 && refused > cases / 10,
        "{played} played, {refused} refused"
    );
    assert!(Path::new(&take).exists());
}
