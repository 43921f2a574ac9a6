/** drizzle-kit: `npm run db:generate` writes SQL migrations for both drivers into ./migrations. */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/engine/store/schema.ts',
  out: './migrations',
});
