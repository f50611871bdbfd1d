//! How much the last second of sound is like an infant's cry: a small
//! convolutional network over the moment's frames ([`super::context`]).
//!
//! The network: the sounding frames' numbers standardised; convolutions
//! along time (each followed by ReLU and a max over `pool` frames); the
//! mean and the maximum of the last one's channels over the frames it
//! sees; dense layers (ReLU between them) down to one number, and the
//! logistic of it. About 11,000 weights: about 290,000 multiplications a
//! moment. A model may hold several networks, each looking back over its
//! own number of frames (up to 2 s), their answers averaged: soothe's
//! holds one; two, trained apart, were measured (BENCHMARKS.md, "Two
//! networks, their answers averaged").
//!
//! The weights are in `model.txt`, trained by `tools/listen-train` (a
//! Python script, seeded) on the frames `cargo bench --bench listen --
//! features` measures through this very pipeline: the donateacry corpus's
//! cries, and real recordings of speech, singing, laughter, household
//! sounds, animals and music (../shared/data/negatives, and the acted
//! game voices, animals and music of `tools/listen-negatives`), alone
//! and over the session's echo. They are part of the source: nothing is fetched.
//! `model-check.txt` holds frames and what the training script's own
//! network made of them, and a unit test holds this one to it.

use super::context::{Context, Window, CONTEXT, LONGEST, PER_FRAME, SOUNDING};

/// A convolution along time, then ReLU, then a max over `pool` frames.
#[derive(Debug, Clone, PartialEq)]
struct Conv {
    input: usize,
    out: usize,
    kernel: usize,
    pool: usize,
    /// Indexed `[k][input][out]`, so that the inner loop runs over the
    /// outputs.
    w: Vec<f32>,
    b: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq)]
struct Dense {
    input: usize,
    out: usize,
    /// Indexed `[out][input]`.
    w: Vec<f32>,
    b: Vec<f32>,
}

/// The networks whose answers are averaged.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    networks: Vec<Network>,
}

/// One network and its inputs' standardisation.
#[derive(Debug, Clone, PartialEq)]
struct Network {
    /// The frames it looks back over.
    frames: usize,
    mean: Vec<f32>,
    scale: Vec<f32>,
    convs: Vec<Conv>,
    dense: Vec<Dense>,
}

/// soothe's trained weights.
const TRAINED: &str = include_str!("model.txt");

impl Model {
    /// soothe's own model (crates/soothe-core/src/listen/model.txt).
    pub fn trained() -> Model {
        // The file is part of the source and a unit test reads it.
        Model::parse(TRAINED).expect("src/listen/model.txt is a model")
    }

    /// Weights in all.
    pub fn weights(&self) -> usize {
        self.networks.iter().map(Network::weights).sum()
    }

    /// How many networks it averages.
    pub fn networks(&self) -> usize {
        self.networks.len()
    }

    /// How likely the moment ending with the context's last frame is a
    /// cry, 0 to 1: the mean of the networks' answers.
    pub fn probability(&self, context: &Context) -> f32 {
        let sum: f32 = self
            .networks
            .iter()
            .map(|n| n.probability(&context.window(n.frames)))
            .sum();
        sum / self.networks.len() as f32
    }

    /// Reads the text form: lines `NAME DIMS... : VALUES...`; `#` starts a
    /// comment. One network after another, each begun by `frames : N`
    /// (the frames it looks back over; a file with a single network may
    /// leave it out, for [`CONTEXT`]), then in the network's order `mean`,
    /// `scale`, the `conv` layers as `conv.w` (out, input, kernel),
    /// `conv.b` and `conv.pool`, and the `dense` layers as `dense.w`
    /// (out, input) and `dense.b`.
    pub fn parse(text: &str) -> Result<Model, String> {
        let mut networks: Vec<Vec<Array>> = Vec::new();
        for array in arrays(text)? {
            match networks.last_mut() {
                Some(last) if array.0 != "frames" => last.push(array),
                _ => networks.push(vec![array]),
            }
        }
        let networks = networks
            .into_iter()
            .enumerate()
            .map(|(k, arrays)| {
                Network::build(arrays).map_err(|e| format!("network {}: {e}", k + 1))
            })
            .collect::<Result<Vec<Network>, String>>()?;
        if networks.is_empty() {
            return Err("no network".into());
        }
        Ok(Model { networks })
    }
}

