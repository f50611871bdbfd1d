//! MP3 through LAME (the `mp3lame-encoder` crate, which builds the LAME
//! library it bundles), mono at a constant bit rate, behind an ID3v2 tag
//! with the session's tags, a `CHAP` frame per step and a `CTOC` frame
//! listing them (some players read chapters only through it).

use std::num::NonZeroU32;

use id3::frame::{Chapter, TableOfContents};
use id3::{Frame, Tag, TagLike, Version};
use mp3lame_encoder::{Bitrate, Builder, FlushGap, Mode, MonoPcm};

use super::meta::ARTIST;
use super::{EncodeError, Encoder, Meta, Patch};

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
        // MP3 goes up to 48 kHz: LAME resamples a faster session.
        builder
            .set_output_sample_rate(NonZeroU32::new(meta.sample_rate.min(48_000)))
            .map_err(|e| failed("write this sample rate", &e))?;
        builder
            .set_brate(bitrate(kbps)?)
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

fn lame_error(err: mp3lame_encoder::EncodeError) -> std::io::Error {
    std::io::Error::other(format!("LAME cannot encode: {err}"))
}

fn bitrate(kbps: u32) -> Result<Bitrate, EncodeError> {
    Ok(match kbps {
        32 => Bitrate::Kbps32,
        40 => Bitrate::Kbps40,
        48 => Bitrate::Kbps48,
        64 => Bitrate::Kbps64,
        80 => Bitrate::Kbps80,
        96 => Bitrate::Kbps96,
        112 => Bitrate::Kbps112,
        128 => Bitrate::Kbps128,
        160 => Bitrate::Kbps160,
        192 => Bitrate::Kbps192,
        224 => Bitrate::Kbps224,
        256 => Bitrate::Kbps256,
        320 => Bitrate::Kbps320,
        other => {
            return Err(EncodeError::Encoder(format!(
                "LAME has no {other} kb/s bit rate"
            )))
        }
    })
}

/// The ID3v2 tag: title, artist, album, track, and the chapters.
pub fn id3_tag(meta: &Meta) -> Tag {
    let mut tag = Tag::new();
    tag.set_title(meta.title.as_str());
    tag.set_artist(ARTIST);
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
