import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM, openPage, screenshotPath } from './helpers/browser.js';
import { runSql, shown, statusIs, useConsoleServer } from './helpers/console-page.js';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT } from './helpers/server-process.js';
import { postKsql } from './helpers/rest.js';

/** The ids of the server's persistent queries. */
async function queryIds(url: string): Promise<string[]> {
  const [e] = (await postKsql(url, 'SHOW QUERIES;')) as { queries: { id: string }[] }[];
  return e!.queries.map((q) => q.id);
}

/** The sidebar's list `title` (Streams, Tables, Topics, Queries). */
function list(page: Page, title: string) {
  return page.locator('nav.catalog-browser').getByRole('list', { name: title, exact: true });
}

/** The button opening item `name` of list `title`. */
function item(page: Page, title: string, name: string) {
  return list(page, title).locator('.item-open', { has: page.locator('.item-label', { hasText: new RegExp(`^${name}$`) }) });
}

/** The Details tab's panel. */
function details(page: Page) {
  return page.locator('#panel-details');
}

/**
 * The text of each result row drawn now (its cells run together), read in one
 * go: rows come and go as the virtual table scrolls and grows.
 */
async function rowTexts(page: Page): Promise<string[]> {
  return page.locator('.vt-row').allTextContents();
}

const TABLE_QUERY = 'CTAS_PER_USER_0';

