import { h } from '../dom.js';
import type { CatalogSnapshot } from './catalog.js';
import { errorView, factList, linkButtons } from './details-parts.js';
import type { BrowserNavigation } from './navigation.js';

/**
 * A topic's details from the last refresh: partitions, replicas, the streams
 * and tables over it (as buttons), and a Print button.
 */
export function topicDetails(snapshot: CatalogSnapshot, nav: BrowserNavigation, name: string): HTMLElement {
  const topic = snapshot.topics.find((t) => t.name === name);
  if (!topic) return errorView(name, new Error(`Topic ${name} is not listed (any more).`));
  const sources = [...snapshot.streams, ...snapshot.tables].filter((s) => s.topic === name).map((s) => s.name);
  return h(
    'article',
    { class: 'browser-details topic-details', 'aria-label': `Topic ${name}` },
    h(
      'div',
      { class: 'details-head' },
      h('h2', {}, h('span', { class: 'details-kind' }, 'TOPIC'), ' ', name),
      h('button', { type: 'button', class: 'print-topic', onclick: () => nav.printTopic(name) }, 'Print'),
    ),
    factList([
      ['Partitions', String(topic.replicaInfo.length)],
      ['Replicas', topic.replicaInfo.join(', ')],
      [
        'Streams and tables',
        linkButtons(
          sources,
          (n) => nav.showSource(n),
          (n) => `Source ${n}`,
        ),
      ],
    ]),
  );
}
