import { describe, expect, it } from 'vitest';
import { type Catalog, functionsOf, sourcesOf } from '../console/src/editor/catalog.js';
import { completeSql, type SqlCompletions } from '../console/src/editor/completion.js';
import { HISTORY_LIMIT, StatementHistory } from '../console/src/editor/history.js';
import { parseLocalStatement } from '../console/src/editor/local-statements.js';
import { SessionProperties } from '../console/src/editor/session-properties.js';
import type { KeyValueStore } from '../console/src/editor/stored.js';

/** A localStorage stand-in. */
function memoryStore(): KeyValueStore & { readonly data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const field = (name: string, type: string, key = false) => ({ name, schema: { type, fields: null, memberSchema: null }, ...(key ? { type: 'KEY' } : {}) });

/** A catalog as the server's SHOW STREAMS/TABLES EXTENDED and SHOW FUNCTIONS answers make it. */
const CATALOG: Catalog = {
  sources: sourcesOf([
    {
      '@type': 'source_descriptions',
      sourceDescriptions: [{ name: 'CLICKS', type: 'STREAM', fields: [field('USER_ID', 'STRING', true), field('URL', 'STRING'), field('STATUS', 'INTEGER')] }],
    },
    {
      '@type': 'source_descriptions',
      sourceDescriptions: [
        { name: 'USERS', type: 'TABLE', fields: [field('USER_ID', 'STRING', true), field('REGION', 'STRING')] },
        { name: 'MixedCase', type: 'TABLE', fields: [field('Id', 'BIGINT', true)] },
      ],
    },
  ]),
  functions: functionsOf([
    {
      '@type': 'function_names',
      functions: [
        { name: 'ABS', type: 'SCALAR', category: 'MATHEMATICAL' },
        { name: 'COUNT', type: 'AGGREGATE', category: 'AGGREGATE' },
      ],
    },
  ]),
};

/** Completes at the `|` in `text`. */
function at(text: string, explicit = true): SqlCompletions | undefined {
  const pos = text.indexOf('|');
  return completeSql(CATALOG, text.slice(0, pos) + text.slice(pos + 1), pos, explicit);
}

function labels(c: SqlCompletions | undefined, kind?: string): string[] {
  return (c?.options ?? []).filter((o) => kind === undefined || o.kind === kind).map((o) => o.label);
}

describe('the completion catalog', () => {
  it('reads streams and tables with kinds, columns, types and keys, sorted by name', () => {
    expect(CATALOG.sources.map((s) => [s.name, s.kind])).toEqual([
      ['CLICKS', 'stream'],
      ['MixedCase', 'table'],
      ['USERS', 'table'],
    ]);
    expect(CATALOG.sources[0]!.columns).toEqual([
      { name: 'USER_ID', type: 'STRING', key: true },
      { name: 'URL', type: 'STRING', key: false },
      { name: 'STATUS', type: 'INTEGER', key: false },
    ]);
  });
});

describe('SQL completion', () => {
  it("offers a statement's columns before its FROM (SELECT | FROM clicks), typed in lower case", () => {
    const c = at('SELECT | FROM clicks;');
    expect(labels(c, 'column')).toEqual(['USER_ID', 'URL', 'STATUS', 'ROWTIME', 'ROWPARTITION', 'ROWOFFSET']);
    expect(c!.options.find((o) => o.label === 'USER_ID')!.detail).toBe('STRING key');
    const lower = at('select us| from clicks');
    expect(lower!.from).toBe('select '.length);
    expect(lower!.options.find((o) => o.label === 'USER_ID')!.apply).toBe('user_id');
  });

  it('offers the columns of a source or alias after a dot, and nothing but them', () => {
    expect(labels(at('SELECT clicks.| FROM clicks'))).toEqual(['USER_ID', 'URL', 'STATUS', 'ROWTIME', 'ROWPARTITION', 'ROWOFFSET']);
    expect(labels(at('SELECT u.re| FROM clicks c JOIN users AS u ON c.user_id = u.user_id', false))).toEqual([
      'USER_ID',
      'REGION',
      'ROWTIME',
      'ROWPARTITION',
      'ROWOFFSET',
    ]);
    expect(at('SELECT nope.| FROM clicks')).toBeUndefined();
  });

  it('names both sources of a column two joined sources share', () => {
    const c = at('SELECT | FROM clicks c JOIN users u ON c.user_id = u.user_id');
    expect(c!.options.find((o) => o.label === 'USER_ID')!.detail).toBe('STRING key · CLICKS, USERS');
  });

  it('offers streams and tables first after FROM, JOIN, INTO and DESCRIBE, and quotes names that need it', () => {
    for (const text of ['SELECT * FROM |', 'SELECT * FROM clicks c JOIN |', 'INSERT INTO |', 'DESCRIBE |']) {
      const c = at(text);
      expect(c!.options.filter((o) => o.boost > 0).map((o) => o.label)).toEqual(['CLICKS', 'MixedCase', 'USERS']);
    }
    expect(at('SELECT * FROM |')!.options.find((o) => o.label === 'MixedCase')!.apply).toBe('`MixedCase`');
    expect(labels(at('DROP TABLE |'), 'table')).toEqual(['MixedCase', 'USERS']);
    expect(labels(at('DROP TABLE |'), 'stream')).toEqual([]);
  });

  it('completes functions with their type and category, inserting NAME(', () => {
    const c = at('SELECT ab| FROM clicks');
    const abs = c!.options.find((o) => o.label === 'ABS')!;
    expect(abs).toMatchObject({ kind: 'function', apply: 'abs(', detail: 'scalar · mathematical' });
    expect(at('SELECT AB|')!.options.find((o) => o.label === 'ABS')!.apply).toBe('ABS(');
    expect(at('SELECT cou|')!.options.find((o) => o.label === 'COUNT')!.detail).toBe('aggregate');
  });

  it('offers keywords at the start of a statement, after another one', () => {
    const c = at('SHOW STREAMS;\nsel|', false);
    expect(c!.from).toBe('SHOW STREAMS;\n'.length);
    expect(labels(c, 'keyword')).toContain('SELECT');
    expect(labels(c).every((l) => labels(c, 'keyword').includes(l))).toBe(true);
  });

  it('offers nothing inside strings and comments, or when nothing is typed and not asked for', () => {
    expect(at("SELECT * FROM clicks WHERE url = '/a|")).toBeUndefined();
    expect(at('SELECT * FROM clicks -- a comm|')).toBeUndefined();
    expect(at('SELECT | FROM clicks', false)).toBeUndefined();
  });
});

describe('SET and UNSET in the editor', () => {
  it('parses the statements the CLI handles itself, and nothing else', () => {
    expect(parseLocalStatement("SET 'auto.offset.reset'='earliest';")).toEqual({ kind: 'set', name: 'auto.offset.reset', value: 'earliest' });
    expect(parseLocalStatement("-- go back\nset 'a.b' = 'it''s';")).toEqual({ kind: 'set', name: 'a.b', value: "it's" });
    expect(parseLocalStatement("UNSET 'a.b'")).toEqual({ kind: 'unset', name: 'a.b' });
    expect(parseLocalStatement('SHOW STREAMS;')).toBeUndefined();
    expect(parseLocalStatement("SET 'a'='1'; SET 'b'='2';")).toBeUndefined();
  });

  it("answers with ksqlDB CLI's messages and changes what is sent", () => {
    const props = new SessionProperties(memoryStore());
    expect(props.all()).toEqual({ 'auto.offset.reset': 'latest' });
    expect(props.apply({ kind: 'set', name: 'auto.offset.reset', value: 'earliest' })).toEqual({
      kind: 'ok',
      message: "Successfully changed local property 'auto.offset.reset' to 'earliest'. Use the UNSET command to revert your change.",
    });
    expect(props.apply({ kind: 'set', name: 'auto.offset.reset', value: 'latest' }).message).toBe(
      "Successfully changed local property 'auto.offset.reset' from 'earliest' to 'latest'.",
    );
    expect(props.apply({ kind: 'set', name: 'auto.offset.reset', value: 'sideways' }).kind).toBe('error');
    props.apply({ kind: 'set', name: 'ksql.output.topic.name.prefix', value: 'pre_' });
    expect(props.all()).toEqual({ 'ksql.output.topic.name.prefix': 'pre_', 'auto.offset.reset': 'latest' });
    expect(props.apply({ kind: 'unset', name: 'ksql.output.topic.name.prefix' }).message).toBe(
      "Successfully unset local property 'ksql.output.topic.name.prefix' (value was 'pre_').",
    );
    expect(props.apply({ kind: 'unset', name: 'nope' })).toEqual({ kind: 'error', message: "Cannot unset local property 'nope' which was never set" });
    expect(props.apply({ kind: 'set', name: 'ssl.key.password', value: 'pw' }).message).toBe(
      "Successfully changed local property 'ssl.key.password' to '[hidden]'. Use the UNSET command to revert your change.",
    );
  });

  it('keeps extra properties across reloads, but never secret ones', () => {
    const store = memoryStore();
    const props = new SessionProperties(store);
    props.setExtras([
      { name: ' a.b ', value: '1' },
      { name: '', value: 'dropped' },
      { name: 'ssl.key.password', value: 'pw' },
    ]);
    expect(props.extras()).toEqual([
      { name: 'a.b', value: '1' },
      { name: 'ssl.key.password', value: 'pw' },
    ]);
    expect(new SessionProperties(store).extras()).toEqual([{ name: 'a.b', value: '1' }]);
  });
});

describe('the statement history', () => {
  it('keeps statements most recent first, each once, at most the limit, across reloads', () => {
    const store = memoryStore();
    const history = new StatementHistory(store);
    history.add('SHOW STREAMS;');
    history.add(' SHOW TOPICS; ');
    history.add('SHOW STREAMS;');
    expect(history.entries()).toEqual(['SHOW STREAMS;', 'SHOW TOPICS;']);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) history.add(`SELECT ${i};`);
    expect(history.entries()).toHaveLength(HISTORY_LIMIT);
    expect(new StatementHistory(store).entries()[0]).toBe(`SELECT ${HISTORY_LIMIT + 4};`);
  });
});
