//! Lining a capture of `soothe play` up with the render, sample for sample.
//!
//! The session source works in blocks of 512 samples: a pause, a jump, a
//! volume change or a stop takes effect at a block boundary, and a pause
//! inserts whole blocks of silence. So a capture is the render cut into
//! pieces at block boundaries (counted from where each piece began), with
//! silence between pieces for a pause and a 12 ms fade-out of the old
//! piece laid over the start of a jumped-to one. [`follow`] checks exactly
//! that, with a tolerance only for PulseAudio's and the WAV's rounding,
//! and for the length of a pause (a device may stretch a silence; the
//! whole blocks are checked on the source itself, tests/live_source.rs).

/// Largest difference taken as "the same sample". The render is 16-bit
/// (off by at most 2^-15) and PulseAudio passes float through untouched.
pub const TOL: f32 = 2e-4;
/// The session source's block (soothe::source::BLOCK).
pub const BLOCK: usize = soothe::source::BLOCK;
/// A cut sound fades out over this many samples (12 ms at 48 kHz).
pub const FADE: usize = 576;
/// A level that is surely sound, not silence or rounding.
const VOICED: f32 = 0.05;
/// Samples compared to recognise where a piece of render lies.
const WINDOW: usize = 2400;

/// What the parent did, in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Move {
    /// The session went on from this render sample (a step's start).
    Jump { to: u64 },
    /// A pause, then a resume; about this many seconds (±0.5 s).
    Pause { seconds: f64 },
    /// The volume changed to this many dB from the start.
    Gain { db: f64 },
    /// The parent quit: a fade-out, then silence.
    Quit,
    /// The session played to its end, then silence.
    End,
}

/// One stretch of the capture that is the render, scaled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    /// Where it starts in the capture...
    pub at: usize,
    /// ...and in the render.
    pub from: usize,
    /// Its length, in samples.
    pub len: usize,
    pub gain: f32,
}

pub fn near(a: f32, b: f32) -> bool {
    (a - b).abs() < TOL
}

fn silent(samples: &[f32]) -> Option<usize> {
    samples.iter().position(|s| s.abs() >= TOL)
}

/// The first sample at or after `from` that is surely sound.
pub fn first_voiced(r: &[f32], from: usize) -> Option<usize> {
    r.get(from..)?
        .iter()
        .position(|s| s.abs() > VOICED)
        .map(|i| from + i)
}

/// Whether `c[at + i] == gain * r[from + i]` for `i` in `range`.
pub fn same(
    c: &[f32],
    at: usize,
    r: &[f32],
    from: usize,
    gain: f32,
    range: std::ops::Range<usize>,
) -> bool {
    range.clone().all(
        |i| matches!((c.get(at + i), r.get(from + i)), (Some(&x), Some(&y)) if near(x, gain * y)),
    ) && !range.is_empty()
}

/// Where the render's `r[from..from + WINDOW]` at `gain` appears in the
/// capture, at or after `start`, as the capture index of `r[from]`.
pub fn locate(c: &[f32], start: usize, r: &[f32], from: usize, gain: f32) -> Option<usize> {
    let window = WINDOW.min(r.len() - from);
    // Try the loudest sample first: most candidates fail there at once.
    let anchor = (0..window).max_by(|&a, &b| r[from + a].abs().total_cmp(&r[from + b].abs()))?;
    (start..c.len().saturating_sub(window))
        .filter(|&at| near(c[at + anchor], gain * r[from + anchor]))
        .find(|&at| same(c, at, r, from, gain, 0..window))
}

