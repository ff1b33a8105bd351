import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { postJson, startTestServer } from './server-helpers.js';

/** ksqlDB's ServerMetadataResource (`/v1/metadata`, `/v1/metadata/id`) and LagReportingResource (`POST /lag`). */
describe('/v1/metadata, /v1/metadata/id and /lag', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer({ version: '0.9.9', serviceId: 'svc_' }));
  });
  afterAll(async () => {
    await server.close();
  });

  const clusterId = { id: '', scope: { path: [], clusters: { 'kafka-cluster': 'sluice-embedded-log', 'ksql-cluster': 'svc_' } } };

  it('/v1/metadata gives the version and the cluster id', async () => {
    const r = await fetch(`${url}/v1/metadata`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ version: '0.9.9', clusterId });
  });

  it('/v1/metadata/id gives the cluster id alone', async () => {
    const r = await fetch(`${url}/v1/metadata/id`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual(clusterId);
  });

  it('POST /lag acknowledges a lag report', async () => {
    const r = await postJson(`${url}/lag`, {
      ksqlHost: { host: 'other', port: 8088 },
      hostStoreLags: {
        stateStoreLags: { 'CTAS_T_1#KsqlTopic-Reduce': { lagByPartition: { '0': { currentOffsetPosition: 5, endOffsetPosition: 7, offsetLag: 2 } } } },
        updateTimeMs: 1,
      },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ isOk: true });
  });

  it('POST /lag refuses a report without a host', async () => {
    const r = await postJson(`${url}/lag`, { hostStoreLags: { stateStoreLags: {}, updateTimeMs: 1 } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ '@type': 'generic_error', error_code: 40000, message: 'Field "ksqlHost" is required and must be a JSON object.' });
  });
});
