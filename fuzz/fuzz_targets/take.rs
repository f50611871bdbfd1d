//! Any bytes as a parent's take: it plays, or the message names the file.

#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use soothe_core::session::script::Script;
use soothe_core::session::select::Selection;
use soothe_core::sound::sounds::Sounds;
use soothe::source::{Control, Levels, SessionSource};
use soothe_core::session::timeline::Timeline;
use soothe_core::sound::voice::{VoiceChoice, VoiceSet};

const TINY: &str = r#"Session(
    title: "Tiny",
    variants: [Variant(name: "calm")],
    prompts: { "hello": "Hello there." },
    steps: [Step(id: "hello", title: "Hello", say: ["hello"])],
)"#;

fn folder() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder"))
}

fuzz_target!(|data: &[u8]| {
    let script = Script::parse(TINY, "tiny.ron").expect("valid");
    let session = Selection::default().apply(&script).expect("valid");
    let take = folder().path().join("hello.wav");
    std::fs::write(&take, data).expect("written");
    let shown = format!("{}: ", take.display());
    let choice = VoiceChoice::Folder(folder().path().to_path_buf());
    match VoiceSet::open(&choice, &script, None) {
        Err(err) => assert!(err.to_string().starts_with(&shown), "{err}"),
        Ok(voices) => {
            let sounds = Sounds::new(voices, session.chime, session.sample_rate);
            let timeline = Timeline::build(&session, &sounds).expect("the take is there");
            let control = Control::new(Levels::UNITY);
            let mut source = SessionSource::new(Arc::new(timeline), Arc::new(sounds), control.clone());
            let mut block = vec![0.0f32; 4096];
            while source.fill(&mut block) > 0 {
                assert!(block.iter().all(|s| s.abs() <= 1.0));
            }
            if let Some(err) = control.error() {
                assert!(err.starts_with(&shown), "{err}");
            }
        }
    }
});
