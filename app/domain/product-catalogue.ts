import type { ProductType } from "#db/schema";
import { VARIANTS } from "./products";

/**
 * What the shop says about each product type, beyond its price: the size
 * guide's measurements and the fabric, fit and care notes. One place for it,
 * so the product page, and anything else that describes a product, agree.
 * Every size in a guide is a size the type is sold in (VARIANTS); the unit
 * test checks it.
 */
export type SizeGuide = {
  /** What the table measures, e.g. "Chest width". */
  columns: { label: string; hint: string }[];
  /** One row per size, its measurements in `columns` order. */
  rows: { size: string; values: string[] }[];
  /** How to read the table, e.g. how the garment was measured. */
  note: string;
};

export type ProductDetails = {
  fabric: string;
  fit: string;
  care: string[];
  /** How long it takes to make before it ships. */
  madeIn: string;
};

/** Centimetres with inches after them, as the table cells show them. */
function cmAndInches(cm: number): string {
  return `${cm} cm (${(cm / 2.54).toFixed(1)} in)`;
}

const TEE_MEASUREMENTS: Record<string, { chest: number; length: number; sleeve: number }> = {
  S: { chest: 46, length: 71, sleeve: 20 },
  M: { chest: 51, length: 74, sleeve: 21 },
  L: { chest: 56, length: 76, sleeve: 22 },
  XL: { chest: 61, length: 79, sleeve: 23 },
  "2XL": { chest: 66, length: 81, sleeve: 24 },
};

const POSTER_MEASUREMENTS: Record<string, { width: number; height: number }> = {
  "12 × 18 in": { width: 30.5, height: 45.7 },
  "18 × 24 in": { width: 45.7, height: 61 },
  "24 × 36 in": { width: 61, height: 91.4 },
};

export const SIZE_GUIDES: Record<ProductType, SizeGuide> = {
  tee: {
    columns: [
      { label: "Chest width", hint: "armpit to armpit, laid flat" },
      { label: "Body length", hint: "top of the shoulder to the hem" },
      { label: "Sleeve length", hint: "shoulder seam to the cuff" },
    ],
    rows: VARIANTS.tee.map(({ size }) => {
      const m = TEE_MEASUREMENTS[size]!;
      return { size, values: [cmAndInches(m.chest), cmAndInches(m.length), cmAndInches(m.sleeve)] };
    }),
    note: "Measured on the garment laid flat. Double the chest width for the all-round chest; allow 2 cm either way.",
  },
  poster: {
    columns: [
      { label: "Width", hint: "of the paper" },
      { label: "Height", hint: "of the paper" },
    ],
    rows: VARIANTS.poster.map(({ size }) => {
      const m = POSTER_MEASUREMENTS[size]!;
      return { size, values: [cmAndInches(m.width), cmAndInches(m.height)] };
    }),
    note: "Paper size, portrait. The artwork is printed to the edges with no border; frames are not included.",
  },
};

export const PRODUCT_DETAILS: Record<ProductType, ProductDetails> = {
  tee: {
    fabric:
      "100% combed ring-spun cotton, 180 g/m² (5.3 oz/yd²), pre-shrunk. Printed direct to garment with water-based inks.",
    fit: "Unisex regular fit, straight cut with a ribbed crew neck. True to size; take one size up for a roomy fit.",
    care: [
      "Machine wash cold (30 °C), inside out, with similar colours.",
      "Do not bleach.",
      "Tumble dry low, or hang to dry.",
      "Iron inside out on low heat; do not iron the print.",
      "Do not dry clean.",
    ],
    madeIn: "Printed to order: made within 2–5 working days, then shipped.",
  },
  poster: {
    fabric: "Museum-grade matte paper, 200 g/m², acid-free, printed with archival pigment inks.",
    fit: "Portrait, full-bleed print. Fits standard frames of the same size.",
    care: [
      "Keep out of direct sunlight to stop the colours fading.",
      "Handle by the edges with dry hands.",
      "Frame behind glass or acrylic in damp rooms.",
    ],
    madeIn: "Printed to order: made within 2–4 working days, then shipped rolled in a tube.",
  },
};
