//! A render never harms what it writes over: each test is named after the
//! way it once did, or could have.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::cli::*;
use crate::support::render::*;

fn render_close(out: &Path) -> std::process::Output {
    let mut args = vec!["render", "-o", out.to_str().unwrap()];
    args.extend_from_slice(&CLOSE);
    soothe().args(&args).output().unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn render_to_dev_null_replaced_dev_null_with_a_file() {
    let mut args = vec!["render", "-o", "/dev/null", "--format", "mp3"];
    args.extend_from_slice(&CLOSE);
    ok(&args);
    let meta = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null is still a device"
    );
    assert!(temp_files(Path::new("/dev")).is_empty());
}

#[test]
fn render_into_a_fifo_replaced_the_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.wav");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reading = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let output = render_close(&fifo);
    assert!(output.status.success(), "{output:?}");
    let streamed = reading.join().unwrap();
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    let file = dir.path().join("file.wav");
    assert!(render_close(&file).status.success());
    assert!(
        streamed == std::fs::read(&file).unwrap(),
        "the session went through the pipe"
    );
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn render_over_a_symlink_replaced_the_link_instead_of_its_target() {
    let links = tempfile::tempdir().unwrap();
    let targets = tempfile::tempdir().unwrap();
    let target = targets.path().join("session.wav");
    std::fs::write(&target, b"an older render").unwrap();
    let link = links.path().join("phone.wav");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert!(render_close(&link).status.success());
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
    assert_eq!(&std::fs::read(&target).unwrap()[..4], b"RIFF");
    assert!(temp_files(links.path()).is_empty());
    assert!(temp_files(targets.path()).is_empty());

    // A link to a file not there yet: the file is made where it points.
    let new = targets.path().join("new.wav");
    let dangling = links.path().join("new.wav");
    std::os::unix::fs::symlink(&new, &dangling).unwrap();
    assert!(render_close(&dangling).status.success());
    assert_eq!(std::fs::read_link(&dangling).unwrap(), new);
    assert_eq!(&std::fs::read(&new).unwrap()[..4], b"RIFF");
}

#[test]
fn render_to_dev_stdout_wrote_into_proc() {
    // /dev/stdout is a link into /proc: what it leads to is written, here
    // a file the shell opened, replaced whole once the render is complete.
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["render", "-o", "/dev/stdout", "--format", "wav"];
    args.extend_from_slice(&CLOSE);
    let out = std::fs::File::create(dir.path().join("out.wav")).unwrap();
    let status = std::process::Command::new(crate::support::cli::SOOTHE)
        .args(&args)
        .stdout(out)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let file = dir.path().join("file.wav");
    assert!(render_close(&file).status.success());
    assert!(std::fs::read(dir.path().join("out.wav")).unwrap() == std::fs::read(&file).unwrap());
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn render_over_its_own_script_or_voice_take_destroyed_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/fixtures/live-session.ron",
        dir.path().join("live.ron"),
    )
    .unwrap();
    let voice = voice_folder(dir.path());
    let take = std::fs::read(voice.join("first.wav")).unwrap();
    let script = std::fs::read(dir.path().join("live.ron")).unwrap();
    std::os::unix::fs::symlink("live.ron", dir.path().join("script.wav")).unwrap();

    soothe()
        .current_dir(dir.path())
        .args(["render", "live.ron", "--voice", "./voice", "-o", "voice/first.wav"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("soothe: voice/first.wav: is the recording of prompt first in voice ./voice (./voice/first.wav); render to another file\n");
    soothe()
        .current_dir(dir.path())
        .args([
            "render",
            "live.ron",
            "--voice",
            "./voice",
            "-o",
            "script.wav",
        ])
        .assert()
        .code(2)
        .stderr("soothe: script.wav: is the session's script (live.ron); render to another file\n");
    assert_eq!(std::fs::read(voice.join("first.wav")).unwrap(), take);
    assert_eq!(std::fs::read(dir.path().join("live.ron")).unwrap(), script);
}

#[test]
fn a_rendered_file_was_readable_only_by_its_owner() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.mp3");
    let mut args = vec!["render", "-o", new.to_str().unwrap()];
    args.extend_from_slice(&CLOSE);
    let line = "umask 027 && exec \"$0\" \"$@\"";
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(line)
        .arg(crate::support::cli::SOOTHE)
        .args(&args)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    assert_eq!(mode(&new), 0o640, "a new file: 0666 less the umask");

    let old = dir.path().join("old.wav");
    std::fs::write(&old, b"an older render").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o604)).unwrap();
    assert!(render_close(&old).status.success());
    assert_eq!(mode(&old), 0o604, "a replaced file keeps its mode");
    assert_eq!(&std::fs::read(&old).unwrap()[..4], b"RIFF");
}

