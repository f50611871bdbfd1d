//! MP3 through LAME (the `mp3lame-encoder` crate, which builds the LAME
//! library it bundles), mono at a constant bit rate, behind an ID3v2 tag
//! with the session's tags, a `CHAP` frame per step and a `CTOC` frame
//! listing them (some players read chapters only through it).

use std::num::NonZeroU32;

use id3::frame::{Chapter, TableOfContents};
use id3::{Frame, Tag, TagLike, Version};
use mp3lame_encoder::{Builder, FlushGap, Mode, MonoPcm};

use soothe_core::encode::meta::Meta;
use soothe_core::encode::meta::ARTIST;
use soothe_core::encode::{EncodeError, Encoder, Patch};

/// Writes a session as MP3.
pub struct Mp3Encoder {
    lame: mp3lame_encoder::Encoder,
    buffer: Vec<u8>,
    /// Where the first MP3 frame starts: after the ID3v2 tag.
    first_frame: u64,
    /// Whether LAME keeps its first frame for the Info tag.
    info_tag: bool,
}

impl Mp3Encoder {
    /// Writes the ID3v2 tag of `meta` to `out` and readies LAME. With
    /// `info_tag` (an output that can be rewritten), LAME keeps its first
    /// frame for the Info tag (length, encoder delay, padding: what gapless
    /// players need to start on the very first sample) that
    /// [`Encoder::finish`] returns as a patch.
    pub fn start(
        meta: &Meta,
        kbps: u32,
        info_tag: bool,
        out: &mut dyn std::io::Write,
    ) -> Result<Mp3Encoder, EncodeError> {
        let failed = |what: &str, e: &dyn std::fmt::Display| {
            EncodeError::Encoder(format!("LAME cannot {what}: {e}"))
        };
        let mut builder =
            Builder::new().ok_or_else(|| EncodeError::Encoder("LAME cannot start".into()))?;
        builder
            .set_num_channels(1)
            .map_err(|e| failed("encode mono", &e))?;
        builder
            .set_sample_rate(meta.sample_rate)
            .map_err(|e| failed("take this sample rate", &e))?;
        // LAME resamples a session at a rate MP3 does not have.
        let rate = written_rate(meta.sample_rate);
        builder
            .set_output_sample_rate(NonZeroU32::new(rate))
            .map_err(|e| failed("write this sample rate", &e))?;
        set_kbps(&mut builder, written_kbps(kbps, rate))
            .map_err(|e| failed("use this bit rate", &e))?;
        builder
            .set_mode(Mode::Mono)
            .map_err(|e| failed("encode mono", &e))?;
        builder
            .set_to_write_vbr_tag(info_tag)
            .map_err(|e| failed("keep room for its Info tag", &e))?;
        let lame = builder
            .build()
            .map_err(|e| failed("start with these settings", &e))?;
        let tag = id3_tag(meta);
        let mut bytes = Vec::new();
        tag.write_to(&mut bytes, Version::Id3v23)
            .map_err(|e| failed("write the ID3 tag", &e))?;
        out.write_all(&bytes)?;
        Ok(Mp3Encoder {
            lame,
            buffer: Vec::new(),
            first_frame: bytes.len() as u64,
            info_tag,
        })
    }
}

impl Encoder for Mp3Encoder {
    fn samples(&mut self, pcm: &[i16], out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.buffer.clear();
        self.buffer
            .reserve(mp3lame_encoder::max_required_buffer_size(pcm.len()));
        self.lame
            .encode_to_vec(MonoPcm(pcm), &mut self.buffer)
            .map_err(lame_error)?;
        out.write_all(&self.buffer)
    }

    fn finish(mut self: Box<Self>, out: &mut dyn std::io::Write) -> std::io::Result<Vec<Patch>> {
        self.buffer.clear();
        self.buffer.reserve(7200);
        self.lame
            .flush_to_vec::<FlushGap>(&mut self.buffer)
            .map_err(lame_error)?;
        out.write_all(&self.buffer)?;
        if !self.info_tag {
            return Ok(Vec::new());
        }
        let mut info = Vec::with_capacity(self.lame.lame_tag_size());
        Ok(match self.lame.lame_tag_encode_to_vec(&mut info) {
            Some(_) => vec![Patch {
                offset: self.first_frame,
                bytes: info,
            }],
            None => Vec::new(),
        })
    }
}

