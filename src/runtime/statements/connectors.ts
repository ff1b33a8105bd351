/**
 * The connector statements: CREATE SOURCE|SINK CONNECTOR, SHOW [SOURCE|SINK]
 * CONNECTORS, SHOW CONNECTOR PLUGINS, DESCRIBE CONNECTOR and DROP CONNECTOR.
 * They go to the engine's {@link ConnectorService} (a Kafka Connect cluster or
 * the built-in connectors); what ksqlDB's executors add on top — IF [NOT]
 * EXISTS warnings, SOURCE/SINK filtering, the Sluice sources over a
 * connector's topics — lives here, so both services behave alike.
 */
import { assertNever } from '../../common/assert.js';
import { ErrorCode, PlanError } from '../../common/errors.js';
import type { Literal } from '../../parser/ast/expression.js';
import type { CreateConnector, DescribeConnector, DropConnector, ListConnectorPlugins, ListConnectors } from '../../parser/ast/index.js';
import { ConnectorError } from '../connectors/connector.js';
import type { StatementContext } from './context.js';
import type { StatementResult } from './statement-result.js';

/**
 * A config value as ksqlDB hands it to Connect: the literal's Java
 * `toString()` (`'x'` → `x`, `1` → `1`, `true` → `true`, `1.5E3` → `1500.0`).
 */
export function connectorConfigValue(l: Literal): string {
  switch (l.literalType) {
    case 'STRING':
    case 'DECIMAL':
      return String(l.value);
    case 'BOOLEAN':
      return l.value ? 'true' : 'false';
    case 'INTEGER':
      return String(l.value);
    case 'BIGINT':
      return l.digits ?? String(l.value);
    case 'DOUBLE':
      return javaDouble(Number(l.value));
    case 'NULL':
      // ksqlDB fails on it (a null has no toString); say so plainly.
      throw new PlanError('A connector property value cannot be NULL.', l.pos);
    default:
      return assertNever(l.literalType, 'literal type');
  }
}

/** Java's `Double.toString`: plain with at least one decimal between 1e-3 and 1e7, else `d.dddE±n`. */
function javaDouble(d: number): string {
  if (!Number.isFinite(d)) return Number.isNaN(d) ? 'NaN' : d > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(d);
  if (d === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = d.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

/** The statement's config, every value a string; names as written (see `ConnectorProperty`). */
export function connectorConfig(s: CreateConnector): Record<string, string> {
  const config: Record<string, string> = {};
  for (const p of s.properties) config[p.name] = connectorConfigValue(p.value);
  return config;
}

export async function createConnector(ctx: StatementContext, s: CreateConnector): Promise<StatementResult> {
  const outcome = await ctx.connectors.create(s.name, connectorConfig(s), { ifNotExists: s.ifNotExists, replaying: ctx.replaying() });
  switch (outcome.kind) {
    case 'Created':
      return { kind: 'ConnectorInfo', statementText: s.text, info: outcome.info };
    case 'AlreadyExists':
      return { kind: 'Warning', statementText: s.text, message: `Connector ${outcome.name} already exists` };
    default:
      return assertNever(outcome, 'create outcome');
  }
}

export async function dropConnector(ctx: StatementContext, s: DropConnector): Promise<StatementResult> {
  if (await ctx.connectors.drop(s.name, { replaying: ctx.replaying() })) return { kind: 'DropConnector', statementText: s.text, name: s.name };
  if (s.ifExists) return { kind: 'Warning', statementText: s.text, message: `Connector '${s.name}' does not exist.` };
  // As ksqlDB answers when Connect has no such connector (DropConnectorExecutor: 404 → 40400).
  throw new ConnectorError(`Failed to drop connector: ${JSON.stringify({ error_code: 404, message: `Connector ${s.name} not found` })}`, ErrorCode.NOT_FOUND);
}

/**
 * SHOW [SOURCE|SINK] CONNECTORS. With a scope, connectors of the other type are
 * left out, and so are the ones that could not be described (type `unknown`),
 * whose warnings are kept (ksqlDB's ListConnectorsExecutor).
 */
export async function listConnectors(ctx: StatementContext, s: ListConnectors): Promise<StatementResult> {
  const { connectors, warnings } = await ctx.connectors.list();
  const want = s.scope?.toLowerCase();
  const shown = want === undefined ? connectors : connectors.filter((c) => c.type === want);
  return { kind: 'ConnectorList', statementText: s.text, connectors: shown, warnings };
}

export async function listConnectorPlugins(ctx: StatementContext, s: ListConnectorPlugins): Promise<StatementResult> {
  return { kind: 'ConnectorPlugins', statementText: s.text, plugins: await ctx.connectors.plugins() };
}

/** DESCRIBE CONNECTOR: the service's description, and the Sluice streams and tables over the connector's topics. */
export async function describeConnector(ctx: StatementContext, s: DescribeConnector): Promise<StatementResult> {
  const description = await ctx.connectors.describe(s.name);
  const topics = new Set(description.topics);
  const sources = ctx.catalog.allSources().filter((src) => topics.has(src.topic));
  return { kind: 'ConnectorDescription', statementText: s.text, description, sources };
}
