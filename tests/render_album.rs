//! `render --split DIR`: an album is replaced whole or not at all, holds
//! only the new album's tracks, and says what it wrote. Each test is named
//! after the way an album once misled.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::cli::*;
use crate::support::render::*;

/// The files in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `names` as owned strings.
fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// Each file of `dir` and what it holds.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    listing(dir)
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            (name, bytes)
        })
        .collect()
}

/// An older album in `dir`: the files a split of `--skip welcome --skip
/// feet --skip legs --skip head --skip back` names, each holding its name.
fn older_album(dir: &Path, extension: &str) -> Vec<(String, Vec<u8>)> {
    std::fs::create_dir(dir).unwrap();
    let tracks = [
        "01 How is your baby-",
        "02 Tummy",
        "03 Fingers, hands and arms",
        "04 A calm close",
    ];
    for name in tracks {
        let name = format!("{name}.{extension}");
        std::fs::write(dir.join(&name), format!("the older {name}")).unwrap();
    }
    std::fs::write(dir.join("session.m3u8"), "#EXTM3U\nthe older playlist\n").unwrap();
    contents(dir)
}

#[test]
fn split_over_an_older_album_left_its_head_and_tummy_tracks() {
    let dir = tempfile::tempdir().unwrap();
    let album = dir.path().join("album");
    let album_arg = album.to_str().unwrap();
    ok(&["render", "--split", album_arg]);
    // Not soothe's, or not one of its albums' tracks: a note, a song of
    // the same form, a session rendered whole, a link to a track elsewhere.
    std::fs::write(album.join("notes.txt"), "bath at six").unwrap();
    std::fs::write(album.join("10 Lullaby.mp3"), "a song of our own").unwrap();
    let single = album.join("11 Whole session.mp3");
    let mut args = vec!["render", "-o", single.to_str().unwrap()];
    args.extend_from_slice(&CLOSE);
    ok(&args);
    let kept = dir.path().join("head.mp3");
    std::fs::copy(album.join("04 Head.mp3"), &kept).unwrap();
    std::os::unix::fs::symlink(&kept, album.join("12 Head again.mp3")).unwrap();

    let output = ok(&[
        "render",
        "--split",
        album_arg,
        "--with",
        "traumatic-birth",
        "--with",
        "after-feed",
    ]);
    let plan = plan(&["--with", "traumatic-birth", "--with", "after-feed"]);
    let total = plan["total_samples"].as_u64().unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!(
            "Wrote 7 files and session.m3u8 to {album_arg}: {}, 48000 Hz mono, MP3 64 kb/s\n\
             Removed the older album's 04 Head.mp3, 05 How is your baby-.mp3, 06 Back.mp3, 07 Tummy.mp3, 08 Fingers, hands and arms.mp3, 09 A calm close.mp3\n",
            soothe_core::clock::clock(total, 48_000)
        )
    );
    assert_eq!(
        listing(&album),
        strings(&[
            "01 Welcome.mp3",
            "02 Toes and feet.mp3",
            "03 Legs.mp3",
            "04 How is your baby-.mp3",
            "05 Back.mp3",
            "06 Fingers, hands and arms.mp3",
            "07 A calm close.mp3",
            "10 Lullaby.mp3",
            "11 Whole session.mp3",
            "12 Head again.mp3",
            "notes.txt",
            "session.m3u8",
        ])
    );
    assert_eq!(
        std::fs::read(album.join("10 Lullaby.mp3")).unwrap(),
        b"a song of our own"
    );
    assert_eq!(
        std::fs::read_link(album.join("12 Head again.mp3")).unwrap(),
        kept
    );
    assert!(kept.exists());
    assert!(temp_files(&album).is_empty());
}

#[test]
fn split_in_another_format_left_the_older_formats_tracks() {
    let dir = tempfile::tempdir().unwrap();
    live_session(dir.path(), |script| script);
    let split = |extra: &[&str]| {
        let output = soothe()
            .current_dir(dir.path())
            .args([
                "render", "live.ron", "--voice", "./voice", "--split", "phone",
            ])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        stdout.lines().nth(1).unwrap_or("").to_string()
    };
    let phone = dir.path().join("phone");
    assert_eq!(split(&["--format", "wav"]), "");
    assert_eq!(
        split(&["--format", "flac"]),
        "Removed the older album's 01 First steps.wav, 02 Second.wav, 03 Third.wav, 04 A calm close.wav"
    );
    // An MP3 of the third step, rendered whole, stays: it has no track number.
    let mut args = vec!["render", "live.ron", "--voice", "./voice"];
    args.extend(["-o", "phone/05 Third again.mp3", "--skip", "first"]);
    args.extend(["--skip", "second", "--skip", "close"]);
    soothe()
        .current_dir(dir.path())
        .args(&args)
        .assert()
        .success();
    assert_eq!(
        split(&["--skip", "second"]),
        "Removed the older album's 01 First steps.flac, 02 Second.flac, 03 Third.flac, 04 A calm close.flac"
    );
    assert_eq!(
        listing(&phone),
        strings(&[
            "01 First steps.mp3",
            "02 Third.mp3",
            "03 A calm close.mp3",
            "05 Third again.mp3",
            "session.m3u8",
        ])
    );
}

