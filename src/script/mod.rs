//! The session script: serde types for the RON format, loaded with positions.
//!
//! The format is documented, with an annotated example, in `docs/script-format.md`.

mod load;
mod locate;
mod ordered;
mod validate;

pub use load::{load_file, parse_bytes, Located, ScriptError, MAX_SCRIPT_BYTES};
pub use ordered::OrderedMap;

use serde::Deserialize;

/// The built-in session, embedded so that `soothe play` works anywhere.
pub const BUILTIN_SOURCE: &str = include_str!("../../scripts/baby-massage.ron");
/// The name errors and listings use for the built-in session.
pub const BUILTIN_NAME: &str = "scripts/baby-massage.ron";

/// The sample rate a script gets when it does not name one.
pub const DEFAULT_SAMPLE_RATE: u32 = 48_000;

/// A whole session script.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Session", deny_unknown_fields)]
pub struct Script {
    pub title: String,
    #[serde(default = "default_sample_rate")]
    pub sample_rate: u32,
    /// The step that "baby's done" jumps to.
    #[serde(default)]
    pub closing: Option<String>,
    /// The first variant is the default.
    pub variants: Vec<Variant>,
    #[serde(default)]
    pub options: Vec<SessionOption>,
    /// Prompt id -> the words spoken, shown and read aloud when recording.
    pub prompts: OrderedMap<String>,
    pub steps: Vec<Step>,
}

fn default_sample_rate() -> u32 {
    DEFAULT_SAMPLE_RATE
}

fn one() -> f64 {
    1.0
}

/// A way of doing the whole session, such as `relaxing` or `invigorating`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub name: String,
    #[serde(default)]
    pub about: String,
    /// Multiplies the seconds of every stroke: 0.7 is quicker, 1.2 slower.
    #[serde(default = "one")]
    pub tempo: f64,
    #[serde(default)]
    pub chime: ChimeStyle,
    /// Say the second prompt wherever the script says the first.
    #[serde(default)]
    pub swap: OrderedMap<String>,
    /// Steps this variant leaves out.
    #[serde(default)]
    pub leave_out: Vec<String>,
}

/// The character of the stroke chimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum ChimeStyle {
    /// Low and soft, for a calm, sleepy session.
    #[default]
    Soft,
    /// Higher and brighter, for a lively session.
    Bright,
}

/// A named change a parent can ask for with `--with NAME`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Option", deny_unknown_fields)]
pub struct SessionOption {
    pub name: String,
    pub about: String,
    /// Step id -> the stroke count to use for every stroke set of that step.
    #[serde(default)]
    pub strokes: OrderedMap<u32>,
    #[serde(default)]
    pub leave_out: Vec<String>,
}

/// One part of the session, such as the legs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub title: String,
    /// Spoken once, as the step begins.
    #[serde(default)]
    pub say: Vec<String>,
    /// Strokes straight after `say`, a chime at the start of each.
    #[serde(default)]
    pub strokes: Option<Strokes>,
    /// Further moves, each with its own words and strokes.
    #[serde(default)]
    pub moves: Vec<Move>,
    /// When set, the step is done on both sides: this prompt is spoken
    /// after the first side, then the strokes and moves are done again.
    #[serde(default)]
    pub other_side: Option<String>,
    /// Quiet seconds at the end of the step.
    #[serde(default)]
    pub wait: f64,
}

/// A move within a step: its words, its strokes, then an optional quiet wait.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    #[serde(default)]
    pub say: Vec<String>,
    #[serde(default)]
    pub strokes: Option<Strokes>,
    #[serde(default)]
    pub wait: f64,
}

/// A set of strokes: how many, and how long each one takes.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strokes {
    pub count: u32,
    pub seconds: f64,
}

impl Script {
    /// The built-in six-technique baby massage.
    pub fn builtin() -> Script {
        Script::parse(BUILTIN_SOURCE, BUILTIN_NAME).expect("the built-in script is valid")
    }

    pub fn variant(&self, name: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.name == name)
    }

    pub fn option(&self, name: &str) -> Option<&SessionOption> {
        self.options.iter().find(|o| o.name == name)
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The step "baby's done" jumps to: the one the script marks, or the last.
    pub fn closing_step(&self) -> Option<&str> {
        self.closing
            .as_deref()
            .or_else(|| self.steps.last().map(|s| s.id.as_str()))
    }

    /// Every prompt id in the order a session first speaks it, then the
    /// ones only variants use, then any the steps never name.
    pub fn prompts_in_order(&self) -> Vec<&str> {
        let mut wanted: Vec<&str> = Vec::new();
        for step in &self.steps {
            for id in step.prompt_refs() {
                wanted.push(id);
                wanted.extend(
                    self.variants
                        .iter()
                        .filter_map(|v| v.swap.get(id))
                        .map(String::as_str),
                );
            }
        }
        wanted.extend(self.prompts.keys());
        let mut seen = std::collections::HashSet::new();
        let mut order: Vec<&str> = Vec::new();
        for id in wanted {
            if let Some((key, _)) = self.prompts.get_key_value(id) {
                if seen.insert(key) {
                    order.push(key);
                }
            }
        }
        order
    }
}

impl Step {
    /// Every prompt the step names, in the order they are spoken.
    pub fn prompt_refs(&self) -> impl Iterator<Item = &str> {
        self.say
            .iter()
            .chain(self.moves.iter().flat_map(|m| m.say.iter()))
            .chain(self.other_side.iter())
            .map(String::as_str)
    }
}
