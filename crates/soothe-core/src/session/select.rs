//! Choosing what to play: a variant, options and skipped steps turn a
//! script into a flat list of parts per step.

use std::collections::HashSet;

use crate::session::script::{Brief, ChimeStyle, Script, SessionOption, Step, Strokes, Variant};

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
    #[error("unknown variant \"{}\"; valid variants: {valid}", crate::error::shown(.name))]
    Variant { name: String, valid: String },
    #[error("unknown option \"{}\"; valid options: {valid}", crate::error::shown(.name))]
    Option { name: String, valid: String },
    #[error("unknown step \"{}\"; valid steps: {valid}", crate::error::shown(.name))]
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
    /// The language of its words (a BCP 47 tag: "en", "es").
    pub language: &'static str,
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
        // Checked in this order, so that the first wrong name is the one
        // named.
        let variant = self.variant_in(script)?;
        let options = self.options_in(script)?;
        self.check_skips(script)?;
        let brief = self.brief_in(script)?;
        let choice = Picked {
            variant,
            options,
            brief,
        };
        let left_out = choice.left_out(&self.skip);
        let steps: Vec<PlannedStep> = script
            .steps
            .iter()
            .filter(|step| !left_out.contains(step.id.as_str()))
            .map(|step| choice.plan(step))
            .collect();
        if steps.is_empty() {
            return Err(SelectError::Nothing {
                variant: choice.variant.name.clone(),
            });
        }
        Ok(choice.session(script, steps))
    }

    /// The variant asked for, or the script's first.
    fn variant_in<'s>(&self, script: &'s Script) -> Result<&'s Variant, SelectError> {
        match &self.variant {
            None => Ok(&script.variants[0]),
            Some(name) => script.variant(name).ok_or_else(|| SelectError::Variant {
                name: name.clone(),
                valid: names(script.variants.iter().map(|v| v.name.as_str())),
            }),
        }
    }

    /// The options asked for, each once, in the script's order: where two
    /// of them change the same prompt or count, the one the script names
    /// later wins, whatever order they were asked for in. So a set of
    /// options is one session, which is what `soothe check` proves safe.
    fn options_in<'s>(&self, script: &'s Script) -> Result<Vec<&'s SessionOption>, SelectError> {
        let mut chosen = vec![false; script.options.len()];
        for name in &self.with {
            let index = script
                .options
                .iter()
                .position(|o| o.name == *name)
                .ok_or_else(|| SelectError::Option {
                    name: name.clone(),
                    valid: names(script.options.iter().map(|o| o.name.as_str())),
                })?;
            chosen[index] = true;
        }
        Ok(script
            .options
            .iter()
            .zip(chosen)
            .filter_map(|(option, chosen)| chosen.then_some(option))
            .collect())
    }

    /// Every step to skip is one the script has.
    fn check_skips(&self, script: &Script) -> Result<(), SelectError> {
        match self.skip.iter().find(|name| script.step(name).is_none()) {
            None => Ok(()),
            Some(name) => Err(SelectError::Step {
                name: name.clone(),
                valid: names(script.steps.iter().map(|s| s.id.as_str())),
            }),
        }
    }

    /// Brief mode's cues when brief mode is asked for.
    fn brief_in<'s>(&self, script: &'s Script) -> Result<Option<&'s Brief>, SelectError> {
        match (self.brief, &script.brief) {
            (false, _) => Ok(None),
            (true, Some(brief)) => Ok(Some(brief)),
            (true, None) => Err(SelectError::NoBrief),
        }
    }
}

/// Brief mode's layer, the last: what is said for `id` (after the
/// variant's and the options' swaps), or `None` where brief mode keeps
/// quiet. Without brief mode, `id` itself.
pub fn in_brief<'a>(brief: Option<&'a Brief>, id: &'a str) -> Option<&'a str> {
    match brief {
        None => Some(id),
        Some(brief) if brief.silent.iter().any(|s| s == id) => None,
        Some(brief) => Some(brief.swap.get(id).map_or(id, String::as_str)),
    }
}

