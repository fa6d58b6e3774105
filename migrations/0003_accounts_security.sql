ALTER TABLE "audit_log" ADD COLUMN "anonymised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_recovery_codes" jsonb;--> statement-breakpoint
CREATE INDEX "audit_log_pending_anonymise_idx" ON "audit_log" USING btree ("at") WHERE "audit_log"."anonymised_at" IS NULL;