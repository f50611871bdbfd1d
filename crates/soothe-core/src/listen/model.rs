//! How much the last moment of sound is like an infant's cry: a small
//! network over the frames of the last 0.77 s.
//!
//! Each frame the microphone hears (after soothe's echo is taken out)
//! becomes a few numbers ([`frame_vector`]): the spectrum's shape in 12
//! mel bands up to 3.3 kHz, its pitch, how clearly pitched it is and the
//! share of it at the fundamental. [`Context`] keeps the last
//! [`CONTEXT`] of them and sums up the sounding ones (their means and
//! spreads, how much of the moment sounds, how much of it is pitched high,
//! and how the pitch wavers). [`Model`], one hidden layer, says from that
//! how likely the moment is a cry.
//!
//! The weights are in `model.txt`, trained by `cargo bench --bench listen
//! -- train` on the development families of the donateacry corpus mixed
//! into the session's echo (the positives) and on the session's echo with
//! adult speech, song, humming and household noise (the negatives); see
//! BENCHMARKS.md. They are part of the source: nothing is fetched.

use std::collections::VecDeque;

use super::frame::{Features, BANDS};

/// Numbers per frame.
pub const PER_FRAME: usize = BANDS + 3;
/// Frames summed up: 48 hops of 16 ms.
pub const CONTEXT: usize = 48;
/// The network's inputs: means and spreads, and three shares.
pub const INPUTS: usize = 2 * PER_FRAME + 3;
/// The input that is the share of sounding frames pitched as a cry is.
pub const PITCHED: usize = 2 * PER_FRAME + 1;

/// A frame's numbers, scaled to about -3..3. Not its level: how loud a
/// sound is says where it is, not what it is (that it stands out of the
/// room's noise and the echo is for [`super::decide`] to check).
pub fn frame_vector(f: &Features) -> [f32; PER_FRAME] {
    let mut v = [0.0; PER_FRAME];
    for (v, band) in v.iter_mut().zip(&f.bands) {
        *v = band / 10.0;
    }
    v[BANDS] = f.harmonicity;
    v[BANDS + 1] = if f.f0 > 0.0 {
        (f.f0 / 400.0).log2()
    } else {
        -3.0
    };
    v[BANDS + 2] = f.fundamental;
    v
}

/// A frame in the context: its numbers if it sounds (stands out of the
/// room's noise and soothe's echo), with its pitch if clearly pitched.
#[derive(Debug, Clone, Copy)]
struct Heard {
    numbers: [f32; PER_FRAME],
    /// Pitch in semitones, when the frame is clearly pitched.
    semitones: Option<f32>,
    /// Pitched as a cry is (250-1,300 Hz, harmonic).
    cry_pitched: bool,
}

/// The last [`CONTEXT`] frames.
#[derive(Debug, Default)]
pub struct Context {
    frames: VecDeque<Option<Heard>>,
}

impl Context {
    /// Takes a frame: its numbers when it sounds, `None` when it does not.
    pub fn push(&mut self, sounding: Option<(&Features, [f32; PER_FRAME])>) {
        let heard = sounding.map(|(f, numbers)| {
            let pitched = f.harmonicity >= 0.45 && f.f0 > 0.0;
            Heard {
                numbers,
                semitones: pitched.then(|| 12.0 * (f.f0 / 440.0).log2()),
                cry_pitched: pitched && (250.0..=1_300.0).contains(&f.f0),
            }
        });
        if self.frames.len() == CONTEXT {
            self.frames.pop_front();
        }
        self.frames.push_back(heard);
    }

    /// The network's inputs, once a quarter of the context sounds.
    pub fn inputs(&self) -> Option<[f32; INPUTS]> {
        let heard: Vec<&Heard> = self.frames.iter().flatten().collect();
        if heard.len() * 4 < CONTEXT {
            return None;
        }
        let n = heard.len() as f32;
        let mut x = [0.0; INPUTS];
        for h in &heard {
            for (m, v) in x[..PER_FRAME].iter_mut().zip(&h.numbers) {
                *m += v / n;
            }
        }
        for h in &heard {
            for k in 0..PER_FRAME {
                let d = h.numbers[k] - x[k];
                x[PER_FRAME + k] += d * d / n;
            }
        }
        for s in &mut x[PER_FRAME..2 * PER_FRAME] {
            *s = s.sqrt();
        }
        x[2 * PER_FRAME] = n / CONTEXT as f32;
        x[PITCHED] = heard.iter().filter(|h| h.cry_pitched).count() as f32 / n;
        // How the pitch wavers from frame to frame (semitones, at most 6):
        // a sung note holds, a cry wobbles and glides.
        let steps: Vec<f32> = self
            .frames
            .iter()
            .zip(self.frames.iter().skip(1))
            .filter_map(|(a, b)| Some((a.as_ref()?.semitones? - b.as_ref()?.semitones?).abs()))
            .map(|d| d.min(6.0))
            .collect();
        x[2 * PER_FRAME + 2] = if steps.is_empty() {
            0.0
        } else {
            steps.iter().sum::<f32>() / steps.len() as f32 / 6.0
        };
        Some(x)
    }
}

