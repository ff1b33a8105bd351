import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM, openPage, screenshotPath } from './helpers/browser.js';
import { runSql, setEditorText, shownRowCount, statusIs, useConsoleServer } from './helpers/console-page.js';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT } from './helpers/server-process.js';
import { postKsql } from './helpers/rest.js';

/** The editor's text, line by line. */
async function editorText(page: Page): Promise<string> {
  return (await page.locator('.cm-content .cm-line').allTextContents()).join('\n');
}

/** The labels of the completion list shown now, or undefined while none is. */
async function shownOptions(page: Page): Promise<string[] | undefined> {
  const list = page.locator('.cm-tooltip-autocomplete');
  if ((await list.count()) === 0) return undefined;
  const labels = await list.locator('.cm-completionLabel').allTextContents();
  return labels.length > 0 ? labels : undefined;
}

/**
 * Asks for completion (Ctrl-Space) at the cursor until the list offered
 * satisfies `holds` (the catalog loads in the background); resolves with it.
 */
async function completeUntil(page: Page, what: string, holds: (labels: string[]) => boolean): Promise<string[]> {
  return eventually(`completion to offer ${what}`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Space');
    const labels = await eventually('a completion list', () => shownOptions(page), { timeoutMs: 3_000 });
    return holds(labels) ? labels : undefined;
  });
}

/**
 * Accepts the shown option `label` with the mouse (CodeMirror ignores Enter
 * and the arrow keys for 75 ms after the list opens, so a test pressing them
 * at once would race it; a click has no such delay).
 */
async function pick(page: Page, label: string): Promise<void> {
  await page
    .locator('.cm-tooltip-autocomplete li')
    .filter({ has: page.locator('.cm-completionLabel').getByText(label, { exact: true }) })
    .click();
}

/** Whether the dialog `name` is open. */
async function dialogOpen(page: Page, name: string): Promise<boolean> {
  return page.getByRole('dialog', { name }).isVisible();
}

