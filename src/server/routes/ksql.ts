import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../common/errors.js';
import { splitStatements } from '../../parser/index.js';
import { prepareEach, type PreparedStatement } from '../../runtime/engine/prepare.js';
import { sendJson } from '../http/reply.js';
import { requireObject, stringField, stringMapField, withSemicolon, withTimeout, type JsonObject, type ServerContext } from '../http/context.js';
import { commandId, shownStatement, toEntity, type KsqlEntity } from '../http/entities.js';
import { HttpError, QUERY_ENDPOINT_MESSAGE, badRequest, genericError, notFound, statementError, toStatementError } from '../http/errors.js';
import { ResponseBudget, checkStatementCount, requestLimits, type RequestLimits } from '../http/request-limits.js';
import { stringifyJson } from '../http/values.js';
import { checkSessionProperty } from '../../runtime/statements/property-defaults.js';

/** One statement of a `/ksql` request, prepared, with its text as ksqlDB echoes it in `statementText`. */
interface RequestStatement extends PreparedStatement {
  /** Trimmed, ending with `;`. */
  readonly shown: string;
}

/**
 * Prepares every statement first, as ksqlDB validates a whole request before
 * executing any of it: a syntax error or a SELECT/PRINT fails the request with
 * nothing executed. DEFINE/UNDEFINE take effect in order.
 */
async function prepareRequest(sql: string, variables: Map<string, string>, limits: RequestLimits): Promise<RequestStatement[]> {
  const out: RequestStatement[] = [];
  const slices = splitStatements(sql);
  checkStatementCount(slices, limits);
  // As ksqlDB's parser reads the whole request: a syntax error's line and column
  // count in the request (line 2 is the request's second line), its snippet is
  // the request's, and `statementText` is the statement that failed.
  const onParseError = (e: unknown, text: string) => toStatementError(e, withSemicolon(text), [], sql);
  for (const prepared of prepareEach(slices, variables, { positions: 'script', onParseError })) {
    await nextTurn();
    const { text, stmt } = prepared;
    if (stmt.kind === 'QueryStatement' || stmt.kind === 'Print') {
      throw new HttpError(statementError(ErrorCode.QUERY_ENDPOINT, QUERY_ENDPOINT_MESSAGE, withSemicolon(text)));
    }
    out.push({ ...prepared, shown: shownStatement(stmt, withSemicolon(text)) });
  }
  return out;
}

/**
 * Lets the event loop serve other requests (`/info`, `/healthcheck`, queries)
 * between two statements of a request, so a request of many statements never
 * holds the loop for longer than its slowest single statement.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Waits until the engine has executed command `seq` (ksqlDB's `commandSequenceNumber` request field). */
