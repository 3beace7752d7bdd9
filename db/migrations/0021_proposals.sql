CREATE TABLE "proposal_supports" (
	"proposal_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"proposer_id" uuid,
	"title" text NOT NULL,
	"brief" text NOT NULL,
	"mood_images" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"product_types" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"support_count" integer DEFAULT 0 NOT NULL,
	"recent_support" integer DEFAULT 0 NOT NULL,
	"first_supported_at" timestamp with time zone,
	"milestone_notified" integer DEFAULT 0 NOT NULL,
	"review_queued_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by_id" uuid,
	"decline_reason" text,
	"round_id" uuid,
	"edited_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proposals_status" CHECK ("proposals"."status" in ('open', 'review', 'accepted', 'declined', 'withdrawn')),
	CONSTRAINT "proposals_counts" CHECK ("proposals"."support_count" >= 0 and "proposals"."recent_support" >= 0),
	CONSTRAINT "proposals_title_length" CHECK (length("proposals"."title") between 1 and 120),
	CONSTRAINT "proposals_brief_length" CHECK (length("proposals"."brief") between 1 and 5000)
);
--> statement-breakpoint
CREATE TABLE "site_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"proposal_support_threshold" integer DEFAULT 25 NOT NULL,
	"updated_by_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "site_settings_one_row" CHECK ("site_settings"."id" = 1),
	CONSTRAINT "site_settings_threshold" CHECK ("site_settings"."proposal_support_threshold" between 1 and 100000)
);
--> statement-breakpoint
ALTER TABLE "comments" DROP CONSTRAINT "comments_one_subject";--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "proposal_id" uuid;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "published_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "proposal_id" uuid;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "proposer_prize_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "submissions_opened_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "proposal_supports" ADD CONSTRAINT "proposal_supports_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_supports" ADD CONSTRAINT "proposal_supports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_proposer_id_users_id_fk" FOREIGN KEY ("proposer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_settings" ADD CONSTRAINT "site_settings_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "proposal_supports_pk" ON "proposal_supports" USING btree ("proposal_id","user_id");--> statement-breakpoint
CREATE INDEX "proposal_supports_recent_idx" ON "proposal_supports" USING btree ("proposal_id","created_at");--> statement-breakpoint
CREATE INDEX "proposal_supports_user_idx" ON "proposal_supports" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "proposals_newest_idx" ON "proposals" USING btree ("created_at","id") WHERE "proposals"."status" in ('open', 'review');--> statement-breakpoint
CREATE INDEX "proposals_most_supported_idx" ON "proposals" USING btree ("support_count","created_at","id") WHERE "proposals"."status" in ('open', 'review');--> statement-breakpoint
CREATE INDEX "proposals_trending_idx" ON "proposals" USING btree ("recent_support","created_at","id") WHERE "proposals"."status" in ('open', 'review');--> statement-breakpoint
CREATE INDEX "proposals_review_idx" ON "proposals" USING btree ("review_queued_at","id") WHERE "proposals"."status" = 'review';--> statement-breakpoint
CREATE INDEX "proposals_recent_support_idx" ON "proposals" USING btree ("id") WHERE "proposals"."recent_support" > 0;--> statement-breakpoint
CREATE INDEX "proposals_proposer_idx" ON "proposals" USING btree ("proposer_id","created_at","id");--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comments_proposal_threads_idx" ON "comments" USING btree ("proposal_id","created_at","id") WHERE "comments"."parent_id" is null;--> statement-breakpoint
CREATE INDEX "rounds_proposal_idx" ON "rounds" USING btree ("proposal_id") WHERE "rounds"."proposal_id" is not null;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_one_subject" CHECK (num_nonnulls("comments"."submission_id", "comments"."product_id", "comments"."proposal_id") = 1);--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_proposer_prize" CHECK ("rounds"."proposer_prize_cents" >= 0);--> statement-breakpoint
-- hand-written: rounds that existed before drafts were all public from the moment they were created.
UPDATE "rounds" SET "published_at" = "created_at";--> statement-breakpoint
-- hand-written: the one settings row, so the admin's threshold has somewhere to live from the start.
INSERT INTO "site_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;
