import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { runSql, shownRowCount, statusIs, useConsoleServer, visibleRows } from './helpers/console-page.js';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, startServerProcess } from './helpers/server-process.js';
import { HAVE_OPENSSL, OPENSSL, selfSignedCert } from './helpers/tls.js';
import { insertRows, postKsql } from './helpers/rest.js';

/** Writes rows {ID: from…to-1, V: 'v<i>'} into stream `target`, checking each is acknowledged. */
async function insertRange(url: string, target: string, from: number, to: number): Promise<void> {
  const rows: { ID: number; V: string }[] = [];
  for (let i = from; i < to; i++) rows.push({ ID: i, V: `v${i}` });
  expect(await insertRows(url, target, rows)).toHaveLength(to - from);
}

/** The file a click on an export button downloads, as text. */
async function exported(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

describeIf(BUNDLE_BUILT && HAVE_CHROMIUM, `${DIST} and ${CHROMIUM}`)("the console's results", () => {
  const suite = useConsoleServer();
  beforeAll(async () => {
    await postKsql(suite.server.url, "CREATE STREAM many (id BIGINT KEY, v VARCHAR) WITH (kafka_topic='many', partitions=1, value_format='JSON');");
    await postKsql(suite.server.url, "CREATE STREAM live (id BIGINT KEY, v VARCHAR) WITH (kafka_topic='live', partitions=1, value_format='JSON');");
  }, 60_000);

  it('keeps only the rows in view in the page while a push query brings 20,000, and scrolls to any of them', async () => {
    await insertRange(suite.server.url, 'MANY', 0, 20_000);
    const { page, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await page.locator('#auto-offset-reset').selectOption('earliest');
      await runSql(page, 'SELECT id, v FROM many EMIT CHANGES LIMIT 20000;');
      expect(await shownRowCount(page)).toBe(20_000);
      // Following the newest rows: the last one is drawn, and only a screenful (plus a margin) is in the page.
      await eventually('the last row drawn', async () => (await visibleRows(page)).at(-1)?.[0] === '19999');
      expect(await page.locator('.vt-row').count()).toBeLessThan(100);
      await page.locator('.vt-viewport').evaluate((v) => {
        (v as unknown as { scrollTop: number }).scrollTop = 0;
      });
      await eventually('the first rows drawn after scrolling up', async () => {
        expect((await visibleRows(page)).slice(0, 2)).toEqual([
          ['0', 'v0'],
          ['1', 'v1'],
        ]);
        return true;
      });
      expect(await page.locator('.vt-row').count()).toBeLessThan(100);
    } finally {
      await context.close();
    }
  });

  it('holds arriving rows while paused and shows them on resume, counting them all along', async () => {
    const { page, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await runSql(page, 'SELECT id, v FROM live EMIT CHANGES;', ['Streaming']);
      await page.getByRole('button', { name: 'Pause' }).click();
      await statusIs(page, ['Paused']);
      await insertRange(suite.server.url, 'LIVE', 0, 3);
      await eventually('three rows counted', async () => (await shownRowCount(page)) === 3);
      expect(await page.locator('.vt-row').count()).toBe(0);
      await page.getByRole('button', { name: 'Resume' }).click();
      await eventually('the held rows drawn', async () => {
        expect(await visibleRows(page)).toEqual([
          ['0', 'v0'],
          ['1', 'v1'],
          ['2', 'v2'],
        ]);
        return true;
      });
      await statusIs(page, ['Streaming']);
      await page.getByRole('button', { name: 'Stop' }).click();
      await statusIs(page, ['Stopped']);
    } finally {
      await context.close();
    }
  });

  it('exports the rows as CSV and as JSON', async () => {
    await postKsql(suite.server.url, "CREATE STREAM quoted (id BIGINT KEY, v VARCHAR) WITH (kafka_topic='quoted', partitions=1, value_format='JSON');");
    expect(
      await insertRows(suite.server.url, 'QUOTED', [
        { ID: 1, V: 'plain' },
        { ID: 2, V: 'a "quoted", text' },
      ]),
    ).toHaveLength(2);
    const { page, context } = await openPage(suite.browser, { acceptDownloads: true });
    try {
      await page.goto(`${suite.server.url}/`);
      await page.locator('#auto-offset-reset').selectOption('earliest');
      await runSql(page, 'SELECT id, v FROM quoted EMIT CHANGES LIMIT 2;');
      const csv = await exported(page, 'CSV');
      expect(csv.name).toBe('results.csv');
      expect(csv.text).toBe('ID,V\r\n1,plain\r\n2,"a ""quoted"", text"\r\n');
      const json = await exported(page, 'JSON');
      expect(json.name).toBe('results.json');
      expect(JSON.parse(json.text)).toEqual([
        { ID: 1, V: 'plain' },
        { ID: 2, V: 'a "quoted", text' },
      ]);
    } finally {
      await context.close();
    }
  });
});

describeIf(BUNDLE_BUILT && HAVE_CHROMIUM && HAVE_OPENSSL, `${DIST}, ${CHROMIUM} and ${OPENSSL}`)('the console over TLS', () => {
  it('loads over https with the server certificate and runs statements there', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-console-tls-'));
    const files = selfSignedCert(dir);
    const [server, browser] = await Promise.all([startServerProcess({}, { args: ['--tls-cert', files.cert, '--tls-key', files.key] }), launchChromium()]);
    try {
      expect(server.url).toMatch(/^https:\/\//);
      // The certificate is self-signed: the test trusts it as a user who accepted it would.
      const { page, context, errors } = await openPage(browser, { ignoreHTTPSErrors: true });
      const res = await page.goto(`${server.url}/`);
      expect(res?.status()).toBe(200);
      await runSql(page, 'SHOW STREAMS;');
      await expect.poll(() => page.locator('table.entity-table').first().textContent()).toContain('KSQL_PROCESSING_LOG');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
