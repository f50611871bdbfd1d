//! `--from STEP`: a session that starts at a step is the full session from
//! that step's first sample on, sample for sample; a step it cannot start
//! at is refused with the steps it can.

use crate::support::cli::{ok, plan, soothe};
use crate::support::render::SHORT;

fn render(args: &[&str]) -> Vec<i16> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.wav");
    let mut all = vec!["render", "-o", path.to_str().unwrap()];
    all.extend_from_slice(args);
    ok(&all);
    let mut reader = hound::WavReader::open(&path).unwrap();
    reader.samples::<i16>().map(Result::unwrap).collect()
}

#[test]
fn render_from_a_step_is_the_full_render_from_that_steps_first_sample() {
    let full_plan = plan(&SHORT);
    let arms = full_plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "arms")
        .expect("the arms are in the short session");
    let start = arms["start_sample"].as_u64().unwrap() as usize;
    assert!(start > 0);

    let mut from_args = SHORT.to_vec();
    from_args.extend(["--from", "arms"]);
    let from_plan = plan(&from_args);
    let ids: Vec<&str> = from_plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["arms", "close"]);
    assert_eq!(from_plan["steps"][0]["start_sample"], 0);

    let full = render(&SHORT);
    let from = render(&from_args);
    assert_eq!(from.len(), full.len() - start);
    let first_difference = (0..from.len()).find(|&i| from[i] != full[start + i]);
    assert_eq!(first_difference, None, "the render from the arms on");
    // It starts with the arms' first words, not with quiet.
    assert!(from[..4_800].iter().any(|s| s.unsigned_abs() > 100));
}

#[test]
fn the_headline_says_where_the_session_starts() {
    let output = ok(&["plan", "--from", "tummy"]);
    let text = String::from_utf8_lossy(&output.stdout);
    let first = text.lines().next().unwrap_or("");
    assert!(first.contains("), 0"), "{text}");
    assert!(first.contains(", from Tummy, voice: guide"), "{text}");
}

#[test]
fn a_step_it_cannot_start_at_is_refused_with_the_steps_it_can() {
    let output = soothe().args(["plan", "--from", "nape"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "soothe: --from: unknown step \"nape\"; valid steps: welcome, feet, legs, head, check-in, back, tummy, arms, close\n"
    );
    let output = soothe()
        .args(["plan", "--with", "traumatic-birth", "--from", "head"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "soothe: --from head: that step is left out of this session; its steps: welcome, feet, legs, check-in, back, tummy, arms, close\n"
    );
}
