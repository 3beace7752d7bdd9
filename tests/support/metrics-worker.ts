/**
 * A cluster worker for tests/unit/metrics-cluster.test.ts: one counter in a
 * registry of its own, offered to the primary as the app's workers do.
 */
import { Counter, Registry } from "prom-client";
import { offerToPrimary, workersMetrics } from "../../app/lib/metrics-cluster.server";

const registry = new Registry();
const hits = new Counter({ name: "test_hits_total", help: "Hits this worker was told about", registers: [registry] });
offerToPrimary(registry);

process.on("message", (message: { type?: string; n?: number }) => {
  if (message.type === "test:hit") {
    hits.inc(message.n);
    process.send!({ type: "test:counted" });
  }
  if (message.type === "test:scrape") {
    void workersMetrics().then((body) => process.send!({ type: "test:scraped", body }));
  }
});
process.send!({ type: "test:ready" });
