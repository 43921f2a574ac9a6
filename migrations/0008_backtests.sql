-- Backtest runs: what was asked (window, vaults, seed or data file, scenarios), how it went, and what came out:
-- per-vault equity curves and drawdowns, the trades, PnL attribution, and what the risk layer did. The large
-- parts are jsonb documents: a run is written once, at its end, and read whole.
CREATE TABLE "backtests" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" bigint NOT NULL,
	"status" text NOT NULL,
	"from_ts" bigint NOT NULL,
	"to_ts" bigint NOT NULL,
	"seed" integer NOT NULL,
	"spec" jsonb NOT NULL,
	"summary" jsonb NOT NULL,
	"vaults" jsonb NOT NULL,
	"trades" jsonb NOT NULL,
	"attribution" jsonb NOT NULL,
	"risk" jsonb NOT NULL,
	"report_path" text,
	"error" text,
	CONSTRAINT "backtests_status_ck" CHECK ("backtests"."status" in ('completed', 'failed')),
	CONSTRAINT "backtests_window_ck" CHECK ("backtests"."to_ts" > "backtests"."from_ts")
);
--> statement-breakpoint
CREATE INDEX "backtests_created_idx" ON "backtests" USING btree ("created_at");
