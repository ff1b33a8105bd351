/**
 * `sluice server` as deployments start it: configured from the environment
 * (SLUICE_… flags, ksqlDB's KSQL_… properties, `listeners`), several on one
 * machine (the embedded Schema Registry's default 8081 taken), and port clashes
 * reported by listener and flag. Real server processes throughout.
 */
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { propertiesFromEnv, propertyOfKsqlVariable } from '../cli/server-env.js';
import { DIST, describeIf } from './helpers/describe-if.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { runSluiceAsync, tempDir } from './repl-helpers.js';

/** A listener on a free port, held until closed. */
async function holdPort(port = 0): Promise<net.Server | undefined> {
  const s = net.createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

function portOf(s: net.Server): number {
  return (s.address() as net.AddressInfo).port;
}

/** A port no one listens on right now (bound, then released for the server to take). */
async function freePort(): Promise<number> {
  const s = (await holdPort())!;
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

async function serviceId(url: string): Promise<string> {
  const res = await fetch(`${url}/info`);
  return ((await res.json()) as { KsqlServerInfo: { ksqlServiceId: string } }).KsqlServerInfo.ksqlServiceId;
}

/** Runs `sluice server` expecting it to refuse to start; its data directory is removed after. */
async function serverFails(args: readonly string[], env: Record<string, string> = {}) {
  const dataDir = tempDir('sluice-clash-');
  try {
    return await runSluiceAsync(['server', '--data-dir', dataDir, ...args], { env, timeoutMs: 60_000 });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('KSQL_ variables name properties as in ksqlDB Docker images', () => {
  it('maps _ to ., __ to _, ___ to - and lower-cases', () => {
    expect(propertyOfKsqlVariable('KSQL_KSQL_STREAMS_AUTO_OFFSET_RESET')).toBe('ksql.streams.auto.offset.reset');
    expect(propertyOfKsqlVariable('KSQL_LISTENERS')).toBe('listeners');
    expect(propertyOfKsqlVariable('KSQL_SLUICE_SERVER_MAX__X')).toBe('sluice.server.max_x');
    expect(propertyOfKsqlVariable('KSQL_SOME___DASHED_NAME')).toBe('some-dashed.name');
  });

  it('skips the JVM variables and lets KSQL_OPTS -D… win', () => {
    expect(propertyOfKsqlVariable('KSQL_HEAP_OPTS')).toBeUndefined();
    expect(propertyOfKsqlVariable('KSQL_LOG4J_ROOT_LOGLEVEL')).toBeUndefined();
    expect(propertiesFromEnv({ KSQL_KSQL_SERVICE_ID: 'a', KSQL_OPTS: '-Xmx1g -Dksql.service.id=b -Dauto.offset.reset=earliest', PATH: '/bin' })).toEqual({
      'ksql.service.id': 'b',
      'auto.offset.reset': 'earliest',
    });
  });
});

describeIf(BUNDLE_BUILT, DIST)('sluice server configured from the environment', () => {
  const started: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it('takes SLUICE_ flags, KSQL_ properties and KSQL_LISTENERS', async () => {
    const s = await startServerProcess(
      {},
      { bare: true, env: { KSQL_LISTENERS: 'http://127.0.0.1:0', SLUICE_NO_SCHEMA_REGISTRY: 'true', KSQL_KSQL_SERVICE_ID: 'from_env' } },
    );
    started.push(s);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.stdout()).not.toContain('Schema Registry');
    expect(await serviceId(s.url)).toBe('from_env');
  }, 60_000);

  it('lets flags win over SLUICE_ variables and KSQL_ properties', async () => {
    const s = await startServerProcess(
      {},
      {
        bare: true,
        args: ['--port', '0', '--service-id', 'from_flag'],
        env: { SLUICE_PORT: '1', SLUICE_NO_SCHEMA_REGISTRY: 'yes', KSQL_KSQL_SERVICE_ID: 'from_env' },
      },
    );
    started.push(s);
    expect(await serviceId(s.url)).toBe('from_flag');
  }, 60_000);

  it('refuses a SLUICE_ boolean that is not true or false, naming the variable', async () => {
    const r = await serverFails(['--port', '0'], { SLUICE_NO_SCHEMA_REGISTRY: 'maybe' });
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe("sluice server: SLUICE_NO_SCHEMA_REGISTRY must be true or false, got 'maybe'");
  }, 60_000);

  it('refuses more than one listener in listeners', async () => {
    const r = await serverFails(['--no-schema-registry'], { KSQL_LISTENERS: 'http://0.0.0.0:8088,http://0.0.0.0:8089' });
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe("sluice server: listeners: Sluice serves one listener, got 2 ('http://0.0.0.0:8088,http://0.0.0.0:8089')");
  }, 60_000);
});

describeIf(BUNDLE_BUILT, DIST)('sluice server ports', () => {
  const started: ServerProcess[] = [];
  const held: net.Server[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
  });

  it('starts two servers with default flags but --port: the second registry takes a free port and says so', async () => {
    // Whoever holds 8081 (the first server, or something else on this machine), the second must start.
    const first = await startServerProcess({}, { bare: true, schemaRegistry: true, args: ['--port', String(await freePort())] });
    started.push(first);
    const second = await startServerProcess({}, { bare: true, schemaRegistry: true, args: ['--port', String(await freePort())] });
    started.push(second);
    expect(second.registryUrl).not.toBe(first.registryUrl);
    expect(second.stdout()).toContain('(port 8081 is in use; --schema-registry-port chooses the port)');
    for (const s of [first, second]) {
      const res = await fetch(`${s.registryUrl}/subjects`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
      expect(await serviceId(s.url)).toBe('default_');
    }
  }, 60_000);

  it('names the REST API and --port when its port is taken', async () => {
    const h = (await holdPort())!;
    held.push(h);
    const r = await serverFails(['--port', String(portOf(h)), '--no-schema-registry']);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`sluice server: port ${portOf(h)} for the REST API (--port) is in use`);
  }, 60_000);

  it('names the variable or property that chose a taken port', async () => {
    const h = (await holdPort())!;
    held.push(h);
    const byEnv = await serverFails(['--no-schema-registry'], { SLUICE_PORT: String(portOf(h)) });
    expect(byEnv.err.trim()).toBe(`sluice server: port ${portOf(h)} for the REST API (SLUICE_PORT) is in use`);
    const byListeners = await serverFails(['--no-schema-registry'], { KSQL_LISTENERS: `http://127.0.0.1:${portOf(h)}` });
    expect(byListeners.err.trim()).toBe(`sluice server: port ${portOf(h)} for the REST API (listeners) is in use`);
    expect([byEnv.code, byListeners.code]).toEqual([1, 1]);
  }, 60_000);

  it('names the embedded Schema Registry and --schema-registry-port when its given port is taken', async () => {
    const h = (await holdPort())!;
    held.push(h);
    const r = await serverFails(['--port', '0', '--schema-registry-port', String(portOf(h))]);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`sluice server: port ${portOf(h)} for the embedded Schema Registry (--schema-registry-port) is in use`);
  }, 60_000);
});
