//! How loud the voice and the chimes are mixed: `--voice-gain` and
//! `--chime-gain`, in dB.

/// The levels of a session's two layers, in dB (0 dB leaves a sound as it
/// is): `--voice-gain` and `--chime-gain`, moved by + and - while playing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Levels {
    pub voice_db: f64,
    pub chime_db: f64,
}

impl Levels {
    pub const UNITY: Levels = Levels {
        voice_db: 0.0,
        chime_db: 0.0,
    };

    /// The quietest and loudest levels offered, in dB.
    pub const RANGE_DB: std::ops::RangeInclusive<f64> = -60.0..=12.0;

    pub fn from_db(voice_db: f64, chime_db: f64) -> Levels {
        Levels { voice_db, chime_db }
    }

    /// The voice's level as a linear gain.
    pub fn voice_gain(&self) -> f32 {
        gain(self.voice_db)
    }

    /// The chimes' level as a linear gain.
    pub fn chime_gain(&self) -> f32 {
        gain(self.chime_db)
    }
}

fn gain(db: f64) -> f32 {
    10f64.powf(db / 20.0) as f32
}

#[cfg(test)]
mod tests {
    use super::Levels;

    #[test]
    fn levels_in_db_become_the_gains_the_mix_uses() {
        assert_eq!(Levels::UNITY.voice_gain(), 1.0);
        assert_eq!(Levels::UNITY.chime_gain(), 1.0);
        let levels = Levels::from_db(-6.0, 12.0);
        assert!((levels.voice_gain() - 0.501_187).abs() < 1e-6);
        assert!((levels.chime_gain() - 3.981_072).abs() < 1e-5);
    }
}
