import { type KeyValueStore, readJson, writeJson } from './stored.js';

/** Where the history is kept. */
export const HISTORY_KEY = 'sluice.console.history';

/** How many statements the history keeps. */
export const HISTORY_LIMIT = 200;

/**
 * The statements run in this browser, most recent first, each once (running
 * one again moves it to the front), at most {@link HISTORY_LIMIT}, kept in
 * `store` (localStorage) across reloads. Statements are kept trimmed.
 */
export class StatementHistory {
  private items: string[];

  constructor(private readonly store: KeyValueStore | undefined) {
    const stored = readJson(store, HISTORY_KEY);
    this.items = Array.isArray(stored) ? stored.filter((s): s is string => typeof s === 'string').slice(0, HISTORY_LIMIT) : [];
  }

  /** The statements, most recent first. */
  entries(): readonly string[] {
    return this.items;
  }

  /** Records that `sql` ran. */
  add(sql: string): void {
    const text = sql.trim();
    if (text === '') return;
    this.items = [text, ...this.items.filter((s) => s !== text)].slice(0, HISTORY_LIMIT);
    writeJson(this.store, HISTORY_KEY, this.items);
  }
}
