//! Bad scripts and bad names: the exact message, and exit code 2.

const BASE: &str = r#"Session(
    title: "Tiny",
    variants: [Variant(name: "calm")],
    prompts: {
        "hello": "Hello there.",
    },
    steps: [
        Step(id: "hello", title: "Hello", say: ["hello"]),
    ],
)
"#;

/// Runs `soothe check FILE` on `BASE` with one edit; returns stderr.
fn check_edited(file: &str, from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "the edit applies");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), BASE.replace(from, to)).unwrap();
    let output = crate::support::cli::soothe()
        .current_dir(dir.path())
        .args(["check", file])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "exit code for {file}");
    assert!(output.stdout.is_empty(), "nothing on stdout for {file}");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn a_step_naming_a_missing_prompt_points_at_the_name() {
    let err = check_edited("bad.ron", r#"say: ["hello"]"#, r#"say: ["helo"]"#);
    assert_eq!(
        err,
        "bad.ron:8:49: there is no prompt \"helo\" (prompts: hello)\n"
    );
}

#[test]
fn an_unknown_field_is_an_error_not_ignored() {
    let err = check_edited("bad.ron", "say:", "sayy:");
    assert_eq!(
        err,
        "bad.ron:8:43: unexpected field named `sayy` in `Step`, expected one of `id`, `title`, `say`, `strokes`, `moves`, `other_side`, or `wait` instead\n"
    );
}

#[test]
fn a_syntax_error_points_at_where_the_comma_was_expected() {
    let err = check_edited("bad.ron", r#"title: "Tiny","#, r#"title: "Tiny""#);
    assert_eq!(err, "bad.ron:3:5: expected comma\n");
}

#[test]
fn a_variant_swapping_to_a_missing_prompt_points_at_the_value() {
    let err = check_edited(
        "bad.ron",
        r#"Variant(name: "calm")"#,
        r#"Variant(name: "calm", swap: { "hello": "bye" })"#,
    );
    assert_eq!(
        err,
        "bad.ron:3:55: there is no prompt \"bye\" (prompts: hello)\n"
    );
}

#[test]
fn a_negative_stroke_time_is_refused() {
    let err = check_edited(
        "bad.ron",
        r#"say: ["hello"])"#,
        r#"say: ["hello"], strokes: Strokes(count: 6, seconds: -1.0))"#,
    );
    assert_eq!(
        err,
        "bad.ron:8:95: seconds must be above 0 and at most 600 seconds, not -1\n"
    );
}

#[test]
fn an_unknown_chime_style_lists_the_valid_ones() {
    let err = check_edited(
        "bad.ron",
        r#"Variant(name: "calm")"#,
        r#"Variant(name: "calm", chime: Loud)"#,
    );
    assert_eq!(
        err,
        "bad.ron:3:45: unexpected variant named `Loud` in enum `ChimeStyle`, expected either `Soft` or `Bright` instead\n"
    );
}

#[test]
fn a_step_defined_twice_points_at_the_second() {
    let err = check_edited(
        "bad.ron",
        r#"        Step(id: "hello", title: "Hello", say: ["hello"]),"#,
        "        Step(id: \"hello\", title: \"Hello\", say: [\"hello\"]),\n        Step(id: \"hello\", title: \"Again\"),",
    );
    assert_eq!(err, "bad.ron:9:18: step \"hello\" is defined twice\n");
}

#[test]
fn a_prompt_id_that_is_not_a_plain_name_is_refused() {
    let err = check_edited(
        "bad.ron",
        r#"        "hello": "Hello there.","#,
        "        \"hello\": \"Hello there.\",\n        \"../escape\": \"Sneaky.\",",
    );
    assert_eq!(
        err,
        "bad.ron:6:9: prompt id \"../escape\" must use only lowercase letters, digits and '-' (and not start with '-')\n"
    );
}

#[test]
fn a_missing_script_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::cli::soothe()
        .current_dir(dir.path())
        .args(["plan", "nowhere.ron"])
        .assert()
        .code(2)
        .stderr("soothe: nowhere.ron: cannot read the script: No such file or directory\n");
}

#[test]
fn an_unknown_variant_lists_the_valid_ones() {
    crate::support::cli::soothe()
        .args(["plan", "--variant", "sleepy"])
        .assert()
        .code(2)
        .stderr("soothe: unknown variant \"sleepy\"; valid variants: relaxing, invigorating\n");
}

#[test]
fn an_unknown_option_lists_the_valid_ones() {
    crate::support::cli::soothe()
        .args(["render", "--with", "colik", "-o", "never.wav"])
        .assert()
        .code(2)
        .stderr("soothe: unknown option \"colik\"; valid options: colic, traumatic-birth, after-feed, no-oil, newborn\n");
    assert!(!std::path::Path::new("never.wav").exists());
}

#[test]
fn an_unknown_step_lists_the_valid_ones() {
    crate::support::cli::soothe()
        .args(["plan", "--skip", "knees"])
        .assert()
        .code(2)
        .stderr("soothe: unknown step \"knees\"; valid steps: welcome, feet, legs, head, check-in, back, tummy, arms, close\n");
}

#[test]
fn a_script_whose_words_no_voice_has_recorded_says_how_to_record_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tiny.ron"), BASE).unwrap();
    crate::support::cli::soothe()
        .current_dir(dir.path())
        .args(["render", "tiny.ron", "-o", "tiny.wav"])
        .assert()
        .code(2)
        .stderr("soothe: no recording of prompt hello; record it with `soothe record tiny.ron --voice NAME --missing`, then play with --voice NAME\n");
    assert!(!dir.path().join("tiny.wav").exists());
}

