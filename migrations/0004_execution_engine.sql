-- The placeholder orders and fills tables never held the execution engine's rows (nothing wrote them), so they
-- are replaced whole rather than altered column by column.
DROP TABLE "fills";--> statement-breakpoint
DROP TABLE "orders";--> statement-breakpoint
CREATE TABLE "orders" (
	"client_order_id" text PRIMARY KEY NOT NULL,
	"vault_id" text NOT NULL,
	"instrument" text NOT NULL,
	"venue" text NOT NULL,
	"side" text NOT NULL,
	"type" text NOT NULL,
	"quantity" text NOT NULL,
	"limit_price" text,
	"time_in_force" text NOT NULL,
	"conviction_id" text,
	"reason" text NOT NULL,
	"leg" integer NOT NULL,
	"reference_price" text,
	"status" text NOT NULL,
	"filled_quantity" numeric NOT NULL,
	"filled_notional" numeric NOT NULL,
	"avg_fill_price" numeric,
	"fees" numeric NOT NULL,
	"broker_order_id" text,
	"status_reason" text,
	"causation_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" bigint NOT NULL,
	"submitted_at" bigint,
	"updated_at" bigint NOT NULL,
	"version" integer NOT NULL,
	"last_event_id" text,
	CONSTRAINT "orders_status_ck" CHECK ("orders"."status" in ('INITIALIZED', 'DENIED', 'SUBMITTED', 'ACCEPTED', 'REJECTED', 'PARTIALLY_FILLED', 'FILLED', 'PENDING_CANCEL', 'CANCELED', 'EXPIRED')),
	CONSTRAINT "orders_version_ck" CHECK ("orders"."version" >= 0)
);
--> statement-breakpoint
CREATE TABLE "order_events" (
	"id" text PRIMARY KEY NOT NULL,
	"client_order_id" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"ts_event" bigint NOT NULL,
	"ts_init" bigint NOT NULL,
	"causation_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"payload" jsonb NOT NULL,
	CONSTRAINT "order_events_seq_ck" CHECK ("order_events"."seq" >= 1)
);
--> statement-breakpoint
CREATE TABLE "fills" (
	"venue" text NOT NULL,
	"broker_fill_id" text NOT NULL,
	"broker_order_id" text NOT NULL,
	"client_order_id" text NOT NULL,
	"vault_id" text NOT NULL,
	"instrument" text NOT NULL,
	"side" text NOT NULL,
	"quantity" numeric NOT NULL,
	"price" numeric NOT NULL,
	"fee" numeric NOT NULL,
	"fee_currency" text,
	"ts" bigint NOT NULL,
	"event_id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "fills_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	CONSTRAINT "fills_venue_broker_fill_id_pk" PRIMARY KEY("venue","broker_fill_id"),
	CONSTRAINT "fills_side_ck" CHECK ("fills"."side" in ('BUY', 'SELL'))
);
--> statement-breakpoint
CREATE TABLE "autotrade_queue" (
	"id" text PRIMARY KEY NOT NULL,
	"intent" jsonb NOT NULL,
	"causation_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"enqueued_at" bigint NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" bigint,
	"outcome" text,
	"completed_at" bigint,
	CONSTRAINT "autotrade_queue_state_ck" CHECK ("autotrade_queue"."state" in ('pending', 'taken', 'done')),
	CONSTRAINT "autotrade_queue_outcome_ck" CHECK ("autotrade_queue"."outcome" is null or "autotrade_queue"."outcome" in ('submitted', 'denied', 'rejected', 'resumed', 'duplicate'))
);
--> statement-breakpoint
CREATE TABLE "kill_switches" (
	"key" text PRIMARY KEY NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_id" text,
	"engaged" boolean NOT NULL,
	"actor" text NOT NULL,
	"reason" text NOT NULL,
	"changed_at" bigint NOT NULL,
	CONSTRAINT "kill_switches_scope_ck" CHECK (("kill_switches"."scope_kind" = 'global' and "kill_switches"."scope_id" is null) or ("kill_switches"."scope_kind" in ('vault', 'venue') and "kill_switches"."scope_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "fills" ADD CONSTRAINT "fills_client_order_id_orders_client_order_id_fk" FOREIGN KEY ("client_order_id") REFERENCES "public"."orders"("client_order_id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_client_order_id_orders_client_order_id_fk" FOREIGN KEY ("client_order_id") REFERENCES "public"."orders"("client_order_id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "autotrade_queue_state_enqueued_at_id_idx" ON "autotrade_queue" USING btree ("state","enqueued_at","id");
--> statement-breakpoint
CREATE UNIQUE INDEX "fills_event_id_uq" ON "fills" USING btree ("event_id");
--> statement-breakpoint
CREATE INDEX "fills_venue_ts_idx" ON "fills" USING btree ("venue","ts");
--> statement-breakpoint
CREATE INDEX "fills_client_order_id_idx" ON "fills" USING btree ("client_order_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "order_events_order_seq_uq" ON "order_events" USING btree ("client_order_id","seq");
--> statement-breakpoint
CREATE INDEX "orders_venue_status_idx" ON "orders" USING btree ("venue","status");
--> statement-breakpoint
CREATE INDEX "orders_vault_created_at_idx" ON "orders" USING btree ("vault_id","created_at");
--> statement-breakpoint
CREATE INDEX "orders_created_at_idx" ON "orders" USING btree ("created_at");
