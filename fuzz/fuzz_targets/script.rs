//! Any bytes as a script: a session, or a message located inside the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use soothe_core::session::script::{parse_bytes, FileError};
use soothe_core::session::select::Selection;
use soothe_core::sound::sounds::Sounds;
use soothe_core::session::timeline::Timeline;
use soothe_core::sound::voice::{VoiceChoice, VoiceSet};

fuzz_target!(|data: &[u8]| {
    match parse_bytes(data, "fuzz.ron") {
        Ok(script) => {
            let voices = VoiceSet::open(&VoiceChoice::Guide, &script, None).expect("the guide opens");
            for variant in &script.variants {
                let selection = Selection {
                    variant: Some(variant.name.clone()),
                    ..Selection::default()
                };
                if let Ok(session) = selection.apply(&script) {
                    let sounds = Sounds::new(voices.clone(), session.chime, session.sample_rate);
                    let _ = Timeline::build(&session, &sounds);
                }
            }
        }
        Err(FileError::At(at)) => {
            let lines = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
            assert!(at.line >= 1 && at.line <= lines && at.col >= 1, "{at}");
            assert!(!at.message.trim().is_empty());
        }
        Err(other) => panic!("a script in memory failed with {other}"),
    }
});
