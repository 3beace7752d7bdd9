/**
 * `npm run results:verify -- <round-slug | path/to/ballots.csv>`: recomputes a
 * finalized round's ranking from its public ballots CSV and published rule,
 * design by design. Exit code 0 when everything matches, 1 when anything
 * differs, 2 when it could not check. See app/domain/results-verify.server.ts.
 */
import { verifyCommand } from "~/domain/results-verify.server";

const code = await verifyCommand(process.argv.slice(2), (line) => console.log(line));
process.exit(code);
