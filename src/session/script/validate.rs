//! The meaning of a script: every name it refers to exists, every number is
//! usable. Problems carry the path of the offending value so that `load`
//! can turn it into `LINE:COL`.

use std::collections::HashSet;

use super::{Guard, Script, Strokes};

/// A semantic problem at a path such as `.steps[2].say[0]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

fn problem(path: String, message: String) -> Problem {
    Problem { path, message }
}

/// Lowest and highest sample rates a script may ask for.
const RATES: std::ops::RangeInclusive<u32> = 8_000..=192_000;
/// The longest stroke or wait a script may ask for, in seconds.
const LONGEST_SECONDS: f64 = 600.0;
/// The most strokes in one set.
const MOST_STROKES: u32 = 200;

/// The longest name: names are typed on the command line and prompt ids
/// become file names.
pub const LONGEST_NAME: usize = 64;

/// Names used on the command line and as file names: `a-z`, `0-9`, `-`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= LONGEST_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
}

fn name_problem(path: String, what: &str, name: &str) -> Option<Problem> {
    if name.chars().count() > LONGEST_NAME {
        let start: String = name.chars().take(20).collect();
        return Some(problem(
            path,
            format!(
                "{what} \"{start}…\" is {} characters long; a name has at most {LONGEST_NAME}",
                name.chars().count()
            ),
        ));
    }
    (!is_plain_name(name)).then(|| {
        problem(
            path,
            format!(
                "{what} \"{name}\" must use only lowercase letters, digits and '-' (and not start with '-')"
            ),
        )
    })
}

pub fn check(script: &Script) -> Result<(), Problem> {
    let mut problems = Vec::new();
    collect(script, &mut problems);
    match problems.into_iter().next() {
        Some(first) => Err(first),
        None => Ok(()),
    }
}

fn collect(script: &Script, out: &mut Vec<Problem>) {
    check_rate(script, out);
    check_prompt_texts(script, out);
    check_steps_and_moves(script, out);
    check_variants(script, out);
    check_options(script, out);
    check_brief(script, out);
    check_cautions(script, out);
    check_closing(script, out);
}

/// The sample rate is one soothe can play.
fn check_rate(script: &Script, out: &mut Vec<Problem>) {
    if !RATES.contains(&script.sample_rate) {
        out.push(problem(
            ".sample_rate".into(),
            format!(
                "sample_rate {} is out of range ({} to {})",
                script.sample_rate,
                RATES.start(),
                RATES.end()
            ),
        ));
    }
}

/// Every prompt has a good id and some words.
fn check_prompt_texts(script: &Script, out: &mut Vec<Problem>) {
    for (id, text) in script.prompts.iter() {
        out.extend(name_problem(format!(".prompts{{{id:?}}}"), "prompt id", id));
        if text.trim().is_empty() {
            out.push(problem(
                format!(".prompts[{id:?}]"),
                format!("prompt \"{id}\" has no words"),
            ));
        }
    }
}

