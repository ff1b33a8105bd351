import { existsSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DamagedDataError } from '../src/common/errors.js';
import { CommandLog } from '../src/runtime/commands/command-log.js';
import { damagedSuffix, FileLog } from '../src/runtime/log/file-log.js';
import { LevelStoreFactory } from '../src/runtime/state/level-store.js';

const USAGE = `Usage: sluice repair --data-dir DIR

Repairs a data directory that 'sluice server' refused to open because a file is
damaged (run it while no server uses DIR). Nothing is deleted: damaged parts move
to files named <file>.damaged-<time> next to the original.
  log/topics/*/<p>.seg  a segment damaged in the middle keeps its intact records;
                        the bytes from the damage on move aside. Committed and
                        checkpointed positions past the new end move back to it, so
                        records appended later get the freed offsets and are read.
  log/offsets.json      if damaged, moves aside (queries resume from their checkpoints)
  commands.jsonl        bad lines move aside; every statement after them is kept
  state/                if LevelDB cannot open it, it moves aside; each stateful query
                        then rebuilds its state from the log at the next start
Prints what it changed, or that nothing was damaged.`;

/** Repairs the data directory `dataDir` (see USAGE); returns one line per change. */
export async function repairDataDir(dataDir: string): Promise<string[]> {
  const done: string[] = [];
  const logDir = join(dataDir, 'log');
  if (existsSync(logDir)) {
    const log = await FileLog.open(logDir, { repair: true, warn: (m) => done.push(m) });
    done.push(...log.repairs);
    await log.close();
  }
  const commandsPath = join(dataDir, 'commands.jsonl');
  if (existsSync(commandsPath)) {
    const commands = CommandLog.open(commandsPath, { repair: true, warn: (m) => done.push(m) });
    done.push(...commands.repairs);
    commands.close();
  }
  const statePath = join(dataDir, 'state');
  if (existsSync(statePath)) {
    try {
      await (await LevelStoreFactory.open(dataDir)).close();
    } catch (e) {
      if (!(e instanceof DamagedDataError)) throw e;
      const aside = statePath + damagedSuffix();
      renameSync(statePath, aside);
      done.push(`${e.message.split(' Run ')[0]} Moved it to ${aside}: stateful queries rebuild their state from the log at the next start.`);
    }
  }
  return done;
}

/** `sluice repair --data-dir DIR`: resolves with the exit code. */
export async function repairCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values['data-dir'] === undefined) {
    console.error(`sluice repair: --data-dir is required\n\n${USAGE}`);
    return 2;
  }
  const dataDir = resolve(values['data-dir']);
  if (!existsSync(dataDir)) {
    console.error(`sluice repair: data directory ${dataDir} does not exist`);
    return 1;
  }
  const done = await repairDataDir(dataDir);
  if (done.length === 0) console.log(`sluice repair: nothing damaged in ${dataDir}`);
  for (const line of done) console.log(`repaired: ${line}`);
  return 0;
}
