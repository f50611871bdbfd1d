//! Steps and their moves: unique ids, known prompts, stroke sets and
//! waits that make sense.

use std::collections::HashSet;

use super::{
    check_prompt, check_prompts, defined_once, name_problem, problem, Problem, LONGEST_SECONDS,
    MOST_STROKES,
};
use crate::session::script::{Script, Strokes};

/// There are steps, each with a unique id, known prompts, strokes and
/// waits that make sense, and moves to repeat for an other side.
pub(super) fn check_steps_and_moves(script: &Script, out: &mut Vec<Problem>) {
    if script.steps.is_empty() {
        out.push(problem(".steps".into(), "the script has no steps".into()));
    }
    let mut step_ids = HashSet::new();
    for (i, step) in script.steps.iter().enumerate() {
        let mut move_ids = HashSet::new();
        let at = format!(".steps[{i}]");
        out.extend(name_problem(format!("{at}.id"), "step id", &step.id));
        defined_once(&mut step_ids, &step.id, "step", "", format!("{at}.id"), out);
        check_prompts(script, &format!("{at}.say"), &step.say, out);
        if let Some(strokes) = &step.strokes {
            check_strokes(script, &format!("{at}.strokes"), strokes, out);
        }
        for (m, mv) in step.moves.iter().enumerate() {
            if let Some(id) = &mv.id {
                out.extend(name_problem(format!("{at}.moves[{m}].id"), "move id", id));
                let within = format!(" in step \"{}\"", step.id);
                let path = format!("{at}.moves[{m}].id");
                defined_once(&mut move_ids, id, "move", &within, path, out);
            }
            check_prompts(script, &format!("{at}.moves[{m}].say"), &mv.say, out);
            if let Some(again) = &mv.second_side {
                check_prompts(script, &format!("{at}.moves[{m}].second_side"), again, out);
            }
            if let Some(strokes) = &mv.strokes {
                check_strokes(script, &format!("{at}.moves[{m}].strokes"), strokes, out);
            }
            check_seconds(&format!("{at}.moves[{m}].wait"), "wait", mv.wait, true, out);
        }
        if let Some(other) = &step.other_side {
            check_prompt(script, format!("{at}.other_side"), other, out);
            if step.strokes.is_none() && step.moves.is_empty() {
                out.push(problem(
                    format!("{at}.other_side"),
                    format!(
                        "step \"{}\" has an other_side but no strokes or moves to repeat",
                        step.id
                    ),
                ));
            }
        }
        check_seconds(&format!("{at}.wait"), "wait", step.wait, true, out);
    }
}

/// The most strokes made at one chime.
const MOST_PER_CHIME: u32 = 10;

fn check_strokes(script: &Script, at: &str, strokes: &Strokes, out: &mut Vec<Problem>) {
    if !(1..=MOST_PER_CHIME).contains(&strokes.per_chime) {
        out.push(problem(
            format!("{at}.per_chime"),
            format!(
                "per_chime must be from 1 to {MOST_PER_CHIME}, not {}",
                strokes.per_chime
            ),
        ));
    }
    for (field, place) in [("from", &strokes.from), ("to", &strokes.to)] {
        if place.as_deref().is_some_and(|p| p.trim().is_empty()) {
            out.push(problem(
                format!("{at}.{field}"),
                format!("`{field}` must name a place, such as \"thigh\""),
            ));
        }
    }
    for (name, change) in strokes.by_variant.iter() {
        if script.variant(name).is_none() {
            let known = script
                .variants
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            out.push(problem(
                format!("{at}.by_variant{{{name:?}}}"),
                format!("there is no variant \"{name}\" (variants: {known})"),
            ));
        }
        if let Some(seconds) = change.seconds {
            check_seconds(
                &format!("{at}.by_variant[{name:?}].seconds"),
                "seconds",
                seconds,
                false,
                out,
            );
        }
    }
    if !(1..=MOST_STROKES).contains(&strokes.count) {
        out.push(problem(
            format!("{at}.count"),
            format!(
                "a stroke count must be from 1 to {MOST_STROKES}, not {}",
                strokes.count
            ),
        ));
    }
    check_seconds(
        &format!("{at}.seconds"),
        "seconds",
        strokes.seconds,
        false,
        out,
    );
}

fn check_seconds(path: &str, what: &str, seconds: f64, zero_ok: bool, out: &mut Vec<Problem>) {
    let low_ok = if zero_ok {
        seconds >= 0.0
    } else {
        seconds > 0.0
    };
    if !(seconds.is_finite() && low_ok && seconds <= LONGEST_SECONDS) {
        let low = if zero_ok { "from 0" } else { "above 0" };
        out.push(problem(
            path.to_string(),
            format!(
                "{what} must be {low} and at most {LONGEST_SECONDS} seconds, not {}",
                crate::error::number(seconds)
            ),
        ));
    }
}
