ALTER TABLE "flush_conflicts" ADD COLUMN "kind" text DEFAULT 'child_in_other_parent' NOT NULL;--> statement-breakpoint
ALTER TABLE "flush_conflicts" ADD COLUMN "detail" jsonb;--> statement-breakpoint
ALTER TABLE "flush_conflicts" ADD COLUMN "refused_hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "flush_conflicts" ALTER COLUMN "child_qr" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "flush_conflicts" ALTER COLUMN "parent_qr" DROP NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "flush_conflicts_event_kind_uq" ON "flush_conflicts" USING btree ("event_id","kind","refused_hash");--> statement-breakpoint
ALTER TABLE "flush_conflicts" DROP CONSTRAINT "flush_conflicts_event_id_unique";--> statement-breakpoint
ALTER TABLE "flush_conflicts" ADD CONSTRAINT "flush_conflicts_kind_check" CHECK ("flush_conflicts"."kind" in ('child_in_other_parent','event_id_reused'));
