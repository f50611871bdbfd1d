//! The session script: serde types for the RON format, loaded with positions.
//!
//! The format is documented, with an annotated example, in `docs/script-format.md`.

mod load;
mod locate;
mod ordered;
mod validate;

pub use load::{
    load_file, parse_bytes, parse_ron, parse_ron_bytes, read_small_file, FileError, Located,
    ReadProblem, MAX_SCRIPT_BYTES,
};
pub use locate::Locations;
pub use ordered::OrderedMap;
pub use validate::Problem;

use serde::Deserialize;

/// The built-in session, embedded so that `soothe play` works anywhere.
pub const BUILTIN_SOURCE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scripts/baby-massage.ron"
));
/// The name errors and listings use for the built-in session.
pub const BUILTIN_NAME: &str = "scripts/baby-massage.ron";

/// The sample rate a script gets when it does not name one.
pub const DEFAULT_SAMPLE_RATE: u32 = 48_000;

/// A whole session script.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Session", deny_unknown_fields)]
pub struct Script {
    pub title: String,
    /// The language its words are in (a BCP 47 tag such as "es"): the
    /// guide voice that speaks them, and where a parent's takes of them
    /// are kept. English when left out.
    #[serde(default)]
    pub language: Option<String>,
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
    /// What `--brief` changes: short cues instead of the full words.
    #[serde(default)]
    pub brief: Option<Brief>,
    /// Advice that must be spoken before what it guards.
    #[serde(default)]
    pub cautions: Vec<Caution>,
    /// What `play --listen` says when it hears the baby crying.
    #[serde(default)]
    pub listen: Option<Listen>,
    /// The file it was read from, to point at a place in it after loading.
    #[serde(skip)]
    pub origin: Origin,
}

/// A script's name and text, kept to point at `PATH:LINE:COL` in it
/// after it has loaded (a caution a session breaks, say).
#[derive(Clone, Default)]
pub struct Origin {
    name: String,
    source: std::sync::Arc<str>,
}

impl std::fmt::Debug for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Origin").field("name", &self.name).finish()
    }
}

/// Listening for the baby while the session plays (`play --listen`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listen {
    /// The prompt said when crying is heard and the session holds.
    pub prompt: String,
    /// Listen without `--listen`.
    #[serde(default)]
    pub always: bool,
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
    /// Step id (every stroke set of that step) or `step/move` (one move's
    /// stroke set) -> the stroke count to use.
    #[serde(default)]
    pub strokes: OrderedMap<u32>,
    /// Say the second prompt wherever the script (after the variant's
    /// swaps) says the first.
    #[serde(default)]
    pub swap: OrderedMap<String>,
    #[serde(default)]
    pub leave_out: Vec<String>,
}

/// The `--brief` mode: for parents who know the routine, short cues
/// instead of the full words. Applies to any variant and options.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brief {
    #[serde(default)]
    pub about: String,
    /// Say the second prompt (a short cue) wherever the session, after the
    /// variant's and options' swaps, says the first.
    #[serde(default)]
    pub swap: OrderedMap<String>,
    /// Prompts not said at all in brief mode.
    #[serde(default)]
    pub silent: Vec<String>,
}

/// A piece of advice that must be heard before the action it guards, such
/// as "an oiled baby is slippery" before each turn-over.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caution {
    pub name: String,
    #[serde(default)]
    pub about: String,
    /// The prompts that say it (any one of them will do).
    pub said_in: Vec<String>,
    /// What it guards.
    pub before: Vec<Guard>,
    /// Said again before every guarded action, not just once before the first.
    #[serde(default)]
    pub again: bool,
    /// Options that make the caution moot (such as `no-oil` for the oil cautions).
    #[serde(default)]
    pub not_with: Vec<String>,
}

/// What a caution guards.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub enum Guard {
    /// The step's first stroke (or its start, if it has no strokes).
    Step(String),
    /// Each time this prompt is said (a prompt that says the caution itself
    /// guards its own action).
    Prompt(String),
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
    /// Optional; lets an option change this move's count (`"step/move"`).
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub say: Vec<String>,
    /// What the move says on the step's second side instead of `say`
    /// (`[]`: nothing, the hands already know); `say` again when left out.
    #[serde(default)]
    pub second_side: Option<Vec<String>>,
    #[serde(default)]
    pub strokes: Option<Strokes>,
    #[serde(default)]
    pub wait: f64,
}

