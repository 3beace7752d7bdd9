import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { products, rounds, shippingZones, submissions, taxRates, users } from "#db/schema";
import { DEMO_ARTWORK_SIZE, DEMO_ROUNDS, numberWord, seedDemo } from "#db/seed";
import { roundPhase } from "~/domain/round-phase";
import { db } from "~/lib/db.server";
import { prepareDemoDatabase } from "../../scripts/demo-database";

const WORDS = Array.from({ length: 11 }, (_, n) => numberWord(n));
const asNumber = (word: string) => (WORDS.includes(word) ? WORDS.indexOf(word) : Number(word));

describe("the demo seed", () => {
  it("writes briefs that agree with each round's rules and phase, and seeds only once", async () => {
    expect(await seedDemo()).toEqual({ seeded: true, shipping: true });

    const seeded = await db.select().from(rounds);
    expect(seeded.map((r) => r.slug).sort()).toEqual(DEMO_ROUNDS.map((r) => r.slug).sort());
    for (const spec of DEMO_ROUNDS) {
      const round = seeded.find((r) => r.slug === spec.slug)!;
      const brief = round.brief;
      // The brief names the number of winners the rules make products of.
      const top = /the top (\w+) go into the shop/i.exec(brief);
      expect(top, `${spec.slug}: ${brief}`).not.toBeNull();
      expect(asNumber(top![1]!), spec.slug).toBe(round.winnersCount);
      const upTo = /up to (\w+) designs each/i.exec(brief);
      if (upTo) expect(asNumber(upTo[1]!), spec.slug).toBe(round.maxSubmissionsPerDesigner);
      const size = /at least (\d+) × (\d+) px/.exec(brief);
      if (size)
        expect([Number(size[1]), Number(size[2])], spec.slug).toEqual([round.minArtworkWidth, round.minArtworkHeight]);
      // The phase is read off the dates; a brief that named one would be wrong as soon as they pass.
      expect(brief, spec.slug).not.toMatch(/counted|counting|results|closes|is open|now open|ends/i);
      expect(roundPhase(round), spec.slug).toBe(spec.finalize ? "finalized" : spec.phase);

      const entries = await db
        .select({ title: submissions.title, width: submissions.artworkWidth, height: submissions.artworkHeight })
        .from(submissions)
        .where(eq(submissions.roundId, round.id));
      expect(entries.map((e) => e.title).sort(), spec.slug).toEqual(spec.designs.map((d) => d.title).sort());
      for (const entry of entries) {
        expect([entry.width, entry.height]).toEqual([DEMO_ARTWORK_SIZE, DEMO_ARTWORK_SIZE]);
        expect(entry.width).toBeGreaterThanOrEqual(round.minArtworkWidth);
      }
    }
    // The finalized round's winners are in the shop: a tee and a poster each.
    const retro = seeded.find((r) => r.slug === "retro-futures")!;
    const [made] = await db.select({ n: count() }).from(products).where(eq(products.roundId, retro.id));
    expect(made!.n).toBe(retro.winnersCount * 2);

    // A restart finds the accounts and adds nothing.
    const [before] = await db.select({ n: count() }).from(submissions);
    expect(await seedDemo()).toEqual({ seeded: false, shipping: false });
    const [after] = await db.select({ n: count() }).from(submissions);
    expect(after!.n).toBe(before!.n);
    const [members] = await db.select({ n: count() }).from(users);
    expect(members!.n).toBe(5);

    // The demo server's start: a seeded database with shipping zones is left as it is, quietly.
    const lines: string[] = [];
    expect(await prepareDemoDatabase((line) => lines.push(line))).toEqual({ seeded: false });
    expect(lines).toEqual([]);
    // One seeded before shipping existed gets the demo's zones and tax rates, once.
    await db.delete(shippingZones);
    await db.delete(taxRates);
    expect(await prepareDemoDatabase((line) => lines.push(line))).toEqual({ seeded: false });
    expect(lines).toEqual(["Added the demo's shipping zones and tax rates (the database had none)."]);
    const [zones] = await db.select({ n: count() }).from(shippingZones);
    expect(zones!.n).toBeGreaterThan(0);
    const [rates] = await db.select({ n: count() }).from(taxRates);
    expect(rates!.n).toBeGreaterThan(0);
    expect(await prepareDemoDatabase((line) => lines.push(line))).toEqual({ seeded: false });
    expect(lines).toHaveLength(1);
    // Eighteen uploads through the image pipeline: slow on a busy two-core machine.
  }, 240_000);
});