/// A named array of the text form: its name, dimensions and values.
type Array = (String, Vec<usize>, Vec<f32>);

/// The text form's arrays, in order.
fn arrays(text: &str) -> Result<Vec<Array>, String> {
    let mut arrays = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let at = |e: String| format!("line {}: {e}", n + 1);
        let (head, values) = line.split_once(':').ok_or_else(|| at("no ':'".into()))?;
        let mut head = head.split_whitespace();
        let name = head.next().ok_or_else(|| at("no name".into()))?;
        let dims = head
            .map(|d| d.parse::<usize>().map_err(|e| at(format!("{d}: {e}"))))
            .collect::<Result<Vec<usize>, String>>()?;
        let values = values
            .split_whitespace()
            .map(|v| v.parse::<f32>().map_err(|e| at(format!("{v}: {e}"))))
            .collect::<Result<Vec<f32>, String>>()?;
        if values.len() != dims.iter().product::<usize>() {
            return Err(at(format!(
                "{name} has {} values, not {}",
                values.len(),
                dims.iter().product::<usize>()
            )));
        }
        arrays.push((name.to_string(), dims, values));
    }
    Ok(arrays)
}

impl Network {
    fn weights(&self) -> usize {
        let convs: usize = self.convs.iter().map(|c| c.w.len() + c.b.len()).sum();
        let dense: usize = self.dense.iter().map(|d| d.w.len() + d.b.len()).sum();
        convs + dense
    }

    /// How likely the frames are a cry, 0 to 1.
    fn probability(&self, window: &Window) -> f32 {
        let mut x: Vec<f32> = Vec::with_capacity(window.len() * PER_FRAME);
        for row in window {
            if row[SOUNDING] > 0.0 {
                x.extend(
                    row.iter()
                        .zip(self.mean.iter().zip(&self.scale))
                        .map(|(v, (m, s))| (v - m) / s),
                );
            } else {
                x.extend_from_slice(&[0.0; PER_FRAME]);
            }
        }
        let mut len = window.len();
        for conv in &self.convs {
            (x, len) = conv.apply(&x, len);
        }
        let channels = self.convs.last().map_or(PER_FRAME, |c| c.out);
        let mut pooled = vec![0.0; 2 * channels];
        for t in 0..len {
            for (c, v) in x[t * channels..(t + 1) * channels].iter().enumerate() {
                pooled[c] += v / len as f32;
                pooled[channels + c] = if t == 0 {
                    *v
                } else {
                    pooled[channels + c].max(*v)
                };
            }
        }
        let mut y = pooled;
        for (k, dense) in self.dense.iter().enumerate() {
            let last = k + 1 == self.dense.len();
            y = dense.apply(&y, !last);
        }
        1.0 / (1.0 + (-y[0]).exp())
    }

