import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import type { Catalog } from './catalog.js';
import { completeSql, type SqlCompletionKind } from './completion.js';

/** CodeMirror's icon type for each kind of option. */
const ICON: Readonly<Record<SqlCompletionKind, string>> = {
  keyword: 'keyword',
  function: 'function',
  stream: 'class',
  table: 'type',
  column: 'property',
};

/**
 * The editor's completion source: {@link completeSql} over the document and
 * the catalog `catalog()` returns at the time of asking. CodeMirror filters the
 * options as the user goes on typing (case-insensitively).
 */
export function ksqlCompletionSource(catalog: () => Catalog): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const found = completeSql(catalog(), context.state.doc.toString(), context.pos, context.explicit);
    if (!found) return null;
    const options: Completion[] = [];
    for (const o of found.options) {
      options.push({ label: o.label, apply: o.apply, type: ICON[o.kind], detail: o.detail, boost: o.boost });
    }
    return { from: found.from, options, validFor: /^[\w$]*$/ };
  };
}
