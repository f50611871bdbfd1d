//! `cargo bench --bench listen -- train`: trains the crying model
//! (crates/soothe-core/src/listen/model.rs) and writes crates/soothe-core/src/listen/model.txt.
//!
//! The positives are the development families' cries (never the held-out
//! ones), each mixed three times into a stretch of the session's echo, at
//! -36 to -12 dBFS, in a room of its own: a moment counts as a cry while
//! the cry itself sounds through most of it. The negatives are every
//! sounding moment of the whole session's echo (both variants), alone and
//! with excerpts of adult speech, humming and singing near the microphone
//! (recorded by tools/listen-data, and made here: [`singer`]) at the same
//! levels, and of household noise (recorded there, and mains hums made
//! here: [`hum`]); and the echo before each cry. Every
//! sound goes through a random tilt of its spectrum, so that no
//! microphone's colour tells a cry.
//! Everything is seeded: the same data trains the same weights.

use std::path::Path;

use soothe_core::listen::model::{Model, CONTEXT, INPUTS};
use soothe_core::listen::{Listener, Moment, Tuning};

use super::{
    cries_dir, family, held_out, level, read, render, resample, wavs, Rng, Room, MIC_RATE, PIECE,
};

const HIDDEN: usize = 24;
/// Hidden units are at most this many (`LISTEN_HIDDEN` tries others).
const MAX_HIDDEN: usize = 64;
const EPOCHS: usize = 40;
const BATCH: usize = 128;
/// Made adult voices, 20 s each, beside the recorded ones.
const SINGERS: usize = 40;
/// Each development cry, mixed into the session this many times.
const MIXES: usize = 3;
/// Made mains hums, 20 s each.
const HUMS: usize = 8;
/// Passes over each variant's whole session: the echo alone, then with
/// other sounds.
const PASSES: usize = 5;

struct Example {
    x: [f32; INPUTS],
    cry: bool,
}

/// The listener's moments over `mic` (48 kHz) with `reference`.
fn moments(mic: &[f32], reference: &[f32]) -> Vec<Moment> {
    // The moments' inputs do not depend on the model: any will do.
    let untrained = Model {
        mean: vec![0.0; INPUTS],
        scale: vec![1.0; INPUTS],
        w1: vec![0.0; INPUTS],
        b1: vec![0.0],
        w2: vec![0.0],
        b2: 0.0,
    };
    let mut listener = Listener::with_model(MIC_RATE, MIC_RATE, Tuning::default(), untrained);
    listener.keep_moments();
    for (m, r) in mic.chunks(PIECE).zip(reference.chunks(PIECE)) {
        listener.push(m, r);
    }
    listener.take_moments()
}

/// Per 16 ms of `x` (48 kHz): whether it sounds, within 25 dB of the
/// clip's level.
fn sounding(x: &[f32], dbfs: f64) -> Vec<bool> {
    x.chunks(768)
        .map(|c| {
            let r = (c.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / c.len() as f64).sqrt();
            20.0 * r.max(1e-9).log10() > dbfs - 25.0
        })
        .collect()
}

fn cries(renders: &[(Vec<f32>, u32)], rng: &mut Rng, out: &mut Vec<Example>) {
    let mut clips = 0;
    for (k, path) in wavs(&cries_dir()).iter().enumerate() {
        if held_out(&family(path)) {
            continue;
        }
        clips += 1;
        let (x, rate) = read(path);
        let x = resample(&x, rate, MIC_RATE);
        for _ in 0..knob("LISTEN_MIXES", MIXES) {
            let dbfs = rng.range(-36.0, -12.0);
            let cry = level(&tilt(&x, rng.range(-0.6, 0.6)), dbfs);
            let on = sounding(&cry, dbfs);
            let (played, _) = &renders[k % 2];
            let room = Room::random(rng);
            let lead = 6 * MIC_RATE as usize;
            let len = lead + cry.len() + MIC_RATE as usize;
            let start = rng.range(0.0, (played.len() - 2 * len) as f64) as usize;
            let mut mic = room.echo(played, start, len, rng);
            for (m, c) in mic[lead..].iter_mut().zip(&cry) {
                *m += c;
            }
            let lead_s = lead as f64 / f64::from(MIC_RATE);
            for m in moments(&mic, &played[start..start + len]) {
                let t = m.end_seconds() - lead_s;
                if t < 0.0 {
                    out.push(Example {
                        x: m.inputs,
                        cry: false,
                    });
                    continue;
                }
                // The cry's own 16 ms pieces over the moment.
                let last = (t / 0.016) as usize;
                let first = last.saturating_sub(CONTEXT - 1);
                let window = &on[first.min(on.len())..(last + 1).min(on.len())];
                let share = window.iter().filter(|s| **s).count() as f64 / CONTEXT as f64;
                if on.get(last).copied().unwrap_or(false) && share >= 0.5 {
                    out.push(Example {
                        x: m.inputs,
                        cry: true,
                    });
                }
            }
        }
    }
    println!(
        "{clips} development cries, each mixed {} times",
        knob("LISTEN_MIXES", MIXES)
    );
}