/// A set of strokes: how many, how long each one takes, and what the
/// hands do (checked against the words that introduce it).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strokes {
    pub count: u32,
    pub seconds: f64,
    #[serde(default)]
    pub direction: Option<Direction>,
    /// Where each stroke starts (a word the instructions use, such as "thigh").
    #[serde(default)]
    pub from: Option<String>,
    /// Where each stroke ends, such as "foot".
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub pressure: Option<Pressure>,
    /// Strokes made at each chime: 2 for a pair (one hand, then the other).
    #[serde(default = "one_stroke")]
    pub per_chime: u32,
    /// Variant name -> what that variant does differently.
    #[serde(default)]
    pub by_variant: OrderedMap<StrokesChange>,
}

fn one_stroke() -> u32 {
    1
}

/// What a variant changes in a stroke set; unset fields stay as they are.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Change", deny_unknown_fields)]
pub struct StrokesChange {
    #[serde(default)]
    pub seconds: Option<f64>,
    #[serde(default)]
    pub direction: Option<Direction>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub pressure: Option<Pressure>,
}

/// Which way a stroke goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Direction {
    /// Along a leg or arm, away from the heart (towards the foot or wrist): calming.
    AwayFromHeart,
    /// Along a leg or arm, towards the heart (up to the thigh or shoulder): waking.
    TowardsHeart,
    /// Downwards on the body: crown to nape, down the back, down the tummy.
    Down,
    /// From the middle outwards: palm to fingertips.
    Outwards,
    /// Small circles, such as a toe turned between finger and thumb.
    Circles,
    /// Presses, not strokes.
    Press,
}

/// How firmly the hands touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
pub enum Pressure {
    /// Hands glide without pressing at all.
    NoPress,
    VeryLight,
    Gentle,
    Firm,
}

impl Strokes {
    /// The set as `variant` does it.
    pub fn for_variant(&self, variant: &str) -> Strokes {
        let mut out = self.clone();
        out.by_variant = OrderedMap::default();
        if let Some(change) = self.by_variant.get(variant) {
            if let Some(seconds) = change.seconds {
                out.seconds = seconds;
            }
            if change.direction.is_some() {
                out.direction = change.direction;
            }
            if change.from.is_some() {
                out.from.clone_from(&change.from);
            }
            if change.to.is_some() {
                out.to.clone_from(&change.to);
            }
            if change.pressure.is_some() {
                out.pressure = change.pressure;
            }
        }
        out
    }
}

impl Script {
    /// The built-in six-technique baby massage.
    pub fn builtin() -> Script {
        Script::parse(BUILTIN_SOURCE, BUILTIN_NAME).expect("the built-in script is valid")
    }

    /// The language its words are in ([`Script::language`]'s tag, as
    /// soothe writes it; English when it names none).
    pub fn language(&self) -> &'static str {
        self.language
            .as_deref()
            .and_then(|tag| crate::session::language::find(tag).ok())
            .unwrap_or(crate::session::language::ENGLISH)
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
                let mut said = vec![id];
                said.extend(
                    self.variants
                        .iter()
                        .filter_map(|v| v.swap.get(id))
                        .map(String::as_str),
                );
                // Options swap what the variants chose, brief mode what
                // the options chose.
                let options: Vec<&OrderedMap<String>> =
                    self.options.iter().map(|o| &o.swap).collect();
                let brief: Vec<&OrderedMap<String>> = self.brief.iter().map(|b| &b.swap).collect();
                for layer in [options, brief] {
                    for said_id in said.clone() {
                        said.extend(
                            layer
                                .iter()
                                .filter_map(|swap| swap.get(said_id))
                                .map(String::as_str),
                        );
                    }
                }
                wanted.extend(said);
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
            .chain(
                self.moves
                    .iter()
                    .flat_map(|m| m.say.iter().chain(m.second_side.iter().flatten())),
            )
            .chain(self.other_side.iter())
            .map(String::as_str)
    }
}
