//! `soothe record --import`, `soothe voices` and playing with the voice:
//! no audio device needed, so these run in every build.
//!
//! tests/fixtures/record-speech.{m4a,mp3,ogg,opus} were made from the signal
//! `fixture_signal()` rebuilds (44.1 kHz mono, written as a 16-bit WAV) with
//!     ffmpeg -i in.wav -c:a aac -b:a 32k record-speech.m4a
//!     ffmpeg -i in.wav -c:a libmp3lame -b:a 32k record-speech.mp3
//!     ffmpeg -i in.wav -c:a libvorbis -q:a 0 record-speech.ogg
//!     ffmpeg -i in.wav -c:a libopus -b:a 24k -application voip record-speech.opus
//! (the last as a voice note is sent: Opus in Ogg, tuned for speech).

use std::path::{Path, PathBuf};

use crate::support::record::{loudness, read_take, speech_span, write_wav};
use assert_cmd::Command;
use soothe_core::take::testsignal::{peak_db, Signal};

const MARGINS: f64 = 0.15 + 0.25;

/// A home for voices, and soothe run with it.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn voice(&self, name: &str) -> PathBuf {
        self.data().join("soothe/voices").join(name)
    }

    fn soothe(&self) -> Command {
        let mut cmd = crate::support::cli::soothe();
        cmd.env("XDG_DATA_HOME", self.data())
            .env("HOME", self.dir.path())
            .current_dir(self.dir.path());
        cmd
    }

    fn import(&self, voice: &str, prompt: &str, file: &Path) -> std::process::Output {
        self.soothe()
            .args(["record", "--voice", voice, "--prompt", prompt, "--import"])
            .arg(file)
            .output()
            .unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The signal in the compressed fixtures; returns it and its speech's
/// length in seconds.
fn fixture_signal() -> (Signal, f64) {
    let mut signal = Signal::seeded(44_100, 77);
    let start = signal.noise(0.4, -60.0);
    let end = signal.speech(1.6, -20.0, -60.0);
    signal.noise(0.5, -60.0);
    (signal, (end - start) as f64 / 44_100.0)
}

/// Checks a saved take: 48 kHz mono 16-bit, -18 LUFS, peaks under -1 dBFS,
/// the speech plus its margins.
fn check_take(path: &Path, speech_seconds: f64, case: &str) {
    let take = read_take(path);
    assert_eq!(
        (
            take.spec.channels,
            take.spec.sample_rate,
            take.spec.bits_per_sample
        ),
        (1, 48_000, 16),
        "{case}"
    );
    let (integrated, _) = loudness(&take.samples, 48_000);
    assert!(
        (integrated + 18.0).abs() <= 0.5,
        "{case}: {integrated:.2} LUFS"
    );
    assert!(
        peak_db(&take.samples) <= -1.0,
        "{case}: peak {:.2} dBFS",
        peak_db(&take.samples)
    );
    let seconds = take.samples.len() as f64 / 48_000.0;
    assert!(
        (seconds - (speech_seconds + MARGINS)).abs() < 0.06,
        "{case}: {seconds:.3} s for {speech_seconds:.3} s of speech"
    );
    let (first, _) = speech_span(&take.samples, 48_000);
    let lead = first as f64 / 48_000.0;
    assert!(
        (lead - 0.15).abs() < 0.04,
        "{case}: speech starts at {lead:.3} s"
    );
}

#[test]
fn a_stereo_wav_at_another_rate_becomes_a_48_khz_mono_take() {
    let home = Home::new();
    let rate = 22_050;
    let mut signal = Signal::seeded(rate, 4);
    let start = signal.noise(1.0, -55.0);
    let end = signal.speech(2.5, -30.0, -55.0);
    signal.noise(1.5, -55.0);
    let memo = home.dir.path().join("memo.wav");
    write_wav(&memo, rate, 2, &signal.samples);

    let output = home.import("mum", "feet", &memo);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let saved = home.voice("mum").join("feet.wav");
    assert!(
        text(&output.stdout).contains(&format!("Saved {}", saved.display())),
        "{}",
        text(&output.stdout)
    );
    check_take(
        &saved,
        (end - start) as f64 / f64::from(rate),
        "22.05 kHz stereo WAV",
    );
}

/// `record --voice mum --import memos/feet.wav` demanded `--prompt`,
/// though the file is named after its prompt, as `--import-dir` reads.
#[test]
fn a_memo_named_after_its_prompt_is_imported_without_prompt() {
    let (_, speech_seconds) = fixture_signal();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let home = Home::new();
    let memo = home.dir.path().join("feet.m4a");
    std::fs::copy(fixtures.join("record-speech.m4a"), &memo).unwrap();
    let output = home
        .soothe()
        .args(["record", "--voice", "mum", "--import"])
        .arg(&memo)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    check_take(
        &home.voice("mum").join("feet.wav"),
        speech_seconds,
        "feet.m4a",
    );
}

#[test]
fn compressed_phone_memos_are_imported() {
    let (_, speech_seconds) = fixture_signal();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for ext in ["m4a", "mp3", "ogg", "opus"] {
        let home = Home::new();
        let output = home.import(
            "dad",
            "legs-down",
            &fixtures.join(format!("record-speech.{ext}")),
        );
        assert!(output.status.success(), "{ext}: {}", text(&output.stderr));
        check_take(
            &home.voice("dad").join("legs-down.wav"),
            speech_seconds,
            ext,
        );
    }
}

#[test]
fn a_new_import_keeps_the_take_it_replaces_as_prev() {
    let home = Home::new();
    let (signal, _) = fixture_signal();
    let first = home.dir.path().join("first.wav");
    write_wav(&first, 44_100, 1, &signal.samples);
    assert!(home.import("mum", "feet", &first).status.success());
    let take = home.voice("mum").join("feet.wav");
    let first_bytes = std::fs::read(&take).unwrap();

    let mut louder = Signal::seeded(16_000, 8);
    louder.noise(0.5, -50.0);
    louder.speech(2.0, -15.0, -50.0);
    louder.noise(0.5, -50.0);
    let second = home.dir.path().join("second.wav");
    write_wav(&second, 16_000, 1, &louder.samples);
    let output = home.import("mum", "feet", &second);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("the earlier take is kept as feet.prev.wav"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(
        std::fs::read(home.voice("mum").join("feet.prev.wav")).unwrap(),
        first_bytes
    );
    assert_ne!(std::fs::read(&take).unwrap(), first_bytes);
}

#[test]
fn a_file_that_is_not_usable_audio_is_named_and_nothing_is_written() {
    let home = Home::new();
    let dir = home.dir.path();
    std::fs::write(dir.join("notes.m4a"), b"shopping: nappies, oil, wipes\n").unwrap();
    std::fs::write(dir.join("empty.mp3"), b"").unwrap();
    let mut quiet = Signal::seeded(48_000, 2);
    quiet.noise(3.0, -40.0);
    write_wav(&dir.join("hum.wav"), 48_000, 1, &quiet.samples);
    write_wav(&dir.join("silence.wav"), 48_000, 1, &vec![0.0; 96_000]);
    std::fs::create_dir(dir.join("memos")).unwrap();

    for (file, says) in [
        ("notes.m4a", "not a recording soothe can read"),
        ("empty.mp3", "there is no sound in it"),
        ("missing.wav", "cannot read it"),
        ("memos", "it is a folder"),
        ("hum.wav", "no speech heard"),
        ("silence.wav", "no speech heard"),
    ] {
        let output = home.import("mum", "feet", &dir.join(file));
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
        assert!(
            stderr.contains(&dir.join(file).display().to_string()),
            "{file} is named: {stderr}"
        );
        assert!(stderr.contains(says), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
        assert!(!home.data().exists(), "{file}: nothing is written");
    }

    // With a take already there, a bad import leaves it as it was.
    let (signal, _) = fixture_signal();
    write_wav(&dir.join("good.wav"), 44_100, 1, &signal.samples);
    assert!(home
        .import("mum", "feet", &dir.join("good.wav"))
        .status
        .success());
    let before: Vec<_> = std::fs::read_dir(home.voice("mum"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let take = std::fs::read(home.voice("mum").join("feet.wav")).unwrap();
    assert_eq!(
        home.import("mum", "feet", &dir.join("notes.m4a"))
            .status
            .code(),
        Some(2)
    );
    let after: Vec<_> = std::fs::read_dir(home.voice("mum"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after);
    assert_eq!(
        std::fs::read(home.voice("mum").join("feet.wav")).unwrap(),
        take
    );
}

#[test]
fn wrong_requests_are_invalid_input() {
    let home = Home::new();
    let memo = home.dir.path().join("memo.wav");
    let (signal, _) = fixture_signal();
    write_wav(&memo, 44_100, 1, &signal.samples);
    let cases: [(&[&str], &str); 5] = [
        (
            &["record", "--voice", "mum", "--prompt", "fet", "--import"],
            "there is no prompt \"fet\"",
        ),
        (
            &["record", "--voice", "guide", "--prompt", "feet", "--import"],
            "the guide voice is built in",
        ),
        (
            &["record", "--voice", "mum", "--import"],
            "memo.wav: its name is not a prompt's, so --import needs the --prompt ID the recording speaks (or name the file after its prompt, such as feet.m4a; `soothe prompts` lists them)",
        ),
        (
            &[
                "record",
                "--voice",
                "mum",
                "--prompt",
                "feet",
                "--prompt",
                "legs-down",
                "--import",
            ],
            "exactly one --prompt",
        ),
        (
            &["record", "--voice", "..", "--prompt", "feet", "--import"],
            "cannot be a voice name",
        ),
    ];
    for (args, says) in cases {
        let output = home.soothe().args(args).arg(&memo).output().unwrap();
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert!(!home.data().exists());
}

#[test]
fn takes_follow_the_scripts_sample_rate() {
    let home = Home::new();
    let script = home.dir.path().join("tiny.ron");
    std::fs::write(
        &script,
        r#"Session(
    title: "Tiny",
    sample_rate: 22050,
    variants: [Variant(name: "calm")],
    prompts: { "hello": "Hello there, little one." },
    steps: [Step(id: "hello", title: "Hello", say: ["hello"])],
)
"#,
    )
    .unwrap();
    let (signal, _) = fixture_signal();
    let memo = home.dir.path().join("memo.wav");
    write_wav(&memo, 44_100, 1, &signal.samples);
    let output = home
        .soothe()
        .args(["record"])
        .arg(&script)
        .args(["--voice", "mum", "--prompt", "hello", "--import"])
        .arg(&memo)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("mum has all 1 prompts"),
        "{}",
        text(&output.stdout)
    );
    let take = read_take(&home.voice("mum").join("hello.wav"));
    assert_eq!(take.spec.sample_rate, 22_050);
    let (integrated, _) = loudness(&take.samples, 22_050);
    assert!((integrated + 18.0).abs() <= 0.5, "{integrated:.2} LUFS");
}

#[test]
fn voices_lists_each_voice_and_plan_speaks_with_it() {
    let home = Home::new();
    let output = home.soothe().arg("voices").output().unwrap();
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    assert!(stdout.contains("guide  61 of 61  built in"), "{stdout}");
    assert!(stdout.contains("No voice of your own yet"), "{stdout}");

    let (signal, _) = fixture_signal();
    let memo = home.dir.path().join("memo.wav");
    write_wav(&memo, 44_100, 1, &signal.samples);
    for (voice, prompt) in [("mum", "feet"), ("mum", "legs-down"), ("grandma", "close")] {
        assert!(home.import(voice, prompt, &memo).status.success());
    }
    // A stray file and a hidden folder are not voices.
    std::fs::write(home.data().join("soothe/voices/notes.txt"), b"").unwrap();
    std::fs::create_dir(home.data().join("soothe/voices/.trash")).unwrap();

    let output = home.soothe().arg("voices").output().unwrap();
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    // The voices' lines (what each lacks is listed under it).
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.starts_with("    ")).collect();
    assert_eq!(
        lines[..4],
        [
            "Voices for \"Baby massage\" (61 prompts):",
            "  guide    61 of 61  built in",
            "  grandma   1 of 61",
            "  mum       2 of 61",
        ],
        "{stdout}"
    );

    // The session speaks mum's takes, and the guide's for the rest.
    let output = home
        .soothe()
        .args(["plan", "--json", "--voice", "mum"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let voice_of = |id: &str| -> Vec<String> {
        plan["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e.to_string().contains(&format!("\"prompt\":\"{id}\"")))
            .map(|e| e.to_string())
            .collect()
    };
    let feet = voice_of("feet");
    assert!(
        !feet.is_empty() && feet.iter().all(|e| e.contains("\"voice\":\"mum\"")),
        "{feet:?}"
    );
    let welcome = voice_of("welcome");
    assert!(
        !welcome.is_empty() && welcome.iter().all(|e| e.contains("\"voice\":\"guide\"")),
        "{welcome:?}"
    );
}

#[test]
fn missing_with_nothing_missing_records_nothing() {
    let home = Home::new();
    let script = home.dir.path().join("tiny.ron");
    std::fs::write(
        &script,
        r#"Session(
    title: "Tiny",
    variants: [Variant(name: "calm")],
    prompts: { "hello": "Hello there, little one." },
    steps: [Step(id: "hello", title: "Hello", say: ["hello"])],
)
"#,
    )
    .unwrap();
    let (signal, _) = fixture_signal();
    let memo = home.dir.path().join("memo.wav");
    write_wav(&memo, 44_100, 1, &signal.samples);
    let import = home
        .soothe()
        .arg("record")
        .arg(&script)
        .args(["--voice", "mum", "--prompt", "hello", "--import"])
        .arg(&memo)
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", text(&import.stderr));
    // No microphone is needed (nor opened) when there is nothing to do.
    let output = home
        .soothe()
        .arg("record")
        .arg(&script)
        .args(["--voice", "mum", "--missing"])
        .env("ALSA_CONFIG_PATH", "/nonexistent")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "Nothing to record: mum already has every prompt.\n"
    );
}

#[test]
fn a_clipped_take_is_saved_with_advice() {
    let home = Home::new();
    let mut signal = Signal::seeded(48_000, 12);
    signal.noise(0.5, -50.0);
    signal.speech(2.0, -6.0, -50.0);
    signal.noise(0.5, -50.0);
    // Driven past full scale, as a microphone too close would be.
    let clipped: Vec<f32> = signal
        .samples
        .iter()
        .map(|s| (s * 3.0).clamp(-1.0, 1.0))
        .collect();
    let memo = home.dir.path().join("loud.wav");
    write_wav(&memo, 48_000, 1, &clipped);
    let output = home.import("mum", "feet", &memo);
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("this take clipped"), "{stderr}");
    assert!(
        stderr.contains("speak a little further from the microphone"),
        "{stderr}"
    );
    let take = read_take(&home.voice("mum").join("feet.wav"));
    assert!(peak_db(&take.samples) <= -1.0);
}

#[test]
fn damaged_memos_never_crash_soothe() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let home = Home::new();
    for ext in ["m4a", "mp3", "ogg", "opus"] {
        let good = std::fs::read(fixtures.join(format!("record-speech.{ext}"))).unwrap();
        let half = good[..good.len() / 2].to_vec();
        let mut scrambled = good.clone();
        let mut x = 0x2545_f491u32;
        for byte in scrambled[good.len() / 4..good.len() * 3 / 4].iter_mut() {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *byte = x as u8;
        }
        let mut headless = good.clone();
        headless[..64].fill(0);
        for (how, bytes) in [
            ("half", half),
            ("scrambled", scrambled),
            ("headless", headless),
        ] {
            let memo = home.dir.path().join(format!("{how}.{ext}"));
            std::fs::write(&memo, bytes).unwrap();
            let output = home.import("mum", "feet", &memo);
            let stderr = text(&output.stderr);
            let code = output.status.code();
            assert!(
                code == Some(0) || code == Some(2),
                "{how}.{ext}: {code:?} {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{how}.{ext}: {stderr}");
            if code == Some(2) {
                assert!(
                    stderr.contains(&memo.display().to_string()),
                    "{how}.{ext}: {stderr}"
                );
            }
        }
    }
}

