/**
 * AST → SQL printer. The output re-parses to an equal AST (ignoring `pos` and
 * `text`): identifiers that would not survive unquoted are back-quoted, and
 * operands are parenthesised wherever precedence requires.
 */
import { assertNever } from '../common/assert.js';
import type { Expression, Literal } from './ast/expression.js';
import type { Duration, Query, Relation, SelectItem, WindowExpression } from './ast/query.js';
import type { ColumnConstraint, ColumnDef, Property, Statement } from './ast/statement.js';
import type { TypeNode } from './ast/type-node.js';
import { KEYWORDS } from './lexer.js';

const PLAIN_IDENTIFIER = /^[A-Z_][A-Z0-9_@]*$/;
/** Type names that would be read back as primitive types. */
const PRIMITIVE_WORDS = new Set(['BOOLEAN', 'INT', 'INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'VARCHAR', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP']);

/** An identifier as SQL: bare when it reads back unchanged, else back-quoted. */
export function formatIdentifier(name: string): string {
  if (PLAIN_IDENTIFIER.test(name) && !KEYWORDS.has(name)) return name;
  return '`' + name.replaceAll('`', '``') + '`';
}

function quoteString(s: string): string {
  return "'" + s.replaceAll("'", "''") + "'";
}

// ---------- expressions ----------

/** Binding strength, loosest first; mirrors the grammar's rule chain. */
enum Prec {
  Or = 1,
  And = 2,
  Not = 3,
  Predicate = 4,
  Concat = 5,
  Additive = 6,
  Multiplicative = 7,
  Unary = 8,
  Primary = 9,
}

function precedence(e: Expression): Prec {
  switch (e.kind) {
    case 'Logical':
      return e.op === 'OR' ? Prec.Or : Prec.And;
    case 'Not':
      return Prec.Not;
    case 'Comparison':
    case 'IsNull':
    case 'Between':
    case 'InList':
    case 'Like':
      return Prec.Predicate;
    case 'Concat':
      return Prec.Concat;
    case 'Arithmetic':
      return e.op === '+' || e.op === '-' ? Prec.Additive : Prec.Multiplicative;
    case 'Unary':
      return Prec.Unary;
    case 'Lambda':
      return Prec.Or;
    case 'Literal':
    case 'ColumnRef':
    case 'Dereference':
    case 'Subscript':
    case 'SearchedCase':
    case 'SimpleCase':
    case 'Cast':
    case 'FunctionCall':
    case 'CreateStruct':
    case 'CreateArray':
    case 'CreateMap':
      return Prec.Primary;
    default:
      return assertNever(e, 'expression');
  }
}

/** `e` printed so that it parses at (at least) precedence `min`. */
function sub(e: Expression, min: Prec): string {
  const s = formatExpression(e);
  return precedence(e) < min ? `(${s})` : s;
}

function formatLiteral(l: Literal): string {
  switch (l.literalType) {
    case 'NULL':
      return 'NULL';
    case 'BOOLEAN':
      return l.value ? 'TRUE' : 'FALSE';
    case 'STRING':
      return quoteString(String(l.value));
    case 'DECIMAL':
      return String(l.value);
    case 'BIGINT':
      if (l.digits !== undefined) return l.digits;
      return typeof l.value === 'number' ? BigInt(Math.trunc(l.value)).toString() : String(l.value);
    case 'INTEGER':
      return typeof l.value === 'number' ? BigInt(Math.trunc(l.value)).toString() : String(l.value);
    case 'DOUBLE': {
      // Always with an exponent, so that it reads back as DOUBLE rather than DECIMAL.
      const s = Number(l.value).toExponential();
      return s.replace('e', 'E');
    }
    default:
      return assertNever(l.literalType, 'literal type');
  }
}

function isNumericLiteral(e: Expression): boolean {
  return e.kind === 'Literal' && (typeof e.value === 'number' || e.literalType === 'DECIMAL');
}

function formatArgs(args: readonly Expression[]): string {
  return args.map((a) => formatExpression(a)).join(', ');
}

