import sharp from "sharp";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "#db/schema";
import { artworkJpeg, artworkPng } from "#tests/factories/artwork";
import { SVG, TEXT, truncatedPng } from "#tests/factories/bad-files";
import { createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle, uploadRequest } from "#tests/support/requests";
import { storedFiles } from "#tests/support/storage";
import { db } from "~/lib/db.server";
import { loader as profileLoader } from "~/routes/designers.$username";
import { action as settingsAction, loader as settingsLoader } from "~/routes/settings";

const save = (cookie: string, fields: Record<string, string>) =>
  settle(() =>
    settingsAction({ request: formRequest("/settings", fields, { cookie }), params: {}, context: context() }),
  );
const upload = (cookie: string, bytes: Buffer) =>
  settle(() =>
    settingsAction({
      request: uploadRequest("/settings", { intent: "avatar" }, { bytes, field: "avatar", name: "me.png" }, { cookie }),
      params: {},
      context: context(),
    }),
  );
const profile = (username: string) =>
  settle(() =>
    profileLoader({ request: getRequest(`/designers/${username}`), params: { username }, context: context() }),
  );

describe("profiles and the settings page", () => {
  it("saves display name, bio and links, and the profile shows them", async () => {
    const me = await createLoggedInUser({ username: "inkwell" });
    const saved = await save(me.cookie, {
      intent: "profile",
      displayName: "Ink Well",
      bio: "I draw **birds**.",
      links: "https://inkwell.example\n\nhttp://shop.example/inkwell",
    });
    expect(saved.status).toBe(302);
    const [row] = await db.select().from(users).where(eq(users.id, me.user.id));
    expect(row).toMatchObject({
      displayName: "Ink Well",
      bio: "I draw **birds**.",
      links: ["https://inkwell.example", "http://shop.example/inkwell"],
    });
    const page = await profile("inkwell");
    expect(page.data.designer).toMatchObject({
      displayName: "Ink Well",
      links: ["https://inkwell.example", "http://shop.example/inkwell"],
    });
    expect(page.data.designer.bioHtml).toContain("<strong>birds</strong>");
  });

  it("refuses script links, too many links and an overlong bio, changing nothing", async () => {
    const me = await createLoggedInUser();
    const bad = await save(me.cookie, { intent: "profile", bio: "ok", links: "javascript:alert(1)" });
    expect(bad.status).toBe(400);
    expect(bad.data.result.error.links?.join(" ") ?? JSON.stringify(bad.data.result.error)).toMatch(/https:\/\//);
    expect(
      (
        await save(me.cookie, {
          intent: "profile",
          links: Array.from({ length: 6 }, (_, i) => `https://e${i}.example`).join("\n"),
        })
      ).status,
    ).toBe(400);
    expect((await save(me.cookie, { intent: "profile", bio: "x".repeat(1001) })).status).toBe(400);
    const [row] = await db.select().from(users).where(eq(users.id, me.user.id));
    expect(row).toMatchObject({ bio: "", links: [] });
  });

  it("renders an XSS attempt in a bio inert", async () => {
    const me = await createLoggedInUser({ username: "mallory" });
    const bio = [
      "<script>alert('bio')</script>",
      '<img src=x onerror="alert(1)">',
      "[click](javascript:alert(2))",
      '<a href="#" onclick="alert(3)">x</a>',
      "![pic](https://evil.example/x.png)",
    ].join("\n\n");
    expect((await save(me.cookie, { intent: "profile", bio })).status).toBe(302);
    const html: string = (await profile("mallory")).data.designer.bioHtml;
    expect(html).not.toMatch(/<(script|img)\b/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain("&lt;script&gt;");
  });

  it("takes an avatar through the image pipeline: square WebP without metadata; replacing it removes the old files", async () => {
    const me = await createLoggedInUser({ username: "facey" });
    const before = storedFiles().size;
    expect((await upload(me.cookie, await artworkJpeg({ seed: 5, width: 900, height: 600 }))).status).toBe(302);
    const [row] = await db.select({ avatar: users.avatar }).from(users).where(eq(users.id, me.user.id));
    const files = storedFiles();
    expect(files.size).toBe(before + 2);
    const large = files.get(row!.avatar!.large)!;
    const meta = await sharp(large).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 256, height: 256 });
    expect(meta.exif).toBeUndefined();
    expect((await sharp(files.get(row!.avatar!.small)!).metadata()).width).toBe(64);
    expect((await profile("facey")).data.designer.avatarUrl).toBe(
      `/images/${row!.avatar!.large.slice("public/".length)}`,
    );

    expect((await upload(me.cookie, await artworkPng({ seed: 6, width: 300, height: 300 }))).status).toBe(302);
    const after = storedFiles();
    expect(after.size).toBe(before + 2);
    expect(after.has(row!.avatar!.large)).toBe(false);

    expect((await save(me.cookie, { intent: "remove-avatar" })).status).toBe(302);
    expect(storedFiles().size).toBe(before);
    expect(
      (await db.select({ avatar: users.avatar }).from(users).where(eq(users.id, me.user.id)))[0]!.avatar,
    ).toBeNull();
  });

  it("refuses a broken, tiny or non-image avatar with a message and stores nothing", async () => {
    const me = await createLoggedInUser();
    const before = storedFiles().size;
    for (const [bytes, message] of [
      [TEXT, /not an image/],
      [SVG, /SVG/],
      [await truncatedPng(), /damaged|incomplete/],
      [await artworkPng({ seed: 7, width: 100, height: 100 }), /at least 128 × 128/],
    ] as const) {
      const refused = await upload(me.cookie, bytes);
      expect(refused.status).toBe(400);
      expect(refused.data.avatarError).toMatch(message);
    }
    expect(storedFiles().size).toBe(before);
    expect(
      (await db.select({ avatar: users.avatar }).from(users).where(eq(users.id, me.user.id)))[0]!.avatar,
    ).toBeNull();
  });

  it("saves notification preferences from the settings form", async () => {
    const me = await createLoggedInUser();
    expect(
      (
        await save(me.cookie, {
          intent: "notifications",
          "inApp:design_won": "on",
          "email:design_won": "on",
          "email:comment_reply": "on",
        })
      ).status,
    ).toBe(302);
    const page = await settle(() =>
      settingsLoader({ request: getRequest("/settings", { cookie: me.cookie }), params: {}, context: context() }),
    );
    const byKind = Object.fromEntries(
      page.data.kinds.map((k: { kind: string; inApp: boolean; email: boolean }) => [
        k.kind,
        { inApp: k.inApp, email: k.email },
      ]),
    );
    expect(byKind.design_won).toEqual({ inApp: true, email: true });
    expect(byKind.comment_reply).toEqual({ inApp: false, email: true });
    expect(byKind.new_design).toEqual({ inApp: false, email: false });
  });

  it("lists wins and shop products on the profile", async () => {
    const { finalizeRound } = await import("~/domain/finalize.server");
    const { createBallot } = await import("#tests/factories/index");
    const { rounds } = await import("#db/schema");
    const admin = await createUser({ role: "admin" });
    const champ = await createLoggedInUser({ username: "champ" });
    const designer = champ.user;
    const round = await createRound({
      phase: "submissions",
      minVotes: 1,
      voterMinScored: 1,
      winnersCount: 1,
      title: "Cup",
    });
    const id = await createSubmission({
      round,
      designerId: designer.id,
      title: "Trophy",
      seed: 981,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    await createBallot({ roundId: round.id, submissionId: id, voterId: admin.id, score: 5 });
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));
    await finalizeRound(round.id);
    const page = await profile("champ");
    expect(page.data.wins.items).toMatchObject([{ id, title: "Trophy", caption: "#1 in Cup" }]);
    expect(page.data.shop.map((p: { type: string }) => p.type).sort()).toEqual(["poster", "tee"]);
    const { loader: mine } = await import("~/routes/account_.submissions");
    const own = await settle(() =>
      mine({ request: getRequest("/account/submissions", { cookie: champ.cookie }), params: {}, context: context() }),
    );
    expect(own.data.items.items).toMatchObject([{ id, won: true, rank: 1 }]);
  });

  it("settings need a logged-in member", async () => {
    const anonymous = await settle(() =>
      settingsLoader({ request: getRequest("/settings"), params: {}, context: context() }),
    );
    expect(anonymous.status).toBe(302);
    expect(anonymous.response!.headers.get("Location")).toMatch(/^\/login/);
  });
});
