/**
 * Text forms that match Java's, since ksqlDB's output is produced by the JVM:
 * `Double.toString`, and the ISO forms of dates and times.
 */

/** Java's `Double.toString(d)`: `1.0`, `0.001`, `1.0E-4`, `1.2345678E7`, `NaN`, `Infinity`. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') || s.includes('e') ? expandPlain(s) : `${s}.0`;
  }
  const [mant, exp] = d.toExponential().split('e') as [string, string];
  const m = mant.includes('.') ? mant : `${mant}.0`;
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

function expandPlain(s: string): string {
  if (!s.includes('e')) return s;
  const n = Number(s);
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '.0');
}

const DAY_MS = 86_400_000;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** `yyyy-MM-dd` of a DATE (days since epoch). */
export function formatDate(days: number): string {
  const d = new Date(days * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** `HH:mm[:ss[.SSS]]` of a TIME (ms of day), as java.time.LocalTime.toString(). */
export function formatTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const milli = ms % 1000;
  let out = `${pad(h, 2)}:${pad(m, 2)}`;
  if (s !== 0 || milli !== 0) out += `:${pad(s, 2)}`;
  if (milli !== 0) out += `.${pad(milli, 3)}`;
  return out;
}

/** `yyyy-MM-ddTHH:mm:ss.SSS` in UTC, as ksqlDB prints TIMESTAMP values cast to STRING. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

/** Parses `yyyy-MM-dd['T'HH:mm[:ss[.fff]]][zone]` as ksqlDB does for STRING → TIMESTAMP. */
export function parseTimestamp(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) throw new RangeError(`Cannot parse '${text}' as TIMESTAMP (expected yyyy-MM-ddTHH:mm:ss.SSS)`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

/** Parses `yyyy-MM-dd`, or a prefix of it (`yyyy-MM`, `yyyy`) meaning the first day, as ksqlDB does. */
export function parseDate(text: string): number {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
  if (!m) throw new RangeError(`Cannot parse '${text}' as DATE (expected yyyy-MM-dd)`);
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1)) / DAY_MS);
}

export function parseTime(text: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (!m) throw new RangeError(`Cannot parse '${text}' as TIME (expected HH:mm:ss)`);
  return Number(m[1]) * 3_600_000 + Number(m[2]) * 60_000 + Number(m[3] ?? 0) * 1000 + Number((m[4] ?? '0').padEnd(3, '0').slice(0, 3));
}
