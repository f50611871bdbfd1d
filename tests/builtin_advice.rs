//! The built-in session says what the source article advises, by meaning:
//! for every variant, every set of options and brief mode, from the
//! session as it will be played, each caution comes before what it
//! guards, every stroke goes the way its variant asks, counts follow the
//! options, and the words agree with the data the script declares.
//! What the words must say is declared per language: English's in
//! `scripts/meaning-en.ron`, every other language's beside its words in
//! `scripts/lang/<tag>.ron`; the same checks hold each to its own
//! declaration (`tests/translations.rs` runs them for the translations).
//! Each inverted piece of advice in `MUTATIONS` must be caught.

use soothe_core::session::advice::{self, says_from_to};
use soothe_core::session::language::{Meaning, Says};
use soothe_core::session::script::{
    self as script_mod, Direction, Guard, Pressure, Script, BUILTIN_NAME, BUILTIN_SOURCE,
};
use soothe_core::session::select::{Part, Selection, Session};

/// What the English words must mean.
pub fn english_meaning() -> Meaning {
    script_mod::parse_ron(
        include_str!("../scripts/meaning-en.ron"),
        "scripts/meaning-en.ron",
        |_: &Meaning| Ok(()),
    )
    .unwrap()
}

/// Phrases found as the language's declaration says (whole words, or
/// characters for languages written without spaces).
struct Words<'m>(&'m Meaning);

impl Words<'_> {
    /// `text` says `phrase`.
    fn says(&self, text: &str, phrase: &str) -> bool {
        self.0.matching.says(text, phrase)
    }

    fn any(&self, text: &str, phrases: &[String]) -> bool {
        phrases.iter().any(|p| self.says(text, p))
    }

    /// Where `says` fails for `text`, as messages.
    fn breaks(&self, text: &str, says: &Says) -> Vec<String> {
        let mut out = Vec::new();
        for alternatives in &says.all_of {
            if !self.any(text, alternatives) {
                out.push(format!("says none of {alternatives:?}"));
            }
        }
        for never in &says.never {
            if self.says(text, never) {
                out.push(format!("says \"{never}\""));
            }
        }
        out
    }
}

fn text<'a>(script: &'a Script, id: &str) -> &'a str {
    script.prompts.get(id).map_or("", String::as_str)
}

fn label(selection: &Selection) -> String {
    format!(
        "{}{}{}",
        selection.variant.as_deref().unwrap_or("default"),
        selection
            .with
            .iter()
            .map(|o| format!(" +{o}"))
            .collect::<String>(),
        if selection.brief { " brief" } else { "" }
    )
}

fn said(session: &Session) -> Vec<&str> {
    session
        .steps
        .iter()
        .flat_map(|s| s.parts.iter())
        .filter_map(|p| match p {
            Part::Say(id) => Some(id.as_str()),
            _ => None,
        })
        .collect()
}

/// What a stroke's direction means in words, as `meaning` declares it.
fn direction_words(meaning: &Meaning, direction: Direction) -> &Says {
    let d = &meaning.directions;
    match direction {
        Direction::AwayFromHeart => &d.away_from_heart,
        Direction::TowardsHeart => &d.towards_heart,
        Direction::Down => &d.down,
        Direction::Outwards => &d.outwards,
        Direction::Circles => &d.circles,
        Direction::Press => &d.press,
    }
}

/// Every way the meaning of `session` departs from the article.
fn session_problems(
    script: &Script,
    meaning: &Meaning,
    selection: &Selection,
    session: &Session,
) -> Vec<String> {
    let at = label(selection);
    let mut out: Vec<String> = advice::check(script, session)
        .into_iter()
        .map(|b| format!("{at}: {b}"))
        .collect();
    for set in advice::instructed(session) {
        out.extend(stroke_problems(session, &set, &at));
        if set.first {
            out.extend(introduction_problems(script, meaning, session, &set, &at));
        }
    }
    out.extend(spoken_problems(script, meaning, session, &at));
    out.extend(caution_problems(script, meaning, session, &at));
    out.extend(turn_problems(script, meaning, session, &at));
    out
}