/// The length of a saved take as the import reports it (`1.2 s`).
fn seconds_of(path: &Path) -> String {
    format!("{:.1} s", read_take(path).samples.len() as f64 / 48_000.0)
}

#[test]
fn import_dir_imports_every_memo_named_after_a_prompt_and_reports_each() {
    let home = Home::new();
    let memos = home.dir.path().join("memos");
    std::fs::create_dir(&memos).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(fixtures.join("record-speech.m4a"), memos.join("feet.m4a")).unwrap();
    let (signal, speech_seconds) = fixture_signal();
    write_wav(&memos.join("legs-down.wav"), 44_100, 1, &signal.samples);
    // Damaged: not a recording at all; and a recording of nobody speaking.
    std::fs::write(memos.join("close.m4a"), b"shopping: nappies, oil, wipes\n").unwrap();
    let mut hum = Signal::seeded(48_000, 2);
    hum.noise(3.0, -40.0);
    write_wav(&memos.join("tummy.wav"), 48_000, 1, &hum.samples);
    // Named after no prompt, and hidden.
    std::fs::write(memos.join("shopping.txt"), b"oil\n").unwrap();
    std::fs::write(memos.join("IMG_0001.jpg"), b"\xff\xd8").unwrap();
    std::fs::write(memos.join(".DS_Store"), b"").unwrap();
    // An earlier take of legs-down, and one of close that must survive.
    assert!(home
        .import("mum", "legs-down", &memos.join("legs-down.wav"))
        .status
        .success());
    assert!(home
        .import("mum", "close", &memos.join("legs-down.wav"))
        .status
        .success());
    let legs_before = std::fs::read(home.voice("mum").join("legs-down.wav")).unwrap();
    let close_before = std::fs::read(home.voice("mum").join("close.wav")).unwrap();

    let output = home
        .soothe()
        .args(["record", "--voice", "mum", "--import-dir"])
        .arg(&memos)
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
    let voice = home.voice("mum");
    let expected = format!(
        "\
Importing 4 recordings from {memos} into the voice \"mum\":
  close.m4a -> close: not imported: not a recording soothe can read (CLOSE); it reads wav, mp3, m4a (AAC or ALAC), ogg (Vorbis or Opus), opus or flac
  feet.m4a -> feet: saved ({feet})
  legs-down.wav -> legs-down: saved ({legs}); the earlier take is kept as legs-down.prev.wav
  tummy.wav -> tummy: not imported: no speech heard in it (only silence or steady noise)
Left alone, named after no prompt: IMG_0001.jpg, shopping.txt (`soothe prompts` lists the prompts)

mum has 3 of 61 prompts (the guide voice speaks the rest). Listen with: soothe play --voice mum; record the rest with: soothe record --voice mum --missing
",
        memos = memos.display(),
        feet = seconds_of(&voice.join("feet.wav")),
        legs = seconds_of(&voice.join("legs-down.wav")),
    );
    // The reason the decoder gives for the text file is its own.
    let close_reason = stdout
        .lines()
        .find_map(|l| {
            l.strip_prefix("  close.m4a -> close: not imported: not a recording soothe can read (")
        })
        .and_then(|rest| rest.split_once("); it reads").map(|(reason, _)| reason))
        .unwrap_or("?");
    assert_eq!(stdout, expected.replace("CLOSE", close_reason));
    assert_eq!(
        stderr,
        "soothe: 2 of 4 recordings could not be imported (see above); the other 2 were saved\n"
    );
    check_take(&voice.join("feet.wav"), speech_seconds, "feet.m4a");
    check_take(
        &voice.join("legs-down.wav"),
        speech_seconds,
        "legs-down.wav",
    );
    // The earlier takes: kept as prev, and untouched by a failed import.
    assert_eq!(
        std::fs::read(voice.join("legs-down.prev.wav")).unwrap(),
        legs_before
    );
    assert_eq!(
        std::fs::read(voice.join("close.wav")).unwrap(),
        close_before
    );
    assert!(!voice.join("tummy.wav").exists());
}

