// @ts-check
/**
 * The entry file of a TF.js pool worker (see pool.ts). Plain JavaScript on purpose, as pglite-worker.js: a
 * worker thread starts without the TypeScript loader the rest of the code may run under (tsx, vitest), so this
 * file loads in bare Node and brings in the task module: the compiled `worker-tasks.js` when there is one
 * (after `npm run build`), else `worker-tasks.ts` through tsx's loader.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('./worker-tasks.js', import.meta.url);
/** @type {{ default: (task: unknown) => Promise<unknown> }} */
const tasks = existsSync(fileURLToPath(compiled))
  ? await import(compiled.href)
  : await (await import('tsx/esm/api')).tsImport('./worker-tasks.ts', import.meta.url);

export default tasks.default;
