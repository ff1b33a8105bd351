import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM, openPage } from './helpers/browser.js';
import { runSql, useConsoleServer } from './helpers/console-page.js';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT } from './helpers/server-process.js';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A and AA rules), one line each. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)`,
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describeIf(BUNDLE_BUILT && HAVE_CHROMIUM, `${DIST} and ${CHROMIUM}`)("the console's accessibility", () => {
  const suite = useConsoleServer();

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical axe-core findings in ${colorScheme} mode, with results, details and topology open`, async () => {
      // axe is injected as an inline script, which the console's CSP rightly refuses: this context bypasses it.
      const { page, context } = await openPage(suite.browser, { colorScheme, bypassCSP: true });
      try {
        await page.goto(`${suite.server.url}/`);
        await runSql(
          page,
          "CREATE STREAM IF NOT EXISTS a11y_clicks (user_id VARCHAR KEY, url VARCHAR) WITH (kafka_topic='a11y_clicks', partitions=1, value_format='JSON');",
        );
        await runSql(page, 'CREATE TABLE IF NOT EXISTS a11y_counts AS SELECT user_id, COUNT(*) AS n FROM a11y_clicks GROUP BY user_id;');
        await runSql(page, 'SHOW STREAMS;');
        expect(await axeViolations(page)).toEqual([]);
        await page
          .locator('nav.catalog-browser')
          .getByRole('list', { name: 'Tables', exact: true })
          .getByRole('button', { name: 'A11Y_COUNTS', exact: true })
          .click();
        await eventually('its details shown', async () => (await page.getByRole('table', { name: 'Fields of A11Y_COUNTS' }).count()) === 1);
        expect(await axeViolations(page)).toEqual([]);
        await page.getByRole('tab', { name: 'Topology' }).click();
        const picker = page.getByLabel('Query', { exact: true });
        const option = picker.locator('option[value^="CTAS_A11Y_COUNTS_"]');
        await eventually('the query offered', async () => (await option.count()) === 1);
        await picker.selectOption((await option.getAttribute('value'))!);
        await eventually('its topology drawn', async () => (await page.locator('svg.topology-graph g.topo-node[data-kind="sink"]').count()) === 1);
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('runs a statement and reaches the results from the keyboard alone', async () => {
    const { page, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/`);
      // The editor has focus on load: type, run with Ctrl-Enter, then Tab through to the output tabs.
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.insertText('SHOW TOPICS;');
      await page.keyboard.press('ControlOrMeta+Enter');
      await eventually('the topics listed', async () => ((await page.locator('table.entity-table').first().textContent()) ?? '').includes('a11y_clicks'));
      await page.getByRole('tab', { name: 'Results' }).focus();
      await page.keyboard.press('ArrowRight');
      expect(await page.getByRole('tab', { name: 'Details' }).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('ArrowRight');
      expect(await page.getByRole('tab', { name: 'Topology' }).getAttribute('aria-selected')).toBe('true');
    } finally {
      await context.close();
    }
  });
});
