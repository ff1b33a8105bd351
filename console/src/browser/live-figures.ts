import type { KsqlApi } from '../api.js';
import { type MetricsReading, type QueryFigures, queryFigures, readMetrics } from './metrics.js';

/**
 * Something on the page showing figures: updated while `element` is in the
 * document, forgotten once it has left it (or when it never arrived within
 * a few readings: a view built but not shown).
 */
interface Watcher {
  readonly element: HTMLElement;
  readonly update: (figures: ReadonlyMap<string, QueryFigures>) => void;
  /** Readings taken while the element was not (yet) in the document; -1 once it has been. */
  unseen: number;
}

/** Readings a watched element may stay out of the document before it is forgotten. */
const NEVER_SHOWN_READINGS = 3;

/** Is `w` still worth updating? (Advances its count of readings unseen.) */
function alive(w: Watcher): boolean {
  if (w.element.isConnected) {
    w.unseen = -1;
    return true;
  }
  if (w.unseen < 0) return false;
  w.unseen++;
  return w.unseen <= NEVER_SHOWN_READINGS;
}

/**
 * Polls `GET /metrics` while the page is visible and keeps every persistent
 * query's latest {@link QueryFigures} (rates from the last two readings).
 * Readings stop while the page is hidden, and the first one after it shows
 * again starts the rates afresh (no average over the time away).
 */
export class LiveFigures {
  private previous: MetricsReading | undefined;
  private latest: ReadonlyMap<string, QueryFigures> = new Map();
  private watchers: Watcher[] = [];
  private polling = false;
  private timer = 0;

  constructor(
    private readonly api: KsqlApi,
    private readonly everyMs = 2000,
  ) {}

  /** Starts polling (now, then every `everyMs` while visible). */
  start(): void {
    if (this.timer) return;
    this.timer = window.setInterval(() => void this.poll(), this.everyMs);
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) this.previous = undefined;
      else void this.poll();
    });
    void this.poll();
  }

  /** The latest figures of query `id`, if `/metrics` named it. */
  figures(id: string): QueryFigures | undefined {
    return this.latest.get(id);
  }

  /**
   * Calls `update` with the current figures now and after every reading, for
   * as long as `element` is in the document (it may be put there after this
   * call; it is dropped at the first reading that finds it gone).
   */
  watch(element: HTMLElement, update: (figures: ReadonlyMap<string, QueryFigures>) => void): void {
    this.watchers.push({ element, update, unseen: 0 });
    update(this.latest);
  }

  /** Takes one reading (skipped while hidden or while one is in flight); a failed one is ignored (the next may work). */
  async poll(): Promise<void> {
    if (document.hidden || this.polling) return;
    this.polling = true;
    try {
      const text = await this.api.metrics();
      const reading = readMetrics(text, performance.now());
      this.latest = queryFigures(this.previous, reading);
      this.previous = reading;
    } catch {
      return;
    } finally {
      this.polling = false;
    }
    this.watchers = this.watchers.filter(alive);
    for (const w of this.watchers) if (w.unseen < 0) w.update(this.latest);
  }
}
