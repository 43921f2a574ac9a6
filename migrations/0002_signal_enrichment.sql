ALTER TABLE "signals" ADD COLUMN "flags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "signals" ADD COLUMN "weight" double precision DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "signals" ADD COLUMN "evidence" jsonb;--> statement-breakpoint
CREATE INDEX "signals_flags_idx" ON "signals" USING gin ("flags");