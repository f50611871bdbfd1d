//! `cargo bench --bench listen -- features`: every development clip
//! played to the detector in several ways, and each frame as the model
//! sees it, written for `tools/listen-train` to target/listen-features/
//! (or `$LISTEN_FEATURES`): in `short/`, for a network that looks back
//! over 1 s (soothe's); with `LISTEN_LONG=1` (an experiment: BENCHMARKS.md,
//! "Two networks, their answers averaged") also in `long/`, for one that
//! looks back over 2 s.
//!
//! In each:
//! - `frames.f32`: rows of little-endian f32: the frame's level (dBFS),
//!   its target (1 a cry sounds through most of the moment ending there,
//!   0 no cry, -1 some: not trained on), and its numbers
//!   (soothe_core::listen::context::frame_vector; zeros when the frame
//!   does not sound).
//! - `renditions.tsv`: which rows are which clip, played how, its kind,
//!   group and fold; its header names the moment (the frames the network
//!   looks back over, and ENOUGH of soothe_core::listen::context), which
//!   tools/listen-train trains on.
//!
//! The renditions: each cry alone at its own level, alone played 0.88 to
//! 1.12 times as fast (higher or lower, quicker or slower), and twice in
//! the room, over the session's echo at -36 to -12 dBFS, through a random
//! spectral tilt (once at its own speed, once 0.85 to 1.2 times it); each
//! negative alone at its own level, 20 dB quieter, alone 0.75 to 0.9 and
//! 1.15 to 1.45 times as fast (a man from a woman, a child from an adult,
//! another animal), through a telephone codec (GSM 06.10 at 8 kHz, from
//! target/listen-coded/, made by tools/listen-coded: most of the cries were
//! recorded by phones, and a model must not learn the codec for the cry),
//! and twice in the room the same way; and, in every fold's training, the
//! session's echo alone (both variants, whole) and made steady tones
//! switched on and off. Seeded: the same clips give the same file.
//!
//! The 2 s network also hears each cry once more over a real non-cry of
//! its own fold (so that no fold's model hears another fold's
//! negatives): the cry at -30 to -12 dBFS, the other sound 0 to 15 dB
//! under it and begun 1 to 3 s before it, heard alone. Its other rows are
//! the 1 s network's, with targets for its longer moment.

use std::io::Write;

use soothe_core::listen::context::{CONTEXT, ENOUGH, LONGEST, PER_FRAME};
use soothe_core::listen::model::Model;
use soothe_core::listen::{Listener, Moment, Tuning};

use super::data::{self, Clip, Rendition};
use super::{render, Rng, Room, MIC_RATE, PIECE};

/// A model whose answers do not matter: the frames' numbers do not
/// depend on it.
pub fn any_model() -> Model {
    let zeros = vec!["0"; PER_FRAME].join(" ");
    let ones = vec!["1"; PER_FRAME].join(" ");
    Model::parse(&format!(
        "mean {PER_FRAME} : {zeros}\nscale {PER_FRAME} : {ones}\n\
         conv.w 1 {PER_FRAME} 1 : {zeros}\nconv.b 1 : 0\nconv.pool 1 : 1\n\
         dense.w 1 2 : 0 0\ndense.b 1 : 0\n"
    ))
    .expect("a model")
}

/// Every frame of `r` as the listener (with `model`) saw it.
pub fn moments(r: &Rendition, model: Model) -> Vec<Moment> {
    let mut listener = Listener::with_model(r.rate, r.rate, Tuning::default(), model);
    listener.keep_moments();
    let piece = (r.rate / 50).max(1) as usize;
    match &r.reference {
        Some(reference) => {
            for (m, p) in r.mic.chunks(piece).zip(reference.chunks(piece)) {
                listener.push(m, p);
            }
        }
        None => {
            for m in r.mic.chunks(piece) {
                listener.push_alone(m);
            }
        }
    }
    listener.take_moments()
}

/// The target of each moment of `context` frames: 1 where the cry sounds
/// through at least half of the moment and in its last frame, -1 where it
/// sounds in some of it, 0 where it does not.
fn targets(r: &Rendition, moments: &[Moment], cry: bool, context: usize) -> Vec<f32> {
    moments
        .iter()
        .map(|m| {
            let t = m.end_seconds() - r.start;
            if !cry || t < 0.0 {
                return 0.0;
            }
            let last = (t / 0.016) as usize;
            let first = (last + 1).saturating_sub(context);
            let window = &r.on[first.min(r.on.len())..(last + 1).min(r.on.len())];
            let share = window.iter().filter(|s| **s).count() as f64 / context as f64;
            if r.on.get(last).copied().unwrap_or(false) && share >= 0.5 {
                1.0
            } else if share > 0.0 {
                -1.0
            } else {
                0.0
            }
        })
        .collect()
}

