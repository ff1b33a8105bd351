/**
 * Shared helpers for the Kafka-mode tests (test/kafka, run by `npm run test:kafka`).
 *
 * Importing this module probes the broker at 127.0.0.1:${SLUICE_KAFKA_PORT:-9092} once (top-level await).
 * When it is not reachable:
 *   - in CI (CI=true) the import throws, so every Kafka test file fails loudly;
 *   - elsewhere the suites declared with `describeKafka` are skipped, with a console message.
 *
 * Start a broker with `scripts/kafka-local.sh start` (stop it with `scripts/kafka-local.sh stop`).
 *
 *   import { describeKafka, uniqueTopic, createTopic, produce, consumeAll } from './broker.js';
 *   describeKafka('my feature', () => { it('...', async () => { ... }); });
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  Kafka,
  logLevel,
  Partitioners,
  type IHeaders,
  type ITopicConfig,
  type KafkaConfig,
  type KafkaMessage,
  type Message,
  type RecordMetadata,
} from 'kafkajs';
import { describe } from 'vitest';
import { eventually } from '../helpers/eventually.js';

export const KAFKA_HOST = '127.0.0.1';
export const KAFKA_PORT = Number(process.env.SLUICE_KAFKA_PORT ?? 9092);
/** `host:port` of the test broker, for kafkajs `brokers: [...]` or Sluice's bootstrap servers. */
export const KAFKA_BROKER = `${KAFKA_HOST}:${KAFKA_PORT}`;

const SCRIPT = fileURLToPath(new URL('../../scripts/kafka-local.sh', import.meta.url));

/** kafkajs log level for the helpers' clients: SLUICE_KAFKA_LOG=debug|info|warn|error|nothing (default nothing:
 * failures surface as thrown errors; kafkajs logs retried ones, e.g. the group coordinator still loading). */
function clientLogLevel(): logLevel {
  switch ((process.env.SLUICE_KAFKA_LOG ?? 'nothing').toLowerCase()) {
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'nothing':
      return logLevel.NOTHING;
    case 'error':
      return logLevel.ERROR;
    default:
      return logLevel.NOTHING;
  }
}

/** A kafkajs client for the test broker. */
export function kafkaClient(clientId = 'sluice-test', overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: [KAFKA_BROKER],
    logLevel: clientLogLevel(),
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 100, retries: 8 },
    ...overrides,
  });
}

