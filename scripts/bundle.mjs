// Bundles the `sluice` command into dist/sluice.mjs: one file instead of several
// hundred modules (ours and our dependencies'), which is what makes start-up fast.
// classic-level stays external: it loads a native addon.
//
// The web console (console/) is built first, for browsers, and its script and
// stylesheet are put into the bundle as one constant (__SLUICE_CONSOLE__, read by
// cli/console-assets.ts): the server serves them itself, nothing to fetch or install.
import { build } from 'esbuild';

const web = await build({
  entryPoints: ['console/src/main.ts', 'console/src/styles.css'],
  bundle: true,
  platform: 'browser',
  target: ['chrome111', 'firefox113', 'safari16.4'],
  format: 'esm',
  minify: true,
  write: false,
  outdir: 'dist/console',
  entryNames: 'app',
  logLevel: 'warning',
  legalComments: 'none',
});
const asset = (ext) => {
  const file = web.outputFiles.find((f) => f.path.endsWith(`app.${ext}`));
  if (!file) throw new Error(`console build made no app.${ext}`);
  return file.text;
};
const consoleAssets = { js: asset('js'), css: asset('css') };

await build({
  entryPoints: ['cli/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outfile: 'dist/sluice.mjs',
  external: ['classic-level', 'pg-native'],
  banner: { js: "import { createRequire as __sluiceRequire } from 'node:module'; const require = __sluiceRequire(import.meta.url);" },
  define: { __SLUICE_CONSOLE__: JSON.stringify(consoleAssets) },
  logLevel: 'warning',
  sourcemap: 'linked',
});
