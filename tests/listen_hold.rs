//! `play --listen` holding the session when it hears crying, on the
//! session source (the one clock), sample by sample and without a device:
//! the fade, the prompt, the clock standing still, and going on from the
//! exact sample after space, or to the close after d.

use std::sync::Arc;

use crate::support::source::{pull, tummy_on};

use soothe_core::listen::Tap;
use soothe_core::mix::{
    Control, Levels, SessionSource, BLOCK, HOLD_FADE_SECONDS, HOLD_GAP_SECONDS,
};
use soothe_core::session::timeline::Timeline;
use soothe_core::sound::sounds::Sounds;

fn source(timeline: &Arc<Timeline>, sounds: &Arc<Sounds>) -> (SessionSource, Arc<Control>) {
    let control = Control::new(Levels::UNITY);
    let source = SessionSource::new(timeline.clone(), sounds.clone(), control.clone())
        .with_interjection("crying");
    (source, control)
}

fn seconds(timeline: &Timeline, s: f64) -> usize {
    (s * f64::from(timeline.sample_rate)).round() as usize
}

/// A block a few seconds into the first prompt, where the voice speaks.
fn into_speech(timeline: &Timeline) -> usize {
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
    first.start_sample as usize / BLOCK + 150
}

fn rms(x: &[f32]) -> f32 {
    (x.iter().map(|s| s * s).sum::<f32>() / x.len().max(1) as f32).sqrt()
}

#[test]
fn a_hold_fades_out_says_the_prompt_and_space_goes_on_from_the_exact_sample() {
    let (timeline, sounds) = tummy_on();
    let into = into_speech(&timeline);
    let (mut straight, _) = source(&timeline, &sounds);
    let reference = pull(&mut straight, into + 400);
    assert!(
        rms(&reference[into * BLOCK..][..BLOCK * 4]) > 0.01,
        "held while speaking"
    );

    let (mut held, control) = source(&timeline, &sounds);
    let mut heard = pull(&mut held, into);
    control.hold();
    assert!(control.is_held());
    let fade = seconds(&timeline, HOLD_FADE_SECONDS);
    let gap = seconds(&timeline, HOLD_GAP_SECONDS);
    let prompt = sounds.prompt("crying").unwrap();
    let blocks = (fade + gap + prompt.len()) / BLOCK + 40;
    let hold = pull(&mut held, blocks);
    assert_eq!(
        control.position(),
        (into * BLOCK) as u64,
        "the clock stands still"
    );
    // The session fades out: it begins as the session would go on and
    // ends in silence.
    let ahead = &reference[into * BLOCK..];
    assert!((hold[0] - ahead[0]).abs() < 1e-4);
    assert!(rms(&hold[fade - BLOCK..fade]) < 0.01 * rms(&ahead[..fade]));
    assert!(hold[fade..fade + gap].iter().all(|&s| s == 0.0));
    // Then the prompt, as recorded; then silence until space.
    let said = &hold[fade + gap..fade + gap + prompt.len()];
    let worst = said
        .iter()
        .zip(prompt.iter())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max);
    assert!(worst < 1e-3, "the prompt differs by {worst}");
    assert!(hold[fade + gap + prompt.len()..].iter().all(|&s| s == 0.0));
    // It never goes on by itself.
    assert!(pull(&mut held, 100).iter().all(|&s| s == 0.0));
    assert!(control.is_held());

    control.release();
    assert!(!control.is_held());
    heard.extend(pull(&mut held, 400));
    let worst = heard
        .iter()
        .zip(&reference)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max);
    assert_eq!(heard.len(), reference.len());
    assert!(
        worst < 1e-4,
        "the session goes on from where it was held (off by {worst})"
    );
}

#[test]
fn d_while_held_ends_the_hold_and_goes_to_the_close() {
    let (timeline, sounds) = tummy_on();
    let into = into_speech(&timeline);
    let close = timeline.steps.iter().position(|s| s.id == "close").unwrap();
    let (mut fresh, jumped) = source(&timeline, &sounds);
    jumped.jump_to_step(close);
    let closing = pull(&mut fresh, 100);

    let (mut held, control) = source(&timeline, &sounds);
    pull(&mut held, into);
    control.hold();
    pull(&mut held, 50);
    // What d does while held (see soothe::live::actions).
    control.jump_to_step(close);
    control.release();
    let heard = pull(&mut held, 100);
    assert_eq!(heard, closing);
    assert!(!control.is_held());
}

#[test]
fn a_second_hold_while_held_changes_nothing() {
    let (timeline, sounds) = tummy_on();
    let (mut held, control) = source(&timeline, &sounds);
    pull(&mut held, into_speech(&timeline));
    control.hold();
    let first = pull(&mut held, 100);
    control.hold();
    let more = pull(&mut held, 100);
    let (mut once, control_once) = source(&timeline, &sounds);
    pull(&mut once, into_speech(&timeline));
    control_once.hold();
    let expected = pull(&mut once, 200);
    assert_eq!(
        [first, more].concat(),
        expected,
        "the prompt is not started again"
    );
    control.release();
    assert!(!control.is_held());
}

#[test]
fn the_tap_hears_every_sample_played_at_its_session_position() {
    let (timeline, sounds) = tummy_on();
    let tap = Arc::new(Tap::new(timeline.sample_rate));
    let (source, _control) = source(&timeline, &sounds);
    let mut tapped = source.with_tap(tap.clone());
    let played = pull(&mut tapped, 300);
    let mut back = vec![0.0; 10 * BLOCK];
    tap.read(200 * BLOCK as u64, &mut back);
    assert_eq!(back[..], played[200 * BLOCK..210 * BLOCK]);
}

#[test]
fn while_held_space_goes_on_and_d_goes_to_the_close() {
    use soothe::live::actions::{Action, Effect, Jump, Remote};
    use std::time::Duration;
    let (timeline, _sounds) = tummy_on();
    let control = Control::new(Levels::UNITY);
    let mut remote = Remote::new(control.clone(), timeline.clone(), Levels::UNITY);
    control.hold();
    let effect = remote.apply(Action::TogglePause, Duration::ZERO);
    assert_eq!(effect, Effect::Resumed);
    assert!(!control.is_held());
    assert!(
        !control.is_paused(),
        "space after a hold goes on, it does not pause"
    );

    control.hold();
    let close = timeline.steps.iter().position(|s| s.id == "close").unwrap();
    let effect = remote.apply(Action::BabysDone, Duration::ZERO);
    assert_eq!(
        effect,
        Effect::Jumped {
            to: close,
            why: Jump::Closing
        }
    );
    assert!(!control.is_held());
    assert_eq!(control.pending_jump(), Some(close));
}
