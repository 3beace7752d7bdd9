DROP INDEX "notifications_user_idx";--> statement-breakpoint
DROP INDEX "orders_buyer_idx";--> statement-breakpoint
DROP INDEX "payout_requests_user_idx";--> statement-breakpoint
DROP INDEX "reports_status_idx";--> statement-breakpoint
CREATE INDEX "audit_log_decisions_idx" ON "audit_log" USING btree ("created_at","id") WHERE "audit_log"."action" in ('submission.approved', 'submission.rejected');--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_buyer_idx" ON "orders" USING btree ("buyer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "payout_requests_user_idx" ON "payout_requests" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "reports_status_idx" ON "reports" USING btree ("status","created_at","id");