#[test]
fn an_interrupted_split_left_an_album_half_new_half_old() {
    let dir = tempfile::tempdir().unwrap();
    let album = dir.path().join("album");
    let before = older_album(&album, "wav");
    let mut args = vec![
        "render",
        "--split",
        album.to_str().unwrap(),
        "--format",
        "wav",
    ];
    args.extend_from_slice(&SHORT);
    let child = std::process::Command::new(SOOTHE)
        .args(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupted once a track is written and the next one begun.
    let started = Instant::now();
    while temp_files(&album).len() < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no second track begun: {:?}",
            listing(&album)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: a signal to the child this test started and still waits for.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stdout, b"");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let said = format!(
        "\nsoothe: {}: render interrupted; nothing was written\n",
        album.display()
    );
    assert!(stderr.ends_with(&said), "{stderr}");
    assert!(contents(&album) == before, "{:?}", listing(&album));
}

/// soothe with `args`, where a file can hold `bytes` at most: a write past
/// that fails (EFBIG), as on a full disk.
fn with_files_of_at_most(bytes: u64, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(SOOTHE);
    command.args(args);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            // A write past the limit then fails instead of killing soothe.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.output().unwrap()
}

#[test]
fn a_full_disk_during_split_left_an_album_half_new_half_old() {
    let dir = tempfile::tempdir().unwrap();
    let album = dir.path().join("album");
    let before = older_album(&album, "wav");
    // 12 MB at most a file: the check-in (1.5 MB) and the tummy (7 MB) fit,
    // the arms (20 MB) do not.
    let mut args = vec![
        "render",
        "--split",
        album.to_str().unwrap(),
        "--format",
        "wav",
    ];
    args.extend_from_slice(&SHORT);
    let output = with_files_of_at_most(12_000_000, &args);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stdout, b"");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let said = format!(
        "\nsoothe: {}: cannot write: File too large; nothing in {} was changed\n",
        album.join("03 Fingers, hands and arms.wav").display(),
        album.display()
    );
    assert!(stderr.ends_with(&said), "{stderr}");
    assert!(contents(&album) == before, "{:?}", listing(&album));

    // Into a folder it made: the folder goes too.
    let new = dir.path().join("new");
    args[2] = new.to_str().unwrap();
    let output = with_files_of_at_most(12_000_000, &args);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.ends_with(&format!(
            "\nsoothe: {}: cannot write: File too large; nothing was written\n",
            new.join("03 Fingers, hands and arms.wav").display()
        )),
        "{stderr}"
    );
    assert!(!new.exists());
}

#[test]
fn split_into_a_dangling_symlink_said_file_exists() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("phone/Music", dir.path().join("music")).unwrap();
    let mut args = vec!["render", "--split", "music"];
    args.extend_from_slice(&CLOSE);
    soothe()
        .current_dir(dir.path())
        .args(&args)
        .assert()
        .code(2)
        .stdout("")
        .stderr("soothe: music: is a symbolic link to phone/Music, where there is nothing; create that folder first, or give --split another folder\n");
    assert_eq!(listing(dir.path()), strings(&["music"]));
}

