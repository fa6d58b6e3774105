CREATE TABLE "return_ticket_parents" (
	"ticket_id" integer NOT NULL,
	"bag_qr" text NOT NULL,
	"bill_no" text NOT NULL,
	"bill_finalized" boolean DEFAULT false NOT NULL,
	"child_count" integer NOT NULL,
	"returned_at" timestamp with time zone NOT NULL,
	"returned_by" integer,
	"event_id" text NOT NULL,
	CONSTRAINT "return_ticket_parents_ticket_id_bag_qr_pk" PRIMARY KEY("ticket_id","bag_qr"),
	CONSTRAINT "return_ticket_parents_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "return_tickets" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"area_id" integer,
	"notes" text,
	"status" text DEFAULT 'open' NOT NULL,
	"parent_count" integer DEFAULT 0 NOT NULL,
	"child_count" integer DEFAULT 0 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "return_tickets_code_unique" UNIQUE("code"),
	CONSTRAINT "return_tickets_status_check" CHECK ("return_tickets"."status" in ('open','finalized','cancelled'))
);
--> statement-breakpoint
ALTER TABLE "return_ticket_parents" ADD CONSTRAINT "return_ticket_parents_ticket_id_return_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."return_tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_ticket_parents" ADD CONSTRAINT "return_ticket_parents_bag_qr_bags_qr_fk" FOREIGN KEY ("bag_qr") REFERENCES "public"."bags"("qr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_tickets" ADD CONSTRAINT "return_tickets_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_tickets" ADD CONSTRAINT "return_tickets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_tickets" ADD CONSTRAINT "return_tickets_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "return_ticket_parents_bag_idx" ON "return_ticket_parents" USING btree ("bag_qr","returned_at");--> statement-breakpoint
CREATE INDEX "return_ticket_parents_bill_idx" ON "return_ticket_parents" USING btree ("bill_no","returned_at");--> statement-breakpoint
CREATE INDEX "return_ticket_parents_returned_idx" ON "return_ticket_parents" USING btree ("returned_at");--> statement-breakpoint
CREATE INDEX "return_tickets_created_id_idx" ON "return_tickets" USING btree ("created_at","id");