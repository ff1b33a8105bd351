/**
 * The properties the console sends with every statement (`streamsProperties`
 * on /ksql, `properties` on /query-stream): `auto.offset.reset` (its own
 * select in the header) and any others the user added in the Properties
 * panel or with `SET`. Pure state with listeners; the DOM lives elsewhere.
 */
import { HIDDEN, isSecretProperty } from '../../../src/common/secrets.js';
import type { LocalStatement } from './local-statements.js';
import { type KeyValueStore, readJson, writeJson } from './stored.js';

/** Where the extra properties are kept (secret-looking ones never are). */
export const PROPERTIES_KEY = 'sluice.console.properties';

/** The property the header's select shows. */
export const OFFSET_RESET = 'auto.offset.reset';

/** The values `auto.offset.reset` may take, the first the default. */
export const OFFSET_RESET_VALUES: readonly string[] = ['latest', 'earliest'];

/** One extra property. */
export interface PropertyEntry {
  readonly name: string;
  readonly value: string;
}

/** What a SET or UNSET did: the CLI's message on success, its error otherwise. */
export type LocalOutcome = { readonly kind: 'ok'; readonly message: string } | { readonly kind: 'error'; readonly message: string };

/** A value as messages show it (secret ones hidden, as ksqlDB's CLI does). */
function shown(name: string, value: string): string {
  return isSecretProperty(name) ? HIDDEN : value;
}

/**
 * The console's per-statement properties. Invariant: `auto.offset.reset` is
 * always one of {@link OFFSET_RESET_VALUES} and is never among the extras.
 */
export class SessionProperties {
  private reset: string = OFFSET_RESET_VALUES[0]!;
  /** Whether auto.offset.reset was chosen (by the select or SET) rather than defaulted. */
  private resetChosen = false;
  private extra = new Map<string, string>();
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly store: KeyValueStore | undefined) {
    const stored = readJson(store, PROPERTIES_KEY);
    if (Array.isArray(stored)) {
      for (const e of stored) {
        if (e && typeof e === 'object' && typeof e.name === 'string' && typeof e.value === 'string' && e.name !== OFFSET_RESET) {
          this.extra.set(e.name, e.value);
        }
      }
    }
  }

  /** The current auto.offset.reset. */
  offsetReset(): string {
    return this.reset;
  }

  /** Sets auto.offset.reset (a value not in {@link OFFSET_RESET_VALUES} is ignored). */
  setOffsetReset(value: string): void {
    if (!OFFSET_RESET_VALUES.includes(value)) return;
    this.reset = value;
    this.resetChosen = true;
    this.changed();
  }

  /** The extra properties, in the order they were added. */
  extras(): readonly PropertyEntry[] {
    return [...this.extra].map(([name, value]) => ({ name, value }));
  }

  /** Replaces the extra properties (rows with a blank name are dropped; a later row wins; auto.offset.reset goes to its select). */
  setExtras(entries: readonly PropertyEntry[]): void {
    this.extra = new Map();
    for (const e of entries) {
      const name = e.name.trim();
      if (name === '') continue;
      if (name === OFFSET_RESET) this.setOffsetReset(e.value.trim());
      else this.extra.set(name, e.value);
    }
    this.changed();
  }

  /** Everything sent with a statement: the extras and auto.offset.reset. */
  all(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.extra) out[k] = v;
    out[OFFSET_RESET] = this.reset;
    return out;
  }

  /** Runs a SET or UNSET as ksqlDB's CLI does, answering with its message. */
  apply(s: LocalStatement): LocalOutcome {
    switch (s.kind) {
      case 'set': {
        if (s.name === OFFSET_RESET && !OFFSET_RESET_VALUES.includes(s.value)) {
          return {
            kind: 'error',
            message: `Invalid value '${s.value}' for property '${OFFSET_RESET}': use ${OFFSET_RESET_VALUES.map((v) => `'${v}'`).join(' or ')}`,
          };
        }
        const old = this.valueOf(s.name);
        if (s.name === OFFSET_RESET) {
          this.reset = s.value;
          this.resetChosen = true;
        } else this.extra.set(s.name, s.value);
        this.changed();
        return {
          kind: 'ok',
          message:
            old === undefined
              ? `Successfully changed local property '${s.name}' to '${shown(s.name, s.value)}'. Use the UNSET command to revert your change.`
              : `Successfully changed local property '${s.name}' from '${shown(s.name, old)}' to '${shown(s.name, s.value)}'.`,
        };
      }
      case 'unset': {
        const old = this.valueOf(s.name);
        if (old === undefined) return { kind: 'error', message: `Cannot unset local property '${s.name}' which was never set` };
        if (s.name === OFFSET_RESET) {
          this.reset = OFFSET_RESET_VALUES[0]!;
          this.resetChosen = false;
        } else this.extra.delete(s.name);
        this.changed();
        return { kind: 'ok', message: `Successfully unset local property '${s.name}' (value was '${shown(s.name, old)}').` };
      }
    }
  }

  /** Calls `listener` after every change. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The value `name` was given, or undefined when it was not (auto.offset.reset at its default counts as not). */
  private valueOf(name: string): string | undefined {
    if (name === OFFSET_RESET) return this.resetChosen ? this.reset : undefined;
    return this.extra.get(name);
  }

  private changed(): void {
    writeJson(
      this.store,
      PROPERTIES_KEY,
      this.extras().filter((e) => !isSecretProperty(e.name)),
    );
    for (const l of this.listeners) l();
  }
}
