//! The checks the real-time tests rely on ([`crate::support::audio::follow`])
//! catch what they are there to catch: a lost sample, a repeated one, a
//! jump off the block grid or to the wrong place, a click instead of a
//! fade, a pause of the wrong length.

use crate::support::audio::{follow, Move, BLOCK, FADE};

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

/// `r[at..]` fading out over 12 ms, as a stop or a jump leaves it.
fn faded(r: &[f32], at: usize) -> Vec<f32> {
    (0..FADE)
        .map(|i| r[at + i] * (FADE - i) as f32 / FADE as f32)
        .collect()
}

/// Quiet, the render up to `cut`, `between`, the render from `resume` for
/// `blocks` blocks, then (when `fade`) a stop's fade-out, then quiet.
fn capture(
    r: &[f32],
    cut: usize,
    between: &[f32],
    resume: usize,
    blocks: usize,
    fade: bool,
) -> Vec<f32> {
    let end = resume + blocks * BLOCK;
    let mut c = vec![0.0; LEAD];
    c.extend_from_slice(&r[..cut]);
    c.extend_from_slice(between);
    c.extend_from_slice(&r[resume..end]);
    if fade {
        c.extend(faded(r, end));
    }
    c.extend(vec![0.0; 30_000]);
    c
}

#[test]
fn a_pause_of_whole_blocks_passes_and_a_lost_or_repeated_sample_fails() {
    let r = render();
    let cut = 100 * BLOCK;
    let quiet = vec![0.0; 94 * BLOCK];
    let moves = [Move::Pause { seconds: 1.0 }, Move::Quit];
    let good = capture(&r, cut, &quiet, cut, 60, true);
    let pieces = follow(&good, &r, 0.0, &[], &moves).unwrap();
    assert_eq!(
        (pieces[0].at, pieces[0].len, pieces[1].from),
        (LEAD, cut, cut)
    );
    assert_eq!(pieces[1].at - (pieces[0].at + pieces[0].len), quiet.len());
    assert_eq!(pieces[1].len, 60 * BLOCK);

    for (what, resume) in [
        ("a lost sample", cut + 1),
        ("a repeated sample", cut - 1),
        ("a lost block", cut + BLOCK),
    ] {
        let result = follow(
            &capture(&r, cut, &quiet, resume, 60, true),
            &r,
            0.0,
            &[],
            &moves,
        );
        assert!(result.is_err(), "{what} went unnoticed: {result:?}");
    }
    // A device may stretch the silence of a pause; what is heard is the same.
    let stretched = vec![0.0; 94 * BLOCK + 7];
    let pieces = follow(
        &capture(&r, cut, &stretched, cut, 60, true),
        &r,
        0.0,
        &[],
        &moves,
    )
    .unwrap();
    assert_eq!(
        pieces[1].at - (pieces[0].at + pieces[0].len),
        stretched.len()
    );
    let result = follow(
        &capture(&r, cut, &quiet, cut, 60, false),
        &r,
        0.0,
        &[],
        &moves,
    );
    assert!(result.is_err(), "a click at the end went unnoticed");
    let result = follow(
        &good,
        &r,
        0.0,
        &[],
        &[Move::Pause { seconds: 3.0 }, Move::Quit],
    );
    assert!(
        result.is_err(),
        "a pause of the wrong length went unnoticed"
    );
}

#[test]
fn a_jump_must_land_on_a_block_boundary_with_a_fade() {
    let r = render();
    let to = 90_000;
    let moves = [Move::Jump { to: to as u64 }, Move::Quit];
    let jump = |cut: usize, fade: bool| {
        let mut c = capture(&r, cut, &[], to, 40, true);
        if fade {
            for (i, s) in faded(&r, cut).into_iter().enumerate() {
                c[LEAD + cut + i] += s;
            }
        }
        c
    };
    let pieces = follow(&jump(60 * BLOCK, true), &r, 0.0, &[], &moves).unwrap();
    assert_eq!((pieces[1].at, pieces[1].from), (LEAD + 60 * BLOCK, to));
    assert!(
        follow(&jump(60 * BLOCK + 100, true), &r, 0.0, &[], &moves).is_err(),
        "off the grid"
    );
    assert!(
        follow(&jump(60 * BLOCK, false), &r, 0.0, &[], &moves).is_err(),
        "a click"
    );
    let elsewhere = [Move::Jump { to: to as u64 + 1 }, Move::Quit];
    assert!(
        follow(&jump(60 * BLOCK, true), &r, 0.0, &[], &elsewhere).is_err(),
        "the wrong place"
    );
}
