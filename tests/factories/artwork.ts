/**
 * Artwork drawn by the project: a deterministic SVG composition from a seed,
 * rendered by sharp. Used by tests, the demo seed and the image benchmark.
 */
import sharp from "sharp";

function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

const PALETTES = [
  ["#1b1b3a", "#693668", "#a74482", "#f84aa7", "#ff3562"],
  ["#0b3954", "#087e8b", "#bfd7ea", "#ff5a5f", "#c81d25"],
  ["#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51"],
  ["#10002b", "#3c096c", "#7b2cbf", "#c77dff", "#e0aaff"],
  ["#003049", "#d62828", "#f77f00", "#fcbf49", "#eae2b7"],
];

export type ArtOptions = { seed?: number; width?: number; height?: number; transparent?: boolean; label?: string };

export function artworkSvg({
  seed = 1,
  width = 1600,
  height = 1600,
  transparent = false,
  label,
}: ArtOptions = {}): string {
  const rnd = random(seed * 7919 + 17);
  const palette = PALETTES[seed % PALETTES.length]!;
  const pick = () => palette[Math.floor(rnd() * palette.length)]!;
  const s = Math.min(width, height);
  const shapes: string[] = [];
  for (let i = 0; i < 14; i++) {
    const x = rnd() * width;
    const y = rnd() * height;
    const r = (0.06 + rnd() * 0.22) * s;
    const kind = Math.floor(rnd() * 3);
    const opacity = (0.55 + rnd() * 0.45).toFixed(2);
    if (kind === 0)
      shapes.push(
        `<circle cx="${x.toFixed(0)}" cy="${y.toFixed(0)}" r="${r.toFixed(0)}" fill="${pick()}" opacity="${opacity}"/>`,
      );
    else if (kind === 1)
      shapes.push(
        `<rect x="${(x - r).toFixed(0)}" y="${(y - r / 2).toFixed(0)}" width="${(2 * r).toFixed(0)}" height="${r.toFixed(0)}" rx="${(r / 5).toFixed(0)}" fill="${pick()}" opacity="${opacity}" transform="rotate(${(rnd() * 90).toFixed(0)} ${x.toFixed(0)} ${y.toFixed(0)})"/>`,
      );
    else
      shapes.push(
        `<polygon points="${x.toFixed(0)},${(y - r).toFixed(0)} ${(x + r).toFixed(0)},${(y + r).toFixed(0)} ${(x - r).toFixed(0)},${(y + r).toFixed(0)}" fill="${pick()}" opacity="${opacity}"/>`,
      );
  }
  const stripes = Array.from({ length: 24 }, (_, i) => {
    const y = (i / 24) * height;
    return `<rect x="0" y="${y.toFixed(0)}" width="${width}" height="${(height / 48).toFixed(0)}" fill="${palette[i % palette.length]}" opacity="0.08"/>`;
  }).join("");
  const background = transparent
    ? ""
    : `<rect width="100%" height="100%" fill="${palette[0]}"/><rect width="100%" height="100%" fill="url(#glow)"/>`;
  const text = label
    ? `<text x="50%" y="${(height * 0.9).toFixed(0)}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="${(s * 0.08).toFixed(0)}" fill="#ffffff" opacity="0.9">${label}</text>`
    : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
    <defs><radialGradient id="glow" cx="50%" cy="40%" r="70%"><stop offset="0" stop-color="${palette[2]}" stop-opacity="0.55"/><stop offset="1" stop-color="${palette[0]}" stop-opacity="0"/></radialGradient></defs>
    ${background}${stripes}${shapes.join("")}${text}
  </svg>`;
}

export async function artworkPng(options: ArtOptions = {}): Promise<Buffer> {
  return sharp(Buffer.from(artworkSvg(options)), { limitInputPixels: false })
    .png()
    .toBuffer();
}

export async function artworkJpeg(options: ArtOptions = {}): Promise<Buffer> {
  return sharp(Buffer.from(artworkSvg(options)), { limitInputPixels: false })
    .jpeg({ quality: 90 })
    .toBuffer();
}
