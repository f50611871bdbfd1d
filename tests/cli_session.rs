//! The built-in session through the command line: its plan, its variants
//! and options, and `check`.

use assert_cmd::Command;
use serde_json::Value;

use crate::support::cli::plan;

fn step_ids(plan: &Value) -> Vec<String> {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

fn events<'a>(plan: &'a Value, step: &str, kind: &str) -> Vec<&'a Value> {
    plan["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["step"] == step && e["kind"] == kind)
        .collect()
}

fn prompts(plan: &Value, step: &str) -> Vec<String> {
    events(plan, step, "prompt")
        .iter()
        .map(|e| e["prompt"].as_str().unwrap().to_string())
        .collect()
}

fn minutes(plan: &Value) -> f64 {
    plan["total_samples"].as_f64().unwrap() / plan["sample_rate"].as_f64().unwrap() / 60.0
}

#[test]
fn the_built_in_session_runs_the_six_techniques_in_order_between_welcome_and_close() {
    let plan = plan(&[]);
    assert_eq!(plan["sample_rate"], 48_000);
    assert_eq!(
        step_ids(&plan),
        ["welcome", "feet", "legs", "head", "check-in", "back", "tummy", "arms", "close"]
    );
    let length = minutes(&plan);
    assert!(
        (10.0..=15.0).contains(&length),
        "relaxing lasts {length:.1} minutes"
    );
    // The welcome asks permission, then leaves a quiet moment to watch.
    assert_eq!(
        prompts(&plan, "welcome"),
        [
            "welcome",
            "welcome-room",
            "welcome-checks",
            "welcome-oil",
            "welcome-permission"
        ]
    );
    assert_eq!(events(&plan, "welcome", "pause").len(), 1);
}

#[test]
fn the_plan_is_sample_exact_ordered_and_never_overlaps() {
    let plan = plan(&[]);
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(steps[0]["start_sample"], 0);
    for pair in steps.windows(2) {
        assert_eq!(pair[0]["end_sample"], pair[1]["start_sample"]);
    }
    assert_eq!(steps.last().unwrap()["end_sample"], plan["total_samples"]);
    let events = plan["events"].as_array().unwrap();
    for pair in events.windows(2) {
        let end = pair[0]["end_sample"].as_u64().unwrap();
        assert!(
            end <= pair[1]["start_sample"].as_u64().unwrap(),
            "{} overlaps {}",
            pair[0],
            pair[1]
        );
    }
    for event in events {
        assert!(event["start_sample"].is_u64() && event["end_sample"].is_u64());
        match event["kind"].as_str().unwrap() {
            "prompt" => assert_eq!(event["voice"], "guide"),
            "chime" => assert!(event["stroke"].as_u64().unwrap() <= event["of"].as_u64().unwrap()),
            "pause" => {}
            other => panic!("unknown kind {other}"),
        }
    }
}

#[test]
fn tummy_strokes_are_six_or_twelve_for_colic() {
    let chimes = |plan: &Value| -> Vec<(u64, u64)> {
        events(plan, "tummy", "chime")
            .iter()
            .map(|e| (e["stroke"].as_u64().unwrap(), e["of"].as_u64().unwrap()))
            .collect()
    };
    let six = chimes(&plan(&[]));
    assert_eq!(six, (1..=6).map(|n| (n, 6)).collect::<Vec<_>>());
    let twelve = chimes(&plan(&["--with", "colic"]));
    assert_eq!(twelve, (1..=12).map(|n| (n, 12)).collect::<Vec<_>>());
}

#[test]
fn relaxing_strokes_go_away_from_the_heart_slowly() {
    let plan = plan(&["--variant", "relaxing"]);
    assert_eq!(prompts(&plan, "legs"), ["legs-down", "legs-other"]);
    assert!(prompts(&plan, "arms").contains(&"arms-down".to_string()));
    let tummy = events(&plan, "tummy", "chime");
    let gap =
        tummy[1]["start_sample"].as_u64().unwrap() - tummy[0]["start_sample"].as_u64().unwrap();
    assert_eq!(gap, 8 * 48_000, "a pair of tummy strokes in 8 s");
    assert!(step_ids(&plan).contains(&"back".to_string()));
}