/** Formats an expression as SQL that parses back to an equal expression. */
export function formatExpression(e: Expression): string {
  switch (e.kind) {
    case 'Literal':
      return formatLiteral(e);
    case 'ColumnRef':
      return e.source !== undefined ? `${formatIdentifier(e.source)}.${formatIdentifier(e.name)}` : formatIdentifier(e.name);
    case 'Dereference':
      return `${sub(e.base, Prec.Primary)}->${formatIdentifier(e.field)}`;
    case 'Subscript':
      return `${sub(e.base, Prec.Primary)}[${sub(e.index, Prec.Concat)}]`;
    case 'Unary': {
      // `-5` would read back as a negative literal and `--x` as a comment.
      const operand = sub(e.operand, Prec.Unary);
      const wrap = isNumericLiteral(e.operand) || operand.startsWith('-') || operand.startsWith('+');
      return wrap && !operand.startsWith('(') ? `${e.op}(${operand})` : `${e.op}${operand}`;
    }
    case 'Not':
      return `NOT ${sub(e.operand, Prec.Not)}`;
    case 'Arithmetic': {
      const p = precedence(e);
      return `${sub(e.left, p)} ${e.op} ${sub(e.right, p + 1)}`;
    }
    case 'Concat':
      return `${sub(e.left, Prec.Concat)} || ${sub(e.right, Prec.Additive)}`;
    case 'Comparison':
      return `${sub(e.left, Prec.Concat)} ${e.op} ${sub(e.right, Prec.Concat)}`;
    case 'Logical': {
      const p = precedence(e);
      return `${sub(e.left, p)} ${e.op} ${sub(e.right, p + 1)}`;
    }
    case 'IsNull':
      return `${sub(e.operand, Prec.Concat)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'Between':
      return `${sub(e.operand, Prec.Concat)} ${e.negated ? 'NOT ' : ''}BETWEEN ${sub(e.low, Prec.Concat)} AND ${sub(e.high, Prec.Concat)}`;
    case 'InList':
      return `${sub(e.operand, Prec.Concat)} ${e.negated ? 'NOT ' : ''}IN (${formatArgs(e.list)})`;
    case 'Like': {
      const esc = e.escape !== undefined ? ` ESCAPE ${quoteString(e.escape)}` : '';
      return `${sub(e.operand, Prec.Concat)} ${e.negated ? 'NOT ' : ''}LIKE ${sub(e.pattern, Prec.Concat)}${esc}`;
    }
    case 'SearchedCase':
    case 'SimpleCase': {
      const operand = e.kind === 'SimpleCase' ? ` ${sub(e.operand, Prec.Concat)}` : '';
      const whens = e.whens.map((w) => ` WHEN ${formatExpression(w.when)} THEN ${formatExpression(w.then)}`).join('');
      const elseExpr = e.else ? ` ELSE ${formatExpression(e.else)}` : '';
      return `CASE${operand}${whens}${elseExpr} END`;
    }
    case 'Cast':
      return `CAST(${formatExpression(e.operand)} AS ${formatType(e.type)})`;
    case 'FunctionCall': {
      const name = formatFunctionName(e.name);
      if (e.star && e.args.length === 0) return `${name}(*)`;
      return `${name}(${e.distinct ? 'DISTINCT ' : ''}${formatArgs(e.args)})`;
    }
    case 'CreateStruct':
      return `STRUCT(${e.fields.map((f) => `${formatIdentifier(f.name)} := ${formatExpression(f.value)}`).join(', ')})`;
    case 'CreateArray':
      return `ARRAY[${formatArgs(e.items)}]`;
    case 'CreateMap':
      return `MAP(${e.entries.map((en) => `${formatExpression(en.key)} := ${formatExpression(en.value)}`).join(', ')})`;
    case 'Lambda': {
      const params = e.params.map(formatIdentifier);
      const head = params.length === 1 ? (params[0] ?? '') : `(${params.join(', ')})`;
      return `${head} => ${formatExpression(e.body)}`;
    }
    default:
      return assertNever(e, 'expression');
  }
}

/** Function names are case-insensitive: bare unless they clash with a keyword. */
function formatFunctionName(name: string): string {
  return formatIdentifier(name.toUpperCase());
}

// ---------- types ----------

/** Formats a type as SQL. */
export function formatType(t: TypeNode): string {
  switch (t.kind) {
    case 'Primitive':
      return t.name;
    case 'Decimal':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'Array':
      return `ARRAY<${formatType(t.item)}>`;
    case 'Map':
      return `MAP<${formatType(t.key)}, ${formatType(t.value)}>`;
    case 'Struct':
      return `STRUCT<${t.fields.map((f) => `${formatIdentifier(f.name)} ${formatType(f.type)}`).join(', ')}>`;
    case 'Custom':
      return PRIMITIVE_WORDS.has(t.name) ? '`' + t.name + '`' : formatIdentifier(t.name);
    default:
      return assertNever(t, 'type');
  }
}

// ---------- queries ----------

function formatDuration(d: Duration): string {
  return `${d.value} ${d.unit}`;
}

function formatSelectItem(s: SelectItem): string {
  switch (s.kind) {
    case 'AllColumns':
      return s.source !== undefined ? `${formatIdentifier(s.source)}.*` : '*';
    case 'SingleColumn':
      return s.alias !== undefined ? `${formatExpression(s.expr)} AS ${formatIdentifier(s.alias)}` : formatExpression(s.expr);
    case 'StructAll':
      return `${sub(s.base, Prec.Primary)}->*`;
    default:
      return assertNever(s, 'select item');
  }
}

function formatRelation(r: Relation): string {
  switch (r.kind) {
    case 'AliasedSource':
      return r.alias !== undefined ? `${formatIdentifier(r.name)} ${formatIdentifier(r.alias)}` : formatIdentifier(r.name);
    case 'Join': {
      let within = '';
      if (r.within) {
        const w = r.within;
        const same = w.before.value === w.after.value && w.before.unit === w.after.unit;
        within = same ? ` WITHIN ${formatDuration(w.before)}` : ` WITHIN (${formatDuration(w.before)}, ${formatDuration(w.after)})`;
        if (w.grace) within += ` GRACE PERIOD ${formatDuration(w.grace)}`;
      }
      const type = r.joinType === 'INNER' ? 'INNER' : `${r.joinType} OUTER`;
      return `${formatRelation(r.left)} ${type} JOIN ${formatRelation(r.right)}${within} ON ${formatExpression(r.on)}`;
    }
    default:
      return assertNever(r, 'relation');
  }
}

function formatWindow(w: WindowExpression): string {
  const tail = (w.retention ? `, RETENTION ${formatDuration(w.retention)}` : '') + (w.grace ? `, GRACE PERIOD ${formatDuration(w.grace)}` : '');
  switch (w.kind) {
    case 'Tumbling':
      return `TUMBLING (SIZE ${formatDuration(w.size)}${tail})`;
    case 'Hopping':
      return `HOPPING (SIZE ${formatDuration(w.size)}, ADVANCE BY ${formatDuration(w.advance)}${tail})`;
    case 'Session':
      return `SESSION (${formatDuration(w.gap)}${tail})`;
    default:
      return assertNever(w, 'window');
  }
}

/** Formats a query. GROUP BY / PARTITION BY lists are always parenthesised. */
export function formatQuery(q: Query): string {
  const parts = [`SELECT ${q.select.map(formatSelectItem).join(', ')}`, `FROM ${formatRelation(q.from)}`];
  if (q.window) parts.push(`WINDOW ${formatWindow(q.window)}`);
  if (q.where) parts.push(`WHERE ${formatExpression(q.where)}`);
  if (q.groupBy) parts.push(`GROUP BY ${formatGrouping(q.groupBy)}`);
  if (q.partitionBy) parts.push(`PARTITION BY ${formatGrouping(q.partitionBy)}`);
  if (q.having) parts.push(`HAVING ${formatExpression(q.having)}`);
  if (q.emit) parts.push(`EMIT ${q.emit}`);
  if (q.limit !== undefined) parts.push(`LIMIT ${q.limit}`);
  return parts.join(' ');
}

function formatGrouping(list: readonly Expression[]): string {
  return list.length === 1 ? formatArgs(list) : `(${formatArgs(list)})`;
}

// ---------- statements ----------

function formatProperties(props: readonly Property[]): string {
  if (props.length === 0) return '';
  const items = props.map((p) => {
    const name = PLAIN_IDENTIFIER.test(p.name) ? formatIdentifier(p.name) : quoteString(p.name);
    return `${name}=${formatLiteral(p.value)}`;
  });
  return ` WITH (${items.join(', ')})`;
}

function formatConstraint(c: ColumnConstraint): string {
  switch (c.kind) {
    case 'Key':
      return ' KEY';
    case 'PrimaryKey':
      return ' PRIMARY KEY';
    case 'Headers':
      return ' HEADERS';
    case 'Header':
      return ` HEADER(${quoteString(c.key)})`;
    default:
      return assertNever(c, 'column constraint');
  }
}

function formatColumn(c: ColumnDef): string {
  return `${formatIdentifier(c.name)} ${formatType(c.type)}${c.constraint ? formatConstraint(c.constraint) : ''}`;
}

function createHead(s: { orReplace: boolean; sourceType: string; ifNotExists: boolean; name: string }, source: boolean): string {
  return `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${source ? 'SOURCE ' : ''}${s.sourceType} ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatIdentifier(s.name)}`;
}

/** Formats a statement as SQL (no trailing `;`) that parses back to an equal AST. */
export function formatStatement(s: Statement): string {
  switch (s.kind) {
    case 'CreateSource': {
      const cols = s.columns.length > 0 ? ` (${s.columns.map(formatColumn).join(', ')})` : '';
      return `${createHead(s, s.isSource)}${cols}${formatProperties(s.properties)}`;
    }
    case 'CreateAsSelect':
      return `${createHead(s, false)}${formatProperties(s.properties)} AS ${formatQuery(s.query)}`;
    case 'InsertInto':
      return `INSERT INTO ${formatIdentifier(s.target)}${formatProperties(s.properties)} ${formatQuery(s.query)}`;
    case 'InsertValues': {
      const cols = s.columns ? ` (${s.columns.map(formatIdentifier).join(', ')})` : '';
      return `INSERT INTO ${formatIdentifier(s.target)}${cols} VALUES (${formatArgs(s.values)})`;
    }
    case 'QueryStatement':
      return formatQuery(s.query);
    case 'DropSource':
      return `DROP ${s.sourceType} ${s.ifExists ? 'IF EXISTS ' : ''}${formatIdentifier(s.name)}${s.deleteTopic ? ' DELETE TOPIC' : ''}`;
    case 'Terminate':
      return `TERMINATE ${s.queryId !== undefined ? formatIdentifier(s.queryId) : 'ALL'}`;
    case 'Show':
      return `SHOW ${s.all ? 'ALL ' : ''}${s.what}${s.extended ? ' EXTENDED' : ''}`;
    case 'Describe':
      return `DESCRIBE ${formatIdentifier(s.name)}${s.extended ? ' EXTENDED' : ''}`;
    case 'DescribeFunction':
      return `DESCRIBE FUNCTION ${formatIdentifier(s.name)}`;
    case 'Explain':
      return `EXPLAIN ${s.statement ? formatStatement(s.statement) : formatIdentifier(s.queryId ?? '')}`;
    case 'SetProperty':
      return `SET ${quoteString(s.name)}=${quoteString(s.value)}`;
    case 'UnsetProperty':
      return `UNSET ${quoteString(s.name)}`;
    case 'CreateType':
      return `CREATE TYPE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatIdentifier(s.name)} AS ${formatType(s.type)}`;
    case 'DropType':
      return `DROP TYPE ${s.ifExists ? 'IF EXISTS ' : ''}${formatIdentifier(s.name)}`;
    case 'Print': {
      const opts =
        (s.fromBeginning ? ' FROM BEGINNING' : '') +
        (s.interval !== undefined ? ` INTERVAL ${s.interval}` : '') +
        (s.limit !== undefined ? ` LIMIT ${s.limit}` : '');
      return `PRINT ${quoteString(s.topic)}${opts}`;
    }
    case 'Define':
      return `DEFINE ${formatVariableName(s.name)} = ${quoteString(s.value)}`;
    case 'Undefine':
      return `UNDEFINE ${formatVariableName(s.name)}`;
    case 'PauseResume':
      return `${s.action} ${s.queryId !== undefined ? formatIdentifier(s.queryId) : 'ALL'}`;
    case 'AlterSystem':
      return `ALTER SYSTEM ${quoteString(s.name)}=${quoteString(s.value)}`;
    case 'AlterSource':
      return `ALTER ${s.sourceType} ${formatIdentifier(s.name)} ${s.columns.map((c) => `ADD COLUMN ${formatColumn(c)}`).join(', ')}`;
    case 'AssertTopic':
      return `ASSERT ${s.exists ? '' : 'NOT EXISTS '}TOPIC ${quoteString(s.topic)}${formatProperties(s.properties)}${formatTimeout(s.timeoutMs)}`;
    case 'AssertSchema': {
      const subject = s.subject !== undefined ? ` SUBJECT ${quoteString(s.subject)}` : '';
      const id = s.id !== undefined ? ` ID ${s.id}` : '';
      return `ASSERT ${s.exists ? '' : 'NOT EXISTS '}SCHEMA${subject}${id}${formatTimeout(s.timeoutMs)}`;
    }
    case 'AssertValues': {
      const cols = s.columns ? ` (${s.columns.map(formatIdentifier).join(', ')})` : '';
      const [head, values] = s.tombstone ? ['ASSERT NULL VALUES', 'KEY'] : ['ASSERT VALUES', 'VALUES'];
      return `${head} ${formatIdentifier(s.target)}${cols} ${values} (${formatArgs(s.values)})`;
    }
    case 'AssertSource': {
      const cols = s.columns.length > 0 ? ` (${s.columns.map(formatColumn).join(', ')})` : '';
      return `ASSERT ${s.sourceType} ${formatIdentifier(s.name)}${cols}${formatProperties(s.properties)}`;
    }
    case 'CreateConnector': {
      const props = s.properties.map((p) => `${p.quoted ? quoteString(p.name) : formatIdentifier(p.name)}=${formatLiteral(p.value)}`);
      return `CREATE ${s.connectorType} CONNECTOR ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatIdentifier(s.name)} WITH (${props.join(', ')})`;
    }
    case 'ListConnectors':
      return `SHOW ${s.scope !== undefined ? `${s.scope} ` : ''}CONNECTORS`;
    case 'ListConnectorPlugins':
      return 'SHOW CONNECTOR PLUGINS';
    case 'DescribeConnector':
      return `DESCRIBE CONNECTOR ${formatIdentifier(s.name)}`;
    case 'DropConnector':
      return `DROP CONNECTOR ${s.ifExists ? 'IF EXISTS ' : ''}${formatIdentifier(s.name)}`;
    default:
      return assertNever(s, 'statement');
  }
}

/** The only connector property whose value ksqlDB's `QueryMask` shows; every other value may hold a credential. */
const UNMASKED_CONNECTOR_PROPERTIES = new Set(['connector.class']);

/**
 * A statement's text with its secrets masked, for everything that echoes or
 * logs it: CREATE … CONNECTOR reprinted with every property value but
 * `connector.class` as `'[string]'`, as ksqlDB's `QueryMask` does (a
 * connector's config is where passwords are). Undefined for statements shown
 * as written.
 */
export function maskedStatement(s: Statement): string | undefined {
  if (s.kind !== 'CreateConnector') return undefined;
  const props = s.properties.map((p) => {
    const key = p.quoted ? quoteString(p.name) : formatIdentifier(p.name);
    return `${key}=${UNMASKED_CONNECTOR_PROPERTIES.has(p.name.toLowerCase()) ? formatLiteral(p.value) : "'[string]'"}`;
  });
  return `CREATE ${s.connectorType} CONNECTOR ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatIdentifier(s.name)} WITH (${props.join(', ')})`;
}

function formatTimeout(ms: number | undefined): string {
  return ms === undefined ? '' : ` TIMEOUT ${ms} MILLISECONDS`;
}

/** Variable names are kept as written, so they are quoted only when not plain words. */
function formatVariableName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toUpperCase()) ? name : '`' + name.replaceAll('`', '``') + '`';
}
