//! The directory logo (C3): a PNG of exactly 245×36 px, under 1 MB.
//!
//! Checks run cheapest first and the dimensions are read from the PNG header before any pixel is
//! decoded, so a file declaring 100000×100000 px is refused without allocating for it.
//!
//! Until the customer sends theirs, a placeholder showing the directory's name can stand in
//! ([`placeholder()`]); it stays recognisable as one ([`Logo::is_placeholder`]).

use std::io::Cursor;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod placeholder;

#[cfg(any(test, feature = "testing"))]
pub(crate) use placeholder::crc32;
pub use placeholder::{is_placeholder_png, placeholder};

/// The required width in pixels.
pub const LOGO_WIDTH: u32 = 245;
/// The required height in pixels.
pub const LOGO_HEIGHT: u32 = 36;
/// Files must be smaller than this many bytes (1 MB).
pub const LOGO_MAX_BYTES: usize = 1_048_576;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Why a logo was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogoError {
    /// Zero bytes.
    #[error("the logo file is empty; choose a 245×36 px PNG file")]
    Empty,
    /// Another image format, or not an image.
    #[error("the logo is a {found}, not a PNG; save it as PNG (245×36 px)")]
    NotPng {
        /// What the file was recognised as.
        found: &'static str,
    },
    /// 1 MB or more.
    #[error("the logo is {} ({bytes} bytes); it must be under 1 MB ({LOGO_MAX_BYTES} bytes) — export it again without large metadata", megabytes(*.bytes))]
    TooLarge {
        /// The file's size.
        bytes: usize,
    },
    /// Wrong dimensions.
    #[error("the logo is {width}×{height} px; it must be exactly {LOGO_WIDTH}×{LOGO_HEIGHT} px")]
    WrongSize {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
    },
    /// The PNG ends before its header is complete, or its data is damaged.
    #[error("the PNG file is damaged or truncated ({detail}); export it again")]
    Corrupt {
        /// The decoder's account of the damage.
        detail: String,
    },
    /// The base64 text of a logo could not be decoded.
    #[error("the logo data is not valid base64; choose the PNG file again")]
    Base64,
}

/// Size facts of an accepted logo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LogoInfo {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// File size in bytes.
    pub bytes: u32,
}

/// A checked logo: its PNG bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Logo(Vec<u8>);

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Logo({} bytes)", self.0.len())
    }
}

impl Logo {
    /// Checks PNG bytes against every logo rule.
    pub fn from_png(bytes: Vec<u8>) -> Result<Self, LogoError> {
        check(&bytes)?;
        Ok(Self(bytes))
    }

    /// Decodes base64 text (as in the directory document) and checks the PNG.
    pub fn from_base64(text: &str) -> Result<Self, LogoError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| LogoError::Base64)?;
        Self::from_png(bytes)
    }

    /// Wraps bytes that were checked when they were stored.
    pub(crate) fn from_stored(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The PNG bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The PNG as base64 text.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }

    /// Size facts.
    pub fn info(&self) -> LogoInfo {
        LogoInfo {
            width: LOGO_WIDTH,
            height: LOGO_HEIGHT,
            bytes: self.0.len() as u32,
        }
    }
}

/// Runs every logo check on a file's bytes.
pub fn check(bytes: &[u8]) -> Result<LogoInfo, LogoError> {
    if bytes.is_empty() {
        return Err(LogoError::Empty);
    }
    if !bytes.starts_with(PNG_SIGNATURE) {
        return Err(LogoError::NotPng {
            found: sniff(bytes),
        });
    }
    if bytes.len() >= LOGO_MAX_BYTES {
        return Err(LogoError::TooLarge { bytes: bytes.len() });
    }
    let (width, height) = header_dimensions(bytes)?;
    if (width, height) != (LOGO_WIDTH, LOGO_HEIGHT) {
        return Err(LogoError::WrongSize { width, height });
    }
    decode_fully(bytes)?;
    Ok(LogoInfo {
        width,
        height,
        bytes: bytes.len() as u32,
    })
}

/// Reads width and height from the IHDR chunk, which PNG requires to come first.
fn header_dimensions(bytes: &[u8]) -> Result<(u32, u32), LogoError> {
    let ihdr = bytes.get(8..8 + 8 + 13).ok_or_else(|| LogoError::Corrupt {
        detail: "the file ends inside the PNG header".into(),
    })?;
    if &ihdr[4..8] != b"IHDR" {
        return Err(LogoError::Corrupt {
            detail: "the first chunk is not IHDR".into(),
        });
    }
    let word = |at: usize| u32::from_be_bytes([ihdr[at], ihdr[at + 1], ihdr[at + 2], ihdr[at + 3]]);
    Ok((word(8), word(12)))
}

