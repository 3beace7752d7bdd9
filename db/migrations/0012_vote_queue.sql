ALTER TABLE "submissions" ADD COLUMN "ballot_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "tie_break" integer DEFAULT floor(random() * 2147483647)::int NOT NULL;--> statement-breakpoint
-- Backfill: every design starts from the ballots it already has (hand-written; drizzle-kit does not generate data changes).
UPDATE "submissions" SET "ballot_count" = "counted"."n"
FROM (SELECT "submission_id", count(*)::int AS "n" FROM "ballots" GROUP BY "submission_id") AS "counted"
WHERE "counted"."submission_id" = "submissions"."id";--> statement-breakpoint
CREATE INDEX "submissions_vote_queue_idx" ON "submissions" USING btree ("round_id","ballot_count","tie_break") WHERE "submissions"."status" = 'approved';--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_ballot_count" CHECK ("submissions"."ballot_count" >= 0);
