import type { KsqlEntity } from '../api.js';
import { h } from '../dom.js';

/** Cell text of a value in an entity table. */
function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A plain table of objects: one column per key (of the first objects), one row each. */
export function objectTable(items: readonly Readonly<Record<string, unknown>>[], label: string): HTMLElement {
  const keys: string[] = [];
  for (const it of items.slice(0, 50)) for (const k of Object.keys(it)) if (!keys.includes(k)) keys.push(k);
  return h(
    'table',
    { class: 'entity-table', 'aria-label': label },
    h('thead', {}, h('tr', {}, ...keys.map((k) => h('th', { scope: 'col' }, k)))),
    h('tbody', {}, ...items.map((it) => h('tr', {}, ...keys.map((k) => h('td', {}, text(it[k])))))),
  );
}

/** The first property of an entity that is a list of objects (`streams`, `queries`, `topics`…). */
function listOf(e: KsqlEntity): [string, Readonly<Record<string, unknown>>[]] | undefined {
  for (const [k, v] of Object.entries(e)) {
    if (Array.isArray(v) && k !== 'warnings' && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
      return [k, v as Readonly<Record<string, unknown>>[]];
    }
  }
  return undefined;
}

/**
 * Shows one `/ksql` entity: a status as its message, lists (`streams`,
 * `tables`, `queries`, `topics`, `properties`, …) as tables, a source's
 * fields as a table, anything else as formatted JSON.
 */
export function entityView(e: KsqlEntity): HTMLElement {
  const kind = e['@type'];
  const warnings = (e['warnings'] as { message: string }[] | undefined) ?? [];
  const warn = warnings.map((w) => h('p', { class: 'warning', role: 'status' }, w.message));
  if (kind === 'currentStatus') {
    const status = e['commandStatus'] as { status: string; message: string } | undefined;
    return h('div', { class: 'entity status' }, h('p', { class: 'status-message' }, status?.message ?? 'Done'), ...warn);
  }
  if (kind === 'sourceDescription') {
    const d = e['sourceDescription'] as Record<string, unknown>;
    const fields = ((d['fields'] as { name: string; schema: { type: string }; type?: string }[] | undefined) ?? []).map((f) => ({
      Field: f.name,
      Type: f.schema.type + (f.type === 'KEY' ? ' (key)' : ''),
    }));
    const facts = ['type', 'topic', 'keyFormat', 'valueFormat', 'windowType', 'partitions', 'statement'].filter(
      (k) => d[k] !== undefined && d[k] !== null && d[k] !== '',
    );
    return h(
      'div',
      { class: 'entity source-description' },
      h('h3', {}, `${text(d['type'])} ${text(d['name'])}`),
      h('dl', { class: 'facts' }, ...facts.flatMap((k) => [h('dt', {}, k), h('dd', {}, text(d[k]))])),
      objectTable(fields, `Fields of ${text(d['name'])}`),
      d['statistics'] ? h('pre', { class: 'stats' }, text(d['statistics'])) : null,
      ...warn,
    );
  }
  const list = listOf(e);
  if (list) return h('div', { class: 'entity list' }, objectTable(list[1], list[0]), ...warn);
  const rest = Object.fromEntries(Object.entries(e).filter(([k]) => k !== '@type' && k !== 'statementText' && k !== 'warnings'));
  return h('div', { class: 'entity json' }, h('pre', {}, JSON.stringify(rest, null, 2)), ...warn);
}
