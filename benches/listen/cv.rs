//! `cargo bench --bench listen -- cv`: the development clips, each heard
//! by the model of the fold that held it out (target/listen-cv/fold-K.txt,
//! or `$LISTEN_CV`, as `tools/listen-train cv` wrote them; heard.txt goes
//! beside them), at a range of thresholds: the trade-off
//! curve, and the figures by kind at soothe's own threshold.
//!
//! `cargo bench --bench listen -- heldout`: the same measurements, once,
//! with soothe's own model and thresholds (or `$LISTEN_MODEL` and
//! `$LISTEN_TUNING`), on the held-out recordings in
//! target/heldout/ (`tools/listen-heldout`), which nothing was trained or
//! tuned on.
//!
//! Each cry is mixed into the session's echo at -20 dBFS, 12 s into a
//! seeded stretch of the session, and is heard when the detector says
//! "crying" within 3 s of the cry's start (and not before it); and heard
//! alone, as `soothe listen --file` hears it. Each negative is heard alone
//! at its own level (as `soothe listen --file`), 20 dB quieter, after 2 s
//! of a quiet room (-90 dBFS: as a sound begins in a still house, its
//! faint start standing out), and in the room near the microphone (-24
//! dBFS over the echo, the session playing); any "crying" is a false
//! alarm, and "fussing" without crying is counted apart.

use std::collections::BTreeMap;
use std::path::Path;

use soothe_core::listen::model::Model;
use soothe_core::listen::{Hearing, Moment, Tuning, Verdict};

use super::data::{self, Clip, Rendition};
use super::features::moments;
use super::{render, Rng};

/// Detection must come within this long of the cry's start.
const WITHIN: f64 = 3.0;
const CRY_DBFS: f64 = -20.0;
const NEAR_DBFS: f64 = -24.0;
/// The quiet room before a negative: this long, this loud (dBFS).
const QUIET: (f64, f64) = (2.0, -90.0);
const THRESHOLDS: [f32; 16] = [
    0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.875, 0.9, 0.92, 0.93, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995,
];

/// One clip played one way, as the model heard it.
struct Heard {
    kind: String,
    how: &'static str,
    /// Where the clip starts, seconds.
    start: f64,
    /// Per frame: the model's answer (if weighed) and the level.
    frames: Vec<(Option<f32>, f32, f64)>,
}

impl Heard {
    fn new(clip: &Clip, how: &'static str, r: &Rendition, model: &Model) -> Heard {
        let moments: Vec<Moment> = moments(r, model.clone());
        Heard {
            kind: clip.kind.clone(),
            how,
            start: r.start,
            frames: moments
                .iter()
                .map(|m| (m.probability, m.db, m.end_seconds()))
                .collect(),
        }
    }

    /// When crying first and fussing first were said (seconds from the
    /// clip's start), and the share of the time shown as fussing.
    fn verdict(&self, tuning: Tuning) -> (Option<f64>, Option<f64>, f64) {
        let mut v = Verdict::new(tuning);
        let (mut crying, mut fussing, mut fussy) = (None, None, 0usize);
        for (p, db, end) in &self.frames {
            let cry = p.is_some_and(|p| p >= tuning.probability);
            match v.push(cry, *db) {
                Hearing::Crying => {
                    crying.get_or_insert(end - self.start);
                }
                Hearing::Fussing => {
                    fussing.get_or_insert(end - self.start);
                    fussy += 1;
                }
                Hearing::Quiet => {}
            }
        }
        (
            crying,
            fussing,
            fussy as f64 / self.frames.len().max(1) as f64,
        )
    }
}

/// What was heard, kept in `path` so that other thresholds can be tried
/// without hearing everything again (`LISTEN_REUSE=1`).
fn keep(heard: &[Heard], path: &Path) {
    let mut out = String::new();
    for h in heard {
        out.push_str(&format!("{}\t{}\t{}\t", h.kind, h.how, h.start));
        for (p, db, end) in &h.frames {
            out.push_str(&format!("{},{db},{end} ", p.unwrap_or(-1.0)));
        }
        out.push('\n');
    }
    std::fs::write(path, out).expect("writing what was heard");
}

fn kept(path: &Path) -> Vec<Heard> {
    let text = std::fs::read_to_string(path).expect("what was heard, kept by an earlier run");
    text.lines()
        .map(|line| {
            let mut fields = line.split('\t');
            let kind = fields.next().unwrap_or("").to_string();
            let how = match fields.next().unwrap_or("") {
                "room" => "room",
                "alone" => "alone",
                "after-quiet" => "after-quiet",
                _ => "alone-20dB",
            };
            let start = fields.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
            let frames = fields
                .next()
                .unwrap_or("")
                .split_whitespace()
                .map(|f| {
                    let v: Vec<f64> = f.split(',').map(|v| v.parse().unwrap_or(0.0)).collect();
                    ((v[0] >= 0.0).then_some(v[0] as f32), v[1] as f32, v[2])
                })
                .collect();
            Heard {
                kind,
                how,
                start,
                frames,
            }
        })
        .collect()
}

