import type { KsqlApi } from '../api.js';
import { type Catalog, EMPTY_CATALOG, FUNCTIONS_SQL, functionsOf, SOURCES_SQL, sourcesOf } from './catalog.js';

/** How long {@link CatalogLoader.refresh} waits for more requests before asking the server. */
const DEBOUNCE_MS = 250;

/**
 * Keeps the completion {@link Catalog} up to date: streams and tables with
 * their columns (SHOW STREAMS/TABLES EXTENDED) on every refresh, functions
 * (SHOW FUNCTIONS) until they loaded once. Refreshes asked for in quick
 * succession make one request; an answer older than the latest is dropped.
 * A failed request keeps the previous catalog.
 */
export class CatalogLoader {
  private catalog: Catalog = EMPTY_CATALOG;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private readonly listeners: ((c: Catalog) => void)[] = [];

  constructor(private readonly api: KsqlApi) {}

  /** The catalog as last loaded. */
  current(): Catalog {
    return this.catalog;
  }

  /** Calls `listener` with each newly loaded catalog. */
  onChange(listener: (c: Catalog) => void): void {
    this.listeners.push(listener);
  }

  /** Reloads soon (after {@link DEBOUNCE_MS} without another call). */
  refresh(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.load();
    }, DEBOUNCE_MS);
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    const needFunctions = this.catalog.functions.length === 0;
    const [sources, functions] = await Promise.all([
      this.api.ksql(SOURCES_SQL).then(sourcesOf, () => undefined),
      needFunctions ? this.api.ksql(FUNCTIONS_SQL).then(functionsOf, () => undefined) : Promise.resolve(undefined),
    ]);
    if (generation !== this.generation) return;
    this.catalog = { sources: sources ?? this.catalog.sources, functions: functions ?? this.catalog.functions };
    for (const l of this.listeners) l(this.catalog);
  }
}
