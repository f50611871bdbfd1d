//! Every way to play a script, held to its advice without playing each
//! one: 30 options are a billion sets of options, so `soothe check` cannot
//! build them all.
//!
//! For each variant and mode (full or brief) and each thing that can break
//! (a caution, a stroke set's words), the search reasons about the options
//! that can touch it: those that swap one of its prompts, leave out a step
//! it lives in, or switch it off. It decides them one at a time, latest in
//! the script first (the latest chosen option's swap is the one said), and
//! gives up on a branch as soon as no choice of the options still open
//! could break the advice. What it returns are witnesses: one selection
//! for each problem found, to be played through [`super::check`] for the
//! words of the breach. A script with no witness keeps its advice in every
//! way it can be played.

use std::collections::HashMap;

use super::says_from_to;
use crate::session::script::{Caution, Guard, Script, Strokes};
use crate::session::select::{in_brief, Part, PlannedStep, SelectError, Selection};

/// A selection for each way `script` can break its advice (no two the
/// same), in the order of the variants, full before brief.
pub fn breaking_selections(script: &Script) -> Result<Vec<Selection>, SelectError> {
    let mut out: Vec<Selection> = Vec::new();
    for variant in &script.variants {
        let plain = Selection {
            variant: Some(variant.name.clone()),
            ..Selection::default()
        }
        .apply(script)?;
        for brief in [false, true] {
            if brief && script.brief.is_none() {
                continue;
            }
            let ways = Ways::new(script, &plain.steps, brief);
            for found in ways.witnesses() {
                let selection = Selection {
                    variant: Some(variant.name.clone()),
                    with: found,
                    skip: Vec::new(),
                    brief,
                };
                if !out.contains(&selection) {
                    out.push(selection);
                }
            }
        }
    }
    Ok(out)
}

/// An option's state while searching: chosen, not chosen, or still open.
type Choice = Option<bool>;

/// One variant in one mode: its steps as the variant plays them (each
/// prompt after the variant's swap, before the options' and brief mode's),
/// and what the options can do to them.
struct Ways<'a> {
    script: &'a Script,
    steps: &'a [PlannedStep],
    brief: bool,
    /// Step id -> the options that leave it out.
    left_out_by: HashMap<&'a str, Vec<usize>>,
    /// Prompt id -> the options that swap it, latest in the script first,
    /// with what they say instead.
    swapped_by: HashMap<&'a str, Vec<(usize, &'a str)>>,
}