/// A steady tone (300 Hz to 4 kHz, -50 to -20 dBFS) after 3 s of a quiet
/// room, for 6 s, then the room again: a whistle, a beep, a kettle.
fn tone(rng: &mut Rng) -> Rendition {
    let hz = 300.0 * (4_000.0f64 / 300.0).powf(rng.next());
    let amplitude = 10f64.powf(rng.range(-50.0, -20.0) / 20.0) * 2f64.sqrt();
    let rate = f64::from(MIC_RATE);
    let noise = 10f64.powf(-65.0 / 20.0);
    let mic = (0..(11.0 * rate) as usize)
        .map(|i| {
            let t = i as f64 / rate;
            let on = (3.0..9.0).contains(&t);
            let s = if on {
                amplitude * (2.0 * std::f64::consts::PI * hz * t).sin()
            } else {
                0.0
            };
            (s + noise * rng.normal()) as f32
        })
        .collect();
    Rendition {
        mic,
        reference: None,
        rate: MIC_RATE,
        start: 0.0,
        on: Vec::new(),
    }
}

/// The negatives through GSM 06.10 at 8 kHz (see BENCHMARKS.md), if made:
/// `$LISTEN_CODED`, else target/listen-coded/.
fn coded_dir() -> std::path::PathBuf {
    data::in_target("LISTEN_CODED", "listen-coded")
}

/// The networks frames are made for: where each one's frames go, the
/// frames it looks back over, and whether its cries are also heard over
/// real non-cries. soothe's model is the first; the second is made only
/// with `LISTEN_LONG` set.
const NETWORKS: [(&str, usize, bool); 2] = [("short", CONTEXT, false), ("long", LONGEST, true)];

/// One network's frames and their index.
struct Set {
    frames: std::io::BufWriter<std::fs::File>,
    index: std::io::BufWriter<std::fs::File>,
    rows: usize,
    context: usize,
    over: bool,
}

