//! A minimal PNG writer for tests: valid files of any size and colour type, and the malformed
//! ones a hostile or careless user might pick (huge declared sizes, padding chunks).

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The PNG colour type to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 8-bit RGBA (colour type 6).
    Rgba,
    /// 8-bit RGB (colour type 2).
    Rgb,
    /// 8-bit palette (colour type 3) with a two-colour palette.
    Palette,
}

/// A complete, valid PNG of `width`×`height` px with a simple gradient.
pub fn encode(width: u32, height: u32, kind: Kind) -> Vec<u8> {
    let (colour_type, channels) = match kind {
        Kind::Rgba => (6u8, 4usize),
        Kind::Rgb => (2, 3),
        Kind::Palette => (3, 1),
    };
    let mut raw = Vec::with_capacity((width as usize * channels + 1) * height as usize);
    for y in 0..height {
        raw.push(0); // filter type: none
        for x in 0..width {
            match kind {
                Kind::Rgba => raw.extend_from_slice(&[x as u8, y as u8, 0x80, 0xFF]),
                Kind::Rgb => raw.extend_from_slice(&[x as u8, y as u8, 0x40]),
                Kind::Palette => raw.push(((x + y) % 2) as u8),
            }
        }
    }
    let mut out = SIGNATURE.to_vec();
    out.extend(chunk(b"IHDR", &ihdr(width, height, colour_type)));
    if kind == Kind::Palette {
        out.extend(chunk(b"PLTE", &[0x20, 0x40, 0x80, 0xF0, 0xF0, 0xF0]));
    }
    out.extend(chunk(b"IDAT", &zlib_stored(&raw)));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// The signature and an IHDR declaring `width`×`height` RGBA, and nothing else.
pub fn header_only(width: u32, height: u32) -> Vec<u8> {
    let mut out = SIGNATURE.to_vec();
    out.extend(chunk(b"IHDR", &ihdr(width, height, 6)));
    out
}

/// `png` with an ancillary `tEXt` chunk inserted after IHDR so that the file is `total_len` bytes.
pub fn with_padding_chunk(png: &[u8], total_len: usize) -> Vec<u8> {
    let ihdr_end = 8 + 12 + 13;
    let padding = total_len.saturating_sub(png.len() + 12);
    let mut text = b"Comment\0".to_vec();
    text.resize(padding.max(text.len()), b'x');
    let mut out = png[..ihdr_end].to_vec();
    out.extend(chunk(b"tEXt", &text));
    out.extend_from_slice(&png[ihdr_end..]);
    out
}

fn ihdr(width: u32, height: u32, colour_type: u8) -> Vec<u8> {
    let mut data = Vec::with_capacity(13);
    data.extend_from_slice(&width.to_be_bytes());
    data.extend_from_slice(&height.to_be_bytes());
    data.extend_from_slice(&[8, colour_type, 0, 0, 0]);
    data
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    out
}

/// zlib with uncompressed ("stored") deflate blocks: valid, simple, and size-predictable.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    if blocks.is_empty() {
        out.extend_from_slice(&[1, 0, 0, 0xFF, 0xFF]);
    }
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// The CRC-32 of a chunk's type and data, as PNG stores it.
pub fn crc32(data: &[u8]) -> u32 {
    crate::logo::crc32(&[data])
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}
