//! Opus in Ogg: the voice notes of WhatsApp, Telegram and Signal. symphonia
//! 0.5 reads the Ogg pages and the Opus header but has no Opus decoder;
//! this puts `opus-rs` (libopus ported to Rust) behind symphonia's
//! [`Decoder`] trait, so that an Opus memo is read packet by packet, refused and
//! resampled as every other format is.

use symphonia::core::audio::{
    AsAudioBufferRef, AudioBuffer, AudioBufferRef, Channels, Signal, SignalSpec,
};
use symphonia::core::codecs::{
    CodecDescriptor, CodecParameters, CodecRegistry, Decoder, DecoderOptions, FinalizeResult,
    CODEC_TYPE_OPUS,
};
use symphonia::core::errors::{decode_error, unsupported_error, Result};
use symphonia::core::formats::Packet;
use symphonia::core::support_codec;

/// Opus decodes to 48 kHz, whatever the rate it was recorded at.
const RATE: u32 = 48_000;
/// The longest an Opus packet lasts: 120 ms at 48 kHz.
const MOST_FRAMES: usize = 5_760;

/// symphonia's decoders with Opus among them.
pub(super) fn codecs() -> &'static CodecRegistry {
    static CODECS: std::sync::OnceLock<CodecRegistry> = std::sync::OnceLock::new();
    CODECS.get_or_init(|| {
        let mut codecs = CodecRegistry::new();
        symphonia::default::register_enabled_codecs(&mut codecs);
        codecs.register_all::<Opus>();
        codecs
    })
}

/// The frames a track of `frames` (as its container counts them)
/// promises once decoded: an Ogg Opus stream counts its encoder's
/// pre-skip, which the decoder drops.
pub(super) fn promised(params: &CodecParameters, frames: Option<u64>) -> Option<u64> {
    let frames = frames?;
    Some(match params.codec {
        CODEC_TYPE_OPUS => frames.saturating_sub(u64::from(params.delay.unwrap_or(0))),
        _ => frames,
    })
}

/// An Opus stream of one or two channels (Ogg channel mapping 0), decoded
/// at 48 kHz without the encoder's pre-skip.
pub struct Opus {
    params: CodecParameters,
    decoder: opus_rs::OpusDecoder,
    channels: usize,
    /// Frames still to drop from the start.
    skip: usize,
    interleaved: Vec<f32>,
    buf: AudioBuffer<f32>,
}

impl Decoder for Opus {
    fn try_new(params: &CodecParameters, _options: &DecoderOptions) -> Result<Self> {
        // The Ogg mapping passes the OpusHead packet: "OpusHead", version,
        // channels, pre-skip (16 bits), input rate (32), gain (16), mapping.
        let head = params.extra_data.as_deref().unwrap_or_default();
        if head.len() < 19 || &head[..8] != b"OpusHead" {
            return decode_error("no Opus header");
        }
        let channels = usize::from(head[9]);
        if !(1..=2).contains(&channels) || head[18] != 0 {
            return unsupported_error("Opus of more than two channels");
        }
        let Ok(decoder) = opus_rs::OpusDecoder::new(RATE as i32, channels) else {
            return unsupported_error("this Opus stream");
        };
        let layout = match channels {
            1 => Channels::FRONT_LEFT,
            _ => Channels::FRONT_LEFT | Channels::FRONT_RIGHT,
        };
        let mut params = params.clone();
        params.with_sample_rate(RATE);
        Ok(Opus {
            params,
            decoder,
            channels,
            skip: usize::from(u16::from_le_bytes([head[10], head[11]])),
            interleaved: vec![0.0; MOST_FRAMES * channels],
            buf: AudioBuffer::new(MOST_FRAMES as u64, SignalSpec::new(RATE, layout)),
        })
    }