fn others(renders: &[(Vec<f32>, u32)], rng: &mut Rng, out: &mut Vec<Example>) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/listen-data");
    let near: Vec<_> = ["speech", "song"]
        .iter()
        .flat_map(|f| wavs(&data.join(f)))
        .collect();
    let noise = wavs(&data.join("noise"));
    assert!(
        !near.is_empty() && !noise.is_empty(),
        "no target/listen-data: run tools/listen-data first"
    );
    let mut sounds: Vec<(Vec<f32>, bool)> = near
        .iter()
        .map(|p| (p, true))
        .chain(noise.iter().map(|p| (p, false)))
        .map(|(p, near)| {
            let (x, rate) = read(p);
            (resample(&x, rate, MIC_RATE), near)
        })
        .collect();
    sounds.extend((0..SINGERS).map(|_| (singer(rng, 20.0), true)));
    sounds.extend((0..HUMS).map(|_| (hum(rng, 20.0), false)));
    for (played, _) in renders {
        for pass in 0..PASSES {
            let room = Room::random(rng);
            let mut mic = room.echo(played, 0, played.len(), rng);
            // After a pass of the echo alone, an excerpt of every sound,
            // in a shuffled order, with pauses between.
            let mut order: Vec<usize> = (0..sounds.len()).collect();
            rng.shuffle(&mut order);
            let mut at = 0;
            for &k in order.iter().filter(|_| pass > 0) {
                let (x, near) = &sounds[k];
                let len = ((rng.range(15.0, 25.0) * f64::from(MIC_RATE)) as usize).min(x.len());
                let from = rng.range(0.0, (x.len() - len) as f64) as usize;
                let x = &x[from..from + len];
                let x = tilt(x, rng.range(-0.6, 0.6));
                let x = if *near {
                    level(&x, rng.range(-36.0, -12.0))
                } else {
                    let db = rng.range(-10.0, 6.0);
                    x.iter().map(|s| s * 10f32.powf(db as f32 / 20.0)).collect()
                };
                if at + x.len() > mic.len() {
                    break;
                }
                for (m, s) in mic[at..].iter_mut().zip(&x) {
                    *m += s;
                }
                at += x.len() + (rng.range(0.5, 3.0) * f64::from(MIC_RATE)) as usize;
            }
            out.extend(moments(&mic, played).into_iter().map(|m| Example {
                x: m.inputs,
                cry: false,
            }));
        }
    }
}

/// The same sound through a first-order tilt: brighter (`a` < 0) or
/// duller (`a` > 0), as another microphone or room would give it.
fn tilt(x: &[f32], a: f64) -> Vec<f32> {
    let a = a as f32;
    let mut last = 0.0;
    x.iter()
        .map(|&s| {
            let y = (s + a * last) / (1.0 + a.abs());
            last = s;
            y
        })
        .collect()
}

