//! The meaning of a script: every name it refers to exists, every number is
//! usable. Problems carry the path of the offending value so that `load`
//! can turn it into `LINE:COL`.

mod choices;
mod steps;

use std::collections::HashSet;

use super::Script;

/// A semantic problem at a path such as `.steps[2].say[0]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

pub(super) fn problem(path: String, message: String) -> Problem {
    Problem { path, message }
}

/// Lowest and highest sample rates a script may ask for.
const RATES: std::ops::RangeInclusive<u32> = 8_000..=192_000;
/// The longest stroke or wait a script may ask for, in seconds.
pub(super) const LONGEST_SECONDS: f64 = 600.0;
/// The most strokes in one set.
pub(super) const MOST_STROKES: u32 = 200;

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

pub(super) fn name_problem(path: String, what: &str, name: &str) -> Option<Problem> {
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
    check_language(script, out);
    check_prompt_texts(script, out);
    steps::check_steps_and_moves(script, out);
    choices::check_variants(script, out);
    choices::check_options(script, out);
    choices::check_brief(script, out);
    choices::check_cautions(script, out);
    choices::check_closing(script, out);
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

/// The language is one soothe speaks.
fn check_language(script: &Script, out: &mut Vec<Problem>) {
    if let Some(tag) = &script.language {
        if let Err(unknown) = crate::session::language::find(tag) {
            out.push(problem(".language".into(), unknown.to_string()));
        }
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

pub(super) fn check_swap(
    script: &Script,
    at: &str,
    swap: &super::OrderedMap<String>,
    out: &mut Vec<Problem>,
) {
    for (from, to) in swap.iter() {
        check_prompt(script, format!("{at}.swap{{{from:?}}}"), from, out);
        check_prompt(script, format!("{at}.swap[{from:?}]"), to, out);
    }
}

pub(super) fn check_prompts(script: &Script, at: &str, ids: &[String], out: &mut Vec<Problem>) {
    for (j, id) in ids.iter().enumerate() {
        check_prompt(script, format!("{at}[{j}]"), id, out);
    }
}

pub(super) fn check_prompt(script: &Script, path: String, id: &str, out: &mut Vec<Problem>) {
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

pub(super) fn check_steps(script: &Script, at: &str, ids: &[String], out: &mut Vec<Problem>) {
    let step_ids: HashSet<&str> = script.steps.iter().map(|s| s.id.as_str()).collect();
    for (j, id) in ids.iter().enumerate() {
        if !step_ids.contains(id.as_str()) {
            out.push(unknown_step(script, format!("{at}[{j}]"), id));
            return;
        }
    }
}

pub(super) fn unknown_step(script: &Script, path: String, id: &str) -> Problem {
    let known = listing(
        script.steps.iter().map(|s| s.id.as_str()),
        script.steps.len(),
    );
    problem(path, format!("there is no step \"{id}\" (steps: {known})"))
}

/// Records `name` (at `path`) among the names `seen` so far, and a
/// problem if it is there already: "step \"legs\" is defined twice",
/// with `within` after it (" in step \"arms\"" for a move).
pub(super) fn defined_once<'a>(
    seen: &mut HashSet<&'a str>,
    name: &'a str,
    what: &str,
    within: &str,
    path: String,
    out: &mut Vec<Problem>,
) {
    if !seen.insert(name) {
        out.push(problem(
            path,
            format!("{what} \"{name}\" is defined twice{within}"),
        ));
    }
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
