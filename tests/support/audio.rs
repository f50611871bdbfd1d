//! Lining a capture of `soothe play` up with the render, sample for sample.
//!
//! soothe acts where the device's short queue ends: a pause fades the
//! sound out over 12 ms at whatever sample that is, and goes on from that
//! very sample, fading in; a jump fades out what was playing, and the step
//! follows (at once, or after a little silence when the machine is slow);
//! a stop throws away what was queued, so the sound stops at once (at any
//! sample). A change of level is made where the session source mixes, at
//! one of its 512-sample blocks. So a capture is the render cut into
//! pieces, with fades at their ends and silence between them. [`follow`]
//! checks exactly that, with a tolerance only for PulseAudio's and the
//! WAV's rounding, and for the length of a pause and of the silence at a
//! jump. (Whether a fade is smooth is for the tests of fades to say.)

/// Largest difference taken as "the same sample". The render is 16-bit
/// (off by at most 2^-15) and PulseAudio passes float through untouched.
pub const TOL: f32 = 2e-4;
/// The session source's block (soothe_core::mix::BLOCK).
pub const BLOCK: usize = soothe_core::mix::BLOCK;
/// soothe's fades at 48 kHz (soothe_core::mix::FADE_SECONDS, 12 ms): how far
/// the search for a jumped-to step looks back.
pub const FADE: usize = 576;
/// The most a fade can take in a capture: a fade, and a millisecond more.
const FADE_MAX: usize = FADE + 48;
/// A level that is surely sound, not silence or rounding.
pub const VOICED: f32 = 0.05;
/// Samples compared to recognise where a piece of render lies.
pub const WINDOW: usize = 2400;
/// How many samples a pause may lose or repeat where it holds the sound
/// (5 ms, issue 23): soothe goes on from the very sample where its fade
/// began. (Through PulseAudio's cork and uncork, 21.6 to 35.5 ms were
/// lost at every resume.)
pub const RESUME_SLACK: usize = 240;
/// The longest silence a jump may leave while the device starts again.
const MAX_GAP: usize = 14_400;

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
    /// Its length, in samples...
    pub len: usize,
    /// ...and how many samples after it are the render that follows,
    /// fading out.
    pub faded: usize,
    pub gain: f32,
}

impl Piece {
    /// Where its sound ends in the capture, fade and all.
    pub fn end(&self) -> usize {
        self.at + self.len + self.faded
    }
}

