import { describe, expect, it, afterEach } from "vitest";
import { reports } from "#db/schema";
import { createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle, toastFrom } from "#tests/support/requests";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { action as moderationAction, loader as moderationLoader } from "~/routes/admin.moderation";
import { action as reportAction } from "~/routes/report";

afterEach(() => {
  delete process.env.REPORTS_PER_HOUR;
  resetEnvCache();
});

async function design() {
  const round = await createRound({ phase: "submissions" });
  const admin = await createUser({ role: "admin" });
  const designer = await createUser();
  return createSubmission({
    round,
    designerId: designer.id,
    seed: 980,
    moderate: { adminId: admin.id, decision: "approved" },
  });
}

const report = (cookie: string | undefined, fields: Record<string, string>) =>
  settle(() =>
    reportAction({
      request: formRequest("/report", { redirectTo: "/somewhere", ...fields }, { cookie }),
      params: {},
      context: context(),
    }),
  );

describe("reports", () => {
  it("reach the moderation queue, where an admin closes them", async () => {
    const id = await design();
    const member = await createLoggedInUser({ username: "watchful" });
    const sent = await report(member.cookie, {
      subjectType: "submission",
      subjectId: id,
      reason: "plagiarism",
      note: "Traced from @someone's 2019 post",
    });
    expect(sent.response!.headers.get("Location")).toBe("/somewhere");
    expect((await toastFrom(sent.response!))?.title).toBe("Thank you — a moderator will look at it");

    const admin = await createLoggedInUser({ role: "admin" });
    const queue = await settle(() =>
      moderationLoader({
        request: getRequest("/admin/moderation", { cookie: admin.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(queue.data.reports.items).toMatchObject([
      {
        reason: "plagiarism",
        subjectType: "submission",
        reporter: "watchful",
        href: `/submissions/${id}`,
        note: "Traced from @someone's 2019 post",
      },
    ]);
    await settle(() =>
      moderationAction({
        request: formRequest(
          "/admin/moderation",
          { intent: "resolve-report", reportId: queue.data.reports.items[0].id },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect((await db.select().from(reports))[0]).toMatchObject({ status: "resolved", resolvedById: admin.user.id });
  });

  it("refuses visitors, unknown subjects and bad reasons; nothing is stored", async () => {
    const id = await design();
    const member = await createLoggedInUser();
    expect((await report(undefined, { subjectType: "submission", subjectId: id, reason: "spam" })).status).toBe(302);
    const unknown = await report(member.cookie, {
      subjectType: "comment",
      subjectId: "00000000-0000-4000-8000-000000000000",
      reason: "spam",
    });
    expect((await toastFrom(unknown.response!))?.description).toBe("There is nothing to report at that address.");
    expect(
      (
        await toastFrom(
          (await report(member.cookie, { subjectType: "submission", subjectId: id, reason: "boring" })).response!,
        )
      )?.title,
    ).toBe("Choose why you are reporting it");
    expect(
      (
        await report(member.cookie, {
          subjectType: "submission",
          subjectId: id,
          reason: "spam",
          redirectTo: "https://evil.example",
        })
      ).response!.headers.get("Location"),
    ).toBe("/");
    expect(await db.select().from(reports)).toHaveLength(1);
  });

  it("limits how many reports one member sends in an hour", async () => {
    process.env.REPORTS_PER_HOUR = "2";
    resetEnvCache();
    const id = await design();
    const member = await createLoggedInUser();
    for (let i = 0; i < 3; i++)
      await report(member.cookie, { subjectType: "submission", subjectId: id, reason: "spam" });
    expect(await db.select().from(reports)).toHaveLength(2);
  });
});
