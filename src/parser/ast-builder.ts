/**
 * CST → AST for statements and queries. Expressions, types and literals are
 * built by {@link ExpressionBuilder}.
 */
import { tokenMatcher, type CstNode, type IToken } from 'chevrotain';
import { InternalError } from '../common/errors.js';
import type { Expression } from './ast/expression.js';
import type { AliasedSource, Duration, JoinType, JoinWithin, Query, Relation, SelectItem, WindowExpression } from './ast/query.js';
import type { ColumnConstraint, ColumnDef, ConnectorProperty, Property, Show, Statement } from './ast/statement.js';
import { ExpressionBuilder, identifierText, unquoteString } from './ast-builder-expr.js';
import { child, has, nodes, optNode, optToken, token } from './cst-access.js';
import * as T from './lexer.js';
import { syntaxError } from './parse-errors.js';

/** Builds the typed AST from the parser's CST. One instance per parsed text. */
export class AstBuilder extends ExpressionBuilder {
  /** Builds a `statement` CST node. */
  statement(node: CstNode): Statement {
    const [key, list] = Object.entries(node.children).find(([, v]) => v.length > 0) ?? [];
    const sub = list?.[0] as CstNode | undefined;
    if (!key || !sub) throw new InternalError('CST statement: empty');
    const base = { text: this.textOf(node), pos: this.posOf(node) };
    switch (key) {
      case 'query':
        return { kind: 'QueryStatement', query: this.query(sub), ...base };
      case 'createType':
        return {
          kind: 'CreateType',
          name: this.identifier(child(sub, 'identifier')),
          type: this.type(child(sub, 'type')),
          ifNotExists: has(sub, 'ifNotExists'),
          ...base,
        };
      case 'createSource':
        return this.createSource(sub, base);
      case 'insertStatement':
        return this.insert(sub, base);
      case 'dropType':
        return { kind: 'DropType', name: this.identifier(child(sub, 'identifier')), ifExists: has(sub, 'ifExists'), ...base };
      case 'dropSource':
        return {
          kind: 'DropSource',
          sourceType: sourceType(token(sub, 'sourceType')),
          name: this.identifier(child(sub, 'identifier')),
          ifExists: has(sub, 'ifExists'),
          deleteTopic: has(sub, 'deleteTopic'),
          ...base,
        };
      case 'terminate': {
        const id = optNode(sub, 'identifier');
        return id ? { kind: 'Terminate', queryId: this.identifier(id), ...base } : { kind: 'Terminate', ...base };
      }
      case 'show':
        return { kind: 'Show', what: showWhat(token(sub, 'what')), extended: has(sub, 'EXTENDED'), ...(has(sub, 'ALL') ? { all: true } : {}), ...base };
      case 'describe':
        return this.describe(sub, base);
      case 'createConnector':
        return {
          kind: 'CreateConnector',
          connectorType: tokenMatcher(token(sub, 'connectorType'), T.SOURCE) ? 'SOURCE' : 'SINK',
          name: this.identifier(child(sub, 'name')),
          ifNotExists: has(sub, 'ifNotExists'),
          properties: this.connectorProperties(child(sub, 'tableProperties')),
          ...base,
        };
      case 'dropConnector':
        return { kind: 'DropConnector', name: this.identifier(child(sub, 'identifier')), ifExists: has(sub, 'ifExists'), ...base };
      case 'showConnectors': {
        if (has(sub, 'PLUGINS')) return { kind: 'ListConnectorPlugins', ...base };
        const scope = optToken(sub, 'scope');
        if (!scope) return { kind: 'ListConnectors', ...base };
        return { kind: 'ListConnectors', scope: tokenMatcher(scope, T.SOURCE) ? 'SOURCE' : 'SINK', ...base };
      }
      case 'explain': {
        const inner = optNode(sub, 'statement');
        if (inner) return { kind: 'Explain', statement: this.statement(inner), ...base };
        return { kind: 'Explain', queryId: this.identifier(child(sub, 'identifier')), ...base };
      }
      case 'setProperty':
        return {
          kind: 'SetProperty',
          name: unquoteString(token(sub, 'name').image),
          value: unquoteString(token(sub, 'value').image),
          ...base,
        };
      case 'unsetProperty':
        return { kind: 'UnsetProperty', name: unquoteString(token(sub, 'StringLiteral').image), ...base };
      case 'define':
        return {
          kind: 'Define',
          name: variableName(token(child(sub, 'identifier'), 'token')),
          value: unquoteString(token(sub, 'StringLiteral').image),
          ...base,
        };
      case 'undefine':
        return { kind: 'Undefine', name: variableName(token(child(sub, 'identifier'), 'token')), ...base };
      case 'print':
        return this.print(sub, base);
      case 'pauseResume': {
        const action = tokenMatcher(token(sub, 'verb'), T.PAUSE) ? ('PAUSE' as const) : ('RESUME' as const);
        const id = optNode(sub, 'identifier');
        return id ? { kind: 'PauseResume', action, queryId: this.identifier(id), ...base } : { kind: 'PauseResume', action, ...base };
      }
      case 'alter':
        return this.alter(sub, base);
      case 'assertResource':
        return this.assertResource(sub, base);
      case 'assertData':
        return this.assertData(sub, base);
      default:
        throw new InternalError(`CST statement: unexpected ${key}`);
    }
  }