/// There are steps, each with a unique id, known prompts, strokes and
/// waits that make sense, and moves to repeat for an other side.
fn check_steps_and_moves(script: &Script, out: &mut Vec<Problem>) {
    if script.steps.is_empty() {
        out.push(problem(".steps".into(), "the script has no steps".into()));
    }
    let mut step_ids = HashSet::new();
    for (i, step) in script.steps.iter().enumerate() {
        let at = format!(".steps[{i}]");
        out.extend(name_problem(format!("{at}.id"), "step id", &step.id));
        if !step_ids.insert(step.id.as_str()) {
            out.push(problem(
                format!("{at}.id"),
                format!("step \"{}\" is defined twice", step.id),
            ));
        }
        check_prompts(script, &format!("{at}.say"), &step.say, out);
        if let Some(strokes) = &step.strokes {
            check_strokes(script, &format!("{at}.strokes"), strokes, out);
        }
        for (m, mv) in step.moves.iter().enumerate() {
            if let Some(id) = &mv.id {
                out.extend(name_problem(format!("{at}.moves[{m}].id"), "move id", id));
                if step.moves[..m].iter().any(|o| o.id.as_ref() == Some(id)) {
                    out.push(problem(
                        format!("{at}.moves[{m}].id"),
                        format!("move \"{id}\" is defined twice in step \"{}\"", step.id),
                    ));
                }
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

/// There is a variant, and each has a unique name, a sane tempo, known
/// prompts and steps, and leaves something to play.
fn check_variants(script: &Script, out: &mut Vec<Problem>) {
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
        if !variant_names.insert(variant.name.as_str()) {
            out.push(problem(
                format!("{at}.name"),
                format!("variant \"{}\" is defined twice", variant.name),
            ));
        }
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
fn check_options(script: &Script, out: &mut Vec<Problem>) {
    let steps_by_id: std::collections::HashMap<&str, &super::Step> =
        script.steps.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut option_names = HashSet::new();
    for (i, option) in script.options.iter().enumerate() {
        let at = format!(".options[{i}]");
        out.extend(name_problem(
            format!("{at}.name"),
            "option name",
            &option.name,
        ));
        if !option_names.insert(option.name.as_str()) {
            out.push(problem(
                format!("{at}.name"),
                format!("option \"{}\" is defined twice", option.name),
            ));
        }
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
    option: &super::SessionOption,
    steps_by_id: &std::collections::HashMap<&str, &super::Step>,
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
fn check_brief(script: &Script, out: &mut Vec<Problem>) {
    if let Some(brief) = &script.brief {
        check_swap(script, ".brief", &brief.swap, out);
        check_prompts(script, ".brief.silent", &brief.silent, out);
    }
}

/// Each caution has a unique name, is said somewhere, guards something,
/// and names steps, prompts and options that exist.
fn check_cautions(script: &Script, out: &mut Vec<Problem>) {
    for (i, caution) in script.cautions.iter().enumerate() {
        let at = format!(".cautions[{i}]");
        out.extend(name_problem(
            format!("{at}.name"),
            "caution name",
            &caution.name,
        ));
        if script.cautions[..i].iter().any(|c| c.name == caution.name) {
            out.push(problem(
                format!("{at}.name"),
                format!("caution \"{}\" is defined twice", caution.name),
            ));
        }
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
fn check_closing(script: &Script, out: &mut Vec<Problem>) {
    if let Some(closing) = &script.closing {
        if script.step(closing).is_none() {
            out.push(unknown_step(script, ".closing".into(), closing));
        }
    }
    if let Some(listen) = &script.listen {
        check_prompt(script, ".listen.prompt".into(), &listen.prompt, out);
    }
}

fn check_swap(script: &Script, at: &str, swap: &super::OrderedMap<String>, out: &mut Vec<Problem>) {
    for (from, to) in swap.iter() {
        check_prompt(script, format!("{at}.swap{{{from:?}}}"), from, out);
        check_prompt(script, format!("{at}.swap[{from:?}]"), to, out);
    }
}

fn check_prompts(script: &Script, at: &str, ids: &[String], out: &mut Vec<Problem>) {
    for (j, id) in ids.iter().enumerate() {
        check_prompt(script, format!("{at}[{j}]"), id, out);
    }
}

fn check_prompt(script: &Script, path: String, id: &str, out: &mut Vec<Problem>) {
    if !script.prompts.contains_key(id) {
        // Only the first problem is shown: list the names for it alone, so
        // that a script full of mistakes is still checked in linear time.
        let known = if out.is_empty() {
            listing(script.prompts.keys(), script.prompts.len())
        } else {
            String::new()
        };
        out.push(problem(
            path,
            format!("there is no prompt \"{id}\" (prompts: {known})"),
        ));
    }
}

fn check_steps(script: &Script, at: &str, ids: &[String], out: &mut Vec<Problem>) {
    let step_ids: HashSet<&str> = script.steps.iter().map(|s| s.id.as_str()).collect();
    for (j, id) in ids.iter().enumerate() {
        if !step_ids.contains(id.as_str()) {
            out.push(unknown_step(script, format!("{at}[{j}]"), id));
            return;
        }
    }
}

fn unknown_step(script: &Script, path: String, id: &str) -> Problem {
    let known = listing(
        script.steps.iter().map(|s| s.id.as_str()),
        script.steps.len(),
    );
    problem(path, format!("there is no step \"{id}\" (steps: {known})"))
}

/// Names for a message: all of them, or the first 30 of a long list.
fn listing<'a>(names: impl Iterator<Item = &'a str>, count: usize) -> String {
    const SHOWN: usize = 30;
    let list = names.take(SHOWN).collect::<Vec<_>>().join(", ");
    if count > SHOWN {
        format!("{list} and {} more", count - SHOWN)
    } else {
        list
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
