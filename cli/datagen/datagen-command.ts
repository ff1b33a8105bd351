/**
 * `sluice datagen`: writes generated events into a topic, like ksql-datagen —
 * through a running server's REST Proxy-style `POST /topics/{topic}`, or with
 * `--data-dir` straight into the embedded log of a data directory (while no
 * server runs on it).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SluiceClient, ServerError, UntrustedCertificateError } from '../repl/client.js';
import { describeError } from '../repl/session.js';
import { Random } from '../../src/runtime/connectors/datagen/random.js';
import { QUICKSTARTS, onTopic, quickstartDdl, type GeneratedRecord, type Quickstart } from '../../src/runtime/connectors/datagen/quickstarts.js';

const FORMATS = ['json', 'avro', 'delimited', 'protobuf', 'json_sr'];

const USAGE = `Usage: sluice datagen --quickstart NAME [--topic TOPIC] [options]

Writes generated events into a topic, one line per record on the screen.

  --quickstart NAME      ${Object.keys(QUICKSTARTS).join(' | ')}
  --topic TOPIC          topic to write (default: the quickstart's, e.g. monitoring)
  --rate N               records per second (default 5; 0: as fast as possible)
  --iterations N         how many records (default 1000000); Ctrl-C stops early
  --format FORMAT        json | avro | delimited (default: the stream's): the value
                         format the stream on the topic must have; the server
                         serialises each record with the stream's schema
  --seed N               the same seed writes the same records (time fields aside)
  --server URL           the server to write through (default http://localhost:8088)
  -u, --user USER / -p, --password PASSWORD    HTTP Basic credentials
  --ca-file FILE         trust the server certificates this CA (PEM) signed
  --data-dir DIR         write into this data directory's log instead (no server
                         may be running on it)
  --print-ddl            print a CREATE statement for the topic and exit
  --dry-run              print the records without writing them
  --quiet                do not print each record

Quickstarts:
${Object.values(QUICKSTARTS)
  .map((q) => `  ${q.name.padEnd(13)} ${q.description} (topic ${q.topic})`)
  .join('\n')}`;

/** Where records go. */
interface Sink {
  /** The value format of the stream/table on the topic, or undefined when none reads it; throws when the topic is missing. */
  formatOf(topic: string): Promise<string | undefined>;
  write(topic: string, records: readonly GeneratedRecord[]): Promise<void>;
  close(): Promise<void>;
}

function restSink(client: SluiceClient): Sink {
  return {
    async formatOf(topic) {
      const entities = await client.ksql('SHOW STREAMS; SHOW TABLES; LIST TOPICS;', { properties: {}, variables: {} });
      let exists = false;
      let format: string | undefined;
      for (const e of entities) {
        for (const s of [...((e['streams'] as Record<string, string>[]) ?? []), ...((e['tables'] as Record<string, string>[]) ?? [])]) {
          if (s['topic'] === topic) format ??= s['valueFormat'];
        }
        for (const t of (e['topics'] as { name: string }[] | undefined) ?? []) if (t.name === topic) exists = true;
      }
      if (!exists) throw new MissingTopic(topic);
      return format;
    },
    async write(topic, records) {
      await client.produce(
        topic,
        records.map((r) => ({ key: r.key, value: r.value })),
      );
    },
    close: async () => undefined,
  };
}

async function dataDirSink(dir: string): Promise<Sink> {
  const { Engine } = await import('../../src/runtime/engine/engine.js');
  const engine = await Engine.open({ dataDir: resolve(dir), autoPump: false });
  return {
    async formatOf(topic) {
      const source = engine.catalog.allSources().find((s) => s.topic === topic);
      if (source) return source.valueFormat.format;
      if (!(await engine.log.topic(topic))) await engine.log.createTopic(topic, 1);
      return undefined;
    },
    async write(topic, records) {
      await engine.produce(topic, records);
    },
    close: () => engine.close(),
  };
}

class MissingTopic extends Error {
  constructor(readonly topic: string) {
    super(`Topic '${topic}' does not exist.`);
  }
}