  private createSource(node: CstNode, base: { text: string; pos: Statement['pos'] }): Statement {
    const common = {
      sourceType: sourceType(token(node, 'sourceType')),
      name: this.identifier(child(node, 'name')),
      orReplace: has(node, 'orReplace'),
      ifNotExists: has(node, 'ifNotExists'),
      properties: this.properties(optNode(node, 'tableProperties')),
      ...base,
    };
    const q = optNode(node, 'query');
    const elements = optNode(node, 'tableElements');
    if (q) {
      if (has(node, 'isSource')) throw syntaxError('CREATE SOURCE cannot be used with AS SELECT', this.posOfToken(token(node, 'isSource')));
      if (elements) throw syntaxError("mismatched input 'AS': a column list cannot be combined with AS SELECT", this.posOfToken(token(node, 'AS')));
      return { kind: 'CreateAsSelect', ...common, query: this.query(q) };
    }
    const columns = elements ? nodes(elements, 'tableElement').map((e) => this.columnDef(e)) : [];
    return { kind: 'CreateSource', ...common, isSource: has(node, 'isSource'), columns };
  }

  private columnDef(node: CstNode): ColumnDef {
    const c = optNode(node, 'columnConstraint');
    const base = { name: this.identifier(child(node, 'identifier')), type: this.type(child(node, 'type')), pos: this.posOf(node) };
    return c ? { ...base, constraint: constraint(c) } : base;
  }

  private properties(node: CstNode | undefined): Property[] {
    if (!node) return [];
    return nodes(node, 'tableProperty').map((p) => {
      const id = optNode(p, 'identifier');
      const name = id ? this.identifier(id) : unquoteString(token(p, 'StringLiteral').image);
      return { name: name.toUpperCase(), value: this.literal(child(p, 'literal')), pos: this.posOf(p) };
    });
  }

  /** Connector config entries: string-literal names keep their case (they are Connect's property names). */
  private connectorProperties(node: CstNode): ConnectorProperty[] {
    return nodes(node, 'tableProperty').map((p) => {
      const id = optNode(p, 'identifier');
      const name = id ? this.identifier(id) : unquoteString(token(p, 'StringLiteral').image);
      return { name, quoted: id === undefined, value: this.literal(child(p, 'literal')), pos: this.posOf(p) };
    });
  }

  private insert(node: CstNode, base: { text: string; pos: Statement['pos'] }): Statement {
    const target = this.identifier(child(node, 'target'));
    const q = optNode(node, 'query');
    if (q) return { kind: 'InsertInto', target, properties: this.properties(optNode(node, 'tableProperties')), query: this.query(q), ...base };
    const values = nodes(node, 'values').map((v) => this.valueExpression(v));
    if (!has(node, 'columnsOpen')) return { kind: 'InsertValues', target, values, ...base };
    const columns = nodes(node, 'columns').map((c) => this.identifier(c));
    return { kind: 'InsertValues', target, columns, values, ...base };
  }

