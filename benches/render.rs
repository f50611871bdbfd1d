//! Render speed of the built-in session, as a multiple of real time, in
//! each format, and beside the `lame` command.
//!
//!     cargo bench --bench render
//!
//! Renders the whole relaxing session with `soothe render` (the same code,
//! called in-process) to WAV, FLAC and MP3 in a temporary folder, five
//! times each, and reports the best and the median run and the file's
//! size. Then, when the `lame` command is installed, it times `lame`
//! encoding soothe's own WAV of the session to MP3 with the same settings
//! (`-b 64 -m m`, LAME's default quality), five times, in the same run,
//! with and without its ReplayGain analysis.
//! The folder is in `$SOOTHE_BENCH_DIR` when set (say, a RAM disk), else
//! in the system's temporary folder. Peak memory is measured on the
//! release binary with `/usr/bin/time -v` (see BENCHMARKS.md).

use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

use soothe::app::{Command, Levels, Prepared, RenderArgs, SessionArgs};
use soothe_core::session::select::Selection;
use soothe_core::sound::voice::VoiceChoice;

const RUNS: usize = 5;

fn main() {
    let dir = match std::env::var_os("SOOTHE_BENCH_DIR") {
        Some(parent) => tempfile::tempdir_in(parent),
        None => tempfile::tempdir(),
    }
    .expect("a temporary folder");
    println!("writing to {}", dir.path().display());
    let session = SessionArgs {
        script: None,
        language: soothe::app::LanguagePick::ENGLISH,
        selection: Selection::default(),
        voice: VoiceChoice::Guide,
        from: None,
        without: Vec::new(),
    };
    let timeline = Prepared::new(&session)
        .expect("the built-in session")
        .timeline;
    let seconds = timeline.seconds(timeline.total_samples);
    println!("built-in session (relaxing, {seconds:.0} s of audio), {RUNS} runs each");
    for name in ["wav", "flac", "mp3"] {
        let path = dir.path().join(format!("session.{name}"));
        let times = measure(|| {
            soothe::app::run(Command::Render {
                session: session.clone(),
                levels: Levels::UNITY,
                render: RenderArgs {
                    output: path.clone(),
                    split: false,
                    format: None,
                    bitrate: None,
                },
            })
            .expect("the render");
        });
        report(
            &format!("soothe render -o session.{name}"),
            &times,
            seconds,
            &path,
        );
    }
    let wav = dir.path().join("session.wav");
    let out = dir.path().join("lame.mp3");
    // LAME's command computes ReplayGain by default, which soothe's LAME
    // (the library) does not: timed both ways.
    for options in [
        &["-b", "64", "-m", "m"][..],
        &["-b", "64", "-m", "m", "--noreplaygain"],
    ] {
        let lame = || {
            Process::new("lame")
                .arg("--silent")
                .args(options)
                .arg(&wav)
                .arg(&out)
                .status()
        };
        match lame() {
            Ok(status) if status.success() => {
                let times = measure(|| assert!(lame().unwrap().success()));
                let what = format!("lame {} session.wav", options.join(" "));
                report(&what, &times, seconds, &out);
            }
            _ => {
                println!("lame: not installed (apt-get install lame), no comparison");
                break;
            }
        }
    }
}

fn measure(mut run: impl FnMut()) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn report(what: &str, times: &[Duration], seconds: f64, file: &Path) {
    let best = times[0];
    let median = times[RUNS / 2];
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "{what:<48} best {:>7.1} ms ({:>5.0}x)  median {:>7.1} ms ({:>5.0}x)  {:>6.2} MB",
        best.as_secs_f64() * 1e3,
        seconds / best.as_secs_f64(),
        median.as_secs_f64() * 1e3,
        seconds / median.as_secs_f64(),
        size as f64 / 1e6
    );
}
