import { describe, expect, it } from "vitest";
import { SCHEDULE_CHANGE_LABELS } from "~/domain/round-phase";
import { formatCount } from "~/lib/format";

describe("formatCount", () => {
  it("says one in the singular and every other count in the plural", () => {
    expect(formatCount(1, "ballot")).toBe("1 ballot");
    expect(formatCount(0, "ballot")).toBe("0 ballots");
    expect(formatCount(2, "sign-up")).toBe("2 sign-ups");
    expect(formatCount(1, "entry", "entries")).toBe("1 entry");
    expect(formatCount(3, "entry", "entries")).toBe("3 entries");
  });
});

describe("schedule change labels", () => {
  it("put every logged change in words", () => {
    expect(SCHEDULE_CHANGE_LABELS["end-voting"]).toBe("Voting ended early");
    expect(Object.values(SCHEDULE_CHANGE_LABELS).every((label) => /^[A-Z][a-z ]+$/.test(label))).toBe(true);
  });
});
