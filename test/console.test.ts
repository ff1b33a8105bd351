import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium, openPage, screenshotPath } from './helpers/browser.js';
import { runSql, setEditorText, shownRowCount, statusIs, useConsoleServer, visibleRows } from './helpers/console-page.js';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { postKsql } from './helpers/rest.js';

describeIf(BUNDLE_BUILT, DIST)('GET / without a browser', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server?.stop());

  it('redirects clients that do not ask for HTML to /info, as ksqlDB does', async () => {
    const res = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('/info');
  });

  it('serves the console page to browsers under a same-origin content security policy, and its assets gzipped', async () => {
    const res = await fetch(`${server.url}/`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    const html = await res.text();
    expect(html).toContain(`<meta name="csp-nonce" content="${nonce}">`);
    expect(html).toContain('<script type="module" src="/console/app.js"></script>');
    const js = await fetch(`${server.url}/console/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const again = await fetch(`${server.url}/console/app.js`, { headers: { 'if-none-match': js.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });
});

describeIf(BUNDLE_BUILT, DIST)('sluice server --no-console', () => {
  it('redirects browsers to /info too and serves no console assets', async () => {
    const server = await startServerProcess({}, { args: ['--no-console'] });
    try {
      const res = await fetch(`${server.url}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
      expect(res.status).toBe(307);
      expect(res.headers.get('location')).toBe('/info');
      const js = await fetch(`${server.url}/console/app.js`);
      expect(js.status).toBe(404);
      expect(((await js.json()) as { error_code: number }).error_code).toBe(40400);
    } finally {
      await server.stop();
    }
  });
});

describeIf(BUNDLE_BUILT && HAVE_CHROMIUM, `${DIST} and ${CHROMIUM}`)('the web console in Chromium', () => {
  const suite = useConsoleServer();

  it('runs the mission statements typed in the editor and streams push-query rows as another client inserts', async () => {
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await runSql(page, "CREATE STREAM clicks (user_id VARCHAR KEY, url VARCHAR, status INT) WITH (kafka_topic='clicks', partitions=1, value_format='JSON');");
      await expect.poll(() => page.locator('.status-message').textContent()).toBe('Stream created');
      await runSql(page, 'SELECT user_id, url, status FROM clicks EMIT CHANGES;', ['Streaming']);
      for (let i = 0; i < 3; i++) await postKsql(suite.server.url, `INSERT INTO clicks (user_id, url, status) VALUES ('u${i}', '/p${i}', ${200 + i});`);
      await eventually('three pushed rows counted and drawn', async () => {
        expect(await shownRowCount(page)).toBe(3);
        // The count is updated as rows arrive, the table on the next animation frame.
        expect(await visibleRows(page)).toEqual([
          ['u0', '/p0', '200'],
          ['u1', '/p1', '201'],
          ['u2', '/p2', '202'],
        ]);
        return true;
      });
      await page.screenshot({ path: screenshotPath('console-push-query.png') });
      await page.getByRole('button', { name: 'Stop' }).click();
      await statusIs(page, ['Stopped']);
      await eventually('the push query closed on the server', async () => {
        const res = (await postKsql(suite.server.url, 'SHOW QUERIES;')) as { queries: { queryType: string }[] }[];
        return res[0]!.queries.every((q) => q.queryType !== 'PUSH');
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('marks a syntax error at its line and column in the editor', async () => {
    const { page, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await setEditorText(page, 'SHOW STREAMS;\nSELECT *\n  FRM clicks;');
      await page.keyboard.press('ControlOrMeta+Enter');
      await statusIs(page, ['Error 40001']);
      const marked = page.locator('.cm-lintRange-error');
      await eventually('the error mark', async () => (await marked.count()) === 1);
      expect(await marked.textContent()).toBe('FRM');
      expect(await page.locator('pre.error').textContent()).toContain('line 2:3: Syntax Error');
    } finally {
      await context.close();
    }
  });
});

describeIf(BUNDLE_BUILT && HAVE_CHROMIUM, `${DIST} and ${CHROMIUM}`)('the web console with Basic auth', () => {
  it('refuses to load without credentials and loads, and queries, with them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-console-auth-'));
    fs.writeFileSync(path.join(dir, 'users'), 'alice:s3cret\n');
    const [server, browser] = await Promise.all([startServerProcess({}, { args: ['--auth-file', path.join(dir, 'users')] }), launchChromium()]);
    try {
      const anonymous = await openPage(browser);
      const refused = await anonymous.page.goto(`${server.url}/`).then(
        (res) => `status ${res?.status()}`,
        (e: Error) => e.message,
      );
      // Headless Chromium either shows the 401 or, having no one to ask for a password, gives up on the challenge.
      expect(refused).toMatch(/status 401|ERR_INVALID_AUTH_CREDENTIALS/);
      expect(await anonymous.page.locator('.cm-content').count()).toBe(0);
      await anonymous.context.close();

      const wrong = await openPage(browser, { httpCredentials: { username: 'alice', password: 'nope' } });
      const wrongly = await wrong.page.goto(`${server.url}/`).then(
        (res) => `status ${res?.status()}`,
        (e: Error) => e.message,
      );
      expect(wrongly).toMatch(/status 401|ERR_INVALID_AUTH_CREDENTIALS/);
      await wrong.context.close();

      const alice = await openPage(browser, { httpCredentials: { username: 'alice', password: 's3cret' } });
      const res = await alice.page.goto(`${server.url}/`);
      expect(res?.status()).toBe(200);
      await runSql(alice.page, 'SHOW STREAMS;');
      await expect.poll(() => alice.page.locator('table.entity-table').first().textContent()).toContain('KSQL_PROCESSING_LOG');
      expect(alice.errors).toEqual([]);
      await alice.context.close();
    } finally {
      await browser.close();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
