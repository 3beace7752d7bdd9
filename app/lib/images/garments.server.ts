import { singleton } from "../singleton.server";
import { loadSharp, sharp } from "./sharp.server";

/**
 * The base images the mockups are printed on, drawn by the project itself as
 * SVG and rendered once per process. Print areas are in the 1200×1200 canvas.
 */
export const MOCKUP_SIZE = 1200;

export type Garment = {
  base: Buffer;
  /** Where the art goes: the art is fitted inside, centred horizontally, top-aligned. */
  printArea: { left: number; top: number; width: number; height: number };
};

const TEE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1200" viewBox="0 0 1200 1200">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f1eee9"/><stop offset="1" stop-color="#ddd8cf"/></linearGradient>
    <linearGradient id="cloth" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#30323a"/><stop offset="1" stop-color="#1d1e24"/></linearGradient>
  </defs>
  <rect width="1200" height="1200" fill="url(#bg)"/>
  <ellipse cx="600" cy="1105" rx="360" ry="34" fill="#000" opacity="0.12"/>
  <path d="M430 150 Q600 215 770 150 L1010 270 L1105 500 L955 560 L905 455 L905 1080 Q600 1110 295 1080 L295 455 L245 560 L95 500 L190 270 Z" fill="url(#cloth)"/>
  <path d="M430 150 Q600 250 770 150 Q730 205 600 212 Q470 205 430 150 Z" fill="#15161a"/>
  <path d="M295 455 L295 1080" stroke="#000" stroke-opacity="0.18" stroke-width="6"/>
  <path d="M905 455 L905 1080" stroke="#000" stroke-opacity="0.18" stroke-width="6"/>
</svg>`;

const POSTER_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1200" viewBox="0 0 1200 1200">
  <rect width="1200" height="1200" fill="#e7e2d8"/>
  <rect y="1010" width="1200" height="190" fill="#b9a58a"/>
  <rect x="236" y="96" width="728" height="960" fill="#000" opacity="0.18" transform="translate(14 16)"/>
  <rect x="236" y="96" width="728" height="960" fill="#2b2b2b"/>
  <rect x="262" y="122" width="676" height="908" fill="#fbfaf7"/>
</svg>`;

async function render(svg: string) {
  await loadSharp();
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export function getGarments(): Promise<{ tee: Garment; poster: Garment }> {
  return singleton("garments", async () => ({
    tee: { base: await render(TEE_SVG), printArea: { left: 400, top: 300, width: 400, height: 500 } },
    poster: { base: await render(POSTER_SVG), printArea: { left: 302, top: 162, width: 596, height: 828 } },
  }));
}