/// The strokes themselves: directions, counts and pace.
fn stroke_problems(session: &Session, set: &advice::Instructed, at: &str) -> Vec<String> {
    let mut out = Vec::new();
    let invigorating = session.variant == "invigorating";
    let newborn = session.options.iter().any(|o| o == "newborn");
    let colic = session.options.iter().any(|o| o == "colic");
    let s = set.strokes;
    let where_ = format!("{at}: {} ({:?})", set.step, s.direction);
    // Directions match the variant: limbs away from the heart to relax,
    // towards it to invigorate.
    if matches!(
        s.direction,
        Some(Direction::AwayFromHeart | Direction::TowardsHeart)
    ) {
        let want = if invigorating {
            Direction::TowardsHeart
        } else {
            Direction::AwayFromHeart
        };
        if s.direction != Some(want) {
            out.push(format!("{where_}: limbs must go {want:?} in this variant"));
        }
    }
    // Counts follow the options: about six per area, four for a
    // newborn; toes and fingers one each; tummy six pairs, twelve for colic.
    let expected = match (set.step, s.direction) {
        (_, Some(Direction::Circles)) => 5,
        ("tummy", _) if colic => 12,
        ("tummy", _) => 6,
        _ if newborn => 4,
        _ => 6,
    };
    if s.count != expected {
        out.push(format!(
            "{where_}: {} strokes, expected {expected}",
            s.count
        ));
    }
    // Long enough to do slowly.
    if s.seconds < 4.0 {
        out.push(format!("{where_}: {} s is too quick a stroke", s.seconds));
    }
    if s.direction.is_none() || s.pressure.is_none() {
        out.push(format!("{where_}: declares no direction or pressure"));
    }
    out
}

