import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
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