impl<'a> Ways<'a> {
    fn new(script: &'a Script, steps: &'a [PlannedStep], brief: bool) -> Ways<'a> {
        let mut left_out_by: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut swapped_by: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
        for (index, option) in script.options.iter().enumerate().rev() {
            for step in &option.leave_out {
                left_out_by.entry(step).or_default().push(index);
            }
            for (from, to) in option.swap.iter() {
                swapped_by.entry(from).or_default().push((index, to));
            }
        }
        Ways {
            script,
            steps,
            brief,
            left_out_by,
            swapped_by,
        }
    }

    /// The chosen options' names for each problem found.
    fn witnesses(&self) -> Vec<Vec<String>> {
        let mut found = Vec::new();
        for caution in &self.script.cautions {
            found.extend(self.caution_witness(caution));
        }
        for (step, at) in self.introduced_sets() {
            found.extend(self.words_witness(step, at));
        }
        found
            .into_iter()
            .map(|chosen: Vec<bool>| super::chosen_names(self.script, &chosen))
            .collect()
    }

    /// Is the step played: `Some(true)` surely, `Some(false)` surely not,
    /// `None` while an option that leaves it out is open.
    fn present(&self, step: &PlannedStep, choice: &[Choice]) -> Choice {
        let mut open = false;
        for &option in self.left_out_by.get(step.id.as_str()).into_iter().flatten() {
            match choice[option] {
                Some(true) => return Some(false),
                Some(false) => {}
                None => open = true,
            }
        }
        (!open).then_some(true)
    }

    /// What may be said for the prompt `id` (as the variant chose it):
    /// each prompt that some completion of `choice` says, `None` for
    /// silence in brief mode.
    fn outcomes(&self, id: &'a str, choice: &[Choice]) -> Vec<Option<&'a str>> {
        let mut out = Vec::new();
        for &(option, to) in self.swapped_by.get(id).into_iter().flatten() {
            match choice[option] {
                Some(true) => {
                    out.push(self.said(to));
                    return out;
                }
                Some(false) => {}
                None => out.push(self.said(to)),
            }
        }
        out.push(self.said(id));
        out
    }

    /// `id` after brief mode's layer, in this mode.
    fn said(&self, id: &'a str) -> Option<&'a str> {
        let brief = if self.brief {
            self.script.brief.as_ref()
        } else {
            None
        };
        in_brief(brief, id)
    }

    /// Every option that can change what `id` says.
    fn swappers(&self, id: &str) -> impl Iterator<Item = usize> + '_ {
        self.swapped_by
            .get(id)
            .into_iter()
            .flatten()
            .map(|(o, _)| *o)
    }

    fn leavers(&self, step: &PlannedStep) -> impl Iterator<Item = usize> + '_ {
        self.left_out_by
            .get(step.id.as_str())
            .into_iter()
            .flatten()
            .copied()
    }

    /// A choice of `relevant` options (every other one left unchosen,
    /// as are `off`) for which `may_break` is true once all are decided;
    /// `may_break` must never be false where some completion breaks.
    fn search(
        &self,
        mut relevant: Vec<usize>,
        off: &[String],
        may_break: impl Fn(&[Choice]) -> bool,
    ) -> Option<Vec<bool>> {
        let options = &self.script.options;
        relevant.retain(|&o| !off.contains(&options[o].name));
        relevant.sort_unstable_by(|a, b| b.cmp(a));
        relevant.dedup();
        let mut choice: Vec<Choice> = vec![Some(false); options.len()];
        for &option in &relevant {
            choice[option] = None;
        }
        decide(&mut choice, &relevant, &may_break)
            .then(|| choice.iter().map(|c| *c == Some(true)).collect())
    }

    /// A choice of options that breaks `caution`, if there is one.
    fn caution_witness(&self, caution: &Caution) -> Option<Vec<bool>> {
        let open = vec![None; self.script.options.len()];
        let mut relevant = Vec::new();
        for step in self.steps {
            let guarded = guards_step(caution, step);
            let mut touches = guarded;
            for part in &step.parts {
                let Part::Say(id) = part else { continue };
                let matters = self.outcomes(id, &open).iter().flatten().any(|said| {
                    caution.said_in.iter().any(|c| c == said) || guards_prompt(caution, said)
                });
                // A guarded step without strokes is guarded from its first
                // part heard: whether any is heard turns on every prompt.
                if matters || (guarded && !has_strokes(step)) {
                    relevant.extend(self.swappers(id));
                    touches = true;
                }
            }
            if touches {
                relevant.extend(self.leavers(step));
            }
        }
        self.search(relevant, &caution.not_with, |choice| {
            self.caution_may_break(caution, choice)
        })
    }

    /// Could some completion of `choice` play a guarded action of
    /// `caution` with the caution not said before it (since the last
    /// guarded action, when it must be said `again`)? Exact once every
    /// option is decided, as `super::check_cautions` plays it.
    fn caution_may_break(&self, caution: &Caution, choice: &[Choice]) -> bool {
        // May nothing that says the caution have been heard since the
        // start (or, with `again`, since the last guarded action)?
        let mut unsaid = true;
        for step in self.steps {
            let present = self.present(step, choice);
            if present == Some(false) {
                continue;
            }
            let guarded = guards_step(caution, step);
            if guarded && !has_strokes(step) && self.may_hear_any(step, choice) {
                // Guarded from before its first part.
                if unsaid {
                    return true;
                }
                unsaid = caution.again;
            }
            let mut touched = false;
            for part in &step.parts {
                let said = match part {
                    Part::Strokes(_) if guarded && !touched => {
                        touched = true;
                        if unsaid {
                            return true;
                        }
                        unsaid = caution.again;
                        continue;
                    }
                    Part::Say(id) => self.outcomes(id, choice),
                    _ => continue,
                };
                let carries =
                    |s: &Option<&str>| s.is_some_and(|s| caution.said_in.iter().any(|c| c == s));
                let guards = |s: &Option<&str>| s.is_some_and(|s| guards_prompt(caution, s));
                if unsaid && said.iter().any(|s| guards(s) && !carries(s)) {
                    return true;
                }
                let may_stay_unsaid = present.is_none() || said.iter().any(|s| !carries(s));
                unsaid = (unsaid && may_stay_unsaid) || (caution.again && said.iter().any(guards));
            }
        }
        false
    }

    /// May any part of `step` be heard (brief mode silences prompts)?
    fn may_hear_any(&self, step: &PlannedStep, choice: &[Choice]) -> bool {
        step.parts.iter().any(|part| match part {
            Part::Say(id) => self.outcomes(id, choice).iter().any(Option::is_some),
            _ => true,
        })
    }

    /// Each stroke set that must be introduced by words naming where it
    /// starts and ends: its step and its place among the step's parts.
    fn introduced_sets(&self) -> Vec<(&'a PlannedStep, usize)> {
        let mut out = Vec::new();
        for step in self.steps {
            let mut seen: Vec<&Strokes> = Vec::new();
            for (at, part) in step.parts.iter().enumerate() {
                let Part::Strokes(strokes) = part else {
                    continue;
                };
                let first = !seen.iter().any(|s| super::same_set(s, strokes));
                seen.push(strokes);
                if first && strokes.from.is_some() && strokes.to.is_some() {
                    out.push((step, at));
                }
            }
        }
        out
    }

    /// A choice of options for which the last prompt heard before the set
    /// at `at` in `step` does not say where it goes, or none is heard.
    fn words_witness(&self, step: &'a PlannedStep, at: usize) -> Option<Vec<bool>> {
        let Part::Strokes(strokes) = &step.parts[at] else {
            return None;
        };
        let (Some(from), Some(to)) = (strokes.from.as_deref(), strokes.to.as_deref()) else {
            return None;
        };
        let before = &step.parts[..at];
        let mut relevant: Vec<usize> = self.leavers(step).collect();
        for part in before {
            if let Part::Say(id) = part {
                relevant.extend(self.swappers(id));
            }
        }
        let wrong = |id: &str| {
            let text = self.script.prompts.get(id).map_or("", String::as_str);
            !says_from_to(text, from, to)
        };
        self.search(relevant, &[], |choice| {
            if self.present(step, choice) == Some(false) {
                return false;
            }
            // From the last prompt back: one said with the wrong words
            // while all after it are silent, or all silent.
            for part in before.iter().rev() {
                let Part::Say(id) = part else { continue };
                let said = self.outcomes(id, choice);
                if said.iter().flatten().any(|id| wrong(id)) {
                    return true;
                }
                if !said.contains(&None) {
                    return false;
                }
            }
            true
        })
    }
}

