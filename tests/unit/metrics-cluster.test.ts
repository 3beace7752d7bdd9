import cluster, { type Worker } from "node:cluster";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aggregateWorkerMetrics } from "~/lib/metrics-cluster.server";

const workers: Worker[] = [];

afterAll(() => {
  for (const worker of workers) worker.kill();
});

/** The next message of a given type from a worker. */
function next(worker: Worker, type: string): Promise<{ type: string; body?: string }> {
  return new Promise((resolve) => {
    const listen = (message: { type: string; body?: string }) => {
      if (message.type !== type) return;
      worker.off("message", listen);
      resolve(message);
    };
    worker.on("message", listen);
  });
}

describe("metrics with several workers", () => {
  it("answers a scrape of one worker with the sum of every worker's counters", async () => {
    aggregateWorkerMetrics();
    cluster.setupPrimary({
      exec: path.resolve("tests/support/metrics-worker.ts"),
      execArgv: ["--import", "tsx"],
      silent: false,
    });
    for (let i = 0; i < 2; i++) {
      const worker = cluster.fork();
      workers.push(worker);
      await next(worker, "test:ready");
    }
    const [first, second] = workers as [Worker, Worker];
    first.send({ type: "test:hit", n: 3 });
    await next(first, "test:counted");
    second.send({ type: "test:hit", n: 4 });
    await next(second, "test:counted");

    for (const worker of workers) {
      const scraped = next(worker, "test:scraped");
      worker.send({ type: "test:scrape" });
      expect((await scraped).body).toMatch(/^test_hits_total 7$/m);
    }
  }, 30_000);
});
