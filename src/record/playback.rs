//! Playing a take back to the parent, so they can keep it or try again.

use std::num::NonZero;
use std::time::Duration;

use soothe_core::sound::audio::Mono;

/// Plays `audio` through the default output until it ends or
/// `interrupted` says to stop.
pub fn play(audio: &Mono, mut interrupted: impl FnMut() -> bool) -> Result<(), String> {
    let rate = NonZero::new(audio.rate).ok_or("the take has no sample rate")?;
    let mut sink = rodio::DeviceSinkBuilder::open_default_sink().map_err(|e| e.to_string())?;
    sink.log_on_drop(false);
    let player = rodio::Player::connect_new(sink.mixer());
    player.append(rodio::buffer::SamplesBuffer::new(
        NonZero::<u16>::MIN,
        rate,
        audio.samples.clone(),
    ));
    while !player.empty() {
        if interrupted() {
            player.stop();
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    // Let the last samples leave the device buffer.
    std::thread::sleep(Duration::from_millis(250));
    Ok(())
}
