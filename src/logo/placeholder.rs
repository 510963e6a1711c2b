//! Placeholder logos: a directory's name drawn on a plain 245×36 px PNG, so that a test sign-in
//! can start before the customer sends their real logo.
//!
//! A placeholder carries a `tEXt` chunk, `Comment` = "SSO Console placeholder logo", before its
//! pixel data. Whatever copy of the file turns up later (an export, an import, a stored
//! directory) can be told to be a placeholder still, to be replaced.
//!
//! The name is drawn with DejaVu Sans Bold, bundled in `assets/fonts` (cut to Latin, Greek,
//! Cyrillic and common punctuation: see the README there). Characters it lacks are left out.

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use unicode_normalization::UnicodeNormalization;

use super::{Logo, LOGO_HEIGHT, LOGO_WIDTH, PNG_SIGNATURE};

/// DejaVu Sans Bold, subset (assets/fonts/README.md).
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The keyword and text of the `tEXt` chunk that marks a placeholder.
const MARK_KEYWORD: &str = "Comment";
const MARK_TEXT: &str = "SSO Console placeholder logo";

const BACKGROUND: [u8; 3] = [0xEE, 0xF1, 0xF5];
const BORDER: [u8; 3] = [0xC5, 0xCC, 0xD6];
const INK: [u8; 3] = [0x1F, 0x29, 0x37];

/// Space left of the text, and kept free right of it.
const PADDING: f32 = 10.0;
/// The width the text may take.
const TEXT_WIDTH: f32 = LOGO_WIDTH as f32 - 2.0 * PADDING;
/// The font size in pixels, and the smallest it is shrunk to before the name is cut.
const MAX_SIZE: f32 = 20.0;
const MIN_SIZE: f32 = 11.0;
/// Drawn when a name has nothing the font can draw.
const FALLBACK_NAME: &str = "Directory";
/// Characters of a name looked at: at 11 px no more than about 70 fit.
const MAX_CHARS: usize = 256;
/// Chunks looked at before the pixel data; real files have a handful.
const MAX_CHUNKS: usize = 256;

/// A placeholder logo showing `name`.
///
/// The name is trimmed, its runs of white space become one space, control characters and
/// characters the bundled font lacks (CJK, emoji…) are left out; if nothing is left,
/// "Directory" is drawn. The text is 20 px high, shrunk down to 11 px to fit, then cut with "…".
pub fn placeholder(name: &str) -> Logo {
    let rgba = render(name);
    // Cannot fail: the image is in memory (writing to a Vec never fails), its buffer has exactly
    // 245×36 RGBA pixels for a 245×36 RGBA header, and the text chunk's keyword and text are
    // short Latin-1 constants. The tests encode names of every kind.
    let bytes = encode(&rgba).expect("a 245×36 RGBA image encodes as PNG");
    // Cannot fail: the file is 245×36, a few kilobytes (under 1 MB), and decodes (the png crate
    // wrote it). The tests check every placeholder they make against `check`.
    Logo::from_png(bytes).expect("a placeholder logo passes the logo rules")
}

impl Logo {
    /// Whether this logo is a placeholder made by [`placeholder()`], to be replaced.
    pub fn is_placeholder(&self) -> bool {
        is_placeholder_png(self.bytes())
    }
}

/// Whether PNG bytes are a placeholder logo made by [`placeholder()`].
///
/// Walks the chunks from the signature to the first `IDAT` (each length, type, data and CRC,
/// bounded by the bytes there are): true only if they are all complete and one of them is the
/// exact `tEXt` chunk of a placeholder with a correct CRC. Whether the image is a valid logo is
/// for [`check`](super::check) to say.
pub fn is_placeholder_png(bytes: &[u8]) -> bool {
    let Some(mut rest) = bytes.strip_prefix(PNG_SIGNATURE) else {
        return false;
    };
    let mut marked = false;
    for index in 0..MAX_CHUNKS {
        let Some((chunk, after)) = Chunk::split(rest) else {
            return false;
        };
        match chunk.kind {
            b"IHDR" if index == 0 => {}
            _ if index == 0 => return false,
            b"IDAT" => return marked,
            b"IEND" => return false,
            b"tEXt" => marked |= chunk.data == mark_data() && chunk.crc_ok(),
            _ => {}
        }
        rest = after;
    }
    false
}