#[test]
fn an_interrupted_render_left_gigabytes_of_temporary_files() {
    for (signal, number) in [
        ("INT", libc::SIGINT),
        ("TERM", libc::SIGTERM),
        ("HUP", libc::SIGHUP),
    ] {
        let dir = tempfile::tempdir().unwrap();
        // The whole built-in session, in FLAC: long enough to interrupt.
        let out = dir.path().join("session.flac");
        std::fs::write(&out, b"an older render").unwrap();
        let child = std::process::Command::new(crate::support::cli::SOOTHE)
            .args(["render", "-o"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while temp_files(dir.path()).is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no render started"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(100));
        // SAFETY: a signal to the child this test started and still waits for.
        assert_eq!(unsafe { libc::kill(child.id() as i32, number) }, 0);
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(1), "SIG{signal}");
        // After the guide voice's note, the one line that says what happened.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let said = format!(
            "\nsoothe: {}: render interrupted; nothing was written\n",
            out.display()
        );
        assert!(stderr.ends_with(&said), "SIG{signal}: {stderr}");
        assert_eq!(temp_files(dir.path()), Vec::<String>::new(), "SIG{signal}");
        assert_eq!(std::fs::read(&out).unwrap(), b"an older render");
    }
}

#[test]
fn temporary_files_a_killed_render_left_stayed_forever() {
    let dir = tempfile::tempdir().unwrap();
    // Left by renders killed with SIGKILL: this soothe's (a random name),
    // and older soothes' (a process id, even one that runs: this test's;
    // tempfile's random names). No one holds them locked.
    let stale = [
        ".soothe-render-0123456789abcdef.part".to_string(),
        ".soothe-render-4194399.part".to_string(),
        format!(".soothe-render-{}.part", std::process::id()),
        ".soothe-render-x8Yq2a.wav.part".to_string(),
    ];
    for name in &stale {
        std::fs::write(dir.path().join(name), b"half a session").unwrap();
    }
    // That of a render still running, which holds its file locked.
    let running = ".soothe-render-fedcba9876543210.part";
    let held = std::fs::File::create(dir.path().join(running)).unwrap();
    hold(&held);
    assert!(render_close(&dir.path().join("close.wav")).status.success());
    assert_eq!(temp_files(dir.path()), vec![running]);
}

/// Locks `file` as a running render does its temporary file.
fn hold(file: &std::fs::File) {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a file this test keeps open.
    assert_eq!(unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) }, 0);
}

