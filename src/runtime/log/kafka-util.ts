/** Helpers of the Kafka log and its transactional writer: kafkajs error kinds, headers, bounded waits. */
import type { IHeaders, Message } from 'kafkajs';
import type { NewRecord } from './log.js';

/** Record bytes per produce request (below the brokers' default 1 MiB limit). */
export const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * Whether a kafkajs error (or one it wraps) is worth retrying: the broker says
 * so, or it is about reaching the cluster. A request the cluster refuses (a bad
 * replication factor, say) is not.
 */
export function isRetriable(e: unknown): boolean {
  const transient = new Set([
    'KafkaJSConnectionError',
    'KafkaJSConnectionClosedError',
    'KafkaJSNumberOfRetriesExceeded',
    'KafkaJSRequestTimeoutError',
    'KafkaJSBrokerNotFound',
    'KafkaJSLockTimeout',
    'KafkaJSTimeout',
  ]);
  for (let x = e as { name?: unknown; retriable?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; x && depth < 5; depth++) {
    if (x.retriable === true || (typeof x.name === 'string' && transient.has(x.name))) return true;
    x = (x.cause ?? x.originalError) as typeof x;
  }
  return false;
}

/** Whether a kafkajs error (or one it wraps) says the topic or partition does not exist. */
export function isUnknownTopic(e: unknown): boolean {
  for (let x = e as { type?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; x && depth < 5; depth++) {
    if (x.type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
    x = (x.cause ?? x.originalError) as typeof x;
  }
  return false;
}

/** Whether a kafkajs error (or one it wraps) says the producer was fenced. */
export function isFenced(e: unknown): boolean {
  for (let x = e as { type?: unknown; message?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; x && depth < 5; depth++) {
    const text = `${String(x.type ?? '')} ${String(x.message ?? '')}`;
    if (/FENCED|INVALID_PRODUCER_EPOCH|producer.*epoch|fenced/i.test(text)) return true;
    x = (x.cause ?? x.originalError) as typeof x;
  }
  return false;
}

export function toKafkaHeaders(headers: NewRecord['headers']): IHeaders | undefined {
  if (!headers || headers.length === 0) return undefined;
  const out: IHeaders = {};
  for (const h of headers) {
    const v = h.value ?? Buffer.alloc(0);
    const prev = out[h.key];
    if (prev === undefined) out[h.key] = v;
    else out[h.key] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Waits for `p` at most `ms` (errors ignored): for disconnects that must not hold up a shutdown. */
export function bounded(p: Promise<unknown>, ms = 2_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    p.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

/**
 * One partition's records as kafkajs messages, in produce requests of at most
 * {@link MAX_REQUEST_BYTES} (brokers reject larger ones: message.max.bytes, 1 MiB by default).
 */
export function messageChunks(records: readonly NewRecord[], partition: number): Message[][] {
  const chunks: Message[][] = [];
  let messages: Message[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = (r.key?.length ?? 0) + (r.value?.length ?? 0) + 64;
    if (bytes + size > MAX_REQUEST_BYTES && messages.length > 0) {
      chunks.push(messages);
      messages = [];
      bytes = 0;
    }
    messages.push({ key: r.key, value: r.value, timestamp: String(Math.trunc(r.timestamp)), partition, headers: toKafkaHeaders(r.headers) });
    bytes += size;
  }
  if (messages.length > 0) chunks.push(messages);
  return chunks;
}