/// The data of the marking `tEXt` chunk: keyword, a zero byte, text.
fn mark_data() -> Vec<u8> {
    [MARK_KEYWORD.as_bytes(), b"\0", MARK_TEXT.as_bytes()].concat()
}

/// One PNG chunk.
struct Chunk<'a> {
    kind: &'a [u8; 4],
    data: &'a [u8],
    crc: u32,
}

impl<'a> Chunk<'a> {
    /// The chunk at the start of `bytes` and what follows it; `None` if it is incomplete.
    fn split(bytes: &'a [u8]) -> Option<(Self, &'a [u8])> {
        let (length, rest) = bytes.split_first_chunk::<4>()?;
        let length = usize::try_from(u32::from_be_bytes(*length)).ok()?;
        let (kind, rest) = rest.split_first_chunk::<4>()?;
        let (data, rest) = rest.split_at_checked(length)?;
        let (crc, rest) = rest.split_first_chunk::<4>()?;
        let crc = u32::from_be_bytes(*crc);
        Some((Self { kind, data, crc }, rest))
    }

    /// Whether the stored CRC is that of the type and data.
    fn crc_ok(&self) -> bool {
        crc32(&[self.kind, self.data]) == self.crc
    }
}

/// PNG's CRC-32 (ISO 3309) of `parts` one after the other, bit by bit: it only runs on the few
/// bytes of a candidate mark.
pub(crate) fn crc32(parts: &[&[u8]]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in parts.iter().flat_map(|part| part.iter()) {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The bundled font; `None` only if the file were damaged (a test proves it is not), and then the
/// placeholder is drawn without text rather than not at all.
fn font() -> Option<FontRef<'static>> {
    FontRef::try_from_slice(FONT).ok()
}

/// What is drawn: characters and their glyphs left to right, at one size.
#[derive(Debug)]
struct Line {
    chars: Vec<(char, GlyphId)>,
    size: f32,
}

#[cfg(test)]
impl Line {
    fn text(&self) -> String {
        self.chars.iter().map(|&(c, _)| c).collect()
    }
}

/// The characters of `name` the font can draw, trimmed, with single spaces, at most `MAX_CHARS`.
fn drawable(font: &FontRef<'_>, name: &str) -> Vec<(char, GlyphId)> {
    let mut out = Vec::new();
    let mut space = false;
    // Composed first, so that "u" and a combining diaeresis are drawn as the font's "ü".
    for c in name.nfc() {
        if out.len() >= MAX_CHARS {
            break;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        let id = font.glyph_id(c);
        if c.is_control() || id.0 == 0 {
            continue;
        }
        if space {
            out.push((' ', font.glyph_id(' ')));
            space = false;
        }
        out.push((c, id));
    }
    out
}

/// The advance width of `chars` at `size` px, kerning included.
fn width(font: &FontRef<'_>, size: f32, chars: &[(char, GlyphId)]) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut total = 0.0;
    let mut previous = None;
    for &(_, id) in chars {
        if let Some(previous) = previous {
            total += scaled.kern(previous, id);
        }
        total += scaled.h_advance(id);
        previous = Some(id);
    }
    total
}

/// Lays `name` out to fit `TEXT_WIDTH`: the largest size up to 20 px, else 11 px and cut.
fn layout(font: &FontRef<'_>, name: &str) -> Line {
    let mut chars = drawable(font, name);
    if chars.is_empty() {
        chars = drawable(font, FALLBACK_NAME);
    }
    let full = width(font, MAX_SIZE, &chars);
    // Advances scale linearly with the size; rounding down to a quarter pixel keeps it inside.
    let size = if full <= TEXT_WIDTH {
        MAX_SIZE
    } else {
        (MAX_SIZE * TEXT_WIDTH / full * 4.0).floor() / 4.0
    };
    if size >= MIN_SIZE {
        return Line { chars, size };
    }
    // Still too wide at the smallest size: the longest start that fits with "…" after it.
    let ellipsis = match font.glyph_id('…') {
        GlyphId(0) => vec![('.', font.glyph_id('.')); 3],
        id => vec![('…', id)],
    };
    let fits = |n: usize| {
        let candidate = [&chars[..n], &ellipsis].concat();
        width(font, MIN_SIZE, &candidate) <= TEXT_WIDTH
    };
    let mut keep = (0..chars.len()).rev().find(|&n| fits(n)).unwrap_or(0);
    while keep > 0 && chars[keep - 1].0 == ' ' {
        keep -= 1;
    }
    chars.truncate(keep);
    chars.extend(ellipsis);
    Line {
        chars,
        size: MIN_SIZE,
    }
}

/// The placeholder's RGBA pixels: background, border and, when the font loads, the name.
fn render(name: &str) -> Vec<u8> {
    let (width_px, height_px) = (LOGO_WIDTH as usize, LOGO_HEIGHT as usize);
    // How much of each pixel the text covers, 0 to 1.
    let mut coverage = vec![0f32; width_px * height_px];
    if let Some(font) = font() {
        let line = layout(&font, name);
        let scale = PxScale::from(line.size);
        let scaled = font.as_scaled(scale);
        // The line box (ascent above the baseline, descent below) centred vertically, the
        // baseline on a whole pixel so that horizontal strokes stay sharp.
        let baseline =
            (LOGO_HEIGHT as f32 / 2.0 + (scaled.ascent() + scaled.descent()) / 2.0).round();
        let mut x = PADDING;
        let mut previous = None;
        for &(_, id) in &line.chars {
            if let Some(previous) = previous {
                x += scaled.kern(previous, id);
            }
            let glyph = id.with_scale_and_position(scale, point(x, baseline));
            x += scaled.h_advance(id);
            previous = Some(id);
            let Some(outlined) = font.outline_glyph(glyph) else {
                continue; // a space
            };
            let bounds = outlined.px_bounds();
            outlined.draw(|gx, gy, c| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                // Inside the border only.
                if px >= 1 && py >= 1 && px < width_px as i64 - 1 && py < height_px as i64 - 1 {
                    let at = py as usize * width_px + px as usize;
                    coverage[at] = (coverage[at] + c).min(1.0);
                }
            });
        }
    }
    let mut rgba = Vec::with_capacity(width_px * height_px * 4);
    for y in 0..height_px {
        for x in 0..width_px {
            let edge = x == 0 || y == 0 || x == width_px - 1 || y == height_px - 1;
            let base = if edge { BORDER } else { BACKGROUND };
            let c = coverage[y * width_px + x];
            for (b, i) in base.iter().zip(INK) {
                let value = f32::from(*b) * (1.0 - c) + f32::from(i) * c;
                rgba.push(value.round().clamp(0.0, 255.0) as u8);
            }
            rgba.push(0xFF);
        }
    }
    rgba
}

/// Writes the pixels as an RGBA PNG with the placeholder's `tEXt` chunk before the pixel data.
fn encode(rgba: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, LOGO_WIDTH, LOGO_HEIGHT);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    encoder.add_text_chunk(MARK_KEYWORD.to_owned(), MARK_TEXT.to_owned())?;
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgba)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logo::{check, LogoInfo, LOGO_MAX_BYTES};

    fn bundled_font() -> FontRef<'static> {
        font().expect("the bundled font parses")
    }

    fn pixels(logo: &Logo) -> image::RgbaImage {
        image::load_from_memory_with_format(logo.bytes(), image::ImageFormat::Png)
            .unwrap()
            .to_rgba8()
    }

    /// Columns inside the border where some pixel is darker than the background.
    fn inked_columns(logo: &Logo) -> usize {
        let image = pixels(logo);
        (1..LOGO_WIDTH - 1)
            .filter(|&x| {
                (1..LOGO_HEIGHT - 1).any(|y| image.get_pixel(x, y).0[0] < BACKGROUND[0] - 40)
            })
            .count()
    }

    /// Rows inside the border where some pixel is darker than the background.
    fn inked_rows(logo: &Logo) -> Vec<u32> {
        let image = pixels(logo);
        (1..LOGO_HEIGHT - 1)
            .filter(|&y| {
                (1..LOGO_WIDTH - 1).any(|x| image.get_pixel(x, y).0[0] < BACKGROUND[0] - 40)
            })
            .collect()
    }

    fn names() -> Vec<(&'static str, String)> {
        vec![
            ("ascii", "Acme Corporation".to_owned()),
            ("latin-1", "Zürich Ärzte".to_owned()),
            ("combining", "Zu\u{308}rich A\u{308}rzte".to_owned()),
            ("cyrillic", "Министерство финансов".to_owned()),
            ("greek", "Υπουργείο Οικονομικών".to_owned()),
            ("cjk", "東京支社".to_owned()),
            ("emoji", "🚀 Launch 👩‍💻".to_owned()),
            ("empty", String::new()),
            ("blank", " \t\n ".to_owned()),
            ("300 chars", "Contoso Ltd ".repeat(25)),
            (
                "controls",
                "Acme\u{0}\u{7}\u{1b}[31m\tCorp\r\n\u{7f}\u{85}".to_owned(),
            ),
            (
                "bidi and zero width",
                "\u{202e}Acme\u{200b}Corp\u{feff}".to_owned(),
            ),
            ("one letter", "W".to_owned()),
            ("wide letters", "W".repeat(40)),
            ("huge", "x".repeat(200_000)),
            ("marks only", "\u{308}\u{301}".repeat(1000)),
        ]
    }

    #[test]
    fn every_placeholder_passes_the_logo_rules_and_is_recognised() {
        for (label, name) in names() {
            let logo = placeholder(&name);
            let info = check(logo.bytes()).unwrap_or_else(|e| panic!("{label}: {e}"));
            assert_eq!(
                info,
                LogoInfo {
                    width: 245,
                    height: 36,
                    bytes: logo.bytes().len() as u32
                },
                "{label}"
            );
            assert!(
                logo.bytes().len() < LOGO_MAX_BYTES / 64,
                "{label}: {:?}",
                logo
            );
            assert!(logo.is_placeholder(), "{label}");
            assert!(is_placeholder_png(logo.bytes()), "{label}");
            assert!(inked_columns(&logo) > 5, "{label}: no text drawn");
            let image = pixels(&logo);
            assert_eq!(image.dimensions(), (245, 36), "{label}");
        }
    }

    #[test]
    fn the_bundled_font_has_what_the_layout_needs() {
        let font = bundled_font();
        for c in ['A', 'z', ' ', 'ü', 'Ä', 'Ж', 'Ω', '’', '–', '…'] {
            assert_ne!(font.glyph_id(c).0, 0, "{c}");
        }
        assert_eq!(font.glyph_id('東').0, 0);
    }

    #[test]
    fn names_are_cleaned_before_drawing() {
        let font = bundled_font();
        let text = |name: &str| layout(&font, name).text();
        assert_eq!(text("  Acme Corp  "), "Acme Corp");
        assert_eq!(text("Acme\u{0}\u{7}\u{1b}Corp"), "AcmeCorp");
        assert_eq!(text("Acme\t\r\n  Corp"), "Acme Corp");
        assert_eq!(text("Zu\u{308}rich"), "Zürich");
        assert_eq!(text("🚀 Launch 🚀"), "Launch");
        assert_eq!(text("Acme 🚀 Corp"), "Acme Corp");
        assert_eq!(text("Київ"), "Київ");
        assert_eq!(text("O’Brien – Sales"), "O’Brien – Sales");
        assert_eq!(text(""), "Directory");
        assert_eq!(text(" \n\t"), "Directory");
        assert_eq!(text("東京支社"), "Directory");
        assert_eq!(text("\u{0}\u{1}"), "Directory");
    }

    #[test]
    fn short_names_get_20_px_longer_ones_shrink_then_are_cut() {
        let font = bundled_font();
        let short = layout(&font, "Acme");
        assert_eq!(short.size, MAX_SIZE);

        let medium = layout(&font, "Acme Corporation International Holdings");
        assert!(
            medium.size < MAX_SIZE && medium.size >= MIN_SIZE,
            "{medium:?}"
        );
        assert!(!medium.text().ends_with('…'), "{medium:?}");
        assert!(width(&font, medium.size, &medium.chars) <= TEXT_WIDTH);

        let long = "Contoso Ltd ".repeat(25);
        let cut = layout(&font, &long);
        assert_eq!(cut.size, MIN_SIZE);
        let text = cut.text();
        assert!(text.ends_with('…'), "{text}");
        assert!(!text.ends_with(" …"), "{text}");
        assert!(long.starts_with(text.trim_end_matches('…')), "{text}");
        let drawn = width(&font, cut.size, &cut.chars);
        assert!(drawn <= TEXT_WIDTH && drawn > TEXT_WIDTH - 20.0, "{drawn}");
    }

    #[test]
    fn the_text_is_drawn_left_and_centred_vertically() {
        let logo = placeholder("HIH");
        let image = pixels(&logo);
        assert_eq!(&image.get_pixel(0, 0).0[..3], &BORDER);
        assert_eq!(&image.get_pixel(244, 35).0[..3], &BORDER);
        assert_eq!(&image.get_pixel(5, 5).0[..3], &BACKGROUND);
        assert!(image.pixels().all(|p| p.0[3] == 0xFF));
        // Somewhere the ink is the text colour itself.
        assert!(image.pixels().any(|p| p.0[..3] == INK));
        // Capitals only: as much space above as below, within a few pixels.
        let rows = inked_rows(&logo);
        let (top, bottom) = (rows[0], *rows.last().unwrap());
        let (above, below) = (top, LOGO_HEIGHT - 1 - bottom);
        assert!(above.abs_diff(below) <= 4, "{above} above, {below} below");
        // The first inked column is near the left padding.
        let first = (0..LOGO_WIDTH)
            .find(|&x| (1..LOGO_HEIGHT - 1).any(|y| image.get_pixel(x, y).0[0] < 0x80))
            .unwrap();
        assert!((9..=13).contains(&first), "{first}");
    }

    #[test]
    fn longer_names_ink_more_columns() {
        let short = inked_columns(&placeholder("Ab"));
        let long = inked_columns(&placeholder("Abcdefghij"));
        assert!(short > 5 && long > short * 2, "{short} {long}");
        // A cut name stays clear of the right edge.
        let image = pixels(&placeholder(&"M".repeat(300)));
        for x in LOGO_WIDTH - 9..LOGO_WIDTH - 1 {
            for y in 1..LOGO_HEIGHT - 1 {
                assert_eq!(&image.get_pixel(x, y).0[..3], &BACKGROUND, "({x}, {y})");
            }
        }
    }

    #[test]
    fn placeholders_are_reproducible() {
        assert_eq!(placeholder("Acme"), placeholder("Acme"));
        assert_ne!(placeholder("Acme"), placeholder("Acne"));
    }

    #[test]
    fn other_pngs_are_not_placeholders() {
        let image = image::RgbaImage::from_pixel(245, 36, image::Rgba([0xEE, 0xF1, 0xF5, 0xFF]));
        let mut real = Vec::new();
        image
            .write_to(
                &mut std::io::Cursor::new(&mut real),
                image::ImageFormat::Png,
            )
            .unwrap();
        let real = Logo::from_png(real).unwrap();
        assert!(!real.is_placeholder());
        assert!(!is_placeholder_png(real.bytes()));

        // Another comment, of the same length or as padding.
        let good = crate::testing::png::encode(245, 36, crate::testing::png::Kind::Rgba);
        assert!(!is_placeholder_png(
            &crate::testing::png::with_padding_chunk(&good, 2000)
        ));
        let mark = placeholder("Acme").bytes().to_vec();
        let at = find(&mark, MARK_TEXT.as_bytes());
        let mut other = mark.clone();
        other[at] = b's';
        assert!(
            !is_placeholder_png(&other),
            "a changed text with the old CRC"
        );
        let mut wrong_crc = mark.clone();
        wrong_crc[at + MARK_TEXT.len()] ^= 1;
        assert!(!is_placeholder_png(&wrong_crc));
        // The mark after the pixel data does not count.
        let after_idat = move_mark_after_idat(&mark);
        assert!(!is_placeholder_png(&after_idat));
        assert!(check(&after_idat).is_ok());
    }

    #[test]
    fn truncated_or_garbage_bytes_are_not_placeholders() {
        let bytes = placeholder("Acme").bytes().to_vec();
        let idat = find(&bytes, b"IDAT") - 4;
        let idat_length = u32::from_be_bytes(bytes[idat..idat + 4].try_into().unwrap()) as usize;
        let idat_end = idat + 12 + idat_length;
        for len in 0..bytes.len() {
            let expected = len >= idat_end;
            assert_eq!(is_placeholder_png(&bytes[..len]), expected, "{len} bytes");
        }
        let mut seed = 0x2545_f491_u32;
        let mut noise = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        };
        for len in [0, 1, 7, 8, 9, 20, 33, 100, 5000] {
            let garbage: Vec<u8> = (0..len).map(|_| noise()).collect();
            assert!(!is_placeholder_png(&garbage));
            let mut signed = PNG_SIGNATURE.to_vec();
            signed.extend(&garbage);
            assert!(!is_placeholder_png(&signed));
        }
        // Lengths that point far past the end.
        let mut huge = PNG_SIGNATURE.to_vec();
        huge.extend([0xFF, 0xFF, 0xFF, 0xFF]);
        huge.extend(b"IHDR");
        assert!(!is_placeholder_png(&huge));
        let mut huge_text = bytes.clone();
        let text = find(&huge_text, b"tEXt") - 4;
        huge_text[text..text + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(!is_placeholder_png(&huge_text));
        // Endless empty chunks before any pixel data.
        let mut many = bytes[..find(&bytes, b"tEXt") - 4].to_vec();
        for _ in 0..10_000 {
            many.extend([0, 0, 0, 0]);
            many.extend(b"zzZz");
            many.extend(crc32(&[b"zzZz"]).to_be_bytes());
        }
        many.extend(&bytes[find(&bytes, b"tEXt") - 4..]);
        assert!(!is_placeholder_png(&many));
    }

    #[test]
    fn crc_matches_the_png_crate() {
        // The CRC in the file the png crate wrote is what ours computes.
        let bytes = placeholder("Acme").bytes().to_vec();
        let at = find(&bytes, b"tEXt");
        let data = mark_data();
        let stored = &bytes[at + 4 + data.len()..at + 8 + data.len()];
        assert_eq!(
            crc32(&[b"tEXt", &data]).to_be_bytes(),
            <[u8; 4]>::try_from(stored).unwrap()
        );
    }

    fn find(haystack: &[u8], needle: &[u8]) -> usize {
        haystack
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap()
    }

    /// The placeholder with its tEXt chunk moved between IDAT and IEND.
    fn move_mark_after_idat(bytes: &[u8]) -> Vec<u8> {
        let start = find(bytes, b"tEXt") - 4;
        let end = start + 12 + mark_data().len();
        let chunk = &bytes[start..end];
        let iend = find(bytes, b"IEND") - 4;
        let mut out = bytes[..start].to_vec();
        out.extend(&bytes[end..iend]);
        out.extend(chunk);
        out.extend(&bytes[iend..]);
        out
    }
}
