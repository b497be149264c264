import { parseArgs } from 'node:util';
import { AppError, createSuperadmin } from '@tickets/core';
import { openDatabase } from '../compose';
import { DataDirInUseError } from '../data-dir-lock';
import { loadCliEnv, loadEnvOrExit } from '../env';
import { createLogger } from '../logger';
import { explainStartupFailure } from '../startup-errors';
import { promptSecret } from './prompt';

const usage = `Creates a superadmin account (the first account of a new installation).

Usage: scripts/create-superadmin.sh --email <email> --name <name>

The password is read from SUPERADMIN_PASSWORD, or asked on the terminal, or read from stdin (the first
line; 10 to 256 characters). The database is the server's: DATABASE_URL (the server may be running),
or else the embedded one in DATA_DIR, which only one process can open: while the server runs on it,
use the one-time setup link the server printed at start-up instead.`;

function fail(message: string): never {
  process.stderr.write(`create-superadmin: ${message}\n`);
  process.exit(1);
}

let args: { email?: string; name?: string; help?: boolean };
try {
  args = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
if (args.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (!args.email || !args.name) fail(`--email and --name are required.\n\n${usage}`);

const env = loadEnvOrExit(loadCliEnv);
const password =
  env.superadminPassword ?? (await promptSecret('Password').catch((error: Error) => fail(error.message)));
// Progress lines would drown the one result line: only warnings and errors, on stderr.
const logger = createLogger('warn', process.stderr);

const database = await openDatabase(env.database, logger).catch((error: unknown) => {
  if (error instanceof DataDirInUseError) {
    fail(
      `the embedded database is in use by process ${error.holderPid} (the server?): use the setup link it printed at start-up, or stop it and run this again.`,
    );
  }
  return fail(explainStartupFailure(error, env.database) ?? (error as Error).message);
});
try {
  const user = await createSuperadmin(database.db, { email: args.email, password, name: args.name });
  process.stdout.write(`Created superadmin ${user.email} (id ${user.id}).\n`);
} catch (error) {
  await database.close();
  if (error instanceof AppError) fail(error.message);
  throw error;
}
await database.close();
