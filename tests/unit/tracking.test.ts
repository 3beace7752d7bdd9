import { describe, expect, it } from "vitest";
import { safeTrackingUrl, trackingUrlFor } from "~/domain/tracking";

describe("tracking links", () => {
  it("builds the carrier's page for a number, matching the carrier's name loosely", () => {
    expect(trackingUrlFor("USPS", " 9400111899223817612345 ")).toBe(
      "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223817612345",
    );
    expect(trackingUrlFor("FEDEX", "1234")).toBe("https://www.fedex.com/fedextrack/?trknbr=1234");
    expect(trackingUrlFor("royal mail", "AB123456789GB")).toBe(
      "https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB",
    );
    // A number is a URL component, not markup or a path.
    expect(trackingUrlFor("UPS", "1Z 99/?&x")).toBe("https://www.ups.com/track?tracknum=1Z%2099%2F%3F%26x");
  });

  it("has no link for an unknown carrier, no carrier or no number", () => {
    expect(trackingUrlFor("Pigeon Post", "1")).toBeNull();
    expect(trackingUrlFor(null, "1")).toBeNull();
    expect(trackingUrlFor("DHL", "  ")).toBeNull();
  });

  it("keeps a provider's tracking URL only when it is https", () => {
    expect(safeTrackingUrl("https://track.example/1")).toBe("https://track.example/1");
    expect(safeTrackingUrl("http://track.example/1")).toBeNull();
    expect(safeTrackingUrl("javascript:alert(1)")).toBeNull();
    expect(safeTrackingUrl("not a url")).toBeNull();
    expect(safeTrackingUrl(`https://track.example/${"x".repeat(600)}`)).toBeNull();
    expect(safeTrackingUrl(null)).toBeNull();
  });
});