#[test]
fn an_unknown_stroke_direction_lists_the_directions() {
    let err = check_edited(
        "bad.ron",
        r#"say: ["hello"])"#,
        r#"say: ["hello"], strokes: Strokes(count: 6, seconds: 5.0, direction: Upwards))"#,
    );
    assert_eq!(err, "bad.ron:8:111: unexpected variant named `Upwards` in enum `Direction`, expected one of `AwayFromHeart`, `TowardsHeart`, `Down`, `Outwards`, `Circles`, or `Press` instead\n");
}

#[test]
fn a_stroke_set_changed_for_an_unknown_variant_points_at_its_name() {
    let err = check_edited(
        "bad.ron",
        r#"say: ["hello"])"#,
        r#"say: ["hello"], strokes: Strokes(count: 6, seconds: 5.0, by_variant: { "lively": Change(seconds: 3.0) }))"#,
    );
    assert_eq!(
        err,
        "bad.ron:8:114: there is no variant \"lively\" (variants: calm)\n"
    );
}

#[test]
fn a_caution_guarding_an_unknown_step_points_at_it() {
    let err = check_edited(
        "bad.ron",
        "    steps: [",
        "    cautions: [Caution(name: \"warm\", said_in: [\"hello\"], before: [Step(\"legs\")])],\n    steps: [",
    );
    assert_eq!(
        err,
        "bad.ron:7:67: there is no step \"legs\" (steps: hello)\n"
    );
}

#[test]
fn an_option_counting_an_unknown_move_says_which_moves_have_ids() {
    let err = check_edited(
        "bad.ron",
        r#"variants: [Variant(name: "calm")],"#,
        r#"variants: [Variant(name: "calm")],
    options: [Option(name: "short", about: "Shorter.", strokes: { "hello/palm": 4 })],"#,
    );
    assert_eq!(
        err,
        "bad.ron:4:67: step \"hello\" has no move \"palm\" (moves with an id: none)\n"
    );
}

#[test]
fn brief_mode_needs_a_brief_section() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tiny.ron"), BASE).unwrap();
    crate::support::cli::soothe()
        .current_dir(dir.path())
        .args(["plan", "tiny.ron", "--brief"])
        .assert()
        .code(2)
        .stderr("soothe: this script has no brief mode (no `brief:` in it)\n");
}

/// A caution said only after the step it guards: the script loads, but
/// `check` names each way of playing it where the advice comes too late.
#[test]
fn check_refuses_a_caution_said_after_what_it_guards() {
    let script = r#"Session(
    title: "Late",
    variants: [Variant(name: "calm")],
    options: [Option(name: "dry", about: "No oil.", swap: { "oil": "dry" })],
    prompts: { "legs": "Glide from the thigh down to the foot.", "oil": "Mind the oil: plain and unscented.", "dry": "Warm, dry hands." },
    cautions: [Caution(name: "oil", said_in: ["oil"], before: [Step("legs")], not_with: ["dry"])],
    steps: [
        Step(id: "legs", title: "Legs", say: ["legs"], strokes: Strokes(count: 2, seconds: 5.0, from: "thigh", to: "foot")),
        Step(id: "close", title: "Close", say: ["oil"]),
    ],
)
"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("late.ron"), script).unwrap();
    let output = crate::support::cli::soothe()
        .current_dir(dir.path())
        .args(["check", "late.ron"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "soothe: the advice is not kept in 1 place:\n  calm: legs: caution \"oil\" is not said before step \"legs\"\n"
    );
}
