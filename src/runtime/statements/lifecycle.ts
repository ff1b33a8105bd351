/**
 * PAUSE and RESUME of persistent queries. A paused query keeps its state and
 * positions and processes nothing until resumed; both are recorded in the
 * command log, so a restart replays a paused query as paused.
 */
import { PlanError } from '../../common/errors.js';
import type { PauseResume } from '../../parser/ast/index.js';
import type { RunningQuery } from '../query/running-query.js';
import type { StatementContext } from './context.js';
import type { StatementResult } from './statement-result.js';

/** Moves one query between RUNNING and PAUSED; queries that failed or stopped are left as they are. */
function apply(q: RunningQuery, action: PauseResume['action']): void {
  if (action === 'PAUSE' && q.state === 'RUNNING') q.state = 'PAUSED';
  else if (action === 'RESUME' && q.state === 'PAUSED') q.state = 'RUNNING';
}

export function pauseResume(ctx: StatementContext, s: PauseResume): StatementResult {
  const done = s.action === 'PAUSE' ? 'paused' : 'resumed';
  if (s.queryId === undefined) {
    for (const q of ctx.queries.values()) apply(q, s.action);
    if (s.action === 'RESUME') ctx.wake();
    return { kind: 'Message', statementText: s.text, message: `All queries ${done}.` };
  }
  const q = ctx.queries.get(s.queryId.toUpperCase()) ?? ctx.queries.get(s.queryId);
  if (!q) throw new PlanError(`Unknown queryId: ${s.queryId}`, s.pos);
  apply(q, s.action);
  if (s.action === 'RESUME') ctx.wake();
  return { kind: 'Message', statementText: s.text, message: `Query ${done}.`, queryId: q.id };
}
