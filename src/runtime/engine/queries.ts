import type { EngineEvents } from '../../common/engine-events.js';
import type { ProcessingLogger } from '../../common/processing-log.js';
import type { RunningQuery } from '../query/running-query.js';
import type { QueryRegistry } from '../statements/context.js';
import type { ExecutionBackend } from './backend.js';
import type { Pump } from './pump.js';

/** What {@link PersistentQueries} needs to start and stop queries. */
export interface PersistentQueriesOptions {
  readonly backend: ExecutionBackend;
  readonly pump: Pump;
  readonly logger: ProcessingLogger;
  /** Whether a newly added query is run soon (engines that pump themselves). */
  readonly autoPump: boolean;
  /** Told when a query is added and when it is removed. */
  readonly events: EngineEvents;
}

/** The persistent queries running on an engine, by id, with the counter their ids are made from. */
export class PersistentQueries implements QueryRegistry {
  readonly byId = new Map<string, RunningQuery>();
  /** When each query was added (epoch ms), for how long it ran. */
  private readonly started = new Map<string, number>();
  private counter = 0;

  constructor(private readonly opts: PersistentQueriesOptions) {}

  get(id: string): RunningQuery | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<RunningQuery> {
    return this.byId.values();
  }

  add(q: RunningQuery): void {
    this.byId.set(q.id, q);
    this.started.set(q.id, Date.now());
    this.opts.events.emit({ kind: 'query-started', queryId: q.id, type: 'persistent', text: q.statementText });
    if (this.opts.autoPump) this.opts.pump.schedule();
  }

  remove(id: string): void {
    const q = this.byId.get(id);
    if (!q) return;
    q.state = 'TERMINATED';
    this.byId.delete(id);
    // Scalable push queries reading its output end now: nothing more will come.
    q.taps?.end();
    const durationMs = Date.now() - (this.started.get(id) ?? Date.now());
    this.started.delete(id);
    this.opts.events.emit({ kind: 'query-stopped', queryId: id, type: 'persistent', reason: 'terminated', durationMs });
    const tasks = q.tasks;
    if (!tasks) return;
    // Once the pump is past it: close its producers, then delete its internal topics.
    void (async () => {
      await this.opts.pump.idle();
      await tasks.close();
      await this.opts.backend.dropQuery(id);
    })().catch((e: unknown) => this.opts.logger.error({ queryId: id, message: `Cleaning up after query ${id} failed: ${(e as Error).message}` }));
  }

  /** Milliseconds since query `id` was added (0 when unknown). */
  runningFor(id: string): number {
    const at = this.started.get(id);
    return at === undefined ? 0 : Date.now() - at;
  }

  nextId(prefix: string, sink?: string): string {
    const n = this.counter++;
    return sink ? `${prefix}_${sink.toUpperCase().replace(/[^A-Z0-9_]/g, '')}_${n}` : `${prefix}_${n}`;
  }
}
