//! The built-in session carries every piece of the source article's advice
//! (and the published pacing notes), each in the step where it belongs.

use soothe::script::Script;

/// The words spoken in `step` (all prompts it can say, in any variant).
fn spoken(script: &Script, step: &str) -> String {
    let step = script.step(step).unwrap();
    let mut ids: Vec<&str> = step.prompt_refs().collect();
    for variant in &script.variants {
        ids.extend(
            variant
                .swap
                .iter()
                .filter(|(from, _)| ids.contains(from))
                .map(|(_, to)| to.as_str())
                .collect::<Vec<_>>(),
        );
    }
    ids.iter()
        .map(|id| script.prompts.get(id).unwrap().to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_says(script: &Script, step: &str, advice: &[(&str, &[&str])]) {
    let words = spoken(script, step);
    for (what, needles) in advice {
        for needle in *needles {
            assert!(
                words.contains(needle),
                "{step}: {what}: no \"{needle}\" in: {words}"
            );
        }
    }
}

#[test]
fn the_welcome_covers_the_room_the_timing_and_asking_permission() {
    let script = Script::builtin();
    assert_says(
        &script,
        "welcome",
        &[
            ("a warm, quiet room", &["warm", "calm"]),
            ("no music: your voice matters", &["music off", "your voice"]),
            ("never while asleep", &["asleep"]),
            (
                "part of a bath or bedtime routine",
                &["bath time", "bedtime"],
            ),
            ("ask permission", &["permission", "show them your hands"]),
            (
                "cues that mean not now",
                &["hunch their shoulders", "pull away", "stop"],
            ),
            ("slow, firm strokes and bonding", &["slow, firm", "close"]),
            ("benefits", &["circulation", "muscle tone", "tummy"]),
            ("little ones tire after about ten minutes", &["ten minutes"]),
        ],
    );
}

#[test]
fn each_technique_carries_its_instructions() {
    let script = Script::builtin();
    assert_says(
        &script,
        "feet",
        &[
            (
                "rotate each toe with finger and thumb",
                &["index finger and thumb", "small circle"],
            ),
            (
                "press just above the heel",
                &["above the heel", "press gently"],
            ),
            ("linked to digestion", &["digestion"]),
            ("resting hands first", &["rest your hands"]),
        ],
    );
    assert_says(
        &script,
        "legs",
        &[
            (
                "hold the ankle, cup the thigh",
                &["ankle in one hand", "top of the thigh"],
            ),
            (
                "relaxing: down towards the foot",
                &["down the leg, towards the foot", "calming"],
            ),
            (
                "invigorating: ankle to thigh",
                &["from the ankle to the thigh", "waking"],
            ),
            (
                "change hands for the other leg",
                &["swap hands", "other leg"],
            ),
        ],
    );
    assert_says(
        &script,
        "head",
        &[
            ("not after a traumatic birth", &["traumatic"]),
            (
                "very light presses around the skull",
                &["very lightly", "all around"],
            ),
            (
                "crown to forehead, crown to nape",
                &[
                    "crown of the head, down to the forehead",
                    "nape of the neck",
                ],
            ),
        ],
    );
    assert_says(
        &script,
        "back",
        &[
            (
                "hands upright near the nape",
                &["upright", "nape", "fingertips towards the head"],
            ),
            (
                "either side of the spine, never on it, no pressure",
                &["each side of the spine", "never on it", "don't press"],
            ),
            ("down to the bottom or the feet", &["bottom", "feet"]),
            ("sleep-inducing", &["sleepy"]),
        ],
    );
    assert_says(
        &script,
        "tummy",
        &[
            (
                "hands flat across, above the belly button",
                &["flat across", "above the belly button"],
            ),
            (
                "alternating strokes down to the bladder",
                &["bladder", "one hand", "the other"],
            ),
            ("wind and colic", &["wind and colic"]),
            ("not straight after a feed", &["half hour"]),
        ],
    );
    assert_says(
        &script,
        "arms",
        &[
            (
                "circles on each fingertip",
                &["tip of one finger", "circle"],
            ),
            ("palm out to fingertips", &["palm out to the fingertips"]),
            ("reflex points for the sinuses", &["sinuses"]),
            (
                "relaxing: shoulder down to wrist",
                &["at the shoulder", "down to the wrist", "calming"],
            ),
            (
                "invigorating: wrist up to shoulder",
                &["up to the shoulder", "waking"],
            ),
            (
                "change hands for the other arm",
                &["swap hands", "other arm"],
            ),
        ],
    );
}

#[test]
fn the_options_and_variants_follow_the_article() {
    let script = Script::builtin();
    let colic = script.option("colic").unwrap();
    assert_eq!(colic.strokes.get("tummy"), Some(&12));
    assert_eq!(script.step("tummy").unwrap().strokes.unwrap().count, 6);
    assert_eq!(
        script.option("traumatic-birth").unwrap().leave_out,
        ["head"]
    );
    let invigorating = script.variant("invigorating").unwrap();
    assert_eq!(
        invigorating.leave_out,
        ["back"],
        "the back stroke sends babies to sleep"
    );
    assert!(invigorating.tempo < 1.0, "quicker strokes");
    assert_eq!(
        script.variants[0].name, "relaxing",
        "relaxing is the default"
    );
}
