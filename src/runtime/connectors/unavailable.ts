/**
 * The connector service of an engine built without one (the test runner,
 * engines embedded in tests and tools): every statement is refused with why.
 */
import { ErrorCode } from '../../common/errors.js';
import { ConnectorError, type ConnectorService } from './connector.js';

/** A service refusing every connector statement with `Connectors are not available here: <reason>` (50000). */
export function unavailableConnectors(reason: string): ConnectorService {
  const refuse = (): never => {
    throw new ConnectorError(`Connectors are not available here: ${reason}`, ErrorCode.SERVER_ERROR);
  };
  return {
    kind: 'built-in',
    create: async () => refuse(),
    list: async () => refuse(),
    describe: async () => refuse(),
    drop: async () => refuse(),
    plugins: async () => refuse(),
    close: async () => undefined,
  };
}
