import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium, openPage, screenshotPath } from './helpers/browser.js';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { postKsql } from './helpers/rest.js';

/** Runs `sql` on the server's REST API; resolves with the id of the query it started, if any. */
async function ksql(url: string, sql: string): Promise<string | undefined> {
  const body = (await postKsql(url, sql)) as { commandStatus?: { queryId?: string | null } }[];
  return body[0]?.commandStatus?.queryId ?? undefined;
}

/** An edge of the drawn graph. */
interface DrawnEdge {
  readonly from: string;
  readonly to: string;
}

/** The edges the SVG draws now (from their data-from / data-to attributes). */
async function drawnEdges(page: Page): Promise<DrawnEdge[]> {
  const out: DrawnEdge[] = [];
  for (const g of await page.locator('svg.topology-graph g.topo-edge').all()) {
    out.push({ from: (await g.getAttribute('data-from')) ?? '', to: (await g.getAttribute('data-to')) ?? '' });
  }
  return out;
}

/** The drawn node with id `id`. */
const node = (page: Page, id: string) => page.locator(`svg.topology-graph g.topo-node[data-node-id="${id}"]`);

/** The ids of the drawn nodes of `kind` whose label is `label`. */
async function nodeIds(page: Page, kind: string, label?: string): Promise<string[]> {
  const sel = `svg.topology-graph g.topo-node[data-kind="${kind}"]${label === undefined ? '' : `[data-label="${label}"]`}`;
  const ids: string[] = [];
  for (const g of await page.locator(sel).all()) ids.push((await g.getAttribute('data-node-id')) ?? '');
  return ids;
}

/** Picks `queryId` in the Topology tab's query list and waits until its graph is drawn. */
async function pickQuery(page: Page, queryId: string): Promise<void> {
  await page.getByRole('tab', { name: 'Topology' }).click();
  const picker = page.getByLabel('Query', { exact: true });
  await eventually(`${queryId} in the query list`, async () => (await picker.locator(`option[value="${queryId}"]`).count()) === 1);
  await picker.selectOption(queryId);
  await eventually(
    `the topology of ${queryId} drawn`,
    async () => (await page.locator(`.topology-canvas[data-query-id="${queryId}"] svg.topology-graph`).count()) === 1,
  );
}