/// A variant, options and brief mode, checked against the script: what
/// turns a step of it into the parts played.
struct Picked<'s> {
    variant: &'s Variant,
    options: Vec<&'s SessionOption>,
    brief: Option<&'s Brief>,
}

impl<'s> Picked<'s> {
    /// The steps left out: those skipped, and those the variant or an
    /// option leaves out.
    fn left_out<'a>(&'a self, skip: &'a [String]) -> HashSet<&'a str> {
        skip.iter()
            .chain(&self.variant.leave_out)
            .chain(self.options.iter().flat_map(|o| &o.leave_out))
            .map(String::as_str)
            .collect()
    }

    /// A step as played: its words, then each side in turn (the other
    /// side's prompt between them), then its wait.
    fn plan(&self, step: &Step) -> PlannedStep {
        let mut parts: Vec<Part> = step.say.iter().filter_map(|id| self.say(id)).collect();
        let sides = if step.other_side.is_some() { 2 } else { 1 };
        for side in 0..sides {
            if side > 0 {
                parts.extend(step.other_side.as_deref().and_then(|id| self.say(id)));
            }
            self.side(step, side, &mut parts);
        }
        if step.wait > 0.0 {
            parts.push(Part::Wait(step.wait));
        }
        PlannedStep {
            id: step.id.clone(),
            title: step.title.clone(),
            parts,
        }
    }

    /// One side of a step (`side` 0 the first): its strokes, then its
    /// moves, each with its words (for the second side, the move's own
    /// words for it if it has them), strokes and wait.
    fn side(&self, step: &Step, side: usize, parts: &mut Vec<Part>) {
        parts.extend(
            step.strokes
                .as_ref()
                .map(|s| self.strokes(&step.id, None, s)),
        );
        for mv in &step.moves {
            let words = match (&mv.second_side, side) {
                (Some(again), 1..) => again,
                _ => &mv.say,
            };
            parts.extend(words.iter().filter_map(|id| self.say(id)));
            parts.extend(
                mv.strokes
                    .as_ref()
                    .map(|s| self.strokes(&step.id, mv.id.as_deref(), s)),
            );
            if mv.wait > 0.0 {
                parts.push(Part::Wait(mv.wait));
            }
        }
    }

    /// The prompt said for `id`, or `None` when brief mode keeps quiet.
    /// The variant's swap, then the swap of the chosen option latest in
    /// the script that names the result, then brief mode's: each layer
    /// looks at what the one before it chose.
    fn say(&self, id: &str) -> Option<Part> {
        let id = self.variant.swap.get(id).map_or(id, String::as_str);
        let id = self
            .options
            .iter()
            .rev()
            .find_map(|o| o.swap.get(id))
            .map_or(id, String::as_str);
        in_brief(self.brief, id).map(|id| Part::Say(id.to_string()))
    }

    /// A set of strokes as the variant plays them: its direction and
    /// tempo, and the count of the chosen option latest in the script that
    /// changes it (for the move, `step/move`, before the whole step).
    fn strokes(&self, step_id: &str, move_id: Option<&str>, strokes: &Strokes) -> Part {
        let move_key = move_id.map(|m| format!("{step_id}/{m}"));
        let count = self
            .options
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
        let mut planned = strokes.for_variant(&self.variant.name);
        planned.count = count;
        planned.seconds *= self.variant.tempo;
        Part::Strokes(planned)
    }

    /// The session of `steps`, with the closing step if it is one of them.
    fn session(self, script: &Script, steps: Vec<PlannedStep>) -> Session {
        let closing = script
            .closing_step()
            .filter(|id| steps.iter().any(|s| s.id == *id))
            .map(str::to_string);
        Session {
            title: script.title.clone(),
            language: script.language(),
            sample_rate: script.sample_rate,
            variant: self.variant.name.clone(),
            options: self.options.iter().map(|o| o.name.clone()).collect(),
            brief: self.brief.is_some(),
            chime: self.variant.chime,
            closing,
            steps,
        }
    }
}
