import { ExecutionError } from '../../common/errors.js';
import type { KafkaLog } from '../log/kafka-log.js';
import { ProducerFencedError, type TransactionalWriter } from '../log/kafka-transactions.js';
import { partitionRuns, type LogRecord, type NewRecord } from '../log/log.js';
import type { PendingRecord } from '../operators/sink.js';
import { PartitionLostError, type PartitionTasks } from '../query/partition-tasks.js';
import type { LevelStore } from '../state/level-store.js';
import type { Membership } from './membership.js';

/** Key of the checkpoint record that closes each batch in a changelog partition. */
const MARKER_KEY = Buffer.from('\u0000checkpoint');

/**
 * Header of every state record: its writer's ownership epoch (decimal). Two writers can
 * interleave in a partition (a server paused past the heartbeat window writing after the
 * new owner claimed it), so a checkpoint takes its batch's records by epoch, not by position.
 */
const EPOCH_HEADER = 'sluice.epoch';

/** The epoch of state records written without {@link EPOCH_HEADER} (older versions): they belong to the next checkpoint. */
const UNTAGGED = -1;

/** Value of a checkpoint record: the positions (per source) after the batch, and how many state records precede it. */
interface Marker {
  /** Null in the claim a new owner writes: the positions stay those of the batch before it. */
  readonly positions: readonly number[] | null;
  readonly count: number;
  /** The writer's ownership epoch of the partition (absent = 0). */
  readonly epoch?: number;
}

/** Records read per restore call. */
const RESTORE_BATCH = 10_000;

/** How long a restore waits for changelog records the cluster says exist. */
const RESTORE_TIMEOUT_MS = 120_000;

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
 * Taking a partition over writes a claim (a checkpoint with a new, higher
 * ownership epoch and no state) before processing; checkpoints and state records
 * carry their writer's epoch, and a restore skips batches whose epoch is below one
 * it has seen. A server paused past the heartbeat window that still writes a batch
 * after another claimed the partition (it froze between its ownership check and
 * the write) is thereby ignored, even where its records land between the new
 * owner's state records and their checkpoint (its sink records may repeat: at
 * least once). A partition that comes back is restored from the start.
 *
 * With `exactly_once_v2`, partition p has the transactional producer
 * `<service>-<queryId>-<p>`: sink records, state entries, checkpoint and group
 * offsets of a batch are one transaction, and starting it on a new owner fences
 * the previous one and aborts its open transaction.
 */
