import { ExecutionError } from '../../common/errors.js';
import type { Command, CommandStore } from './command-log.js';
import type { Log } from '../log/log.js';

/** How long opening waits for the command topic's records to arrive. */
const REPLAY_TIMEOUT_MS = 60_000;

/**
 * The command log of Kafka mode: every accepted statement is a record of the
 * single-partition topic `_sluice_<service>_command_topic` (ksqlDB's command topic),
 * so every server of the service replays the same statements at start.
 */
export class KafkaCommandLog implements CommandStore {
  /** Offsets of the commands this server appended and {@link poll} has not passed yet. */
  private readonly own = new Set<number>();

  private constructor(
    private readonly log: Log,
    readonly topic: string,
    readonly commands: Command[],
    /** The next command-topic offset {@link poll} reads. */
    private next: number,
  ) {}

  /** The command topic's name for a service id. */
  static topicFor(serviceId: string): string {
    return `_sluice_${serviceId}_command_topic`;
  }

  /** Creates the topic if needed and reads every command in it. */
  static async open(log: Log, serviceId: string): Promise<KafkaCommandLog> {
    const topic = KafkaCommandLog.topicFor(serviceId);
    await log.createTopic(topic, 1);
    const end = await log.endOffset(topic, 0);
    const commands: Command[] = [];
    const deadline = Date.now() + REPLAY_TIMEOUT_MS;
    for (let offset = 0; offset < end; ) {
      const batch = await log.read(topic, 0, offset, 10_000);
      if (batch.length === 0) {
        if (Date.now() > deadline) throw new ExecutionError(`Timed out reading the command topic ${topic} at offset ${offset} of ${end}`);
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      for (const r of batch) {
        const c = parseCommand(r.value);
        if (c !== undefined) commands.push({ seq: commands.length, sql: c.sql, properties: c.properties });
      }
      offset = batch[batch.length - 1]!.offset + 1;
    }
    return new KafkaCommandLog(log, topic, commands, end);
  }

  async append(sql: string, properties: Readonly<Record<string, string>>): Promise<Command> {
    const cmd: Command = { seq: this.commands.length, sql, properties };
    const offset = await this.log.append(this.topic, 0, [{ key: null, value: Buffer.from(JSON.stringify(cmd)), timestamp: Date.now() }]);
    this.own.add(offset);
    this.commands.push(cmd);
    return cmd;
  }

  async poll(): Promise<readonly Command[]> {
    const out: Command[] = [];
    for (;;) {
      const batch = await this.log.read(this.topic, 0, this.next, 1_000);
      if (batch.length === 0) return out;
      for (const r of batch) {
        if (this.own.delete(r.offset)) continue;
        const c = parseCommand(r.value);
        if (c === undefined) continue;
        const cmd: Command = { seq: this.commands.length, sql: c.sql, properties: c.properties };
        this.commands.push(cmd);
        out.push(cmd);
      }
      this.next = batch[batch.length - 1]!.offset + 1;
    }
  }

  close(): void {}
}

/** A command record's statement and properties; undefined for anything else (skipped, as ksqlDB skips records it cannot deserialize). */
function parseCommand(value: Buffer | null): { sql: string; properties: Readonly<Record<string, string>> } | undefined {
  if (value === null) return undefined;
  try {
    const c = JSON.parse(value.toString('utf8')) as Partial<Command>;
    return typeof c.sql === 'string' ? { sql: c.sql, properties: c.properties ?? {} } : undefined;
  } catch {
    return undefined;
  }
}
