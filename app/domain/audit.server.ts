import { auditLog } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";

export type AuditEntry = {
  actorId: string | null;
  action: string;
  subjectType:
    "submission" | "round" | "user" | "order" | "comment" | "report" | "payout" | "shipping" | "proposal" | "settings";
  subjectId: string;
  detail?: Record<string, unknown>;
};

/** Written inside the caller's transaction, so a decision and its record stand or fall together. */
export async function recordAudit(tx: DbOrTx, entry: AuditEntry) {
  await tx.insert(auditLog).values({ ...entry, detail: entry.detail ?? {} });
}
