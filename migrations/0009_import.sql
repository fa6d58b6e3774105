CREATE TABLE "import_anomalies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"kind" text NOT NULL,
	"source_table" text NOT NULL,
	"source_id" text,
	"subject" text,
	"detail" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_id_map" (
	"source" text NOT NULL,
	"entity" text NOT NULL,
	"source_id" bigint NOT NULL,
	"target_key" text NOT NULL,
	"run_id" text NOT NULL,
	CONSTRAINT "import_id_map_source_entity_source_id_pk" PRIMARY KEY("source","entity","source_id")
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"source_label" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"counts" jsonb NOT NULL,
	"anomalies" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_staging" (
	"source" text NOT NULL,
	"source_table" text NOT NULL,
	"source_id" text NOT NULL,
	"row" jsonb NOT NULL,
	"resolved" jsonb NOT NULL,
	"run_id" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_staging_source_source_table_source_id_pk" PRIMARY KEY("source","source_table","source_id")
);
--> statement-breakpoint
ALTER TABLE "import_anomalies" ADD CONSTRAINT "import_anomalies_run_id_import_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."import_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_anomalies_run_kind_idx" ON "import_anomalies" USING btree ("run_id","kind");