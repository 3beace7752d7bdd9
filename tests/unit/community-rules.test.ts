import { describe, expect, it } from "vitest";
import { channelsFor, NOTIFICATION_KINDS, prefsFromForm } from "~/domain/notification-kinds";
import { profileSchema } from "~/domain/profile-forms";

describe("notification channels", () => {
  it("defaults every kind to the bell, and email only for a buyer's order messages", () => {
    const orderKinds = ["order_paid", "order_shipped", "order_refunded", "order_cancelled"];
    for (const { kind } of NOTIFICATION_KINDS)
      expect(channelsFor({}, kind)).toEqual({ inApp: true, email: orderKinds.includes(kind) });
    expect(channelsFor(null, "design_won")).toEqual({ inApp: true, email: false });
    // A buyer who turned order email off gets the bell only.
    expect(channelsFor({ order_paid: { email: false } }, "order_paid")).toEqual({ inApp: true, email: false });
  });

  it("takes a member's choice per channel, leaving the other at its default", () => {
    expect(channelsFor({ design_won: { email: true } }, "design_won")).toEqual({ inApp: true, email: true });
    expect(channelsFor({ design_won: { inApp: false } }, "design_won")).toEqual({ inApp: false, email: false });
    expect(channelsFor({ design_won: { inApp: false } }, "comment_reply")).toEqual({ inApp: true, email: false });
  });

  it("reads the settings form: unticked boxes are off, unknown fields are ignored", () => {
    const prefs = prefsFromForm({
      "inApp:design_won": "on",
      "email:design_won": "on",
      "email:nonsense": "on",
      intent: "notifications",
    });
    expect(prefs.design_won).toEqual({ inApp: true, email: true });
    expect(prefs.comment_reply).toEqual({ inApp: false, email: false });
    expect(Object.keys(prefs)).toHaveLength(NOTIFICATION_KINDS.length);
  });
});

describe("profile form", () => {
  it("splits links by line, drops blank lines and keeps only http(s) addresses", () => {
    expect(profileSchema.parse({ links: " https://a.example \n\n http://b.example/x\n" }).links).toEqual([
      "https://a.example",
      "http://b.example/x",
    ]);
    for (const bad of ["javascript:alert(1)", "data:text/html,hi", "ftp://files.example", "not a url"]) {
      expect(profileSchema.safeParse({ links: bad }).success, bad).toBe(false);
    }
    expect(
      profileSchema.safeParse({ links: Array.from({ length: 6 }, (_, i) => `https://${i}.example`).join("\n") })
        .success,
    ).toBe(false);
  });
});
