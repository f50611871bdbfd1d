//! `soothe play` through the real ALSA stack (alsa-lib's `file` plugin
//! writing what the application played to a WAV), compared with a render.
#![cfg(feature = "device")]

use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;

/// The tummy, the arms (both sides) and the close: under two minutes of
/// session, played unpaced in well under a second.
const SHORT: [&str; 12] = [
    "--skip", "welcome", "--skip", "feet", "--skip", "legs", "--skip", "head", "--skip",
    "check-in", "--skip", "back",
];

/// An ALSA configuration whose default device writes to `played` as 16-bit
/// stereo at 48 kHz: alsa-lib's `file` plugin in front of a `null` device,
/// so no sound card is needed and nothing waits for real time.
fn alsa_to_file(dir: &Path, played: &Path) -> std::path::PathBuf {
    let conf = dir.join("asound.conf");
    std::fs::write(
        &conf,
        format!(
            r#"pcm.!default {{
    type plug
    slave {{
        pcm {{ type file  slave.pcm {{ type null }}  file "{}"  format "wav" }}
        format S16_LE  rate 48000  channels 2
    }}
}}
"#,
            played.display()
        ),
    )
    .unwrap();
    conf
}

fn read_wav(path: &Path) -> (hound::WavSpec, Vec<i16>) {
    let mut reader = hound::WavReader::open(path).unwrap();
    let samples = reader.samples::<i16>().map(Result::unwrap).collect();
    (reader.spec(), samples)
}

#[test]
fn what_play_sends_to_the_sound_card_equals_the_render() {
    let dir = tempfile::tempdir().unwrap();
    let played = dir.path().join("played.wav");
    let conf = alsa_to_file(dir.path(), &played);

    let output = Command::cargo_bin("soothe")
        .unwrap()
        .env("ALSA_CONFIG_PATH", &conf)
        .envs(crate::support::cli::base_env(dir.path()))
        .arg("play")
        .args(SHORT)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("no audio output device was found") {
        crate::support::skip::skipped(
            &format!("alsa-lib cannot use its file plugin here: {stderr}"),
            &[crate::support::skip::ALSA_FILE],
        );
        return;
    }
    assert!(output.status.success(), "play failed: {stderr}");
    // Not a terminal: plain lines, one per step and one per stroke.
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("] Tummy\n"), "{stdout}");
    assert!(stdout.contains("]   stroke 6 of 6\n"), "{stdout}");
    assert_eq!(stdout.matches("stroke 1 of").count(), 1 + 2 * 3, "{stdout}");

    let render = dir.path().join("render.wav");
    Command::cargo_bin("soothe")
        .unwrap()
        .args(["render", "-o", render.to_str().unwrap()])
        .args(SHORT)
        .assert()
        .success();

    let (spec, interleaved) = read_wav(&played);
    assert_eq!((spec.channels, spec.sample_rate), (2, 48_000));
    let left: Vec<i16> = interleaved.iter().step_by(2).copied().collect();
    let right: Vec<i16> = interleaved.iter().skip(1).step_by(2).copied().collect();
    assert_eq!(left, right, "mono on both channels");
    let (_, rendered) = read_wav(&render);

    // The device may start with some silence of its own: line up the onsets.
    let onset = |s: &[i16]| s.iter().position(|x| *x != 0).unwrap();
    let offset = onset(&left) - onset(&rendered);
    assert!(
        left.len() >= offset + rendered.len(),
        "the whole session was played"
    );
    let heard = &left[offset..offset + rendered.len()];
    let first_difference = (0..rendered.len()).find(|&i| heard[i] != rendered[i]);
    assert_eq!(first_difference, None, "played samples equal the render");
    assert!(
        left[offset + rendered.len()..].iter().all(|x| *x == 0),
        "nothing after the end"
    );
}

#[test]
fn without_an_output_device_play_says_so_quickly_and_suggests_render() {
    let dir = tempfile::tempdir().unwrap();
    // A configuration that defines no device at all.
    let conf = dir.path().join("empty.conf");
    std::fs::write(&conf, "").unwrap();
    let started = Instant::now();
    let output = Command::cargo_bin("soothe")
        .unwrap()
        .env("ALSA_CONFIG_PATH", &conf)
        .envs(crate::support::cli::base_env(dir.path()))
        .arg("play")
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // At once, not after retries: a generous bound, so that a loaded
    // machine cannot fail it, yet far below a wait for a device.
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
    let ours = stderr.lines().last().unwrap();
    assert!(
        ours.starts_with("soothe: no audio output device was found"),
        "{stderr}"
    );
    // An MP3 for a phone (not a 78 MB WAV), as the user can run it: this
    // soothe was started by its path, not from the PATH.
    let render = format!("{} render -o session.mp3", crate::support::cli::SOOTHE);
    assert!(ours.ends_with(&render), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
