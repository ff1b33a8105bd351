#!/usr/bin/env node
// The `sluice` command: the bundle built from cli/ and src/ (scripts/bundle.mjs). A
// published package carries it; in a clone the first run builds it (about a second).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/sluice.mjs', import.meta.url);
if (!existsSync(bundle)) {
  const builder = new URL('../scripts/build-if-needed.mjs', import.meta.url);
  const built = existsSync(builder) && (await (await import(builder.href)).ensureBundle());
  if (!built) {
    console.error('sluice: dist/sluice.mjs is missing. In a clone of the sources: npm ci && npm run build');
    process.exit(1);
  }
}
await import(bundle.href);
