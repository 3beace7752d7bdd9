CREATE TABLE "near_duplicates" (
	"submission_id" uuid NOT NULL,
	"earlier_submission_id" uuid NOT NULL,
	"distance" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"designer_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"rejection_reason" text,
	"moderated_by_id" uuid,
	"moderated_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"images" jsonb NOT NULL,
	"artwork_width" integer NOT NULL,
	"artwork_height" integer NOT NULL,
	"perceptual_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "submissions_status_check" CHECK ("submissions"."status" in ('pending', 'approved', 'rejected', 'withdrawn')),
	CONSTRAINT "submissions_rejection_reason" CHECK ("submissions"."status" <> 'rejected' or length("submissions"."rejection_reason") > 0)
);
--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "auto_approve" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "near_duplicates" ADD CONSTRAINT "near_duplicates_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "near_duplicates" ADD CONSTRAINT "near_duplicates_earlier_submission_id_submissions_id_fk" FOREIGN KEY ("earlier_submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_designer_id_users_id_fk" FOREIGN KEY ("designer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_moderated_by_id_users_id_fk" FOREIGN KEY ("moderated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "near_duplicates_pair" ON "near_duplicates" USING btree ("submission_id","earlier_submission_id");--> statement-breakpoint
CREATE INDEX "submissions_round_status_idx" ON "submissions" USING btree ("round_id","status");--> statement-breakpoint
CREATE INDEX "submissions_designer_idx" ON "submissions" USING btree ("designer_id","created_at");