import { assertNever } from './assert.js';

/** Window bounds carried by a windowed record; `end` is exclusive for time windows, inclusive for sessions. */
export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

/** Every window kind, in the order ksqlDB's messages list them: the one list of them. */
export const WINDOW_TYPES = ['SESSION', 'HOPPING', 'TUMBLING'] as const;

/** The kinds of window a windowed aggregation (and so a windowed source) has. */
export type WindowType = (typeof WINDOW_TYPES)[number];

/**
 * How a window kind frames its rows, the one question most code asks of a
 * window: `TIME` windows have a fixed size, so a windowed key carries only the
 * window start (the end is start + size) and time windows join each other;
 * `SESSION` windows are as long as their activity, so a windowed key carries
 * start and end, a session's end is inclusive, and sessions join only sessions.
 * A new window kind must be placed here, and the compiler then finds every
 * decision that depends on it.
 */
export type WindowFrame = 'TIME' | 'SESSION';

export function windowFrame(type: WindowType): WindowFrame {
  switch (type) {
    case 'TUMBLING':
    case 'HOPPING':
      return 'TIME';
    case 'SESSION':
      return 'SESSION';
    default:
      return assertNever(type, 'window type');
  }
}

/** Whether windows of this kind are sessions (see {@link WindowFrame}). */
export function isSessionWindow(type: WindowType): boolean {
  return windowFrame(type) === 'SESSION';
}

/** Whether a windowed source of this kind must declare WINDOW_SIZE (time windows: their keys carry no end). */
export function windowNeedsSize(type: WindowType): boolean {
  return windowFrame(type) === 'TIME';
}

/** Parses a WINDOW_TYPE value (any case); undefined when it names no window kind. */
export function parseWindowType(text: string): WindowType | undefined {
  const u = text.toUpperCase();
  return (WINDOW_TYPES as readonly string[]).includes(u) ? (u as WindowType) : undefined;
}
