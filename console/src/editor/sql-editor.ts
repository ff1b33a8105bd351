import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { sql } from '@codemirror/lang-sql';
import { bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { classHighlighter } from '@lezer/highlight';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { type StatementSpan, statementAt } from '../statements.js';
import { KSQL_DIALECT } from './dialect.js';

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
}

/** Sources and their columns, for completion (upper-case names, as the server spells them). */
export type CompletionSchema = Readonly<Record<string, readonly string[]>>;

/**
 * The SQL editor: CodeMirror 6 in ksqlDB's dialect, running the selection or
 * the statement under the cursor on Ctrl/Cmd-Enter, marking errors at their
 * line:column.
 */
export class SqlEditor {
  readonly view: EditorView;
  private readonly language = new Compartment();

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
          this.language.of(sql({ dialect: KSQL_DIALECT, upperCaseKeywords: true })),
          autocompletion(),
          lintGutter(),
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
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...historyKeymap,
            ...searchKeymap,
            ...completionKeymap,
            indentWithTab,
          ]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) {
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

  /** Completes these sources and columns from now on. */
  setSchema(schema: CompletionSchema): void {
    this.view.dispatch({
      effects: this.language.reconfigure(sql({ dialect: KSQL_DIALECT, upperCaseKeywords: true, schema: schema as Record<string, string[]> })),
    });
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
