/**
 * The processing log: records queries skipped and values they could not
 * compute, kept in memory (the latest 10,000) and, on servers, appended to the
 * processing-log stream with ksqlDB's schema (`LOGGER`, `LEVEL`, `TIME`, and a
 * `MESSAGE` struct whose `TYPE` says which of its error structs is set), so
 * queries written against ksqlDB's KSQL_PROCESSING_LOG work unchanged.
 */
import type { ProcessingLogEntry, ProcessingLogErrorType, ProcessingLogger } from '../../common/processing-log.js';
import { T, type SqlType } from '../../common/types.js';
import type { Catalog } from '../../planner/catalog.js';
import type { Column } from '../../planner/schema.js';
import type { Log } from '../log/log.js';

/** The default topic and stream holding the processing log when it is a stream. */
export const PROCESSING_LOG_TOPIC = 'sluice_processing_log';
export const PROCESSING_LOG_STREAM = 'KSQL_PROCESSING_LOG';

/** Entries kept in memory; older ones are dropped. */
const MAX_ENTRIES = 10_000;

/** What a {@link ProcessingLog} is built with. */
export interface ProcessingLogOptions {
  /** Also queue entries for the processing-log stream (servers). */
  readonly stream: boolean;
  /** Where entries also go (e.g. stderr). */
  readonly forward?: ProcessingLogger;
}

const CAUSE = T.array(T.STRING);
const field = (name: string, type: SqlType) => ({ name, type });

/** ksqlDB's ProcessingLogMessageSchema, field for field (upper-cased as its stream declares them). */
const MESSAGE_TYPE = T.struct([
  field('TYPE', T.INTEGER),
  field('DESERIALIZATIONERROR', T.struct([field('ERRORMESSAGE', T.STRING), field('RECORDB64', T.STRING), field('CAUSE', CAUSE), field('TOPIC', T.STRING)])),
  field('RECORDPROCESSINGERROR', T.struct([field('ERRORMESSAGE', T.STRING), field('RECORD', T.STRING), field('CAUSE', CAUSE)])),
  field('PRODUCTIONERROR', T.struct([field('ERRORMESSAGE', T.STRING)])),
  field('SERIALIZATIONERROR', T.struct([field('ERRORMESSAGE', T.STRING), field('RECORD', T.STRING), field('CAUSE', CAUSE), field('TOPIC', T.STRING)])),
  field('KAFKASTREAMSTHREADERROR', T.struct([field('ERRORMESSAGE', T.STRING), field('THREADNAME', T.STRING), field('CAUSE', CAUSE)])),
]);

const COLUMNS: readonly Column[] = [
  { name: 'LOGGER', type: T.STRING, namespace: 'VALUE' },
  { name: 'LEVEL', type: T.STRING, namespace: 'VALUE' },
  { name: 'TIME', type: T.BIGINT, namespace: 'VALUE' },
  { name: 'MESSAGE', type: MESSAGE_TYPE, namespace: 'VALUE' },
];

const COLUMNS_SQL =
  'LOGGER STRING, LEVEL STRING, `TIME` BIGINT, MESSAGE STRUCT<`TYPE` INT, ' +
  'DESERIALIZATIONERROR STRUCT<ERRORMESSAGE STRING, RECORDB64 STRING, CAUSE ARRAY<STRING>, `TOPIC` STRING>, ' +
  'RECORDPROCESSINGERROR STRUCT<ERRORMESSAGE STRING, RECORD STRING, CAUSE ARRAY<STRING>>, ' +
  'PRODUCTIONERROR STRUCT<ERRORMESSAGE STRING>, ' +
  'SERIALIZATIONERROR STRUCT<ERRORMESSAGE STRING, RECORD STRING, CAUSE ARRAY<STRING>, `TOPIC` STRING>, ' +
  'KAFKASTREAMSTHREADERROR STRUCT<ERRORMESSAGE STRING, THREADNAME STRING, CAUSE ARRAY<STRING>>>';

const TYPE_IDS: Readonly<Record<ProcessingLogErrorType, number>> = {
  DESERIALIZATION_ERROR: 0,
  RECORD_PROCESSING_ERROR: 1,
  PRODUCTION_ERROR: 2,
  SERIALIZATION_ERROR: 3,
};