  private describe(node: CstNode, base: { text: string; pos: Statement['pos'] }): Statement {
    const connector = optNode(node, 'connectorName');
    if (connector) return { kind: 'DescribeConnector', name: this.identifier(connector), ...base };
    const fn = optNode(node, 'functionName');
    if (fn) return { kind: 'DescribeFunction', name: this.identifier(fn).toUpperCase(), ...base };
    const extended = has(node, 'EXTENDED');
    // `DESCRIBE STREAMS [EXTENDED]` lists every stream: the same as `SHOW STREAMS EXTENDED`.
    if (has(node, 'STREAMS')) return { kind: 'Show', what: 'STREAMS', extended: true, ...base };
    return { kind: 'Describe', name: this.identifier(child(node, 'identifier')), extended, ...base };
  }

  private alter(node: CstNode, base: { text: string; pos: Statement['pos'] }): Statement {
    if (has(node, 'SYSTEM')) {
      return { kind: 'AlterSystem', name: unquoteString(token(node, 'name').image), value: unquoteString(token(node, 'value').image), ...base };
    }
    const columns = nodes(node, 'alterOption').map((o) => ({
      name: this.identifier(child(o, 'identifier')),
      type: this.type(child(o, 'type')),
      pos: this.posOf(o),
    }));
    return { kind: 'AlterSource', sourceType: sourceType(token(node, 'sourceType')), name: this.identifier(child(node, 'name')), columns, ...base };
  }

  private assertResource(node: CstNode, base: { text: string; pos: Statement['pos'] }): Statement {
    const exists = !has(node, 'notExists');
    const t = optNode(node, 'timeout');
    const timeout = t ? { timeoutMs: this.duration(t).ms } : {};
    if (has(node, 'TOPIC')) {
      const id = optNode(node, 'topic');
      const topic = id ? this.resourceName(id) : unquoteString(token(node, 'topicString').image);
      return { kind: 'AssertTopic', topic, exists, properties: this.properties(optNode(node, 'tableProperties')), ...timeout, ...base };
    }
    const subj = optNode(node, 'subject');
    const subjTok = optToken(node, 'subjectString');
    const subject = subj ? this.resourceName(subj) : subjTok ? unquoteString(subjTok.image) : undefined;
    const idTok = optToken(node, 'id');
    if (subject === undefined && idTok === undefined) throw syntaxError('ASSERT SCHEMA statements much include a subject name or an id', base.pos);
    return {
      kind: 'AssertSchema',
      ...(subject !== undefined ? { subject } : {}),
      ...(idTok ? { id: Number(idTok.image) } : {}),
      exists,
      ...timeout,
      ...base,
    };
  }

  /** The testing tool's ASSERT VALUES / ASSERT NULL VALUES / ASSERT STREAM|TABLE. */
  private assertData(node: CstNode, base: { text: string; pos: Statement['pos'] }): Statement {
    const word = token(node, 'word');
    const testOnly = { image: word.image, pos: this.posOfToken(word) };
    const name = optNode(node, 'name');
    if (name) {
      const elements = optNode(node, 'tableElements');
      return {
        kind: 'AssertSource',
        sourceType: tokenMatcher(word, T.TABLE) ? 'TABLE' : 'STREAM',
        name: this.identifier(name),
        columns: elements ? nodes(elements, 'tableElement').map((e) => this.columnDef(e)) : [],
        properties: this.properties(optNode(node, 'tableProperties')),
        testOnly,
        ...base,
      };
    }
    const tombstone = tokenMatcher(word, T.NULL);
    // ASSERT VALUES … VALUES (…) and ASSERT NULL VALUES … KEY (…), nothing in between.
    const second = optToken(node, 'VALUES');
    const valuesWord = token(node, 'valuesWord');
    const misplaced = tombstone
      ? !second
        ? token(child(node, 'target'), 'token')
        : !tokenMatcher(valuesWord, T.KEY)
          ? valuesWord
          : undefined
      : (second ?? (tokenMatcher(valuesWord, T.KEY) ? valuesWord : undefined));
    if (misplaced) {
      const at = this.posOfToken(misplaced);
      throw syntaxError(`Syntax error at or near '${misplaced.image}' at line ${at.line}:${at.column}`, at);
    }
    const values = nodes(node, 'values').map((v) => this.valueExpression(v));
    const columns = has(node, 'columnsOpen') ? { columns: nodes(node, 'columns').map((c) => this.identifier(c)) } : {};
    return { kind: 'AssertValues', tombstone, target: this.identifier(child(node, 'target')), ...columns, values, testOnly, ...base };
  }

