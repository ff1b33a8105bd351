/**
 * What to offer at the cursor of the SQL editor: a pure function from the
 * catalog, the document and the cursor to completion options (the CodeMirror
 * adapter is completion-source.ts). Names match whatever case the user types;
 * a name typed in lower case is inserted in lower case (ksqlDB upper-cases
 * unquoted names anyway), a name that is not a plain upper-case identifier is
 * inserted back-quoted.
 */
import { splitStatements } from '../statements.js';
import { type Catalog, type CatalogSource, findSource } from './catalog.js';
import { KSQL_KEYWORDS, PSEUDO_COLUMNS } from './keywords.js';
import { isWord, isWordChar, type SqlToken, tokenize } from './sql-tokens.js';
import { sqlName } from '../sql-names.js';

/** What an option names (the adapter picks its icon from this). */
export type SqlCompletionKind = 'keyword' | 'function' | 'stream' | 'table' | 'column';

/** One option: matched on `label`, inserting `apply`, ranked by `boost` (higher first among equal matches). */
export interface SqlCompletion {
  readonly label: string;
  readonly apply: string;
  readonly kind: SqlCompletionKind;
  /** Shown beside the label: a column's type, a function's type and category, … */
  readonly detail: string;
  readonly boost: number;
}

/** Options for the word from `from` to the cursor. */
export interface SqlCompletions {
  readonly from: number;
  readonly options: readonly SqlCompletion[];
}

/** A source the statement names after FROM, JOIN or INTO, and the alias it goes by there, if any. */
interface SourceRef {
  readonly source: CatalogSource;
  readonly alias: SqlToken | undefined;
}

/** Words after which a name is not an alias. */
const NOT_ALIAS = new Set(KSQL_KEYWORDS);

/** How to write `name` in SQL, following the case of what was typed so far. */
export function nameText(name: string, typed: string): string {
  const text = sqlName(name);
  if (text !== name) return text;
  return typed !== '' && typed === typed.toLowerCase() ? name.toLowerCase() : name;
}

/** The name a name token stands for, as the server spells it (unquoted names upper-case). */
function spelled(t: SqlToken): string {
  return t.kind === 'quoted' ? t.text : t.text.toUpperCase();
}

/** The sources a statement's tokens name after FROM, JOIN or INSERT INTO, with their aliases. */
function references(catalog: Catalog, tokens: readonly SqlToken[]): SourceRef[] {
  const refs: SourceRef[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!isWord(t, 'FROM', 'JOIN', 'INTO')) continue;
    const n = tokens[i + 1];
    if (!n || (n.kind !== 'word' && n.kind !== 'quoted')) continue;
    const source = findSource(catalog, n.text, n.kind === 'quoted');
    if (!source) continue;
    let a = tokens[i + 2];
    if (isWord(a, 'AS')) a = tokens[i + 3];
    const alias = a && (a.kind === 'quoted' || (a.kind === 'word' && !NOT_ALIAS.has(a.text.toUpperCase()))) ? a : undefined;
    refs.push({ source, alias });
  }
  return refs;
}

function keywordOptions(boost: number): SqlCompletion[] {
  return KSQL_KEYWORDS.map((k) => ({ label: k, apply: k, kind: 'keyword', detail: 'keyword', boost }));
}

function sourceOptions(sources: readonly CatalogSource[], typed: string, boost: number): SqlCompletion[] {
  return sources.map((s) => ({ label: s.name, apply: nameText(s.name, typed), kind: s.kind, detail: s.kind, boost }));
}

function functionOptions(catalog: Catalog, typed: string, boost: number): SqlCompletion[] {
  return catalog.functions.map((f) => ({
    label: f.name,
    apply: `${nameText(f.name, typed)}(`,
    kind: 'function',
    detail: [f.type, f.category]
      .filter((x, i, all) => x !== '' && all.indexOf(x) === i)
      .join(' · ')
      .toLowerCase(),
    boost,
  }));
}

