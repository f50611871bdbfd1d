//! Everything a session sounds like: its voice and its chimes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::session::script::ChimeStyle;
use crate::session::timeline::{EventKind, SoundLengths, Timeline};
use crate::sound::chime::Chimes;
use crate::sound::voice::{VoiceError, VoiceSet};

pub struct Sounds {
    pub rate: u32,
    pub voice: VoiceSet,
    pub chimes: Chimes,
    /// Prompts decoded on demand and kept for a later use (see
    /// [`Sounds::expect`]).
    kept: Mutex<Kept>,
}

/// A step done on both sides says the same words twice: they are decoded
/// once and kept until their last use, and no longer, so that rendering
/// holds only the few prompts it still needs.
#[derive(Default)]
struct Kept {
    uses_left: HashMap<String, usize>,
    samples: HashMap<String, Arc<[f32]>>,
}

impl Sounds {
    pub fn new(voice: VoiceSet, style: ChimeStyle, rate: u32) -> Sounds {
        Sounds {
            rate,
            voice,
            chimes: Chimes::new(style, rate),
            kept: Mutex::new(Kept::default()),
        }
    }

    /// Tells how often `timeline` speaks each prompt, so that a prompt said
    /// again later is kept rather than decoded twice.
    pub fn expect(&mut self, timeline: &Timeline) {
        let kept = self
            .kept
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.uses_left.clear();
        for event in &timeline.events {
            if let EventKind::Prompt { prompt, .. } = &event.kind {
                *kept.uses_left.entry(prompt.clone()).or_default() += 1;
            }
        }
    }

    /// A prompt's samples at the session rate.
    pub fn prompt(&self, id: &str) -> Result<Arc<[f32]>, VoiceError> {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let left = kept.uses_left.get_mut(id).map_or(0, |n| {
            *n = n.saturating_sub(1);
            *n
        });
        let samples = match kept.samples.get(id) {
            Some(samples) => samples.clone(),
            None => self.decode(id)?,
        };
        if left > 0 {
            kept.samples.insert(id.to_string(), samples.clone());
        } else {
            kept.samples.remove(id);
        }
        Ok(samples)
    }

    fn decode(&self, id: &str) -> Result<Arc<[f32]>, VoiceError> {
        let audio = self
            .voice
            .get(id)
            .ok_or_else(|| VoiceError::NoRecording { id: id.to_string() })?;
        Ok(audio.decode(self.rate)?.into())
    }
}

impl SoundLengths for Sounds {
    fn prompt(&self, id: &str) -> Option<(u64, String)> {
        self.voice
            .get(id)
            .map(|audio| (audio.len_at(self.rate), audio.voice.clone()))
    }

    fn chime(&self, last: bool) -> u64 {
        self.chimes.get(last).len() as u64
    }
}
