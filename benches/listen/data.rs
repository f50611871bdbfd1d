//! The development clips, their kinds and their folds, and how each is
//! played to the detector (a rendition).
//!
//! Cries are ../shared/data/cries (`$SOOTHE_CRIES`), split into folds by
//! family (the app instance id); negatives are ../shared/data/negatives
//! (`$SOOTHE_NEGATIVES`) and, when made, the further real recordings of
//! `tools/listen-negatives` (target/listen-negatives/, or
//! `$SOOTHE_MORE_NEGATIVES`), split into folds by source package (the
//! second field of `KIND-SOURCE-N.wav`). Every clip is held out by exactly one of
//! the [`FOLDS`] folds. The held-out sources the listening issue names
//! are never among them: they are read only by `heldout`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{level, read, resample, Rng, Room, MIC_RATE};

pub const FOLDS: usize = 5;

/// A recording and what it is.
#[derive(Debug, Clone)]
pub struct Clip {
    pub path: PathBuf,
    /// `cry`, or the negative's kind: speech, child, singing, laughter,
    /// household, animal, music.
    pub kind: String,
    /// The family (cries) or source package (negatives).
    pub group: String,
    /// The fold that holds it out (`None`: made sounds, always trained on).
    pub fold: Option<usize>,
}

/// Where the data lives: `$VAR`, else beside the repository (or beside
/// the folder of worktrees).
pub fn shared(var: &str, folder: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os(var) {
        return dir.into();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for up in ["..", "../.."] {
        let dir = root.join(up).join("shared/data").join(folder);
        if dir.is_dir() {
            return dir;
        }
    }
    root.join("../shared/data").join(folder)
}

/// A folder the tools make under target/: `$var` if set, else
/// target/`folder`.
pub fn in_target(var: &str, folder: &str) -> PathBuf {
    std::env::var_os(var).map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join(folder)
        },
        PathBuf::from,
    )
}

/// The further development negatives `tools/listen-negatives` makes:
/// `$SOOTHE_MORE_NEGATIVES`, else target/listen-negatives/ (none when
/// not made).
pub fn more_negatives() -> PathBuf {
    in_target("SOOTHE_MORE_NEGATIVES", "listen-negatives")
}

/// The negatives' kinds, as the issue names them; "tv" (music, radio,
/// crowds) is music.
pub fn kind_of(name: &str) -> String {
    match name.split('-').next().unwrap_or("") {
        "tv" => "music".into(),
        other => other.into(),
    }
}

/// Groups dealt into folds, largest first, each to the fold holding the
/// least so far (ties to the lower fold): every fold about the same size.
fn deal(sizes: &BTreeMap<String, f64>) -> BTreeMap<String, usize> {
    let mut groups: Vec<(&String, &f64)> = sizes.iter().collect();
    groups.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    let mut load = [0.0f64; FOLDS];
    let mut folds = BTreeMap::new();
    for (group, size) in groups {
        let fold = (0..FOLDS)
            .min_by(|&a, &b| load[a].total_cmp(&load[b]))
            .unwrap_or(0);
        load[fold] += size;
        folds.insert(group.clone(), fold);
    }
    folds
}

/// Every development clip, with its fold.
pub fn development() -> Vec<Clip> {
    let mut clips = Vec::new();
    let cries = super::wavs(&shared("SOOTHE_CRIES", "cries"));
    let mut sizes = BTreeMap::new();
    for path in &cries {
        *sizes.entry(super::family(path)).or_insert(0.0) += 1.0;
    }
    let folds = deal(&sizes);
    for path in cries {
        let group = super::family(&path);
        clips.push(Clip {
            fold: Some(folds[&group]),
            path,
            kind: "cry".into(),
            group,
        });
    }
    let mut negatives = super::wavs(&shared("SOOTHE_NEGATIVES", "negatives"));
    negatives.extend(super::wavs(&more_negatives()));
    let mut sizes = BTreeMap::new();
    let group = |path: &Path| -> String {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.split('-').nth(1).unwrap_or(name).to_string()
    };
    for path in &negatives {
        let seconds = hound::WavReader::open(path).map_or(0.0, |r| {
            f64::from(r.duration()) / f64::from(r.spec().sample_rate)
        });
        *sizes.entry(group(path)).or_insert(0.0) += seconds;
    }
    let folds = deal(&sizes);
    for path in negatives {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        clips.push(Clip {
            fold: Some(folds[&group(&path)]),
            group: group(&path),
            kind: kind_of(&name),
            path,
        });
    }
    clips
}

/// What the microphone hears of a clip, and what soothe played meanwhile.
pub struct Rendition {
    pub mic: Vec<f32>,
    /// What soothe played (at `rate`), or nothing.
    pub reference: Option<Vec<f32>>,
    pub rate: u32,
    /// Where the clip starts in `mic`, seconds.
    pub start: f64,
    /// Per 16 ms of the clip: whether it sounds (within 25 dB of its level).
    pub on: Vec<bool>,
}