describeIf(BUNDLE_BUILT && HAVE_CHROMIUM, `${DIST} and ${CHROMIUM}`)('the console’s browser of streams, tables, topics and queries', () => {
  const suite = useConsoleServer();
  beforeAll(async () => {
    await postKsql(
      suite.server.url,
      "CREATE STREAM clicks (user_id VARCHAR KEY, url VARCHAR, status INT) WITH (kafka_topic='clicks', partitions=1, value_format='JSON');",
    );
    await postKsql(suite.server.url, 'CREATE TABLE per_user AS SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id EMIT CHANGES;');
    expect(await queryIds(suite.server.url)).toEqual([TABLE_QUERY]);
    await postKsql(suite.server.url, "INSERT INTO clicks (user_id, url, status) VALUES ('u1', '/a', 200);");
    await eventually('the CTAS to have written its first row (so PER_USER has statistics)', async () => {
      const [e] = (await postKsql(suite.server.url, 'DESCRIBE PER_USER EXTENDED;')) as { sourceDescription: { statistics: string } }[];
      return e!.sourceDescription.statistics.includes('total-messages');
    });
  }, 60_000);

  it('lists the stream, the table, their topics and the query in collapsible sections, the processing log last', async () => {
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await eventually('the sidebar lists CLICKS, PER_USER, their topics and the CTAS', async () => {
        expect(await list(page, 'Streams').locator('.item-label').allTextContents()).toEqual(['CLICKS', 'KSQL_PROCESSING_LOG']);
        expect(await list(page, 'Tables').locator('.item-label').allTextContents()).toEqual(['PER_USER']);
        expect(await list(page, 'Topics').locator('.item-label').allTextContents()).toEqual(['clicks', 'PER_USER', 'sluice_processing_log']);
        expect(await list(page, 'Queries').locator('.item-label').allTextContents()).toEqual([TABLE_QUERY]);
        return true;
      });
      // The system's items are dimmed.
      expect(await list(page, 'Streams').locator('li.system .item-label').allTextContents()).toEqual(['KSQL_PROCESSING_LOG']);
      expect(await list(page, 'Topics').locator('li.system .item-label').allTextContents()).toEqual(['sluice_processing_log']);

      // Headings are buttons with a count that fold their list (mouse and keyboard).
      const tables = page.getByRole('button', { name: 'Tables 1' });
      expect(await tables.getAttribute('aria-expanded')).toBe('true');
      await tables.click();
      expect(await tables.getAttribute('aria-expanded')).toBe('false');
      expect(await list(page, 'Tables').isHidden()).toBe(true);
      await tables.press('Enter');
      expect(await tables.getAttribute('aria-expanded')).toBe('true');
      expect(await list(page, 'Tables').isVisible()).toBe(true);

      // What is created in the console's editor, or by another client, is listed too.
      await runSql(page, "CREATE STREAM views (page VARCHAR) WITH (kafka_topic='views', partitions=1, value_format='JSON');");
      await eventually('VIEWS listed', async () => (await item(page, 'Streams', 'VIEWS').count()) === 1);
      await postKsql(suite.server.url, "CREATE STREAM visits (page VARCHAR) WITH (kafka_topic='visits', partitions=1, value_format='JSON');");
      await page.getByRole('button', { name: 'Refresh the lists' }).click();
      await eventually('VISITS listed', async () => (await item(page, 'Streams', 'VISITS').count()) === 1);
      expect(await page.getByRole('button', { name: 'Streams 4' }).count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows a table’s DESCRIBE EXTENDED in Details, opened with the keyboard, with key columns marked', async () => {
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      const table = item(page, 'Tables', 'PER_USER');
      await shown(table, 'the table PER_USER listed');
      await table.focus();
      // Up and Down move between the sidebar's buttons.
      await page.keyboard.press('ArrowUp');
      expect(await page.locator(':focus').textContent()).toBe('Tables 1');
      await page.keyboard.press('ArrowDown');
      expect(await page.locator(':focus').textContent()).toBe('PER_USER');
      await page.keyboard.press('Enter');
      const fields = details(page).getByRole('table', { name: 'Fields of PER_USER' });
      await shown(fields, 'the fields of PER_USER');
      expect(await page.getByRole('tab', { name: 'Details' }).getAttribute('aria-selected')).toBe('true');
      expect(await fields.locator('tbody tr').allTextContents()).toEqual(['USER_IDSTRINGKEY', 'NBIGINT']);
      expect(await fields.locator('tr.key-column td').first().textContent()).toBe('USER_ID');
      const facts = await details(page).locator('dl.facts').first().textContent();
      expect(facts).toContain('TypeTABLE');
      expect(facts).toContain('Key formatKAFKA');
      expect(facts).toContain('Value formatJSON');
      expect(facts).toContain('Partitions1');
      expect(facts).toContain('Window typenone');
      expect(await details(page).getByTestId('statement').textContent()).toMatch(/^CREATE TABLE per_user AS SELECT/);
      expect(await details(page).getByTestId('statistics').textContent()).toContain('total-messages');

      // The query writing it is a button leading to that query.
      await details(page)
        .getByRole('button', { name: `Query ${TABLE_QUERY}` })
        .click();
      await shown(details(page).getByRole('heading', { name: `QUERY ${TABLE_QUERY}` }), `the details of ${TABLE_QUERY}`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows a query’s EXPLAIN: RUNNING, its sources and sinks, its plan, and a Topology button', async () => {
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await item(page, 'Queries', TABLE_QUERY).click();
      await shown(details(page).getByTestId('execution-plan'), 'the execution plan');
      expect(await details(page).getByTestId('query-state').textContent()).toBe('RUNNING');
      expect(await details(page).getByTestId('execution-plan').textContent()).toMatch(/Logical plan:[\s\S]*Physical plan/);
      expect(await details(page).getByTestId('statement').textContent()).toMatch(/^CREATE TABLE per_user AS/);
      await shown(details(page).getByRole('button', { name: 'Source CLICKS' }), 'the source CLICKS');
      await shown(details(page).getByRole('button', { name: 'Sink PER_USER' }), 'the sink PER_USER');
      await details(page).getByRole('button', { name: 'Topology' }).click();
      expect(await page.getByRole('tab', { name: 'Topology' }).getAttribute('aria-selected')).toBe('true');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows records in per second and totals moving beside the query and in its details as rows arrive', async () => {
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await item(page, 'Queries', TABLE_QUERY).click();
      const recordsIn = details(page).getByTestId('records-in');
      const before = await eventually('the first metrics reading', async () => {
        const t = await recordsIn.textContent({ timeout: 1000 });
        return t === null ? undefined : Number(t.replace(/,/g, ''));
      });
      let n = 0;
      await eventually('a records-in rate above zero while rows keep coming', async () => {
        // One more row per probe keeps the query busy through every 2 s reading.
        await postKsql(suite.server.url, `INSERT INTO clicks (user_id, url, status) VALUES ('r${n}', '/r', 200);`);
        n++;
        const rate = await details(page).getByTestId('in-rate').textContent({ timeout: 1000 });
        return rate !== null && /^[\d.,]+\/s$/.test(rate) && Number.parseFloat(rate) > 0;
      });
      await eventually('the records-in total counting the inserted rows', async () => {
        const t = Number((await recordsIn.textContent({ timeout: 1000 }))?.replace(/,/g, ''));
        return t >= before + n;
      });
      expect(await page.getByTestId(`figures-${TABLE_QUERY}`).textContent()).toMatch(/^in [\d.,–]+\/s · out [\d.,–]+\/s · lag [\d,]+$/);
      await page.screenshot({ path: screenshotPath('console-browser.png') });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('prints a topic from the beginning into the results, one record a row', async () => {
    await postKsql(suite.server.url, "CREATE STREAM printed (id VARCHAR KEY, word VARCHAR) WITH (kafka_topic='printed', partitions=1, value_format='JSON');");
    await postKsql(suite.server.url, "INSERT INTO printed (id, word) VALUES ('k1', 'hello');");
    await postKsql(suite.server.url, "INSERT INTO printed (id, word) VALUES ('k2', 'world');");
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await page.getByRole('button', { name: 'Print topic printed' }).click();
      expect(await page.getByRole('tab', { name: 'Results' }).getAttribute('aria-selected')).toBe('true');
      await eventually('both records of the topic printed, each a row', async () => {
        const records = (await rowTexts(page)).filter((r) => r.startsWith('rowtime: '));
        expect(records).toHaveLength(2);
        expect(records[0]).toMatch(/, key: k1, value: \{"WORD":"hello"\}, partition: 0$/);
        expect(records[1]).toMatch(/, key: k2, value: \{"WORD":"world"\}, partition: 0$/);
        return true;
      });
      await page.getByRole('button', { name: 'Stop' }).click();
      await statusIs(page, ['Stopped', 'Done']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('streams the processing log from its start', async () => {
    await postKsql(suite.server.url, "CREATE STREAM nums (x INT) WITH (kafka_topic='nums', partitions=1, value_format='JSON');");
    await postKsql(suite.server.url, "CREATE STREAM nums_text (x VARCHAR) WITH (kafka_topic='nums', value_format='JSON');");
    const [created] = (await postKsql(suite.server.url, 'CREATE STREAM doubled AS SELECT x * 2 AS y FROM nums EMIT CHANGES;')) as {
      commandStatus: { queryId: string };
    }[];
    const failing = created!.commandStatus.queryId;
    // A value the query cannot read as INT: a deserialization error in the processing log.
    await postKsql(suite.server.url, "INSERT INTO nums_text (x) VALUES ('abc');");
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await page.getByRole('button', { name: 'Processing log' }).click();
      await statusIs(page, ['Streaming']);
      expect(await page.locator('.vt-head').textContent()).toContain('LOGGER');
      await eventually('the failed record in the processing log', async () => {
        const rows = await rowTexts(page);
        return rows.some((r) => r.startsWith(`processing.${failing}ERROR`) && r.includes('Failed to deserialize'));
      });
      await page.getByRole('button', { name: 'Stop' }).click();
      await statusIs(page, ['Stopped']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('terminates a query after confirmation in a dialog, and the query leaves the list', async () => {
    const [created] = (await postKsql(suite.server.url, 'CREATE STREAM errors_only AS SELECT * FROM clicks WHERE status >= 500 EMIT CHANGES;')) as {
      commandStatus: { queryId: string };
    }[];
    const id = created!.commandStatus.queryId;
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await item(page, 'Queries', id).click();
      const terminate = details(page).getByRole('button', { name: 'Terminate', exact: true });
      await terminate.click();
      const dialog = page.getByRole('dialog', { name: `Terminate ${id}?` });
      await shown(dialog, 'the confirmation dialog');
      // Cancel leaves the query running.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await shown(dialog, 'the confirmation dialog', true);
      expect(await queryIds(suite.server.url)).toContain(id);

      await terminate.click();
      await dialog.getByRole('button', { name: 'Terminate' }).click();
      await shown(details(page).getByText(`Query ${id} terminated.`), 'the terminated message');
      expect(await queryIds(suite.server.url)).not.toContain(id);
      await eventually(`${id} gone from the list`, async () => (await item(page, 'Queries', id).count()) === 0);
      expect(await item(page, 'Queries', TABLE_QUERY).count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('reads well in dark mode', async () => {
    const { page, errors, context } = await openPage(suite.browser, { colorScheme: 'dark' });
    try {
      await page.goto(`${suite.server.url}/`);
      await item(page, 'Tables', 'PER_USER').click();
      await shown(details(page).getByRole('table', { name: 'Fields of PER_USER' }), 'the fields of PER_USER');
      await eventually('the query’s figures shown', async () => ((await page.getByTestId(`figures-${TABLE_QUERY}`).textContent()) ?? '') !== '');
      const colours = await page.evaluate('[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]');
      expect(colours).toEqual(['rgb(15, 20, 25)', 'rgb(230, 237, 243)']);
      await page.screenshot({ path: screenshotPath('console-dark.png') });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
