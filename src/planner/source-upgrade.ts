/**
 * CREATE OR REPLACE of an existing stream or table: what may change, as ksqlDB's
 * StructuredDataSource.canUpgradeTo decides. The name, kind, topic (name, formats,
 * windowing) and timestamp column must stay; key columns must be identical; every
 * existing column must keep its name, type and position (new value columns may only
 * be appended).
 */
import { PlanError } from '../common/errors.js';
import type { Position } from '../common/position.js';
import { formatType } from '../common/types.js';
import type { DataSource } from './data-source.js';
import type { Column } from './schema.js';

/** Throws ksqlDB's "Cannot upgrade data source" error when `next` may not replace `existing`. */
export function checkSourceUpgrade(existing: DataSource, next: DataSource, pos: Position): void {
  const issues: string[] = [];
  const compat = (prop: string, was: string, now: string): string =>
    `DataSource '\`${existing.name}\`' has ${prop} = ${was} which is not upgradeable to ${now}`;
  const kind = (s: DataSource) => (s.sourceType === 'STREAM' ? 'KSTREAM' : 'KTABLE');
  if (kind(existing) !== kind(next)) issues.push(compat('type', kind(existing), kind(next)));
  if (topicOf(existing) !== topicOf(next)) issues.push(compat('topic', topicOf(existing), topicOf(next)));
  const ts = (s: DataSource) => (s.timestampColumn === undefined ? 'Optional.empty' : `Optional[\`${s.timestampColumn}\`]`);
  if (ts(existing) !== ts(next)) issues.push(compat('timestampColumn', ts(existing), ts(next)));
  const schemaIssue = schemaProblem(existing, next);
  if (schemaIssue !== undefined) issues.push(`${compat('schema', schemaText(existing), schemaText(next))}. (${schemaIssue})`);
  if (issues.length > 0) throw new PlanError(`Cannot upgrade data source: ${issues.join('\n\tAND ')}`, pos);
}

/** The topic with what decides how its records are read. */
function topicOf(s: DataSource): string {
  const w = s.window ? `, window=${s.window.type}${s.window.sizeMs !== undefined ? `(${s.window.sizeMs})` : ''}` : '';
  return `KsqlTopic{name=${s.topic}, keyFormat=${s.keyFormat.format}${w}, valueFormat=${s.valueFormat.format}}`;
}

function columnText(c: Column): string {
  return `\`${c.name}\` ${formatType(c.type)}${c.namespace === 'KEY' ? ' KEY' : c.namespace === 'HEADER' ? ' HEADERS' : ''}`;
}

function schemaText(s: DataSource): string {
  return [...s.schema.key, ...s.schema.value].map(columnText).join(', ');
}

/** Columns of `was` that `now` lacks at the same position with the same name and type. */
function missing(was: readonly Column[], now: readonly Column[]): Column[] {
  return was.filter((c, i) => {
    const n = now[i];
    return !n || n.name !== c.name || n.namespace !== c.namespace || formatType(n.type) !== formatType(c.type);
  });
}

function schemaProblem(existing: DataSource, next: DataSource): string | undefined {
  // Positions count within each namespace (key, value), as ksqlDB's Column index does.
  const keys = missing(existing.schema.key, next.schema.key);
  if (keys.length > 0)
    return `Key columns must be identical. The following key columns are changed, missing or reordered: [${keys.map(columnText).join(', ')}]`;
  const values = missing(existing.schema.value, next.schema.value);
  if (values.length > 0) return `The following columns are changed, missing or reordered: [${values.map(columnText).join(', ')}]`;
  return undefined;
}