impl Set {
    fn create(dir: &std::path::Path, context: usize, over: bool) -> Set {
        std::fs::create_dir_all(dir).expect("target/listen-features");
        let file = |name: &str| {
            let path = dir.join(name);
            let file = std::fs::File::create(&path);
            std::io::BufWriter::new(file.unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        };
        let mut set = Set {
            frames: file("frames.f32"),
            index: file("renditions.tsv"),
            rows: 0,
            context,
            over,
        };
        writeln!(
            set.index,
            "name\tkind\tgroup\tfold\thow\tfirst_row\trows\t# {} numbers a row: db, target, then {PER_FRAME}; \
             moments of {context} frames, weighed once {ENOUGH} sound",
            PER_FRAME + 2
        )
        .expect("writing");
        set
    }
}

/// Every network's frames.
struct Out {
    sets: Vec<Set>,
}

impl Out {
    /// `r`'s frames to every network's set; `over`: only to those that
    /// hear cries over real non-cries.
    fn write(&mut self, name: &str, clip: Option<&Clip>, how: &str, r: &Rendition) {
        let cry = clip.is_some_and(|c| c.kind == "cry");
        let moments = moments(r, any_model());
        let (kind, group, fold) = clip.map_or(("made", "made", -1), |c| {
            (
                c.kind.as_str(),
                c.group.as_str(),
                c.fold.map_or(-1, |f| f as i64),
            )
        });
        for set in self.sets.iter_mut().filter(|s| s.over || how != "over") {
            let targets = targets(r, &moments, cry, set.context);
            for (m, target) in moments.iter().zip(targets) {
                let numbers = m.numbers.unwrap_or([0.0; PER_FRAME]);
                let row = std::iter::once(m.db).chain([target]).chain(numbers);
                for v in row {
                    set.frames.write_all(&v.to_le_bytes()).expect("writing");
                }
            }
            writeln!(
                set.index,
                "{name}\t{kind}\t{group}\t{fold}\t{how}\t{}\t{}",
                set.rows,
                moments.len()
            )
            .expect("writing");
            set.rows += moments.len();
        }
    }
}

pub fn run() {
    let dir = data::in_target("LISTEN_FEATURES", "listen-features");
    let networks = match std::env::var_os("LISTEN_LONG") {
        Some(_) => NETWORKS.len(),
        None => 1,
    };
    // No set left from another run: the sets trained together come from one.
    for (name, ..) in &NETWORKS[networks..] {
        let _ = std::fs::remove_dir_all(dir.join(name));
    }
    let mut out = Out {
        sets: NETWORKS
            .iter()
            .take(networks)
            .map(|(name, context, over)| Set::create(&dir.join(name), *context, *over))
            .collect(),
    };
    let mut rng = Rng(0x7a11_0021);
    // Its own seed, so that every other rendition is as without it.
    let mut over_rng = Rng(0x0fe7_0021);
    let renders: Vec<Vec<f32>> = ["relaxing", "invigorating"]
        .iter()
        .map(|v| render(v).0)
        .collect();
    let clips = data::development();
    for (k, clip) in clips.iter().enumerate() {
        let name = clip.path.file_name().unwrap().to_string_lossy().to_string();
        let cry = clip.kind == "cry";
        out.write(&name, Some(clip), "alone", &data::alone(&clip.path, 0.0));
        // Faster and slower: other voices from the same recordings.
        let speeds = if cry {
            vec![rng.range(0.88, 1.12)]
        } else {
            vec![rng.range(0.75, 0.9), rng.range(1.15, 1.45)]
        };
        for speed in speeds {
            let r = data::faster(&clip.path, rng.range(-20.0, 0.0), speed);
            out.write(&name, Some(clip), "faster", &r);
        }
        if !cry {
            let r = data::alone(&clip.path, -20.0);
            out.write(&name, Some(clip), "alone-20dB", &r);
            // Through a telephone codec, as most of the cries came.
            let coded = coded_dir().join(&name);
            if coded.is_file() {
                out.write(&name, Some(clip), "coded", &data::alone(&coded, 0.0));
                let r = data::faster(&coded, rng.range(-20.0, 0.0), rng.range(0.8, 1.4));
                out.write(&name, Some(clip), "coded-faster", &r);
            }
        }
        if cry && out.sets.iter().any(|s| s.over) {
            // For the 2 s network: once more over a real non-cry of the
            // same fold, so that a fold's model never hears the other
            // folds' negatives.
            let same: Vec<&Clip> = clips
                .iter()
                .filter(|c| c.kind != "cry" && c.fold.is_some() && c.fold == clip.fold)
                .collect();
            if !same.is_empty() {
                let b = same[(over_rng.next() * same.len() as f64) as usize % same.len()];
                let cry_db = over_rng.range(-30.0, -12.0);
                let b_db = cry_db - over_rng.range(0.0, 15.0);
                let lead = over_rng.range(1.0, 3.0);
                let r = data::over(&clip.path, &b.path, (cry_db, b_db), lead);
                out.write(&name, Some(clip), "over", &r);
            }
        }
        for pass in 0..2 {
            let played = &renders[(k + pass) % 2];
            let (dbfs, tilt) = (rng.range(-36.0, -12.0), rng.range(-0.6, 0.6));
            let speed = if pass == 0 { 1.0 } else { rng.range(0.85, 1.2) };
            let lead = if cry { 6.0 } else { 3.0 };
            let r = data::in_room_faster(&clip.path, played, (dbfs, speed), lead, tilt, &mut rng);
            out.write(&name, Some(clip), "room", &r);
        }
        if k % 50 == 0 {
            println!("{k} of {} clips", clips.len());
        }
    }
    for (v, played) in ["relaxing", "invigorating"].iter().zip(&renders) {
        let room = Room::random(&mut rng);
        let r = Rendition {
            mic: room.echo(played, 0, played.len(), &mut rng),
            reference: Some(played.clone()),
            rate: MIC_RATE,
            start: 0.0,
            on: Vec::new(),
        };
        out.write(&format!("echo-{v}"), None, "room", &r);
    }
    for k in 0..24 {
        out.write(&format!("tone-{k}"), None, "alone", &tone(&mut rng));
    }
    let _ = PIECE;
    for set in &mut out.sets {
        set.frames.flush().expect("writing");
        set.index.flush().expect("writing");
    }
    let rows: Vec<String> = out.sets.iter().map(|s| s.rows.to_string()).collect();
    println!("{} frames written to {}", rows.join(" and "), dir.display());
}
