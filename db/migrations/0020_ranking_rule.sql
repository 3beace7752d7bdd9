CREATE TABLE "round_voter_weights" (
	"round_id" uuid NOT NULL,
	"voter_id" uuid NOT NULL,
	"ballots" integer NOT NULL,
	"scored" integer NOT NULL,
	"counted" boolean NOT NULL,
	"agreement" double precision,
	"weight" double precision NOT NULL
);
--> statement-breakpoint
ALTER TABLE "round_results" ADD COLUMN "weight" double precision;--> statement-breakpoint
ALTER TABLE "round_results" ADD COLUMN "weighted_score_sum" double precision;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "ranking_rule" jsonb DEFAULT '{"version":2,"shrinkBallots":5,"shrinkTowards":0.5,"fullWeightAt":0.5}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "ranking_summary" jsonb;--> statement-breakpoint
ALTER TABLE "round_voter_weights" ADD CONSTRAINT "round_voter_weights_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_voter_weights" ADD CONSTRAINT "round_voter_weights_voter_id_users_id_fk" FOREIGN KEY ("voter_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "round_voter_weights_pk" ON "round_voter_weights" USING btree ("round_id","voter_id");--> statement-breakpoint
-- hand-written: rounds whose submissions had already opened keep the rule they were announced with (rule 1);
-- drafts take rule 2 from the column default. Their published results weigh every counted ballot 1.
UPDATE "rounds" SET "ranking_rule" = '{"version":1}'::jsonb WHERE "submissions_open_at" <= now();--> statement-breakpoint
-- hand-written: results finalized under rule 1 carry their weights too (each counted ballot weighs 1).
UPDATE "round_results" SET "weight" = "ballots", "weighted_score_sum" = "score_sum";
