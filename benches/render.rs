//! Render speed of the built-in session, as a multiple of real time.
//!
//!     cargo bench --bench render
//!
//! Renders the whole relaxing session to a WAV file in a temporary folder,
//! five times, and reports the best and the median run. The folder is in
//! `$SOOTHE_BENCH_DIR` when set (say, on a disk, where the final fsync of
//! 78 MB weighs), else in the system's temporary folder. Peak memory is
//! measured on the release binary with `/usr/bin/time -v` (see
//! BENCHMARKS.md).

use std::sync::Arc;
use std::time::{Duration, Instant};

use soothe::app::{Prepared, SessionArgs};
use soothe::select::Selection;
use soothe::source::{Control, SessionSource};
use soothe::voice::VoiceChoice;

const RUNS: usize = 5;

fn main() {
    let dir = match std::env::var_os("SOOTHE_BENCH_DIR") {
        Some(parent) => tempfile::tempdir_in(parent),
        None => tempfile::tempdir(),
    }
    .expect("a temporary folder");
    println!("writing to {}", dir.path().display());
    let path = dir.path().join("session.wav");
    let args = SessionArgs {
        script: None,
        selection: Selection::default(),
        voice: VoiceChoice::Guide,
    };
    let mut times: Vec<Duration> = Vec::new();
    let mut session_seconds = 0.0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let prepared = Prepared::new(&args).expect("the built-in session");
        let timeline = prepared.timeline.clone();
        session_seconds = timeline.seconds(timeline.total_samples);
        let control = Control::new(1.0, 1.0);
        let mut source = SessionSource::new(timeline.clone(), Arc::new(prepared.sounds), control);
        soothe::wav::write_file(
            &path,
            timeline.sample_rate,
            |b| source.fill(b),
            |_| {},
            || Ok(()),
        )
        .expect("the render");
        times.push(started.elapsed());
    }
    times.sort();
    let best = times[0];
    let median = times[RUNS / 2];
    println!("render, built-in session (relaxing, {session_seconds:.0} s of audio), {RUNS} runs");
    println!(
        "  best   {:>8.1} ms  {:>6.0}x real time",
        best.as_secs_f64() * 1e3,
        session_seconds / best.as_secs_f64()
    );
    println!(
        "  median {:>8.1} ms  {:>6.0}x real time",
        median.as_secs_f64() * 1e3,
        session_seconds / median.as_secs_f64()
    );
}