#[test]
fn a_render_in_another_pid_namespace_deleted_a_running_renders_temporary_file() {
    let unshare = |args: &[&str]| {
        let mut command = std::process::Command::new("unshare");
        command.args(["--pid", "--fork"]).args(args);
        command
    };
    if !unshare(&["true"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        crate::support::skip::skipped(
            "`unshare --pid --fork true` failed here",
            &[crate::support::skip::UNSHARE],
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The whole built-in session, in FLAC: a render long under way...
    let out = dir.path().join("session.flac");
    let long = std::process::Command::new(crate::support::cli::SOOTHE)
        .args(["render", "-o"])
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while temp_files(dir.path()).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no render started"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let theirs = temp_files(dir.path());
    // ...and a quick one into the same folder from a PID namespace where
    // no process has the first one's id.
    let close = dir.path().join("close.wav");
    let mut args = vec![crate::support::cli::SOOTHE, "render", "-o"];
    args.push(close.to_str().unwrap());
    args.extend_from_slice(&CLOSE);
    let quick = unshare(&args).output().unwrap();
    assert!(quick.status.success(), "{quick:?}");
    assert_eq!(
        temp_files(dir.path()),
        theirs,
        "the long render's file stays"
    );
    let long = long.wait_with_output().unwrap();
    assert!(long.status.success());
    assert!(
        String::from_utf8_lossy(&long.stdout).starts_with(&format!("Wrote {}: ", out.display()))
    );
    assert_eq!(&std::fs::read(&out).unwrap()[..4], b"fLaC");
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn a_wav_over_4_gib_claimed_16_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let script = std::fs::read_to_string("tests/fixtures/live-session.ron")
        .unwrap()
        .replace(
            "strokes: Strokes(count: 2, seconds: 1.0)),\n        Step(id: \"second\"",
            "strokes: Strokes(count: 80, seconds: 600.0)),\n        Step(id: \"second\"",
        );
    std::fs::write(dir.path().join("long.ron"), script).unwrap();
    voice_folder(dir.path());
    let limit = "a WAV file holds at most 4 GiB (about 12:25:39 at 48000 Hz mono 16-bit) and this session lasts 13:20:";
    let started = Instant::now();
    let refused = soothe()
        .current_dir(dir.path())
        .args(["render", "long.ron", "--voice", "./voice", "-o", "long.wav"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.starts_with(&format!("soothe: long.wav: {limit}")),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("; render it to .flac or .mp3 instead\n"),
        "{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "refused before rendering"
    );
    assert!(!dir.path().join("long.wav").exists());
    assert!(temp_files(dir.path()).is_empty());

    let plan = soothe()
        .current_dir(dir.path())
        .args(["plan", "long.ron", "--voice", "./voice"])
        .output()
        .unwrap();
    assert!(plan.status.success());
    assert!(String::from_utf8_lossy(&plan.stderr).starts_with(&format!("soothe: warning: {limit}")));
    let check = soothe()
        .current_dir(dir.path())
        .args(["check", "long.ron", "--voice", "./voice"])
        .output()
        .unwrap();
    assert!(check.status.success());
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(report.contains(&format!("warning: {limit}")), "{report}");
}

#[test]
fn a_folder_or_a_missing_folder_was_found_only_after_rendering() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("music.mp3")).unwrap();
    soothe()
        .current_dir(dir.path())
        .args(["render", "-o", "music.mp3"])
        .assert()
        .code(2)
        .stderr("soothe: music.mp3: is a folder; name a file in it, such as session.mp3\n");
    soothe()
        .current_dir(dir.path())
        .args(["render", "-o", "phone/session.mp3"])
        .assert()
        .code(2)
        .stderr("soothe: phone/session.mp3: there is no folder phone; create it first\n");
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn a_take_cut_short_leaves_the_older_render_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/fixtures/live-session.ron",
        dir.path().join("live.ron"),
    )
    .unwrap();
    let voice = voice_folder(dir.path());
    // A take cut short: its header promises more than it holds. (It used
    // to show only when the session reached it, and the failed render
    // replaced the older file; now it is refused before anything is
    // rendered.)
    let third = voice.join("third.wav");
    let len = std::fs::metadata(&third).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&third)
        .unwrap()
        .set_len(len - 1001)
        .unwrap();
    std::fs::write(dir.path().join("out.mp3"), b"an older render").unwrap();
    soothe()
        .current_dir(dir.path())
        .args(["render", "live.ron", "--voice", "./voice", "-o", "out.mp3"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::starts_with(
            "soothe: ./voice/third.wav: it is cut short or damaged",
        ));
    assert_eq!(
        std::fs::read(dir.path().join("out.mp3")).unwrap(),
        b"an older render"
    );
    assert!(temp_files(dir.path()).is_empty());
}
