import { describe, expect, it } from "vitest";
import { PRODUCT_TYPES } from "#db/schema";
import { PRODUCT_DETAILS, SIZE_GUIDES } from "~/domain/product-catalogue";
import { VARIANTS } from "~/domain/products";

describe("product catalogue", () => {
  it("has a size guide row for every size sold, in the shop's order, and a value per column", () => {
    for (const type of PRODUCT_TYPES) {
      const guide = SIZE_GUIDES[type];
      expect(guide.rows.map((r) => r.size)).toEqual(VARIANTS[type].map((v) => v.size));
      for (const row of guide.rows) expect(row.values).toHaveLength(guide.columns.length);
    }
  });

  it("gives tees their chest width and body length, growing with the size", () => {
    const guide = SIZE_GUIDES.tee;
    expect(guide.columns.map((c) => c.label)).toEqual(["Chest width", "Body length", "Sleeve length"]);
    const chest = guide.rows.map((r) => Number.parseFloat(r.values[0]!));
    expect(chest).toEqual([...chest].sort((a, b) => a - b));
    expect(guide.rows[0]!.values[0]).toBe("46 cm (18.1 in)");
  });

  it("gives posters their paper size in centimetres and inches", () => {
    expect(SIZE_GUIDES.poster.rows[0]).toEqual({
      size: "12 × 18 in",
      values: ["30.5 cm (12.0 in)", "45.7 cm (18.0 in)"],
    });
  });

  it("describes the fabric, fit and care of every product type", () => {
    for (const type of PRODUCT_TYPES) {
      const details = PRODUCT_DETAILS[type];
      expect(details.fabric.length).toBeGreaterThan(10);
      expect(details.fit.length).toBeGreaterThan(10);
      expect(details.care.length).toBeGreaterThan(0);
    }
  });
});