/// The sample rates an MP3 can have: MPEG-2.5, MPEG-2 and MPEG-1.
const RATES: [u32; 9] = [
    8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000,
];

/// The bit rates of each MPEG version, in kb/s (LAME's `bitrate_table`).
const MPEG1_KBPS: [u32; 14] = [
    32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];
const MPEG2_KBPS: [u32; 14] = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MPEG25_KBPS: [u32; 8] = [8, 16, 24, 32, 40, 48, 56, 64];

/// The sample rate an MP3 of a session at `rate` Hz has: the same when
/// MP3 has it, else the next one up that it has (48 kHz at most).
pub fn written_rate(rate: u32) -> u32 {
    RATES.into_iter().find(|&r| r >= rate).unwrap_or(48_000)
}

/// The bit rate an MP3 at `rate` Hz (one of [`RATES`]) has when `kbps` is
/// asked: the nearest one its MPEG version has (the lower of two as near),
/// as LAME would choose. At 8 kHz it holds at most 64 kb/s.
pub fn written_kbps(kbps: u32, rate: u32) -> u32 {
    let table: &[u32] = match rate {
        32_000.. => &MPEG1_KBPS,
        16_000.. => &MPEG2_KBPS,
        _ => &MPEG25_KBPS,
    };
    let mut best = table[0];
    for &candidate in table {
        if candidate.abs_diff(kbps) < best.abs_diff(kbps) {
            best = candidate;
        }
    }
    best
}

fn lame_error(err: mp3lame_encoder::EncodeError) -> std::io::Error {
    std::io::Error::other(format!("LAME cannot encode: {err}"))
}

/// Sets the bit rate: any of MP3's (the crate's `Bitrate` lacks 56 and
/// 144 kb/s). LAME answers 0, or a negative code when it refuses it.
fn set_kbps(builder: &mut Builder, kbps: u32) -> Result<(), String> {
    let asked = std::ffi::c_int::try_from(kbps).unwrap_or(std::ffi::c_int::MAX);
    // SAFETY: the builder's own LAME structure, which lives as long as it
    // does; lame_set_brate only stores the number.
    match unsafe { mp3lame_encoder::ffi::lame_set_brate(builder.as_ptr(), asked) } {
        0 => Ok(()),
        code => Err(format!("{kbps} kb/s (LAME's code {code})")),
    }
}

/// The ID3v2 tag: title, artist, album, track, and the chapters.
pub fn id3_tag(meta: &Meta) -> Tag {
    let mut tag = Tag::new();
    tag.set_title(meta.title.as_str());
    tag.set_artist(ARTIST);
    tag.set_album_artist(ARTIST);
    tag.set_album(meta.album.as_str());
    if let Some((number, total)) = meta.track {
        tag.set_track(number as u32);
        tag.set_total_tracks(total as u32);
    }
    tag.set_duration(u32::try_from(meta.millis(meta.total_samples)).unwrap_or(u32::MAX));
    let ids: Vec<String> = (1..=meta.chapters.len())
        .map(|n| format!("ch{n}"))
        .collect();
    if !ids.is_empty() {
        tag.add_frame(TableOfContents {
            element_id: "toc".into(),
            top_level: true,
            ordered: true,
            elements: ids.clone(),
            frames: Vec::new(),
        });
    }
    for (chapter, id) in meta.chapters.iter().zip(ids) {
        let ms = |sample| u32::try_from(meta.millis(sample)).unwrap_or(u32::MAX);
        tag.add_frame(Chapter {
            element_id: id,
            start_time: ms(chapter.start),
            end_time: ms(chapter.end),
            // Byte offsets unknown: players use the times.
            start_offset: u32::MAX,
            end_offset: u32::MAX,
            frames: vec![Frame::text("TIT2", chapter.title.as_str())],
        });
    }
    tag
}
