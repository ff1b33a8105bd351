import { randomUUID } from 'node:crypto';
import { murmur2, toPositive } from '../log/murmur2.js';
import type { Log } from '../log/log.js';

/** Lag of one partition a server processes: its read position and the partition's end. */
export interface PartitionLag {
  readonly position: number;
  readonly end: number;
}

/** What a server reports about itself in every heartbeat. */
export interface MemberReport {
  /** Partitions processed now, per persistent query id. */
  readonly active: Readonly<Record<string, readonly number[]>>;
  /** Source lag per query and partition (refreshed every few heartbeats). */
  readonly lags: Readonly<Record<string, Readonly<Record<string, PartitionLag>>>>;
}

/** One server of the service as last heard. */
export interface Member extends MemberReport {
  readonly id: string;
  /** The server's REST endpoint (pull queries are forwarded there); undefined until it listens. */
  readonly url: string | undefined;
  readonly startedAt: number;
  /** When its last heartbeat was sent (its clock, epoch ms). */
  readonly lastSeen: number;
  /** It announced a clean shutdown. */
  readonly leaving: boolean;
}

/** Heartbeat timing (ksqlDB: `ksql.heartbeat.send.interval.ms`, `ksql.heartbeat.window.ms`). */
export interface MembershipOptions {
  readonly heartbeatMs?: number;
  /** A server not heard from for this long is dead: its partitions move to the others. */
  readonly timeoutMs?: number;
}

/** Heartbeat records kept in the topic (it is read from this many records before its end at start). */
const CATCH_UP_RECORDS = 1_000;

/**
 * The servers of one service and who processes what. Every server appends a
 * heartbeat to the single-partition topic `_sluice_<service>_heartbeats` every
 * `heartbeatMs` and reads everyone's; a server is alive while its last heartbeat
 * is younger than `timeoutMs` and it has not announced leaving. "Younger" is
 * measured against the newest heartbeat read from the topic (this server's own
 * included), not the wall clock: while the cluster is unreachable nobody's
 * heartbeats arrive, the clock stops, and no server declares the others dead and
 * takes their partitions.
 *
 * Assignment is a pure function of the live members (sorted ids), so every server
 * computes the same one: partition `p` of a splittable query belongs to member
 * `(p + hash(queryId)) mod n`; every partition of an unsplittable query to member
 * `hash(queryId) mod n`. Hand-over: a server processes a partition only when it is
 * assigned AND no other live server still reports it active, so a partition is
 * never processed by two live servers at once (a dead server's reports are ignored).
 */
export class Membership {
  readonly id: string;
  private url: string | undefined;
  private readonly startedAt = Date.now();
  private readonly members = new Map<string, Member>();
  private readonly listeners = new Set<() => void>();
  private readonly heartbeatMs: number;
  private readonly timeoutMs: number;
  private offset = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private closed = false;
  /**
   * When the last complete heartbeat round (send, then read up to the heartbeat sent) started,
   * wall clock: everything the others wrote before then is known.
   */
  private lastRound = 0;
  /** Send time of the newest heartbeat read from the topic (any member's): liveness is judged against it. */
  private clock = 0;
  /** Live member ids (sorted) at the last computation; a change notifies the listeners. */
  private live: readonly string[] = [];
  private lastActive = '';

  private constructor(
    private readonly log: Log,
    readonly topic: string,
    private readonly report: () => MemberReport,
    options: MembershipOptions,
  ) {
    this.id = randomUUID().slice(0, 12);
    this.heartbeatMs = options.heartbeatMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 3_000;
  }

  /** The heartbeat topic of a service. */
  static topicFor(serviceId: string): string {
    return `_sluice_${serviceId}_heartbeats`;
  }

  /**
   * Joins the service: reads the recent heartbeats (so the members alive now are
   * known before any partition is claimed), sends a first heartbeat, and keeps
   * sending and reading every `heartbeatMs`.
   */
  static async join(log: Log, serviceId: string, report: () => MemberReport, options: MembershipOptions = {}): Promise<Membership> {
    const topic = Membership.topicFor(serviceId);
    await log.createTopic(topic, 1, { retentionMs: 3_600_000 });
    const m = new Membership(log, topic, report, options);
    m.offset = Math.max(0, (await log.endOffset(topic, 0)) - CATCH_UP_RECORDS);
    await m.readHeartbeats();
    await m.tick();
    m.schedule();
    return m;
  }

  /** Sets the REST endpoint other servers forward pull queries to. */
  advertise(url: string): void {
    this.url = url;
  }

