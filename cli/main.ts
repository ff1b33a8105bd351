import { testCommand } from './test-command.js';

const VERSION = '0.1.0';

const HELP = `sluice ${VERSION} — a streaming SQL engine that speaks ksqlDB

Usage:
  sluice test --sql-file FILE --input-file FILE --output-file FILE
                                 run one test the way ksql-test-runner does
  sluice test DIR...             run every test case directory below DIR
  sluice server [--port 8088] [--data-dir DIR] …
                                 serve ksqlDB's REST API (sluice server --help)
  sluice version                 print the version
  sluice help                    this text
`;

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'test':
      return testCommand(rest);
    case 'server':
      return (await import('./server-command.js')).serverCommand(rest);
    case 'version':
    case '--version':
      console.log(VERSION);
      return 0;
    case undefined:
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
