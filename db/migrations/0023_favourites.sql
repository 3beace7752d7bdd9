CREATE TABLE "favourites" (
	"user_id" uuid NOT NULL,
	"submission_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "favourites" ADD CONSTRAINT "favourites_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "favourites" ADD CONSTRAINT "favourites_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "favourites_pk" ON "favourites" USING btree ("user_id","submission_id");--> statement-breakpoint
CREATE INDEX "favourites_user_idx" ON "favourites" USING btree ("user_id","created_at","submission_id");--> statement-breakpoint
CREATE INDEX "favourites_submission_idx" ON "favourites" USING btree ("submission_id");--> statement-breakpoint
CREATE INDEX "rounds_open_closes_idx" ON "rounds" USING btree ("voting_closes_at") WHERE "rounds"."finalized_at" is null;--> statement-breakpoint
CREATE INDEX "rounds_finalized_idx" ON "rounds" USING btree ("finalized_at") WHERE "rounds"."finalized_at" is not null;