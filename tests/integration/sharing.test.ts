import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rounds } from "#db/schema";
import { createBallot, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, getRequest, settle } from "#tests/support/requests";
import { finalizeRound } from "~/domain/finalize.server";
import { db } from "~/lib/db.server";
import { loader as imageLoader } from "~/routes/images.$";
import { loader as roundFeed } from "~/routes/rounds.$slug_.feed[.]xml";
import { loader as productLoader } from "~/routes/shop.$productId";
import { loader as shopFeed } from "~/routes/shop.feed[.]xml";
import { loader as submissionLoader } from "~/routes/submissions.$id";

async function finalizedRound() {
  const round = await createRound({
    phase: "submissions",
    minVotes: 1,
    voterMinScored: 1,
    winnersCount: 1,
    title: "Salt & Pepper",
  });
  const admin = await createUser({ role: "admin" });
  const designer = await createUser({ username: "sharer" });
  const id = await createSubmission({
    round,
    designerId: designer.id,
    title: "Shaker <Twins>",
    seed: 950,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  await createBallot({ roundId: round.id, submissionId: id, voterId: admin.id, score: 5 });
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
    .where(eq(rounds.id, round.id));
  await finalizeRound(round.id);
  return { round, id };
}

describe("sharing", () => {
  it("gives approved designs and products share tags with the 1200×630 image", async () => {
    const { id } = await finalizedRound();
    const page = await settle(() =>
      submissionLoader({ request: getRequest(`/submissions/${id}`), params: { id }, context: context() }),
    );
    expect(page.data.share).toMatchObject({
      title: "Shaker <Twins> by @sharer",
      url: `http://localhost:3000/submissions/${id}`,
    });
    expect(page.data.share.imageUrl).toMatch(/^http:\/\/localhost:3000\/images\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
    // The image it points at is served.
    const splat = page.data.share.imageUrl.split("/images/")[1];
    const image = (await imageLoader({
      request: getRequest(`/images/${splat}`),
      params: { "*": splat },
      context: context(),
    })) as Response;
    expect(image.status).toBe(200);
    expect(image.headers.get("Content-Type")).toBe("image/jpeg");

    const { listProducts } = await import("~/domain/shop.server");
    const [product] = (await listProducts()).items;
    const productPage = await settle(() =>
      productLoader({
        request: getRequest(`/shop/${product!.id}`),
        params: { productId: product!.id },
        context: context(),
      }),
    );
    expect(productPage.data.share.imageUrl).toBe(page.data.share.imageUrl);
    expect(productPage.data.share.title).toMatch(/^Shaker <Twins> (T-shirt|Poster) by @sharer$/);
  });

  it("publishes Atom feeds for a round and the shop", async () => {
    const { round, id } = await finalizedRound();
    const feed = (await roundFeed({
      request: getRequest(`/rounds/${round.slug}/feed.xml`),
      params: { slug: round.slug },
      context: context(),
    })) as Response;
    expect(feed.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await feed.text();
    expect(xml).toContain("<title>Salt &amp; Pepper · Crowdthread</title>");
    expect(xml).toContain(`<id>http://localhost:3000/submissions/${id}</id>`);
    expect(xml).toContain("<title>Shaker &lt;Twins&gt;</title>");
    const shop = await (
      (await shopFeed({ request: getRequest("/shop/feed.xml"), params: {}, context: context() })) as Response
    ).text();
    expect(shop.match(/<entry>/g)).toHaveLength(2);
    expect(shop).toContain("T-shirt");
    expect(
      (await settle(() => roundFeed({ request: getRequest("/"), params: { slug: "nope" }, context: context() })))
        .status,
    ).toBe(404);
  });
});
