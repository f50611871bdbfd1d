//! `soothe voices --export NAME FILE` and `--import FILE`: a parent's voice
//! carried as one file, to the phone's web app and back, never over a
//! file or a voice that is there.

use std::path::{Path, PathBuf};

use crate::support::record::write_wav;
use assert_cmd::Command;
use soothe_core::sound::voice_file::VoiceFile;
use soothe_core::take::testsignal::Signal;

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
        self.path("data/soothe/voices").join(name)
    }

    fn soothe(&self) -> Command {
        let mut cmd = crate::support::cli::soothe();
        cmd.env("XDG_DATA_HOME", self.path("data"))
            .env("HOME", self.dir.path())
            .current_dir(self.dir.path());
        cmd
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.soothe().args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Records `prompts` into the voice `name` from a spoken memo.
    fn record(&self, name: &str, prompts: &[&str]) {
        self.record_in(name, prompts, "en");
    }

    /// The same, in `language`.
    fn record_in(&self, name: &str, prompts: &[&str], language: &str) {
        for (k, prompt) in prompts.iter().enumerate() {
            let mut signal = Signal::seeded(44_100, 40 + k as u64);
            signal.noise(0.4, -60.0);
            signal.speech(1.2, -20.0, -60.0);
            signal.noise(0.5, -60.0);
            let memo = self.path(&format!("{prompt}.wav"));
            write_wav(&memo, 44_100, 1, &signal.samples);
            let memo = memo.display().to_string();
            let (code, _, err) = self.run(&[
                "record",
                "--voice",
                name,
                "--language",
                language,
                "--prompt",
                prompt,
                "--import",
                &memo,
            ]);
            assert_eq!(code, 0, "{err}");
        }
    }
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_voice_exported_and_imported_under_another_name_has_the_same_takes() {
    let home = Home::new();
    home.record("mum", &["feet", "legs-down"]);
    // A take replaced by a new one is kept as .prev.wav: not carried.
    home.record("mum", &["feet"]);
    let (code, out, err) = home.run(&["voices", "--export", "mum", "mum.soothe-voice"]);
    assert_eq!(code, 0, "{err}");
    let size = std::fs::metadata(home.path("mum.soothe-voice"))
        .unwrap()
        .len();
    let program = crate::support::cli::SOOTHE;
    assert_eq!(
        out,
        format!(
            "Wrote the voice \"mum\" (2 takes, {:.1} MB) to mum.soothe-voice.\n\
             On the phone, open soothe and choose \"Add a voice from a file\"; on another computer: {program} voices --import mum.soothe-voice\n",
            size as f64 / 1e6
        )
    );
    let (code, out, err) = home.run(&["voices", "--import", "mum.soothe-voice", "--as", "dad"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "Imported the voice \"dad\" (2 takes) into {}.\nPlay with it: {program} play --voice dad\n",
            home.voice("dad").display()
        )
    );
    let mum: Vec<_> = files(&home.voice("mum"))
        .into_iter()
        .filter(|(name, _)| !name.ends_with(".prev.wav"))
        .collect();
    assert_eq!(files(&home.voice("dad")), mum);
    let (_, listed, _) = home.run(&["voices"]);
    assert!(listed.contains("dad"), "{listed}");
}

#[test]
fn the_exported_file_is_a_plain_tar_the_engine_reads() {
    let home = Home::new();
    home.record("mum", &["feet"]);
    home.run(&["voices", "--export", "mum", "mum.soothe-voice"]);
    let bytes = std::fs::read(home.path("mum.soothe-voice")).unwrap();
    let voice = VoiceFile::read(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(voice.name, "mum");
    assert_eq!(voice.takes.len(), 1);
    assert_eq!(voice.takes[0].0, "feet");
    assert_eq!(
        voice.takes[0].1,
        std::fs::read(home.voice("mum").join("feet.wav")).unwrap()
    );
}

#[test]
fn export_never_writes_over_a_file_that_is_there() {
    let home = Home::new();
    home.record("mum", &["feet"]);
    std::fs::write(home.path("keep.soothe-voice"), "mine").unwrap();
    let (code, out, err) = home.run(&["voices", "--export", "mum", "keep.soothe-voice"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "soothe: keep.soothe-voice is there already; choose another name, or move it away first\n"
    );
    assert_eq!(
        std::fs::read(home.path("keep.soothe-voice")).unwrap(),
        b"mine"
    );
}

#[test]
fn import_never_writes_over_a_voice_that_is_there() {
    let home = Home::new();
    home.record("mum", &["feet"]);
    home.run(&["voices", "--export", "mum", "mum.soothe-voice"]);
    let before = files(&home.voice("mum"));
    let (code, _, err) = home.run(&["voices", "--import", "mum.soothe-voice"]);
    assert_eq!(code, 2);
    let program = crate::support::cli::SOOTHE;
    assert_eq!(
        err,
        format!(
            "soothe: there is a voice \"mum\" with takes already ({}); nothing was changed. To keep both, import this one under another name: {program} voices --import mum.soothe-voice --as mum-2\n",
            home.voice("mum").display()
        )
    );
    assert_eq!(files(&home.voice("mum")), before);
}

#[test]
fn a_file_that_is_no_voice_is_named_and_nothing_is_made() {
    let home = Home::new();
    std::fs::write(home.path("notes.txt"), "shopping list").unwrap();
    let (code, _, err) = home.run(&["voices", "--import", "notes.txt"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("soothe: notes.txt: it is not a soothe voice"),
        "{err}"
    );
    assert!(!home.path("data/soothe/voices").exists());
}

#[test]
fn export_of_a_voice_that_is_not_there_says_how_to_record_one() {
    let home = Home::new();
    let (code, _, err) = home.run(&["voices", "--export", "gran", "gran.soothe-voice"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "soothe: there is no voice \"gran\" ({} does not exist); record one with `soothe record --voice gran`\n",
            home.voice("gran").display()
        )
    );
    assert!(!home.path("gran.soothe-voice").exists());
}

#[test]
fn a_spanish_voice_goes_with_its_language_and_lands_beside_the_english_takes() {
    let home = Home::new();
    home.record_in("mum", &["feet"], "es");
    let (code, out, err) = home.run(&[
        "voices",
        "--export",
        "mum",
        "mum-es.soothe-voice",
        "--language",
        "es",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Wrote the voice \"mum\" (1 takes, in Español, "),
        "{out}"
    );
    let bytes = std::fs::read(home.path("mum-es.soothe-voice")).unwrap();
    assert_eq!(
        VoiceFile::read(std::io::Cursor::new(&bytes))
            .unwrap()
            .language,
        "es"
    );
    // On another computer that has mum's English takes already.
    let other = Home::new();
    other.record("mum", &["feet"]);
    std::fs::copy(
        home.path("mum-es.soothe-voice"),
        other.path("mum-es.soothe-voice"),
    )
    .unwrap();
    let (code, out, err) = other.run(&["voices", "--import", "mum-es.soothe-voice"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "Imported the voice \"mum\" (1 takes, in Español) into {}.\nPlay with it: {} play --voice mum --language es\n",
            other.voice("mum").join("es").display(),
            crate::support::cli::SOOTHE
        )
    );
    assert_eq!(
        std::fs::read(other.voice("mum").join("es/feet.wav")).unwrap(),
        std::fs::read(home.voice("mum").join("es/feet.wav")).unwrap()
    );
    assert!(other.voice("mum").join("feet.wav").exists());
}
