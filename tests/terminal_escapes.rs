//! Hostile text: a script whose titles and words hold a screen clear
//! (ESC[2J), a bell, an OSC 8 hyperlink and a right-to-left override
//! (U+202E), and files and voices named with them. Every command that
//! prints them shows them escaped (`\u{1b}`), as docs/script-format.md
//! promises, and a line break in them never starts a line of its own.
//! Each test is named after the input it pins.

use std::path::{Path, PathBuf};

/// What the script's texts hold, as RON writes it...
const HOSTILE_RON: &str =
    r"\u{1b}[2J\u{7}\u{1b}]8;;mailto:x@example.com\u{7}link\u{1b}]8;;\u{7}\u{202e}";
/// ...and as it is to be shown: the same, not obeyed.
const SHOWN: &str = r"\u{1b}[2J\u{7}\u{1b}]8;;mailto:x@example.com\u{7}link\u{1b}]8;;\u{7}\u{202e}";

/// The script: one step, one prompt, titles and words full of escapes.
fn script() -> String {
    format!(
        r#"Session(
    title: "Tiny{HOSTILE_RON}",
    variants: [Variant(name: "calm", about: "Calm{HOSTILE_RON}")],
    prompts: {{
        "hello": "Hello{HOSTILE_RON} there.",
    }},
    steps: [
        Step(id: "hello", title: "He\u{{202e}}llo\u{{1b}}[2J", say: ["hello"], strokes: Some(Strokes(count: 2, seconds: 1.0))),
    ],
)
"#
    )
}

/// The escapes themselves, as they would reach a terminal.
fn hostile() -> String {
    "\u{1b}[2J\u{7}\u{1b}]8;;mailto:x@example.com\u{7}link\u{1b}]8;;\u{7}\u{202e}".to_string()
}

/// A folder with a home for voices, and soothe run in it.
struct Home {
    dir: tempfile::TempDir,
}

