import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM, openPage, screenshotPath } from './helpers/browser.js';
import { runSql, setEditorText, shownRowCount, statusIs, useConsoleServer, visibleRows } from './helpers/console-page.js';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT } from './helpers/server-process.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const run = promisify(execFile);

/** Runs `sluice datagen` against the server, as a user's second terminal would. */
async function datagen(url: string, quickstart: string, iterations: number): Promise<void> {
  await run(process.execPath, [
    path.join(root, 'bin', 'sluice.js'),
    'datagen',
    '--quickstart',
    quickstart,
    '--iterations',
    String(iterations),
    '--rate',
    '0',
    '--seed',
    '7',
    '--quiet',
    '--server',
    url,
  ]);
}

/** `2026-12-07 12:01:00.000`: how the console shows a window bound. */
const SHOWN_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

describeIf(BUNDLE_BUILT && HAVE_CHROMIUM, `${DIST} and ${CHROMIUM}`)("the mission's flows from the web console", () => {
  const suite = useConsoleServer();

  it('creates the error-count and fraud tables from the quickstart scripts and watches them update while datagen runs', async () => {
    const { page, context, errors } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      // Both scripts at once: select everything and run it, as a user pasting them would.
      const scripts = ['error-counts.sql', 'possible-fraud.sql'].map((f) => fs.readFileSync(path.join(root, 'examples', 'quickstart', f), 'utf8'));
      await setEditorText(page, scripts.join('\n'));
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('ControlOrMeta+Enter');
      await statusIs(page, ['Done']);
      await eventually('four statements answered', async () => {
        expect(await page.locator('.status-message').allTextContents()).toEqual([
          'Stream created',
          'Created query with ID CTAS_ERROR_COUNTS_0',
          'Stream created',
          'Created query with ID CTAS_POSSIBLE_FRAUD_1',
        ]);
        return true;
      });

      await page.locator('#auto-offset-reset').selectOption('earliest');
      await runSql(page, 'SELECT * FROM error_counts EMIT CHANGES;', ['Streaming']);
      await datagen(suite.server.url, 'monitoring', 200);
      const counts = await eventually('error counts in the push table', async () => {
        const rows = await visibleRows(page);
        return rows.length > 0 && (await shownRowCount(page)) > 0 ? rows : undefined;
      });
      expect(await page.locator('.vt-head .vt-cell').allTextContents()).toEqual(['ERROR_CODE', 'WINDOWSTART', 'WINDOWEND', 'ERRORS']);
      for (const [code, start, end, n] of counts) {
        expect(Number(code)).toBeGreaterThanOrEqual(400);
        expect(start).toMatch(SHOWN_TIME);
        expect(end).toMatch(SHOWN_TIME);
        expect(Number(n)).toBeGreaterThan(0);
      }
      await page.screenshot({ path: screenshotPath('console-error-counts.png') });
      await page.getByRole('button', { name: 'Stop' }).click();
      await statusIs(page, ['Stopped']);

      await runSql(page, 'SELECT * FROM possible_fraud EMIT CHANGES;', ['Streaming']);
      await datagen(suite.server.url, 'transactions', 300);
      const fraud = await eventually('a card with more than 3 attempts', async () => {
        const rows = await visibleRows(page);
        return rows.length > 0 ? rows : undefined;
      });
      for (const r of fraud) expect(Number(r[3])).toBeGreaterThan(3);
      await page.getByRole('button', { name: 'Stop' }).click();
      await statusIs(page, ['Stopped']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
