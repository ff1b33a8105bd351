import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import { eventually } from './eventually.js';

/** Replaces the console editor's text with `sql` (typed as a user pastes it). */
export async function setEditorText(page: Page, sql: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
}

/** Puts the cursor at the end of the editor's text and presses Ctrl-Enter (runs the statement under the cursor). */
export async function runUnderCursor(page: Page): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('ControlOrMeta+Enter');
}

/** Types `sql` and runs it, waiting until the run's status is one of `until` (default Done). */
export async function runSql(page: Page, sql: string, until: readonly string[] = ['Done']): Promise<string> {
  await setEditorText(page, sql);
  await runUnderCursor(page);
  return statusIs(page, until);
}

/** Waits until the results' status reads one of `states`; resolves with it. */
export async function statusIs(page: Page, states: readonly string[]): Promise<string> {
  return eventually(`the run status to be one of ${states.join(', ')}`, async () => {
    const s = (await page.locator('.run-status').textContent())?.trim() ?? '';
    return states.includes(s) ? s : undefined;
  });
}

/** The number the results bar shows as its row count (0 when none). */
export async function shownRowCount(page: Page): Promise<number> {
  const t = (await page.locator('[data-testid=row-count]').textContent()) ?? '';
  const m = /([\d,]+) rows?/.exec(t);
  return m ? Number(m[1]!.replace(/,/g, '')) : 0;
}

/** The texts of the cells of the result rows drawn now (virtualized: those in view), top to bottom. */
export async function visibleRows(page: Page): Promise<string[][]> {
  const rows = await page.locator('.vt-row').all();
  const out: { index: number; cells: string[] }[] = [];
  for (const r of rows) {
    out.push({ index: Number(await r.getAttribute('aria-rowindex')), cells: await r.locator('.vt-cell').allTextContents() });
  }
  return out.sort((a, b) => a.index - b.index).map((r) => r.cells);
}

/** A server process and a browser shared by one suite's tests. */
export interface ConsoleSuite {
  readonly server: ServerProcess;
  readonly browser: Browser;
}

/**
 * Starts a `sluice server` process and headless Chromium before the suite's
 * tests and stops both after them. Read the fields inside tests and hooks
 * (they are set once the suite's first hook has run).
 */
export function useConsoleServer(): ConsoleSuite {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server(): ServerProcess {
      if (!server) throw new Error('the console suite has not started its server');
      return server;
    },
    get browser(): Browser {
      if (!browser) throw new Error('the console suite has not started its browser');
      return browser;
    },
  };
}

/** Waits (with {@link eventually}) until `locator` matches an element that is visible, or, with `hidden`, until none is. */
export async function shown(locator: Locator, what: string, hidden = false): Promise<void> {
  await eventually(hidden ? `${what} to be hidden` : what, async () => (await locator.isVisible()) !== hidden);
}