/// The left channel of what a recorder wrote as interleaved little-endian
/// f32 stereo, checking that the right one is the same: soothe plays its
/// mono on both.
#[cfg(target_os = "linux")]
pub fn left_of_equal_stereo(bytes: &[u8]) -> Vec<f32> {
    let frames: Vec<[f32; 2]> = bytes
        .chunks_exact(8)
        .map(|f| {
            [
                f32::from_le_bytes([f[0], f[1], f[2], f[3]]),
                f32::from_le_bytes([f[4], f[5], f[6], f[7]]),
            ]
        })
        .collect();
    assert!(
        frames.iter().all(|[l, r]| l == r),
        "the same on both channels"
    );
    frames.into_iter().map(|[l, _]| l).collect()
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

/// Whether `c[at..at + len]` could be `gain * r[from..]` fading: each
/// sample between silence and the render's, on the render's side.
pub fn faded(c: &[f32], at: usize, r: &[f32], from: usize, gain: f32, len: usize) -> bool {
    (0..len).all(|i| match (c.get(at + i), r.get(from + i)) {
        (Some(&x), Some(&y)) => {
            let y = gain * y;
            x.abs() <= y.abs() + TOL && (x - y).abs() <= y.abs() + TOL
        }
        _ => false,
    })
}

/// How long the fade at `c[at..]` (of `gain * r[from..]`) is heard: up to
/// its last sound, within [`FADE_MAX`] samples and before `end`. `None`
/// when what is there is not the render fading.
fn fade_out(c: &[f32], at: usize, r: &[f32], from: usize, gain: f32, end: usize) -> Option<usize> {
    let len = FADE_MAX.min(end.saturating_sub(at)).min(c.len() - at);
    let heard = c[at..at + len]
        .iter()
        .rposition(|s| s.abs() >= TOL)
        .map_or(0, |last| last + 1);
    faded(c, at, r, from, gain, heard).then_some(heard)
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
/// with) as changed by `moves`, sample for sample. Returns the pieces, or
/// what went wrong.
pub fn follow(c: &[f32], r: &[f32], gain_db: f64, moves: &[Move]) -> Result<Vec<Piece>, String> {
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
        faded: 0,
        gain,
    };
    // Samples at the start of a piece that fade in (checked as it began).
    let mut fading_in = 0;
    for (n, step) in moves.iter().enumerate() {
        // How far the piece matches the render.
        let mut m = std::mem::take(&mut fading_in);
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
        // (A stop where the render was quiet to the end of the capture
        // cannot be told apart from quiet: that is all right.)
        if ends_in_capture && !matches!(*step, Move::End | Move::Quit) {
            return Err(describe("the capture ended first"));
        }
        match *step {
            Move::Jump { to } => {
                let to = to as usize;
                // Where the jumped-to step is heard: its first sound,
                // traced back to its first sample.
                let v = first_voiced(r, to)
                    .ok_or_else(|| describe("the jumped-to render is silent"))?;
                let start = piece.at + m.saturating_sub(2 * FADE);
                let cv = locate(c, start, r, v, piece.gain)
                    .ok_or_else(|| describe(&format!("render {:.3} s never follows", secs(to))))?;
                let cut = (cv + to)
                    .checked_sub(v)
                    .filter(|&cut| cut >= piece.at)
                    .ok_or_else(|| describe("the jumped-to step begins inside the old one"))?;
                // The old piece ends at the cut, or before it: fading out,
                // then silent while the step is not there yet.
                let b = m.min(cut - piece.at);
                let fade = fade_out(c, piece.at + b, r, piece.from + b, piece.gain, cut)
                    .ok_or_else(|| {
                        describe("sound between the cut and the jumped-to step that is not the old sound fading")
                    })?;
                let quiet_from = piece.at + b + fade;
                if let Some(i) = silent(&c[quiet_from..cut]) {
                    return Err(describe(&format!(
                        "sound between the cut and the jumped-to step, {:.3} s after the fade",
                        secs(i)
                    )));
                }
                if cut - quiet_from > MAX_GAP {
                    return Err(describe(&format!(
                        "{:.3} s of silence before the jumped-to step",
                        secs(cut - quiet_from)
                    )));
                }
                piece.len = b;
                piece.faded = fade;
                pieces.push(piece);
                piece = Piece {
                    at: cut,
                    from: to,
                    len: 0,
                    faded: 0,
                    gain: piece.gain,
                };
            }
            Move::Pause { seconds } => {
                // The sound fades out where the pause was made, and goes
                // on, after the silence, from the sample where the fade
                // began, fading in: give or take a few samples where the
                // fades are too quiet to tell from silence.
                let b = m;
                let p = piece.from + b;
                let fade = fade_out(c, piece.at + b, r, p, piece.gain, c.len())
                    .ok_or_else(|| describe("the sound does not fade out where it pauses"))?;
                let quiet_from = piece.at + b + fade;
                let v = first_voiced(r, p + RESUME_SLACK + FADE_MAX)
                    .ok_or_else(|| describe("nothing to resume"))?;
                let lead = v - p;
                let expected = seconds * 48_000.0;
                let low = quiet_from + (expected - 24_000.0).max(1.0) as usize;
                let high = quiet_from + (expected + 24_000.0) as usize;
                let not_found = || {
                    describe(&format!(
                        "the render does not go on from {:.3} s after {seconds:.2} s of pause",
                        secs(p)
                    ))
                };
                let found = locate(c, low + lead, r, v, piece.gain)
                    .filter(|&at| at <= high + lead)
                    .ok_or_else(not_found)?;
                // Where the render from `p + slip` would begin, for the
                // smallest slip that the capture bears out: silence, a
                // fade in, then the render itself.
                let (slip, at) = (0..=RESUME_SLACK)
                    .flat_map(|d| [d as i64, -(d as i64)])
                    .find_map(|slip| {
                        let from = (p as i64 + slip) as usize;
                        let at = found.checked_sub(v - from)?;
                        (at >= quiet_from
                            && (from + FADE_MAX..v)
                                .all(|i| near(c[at + i - from], piece.gain * r[i]))
                            && faded(c, at, r, from, piece.gain, FADE_MAX)
                            && silent(&c[quiet_from..at]).is_none())
                        .then_some((slip, at))
                    })
                    .ok_or_else(not_found)?;
                piece.len = b;
                piece.faded = fade;
                pieces.push(piece);
                fading_in = FADE_MAX;
                piece = Piece {
                    at,
                    from: (p as i64 + slip) as usize,
                    len: 0,
                    faded: 0,
                    gain: piece.gain,
                };
            }
            Move::Gain { db } => {
                // A change of level is made where the source mixes: at a
                // block boundary at or before `m` (the first differing
                // sample may come some way after it where the sound is
                // quiet: the latest boundary that the capture bears out).
                let cut_candidates = (0..=m / BLOCK).rev().take(16).map(|k| k * BLOCK);
                let gain = 10f64.powf(db / 20.0) as f32;
                let b = cut_candidates
                    .into_iter()
                    .find(|&b| same(c, piece.at + b, r, piece.from + b, gain, 0..WINDOW))
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
                    faded: 0,
                    gain,
                };
            }
            Move::Quit => {
                // The sound stops where it was.
                if let Some(i) = silent(&c[piece.at + m..]) {
                    return Err(describe(&format!("sound {:.3} s after the stop", secs(i))));
                }
                piece.len = m;
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

/// The breaks of `heard` in the middle of a sound of the render `r`: not
/// a quiet stretch that came out longer, nor a gap under 20 ms, which
/// soothe does not tell from scheduling noise (src/output/feed.rs, BREAK).
/// Lost samples always are.
pub fn in_a_sound(heard: &[(usize, i64)], r: &[f32]) -> Vec<(usize, i64)> {
    heard
        .iter()
        .filter(|(broke, silence)| {
            let sound = r[broke.saturating_sub(FADE)..*broke]
                .iter()
                .any(|s| s.abs() >= TOL);
            *silence < 0 || (sound && *silence >= 960)
        })
        .copied()
        .collect()
}

/// Where the sound broke up in a capture of the whole render (at unit
/// gain): for each break, the render sample where it happened and how
/// many samples of silence it put in (negative: samples lost). Errors
/// when the render cannot be followed to its end.
pub fn breaks(c: &[f32], r: &[f32]) -> Result<Vec<(usize, i64)>, String> {
    let v = first_voiced(r, 0).ok_or("the render is silent")?;
    let cv = locate(c, 0, r, v, 1.0).ok_or("the render never appears in the capture")?;
    let mut at = cv.checked_sub(v).ok_or("the capture began too late")?;
    let mut from = 0;
    let mut found = Vec::new();
    loop {
        let mut m = 0;
        while from + m < r.len() && at + m < c.len() && near(c[at + m], r[from + m]) {
            m += 1;
        }
        if from + m >= r.len() {
            return Ok(found);
        }
        if at + m >= c.len() {
            return Err(format!(
                "the capture ends {:.3} s into the render",
                (from + m) as f64 / 48_000.0
            ));
        }
        // The render goes on somewhere later in the capture.
        let broke = from + m;
        let resume = first_voiced(r, broke + 1).ok_or("nothing to resume")?;
        let search = (at + m).saturating_sub(48_000);
        // A break inside a sound can leave too little of it after the break
        // to be found; then the render's next sound half a second on is.
        let later = first_voiced(r, resume + 24_000);
        let located = locate(c, search, r, resume, 1.0)
            .map(|again| (resume, again))
            .or_else(|| later.and_then(|l| locate(c, search, r, l, 1.0).map(|again| (l, again))));
        let (resume, again) = located.ok_or_else(|| {
            let after = match later {
                Some(l) => format!("nor does the render from {:.3} s", l as f64 / 48_000.0),
                None => "and the render has no later sound".into(),
            };
            format!(
                "the render from {:.3} s never comes back (the capture, {:.3} s long, stopped \
                 following it at {:.3} s; {after})",
                resume as f64 / 48_000.0,
                c.len() as f64 / 48_000.0,
                (at + m) as f64 / 48_000.0
            )
        })?;
        let expected = at + (resume - from);
        found.push((broke, again as i64 - expected as i64));
        at = again;
        from = resume;
    }
}
