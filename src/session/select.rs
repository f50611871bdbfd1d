//! Choosing what to play: a variant, options and skipped steps turn a
//! script into a flat list of parts per step.

use crate::script::{ChimeStyle, Script, Strokes};

/// What the user asked for on the command line, in core terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `None` means the script's first variant.
    pub variant: Option<String>,
    pub with: Vec<String>,
    pub skip: Vec<String>,
    /// `--brief`: the script's short cues instead of its full words.
    pub brief: bool,
}

/// A name the script does not know, with the names it does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("unknown variant \"{name}\"; valid variants: {valid}")]
    Variant { name: String, valid: String },
    #[error("unknown option \"{name}\"; valid options: {valid}")]
    Option { name: String, valid: String },
    #[error("unknown step \"{name}\"; valid steps: {valid}")]
    Step { name: String, valid: String },
    #[error("nothing left to play: the {variant} session without the steps left out has no steps; skip fewer steps")]
    Nothing { variant: String },
    #[error("this script has no brief mode (no `brief:` in it)")]
    NoBrief,
}

/// One thing that happens within a step, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Speak a prompt.
    Say(String),
    /// A set of strokes, a chime at the start of each.
    Strokes(Strokes),
    /// Quiet, in seconds.
    Wait(f64),
}

/// A step as it will be played.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedStep {
    pub id: String,
    pub title: String,
    pub parts: Vec<Part>,
}

/// A script with a variant and options applied and skipped steps removed.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub title: String,
    pub sample_rate: u32,
    pub variant: String,
    pub options: Vec<String>,
    /// Played in brief mode.
    pub brief: bool,
    pub chime: ChimeStyle,
    /// The step "baby's done" jumps to, if it is part of this session.
    pub closing: Option<String>,
    pub steps: Vec<PlannedStep>,
}

fn names<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = items.collect();
    if list.is_empty() {
        "(none)".into()
    } else {
        list.join(", ")
    }
}

impl Selection {
    /// Checks every name against the script and applies the choice.
    pub fn apply(&self, script: &Script) -> Result<Session, SelectError> {
        let variant = match &self.variant {
            None => &script.variants[0],
            Some(name) => script.variant(name).ok_or_else(|| SelectError::Variant {
                name: name.clone(),
                valid: names(script.variants.iter().map(|v| v.name.as_str())),
            })?,
        };
        let mut options = Vec::new();
        for name in &self.with {
            let option = script.option(name).ok_or_else(|| SelectError::Option {
                name: name.clone(),
                valid: names(script.options.iter().map(|o| o.name.as_str())),
            })?;
            if !options
                .iter()
                .any(|o: &&crate::script::SessionOption| o.name == option.name)
            {
                options.push(option);
            }
        }
        for name in &self.skip {
            if script.step(name).is_none() {
                return Err(SelectError::Step {
                    name: name.clone(),
                    valid: names(script.steps.iter().map(|s| s.id.as_str())),
                });
            }
        }

        let brief = match (self.brief, &script.brief) {
            (false, _) => None,
            (true, Some(brief)) => Some(brief),
            (true, None) => return Err(SelectError::NoBrief),
        };

        let left_out: std::collections::HashSet<&str> = self
            .skip
            .iter()
            .chain(&variant.leave_out)
            .chain(options.iter().flat_map(|o| &o.leave_out))
            .map(String::as_str)
            .collect();
        let left_out = |id: &str| left_out.contains(id);
        // The variant's swap, then the last chosen option's that names the
        // result, then brief mode's: each layer looks at what the one
        // before it chose.
        let say = |id: &str| -> Option<Part> {
            let id = variant.swap.get(id).map_or(id, String::as_str);
            let id = options
                .iter()
                .rev()
                .find_map(|o| o.swap.get(id))
                .map_or(id, String::as_str);
            match brief {
                None => Some(Part::Say(id.to_string())),
                Some(brief) if brief.silent.iter().any(|s| s == id) => None,
                Some(brief) => Some(Part::Say(
                    brief.swap.get(id).map_or(id, String::as_str).to_string(),
                )),
            }
        };
        let strokes = |step_id: &str, move_id: Option<&str>, strokes: &Strokes| {
            let move_key = move_id.map(|m| format!("{step_id}/{m}"));
            let count = options
                .iter()
                .rev()
                .find_map(|o| {
                    move_key
                        .as_deref()
                        .and_then(|key| o.strokes.get(key))
                        .or_else(|| o.strokes.get(step_id))
                        .copied()
                })
                .unwrap_or(strokes.count);
            let mut planned = strokes.for_variant(&variant.name);
            planned.count = count;
            planned.seconds *= variant.tempo;
            Part::Strokes(planned)
        };

        let mut steps = Vec::new();
        for step in script.steps.iter().filter(|s| !left_out(&s.id)) {
            let mut parts: Vec<Part> = step.say.iter().filter_map(|id| say(id)).collect();
            let sides = if step.other_side.is_some() { 2 } else { 1 };
            for side in 0..sides {
                if side > 0 {
                    parts.extend(step.other_side.as_deref().and_then(say));
                }
                parts.extend(step.strokes.as_ref().map(|s| strokes(&step.id, None, s)));
                for mv in &step.moves {
                    let words = match (&mv.second_side, side) {
                        (Some(again), 1..) => again,
                        _ => &mv.say,
                    };
                    parts.extend(words.iter().filter_map(|id| say(id)));
                    parts.extend(
                        mv.strokes
                            .as_ref()
                            .map(|s| strokes(&step.id, mv.id.as_deref(), s)),
                    );
                    if mv.wait > 0.0 {
                        parts.push(Part::Wait(mv.wait));
                    }
                }
            }
            if step.wait > 0.0 {
                parts.push(Part::Wait(step.wait));
            }
            steps.push(PlannedStep {
                id: step.id.clone(),
                title: step.title.clone(),
                parts,
            });
        }

        if steps.is_empty() {
            return Err(SelectError::Nothing {
                variant: variant.name.clone(),
            });
        }
        let closing = script
            .closing_step()
            .filter(|id| steps.iter().any(|s| s.id == *id))
            .map(str::to_string);
        Ok(Session {
            title: script.title.clone(),
            sample_rate: script.sample_rate,
            variant: variant.name.clone(),
            options: options.iter().map(|o| o.name.clone()).collect(),
            brief: brief.is_some(),
            chime: variant.chime,
            closing,
            steps,
        })
    }
}
