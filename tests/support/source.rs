//! The built-in session on the session source, in process and without a
//! device: what the tests of pause, jumps and holds pull samples from.

use std::sync::Arc;

use soothe::app::{Prepared, SessionArgs};
use soothe_core::mix::{SessionSource, BLOCK};
use soothe_core::session::select::Selection;
use soothe_core::session::timeline::Timeline;
use soothe_core::sound::sounds::Sounds;
use soothe_core::sound::voice::VoiceChoice;

/// The built-in session from the tummy on: tummy, arms, close.
pub fn tummy_on() -> (Arc<Timeline>, Arc<Sounds>) {
    let args = SessionArgs {
        script: None,
        language: soothe::app::LanguagePick::ENGLISH,
        selection: Selection {
            skip: ["welcome", "feet", "legs", "head", "check-in", "back"]
                .map(String::from)
                .to_vec(),
            ..Selection::default()
        },
        voice: VoiceChoice::Guide,
        from: None,
        without: Vec::new(),
    };
    let prepared = Prepared::new(&args).unwrap();
    (prepared.timeline.clone(), Arc::new(prepared.sounds))
}

/// `blocks` blocks of [`BLOCK`] samples pulled from `source` (fewer at
/// its end).
pub fn pull(source: &mut SessionSource, blocks: usize) -> Vec<f32> {
    let mut out = Vec::new();
    let mut block = vec![0.0; BLOCK];
    for _ in 0..blocks {
        let n = source.fill(&mut block);
        out.extend_from_slice(&block[..n]);
    }
    out
}