  /** A resource (topic, subject) named by an identifier: kept exactly as written, quotes removed. */
  private resourceName(id: CstNode): string {
    const tok = token(id, 'token');
    return tokenMatcher(tok, T.QuotedIdentifier) || tokenMatcher(tok, T.BackQuotedIdentifier) ? identifierText(tok) : tok.image;
  }

  private print(node: CstNode, base: { text: string; pos: Statement['pos'] }): Statement {
    const id = optNode(node, 'identifier');
    // The topic name is kept exactly as written (only quotes removed): topic names are case-sensitive.
    let topic: string;
    if (id) {
      const tok = token(id, 'token');
      topic = tokenMatcher(tok, T.QuotedIdentifier) || tokenMatcher(tok, T.BackQuotedIdentifier) ? identifierText(tok) : tok.image;
    } else topic = unquoteString(token(node, 'StringLiteral').image);
    const interval = optToken(node, 'interval');
    const limit = optToken(node, 'limit');
    return {
      kind: 'Print',
      topic,
      fromBeginning: has(node, 'fromBeginning'),
      ...(interval ? { interval: Number(interval.image) } : {}),
      ...(limit ? { limit: Number(limit.image) } : {}),
      ...base,
    };
  }

  // ---------- queries ----------

  /** Builds a `query` CST node. */
  query(node: CstNode): Query {
    const where = optNode(node, 'where');
    const groupBy = optNode(node, 'groupBy');
    const partitionBy = optNode(node, 'partitionBy');
    const having = optNode(node, 'having');
    const win = optNode(node, 'windowExpression');
    const emit = optToken(node, 'emit');
    const limit = optToken(node, 'limit');
    return {
      kind: 'Query',
      select: nodes(node, 'selectItem').map((s) => this.selectItem(s)),
      from: this.relation(child(node, 'relation')),
      ...(win ? { window: this.windowExpression(win) } : {}),
      ...(where ? { where: this.expression(where) } : {}),
      ...(groupBy ? { groupBy: this.expressionList(groupBy) } : {}),
      ...(partitionBy ? { partitionBy: this.expressionList(partitionBy) } : {}),
      ...(having ? { having: this.expression(having) } : {}),
      ...(emit ? { emit: tokenMatcher(emit, T.FINAL) ? ('FINAL' as const) : ('CHANGES' as const) } : {}),
      ...(limit ? { limit: Number(limit.image) } : {}),
      pos: this.posOf(node),
    };
  }

  private expressionList(node: CstNode): Expression[] {
    return nodes(node, 'items').map((n) => this.valueExpression(n));
  }

  private selectItem(node: CstNode): SelectItem {
    const pos = this.posOf(node);
    const source = optNode(node, 'source');
    if (source) return { kind: 'AllColumns', source: this.identifier(source), pos };
    const expr = optNode(node, 'expression');
    if (!expr) return { kind: 'AllColumns', pos };
    const alias = optNode(node, 'alias');
    const e = this.expression(expr);
    const structAll = optToken(node, 'structAll');
    if (structAll) {
      if (!POSTFIX_KINDS.has(e.kind)) {
        const at = this.posOfToken(structAll);
        throw syntaxError(`Syntax error at or near '->' at line ${at.line}:${at.column}`, at);
      }
      return { kind: 'StructAll', base: e, pos };
    }
    return alias ? { kind: 'SingleColumn', expr: e, alias: this.identifier(alias), pos } : { kind: 'SingleColumn', expr: e, pos };
  }

  private relation(node: CstNode): Relation {
    let acc: Relation = this.aliasedSource(child(node, 'aliasedRelation'));
    for (const j of nodes(node, 'joinedSource')) {
      const within = optNode(j, 'withinExpression');
      const typeTok = optToken(j, 'joinType');
      acc = {
        kind: 'Join',
        joinType: typeTok ? joinType(typeTok) : 'INNER',
        left: acc,
        right: this.aliasedSource(child(j, 'aliasedRelation')),
        ...(within ? { within: this.within(within) } : {}),
        on: this.expression(child(j, 'expression')),
        pos: this.posOf(j),
      };
    }
    return acc;
  }

