//! `soothe render` to MP3, FLAC and WAV: the format follows the name, the
//! tags and a chapter per step are there for a reader no one here wrote
//! (ffprobe), the chapters start where the plan's steps do, and every
//! format carries the very samples of the WAV render.

use crate::support::cli::*;
use crate::support::render::*;
use serde_json::Value;

/// Renders `SHORT` to `name` in a new folder; returns the folder and path.
fn render_short(name: &str, extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let mut args = vec!["render", "-o", path.to_str().unwrap()];
    args.extend_from_slice(&SHORT);
    args.extend_from_slice(extra);
    ok(&args);
    (dir, path)
}

/// The chapters match the plan's steps: titles, and starts within
/// `tolerance` samples.
fn assert_chapters(probe: &Value, plan: &Value, tolerance: f64) {
    let rate = plan["sample_rate"].as_f64().unwrap();
    let steps = plan["steps"].as_array().unwrap();
    let chapters = probe["chapters"].as_array().unwrap();
    assert_eq!(chapters.len(), steps.len(), "a chapter per step");
    for (chapter, step) in chapters.iter().zip(steps) {
        assert_eq!(chapter["tags"]["title"], step["title"]);
        let start: f64 = chapter["start_time"].as_str().unwrap().parse().unwrap();
        let planned = step["start_sample"].as_f64().unwrap();
        assert!(
            (start * rate - planned).abs() <= tolerance,
            "{}: chapter at {start} s, step at {} s",
            step["title"],
            planned / rate
        );
    }
}

/// Title and album: the session and its variant (what this render is);
/// artist: soothe.
fn assert_tags(probe: &Value, plan: &Value) {
    let script = plan["title"].as_str().unwrap();
    let title = format!("{script} ({})", plan["variant"].as_str().unwrap());
    assert_eq!(tag(probe, "title"), Some(title.clone()));
    assert_eq!(tag(probe, "artist").as_deref(), Some("soothe"));
    assert_eq!(tag(probe, "album"), Some(title));
}

#[test]
fn an_mp3_render_is_mono_64_kbps_with_tags_and_a_chapter_per_step_within_a_frame() {
    require!("ffprobe");
    let plan = plan(&SHORT);
    let (_dir, path) = render_short("session.mp3", &[]);
    let probe = probe(&path);
    let stream = &probe["streams"][0];
    assert_eq!(stream["codec_name"], "mp3");
    assert_eq!(stream["channels"], 1);
    assert_eq!(stream["sample_rate"], "48000");
    assert_eq!(stream["bit_rate"], "64000");
    assert_tags(&probe, &plan);
    // One MPEG-1 layer III frame: 1152 samples.
    assert_chapters(&probe, &plan, 1152.0);
    // LAME's Info tag tells the decoder its delay and padding: the decoded
    // session is as long as the plan, to the sample.
    let decoded = decode(&path);
    assert_eq!(
        decoded.len() as u64,
        plan["total_samples"].as_u64().unwrap()
    );
    // And it is the WAV render's session, encoded: close to it, and closest
    // with no shift at all, so that the chapters fall where the steps do.
    let (_dir2, wav) = render_short("session.wav", &[]);
    let wav = wav_samples(&wav);
    let snr = |lag: usize| {
        let (mut signal, mut noise) = (0.0f64, 0.0f64);
        for i in (2000..wav.len() - 2000).step_by(3) {
            let (a, b) = (f64::from(wav[i]), f64::from(decoded[i + lag - 1]));
            signal += a * a;
            noise += (a - b) * (a - b);
        }
        10.0 * (signal / noise).log10()
    };
    let (early, aligned, late) = (snr(0), snr(1), snr(2));
    // (64 kb/s keeps the guide voice at 18-25 dB: well above what a
    // shifted or different signal gives.)
    assert!(aligned > 15.0, "MP3 against WAV: {aligned:.1} dB");
    assert!(
        aligned > early + 3.0 && aligned > late + 3.0,
        "{early:.1} {aligned:.1} {late:.1} dB"
    );
}

#[test]
fn bitrate_sets_the_mp3_bit_rate() {
    require!("ffprobe");
    let (_dir, path) = render_short("session.mp3", &["--bitrate", "96"]);
    assert_eq!(probe(&path)["streams"][0]["bit_rate"], "96000");
}

