import { parseStatement } from '../../src/parser/index.js';
import { Catalog } from '../../src/planner/catalog.js';
import { planCreateSource } from '../../src/planner/ddl-planner.js';
import { type PhysicalPlan, toPhysical } from '../../src/planner/physical-plan.js';
import { planQuery } from '../../src/planner/query-planner.js';

/**
 * The physical plan of the persistent query `sql` (a CREATE … AS SELECT) over the
 * sources the `ddls` (CREATE STREAM/TABLE statements) declare, planned without an
 * engine: for tests of what the planner hands the runtime.
 */
export function planPersistent(ddls: readonly string[], sql: string): PhysicalPlan {
  const catalog = new Catalog();
  for (const ddl of ddls) {
    const s = parseStatement(ddl);
    if (s.kind !== 'CreateSource') throw new Error('not a CREATE');
    catalog.putSource(planCreateSource(s, catalog, { defaultKeyFormat: 'KAFKA' }, {}).source);
  }
  const s = parseStatement(sql);
  if (s.kind !== 'CreateAsSelect') throw new Error('not a CREATE … AS SELECT');
  const planned = planQuery(s.query, { catalog, sinkName: s.name, persistent: true });
  return toPhysical({ kind: 'Sink', input: planned.plan, target: { ...planned.sources[0]!, name: s.name, topic: s.name }, schema: planned.plan.schema });
}
