ALTER TABLE "payout_requests" ADD COLUMN "destination" jsonb;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "payout_destination" jsonb;