/// The words that introduce a stroke set say what the hands do.
fn introduction_problems(
    script: &Script,
    meaning: &Meaning,
    session: &Session,
    set: &advice::Instructed,
    at: &str,
) -> Vec<String> {
    let words = Words(meaning);
    let s = set.strokes;
    let where_ = format!("{at}: {} ({:?})", set.step, s.direction);
    let Some(prompt) = set.prompt else {
        return vec![format!("{where_}: no words before the strokes")];
    };
    let mut out = Vec::new();
    let t = text(script, prompt);
    let where_ = format!("{where_}, prompt {prompt} \"{t}\"");
    if let Some(direction) = s.direction {
        for problem in words.breaks(t, direction_words(meaning, direction)) {
            out.push(format!("{where_}: {problem}"));
        }
    }
    // The cupped hand starts where the stroke starts.
    if let (Some(from), Some(to)) = (&s.from, &s.to) {
        let m = meaning.matching;
        let cup = meaning
            .cupped_hand
            .iter()
            .filter_map(|c| m.positions(t, c).first().copied())
            .min();
        if let Some(cup) = cup {
            let f = m.positions(t, from).into_iter().find(|&p| p > cup);
            let e = m.positions(t, to).into_iter().find(|&p| p > cup);
            if f.is_none() || e.is_some_and(|e| f.is_some_and(|f| e < f)) {
                out.push(format!(
                    "{where_}: the cupped hand must start at the {from}"
                ));
            }
        }
        if !says_from_to(t, from, to) {
            out.push(format!("{where_}: does not say {from} to {to}"));
        }
    }
    if s.per_chime == 2 && !words.any(t, &meaning.pair) {
        out.push(format!("{where_}: a chime is a pair of strokes, say so"));
    }
    if s.pressure == Some(Pressure::NoPress) && !words.any(t, &meaning.no_press) {
        out.push(format!("{where_}: must say not to press"));
    }
    if s.pressure == Some(Pressure::VeryLight) {
        let step_words: String = session
            .steps
            .iter()
            .find(|p| p.id == set.step)
            .into_iter()
            .flat_map(|p| p.parts.iter())
            .filter_map(|p| match p {
                Part::Say(id) => Some(text(script, id)),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ");
        if !words.any(&step_words, &meaning.very_light) {
            out.push(format!("{where_}: must say to touch very lightly"));
        }
    }
    out
}

/// Everything said: the variant's mood, oil only with oil, hedged claims.
fn spoken_problems(script: &Script, meaning: &Meaning, session: &Session, at: &str) -> Vec<String> {
    let words = Words(meaning);
    let mut out = Vec::new();
    let invigorating = session.variant == "invigorating";
    let no_oil = session.options.iter().any(|o| o == "no-oil");
    for id in said(session) {
        let t = text(script, id);
        // Nothing in an invigorating session is slow or for bedtime.
        if invigorating {
            for w in &meaning.calm {
                let excused = meaning
                    .calm_except
                    .iter()
                    .any(|e| words.says(e, w) && words.says(t, e));
                if words.says(t, w) && !excused {
                    out.push(format!("{at}: {id} says \"{w}\": \"{t}\""));
                }
            }
        } else {
            for w in &meaning.lively {
                if words.says(t, w) {
                    out.push(format!("{at}: {id} says \"{w}\": \"{t}\""));
                }
            }
        }
        // Without oil, nothing is said about oil.
        if no_oil && words.any(t, &meaning.oil) {
            out.push(format!("{at}: {id} speaks of oil: \"{t}\""));
        }
        // Health claims keep the article's hedges.
        for claim in &meaning.claims {
            if words.says(t, claim) && !words.any(t, &meaning.hedges) {
                out.push(format!(
                    "{at}: {id} states \"{claim}\" without a hedge: \"{t}\""
                ));
            }
        }
    }
    out
}

/// The cautions say what they mean, wherever they are said.
fn caution_problems(
    script: &Script,
    meaning: &Meaning,
    session: &Session,
    at: &str,
) -> Vec<String> {
    let words = Words(meaning);
    let spoken = said(session);
    let mut out = Vec::new();
    for caution in &script.cautions {
        let Some(says) = meaning.cautions.get(&caution.name) else {
            out.push(format!(
                "{at}: caution {} has no meaning to check",
                caution.name
            ));
            continue;
        };
        for id in spoken
            .iter()
            .filter(|id| caution.said_in.iter().any(|c| c == *id))
        {
            let t = text(script, id);
            for problem in words.breaks(t, says) {
                out.push(format!(
                    "{at}: caution {} in {id} {problem}: \"{t}\"",
                    caution.name
                ));
            }
        }
    }
    out
}

/// Turning over: said, with time for it, onto the tummy for the back and
/// onto the back again before the tummy.
fn turn_problems(script: &Script, meaning: &Meaning, session: &Session, at: &str) -> Vec<String> {
    let words = Words(meaning);
    let Some(back) = session.steps.iter().find(|s| s.id == "back") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let turns: Vec<(&str, f64)> = back
        .parts
        .windows(2)
        .filter_map(|w| match (&w[0], &w[1]) {
            (Part::Say(id), Part::Wait(seconds)) => Some((id.as_str(), *seconds)),
            _ => None,
        })
        .collect();
    let onto = |says: &Says| {
        turns
            .iter()
            .any(|(id, wait)| *wait >= 6.0 && words.breaks(text(script, id), says).is_empty())
    };
    if !onto(&meaning.onto_tummy) || !onto(&meaning.onto_back) {
        out.push(format!(
            "{at}: the back must turn the baby onto the tummy and back again, with time for each: {turns:?}"
        ));
    }
    let first_touch = back
        .parts
        .iter()
        .position(|p| matches!(p, Part::Strokes(_)))
        .unwrap_or(0);
    if !back.parts[..first_touch]
        .iter()
        .any(|p| matches!(p, Part::Wait(_)))
    {
        out.push(format!("{at}: no time to turn before the back strokes"));
    }
    out
}

/// Facts the script's own data must keep, whatever its words say.
fn data_problems(script: &Script, meaning: &Meaning) -> Vec<String> {
    let mut out = Vec::new();
    let guards = |name: &str| -> Vec<Guard> {
        script
            .cautions
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.before.clone())
            .unwrap_or_default()
    };
    for (caution, _) in meaning.cautions.iter() {
        if guards(caution).is_empty() {
            out.push(format!("caution {caution} is gone"));
        }
    }
    for (name, guard) in [
        ("traumatic-birth", Guard::Step("head".into())),
        ("ask-birth", Guard::Step("head".into())),
        ("ask-feed", Guard::Step("tummy".into())),
        ("after-feed", Guard::Step("tummy".into())),
        ("oil-eyes-mouth", Guard::Step("head".into())),
        ("slippery", Guard::Prompt("back-turn".into())),
        ("slippery", Guard::Prompt("back-turn-back".into())),
        ("slippery", Guard::Prompt("close".into())),
        ("distress", Guard::Step("arms".into())),
    ] {
        if !guards(name).contains(&guard) {
            out.push(format!("caution {name} no longer guards {guard:?}"));
        }
    }
    if !script
        .cautions
        .iter()
        .any(|c| c.name == "distress" && c.again)
    {
        out.push("the distress cue must be said again mid-session".into());
    }
    out.extend(choice_problems(script));
    // The checks are asked in the welcome, before the first touch.
    let welcome_says = script
        .step("welcome")
        .map(|s| s.say.clone())
        .unwrap_or_default();
    if !welcome_says.iter().any(|id| id == "welcome-checks") {
        out.push("the welcome must ask about a traumatic birth and a recent feed".into());
    }
    // What single prompts must spell out: the welcome's checks, never
    // while asleep, how to skip the head hands-free and where to rest
    // the hands otherwise, the sleepy back stroke.
    let words = Words(meaning);
    for (id, says) in meaning.prompts.iter() {
        let t = text(script, id);
        for problem in words.breaks(t, says) {
            out.push(format!("prompt {id} {problem}: \"{t}\""));
        }
    }
    for (name, says) in meaning.options.iter() {
        let about = script.option(name).map_or("", |o| o.about.as_str());
        for problem in words.breaks(about, says) {
            out.push(format!("option {name}'s about {problem}: \"{about}\""));
        }
    }
    out
}

/// The options and variants do what the article asks.
fn choice_problems(script: &Script) -> Vec<String> {
    let mut out = Vec::new();
    let option = |name: &str| script.option(name);
    match option("traumatic-birth") {
        Some(o) if o.leave_out == ["head"] => {}
        _ => out.push("traumatic-birth must leave out the head".into()),
    }
    match option("after-feed") {
        Some(o) if o.leave_out == ["tummy"] => {}
        _ => out.push("after-feed must leave out the tummy".into()),
    }
    match option("colic") {
        Some(o) if o.strokes.get("tummy") == Some(&12) => {}
        _ => out.push("colic must give twelve tummy strokes".into()),
    }
    match script.variant("invigorating") {
        Some(v) if v.leave_out == ["back"] => {}
        _ => out.push("invigorating must leave out the sleepy back stroke".into()),
    }
    if script.variants.first().map(|v| v.name.as_str()) != Some("relaxing") {
        out.push("relaxing must be the default".into());
    }
    out
}

/// Everything wrong with `script`, held to `meaning`, in every way it can
/// be played.
pub fn problems(script: &Script, meaning: &Meaning) -> Vec<String> {
    let mut out = data_problems(script, meaning);
    for selection in advice::every_selection(script) {
        match selection.apply(script) {
            Ok(session) => out.extend(session_problems(script, meaning, &selection, &session)),
            Err(err) => out.push(format!("{}: {err}", label(&selection))),
        }
    }
    out.extend(pace_problems(script));
    out
}

/// The first thing wrong with `script` held to `meaning`, if any:
/// [`problems`], stopping at the first way of playing that breaks it.
pub fn first_problem(script: &Script, meaning: &Meaning) -> Option<String> {
    if let Some(problem) = data_problems(script, meaning).into_iter().next() {
        return Some(problem);
    }
    for selection in advice::every_selection(script) {
        let found = match selection.apply(script) {
            Ok(session) => session_problems(script, meaning, &selection, &session),
            Err(err) => vec![format!("{}: {err}", label(&selection))],
        };
        if let Some(problem) = found.into_iter().next() {
            return Some(problem);
        }
    }
    pace_problems(script).into_iter().next()
}

/// Invigorating keeps the gentle pace everywhere but the legs and arms.
fn pace_problems(script: &Script) -> Vec<String> {
    let mut out = Vec::new();
    let pace = |variant: &str| -> Vec<(String, f64)> {
        let session = Selection {
            variant: Some(variant.into()),
            ..Selection::default()
        }
        .apply(script)
        .unwrap();
        advice::instructed(&session)
            .iter()
            .map(|s| {
                (
                    format!("{} {:?}", s.step, s.strokes.direction),
                    s.strokes.seconds,
                )
            })
            .collect()
    };
    if script.variant("invigorating").is_some() {
        let relaxing = pace("relaxing");
        for (what, seconds) in pace("invigorating") {
            let limb = what.ends_with("TowardsHeart)");
            let calm = relaxing.iter().find(|(w, _)| {
                if limb {
                    w.split(' ').next() == what.split(' ').next() && w.ends_with("AwayFromHeart)")
                } else {
                    *w == what
                }
            });
            match calm {
                Some((_, calm)) if limb && seconds >= *calm => {
                    out.push(format!("invigorating {what}: not quicker ({seconds} s)"))
                }
                Some((_, calm)) if !limb && (seconds - calm).abs() > 1e-9 => {
                    out.push(format!("invigorating {what}: pace changed to {seconds} s"))
                }
                None => out.push(format!("invigorating {what}: no relaxing counterpart")),
                _ => {}
            }
        }
    }
    out
}

#[test]
fn the_built_in_session_keeps_every_piece_of_advice_in_every_variant_option_and_mode() {
    let script = Script::builtin();
    let problems = problems(&script, &english_meaning());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // 2 variants x 32 sets of options x full and brief.
    assert_eq!(advice::every_selection(&script).count(), 128);
}

/// Edits that invert a piece of advice, each as (what, from, to) on the
/// script's text.
const MUTATIONS: &[(&str, &str, &str)] = &[
    (
        "fine to massage a baby who is asleep",
        "and a baby awake and content, never asleep.",
        "and it is fine to massage a baby who is asleep.",
    ),
    (
        "tummy stroked upwards",
        "one hand then the other stroking down to the bladder",
        "one hand then the other stroking up from the bladder",
    ),
    (
        "tummy stroked upwards (data and words)",
        "from: \"belly button\", to: \"bladder\"",
        "from: \"bladder\", to: \"belly button\"",
    ),
    (
        "back stroked upwards",
        "stroke down to the bottom or the feet",
        "stroke up from the bottom to the nape",
    ),
    (
        "calming and waking labels swapped",
        "glide slowly down to the foot, calming.",
        "glide slowly down to the foot, waking.",
    ),
    (
        "arm labels swapped",
        "draw it up to the shoulder: waking.",
        "draw it up to the shoulder: calming.",
    ),
    (
        "nape stroke reversed",
        "Then from the crown, down to the nape of the neck.",
        "Then from the nape of the neck, up to the crown.",
    ),
    (
        "room advice deleted from the welcome",
        "say: [\"welcome\", \"welcome-room\", ",
        "say: [\"welcome\", ",
    ),
    (
        "room advice emptied",
        "A warm, quiet room, no music, and a baby",
        "Play some soft music if you like, with a baby",
    ),
    (
        "even if your baby fed in the last half hour, carry on",
        "The tummy: fed in the last half hour? Press n or your pedal to skip it.",
        "The tummy: even if your baby fed in the last half hour, carry on.",
    ),
    (
        "invigorating legs start at the thigh",
        "cup your other hand at the ankle too, and glide up to the top of the thigh",
        "cup your other hand round the top of the thigh, and glide up from the ankle to the thigh",
    ),
    (
        "invigorating arms go away from the heart in the data",
        "direction: TowardsHeart, from: \"wrist\", to: \"shoulder\")",
        "direction: AwayFromHeart, from: \"wrist\", to: \"shoulder\")",
    ),
    (
        "invigorating quickens the head presses",
        "strokes: Strokes(count: 6, seconds: 4.0, direction: Press, pressure: VeryLight),",
        "strokes: Strokes(count: 6, seconds: 4.0, direction: Press, pressure: VeryLight, by_variant: { \"invigorating\": Change(seconds: 3.0) }),",
    ),
    (
        "the turn-over loses its slippery reminder",
        "slowly and carefully: oiled skin is slippery.",
        "now.",
    ),
    (
        "no time to turn over",
        "Move(say: [\"back-turn\"], wait: 8.0),",
        "Move(say: [\"back-turn\"]),",
    ),
    (
        "the reflexology hedge dropped",
        "as in reflexology, this spot is thought to relate to digestion.",
        "this spot is linked to digestion.",
    ),
    (
        "the colic hedge dropped",
        "Some parents feel this eases wind, colic and constipation.",
        "This cures colic and constipation.",
    ),
    (
        "the head no longer says how to skip it",
        "after a traumatic birth, press n or your pedal to skip it, or rest",
        "after a traumatic birth, go gently, or rest",
    ),
    (
        "the distress cue not repeated mid-session",
        "say: [\"check-in\"],",
        "say: [],",
    ),
    (
        "the oil cautions gone",
        "Use plain, unscented oil, no nut or essential oils,",
        "Use any oil you like,",
    ),
    (
        "the tummy chime no longer a pair",
        "each chime is a pair, one hand",
        "at each chime, one hand",
    ),
    (
        "the back stroke presses",
        "without pressing, stroke down",
        "press firmly, and stroke down",
    ),
    (
        "the legs texts swapped between the variants",
        "\"legs-down\": \"legs-up\",",
        "\"legs-down\": \"legs-down\",",
    ),
    (
        "invigorating says bedtime",
        "A lively daytime massage of about twelve minutes",
        "A lively bedtime massage of about twelve minutes",
    ),
    (
        "relaxing legs declared towards the heart while the words say down to the foot",
        "direction: AwayFromHeart, from: \"thigh\", to: \"foot\"",
        "direction: TowardsHeart, from: \"thigh\", to: \"foot\"",
    ),
    (
        "the newborn legs keep six strokes",
        "\"legs\": 4,",
        "\"legs\": 6,",
    ),
    (
        "colic leaves the tummy at six",
        "strokes: { \"tummy\": 12 },",
        "strokes: { \"tummy\": 6 },",
    ),
    (
        "the brief distress cue loses how to end",
        "\"Hunched, pulling away, crying? Press d.\"",
        "\"Hunched, pulling away, crying? Carry on.\"",
    ),
    (
        "the close forgets the slippery baby",
        "hold them close, carefully: they're slippery.",
        "hold them close.",
    ),
];

/// The script with the legs texts of the two variants exchanged.
fn legs_swapped() -> String {
    let down = text(&Script::builtin(), "legs-down").to_string();
    let up = text(&Script::builtin(), "legs-up").to_string();
    BUILTIN_SOURCE
        .replace(&down, "\u{0}")
        .replace(&up, &down)
        .replace('\u{0}', &up)
}

/// The article asks for very light touches around every baby's skull, and
/// gives no reason to leave a newborn's head out: the newborn option said
/// "the skull is still soft" (and that a newborn is not turned over),
/// which the article does not. It leaves the head and back out for length,
/// and says only that.
#[test]
fn the_newborn_option_gives_no_reason_the_article_does_not() {
    let script = Script::builtin();
    let about = &script.option("newborn").unwrap().about;
    let words = Words(&english_meaning());
    for claim in ["skull", "soft", "turning"] {
        assert!(!words.says(about, claim), "{about}");
    }
    assert!(words.says(about, "to keep it short"), "{about}");
    let newborn = Selection {
        with: vec!["newborn".into()],
        ..Selection::default()
    }
    .apply(&script)
    .unwrap();
    assert!(newborn
        .steps
        .iter()
        .all(|s| s.id != "head" && s.id != "back"));
}

#[test]
fn every_inverted_piece_of_advice_is_caught() {
    let mut sources: Vec<(String, String)> = MUTATIONS
        .iter()
        .map(|(what, from, to)| {
            assert_eq!(
                BUILTIN_SOURCE.matches(from).count(),
                1,
                "mutation \"{what}\": the text to change must occur once: {from}"
            );
            (what.to_string(), BUILTIN_SOURCE.replacen(from, to, 1))
        })
        .collect();
    sources.push(("the legs texts exchanged".into(), legs_swapped()));
    for (what, source) in sources {
        let script = match Script::parse(&source, BUILTIN_NAME) {
            Ok(script) => script,
            Err(err) => panic!("mutation \"{what}\" does not load: {err}"),
        };
        let found = problems(&script, &english_meaning());
        assert!(!found.is_empty(), "mutation \"{what}\" passes every check");
    }
}
