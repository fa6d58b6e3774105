CREATE TABLE "areas" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "areas_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" integer,
	"actor_username" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"ip" text,
	"user_agent" text,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "bags" (
	"qr" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"area_id" integer,
	"status" text NOT NULL,
	"child_count" integer DEFAULT 0 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "bags_qr_normalized" CHECK ("bags"."qr" = upper(btrim("bags"."qr"))),
	CONSTRAINT "bags_type_check" CHECK ("bags"."type" in ('parent','child')),
	CONSTRAINT "bags_status_check" CHECK (("bags"."type" = 'parent' and "bags"."status" in ('open','completed')) or ("bags"."type" = 'child' and "bags"."status" in ('linked','unlinked')))
);
--> statement-breakpoint
CREATE TABLE "bill_bags" (
	"bag_qr" text PRIMARY KEY NOT NULL,
	"bill_id" integer NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	"added_by" integer
);
--> statement-breakpoint
CREATE TABLE "bills" (
	"id" serial PRIMARY KEY NOT NULL,
	"bill_no" text NOT NULL,
	"destination" text NOT NULL,
	"vehicle_no" text NOT NULL,
	"description" text,
	"capacity" integer NOT NULL,
	"status" text DEFAULT 'empty' NOT NULL,
	"finalized" boolean DEFAULT false NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finalized_at" timestamp with time zone,
	CONSTRAINT "bills_bill_no_unique" UNIQUE("bill_no"),
	CONSTRAINT "bills_capacity_check" CHECK ("bills"."capacity" between 1 and 50),
	CONSTRAINT "bills_status_check" CHECK ("bills"."status" in ('empty','in_progress','completed'))
);
--> statement-breakpoint
CREATE TABLE "counters" (
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"period" text NOT NULL,
	"value" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "counters_name_scope_period_pk" PRIMARY KEY("name","scope","period")
);
--> statement-breakpoint
CREATE TABLE "flush_conflicts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"child_qr" text NOT NULL,
	"parent_qr" text NOT NULL,
	"existing_parent_qr" text,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "flush_conflicts_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "link_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"child_qr" text NOT NULL,
	"parent_qr" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" integer,
	"reason" text,
	CONSTRAINT "link_events_kind_check" CHECK ("link_events"."kind" in ('link','unlink'))
);
--> statement-breakpoint
CREATE TABLE "links" (
	"child_qr" text PRIMARY KEY NOT NULL,
	"parent_qr" text NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	"linked_by" integer,
	"event_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scans" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"scan_id" text NOT NULL,
	"parent_qr" text,
	"child_qr" text,
	"user_id" integer,
	"area_id" integer,
	"result" text NOT NULL,
	"error_code" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "scans_scan_id_unique" UNIQUE("scan_id"),
	CONSTRAINT "scans_result_check" CHECK ("scans"."result" in ('linked','duplicate','rejected'))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"area_id" integer,
	"active" boolean DEFAULT true NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"totp_secret" text,
	"totp_enabled" boolean DEFAULT false NOT NULL,
	"password_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('dispatcher','supervisor','biller','admin'))
);
--> statement-breakpoint
ALTER TABLE "bags" ADD CONSTRAINT "bags_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bags" ADD CONSTRAINT "bags_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_bags" ADD CONSTRAINT "bill_bags_bag_qr_bags_qr_fk" FOREIGN KEY ("bag_qr") REFERENCES "public"."bags"("qr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_bags" ADD CONSTRAINT "bill_bags_bill_id_bills_id_fk" FOREIGN KEY ("bill_id") REFERENCES "public"."bills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bills" ADD CONSTRAINT "bills_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_child_qr_bags_qr_fk" FOREIGN KEY ("child_qr") REFERENCES "public"."bags"("qr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_parent_qr_bags_qr_fk" FOREIGN KEY ("parent_qr") REFERENCES "public"."bags"("qr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_at_idx" ON "audit_log" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_at_idx" ON "audit_log" USING btree ("entity_type","entity_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_action_at_idx" ON "audit_log" USING btree ("action","at");--> statement-breakpoint
CREATE INDEX "bags_qr_trgm_idx" ON "bags" USING gin (lower("qr") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "bags_type_area_created_idx" ON "bags" USING btree ("type","area_id","created_at");--> statement-breakpoint
CREATE INDEX "bill_bags_bill_idx" ON "bill_bags" USING btree ("bill_id");--> statement-breakpoint
CREATE INDEX "link_events_child_at_idx" ON "link_events" USING btree ("child_qr","at");--> statement-breakpoint
CREATE INDEX "link_events_parent_at_idx" ON "link_events" USING btree ("parent_qr","at");--> statement-breakpoint
CREATE INDEX "links_parent_idx" ON "links" USING btree ("parent_qr");--> statement-breakpoint
CREATE INDEX "scans_created_idx" ON "scans" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "scans_user_created_idx" ON "scans" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "scans_area_created_idx" ON "scans" USING btree ("area_id","created_at");--> statement-breakpoint
CREATE INDEX "scans_parent_idx" ON "scans" USING btree ("parent_qr");--> statement-breakpoint
CREATE INDEX "scans_child_idx" ON "scans" USING btree ("child_qr");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_lower_uq" ON "users" USING btree (lower("username"));