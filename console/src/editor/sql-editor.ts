import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { sql } from '@codemirror/lang-sql';
import { bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { classHighlighter } from '@lezer/highlight';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Annotation, EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { type StatementSpan, splitStatements, statementAt } from '../statements.js';
import { type Catalog, EMPTY_CATALOG } from './catalog.js';
import { ksqlCompletionSource } from './completion-source.js';
import { KSQL_DIALECT } from './dialect.js';

/** Marks the transactions that put a history entry into the editor (they do not end history stepping). */
const historyStep = Annotation.define<boolean>();

/** What the editor needs from the page. */
export interface SqlEditorOptions {
  readonly parent: HTMLElement;
  readonly doc: string;
  /** Nonce of the page's Content-Security-Policy, for the styles CodeMirror injects. */
  readonly nonce: string | undefined;
  /** Ctrl/Cmd-Enter: run this text (the selection, or the statement under the cursor); `from` is its offset in the document. */
  readonly run: (text: string, from: number) => void;
  /** The document changed (to keep it across reloads). */
  readonly changed?: (doc: string) => void;
  /** Statements run before, most recent first, for Ctrl/Cmd-ArrowUp and -ArrowDown. */
  readonly history?: () => readonly string[];
}

/**
 * The SQL editor: CodeMirror 6 in ksqlDB's dialect, running the selection or
 * the statement under the cursor on Ctrl/Cmd-Enter, marking errors at their
 * line:column, completing keywords, functions, sources and their columns
 * from the {@link Catalog} it was last given, and stepping through the
 * history with Ctrl/Cmd-ArrowUp and -ArrowDown while it holds at most one
 * statement (with more, those keys keep CodeMirror's meaning).
 */
export class SqlEditor {
  readonly view: EditorView;
  private catalog: Catalog = EMPTY_CATALOG;
  /** Which history entry the editor shows: -1 when it shows the user's own text. */
  private historyIndex = -1;
  /** The user's own text, kept while stepping through the history. */
  private draft = '';

  constructor(private readonly opts: SqlEditorOptions) {
    this.view = new EditorView({
      parent: opts.parent,
      state: EditorState.create({
        doc: opts.doc,
        extensions: [
          opts.nonce ? EditorView.cspNonce.of(opts.nonce) : [],
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          bracketMatching(),
          closeBrackets(),
          highlightSelectionMatches(),
          syntaxHighlighting(classHighlighter),
          sql({ dialect: KSQL_DIALECT, upperCaseKeywords: true }),
          autocompletion({ override: [ksqlCompletionSource(() => this.catalog)] }),
          lintGutter(),
          EditorView.lineWrapping,
          placeholder('Write SQL here; Ctrl-Enter runs the statement under the cursor'),
          EditorView.contentAttributes.of({ 'aria-label': 'SQL editor' }),
          keymap.of([
            {
              key: 'Mod-Enter',
              run: () => {
                this.runCurrent();
                return true;
              },
            },
            { key: 'Mod-ArrowUp', run: () => this.stepHistory(1) },
            { key: 'Mod-ArrowDown', run: () => this.stepHistory(-1) },
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...historyKeymap,
            ...searchKeymap,
            ...completionKeymap,
            indentWithTab,
          ]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) {
              if (!u.transactions.some((t) => t.annotation(historyStep))) this.historyIndex = -1;
              this.clearErrors();
              opts.changed?.(u.state.doc.toString());
            }
          }),
        ],
      }),
    });
  }

  /** The selection when there is one, else the statement under the cursor. */
  current(): StatementSpan | undefined {
    const { state } = this.view;
    const sel = state.selection.main;
    const doc = state.doc.toString();
    if (!sel.empty) return { from: sel.from, to: sel.to, text: doc.slice(sel.from, sel.to) };
    return statementAt(doc, sel.head);
  }

  /** Runs {@link current}. */
  runCurrent(): void {
    const s = this.current();
    if (s && s.text.trim() !== '') this.opts.run(s.text, s.from);
  }

  /** Completes from `catalog` from now on. */
  setCatalog(catalog: Catalog): void {
    this.catalog = catalog;
  }

  /** Puts `text` in place of the selection (at the cursor when none), selects nothing after it, and focuses the editor. */
  insert(text: string): void {
    this.view.dispatch(this.view.state.replaceSelection(text));
    this.view.focus();
  }

  /**
   * Shows the next older (`step` 1) or newer (-1) history entry in place of the
   * whole document, back to the user's own text past the newest. Refuses (so
   * CodeMirror's own binding runs) when the document holds several statements.
   */
  private stepHistory(step: 1 | -1): boolean {
    const entries = this.opts.history?.() ?? [];
    const doc = this.view.state.doc.toString();
    if (entries.length === 0 || splitStatements(doc).length > 1) return false;
    const next = this.historyIndex + step;
    if (next < -1 || next >= entries.length) return true;
    if (this.historyIndex === -1) this.draft = doc;
    this.historyIndex = next;
    const text = next === -1 ? this.draft : entries[next]!;
    this.view.dispatch({
      changes: { from: 0, to: doc.length, insert: text },
      selection: { anchor: text.length },
      annotations: historyStep.of(true),
      scrollIntoView: true,
    });
    return true;
  }

  /** Marks an error at document offset `at` (or the whole of `from…to` when unknown). */
  showError(message: string, from: number, to: number, at: number | undefined): void {
    const len = this.view.state.doc.length;
    const start = Math.min(at ?? from, len);
    const wordEnd = at === undefined ? to : this.wordEnd(start);
    const d: Diagnostic = { from: start, to: Math.min(Math.max(wordEnd, start + 1), len), severity: 'error', message };
    this.view.dispatch(setDiagnostics(this.view.state, [d]));
  }

  clearErrors(): void {
    this.view.dispatch(setDiagnostics(this.view.state, []));
  }

  private wordEnd(pos: number): number {
    const text = this.view.state.doc.toString();
    let i = pos;
    while (i < text.length && /[\w$]/.test(text[i]!)) i++;
    return i;
  }

  focus(): void {
    this.view.focus();
  }
}
