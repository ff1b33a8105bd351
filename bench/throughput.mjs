// Child process for one throughput scenario:
//   node bench/throughput.mjs <scenario> <records> <keys> [--no-baseline] [--cache=BYTES] [--profile=FILE]
// --profile writes a .cpuprofile of the timed pump only (no setup or data generation in it).
// --cache sets the query's cache.max.bytes.buffering (default ksqlDB's 10 MB; 0: every update is output).
// Writes the input into a fresh embedded log, runs the hand-written baseline over
// the same bytes, then times `engine.pumpAll()` for the persistent query. Prints
// one JSON line with the figures.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { Engine } from '../dist/src/runtime/engine/engine.js';
import { fill, timed } from './gen.mjs';
import { SCENARIOS } from './scenarios.mjs';

const [name, nArg, keysArg, ...flags] = process.argv.slice(2);
const n = Number(nArg);
const keys = Number(keysArg);
const make = SCENARIOS[name];
if (!make) throw new Error(`unknown scenario ${name}`);
const sc = make(n, keys);
const gc = globalThis.gc ?? (() => {});

const dataDir = mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), `sluice-bench-${name}-`));
try {
  const engine = await Engine.open({ dataDir, autoPump: false });
  await engine.execute(sc.ddl.join('\n'));
  const t0 = performance.now();
  // A join's table is written and consumed by the query before the timed input exists.
  for (const p of sc.preload ?? []) await fill(engine.log, p.topic, p.gen());
  const cache = flags.find((f) => f.startsWith('--cache='))?.slice('--cache='.length);
  const properties = { 'auto.offset.reset': 'earliest', ...(cache !== undefined ? { 'cache.max.bytes.buffering': cache } : {}) };
  await engine.execute(sc.sql, { properties });
  await engine.pumpAll();
  const sinkBefore = await engine.log.endOffset(sc.sink, 0);
  let bytes = 0;
  for (const i of sc.inputs) bytes += await fill(engine.log, i.topic, i.gen());
  const genMs = performance.now() - t0;

  // Baseline over the very records the engine will read.
  let baseline;
  if (!flags.includes('--no-baseline')) {
    const read = async (topic) => {
      const end = await engine.log.endOffset(topic, 0);
      return engine.log.read(topic, 0, 0, end);
    };
    const preloaded = [];
    for (const p of sc.preload ?? []) for (const r of await read(p.topic)) preloaded.push(r);
    const records = [];
    for (const i of sc.inputs) for (const r of await read(i.topic)) records.push(r);
    gc();
    const b0 = performance.now();
    const outputs = sc.baseline(records, preloaded);
    const ms = performance.now() - b0;
    baseline = { ms, recordsPerSec: (records.length / ms) * 1000, outputs };
    records.length = 0;
  }

  gc();
  // GC pauses while pumping, by kind: scavenges (young generation) vs mark-compact (old).
  const gcMs = { scavenge: 0, markCompact: 0, incremental: 0, other: 0 };
  const addGc = (list) => {
    for (const e of list.getEntries()) {
      const kind = e.detail?.kind;
      const k =
        kind === constants.NODE_PERFORMANCE_GC_MINOR
          ? 'scavenge'
          : kind === constants.NODE_PERFORMANCE_GC_MAJOR
            ? 'markCompact'
            : kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL
              ? 'incremental'
              : 'other';
      gcMs[k] += e.duration;
    }
  };
  const gcObserver = new PerformanceObserver(addGc);
  gcObserver.observe({ entryTypes: ['gc'] });
  // --marks: brackets the timed part for a `--trace-gc-nvp` log on the same stdout.
  const marks = flags.includes('--marks');
  if (marks) process.stdout.write('#pump-start\n');
  // --profile=FILE: a CPU profile of the timed part only (read it with profile-summary.mjs).
  const prof = flags.find((f) => f.startsWith('--profile='))?.slice('--profile='.length);
  const session = prof ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
  const { ms, peakRssMb } = await timed(() => engine.pumpAll());
  const cpu = process.cpuUsage(cpu0);
  if (marks) process.stdout.write('#pump-end\n');
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(prof, JSON.stringify(profile));
    session.disconnect();
  }
  addGc({ getEntries: () => gcObserver.takeRecords() });
  gcObserver.disconnect();
  const outputs = (await engine.log.endOffset(sc.sink, 0)) - sinkBefore;
  const errors = engine.processingLog.length;
  const records = sc.inputs.length === 1 ? await engine.log.endOffset(sc.inputs[0].topic, 0) : n;
  await engine.close();
  const result = {
    scenario: name,
    records,
    keys: sc.keys,
    bytes,
    genMs,
    ms,
    recordsPerSec: (records / ms) * 1000,
    // CPU time of the whole process (all threads) while pumping: steadier than wall time on a shared machine.
    cpuMs: (cpu.user + cpu.system) / 1000,
    cpuUsPerRecord: (cpu.user + cpu.system) / records,
    gcMs,
    mbPerSec: (bytes / 1e6 / ms) * 1000,
    outputs,
    processingLogEntries: errors,
    peakRssMb,
    baseline,
    ratio: baseline ? ((records / ms) * 1000) / baseline.recordsPerSec : undefined,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
