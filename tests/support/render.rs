//! What the render tests share: short selections, and ffprobe (FFmpeg's
//! reader, written by no one here) to read what soothe wrote.

use std::path::Path;

use serde_json::Value;

/// A short selection of the built-in session: the tummy, the arms and the
/// calm close (three chapters, about five minutes).
pub const SHORT: [&str; 10] = [
    "--skip", "welcome", "--skip", "feet", "--skip", "legs", "--skip", "head", "--skip", "back",
];

/// The calm close alone: the quickest render there is.
pub const CLOSE: [&str; 14] = [
    "--skip", "welcome", "--skip", "feet", "--skip", "legs", "--skip", "head", "--skip", "back",
    "--skip", "tummy", "--skip", "arms",
];

/// ffprobe's view of a file: format (with tags), streams and chapters.
pub fn probe(path: &Path) -> Value {
    let output = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_format",
            "-show_streams",
            "-show_chapters",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "ffprobe {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A tag of ffprobe's `format` (tag names differ in case between formats).
pub fn tag(probe: &Value, name: &str) -> Option<String> {
    let tags = probe["format"]["tags"].as_object()?;
    tags.iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .and_then(|(_, value)| value.as_str().map(str::to_string))
}

/// The file decoded by FFmpeg to 16-bit samples.
pub fn decode(path: &Path) -> Vec<i16> {
    let output = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "s16le", "-"])
        .output()
        .unwrap();
    assert!(output.status.success());
    output
        .stdout
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// The samples of a WAV file soothe wrote.
pub fn wav_samples(path: &Path) -> Vec<i16> {
    let mut reader = hound::WavReader::open(path).unwrap();
    reader.samples::<i16>().map(Result::unwrap).collect()
}

/// Files whose name starts with `.soothe-render-` in `dir`.
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".soothe-render-"))
        .collect()
}

/// A voice folder, `voice`, with a take of each prompt of
/// tests/fixtures/live-session.ron.
pub fn voice_folder(dir: &Path) -> std::path::PathBuf {
    let voice = dir.join("voice");
    std::fs::create_dir(&voice).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 48_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    for id in ["first", "second", "third", "close"] {
        let mut take = hound::WavWriter::create(voice.join(format!("{id}.wav")), spec).unwrap();
        for i in 0..4800 {
            take.write_sample(((i as f32 * 0.05).sin() * 8000.0) as i16)
                .unwrap();
        }
        take.finalize().unwrap();
    }
    voice
}

/// tests/fixtures/live-session.ron (four short steps) as `live.ron` in
/// `dir`, changed by `edit`, with a take of each prompt in `voice`: render
/// it with `live.ron --voice ./voice` from `dir`.
pub fn live_session(dir: &Path, edit: impl FnOnce(String) -> String) {
    let script = std::fs::read_to_string("tests/fixtures/live-session.ron").unwrap();
    std::fs::write(dir.join("live.ron"), edit(script)).unwrap();
    voice_folder(dir);
}
