/**
 * The JSON Schemas of the vault file, the overlay and the persona, generated from the zod schemas so they
 * can never disagree with what the engine accepts. The committed copies in `data/vaults/` let editors check
 * vault files; a test fails when they are stale (regenerate with `writeVaultJsonSchemas()`).
 *
 * The JSON Schemas describe shape only; the cross-field checks of validate.ts (caps ordering, known
 * instruments and personas) need the engine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PersonaSchema } from './persona-schema.js';
import { VaultConfigSchema, VaultOverlaySchema } from './vault-schema.js';

export const VAULT_DATA_DIR = fileURLToPath(new URL('../../../data/vaults/', import.meta.url));

export const SCHEMA_FILES = ['vault.schema.json', 'vault_overlay.schema.json', 'persona.schema.json'] as const;
export type SchemaFile = (typeof SCHEMA_FILES)[number];

/** The file name and text of each JSON Schema, as committed. */
export function renderVaultJsonSchemas(): Readonly<Record<SchemaFile, string>> {
  // `io: 'input'`: a field with a default may be left out of a file.
  const render = (schema: z.ZodType) => `${JSON.stringify(z.toJSONSchema(schema, { io: 'input' }), null, 2)}\n`;
  return {
    'vault.schema.json': render(VaultConfigSchema),
    'vault_overlay.schema.json': render(VaultOverlaySchema),
    'persona.schema.json': render(PersonaSchema),
  };
}

/** Writes the JSON Schemas to `dir` (data/vaults by default); returns the paths written. */
export async function writeVaultJsonSchemas(dir = VAULT_DATA_DIR): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of Object.entries(renderVaultJsonSchemas())) {
    const path = join(dir, file);
    await writeFile(path, text, 'utf8');
    written.push(path);
  }
  return written;
}
