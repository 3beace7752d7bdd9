import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";

/**
 * With WEB_CONCURRENCY > 1 a scrape reaches one worker while the numbers are
 * spread over all of them. So the worker asks the primary, which gathers every
 * worker's registry through prom-client's AggregatorRegistry (counters and
 * histograms summed; a metric may name another aggregator) and answers with
 * the whole. server.ts (the primary) imports this module too: it holds no app
 * state, only the message protocol.
 */
const ASK = "crowdthread:metrics-ask";
const ANSWER = "crowdthread:metrics-answer";

type Ask = { type: typeof ASK; id: number };
type Answer = { type: typeof ANSWER; id: number; body?: string; error?: string };

/** Primary: answers each worker's ask with all workers' metrics combined. */
export function aggregateWorkerMetrics() {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker: Worker, message: Partial<Ask> | undefined) => {
    if (message?.type !== ASK) return;
    const reply = (answer: Omit<Answer, "type" | "id">) => worker.send({ type: ANSWER, id: message.id, ...answer });
    aggregator.clusterMetrics().then(
      (body) => reply({ body }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

/** Worker: lets the primary read this registry when another worker is scraped. */
export function offerToPrimary(registry: Registry) {
  // The constructor installs prom-client's listener that answers the primary.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

let lastId = 0;

/** Worker: the metrics of every worker, in Prometheus's text format, through the primary. */
export function workersMetrics(): Promise<string> {
  const id = ++lastId;
  return new Promise((resolve, reject) => {
    const listen = (message: Partial<Answer> | undefined) => {
      if (message?.type !== ANSWER || message.id !== id) return;
      clearTimeout(timer);
      process.off("message", listen);
      if (message.body !== undefined) resolve(message.body);
      else reject(new Error(`Gathering the workers' metrics failed: ${message.error}`));
    };
    const timer = setTimeout(() => {
      process.off("message", listen);
      reject(new Error("Gathering the workers' metrics failed: the primary did not answer in 10 s"));
    }, 10_000);
    process.on("message", listen);
    process.send!({ type: ASK, id } satisfies Ask);
  });
}
