//! Which format a render writes: from the file's extension, or from
//! `--format` when writing to standard output.

use std::path::Path;

use soothe_core::error::InvalidInput;

/// The formats a session renders to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// MP3, mono, at a constant bit rate in kb/s.
    Mp3 { kbps: u32 },
    /// FLAC, 16-bit, lossless.
    Flac,
    /// 16-bit PCM WAV.
    Wav,
}

/// The MP3 bit rate unless `--bitrate` says otherwise: speech in mono.
pub const DEFAULT_KBPS: u32 = 64;

/// The bit rates an MPEG-1 layer III stream can have at 32 to 48 kHz.
pub const MP3_KBPS: [u32; 14] = [
    32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];

/// How the formats are named in messages.
pub const NAMES: &str = ".mp3 (MP3), .flac (FLAC) or .wav (16-bit WAV)";

impl Format {
    /// The format a name stands for: an extension or a `--format` value.
    pub fn from_name(name: &str, kbps: Option<u32>) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "mp3" => Some(Format::Mp3 {
                kbps: kbps.unwrap_or(DEFAULT_KBPS),
            }),
            "flac" => Some(Format::Flac),
            "wav" => Some(Format::Wav),
            _ => None,
        }
    }

    /// The extension files of this format get.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Mp3 { .. } => "mp3",
            Format::Flac => "flac",
            Format::Wav => "wav",
        }
    }

    /// The format of `--format NAME` alone (mp3 when left out), for a
    /// render whose files soothe names itself (`--split`), given
    /// `--bitrate`.
    pub fn named(format: Option<&str>, kbps: Option<u32>) -> Result<Format, InvalidInput> {
        let chosen = Format::asked(format.unwrap_or("mp3"), kbps)?;
        chosen.check_bitrate(kbps)?;
        Ok(chosen)
    }

    /// The format to write `path` in (`-` is standard output), given
    /// `--format` and `--bitrate`.
    pub fn choose(
        path: &Path,
        format: Option<&str>,
        kbps: Option<u32>,
    ) -> Result<Format, InvalidInput> {
        let asked = format.map(|name| Format::asked(name, kbps)).transpose()?;
        let shown = path.display();
        let by_name = path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(|e| Format::from_name(e, kbps));
        let chosen = match (asked, by_name) {
            (Some(asked), Some(named)) if asked.extension() != named.extension() => {
                return Err(InvalidInput(format!(
                    "{shown}: the name says {} but --format says {}; leave one out",
                    named.extension(),
                    asked.extension()
                )))
            }
            (Some(asked), _) => asked,
            (None, Some(named)) => named,
            (None, None) if path.as_os_str() == "-" => {
                return Err(InvalidInput(
                    "writing to standard output (-o -) needs --format mp3, flac or wav".into(),
                ))
            }
            (None, None) => {
                return Err(InvalidInput(format!(
                    "{shown}: soothe writes {NAMES}; name the file with one of these extensions (or give --format)"
                )))
            }
        };
        chosen.check_bitrate(kbps)?;
        Ok(chosen)
    }

    /// The format `--format NAME` names.
    fn asked(name: &str, kbps: Option<u32>) -> Result<Format, InvalidInput> {
        Format::from_name(name, kbps).ok_or_else(|| {
            InvalidInput(format!(
                "unknown format '{name}'; soothe writes mp3, flac or wav"
            ))
        })
    }

    /// `--bitrate` is for MP3, at a bit rate MP3 has.
    fn check_bitrate(self, kbps: Option<u32>) -> Result<(), InvalidInput> {
        let Some(kbps) = kbps else { return Ok(()) };
        if !matches!(self, Format::Mp3 { .. }) {
            return Err(InvalidInput(format!(
                "--bitrate is for MP3; {} is lossless",
                self.extension().to_uppercase()
            )));
        }
        if !MP3_KBPS.contains(&kbps) {
            let list: Vec<String> = MP3_KBPS.iter().map(u32::to_string).collect();
            return Err(InvalidInput(format!(
                "--bitrate {kbps}: an MP3 bit rate is one of {} kb/s",
                list.join(", ")
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(path: &str, format: Option<&str>, kbps: Option<u32>) -> Result<Format, String> {
        Format::choose(Path::new(path), format, kbps).map_err(|e| e.to_string())
    }

    #[test]
    fn the_extension_names_the_format() {
        assert_eq!(choose("a.mp3", None, None), Ok(Format::Mp3 { kbps: 64 }));
        assert_eq!(
            choose("a.MP3", None, Some(96)),
            Ok(Format::Mp3 { kbps: 96 })
        );
        assert_eq!(choose("a.flac", None, None), Ok(Format::Flac));
        assert_eq!(choose("a.wav", None, None), Ok(Format::Wav));
        assert_eq!(choose("-", Some("flac"), None), Ok(Format::Flac));
        assert_eq!(choose("/dev/null", Some("wav"), None), Ok(Format::Wav));
    }

    #[test]
    fn an_unknown_extension_names_the_formats() {
        assert_eq!(
            choose("session.ogg", None, None),
            Err("session.ogg: soothe writes .mp3 (MP3), .flac (FLAC) or .wav (16-bit WAV); name the file with one of these extensions (or give --format)".into())
        );
        assert_eq!(
            choose("-", None, None),
            Err("writing to standard output (-o -) needs --format mp3, flac or wav".into())
        );
        assert_eq!(
            choose("a.mp3", Some("flac"), None),
            Err("a.mp3: the name says mp3 but --format says flac; leave one out".into())
        );
        assert_eq!(
            choose("a.flac", None, Some(64)),
            Err("--bitrate is for MP3; FLAC is lossless".into())
        );
        assert!(choose("a.mp3", None, Some(65))
            .unwrap_err()
            .starts_with("--bitrate 65: an MP3 bit rate is one of 32, 40"));
    }

    #[test]
    fn split_with_format_ogg_named_a_file_the_user_never_gave() {
        let named = |format, kbps| Format::named(format, kbps).map_err(|e| e.to_string());
        assert_eq!(
            named(Some("ogg"), None),
            Err("unknown format 'ogg'; soothe writes mp3, flac or wav".into())
        );
        assert_eq!(named(None, None), Ok(Format::Mp3 { kbps: 64 }));
        assert_eq!(named(Some("FLAC"), None), Ok(Format::Flac));
        assert_eq!(
            named(Some("wav"), Some(96)),
            Err("--bitrate is for MP3; WAV is lossless".into())
        );
    }
}
