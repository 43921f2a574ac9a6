-- API keys: only a SHA-256 of each key's secret is kept, so a leaked table does not leak usable keys. The id is
-- the key's public prefix (`vk_<id>_<secret>`), which is what lists, logs and audit entries show.
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"roles" text[] NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_used_at" bigint,
	"revoked_at" bigint,
	CONSTRAINT "api_keys_roles_ck" CHECK (cardinality("api_keys"."roles") >= 1 and "api_keys"."roles" <@ array['ALPHA', 'MARKETS', 'EXECUTOR', 'VIEWER']::text[]),
	CONSTRAINT "api_keys_hash_ck" CHECK ("api_keys"."secret_hash" ~ '^[0-9a-f]{64}$')
);
