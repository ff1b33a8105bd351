// Builds the `sluice` bundle (dist/sluice.mjs) when it is missing or older than the
// sources, and says so: `npm ci` runs it as `prepare`, `npm start` before starting the
// server. Only esbuild is needed (about a second); tsc, the type check, is `npm test`'s
// and `npm run build`'s. Where the dev dependencies are not installed (`npm install
// --omit=dev` in a clone) it builds nothing and says what to do.
//
//   node scripts/build-if-needed.mjs            build if stale; skip quietly without esbuild
//   node scripts/build-if-needed.mjs --required build if stale; fail without esbuild when
//                                               there is no bundle at all
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'sluice.mjs');
const required = process.argv.includes('--required');

/** Newest modification time of the files the bundle is made from. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const dir of ['src', 'cli']) if (existsSync(join(root, dir))) walk(join(root, dir));
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

const missing = !existsSync(bundle);
// A packed copy has no sources: its bundle is what it runs.
const hasSources = existsSync(join(root, 'cli', 'main.ts'));
if (hasSources && (missing || statSync(bundle).mtimeMs < newestSource())) {
  if (!hasEsbuild()) {
    const what = 'the dev dependencies (esbuild) are not installed: `npm ci` installs them';
    if (missing && required) {
      console.error(`sluice: dist/sluice.mjs is missing and cannot be built: ${what}`);
      process.exit(1);
    }
    console.error(`sluice: not building dist/sluice.mjs: ${what}`);
  } else {
    console.error(`sluice: ${missing ? 'building' : 'rebuilding'} dist/sluice.mjs (esbuild)…`);
    const started = Date.now();
    await import('./bundle.mjs');
    console.error(`sluice: built dist/sluice.mjs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