async function awaitCommand(ctx: ServerContext, seq: number): Promise<void> {
  const deadline = Date.now() + Math.min(ctx.settings.requestTimeoutMs || 5000, 5000);
  while (ctx.engine.commandSequenceNumber < seq) {
    if (Date.now() > deadline) {
      throw new HttpError(genericError(50301, `Timed out while waiting for a previous command to execute. command sequence number: ${seq}`));
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Runs a `/ksql` request: statements in order, SET/UNSET and DEFINE/UNDEFINE
 * scoped to the request, one entity per statement that has one. A failing
 * statement answers with its error and the entities of those before it.
 */
export async function runKsql(ctx: ServerContext, body: JsonObject): Promise<KsqlEntity[]> {
  const sql = stringField(body, 'ksql');
  const properties: Record<string, string> = { ...stringMapField(body, 'streamsProperties') };
  const variables = new Map(Object.entries(stringMapField(body, 'sessionVariables') ?? {}));
  const seq = body['commandSequenceNumber'];
  if (seq !== undefined && seq !== null) {
    if (typeof seq !== 'number' || !Number.isInteger(seq)) throw badRequest('Field "commandSequenceNumber" must be an integer.');
    await awaitCommand(ctx, seq);
  }
  const entities: KsqlEntity[] = [];
  const limits = requestLimits(ctx.settings);
  const budget = new ResponseBudget(limits);
  let executed = 0;
  for (const prepared of await prepareRequest(sql, variables, limits)) {
    const { text, stmt, shown } = prepared;
    await nextTurn();
    switch (stmt.kind) {
      case 'SetProperty':
        checkSessionProperty(stmt.name, stmt.value);
        properties[stmt.name] = stmt.value;
        continue;
      case 'UnsetProperty':
        delete properties[stmt.name];
        continue;
      case 'Define':
        variables.set(stmt.name, stmt.value);
        continue;
      case 'Undefine':
        variables.delete(stmt.name);
        continue;
      case 'Show':
        // Variables live in the request (DEFINE never reaches the engine).
        if (stmt.what === 'VARIABLES') {
          entities.push({ '@type': 'variables', statementText: shown, variables: [...variables].map(([name, value]) => ({ name, value })), warnings: [] });
          continue;
        }
        break;
      default:
        break;
    }
    try {
      const opts = { properties: { ...properties }, variables: Object.fromEntries(variables) };
      const result = await withTimeout(ctx.engine.executePrepared(prepared, opts), ctx.settings.requestTimeoutMs, 'Statement execution');
      const e = await toEntity(result, stmt, {
        commandSequenceNumber: ctx.engine.commandSequenceNumber,
        partitions: async (topic) => (await ctx.engine.log.topic(topic))?.partitions,
      });
      if (e) {
        const entity = { ...e, statementText: shown };
        budget.add(stringifyJson(entity).length, shown, executed);
        entities.push(entity);
        const id = commandId(stmt);
        const status = e['commandStatus'] as { status: string; message: string; queryId: string | null } | undefined;
        if (id && status) ctx.commandStatuses.set(id, status);
      }
    } catch (e) {
      throw toStatementError(e, shown, entities, text);
    }
    executed++;
  }
  return entities;
}

/** `/ksql`, `/ksql/terminate`, `/status`. */
export function registerKsqlRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/ksql', async (req, reply) => {
    const body = requireObject(req.body, ['ksql', 'streamsProperties', 'sessionVariables', 'commandSequenceNumber', 'requestProperties']);
    return sendJson(req, reply, 200, await runKsql(ctx, body));
  });

  app.post('/ksql/terminate', async (req, reply) => {
    const body = req.body === undefined ? {} : requireObject(req.body, ['deleteTopicList', 'streamsProperties']);
    const list = body['deleteTopicList'];
    if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))) {
      throw badRequest('Field "deleteTopicList" must be an array of strings.');
    }
    ctx.pushQueries.closeAll();
    await terminateCluster(ctx, (list as string[] | undefined) ?? []);
    const entity: KsqlEntity = {
      '@type': 'currentStatus',
      statementText: 'TERMINATE CLUSTER;',
      commandId: 'cluster/TERMINATE_CLUSTER/execute',
      commandStatus: { status: 'SUCCESS', message: 'Cluster terminated', queryId: null },
      commandSequenceNumber: ctx.engine.commandSequenceNumber,
      warnings: [],
    };
    return sendJson(req, reply, 200, [entity]);
  });

  app.get('/status', async (req, reply) => {
    const commandStatuses: Record<string, string> = {};
    for (const [id, s] of ctx.commandStatuses) commandStatuses[id] = s.status;
    return sendJson(req, reply, 200, { commandStatuses });
  });

  app.get<{ Params: { type: string; entity: string; action: string } }>('/status/:type/:entity/:action', async (req, reply) => {
    const { type, entity, action } = req.params;
    const s = ctx.commandStatuses.get(`${type}/${entity}/${action}`);
    if (!s) throw notFound('Command not found');
    return sendJson(req, reply, 200, s);
  });
}

/**
 * TERMINATE CLUSTER: terminates every persistent query, drops every stream and
 * table, and deletes the topics of dropped sources whose names match an entry
 * of `deleteTopicList` (exact name or regular expression).
 */
async function terminateCluster(ctx: ServerContext, deleteTopicList: readonly string[]): Promise<void> {
  const matches = (topic: string) =>
    deleteTopicList.some((p) => {
      try {
        return p === topic || new RegExp(`^(?:${p})$`, 'i').test(topic);
      } catch {
        return false;
      }
    });
  await ctx.engine.execute('TERMINATE ALL;');
  for (const what of ['TABLES', 'STREAMS'] as const) {
    const [listed] = await ctx.engine.execute(`SHOW ${what};`);
    if (listed?.kind !== 'Sources') continue;
    for (const s of listed.sources) {
      const del = !s.isSource && matches(s.topic) ? ' DELETE TOPIC' : '';
      await ctx.engine.execute(`DROP ${s.sourceType} IF EXISTS \`${s.name}\`${del};`);
    }
  }
}
