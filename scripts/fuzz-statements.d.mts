/** Types of scripts/fuzz-statements.mjs (plain JavaScript so scripts/fuzz.mjs runs without a build). */
export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
}
export interface FuzzFigures {
  tried: number;
  ok: number;
  cleanErrors: number;
  serverErrors: number;
  badShape: number;
  hangs: number;
}
export interface FuzzFinding {
  readonly kind: '5xx' | 'badShape' | 'hang';
  readonly endpoint: string;
  readonly sql: string;
  readonly detail: string;
}
export function random(seed: number): Rng;
export function corpusFromTests(testDir: string): string[];
export function mutate(sql: string, rng: Rng): string;
export function pathological(rng: Rng): string;
export const SETUP: readonly string[];
export function generate(seed: number, count: number, corpus: readonly string[]): string[];
export function runFuzz(
  url: string,
  statements: readonly string[],
  opts?: { timeoutMs?: number; onFinding?: (f: FuzzFinding) => void },
): Promise<{ figures: FuzzFigures; findings: FuzzFinding[] }>;
