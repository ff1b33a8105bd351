import type { StatementProperties } from './api.js';
import { CatalogBrowser } from './browser/catalog-browser.js';
import { h, replace } from './dom.js';
import { CatalogLoader } from './editor/catalog-loader.js';
import { HistoryDialog } from './editor/history-dialog.js';
import { StatementHistory } from './editor/history.js';
import { PropertiesDialog } from './editor/properties-dialog.js';
import { SessionApi } from './editor/session-api.js';
import { SessionProperties } from './editor/session-properties.js';
import { SqlEditor } from './editor/sql-editor.js';
import { browserStore } from './editor/stored.js';
import { ResultsPanel, type RunOutcome } from './results/results-panel.js';
import type { ConsoleShell } from './shell.js';
import { errorOffset } from './statements.js';
import { Tabs } from './tabs.js';
import { TopologyView } from './topology/topology-view.js';

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
  const session = new SessionProperties(browserStore());
  const history = new StatementHistory(browserStore());
  // SET/UNSET statements change `session` instead of reaching the server, as in ksqlDB's CLI.
  const api = new SessionApi(session);
  const results = new ResultsPanel(api);
  const tabs = new Tabs(['results', 'details', 'topology']);
  tabs.panel('results').appendChild(results.element);
  const topology = new TopologyView(api);
  tabs.panel('topology').appendChild(topology.element);
  const sidebar = h('aside', { class: 'sidebar', 'aria-label': 'Browser' });
  const offsetReset = h(
    'select',
    { id: 'auto-offset-reset', 'aria-label': 'auto.offset.reset' },
    h('option', { value: 'latest' }, 'latest'),
    h('option', { value: 'earliest' }, 'earliest'),
  );
  offsetReset.addEventListener('change', () => session.setOffsetReset(offsetReset.value));
  session.onChange(() => (offsetReset.value = session.offsetReset()));
  const listeners: ((sql: string, outcome: RunOutcome) => void)[] = [];
  listeners.push((sql, outcome) => topology.statementRan(sql, outcome));
  const properties = (): StatementProperties => session.all();
  const shell: ConsoleShell = {
    api,
    tabs,
    sidebar,
    properties,
    run: async (sql, extra = {}) => {
      tabs.select('results');
      history.add(sql);
      const outcome = await results.run(sql, { ...properties(), ...extra });
      for (const l of listeners) l(sql, outcome);
      return outcome;
    },
    onStatement: (l) => listeners.push(l),
    openTopology: (queryId) => {
      tabs.select('topology');
      void topology.show(queryId);
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
  const historyDialog = new HistoryDialog(history, (sql) => editor.insert(sql));
  const propertiesDialog = new PropertiesDialog(session);
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
      propertiesDialog.button,
      historyDialog.button,
      runButton,
    ),
    h(
      'div',
      { class: 'layout' },
      sidebar,
      h('main', { class: 'workspace' }, h('section', { class: 'editor', 'aria-label': 'Editor' }, editorHost), tabs.element),
    ),
    historyDialog.dialog,
    propertiesDialog.dialog,
  );
  editor = new SqlEditor({
    parent: editorHost,
    doc: storedDoc(),
    nonce: cspNonce(),
    history: () => history.entries(),
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
  const catalog = new CatalogLoader(api);
  catalog.onChange((c) => editor.setCatalog(c));
  shell.onStatement(() => catalog.refresh());
  catalog.refresh();
  const browser = new CatalogBrowser(shell);
  sidebar.appendChild(browser.element);
  browser.start();
  // For measuring time to first render (bench/console.mjs): the console is drawn and usable from here.
  performance.mark('sluice-console-ready');
  void api.info().then(
    (info) => (version.textContent = `server ${info['version'] ?? ''}`),
    () => undefined,
  );
}

const root = document.getElementById('app');
if (root) start(root);
