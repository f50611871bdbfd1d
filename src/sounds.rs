//! Everything a session sounds like: its voice and its chimes.

use std::collections::HashMap;
use std::sync::Arc;

use crate::chime::Chimes;
use crate::script::ChimeStyle;
use crate::timeline::{EventKind, SoundLengths, Timeline};
use crate::voice::{VoiceError, VoiceSet};

pub struct Sounds {
    pub rate: u32,
    pub voice: VoiceSet,
    pub chimes: Chimes,
    /// Prompts decoded ahead of time (see [`Sounds::preload`]).
    ready: HashMap<String, Arc<[f32]>>,
}

impl Sounds {
    pub fn new(voice: VoiceSet, style: ChimeStyle, rate: u32) -> Sounds {
        Sounds {
            rate,
            voice,
            chimes: Chimes::new(style, rate),
            ready: HashMap::new(),
        }
    }

    /// Decodes every prompt of `timeline` now, so that playing never waits
    /// for a decoder and a broken file is found before the first sound.
    /// Rendering skips this and decodes each prompt as it starts, which
    /// keeps its memory small.
    pub fn preload(&mut self, timeline: &Timeline) -> Result<(), VoiceError> {
        for event in &timeline.events {
            if let EventKind::Prompt { prompt, .. } = &event.kind {
                if !self.ready.contains_key(prompt) {
                    let samples = self.decode(prompt)?;
                    self.ready.insert(prompt.clone(), samples);
                }
            }
        }
        Ok(())
    }

    /// A prompt's samples at the session rate.
    pub fn prompt(&self, id: &str) -> Result<Arc<[f32]>, VoiceError> {
        match self.ready.get(id) {
            Some(samples) => Ok(samples.clone()),
            None => self.decode(id),
        }
    }

    fn decode(&self, id: &str) -> Result<Arc<[f32]>, VoiceError> {
        let audio = self.voice.get(id).ok_or_else(|| VoiceError::Unreadable {
            path: id.to_string(),
            reason: "no recording of this prompt".into(),
        })?;
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
