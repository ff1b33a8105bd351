/**
 * Reads EXPLAIN's `executionPlan` text: the logical plan as it is, and the
 * physical plan's numbered step lines (`  2. StreamWindowedAggregate <- 1  [schema]`)
 * as a list. Pure: no DOM.
 */

/** One step of the physical plan. */
export interface PlanStep {
  /** The step's number (1-based, as printed). */
  readonly index: number;
  /** The step type (`StreamSource`, `StreamWindowedAggregate`, …). */
  readonly operator: string;
  /** The numbers of the steps feeding it, in order (none for a source). */
  readonly inputs: readonly number[];
  /** The columns it produces as printed between the brackets (`USER_ID STRING KEY, N BIGINT`); empty if not printed. */
  readonly schema: string;
}

/** An execution plan split into its parts. */
export interface ExecutionPlan {
  /** The logical plan's lines (indented tree), without its heading; empty when absent. */
  readonly logical: string;
  /** The physical plan's steps in printed order. */
  readonly physical: readonly PlanStep[];
}

const STEP = /^\s*(\d+)\.\s+(\S+)(?:\s+<-\s+(\d+(?:\s*,\s*\d+)*))?(?:\s+\[(.*)\])?\s*$/;

/** Parses the `executionPlan` text; lines it does not know are skipped. */
export function parseExecutionPlan(text: string): ExecutionPlan {
  const logical: string[] = [];
  const physical: PlanStep[] = [];
  let section: 'none' | 'logical' | 'physical' = 'none';
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*Logical plan:?\s*$/i.test(line)) {
      section = 'logical';
      continue;
    }
    if (/^\s*Physical plan\b/i.test(line)) {
      section = 'physical';
      continue;
    }
    if (section === 'logical') {
      if (line.trim() !== '') logical.push(line);
      continue;
    }
    const m = STEP.exec(line);
    if (section === 'physical' && m) {
      const inputs = m[3] === undefined ? [] : m[3].split(',').map((x) => Number(x.trim()));
      physical.push({ index: Number(m[1]), operator: m[2]!, inputs, schema: m[4]?.trim() ?? '' });
    }
  }
  return { logical: dedent(logical).join('\n'), physical };
}

/** Removes the indentation all `lines` share. */
function dedent(lines: readonly string[]): string[] {
  let common = Number.POSITIVE_INFINITY;
  for (const l of lines) common = Math.min(common, l.length - l.trimStart().length);
  return lines.map((l) => l.slice(common === Number.POSITIVE_INFINITY ? 0 : common));
}
