#!/usr/bin/env node
// The `sluice` command: the bundle built from cli/ and src/ (scripts/bundle.mjs).
// A published package carries it; a clone builds it with `npm ci` (or `npm run build`).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/sluice.mjs', import.meta.url);
if (!existsSync(bundle)) {
  console.error('sluice: dist/sluice.mjs is missing. In a clone of the sources build it first: npm ci && npm run build');
  process.exit(1);
}
await import(bundle.href);