describeIf(BUNDLE_BUILT && HAVE_CHROMIUM, `${DIST} and ${CHROMIUM}`)('the console editor in Chromium', () => {
  const suite = useConsoleServer();

  it('completes a stream created over REST after the next statement, and its columns after FROM, in lower case', async () => {
    const { page, errors, context } = await openPage(suite.browser, { colorScheme: 'dark' });
    try {
      await page.goto(`${suite.server.url}/`);
      await runSql(page, 'SHOW TOPICS;');
      await postKsql(
        suite.server.url,
        "CREATE STREAM pageviews (user_id VARCHAR KEY, page VARCHAR, duration INT) WITH (kafka_topic='pageviews', partitions=1, value_format='JSON');",
      );
      // The catalog is refreshed after every statement the console runs.
      await runSql(page, 'SHOW STREAMS;');
      await setEditorText(page, 'select * from pagev');
      await completeUntil(page, 'PAGEVIEWS', (l) => l.includes('PAGEVIEWS'));
      await pick(page, 'PAGEVIEWS');
      await eventually('the stream name inserted as typed, in lower case', async () => (await editorText(page)) === 'select * from pageviews');

      await setEditorText(page, 'SELECT  FROM pageviews;');
      await page.keyboard.press('Home');
      for (let i = 0; i < 'SELECT '.length; i++) await page.keyboard.press('ArrowRight');
      const columns = await completeUntil(page, "PAGEVIEWS' columns", (l) => l.includes('DURATION'));
      // Columns first (CodeMirror sorts equally ranked options by name), then pseudo columns, functions, sources, keywords.
      expect(columns.slice(0, 4)).toEqual(['DURATION', 'PAGE', 'USER_ID', 'ROWOFFSET']);
      const detail = await page.locator('.cm-tooltip-autocomplete li', { hasText: 'DURATION' }).first().locator('.cm-completionDetail').textContent();
      expect(detail).toBe('INTEGER');
      await page.screenshot({ path: screenshotPath('console-completion-dark.png') });
      await pick(page, 'PAGE');
      await eventually('the column inserted', async () => (await editorText(page)) === 'SELECT PAGE FROM pageviews;');

      await setEditorText(page, 'SELECT p.du FROM pageviews p');
      await page.keyboard.press('Home');
      for (let i = 0; i < 'SELECT p.du'.length; i++) await page.keyboard.press('ArrowRight');
      expect(await completeUntil(page, 'the aliased stream’s column', (l) => l[0] === 'DURATION')).not.toContain('PAGEVIEWS');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('completes a function name with its category, inserting NAME(', async () => {
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await setEditorText(page, 'SELECT UCAS');
      await completeUntil(page, 'UCASE', (l) => l.includes('UCASE'));
      const detail = await page.locator('.cm-tooltip-autocomplete li', { hasText: 'UCASE' }).first().locator('.cm-completionDetail').textContent();
      expect(detail).toBe('scalar · string');
      await pick(page, 'UCASE');
      await eventually('the function and its parenthesis inserted', async () => (await editorText(page)) === 'SELECT UCASE(');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lists the statements run in History, most recent first, inserts the chosen one at the cursor, and steps with Ctrl-ArrowUp', async () => {
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      await runSql(page, 'SHOW STREAMS;');
      await runSql(page, 'SHOW TOPICS;');
      await runSql(page, 'SHOW STREAMS;');
      await setEditorText(page, '-- again\n');
      await page.getByRole('button', { name: 'History' }).click();
      const options = page.getByRole('listbox', { name: 'History' }).getByRole('option');
      await eventually('the history dialog', () => dialogOpen(page, 'History'));
      expect(await options.allTextContents()).toEqual(['SHOW STREAMS;', 'SHOW TOPICS;']);
      expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
      await page.screenshot({ path: screenshotPath('console-history.png') });
      await page.keyboard.press('ArrowDown');
      expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('Enter');
      await eventually('the dialog closed', async () => !(await dialogOpen(page, 'History')));
      await eventually('the statement inserted at the cursor', async () => (await editorText(page)) === '-- again\nSHOW TOPICS;');

      await page.getByRole('button', { name: 'History' }).click();
      await eventually('the history dialog again', () => dialogOpen(page, 'History'));
      await page.keyboard.press('Escape');
      await eventually('Escape to close it', async () => !(await dialogOpen(page, 'History')));

      await setEditorText(page, 'SHOW QUERIES');
      await page.keyboard.press('ControlOrMeta+ArrowUp');
      await eventually('the most recent statement', async () => (await editorText(page)) === 'SHOW STREAMS;');
      await page.keyboard.press('ControlOrMeta+ArrowUp');
      await eventually('the one before', async () => (await editorText(page)) === 'SHOW TOPICS;');
      await page.keyboard.press('ControlOrMeta+ArrowDown');
      await page.keyboard.press('ControlOrMeta+ArrowDown');
      await eventually('the text being written, back', async () => (await editorText(page)) === 'SHOW QUERIES');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("runs SET 'auto.offset.reset'='earliest' in the console, so a push query shows rows inserted before it started", async () => {
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await postKsql(suite.server.url, "CREATE STREAM orders (id INT KEY, item VARCHAR) WITH (kafka_topic='orders', partitions=1, value_format='JSON');");
      await postKsql(suite.server.url, "INSERT INTO orders (id, item) VALUES (1, 'tea'); INSERT INTO orders (id, item) VALUES (2, 'cake');");
      await page.goto(`${suite.server.url}/`);
      await runSql(page, "SET 'auto.offset.reset'='earliest';");
      expect(await page.locator('.status-message').textContent()).toBe(
        "Successfully changed local property 'auto.offset.reset' to 'earliest'. Use the UNSET command to revert your change.",
      );
      expect(await page.getByLabel('auto.offset.reset').inputValue()).toBe('earliest');
      await runSql(page, 'SELECT id, item FROM orders EMIT CHANGES;', ['Streaming']);
      await eventually('the two earlier rows', async () => (await shownRowCount(page)) === 2);
      await page.getByRole('button', { name: 'Stop' }).click();
      await statusIs(page, ['Stopped']);

      await runSql(page, "UNSET 'auto.offset.reset';");
      expect(await page.locator('.status-message').textContent()).toBe("Successfully unset local property 'auto.offset.reset' (value was 'earliest').");
      expect(await page.getByLabel('auto.offset.reset').inputValue()).toBe('latest');
      await runSql(page, "UNSET 'auto.offset.reset';", ['Error 40001']);
      expect(await page.locator('pre.error').textContent()).toBe("Cannot unset local property 'auto.offset.reset' which was never set");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('sends a property added in the Properties panel with every statement, counts it on the button, and keeps it across reloads', async () => {
    const { page, errors, context } = await openPage(suite.browser);
    try {
      await postKsql(suite.server.url, "CREATE STREAM visits (id INT KEY, url VARCHAR) WITH (kafka_topic='visits', partitions=1, value_format='JSON');");
      await page.goto(`${suite.server.url}/`);
      const button = page.getByRole('button', { name: 'Properties' });
      expect(await page.getByTestId('properties-count').isVisible()).toBe(false);
      await button.click();
      await eventually('the properties dialog', () => dialogOpen(page, 'Properties'));
      await page.getByLabel('Name of property 1').fill('ksql.output.topic.name.prefix');
      await page.getByLabel('Value of property 1').fill('pre_');
      await page.getByRole('button', { name: 'Add property' }).click();
      await page.getByLabel('Name of property 2').fill('some.other');
      await page.getByRole('button', { name: 'Remove property 2' }).click();
      await page.keyboard.press('Escape');
      await eventually('the dialog closed', async () => !(await dialogOpen(page, 'Properties')));
      expect(await page.getByTestId('properties-count').textContent()).toBe('1');

      await runSql(page, 'CREATE STREAM visits_copy AS SELECT * FROM visits;');
      const described = (await postKsql(suite.server.url, 'DESCRIBE visits_copy EXTENDED;')) as { sourceDescription: { topic: string } }[];
      expect(described[0]!.sourceDescription.topic).toBe('pre_VISITS_COPY');

      await page.reload();
      await eventually('the count after a reload', async () => (await page.getByTestId('properties-count').textContent()) === '1');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