/// Decodes every pixel so that a damaged or truncated file is refused now, not when shown.
fn decode_fully(bytes: &[u8]) -> Result<(), LogoError> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Png);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(LOGO_WIDTH);
    limits.max_image_height = Some(LOGO_HEIGHT);
    limits.max_alloc = Some(16 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().map(drop).map_err(|e| LogoError::Corrupt {
        detail: e.to_string(),
    })
}

/// Names the format of a file that is not a PNG, from its first bytes.
fn sniff(bytes: &[u8]) -> &'static str {
    let text_start = std::str::from_utf8(&bytes[..bytes.len().min(512)])
        .ok()
        .map(|s| {
            s.trim_start_matches('\u{feff}')
                .trim_start()
                .to_ascii_lowercase()
        });
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => "JPEG file",
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => "GIF file",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "WebP file",
        [b'B', b'M', ..] => "BMP file",
        [0, 0, 1, 0, ..] => "Windows icon (ICO) file",
        [b'I', b'I', 42, 0, ..] | [b'M', b'M', 0, 42, ..] => "TIFF file",
        [b'%', b'P', b'D', b'F', ..] => "PDF file",
        [0x89, b'P', b'N', b'G', ..] => "damaged PNG file (its signature is altered)",
        _ => match text_start {
            Some(t) if t.starts_with("<svg") || (t.starts_with("<?xml") && t.contains("<svg")) => {
                "SVG file"
            }
            Some(_) => "text file",
            None => "file of an unknown format",
        },
    }
}

fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / LOGO_MAX_BYTES as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::png;

    #[test]
    fn valid_rgba_rgb_and_palette_logos_are_accepted() {
        for kind in [png::Kind::Rgba, png::Kind::Rgb, png::Kind::Palette] {
            let bytes = png::encode(245, 36, kind);
            assert_eq!(
                check(&bytes),
                Ok(LogoInfo {
                    width: 245,
                    height: 36,
                    bytes: bytes.len() as u32
                }),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn each_bad_logo_is_rejected_with_its_own_reason() {
        let good = png::encode(245, 36, png::Kind::Rgba);
        let mut truncated = good.clone();
        truncated.truncate(good.len() - 20);
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("244x36", png::encode(244, 36, png::Kind::Rgba), "244×36 px"),
            ("245x37", png::encode(245, 37, png::Kind::Rgba), "245×37 px"),
            ("36x245", png::encode(36, 245, png::Kind::Rgba), "36×245 px"),
            (
                "jpeg",
                vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'],
                "JPEG file",
            ),
            ("gif", b"GIF89a\x01\x00\x01\x00".to_vec(), "GIF file"),
            (
                "webp",
                b"RIFF\x24\x00\x00\x00WEBPVP8 ".to_vec(),
                "WebP file",
            ),
            (
                "svg",
                b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
                "SVG file",
            ),
            (
                "bare svg",
                b"  <svg width=\"245\" height=\"36\"></svg>".to_vec(),
                "SVG file",
            ),
            ("empty", Vec::new(), "empty"),
            ("truncated", truncated, "damaged or truncated"),
            (
                "header only",
                good[..20].to_vec(),
                "ends inside the PNG header",
            ),
            (
                "oversized",
                png::with_padding_chunk(&good, LOGO_MAX_BYTES),
                "1.0 MB",
            ),
            (
                "bomb",
                png::header_only(100_000, 100_000),
                "100000×100000 px",
            ),
        ];
        for (name, bytes, want) in cases {
            let err = check(&bytes).expect_err(name).to_string();
            assert!(err.contains(want), "{name}: {err}");
        }
    }

    #[test]
    fn oversized_message_states_megabytes_and_bytes() {
        let good = png::encode(245, 36, png::Kind::Rgba);
        let big = png::with_padding_chunk(&good, 1_363_148);
        let err = check(&big).unwrap_err().to_string();
        assert!(err.contains("1.3 MB"), "{err}");
        assert!(err.contains(&format!("{} bytes", big.len())), "{err}");
    }

    #[test]
    fn corrupted_pixel_data_is_rejected() {
        let mut bytes = png::encode(245, 36, png::Kind::Rgba);
        let at = bytes.len() / 2;
        bytes[at] ^= 0xFF;
        assert!(matches!(check(&bytes), Err(LogoError::Corrupt { .. })));
    }

    #[test]
    fn base64_round_trip() {
        let bytes = png::encode(245, 36, png::Kind::Rgb);
        let logo = Logo::from_png(bytes.clone()).unwrap();
        assert_eq!(
            Logo::from_base64(&logo.to_base64()).unwrap().bytes(),
            &bytes[..]
        );
        assert_eq!(Logo::from_base64("%%%"), Err(LogoError::Base64));
    }
}
