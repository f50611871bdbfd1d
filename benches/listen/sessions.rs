//! `cargo bench --bench listen -- cv-room`: whole sessions in the room
//! with the development negatives near the microphone, cross-validated:
//! the target of no false pause in a whole session, measured on
//! the development data as `room target/heldout/negatives` measures it on
//! the held-out recordings, so that a candidate can be chosen on it.
//!
//! Each fold's negatives (the sources its model, `$LISTEN_CV/fold-K.txt`
//! or target/listen-cv/fold-K.txt, never heard) are laid one after another
//! into both variants' sessions, as `room` lays them: the voices (speech,
//! children, singing, laughter) at -24 dBFS while sounding, and apart from
//! them household sounds, animals and music at their own level, 1 to 8 s
//! apart, for as long as the session lasts. A false pause is the detector
//! saying "crying" at all, heard with that fold's model and soothe's
//! thresholds (or `$LISTEN_TUNING`'s).

use std::path::PathBuf;

use super::{
    data, false_pauses, listen_with, place, render, Rng, Room, MIC_RATE, NEAR_DBFS, VOICES,
};

pub fn cv_room() {
    let dir = data::in_target("LISTEN_CV", "listen-cv");
    let clips = data::development();
    let renders: Vec<(&str, Vec<f32>)> = ["relaxing", "invigorating"]
        .into_iter()
        .map(|v| (v, render(v).0))
        .collect();
    let mut rng = Rng(0x5eed_0031);
    let mut total = (0, 0);
    for fold in 0..data::FOLDS {
        let model = super::cv::model_file(&dir.join(format!("fold-{fold}.txt")));
        let mine = |voice: bool| -> Vec<PathBuf> {
            clips
                .iter()
                .filter(|c| c.kind != "cry" && c.fold == Some(fold))
                .filter(|c| VOICES.contains(&c.kind.as_str()) == voice)
                .map(|c| c.path.clone())
                .collect()
        };
        let (voices, others) = (mine(true), mine(false));
        for (variant, played) in &renders {
            let room = Room::random(&mut rng);
            let echo = room.echo(played, 0, played.len(), &mut rng);
            for (what, files, dbfs) in [
                ("voices", &voices, Some(NEAR_DBFS)),
                ("household, animals, music", &others, None),
            ] {
                let mut mic = echo.clone();
                let placed = place(&mut mic, files, dbfs, &mut rng);
                let (verdicts, _) = listen_with(&mic, played, model.clone());
                let pauses = false_pauses(&verdicts, &placed);
                println!(
                    "fold {fold}  {variant:<13} {what:<26} {:>4.0} s, {} of {} recordings: {} false pauses",
                    mic.len() as f64 / f64::from(MIC_RATE),
                    placed.len(),
                    files.len(),
                    pauses.len()
                );
                for pause in &pauses {
                    println!("  false pause at {pause}");
                }
                total.0 += pauses.len();
                total.1 += placed.len();
            }
        }
    }
    println!(
        "{} false pauses in {} whole sessions, {} recordings placed",
        total.0,
        4 * data::FOLDS,
        total.1
    );
}