#[test]
fn split_with_format_ogg_spoke_of_a_file_x_ogg() {
    let dir = tempfile::tempdir().unwrap();
    soothe()
        .current_dir(dir.path())
        .args(["render", "--split", "phone", "--format", "ogg"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("soothe: unknown format 'ogg'; soothe writes mp3, flac or wav\n");
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn a_title_with_a_line_break_added_etc_shadow_and_a_url_to_the_playlist() {
    let dir = tempfile::tempdir().unwrap();
    live_session(dir.path(), |script| {
        script
            .replace("title: \"Live test\"", "title: \"Live test\\n/etc/shadow\"")
            .replace("name: \"relaxing\"", "name: \"v\"")
            .replace(
                "title: \"Second\"",
                "title: \"Second\\r\\nhttp://evil.example/x.mp3\"",
            )
    });
    let output = soothe()
        .current_dir(dir.path())
        .args([
            "render", "live.ron", "--voice", "./voice", "--split", "phone",
        ])
        .args(["--format", "wav"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    // Each on its own line: four entries, and the four files they name.
    let plan = soothe()
        .current_dir(dir.path())
        .args(["plan", "--json", "live.ron", "--voice", "./voice"])
        .output()
        .unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    let seconds: Vec<u64> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            let samples =
                step["end_sample"].as_f64().unwrap() - step["start_sample"].as_f64().unwrap();
            (samples / 48_000.0).round() as u64
        })
        .collect();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("phone/session.m3u8")).unwrap(),
        format!(
            "#EXTM3U\n#PLAYLIST:Live test /etc/shadow (v, voice ./voice)\n\
             #EXTINF:{},soothe - First steps\n01 First steps.wav\n\
             #EXTINF:{},soothe - Second  http://evil.example/x.mp3\n02 Second  http---evil.example-x.mp3.wav\n\
             #EXTINF:{},soothe - Third\n03 Third.wav\n\
             #EXTINF:{},soothe - A calm close\n04 A calm close.wav\n",
            seconds[0], seconds[1], seconds[2], seconds[3]
        )
    );
    assert_eq!(
        listing(&dir.path().join("phone")),
        strings(&[
            "01 First steps.wav",
            "02 Second  http---evil.example-x.mp3.wav",
            "03 Third.wav",
            "04 A calm close.wav",
            "session.m3u8",
        ])
    );
}

#[test]
fn a_300_character_step_title_failed_with_file_name_too_long() {
    let dir = tempfile::tempdir().unwrap();
    let title = format!("Seconds: {}", "ö".repeat(291));
    assert_eq!(title.chars().count(), 300);
    live_session(dir.path(), |script| {
        script.replace("title: \"Second\"", &format!("title: \"{title}\""))
    });
    let output = soothe()
        .current_dir(dir.path())
        .args([
            "render", "live.ron", "--voice", "./voice", "--split", "phone",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    // 255 bytes at most: "02 ", the title cut between two characters,
    // ".mp3".
    let name = format!("02 Seconds- {}.mp3", "ö".repeat(119));
    assert_eq!(name.len(), 254);
    let names = listing(&dir.path().join("phone"));
    assert_eq!(names[1], name);
    let playlist = std::fs::read_to_string(dir.path().join("phone/session.m3u8")).unwrap();
    assert!(playlist.contains(&format!("soothe - {title}\n{name}\n")));
    require!("ffprobe");
    let probe = probe(&dir.path().join("phone").join(&name));
    assert_eq!(tag(&probe, "title"), Some(title));
}

/// `render --split a` and `render --variant invigorating --with colic
/// --split b` both tagged `album=Baby massage`: a phone's library merged
/// them into one album with two "track 1"s. Each render is now the album
/// of what it is, by the one album artist, soothe; a voice of the
/// parent's is named too.
#[test]
fn two_split_renders_of_different_sessions_were_filed_as_one_album() {
    require!("ffprobe");
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let mut first = vec!["render", "--split", a.to_str().unwrap()];
    first.extend(CLOSE);
    ok(&first);
    let mut second = vec![
        "render",
        "--variant",
        "invigorating",
        "--with",
        "colic",
        "--brief",
        "--split",
        b.to_str().unwrap(),
    ];
    second.extend(CLOSE);
    ok(&second);
    let album = |path: &Path| {
        let probe = probe(path);
        (tag(&probe, "album"), tag(&probe, "album_artist"))
    };
    let soothe = Some("soothe".to_string());
    assert_eq!(
        album(&a.join("02 A calm close.mp3")),
        (Some("Baby massage (relaxing)".into()), soothe.clone())
    );
    assert_eq!(
        album(&b.join("02 A calm close.mp3")),
        (
            Some("Baby massage (invigorating, colic, brief)".into()),
            soothe.clone()
        )
    );

    // The whole session as one MP3 names the voice it is spoken in.
    live_session(dir.path(), |script| script);
    let single = dir.path().join("live.mp3");
    crate::support::cli::soothe()
        .current_dir(dir.path())
        .args(["render", "live.ron", "--voice", "./voice", "-o"])
        .arg(&single)
        .assert()
        .success();
    let probe = probe(&single);
    let named = "Live test (relaxing, voice ./voice)".to_string();
    assert_eq!(tag(&probe, "title"), Some(named.clone()));
    assert_eq!(
        (tag(&probe, "album"), tag(&probe, "album_artist")),
        (Some(named), soothe)
    );
}
