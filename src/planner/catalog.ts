import type { SqlType } from '../common/types.js';
import type { DataSource } from './data-source.js';

/**
 * The metastore: streams, tables and custom types by upper-case name. The planner
 * reads it; the engine changes it when a statement is executed.
 */
export class Catalog {
  private readonly sources = new Map<string, DataSource>();
  readonly types = new Map<string, SqlType>();

  getSource(name: string): DataSource | undefined {
    return this.sources.get(name);
  }
  putSource(source: DataSource): void {
    this.sources.set(source.name, source);
  }
  dropSource(name: string): boolean {
    return this.sources.delete(name);
  }
  allSources(): readonly DataSource[] {
    return [...this.sources.values()];
  }
}
