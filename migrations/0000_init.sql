CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"ts_event" bigint NOT NULL,
	"ts_init" bigint NOT NULL,
	"causation_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"payload" jsonb NOT NULL,
	"prev_hash" char(64) NOT NULL,
	"hash" char(64) NOT NULL,
	CONSTRAINT "audit_log_seq_ck" CHECK ("audit_log"."seq" >= 1)
);
--> statement-breakpoint
CREATE TABLE "collector_cursors" (
	"collector" text PRIMARY KEY NOT NULL,
	"cursor" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conviction_vectors" (
	"id" text PRIMARY KEY NOT NULL,
	"signal_id" text NOT NULL,
	"instrument" text NOT NULL,
	"score" double precision NOT NULL,
	"direction" text NOT NULL,
	"band" text NOT NULL,
	"reason_vector" jsonb NOT NULL,
	"contributing_models" jsonb NOT NULL,
	"routing_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"ttl_seconds" integer NOT NULL,
	"expires_at" bigint NOT NULL,
	"explanation" text NOT NULL,
	"created_at" bigint NOT NULL,
	"causation_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "conviction_vectors_direction_ck" CHECK ("conviction_vectors"."direction" in ('LONG', 'SHORT', 'NEUTRAL')),
	CONSTRAINT "conviction_vectors_band_ck" CHECK ("conviction_vectors"."band" in ('WEAK', 'MODERATE', 'STRONG', 'EXTREME'))
);
--> statement-breakpoint
CREATE TABLE "fills" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"vault_id" text NOT NULL,
	"instrument" text NOT NULL,
	"side" text NOT NULL,
	"quantity" numeric(38, 18) NOT NULL,
	"price" numeric(38, 18) NOT NULL,
	"fee" numeric(38, 18) DEFAULT '0' NOT NULL,
	"fee_currency" text,
	"broker_fill_id" text,
	"ts_event" bigint NOT NULL,
	"ts_init" bigint NOT NULL,
	CONSTRAINT "fills_side_ck" CHECK ("fills"."side" in ('BUY', 'SELL'))
);
--> statement-breakpoint
CREATE TABLE "instruments" (
	"symbol" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"asset_class" text NOT NULL,
	"sector" text NOT NULL,
	"venue" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"model_id" text NOT NULL,
	"version" text NOT NULL,
	"status" text DEFAULT 'shadow' NOT NULL,
	"params" jsonb NOT NULL,
	"metrics" jsonb NOT NULL,
	"artifact" text,
	"created_at" bigint NOT NULL,
	"promoted_at" bigint,
	CONSTRAINT "model_versions_status_ck" CHECK ("model_versions"."status" in ('shadow', 'live', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"params" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "models_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"client_order_id" text NOT NULL,
	"vault_id" text NOT NULL,
	"instrument" text NOT NULL,
	"side" text NOT NULL,
	"order_type" text DEFAULT 'MARKET' NOT NULL,
	"quantity" numeric(38, 18) NOT NULL,
	"limit_price" numeric(38, 18),
	"filled_quantity" numeric(38, 18) DEFAULT '0' NOT NULL,
	"avg_fill_price" numeric(38, 18),
	"status" text NOT NULL,
	"broker" text,
	"broker_order_id" text,
	"reason" text,
	"causation_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "orders_side_ck" CHECK ("orders"."side" in ('BUY', 'SELL')),
	CONSTRAINT "orders_quantity_ck" CHECK ("orders"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "personas" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"params" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "personas_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"vault_id" text NOT NULL,
	"instrument" text NOT NULL,
	"quantity" numeric(38, 18) DEFAULT '0' NOT NULL,
	"avg_price" numeric(38, 18) DEFAULT '0' NOT NULL,
	"realized_pnl" numeric(38, 18) DEFAULT '0' NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "positions_vault_id_instrument_pk" PRIMARY KEY("vault_id","instrument")
);
--> statement-breakpoint
CREATE TABLE "signals" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"kind" text NOT NULL,
	"instrument" text,
	"external_id" text,
	"content_hash" text NOT NULL,
	"polarity" double precision NOT NULL,
	"magnitude" double precision NOT NULL,
	"body" jsonb NOT NULL,
	"ts_event" bigint NOT NULL,
	"ts_init" bigint NOT NULL,
	"causation_ids" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vaults" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"persona_id" text,
	"base_currency" text DEFAULT 'USD' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"config" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "vaults_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "fills" ADD CONSTRAINT "fills_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vaults" ADD CONSTRAINT "vaults_persona_id_personas_id_fk" FOREIGN KEY ("persona_id") REFERENCES "public"."personas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_event_id_uq" ON "audit_log" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "audit_log_type_seq_idx" ON "audit_log" USING btree ("type","seq");--> statement-breakpoint
CREATE INDEX "conviction_vectors_created_at_id_idx" ON "conviction_vectors" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "conviction_vectors_instrument_created_at_idx" ON "conviction_vectors" USING btree ("instrument","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "conviction_vectors_expires_at_idx" ON "conviction_vectors" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "conviction_vectors_signal_id_idx" ON "conviction_vectors" USING btree ("signal_id");--> statement-breakpoint
CREATE INDEX "conviction_vectors_routing_tags_gin" ON "conviction_vectors" USING gin ("routing_tags");--> statement-breakpoint
CREATE INDEX "fills_order_id_idx" ON "fills" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "fills_vault_ts_idx" ON "fills" USING btree ("vault_id","ts_event");--> statement-breakpoint
CREATE UNIQUE INDEX "fills_order_broker_fill_uq" ON "fills" USING btree ("order_id","broker_fill_id");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_model_version_uq" ON "model_versions" USING btree ("model_id","version");--> statement-breakpoint
CREATE INDEX "model_versions_model_status_idx" ON "model_versions" USING btree ("model_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_client_order_id_uq" ON "orders" USING btree ("client_order_id");--> statement-breakpoint
CREATE INDEX "orders_vault_created_at_idx" ON "orders" USING btree ("vault_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "signals_content_hash_uq" ON "signals" USING btree ("content_hash");--> statement-breakpoint
CREATE INDEX "signals_ts_init_id_idx" ON "signals" USING btree ("ts_init" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "signals_instrument_ts_init_idx" ON "signals" USING btree ("instrument","ts_init" DESC NULLS LAST,"id" DESC NULLS LAST);