import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { comments, notifications, rounds, submissions } from "#db/schema";
import { createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle, toastFrom } from "#tests/support/requests";
import { editComment } from "~/domain/comments.server";
import { db } from "~/lib/db.server";
import { action, loader } from "~/routes/submissions.$id";

async function approvedDesign() {
  const round = await createRound({ phase: "submissions" });
  const admin = await createUser({ role: "admin" });
  const designer = await createLoggedInUser({ username: "painter" });
  const id = await createSubmission({
    round,
    designerId: designer.user.id,
    title: "Blue Hour",
    seed: 990,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  return { id, designer };
}

const post = (id: string, cookie: string, fields: Record<string, string>) =>
  settle(() =>
    action({ request: formRequest(`/submissions/${id}`, fields, { cookie }), params: { id }, context: context() }),
  );
const view = (id: string, cookie?: string) =>
  settle(() => loader({ request: getRequest(`/submissions/${id}`, { cookie }), params: { id }, context: context() }));

describe("comments and their notifications", () => {
  it("tells the designer of a comment and the commenter of the reply, never oneself", async () => {
    const { id, designer } = await approvedDesign();
    const critic = await createLoggedInUser({ username: "critic" });
    await post(id, critic.cookie, { intent: "comment", body: "Love the **gradient**; the title text feels cramped." });
    const [top] = await db.select().from(comments);
    // The designer's comment notifications (they also had one for the approval).
    const commentNotes = () =>
      db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, designer.user.id), like(notifications.kind, "comment%")));
    let mine = await commentNotes();
    expect(mine).toMatchObject([
      { kind: "comment_on_design", title: 'New comment on "Blue Hour"', url: `/submissions/${id}#comment-${top!.id}` },
    ]);

    await post(id, designer.cookie, { intent: "comment", body: "Thanks! I'll give it more room.", parentId: top!.id });
    expect(await db.select().from(notifications).where(eq(notifications.userId, critic.user.id))).toMatchObject([
      { kind: "comment_reply" },
    ]);
    // The designer replying on their own design is not told about it.
    mine = await commentNotes();
    expect(mine).toHaveLength(1);

    const page = await view(id);
    expect(page.data.comments.items).toHaveLength(1);
    expect(page.data.comments.items[0]).toMatchObject({ author: "critic" });
    expect(page.data.comments.items[0].html).toContain("<strong>gradient</strong>");
    expect(page.data.comments.items[0].replies).toMatchObject([{ author: "painter" }]);
  });

  it("renders attempts at script inert", async () => {
    const { id } = await approvedDesign();
    const member = await createLoggedInUser();
    await post(id, member.cookie, {
      intent: "comment",
      body: "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) ![i](https://e.x/i.png) # Heading",
    });
    const html: string = (await view(id)).data.comments.items[0].html;
    // Inert means no live tag or attribute: the text may mention them, escaped.
    expect(html).not.toMatch(/<script|<img|<[^>]*\sonerror=|href="javascript:|<h1/);
    expect(html).toContain("&lt;script&gt;");
  });

  it("allows edits for 15 minutes, deletion by the author, hiding by moderators only", async () => {
    const { id } = await approvedDesign();
    const member = await createLoggedInUser();
    const stranger = await createLoggedInUser();
    await post(id, member.cookie, { intent: "comment", body: "First thought" });
    const [c] = await db.select().from(comments);
    await post(id, member.cookie, { intent: "edit-comment", commentId: c!.id, body: "Second thought" });
    expect((await db.select().from(comments))[0]).toMatchObject({ body: "Second thought" });
    expect(await editComment(c!.id, member.user.id, "Too late", new Date(Date.now() + 16 * 60 * 1000))).toMatchObject({
      ok: false,
      code: "conflict",
    });
    expect(
      (await toastFrom((await post(id, stranger.cookie, { intent: "delete-comment", commentId: c!.id })).response!))
        ?.kind,
    ).toBe("error");
    expect((await post(id, stranger.cookie, { intent: "hide-comment", commentId: c!.id, reason: "spam" })).status).toBe(
      403,
    );
    const admin = await createLoggedInUser({ role: "admin" });
    await post(id, admin.cookie, { intent: "hide-comment", commentId: c!.id, reason: "Off-topic advertising" });
    const hidden = (await view(id)).data.comments.items[0];
    expect(hidden).toMatchObject({ html: null, author: null, removedLabel: "Hidden by a moderator" });
  });

  it("keeps comments off designs that are not approved", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createUser();
    const id = await createSubmission({ round, designerId: designer.id, seed: 991 });
    const member = await createLoggedInUser();
    const result = await post(id, member.cookie, { intent: "comment", body: "Early bird" });
    expect((await toastFrom(result.response!))?.title).toBe("Comments are open on approved designs only.");
    expect(await db.select().from(comments)).toHaveLength(0);
  });
});

