//! What `soothe render` writes is exactly the plan: every chime starts on
//! its planned sample, every prompt is heard where planned, and there is
//! nothing else (no music, no background) anywhere.

use serde_json::Value;
use soothe_core::encode::wav::pcm16;
use soothe_core::session::script::{ChimeStyle, Script};
use soothe_core::sound::chime;
use soothe_core::sound::voice::{VoiceChoice, VoiceSet};

use crate::support::cli::{ok, plan};

/// A short but complete selection: the tummy (a stroke set), the arms (both
/// sides, three moves) and the calm close.
const SHORT: [&str; 12] = [
    "--skip", "welcome", "--skip", "feet", "--skip", "legs", "--skip", "head", "--skip",
    "check-in", "--skip", "back",
];

fn render(args: &[&str]) -> (hound::WavSpec, Vec<i16>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.wav");
    let mut all = vec!["render", "-o", path.to_str().unwrap()];
    all.extend_from_slice(args);
    ok(&all);
    let mut reader = hound::WavReader::open(&path).unwrap();
    let samples = reader.samples::<i16>().map(Result::unwrap).collect();
    (reader.spec(), samples)
}

/// FNV-1a (64 bits) over the samples, little-endian: a digest that pins
/// a whole render without keeping it in the repository.
fn digest(samples: &[i16]) -> u64 {
    samples
        .iter()
        .flat_map(|s| s.to_le_bytes())
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// The built-in session in each variant, rendered before the engine
/// became a crate of its own (soothe-core), is what the workspace
/// renders: the same samples, every one of them.
#[test]
fn the_workspace_renders_the_built_in_session_sample_for_sample_as_before() {
    for (variant, length, before) in [
        ("relaxing", 39_917_760, 0xd461_5740_9970_ef21),
        ("invigorating", 33_878_400, 0x9f22_39a1_e7d6_59cf),
    ] {
        let (spec, samples) = render(&["--variant", variant]);
        assert_eq!((spec.sample_rate, spec.channels), (48_000, 1));
        assert_eq!(samples.len(), length, "{variant}");
        assert_eq!(digest(&samples), before, "{variant}");
    }
}

fn u(value: &Value) -> usize {
    value.as_u64().unwrap() as usize
}

/// Checks `samples` against the plan, sample by sample.
fn assert_matches_plan(plan: &Value, samples: &[i16], style: ChimeStyle) {
    let rate = plan["sample_rate"].as_u64().unwrap() as u32;
    assert_eq!(samples.len(), u(&plan["total_samples"]));
    let script = Script::builtin();
    let voice = VoiceSet::open(&VoiceChoice::Guide, &script, None).unwrap();
    let chimes = [
        chime::synth(style, false, rate),
        chime::synth(style, true, rate),
    ];

    let mut covered = vec![false; samples.len()];
    let mut chime_count = 0;
    for event in plan["events"].as_array().unwrap() {
        let (start, end) = (u(&event["start_sample"]), u(&event["end_sample"]));
        let heard = &samples[start..end];
        let expected: Vec<i16> = match event["kind"].as_str().unwrap() {
            "pause" => continue,
            "chime" => {
                chime_count += 1;
                let last = event["stroke"] == event["of"];
                // Nothing sounds just before a stroke's chime, so its onset
                // is unmistakable, and it is audible at once.
                assert_eq!(samples[start - 1], 0, "silence before the chime at {start}");
                let onset = heard[..480].iter().map(|s| s.unsigned_abs()).max().unwrap();
                assert!(onset > 1_000, "the chime at {start} is heard within 10 ms");
                chimes[usize::from(last)][..end - start]
                    .iter()
                    .map(|s| pcm16(*s))
                    .collect()
            }
            "prompt" => {
                let id = event["prompt"].as_str().unwrap();
                assert_eq!(event["voice"], "guide");
                let rms = (heard.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>()
                    / heard.len() as f64)
                    .sqrt();
                assert!(
                    rms > 600.0,
                    "prompt {id} at {start} is audible (rms {rms:.0})"
                );
                let audio = voice.get(id).unwrap().decode(rate).unwrap();
                audio.iter().map(|s| pcm16(*s)).collect()
            }
            other => panic!("unexpected event kind {other}"),
        };
        assert_eq!(heard.len(), expected.len());
        if let Some(i) = (0..heard.len()).find(|&i| heard[i] != expected[i]) {
            panic!("{event}: sample {} differs", start + i);
        }
        covered[start..end].fill(true);
    }
    assert!(chime_count > 0);
    let stray = (0..samples.len()).find(|&i| !covered[i] && samples[i] != 0);
    assert_eq!(stray, None, "only the voice and the chimes make a sound");
}

#[test]
fn a_render_is_exactly_the_planned_voice_and_chimes() {
    let plan = plan(&SHORT);
    let (spec, samples) = render(&SHORT);
    assert_eq!(spec.channels, 1);
    assert_eq!(spec.sample_rate, 48_000);
    assert_eq!(spec.bits_per_sample, 16);
    assert_matches_plan(&plan, &samples, ChimeStyle::Soft);
}

#[test]
fn an_invigorating_render_uses_the_bright_chimes_at_the_quicker_tempo() {
    let mut args = SHORT.to_vec();
    args.extend(["--variant", "invigorating"]);
    let plan = plan(&args);
    let (_, samples) = render(&args);
    assert_matches_plan(&plan, &samples, ChimeStyle::Bright);
}

#[test]
fn quieter_levels_scale_the_voice_and_the_chimes_separately() {
    let args = [
        "--skip", "welcome", "--skip", "feet", "--skip", "legs", "--skip", "head", "--skip",
        "check-in", "--skip", "back", "--skip", "arms",
    ];
    let plan = plan(&args);
    let (_, normal) = render(&args);
    let mut quiet_args = args.to_vec();
    quiet_args.extend(["--voice-gain", "-30", "--chime-gain", "-6"]);
    let (_, quiet) = render(&quiet_args);
    let peak = |s: &[i16]| s.iter().map(|x| x.unsigned_abs()).max().unwrap_or(0) as f64;
    for event in plan["events"].as_array().unwrap() {
        let range = u(&event["start_sample"])..u(&event["end_sample"]);
        let ratio = peak(&quiet[range.clone()]) / peak(&normal[range]);
        let db = 20.0 * ratio.log10();
        match event["kind"].as_str().unwrap() {
            "prompt" => assert!((db + 30.0).abs() < 0.5, "voice at {db:.2} dB"),
            "chime" => assert!((db + 6.0).abs() < 0.1, "chime at {db:.2} dB"),
            _ => {}
        }
    }
}
