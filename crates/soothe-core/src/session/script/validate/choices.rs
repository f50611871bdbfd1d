//! Variants, options, brief mode, cautions and the closing step: unique
//! names, and every step, prompt and option they name is in the script.

use std::collections::{HashMap, HashSet};

use super::{
    check_prompt, check_prompts, check_steps, check_swap, defined_once, name_problem, problem,
    unknown_step, Problem, MOST_STROKES,
};
use crate::session::script::{Guard, Script, SessionOption, Step};

/// There is a variant, and each has a unique name, a sane tempo, known
/// prompts and steps, and leaves something to play.
pub(super) fn check_variants(script: &Script, out: &mut Vec<Problem>) {
    if script.variants.is_empty() {
        out.push(problem(
            ".variants".into(),
            "the script needs at least one variant".into(),
        ));
    }
    let mut variant_names = HashSet::new();
    for (i, variant) in script.variants.iter().enumerate() {
        let at = format!(".variants[{i}]");
        out.extend(name_problem(
            format!("{at}.name"),
            "variant name",
            &variant.name,
        ));
        let name = &variant.name;
        defined_once(
            &mut variant_names,
            name,
            "variant",
            "",
            format!("{at}.name"),
            out,
        );
        if !(variant.tempo.is_finite() && variant.tempo > 0.05 && variant.tempo <= 20.0) {
            out.push(problem(
                format!("{at}.tempo"),
                format!(
                    "tempo {} must be a number above 0.05 and at most 20",
                    crate::error::number(variant.tempo)
                ),
            ));
        }
        check_swap(script, &at, &variant.swap, out);
        check_steps(script, &format!("{at}.leave_out"), &variant.leave_out, out);
        let left_out: HashSet<&str> = variant.leave_out.iter().map(String::as_str).collect();
        if !script.steps.is_empty()
            && script
                .steps
                .iter()
                .all(|s| left_out.contains(s.id.as_str()))
        {
            out.push(problem(
                format!("{at}.leave_out"),
                format!(
                    "variant \"{}\" leaves out every step: nothing would be left to play",
                    variant.name
                ),
            ));
        }
    }
}

/// Each option has a unique name, counts strokes that exist, and swaps
/// and leaves out what the script has.
pub(super) fn check_options(script: &Script, out: &mut Vec<Problem>) {
    let steps_by_id: HashMap<&str, &Step> =
        script.steps.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut option_names = HashSet::new();
    for (i, option) in script.options.iter().enumerate() {
        let at = format!(".options[{i}]");
        out.extend(name_problem(
            format!("{at}.name"),
            "option name",
            &option.name,
        ));
        let name = &option.name;
        defined_once(
            &mut option_names,
            name,
            "option",
            "",
            format!("{at}.name"),
            out,
        );
        check_option_strokes(script, &at, option, &steps_by_id, out);
        check_swap(script, &at, &option.swap, out);
        check_steps(script, &format!("{at}.leave_out"), &option.leave_out, out);
    }
}

/// The stroke counts an option sets: each for a step or move that has
/// strokes, and within range.
fn check_option_strokes(
    script: &Script,
    at: &str,
    option: &SessionOption,
    steps_by_id: &HashMap<&str, &Step>,
    out: &mut Vec<Problem>,
) {
    for (key, count) in option.strokes.iter() {
        let key_at = format!("{at}.strokes{{{key:?}}}");
        let (step_id, move_id) = match key.split_once('/') {
            Some((step, mv)) => (step, Some(mv)),
            None => (key, None),
        };
        match (steps_by_id.get(step_id).copied(), move_id) {
            (None, _) => out.push(unknown_step(script, key_at, step_id)),
            (Some(step), Some(move_id)) => {
                match step.moves.iter().find(|m| m.id.as_deref() == Some(move_id)) {
                    None => {
                        let known = step
                            .moves
                            .iter()
                            .filter_map(|m| m.id.as_deref())
                            .collect::<Vec<_>>();
                        out.push(problem(
                            key_at,
                            format!(
                                "step \"{step_id}\" has no move \"{move_id}\" (moves with an id: {})",
                                if known.is_empty() { "none".to_string() } else { known.join(", ") }
                            ),
                        ))
                    }
                    Some(mv) if mv.strokes.is_none() => out.push(problem(
                        key_at,
                        format!("move \"{key}\" has no strokes to count"),
                    )),
                    Some(_) => {}
                }
            }
            (Some(step), None)
                if step.strokes.is_none() && step.moves.iter().all(|m| m.strokes.is_none()) =>
            {
                out.push(problem(
                    key_at,
                    format!("step \"{step_id}\" has no strokes to count"),
                ))
            }
            (Some(_), None) => {}
        }
        if !(1..=MOST_STROKES).contains(count) {
            out.push(problem(
                format!("{at}.strokes[{key:?}]"),
                format!("a stroke count must be from 1 to {MOST_STROKES}, not {count}"),
            ));
        }
    }
}

/// Brief mode swaps and silences prompts the script has.
pub(super) fn check_brief(script: &Script, out: &mut Vec<Problem>) {
    if let Some(brief) = &script.brief {
        check_swap(script, ".brief", &brief.swap, out);
        check_prompts(script, ".brief.silent", &brief.silent, out);
    }
}

/// Each caution has a unique name, is said somewhere, guards something,
/// and names steps, prompts and options that exist.
pub(super) fn check_cautions(script: &Script, out: &mut Vec<Problem>) {
    let mut caution_names = HashSet::new();
    for (i, caution) in script.cautions.iter().enumerate() {
        let at = format!(".cautions[{i}]");
        out.extend(name_problem(
            format!("{at}.name"),
            "caution name",
            &caution.name,
        ));
        let name = &caution.name;
        defined_once(
            &mut caution_names,
            name,
            "caution",
            "",
            format!("{at}.name"),
            out,
        );
        if caution.said_in.is_empty() {
            out.push(problem(
                format!("{at}.said_in"),
                format!("caution \"{}\" is said in no prompt", caution.name),
            ));
        }
        check_prompts(script, &format!("{at}.said_in"), &caution.said_in, out);
        if caution.before.is_empty() {
            out.push(problem(
                format!("{at}.before"),
                format!("caution \"{}\" guards nothing", caution.name),
            ));
        }
        for (g, guard) in caution.before.iter().enumerate() {
            let path = format!("{at}.before[{g}]");
            match guard {
                Guard::Step(id) if script.step(id).is_none() => {
                    out.push(unknown_step(script, path, id))
                }
                Guard::Prompt(id) => check_prompt(script, path, id, out),
                Guard::Step(_) => {}
            }
        }
        for (j, name) in caution.not_with.iter().enumerate() {
            if script.option(name).is_none() {
                let known = script
                    .options
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(problem(
                    format!("{at}.not_with[{j}]"),
                    format!("there is no option \"{name}\" (options: {known})"),
                ));
            }
        }
    }
}

/// The closing step, if named, exists.
pub(super) fn check_closing(script: &Script, out: &mut Vec<Problem>) {
    if let Some(closing) = &script.closing {
        if script.step(closing).is_none() {
            out.push(unknown_step(script, ".closing".into(), closing));
        }
    }
    if let Some(listen) = &script.listen {
        check_prompt(script, ".listen.prompt".into(), &listen.prompt, out);
    }
}
