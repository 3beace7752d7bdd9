CREATE INDEX "orders_created_idx" ON "orders" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "orders_status_created_idx" ON "orders" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "payout_requests_created_idx" ON "payout_requests" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "payout_requests_status_created_idx" ON "payout_requests" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "submissions_gallery_idx" ON "submissions" USING btree ("round_id","tie_break","id") WHERE "submissions"."status" = 'approved';--> statement-breakpoint
CREATE INDEX "submissions_arrival_idx" ON "submissions" USING btree ("round_id","created_at","id") WHERE "submissions"."status" = 'approved';--> statement-breakpoint
CREATE INDEX "submissions_pending_idx" ON "submissions" USING btree ("created_at","id") WHERE "submissions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "submissions_critique_idx" ON "submissions" USING btree ("created_at","id") WHERE "submissions"."critique_wanted" and "submissions"."status" = 'approved';