// Bundles the `sluice` command into dist/sluice.mjs: one file instead of several
// hundred modules (ours and our dependencies'), which is what makes start-up fast.
// classic-level stays external: it loads a native addon.
import { build } from 'esbuild';

await build({
  entryPoints: ['cli/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outfile: 'dist/sluice.mjs',
  external: ['classic-level', 'pg-native'],
  banner: { js: "import { createRequire as __sluiceRequire } from 'node:module'; const require = __sluiceRequire(import.meta.url);" },
  logLevel: 'warning',
  sourcemap: 'linked',
});
