// Builds the `sluice` bundle (dist/sluice.mjs) in a clone when it is missing or older
// than the sources, and says so: `npm start` runs it before starting the server, and
// bin/sluice.js when there is no bundle yet (the first `npx sluice` after `npm ci`). Only
// esbuild is needed (about a second); tsc, the type check, is `npm test`'s and `npm run
// build`'s. Without the dev dependencies it builds nothing and says what to do. There is
// no `prepare` script: an installed package (which has no sources) runs its bundle as is.
//
//   node scripts/build-if-needed.mjs   build if missing or stale; fail if missing and unbuildable
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'sluice.mjs');

/** Newest modification time of the files the bundle is made from. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts') || entry.name.endsWith('.css')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const dir of ['src', 'cli', 'console']) if (existsSync(join(root, dir))) walk(join(root, dir));
  for (const file of ['package-lock.json', 'scripts/bundle.mjs']) {
    if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  }
  return newest;
}

function hasEsbuild() {
  try {
    createRequire(join(root, 'package.json')).resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds dist/sluice.mjs if it is missing or stale and esbuild is installed. Resolves
 * false when there is still no bundle (a message says why), true otherwise.
 */
export async function ensureBundle() {
  const missing = !existsSync(bundle);
  // A packed copy has no sources: its bundle is what it runs.
  if (!existsSync(join(root, 'cli', 'main.ts')) || (!missing && statSync(bundle).mtimeMs >= newestSource())) return !missing;
  if (!hasEsbuild()) {
    const what = 'the dev dependencies (esbuild) are not installed: run `npm ci` first';
    console.error(
      missing
        ? `sluice: dist/sluice.mjs is missing and cannot be built: ${what}`
        : `sluice: dist/sluice.mjs is older than the sources and not rebuilt: ${what}`,
    );
    return !missing;
  }
  console.error(`sluice: ${missing ? 'building' : 'rebuilding'} dist/sluice.mjs (esbuild)…`);
  const started = Date.now();
  await import('./bundle.mjs');
  console.error(`sluice: built dist/sluice.mjs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  if (!(await ensureBundle())) process.exit(1);
}
