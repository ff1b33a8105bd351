/**
 * The state of a built-in connector's one task as DESCRIBE CONNECTOR shows it:
 * `RUNNING` while its runner loop goes on, `FAILED` with Connect's trace once it
 * stopped on an error, `UNASSIGNED` after it was stopped.
 */
export type TaskState = { readonly state: 'RUNNING' } | { readonly state: 'UNASSIGNED' } | { readonly state: 'FAILED'; readonly trace: string };

/** What every built-in runner (sink or source) offers the connector service. */
export interface ConnectorRunner {
  /** The topic it reads (sink) or writes (source). */
  readonly topic: string;
  readonly state: TaskState;
  /** Starts the loop (once). */
  start(): void;
  /** Ends the loop and closes the task; committed positions stay. */
  stop(): Promise<void>;
}