/** The columns of `sources` (each name once; the detail names its sources when there are several) and the pseudo columns. */
function columnOptions(sources: readonly CatalogSource[], typed: string, boost: number): SqlCompletion[] {
  const byName = new Map<string, { type: string; key: boolean; in: string[] }>();
  for (const s of sources) {
    for (const c of s.columns) {
      const seen = byName.get(c.name);
      if (seen) seen.in.push(s.name);
      else byName.set(c.name, { type: c.type, key: c.key, in: [s.name] });
    }
  }
  const out: SqlCompletion[] = [];
  for (const [name, c] of byName) {
    const where = sources.length > 1 ? ` · ${c.in.join(', ')}` : '';
    out.push({ label: name, apply: nameText(name, typed), kind: 'column', detail: `${c.type}${c.key ? ' key' : ''}${where}`, boost });
  }
  for (const p of PSEUDO_COLUMNS) {
    if (!byName.has(p.name)) out.push({ label: p.name, apply: nameText(p.name, typed), kind: 'column', detail: `${p.type} · pseudo column`, boost: boost - 1 });
  }
  return out;
}

/** Where the statement the cursor is in starts, and ends (its `;` or the end of the text). */
function statementBounds(doc: string, from: number, pos: number): { start: number; end: number } {
  const before = splitStatements(doc.slice(0, from));
  const last = before[before.length - 1];
  const start = last && !last.text.endsWith(';') ? last.from : from;
  const rest = splitStatements(doc.slice(start))[0];
  return { start, end: Math.max(rest ? start + rest.to : pos, pos) };
}

/**
 * The options at offset `pos` of `doc`, or undefined when there is nothing to
 * offer (inside a string or comment, or no word begun and not `explicit`ly asked).
 *
 * - after `name.`: the columns of the source `name` names or aliases;
 * - after FROM, JOIN, INTO, DESCRIBE, DROP STREAM/TABLE: streams and tables first;
 * - at the start of a statement: keywords;
 * - elsewhere: the columns of the statement's sources (before or after the
 *   cursor: `SELECT | FROM clicks`), then functions, sources and keywords.
 */
export function completeSql(catalog: Catalog, doc: string, pos: number, explicit: boolean): SqlCompletions | undefined {
  let from = pos;
  while (from > 0 && isWordChar(doc[from - 1])) from--;
  const typed = doc.slice(from, pos);
  if (/^[0-9]/.test(typed)) return undefined;
  const { start, end } = statementBounds(doc, from, pos);
  const before = tokenize(doc.slice(start, from));
  if (before.open) return undefined;
  const toks = before.tokens;
  const last = toks[toks.length - 1];
  const statementTokens = () => tokenize(doc.slice(start, end)).tokens;

  if (last?.kind === 'punct' && last.text === '.' && last.to === from - start) {
    const q = toks[toks.length - 2];
    if (!q || (q.kind !== 'word' && q.kind !== 'quoted')) return undefined;
    const ref = references(catalog, statementTokens()).find((r) => r.alias !== undefined && spelled(r.alias) === spelled(q));
    const source = ref?.source ?? findSource(catalog, q.text, q.kind === 'quoted');
    return source ? { from, options: columnOptions([source], typed, 3) } : undefined;
  }
  if (typed === '' && !explicit) return undefined;
  if (!last) return { from, options: keywordOptions(0) };

  const prev = toks[toks.length - 2];
  if (isWord(last, 'FROM', 'JOIN', 'INTO', 'DESCRIBE')) {
    return { from, options: [...sourceOptions(catalog.sources, typed, 3), ...keywordOptions(-1)] };
  }
  if (isWord(prev, 'DROP') && isWord(last, 'STREAM', 'TABLE')) {
    const kind = last.text.toUpperCase() === 'STREAM' ? 'stream' : 'table';
    return {
      from,
      options: [
        ...sourceOptions(
          catalog.sources.filter((s) => s.kind === kind),
          typed,
          3,
        ),
        ...keywordOptions(-1),
      ],
    };
  }
  const refs = references(catalog, statementTokens());
  const sources: CatalogSource[] = [];
  for (const r of refs) if (!sources.includes(r.source)) sources.push(r.source);
  return {
    from,
    options: [
      ...(sources.length > 0 ? columnOptions(sources, typed, 3) : []),
      ...functionOptions(catalog, typed, 1),
      ...sourceOptions(catalog.sources, typed, 0),
      ...keywordOptions(0),
    ],
  };
}