#[test]
fn invigorating_strokes_go_towards_the_heart_quicker_and_skip_the_sleepy_back() {
    let legs_gap = |plan: &Value| {
        let legs = events(plan, "legs", "chime");
        legs[1]["start_sample"].as_u64().unwrap() - legs[0]["start_sample"].as_u64().unwrap()
    };
    let relaxing = plan(&[]);
    let plan = plan(&["--variant", "invigorating"]);
    assert_eq!(plan["variant"], "invigorating");
    assert!(!step_ids(&plan).contains(&"back".to_string()));
    assert_eq!(prompts(&plan, "legs"), ["legs-up", "legs-other"]);
    assert_eq!(legs_gap(&relaxing), 8 * 48_000);
    assert_eq!(legs_gap(&plan), 7 * 48_000, "quicker leg strokes");
    assert!(prompts(&plan, "arms").contains(&"arms-up".to_string()));
    let tummy = events(&plan, "tummy", "chime");
    let gap =
        tummy[1]["start_sample"].as_u64().unwrap() - tummy[0]["start_sample"].as_u64().unwrap();
    assert_eq!(gap, 8 * 48_000, "the tummy keeps its gentle pace");
    assert!(minutes(&plan) < minutes(&relaxing));
}

#[test]
fn the_head_is_left_out_after_a_traumatic_birth() {
    let plan = plan(&["--with", "traumatic-birth"]);
    assert_eq!(
        step_ids(&plan),
        ["welcome", "feet", "legs", "check-in", "back", "tummy", "arms", "close"]
    );
}

#[test]
fn skipping_steps_leaves_them_out() {
    let plan = plan(&["--skip", "feet", "--skip", "tummy"]);
    assert_eq!(
        step_ids(&plan),
        ["welcome", "legs", "head", "check-in", "back", "arms", "close"]
    );
}

#[test]
fn both_sides_are_done_for_feet_legs_and_arms() {
    let plan = plan(&[]);
    let sets = |step: &str| {
        events(&plan, step, "chime")
            .iter()
            .filter(|e| e["stroke"] == 1)
            .count()
    };
    assert_eq!(sets("feet"), 4, "toes and heel, each foot");
    assert_eq!(sets("legs"), 2);
    assert_eq!(sets("arms"), 6, "fingertips, palm and arm, each side");
    assert_eq!(
        prompts(&plan, "feet")
            .iter()
            .filter(|p| *p == "feet-other")
            .count(),
        1
    );
}

#[test]
fn check_reports_each_variant_and_a_complete_guide_voice() {
    let output = Command::cargo_bin("soothe")
        .unwrap()
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        // Not scripts/baby-massage.ron: a path the user does not have.
        "the built-in session: ok: \"Baby massage\", 9 steps, 61 prompts"
    );
    assert_eq!(lines[1], "variants:");
    assert!(lines[2].starts_with("  relaxing      13:"), "{}", lines[2]);
    assert!(lines[3].starts_with("  invigorating  "), "{}", lines[3]);
    assert!(stdout.contains(
        "  colic            For wind or colic: twelve pairs of tummy strokes instead of six.\n"
    ));
    assert!(
        stdout.contains("\nvoice guide: 61 of 61 prompts recorded\nlanguages (--language L):\n  en     English (this session's)\n  es     Español"),
        "{stdout}"
    );
}

#[test]
fn the_readable_plan_shows_time_step_and_what_sounds() {
    let output = Command::cargo_bin("soothe")
        .unwrap()
        .args(["plan", "--with", "colic"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut lines = stdout.lines();
    // The length depends on the voice: only its form is fixed here.
    let title = lines.next().unwrap();
    let length = title
        .strip_prefix("Baby massage (relaxing, colic), ")
        .and_then(|rest| rest.strip_suffix(", voice: guide"))
        .unwrap_or_else(|| panic!("{title}"));
    let (minutes, seconds) = length.split_once(':').unwrap();
    assert!(
        minutes.len() == 2
            && seconds.len() == 2
            && minutes
                .bytes()
                .chain(seconds.bytes())
                .all(|b| b.is_ascii_digit()),
        "{title}"
    );
    assert_eq!(lines.next().unwrap(), "00:00  welcome   == Welcome ==");
    assert!(
        stdout.contains("  tummy     chimes 12 strokes, one every 8.0 s (the last rings twice)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  legs      voice  legs-down (guide, "),
        "{stdout}"
    );
}