/// Per 16 ms of `x` (at `rate`): whether it sounds, within 25 dB of `dbfs`.
fn sounding(x: &[f32], rate: u32, dbfs: f64) -> Vec<bool> {
    x.chunks((rate as usize * 16 / 1000).max(1))
        .map(|c| {
            let r = (c.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / c.len() as f64).sqrt();
            20.0 * r.max(1e-9).log10() > dbfs - 25.0
        })
        .collect()
}

/// The clip alone at its own rate, `gain_db` louder, as `soothe listen
/// --file` hears it.
pub fn alone(path: &Path, gain_db: f64) -> Rendition {
    faster(path, gain_db, 1.0)
}

/// The clip alone, `gain_db` louder and played `speed` times as fast
/// (higher in pitch and quicker when over 1: another voice, another
/// animal, from the same recording).
pub fn faster(path: &Path, gain_db: f64, speed: f64) -> Rendition {
    let (x, rate) = read(path);
    let rate = (f64::from(rate) * speed).round() as u32;
    let g = 10f64.powf(gain_db / 20.0) as f32;
    let mic: Vec<f32> = x.iter().map(|s| s * g).collect();
    let on = sounding(&mic, rate, super::sounding_db(&mic));
    Rendition {
        mic,
        reference: None,
        rate,
        start: 0.0,
        on,
    }
}

/// `r` after `seconds` of a quiet room (noise at `dbfs`, the same noise
/// going on under it), as a sound begins in a still house: its own faint
/// start then stands out of a floor quieter than the recording's.
pub fn after_quiet(r: Rendition, seconds: f64, dbfs: f64, rng: &mut Rng) -> Rendition {
    let lead = (seconds * f64::from(r.rate)) as usize;
    let level = 10f64.powf(dbfs / 20.0);
    let mut mic: Vec<f32> = (0..lead).map(|_| (level * rng.normal()) as f32).collect();
    mic.extend(r.mic.iter().map(|s| s + (level * rng.normal()) as f32));
    Rendition {
        mic,
        start: r.start + lead as f64 / f64::from(r.rate),
        ..r
    }
}

/// The clip in the room at `dbfs` while sounding, `lead` seconds into a
/// stretch of the session's echo (with the session as the reference),
/// through a spectral tilt `tilt`.
pub fn in_room(
    path: &Path,
    played: &[f32],
    dbfs: f64,
    lead: f64,
    tilt: f64,
    rng: &mut Rng,
) -> Rendition {
    in_room_faster(path, played, (dbfs, 1.0), lead, tilt, rng)
}

/// [`in_room`], the clip played `speed` times as fast (see [`faster`]).
pub fn in_room_faster(
    path: &Path,
    played: &[f32],
    (dbfs, speed): (f64, f64),
    lead: f64,
    tilt: f64,
    rng: &mut Rng,
) -> Rendition {
    let (x, rate) = read(path);
    let rate = (f64::from(rate) * speed).round() as u32;
    let x = level(&self::tilt(&resample(&x, rate, MIC_RATE), tilt), dbfs);
    let on = sounding(&x, MIC_RATE, dbfs);
    let room = Room::random(rng);
    let lead_samples = (lead * f64::from(MIC_RATE)) as usize;
    let len = lead_samples + x.len() + MIC_RATE as usize;
    let start = rng.range(0.0, (played.len() - len - MIC_RATE as usize) as f64) as usize;
    let mut mic = room.echo(played, start, len, rng);
    for (m, c) in mic[lead_samples..].iter_mut().zip(&x) {
        *m += c;
    }
    Rendition {
        mic,
        reference: Some(played[start..start + len].to_vec()),
        rate: MIC_RATE,
        start: lead,
        on,
    }
}

/// The same sound through a first-order tilt: brighter (`a` < 0) or
/// duller (`a` > 0), as another microphone or room would give it.
pub fn tilt(x: &[f32], a: f64) -> Vec<f32> {
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

/// For the 2 s network (an experiment, features.rs): the cry at `path`
/// over a real non-cry (`background`, looped), `lead` seconds into it,
/// the cry sounding at `cry_dbfs` and the background at
/// `background_dbfs`, as a cry over a TV, a sibling or a pet; heard alone
/// (nothing played).
pub fn over(
    path: &Path,
    background: &Path,
    (cry_dbfs, background_dbfs): (f64, f64),
    lead: f64,
) -> Rendition {
    let (x, rate) = read(path);
    let x = level(&resample(&x, rate, MIC_RATE), cry_dbfs);
    let on = sounding(&x, MIC_RATE, cry_dbfs);
    let (b, b_rate) = read(background);
    let b = level(&resample(&b, b_rate, MIC_RATE), background_dbfs);
    let lead_samples = (lead * f64::from(MIC_RATE)) as usize;
    let len = lead_samples + x.len() + MIC_RATE as usize;
    let mut mic: Vec<f32> = b.iter().copied().cycle().take(len).collect();
    for (m, c) in mic[lead_samples..].iter_mut().zip(&x) {
        *m += c;
    }
    Rendition {
        mic,
        reference: None,
        rate: MIC_RATE,
        start: lead,
        on,
    }
}
