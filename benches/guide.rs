//! What the guide voice costs at start-up: `soothe play` decodes every
//! prompt of the session before it starts.
//!
//!     cargo bench --bench guide
//!
//! Decodes every prompt of the built-in session from the embedded Ogg
//! Vorbis files, first at their own rate (24 kHz), then as `play` does, at
//! the session's 48 kHz (decoding and resampling with rubato), five times
//! each; reports the best and the median run.

use std::time::{Duration, Instant};

use soothe_core::session::script::Script;
use soothe_core::sound::voice::{VoiceChoice, VoiceSet};

const RUNS: usize = 5;

fn time(what: &str, seconds: f64, mut run: impl FnMut()) {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "  {what:<28} best {:>7.1} ms  median {:>7.1} ms  {:>6.0}x real time",
        times[0].as_secs_f64() * 1e3,
        times[RUNS / 2].as_secs_f64() * 1e3,
        seconds / times[0].as_secs_f64()
    );
}

fn main() {
    let script = Script::builtin();
    let voices = VoiceSet::open(&VoiceChoice::Guide, &script, None).expect("the guide voice");
    assert!(
        voices.missing.is_empty(),
        "the guide lacks {:?}",
        voices.missing
    );
    let prompts: Vec<_> = script
        .prompts_in_order()
        .into_iter()
        .map(|id| voices.get(id).expect("a guide recording").clone())
        .collect();
    let seconds: f64 = prompts
        .iter()
        .map(|p| p.len_at(48_000) as f64 / 48_000.0)
        .sum();
    println!(
        "guide voice, {} prompts, {seconds:.0} s of speech, {RUNS} runs",
        prompts.len()
    );
    time("decode (24 kHz)", seconds, || {
        for prompt in &prompts {
            std::hint::black_box(prompt.decode_native().expect("decodes"));
        }
    });
    time("decode and resample (48 kHz)", seconds, || {
        for prompt in &prompts {
            std::hint::black_box(prompt.decode(48_000).expect("decodes"));
        }
    });
}