/// Every clip of `clips` played every way, each heard by `model_for` it;
/// or what an earlier run kept in `cache`, with `LISTEN_REUSE` set.
fn hear_all(clips: &[Clip], cache: &Path, model_for: impl Fn(&Clip) -> Model) -> Vec<Heard> {
    if std::env::var_os("LISTEN_REUSE").is_some() {
        return kept(cache);
    }
    let heard = hear_clips(clips, model_for);
    keep(&heard, cache);
    heard
}

fn hear_clips(clips: &[Clip], model_for: impl Fn(&Clip) -> Model) -> Vec<Heard> {
    let renders: Vec<Vec<f32>> = ["relaxing", "invigorating"]
        .iter()
        .map(|v| render(v).0)
        .collect();
    let mut rng = Rng(0x5eed_0021);
    // Its own seed, so that the other renditions are as they were.
    let mut quiet_rng = Rng(0x9e7_0021);
    let mut heard = Vec::new();
    for (k, clip) in clips.iter().enumerate() {
        let model = model_for(clip);
        let played = &renders[k % 2];
        if clip.kind == "cry" {
            let r = data::in_room(&clip.path, played, CRY_DBFS, 12.0, 0.0, &mut rng);
            heard.push(Heard::new(clip, "room", &r, &model));
            heard.push(Heard::new(
                clip,
                "alone",
                &data::alone(&clip.path, 0.0),
                &model,
            ));
        } else {
            let r = data::in_room(&clip.path, played, NEAR_DBFS, 3.0, 0.0, &mut rng);
            heard.push(Heard::new(clip, "room", &r, &model));
            let alone = data::alone(&clip.path, 0.0);
            heard.push(Heard::new(clip, "alone", &alone, &model));
            let quieter = data::alone(&clip.path, -20.0);
            heard.push(Heard::new(clip, "alone-20dB", &quieter, &model));
            let after = data::after_quiet(alone, QUIET.0, QUIET.1, &mut quiet_rng);
            heard.push(Heard::new(clip, "after-quiet", &after, &model));
        }
        if k % 50 == 49 {
            eprintln!("{} of {} clips heard", k + 1, clips.len());
        }
    }
    heard
}

/// Share in percent, and the count.
fn share(n: usize, of: usize) -> String {
    format!("{:.1}% ({n} of {of})", 100.0 * n as f64 / of.max(1) as f64)
}

/// The figures at one tuning: cries heard within 3 s in the room, and
/// alone; negatives heard as crying alone, 20 dB quieter and in the
/// room, as fussing only, alone, and as crying after a quiet room.
fn figures(heard: &[Heard], tuning: Tuning) -> [(usize, usize); 7] {
    let mut f = [(0, 0); 7];
    for h in heard {
        let (crying, fussing, _) = h.verdict(tuning);
        let slot = match (h.kind == "cry", h.how) {
            (true, "room") => 0,
            (true, _) => 1,
            (false, "alone") => 2,
            (false, "alone-20dB") => 3,
            (false, "after-quiet") => 6,
            (false, _) => 4,
        };
        let hit = if slot == 0 {
            crying.is_some_and(|t| (0.0..=WITHIN).contains(&t))
        } else {
            crying.is_some()
        };
        f[slot].0 += usize::from(hit);
        f[slot].1 += 1;
        if slot == 2 {
            f[5].0 += usize::from(crying.is_none() && fussing.is_some());
            f[5].1 += 1;
        }
    }
    f
}

