import { formatDateTime } from "~/lib/format";

/**
 * Why a new account's score buttons are switched off, and until when: the
 * time scoresCountFrom (app/domain/voting.server.ts) works out, the rule's
 * one owner. Shown by the vote page and a design's page alike.
 */
export function NewAccountNotice({ countsFrom, className = "" }: { countsFrom: string; className?: string }) {
  return (
    <p
      className={`rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 ${className}`}
      data-testid="scores-count-from"
    >
      <span className="font-semibold">Your account is new.</span> You can score designs from{" "}
      <time dateTime={countsFrom} className="font-semibold">
        {formatDateTime(countsFrom)} UTC
      </time>
      <span className="hidden sm:inline">, a day after you signed up: it keeps the vote fair</span>. Until then, have a
      look around.
    </p>
  );
}
