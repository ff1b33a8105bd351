/**
 * The statements ksqlDB's CLI runs itself instead of sending them: `SET
 * 'name'='value';` and `UNSET 'name';` change the properties sent with later
 * statements. The console does the same (see session-properties.ts).
 */
import { splitStatements } from '../statements.js';

/** A statement the console handles without the server. */
export type LocalStatement = { readonly kind: 'set'; readonly name: string; readonly value: string } | { readonly kind: 'unset'; readonly name: string };

const QUOTED = "'((?:[^']|'')*)'";
const SET = new RegExp(`^SET\\s+${QUOTED}\\s*=\\s*${QUOTED}$`, 'is');
const UNSET = new RegExp(`^UNSET\\s+${QUOTED}$`, 'is');

function unquote(s: string): string {
  return s.split("''").join("'");
}

/** `sql` as a SET or UNSET statement (comments, blanks and the `;` around it ignored), or undefined when it is neither. */
export function parseLocalStatement(sql: string): LocalStatement | undefined {
  const all = splitStatements(sql);
  if (all.length !== 1) return undefined;
  const text = all[0]!.text.replace(/;$/, '').trim();
  const set = SET.exec(text);
  if (set) return { kind: 'set', name: unquote(set[1]!), value: unquote(set[2]!) };
  const unset = UNSET.exec(text);
  if (unset) return { kind: 'unset', name: unquote(unset[1]!) };
  return undefined;
}