/** Where the processing-log stream lives: `ksql.logging.processing.stream.name` / `.topic.name`. */
export interface ProcessingLogNames {
  readonly stream: string;
  readonly topic: string;
}

/** The stream and topic names the server properties give (ksqlDB's defaults otherwise, Sluice's topic). */
export function processingLogNames(properties: Readonly<Record<string, string>> | undefined): ProcessingLogNames {
  return {
    stream: properties?.['ksql.logging.processing.stream.name'] ?? PROCESSING_LOG_STREAM,
    topic: properties?.['ksql.logging.processing.topic.name'] ?? PROCESSING_LOG_TOPIC,
  };
}

/**
 * One entry as ksqlDB's processing-log appender writes it (its JSON field names): `logger`
 * `processing.<query id>`, `level` ERROR, `time`, and `message` with `type` and
 * the one error struct of that type (the others null).
 */
export function processingLogRecord(e: ProcessingLogEntry, loggedAt: number): Record<string, unknown> {
  const type = e.type ?? 'RECORD_PROCESSING_ERROR';
  const where = e.partition !== undefined ? `partition=${e.partition}, offset=${e.offset ?? -1}` : null;
  return {
    level: 'ERROR',
    logger: `processing.${e.queryId}`,
    time: loggedAt,
    message: {
      type: TYPE_IDS[type],
      deserializationError: type === 'DESERIALIZATION_ERROR' ? { errorMessage: e.message, recordB64: null, cause: [], topic: e.topic ?? null } : null,
      recordProcessingError: type === 'RECORD_PROCESSING_ERROR' ? { errorMessage: e.message, record: where, cause: [] } : null,
      productionError: type === 'PRODUCTION_ERROR' ? { errorMessage: e.message } : null,
      serializationError: type === 'SERIALIZATION_ERROR' ? { errorMessage: e.message, record: where, cause: [], topic: e.topic ?? null } : null,
      kafkaStreamsThreadError: null,
    },
  };
}

export class ProcessingLog implements ProcessingLogger {
  /** The latest entries, oldest first. */
  readonly entries: ProcessingLogEntry[] = [];
  /** Entries waiting to be appended to the processing-log stream. */
  private readonly pending: (ProcessingLogEntry & { loggedAt: number })[] = [];
  /** Set by {@link createStream}: where entries are appended. */
  private names: ProcessingLogNames | undefined;

  constructor(private readonly opts: ProcessingLogOptions) {}

  /** Records an entry (an arrow: operators hold it detached from the log). */
  readonly error = (e: ProcessingLogEntry): void => {
    if (this.entries.length >= MAX_ENTRIES) this.entries.shift();
    this.entries.push(e);
    if (this.opts.stream) this.pending.push({ ...e, loggedAt: Date.now() });
    this.opts.forward?.error(e);
  };

  /**
   * Registers the processing-log stream (KSQL_PROCESSING_LOG unless
   * `ksql.logging.processing.stream.name` says otherwise) with ksqlDB's schema;
   * its topic is created when missing.
   */
  async createStream(catalog: Catalog, log: Log, names: ProcessingLogNames = processingLogNames(undefined)): Promise<void> {
    this.names = names;
    if (!(await log.topic(names.topic))) await log.createTopic(names.topic, 1);
    catalog.putSource({
      name: names.stream,
      sourceType: 'STREAM',
      schema: { key: [], value: COLUMNS },
      topic: names.topic,
      keyFormat: { format: 'NONE' },
      valueFormat: { format: 'JSON' },
      isSource: true,
      sqlText: `CREATE SOURCE STREAM ${names.stream} (${COLUMNS_SQL}) WITH (KAFKA_TOPIC='${names.topic}', VALUE_FORMAT='JSON');`,
    });
  }

  /** Appends queued entries to the stream's topic (when the stream exists). */
  async flush(catalog: Catalog, log: Log): Promise<void> {
    const names = this.names;
    if (this.pending.length === 0 || !names || !catalog.getSource(names.stream)) return;
    const entries = this.pending.splice(0);
    await log.append(
      names.topic,
      0,
      entries.map((e) => ({ key: null, value: Buffer.from(JSON.stringify(processingLogRecord(e, e.loggedAt))), timestamp: e.loggedAt, headers: [] })),
    );
  }
}
