/**
 * Kafka Connect's error handling for built-in connectors, in one place: the
 * `errors.*` properties (ConnectorConfig / SinkConnectorConfig), retries with
 * exponential backoff, `errors.tolerance`, the dead-letter topic and its
 * `__connect.errors.*` context headers (DeadLetterQueueReporter), and the
 * trace DESCRIBE CONNECTOR shows for a failed task.
 */
import type { RecordHeader } from '../log/log.js';
import type { Log } from '../log/log.js';
import { ensureTopic } from './ensure-topic.js';
import type { RunnerSignal } from './runner-signal.js';

/** The stage a record failed in, as Connect's `__connect.errors.stage` names it. */
export type ErrorStage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'TASK_PUT' | 'TASK_POLL';

/** A connector's `errors.*` settings. */
export interface ErrorPolicy {
  /** `errors.retry.timeout`: how long a failing operation is retried (0: not at all; -1: forever). */
  readonly retryTimeoutMs: number;
  /** `errors.retry.delay.max.ms`: the cap of the exponential backoff between retries. */
  readonly retryDelayMaxMs: number;
  /** `errors.tolerance`: `none` fails the task at the first bad record; `all` skips it. */
  readonly tolerance: 'none' | 'all';
  /** `errors.deadletterqueue.topic.name` (sinks only; empty: none). */
  readonly dlqTopic: string | undefined;
  /** `errors.deadletterqueue.context.headers.enable`. */
  readonly dlqContextHeaders: boolean;
}

/** The first wait between retries (Connect's RetryWithToleranceOperator starts at 300 ms and doubles). */
export const RETRY_INITIAL_DELAY_MS = 300;

const BOOLEAN = /^(true|false)$/i;

/** Connect-worded problems with the `errors.*` properties (empty when valid). */
export function validateErrorConfig(config: Readonly<Record<string, string>>, type: 'source' | 'sink'): string[] {
  const problems: string[] = [];
  const long = (name: string, min: number): void => {
    const v = config[name];
    if (v === undefined) return;
    if (!/^-?\d+$/.test(v.trim())) problems.push(`Invalid value ${v} for configuration ${name}: Not a number of type LONG`);
    else if (Number(v) < min) problems.push(`Invalid value ${v} for configuration ${name}: Value must be at least ${min}`);
  };
  long('errors.retry.timeout', -1);
  long('errors.retry.delay.max.ms', 1);
  const tolerance = config['errors.tolerance'];
  if (tolerance !== undefined && !/^(none|all)$/i.test(tolerance.trim()))
    problems.push(`Invalid value ${tolerance} for configuration errors.tolerance: String must be one of: none, all`);
  const headers = config['errors.deadletterqueue.context.headers.enable'];
  if (headers !== undefined && !BOOLEAN.test(headers.trim()))
    problems.push(`Invalid value ${headers} for configuration errors.deadletterqueue.context.headers.enable: Expected value to be either true or false`);
  if (type === 'source' && (config['errors.deadletterqueue.topic.name'] ?? '').trim() !== '')
    problems.push('Dead letter queue (errors.deadletterqueue.topic.name) is only supported for sink connectors');
  return problems;
}

/** The policy of a config that passed {@link validateErrorConfig}. */
export function errorPolicy(config: Readonly<Record<string, string>>): ErrorPolicy {
  const dlq = (config['errors.deadletterqueue.topic.name'] ?? '').trim();
  return {
    retryTimeoutMs: Number(config['errors.retry.timeout'] ?? 0),
    retryDelayMaxMs: Number(config['errors.retry.delay.max.ms'] ?? 60000),
    tolerance: (config['errors.tolerance'] ?? 'none').trim().toLowerCase() === 'all' ? 'all' : 'none',
    dlqTopic: dlq === '' ? undefined : dlq,
    dlqContextHeaders: (config['errors.deadletterqueue.context.headers.enable'] ?? 'false').trim().toLowerCase() === 'true',
  };
}

/**
 * Runs `op` until it succeeds, retrying with exponential backoff (300 ms,
 * doubling, capped by `retryDelayMaxMs`) while within `retryTimeoutMs`
 * (-1: forever) and the runner is not stopped. Rethrows the last error.
 */
export async function withRetries<T>(policy: ErrorPolicy, signal: RunnerSignal, op: () => Promise<T>): Promise<T> {
  const start = Date.now();
  let delay = Math.min(RETRY_INITIAL_DELAY_MS, policy.retryDelayMaxMs);
  for (;;) {
    try {
      return await op();
    } catch (e) {
      const elapsed = Date.now() - start;
      const forever = policy.retryTimeoutMs < 0;
      if (signal.isStopped || (!forever && elapsed + delay > policy.retryTimeoutMs)) throw e;
      await signal.sleep(delay);
      if (signal.isStopped) throw e;
      delay = Math.min(delay * 2, policy.retryDelayMaxMs);
    }
  }
}

/** Where a failed record came from and why it failed: what the dead-letter headers carry. */
export interface FailureContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly connector: string;
  readonly stage: ErrorStage;
  /** The class that failed (the plugin's class name, or the serde's format). */
  readonly className: string;
  readonly error: Error;
}

/** Connect's `__connect.errors.*` headers for one failed record (DeadLetterQueueReporter, task id 0). */
export function deadLetterHeaders(f: FailureContext): RecordHeader[] {
  const h = (key: string, value: string): RecordHeader => ({ key: `__connect.errors.${key}`, value: Buffer.from(value, 'utf8') });
  return [
    h('topic', f.topic),
    h('partition', String(f.partition)),
    h('offset', String(f.offset)),
    h('connector.name', f.connector),
    h('task.id', '0'),
    h('stage', f.stage),
    h('class.name', f.className),
    h('exception.class.name', exceptionClass(f.error)),
    h('exception.message', f.error.message),
    h('exception.stacktrace', f.error.stack ?? `${exceptionClass(f.error)}: ${f.error.message}`),
  ];
}

/** An error's class as the dead-letter headers and traces name it. */
export function exceptionClass(e: Error): string {
  return e.name === '' ? 'Error' : e.name;
}

/**
 * Appends failed records, their original key and value bytes unchanged, to the
 * dead-letter topic (created with one partition if missing, as a broker
 * auto-creates it), all to partition 0.
 */
export async function writeDeadLetters(
  log: Log,
  policy: ErrorPolicy,
  failures: readonly { readonly key: Buffer | null; readonly value: Buffer | null; readonly timestamp: number; readonly context: FailureContext }[],
): Promise<void> {
  const topic = policy.dlqTopic;
  if (topic === undefined || failures.length === 0) return;
  await ensureTopic(log, topic);
  await log.append(
    topic,
    0,
    failures.map((f) => ({
      key: f.key,
      value: f.value,
      timestamp: f.timestamp,
      headers: policy.dlqContextHeaders ? deadLetterHeaders(f.context) : [],
    })),
  );
}

/** The trace of a task that stopped on `error`, worded like Connect's (`ConnectException: …` then `Caused by: …`). */
export function failureTrace(summary: string, error: Error): string {
  const cause = error.stack ?? `${exceptionClass(error)}: ${error.message}`;
  return `org.apache.kafka.connect.errors.ConnectException: ${summary}\nCaused by: ${cause}`;
}
