-- Vaults in the database, the audit log made append-only by the database itself, and stored Merkle checkpoints.
--
-- The placeholder vaults, personas and positions tables of 0000 never held a row (nothing wrote them), so they
-- are replaced whole. Money and quantities are unconstrained `numeric` (every digit the ledger computed, read back
-- in canonical text); a vault's config, overlay and a persona are the JSON documents the vaults module validated.
DROP TABLE "positions";--> statement-breakpoint
DROP TABLE "vaults";--> statement-breakpoint
DROP TABLE "personas";--> statement-breakpoint
CREATE TABLE "vaults" (
	"id" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"config" jsonb NOT NULL,
	"overlay" jsonb,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "vaults_version_ck" CHECK ("vaults"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "vault_versions" (
	"vault_id" text NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"config" jsonb NOT NULL,
	"overlay" jsonb,
	"actor" text NOT NULL,
	"reason" text NOT NULL,
	"at" bigint NOT NULL,
	"event_id" text NOT NULL,
	CONSTRAINT "vault_versions_vault_id_version_pk" PRIMARY KEY("vault_id","version"),
	CONSTRAINT "vault_versions_kind_ck" CHECK ("vault_versions"."kind" in ('created', 'config_replaced', 'overlay_set', 'persona_set'))
);
--> statement-breakpoint
CREATE TABLE "personas" (
	"id" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"persona" jsonb NOT NULL,
	"actor" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "personas_version_ck" CHECK ("personas"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "persona_versions" (
	"persona_id" text NOT NULL,
	"version" integer NOT NULL,
	"persona" jsonb NOT NULL,
	"actor" text NOT NULL,
	"reason" text NOT NULL,
	"at" bigint NOT NULL,
	"event_id" text NOT NULL,
	CONSTRAINT "persona_versions_persona_id_version_pk" PRIMARY KEY("persona_id","version")
);
--> statement-breakpoint
CREATE TABLE "vault_states" (
	"vault_id" text PRIMARY KEY NOT NULL,
	"revision" integer NOT NULL,
	"cash" numeric NOT NULL,
	"reserve" numeric NOT NULL,
	"withdrawn" numeric NOT NULL,
	"realized_pnl" numeric NOT NULL,
	"uncompounded_pnl" numeric NOT NULL,
	"pending_sweep" numeric NOT NULL,
	"fees" numeric NOT NULL,
	"stopped_convictions" text[] DEFAULT '{}'::text[] NOT NULL,
	"last_compounded_at" bigint,
	"updated_at" bigint NOT NULL,
	"loan_lender" text,
	"loan_principal" numeric,
	"loan_high_water_mark" numeric,
	"loan_interest_owed" numeric,
	"loan_interest_paid" numeric,
	"loan_lender_owed" numeric,
	"loan_lender_paid" numeric,
	"loan_vault_share" numeric,
	"loan_accrued_through" bigint,
	CONSTRAINT "vault_states_revision_ck" CHECK ("vault_states"."revision" >= 0),
	CONSTRAINT "vault_states_loan_ck" CHECK (num_nulls("vault_states"."loan_lender", "vault_states"."loan_principal", "vault_states"."loan_high_water_mark", "vault_states"."loan_interest_owed", "vault_states"."loan_interest_paid", "vault_states"."loan_lender_owed", "vault_states"."loan_lender_paid", "vault_states"."loan_vault_share", "vault_states"."loan_accrued_through") in (0, 9))
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"vault_id" text NOT NULL,
	"instrument" text NOT NULL,
	"quantity" numeric NOT NULL,
	"cost_basis" numeric NOT NULL,
	"avg_price" numeric NOT NULL,
	"realized_pnl" numeric NOT NULL,
	"opened_at" bigint NOT NULL,
	"conviction_id" text,
	"conviction_expires_at" bigint,
	"next_leg" integer NOT NULL,
	"expiry_handled" boolean NOT NULL,
	CONSTRAINT "positions_vault_id_instrument_pk" PRIMARY KEY("vault_id","instrument"),
	CONSTRAINT "positions_quantity_ck" CHECK ("positions"."quantity" <> 0)
);
--> statement-breakpoint
CREATE TABLE "vault_fills" (
	"vault_id" text NOT NULL,
	"fill_id" text NOT NULL,
	"revision" integer NOT NULL,
	CONSTRAINT "vault_fills_vault_id_fill_id_pk" PRIMARY KEY("vault_id","fill_id")
);
--> statement-breakpoint
CREATE TABLE "vault_growth" (
	"vault_id" text NOT NULL,
	"ts" bigint NOT NULL,
	"equity" numeric NOT NULL,
	"nav" numeric NOT NULL,
	"cash" numeric NOT NULL,
	"reserve" numeric NOT NULL,
	"withdrawn" numeric NOT NULL,
	"realized_pnl" numeric NOT NULL,
	"unrealized_pnl" numeric NOT NULL,
	"total_value" numeric NOT NULL,
	CONSTRAINT "vault_growth_vault_id_ts_pk" PRIMARY KEY("vault_id","ts")
);
--> statement-breakpoint
CREATE TABLE "audit_checkpoints" (
	"from_seq" bigint PRIMARY KEY NOT NULL,
	"to_seq" bigint NOT NULL,
	"root" char(64) NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "audit_checkpoints_span_ck" CHECK ("audit_checkpoints"."from_seq" >= 1 and "audit_checkpoints"."to_seq" >= "audit_checkpoints"."from_seq")
);
--> statement-breakpoint
ALTER TABLE "vault_versions" ADD CONSTRAINT "vault_versions_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "persona_versions" ADD CONSTRAINT "persona_versions_persona_id_personas_id_fk" FOREIGN KEY ("persona_id") REFERENCES "public"."personas"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "vault_states" ADD CONSTRAINT "vault_states_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "vault_fills" ADD CONSTRAINT "vault_fills_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "vault_growth" ADD CONSTRAINT "vault_growth_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- The audit log and its checkpoints only ever grow. The hash chain makes a change detectable; this makes it
-- refused: any UPDATE, DELETE or TRUNCATE statement on either table fails (a statement trigger, so even one
-- that would touch no row), and no role but the owner holds those privileges. Someone with superuser rights can
-- still switch triggers off; `vanta audit verify` and the stored checkpoints are what catch that.
CREATE FUNCTION "vanta_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'object_not_in_prerequisite_state',
			HINT = 'audit entries are only ever appended; run `vanta audit verify` to check the chain';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "vanta_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION "vanta_append_only"();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM PUBLIC;
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_checkpoints" FROM PUBLIC;
