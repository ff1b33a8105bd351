/**
 * ASSERT [NOT EXISTS] TOPIC and ASSERT [NOT EXISTS] SCHEMA, as ksqlDB runs them:
 * the condition is checked every 100 ms until it holds or the timeout (the
 * statement's TIMEOUT, else `ksql.assert.topic|schema.default.timeout.ms`,
 * 1000 ms) passes; then it fails with 41700 and the last reason.
 */
import { AssertionFailedError } from '../../common/errors.js';
import type { AssertSchema, AssertTopic } from '../../parser/ast/index.js';
import type { StatementContext } from './context.js';
import type { StatementResult } from './statement-result.js';

const RETRY_MS = 100;
const DEFAULT_TIMEOUT_MS = 1000;

function timeoutOf(ctx: StatementContext, property: string, given: number | undefined): number {
  if (given !== undefined) return given;
  const configured = Number(ctx.properties.get(property));
  return Number.isFinite(configured) && configured >= 0 ? configured : DEFAULT_TIMEOUT_MS;
}

/** Checks `check` (a failure reason, or undefined when it holds) until it holds or `timeoutMs` passes. */
async function retry(timeoutMs: number, check: () => Promise<string | undefined>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = await check();
    if (reason === undefined) return;
    // ksqlDB's message is the reason alone: the assertion is about the cluster, not a place in the SQL.
    if (Date.now() + RETRY_MS > deadline) throw new AssertionFailedError(reason);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

export async function assertTopic(ctx: StatementContext, s: AssertTopic): Promise<StatementResult> {
  await retry(timeoutOf(ctx, 'ksql.assert.topic.default.timeout.ms', s.timeoutMs), async () => {
    const info = await ctx.log.topic(s.topic);
    if (!s.exists) return info ? `Topic ${s.topic} exists` : undefined;
    if (!info) return `Topic ${s.topic} does not exist`;
    // Only PARTITIONS and REPLICAS can be asserted; every replica count here is 1.
    const errors: string[] = [];
    for (const p of s.properties) {
      const actual = p.name === 'PARTITIONS' ? info.partitions : p.name === 'REPLICAS' ? 1 : undefined;
      if (actual === undefined) errors.push(`Cannot assert unknown topic property: ${p.name}`);
      else if (p.value.literalType !== 'INTEGER' || p.value.value !== actual) {
        errors.push(`Mismatched configuration for topic ${s.topic}: For config ${p.name.toLowerCase()}, expected ${String(p.value.value)} got ${actual}`);
      }
    }
    return errors.length > 0 ? errors.join('\n') : undefined;
  });
  return { kind: 'AssertTopic', statementText: s.text, topic: s.topic, exists: s.exists };
}

export async function assertSchema(ctx: StatementContext, s: AssertSchema): Promise<StatementResult> {
  const what = `Schema with${s.subject !== undefined ? ` subject name ${s.subject}` : ''}${s.id !== undefined ? ` id ${s.id}` : ''}`;
  await retry(timeoutOf(ctx, 'ksql.assert.schema.default.timeout.ms', s.timeoutMs), async () => {
    const bySubject = s.subject === undefined || ctx.registry.getLatest?.(s.subject) !== undefined;
    const byId = s.id === undefined || (ctx.registry.getRegistered?.(s.id) ?? ctx.registry.getSchema(s.id)) !== undefined;
    const found = bySubject && byId;
    if (s.exists) return found ? undefined : `${what} does not exist`;
    return found ? `${what} exists` : undefined;
  });
  return {
    kind: 'AssertSchema',
    statementText: s.text,
    ...(s.subject !== undefined ? { subject: s.subject } : {}),
    ...(s.id !== undefined ? { id: s.id } : {}),
    exists: s.exists,
  };
}
