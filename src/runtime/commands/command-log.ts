import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DamagedDataError } from '../../common/errors.js';
import { warn as warnToStderr } from '../../common/warn.js';
import { damagedSuffix } from '../log/file-log.js';

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

/** What {@link CommandLog.open} does with damage: refuse (start-up) or repair (`sluice repair`). */
export interface CommandLogOpenOptions {
  /** Move bad lines in the middle aside instead of refusing to open. */
  readonly repair?: boolean;
  /** Where warnings go (a torn last line dropped); default stderr. */
  readonly warn?: (message: string) => void;
  /** The command that repairs the data directory, named in errors. */
  readonly repairCommand?: string;
}

/**
 * The data directory's command log (`commands.jsonl`): every accepted DDL and
 * persistent-query statement, appended and fsynced before it is acknowledged.
 * On start the engine replays it to rebuild streams, tables, types and queries.
 * A torn last line (crash mid-append) is dropped on open with a warning. A bad
 * line with good lines after it is damage, not a crash: opening throws a
 * {@link DamagedDataError} naming the file and line, and with `repair` the bad
 * lines move to `commands.jsonl.damaged-<time>` and every later line is kept.
 */
export class CommandLog implements CommandStore {
  private fd: number;
  /** What opening with `repair` changed, one line each. */
  readonly repairs: string[] = [];
  private constructor(
    path: string,
    readonly commands: Command[],
  ) {
    this.fd = openSync(path, 'a');
  }

  static open(path: string, options: CommandLogOpenOptions = {}): CommandLog {
    const warn = options.warn ?? warnToStderr;
    const commands: Command[] = [];
    const repairs: string[] = [];
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      const lines = text.split('\n');
      /** Index of each line kept as a command, and the bad ones with their reasons. */
      const bad: { index: number; reason: string }[] = [];
      let lastGood = -1;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line.trim() === '') continue;
        const cmd = parseCommand(line);
        if (typeof cmd === 'string') bad.push({ index: i, reason: cmd });
        else {
          commands.push(cmd);
          lastGood = i;
        }
      }
      const middle = bad.filter((b) => b.index < lastGood);
      const torn = bad.filter((b) => b.index > lastGood);
      if (middle.length > 0 && !options.repair) {
        const first = middle[0]!;
        throw new DamagedDataError(
          `Command log ${path} is damaged at line ${first.index + 1} (${first.reason})${middle.length > 1 ? ` and ${middle.length - 1} more lines` : ''}, ` +
            `with statements after it: start-up stops rather than drop them. Run '${options.repairCommand ?? `sluice repair --data-dir ${dirname(path)}`}' to move the bad lines aside and keep the rest.`,
          path,
        );
      }
      if (middle.length > 0 || torn.length > 0) {
        const drop = new Set([...middle, ...torn].map((b) => b.index));
        const aside = path + damagedSuffix();
        writeFileSync(aside, [...drop].map((i) => `${lines[i]}\n`).join(''));
        const kept = lines
          .filter((l, i) => !drop.has(i) && l.trim() !== '')
          .map((l) => `${l}\n`)
          .join('');
        writeFileSync(`${path}.tmp`, kept);
        renameSync(`${path}.tmp`, path);
        for (const b of middle) repairs.push(`${path} line ${b.index + 1} (${b.reason}): moved to ${aside}, later statements kept`);
        for (const b of torn) {
          const what = `${path} line ${b.index + 1} is a torn last statement (${b.reason}, left by a crash during an append): dropped, kept in ${aside}`;
          if (options.repair) repairs.push(what);
          else warn(what);
        }
      }
    }
    const log = new CommandLog(path, commands);
    log.repairs.push(...repairs);
    return log;
  }

  /** The sequence number the next command gets (one past the last; lines moved aside leave gaps). */
  get nextSeq(): number {
    const last = this.commands[this.commands.length - 1];
    return last === undefined ? 0 : Math.max(this.commands.length, last.seq + 1);
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

/** A command line parsed and checked, or why it is not one. */
function parseCommand(line: string): Command | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return (e as Error).message;
  }
  const c = v as Partial<Command> | null;
  if (
    c === null ||
    typeof c !== 'object' ||
    typeof c.sql !== 'string' ||
    typeof c.seq !== 'number' ||
    typeof c.properties !== 'object' ||
    c.properties === null
  ) {
    return 'not a command: it needs seq, sql and properties';
  }
  return c as Command;
}
