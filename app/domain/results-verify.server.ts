/**
 * `npm run results:verify -- <round-slug | path/to/ballots.csv>`: the
 * command's work, callable from a test. A slug is read through the same
 * streams the site publishes (the ballots CSV and the results file, from the
 * database in DATABASE_URL, or from a running site with --site <origin>); a
 * file needs its results file beside it (`<name>-results.json` for
 * `<name>-ballots.csv`) or named with --results <path>.
 */
import { createReadStream, existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebStream } from "node:stream/web";
import { BallotsCsvReader, formatVerification, verifyRound, type PublishedResults } from "./verification";

export const VERIFY_USAGE =
  "Usage: npm run results:verify -- <round-slug | path/to/ballots.csv> [--results path/to/results.json] [--site https://…] [--mismatches-only]";

async function readLines(stream: NodeJS.ReadableStream, reader: BallotsCsvReader) {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) reader.push(line);
}

async function jsonOf(stream: ReadableStream<Uint8Array>) {
  return JSON.parse(await new Response(stream).text()) as PublishedResults;
}

/** Runs the command; returns its exit code (0 match, 1 mismatch, 2 could not check). */
export async function verifyCommand(args: string[], print: (line: string) => void): Promise<number> {
  const positional = args.filter((a, i) => !a.startsWith("--") && !["--results", "--site"].includes(args[i - 1]!));
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const target = positional[0];
  if (!target || positional.length > 1) {
    print(VERIFY_USAGE);
    return 2;
  }
  const reader = new BallotsCsvReader();
  let published: PublishedResults;
  if (target.endsWith(".csv")) {
    const resultsPath = option("--results") ?? target.replace(/(-ballots)?\.csv$/, "-results.json");
    if (!existsSync(target) || !existsSync(resultsPath)) {
      print(`Cannot read ${existsSync(target) ? resultsPath : target}. ${VERIFY_USAGE}`);
      return 2;
    }
    published = JSON.parse(await readFile(resultsPath, "utf8")) as PublishedResults;
    await readLines(createReadStream(target), reader);
  } else if (option("--site")) {
    const origin = option("--site")!.replace(/\/$/, "");
    const [csv, results] = await Promise.all([
      fetch(`${origin}/rounds/${encodeURIComponent(target)}/ballots.csv`),
      fetch(`${origin}/rounds/${encodeURIComponent(target)}/results.json`),
    ]);
    if (!csv.ok || !results.ok || !csv.body) {
      print(`The site has no published results for "${target}" (HTTP ${csv.status}, ${results.status}).`);
      return 2;
    }
    published = (await results.json()) as PublishedResults;
    await readLines(Readable.fromWeb(csv.body as WebStream), reader);
  } else {
    const { ballotsCsvStream, findFinalizedRound, publishedResultsStream } = await import("./results.server");
    const round = await findFinalizedRound(target);
    if (!round) {
      print(`There is no finalized round "${target}".`);
      return 2;
    }
    published = await jsonOf(publishedResultsStream(round));
    await readLines(Readable.fromWeb(ballotsCsvStream(round) as WebStream<Uint8Array>), reader);
  }
  const verification = verifyRound(reader, published);
  print(formatVerification(verification, published, { onlyMismatches: args.includes("--mismatches-only") }));
  return verification.matches ? 0 : 1;
}
