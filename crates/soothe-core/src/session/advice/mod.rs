//! The advice a script declares, checked against a session as it will be
//! played: every caution is said before what it guards, and every stroke
//! set's words name where its strokes start and end, in that order.
//!
//! These checks know nothing of any language beyond the script's own
//! words (`from`, `to`); what the words must mean is for the script's
//! tests to say.

mod search;

pub use search::breaking_selections;

use crate::session::script::{Guard, Script, Strokes};
use crate::session::select::{Part, Selection, Session};

/// One place where a session breaks its script's advice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    /// The step it happens in.
    pub step: String,
    pub message: String,
    /// Where in the script the advice is declared that is broken: the
    /// caution (`.cautions[2]`) or the prompt that should say where the
    /// strokes go (`.prompts["legs"]`), for `PATH:LINE:COL`.
    pub at: String,
}

impl std::fmt::Display for Breach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.step, self.message)
    }
}

/// A stroke set as played, with the words that introduce it.
#[derive(Debug, Clone, PartialEq)]
pub struct Instructed<'a> {
    pub step: &'a str,
    pub strokes: &'a Strokes,
    /// The last prompt said before the set in its step, if any.
    pub prompt: Option<&'a str>,
    /// False for the same set again on the other side.
    pub first: bool,
}

/// A way of playing, as the options that ask for it: `calm --with dry
/// --brief` (`variant` is the one the selection comes to).
pub fn way(selection: &Selection, variant: &str) -> String {
    let options: String = selection
        .with
        .iter()
        .map(|o| format!(" --with {o}"))
        .collect();
    let brief = if selection.brief { " --brief" } else { "" };
    format!("{variant}{options}{brief}")
}

/// The advice holds in the session `selection` asks for, steps skipped
/// or not (skipping is the parent's own choice, as n is): the first
/// breach, at the caution or the words it is about.
pub fn keep(script: &Script, selection: &Selection) -> Result<(), crate::session::script::Located> {
    let whole = Selection {
        skip: Vec::new(),
        ..selection.clone()
    };
    let Ok(session) = whole.apply(script) else {
        return Ok(());
    };
    match check(script, &session).into_iter().next() {
        None => Ok(()),
        Some(breach) => Err(script.located(
            &breach.at,
            format!(
                "the advice is not kept when played as {}: {breach}; `soothe check` lists every way it breaks",
                way(&whole, &session.variant)
            ),
        )),
    }
}

/// Every stroke set of `session`, in order, with the prompt that
/// introduces it.
pub fn instructed(session: &Session) -> Vec<Instructed<'_>> {
    let mut out: Vec<Instructed> = Vec::new();
    for step in &session.steps {
        let mut last_said: Option<&str> = None;
        let mut seen: Vec<&Strokes> = Vec::new();
        for part in &step.parts {
            match part {
                Part::Say(id) => last_said = Some(id),
                Part::Strokes(strokes) => {
                    let first = !seen.iter().any(|s| same_set(s, strokes));
                    seen.push(strokes);
                    out.push(Instructed {
                        step: &step.id,
                        strokes,
                        prompt: last_said,
                        first,
                    });
                }
                Part::Wait(_) => {}
            }
        }
    }
    out
}

fn same_set(a: &Strokes, b: &Strokes) -> bool {
    a.direction == b.direction && a.from == b.from && a.to == b.to && a.seconds == b.seconds
}

/// Where `needle` occurs in `text` as a whole word or phrase (case
/// ignored). In scripts written without spaces between words (Japanese,
/// Chinese), where a word ends is not written, so a needle there need
/// only occur.
fn word_positions(text: &str, needle: &str) -> Vec<usize> {
    let text = text.to_lowercase();
    let needle = needle.to_lowercase();
    // Two letters that would run together into one word.
    let joined = |a: Option<char>, b: Option<char>| {
        let spaced = |c: Option<char>| {
            c.is_some_and(|c| c.is_alphanumeric() && !crate::session::language::unspaced(c))
        };
        spaced(a) && spaced(b)
    };
    text.match_indices(&needle)
        .filter(|(at, _)| {
            !joined(text[..*at].chars().next_back(), needle.chars().next())
                && !joined(
                    needle.chars().next_back(),
                    text[at + needle.len()..].chars().next(),
                )
        })
        .map(|(at, _)| at)
        .collect()
}

/// Does `text` say a stroke goes from `from` to `to`: both named, and
/// `from` named before the last mention of `to`?
pub fn says_from_to(text: &str, from: &str, to: &str) -> bool {
    let starts = word_positions(text, from);
    let ends = word_positions(text, to);
    match (starts.first(), ends.last()) {
        (Some(start), Some(end)) => start < end,
        _ => false,
    }
}

