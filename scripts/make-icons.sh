#!/usr/bin/env bash
# Regenerates every application icon in icons/ from icons/icon.svg: the PNG sizes Tauri 2
# bundles, the Windows .ico and Store logos, and the macOS .icns. All PNGs are 8-bit RGBA
# (tauri::generate_context! rejects others) and carry no timestamps, so a run with an
# unchanged SVG leaves git clean.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/apt.sh
source "$repo_root/scripts/lib/apt.sh"

icons="$repo_root/icons"
svg="$icons/icon.svg"

# librsvg draws the SVG, ImageMagick writes RGBA PNGs and the .ico, icnsutils the .icns.
apt_ensure librsvg2-bin imagemagick icnsutils
if command -v magick >/dev/null; then
  im=(magick)
else
  im=(convert)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Draws the SVG at SIZE×SIZE pixels into the file OUT as RGBA without metadata.
render() {
  local size="$1" out="$2"
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio "$svg" -o "$work/raw.png"
  "${im[@]}" "$work/raw.png" -strip -define png:exclude-chunks=date,time "PNG32:$out"
}

# Linux and macOS bundles, and the window icon.
render 32 "$icons/32x32.png"
render 64 "$icons/64x64.png"
render 128 "$icons/128x128.png"
render 256 "$icons/128x128@2x.png"
render 512 "$icons/icon.png"

# Windows Store (appx) logos.
for size in 30 44 71 89 107 142 150 284 310; do
  render "$size" "$icons/Square${size}x${size}Logo.png"
done
render 50 "$icons/StoreLogo.png"

# Windows: one .ico holding the sizes Explorer and the taskbar pick from.
ico_parts=()
for size in 16 24 32 48 64 256; do
  render "$size" "$work/ico-$size.png"
  ico_parts+=("$work/ico-$size.png")
done
"${im[@]}" "${ico_parts[@]}" "$icons/icon.ico"

# macOS: png2icns takes the sizes the .icns format defines (16 to 1024).
icns_parts=()
for size in 16 32 48 128 256 512 1024; do
  render "$size" "$work/icns-$size.png"
  icns_parts+=("$work/icns-$size.png")
done
png2icns "$icons/icon.icns" "${icns_parts[@]}" >/dev/null

echo "make-icons: icons/ regenerated from icons/icon.svg"
