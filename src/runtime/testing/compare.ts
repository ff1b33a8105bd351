import type { CaseResult, TestRecord } from './case-runner.js';

/**
 * Compares actual with expected records the way ksqlDB's test runner does: per
 * topic, in order; objects by field (upper-cased names accepted); numbers by
 * value (doubles within 1e-6); windows and timestamps exactly when given.
 * Returns undefined when they match, else why not.
 */
export function compareOutputs(expected: readonly TestRecord[], actual: readonly TestRecord[]): string | undefined {
  const topics = [...new Set(expected.map((e) => e.topic))];
  for (const topic of topics) {
    const e = expected.filter((x) => x.topic === topic);
    const a = actual.filter((x) => x.topic === topic);
    if (e.length !== a.length) return `topic ${topic}: expected ${e.length} records, got ${a.length}`;
    for (let i = 0; i < e.length; i++) {
      const why = recordDiff(e[i]!, a[i]!);
      if (why) return `topic ${topic} record ${i}: ${why}`;
    }
  }
  return undefined;
}

/** Whether a result satisfies an expected outputs list or an expected error. */
export function judge(expected: { outputs?: TestRecord[]; error?: string }, actual: CaseResult): string | undefined {
  if (expected.error !== undefined) return 'error' in actual ? undefined : 'expected an error, got outputs';
  if ('error' in actual) return `error: ${actual.error}`;
  return compareOutputs(expected.outputs ?? [], actual.outputs);
}

function recordDiff(e: TestRecord, a: TestRecord): string | undefined {
  if (e.window) {
    const w = a.window;
    if (!w || w.start !== e.window.start || w.end !== e.window.end || w.type.toLowerCase() !== e.window.type.toLowerCase()) {
      return `window: expected ${JSON.stringify(e.window)}, got ${JSON.stringify(w)}`;
    }
  }
  if (!matches(a.key ?? null, e.key ?? null)) return `key: expected ${JSON.stringify(e.key ?? null)}, got ${JSON.stringify(a.key ?? null)}`;
  if (!matches(a.value ?? null, e.value ?? null)) return `value: expected ${JSON.stringify(e.value ?? null)}, got ${JSON.stringify(a.value ?? null)}`;
  if (e.timestamp !== undefined && a.timestamp !== e.timestamp) return `timestamp: expected ${e.timestamp}, got ${a.timestamp}`;
  return undefined;
}

function matches(actual: unknown, expected: unknown): boolean {
  if (expected === null) return actual === null;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((x, i) => matches(actual[i], x));
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    if (Object.keys(a).length !== Object.keys(e).length) return false;
    return Object.entries(e).every(([k, v]) => {
      const got = k in a ? a[k] : a[k.toUpperCase()];
      return matches(got === undefined ? null : got, v);
    });
  }
  if (typeof expected === 'number') {
    const x = typeof actual === 'string' && /^-?\d+(\.\d+)?$/.test(actual) ? Number(actual) : actual;
    return typeof x === 'number' && (x === expected || Math.abs(x - expected) < 1e-6);
  }
  if (typeof expected === 'string') {
    if (typeof actual === 'string') return actual === expected;
    return typeof actual === 'number' && /^-?\d+(\.\d+)?$/.test(expected) && Number(expected) === actual;
  }
  return actual === expected;
}
