import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';

/** One accepted statement, with the session properties it ran under. */
export interface Command {
  readonly seq: number;
  readonly sql: string;
  readonly properties: Readonly<Record<string, string>>;
}

/**
 * Where a durable engine records accepted statements and finds them again at
 * start: the data directory's {@link CommandLog}, or the command topic in Kafka
 * mode (kafka-command-log.ts).
 */
export interface CommandStore {
  /** Every command recorded so far, oldest first (those before this start included). */
  readonly commands: readonly Command[];
  /** Records a command durably before resolving. */
  append(sql: string, properties: Readonly<Record<string, string>>): Command | Promise<Command>;
  /**
   * Commands other servers of the service recorded since the last call (Kafka
   * mode, where several servers share one command topic). Must not run
   * concurrently with {@link append}.
   */
  poll?(): Promise<readonly Command[]>;
  close(): void | Promise<void>;
}

/**
 * The data directory's command log (`commands.jsonl`): every accepted DDL and
 * persistent-query statement, appended and fsynced before it is acknowledged.
 * On start the engine replays it to rebuild streams, tables, types and queries.
 * A torn last line (crash mid-append) is dropped on open.
 */
export class CommandLog implements CommandStore {
  private fd: number;
  private constructor(
    path: string,
    readonly commands: Command[],
  ) {
    this.fd = openSync(path, 'a');
  }

  static open(path: string): CommandLog {
    const commands: Command[] = [];
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      let valid = 0;
      for (const line of text.split('\n')) {
        if (line.trim() === '') {
          valid += line.length + 1;
          continue;
        }
        try {
          commands.push(JSON.parse(line) as Command);
          valid += line.length + 1;
        } catch {
          break; // a torn tail: everything after it is dropped
        }
      }
      if (Buffer.byteLength(text.slice(0, Math.min(valid, text.length))) < Buffer.byteLength(text)) {
        truncateSync(path, Buffer.byteLength(text.slice(0, valid)));
      }
    }
    return new CommandLog(path, commands);
  }

  /** The sequence number the next command gets (= commands so far). */
  get nextSeq(): number {
    return this.commands.length;
  }

  append(sql: string, properties: Readonly<Record<string, string>>): Command {
    const cmd: Command = { seq: this.nextSeq, sql, properties };
    writeSync(this.fd, `${JSON.stringify(cmd)}\n`);
    fsyncSync(this.fd);
    this.commands.push(cmd);
    return cmd;
  }

  close(): void {
    closeSync(this.fd);
  }
}
