import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { postJson, startTestServer } from './server-helpers.js';

/** ksqlDB's LagReportingAgent as `/clusterStatus` shows it: the latest `POST /lag` report per host. */
describe('POST /lag reports kept and shown by /clusterStatus', () => {
  let server: RunningServer;
  let url: string;
  let self: { host: string; port: number };
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    const u = new URL(url);
    self = { host: u.hostname, port: Number(u.port) };
  });
  afterAll(async () => {
    await server.close();
  });

  const lags = (offsetLag: number) => ({
    'CTAS_T_1#KsqlTopic-Reduce': { lagByPartition: { '0': { currentOffsetPosition: 10 - offsetLag, endOffsetPosition: 10, offsetLag } } },
  });

  async function hostStatus(): Promise<Record<string, { hostStoreLags: unknown }>> {
    const r = await fetch(`${url}/clusterStatus`);
    expect(r.status).toBe(200);
    return ((await r.json()) as { clusterStatus: Record<string, { hostStoreLags: unknown }> }).clusterStatus;
  }

  it('before any report, a host shows ksqlDB’s empty lags (no stores, updateTimeMs 0)', async () => {
    const status = await hostStatus();
    expect(status[`${self.host}:${self.port}`]!.hostStoreLags).toEqual({ stateStoreLags: {}, updateTimeMs: 0 });
  });

  it('a report for this host is shown as its hostStoreLags; an older one arriving later is ignored; a newer one replaces it', async () => {
    const key = `${self.host}:${self.port}`;
    const first = await postJson(`${url}/lag`, { ksqlHost: self, hostStoreLags: { stateStoreLags: lags(2), updateTimeMs: 2000 } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ isOk: true });
    expect((await hostStatus())[key]!.hostStoreLags).toEqual({ stateStoreLags: lags(2), updateTimeMs: 2000 });

    // Measured before the report held: out of order, ignored (but acknowledged, as ksqlDB does).
    const stale = await postJson(`${url}/lag`, { ksqlHost: self, hostStoreLags: { stateStoreLags: lags(9), updateTimeMs: 1000 } });
    expect(stale.body).toEqual({ isOk: true });
    expect((await hostStatus())[key]!.hostStoreLags).toEqual({ stateStoreLags: lags(2), updateTimeMs: 2000 });

    await postJson(`${url}/lag`, { ksqlHost: self, hostStoreLags: { stateStoreLags: lags(0), updateTimeMs: 3000 } });
    expect((await hostStatus())[key]!.hostStoreLags).toEqual({ stateStoreLags: lags(0), updateTimeMs: 3000 });
  });

  it('a report from a host this server does not know adds no host to /clusterStatus', async () => {
    await postJson(`${url}/lag`, { ksqlHost: { host: 'elsewhere', port: 8088 }, hostStoreLags: { stateStoreLags: lags(1), updateTimeMs: 5 } });
    expect(Object.keys(await hostStatus())).toEqual([`${self.host}:${self.port}`]);
  });
});

describe('/clusterStatus of a service (Kafka mode) with POST /lag reports', () => {
  it("shows a host's reported lags when they are at least as recent as its heartbeat's, else the heartbeat's", async () => {
    const engine = new Engine({ log: new MemoryLog(), autoPump: true });
    const heartbeatLags = {
      stateStoreLags: { CTAS_T_0: { lagByPartition: { '0': { currentOffsetPosition: 1, endOffsetPosition: 1, offsetLag: 0 } } } },
      updateTimeMs: 5000,
    };
    const status = (lastSeen: number) => ({
      hostAlive: true,
      lastStatusUpdateMs: lastSeen,
      activeStandbyPerQuery: {},
      hostStoreLags: { ...heartbeatLags, updateTimeMs: lastSeen },
    });
    // A service of two servers as the engine's heartbeats see it.
    const service = Object.create(engine) as Engine;
    service.clusterStatus = () => ({ 'a:8088': status(5000), 'b:8088': status(5000) });
    const server = await startServer({ engine: service, port: 0 });
    try {
      const newer = {
        stateStoreLags: { 'CTAS_T_0#agg': { lagByPartition: { '0': { currentOffsetPosition: 3, endOffsetPosition: 9, offsetLag: 6 } } } },
        updateTimeMs: 6000,
      };
      const older = { stateStoreLags: {}, updateTimeMs: 4000 };
      expect((await postJson(`${server.url}/lag`, { ksqlHost: { host: 'a', port: 8088 }, hostStoreLags: newer })).status).toBe(200);
      expect((await postJson(`${server.url}/lag`, { ksqlHost: { host: 'b', port: 8088 }, hostStoreLags: older })).status).toBe(200);
      const body = (await (await fetch(`${server.url}/clusterStatus`)).json()) as {
        clusterStatus: Record<string, { hostStoreLags: unknown; hostAlive: boolean }>;
      };
      expect(body.clusterStatus['a:8088']).toEqual({ ...status(5000), hostStoreLags: newer });
      expect(body.clusterStatus['b:8088']).toEqual(status(5000));
    } finally {
      await server.close();
    }
  });
});
