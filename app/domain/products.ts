import type { ProductType } from "#db/schema";

/** What products are called in the shop; shared by server and browser. */
export const PRODUCT_TYPE_LABELS: Record<ProductType, string> = { tee: "T-shirt", poster: "Poster" };

/** Sizes offered per product type, with what each adds to the round's base price. */
export const VARIANTS: Record<ProductType, { size: string; extraCents: number }[]> = {
  tee: [
    { size: "S", extraCents: 0 },
    { size: "M", extraCents: 0 },
    { size: "L", extraCents: 0 },
    { size: "XL", extraCents: 0 },
    { size: "2XL", extraCents: 300 },
  ],
  poster: [
    { size: "12 × 18 in", extraCents: 0 },
    { size: "18 × 24 in", extraCents: 900 },
    { size: "24 × 36 in", extraCents: 2000 },
  ],
};
