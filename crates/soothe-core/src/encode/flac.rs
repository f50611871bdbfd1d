//! FLAC through `flacenc` (pure Rust), frame by frame as the samples come.
//! A chapter per step: its start, to the sample, as a track of a
//! `CUESHEET` block (FLAC's own way, read by FFmpeg, foobar2000,
//! DeaDBeeF), and its title as a `CHAPTERnnnNAME` comment of the
//! `VORBIS_COMMENT` block, beside the tags.

use flacenc::bitsink::ByteSink;
use flacenc::component::{BitRepr, StreamInfo};
use flacenc::config;
use flacenc::error::{Verified, Verify};
use flacenc::source::{Context, Fill, FrameBuf};

use super::meta::Meta;
use super::meta::ARTIST;
use super::{EncodeError, Encoder, Patch};

/// Samples per FLAC frame (the reference encoder's default).
const FRAME: usize = 4096;

/// Metadata block types.
const STREAMINFO: u8 = 0;
const VORBIS_COMMENT: u8 = 4;
const CUESHEET: u8 = 5;

/// Writes a session as FLAC.
pub struct FlacEncoder {
    config: Verified<config::Encoder>,
    info: StreamInfo,
    frame: FrameBuf,
    context: Context,
    pending: Vec<i32>,
    sink: ByteSink,
}

impl FlacEncoder {
    /// Writes the stream's header and metadata to `out`. The header's
    /// checksum and frame sizes are known only at the end: with
    /// `rewritable`, [`Encoder::finish`] returns them as a patch; without,
    /// they stay "unknown", as the format allows.
    pub fn start(
        meta: &Meta,
        _rewritable: bool,
        out: &mut dyn std::io::Write,
    ) -> Result<FlacEncoder, EncodeError> {
        let failed = |e: &dyn std::fmt::Debug| EncodeError::Encoder(format!("FLAC: {e:?}"));
        let mut info = StreamInfo::new(meta.sample_rate as usize, 1, 16).map_err(|e| failed(&e))?;
        info.set_total_samples(meta.total_samples as usize);
        let block = FRAME.min(meta.total_samples.max(16) as usize);
        info.set_block_sizes(block, block).map_err(|e| failed(&e))?;
        let mut header = b"fLaC".to_vec();
        block_header(&mut header, false, STREAMINFO, 34);
        header.extend(stream_info_bytes(&info)?);
        let cues = cuesheet(meta);
        block_header(&mut header, false, CUESHEET, cues.len());
        header.extend(cues);
        let comments = vorbis_comment(meta);
        block_header(&mut header, true, VORBIS_COMMENT, comments.len());
        header.extend(comments);
        out.write_all(&header)?;
        let config = config::Encoder::default()
            .into_verified()
            .map_err(|e| failed(&e))?;
        Ok(FlacEncoder {
            config,
            info,
            frame: FrameBuf::with_size(1, FRAME).map_err(|e| failed(&e))?,
            context: Context::new(16, 1),
            pending: Vec::with_capacity(2 * FRAME),
            sink: ByteSink::new(),
        })
    }

    /// Encodes and writes one frame of `self.pending[..len]`.
    fn frame(&mut self, len: usize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let samples = &self.pending[..len];
        (&mut self.frame, &mut self.context)
            .fill_interleaved(samples)
            .map_err(flac_error)?;
        let number = self.context.current_frame_number().unwrap_or(0);
        let frame = flacenc::encode_fixed_size_frame(&self.config, &self.frame, number, &self.info)
            .map_err(flac_error)?;
        self.info.update_frame_info(&frame);
        self.sink.clear();
        frame.write(&mut self.sink).map_err(flac_error)?;
        out.write_all(self.sink.as_slice())?;
        self.pending.drain(..len);
        Ok(())
    }
}

