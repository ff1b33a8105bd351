// The web console's figures, measured in Debian's Chromium (headless) against a real server:
//   node bench/console.mjs [--rows=100000] [--loads=5]
// - page weight: the page, script and stylesheet as sent gzipped (bytes on the wire);
// - time to first render: navigation start to the console drawn and usable (its
//   `sluice-console-ready` performance mark), median of --loads fresh page loads;
// - push-table rendering: a push query streaming --rows rows into the results table
//   (rows already in the topic, auto.offset.reset=earliest, so they arrive as fast as the
//   server sends them); measured in the page: rows/s absorbed, frames drawn and the
//   longest frame while they arrive, then frames while scrolling through all of them.
// Build first (npm run build); needs /usr/bin/chromium (scripts/chromium-local.sh install).
// Prints one JSON line.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? fallback : Number(a.slice(name.length + 3));
};
const ROWS = arg('rows', 100_000);
const LOADS = arg('loads', 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startServer(dataDir) {
  const child = spawn(process.execPath, [join(root, 'bin', 'sluice.js'), 'server', '--port', '0', '--no-schema-registry', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /Sluice server listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
  return { child, url };
}

async function ksql(url, sql) {
  const res = await fetch(`${url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  if (!res.ok) throw new Error(`${sql}: ${await res.text()}`);
}

async function wireBytes(url, path, accept) {
  const res = await fetch(`${url}${path}`, { headers: { accept, 'accept-encoding': 'gzip' } });
  // fetch decodes the body; the size on the wire is the declared length (gzip) or, when the server streams, the body.
  const declared = Number(res.headers.get('content-length'));
  const body = Buffer.from(await res.arrayBuffer());
  return { bytes: declared > 0 ? declared : body.length, encoding: res.headers.get('content-encoding') ?? 'identity' };
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-console-bench-'));
const { child, url } = await startServer(join(dir, 'data'));
const browser = await chromium.launch({
  executablePath: process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  const page = await wireBytes(url, '/', 'text/html');
  const js = await wireBytes(url, '/console/app.js', '*/*');
  const css = await wireBytes(url, '/console/app.css', 'text/css');

  const renders = [];
  for (let i = 0; i < LOADS; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await ctx.newPage();
    await p.goto(`${url}/`);
    await p.waitForFunction(() => performance.getEntriesByName('sluice-console-ready').length > 0);
    renders.push(await p.evaluate(() => performance.getEntriesByName('sluice-console-ready')[0].startTime));
    await ctx.close();
  }

  await ksql(
    url,
    "CREATE STREAM bench_rows (id BIGINT KEY, host VARCHAR, code INT, message VARCHAR) WITH (kafka_topic='bench_rows', partitions=1, value_format='JSON');",
  );
  const lines = ['{"target":"BENCH_ROWS"}'];
  for (let i = 0; i < ROWS; i++) lines.push(JSON.stringify({ ID: i, HOST: `web-${i % 17}`, CODE: 200 + (i % 5) * 100, MESSAGE: `request ${i} served` }));
  const ins = await fetch(`${url}/inserts-stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.ksqlapi.delimited.v1' },
    body: `${lines.join('\n')}\n`,
  });
  await ins.text();

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await ctx.newPage();
  await p.goto(`${url}/`);
  await p.waitForFunction(() => performance.getEntriesByName('sluice-console-ready').length > 0);
  await p.locator('#auto-offset-reset').selectOption('earliest');
  await p.locator('.cm-content').click();
  await p.keyboard.press('Control+A');
  await p.keyboard.insertText(`SELECT * FROM bench_rows EMIT CHANGES LIMIT ${ROWS};`);
  // In the page: every frame, read the row count the console shows; stop at ROWS.
  const watching = p.evaluate(
    (rows) =>
      new Promise((resolve) => {
        const counter = document.querySelector('[data-testid=row-count]');
        let first = 0;
        let frames = 0;
        let longest = 0;
        let last = performance.now();
        const tick = (now) => {
          const n = Number((counter.textContent ?? '').replace(/[^\d]/g, '')) || 0;
          if (n > 0) {
            if (first === 0) first = now;
            frames++;
            longest = Math.max(longest, now - last);
          }
          last = now;
          if (n >= rows) {
            const drawn = document.querySelectorAll('.vt-row').length;
            resolve({ ms: now - first, frames, longestFrameMs: longest, rowsInDom: drawn });
          } else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    ROWS,
  );
  await p.keyboard.press('Control+Enter');
  const push = await watching;
  // Scroll through all rows: the frames it takes, and the slowest one.
  const scroll = await p.evaluate(
    () =>
      new Promise((resolve) => {
        const v = document.querySelector('.vt-viewport');
        const steps = 200;
        let i = 0;
        let longest = 0;
        const start = performance.now();
        let last = start;
        const tick = (now) => {
          longest = Math.max(longest, now - last);
          last = now;
          v.scrollTop = (v.scrollHeight * i) / steps;
          if (++i > steps) resolve({ frames: steps, ms: now - start, longestFrameMs: longest });
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
  );
  await ctx.close();
  const round = (x) => Math.round(x * 10) / 10;
  console.log(
    JSON.stringify({
      pageWeightGzipKB: round((page.bytes + js.bytes + css.bytes) / 1024),
      parts: { html: page, js, css },
      firstRenderMsMedian: round(median(renders)),
      firstRenderMs: renders.map(round),
      push: {
        rows: ROWS,
        seconds: round(push.ms / 1000),
        rowsPerSecond: Math.round((ROWS * 1000) / push.ms),
        framesPerSecond: round((push.frames * 1000) / push.ms),
        longestFrameMs: round(push.longestFrameMs),
        rowsInDom: push.rowsInDom,
      },
      scroll: { frames: scroll.frames, fps: round((scroll.frames * 1000) / scroll.ms), longestFrameMs: round(scroll.longestFrameMs) },
    }),
  );
} finally {
  await browser.close();
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