/// Checks that the capture `c` is the render `r` (at `gain_db` to begin
/// with) as changed by `moves`, sample for sample. `boundaries` are the
/// render samples where sounds start or end (from the plan): the fade of
/// a cut is checked exactly where none falls inside it. Returns the
/// pieces, or what went wrong.
pub fn follow(
    c: &[f32],
    r: &[f32],
    gain_db: f64,
    boundaries: &[u64],
    moves: &[Move],
) -> Result<Vec<Piece>, String> {
    let secs = |samples: usize| samples as f64 / 48_000.0;
    let gain = 10f64.powf(gain_db / 20.0) as f32;
    // The first piece: find the first sound of the render in the capture.
    let v = first_voiced(r, 0).ok_or("the render is silent")?;
    let cv = locate(c, 0, r, v, gain).ok_or_else(|| {
        let peak = c.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        let sound = c.iter().position(|s| s.abs() >= TOL).map(secs);
        format!(
            "the start of the render never appears in the capture ({:.3} s long, peak {peak}, \
             first sound at {sound:?} s)",
            secs(c.len())
        )
    })?;
    let at = cv
        .checked_sub(v)
        .ok_or("the capture began after the session did")?;
    if let Some(i) = silent(&c[..at]) {
        return Err(format!(
            "sound in the capture before the session began, at {:.3} s",
            secs(i)
        ));
    }
    let mut pieces = Vec::new();
    let mut piece = Piece {
        at,
        from: 0,
        len: 0,
        gain,
    };
    // Samples at the start of a piece not compared (under a fade-out).
    let mut skip = 0;

    for (n, step) in moves.iter().enumerate() {
        // How far the piece matches the render.
        let mut m = skip;
        while piece.at + m < c.len()
            && piece.from + m < r.len()
            && near(c[piece.at + m], piece.gain * r[piece.from + m])
        {
            m += 1;
        }
        let ends_in_capture = piece.at + m >= c.len();
        let describe = |what: &str| {
            format!(
                "move {n} ({step:?}): {what}; the piece from render {:.3} s (capture {:.3} s) matched for {:.3} s",
                secs(piece.from),
                secs(piece.at),
                secs(m)
            )
        };
        if ends_in_capture && *step != Move::End {
            return Err(describe("the capture ended first"));
        }
        // A change takes effect at a block boundary at or before `m`: the
        // first differing sample may come a little after it.
        let cut_candidates = [m / BLOCK * BLOCK, (m / BLOCK).saturating_sub(1) * BLOCK];
        match *step {
            Move::Jump { to } => {
                let to = to as usize;
                let end = (FADE + WINDOW).min(r.len() - to);
                let b = cut_candidates
                    .into_iter()
                    .find(|&b| b >= skip && same(c, piece.at + b, r, to, piece.gain, FADE..end))
                    .ok_or_else(|| {
                        describe(&format!(
                            "render {:.3} s does not follow at a block boundary",
                            secs(to)
                        ))
                    })?;
                check_fade(c, r, boundaries, &piece, b, Some(to)).map_err(|e| describe(&e))?;
                piece.len = b;
                pieces.push(piece);
                piece = Piece {
                    at: piece.at + b,
                    from: to,
                    len: 0,
                    gain: piece.gain,
                };
                skip = FADE;
            }
            Move::Pause { seconds } => {
                let b = cut_candidates[0];
                let resume =
                    first_voiced(r, piece.from + b).ok_or_else(|| describe("nothing to resume"))?;
                let lead = resume - (piece.from + b);
                // The source pauses in whole blocks (tests/live_source.rs);
                // here the device may stretch the silence a little (a
                // dropout while paused changes nothing that is heard).
                let expected = seconds * 48_000.0;
                let low = (expected - 24_000.0).max(1.0) as usize;
                let high = (expected + 24_000.0) as usize;
                let gap = (low..=high)
                    .find(|&gap| {
                        same(
                            c,
                            piece.at + b + gap,
                            r,
                            piece.from + b,
                            piece.gain,
                            lead..lead + WINDOW,
                        )
                    })
                    .ok_or_else(|| {
                        describe(&format!(
                            "the render does not go on from {:.3} s after {seconds:.2} s of pause",
                            secs(piece.from + b)
                        ))
                    })?;
                let quiet = &c[piece.at + b..piece.at + b + gap];
                if let Some(i) = silent(quiet) {
                    return Err(describe(&format!(
                        "sound during the pause, {:.3} s into it",
                        secs(i)
                    )));
                }
                piece.len = b;
                pieces.push(piece);
                piece = Piece {
                    at: piece.at + b + gap,
                    from: piece.from + b,
                    len: 0,
                    gain: piece.gain,
                };
                skip = 0;
            }
            Move::Gain { db } => {
                let gain = 10f64.powf(db / 20.0) as f32;
                let b = cut_candidates
                    .into_iter()
                    .find(|&b| {
                        b >= skip && same(c, piece.at + b, r, piece.from + b, gain, 0..WINDOW)
                    })
                    .ok_or_else(|| {
                        describe(&format!(
                            "the volume does not change to {db} dB at a block boundary"
                        ))
                    })?;
                piece.len = b;
                pieces.push(piece);
                piece = Piece {
                    at: piece.at + b,
                    from: piece.from + b,
                    len: 0,
                    gain,
                };
                skip = 0;
            }
            Move::Quit => {
                let b = cut_candidates
                    .into_iter()
                    .find(|&b| b >= skip && check_fade(c, r, boundaries, &piece, b, None).is_ok())
                    .ok_or_else(|| describe("no fade-out at a block boundary"))?;
                let after = piece.at + b + FADE;
                if let Some(i) = silent(c.get(after..).unwrap_or(&[])) {
                    return Err(describe(&format!(
                        "sound {:.3} s after the fade-out",
                        secs(i)
                    )));
                }
                piece.len = b;
                pieces.push(piece);
                return Ok(pieces);
            }
            Move::End => {
                let rest = r.len() - piece.from;
                if m < rest {
                    return Err(describe(&format!(
                        "the session should have played to its end ({:.3} s more)",
                        secs(rest - m)
                    )));
                }
                if let Some(i) = silent(&c[piece.at + rest..]) {
                    return Err(describe(&format!("sound {:.3} s after the end", secs(i))));
                }
                if c.len() < piece.at + rest + 24_000 {
                    return Err(describe("the capture stops too soon after the end to tell"));
                }
                piece.len = rest;
                pieces.push(piece);
                return Ok(pieces);
            }
        }
    }
    Err("the moves must finish with Quit or End".into())
}

/// Checks the 12 ms fade-out where `piece` was cut at `b`: the capture is
/// the cut render falling linearly to nothing, plus (after a jump) the
/// start of the jumped-to render. Exact where no sound starts or ends
/// inside the fade; elsewhere only bounded.
fn check_fade(
    c: &[f32],
    r: &[f32],
    boundaries: &[u64],
    piece: &Piece,
    b: usize,
    to: Option<usize>,
) -> Result<(), String> {
    let old = piece.from + b;
    let clean = !boundaries
        .iter()
        .any(|&x| (x as usize) > old && (x as usize) < old + FADE);
    for i in 0..FADE {
        let ramp = (FADE - i) as f32 / FADE as f32;
        let fading = piece.gain * r.get(old + i).copied().unwrap_or(0.0);
        let new = to.map_or(0.0, |to| piece.gain * r.get(to + i).copied().unwrap_or(0.0));
        let Some(&got) = c.get(piece.at + b + i) else {
            return Err("the capture ends in the fade".into());
        };
        let ok = if clean {
            near(got, fading * ramp + new)
        } else {
            (got - new).abs() <= fading.abs() + TOL
        };
        if !ok {
            return Err(format!(
                "the fade-out differs {i} samples in: {got} where {} was expected",
                fading * ramp + new
            ));
        }
    }
    Ok(())
}
