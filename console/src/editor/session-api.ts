import { KsqlApi, type KsqlEntity, KsqlError, type StatementProperties } from '../api.js';
import { parseLocalStatement } from './local-statements.js';
import type { SessionProperties } from './session-properties.js';

/** The error code a refused SET/UNSET reports (ksqlDB's "bad statement"). */
const BAD_STATEMENT = 40001;

/**
 * The console's API client, but `SET 'name'='value';` and `UNSET 'name';`
 * never reach the server: as in ksqlDB's CLI they change the console's own
 * properties (sent with every later statement) and answer with the CLI's
 * message, shown like any other statement's status.
 */
export class SessionApi extends KsqlApi {
  constructor(
    private readonly session: SessionProperties,
    base = '',
  ) {
    super(base);
  }

  override async ksql(sql: string, properties: StatementProperties = {}): Promise<KsqlEntity[]> {
    const local = parseLocalStatement(sql);
    if (!local) return super.ksql(sql, properties);
    const outcome = this.session.apply(local);
    if (outcome.kind === 'error') throw new KsqlError(BAD_STATEMENT, outcome.message, sql);
    return [{ '@type': 'currentStatus', statementText: sql, commandStatus: { status: 'SUCCESS', message: outcome.message } }];
  }
}
