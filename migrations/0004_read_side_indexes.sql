DROP INDEX "audit_log_at_idx";--> statement-breakpoint
DROP INDEX "bags_type_area_created_idx";--> statement-breakpoint
DROP INDEX "scans_created_idx";--> statement-breakpoint
DROP INDEX "scans_user_created_idx";--> statement-breakpoint
DROP INDEX "scans_area_created_idx";--> statement-breakpoint
CREATE INDEX "bags_created_qr_idx" ON "bags" USING btree ("created_at","qr");--> statement-breakpoint
CREATE INDEX "bags_type_created_qr_idx" ON "bags" USING btree ("type","created_at","qr");--> statement-breakpoint
CREATE INDEX "bags_area_created_qr_idx" ON "bags" USING btree ("area_id","created_at","qr");--> statement-breakpoint
CREATE INDEX "bags_creator_created_qr_idx" ON "bags" USING btree ("created_by","created_at","qr");--> statement-breakpoint
CREATE INDEX "bags_unlinked_children_idx" ON "bags" USING btree ("created_at","qr") WHERE "bags"."type" = 'child' AND "bags"."status" = 'unlinked';--> statement-breakpoint
CREATE INDEX "bags_parent_completed_idx" ON "bags" USING btree ("completed_at") WHERE "bags"."type" = 'parent' AND "bags"."completed_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "bags_type_area_created_idx" ON "bags" USING btree ("type","area_id","created_at","qr");--> statement-breakpoint
CREATE INDEX "scans_created_idx" ON "scans" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "scans_user_created_idx" ON "scans" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "scans_area_created_idx" ON "scans" USING btree ("area_id","created_at","id");