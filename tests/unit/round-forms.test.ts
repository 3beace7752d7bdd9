import { describe, expect, it } from "vitest";
import { roundFormFields } from "#tests/factories/forms";
import { adminRoundActionSchema, roundSchema } from "~/domain/round-forms";
import { editSubmissionSchema, rejectSchema, submissionDetailsSchema } from "~/domain/submission-forms";

const CONTROL = "Remove the invisible control characters from this text";

const round = roundFormFields();

function messagesOf(result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return (result.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("the admin round page's intents", () => {
  it("reads each form by its intent", () => {
    expect(adminRoundActionSchema.parse({ intent: "update", ...round })).toMatchObject({
      intent: "update",
      title: "Night shift",
      teePrice: 2500,
      votingClosesAt: new Date("2030-01-20T00:00:00Z"),
    });
    expect(adminRoundActionSchema.parse({ intent: "schedule", change: "end-voting" })).toEqual({
      intent: "schedule",
      change: "end-voting",
    });
    expect(
      adminRoundActionSchema.parse({ intent: "schedule", change: "extend-voting", until: "2030-02-01T12:00" }),
    ).toEqual({ intent: "schedule", change: "extend-voting", until: new Date("2030-02-01T12:00:00Z") });
    expect(adminRoundActionSchema.parse({ intent: "finalize" })).toEqual({ intent: "finalize" });
  });

  it("keeps the round form's cross-field rules under the update intent", () => {
    const result = adminRoundActionSchema.safeParse({ intent: "update", ...round, votingClosesAt: "2030-01-05T00:00" });
    expect(messagesOf(result)).toEqual(["votingClosesAt: Voting must close after it opens"]);
  });

  it("refuses an unknown intent or schedule change, naming the field", () => {
    expect(messagesOf(adminRoundActionSchema.safeParse({ intent: "delete" }))[0]).toMatch(/^intent: /);
    expect(messagesOf(adminRoundActionSchema.safeParse({}))[0]).toMatch(/^intent: /);
    expect(messagesOf(adminRoundActionSchema.safeParse({ intent: "schedule", change: "rewind" }))[0]).toMatch(
      /^change: /,
    );
  });

  it("refuses control characters in a disqualification reason", () => {
    const result = adminRoundActionSchema.safeParse({
      intent: "disqualify",
      submissionId: crypto.randomUUID(),
      reason: "Traced\u0000 from a photo",
    });
    expect(messagesOf(result)).toEqual([`reason: ${CONTROL}`]);
  });
});

describe("text fields refuse control characters", () => {
  it.each([
    ["round title", () => roundSchema.safeParse({ ...round, title: "Night\u0000shift" }), "title"],
    ["round brief", () => roundSchema.safeParse({ ...round, brief: "A brief with a bell \u0007 in it" }), "brief"],
    ["design title", () => submissionDetailsSchema.safeParse({ title: "Harbour\u001b[31m" }), "title"],
    ["design tags", () => submissionDetailsSchema.safeParse({ title: "Harbour", tags: "sea,\u0000" }), "tags"],
    ["edited description", () => editSubmissionSchema.safeParse({ title: "Ok", description: "\u000b" }), "description"],
    [
      "rejection reason",
      () => rejectSchema.safeParse({ submissionId: crypto.randomUUID(), reason: "Off brief\u0000" }),
      "reason",
    ],
  ])("%s", (_name, parse, field) => {
    expect(messagesOf(parse())).toEqual([`${field}: ${CONTROL}`]);
  });

  it("still takes tabs and line breaks in a description", () => {
    expect(editSubmissionSchema.parse({ title: "Harbour", description: "Line one\r\n\tLine two" })).toEqual({
      title: "Harbour",
      description: "Line one\r\n\tLine two",
    });
  });
});
