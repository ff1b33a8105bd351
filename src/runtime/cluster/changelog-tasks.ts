import type { KafkaLog, TransactionalWriter, TransactionRecord } from '../log/kafka-log.js';
import { ProducerFencedError } from '../log/kafka-log.js';
import type { NewRecord } from '../log/log.js';
import { partitionRuns, type PendingRecord } from '../operators/sink.js';
import { PartitionLostError, type PartitionTasks } from '../query/partition-tasks.js';
import type { LevelStore } from '../state/level-store.js';
import type { Membership } from './membership.js';

/** Key of the checkpoint record that closes each batch in a changelog partition. */
const MARKER_KEY = Buffer.from('\u0000checkpoint');

/** Value of a checkpoint record: the positions (per source) after the batch, and how many state records precede it. */
interface Marker {
  readonly positions: readonly number[];
  readonly count: number;
}

/** Records read per restore call. */
const RESTORE_BATCH = 10_000;

/** What a query's {@link ChangelogTasks} need to know about it. */
export interface ChangelogTasksOptions {
  readonly log: KafkaLog;
  readonly membership: Membership;
  readonly serviceId: string;
  readonly queryId: string;
  /** The query's state stores (LevelStores of the data directory). */
  readonly stores: readonly LevelStore<unknown>[];
  /** A store of the data directory by its full name (`<queryId>/<name>`), for restoring. */
  readonly storeByName: (name: string) => LevelStore<unknown>;
  /** Per source (in the query's order): its topic and the engine's consumer group name for it. */
  readonly sources: readonly { readonly topic: string; readonly group: string }[];
  /** Partitions of the query: partition p of every source is task p. */
  readonly partitions: number;
  /** Whether different servers may process different partitions (else one server runs them all). */
  readonly splittable: boolean;
  /** processing.guarantee=exactly_once_v2: one Kafka transaction per batch. */
  readonly exactlyOnce: boolean;
  /** From the local checkpoint: per partition, the changelog offset the local state includes. */
  readonly changelogEnds?: readonly number[];
  readonly onLog: (message: string) => void;
}

/**
 * The Kafka-mode {@link PartitionTasks} of one persistent query. Its stores are
 * backed by the compacted topic `_sluice_<service>_query_<queryId>-changelog`
 * (one partition per task): every committed batch of partition p appends the
 * state entries it changed (key `<store>\0<key>`, value the encoded state or a
 * tombstone) and then a checkpoint record with the positions after the batch
 * and the number of state records before it. Restoring partition p replays the
 * changelog from where the local state is known to be and applies a batch's
 * state records only when its checkpoint follows them, so a batch cut short by a
 * crash is never restored, and its positions say where processing resumes.
 * Entries are whole values, so replaying a batch twice changes nothing.
 *
 * With `exactly_once_v2`, partition p has the transactional producer
 * `<service>-<queryId>-<p>`: sink records, state entries, checkpoint and group
 * offsets of a batch are one transaction, and starting it on a new owner fences
 * the previous one and aborts its open transaction.
 */
export class ChangelogTasks implements PartitionTasks {
  readonly topic: string;
  private readonly ends: number[];
  private readonly writers = new Map<number, TransactionalWriter>();
  /** Partitions lost to another server: restored from the changelog's beginning if they come back. */
  private readonly lost = new Set<number>();

  private constructor(
    private readonly o: ChangelogTasksOptions,
    topic: string,
  ) {
    this.topic = topic;
    this.ends = Array.from({ length: o.partitions }, (_, p) => o.changelogEnds?.[p] ?? 0);
  }

  /** Creates the query's changelog topic when missing. */
  static async create(o: ChangelogTasksOptions & { readonly topic: string }): Promise<ChangelogTasks> {
    const tasks = new ChangelogTasks(o, o.topic);
    await o.log.createTopic(tasks.topic, o.partitions, { compacted: true });
    return tasks;
  }

  owns(p: number): boolean {
    return this.o.membership.mayProcess(this.o.queryId, p, this.o.splittable);
  }

  owner(p: number): { readonly self: boolean; readonly url: string | undefined } | undefined {
    const m = this.o.membership.ownerOf(this.o.queryId, p, this.o.splittable);
    return m && { self: m.id === this.o.membership.id, url: m.url };
  }

  async acquire(p: number): Promise<readonly number[] | undefined> {
    // Exactly-once: take the partition's transactional id first, which fences a previous owner and
    // aborts its open transaction, so the changelog read below is complete.
    if (this.o.exactlyOnce && !this.writers.has(p)) {
      this.writers.set(p, await this.o.log.transactionalWriter(`${this.o.serviceId}-${this.o.queryId}-${p}`));
    }
    if (this.lost.delete(p)) this.ends[p] = 0;
    const started = Date.now();
    const { positions, applied, end } = await this.restore(p, this.ends[p]!);
    this.ends[p] = end;
    if (applied > 0 || positions) this.o.onLog(`Restored partition ${p} of ${this.o.queryId}: ${applied} state entries from ${this.topic} in ${Date.now() - started} ms`);
    return positions;
  }

