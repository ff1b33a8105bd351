/** An in-memory schema registry (ids from 1, deduplicated by schema text). */
import type { SchemaRegistry } from './serde-types.js';

/** In-memory {@link SchemaRegistry}: what the test runner and a single engine need. */
export class InMemorySchemaRegistry implements SchemaRegistry {
  private readonly byId = new Map<number, unknown>();
  private readonly byText = new Map<string, number>();
  private nextId = 1;

  register(schema: unknown): number {
    const text = JSON.stringify(schema);
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    const id = this.nextId++;
    this.byText.set(text, id);
    this.byId.set(id, JSON.parse(text) as unknown);
    return id;
  }

  getSchema(id: number): unknown {
    return this.byId.get(id);
  }
}
