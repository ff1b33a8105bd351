/**
 * The processing log: records queries skipped and values they could not
 * compute, kept in memory (the latest 10,000) and, on servers, appended to the
 * KSQL_PROCESSING_LOG stream.
 */
import type { ProcessingLogEntry, ProcessingLogger } from '../../common/processing-log.js';
import { T } from '../../common/types.js';
import type { Catalog } from '../../planner/catalog.js';
import type { Log } from '../log/log.js';

/** Topic and stream holding the processing log when it is a stream. */
export const PROCESSING_LOG_TOPIC = 'sluice_processing_log';
export const PROCESSING_LOG_STREAM = 'KSQL_PROCESSING_LOG';

/** Entries kept in memory; older ones are dropped. */
const MAX_ENTRIES = 10_000;

/** What a {@link ProcessingLog} is built with. */
export interface ProcessingLogOptions {
  /** Also queue entries for the KSQL_PROCESSING_LOG stream (servers). */
  readonly stream: boolean;
  /** Where entries also go (e.g. stderr). */
  readonly forward?: ProcessingLogger;
}

export class ProcessingLog implements ProcessingLogger {
  /** The latest entries, oldest first. */
  readonly entries: ProcessingLogEntry[] = [];
  /** Entries waiting to be appended to the processing-log stream. */
  private readonly pending: (ProcessingLogEntry & { loggedAt: number })[] = [];

  constructor(private readonly opts: ProcessingLogOptions) {}

  /** Records an entry (an arrow: operators hold it detached from the log). */
  readonly error = (e: ProcessingLogEntry): void => {
    if (this.entries.length >= MAX_ENTRIES) this.entries.shift();
    this.entries.push(e);
    if (this.opts.stream) this.pending.push({ ...e, loggedAt: Date.now() });
    this.opts.forward?.error(e);
  };

  /**
   * Registers KSQL_PROCESSING_LOG, the stream of records queries skipped and
   * values they could not compute (its topic is created when missing).
   */
  async createStream(catalog: Catalog, log: Log): Promise<void> {
    if (!(await log.topic(PROCESSING_LOG_TOPIC))) await log.createTopic(PROCESSING_LOG_TOPIC, 1);
    catalog.putSource({
      name: PROCESSING_LOG_STREAM,
      sourceType: 'STREAM',
      schema: {
        key: [],
        value: [
          { name: 'QUERY_ID', type: T.STRING, namespace: 'VALUE' },
          { name: 'MESSAGE', type: T.STRING, namespace: 'VALUE' },
          { name: 'TOPIC', type: T.STRING, namespace: 'VALUE' },
          { name: 'PARTITION', type: T.INTEGER, namespace: 'VALUE' },
          { name: 'OFFSET', type: T.BIGINT, namespace: 'VALUE' },
          { name: 'LOGGED_AT', type: T.BIGINT, namespace: 'VALUE' },
        ],
      },
      topic: PROCESSING_LOG_TOPIC,
      keyFormat: { format: 'NONE' },
      valueFormat: { format: 'JSON' },
      isSource: true,
      sqlText: `CREATE SOURCE STREAM ${PROCESSING_LOG_STREAM} (QUERY_ID STRING, MESSAGE STRING, TOPIC STRING, PARTITION INT, OFFSET BIGINT, LOGGED_AT BIGINT) WITH (KAFKA_TOPIC='${PROCESSING_LOG_TOPIC}', VALUE_FORMAT='JSON');`,
    });
  }

  /** Appends queued entries to the stream's topic (when the stream exists). */
  async flush(catalog: Catalog, log: Log): Promise<void> {
    if (this.pending.length === 0 || !catalog.getSource(PROCESSING_LOG_STREAM)) return;
    const entries = this.pending.splice(0);
    await log.append(
      PROCESSING_LOG_TOPIC,
      0,
      entries.map((e) => ({
        key: null,
        value: Buffer.from(
          JSON.stringify({
            QUERY_ID: e.queryId,
            MESSAGE: e.message,
            TOPIC: e.topic ?? null,
            PARTITION: e.partition ?? null,
            OFFSET: e.offset ?? null,
            LOGGED_AT: e.loggedAt,
          }),
        ),
        timestamp: e.loggedAt,
      })),
    );
  }
}
