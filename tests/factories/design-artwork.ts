/**
 * Demo artwork that looks like something printed on a shirt or a poster: a
 * simple illustration for the round's theme with the design's title set as a
 * bold slogan, composed as SVG and rendered by sharp. Deterministic: the same
 * title always gives the same picture (layout and colours come from a hash of
 * it). The result is an upload like any other and goes through the real image
 * pipeline.
 */
import sharp from "sharp";

export type DesignTheme = "flowers" | "robots" | "birds" | "retro" | "waves";

type Palette = { ground: string; ink: string; accent: string; pop: string; soft: string };

const PALETTES: Palette[] = [
  { ground: "#f4ead5", ink: "#1f2a44", accent: "#e4572e", pop: "#f3a712", soft: "#a8c5da" },
  { ground: "#1d1a2f", ink: "#f7f3e3", accent: "#ff6f91", pop: "#ffc75f", soft: "#845ec2" },
  { ground: "#0f3d3e", ink: "#f1ede0", accent: "#f28c28", pop: "#e8d33f", soft: "#5fb49c" },
  { ground: "#fdf0e8", ink: "#2b2d42", accent: "#d7263d", pop: "#1b998b", soft: "#f4c095" },
  { ground: "#13294b", ink: "#fefae0", accent: "#ee6c4d", pop: "#98c1d9", soft: "#3d5a80" },
  { ground: "#ffd23f", ink: "#222222", accent: "#ee4266", pop: "#3bceac", soft: "#ffffff" },
];

