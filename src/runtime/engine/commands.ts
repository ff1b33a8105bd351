/**
 * The engine's side of the command log: recording accepted statements with the
 * properties they ran under, replaying recorded ones at start, and (Kafka mode)
 * following the statements other servers of the service record.
 */
import type { ProcessingLogger } from '../../common/processing-log.js';
import { withoutSecrets } from '../../common/secrets.js';
import type { Command, CommandStore } from '../commands/command-log.js';

/** What {@link Commands} records into and runs replayed statements with. */
export interface CommandsOptions {
  /** Durable engines: the store; undefined = commands are only counted. */
  readonly store: CommandStore | undefined;
  /** The session properties: replays run under the recorded ones. */
  readonly properties: Map<string, string>;
  /** ALTER SYSTEM properties: kept when a replayed command's properties are undone. */
  readonly system?: ReadonlyMap<string, string>;
  readonly logger: ProcessingLogger;
  /** Executes a recorded statement; the caller holds the request lock. */
  readonly execute: (sql: string) => Promise<unknown>;
  /** Runs `f` under the request lock. */
  readonly serialized: (f: () => Promise<void>) => Promise<void>;
}

/** How often Kafka mode reads the command topic for other servers' statements. */
const FOLLOW_MS = 500;

export class Commands {
  /** Accepted commands so far (replayed ones included). */
  private count = 0;
  private replaying = false;
  /** Properties the statement being executed adds to its command record (see {@link recordWith}). */
  private extras: Record<string, string> = {};
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: CommandsOptions) {}

  /** The number of commands accepted so far, less one (ksqlDB's commandSequenceNumber). */
  get sequenceNumber(): number {
    return this.count - 1;
  }

  /** Whether the statement being executed is a recorded one replayed (at start, or another server's in Kafka mode). */
  get isReplaying(): boolean {
    return this.replaying;
  }

  /** A statement starts executing: nothing recorded with it yet. */
  begin(): void {
    this.extras = {};
  }

  /** Adds a property to the command record of the statement being executed, which its replays see. */
  recordWith(name: string, value: string): void {
    if (!this.replaying) this.extras[name] = value;
  }

  /** A logged statement was accepted: records it (not while replaying) and counts it. */
  async accepted(sql: string): Promise<void> {
    // Secrets (ssl.*.password, sasl.jaas.config, …) stay out of the command log: no
    // statement's plan depends on them, and replay takes them from the server's config.
    if (this.opts.store && !this.replaying) await this.opts.store.append(sql, withoutSecrets({ ...Object.fromEntries(this.opts.properties), ...this.extras }));
    this.count++;
  }

  /** Runs recorded commands. The caller holds the request lock, or nothing else runs yet (start-up). */
  async replay(commands: readonly Command[]): Promise<void> {
    const properties = this.opts.properties;
    this.replaying = true;
    try {
      for (const cmd of commands) {
        const saved = new Map(properties);
        for (const [k, v] of Object.entries(cmd.properties)) properties.set(k, v);
        try {
          await this.opts.execute(cmd.sql);
        } catch (e) {
          this.opts.logger.error({ queryId: 'command-log', message: `Replaying command ${cmd.seq} failed: ${(e as Error).message}` });
        }
        properties.clear();
        for (const [k, v] of saved) properties.set(k, v);
        for (const [k, v] of this.opts.system ?? []) properties.set(k, v);
      }
    } finally {
      this.replaying = false;
    }
  }

  /**
   * Kafka mode (a store that polls): runs the statements other servers of the
   * service record in the command topic while this one runs (checked every
   * 500 ms), so every server has the same streams, tables and queries.
   */
  follow(): void {
    const poll = this.opts.store?.poll?.bind(this.opts.store);
    if (!poll) return;
    const next = (): void => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void tick(), FOLLOW_MS);
      this.timer.unref();
    };
    const tick = async (): Promise<void> => {
      // Serialized with requests: this server's own appends are then never mistaken for another's.
      await this.opts
        .serialized(async () => {
          if (this.stopped) return;
          const commands = await poll();
          if (commands.length > 0) await this.replay(commands);
        })
        .catch((e: unknown) => this.opts.logger.error({ queryId: 'command-log', message: `Reading the command topic failed: ${(e as Error).message}` }));
      next();
    };
    next();
  }

  /** Stops following the command topic. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