    fn build(arrays: Vec<Array>) -> Result<Network, String> {
        let mut arrays = arrays.into_iter().peekable();
        let mut next = |want: &str| -> Result<(Vec<usize>, Vec<f32>), String> {
            match arrays.next_if(|(name, ..)| name == want) {
                Some((_, dims, values)) => Ok((dims, values)),
                None => Err(format!("no {want} where it was expected")),
            }
        };
        let frames = match next("frames") {
            Err(_) => CONTEXT,
            Ok((_, values)) => match values[..] {
                [n] if n.fract() == 0.0 && (1.0..=LONGEST as f32).contains(&n) => n as usize,
                _ => return Err(format!("frames must be a whole number from 1 to {LONGEST}")),
            },
        };
        let (_, mean) = next("mean")?;
        let (_, scale) = next("scale")?;
        if mean.len() != PER_FRAME || scale.len() != PER_FRAME {
            return Err(format!("mean and scale need {PER_FRAME} values"));
        }
        if scale.iter().any(|s| *s <= 0.0) {
            return Err("a scale is not positive".into());
        }
        let (mut convs, mut dense) = (Vec::new(), Vec::new());
        let (mut channels, mut len) = (PER_FRAME, frames);
        while let Ok((dims, w)) = next("conv.w") {
            let [out, input, kernel] = dims[..] else {
                return Err("conv.w needs 3 dimensions".into());
            };
            let (_, b) = next("conv.b")?;
            let (_, pool) = next("conv.pool")?;
            let pool = pool.first().copied().unwrap_or(0.0) as usize;
            if input != channels || b.len() != out || pool == 0 || kernel == 0 || kernel > len {
                return Err(format!("conv {} does not fit", convs.len() + 1));
            }
            // From (out, input, kernel) to (kernel, input, out).
            let mut reordered = vec![0.0; w.len()];
            for o in 0..out {
                for i in 0..input {
                    for k in 0..kernel {
                        reordered[(k * input + i) * out + o] = w[(o * input + i) * kernel + k];
                    }
                }
            }
            convs.push(Conv {
                input,
                out,
                kernel,
                pool,
                w: reordered,
                b,
            });
            channels = out;
            len = (len - kernel + 1) / pool;
            if len == 0 {
                return Err("the convolutions leave no frames".into());
            }
        }
        // The mean and the maximum of each channel.
        let mut width = 2 * channels;
        while let Ok((dims, w)) = next("dense.w") {
            let [out, input] = dims[..] else {
                return Err("dense.w needs 2 dimensions".into());
            };
            let (_, b) = next("dense.b")?;
            if input != width || b.len() != out {
                return Err(format!("dense {} does not fit", dense.len() + 1));
            }
            dense.push(Dense { input, out, w, b });
            width = out;
        }
        if let Some((name, ..)) = arrays.next() {
            return Err(format!("{name} where none was expected"));
        }
        if dense.is_empty() || width != 1 {
            return Err("the network must end in one number".into());
        }
        Ok(Network {
            frames,
            mean,
            scale,
            convs,
            dense,
        })
    }
}

impl Conv {
    /// `x`: `len` frames of `self.input` numbers; the output and its length.
    fn apply(&self, x: &[f32], len: usize) -> (Vec<f32>, usize) {
        let (input, out) = (self.input, self.out);
        let full = len + 1 - self.kernel;
        let mut y = vec![0.0; full * out];
        for t in 0..full {
            let acc = &mut y[t * out..(t + 1) * out];
            acc.copy_from_slice(&self.b);
            for k in 0..self.kernel {
                let frame = &x[(t + k) * input..(t + k + 1) * input];
                let w = &self.w[k * input * out..(k + 1) * input * out];
                for (v, row) in frame.iter().zip(w.chunks_exact(out)) {
                    if *v != 0.0 {
                        for (a, w) in acc.iter_mut().zip(row) {
                            *a += w * v;
                        }
                    }
                }
            }
        }
        let pooled = full / self.pool;
        let mut z = vec![0.0f32; pooled * out];
        for t in 0..pooled {
            for o in 0..out {
                let best = (0..self.pool)
                    .map(|p| y[(t * self.pool + p) * out + o])
                    .fold(f32::NEG_INFINITY, f32::max);
                // ReLU after the max is the max after ReLU.
                z[t * out + o] = best.max(0.0);
            }
        }
        (z, pooled)
    }
}

impl Dense {
    fn apply(&self, x: &[f32], relu: bool) -> Vec<f32> {
        self.w
            .chunks_exact(self.input)
            .zip(&self.b)
            .map(|(row, b)| {
                let v = row.iter().zip(x).map(|(w, x)| w * x).sum::<f32>() + b;
                if relu {
                    v.max(0.0)
                } else {
                    v
                }
            })
            .collect()
    }
}

