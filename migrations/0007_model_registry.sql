-- The model registry: each version's lineage (parent, feature set, training window, artifact hash), its alias
-- (shadow, live, retired), the numbered history of every alias change of a model (who, why, when, in event
-- time), each version's drift reference, and the drift reports of the scheduled evaluations.
ALTER TABLE "model_versions" ADD COLUMN "parent_version" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "feature_set_version" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "training_from" bigint;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "training_to" bigint;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "trained_as_of" bigint;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "artifact_hash" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "drift_reference" jsonb;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_training_window_ck" CHECK (("model_versions"."training_from" is null) = ("model_versions"."training_to" is null));--> statement-breakpoint
CREATE TABLE "model_alias_changes" (
	"model_id" text NOT NULL,
	"seq" integer NOT NULL,
	"version_id" text NOT NULL,
	"version" text NOT NULL,
	"from_alias" text,
	"to_alias" text NOT NULL,
	"actor" text NOT NULL,
	"reason" text NOT NULL,
	"at" bigint NOT NULL,
	"event_id" text NOT NULL,
	CONSTRAINT "model_alias_changes_model_id_seq_pk" PRIMARY KEY("model_id","seq"),
	CONSTRAINT "model_alias_changes_seq_ck" CHECK ("model_alias_changes"."seq" >= 1),
	CONSTRAINT "model_alias_changes_alias_ck" CHECK ("model_alias_changes"."to_alias" in ('shadow', 'live', 'retired') and ("model_alias_changes"."from_alias" is null or "model_alias_changes"."from_alias" in ('shadow', 'live', 'retired')))
);
--> statement-breakpoint
CREATE TABLE "drift_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"model_id" text NOT NULL,
	"version" text NOT NULL,
	"as_of" bigint NOT NULL,
	"window_start" bigint NOT NULL,
	"window_end" bigint NOT NULL,
	"level" text NOT NULL,
	"alarmed" boolean NOT NULL,
	"raised_by" text,
	"weight_multiplier" double precision NOT NULL,
	"keys" jsonb NOT NULL,
	CONSTRAINT "drift_reports_level_ck" CHECK ("drift_reports"."level" in ('ok', 'warn', 'alarm', 'insufficient'))
);
--> statement-breakpoint
ALTER TABLE "model_alias_changes" ADD CONSTRAINT "model_alias_changes_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_alias_changes" ADD CONSTRAINT "model_alias_changes_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_alias_changes_event_id_uq" ON "model_alias_changes" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "model_alias_changes_version_idx" ON "model_alias_changes" USING btree ("version_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_one_live_uq" ON "model_versions" USING btree ("model_id") WHERE "model_versions"."status" = 'live';--> statement-breakpoint
CREATE INDEX "drift_reports_model_as_of_idx" ON "drift_reports" USING btree ("model_id","as_of");
