//! The built-in session in every language soothe speaks: chosen with
//! `--language` (an unknown one refused, the languages listed), planned
//! and rendered in its words, with its step titles as chapters and track
//! names; a parent's takes kept apart per language; and `soothe script
//! --language` a script that plays in that language.
//!
//! A language is played here in a voice of takes made for the test
//! (`voice/<tag>/`), so that it plans and renders whether or not its guide
//! voice is built into this soothe yet.

use std::path::{Path, PathBuf};

use crate::support::cli::*;
use crate::support::render::*;
use soothe_core::session::language;
use soothe_core::session::script::Script;

/// Every language, English first.
fn languages() -> Vec<&'static str> {
    language::tags().collect()
}

/// A voice folder, `voice` in `dir`, with a short take of every prompt of
/// the built-in session in `tag`, where soothe keeps that language's
/// (`voice/es/` for Spanish, `voice/` for English).
fn voice_in(dir: &Path, tag: &str) -> PathBuf {
    let voice = dir.join("voice");
    let takes = soothe_core::sound::voice::language_folder(&voice, tag);
    std::fs::create_dir_all(&takes).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 48_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    for id in Script::builtin_in(tag).prompts.keys() {
        let path = soothe_core::sound::voice::take_path(&takes, id);
        let mut take = hound::WavWriter::create(path, spec).unwrap();
        for i in 0..9_600 {
            take.write_sample(((i as f32 * 0.05).sin() * 8000.0) as i16)
                .unwrap();
        }
        take.finalize().unwrap();
    }
    voice
}

/// What soothe says, and its exit code, for `args`.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = soothe().args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_unknown_language_is_refused_by_every_command_that_takes_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.wav");
    let out = out.to_str().unwrap();
    let expected = "soothe: unknown language \"nl\"; soothe speaks en (English), es (Español), fr (Français), it (Italiano), pt-BR (Português (Brasil)), de (Deutsch), ja (日本語), zh (中文)\n";
    for args in [
        &["play", "--language", "nl"][..],
        &["render", "-o", out, "--language", "nl"],
        &["plan", "--language", "nl"],
        &["prompts", "--language", "nl"],
        &["check", "--language", "nl"],
        &["script", "--language", "nl"],
        &["record", "--voice", "mum", "--language", "nl"],
        &["voices", "--language", "nl"],
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!(
            (code, stdout.as_str(), stderr.as_str()),
            (Some(2), "", expected),
            "soothe {args:?}"
        );
    }
    assert!(!Path::new(out).exists());
}

#[test]
fn every_language_plans_in_its_own_words_in_every_variant() {
    let dir = tempfile::tempdir().unwrap();
    for tag in languages() {
        let voice = voice_in(dir.path(), tag);
        let voice = voice.to_str().unwrap();
        let words = Script::builtin_in(tag);
        for variant in ["relaxing", "invigorating"] {
            let plan = plan(&["--language", tag, "--voice", voice, "--variant", variant]);
            assert_eq!(plan["language"], tag);
            assert_eq!(plan["title"], words.title.as_str(), "{tag}");
            for step in plan["steps"].as_array().unwrap() {
                let id = step["id"].as_str().unwrap();
                assert_eq!(
                    step["title"],
                    words.step(id).unwrap().title.as_str(),
                    "{tag} {variant}: {id}"
                );
            }
            // Every word is the language's own take: none from the guide
            // of another language, none missing.
            for event in plan["events"].as_array().unwrap() {
                if event["kind"] == "prompt" {
                    assert_eq!(event["voice"], voice, "{tag} {variant}: {event}");
                }
            }
        }
        // The readable plan shows the words and titles.
        let output = ok(&["plan", "--language", tag, "--voice", voice]);
        let text = String::from_utf8(output.stdout).unwrap();
        let close = &words.step("close").unwrap().title;
        assert!(text.contains(&format!("== {close} ==")), "{tag}: {text}");
    }
}

