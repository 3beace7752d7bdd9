ALTER TABLE "orders" ADD COLUMN "refunded_card_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "refunded_credit_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written: orders refunded before these columns existed were refunded in full.
UPDATE "orders" SET "refunded_card_cents" = "amount_due_cents", "refunded_credit_cents" = "credit_cents" WHERE "status" = 'refunded';--> statement-breakpoint
-- Hand-written: a refund used to reverse a royalty still inside its refund window at once, taking it from
-- the designer's available balance while the royalty itself stayed pending. The reversal now waits out the
-- same window as the royalty it reverses.
UPDATE "ledger_entries" AS "r" SET "clears_at" = "o"."clears_at"
FROM "ledger_entries" AS "o"
WHERE "r"."kind" = 'royalty_reversal' AND "r"."clears_at" IS NULL
  AND "o"."cause_key" = 'royalty:' || substring("r"."cause_key" from 18)
  AND "o"."clears_at" > "r"."created_at";