  /** Applies the committed batches of changelog partition `p` from `from` on. */
  private async restore(p: number, from: number): Promise<{ positions: readonly number[] | undefined; applied: number; end: number }> {
    const log = this.o.log;
    let positions: readonly number[] | undefined;
    let applied = 0;
    let offset = from;
    let pending: { key: string; value: string | null }[] = [];
    for (;;) {
      const batch = await log.read(this.topic, p, offset, RESTORE_BATCH);
      if (batch.length === 0) break;
      for (const r of batch) {
        if (r.key === null) continue;
        if (r.key.equals(MARKER_KEY)) {
          const m = parseMarker(r.value);
          if (m) {
            // The batch's own state records are the `count` just before its checkpoint; anything
            // earlier since the previous checkpoint is a batch that never committed.
            for (const e of pending.slice(Math.max(0, pending.length - m.count))) {
              const sep = e.key.indexOf('\u0000');
              if (sep <= 0) continue;
              this.o.storeByName(e.key.slice(0, sep)).restoreEncoded(e.key.slice(sep + 1), e.value);
              applied++;
            }
            positions = m.positions;
          }
          pending = [];
          continue;
        }
        pending.push({ key: r.key.toString('utf8'), value: r.value === null ? null : r.value.toString('utf8') });
      }
      offset = batch[batch.length - 1]!.offset + 1;
    }
    return { positions, applied, end: offset };
  }

  async release(p: number): Promise<void> {
    const w = this.writers.get(p);
    this.writers.delete(p);
    await w?.close();
  }

  async commit(p: number, sink: readonly PendingRecord[], positions: readonly number[]): Promise<void> {
    // A server that was paused past the heartbeat window learns here that p moved on.
    await this.o.membership.refresh();
    if (!this.owns(p)) {
      this.lost.add(p);
      throw new PartitionLostError(p, `Partition ${p} of ${this.o.queryId} went to another server before its batch committed`);
    }
    const changes: { key: string; value: string | null }[] = [];
    for (const s of this.o.stores) s.pendingChanges(changes);
    const now = Date.now();
    const changelog: NewRecord[] = new Array(changes.length + 1);
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i]!;
      changelog[i] = { key: Buffer.from(c.key), value: c.value === null ? null : Buffer.from(c.value), timestamp: now };
    }
    const marker: Marker = { positions, count: changes.length };
    changelog[changes.length] = { key: MARKER_KEY, value: Buffer.from(JSON.stringify(marker)), timestamp: now };
    if (this.o.exactlyOnce) {
      const writer = this.writers.get(p);
      if (!writer) throw new PartitionLostError(p, `Partition ${p} of ${this.o.queryId} has no transactional producer`);
      const records: TransactionRecord[] = [...sink];
      for (const record of changelog) records.push({ topic: this.topic, partition: p, record });
      const offsets = this.o.sources.map((s, i) => ({ group: s.group, topic: s.topic, partition: p, offset: positions[i] ?? 0 }));
      try {
        const bases = await writer.commit(records, offsets);
        this.ends[p] = Math.max(this.ends[p]!, bases.get(`${this.topic}\u0000${p}`) ?? 0);
      } catch (e) {
        if (!(e instanceof ProducerFencedError)) throw e;
        this.lost.add(p);
        throw new PartitionLostError(p, e.message);
      }
      return;
    }
    // At least once: sink records, then the changelog batch closed by its checkpoint record.
    for (const run of partitionRuns(sink)) await this.o.log.append(run.topic, run.partition, run.records);
    const first = await this.o.log.append(this.topic, p, changelog);
    this.ends[p] = Math.max(this.ends[p]!, first);
    for (let i = 0; i < this.o.sources.length; i++) {
      const s = this.o.sources[i]!;
      await this.o.log.commit(s.group, s.topic, p, positions[i] ?? 0);
    }
  }

  changelogEnds(): readonly number[] {
    return this.ends;
  }

  async close(): Promise<void> {
    const writers = [...this.writers.values()];
    this.writers.clear();
    await Promise.all(writers.map((w) => w.close()));
  }
}

function parseMarker(value: Buffer | null): Marker | undefined {
  if (value === null) return undefined;
  try {
    const m = JSON.parse(value.toString('utf8')) as Partial<Marker>;
    return Array.isArray(m.positions) && typeof m.count === 'number' ? { positions: m.positions, count: m.count } : undefined;
  } catch {
    return undefined;
  }
}
