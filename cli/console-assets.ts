import type { ConsoleAssets } from '../src/server/index.js';

/** Set by scripts/bundle.mjs (esbuild `define`): the web console built from console/. Absent when run from sources. */
declare const __SLUICE_CONSOLE__: ConsoleAssets | undefined;

/** The web console built into this bundle, or undefined (running from sources, not bundled). */
export function builtInConsole(): ConsoleAssets | undefined {
  return typeof __SLUICE_CONSOLE__ === 'undefined' ? undefined : __SLUICE_CONSOLE__;
}