/// The text of a network over `frames` frames that hears how clearly
/// pitched the moment is: the logistic of `bias`, plus `gain` times the
/// harmonicity of its most pitched frame (one convolution, its maximum
/// over the frames). For tests of what uses a model.
#[cfg(test)]
pub(crate) fn pitch_network(frames: usize, gain: f32, bias: f32) -> String {
    let ones = vec!["1"; PER_FRAME].join(" ");
    let zeros = vec!["0"; PER_FRAME].join(" ");
    let mut w = vec!["0"; PER_FRAME];
    w[super::frame::BANDS] = "1";
    format!(
        "frames : {frames}\nmean {PER_FRAME} : {zeros}\nscale {PER_FRAME} : {ones}\n\
         conv.w 1 {PER_FRAME} 1 : {}\nconv.b 1 : 0\nconv.pool 1 : 1\n\
         dense.w 1 2 : 0 {gain}\ndense.b 1 : {bias}\n",
        w.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listen::context::frame_vector;
    use crate::listen::frame::Features;

    #[test]
    fn the_trained_model_reads() {
        assert!(Model::trained().weights() > 1_000);
    }

    #[test]
    fn a_model_with_too_few_weights_is_refused_by_line() {
        let text = format!("mean {PER_FRAME} : 0\n");
        assert_eq!(
            Model::parse(&text),
            Err(format!("line 1: mean has 1 values, not {PER_FRAME}"))
        );
        for text in ["frames : 300\n", "frames 2 : 64 64\n"] {
            assert_eq!(
                Model::parse(text),
                Err(format!(
                    "network 1: frames must be a whole number from 1 to {LONGEST}"
                )),
                "{text}"
            );
        }
    }

    #[test]
    fn the_networks_answers_are_averaged_each_over_its_own_frames() {
        let short = pitch_network(CONTEXT, 4.0, -2.0);
        let long = pitch_network(LONGEST, 4.0, -1.0);
        let both = Model::parse(&format!("{short}{long}")).unwrap();
        assert_eq!(both.networks(), 2);
        let pitched = Features {
            harmonicity: 1.0,
            ..Features::default()
        };
        let mut context = Context::default();
        // A pitched frame, then 100 frames of a flat sound: only the 2 s
        // network still sees the pitched one.
        context.push(Some((frame_vector(&pitched), -20.0)));
        for _ in 0..100 {
            context.push(Some((frame_vector(&Features::default()), -20.0)));
        }
        let logistic = |x: f32| 1.0 / (1.0 + (-x).exp());
        let want = (logistic(-2.0) + logistic(3.0)) / 2.0;
        let got = both.probability(&context);
        assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        let short = Model::parse(&short).unwrap();
        assert!((short.probability(&context) - logistic(-2.0)).abs() < 1e-6);
    }

    /// `model-check.txt`: frames (each `frame DB : NUMBERS`, or `quiet`)
    /// and, after each, what the training script's network made of the
    /// moment ending there (`p VALUE`, or `p none` if not weighed); `reset`
    /// starts another recording.
    #[test]
    fn the_model_hears_the_check_frames_as_the_training_script_did() {
        let model = Model::trained();
        let mut context = Context::default();
        let (mut checked, mut sounds) = (0, false);
        for line in include_str!("model-check.txt").lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("frame ") {
                let (db, numbers) = rest.split_once(':').unwrap();
                let mut v = [0.0; PER_FRAME];
                for (v, n) in v.iter_mut().zip(numbers.split_whitespace()) {
                    *v = n.parse().unwrap();
                }
                context.push(Some((v, db.trim().parse().unwrap())));
                sounds = true;
            } else if line == "quiet" {
                context.push(None);
                sounds = false;
            } else if line == "reset" {
                context = Context::default();
            } else if let Some(p) = line.strip_prefix("p ") {
                // As the decider does: a moment is weighed when its last
                // frame sounds.
                let ours = (sounds && context.weighed()).then(|| model.probability(&context));
                let theirs = p.parse::<f32>().ok();
                match (ours, theirs) {
                    (Some(a), Some(b)) => assert!((a - b).abs() < 1e-4, "{a} vs {b}"),
                    (a, b) => assert_eq!(a.is_some(), b.is_some(), "{a:?} vs {b:?}"),
                }
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked} moments checked");
    }
}
