//! `soothe play` in a real terminal (tmux): the live view as the parent
//! sees it, resizing, plain lines when stdout is not a terminal, and the
//! terminal given back as it was on q, Ctrl-C and SIGTERM. The session
//! plays through PulseAudio's null sink, in real time.
#![cfg(all(feature = "device", target_os = "linux"))]

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::cli::{base_env, SOOTHE};
use crate::support::pulse::Pulse;
use crate::support::session::Session;
use crate::support::tmux::{Stdout, Tmux};
use soothe::live::view::big_lines;

const START: Duration = Duration::from_secs(20);

fn start(session: &Session, pulse: &Pulse, size: (u16, u16), stdout: Stdout) -> Tmux {
    let mut env = base_env(session.dir.path());
    env.extend(pulse.env());
    let mut args = vec!["play".to_string()];
    args.extend(session.args());
    Tmux::start(session.dir.path(), size, &env, &args, stdout)
}

/// Whether `screen` shows `text` in the big font at some scale: exactly
/// its rows, untrimmed, each behind the same margin.
fn shows_big(screen: &str, text: &str) -> bool {
    let rows: Vec<&str> = screen.lines().collect();
    (1..=4).any(|scale| {
        let big = big_lines(text, scale);
        rows.windows(big.len()).any(|w| {
            let lead = |row: &str| row.len() - row.trim_start().len();
            let Some(pad) = lead(w[0]).checked_sub(lead(&big[0])) else {
                return false;
            };
            w.iter().zip(&big).all(|(row, want)| {
                row.trim_end() == format!("{}{want}", " ".repeat(pad)).trim_end()
            })
        })
    })
}

/// The terminal is as a shell wants it: line editing and echo on.
fn assert_modes_restored(tmux: &Tmux) {
    let stty = tmux.stty();
    let flags: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig", "opost"] {
        assert!(flags.contains(&flag), "{flag} is off after soothe:\n{stty}");
    }
}

/// ...and the live view has given the normal screen back.
fn assert_restored(tmux: &Tmux) {
    assert_modes_restored(tmux);
    let screen = tmux.screen();
    // Back on the normal screen, where the headline was printed.
    assert!(screen.contains("Live test (relaxing), 00:"), "{screen}");
    assert!(!screen.contains("█"), "the live view is gone:\n{screen}");
}

#[test]
fn the_live_view_shows_the_step_the_stroke_count_and_the_time_and_follows_resizes() {
    require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    let pulse = Pulse::start(session.dir.path());
    let tmux = start(&session, &pulse, (100, 30), Stdout::Terminal);

    // The first stroke: 0.5 s of quiet, the 1.6 s prompt, 1.5 s to settle.
    let screen = tmux.wait_for("the first stroke", START, |s| shows_big(s, "1 of 2"));
    let header = screen
        .lines()
        .find(|l| l.contains("First steps"))
        .unwrap_or("");
    assert!(header.trim_end().ends_with("step 1 of 4"), "{screen}");
    assert!(screen.lines().any(|l| l.trim() == "stroke"), "{screen}");
    let clock = screen
        .lines()
        .map(str::trim)
        .find(|l| l.ends_with(" left"))
        .unwrap_or_else(|| panic!("no clock:\n{screen}"));
    // 3.6 s into 23.4 s: the time so far, the bar, the time left.
    let seconds = |mmss: &str| -> u32 {
        let (m, s) = mmss.split_once(':').unwrap();
        m.parse::<u32>().unwrap() * 60 + s.parse::<u32>().unwrap()
    };
    let words: Vec<&str> = clock.split_whitespace().collect();
    let (elapsed, left) = (seconds(words[0]), seconds(words[2]));
    assert!((3..=4).contains(&elapsed), "{clock}");
    assert!(
        (23..=24).contains(&(elapsed + left)),
        "24.4 s in all: {clock}"
    );
    assert!(
        words[1].starts_with('━') && words[1].ends_with('─'),
        "{clock}"
    );
    assert!(
        screen.contains("Rest your hands on your baby's legs"),
        "the prompt's words:\n{screen}"
    );
    assert!(screen.contains("Next: Second, in 00:0"), "{screen}");
    assert!(screen.contains("space pause"), "{screen}");
    assert!(screen.contains("Media keys are off"), "{screen}");

    // Smaller: the numbers shrink, every row still fits.
    tmux.resize(60, 16);
    let screen = tmux.wait_for("the view at 60 x 16", Duration::from_secs(5), |s| {
        s.lines().count() <= 16 && (shows_big(s, "1 of 2") || shows_big(s, "2 of 2"))
    });
    assert!(screen.lines().all(|l| l.chars().count() < 60), "{screen}");
    assert!(screen.contains("First steps"), "{screen}");
    // Tiny: the count in words.
    tmux.resize(36, 7);
    tmux.wait_for("the view at 36 x 7", Duration::from_secs(5), |s| {
        s.contains("stroke 2 of 2") || s.contains("step 2 of 4")
    });

    tmux.keys(&["q"]);
    assert_eq!(
        tmux.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tmux.stderr()
    );
    assert_restored(&tmux);
    session.plan.assert_stopped(&tmux.screen(), 0);
    // The note about media keys was said once, on stderr.
    assert_eq!(
        tmux.stderr()
            .matches("Media keys and headset buttons are off")
            .count(),
        1,
        "{}",
        tmux.stderr()
    );
}