/// Decides the open options of `order` (latest in the script first),
/// pruning where `may_break` says no completion can break; true with
/// `choice` filled in when a complete choice breaks.
fn decide(choice: &mut [Choice], order: &[usize], may_break: &impl Fn(&[Choice]) -> bool) -> bool {
    if !may_break(choice) {
        return false;
    }
    let Some((&option, rest)) = order.split_first() else {
        return true;
    };
    // Leaving an option out first: a witness asks for no more options
    // than it needs, latest in the script first.
    for chosen in [false, true] {
        choice[option] = Some(chosen);
        if decide(choice, rest, may_break) {
            return true;
        }
    }
    choice[option] = None;
    false
}

fn guards_step(caution: &Caution, step: &PlannedStep) -> bool {
    caution
        .before
        .iter()
        .any(|g| matches!(g, Guard::Step(id) if *id == step.id))
}

fn guards_prompt(caution: &Caution, said: &str) -> bool {
    caution
        .before
        .iter()
        .any(|g| matches!(g, Guard::Prompt(p) if p == said))
}

fn has_strokes(step: &PlannedStep) -> bool {
    step.parts.iter().any(|p| matches!(p, Part::Strokes(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::advice::{check, every_selection, Breach};

    /// A small generator, seeded, the same on every machine.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn chance(&mut self, percent: usize) -> bool {
            self.below(100) < percent
        }

        fn prompt(&mut self) -> String {
            format!("\"p{}\"", self.below(PROMPTS.len()))
        }

        fn prompts(&mut self, most: usize) -> String {
            let n = self.below(most + 1);
            (0..n).map(|_| self.prompt()).collect::<Vec<_>>().join(", ")
        }

        fn swaps(&mut self, most: usize) -> String {
            let n = self.below(most + 1);
            let pairs: Vec<String> = (0..n)
                .map(|_| format!("{}: {}", self.prompt(), self.prompt()))
                .collect();
            // A map names each prompt once: keep the first of each.
            let mut seen = Vec::new();
            let pairs: Vec<String> = pairs
                .into_iter()
                .filter(|pair| {
                    let key = pair.split(':').next().unwrap().to_string();
                    let new = !seen.contains(&key);
                    seen.push(key);
                    new
                })
                .collect();
            pairs.join(", ")
        }

        fn step_name(&mut self) -> String {
            format!("\"s{}\"", self.below(STEPS))
        }
    }

    /// Texts that name where strokes go rightly or wrongly, that say the
    /// caution, that guard it, or neither.
    const PROMPTS: [&str; 7] = [
        "From the thigh down to the foot.",
        "From the foot up to the thigh.",
        "Mind the oil.",
        "Mind the oil, and turn them over.",
        "Turn them over.",
        "Hello.",
        "The oil, once more.",
    ];
    const STEPS: usize = 4;
    const OPTIONS: usize = 5;

    fn stroke_set() -> &'static str {
        "Strokes(count: 2, seconds: 1.0, from: \"thigh\", to: \"foot\")"
    }

    /// Mostly the right words before strokes, now and then others.
    fn words(rng: &mut Rng) -> String {
        let mut said = Vec::new();
        if rng.chance(40) {
            said.push(rng.prompt());
        }
        said.push(if rng.chance(85) {
            "\"p0\"".into()
        } else {
            rng.prompt()
        });
        said.join(", ")
    }

    fn step(rng: &mut Rng, i: usize) -> String {
        if i == 0 {
            // The welcome: says the caution, mostly.
            let say = if rng.chance(85) {
                "\"p2\", \"p5\""
            } else {
                "\"p5\""
            };
            return format!("Step(id: \"s0\", title: \"S0\", say: [{say}])");
        }
        let strokes = rng.chance(60);
        let moves = if rng.chance(40) || !strokes {
            format!(
                ", moves: [Move(say: [{}], strokes: {})]",
                words(rng),
                stroke_set()
            )
        } else {
            String::new()
        };
        let other = if rng.chance(25) {
            format!(", other_side: {}", rng.prompt())
        } else {
            String::new()
        };
        let (say, strokes) = if strokes {
            (words(rng), format!(", strokes: {}", stroke_set()))
        } else {
            (rng.prompts(1), String::new())
        };
        format!("Step(id: \"s{i}\", title: \"S{i}\", say: [{say}]{strokes}{moves}{other})")
    }

    fn guard(rng: &mut Rng) -> String {
        if rng.chance(60) {
            format!("Step(\"s{}\")", 1 + rng.below(STEPS - 1))
        } else {
            format!("Prompt(\"p{}\")", 3 + rng.below(2))
        }
    }

    fn caution(rng: &mut Rng, i: usize) -> String {
        let not_with = if rng.chance(30) {
            format!(", not_with: [\"o{}\"]", rng.below(OPTIONS))
        } else {
            String::new()
        };
        format!(
            "Caution(name: \"c{i}\", said_in: [\"p2\", \"p{}\"], before: [{}], again: {}{not_with})",
            [3, 6][rng.below(2)],
            guard(rng),
            rng.chance(30)
        )
    }

    /// An option swaps a prompt or two and may leave out a step.
    fn option(rng: &mut Rng, i: usize) -> String {
        let leave_out = if rng.chance(25) {
            rng.step_name()
        } else {
            String::new()
        };
        format!(
            "Option(name: \"o{i}\", about: \"O\", swap: {{ {} }}, leave_out: [{leave_out}])",
            rng.swaps(2)
        )
    }

    fn script(rng: &mut Rng) -> Script {
        let prompts: Vec<String> = PROMPTS
            .iter()
            .enumerate()
            .map(|(i, text)| format!("\"p{i}\": \"{text}\""))
            .collect();
        let steps: Vec<String> = (0..STEPS).map(|i| step(rng, i)).collect();
        let options: Vec<String> = (0..OPTIONS).map(|i| option(rng, i)).collect();
        let cautions: Vec<String> = (0..1 + rng.below(2)).map(|i| caution(rng, i)).collect();
        let source = format!(
            "Session(title: \"T\", variants: [Variant(name: \"v0\"), Variant(name: \"v1\", swap: {{ {} }}, leave_out: [{}])], \
             options: [{}], prompts: {{ {} }}, steps: [{}], \
             brief: Brief(swap: {{ {} }}, silent: [{}]), cautions: [{}])",
            rng.swaps(1),
            if rng.chance(30) { rng.step_name() } else { String::new() },
            options.join(", "),
            prompts.join(", "),
            steps.join(", "),
            rng.swaps(1),
            rng.prompts(1),
            cautions.join(", "),
        );
        Script::parse(&source, "random.ron").unwrap_or_else(|e| panic!("{e}\n{source}"))
    }

    /// What a breach is about, whichever way of playing shows it: the
    /// caution, or the stroke set (its step and places).
    fn about(breach: &Breach) -> String {
        if breach.at.starts_with(".cautions") {
            return breach.at.clone();
        }
        let set = breach.message.split(", but").next().unwrap();
        let set = set.split(" have no words").next().unwrap();
        format!(
            "{}: {}",
            breach.step,
            set.replace('"', "").replace("go ", "")
        )
    }

    /// What breaks in each variant and mode, from `selections`.
    fn broken(script: &Script, selections: impl Iterator<Item = Selection>) -> Vec<String> {
        let mut out = Vec::new();
        for selection in selections {
            let Ok(session) = selection.apply(script) else {
                continue;
            };
            for breach in check(script, &session) {
                let line = format!(
                    "{} {}: {}",
                    session.variant,
                    selection.brief,
                    about(&breach)
                );
                if !out.contains(&line) {
                    out.push(line);
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn the_search_finds_what_playing_every_way_finds_in_random_scripts() {
        let mut rng = Rng(0x5eed_cafe);
        let (mut kept, mut hidden) = (0, 0);
        for case in 0..400 {
            let script = script(&mut rng);
            let everything = broken(&script, every_selection(&script));
            let witnesses = breaking_selections(&script).unwrap();
            let searched = broken(&script, witnesses.into_iter());
            assert_eq!(searched, everything, "case {case}");
            let plain = script.variants.iter().map(|v| Selection {
                variant: Some(v.name.clone()),
                ..Selection::default()
            });
            if everything.is_empty() {
                kept += 1;
            } else if broken(&script, plain).is_empty() {
                // Only some set of options breaks it: the search had to
                // find which.
                hidden += 1;
            }
        }
        // Every kind of script was tried: kept, broken only by options.
        assert!(kept >= 40 && hidden >= 40, "{kept} kept, {hidden} hidden");
    }
}
