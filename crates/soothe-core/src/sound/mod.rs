//! What a session sounds like: the voices ([`voice`]: the guide's, a set
//! per language in [`guide`], and the parents' takes, and [`voice_file`]:
//! a voice as one file), the chimes ([`chime`]), both together ([`sounds`]),
//! reading and resampling audio ([`audio`], [`vorbis`], [`wav`]), the
//! words a take was spoken for ([`words`]), and the limiter
//! that keeps the mix within full scale.

pub mod audio;
pub mod chime;
pub mod guide;
pub mod limiter;
pub mod sounds;
pub mod voice;
pub mod voice_file;
pub mod vorbis;
pub mod wav;
pub mod words;
