CREATE TABLE "entities" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"name_version" text,
	"attrs" jsonb NOT NULL,
	"attrs_version" text,
	"first_seen" bigint NOT NULL,
	"last_seen" bigint NOT NULL,
	"created_by" text NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "entities_kind_ck" CHECK ("entities"."kind" in ('instrument', 'filer', 'person', 'wallet', 'token', 'label', 'author')),
	CONSTRAINT "entities_seen_ck" CHECK ("entities"."first_seen" <= "entities"."last_seen")
);
--> statement-breakpoint
CREATE TABLE "entity_edges" (
	"src" text NOT NULL,
	"kind" text NOT NULL,
	"dst" text NOT NULL,
	"attrs" jsonb NOT NULL,
	"attrs_version" text,
	"first_seen" bigint NOT NULL,
	"last_seen" bigint NOT NULL,
	"created_by" text NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "entity_edges_src_kind_dst_pk" PRIMARY KEY("src","kind","dst"),
	CONSTRAINT "entity_edges_kind_ck" CHECK ("entity_edges"."kind" in ('issuer_of', 'insider_of', 'holds', 'labelled_as', 'mentions', 'transfers_to', 'token_of')),
	CONSTRAINT "entity_edges_seen_ck" CHECK ("entity_edges"."first_seen" <= "entity_edges"."last_seen")
);
--> statement-breakpoint
ALTER TABLE "entity_edges" ADD CONSTRAINT "entity_edges_src_entities_id_fk" FOREIGN KEY ("src") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entity_edges" ADD CONSTRAINT "entity_edges_dst_entities_id_fk" FOREIGN KEY ("dst") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entities_kind_idx" ON "entities" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "entity_edges_dst_kind_idx" ON "entity_edges" USING btree ("dst","kind");--> statement-breakpoint
CREATE INDEX "entity_edges_created_by_idx" ON "entity_edges" USING btree ("created_by");