#[test]
fn ctrl_c_quits_gently_and_gives_the_terminal_back() {
    require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    let pulse = Pulse::start(session.dir.path());
    let tmux = start(&session, &pulse, (80, 24), Stdout::Terminal);
    tmux.wait_for_clock("00:01", START);
    tmux.keys(&["C-c"]);
    assert_eq!(
        tmux.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tmux.stderr()
    );
    assert_restored(&tmux);
    session.plan.assert_stopped(&tmux.screen(), 1);
}

#[test]
fn sigterm_quits_gently_and_gives_the_terminal_back() {
    require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    let pulse = Pulse::start(session.dir.path());
    let tmux = start(&session, &pulse, (80, 24), Stdout::Terminal);
    tmux.wait_for_clock("00:01", START);
    crate::support::process::terminate(tmux.pid());
    assert_eq!(
        tmux.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tmux.stderr()
    );
    assert_restored(&tmux);
    session.plan.assert_stopped(&tmux.screen(), 1);
}

#[test]
fn closing_the_terminal_ends_the_session() {
    require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    let pulse = Pulse::start(session.dir.path());
    let tmux = start(&session, &pulse, (80, 24), Stdout::Terminal);
    tmux.wait_for_clock("00:01", START);
    let pid = tmux.pid();
    tmux.close();
    let closed = std::time::Instant::now();
    while crate::support::process::running(pid) {
        assert!(
            closed.elapsed() < Duration::from_secs(5),
            "soothe goes on without its terminal"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn with_stdout_a_file_the_lines_are_plain_and_keys_still_work() {
    require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    let pulse = Pulse::start(session.dir.path());
    let tmux = start(&session, &pulse, (80, 24), Stdout::File);
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
    wait_out("[00:00] First steps\n");
    std::thread::sleep(Duration::from_millis(700));
    tmux.keys(&["n"]);
    wait_out("] Second\n");
    tmux.keys(&["Space"]);
    wait_out("-- Paused\n");
    tmux.keys(&["q"]);
    assert_eq!(
        tmux.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tmux.stderr()
    );
    let out = tmux.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Live test (relaxing), 00:24", "{out}");
    assert_eq!(lines[1], "[00:00] First steps", "{out}");
    assert!(
        lines[2].starts_with("[00:0") && lines[2].ends_with("] -- On to Second"),
        "{out}"
    );
    // The second step from its start; the first step's strokes were skipped.
    assert_eq!(lines[3], "[00:07] Second", "{out}");
    assert!(lines[4].ends_with("] -- Paused"), "{out}");
    // Stopped in the second step: how to go on from it.
    assert_eq!(
        lines[5],
        format!(
            "To go on: soothe play {} --voice {} --from second",
            session.script.display(),
            session.voice.display()
        ),
        "{out}"
    );
    assert_eq!(lines.len(), 6, "{out}");
    assert!(
        !out.contains('\x1b'),
        "no escape sequences in plain lines:\n{out:?}"
    );
    assert_modes_restored(&tmux);
}

#[test]
fn hands_free_ctrl_c_ends_the_session_gently() {
    require!("pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    let pulse = Pulse::start(session.dir.path());
    let out_path = session.dir.path().join("stdout.txt");
    let mut child = Command::new(SOOTHE)
        .arg("play")
        .args(session.args())
        .envs(base_env(session.dir.path()))
        .envs(pulse.env())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !std::fs::read_to_string(&out_path)
        .unwrap()
        .contains("First steps")
    {
        assert!(started.elapsed() < START, "the session never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    crate::support::process::signal(child.id(), libc::SIGINT);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let stdout = std::fs::read_to_string(&out_path).unwrap();
    assert!(status.success(), "{stderr}");
    assert!(
        stdout.starts_with("Live test (relaxing), 00:24\n[00:00] First steps\n"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("Second"),
        "stopped in the first step:\n{stdout}"
    );
    assert_eq!(
        stderr
            .matches("Media keys and headset buttons are off")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn regression_output_piped_to_tee_with_keys_from_the_terminal_no_longer_steps_down_in_a_staircase()
{
    // `soothe play | tee log`: stdout is a pipe (plain lines), stdin the
    // terminal (raw mode for keys), and tee writes the lines back to that
    // terminal. Raw mode cleared OPOST, so each newline went down a row
    // without going back to the first column: a diagonal staircase.
    require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    let pulse = Pulse::start(session.dir.path());
    let tmux = start(&session, &pulse, (100, 30), Stdout::Tee);
    tmux.wait_for("the first step's line", START, |s| {
        s.contains("[00:00] First steps")
    });
    tmux.keys(&["?"]);
    tmux.wait_for("the keys", Duration::from_secs(10), |s| {
        s.contains("] -- keys: space or p: pause; n, → or Page Down: next;")
    });
    tmux.keys(&["n"]);
    tmux.wait_for("the second step", Duration::from_secs(10), |s| {
        s.contains("] Second")
    });
    tmux.keys(&["q"]);
    assert_eq!(
        tmux.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tmux.stderr()
    );
    let screen = tmux.screen();
    let lines: Vec<&str> = screen.lines().filter(|l| l.contains("[00:")).collect();
    assert!(lines.len() >= 4, "{screen}");
    for line in &lines {
        assert!(
            line.starts_with("[00:"),
            "a line that does not start at the left edge:\n{screen}"
        );
    }
    // And the same lines went to the file.
    assert!(
        tmux.stdout().contains("[00:00] First steps\n"),
        "{}",
        tmux.stdout()
    );
    assert_modes_restored(&tmux);
}

#[test]
fn at_40_by_10_question_mark_shows_every_key_and_hides_them_again() {
    require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    let pulse = Pulse::start(session.dir.path());
    let tmux = start(&session, &pulse, (40, 10), Stdout::Terminal);
    // The words being spoken, and the line that says where the keys are.
    let screen = tmux.wait_for("the first prompt's words", START, |s| {
        s.contains("Rest your hands on") && s.contains("? keys")
    });
    assert!(!screen.contains("n next"), "{screen}");
    tmux.keys(&["?"]);
    let screen = tmux.wait_for("the list of keys", Duration::from_secs(10), |s| {
        s.contains("back to the session")
    });
    for key in [
        "space or p         pause",
        "n, → or Page Down  next",
        "d                  baby's done",
        "q, Esc or Ctrl-C   quit",
        "Rest your hands on",
    ] {
        assert!(screen.contains(key), "{key:?}:\n{screen}");
    }
    tmux.keys(&["?"]);
    tmux.wait_for("the session's view again", Duration::from_secs(10), |s| {
        !s.contains("back to the session") && s.contains("? keys")
    });
    tmux.keys(&["q"]);
    assert_eq!(
        tmux.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tmux.stderr()
    );
    assert_modes_restored(&tmux);
}
