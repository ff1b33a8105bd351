/**
 * The statement handlers by kind. The compiler checks the map is complete: a new
 * statement kind does not build until it has a handler here, and says whether
 * it is recorded in the command log.
 */
import { NotImplementedError } from '../../common/errors.js';
import type { Statement } from '../../parser/ast/index.js';
import { testOnlyStatementError } from '../../parser/index.js';
import type { Handler, StatementContext } from './context.js';
import { assertSchema, assertTopic } from './assert.js';
import { createConnector, describeConnector, dropConnector, listConnectorPlugins, listConnectors } from './connectors.js';
import { alterSource, createSource, dropSource } from './ddl.js';
import { describe, describeFunction, explain, show, terminate } from './inspect.js';
import { createAsSelect, insertInto, insertValues } from './persistent.js';
import { pauseResume } from './lifecycle.js';
import { alterSystem, define, setProperty, undefine, unsetProperty } from './session.js';
import type { StatementResult } from './statement-result.js';
import { createType, dropType } from './types.js';

const HANDLERS = {
  CreateSource: { logged: true, run: createSource },
  CreateAsSelect: { logged: true, run: createAsSelect },
  InsertInto: { logged: true, run: insertInto },
  InsertValues: { logged: false, run: insertValues },
  QueryStatement: {
    logged: false,
    run: (_ctx, s) => {
      throw new NotImplementedError('Transient queries are served by the server (/query); they cannot run as statements here.', s.pos);
    },
  },
  DropSource: { logged: true, run: dropSource },
  Terminate: { logged: true, run: terminate },
  Show: { logged: false, run: show },
  Describe: { logged: false, run: describe },
  DescribeFunction: { logged: false, run: (_ctx, s) => describeFunction(s) },
  Explain: { logged: false, run: explain },
  SetProperty: { logged: false, run: setProperty },
  UnsetProperty: { logged: false, run: unsetProperty },
  CreateType: { logged: true, run: createType },
  DropType: { logged: true, run: dropType },
  Print: {
    logged: false,
    run: (_ctx, s) => {
      throw new NotImplementedError('PRINT is served by the server (/query); it cannot run as a statement here.', s.pos);
    },
  },
  Define: { logged: false, run: define },
  Undefine: { logged: false, run: undefine },
  PauseResume: { logged: true, run: pauseResume },
  AlterSystem: { logged: true, run: alterSystem },
  AlterSource: { logged: true, run: alterSource },
  AssertTopic: { logged: false, run: assertTopic },
  AssertSchema: { logged: false, run: assertSchema },
  // The testing tool's assertions (`sluice test` runs them itself): refused as ksqlDB's server grammar refuses them.
  AssertValues: {
    logged: false,
    run: (_ctx, s) => {
      throw testOnlyStatementError(s.testOnly);
    },
  },
  AssertSource: {
    logged: false,
    run: (_ctx, s) => {
      throw testOnlyStatementError(s.testOnly);
    },
  },
  // Built-in connectors are restarted from the log; a Kafka Connect cluster keeps its own connectors, and ksqlDB
  // never writes connector statements (and their passwords) to its command topic.
  CreateConnector: { logged: builtInConnectors, run: createConnector },
  DropConnector: { logged: builtInConnectors, run: dropConnector },
  ListConnectors: { logged: false, run: listConnectors },
  ListConnectorPlugins: { logged: false, run: listConnectorPlugins },
  DescribeConnector: { logged: false, run: describeConnector },
} satisfies { readonly [K in Statement['kind']]: Handler<K> };

/** The handler of a statement's kind. */
function handlerOf<K extends Statement['kind']>(kind: K): Handler<K> {
  return HANDLERS[kind] as Handler<K>;
}

/** Executes one statement. */
export function runStatement(ctx: StatementContext, s: Statement): StatementResult | Promise<StatementResult> {
  return handlerOf(s.kind).run(ctx, s);
}

/** Whether connectors run inside Sluice (their statements are recorded and replayed), not on a Connect cluster. */
function builtInConnectors(ctx: StatementContext): boolean {
  return ctx.connectors.kind === 'built-in';
}

/** Whether an accepted statement is recorded in the command log and replayed on start. */
export function isLogged(ctx: StatementContext, s: Statement): boolean {
  const logged = handlerOf(s.kind).logged;
  return typeof logged === 'boolean' ? logged : logged(ctx);
}
