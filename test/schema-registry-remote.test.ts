import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySchemaRegistry } from '../src/serde/schema-registry.js';
import { RemoteSchemaRegistry } from '../src/serde/remote-schema-registry.js';
import { createSerde } from '../src/serde/index.js';
import { startSchemaRegistryServer, type RunningSchemaRegistry } from '../src/server/schema-registry/index.js';
import { DIST, describeIf } from './helpers/describe-if.js';

const SCHEMA = { type: 'record', name: 'Ev', fields: [{ name: 'a', type: 'int' }] };
const SCHEMA2 = {
  type: 'record',
  name: 'Ev',
  fields: [
    { name: 'a', type: 'int' },
    { name: 'b', type: ['null', 'string'], default: null },
  ],
};

describe('RemoteSchemaRegistry, awaited calls (registry in this process)', () => {
  let sr: RunningSchemaRegistry;
  let backing: InMemorySchemaRegistry;
  beforeAll(async () => {
    backing = new InMemorySchemaRegistry();
    sr = await startSchemaRegistryServer({ registry: backing, port: 0 });
  });
  afterAll(() => sr.close());

  it('registerAsync and prefetch fill the cache; the synchronous calls then need no network', async () => {
    const remote = new RemoteSchemaRegistry({ url: sr.url, blockingFallback: false });
    const id = await remote.registerAsync(SCHEMA, { subject: 'ev-value' });
    expect(backing.getLatest('ev-value')?.id).toBe(id);
    expect(remote.register(SCHEMA, { subject: 'ev-value' })).toBe(id); // cache hit
    expect(remote.getSchema(id)).toEqual(SCHEMA);

    const other = backing.register(SCHEMA2, { subject: 'ev-value' });
    const cold = new RemoteSchemaRegistry({ url: sr.url, blockingFallback: false });
    expect(cold.getSchema(other)).toBeUndefined(); // not fetched yet, and no blocking fallback
    expect(() => cold.register(SCHEMA2, { subject: 'ev-value' })).toThrow(/blockingFallback/);
    const framed = Buffer.alloc(6);
    framed.writeInt32BE(other, 1);
    expect(cold.missingIds([framed, null])).toEqual([other]);
    await cold.prefetch({ ids: cold.missingIds([framed]), subjects: ['ev-value', 'nothing-value'] });
    expect(cold.getRegistered(other)).toMatchObject({ id: other, format: 'AVRO', schema: SCHEMA2 });
    expect(cold.getLatest('ev-value')?.id).toBe(other);
    expect(cold.getLatest('nothing-value')).toBeUndefined();

    // the remote side moves on; sync() refreshes the subjects looked up
    const third = backing.register({ ...SCHEMA2, doc: 'v3' }, { subject: 'ev-value' });
    expect(cold.getLatest('ev-value')?.id).toBe(other);
    await cold.sync();
    expect(cold.getLatest('ev-value')?.id).toBe(third);
  });

  it('reports registry errors (409 incompatible) with status and error code', async () => {
    const remote = new RemoteSchemaRegistry({ url: sr.url });
    await remote.registerAsync(SCHEMA, { subject: 'strict-value' });
    const broken = { type: 'record', name: 'Ev', fields: [{ name: 'a', type: 'string' }] };
    await expect(remote.registerAsync(broken, { subject: 'strict-value' })).rejects.toMatchObject({ status: 409, errorCode: 409 });
  });
});

const BIN = join(__dirname, '..', 'bin', 'sluice.js');
const BUILT = existsSync(join(__dirname, '..', 'dist', 'sluice.mjs'));

/** Starts `sluice server ARGS`; resolves once its output matches `ready`, rejects with the output if it exits first. */
function startCli(args: string[], ready: RegExp): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn(process.execPath, [BIN, 'server', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      if (ready.test(out)) resolve({ child, out: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

/** SIGTERMs the server and waits until it exited and its output is all read. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const closed = new Promise((r) => child.on('close', r));
  child.kill('SIGTERM');
  await closed;
}

describeIf(BUILT, DIST)('sluice server --schema-registry-port, and blocking RemoteSchemaRegistry calls against it', () => {
  let dir: string;
  let child: ChildProcess;
  let registryUrl: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-sr-'));
    const started = await startCli(['--port', '0', '--schema-registry-port', '0', '--data-dir', join(dir, 'data')], /Schema Registry listening on \S+\n/);
    child = started.child;
    registryUrl = /Schema Registry listening on (\S+)/.exec(started.out())![1]!;
  });
  afterAll(async () => {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the CLI serves the registry on its own port', async () => {
    const res = await fetch(`${registryUrl}/config`);
    expect(res.headers.get('content-type')).toBe('application/vnd.schemaregistry.v1+json');
    expect(await res.json()).toEqual({ compatibilityLevel: 'BACKWARD' });
  });

  it('synchronous calls that miss the cache block on the network and get the right answers', async () => {
    const remote = new RemoteSchemaRegistry({ url: registryUrl });
    try {
      const id = remote.register(SCHEMA, { subject: 'blocking-value' });
      expect(id).toBeGreaterThan(0);
      const cold = new RemoteSchemaRegistry({ url: registryUrl });
      expect(cold.getLatest('blocking-value')).toMatchObject({ id, format: 'AVRO', schema: SCHEMA });
      expect(cold.getSchema(id)).toEqual(SCHEMA);
      expect(cold.getSchema(987654)).toBeUndefined();
      // subject-less registration (what serdes do today) lands in a per-schema subject
      const anon = remote.register(SCHEMA2);
      const subjects = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
      expect(subjects.some((s) => s.startsWith('sluice-'))).toBe(true);
      expect(cold.getSchema(anon)).toEqual(SCHEMA2);
      // an AVRO serde over the remote registry: writes with the remote id, reads it back
      const serde = createSerde('AVRO', [{ name: 'A', type: { kind: 'INTEGER' as const } }], { isKey: false, schemaRegistry: remote });
      const bytes = serde.serialize([7])!;
      expect(cold.getSchema(bytes.readInt32BE(1))).toMatchObject({ type: 'record' });
      expect(createSerde('AVRO', [{ name: 'A', type: { kind: 'INTEGER' as const } }], { isKey: false, schemaRegistry: cold }).deserialize(bytes)).toEqual([7]);
      await cold.close();
    } finally {
      await remote.close();
    }
  });

  it('--no-schema-registry serves none', async () => {
    const other = await startCli(['--port', '0', '--no-schema-registry', '--data-dir', join(dir, 'data2')], /Sluice server listening on/);
    // Once it has exited, everything it printed on start-up has been read.
    await stop(other.child);
    expect(other.out()).toMatch(/Sluice server listening on/);
    expect(other.out()).not.toMatch(/Schema Registry listening/);
  });
});
