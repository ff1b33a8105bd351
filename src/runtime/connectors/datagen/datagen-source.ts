/**
 * The datagen quickstarts as a built-in source connector, configured with the
 * property names of Confluent's `kafka-connect-datagen`
 * (`io.confluent.kafka.connect.datagen.DatagenConnector`): `quickstart`,
 * `kafka.topic`, `max.interval`, `iterations`, `random.seed`. Records are what
 * `sluice datagen` writes: the key as text (Connect's StringConverter, ksqlDB's
 * default key converter) and the value as JSON with upper-case field names and
 * the key columns left out, so the quickstart's suggested DDL reads them.
 */
import type { BuiltinPlugin, SourceContext, SourceRecord, SourceTask } from '../builtin-plugin.js';
import { onTopic, QUICKSTARTS, type GeneratedRecord, type Quickstart } from './quickstarts.js';
import { Random } from './random.js';

/** The connector class `SHOW CONNECTOR PLUGINS` lists (Confluent's, so the same statement works on Kafka Connect). */
export const DATAGEN_CLASS = 'io.confluent.kafka.connect.datagen.DatagenConnector';

/** Confluent's default pause bound between two records, ms. */
const DEFAULT_MAX_INTERVAL_MS = 500;

/** A config's settings, checked. */
interface DatagenSettings {
  readonly quickstart: Quickstart;
  readonly topic: string;
  /** Each record waits a random time in [0, maxIntervalMs) after the one before; 0: as fast as polled. */
  readonly maxIntervalMs: number;
  /** Records to produce in all; ≤ 0: no end. */
  readonly iterations: number;
  readonly seed: number | undefined;
}

/**
 * Where a datagen task is, stored with the records it produced (Confluent's
 * offset names): records produced so far and the seed the data comes from.
 * A restart regenerates the first `current.iteration` records from the seed
 * without emitting them, so the sequence continues where it stopped (the
 * generators keep state such as order ids and fraud bursts).
 */
interface DatagenPosition {
  readonly 'task.generation': number;
  readonly 'current.iteration': number;
  readonly 'random.seed': number;
}

function integer(config: Readonly<Record<string, string>>, name: string, problems: string[], dflt: number): number {
  const raw = config[name];
  if (raw === undefined || raw.trim() === '') return dflt;
  const n = Number(raw.trim());
  if (!Number.isInteger(n)) {
    problems.push(`Invalid value ${raw} for configuration ${name}: Not a number of type ${name === 'iterations' ? 'INT' : 'LONG'}`);
    return dflt;
  }
  return n;
}

/** The settings of a config, or Connect-worded problems with it. */
function settings(config: Readonly<Record<string, string>>): { readonly settings?: DatagenSettings; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const topic = config['kafka.topic'];
  if (topic === undefined || topic.trim() === '') problems.push('Missing required configuration "kafka.topic" which has no default value.');
  for (const unsupported of ['schema.string', 'schema.filename']) {
    if ((config[unsupported] ?? '') !== '') {
      problems.push(`Invalid value ${config[unsupported]} for configuration ${unsupported}: Sluice's datagen has only the quickstarts; set quickstart instead`);
    }
  }
  const name = (config.quickstart ?? '').trim().toLowerCase();
  const quickstart = QUICKSTARTS[name];
  if (quickstart === undefined) {
    problems.push(
      name === ''
        ? 'Missing required configuration "quickstart" which has no default value.'
        : `Invalid value ${config.quickstart} for configuration quickstart: must be one of ${Object.keys(QUICKSTARTS).join(', ')}`,
    );
  }
  const maxIntervalMs = integer(config, 'max.interval', problems, DEFAULT_MAX_INTERVAL_MS);
  if (maxIntervalMs < 0) problems.push(`Invalid value ${maxIntervalMs} for configuration max.interval: Value must be at least 0`);
  const iterations = integer(config, 'iterations', problems, -1);
  const seedText = config['random.seed'];
  const seed = seedText === undefined || seedText.trim() === '' ? undefined : integer(config, 'random.seed', problems, 0);
  if (problems.length > 0 || quickstart === undefined || topic === undefined) return { problems };
  return { settings: { quickstart, topic, maxIntervalMs, iterations, seed }, problems };
}

