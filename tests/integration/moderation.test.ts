import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, rounds, submissions } from "#db/schema";
import { createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { storedFiles } from "#tests/support/storage";
import { db } from "~/lib/db.server";
import { action as moderationAction, loader as moderationLoader } from "~/routes/admin.moderation";
import { loader as imageLoader } from "~/routes/images.$";
import { loader as roundLoader } from "~/routes/rounds.$slug";
import { action as submissionAction, loader as submissionLoader } from "~/routes/submissions.$id";
import { action as editAction } from "~/routes/submissions.$id_.edit";

async function pendingSubmission(options: { phase?: "submissions" | "voting" } = {}) {
  const round = await createRound({ phase: "submissions" });
  const designer = await createLoggedInUser();
  const id = await createSubmission({ round, designerId: designer.user.id, title: "Pending piece" });
  if (options.phase === "voting") {
    const past = new Date(Date.now() - 60_000);
    await db.update(rounds).set({ votingOpensAt: past }).where(eq(rounds.id, round.id));
  }
  return { round, designer, id };
}

const moderate = (cookie: string, fields: Record<string, string>) =>
  settle(() =>
    moderationAction({ request: formRequest("/admin/moderation", fields, { cookie }), params: {}, context: context() }),
  );

describe("moderation queue", () => {
  it("shows pending submissions with their near-duplicates side by side", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const round = await createRound({ phase: "submissions" });
    const a = await createUser();
    const b = await createUser();
    await createSubmission({ round, designerId: a.id, title: "Original", seed: 40 });
    await createSubmission({ round, designerId: b.id, title: "Lookalike", seed: 40 });
    const result = await settle(() =>
      moderationLoader({
        request: getRequest("/admin/moderation", { cookie: admin.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(result.data.queue.items.map((s: { title: string }) => s.title)).toEqual(["Original", "Lookalike"]);
    const lookalike = result.data.queue.items[1];
    expect(lookalike.nearDuplicates).toHaveLength(1);
    expect(lookalike.nearDuplicates[0]).toMatchObject({
      earlierTitle: "Original",
      distance: 0,
      earlierDesigner: a.username,
    });
    // The private print master never reaches the page.
    expect(JSON.stringify(result.data)).not.toContain("private/");
  });

  it("approves, with an audit record, and the design appears on the round page", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const { round, id } = await pendingSubmission();
    const before = await settle(() =>
      roundLoader({ request: getRequest(`/rounds/${round.slug}`), params: { slug: round.slug }, context: context() }),
    );
    expect(before.data.submissions.items).toHaveLength(0);

    const result = await moderate(admin.cookie, { intent: "approve", submissionId: id });
    expect(result.status).toBe(302);
    const [row] = await db.select().from(submissions).where(eq(submissions.id, id));
    expect(row).toMatchObject({ status: "approved", moderatedById: admin.user.id, rejectionReason: null });
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, "submission.approved")));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorId).toBe(admin.user.id);

    const after = await settle(() =>
      roundLoader({ request: getRequest(`/rounds/${round.slug}`), params: { slug: round.slug }, context: context() }),
    );
    expect(after.data.submissions.items.map((s: { id: string }) => s.id)).toEqual([id]);
  });

  it("requires a reason to reject and shows it to the designer", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const { designer, id } = await pendingSubmission();
    const noReason = await moderate(admin.cookie, { intent: "reject", submissionId: id, reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual(["Say why the design is rejected; the designer will see it"]);
    expect((await db.select().from(submissions).where(eq(submissions.id, id)))[0]!.status).toBe("pending");

    // The first post only asks, naming the design, its designer and the reason they will read.
    const asked = await moderate(admin.cookie, {
      intent: "reject",
      submissionId: id,
      reason: "Traced from a stock photo",
    });
    expect(asked.status).toBe(200);
    expect(asked.data.confirm).toMatchObject({
      intent: "reject",
      question: expect.stringMatching(
        /^Reject “.+” by @.+ from .+\? It leaves the queue for good, and the designer is told why: “Traced from a stock photo”\.$/,
      ),
      fields: { submissionId: id, reason: "Traced from a stock photo" },
    });
    expect((await db.select().from(submissions).where(eq(submissions.id, id)))[0]!.status).toBe("pending");
    // A confirmation for another submission does not reject this one.
    const forged = await moderate(admin.cookie, {
      intent: "reject",
      submissionId: id,
      reason: "Traced from a stock photo",
      confirmed: "reject:00000000-0000-4000-8000-000000000000",
    });
    expect(forged.status).toBe(200);
    expect((await db.select().from(submissions).where(eq(submissions.id, id)))[0]!.status).toBe("pending");

    const rejected = await moderate(admin.cookie, {
      intent: "reject",
      submissionId: id,
      reason: "Traced from a stock photo",
      confirmed: asked.data.confirm.token,
    });
    expect(rejected.status).toBe(302);
    const [row] = await db.select().from(submissions).where(eq(submissions.id, id));
    expect(row).toMatchObject({ status: "rejected", rejectionReason: "Traced from a stock photo" });
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, "submission.rejected")));
    expect(audit!.detail).toMatchObject({ reason: "Traced from a stock photo" });

    const seen = await settle(() =>
      submissionLoader({
        request: getRequest(`/submissions/${id}`, { cookie: designer.cookie }),
        params: { id },
        context: context(),
      }),
    );
    expect(seen.data.submission).toMatchObject({ status: "rejected", rejectionReason: "Traced from a stock photo" });
  });

  it("decides each submission once, even if two admins click", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const other = await createLoggedInUser({ role: "admin" });
    const { id } = await pendingSubmission();
    const [one, two] = await Promise.all([
      moderate(admin.cookie, { intent: "approve", submissionId: id }),
      moderate(other.cookie, {
        intent: "reject",
        submissionId: id,
        reason: "Off brief entirely",
        confirmed: `reject:${id}`,
      }),
    ]);
    expect([one.status, two.status]).toEqual([302, 302]);
    const decisions = await db.select().from(auditLog).where(eq(auditLog.subjectId, id));
    expect(decisions.filter((d) => d.action !== "submission.submitted")).toHaveLength(1);
  });

  it("refuses members: 403, nothing changed", async () => {
    const member = await createLoggedInUser();
    const { id } = await pendingSubmission();
    const result = await moderate(member.cookie, { intent: "approve", submissionId: id });
    expect(result.status).toBe(403);
    expect((await db.select().from(submissions).where(eq(submissions.id, id)))[0]!.status).toBe("pending");
    const page = await settle(() =>
      moderationLoader({
        request: getRequest("/admin/moderation", { cookie: member.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(page.status).toBe(403);
  });
});

describe("designers and their submissions", () => {
  it("keeps a pending design private to its designer and admins", async () => {
    const { id, designer } = await pendingSubmission();
    const stranger = await createLoggedInUser();
    const admin = await createLoggedInUser({ role: "admin" });
    const view = (cookie?: string) =>
      settle(() =>
        submissionLoader({ request: getRequest(`/submissions/${id}`, { cookie }), params: { id }, context: context() }),
      );
    expect((await view()).status).toBe(404);
    expect((await view(stranger.cookie)).status).toBe(404);
    expect((await view(designer.cookie)).status).toBe(200);
    expect((await view(admin.cookie)).status).toBe(200);
  });

  it("lets the designer edit title and description, nobody else", async () => {
    const { id, designer } = await pendingSubmission();
    const stranger = await createLoggedInUser();
    const edit = (cookie: string, fields: Record<string, string>) =>
      settle(() =>
        editAction({
          request: formRequest(`/submissions/${id}/edit`, fields, { cookie }),
          params: { id },
          context: context(),
        }),
      );
    expect((await edit(stranger.cookie, { title: "Hijacked", description: "" })).status).toBe(404);
    expect((await edit(designer.cookie, { title: "", description: "" })).status).toBe(400);
    expect((await edit(designer.cookie, { title: "Better title", description: "Now with a story." })).status).toBe(302);
    const [row] = await db.select().from(submissions).where(eq(submissions.id, id));
    expect(row).toMatchObject({ title: "Better title", description: "Now with a story." });
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, "submission.edited"))),
    ).toHaveLength(1);
  });

  it("lets the designer withdraw before voting starts", async () => {
    const { id, designer } = await pendingSubmission();
    const result = await settle(() =>
      submissionAction({
        request: formRequest(`/submissions/${id}`, { intent: "withdraw" }, { cookie: designer.cookie }),
        params: { id },
        context: context(),
      }),
    );
    expect(result.status).toBe(302);
    const [row] = await db.select().from(submissions).where(eq(submissions.id, id));
    expect(row!.status).toBe("withdrawn");
    expect(row!.withdrawnAt).toBeInstanceOf(Date);
  });

  it("refuses a withdrawal once voting has started", async () => {
    const { id, designer } = await pendingSubmission({ phase: "voting" });
    const result = await settle(() =>
      submissionAction({
        request: formRequest(`/submissions/${id}`, { intent: "withdraw" }, { cookie: designer.cookie }),
        params: { id },
        context: context(),
      }),
    );
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toBe(`/submissions/${id}`);
    expect((await db.select().from(submissions).where(eq(submissions.id, id)))[0]!.status).toBe("pending");
  });

  it("refuses a withdrawal by someone else", async () => {
    const { id } = await pendingSubmission();
    const stranger = await createLoggedInUser();
    const result = await settle(() =>
      submissionAction({
        request: formRequest(`/submissions/${id}`, { intent: "withdraw" }, { cookie: stranger.cookie }),
        params: { id },
        context: context(),
      }),
    );
    expect(result.status).toBe(404);
    expect((await db.select().from(submissions).where(eq(submissions.id, id)))[0]!.status).toBe("pending");
  });
});

describe("the image route", () => {
  it("serves public images with immutable caching and an ETag; masters never", async () => {
    const { id } = await pendingSubmission();
    const [row] = await db.select().from(submissions).where(eq(submissions.id, id));
    const key = row!.images.preview.webp;
    const splat = key.slice("public/".length);
    const response = (await imageLoader({
      request: getRequest(`/images/${splat}`),
      params: { "*": splat },
      context: context(),
    })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("image/webp");
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const etag = response.headers.get("ETag")!;
    expect(Buffer.from(await response.arrayBuffer()).equals(storedFiles().get(key)!)).toBe(true);

    const again = new Request(`http://localhost:3000/images/${splat}`, { headers: { "If-None-Match": etag } });
    const notModified = (await imageLoader({ request: again, params: { "*": splat }, context: context() })) as Response;
    expect(notModified.status).toBe(304);

    const master = row!.images.master;
    for (const attempt of [master, master.replace(/^private\//, ""), `../${master}`]) {
      const result = await settle(() =>
        imageLoader({ request: getRequest(`/images/${attempt}`), params: { "*": attempt }, context: context() }),
      );
      expect(result.status).toBe(404);
    }
  });
});
