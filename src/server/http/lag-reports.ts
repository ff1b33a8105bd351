/**
 * The state-store lag reports other servers send to `POST /lag` (ksqlDB's
 * LagReportingAgent receiving a `LagReportingMessage`): the latest report per
 * host, shown by `/clusterStatus` as that host's `hostStoreLags`.
 */

/** ksqlDB's `HostStoreLags`: lag per state store (`<query application id>#<store>`) and partition, and when it was measured. */
export interface HostStoreLags {
  readonly stateStoreLags: Readonly<Record<string, unknown>>;
  readonly updateTimeMs: number;
}

/** ksqlDB's empty `HostStoreLags`: what a host shows before any report of it arrived. */
export const EMPTY_HOST_STORE_LAGS: HostStoreLags = { stateStoreLags: {}, updateTimeMs: 0 };

/** Hosts whose reports are kept at most; past it the host heard from longest ago is forgotten. */
const MAX_HOSTS = 1000;

/**
 * The latest lag report of each host (`host:port`), with ksqlDB's rule for
 * reports that arrive out of order: one measured before the report held
 * (`updateTimeMs` older) is ignored; an equal or later one replaces it.
 */
export class LagReports {
  private readonly byHost = new Map<string, HostStoreLags>();

  /** Keeps `lags` as host `host:port`'s report unless a later one is held; returns whether it was kept. */
  receive(host: string, port: number, lags: HostStoreLags): boolean {
    const key = `${host}:${port}`;
    const held = this.byHost.get(key);
    if (held && held.updateTimeMs > lags.updateTimeMs) return false;
    this.byHost.delete(key);
    this.byHost.set(key, { stateStoreLags: lags.stateStoreLags, updateTimeMs: lags.updateTimeMs });
    if (this.byHost.size > MAX_HOSTS) this.byHost.delete(this.byHost.keys().next().value!);
    return true;
  }

  /** Host `key`'s (`host:port`) latest report, or undefined when none arrived. */
  get(key: string): HostStoreLags | undefined {
    return this.byHost.get(key);
  }
}
