/**
 * A migration file's statements: split with Sluice's script splitter (which,
 * unlike ksql-migrations', also knows quoted identifiers), then classified as
 * ksql-migrations does: SET/UNSET/DEFINE/UNDEFINE act locally, statements that
 * only read (SELECT, DESCRIBE, …) are refused, everything else goes to the server.
 */
import { splitStatements } from '../../src/parser/split.js';
import { MigrationsError } from './log.js';

/** One classified statement of a migration file. */
export type MigrationStatement =
  | { readonly kind: 'statement'; readonly text: string }
  | { readonly kind: 'set'; readonly text: string; readonly name: string; readonly value: string }
  | { readonly kind: 'unset'; readonly text: string; readonly name: string }
  | { readonly kind: 'define'; readonly text: string; readonly name: string; readonly value: string }
  | { readonly kind: 'undefine'; readonly text: string; readonly name: string };

/**
 * The statements of a file, each with its `;`. Text after the last `;` that is
 * not blank or a comment (an unterminated statement, or an unclosed quote) fails.
 */
export function splitMigration(sql: string): string[] {
  const slices = splitStatements(sql);
  const last = slices[slices.length - 1];
  if (
    last !== undefined &&
    !sql
      .slice(last.pos.offset + last.text.length)
      .trimStart()
      .startsWith(';')
  )
    throw new MigrationsError(`Unmatched command at end of file; missing semicolon: '${last.text}'`);
  return slices.map((s) => `${s.text};`);
}

/** Statements that only read, which a migration may not hold (as ksql-migrations refuses them). */
const UNSUPPORTED = ['DESCRIBE', 'EXPLAIN', 'SELECT', 'PRINT', 'SHOW', 'LIST'];

const QUOTED = "'((?:[^']|'')*)'";
const NAME = '([A-Za-z_][A-Za-z0-9_]*)';
const SET = new RegExp(`^SET\\s+${QUOTED}\\s*=\\s*${QUOTED}\\s*;$`, 'is');
const UNSET = new RegExp(`^UNSET\\s+${QUOTED}\\s*;$`, 'is');
const DEFINE = new RegExp(`^DEFINE\\s+${NAME}\\s*=\\s*${QUOTED}\\s*;$`, 'is');
const UNDEFINE = new RegExp(`^UNDEFINE\\s+${NAME}\\s*;$`, 'is');
const unquote = (s: string): string => s.replace(/''/g, "'");

/** Classifies one statement (with its `;`); a statement a migration may not hold throws its reason. */
export function classify(text: string): MigrationStatement {
  const tokens = text.replace(/;$/, '').toUpperCase().split(/\s+/);
  const first = tokens[0] ?? '';
  if (UNSUPPORTED.includes(first)) throw new MigrationsError(`'${first}' statements are not supported.`);
  if (first === 'RUN' && tokens[1] === 'SCRIPT') throw new MigrationsError("'RUN SCRIPT' statements are not supported.");
  const invalid = (what: string) => new MigrationsError(`Invalid ${what} command: ${text}`);
  switch (first) {
    case 'SET': {
      const m = SET.exec(text);
      if (!m) throw invalid('SET');
      return { kind: 'set', text, name: unquote(m[1]!), value: unquote(m[2]!) };
    }
    case 'UNSET': {
      const m = UNSET.exec(text);
      if (!m) throw invalid('UNSET');
      return { kind: 'unset', text, name: unquote(m[1]!) };
    }
    case 'DEFINE': {
      const m = DEFINE.exec(text);
      if (!m) throw invalid('DEFINE');
      return { kind: 'define', text, name: m[1]!, value: unquote(m[2]!) };
    }
    case 'UNDEFINE': {
      const m = UNDEFINE.exec(text);
      if (!m) throw invalid('UNDEFINE');
      return { kind: 'undefine', text, name: m[1]! };
    }
    default:
      return { kind: 'statement', text };
  }
}

/** `--define NAME=VALUE` arguments as variables; one without `=` (or with a bad name) throws. */
export function parseDefines(defines: readonly string[]): Map<string, string> {
  const vars = new Map<string, string>();
  for (const d of defines) {
    const eq = d.indexOf('=');
    if (eq < 0) throw new MigrationsError(`Variables must be defined using '=' (i.e. var=val). Got: '${d}'`);
    const name = d.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new MigrationsError(`Invalid variable name in --define: '${name}'. Got: '${d}'`);
    vars.set(name, d.slice(eq + 1));
  }
  return vars;
}