/// An adult voice that is not in the recordings: a melody sung or hummed
/// (notes held with vibrato), or speech-like syllables gliding in pitch,
/// at 130-600 Hz, with a spectrum from bright to dull.
fn singer(rng: &mut Rng, seconds: f64) -> Vec<f32> {
    let rate = f64::from(MIC_RATE);
    let base = rng.range(130.0, 600.0);
    let roll_off = rng.range(0.7, 2.8);
    let speech = rng.next() < 0.35;
    let (vibrato_hz, vibrato) = (rng.range(4.0, 7.0), rng.range(0.002, 0.03));
    let breath = rng.range(0.0, 0.08) * f64::from(u8::from(rng.next() < 0.7));
    let top = rng.range(2_500.0, 3_900.0);
    let mut out = Vec::with_capacity((seconds * rate) as usize);
    let mut phase = 0.0f64;
    let mut semitone = 0.0f64;
    while (out.len() as f64) < seconds * rate {
        let (len, glide) = if speech {
            (rng.range(0.12, 0.35), rng.range(-4.0, 3.0))
        } else {
            (rng.range(0.3, 1.6), 0.0)
        };
        semitone = (semitone + rng.range(-4.0, 4.0)).clamp(-7.0, 7.0);
        let n = (len * rate) as usize;
        for i in 0..n {
            let t = i as f64 / rate;
            let f0 = base
                * 2f64.powf((semitone + glide * t / len) / 12.0)
                * (1.0 + vibrato * (2.0 * std::f64::consts::PI * vibrato_hz * t).sin());
            phase += 2.0 * std::f64::consts::PI * f0 / rate;
            let envelope = (t / 0.03).min((len - t) / 0.06).clamp(0.0, 1.0);
            let harmonics = (top / f0) as usize;
            let voice: f64 = (1..=harmonics.max(1))
                .map(|k| (k as f64 * phase).sin() / (k as f64).powf(roll_off))
                .sum();
            out.push((0.1 * envelope * (voice + breath * rng.normal())) as f32);
        }
        let gap = (rng.range(0.05, 0.5) * rate) as usize;
        out.extend(std::iter::repeat_n(0.0, gap));
    }
    out
}

/// Mains hum: 50 or 60 Hz and some of its harmonics, over a little
/// noise, at -45 to -25 dBFS, swelling a little.
fn hum(rng: &mut Rng, seconds: f64) -> Vec<f32> {
    let rate = f64::from(MIC_RATE);
    let mains = if rng.next() < 0.5 { 50.0 } else { 60.0 };
    let weights: Vec<f64> = (1..=10)
        .map(|k| rng.next().powi(2) / f64::from(k).powf(rng.range(0.0, 1.5)))
        .collect();
    let noise = rng.range(0.0, 0.1);
    let (swell_hz, swell) = (rng.range(0.05, 0.5), rng.range(0.0, 0.3));
    let x: Vec<f32> = (0..(seconds * rate) as usize)
        .map(|i| {
            let t = i as f64 / rate;
            let tone: f64 = weights
                .iter()
                .enumerate()
                .map(|(k, w)| w * (2.0 * std::f64::consts::PI * mains * (k + 1) as f64 * t).sin())
                .sum();
            let s = tone * (1.0 + swell * (2.0 * std::f64::consts::PI * swell_hz * t).sin());
            (s + noise * rng.normal()) as f32
        })
        .collect();
    level(&x, rng.range(-45.0, -25.0))
}

