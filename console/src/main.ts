import { KsqlApi, type StatementProperties } from './api.js';
import { CatalogBrowser } from './browser/catalog-browser.js';
import { h, replace } from './dom.js';
import { SqlEditor } from './editor/sql-editor.js';
import { ResultsPanel, type RunOutcome } from './results/results-panel.js';
import type { ConsoleShell } from './shell.js';
import { errorOffset } from './statements.js';
import { Tabs } from './tabs.js';

/** Where the editor's text is kept between visits. */
const DOC_KEY = 'sluice.console.doc';

const WELCOME = `-- Ctrl-Enter (Cmd-Enter on a Mac) runs the statement under the cursor, or the selection.
SHOW STREAMS;
`;

/** The nonce the server put in the page's Content-Security-Policy (for injected styles). */
function cspNonce(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;
}

function storedDoc(): string {
  try {
    return localStorage.getItem(DOC_KEY) ?? WELCOME;
  } catch {
    return WELCOME;
  }
}

/** Builds the console in `root`: the browser on the left, the editor above the output tabs on the right. */
function start(root: HTMLElement): void {
  const api = new KsqlApi();
  const results = new ResultsPanel(api);
  const tabs = new Tabs(['results', 'details', 'topology']);
  tabs.panel('results').appendChild(results.element);
  const sidebar = h('aside', { class: 'sidebar', 'aria-label': 'Browser' });
  const offsetReset = h(
    'select',
    { id: 'auto-offset-reset', 'aria-label': 'auto.offset.reset' },
    h('option', { value: 'latest' }, 'latest'),
    h('option', { value: 'earliest' }, 'earliest'),
  );
  const listeners: ((sql: string, outcome: RunOutcome) => void)[] = [];
  const properties = (): StatementProperties => ({ 'auto.offset.reset': offsetReset.value });
  const shell: ConsoleShell = {
    api,
    tabs,
    sidebar,
    properties,
    run: async (sql, extra = {}) => {
      tabs.select('results');
      const outcome = await results.run(sql, { ...properties(), ...extra });
      for (const l of listeners) l(sql, outcome);
      return outcome;
    },
    onStatement: (l) => listeners.push(l),
    openTopology: (queryId) => {
      replace(tabs.panel('topology'), h('p', { class: 'placeholder' }, `Topology of ${queryId}`));
      tabs.select('topology');
    },
    showDetails: (content) => {
      replace(tabs.panel('details'), content);
      tabs.select('details');
    },
  };
  const editorHost = h('div', { class: 'editor-host' });
  let editor: SqlEditor;
  const runButton = h('button', { type: 'button', class: 'run primary', title: 'Run (Ctrl-Enter)', onclick: () => editor.runCurrent() }, 'Run');
  const version = h('span', { class: 'server-version' });
  replace(
    root,
    h(
      'header',
      { class: 'top' },
      h('h1', {}, 'Sluice'),
      version,
      h('span', { class: 'spacer' }),
      h('label', { for: 'auto-offset-reset' }, 'auto.offset.reset'),
      offsetReset,
      runButton,
    ),
    h(
      'div',
      { class: 'layout' },
      sidebar,
      h('main', { class: 'workspace' }, h('section', { class: 'editor', 'aria-label': 'Editor' }, editorHost), tabs.element),
    ),
  );
  editor = new SqlEditor({
    parent: editorHost,
    doc: storedDoc(),
    nonce: cspNonce(),
    changed: (doc) => {
      try {
        localStorage.setItem(DOC_KEY, doc);
      } catch {
        // storage off: the text is not kept
      }
    },
    run: (text, from) => {
      void shell.run(text).then((outcome) => {
        if (outcome.kind !== 'error') return;
        const at = errorOffset(text, outcome.error.message);
        editor.showError(outcome.error.message, from, from + text.length, at === undefined ? undefined : from + at);
      });
    },
  });
  editor.focus();
  const browser = new CatalogBrowser(shell);
  sidebar.appendChild(browser.element);
  browser.start();
  void api.info().then(
    (info) => (version.textContent = `server ${info['version'] ?? ''}`),
    () => undefined,
  );
}

const root = document.getElementById('app');
if (root) start(root);