#[test]
fn every_language_renders_what_it_plans() {
    let dir = tempfile::tempdir().unwrap();
    for tag in languages() {
        let voice = voice_in(dir.path(), tag);
        let voice = voice.to_str().unwrap();
        let wav = dir.path().join(format!("{tag}.wav"));
        let mut args = vec!["--language", tag, "--voice", voice];
        args.extend_from_slice(&CLOSE);
        let planned = plan(&args);
        let mut render = vec!["render", "-o", wav.to_str().unwrap()];
        render.extend_from_slice(&args);
        ok(&render);
        let samples = wav_samples(&wav);
        assert_eq!(
            samples.len() as u64,
            planned["total_samples"].as_u64().unwrap(),
            "{tag}"
        );
        // The take is heard where the plan puts the close's words.
        let words = planned["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "prompt")
            .unwrap();
        let start = words["start_sample"].as_u64().unwrap() as usize;
        assert!(
            samples[start..start + 4_800].iter().any(|s| s.abs() > 1000),
            "{tag}: silent where the close is said"
        );
    }
}

#[test]
fn chapters_titles_and_split_track_names_are_in_the_language() {
    require!("ffprobe");
    let dir = tempfile::tempdir().unwrap();
    let voice = voice_in(dir.path(), "ja");
    let voice = voice.to_str().unwrap();
    let words = Script::builtin_in("ja");
    let title = |id: &str| words.step(id).unwrap().title.clone();
    // One file, a chapter per step.
    let single = dir.path().join("session.mp3");
    let mut args = vec!["render", "-o", single.to_str().unwrap()];
    args.extend_from_slice(&["--language", "ja", "--voice", voice]);
    args.extend_from_slice(&SHORT);
    ok(&args);
    let whole = probe(&single);
    let chapters: Vec<String> = whole["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["tags"]["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        chapters,
        [
            title("check-in"),
            title("tummy"),
            title("arms"),
            title("close")
        ]
    );
    assert_eq!(
        tag(&whole, "album").as_deref(),
        Some(format!("ベビーマッサージ (relaxing, ja, voice {voice})").as_str())
    );
    // A file per step, named after it, and the playlist.
    let album = dir.path().join("album");
    let mut args = vec!["render", "--split", album.to_str().unwrap()];
    args.extend_from_slice(&["--language", "ja", "--voice", voice]);
    args.extend_from_slice(&SHORT);
    ok(&args);
    let mut names: Vec<String> = std::fs::read_dir(&album)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            format!("01 {}.mp3", title("check-in")),
            format!("02 {}.mp3", title("tummy")),
            format!("03 {}.mp3", title("arms")),
            format!("04 {}.mp3", title("close")),
            "session.m3u8".to_string(),
        ]
    );
    let track = probe(&album.join(format!("02 {}.mp3", title("tummy"))));
    assert_eq!(tag(&track, "title"), Some(title("tummy")));
}