/// One hidden layer (tanh), one output (logistic), over standardised
/// inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    /// `hidden` rows of [`INPUTS`] weights.
    pub w1: Vec<f32>,
    pub b1: Vec<f32>,
    pub w2: Vec<f32>,
    pub b2: f32,
}

/// soothe's trained weights.
const TRAINED: &str = include_str!("model.txt");

impl Model {
    /// soothe's own model (src/listen/model.txt).
    pub fn trained() -> Model {
        // The file is part of the source and a unit test reads it.
        Model::parse(TRAINED).expect("src/listen/model.txt is a model")
    }

    pub fn hidden(&self) -> usize {
        self.b1.len()
    }

    /// How likely `x` is a cry, 0 to 1.
    pub fn probability(&self, x: &[f32; INPUTS]) -> f32 {
        let mut z: [f32; INPUTS] = [0.0; INPUTS];
        for (k, z) in z.iter_mut().enumerate() {
            *z = (x[k] - self.mean[k]) / self.scale[k];
        }
        let mut out = self.b2;
        for (j, row) in self.w1.chunks_exact(INPUTS).enumerate() {
            let a: f32 = row.iter().zip(&z).map(|(w, z)| w * z).sum::<f32>() + self.b1[j];
            out += self.w2[j] * a.tanh();
        }
        1.0 / (1.0 + (-out).exp())
    }

    /// Reads the text form: lines `name value...`; `#` starts a comment.
    pub fn parse(text: &str) -> Result<Model, String> {
        let mut fields = std::collections::HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            let mut words = line.split_whitespace();
            let Some(name) = words.next() else { continue };
            let values = words
                .map(|w| w.parse::<f32>())
                .collect::<Result<Vec<f32>, _>>()
                .map_err(|e| format!("line {}: {e}", n + 1))?;
            fields.insert(name.to_string(), values);
        }
        let mut take = |name: &str, len: Option<usize>| -> Result<Vec<f32>, String> {
            let v = fields.remove(name).ok_or(format!("no {name}"))?;
            match len {
                Some(len) if v.len() != len => {
                    Err(format!("{name} has {} values, not {len}", v.len()))
                }
                _ => Ok(v),
            }
        };
        let b1 = take("b1", None)?;
        let hidden = b1.len();
        let model = Model {
            mean: take("mean", Some(INPUTS))?,
            scale: take("scale", Some(INPUTS))?,
            w1: take("w1", Some(hidden * INPUTS))?,
            w2: take("w2", Some(hidden))?,
            b2: take("b2", Some(1))?[0],
            b1,
        };
        if model.scale.iter().any(|s| *s <= 0.0) {
            return Err("a scale is not positive".into());
        }
        Ok(model)
    }

    /// The text form, read back by [`Model::parse`].
    pub fn to_text(&self, comment: &str) -> String {
        let mut out = String::new();
        for line in comment.lines() {
            out.push_str(&format!("# {line}\n"));
        }
        let mut put = |name: &str, values: &[f32]| {
            out.push_str(name);
            for v in values {
                out.push_str(&format!(" {v:e}"));
            }
            out.push('\n');
        };
        put("mean", &self.mean);
        put("scale", &self.scale);
        put("w1", &self.w1);
        put("b1", &self.b1);
        put("w2", &self.w2);
        put("b2", &[self.b2]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trained_model_reads_and_its_text_form_reads_back_the_same() {
        let model = Model::trained();
        assert!(model.hidden() > 0);
        assert_eq!(Model::parse(&model.to_text("again")).unwrap(), model);
    }

    #[test]
    fn a_model_with_too_few_weights_is_refused_by_name() {
        let text = TRAINED.replace("\nb2 ", "\nb2 1 ");
        assert_eq!(Model::parse(&text), Err("b2 has 2 values, not 1".into()));
    }

    #[test]
    fn a_moment_that_hardly_sounds_has_no_inputs() {
        let mut context = Context::default();
        let f = Features::default();
        for k in 0..CONTEXT {
            let sounding = k % 5 == 0;
            context.push(sounding.then(|| (&f, frame_vector(&f))));
        }
        assert_eq!(context.inputs(), None);
        for _ in 0..CONTEXT / 2 {
            context.push(Some((&f, frame_vector(&f))));
        }
        let x = context.inputs().unwrap();
        assert!((x[2 * PER_FRAME] - 0.6).abs() < 0.01, "{x:?}");
    }
}
