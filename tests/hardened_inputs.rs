//! Hostile input: every broken script, take and import gets a message
//! naming the file (and the place in it), exit code 2, and no panic, hang
//! or runaway memory. Each test is named after the input it pins.

use std::path::{Path, PathBuf};

use soothe_core::take::testsignal::Signal;

const TINY: &str = r#"Session(
    title: "Tiny",
    variants: [Variant(name: "calm")],
    prompts: {
        "hello": "Hello there.",
    },
    steps: [
        Step(id: "hello", title: "Hello", say: ["hello"], strokes: Some(Strokes(count: 2, seconds: 1.0))),
    ],
)
"#;

/// A folder with a home for voices, and soothe run in it.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn voice(&self, name: &str) -> PathBuf {
        let dir = self.path("data/soothe/voices").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn soothe(&self, args: &[&str]) -> Output {
        let output = crate::support::cli::soothe()
            .env("XDG_DATA_HOME", self.path("data"))
            .env("HOME", self.dir.path())
            .current_dir(self.dir.path())
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        Output {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

#[derive(Debug)]
struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Output {
    /// Exit 2 with exactly `message` on stderr.
    fn refused(&self, message: &str) {
        assert_eq!(
            (self.code, self.stderr.as_str()),
            (Some(2), message),
            "{self:?}"
        );
    }
}

/// A WAV file's bytes, with the header saying what the arguments say
/// whatever the data really is.
fn wav_bytes(rate: u32, channels: u16, bits: u16, data: &[u8], declared: u32) -> Vec<u8> {
    let block = channels * bits.div_ceil(8);
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&channels.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&(rate.wrapping_mul(u32::from(block))).to_le_bytes());
    b.extend_from_slice(&block.to_le_bytes());
    b.extend_from_slice(&bits.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&declared.to_le_bytes());
    b.extend_from_slice(data);
    b
}

/// `seconds` of a soft 220 Hz tone at `rate`, as 16-bit samples.
fn tone(rate: u32, seconds: f64, amplitude: f64) -> Vec<i16> {
    let n = (seconds * f64::from(rate)) as usize;
    (0..n)
        .map(|i| {
            let t = i as f64 / f64::from(rate);
            (amplitude * 32767.0 * (2.0 * std::f64::consts::PI * 220.0 * t).sin()) as i16
        })
        .collect()
}

fn pcm(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// A working take of "hello" in the voice "mum", and the tiny script.
fn home_with_take(bytes: &[u8]) -> (Home, PathBuf) {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    let take = home.voice("mum").join("hello.wav");
    std::fs::write(&take, bytes).unwrap();
    (home, take)
}

fn check_mum(home: &Home) -> Output {
    home.soothe(&["check", "tiny.ron", "--voice", "mum"])
}

// Scripts.

#[test]
fn a_script_path_of_dev_zero_is_refused_not_read() {
    Home::new().soothe(&["check", "/dev/zero"]).refused(
        "soothe: /dev/zero: this is a device, not a script file; give the path of a .ron file\n",
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_a_script_is_refused_without_waiting() {
    let home = Home::new();
    let fifo = home.path("script.ron");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    home.soothe(&["plan", "script.ron"]).refused(
        "soothe: script.ron: this is a pipe (FIFO), not a script file; give the path of a .ron file\n",
    );
}

#[test]
fn a_folder_as_a_script_is_refused() {
    let home = Home::new();
    std::fs::create_dir(home.path("scripts.ron")).unwrap();
    home.soothe(&["check", "scripts.ron"]).refused(
        "soothe: scripts.ron: this is a folder, not a script file; give the path of a .ron file\n",
    );
}

#[test]
fn a_script_over_1_mb_is_refused_with_that_reason() {
    let home = Home::new();
    let mut big = TINY.to_string();
    big.push_str(&format!("// {}\n", "x".repeat(1 << 20)));
    home.write("big.ron", big);
    home.soothe(&["check", "big.ron"]).refused(
        "soothe: big.ron: the script is larger than 1 MB, far more than any session needs; is this the right file?\n",
    );
}

#[test]
fn a_script_starting_with_a_utf8_bom_is_read() {
    let home = Home::new();
    home.write("bom.ron", format!("\u{feff}{TINY}"));
    let out = home.soothe(&["prompts", "bom.ron"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (Some(0), "hello\n    Hello there.\n\n"),
        "{out:?}"
    );
}

#[test]
fn a_script_with_cr_only_line_ends_is_read_and_located_by_line() {
    let home = Home::new();
    let old_mac = format!("// An old Mac file\r{}", TINY.replace('\n', "\r"));
    home.write("mac.ron", &old_mac);
    let out = home.soothe(&["prompts", "mac.ron"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (Some(0), "hello\n    Hello there.\n\n"),
        "{out:?}"
    );
    home.write(
        "bad-mac.ron",
        old_mac.replace(r#"say: ["hello"]"#, r#"say: ["helo"]"#),
    );
    home.soothe(&["check", "bad-mac.ron"])
        .refused("bad-mac.ron:9:49: there is no prompt \"helo\" (prompts: hello)\n");
}

#[test]
fn a_script_that_is_not_utf8_is_located_at_the_bad_byte() {
    let home = Home::new();
    let mut bytes = TINY.replace("Hello there.", "Hello th").into_bytes();
    let at = bytes.windows(8).position(|w| w == b"Hello th").unwrap() + 8;
    bytes.splice(at..at, [0xE9, b'r', b'e']);
    home.write("latin1.ron", bytes);
    home.soothe(&["check", "latin1.ron"])
        .refused("latin1.ron:5:27: this is not UTF-8 text (byte 0xE9); save the script as UTF-8\n");
}

#[test]
fn a_value_of_the_wrong_type_is_pointed_at_not_the_space_before_it() {
    let home = Home::new();
    home.write("count.ron", TINY.replace("count: 2,", "count: \"two\","));
    // ron itself points at the space after `count:`.
    home.soothe(&["check", "count.ron"])
        .refused("count.ron:8:88: expected integer\n");
}

#[test]
fn an_error_on_a_key_written_with_a_unicode_escape_points_at_its_line() {
    let home = Home::new();
    let script = TINY.replace(
        r#"        "hello": "Hello there.","#,
        "        \"hello\": \"Hello there.\",\n        \"caf\\u{e9}\": \"Coffee.\",",
    );
    home.write("escape.ron", script);
    home.soothe(&["check", "escape.ron"]).refused(
        "escape.ron:6:9: prompt id \"café\" must use only lowercase letters, digits and '-' (and not start with '-')\n",
    );
}

#[test]
fn a_tempo_or_stroke_seconds_of_1e308_is_refused_in_a_few_digits() {
    let home = Home::new();
    home.write(
        "tempo.ron",
        TINY.replace(
            r#"Variant(name: "calm")"#,
            r#"Variant(name: "calm", tempo: 1e308)"#,
        ),
    );
    home.soothe(&["check", "tempo.ron"])
        .refused("tempo.ron:3:45: tempo 1e308 must be a number above 0.05 and at most 20\n");
    home.write(
        "seconds.ron",
        TINY.replace("seconds: 1.0", "seconds: -1e300"),
    );
    home.soothe(&["check", "seconds.ron"]).refused(
        "seconds.ron:8:100: seconds must be above 0 and at most 600 seconds, not -1e300\n",
    );
}

#[test]
fn a_variant_name_of_65536_characters_is_an_error_not_a_panic() {
    let home = Home::new();
    let long = "a".repeat(65_536);
    home.write(
        "long.ron",
        TINY.replace(r#"name: "calm""#, &format!("name: \"{long}\"")),
    );
    let expected = "long.ron:3:30: variant name \"aaaaaaaaaaaaaaaaaaaa…\" is 65536 characters long; a name has at most 64\n";
    home.soothe(&["check", "long.ron"]).refused(expected);
    home.soothe(&["plan", "long.ron"]).refused(expected);
}

#[test]
fn a_step_id_of_65536_characters_is_an_error_not_a_panic() {
    let home = Home::new();
    let long = "s".repeat(70_000);
    home.write(
        "long.ron",
        TINY.replace(r#"id: "hello""#, &format!("id: \"{long}\"")),
    );
    let out = home.soothe(&["plan", "long.ron"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.starts_with("long.ron:8:18: step id \"ssss"),
        "{out:?}"
    );
}

#[test]
fn escape_sequences_in_names_are_shown_escaped_not_obeyed() {
    let home = Home::new();
    home.soothe(&["plan", "--variant", "\u{1b}[2Jcalm"])
        .refused(
            "soothe: unknown variant \"\\u{1b}[2Jcalm\"; valid variants: relaxing, invigorating\n",
        );
    home.write(
        "esc.ron",
        TINY.replace(r#"say: ["hello"]"#, "say: [\"\\u{1b}]0;pwned\\u{7}\"]"),
    );
    let out = home.soothe(&["check", "esc.ron"]);
    assert_eq!(out.code, Some(2));
    assert!(!out.stderr.contains('\u{1b}'), "{out:?}");
    assert!(out.stderr.contains("\\u{1b}]0;pwned\\u{7}"), "{out:?}");
}

#[test]
fn skipping_every_step_leaves_nothing_to_play() {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    let message = "soothe: nothing left to play: the calm session without the steps left out has no steps; skip fewer steps\n";
    home.soothe(&["plan", "tiny.ron", "--skip", "hello"])
        .refused(message);
    home.soothe(&["render", "tiny.ron", "--skip", "hello", "-o", "out.wav"])
        .refused(message);
    assert!(!home.path("out.wav").exists());
}

#[test]
fn a_variant_leaving_out_every_step_is_a_script_error() {
    let home = Home::new();
    home.write(
        "none.ron",
        TINY.replace(
            r#"Variant(name: "calm")"#,
            r#"Variant(name: "calm", leave_out: ["hello"])"#,
        ),
    );
    home.soothe(&["check", "none.ron"]).refused(
        "none.ron:3:49: variant \"calm\" leaves out every step: nothing would be left to play\n",
    );
}

#[test]
fn an_empty_voice_name_is_a_named_error() {
    let home = Home::new();
    let message = "soothe: --voice needs a name, such as --voice mum (or --voice guide for the built-in voice)\n";
    home.soothe(&["check", "--voice", ""]).refused(message);
    home.soothe(&["plan", "--voice", ""]).refused(message);
}

// Takes.

#[test]
fn a_take_whose_header_says_0_hz_is_refused_by_name() {
    let (home, take) = home_with_take(&wav_bytes(0, 1, 16, &pcm(&tone(16_000, 0.5, 0.3)), 16_000));
    check_mum(&home).refused(&format!(
        "soothe: {}: its header gives a sample rate of 0 Hz, which no recording has (8 to 384 kHz); the file is damaged\n",
        take.display()
    ));
}

#[test]
fn a_take_whose_header_says_1_hz_is_refused_without_allocating() {
    let data = pcm(&tone(16_000, 0.2, 0.3));
    let (home, take) = home_with_take(&wav_bytes(1, 1, 16, &data, data.len() as u32));
    for command in [
        vec!["check", "tiny.ron", "--voice", "mum"],
        vec!["plan", "tiny.ron", "--voice", "mum"],
        vec!["render", "tiny.ron", "--voice", "mum", "-o", "out.wav"],
    ] {
        home.soothe(&command).refused(&format!(
            "soothe: {}: its header gives a sample rate of 1 Hz, which no recording has (8 to 384 kHz); the file is damaged\n",
            take.display()
        ));
    }
}

#[test]
fn a_take_whose_header_lies_about_its_length_is_refused() {
    let data = pcm(&tone(16_000, 0.5, 0.3));
    let (home, take) = home_with_take(&wav_bytes(16_000, 1, 16, &data, 0x7fff_fff0));
    check_mum(&home).refused(&format!(
        "soothe: {}: it is cut short or damaged: its header promises 67108.9 s of sound, the file holds 0.5 s\n",
        take.display()
    ));
}

#[test]
fn an_empty_take_is_refused() {
    let (home, take) = home_with_take(&wav_bytes(16_000, 1, 16, &[], 0));
    check_mum(&home).refused(&format!(
        "soothe: {}: there is no sound in it (the recording is empty)\n",
        take.display()
    ));
}

#[test]
fn a_take_with_a_short_header_is_refused_and_named() {
    let full = wav_bytes(16_000, 1, 16, &pcm(&tone(16_000, 0.5, 0.3)), 16_000);
    let (home, take) = home_with_take(&full[..30]);
    check_mum(&home).refused(&format!(
        "soothe: {}: it ends too soon, as if cut short\n",
        take.display()
    ));
}

#[test]
fn an_anti_phase_stereo_take_is_refused() {
    let left = tone(16_000, 0.5, 0.3);
    let stereo: Vec<i16> = left.iter().flat_map(|&s| [s, -s]).collect();
    let data = pcm(&stereo);
    let (home, take) = home_with_take(&wav_bytes(16_000, 2, 16, &data, data.len() as u32));
    check_mum(&home).refused(&format!(
        "soothe: {}: its channels cancel each other out when mixed to mono (one is wired back to front), so it would be silent; record it again or save it as mono\n",
        take.display()
    ));
}

#[cfg(unix)]
#[test]
fn a_fifo_take_is_refused_without_hanging() {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    let take = home.voice("mum").join("hello.wav");
    assert!(std::process::Command::new("mkfifo")
        .arg(&take)
        .status()
        .unwrap()
        .success());
    check_mum(&home).refused(&format!(
        "soothe: {}: this is a pipe (FIFO), not a recording\n",
        take.display()
    ));
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_take_is_an_error_naming_it_not_a_fallback() {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    let take = home.voice("mum").join("hello.wav");
    std::os::unix::fs::symlink("/nowhere/hello.wav", &take).unwrap();
    check_mum(&home).refused(&format!(
        "soothe: {}: it is a link to /nowhere/hello.wav, which is not there; restore that file or remove the link\n",
        take.display()
    ));
}

#[test]
fn voices_does_not_count_unusable_takes() {
    let home = Home::new();
    let mum = home.voice("mum");
    std::fs::write(mum.join("feet.wav"), b"RIFF").unwrap();
    std::fs::write(
        mum.join("legs-down.wav"),
        wav_bytes(48_000, 1, 16, &pcm(&tone(48_000, 0.5, 0.3)), 48_000),
    )
    .unwrap();
    let out = home.soothe(&["voices"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    let line = out.stdout.lines().find(|l| l.contains("mum")).unwrap();
    let total = out.stdout.lines().next().unwrap();
    let total = total.split(" (").nth(1).unwrap().split(' ').next().unwrap();
    assert_eq!(
        line.split_whitespace().collect::<Vec<_>>().join(" "),
        format!("mum 1 of {total}"),
    );
    // Named under it, with the command that says why.
    assert!(
        out.stdout
            .contains("    1 unusable (`soothe check --voice mum` says why):\n      feet\n"),
        "{out:?}"
    );
}

#[test]
fn voices_escapes_control_characters_in_folder_names() {
    let home = Home::new();
    home.voice("mum\u{1b}[31m");
    let out = home.soothe(&["voices"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(!out.stdout.contains('\u{1b}'), "{out:?}");
    assert!(out.stdout.contains("mum\\u{1b}[31m"), "{out:?}");
}

// Levels.

/// The render of `args` as 16-bit samples, and stderr.
fn render(home: &Home, args: &[&str]) -> (Vec<i16>, String) {
    let mut all = vec!["render", "tiny.ron", "--voice", "mum", "-o", "out.wav"];
    all.extend_from_slice(args);
    let out = home.soothe(&all);
    assert_eq!(out.code, Some(0), "{out:?}");
    let mut reader = hound::WavReader::open(home.path("out.wav")).unwrap();
    let samples = reader.samples::<i16>().map(Result::unwrap).collect();
    (samples, out.stderr)
}

/// The limiter's ceiling (0.99) in 16 bits, rounded down as the sound
/// card's converter does (negative values one step further).
const FULL_SCALE_CEILING: f64 = 0.99 + 1.0 / 32768.0;

fn peak(samples: &[i16]) -> f64 {
    samples
        .iter()
        .map(|s| f64::from(*s).abs())
        .fold(0.0, f64::max)
        / 32768.0
}

#[test]
fn voice_gain_12_db_on_a_full_take_never_clips_and_says_so_once() {
    // A take levelled as soothe levels them: peaks at -1 dBFS.
    let take = tone(48_000, 1.0, 0.891);
    let (home, _) = home_with_take(&wav_bytes(48_000, 1, 16, &pcm(&take), 96_000));
    let (samples, stderr) = render(&home, &["--voice-gain", "12"]);
    assert!(
        peak(&samples) <= FULL_SCALE_CEILING,
        "peak {}",
        peak(&samples)
    );
    assert!(
        peak(&samples) > 0.95,
        "loud, not silenced: {}",
        peak(&samples)
    );
    assert_eq!(
        stderr
            .matches("At +12 dB the voice is louder than the speakers can play")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn a_take_within_full_scale_renders_untouched_by_the_limiter() {
    let take = tone(48_000, 1.0, 0.5);
    let (home, _) = home_with_take(&wav_bytes(48_000, 1, 16, &pcm(&take), 96_000));
    let (samples, stderr) = render(&home, &[]);
    assert!(!stderr.contains("louder than the speakers"), "{stderr}");
    // The voice starts the session: its samples come through exactly.
    let start = samples.iter().position(|&s| s != 0).unwrap();
    let voiced = &samples[start..start + take.len() - 1];
    assert!(voiced == &take[1..], "the voice is changed");
}

#[test]
fn a_float_take_above_full_scale_renders_without_clipping() {
    let (home, _) = home_with_take(&[]);
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 48_000,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let take = home.voice("mum").join("hello.wav");
    let mut writer = hound::WavWriter::create(&take, spec).unwrap();
    for s in tone(48_000, 1.0, 1.0) {
        writer.write_sample(f32::from(s) / 32768.0 * 2.5).unwrap();
    }
    writer.finalize().unwrap();
    let (samples, _) = render(&home, &[]);
    assert!(
        peak(&samples) <= FULL_SCALE_CEILING,
        "peak {}",
        peak(&samples)
    );
    assert!(
        peak(&samples) > 0.85,
        "normalised, not silenced: {}",
        peak(&samples)
    );
}

// Takes tied to their words.

#[test]
fn a_take_recorded_for_other_words_is_listed_as_stale() {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    let memo = home.path("memo.ogg");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/record-speech.ogg"),
        &memo,
    )
    .unwrap();
    let out = home.soothe(&[
        "record", "tiny.ron", "--voice", "mum", "--prompt", "hello", "--import", "memo.ogg",
    ]);
    assert_eq!(out.code, Some(0), "{out:?}");
    let check = check_mum(&home);
    assert_eq!(check.code, Some(0), "{check:?}");
    assert!(!check.stdout.contains("other words"), "{check:?}");

    home.write(
        "tiny.ron",
        TINY.replace("Hello there.", "Hello, little one."),
    );
    let check = check_mum(&home);
    assert_eq!(check.code, Some(0), "{check:?}");
    assert!(
        check
            .stdout
            .contains("  recorded for other words (record them again with --missing): hello\n"),
        "{check:?}"
    );
    let (_, stderr) = render(&home, &[]);
    assert_eq!(
        stderr,
        "1 take of mum was recorded for other words than the script now has: hello; record it again with `soothe record tiny.ron --voice mum --missing`\n"
    );
}

// Imports.

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

#[test]
fn truncated_flac_ogg_opus_mp3_m4a_and_wav_imports_are_refused_and_change_nothing() {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    home.write("good.ogg", fixture("record-speech.ogg"));
    let import = |file: &str| {
        home.soothe(&[
            "record", "tiny.ron", "--voice", "mum", "--prompt", "hello", "--import", file,
        ])
    };
    let out = import("good.ogg");
    assert_eq!(out.code, Some(0), "{out:?}");
    let take = home.voice("mum").join("hello.wav");
    let good = std::fs::read(&take).unwrap();

    let mut wav = Vec::new();
    {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 44_100,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer = hound::WavWriter::new(std::io::Cursor::new(&mut wav), spec).unwrap();
        for s in tone(44_100, 2.0, 0.3) {
            writer.write_sample(s).unwrap();
        }
        writer.finalize().unwrap();
    }
    for (name, whole, why) in [
        (
            "cut.flac",
            fixture("record-speech.flac"),
            "the recording is cut short: 2.05 s of the 2.50 s it promises are there",
        ),
        (
            "cut.ogg",
            fixture("record-speech.ogg"),
            "the recording is cut short: it stops after 2.03 s without the end an Ogg file has",
        ),
        (
            "cut.opus",
            fixture("record-speech.opus"),
            "the recording is cut short: it stops after 1.99 s without the end an Ogg file has",
        ),
        (
            "cut.mp3",
            fixture("record-speech.mp3"),
            "the recording is cut short: 2.27 s of the 2.53 s it promises are there",
        ),
        (
            "cut.m4a",
            fixture("record-speech.m4a"),
            "the recording ends too soon, as if cut short",
        ),
        (
            "cut.wav",
            wav,
            "the recording is cut short: 1.80 s of the 2.00 s it promises are there",
        ),
    ] {
        home.write(name, &whole[..whole.len() * 9 / 10]);
        // Twice in a row: the good take must survive both.
        for _ in 0..2 {
            import(name).refused(&format!("soothe: {name}: {why}; nothing was saved\n"));
        }
        assert_eq!(std::fs::read(&take).unwrap(), good, "{name}");
        assert!(!home.voice("mum").join("hello.prev.wav").exists(), "{name}");
    }
}

/// The Opus memo damaged partway was read to the damage and saved, 1.51 s
/// of its 2.50 s: symphonia ends an Ogg stream quietly at a page it cannot
/// find its way past, and then says nothing of the stream's length.
#[test]
fn a_damaged_ogg_import_is_refused_and_regression_an_opus_one_was_saved_cut_at_the_damage() {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    for (name, why) in [
        (
            "damaged.ogg",
            "the recording is damaged (ogg: crc mismatch)",
        ),
        (
            "damaged.opus",
            "the recording is damaged partway: only 1.51 s of its 2.50 s could be read",
        ),
    ] {
        let mut bytes = fixture(&format!("record-speech.{}", &name[8..]));
        let mid = bytes.len() / 2;
        bytes[mid..mid + 64].iter_mut().for_each(|b| *b ^= 0x5a);
        home.write(name, bytes);
        home.soothe(&[
            "record", "tiny.ron", "--voice", "mum", "--prompt", "hello", "--import", name,
        ])
        .refused(&format!("soothe: {name}: {why}; nothing was saved\n"));
        assert!(!home.voice("mum").join("hello.wav").exists(), "{name}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_import_is_refused_without_waiting() {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    assert!(std::process::Command::new("mkfifo")
        .arg(home.path("memo.wav"))
        .status()
        .unwrap()
        .success());
    home.soothe(&[
        "record", "tiny.ron", "--voice", "mum", "--prompt", "hello", "--import", "memo.wav",
    ])
    .refused("soothe: memo.wav: cannot read it: it is a pipe (FIFO), not a recording\n");
}

#[test]
fn a_float_memo_above_full_scale_is_normalised_on_import() {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    let mut signal = Signal::seeded(48_000, 9);
    signal.noise(0.5, -60.0);
    signal.speech(1.5, -20.0, -60.0);
    signal.noise(0.5, -60.0);
    signal.gain(26.0);
    assert!(
        signal.samples.iter().any(|s| s.abs() > 2.0),
        "above full scale"
    );
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 48_000,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let memo = home.path("loud.wav");
    let mut writer = hound::WavWriter::create(&memo, spec).unwrap();
    for &s in &signal.samples {
        writer.write_sample(s).unwrap();
    }
    writer.finalize().unwrap();
    let out = home.soothe(&[
        "record", "tiny.ron", "--voice", "mum", "--prompt", "hello", "--import", "loud.wav",
    ]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        !out.stderr.contains("clipped"),
        "not clipped, only loud: {out:?}"
    );
    let mut reader = hound::WavReader::open(home.voice("mum").join("hello.wav")).unwrap();
    let samples: Vec<i16> = reader.samples().map(Result::unwrap).collect();
    // Peaks under -1 dBFS, like every take.
    assert!(peak(&samples) <= 0.892, "peak {}", peak(&samples));
    assert!(peak(&samples) > 0.3, "not silenced: {}", peak(&samples));
}

#[test]
fn a_float_take_holding_nan_is_refused_before_the_session_starts() {
    let (home, take) = home_with_take(&[]);
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 48_000,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut writer = hound::WavWriter::create(&take, spec).unwrap();
    for i in 0..4_800 {
        writer
            .write_sample(if i == 2_000 { f32::NAN } else { 0.1 })
            .unwrap();
    }
    writer.finalize().unwrap();
    home.soothe(&["render", "tiny.ron", "--voice", "mum", "-o", "out.wav"]).refused(&format!(
        "soothe: {}: it holds values that are not sound (not numbers, or infinitely loud); the file is damaged\n",
        take.display()
    ));
    assert!(!home.path("out.wav").exists());
}

#[test]
fn an_anti_phase_stereo_memo_is_refused_on_import() {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    let mut signal = Signal::seeded(44_100, 3);
    signal.noise(0.5, -60.0);
    signal.speech(1.5, -20.0, -60.0);
    signal.noise(0.5, -60.0);
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(home.path("memo.wav"), spec).unwrap();
    for &s in &signal.samples {
        let s = (s * 32767.0) as i16;
        writer.write_sample(s).unwrap();
        writer.write_sample(-s).unwrap();
    }
    writer.finalize().unwrap();
    home.soothe(&["record", "tiny.ron", "--voice", "mum", "--prompt", "hello", "--import", "memo.wav"])
        .refused("soothe: memo.wav: its channels cancel each other out when mixed to mono (one is wired back to front), so it would be silent; record it again or save it as mono; nothing was saved\n");
    assert!(!home.voice("mum").join("hello.wav").exists());
}

/// A WAV file of `seconds` at `rate` with `channels`, 16-bit: `start`
/// (interleaved) first, then silence, left as a hole in a sparse file so
/// that a long file costs no disk.
fn long_wav(path: &Path, rate: u32, channels: u16, seconds: u32, start: &[f32]) {
    use std::io::Write;
    let data = u64::from(rate) * u64::from(seconds) * u64::from(channels) * 2;
    let samples: Vec<i16> = start.iter().map(|s| (s * 32767.0) as i16).collect();
    let mut header = wav_bytes(rate, channels, 16, &pcm(&samples), data as u32);
    header[4..8].copy_from_slice(&(36 + data as u32).to_le_bytes());
    let mut file = std::fs::File::create(path).unwrap();
    file.write_all(&header).unwrap();
    file.set_len(44 + data).unwrap();
}

#[test]
fn a_ten_minute_memo_at_384_khz_is_refused_naming_the_limit_and_changes_nothing() {
    let home = Home::new();
    home.write("tiny.ron", TINY);
    home.write("good.ogg", fixture("record-speech.ogg"));
    let import = |file: &str| {
        home.soothe(&[
            "record", "tiny.ron", "--voice", "mum", "--prompt", "hello", "--import", file,
        ])
    };
    assert_eq!(import("good.ogg").code, Some(0));
    let take = home.voice("mum").join("hello.wav");
    let good = std::fs::read(&take).unwrap();

    long_wav(&home.path("long.wav"), 384_000, 2, 600, &[]);
    import("long.wav").refused(
        "soothe: long.wav: it is longer than 60 seconds, the most a prompt's take may last; cut out the prompt's words and import those; nothing was saved\n",
    );
    assert_eq!(std::fs::read(&take).unwrap(), good);
    assert!(!home.voice("mum").join("hello.prev.wav").exists());

    // The same from a folder of memos, by the file's name.
    std::fs::create_dir(home.path("memos")).unwrap();
    std::fs::rename(home.path("long.wav"), home.path("memos/hello.wav")).unwrap();
    let out = home.soothe(&[
        "record",
        "tiny.ron",
        "--voice",
        "mum",
        "--import-dir",
        "memos",
    ]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (
            Some(2),
            "Importing 1 recording from memos into the voice \"mum\":\n  \
             hello.wav -> hello: not imported: it is longer than 60 seconds, the most a prompt's take may last; cut out the prompt's words and import those\n\n\
             mum has all 1 prompts. Listen with: soothe play tiny.ron --voice mum\n",
            "soothe: 1 of 1 recording could not be imported (see above); nothing was saved\n"
        )
    );
    assert_eq!(std::fs::read(&take).unwrap(), good);
}

/// The most an import of these memos may hold at once, whatever their
/// rate: a few times what they need at 48 kHz.
const IMPORT_MEMORY: isize = 32 << 20;

#[test]
fn a_ten_minute_memo_at_384_khz_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let memo = dir.path().join("long.wav");
    long_wav(&memo, 384_000, 2, 600, &[]);
    let mut result = None;
    let peak = crate::fuzz_inputs::peak_of(|| {
        result = Some(soothe::record::import::decode_file(&memo, 48_000).map(|_| ()));
    });
    let err = result.unwrap().unwrap_err();
    assert!(
        err.to_string().contains("it is longer than 60 seconds"),
        "{err}"
    );
    assert!(peak < IMPORT_MEMORY, "{} MB", peak >> 20);
}

/// The most memory decoding and cleaning up `memo` held at once, and the
/// take's length in seconds.
fn import_peak(memo: &Path) -> (isize, f64) {
    let mut seconds = 0.0;
    let peak = crate::fuzz_inputs::peak_of(|| {
        let decoded = soothe::record::import::decode_file(memo, 48_000).unwrap();
        let take = decoded.process().unwrap().audio;
        seconds = take.samples.len() as f64 / f64::from(take.rate);
    });
    (peak, seconds)
}

#[test]
fn a_10_second_memo_at_384_khz_costs_no_more_memory_than_at_48_khz() {
    let dir = tempfile::tempdir().unwrap();
    let mut peaks = Vec::new();
    for rate in [48_000, 384_000] {
        let memo = dir.path().join(format!("{rate}.wav"));
        let mut signal = Signal::seeded(rate, 5);
        signal.noise(0.5, -60.0);
        signal.speech(1.5, -20.0, -60.0);
        signal.noise(0.5, -60.0);
        long_wav(&memo, rate, 1, 10, &signal.samples);
        let (peak, seconds) = import_peak(&memo);
        // The speech and its margins.
        assert!((seconds - 1.9).abs() < 0.1, "{rate} Hz: {seconds} s");
        peaks.push(peak);
    }
    // Decoded at 384 kHz, 10 s would be 15 MB of samples, and more
    // copies of them to clean up: only the take at 48 kHz is ever held
    // (a few MB at either rate, buffers for a packet aside).
    assert!(peaks[1] < peaks[0] + peaks[0] / 4, "{peaks:?}");
    assert!(peaks[1] < IMPORT_MEMORY, "{} MB", peaks[1] >> 20);
}
