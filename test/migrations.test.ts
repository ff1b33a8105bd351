/**
 * `sluice migrations` against a real `sluice server` process, driven as a user
 * would: the ksql-migrations project layout, the metadata stream and table,
 * apply / extend / validate / re-apply, the failure path and destroy-metadata.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SluiceClient } from '../cli/repl/client.js';
import { describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { runSluiceAsync } from './repl-helpers.js';

const GOLDEN = path.join(import.meta.dirname, 'golden', 'migrations', 'ksql-migrations.properties');
const NO_SCOPE = { properties: {}, variables: {} };
const md5 = (file: string) => createHash('md5').update(fs.readFileSync(file)).digest('hex');

describeIf(BUNDLE_BUILT, 'the built dist/ (npm run build)')('sluice migrations', () => {
  let server: ServerProcess;
  let client: SluiceClient;
  let dir: string;
  let project: string;
  let config: string;
  const migration = (name: string) => path.join(project, 'migrations', name);
  const migrations = (...args: string[]) => runSluiceAsync(['migrations', ...args], { cwd: dir, timeoutMs: 60_000 });
  const withConfig = (...args: string[]) => migrations('-c', config, ...args);
  /** The metadata table's row of a version: [version, state, previous, checksum, error reason]. */
  const row = async (key: string) =>
    (
      await client.pullQuery(
        `SELECT version, state, previous, checksum, error_reason, started_on, completed_on FROM MIGRATION_SCHEMA_VERSIONS WHERE version_key = '${key}';`,
      )
    ).rows[0];
  const eventCount = async () => (await client.pullQuery('SELECT * FROM MIGRATION_EVENTS;')).rows.length;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-migrations-'));
    server = await startServerProcess();
    client = new SluiceClient(server.url);
    project = path.join(dir, 'project');
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('new-project writes the project layout and the commented properties template; a second run refuses to overwrite it', async () => {
    // A golden file that is missing fails rather than being written.
    if (!fs.existsSync(GOLDEN)) throw new Error(`golden file ${GOLDEN} is missing`);
    const tmpl = path.join(dir, 'template');
    const r = await migrations('new-project', tmpl, 'http://localhost:8088');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Creating directory: ${path.join(tmpl, 'migrations')}\n`);
    expect(r.out).toContain('Migrations project directory created successfully\n');
    expect(fs.statSync(path.join(tmpl, 'migrations')).isDirectory()).toBe(true);
    expect(fs.readFileSync(path.join(tmpl, 'ksql-migrations.properties'), 'utf8')).toBe(fs.readFileSync(GOLDEN, 'utf8'));

    const again = await migrations('new-project', tmpl, 'http://localhost:8088');
    expect(again.code).toBe(1);
    expect(again.err).toContain(`WARNING: ${tmpl} already exists. Skipping directory creation.\n`);
    expect(again.err).toContain(`ERROR: Failed to create file. File already exists: ${path.join(tmpl, 'ksql-migrations.properties')}\n`);

    // The real project, on the test server.
    expect((await migrations('new-project', project, server.url)).code).toBe(0);
    config = path.join(project, 'ksql-migrations.properties');
  });

  it('help lists the commands and exits 0; an unknown command exits 1 naming it', async () => {
    const help = await migrations('help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: sluice migrations [-c|--config-file FILE] <command> [options]\n');
    for (const c of ['new-project', 'initialize-metadata', 'create', 'apply', 'info', 'validate', 'destroy-metadata']) expect(help.out).toContain(`\n  ${c}`);
    const top = await runSluiceAsync(['help']);
    expect(top.out).toContain('sluice migrations [-c FILE] COMMAND');
    const unknown = await migrations('-c', 'x.properties', 'migrate');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe("ERROR: Unknown command 'migrate'. See `sluice migrations help` for usage.\n");
  });

  it('a command without the config file, or with an unreachable server, fails naming what is missing', async () => {
    const none = await migrations('info');
    expect(none.code).toBe(1);
    expect(none.err).toBe('ERROR: Migrations config file required but not specified. Specify with --config-file (or, equivalently, -c).\n');
    const down = path.join(dir, 'down.properties');
    fs.writeFileSync(down, 'ksql.server.url=http://127.0.0.1:1\n');
    const r = await migrations('-c', down, 'info');
    expect(r.code).toBe(1);
    expect(r.err).toBe('ERROR: Failed to query http://127.0.0.1:1/info: Could not connect to the server at http://127.0.0.1:1 (connection refused).\n');
  });

  it('info before initialize-metadata names the missing stream and the command to run', async () => {
    const r = await withConfig('info');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^ERROR: Failed to verify existence of migrations metadata stream 'MIGRATION_EVENTS'\. Did you run `sluice migrations initialize-metadata`\? Error message: .*MIGRATION_EVENTS/,
    );
  });

  it('initialize-metadata creates the stream and table with ksqlDB’s columns and topic names; a second run fails', async () => {
    const r = await withConfig('initialize-metadata');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Creating stream: MIGRATION_EVENTS\nCreating table: MIGRATION_SCHEMA_VERSIONS\nMigrations metadata initialized successfully\n');
    const [stream] = await client.ksql('DESCRIBE MIGRATION_EVENTS;', NO_SCOPE);
    const s = stream!['sourceDescription'] as { topic: string; valueFormat: string; fields: { name: string; type?: string; schema: { type: string } }[] };
    expect(s.topic).toBe('default_ksql_MIGRATION_EVENTS');
    expect(s.valueFormat).toBe('JSON');
    expect(s.fields.map((f) => `${f.name} ${f.schema.type}${f.type === 'KEY' ? ' KEY' : ''}`)).toEqual([
      'VERSION_KEY STRING KEY',
      'VERSION STRING',
      'NAME STRING',
      'STATE STRING',
      'CHECKSUM STRING',
      'STARTED_ON STRING',
      'COMPLETED_ON STRING',
      'PREVIOUS STRING',
      'ERROR_REASON STRING',
    ]);
    const [table] = await client.ksql('DESCRIBE MIGRATION_SCHEMA_VERSIONS;', NO_SCOPE);
    const t = table!['sourceDescription'] as { topic: string; type: string; fields: { name: string }[]; writeQueries: unknown[] };
    expect(t.topic).toBe('default_ksql_MIGRATION_SCHEMA_VERSIONS');
    expect(t.type).toBe('TABLE');
    expect(t.fields.map((f) => f.name)).toEqual(s.fields.map((f) => f.name));
    expect(t.writeQueries).toHaveLength(1);

    const again = await withConfig('initialize-metadata');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^ERROR: Failed to create stream MIGRATION_EVENTS: .*MIGRATION_EVENTS.* already exists/);
  });

  it('create numbers files after the highest version, names them from the description, and refuses a taken version', async () => {
    const first = await withConfig('create', 'Add users');
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Creating migration file: ${migration('V000001__Add_users.sql')}\nMigration file successfully created\n`);
    expect(fs.readFileSync(migration('V000001__Add_users.sql'), 'utf8')).toBe('');
    expect((await withConfig('create', 'count: per user?')).code).toBe(0);
    expect(fs.existsSync(migration('V000002__count__per_user_.sql'))).toBe(true);
    const clash = await withConfig('create', '-v', '2', 'other');
    expect(clash.code).toBe(1);
    expect(clash.err).toBe(`ERROR: Found existing migrations file for version 2: ${migration('V000002__count__per_user_.sql')}\n`);
  });

  it('apply --all runs the files in order with SET, DEFINE and --define; info shows them MIGRATED with their MD5s', async () => {
    fs.writeFileSync(
      migration('V000001__Add_users.sql'),
      "-- the users\nCREATE STREAM users (id INT KEY, name STRING) WITH (kafka_topic='users', partitions=1, value_format='JSON');\n",
    );
    fs.writeFileSync(
      migration('V000002__count__per_user_.sql'),
      [
        "SET 'auto.offset.reset'='earliest';",
        "DEFINE tbl = 'user_counts';",
        'CREATE TABLE ${tbl} AS SELECT id, COUNT(*) AS n FROM users GROUP BY id;',
        "INSERT INTO users (id, name) VALUES (1, '${who}');",
        "INSERT INTO users VALUES (2, 'bob');",
        '',
      ].join('\n'),
    );
    const r = await withConfig('apply', '--all', '--define', 'who=alice');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Loading migration files\n2 migration file(s) loaded.\nApplying migration version 1: Add users\n');
    expect(r.out).toContain('Applying migration version 2: count  per user \n');
    expect(r.out.match(/Successfully migrated\n/g)).toHaveLength(2);

    const v1 = await eventually('version 1 in the table', () => row('1'));
    expect(v1.slice(0, 5)).toEqual(['1', 'MIGRATED', '<none>', md5(migration('V000001__Add_users.sql')), 'N/A']);
    const v2 = await eventually('version 2 in the table', () => row('2'));
    expect(v2.slice(0, 5)).toEqual(['2', 'MIGRATED', '1', md5(migration('V000002__count__per_user_.sql')), 'N/A']);
    expect(await row('CURRENT')).toEqual(v2);
    // The statements ran: the table exists and counted both inserted users (alice came from --define).
    await eventually('both users counted', async () => (await client.pullQuery('SELECT id, n FROM user_counts;')).rows.length === 2);
    const names = await eventually('both users inserted', async () => {
      const rows = (await client.pullQuery('SELECT name FROM users;')).rows;
      return rows.length === 2 && rows.map((x) => x[0]).sort();
    });
    expect(names).toEqual(['alice', 'bob']);

    const info = await withConfig('info');
    expect(info.code).toBe(0);
    const lines = info.out.split('\n');
    expect(lines[0]).toBe('Current migration version: 2');
    expect(lines[1]).toMatch(/^ Version \| Name +\| State +\| Previous Version \| Started On +\| Completed On +\| Error Reason $/);
    // The dashed rule is as long as the padded rows, as ksql-migrations draws it.
    expect(lines[2]).toBe('-'.repeat(lines[1]!.length));
    expect(lines[3]).toMatch(/^ 1 +\| Add users +\| MIGRATED \| <none> +\| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \| .* \| N\/A +$/);
    expect(lines[4]).toMatch(/^ 2 +\| count {2}per user {2}\| MIGRATED \| 1 +\| /);
  });

  it('an added file is applied with --next; validate passes; apply --all again finds nothing and writes nothing', async () => {
    expect((await withConfig('create', 'more')).code).toBe(0);
    fs.writeFileSync(migration('V000003__more.sql'), 'CREATE STREAM more_users AS SELECT * FROM users WHERE id > 1;\n');
    const next = await withConfig('apply', '--next');
    expect(next.code).toBe(0);
    expect(next.out).toContain('1 migration file(s) loaded.\nApplying migration version 3: more\n');
    await eventually('version 3 migrated', async () => (await row('3'))?.[1] === 'MIGRATED');
    expect((await row('3'))?.[2]).toBe('2');

    const valid = await withConfig('validate');
    expect(valid.code).toBe(0);
    expect(valid.out).toContain('Successfully validated checksums for migrations that have already been applied\n');

    // Three versions, each RUNNING then MIGRATED, each event keyed CURRENT and by version.
    const before = await eventually('twelve metadata events', async () => {
      const n = await eventCount();
      return n === 12 && n;
    });
    const again = await withConfig('apply', '--all');
    expect(again.code).toBe(0);
    expect(again.out).toContain('Loading migration files\nNo eligible migrations found.\n');
    const nothing = await withConfig('apply', '--next');
    expect(nothing.code).toBe(1);
    expect(nothing.err).toBe('ERROR: No eligible migrations found.\n');
    expect(await eventCount()).toBe(before);
  });

  it('an edited applied file fails validate and apply with the checksum message', async () => {
    const file = migration('V000001__Add_users.sql');
    const original = fs.readFileSync(file);
    fs.appendFileSync(file, '-- edited\n');
    try {
      const message = `ERROR: Migrations file found for version 1 does not match the checksum saved for this version. Expected checksum: ${createHash('md5').update(original).digest('hex')}. Actual checksum: ${md5(file)}. File name: ${file}\n`;
      const v = await withConfig('validate');
      expect(v.code).toBe(1);
      expect(v.err).toBe(message);
      const a = await withConfig('apply', '--all');
      expect(a.code).toBe(1);
      expect(a.err).toBe(message);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('a failing statement records ERROR with the server’s reason; the fixed file then applies', async () => {
    fs.writeFileSync(migration('V000004__broken.sql'), 'CREATE STREAM broken AS SELECT * FROM no_such_stream;\n');
    const r = await withConfig('apply', '--all');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ERROR: Failed to execute sql: CREATE STREAM broken AS SELECT \* FROM no_such_stream;\. Error: .*NO_SUCH_STREAM does not exist/);
    const failed = await eventually('version 4 in ERROR', async () => {
      const x = await row('4');
      return x?.[1] === 'ERROR' && x;
    });
    expect(failed[2]).toBe('3');
    expect(failed[4]).toMatch(/^Failed to execute sql: CREATE STREAM broken AS SELECT \* FROM no_such_stream;\. Error: .*NO_SUCH_STREAM does not exist/);
    const info = await withConfig('info');
    expect(info.out).toContain('Current migration version: 4\n');
    expect(info.out).toMatch(/\n 4 +\| broken +\| ERROR +\| 3 +\| .*\| Failed to execute sql: CREATE STREAM broken/);

    fs.writeFileSync(migration('V000004__broken.sql'), 'CREATE STREAM broken AS SELECT * FROM users;\n');
    const fixed = await withConfig('apply', '--all');
    expect(fixed.err).toBe('');
    expect(fixed.code).toBe(0);
    const ok = await eventually('version 4 migrated', async () => {
      const x = await row('4');
      return x?.[1] === 'MIGRATED' && x;
    });
    expect(ok.slice(0, 5)).toEqual(['4', 'MIGRATED', '3', md5(migration('V000004__broken.sql')), 'N/A']);
  });

  it('a refused statement fails before any statement runs, and a missing semicolon is recorded as ERROR too', async () => {
    fs.writeFileSync(
      migration('V000005__reads.sql'),
      "CREATE STREAM never (id INT KEY) WITH (kafka_topic='never', partitions=1, value_format='JSON');\nSELECT * FROM users;\n",
    );
    const r = await withConfig('apply', '--all');
    expect(r.code).toBe(1);
    expect(r.err).toBe("ERROR: Failed to parse sql: SELECT * FROM users;. Error: 'SELECT' statements are not supported.\n");
    expect((await client.ksql('SHOW STREAMS;', NO_SCOPE))[0]!['streams']).not.toContainEqual(expect.objectContaining({ name: 'NEVER' }));
    await eventually('version 5 in ERROR', async () => (await row('5'))?.[1] === 'ERROR');

    fs.writeFileSync(migration('V000005__reads.sql'), "CREATE STREAM never (id INT KEY) WITH (kafka_topic='never', partitions=1, value_format='JSON')\n");
    const s = await withConfig('apply', '--all');
    expect(s.code).toBe(1);
    expect(s.err).toBe(
      "ERROR: Unmatched command at end of file; missing semicolon: 'CREATE STREAM never (id INT KEY) WITH (kafka_topic='never', partitions=1, value_format='JSON')'\n",
    );
    const x = await eventually('version 5 failed on the semicolon', async () => {
      const v = await row('5');
      return v?.[4]?.toString().startsWith('Unmatched') && v;
    });
    expect(x[1]).toBe('ERROR');
    fs.rmSync(migration('V000005__reads.sql'));
  });

  it('--dry-run prints the files without running them or writing metadata', async () => {
    fs.writeFileSync(migration('V000005__dry.sql'), "CREATE STREAM dry (id INT KEY) WITH (kafka_topic='dry', partitions=1, value_format='JSON');\n");
    const events = await eventCount();
    const r = await withConfig('apply', '--all', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out).toContain('This is a dry run. No ksqlDB statements will be submitted to the ksqlDB server.\n');
    expect(r.out).toContain(`${migration('V000005__dry.sql')} contents:\nCREATE STREAM dry`);
    expect(r.out).toContain('Dry run complete. No migrations were actually applied.\n');
    expect(await eventCount()).toBe(events);
    expect((await client.ksql('SHOW STREAMS;', NO_SCOPE))[0]!['streams']).not.toContainEqual(expect.objectContaining({ name: 'DRY' }));
  });

  it('--until applies up to a version, --version may skip ahead, and an older or unknown version is refused', async () => {
    for (const v of [6, 7]) fs.writeFileSync(migration(`V00000${v}__s${v}.sql`), `CREATE STREAM s${v} AS SELECT * FROM users;\n`);
    const until = await withConfig('apply', '--until', '5');
    expect(until.code).toBe(0);
    expect(until.out).toContain('1 migration file(s) loaded.\nApplying migration version 5: dry\n');
    await eventually('version 5 migrated', async () => (await row('5'))?.[1] === 'MIGRATED');
    const skip = await withConfig('apply', '--version', '7');
    expect(skip.code).toBe(0);
    expect(skip.out).toContain('Applying migration version 7: s7\n');
    const v7 = await eventually('version 7 migrated', async () => {
      const x = await row('7');
      return x?.[1] === 'MIGRATED' && x;
    });
    expect(v7[2]).toBe('5');
    const older = await withConfig('apply', '-v', '6');
    expect(older.code).toBe(1);
    expect(older.err).toBe('ERROR: Version must be newer than the last version migrated. Last version migrated was 7\n');
    const unknown = await withConfig('apply', '-v', '9');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe('ERROR: No migration file with version 9 exists.\n');
    const behind = await withConfig('apply', '--until', '3');
    expect(behind.code).toBe(0);
    expect(behind.out).toContain('Loading migration files\nNo eligible migrations found.\n');
    const both = await withConfig('apply', '--all', '--next');
    expect(both.code).toBe(1);
    expect(both.err).toBe('ERROR: Exactly one of the following options must be specified: --all, --next, --until, --version\n');
  });

  it('a bad --define records ERROR; UNSET, UNDEFINE and a ; inside a quoted identifier work', async () => {
    fs.writeFileSync(
      migration('V000008__vars.sql'),
      [
        "DEFINE gone = 'x';",
        'UNDEFINE gone;',
        "SET 'auto.offset.reset'='earliest';",
        "UNSET 'auto.offset.reset';",
        "CREATE STREAM `semi;colon` (id INT KEY) WITH (kafka_topic='${topic}', partitions=1, value_format='JSON');",
        '',
      ].join('\n'),
    );
    const bad = await withConfig('apply', '--all', '--define', 'topic');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe("ERROR: Variables must be defined using '=' (i.e. var=val). Got: 'topic'\n");
    const failed = await eventually('version 8 in ERROR', async () => {
      const x = await row('8');
      return x?.[1] === 'ERROR' && x;
    });
    expect(failed[4]).toBe("Variables must be defined using '=' (i.e. var=val). Got: 'topic'");

    const good = await withConfig('apply', '--all', '-d', 'topic=semi_topic');
    expect(good.err).toBe('');
    expect(good.code).toBe(0);
    await eventually('version 8 migrated', async () => (await row('8'))?.[1] === 'MIGRATED');
    const [d] = await client.ksql('DESCRIBE `semi;colon`;', NO_SCOPE);
    expect((d!['sourceDescription'] as { topic: string }).topic).toBe('semi_topic');
  });

  it('custom metadata names, topics and migrations directory come from the properties file', async () => {
    const other = path.join(dir, 'other');
    const files = path.join(dir, 'other-files');
    fs.mkdirSync(other);
    fs.mkdirSync(files);
    const cfg = path.join(other, 'ksql-migrations.properties');
    fs.writeFileSync(
      cfg,
      [
        `ksql.server.url=${server.url}`,
        'ksql.migrations.stream.name=OTHER_EVENTS',
        'ksql.migrations.table.name=OTHER_VERSIONS',
        'ksql.migrations.stream.topic.name=other-events',
        'ksql.migrations.table.topic.name=other-versions',
        `ksql.migrations.dir.override=${files}`,
        '',
      ].join('\n'),
    );
    expect((await migrations('-c', cfg, 'initialize-metadata')).code).toBe(0);
    const [d] = await client.ksql('DESCRIBE OTHER_VERSIONS;', NO_SCOPE);
    expect((d!['sourceDescription'] as { topic: string }).topic).toBe('other-versions');
    const [e] = await client.ksql('DESCRIBE OTHER_EVENTS;', NO_SCOPE);
    expect((e!['sourceDescription'] as { topic: string }).topic).toBe('other-events');
    const created = await migrations('-c', cfg, 'create', 'elsewhere');
    expect(created.out).toContain(`Creating migration file: ${path.join(files, 'V000001__elsewhere.sql')}\n`);
    fs.writeFileSync(
      path.join(files, 'V000001__elsewhere.sql'),
      "CREATE STREAM elsewhere (id INT KEY) WITH (kafka_topic='elsewhere', partitions=1, value_format='JSON');\n",
    );
    const applied = await migrations('-c', cfg, 'apply', '-a');
    expect(applied.code).toBe(0);
    expect(applied.out).toContain('Successfully migrated\n');
    await eventually('version 1 migrated in OTHER_VERSIONS', async () => {
      const rows = (await client.pullQuery("SELECT state FROM OTHER_VERSIONS WHERE version_key = '1';")).rows;
      return rows[0]?.[0] === 'MIGRATED';
    });
    const destroyed = await migrations('-c', cfg, 'destroy-metadata');
    expect(destroyed.code).toBe(0);
    expect(destroyed.out).toContain('Dropping migrations metadata stream: OTHER_EVENTS\n');
  });

  it('destroy-metadata terminates the table’s query and drops both sources with their topics; a second run skips', async () => {
    const r = await withConfig('destroy-metadata');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^Cleaning migrations metadata stream and table from ksqlDB server\nFound 1 query writing to metadata table\. Query ID: (\S+)\nTerminating query with ID: \1\nDropping migrations metadata table: MIGRATION_SCHEMA_VERSIONS\nDropping migrations metadata stream: MIGRATION_EVENTS\nMigrations metadata cleaned successfully\n/,
    );
    const [topics] = await client.ksql('SHOW TOPICS;', NO_SCOPE);
    const topicNames = (topics!['topics'] as { name: string }[]).map((t) => t.name);
    expect(topicNames).not.toContain('default_ksql_MIGRATION_EVENTS');
    expect(topicNames).not.toContain('default_ksql_MIGRATION_SCHEMA_VERSIONS');
    const again = await withConfig('destroy-metadata');
    expect(again.code).toBe(0);
    expect(again.out).toContain('Metadata table does not exist. Skipping cleanup.\nMetadata stream does not exist. Skipping cleanup.\n');
  });
});
