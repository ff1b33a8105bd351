/**
 * The Kafka Connect worker of the connector tests (test/kafka/connect-*.test.ts), started with
 * `scripts/connect-local.sh start` next to the broker of scripts/kafka-local.sh.
 *
 * Its URL is SLUICE_CONNECT_URL, else http://127.0.0.1:${SLUICE_CONNECT_PORT:-8083}. Importing this
 * module asks the worker's GET /health once (top-level await); `describeConnect` runs a suite only when
 * both the broker and the worker answer, and under CI=true fails it instead of skipping (describeIf).
 */
import { createServer } from 'node:net';
import { describeIf } from '../helpers/describe-if.js';
import { kafkaAvailable } from './broker.js';

/** The test worker's REST URL. */
export const CONNECT_URL = process.env.SLUICE_CONNECT_URL ?? `http://127.0.0.1:${process.env.SLUICE_CONNECT_PORT ?? 8083}`;

async function healthy(): Promise<boolean> {
  try {
    const res = await fetch(`${CONNECT_URL}/health`, { signal: AbortSignal.timeout(3_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

const connectUp = await healthy();

/** `describe` when the broker and the Connect worker answer; under CI=true a missing one fails the suite. */
export const describeConnect = describeIf(
  kafkaAvailable() && connectUp,
  `a Kafka Connect worker at ${CONNECT_URL} (scripts/connect-local.sh start, after scripts/kafka-local.sh start)`,
);

/** A TCP port nobody listens on (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A connector name no other test (or earlier run against the same worker) uses. */
export function uniqueConnector(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
