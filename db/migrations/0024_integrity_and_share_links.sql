CREATE TABLE "ballot_voids" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"voter_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"voided_by_id" uuid,
	"ballots_at_void" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "share_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"designer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"day" text NOT NULL,
	"key" text NOT NULL,
	"round_id" uuid,
	"submission_id" uuid,
	"voter_id" uuid,
	"recent_arrival" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "share_events_kind_check" CHECK ("share_events"."kind" in ('visit', 'signup', 'ballot', 'sale'))
);
--> statement-breakpoint
CREATE TABLE "signup_networks" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"network_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "share_designer_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "share_code" text DEFAULT substr(md5(gen_random_uuid()::text), 1, 10) NOT NULL;--> statement-breakpoint
ALTER TABLE "ballot_voids" ADD CONSTRAINT "ballot_voids_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_voids" ADD CONSTRAINT "ballot_voids_voter_id_users_id_fk" FOREIGN KEY ("voter_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_voids" ADD CONSTRAINT "ballot_voids_voided_by_id_users_id_fk" FOREIGN KEY ("voided_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_events" ADD CONSTRAINT "share_events_designer_id_users_id_fk" FOREIGN KEY ("designer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_events" ADD CONSTRAINT "share_events_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_events" ADD CONSTRAINT "share_events_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_events" ADD CONSTRAINT "share_events_voter_id_users_id_fk" FOREIGN KEY ("voter_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signup_networks" ADD CONSTRAINT "signup_networks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ballot_voids_round_voter" ON "ballot_voids" USING btree ("round_id","voter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "share_events_visit_daily" ON "share_events" USING btree ("designer_id","key","day") WHERE "share_events"."kind" = 'visit';--> statement-breakpoint
CREATE UNIQUE INDEX "share_events_once" ON "share_events" USING btree ("kind","key") WHERE "share_events"."kind" <> 'visit';--> statement-breakpoint
CREATE INDEX "share_events_designer_day_idx" ON "share_events" USING btree ("designer_id","day");--> statement-breakpoint
CREATE INDEX "share_events_round_ballots_idx" ON "share_events" USING btree ("round_id") WHERE "share_events"."kind" = 'ballot' and "share_events"."recent_arrival";--> statement-breakpoint
CREATE INDEX "signup_networks_created_idx" ON "signup_networks" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "signup_networks_hash_idx" ON "signup_networks" USING btree ("network_hash","created_at");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_share_designer_id_users_id_fk" FOREIGN KEY ("share_designer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "users_share_code_unique" ON "users" USING btree ("share_code");