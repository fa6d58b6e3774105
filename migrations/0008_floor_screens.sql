DROP INDEX "bags_parent_completed_idx";--> statement-breakpoint
ALTER TABLE "bills" ADD COLUMN "actual_weight_kg" numeric(10, 2);--> statement-breakpoint
ALTER TABLE "bills" ADD COLUMN "weight_source" text;--> statement-breakpoint
ALTER TABLE "bills" ADD COLUMN "weighed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bills" ADD COLUMN "weighed_by" integer;--> statement-breakpoint
ALTER TABLE "bills" ADD CONSTRAINT "bills_weighed_by_users_id_fk" FOREIGN KEY ("weighed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bags_parent_completed_area_idx" ON "bags" USING btree ("completed_at","area_id") WHERE "bags"."type" = 'parent' AND "bags"."completed_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "scans_rejected_created_idx" ON "scans" USING btree ("created_at","area_id") WHERE "scans"."result" = 'rejected';--> statement-breakpoint
ALTER TABLE "bills" ADD CONSTRAINT "bills_weight_check" CHECK ("bills"."actual_weight_kg" IS NULL OR ("bills"."actual_weight_kg" >= 0 AND "bills"."weight_source" IN ('manual','weighbridge')));