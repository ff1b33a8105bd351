import { KsqlApi } from './api.js';
import { h, replace } from './dom.js';
import { SqlEditor } from './editor/sql-editor.js';
import { ResultsPanel } from './results/results-panel.js';
import { errorOffset } from './statements.js';

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

/** Builds the console in `root`: editor above, results below. */
function start(root: HTMLElement): void {
  const api = new KsqlApi();
  const results = new ResultsPanel(api);
  const offsetReset = h(
    'select',
    { id: 'auto-offset-reset', 'aria-label': 'auto.offset.reset' },
    h('option', { value: 'latest' }, 'latest'),
    h('option', { value: 'earliest' }, 'earliest'),
  );
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
    h('main', { class: 'workspace' }, h('section', { class: 'editor', 'aria-label': 'Editor' }, editorHost), results.element),
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
      void results.run(text, { 'auto.offset.reset': offsetReset.value }).then((outcome) => {
        if (outcome.kind !== 'error') return;
        const at = errorOffset(text, outcome.error.message);
        editor.showError(outcome.error.message, from, from + text.length, at === undefined ? undefined : from + at);
      });
    },
  });
  editor.focus();
  void api.info().then(
    (info) => (version.textContent = `server ${info['version'] ?? ''}`),
    () => undefined,
  );
}

const root = document.getElementById('app');
if (root) start(root);
