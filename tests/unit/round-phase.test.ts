import { describe, expect, it } from "vitest";
import { roundPhase } from "~/domain/round-phase";

const clock = {
  submissionsOpenAt: new Date("2026-03-01T00:00:00Z"),
  votingOpensAt: new Date("2026-03-15T00:00:00Z"),
  votingClosesAt: new Date("2026-03-22T00:00:00Z"),
  finalizedAt: null,
};

describe("roundPhase", () => {
  it.each([
    ["2026-02-28T23:59:59Z", "draft"],
    ["2026-03-01T00:00:00Z", "submissions"],
    ["2026-03-14T23:59:59Z", "submissions"],
    ["2026-03-15T00:00:00Z", "voting"],
    ["2026-03-21T23:59:59Z", "voting"],
    ["2026-03-22T00:00:00Z", "closed"],
    ["2027-01-01T00:00:00Z", "closed"],
  ])("at %s the round is %s", (at, expected) => {
    expect(roundPhase(clock, new Date(at))).toBe(expected);
  });

  it("is finalized once finalize has run, whatever the clock says", () => {
    expect(
      roundPhase({ ...clock, finalizedAt: new Date("2026-03-22T00:01:00Z") }, new Date("2026-03-22T00:00:30Z")),
    ).toBe("finalized");
  });

  it("is a draft while unpublished, whatever the clock says, and follows the clock once published", () => {
    const unpublished = { ...clock, publishedAt: null };
    for (const at of ["2026-02-01T00:00:00Z", "2026-03-10T00:00:00Z", "2026-03-18T00:00:00Z", "2027-01-01T00:00:00Z"])
      expect(roundPhase(unpublished, new Date(at))).toBe("draft");
    const published = { ...clock, publishedAt: new Date("2026-02-01T00:00:00Z") };
    expect(roundPhase(published, new Date("2026-03-18T00:00:00Z"))).toBe("voting");
  });
});
