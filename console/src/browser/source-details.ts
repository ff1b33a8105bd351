import type { KsqlApi } from '../api.js';
import { h } from '../dom.js';
import { sqlName } from '../sql-names.js';
import { errorView, factList, linkButtons, textBlock } from './details-parts.js';
import type { BrowserNavigation } from './navigation.js';

/** A column of a source, as DESCRIBE lists it (`type: 'KEY'` marks key columns). */
interface FieldInfo {
  readonly name: string;
  readonly schema: { readonly type: string };
  readonly type?: string;
}

/** The parts of DESCRIBE … EXTENDED's `sourceDescription` shown here. */
interface SourceDescription {
  readonly name: string;
  readonly type: string;
  readonly keyFormat?: string;
  readonly valueFormat?: string;
  readonly topic?: string;
  readonly partitions?: number;
  readonly windowType?: string | null;
  readonly fields?: readonly FieldInfo[];
  readonly statement?: string;
  readonly readQueries?: readonly { readonly id: string }[];
  readonly writeQueries?: readonly { readonly id: string }[];
  readonly statistics?: string;
  readonly errorStats?: string;
}

/** The fields table: name, type, and a "Key" mark on key columns. */
function fieldsTable(d: SourceDescription): HTMLElement {
  const fields = d.fields ?? [];
  return h(
    'table',
    { class: 'entity-table fields', 'aria-label': `Fields of ${d.name}` },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Key'))),
    h(
      'tbody',
      {},
      ...fields.map((f) =>
        h(
          'tr',
          { class: f.type === 'KEY' ? 'key-column' : undefined },
          h('td', {}, f.name),
          h('td', {}, f.schema.type),
          h('td', {}, f.type === 'KEY' ? 'KEY' : ''),
        ),
      ),
    ),
  );
}

/** The view of a source's description, with its queries and topic as buttons. */
function sourceView(d: SourceDescription, nav: BrowserNavigation): HTMLElement {
  const queryLinks = (qs: readonly { readonly id: string }[] | undefined) =>
    linkButtons(
      (qs ?? []).map((q) => q.id),
      (id) => nav.showQuery(id),
      (id) => `Query ${id}`,
    );
  const topic = d.topic;
  return h(
    'article',
    { class: 'browser-details source-details', 'aria-label': `${d.type} ${d.name}` },
    h(
      'div',
      { class: 'details-head' },
      h('h2', {}, h('span', { class: 'details-kind' }, d.type), ' ', d.name),
      topic ? h('button', { type: 'button', class: 'print-topic', onclick: () => nav.printTopic(topic) }, 'Print topic') : null,
    ),
    factList([
      ['Type', d.type],
      ['Key format', d.keyFormat],
      ['Value format', d.valueFormat],
      [
        'Topic',
        topic
          ? linkButtons(
              [topic],
              (t) => nav.showTopic(t),
              (t) => `Topic ${t}`,
            )
          : undefined,
      ],
      ['Partitions', d.partitions === undefined ? undefined : String(d.partitions)],
      ['Window type', d.windowType ?? undefined],
      ['Written by', queryLinks(d.writeQueries)],
      ['Read by', queryLinks(d.readQueries)],
    ]),
    h('section', { class: 'details-block', 'aria-label': 'Fields' }, h('h3', {}, 'Fields'), fieldsTable(d)),
    textBlock('Statement', d.statement, 'statement'),
    textBlock('Statistics', d.statistics, 'statistics'),
    textBlock('Errors', d.errorStats, 'error-stats'),
  );
}

/** Loads `DESCRIBE <name> EXTENDED` and builds its details view (an error view when it fails). */
export async function sourceDetails(api: KsqlApi, nav: BrowserNavigation, name: string): Promise<HTMLElement> {
  try {
    const [entity] = await api.ksql(`DESCRIBE ${sqlName(name)} EXTENDED;`);
    const d = entity?.['sourceDescription'] as SourceDescription | undefined;
    if (!d) throw new Error(`DESCRIBE ${name} returned no description`);
    return sourceView(d, nav);
  } catch (e) {
    return errorView(name, e);
  }
}