describe("critique wanted", () => {
  it("lists a design once its designer asks, with its comment count; only the designer can ask", async () => {
    const { id, designer } = await approvedDesign();
    const stranger = await createLoggedInUser();
    const { loader: critiqueLoader } = await import("~/routes/critique");
    const list = async () =>
      (await critiqueLoader({ request: getRequest("/critique"), params: {}, context: context() })).items.items;
    expect(await list()).toHaveLength(0);
    expect((await post(id, stranger.cookie, { intent: "critique", wanted: "true" })).status).toBe(404);
    expect(await list()).toHaveLength(0);
    await post(id, designer.cookie, { intent: "critique", wanted: "true" });
    await post(id, stranger.cookie, { intent: "comment", body: "Try a warmer palette." });
    expect(await list()).toMatchObject([{ id, title: "Blue Hour", commentCount: 1, designerUsername: "painter" }]);
    await post(id, designer.cookie, { intent: "critique", wanted: "false" });
    expect(await list()).toHaveLength(0);
  });
});

describe("comments on products", () => {
  it("threads on the product page, tells the designer and the person replied to, and still adds to the cart", async () => {
    const { finalizeRound } = await import("~/domain/finalize.server");
    const { createBallot } = await import("#tests/factories/index");
    const { products } = await import("#db/schema");
    const shop = await import("~/routes/shop.$productId");
    const admin = await createUser({ role: "admin" });
    const designer = await createLoggedInUser({ username: "printer" });
    const buyer = await createLoggedInUser({ username: "wearer" });
    const round = await createRound({ phase: "submissions", minVotes: 1, voterMinScored: 1, winnersCount: 1 });
    const id = await createSubmission({
      round,
      designerId: designer.user.id,
      title: "Comet",
      seed: 995,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    await createBallot({ roundId: round.id, submissionId: id, voterId: admin.id, score: 5 });
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));
    await finalizeRound(round.id);
    const [tee] = await db
      .select()
      .from(products)
      .where(and(eq(products.submissionId, id), eq(products.type, "tee")));
    const productId = tee!.id;
    const postOn = (cookie: string, fields: Record<string, string>) =>
      settle(() =>
        shop.action({
          request: formRequest(`/shop/${productId}`, fields, { cookie }),
          params: { productId },
          context: context(),
        }),
      );

    const posted = await postOn(buyer.cookie, {
      intent: "comment",
      body: "Print quality is *great*, runs a bit small.",
    });
    expect(posted.status).toBe(302);
    expect(posted.response!.headers.get("Location")).toBe(`/shop/${productId}`);
    const [top] = await db.select().from(comments).where(eq(comments.productId, productId));
    expect(top).toMatchObject({ submissionId: null, authorId: buyer.user.id });
    await postOn(designer.cookie, { intent: "comment", body: "Thanks — size up for a loose fit.", parentId: top!.id });

    const notes = async (userId: string) =>
      (
        await db
          .select()
          .from(notifications)
          .where(and(eq(notifications.userId, userId), like(notifications.kind, "comment%")))
      ).map((n) => [n.kind, n.title, n.url]);
    expect(await notes(designer.user.id)).toEqual([
      ["comment_on_design", 'New comment on the "Comet" tee', `/shop/${productId}#comment-${top!.id}`],
    ]);
    expect((await notes(buyer.user.id))[0]).toEqual(
      expect.arrayContaining(["comment_reply", 'New reply to your comment on the "Comet" tee']),
    );

    const page = await settle(() =>
      shop.loader({ request: getRequest(`/shop/${productId}`), params: { productId }, context: context() }),
    );
    expect(page.data.comments.items).toMatchObject([{ author: "wearer", replies: [{ author: "printer" }] }]);
    expect(page.data.comments.items[0].html).toContain("<em>great</em>");
    // The design's own thread is separate.
    expect((await view(id)).data.comments.items).toHaveLength(0);

    // A reply cannot be attached to another subject's comment.
    const stray = await post(id, buyer.cookie, { intent: "comment", body: "Cross-thread", parentId: top!.id });
    expect(await toastFrom(stray.response!)).toMatchObject({
      kind: "error",
      title: "The comment you replied to is gone.",
    });

    const { productVariants } = await import("#db/schema");
    const [variant] = await db.select().from(productVariants).where(eq(productVariants.productId, productId)).limit(1);
    expect((await postOn(buyer.cookie, { intent: "add-to-cart", variantId: variant!.id, quantity: "1" })).status).toBe(
      302,
    );
  });
});

describe("comments and ballots", () => {
  it("a voter's comment carries nothing of their ballot, for the designer or anyone else", async () => {
    const { createBallot } = await import("#tests/factories/index");
    const { id, designer } = await approvedDesign();
    const [{ roundId }] = (await db
      .select({ roundId: submissions.roundId })
      .from(submissions)
      .where(eq(submissions.id, id))) as [{ roundId: string }];
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(Date.now() - 3600_000) })
      .where(eq(rounds.id, roundId));
    const voter = await createLoggedInUser({ username: "voter" });
    await createBallot({ roundId, submissionId: id, voterId: voter.user.id, score: 1, wouldBuy: true });
    await post(id, voter.cookie, { intent: "comment", body: "Not for me, but well made." });
    for (const viewer of [designer.cookie, voter.cookie, undefined]) {
      const page = await view(id, viewer);
      const [comment] = page.data.comments.items;
      expect(Object.keys(comment).sort()).toEqual([
        "author",
        "canDelete",
        "canEdit",
        "canHide",
        "createdAt",
        "edited",
        "html",
        "id",
        "parentId",
        "removedLabel",
        "replies",
        "source",
      ]);
      expect(JSON.stringify(page.data.comments.items)).not.toMatch(/score|wouldBuy|ballot/i);
    }
  });
});