    fn supported_codecs() -> &'static [CodecDescriptor] {
        &[support_codec!(CODEC_TYPE_OPUS, "opus", "Opus")]
    }

    fn reset(&mut self) {
        if let Ok(decoder) = opus_rs::OpusDecoder::new(RATE as i32, self.channels) {
            self.decoder = decoder;
        }
    }

    fn codec_params(&self) -> &CodecParameters {
        &self.params
    }

    fn decode(&mut self, packet: &Packet) -> Result<AudioBufferRef<'_>> {
        self.buf.clear();
        // An empty packet would ask the decoder to make up a lost one of
        // any length. (A packet of its first byte alone is a silent frame
        // of the length that byte says, as libopus decodes it.)
        if packet.data.is_empty() {
            return decode_error("an empty Opus packet");
        }
        let Ok(frames) = self
            .decoder
            .decode(&packet.data, MOST_FRAMES, &mut self.interleaved)
        else {
            return decode_error("a damaged Opus packet");
        };
        let skipped = self.skip.min(frames);
        self.skip -= skipped;
        self.buf.render_reserved(Some(frames - skipped));
        let kept = &self.interleaved[skipped * self.channels..frames * self.channels];
        for channel in 0..self.channels {
            let plane = self.buf.chan_mut(channel);
            for (out, frame) in plane.iter_mut().zip(kept.chunks_exact(self.channels)) {
                *out = frame[channel];
            }
        }
        Ok(self.buf.as_audio_buffer_ref())
    }

    fn finalize(&mut self) -> FinalizeResult {
        FinalizeResult::default()
    }

    fn last_decoded(&self) -> AudioBufferRef<'_> {
        self.buf.as_audio_buffer_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use symphonia::core::errors::Error;

    /// A track as symphonia's Ogg mapping gives it: its OpusHead packet,
    /// the pre-skip also as the track's delay.
    fn params(channels: u8, pre_skip: u16, mapping: u8) -> CodecParameters {
        let mut head = b"OpusHead".to_vec();
        head.extend([1, channels]);
        head.extend(pre_skip.to_le_bytes());
        head.extend(16_000u32.to_le_bytes());
        head.extend([0, 0, mapping]);
        let mut params = CodecParameters::new();
        params
            .for_codec(CODEC_TYPE_OPUS)
            .with_delay(u32::from(pre_skip))
            .with_extra_data(head.into());
        params
    }

    /// `seconds` of a 440 Hz tone at -12 dBFS (in the left channel only,
    /// of two), as 20 ms packets a voice note's encoder makes.
    fn tone_packets(channels: usize, seconds: usize) -> Vec<Packet> {
        let mut encoder =
            opus_rs::OpusEncoder::new(48_000, channels, opus_rs::Application::Voip).unwrap();
        let mut packets = Vec::new();
        for n in 0..seconds * 50 {
            let pcm: Vec<f32> = (0..960 * channels)
                .map(|i| match i % channels {
                    0 => {
                        let t = (n * 960 + i / channels) as f32 / 48_000.0;
                        0.25 * (std::f32::consts::TAU * 440.0 * t).sin()
                    }
                    _ => 0.0,
                })
                .collect();
            let mut out = [0u8; 1500];
            let bytes = encoder.encode(&pcm, 960, &mut out).unwrap();
            let ts = (n * 960) as u64;
            packets.push(Packet::new_from_slice(0, ts, 960, &out[..bytes]));
        }
        packets
    }

    /// Every channel of every packet decoded, one after the other.
    fn decode_all(decoder: &mut dyn Decoder, packets: &[Packet]) -> Vec<Vec<f32>> {
        let mut channels: Vec<Vec<f32>> = Vec::new();
        for packet in packets {
            let decoded = decoder.decode(packet).unwrap();
            let symphonia::core::audio::AudioBufferRef::F32(buf) = decoded else {
                panic!("not f32");
            };
            channels.resize(buf.spec().channels.count(), Vec::new());
            for (c, plane) in channels.iter_mut().enumerate() {
                plane.extend_from_slice(buf.chan(c));
            }
        }
        channels
    }

    fn rms_db(samples: &[f32]) -> f32 {
        let power = samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32;
        10.0 * power.max(1e-20).log10()
    }

    #[test]
    fn a_tone_comes_back_at_48_khz_as_loud_and_as_high_without_the_pre_skip() {
        let mut decoder = codecs()
            .make(&params(1, 312, 0), &DecoderOptions::default())
            .unwrap();
        let mono = decode_all(decoder.as_mut(), &tone_packets(1, 2)).remove(0);
        assert_eq!(mono.len(), 2 * 48_000 - 312);
        assert_eq!(decoder.codec_params().sample_rate, Some(48_000));
        let last = &mono[48_000..];
        // -12 dBFS peak: -15 dB RMS.
        assert!((rms_db(last) + 15.05).abs() < 1.0, "{}", rms_db(last));
        let rises = last.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0);
        let hz = rises.count() as f32 * 48_000.0 / last.len() as f32;
        assert!((hz - 440.0).abs() < 3.0, "{hz} Hz");
    }

    #[test]
    fn two_channels_come_back_apart() {
        let mut decoder = Opus::try_new(&params(2, 0, 0), &DecoderOptions::default()).unwrap();
        let planes = decode_all(&mut decoder, &tone_packets(2, 1));
        assert_eq!(planes.len(), 2);
        let (left, right) = (rms_db(&planes[0][9_600..]), rms_db(&planes[1][9_600..]));
        assert!(left > -16.5 && right < left - 20.0, "{left} {right}");
    }

    #[test]
    fn more_than_two_channels_a_missing_header_and_an_empty_packet_are_refused() {
        let options = DecoderOptions::default();
        let refused = |params: &CodecParameters| match Opus::try_new(params, &options) {
            Err(Error::Unsupported(why)) => format!("unsupported: {why}"),
            Err(Error::DecodeError(why)) => format!("damaged: {why}"),
            Err(other) => other.to_string(),
            Ok(_) => "taken".into(),
        };
        assert_eq!(
            refused(&params(6, 312, 1)),
            "unsupported: Opus of more than two channels"
        );
        let mut headless = params(1, 312, 0);
        headless.extra_data = None;
        assert_eq!(refused(&headless), "damaged: no Opus header");

        let mut decoder = Opus::try_new(&params(1, 0, 0), &options).unwrap();
        let empty = Packet::new_from_slice(0, 0, 960, &[]);
        assert!(matches!(decoder.decode(&empty), Err(Error::DecodeError(_))));
        assert_eq!(decoder.last_decoded().frames(), 0);
    }

    #[test]
    fn an_opus_track_promises_its_frames_less_the_pre_skip_and_others_all_theirs() {
        let opus = params(1, 312, 0);
        assert_eq!(promised(&opus, Some(96_312)), Some(96_000));
        assert_eq!(promised(&opus, None), None);
        let mut vorbis = CodecParameters::new();
        vorbis
            .for_codec(symphonia::core::codecs::CODEC_TYPE_VORBIS)
            .with_delay(312);
        assert_eq!(promised(&vorbis, Some(96_312)), Some(96_312));
    }
}
