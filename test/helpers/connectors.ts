/**
 * One home for what the built-in connector suites share: a `BuiltinConnectors`
 * over a real log with a catalog filled by running SQL through an Engine, the
 * FileStream class names, and reading a sink's output file.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessingLogEntry } from '../../src/common/processing-log.js';
import { BuiltinConnectors } from '../../src/runtime/connectors/builtin/builtin-connectors.js';
import { ConnectorError } from '../../src/runtime/connectors/connector.js';
import { Engine } from '../../src/runtime/engine/engine.js';
import type { Log } from '../../src/runtime/log/log.js';
import { MemoryLog } from '../../src/runtime/log/memory-log.js';

export const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
export const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';

/** `create` options of a plain CREATE (no IF NOT EXISTS, not a replay). */
export const NOT_EXISTS = { ifNotExists: false, replaying: false } as const;

/** An engine and the built-in connectors over its log and catalog. */
export interface ConnectorSetup {
  readonly engine: Engine;
  readonly connectors: BuiltinConnectors;
  /** What the connectors reported to the processing log. */
  readonly processingLog: ProcessingLogEntry[];
  /** A fresh temporary directory for the test's files (or the one given). */
  readonly dir: string;
}

/** Builds a {@link ConnectorSetup}; its engine and connectors are pushed on `closing` for the suite's afterEach. */
export async function connectorSetup(
  closing: { close(): Promise<void> }[],
  log: Log = new MemoryLog(),
  dir = mkdtempSync(join(tmpdir(), 'sluice-connectors-')),
): Promise<ConnectorSetup> {
  const engine = new Engine({ log });
  const processingLog: ProcessingLogEntry[] = [];
  const connectors = new BuiltinConnectors({
    log,
    catalog: engine.catalog,
    registry: engine.registry,
    logger: { error: (e) => processingLog.push(e) },
    serverProperties: new Map(),
    kafkaMode: false,
  });
  closing.push(engine, connectors);
  return { engine, connectors, processingLog, dir };
}

/** The lines of a file (empty when it does not exist yet). */
export function fileLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(0, -1);
  } catch {
    return [];
  }
}

/** The ConnectorError a promise rejects with (anything else fails the test). */
export async function connectorRejection(p: Promise<unknown>): Promise<ConnectorError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(e)}`);
  return e;
}
