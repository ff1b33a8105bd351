/**
 * What EXPLAIN says about a persistent query besides its graph: its id,
 * state, statement, sources and sinks, and the physical plan's steps.
 */
import { h } from '../dom.js';
import type { QueryDescription } from '../query-description.js';
import type { ExecutionPlan } from './parse-plan.js';

/** The facts and plan of `d` as a section shown under the graph. */
export function queryDetails(d: QueryDescription, plan: ExecutionPlan): HTMLElement {
  const facts: [string, string][] = [
    ['State', d.state || 'unknown'],
    ['Sources', d.sources.join(', ') || 'none'],
    ['Sinks', d.sinks.join(', ') || 'none'],
  ];
  return h(
    'section',
    { class: 'topology-details', 'aria-label': `Details of ${d.id}` },
    h('h3', {}, d.id),
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-fact': k.toLowerCase() }, v)])),
    h('pre', { class: 'topology-statement', 'aria-label': 'Statement' }, d.statementText),
    h('h4', {}, 'Physical plan'),
    plan.physical.length === 0
      ? h('p', { class: 'placeholder' }, 'No physical plan steps.')
      : h(
          'table',
          { class: 'entity-table plan-steps', 'aria-label': `Physical plan of ${d.id}` },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Step'),
              h('th', { scope: 'col' }, 'Operator'),
              h('th', { scope: 'col' }, 'Inputs'),
              h('th', { scope: 'col' }, 'Schema'),
            ),
          ),
          h(
            'tbody',
            {},
            ...plan.physical.map((s) =>
              h('tr', {}, h('td', {}, String(s.index)), h('td', {}, s.operator), h('td', {}, s.inputs.join(', ')), h('td', { class: 'plan-schema' }, s.schema)),
            ),
          ),
        ),
    plan.logical === '' ? null : h('details', {}, h('summary', {}, 'Logical plan'), h('pre', { class: 'topology-logical' }, plan.logical)),
  );
}