  private aliasedSource(node: CstNode): AliasedSource {
    const alias = optNode(node, 'alias');
    const name = this.identifier(child(node, 'name'));
    const pos = this.posOf(node);
    return alias ? { kind: 'AliasedSource', name, alias: this.identifier(alias), pos } : { kind: 'AliasedSource', name, pos };
  }

  private within(node: CstNode): JoinWithin {
    const size = optNode(node, 'size');
    const grace = optNode(node, 'gracePeriod');
    const g = grace ? { grace: this.duration(child(grace, 'duration')) } : {};
    if (size) {
      const d = this.duration(size);
      return { before: d, after: d, ...g };
    }
    return { before: this.duration(child(node, 'before')), after: this.duration(child(node, 'after')), ...g };
  }

  private windowExpression(node: CstNode): WindowExpression {
    const pos = this.posOf(node);
    const tail = child(node, 'windowTail');
    const retention = optNode(tail, 'retention');
    const grace = optNode(tail, 'gracePeriod');
    const extras = {
      ...(retention ? { retention: this.duration(child(retention, 'duration')) } : {}),
      ...(grace ? { grace: this.duration(child(grace, 'duration')) } : {}),
    };
    if (has(node, 'TUMBLING')) return { kind: 'Tumbling', size: this.duration(child(node, 'size')), ...extras, pos };
    if (has(node, 'HOPPING')) {
      return { kind: 'Hopping', size: this.duration(child(node, 'size')), advance: this.duration(child(node, 'advance')), ...extras, pos };
    }
    return { kind: 'Session', gap: this.duration(child(node, 'gap')), ...extras, pos };
  }

  private duration(node: CstNode): Duration {
    const unitTok = token(child(node, 'timeUnit'), 'unit');
    const factor = T.TIME_UNITS.get(unitTok.tokenType);
    if (factor === undefined) throw new InternalError(`unknown time unit ${unitTok.image}`);
    const value = Number((has(node, 'Minus') ? '-' : '') + token(node, 'IntegerLiteral').image);
    return { value, unit: unitTok.image.toUpperCase(), ms: value * factor, pos: this.posOf(node) };
  }
}

/** Expression kinds that are ksqlDB primaryExpressions, allowed before `->*`. */
const POSTFIX_KINDS: ReadonlySet<Expression['kind']> = new Set([
  'ColumnRef',
  'Dereference',
  'Subscript',
  'FunctionCall',
  'Cast',
  'SearchedCase',
  'SimpleCase',
  'CreateStruct',
  'CreateArray',
  'CreateMap',
  'Literal',
]);

function sourceType(tok: IToken): 'STREAM' | 'TABLE' {
  return tokenMatcher(tok, T.TABLE) ? 'TABLE' : 'STREAM';
}

function joinType(tok: IToken): JoinType {
  if (tokenMatcher(tok, T.LEFT)) return 'LEFT';
  if (tokenMatcher(tok, T.RIGHT)) return 'RIGHT';
  if (tokenMatcher(tok, T.FULL)) return 'FULL';
  return 'INNER';
}

function showWhat(tok: IToken): Show['what'] {
  const w = tok.image.toUpperCase();
  switch (w) {
    case 'STREAMS':
    case 'TABLES':
    case 'QUERIES':
    case 'TOPICS':
    case 'PROPERTIES':
    case 'FUNCTIONS':
    case 'TYPES':
    case 'VARIABLES':
      return w;
    default:
      throw new InternalError(`CST show: unexpected ${w}`);
  }
}

function constraint(node: CstNode): ColumnConstraint {
  if (has(node, 'HEADERS')) return { kind: 'Headers' };
  if (has(node, 'HEADER')) return { kind: 'Header', key: unquoteString(token(node, 'StringLiteral').image) };
  if (has(node, 'PRIMARY')) return { kind: 'PrimaryKey' };
  return { kind: 'Key' };
}

/** Variable names are case-insensitive in ksqlDB; kept as written (quotes removed). */
function variableName(tok: IToken): string {
  return tokenMatcher(tok, T.QuotedIdentifier) || tokenMatcher(tok, T.BackQuotedIdentifier) ? identifierText(tok) : tok.image;
}