function parsePosition(position: string | undefined): DatagenPosition | undefined {
  if (position === undefined) return undefined;
  const p = JSON.parse(position) as Partial<DatagenPosition>;
  if (typeof p['current.iteration'] !== 'number' || typeof p['random.seed'] !== 'number') throw new Error(`datagen: unreadable position ${position}`);
  return { 'task.generation': p['task.generation'] ?? 0, 'current.iteration': p['current.iteration'], 'random.seed': p['random.seed'] };
}

/**
 * A running datagen source. Each `poll` returns the records due by now (at
 * most `max`), each due a random time up to `max.interval` after the one
 * before, and stops for good after `iterations` records (Confluent's task
 * fails at that point instead; here the connector stays RUNNING and idle).
 */
export class DatagenSourceTask implements SourceTask {
  private readonly settings: DatagenSettings;
  private readonly now: () => number;
  private readonly pace: () => number;
  private next: ((now: number) => GeneratedRecord) | undefined;
  /** Records generated by `next` so far, and the seed and generation they belong to. */
  private count = 0;
  private seed = 0;
  private generation = 0;
  /** When the next record is due (epoch ms). */
  private due = 0;

  /**
   * `now` is the clock (epoch ms) and `pace` a number in [0, 1) scaling each
   * wait: injectable for tests, `Date.now` and `Math.random` otherwise.
   */
  constructor(config: Readonly<Record<string, string>>, now: () => number = Date.now, pace: () => number = Math.random) {
    const checked = settings(config);
    if (checked.settings === undefined) throw new Error(checked.problems.join('\n'));
    this.settings = checked.settings;
    this.now = now;
    this.pace = pace;
  }

  async poll(position: string | undefined, max: number): Promise<{ readonly records: readonly SourceRecord[]; readonly position: string | undefined }> {
    if (this.next === undefined) this.start(parsePosition(position));
    const { iterations, maxIntervalMs } = this.settings;
    const next = this.next!;
    const now = this.now();
    const records: SourceRecord[] = [];
    while (records.length < max && (iterations <= 0 || this.count < iterations) && this.due <= now) {
      const r = next(now);
      this.count++;
      records.push({
        key: r.key === undefined ? null : Buffer.from(String(r.key), 'utf8'),
        value: Buffer.from(JSON.stringify(r.value), 'utf8'),
        timestamp: now,
      });
      // Waits add up from when the previous record was due, so a late poll catches up (at most `max` at once).
      this.due += maxIntervalMs > 0 ? this.pace() * maxIntervalMs : 0;
    }
    const at: DatagenPosition = { 'task.generation': this.generation, 'current.iteration': this.count, 'random.seed': this.seed };
    return { records, position: records.length > 0 || position !== undefined ? JSON.stringify(at) : undefined };
  }

  async close(): Promise<void> {}

  /** Builds the generator from the stored position (regenerating what was already produced) or afresh. */
  private start(from: DatagenPosition | undefined): void {
    const { quickstart, seed } = this.settings;
    this.seed = from?.['random.seed'] ?? seed ?? Math.floor(Math.random() * 2 ** 31);
    this.generation = from === undefined ? 0 : from['task.generation'] + 1;
    const generate = quickstart.generator(new Random(this.seed));
    const asOnTopic = onTopic(quickstart);
    const next = (now: number) => asOnTopic(generate(now));
    const skip = from?.['current.iteration'] ?? 0;
    const now = this.now();
    for (let i = 0; i < skip; i++) next(now);
    this.count = skip;
    this.due = now;
    this.next = next;
  }
}

/** The built-in datagen source plugin (the registry lists it once). */
export const datagenSourcePlugin: BuiltinPlugin = {
  className: DATAGEN_CLASS,
  aliases: ['DatagenConnector', 'Datagen'],
  type: 'source',
  version: '1.0.0',
  validate: (config) => settings(config).problems,
  createSource: (config: Readonly<Record<string, string>>, _context: SourceContext) => new DatagenSourceTask(config),
};
