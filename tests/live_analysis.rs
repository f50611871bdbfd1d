//! The checks the real-time tests rely on ([`crate::support::audio::follow`])
//! catch what they are there to catch: a lost sample, a repeated one, a
//! jump to the wrong place, sound after a cut, a pause of the wrong length.

use crate::support::audio::{follow, Move, BLOCK, FADE, RESUME_SLACK};

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

/// The gain of sample `k` of a fade out, as soothe's: a raised cosine.
fn gain_out(k: usize) -> f32 {
    0.5 + 0.5 * (std::f32::consts::PI * (k as f32 + 0.5) / FADE as f32).cos()
}

/// The render from `from`, fading out (or in).
fn fade(r: &[f32], from: usize, out: bool) -> Vec<f32> {
    (0..FADE)
        .map(|k| r[from + k] * if out { gain_out(k) } else { 1.0 - gain_out(k) })
        .collect()
}

/// A pause as soothe makes it: the render to `cut`, fading out, `quiet`
/// samples of silence, then the render from `resume`, fading in.
fn paused(r: &[f32], cut: usize, quiet: usize, resume: usize) -> Vec<f32> {
    let mut between = fade(r, cut, true);
    between.extend(vec![0.0; quiet]);
    between.extend(fade(r, resume, false));
    capture(r, cut, &between, resume + FADE, 60, &[])
}

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
    // Paused wherever the device's queue ended: not on a block boundary.
    let cut = 100 * BLOCK + 37;
    let quiet = 48_000 - 311;
    let moves = [Move::Pause { seconds: 1.0 }, Move::Quit];
    let good = paused(&r, cut, quiet, cut);
    let pieces = follow(&good, &r, 0.0, &moves).unwrap();
    // Where the fades are too quiet to tell from silence, to 1.5 ms.
    assert_eq!(pieces[0].at, LEAD);
    assert!((cut..cut + 48).contains(&pieces[0].len), "{pieces:?}");
    assert!(pieces[1].from.abs_diff(cut) <= 72, "{pieces:?}");
    assert!(
        pieces[0].end().abs_diff(LEAD + cut + FADE) < 48,
        "{pieces:?}"
    );
    assert!(
        pieces[1].at.abs_diff(LEAD + cut + FADE + quiet) < 48,
        "{pieces:?}"
    );

    // A resume a few samples off passes, and is told.
    for slip in [cut + 100, cut - 100] {
        let pieces = follow(&paused(&r, cut, quiet, slip), &r, 0.0, &moves).unwrap();
        assert!(pieces[1].from.abs_diff(slip) <= 72, "{pieces:?}");
    }
    for (what, resume) in [
        ("lost samples", cut + RESUME_SLACK + 96),
        ("repeated samples", cut - RESUME_SLACK - 96),
        ("lost blocks", cut + 4 * BLOCK),
    ] {
        let result = follow(&paused(&r, cut, quiet, resume), &r, 0.0, &moves);
        assert!(result.is_err(), "{what} went unnoticed: {result:?}");
    }
    let mut noisy = good.clone();
    noisy[LEAD + cut + FADE + 20_000] = 0.01;
    let result = follow(&noisy, &r, 0.0, &moves);
    assert!(result.is_err(), "sound in the pause went unnoticed");
    // The sound going on, louder, where it should fade.
    let mut loud = good.clone();
    loud[LEAD + cut + FADE / 2] *= 3.0;
    let result = follow(&loud, &r, 0.0, &moves);
    assert!(result.is_err(), "sound in the fade went unnoticed");
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
fn a_jump_goes_straight_to_the_step_after_a_fade_and_at_most_a_short_silence() {
    let r = render();
    let to = 90_000;
    let cut = 60 * BLOCK + 100;
    let moves = [Move::Jump { to: to as u64 }, Move::Quit];
    for gap in [0, 1_200] {
        let mut between = fade(&r, cut, true);
        between.extend(vec![0.0; gap]);
        let c = capture(&r, cut, &between, to, 40, &[]);
        let pieces = follow(&c, &r, 0.0, &moves).unwrap();
        assert!(
            (cut..cut + 48).contains(&pieces[0].len),
            "gap {gap}: {pieces:?}"
        );
        assert!(
            pieces[0].end().abs_diff(LEAD + cut + FADE) < 48,
            "{pieces:?}"
        );
        assert_eq!(
            (pieces[1].at, pieces[1].from),
            (LEAD + cut + FADE + gap, to)
        );
    }
    // Sound between the cut and the step: some of what was thrown away.
    let mut blip = fade(&r, cut, true);
    blip.extend(vec![0.0; 1_200]);
    blip[FADE + 100..FADE + 700].copy_from_slice(&r[cut + 2_000..cut + 2_600]);
    let c = capture(&r, cut, &blip, to, 40, &[]);
    assert!(follow(&c, &r, 0.0, &moves).is_err(), "a blip after the cut");
    // Something else than the old sound fading.
    let mut other = fade(&r, cut + 5_000, true);
    other.extend(vec![0.0; 100]);
    let c = capture(&r, cut, &other, to, 40, &[]);
    assert!(
        follow(&c, &r, 0.0, &moves).is_err(),
        "another fade after the cut"
    );
    let c = capture(&r, cut, &vec![0.0; 48_000], to, 40, &[]);
    assert!(follow(&c, &r, 0.0, &moves).is_err(), "a second of silence");
    let c = capture(&r, cut, &fade(&r, cut, true), to, 40, &[]);
    let elsewhere = [Move::Jump { to: to as u64 + 1 }, Move::Quit];
    assert!(follow(&c, &r, 0.0, &elsewhere).is_err(), "the wrong place");
}
