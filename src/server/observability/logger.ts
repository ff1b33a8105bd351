/**
 * The server's log: pino (fastify's logger), one JSON object per line on
 * stdout; on a terminal, one human-readable line per entry instead
 * (`HH:MM:SS.mmm LEVEL message key=value …`, the stack on following lines).
 */
import { pino, type DestinationStream, type Logger } from 'pino';

/** Log levels, most verbose first (pino's). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Whether `s` names a log level. */
export function isLogLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

/** What {@link createLogger} builds. */
export interface LoggerOptions {
  readonly level?: LogLevel;
  /** One human line per entry instead of JSON. Default: when stdout is a terminal. */
  readonly human?: boolean;
  /** Where lines go. Default stdout. */
  readonly out?: { write(text: string): unknown };
}

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Fields shown in a human line's head, not as `key=value`. */
const HEAD_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err', 'stack']);

/** A value as a human line shows it: strings bare unless they hold spaces or quotes. */
function show(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]*$/.test(v) && v !== '' ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/** One pino JSON line as a human one-liner (plus an error's stack below it). */
export function formatHuman(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
  const level = LEVEL_NAMES[o.level as number] ?? String(o.level);
  let text = `${time} ${level.padEnd(5)} ${String(o.msg ?? '')}`;
  for (const [k, v] of Object.entries(o)) if (!HEAD_FIELDS.has(k) && v !== undefined) text += ` ${k}=${show(v)}`;
  const err = o.err as { stack?: string; message?: string } | undefined;
  if (err) text += `\n${err.stack ?? err.message ?? show(err)}`;
  else if (typeof o.stack === 'string') text += `\n${o.stack}`;
  return `${text}\n`;
}

/** The server's logger: JSON lines, or human lines on a terminal. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const out = opts.out ?? process.stdout;
  const human = opts.human ?? (process.stdout.isTTY === true && opts.out === undefined);
  const stream: DestinationStream = human ? { write: (line: string) => void out.write(formatHuman(line)) } : { write: (line: string) => void out.write(line) };
  return pino({ level: opts.level ?? 'info', base: undefined, serializers: { err: pino.stdSerializers.err } }, stream);
}

/** A logger that writes nothing (a server started without one). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
