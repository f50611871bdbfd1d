//! Pause, jumps and stop on the session source, the one clock, sample by
//! sample and without a device: what `soothe play` sends to the speakers.

use std::sync::Arc;

use crate::support::source::{pull, tummy_on};

use soothe_core::mix::{Control, Levels, SessionSource, BLOCK, FADE_SECONDS};
use soothe_core::session::timeline::Timeline;
use soothe_core::sound::sounds::Sounds;

fn source(timeline: &Arc<Timeline>, sounds: &Arc<Sounds>) -> (SessionSource, Arc<Control>) {
    let control = Control::new(Levels::UNITY);
    (
        SessionSource::new(timeline.clone(), sounds.clone(), control.clone()),
        control,
    )
}

fn fade_len(timeline: &Timeline) -> usize {
    (FADE_SECONDS * f64::from(timeline.sample_rate)).round() as usize
}

fn step(timeline: &Timeline, id: &str) -> usize {
    timeline.steps.iter().position(|s| s.id == id).unwrap()
}

/// A block inside the tummy's first prompt where the voice is loud, found
/// from the session itself so that it holds for any recording of the words.
fn into_a_prompt(timeline: &Arc<Timeline>, sounds: &Arc<Sounds>) -> usize {
    let first = timeline
        .events
        .iter()
        .find(|e| {
            matches!(
                e.kind,
                soothe_core::session::timeline::EventKind::Prompt { .. }
            )
        })
        .unwrap();
    let (start, end) = (
        first.start_sample as usize / BLOCK + 20,
        first.end_sample as usize / BLOCK - 20,
    );
    let (mut straight, _) = source(timeline, sounds);
    let reference = pull(&mut straight, end + 2);
    let loudness = |block: usize| -> f32 {
        reference[block * BLOCK..(block + 2) * BLOCK]
            .iter()
            .map(|s| s.abs())
            .sum()
    };
    (start..end)
        .max_by(|a, b| loudness(*a).total_cmp(&loudness(*b)))
        .unwrap()
}

#[test]
fn a_pause_inserts_whole_blocks_of_silence_and_loses_nothing() {
    let (timeline, sounds) = tummy_on();
    let into = into_a_prompt(&timeline, &sounds);
    let (mut straight, _) = source(&timeline, &sounds);
    let reference = pull(&mut straight, 800);
    assert!(
        reference[into * BLOCK..][..BLOCK]
            .iter()
            .any(|s| s.abs() > 0.01),
        "paused while speaking"
    );

    let (mut paused, control) = source(&timeline, &sounds);
    let mut heard = pull(&mut paused, into);
    control.set_paused(true);
    let quiet = pull(&mut paused, 50);
    assert_eq!(quiet.len(), 50 * BLOCK);
    assert!(quiet.iter().all(|&s| s == 0.0));
    assert_eq!(
        control.position(),
        (into * BLOCK) as u64,
        "the clock stands still"
    );
    control.set_paused(false);
    heard.extend(pull(&mut paused, 800 - into));
    assert_eq!(
        heard, reference,
        "voice and chimes go on from the exact sample"
    );
}

#[test]
fn a_pause_takes_effect_within_one_block() {
    let (timeline, sounds) = tummy_on();
    let into = into_a_prompt(&timeline, &sounds);
    let (mut straight, _) = source(&timeline, &sounds);
    let reference: Vec<f32> = straight.by_ref().take(into * BLOCK + BLOCK).collect();

    let (mut paused, control) = source(&timeline, &sounds);
    // Mid-block, as a device callback might be.
    let before: Vec<f32> = paused.by_ref().take(into * BLOCK + 100).collect();
    control.set_paused(true);
    let after: Vec<f32> = paused.by_ref().take(2 * BLOCK).collect();
    // The rest of the block already made, then silence.
    assert_eq!(before[..], reference[..into * BLOCK + 100]);
    assert_eq!(after[..BLOCK - 100], reference[into * BLOCK + 100..]);
    assert!(after[BLOCK - 100..].iter().all(|&s| s == 0.0));
}