describeIf(BUNDLE_BUILT && HAVE_CHROMIUM, `${DIST} and ${CHROMIUM}`)('the console Topology tab', () => {
  let server: ServerProcess;
  let browser: Browser;
  let aggregateId: string;
  let joinId: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
    await ksql(server.url, "CREATE STREAM pageviews (user_id VARCHAR KEY, page VARCHAR) WITH (kafka_topic='pageviews', partitions=1, value_format='JSON');");
    await ksql(server.url, "CREATE TABLE users (id VARCHAR PRIMARY KEY, region VARCHAR) WITH (kafka_topic='users', partitions=1, value_format='JSON');");
    aggregateId = (await ksql(
      server.url,
      'CREATE TABLE view_counts AS SELECT user_id, COUNT(*) AS n FROM pageviews WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY user_id EMIT CHANGES;',
    ))!;
    joinId = (await ksql(
      server.url,
      'CREATE STREAM enriched AS SELECT p.user_id, p.page, u.region FROM pageviews p JOIN users u ON p.user_id = u.id EMIT CHANGES;',
    ))!;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws a windowed aggregate as topic → source → aggregate (with its store) → sink → topic, left to right', async () => {
    const { page, errors, context } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      await pickQuery(page, aggregateId);

      const [source] = await nodeIds(page, 'source');
      const [aggregate] = await nodeIds(page, 'processor', 'KSTREAM-AGGREGATE');
      const [sink] = await nodeIds(page, 'sink');
      expect(await node(page, 'topic:pageviews').getAttribute('data-label')).toBe('pageviews');
      expect(await node(page, 'store:Aggregate-Aggregate-Materialize').getAttribute('data-kind')).toBe('store');
      expect(await node(page, 'topic:VIEW_COUNTS').getAttribute('data-kind')).toBe('topic');

      // Follow the drawn flow edges from the source topic: they reach the sink's topic through the aggregate.
      const edges = await drawnEdges(page);
      expect(edges).toContainEqual({ from: aggregate!, to: 'store:Aggregate-Aggregate-Materialize' });
      const path = ['topic:pageviews'];
      for (let at = path[0]!; ; ) {
        const next = edges.find((e) => e.from === at && !e.to.startsWith('store:'));
        if (!next) break;
        path.push(next.to);
        at = next.to;
      }
      expect(path).toEqual(['topic:pageviews', source, aggregate, expect.stringMatching(/^KTABLE-TRANSFORMVALUES-/), sink, 'topic:VIEW_COUNTS']);

      // Drawn in that order from left to right, the store under its aggregate.
      const lefts: number[] = [];
      for (const id of path) lefts.push((await node(page, id).boundingBox())!.x);
      expect([...lefts].sort((a, b) => a - b)).toEqual(lefts);
      const agg = (await node(page, aggregate!).boundingBox())!;
      const store = (await node(page, 'store:Aggregate-Aggregate-Materialize').boundingBox())!;
      expect(store.y).toBeGreaterThan(agg.y + agg.height - 1);

      // Said in words too, and the query's facts and plan below.
      const graph = page.getByRole('img', { name: `Topology of ${aggregateId}` });
      expect(await graph.getAttribute('aria-label')).toMatch(/reads pageviews; writes VIEW_COUNTS; keeps 1 store/);
      expect(await page.locator('.topology-canvas .visually-hidden li').allTextContents()).toContain(
        `Processor ${aggregate} in sub-topology 0, stores Aggregate-Aggregate-Materialize`,
      );
      expect(await page.locator('.topology-statement').textContent()).toContain('CREATE TABLE view_counts AS SELECT');
      expect(await page.locator('.plan-steps tbody tr td:nth-child(2)').allTextContents()).toEqual([
        'StreamSource',
        'StreamWindowedAggregate',
        'TableSelect',
        'TableSink',
      ]);
      expect(await page.locator('[data-fact=sources]').textContent()).toBe('PAGEVIEWS');
      expect(await page.locator('[data-fact=sinks]').textContent()).toBe('VIEW_COUNTS');

      await page.screenshot({ path: screenshotPath('console-topology.png') });

      // Zoom: the button and the + key on the focused graph both enlarge it.
      const svg = page.locator('svg.topology-graph');
      const before = Number(await svg.getAttribute('width'));
      await page.getByRole('button', { name: 'Zoom in' }).click();
      await eventually('zoomed in by the button', async () => Number(await svg.getAttribute('width')) > before);
      const after = Number(await svg.getAttribute('width'));
      await page.locator('.topology-canvas').focus();
      await page.keyboard.press('+');
      await eventually('zoomed in by the key', async () => Number(await svg.getAttribute('width')) > after);
      await page.keyboard.press('0');
      await eventually('fitted to the width again', async () => Number(await svg.getAttribute('width')) <= before);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('draws a stream-table join with both sources and their topics feeding the join', async () => {
    const { page, errors, context } = await openPage(browser, { colorScheme: 'dark' });
    try {
      await page.goto(`${server.url}/`);
      await pickQuery(page, joinId);
      const sources = await nodeIds(page, 'source');
      expect(sources).toHaveLength(2);
      const [join] = await nodeIds(page, 'processor', 'KSTREAM-LEFTJOIN');
      const edges = await drawnEdges(page);
      for (const [topic, source] of [
        ['topic:pageviews', sources[0]],
        ['topic:users', sources[1]],
      ]) {
        expect(edges).toContainEqual({ from: topic, to: source });
        expect(edges).toContainEqual({ from: source, to: join });
      }
      expect(await page.getByRole('img', { name: `Topology of ${joinId}` }).getAttribute('aria-label')).toContain('reads pageviews, users');
      await page.screenshot({ path: screenshotPath('console-topology-dark.png') });

      // Picking the aggregate afterwards replaces the drawing.
      await pickQuery(page, aggregateId);
      expect(await nodeIds(page, 'processor', 'KSTREAM-LEFTJOIN')).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
