import { h, replace } from '../dom.js';
import { formatCount, formatRate, type QueryFigures } from './metrics.js';

/** A query's figures in one line, for the list: `in 2.5/s · out 2.5/s · lag 0`. */
export function figuresLine(f: QueryFigures | undefined): string {
  if (!f) return '';
  return `in ${formatRate(f.inPerSec)} · out ${formatRate(f.outPerSec)} · lag ${formatCount(f.lag)}`;
}

/** The figures a query's details show, in order: label, test id and text of each. */
function rows(f: QueryFigures): [string, string, string][] {
  return [
    ['Records in', 'records-in', formatCount(f.recordsIn)],
    ['In', 'in-rate', formatRate(f.inPerSec)],
    ['Records out', 'records-out', formatCount(f.recordsOut)],
    ['Out', 'out-rate', formatRate(f.outPerSec)],
    ['Lag', 'lag', formatCount(f.lag)],
    ['Processing errors', 'processing-errors', formatCount(f.processingErrors)],
  ];
}

/** Fills `dl` with a query's figures (or says there are none yet). */
export function showFigures(dl: HTMLElement, f: QueryFigures | undefined): void {
  if (!f) {
    replace(dl, h('dt', {}, 'Figures'), h('dd', {}, 'No metrics for this query yet'));
    return;
  }
  replace(dl, ...rows(f).flatMap(([label, id, text]) => [h('dt', {}, label), h('dd', { 'data-testid': id }, text)]));
}