/// Checks `session` (made from `script`) against the script's advice.
pub fn check(script: &Script, session: &Session) -> Vec<Breach> {
    let mut out = Vec::new();
    check_cautions(script, session, &mut out);
    for set in instructed(session).into_iter().filter(|s| s.first) {
        let (Some(from), Some(to)) = (&set.strokes.from, &set.strokes.to) else {
            continue;
        };
        let Some(prompt) = set.prompt else {
            let index = script.steps.iter().position(|s| s.id == set.step);
            out.push(Breach {
                step: set.step.into(),
                message: format!("strokes from {from} to {to} have no words before them"),
                at: index.map_or_else(String::new, |i| format!(".steps[{i}]")),
            });
            continue;
        };
        let text = script.prompts.get(prompt).map_or("", String::as_str);
        if !says_from_to(text, from, to) {
            out.push(Breach {
                step: set.step.into(),
                message: format!(
                    "strokes go from \"{}\" to \"{}\", but prompt \"{prompt}\" does not say so: \"{}\"",
                    crate::error::shown(from),
                    crate::error::shown(to),
                    crate::error::shown(text)
                ),
                at: format!(".prompts[{prompt:?}]"),
            });
        }
    }
    out
}

fn check_cautions(script: &Script, session: &Session, out: &mut Vec<Breach>) {
    for (index, caution) in script.cautions.iter().enumerate() {
        let caution = Declared {
            caution,
            at: format!(".cautions[{index}]"),
        };
        if caution.not_with.iter().any(|o| session.options.contains(o)) {
            continue;
        }
        // Position of the last carrier said so far, and of the last guarded action.
        let mut said: Option<usize> = None;
        let mut last_guarded: Option<usize> = None;
        let mut at = 0usize;
        for step in &session.steps {
            let guards_step = caution
                .before
                .iter()
                .any(|g| matches!(g, Guard::Step(id) if *id == step.id));
            let mut step_guard_done = false;
            let touch = step
                .parts
                .iter()
                .position(|p| matches!(p, Part::Strokes(_)))
                .unwrap_or(0);
            for (i, part) in step.parts.iter().enumerate() {
                at += 1;
                if guards_step && !step_guard_done && i == touch {
                    step_guard_done = true;
                    guard(
                        &caution,
                        &step.id,
                        &format!("step \"{}\"", step.id),
                        said,
                        &mut last_guarded,
                        at,
                        out,
                    );
                }
                if let Part::Say(id) = part {
                    if caution.said_in.contains(id) {
                        said = Some(at);
                    }
                    if caution
                        .before
                        .iter()
                        .any(|g| matches!(g, Guard::Prompt(p) if p == id))
                    {
                        guard(
                            &caution,
                            &step.id,
                            &format!("prompt \"{id}\""),
                            said,
                            &mut last_guarded,
                            at,
                            out,
                        );
                    }
                }
            }
        }
    }
}

/// A caution and where the script declares it.
struct Declared<'a> {
    caution: &'a crate::session::script::Caution,
    at: String,
}

impl std::ops::Deref for Declared<'_> {
    type Target = crate::session::script::Caution;

    fn deref(&self) -> &Self::Target {
        self.caution
    }
}

/// Records a guarded action at `at`, and a breach if the caution was not
/// said before it (since the last guarded action, when `again`).
fn guard(
    caution: &Declared,
    step: &str,
    what: &str,
    said: Option<usize>,
    last_guarded: &mut Option<usize>,
    at: usize,
    out: &mut Vec<Breach>,
) {
    let fresh = match (said, *last_guarded) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(s), Some(g)) => !caution.again || s > g,
    };
    if !fresh {
        out.push(Breach {
            step: step.into(),
            message: format!(
                "caution \"{}\" is not said before {what}{}",
                caution.name,
                if caution.again && said.is_some() {
                    " (again)"
                } else {
                    ""
                }
            ),
            at: caution.at.clone(),
        });
    }
    *last_guarded = Some(at);
}

/// Every way to play `script`: each variant, with each set of its options,
/// in full and (when the script has one) in brief mode. There are
/// 2^options of them: this is for the tests of small scripts such as the
/// built-in one; `soothe check` uses [`breaking_selections`].
pub fn every_selection(script: &Script) -> impl Iterator<Item = Selection> + '_ {
    let modes: &[bool] = if script.brief.is_some() {
        &[false, true]
    } else {
        &[false]
    };
    script.variants.iter().flat_map(move |variant| {
        OptionSets::new(script.options.len()).flat_map(move |chosen| {
            let with = chosen_names(script, &chosen);
            modes.iter().map(move |&brief| Selection {
                variant: Some(variant.name.clone()),
                with: with.clone(),
                skip: Vec::new(),
                brief,
            })
        })
    })
}

/// The names of the options flagged in `chosen`, in the script's order.
fn chosen_names(script: &Script, chosen: &[bool]) -> Vec<String> {
    script
        .options
        .iter()
        .zip(chosen)
        .filter(|(_, chosen)| **chosen)
        .map(|(option, _)| option.name.clone())
        .collect()
}

/// Every subset of `n` options, as flags, counting up in binary (the
/// first option the lowest bit): no limit on `n` but patience.
struct OptionSets {
    next: Option<Vec<bool>>,
}

impl OptionSets {
    fn new(n: usize) -> OptionSets {
        OptionSets {
            next: Some(vec![false; n]),
        }
    }
}