/// Prints the figures of `heard` at `tuning`, by kind.
fn by_kind(heard: &[Heard], tuning: Tuning) {
    let mut kinds: BTreeMap<&str, Vec<&Heard>> = BTreeMap::new();
    for h in heard.iter().filter(|h| h.kind != "cry") {
        kinds.entry(h.kind.as_str()).or_default().push(h);
    }
    println!("| kind | heard as crying, alone | 20 dB quieter | in the room | fussing (not crying), alone | time shown as fussing, alone | after a quiet room |");
    println!("|---|---|---|---|---|---|---|");
    for (kind, hs) in &kinds {
        let of = |how: &str| hs.iter().filter(|h| h.how == how).count();
        let crying = |how: &str| {
            hs.iter()
                .filter(|h| h.how == how && h.verdict(tuning).0.is_some())
                .count()
        };
        let alone: Vec<_> = hs.iter().filter(|h| h.how == "alone").collect();
        let fussing = alone
            .iter()
            .filter(|h| matches!(h.verdict(tuning), (None, Some(_), _)))
            .count();
        let time = alone.iter().map(|h| h.verdict(tuning).2).sum::<f64>() / alone.len() as f64;
        println!(
            "| {kind} | {} | {} | {} | {} | {:.1}% | {} |",
            share(crying("alone"), of("alone")),
            share(crying("alone-20dB"), of("alone-20dB")),
            share(crying("room"), of("room")),
            share(fussing, alone.len()),
            100.0 * time,
            share(crying("after-quiet"), of("after-quiet"))
        );
    }
}

fn report(heard: &[Heard], sweep: bool) {
    if sweep {
        println!("| probability | cries within 3 s, room | cries alone | negatives crying, alone | 20 dB quieter | in the room | fussing only, alone | after a quiet room |");
        println!("|---|---|---|---|---|---|---|---|");
        for th in THRESHOLDS {
            let tuning = Tuning {
                probability: th,
                ..tuning()
            };
            let f = figures(heard, tuning);
            let cells: Vec<String> = f.iter().map(|(n, of)| share(*n, *of)).collect();
            println!("| {th} | {} |", cells.join(" | "));
        }
    }
    let tuning = tuning();
    if sweep {
        println!("\n| fussing after | negatives fussing (not crying), alone | cries alone: crying or fussing |");
        println!("|---|---|---|");
        for fuss in [0.25, 0.5, 0.75, 1.0] {
            let t = Tuning {
                fuss_seconds: fuss,
                ..tuning
            };
            let f = figures(heard, t);
            let cries = heard
                .iter()
                .filter(|h| h.kind == "cry" && h.how == "alone")
                .collect::<Vec<_>>();
            let said = cries
                .iter()
                .filter(|h| {
                    let (c, f, _) = h.verdict(t);
                    c.is_some() || f.is_some()
                })
                .count();
            println!(
                "| {fuss} s within {} s | {} | {} |",
                t.fuss_window,
                share(f[5].0, f[5].1),
                share(said, cries.len())
            );
        }
    }
    let f = figures(heard, tuning);
    println!(
        "\nAt {} (fussing after {} s): cries within {WITHIN} s in the room {}, alone {}; negatives heard as crying alone {}, 20 dB quieter {}, in the room {}; fussing only {}; crying after a quiet room {}",
        tuning.probability,
        tuning.fuss_seconds,
        share(f[0].0, f[0].1),
        share(f[1].0, f[1].1),
        share(f[2].0, f[2].1),
        share(f[3].0, f[3].1),
        share(f[4].0, f[4].1),
        share(f[5].0, f[5].1),
        share(f[6].0, f[6].1)
    );
    by_kind(heard, tuning);
}

/// soothe's thresholds, or others from `LISTEN_TUNING=name=value,...`.
fn tuning() -> Tuning {
    super::tuning()
}

pub fn model_file(path: &Path) -> Model {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run tools/listen-train cv)", path.display()));
    Model::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn cv() {
    // Where `tools/listen-train cv` wrote them: `$LISTEN_CV` there too.
    let dir = data::in_target("LISTEN_CV", "listen-cv");
    let models: Vec<Model> = (0..data::FOLDS)
        .map(|k| model_file(&dir.join(format!("fold-{k}.txt"))))
        .collect();
    let clips = data::development();
    let heard = hear_all(&clips, &dir.join("heard.txt"), |clip| {
        models[clip.fold.unwrap_or(0)].clone()
    });
    report(&heard, true);
}

pub fn heldout() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/heldout");
    let mut clips: Vec<Clip> = super::wavs(&dir.join("cries"))
        .into_iter()
        .map(|path| Clip {
            group: super::family(&path),
            path,
            kind: "cry".into(),
            fold: None,
        })
        .collect();
    for path in super::wavs(&dir.join("negatives")) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        clips.push(Clip {
            kind: data::kind_of(&name),
            group: name.split('-').nth(1).unwrap_or("").into(),
            path,
            fold: None,
        });
    }
    assert!(!clips.is_empty(), "nothing in {}", dir.display());
    // soothe's model, or `$LISTEN_MODEL`'s, as every run but `cv` hears with.
    let model = super::model();
    let heard = hear_all(&clips, &dir.join("heard.txt"), |_| model.clone());
    report(&heard, std::env::var_os("LISTEN_SWEEP").is_some());
}
