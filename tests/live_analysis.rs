//! The checks the real-time tests rely on ([`crate::support::audio::follow`])
//! catch what they are there to catch: a lost sample, a repeated one, a
//! jump to the wrong place, sound after a cut, a pause of the wrong length.

use crate::support::audio::{follow, Move, BLOCK, RESUME_SLACK};

/// A made-up render: 0.5 s of quiet, then 3 s of noise.
fn render() -> Vec<f32> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut r = vec![0.0; 24_000];
    r.extend((0..144_000).map(|_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.6
    }));
    r
}

const LEAD: usize = 3_000;

/// Quiet, the render up to `cut`, `between`, the render from `resume` for
/// `blocks` blocks, then `after`, then quiet.
fn capture(
    r: &[f32],
    cut: usize,
    between: &[f32],
    resume: usize,
    blocks: usize,
    after: &[f32],
) -> Vec<f32> {
    let end = resume + blocks * BLOCK;
    let mut c = vec![0.0; LEAD];
    c.extend_from_slice(&r[..cut]);
    c.extend_from_slice(between);
    c.extend_from_slice(&r[resume..end]);
    c.extend_from_slice(after);
    c.extend(vec![0.0; 30_000]);
    c
}

#[test]
fn a_pause_anywhere_passes_and_lost_or_repeated_sound_fails() {
    let r = render();
    // Held wherever the device was: not on a block boundary.
    let cut = 100 * BLOCK + 37;
    let quiet = vec![0.0; 48_000 - 311];
    let moves = [Move::Pause { seconds: 1.0 }, Move::Quit];
    let good = capture(&r, cut, &quiet, cut, 60, &[]);
    let pieces = follow(&good, &r, 0.0, &moves).unwrap();
    assert_eq!(
        (pieces[0].at, pieces[0].len, pieces[1].from),
        (LEAD, cut, cut)
    );
    assert_eq!(pieces[1].at - (pieces[0].at + pieces[0].len), quiet.len());
    assert_eq!(pieces[1].len, 60 * BLOCK);

    // What a sound server's cork and uncork round to passes, and is told.
    for slip in [cut + 6, cut - 6] {
        let c = capture(&r, cut, &quiet, slip, 60, &[]);
        let pieces = follow(&c, &r, 0.0, &moves).unwrap();
        assert_eq!(pieces[1].from, slip);
    }
    for (what, resume) in [
        ("lost samples", cut + RESUME_SLACK + 1),
        ("repeated samples", cut - RESUME_SLACK - 1),
        ("lost blocks", cut + 4 * BLOCK),
    ] {
        let result = follow(&capture(&r, cut, &quiet, resume, 60, &[]), &r, 0.0, &moves);
        assert!(result.is_err(), "{what} went unnoticed: {result:?}");
    }
    let mut noisy = quiet.clone();
    noisy[20_000] = 0.01;
    let result = follow(&capture(&r, cut, &noisy, cut, 60, &[]), &r, 0.0, &moves);
    assert!(result.is_err(), "sound in the pause went unnoticed");
    let result = follow(&good, &r, 0.0, &[Move::Pause { seconds: 3.0 }, Move::Quit]);
    assert!(
        result.is_err(),
        "a pause of the wrong length went unnoticed"
    );
}

#[test]
fn a_stop_must_be_silent_after_the_cut() {
    let r = render();
    let cut = 70 * BLOCK + 5;
    let moves = [Move::Quit];
    let c = capture(&r, cut, &[], cut, 0, &[]);
    let pieces = follow(&c, &r, 0.0, &moves).unwrap();
    assert_eq!((pieces[0].at, pieces[0].len), (LEAD, cut));
    // What was queued, heard after a silence: the stop did not act.
    let late = capture(&r, cut, &[0.0; 900], cut, 2, &[]);
    assert!(
        follow(&late, &r, 0.0, &moves).is_err(),
        "sound after the stop"
    );
}

#[test]
fn a_jump_goes_straight_to_the_step_after_at_most_a_short_silence() {
    let r = render();
    let to = 90_000;
    let cut = 60 * BLOCK + 100;
    let moves = [Move::Jump { to: to as u64 }, Move::Quit];
    for gap in [0, 1_200] {
        let c = capture(&r, cut, &vec![0.0; gap], to, 40, &[]);
        let pieces = follow(&c, &r, 0.0, &moves).unwrap();
        assert_eq!(pieces[0].len, cut, "gap {gap}");
        assert_eq!((pieces[1].at, pieces[1].from), (LEAD + cut + gap, to));
    }
    // Sound between the cut and the step: some of what was thrown away.
    let mut blip = vec![0.0; 1_200];
    blip[..600].copy_from_slice(&r[cut + 2_000..cut + 2_600]);
    let c = capture(&r, cut, &blip, to, 40, &[]);
    assert!(follow(&c, &r, 0.0, &moves).is_err(), "a blip after the cut");
    let c = capture(&r, cut, &vec![0.0; 48_000], to, 40, &[]);
    assert!(follow(&c, &r, 0.0, &moves).is_err(), "a second of silence");
    let c = capture(&r, cut, &[], to, 40, &[]);
    let elsewhere = [Move::Jump { to: to as u64 + 1 }, Move::Quit];
    assert!(follow(&c, &r, 0.0, &elsewhere).is_err(), "the wrong place");
}
