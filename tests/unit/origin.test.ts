import { describe, expect, it } from "vitest";
import { isRequestFromOwnOrigin } from "~/lib/origin";

const base = { path: "/login", host: "crowdthread.example", secFetchSite: null };

describe("isRequestFromOwnOrigin", () => {
  it("lets reads through whatever their origin", () => {
    expect(isRequestFromOwnOrigin({ ...base, method: "GET", origin: "https://evil.example" })).toBe(true);
  });

  it("accepts a POST from the app's own origin", () => {
    expect(isRequestFromOwnOrigin({ ...base, method: "POST", origin: "https://crowdthread.example" })).toBe(true);
  });

  it("refuses a POST from another origin", () => {
    expect(isRequestFromOwnOrigin({ ...base, method: "POST", origin: "https://evil.example" })).toBe(false);
    expect(
      isRequestFromOwnOrigin({ ...base, method: "DELETE", origin: "https://crowdthread.example.evil.example" }),
    ).toBe(false);
  });

  it("refuses a POST with neither Origin nor Sec-Fetch-Site, and an opaque origin", () => {
    expect(isRequestFromOwnOrigin({ ...base, method: "POST", origin: null })).toBe(false);
    expect(isRequestFromOwnOrigin({ ...base, method: "POST", origin: "null" })).toBe(false);
    expect(isRequestFromOwnOrigin({ ...base, method: "POST", origin: "not a url" })).toBe(false);
  });

  it("believes Sec-Fetch-Site only when it says same-origin", () => {
    expect(isRequestFromOwnOrigin({ ...base, method: "POST", origin: null, secFetchSite: "same-origin" })).toBe(true);
    expect(isRequestFromOwnOrigin({ ...base, method: "POST", origin: null, secFetchSite: "cross-site" })).toBe(false);
  });

  it("compares with APP_ORIGIN when it is set, not with the Host header", () => {
    const input = { ...base, method: "POST", host: "internal:3000", appOrigin: "https://crowdthread.example" };
    expect(isRequestFromOwnOrigin({ ...input, origin: "https://crowdthread.example" })).toBe(true);
    expect(isRequestFromOwnOrigin({ ...input, origin: "http://internal:3000" })).toBe(false);
  });

  it("leaves the webhooks to their own checks (Stripe's signature, Printful's token)", () => {
    expect(isRequestFromOwnOrigin({ ...base, method: "POST", path: "/webhooks/stripe", origin: null })).toBe(true);
    expect(isRequestFromOwnOrigin({ ...base, method: "POST", path: "/webhooks/printful", origin: null })).toBe(true);
  });
});