#[test]
fn a_voice_folder_in_one_language_never_fills_another_languages_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let data = home.join("data");
    let record = |args: &[&str]| {
        let output = soothe()
            .env("XDG_DATA_HOME", &data)
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "soothe {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let speech = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/record-speech.flac"
    );
    // An English take of the feet, then a Spanish one.
    record(&[
        "record", "--voice", "mum", "--prompt", "feet", "--import", speech,
    ]);
    record(&[
        "record",
        "--voice",
        "mum",
        "--language",
        "es",
        "--prompt",
        "legs-other",
        "--import",
        speech,
    ]);
    let mum = data.join("soothe/voices/mum");
    assert!(mum.join("feet.wav").is_file());
    assert!(mum.join("es/legs-other.wav").is_file());
    assert!(!mum.join("legs-other.wav").exists());
    assert!(!mum.join("es/feet.wav").exists());
    // Each language counts its own takes only.
    let check = |language: &str| {
        let output = soothe()
            .env("XDG_DATA_HOME", &data)
            .args(["check", "--voice", "mum", "--language", language])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(check("en").contains("\nvoice mum: 1 of 61 prompts recorded\n"));
    assert!(check("es").contains("\nvoice mum: 1 of 61 prompts recorded\n"));
    assert!(check("fr").contains("\nvoice mum: 0 of 61 prompts recorded\n"));
    // The Spanish session says legs-other in mum's Spanish take and
    // never the English feet take; English the other way round.
    let heard = |language: &str, id: &str| {
        let output = soothe()
            .env("XDG_DATA_HOME", &data)
            .args(["plan", "--json", "--voice", "mum", "--language", language])
            .output()
            .unwrap();
        let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
        plan["events"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["prompt"] == id)
            .map(|e| e["voice"].as_str().unwrap().to_string())
    };
    assert_eq!(heard("en", "feet").as_deref(), Some("mum"));
    assert_eq!(heard("en", "legs-other").as_deref(), Some("guide"));
    let voices = record(&["voices", "--language", "es"]);
    assert!(
        voices.starts_with("Voices for \"Masaje para bebés\" (61 prompts, es):\n"),
        "{voices}"
    );
    assert!(voices.contains("\n  mum     1 of 61\n"), "{voices}");
}

#[test]
fn the_built_in_script_in_a_language_plays_as_a_script_of_ones_own() {
    let dir = tempfile::tempdir().unwrap();
    let voice = voice_in(dir.path(), "fr");
    let script = dir.path().join("fr.ron");
    let output = ok(&["script", "--language", "fr"]);
    std::fs::write(&script, &output.stdout).unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("\n    language: \"fr\",\n"), "{text}");
    let words = language::translation("fr").unwrap();
    let (script, voice) = (script.to_str().unwrap(), voice.to_str().unwrap());
    // It says its language: played without --language, whatever the
    // system's, it is French.
    let plan = plan(&[script, "--voice", voice]);
    assert_eq!(plan["language"], "fr");
    assert_eq!(plan["title"], words.title.as_str());
    // Asked for another language, it is refused: its words are French.
    let (code, _, stderr) = run(&["plan", script, "--language", "es"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        format!("soothe: {script}: this script's words are in fr (its language:), not es; leave out --language, or change the script's language:\n")
    );
    // And without a voice that has its words, what it lacks is said, and
    // how to record it.
    let (code, _, stderr) = run(&["plan", script, "--voice", "guide"]);
    if soothe_core::sound::guide::Guide::built_in("fr").is_empty() {
        assert_eq!(code, Some(2));
        assert!(
            stderr.contains(
                "; soothe has no guide voice in fr yet; record them with `soothe record "
            ),
            "{stderr}"
        );
        assert!(
            stderr.contains(" --language fr --voice NAME --missing`"),
            "{stderr}"
        );
    } else {
        assert_eq!(code, Some(0), "{stderr}");
    }
}

#[test]
fn check_lists_the_languages_and_marks_the_one_in_use() {
    let (code, stdout, _) = run(&["check", "--language", "ja"]);
    let listing = stdout
        .split("languages (--language L):\n")
        .nth(1)
        .unwrap()
        .lines()
        .map(|l| l.split(" (").next().unwrap().trim().to_string())
        .collect::<Vec<_>>();
    assert_eq!(
        listing,
        [
            "en     English",
            "es     Español",
            "fr     Français",
            "it     Italiano",
            "pt-BR  Português",
            "de     Deutsch",
            "ja     日本語",
            "zh     中文",
        ]
    );
    assert!(
        stdout.contains("\n  ja     日本語 (this session's"),
        "{stdout}"
    );
    let guides = soothe_core::sound::guide::Guide::built_in_languages();
    assert_eq!(code, Some(if guides.contains(&"ja") { 0 } else { 2 }));
}
