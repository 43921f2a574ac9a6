CREATE TABLE "feature_values" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "feature_values_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entity" text NOT NULL,
	"feature" text NOT NULL,
	"version" text NOT NULL,
	"ts" bigint NOT NULL,
	"value" double precision,
	"observed_at" bigint NOT NULL,
	"source_event_id" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "feature_values_source_uq" ON "feature_values" USING btree ("source_event_id","entity","feature","version");--> statement-breakpoint
CREATE INDEX "feature_values_as_of_idx" ON "feature_values" USING btree ("entity","feature","version","ts","observed_at","seq");