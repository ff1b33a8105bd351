import { h, replace } from '../dom.js';
import { formatCell, isWindowColumn } from './format.js';

/** Height of a row in pixels; the stylesheet's `.vt-row` must agree. */
export const ROW_HEIGHT = 24;
/** Rows drawn beyond the visible ones, above and below. */
const OVERSCAN = 10;

/**
 * A table that draws only the rows in view, so a push query's 100K rows
 * scroll and grow as fast as 10: the scroll area is sized for every row, and
 * a frame redraws the few dozen that show. While the view is at the bottom
 * it follows new rows.
 */
export class VirtualTable {
  readonly element: HTMLElement;
  private readonly head: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;
  private columns: readonly string[] = [];
  private windowBound: readonly boolean[] = [];
  private rows: unknown[][] = [];
  private frame = 0;
  private follow = true;
  /** Rows drawn so far (for the rendering-rate figure). */
  rendered = 0;

  constructor() {
    this.head = h('div', { class: 'vt-head', role: 'row' });
    this.spacer = h('div', { class: 'vt-spacer' });
    this.body = h('div', { class: 'vt-body', role: 'rowgroup' });
    this.viewport = h('div', { class: 'vt-viewport', tabindex: 0, role: 'grid', 'aria-label': 'Query results' }, this.spacer, this.body);
    this.viewport.addEventListener('scroll', () => {
      const v = this.viewport;
      this.follow = v.scrollTop + v.clientHeight >= v.scrollHeight - ROW_HEIGHT;
      this.schedule();
    });
    this.element = h('div', { class: 'vt' }, this.head, this.viewport);
  }

  /** Starts over with these columns and no rows. */
  reset(columns: readonly string[], types: readonly string[] = []): void {
    this.columns = columns;
    this.windowBound = columns.map((c, i) => isWindowColumn(c) && (types[i] === undefined || types[i] === 'BIGINT'));
    this.rows = [];
    this.follow = true;
    this.head.style.gridTemplateColumns = this.template();
    replace(this.head, ...columns.map((c) => h('div', { class: 'vt-cell', role: 'columnheader', title: c }, c)));
    this.schedule();
  }

  /** Adds rows (kept, not copied) and redraws on the next frame. */
  append(rows: unknown[][]): void {
    for (const r of rows) this.rows.push(r);
    this.schedule();
  }

  get rowCount(): number {
    return this.rows.length;
  }

  get columnNames(): readonly string[] {
    return this.columns;
  }

  /** Every row so far (for export). */
  allRows(): readonly (readonly unknown[])[] {
    return this.rows;
  }

  private template(): string {
    return `repeat(${Math.max(this.columns.length, 1)}, minmax(8rem, 1fr))`;
  }

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const v = this.viewport;
    this.spacer.style.height = `${this.rows.length * ROW_HEIGHT}px`;
    // The header sits outside the scrolling area: leave room for the rows' scroll bar so the columns line up.
    this.head.style.paddingRight = `${v.offsetWidth - v.clientWidth}px`;
    if (this.follow) v.scrollTop = v.scrollHeight;
    const first = Math.max(0, Math.floor(v.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((v.scrollTop + v.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    const template = this.template();
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const row = this.rows[i]!;
      const el = document.createElement('div');
      el.className = i % 2 === 0 ? 'vt-row' : 'vt-row vt-odd';
      el.setAttribute('role', 'row');
      el.setAttribute('aria-rowindex', String(i + 1));
      el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
      el.style.gridTemplateColumns = template;
      for (let c = 0; c < this.columns.length; c++) {
        const cell = document.createElement('div');
        cell.className = 'vt-cell';
        cell.setAttribute('role', 'gridcell');
        cell.textContent = formatCell(row[c], this.windowBound[c] === true);
        el.appendChild(cell);
      }
      frag.appendChild(el);
    }
    replace(this.body, frag);
    this.rendered += last - first;
  }
}
