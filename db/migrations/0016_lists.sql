DROP INDEX "submissions_designer_idx";--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "units_sold" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "counted_ballots" integer;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "counted_score_sum" integer;--> statement-breakpoint
-- Backfill (hand-written; drizzle-kit does not generate data changes): units sold from the paid orders so far,
-- and each finalized round's totals from its published results (a round with no results has counted nothing).
UPDATE "products" SET "units_sold" = "sold"."n"
FROM (
  SELECT "order_items"."product_id", sum("order_items"."quantity")::int AS "n"
  FROM "order_items" JOIN "orders" ON "orders"."id" = "order_items"."order_id"
  WHERE "orders"."status" = 'paid'
  GROUP BY "order_items"."product_id"
) AS "sold"
WHERE "sold"."product_id" = "products"."id";--> statement-breakpoint
UPDATE "rounds" SET "counted_ballots" = coalesce("totals"."ballots", 0), "counted_score_sum" = coalesce("totals"."score_sum", 0)
FROM (
  SELECT "rounds"."id", sum("round_results"."ballots")::int AS "ballots", sum("round_results"."score_sum")::int AS "score_sum"
  FROM "rounds" LEFT JOIN "round_results" ON "round_results"."round_id" = "rounds"."id"
  WHERE "rounds"."finalized_at" IS NOT NULL
  GROUP BY "rounds"."id"
) AS "totals"
WHERE "totals"."id" = "rounds"."id";--> statement-breakpoint
CREATE INDEX "comments_submission_threads_idx" ON "comments" USING btree ("submission_id","created_at","id") WHERE "comments"."parent_id" is null;--> statement-breakpoint
CREATE INDEX "comments_product_threads_idx" ON "comments" USING btree ("product_id","created_at","id") WHERE "comments"."parent_id" is null;--> statement-breakpoint
CREATE INDEX "comments_parent_idx" ON "comments" USING btree ("parent_id","created_at","id") WHERE "comments"."parent_id" is not null;--> statement-breakpoint
CREATE INDEX "products_newest_idx" ON "products" USING btree ("created_at","id") WHERE "products"."active";--> statement-breakpoint
CREATE INDEX "products_type_newest_idx" ON "products" USING btree ("type","created_at","id") WHERE "products"."active";--> statement-breakpoint
CREATE INDEX "products_best_selling_idx" ON "products" USING btree ("units_sold","created_at","id") WHERE "products"."active";--> statement-breakpoint
CREATE INDEX "products_type_best_selling_idx" ON "products" USING btree ("type","units_sold","created_at","id") WHERE "products"."active";--> statement-breakpoint
CREATE INDEX "products_designer_idx" ON "products" USING btree ("designer_id","created_at","id") WHERE "products"."active";--> statement-breakpoint
CREATE INDEX "round_results_winners_idx" ON "round_results" USING btree ("round_id","rank") WHERE "round_results"."winner";--> statement-breakpoint
CREATE INDEX "submissions_designer_idx" ON "submissions" USING btree ("designer_id","created_at","id");--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_units_sold" CHECK ("products"."units_sold" >= 0);