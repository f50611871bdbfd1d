//! The advice holds in every way a script can be played, however many
//! options it has: `check` proves it for every set of options without
//! playing each, and `plan`, `render` and `play` refuse, before the first
//! sample, the one way they are asked for if it breaks. Each test is
//! named after the input it pins.

use soothe_core::session::advice::{breaking_selections, way};
use soothe_core::session::script::{Script, BUILTIN_SOURCE};

/// The option that swaps the oil advice for the room's words again.
const BAD: &str =
    r#"Option(name: "bad", about: "Looks harmless.", swap: { "welcome-oil": "welcome-room" }),"#;

/// The built-in script with `extra` harmless options before `last`:
/// each only counts the tummy's strokes.
fn with_options(extra: usize, last: &str) -> String {
    let mut options = String::new();
    for n in 0..extra {
        options.push_str(&format!(
            "Option(name: \"extra-{n}\", about: \"Extra.\", strokes: {{ \"tummy\": {} }}),\n",
            2 + n % 10
        ));
    }
    options.push_str(last);
    BUILTIN_SOURCE.replacen(
        "    options: [\n",
        &format!("    options: [\n{options}\n"),
        1,
    )
}

/// `script` with `count` more variants, each the relaxing one renamed.
fn with_variants(script: &str, count: usize) -> String {
    let variants: String = (0..count)
        .map(|n| format!("Variant(name: \"calm-{n}\", about: \"Calm {n}.\", chime: Soft),\n"))
        .collect();
    script.replacen(
        "    variants: [\n",
        &format!("    variants: [\n{variants}"),
        1,
    )
}

fn write(dir: &tempfile::TempDir, source: &str) -> String {
    let path = dir.path().join("many.ron");
    std::fs::write(&path, source).unwrap();
    "many.ron".into()
}

/// Where `needle` starts in `source`, as `LINE:COL`.
fn line_col(source: &str, needle: &str) -> String {
    let at = source.find(needle).unwrap();
    let line = source[..at].matches('\n').count() + 1;
    let col = source[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    format!("{line}:{col}")
}

#[test]
fn a_twentieth_option_that_drops_the_oil_caution_fails_check() {
    let dir = tempfile::tempdir().unwrap();
    let source = with_options(14, BAD);
    assert_eq!(
        Script::parse(&source, "many.ron").unwrap().options.len(),
        20
    );
    let output = crate::support::cli::soothe()
        .current_dir(dir.path())
        .args(["check", &write(&dir, &source)])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("advice: 11 cautions checked in 4194304 ways to play it\n"),
        "{stdout}"
    );
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "soothe: the advice is not kept in 16 places:\n  \
         relaxing --with bad: feet: caution \"oil\" is not said before step \"feet\"\n  \
         relaxing --with bad: feet: caution \"oil-eyes-mouth\" is not said before step \"feet\"\n  \
         relaxing --with bad: head: caution \"oil-eyes-mouth\" is not said before step \"head\"\n  \
         relaxing --with bad: arms: caution \"oil-eyes-mouth\" is not said before step \"arms\"\n  \
         relaxing --with bad --brief: feet: caution \"oil\" is not said before step \"feet\"\n  \
         relaxing --with bad --brief: feet: caution \"oil-eyes-mouth\" is not said before step \"feet\"\n  \
         relaxing --with bad --brief: head: caution \"oil-eyes-mouth\" is not said before step \"head\"\n  \
         relaxing --with bad --brief: arms: caution \"oil-eyes-mouth\" is not said before step \"arms\"\n  \
         invigorating --with bad: feet: caution \"oil\" is not said before step \"feet\"\n  \
         invigorating --with bad: feet: caution \"oil-eyes-mouth\" is not said before step \"feet\"\n  \
         ...\n"
    );
}