impl Encoder for FlacEncoder {
    fn samples(&mut self, pcm: &[i16], out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.pending.extend(pcm.iter().map(|s| i32::from(*s)));
        while self.pending.len() >= FRAME {
            self.frame(FRAME, out)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, out: &mut dyn std::io::Write) -> std::io::Result<Vec<Patch>> {
        if !self.pending.is_empty() {
            self.frame(self.pending.len(), out)?;
        }
        let block = self.info.max_block_size();
        self.info
            .set_block_sizes(block, block)
            .map_err(flac_error)?;
        self.info.set_total_samples(self.context.total_samples());
        self.info.set_md5_digest(&self.context.md5_digest());
        let bytes =
            stream_info_bytes(&self.info).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(vec![Patch { offset: 8, bytes }])
    }
}

fn flac_error(err: impl std::fmt::Debug) -> std::io::Error {
    std::io::Error::other(format!("FLAC: {err:?}"))
}

fn stream_info_bytes(info: &StreamInfo) -> Result<Vec<u8>, EncodeError> {
    let mut sink = ByteSink::new();
    info.write(&mut sink)
        .map_err(|e| EncodeError::Encoder(format!("FLAC: {e:?}")))?;
    Ok(sink.as_slice().to_vec())
}

/// A metadata block's header: last-block flag, type, 24-bit length.
fn block_header(to: &mut Vec<u8>, last: bool, kind: u8, len: usize) {
    to.push(u8::from(last) << 7 | kind);
    to.extend(&(len as u32).to_be_bytes()[1..]);
}

/// The `VORBIS_COMMENT` block: vendor, then `KEY=value` comments.
fn vorbis_comment(meta: &Meta) -> Vec<u8> {
    let mut comments = vec![
        format!("TITLE={}", meta.title),
        format!("ARTIST={ARTIST}"),
        format!("ALBUMARTIST={ARTIST}"),
        format!("ALBUM={}", meta.album),
    ];
    if let Some((number, total)) = meta.track {
        comments.push(format!("TRACKNUMBER={number}"));
        comments.push(format!("TRACKTOTAL={total}"));
    }
    // Only the names: a `CHAPTERnnn` start has whole milliseconds, and a
    // reader that takes both (FFmpeg) would let it round the cue sheet's
    // exact start.
    for (index, chapter) in meta.chapters.iter().enumerate() {
        comments.push(format!("CHAPTER{:03}NAME={}", index + 1, chapter.title));
    }
    let mut bytes = Vec::new();
    let mut string = |text: &str| {
        bytes.extend((text.len() as u32).to_le_bytes());
        bytes.extend(text.as_bytes());
    };
    string(concat!("soothe ", env!("CARGO_PKG_VERSION"), " (flacenc)"));
    let mut all = (comments.len() as u32).to_le_bytes().to_vec();
    for comment in &comments {
        all.extend((comment.len() as u32).to_le_bytes());
        all.extend(comment.as_bytes());
    }
    bytes.extend(all);
    bytes
}

/// The `CUESHEET` block: a track per step starting on its first sample
/// (track numbers from 1), then the lead-out track (255) at the end.
fn cuesheet(meta: &Meta) -> Vec<u8> {
    let mut bytes = vec![0u8; 128]; // media catalog number: none
    bytes.extend(0u64.to_be_bytes()); // lead-in: not a CD
    bytes.extend([0u8; 259]); // not a CD; reserved
    let tracks = meta.chapters.len().min(254);
    bytes.push(tracks as u8 + 1);
    let mut track = |offset: u64, number: u8, index_points: u8| {
        bytes.extend(offset.to_be_bytes());
        bytes.push(number);
        bytes.extend([0u8; 12]); // ISRC: none
        bytes.extend([0u8; 14]); // audio track, no pre-emphasis; reserved
        bytes.push(index_points);
        if index_points == 1 {
            bytes.extend(0u64.to_be_bytes()); // index 1 at the track's start
            bytes.push(1);
            bytes.extend([0u8; 3]);
        }
    };
    for (index, chapter) in meta.chapters.iter().take(tracks).enumerate() {
        track(chapter.start, index as u8 + 1, 1);
    }
    track(meta.total_samples, 255, 0);
    bytes
}
