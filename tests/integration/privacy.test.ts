import { describe, expect, it } from "vitest";
import { createBallot, createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, getRequest, settle } from "#tests/support/requests";
import { addComment } from "~/domain/comments.server";
import { loader } from "~/routes/account_.export[.]json";

describe("data export", () => {
  it("gives a member everything kept about them, and no secrets or other people's data", async () => {
    const me = await createLoggedInUser({ username: "exporter", email: "exporter@example.test" });
    const other = await createUser({ username: "someoneelse" });
    const admin = await createUser({ role: "admin" });
    const round = await createRound({ phase: "submissions" });
    const mine = await createSubmission({
      round,
      designerId: me.user.id,
      title: "My Work",
      seed: 960,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    const theirs = await createSubmission({
      round,
      designerId: other.id,
      title: "Their Work",
      seed: 961,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    await createBallot({ roundId: round.id, submissionId: theirs, voterId: me.user.id, score: 4 });
    await createBallot({ roundId: round.id, submissionId: mine, voterId: other.id, score: 1 });
    await addComment({ subject: { kind: "submission", id: theirs }, authorId: me.user.id, body: "Nice linework" });
    const { updateProfile } = await import("~/domain/profiles.server");
    const { saveNotificationPrefs } = await import("~/domain/notifications.server");
    await updateProfile(me.user.id, {
      displayName: "Ex Porter",
      bio: "I export things",
      links: ["https://exporter.example"],
    });
    await saveNotificationPrefs(me.user.id, { comment_on_design: { email: true } });
    await addComment({ subject: { kind: "submission", id: mine }, authorId: other.id, body: "Thanks!" });

    const response = (await loader({
      request: getRequest("/account/export.json", { cookie: me.cookie }),
      params: {},
      context: context(),
    })) as Response;
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="crowdthread-exporter.json"');
    const text = await response.text();
    const data = JSON.parse(text);
    expect(data.account).toMatchObject({
      username: "exporter",
      email: "exporter@example.test",
      displayName: "Ex Porter",
      bio: "I export things",
      links: ["https://exporter.example"],
      notificationPreferences: { comment_on_design: { email: true } },
    });
    expect(data.designs.map((d: { title: string }) => d.title)).toEqual(["My Work"]);
    expect(data.ballots).toEqual([expect.objectContaining({ submissionId: theirs, score: 4 })]);
    expect(data.comments).toEqual([expect.objectContaining({ body: "Nice linework" })]);
    expect(data.email).toEqual([
      expect.objectContaining({ to: "exporter@example.test", category: "comment_on_design", status: "pending" }),
    ]);
    expect(data.notifications.map((n: { kind: string }) => n.kind)).toContain("submission_approved");
    expect(data.devices).toHaveLength(1);
    // No secrets, no one else's ballots or private print masters.
    expect(text).not.toMatch(/argon2|password|secret_?hash|private\//i);
    expect(text).not.toContain('"score": 1');

    expect(
      (await settle(() => loader({ request: getRequest("/account/export.json"), params: {}, context: context() })))
        .status,
    ).toBe(302);
  });
});