/// The session from the start of `id`, as heard after a jump to it from
/// silence.
fn from_step(timeline: &Arc<Timeline>, sounds: &Arc<Sounds>, id: &str, blocks: usize) -> Vec<f32> {
    let (mut fresh, control) = source(timeline, sounds);
    control.jump_to_step(step(timeline, id));
    pull(&mut fresh, blocks)
}

#[test]
fn a_jump_fades_out_what_was_playing_and_starts_the_step_exactly() {
    let (timeline, sounds) = tummy_on();
    let into = into_a_prompt(&timeline, &sounds);
    let fade = fade_len(&timeline);
    let arms = from_step(&timeline, &sounds, "arms", 200);
    let (mut straight, _) = source(&timeline, &sounds);
    let reference = pull(&mut straight, into + 2);
    let cut = &reference[into * BLOCK..];

    let (mut jumping, control) = source(&timeline, &sounds);
    pull(&mut jumping, into);
    control.jump_to_step(step(&timeline, "arms"));
    let heard = pull(&mut jumping, 200);
    assert_eq!(
        control.position(),
        timeline.steps[step(&timeline, "arms")].start_sample + 200 * BLOCK as u64
    );
    for i in 0..fade {
        let ramp = (fade - i) as f32 / fade as f32;
        let expected = arms[i] + cut[i] * ramp;
        assert!(
            (heard[i] - expected).abs() < 1e-6,
            "sample {i} of the fade: {} vs {expected}",
            heard[i]
        );
    }
    assert!(
        cut[fade - 50..fade].iter().any(|s| s.abs() > 1e-3),
        "the fade cut a sound"
    );
    assert_eq!(heard[fade..], arms[fade..], "the step itself is exact");
}

#[test]
fn a_jump_while_paused_is_made_at_once_and_resumes_exactly_at_the_step() {
    let (timeline, sounds) = tummy_on();
    let into = into_a_prompt(&timeline, &sounds);
    let arms_index = step(&timeline, "arms");
    let arms = from_step(&timeline, &sounds, "arms", 100);
    let (mut paused, control) = source(&timeline, &sounds);
    pull(&mut paused, into);
    control.set_paused(true);
    control.jump_to_step(arms_index);
    assert_eq!(control.pending_jump(), Some(arms_index));
    let quiet = pull(&mut paused, 1);
    assert!(quiet.iter().all(|&s| s == 0.0), "still paused");
    assert_eq!(control.pending_jump(), None);
    assert_eq!(
        control.position(),
        timeline.steps[arms_index].start_sample,
        "the clock is at the step"
    );
    control.set_paused(false);
    // No tail of the cut prompt: it was silent already.
    assert_eq!(pull(&mut paused, 100), arms);
}

#[test]
fn a_stop_fades_out_over_12_ms_then_the_session_ends() {
    let (timeline, sounds) = tummy_on();
    let into = into_a_prompt(&timeline, &sounds);
    let fade = fade_len(&timeline);
    let (mut straight, _) = source(&timeline, &sounds);
    let reference = pull(&mut straight, into + 2);
    let cut = &reference[into * BLOCK..];

    let (mut stopping, control) = source(&timeline, &sounds);
    pull(&mut stopping, into);
    control.stop();
    let mut faded = Vec::new();
    let mut block = vec![0.0; BLOCK];
    loop {
        let n = stopping.fill(&mut block);
        if n == 0 {
            break;
        }
        assert!(!control.is_finished(), "not before the fade is out");
        faded.extend_from_slice(&block[..n]);
    }
    assert_eq!(faded.len(), fade, "12 ms, then the end");
    for (i, &got) in faded.iter().enumerate() {
        let ramp = (fade - i) as f32 / fade as f32;
        assert!((got - cut[i] * ramp).abs() < 1e-6, "sample {i}");
    }
    assert!(control.is_finished());
    assert_eq!(stopping.next(), None);
}

#[test]
fn a_stop_while_paused_ends_at_once() {
    let (timeline, sounds) = tummy_on();
    let into = into_a_prompt(&timeline, &sounds);
    let (mut paused, control) = source(&timeline, &sounds);
    pull(&mut paused, into);
    control.set_paused(true);
    pull(&mut paused, 3);
    control.stop();
    let mut block = vec![0.0; BLOCK];
    assert_eq!(paused.fill(&mut block), 0);
    assert!(control.is_finished());
}