export class ChangelogTasks implements PartitionTasks {
  readonly topic: string;
  private readonly ends: number[];
  /** This server's ownership epoch of each partition it holds: when it took it (and above any epoch in the changelog then). */
  private readonly epochs: number[] = [];
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
    // A partition that was elsewhere meanwhile is restored from the changelog's start: what this
    // server holds of it may include a batch it wrote after losing it (see the epochs below).
    if (this.lost.delete(p)) this.ends[p] = 0;
    const started = Date.now();
    const { positions, applied, end, epoch } = await this.restore(p, this.ends[p]!);
    this.ends[p] = end;
    // Claim the partition: batches of earlier owners written after this are ignored by restores. The
    // epoch is the time of the claim (above every epoch read), so it also tops claims the restore did not read.
    this.epochs[p] = Math.max(Date.now(), epoch + 1);
    const claim: Marker = { positions: null, count: 0, epoch: this.epochs[p] };
    const record = { key: MARKER_KEY, value: Buffer.from(JSON.stringify(claim)), timestamp: Date.now() };
    const writer = this.writers.get(p);
    if (writer) await writer.commit([{ topic: this.topic, partition: p, record }], []);
    else await this.o.log.append(this.topic, p, [record]);
    if (applied > 0 || positions)
      this.o.onLog(`Restored partition ${p} of ${this.o.queryId}: ${applied} state entries from ${this.topic} in ${Date.now() - started} ms`);
    return positions;
  }

  /**
   * Applies the committed batches of changelog partition `p` from `from` up to
   * its end as the cluster reports it now (a reader that fetched the partition
   * before may not have seen the latest batches yet: an empty read is not the
   * end). A batch is applied only when its checkpoint follows it and carries the
   * highest ownership epoch seen so far: a server that wrote after another had
   * claimed the partition (it was paused past the heartbeat window) is ignored.
   * A checkpoint's state records are the last `count` of its epoch since that
   * epoch's previous checkpoint: another writer's records in between are not its.
   */
  private async restore(p: number, from: number): Promise<{ positions: readonly number[] | undefined; applied: number; end: number; epoch: number }> {
    const log = this.o.log;
    const end = await log.endOffset(this.topic, p);
    const deadline = Date.now() + RESTORE_TIMEOUT_MS;
    let positions: readonly number[] | undefined;
    let applied = 0;
    // From the start, every claim is read again; from a later offset, this server's own claim is the floor.
    let epoch = from === 0 ? 0 : (this.epochs[p] ?? 0);
    let offset = from;
    // Per writer epoch, its state records since its last checkpoint.
    const pending = new Map<number, { key: string; value: string | null }[]>();
    while (offset < end) {
      const batch = await log.read(this.topic, p, offset, RESTORE_BATCH);
      if (batch.length === 0) {
        // Nothing more below the end but transaction markers or aborted records: done. Else wait for them.
        const fetched = log.fetchedUpTo?.(this.topic, p) ?? end;
        if (fetched >= end) break;
        if (fetched > offset) offset = fetched;
        else if (Date.now() > deadline)
          throw new ExecutionError(`Restoring ${this.o.queryId} partition ${p}: ${this.topic} stopped at offset ${offset} of ${end}`);
        else await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      for (const r of batch) {
        if (r.key === null) continue;
        if (r.key.equals(MARKER_KEY)) {
          const m = parseMarker(r.value);
          if (!m) continue;
          const mine = takeBatch(pending, m.epoch ?? 0);
          if ((m.epoch ?? 0) < epoch) continue;
          epoch = m.epoch ?? 0;
          // The batch's own state records are the `count` last of its epoch; anything earlier
          // since that epoch's previous checkpoint is a batch that never committed.
          for (const e of mine.slice(Math.max(0, mine.length - m.count))) {
            const sep = e.key.indexOf('\u0000');
            if (sep <= 0) continue;
            this.o.storeByName(e.key.slice(0, sep)).restoreEncoded(e.key.slice(sep + 1), e.value);
            applied++;
          }
          if (m.positions) positions = m.positions;
          // Records of earlier owners still waiting for their checkpoint never count now.
          for (const e of pending.keys()) if (e !== UNTAGGED && e < epoch) pending.delete(e);
          continue;
        }
        const tag = epochOf(r.headers);
        if (tag !== UNTAGGED && tag < epoch) continue; // a writer that lost the partition before this point
        let list = pending.get(tag);
        if (!list) pending.set(tag, (list = []));
        list.push({ key: r.key.toString('utf8'), value: r.value === null ? null : r.value.toString('utf8') });
      }
      offset = batch[batch.length - 1]!.offset + 1;
    }
    return { positions, applied, end: offset, epoch };
  }

  async release(p: number): Promise<void> {
    this.lost.add(p);
    const w = this.writers.get(p);
    this.writers.delete(p);
    await w?.close();
  }

  async commit(p: number, sink: readonly PendingRecord[], positions: readonly number[]): Promise<void> {
    // A server that was paused past the heartbeat window learns here that p moved on.
    await this.o.membership.refresh();
    if (!this.owns(p)) {
      this.lost.add(p);
      const message = `Partition ${p} of ${this.o.queryId} went to another server before its batch committed`;
      this.o.onLog(`${message}: batch dropped, state of the partition to be restored from ${this.topic} if it comes back`);
      throw new PartitionLostError(p, message);
    }
    const changes: { key: string; value: string | null }[] = [];
    for (const s of this.o.stores) s.pendingChanges(changes);
    const now = Date.now();
    const epoch = this.epochs[p] ?? 0;
    const headers = [{ key: EPOCH_HEADER, value: Buffer.from(String(epoch)) }];
    const changelog: NewRecord[] = new Array(changes.length + 1);
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i]!;
      changelog[i] = { key: Buffer.from(c.key), value: c.value === null ? null : Buffer.from(c.value), timestamp: now, headers };
    }
    const marker: Marker = { positions, count: changes.length, epoch };
    changelog[changes.length] = { key: MARKER_KEY, value: Buffer.from(JSON.stringify(marker)), timestamp: now };
    if (this.o.exactlyOnce) {
      const writer = this.writers.get(p);
      if (!writer) throw new PartitionLostError(p, `Partition ${p} of ${this.o.queryId} has no transactional producer`);
      const records: PendingRecord[] = [...sink];
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
    // At least once: sink records and the batch's state entries (sharing produce requests), then,
    // once all of them are written, the checkpoint record that closes the batch.
    const written: PendingRecord[] = [...sink];
    for (let i = 0; i < changes.length; i++) written.push({ topic: this.topic, partition: p, record: changelog[i]! });
    const firsts = await appendAll(this.o.log, written);
    const checkpoint = await this.o.log.append(this.topic, p, [changelog[changes.length]!]);
    this.ends[p] = Math.max(this.ends[p]!, firsts.get(`${this.topic}\u0000${p}`) ?? checkpoint);
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

/**
 * Appends records of several topic partitions, each partition's in order: through
 * {@link KafkaLog.appendAll} (shared produce requests), or one append per run on a
 * log without it (an embedded log standing in for Kafka). The first offset per
 * `topic\u0000partition`.
 */
async function appendAll(log: KafkaLog, records: readonly PendingRecord[]): Promise<Map<string, number>> {
  if (typeof (log as Partial<KafkaLog>).appendAll === 'function') return log.appendAll(records);
  const firsts = new Map<string, number>();
  for (const run of partitionRuns(records)) {
    const first = await log.append(run.topic, run.partition, run.records);
    const k = `${run.topic}\u0000${run.partition}`;
    if (!firsts.has(k)) firsts.set(k, first);
  }
  return firsts;
}

/** Removes and returns the state records of the batch a checkpoint of `epoch` closes: its epoch's, and any untagged. */
function takeBatch(pending: Map<number, { key: string; value: string | null }[]>, epoch: number): { key: string; value: string | null }[] {
  const own = pending.get(epoch) ?? [];
  const untagged = pending.get(UNTAGGED);
  pending.delete(epoch);
  pending.delete(UNTAGGED);
  return untagged ? [...untagged, ...own] : own;
}

/** The writer's epoch a state record carries in {@link EPOCH_HEADER}, or {@link UNTAGGED}. */
function epochOf(headers: LogRecord['headers']): number {
  if (!headers) return UNTAGGED;
  for (const h of headers) {
    if (h.key !== EPOCH_HEADER || h.value === null) continue;
    const n = Number(h.value.toString('latin1'));
    return Number.isSafeInteger(n) && n >= 0 ? n : UNTAGGED;
  }
  return UNTAGGED;
}

function parseMarker(value: Buffer | null): Marker | undefined {
  if (value === null) return undefined;
  try {
    const m = JSON.parse(value.toString('utf8')) as Partial<Marker>;
    if (typeof m.count !== 'number' || (m.positions !== null && !Array.isArray(m.positions))) return undefined;
    return { positions: m.positions ?? null, count: m.count, epoch: typeof m.epoch === 'number' ? m.epoch : 0 };
  } catch {
    return undefined;
  }
}