#[test]
fn a_flac_render_holds_the_wav_render_sample_for_sample_with_chapters_to_the_sample() {
    require!("ffprobe");
    let plan = plan(&SHORT);
    let (_dir, flac) = render_short("session.flac", &[]);
    let (_dir2, wav) = render_short("session.wav", &[]);
    let probe = probe(&flac);
    assert_eq!(probe["streams"][0]["codec_name"], "flac");
    assert_eq!(probe["streams"][0]["channels"], 1);
    assert_tags(&probe, &plan);
    assert_chapters(&probe, &plan, 1.0);
    assert!(
        decode(&flac) == wav_samples(&wav),
        "lossless: the WAV's samples"
    );
}

#[test]
fn a_wav_render_has_tags_and_a_labelled_cue_point_per_step() {
    require!("ffprobe");
    let plan = plan(&SHORT);
    let (_dir, path) = render_short("session.wav", &[]);
    let probe = probe(&path);
    assert_eq!(probe["streams"][0]["codec_name"], "pcm_s16le");
    assert_tags(&probe, &plan);
    assert_chapters(&probe, &plan, 1.0);
}

#[test]
fn render_to_x_mp3_silently_wrote_a_wav() {
    // The bug: any name got a WAV. Now the name decides, and an MP3 is an MP3.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.mp3");
    let mut args = vec!["render", "-o", path.to_str().unwrap()];
    args.extend_from_slice(&CLOSE);
    ok(&args);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..3], b"ID3", "an ID3v2 tag, then MP3 frames");
    assert_ne!(&bytes[..4], b"RIFF");
}

#[test]
fn an_unknown_extension_exits_2_naming_the_formats() {
    let dir = tempfile::tempdir().unwrap();
    soothe()
        .current_dir(dir.path())
        .args(["render", "-o", "session.ogg"])
        .assert()
        .code(2)
        .stderr("soothe: session.ogg: soothe writes .mp3 (MP3), .flac (FLAC) or .wav (16-bit WAV); name the file with one of these extensions (or give --format)\n");
    assert!(!dir.path().join("session.ogg").exists());
}

#[test]
fn render_to_dash_created_a_file_named_dash() {
    let dir = tempfile::tempdir().unwrap();
    soothe()
        .current_dir(dir.path())
        .args(["render", "-o", "-"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("soothe: writing to standard output (-o -) needs --format mp3, flac or wav\n");
    assert!(!dir.path().join("-").exists());

    // With --format, the session streams to stdout: for a WAV (whose
    // header is known before the first sample), the very bytes of the file.
    let mut args = vec!["render", "-o", "-", "--format", "wav"];
    args.extend_from_slice(&CLOSE);
    let streamed = soothe()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert!(streamed.status.success());
    assert!(!dir.path().join("-").exists());
    let file = dir.path().join("close.wav");
    let mut args = vec!["render", "-o", file.to_str().unwrap()];
    args.extend_from_slice(&CLOSE);
    ok(&args);
    assert!(streamed.stdout == std::fs::read(&file).unwrap());
    assert!(String::from_utf8_lossy(&streamed.stderr).contains("Wrote standard output: "));
}

#[test]
fn split_writes_a_numbered_file_per_step_and_a_playlist() {
    require!("ffprobe");
    let plan = plan(&SHORT);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("phone");
    let mut args = vec!["render", "--split", out.to_str().unwrap()];
    args.extend_from_slice(&SHORT);
    let stdout = String::from_utf8(ok(&args).stdout).unwrap();
    let rate = plan["sample_rate"].as_f64().unwrap();
    let steps = plan["steps"].as_array().unwrap();
    let total = plan["total_samples"].as_u64().unwrap();
    assert_eq!(
        stdout,
        format!(
            "Wrote {} files and session.m3u8 to {}: {}, 48000 Hz mono, MP3 64 kb/s\n",
            steps.len(),
            out.display(),
            soothe_core::clock::clock(total, 48_000)
        )
    );
    // Named after the steps (check-in, tummy, arms, close), numbered in
    // order; characters that some phones' file systems refuse ("How is
    // your baby?") become dashes.
    let names: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let title = step["title"].as_str().unwrap();
            let title = title.replace(['/', '\\', ':', '*', '?', '"', '<', '>', '|'], "-");
            format!("{:02} {title}.mp3", i + 1)
        })
        .collect();
    let mut listed: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    let mut expected = names.clone();
    expected.push("session.m3u8".into());
    assert_eq!(listed, expected);

    let script = plan["title"].as_str().unwrap();
    let mut playlist = format!("#EXTM3U\n#PLAYLIST:{script} (relaxing)\n");
    for (number, (name, step)) in names.iter().zip(steps).enumerate() {
        let probe = probe(&out.join(name));
        assert_eq!(tag(&probe, "title").as_deref(), step["title"].as_str());
        assert_eq!(tag(&probe, "album"), Some(format!("{script} (relaxing)")));
        assert_eq!(tag(&probe, "album_artist").as_deref(), Some("soothe"));
        assert_eq!(
            tag(&probe, "track"),
            Some(format!("{}/{}", number + 1, steps.len()))
        );
        let samples = step["end_sample"].as_f64().unwrap() - step["start_sample"].as_f64().unwrap();
        let decoded = decode(&out.join(name));
        assert_eq!(decoded.len() as f64, samples, "{name} holds its step");
        playlist.push_str(&format!(
            "#EXTINF:{},soothe - {}\n{name}\n",
            (samples / rate).round(),
            step["title"].as_str().unwrap()
        ));
    }
    assert_eq!(
        std::fs::read_to_string(out.join("session.m3u8")).unwrap(),
        playlist
    );
}

