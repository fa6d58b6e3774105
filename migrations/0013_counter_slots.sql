-- Counters spread over slots (issue 15 point 4): each flush queue shard adds to its own slot, readers sum them.
-- Existing rows become slot 0. (drizzle-kit wrote the ADD COLUMN last; it must come before the new key.)
ALTER TABLE "counters" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "counters" DROP CONSTRAINT "counters_name_scope_period_pk";--> statement-breakpoint
ALTER TABLE "counters" ADD CONSTRAINT "counters_name_scope_period_slot_pk" PRIMARY KEY("name","scope","period","slot");
