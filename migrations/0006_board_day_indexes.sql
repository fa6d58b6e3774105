DROP INDEX "bags_parent_completed_idx";--> statement-breakpoint
CREATE INDEX "bags_parent_completed_area_idx" ON "bags" USING btree ("completed_at","area_id") WHERE "bags"."type" = 'parent' AND "bags"."completed_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "scans_rejected_created_idx" ON "scans" USING btree ("created_at","area_id") WHERE "scans"."result" = 'rejected';