/**
 * The web console's built assets (console/, bundled by scripts/bundle.mjs):
 * one script and one stylesheet. The server adds the page that loads them
 * (routes/console.ts).
 */
export interface ConsoleAssets {
  readonly js: string;
  readonly css: string;
}
