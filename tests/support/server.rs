//! A sound server of the test's own that plays in real time, as a desktop
//! gives soothe one: PulseAudio ([`Pulse`]) or PipeWire ([`PipeWire`]),
//! each with a null sink; what soothe needs to play into it, and a
//! recording of what it played.

use super::pipewire::{self, PipeWire};
use super::pulse::{self, Pulse};

pub trait Server {
    type Recorder: Recording;
    /// What `soothe play` needs to play through it.
    fn env(&self) -> Vec<(String, String)>;
    /// Starts recording what it plays.
    fn record(&self) -> Self::Recorder;
}

pub trait Recording {
    /// Stops; the left channel of what was recorded.
    fn stop(self) -> Vec<f32>;
}

impl Server for Pulse {
    type Recorder = pulse::Recorder;
    fn env(&self) -> Vec<(String, String)> {
        Pulse::env(self)
    }
    fn record(&self) -> pulse::Recorder {
        Pulse::record(self)
    }
}

impl Recording for pulse::Recorder {
    fn stop(self) -> Vec<f32> {
        pulse::Recorder::stop(self)
    }
}

impl Server for PipeWire {
    type Recorder = pipewire::Recorder;
    fn env(&self) -> Vec<(String, String)> {
        PipeWire::env(self)
    }
    fn record(&self) -> pipewire::Recorder {
        PipeWire::record(self)
    }
}

impl Recording for pipewire::Recorder {
    fn stop(self) -> Vec<f32> {
        pipewire::Recorder::stop(self)
    }
}