impl Iterator for OptionSets {
    type Item = Vec<bool>;

    fn next(&mut self) -> Option<Vec<bool>> {
        let current = self.next.take()?;
        let mut following = current.clone();
        // Add one: clear the trailing ones, set the first zero.
        if let Some(zero) = following.iter().position(|chosen| !chosen) {
            following[..zero].iter_mut().for_each(|c| *c = false);
            following[zero] = true;
            self.next = Some(following);
        }
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = r#"Session(
        title: "Test",
        variants: [Variant(name: "calm")],
        options: [Option(name: "dry", about: "No oil.", swap: { "turn": "turn-dry" })],
        prompts: {
            "hello": "Hello. Watch for crying.",
            "legs": "From the thigh down to the foot.",
            "turn": "Careful, slippery: turn them over.",
            "turn-dry": "Turn them over.",
            "again": "Still watching for crying?",
        },
        cautions: [
            Caution(name: "crying", said_in: ["hello", "again"], before: [Step("legs"), Step("arms")], again: true),
            Caution(name: "slippery", said_in: ["turn"], before: [Prompt("turn"), Prompt("turn-dry")], not_with: ["dry"]),
        ],
        steps: [
            Step(id: "hello", title: "Hello", say: ["hello"]),
            Step(id: "legs", title: "Legs", say: ["legs"], strokes: Strokes(count: 2, seconds: 1.0, from: "thigh", to: "foot")),
            Step(id: "check", title: "Check", say: ["again"]),
            Step(id: "turn", title: "Turn", say: ["turn"]),
            Step(id: "arms", title: "Arms", strokes: Strokes(count: 2, seconds: 1.0)),
        ],
    )"#;

    fn breaches(source: &str, with: &[&str], skip: &[&str]) -> Vec<String> {
        let script = Script::parse(source, "test.ron").unwrap();
        let session = Selection {
            with: with.iter().map(|s| s.to_string()).collect(),
            skip: skip.iter().map(|s| s.to_string()).collect(),
            ..Selection::default()
        }
        .apply(&script)
        .unwrap();
        check(&script, &session)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_script_that_keeps_its_advice_has_no_breach() {
        assert_eq!(breaches(SCRIPT, &[], &[]), Vec::<String>::new());
        assert_eq!(breaches(SCRIPT, &["dry"], &[]), Vec::<String>::new());
    }

    #[test]
    fn a_caution_said_again_must_come_between_the_actions_it_guards() {
        assert_eq!(
            breaches(SCRIPT, &[], &["check"]),
            ["arms: caution \"crying\" is not said before step \"arms\" (again)"]
        );
        assert_eq!(
            breaches(SCRIPT, &[], &["hello"]),
            ["legs: caution \"crying\" is not said before step \"legs\""]
        );
    }

    #[test]
    fn a_prompt_guard_counts_every_time_it_is_said_unless_an_option_makes_it_moot() {
        let unsaid = SCRIPT.replace(r#"said_in: ["turn"]"#, r#"said_in: ["hello"]"#);
        assert_eq!(breaches(&unsaid, &["dry"], &[]), Vec::<String>::new());
        let no_oil_caution = SCRIPT.replace(r#", not_with: ["dry"]"#, "");
        assert_eq!(
            breaches(&no_oil_caution, &["dry"], &[]),
            ["turn: caution \"slippery\" is not said before prompt \"turn-dry\""]
        );
    }

    #[test]
    fn strokes_must_be_introduced_from_where_they_start_to_where_they_end() {
        let reversed = SCRIPT.replace(
            "From the thigh down to the foot.",
            "From the foot up to the thigh.",
        );
        assert_eq!(
            breaches(&reversed, &[], &[]),
            ["legs: strokes go from \"thigh\" to \"foot\", but prompt \"legs\" does not say so: \"From the foot up to the thigh.\""]
        );
    }

    #[test]
    fn from_to_in_words_without_spaces_needs_only_both_places_in_order() {
        assert!(says_from_to(
            "片手で足首を持ち、太ももの付け根から足先までなで下ろします",
            "太もも",
            "足先"
        ));
        assert!(says_from_to(
            "一只手握住脚踝，另一只手放在大腿根部，向下滑到脚",
            "大腿",
            "脚"
        ));
        assert!(!says_from_to("从脚向上滑到大腿", "大腿", "脚"));
        // A Latin word beside them is still a whole word.
        assert!(!says_from_to("thighs から足先へ", "thigh", "足先"));
    }

    #[test]
    fn from_to_needs_both_places_in_order_as_whole_words() {
        assert!(says_from_to(
            "Hold the wrist. Cup your hand at the shoulder, and draw it down to the wrist.",
            "shoulder",
            "wrist"
        ));
        assert!(!says_from_to(
            "Cup your hand at the wrist, and draw it up to the shoulder.",
            "shoulder",
            "wrist"
        ));
        assert!(!says_from_to(
            "From the thigh to the feet.",
            "thigh",
            "foot"
        ));
        assert!(!says_from_to("Up the leg to the thighs.", "leg", "thigh"));
    }
}
