import { testCommand } from './test-command.js';

const VERSION = '0.1.0';

const HELP = `sluice ${VERSION} — a streaming SQL engine that speaks ksqlDB

Usage:
  sluice [--data-dir DIR]        start a server on ./sluice-data in this process and
                                 open the SQL prompt on it (sluice cli --help)
  sluice cli [URL]               the SQL prompt of a running server (default
                                 http://localhost:8088); -e SQL / -f FILE run and exit
  sluice datagen --quickstart NAME --topic TOPIC …
                                 write generated events (sluice datagen --help)
  sluice test --sql-file FILE --input-file FILE --output-file FILE
                                 run one test the way ksql-test-runner does
  sluice test DIR...             run every test case directory below DIR
  sluice server [--port 8088] [--data-dir DIR] …
                                 serve ksqlDB's REST API (sluice server --help)
  sluice migrations [-c FILE] COMMAND
                                 manage statements as versioned migration files, as
                                 ksql-migrations does (sluice migrations help)
  sluice repair --data-dir DIR   move damaged parts of a data directory aside so a
                                 server can start again (sluice repair --help)
  sluice version                 print the version
  sluice help                    this text
`;

/**
 * Client commands (and the server, once shut down) end when they are done, even
 * if an HTTP connection is still kept alive in the background.
 */
async function exitNow(code: Promise<number>): Promise<number> {
  const c = await code;
  setTimeout(() => process.exit(c), 20).unref();
  return c;
}

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  // Plain `sluice` (or `sluice --data-dir …`): an embedded server and the REPL on it.
  if (cmd === undefined || (cmd.startsWith('-') && !['--help', '-h', '--version'].includes(cmd))) {
    return exitNow((await import('./cli-command.js')).cliCommand(argv, { embedded: true, version: VERSION }));
  }
  switch (cmd) {
    case 'cli':
      return exitNow((await import('./cli-command.js')).cliCommand(rest, { embedded: false, version: VERSION }));
    case 'datagen':
      return exitNow((await import('./datagen/datagen-command.js')).datagenCommand(rest));
    case 'test':
      return testCommand(rest);
    case 'server':
      // After its graceful shutdown the server exits even if a client library (kafkajs
      // after losing the cluster) still holds a socket or timer.
      return exitNow((await import('./server-command.js')).serverCommand(rest, VERSION));
    case 'migrations':
      return exitNow((await import('./migrations/migrations-command.js')).migrationsCommand(rest));
    case 'repair':
      return (await import('./repair-command.js')).repairCommand(rest);
    case 'version':
    case '--version':
      console.log(VERSION);
      return 0;
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return 0;
    default:
      console.error(`sluice: unknown command '${cmd}'\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`sluice: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