  /** Called when the live members or what they report active change. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Live members, self included, sorted by id. */
  liveMembers(): Member[] {
    const now = this.clock;
    const out: Member[] = [];
    for (const m of this.members.values()) if (m.id === this.id || (!m.leaving && now - m.lastSeen <= this.timeoutMs)) out.push(m);
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Every member heard of (dead ones too, until they age out of the topic), for /clusterStatus. */
  allMembers(): { member: Member; alive: boolean }[] {
    const live = new Set(this.liveMembers().map((m) => m.id));
    return [...this.members.values()].map((member) => ({ member, alive: live.has(member.id) }));
  }

  /** The member assigned partition `p` of a query. */
  ownerOf(queryId: string, p: number, splittable: boolean): Member | undefined {
    const live = this.liveMembers();
    if (live.length === 0) return undefined;
    const h = toPositive(murmur2(Buffer.from(queryId)));
    return live[((splittable ? p : 0) + h) % live.length];
  }

  /** Whether this server may process partition `p` of a query now (assigned here, and released by everyone else). */
  mayProcess(queryId: string, p: number, splittable: boolean): boolean {
    if (this.closed || this.ownerOf(queryId, p, splittable)?.id !== this.id) return false;
    for (const m of this.liveMembers()) if (m.id !== this.id && m.active[queryId]?.includes(p)) return false;
    return true;
  }

  /**
   * Makes sure what this server knows of the others is recent: when its last
   * complete heartbeat round started more than two intervals ago (the process was
   * paused, or the event loop busy), runs one now, after any round in progress (it
   * may have started before the pause). Called before a batch commits, so a server
   * waking from a long pause learns it lost partitions before writing to them (as
   * a Kafka Streams member learns from its failed commit that it left the group).
   */
  async refresh(): Promise<void> {
    const since = Date.now() - 2 * this.heartbeatMs;
    if (this.lastRound >= since) return;
    await this.ticking;
    if (this.lastRound >= since) return;
    await this.round();
  }

  /** Announces a clean shutdown (the others take over at once) and stops. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await this.send(true).catch(() => undefined);
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.round().finally(() => this.schedule()), this.heartbeatMs);
    this.timer.unref();
  }

  /** The heartbeat round in progress, or a new one: one at a time. */
  private round(): Promise<void> {
    this.ticking ??= this.tick().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async tick(): Promise<void> {
    try {
      const started = Date.now();
      const own = await this.send(false);
      // Up to this server's own heartbeat: a read that stops at the end as last heard (a reader
      // that slept through a pause) would miss what the others wrote meanwhile.
      if (await this.readHeartbeats(own + 1)) this.lastRound = started;
    } catch {
      // the cluster is away: the log reports it; heartbeats resume when it is back
    }
    this.checkChanges();
  }

  /** Appends this server's heartbeat; resolves with its offset. */
  private async send(leaving: boolean): Promise<number> {
    const at = Date.now();
    const me: Member = { id: this.id, url: this.url, startedAt: this.startedAt, lastSeen: at, leaving, ...this.report() };
    this.members.set(this.id, me);
    return this.log.append(this.topic, 0, [{ key: Buffer.from(this.id), value: Buffer.from(JSON.stringify(me)), timestamp: at }]);
  }

  /** Reads the heartbeats that arrived; whether it got at least up to offset `until`. */
  private async readHeartbeats(until = 0): Promise<boolean> {
    for (;;) {
      const batch = await this.log.read(this.topic, 0, this.offset, 5_000);
      if (batch.length === 0) return this.offset >= until;
      for (const r of batch) {
        if (r.value === null) continue;
        try {
          const m = JSON.parse(r.value.toString('utf8')) as Member;
          if (typeof m.id !== 'string') continue;
          if (typeof m.lastSeen === 'number' && m.lastSeen > this.clock) this.clock = m.lastSeen;
          if (m.id === this.id) continue;
          const prev = this.members.get(m.id);
          if (!prev || prev.lastSeen <= m.lastSeen) this.members.set(m.id, { ...m, active: m.active ?? {}, lags: m.lags ?? {} });
        } catch {
          // not a heartbeat: ignored
        }
      }
      this.offset = batch[batch.length - 1]!.offset + 1;
    }
  }

  /** Notifies the listeners when the live set or the other members' active partitions changed. */
  private checkChanges(): void {
    const live = this.liveMembers();
    const ids = live.map((m) => m.id);
    const active = JSON.stringify(live.filter((m) => m.id !== this.id).map((m) => m.active));
    if (ids.join(',') === this.live.join(',') && active === this.lastActive) return;
    this.live = ids;
    this.lastActive = active;
    for (const l of this.listeners) l();
  }
}
