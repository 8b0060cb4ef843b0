// Draws the two Teams app icons (color.png 192x192, outline.png 32x32) so they can be regenerated
// from source instead of being opaque binaries. Run `npm run icons`; the PNGs are committed.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import pkg from "pngjs";

const { PNG } = pkg;
const here = dirname(fileURLToPath(import.meta.url));

// Brand colour (also the manifest's accentColor).
export const ACCENT = [0x0f, 0x6c, 0xbd];

// The glyph, in unit coordinates (0..1): three rounded bars of rising height = rollout waves,
// sitting on a base line. Returns true when the point is inside the glyph.
function inGlyph(x, y) {
  const bars = [
    { x0: 0.18, x1: 0.34, top: 0.52 },
    { x0: 0.42, x1: 0.58, top: 0.36 },
    { x0: 0.66, x1: 0.82, top: 0.18 },
  ];
  const bottom = 0.74;
  for (const b of bars) {
    if (x >= b.x0 && x <= b.x1 && y >= b.top && y <= bottom) {
      // Round the top corners of each bar.
      const r = (b.x1 - b.x0) / 2;
      if (y < b.top + r) {
        const cx = b.x0 + r;
        const cy = b.top + r;
        if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
      }
      return true;
    }
  }
  // Base line under the bars.
  return x >= 0.12 && x <= 0.88 && y >= 0.80 && y <= 0.88;
}

// Rounded square background of the colour icon.
function inBackground(x, y) {
  const r = 0.18;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

// Fraction of an n x n subsample grid of the pixel that lies inside `shape` (anti-aliasing).
function coverage(shape, px, py, size, n = 6) {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = (px + (i + 0.5) / n) / size;
      const y = (py + (j + 0.5) / n) / size;
      if (shape(x, y)) hits++;
    }
  }
  return hits / (n * n);
}

export function drawColor(size = 192) {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Solid white canvas, accent rounded square, white glyph inset to the central 96 px area.
      const bg = coverage(inBackground, x, y, size);
      const g = coverage((u, v) => inGlyph((u - 0.25) * 2, (v - 0.25) * 2), x, y, size);
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) {
        const base = 255 * (1 - bg) + ACCENT[c] * bg;
        png.data[i + c] = Math.round(base * (1 - g) + 255 * g);
      }
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

export function drawOutline(size = 32) {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = 255;
      png.data[i + 3] = Math.round(255 * coverage(inGlyph, x, y, size));
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(here, "color.png"), drawColor());
  writeFileSync(join(here, "outline.png"), drawOutline());
  console.log("wrote manifest/color.png (192x192) and manifest/outline.png (32x32)");
}
