CREATE TABLE "ballots" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ballots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"round_id" uuid NOT NULL,
	"submission_id" uuid NOT NULL,
	"voter_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"would_buy" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ballots_score_range" CHECK ("ballots"."score" between 0 and 5)
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"currency" text NOT NULL,
	"cause_key" text NOT NULL,
	"clears_at" timestamp with time zone,
	"round_id" uuid,
	"submission_id" uuid,
	"memo" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_variants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"size" text NOT NULL,
	"price_cents" integer NOT NULL,
	"sort_order" integer NOT NULL,
	CONSTRAINT "product_variants_price" CHECK ("product_variants"."price_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"submission_id" uuid NOT NULL,
	"designer_id" uuid NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"mockup_key" text NOT NULL,
	"base_price_cents" integer NOT NULL,
	"currency" text NOT NULL,
	"royalty_bps" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "round_results" (
	"round_id" uuid NOT NULL,
	"submission_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"ballots" integer NOT NULL,
	"score_sum" integer NOT NULL,
	"mean" double precision,
	"bayesian_score" double precision NOT NULL,
	"would_buy" integer NOT NULL,
	"would_buy_lower_bound" double precision NOT NULL,
	"distribution" integer[] NOT NULL,
	"qualified" boolean NOT NULL,
	"winner" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "submissions" DROP CONSTRAINT "submissions_status_check";--> statement-breakpoint
ALTER TABLE "submissions" DROP CONSTRAINT "submissions_rejection_reason";--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "winners_count" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "min_votes" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "voter_min_scored" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "prize_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "currency" text DEFAULT 'usd' NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "royalty_bps" integer DEFAULT 1500 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "product_types" jsonb DEFAULT '[{"type":"tee","basePriceCents":2500},{"type":"poster","basePriceCents":1800}]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_voter_id_users_id_fk" FOREIGN KEY ("voter_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_variants" ADD CONSTRAINT "product_variants_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_designer_id_users_id_fk" FOREIGN KEY ("designer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_results" ADD CONSTRAINT "round_results_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_results" ADD CONSTRAINT "round_results_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ballots_one_per_voter" ON "ballots" USING btree ("submission_id","voter_id");--> statement-breakpoint
CREATE INDEX "ballots_round_voter_idx" ON "ballots" USING btree ("round_id","voter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_cause" ON "ledger_entries" USING btree ("cause_key");--> statement-breakpoint
CREATE INDEX "ledger_entries_user_idx" ON "ledger_entries" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "product_variants_size" ON "product_variants" USING btree ("product_id","size");--> statement-breakpoint
CREATE UNIQUE INDEX "products_one_per_type" ON "products" USING btree ("submission_id","type");--> statement-breakpoint
CREATE INDEX "products_round_idx" ON "products" USING btree ("round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "round_results_pk" ON "round_results" USING btree ("round_id","submission_id");--> statement-breakpoint
CREATE INDEX "round_results_rank_idx" ON "round_results" USING btree ("round_id","rank");--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_rules_valid" CHECK ("rounds"."winners_count" > 0 and "rounds"."min_votes" >= 0 and "rounds"."voter_min_scored" >= 0 and "rounds"."prize_cents" >= 0 and "rounds"."royalty_bps" between 0 and 10000);--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_status_check" CHECK ("submissions"."status" in ('pending', 'approved', 'rejected', 'withdrawn', 'disqualified'));--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_rejection_reason" CHECK ("submissions"."status" not in ('rejected', 'disqualified') or length("submissions"."rejection_reason") > 0);