#[test]
fn import_dir_with_nothing_named_after_a_prompt_or_no_folder_is_invalid_input() {
    let home = Home::new();
    let memos = home.dir.path().join("memos");
    std::fs::create_dir(&memos).unwrap();
    std::fs::write(memos.join("Recording 001.m4a"), b"x").unwrap();
    let output = home
        .soothe()
        .args(["record", "--voice", "mum", "--import-dir"])
        .arg(&memos)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        format!(
            "soothe: {}: no recording in it is named after a prompt of the built-in session (name each after its prompt, such as feet.m4a; `soothe prompts` lists them)\n",
            memos.display()
        )
    );
    let output = home
        .soothe()
        .args(["record", "--voice", "mum", "--import-dir", "no-such-folder"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "soothe: no-such-folder: there is no such folder\n"
    );
    assert!(!home.data().exists());
}

#[test]
fn voices_names_the_prompts_each_voice_lacks_and_its_stale_takes() {
    let home = Home::new();
    let script = home.dir.path().join("tiny.ron");
    std::fs::write(
        &script,
        r#"Session(
    title: "Tiny",
    variants: [Variant(name: "calm")],
    prompts: { "hello": "Hello there.", "bye": "Bye now.", "rest": "Rest a while." },
    steps: [Step(id: "hello", title: "Hello", say: ["hello", "rest", "bye"])],
)
"#,
    )
    .unwrap();
    let (signal, _) = fixture_signal();
    let take = soothe_core::sound::audio::Mono {
        rate: 44_100,
        samples: signal.samples,
    };
    let mum = home.voice("mum");
    soothe::record::takes::save(&mum, "hello", &take, "Hello there.").unwrap();
    // Recorded when the script said something else.
    soothe::record::takes::save(&mum, "bye", &take, "Goodbye, little one.").unwrap();
    let dad = home.voice("dad");
    for (id, words) in [
        ("hello", "Hello there."),
        ("bye", "Bye now."),
        ("rest", "Rest a while."),
    ] {
        soothe::record::takes::save(&dad, id, &take, words).unwrap();
    }

    let output = home.soothe().arg("voices").arg(&script).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let script = script.display();
    assert_eq!(
        text(&output.stdout),
        format!(
            "\
Voices for \"Tiny\" (3 prompts):
  guide  0 of 3  built in
    3 lacking (no recording speaks these words):
      hello, rest, bye
  dad    3 of 3  complete
  mum    2 of 3
    1 lacking (the guide voice speaks them):
      rest
    1 stale, recorded for other words (`soothe record {script} --voice mum --missing` records them again):
      bye
Recordings live in {}
",
            home.data().join("soothe/voices").display()
        )
    );
}