function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function randomFrom(seed: number) {
  let state = seed || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

type Draw = (p: Palette, rnd: () => number) => string;

/** Each illustration is drawn in a 400×400 box centred on (200, 200). */
const ROBOT: Draw = (p, rnd) => {
  const round = rnd() < 0.5;
  const eyes =
    rnd() < 0.5
      ? `<circle cx="165" cy="118" r="18" fill="${p.pop}"/><circle cx="235" cy="118" r="18" fill="${p.pop}"/><circle cx="170" cy="114" r="6" fill="${p.ground}"/><circle cx="240" cy="114" r="6" fill="${p.ground}"/>`
      : `<rect x="140" y="104" width="120" height="28" rx="14" fill="${p.pop}"/><rect x="${150 + Math.floor(rnd() * 70)}" y="110" width="24" height="16" rx="8" fill="${p.ground}"/>`;
  const head = round
    ? `<circle cx="200" cy="125" r="72" fill="${p.soft}" stroke="${p.ink}" stroke-width="10"/>`
    : `<rect x="122" y="58" width="156" height="130" rx="26" fill="${p.soft}" stroke="${p.ink}" stroke-width="10"/>`;
  const wave = rnd() < 0.5;
  return `
    <line x1="200" y1="20" x2="200" y2="58" stroke="${p.ink}" stroke-width="10"/>
    <circle cx="200" cy="18" r="14" fill="${p.accent}" stroke="${p.ink}" stroke-width="6"/>
    ${head}${eyes}
    <path d="M170 158 h60" stroke="${p.ink}" stroke-width="8" stroke-linecap="round"/>
    <rect x="110" y="200" width="180" height="140" rx="22" fill="${p.accent}" stroke="${p.ink}" stroke-width="10"/>
    <circle cx="200" cy="250" r="24" fill="${p.pop}" stroke="${p.ink}" stroke-width="8"/>
    <path d="M150 305 h100 M150 320 h100" stroke="${p.ink}" stroke-width="6"/>
    <path d="M110 230 ${wave ? "Q60 200 52 140" : "Q70 270 60 320"}" fill="none" stroke="${p.ink}" stroke-width="14" stroke-linecap="round"/>
    <circle cx="${wave ? 52 : 60}" cy="${wave ? 132 : 326}" r="16" fill="${p.soft}" stroke="${p.ink}" stroke-width="8"/>
    <path d="M290 230 Q335 270 340 320" fill="none" stroke="${p.ink}" stroke-width="14" stroke-linecap="round"/>
    <circle cx="340" cy="328" r="16" fill="${p.soft}" stroke="${p.ink}" stroke-width="8"/>
    <rect x="140" y="338" width="36" height="40" fill="${p.ink}"/><rect x="224" y="338" width="36" height="40" fill="${p.ink}"/>
    <rect x="126" y="372" width="64" height="18" rx="9" fill="${p.ink}"/><rect x="210" y="372" width="64" height="18" rx="9" fill="${p.ink}"/>`;
};

const BIRD: Draw = (p, rnd) => {
  const body = [p.soft, p.ink, "#9aa0a6", "#f5f5f5"][Math.floor(rnd() * 4)]!;
  const wing = body === p.ink ? p.soft : p.ink;
  const facing = rnd() < 0.5 ? 1 : -1;
  return `<g transform="translate(200 0) scale(${facing} 1) translate(-200 0)">
    <path d="M70 250 L20 290 L40 300 L95 270 Z" fill="${wing}"/>
    <ellipse cx="190" cy="240" rx="125" ry="92" fill="${body}" stroke="${p.ink}" stroke-width="8"/>
    <path d="M120 215 Q200 170 270 235 Q200 290 120 260 Z" fill="${wing}" opacity="0.9"/>
    <circle cx="285" cy="145" r="62" fill="${body}" stroke="${p.ink}" stroke-width="8"/>
    <path d="M255 185 Q290 215 320 190" fill="none" stroke="${p.accent}" stroke-width="12" opacity="0.8"/>
    <circle cx="303" cy="132" r="14" fill="${p.ground}" stroke="${p.ink}" stroke-width="5"/>
    <circle cx="307" cy="132" r="6" fill="${p.ink}"/>
    <path d="M340 140 L392 156 L340 168 Z" fill="${p.pop}" stroke="${p.ink}" stroke-width="5" stroke-linejoin="round"/>
    <path d="M170 325 L160 380 M210 325 L220 380 M140 382 h40 M200 382 h40" stroke="${p.pop}" stroke-width="9" stroke-linecap="round"/>
  </g>`;
};

const FLOWER: Draw = (p, rnd) => {
  const petals = 6 + Math.floor(rnd() * 5);
  const petalShapes = Array.from({ length: petals }, (_, i) => {
    const angle = (360 / petals) * i;
    return `<ellipse cx="200" cy="120" rx="30" ry="68" fill="${i % 2 ? p.accent : p.soft}" stroke="${p.ink}" stroke-width="6" transform="rotate(${angle} 200 180)"/>`;
  }).join("");
  const moth =
    rnd() < 0.6
      ? `<g transform="translate(${rnd() < 0.5 ? 300 : 40} 250) scale(0.55)">
        <ellipse cx="60" cy="50" rx="55" ry="38" fill="${p.pop}" stroke="${p.ink}" stroke-width="8" transform="rotate(-25 60 50)"/>
        <ellipse cx="140" cy="50" rx="55" ry="38" fill="${p.pop}" stroke="${p.ink}" stroke-width="8" transform="rotate(25 140 50)"/>
        <ellipse cx="100" cy="70" rx="14" ry="48" fill="${p.ink}"/>
        <path d="M94 26 Q80 0 66 -6 M106 26 Q120 0 134 -6" stroke="${p.ink}" stroke-width="6" fill="none"/>
      </g>`
      : "";
  const stars = Array.from({ length: 5 }, () => {
    const x = 20 + rnd() * 360;
    const y = 10 + rnd() * 90;
    return `<circle cx="${x.toFixed(0)}" cy="${y.toFixed(0)}" r="${(3 + rnd() * 5).toFixed(0)}" fill="${p.pop}"/>`;
  }).join("");
  return `
    ${stars}
    <circle cx="330" cy="60" r="44" fill="${p.pop}"/><circle cx="350" cy="48" r="40" fill="${p.ground}"/>
    <path d="M200 230 Q185 320 200 395" fill="none" stroke="${p.ink}" stroke-width="12"/>
    <path d="M198 320 Q140 290 110 320 Q150 345 198 330 Z" fill="${p.soft}" stroke="${p.ink}" stroke-width="6"/>
    <path d="M202 290 Q260 255 292 285 Q250 312 202 300 Z" fill="${p.soft}" stroke="${p.ink}" stroke-width="6"/>
    ${petalShapes}
    <circle cx="200" cy="180" r="34" fill="${p.pop}" stroke="${p.ink}" stroke-width="8"/>
    ${moth}`;
};

const RETRO: Draw = (p, rnd) => {
  const rocket = rnd() < 0.55;
  if (rocket) {
    return `
      <ellipse cx="200" cy="210" rx="180" ry="60" fill="none" stroke="${p.soft}" stroke-width="10" transform="rotate(-18 200 210)"/>
      <path d="M200 20 Q275 110 262 300 L138 300 Q125 110 200 20 Z" fill="${p.soft}" stroke="${p.ink}" stroke-width="10"/>
      <path d="M200 20 Q235 60 248 100 L152 100 Q165 60 200 20 Z" fill="${p.accent}" stroke="${p.ink}" stroke-width="8"/>
      <circle cx="200" cy="170" r="34" fill="${p.pop}" stroke="${p.ink}" stroke-width="10"/>
      <path d="M138 230 L80 330 L140 300 Z M262 230 L320 330 L260 300 Z" fill="${p.accent}" stroke="${p.ink}" stroke-width="8" stroke-linejoin="round"/>
      <path d="M160 300 Q200 400 240 300 Z" fill="${p.pop}" stroke="${p.ink}" stroke-width="6"/>
      <path d="M180 300 Q200 360 220 300 Z" fill="${p.accent}"/>`;
  }
  const orbit = (angle: number) =>
    `<ellipse cx="200" cy="200" rx="170" ry="62" fill="none" stroke="${p.ink}" stroke-width="12" transform="rotate(${angle} 200 200)"/>`;
  return `
    <circle cx="200" cy="200" r="150" fill="${p.soft}" opacity="0.35"/>
    ${orbit(0)}${orbit(60)}${orbit(120)}
    <circle cx="200" cy="200" r="40" fill="${p.accent}" stroke="${p.ink}" stroke-width="10"/>
    <circle cx="370" cy="200" r="14" fill="${p.pop}"/><circle cx="115" cy="53" r="14" fill="${p.pop}"/><circle cx="115" cy="347" r="14" fill="${p.pop}"/>`;
};

const WAVES: Draw = (p) =>
  Array.from({ length: 5 }, (_, i) => {
    const y = 90 + i * 60;
    return `<path d="M0 ${y} Q50 ${y - 40} 100 ${y} T200 ${y} T300 ${y} T400 ${y}" fill="none" stroke="${i % 2 ? p.accent : p.soft}" stroke-width="22" stroke-linecap="round"/>`;
  }).join("");

const ILLUSTRATIONS: Record<DesignTheme, Draw> = {
  robots: ROBOT,
  birds: BIRD,
  flowers: FLOWER,
  retro: RETRO,
  waves: WAVES,
};

/** Splits a slogan into at most two lines of roughly equal length. */
function sloganLines(slogan: string): string[] {
  const words = slogan.toUpperCase().split(/\s+/).filter(Boolean);
  if (words.length < 2 || slogan.length <= 10) return [words.join(" ")];
  let best = 1;
  let bestDiff = Infinity;
  for (let i = 1; i < words.length; i++) {
    const diff = Math.abs(words.slice(0, i).join(" ").length - words.slice(i).join(" ").length);
    if (diff < bestDiff) [best, bestDiff] = [i, diff];
  }
  return [words.slice(0, best).join(" "), words.slice(best).join(" ")];
}

export type DesignArtOptions = {
  theme: DesignTheme;
  /** The slogan set in type; usually the design's title. */
  slogan: string;
  /** A small line under the slogan. */
  tagline?: string;
  size?: number;
};

/** The composition as SVG, in a 1000-unit square scaled to `size` pixels. */
export function designSvg({ theme, slogan, tagline, size = 1000 }: DesignArtOptions): string {
  const seed = hashOf(`${theme}:${slogan}`);
  const rnd = randomFrom(seed);
  const p = PALETTES[seed % PALETTES.length]!;
  const layout = Math.floor(rnd() * 3);
  const lines = sloganLines(slogan);
  const longest = Math.max(...lines.map((l) => l.length));
  // DejaVu Sans Bold is about 0.78 em wide per capital: fit the longest line into 760 units.
  const fontSize = Math.min(150, Math.floor(760 / (longest * 0.78)));
  const art = ILLUSTRATIONS[theme](p, rnd);
  const font = `font-family="DejaVu Sans, Liberation Sans, sans-serif" font-weight="bold" text-anchor="middle"`;
  const type = (top: number) =>
    lines
      .map(
        (line, i) =>
          `<text x="500" y="${top + (i + 1) * fontSize}" ${font} font-size="${fontSize}" fill="${p.ink}" letter-spacing="2">${escapeXml(line)}</text>`,
      )
      .join("");
  const small = (y: number) =>
    tagline
      ? `<text x="500" y="${y}" ${font} font-size="38" fill="${p.accent}" letter-spacing="8">${escapeXml(tagline.toUpperCase())}</text>`
      : "";
  const textHeight = lines.length * fontSize;
  let body: string;
  if (layout === 0) {
    // Badge: the illustration on a disc, the slogan below.
    body = `<circle cx="500" cy="360" r="300" fill="${p.soft}" opacity="0.3"/>
      <g transform="translate(290 150) scale(1.05)">${art}</g>
      ${type(960 - textHeight - 70)}${small(950)}`;
  } else if (layout === 1) {
    // Headline: the slogan on top, the illustration under it, a rule and the tagline at the foot.
    const scale = Math.min(1.4, (880 - (70 + textHeight)) / 400);
    body = `${type(40)}
      <g transform="translate(${(500 - 200 * scale).toFixed(0)} ${70 + textHeight}) scale(${scale.toFixed(3)})">${art}</g>
      <rect x="300" y="912" width="400" height="8" fill="${p.accent}"/>${small(970)}`;
  } else {
    // Framed: a double border, the illustration, the slogan on a ribbon.
    const ribbonTop = 815 - textHeight;
    const scale = Math.min(1.2, (ribbonTop - 110) / 400);
    body = `<rect x="40" y="40" width="920" height="920" fill="none" stroke="${p.ink}" stroke-width="14"/>
      <rect x="66" y="66" width="868" height="868" fill="none" stroke="${p.ink}" stroke-width="4"/>
      <g transform="translate(${(500 - 200 * scale).toFixed(0)} 95) scale(${scale.toFixed(3)})">${art}</g>
      <rect x="90" y="${ribbonTop}" width="820" height="${textHeight + 40}" fill="${p.pop}" stroke="${p.ink}" stroke-width="8"/>
      ${type(ribbonTop + 6)}${small(905)}`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 1000 1000">
  <rect width="1000" height="1000" fill="${p.ground}"/>${body}
</svg>`;
}

/** The design as the PNG a designer would upload. */
export async function designPng(options: DesignArtOptions): Promise<Buffer> {
  return sharp(Buffer.from(designSvg(options)))
    .png({ compressionLevel: 3 })
    .toBuffer();
}

/** A round avatar: the member's initial on a colour, with a small motif. */
export async function avatarPng(name: string, size = 400): Promise<Buffer> {
  const seed = hashOf(name);
  const p = PALETTES[seed % PALETTES.length]!;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 400 400">
    <rect width="400" height="400" fill="${p.soft}"/>
    <circle cx="200" cy="200" r="150" fill="${p.ground}" stroke="${p.ink}" stroke-width="12"/>
    <text x="200" y="258" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="170" text-anchor="middle" fill="${p.accent}">${escapeXml(name.slice(0, 1).toUpperCase())}</text>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
