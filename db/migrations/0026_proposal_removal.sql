ALTER TABLE "proposals" DROP CONSTRAINT "proposals_status";--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "removal_reason" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_status" CHECK ("proposals"."status" in ('open', 'review', 'accepted', 'declined', 'withdrawn', 'removed'));