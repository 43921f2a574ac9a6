#!/usr/bin/env node
// The `vanta` command. Runs the TypeScript sources through tsx's loader, so no build step is needed.
// The project's tsconfig is named explicitly: the command may run from any working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/main.ts');
