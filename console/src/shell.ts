import type { KsqlApi, StatementProperties } from './api.js';
import type { RunOutcome } from './results/results-panel.js';
import type { Tabs } from './tabs.js';

/**
 * What the console's parts may ask of the page: the API, the tabs below the
 * editor, and running a statement as if typed (results in the Results tab).
 * Parts get this instead of reaching into each other.
 */
export interface ConsoleShell {
  readonly api: KsqlApi;
  readonly tabs: Tabs;
  /** The left column (the browser of streams, tables, topics and queries). */
  readonly sidebar: HTMLElement;
  /** Runs one statement with the console's current properties (plus `extra`), showing its output in the Results tab. */
  run(sql: string, extra?: StatementProperties): Promise<RunOutcome>;
  /** The console's current per-statement properties (`auto.offset.reset`, …). */
  properties(): StatementProperties;
  /** Subscribes to "a statement ran" (to refresh lists after CREATE/DROP…). */
  onStatement(listener: (sql: string, outcome: RunOutcome) => void): void;
  /** Shows persistent query `queryId`'s topology in the Topology tab. */
  openTopology(queryId: string): void;
  /** Shows `content` in the Details tab. */
  showDetails(content: HTMLElement): void;
}
