/**
 * Reading and writing JSON in the browser's localStorage without failing when
 * storage is off or full, through an interface Node tests can stand in for.
 */

/** The part of `Storage` (localStorage) the console uses. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The JSON value at `key`, or undefined when there is none, storage is off, or it is not JSON. */
export function readJson(store: KeyValueStore | undefined, key: string): unknown {
  try {
    const text = store?.getItem(key);
    return text === null || text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** Stores `value` as JSON at `key`; a store that is off or full keeps nothing (the page still works). */
export function writeJson(store: KeyValueStore | undefined, key: string, value: unknown): void {
  try {
    store?.setItem(key, JSON.stringify(value));
  } catch {
    // storage off or full: not kept across reloads
  }
}

/** The page's localStorage, or undefined when the browser refuses it (storage disabled). */
export function browserStore(): KeyValueStore | undefined {
  try {
    return (globalThis as { localStorage?: KeyValueStore }).localStorage;
  } catch {
    return undefined;
  }
}