/// Adam on the weighted cross-entropy (the classes weigh the same).
fn fit(examples: &[Example], rng: &mut Rng) -> Model {
    let n = examples.len() as f32;
    let mut mean = vec![0.0f32; INPUTS];
    let mut scale = vec![0.0f32; INPUTS];
    for e in examples {
        for (m, x) in mean.iter_mut().zip(&e.x) {
            *m += x / n;
        }
    }
    for e in examples {
        for ((s, x), m) in scale.iter_mut().zip(&e.x).zip(&mean) {
            *s += (x - m).powi(2) / n;
        }
    }
    for s in &mut scale {
        *s = s.sqrt().max(1e-3);
    }
    let z: Vec<[f32; INPUTS]> = examples
        .iter()
        .map(|e| std::array::from_fn(|k| (e.x[k] - mean[k]) / scale[k]))
        .collect();
    let positives = examples.iter().filter(|e| e.cry).count() as f32;
    let weight = |cry: bool| {
        if cry {
            0.5 * n / positives
        } else {
            0.5 * n / (n - positives)
        }
    };
    // Parameters in one vector: w1, b1, w2, b2.
    let hidden = knob("LISTEN_HIDDEN", HIDDEN).min(MAX_HIDDEN);
    let size = hidden * INPUTS + 2 * hidden + 1;
    let mut p: Vec<f32> = (0..size)
        .map(|i| {
            if i < hidden * INPUTS {
                (rng.normal() / (INPUTS as f64).sqrt()) as f32
            } else if i >= hidden * INPUTS + hidden && i < size - 1 {
                (rng.normal() / (hidden as f64).sqrt()) as f32
            } else {
                0.0
            }
        })
        .collect();
    let (mut m1, mut m2) = (vec![0.0f32; size], vec![0.0f32; size]);
    let (beta1, beta2, decay) = (0.9f32, 0.999f32, 1e-4f32);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut step = 0;
    let b1 = hidden * INPUTS;
    let w2 = b1 + hidden;
    for epoch in 0..EPOCHS {
        let lr = 0.003 * (1.0 - epoch as f32 / EPOCHS as f32) + 1e-4;
        rng.shuffle(&mut order);
        let mut loss = 0.0f64;
        for batch in order.chunks(BATCH) {
            let mut g = vec![0.0f32; size];
            for &i in batch {
                let x = &z[i];
                let mut a = [0.0f32; MAX_HIDDEN];
                let mut out = p[size - 1];
                for j in 0..hidden {
                    let row = &p[j * INPUTS..(j + 1) * INPUTS];
                    a[j] = (row.iter().zip(x).map(|(w, x)| w * x).sum::<f32>() + p[b1 + j]).tanh();
                    out += p[w2 + j] * a[j];
                }
                let y = 1.0 / (1.0 + (-out).exp());
                let t = if examples[i].cry { 1.0 } else { 0.0 };
                let w = weight(examples[i].cry);
                loss -=
                    f64::from(w * (t * y.max(1e-7).ln() + (1.0 - t) * (1.0 - y).max(1e-7).ln()));
                let d = w * (y - t) / batch.len() as f32;
                g[size - 1] += d;
                for j in 0..hidden {
                    g[w2 + j] += d * a[j];
                    let da = d * p[w2 + j] * (1.0 - a[j] * a[j]);
                    g[b1 + j] += da;
                    for (gk, xk) in g[j * INPUTS..(j + 1) * INPUTS].iter_mut().zip(x) {
                        *gk += da * xk;
                    }
                }
            }
            step += 1;
            let (c1, c2) = (1.0 - beta1.powi(step), 1.0 - beta2.powi(step));
            for k in 0..size {
                let gk = g[k] + decay * p[k];
                m1[k] = beta1 * m1[k] + (1.0 - beta1) * gk;
                m2[k] = beta2 * m2[k] + (1.0 - beta2) * gk * gk;
                p[k] -= lr * (m1[k] / c1) / ((m2[k] / c2).sqrt() + 1e-8);
            }
        }
        if epoch % 10 == 9 || epoch == 0 {
            println!("epoch {:>2}: loss {:.4}", epoch + 1, loss / f64::from(n));
        }
    }
    Model {
        mean,
        scale,
        w1: p[..b1].to_vec(),
        b1: p[b1..w2].to_vec(),
        w2: p[w2..size - 1].to_vec(),
        b2: p[size - 1],
    }
}

/// A number from the environment (to try other training), else `default`.
fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn run() {
    let mut rng = Rng(0x7a11_0013);
    let renders: Vec<(Vec<f32>, u32)> = ["relaxing", "invigorating"]
        .iter()
        .map(|v| render(v))
        .collect();
    let mut examples = Vec::new();
    cries(&renders, &mut rng, &mut examples);
    others(&renders, &mut rng, &mut examples);
    let positives = examples.iter().filter(|e| e.cry).count();
    println!(
        "{} moments: {positives} of crying, {} of everything else",
        examples.len(),
        examples.len() - positives
    );
    let model = fit(&examples, &mut rng);
    let right = examples
        .iter()
        .filter(|e| (model.probability(&e.x) >= 0.5) == e.cry)
        .count();
    println!(
        "on its own training moments: {:.1}% right",
        100.0 * right as f64 / examples.len() as f64
    );
    // LISTEN_MODEL: elsewhere, to try a model without touching soothe's.
    let path = std::env::var_os("LISTEN_MODEL").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/soothe-core/src/listen/model.txt"),
        std::path::PathBuf::from,
    );
    let comment = format!(
        "soothe's crying model (crates/soothe-core/src/listen/model.rs): {INPUTS} inputs, {} hidden units.\n\
         Trained by `cargo bench --bench listen -- train` (benches/listen/train.rs)\n\
         on {positives} moments of the donateacry corpus's development families'\n\
         cries (ODbL; ../shared/data/cries/README.md) and {} moments of the\n\
         session's echo, adult speech, song and household noise (tools/listen-data).",
        model.hidden(),
        examples.len() - positives
    );
    std::fs::write(&path, model.to_text(&comment))
        .expect("writing crates/soothe-core/src/listen/model.txt");
    println!("wrote {}", path.display());
}