function sameFormat(stream: string, wanted: string): boolean {
  const norm = (f: string) => (f.toUpperCase() === 'JSON_SR' ? 'JSON' : f.toUpperCase());
  return norm(stream) === norm(wanted);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `sluice datagen …`; resolves with the exit code. */
export async function datagenCommand(argv: readonly string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        quickstart: { type: 'string', short: 'q' },
        topic: { type: 'string', short: 't' },
        rate: { type: 'string' },
        iterations: { type: 'string' },
        format: { type: 'string' },
        seed: { type: 'string' },
        server: { type: 'string' },
        user: { type: 'string', short: 'u' },
        password: { type: 'string', short: 'p' },
        'ca-file': { type: 'string' },
        'data-dir': { type: 'string' },
        'print-ddl': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`sluice datagen: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const fail = (msg: string): number => {
    process.stderr.write(`sluice datagen: ${msg}\n`);
    return 2;
  };
  const q: Quickstart | undefined = values.quickstart ? QUICKSTARTS[values.quickstart.toLowerCase()] : undefined;
  if (!q)
    return fail(
      values.quickstart
        ? `unknown quickstart '${values.quickstart}': use one of ${Object.keys(QUICKSTARTS).join(', ')}`
        : '--quickstart NAME is required (sluice datagen --help)',
    );
  const format = values.format?.toLowerCase();
  if (format !== undefined && !FORMATS.includes(format)) return fail(`--format must be one of json, avro, delimited; got '${values.format}'`);
  if (format === 'delimited' && q.nested) return fail(`${q.name} has nested fields, which the DELIMITED format cannot hold; use json or avro`);
  const num = (v: string | undefined, name: string, dflt: number): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got '${v}'`);
    return n;
  };
  let rate: number, iterations: number, seed: number;
  try {
    rate = num(values.rate, '--rate', 5);
    iterations = Math.floor(num(values.iterations, '--iterations', 1_000_000));
    seed = Math.floor(num(values.seed, '--seed', Math.floor(Math.random() * 2 ** 31)));
  } catch (e) {
    return fail((e as Error).message);
  }
  const topic = values.topic ?? q.topic;
  const ddl = quickstartDdl(q, topic, format ?? 'json');
  if (values['print-ddl']) {
    process.stdout.write(`${ddl}\n`);
    return 0;
  }
  const show = (r: GeneratedRecord) => {
    if (!values.quiet || values['dry-run']) process.stdout.write(`${r.key === undefined ? 'null' : String(r.key)} --> ${JSON.stringify(r.value)}\n`);
  };
  const generate = q.generator(new Random(seed));
  const asOnTopic = onTopic(q);
  const next = (now: number) => asOnTopic(generate(now));
  if (values['dry-run']) {
    for (let i = 0; i < iterations; i++) show(next(Date.now()));
    return 0;
  }
  const url = values.server ?? 'http://localhost:8088';
  let sink: Sink;
  try {
    sink = values['data-dir']
      ? await dataDirSink(values['data-dir'])
      : restSink(
          new SluiceClient(
            url,
            values.user !== undefined ? { user: values.user, password: values.password ?? '' } : undefined,
            values['ca-file'] !== undefined ? { ca: readFileSync(values['ca-file'], 'utf8') } : {},
          ),
        );
  } catch (e) {
    process.stderr.write(`sluice datagen: cannot open ${values['data-dir'] ?? values['ca-file']}: ${(e as Error).message}\n`);
    return 1;
  }
  let written = 0;
  let stopped = false;
  const onSignal = () => {
    stopped = true;
  };
  process.on('SIGINT', onSignal);
  try {
    const streamFormat = await sink.formatOf(topic);
    const wanted = format ?? 'json';
    if (streamFormat === undefined && wanted !== 'json') {
      throw new Error(`no stream reads topic '${topic}', so datagen cannot write ${wanted.toUpperCase()}; create one first:\n  ${ddl}`);
    }
    if (streamFormat !== undefined && format !== undefined && !sameFormat(streamFormat, format)) {
      throw new Error(`topic '${topic}' is read with VALUE_FORMAT '${streamFormat}', not '${format.toUpperCase()}'; drop --format, or write to another topic`);
    }
    const intervalMs = rate > 0 ? 1000 / rate : 0;
    const start = Date.now();
    while (written < iterations && !stopped) {
      // Everything due by now goes in one request (at most 500), then wait for the next one.
      const batch: GeneratedRecord[] = [];
      const now = Date.now();
      while (written + batch.length < iterations && batch.length < 500 && (intervalMs === 0 || start + (written + batch.length) * intervalMs <= now))
        batch.push(next(now));
      if (batch.length > 0) {
        await sink.write(topic, batch);
        written += batch.length;
        batch.forEach(show);
      }
      if (intervalMs > 0 && written < iterations) await sleep(Math.max(1, start + written * intervalMs - Date.now()));
    }
    process.stderr.write(`Wrote ${written} records to topic '${topic}'.\n`);
    return 0;
  } catch (e) {
    if (e instanceof MissingTopic) {
      process.stderr.write(`sluice datagen: topic '${topic}' does not exist at ${url}. Create a stream or table on it first, e.g.:\n  ${ddl}\n`);
    } else if (e instanceof ServerError || e instanceof UntrustedCertificateError) {
      process.stderr.write(`sluice datagen: ${e.message}\n`);
    } else process.stderr.write(`sluice datagen: ${describeError(e).replace(/^Error: /, '')}\n`);
    if (written > 0) process.stderr.write(`Wrote ${written} records to topic '${topic}'.\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    await sink.close();
  }
}