#[test]
fn render_to_dash_on_a_terminal_would_fill_it_with_binary() {
    // `script` (util-linux) gives soothe a terminal as its standard output.
    require!("script");
    let output = std::process::Command::new("script")
        .args(["-qec", "\"$SOOTHE\" render -o - --format mp3", "/dev/null"])
        .env("SOOTHE", crate::support::cli::SOOTHE)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
        "soothe: -o -: standard output is a terminal; send it to a file or a program (soothe render -o - --format mp3 > session.mp3)\n"
    );
}

/// `soothe plan --json live.ron --voice ./voice` in `dir`.
fn live_plan(dir: &std::path::Path) -> Value {
    let output = soothe()
        .current_dir(dir)
        .args(["plan", "--json", "live.ron", "--voice", "./voice"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Renders live.ron in `dir` to `name` with `extra` arguments: stdout and
/// stderr.
fn render_live(dir: &std::path::Path, name: &str, extra: &[&str]) -> (String, String) {
    let output = soothe()
        .current_dir(dir)
        .args(["render", "live.ron", "--voice", "./voice", "-o", name])
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn at_rate(rate: u32) -> impl FnOnce(String) -> String {
    move |script| script.replace("sample_rate: 48000", &format!("sample_rate: {rate}"))
}

#[test]
fn an_8000_hz_script_at_bitrate_320_said_320_kbps_of_a_64_kbps_mp3() {
    require!("ffprobe");
    let dir = tempfile::tempdir().unwrap();
    live_session(dir.path(), at_rate(8000));
    let total = live_plan(dir.path())["total_samples"].as_u64().unwrap();
    let (stdout, stderr) = render_live(dir.path(), "x.mp3", &["--bitrate", "320"]);
    assert_eq!(
        stdout,
        format!(
            "Wrote x.mp3: {}, 8000 Hz mono, MP3 64 kb/s, a chapter per step\n",
            soothe_core::clock::clock(total, 8000)
        )
    );
    assert_eq!(
        stderr,
        "--bitrate 320: an MP3 at 8000 Hz has at most 64 kb/s; this one has 64\n"
    );
    let probe = probe(&dir.path().join("x.mp3"));
    assert_eq!(probe["streams"][0]["sample_rate"], "8000");
    assert_eq!(probe["streams"][0]["bit_rate"], "64000");
    assert_eq!(decode(&dir.path().join("x.mp3")).len() as u64, total);

    // At 16 kHz (MPEG-2), 160 kb/s at most; a bit rate it has, it keeps.
    let dir = tempfile::tempdir().unwrap();
    live_session(dir.path(), at_rate(16_000));
    let (stdout, stderr) = render_live(dir.path(), "x.mp3", &["--bitrate", "192"]);
    assert!(stdout.ends_with(", 16000 Hz mono, MP3 160 kb/s, a chapter per step\n"));
    assert_eq!(
        stderr,
        "--bitrate 192: an MP3 at 16000 Hz has at most 160 kb/s; this one has 160\n"
    );
    assert_eq!(probe_bit_rate(&dir.path().join("x.mp3")), "160000");
    let (stdout, stderr) = render_live(dir.path(), "y.mp3", &["--bitrate", "128"]);
    assert!(stdout.ends_with(", 16000 Hz mono, MP3 128 kb/s, a chapter per step\n"));
    assert_eq!(stderr, "");
    assert_eq!(probe_bit_rate(&dir.path().join("y.mp3")), "128000");
}

fn probe_bit_rate(path: &std::path::Path) -> String {
    probe(path)["streams"][0]["bit_rate"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_96_khz_script_said_96000_hz_of_a_48_khz_mp3() {
    require!("ffprobe");
    let dir = tempfile::tempdir().unwrap();
    live_session(dir.path(), at_rate(96_000));
    let total = live_plan(dir.path())["total_samples"].as_u64().unwrap();
    let (stdout, _) = render_live(dir.path(), "x.mp3", &[]);
    assert_eq!(
        stdout,
        format!(
            "Wrote x.mp3: {}, 48000 Hz mono, MP3 64 kb/s, a chapter per step\n",
            soothe_core::clock::clock(total, 96_000)
        )
    );
    let path = dir.path().join("x.mp3");
    assert_eq!(probe(&path)["streams"][0]["sample_rate"], "48000");
    assert_eq!(decode(&path).len() as u64, total / 2);
    // FLAC keeps the session's rate, and says so.
    let (stdout, _) = render_live(dir.path(), "x.flac", &[]);
    assert_eq!(
        stdout,
        format!(
            "Wrote x.flac: {}, 96000 Hz mono, FLAC 16-bit, a chapter per step\n",
            soothe_core::clock::clock(total, 96_000)
        )
    );
    assert_eq!(
        probe(&dir.path().join("x.flac"))["streams"][0]["sample_rate"],
        "96000"
    );
}

#[test]
fn a_12345_hz_script_passed_check_then_lame_could_not_write_it() {
    require!("ffprobe");
    let dir = tempfile::tempdir().unwrap();
    live_session(dir.path(), at_rate(12_345));
    soothe()
        .current_dir(dir.path())
        .args(["check", "live.ron", "--voice", "./voice"])
        .assert()
        .success();
    let total = live_plan(dir.path())["total_samples"].as_u64().unwrap();
    let (stdout, _) = render_live(dir.path(), "x.mp3", &[]);
    assert_eq!(
        stdout,
        format!(
            "Wrote x.mp3: {}, 16000 Hz mono, MP3 64 kb/s, a chapter per step\n",
            soothe_core::clock::clock(total, 12_345)
        )
    );
    let path = dir.path().join("x.mp3");
    assert_eq!(probe(&path)["streams"][0]["sample_rate"], "16000");
    // Resampled to the next rate MP3 has, and as long as the session.
    let at_16k = total as f64 * 16_000.0 / 12_345.0;
    assert!((decode(&path).len() as f64 - at_16k).abs() < 2.0);
    // The WAV render's session: taken back to 12345 Hz by FFmpeg, it is
    // close to the WAV's samples with no shift (64 kb/s keeps the voice
    // 18-25 dB above the coding noise; a shift of one sample gives 8 dB).
    render_live(dir.path(), "x.wav", &[]);
    let wav = wav_samples(&dir.path().join("x.wav"));
    let back = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&path)
        .args(["-ar", "12345", "-f", "s16le", "-"])
        .output()
        .unwrap();
    assert!(back.status.success());
    let back: Vec<i16> = back
        .stdout
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    assert_eq!(back.len(), wav.len());
    let (mut signal, mut noise) = (0.0f64, 0.0f64);
    for i in 2000..wav.len() - 2000 {
        let (a, b) = (f64::from(wav[i]), f64::from(back[i]));
        signal += a * a;
        noise += (a - b) * (a - b);
    }
    let snr = 10.0 * (signal / noise).log10();
    assert!(
        snr > 15.0,
        "MP3 at 16 kHz against the WAV at 12345 Hz: {snr:.1} dB"
    );
}

#[test]
fn bitrate_56_passed_check_then_lame_had_no_56_kbps() {
    require!("ffprobe");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.mp3");
    let mut args = vec!["render", "-o", path.to_str().unwrap(), "--bitrate", "56"];
    args.extend_from_slice(&CLOSE);
    let stdout = String::from_utf8(ok(&args).stdout).unwrap();
    assert!(
        stdout.ends_with(", 48000 Hz mono, MP3 56 kb/s, a chapter per step\n"),
        "{stdout}"
    );
    assert_eq!(probe_bit_rate(&path), "56000");
}