#[derive(Debug)]
struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Home {
    fn new() -> Home {
        let home = Home {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::write(home.path("tiny.ron"), script()).unwrap();
        home
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn voice(&self, name: &str) -> PathBuf {
        self.path("data/soothe/voices").join(name)
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

    /// A take of "hello", 1 s long, in the voice `name`.
    fn take(&self, name: &str) {
        let dir = self.voice(name);
        std::fs::create_dir_all(&dir).unwrap();
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 48_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer = hound::WavWriter::create(dir.join("hello.wav"), spec).unwrap();
        for i in 0..48_000 {
            let t = f64::from(i) / 48_000.0;
            let s = 0.2 * (2.0 * std::f64::consts::PI * 220.0 * t).sin();
            writer.write_sample((s * 32767.0) as i16).unwrap();
        }
        writer.finalize().unwrap();
    }

    /// The speech fixture copied in as `name`.
    fn memo(&self, name: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/record-speech.ogg"),
            &path,
        )
        .unwrap();
        path
    }
}

impl Output {
    fn ok(&self) -> &str {
        assert_eq!(self.code, Some(0), "{self:?}");
        &self.stdout
    }
}

/// The length of a saved take as `record` reports it (`1.7 s`).
fn seconds_of(path: &Path) -> String {
    let reader = hound::WavReader::open(path).unwrap();
    format!(
        "{:.1} s",
        f64::from(reader.duration()) / f64::from(reader.spec().sample_rate)
    )
}

#[test]
fn escapes_and_a_bidi_override_in_titles_words_and_the_voice_name_are_shown_escaped_by_plan() {
    let home = Home::new();
    let voice = format!("mum{}", hostile());
    home.take(&voice);
    let out = home.soothe(&["plan", "tiny.ron", "--voice", &voice]);
    assert_eq!(
        out.ok(),
        format!(
            "\
Tiny{SHOWN} (calm), 00:06, voice: mum{SHOWN}
00:00  hello  == He\\u{{202e}}llo\\u{{1b}}[2J ==
00:00  hello  voice  hello (mum{SHOWN}, 1.0 s): \"Hello{SHOWN} there.\"
00:03  hello  chimes 2 strokes, one every 1.0 s (the last rings twice)
00:06         end
"
        )
    );
    assert!(!out.stderr.contains('\u{1b}'), "{out:?}");
}

#[test]
fn escapes_and_a_bidi_override_in_plan_json_are_json_escapes_that_read_back_the_same() {
    let home = Home::new();
    let voice = format!("mum{}", hostile());
    home.take(&voice);
    let out = home.soothe(&["plan", "--json", "tiny.ron", "--voice", &voice]);
    let json = out.ok();
    assert!(
        json.contains(r#""title": "Tiny\u001b[2J\u0007\u001b]8;;mailto:x@example.com\u0007link\u001b]8;;\u0007\u202e","#),
        "{json}"
    );
    assert!(
        json.contains(r#""title": "He\u202ello\u001b[2J","#),
        "{json}"
    );
    assert!(!json.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{json}");
    // A program reading it gets the texts as they are.
    let plan: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(plan["title"], format!("Tiny{}", hostile()));
    assert_eq!(plan["voice"], voice);
    assert_eq!(plan["steps"][0]["title"], "He\u{202e}llo\u{1b}[2J");
}

#[test]
fn escapes_and_a_bidi_override_in_the_words_are_shown_escaped_by_prompts() {
    let home = Home::new();
    assert_eq!(
        home.soothe(&["prompts", "tiny.ron"]).ok(),
        format!("hello\n    Hello{SHOWN} there.\n\n")
    );
    assert_eq!(
        home.soothe(&["prompts", "--tsv", "tiny.ron"]).ok(),
        format!("hello\tHello{SHOWN} there.\n")
    );
}

#[test]
fn escapes_in_the_memo_and_voice_names_are_shown_escaped_by_record_import() {
    let home = Home::new();
    let voice = format!("mum{}", hostile());
    let memo = format!("memo{}.ogg", hostile());
    home.memo(&memo);
    let out = home.soothe(&[
        "record", "tiny.ron", "--voice", &voice, "--prompt", "hello", "--import", &memo,
    ]);
    let take = home.voice(&voice).join("hello.wav");
    assert_eq!(
        out.ok(),
        format!(
            "\
Saved {data}/mum{SHOWN}/hello.wav ({seconds}) from memo{SHOWN}.ogg
mum{SHOWN} has all 1 prompts. Listen with: soothe play tiny.ron --voice mum{SHOWN}
",
            data = home.path("data/soothe/voices").display(),
            seconds = seconds_of(&take),
        )
    );
    assert_eq!(out.stderr, "");
}

#[test]
fn escapes_in_file_folder_and_voice_names_are_shown_escaped_by_record_import_dir() {
    let home = Home::new();
    let voice = format!("mum{}", hostile());
    let memos = format!("memos{}", hostile());
    std::fs::create_dir(home.path(&memos)).unwrap();
    // Named after the prompt, with escapes in its extension (a file name
    // has no '/' and here no other '.'); and named after none.
    home.memo(&format!("{memos}/hello.\u{1b}[2J\u{7}\u{202e}ogg"));
    std::fs::write(home.path(&format!("{memos}/\u{202e}gpj.exe")), b"x").unwrap();
    let out = home.soothe(&[
        "record",
        "tiny.ron",
        "--voice",
        &voice,
        "--import-dir",
        &memos,
    ]);
    let take = home.voice(&voice).join("hello.wav");
    assert_eq!(
        out.ok(),
        format!(
            "\
Importing 1 recording from memos{SHOWN} into the voice \"mum{SHOWN}\":
  hello.\\u{{1b}}[2J\\u{{7}}\\u{{202e}}ogg -> hello: saved ({seconds})
Left alone, named after no prompt: \\u{{202e}}gpj.exe (`soothe prompts tiny.ron` lists the prompts)

mum{SHOWN} has all 1 prompts. Listen with: soothe play tiny.ron --voice mum{SHOWN}
",
            seconds = seconds_of(&take),
        )
    );
}

#[test]
fn a_line_break_and_escapes_in_a_quoted_name_of_a_located_error_stay_on_its_line() {
    let home = Home::new();
    std::fs::write(
        home.path("forged.ron"),
        script().replace(
            r#"say: ["hello"]"#,
            &format!(r#"say: ["hello\nforged.ron:1:1: all is well{HOSTILE_RON}"]"#),
        ),
    )
    .unwrap();
    let out = home.soothe(&["check", "forged.ron"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            Some(2),
            format!(
                "forged.ron:8:66: there is no prompt \"hello\\nforged.ron:1:1: all is well{SHOWN}\" (prompts: hello)\n"
            )
            .as_str()
        ),
        "{out:?}"
    );
}

#[test]
fn a_line_break_and_escapes_in_words_quoted_by_the_advice_stay_on_their_line() {
    let home = Home::new();
    std::fs::write(
        home.path("advice.ron"),
        script()
            .replace(
                &format!("Hello{HOSTILE_RON} there."),
                &format!(r"Rest your hands.\nsoothe: all is well{HOSTILE_RON}"),
            )
            .replace(
                "seconds: 1.0)",
                r#"seconds: 1.0, from: "thigh\u{7}", to: "foot")"#,
            ),
    )
    .unwrap();
    let out = home.soothe(&["check", "advice.ron"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    // The advice's own lines stay; the prompt's line break does not.
    assert_eq!(
        out.stderr,
        format!(
            "\
soothe: the advice is not kept in 1 place:
  calm: hello: strokes go from \"thigh\\u{{7}}\" to \"foot\", but prompt \"hello\" does not say so: \"Rest your hands.\\nsoothe: all is well{SHOWN}\"
"
        )
    );
    // Then the languages soothe speaks, this script's (English) marked.
    let (head, languages) = out
        .stdout
        .split_once("languages (--language L):\n")
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert_eq!(
        head,
        format!(
            "\
advice.ron: ok: \"Tiny{SHOWN}\", 1 steps, 1 prompts
variants:
  calm  --:--  Calm{SHOWN}
voice guide: 0 of 1 prompts recorded
"
        )
    );
    assert!(
        languages.starts_with("  en     English (this script's)\n"),
        "{languages}"
    );
}

#[test]
fn escapes_in_an_unknown_variant_name_are_shown_escaped_in_the_error() {
    let home = Home::new();
    let out = home.soothe(&[
        "plan",
        "tiny.ron",
        "--variant",
        &format!("calm{}\n", hostile()),
    ]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            Some(2),
            format!("soothe: unknown variant \"calm{SHOWN}\\n\"; valid variants: calm\n").as_str()
        )
    );
}

/// `soothe play` of the live fixture with escapes in its titles and
/// words, through PulseAudio's null sink, in tmux: the live view and,
/// with stdout a file, the plain lines.
#[cfg(all(feature = "device", target_os = "linux"))]
mod play {
    use std::path::PathBuf;
    use std::time::Duration;

    use crate::support::cli::base_env;
    use crate::support::pulse::Pulse;
    use crate::support::session::Session;
    use crate::support::tmux::{Stdout, Tmux};

    const START: Duration = Duration::from_secs(20);
    /// The OSC 8 hyperlink in the first prompt's words, and as shown.
    const LINK: &str = "\u{1b}]8;;mailto:x@example.com\u{7}on\u{1b}]8;;\u{7}";
    const LINK_SHOWN: &str = r"\u{1b}]8;;mailto:x@example.com\u{7}on\u{1b}]8;;\u{7}";

    /// The live fixture with escapes in the session's and steps' titles
    /// and in the first prompt's words.
    fn hostile_script(session: &Session) -> PathBuf {
        let text = std::fs::read_to_string(&session.script)
            .unwrap()
            .replace("title: \"Live test\"", "title: \"Live\\u{1b}[2J test\"")
            .replace(
                "title: \"First steps\"",
                "title: \"First\\u{1b}[2J steps\\u{202e}\"",
            )
            .replace("title: \"Second\"", "title: \"Sec\\u{7}ond\"")
            .replace(
                "Rest your hands on your",
                "Rest your hands \\u{1b}]8;;mailto:x@example.com\\u{7}on\\u{1b}]8;;\\u{7} your",
            );
        assert!(text.contains(LINK_SHOWN), "{text}");
        let path = session.dir.path().join("hostile.ron");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn start(session: &Session, pulse: &Pulse, stdout: Stdout) -> Tmux {
        let mut env = base_env(session.dir.path());
        env.extend(pulse.env());
        let args = [
            "play".to_string(),
            hostile_script(session).display().to_string(),
            "--voice".into(),
            session.voice.display().to_string(),
        ];
        Tmux::start(session.dir.path(), (100, 30), &env, &args, stdout)
    }

    #[test]
    fn escapes_and_a_bidi_override_in_titles_and_words_are_shown_escaped_by_the_live_view() {
        require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
        let session = Session::new();
        let _one_at_a_time = crate::support::realtime();
        let pulse = Pulse::start(session.dir.path());
        let tmux = start(&session, &pulse, Stdout::Terminal);
        let screen = tmux.wait_for("the first step's words", START, |s| {
            s.contains("Rest your hands")
        });
        let header = screen
            .lines()
            .find(|l| l.contains("step 1 of 4"))
            .unwrap_or_else(|| panic!("no header:\n{screen}"));
        assert!(
            header
                .trim_start()
                .starts_with(r"First\u{1b}[2J steps\u{202e} "),
            "{screen}"
        );
        assert!(
            screen.contains(&format!("Rest your hands {LINK_SHOWN} your baby's legs")),
            "{screen}"
        );
        assert!(screen.contains(r"Next: Sec\u{7}ond, in 00:0"), "{screen}");
        assert!(!screen.contains(['\u{202e}', '\u{7}']), "{screen}");
        tmux.keys(&["q"]);
        assert_eq!(
            tmux.wait_exit(Duration::from_secs(10)),
            0,
            "{}",
            tmux.stderr()
        );
        // Back on the normal screen: the headline and where it stopped.
        let screen = tmux.screen();
        assert!(
            screen.contains(r"Live\u{1b}[2J test (relaxing), 00:24"),
            "{screen}"
        );
        assert!(
            screen.contains(r#" in "First\u{1b}[2J steps\u{202e}""#),
            "{screen}"
        );
    }

    #[test]
    fn escapes_and_a_bidi_override_in_titles_are_shown_escaped_by_the_plain_lines() {
        require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
        let session = Session::new();
        let _one_at_a_time = crate::support::realtime();
        let pulse = Pulse::start(session.dir.path());
        let tmux = start(&session, &pulse, Stdout::File);
        let wait_out = |what: &str| {
            let started = std::time::Instant::now();
            while !tmux.stdout().contains(what) {
                assert!(
                    started.elapsed() < START,
                    "no {what:?} in:\n{}\n{}",
                    tmux.stdout(),
                    tmux.stderr()
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        };
        wait_out("] First");
        std::thread::sleep(Duration::from_millis(700));
        tmux.keys(&["n"]);
        wait_out(r"] Sec\u{7}ond");
        tmux.keys(&["q"]);
        assert_eq!(
            tmux.wait_exit(Duration::from_secs(10)),
            0,
            "{}",
            tmux.stderr()
        );
        let out = tmux.stdout();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], r"Live\u{1b}[2J test (relaxing), 00:24", "{out}");
        assert_eq!(lines[1], r"[00:00] First\u{1b}[2J steps\u{202e}", "{out}");
        assert!(
            lines[2].starts_with("[00:0") && lines[2].ends_with(r"] -- On to Sec\u{7}ond"),
            "{out}"
        );
        assert_eq!(lines[3], r"[00:07] Sec\u{7}ond", "{out}");
        assert!(lines[4].starts_with("To go on: soothe play "), "{out}");
        assert_eq!(lines.len(), 5, "{out}");
        assert!(!out.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{out:?}");
        assert!(!out.contains(LINK), "{out:?}");
    }
}