#[test]
fn plan_render_and_play_with_an_option_that_drops_the_oil_caution_stop_at_the_caution() {
    let dir = tempfile::tempdir().unwrap();
    let source = with_options(14, BAD);
    let script = write(&dir, &source);
    let at = line_col(&source, "Caution(\n            name: \"oil\",");
    let expected = format!(
        "many.ron:{at}: the advice is not kept when played as relaxing --with bad: feet: caution \"oil\" is not said before step \"feet\"; `soothe check` lists every way it breaks\n"
    );
    for command in [
        &["plan", &script, "--with", "bad"][..],
        &["render", &script, "--with", "bad", "-o", "out.wav"],
        &["play", &script, "--with", "bad"],
        // Skipping steps is the parent's choice; it does not hide a breach.
        &["plan", &script, "--with", "bad", "--skip", "head"],
    ] {
        let output = crate::support::cli::soothe()
            .current_dir(dir.path())
            .args(command)
            .output()
            .unwrap();
        assert_eq!(
            (
                output.status.code(),
                String::from_utf8(output.stderr).unwrap()
            ),
            (Some(2), expected.clone()),
            "{command:?}"
        );
    }
    assert!(!dir.path().join("out.wav").exists());
    // Without the option, the same script plays.
    crate::support::cli::soothe()
        .current_dir(dir.path())
        .args(["plan", &script, "--with", "extra-3"])
        .assert()
        .success();
}

#[test]
fn a_missing_word_of_where_strokes_go_stops_plan_at_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let source = BUILTIN_SOURCE.replacen(
        "and glide slowly down to the foot, calming.",
        "and glide slowly, calming.",
        1,
    );
    let script = write(&dir, &source);
    let at = line_col(
        &source,
        "\"The legs: hold one ankle, cup your other hand round",
    );
    crate::support::cli::soothe()
        .current_dir(dir.path())
        .args(["plan", &script])
        .assert()
        .code(2)
        .stderr(format!(
            "many.ron:{at}: the advice is not kept when played as relaxing: legs: strokes go from \"thigh\" to \"foot\", but prompt \"legs-down\" does not say so: \"The legs: hold one ankle, cup your other hand round the top of the thigh, and glide slowly, calming.\"; `soothe check` lists every way it breaks\n"
        ));
}

#[test]
fn options_given_in_either_order_play_the_same_session() {
    let plan = |with: [&str; 2]| crate::support::cli::plan(&["--with", with[0], "--with", with[1]]);
    let one = plan(["newborn", "traumatic-birth"]);
    assert_eq!(one, plan(["traumatic-birth", "newborn"]));
    assert_eq!(
        one["options"],
        serde_json::json!(["traumatic-birth", "newborn"])
    );
}

/// The most memory `breaking_selections` held at once for `source`, and
/// what it found, as `check` words each way.
fn search(source: &str) -> (isize, Vec<String>) {
    let script = Script::parse(source, "many.ron").unwrap();
    let mut found = Vec::new();
    let peak = crate::fuzz_inputs::peak_of(|| {
        found = breaking_selections(&script).unwrap();
    });
    let ways = found
        .iter()
        .map(|s| way(s, s.variant.as_deref().unwrap_or("")))
        .collect();
    (peak, ways)
}

#[test]
fn check_of_a_hundred_variants_and_thirty_options_stays_exact_and_small() {
    // 100 variants and 30 options: 2^30 sets of options each, in full
    // and brief mode. Only one option breaks the advice.
    let source = with_variants(&with_options(24, BAD), 98);
    let script = Script::parse(&source, "many.ron").unwrap();
    assert_eq!((script.variants.len(), script.options.len()), (100, 30));
    let (peak, ways) = search(&source);
    assert_eq!(ways.len(), 200);
    assert!(ways.iter().all(|w| w.contains(" --with bad")), "{ways:?}");
    assert!(ways.contains(&"calm-41 --with bad --brief".to_string()));
    assert!(peak < 100 << 20, "held {} MB", peak >> 20);

    // A breach by a step left out: without the check-in, the distress cue
    // is not said again before the arms.
    let source = with_variants(
        &with_options(
            24,
            r#"Option(name: "no-check-in", about: "A.", leave_out: ["check-in"]),"#,
        ),
        98,
    );
    let (_, ways) = search(&source);
    assert_eq!(ways.len(), 200, "{ways:?}");
    assert!(
        ways.contains(&"calm-7 --with no-check-in".to_string()),
        "{ways:?}"
    );

    // Harmless options: nothing found, and nothing held.
    let (peak, ways) = search(&with_variants(&with_options(29, ""), 98));
    assert_eq!(ways, Vec::<String>::new());
    assert!(peak < 100 << 20, "held {} MB", peak >> 20);
}