function tcpReachable(timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: KAFKA_HOST, port: KAFKA_PORT });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function probe(): Promise<string | null> {
  if (!(await tcpReachable(1_000))) return 'connection refused or timed out';
  const admin = kafkaClient('sluice-test-probe', {
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 2, initialRetryTime: 200 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

const probeError = await probe();

/** Whether the broker answered when this module was loaded. */
export function kafkaAvailable(): boolean {
  return probeError === null;
}

if (probeError !== null) {
  const what = `Kafka broker not reachable at ${KAFKA_BROKER} (${probeError})`;
  if (process.env.CI === 'true') {
    throw new Error(`${what}; .ci/run starts it with scripts/kafka-local.sh start`);
  }
  console.warn(`\n[kafka] ${what}: skipping the Kafka tests. Start one with scripts/kafka-local.sh start\n`);
}

/** `describe` when the broker is reachable, `describe.skip` otherwise (outside CI). */
export const describeKafka = describe.skipIf(!kafkaAvailable());

let topicCounter = 0;

/** A topic name no other test (or earlier run against the same broker) uses. */
export function uniqueTopic(prefix = 'test'): string {
  const rand = Math.random().toString(36).slice(2, 8);
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${rand}-${++topicCounter}`;
}

/** Creates a topic (replication factor 1) and waits until its partitions have leaders. */
export async function createTopic(name: string, partitions = 1, config: Record<string, string> = {}): Promise<void> {
  const admin = kafkaClient('sluice-test-admin').admin();
  await admin.connect();
  try {
    const topic: ITopicConfig = {
      topic: name,
      numPartitions: partitions,
      replicationFactor: 1,
      configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
    };
    const created = await admin.createTopics({ topics: [topic], waitForLeaders: true });
    if (!created) throw new Error(`topic ${name} already exists`);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics (missing ones are an error, as in Kafka). */
export async function deleteTopics(...names: string[]): Promise<void> {
  const admin = kafkaClient('sluice-test-admin').admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: names });
  } finally {
    await admin.disconnect();
  }
}

/** Partition count of a topic (throws when it does not exist). */
export async function topicPartitions(name: string): Promise<number> {
  const admin = kafkaClient('sluice-test-admin').admin();
  await admin.connect();
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [name] });
    return meta.topics[0]!.partitions.length;
  } finally {
    await admin.disconnect();
  }
}

/** What `produce` accepts: a kafkajs Message, or a bare string value (null key). */
export type TestMessage = Message | string;

/**
 * Produces messages with a plain kafkajs producer (acks=all, Java-compatible murmur2 partitioner for keyed
 * messages) and returns the broker's acknowledgements.
 */
export async function produce(topic: string, messages: TestMessage[]): Promise<RecordMetadata[]> {
  const producer = kafkaClient('sluice-test-producer').producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    return await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => (typeof m === 'string' ? { value: m } : m)),
    });
  } finally {
    await producer.disconnect();
  }
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: string | null;
  value: string | null;
  /** Raw bytes, for binary formats. */
  keyBytes: Buffer | null;
  valueBytes: Buffer | null;
  headers: IHeaders;
}

/** A fetched message as the helpers hand it out: text and raw bytes of key and value. */
function consumed(topic: string, partition: number, message: KafkaMessage): ConsumedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key === null ? null : message.key.toString('utf8'),
    value: message.value === null ? null : message.value.toString('utf8'),
    keyBytes: message.key,
    valueBytes: message.value,
    headers: message.headers ?? {},
  };
}

/**
 * Reads a topic from the beginning with a plain kafkajs consumer (a fresh consumer group) until
 * `expectedCount` messages arrived, and returns them in arrival order (ordered within each partition).
 * Rejects after `timeoutMs` with the number received so far. Messages beyond `expectedCount` that arrive
 * in the same fetch are included, so `toHaveLength(expectedCount)` also catches extra output.
 */
export async function consumeAll(topic: string, expectedCount: number, timeoutMs = 30_000): Promise<ConsumedMessage[]> {
  const consumer = kafkaClient('sluice-test-consumer').consumer({
    groupId: `sluice-test-${uniqueTopic('group')}`,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  const received: ConsumedMessage[] = [];
  let finish!: () => void;
  const enough = new Promise<void>((resolve) => (finish = resolve));
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    if (expectedCount <= 0) finish();
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        received.push(consumed(topic, partition, message));
        if (received.length >= expectedCount) finish();
      },
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`consumeAll(${topic}): received ${received.length} of ${expectedCount} messages within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    await Promise.race([enough, timeout]);
    return received;
  } finally {
    clearTimeout(timer);
    // A bound, not a sync: a consumer that hangs on leaving its group must not hang the caller.
    await Promise.race([consumer.disconnect(), new Promise((r) => setTimeout(r, 5_000).unref())]);
  }
}

/** Waits until the broker answers admin requests again (after a restart). */
export async function waitForBroker(timeoutMs = 60_000): Promise<void> {
  await eventually(
    `the Kafka broker at ${KAFKA_BROKER} to answer admin requests again`,
    async () => {
      const admin = kafkaClient('sluice-test-wait', { logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
      try {
        await admin.connect();
        await admin.describeCluster();
        await admin.listTopics();
        return true;
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
    { timeoutMs, everyMs: 250 },
  );
}

/**
 * Restarts the broker keeping its data (`scripts/kafka-local.sh restart`: SIGTERM, then start on the same
 * log dir) and waits until it serves again. Only works for a broker started by scripts/kafka-local.sh with the
 * same SLUICE_KAFKA_HOME / SLUICE_KAFKA_PORT environment. Clients connected before the restart reconnect on
 * their own (kafkajs retries).
 */
export async function restartBroker(): Promise<void> {
  try {
    await promisify(execFile)(SCRIPT, ['restart'], { env: process.env, timeout: 150_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`restartBroker: scripts/kafka-local.sh restart failed: ${e.stderr || e.message}`);
  }
  await waitForBroker();
}

/** Stops the test broker, keeping its data (scripts/kafka-local.sh pause); {@link resumeBroker} starts it again. */
export async function pauseBroker(): Promise<void> {
  await kafkaScript('pause');
}

/** Starts the broker stopped by {@link pauseBroker} on its data and waits until it serves. */
export async function resumeBroker(): Promise<void> {
  await kafkaScript('resume');
  await waitForBroker();
}

async function kafkaScript(command: string): Promise<void> {
  try {
    await promisify(execFile)(SCRIPT, [command], { env: process.env, timeout: 150_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`scripts/kafka-local.sh ${command} failed: ${e.stderr || e.message}`);
  }
}

/**
 * Everything in a topic up to its end at the time of the call, read by a plain kafkajs consumer
 * (read_committed unless `readUncommitted`): transaction markers and aborted records count as read.
 */
export async function readToEnd(topic: string, opts: { readUncommitted?: boolean; timeoutMs?: number } = {}): Promise<ConsumedMessage[]> {
  const kafka = kafkaClient('sluice-test-reader');
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, number>;
  try {
    ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({
    groupId: `sluice-test-${uniqueTopic('reader')}`,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
    readUncommitted: opts.readUncommitted ?? false,
  });
  const received: ConsumedMessage[] = [];
  const seen = new Map<number, number>();
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const check = () => {
    for (const [p, end] of ends) if ((seen.get(p) ?? -1) + 1 < end) return;
    finish();
  };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  // One deadline for the whole read, joining the group included: a probe that hangs anywhere fails in time.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`readToEnd(${topic}): not at the end within ${timeoutMs} ms (${JSON.stringify([...seen])} of ${JSON.stringify([...ends])})`)),
      timeoutMs,
    );
  });
  timeout.catch(() => {});
  try {
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      seen.set(payload.partition, Math.max(seen.get(payload.partition) ?? -1, Number(payload.lastOffset)));
      check();
    });
    await Promise.race([consumer.connect(), timeout]);
    await Promise.race([consumer.subscribe({ topics: [topic], fromBeginning: true }), timeout]);
    check();
    await Promise.race([
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          received.push(consumed(topic, partition, message));
          seen.set(partition, Math.max(seen.get(partition) ?? -1, Number(message.offset)));
        },
      }),
      timeout,
    ]);
    await Promise.race([done, timeout]);
    return received;
  } finally {
    clearTimeout(timer);
    // A bound, not a sync: a consumer that hangs on leaving its group must not hang the caller.
    await Promise.race([consumer.disconnect(), new Promise((r) => setTimeout(r, 5_000).unref())]);
  }
}
